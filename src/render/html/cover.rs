//! The first pages: the verdict per site, the portfolio, the scenario's
//! assumptions, then the figures of `run`'s table, sites side by side.
//!
//! **The verdict leads with the decision.** `run` compares mining with
//! converting at the file's own start; `pivot` tries every start month.
//! When pivot's best start is another month (and beats never converting)
//! the decision a CFO signs is pivot's, so the headline is "convert in
//! 2029-11" with the three NPVs behind it, and `run`'s winner follows,
//! smaller, as what it is: the answer at the file's own start. When the
//! two agree (pivot's best start is the file's own, or pivot says keep
//! mining) the headline is `run`'s winner in `run`'s words and pivot's
//! sentence follows. The headline rounds as pivot's sentences do
//! ([`compact`]); the cents are in the tables and in a note.
//!
//! **Pages that hold.** How much goes on a page is estimated, not
//! measured (there is no layout engine here): each block's height in
//! millimetres from its text length at a deliberately low count of
//! characters a line, against the 255 mm a page has on A4 and Letter
//! less [`SLACK_MM`]. The cover holds as many verdicts as fit beside the
//! assumptions, the rest follow on pages of their own; [`FIGURE_SITES`]
//! sites share a figures page.

use super::{Report, escape};
use crate::calendar::YearMonth;
use crate::pivot::{Pivot, SitePivot, Verdict};
use crate::render::number::{compact, group, money, places, stated, stated_money, stated_percent};
use crate::render::overrides_list;
use crate::render::table::{
    NULL, caveats, conversion_parts, flip_line, growth, labels, portfolio, power_text,
    site_columns, winner_line,
};
use crate::scenario::{AiKind, Fleet, Shutdown, Site};
use crate::summary::{SiteSummary, Summary, Winner};
use rust_decimal::Decimal;
use std::fmt::Write;

/// Sites whose assumptions and figures fit side by side on one page.
const FIGURE_SITES: usize = 2;

/// The height of a printed page's content: Letter's 279.4 mm less two
/// 12 mm margins (A4's is taller).
const PAGE_MM: f64 = 255.0;
/// What the estimate keeps free for its own error.
const SLACK_MM: f64 = 15.0;

/// A kind of text block: its line height in mm (font size × 1.35, in
/// the stylesheet's points at 0.3528 mm) and the characters a line is
/// assumed to hold on a 186 mm page, about four fifths of what an
/// average line of Helvetica holds, so a block is rather over- than
/// under-estimated.
#[derive(Debug, Clone, Copy)]
struct Text {
    line_mm: f64,
    chars: usize,
}

/// The scenario's name (19 pt bold, line height 1.2).
const TITLE: Text = Text {
    line_mm: 8.05,
    chars: 44,
};
/// The lead sentence (11 pt).
const LEAD: Text = Text {
    line_mm: 5.24,
    chars: 85,
};
/// A verdict's headline (11.5 pt bold).
const HEADLINE: Text = Text {
    line_mm: 5.48,
    chars: 64,
};
/// Body text (10 pt).
const BODY: Text = Text {
    line_mm: 4.76,
    chars: 86,
};
/// A caveat (9 pt, indented 5 mm).
const CAVEAT: Text = Text {
    line_mm: 4.29,
    chars: 92,
};
/// A note (8 pt).
const NOTE: Text = Text {
    line_mm: 3.81,
    chars: 110,
};
/// An assumptions value (8.5 pt, beside a ~35 mm key column), and its key.
const CELL: Text = Text {
    line_mm: 4.05,
    chars: 84,
};
const KEY: Text = Text {
    line_mm: 4.05,
    chars: 14,
};
/// A section title (14 pt, on one line) with its rule and margins.
const H2_MM: f64 = 10.5;
/// An assumptions row's padding and rule; the caption with its padding.
const ROW_MM: f64 = 1.2;
const CAPTION_MM: f64 = 9.0;

impl Text {
    /// The height of `text` in this kind, in mm: its lines (at least one)
    /// times the line height.
    fn mm(self, text: &str) -> f64 {
        let n = text.chars().count().div_ceil(self.chars).max(1);
        n as f64 * self.line_mm
    }
}

/// A site's verdict as the cover shows it.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    name: String,
    /// `mine`, `ai` or `tie`: the headline's decision.
    class: &'static str,
    /// The decision, after the site's name.
    headline: String,
    /// Whether the headline is pivot's decision (else `run`'s winner).
    pivot_leads: bool,
    /// What qualifies the headline: the caveats of whichever command it
    /// comes from.
    headline_notes: Vec<String>,
    /// The second line: `run`'s answer at the file's own start under a
    /// headline of pivot's, pivot's sentence under one of `run`'s.
    then: Option<String>,
    /// The caveats of the second line's command.
    notes: Vec<String>,
    /// For "Sites to convert": when (`in 2029-11`, `now (2026-01)`, `AI
    /// only`); `None` for a site that keeps mining.
    convert: Option<String>,
}

