//! Pivot caches of an xls file: one BIFF stream per cache in the `_SX_DB_CUR` storage
//! (`_SX_DB` in Excel 95), holding the cache's fields (SXFDB, with their distinct items as
//! SXSTRING, SXNUM... records) and its records (SXDBB index bytes, and SXOPER values for
//! fields without items). Like an xlsx pivot cache, it keeps the source rows even when the
//! pivot table and its source sheet are gone.

use super::globals::PivotSource;
use super::records::{
    Biff, Cursor, Records, TextCodec, error_text, f64_at, number_text, u16_at, u32_at,
};
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::formats::grid::SheetState;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::{plural, shorten, thousands};

#[derive(Default)]
struct Field {
    name: String,
    /// Has a list of items that SXDBB indexes into.
    atoms: bool,
    /// Two-byte indexes in SXDBB.
    wide: bool,
    items: Vec<String>,
}

/// What the workbook says about one cache.
pub struct CacheInfo<'a> {
    pub source: Option<&'a PivotSource>,
    /// The sheets and their visibility, to say whether the source is still there.
    pub sheets: &'a [(String, SheetState)],
    /// True when no pivot table in the workbook uses this cache any more.
    pub orphaned: bool,
}

enum Event {
    Blob(Vec<u8>),
    Value(String),
}

/// Reads one cache stream, sends its values to the detectors and reports it.
pub fn inspect(
    part: &str,
    stream: &[u8],
    codec: &TextCodec,
    info: &CacheInfo<'_>,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut fields: Vec<Field> = Vec::new();
    let mut declared_records = 0u64;
    let mut base_fields = 0usize;
    let mut user = String::new();
    let mut events: Vec<Event> = Vec::new();
    let mut in_records = false;
    let mut records = Records::new(stream, 0);
    let mut n = 0u64;
    for r in records.by_ref() {
        n += 1;
        if n.is_multiple_of(65536) {
            ctx.check_time()?;
        }
        let d = r.data;
        match r.typ {
            0x00C6 => {
                declared_records = u32_at(d, 0).unwrap_or(0) as u64;
                base_fields = u16_at(d, 10).unwrap_or(0) as usize;
                let cch = u16_at(d, 18).unwrap_or(0);
                if cch != 0xFFFF && cch > 0 {
                    let mut c = Cursor::new(d.get(20..).unwrap_or_default());
                    user = c.string_body(cch as usize, codec).unwrap_or_default();
                }
            }
            0x00C7 => {
                let flags = u16_at(d, 0).unwrap_or(0);
                let name = Cursor::new(d.get(14..).unwrap_or_default())
                    .string16(codec)
                    .unwrap_or_default();
                if fields.len() < 4096 {
                    fields.push(Field {
                        name,
                        atoms: flags & 0x0001 != 0,
                        wide: flags & 0x0200 != 0,
                        items: Vec::new(),
                    });
                }
                in_records = false;
            }
            0x00C8 => {
                in_records = true;
                if events.len() < 1 << 22 {
                    events.push(Event::Blob(d.to_vec()));
                }
            }
            0x00C9..=0x00CF => {
                let value = oper(r.typ, d, codec);
                if in_records || fields.is_empty() {
                    if events.len() < 1 << 22 {
                        events.push(Event::Value(value));
                    }
                } else if let Some(f) = fields.last_mut()
                    && f.items.len() < 1 << 20
                {
                    f.items.push(value);
                }
            }
            _ => {}
        }
    }
    let problem = records.error.take();
    let base = if base_fields > 0 && base_fields <= fields.len() {
        base_fields
    } else {
        fields.len()
    };

    for (fi, field) in fields.iter().enumerate() {
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
    if !user.trim().is_empty() {
        ctx.item(&Item {
            text: &user,
            kind: ItemKind::Author,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some("user who last refreshed the pivot cache"),
            doc: DocPlace::NONE,
        });
    }
    let decoded = records_to_items(part, &fields[..base], &events, ctx)?;
    let records = if decoded > 0 {
        decoded
    } else {
        declared_records
    };

    let distinct: usize = fields.iter().map(|f| f.items.len()).sum();
    let names: Vec<&str> = fields[..base].iter().map(|f| f.name.as_str()).collect();
    let mut notes = Vec::new();
    if let Some(src) = info.source {
        match &src.sheet {
            Some(sheet) => {
                let range = src
                    .range
                    .as_deref()
                    .map(|r| format!(" {r}"))
                    .unwrap_or_default();
                match info
                    .sheets
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(sheet))
                {
                    None => notes.push(format!(
                        "its source sheet '{sheet}'{range} is no longer in the workbook"
                    )),
                    Some((_, SheetState::Visible)) => {
                        notes.push(format!("source: sheet '{sheet}'{range}"))
                    }
                    Some(_) => notes.push(format!("its source sheet '{sheet}'{range} is hidden")),
                }
            }
            None => {
                if let Some(name) = &src.name {
                    notes.push(format!("source: '{name}'"));
                }
            }
        }
    }
    if info.orphaned {
        notes.push("no pivot table uses it any more".into());
    }
    let note = if notes.is_empty() {
        String::new()
    } else {
        format!("; {}", notes.join("; "))
    };
    let fields_text = shorten(&names, 8);
    let (severity, message) = if records > 0 {
        (
            Severity::High,
            format!(
                "pivot cache holds {} of source data with {} ({fields_text}){note}",
                plural(records, "record", "records"),
                plural(names.len() as u64, "field", "fields"),
            ),
        )
    } else if distinct > 0 {
        (
            Severity::High,
            format!(
                "pivot cache definition holds {} distinct values of {} ({fields_text}){note}",
                thousands(distinct as u64),
                plural(names.len() as u64, "field", "fields"),
            ),
        )
    } else {
        (
            Severity::Low,
            format!("pivot cache with no stored values{note}"),
        )
    };
    let mut loc = ctx.loc(part);
    loc.sheet = info.source.and_then(|s| s.sheet.clone());
    loc.range = info.source.and_then(|s| s.range.clone());
    ctx.report(
        "pivot-cache",
        severity,
        true,
        loc,
        message,
        &format!("{}|{records}|{distinct}", names.join(",")),
    );
    if let Some(p) = problem {
        let loc = ctx.loc(part);
        ctx.unscannable(loc, &format!("pivot cache stream: {p}"));
    }
    Ok(())
}

