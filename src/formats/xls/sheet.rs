//! One sheet substream, streamed record by record into the shared [`Grid`]: ROW and COLINFO
//! say what is hidden, AUTOFILTER and FILTERMODE what a filter hides, MERGEDCELLS which
//! values sit under a merge, and every cell record (LABELSST, LABEL, RK, MULRK, NUMBER,
//! FORMULA with its STRING, BOOLERR) goes to the grid with the effect of its cell format.
//! Notes (NOTE with the text of its OBJ/TXO pair), text boxes, page headers, validation
//! lists and pivot table views are collected on the way. No grid of cells is ever built:
//! a sheet whose DIMENSIONS claim a million rows costs only the records it really holds.

use super::formula::{self, Names};
use super::globals::{BOF, EOF, Globals, SheetEntry};
use super::records::{
    Biff, CONTINUE, Cursor, Record, Records, TextCodec, error_text, f64_at, number_text, rk_value,
    u16_at, u32_at,
};
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::formats::grid::{Disguise, Grid, Rect, SheetInput, SheetSummary};
use crate::model::{DocPlace, Item, ItemKind};
use std::collections::{BTreeMap, HashSet};

/// Deepest nesting of substreams (embedded charts) followed inside a sheet.
const MAX_DEPTH: u32 = 8;
/// Most merged areas and drawing objects kept per sheet.
const MAX_MERGES: usize = 200_000;
const MAX_OBJECTS: usize = 65_536;

/// A note as the sheet stores it: cell, author and (from its TXO) text.
pub struct Note {
    pub row: u32,
    pub col: u32,
    pub author: String,
    pub text: String,
}

/// What the workbook-level checks need from a sheet besides its cell counts.
#[derive(Default)]
pub struct SheetExtras {
    pub notes: Vec<Note>,
    /// Pivot caches (by index) the sheet's pivot tables use.
    pub pivot_caches: Vec<u16>,
    /// A record walk that stopped early, with why.
    pub problem: Option<String>,
}

/// Everything a sheet needs from the workbook.
pub struct SheetContext<'a> {
    pub stream: &'a [u8],
    pub part: &'a str,
    pub globals: &'a Globals,
    pub codec: &'a TextCodec,
    /// The `_FilterDatabase` range of this sheet, if any.
    pub filter_range: Option<Rect>,
}

struct Pending {
    row: u32,
    col: u32,
    xf: u16,
    formula: String,
}

