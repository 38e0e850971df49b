//! `meta.xml` (`office:meta`): who created, last saved and printed the document, its
//! template's path, and user-defined fields; and `settings.xml` (`office:settings`): view
//! and printer settings, where printer names, server paths and a base64 printer set-up
//! blob (with the printer and driver names in it) are stored.

use super::{Elem, collect_text, loc};
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::{ContentDigest, plural};
use crate::xml::XmlReader;
use quick_xml::events::Event;
use std::io::BufRead;

/// What `meta.xml` records that names people or places.
#[derive(Debug, Default)]
pub struct Meta {
    pub part: String,
    /// Labels of personal properties found ("author", "last modified by"...).
    pub found: Vec<&'static str>,
    pub evidence: Vec<String>,
    pub custom: u64,
    pub digest: ContentDigest,
}

/// Elements of `office:meta` that name a person or a path, with the words for messages.
const PERSONAL: &[(&str, &str)] = &[
    ("initial-creator", "author"),
    ("creator", "last modified by"),
    ("printed-by", "printed by"),
];

/// Reads `office:meta` (its start tag already read).
pub fn read_meta<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    meta: &mut Meta,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    meta.part = part.to_string();
    loop {
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(_) | Event::Eof => return Ok(()),
            _ => continue,
        };
        drop(ev);
        let name = elem.local().to_string();
        let mut values: Vec<(String, String)> = Vec::new();
        if name == "template" || name == "auto-reload" {
            for key in ["href", "title"] {
                if let Some(v) = elem.get(key) {
                    values.push((format!("{name} {key}"), v.to_string()));
                }
            }
        }
        // The application that wrote the file, counts and durations: no one's data (and a
        // version such as 26.2.0.3 reads like an IP address).
        if matches!(
            name.as_str(),
            "document-statistic" | "editing-duration" | "editing-cycles" | "generator"
        ) {
            if !empty {
                collect_text(xml, ctx)?;
            }
            continue;
        }
        if !empty {
            let text = collect_text(xml, ctx)?;
            let key = if name == "user-defined" {
                format!("user-defined {}", elem.get("name").unwrap_or_default())
            } else {
                name.clone()
            };
            values.push((key, text));
        }
        for (key, value) in &values {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            ctx.item(&Item {
                text: value,
                kind: ItemKind::Property,
                hidden: true,
                part,
                sheet: None,
                cell: None,
                detail: Some(key),
                doc: DocPlace::NONE,
            });
            if name == "user-defined" {
                meta.custom += 1;
                meta.digest.update(key.as_bytes());
                meta.digest.update(value.as_bytes());
            } else if name == "template" && key.ends_with("href") {
                note(meta, "the template path", value);
            } else if let Some((_, label)) = PERSONAL.iter().find(|(k, _)| *k == name) {
                note(meta, label, value);
            }
        }
    }
}

fn note(meta: &mut Meta, label: &'static str, value: &str) {
    if !meta.found.contains(&label) {
        meta.found.push(label);
        meta.evidence.push(value.to_string());
    }
    meta.digest.update(label.as_bytes());
    meta.digest.update(value.as_bytes());
}

/// `document-metadata`: one finding for the document's properties, as for xlsx.
pub fn report(meta: &Meta, ctx: &mut Ctx<'_>) {
    if meta.found.is_empty() && meta.custom == 0 {
        return;
    }
    let mut what = meta.found.join(", ");
    if meta.custom > 0 {
        if !what.is_empty() {
            what.push_str("; ");
        }
        what.push_str(&plural(
            meta.custom,
            "user-defined property",
            "user-defined properties",
        ));
    }
    ctx.report(
        "document-metadata",
        Severity::Low,
        true,
        loc(ctx, &meta.part),
        format!("file properties record {what}"),
        &meta.digest.hex(),
    );
    if let Some(f) = ctx.findings.last_mut()
        && !meta.evidence.is_empty()
    {
        f.evidence = Some(meta.evidence.join("; "));
    }
}

/// Reads `office:settings` (its start tag already read): every string setting and the
/// text inside base64 printer set-up blobs go to the detectors as hidden content.
pub fn read_settings<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut depth = 0u32;
    let mut events = 0u64;
    loop {
        events += 1;
        if events.is_multiple_of(4096) {
            ctx.check_time()?;
        }
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
        if elem.local() != "config-item" {
            if !empty {
                depth += 1;
            }
            continue;
        }
        if empty {
            continue;
        }
        let value = collect_text(xml, ctx)?;
        let name = elem.get("name").unwrap_or_default();
        let detail = format!("setting {name}");
        match elem.get("type").unwrap_or_default() {
            "string" => {
                let v = value.trim();
                if !v.is_empty() && v.parse::<f64>().is_err() {
                    emit(ctx, part, v, &detail);
                }
            }
            "base64Binary" => {
                let bytes = base64_decode(&value);
                for run in text_runs(&bytes) {
                    emit(ctx, part, &run, &detail);
                }
            }
            _ => {}
        }
    }
}

fn emit(ctx: &mut Ctx<'_>, part: &str, text: &str, detail: &str) {
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

/// Printable runs of five or more characters, read as 8-bit text and as UTF-16LE.
pub fn text_runs(bytes: &[u8]) -> Vec<String> {
    const MIN: usize = 5;
    let mut out = Vec::new();
    let mut run = String::new();
    for &b in bytes {
        if b == b' ' || b.is_ascii_graphic() {
            run.push(b as char);
        } else {
            if run.trim().len() >= MIN {
                out.push(std::mem::take(&mut run));
            }
            run.clear();
        }
    }
    if run.trim().len() >= MIN {
        out.push(std::mem::take(&mut run));
    }
    // UTF-16 strings may start at an odd offset: read both alignments.
    for start in 0..2 {
        run.clear();
        for pair in bytes.get(start..).unwrap_or_default().chunks_exact(2) {
            let unit = u16::from_le_bytes([pair[0], pair[1]]);
            if (0x20..0x7f).contains(&unit) {
                run.push(unit as u8 as char);
            } else {
                if run.trim().len() >= MIN {
                    out.push(std::mem::take(&mut run));
                }
                run.clear();
            }
        }
        if run.trim().len() >= MIN {
            out.push(std::mem::take(&mut run));
        }
    }
    out
}

/// Standard base64, whitespace ignored; decoding stops at the first byte that is not
/// base64 (the printer blobs and inline objects ODF stores are plain base64).
pub fn base64_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &c in text.as_bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            c if c.is_ascii_whitespace() => continue,
            _ => break,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_printer_names() {
        assert_eq!(base64_decode("SGVsbG8gV29ybGQ="), b"Hello World");
        assert_eq!(base64_decode("SGVs\nbG8="), b"Hello");
        let blob = [
            b"\x00\x01HP LaserJet 4\x00\x00".as_slice(),
            &[0x50, 0, 0x51, 0, 0x52, 0, 0x53, 0, 0x54, 0],
        ]
        .concat();
        let runs = text_runs(&blob);
        assert!(runs.iter().any(|r| r == "HP LaserJet 4"), "{runs:?}");
        assert!(runs.iter().any(|r| r == "PQRST"), "{runs:?}");
    }
}
