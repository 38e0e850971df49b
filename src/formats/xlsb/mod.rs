//! Excel binary workbooks (xlsb): xlsx with binary parts. The package is the same (the same
//! relationship graph, content types, `docProps`, VBA project, embeddings, and DrawingML
//! charts and drawings, which stay XML), so parts are found through the package graph and
//! the XML parts go to the xlsx inspectors. The workbook, sheets, shared strings, styles,
//! notes, pivot caches, external links and connections are BIFF12 record streams
//! ([`records`]), each read by the submodule that owns its kind. Sheets stream into the
//! shared grid, so every rule reads with the same severities, messages and places
//! (`'Sheet name'!A1:C9`) as in xlsx; whatever no submodule reads is accounted for by
//! [`ooxml::finish`].
//!
//! calamine reads xlsb cells too, but its reader indexes record bodies without checking
//! their lengths, allocates a record's declared size before reading it, looks parts up by
//! their usual names only, and exposes neither row and column flags nor cell formats; a
//! hidden row or a white font is invisible through it. So the records are read here, with
//! every length checked; calamine serves where it is safe, decoding the VBA project.

mod comments;
mod connections;
mod formula;
mod links;
mod pivot;
pub mod records;
mod sheet;
mod strings;
mod styles;
mod workbook;

use crate::container::opc::{Opc, PartKind, Rel};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::formats::grid::{self, Rect, SheetInput, SheetState, SheetSummary};
use crate::formats::xlsx::{self, SheetIndex, charts, drawings};
use crate::formats::{embedded, ooxml, ooxml_props, unknown, vba};
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::plural;
use records::{Fields, Records};
use std::collections::HashMap;