impl Entry {
    /// Its estimated printed height, list-item gap included.
    fn mm(&self) -> f64 {
        let head = format!("{}: {}", self.name, self.headline);
        let mut h = HEADLINE.mm(&head) + 2.5;
        h += self.then.as_deref().map_or(0.0, |t| BODY.mm(t) + 0.5);
        for n in self.headline_notes.iter().chain(&self.notes) {
            h += CAVEAT.mm(n);
        }
        if !self.headline_notes.is_empty() {
            h += 0.5;
        }
        if !self.notes.is_empty() {
            h += 0.5;
        }
        h
    }
}

/// Start month `s` of a pivot.
/// Whether pivot's decision leads a site's verdict: converting at its
/// best start, which is not the file's own (then the site's pages, which
/// draw the file's own plan, say so).
pub(super) fn pivot_leads(sp: &SitePivot) -> bool {
    sp.verdict == Verdict::Convert && sp.best_start.is_some_and(|b| b != sp.planned_start)
}

pub(super) fn start_month(p: &Pivot, s: usize) -> YearMonth {
    p.start.add_months(u32::try_from(s).unwrap_or(u32::MAX))
}

/// A start in words: `now (2026-01)` for the first month, `in 2029-11`
/// after.
fn start_words(p: &Pivot, s: usize) -> String {
    if s == 0 {
        format!("now ({})", p.start)
    } else {
        format!("in {}", start_month(p, s))
    }
}

/// The decision of `run`'s winner line, without "Winner: ".
fn run_decision(winner: Winner, by: Decimal) -> String {
    match winner {
        Winner::Mine => format!("keep mining, by {} of NPV", money(by, places::USD)),
        Winner::Ai => format!("convert to AI, by {} of NPV", money(by, places::USD)),
        Winner::Tie => "a tie: both futures have the same NPV".to_string(),
    }
}

/// `text` with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A site's entry: the headline that combines `run` and `pivot`, the
/// line under it and the caveats.
fn entry(s: &Summary, pivot: Option<&Pivot>, site: &SiteSummary) -> Entry {
    let mut e = Entry {
        name: site.name.clone(),
        class: "tie",
        headline: String::new(),
        pivot_leads: false,
        headline_notes: Vec::new(),
        then: None,
        notes: Vec::new(),
        convert: None,
    };
    let comparison = match (&site.mine, &site.ai, &site.comparison) {
        (Some(m), None, _) => {
            e.class = "mine";
            e.headline = format!(
                "keep mining (no AI plan in the file): NPV {}",
                money(m.outcome.npv_usd, places::USD)
            );
            return e;
        }
        (None, Some(a), _) => {
            e.class = "ai";
            e.headline = format!(
                "AI only (no mining in the file): NPV {}",
                money(a.outcome.npv_usd, places::USD)
            );
            e.convert = Some("AI only".to_string());
            return e;
        }
        (Some(_), Some(_), Some(c)) => c,
        _ => {
            e.headline = "no strategy is modelled here".to_string();
            return e;
        }
    };
    let sp: Option<(&Pivot, &SitePivot)> =
        pivot.and_then(|p| Some((p, p.sites.iter().find(|x| x.name == site.name)?)));
    let mut run_notes = caveats(s, site);
    run_notes.extend(flip_line(s, site));
    match sp {
        // Pivot's best start is not the file's own: pivot's decision
        // leads, run's answer at the file's start follows.
        Some((p, sp)) if pivot_leads(sp) => {
            let (b, best) = (
                sp.best_start.unwrap_or_default(),
                sp.best_npv_usd.unwrap_or_default(),
            );
            let when = start_words(p, b);
            let now = if b == 0 {
                String::new()
            } else {
                format!(
                    " and {} to convert now ({})",
                    compact(sp.now_npv_usd, "$"),
                    p.start
                )
            };
            e.class = "ai";
            e.pivot_leads = true;
            e.headline = format!(
                "convert {when} — NPV {}, against {} to keep mining{now}",
                compact(best, "$"),
                compact(sp.never_npv_usd, "$")
            );
            let mut cents = format!(
                "NPV to the cent (hashpivot pivot): converting {when} {}, keeping mining {}",
                money(best, places::USD),
                money(sp.never_npv_usd, places::USD)
            );
            if b != 0 {
                let _ = write!(
                    cents,
                    ", converting now ({}) {}",
                    p.start,
                    money(sp.now_npv_usd, places::USD)
                );
            }
            e.headline_notes.push(cents);
            e.headline_notes
                .extend(crate::render::pivot::caveats(s, p, sp));
            let at = match comparison.winner {
                Winner::Mine => format!(
                    "keep mining wins by {} of NPV",
                    money(comparison.npv_advantage_usd, places::USD)
                ),
                Winner::Ai => format!(
                    "convert to AI wins by {} of NPV",
                    money(comparison.npv_advantage_usd, places::USD)
                ),
                Winner::Tie => "mining and converting have the same NPV".to_string(),
            };
            e.then = Some(format!(
                "At the file's own start ({}): {at}.",
                start_month(p, sp.planned_start)
            ));
            e.notes = run_notes;
            e.convert = Some(when);
        }
        // Pivot agrees with run (or there is no pivot): run's winner in
        // run's words, then pivot's sentence on when.
        _ => {
            e.class = match comparison.winner {
                Winner::Mine => "mine",
                Winner::Ai => "ai",
                Winner::Tie => "tie",
            };
            e.headline = run_decision(comparison.winner, comparison.npv_advantage_usd);
            e.headline_notes = run_notes;
            if let Some((p, sp)) = sp {
                e.then = Some(format!(
                    "{}.",
                    capitalised(&crate::render::pivot::verdict_sentence(p, sp))
                ));
                // Run's caveat on two negative NPVs already says what
                // pivot's would.
                let both_negative = e.headline_notes.iter().any(|n| n.starts_with("Both NPVs"));
                e.notes.extend(
                    crate::render::pivot::caveats(s, p, sp)
                        .into_iter()
                        .filter(|n| !(both_negative && n.starts_with("Both are negative"))),
                );
                if comparison.winner == Winner::Ai {
                    e.convert = Some(start_words(p, sp.planned_start));
                }
            } else if comparison.winner == Winner::Ai {
                e.convert = Some("at the file's own start".to_string());
            }
        }
    }
    e
}