/// Streams the sheet into a grid, reports what it hides and returns its counts.
pub fn inspect(
    sc: &SheetContext<'_>,
    entry: &SheetEntry,
    used: &mut [bool],
    ctx: &mut Ctx<'_>,
) -> ScanResult<(SheetSummary, SheetExtras)> {
    let g = sc.globals;
    let codec = sc.codec;
    let biff8 = codec.biff == Biff::Biff8;
    let mut extras = SheetExtras::default();
    let first = Records::new(sc.stream, entry.offset)
        .next()
        .ok_or_else(|| {
            ScanError::new(format!(
                "sheet '{}' starts past the end of the workbook stream",
                entry.name
            ))
        })?;
    if first.typ != BOF {
        return Err(ScanError::new(format!(
            "sheet '{}' does not start with a BOF record at offset {}",
            entry.name, entry.offset
        )));
    }

    // A first pass for what comes after the cells it applies to.
    let mut merges: Vec<Rect> = Vec::new();
    let mut filtered = false;
    for_each_record(sc.stream, entry.offset, ctx, |r, depth| {
        if depth != 1 {
            return;
        }
        match r.typ {
            0x00E5 => {
                let n = u16_at(r.data, 0).unwrap_or(0) as usize;
                for i in 0..n {
                    let at = 2 + i * 8;
                    let (Some(r1), Some(r2), Some(c1), Some(c2)) = (
                        u16_at(r.data, at),
                        u16_at(r.data, at + 2),
                        u16_at(r.data, at + 4),
                        u16_at(r.data, at + 6),
                    ) else {
                        break;
                    };
                    if merges.len() < MAX_MERGES && (r1, c1) != (r2, c2) {
                        merges.push(Rect {
                            top: r1.min(r2) as u32,
                            left: c1.min(c2) as u32,
                            bottom: r1.max(r2) as u32,
                            right: c1.max(c2) as u32,
                        });
                    }
                }
            }
            0x009B | 0x009E => filtered = true,
            _ => {}
        }
    })?;
    merges.sort_by_key(|m| m.top);

    let input = SheetInput {
        part: sc.part,
        name: &entry.name,
        state: entry.state,
        table_filters: &[],
    };
    let mut feed = Feed {
        grid: Grid::new(input),
        sweep: MergeSweep::new(&merges),
        rows_default: false,
        rows_seen: HashSet::new(),
    };
    if filtered {
        feed.grid
            .set_active_autofilter(sc.filter_range.unwrap_or(Rect {
                top: 0,
                left: 0,
                bottom: u32::MAX,
                right: u32::MAX,
            }));
    }
    let names = Names { globals: g };
    let mut pending: Option<Pending> = None;
    // Drawing objects: the id of the last OBJ, and TXO texts by object id.
    let mut last_obj: Option<(u16, u16)> = None;
    let mut texts: BTreeMap<u16, String> = BTreeMap::new();
    let mut records = Records::new(sc.stream, entry.offset);
    let mut depth = 0u32;
    let mut count = 0u64;

    while let Some(r) = records.next() {
        count += 1;
        if count.is_multiple_of(65536) {
            ctx.check_time()?;
        }
        match r.typ {
            BOF => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ScanError::new(format!(
                        "sheet '{}' nests substreams deeper than {MAX_DEPTH} levels",
                        entry.name
                    )));
                }
                continue;
            }
            EOF => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
                continue;
            }
            _ if depth != 1 => continue,
            _ => {}
        }
        // A formula's string result comes in the STRING record right after it.
        if r.typ != 0x0207
            && r.typ != 0x04BC
            && r.typ != 0x0221
            && let Some(p) = pending.take()
        {
            let d = effect(g, p.xf, false);
            feed.cell(ctx, p.row, p.col, "", &p.formula, d);
        }
        let d = r.data;
        match r.typ {
            0x0225 => {
                feed.rows_default = u16_at(d, 0).unwrap_or(0) & 0x0002 != 0;
                feed.grid.set_rows_hidden_by_default(feed.rows_default);
            }
            0x0208 => {
                let (Some(row), Some(height), Some(flags)) =
                    (u16_at(d, 0), u16_at(d, 6), u16_at(d, 12))
                else {
                    continue;
                };
                let row = row as u32;
                if feed.rows_seen.len() < 1 << 17 {
                    feed.rows_seen.insert(row);
                }
                let zero = flags & 0x0020 != 0 || height & 0x7FFF == 0;
                let custom = flags & 0x0040 != 0;
                if zero || (feed.rows_default && !custom) {
                    feed.grid.hide_row(row);
                }
            }
            0x007D => {
                let (Some(first), Some(last), Some(width), Some(flags)) =
                    (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 8))
                else {
                    continue;
                };
                if flags & 0x0001 != 0 || width == 0 {
                    let last = last.max(first).min(16383);
                    if first <= last {
                        feed.grid.hide_columns(first as u32, last as u32);
                    }
                }
            }
            0x00FD => {
                let (Some(row), Some(col), Some(xf), Some(isst)) =
                    (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u32_at(d, 6))
                else {
                    continue;
                };
                let isst = isst as usize;
                let value = g.strings.get(isst).map(String::as_str).unwrap_or("");
                if let Some(u) = used.get_mut(isst) {
                    *u = true;
                }
                feed.cell(ctx, row as u32, col as u32, value, "", effect(g, xf, false));
            }
            0x0204 | 0x00D6 => {
                let (Some(row), Some(col), Some(xf)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4))
                else {
                    continue;
                };
                let value = Cursor::new(d.get(6..).unwrap_or_default())
                    .string16(codec)
                    .unwrap_or_default();
                feed.cell(
                    ctx,
                    row as u32,
                    col as u32,
                    &value,
                    "",
                    effect(g, xf, false),
                );
            }
            0x027E => {
                let (Some(row), Some(col), Some(xf), Some(rk)) =
                    (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u32_at(d, 6))
                else {
                    continue;
                };
                let value = number_text(rk_value(rk));
                feed.cell(ctx, row as u32, col as u32, &value, "", effect(g, xf, true));
            }
            0x00BD => {
                let (Some(row), Some(first)) = (u16_at(d, 0), u16_at(d, 2)) else {
                    continue;
                };
                let n = d.len().saturating_sub(6) / 6;
                for i in 0..n {
                    let at = 4 + i * 6;
                    let (Some(xf), Some(rk)) = (u16_at(d, at), u32_at(d, at + 2)) else {
                        break;
                    };
                    let value = number_text(rk_value(rk));
                    let col = first as u32 + i as u32;
                    feed.cell(ctx, row as u32, col, &value, "", effect(g, xf, true));
                }
            }
            0x0203 => {
                let (Some(row), Some(col), Some(xf), Some(v)) =
                    (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), f64_at(d, 6))
                else {
                    continue;
                };
                feed.cell(
                    ctx,
                    row as u32,
                    col as u32,
                    &number_text(v),
                    "",
                    effect(g, xf, true),
                );
            }
            0x0205 => {
                let (Some(row), Some(col), Some(xf), Some(&v), Some(&is_err)) =
                    (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), d.get(6), d.get(7))
                else {
                    continue;
                };
                let value = if is_err != 0 {
                    error_text(v)
                } else if v != 0 {
                    "TRUE"
                } else {
                    "FALSE"
                };
                feed.cell(ctx, row as u32, col as u32, value, "", effect(g, xf, false));
            }
            0x0006 => {
                let (Some(row), Some(col), Some(xf)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4))
                else {
                    continue;
                };
                let cce = u16_at(d, 20).unwrap_or(0) as usize;
                let rgce = d.get(22..22 + cce).unwrap_or_default();
                let extra = d.get(22 + cce..).unwrap_or_default();
                let text = formula::render(rgce, extra, codec, &names).text;
                let special = u16_at(d, 12) == Some(0xFFFF);
                let kind = d.get(6).copied().unwrap_or(0);
                if special && kind == 0 {
                    pending = Some(Pending {
                        row: row as u32,
                        col: col as u32,
                        xf,
                        formula: text,
                    });
                    continue;
                }
                let (value, numeric) = if special {
                    let v = d.get(8).copied().unwrap_or(0);
                    match kind {
                        1 => ((if v != 0 { "TRUE" } else { "FALSE" }).to_string(), false),
                        2 => (error_text(v).to_string(), false),
                        _ => (String::new(), false),
                    }
                } else {
                    (number_text(f64_at(d, 6).unwrap_or(0.0)), true)
                };
                feed.cell(
                    ctx,
                    row as u32,
                    col as u32,
                    &value,
                    &text,
                    effect(g, xf, numeric),
                );
            }
            0x0207 => {
                let value = match codec.biff {
                    Biff::Biff8 => Cursor::new(d).string16(codec),
                    Biff::Biff5 => Cursor::new(d).string16(codec),
                }
                .unwrap_or_default();
                if let Some(p) = pending.take() {
                    let e = effect(g, p.xf, false);
                    feed.cell(ctx, p.row, p.col, &value, &p.formula, e);
                }
            }
            0x04BC | 0x0221 => {
                // Shared and array formulas: their literals are text of the sheet too.
                let at = if r.typ == 0x04BC { 8 } else { 12 };
                let cce = u16_at(d, at).unwrap_or(0) as usize;
                let rgce = d.get(at + 2..at + 2 + cce).unwrap_or_default();
                let extra = d.get(at + 2 + cce..).unwrap_or_default();
                let text = formula::render(rgce, extra, codec, &names).text;
                if text.contains('"') {
                    feed.grid.side_text(ctx, &text, "shared formula");
                }
            }
            0x0014 | 0x0015 => {
                let mut c = Cursor::new(d);
                let text = if biff8 {
                    c.string16(codec)
                } else {
                    c.string8(codec)
                };
                if let Some(t) = text {
                    feed.grid.side_text(ctx, &t, "page header or footer");
                }
            }
            0x01BE => {
                let mut c = Cursor::new(d.get(4..).unwrap_or_default());
                for _ in 0..4 {
                    match c.string16(codec) {
                        Some(t) if t != "\0" => {
                            feed.grid.side_text(ctx, &t, "data validation message")
                        }
                        Some(_) => {}
                        None => break,
                    }
                }
                let cce = c.u16().unwrap_or(0) as usize;
                c.skip(2);
                let mut rgce = Vec::new();
                for _ in 0..cce {
                    match c.u8() {
                        Some(b) => rgce.push(b),
                        None => break,
                    }
                }
                let list = formula::render(&rgce, &[], codec, &names).text;
                feed.grid
                    .side_text(ctx, &list.replace('\0', ", "), "data validation list");
            }
            0x009E => {
                for t in autofilter_strings(d) {
                    feed.grid.side_text(ctx, &t, "AutoFilter criterion");
                }
            }
            0x005D => {
                last_obj = if biff8 {
                    // ftCmo: object type and id.
                    (u16_at(d, 0) == Some(0x15))
                        .then(|| (u16_at(d, 4).unwrap_or(0), u16_at(d, 6).unwrap_or(0)))
                } else {
                    Some((u16_at(d, 4).unwrap_or(0), u16_at(d, 6).unwrap_or(0)))
                };
            }
            0x01B6 => {
                let cch = u16_at(d, 10).unwrap_or(0) as usize;
                let segs = records.continues(d, 1 << 12);
                let text = txo_text(&segs, cch, codec);
                match last_obj.take() {
                    // A note's text waits for its NOTE record, which names the cell.
                    Some((0x19, id)) => {
                        if texts.len() < MAX_OBJECTS {
                            texts.insert(id, text);
                        }
                    }
                    _ => {
                        ctx.item(&Item {
                            text: &text,
                            kind: ItemKind::Text,
                            hidden: entry.state != crate::formats::grid::SheetState::Visible,
                            part: sc.part,
                            sheet: Some(&entry.name),
                            cell: None,
                            detail: Some("text box"),
                            doc: DocPlace::NONE,
                        });
                    }
                }
            }
            0x001C => {
                note(d, codec, &mut texts, &mut extras.notes);
            }
            0x00B0 => {
                if let Some(i) = u16_at(d, 14) {
                    extras.pivot_caches.push(i);
                }
            }
            CONTINUE => {}
            _ => {}
        }
    }
    if let Some(p) = pending.take() {
        let d = effect(g, p.xf, false);
        feed.cell(ctx, p.row, p.col, "", &p.formula, d);
    }
    if let Some(e) = records.error.take() {
        extras.problem = Some(e);
    }
    // Notes whose NOTE record is missing still carry their text.
    for (_, text) in texts {
        extras.notes.push(Note {
            row: u32::MAX,
            col: u32::MAX,
            author: String::new(),
            text,
        });
    }
    Ok((feed.grid.finish(ctx), extras))
}