pub fn inspect(bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let mut opc = Opc::open(bytes, ctx)?;
    let wb_part = opc
        .graph
        .main
        .clone()
        .filter(|p| opc.zip.has(p))
        .ok_or_else(|| {
            ScanError::new(
                "the package names no workbook part it holds (_rels/.rels has no main document relationship)",
            )
        })?;
    opc.inspected(&wb_part);
    let wb_rels: Vec<Rel> = opc.graph.rels_of(&wb_part).to_vec();
    let wb = workbook::parse(&mut opc.zip, &wb_part, ctx)?;
    for p in &wb.problems {
        let loc = ctx.loc(&wb_part);
        ctx.unscannable(loc, &format!("{wb_part}: {p}"));
    }
    let target = |opc: &mut Opc<'_>, kind: &str| {
        let part = opc.graph.target(&wb_part, kind).filter(|p| opc.zip.has(p));
        if let Some(p) = &part {
            opc.inspected(p);
        }
        part
    };

    let sst_part = target(&mut opc, "sharedStrings");
    let (mut strings, sst_read) = match &sst_part {
        Some(p) => match ctx.guard(p, |ctx| strings::parse(&mut opc.zip, p, ctx))? {
            Some(s) => (s, true),
            None => (strings::SharedStrings::default(), false),
        },
        None => (strings::SharedStrings::default(), true),
    };
    let theme = match target(&mut opc, "theme") {
        Some(t) => ctx
            .guard(&t, |ctx| xlsx::styles::parse_theme(&mut opc.zip, &t, ctx))?
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let styles = match target(&mut opc, "styles") {
        Some(p) => ctx
            .guard(&p, |ctx| styles::parse(&mut opc.zip, &p, &theme, ctx))?
            .unwrap_or_default(),
        None => styles::Styles::default(),
    };

    workbook::report(&wb, &wb_part, ctx);
    let sheet_names: Vec<String> = wb.sheets.iter().map(|s| s.name.clone()).collect();
    let defined = workbook::name_list(&wb);
    let names = formula::Names {
        sheets: &sheet_names,
        xti: &wb.xti,
        defined: &defined,
    };

    let mut index = SheetIndex {
        states: wb
            .sheets
            .iter()
            .map(|s| (s.name.clone(), s.state))
            .collect(),
        owners: HashMap::new(),
    };
    let mut all_sheets_read = wb.problems.is_empty() && sst_read;
    for entry in &wb.sheets {
        let Some(rel) = wb_rels.iter().find(|r| r.id == entry.rel_id && !r.external) else {
            let loc = ctx.loc(&wb_part).with_sheet(&entry.name);
            ctx.unscannable(loc, "the sheet has no part in the package");
            all_sheets_read = false;
            continue;
        };
        let part = rel.target.clone();
        opc.inspected(&part);
        let sheet_rels: Vec<Rel> = opc.graph.rels_of(&part).to_vec();
        let mut table_filters: Vec<Rect> = Vec::new();
        for r in sheet_rels
            .iter()
            .filter(|r| r.external && r.kind == "hyperlink")
        {
            ctx.item(&Item {
                text: &r.target,
                kind: ItemKind::Text,
                hidden: true,
                part: &part,
                sheet: Some(&entry.name),
                cell: None,
                detail: Some("hyperlink target"),
                doc: DocPlace::NONE,
            });
        }
        for r in sheet_rels.iter().filter(|r| !r.external) {
            index.owners.insert(r.target.clone(), entry.name.clone());
            if opc.graph.kind(&r.target) == Some(PartKind::Table) && opc.zip.has(&r.target) {
                opc.inspected(&r.target);
                if let Some(Some(rect)) =
                    ctx.guard(&r.target, |ctx| table_filter(&mut opc.zip, &r.target, ctx))?
                {
                    table_filters.push(rect);
                }
            }
        }
        let summary = if holds_cells(opc.graph.kind(&part)) {
            let input = SheetInput {
                part: &part,
                name: &entry.name,
                state: entry.state,
                table_filters: &table_filters,
            };
            let read = ctx.guard(&part, |ctx| {
                sheet::inspect(&mut opc.zip, input, &mut strings, &styles, &names, ctx)
            })?;
            all_sheets_read &= read.is_some();
            read
        } else {
            // A chart sheet holds no cells; its records may hold a header or footer.
            ctx.guard(&part, |ctx| {
                unknown::scan_text(&mut opc.zip, &part, "text of a chart sheet", ctx)
            })?;
            Some(SheetSummary::default())
        };
        grid::report_sheet_state(ctx, &part, &entry.name, entry.state, summary.as_ref());
    }
    all_sheets_read &=
        unlisted_sheets(&mut opc, &wb, &wb_rels, &mut strings, &styles, &names, ctx)?;

    if all_sheets_read && let Some(sst) = &sst_part {
        grid::report_unused_strings(ctx, sst, &strings.strings, &strings.used);
    }
    drop(strings);

    let definitions = opc.take(PartKind::PivotCacheDefinition);
    let pivot_tables = opc.take(PartKind::PivotTable);
    opc.take(PartKind::PivotCacheRecords);
    pivot::inspect(
        &mut opc.zip,
        &opc.graph,
        &definitions,
        &pivot_tables,
        &index,
        ctx,
    )?;
    // Pivot table parts hold the field and item captions shown in the table.
    for part in &pivot_tables {
        ctx.guard(part, |ctx| {
            unknown::scan_text(&mut opc.zip, part, "text of a pivot table", ctx)
        })?;
    }
    for part in opc.take(PartKind::Chart) {
        ctx.guard(&part, |ctx| {
            charts::inspect(&mut opc.zip, &part, &index, ctx)
        })?;
    }
    for part in opc.take(PartKind::Drawing) {
        ctx.guard(&part, |ctx| {
            drawings::inspect(&mut opc.zip, &part, &index, ctx)
        })?;
    }
    for part in opc.take(PartKind::ExternalLink) {
        ctx.guard(&part, |ctx| {
            links::inspect(&mut opc.zip, &part, &opc.graph, ctx)
        })?;
    }
    let connection_parts = opc.take(PartKind::Connections);
    let query_tables = opc.take(PartKind::QueryTable);
    connections::inspect(&mut opc.zip, &connection_parts, &query_tables, ctx)?;
    for part in &query_tables {
        ctx.guard(part, |ctx| {
            unknown::scan_text(&mut opc.zip, part, "text of a query table", ctx)
        })?;
    }
    let notes = opc.take(PartKind::Comments);
    comments::inspect(&mut opc.zip, &notes, &index, ctx)?;
    for part in opc.take(PartKind::VbaProject) {
        vba::inspect_package(&mut opc.zip, &part, ctx)?;
    }
    report_macro_sheets(ctx, &wb, &wb_rels, &opc);
    ooxml_props::inspect(
        &mut opc,
        ctx,
        &wb_part,
        wb.abs_path.as_deref(),
        wb.sharing_user.as_deref(),
    )?;
    let mut objects = opc.take(PartKind::OleObject);
    objects.extend(opc.take(PartKind::EmbeddedPackage));
    embedded::inspect(&mut opc.zip, &objects, ctx)?;
    ooxml::finish(&mut opc, ctx)
}

