//! `run --chart`: each site's cumulative cash in the terminal.
//!
//! The summary table says who wins; this says *when*: the undiscounted
//! cumulative cash of keeping the fleet mining and of converting to AI,
//! month by month, one line each, with the month at which the AI line
//! passes the mining line marked. That month is what a CFO asks after the
//! verdict ("how long until converting has paid for itself against doing
//! nothing?"), and the shape says what the NPV hides: a deep early hole, a
//! halving's kink, an exit value that carries the whole case.
//!
//! Why it looks the way it does:
//! - **80 columns**, like the table: the y-axis labels, the plot and the
//!   end-of-line labels (`mine`, `AI`) share one line, so the plot takes
//!   what the widest label leaves.
//! - **Told apart without colour**: mining is a fine braille line (2×4
//!   dots a character), AI a box-drawing line (`─╮│╰`) one character
//!   high; a character both pass through is `◆`. Colour, when the table
//!   has it, only adds magenta (mining) and bold blue (AI): of the eight
//!   ANSI colours these two read on a white terminal as on a black one
//!   (yellow and cyan fade into white, plain blue into black; bold lifts
//!   blue to its bright shade where a terminal does that), and they are
//!   not red and green, which many readers cannot tell apart. Blue is
//!   AI's colour in the HTML report too. `--ascii` draws `*` (mining), `o` (AI) and `#` (both) with
//!   `|`, `-` and `+` for the axes, every byte ASCII.
//! - **Columns sample months**: when there are more months than dots, a
//!   dot column shows the value of the last month of the run of months it
//!   covers, so the last column is the horizon's exact end point; when
//!   there are fewer, the line is drawn straight between months.
//! - **Crossings from the decimals**: whether AI is at or above mining is
//!   decided on the exact figures, month by month; only the placing of
//!   dots uses binary floats (each figure converted once). A crossing is
//!   marked on the x axis (`▲` AI passes mining, `▼` mining passes AI;
//!   `^` and `v` in ASCII), with a dotted column up through the plot and
//!   a line under the chart naming the month; with none, the line says
//!   which future stays ahead. An exit (terminal) value in the last month
//!   is named too: it is a jump a reader should not take for a month's
//!   earnings.
//! - **Tick labels are round numbers** (1, 2 or 5 times a power of ten),
//!   from exact decimals, in one unit (k, M, B, T) with as many decimals
//!   as the step needs, so two labels never read the same.

use super::number::{Colour, compact, paint, stated_percent};
use super::table::{WIDTH, chars, wrap};
use crate::summary::{Outcome, SiteSummary, Summary, Winner};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Text rows of the plot.
pub const ROWS: usize = 12;

/// How a chart is drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// ASCII characters only.
    pub ascii: bool,
    /// ANSI colour (mining magenta, AI bold blue).
    pub color: bool,
}

/// The characters of one style.
struct Glyphs {
    axis: char,
    axis_tick: char,
    corner: char,
    x_axis: char,
    x_tick: char,
    zero: char,
    marker: char,
    up: char,
    down: char,
    both: char,
    ellipsis: &'static str,
}

const UNICODE: Glyphs = Glyphs {
    axis: '│',
    axis_tick: '┤',
    corner: '└',
    x_axis: '─',
    x_tick: '┬',
    zero: '┄',
    marker: '┊',
    up: '▲',
    down: '▼',
    both: '◆',
    ellipsis: "…",
};

const ASCII: Glyphs = Glyphs {
    axis: '|',
    axis_tick: '+',
    corner: '+',
    x_axis: '-',
    x_tick: '+',
    zero: '-',
    marker: ':',
    up: '^',
    down: 'v',
    both: '#',
    ellipsis: "...",
};

/// The end-of-line labels, after the plot.
const MINE_LABEL: &str = " mine";
const AI_LABEL: &str = " AI";

/// One plot cell: mining's braille dots (any non-zero value is "mining
/// passes here" in ASCII) and AI's glyph.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    mine: u8,
    ai: Option<char>,
}

/// A crossing of the two curves: the month and whether AI passes mining
/// (`true`) or mining passes AI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crossing {
    pub month: usize,
    pub ai_passes: bool,
}

/// Every month at which the order of the two cumulative cash curves
/// changes, from the exact figures: AI passes mining when it goes from
/// below to at or above, mining passes AI when AI goes from at or above
/// to below.
pub fn crossings(mine: &[Decimal], ai: &[Decimal]) -> Vec<Crossing> {
    let at_or_above: Vec<bool> = mine.iter().zip(ai).map(|(m, a)| a >= m).collect();
    at_or_above
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0] != w[1])
        .map(|(i, w)| Crossing {
            month: i + 1,
            ai_passes: w[1],
        })
        .collect()
}

/// The figure to plot for each of `slots` columns from `values` (one a
/// month): with at least as many months as slots, slot `s` covers months
/// `⌊s·n/slots⌋ ..< ⌊(s+1)·n/slots⌋` and shows the last of them (so the
/// last slot is the last month, exactly); with fewer, month `i` sits at
/// slot `i·(slots−1)/(n−1)` and the slots between are on the straight
/// line between two months.
fn sample(values: &[f64], slots: usize) -> Vec<f64> {
    let n = values.len();
    if n == 0 || slots == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![values[0]; slots];
    }
    if n >= slots {
        return (0..slots)
            .map(|s| values[((s + 1) * n / slots).saturating_sub(1).min(n - 1)])
            .collect();
    }
    (0..slots)
        .map(|s| {
            let num = s * (n - 1);
            let (i, rem) = (num / (slots - 1), num % (slots - 1));
            if rem == 0 || i + 1 >= n {
                values[i.min(n - 1)]
            } else {
                let t = rem as f64 / (slots - 1) as f64;
                values[i] * (1.0 - t) + values[i + 1] * t
            }
        })
        .collect()
}

