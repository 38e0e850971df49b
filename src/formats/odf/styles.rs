//! ODF styles: the common styles (`office:styles`), the automatic styles of each part
//! (`office:automatic-styles`), page layouts and master pages, and data (number) styles.
//! Only what can hide or disguise content is kept: `text:display="none"`, font colour
//! against highlight, paragraph shading, cell or shape background, tiny font sizes,
//! `table:display="false"` on tables, hidden slides, opaque shape fills, and number
//! styles that display nothing.
//!
//! Automatic styles are scoped to their part: `styles.xml` and `content.xml` may both name
//! an automatic style `P1`. A part's reader calls [`Styles::start_part`] so lookups see
//! only its own automatic styles, then the common ones, then the family's default style.

use crate::context::ScanResult;
use crate::xml::{XmlReader, attr, local, local_end};
use quick_xml::events::{BytesStart, Event};
use std::collections::{HashMap, HashSet};
use std::io::BufRead;

pub type Rgb = [u8; 3];

pub const WHITE: Rgb = [255, 255, 255];

/// The font colour of a style: automatic (black on light grounds, white on dark ones,
/// as LibreOffice draws it) or a fixed colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Auto,
    Rgb(Rgb),
}

/// A font size: absolute in points, or relative to the enclosing size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Size {
    Pt(f64),
    Percent(f64),
}

/// The fill of a shape or frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    None,
    Solid(Rgb),
    /// Bitmap, gradient or hatch: opaque, of no single colour.
    Pattern,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FillKind {
    None,
    Solid,
    Pattern,
}

/// The properties of one style that matter here; `None` means "not set, inherit".
#[derive(Debug, Clone, Default)]
pub struct StyleDef {
    pub parent: Option<String>,
    /// `text:display` is `none` (or `condition`, which hides when the condition holds).
    pub display_none: Option<bool>,
    pub colour: Option<Colour>,
    /// Highlight behind the text (`fo:background-color` on text properties); `Some(None)`
    /// is an explicit `transparent`.
    pub highlight: Option<Option<Rgb>>,
    /// Shading of a paragraph (`fo:background-color` on paragraph properties).
    pub para_bg: Option<Option<Rgb>>,
    /// Background of a table cell (`fo:background-color` on table-cell properties).
    pub cell_bg: Option<Option<Rgb>>,
    pub size: Option<Size>,
    /// `table:display` on table properties: `false` hides the sheet.
    pub table_display: Option<bool>,
    /// `presentation:visibility="hidden"` on a drawing page: a hidden slide.
    pub page_hidden: Option<bool>,
    pub fill_kind: Option<FillKind>,
    pub fill_colour: Option<Rgb>,
    /// Background of a Writer frame (`fo:background-color` on graphic properties).
    pub frame_bg: Option<Option<Rgb>>,
    pub data_style: Option<String>,
}

impl StyleDef {
    /// The shape fill this style gives (no fill unless a style sets one).
    pub fn fill(&self) -> Fill {
        match self.fill_kind {
            Some(FillKind::Solid) => Fill::Solid(self.fill_colour.unwrap_or([0x72, 0x9f, 0xcf])),
            Some(FillKind::Pattern) => Fill::Pattern,
            Some(FillKind::None) => Fill::None,
            None => match self.frame_bg {
                Some(Some(c)) => Fill::Solid(c),
                _ => Fill::None,
            },
        }
    }

    /// Fills every unset property from `parent`.
    fn inherit(&mut self, parent: &StyleDef) {
        macro_rules! take {
            ($($f:ident),*) => { $( if self.$f.is_none() { self.$f = parent.$f.clone(); } )* };
        }
        take!(
            display_none,
            colour,
            highlight,
            para_bg,
            cell_bg,
            table_display,
            page_hidden,
            fill_kind,
            fill_colour,
            frame_bg,
            data_style
        );
        self.size = match (self.size, parent.size) {
            (None, p) => p,
            (Some(Size::Percent(p)), Some(Size::Pt(base))) => Some(Size::Pt(base * p / 100.0)),
            (Some(Size::Percent(p)), Some(Size::Percent(q))) => Some(Size::Percent(p * q / 100.0)),
            (s, _) => s,
        };
    }
}

/// What a data (number) style shows: ODF's equivalent of Excel's `;;;` formats.
#[derive(Debug, Clone, Copy, Default)]
pub struct DataStyle {
    /// The style shows no digits, no text and no fixed text: numbers vanish.
    pub shows_nothing: bool,
    /// A text style with no `number:text-content`: the cell's text vanishes.
    pub hides_text: bool,
}

