//! Pivot caches: the definition (`pivotCacheDefinitionN.bin`: field names `BrtBeginPCDField`,
//! their distinct values `BrtPCDI*` inside `BrtBeginPCDFAtbl`, the source sheet and range
//! `BrtBeginPCDSRange`, who refreshed it) and the records (`pivotCacheRecordsN.bin`: one
//! `BrtPCRRecord` per source row, or a `BrtPCRRecordDt` followed by one record per value).
//! A cache counts even when its pivot table or its source sheet is gone. Reported as xlsx
//! pivot caches are, with the same message and place.

use super::records::{self as rec, Fields, Records, error_text, number_text};
use crate::container::opc::Graph;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::formats::grid::SheetState;
use crate::formats::xlsx::SheetIndex;
use crate::model::{DocPlace, Item, ItemKind, Severity, cell_ref};
use crate::util::{plural, shorten, thousands};
use std::collections::HashSet;

pub fn inspect(
    pkg: &mut Package<'_>,
    graph: &Graph,
    definitions: &[String],
    tables: &[String],
    index: &SheetIndex,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
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
        let records = graph.target(def, "pivotCacheRecords");
        ctx.guard(def, |ctx| {
            inspect_cache(pkg, def, records, orphaned, index, ctx)
        })?;
    }
    Ok(())
}

#[derive(Default)]
struct Field {
    name: String,
    items: Vec<String>,
    /// A field of the source data (not a calculated one): only these are in the records.
    source: bool,
    numeric: bool,
    dates_only: bool,
}

