//! PowerPoint presentations (pptx, pptm, ppsx, potx), read through the package's
//! relationship graph: the slides in the order `presentation.xml` lists them (so "slide 4"
//! is the fourth slide a reader sees), each with its notes, comments, charts, diagrams and
//! embedded objects found through its own relationships, by kind. Slide text goes to the
//! detectors in shape-tree order, tables as grids. What a slide show does not show is
//! scanned as hidden and reported: hidden slides, hidden shapes, shapes placed off the
//! slide, text under an opaque shape drawn over it, speaker notes and comments.
//!
//! Layouts and masters: the text of their placeholders is prompt text ("Click to edit
//! Master title style"), shown only while editing an empty placeholder and never in a
//! show; the standard prompts are skipped. Everything else on them (customised prompts,
//! footer text, banners, text boxes) is scanned as hidden content: it is not part of any
//! one slide, and whether it shows depends on which slides use the layout.

mod comments;
mod slide;

use crate::container::ledger::PartState;
use crate::container::opc::{Opc, PartKind, Rel};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::formats::drawingml::{self, Places};
use crate::formats::{embedded, ooxml, ooxml_props, vba};
use crate::model::{DocPlace, Item, ItemKind, Severity, Story};
use crate::util::{ContentDigest, plural};
use crate::xml::{XmlReader, attr, for_each_element, local};
use slide::{Parsed, Shape};

/// Slide size when `presentation.xml` gives none: 10 x 7.5 inches, in EMU.
const DEFAULT_SIZE: (f64, f64) = (9_144_000.0, 6_858_000.0);

