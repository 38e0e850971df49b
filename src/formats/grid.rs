//! What every spreadsheet format shares once its cells are decoded: hidden and very hidden
//! sheets, hidden rows and columns, rows hidden by a filter, disguised cells, cells far
//! outside the data, and strings no cell uses. xlsx, xls, xlsb and ods each decode their
//! own records and feed a [`Grid`] cell by cell, so the same content gives the same rules,
//! severities, messages and places (`'Sheet name'!A1:C9`) in every format, and a policy or a
//! baseline reads the same across them.
//!
//! A grid never holds cells: it keeps counts, extents and digests, plus one small entry per
//! hidden row. Memory follows the hidden rows, not the sheet's extent.

use crate::context::Ctx;
use crate::detect::ItemSink;
use crate::model::{DocPlace, Extent, Item, ItemKind, Severity, column_name, parse_cell_ref};
use crate::util::{ContentDigest, plural, thousands};
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

/// Why a cell format hides its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Disguise {
    /// Font colour matches the fill (or the white page when there is no fill).
    FontMatchesFill,
    /// A number format with empty sections, such as `;;;`.
    EmptyNumberFormat,
    /// Font too small to read.
    TinyFont,
}

impl Disguise {
    pub fn describe(self) -> &'static str {
        match self {
            Disguise::FontMatchesFill => "font colour matches the cell fill",
            Disguise::EmptyNumberFormat => "number format displays nothing (e.g. ;;;)",
            Disguise::TinyFont => "font too small to read",
        }
    }
}

pub type Rgb = [u8; 3];

/// What one cell format hides: numbers and text separately, since a number format such as
/// `0;-0;;@` can blank numbers and still show text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CellEffect {
    pub numbers: Option<Disguise>,
    pub text: Option<Disguise>,
}

/// How a cell format shows content, once each format has resolved its colours to RGB.
#[derive(Debug, Clone, Copy, Default)]
pub struct CellLook<'a> {
    /// Font colour; `None` is automatic (black).
    pub font: Option<Rgb>,
    /// Font size in points.
    pub size: Option<f64>,
    /// Solid fill colour; `None` shows the white page.
    pub fill: Option<Rgb>,
    /// Number format code (`;;;`, `[White]0`...); empty for General.
    pub number_format: &'a str,
}

/// Decides what a cell format hides. Smaller than 3 pt cannot be read; a font colour a
/// reader cannot tell from the background hides everything; empty format sections hide
/// numbers or text.
pub fn cell_effect(look: &CellLook<'_>) -> CellEffect {
    let (hide_numbers, hide_text, format_white) = analyse_format(look.number_format);
    let mut effect = CellEffect::default();
    if look.size.is_some_and(|s| s > 0.0 && s < 3.0) {
        effect.numbers = Some(Disguise::TinyFont);
        effect.text = Some(Disguise::TinyFont);
    }
    let font = if format_white {
        [255, 255, 255]
    } else {
        look.font.unwrap_or([0, 0, 0])
    };
    let background = look.fill.unwrap_or([255, 255, 255]);
    if colours_close(font, background) {
        effect.numbers = Some(Disguise::FontMatchesFill);
        effect.text = Some(Disguise::FontMatchesFill);
    }
    if hide_numbers {
        effect.numbers = Some(Disguise::EmptyNumberFormat);
    }
    if hide_text {
        effect.text = Some(Disguise::EmptyNumberFormat);
    }
    effect
}

/// Colours a reader cannot tell apart.
pub fn colours_close(a: Rgb, b: Rgb) -> bool {
    a.iter().zip(b.iter()).all(|(x, y)| x.abs_diff(*y) <= 12)
}

/// Returns (hides numbers, hides text, forces white) for a number format code.
pub fn analyse_format(code: &str) -> (bool, bool, bool) {
    if code.is_empty() {
        return (false, false, false);
    }
    let sections = split_sections(code);
    let blank: Vec<bool> = sections.iter().map(|s| section_is_blank(s)).collect();
    let numeric = &blank[..blank.len().min(3)];
    let hide_numbers = sections.len() >= 2 && numeric.iter().all(|b| *b);
    let hide_text = sections.len() >= 4 && blank[3];
    let white = sections
        .first()
        .is_some_and(|s| s.to_ascii_lowercase().starts_with("[white]"));
    (hide_numbers, hide_text, white)
}