#[derive(Default)]
struct Definition {
    fields: Vec<Field>,
    source_sheet: Option<String>,
    source_ref: Option<String>,
    source_name: Option<String>,
    external_source: bool,
    refreshed_by: Option<String>,
    /// Names of groups of items (`BrtBeginPCDFGroup`), which are text too.
    group_items: Vec<String>,
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
    for (text, detail) in def
        .group_items
        .iter()
        .map(|g| (g, "pivot field group"))
        .chain(
            def.refreshed_by
                .iter()
                .map(|u| (u, "pivot cache refreshed by")),
        )
    {
        ctx.item(&Item {
            text,
            kind: if detail == "pivot cache refreshed by" {
                ItemKind::Author
            } else {
                ItemKind::CacheItem
            },
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some(detail),
            doc: DocPlace::NONE,
        });
    }
    let records = match &records_part {
        Some(rp) if pkg.has(rp) => ctx
            .guard(rp, |ctx| stream_records(pkg, rp, &def, ctx))?
            .unwrap_or(0),
        _ => 0,
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
    let mut records = Records::new(reader, part);
    let mut body = Vec::new();
    let mut def = Definition::default();
    let mut in_shared = false;
    let mut group_depth = 0u32;
    while let Some(id) = records.next(&mut body, ctx)? {
        let mut f = Fields::new(&body);
        match id {
            rec::BEGIN_PIVOT_CACHE_DEF => {
                let user = (|| {
                    f.skip(4 + 4 + 8)?;
                    let flags = f.u8()?;
                    f.u32()?;
                    if flags & 0x01 != 0 { f.wide() } else { None }
                })();
                def.refreshed_by = user.filter(|u| !u.trim().is_empty());
            }
            rec::BEGIN_PCD_SOURCE => {
                def.external_source = matches!(f.u32(), Some(1));
            }
            rec::BEGIN_PCD_SRANGE => {
                let _ = (|| {
                    let is_name = f.u8()?;
                    f.u8()?;
                    let flags = f.u8()?;
                    if flags & 0x02 != 0 {
                        def.source_sheet = f.wide();
                    }
                    if flags & 0x01 != 0 {
                        f.wide()?;
                        def.external_source = true;
                    }
                    if is_name == 0 {
                        let [r1, r2, c1, c2] = f.rfx()?;
                        def.source_ref = Some(format!("{}:{}", cell_ref(r1, c1), cell_ref(r2, c2)));
                    } else {
                        def.source_name = f.wide();
                    }
                    Some(())
                })();
            }
            rec::BEGIN_PCD_FIELD => {
                let flags = f.u16().unwrap_or(0);
                let name = f.skip(4 + 2 + 4 + 4 + 4).and_then(|_| f.wide());
                def.fields.push(Field {
                    name: name.unwrap_or_default(),
                    source: flags & 0x0004 != 0,
                    ..Default::default()
                });
            }
            rec::BEGIN_PCD_FATBL => {
                in_shared = true;
                if let (Some(flags), Some(field)) = (f.u16(), def.fields.last_mut()) {
                    field.numeric = flags & 0x0040 != 0;
                    field.dates_only = flags & 0x0004 != 0 && flags & 0x0008 == 0;
                }
            }
            rec::END_PCD_FATBL => in_shared = false,
            rec::BEGIN_PCD_FGROUP => group_depth += 1,
            rec::END_PCD_FGROUP => group_depth = group_depth.saturating_sub(1),
            rec::BEGIN_PCDI_RUN => {
                let (Some(kind), Some(n)) = (f.u16(), f.u32()) else {
                    continue;
                };
                let item_id = match kind {
                    0x0001 => rec::PCDI_NUMBER,
                    0x0002 => rec::PCDI_STRING,
                    0x0010 => rec::PCDI_ERROR,
                    0x0020 => rec::PCDI_DATETIME,
                    _ => continue,
                };
                for _ in 0..n {
                    let Some(v) = item_value(item_id, &mut f) else {
                        break;
                    };
                    add_item(&mut def, in_shared, group_depth, v);
                }
            }
            rec::PCDI_MISSING..=rec::PCDI_DATETIME | rec::PCDIA_MISSING..=rec::PCDIA_DATETIME => {
                if let Some(v) = item_value(id, &mut f) {
                    add_item(&mut def, in_shared, group_depth, v);
                }
            }
            _ => {}
        }
    }
    Ok(def)
}

fn add_item(def: &mut Definition, in_shared: bool, group_depth: u32, value: String) {
    if group_depth > 0 {
        if !value.trim().is_empty() {
            def.group_items.push(value);
        }
    } else if in_shared && let Some(field) = def.fields.last_mut() {
        field.items.push(value);
    }
}

/// The value of a cache item record (`BrtPCDI*` or `BrtPCDIA*`).
fn item_value(id: u16, f: &mut Fields<'_>) -> Option<String> {
    let base = if id >= rec::PCDIA_MISSING {
        id - rec::PCDIA_MISSING + rec::PCDI_MISSING
    } else {
        id
    };
    match base {
        rec::PCDI_MISSING => Some(String::new()),
        rec::PCDI_NUMBER => f.f64().map(number_text),
        rec::PCDI_BOOLEAN => f
            .u8()
            .map(|b| if b != 0 { "TRUE" } else { "FALSE" }.to_string()),
        rec::PCDI_ERROR => f.u8().map(|e| error_text(e).to_string()),
        rec::PCDI_STRING => f.wide(),
        rec::PCDI_DATETIME => date(f),
        _ => None,
    }
}

/// `PCDIDateTime`: year, month (2 bytes each), day, hour, minute, second.
fn date(f: &mut Fields<'_>) -> Option<String> {
    let (y, m) = (f.u16()?, f.u16()?);
    let (d, h, mi, s) = (f.u8()?, f.u8()?, f.u8()?, f.u8()?);
    Some(format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}"))
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
    let source: Vec<&Field> = def.fields.iter().filter(|f| f.source).collect();
    // The field names are the records' header row (row 0), so table detectors see headings.
    for (fi, f) in source.iter().enumerate() {
        emit(ctx, part, &f.name, (0, fi as u32), Some("field name"));
    }
    let mut records = Records::new(reader, part);
    let mut body = Vec::new();
    let mut count = 0u64;
    let mut field = 0usize;
    let mut in_dt = false;
    while let Some(id) = records.next(&mut body, ctx)? {
        let mut f = Fields::new(&body);
        match id {
            rec::PCR_RECORD => {
                in_dt = false;
                count += 1;
                let row = count.min(u32::MAX as u64) as u32;
                for (fi, fd) in source.iter().enumerate() {
                    let value = if !fd.items.is_empty() {
                        f.u32()
                            .map(|i| fd.items.get(i as usize).cloned().unwrap_or_default())
                    } else if fd.numeric {
                        f.f64().map(number_text)
                    } else if fd.dates_only {
                        date(&mut f)
                    } else {
                        f.wide()
                    };
                    let Some(value) = value else {
                        // Not laid out as the definition says: keep its text anyway.
                        for t in rec::wide_runs(f.rest()) {
                            emit(ctx, part, &t, (row, fi as u32), Some("pivot cache record"));
                        }
                        break;
                    };
                    emit(ctx, part, &value, (row, fi as u32), Some(&fd.name));
                }
            }
            rec::PCR_RECORD_DT => {
                in_dt = true;
                count += 1;
                field = 0;
            }
            rec::PCDI_MISSING..=rec::PCDI_INDEX if in_dt => {
                let fd = source.get(field);
                let value = if id == rec::PCDI_INDEX {
                    f.u32().map(|i| {
                        fd.and_then(|fd| fd.items.get(i as usize))
                            .cloned()
                            .unwrap_or_default()
                    })
                } else {
                    item_value(id, &mut f)
                };
                if let Some(v) = value {
                    let row = count.min(u32::MAX as u64) as u32;
                    emit(
                        ctx,
                        part,
                        &v,
                        (row, field as u32),
                        fd.map(|fd| fd.name.as_str()),
                    );
                }
                field += 1;
            }
            _ => {}
        }
    }
    Ok(count)
}

fn emit(ctx: &mut Ctx<'_>, part: &str, text: &str, cell: (u32, u32), detail: Option<&str>) {
    ctx.item(&Item {
        text,
        kind: ItemKind::CacheRecord,
        hidden: true,
        part,
        sheet: None,
        cell: Some(cell),
        detail,
        doc: DocPlace::NONE,
    });
}
