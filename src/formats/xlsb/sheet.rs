//! One worksheet part, streamed record by record into the shared [`Grid`]: `BrtWsFmtInfo`,
//! `BrtColInfo` and `BrtRowHdr` say which rows and columns are hidden, `BrtBeginAFilter`
//! which filter is active, and every cell record goes to the grid with the effect of its
//! format (`iStyleRef`). Page headers and footers, AutoFilter criteria, data validation
//! lists, hyperlink texts and scenario values are sent as text of the sheet. No grid of
//! cells is ever built.

use super::formula::{self, Names};
use super::records::{self as rec, Fields, Records, error_text, number_text, rk};
use super::strings::SharedStrings;
use super::styles::Styles;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanError, ScanResult};
use crate::formats::grid::{Disguise, Grid, Rect, SheetInput, SheetSummary};

/// Highest row and column a worksheet can hold.
const MAX_ROW: u32 = 0x000F_FFFF;
const MAX_COL: u32 = 0x3FFF;

/// A formula cell held back one record, since a shared or array formula (`BrtShrFmla`,
/// `BrtArrFmla`) that follows it carries the formula's text.
struct Pending {
    row: u32,
    col: u32,
    value: String,
    formula: String,
    disguise: Option<Disguise>,
}

/// Streams the worksheet and reports its hidden and disguised content.
pub fn inspect(
    pkg: &mut Package<'_>,
    input: SheetInput<'_>,
    strings: &mut SharedStrings,
    styles: &Styles,
    names: &Names<'_>,
    ctx: &mut Ctx<'_>,
) -> ScanResult<SheetSummary> {
    let Some(reader) = pkg.reader(input.part, ctx)? else {
        let loc = ctx.loc(input.part).with_sheet(input.name);
        ctx.unscannable(loc, "the sheet's part is missing from the package");
        return Ok(SheetSummary::default());
    };
    let part = input.part;
    let mut records = Records::new(reader, part);
    let mut grid = Grid::new(input);
    let mut body = Vec::new();
    let mut row = 0u32;
    let mut next_col = 0u32;
    let mut pending: Option<Pending> = None;
    let mut autofilter: Option<Rect> = None;
    let mut autofilter_active = false;
    let mut in_autofilter = false;
    let mut first = true;
    while let Some(id) = records.next(&mut body, ctx)? {
        if first {
            first = false;
            if id != rec::BEGIN_SHEET {
                return Err(ScanError::new(format!(
                    "{part} is not a BIFF12 worksheet (it starts with record type 0x{id:04X})"
                )));
            }
        }
        let mut f = Fields::new(&body);
        if matches!(id, rec::SHR_FMLA | rec::ARR_FMLA) {
            // The text of the formula the previous cell shares.
            if let Some(p) = pending.as_mut()
                && p.formula.is_empty()
                && let Some(rfx) = f.rfx()
            {
                if id == rec::ARR_FMLA {
                    f.u8();
                }
                if let Some(text) = parsed_formula(&mut f, names, (rfx[0], rfx[2])) {
                    p.formula = text;
                }
            }
            continue;
        }
        if let Some(p) = pending.take() {
            grid.cell(ctx, p.row, p.col, &p.value, &p.formula, p.disguise);
        }
        match id {
            rec::WS_FMT_INFO => {
                if let Some(flags) = f.skip(8).and_then(|_| f.u16()) {
                    grid.set_rows_hidden_by_default(flags & 0x0002 != 0);
                }
            }
            rec::COL_INFO => {
                if let (Some(first_col), Some(last_col), Some(width), Some(_), Some(flags)) =
                    (f.u32(), f.u32(), f.u32(), f.u32(), f.u16())
                {
                    let hidden = flags & 0x0001 != 0 || (width == 0 && flags & 0x0002 != 0);
                    if hidden && first_col <= MAX_COL {
                        grid.hide_columns(first_col, last_col.clamp(first_col, MAX_COL));
                    }
                }
            }
            rec::ROW_HDR => {
                let (Some(rw), Some(_), Some(height), Some(flags)) =
                    (f.u32(), f.u32(), f.u16(), f.u16())
                else {
                    return Err(ScanError::new(format!("{part}: a row header is cut short")));
                };
                row = rw.min(MAX_ROW);
                next_col = 0;
                let custom_height = flags & 0x2000 != 0;
                let hidden = flags & 0x1000 != 0
                    || (custom_height && height == 0)
                    || (grid.rows_hidden_by_default() && !(custom_height && height > 0));
                if hidden {
                    grid.hide_row(row);
                }
            }
            rec::CELL_BLANK..=rec::FMLA_ERROR | rec::CELL_RSTRING => {
                let (Some(col), Some(style)) = (f.u32(), f.u32()) else {
                    return Err(cut_short(part, row));
                };
                let col = col.min(MAX_COL);
                next_col = col.saturating_add(1);
                let cell = read_cell(id, &mut f, strings, names, (row, col))
                    .ok_or_else(|| cut_short(part, row))?;
                let effect = styles.effect(style & 0x00FF_FFFF);
                let disguise = if cell.numeric {
                    effect.numbers
                } else {
                    effect.text
                };
                if cell.formula.is_some() {
                    pending = Some(Pending {
                        row,
                        col,
                        value: cell.value,
                        formula: cell.formula.unwrap_or_default(),
                        disguise,
                    });
                } else {
                    grid.cell(ctx, row, col, &cell.value, "", disguise);
                }
            }
            rec::SHORT_BLANK..=rec::SHORT_ISST | 0x003D => {
                let Some(style) = f.u32() else {
                    return Err(cut_short(part, row));
                };
                let col = next_col.min(MAX_COL);
                next_col = col.saturating_add(1);
                let long = match id {
                    0x003D => rec::CELL_RSTRING,
                    short => short - rec::SHORT_BLANK + rec::CELL_BLANK,
                };
                let cell = read_cell(long, &mut f, strings, names, (row, col))
                    .ok_or_else(|| cut_short(part, row))?;
                let effect = styles.effect(style & 0x00FF_FFFF);
                let disguise = if cell.numeric {
                    effect.numbers
                } else {
                    effect.text
                };
                grid.cell(ctx, row, col, &cell.value, "", disguise);
            }
            rec::BEGIN_AFILTER => {
                autofilter = f.rfx().map(|[r1, r2, c1, c2]| Rect {
                    top: r1.min(r2),
                    bottom: r1.max(r2),
                    left: c1.min(c2),
                    right: c1.max(c2),
                });
                in_autofilter = true;
            }
            rec::END_AFILTER => in_autofilter = false,
            rec::BEGIN_FILTER_COLUMN if in_autofilter => autofilter_active = true,
            rec::FILTER => {
                if let Some(v) = f.wide() {
                    grid.side_text(ctx, &v, "AutoFilter criterion");
                }
            }
            rec::CUSTOM_FILTER => {
                if let (Some(6), Some(_), Some(_)) = (f.u8(), f.u8(), f.skip(8))
                    && let Some(v) = f.wide()
                {
                    grid.side_text(ctx, &v, "AutoFilter criterion");
                }
            }
            rec::BEGIN_HEADER_FOOTER => {
                f.u16();
                for _ in 0..6 {
                    match f.nullable_wide() {
                        Some(t) => grid.side_text(ctx, &t, "page header or footer"),
                        None => break,
                    }
                }
            }
            rec::HLINK if f.rfx().and_then(|_| f.nullable_wide()).is_some() => {
                for detail in ["hyperlink location", "hyperlink tooltip", "hyperlink text"] {
                    match f.wide() {
                        Some(t) => grid.side_text(ctx, &t, detail),
                        None => break,
                    }
                }
            }
            0x0040 => data_validation(&mut f, &grid, names, ctx),
            0x01F8 => {
                // BrtInputCells: a scenario's values.
                for t in rec::wide_runs(&body) {
                    grid.side_text(ctx, &t, "scenario value");
                }
            }
            _ => {}
        }
    }
    if let Some(p) = pending.take() {
        grid.cell(ctx, p.row, p.col, &p.value, &p.formula, p.disguise);
    }
    drop(records);
    if autofilter_active && let Some(r) = autofilter {
        grid.set_active_autofilter(r);
    }
    Ok(grid.finish(ctx))
}