/// The slot (of `slots`) month `i` of `n` is drawn in, by [`sample`]'s
/// rule.
fn slot_of(i: usize, n: usize, slots: usize) -> usize {
    if slots == 0 {
        return 0;
    }
    if n >= slots {
        // The first slot whose run of months ends after `i`.
        ((i + 1) * slots)
            .div_ceil(n)
            .saturating_sub(1)
            .min(slots - 1)
    } else if n <= 1 {
        0
    } else {
        // Rounded half up, to the nearest slot.
        ((2 * i * (slots - 1) + (n - 1)) / (2 * (n - 1))).min(slots - 1)
    }
}

/// The vertical scale: the figure at the top and at the bottom of the
/// plot, with `dots` positions between, `per_row` a text row (4 in
/// braille, 1 in ASCII).
#[derive(Debug, Clone, Copy)]
struct Scale {
    lo: f64,
    hi: f64,
    dots: usize,
    per_row: usize,
}

impl Scale {
    /// The dot row of `v`, 0 at the top.
    fn dot(&self, v: f64) -> usize {
        let span = self.hi - self.lo;
        let at = if span > 0.0 {
            (self.hi - v) / span * (self.dots - 1) as f64
        } else {
            0.0
        };
        // Finite and clamped: `as` saturates, NaN gives 0.
        (at.round().max(0.0) as usize).min(self.dots - 1)
    }
    /// The text row of `v`.
    fn row(&self, v: f64) -> usize {
        self.dot(v) / self.per_row
    }
}

/// The range a chart spans: the lowest and highest figure drawn, widened
/// around a flat line (all figures equal, or differing by less than a
/// millionth of their size, too little to see) so it sits mid-height.
fn range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return (-1.0, 1.0);
    }
    let size = lo.abs().max(hi.abs());
    if hi - lo <= size * 1e-6 {
        let mid = (lo + hi) / 2.0;
        let pad = if size > 0.0 { size / 10.0 } else { 1.0 };
        return (mid - pad, mid + pad);
    }
    (lo, hi)
}

/// Round tick values inside `lo ..= hi`: multiples of a step of 1, 2 or 5
/// times a power of ten, between a fifth and a half of the range (so two
/// to five ticks, at least two rows apart), and the decimal exponent of
/// the step (for the labels' decimals). Exact decimals, so a label says
/// exactly the tick's value.
fn ticks(lo: f64, hi: f64) -> (Vec<Decimal>, i32) {
    let raw = (hi - lo) / 5.0;
    if !(raw.is_finite() && raw > 0.0) {
        return (Vec::new(), 0);
    }
    let mut exp = raw.log10().floor() as i32;
    let scaled = raw / 10f64.powi(exp);
    let mantissa: i64 = if scaled <= 1.0 {
        1
    } else if scaled <= 2.0 {
        2
    } else if scaled <= 5.0 {
        5
    } else {
        exp += 1;
        1
    };
    // Decimal holds 28 decimals and about 7.9e28: a step outside that is
    // no chart a terminal can label.
    if !(-28..=27).contains(&exp) {
        return (Vec::new(), exp);
    }
    let step = if exp >= 0 {
        Decimal::from(mantissa)
            .checked_mul(Decimal::from_i128_with_scale(10i128.pow(exp as u32), 0))
    } else {
        Some(Decimal::new(mantissa, exp.unsigned_abs()))
    };
    let Some(step) = step else {
        return (Vec::new(), exp);
    };
    let step_f = step.to_f64().unwrap_or(1.0);
    let (first, last) = ((lo / step_f).ceil(), (hi / step_f).floor());
    if !(first.is_finite() && last.is_finite()) || last - first > 10.0 {
        return (Vec::new(), exp);
    }
    let ticks = (first as i64..=last as i64)
        .filter_map(|k| step.checked_mul(Decimal::from(k)))
        .collect();
    (ticks, exp)
}

/// A tick label: money in the unit of the largest tick (k, M, B, T) with
/// the decimals the step needs, `$0` for zero: `$1.2B`, `-$40M`, `$250k`,
/// `$0.05`.
fn tick_label(value: Decimal, unit: (u32, &str), step_exp: i32) -> String {
    if value.is_zero() {
        return "$0".into();
    }
    let (unit_exp, suffix) = unit;
    let places = (unit_exp as i32 - step_exp).clamp(0, 28) as u32;
    let scaled = value / Decimal::from_i128_with_scale(10i128.pow(unit_exp), 0);
    let digits = super::number::fixed(scaled.abs(), places);
    let sign = if value.is_sign_negative() { "-" } else { "" };
    format!("{sign}${digits}{suffix}")
}

/// The unit of the labels: that of the largest tick's size.
fn unit(ticks: &[Decimal]) -> (u32, &'static str) {
    let big = ticks.iter().map(|t| t.abs()).max().unwrap_or_default();
    const UNITS: [(u32, &str); 4] = [(12, "T"), (9, "B"), (6, "M"), (3, "k")];
    UNITS
        .into_iter()
        .find(|(e, _)| big >= Decimal::from_i128_with_scale(10i128.pow(*e), 0))
        .unwrap_or((0, ""))
}

/// One curve to draw: which future, its exact monthly figures and the
/// same converted once to binary floats for placing dots.
struct Curve<'a> {
    ai: bool,
    outcome: &'a Outcome,
    exact: Vec<Decimal>,
    floats: Vec<f64>,
}

