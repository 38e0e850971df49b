//! Presentations (odp) and drawings: `draw:page` elements, one per slide. A slide's text
//! is held until the slide ends, because whether a reader sees it depends on the whole
//! slide: the slide may be hidden (`presentation:visibility="hidden"` in its drawing-page
//! style), a shape may sit off the page (its box outside the master page's page layout),
//! or a later opaque shape may cover it. Speaker notes (`presentation:notes`) are their
//! own story.

use super::document::{DocState, close_walk};
use super::flow::{Ground, Mode, Pending, Shape, Sink};
use super::styles::Fill;
use super::{Elem, collect_text, loc};
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity, Story};
use crate::util::{ContentDigest, plural};
use crate::xml::XmlReader;
use quick_xml::events::Event;
use std::collections::BTreeSet;
use std::io::BufRead;

/// Share of a text shape's box another shape must cover to hide it.
const COVERED: f64 = 0.8;
/// Slack, in points, for a box that sits exactly on the page edge.
const EDGE: f64 = 1.0;

#[derive(Default)]
struct Tally {
    shapes: u64,
    paragraphs: u64,
    slides: BTreeSet<u32>,
    first_slide: Option<u32>,
    dark: bool,
    digest: ContentDigest,
}

impl Tally {
    fn add(&mut self, slide: u32, text: &str) {
        self.paragraphs += 1;
        self.slides.insert(slide);
        self.first_slide.get_or_insert(slide);
        self.digest.update(text.as_bytes());
    }
}

struct HiddenSlide {
    slide: u32,
    paragraphs: u64,
    digest: ContentDigest,
}

/// `office:presentation` or `office:drawing` (its start tag already read).
pub fn body<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    doc: &mut DocState,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut w = doc.walker(part, Mode::Presentation);
    w.track_shapes = true;
    let mut slide = 0u32;
    let mut notes = Tally::default();
    let mut off = Tally::default();
    let mut covered = Tally::default();
    let mut hidden_slides: Vec<HiddenSlide> = Vec::new();
    let mut read: ScanResult<()> = Ok(());
    loop {
        ctx.check_time()?;
        let ev = match xml.next_event() {
            Ok(ev) => ev,
            Err(e) => {
                read = Err(e);
                break;
            }
        };
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(_) | Event::Eof => break,
            _ => continue,
        };
        drop(ev);
        match elem.local() {
            "page" => {
                slide += 1;
                let page_style = elem
                    .get_q("draw:style-name")
                    .map(|s| doc.styles.resolve("drawing-page", s))
                    .unwrap_or_default();
                let master = elem.get("master-page-name").unwrap_or_default();
                let master_style = doc
                    .styles
                    .master_pages
                    .get(master)
                    .map(|s| doc.styles.resolve("drawing-page", s))
                    .unwrap_or_default();
                let hidden = page_style.page_hidden == Some(true);
                let fill = match page_style.fill() {
                    Fill::None => master_style.fill(),
                    f => f,
                };
                let ground = match fill {
                    Fill::Solid(c) => Ground::Colour(c),
                    Fill::Pattern => Ground::Unknown,
                    Fill::None => Ground::Colour(super::styles::WHITE),
                };
                let size = doc.styles.page_size(master);
                w.slide = Some(slide);
                let objects_before = w.found.objects.len();
                w.pending = Some(Vec::new());
                w.shapes.clear();
                w.push_ground(ground);
                let r = if empty {
                    Ok(())
                } else {
                    w.block(xml, ctx, &mut Sink::Emit)
                };
                w.pop_ground();
                if hidden {
                    for o in w.found.objects.iter_mut().skip(objects_before) {
                        o.hidden = true;
                    }
                }
                let items = w.pending.take().unwrap_or_default();
                let mut shapes = std::mem::take(&mut w.shapes);
                judge(&mut shapes, size);
                let page = SlideOut {
                    slide,
                    hidden,
                    part,
                    shapes: &shapes,
                };
                if let Some(h) = page.flush(ctx, items, &mut notes, &mut off, &mut covered) {
                    hidden_slides.push(h);
                }
                w.slide = None;
                if let Err(e) = r {
                    read = Err(e);
                    break;
                }
            }
            "footer-decl" | "header-decl" | "date-time-decl" => {
                if !empty {
                    let t = collect_text(xml, ctx)?;
                    ctx.item(&Item {
                        text: &t,
                        kind: ItemKind::Paragraph,
                        hidden: false,
                        part,
                        sheet: None,
                        cell: None,
                        detail: Some("slide footer or header"),
                        doc: DocPlace::NONE,
                    });
                }
            }
            _ => {
                if !empty {
                    super::document::hidden_text(xml, part, ctx, "presentation settings")?;
                }
            }
        }
    }
    let found = std::mem::take(&mut w.found);
    drop(w);
    report(ctx, part, &notes, &off, &covered, &hidden_slides);
    close_walk(doc, ctx, found, Mode::Presentation);
    read
}

