//! Parts of a kind foiguard does not understand. Their text is not skipped: every text node
//! and attribute value of an XML part (or every printable run of a binary one) goes to the
//! detectors as hidden content, and a part that held text is reported as `unknown-part`,
//! naming the part and its content type, so a reviewer can find out what wrote it.

use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::{ContentDigest, plural};
use crate::xml::{XmlReader, attr_value, local_end, push_text};
use quick_xml::events::Event;

/// Shortest printable run of a binary part that counts as text.
const MIN_RUN: usize = 5;

/// Scans a part of an unknown kind and reports it when it holds text. Returns the number
/// of texts it held.
pub fn inspect(
    pkg: &mut Package<'_>,
    part: &str,
    content_type: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<u64> {
    let Some(bytes) = pkg.read(part, ctx)? else {
        return Ok(0);
    };
    inspect_bytes(part, content_type, &bytes, ctx)
}

/// Scans the bytes of a part (or an OLE stream) of an unknown kind, as [`inspect`] does.
pub fn inspect_bytes(
    part: &str,
    content_type: &str,
    bytes: &[u8],
    ctx: &mut Ctx<'_>,
) -> ScanResult<u64> {
    let mut digest = ContentDigest::default();
    let texts = if looks_like_xml(bytes) {
        scan_xml(bytes, part, &mut digest, ctx)?
    } else {
        scan_binary(bytes, part, &mut digest, ctx)
    };
    if texts > 0 {
        let kind = if content_type.is_empty() {
            "no declared content type".to_string()
        } else {
            format!("content type {content_type}")
        };
        ctx.report(
            "unknown-part",
            Severity::Medium,
            true,
            ctx.loc(part),
            format!(
                "part {part} ({kind}) is of a kind foiguard does not understand and holds {}; its text was scanned as hidden content",
                plural(texts, "piece of text", "pieces of text")
            ),
            &digest.hex(),
        );
    }
    Ok(texts)
}

fn looks_like_xml(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    b.iter()
        .find(|c| !c.is_ascii_whitespace())
        .is_some_and(|&c| c == b'<')
}

fn emit(ctx: &mut Ctx<'_>, part: &str, text: &str, detail: &str, digest: &mut ContentDigest) {
    if text.trim().is_empty() {
        return;
    }
    digest.update(text.as_bytes());
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

/// Every text node and attribute value, element by element. Namespace declarations and
/// the XML declaration are structure, not text.
fn scan_xml(
    bytes: &[u8],
    part: &str,
    digest: &mut ContentDigest,
    ctx: &mut Ctx<'_>,
) -> ScanResult<u64> {
    let mut xml = XmlReader::new(bytes, part);
    let mut texts = 0u64;
    let mut text = String::new();
    let mut events = 0u64;
    loop {
        events += 1;
        if events % 8192 == 0 {
            ctx.check_time()?;
        }
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                if !text.trim().is_empty() {
                    texts += 1;
                    emit(ctx, part, &text, "text of an unknown part", digest);
                }
                text.clear();
                for a in e.attributes().with_checks(false).flatten() {
                    let key = a.key.0;
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        continue;
                    }
                    let value = attr_value(a);
                    if value.trim().is_empty() || is_number(&value) {
                        continue;
                    }
                    texts += 1;
                    let detail = format!("attribute {} of an unknown part", local_end(key));
                    emit(ctx, part, &value, &detail, digest);
                }
            }
            Event::End(_) => {
                if !text.trim().is_empty() {
                    texts += 1;
                    emit(ctx, part, &text, "text of an unknown part", digest);
                }
                text.clear();
            }
            Event::Eof => break,
            other => {
                push_text(other, &mut text);
            }
        }
    }
    Ok(texts)
}

fn is_number(s: &str) -> bool {
    s.trim().parse::<f64>().is_ok()
}

/// Printable runs of at least [`MIN_RUN`] characters, read both as 8-bit text and as
/// UTF-16LE (the two ways binary formats store strings).
fn scan_binary(bytes: &[u8], part: &str, digest: &mut ContentDigest, ctx: &mut Ctx<'_>) -> u64 {
    let mut texts = 0u64;
    let mut run = String::new();
    let printable = |c: u8| c == b' ' || c.is_ascii_graphic();
    for &b in bytes {
        if printable(b) {
            run.push(b as char);
        } else {
            if run.trim().len() >= MIN_RUN {
                texts += 1;
                emit(ctx, part, &run, "text of an unknown binary part", digest);
            }
            run.clear();
        }
    }
    if run.trim().len() >= MIN_RUN {
        texts += 1;
        emit(ctx, part, &run, "text of an unknown binary part", digest);
    }
    run.clear();
    for pair in bytes.chunks_exact(2) {
        let unit = u16::from_le_bytes([pair[0], pair[1]]);
        match char::from_u32(unit as u32) {
            Some(c) if unit >= 0x20 && unit != 0x7f && !(0xD800..0xE000).contains(&unit) => {
                // Mostly-ASCII UTF-16 has a zero high byte; the check above keeps other
                // scripts too, and the run length keeps noise out.
                run.push(c)
            }
            _ => {
                if run.trim().chars().count() >= MIN_RUN && run.is_ascii() {
                    texts += 1;
                    emit(ctx, part, &run, "text of an unknown binary part", digest);
                }
                run.clear();
            }
        }
    }
    if run.trim().chars().count() >= MIN_RUN && run.is_ascii() {
        texts += 1;
        emit(ctx, part, &run, "text of an unknown binary part", digest);
    }
    texts
}
