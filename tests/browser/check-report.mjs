#!/usr/bin/env node
// The HTML report (`hashpivot report`) in a real browser.
//
// Why a real browser: the report promises to be self-contained, readable
// offline and printable to PDF with no cut chart. Only a browser can say
// that an SVG has a non-empty box inside the page, that nothing was
// fetched, and how many sheets the print CSS produces. This drives the
// system Chromium (Debian's `chromium` package) through the DevTools
// protocol with playwright-core, which never downloads a browser of its
// own, and reads the PDFs with `pdfinfo` (poppler-utils). Nothing here
// needs the network at run time.
//
// Usage (from anywhere; outputs go to <repo>/target/browser/):
//   node tests/browser/check-report.mjs REPORT.html...
//       static checks on the bytes, then screen and print checks and an A4
//       and a US-Letter PDF per report; exit 1 if any rule is broken.
//   node tests/browser/check-report.mjs --self-test
//       writes good and deliberately broken samples under
//       target/browser/self-test/ and checks that each broken one fails
//       with the rule it breaks and the good one passes.
//   node tests/browser/check-report.mjs --screenshot OUT.png REPORT.html [SELECTOR]
//       the README's picture: 1000 CSS px wide at device scale factor 1,
//       the first 1300 px of the report (not the full page), or of the
//       first element SELECTOR matches, e.g. "section.page:nth-of-type(3)"
//       (only that element if it is shorter); refused if > 300 KB.
// Environment: CHROMIUM (default /usr/bin/chromium), PDFINFO (default
// pdfinfo on PATH).
//
// The rules (each failure names the file, the rule and, for static rules,
// the line):
//   static/script        no <script> element, no on* event attribute
//   static/external-ref  no src/href/... whose value is a URL (contains
//                        "://", starts with "//" or "javascript:") or a
//                        file outside the document (anything but "#..." or
//                        "data:")
//   static/import        no @import
//   static/url           no url(...) except url(#...)
//   static/element       no <link>, <iframe>, <frame>, <object>, <embed>, <base>
//   browser/console      no console message of type error or warning
//   browser/pageerror    no uncaught exception
//   browser/network      no request other than the report file itself
//   screen/no-charts     at least one svg.chart
//   screen/chart-box     at 1000x1400: each svg.chart has width > 0,
//                        height > 0, left >= 0, right <= clientWidth
//   screen/scroll        the document does not scroll sideways
//   screen/text-overlap  no two <text> of a chart overlap (by more than a
//                        third of the smaller one's height)
//   screen/text-clipped  every <text> of a chart is inside the chart's box
//                        (an SVG cuts what sticks out)
//   print/chart-box      the same at the printable width (703 px)
//   print/chart-height   no svg.chart taller than the printable height
//   print/scroll         the printed document is no wider than the page
//   pdf/page-size        A4 is 595x842 pt, Letter 612x792 pt
//   pdf/pages            pages of each PDF = number of section.page
//
// The printable area is the part of both papers inside the report's
// `@page { margin: 12mm }`: width min(210, 215.9) - 24 = 186 mm = 703 px
// (A4 is the narrower) and height min(297, 279.4) - 24 = 255.4 mm = 965 px
// (Letter is the shorter), at 96 CSS px per inch; we use 703 x 964, a
// pixel of slack below the exact values.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const OUT = path.join(REPO, 'target', 'browser');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PDFINFO = process.env.PDFINFO || 'pdfinfo';

// Flags known to keep Chromium from phoning home: on a closed network its
// background connections are refused and show up as errors.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SCREEN = { width: 1000, height: 1400 };
const PX_PER_MM = 96 / 25.4;
const PRINT = {
  width: Math.floor((210 - 24) * PX_PER_MM), // 703
  height: Math.floor((279.4 - 24) * PX_PER_MM) - 1, // 964
};
// Sizes in pt (what pdfinfo prints) and in mm (to tell which section is
// too tall for the paper's printable height when the page count is off).
const PAPERS = [
  { name: 'A4', suffix: 'a4', width: 595.28, height: 841.89, mm: [210, 297] },
  { name: 'Letter', suffix: 'letter', width: 612, height: 792, mm: [215.9, 279.4] },
];
const MARGIN_MM = 12;
const SHOT = { width: 1000, height: 1300, maxBytes: 300 * 1024 };