fn split_sections(code: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
            if let Some(s) = out.last_mut() {
                s.push(c);
            }
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
            '"' => {
                quoted = !quoted;
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
            ';' if !quoted => out.push(String::new()),
            c => {
                if let Some(s) = out.last_mut() {
                    s.push(c)
                }
            }
        }
    }
    out
}

/// A section shows nothing: empty, or only empty/space literals, padding and colour codes.
fn section_is_blank(s: &str) -> bool {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    if !q.is_whitespace() {
                        return false;
                    }
                }
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            '_' | '*' => {
                chars.next();
            }
            c if c.is_whitespace() => {}
            _ => return false,
        }
    }
    true
}

/// The 64-colour palette that indexed colours refer to when a workbook defines none
/// (the same in BIFF8 and SpreadsheetML); 8–63 are Excel's default palette.
pub const DEFAULT_PALETTE: [Rgb; 64] = [
    [0, 0, 0],
    [255, 255, 255],
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
    [255, 255, 0],
    [255, 0, 255],
    [0, 255, 255],
    [0, 0, 0],
    [255, 255, 255],
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
    [255, 255, 0],
    [255, 0, 255],
    [0, 255, 255],
    [128, 0, 0],
    [0, 128, 0],
    [0, 0, 128],
    [128, 128, 0],
    [128, 0, 128],
    [0, 128, 128],
    [192, 192, 192],
    [128, 128, 128],
    [153, 153, 255],
    [153, 51, 102],
    [255, 255, 204],
    [204, 255, 255],
    [102, 0, 102],
    [255, 128, 128],
    [0, 102, 204],
    [204, 204, 255],
    [0, 0, 128],
    [255, 0, 255],
    [255, 255, 0],
    [0, 255, 255],
    [128, 0, 128],
    [128, 0, 0],
    [0, 128, 128],
    [0, 0, 255],
    [0, 204, 255],
    [204, 255, 255],
    [204, 255, 204],
    [255, 255, 153],
    [153, 204, 255],
    [255, 153, 204],
    [204, 153, 255],
    [255, 204, 153],
    [51, 102, 255],
    [51, 204, 204],
    [153, 204, 0],
    [255, 204, 0],
    [255, 153, 0],
    [255, 102, 0],
    [102, 102, 153],
    [150, 150, 150],
    [0, 51, 102],
    [51, 153, 102],
    [0, 51, 0],
    [51, 51, 0],
    [153, 51, 0],
    [153, 51, 102],
    [51, 51, 153],
    [51, 51, 51],
];

/// Counts the workbook-level checks need.
#[derive(Debug, Default)]
pub struct SheetSummary {
    pub data_cells: u64,
    pub data_rows: u64,
    pub extent: Extent,
    /// ContentDigest of every data cell, so fingerprints follow the content.
    pub digest: ContentDigest,
}

/// The sheet a grid belongs to.
pub struct SheetInput<'a> {
    /// Part or stream the cells come from (`xl/worksheets/sheet2.xml`, `Workbook`).
    pub part: &'a str,
    pub name: &'a str,
    pub state: SheetState,
    /// AutoFilter ranges of tables on this sheet that have active filter columns.
    pub table_filters: &'a [Rect],
}

