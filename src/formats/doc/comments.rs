//! Word comments (annotations): their text is the comments story, read like any other;
//! `PlcfandRef` places each one's anchor in the body and names its author by index into
//! `GrpXstAtnOwners` (with the author's initials in the `ATRDPre10` itself). Reported like
//! the docx inspector's comments, with the authors' names sent to the detectors.

use super::flow::PART;
use super::le::u16_at;
use crate::context::Ctx;
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity, Story};
use crate::util::{ContentDigest, plural};
use std::collections::BTreeSet;

/// Size of an `ATRDPre10`.
const ATRD: usize = 30;

pub struct Annotation {
    /// CP of the reference mark in the main text.
    pub anchor: u32,
    pub author: String,
    pub initials: String,
}

/// The comments listed by `PlcfandRef`, with their authors.
pub fn annotations(plc: &[u8], owners: &[String]) -> Vec<Annotation> {
    let (cps, n) = super::document::plc_cps(plc, ATRD);
    let data = (n + 1) * 4;
    (0..n)
        .map(|i| {
            let at = data + i * ATRD;
            let cch = u16_at(plc, at).unwrap_or(0).min(9) as usize;
            let initials = super::le::utf16_at(plc, at + 2, cch).unwrap_or_default();
            let ibst = u16_at(plc, at + 20).unwrap_or(u16::MAX);
            Annotation {
                anchor: cps.get(i).copied().unwrap_or(0),
                author: owners.get(ibst as usize).cloned().unwrap_or_default(),
                initials,
            }
        })
        .collect()
}

/// Sends the authors to the detectors and reports the comments. `texts` holds, per
/// comment, its first paragraph in the comments story and its count of non-space
/// characters; `body_marks` the body's paragraph marks with their numbers.
pub fn report(
    ctx: &mut Ctx<'_>,
    annotations: &[Annotation],
    texts: &[(Option<u32>, u64)],
    body_marks: &[(u32, u32)],
) {
    let count = annotations.len().max(texts.len()) as u64;
    if count == 0 {
        return;
    }
    let authors: BTreeSet<&str> = annotations
        .iter()
        .map(|a| a.author.trim())
        .filter(|a| !a.is_empty())
        .collect();
    for a in &authors {
        ctx.item(&Item {
            text: a,
            kind: ItemKind::Author,
            hidden: true,
            part: PART,
            sheet: None,
            cell: None,
            detail: Some("comment author"),
            doc: DocPlace::NONE,
        });
    }
    let initials: BTreeSet<&str> = annotations
        .iter()
        .map(|a| a.initials.trim())
        .filter(|a| !a.is_empty())
        .collect();
    for i in &initials {
        ctx.item(&Item {
            text: i,
            kind: ItemKind::Author,
            hidden: true,
            part: PART,
            sheet: None,
            cell: None,
            detail: Some("comment author's initials"),
            doc: DocPlace::NONE,
        });
    }
    let mut anchored: Vec<u32> = Vec::new();
    for a in annotations {
        // The paragraph whose mark is the first at or after the anchor.
        let i = body_marks.partition_point(|(cp, _)| *cp < a.anchor);
        if let Some((_, p)) = body_marks.get(i)
            && !anchored.contains(p)
        {
            anchored.push(*p);
        }
    }
    anchored.sort_unstable();
    let with_text = texts.iter().filter(|(_, chars)| *chars > 0).count();
    let mut message = plural(count, "comment", "comments");
    if !authors.is_empty() {
        message.push_str(&format!(
            " by {}",
            plural(authors.len() as u64, "author", "authors")
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
    for (i, (_, chars)) in texts.iter().enumerate() {
        digest.update(&(i as u64).to_le_bytes());
        digest.update(&chars.to_le_bytes());
    }
    let first = texts.iter().find_map(|(p, _)| *p);
    let loc = ctx.loc(PART).with_doc(&DocPlace {
        story: Some(Story::Comment),
        paragraph: first,
        ..DocPlace::NONE
    });
    ctx.report("comment", severity, true, loc, message, &digest.hex());
}
