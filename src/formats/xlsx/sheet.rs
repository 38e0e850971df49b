//! One worksheet, streamed cell by cell through the fast tag scanner: rows, columns and the
//! AutoFilter tell the shared [`Grid`] what is hidden, and every cell goes to it with the
//! effect of its format. The grid decides what a reader cannot see and reports it, the same
//! way for every spreadsheet format. No grid of cells is ever built.

use super::strings::SharedStrings;
use super::styles::Styles;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::formats::grid::Grid;
pub use crate::formats::grid::{Rect, SheetInput, SheetState, SheetSummary};
use crate::model::parse_cell_ref;
use crate::xml::fast::{TagScanner, Token, push_text};
use std::borrow::Cow;

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

/// Streams the worksheet and reports its hidden and disguised content.
pub fn inspect(
    pkg: &mut Package<'_>,
    input: SheetInput<'_>,
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
    let mut grid = Grid::new(input);

    let mut autofilter: Option<Rect> = None;
    let mut autofilter_active = false;
    let mut in_autofilter = false;

    let mut row = 0u32;
    let mut next_col = 0u32;
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
        if events.is_multiple_of(8192) {
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
                    if row_is_hidden(hidden, ht, custom, grid.rows_hidden_by_default()) {
                        grid.hide_row(row);
                    }
                    next_col = 0;
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
                        grid.side_text(ctx, &v, "scenario value");
                    }
                }
                "v" if !empty => in_v = true,
                "f" if !empty => in_f = true,
                "t" if !empty => in_is_t = true,
                "rPh" if !empty => in_phonetic = true,
                "sheetFormatPr" => grid.set_rows_hidden_by_default(is_true(&a.one("zeroHeight"))),
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
                        grid.hide_columns(min - 1, max - 1);
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
                    let effect = styles.effect(cell.style);
                    let disguise = if cell.kind == CellKind::Number {
                        effect.numbers
                    } else {
                        effect.text
                    };
                    grid.cell(ctx, cell.row, cell.col, value, &cell.formula, disguise);
                }
                "oddHeader" | "oddFooter" | "evenHeader" | "evenFooter" | "firstHeader"
                | "firstFooter" | "formula1" | "formula2" => {
                    // Text a reader does not see on screen: print headers, dropdown lists.
                    if let Some((detail, text)) = side_text.take() {
                        grid.side_text(ctx, &text, detail);
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
    if autofilter_active && let Some(r) = autofilter {
        grid.set_active_autofilter(r);
    }
    Ok(grid.finish(ctx))
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
