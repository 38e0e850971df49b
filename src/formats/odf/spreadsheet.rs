//! Spreadsheets (ods): each `table:table` is a sheet, streamed row by row into the shared
//! [`Grid`], which reports hidden rows and columns, filtered rows, disguised and far cells
//! the same way as for xlsx. What only ODF has is read here:
//! - hidden sheets: the table's style has `table:display="false"`;
//! - rows and columns with `table:visibility="collapse"` (hidden) or `"filter"` (filtered);
//! - values left in covered (merged-away) cells, which unmerging shows again;
//! - sheets that cache another file (`table:table-source`), and DDE links;
//! - tracked changes, with earlier and deleted cell values;
//! - named expressions holding data, database ranges fed by a database.
//!
//! Repeats are arithmetic: `table:number-columns-repeated="16384"` on an empty cell costs
//! nothing, and a repeated cell or row that holds data is sent out at most
//! `REPEAT_CAP` times.

use super::document::{DocState, close_walk, hidden_text};
use super::flow::{Mode, Sink, Walker, repeat};
use super::styles::{Colour, Size, Styles, WHITE, dark};
use super::{Elem, collect_text, loc, skip};
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::formats::grid::{
    self, CellEffect, CellLook, Disguise, Grid, Rect, SheetInput, SheetState, cell_effect,
};
use crate::model::{DocPlace, Extent, Item, ItemKind, Severity};
use crate::util::{ContentDigest, plural, shorten, thousands};
use crate::xml::{XmlReader, local_end};
use quick_xml::events::Event;
use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;

/// Most times one repeated cell (or row) that holds data is sent to the detectors.
const REPEAT_CAP: u32 = 256;
/// Most empty hidden rows registered per sheet (they are counted, not stored, beyond).
const EMPTY_HIDDEN_ROWS: u32 = 10_000;
/// Largest row and column index a sheet can address (LibreOffice's limits).
const MAX_ROW: u32 = 1 << 24;
const MAX_COL: u32 = 1 << 16;

/// A sheet as other parts need it (chart sources).
#[derive(Debug, Clone)]
pub struct SheetInfo {
    pub name: String,
    pub hidden: bool,
}

/// One cell of a row, kept until the row ends (a row may repeat).
struct CellData {
    col: u32,
    repeat: u32,
    value: String,
    formula: String,
    disguise: Option<Disguise>,
    covered: bool,
}

#[derive(Default)]
struct Names {
    /// (name, value, sheet, holds data)
    list: Vec<(String, String, Option<String>, bool)>,
}

#[derive(Default)]
struct Links {
    /// (sheet or link name, cached cells, digest)
    sheets: Vec<(String, u64, ContentDigest)>,
    dde: Vec<(String, u64, ContentDigest)>,
}

#[derive(Default)]
struct Revisions {
    changes: u64,
    values: u64,
    authors: BTreeSet<String>,
    digest: ContentDigest,
}

/// What the body yields beyond the sheets' own findings.
#[derive(Default)]
struct Book {
    sheets: Vec<SheetInfo>,
    names: Names,
    links: Links,
    revisions: Revisions,
    connections: Vec<(String, ContentDigest)>,
    looks: HashMap<String, CellEffect>,
}

/// `office:spreadsheet` (its start tag already read).
pub fn body<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    doc: &mut DocState,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut w = doc.walker(part, Mode::Spreadsheet);
    let mut book = Book::default();
    let read = read_body(xml, part, &mut w, &mut book, ctx);
    let found = std::mem::take(&mut w.found);
    drop(w);
    report_names(ctx, part, &book.names);
    report_links(ctx, part, &book.links);
    report_revisions(ctx, part, &book.revisions);
    for (name, digest) in &book.connections {
        ctx.report(
            "data-connection",
            Severity::Medium,
            true,
            loc(ctx, part),
            format!("database range '{name}' is fed by an external database; its source and query are in the file"),
            &digest.hex(),
        );
    }
    doc.sheets = book.sheets;
    close_walk(doc, ctx, found, Mode::Spreadsheet);
    read
}

