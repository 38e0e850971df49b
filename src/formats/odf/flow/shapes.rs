//! Frames and drawing shapes, and the objects they embed. In a text document a frame's text
//! is a text box story; on a slide, shapes are recorded with their box, their order and
//! whether they are opaque, so the slide can decide afterwards which text sits off the page
//! or under another shape. `draw:object` points to an embedded object, or in a flat
//! document holds it inline.

use super::{Elem, Ground, Hide, MAX_LISTED, Mode, Sink, Walker, collect_text};
use crate::context::{Ctx, ScanResult};
use crate::formats::odf::styles::{Fill, StyleDef, dark, length_pt};
use crate::model::{DocPlace, ItemKind, Story};
use crate::xml::XmlReader;
use quick_xml::events::Event;
use std::io::BufRead;

/// An embedded object a frame points to (`draw:object xlink:href="./Object 1"`).
#[derive(Debug, Clone)]
pub struct ObjectRef {
    pub href: String,
    pub hidden: bool,
    pub sheet: Option<String>,
    pub doc: DocPlace,
}

/// A shape on a slide, with the box it covers and whether it is opaque (presentations).
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// `[x0, y0, x1, y1]` in points, when the shape gives its place.
    pub bbox: Option<[f64; 4]>,
    pub z: u32,
    /// Drawn opaque: a solid or patterned fill, or a picture.
    pub opaque: bool,
    /// Its fill is black or nearly.
    pub dark: bool,
    /// Holds text (directly, not in nested shapes).
    pub has_text: bool,
    /// Off the page, covered, or hidden, as decided after the slide is read.
    pub hidden_by: Option<&'static str>,
    /// Set inside a group (its box is its own, the group's is unknown).
    pub parent: Option<u32>,
    /// On the notes page, not on the slide.
    pub in_notes: bool,
}

/// A text item held back until its slide is fully read (a later shape may cover it).
#[derive(Debug, Clone)]
pub struct Pending {
    pub text: String,
    pub kind: ItemKind,
    pub hidden: bool,
    pub detail: Option<String>,
    pub doc: DocPlace,
    pub cell: Option<(u32, u32)>,
    pub shape: Option<u32>,
}

impl Walker<'_> {
    /// A frame or drawing shape. In text documents its text is a text box story; on a
    /// slide it is slide text, recorded with the shape so the slide can judge later
    /// whether the shape is off the slide or covered.
    pub(super) fn shape<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
        e: &Elem,
        empty: bool,
    ) -> ScanResult<()> {
        let mut def = StyleDef::default();
        if let Some(s) = e.get_q("draw:style-name").filter(|s| !s.is_empty()) {
            def = self.styles.resolve("graphic", s);
        }
        // Placeholders on slides take their look from the presentation styles.
        if def.fill_kind.is_none()
            && let Some(s) = e.get_q("presentation:style-name")
        {
            def = self.styles.resolve("presentation", s);
        }
        let fill = def.fill();
        let hidden = match e.get("display") {
            Some("none" | "printer") => Some(Hide::Shape),
            _ => e
                .get("layer")
                .filter(|l| self.styles.hidden_layers.contains(*l))
                .map(|_| Hide::Layer),
        };
        let shape_id = if self.track_shapes {
            let id = self.shapes.len() as u32;
            let (opaque, dark_fill) = match fill {
                Fill::Solid(c) => (true, dark(c)),
                Fill::Pattern => (true, false),
                Fill::None => (false, false),
            };
            self.shapes.push(Shape {
                bbox: bbox(e),
                z: e.get("z-index")
                    .and_then(|z| z.trim().parse().ok())
                    .unwrap_or(id),
                opaque,
                dark: dark_fill,
                parent: self.shape_stack.last().copied(),
                in_notes: self.story().story == Story::Notes,
                ..Default::default()
            });
            Some(id)
        } else {
            None
        };
        if self.mode == Mode::Text
            && let Fill::Solid(c) = fill
            && dark(c)
            && e.local() != "frame"
        {
            let doc = self.place(self.current_paragraph());
            let part = self.part.clone();
            let b = &mut self.found.dark_boxes;
            if b.count == 0 {
                b.first = doc;
                b.part = part;
            }
            b.count += 1;
            if let Some(n) = doc.paragraph
                && b.paragraphs.len() < MAX_LISTED
            {
                b.paragraphs.push(n);
            }
            b.digest
                .update(e.get("name").unwrap_or_default().as_bytes());
        }
        if empty {
            return Ok(());
        }
        if let Some(id) = shape_id {
            self.shape_stack.push(id);
        }
        if let Some(h) = hidden {
            self.push_hide(h);
        }
        let ground = match fill {
            Fill::Solid(c) => Ground::Colour(c),
            Fill::Pattern => Ground::Unknown,
            Fill::None => self.ground(),
        };
        self.push_ground(ground);
        let text_story = self.mode != Mode::Presentation && self.story().story != Story::Comment;
        if text_story {
            self.push_story(Story::Textbox, false);
        }
        let r = self.block(xml, ctx, &mut Sink::Emit);
        if text_story {
            self.pop_story();
        }
        self.pop_ground();
        if hidden.is_some() {
            self.pop_hide();
        }
        if shape_id.is_some() {
            self.shape_stack.pop();
        }
        r
    }

    /// `draw:object`: an embedded object, in the package (`./Object 1`) or, in a flat
    /// document, inline as a nested `office:document`.
    pub(super) fn object<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
        e: &Elem,
        empty: bool,
    ) -> ScanResult<()> {
        self.mark_opaque();
        if let Some(href) = e.get("href") {
            let href = href
                .trim_start_matches("./")
                .trim_end_matches('/')
                .to_string();
            if !href.is_empty() && !href.starts_with('#') {
                let doc = self.place(self.current_paragraph());
                self.found.objects.push(ObjectRef {
                    href,
                    hidden: self.hidden_now(),
                    sheet: self.sheet.clone(),
                    doc,
                });
            }
        }
        if empty {
            return Ok(());
        }
        // Inline content: a flat document's embedded object, or OLE data in base64.
        let mut depth = 0u32;
        loop {
            let ev = xml.next_event()?;
            let (elem, is_empty) = match &ev {
                Event::Start(e) => (Elem::read(e), false),
                Event::Empty(e) => (Elem::read(e), true),
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    continue;
                }
                Event::Eof => return Ok(()),
                _ => continue,
            };
            drop(ev);
            match elem.local() {
                "document" if !is_empty => {
                    self.nested_docs += 1;
                    let name = format!("object {}", self.nested_docs);
                    let hidden = self.hidden_now();
                    crate::formats::odf::document::nested_flat(
                        xml,
                        ctx,
                        &elem,
                        &name,
                        hidden,
                        self.nesting,
                    )?;
                }
                "binary-data" if !is_empty => {
                    self.nested_docs += 1;
                    let name = format!("object {}", self.nested_docs);
                    let b64 = collect_text(xml, ctx)?;
                    crate::formats::odf::document::inline_ole(&b64, &name, ctx)?;
                }
                _ => {
                    if !is_empty {
                        depth += 1;
                    }
                }
            }
        }
    }

    /// The shape being read shows a picture or an object: it hides what lies under it.
    pub(super) fn mark_opaque(&mut self) {
        if let Some(id) = self.shape_stack.last().copied()
            && let Some(s) = self.shapes.get_mut(id as usize)
        {
            s.opaque = true;
        }
    }
}