/// One cache value record (SXOPER) as text.
fn oper(typ: u16, d: &[u8], codec: &TextCodec) -> String {
    match typ {
        0x00C9 => number_text(f64_at(d, 0).unwrap_or(0.0)),
        0x00CA => if u16_at(d, 0).unwrap_or(0) != 0 {
            "TRUE"
        } else {
            "FALSE"
        }
        .into(),
        0x00CB => error_text(d.first().copied().unwrap_or(0)).into(),
        0x00CC => (u16_at(d, 0).unwrap_or(0) as i16).to_string(),
        0x00CD => {
            let mut c = Cursor::new(d);
            match codec.biff {
                Biff::Biff8 => c.string16(codec),
                Biff::Biff5 => c.string16(codec),
            }
            .unwrap_or_default()
        }
        0x00CE => {
            let (y, m, day) = (
                u16_at(d, 0).unwrap_or(0),
                u16_at(d, 2).unwrap_or(0),
                d.get(4).copied().unwrap_or(0),
            );
            format!("{y:04}-{m:02}-{day:02}")
        }
        _ => String::new(),
    }
}

/// Decodes the cache records into rows (field names as the header row) for the table
/// detectors, and returns how many records there were.
fn records_to_items(
    part: &str,
    fields: &[Field],
    events: &[Event],
    ctx: &mut Ctx<'_>,
) -> ScanResult<u64> {
    if fields.is_empty() || events.is_empty() {
        return Ok(0);
    }
    for (fi, f) in fields.iter().enumerate() {
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
    let mut ev = events.iter();
    let mut blob: &[u8] = &[];
    let mut pos = 0usize;
    let mut records = 0u64;
    let mut value = String::new();
    'records: loop {
        if records % 4096 == 4095 {
            ctx.check_time()?;
        }
        for (fi, f) in fields.iter().enumerate() {
            value.clear();
            if f.atoms {
                let width = if f.wide { 2 } else { 1 };
                while pos + width > blob.len() {
                    match ev.next() {
                        Some(Event::Blob(b)) => {
                            blob = b;
                            pos = 0;
                        }
                        // A value where an index was due: the records are not laid out as
                        // expected; what was decoded so far stands.
                        Some(Event::Value(_)) | None => break 'records,
                    }
                }
                let idx = if width == 2 {
                    u16::from_le_bytes([blob[pos], blob[pos + 1]]) as usize
                } else {
                    blob[pos] as usize
                };
                pos += width;
                if let Some(v) = f.items.get(idx) {
                    value.push_str(v);
                }
            } else {
                match ev.next() {
                    Some(Event::Value(v)) => value.push_str(v),
                    _ => break 'records,
                }
            }
            ctx.item(&Item {
                text: &value,
                kind: ItemKind::CacheRecord,
                hidden: true,
                part,
                sheet: None,
                cell: Some((records as u32 + 1, fi as u32)),
                detail: Some(&f.name),
                doc: DocPlace::NONE,
            });
        }
        records += 1;
        if pos >= blob.len() && ev.as_slice().is_empty() {
            break;
        }
    }
    Ok(records)
}
