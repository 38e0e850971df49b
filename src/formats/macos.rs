//! Residue of zipping on a Mac: `__MACOSX/` AppleDouble entries and Finder's `.DS_Store`.
//! They are not package parts and are never parsed as package XML, but they are not empty
//! either. An AppleDouble entry keeps the file's extended attributes, and
//! `com.apple.metadata:kMDItemWhereFroms` records where the file came from: the sender's
//! address of a mail attachment, or the download URL. `.DS_Store` keeps the names of the
//! files in the folder. Their text goes to the detectors as hidden content, and the entries
//! are reported at `low` (a sender's address found in them is escalated by the detectors).

use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::{ContentDigest, plural};

const APPLEDOUBLE_MAGIC: u32 = 0x0005_1607;
/// AppleDouble entry ids: resource fork and Finder info (which carries the attributes).
const ENTRY_RESOURCE_FORK: u32 = 2;
const ENTRY_FINDER_INFO: u32 = 9;
/// Most attributes decoded from one entry; real files have a handful.
const MAX_ATTRS: usize = 256;
/// Shortest printable run kept from opaque data.
const MIN_RUN: usize = 5;

/// One extended attribute: its name and the texts its value holds.
#[derive(Debug, Default, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub texts: Vec<String>,
}

/// Decodes the entries, sends their text to the detectors and reports them. `entries` are
/// the package's Mac residue entries, in package order.
pub fn inspect(pkg: &mut Package<'_>, entries: &[String], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut digest = ContentDigest::default();
    let mut attributes = 0u64;
    let mut texts = 0u64;
    for entry in entries {
        let Some(bytes) = ctx.guard(entry, |ctx| pkg.read(entry, ctx))?.flatten() else {
            continue;
        };
        digest.update(entry.as_bytes());
        let lower = entry.to_ascii_lowercase();
        let found: Vec<Attribute> = if lower.ends_with(".ds_store") {
            vec![Attribute {
                name: "Finder folder listing".into(),
                texts: ds_store_texts(&bytes),
            }]
        } else {
            appledouble_attributes(&bytes)
        };
        for attr in &found {
            attributes += 1;
            let detail = format!("Mac attribute {}", attr.name);
            for text in &attr.texts {
                texts += 1;
                digest.update(text.as_bytes());
                ctx.item(&Item {
                    text,
                    kind: ItemKind::Property,
                    hidden: true,
                    part: entry,
                    sheet: None,
                    cell: None,
                    detail: Some(&detail),
                    doc: DocPlace::NONE,
                });
            }
        }
    }
    let with = if texts > 0 {
        format!(
            "; they hold {} in {}",
            plural(texts, "text", "texts"),
            plural(attributes, "attribute", "attributes")
        )
    } else {
        String::new()
    };
    ctx.report(
        "residual-data",
        Severity::Low,
        true,
        ctx.loc(&entries[0]),
        format!(
            "the file was zipped again on a Mac: {} (__MACOSX/ AppleDouble files or .DS_Store) travel with it{with}, such as where the file came from",
            plural(entries.len() as u64, "Finder entry", "Finder entries")
        ),
        &digest.hex(),
    );
    Ok(())
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn be_u16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

/// The extended attributes of an AppleDouble file, each value decoded: a binary property
/// list (as `kMDItemWhereFroms` is) gives its strings, anything else its printable runs.
/// The resource fork's printable runs come last. Malformed input gives what could be read.
pub fn appledouble_attributes(bytes: &[u8]) -> Vec<Attribute> {
    let mut out = Vec::new();
    if be_u32(bytes, 0) != Some(APPLEDOUBLE_MAGIC) {
        // Not AppleDouble after all: keep whatever text it has.
        let texts = ascii_runs(bytes);
        if !texts.is_empty() {
            out.push(Attribute {
                name: "data".into(),
                texts,
            });
        }
        return out;
    }
    let count = be_u16(bytes, 24).unwrap_or(0) as usize;
    for i in 0..count.min(16) {
        let at = 26 + i * 12;
        let (Some(id), Some(offset), Some(length)) = (
            be_u32(bytes, at),
            be_u32(bytes, at + 4),
            be_u32(bytes, at + 8),
        ) else {
            break;
        };
        let (offset, length) = (offset as usize, length as usize);
        let Some(data) = offset
            .checked_add(length)
            .and_then(|end| bytes.get(offset..end))
        else {
            continue;
        };
        match id {
            ENTRY_FINDER_INFO => attributes_after_finder_info(bytes, data, &mut out),
            ENTRY_RESOURCE_FORK => {
                let texts = ascii_runs(data);
                if !texts.is_empty() {
                    out.push(Attribute {
                        name: "resource fork".into(),
                        texts,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// macOS appends an `ATTR` header to the 32 bytes of Finder info (after 2 bytes of
/// padding); attribute value offsets count from the start of the AppleDouble file.
/// The layout is xnu's `attr_header_t` and `attr_entry_t` (bsd/vfs/vfs_xattr.c).
fn attributes_after_finder_info(file: &[u8], data: &[u8], out: &mut Vec<Attribute>) {
    let header = 34;
    if data.get(header..header + 4) != Some(b"ATTR") {
        return;
    }
    let Some(num) = be_u16(data, header + 34) else {
        return;
    };
    let mut pos = header + 36;
    for _ in 0..(num as usize).min(MAX_ATTRS) {
        let (Some(offset), Some(length), Some(&name_len)) =
            (be_u32(data, pos), be_u32(data, pos + 4), data.get(pos + 10))
        else {
            break;
        };
        let name_len = name_len as usize;
        let Some(name_bytes) = data.get(pos + 11..pos + 11 + name_len) else {
            break;
        };
        let name = String::from_utf8_lossy(name_bytes)
            .trim_end_matches('\0')
            .to_string();
        // Each entry is padded to a multiple of 4 bytes (xnu's ATTR_ALIGN).
        pos += (11 + name_len + 3) & !3;
        let (offset, length) = (offset as usize, length as usize);
        let Some(value) = offset
            .checked_add(length)
            .and_then(|end| file.get(offset..end))
        else {
            continue;
        };
        let texts = value_texts(value);
        out.push(Attribute { name, texts });
    }
}

/// The strings of an attribute value: a binary property list is decoded with `plist`; other
/// values give their printable runs.
fn value_texts(value: &[u8]) -> Vec<String> {
    if value.starts_with(b"bplist")
        && let Ok(parsed) = plist::Value::from_reader(std::io::Cursor::new(value))
    {
        let mut texts = Vec::new();
        collect_strings(&parsed, &mut texts, 0);
        return texts;
    }
    ascii_runs(value)
}

fn collect_strings(value: &plist::Value, out: &mut Vec<String>, depth: u32) {
    if depth > 16 || out.len() > 1024 {
        return;
    }
    match value {
        plist::Value::String(s) if !s.trim().is_empty() => out.push(s.clone()),
        plist::Value::Array(items) => {
            for v in items {
                collect_strings(v, out, depth + 1);
            }
        }
        plist::Value::Dictionary(map) => {
            for (k, v) in map {
                if !k.trim().is_empty() {
                    out.push(k.clone());
                }
                collect_strings(v, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn ascii_runs(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    for &b in bytes.iter().chain(std::iter::once(&0u8)) {
        if b == b' ' || b.is_ascii_graphic() {
            run.push(b as char);
        } else {
            if run.trim().len() >= MIN_RUN {
                out.push(run.trim().to_string());
            }
            run.clear();
        }
    }
    out
}

/// `.DS_Store` is a B-tree of records: a file name (u32 length in UTF-16 units, then
/// UTF-16BE), a four-letter structure id (`Iloc`, `cmmt`...) and a four-letter type; a
/// `ustr` value (a Finder comment) is text too. Records are found wherever that shape
/// holds, so a damaged tree still gives its names.
fn ds_store_texts(bytes: &[u8]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0usize;
    while i + 4 <= bytes.len() && out.len() < 4096 {
        if let Some((name, next)) = ustr_at(bytes, i)
            && let Some(code) = bytes.get(next..next + 8)
            && code.iter().all(|c| c.is_ascii_alphanumeric() || *c == b' ')
        {
            if out.last() != Some(&name) {
                out.push(name);
            }
            let mut after = next + 8;
            if &code[4..] == b"ustr"
                && let Some((value, end)) = ustr_at(bytes, after)
            {
                out.push(value);
                after = end;
            }
            i = after;
            continue;
        }
        i += 1;
    }
    out.retain(|t| t.trim().chars().count() >= 2);
    out
}

/// A u32 big-endian length in UTF-16 units followed by that many printable UTF-16BE units:
/// the text and the offset after it.
fn ustr_at(bytes: &[u8], at: usize) -> Option<(String, usize)> {
    let n = be_u32(bytes, at)? as usize;
    if n == 0 || n > 1024 {
        return None;
    }
    let start = at + 4;
    let raw = bytes.get(start..start.checked_add(n * 2)?)?;
    let units: Vec<u16> = raw
        .chunks_exact(2)
        .map(|p| u16::from_be_bytes([p[0], p[1]]))
        .collect();
    let text = String::from_utf16(&units).ok()?;
    if text.chars().any(|c| c.is_control()) {
        return None;
    }
    Some((text, start + n * 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ds_store_names_come_out() {
        let mut bytes = b"\0\0\0\x01Bud1".to_vec();
        bytes.extend_from_slice(&[0, 0, 0, 21]);
        for c in "victim-statement.docx".encode_utf16() {
            bytes.extend_from_slice(&c.to_be_bytes());
        }
        bytes.extend_from_slice(b"cmmt");
        bytes.extend_from_slice(b"ustr");
        bytes.extend_from_slice(&[0, 0, 0, 5]);
        for c in "J Doe".encode_utf16() {
            bytes.extend_from_slice(&c.to_be_bytes());
        }
        let texts = ds_store_texts(&bytes);
        assert_eq!(texts, ["victim-statement.docx", "J Doe"]);
    }
}