fn read_body<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    w: &mut Walker<'_>,
    book: &mut Book,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    loop {
        ctx.check_time()?;
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(_) | Event::Eof => return Ok(()),
            _ => continue,
        };
        drop(ev);
        if empty {
            if elem.local() == "table" {
                sheet(xml, part, &elem, true, w, book, ctx)?;
            }
            continue;
        }
        match elem.local() {
            "table" => sheet(xml, part, &elem, false, w, book, ctx)?,
            "tracked-changes" => tracked(xml, part, &mut book.revisions, ctx)?,
            "named-expressions" => names(xml, part, None, &mut book.names, ctx)?,
            "database-ranges" | "data-pilot-tables" => {
                data_sources(xml, part, &mut book.connections, ctx)?
            }
            "dde-links" => dde(xml, part, &mut book.links, ctx)?,
            "content-validations" => hidden_text(xml, part, ctx, "data validation")?,
            "calculation-settings" | "label-ranges" | "consolidation" => skip(xml)?,
            _ => hidden_text(xml, part, ctx, "spreadsheet settings")?,
        }
    }
}

/// One `table:table`: a sheet.
#[allow(clippy::too_many_arguments)]
fn sheet<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    e: &Elem,
    empty_table: bool,
    w: &mut Walker<'_>,
    book: &mut Book,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let name = e.get("name").unwrap_or_default().to_string();
    let styles: &Styles = w.styles;
    let hidden = e
        .get("style-name")
        .map(|s| styles.resolve("table", s).table_display == Some(false))
        .unwrap_or(false);
    let mut grid: Option<Grid<'_>> = None;
    let mut external: Option<String> = None;
    let mut col_styles: Vec<(u32, u32, String)> = Vec::new();
    let mut col = 0u32;
    let mut row = 0u32;
    let mut groups: Vec<(u32, bool)> = Vec::new();
    let mut depth = 0u32;
    let mut filtered: Option<(u32, u32)> = None;
    let mut empty_hidden = 0u32;
    let mut covered = Extent::default();
    let mut covered_cells = 0u64;
    let mut covered_digest = ContentDigest::default();
    w.sheet = Some(name.clone());
    let state = |external: bool| {
        if hidden || external {
            SheetState::Hidden
        } else {
            SheetState::Visible
        }
    };
    loop {
        // An empty `<table:table/>` has no content to read.
        if empty_table {
            break;
        }
        ctx.check_time()?;
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(_) => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
                if groups.last().is_some_and(|(d, _)| *d == depth) {
                    groups.pop();
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        drop(ev);
        let in_hidden_group = groups.iter().any(|(_, h)| *h);
        match elem.local() {
            "table-source" => {
                let href = elem.get("href").unwrap_or_default().to_string();
                emit(ctx, part, &name, &href, "linked file");
                external = Some(href);
                if !empty {
                    skip(xml)?;
                }
            }
            "table-column-group" | "table-row-group" => {
                if !empty {
                    groups.push((depth, elem.get("display") == Some("false")));
                    depth += 1;
                }
            }
            "table-column" => {
                let n = repeat(&elem, "number-columns-repeated").min(MAX_COL);
                let last = col.saturating_add(n - 1).min(MAX_COL);
                let vis = elem.get("visibility").unwrap_or("visible");
                let g =
                    grid.get_or_insert_with(|| new_grid(part, &name, state(external.is_some())));
                if matches!(vis, "collapse" | "filter") || in_hidden_group {
                    g.hide_columns(col, last);
                }
                if let Some(s) = elem.get("default-cell-style-name")
                    && col_styles.len() < 4096
                {
                    col_styles.push((col, last, s.to_string()));
                }
                col = last.saturating_add(1);
                if !empty {
                    skip(xml)?;
                }
            }
            "table-row" => {
                let n = repeat(&elem, "number-rows-repeated").min(MAX_ROW);
                let vis = elem.get("visibility").unwrap_or("visible");
                let row_hidden = matches!(vis, "collapse" | "filter") || in_hidden_group;
                let row_style = elem.get("default-cell-style-name").map(str::to_string);
                let cells = if empty {
                    Vec::new()
                } else {
                    row_cells(
                        xml,
                        w,
                        &mut book.looks,
                        row,
                        &col_styles,
                        row_style.as_deref(),
                        ctx,
                    )?
                };
                let g =
                    grid.get_or_insert_with(|| new_grid(part, &name, state(external.is_some())));
                let has_data = cells.iter().any(|c| !c.covered);
                let rows_sent = if has_data || cells.iter().any(|c| c.covered) {
                    n.min(REPEAT_CAP)
                } else {
                    0
                };
                if row_hidden {
                    let register = if has_data {
                        rows_sent
                    } else {
                        let k = n.min(EMPTY_HIDDEN_ROWS.saturating_sub(empty_hidden));
                        empty_hidden += k;
                        k
                    };
                    for r in 0..register {
                        g.hide_row(row.saturating_add(r));
                    }
                    if vis == "filter" {
                        let last = row.saturating_add(n - 1);
                        filtered = Some(match filtered {
                            Some((a, b)) => (a.min(row), b.max(last)),
                            None => (row, last),
                        });
                    }
                }
                for r in 0..rows_sent {
                    let at = row.saturating_add(r);
                    for c in &cells {
                        for k in 0..c.repeat.min(REPEAT_CAP) {
                            let cc = c.col.saturating_add(k);
                            if c.covered {
                                covered_cells += 1;
                                covered.add(at, cc);
                                covered_digest.update_cell(at, cc, &c.value);
                                ctx.item(&Item {
                                    text: &c.value,
                                    kind: ItemKind::Cell,
                                    hidden: true,
                                    part,
                                    sheet: Some(&name),
                                    cell: Some((at, cc)),
                                    detail: Some("covered (merged-away) cell"),
                                    doc: DocPlace::NONE,
                                });
                            } else {
                                g.cell(ctx, at, cc, &c.value, &c.formula, c.disguise);
                            }
                        }
                    }
                }
                row = row.saturating_add(n).min(MAX_ROW);
            }
            "shapes" => {
                if !empty {
                    w.cell = None;
                    w.block(xml, ctx, &mut Sink::Emit)?;
                }
            }
            "named-expressions" => {
                if !empty {
                    names(xml, part, Some(&name), &mut book.names, ctx)?;
                }
            }
            "forms" | "scenario" => {
                if !empty {
                    hidden_text(xml, part, ctx, "sheet form or scenario")?;
                }
            }
            _ => {
                if !empty {
                    depth += 1;
                }
            }
        }
    }
    w.sheet = None;
    w.cell = None;
    let mut g = grid.unwrap_or_else(|| new_grid(part, &name, state(external.is_some())));
    if let Some((first, last)) = filtered {
        // ODF marks each filtered row; the filter's range is the span they cover, with the
        // header row above them.
        g.set_active_autofilter(Rect {
            top: first.saturating_sub(1),
            left: 0,
            bottom: last,
            right: MAX_COL,
        });
    }
    let summary = g.finish(ctx);
    match &external {
        Some(_) => book
            .links
            .sheets
            .push((name.clone(), summary.data_cells, summary.digest)),
        None => grid::report_sheet_state(ctx, part, &name, state(false), Some(&summary)),
    }
    if covered_cells > 0 {
        let mut l = loc(ctx, part).with_sheet(&name);
        l.range = covered.range();
        ctx.report(
            "residual-data",
            Severity::High,
            true,
            l,
            format!(
                "{} on sheet '{name}' {} merged away under another cell but still {} data, which unmerging shows",
                plural(covered_cells, "cell", "cells"),
                if covered_cells == 1 { "is" } else { "are" },
                if covered_cells == 1 { "holds" } else { "hold" },
            ),
            &format!("covered:{}", covered_digest.hex()),
        );
    }
    book.sheets.push(SheetInfo {
        name,
        hidden: hidden || external.is_some(),
    });
    Ok(())
}