// ---------------------------------------------------------------------------
// Static checks on the bytes.

const ATTRS_WITH_URLS = new Set([
  'src', 'href', 'xlink:href', 'srcset', 'action', 'formaction', 'poster',
  'data', 'background', 'cite', 'longdesc', 'manifest', 'ping',
]);
const FORBIDDEN_ELEMENTS = ['link', 'iframe', 'frame', 'object', 'embed', 'base'];

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineOf(starts, index) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function excerpt(s) {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 70 ? `${one.slice(0, 67)}...` : one;
}

// Why a value may not stand in a self-contained file, or null if it may.
function externalValue(value) {
  const v = value.trim();
  if (v === '' || v.startsWith('#')) return null;
  if (/^data:/i.test(v)) return null;
  if (v.includes('://') || v.startsWith('//')) return 'is a URL';
  if (/^javascript:/i.test(v)) return 'is script';
  return 'refers to a file outside the document';
}

export function staticChecks(text) {
  const starts = lineStarts(text);
  const found = [];
  const add = (rule, index, what) => found.push({ rule, line: lineOf(starts, index), what });

  for (const m of text.matchAll(/<script\b/gi)) add('static/script', m.index, 'a <script> element');
  for (const name of FORBIDDEN_ELEMENTS) {
    for (const m of text.matchAll(new RegExp(`<${name}\\b`, 'gi'))) {
      add('static/element', m.index, `a <${name}> element`);
    }
  }
  for (const m of text.matchAll(/@import\b/gi)) add('static/import', m.index, excerpt(text.slice(m.index, m.index + 60)));
  for (const m of text.matchAll(/url\(\s*(['"]?)([^'")]*)/gi)) {
    if (!m[2].trim().startsWith('#')) add('static/url', m.index, `url(${excerpt(m[1] + m[2])}...) is not url(#...)`);
  }
  // Attributes, read inside start tags only (prose may say "href = ...").
  for (const tag of text.matchAll(/<([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const attrs = tag[2];
    const base = tag.index + 1 + tag[1].length;
    for (const a of attrs.matchAll(/([^\s=/"'>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
      const name = a[1].toLowerCase();
      const value = a[2] ?? a[3] ?? a[4] ?? '';
      const at = base + a.index;
      if (/^on[a-z]+$/.test(name)) {
        add('static/script', at, `<${tag[1]} ${name}=...> is an event handler (script)`);
      } else if (ATTRS_WITH_URLS.has(name)) {
        const values = name === 'srcset' ? value.split(',').map((s) => s.trim().split(/\s+/)[0]) : [value];
        for (const v of values) {
          const why = externalValue(v);
          if (why) add('static/external-ref', at, `<${tag[1]} ${name}="${excerpt(v)}"> ${why}`);
        }
      }
    }
  }
  found.sort((x, y) => x.line - y.line);
  return found;
}

// ---------------------------------------------------------------------------
// The browser.

async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: apt-get install chromium (or set CHROMIUM)`);
  }
  // playwright-core gives the browser a fresh, empty --user-data-dir.
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

// Opens the report in a fresh context that records every console message,
// uncaught exception and request; requests to anything but the file are
// recorded, then aborted so that nothing waits on a closed network.
async function open(browser, file, viewport, fail) {
  const url = pathToFileURL(path.resolve(file)).href;
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, offline: true });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') {
      const where = msg.location();
      const at = where && where.url ? ` (at ${where.url}:${where.lineNumber + 1})` : '';
      fail('browser/console', `console ${msg.type()}: ${excerpt(msg.text())}${at}`);
    }
  });
  page.on('pageerror', (err) => fail('browser/pageerror', `uncaught exception: ${excerpt(String(err.message))}`));
  page.on('request', (req) => {
    const u = req.url().split('#')[0];
    if (u !== url && !u.startsWith('data:')) fail('browser/network', `requested ${excerpt(u)}`);
  });
  await context.route('**/*', (route) => {
    const u = route.request().url().split('#')[0];
    return u === url ? route.continue() : route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  // Let anything the page asks for late (fonts, images from CSS) show up.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForTimeout(50);
  return { context, page };
}

// The boxes of the charts and the document's width, as the layout has them.
async function measure(page) {
  return page.evaluate(() => {
    const de = document.documentElement;
    return {
      clientWidth: de.clientWidth,
      scrollWidth: de.scrollWidth,
      sections: document.querySelectorAll('section.page').length,
      charts: [...document.querySelectorAll('svg.chart')].map((el, i) => {
        const r = el.getBoundingClientRect();
        const title = el.querySelector('title');
        return {
          index: i + 1,
          name: (title && title.textContent.trim()) || el.getAttribute('aria-label') || '',
          left: r.left + window.scrollX,
          right: r.right + window.scrollX,
          width: r.width,
          height: r.height,
        };
      }),
    };
  });
}

// The rendered boxes of each chart's texts, compared pairwise: on screen
// only, since a chart scales as a whole and print changes nothing inside it.
async function checkTexts(page, fail) {
  const charts = await page.evaluate(() => [...document.querySelectorAll('svg.chart')].map((svg, i) => {
    const title = svg.querySelector('title');
    const r = svg.getBoundingClientRect();
    return {
      index: i + 1,
      name: (title && title.textContent.trim()) || '',
      box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
      texts: [...svg.querySelectorAll('text')]
        .filter((t) => t.textContent.trim() !== '' && t.getClientRects().length > 0)
        .map((t) => {
          const b = t.getBoundingClientRect();
          return { text: t.textContent.trim(), left: b.left, top: b.top, right: b.right, bottom: b.bottom };
        }),
    };
  }));
  for (const c of charts) {
    const ts = c.texts;
    for (const t of ts) {
      if (t.left < c.box.left - 0.5 || t.right > c.box.right + 0.5 || t.top < c.box.top - 0.5 || t.bottom > c.box.bottom + 0.5) {
        fail('screen/text-clipped', `${chartName(c)}: "${excerpt(t.text)}" sticks out of the chart and is cut`);
      }
    }
    for (let i = 0; i < ts.length; i++) {
      for (let j = i + 1; j < ts.length; j++) {
        const a = ts[i];
        const b = ts[j];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        const minH = Math.min(a.bottom - a.top, b.bottom - b.top);
        if (w > 1 && h > minH / 3) {
          fail('screen/text-overlap', `${chartName(c)}: "${excerpt(a.text)}" and "${excerpt(b.text)}" overlap`);
        }
      }
    }
  }
}

function chartName(c) {
  return `chart ${c.index}${c.name ? ` "${excerpt(c.name)}"` : ''}`;
}

function checkBoxes(m, where, fail) {
  const rule = `${where}/chart-box`;
  const r1 = (x) => Math.round(x * 10) / 10;
  for (const c of m.charts) {
    const box = `left ${r1(c.left)}, right ${r1(c.right)}, ${r1(c.width)}x${r1(c.height)} px`;
    if (!(c.width > 0 && c.height > 0)) fail(rule, `${chartName(c)} has an empty box (${box})`);
    if (c.left < -0.5) fail(rule, `${chartName(c)} starts left of the page (${box})`);
    if (c.right > m.clientWidth + 0.5) {
      fail(rule, `${chartName(c)} ends right of the page width ${m.clientWidth} px (${box})`);
    }
  }
  if (m.scrollWidth > m.clientWidth + 1) {
    fail(`${where}/scroll`, `the document is ${m.scrollWidth} px wide, the page ${m.clientWidth} px: something sticks out`);
  }
}

// Which sections are taller than the paper's printable height, laid out
// with print media at the paper's printable width (a diagnosis for the
// page count: the PDF says how many sheets, this says which section).
async function tallSections(page, paper) {
  const width = Math.floor((paper.mm[0] - 2 * MARGIN_MM) * PX_PER_MM);
  const height = (paper.mm[1] - 2 * MARGIN_MM) * PX_PER_MM;
  await page.setViewportSize({ width, height: Math.floor(height) });
  const sections = await page.evaluate(() => [...document.querySelectorAll('section.page')].map((el, i) => {
    const h = el.querySelector('h1, h2, h3');
    return { index: i + 1, heading: h ? h.textContent.trim() : '', height: el.getBoundingClientRect().height };
  }));
  await page.setViewportSize(PRINT);
  return sections
    .filter((x) => x.height > height)
    .map((x) => `section ${x.index}${x.heading ? ` "${excerpt(x.heading)}"` : ''} is ${Math.round(x.height / PX_PER_MM)} mm of ${Math.floor(height / PX_PER_MM)} mm`);
}

function pdfinfo(file) {
  const out = execFileSync(PDFINFO, [file], { encoding: 'utf8' });
  const pages = /^Pages:\s+(\d+)/m.exec(out);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(out);
  if (!pages || !size) throw new Error(`pdfinfo ${file}: no Pages/Page size in\n${out}`);
  return { pages: Number(pages[1]), width: Number(size[1]), height: Number(size[2]) };
}

// All the checks on one report; returns the failures (rule, message).
export async function checkReport(browser, file, { outDir = OUT, log = () => {} } = {}) {
  const failures = [];
  const fail = (rule, message) => failures.push({ rule, message });
  const text = readFileSync(file, 'utf8');
  for (const s of staticChecks(text)) fail(s.rule, `line ${s.line}: ${s.what}`);

  const name = path.basename(file).replace(/\.html?$/i, '');
  mkdirSync(outDir, { recursive: true });
  const { context, page } = await open(browser, file, SCREEN, fail);
  try {
    // Screen.
    await page.screenshot({ fullPage: true, path: path.join(outDir, `${name}.png`) });
    const screen = await measure(page);
    if (screen.charts.length === 0) fail('screen/no-charts', 'no svg.chart element');
    checkBoxes(screen, 'screen', fail);
    await checkTexts(page, fail);

    // Print, at the printable width of the narrower paper.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize(PRINT);
    const print = await measure(page);
    checkBoxes(print, 'print', fail);
    for (const c of print.charts) {
      if (c.height > PRINT.height) {
        fail('print/chart-height', `${chartName(c)} is ${Math.round(c.height)} px tall, the printable height ${PRINT.height} px`);
      }
    }
    if (print.sections === 0) fail('pdf/pages', 'no section.page element: the print layout has no pages');

    const pdfs = [];
    for (const paper of PAPERS) {
      const out = path.join(outDir, `${name}.${paper.suffix}.pdf`);
      await page.pdf({ path: out, format: paper.name, printBackground: true, preferCSSPageSize: true });
      const info = pdfinfo(out);
      pdfs.push(`${paper.name} ${info.pages}`);
      if (Math.abs(info.width - paper.width) > 2 || Math.abs(info.height - paper.height) > 2) {
        fail('pdf/page-size', `${paper.name} PDF is ${info.width} x ${info.height} pt, expected ${paper.width} x ${paper.height}`);
      }
      if (info.pages !== print.sections) {
        const tall = await tallSections(page, paper);
        fail('pdf/pages', `${paper.name} PDF has ${info.pages} pages for ${print.sections} section.page: a section does not fit one ${paper.name} page`
          + (tall.length ? `; too tall: ${tall.join('; ')}` : ''));
      }
    }
    log(`${screen.charts.length} charts, ${print.sections} pages (PDF: ${pdfs.join(', ')})`);
  } finally {
    await context.close();
  }
  return failures;
}

async function screenshot(browser, out, file, selector) {
  const failures = [];
  const fail = (rule, message) => failures.push({ rule, message });
  const { context, page } = await open(browser, file, { width: SHOT.width, height: SHOT.height }, fail);
  try {
    // From the top of the element (to its end, if shorter than the
    // picture: no chart cut in half at the bottom) or of the report.
    let top = 0;
    let height = SHOT.height;
    if (selector) {
      const box = await page.evaluate((sel) => {
        const el = document.querySelector(sel);
        if (!el) return null;
        const r = el.getBoundingClientRect();
        return { top: Math.floor(r.top + window.scrollY), height: Math.ceil(r.height) };
      }, selector);
      if (box === null) throw new Error(`${file}: nothing matches ${selector}`);
      top = box.top;
      height = Math.min(SHOT.height, box.height);
    }
    const docHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    top = Math.max(0, Math.min(top, docHeight - height));
    mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    await page.screenshot({
      path: out, type: 'png', fullPage: true, clip: { x: 0, y: top, width: SHOT.width, height },
    });
  } finally {
    await context.close();
  }
  const bytes = statSync(out).size;
  if (bytes > SHOT.maxBytes) fail('screenshot/size', `${out} is ${bytes} bytes, more than ${SHOT.maxBytes}`);
  return { failures, bytes };
}

// f over the items, a few at a time (each in its own browser context),
// results in the items' order.
async function inParallel(items, f, width = 4) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await f(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------
// Self-test: samples that follow the report's conventions, one good and one
// per broken rule; each must fail with exactly the rules it breaks (the good
// one with none), so a check that stops firing, or fires where it should
// not, shows here.

function chart(title, { h = 340, attrs = '', extra = '' } = {}) {
  const pts = [];
  for (let i = 0; i <= 60; i++) pts.push(`${(60 + i * 10).toFixed(1)},${(h - 40 - i * i * 0.06).toFixed(1)}`);
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 ${h}" width="100%" role="img"${attrs}>
<title>${title}</title>
<defs><pattern id="hatch-${title.length}" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0,6 L6,0" stroke="#ddd"/></pattern></defs>
<rect x="60" y="20" width="620" height="${h - 60}" fill="url(#hatch-${title.length})"/>
<line x1="60" y1="${h - 40}" x2="680" y2="${h - 40}" stroke="#000"/>
<line x1="60" y1="20" x2="60" y2="${h - 40}" stroke="#000"/>
<polyline fill="none" stroke="#D55E00" stroke-width="2" points="${pts.join(' ')}"/>
<text x="370" y="${h - 10}" text-anchor="middle" font-size="12">Month</text>
<text x="20" y="${h / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 20 ${h / 2})">Cumulative cash, USD</text>
<text x="70" y="${h - 26}" font-size="12">2026</text><text x="130" y="${h - 26}" font-size="12">2027</text>
<text x="80" y="40" font-size="12">mine</text><text x="80" y="54" font-size="12">ai</text>${extra}
</svg>`;
}

function table(rows) {
  const body = [];
  for (let i = 1; i <= rows; i++) body.push(`<tr><td>Row ${i}</td><td>$${(i * 1234567).toLocaleString('en-US')}</td><td>${i}%</td></tr>`);
  return `<table><thead><tr><th>Item</th><th>Value</th><th>Share</th></tr></thead><tbody>${body.join('\n')}</tbody></table>`;
}

function doc(sections, { head = '' } = {}) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>sample report</title>
<style>
body { font-family: sans-serif; margin: 0; }
main { max-width: 960px; margin: 0 auto; padding: 0 16px; }
svg.chart { display: block; max-width: 100%; height: auto; break-inside: avoid; }
table { border-collapse: collapse; } td, th { border: 1px solid #888; padding: 2px 6px; }
@page { margin: 12mm; }
@media print {
  main { max-width: none; padding: 0; }
  section.page + section.page { break-before: page; }
}
</style>${head}</head>
<body><main>
${sections.map((s) => `<section class="page">\n${s}\n</section>`).join('\n')}
</main></body></html>
`;
}

const GOOD = [
  `<h1>Sample</h1><p>Verdict: convert.</p>${table(8)}${chart('Cumulative cash')}`,
  `<h2>Site A</h2>${chart('Cumulative cash A')}${chart('Hashprice A')}`,
  `<h2>Risk</h2>${chart('Fan')}<p>See <a href="#top">the top</a>.</p>`,
];

const SAMPLES = [
  { name: 'good', expect: [], html: doc(GOOD) },
  {
    name: 'script',
    expect: ['static/script', 'browser/console', 'browser/pageerror'],
    html: doc([...GOOD.slice(0, 2), `${GOOD[2]}<script>console.error('boom'); throw new Error('bang');</script>`]),
  },
  {
    name: 'onload',
    expect: ['static/script', 'browser/console'],
    html: doc([GOOD[0], `<h2>x</h2>${chart('Handler', { attrs: ' onload="console.warn(\'hi\')"' })}`]),
  },
  {
    name: 'external-href',
    expect: ['static/external-ref'],
    says: /^line 59: <a href="https:\/\/example\.com\/hashpivot"> is a URL$/,
    html: doc([GOOD[0], `${GOOD[1]}<p><a href="https://example.com/hashpivot">project</a></p>`]),
  },
  {
    name: 'external-img',
    expect: ['static/external-ref', 'browser/network', 'browser/console'],
    html: doc([`${GOOD[0]}<img src="http://127.0.0.1:9/logo.png" alt="logo">`, GOOD[1]]),
  },
  {
    name: 'relative-src',
    expect: ['static/external-ref', 'browser/network', 'browser/console'],
    html: doc([`${GOOD[0]}<img src="logo.png" alt="logo">`]),
  },
  {
    name: 'import-font',
    expect: ['static/import', 'static/url', 'browser/network', 'browser/console'],
    html: doc([GOOD[0]], { head: `<style>@import url("http://127.0.0.1:9/font.css"); body { background: url(bg.png); }</style>` }),
  },
  {
    name: 'link-stylesheet',
    expect: ['static/element', 'static/external-ref', 'browser/network', 'browser/console'],
    html: doc([GOOD[0]], { head: '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">' }),
  },
  {
    name: 'iframe',
    expect: ['static/element'],
    html: doc([`${GOOD[0]}<iframe title="x" srcdoc="&lt;p&gt;hi"></iframe>`]),
  },
  {
    // Gets past the static rules (a quoted string, no url()): only the
    // browser sees the request.
    name: 'hidden-request',
    expect: ['browser/network', 'browser/console'],
    html: doc([GOOD[0]], { head: '<style>body { background-image: image-set("http://127.0.0.1:9/bg.png" 1x); }</style>' }),
  },
  {
    name: 'no-charts',
    expect: ['screen/no-charts'],
    html: doc([`<h1>Only a table</h1>${table(5)}`]),
  },
  {
    name: 'empty-chart',
    expect: ['screen/chart-box', 'print/chart-box'],
    html: doc([GOOD[0], `<h2>x</h2>${chart('Hidden', { attrs: ' style="display:none"' })}`]),
  },
  {
    name: 'chart-too-wide',
    expect: ['screen/chart-box', 'print/chart-box', 'screen/scroll', 'print/scroll'],
    says: /chart 2 "Wide" ends right of the page width/,
    html: doc([GOOD[0], `<h2>Wide</h2>${chart('Wide', { attrs: ' style="width:1200px;max-width:none"' })}`]),
  },
  {
    name: 'chart-too-wide-in-print',
    expect: ['print/chart-box', 'print/scroll'],
    html: doc([GOOD[0], `<h2>Wide</h2>${chart('Wide in print', { attrs: ' style="min-width:800px"' })}`]),
  },
  {
    name: 'labels-overlap',
    expect: ['screen/text-overlap'],
    html: doc([GOOD[0], `<h2>x</h2>${chart('Crowded', { extra: '<text x="300" y="100" font-size="12">2028 halving</text><text x="330" y="104" font-size="12">go-live</text>' })}`]),
  },
  {
    name: 'label-cut',
    expect: ['screen/text-clipped'],
    html: doc([GOOD[0], `<h2>x</h2>${chart('Cut', { extra: '<text x="700" y="30" font-size="12">$1,500,000,000</text>' })}`]),
  },
  {
    name: 'chart-too-tall',
    expect: ['print/chart-height', 'pdf/pages'],
    html: doc([GOOD[0], `<h2>Tall</h2>${chart('Tall', { h: 1100 })}`]),
  },
  {
    name: 'section-overflows',
    expect: ['pdf/pages'],
    says: /A4 PDF has 4 pages for 3 section\.page.*too tall: section 2 "Long table"/,
    html: doc([GOOD[0], `<h2>Long table</h2>${table(80)}`, GOOD[2]]),
  },
  {
    name: 'no-sections',
    expect: ['pdf/pages'],
    html: doc([GOOD[0]]).replace(/<section class="page">|<\/section>/g, ''),
  },
];

async function selfTest(browser) {
  const dir = path.join(OUT, 'self-test');
  mkdirSync(dir, { recursive: true });
  const results = await inParallel(SAMPLES, (s) => {
    const file = path.join(dir, `${s.name}.html`);
    writeFileSync(file, s.html);
    return checkReport(browser, file, { outDir: dir });
  });
  let bad = 0;
  for (const [i, s] of SAMPLES.entries()) {
    const failures = results[i];
    const rules = [...new Set(failures.map((f) => f.rule))].sort();
    const missing = s.expect.filter((r) => !rules.includes(r));
    const unexpected = rules.filter((r) => !s.expect.includes(r));
    // Exactly the rules it breaks: a blocked request also logs a console
    // error, so those samples expect both.
    // and, where the sample says so, with a message that names the culprit.
    const unsaid = s.says && !failures.some((f) => s.says.test(f.message));
    const ok = missing.length === 0 && unexpected.length === 0 && !unsaid;
    if (!ok) bad++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${s.name}: ${rules.length ? rules.join(', ') : 'passes'}`
      + (missing.length ? ` (missing: ${missing.join(', ')})` : '')
      + (unexpected.length ? ` (unexpected: ${unexpected.join(', ')})` : '')
      + (unsaid ? ` (no message matches ${s.says})` : ''));
    if (!ok) for (const f of failures) console.log(`       ${f.rule}: ${f.message}`);
  }
  // A static rule's message names the line.
  const lines = staticChecks('<p>a</p>\n<p>b</p>\n<script>x</script>\n');
  if (lines.length !== 1 || lines[0].line !== 3) {
    bad++;
    console.log(`FAIL static line numbers: ${JSON.stringify(lines)}`);
  }
  // The SVG namespace and in-document references are fine.
  const clean = staticChecks('<svg xmlns="http://www.w3.org/2000/svg"><use href="#a"/><rect fill="url(#p)"/></svg>\n<p>href = http://x in prose</p>');
  if (clean.length !== 0) {
    bad++;
    console.log(`FAIL static false positive: ${JSON.stringify(clean)}`);
  }
  console.log(bad === 0 ? `self-test: all ${SAMPLES.length} samples behave` : `self-test: ${bad} sample(s) misbehave`);
  return bad === 0;
}

// ---------------------------------------------------------------------------

function usage() {
  console.error('usage: check-report.mjs REPORT.html...\n'
    + '       check-report.mjs --self-test\n'
    + '       check-report.mjs --screenshot OUT.png REPORT.html [SELECTOR]');
  process.exit(2);
}

async function main(argv) {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) usage();
  const browser = await launch();
  try {
    if (argv[0] === '--self-test') {
      if (argv.length !== 1) usage();
      return (await selfTest(browser)) ? 0 : 1;
    }
    if (argv[0] === '--screenshot') {
      if (argv.length !== 3 && argv.length !== 4) usage();
      const [out, file, selector] = argv.slice(1);
      const { failures, bytes } = await screenshot(browser, out, file, selector);
      for (const f of failures) console.error(`${file}: ${f.rule}: ${f.message}`);
      if (failures.length === 0) console.log(`${out}: ${bytes} bytes, from ${file}`);
      return failures.length ? 1 : 0;
    }
    if (argv.some((a) => a.startsWith('--'))) usage();
    const summaries = [];
    const results = await inParallel(argv, (file, i) => checkReport(browser, file, { log: (s) => { summaries[i] = s; } }));
    let failed = 0;
    for (const [i, file] of argv.entries()) {
      const summary = summaries[i] || '';
      const failures = results[i];
      if (failures.length === 0) {
        console.log(`OK ${file}: ${summary}`);
      } else {
        failed++;
        for (const f of failures) console.log(`${file}: ${f.rule}: ${f.message}`);
        console.log(`FAILED ${file}: ${failures.length} problem(s)${summary ? `; ${summary}` : ''}`);
      }
    }
    if (failed) console.log(`${failed} of ${argv.length} report(s) failed; pictures and PDFs in ${path.relative(process.cwd(), OUT) || OUT}`);
    return failed ? 1 : 0;
  } finally {
    await browser.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`check-report: ${err && err.stack ? err.stack : err}`);
    process.exit(2);
  },
);
