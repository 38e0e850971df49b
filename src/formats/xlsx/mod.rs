//! Excel workbooks (xlsx, xlsm): every place the format hides data, parsed part by part
//! with streaming XML. Parts are found through the package's relationship graph and
//! handed to the submodule that owns their kind, whatever they are named; whatever no
//! submodule reads is accounted for by [`ooxml::finish`].

pub(crate) mod charts;
mod comments;
pub(crate) mod connections;
pub(crate) mod drawings;
mod links;
mod pivot;
mod revisions;
pub mod sheet;
pub(crate) mod strings;
pub(crate) mod styles;
mod workbook;

use crate::container::opc::{Opc, PartKind, Rel};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::formats::{embedded, grid, ooxml, ooxml_props, unknown, vba};
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::{plural, thousands};
use sheet::{Rect, SheetInput, SheetState, SheetSummary};
use std::collections::HashMap;

/// What other parts need to know about the workbook's sheets.
pub struct SheetIndex {
    /// Sheet name → visibility.
    pub states: HashMap<String, SheetState>,
    /// Part → sheet name, for parts owned by a sheet (comments, drawings, tables).
    pub owners: HashMap<String, String>,
}

impl SheetIndex {
    /// The sheet that owns `part` (through its relationships), if any.
    pub fn owner_of(&self, part: &str) -> Option<String> {
        self.owners
            .iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(part))
            .map(|(_, s)| s.clone())
    }

    pub fn state_of(&self, name: &str) -> Option<SheetState> {
        self.states
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, s)| *s)
    }
}

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
    let target = |opc: &mut Opc<'_>, kind: &str| {
        let part = opc.graph.target(&wb_part, kind).filter(|p| opc.zip.has(p));
        if let Some(p) = &part {
            opc.inspected(p);
        }
        part
    };

    let sst_part = target(&mut opc, "sharedStrings");
    let mut strings = match &sst_part {
        Some(p) => ctx
            .guard(p, |ctx| strings::parse(&mut opc.zip, p, ctx))?
            .unwrap_or_default(),
        None => strings::SharedStrings::default(),
    };
    let theme = match target(&mut opc, "theme") {
        Some(t) => ctx
            .guard(&t, |ctx| styles::parse_theme(&mut opc.zip, &t, ctx))?
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let styles = match target(&mut opc, "styles") {
        Some(p) => ctx
            .guard(&p, |ctx| styles::parse(&mut opc.zip, &p, &theme, ctx))?
            .unwrap_or_default(),
        None => styles::Styles::default(),
    };

    workbook::report_names(&wb, &wb_part, ctx);

    let mut index = SheetIndex {
        states: wb
            .sheets
            .iter()
            .map(|s| (s.name.clone(), s.state))
            .collect(),
        owners: HashMap::new(),
    };
    let mut all_sheets_read = true;
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
        let kind = opc.graph.kind(&part);
        let summary = if holds_cells(kind) {
            let input = SheetInput {
                part: &part,
                name: &entry.name,
                state: entry.state,
                table_filters: &table_filters,
            };
            let read = ctx.guard(&part, |ctx| {
                sheet::inspect(&mut opc.zip, input, &mut strings, &styles, ctx)
            })?;
            all_sheets_read &= read.is_some();
            read
        } else {
            // A chart sheet holds no cells; its page header and footer may hold text.
            ctx.guard(&part, |ctx| {
                unknown::scan_text(&mut opc.zip, &part, "text of a chart sheet", ctx)
            })?;
            Some(SheetSummary::default())
        };
        grid::report_sheet_state(ctx, &part, &entry.name, entry.state, summary.as_ref());
    }

    // Sheets removed from the workbook's list but left in the package: Excel cannot show
    // them, yet their cells travel with the file.
    let listed: Vec<&str> = wb.sheets.iter().map(|s| s.rel_id.as_str()).collect();
    let unlisted: Vec<&Rel> = wb_rels
        .iter()
        .filter(|r| {
            !r.external
                && holds_cells(opc.graph.kind(&r.target))
                && !listed.contains(&r.id.as_str())
        })
        .collect();
    for rel in unlisted {
        if !opc.zip.has(&rel.target) {
            continue;
        }
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
            sheet::inspect(&mut opc.zip, input, &mut strings, &styles, ctx)
        })?;
        all_sheets_read &= read.is_some();
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
    let model = opc.take(PartKind::DataModel);
    report_data_model(ctx, &mut opc.zip, &model);
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
    let notes = opc.take(PartKind::Comments);
    let threaded = opc.take(PartKind::ThreadedComments);
    let persons = opc.take(PartKind::Persons);
    comments::inspect(&mut opc.zip, &notes, &threaded, &persons, &index, ctx)?;
    let mut revision_parts = opc.take(PartKind::RevisionHeaders);
    revision_parts.extend(opc.take(PartKind::RevisionLog));
    revision_parts.extend(opc.take(PartKind::UserNames));
    revisions::inspect(&mut opc.zip, &revision_parts, ctx)?;
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

/// The AutoFilter range of a table part, when it has active filter columns.
fn table_filter(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<Option<Rect>> {
    use crate::xml::{XmlReader, attr, for_each_element, local};
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(None);
    };
    let mut xml = XmlReader::new(reader, part);
    let mut range = None;
    let mut active = false;
    for_each_element(&mut xml, |e, _| {
        match local(e) {
            "autoFilter" => range = attr(e, "ref").and_then(|r| Rect::parse(&r)),
            "filterColumn" => active = true,
            _ => {}
        }
        Ok(())
    })?;
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

fn report_data_model(ctx: &mut Ctx<'_>, pkg: &mut Package<'_>, parts: &[String]) {
    if parts.is_empty() {
        return;
    }
    let bytes: u64 = parts.iter().filter_map(|p| pkg.declared_size(p)).sum();
    let part = parts
        .iter()
        .find(|p| p.to_ascii_lowercase().ends_with("item.data"))
        .unwrap_or(&parts[0])
        .clone();
    ctx.report(
        "data-model",
        Severity::High,
        true,
        ctx.loc(&part),
        format!(
            "the workbook carries a Power Pivot data model ({} KiB compressed tables) that is not shown in any sheet",
            thousands(bytes.div_ceil(1024))
        ),
        &parts
            .iter()
            .map(|p| format!("{:08x}", pkg.crc32(p).unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(","),
    );
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
