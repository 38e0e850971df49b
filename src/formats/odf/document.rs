//! One ODF document's XML, from the root element to the body. A package splits it into
//! parts (`styles.xml`, `content.xml`, `meta.xml`, `settings.xml`), each with its own root
//! (`office:document-styles`, `office:document-content`...); a flat document has all of
//! it under one `office:document`. Both are read here, child by child, in document order:
//! styles before master pages before the body, so each body is judged with its styles.

use super::flow::{Found, Mode, Sink, Walker};
use super::meta::Meta;
use super::spreadsheet::SheetInfo;
use super::styles::Styles;
use super::{Elem, Kind, collect_text, loc, macros, meta, report, skip};
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::formats::embedded;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::xml::{XmlReader, local_end};
use quick_xml::events::Event;
use std::io::BufRead;

/// What is known of one document (the file, or an object embedded in it) while its
/// parts are read.
pub struct DocState {
    pub kind: Kind,
    pub styles: Styles,
    pub meta: Meta,
    pub macros: macros::Macros,
    /// Embedded objects the frames point to (packages read them after the parts).
    pub objects: Vec<super::flow::ObjectRef>,
    /// Sheets of a spreadsheet, for chart sources and embedded charts.
    pub sheets: Vec<SheetInfo>,
    /// Sheets of the spreadsheet an embedded chart belongs to.
    pub parent_sheets: Vec<SheetInfo>,
    /// The body was found (a package without one is not a document).
    pub body_seen: bool,
    /// How deep in the host's elements an inline embedded document starts.
    pub nesting: u32,
}

impl DocState {
    /// A walker over this document's flow, with its styles and nesting budget.
    pub fn walker(&self, part: &str, mode: Mode) -> Walker<'_> {
        Walker::new(&self.styles, part, mode).nested_in(self.nesting)
    }

    pub fn new(kind: Kind) -> Self {
        DocState {
            kind,
            styles: Styles::default(),
            meta: Meta::default(),
            macros: macros::Macros::default(),
            objects: Vec::new(),
            sheets: Vec::new(),
            parent_sheets: Vec::new(),
            body_seen: false,
            nesting: 0,
        }
    }

    fn mode(&self) -> Mode {
        match self.kind {
            Kind::Spreadsheet => Mode::Spreadsheet,
            Kind::Presentation | Kind::Drawing => Mode::Presentation,
            _ => Mode::Text,
        }
    }
}

/// Roots an ODF part (or flat document) may have.
const ROOTS: &[&str] = &[
    "document",
    "document-content",
    "document-styles",
    "document-meta",
    "document-settings",
];

/// Reads one part (or a whole flat document) into `doc`.
pub fn read_part<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    doc: &mut DocState,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    xml.allow_external_doctype();
    loop {
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) => {
                let name = local_end(e.name().0).to_string();
                if !ROOTS.contains(&name.as_str()) {
                    return Err(ScanError::new(format!(
                        "{} is not an OpenDocument part (its root element is <{name}>)",
                        part_name(part)
                    )));
                }
                drop(ev);
                doc.styles.start_part();
                return read_children(xml, part, doc, ctx);
            }
            Event::Empty(_) => return Ok(()),
            Event::Eof => {
                return Err(ScanError::new(format!(
                    "{} holds no XML document",
                    part_name(part)
                )));
            }
            _ => {}
        }
    }
}

fn part_name(part: &str) -> &str {
    if part.is_empty() {
        "the document"
    } else {
        part
    }
}

/// Reads the children of a document root (its start tag already read) up to its end.
pub fn read_children<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    doc: &mut DocState,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    loop {
        ctx.check_time()?;
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(_) | Event::Eof => return Ok(()),
            _ => continue,
        };
        drop(ev);
        if empty {
            continue;
        }
        match elem.local() {
            "meta" => meta::read_meta(xml, part, &mut doc.meta, ctx)?,
            "settings" => meta::read_settings(xml, part, ctx)?,
            "scripts" => macros::read_scripts(xml, part, &mut doc.macros, ctx)?,
            "font-face-decls" => skip(xml)?,
            "styles" => doc.styles.read_block(xml, false)?,
            "automatic-styles" => doc.styles.read_block(xml, true)?,
            "master-styles" => master_styles(xml, part, doc, ctx)?,
            "body" => body(xml, part, doc, ctx)?,
            _ => hidden_text(xml, part, ctx, "document settings")?,
        }
    }
}

/// Sends the whole text of an element nobody sees as one hidden item.
pub fn hidden_text<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    ctx: &mut Ctx<'_>,
    detail: &str,
) -> ScanResult<()> {
    let t = collect_text(xml, ctx)?;
    ctx.item(&Item {
        text: &t,
        kind: ItemKind::Text,
        hidden: true,
        part,
        sheet: None,
        cell: None,
        detail: Some(detail),
        doc: DocPlace::NONE,
    });
    Ok(())
}