/// The grid and what decides how each cell reaches it.
struct Feed<'g, 'm> {
    grid: Grid<'g>,
    sweep: MergeSweep<'m>,
    /// DEFAULTROWHEIGHT says rows without a ROW record of their own are hidden.
    rows_default: bool,
    rows_seen: HashSet<u32>,
}

impl Feed<'_, '_> {
    fn cell(
        &mut self,
        ctx: &mut Ctx<'_>,
        row: u32,
        col: u32,
        value: &str,
        formula: &str,
        disguise: Option<Disguise>,
    ) {
        if self.rows_default && !self.rows_seen.contains(&row) {
            self.grid.hide_row(row);
        }
        if self.sweep.covered(row, col) {
            self.grid.covered_cell(ctx, row, col, value, formula);
        } else {
            self.grid.cell(ctx, row, col, value, formula, disguise);
        }
    }
}

/// What a cell's format hides, for a number or for text.
fn effect(g: &Globals, xf: u16, numeric: bool) -> Option<Disguise> {
    let e = g.effects.get(xf as usize).copied().unwrap_or_default();
    if numeric { e.numbers } else { e.text }
}

/// Visits the records of the substream that starts at `offset` (its BOF) up to its EOF, with
/// the nesting depth (1 inside the sheet itself).
fn for_each_record<'a>(
    stream: &'a [u8],
    offset: usize,
    ctx: &mut Ctx<'_>,
    mut f: impl FnMut(&Record<'a>, u32),
) -> ScanResult<()> {
    let mut depth = 0u32;
    for (i, r) in Records::new(stream, offset).enumerate() {
        if i % 65536 == 65535 {
            ctx.check_time()?;
        }
        match r.typ {
            BOF => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Ok(());
                }
            }
            EOF => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(());
                }
            }
            _ => f(&r, depth),
        }
    }
    Ok(())
}

