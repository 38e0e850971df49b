//! Slide comments, both kinds PowerPoint writes:
//! - legacy comments (`p:cmLst`, one part per slide), whose authors are listed in
//!   `commentAuthors.xml`; a reply names its parent in a `p15:threadingInfo` extension;
//! - modern comments (`p188:cmLst`, PowerPoint 365), with replies in a `p188:replyLst` and
//!   authors in `authors.xml`, whose `userId` is often the author's e-mail address.

use crate::container::ledger::PartState;
use crate::container::opc::{Opc, PartKind};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity, Story};
use crate::util::{ContentDigest, plural};
use crate::xml::{XmlReader, attr, for_each_element, local, local_end, push_text};
use quick_xml::events::Event;
use std::collections::BTreeSet;

/// Both author lists: every name, initials and user id goes to the detectors. Returns each
/// list with the number of authors it names.
pub fn read_authors(opc: &mut Opc<'_>, ctx: &mut Ctx<'_>) -> ScanResult<Vec<(String, u64)>> {
    let mut parts = opc.take(PartKind::CommentAuthors);
    parts.extend(opc.take(PartKind::Authors));
    let mut out = Vec::new();
    for part in parts {
        match ctx.guard(&part, |ctx| authors(&mut opc.zip, &part, ctx))? {
            Some(n) => out.push((part, n)),
            None => opc.ledger.mark(&part, PartState::Unreadable),
        }
    }
    Ok(out)
}

/// A list of comment authors whose comments are all gone still names them.
pub fn report_orphan_authors(ctx: &mut Ctx<'_>, lists: &[(String, u64)]) {
    for (part, n) in lists.iter().filter(|(_, n)| *n > 0) {
        ctx.report(
            "comment",
            Severity::Low,
            true,
            ctx.loc(part),
            format!(
                "the presentation still lists {} though it holds no comments",
                plural(*n, "comment author", "comment authors")
            ),
            &n.to_string(),
        );
    }
}

fn authors(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<u64> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(0);
    };
    let mut count = 0u64;
    let mut xml = XmlReader::new(reader, part);
    let mut values: Vec<String> = Vec::new();
    for_each_element(&mut xml, |e, _| {
        if matches!(local(e), "cmAuthor" | "author") {
            count += 1;
            for key in ["name", "initials", "userId"] {
                if let Some(v) = attr(e, key).filter(|v| !v.trim().is_empty())
                    && values.len() < 100_000
                {
                    values.push(v.to_string());
                }
            }
        }
        Ok(())
    })?;
    for v in &values {
        ctx.item(&Item {
            text: v,
            kind: ItemKind::Author,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some("comment author"),
            doc: DocPlace::NONE,
        });
    }
    Ok(count)
}

struct Comment {
    author: String,
    text: String,
    reply: bool,
}

/// One comments part of a slide: each comment and reply goes to the detectors, and the
/// part is reported once, with counts. Returns the number of comments.
pub fn inspect(
    opc: &mut Opc<'_>,
    part: &str,
    kind: PartKind,
    slide: Option<u32>,
    ctx: &mut Ctx<'_>,
) -> ScanResult<u64> {
    opc.inspected(part);
    let Some(comments) = ctx.guard(part, |ctx| read(&mut opc.zip, part, ctx))? else {
        opc.ledger.mark(part, PartState::Unreadable);
        return Ok(0);
    };
    if comments.is_empty() {
        return Ok(0);
    }
    let mut digest = ContentDigest::default();
    for (i, c) in comments.iter().enumerate() {
        digest.update(c.text.as_bytes());
        ctx.item(&Item {
            text: &c.text,
            kind: ItemKind::Comment,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: None,
            doc: DocPlace {
                slide,
                story: Some(Story::Comment),
                paragraph: Some(i as u32 + 1),
                ..DocPlace::NONE
            },
        });
    }
    let replies = comments.iter().filter(|c| c.reply).count() as u64;
    let authors: BTreeSet<&str> = comments
        .iter()
        .map(|c| c.author.as_str())
        .filter(|a| !a.is_empty())
        .collect();
    let with_text = comments.iter().any(|c| !c.text.trim().is_empty());
    let mut message = plural(
        comments.len() as u64,
        if kind == PartKind::ModernComments {
            "comment"
        } else {
            "legacy comment"
        },
        if kind == PartKind::ModernComments {
            "comments"
        } else {
            "legacy comments"
        },
    );
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
    match slide {
        Some(n) => message.push_str(&format!(" on slide {n}")),
        None => message.push_str(" on a slide the presentation no longer lists"),
    }
    if !with_text {
        message.push_str(", all empty");
    }
    let loc = ctx.loc(part).with_doc(&DocPlace {
        slide,
        story: Some(Story::Comment),
        paragraph: Some(1),
        ..DocPlace::NONE
    });
    ctx.report(
        "comment",
        if with_text {
            Severity::Medium
        } else {
            Severity::Low
        },
        true,
        loc,
        message,
        &digest.hex(),
    );
    Ok(comments.len() as u64)
}

/// Comments of either kind, in order: a `cm` (or `reply`) element opens one, its text is
/// everything in `p:text` or its `a:t` runs, paragraphs joined by line breaks.
fn read(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<Vec<Comment>> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(Vec::new());
    };
    let mut xml = XmlReader::new(reader, part);
    let mut out: Vec<Comment> = Vec::new();
    // Open comments (a reply sits inside its parent's element in modern comments).
    let mut open: Vec<Comment> = Vec::new();
    let mut in_text = false;
    loop {
        match xml.next_event()? {
            Event::Start(e) if matches!(local(&e), "cm" | "reply") => {
                open.push(Comment {
                    author: attr(&e, "authorId").unwrap_or_default().to_string(),
                    text: String::new(),
                    reply: local(&e) == "reply",
                });
            }
            Event::Empty(e) if matches!(local(&e), "cm" | "reply") => {
                if out.len() >= ctx.limits.max_entries {
                    return Err(too_many_comments(ctx));
                }
                out.push(Comment {
                    author: attr(&e, "authorId").unwrap_or_default().to_string(),
                    text: String::new(),
                    reply: local(&e) == "reply",
                });
            }
            Event::Start(e) => match local(&e) {
                "text" | "t" => in_text = true,
                "p" => {
                    if let Some(c) = open.last_mut()
                        && !c.text.is_empty()
                    {
                        c.text.push('\n');
                    }
                }
                _ => {}
            },
            Event::Empty(e) => {
                // A legacy reply names its parent comment.
                if local(&e) == "parentCm"
                    && let Some(c) = open.last_mut()
                {
                    c.reply = true;
                }
            }
            Event::End(e) => match local_end(e.name().0) {
                "text" | "t" => in_text = false,
                "cm" | "reply" => {
                    if let Some(c) = open.pop() {
                        // A comment past the cap would go unscanned: refuse, never drop.
                        if out.len() >= ctx.limits.max_entries {
                            return Err(too_many_comments(ctx));
                        }
                        out.push(c);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            other => {
                if in_text && let Some(c) = open.last_mut() {
                    push_text(&other, &mut c.text);
                }
            }
        }
    }
    Ok(out)
}

fn too_many_comments(ctx: &Ctx<'_>) -> ScanError {
    ScanError::new(format!(
        "more comments than {}",
        ctx.limits.the_limit("max_entries")
    ))
}