/// Every style of a document, with the page geometry presentations need.
#[derive(Debug, Default)]
pub struct Styles {
    common: HashMap<(String, String), StyleDef>,
    auto: HashMap<(String, String), StyleDef>,
    defaults: HashMap<String, StyleDef>,
    /// Page layout name → (width, height) in points.
    pub page_layouts: HashMap<String, (f64, f64)>,
    /// Master page name → page layout name.
    pub masters: HashMap<String, String>,
    /// Master page name → its drawing-page style (a slide's background comes from it).
    pub master_pages: HashMap<String, String>,
    data_styles: HashMap<String, DataStyle>,
    /// Drawing layers switched off (`draw:display="none"`): shapes on them are not shown.
    pub hidden_layers: HashSet<String>,
}

/// Longest chain of parent styles followed (a cycle stops here too).
const MAX_CHAIN: usize = 16;
/// Most styles kept per document: a hostile part cannot grow the maps without bound.
const MAX_STYLES: usize = 200_000;

impl Styles {
    /// A new part starts: its automatic styles replace the previous part's.
    pub fn start_part(&mut self) {
        self.auto.clear();
    }

    /// The style `name` of `family`, with every inherited property filled in.
    pub fn resolve(&self, family: &str, name: &str) -> StyleDef {
        let mut out = StyleDef::default();
        let mut next = Some(name.to_string());
        let mut first = true;
        for _ in 0..MAX_CHAIN {
            let Some(n) = next.take() else { break };
            let key = (family.to_string(), n);
            // The named style is looked up in the part's automatic styles first; its
            // parents are always common styles.
            let found = if first {
                self.auto.get(&key).or_else(|| self.common.get(&key))
            } else {
                self.common.get(&key)
            };
            first = false;
            let Some(def) = found else { break };
            out.inherit(def);
            next = def.parent.clone();
        }
        if let Some(d) = self.defaults.get(family) {
            out.inherit(d);
        }
        out
    }

    /// The family's default style alone.
    pub fn default_of(&self, family: &str) -> StyleDef {
        self.defaults.get(family).cloned().unwrap_or_default()
    }

    pub fn data_style(&self, name: &str) -> DataStyle {
        self.data_styles.get(name).copied().unwrap_or_default()
    }

    /// Size of the page a master page uses, in points.
    pub fn page_size(&self, master: &str) -> Option<(f64, f64)> {
        let layout = self.masters.get(master)?;
        self.page_layouts.get(layout).copied()
    }

    fn insert(&mut self, auto: bool, family: String, name: String, def: StyleDef) {
        if self.common.len() + self.auto.len() >= MAX_STYLES {
            return;
        }
        let map = if auto {
            &mut self.auto
        } else {
            &mut self.common
        };
        map.insert((family, name), def);
    }

