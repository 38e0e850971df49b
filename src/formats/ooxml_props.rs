//! Package-level properties shared by every OOXML format: the core, extended (app) and
//! custom property parts, and custom XML parts, found by their kind wherever they are.

use crate::container::opc::{Opc, PartKind};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::plural;
use crate::xml::{XmlReader, attr, local, local_end, push_text};
use quick_xml::events::Event;

/// Properties that name a person or an organisation, with the words used in messages.
const PERSONAL: &[(&str, &str)] = &[
    ("creator", "author"),
    ("lastModifiedBy", "last modified by"),
    ("Company", "company"),
    ("Manager", "manager"),
];

/// Reads the package's property parts and custom XML parts (found by kind), plus the
/// main part's own records of where the file was saved (`abs_path`) and who reserved it
/// (`sharing_user`), which `main_part` holds.
pub fn inspect(
    opc: &mut Opc<'_>,
    ctx: &mut Ctx<'_>,
    main_part: &str,
    abs_path: Option<&str>,
    sharing_user: Option<&str>,
) -> ScanResult<()> {
    let mut property_parts = opc.take(PartKind::CoreProperties);
    property_parts.extend(opc.take(PartKind::AppProperties));
    let custom_parts = opc.take(PartKind::CustomProperties);
    property_parts.extend(custom_parts.iter().cloned());
    let custom_xml = opc.take(PartKind::CustomXml);
    let pkg = &mut opc.zip;
    let mut found: Vec<&'static str> = Vec::new();
    let mut evidence: Vec<String> = Vec::new();
    let mut custom = 0u64;
    let mut custom_values: Vec<String> = Vec::new();
    let mut first_part: Option<String> = None;
    for part in &property_parts {
        let part = part.as_str();
        let Some(props) = ctx.guard(part, |ctx| read_props(pkg, part, ctx))?.flatten() else {
            continue;
        };
        for (name, value) in &props {
            ctx.item(&Item {
                text: value,
                kind: ItemKind::Property,
                hidden: true,
                part,
                sheet: None,
                cell: None,
                detail: Some(name),
                doc: DocPlace::NONE,
            });
            if value.trim().is_empty() {
                continue;
            }
            if custom_parts.iter().any(|c| c == part) {
                custom += 1;
                custom_values.push(format!("{name}={value}"));
                first_part.get_or_insert_with(|| part.to_string());
            } else if let Some((_, label)) = PERSONAL.iter().find(|(k, _)| k == name) {
                if !found.contains(label) {
                    found.push(label);
                    evidence.push(value.clone());
                }
                first_part.get_or_insert_with(|| part.to_string());
            }
        }
    }
    for (value, label, detail) in [
        (abs_path, "the folder it was saved in", "absPath"),
        (
            sharing_user,
            "the user who reserved it",
            "fileSharing userName",
        ),
    ] {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            ctx.item(&Item {
                text: v,
                kind: ItemKind::Property,
                hidden: true,
                part: main_part,
                sheet: None,
                cell: None,
                detail: Some(detail),
                doc: DocPlace::NONE,
            });
            found.push(label);
            evidence.push(v.to_string());
            first_part.get_or_insert_with(|| main_part.to_string());
        }
    }
    if found.is_empty() && custom == 0 {
        return inspect_custom_xml(pkg, &custom_xml, ctx);
    }
    let mut what = found.join(", ");
    if custom > 0 {
        if !what.is_empty() {
            what.push_str("; ");
        }
        what.push_str(&plural(custom, "custom property", "custom properties"));
    }
    let part = first_part.unwrap_or_else(|| main_part.to_string());
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
    inspect_custom_xml(pkg, &custom_xml, ctx)
}