#[derive(Default)]
struct HiddenRow {
    cells: u32,
    min_col: u32,
    max_col: u32,
    digest: ContentDigest,
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

/// One sheet's cells as they stream past: a format tells the grid which rows and columns
/// are hidden and what filter is active, then hands it every cell; the grid decides what a
/// reader cannot see, sends every cell to the detectors with that, and at the end reports.
pub struct Grid<'a> {
    input: SheetInput<'a>,
    sheet_hidden: bool,
    summary: SheetSummary,
    rows_hidden_by_default: bool,
    hidden_rows: BTreeMap<u32, HiddenRow>,
    /// Sorted and merged before the first cell, then binary-searched: a hostile sheet with
    /// thousands of column ranges must not make every cell cost thousands of comparisons.
    hidden_cols: Vec<(u32, u32)>,
    cols_merged: bool,
    hidden_col_cells: Tally,
    /// Hidden-column cells that also sit in hidden rows (counted in both findings).
    hidden_col_cells_in_hidden_rows: u64,
    hidden_col_letters: BTreeMap<u32, u32>,
    disguised: BTreeMap<Disguise, Tally>,
    far: Tally,
    /// Values under merged cells (xls MERGEDCELLS, ods covered cells): the merge shows
    /// only its first cell.
    covered: Tally,
    autofilter: Option<Rect>,
    last_data_row: Option<u32>,
    far_from_row: Option<u32>,
    main_max_col: u32,
    /// The row of the last data cell counted, so data rows are counted once each.
    counted_row: Option<u32>,
    /// The last row looked up in `hidden_rows` and whether it was hidden: cells come row by
    /// row, so one lookup serves a whole row.
    row_cache: Option<(u32, bool)>,
}

impl<'a> Grid<'a> {
    pub fn new(input: SheetInput<'a>) -> Self {
        Grid {
            sheet_hidden: input.state != SheetState::Visible,
            input,
            summary: SheetSummary::default(),
            rows_hidden_by_default: false,
            hidden_rows: BTreeMap::new(),
            hidden_cols: Vec::new(),
            cols_merged: true,
            hidden_col_cells: Tally::default(),
            hidden_col_cells_in_hidden_rows: 0,
            hidden_col_letters: BTreeMap::new(),
            disguised: BTreeMap::new(),
            far: Tally::default(),
            covered: Tally::default(),
            autofilter: None,
            last_data_row: None,
            far_from_row: None,
            main_max_col: 0,
            counted_row: None,
            row_cache: None,
        }
    }

    /// Rows without their own setting are hidden (xlsx `zeroHeight`); the message says so.
    pub fn set_rows_hidden_by_default(&mut self, hidden: bool) {
        self.rows_hidden_by_default = hidden;
    }

    pub fn rows_hidden_by_default(&self) -> bool {
        self.rows_hidden_by_default
    }

    /// Marks a zero-based row hidden (hidden flag, zero height, collapsed outline, filter).
    pub fn hide_row(&mut self, row: u32) {
        self.hidden_rows.entry(row).or_insert(HiddenRow {
            min_col: u32::MAX,
            ..Default::default()
        });
        self.row_cache = None;
    }

    /// Marks zero-based columns `first..=last` hidden.
    pub fn hide_columns(&mut self, first: u32, last: u32) {
        self.hidden_cols.push((first.min(last), first.max(last)));
        self.cols_merged = false;
    }

    /// The sheet's AutoFilter range, when a filter column is active: hidden rows inside it
    /// are reported as filtered, not hidden.
    pub fn set_active_autofilter(&mut self, range: Rect) {
        self.autofilter = Some(range);
    }

    fn row_hidden(&mut self, row: u32) -> bool {
        match self.row_cache {
            Some((r, hidden)) if r == row => hidden,
            _ => {
                let hidden = self.hidden_rows.contains_key(&row);
                self.row_cache = Some((row, hidden));
                hidden
            }
        }
    }

    /// One cell: its value as text (empty for a blank styled cell), its formula (empty if
    /// none), and what its format hides. The cell goes to the detectors, with whether a
    /// reader can see it; a formula goes too, as its own item.
    pub fn cell(
        &mut self,
        ctx: &mut Ctx<'_>,
        row: u32,
        col: u32,
        value: &str,
        formula: &str,
        disguise: Option<Disguise>,
    ) {
        self.any_cell(ctx, row, col, value, formula, disguise, false);
    }

    /// A cell hidden under a merged cell (it is not the merge's first cell): a reader sees
    /// only the merge's first value, yet this one travels with the file.
    pub fn covered_cell(
        &mut self,
        ctx: &mut Ctx<'_>,
        row: u32,
        col: u32,
        value: &str,
        formula: &str,
    ) {
        self.any_cell(ctx, row, col, value, formula, None, true);
    }