/// Which cells sit under a merged area without being its first cell. Cells come row by row,
/// so the merges that span the current row are kept in a small active list; a row that goes
/// backwards (never in files Excel writes) restarts the sweep.
struct MergeSweep<'m> {
    merges: &'m [Rect],
    next: usize,
    active: Vec<Rect>,
    row: u32,
}

impl<'m> MergeSweep<'m> {
    fn new(merges: &'m [Rect]) -> Self {
        MergeSweep {
            merges,
            next: 0,
            active: Vec::new(),
            row: 0,
        }
    }

    fn covered(&mut self, row: u32, col: u32) -> bool {
        if self.merges.is_empty() {
            return false;
        }
        if row < self.row {
            self.next = 0;
            self.active.clear();
        }
        self.row = row;
        while let Some(m) = self.merges.get(self.next).filter(|m| m.top <= row) {
            self.active.push(*m);
            self.next += 1;
        }
        self.active.retain(|m| m.bottom >= row);
        self.active
            .iter()
            .any(|m| m.left <= col && col <= m.right && (row, col) != (m.top, m.left))
    }
}

/// The text of a TXO: cch characters in the CONTINUE records after it, each starting with
/// a flags byte (BIFF8), or plain codepage bytes (BIFF5).
fn txo_text(segs: &[&[u8]], cch: usize, codec: &TextCodec) -> String {
    let Some(rest) = segs.get(1..) else {
        return String::new();
    };
    let mut c = Cursor::with_segments(rest.to_vec());
    let mut out = String::new();
    match codec.biff {
        Biff::Biff8 => {
            let _ = c.flagged_chars(cch, &mut out);
        }
        Biff::Biff5 => {
            let bytes: Vec<u8> = rest
                .iter()
                .flat_map(|s| s.iter().copied())
                .take(cch)
                .collect();
            out = codec.decode_bytes(&bytes);
        }
    }
    out
}