/// Sheets removed from the workbook's list but left in the package: Excel cannot show
/// them, yet their cells travel with the file. Returns whether all of them were read.
fn unlisted_sheets(
    opc: &mut Opc<'_>,
    wb: &workbook::Workbook,
    wb_rels: &[Rel],
    strings: &mut strings::SharedStrings,
    styles: &styles::Styles,
    names: &formula::Names<'_>,
    ctx: &mut Ctx<'_>,
) -> ScanResult<bool> {
    let listed: Vec<&str> = wb.sheets.iter().map(|s| s.rel_id.as_str()).collect();
    let unlisted: Vec<Rel> = wb_rels
        .iter()
        .filter(|r| {
            !r.external
                && holds_cells(opc.graph.kind(&r.target))
                && !listed.contains(&r.id.as_str())
                && opc.zip.has(&r.target)
        })
        .cloned()
        .collect();
    let mut all_read = true;
    for rel in unlisted {
        opc.inspected(&rel.target);
        let name = rel
            .target
            .rsplit('/')
            .next()
            .unwrap_or(&rel.target)
            .to_string();
        let input = SheetInput {
            part: &rel.target,
            name: &name,
            state: SheetState::VeryHidden,
            table_filters: &[],
        };
        let read = ctx.guard(&rel.target, |ctx| {
            sheet::inspect(&mut opc.zip, input, strings, styles, names, ctx)
        })?;
        all_read &= read.is_some();
        if let Some(s) = read.filter(|s| s.data_cells > 0) {
            let mut loc = ctx.loc(&rel.target);
            loc.range = s.extent.range();
            ctx.report(
                "residual-data",
                Severity::High,
                true,
                loc,
                format!(
                    "worksheet part {} is no longer listed in the workbook, so Excel never shows it, but it still holds {} of data ({})",
                    rel.target,
                    plural(s.data_rows.max(1), "row", "rows"),
                    plural(s.data_cells, "cell", "cells")
                ),
                &s.digest.hex(),
            );
        }
    }
    Ok(all_read)
}

/// The AutoFilter range of a table part (`BrtBeginList`), when it has active filter
/// columns.
fn table_filter(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<Option<Rect>> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(None);
    };
    let mut records = Records::new(reader, part);
    let mut body = Vec::new();
    let mut range = None;
    let mut active = false;
    while let Some(id) = records.next(&mut body, ctx)? {
        match id {
            records::BEGIN_AFILTER => {
                range = Fields::new(&body).rfx().map(|[r1, r2, c1, c2]| Rect {
                    top: r1.min(r2),
                    bottom: r1.max(r2),
                    left: c1.min(c2),
                    right: c1.max(c2),
                });
            }
            records::BEGIN_FILTER_COLUMN => active = true,
            _ => {}
        }
    }
    Ok(range.filter(|_| active))
}

/// Part kinds that are a grid of cells (worksheets, Excel 4.0 macro sheets, dialog
/// sheets). Chart sheets hold no cells.
fn holds_cells(kind: Option<PartKind>) -> bool {
    matches!(
        kind,
        Some(PartKind::Worksheet | PartKind::Macrosheet | PartKind::Dialogsheet)
    )
}

fn report_macro_sheets(ctx: &mut Ctx<'_>, wb: &workbook::Workbook, wb_rels: &[Rel], opc: &Opc<'_>) {
    for entry in &wb.sheets {
        if let Some(rel) = wb_rels.iter().find(|r| {
            r.id == entry.rel_id && opc.graph.kind(&r.target) == Some(PartKind::Macrosheet)
        }) {
            let loc = ctx.loc(&rel.target).with_sheet(&entry.name);
            ctx.report(
                "macro",
                Severity::Medium,
                entry.state != SheetState::Visible,
                loc,
                format!("sheet '{}' is an Excel 4.0 macro sheet", entry.name),
                &entry.name,
            );
        }
    }
}
