//! Word documents (docx, docm, dotx, dotm), read through the package's relationship graph:
//! the main document and everything it uses (styles, settings, headers, footers, footnotes,
//! endnotes, comments, the glossary of building blocks) are found by kind, whatever their
//! names, and each story part is streamed once by [`story`]. Objects placed in the text
//! (charts, SmartArt, OLE objects, imported chunks) are inspected with the place of the
//! paragraph that holds them. Whatever no inspector reads is accounted for by
//! [`ooxml::finish`].

mod comments;
pub(crate) mod settings;
pub mod story;
pub mod styles;

use crate::container::ledger::PartState;
use crate::container::opc::{Opc, PartKind, Rel};
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::formats::drawingml::{self, Places, Rgb};
use crate::formats::{embedded, ooxml, ooxml_props, unknown, vba};
use crate::model::{DocPlace, Item, ItemKind, Severity, Story};
use crate::xml::XmlReader;
use story::{Mode, StoryInput, StoryOutput};
use styles::Styles;

pub fn inspect(bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let mut opc = Opc::open(bytes, ctx)?;
    let main = opc
        .graph
        .main
        .clone()
        .filter(|p| opc.zip.has(p))
        .ok_or_else(|| {
            ScanError::new(
                "the package names no document part it holds (_rels/.rels has no main document relationship)",
            )
        })?;
    let mut places = Places::new();
    inspect_document(&mut opc, &main, Mode::Document, &mut places, ctx)?;
    for glossary in opc.graph.parts(PartKind::GlossaryDocument) {
        if opc.zip.has(&glossary) && opc.ledger.state(&glossary).is_none() {
            inspect_document(&mut opc, &glossary, Mode::Glossary, &mut places, ctx)?;
        }
    }
    // Story parts that no document names directly (reached some other way) are still read
    // as what they are.
    let styles = Styles::default();
    for (kind, story) in STORY_KINDS {
        for part in opc.graph.parts(kind) {
            if opc.zip.has(&part) && opc.ledger.state(&part).is_none() {
                let mode = if kind == PartKind::WordComments {
                    Mode::Comments
                } else {
                    Mode::Document
                };
                read_story(
                    &mut opc,
                    &part,
                    Some(story),
                    mode,
                    &styles,
                    Rgb::WHITE,
                    &mut places,
                    ctx,
                )?;
            }
        }
    }
    drawingml::inspect_charts(&mut opc, &mut places, ctx)?;
    drawingml::inspect_diagrams(&mut opc, &places, ctx)?;
    for part in opc.take(PartKind::AltChunk) {
        let (place, _) = places
            .get(&part.to_ascii_lowercase())
            .copied()
            .unwrap_or_default();
        if let Some(bytes) = ctx.guard(&part, |ctx| opc.zip.read(&part, ctx))?.flatten() {
            let name = part.rsplit('/').next().unwrap_or(&part).to_string();
            embedded::inspect_object_at(&name, &part, &bytes, &place, ctx)?;
        }
    }
    let projects = opc.take(PartKind::VbaProject);
    for part in &projects {
        vba::inspect_package(&mut opc.zip, part, ctx)?;
    }
    for part in opc.take(PartKind::VbaData) {
        let read = ctx.guard(&part, |ctx| {
            unknown::scan_text(&mut opc.zip, &part, "macro settings (vbaData)", ctx)
        })?;
        if projects.is_empty() && read.is_some_and(|(n, _)| n > 0) {
            ctx.report(
                "macro",
                Severity::Medium,
                true,
                ctx.loc(&part),
                "macro settings (vbaData) name macros, though the file holds no VBA project".into(),
                &part,
            );
        }
    }
    ooxml_props::inspect(&mut opc, ctx, &main, None, None)?;
    let mut objects = opc.take(PartKind::OleObject);
    objects.extend(opc.take(PartKind::EmbeddedPackage));
    for part in objects {
        let (place, _) = places
            .get(&part.to_ascii_lowercase())
            .copied()
            .unwrap_or_default();
        if let Some(bytes) = ctx.guard(&part, |ctx| opc.zip.read(&part, ctx))?.flatten() {
            let name = part.rsplit('/').next().unwrap_or(&part).to_string();
            embedded::inspect_object_at(&name, &part, &bytes, &place, ctx)?;
        }
    }
    ooxml::finish(&mut opc, ctx)
}

/// Story parts and the story their text belongs to.
const STORY_KINDS: [(PartKind, Story); 5] = [
    (PartKind::Header, Story::Header),
    (PartKind::Footer, Story::Footer),
    (PartKind::Footnotes, Story::Footnote),
    (PartKind::Endnotes, Story::Endnote),
    (PartKind::WordComments, Story::Comment),
];

