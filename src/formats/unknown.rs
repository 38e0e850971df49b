//! Parts whose text nobody inspects in detail. Their text is not skipped: every text node
//! and attribute value of an XML part (or every printable run of a binary one) goes to the
//! detectors as hidden content. A part of a kind foiguard does not understand that held
//! text is also reported as `unknown-part`, naming the part and its content type, so a
//! reviewer can find out what wrote it.

use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::{ContentDigest, plural};
use crate::xml::{XmlReader, attr_value, local_end, push_text};
use quick_xml::events::Event;

/// Shortest printable run of a binary part that counts as text.
const MIN_RUN: usize = 5;

/// Sends every text of a part to the detectors as hidden content, with `what` saying where
/// it came from ("text of a slicer part"). For parts of known kinds that hold a little text
/// but need no inspector of their own (slicers, control properties, VML drawings...).
/// Returns the number of texts and their digest.
pub fn scan_text(
    pkg: &mut Package<'_>,
    part: &str,
    what: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<(u64, ContentDigest)> {
    let Some(bytes) = pkg.read(part, ctx)? else {
        return Ok((0, ContentDigest::default()));
    };
    scan_bytes(&bytes, part, what, ctx)
}

/// Like [`scan_text`], for bytes already read.
pub fn scan_bytes(
    bytes: &[u8],
    part: &str,
    what: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<(u64, ContentDigest)> {
    let mut digest = ContentDigest::default();
    if looks_like_xml(bytes) {
        match scan_xml(bytes, part, what, &mut digest, ctx) {
            Ok(texts) => return Ok((texts, digest)),
            // Not well-formed (VML is often HTML-like, some "XML" parts are binary): no
            // parser reads it as XML, so its printable text is scanned instead, whole.
            Err(_) => ctx.check_time()?,
        }
    }
    let texts = scan_binary(bytes, part, what, &mut digest, ctx);
    Ok((texts, digest))
}

/// Scans a part of an unknown kind and reports it when it holds text. Returns the number
/// of texts it held.
pub fn inspect(
    pkg: &mut Package<'_>,
    part: &str,
    content_type: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<u64> {
    let (texts, digest) = scan_text(pkg, part, "text of an unknown part", ctx)?;
    report(part, content_type, texts, digest, ctx);
    Ok(texts)
}

/// Like [`inspect`], for bytes already read (an OLE stream of an unknown kind).
pub fn inspect_bytes(
    part: &str,
    content_type: &str,
    bytes: &[u8],
    ctx: &mut Ctx<'_>,
) -> ScanResult<u64> {
    let (texts, digest) = scan_bytes(bytes, part, "text of an unknown part", ctx)?;
    report(part, content_type, texts, digest, ctx);
    Ok(texts)
}

fn report(part: &str, content_type: &str, texts: u64, digest: ContentDigest, ctx: &mut Ctx<'_>) {
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
    what: &str,
    digest: &mut ContentDigest,
    ctx: &mut Ctx<'_>,
) -> ScanResult<u64> {
    let mut xml = XmlReader::new(bytes, part);
    let mut texts = 0u64;
    let mut text = String::new();
    let mut events = 0u64;
    loop {
        events += 1;
        if events.is_multiple_of(8192) {
            ctx.check_time()?;
        }
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                if !text.trim().is_empty() {
                    texts += 1;
                    emit(ctx, part, &text, what, digest);
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
                    let detail = format!("{what} (attribute {})", local_end(key));
                    emit(ctx, part, &value, &detail, digest);
                }
            }
            Event::End(_) => {
                if !text.trim().is_empty() {
                    texts += 1;
                    emit(ctx, part, &text, what, digest);
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
fn scan_binary(
    bytes: &[u8],
    part: &str,
    what: &str,
    digest: &mut ContentDigest,
    ctx: &mut Ctx<'_>,
) -> u64 {
    let mut texts = 0u64;
    let mut run = String::new();
    let printable = |c: u8| c == b' ' || c.is_ascii_graphic();
    for &b in bytes {
        if printable(b) {
            run.push(b as char);
        } else {
            if run.trim().len() >= MIN_RUN {
                texts += 1;
                emit(ctx, part, &run, what, digest);
            }
            run.clear();
        }
    }
    if run.trim().len() >= MIN_RUN {
        texts += 1;
        emit(ctx, part, &run, what, digest);
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
                    emit(ctx, part, &run, what, digest);
                }
                run.clear();
            }
        }
    }
    if run.trim().chars().count() >= MIN_RUN && run.is_ascii() {
        texts += 1;
        emit(ctx, part, &run, what, digest);
    }
    texts
}
