//! External links: the cached values of another workbook (`sheetDataSet`) and the path to
//! it, which often names a server, a share and a user.

use crate::container::opc::Graph;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity, parse_cell_ref};
use crate::util::plural;
use crate::xml::{XmlReader, attr, attr_u32, local, local_end, push_text};
use quick_xml::events::Event;

pub fn inspect(
    pkg: &mut Package<'_>,
    part: &str,
    graph: &Graph,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let target = graph
        .rels_of(part)
        .iter()
        .find(|r| r.external || r.kind.contains("Path"))
        .map(|r| r.target.clone());
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(());
    };
    let mut xml = XmlReader::new(reader, part);
    let mut sheet_names: Vec<String> = Vec::new();
    let mut current_sheet: Option<usize> = None;
    let mut cell: Option<(u32, u32)> = None;
    let mut in_v = false;
    let mut value = String::new();
    let mut cached = 0u64;
    let mut kind = "workbook";
    loop {
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => match local(e) {
                "sheetName" => sheet_names.push(attr(e, "val").unwrap_or_default().into_owned()),
                "sheetData" => current_sheet = attr_u32(e, "sheetId").map(|i| i as usize),
                "cell" => cell = attr(e, "r").and_then(|r| parse_cell_ref(&r)),
                "v" if matches!(ev, Event::Start(_)) => {
                    in_v = true;
                    value.clear();
                }
                "ddeLink" => kind = "DDE link",
                "oleLink" => kind = "OLE link",
                _ => {}
            },
            Event::End(e) if local_end(e.name().0) == "v" && in_v => {
                in_v = false;
                if !value.trim().is_empty() {
                    cached += 1;
                    let sheet = current_sheet
                        .and_then(|i| sheet_names.get(i))
                        .map(String::as_str);
                    ctx.item(&Item {
                        text: &value,
                        kind: ItemKind::ExternalCell,
                        hidden: true,
                        part,
                        sheet,
                        cell,
                        detail: Some("cached value of a linked workbook"),
                        doc: DocPlace::NONE,
                    });
                }
            }
            Event::Eof => break,
            other => {
                if in_v {
                    push_text(other, &mut value);
                }
            }
        }
    }
    if let Some(t) = &target {
        ctx.item(&Item {
            text: t,
            kind: ItemKind::Property,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some("external link target"),
            doc: DocPlace::NONE,
        });
    }
    let file = target
        .as_deref()
        .map(|t| {
            t.rsplit(['/', '\\'])
                .next()
                .unwrap_or(t)
                .replace("%20", " ")
        })
        .unwrap_or_else(|| "an unnamed source".into());
    let (severity, message) = if cached > 0 {
        (
            Severity::High,
            format!(
                "external {kind} to '{file}' keeps {} from its sheets ({}) inside this file",
                plural(cached, "cached value", "cached values"),
                sheet_names.join(", ")
            ),
        )
    } else {
        (
            Severity::Medium,
            format!("external {kind} to '{file}' reveals the path of the linked file"),
        )
    };
    let mut loc = ctx.loc(part);
    loc.sheet = sheet_names.first().cloned();
    let key = format!("{file}|{cached}");
    ctx.report("external-link", severity, true, loc, message, &key);
    if let (Some(t), Some(f)) = (target, ctx.findings.last_mut()) {
        f.evidence = Some(t);
    }
    Ok(())
}