/// A document part (the main one or the glossary) and the parts it names: its styles and
/// settings first (they decide what is hidden), then its own text, its headers, footers,
/// notes and comments.
fn inspect_document(
    opc: &mut Opc<'_>,
    doc: &str,
    mode: Mode,
    places: &mut Places,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let rels: Vec<Rel> = opc.graph.rels_of(doc).to_vec();
    let targets = |opc: &Opc<'_>, kind: PartKind| -> Vec<String> {
        rels.iter()
            .filter(|r| !r.external && opc.graph.kind(&r.target) == Some(kind))
            .filter(|r| opc.zip.has(&r.target))
            .map(|r| r.target.clone())
            .fold(Vec::new(), |mut acc, t| {
                if !acc.iter().any(|a: &String| a.eq_ignore_ascii_case(&t)) {
                    acc.push(t);
                }
                acc
            })
    };
    let mut styles = Styles::default();
    if let Some(part) = targets(opc, PartKind::WordStyles).into_iter().next() {
        opc.inspected(&part);
        match ctx.guard(&part, |ctx| Styles::parse(&mut opc.zip, &part, ctx))? {
            Some(s) => styles = s,
            None => opc.ledger.mark(&part, PartState::Unreadable),
        }
    }
    let mut template_named = false;
    for part in targets(opc, PartKind::Settings) {
        opc.inspected(&part);
        match ctx.guard(&part, |ctx| settings::inspect(opc, &part, ctx))? {
            Some(named) => template_named |= named,
            None => opc.ledger.mark(&part, PartState::Unreadable),
        }
    }
    // A template can also be attached by a relationship of the document itself (Word
    // follows it: a known way to fetch a remote template when the file opens).
    if !template_named
        && let Some(r) = rels
            .iter()
            .find(|r| r.external && r.kind == "attachedTemplate")
    {
        settings::report_metadata(ctx, doc, Some(&r.target), &[]);
    }
    let glossary = mode == Mode::Glossary;
    let story_of = |s: Story| (!glossary).then_some(s);
    let body = read_story(
        opc,
        doc,
        story_of(Story::Body),
        mode,
        &styles,
        Rgb::WHITE,
        places,
        ctx,
    )?;
    let page = body
        .as_ref()
        .and_then(|b| b.background)
        .unwrap_or(Rgb::WHITE);
    let mut comment_refs = body.map(|b| b.comment_refs).unwrap_or_default();
    for (kind, story) in STORY_KINDS {
        if kind == PartKind::WordComments {
            continue;
        }
        for part in targets(opc, kind) {
            if opc.ledger.state(&part).is_some() {
                continue;
            }
            if let Some(out) = read_story(
                opc,
                &part,
                story_of(story),
                mode,
                &styles,
                page,
                places,
                ctx,
            )? {
                comment_refs.extend(out.comment_refs);
            }
        }
    }
    let extended = targets(opc, PartKind::CommentsExtended);
    let people = targets(opc, PartKind::People);
    for part in targets(opc, PartKind::WordComments) {
        if opc.ledger.state(&part).is_some() {
            continue;
        }
        let comments_mode = if glossary {
            Mode::Glossary
        } else {
            Mode::Comments
        };
        let Some(out) = read_story(
            opc,
            &part,
            story_of(Story::Comment),
            comments_mode,
            &styles,
            page,
            places,
            ctx,
        )?
        else {
            continue;
        };
        if !glossary {
            comments::report(
                opc,
                &part,
                &out.comments,
                &comment_refs,
                &extended,
                &people,
                ctx,
            )?;
        }
    }
    Ok(())
}

/// Streams one story part, records where the objects it places sit, and sends the targets
/// of its external relationships (hyperlinks, linked pictures and files) to the detectors
/// as hidden text: a `mailto:` link or a path to a user's folder is not on the page.
#[allow(clippy::too_many_arguments)]
fn read_story(
    opc: &mut Opc<'_>,
    part: &str,
    story: Option<Story>,
    mode: Mode,
    styles: &Styles,
    page: Rgb,
    places: &mut Places,
    ctx: &mut Ctx<'_>,
) -> ScanResult<Option<StoryOutput>> {
    opc.inspected(part);
    let read = ctx.guard(part, |ctx| {
        let Some(reader) = opc.zip.reader(part, ctx)? else {
            return Ok(StoryOutput::default());
        };
        let mut xml = XmlReader::new(reader, part);
        story::read(
            &mut xml,
            StoryInput {
                part,
                story,
                mode,
                styles,
                page,
            },
            ctx,
        )
    })?;
    let Some(out) = read else {
        opc.ledger.mark(part, PartState::Unreadable);
        return Ok(None);
    };
    let hidden = mode == Mode::Glossary;
    let rels: Vec<Rel> = opc.graph.rels_of(part).to_vec();
    for (id, place) in &out.anchors {
        if let Some(rel) = rels.iter().find(|r| &r.id == id && !r.external) {
            places
                .entry(rel.target.to_ascii_lowercase())
                .or_insert((*place, hidden));
        }
    }
    for rel in rels
        .iter()
        .filter(|r| r.external && !r.target.trim().is_empty())
    {
        // A hyperlink whose target only repeats the text shown on it adds nothing hidden.
        let shown = out.link_texts.iter().any(|(id, text)| {
            id == &rel.id && {
                let bare = rel.target.trim();
                let bare = bare.strip_prefix("mailto:").unwrap_or(bare);
                text.contains(bare)
            }
        });
        if rel.kind == "hyperlink" && shown {
            continue;
        }
        ctx.item(&Item {
            text: &rel.target,
            kind: ItemKind::Text,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some("link target"),
            doc: DocPlace::NONE,
        });
    }
    Ok(Some(out))
}
