//! What moved between two summaries: the comparer behind `check` and
//! `diff`.
//!
//! Both sides are summary JSON read exactly ([`crate::exact_json`]), so by
//! default a figure matches only when its printed value is identical;
//! [`Tolerance`] loosens that. Sites are matched by name and halvings by
//! height, so a reordered file does not read as a change; other arrays
//! (monthly rows, overrides) by position. Every finding names its JSON path,
//! e.g. `sites[Lake Mariner].ai.npv_usd`.

use crate::exact::Checked;
use crate::exact_json::Json;
use crate::scenario::literal::parse_decimal;
use rust_decimal::Decimal;

/// When a moved number still passes: within `abs`, or within `rel` of the
/// old value (either suffices). Both `None`: exact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tolerance {
    pub abs: Option<Decimal>,
    pub rel: Option<Decimal>,
}

impl Tolerance {
    fn passes(&self, old: Decimal, new: Decimal) -> bool {
        let Ok(delta) = new.minus(old).map(|d| d.abs()) else {
            return false;
        };
        self.abs.is_some_and(|a| delta <= a)
            || self
                .rel
                .is_some_and(|r| old.abs().times(r).is_ok_and(|limit| delta <= limit))
    }
}

/// How one figure changed. Values are JSON text (`"ai"`, `12.50`, `null`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A number moved: old, new, and the change worked out.
    Moved {
        old: String,
        new: String,
        delta: Decimal,
        /// `(new − old) / |old|`, as a percentage; `None` when old is 0.
        percent: Option<Decimal>,
    },
    /// A text (or other non-number) value changed.
    Text { old: String, new: String },
    /// Present only in the new summary.
    Appeared { new: String },
    /// Present only in the old summary.
    Vanished { old: String },
    /// A number (or text) turned null.
    ToNull { old: String },
    /// A null turned into a value.
    FromNull { new: String },
}

/// One changed figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// JSON path within the summary, e.g. `sites[North].winner`; empty for
    /// a whole scenario.
    pub path: String,
    pub change: Change,
}

/// Every figure that differs between `old` and `new` (two summaries).
///
/// A summary's top-level `file` key (JSON Lines writes one) says where it
/// came from, not what it computes: it is never a difference.
pub fn differences(old: &Json, new: &Json, tolerance: &Tolerance) -> Vec<Finding> {
    let mut out = Vec::new();
    walk("", old, new, tolerance, &mut out);
    out.retain(|f| f.path != PROVENANCE);
    out
}

/// The key that names a summary's file (`--format jsonl`).
const PROVENANCE: &str = "file";

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(path: &str, old: &Json, new: &Json, tolerance: &Tolerance, out: &mut Vec<Finding>) {
    match (old, new) {
        (Json::Object(a), Json::Object(b)) => {
            for (key, va) in a {
                let child = join(path, key);
                match b.iter().find(|(k, _)| k == key) {
                    Some((_, vb)) => walk(&child, va, vb, tolerance, out),
                    None => out.push(Finding {
                        path: child,
                        change: Change::Vanished { old: va.to_text() },
                    }),
                }
            }
            for (key, vb) in b {
                if !a.iter().any(|(k, _)| k == key) {
                    out.push(Finding {
                        path: join(path, key),
                        change: Change::Appeared { new: vb.to_text() },
                    });
                }
            }
        }
        (Json::Array(a), Json::Array(b)) => {
            let (ka, kb) = (keyed(path, a), keyed(path, b));
            for (key, va) in &ka {
                let child = format!("{path}[{key}]");
                match kb.iter().find(|(k, _)| k == key) {
                    Some((_, vb)) => walk(&child, va, vb, tolerance, out),
                    None => out.push(Finding {
                        path: child,
                        change: Change::Vanished { old: va.to_text() },
                    }),
                }
            }
            for (key, vb) in &kb {
                if !ka.iter().any(|(k, _)| k == key) {
                    out.push(Finding {
                        path: format!("{path}[{key}]"),
                        change: Change::Appeared { new: vb.to_text() },
                    });
                }
            }
        }
        (Json::Number(x), Json::Number(y)) => {
            if let (Ok(dx), Ok(dy)) = (parse_decimal(x), parse_decimal(y)) {
                if dx != dy && !tolerance.passes(dx, dy) {
                    out.push(Finding {
                        path: path.to_string(),
                        change: moved(x, y, dx, dy),
                    });
                }
            } else if x != y {
                out.push(Finding {
                    path: path.to_string(),
                    change: Change::Text {
                        old: x.clone(),
                        new: y.clone(),
                    },
                });
            }
        }
        (Json::Null, Json::Null) => {}
        (Json::Null, v) => out.push(Finding {
            path: path.to_string(),
            change: Change::FromNull { new: v.to_text() },
        }),
        (v, Json::Null) => out.push(Finding {
            path: path.to_string(),
            change: Change::ToNull { old: v.to_text() },
        }),
        (a, b) if a == b => {}
        (a, b) => out.push(Finding {
            path: path.to_string(),
            change: Change::Text {
                old: a.to_text(),
                new: b.to_text(),
            },
        }),
    }
}

