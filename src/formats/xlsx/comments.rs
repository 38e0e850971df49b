//! Notes (legacy comments), threaded comments and the person list behind them.

use super::SheetIndex;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity, parse_cell_ref};
use crate::util::plural;
use crate::xml::{XmlReader, attr, local, local_end, push_text};
use quick_xml::events::Event;
use std::collections::BTreeSet;

/// Notes, threaded comments and person lists, each found by its kind.
pub fn inspect(
    pkg: &mut Package<'_>,
    notes: &[String],
    threaded: &[String],
    persons_parts: &[String],
    index: &SheetIndex,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    for part in notes {
        ctx.guard(part, |ctx| comment_part(pkg, part, index, false, ctx))?;
    }
    for part in threaded {
        ctx.guard(part, |ctx| comment_part(pkg, part, index, true, ctx))?;
    }
    for part in persons_parts {
        ctx.guard(part, |ctx| persons(pkg, part, ctx))?;
    }
    Ok(())
}

/// Legacy `<comment ref><text>…</text></comment>` and threaded `<threadedComment ref>`.
fn comment_part(
    pkg: &mut Package<'_>,
    part: &str,
    index: &SheetIndex,
    threaded: bool,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(());
    };
    let sheet = index.owner_of(part);
    let mut xml = XmlReader::new(reader, part);
    let mut authors: Vec<String> = Vec::new();
    let mut people: BTreeSet<String> = BTreeSet::new();
    let mut in_author = false;
    let mut in_text = false;
    let mut in_t = false;
    let mut in_phonetic = false;
    let mut text = String::new();
    let mut cell = None;
    let mut count = 0u64;
    let mut replies = 0u64;
    loop {
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => match local(e) {
                "author" if matches!(ev, Event::Start(_)) => {
                    in_author = true;
                    authors.push(String::new());
                }
                "comment" | "threadedComment" => {
                    cell = attr(e, "ref").and_then(|r| parse_cell_ref(&r));
                    if let Some(a) = attr(e, "authorId").or_else(|| attr(e, "personId")) {
                        people.insert(a.into_owned());
                    }
                    if attr(e, "parentId").is_some() {
                        replies += 1;
                    }
                    count += 1;
                    text.clear();
                }
                "text" if matches!(ev, Event::Start(_)) => in_text = true,
                "t" if matches!(ev, Event::Start(_)) => in_t = true,
                "rPh" => in_phonetic = matches!(ev, Event::Start(_)),
                _ => {}
            },
            Event::End(e) => match local_end(e.name().0) {
                "author" => in_author = false,
                "t" => in_t = false,
                "rPh" => in_phonetic = false,
                "text" => {
                    in_text = false;
                    ctx.item(&Item {
                        text: &text,
                        kind: ItemKind::Comment,
                        hidden: true,
                        part,
                        sheet: sheet.as_deref(),
                        cell,
                        detail: Some(if threaded { "threaded comment" } else { "note" }),
                        doc: DocPlace::NONE,
                    });
                }
                _ => {}
            },
            Event::Eof => break,
            other => {
                if in_author {
                    if let Some(a) = authors.last_mut() {
                        push_text(other, a);
                    }
                } else if in_text && (threaded || (in_t && !in_phonetic)) {
                    push_text(other, &mut text);
                }
            }
        }
    }
    for a in &authors {
        ctx.item(&Item {
            text: a,
            kind: ItemKind::Author,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some("comment author"),
            doc: DocPlace::NONE,
        });
    }
    if count == 0 {
        return Ok(());
    }
    let where_ = sheet
        .as_deref()
        .map(|s| format!(" on sheet '{s}'"))
        .unwrap_or_default();
    let message = if threaded {
        format!(
            "{}{where_} ({}), by {}",
            plural(count, "threaded comment", "threaded comments"),
            plural(replies, "reply", "replies"),
            plural(people.len() as u64, "person", "people")
        )
    } else {
        format!(
            "{}{where_} by {}",
            plural(count, "note", "notes"),
            plural(people.len() as u64, "author", "authors")
        )
    };
    let mut loc = ctx.loc(part);
    loc.sheet = sheet;
    ctx.report(
        "comment",
        Severity::Medium,
        true,
        loc,
        message,
        if threaded { "threaded" } else { "notes" },
    );
    Ok(())
}

/// `xl/persons/person.xml`: display names and directory ids of everyone who commented.
fn persons(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(());
    };
    let mut xml = XmlReader::new(reader, part);
    let mut people: Vec<(String, String)> = Vec::new();
    crate::xml::for_each_element(&mut xml, |e, _| {
        if local(e) == "person" {
            people.push((
                attr(e, "displayName").unwrap_or_default().into_owned(),
                attr(e, "userId").unwrap_or_default().into_owned(),
            ));
        }
        Ok(())
    })?;
    for (name, id) in &people {
        for (text, detail) in [(name, "person display name"), (id, "person directory id")] {
            ctx.item(&Item {
                text,
                kind: ItemKind::Author,
                hidden: true,
                part,
                sheet: None,
                cell: None,
                detail: Some(detail),
                doc: DocPlace::NONE,
            });
        }
    }
    if people.is_empty() {
        return Ok(());
    }
    let with_ids = people.iter().filter(|(_, id)| !id.is_empty()).count();
    ctx.report(
        "comment",
        Severity::Medium,
        true,
        ctx.loc(part),
        format!(
            "the threaded-comment person list names {} ({} with a directory or email id)",
            plural(people.len() as u64, "person", "people"),
            with_ids
        ),
        "persons",
    );
    Ok(())
}
