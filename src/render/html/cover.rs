//! The first pages: the verdict per site in a sentence (with the caveats
//! `run` prints under it), the portfolio, the scenario's assumptions,
//! then the figures of `run`'s table, sites side by side.
//!
//! How much goes on a page is fixed by counts, not measured: at most
//! [`COVER_SITES`] verdicts on the cover and [`MORE_SITES`] on each page
//! after it, and [`FIGURE_SITES`] sites per figures page, which keeps
//! every section within one printed page (186 × 255 mm) however many
//! sites a scenario has.

use super::{Report, escape};
use crate::pivot::Verdict;
use crate::render::number::{group, money, places, stated, stated_money, stated_percent};
use crate::render::overrides_list;
use crate::render::table::{
    NULL, caveats, conversion_parts, flip_line, growth, labels, portfolio, site_columns,
    winner_line,
};
use crate::scenario::{AiKind, Fleet, Shutdown, Site};
use crate::summary::{SiteSummary, Summary, Winner};
use rust_decimal::Decimal;
use std::fmt::Write;

/// Sites whose verdicts fit on the cover beside the assumptions.
const COVER_SITES: usize = 3;
/// Sites whose verdicts fit on a page of their own.
const MORE_SITES: usize = 6;
/// Sites whose assumptions and figures fit side by side on one page.
const FIGURE_SITES: usize = 2;

/// The cover: title, horizon, the verdicts of the first sites, the
/// portfolio and the scenario's assumptions.
pub(super) fn cover(r: &Report) -> String {
    let s = r.summary;
    let mut out = String::new();
    let _ = writeln!(out, "<h1>{}</h1>", escape(&s.scenario));
    let last = s.month(s.months.saturating_sub(1) as usize);
    let _ = writeln!(
        out,
        "<p class=\"lead\">Keep mining, or convert to AI hosting? {} months, {} to {}, discounted at {} a year.</p>",
        s.months,
        s.start,
        last,
        stated_percent(s.inputs.discount_rate)
    );
    out.push_str("<h2>The verdict</h2>\n");
    verdicts(&mut out, r, s.sites.iter().take(COVER_SITES));
    if s.sites.len() > COVER_SITES {
        let _ = writeln!(
            out,
            "<p class=\"note\">The other {} sites' verdicts follow on the next pages.</p>",
            s.sites.len() - COVER_SITES
        );
    }
    if let Some(line) = portfolio_line(s) {
        out.push_str(&line);
    }
    assumptions(&mut out, r);
    out
}

