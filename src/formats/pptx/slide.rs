//! The shape tree of a slide, notes slide, layout or master (`p:cSld/p:spTree`), read in
//! drawing order. Each shape keeps what decides whether a reader sees its text: its box in
//! slide coordinates (group transforms applied), whether it is hidden, and how it is
//! filled, so a later opaque shape over an earlier text box, or a box placed off the slide,
//! can be told apart from ordinary layout. The caller decides and emits.

use crate::context::{Ctx, ScanResult};
use crate::formats::drawingml::Rgb;
use crate::xml::{XmlReader, attr, attr_flag, local, push_text};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashSet;
use std::io::BufRead;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fill {
    /// Nothing in the shape's own properties: its theme style or its placeholder decides.
    Unset,
    None,
    /// A solid colour (when known) and its opacity (`a:alpha`, 0 to 1).
    Solid(Option<Rgb>, f64),
    /// A gradient, picture or pattern fill: opaque, colour unknown.
    Other,
}

#[derive(Debug, Default, Clone)]
pub struct TextPara {
    pub text: String,
    /// Only fields (slide number, date): not text a person wrote.
    pub fields_only: bool,
}

#[derive(Debug, Clone)]
pub struct Shape {
    /// `cNvPr id`: animations name the shapes they act on by it.
    pub id: Option<String>,
    pub bbox: Option<[f64; 4]>,
    pub hidden: bool,
    /// Placeholder type (`body`, `title`, `sldNum`, ... ; `obj` when it names none).
    pub placeholder: Option<String>,
    pub fill: Fill,
    /// Filled from the theme (`p:style/a:fillRef` with an index), with its colour if known.
    pub style_fill: Option<Option<Rgb>>,
    pub picture: bool,
    pub textbox: bool,
    pub paragraphs: Vec<TextPara>,
    /// Table cells: (row, column, text).
    pub cells: Vec<(u32, u32, String)>,
    pub alt: Vec<String>,
}

impl Shape {
    fn new() -> Self {
        Shape {
            id: None,
            bbox: None,
            hidden: false,
            placeholder: None,
            fill: Fill::Unset,
            style_fill: None,
            picture: false,
            textbox: false,
            paragraphs: Vec::new(),
            cells: Vec::new(),
            alt: Vec::new(),
        }
    }

    pub fn has_text(&self) -> bool {
        self.paragraphs
            .iter()
            .any(|p| !p.fields_only && !p.text.trim().is_empty())
            || self.cells.iter().any(|(_, _, t)| !t.trim().is_empty())
    }

    /// Characters of text (fields left out).
    pub fn chars(&self) -> u64 {
        let count = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count() as u64;
        self.paragraphs
            .iter()
            .filter(|p| !p.fields_only)
            .map(|p| count(&p.text))
            .sum::<u64>()
            + self.cells.iter().map(|(_, _, t)| count(t)).sum::<u64>()
    }

    /// True when nothing behind the shape shows through it.
    pub fn opaque(&self) -> bool {
        if self.hidden {
            return false;
        }
        match self.fill {
            Fill::Solid(_, alpha) => alpha >= 0.99,
            Fill::Other => true,
            Fill::None => false,
            Fill::Unset => {
                self.picture
                    || (self.style_fill.is_some() && !self.textbox && self.placeholder.is_none())
            }
        }
    }

    /// A fill dark enough to pass for a redaction box, and at most half see-through.
    pub fn dark(&self) -> bool {
        if self.hidden {
            return false;
        }
        let color = match self.fill {
            Fill::Solid(c, alpha) if alpha >= 0.5 => c,
            Fill::Unset if self.opaque() => self.style_fill.flatten(),
            _ => None,
        };
        color.is_some_and(Rgb::is_dark)
    }

    fn all_text(&self) -> String {
        let mut out = String::new();
        for p in &self.paragraphs {
            out.push_str(&p.text);
            out.push(' ');
        }
        for (_, _, t) in &self.cells {
            out.push_str(t);
            out.push(' ');
        }
        out
    }
}

#[derive(Debug)]
pub struct Parsed {
    /// False for a slide marked hidden (`show="0"`).
    pub show: bool,
    pub shapes: Vec<Shape>,
    /// Text of alternate content that says something the chosen content does not.
    pub alternates: Vec<String>,
    /// Ids of the shapes an animation acts on (`p:timing`).
    pub animated: HashSet<String>,
}