/// Drawing elements that can carry text or cover it.
pub(super) fn is_shape(e: &Elem) -> bool {
    matches!(e.prefix(), "draw" | "dr3d")
        && matches!(
            e.local(),
            "frame"
                | "custom-shape"
                | "rect"
                | "ellipse"
                | "circle"
                | "polygon"
                | "polyline"
                | "regular-polygon"
                | "path"
                | "line"
                | "connector"
                | "caption"
                | "measure"
                | "g"
                | "control"
                | "scene"
        )
}

/// The box a shape covers, in points: from `svg:x/y/width/height`, a line's end points,
/// or the translation in `draw:transform` for rotated shapes.
fn bbox(e: &Elem) -> Option<[f64; 4]> {
    let num = |k: &str| e.get(k).and_then(length_pt);
    if let (Some(x1), Some(y1), Some(x2), Some(y2)) = (num("x1"), num("y1"), num("x2"), num("y2")) {
        return Some([x1.min(x2), y1.min(y2), x1.max(x2), y1.max(y2)]);
    }
    let (w, h) = (num("width")?, num("height")?);
    let (x, y) = match (num("x"), num("y")) {
        (Some(x), Some(y)) => (x, y),
        _ => translate(e.get("transform")?)?,
    };
    Some([x, y, x + w, y + h])
}

/// The `translate(x y)` of a `draw:transform`, in points.
fn translate(t: &str) -> Option<(f64, f64)> {
    let i = t.find("translate")?;
    let rest = &t[i + "translate".len()..];
    let open = rest.find('(')?;
    let close = rest.find(')')?;
    let inner = rest.get(open + 1..close)?;
    let mut it = inner.split([' ', ',']).filter(|s| !s.is_empty());
    let x = length_pt(it.next()?)?;
    let y = length_pt(it.next()?)?;
    Some((x, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_boxes_from_attributes_or_transform() {
        let e = Elem {
            qname: "draw:rect".into(),
            attrs: vec![
                ("width".into(), "2cm".into()),
                ("height".into(), "1in".into()),
                (
                    "transform".into(),
                    "rotate (0.5) translate (100pt 2in)".into(),
                ),
            ],
        };
        let b = bbox(&e).expect("box");
        assert!((b[0] - 100.0).abs() < 1e-6 && (b[1] - 144.0).abs() < 1e-6);
        assert!((b[3] - 216.0).abs() < 1e-6);
    }
}
