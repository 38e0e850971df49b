//! PowerPoint 97–2003 presentations (ppt, [MS-PPT]) in an OLE compound file. The
//! `Current User` stream and the chain of edits (`persist`) locate the objects of the
//! current edit in the `PowerPoint Document` stream, a sequence of records (`records`).
//! From the document container, the slide lists give the slides in order, their notes and
//! masters (`slides`): slide text, hidden slides, speaker notes and comments are reported
//! as for pptx. Embedded objects and the VBA project sit in `ExOleObjStg` records
//! (`objects`). Records that an earlier edit wrote and the current one no longer uses stay
//! in the stream: their text is `residual-data`, scanned as hidden content.
//!
//! PowerPoint 95 and older files, encrypted presentations, and a chain of edits that
//! cannot be followed are refused with the reason: a presentation is never passed on the
//! strength of the part that could be read.

mod objects;
mod persist;
mod records;
mod slides;

use crate::container::ledger::{Ledger, PartState};
use crate::container::ole::{Compound, root_storages};
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::formats::{ole_props, vba, xls};
use crate::model::{DocPlace, Item, ItemKind, Severity, Story};
use crate::util::{ContentDigest, plural};
use records::{Rec, kind};
use std::collections::{BTreeMap, BTreeSet};

/// The stream text and findings are reported against.
pub const PART: &str = "PowerPoint Document";
const CURRENT_USER: &str = "Current User";

/// Streams of a presentation known to hold no text a person wrote.
const NO_TEXT: &[&str] = &["Pictures", "\u{1}CompObj", "\u{1}Ole"];

pub fn inspect(bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let mut cf = Compound::open(bytes)?;
    let streams: Vec<String> = cf.streams().to_vec();
    let mut ledger = Ledger::new(&streams);
    if !cf.has(PART) {
        ole_props::inspect(&mut cf, &[], ctx)?;
        return Err(ScanError::new(if cf.has("PP40") {
            "PowerPoint 4.0 presentation: foiguard reads PowerPoint 97 to 2003 presentations only"
        } else {
            "the file has a Current User stream but no PowerPoint Document stream"
        }));
    }
    let doc = cf.read(PART, ctx.limits.max_part_bytes)?;
    ctx.charge_inflated(doc.len() as u64)?;
    ledger.mark(PART, PartState::Inspected);
    let user = if cf.has(CURRENT_USER) {
        let stream = cf.read(CURRENT_USER, ctx.limits.max_part_bytes)?;
        ledger.mark(CURRENT_USER, PartState::Inspected);
        persist::current_user(&stream)
    } else {
        Err(ScanError::new(
            "the presentation has no Current User stream (PowerPoint 95 or older, or damaged), so its current edit cannot be found",
        ))
    };
    let (user, edits) = match user.and_then(|u| persist::read(&doc, u.offset).map(|e| (u, e))) {
        Ok(v) => v,
        Err(e) => {
            ole_props::inspect(&mut cf, &[], ctx)?;
            return Err(e);
        }
    };
    let document = edits
        .current
        .get(&edits.document)
        .and_then(|&at| records::at(&doc, at as usize, doc.len()))
        .filter(|r| r.kind == kind::DOCUMENT)
        .ok_or_else(|| {
            ScanError::new(
                "the current edit names no document container, so the slides cannot be found",
            )
        })?;
    let mut used: BTreeSet<u32> = BTreeSet::from([document.at as u32]);
    let shown = read_slides(ctx, &doc, &document, &edits, &mut used)?;
    let objects = ctx.guard(PART, |ctx| {
        objects::inspect(&doc, &document, &edits, &shown, ctx)
    })?;
    used.extend(objects.unwrap_or_default());
    residual(ctx, &doc, &edits, &used)?;

    let extras: Vec<ole_props::Extra<'_>> = [user.user.as_str()]
        .into_iter()
        // LibreOffice writes the literal "Current User"; PowerPoint the user's name.
        .filter(|u| !u.is_empty() && !u.eq_ignore_ascii_case(CURRENT_USER))
        .map(|value| ole_props::Extra {
            label: "the user who last saved it (Current User)",
            detail: "Current User user name",
            part: CURRENT_USER,
            value,
        })
        .collect();
    ole_props::inspect(&mut cf, &extras, ctx)?;
    ledger.mark(ole_props::SUMMARY, PartState::Inspected);
    ledger.mark(ole_props::DOC_SUMMARY, PartState::Inspected);
    vba_storages(ctx, &mut cf, &streams, &mut ledger)?;
    for s in &streams {
        let leaf = s.rsplit('/').next().unwrap_or(s);
        if !s.contains('/') && NO_TEXT.iter().any(|n| n.eq_ignore_ascii_case(leaf)) {
            ledger.mark(s, PartState::NoText);
        }
    }
    xls::custom_xml(ctx, &mut cf, &streams, &mut ledger)?;
    xls::other_streams(ctx, &mut cf, &mut ledger)?;
    ctx.record_parts(&ledger.tally());
    Ok(())
}