fn new_grid<'a>(part: &'a str, name: &'a str, state: SheetState) -> Grid<'a> {
    Grid::new(SheetInput {
        part,
        name,
        state,
        table_filters: &[],
    })
}

/// The cells of one `table:table-row` (its start tag already read), up to its end tag.
#[allow(clippy::too_many_arguments)]
fn row_cells<R: BufRead>(
    xml: &mut XmlReader<R>,
    w: &mut Walker<'_>,
    looks: &mut HashMap<String, CellEffect>,
    row: u32,
    col_styles: &[(u32, u32, String)],
    row_style: Option<&str>,
    ctx: &mut Ctx<'_>,
) -> ScanResult<Vec<CellData>> {
    let mut out = Vec::new();
    let mut col = 0u32;
    let mut depth = 0u32;
    loop {
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(_) => {
                if depth == 0 {
                    return Ok(out);
                }
                depth -= 1;
                continue;
            }
            Event::Eof => return Ok(out),
            _ => continue,
        };
        drop(ev);
        let covered = match elem.local() {
            "table-cell" => false,
            "covered-table-cell" => true,
            _ => {
                if !empty {
                    depth += 1;
                }
                continue;
            }
        };
        let n = repeat(&elem, "number-columns-repeated").min(MAX_COL);
        let mut text = String::new();
        if !empty {
            w.cell = Some((row, col));
            w.block(xml, ctx, &mut Sink::Collect(&mut text))?;
            w.cell = None;
        }
        let numeric = matches!(
            elem.get("value-type"),
            Some("float" | "percentage" | "currency" | "date" | "time" | "boolean")
        );
        if text.trim().is_empty() {
            text = [
                "string-value",
                "value",
                "date-value",
                "time-value",
                "boolean-value",
            ]
            .iter()
            .find_map(|k| elem.get(k))
            .unwrap_or_default()
            .to_string();
        }
        let formula = elem.get("formula").unwrap_or_default().to_string();
        if !text.trim().is_empty() || !formula.trim().is_empty() {
            let style = elem
                .get("style-name")
                .or_else(|| {
                    col_styles
                        .iter()
                        .rev()
                        .find(|(a, b, _)| *a <= col && col <= *b)
                        .map(|(_, _, s)| s.as_str())
                })
                .or(row_style)
                .unwrap_or("Default");
            let effect = *looks
                .entry(style.to_string())
                .or_insert_with(|| look(w.styles, style));
            out.push(CellData {
                col,
                repeat: n,
                value: text,
                formula,
                disguise: if numeric { effect.numbers } else { effect.text },
                covered,
            });
        }
        col = col.saturating_add(n).min(MAX_COL);
    }
}