fn cut_short(part: &str, row: u32) -> ScanError {
    ScanError::new(format!(
        "{part}: a cell record in row {} is cut short",
        row.saturating_add(1)
    ))
}

struct CellValue {
    value: String,
    /// `Some` for formula cells (empty when the formula is a shared one).
    formula: Option<String>,
    numeric: bool,
}

/// The value (and formula) of a cell record, after its `Cell` header. `id` is the long
/// form of the record.
fn read_cell(
    id: u16,
    f: &mut Fields<'_>,
    strings: &mut SharedStrings,
    names: &Names<'_>,
    at: (u32, u32),
) -> Option<CellValue> {
    let (value, numeric) = match id {
        rec::CELL_BLANK => (String::new(), true),
        rec::CELL_RK => (number_text(rk(f.u32()?)), true),
        rec::CELL_ERROR | rec::FMLA_ERROR => (error_text(f.u8()?).to_string(), false),
        rec::CELL_BOOL | rec::FMLA_BOOL => (
            if f.u8()? != 0 { "TRUE" } else { "FALSE" }.to_string(),
            false,
        ),
        rec::CELL_REAL | rec::FMLA_NUM => (number_text(f.f64()?), true),
        rec::CELL_ST | rec::FMLA_STRING => (f.wide()?, false),
        rec::CELL_RSTRING => (f.rich()?, false),
        rec::CELL_ISST => {
            let i = f.u32()? as usize;
            (strings.get(i).unwrap_or_default().to_string(), false)
        }
        _ => return None,
    };
    let formula = if (rec::FMLA_STRING..=rec::FMLA_ERROR).contains(&id) {
        f.u16()?;
        Some(parsed_formula(f, names, at).unwrap_or_default())
    } else {
        None
    };
    Some(CellValue {
        value,
        formula,
        numeric,
    })
}

