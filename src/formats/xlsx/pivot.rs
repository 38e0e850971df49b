//! Pivot caches: the definition (field names, distinct values, source range) and the
//! records (one `<r>` per source row, `<x v="n"/>` pointing into the field's shared items).
//! A cache counts even when its pivot table or source sheet is gone.

use super::SheetIndex;
use super::sheet::SheetState;
use crate::container::opc::Graph;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::{plural, shorten, thousands};
use crate::xml::{XmlReader, attr, local, local_end};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashSet;

pub fn inspect(
    pkg: &mut Package<'_>,
    graph: &Graph,
    definitions: &[String],
    tables: &[String],
    index: &SheetIndex,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    if definitions.is_empty() {
        return Ok(());
    }
    let mut used: HashSet<String> = HashSet::new();
    for t in tables {
        used.extend(
            graph
                .rels_of(t)
                .iter()
                .filter(|r| r.kind == "pivotCacheDefinition")
                .map(|r| r.target.to_ascii_lowercase()),
        );
    }
    for def in definitions {
        let orphaned = !used.contains(&def.to_ascii_lowercase());
        ctx.guard(def, |ctx| {
            inspect_cache(
                pkg,
                def,
                graph.target(def, "pivotCacheRecords"),
                orphaned,
                index,
                ctx,
            )
        })?;
    }
    Ok(())
}

#[derive(Default)]
struct Field {
    name: String,
    items: Vec<String>,
}

#[derive(Default)]
struct Definition {
    fields: Vec<Field>,
    source_sheet: Option<String>,
    source_ref: Option<String>,
    source_name: Option<String>,
    external_source: bool,
}

fn inspect_cache(
    pkg: &mut Package<'_>,
    part: &str,
    records_part: Option<String>,
    orphaned: bool,
    index: &SheetIndex,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let def = parse_definition(pkg, part, ctx)?;
    for (fi, field) in def.fields.iter().enumerate() {
        for (ii, value) in field.items.iter().enumerate() {
            ctx.item(&Item {
                text: value,
                kind: ItemKind::CacheItem,
                hidden: true,
                part,
                sheet: None,
                cell: Some((ii as u32, fi as u32)),
                detail: Some(&field.name),
                doc: DocPlace::NONE,
            });
        }
    }
    let records = match &records_part {
        Some(rp) => ctx
            .guard(rp, |ctx| stream_records(pkg, rp, &def, ctx))?
            .unwrap_or(0),
        None => 0,
    };
    let distinct: usize = def.fields.iter().map(|f| f.items.len()).sum();
    let field_names: Vec<&str> = def.fields.iter().map(|f| f.name.as_str()).collect();
    let mut notes = Vec::new();
    match (&def.source_sheet, &def.source_name) {
        (Some(sheet), _) => {
            let range = def
                .source_ref
                .as_deref()
                .map(|r| format!(" {r}"))
                .unwrap_or_default();
            match index.state_of(sheet) {
                None => notes.push(format!(
                    "its source sheet '{sheet}'{range} is no longer in the workbook"
                )),
                Some(SheetState::Visible) => notes.push(format!("source: sheet '{sheet}'{range}")),
                Some(_) => notes.push(format!("its source sheet '{sheet}'{range} is hidden")),
            }
        }
        (None, Some(name)) => notes.push(format!("source: '{name}'")),
        _ => {}
    }
    if def.external_source {
        notes.push("the source is another workbook or a database".into());
    }
    if orphaned {
        notes.push("no pivot table uses it any more".into());
    }
    let note = if notes.is_empty() {
        String::new()
    } else {
        format!("; {}", notes.join("; "))
    };
    let fields = shorten(&field_names, 8);
    let (severity, message) = if records > 0 {
        (
            Severity::High,
            format!(
                "pivot cache holds {} of source data with {} ({fields}){note}",
                plural(records, "record", "records"),
                plural(def.fields.len() as u64, "field", "fields"),
            ),
        )
    } else if distinct > 0 {
        // Without records ("save source data" off) the definition still lists every
        // distinct value of every field: the names themselves.
        (
            Severity::High,
            format!(
                "pivot cache definition holds {} distinct values of {} ({fields}){note}",
                thousands(distinct as u64),
                plural(def.fields.len() as u64, "field", "fields"),
            ),
        )
    } else {
        (
            Severity::Low,
            format!("pivot cache with no stored values{note}"),
        )
    };
    let mut loc = ctx.loc(records_part.as_deref().unwrap_or(part));
    loc.sheet = def.source_sheet.clone();
    loc.range = def.source_ref.clone();
    ctx.report(
        "pivot-cache",
        severity,
        true,
        loc,
        message,
        &format!("{}|{records}|{distinct}", field_names.join(",")),
    );
    Ok(())
}