/// NOTE: BIFF8 names the cell, the drawing object holding the text, and the author; BIFF5
/// holds the text itself, continued in NOTE records whose row is 0xFFFF.
fn note(d: &[u8], codec: &TextCodec, texts: &mut BTreeMap<u16, String>, notes: &mut Vec<Note>) {
    let (Some(row), Some(col)) = (u16_at(d, 0), u16_at(d, 2)) else {
        return;
    };
    match codec.biff {
        Biff::Biff8 => {
            let id = u16_at(d, 6).unwrap_or(0);
            let author = Cursor::new(d.get(8..).unwrap_or_default())
                .string16(codec)
                .unwrap_or_default();
            notes.push(Note {
                row: row as u32,
                col: col as u32,
                author: author.trim_end_matches('\0').trim().to_string(),
                text: texts.remove(&id).unwrap_or_default(),
            });
        }
        Biff::Biff5 => {
            let cch = u16_at(d, 4).unwrap_or(0) as usize;
            let bytes = d.get(6..).unwrap_or_default();
            let text = codec.decode_bytes(&bytes[..cch.min(bytes.len())]);
            if row == 0xFFFF {
                if let Some(last) = notes.last_mut() {
                    last.text.push_str(&text);
                }
            } else {
                notes.push(Note {
                    row: row as u32,
                    col: col as u32,
                    author: String::new(),
                    text,
                });
            }
        }
    }
}

/// The strings an AUTOFILTER record filters on (BIFF8): each string condition stores its
/// length in its DOPER, and the characters follow both DOPERs.
fn autofilter_strings(d: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut c = Cursor::new(d.get(24..).unwrap_or_default());
    for doper in [4usize, 14] {
        let is_string = d.get(doper) == Some(&0x06);
        let cch = d.get(doper + 6).copied().unwrap_or(0) as usize;
        if is_string && cch > 0 {
            let mut s = String::new();
            if c.flagged_chars(cch, &mut s).is_none() {
                break;
            }
            out.push(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_cover_all_but_their_first_cell() {
        let merges = [
            Rect {
                top: 0,
                left: 0,
                bottom: 0,
                right: 1,
            },
            Rect {
                top: 2,
                left: 1,
                bottom: 4,
                right: 2,
            },
        ];
        let mut s = MergeSweep::new(&merges);
        assert!(!s.covered(0, 0));
        assert!(s.covered(0, 1));
        assert!(!s.covered(1, 1));
        assert!(!s.covered(2, 1));
        assert!(s.covered(3, 2));
        assert!(!s.covered(5, 2));
        // Going back restarts the sweep.
        assert!(s.covered(0, 1));
    }
}