/// The pages of verdicts that do not fit on the cover, then the figures
/// pages.
pub(super) fn figures(r: &Report) -> Vec<String> {
    let s = r.summary;
    let mut pages = Vec::new();
    let rest: Vec<&SiteSummary> = s.sites.iter().skip(COVER_SITES).collect();
    for chunk in rest.chunks(MORE_SITES) {
        let mut out = String::from("<h2>The verdict, continued</h2>\n");
        verdicts(&mut out, r, chunk.iter().copied());
        pages.push(out);
    }
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

/// A site's verdict as a list item: `run`'s winner line, `pivot`'s
/// sentence on when, the caveats and the flip price.
fn verdicts<'a>(out: &mut String, r: &Report, sites: impl Iterator<Item = &'a SiteSummary>) {
    out.push_str("<ul class=\"verdicts\">\n");
    for site in sites {
        let class = match site.comparison.as_ref().map(|c| c.winner) {
            Some(Winner::Mine) => "mine",
            Some(Winner::Tie) => "tie",
            _ => "ai",
        };
        let _ = write!(
            out,
            "<li class=\"{class}\"><span class=\"verdict\">{}: ",
            escape(&site.name)
        );
        match winner_line(site) {
            Some(line) => out.push_str(&escape(&line)),
            None => out.push_str(&escape(&only_strategy(site))),
        }
        out.push_str("</span>");
        let when = r
            .pivot
            .and_then(|p| Some((p, p.sites.iter().find(|x| x.name == site.name)?)));
        if let Some((p, sp)) = when {
            let _ = write!(
                out,
                "<br>When: {}.",
                escape(&crate::render::pivot::verdict_sentence(p, sp))
            );
            if sp.verdict == Verdict::Convert
                && site
                    .comparison
                    .as_ref()
                    .is_some_and(|c| c.winner == Winner::Mine)
            {
                out.push_str(
                    " (Converting at the file's own start loses to mining; a better start wins.)",
                );
            }
        }
        let mut notes = caveats(r.summary, site);
        notes.extend(flip_line(r.summary, site));
        if !notes.is_empty() {
            out.push_str("\n<ul class=\"caveats\">");
            for n in notes {
                let _ = write!(out, "<li>{}</li>", escape(&n));
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

/// The sentence of a site with one strategy (no comparison).
fn only_strategy(site: &SiteSummary) -> String {
    match (&site.mine, &site.ai) {
        (Some(m), None) => format!(
            "only mining is modelled here: NPV {}",
            money(m.outcome.npv_usd, places::USD)
        ),
        (None, Some(a)) => format!(
            "only AI hosting is modelled here: NPV {}",
            money(a.outcome.npv_usd, places::USD)
        ),
        _ => "no strategy is modelled here".to_string(),
    }
}

/// Format 2 with several sites: the table's portfolio line and the sites
/// to convert.
fn portfolio_line(s: &Summary) -> Option<String> {
    let (parts, which) = portfolio(s)?;
    Some(format!(
        "<p><b>Portfolio NPV:</b> {}<br><b>Sites to convert:</b> {}</p>\n",
        escape(&parts.join(" · ")),
        escape(&which)
    ))
}

/// A row of a two-column table.
fn row(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">{key}</th><td>{}</td></tr>",
        escape(value)
    );
}

/// The scenario's assumptions: what every site shares.
fn assumptions(out: &mut String, r: &Report) {
    let s = r.summary;
    let inputs = &s.inputs;
    let btc = &inputs.bitcoin;
    let last = s.month(s.months.saturating_sub(1) as usize);
    out.push_str("<table class=\"assumptions\">\n<caption>Assumptions</caption>\n<tbody>\n");
    row(
        out,
        "Horizon",
        &format!("{} months, {} to {}", s.months, s.start, last),
    );
    row(
        out,
        "Discount rate",
        &format!("{} a year", stated_percent(inputs.discount_rate)),
    );
    row(
        out,
        "BTC price",
        &format!(
            "{} in {}, {}",
            stated_money(btc.price_usd),
            s.start,
            growth(btc.price_growth_annual)
        ),
    );
    row(
        out,
        "Network hashrate",
        &format!(
            "{} EH/s in {}, {}",
            stated(btc.network_hashrate_ehs),
            s.start,
            growth(btc.hashrate_growth_annual)
        ),
    );
    row(
        out,
        "Fees",
        &format!("{} BTC a block", stated(btc.fees_btc_per_block)),
    );
    row(
        out,
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
    row(out, "Halvings", &halvings);
    if let Some(f) = &inputs.format2 {
        row(out, "Opex", &growth(f.inflation_annual));
    }
    if let Some(risk) = &r.risk {
        let k = &risk.simulation.settings.risk;
        row(
            out,
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
        row(out, "Overrides", &overrides_list(s).join(" · "));
    }
    out.push_str("</tbody>\n</table>\n");
    if r.summary.sites.len() <= FIGURE_SITES {
        out.push_str("<p class=\"note\">Each site's own assumptions and every figure of <code>hashpivot run</code> are on the next page.</p>\n");
    } else {
        out.push_str("<p class=\"note\">Each site's own assumptions and every figure of <code>hashpivot run</code> are on the figures pages that follow.</p>\n");
    }
}

/// The power a site buys, as the table states it.
fn power(site: &Site) -> String {
    let mut text = match &site.power2 {
        Some(p) if p.curve => {
            let blended = p.blocks.iter().fold(Decimal::ZERO, |acc, b| {
                acc.saturating_add(b.share.saturating_mul(b.price_usd_per_mwh))
            });
            format!(
                "{} price blocks, blended {}/MWh",
                p.blocks.len(),
                stated_money(blended)
            )
        }
        _ => format!("{}/MWh", stated_money(site.power_price_usd_per_mwh)),
    };
    if let Some(p) = site
        .power2
        .as_ref()
        .filter(|p| !p.escalator_annual.is_zero())
    {
        text = format!("{text}, {}", growth(p.escalator_annual));
    }
    text
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
    rows.push(("Power", cell(&|i| Some(power(i)))));
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
            "<th class=\"n\" colspan=\"{}\">{}</th>",
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