/// What a cell style hides, judged as for xlsx. LibreOffice draws an automatic font
/// colour light on a dark background, so only an explicit colour can disguise.
fn look(styles: &Styles, name: &str) -> CellEffect {
    let def = styles.resolve("table-cell", name);
    let fill = def.cell_bg.flatten();
    let font = match def.colour {
        Some(Colour::Rgb(c)) => Some(c),
        _ if fill.is_some_and(dark) => Some(WHITE),
        _ => None,
    };
    let size = match def.size {
        Some(Size::Pt(p)) => Some(p),
        Some(Size::Percent(p)) => Some(10.0 * p / 100.0),
        None => None,
    };
    let mut effect = cell_effect(&CellLook {
        font,
        size,
        fill,
        number_format: "",
    });
    if let Some(ds) = def.data_style.as_deref().map(|d| styles.data_style(d)) {
        if ds.shows_nothing && !ds.hides_text {
            effect.numbers = Some(Disguise::EmptyNumberFormat);
        }
        if ds.hides_text {
            effect.text = Some(Disguise::EmptyNumberFormat);
        }
    }
    effect
}

fn emit(ctx: &mut Ctx<'_>, part: &str, sheet: &str, text: &str, detail: &str) {
    ctx.item(&Item {
        text,
        kind: ItemKind::Text,
        hidden: true,
        part,
        sheet: Some(sheet),
        cell: None,
        detail: Some(detail),
        doc: DocPlace::NONE,
    });
}

/// `table:named-expressions`: named ranges (references) and named expressions (formulas,
/// or constants: data stored in the name itself).
fn names<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    sheet: Option<&str>,
    out: &mut Names,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut depth = 0u32;
    loop {
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(_) => {
                if depth == 0 {
                    return Ok(());
                }
                depth -= 1;
                continue;
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        drop(ev);
        if !empty {
            depth += 1;
        }
        let value = match elem.local() {
            "named-range" => elem
                .get("cell-range-address")
                .or(elem.get("base-cell-address"))
                .unwrap_or_default(),
            "named-expression" => elem.get("expression").unwrap_or_default(),
            _ => continue,
        };
        let name = elem.get("name").unwrap_or_default().to_string();
        let data = holds_data(value);
        ctx.item(&Item {
            text: value,
            kind: ItemKind::DefinedName,
            hidden: data,
            part,
            sheet,
            cell: None,
            detail: Some(&name),
            doc: DocPlace::NONE,
        });
        if out.list.len() < 100_000 {
            out.list
                .push((name, value.to_string(), sheet.map(str::to_string), data));
        }
    }
}

/// A name's value is data, not a reference: a string, number, boolean or array constant.
fn holds_data(value: &str) -> bool {
    let v = value.trim();
    let v = v
        .strip_prefix("of:")
        .unwrap_or(v)
        .trim_start_matches('=')
        .trim();
    v.starts_with('"')
        || v.starts_with('{')
        || v.parse::<f64>().is_ok()
        || v.eq_ignore_ascii_case("TRUE")
        || v.eq_ignore_ascii_case("FALSE")
}