    /// Reads `office:styles` or `office:automatic-styles` (its start tag already read) up
    /// to its end tag.
    pub fn read_block<R: BufRead>(&mut self, xml: &mut XmlReader<R>, auto: bool) -> ScanResult<()> {
        // The style being read: (family, name, definition, is default style).
        let mut current: Option<(String, String, StyleDef, bool)> = None;
        let mut layout: Option<(String, Option<f64>, Option<f64>)> = None;
        let mut data: Option<(String, bool, DataStyle, bool)> = None;
        let mut depth = 0u32;
        loop {
            let ev = xml.next_event()?;
            let (e, empty) = match &ev {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(e) => {
                    let name = local_end(e.name().0).to_string();
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    self.end_element(&name, auto, &mut current, &mut layout, &mut data);
                    continue;
                }
                Event::Eof => return Ok(()),
                _ => continue,
            };
            let name = local(e).to_string();
            match name.as_str() {
                "style" | "default-style" => {
                    let family = attr(e, "family").unwrap_or_default().into_owned();
                    let sname = attr(e, "name").unwrap_or_default().into_owned();
                    let def = StyleDef {
                        parent: attr(e, "parent-style-name").map(|p| p.into_owned()),
                        data_style: attr(e, "data-style-name").map(|p| p.into_owned()),
                        ..Default::default()
                    };
                    current = Some((family, sname, def, name == "default-style"));
                }
                "page-layout" => {
                    layout = Some((attr(e, "name").unwrap_or_default().into_owned(), None, None));
                }
                "page-layout-properties" => {
                    if let Some(l) = &mut layout {
                        l.1 = attr(e, "page-width").and_then(|v| length_pt(&v));
                        l.2 = attr(e, "page-height").and_then(|v| length_pt(&v));
                    }
                }
                "number-style" | "currency-style" | "percentage-style" | "date-style"
                | "time-style" | "boolean-style" | "text-style" => {
                    let dname = attr(e, "name").unwrap_or_default().into_owned();
                    data = Some((
                        dname,
                        name == "text-style",
                        DataStyle {
                            shows_nothing: true,
                            hides_text: name == "text-style",
                        },
                        false,
                    ));
                }
                "text-properties"
                | "paragraph-properties"
                | "table-cell-properties"
                | "table-properties"
                | "graphic-properties"
                | "drawing-page-properties" => {
                    if let Some((_, _, def, _)) = &mut current {
                        read_properties(&name, e, def);
                    }
                }
                _ => {
                    if let Some((_, is_text, ds, _)) = &mut data {
                        // Anything a data style draws: digits, fixed text, the cell text,
                        // date and time parts, a boolean, a currency symbol.
                        match name.as_str() {
                            "text-content" => {
                                ds.hides_text = false;
                                ds.shows_nothing = false;
                            }
                            "text" if !*is_text => ds.shows_nothing = false,
                            "map" | "text-properties" => {}
                            _ if !*is_text => ds.shows_nothing = false,
                            _ => {}
                        }
                    }
                }
            }
            if empty {
                self.end_element(&name, auto, &mut current, &mut layout, &mut data);
            } else {
                depth += 1;
            }
        }
    }

    fn end_element(
        &mut self,
        name: &str,
        auto: bool,
        current: &mut Option<(String, String, StyleDef, bool)>,
        layout: &mut Option<(String, Option<f64>, Option<f64>)>,
        data: &mut Option<(String, bool, DataStyle, bool)>,
    ) {
        match name {
            "style" | "default-style" => {
                if let Some((family, sname, def, is_default)) = current.take() {
                    if is_default {
                        self.defaults.insert(family, def);
                    } else {
                        self.insert(auto, family, sname, def);
                    }
                }
            }
            "page-layout" => {
                if let Some((n, Some(w), Some(h))) = layout.take() {
                    self.page_layouts.insert(n, (w, h));
                }
            }
            "number-style" | "currency-style" | "percentage-style" | "date-style"
            | "time-style" | "boolean-style" | "text-style" => {
                if let Some((n, _, ds, _)) = data.take()
                    && self.data_styles.len() < MAX_STYLES
                {
                    self.data_styles.insert(n, ds);
                }
            }
            _ => {}
        }
    }
}

/// Copies the properties that can hide content from one `style:*-properties` element.
fn read_properties(kind: &str, e: &BytesStart<'_>, def: &mut StyleDef) {
    match kind {
        "text-properties" => {
            if let Some(d) = attr(e, "display") {
                def.display_none = Some(matches!(d.trim(), "none" | "condition"));
            }
            if attr(e, "use-window-font-color").as_deref() == Some("true") {
                def.colour = Some(Colour::Auto);
            } else if let Some(c) = attr(e, "color").and_then(|c| parse_colour(&c)) {
                def.colour = Some(Colour::Rgb(c));
            }
            if let Some(bg) = attr(e, "background-color") {
                def.highlight = Some(parse_colour(&bg));
            }
            if let Some(s) = attr(e, "font-size").and_then(|s| parse_size(&s)) {
                def.size = Some(s);
            }
        }
        "paragraph-properties" => {
            if let Some(bg) = attr(e, "background-color") {
                def.para_bg = Some(parse_colour(&bg));
            }
        }
        "table-cell-properties" => {
            if let Some(bg) = attr(e, "background-color") {
                def.cell_bg = Some(parse_colour(&bg));
            }
        }
        "table-properties" => {
            if let Some(d) = attr(e, "display") {
                def.table_display = Some(d.trim() != "false");
            }
        }
        "drawing-page-properties" => {
            if let Some(v) = attr(e, "visibility") {
                def.page_hidden = Some(v.trim() == "hidden");
            }
            read_fill(e, def);
        }
        "graphic-properties" => read_fill(e, def),
        _ => {}
    }
}