/// The container of persist id `id`, if it is of one of `kinds`.
fn object(d: &[u8], edits: &persist::Edits, id: u32, kinds: &[u16]) -> Option<Rec> {
    let at = *edits.current.get(&id)? as usize;
    records::at(d, at, d.len()).filter(|r| kinds.contains(&r.kind))
}

/// Reports every slide, notes page and master; returns the slide each embedded object
/// (by its id) is shown on.
fn read_slides(
    ctx: &mut Ctx<'_>,
    d: &[u8],
    document: &Rec,
    edits: &persist::Edits,
    used: &mut BTreeSet<u32>,
) -> ScanResult<BTreeMap<u32, u32>> {
    let mut shown: BTreeMap<u32, u32> = BTreeMap::new();
    // The slide size (master units), from the document atom.
    let size = records::children(d, document)
        .into_iter()
        .find(|r| r.kind == kind::DOCUMENT_ATOM)
        .and_then(|a| {
            let b = a.data(d);
            Some((records::u32_at(b, 0)? as i32, records::u32_at(b, 4)? as i32))
        })
        .filter(|(w, h)| *w > 0 && *h > 0);
    let list = slides::slide_list(d, document, 0);
    for s in &list {
        ctx.check_time()?;
        let Some(rec) = object(d, edits, s.persist, &[kind::SLIDE]) else {
            let loc = ctx.loc(PART).with_doc(&DocPlace {
                slide: Some(s.number),
                ..DocPlace::NONE
            });
            ctx.unscannable(
                loc,
                &format!(
                    "slide {} points to no slide in the current edit (persist id {})",
                    s.number, s.persist
                ),
            );
            continue;
        };
        used.insert(rec.at as u32);
        let c = slides::content(d, &rec, size);
        for id in &c.objects {
            shown.entry(*id).or_insert(s.number);
        }
        slides::report_slide(ctx, s, &c);
    }
    let numbers = slides::numbers(&list);
    for n in slides::slide_list(d, document, 2) {
        let Some(rec) = object(d, edits, n.persist, &[kind::NOTES]) else {
            let loc = ctx.loc(PART);
            ctx.unscannable(
                loc,
                &format!(
                    "a notes page points to no notes in the current edit (persist id {})",
                    n.persist
                ),
            );
            continue;
        };
        used.insert(rec.at as u32);
        let c = slides::content(d, &rec, size);
        let slide = c.notes_for.and_then(|id| numbers.get(&id).copied());
        slides::report_notes(ctx, slide, &c);
    }
    // Masters and title masters, then the notes master and the handout master the
    // document atom names.
    let mut masters: Vec<u32> = slides::slide_list(d, document, 1)
        .iter()
        .map(|m| m.persist)
        .collect();
    if let Some(atom) = records::children(d, document)
        .into_iter()
        .find(|r| r.kind == kind::DOCUMENT_ATOM)
    {
        let b = atom.data(d);
        masters.extend(
            [24, 28]
                .into_iter()
                .filter_map(|at| records::u32_at(b, at))
                .filter(|id| *id != 0),
        );
    }
    for id in masters {
        if let Some(rec) = object(
            d,
            edits,
            id,
            &[kind::MAIN_MASTER, kind::SLIDE, kind::NOTES, kind::HANDOUT],
        ) {
            used.insert(rec.at as u32);
            slides::report_master(ctx, &slides::content(d, &rec, size));
        }
    }
    // The document's own headers and footers.
    for hf in records::children(d, document)
        .into_iter()
        .filter(|r| r.kind == kind::HEADERS_FOOTERS)
    {
        let c = slides::content(d, &Rec { ver: 0x0F, ..hf }, None);
        slides::report_master(ctx, &c);
    }
    Ok(shown)
}