/// Decides for each shape whether it is off the page or covered by a later opaque shape.
fn judge(shapes: &mut [Shape], size: Option<(f64, f64)>) {
    let n = shapes.len();
    for i in 0..n {
        if shapes[i].in_notes || !shapes[i].has_text {
            continue;
        }
        let Some(b) = shapes[i].bbox else { continue };
        if let Some((w, h)) = size
            && (b[0] >= w - EDGE || b[1] >= h - EDGE || b[2] <= EDGE || b[3] <= EDGE)
        {
            shapes[i].hidden_by = Some("off-slide");
            continue;
        }
        let area = (b[2] - b[0]).max(0.0) * (b[3] - b[1]).max(0.0);
        if area <= 0.0 {
            continue;
        }
        let z = shapes[i].z;
        let mut dark = false;
        let hit = (0..n).any(|j| {
            let c = &shapes[j];
            if j == i || c.in_notes || !c.opaque || c.z <= z || related(shapes, i, j) {
                return false;
            }
            let Some(cb) = c.bbox else { return false };
            let w = (b[2].min(cb[2]) - b[0].max(cb[0])).max(0.0);
            let h = (b[3].min(cb[3]) - b[1].max(cb[1])).max(0.0);
            let covers = w * h >= COVERED * area;
            if covers {
                dark |= c.dark;
            }
            covers
        });
        if hit {
            shapes[i].hidden_by = Some(if dark { "dark-cover" } else { "cover" });
        }
    }
}

/// Whether one shape is inside the other (a group and its members).
fn related(shapes: &[Shape], a: usize, b: usize) -> bool {
    let up = |mut x: usize, target: usize| {
        for _ in 0..64 {
            match shapes[x].parent {
                Some(p) if p as usize == target => return true,
                Some(p) if (p as usize) < shapes.len() => x = p as usize,
                _ => return false,
            }
        }
        false
    };
    up(a, b) || up(b, a)
}

struct SlideOut<'a> {
    slide: u32,
    hidden: bool,
    part: &'a str,
    shapes: &'a [Shape],
}

impl SlideOut<'_> {
    /// Why a shape (or the group it sits in) is not seen.
    fn hidden_by(&self, shape: Option<u32>) -> Option<&'static str> {
        let mut s = shape?;
        for _ in 0..64 {
            let sh = self.shapes.get(s as usize)?;
            if let Some(h) = sh.hidden_by {
                return Some(h);
            }
            s = sh.parent?;
        }
        None
    }

    /// Sends the slide's items out with what the slide decided, and tallies them.
    fn flush(
        &self,
        ctx: &mut Ctx<'_>,
        items: Vec<Pending>,
        notes: &mut Tally,
        off: &mut Tally,
        covered: &mut Tally,
    ) -> Option<HiddenSlide> {
        let mut hidden_slide = self.hidden.then_some(HiddenSlide {
            slide: self.slide,
            paragraphs: 0,
            digest: ContentDigest::default(),
        });
        let mut off_shapes: BTreeSet<u32> = BTreeSet::new();
        let mut covered_shapes: BTreeSet<u32> = BTreeSet::new();
        for it in items {
            let by = self.hidden_by(it.shape);
            let mut hidden = it.hidden || self.hidden || by.is_some();
            if it.kind == ItemKind::Notes {
                hidden = true;
                notes.add(self.slide, &it.text);
            } else if !it.hidden {
                match by {
                    Some("off-slide") => {
                        off.add(self.slide, &it.text);
                        if let Some(s) = it.shape {
                            off_shapes.insert(s);
                        }
                    }
                    Some(kind) => {
                        covered.add(self.slide, &it.text);
                        covered.dark |= kind == "dark-cover";
                        if let Some(s) = it.shape {
                            covered_shapes.insert(s);
                        }
                    }
                    None => {}
                }
                if let Some(h) = &mut hidden_slide
                    && matches!(it.kind, ItemKind::Paragraph | ItemKind::Cell)
                {
                    h.paragraphs += 1;
                    h.digest.update(it.text.as_bytes());
                }
            }
            let detail = match (by, it.detail.as_deref()) {
                (Some("off-slide"), _) => Some("text placed off the slide"),
                (Some(_), _) => Some("text covered by a shape"),
                (None, d) if self.hidden && d.is_none() => Some("slide"),
                (None, d) => d,
            };
            ctx.item(&Item {
                text: &it.text,
                kind: it.kind,
                hidden,
                part: self.part,
                sheet: None,
                cell: it.cell,
                detail,
                doc: it.doc,
            });
        }
        off.shapes += off_shapes.len() as u64;
        covered.shapes += covered_shapes.len() as u64;
        hidden_slide
    }
}