fn read_fill(e: &BytesStart<'_>, def: &mut StyleDef) {
    match attr(e, "fill").as_deref().map(str::trim) {
        Some("none") => def.fill_kind = Some(FillKind::None),
        Some("solid") => def.fill_kind = Some(FillKind::Solid),
        Some("bitmap" | "gradient" | "hatch") => def.fill_kind = Some(FillKind::Pattern),
        _ => {}
    }
    if let Some(c) = attr(e, "fill-color").and_then(|c| parse_colour(&c)) {
        def.fill_colour = Some(c);
    }
    // Writer frames give their background as `fo:background-color`.
    if let Some(bg) = attr(e, "background-color") {
        def.frame_bg = Some(parse_colour(&bg));
    }
}

/// `#rrggbb`; `transparent` and anything unreadable are `None`.
pub fn parse_colour(v: &str) -> Option<Rgb> {
    let hex = v.trim().strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let n = u32::from_str_radix(hex, 16).ok()?;
    Some([(n >> 16) as u8, (n >> 8) as u8, n as u8])
}

fn parse_size(v: &str) -> Option<Size> {
    let v = v.trim();
    if let Some(p) = v.strip_suffix('%') {
        return p
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|p| p.is_finite())
            .map(Size::Percent);
    }
    length_pt(v).map(Size::Pt)
}

/// An ODF length (`2.5cm`, `12pt`, `1in`, `10mm`, `3pc`, `96px`) in points.
pub fn length_pt(v: &str) -> Option<f64> {
    let v = v.trim();
    let split = v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len());
    let (num, unit) = v.split_at(split);
    let n: f64 = num.trim().parse().ok()?;
    let factor = match unit.trim() {
        "pt" | "" => 1.0,
        "in" | "inch" => 72.0,
        "cm" => 72.0 / 2.54,
        "mm" => 72.0 / 25.4,
        "pc" => 12.0,
        "px" => 0.75,
        _ => return None,
    };
    let out = n * factor;
    out.is_finite().then_some(out)
}

/// Colours a reader cannot tell apart (the same tolerance as the xlsx check).
pub fn close(a: Rgb, b: Rgb) -> bool {
    a.iter().zip(b.iter()).all(|(x, y)| x.abs_diff(*y) <= 12)
}

/// Dark enough to hide black text: black highlight, dark shading, a black box.
pub fn dark(c: Rgb) -> bool {
    let [r, g, b] = c.map(f64::from);
    0.299 * r + 0.587 * g + 0.114 * b < 64.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(xml: &str) -> Styles {
        let mut s = Styles::default();
        let mut r = XmlReader::new(xml.as_bytes(), "styles.xml");
        // Skip to the block's start tag.
        loop {
            if let Event::Start(_) = r.next_event().expect("xml") {
                break;
            }
        }
        s.read_block(&mut r, false).expect("reads");
        s
    }

    #[test]
    fn styles_inherit_through_parents_and_defaults() {
        let s = styles(
            r##"<office:styles xmlns:office="o" xmlns:style="s" xmlns:fo="f" xmlns:text="t">
            <style:default-style style:family="paragraph"><style:text-properties fo:font-size="12pt"/></style:default-style>
            <style:style style:name="Base" style:family="text"><style:text-properties fo:color="#ffffff"/></style:style>
            <style:style style:name="Tiny" style:family="text" style:parent-style-name="Base"><style:text-properties fo:font-size="1pt" text:display="none"/></style:style>
            <style:style style:name="Loop" style:family="text" style:parent-style-name="Loop"/>
            </office:styles>"##,
        );
        let t = s.resolve("text", "Tiny");
        assert_eq!(t.colour, Some(Colour::Rgb(WHITE)));
        assert_eq!(t.size, Some(Size::Pt(1.0)));
        assert_eq!(t.display_none, Some(true));
        assert_eq!(s.resolve("paragraph", "none").size, Some(Size::Pt(12.0)));
        assert!(s.resolve("text", "Loop").colour.is_none());
    }

    #[test]
    fn lengths_and_colours() {
        assert_eq!(length_pt("1in"), Some(72.0));
        assert!((length_pt("2.54cm").unwrap() - 72.0).abs() < 1e-9);
        assert_eq!(length_pt("12"), Some(12.0));
        assert_eq!(length_pt("x"), None);
        assert_eq!(parse_colour("#000000"), Some([0, 0, 0]));
        assert_eq!(parse_colour("transparent"), None);
        assert!(dark([10, 10, 10]) && !dark([255, 255, 0]));
    }
}