/// A group's mapping from its children's coordinates to the slide's.
#[derive(Debug, Clone, Copy)]
struct Transform {
    sx: f64,
    sy: f64,
    tx: f64,
    ty: f64,
}

impl Transform {
    const IDENTITY: Transform = Transform {
        sx: 1.0,
        sy: 1.0,
        tx: 0.0,
        ty: 0.0,
    };

    fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        (x * self.sx + self.tx, y * self.sy + self.ty)
    }

    /// `self` (the parent) after `inner` (a child group's own mapping).
    fn then(&self, inner: &Transform) -> Transform {
        Transform {
            sx: self.sx * inner.sx,
            sy: self.sy * inner.sy,
            tx: self.sx * inner.tx + self.tx,
            ty: self.sy * inner.ty + self.ty,
        }
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Xfrm {
    off: Option<(f64, f64)>,
    ext: Option<(f64, f64)>,
    ch_off: Option<(f64, f64)>,
    ch_ext: Option<(f64, f64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Group,
    GroupProps,
    Shape,
    SpPr,
    Xfrm,
    SolidFill,
    Color,
    ShapeStyle,
    FillRef,
    TxBody,
    P,
    R,
    Fld,
    T,
    Tbl,
    Tr,
    Tc,
    Ac,
    Choice,
    Fallback,
    Other,
}

struct Group {
    transform: Transform,
    hidden: bool,
    xfrm: Xfrm,
}

#[derive(Default)]
struct Alt {
    chosen: bool,
    shadow: bool,
    /// Index of the first shape added by the chosen content.
    choice_start: usize,
    choice_end: usize,
    shadow_shapes: Vec<Shape>,
}

/// Deepest nesting of elements read: groups in groups cost memory each, and no slide nests
/// anywhere near this deep.
const MAX_DEPTH: usize = 2_000;

/// Reads one shape tree.
pub fn parse<R: BufRead>(xml: &mut XmlReader<R>, ctx: &mut Ctx<'_>) -> ScanResult<Parsed> {
    let mut out = Parsed {
        show: true,
        shapes: Vec::new(),
        alternates: Vec::new(),
        animated: HashSet::new(),
    };
    let mut tags: Vec<Tag> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    // The outermost shape being read, and how deep inside it we are (an OLE object's
    // preview picture is part of its graphic frame, not a shape of its own).
    let mut shape: Option<(Shape, Xfrm, u32)> = None;
    let mut alts: Vec<Alt> = Vec::new();
    let mut para: Option<TextPara> = None;
    let mut in_field = false;
    let mut cell: Option<(u32, u32, String)> = None;
    let mut row: Option<u32> = None;
    let mut col = 0u32;
    let mut events = 0u64;
    loop {
        events += 1;
        if events.is_multiple_of(4096) {
            ctx.check_time()?;
        }
        let ev = xml.next_event()?;
        let (e, start) = match &ev {
            Event::Start(e) => (Some(e), true),
            Event::Empty(e) => (Some(e), false),
            _ => (None, false),
        };
        if let Some(e) = e {
            let name = local(e);
            let parent = tags.last().copied();
            let tag = match name {
                "sld" => {
                    out.show = !matches!(attr(e, "show").as_deref(), Some("0" | "false"));
                    Tag::Other
                }
                "grpSp" => {
                    let parent_transform = groups
                        .last()
                        .map(|g| g.transform)
                        .unwrap_or(Transform::IDENTITY);
                    let parent_hidden = groups.last().is_some_and(|g| g.hidden);
                    groups.push(Group {
                        transform: parent_transform,
                        hidden: parent_hidden,
                        xfrm: Xfrm::default(),
                    });
                    Tag::Group
                }
                "grpSpPr" if parent == Some(Tag::Group) => Tag::GroupProps,
                "sp" | "pic" | "graphicFrame" | "cxnSp" | "contentPart" => {
                    match &mut shape {
                        Some((_, _, depth)) => *depth += 1,
                        None => {
                            let mut s = Shape::new();
                            s.picture = name == "pic";
                            s.hidden = groups.last().is_some_and(|g| g.hidden);
                            shape = Some((s, Xfrm::default(), 1));
                        }
                    }
                    Tag::Shape
                }
                "cNvPr" => {
                    let hidden = attr_flag(e, "hidden");
                    let alt: Vec<String> = ["descr", "title"]
                        .iter()
                        .filter_map(|k| attr(e, k))
                        .filter(|v| !v.trim().is_empty())
                        .map(|v| v.to_string())
                        .collect();
                    match &mut shape {
                        Some((s, _, 1)) => {
                            s.hidden |= hidden;
                            s.alt.extend(alt);
                            s.id = attr(e, "id").map(|v| v.trim().to_string());
                        }
                        Some((s, _, _)) => s.alt.extend(alt),
                        None => {
                            if let Some(g) = groups.last_mut() {
                                g.hidden |= hidden;
                            }
                            if !alt.is_empty() {
                                let mut s = Shape::new();
                                s.alt = alt;
                                s.hidden = groups.last().is_some_and(|g| g.hidden);
                                out.shapes.push(s);
                            }
                        }
                    }
                    Tag::Other
                }
                "spTgt" => {
                    if let Some(id) = attr(e, "spid")
                        && out.animated.len() < 100_000
                    {
                        out.animated.insert(id.trim().to_string());
                    }
                    Tag::Other
                }
                "cNvSpPr" => {
                    if let Some((s, _, 1)) = &mut shape
                        && attr_flag(e, "txBox")
                    {
                        s.textbox = true;
                    }
                    Tag::Other
                }
                "ph" => {
                    if let Some((s, _, _)) = &mut shape {
                        s.placeholder = Some(attr(e, "type").unwrap_or("obj".into()).to_string());
                    }
                    Tag::Other
                }
                "spPr" if matches!(shape, Some((_, _, 1))) => Tag::SpPr,
                "xfrm" => match parent {
                    Some(Tag::GroupProps) | Some(Tag::SpPr) => Tag::Xfrm,
                    Some(Tag::Shape) if matches!(shape, Some((_, _, 1))) => Tag::Xfrm,
                    _ => Tag::Other,
                },
                "off" | "ext" | "chOff" | "chExt" if parent == Some(Tag::Xfrm) => {
                    let pair = if name == "off" || name == "chOff" {
                        (attr_f(e, "x"), attr_f(e, "y"))
                    } else {
                        (attr_f(e, "cx"), attr_f(e, "cy"))
                    };
                    let target = if tags.iter().rev().nth(1) == Some(&Tag::GroupProps) {
                        groups.last_mut().map(|g| &mut g.xfrm)
                    } else {
                        shape.as_mut().map(|(_, x, _)| x)
                    };
                    if let (Some(x), (Some(a), Some(b))) = (target, pair) {
                        match name {
                            "off" => x.off = Some((a, b)),
                            "ext" => x.ext = Some((a, b)),
                            "chOff" => x.ch_off = Some((a, b)),
                            _ => x.ch_ext = Some((a, b)),
                        }
                    }
                    Tag::Other
                }
                "noFill" if parent == Some(Tag::SpPr) => {
                    set_fill(&mut shape, Fill::None);
                    Tag::Other
                }
                "gradFill" | "blipFill" | "pattFill" if parent == Some(Tag::SpPr) => {
                    set_fill(&mut shape, Fill::Other);
                    Tag::Other
                }
                "solidFill" if parent == Some(Tag::SpPr) => {
                    set_fill(&mut shape, Fill::Solid(None, 1.0));
                    Tag::SolidFill
                }
                "srgbClr" | "schemeClr" | "prstClr" | "sysClr" | "scrgbClr" | "hslClr" => {
                    let color = Rgb::drawing_color(name, e);
                    match parent {
                        Some(Tag::SolidFill) => set_fill(&mut shape, Fill::Solid(color, 1.0)),
                        Some(Tag::FillRef) => {
                            if let Some((s, _, 1)) = &mut shape {
                                s.style_fill = Some(color);
                            }
                        }
                        _ => {}
                    }
                    Tag::Color
                }
                "alpha" if parent == Some(Tag::Color) => {
                    let alpha = attr_f(e, "val").unwrap_or(100_000.0);
                    if tags.iter().rev().nth(1) == Some(&Tag::SolidFill)
                        && let Some((s, _, 1)) = &mut shape
                        && let Fill::Solid(c, _) = s.fill
                    {
                        s.fill = Fill::Solid(c, (alpha / 100_000.0).clamp(0.0, 1.0));
                    }
                    Tag::Other
                }
                "style" if matches!(shape, Some((_, _, 1))) => Tag::ShapeStyle,
                "fillRef" if parent == Some(Tag::ShapeStyle) => {
                    if let Some((s, _, 1)) = &mut shape
                        && attr_f(e, "idx").unwrap_or(0.0) > 0.0
                    {
                        s.style_fill = Some(None);
                    }
                    Tag::FillRef
                }
                "txBody" => Tag::TxBody,
                "p" if shape.is_some() => {
                    para = Some(TextPara {
                        fields_only: true,
                        ..TextPara::default()
                    });
                    Tag::P
                }
                "r" => {
                    if let Some(p) = &mut para {
                        p.fields_only = false;
                    }
                    Tag::R
                }
                "fld" => {
                    in_field = true;
                    Tag::Fld
                }
                "br" => {
                    if let Some(p) = &mut para {
                        p.text.push('\n');
                    }
                    Tag::Other
                }
                "t" if para.is_some() => Tag::T,
                "tbl" => {
                    row = None;
                    Tag::Tbl
                }
                "tr" => {
                    row = Some(row.map_or(0, |r| r.saturating_add(1)));
                    col = 0;
                    Tag::Tr
                }
                "tc" => {
                    cell = Some((row.unwrap_or(0), col, String::new()));
                    col = col.saturating_add(1);
                    Tag::Tc
                }
                "blipFill" if parent == Some(Tag::Shape) => {
                    if let Some((s, _, 1)) = &mut shape {
                        s.picture = true;
                    }
                    Tag::Other
                }
                "AlternateContent" => {
                    alts.push(Alt::default());
                    Tag::Ac
                }
                "Choice" if parent == Some(Tag::Ac) => {
                    let n = out.shapes.len();
                    if let Some(a) = alts.last_mut() {
                        if a.chosen {
                            a.shadow = true;
                        } else {
                            a.chosen = true;
                            a.choice_start = n;
                        }
                    }
                    Tag::Choice
                }
                "Fallback" if parent == Some(Tag::Ac) => {
                    if let Some(a) = alts.last_mut()
                        && a.chosen
                    {
                        a.shadow = true;
                    }
                    Tag::Fallback
                }
                _ => Tag::Other,
            };
            if start {
                if tags.len() >= MAX_DEPTH {
                    return Err(crate::context::ScanError::new(format!(
                        "shapes nested deeper than {MAX_DEPTH} levels"
                    )));
                }
                tags.push(tag);
            } else {
                close(
                    tag,
                    &mut shape,
                    &mut groups,
                    &mut alts,
                    &mut out,
                    &mut para,
                    &mut in_field,
                    &mut cell,
                );
            }
            continue;
        }
        match &ev {
            Event::End(_) => {
                if let Some(tag) = tags.pop() {
                    close(
                        tag,
                        &mut shape,
                        &mut groups,
                        &mut alts,
                        &mut out,
                        &mut para,
                        &mut in_field,
                        &mut cell,
                    );
                }
            }
            Event::Eof => break,
            other => {
                if tags.last() == Some(&Tag::T)
                    && let Some(p) = &mut para
                {
                    push_text(other, &mut p.text);
                }
            }
        }
    }
    Ok(out)
}

fn set_fill(shape: &mut Option<(Shape, Xfrm, u32)>, fill: Fill) {
    if let Some((s, _, 1)) = shape {
        s.fill = fill;
    }
}

#[allow(clippy::too_many_arguments)]
fn close(
    tag: Tag,
    shape: &mut Option<(Shape, Xfrm, u32)>,
    groups: &mut Vec<Group>,
    alts: &mut Vec<Alt>,
    out: &mut Parsed,
    para: &mut Option<TextPara>,
    in_field: &mut bool,
    cell: &mut Option<(u32, u32, String)>,
) {
    let shadow = alts.iter().any(|a| a.shadow);
    match tag {
        Tag::Group => {
            groups.pop();
        }
        Tag::GroupProps => {
            // The group's own box and its children's coordinate space.
            if let Some(g) = groups.last_mut() {
                let x = g.xfrm;
                if let (Some((ox, oy)), Some((cx, cy))) = (x.off, x.ext) {
                    let (chx, chy) = x.ch_off.unwrap_or((ox, oy));
                    let (chw, chh) = x.ch_ext.unwrap_or((cx, cy));
                    let sx = if chw.abs() > f64::EPSILON {
                        cx / chw
                    } else {
                        1.0
                    };
                    let sy = if chh.abs() > f64::EPSILON {
                        cy / chh
                    } else {
                        1.0
                    };
                    let inner = Transform {
                        sx,
                        sy,
                        tx: ox - chx * sx,
                        ty: oy - chy * sy,
                    };
                    g.transform = g.transform.then(&inner);
                }
            }
        }
        Tag::Shape => {
            let done = match shape {
                Some((_, _, depth)) if *depth > 1 => {
                    *depth -= 1;
                    false
                }
                Some(_) => true,
                None => false,
            };
            if done && let Some((mut s, x, _)) = shape.take() {
                // The parent transform of a group-less shape is the identity; inside a
                // group, the group's (shapes close before their group).
                if let (Some((ox, oy)), Some((cx, cy))) = (x.off, x.ext) {
                    let t = groups
                        .last()
                        .map(|g| g.transform)
                        .unwrap_or(Transform::IDENTITY);
                    let (x0, y0) = t.apply(ox, oy);
                    let (x1, y1) = t.apply(ox + cx, oy + cy);
                    s.bbox = Some([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)]);
                }
                match alts.iter_mut().rev().find(|a| a.shadow) {
                    Some(a) if shadow => a.shadow_shapes.push(s),
                    _ => out.shapes.push(s),
                }
            }
        }
        Tag::Fld => *in_field = false,
        Tag::R => {}
        Tag::P => {
            if let Some(p) = para.take() {
                if let Some((_, _, text)) = cell {
                    if !p.text.trim().is_empty() {
                        if !text.is_empty() {
                            text.push('\n');
                        }
                        text.push_str(&p.text);
                    }
                } else if let Some((s, _, _)) = shape {
                    s.paragraphs.push(p);
                }
            }
        }
        Tag::Tc => {
            if let (Some(c), Some((s, _, _))) = (cell.take(), shape.as_mut()) {
                s.cells.push(c);
            }
        }
        Tag::Choice => {
            let n = out.shapes.len();
            if let Some(a) = alts.last_mut() {
                if a.shadow {
                    end_shadow(a, out);
                } else {
                    a.choice_end = n;
                }
            }
        }
        Tag::Fallback => {
            if let Some(a) = alts.last_mut()
                && a.shadow
            {
                end_shadow(a, out);
            }
        }
        Tag::Ac => {
            alts.pop();
        }
        _ => {}
    }
}

/// A fallback (or second choice) that says what the chosen content says is dropped; one
/// that says something else is kept as alternate text.
fn end_shadow(a: &mut Alt, out: &mut Parsed) {
    a.shadow = false;
    let norm = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = a.choice_end.max(a.choice_start).min(out.shapes.len());
    let start = a.choice_start.min(end);
    let chosen: String = out.shapes[start..end].iter().map(Shape::all_text).collect();
    let fallback: String = a.shadow_shapes.iter().map(Shape::all_text).collect();
    a.shadow_shapes.clear();
    let fallback = norm(fallback);
    if !fallback.is_empty() && fallback != norm(chosen) {
        out.alternates.push(fallback);
    }
}

fn attr_f(e: &BytesStart<'_>, name: &str) -> Option<f64> {
    attr(e, name)?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_transforms_compose() {
        // A group at (100, 100) scaled 2x, inside a group shifted by 10.
        let outer = Transform {
            sx: 1.0,
            sy: 1.0,
            tx: 10.0,
            ty: 10.0,
        };
        let inner = Transform {
            sx: 2.0,
            sy: 2.0,
            tx: 100.0,
            ty: 100.0,
        };
        let t = outer.then(&inner);
        assert_eq!(t.apply(5.0, 5.0), (120.0, 120.0));
    }
}
