//! Word comments: the comments part (read as a story by [`super::story`]), which of them
//! are replies (`commentsExtended`: a comment whose last paragraph has a `paraIdParent`),
//! and who wrote them (`people.xml`, whose presence information often holds the author's
//! e-mail address or directory id).

use super::story::CommentInfo;
use crate::container::ledger::PartState;
use crate::container::opc::Opc;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity, Story};
use crate::util::{ContentDigest, plural};
use crate::xml::{XmlReader, attr, for_each_element, local};
use std::collections::{BTreeSet, HashSet};

pub fn report(
    opc: &mut Opc<'_>,
    part: &str,
    comments: &[CommentInfo],
    refs: &[(String, DocPlace)],
    extended: &[String],
    people: &[String],
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut replies_to: HashSet<String> = HashSet::new();
    for p in extended {
        opc.inspected(p);
        match ctx.guard(p, |ctx| read_extended(&mut opc.zip, p, ctx))? {
            Some(ids) => replies_to.extend(ids),
            None => opc.ledger.mark(p, PartState::Unreadable),
        }
    }
    let mut identities = 0u64;
    for p in people {
        opc.inspected(p);
        match ctx.guard(p, |ctx| read_people(&mut opc.zip, p, ctx))? {
            Some(n) => identities += n,
            None => opc.ledger.mark(p, PartState::Unreadable),
        }
    }
    if comments.is_empty() {
        return Ok(());
    }
    let replies = comments
        .iter()
        .filter(|c| c.para_ids.last().is_some_and(|id| replies_to.contains(id)))
        .count() as u64;
    let authors: BTreeSet<&str> = comments
        .iter()
        .map(|c| c.author.trim())
        .filter(|a| !a.is_empty())
        .collect();
    let with_text = comments.iter().filter(|c| c.chars > 0).count() as u64;
    let mut anchored: Vec<u32> = Vec::new();
    for c in comments {
        if let Some((_, place)) = refs.iter().find(|(id, _)| *id == c.id)
            && place.story == Some(Story::Body)
            && let Some(p) = place.paragraph
            && !anchored.contains(&p)
        {
            anchored.push(p);
        }
    }
    let mut message = plural(comments.len() as u64, "comment", "comments");
    if replies > 0 {
        message.push_str(&format!(
            " ({} of them {})",
            replies,
            if replies == 1 { "a reply" } else { "replies" }
        ));
    }
    if !authors.is_empty() {
        message.push_str(&format!(
            " by {}",
            plural(authors.len() as u64, "author", "authors")
        ));
    }
    if identities > 0 {
        message.push_str(&format!(
            ", with {} of their authors in people.xml",
            plural(identities, "directory identity", "directory identities")
        ));
    }
    match anchored.as_slice() {
        [] => {}
        [one] => message.push_str(&format!("; on paragraph {one} of the body")),
        list => {
            let shown: Vec<String> = list.iter().take(5).map(u32::to_string).collect();
            let more = if list.len() > 5 { ", …" } else { "" };
            message.push_str(&format!(
                "; on paragraphs {}{more} of the body",
                shown.join(", ")
            ));
        }
    }
    let severity = if with_text > 0 {
        Severity::Medium
    } else {
        message.push_str(", all empty");
        Severity::Low
    };
    let mut digest = ContentDigest::default();
    for c in comments {
        digest.update(c.id.as_bytes());
        digest.update(&c.chars.to_le_bytes());
    }
    let first = comments.iter().map(|c| c.paragraph).find(|p| *p > 0);
    let loc = ctx.loc(part).with_doc(&DocPlace {
        story: Some(Story::Comment),
        paragraph: first,
        ..DocPlace::NONE
    });
    ctx.report("comment", severity, true, loc, message, &digest.hex());
    Ok(())
}

/// `w15:commentEx` entries: the paragraph ids of comments that answer another.
fn read_extended(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<Vec<String>> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(Vec::new());
    };
    let mut xml = XmlReader::new(reader, part);
    let mut out = Vec::new();
    for_each_element(&mut xml, |e, _| {
        if local(e) == "commentEx"
            && attr(e, "paraIdParent").is_some_and(|p| !p.trim().is_empty())
            && let Some(id) = attr(e, "paraId")
        {
            out.push(id.to_string());
        }
        Ok(())
    })?;
    Ok(out)
}

/// `w15:person` entries: each author's name and directory identity go to the detectors.
fn read_people(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<u64> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(0);
    };
    let mut xml = XmlReader::new(reader, part);
    let mut values: Vec<(String, &'static str)> = Vec::new();
    let mut identities = 0u64;
    for_each_element(&mut xml, |e, _| {
        match local(e) {
            "person" => {
                if let Some(a) = attr(e, "author") {
                    values.push((a.to_string(), "comment author (people.xml)"));
                }
            }
            "presenceInfo" => {
                if let Some(u) = attr(e, "userId").filter(|u| !u.trim().is_empty()) {
                    identities += 1;
                    values.push((u.to_string(), "comment author's directory identity"));
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    for (text, detail) in &values {
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
    Ok(identities)
}