/// Records the current edit does not use: containers an earlier edit wrote (its persist
/// directory named them, the current one no longer does), and slides and notes the
/// current edit still lists in its persist directory but no slide list uses. Their text
/// travels with the file though PowerPoint never shows it.
fn residual(
    ctx: &mut Ctx<'_>,
    d: &[u8],
    edits: &persist::Edits,
    used: &BTreeSet<u32>,
) -> ScanResult<()> {
    let live: BTreeSet<u32> = edits.current.values().copied().collect();
    let mut pos = 0usize;
    let mut records_with_text = 0u64;
    let mut paragraphs = 0u64;
    let mut chars = 0u64;
    let mut digest = ContentDigest::default();
    let mut count = 0usize;
    while let Some(r) = records::at(d, pos, d.len()) {
        count += 1;
        if count > records::MAX_RECORDS || r.end() <= pos {
            break;
        }
        pos = r.end();
        let at = r.at as u32;
        if edits.structure.contains(&at) || used.contains(&at) {
            continue;
        }
        let stale = !live.contains(&at);
        let unlisted = live.contains(&at) && matches!(r.kind, kind::SLIDE | kind::NOTES);
        if !(stale || unlisted) || !r.is_container() {
            continue;
        }
        ctx.check_time()?;
        let c = slides::content(d, &r, None);
        let mut any = false;
        for t in c.texts.iter().map(|t| &t.text).chain(&c.footers) {
            for p in slides::paragraphs(t) {
                any = true;
                paragraphs += 1;
                chars += p.chars().filter(|c| !c.is_whitespace()).count() as u64;
                digest.update(p.as_bytes());
                ctx.item(&Item {
                    text: &p,
                    kind: ItemKind::Paragraph,
                    hidden: true,
                    part: PART,
                    sheet: None,
                    cell: None,
                    detail: Some(if stale {
                        "text of an earlier edit the presentation no longer uses"
                    } else {
                        "text of a slide the presentation no longer lists"
                    }),
                    doc: DocPlace::NONE,
                });
            }
        }
        for cm in &c.comments {
            for text in [&cm.text, &cm.author] {
                if !text.trim().is_empty() {
                    any = true;
                    digest.update(text.as_bytes());
                    ctx.item(&Item {
                        text,
                        kind: ItemKind::Comment,
                        hidden: true,
                        part: PART,
                        sheet: None,
                        cell: None,
                        detail: Some("comment of an earlier edit"),
                        doc: DocPlace {
                            story: Some(Story::Comment),
                            ..DocPlace::NONE
                        },
                    });
                }
            }
        }
        records_with_text += u64::from(any);
    }
    if records_with_text > 0 {
        ctx.report(
            "residual-data",
            if chars > 0 {
                Severity::High
            } else {
                Severity::Medium
            },
            true,
            ctx.loc(PART),
            format!(
                "{} that the current edit no longer uses (left by {} of {}) hold {} of text ({}); PowerPoint never shows it",
                plural(records_with_text, "record", "records"),
                plural(edits.count.saturating_sub(1) as u64, "earlier edit", "earlier edits"),
                plural(edits.count as u64, "edit", "edits"),
                plural(paragraphs, "paragraph", "paragraphs"),
                plural(chars, "character", "characters")
            ),
            &digest.hex(),
        );
    }
    Ok(())
}

/// Root storages holding a VBA project (`_VBA_PROJECT`, `_VBA_PROJECT_CUR`, `Macros`,
/// whatever their name: any with a `VBA/dir` stream), copied out and decoded.
fn vba_storages(
    ctx: &mut Ctx<'_>,
    cf: &mut Compound<'_>,
    streams: &[String],
    ledger: &mut Ledger,
) -> ScanResult<()> {
    let storages = root_storages(streams, |_, rest| rest.eq_ignore_ascii_case("VBA/dir"));
    vba::inspect_storages(ctx, cf, storages, ledger)
}
