//! One worksheet, streamed cell by cell: hidden rows and columns, filtered rows, disguised
//! cells and stray cells far from the data. No grid is ever built: memory is proportional
//! to hidden rows, not to the sheet's extent.

use super::strings::SharedStrings;
use super::styles::{Disguise, Styles};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Extent, Item, ItemKind, Severity, column_name, parse_cell_ref};
use crate::util::{ContentDigest, plural, thousands};
use crate::xml::fast::{TagScanner, Token, push_text};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Rows further below the data than this are "far outside the used range".
const FAR_ROWS: u32 = 1000;
/// Columns further right of the data than this are far outside it too.
const FAR_COLS: u32 = 256;

/// A rectangle of zero-based cells, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub top: u32,
    pub left: u32,
    pub bottom: u32,
    pub right: u32,
}

impl Rect {
    /// Parses `A1:D20` (or a single cell).
    pub fn parse(s: &str) -> Option<Rect> {
        let s = s.split_whitespace().next()?;
        let (a, b) = s.split_once(':').unwrap_or((s, s));
        let (top, left) = parse_cell_ref(a)?;
        let (bottom, right) = parse_cell_ref(b)?;
        Some(Rect {
            top: top.min(bottom),
            left: left.min(right),
            bottom: top.max(bottom),
            right: left.max(right),
        })
    }
}

/// What the sheet's visibility is in the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetState {
    Visible,
    Hidden,
    VeryHidden,
}

/// Counts the workbook-level checks need.
#[derive(Debug, Default)]
pub struct SheetSummary {
    pub data_cells: u64,
    pub data_rows: u64,
    pub extent: Extent,
    /// ContentDigest of every data cell, so fingerprints follow the content.
    pub digest: ContentDigest,
}

#[derive(Default)]
struct HiddenRow {
    row: u32,
    cells: u32,
    min_col: u32,
    max_col: u32,
    digest: ContentDigest,
}

#[derive(Default)]
struct Cell {
    row: u32,
    col: u32,
    style: u32,
    kind: CellKind,
    value: String,
    formula: String,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum CellKind {
    #[default]
    Number,
    Shared,
    Inline,
    FormulaString,
    Bool,
    Error,
    Date,
}

#[derive(Default)]
struct Tally {
    cells: u64,
    extent: Extent,
    digest: ContentDigest,
}

impl Tally {
    fn add(&mut self, row: u32, col: u32, value: &str) {
        self.cells += 1;
        self.extent.add(row, col);
        self.digest.update_cell(row, col, value);
    }

    /// One high, hidden finding covering every counted cell of the sheet.
    fn report(
        &self,
        ctx: &mut Ctx<'_>,
        input: &SheetInput<'_>,
        rule: &'static str,
        kind: &str,
        message: String,
    ) {
        let loc = ctx
            .loc(input.part)
            .with_sheet(input.name)
            .with_range(self.extent.range().unwrap_or_default());
        let key = format!("{kind}:{}", self.digest.hex());
        ctx.report(rule, Severity::High, true, loc, message, &key);
    }
}

pub struct SheetInput<'a> {
    pub part: &'a str,
    pub name: &'a str,
    pub state: SheetState,
    /// AutoFilter ranges of tables on this sheet that have active filter columns.
    pub table_filters: &'a [Rect],
}