fn moved(x: &str, y: &str, dx: Decimal, dy: Decimal) -> Change {
    let delta = dy.minus(dx).unwrap_or_default();
    let percent = if dx.is_zero() {
        None
    } else {
        delta
            .over(dx.abs())
            .and_then(|r| r.times(Decimal::ONE_HUNDRED))
            .ok()
    };
    Change::Moved {
        old: x.to_string(),
        new: y.to_string(),
        delta,
        percent,
    }
}

/// Array elements with the key they are matched by: a site's name, a
/// halving's height, otherwise the position.
fn keyed<'a>(path: &str, items: &'a [Json]) -> Vec<(String, &'a Json)> {
    let field = if path.ends_with("sites") {
        Some("name")
    } else if path.ends_with("halvings") {
        Some("height")
    } else {
        None
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let key = field
                .and_then(|f| item.get(f))
                .map(|v| match v {
                    Json::String(s) => s.clone(),
                    other => other.to_text(),
                })
                .unwrap_or_else(|| i.to_string());
            (key, item)
        })
        .collect()
}

/// The summaries in a saved `run --format json` output (an object or an
/// array of them; a golden file's `summary` is unwrapped), by scenario name.
pub fn summaries(doc: &Json) -> Vec<(String, &Json)> {
    let items: Vec<&Json> = match doc {
        Json::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .map(|item| {
            let summary = item.get("summary").unwrap_or(item);
            let name = summary
                .get("scenario")
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string();
            (name, summary)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn j(text: &str) -> Json {
        Json::parse(text).unwrap()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    const OLD: &str = r#"{"scenario": "S", "network": {"halvings": [{"height": 1050000, "month": "2028-04"}]},
        "sites": [{"name": "A", "mine": {"npv_usd": 100.00, "irr": null}, "winner": "mine"},
                  {"name": "B", "ai": {"npv_usd": 0.00}}]}"#;

    #[test]
    fn the_file_a_summary_came_from_is_not_a_figure() {
        let old = j(r#"{"scenario": "x", "npv_usd": 1.00}"#);
        let new = j(r#"{"scenario": "x", "npv_usd": 1.00, "file": "a.toml"}"#);
        assert!(differences(&old, &new, &Tolerance::default()).is_empty());
        let moved = j(r#"{"scenario": "x", "npv_usd": 2.00, "file": "b.toml"}"#);
        let found = differences(&new, &moved, &Tolerance::default());
        assert_eq!(
            found.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
            ["npv_usd"]
        );
    }

    #[test]
    fn identical_summaries_have_no_findings() {
        assert!(differences(&j(OLD), &j(OLD), &Tolerance::default()).is_empty());
        // Reordered sites are the same sites.
        let swapped = r#"{"scenario": "S", "network": {"halvings": [{"height": 1050000, "month": "2028-04"}]},
        "sites": [{"name": "B", "ai": {"npv_usd": 0.00}},
                  {"name": "A", "mine": {"npv_usd": 100.00, "irr": null}, "winner": "mine"}]}"#;
        assert!(differences(&j(OLD), &j(swapped), &Tolerance::default()).is_empty());
    }

    #[test]
    fn a_moved_figure_with_its_path_and_delta() {
        let new = OLD.replace("100.00", "112.50");
        let found = differences(&j(OLD), &j(&new), &Tolerance::default());
        // 100.00 → 112.50: +12.50, +12.5 %
        assert_eq!(
            found,
            vec![Finding {
                path: "sites[A].mine.npv_usd".into(),
                change: Change::Moved {
                    old: "100.00".into(),
                    new: "112.50".into(),
                    delta: d("12.50"),
                    percent: Some(d("12.5")),
                },
            }]
        );
        // From zero there is no percentage.
        let new = OLD.replace("\"npv_usd\": 0.00", "\"npv_usd\": -3.00");
        match &differences(&j(OLD), &j(&new), &Tolerance::default())[0].change {
            Change::Moved { percent, delta, .. } => {
                assert_eq!(*percent, None);
                assert_eq!(*delta, d("-3"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn tolerances() {
        let new = OLD.replace("100.00", "100.05");
        let abs = Tolerance {
            abs: Some(d("0.05")),
            rel: None,
        };
        assert!(differences(&j(OLD), &j(&new), &abs).is_empty());
        let tight = Tolerance {
            abs: Some(d("0.04")),
            rel: None,
        };
        assert_eq!(differences(&j(OLD), &j(&new), &tight).len(), 1);
        // 0.05 of 100 is 0.05 %: within rel 0.0005, not within 0.0004.
        let rel = Tolerance {
            abs: None,
            rel: Some(d("0.0005")),
        };
        assert!(differences(&j(OLD), &j(&new), &rel).is_empty());
        let rel = Tolerance {
            abs: Some(d("0.01")),
            rel: Some(d("0.0004")),
        };
        assert_eq!(differences(&j(OLD), &j(&new), &rel).len(), 1);
    }

    #[test]
    fn text_null_appeared_and_vanished() {
        let new = OLD
            .replace("\"winner\": \"mine\"", "\"winner\": \"ai\"")
            .replace("\"irr\": null", "\"irr\": 0.125000")
            .replace(
                "{\"name\": \"B\", \"ai\": {\"npv_usd\": 0.00}}",
                "{\"name\": \"C\"}",
            );
        let found = differences(&j(OLD), &j(&new), &Tolerance::default());
        let paths: Vec<(&str, &Change)> =
            found.iter().map(|f| (f.path.as_str(), &f.change)).collect();
        assert_eq!(
            paths,
            vec![
                (
                    "sites[A].mine.irr",
                    &Change::FromNull {
                        new: "0.125000".into()
                    }
                ),
                (
                    "sites[A].winner",
                    &Change::Text {
                        old: "\"mine\"".into(),
                        new: "\"ai\"".into()
                    }
                ),
                (
                    "sites[B]",
                    &Change::Vanished {
                        old: r#"{"name":"B","ai":{"npv_usd":0.00}}"#.into()
                    }
                ),
                (
                    "sites[C]",
                    &Change::Appeared {
                        new: r#"{"name":"C"}"#.into()
                    }
                ),
            ]
        );
    }

    #[test]
    fn halvings_match_by_height() {
        let new = OLD.replace("2028-04", "2028-05");
        let found = differences(&j(OLD), &j(&new), &Tolerance::default());
        assert_eq!(found[0].path, "network.halvings[1050000].month");
    }

    #[test]
    fn summaries_in_a_saved_output() {
        let doc = j(
            r#"[{"scenario": "x"}, {"hashpivot": "0.1.0", "format": 1, "summary": {"scenario": "y"}}]"#,
        );
        let names: Vec<String> = summaries(&doc).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["x", "y"]);
    }
}

/// What a check (or diff) found for one scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every figure matches.
    Same,
    /// Figures moved.
    Changed(Vec<Finding>),
    /// `check`: no golden file at this path.
    MissingGolden(String),
    /// `check --update`: the golden already held these figures.
    Unchanged,
    /// `check --update`: the golden was rewritten (with what had moved; a
    /// golden that could not be read, or of another layout, moves nothing).
    Updated(Vec<Finding>),
    /// `check --update`: there was no golden; it was written.
    Created,
    /// `diff`: the scenario is only in the new output.
    Appeared,
    /// `diff`: the scenario is only in the old output.
    Vanished,
}

/// One scenario's line in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioResult {
    pub scenario: String,
    /// The file the scenario came from (`check`: the scenario file;
    /// `diff`: the saved output holding it, the new one unless it vanished).
    pub file: String,
    pub verdict: Verdict,
}

/// A whole `check` or `diff`: each scenario's verdict, and the inputs that
/// could not be loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub results: Vec<ScenarioResult>,
    /// `(file, message)` for each input that failed to load.
    pub errors: Vec<(String, String)>,
}

impl Report {
    /// Scenarios whose figures differ (or whose golden is missing, or that
    /// appeared or vanished).
    pub fn changed(&self) -> usize {
        self.results
            .iter()
            .filter(|r| {
                !matches!(
                    r.verdict,
                    Verdict::Same | Verdict::Unchanged | Verdict::Updated(_) | Verdict::Created
                )
            })
            .count()
    }

    /// `check --update`: how many goldens were left unchanged, updated
    /// and created, or `None` when nothing was updated.
    pub fn updates(&self) -> Option<(usize, usize, usize)> {
        let count = |f: fn(&Verdict) -> bool| self.results.iter().filter(|r| f(&r.verdict)).count();
        let unchanged = count(|v| matches!(v, Verdict::Unchanged));
        let updated = count(|v| matches!(v, Verdict::Updated(_)));
        let created = count(|v| matches!(v, Verdict::Created));
        (unchanged + updated + created > 0).then_some((unchanged, updated, created))
    }

    /// Figures that moved, over every scenario.
    pub fn figures_moved(&self) -> usize {
        self.results
            .iter()
            .map(|r| match &r.verdict {
                Verdict::Changed(f) | Verdict::Updated(f) => f.len(),
                _ => 0,
            })
            .sum()
    }
}
