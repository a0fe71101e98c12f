//! The HTML report (`hashpivot report`): one self-contained file a CFO
//! can open offline, read without reading a number, and print to PDF.
//!
//! Why this shape:
//! - **Self-contained**: one inline `<style>`, charts as inline SVG
//!   ([`super::svg`]), no script, font, image, stylesheet or link to
//!   anything outside the file, so the report reads the same on a laptop
//!   on a plane, in a mail attachment and in an archive years later.
//! - **Pages**: every printed page is one `<section class="page">`,
//!   designed to fit one A4 page *and* one US-Letter page with 12 mm
//!   margins (at most 186 mm × 255 mm of content), so a printed report
//!   has exactly as many pages as sections and no chart is cut. Anything
//!   that grows with the scenario (sites, a sweep's grid) is spread over
//!   more sections rather than allowed to overflow one.
//! - **Deterministic**: the same inputs give the same bytes (no time
//!   unless asked for, fixed decimals in every coordinate), so a report is
//!   a golden file (`check --report`).
//! - **The same figures as `run`**: the summary table's cells and the
//!   verdict's sentences are `run`'s table's, from the same functions
//!   ([`crate::render::table`]); the charts only place them on a page.
//!
//! Every piece of text from the scenario (its name, site names, fleet
//! models, override values) goes through [`escape`].

mod cover;
mod site;
mod sweep;

use crate::pivot::Pivot;
use crate::render::simulate::Histogram;
use crate::simulate::{Simulation, SiteFan};
use crate::summary::Summary;
use crate::sweep::{Grid, PointResult};
use rust_decimal::Decimal;
use std::fmt::Write;

/// Everything a report shows, already computed.
pub struct Report<'a> {
    pub summary: &'a Summary,
    /// The pivot, when a site has both strategies.
    pub pivot: Option<&'a Pivot>,
    /// The simulation, when the scenario has a source of uncertainty.
    pub risk: Option<Risk<'a>>,
    /// The sweep, with `--vary`.
    pub sweep: Option<Sweep<'a>>,
    pub footer: Footer,
}

/// The risk part: statistics over every path, each site's histogram of
/// the advantage (`None` for a site without both strategies), and each
/// site's fans.
pub struct Risk<'a> {
    pub simulation: &'a Simulation,
    pub histograms: &'a [Option<Histogram>],
    /// Per site (file order); empty when the fans are not computed.
    pub fans: &'a [SiteFan],
    /// How many paths the fans are drawn from.
    pub fan_paths: u64,
}

/// A sweep's grid and every point's result, in point order.
pub struct Sweep<'a> {
    pub grid: &'a Grid,
    pub results: &'a [PointResult],
}

/// What the last page states about how the report was made.
pub struct Footer {
    /// The equivalent command line.
    pub command: String,
    /// The UTC time, with `--timestamp` only.
    pub timestamp: Option<String>,
}