pub fn inspect(bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let mut opc = Opc::open(bytes, ctx)?;
    let main = opc
        .graph
        .main
        .clone()
        .filter(|p| opc.zip.has(p))
        .ok_or_else(|| {
            ScanError::new(
                "the package names no presentation part it holds (_rels/.rels has no main document relationship)",
            )
        })?;
    opc.inspected(&main);
    let pres = match ctx.guard(&main, |ctx| read_presentation(&mut opc.zip, &main, ctx))? {
        Some(p) => p,
        None => {
            opc.ledger.mark(&main, PartState::Unreadable);
            Presentation::default()
        }
    };
    let size = pres.size.unwrap_or(DEFAULT_SIZE);
    let rels: Vec<Rel> = opc.graph.rels_of(&main).to_vec();
    let mut listed: Vec<String> = Vec::new();
    for id in &pres.slide_ids {
        if let Some(r) = rels.iter().find(|r| &r.id == id && !r.external)
            && opc.zip.has(&r.target)
            && !listed.iter().any(|l| l.eq_ignore_ascii_case(&r.target))
        {
            listed.push(r.target.clone());
        }
    }
    let all_slides = opc.take(PartKind::Slide);
    // Comment authors first: comments name their authors by id.
    let author_lists = comments::read_authors(&mut opc, ctx)?;
    let mut places = Places::new();
    let mut comment_count = 0u64;
    for (i, part) in listed.iter().enumerate() {
        comment_count += inspect_slide(&mut opc, part, Some(i as u32 + 1), size, &mut places, ctx)?;
    }
    for part in all_slides
        .iter()
        .filter(|p| !listed.iter().any(|l| l.eq_ignore_ascii_case(p)))
    {
        comment_count += inspect_slide(&mut opc, part, None, size, &mut places, ctx)?;
    }
    // Notes and comments no listed slide reaches.
    for part in opc.graph.parts(PartKind::NotesSlide) {
        if opc.zip.has(&part) && opc.ledger.state(&part).is_none() {
            inspect_notes(&mut opc, &part, None, ctx)?;
        }
    }
    for kind in [PartKind::SlideComments, PartKind::ModernComments] {
        for part in opc.graph.parts(kind) {
            if opc.zip.has(&part) && opc.ledger.state(&part).is_none() {
                comment_count += comments::inspect(&mut opc, &part, kind, None, ctx)?;
            }
        }
    }
    if comment_count == 0 {
        comments::report_orphan_authors(ctx, &author_lists);
    }
    for kind in [
        PartKind::SlideLayout,
        PartKind::SlideMaster,
        PartKind::NotesMaster,
        PartKind::HandoutMaster,
    ] {
        for part in opc.take(kind) {
            if ctx
                .guard(&part, |ctx| inspect_layout(&mut opc.zip, &part, kind, ctx))?
                .is_none()
            {
                opc.ledger.mark(&part, PartState::Unreadable);
            }
        }
    }
    drawingml::inspect_charts(&mut opc, &mut places, ctx)?;
    drawingml::inspect_diagrams(&mut opc, &places, ctx)?;
    for part in opc.take(PartKind::VbaProject) {
        vba::inspect_package(&mut opc.zip, &part, ctx)?;
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

#[derive(Debug, Default)]
struct Presentation {
    slide_ids: Vec<String>,
    size: Option<(f64, f64)>,
}

/// `presentation.xml`: the slide list (its order is the slide numbers a reader sees), the
/// slide size, and the names of sections and custom shows (text a reader of the file can
/// see in the editor, scanned as hidden).
fn read_presentation(
    pkg: &mut Package<'_>,
    part: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<Presentation> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(Presentation::default());
    };
    let mut xml = XmlReader::new(reader, part);
    let mut out = Presentation::default();
    let mut names: Vec<String> = Vec::new();
    for_each_element(&mut xml, |e, _| {
        match local(e) {
            "sldId" => {
                let id = e.attributes().with_checks(false).flatten().find_map(|a| {
                    let (prefix, name) = a.key.0.split_once(':')?;
                    (name == "id" && prefix != "p").then(|| crate::xml::attr_value(a).to_string())
                });
                if let Some(id) = id {
                    // Slides past a cap would go unread: refuse rather than drop them.
                    if out.slide_ids.len() >= ctx.limits.max_entries {
                        return Err(ScanError::new(format!(
                            "{part} lists more slides than {}",
                            ctx.limits.the_limit("max_entries")
                        )));
                    }
                    out.slide_ids.push(id);
                }
            }
            "sldSz" => {
                let cx = attr(e, "cx").and_then(|v| v.trim().parse::<f64>().ok());
                let cy = attr(e, "cy").and_then(|v| v.trim().parse::<f64>().ok());
                if let (Some(cx), Some(cy)) = (cx, cy)
                    && cx > 0.0
                    && cy > 0.0
                {
                    out.size = Some((cx, cy));
                }
            }
            "section" | "custShow" => {
                if let Some(n) = attr(e, "name").filter(|n| !n.trim().is_empty()) {
                    names.push(n.to_string());
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    for n in &names {
        ctx.item(&Item {
            text: n,
            kind: ItemKind::Text,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some("section or custom show name"),
            doc: DocPlace::NONE,
        });
    }
    Ok(out)
}

/// One slide: its shapes judged and emitted, its findings, then the parts it uses (notes,
/// comments) and the places of its objects (charts, diagrams, OLE objects). Returns the
/// number of comments on it.
fn inspect_slide(
    opc: &mut Opc<'_>,
    part: &str,
    number: Option<u32>,
    size: (f64, f64),
    places: &mut Places,
    ctx: &mut Ctx<'_>,
) -> ScanResult<u64> {
    opc.inspected(part);
    let parsed = ctx.guard(part, |ctx| {
        let Some(reader) = opc.zip.reader(part, ctx)? else {
            return Ok(None);
        };
        let mut xml = XmlReader::new(reader, part);
        slide::parse(&mut xml, ctx).map(Some)
    })?;
    let mut shown_text = String::new();
    let show = match parsed {
        Some(Some(p)) => {
            let show = p.show;
            shown_text = emit_slide(ctx, part, &p, number, size);
            show
        }
        Some(None) => true,
        None => {
            opc.ledger.mark(part, PartState::Unreadable);
            true
        }
    };
    let hidden = !show || number.is_none();
    let place = DocPlace {
        slide: number,
        ..DocPlace::NONE
    };
    let rels: Vec<Rel> = opc.graph.rels_of(part).to_vec();
    let mut comments = 0u64;
    for r in &rels {
        if r.external {
            // A hyperlink whose target the slide shows as text adds nothing hidden.
            let bare = r.target.trim();
            let bare = bare.strip_prefix("mailto:").unwrap_or(bare);
            let shown = r.kind == "hyperlink" && shown_text.contains(bare);
            if !bare.is_empty() && !shown {
                ctx.item(&Item {
                    text: &r.target,
                    kind: ItemKind::Text,
                    hidden: true,
                    part,
                    sheet: None,
                    cell: None,
                    detail: Some("link target"),
                    doc: place,
                });
            }
            continue;
        }
        places
            .entry(r.target.to_ascii_lowercase())
            .or_insert((place, hidden));
        if !opc.zip.has(&r.target) || opc.ledger.state(&r.target).is_some() {
            continue;
        }
        match opc.graph.kind(&r.target) {
            Some(PartKind::NotesSlide) => inspect_notes(opc, &r.target, number, ctx)?,
            Some(kind @ (PartKind::SlideComments | PartKind::ModernComments)) => {
                comments += comments::inspect(opc, &r.target, kind, number, ctx)?
            }
            _ => {}
        }
    }
    Ok(comments)
}

/// What became of one shape's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    Visible,
    HiddenShape,
    OffSlide,
    /// Under an opaque shape drawn later; `true` when that shape is dark.
    Covered(bool),
    /// On a slide with too many shapes to tell (the slide is `unscannable`).
    Unchecked,
}

/// Judges each shape with text: hidden, entirely off the slide, or covered (at least 90% of
/// its box) by an opaque shape drawn after it and not animated. A dark shape over a smaller
/// part of it, a see-through one, or one an animation moves is reported for review (`true`
/// in the second value); a light see-through overlay (a dimmed background) is layout.
fn judge(
    shapes: &[Shape],
    animated: &std::collections::HashSet<String>,
    size: (f64, f64),
) -> Option<Vec<(Seen, bool)>> {
    // Each text shape is compared with every shape drawn after it; a slide of thousands
    // of shapes would take too long, so the comparisons are counted and capped.
    let mut budget = MAX_COVER_CHECKS;
    let mut out = Vec::with_capacity(shapes.len());
    for (i, s) in shapes.iter().enumerate() {
        if !s.has_text() {
            out.push((Seen::Visible, false));
            continue;
        }
        if s.hidden {
            out.push((Seen::HiddenShape, false));
            continue;
        }
        let Some(b) = s.bbox else {
            out.push((Seen::Visible, false));
            continue;
        };
        if b[2] <= 0.0 || b[3] <= 0.0 || b[0] >= size.0 || b[1] >= size.1 {
            out.push((Seen::OffSlide, false));
            continue;
        }
        let later_shapes = shapes.get(i + 1..).unwrap_or(&[]);
        budget = budget.checked_sub(later_shapes.len())?;
        let mut seen = (Seen::Visible, false);
        for later in later_shapes {
            let Some(lb) = later.bbox else { continue };
            let covered = covered_fraction(&b, &lb);
            // A shape that an animation shows or hides covers the text for a moment of
            // the show, as the author meant: for review only.
            let moves = later.id.as_ref().is_some_and(|id| animated.contains(id));
            if covered >= 0.9 && later.opaque() && !moves {
                seen = (Seen::Covered(later.dark()), false);
                break;
            }
            if later.dark() && covered >= 0.25 {
                seen.1 = true;
            }
        }
        out.push(seen);
    }
    Some(out)
}

/// Most shape-against-shape comparisons per slide (about 5,000 shapes).
const MAX_COVER_CHECKS: usize = 12_500_000;

/// How much of box `a` box `b` covers (0 to 1).
fn covered_fraction(a: &[f64; 4], b: &[f64; 4]) -> f64 {
    let area = (a[2] - a[0]).max(0.0) * (a[3] - a[1]).max(0.0);
    if area <= 0.0 {
        // A box of no size lets its text run outside it: where the text is cannot be told.
        return 0.0;
    }
    let w = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
    let h = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    w * h / area
}

#[derive(Default)]
struct Tally {
    shapes: u64,
    chars: u64,
    digest: ContentDigest,
}

impl Tally {
    fn add(&mut self, s: &Shape) {
        self.shapes += 1;
        self.chars += s.chars();
        for p in &s.paragraphs {
            self.digest.update(p.text.as_bytes());
        }
        for (_, _, t) in &s.cells {
            self.digest.update(t.as_bytes());
        }
    }
}

/// Sends a slide's text to the detectors in shape-tree order and reports what the slide
/// hides. `number` is `None` for a slide the presentation no longer lists. Returns the
/// text a reader sees on it.
fn emit_slide(
    ctx: &mut Ctx<'_>,
    part: &str,
    parsed: &Parsed,
    number: Option<u32>,
    size: (f64, f64),
) -> String {
    let mut shown = String::new();
    let slide_hidden = !parsed.show || number.is_none();
    let verdicts = match judge(&parsed.shapes, &parsed.animated, size) {
        Some(v) => v,
        None => {
            // Which text the shapes cover cannot be told: the text is still scanned, as
            // hidden, and the slide cannot pass.
            let loc = ctx.loc(part).with_doc(&DocPlace {
                slide: number,
                ..DocPlace::NONE
            });
            ctx.unscannable(
                loc,
                &format!(
                    "{} shapes on one slide: too many to check which text they cover",
                    parsed.shapes.len()
                ),
            );
            vec![(Seen::Unchecked, false); parsed.shapes.len()]
        }
    };
    let mut paragraph = 0u32;
    let mut table = 0u32;
    let mut all = Tally::default();
    let (mut hidden_shapes, mut off, mut covered_dark, mut covered, mut review) = (
        Tally::default(),
        Tally::default(),
        Tally::default(),
        Tally::default(),
        Tally::default(),
    );
    for (s, (seen, needs_review)) in parsed.shapes.iter().zip(&verdicts) {
        let (hidden, detail) = match seen {
            Seen::Visible => (slide_hidden, None),
            Seen::HiddenShape => (true, Some("text of a hidden shape")),
            Seen::OffSlide => (true, Some("text placed off the slide")),
            Seen::Covered(_) => (true, Some("text under a shape drawn over it")),
            Seen::Unchecked => (true, Some("text on a slide too crowded to check")),
        };
        let detail = match (detail, slide_hidden) {
            (None, true) if number.is_some() => Some("text of a hidden slide"),
            (None, true) => Some("text of a slide the presentation no longer lists"),
            (d, _) => d,
        };
        for alt in &s.alt {
            emit(
                ctx,
                part,
                alt,
                ItemKind::Text,
                true,
                Some("alternative text of a picture or shape"),
                number,
                None,
                None,
                None,
            );
        }
        for p in s
            .paragraphs
            .iter()
            .filter(|p| !p.fields_only && !p.text.trim().is_empty())
        {
            paragraph += 1;
            if !hidden && shown.len() < 1 << 20 {
                shown.push_str(&p.text);
                shown.push('\n');
            }
            emit(
                ctx,
                part,
                &p.text,
                ItemKind::Paragraph,
                hidden,
                detail,
                number,
                Some(paragraph),
                None,
                None,
            );
        }
        if !s.cells.is_empty() {
            for (r, c, text) in &s.cells {
                if !text.trim().is_empty() {
                    emit(
                        ctx,
                        part,
                        text,
                        ItemKind::Cell,
                        hidden,
                        detail,
                        number,
                        None,
                        Some((*r, *c)),
                        Some(table),
                    );
                }
            }
            table += 1;
        }
        if !s.has_text() {
            continue;
        }
        all.add(s);
        match seen {
            Seen::Visible if *needs_review => review.add(s),
            Seen::Visible => {}
            Seen::HiddenShape => hidden_shapes.add(s),
            Seen::OffSlide => off.add(s),
            Seen::Covered(true) => covered_dark.add(s),
            Seen::Covered(false) => covered.add(s),
            Seen::Unchecked => {}
        }
    }
    for alt in &parsed.alternates {
        emit(
            ctx,
            part,
            alt,
            ItemKind::Text,
            true,
            Some("alternate content that current PowerPoint does not show"),
            number,
            None,
            None,
            None,
        );
    }
    let place = DocPlace {
        slide: number,
        ..DocPlace::NONE
    };
    let loc = ctx.loc(part).with_doc(&place);
    let on = match number {
        Some(n) => format!("slide {n}"),
        None => format!("slide part {part}"),
    };
    let text_words = |t: &Tally| {
        format!(
            "{} of text ({})",
            plural(t.shapes, "shape", "shapes"),
            plural(t.chars, "character", "characters")
        )
    };
    match number {
        None => ctx.report(
            "residual-data",
            if all.chars > 0 { Severity::High } else { Severity::Low },
            true,
            loc.clone(),
            format!(
                "{on} is not in the presentation's slide list, so PowerPoint never shows it, but it travels with the file with {}",
                text_words(&all)
            ),
            &all.digest.hex(),
        ),
        Some(n) if !parsed.show => ctx.report(
            "hidden-slide",
            if all.chars > 0 { Severity::High } else { Severity::Low },
            true,
            loc.clone(),
            if all.chars > 0 {
                format!(
                    "slide {n} is hidden (show=\"0\"): a slide show skips it, but it travels with the file with {}",
                    text_words(&all)
                )
            } else {
                format!("slide {n} is hidden (show=\"0\"), with no text")
            },
            &all.digest.hex(),
        ),
        _ => {}
    }
    if hidden_shapes.shapes > 0 {
        ctx.report(
            "hidden-text",
            Severity::High,
            true,
            loc.clone(),
            format!(
                "{} on {on} {} text that nobody sees ({})",
                plural(hidden_shapes.shapes, "hidden shape", "hidden shapes"),
                if hidden_shapes.shapes == 1 {
                    "holds"
                } else {
                    "hold"
                },
                plural(hidden_shapes.chars, "character", "characters")
            ),
            &hidden_shapes.digest.hex(),
        );
    }
    if off.shapes > 0 {
        ctx.report(
            "speaker-notes",
            Severity::High,
            true,
            loc.clone(),
            format!(
                "{} placed off {on} {} text ({}): a slide show never shows it, the editor does",
                plural(off.shapes, "shape", "shapes"),
                if off.shapes == 1 { "holds" } else { "hold" },
                plural(off.chars, "character", "characters")
            ),
            &off.digest.hex(),
        );
    }
    for (t, severity, what) in [
        (&covered_dark, Severity::Critical, "a dark box"),
        (&covered, Severity::High, "an opaque shape"),
    ] {
        if t.shapes > 0 {
            ctx.report(
                "fake-redaction",
                severity,
                true,
                loc.clone(),
                format!(
                    "{} on {on} {} covered by {what} drawn over {}: the text is still there ({})",
                    plural(t.shapes, "text shape", "text shapes"),
                    if t.shapes == 1 { "is" } else { "are" },
                    if t.shapes == 1 { "it" } else { "them" },
                    plural(t.chars, "character", "characters")
                ),
                &t.digest.hex(),
            );
        }
    }
    if review.shapes > 0 {
        ctx.report(
            "fake-redaction",
            Severity::Low,
            false,
            loc,
            format!(
                "a dark shape on {on} partly covers {}: check whether it hides text",
                plural(review.shapes, "text shape", "text shapes")
            ),
            &review.digest.hex(),
        );
    }
    shown
}

#[allow(clippy::too_many_arguments)]
fn emit(
    ctx: &mut Ctx<'_>,
    part: &str,
    text: &str,
    kind: ItemKind,
    hidden: bool,
    detail: Option<&str>,
    slide: Option<u32>,
    paragraph: Option<u32>,
    cell: Option<(u32, u32)>,
    table: Option<u32>,
) {
    let story = match kind {
        ItemKind::Notes => Some(Story::Notes),
        ItemKind::Comment => Some(Story::Comment),
        _ if slide.is_some() => Some(Story::Body),
        _ => None,
    };
    ctx.item(&Item {
        text,
        kind,
        hidden,
        part,
        sheet: None,
        cell,
        detail,
        doc: DocPlace {
            slide,
            story,
            paragraph,
            table,
            ..DocPlace::NONE
        },
    });
}

/// A notes slide: the text of its body and other placeholders, except the slide image and
/// the slide number, is the speaker's notes.
fn inspect_notes(
    opc: &mut Opc<'_>,
    part: &str,
    slide: Option<u32>,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    opc.inspected(part);
    let parsed = ctx.guard(part, |ctx| {
        let Some(reader) = opc.zip.reader(part, ctx)? else {
            return Ok(None);
        };
        let mut xml = XmlReader::new(reader, part);
        slide::parse(&mut xml, ctx).map(Some)
    })?;
    let parsed = match parsed {
        Some(Some(p)) => p,
        Some(None) => return Ok(()),
        None => {
            opc.ledger.mark(part, PartState::Unreadable);
            return Ok(());
        }
    };
    let mut paragraph = 0u32;
    let mut chars = 0u64;
    let mut digest = ContentDigest::default();
    for s in &parsed.shapes {
        if matches!(s.placeholder.as_deref(), Some("sldImg" | "sldNum")) {
            continue;
        }
        for alt in &s.alt {
            emit(
                ctx,
                part,
                alt,
                ItemKind::Text,
                true,
                Some("alternative text in the notes"),
                slide,
                None,
                None,
                None,
            );
        }
        for p in s
            .paragraphs
            .iter()
            .filter(|p| !p.fields_only && !p.text.trim().is_empty())
        {
            paragraph += 1;
            chars += p.text.chars().filter(|c| !c.is_whitespace()).count() as u64;
            digest.update(p.text.as_bytes());
            emit(
                ctx,
                part,
                &p.text,
                ItemKind::Notes,
                true,
                None,
                slide,
                Some(paragraph),
                None,
                None,
            );
        }
        for (_, _, t) in s.cells.iter().filter(|(_, _, t)| !t.trim().is_empty()) {
            paragraph += 1;
            chars += t.chars().filter(|c| !c.is_whitespace()).count() as u64;
            digest.update(t.as_bytes());
            emit(
                ctx,
                part,
                t,
                ItemKind::Notes,
                true,
                None,
                slide,
                Some(paragraph),
                None,
                None,
            );
        }
    }
    for alt in &parsed.alternates {
        emit(
            ctx,
            part,
            alt,
            ItemKind::Notes,
            true,
            Some("alternate content in the notes"),
            slide,
            None,
            None,
            None,
        );
    }
    if paragraph == 0 {
        return Ok(());
    }
    let of = match slide {
        Some(n) => format!("slide {n}"),
        None => "a slide the presentation no longer lists".to_string(),
    };
    let loc = ctx.loc(part).with_doc(&DocPlace {
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
            plural(chars, "character", "characters")
        ),
        &digest.hex(),
    );
    Ok(())
}

/// Prompt text PowerPoint and LibreOffice put in the placeholders of layouts and masters.
const PROMPTS: &[&str] = &[
    "click to edit master title style",
    "click to edit master subtitle style",
    "click to edit master text styles",
    "edit master text styles",
    "click to edit the title text format",
    "click to edit the outline text format",
    "click to edit the notes format",
    "second level",
    "third level",
    "fourth level",
    "fifth level",
    "second outline level",
    "third outline level",
    "fourth outline level",
    "fifth outline level",
    "sixth outline level",
    "seventh outline level",
    "eighth outline level",
    "ninth outline level",
    "click to add title",
    "click to add text",
    "click to add subtitle",
    "title",
    "text",
    "subtitle",
    "<header>",
    "<footer>",
    "<date/time>",
    "<number>",
    "‹#›",
    "<#>",
];

fn is_prompt(text: &str) -> bool {
    let t = text.trim().trim_end_matches('.').to_lowercase();
    t.is_empty()
        || PROMPTS.contains(&t.as_str())
        || t.starts_with("click icon to add")
        || t.starts_with("click to edit")
}

/// A layout or master: placeholder prompts skipped, the rest scanned as hidden.
fn inspect_layout(
    pkg: &mut Package<'_>,
    part: &str,
    kind: PartKind,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(());
    };
    let mut xml = XmlReader::new(reader, part);
    let parsed = slide::parse(&mut xml, ctx)?;
    let detail = match kind {
        PartKind::SlideLayout => "text of a slide layout",
        PartKind::SlideMaster => "text of a slide master",
        PartKind::NotesMaster => "text of the notes master",
        _ => "text of the handout master",
    };
    for s in &parsed.shapes {
        for alt in &s.alt {
            emit(
                ctx,
                part,
                alt,
                ItemKind::Text,
                true,
                Some(detail),
                None,
                None,
                None,
                None,
            );
        }
        for p in s.paragraphs.iter().filter(|p| !p.fields_only) {
            if s.placeholder.is_some() && is_prompt(&p.text) {
                continue;
            }
            emit(
                ctx,
                part,
                &p.text,
                ItemKind::Text,
                true,
                Some(detail),
                None,
                None,
                None,
                None,
            );
        }
        for (_, _, t) in &s.cells {
            emit(
                ctx,
                part,
                t,
                ItemKind::Text,
                true,
                Some(detail),
                None,
                None,
                None,
                None,
            );
        }
    }
    for alt in &parsed.alternates {
        emit(
            ctx,
            part,
            alt,
            ItemKind::Text,
            true,
            Some(detail),
            None,
            None,
            None,
            None,
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_is_a_share_of_the_lower_box() {
        let text = [0.0, 0.0, 100.0, 20.0];
        assert_eq!(covered_fraction(&text, &[-5.0, -5.0, 105.0, 25.0]), 1.0);
        assert!((covered_fraction(&text, &[0.0, 0.0, 50.0, 20.0]) - 0.5).abs() < 1e-9);
        assert_eq!(covered_fraction(&text, &[200.0, 0.0, 300.0, 20.0]), 0.0);
    }

    #[test]
    fn standard_prompts_are_recognised() {
        assert!(is_prompt("Click to edit Master title style"));
        assert!(is_prompt("Second level"));
        assert!(is_prompt("Click icon to add picture"));
        assert!(!is_prompt("Prepared by DS Patel"));
    }
}
