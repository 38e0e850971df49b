//! OLE property sets (MS-OLEPS): the `\x05SummaryInformation` and
//! `\x05DocumentSummaryInformation` streams every Office 97–2003 file (xls, doc, ppt) carries,
//! with the author, last saved by, company, manager and the user-defined (custom) properties
//! of the second section of DocumentSummaryInformation, whose names come from its
//! dictionary. No crate on crates.io reads them on their own (calamine's reader is private
//! and tied to its eager xls parse), so this is a small bounded reader: every offset is
//! checked against the stream, counts are capped, and strings are cut at a fixed length.
//!
//! [`inspect`] reports them the way `ooxml_props` does for OOXML packages, so a
//! `document-metadata` finding reads the same whatever the format.

use crate::container::ole::Compound;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::le::{u16_at, u32_at};
use crate::util::plural;

pub const SUMMARY: &str = "\u{5}SummaryInformation";
pub const DOC_SUMMARY: &str = "\u{5}DocumentSummaryInformation";

/// Most properties read from one section, and longest string kept (bytes).
const MAX_PROPS: usize = 4096;
const MAX_STRING: usize = 1 << 16;

/// FMTID of the user-defined section of DocumentSummaryInformation.
const FMTID_USER: [u8; 16] = [
    0x05, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE,
];
const FMTID_SUMMARY: [u8; 16] = [
    0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10, 0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9,
];

/// One property with a text value.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// The standard name (`Author`, `Company`...) or the user-defined name.
    pub name: String,
    pub value: String,
    /// A user-defined (custom) property.
    pub custom: bool,
}

/// The text properties of a property-set stream, in order. Numbers, dates and booleans of
/// custom properties are kept as text too (they are data someone typed); the standard
/// numeric ones (page counts, edit time) are not.
pub fn parse(stream: &[u8]) -> Vec<Property> {
    let mut out = Vec::new();
    let (Some(0xFFFE), Some(sets)) = (u16_at(stream, 0), u32_at(stream, 24)) else {
        return out;
    };
    for i in 0..sets.min(4) as usize {
        let at = 28 + i * 20;
        let (Some(fmtid), Some(offset)) = (stream.get(at..at + 16), u32_at(stream, at + 16)) else {
            break;
        };
        let Some(section) = stream.get(offset as usize..) else {
            continue;
        };
        let kind = if fmtid == FMTID_USER {
            Kind::User
        } else if fmtid == FMTID_SUMMARY {
            Kind::Summary
        } else {
            Kind::DocSummary
        };
        read_section(section, kind, &mut out);
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Summary,
    DocSummary,
    User,
}

fn read_section(s: &[u8], kind: Kind, out: &mut Vec<Property>) {
    let Some(count) = u32_at(s, 4) else { return };
    let count = (count as usize).min(MAX_PROPS);
    let mut entries: Vec<(u32, usize)> = Vec::new();
    for i in 0..count {
        let (Some(id), Some(off)) = (u32_at(s, 8 + i * 8), u32_at(s, 12 + i * 8)) else {
            break;
        };
        entries.push((id, off as usize));
    }
    let codepage = entries
        .iter()
        .find(|(id, _)| *id == 1)
        .and_then(|(_, off)| u16_at(s, off + 4))
        .unwrap_or(1252);
    let names = match (kind, entries.iter().find(|(id, _)| *id == 0)) {
        (Kind::User, Some(&(_, off))) => dictionary(s, off, codepage),
        _ => Vec::new(),
    };
    for &(id, off) in &entries {
        if id <= 1 || id == 0x8000_0000 || id == 0x8000_0003 {
            continue;
        }
        let name = match kind {
            Kind::User => match names.iter().find(|(i, _)| *i == id) {
                Some((_, n)) => n.clone(),
                None => continue,
            },
            Kind::Summary => match summary_name(id) {
                Some(n) => n.to_string(),
                None => continue,
            },
            Kind::DocSummary => match doc_summary_name(id) {
                Some(n) => n.to_string(),
                None => continue,
            },
        };
        let Some(value) = value(s, off, codepage, kind == Kind::User) else {
            continue;
        };
        if out.len() < MAX_PROPS {
            out.push(Property {
                name,
                value,
                custom: kind == Kind::User,
            });
        }
    }
}

fn summary_name(id: u32) -> Option<&'static str> {
    Some(match id {
        2 => "Title",
        3 => "Subject",
        4 => "Author",
        5 => "Keywords",
        6 => "Comments",
        7 => "Template",
        8 => "LastAuthor",
        18 => "AppName",
        _ => return None,
    })
}

fn doc_summary_name(id: u32) -> Option<&'static str> {
    Some(match id {
        2 => "Category",
        14 => "Manager",
        15 => "Company",
        26 => "ContentType",
        27 => "ContentStatus",
        28 => "Language",
        29 => "DocVersion",
        _ => return None,
    })
}