/// The entries on the cover and on each page after it: the cover takes
/// every entry that fits under `cover_mm` of fixed content (less the
/// note that says more follow, when some must move), each following page
/// as many as fit; every page at least one.
fn split(entries: &[Entry], cover_mm: f64) -> (usize, Vec<std::ops::Range<usize>>) {
    let room = PAGE_MM - SLACK_MM;
    let total: f64 = entries.iter().map(Entry::mm).sum();
    let on_cover = if cover_mm + total <= room {
        entries.len()
    } else {
        fill(entries, room - cover_mm - (NOTE.line_mm + 2.0))
    };
    let mut pages = Vec::new();
    let mut from = on_cover;
    while from < entries.len() {
        let n = fill(&entries[from..], room - H2_MM - 5.0);
        pages.push(from..from + n);
        from += n;
    }
    (on_cover, pages)
}

/// How many of `entries` (at least one when there is one) fit in `room`
/// mm.
fn fill(entries: &[Entry], room: f64) -> usize {
    let mut used = 0.0;
    let mut n = 0;
    for e in entries {
        used += e.mm();
        if used > room && n > 0 {
            break;
        }
        n += 1;
    }
    n.min(entries.len())
}

/// The cover, the pages of verdicts that follow it, then the figures
/// pages.
pub(super) fn pages(r: &Report) -> Vec<String> {
    let s = r.summary;
    let entries: Vec<Entry> = s.sites.iter().map(|x| entry(s, r.pivot, x)).collect();
    let figure_pages = s.sites.len().div_ceil(FIGURE_SITES).max(1);
    // The cover's fixed part, first drafted with the note on the pages
    // that follow (its wording is the same length either way).
    let mut fixed = String::new();
    let mut fixed_mm = head(&mut fixed, s);
    let portfolio = portfolio_block(s, &entries);
    if let Some((text, mm)) = &portfolio {
        fixed.push_str(text);
        fixed_mm += mm;
    }
    let (table, table_mm) = assumptions(r);
    fixed_mm += table_mm + H2_MM + 5.0 + NOTE.line_mm + 2.0;
    let (on_cover, more) = split(&entries, fixed_mm);

    let mut cover = String::new();
    head(&mut cover, s);
    cover.push_str("<h2>The verdict</h2>\n");
    verdicts(&mut cover, &entries[..on_cover]);
    let moved = entries.len() - on_cover;
    if moved > 0 {
        let _ = writeln!(
            cover,
            "<p class=\"note\">{}</p>",
            moved_note(moved, more.len())
        );
    }
    if let Some((text, _)) = &portfolio {
        cover.push_str(text);
    }
    cover.push_str(&table);
    let where_ = match (more.is_empty(), figure_pages) {
        (true, 1) => "on the next page",
        (true, _) => "on the figures pages that follow",
        (false, 1) => "on the figures page after the verdicts",
        (false, _) => "on the figures pages after the verdicts",
    };
    let _ = writeln!(
        cover,
        "<p class=\"note\">Each site's own assumptions and every figure of <code>hashpivot run</code> are {where_}.</p>"
    );
    let mut pages = vec![cover];
    for range in more {
        let mut out = String::from("<h2>The verdict, continued</h2>\n");
        verdicts(&mut out, &entries[range]);
        pages.push(out);
    }
    pages.extend(figures(s));
    pages
}