fn report(
    ctx: &mut Ctx<'_>,
    part: &str,
    notes: &Tally,
    off: &Tally,
    covered: &Tally,
    hidden: &[HiddenSlide],
) {
    let at = |ctx: &Ctx<'_>, slide: Option<u32>, story: Option<Story>| {
        let mut l = loc(ctx, part);
        l.slide = slide;
        l.story = story;
        l
    };
    for h in hidden {
        let (severity, message) = if h.paragraphs > 0 {
            (
                Severity::High,
                format!(
                    "slide {} is hidden, and holds {} of text",
                    h.slide,
                    plural(h.paragraphs, "paragraph", "paragraphs")
                ),
            )
        } else {
            (
                Severity::Low,
                format!("slide {} is hidden, and holds no text", h.slide),
            )
        };
        ctx.report(
            "hidden-slide",
            severity,
            true,
            at(ctx, Some(h.slide), None),
            message,
            &format!("{}:{}", h.slide, h.digest.hex()),
        );
    }
    if notes.paragraphs > 0 {
        ctx.report(
            "speaker-notes",
            Severity::Medium,
            true,
            at(ctx, notes.first_slide, Some(Story::Notes)),
            format!(
                "speaker notes on {} hold {}{}",
                plural(notes.slides.len() as u64, "slide", "slides"),
                plural(notes.paragraphs, "paragraph", "paragraphs"),
                list(&notes.slides)
            ),
            &format!("notes:{}", notes.digest.hex()),
        );
    }
    if off.paragraphs > 0 {
        ctx.report(
            "speaker-notes",
            Severity::Medium,
            true,
            at(ctx, off.first_slide, None),
            format!(
                "{} placed off the slide, where a slide show never shows {}, {} {}{}",
                plural(off.shapes.max(1), "shape", "shapes"),
                if off.shapes == 1 { "it" } else { "them" },
                if off.shapes == 1 { "holds" } else { "hold" },
                plural(off.paragraphs, "paragraph of text", "paragraphs of text"),
                list(&off.slides)
            ),
            &format!("off:{}", off.digest.hex()),
        );
    }
    if covered.paragraphs > 0 {
        ctx.report(
            "fake-redaction",
            if covered.dark {
                Severity::Critical
            } else {
                Severity::High
            },
            true,
            at(ctx, covered.first_slide, None),
            format!(
                "{} of text {} covered by {} drawn over {}: the text is still there{}",
                plural(covered.paragraphs, "paragraph", "paragraphs"),
                if covered.paragraphs == 1 { "is" } else { "are" },
                if covered.dark {
                    "a black shape"
                } else {
                    "an opaque shape or picture"
                },
                if covered.paragraphs == 1 {
                    "it"
                } else {
                    "them"
                },
                list(&covered.slides)
            ),
            &format!("covered:{}", covered.digest.hex()),
        );
    }
}

fn list(slides: &BTreeSet<u32>) -> String {
    let shown: Vec<String> = slides.iter().take(8).map(u32::to_string).collect();
    let more = if slides.len() > 8 { ", …" } else { "" };
    match slides.len() {
        0 => String::new(),
        1 => format!(" (slide {})", shown[0]),
        _ => format!(" (slides {}{more})", shown.join(", ")),
    }
}