fn parse_definition(
    pkg: &mut Package<'_>,
    part: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<Definition> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(Definition::default());
    };
    let mut xml = XmlReader::new(reader, part);
    let mut def = Definition::default();
    let mut in_shared = false;
    let mut depth_in_group = 0u32;
    loop {
        match xml.next_event()? {
            Event::Start(e) | Event::Empty(e) => match local(&e) {
                "cacheSource" => {
                    def.external_source = matches!(attr(&e, "type").as_deref(), Some("external"))
                }
                "worksheetSource" => {
                    def.source_sheet = attr(&e, "sheet").map(|s| s.into_owned());
                    def.source_ref = attr(&e, "ref").map(|s| s.into_owned());
                    def.source_name = attr(&e, "name").map(|s| s.into_owned());
                }
                "cacheField" => def.fields.push(Field {
                    name: attr(&e, "name").unwrap_or_default().into_owned(),
                    items: Vec::new(),
                }),
                "sharedItems" => in_shared = true,
                "fieldGroup" => depth_in_group += 1,
                name @ ("s" | "n" | "d" | "b" | "e" | "m") if in_shared && depth_in_group == 0 => {
                    if let Some(f) = def.fields.last_mut() {
                        f.items.push(item_value(name, &e));
                    }
                }
                _ => {}
            },
            Event::End(e) => match local_end(e.name().0) {
                "sharedItems" => in_shared = false,
                "fieldGroup" => depth_in_group = depth_in_group.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(def)
}

fn item_value(kind: &str, e: &BytesStart<'_>) -> String {
    match kind {
        "m" => String::new(),
        _ => attr(e, "v").unwrap_or_default().into_owned(),
    }
}

/// Streams the records, resolving shared-item indexes, and returns how many there are.
fn stream_records(
    pkg: &mut Package<'_>,
    part: &str,
    def: &Definition,
    ctx: &mut Ctx<'_>,
) -> ScanResult<u64> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(0);
    };
    let mut xml = XmlReader::new(reader, part);
    // The field names are the records' header row (row 0), so table detectors see headings.
    for (fi, f) in def.fields.iter().enumerate() {
        ctx.item(&Item {
            text: &f.name,
            kind: ItemKind::CacheRecord,
            hidden: true,
            part,
            sheet: None,
            cell: Some((0, fi as u32)),
            detail: Some("field name"),
            doc: DocPlace::NONE,
        });
    }
    let mut records = 0u64;
    let mut field = 0usize;
    let mut in_record = false;
    let mut value = String::new();
    loop {
        if records.is_multiple_of(4096) {
            ctx.check_time()?;
        }
        match xml.next_event()? {
            Event::Start(e) | Event::Empty(e) => {
                let name = local(&e);
                if name == "r" {
                    in_record = true;
                    field = 0;
                    continue;
                }
                if !in_record {
                    continue;
                }
                value.clear();
                match name {
                    "x" => {
                        let idx: usize = attr(&e, "v").and_then(|v| v.parse().ok()).unwrap_or(0);
                        if let Some(v) = def.fields.get(field).and_then(|f| f.items.get(idx)) {
                            value.push_str(v);
                        }
                    }
                    "s" | "n" | "d" | "b" | "e" => {
                        value.push_str(&attr(&e, "v").unwrap_or_default())
                    }
                    "m" => {}
                    _ => continue,
                }
                let field_name = def.fields.get(field).map(|f| f.name.as_str());
                ctx.item(&Item {
                    text: &value,
                    kind: ItemKind::CacheRecord,
                    hidden: true,
                    part,
                    sheet: None,
                    cell: Some((records as u32 + 1, field as u32)),
                    detail: field_name,
                    doc: DocPlace::NONE,
                });
                field += 1;
            }
            Event::End(e) if local_end(e.name().0) == "r" && in_record => {
                in_record = false;
                records += 1;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(records)
}