    #[allow(clippy::too_many_arguments)]
    fn any_cell(
        &mut self,
        ctx: &mut Ctx<'_>,
        row: u32,
        col: u32,
        value: &str,
        formula: &str,
        disguise: Option<Disguise>,
        covered: bool,
    ) {
        // A formula is data even without a cached value (generators such as openpyxl write
        // none), and it can carry literals of its own.
        let has_data = !value.trim().is_empty() || !formula.trim().is_empty();
        let content = if value.trim().is_empty() {
            formula
        } else {
            value
        };
        if !self.cols_merged {
            merge_ranges(&mut self.hidden_cols);
            self.cols_merged = true;
        }
        let row_hidden = self.row_hidden(row);
        let col_hidden = in_ranges(&self.hidden_cols, col);
        let mut is_far = false;
        if has_data {
            self.summary.data_cells += 1;
            self.summary.extent.add(row, col);
            self.summary.digest.update_cell(row, col, content);
            if self.counted_row != Some(row) {
                self.counted_row = Some(row);
                self.summary.data_rows += 1;
            }
            if let Some(last) = self.last_data_row
                && self.far_from_row.is_none()
                && row > last.saturating_add(FAR_ROWS)
            {
                self.far_from_row = Some(row);
            }
            is_far = self.far_from_row.is_some_and(|f| row >= f)
                || (self.summary.data_cells > 1
                    && col > self.main_max_col.saturating_add(FAR_COLS));
            if is_far {
                self.far.add(row, col, content);
            } else {
                self.last_data_row = Some(row);
                self.main_max_col = self.main_max_col.max(col);
            }
            if row_hidden && let Some(h) = self.hidden_rows.get_mut(&row) {
                h.cells += 1;
                h.min_col = h.min_col.min(col);
                h.max_col = h.max_col.max(col);
                h.digest.update_cell(row, col, content);
            }
            if col_hidden {
                self.hidden_col_cells.add(row, col, content);
                *self.hidden_col_letters.entry(col).or_default() += 1;
                if row_hidden {
                    self.hidden_col_cells_in_hidden_rows += 1;
                }
            }
            if let Some(d) = disguise
                && !row_hidden
                && !col_hidden
            {
                self.disguised.entry(d).or_default().add(row, col, content);
            }
            if covered && !row_hidden && !col_hidden {
                self.covered.add(row, col, content);
            }
        }
        let hidden = self.sheet_hidden
            || row_hidden
            || col_hidden
            || disguise.is_some()
            || is_far
            || covered;
        let pos = Some((row, col));
        ctx.item(&Item {
            text: value,
            kind: ItemKind::Cell,
            hidden,
            part: self.input.part,
            sheet: Some(self.input.name),
            cell: pos,
            detail: None,
            doc: DocPlace::NONE,
        });
        if !formula.is_empty() {
            ctx.item(&Item {
                text: formula,
                kind: ItemKind::Cell,
                hidden,
                part: self.input.part,
                sheet: Some(self.input.name),
                cell: pos,
                detail: Some("formula"),
                doc: DocPlace::NONE,
            });
        }
    }

    /// Text of the sheet outside its cells (page headers and footers, validation lists,
    /// scenario values): a reader does not see it on screen.
    pub fn side_text(&self, ctx: &mut Ctx<'_>, text: &str, detail: &str) {
        ctx.item(&Item {
            text,
            kind: ItemKind::Text,
            hidden: true,
            part: self.input.part,
            sheet: Some(self.input.name),
            cell: None,
            detail: Some(detail),
            doc: DocPlace::NONE,
        });
    }