/// Streams the worksheet and reports its hidden and disguised content.
pub fn inspect(
    pkg: &mut Package<'_>,
    input: &SheetInput<'_>,
    strings: &mut SharedStrings,
    styles: &Styles,
    ctx: &mut Ctx<'_>,
) -> ScanResult<SheetSummary> {
    let Some(reader) = pkg.reader(input.part, ctx)? else {
        let loc = ctx.loc(input.part).with_sheet(input.name);
        ctx.unscannable(loc, "the sheet's part is missing from the package");
        return Ok(SheetSummary::default());
    };
    let mut xml = TagScanner::new(reader, input.part);
    let sheet_hidden = input.state != SheetState::Visible;

    let mut summary = SheetSummary::default();
    // Sorted and merged once cells start, then binary-searched: a hostile sheet with
    // thousands of <col> entries must not make every cell cost thousands of comparisons.
    let mut hidden_cols: Vec<(u32, u32)> = Vec::new();
    let mut cols_merged = false;
    let mut rows_hidden_by_default = false;
    let mut hidden_rows: Vec<HiddenRow> = Vec::new();
    let mut hidden_col_cells = Tally::default();
    let mut hidden_col_letters: BTreeMap<u32, u32> = BTreeMap::new();
    let mut disguised: BTreeMap<Disguise, Tally> = BTreeMap::new();
    let mut far = Tally::default();
    let mut autofilter: Option<Rect> = None;
    let mut autofilter_active = false;
    let mut in_autofilter = false;

    let mut row = 0u32;
    let mut row_hidden = false;
    let mut row_has_data = false;
    let mut next_col = 0u32;
    let mut last_data_row: Option<u32> = None;
    let mut far_from_row: Option<u32> = None;
    let mut main_max_col = 0u32;
    let mut cell = Cell::default();
    // Which text-bearing child of <c> we are inside.
    let mut in_v = false;
    let mut in_f = false;
    let mut in_is_t = false;
    let mut in_phonetic = false;
    // Text outside the grid (headers, footers, validation lists), with what it is.
    let mut side_text: Option<(&'static str, String)> = None;
    let mut events = 0u64;

    loop {
        events += 1;
        if events % 8192 == 0 {
            ctx.check_time()?;
        }
        match xml.next_token()? {
            Token::Start {
                name,
                attrs: a,
                empty,
            } => match name {
                "row" => {
                    let [r_attr, hidden, ht, custom] = a.get(["r", "hidden", "ht", "customHeight"]);
                    row = r_attr
                        .and_then(|r| r.trim().parse::<u32>().ok())
                        .map(|r| r.saturating_sub(1))
                        .unwrap_or(row.wrapping_add(1));
                    row_hidden = row_is_hidden(hidden, ht, custom, rows_hidden_by_default);
                    row_has_data = false;
                    next_col = 0;
                    if row_hidden {
                        hidden_rows.push(HiddenRow {
                            row,
                            min_col: u32::MAX,
                            ..Default::default()
                        });
                    }
                    if empty {
                        row_hidden = false;
                    }
                }
                "c" => {
                    let [r_attr, s_attr, t_attr] = a.get(["r", "s", "t"]);
                    let (r, c) = r_attr
                        .and_then(|r| parse_cell_ref(&r))
                        .unwrap_or((row, next_col));
                    cell = Cell {
                        row: r,
                        col: c,
                        style: s_attr.and_then(|s| s.parse().ok()).unwrap_or(0),
                        kind: match t_attr.as_deref() {
                            Some("s") => CellKind::Shared,
                            Some("inlineStr") => CellKind::Inline,
                            Some("str") => CellKind::FormulaString,
                            Some("b") => CellKind::Bool,
                            Some("e") => CellKind::Error,
                            Some("d") => CellKind::Date,
                            _ => CellKind::Number,
                        },
                        value: std::mem::take(&mut cell.value),
                        formula: std::mem::take(&mut cell.formula),
                    };
                    cell.value.clear();
                    cell.formula.clear();
                    next_col = c.saturating_add(1);
                    if !empty && let Some(raw) = xml.take_simple(b"v")? {
                        push_text(raw, &mut cell.value);
                    }
                }
                "oddHeader" | "oddFooter" | "evenHeader" | "evenFooter" | "firstHeader"
                | "firstFooter"
                    if !empty =>
                {
                    side_text = Some(("page header or footer", String::new()));
                }
                "formula1" | "formula2" if !empty => {
                    side_text = Some(("data validation list", String::new()));
                }
                "inputCells" => {
                    if let Some(v) = a.one("val") {
                        ctx.item(&Item {
                            text: &v,
                            kind: ItemKind::Text,
                            hidden: true,
                            part: input.part,
                            sheet: Some(input.name),
                            cell: None,
                            detail: Some("scenario value"),
                            doc: DocPlace::NONE,
                        });
                    }
                }
                "v" if !empty => in_v = true,
                "f" if !empty => in_f = true,
                "t" if !empty => in_is_t = true,
                "rPh" if !empty => in_phonetic = true,
                "sheetFormatPr" => rows_hidden_by_default = is_true(&a.one("zeroHeight")),
                "col" => {
                    let [hidden, width, min, max] = a.get(["hidden", "width", "min", "max"]);
                    let number =
                        |v: Option<Cow<'_, str>>| v.and_then(|v| v.trim().parse::<f64>().ok());
                    let hidden = is_true(&hidden) || number(width) == Some(0.0);
                    if hidden
                        && let (Some(min), Some(max)) = (number(min), number(max))
                        && (1.0..=16384.0).contains(&min)
                    {
                        let (min, max) = (min as u32, max.clamp(min, 16384.0) as u32);
                        hidden_cols.push((min - 1, max - 1));
                        cols_merged = false;
                    }
                }
                "autoFilter" => {
                    autofilter = a.one("ref").and_then(|r| Rect::parse(&r));
                    in_autofilter = !empty;
                }
                "filterColumn" if in_autofilter => autofilter_active = true,
                _ => {}
            },
            Token::End { name } => match name {
                "c" => {
                    let value = resolve_value(&cell, strings);
                    // A formula is data even without a cached value (generators such as
                    // openpyxl write none), and it can carry literals of its own.
                    let has_data = !value.trim().is_empty() || !cell.formula.trim().is_empty();
                    let content = if value.trim().is_empty() {
                        cell.formula.as_str()
                    } else {
                        value
                    };
                    if !cols_merged {
                        merge_ranges(&mut hidden_cols);
                        cols_merged = true;
                    }
                    let col_hidden = in_ranges(&hidden_cols, cell.col);
                    let effect = styles.effect(cell.style);
                    let disguise = if cell.kind == CellKind::Number {
                        effect.numbers
                    } else {
                        effect.text
                    };
                    let mut is_far = false;
                    if has_data {
                        summary.data_cells += 1;
                        summary.extent.add(cell.row, cell.col);
                        summary.digest.update_cell(cell.row, cell.col, content);
                        row_has_data = true;
                        if let Some(last) = last_data_row
                            && far_from_row.is_none()
                            && cell.row > last.saturating_add(FAR_ROWS)
                        {
                            far_from_row = Some(cell.row);
                        }
                        is_far = far_from_row.is_some_and(|f| cell.row >= f)
                            || (summary.data_cells > 1
                                && cell.col > main_max_col.saturating_add(FAR_COLS));
                        if is_far {
                            far.add(cell.row, cell.col, content);
                        } else {
                            last_data_row = Some(cell.row);
                            main_max_col = main_max_col.max(cell.col);
                        }
                        if row_hidden && let Some(h) = hidden_rows.last_mut() {
                            h.cells += 1;
                            h.min_col = h.min_col.min(cell.col);
                            h.max_col = h.max_col.max(cell.col);
                            h.digest.update_cell(cell.row, cell.col, content);
                        }
                        if col_hidden && !row_hidden {
                            hidden_col_cells.add(cell.row, cell.col, content);
                            *hidden_col_letters.entry(cell.col).or_default() += 1;
                        }
                        if let Some(d) = disguise
                            && !row_hidden
                            && !col_hidden
                        {
                            disguised
                                .entry(d)
                                .or_default()
                                .add(cell.row, cell.col, content);
                        }
                    }
                    let hidden =
                        sheet_hidden || row_hidden || col_hidden || disguise.is_some() || is_far;
                    let pos = Some((cell.row, cell.col));
                    ctx.item(&Item {
                        text: value,
                        kind: ItemKind::Cell,
                        hidden,
                        part: input.part,
                        sheet: Some(input.name),
                        cell: pos,
                        detail: None,
                        doc: DocPlace::NONE,
                    });
                    if !cell.formula.is_empty() {
                        ctx.item(&Item {
                            text: &cell.formula,
                            kind: ItemKind::Cell,
                            hidden,
                            part: input.part,
                            sheet: Some(input.name),
                            cell: pos,
                            detail: Some("formula"),
                            doc: DocPlace::NONE,
                        });
                    }
                }
                "row" => {
                    if row_has_data {
                        summary.data_rows += 1;
                    }
                    row_hidden = false;
                    row_has_data = false;
                }
                "oddHeader" | "oddFooter" | "evenHeader" | "evenFooter" | "firstHeader"
                | "firstFooter" | "formula1" | "formula2" => {
                    // Text a reader does not see on screen: print headers, dropdown lists.
                    if let Some((detail, text)) = side_text.take() {
                        ctx.item(&Item {
                            text: &text,
                            kind: ItemKind::Text,
                            hidden: true,
                            part: input.part,
                            sheet: Some(input.name),
                            cell: None,
                            detail: Some(detail),
                            doc: DocPlace::NONE,
                        });
                    }
                }
                "v" => in_v = false,
                "f" => in_f = false,
                "t" => in_is_t = false,
                "rPh" => in_phonetic = false,
                "autoFilter" => in_autofilter = false,
                _ => {}
            },
            Token::Eof => break,
            Token::Text(raw) => {
                if let Some((_, out)) = &mut side_text {
                    push_text(raw, out);
                } else if let Some(out) =
                    text_target(&mut cell, in_v, in_f, in_is_t && !in_phonetic)
                {
                    push_text(raw, out);
                }
            }
            Token::CData(raw) => {
                if let Some(out) = text_target(&mut cell, in_v, in_f, in_is_t && !in_phonetic) {
                    out.push_str(&String::from_utf8_lossy(raw));
                }
            }
        }
    }
    drop(xml);

    if sheet_hidden {
        // The hidden-sheet finding covers everything in it.
        return Ok(summary);
    }

    let mut filters: Vec<Rect> = input.table_filters.to_vec();
    if autofilter_active && let Some(r) = autofilter {
        filters.push(r);
    }
    let (filtered, plain): (Vec<&HiddenRow>, Vec<&HiddenRow>) = hidden_rows
        .iter()
        .partition(|h| filters.iter().any(|f| h.row > f.top && h.row <= f.bottom));
    report_rows(ctx, input, "hidden-rows", &plain, rows_hidden_by_default);
    report_rows(ctx, input, "filtered-rows", &filtered, false);
    merge_ranges(&mut hidden_cols);
    report_columns(
        ctx,
        input,
        &hidden_cols,
        &hidden_col_cells,
        &hidden_col_letters,
    );
    for (reason, tally) in &disguised {
        tally.report(
            ctx,
            input,
            "disguised-content",
            &format!("{reason:?}"),
            format!(
                "{} on sheet '{}' {} data that cannot be seen: {}",
                plural(tally.cells, "cell", "cells"),
                input.name,
                if tally.cells == 1 { "holds" } else { "hold" },
                reason.describe()
            ),
        );
    }
    if far.cells > 0 {
        far.report(
            ctx,
            input,
            "residual-data",
            "far",
            format!(
                "{} on sheet '{}' {} far outside the used range, where nobody scrolls",
                plural(far.cells, "cell", "cells"),
                input.name,
                if far.cells == 1 { "lies" } else { "lie" },
            ),
        );
    }
    Ok(summary)
}

/// Sorts inclusive ranges and merges those that overlap or touch.
fn merge_ranges(ranges: &mut Vec<(u32, u32)>) {
    ranges.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for &(a, b) in ranges.iter() {
        match merged.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    *ranges = merged;
}

/// Whether `x` falls in one of the sorted, disjoint inclusive ranges.
fn in_ranges(ranges: &[(u32, u32)], x: u32) -> bool {
    let i = ranges.partition_point(|&(_, end)| end < x);
    ranges.get(i).is_some_and(|&(start, _)| start <= x)
}

fn is_true(v: &Option<Cow<'_, str>>) -> bool {
    matches!(v.as_deref(), Some("1" | "true"))
}

fn row_is_hidden(
    hidden: Option<Cow<'_, str>>,
    ht: Option<Cow<'_, str>>,
    custom_height: Option<Cow<'_, str>>,
    hidden_by_default: bool,
) -> bool {
    if is_true(&hidden) {
        return true;
    }
    let ht: Option<f64> = ht.and_then(|h| h.trim().parse().ok());
    if ht == Some(0.0) {
        return true;
    }
    // With zeroHeight, rows are hidden unless given an explicit height.
    hidden_by_default
        && !(is_true(&custom_height) && ht.is_some_and(|h| h > 0.0))
        && !matches!(hidden.as_deref(), Some("0" | "false"))
}

/// Where text inside the current cell goes: its value, its formula, or nowhere.
fn text_target(cell: &mut Cell, in_v: bool, in_f: bool, in_inline_t: bool) -> Option<&mut String> {
    if in_v {
        Some(&mut cell.value)
    } else if in_f {
        Some(&mut cell.formula)
    } else if in_inline_t && cell.kind == CellKind::Inline {
        Some(&mut cell.value)
    } else {
        None
    }
}

fn report_rows(
    ctx: &mut Ctx<'_>,
    input: &SheetInput<'_>,
    rule: &'static str,
    rows: &[&HiddenRow],
    by_default: bool,
) {
    if rows.is_empty() {
        return;
    }
    let with_data: Vec<&&HiddenRow> = rows.iter().filter(|h| h.cells > 0).collect();
    let cells: u64 = with_data.iter().map(|h| h.cells as u64).sum();
    let rows_word = if rows.len() == 1 { "row" } else { "rows" };
    let what = if rule == "filtered-rows" {
        format!("{rows_word} hidden by an active AutoFilter")
    } else if by_default {
        format!("hidden {rows_word} (rows are hidden by default on this sheet)")
    } else {
        format!("hidden {rows_word}")
    };
    let mut extent = Extent::default();
    for h in &with_data {
        extent.add(h.row, h.min_col);
        extent.add(h.row, h.max_col);
    }
    let (severity, message, range) = if cells > 0 {
        // Filtered rows are a different rule; the config's minimum is for plain hidden rows.
        let min = ctx.limits.hidden_rows_min as usize;
        let below_min = rule == "hidden-rows" && with_data.len() < min;
        (
            if below_min {
                Severity::Low
            } else {
                Severity::High
            },
            format!(
                "sheet '{}' has {} {what}; {} {} of data (rows {}){}",
                input.name,
                thousands(rows.len() as u64),
                match with_data.len() {
                    1 => "1 holds".to_string(),
                    n => format!("{} hold", thousands(n as u64)),
                },
                plural(cells, "cell", "cells"),
                row_list(with_data.iter().map(|h| h.row)),
                if below_min {
                    format!(", fewer than the hidden_rows_min of {min} set in the config")
                } else {
                    String::new()
                }
            ),
            extent.range(),
        )
    } else {
        let first = rows[0].row;
        let last = rows[rows.len() - 1].row;
        (
            Severity::Info,
            format!(
                "sheet '{}' has {} {what}, all empty",
                input.name,
                thousands(rows.len() as u64)
            ),
            Some(format!("{}:{}", first + 1, last + 1)),
        )
    };
    let mut loc = ctx.loc(input.part).with_sheet(input.name);
    loc.range = range;
    ctx.report(rule, severity, true, loc, message, &{
        let mut digest = ContentDigest::default();
        rows.iter().for_each(|h| digest.merge(h.digest));
        format!("{}:{}", rows.len(), digest.hex())
    });
}

fn report_columns(
    ctx: &mut Ctx<'_>,
    input: &SheetInput<'_>,
    hidden_cols: &[(u32, u32)],
    cells: &Tally,
    letters: &BTreeMap<u32, u32>,
) {
    if hidden_cols.is_empty() {
        return;
    }
    let mut cols: Vec<u32> = Vec::new();
    let mut total = 0u64;
    for &(a, b) in hidden_cols {
        total += (b - a + 1) as u64;
        if cols.len() < 20 {
            cols.extend((a..=b).take(20));
        }
    }
    if cells.cells > 0 {
        let names: Vec<String> = letters.keys().take(12).map(|c| column_name(*c)).collect();
        let more = if letters.len() > 12 { ", …" } else { "" };
        let loc = ctx
            .loc(input.part)
            .with_sheet(input.name)
            .with_range(cells.extent.range().unwrap_or_default());
        ctx.report(
            "hidden-columns",
            Severity::High,
            true,
            loc,
            format!(
                "sheet '{}' has {} hidden {}; {} {}{more} {} {} of data",
                input.name,
                thousands(total),
                if total == 1 { "column" } else { "columns" },
                if letters.len() == 1 {
                    "column"
                } else {
                    "columns"
                },
                names.join(", "),
                if letters.len() == 1 { "holds" } else { "hold" },
                plural(cells.cells, "cell", "cells"),
            ),
            &format!("{total}:{}", cells.digest.hex()),
        );
    } else {
        let (a, b) = hidden_cols[0];
        let loc = ctx
            .loc(input.part)
            .with_sheet(input.name)
            .with_range(format!("{}:{}", column_name(a), column_name(b)));
        ctx.report(
            "hidden-columns",
            Severity::Info,
            true,
            loc,
            format!(
                "sheet '{}' has {} hidden {}, all empty",
                input.name,
                thousands(total),
                if total == 1 { "column" } else { "columns" }
            ),
            &total.to_string(),
        );
    }
}

/// "5–9, 12, 20–22" (one-based), shortened after a few runs.
fn row_list(rows: impl Iterator<Item = u32>) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for r in rows {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == r => *end = r,
            _ => runs.push((r, r)),
        }
    }
    let shown: Vec<String> = runs
        .iter()
        .take(5)
        .map(|&(a, b)| {
            if a == b {
                (a + 1).to_string()
            } else {
                format!("{}–{}", a + 1, b + 1)
            }
        })
        .collect();
    let mut out = shown.join(", ");
    if runs.len() > 5 {
        out.push_str(", …");
    }
    out
}

fn resolve_value<'a>(cell: &'a Cell, strings: &'a mut SharedStrings) -> &'a str {
    match cell.kind {
        CellKind::Shared => cell
            .value
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|i| strings.get(i))
            .unwrap_or(""),
        CellKind::Bool => match cell.value.trim() {
            "1" => "TRUE",
            "0" => "FALSE",
            _ => "",
        },
        _ => &cell.value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_ranges_merge_and_search() {
        let mut r = vec![(10, 12), (2, 3), (4, 4), (11, 20), (30, 30)];
        merge_ranges(&mut r);
        assert_eq!(r, vec![(2, 4), (10, 20), (30, 30)]);
        for (x, hit) in [
            (1, false),
            (2, true),
            (4, true),
            (5, false),
            (15, true),
            (21, false),
            (30, true),
            (31, false),
        ] {
            assert_eq!(in_ranges(&r, x), hit, "{x}");
        }
    }
}