fn report_names(ctx: &mut Ctx<'_>, part: &str, names: &Names) {
    let data: Vec<&str> = names
        .list
        .iter()
        .filter(|n| n.3)
        .map(|n| n.0.as_str())
        .collect();
    if data.is_empty() {
        return;
    }
    let key = data.join(",");
    ctx.report(
        "defined-name",
        Severity::Medium,
        true,
        loc(ctx, part),
        format!(
            "defined names: {} holding data rather than a cell reference ({})",
            data.len(),
            shorten(&data, 5)
        ),
        &key,
    );
}

/// Database ranges and data pilot tables: a range fed by a database (`table:database-
/// source-sql`, `-table`, `-query`) is a data connection; filter criteria are text too.
fn data_sources<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    out: &mut Vec<(String, ContentDigest)>,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut depth = 0u32;
    let mut range = String::new();
    loop {
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(_) => {
                if depth == 0 {
                    return Ok(());
                }
                depth -= 1;
                continue;
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        drop(ev);
        if !empty {
            depth += 1;
        }
        match elem.local() {
            "database-range" | "data-pilot-table" => {
                range = elem.get("name").unwrap_or_default().to_string();
            }
            "database-source-sql"
            | "database-source-table"
            | "database-source-query"
            | "source-service" => {
                let mut digest = ContentDigest::default();
                for (k, v) in &elem.attrs {
                    digest.update(v.as_bytes());
                    item(ctx, part, v, &format!("data source {}", local_end(k)));
                }
                if out.len() < 1000 {
                    out.push((range.clone(), digest));
                }
            }
            "filter-condition" => {
                if let Some(v) = elem.get("value") {
                    item(ctx, part, v, "filter criterion");
                }
            }
            _ => {}
        }
    }
}

fn item(ctx: &mut Ctx<'_>, part: &str, text: &str, detail: &str) {
    ctx.item(&Item {
        text,
        kind: ItemKind::Text,
        hidden: true,
        part,
        sheet: None,
        cell: None,
        detail: Some(detail),
        doc: DocPlace::NONE,
    });
}

/// `table:dde-links`: links to other applications, each with a table of cached values.
fn dde<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    links: &mut Links,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut depth = 0u32;
    let mut name = String::new();
    loop {
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(_) => {
                if depth == 0 {
                    return Ok(());
                }
                depth -= 1;
                continue;
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        drop(ev);
        match elem.local() {
            "dde-source" => {
                name = elem.get("dde-application").unwrap_or("DDE").to_string();
                for k in ["dde-topic", "dde-item", "name"] {
                    if let Some(v) = elem.get(k) {
                        item(ctx, part, v, "DDE link source");
                    }
                }
                if !empty {
                    depth += 1;
                }
            }
            "table" if !empty => {
                let mut cells = 0u64;
                let mut digest = ContentDigest::default();
                simple_table(xml, ctx, |ctx, row, col, text, _| {
                    cells += 1;
                    digest.update_cell(row, col, text);
                    ctx.item(&Item {
                        text,
                        kind: ItemKind::ExternalCell,
                        hidden: true,
                        part,
                        sheet: None,
                        cell: Some((row, col)),
                        detail: Some("DDE link cache"),
                        doc: DocPlace::NONE,
                    });
                })?;
                links.dde.push((name.clone(), cells, digest));
            }
            _ => {
                if !empty {
                    depth += 1;
                }
            }
        }
    }
}

fn report_links(ctx: &mut Ctx<'_>, part: &str, links: &Links) {
    for (sheet, cells, digest) in &links.sheets {
        // The sheet's name is the other file's path: it stays in the place, not the words.
        ctx.report(
            "external-link",
            if *cells > 0 {
                Severity::High
            } else {
                Severity::Low
            },
            true,
            loc(ctx, part).with_sheet(sheet),
            format!(
                "this sheet is a link to another file, and caches {} of that file's data",
                plural(*cells, "cell", "cells")
            ),
            &digest.hex(),
        );
    }
    for (app, cells, digest) in &links.dde {
        ctx.report(
            "external-link",
            if *cells > 0 {
                Severity::High
            } else {
                Severity::Low
            },
            true,
            loc(ctx, part),
            format!(
                "DDE link to '{app}' caches {} from its source",
                plural(*cells, "value", "values")
            ),
            &digest.hex(),
        );
    }
}