    /// Reports what the sheet hides and returns its counts. A hidden sheet's own finding
    /// (see [`report_sheet_state`]) covers everything in it, so nothing else is reported.
    pub fn finish(mut self, ctx: &mut Ctx<'_>) -> SheetSummary {
        if self.sheet_hidden {
            return self.summary;
        }
        let input = &self.input;
        let mut filters: Vec<Rect> = input.table_filters.to_vec();
        filters.extend(self.autofilter);
        type Rows<'r> = Vec<(u32, &'r HiddenRow)>;
        let (filtered, plain): (Rows<'_>, Rows<'_>) = self
            .hidden_rows
            .iter()
            .map(|(r, h)| (*r, h))
            .partition(|(r, _)| filters.iter().any(|f| *r > f.top && *r <= f.bottom));
        report_rows(
            ctx,
            input,
            "hidden-rows",
            &plain,
            self.rows_hidden_by_default,
        );
        report_rows(ctx, input, "filtered-rows", &filtered, false);
        merge_ranges(&mut self.hidden_cols);
        report_columns(
            ctx,
            input,
            &self.hidden_cols,
            &self.hidden_col_cells,
            self.hidden_col_cells_in_hidden_rows,
            &self.hidden_col_letters,
        );
        for (reason, tally) in &self.disguised {
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
        if self.covered.cells > 0 {
            self.covered.report(
                ctx,
                input,
                "residual-data",
                "covered",
                format!(
                    "{} on sheet '{}' {} values hidden under merged cells: the merge shows only its first cell",
                    plural(self.covered.cells, "cell", "cells"),
                    input.name,
                    if self.covered.cells == 1 { "holds" } else { "hold" },
                ),
            );
        }
        if self.far.cells > 0 {
            self.far.report(
                ctx,
                input,
                "residual-data",
                "far",
                format!(
                    "{} on sheet '{}' {} far outside the used range, where nobody scrolls",
                    plural(self.far.cells, "cell", "cells"),
                    input.name,
                    if self.far.cells == 1 { "lies" } else { "lie" },
                ),
            );
        }
        self.summary
    }
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

fn report_rows(
    ctx: &mut Ctx<'_>,
    input: &SheetInput<'_>,
    rule: &'static str,
    rows: &[(u32, &HiddenRow)],
    by_default: bool,
) {
    if rows.is_empty() {
        return;
    }
    let with_data: Vec<&(u32, &HiddenRow)> = rows.iter().filter(|(_, h)| h.cells > 0).collect();
    let cells: u64 = with_data.iter().map(|(_, h)| h.cells as u64).sum();
    let rows_word = if rows.len() == 1 { "row" } else { "rows" };
    let what = if rule == "filtered-rows" {
        format!("{rows_word} hidden by an active AutoFilter")
    } else if by_default {
        format!("hidden {rows_word} (rows are hidden by default on this sheet)")
    } else {
        format!("hidden {rows_word}")
    };
    let mut extent = Extent::default();
    for (row, h) in &with_data {
        extent.add(*row, h.min_col);
        extent.add(*row, h.max_col);
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
                row_list(with_data.iter().map(|(r, _)| *r)),
                if below_min {
                    format!(", fewer than the hidden_rows_min of {min} set in the config")
                } else {
                    String::new()
                }
            ),
            extent.range(),
        )
    } else {
        let first = rows[0].0;
        let last = rows[rows.len() - 1].0;
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
        rows.iter().for_each(|(_, h)| digest.merge(h.digest));
        format!("{}:{}", rows.len(), digest.hex())
    });
}