/// A property's value as text: strings always, and for custom properties numbers, dates
/// and booleans too.
fn value(s: &[u8], off: usize, codepage: u16, all: bool) -> Option<String> {
    let vt = u16_at(s, off)?;
    let d = off + 4;
    match vt {
        0x1E => lpstr(s, d, codepage).map(|(v, _)| v),
        0x1F => lpwstr(s, d).map(|(v, _)| v),
        0x02 if all => u16_at(s, d).map(|v| (v as i16).to_string()),
        0x03 | 0x16 if all => u32_at(s, d).map(|v| (v as i32).to_string()),
        0x13 | 0x17 if all => u32_at(s, d).map(|v| v.to_string()),
        0x05 if all => {
            let b = s.get(d..d + 8)?;
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            Some(f64::from_le_bytes(a).to_string())
        }
        0x0B if all => u16_at(s, d).map(|v| if v != 0 { "TRUE" } else { "FALSE" }.to_string()),
        0x40 if all => {
            let lo = u32_at(s, d)? as u64;
            let hi = u32_at(s, d + 4)? as u64;
            Some(filetime_date((hi << 32) | lo))
        }
        _ => None,
    }
}

/// A FILETIME as a calendar date (`2024-03-01`).
fn filetime_date(ft: u64) -> String {
    let days = (ft / 10_000_000 / 86_400) as i64 - 134_774; // 1601-01-01 -> 1970-01-01
    // Civil-from-days (Howard Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A codepage string: byte count, bytes (ending in NUL). Returns the text and bytes used.
fn lpstr(s: &[u8], at: usize, codepage: u16) -> Option<(String, usize)> {
    let len = u32_at(s, at)? as usize;
    if codepage == 1200 {
        // Unicode property sets store even "8-bit" strings as UTF-16.
        let bytes = s.get(at + 4..at + 4 + len.min(MAX_STRING))?;
        return Some((utf16(bytes), 4 + len));
    }
    let bytes = s.get(at + 4..at + 4 + len.min(MAX_STRING))?;
    let enc = codepage::to_encoding(codepage).unwrap_or(encoding_rs::WINDOWS_1252);
    let (text, _, _) = enc.decode(bytes);
    Some((text.trim_end_matches('\0').to_string(), 4 + len))
}

/// A UTF-16 string: character count, characters (ending in NUL).
fn lpwstr(s: &[u8], at: usize) -> Option<(String, usize)> {
    let chars = u32_at(s, at)? as usize;
    let bytes = s.get(at + 4..at + 4 + (chars * 2).min(MAX_STRING))?;
    Some((utf16(bytes), 4 + chars * 2))
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    String::from_utf16_lossy(&units)
        .trim_end_matches('\0')
        .to_string()
}

/// The dictionary of a user-defined section: property id → name.
fn dictionary(s: &[u8], off: usize, codepage: u16) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let Some(n) = u32_at(s, off) else { return out };
    let mut at = off + 4;
    for _ in 0..(n as usize).min(MAX_PROPS) {
        let (Some(id), Some(len)) = (u32_at(s, at), u32_at(s, at + 4)) else {
            break;
        };
        let len = len as usize;
        at += 8;
        let name = if codepage == 1200 {
            let Some(b) = s.get(at..at + (len * 2).min(MAX_STRING)) else {
                break;
            };
            at += len * 2;
            at += (4 - at % 4) % 4;
            utf16(b)
        } else {
            let Some(b) = s.get(at..at + len.min(MAX_STRING)) else {
                break;
            };
            at += len;
            let enc = codepage::to_encoding(codepage).unwrap_or(encoding_rs::WINDOWS_1252);
            enc.decode(b).0.trim_end_matches('\0').to_string()
        };
        out.push((id, name));
    }
    out
}

/// Properties that name a person or an organisation, with the words used in messages (the
/// same words as for OOXML's `creator`, `lastModifiedBy`, `Company` and `Manager`).
const PERSONAL: &[(&str, &str)] = &[
    ("Author", "author"),
    ("LastAuthor", "last modified by"),
    ("Company", "company"),
    ("Manager", "manager"),
];

/// Something else the file records about who made it: (words for the message, detail,
/// part, value), e.g. the user name of an xls file's WRITEACCESS record.
pub struct Extra<'a> {
    pub label: &'static str,
    pub detail: &'static str,
    pub part: &'a str,
    pub value: &'a str,
}