/// The whole document.
pub fn report(r: &Report) -> String {
    let mut pages: Vec<String> = Vec::new();
    pages.extend(cover::pages(r));
    for (j, site) in r.summary.sites.iter().enumerate() {
        pages.extend(site::pages(r, j, site));
    }
    if let Some(s) = &r.sweep {
        pages.extend(sweep::pages(r.summary, s));
    }
    pages.push(how_to_read(r));
    let mut out = String::new();
    let title = escape(&r.summary.scenario);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"hashpivot {}\">\n\
         <title>{title}: hashpivot report</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        crate::golden::VERSION
    );
    for page in pages {
        out.push_str("<section class=\"page\">\n");
        out.push_str(&page);
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The report's stylesheet. Print: the full printable width, each
/// section on its own page, charts never split; colours kept (the charts'
/// inks differ in lightness and pattern too, so grayscale still reads).
const CSS: &str = "\
@page { margin: 12mm; }
html { background: #fff; color: #111; }
body { font-family: \"Helvetica Neue\", Helvetica, Arial, \"Liberation Sans\", sans-serif; \
font-size: 10pt; line-height: 1.35; max-width: 960px; margin: 0 auto; padding: 0 16px; }
section.page { padding: 12px 0 20px; }
h1 { font-size: 19pt; line-height: 1.2; margin: 0 0 2mm; }
h2 { font-size: 14pt; margin: 0 0 2mm; padding-bottom: 1mm; border-bottom: 1.5pt solid #111; \
white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
h2.long { font-size: 11pt; } h2.longer { font-size: 8.5pt; }
p.plan { border: 1pt solid #0072B2; padding: 1.5mm 2mm; margin: 0 0 2mm; font-size: 9pt; }
h3 { font-size: 11pt; margin: 3mm 0 1mm; }
p { margin: 1mm 0; }
p.lead { font-size: 11pt; color: #333; margin-bottom: 3mm; }
p.note, li.note { font-size: 8pt; color: #333; }
ul.verdicts { list-style: none; padding: 0; margin: 2mm 0 3mm; }
ul.verdicts > li { margin: 0 0 2.5mm; padding-left: 3mm; border-left: 2.5pt solid #0072B2; }
ul.verdicts > li.mine { border-left-color: #D55E00; border-left-style: double; border-left-width: 4pt; }
ul.verdicts > li.tie { border-left-color: #777; border-left-style: dotted; }
.verdict { font-size: 11.5pt; font-weight: bold; }
ul.verdicts p.then { margin: 0.5mm 0 0; }
ul.caveats { margin: 0.5mm 0 0; padding-left: 5mm; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 1mm 0 2mm; }
caption { text-align: left; font-weight: bold; font-size: 10pt; padding: 1mm 0; }
th, td { padding: 0.5mm 1.5mm; border-bottom: 0.5pt solid #bbb; text-align: left; vertical-align: top; }
thead th { border-bottom: 1pt solid #111; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.key td { font-weight: bold; }
th.site { white-space: normal; overflow-wrap: anywhere; }
table.flips { width: auto; min-width: 50%; }
figure { margin: 1mm 0 2mm; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 8.5pt; margin-top: 0.5mm; }
svg.chart { display: block; width: 100%; height: auto; break-inside: avoid; page-break-inside: avoid; }
dl.read { margin: 0; font-size: 9pt; }
dl.read dt { font-weight: bold; margin-top: 1.5mm; }
dl.read dd { margin: 0 0 0 4mm; }
footer { margin-top: 4mm; padding-top: 1.5mm; border-top: 0.5pt solid #999; font-size: 8pt; color: #333; }
code { font-family: \"DejaVu Sans Mono\", Menlo, Consolas, monospace; font-size: 8pt; overflow-wrap: anywhere; }
@media screen { section.page { border-bottom: 1px dashed #aaa; margin-bottom: 12px; } }
@media print {
  html, body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; margin: 0; padding: 0; }
  section.page { padding: 0; margin: 0; }
  section.page + section.page { break-before: page; page-break-before: always; }
}
";

/// `text` safe as HTML text or inside a double- or single-quoted
/// attribute: the charts' escaping ([`super::svg`]), so the page and its
/// inline SVG treat a scenario's text alike (tabs and line breaks become
/// spaces, characters XML forbids are dropped).
/// A site page's title, `NAME: topic`, on one line: a long one is set
/// smaller rather than cut (an `h2` keeps to one line so that a page's
/// height is what its layout planned; a 14 pt line holds about 70
/// characters across the printable width, an 11 pt one about 90).
pub(super) fn title(name: &str, topic: &str) -> String {
    let length = name.chars().count() + 2 + topic.chars().count();
    let class = match length {
        0..=68 => "",
        69..=88 => " class=\"long\"",
        _ => " class=\"longer\"",
    };
    format!("<h2{class}>{}: {topic}</h2>\n", escape(name))
}

pub fn escape(text: &str) -> String {
    super::svg::escape(text)
}

/// A decimal as a drawing coordinate (charts only; never a figure shown
/// as a number).
pub(crate) fn draw(v: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    v.to_f64().unwrap_or(0.0)
}

/// The last page: what each chart shows and how to print the report.
fn how_to_read(r: &Report) -> String {
    let mut out = String::from("<h2>How to read this report</h2>\n<dl class=\"read\">\n");
    let mut item = |term: &str, text: &str| {
        let _ = writeln!(out, "<dt>{term}</dt><dd>{text}</dd>");
    };
    item(
        "The verdict",
        "Each site's headline is the decision: <code>hashpivot run</code> compares mining with converting at the file's own start; <code>hashpivot pivot</code> tries every start month. When pivot's best start is another month and beats never converting, the headline converts then, with the NPVs of that start, of keeping mining and of converting now, and the line under it gives run's answer at the file's own start. Otherwise the headline is run's winner, and the line under it pivot's answer on when. The bar beside a verdict is orange and double for keep mining, blue for convert, grey and dotted for a tie.",
    );
    item(
        "The figures",
        "The summary tables hold exactly what <code>hashpivot run</code> prints for the same file and options, with the same rounding. NPV discounts every month's cash flow at the scenario's discount rate.",
    );
    item(
        "Cumulative cash",
        "Each strategy's undiscounted cash, summed month by month from the start: revenue less power, opex and capex, plus (format 2) the fleet sale in its month and the terminal value in the last month, which is why a curve can jump at its end. Solid orange: keep mining; dashed blue: convert to AI. The thin lines are the same cash discounted month by month as the NPV discounts it: they end at the NPVs, which decide the verdict. A future ahead in undiscounted cash can lose on NPV when its cash comes late (an exit value in the last month, say). The ring marks the month AI's undiscounted curve passes mining's for good; dashed verticals mark halvings and go-live.",
    );
    item(
        "Hashprice",
        "What one PH/s of hashrate earns a day at that month's BTC price, network hashrate, subsidy and fees, in USD, before any cost; it halves at each halving. Shading: the share of the fleet's meter-energy hours switched off that month (1 − the month's run share; the darker, the more of the fleet was off), whether by economic shutdown (a row earning less than its power in a price block) or curtailment. The ramp in the legend shows 25 %, 50 % and 100 % off. Format 1 never switches a machine off, so it has no shading; a site without a fleet has no hashprice chart.",
    );
    item(
        "NPV by conversion start",
        "From <code>hashpivot pivot</code>: the NPV of converting the site in each start month, against the dotted level of never converting (keeping mining). The ring marks the best start that may be chosen (\u{201c}least bad start\u{201d} when never converting is better still); the file's own start is marked; starts too late to leave AI hosting live for the last year of the horizon are not drawn.",
    );
    if r.risk.is_some() {
        item(
            "The histogram",
            "From <code>hashpivot simulate</code>: on every path, the NPV of converting less the NPV of mining. Bars right of zero (blue, hatched) are paths where AI wins; left of zero (orange), mining wins or ties. The end bars, when marked, gather the far tails. P(AI beats mining) is the share of paths right of zero, ± its standard error.",
        );
        item(
            "The fans",
            "Undiscounted cumulative cash per month over the first paths of the simulation (at most 2,000): the light band holds the middle 90 % of paths (P5 to P95), the darker band the middle half (P25 to P75), and the line is the median. Each percentile is taken month by month (nearest rank), so the median line is no single path. Both fans of a site share one scale.",
        );
    }
    if r.sweep.is_some() {
        item(
            "The winner map",
            "From <code>hashpivot sweep</code>: the winner at each point of the grid (orange: keep mining; blue, hatched: convert to AI; grey: tie; white with a cross: not computed). The thick line is where the winner flips, interpolated between grid points as <code>sweep</code> states it; the ring marks the file's own values. Each point converts at the file's own start.",
        );
    }
    item(
        "Printing to PDF",
        "In the browser: Print, then Save as PDF; paper A4 or Letter, margins Default, and Background graphics on. Each section prints on one page.",
    );
    out.push_str("</dl>\n");
    // Where the numbers came from and how to make them again.
    let _ = write!(
        out,
        "<footer>\n<p>Made by hashpivot {}",
        crate::golden::VERSION
    );
    if let Some(t) = &r.footer.timestamp {
        let _ = write!(out, " on {}", escape(t));
    }
    out.push_str(". The same inputs give this file byte for byte");
    if r.footer.timestamp.is_some() {
        out.push_str(" (without <code>--timestamp</code>)");
    }
    out.push_str(".</p>\n");
    if let Some(risk) = &r.risk {
        let s = &risk.simulation.settings;
        let _ = writeln!(
            out,
            "<p>Risk: generator {}, seed {}, {} paths; fans from the first {}.</p>",
            crate::simulate::GENERATOR,
            s.seed,
            crate::render::number::group(&s.paths.to_string()),
            crate::render::number::group(&risk.fan_paths.to_string()),
        );
    }
    let _ = writeln!(
        out,
        "<p>Command: <code>{}</code></p>\n</footer>",
        escape(&r.footer.command)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character HTML gives a meaning to is replaced; the rest,
    /// non-ASCII included, passes as it is.
    #[test]
    fn escapes_what_html_reads() {
        assert_eq!(escape("<b>&\"x\"'"), "&lt;b&gt;&amp;&quot;x&quot;&#39;");
        assert_eq!(escape("Lake Mariner · 250 MW"), "Lake Mariner · 250 MW");
    }

    /// The stylesheet holds nothing that reaches outside the file.
    #[test]
    fn the_stylesheet_is_self_contained() {
        assert!(!CSS.contains("@import"));
        assert!(!CSS.contains("url("));
        assert!(CSS.contains("@page { margin: 12mm; }"));
        assert!(CSS.contains("section.page + section.page { break-before: page;"));
    }

    /// A section title keeps to one line however long a site's name (a
    /// wrapped title would push the page's last block onto a page of its
    /// own); a long name in a table heading wraps instead of widening the
    /// page.
    /// A title is set smaller as it lengthens, never cut: "West Texas:
    /// cash" (16 characters) at 14 pt; a 40-character name with ": when to
    /// convert, and the risk" (29 + 2) is 71 characters, past 68, so 11 pt;
    /// a 70-character one, 101, so 8.5 pt. The name is escaped.
    #[test]
    fn long_titles_are_set_smaller() {
        assert_eq!(title("West Texas", "cash"), "<h2>West Texas: cash</h2>\n");
        let forty = "A".repeat(40);
        assert!(title(&forty, "when to convert, and the risk").starts_with("<h2 class=\"long\">"));
        let seventy = "B".repeat(70);
        assert!(
            title(&seventy, "when to convert, and the risk").starts_with("<h2 class=\"longer\">")
        );
        assert_eq!(title("<&>", "cash"), "<h2>&lt;&amp;&gt;: cash</h2>\n");
        assert!(CSS.contains("h2.long { font-size: 11pt; } h2.longer { font-size: 8.5pt; }"));
    }

    #[test]
    fn titles_keep_to_one_line() {
        let h2 = CSS.lines().find(|l| l.starts_with("h2 {")).unwrap();
        assert!(h2.contains("white-space: nowrap; overflow: hidden; text-overflow: ellipsis;"));
        assert!(CSS.contains("th.site { white-space: normal; overflow-wrap: anywhere; }"));
    }
}