fn report_columns(
    ctx: &mut Ctx<'_>,
    input: &SheetInput<'_>,
    hidden_cols: &[(u32, u32)],
    cells: &Tally,
    in_hidden_rows: u64,
    letters: &BTreeMap<u32, u32>,
) {
    if hidden_cols.is_empty() {
        return;
    }
    let total: u64 = hidden_cols.iter().map(|&(a, b)| (b - a + 1) as u64).sum();
    let columns_word = if total == 1 { "column" } else { "columns" };
    if cells.cells > 0 {
        let names: Vec<String> = letters.keys().take(12).map(|c| column_name(*c)).collect();
        let more = if letters.len() > 12 { ", …" } else { "" };
        let also = match in_hidden_rows {
            0 => String::new(),
            n if n == cells.cells => ", all of them also in hidden rows".to_string(),
            n => format!(", {} of them also in hidden rows", thousands(n)),
        };
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
                "sheet '{}' has {} hidden {columns_word}; {} {}{more} {} {} of data{also}",
                input.name,
                thousands(total),
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
                "sheet '{}' has {} hidden {columns_word}, all empty",
                input.name,
                thousands(total),
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

/// Reports a hidden or very hidden sheet; `summary` is `None` when its cells could not be
/// read (then it is treated as holding data).
pub fn report_sheet_state(
    ctx: &mut Ctx<'_>,
    part: &str,
    name: &str,
    state: SheetState,
    summary: Option<&SheetSummary>,
) {
    let (rule, label) = match state {
        SheetState::Visible => return,
        SheetState::Hidden => ("hidden-sheet", "hidden sheet"),
        SheetState::VeryHidden => ("very-hidden-sheet", "very hidden sheet"),
    };
    let mut loc = ctx.loc(part).with_sheet(name);
    let Some(s) = summary else {
        ctx.report(
            rule,
            Severity::High,
            true,
            loc,
            format!("{label} '{name}' could not be read, so it may hold data"),
            "unreadable",
        );
        return;
    };
    let (severity, message) = if s.data_cells > 0 {
        loc.range = s.extent.range();
        (
            Severity::High,
            format!(
                "{label} '{name}' holds {} of data ({})",
                plural(s.data_rows.max(1), "row", "rows"),
                plural(s.data_cells, "cell", "cells")
            ),
        )
    } else {
        (Severity::Low, format!("{label} '{name}' is empty"))
    };
    ctx.report(rule, severity, true, loc, message, &s.digest.hex());
}

/// Strings of a workbook's shared string table that no cell uses: text left over from
/// deleted or overwritten data. Each goes to the detectors as hidden content; one
/// `residual-data` finding counts them.
pub fn report_unused_strings(ctx: &mut Ctx<'_>, part: &str, strings: &[String], used: &[bool]) {
    let mut unused = 0u64;
    let mut digest = ContentDigest::default();
    for (i, (s, used)) in strings.iter().zip(used).enumerate() {
        if *used || s.trim().is_empty() {
            continue;
        }
        unused += 1;
        digest.update(s.as_bytes());
        let detail = format!("unused shared string #{i}");
        ctx.item(&Item {
            text: s,
            kind: ItemKind::SharedString,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some(&detail),
            doc: DocPlace::NONE,
        });
    }
    if unused > 0 {
        ctx.report(
            "residual-data",
            Severity::High,
            true,
            ctx.loc(part),
            format!(
                "{} of {} in the shared string table are used by no cell: text left over from deleted or overwritten data",
                thousands(unused),
                plural(strings.len() as u64, "string", "strings")
            ),
            &digest.hex(),
        );
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

    #[test]
    fn empty_number_formats() {
        assert_eq!(analyse_format(";;;"), (true, true, false));
        assert_eq!(analyse_format(";;;@"), (true, false, false));
        assert_eq!(analyse_format("\"\";\"\";\"\""), (true, false, false));
        assert_eq!(analyse_format("\"\";\"\";\"\";\"\""), (true, true, false));
        assert_eq!(analyse_format("0.00;-0.00;;@"), (false, false, false));
        assert_eq!(analyse_format("#,##0"), (false, false, false));
        assert_eq!(analyse_format("[White]General"), (false, false, true));
        assert_eq!(analyse_format("\";\";;;"), (false, true, false));
    }

    #[test]
    fn cell_looks_that_hide() {
        let white = CellLook {
            font: Some([255, 255, 255]),
            ..Default::default()
        };
        assert_eq!(cell_effect(&white).text, Some(Disguise::FontMatchesFill));
        let header = CellLook {
            font: Some([255, 255, 255]),
            fill: Some([0, 32, 96]),
            ..Default::default()
        };
        assert_eq!(cell_effect(&header), CellEffect::default());
        let tiny = CellLook {
            size: Some(1.0),
            ..Default::default()
        };
        assert_eq!(cell_effect(&tiny).numbers, Some(Disguise::TinyFont));
        let blank = CellLook {
            number_format: ";;;",
            ..Default::default()
        };
        assert_eq!(
            cell_effect(&blank).numbers,
            Some(Disguise::EmptyNumberFormat)
        );
    }
}