/// The note under the cover's verdicts when `moved` of them follow on
/// `pages` pages.
fn moved_note(moved: usize, pages: usize) -> String {
    let sites = if moved == 1 {
        "1 more site".to_string()
    } else {
        format!("{moved} more sites")
    };
    let pages = if pages == 1 { "page" } else { "pages" };
    format!("The verdicts of {sites} follow on the next {pages}.")
}

/// The title and the lead sentence; their estimated height.
fn head(out: &mut String, s: &Summary) -> f64 {
    let _ = writeln!(out, "<h1>{}</h1>", escape(&s.scenario));
    let last = s.month(s.months.saturating_sub(1) as usize);
    let lead = format!(
        "Keep mining, or convert to AI hosting? {} months, {} to {}, discounted at {} a year.",
        s.months,
        s.start,
        last,
        stated_percent(s.inputs.discount_rate)
    );
    let _ = writeln!(out, "<p class=\"lead\">{}</p>", escape(&lead));
    TITLE.mm(&s.scenario) + 2.0 + LEAD.mm(&lead) + 4.0
}

/// The figures pages.
fn figures(s: &Summary) -> Vec<String> {
    let mut pages = Vec::new();
    let chunks: Vec<&[SiteSummary]> = s.sites.chunks(FIGURE_SITES).collect();
    let count = chunks.len();
    for (k, chunk) in chunks.into_iter().enumerate() {
        let mut out = String::new();
        if count > 1 {
            let _ = writeln!(out, "<h2>The figures ({} of {count})</h2>", k + 1);
        } else {
            out.push_str("<h2>The figures</h2>\n");
        }
        site_assumptions(&mut out, s, chunk);
        summary_table(&mut out, s, chunk);
        pages.push(out);
    }
    pages
}