impl<'a> Curve<'a> {
    fn of(outcome: &'a Outcome, ai: bool) -> Curve<'a> {
        let exact: Vec<Decimal> = outcome
            .monthly
            .iter()
            .map(|m| m.cumulative_cash_usd)
            .collect();
        let floats = exact.iter().map(|v| v.to_f64().unwrap_or(0.0)).collect();
        Curve {
            ai,
            outcome,
            exact,
            floats,
        }
    }
    /// The exit (terminal) value in the last month, when it has one.
    fn exit_value(&self) -> Option<Decimal> {
        self.outcome
            .monthly
            .last()
            .and_then(|m| m.f2.as_ref())
            .map(|f| f.terminal_value_usd)
            .filter(|v| !v.is_zero())
    }
    fn name(&self) -> &'static str {
        if self.ai { "AI" } else { "mining" }
    }
    fn colour(&self) -> Colour {
        if self.ai { Colour::Ai } else { Colour::Mine }
    }
}

/// Braille dot bit of column `x` (0, 1) and row `y` (0 … 3) of a cell.
fn braille_bit(x: usize, y: usize) -> u8 {
    const BITS: [[u8; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];
    BITS[x & 1][y & 3]
}

/// The chart of `site`'s cumulative cash, as lines of at most [`WIDTH`]
/// characters (colour codes aside), without newlines. Empty for a site
/// with no strategy or a summary with no month.
pub fn cumulative_cash(summary: &Summary, site: &SiteSummary, style: Style) -> Vec<String> {
    let g = if style.ascii { &ASCII } else { &UNICODE };
    let curves: Vec<Curve> = site
        .mine
        .as_ref()
        .map(|m| Curve::of(&m.outcome, false))
        .into_iter()
        .chain(site.ai.as_ref().map(|a| Curve::of(&a.outcome, true)))
        .filter(|c| !c.exact.is_empty())
        .collect();
    let Some(n) = curves.iter().map(|c| c.exact.len()).max() else {
        return Vec::new();
    };
    let mine = curves.iter().find(|c| !c.ai);
    let ai = curves.iter().find(|c| c.ai);

    // The y labels' width decides the plot's: a label, a space and the
    // axis, the plot, the end labels. The range depends on the samples,
    // so on the width: settle it in a few rounds (a wider label only
    // narrows the plot, which seldom widens a label again).
    let end = chars(MINE_LABEL).max(chars(AI_LABEL));
    let mut label_width = 2;
    let (mut cols, mut lo, mut hi, mut tick_values, mut step_exp);
    let mut rounds = 0;
    loop {
        cols = WIDTH.saturating_sub(label_width + 2 + end).max(10);
        let per = if style.ascii { cols } else { 2 * cols };
        (lo, hi) = range(curves.iter().flat_map(|c| sample(&c.floats, per)));
        (tick_values, step_exp) = ticks(lo, hi);
        let u = unit(&tick_values);
        let widest = tick_values
            .iter()
            .map(|t| chars(&tick_label(*t, u, step_exp)))
            .max()
            .unwrap_or(0);
        rounds += 1;
        if widest <= label_width || rounds >= 4 {
            break;
        }
        label_width = widest;
    }
    let u = unit(&tick_values);
    let lead = label_width + 1;
    let dots_across = if style.ascii { cols } else { 2 * cols };
    let per_row = if style.ascii { 1 } else { 4 };
    let scale = Scale {
        lo,
        hi,
        dots: ROWS * per_row,
        per_row,
    };
    let row_of = |dot: usize| dot / per_row;

    let mut grid = vec![vec![Cell::default(); cols]; ROWS];
    let mut end_rows: Vec<(usize, &Curve)> = Vec::new();
    for curve in &curves {
        if curve.ai {
            // AI: one glyph a cell, joined up and down like a pen line.
            let ys: Vec<usize> = sample(&curve.floats, cols)
                .into_iter()
                .map(|v| row_of(scale.dot(v)))
                .collect();
            for (c, &y) in ys.iter().enumerate() {
                let prev = if c == 0 { y } else { ys[c - 1] };
                if style.ascii {
                    for row in grid.iter_mut().take(prev.max(y) + 1).skip(prev.min(y)) {
                        row[c].ai = Some('o');
                    }
                    continue;
                }
                if prev == y {
                    grid[y][c].ai = Some('─');
                } else {
                    let (from, to) = if y < prev {
                        ('╯', '╭')
                    } else {
                        ('╮', '╰')
                    };
                    grid[prev][c].ai = Some(from);
                    grid[y][c].ai = Some(to);
                    for row in grid.iter_mut().take(prev.max(y)).skip(prev.min(y) + 1) {
                        row[c].ai = Some('│');
                    }
                }
            }
            if let Some(&y) = ys.last() {
                end_rows.push((y, curve));
            }
        } else {
            // Mining: a dot a slot, each joined to the one before by a
            // run of dots up or down.
            let ys: Vec<usize> = sample(&curve.floats, dots_across)
                .into_iter()
                .map(|v| scale.dot(v))
                .collect();
            for (x, &y) in ys.iter().enumerate() {
                let prev = if x == 0 { y } else { ys[x - 1] };
                let (a, b) = if prev == y {
                    (y, y)
                } else if prev < y {
                    (prev + 1, y)
                } else {
                    (y, prev - 1)
                };
                for dot in a..=b {
                    let (col, row) = if style.ascii {
                        (x, dot)
                    } else {
                        (x / 2, dot / 4)
                    };
                    grid[row][col].mine |= if style.ascii {
                        1
                    } else {
                        braille_bit(x, dot % 4)
                    };
                }
            }
            if let Some(&y) = ys.last() {
                end_rows.push((row_of(y), curve));
            }
        }
    }

    // Crossings, from the exact figures; the first three are marked.
    let all_crossings = match (mine, ai) {
        (Some(m), Some(a)) => crossings(&m.exact, &a.exact),
        _ => Vec::new(),
    };
    let marked: Vec<Crossing> = all_crossings.iter().copied().take(3).collect();
    let marker_cols: Vec<(usize, Crossing)> = marked
        .iter()
        .map(|x| (slot_of(x.month, n, cols), *x))
        .collect();

    // The rows of the plot.
    let zero_row = (lo <= 0.0 && 0.0 <= hi).then(|| scale.row(0.0));
    let mut labels: Vec<Option<String>> = vec![None; ROWS];
    for t in &tick_values {
        let row = scale.row(t.to_f64().unwrap_or(0.0));
        labels[row].get_or_insert_with(|| tick_label(*t, u, step_exp));
    }
    let mut end_labels: Vec<Option<(&str, Colour)>> = vec![None; ROWS];
    // End labels: AI moves a row off mining's when both end in one row,
    // up when it ends higher (down at the top edge), else down.
    if let [(ym, m), (ya, a)] = end_rows.as_mut_slice()
        && ym == ya
    {
        let up = a.floats.last() >= m.floats.last();
        *ya = if (up && *ya > 0) || *ya + 1 >= ROWS {
            ya.saturating_sub(1)
        } else {
            *ya + 1
        };
    }
    for (row, curve) in &end_rows {
        let text = if curve.ai { AI_LABEL } else { MINE_LABEL };
        end_labels[*row] = Some((text, curve.colour()));
    }

    let mut lines = Vec::new();
    // The legend, above.
    let sample_of = |ai: bool| -> String {
        match (style.ascii, ai) {
            (true, false) => "*".into(),
            (true, true) => "o".into(),
            (false, false) => "⠒⠒".into(),
            (false, true) => "──".into(),
        }
    };
    lines.push(paint(
        "Cumulative cash by month, undiscounted (USD)",
        Colour::Bold,
        style.color,
    ));
    let mut legend = Vec::new();
    for c in &curves {
        let what = if c.ai {
            "AI = convert to AI"
        } else {
            "mine = keep mining"
        };
        legend.push(format!(
            "{} {what}",
            paint(&sample_of(c.ai), c.colour(), style.color)
        ));
    }
    if curves.len() == 2 {
        legend.push(format!("{} both", g.both));
    }
    if style.ascii {
        // `wrap` joins with "·"; three short items fit one line.
        lines.push(legend.join("   "));
    } else {
        lines.extend(wrap("", &legend));
    }

    for (r, row) in grid.iter().enumerate() {
        let label = labels[r].clone().unwrap_or_default();
        let axis = if labels[r].is_some() {
            g.axis_tick
        } else {
            g.axis
        };
        let mut text = format!("{label:>label_width$} {axis}");
        let mut run = String::new();
        let mut run_colour: Option<Colour> = None;
        for (c, cell) in row.iter().enumerate() {
            let (ch, colour) = match (cell.mine != 0, cell.ai) {
                (true, Some(_)) => (g.both, None),
                (true, None) => (
                    if style.ascii {
                        '*'
                    } else {
                        char::from_u32(0x2800 + u32::from(cell.mine)).unwrap_or(' ')
                    },
                    Some(Colour::Mine),
                ),
                (false, Some(glyph)) => (glyph, Some(Colour::Ai)),
                (false, None) => {
                    let background = if marker_cols.iter().any(|(mc, _)| *mc == c) {
                        g.marker
                    } else if zero_row == Some(r) {
                        g.zero
                    } else {
                        ' '
                    };
                    (background, None)
                }
            };
            if colour != run_colour && !run.is_empty() {
                text.push_str(&paint_opt(&run, run_colour, style.color));
                run.clear();
            }
            run_colour = colour;
            run.push(ch);
        }
        if let Some((end_text, colour)) = end_labels[r] {
            text.push_str(&paint_opt(&run, run_colour, style.color));
            text.push_str(&paint(end_text, colour, style.color));
        } else {
            text.push_str(&paint_opt(run.trim_end(), run_colour, style.color));
        }
        lines.push(text.trim_end().to_string());
    }

    // The x axis: ticks at the labelled Januaries, crossings marked.
    let years = year_labels(summary, n, cols, end);
    let mut axis: Vec<char> = vec![g.x_axis; cols];
    for (tick, _, _) in &years {
        axis[*tick] = g.x_tick;
    }
    for (c, x) in &marker_cols {
        axis[*c] = if x.ai_passes { g.up } else { g.down };
    }
    lines.push(format!(
        "{}{}{}",
        " ".repeat(lead),
        g.corner,
        axis.iter().collect::<String>()
    ));
    let mut year_row: Vec<char> = vec![' '; cols + end];
    for (_, from, text) in &years {
        for (k, ch) in text.chars().enumerate() {
            if let Some(slot) = year_row.get_mut(from + k) {
                *slot = ch;
            }
        }
    }
    let year_text: String = year_row.iter().collect();
    if !year_text.trim().is_empty() {
        lines.push(format!("{}{}", " ".repeat(lead + 1), year_text.trim_end()));
    }

    // What the marks mean, in words.
    if let (Some(m), Some(a)) = (mine, ai) {
        let exits_only = |month: usize| {
            // Whether AI is at or above mining in `month` only because of
            // the exit values (which are in the last month alone).
            month + 1 == n && (m.exit_value().is_some() || a.exit_value().is_some()) && {
                let bare =
                    |c: &Curve| c.exact[month].saturating_sub(c.exit_value().unwrap_or_default());
                (bare(a) >= bare(m)) != (a.exact[month] >= m.exact[month])
            }
        };
        let mut passed = false;
        for x in &marked {
            let month = summary.month(x.month);
            let mut line = if x.ai_passes {
                format!("{} {month}: AI's cumulative cash passes mining's", g.up)
            } else {
                let again = if passed { " again" } else { "" };
                format!(
                    "{} {month}: mining's cumulative cash passes AI's{again}",
                    g.down
                )
            };
            passed |= x.ai_passes;
            if exits_only(x.month) {
                line.push_str(", through the exit values");
            }
            lines.extend(wrap("", &[line]));
        }
        if all_crossings.len() > marked.len() {
            lines.extend(wrap(
                "",
                &[format!(
                    "{} they cross {} times in all, the last in {}",
                    g.ellipsis,
                    all_crossings.len(),
                    summary.month(all_crossings.last().map_or(0, |x| x.month))
                )],
            ));
        }
        if all_crossings.is_empty() {
            let first_ai_ahead = a.exact.first() >= m.exact.first();
            let line = if a.exact == m.exact {
                "The two futures' cumulative cash is the same in every month".to_string()
            } else if first_ai_ahead {
                "AI's cumulative cash stays ahead of mining's over the whole horizon".to_string()
            } else {
                "Mining's cumulative cash stays ahead of AI's over the whole horizon".to_string()
            };
            lines.extend(wrap("", &[line]));
        }
        let end = |c: &Curve| Horizon {
            cash: c.exact.last().copied().unwrap_or_default(),
            exit: c.exit_value().unwrap_or_default(),
        };
        if let Some(line) = npv_line(summary, site, end(m), end(a)) {
            lines.extend(wrap("", &[line]));
        }
    }
    let exits: Vec<String> = curves
        .iter()
        .filter_map(|c| {
            c.exit_value()
                .map(|v| format!("{} {}", c.name(), compact(v, "$")))
        })
        .collect();
    if !exits.is_empty() {
        let noun = if exits.len() == 1 { "value" } else { "values" };
        lines.extend(wrap(
            "",
            &[format!(
                "The last month ({}) includes the exit {noun}: {}",
                summary.month(n - 1),
                exits.join(", ")
            )],
        ));
    }
    lines
}

/// A future's cumulative cash at the horizon and the exit value in it.
#[derive(Debug, Clone, Copy, Default)]
struct Horizon {
    cash: Decimal,
    exit: Decimal,
}

/// The line that keeps the chart from contradicting the verdict: when the
/// future ahead in undiscounted cash at the horizon is not the one the
/// NPV prefers, say that the verdict discounts, who wins it and by how
/// much, and why the curves disagree: the leader's cash comes later (its
/// lead, when more than half of it is the difference in exit values,
/// mostly as its exit value), and later cash is worth less today.
fn npv_line(summary: &Summary, site: &SiteSummary, mine: Horizon, ai: Horizon) -> Option<String> {
    let c = site.comparison.as_ref()?;
    let ai_ahead = ai.cash > mine.cash;
    let differs = match c.winner {
        Winner::Mine => ai_ahead,
        Winner::Ai => mine.cash > ai.cash,
        Winner::Tie => ai.cash != mine.cash,
    };
    if !differs {
        return None;
    }
    let head = format!(
        "Undiscounted; the verdict compares NPVs at {}",
        stated_percent(summary.inputs.discount_rate)
    );
    let (who, leader, other) = match c.winner {
        Winner::Tie => return Some(format!("{head}: the NPVs tie")),
        Winner::Mine => ("keep mining", ai, mine),
        Winner::Ai => ("convert to AI", mine, ai),
    };
    let name = if ai_ahead { "AI" } else { "mining" };
    let lead = leader.cash.saturating_sub(other.cash);
    let exit_gap = leader.exit.saturating_sub(other.exit);
    let mostly = if exit_gap.saturating_add(exit_gap) > lead {
        ", mostly its exit value,"
    } else {
        ""
    };
    Some(format!(
        "{head}: {who}, by {} ({name}'s later cash{mostly} is worth less today)",
        compact(c.npv_advantage_usd.abs(), "$")
    ))
}

/// `text` painted `colour` when there is one and colour is on.
fn paint_opt(text: &str, colour: Option<Colour>, on: bool) -> String {
    match colour {
        Some(c) if !text.is_empty() => paint(text, c, on),
        _ => text.to_string(),
    }
}

/// The labels under the x axis, as (tick column, first column of the
/// text, text): each labelled year at the column of its January, every
/// year or every 2nd, 5th, 10th … (the years divisible by it), the first
/// spacing at which no two labels touch. With fewer than two, the last
/// month is labelled too, ending at its column, so a short horizon still
/// shows where it ends; with no January, the first month as well.
fn year_labels(
    summary: &Summary,
    n: usize,
    cols: usize,
    end: usize,
) -> Vec<(usize, usize, String)> {
    let januaries: Vec<(usize, i32)> = (0..n)
        .filter(|&i| summary.month(i).month == 1)
        .map(|i| (slot_of(i, n, cols), summary.month(i).year))
        .collect();
    let mut chosen: Vec<(usize, usize, String)> = Vec::new();
    if januaries.is_empty() {
        chosen.push((0, 0, summary.month(0).to_string()));
    }
    for every in [1, 2, 5, 10, 20, 25, 50, 100, 250, 500, 1000] {
        let years: Vec<(usize, usize, String)> = januaries
            .iter()
            .filter(|(_, y)| y.rem_euclid(every) == 0)
            .map(|(c, y)| (*c, *c, y.to_string()))
            .collect();
        let fits = years.iter().all(|(_, c, t)| c + chars(t) <= cols + end);
        if !years.is_empty() && fits && apart(&years) {
            chosen = years;
            break;
        }
    }
    if chosen.len() < 2 && n > 1 {
        let last = summary.month(n - 1).to_string();
        let tick = slot_of(n - 1, n, cols);
        let from = (tick + 1).saturating_sub(chars(&last));
        let mut with_last = chosen.clone();
        with_last.push((tick, from, last));
        if apart(&with_last) {
            chosen = with_last;
        }
    }
    chosen
}

/// Whether labels in column order leave two columns between each other.
fn apart(labels: &[(usize, usize, String)]) -> bool {
    labels
        .windows(2)
        .all(|w| w[1].1 >= w[0].1 + chars(&w[0].2) + 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::sample;
    use crate::summary::MonthFigures;

    fn d(v: i64) -> Decimal {
        Decimal::from(v)
    }

    /// `sample::summary()` with `months` months from 2028-03 and each
    /// strategy's cumulative cash given by `mine(i)` and `ai(i)` (North);
    /// South keeps AI alone, with AI's figures.
    fn summary(
        months: usize,
        mine: impl Fn(usize) -> Decimal,
        ai: impl Fn(usize) -> Decimal,
    ) -> Summary {
        let mut s = sample::summary();
        s.months = months as u32;
        s.hashprice_usd_per_ph_day = vec![Decimal::ONE; months];
        let series = |f: &dyn Fn(usize) -> Decimal| -> Vec<MonthFigures> {
            (0..months)
                .map(|i| MonthFigures {
                    cumulative_cash_usd: f(i),
                    ..MonthFigures::default()
                })
                .collect()
        };
        s.sites[0].mine.as_mut().unwrap().outcome.monthly = series(&mine);
        s.sites[0].ai.as_mut().unwrap().outcome.monthly = series(&ai);
        s.sites[1].ai.as_mut().unwrap().outcome.monthly = series(&ai);
        s
    }

    /// Mining earns $10M a month from the first (cumulative 10, 20, …);
    /// AI spends $100M first and earns $20M a month (−100, −80, …). By
    /// hand: AI reaches mining when −100 + 20·i ≥ 10·(i + 1), i ≥ 11:
    /// both at $120M in month 11, 2029-02 (from 2028-03), where "at or
    /// above" makes it the crossing.
    fn crossing_example(months: usize) -> Summary {
        let m = 1_000_000;
        summary(
            months,
            |i| d(10 * m * (i as i64 + 1)),
            |i| d(-100 * m + 20 * m * i as i64),
        )
    }

    fn chart(s: &Summary, site: usize, ascii: bool, color: bool) -> Vec<String> {
        cumulative_cash(s, &s.sites[site], Style { ascii, color })
    }

    #[track_caller]
    fn fits(lines: &[String]) {
        assert!(lines.len() > ROWS, "{lines:#?}");
        for line in lines {
            assert!(chars(line) <= WIDTH, "{} > {WIDTH}: {line}", chars(line));
        }
    }

    #[test]
    fn crossings_from_the_exact_figures() {
        let v = |xs: &[i64]| xs.iter().map(|x| d(*x)).collect::<Vec<_>>();
        // AI below, equal (at or above: passes), above, below (mining
        // passes back), above again.
        let mine = v(&[5, 5, 5, 5, 5]);
        let ai = v(&[1, 5, 9, 4, 6]);
        assert_eq!(
            crossings(&mine, &ai),
            [
                Crossing {
                    month: 1,
                    ai_passes: true
                },
                Crossing {
                    month: 3,
                    ai_passes: false
                },
                Crossing {
                    month: 4,
                    ai_passes: true
                },
            ]
        );
        // Always ahead, equal throughout, or one month: none.
        assert!(crossings(&v(&[1, 2]), &v(&[3, 4])).is_empty());
        assert!(crossings(&v(&[1, 2]), &v(&[1, 2])).is_empty());
        assert!(crossings(&v(&[1]), &v(&[0])).is_empty());
    }

    /// More months than slots: slot s shows the last month of its run,
    /// so the last slot is the last month. Fewer: the months sit at
    /// i·(slots−1)/(n−1), the first and last exactly, straight between.
    #[test]
    fn sampling() {
        let months: Vec<f64> = (0..600).map(f64::from).collect();
        let s = sample(&months, 136);
        assert_eq!(s.len(), 136);
        // Slot 0 covers months 0 ..< ⌊600/136⌋ = 4: shows month 3.
        assert_eq!(s[0], 3.0);
        assert_eq!(s[135], 599.0);
        // Month 3 is drawn in slot 0, month 4 in slot 1, month 599 last.
        assert_eq!(slot_of(3, 600, 136), 0);
        assert_eq!(slot_of(4, 600, 136), 1);
        assert_eq!(slot_of(599, 600, 136), 135);
        for i in 0..600 {
            let slot = slot_of(i, 600, 136);
            let covers = (slot * 600 / 136)..((slot + 1) * 600 / 136);
            assert!(covers.contains(&i), "{i} in {slot}");
        }
        let twelve: Vec<f64> = (0..12).map(|i| f64::from(i) * 10.0).collect();
        let s = sample(&twelve, 67);
        // 66 / 11 = 6 slots a month: month 1 at slot 6, slot 3 halfway.
        assert_eq!((s[0], s[6], s[3], s[66]), (0.0, 10.0, 5.0, 110.0));
        assert_eq!(slot_of(1, 12, 67), 6);
        assert_eq!(slot_of(11, 12, 67), 66);
        assert_eq!(sample(&[7.0], 3), [7.0, 7.0, 7.0]);
    }

    /// Steps of 1, 2 or 5 × 10^k between a fifth and a half of the range,
    /// labelled exactly in one unit.
    #[test]
    fn ticks_and_labels() {
        // −40M … 120M: a fifth is 32M, so a step of 50M: 0, 50M, 100M
        // (−40M is not a multiple).
        let (t, exp) = ticks(-40e6, 120e6);
        assert_eq!(t, [d(0), d(50_000_000), d(100_000_000)]);
        assert_eq!(exp, 7);
        let u = unit(&t);
        let labels: Vec<String> = t.iter().map(|v| tick_label(*v, u, exp)).collect();
        assert_eq!(labels, ["$0", "$50M", "$100M"]);
        // −1.6B … 0.1B: a fifth is 340M, so 500M: −1.5B, −1.0B, −0.5B, 0,
        // with the one decimal the step needs.
        let (t, exp) = ticks(-1.6e9, 0.1e9);
        let u = unit(&t);
        let labels: Vec<String> = t.iter().map(|v| tick_label(*v, u, exp)).collect();
        assert_eq!(labels, ["-$1.5B", "-$1.0B", "-$0.5B", "$0"]);
        // Cents: 0.01 … 0.09, a fifth 0.016, step 0.02.
        let (t, exp) = ticks(0.01, 0.09);
        let u = unit(&t);
        let labels: Vec<String> = t.iter().map(|v| tick_label(*v, u, exp)).collect();
        assert_eq!(labels, ["$0.02", "$0.04", "$0.06", "$0.08"]);
        // A trillion: T.
        let (t, exp) = ticks(0.0, 2e12);
        assert_eq!(tick_label(t[1], unit(&t), exp), "$0.5T");
    }

    /// The crossing of `crossing_example` (2029-02) is named under the
    /// chart and marked on the axis, and nothing else is.
    #[test]
    fn the_crossover_month_is_marked() {
        for ascii in [false, true] {
            let s = crossing_example(24);
            let lines = chart(&s, 0, ascii, false);
            fits(&lines);
            let (up, marker) = if ascii { ('^', ':') } else { ('▲', '┊') };
            let named: Vec<&String> = lines.iter().filter(|l| l.starts_with(up)).collect();
            assert_eq!(
                named,
                [&format!(
                    "{up} 2029-02: AI's cumulative cash passes mining's"
                )]
            );
            let axis = lines
                .iter()
                .find(|l| l.contains(up) && !l.starts_with(up))
                .unwrap();
            let at = axis.chars().position(|c| c == up).unwrap();
            // Month 11 of 24 on 67 or 68 columns: slot 11·(cols−1)/23,
            // rounded, after the axis.
            let lead = axis.chars().position(|c| c == '└' || c == '+').unwrap() + 1;
            let cols = WIDTH - (lead + 5);
            assert_eq!(at - lead, slot_of(11, 24, cols));
            assert!(lines.iter().any(|l| l.chars().nth(at) == Some(marker)));
            assert!(!lines.iter().any(|l| l.contains("stays ahead")));
        }
        // AI falls back below in month 20: marked too, "again".
        let m = 1_000_000;
        let s = summary(
            24,
            |i| d(10 * m * (i as i64 + 1)),
            |i| {
                if i < 20 {
                    d(-100 * m + 20 * m * i as i64)
                } else {
                    d(0)
                }
            },
        );
        let lines = chart(&s, 0, false, false);
        assert!(lines.contains(&"▲ 2029-02: AI's cumulative cash passes mining's".to_string()));
        assert!(
            lines.contains(&"▼ 2029-11: mining's cumulative cash passes AI's again".to_string())
        );
    }

    #[test]
    fn never_crossing_says_who_stays_ahead() {
        let mut s = summary(36, |i| d(i as i64), |i| d(i as i64 - 5));
        // The verdict agrees with the curves (else a line says it does not).
        s.sites[0].comparison.as_mut().unwrap().winner = Winner::Mine;
        let lines = chart(&s, 0, false, false);
        assert_eq!(
            lines.last().unwrap(),
            "Mining's cumulative cash stays ahead of AI's over the whole horizon"
        );
        let s = summary(36, |_| d(7), |_| d(7));
        let lines = chart(&s, 0, false, false);
        fits(&lines);
        assert_eq!(
            lines.last().unwrap(),
            "The two futures' cumulative cash is the same in every month"
        );
    }

    /// 12 to 600 months, huge and tiny figures, one strategy or two, in
    /// both styles: every line within 80 columns, ASCII only with
    /// `ascii`, no escape codes without colour.
    #[test]
    fn fits_in_every_case() {
        type Figures = Box<dyn Fn(usize) -> Decimal>;
        let cases: Vec<(usize, Figures, Figures)> = vec![
            (
                12,
                Box::new(|i| d(i as i64 * 1_000)),
                Box::new(|i| d(5_000 - i as i64 * 700)),
            ),
            (
                240,
                Box::new(|i| d(i as i64) * d(4_000_000_000_000)),
                Box::new(|i| d(-(i as i64)) * d(1_000_000_000_000)),
            ),
            (
                600,
                Box::new(|i| Decimal::new(i as i64, 6)),
                Box::new(|i| Decimal::new(300 - i as i64, 6)),
            ),
            (
                600,
                Box::new(|i| d((i as i64 % 37) * 1_000_000 - 18_000_000)),
                Box::new(|i| d((i as i64 % 29) * -1_000_000)),
            ),
            (1, Box::new(|_| d(3)), Box::new(|_| d(-3))),
            (
                240,
                Box::new(|_| Decimal::new(1, 3)),
                Box::new(|_| Decimal::new(1, 3)),
            ),
        ];
        for (months, mine, ai) in cases {
            let s = summary(months, mine, ai);
            for site in 0..2 {
                for ascii in [false, true] {
                    let lines = chart(&s, site, ascii, false);
                    fits(&lines);
                    for line in &lines {
                        assert!(!line.contains('\x1b'), "{line}");
                        if ascii {
                            assert!(line.is_ascii(), "{line}");
                        }
                    }
                }
            }
        }
    }

    /// Under a chart whose undiscounted order at the horizon is not the
    /// NPV's verdict, one line says so. `crossing_example(24)` ends with
    /// AI at −100M + 20M × 23 = $360M and mining at 10M × 24 = $240M: AI
    /// ahead by $120M. With mining the NPV winner by 12,772,019.29
    /// (compact: $13M, whole millions from ten up) at the sample's 10 %
    /// the line appears; with no
    /// exit value the lead is not "mostly its exit value". An AI exit of
    /// $61M is more than half the $120M lead: it is; $59M is not.
    #[test]
    fn npv_line_when_the_curves_disagree_with_the_verdict() {
        let mut s = crossing_example(24);
        // As shipped the sample's winner is AI, ahead at the end too.
        let words = chart(&s, 0, false, false).join(" ");
        assert!(!words.contains("Undiscounted;"), "{words}");
        let c = s.sites[0].comparison.as_mut().unwrap();
        c.winner = Winner::Mine;
        c.npv_advantage_usd = "12772019.29".parse().unwrap();
        let words = chart(&s, 0, false, false).join(" ");
        assert!(
            words.contains(
                "Undiscounted; the verdict compares NPVs at 10 %: keep mining, by $13M (AI's later cash is worth less today)"
            ),
            "{words}"
        );
        let with_exit = |s: &mut Summary, v: i64| {
            let ai = &mut s.sites[0].ai.as_mut().unwrap().outcome;
            ai.monthly[23].f2 = Some(crate::summary::MonthF2 {
                terminal_value_usd: d(v),
                ..Default::default()
            });
        };
        with_exit(&mut s, 61_000_000);
        let words = chart(&s, 0, true, false).join(" ");
        assert!(
            words.contains("(AI's later cash, mostly its exit value, is worth less today)"),
            "{words}"
        );
        with_exit(&mut s, 59_000_000);
        let words = chart(&s, 0, true, false).join(" ");
        assert!(
            words.contains("(AI's later cash is worth less today)"),
            "{words}"
        );
        // Every line of it within 80 columns and ASCII with --ascii.
        for l in chart(&s, 0, true, false) {
            assert!(l.is_ascii() && chars(&l) <= WIDTH, "{l}");
        }
        // A tie in NPV with different cash at the end.
        s.sites[0].comparison.as_mut().unwrap().winner = Winner::Tie;
        let words = chart(&s, 0, false, false).join(" ");
        assert!(
            words.contains("Undiscounted; the verdict compares NPVs at 10 %: the NPVs tie"),
            "{words}"
        );
    }

    /// Colour paints mining magenta and AI bold blue, legend and end
    /// labels included; the characters are the same as without it.
    #[test]
    fn colour_only_when_on() {
        let s = crossing_example(24);
        let plain = chart(&s, 0, false, false);
        let coloured = chart(&s, 0, false, true);
        let text = coloured.join("\n");
        assert!(text.contains("\x1b[35m"));
        assert!(text.contains("\x1b[1;34m"));
        assert!(text.contains("\x1b[1;34m AI\x1b[0m"));
        // Neither yellow nor cyan (faint on a white terminal).
        assert!(!text.contains("\x1b[33m") && !text.contains("\x1b[36m"));
        let stripped: Vec<String> = coloured
            .iter()
            .map(|l| {
                l.replace("\x1b[1m", "")
                    .replace("\x1b[35m", "")
                    .replace("\x1b[1;34m", "")
                    .replace("\x1b[0m", "")
            })
            .collect();
        assert_eq!(stripped, plain);
    }

    /// An exit value in the last month is named, and a crossing it alone
    /// makes says so.
    #[test]
    fn exit_values_are_named() {
        let m = 1_000_000;
        let mut s = summary(
            24,
            |i| d(10 * m * (i as i64 + 1)),
            |i| {
                if i < 23 { d(-50 * m) } else { d(400 * m) }
            },
        );
        let ai = &mut s.sites[0].ai.as_mut().unwrap().outcome;
        ai.monthly[23].f2 = Some(crate::summary::MonthF2 {
            terminal_value_usd: d(450 * m),
            ..Default::default()
        });
        let lines = chart(&s, 0, false, false);
        assert!(lines.contains(
            &"▲ 2030-02: AI's cumulative cash passes mining's, through the exit values".to_string()
        ));
        assert_eq!(
            lines.last().unwrap(),
            "The last month (2030-02) includes the exit value: AI $450M"
        );
    }

    /// The example checked by eye: 24 months, AI passing mining in
    /// 2029-02 (see `crossing_example`), mining's line straight up from
    /// $10M to $240M, AI's from −$100M to $360M.
    #[test]
    fn example() {
        let s = crossing_example(24);
        let text = chart(&s, 0, false, false).join("\n");
        let ascii = chart(&s, 0, true, false).join("\n");
        insta::assert_snapshot!(format!("{text}\n\n{ascii}"));
    }
}
