//! Shared-workbook revision history (`xl/revisions/`): earlier cell values and the names of
//! the users who changed them.

use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity, parse_cell_ref};
use crate::util::plural;
use crate::xml::{XmlReader, attr, local, local_end, push_text};
use quick_xml::events::Event;
use std::collections::BTreeSet;

pub fn inspect(pkg: &mut Package<'_>, parts: &[String], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    if parts.is_empty() {
        return Ok(());
    }
    let mut values = 0u64;
    let mut users: BTreeSet<String> = BTreeSet::new();
    for part in parts {
        if let Some((v, u)) = ctx.guard(part, |ctx| read_part(pkg, part, ctx))? {
            values += v;
            users.extend(u);
        }
    }
    let severity = if values > 0 {
        Severity::High
    } else {
        Severity::Low
    };
    ctx.report(
        "tracked-change",
        severity,
        true,
        ctx.loc(&parts[0]),
        format!(
            "shared-workbook history keeps {} of earlier or changed cells, by {}",
            plural(values, "value", "values"),
            plural(users.len() as u64, "user", "users")
        ),
        &values.to_string(),
    );
    Ok(())
}

fn read_part(
    pkg: &mut Package<'_>,
    part: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<(u64, BTreeSet<String>)> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok((0, BTreeSet::new()));
    };
    let mut xml = XmlReader::new(reader, part);
    let mut users = BTreeSet::new();
    let mut values = 0u64;
    let mut in_text = false;
    let mut text = String::new();
    let mut cell = None;
    let mut old = false;
    loop {
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => match local(e) {
                "header" => {
                    if let Some(u) = attr(e, "userName") {
                        users.insert(u.into_owned());
                    }
                }
                name @ ("nc" | "oc" | "odxf") => {
                    old = name == "oc";
                    cell = attr(e, "r").and_then(|r| parse_cell_ref(&r));
                }
                "v" | "t" if matches!(ev, Event::Start(_)) => {
                    in_text = true;
                    text.clear();
                }
                _ => {}
            },
            Event::End(e) => {
                let name = local_end(e.name().0);
                if (name == "v" || name == "t") && in_text {
                    in_text = false;
                    if !text.trim().is_empty() {
                        values += 1;
                        ctx.item(&Item {
                            text: &text,
                            kind: ItemKind::Revision,
                            hidden: true,
                            part,
                            sheet: None,
                            cell,
                            detail: Some(if old {
                                "earlier value"
                            } else {
                                "changed value"
                            }),
                            doc: DocPlace::NONE,
                        });
                    }
                }
            }
            Event::Eof => break,
            other => {
                if in_text {
                    push_text(other, &mut text);
                }
            }
        }
    }
    for u in &users {
        ctx.item(&Item {
            text: u,
            kind: ItemKind::Author,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some("revision user"),
            doc: DocPlace::NONE,
        });
    }
    Ok((values, users))
}