/// A `CellParsedFormula`: `cce`, the tokens, `cb`, the extra data.
fn parsed_formula(f: &mut Fields<'_>, names: &Names<'_>, at: (u32, u32)) -> Option<String> {
    let cce = f.u32()? as usize;
    let rgce = f.take(cce)?;
    let rgcb = match f.u32() {
        Some(cb) => f.take(cb as usize).unwrap_or_default(),
        None => &[],
    };
    Some(formula::render(rgce, rgcb, names, at).text)
}

/// `BrtDVal`: the messages a validation shows and the list it offers, which a reader sees
/// only in a dropdown or a tooltip.
fn data_validation(f: &mut Fields<'_>, grid: &Grid<'_>, names: &Names<'_>, ctx: &mut Ctx<'_>) {
    let whole = f.clone();
    let read = (|| {
        f.u32()?;
        let n = f.u32()? as usize;
        f.skip(n.checked_mul(16)?)?;
        let mut texts = Vec::new();
        for _ in 0..4 {
            texts.push((f.nullable_wide()?, "data validation message"));
        }
        if let Some(list) = parsed_formula(f, names, (0, 0)) {
            texts.push((list, "data validation list"));
        }
        Some(texts)
    })();
    match read {
        Some(texts) => {
            for (t, detail) in texts {
                grid.side_text(ctx, &t, detail);
            }
        }
        None => {
            for t in rec::wide_runs(whole.rest()) {
                grid.side_text(ctx, &t, "data validation");
            }
        }
    }
}