/// The verdicts as a list: per site its headline, what qualifies it, the
/// second line and the caveats.
fn verdicts(out: &mut String, entries: &[Entry]) {
    out.push_str("<ul class=\"verdicts\">\n");
    for e in entries {
        let _ = write!(
            out,
            "<li class=\"{}\"><span class=\"verdict\">{}: {}</span>",
            e.class,
            escape(&e.name),
            escape(&e.headline)
        );
        // Pivot's caveats in a list of their own class: `run`'s caveats
        // are `run`'s words, these are not.
        list(out, &e.headline_notes, e.pivot_leads);
        if let Some(t) = &e.then {
            let _ = write!(out, "\n<p class=\"then\">{}</p>", escape(t));
        }
        list(out, &e.notes, !e.pivot_leads);
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

/// A list of caveats, when there is one, `pivot`'s or `run`'s.
fn list(out: &mut String, notes: &[String], pivot: bool) {
    if notes.is_empty() {
        return;
    }
    if pivot {
        out.push_str("\n<ul class=\"caveats pivot\">");
    } else {
        out.push_str("\n<ul class=\"caveats\">");
    }
    for n in notes {
        let _ = write!(out, "<li>{}</li>", escape(n));
    }
    out.push_str("</ul>");
}

/// Format 2 with several sites: `run`'s portfolio NPV and the sites to
/// convert as the headlines decide them (name and when, `;` between, as
/// a name may hold a comma); its estimated height.
fn portfolio_block(s: &Summary, entries: &[Entry]) -> Option<(String, f64)> {
    let (parts, _) = portfolio(s)?;
    // Run's totals convert each site at the file's own start: say so when
    // a headline converts at another month.
    let at = if entries.iter().any(|e| e.pivot_leads) {
        " (converting at each site's planned start)"
    } else {
        ""
    };
    let npv = format!("Portfolio NPV{at} — {}", parts.join(" · "));
    let which: Vec<String> = entries
        .iter()
        .filter_map(|e| Some(format!("{} ({})", e.name, e.convert.as_deref()?)))
        .collect();
    let which = if which.is_empty() {
        "none".to_string()
    } else {
        which.join("; ")
    };
    let text = format!(
        "<p class=\"portfolio\"><b>Portfolio NPV</b>{} — {}<br><b>Sites to convert:</b> {}</p>\n",
        escape(at),
        escape(&parts.join(" · ")),
        escape(&which)
    );
    let mm = BODY.mm(&npv) + BODY.mm(&format!("Sites to convert: {which}")) + 2.0;
    Some((text, mm))
}

/// The scenario's assumptions, what every site shares, as a table; its
/// estimated height.
fn assumptions(r: &Report) -> (String, f64) {
    let mut rows: Vec<(&str, String)> = Vec::new();
    let mut row = |key: &'static str, value: &str| rows.push((key, value.to_string()));
    let s = r.summary;
    let inputs = &s.inputs;
    let btc = &inputs.bitcoin;
    let last = s.month(s.months.saturating_sub(1) as usize);
    row(
        "Horizon",
        &format!("{} months, {} to {}", s.months, s.start, last),
    );
    row(
        "Discount rate",
        &format!("{} a year", stated_percent(inputs.discount_rate)),
    );
    row(
        "BTC price",
        &format!(
            "{} in {}, {}",
            stated_money(btc.price_usd),
            s.start,
            growth(btc.price_growth_annual)
        ),
    );
    row(
        "Network hashrate",
        &format!(
            "{} EH/s in {}, {}",
            stated(btc.network_hashrate_ehs),
            s.start,
            growth(btc.hashrate_growth_annual)
        ),
    );
    row(
        "Fees",
        &format!("{} BTC a block", stated(btc.fees_btc_per_block)),
    );
    row(
        "Hashprice",
        &format!(
            "{}/PH/s/day in {}",
            money(s.hashprice_usd_per_ph_day(), places::RATE),
            s.start
        ),
    );
    let halvings = if s.halvings.is_empty() {
        "none within the horizon".to_string()
    } else {
        s.halvings
            .iter()
            .map(|h| format!("block {} in {}", group(&h.height.to_string()), h.month))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    row("Halvings", &halvings);
    if let Some(f) = &inputs.format2 {
        row("Opex", &growth(f.inflation_annual));
    }
    if let Some(risk) = &r.risk {
        let k = &risk.simulation.settings.risk;
        row(
            "Risk",
            &format!(
                "BTC price volatility {} a year, network hashrate {} a year, correlation {}, GPU-hour rate {} a year, tenant default {} a year; {} paths, seed {}",
                stated_percent(k.price_vol_annual),
                stated_percent(k.hashrate_vol_annual),
                stated(k.price_hashrate_corr),
                stated_percent(k.gpu_hour_vol_annual),
                stated_percent(k.lease_default_annual),
                group(&risk.simulation.settings.paths.to_string()),
                risk.simulation.settings.seed
            ),
        );
    }
    if !s.overrides.is_empty() {
        row("Overrides", &overrides_list(s).join(" · "));
    }
    let mut out =
        String::from("<table class=\"assumptions\">\n<caption>Assumptions</caption>\n<tbody>\n");
    let mut mm = CAPTION_MM + 3.0;
    for (key, value) in &rows {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{key}</th><td>{}</td></tr>",
            escape(value)
        );
        mm += KEY.mm(key).max(CELL.mm(value)) + ROW_MM;
    }
    out.push_str("</tbody>\n</table>\n");
    (out, mm)
}

/// A hashrate in TH/s as PH/s (exact, stated).
fn petahash(ths: Decimal) -> String {
    format!("{} PH/s", stated(ths / Decimal::ONE_THOUSAND))
}

/// The site's own inputs, one column per site.
fn site_assumptions(out: &mut String, s: &Summary, chunk: &[SiteSummary]) {
    let inputs: Vec<Option<&Site>> = chunk
        .iter()
        .map(|x| s.inputs.sites.iter().find(|i| i.name == x.name))
        .collect();
    let format2 = s.inputs.format2.is_some();
    let mut rows: Vec<(&str, Vec<String>)> = Vec::new();
    let cell = |f: &dyn Fn(&Site) -> Option<String>| -> Vec<String> {
        inputs
            .iter()
            .map(|i| i.and_then(f).unwrap_or_else(|| NULL.to_string()))
            .collect()
    };
    rows.push(("Grid", cell(&|i| Some(format!("{} MW", stated(i.grid_mw))))));
    rows.push(("Power", cell(&|i| Some(power_text(i, "", "")))));
    rows.push((
        "Mining fleet",
        cell(&|i| {
            let m = i.mining.as_ref()?;
            let ths = m.fleet.hashrate_ths().ok()?;
            let it = m.fleet.it_mw().ok()?;
            let rows = match &m.fleet {
                Fleet::Rows(rows) => format!(
                    " ({})",
                    rows.iter()
                        .map(|r| format!("{} {}", group(&r.count.to_string()), r.model))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Fleet::Single { .. } => String::new(),
            };
            Some(format!(
                "{}, {} MW IT{rows}",
                petahash(ths),
                stated(it.round_dp(2))
            ))
        }),
    ));
    rows.push((
        "Mining capex",
        cell(&|i| Some(stated_money(i.mining.as_ref()?.capex_usd))),
    ));
    if format2 {
        rows.push((
            "Switching off",
            cell(&|i| {
                let m = i.mining.as_ref()?;
                let mut t = match m.f2.shutdown {
                    Shutdown::Economic => "at a loss (economic)".to_string(),
                    Shutdown::Never => "never".to_string(),
                };
                if !m.f2.demand_response_usd_per_mw_month.is_zero() {
                    t = format!(
                        "{t}; demand response {}/MW-month",
                        stated_money(m.f2.demand_response_usd_per_mw_month)
                    );
                }
                Some(t)
            }),
        ));
    }
    rows.push((
        "AI offer",
        cell(&|i| {
            let a = i.ai.as_ref()?;
            Some(match &a.kind {
                AiKind::Colocation {
                    it_mw,
                    lease_usd_per_kw_month,
                    lease_escalator_annual,
                    ..
                } => format!(
                    "colocation, {} MW IT at {}/kW-month, {}",
                    stated(*it_mw),
                    stated_money(*lease_usd_per_kw_month),
                    growth(*lease_escalator_annual)
                ),
                AiKind::GpuCloud {
                    gpu_count,
                    gpu_hour_usd,
                    utilization,
                    ..
                } => format!(
                    "GPU cloud, {} GPUs at {}/GPU-hour, {} used",
                    group(&gpu_count.to_string()),
                    stated_money(*gpu_hour_usd),
                    stated_percent(*utilization)
                ),
            })
        }),
    ));
    rows.push((
        "AI capex and build",
        cell(&|i| {
            let a = i.ai.as_ref()?;
            Some(format!(
                "{}, {} months' build, {} months' ramp",
                stated_money(a.conversion_capex_usd),
                a.build_months,
                a.ramp_months
            ))
        }),
    ));
    rows.push((
        "AI go-live",
        chunk
            .iter()
            .map(|x| match &x.ai {
                Some(a) => a
                    .go_live
                    .map_or("not within horizon".to_string(), |g| g.to_string()),
                None => NULL.to_string(),
            })
            .collect(),
    ));
    if format2 {
        rows.push((
            "Exit multiples",
            cell(&|i| {
                let mut parts = Vec::new();
                if let Some(m) = &i.mining {
                    parts.push(format!("mining {}×", stated(m.f2.exit_multiple)));
                }
                if let Some(a) = &i.ai {
                    parts.push(format!("AI {}×", stated(a.f2.exit_multiple)));
                }
                Some(parts.join(", "))
            }),
        ));
    }
    out.push_str(
        "<table class=\"sites\">\n<caption>Each site's assumptions</caption>\n<thead><tr><th></th>",
    );
    for site in chunk {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(&site.name));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (label, cells) in rows {
        let _ = write!(out, "<tr><th scope=\"row\">{label}</th>");
        for c in cells {
            let _ = write!(out, "<td>{}</td>", escape(&c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// A column of the figures table: its heading and cells.
type Column = (&'static str, Vec<String>);

/// `run`'s table of the sites in `chunk`, side by side: each site's two
/// futures, then its conversion line (format 2).
fn summary_table(out: &mut String, s: &Summary, chunk: &[SiteSummary]) {
    let labels = labels(s.inputs.format2.is_some());
    // Each site's columns: (heading, cells), as `run`'s table has them.
    let groups: Vec<(&str, Vec<Column>)> = chunk
        .iter()
        .map(|site| (site.name.as_str(), site_columns(site, false)))
        .collect();
    out.push_str("<table class=\"figures\">\n<caption>The figures of <code>hashpivot run</code></caption>\n<thead><tr><th></th>");
    for (name, columns) in &groups {
        let _ = write!(
            out,
            "<th class=\"n site\" colspan=\"{}\">{}</th>",
            columns.len().max(1),
            escape(name)
        );
    }
    out.push_str("</tr>\n<tr><th></th>");
    for (_, columns) in &groups {
        if columns.is_empty() {
            out.push_str("<th></th>");
        }
        for (heading, _) in columns {
            let _ = write!(out, "<th class=\"n\">{heading}</th>");
        }
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, label) in labels.iter().enumerate() {
        let key = if *label == "NPV" {
            " class=\"key\""
        } else {
            ""
        };
        let _ = write!(out, "<tr{key}><th scope=\"row\">{label}</th>");
        for (_, columns) in &groups {
            if columns.is_empty() {
                out.push_str("<td></td>");
            }
            for (_, cells) in columns {
                let text = cells.get(i).map_or("", String::as_str);
                let _ = write!(out, "<td class=\"n\">{}</td>", escape(text));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    for site in chunk {
        let mut lines: Vec<String> = winner_line(site).into_iter().collect();
        lines.extend(conversion_parts(site).map(|p| p.join(" · ")));
        if !lines.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"note\"><b>{}:</b> {}</p>",
                escape(&site.name),
                escape(&lines.join(". "))
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::sample;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// West Texas's figures (`pivot scenarios/texas-west-curtailment.toml`)
    /// on the sample's North: 120 starts from 2026-01, the best 46 months
    /// on (2026-01 + 3 years 10 months = 2029-11), the file planning the
    /// first. Every other start is worth what converting now is, so no
    /// other start is near the best and pivot adds no caveat.
    fn west_texas() -> (Summary, Pivot) {
        let mut s = sample::summary();
        let c = s.sites[0].comparison.as_mut().unwrap();
        c.winner = Winner::Mine;
        c.npv_advantage_usd = d("12772019.29");
        let (now, best, never) = (d("93050891.79"), d("152994788.29"), d("105822911.08"));
        let mut npvs = vec![now; 120];
        npvs[46] = best;
        let p = Pivot {
            scenario: "Hand-built".into(),
            start: YearMonth::parse("2026-01").unwrap(),
            months: 120,
            sites: vec![SitePivot {
                name: "North".into(),
                npv_by_start: npvs,
                last_start_limit: 97,
                best_start: Some(46),
                best_npv_usd: Some(best),
                now_npv_usd: now,
                never_npv_usd: never,
                value_of_waiting_usd: Some(best - now),
                verdict: Verdict::Convert,
                planned_start: 0,
                without_exit_values: None,
            }],
        };
        (s, p)
    }

    /// Pivot's best start is not the file's: the headline is pivot's
    /// decision, each NPV rounded as pivot's sentences round ($152.99M →
    /// $153M, $105.82M → $106M, $93.05M → $93M), then run's answer at the
    /// file's own start to the cent, and the cents of all three.
    #[test]
    fn the_headline_is_pivots_decision_when_a_later_start_wins() {
        let (s, p) = west_texas();
        let e = entry(&s, Some(&p), &s.sites[0]);
        assert_eq!(e.class, "ai");
        assert_eq!(
            e.headline,
            "convert in 2029-11 — NPV $153M, against $106M to keep mining and $93M to convert now (2026-01)"
        );
        assert_eq!(
            e.then.as_deref(),
            Some("At the file's own start (2026-01): keep mining wins by $12,772,019.29 of NPV.")
        );
        assert_eq!(
            e.headline_notes,
            [
                "NPV to the cent (hashpivot pivot): converting in 2029-11 $152,994,788.29, keeping mining $105,822,911.08, converting now (2026-01) $93,050,891.79"
            ]
        );
        assert_eq!(e.convert.as_deref(), Some("in 2029-11"));
        // Pivot's notes in a list of their own, run's caveats after run's
        // line in run's.
        assert!(e.pivot_leads);
        let mut html = String::new();
        verdicts(&mut html, &[e]);
        let pivot_list = html
            .find("<ul class=\"caveats pivot\"><li>NPV to the cent")
            .unwrap();
        let then = html
            .find("<p class=\"then\">At the file&#39;s own start")
            .unwrap();
        assert!(pivot_list < then, "{html}");
    }

    /// When pivot says keep mining, or its best start is the file's own,
    /// the headline is run's winner in run's words and pivot's sentence
    /// follows. Keep mining: 105,822,911.08 − 93,050,891.79 =
    /// 12,772,019.29 → $13M.
    #[test]
    fn the_headline_is_runs_winner_when_pivot_agrees() {
        let (s, mut p) = west_texas();
        let sp = &mut p.sites[0];
        sp.verdict = Verdict::Mine;
        sp.best_start = Some(0);
        sp.best_npv_usd = Some(sp.now_npv_usd);
        let e = entry(&s, Some(&p), &s.sites[0]);
        assert_eq!(e.class, "mine");
        assert_eq!(e.headline, "keep mining, by $12,772,019.29 of NPV");
        assert_eq!(
            e.then.as_deref(),
            Some(
                "Keep mining: the best month to convert, now (2026-01), is still worth $13M less than never converting."
            )
        );
        // Run's caveats under run's headline; pivot adds none here.
        assert!(!e.pivot_leads);
        assert_eq!(
            e.headline_notes,
            caveats(&s, &s.sites[0])
                .into_iter()
                .chain(flip_line(&s, &s.sites[0]))
                .collect::<Vec<_>>()
        );
        assert!(e.notes.is_empty());
        assert_eq!(e.convert, None);

        // The file plans the best start, 2029-11: run says convert there
        // (152,994,788.29 − 105,822,911.08 = 47,171,877.21).
        let (mut s, mut p) = west_texas();
        p.sites[0].planned_start = 46;
        let c = s.sites[0].comparison.as_mut().unwrap();
        c.winner = Winner::Ai;
        c.npv_advantage_usd = d("47171877.21");
        let e = entry(&s, Some(&p), &s.sites[0]);
        assert_eq!(e.class, "ai");
        assert_eq!(e.headline, "convert to AI, by $47,171,877.21 of NPV");
        // 152,994,788.29 − 93,050,891.79 = 59,943,896.50 → $60M.
        assert_eq!(
            e.then.as_deref(),
            Some(
                "Convert in 2029-11 (46 months from now): worth $60M more than converting now and $47M more than never converting."
            )
        );
        assert_eq!(e.convert.as_deref(), Some("in 2029-11"));
    }

    /// A site with one strategy gets that strategy's class; a tie the
    /// neutral one. North's mining NPV −1,500.005 is −$1,500.00 (half-even:
    /// 0 is even); South's AI −0.001 is $0.00.
    #[test]
    fn one_strategy_and_a_tie_get_their_own_class() {
        let mut s = sample::summary();
        let south = entry(&s, None, &s.sites[1]);
        assert_eq!(south.class, "ai");
        assert_eq!(south.headline, "AI only (no mining in the file): NPV $0.00");
        assert_eq!(south.convert.as_deref(), Some("AI only"));
        s.sites[0].comparison.as_mut().unwrap().winner = Winner::Tie;
        let tie = entry(&s, None, &s.sites[0]);
        assert_eq!(tie.class, "tie");
        s.sites[0].ai = None;
        s.sites[0].comparison = None;
        let north = entry(&s, None, &s.sites[0]);
        assert_eq!(north.class, "mine");
        assert_eq!(
            north.headline,
            "keep mining (no AI plan in the file): NPV -$1,500.00"
        );
        assert_eq!(north.convert, None);
    }

    /// An entry whose text fits one line of each kind.
    fn short(name: &str) -> Entry {
        Entry {
            name: name.into(),
            class: "mine",
            headline: "keep mining".into(),
            pivot_leads: false,
            headline_notes: Vec::new(),
            then: None,
            notes: Vec::new(),
            convert: None,
        }
    }

    /// The cover takes every verdict that fits, and moves the rest only
    /// when they do not. A one-line entry is 5.48 mm of headline and a
    /// 2.5 mm gap, 7.98 mm; the room is 255 − 15 = 240 mm. Four (31.92 mm)
    /// fit beside 208 mm of fixed content; beside 209 mm they do not,
    /// and the note's 5.81 mm leaves 240 − 209 − 5.81 = 25.19 mm: three
    /// (23.94 mm), the fourth on a page of its own.
    #[test]
    fn the_cover_is_filled_before_a_verdict_moves() {
        let entries: Vec<Entry> = ["A", "B", "C", "D"].map(short).to_vec();
        assert!((entries[0].mm() - 7.98).abs() < 1e-9);
        assert_eq!(split(&entries, 208.0), (4, vec![]));
        let (on_cover, more) = split(&entries, 209.0);
        assert_eq!((on_cover, more.len(), more.first()), (3, 1, Some(&(3..4))));
        // A page after the cover holds 240 − 10.5 − 5 = 224.5 mm: 28
        // entries (223.44 mm), so 40 entries beside a full cover take two.
        let many: Vec<Entry> = (0..40).map(|i| short(&i.to_string())).collect();
        assert_eq!(split(&many, 240.0), (1, vec![1..29, 29..40]));
        // A headline of 65 characters with the name takes two lines.
        let mut long = short("N");
        long.headline = "x".repeat(62);
        assert!((long.mm() - (2.0 * 5.48 + 2.5)).abs() < 1e-9);
    }

    /// The whole cover of the sample as format 2: the portfolio in words,
    /// with a count only where a strategy is missing from a site; the
    /// sites to convert split by ";" (South's name holds a comma), each
    /// with when; the AI-only site in AI's class. Mining's total is
    /// North's −1,500.005 → −$1,500.00 (1 site); AI's is 250,000.5 −
    /// 0.001 = 250,000.499 → $250,000.50, as is each site's better (North
    /// converts, South has only AI). North's advantage 251,500.505 is
    /// $251,500.50 (half-even: 0 is even).
    #[test]
    fn the_cover_reads_as_english() {
        let mut s = sample::summary();
        s.inputs.format2 = Some(Default::default());
        let r = Report {
            summary: &s,
            pivot: None,
            risk: None,
            sweep: None,
            footer: super::super::Footer {
                command: "hashpivot report x.toml -o r.html".into(),
                timestamp: None,
            },
        };
        let pages = pages(&r);
        let cover = &pages[0];
        assert!(cover.contains(
            "<b>Portfolio NPV</b> — keep mining everywhere (1 site): -$1,500.00 · convert everywhere: $250,000.50 · each site&#39;s better future: $250,000.50"
        ), "{cover}");
        assert!(cover.contains(
            "<b>Sites to convert:</b> North (at the file&#39;s own start); South, &quot;Unit 2&quot; (AI only)</p>"
        ), "{cover}");
        assert!(cover.contains(
            "<li class=\"ai\"><span class=\"verdict\">South, &quot;Unit 2&quot;: AI only (no mining in the file): NPV $0.00</span>"
        ));
        assert!(cover.contains("<li class=\"ai\"><span class=\"verdict\">North: convert to AI, by $251,500.50 of NPV</span>"), "{cover}");
        // Both verdicts on the cover: no note that more follow.
        assert!(!cover.contains("more site"));
        assert!(cover.contains("are on the next page."));
        // Cover, then one figures page (two sites share one).
        assert_eq!(pages.len(), 2);
    }

    /// The note on verdicts that moved counts sites and pages in English.
    #[test]
    fn the_moved_note_agrees_in_number() {
        assert_eq!(
            moved_note(1, 1),
            "The verdicts of 1 more site follow on the next page."
        );
        assert_eq!(
            moved_note(9, 2),
            "The verdicts of 9 more sites follow on the next pages."
        );
    }
}