/// `table:tracked-changes`: changed cells keep their earlier value, deleted rows and
/// columns their cells.
fn tracked<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    rev: &mut Revisions,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut depth = 0u32;
    let mut address: Option<(u32, u32)> = None;
    loop {
        ctx.check_time()?;
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(_) => {
                if depth == 0 {
                    return Ok(());
                }
                depth -= 1;
                continue;
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        drop(ev);
        match elem.local() {
            "cell-content-change" | "insertion" | "deletion" | "movement" => {
                rev.changes += 1;
                if !empty {
                    depth += 1;
                }
            }
            "cell-address" => {
                let n = |k| elem.get(k).and_then(|v: &str| v.trim().parse::<u32>().ok());
                address = n("row").zip(n("column"));
                if !empty {
                    depth += 1;
                }
            }
            "creator" if !empty => {
                let who = collect_text(xml, ctx)?;
                let who = who.trim();
                if !who.is_empty() {
                    item(ctx, part, who, "tracked change author");
                    rev.authors.insert(who.to_string());
                }
            }
            "change-track-table-cell" => {
                let mut text = if empty {
                    String::new()
                } else {
                    collect_text(xml, ctx)?
                };
                if text.trim().is_empty() {
                    text = ["string-value", "value", "date-value", "formula"]
                        .iter()
                        .find_map(|k| elem.get(k))
                        .unwrap_or_default()
                        .to_string();
                }
                if !text.trim().is_empty() {
                    rev.values += 1;
                    rev.digest.update(text.as_bytes());
                    ctx.item(&Item {
                        text: &text,
                        kind: ItemKind::Revision,
                        hidden: true,
                        part,
                        sheet: None,
                        cell: address,
                        detail: Some("earlier or deleted value"),
                        doc: DocPlace::NONE,
                    });
                }
            }
            _ => {
                if !empty {
                    depth += 1;
                }
            }
        }
    }
}

fn report_revisions(ctx: &mut Ctx<'_>, part: &str, rev: &Revisions) {
    if rev.changes == 0 {
        return;
    }
    ctx.report(
        "tracked-change",
        if rev.values > 0 {
            Severity::High
        } else {
            Severity::Low
        },
        true,
        loc(ctx, part),
        format!(
            "tracked changes ({}) keep {} of earlier or deleted cells, by {}",
            thousands(rev.changes),
            plural(rev.values, "value", "values"),
            plural(rev.authors.len() as u64, "author", "authors")
        ),
        &format!("{}:{}", rev.changes, rev.digest.hex()),
    );
}

/// Reads a small table (a chart's data, a DDE cache) whose start tag was just read, and
/// calls `f` with each non-empty cell: row, column, text, and whether it is a number.
pub fn simple_table<R: BufRead>(
    xml: &mut XmlReader<R>,
    ctx: &mut Ctx<'_>,
    mut f: impl FnMut(&mut Ctx<'_>, u32, u32, &str, bool),
) -> ScanResult<()> {
    let mut depth = 0u32;
    let mut row = 0u32;
    let mut col = 0u32;
    let mut row_repeat = 1u32;
    loop {
        ctx.check_time()?;
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(e) => {
                let name = local_end(e.name().0).to_string();
                if depth == 0 {
                    return Ok(());
                }
                depth -= 1;
                if name == "table-row" {
                    row = row.saturating_add(row_repeat);
                }
                continue;
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        drop(ev);
        match elem.local() {
            "table-row" => {
                col = 0;
                row_repeat = repeat(&elem, "number-rows-repeated").min(MAX_ROW);
                if empty {
                    row = row.saturating_add(row_repeat);
                } else {
                    depth += 1;
                }
            }
            "table-cell" | "covered-table-cell" => {
                let n = repeat(&elem, "number-columns-repeated").min(MAX_COL);
                let mut text = if empty {
                    String::new()
                } else {
                    collect_text(xml, ctx)?
                };
                if text.trim().is_empty() {
                    text = ["string-value", "value", "date-value"]
                        .iter()
                        .find_map(|k| elem.get(k))
                        .unwrap_or_default()
                        .to_string();
                }
                let number = matches!(
                    elem.get("value-type"),
                    Some("float" | "percentage" | "currency")
                );
                if !text.trim().is_empty() {
                    for k in 0..n.min(REPEAT_CAP) {
                        f(ctx, row, col.saturating_add(k), &text, number);
                    }
                }
                col = col.saturating_add(n);
            }
            _ => {
                if !empty {
                    depth += 1;
                }
            }
        }
    }
}