/// `office:master-styles`: page sizes, drawing layers, headers and footers (text
/// documents and spreadsheets) and the shapes of master slides (presentations).
fn master_styles<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    doc: &mut DocState,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut depth = 0u32;
    loop {
        ctx.check_time()?;
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
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
            "layer" => {
                if elem.get("display") == Some("none")
                    && let Some(n) = elem.get("name")
                {
                    doc.styles.hidden_layers.insert(n.to_string());
                }
                if !empty {
                    skip(xml)?;
                }
            }
            "master-page" | "handout-master" => {
                if let (Some(n), Some(l)) = (elem.get("name"), elem.get("page-layout-name")) {
                    doc.styles.masters.insert(n.to_string(), l.to_string());
                }
                if let (Some(n), Some(s)) = (elem.get("name"), elem.get_q("draw:style-name")) {
                    doc.styles.master_pages.insert(n.to_string(), s.to_string());
                }
                if empty {
                    continue;
                }
                let mut w = doc.walker(part, doc.mode());
                if elem.local() == "handout-master" {
                    w.push_hide(super::flow::Hide::Shape);
                }
                w.block(xml, ctx, &mut Sink::Emit)?;
                report::flow(ctx, &w.found, w.mode);
                doc.objects.extend(w.found.objects);
            }
            _ => {
                if !empty {
                    depth += 1;
                }
            }
        }
    }
}

/// `office:body`: one body element, read by the module for its kind.
fn body<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    doc: &mut DocState,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    loop {
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(_) | Event::Eof => return Ok(()),
            _ => continue,
        };
        drop(ev);
        doc.body_seen = true;
        if empty {
            continue;
        }
        match elem.local() {
            "text" => super::text::body(xml, part, doc, ctx)?,
            "spreadsheet" => super::spreadsheet::body(xml, part, doc, ctx)?,
            "presentation" | "drawing" => super::presentation::body(xml, part, doc, ctx)?,
            "chart" => super::chart::body(xml, part, doc, ctx)?,
            _ => {
                // Any other body (an image, a database form): its text, as hidden content.
                let mut w = doc.walker(part, Mode::Text);
                w.push_hide(super::flow::Hide::Shape);
                w.block(xml, ctx, &mut Sink::Emit)?;
            }
        }
    }
}

/// Reports what a document's parts gave beyond its body: properties and macros.
pub fn finish(doc: &DocState, ctx: &mut Ctx<'_>) {
    meta::report(&doc.meta, ctx);
    macros::report(&doc.macros, ctx);
}

/// A flat document (fods, fodt, fodp): one XML stream.
pub fn flat(bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let kind = super::sniff_flat(bytes)
        .map(|f| match f {
            crate::formats::Format::Fods => Kind::Spreadsheet,
            crate::formats::Format::Fodt => Kind::Text,
            _ => Kind::Presentation,
        })
        .unwrap_or(Kind::Text);
    ctx.charge_inflated(bytes.len() as u64)?;
    let mut doc = DocState::new(kind);
    let mut xml = XmlReader::new(bytes, "");
    read_part(&mut xml, "", &mut doc, ctx)?;
    if !doc.body_seen {
        return Err(ScanError::new("the document has no body"));
    }
    finish(&doc, ctx);
    Ok(())
}

/// An object embedded inline in a flat document (`draw:object` holding an
/// `office:document`): scanned one container level deeper, as its own document.
pub fn nested_flat<R: BufRead>(
    xml: &mut XmlReader<R>,
    ctx: &mut Ctx<'_>,
    root: &Elem,
    name: &str,
    hidden: bool,
    nesting: u32,
) -> ScanResult<()> {
    let kind = root.get("mimetype").map(Kind::of).unwrap_or(Kind::Other);
    if kind != Kind::Chart && kind != Kind::Formula {
        let key = format!("{name}:{}", root.get("mimetype").unwrap_or_default());
        report_embedded(ctx, "", name, kind, hidden, &key);
    }
    let done = ctx.nested(name, |ctx| {
        let mut doc = DocState::new(kind);
        doc.nesting = nesting + 1;
        read_children(xml, "", &mut doc, ctx)?;
        finish(&doc, ctx);
        Ok(())
    })?;
    if done.is_none() {
        skip(xml)?;
    }
    Ok(())
}

/// `embedded-object`: a spreadsheet, document or drawing carried inside this one. `key`
/// identifies its content (the CRC-32 of its parts in a package).
pub fn report_embedded(
    ctx: &mut Ctx<'_>,
    part: &str,
    name: &str,
    kind: Kind,
    hidden: bool,
    key: &str,
) {
    let shown = if hidden {
        "; it sits in hidden content"
    } else {
        ""
    };
    let mut l = loc(ctx, part);
    l.story = None;
    ctx.report(
        "embedded-object",
        Severity::Medium,
        true,
        l,
        format!(
            "embedded {} '{name}'{shown}; its content is scanned too",
            kind.noun()
        ),
        key,
    );
}

/// An OLE object stored inline in a flat document (`office:binary-data`, base64).
pub fn inline_ole(b64: &str, name: &str, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let bytes = super::meta::base64_decode(b64);
    if bytes.is_empty() {
        return Ok(());
    }
    ctx.charge_inflated(bytes.len() as u64)?;
    embedded::inspect_object(name, "", &bytes, ctx)
}

/// The result of walking one body: its findings reported, its objects kept.
pub fn close_walk(doc: &mut DocState, ctx: &mut Ctx<'_>, found: Found, mode: Mode) {
    report::flow(ctx, &found, mode);
    doc.objects.extend(found.objects);
}