/// Sends every property of both streams to the detectors as hidden content and reports
/// one `document-metadata` finding naming what they record. A stream that is present but
/// cannot be read is `unscannable`.
pub fn inspect(cf: &mut Compound<'_>, extras: &[Extra<'_>], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let mut found: Vec<&'static str> = Vec::new();
    let mut evidence: Vec<String> = Vec::new();
    let mut custom_values: Vec<String> = Vec::new();
    let mut first_part: Option<String> = None;
    for part in [SUMMARY, DOC_SUMMARY] {
        if !cf.has(part) {
            continue;
        }
        let Some(bytes) = ctx.guard(part, |ctx| cf.read(part, ctx.limits.max_part_bytes))? else {
            continue;
        };
        for p in parse(&bytes) {
            ctx.item(&Item {
                text: &p.value,
                kind: ItemKind::Property,
                hidden: true,
                part,
                sheet: None,
                cell: None,
                detail: Some(&p.name),
                doc: DocPlace::NONE,
            });
            if p.value.trim().is_empty() {
                continue;
            }
            if p.custom {
                custom_values.push(format!("{}={}", p.name, p.value));
                first_part.get_or_insert_with(|| part.to_string());
            } else if let Some((_, label)) = PERSONAL.iter().find(|(k, _)| *k == p.name) {
                if !found.contains(label) {
                    found.push(label);
                    evidence.push(p.value.clone());
                }
                first_part.get_or_insert_with(|| part.to_string());
            }
        }
    }
    for e in extras {
        if e.value.trim().is_empty() {
            continue;
        }
        ctx.item(&Item {
            text: e.value,
            kind: ItemKind::Property,
            hidden: true,
            part: e.part,
            sheet: None,
            cell: None,
            detail: Some(e.detail),
            doc: DocPlace::NONE,
        });
        if !found.contains(&e.label) {
            found.push(e.label);
            evidence.push(e.value.to_string());
        }
        first_part.get_or_insert_with(|| e.part.to_string());
    }
    let custom = custom_values.len() as u64;
    let Some(part) = first_part else {
        return Ok(());
    };
    let mut what = found.join(", ");
    if custom > 0 {
        if !what.is_empty() {
            what.push_str("; ");
        }
        what.push_str(&plural(custom, "custom property", "custom properties"));
    }
    ctx.report(
        "document-metadata",
        Severity::Low,
        true,
        ctx.loc(&part),
        format!("file properties record {what}"),
        &format!("{}|{}", evidence.join("|"), custom_values.join("|")),
    );
    if let Some(f) = ctx.findings.last_mut()
        && !evidence.is_empty()
    {
        f.evidence = Some(evidence.join("; "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A SummaryInformation stream as MS-OLEPS lays it out, built field by field.
    fn summary_stream(props: &[(u32, &str)]) -> Vec<u8> {
        let mut section = Vec::new();
        let mut values = Vec::new();
        let header = 8 + 8 * (props.len() + 1);
        let mut table = Vec::new();
        // Codepage 1252.
        table.push((1u32, header + values.len()));
        values.extend_from_slice(&2u32.to_le_bytes());
        values.extend_from_slice(&1252u32.to_le_bytes());
        for (id, text) in props {
            table.push((*id, header + values.len()));
            values.extend_from_slice(&0x1Eu32.to_le_bytes());
            let mut b = text.as_bytes().to_vec();
            b.push(0);
            while b.len() % 4 != 0 {
                b.push(0);
            }
            values.extend_from_slice(&(b.len() as u32).to_le_bytes());
            values.extend_from_slice(&b);
        }
        section.extend_from_slice(&((header + values.len()) as u32).to_le_bytes());
        section.extend_from_slice(&(table.len() as u32).to_le_bytes());
        for (id, off) in table {
            section.extend_from_slice(&id.to_le_bytes());
            section.extend_from_slice(&(off as u32).to_le_bytes());
        }
        section.extend_from_slice(&values);
        let mut s = vec![0xFE, 0xFF, 0, 0, 2, 0, 0, 0];
        s.extend_from_slice(&[0u8; 16]);
        s.extend_from_slice(&1u32.to_le_bytes());
        s.extend_from_slice(&FMTID_SUMMARY);
        s.extend_from_slice(&48u32.to_le_bytes());
        s.extend_from_slice(&section);
        s
    }

    #[test]
    fn reads_summary_strings_and_survives_damage() {
        let s = summary_stream(&[(4, "Sarah Taylor"), (8, "Tom Wright"), (2, "Crime")]);
        let props = parse(&s);
        let get = |n: &str| props.iter().find(|p| p.name == n).map(|p| p.value.as_str());
        assert_eq!(get("Author"), Some("Sarah Taylor"));
        assert_eq!(get("LastAuthor"), Some("Tom Wright"));
        assert_eq!(get("Title"), Some("Crime"));
        for cut in 0..s.len() {
            let _ = parse(&s[..cut]);
        }
        let mut flipped = s.clone();
        for i in 0..flipped.len() {
            flipped[i] ^= 0xFF;
            let _ = parse(&flipped);
            flipped[i] ^= 0xFF;
        }
    }

    #[test]
    fn filetimes_are_dates() {
        // 2020-01-01T00:00:00Z
        assert_eq!(filetime_date(132_223_104_000_000_000), "2020-01-01");
    }
}
