//! The slides, notes and masters of the current edit: the slide list of the document
//! (`SlideListWithText`) gives the slides in order with the text of their placeholders;
//! each slide's container holds its other text (in its drawing's text boxes), whether it
//! is hidden (`SSSlideInfoAtom`), and its comments (`Comment10Container`); notes pages
//! name their slide (`NotesAtom`). Reported the way the pptx inspector reports slides:
//! hidden slides, speaker notes and comments, with the slide number and paragraph of
//! each text.

use super::PART;
use super::records::{self, Rec, kind, u32_at};
use crate::context::Ctx;
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity, Story};
use crate::util::{ContentDigest, plural};
use std::collections::{BTreeMap, BTreeSet};

/// One slide of the slide list.
#[derive(Debug, Clone)]
pub struct Listed {
    pub number: u32,
    pub persist: u32,
    pub slide_id: u32,
    /// Placeholder text kept in the slide list with the slide.
    pub texts: Vec<String>,
}

/// The slide list of a kind (0 slides, 1 masters, 2 notes).
pub fn slide_list(d: &[u8], document: &Rec, instance: u16) -> Vec<Listed> {
    let mut out: Vec<Listed> = Vec::new();
    for list in records::children(d, document)
        .into_iter()
        .filter(|r| r.kind == kind::SLIDE_LIST_WITH_TEXT && r.inst == instance)
    {
        for r in records::children(d, &list) {
            match r.kind {
                kind::SLIDE_PERSIST_ATOM => {
                    let b = r.data(d);
                    out.push(Listed {
                        number: out.len() as u32 + 1,
                        persist: u32_at(b, 0).unwrap_or(0),
                        slide_id: u32_at(b, 12).unwrap_or(0),
                        texts: Vec::new(),
                    });
                }
                kind::TEXT_CHARS_ATOM | kind::TEXT_BYTES_ATOM => {
                    if let (Some(last), Some(t)) = (out.last_mut(), records::text(d, &r)) {
                        last.texts.push(t);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// What a reader sees of a shape's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seen {
    #[default]
    Visible,
    /// The shape is hidden (`fHidden` of its group shape properties).
    HiddenShape,
    /// The shape lies wholly outside the slide.
    OffSlide,
}

/// Text of one shape (or of a text atom outside shapes), with what a reader sees of it.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub text: String,
    pub seen: Seen,
    /// The shape it belongs to (texts of one shape share it).
    pub shape: u32,
}

/// What a slide or notes container holds.
#[derive(Debug, Default)]
pub struct Content {
    pub texts: Vec<Text>,
    /// Placeholder texts of the slide list a hidden or off-slide shape shows: (index of
    /// the text in the slide's list, what is seen of it, its shape).
    pub outline: Vec<(u32, Seen, u32)>,
    pub hidden: bool,
    pub comments: Vec<Comment>,
    /// `NotesAtom.slideIdRef` of a notes page.
    pub notes_for: Option<u32>,
    /// Header and footer strings.
    pub footers: Vec<String>,
    /// The embedded or linked objects its shapes show (`ExObjRefAtom`).
    pub objects: Vec<u32>,
    /// Tables: groups of text shapes laid out in rows and columns, as (row, column,
    /// text, what is seen of it) per cell.
    pub tables: Vec<Vec<(u32, u32, String, Seen)>>,
}

#[derive(Debug, Default, Clone)]
pub struct Comment {
    pub author: String,
    pub initials: String,
    pub text: String,
}

/// Reads every text, the hidden flag, comments and headers of a container. `slide_size`
/// (master units) decides which shapes lie off the slide.
pub fn content(d: &[u8], container: &Rec, slide_size: Option<(i32, i32)>) -> Content {
    let mut out = Content::default();
    let mut shape = 0u32;
    let mut current: (Seen, u32) = (Seen::Visible, 0);
    // The shape whose records are being walked, by the end of its container.
    let mut shape_end = 0usize;
    records::walk(d, container, &mut |r, _| {
        if r.at >= shape_end {
            current = (Seen::Visible, 0);
        }
        match r.kind {
            kind::SPGR_CONTAINER => match table(d, r, slide_size) {
                Some(cells) if out.tables.len() < 4096 => {
                    out.tables.push(cells);
                    false
                }
                _ => true,
            },
            kind::SP_CONTAINER => {
                shape += 1;
                current = (shape_seen(d, r, slide_size), shape);
                shape_end = r.end();
                true
            }
            kind::TEXT_CHARS_ATOM | kind::TEXT_BYTES_ATOM => {
                if let Some(t) = records::text(d, r) {
                    out.texts.push(Text {
                        text: t,
                        seen: current.0,
                        shape: current.1,
                    });
                }
                false
            }
            kind::OUTLINE_TEXT_REF_ATOM => {
                if let Some(i) = u32_at(r.data(d), 0)
                    && current.0 != Seen::Visible
                    && out.outline.len() < 4096
                {
                    out.outline.push((i, current.0, current.1));
                }
                false
            }
            // A field (slide number, date, header, footer) stands in the text as a `*` at
            // the position its atom gives: it is not text anyone wrote.
            kind::SLIDE_NUMBER_MC
            | kind::DATE_TIME_MC
            | kind::GENERIC_DATE_MC
            | kind::HEADER_MC
            | kind::FOOTER_MC
            | kind::RTF_DATE_TIME_MC => {
                if let (Some(pos), Some(last)) = (u32_at(r.data(d), 0), out.texts.last_mut()) {
                    let mut chars: Vec<char> = last.text.chars().collect();
                    if let Some(c) = chars.get_mut(pos as usize).filter(|c| **c == '*') {
                        *c = '\0';
                        last.text = chars.into_iter().collect();
                    }
                }
                false
            }
            kind::SS_SLIDE_INFO_ATOM => {
                let flags = records::u16_at(r.data(d), 10).unwrap_or(0);
                out.hidden |= flags & 0x0004 != 0;
                false
            }
            kind::EX_OBJ_REF_ATOM => {
                if let Some(id) = u32_at(r.data(d), 0)
                    && out.objects.len() < 65_536
                {
                    out.objects.push(id);
                }
                false
            }
            kind::NOTES_ATOM => {
                out.notes_for = u32_at(r.data(d), 0);
                false
            }
            kind::COMMENT10 => {
                let mut c = Comment::default();
                for s in records::children(d, r)
                    .into_iter()
                    .filter(|s| s.kind == kind::CSTRING)
                {
                    let t = records::text(d, &s).unwrap_or_default();
                    match s.inst {
                        0 => c.author = t,
                        1 => c.text = t,
                        2 => c.initials = t,
                        _ => {}
                    }
                }
                out.comments.push(c);
                false
            }
            kind::HEADERS_FOOTERS => {
                for s in records::children(d, r)
                    .into_iter()
                    .filter(|s| s.kind == kind::CSTRING)
                {
                    if let Some(t) = records::text(d, &s) {
                        out.footers.push(t);
                    }
                }
                false
            }
            _ => true,
        }
    });
    out
}

/// A group of text shapes laid out in at least two rows and two columns (how PowerPoint
/// 97–2003 stores a table: one text shape a cell, placed by its child anchor), as cells
/// (row, column, text, what is seen of it); `None` for any other group.
fn table(
    d: &[u8],
    group: &Rec,
    slide_size: Option<(i32, i32)>,
) -> Option<Vec<(u32, u32, String, Seen)>> {
    let mut cells: Vec<((i32, i32), String, Seen)> = Vec::new();
    for sp in records::children(d, group)
        .into_iter()
        .filter(|c| c.kind == kind::SP_CONTAINER)
    {
        let parts = records::children(d, &sp);
        let Some(anchor) = parts.iter().find(|c| c.kind == kind::CHILD_ANCHOR) else {
            continue;
        };
        let b = anchor.data(d);
        let (Some(left), Some(top)) = (u32_at(b, 0), u32_at(b, 4)) else {
            continue;
        };
        let mut text = String::new();
        records::walk(d, &sp, &mut |r, _| {
            if matches!(r.kind, kind::TEXT_CHARS_ATOM | kind::TEXT_BYTES_ATOM) {
                if let Some(t) = records::text(d, r) {
                    text.push_str(&t);
                }
                return false;
            }
            true
        });
        if !text.trim().is_empty() && cells.len() < 65_536 {
            cells.push((
                (top as i32, left as i32),
                text,
                shape_seen(d, &sp, slide_size),
            ));
        }
    }
    let mut tops: Vec<i32> = cells.iter().map(|((t, _), _, _)| *t).collect();
    let mut lefts: Vec<i32> = cells.iter().map(|((_, l), _, _)| *l).collect();
    tops.sort_unstable();
    tops.dedup();
    lefts.sort_unstable();
    lefts.dedup();
    if tops.len() < 2 || lefts.len() < 2 {
        return None;
    }
    let rank = |v: &[i32], x: i32| v.partition_point(|&y| y < x) as u32;
    Some(
        cells
            .into_iter()
            .map(|((t, l), text, seen)| (rank(&tops, t), rank(&lefts, l), text, seen))
            .collect(),
    )
}

/// Whether a shape (`OfficeArtSpContainer`) is hidden or placed wholly off the slide: its
/// group shape booleans (property 0x03BF: `fHidden` with its "use" bit) and its anchor
/// (small or large rectangle, master units).
fn shape_seen(d: &[u8], sp: &Rec, slide_size: Option<(i32, i32)>) -> Seen {
    let mut hidden = false;
    let mut rect: Option<(i32, i32, i32, i32)> = None;
    for c in records::children(d, sp) {
        match c.kind {
            kind::FOPT | kind::TERTIARY_FOPT => {
                let b = c.data(d);
                for i in 0..(c.inst as usize).min(b.len() / 6) {
                    let (Some(opid), Some(op)) = (records::u16_at(b, i * 6), u32_at(b, i * 6 + 2))
                    else {
                        break;
                    };
                    if opid & 0x3FFF == 0x03BF && op & 0x0002_0000 != 0 {
                        hidden = op & 0x0000_0002 != 0;
                    }
                }
            }
            kind::CLIENT_ANCHOR => {
                let b = c.data(d);
                let small = |at| records::u16_at(b, at).map(|v| v as i16 as i32);
                let large = |at| u32_at(b, at).map(|v| v as i32);
                rect = match b.len() {
                    8 => (|| Some((small(0)?, small(2)?, small(4)?, small(6)?)))(),
                    16.. => (|| Some((large(0)?, large(4)?, large(8)?, large(12)?)))(),
                    _ => None,
                };
            }
            _ => {}
        }
    }
    if hidden {
        return Seen::HiddenShape;
    }
    match (rect, slide_size) {
        // top, left, right, bottom
        (Some((top, left, right, bottom)), Some((w, h)))
            if right > left
                && bottom > top
                && (right <= 0 || bottom <= 0 || left >= w || top >= h) =>
        {
            Seen::OffSlide
        }
        _ => Seen::Visible,
    }
}

/// Paragraphs of a text atom: `\r` ends a paragraph, a vertical tab breaks a line.
pub fn paragraphs(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split('\r')
        .map(|p| {
            p.chars()
                .map(|c| if c == '\u{b}' { '\n' } else { c })
                .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .filter(|p| !p.trim().is_empty())
}

/// Non-space characters of a text.
fn chars(t: &str) -> u64 {
    t.chars().filter(|c| !c.is_whitespace()).count() as u64
}

#[allow(clippy::too_many_arguments)]
fn emit(
    ctx: &mut Ctx<'_>,
    text: &str,
    kind: ItemKind,
    hidden: bool,
    detail: Option<&str>,
    slide: Option<u32>,
    story: Option<Story>,
    paragraph: Option<u32>,
) {
    ctx.item(&Item {
        text,
        kind,
        hidden,
        part: PART,
        sheet: None,
        cell: None,
        detail,
        doc: DocPlace {
            slide,
            story,
            paragraph,
            ..DocPlace::NONE
        },
    });
}

#[derive(Default)]
struct Tally {
    shapes: BTreeSet<u32>,
    chars: u64,
    digest: ContentDigest,
}

impl Tally {
    fn add(&mut self, shape: u32, text: &str) {
        self.shapes.insert(shape);
        self.chars += chars(text);
        self.digest.update(text.as_bytes());
    }

    fn count(&self) -> u64 {
        self.shapes.len() as u64
    }
}

/// One slide: its text (placeholders from the list, then its shapes'), comments, hidden
/// and off-slide shapes, and the hidden flag.
pub fn report_slide(ctx: &mut Ctx<'_>, slide: &Listed, c: &Content) {
    let n = slide.number;
    let mut paragraph = 0u32;
    let mut all = Tally::default();
    let (mut hidden_shapes, mut off) = (Tally::default(), Tally::default());
    // Placeholder texts take what is seen of the shape that shows them.
    let listed = slide.texts.iter().enumerate().map(|(i, t)| {
        let (seen, shape) = c
            .outline
            .iter()
            .find(|(idx, _, _)| *idx as usize == i)
            .map_or((Seen::Visible, u32::MAX - i as u32), |(_, s, sh)| (*s, *sh));
        Text {
            text: t.clone(),
            seen,
            shape,
        }
    });
    let texts: Vec<Text> = listed.chain(c.texts.iter().cloned()).collect();
    for t in &texts {
        let (hidden, detail) = match t.seen {
            Seen::Visible if c.hidden => (true, Some("text of a hidden slide")),
            Seen::Visible => (false, None),
            Seen::HiddenShape => (true, Some("text of a hidden shape")),
            Seen::OffSlide => (true, Some("text placed off the slide")),
        };
        for p in paragraphs(&t.text) {
            paragraph += 1;
            all.add(t.shape, &p);
            match t.seen {
                Seen::HiddenShape => hidden_shapes.add(t.shape, &p),
                Seen::OffSlide => off.add(t.shape, &p),
                Seen::Visible => {}
            }
            emit(
                ctx,
                &p,
                ItemKind::Paragraph,
                hidden,
                detail,
                Some(n),
                Some(Story::Body),
                Some(paragraph),
            );
        }
    }
    for (table, cells) in c.tables.iter().enumerate() {
        let shape = u32::MAX / 2 + table as u32;
        for (row, col, text, seen) in cells {
            let (hidden, detail) = match seen {
                Seen::Visible if c.hidden => (true, Some("text of a hidden slide")),
                Seen::Visible => (false, None),
                Seen::HiddenShape => (true, Some("text of a hidden shape")),
                Seen::OffSlide => (true, Some("text placed off the slide")),
            };
            let text = paragraphs(text).collect::<Vec<_>>().join("\n");
            if text.is_empty() {
                continue;
            }
            all.add(shape, &text);
            ctx.item(&Item {
                text: &text,
                kind: ItemKind::Cell,
                hidden,
                part: PART,
                sheet: None,
                cell: Some((*row, *col)),
                detail,
                doc: DocPlace {
                    slide: Some(n),
                    story: Some(Story::Body),
                    table: Some(table as u32),
                    ..DocPlace::NONE
                },
            });
        }
    }
    for f in &c.footers {
        if !f.trim().is_empty() {
            emit(
                ctx,
                f,
                ItemKind::Paragraph,
                c.hidden,
                Some("slide header or footer"),
                Some(n),
                Some(Story::Footer),
                None,
            );
        }
    }
    let loc = ctx.loc(PART).with_doc(&DocPlace {
        slide: Some(n),
        ..DocPlace::NONE
    });
    if c.hidden {
        let (severity, message) = if all.chars > 0 {
            (
                Severity::High,
                format!(
                    "slide {n} is hidden: a slide show skips it, but it travels with the file with {} of text ({})",
                    plural(all.count(), "text box", "text boxes"),
                    plural(all.chars, "character", "characters")
                ),
            )
        } else {
            (Severity::Low, format!("slide {n} is hidden, with no text"))
        };
        ctx.report(
            "hidden-slide",
            severity,
            true,
            loc.clone(),
            message,
            &all.digest.hex(),
        );
    }
    if hidden_shapes.count() > 0 {
        ctx.report(
            "hidden-text",
            Severity::High,
            true,
            loc.clone(),
            format!(
                "{} on slide {n} {} text that nobody sees ({})",
                plural(hidden_shapes.count(), "hidden shape", "hidden shapes"),
                if hidden_shapes.count() == 1 {
                    "holds"
                } else {
                    "hold"
                },
                plural(hidden_shapes.chars, "character", "characters")
            ),
            &hidden_shapes.digest.hex(),
        );
    }
    if off.count() > 0 {
        ctx.report(
            "speaker-notes",
            Severity::High,
            true,
            loc,
            format!(
                "{} placed off slide {n} {} text ({}): a slide show never shows it, the editor does",
                plural(off.count(), "shape", "shapes"),
                if off.count() == 1 { "holds" } else { "hold" },
                plural(off.chars, "character", "characters")
            ),
            &off.digest.hex(),
        );
    }
    report_comments(ctx, Some(n), &c.comments);
}

pub fn report_comments(ctx: &mut Ctx<'_>, slide: Option<u32>, comments: &[Comment]) {
    if comments.is_empty() {
        return;
    }
    let mut digest = ContentDigest::default();
    for (i, c) in comments.iter().enumerate() {
        digest.update(c.text.as_bytes());
        emit(
            ctx,
            &c.text,
            ItemKind::Comment,
            true,
            None,
            slide,
            Some(Story::Comment),
            Some(i as u32 + 1),
        );
    }
    let authors: BTreeSet<&str> = comments
        .iter()
        .map(|c| c.author.trim())
        .filter(|a| !a.is_empty())
        .collect();
    let initials: BTreeSet<&str> = comments
        .iter()
        .map(|c| c.initials.trim())
        .filter(|a| !a.is_empty())
        .collect();
    for (set, detail) in [
        (&authors, "comment author"),
        (&initials, "comment author's initials"),
    ] {
        for a in set {
            emit(
                ctx,
                a,
                ItemKind::Author,
                true,
                Some(detail),
                slide,
                None,
                None,
            );
        }
    }
    let with_text = comments.iter().any(|c| !c.text.trim().is_empty());
    let mut message = plural(comments.len() as u64, "comment", "comments");
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
    let loc = ctx.loc(PART).with_doc(&DocPlace {
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
}

/// A notes page: its text is the speaker's notes of `slide`.
pub fn report_notes(ctx: &mut Ctx<'_>, slide: Option<u32>, c: &Content) {
    let mut paragraph = 0u32;
    let mut total = 0u64;
    let mut digest = ContentDigest::default();
    for t in &c.texts {
        for p in paragraphs(&t.text) {
            paragraph += 1;
            total += chars(&p);
            digest.update(p.as_bytes());
            emit(
                ctx,
                &p,
                ItemKind::Notes,
                true,
                None,
                slide,
                Some(Story::Notes),
                Some(paragraph),
            );
        }
    }
    report_comments(ctx, slide, &c.comments);
    if paragraph == 0 {
        return;
    }
    let of = match slide {
        Some(n) => format!("slide {n}"),
        None => "a slide the presentation no longer lists".to_string(),
    };
    let loc = ctx.loc(PART).with_doc(&DocPlace {
        slide,
        story: Some(Story::Notes),
        paragraph: Some(1),
        ..DocPlace::NONE
    });
    ctx.report(
        "speaker-notes",
        Severity::Medium,
        true,
        loc,
        format!(
            "speaker notes of {of} hold {} of text ({})",
            plural(paragraph as u64, "paragraph", "paragraphs"),
            plural(total, "character", "characters")
        ),
        &digest.hex(),
    );
}

/// Masters, title masters, the notes master and the handout: their text (footers, logos'
/// captions, placeholder prompts) appears on the slides that use them.
pub fn report_master(ctx: &mut Ctx<'_>, c: &Content) {
    for t in c.texts.iter().map(|t| &t.text).chain(&c.footers) {
        for p in paragraphs(t) {
            emit(
                ctx,
                &p,
                ItemKind::Paragraph,
                false,
                Some("text of a slide master"),
                None,
                None,
                None,
            );
        }
    }
}

/// The slide number of each slide id.
pub fn numbers(slides: &[Listed]) -> BTreeMap<u32, u32> {
    slides.iter().map(|s| (s.slide_id, s.number)).collect()
}