/// Reads simple property parts: core/app elements, or custom `<property name>` values.
fn read_props(
    pkg: &mut Package<'_>,
    part: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<Option<Vec<(String, String)>>> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(None);
    };
    let mut xml = XmlReader::new(reader, part);
    let mut out: Vec<(String, String)> = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut custom_name: Option<String> = None;
    let mut text = String::new();
    loop {
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) => {
                let name = local(e).to_string();
                if name == "property" {
                    custom_name = attr(e, "name").map(|n| n.into_owned());
                }
                stack.push(name);
                text.clear();
            }
            Event::End(e) => {
                let name = local_end(e.name().0);
                stack.pop();
                if !text.trim().is_empty() {
                    // Custom properties: the value sits in a vt:* child of <property>.
                    let key = if stack.iter().any(|s| s == "property") {
                        custom_name.clone().unwrap_or_else(|| name.to_string())
                    } else {
                        name.to_string()
                    };
                    // Skip vector/array containers of app.xml (TitlesOfParts lists sheet names).
                    if !matches!(key.as_str(), "lpstr" | "i4" | "variant") {
                        out.push((key, text.trim().to_string()));
                    }
                }
                text.clear();
            }
            Event::Eof => break,
            other => {
                push_text(other, &mut text);
            }
        }
        if out.len() > 10_000 {
            break;
        }
    }
    Ok(Some(out))
}

/// Custom XML parts: their text is extracted; a Power Query mashup is a data connection.
fn inspect_custom_xml(
    pkg: &mut Package<'_>,
    parts: &[String],
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut with_text = 0u64;
    let mut first = None;
    for part in parts {
        if let Some((texts, mashup)) = ctx.guard(part, |ctx| custom_part(pkg, part, ctx))? {
            if mashup {
                ctx.report(
                    "data-connection",
                    Severity::Medium,
                    true,
                    ctx.loc(part),
                    "Power Query mashup (queries and their sources) stored in a custom XML part"
                        .into(),
                    part,
                );
            }
            if texts > 0 {
                with_text += 1;
                first.get_or_insert(part.clone());
            }
        }
    }
    if let Some(part) = first {
        ctx.report(
            "custom-xml",
            Severity::Low,
            true,
            ctx.loc(&part),
            format!(
                "{} stored with the document",
                plural(
                    with_text,
                    "custom XML part with content",
                    "custom XML parts with content"
                )
            ),
            &with_text.to_string(),
        );
    }
    Ok(())
}

fn custom_part(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<(u64, bool)> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok((0, false));
    };
    custom_part_from(reader, part, ctx)
}

/// The text of a custom XML part held in memory (an xls file's `MsoDataStore` item): each
/// text goes to the detectors as hidden content. Returns how many texts it held.
pub fn custom_xml_texts(part: &str, bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<u64> {
    // Office writes these items as UTF-8 or UTF-16 with a BOM.
    let utf8: std::borrow::Cow<'_, [u8]> = if bytes.starts_with(&[0xFF, 0xFE]) {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16_lossy(&units)
            .replacen("encoding=\"utf-16\"", "", 1)
            .into_bytes()
            .into()
    } else {
        bytes.into()
    };
    Ok(custom_part_from(&utf8[..], part, ctx)?.0)
}

fn custom_part_from<R: std::io::BufRead>(
    reader: R,
    part: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<(u64, bool)> {
    let mut xml = XmlReader::new(reader, part);
    let mut texts = 0u64;
    let mut mashup = false;
    let mut text = String::new();
    loop {
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                if local(e) == "DataMashup" {
                    mashup = true;
                }
                flush(ctx, part, &mut text, &mut texts);
            }
            Event::End(_) => flush(ctx, part, &mut text, &mut texts),
            Event::Eof => break,
            other => {
                push_text(other, &mut text);
            }
        }
    }
    Ok((texts, mashup))
}

fn flush(ctx: &mut Ctx<'_>, part: &str, text: &mut String, count: &mut u64) {
    if !text.trim().is_empty() {
        *count += 1;
        ctx.item(&Item {
            text,
            kind: ItemKind::CustomXml,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: None,
            doc: DocPlace::NONE,
        });
    }
    text.clear();
}
