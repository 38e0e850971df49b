//! Excel workbooks (xlsx, xlsm): every place the format hides data, parsed part by part
//! with streaming XML. Each submodule owns one kind of part.

mod charts;
mod comments;
mod connections;
mod drawings;
mod links;
mod pivot;
mod rels;
mod revisions;
pub mod sheet;
mod strings;
mod styles;
mod workbook;

use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::formats::{embedded, grid, ooxml_props, vba};
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::{plural, thousands};
use rels::RelMap;
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
    let mut pkg = Package::open(bytes, ctx)?;
    let rel_map = RelMap::read_all(&mut pkg, ctx)?;
    let wb_part = rel_map
        .target("", "officeDocument")
        .filter(|p| pkg.has(p))
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let wb_rels = rel_map.of(&wb_part);
    let wb = workbook::parse(&mut pkg, &wb_part, ctx)?;
    let target = |kind: &str| rel_map.target(&wb_part, kind);

    let sst_part = target("sharedStrings").unwrap_or_else(|| "xl/sharedStrings.xml".into());
    let mut strings = ctx
        .guard(&sst_part, |ctx| strings::parse(&mut pkg, &sst_part, ctx))?
        .unwrap_or_default();
    let styles_part = target("styles").unwrap_or_else(|| "xl/styles.xml".into());
    let theme = match target("theme") {
        Some(t) => ctx
            .guard(&t, |ctx| styles::parse_theme(&mut pkg, &t, ctx))?
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let styles = ctx
        .guard(&styles_part, |ctx| {
            styles::parse(&mut pkg, &styles_part, &theme, ctx)
        })?
        .unwrap_or_default();

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
        let sheet_rels = rel_map.of(&part);
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
            if r.kind == "table"
                && let Some(Some(rect)) =
                    ctx.guard(&r.target, |ctx| table_filter(&mut pkg, &r.target, ctx))?
            {
                table_filters.push(rect);
            }
        }
        let summary = if holds_cells(&rel.kind) {
            let input = SheetInput {
                part: &part,
                name: &entry.name,
                state: entry.state,
                table_filters: &table_filters,
            };
            let read = ctx.guard(&part, |ctx| {
                sheet::inspect(&mut pkg, input, &mut strings, &styles, ctx)
            })?;
            all_sheets_read &= read.is_some();
            read
        } else {
            Some(SheetSummary::default())
        };
        grid::report_sheet_state(ctx, &part, &entry.name, entry.state, summary.as_ref());
    }

    // Sheets removed from the workbook's list but left in the package: Excel cannot show
    // them, yet their cells travel with the file.
    let listed: Vec<&str> = wb.sheets.iter().map(|s| s.rel_id.as_str()).collect();
    for rel in wb_rels.iter().filter(|r| {
        !r.external
            && holds_cells(&r.kind)
            && !r.kind.is_empty()
            && !listed.contains(&r.id.as_str())
    }) {
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
            sheet::inspect(&mut pkg, input, &mut strings, &styles, ctx)
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

    if all_sheets_read {
        grid::report_unused_strings(ctx, &sst_part, &strings.strings, &strings.used);
    }
    drop(strings);

    let names: Vec<String> = pkg.names().to_vec();
    let under =
        |prefix: &str, suffix: &str| crate::container::zip::names_matching(&names, prefix, suffix);

    pivot::inspect(
        &mut pkg,
        &rel_map,
        &under("xl/pivotCache/pivotCacheDefinition", ".xml"),
        &under("xl/pivotTables/", ".xml"),
        &index,
        ctx,
    )?;
    report_data_model(ctx, &mut pkg, &under("xl/model/", ""));
    for part in under("xl/charts/chart", ".xml") {
        ctx.guard(&part, |ctx| charts::inspect(&mut pkg, &part, &index, ctx))?;
    }
    for part in under("xl/drawings/drawing", ".xml") {
        ctx.guard(&part, |ctx| drawings::inspect(&mut pkg, &part, &index, ctx))?;
    }
    for part in under("xl/externalLinks/", ".xml") {
        ctx.guard(&part, |ctx| links::inspect(&mut pkg, &part, &rel_map, ctx))?;
    }
    connections::inspect(
        &mut pkg,
        &under("xl/connections", ".xml"),
        &under("xl/queryTables/", ".xml"),
        ctx,
    )?;
    comments::inspect(&mut pkg, &names, &index, ctx)?;
    revisions::inspect(&mut pkg, &under("xl/revisions/", ".xml"), ctx)?;
    vba::inspect_package(&mut pkg, "xl/vbaProject.bin", ctx)?;
    report_macro_sheets(ctx, &wb, wb_rels);
    ooxml_props::inspect(
        &mut pkg,
        ctx,
        wb.abs_path.as_deref(),
        wb.sharing_user.as_deref(),
    )?;
    embedded::inspect(&mut pkg, &under("xl/embeddings/", ""), ctx)?;
    report_orphans(ctx, &mut pkg, &rel_map);
    Ok(())
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

/// Relationship kinds whose part is a grid of cells (worksheets, Excel 4.0 macro sheets,
/// dialog sheets). Chart sheets hold no cells.
fn holds_cells(kind: &str) -> bool {
    matches!(
        kind,
        "" | "worksheet" | "macrosheet" | "xlMacrosheet" | "xlIntlMacrosheet" | "dialogsheet"
    )
}

fn is_macro_sheet(kind: &str) -> bool {
    kind.to_ascii_lowercase().ends_with("macrosheet")
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

fn report_macro_sheets(ctx: &mut Ctx<'_>, wb: &workbook::Workbook, wb_rels: &[rels::Rel]) {
    for entry in &wb.sheets {
        if let Some(rel) = wb_rels
            .iter()
            .find(|r| r.id == entry.rel_id && is_macro_sheet(&r.kind))
        {
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

/// Parts no relationship points to: Excel's `[trash]` folder and leftovers of earlier saves.
/// Nothing in the workbook shows them, yet they travel with the file.
fn report_orphans(ctx: &mut Ctx<'_>, pkg: &mut Package<'_>, rel_map: &RelMap) {
    if !rel_map.complete {
        return;
    }
    let targets = rel_map.all_targets();
    let orphans: Vec<String> = pkg
        .names()
        .iter()
        .filter(|n| {
            let l = n.to_ascii_lowercase();
            !l.ends_with('/')
                && !l.ends_with(".rels")
                && l != "[content_types].xml"
                && !targets.contains(&l)
        })
        .cloned()
        .collect();
    if orphans.is_empty() {
        return;
    }
    let bytes: u64 = orphans.iter().filter_map(|p| pkg.declared_size(p)).sum();
    if bytes == 0 {
        return;
    }
    let list: Vec<&str> = orphans.iter().map(String::as_str).take(4).collect();
    let more = if orphans.len() > 4 { ", …" } else { "" };
    ctx.report(
        "residual-data",
        Severity::High,
        true,
        ctx.loc(&orphans[0]),
        format!(
            "{} ({} bytes) that nothing in the workbook refers to: {}{more}",
            plural(orphans.len() as u64, "part", "parts"),
            thousands(bytes),
            list.join(", ")
        ),
        &orphans
            .iter()
            .map(|p| format!("{p}:{:08x}", pkg.crc32(p).unwrap_or(0)))
            .collect::<Vec<_>>()
            .join("|"),
    );
}
