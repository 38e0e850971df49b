//! OpenDocument: spreadsheets (ods), text documents (odt) and presentations (odp), as zip
//! packages and as flat XML (fods, fodt, fodp: one `<office:document>`). Both forms go
//! through the same code: a package's parts (`styles.xml`, `content.xml`, `meta.xml`,
//! `settings.xml`) are the children of a flat document's root, read in the same order.
//!
//! Submodules, one concern each:
//! - [`package`]: the zip package, its manifest and the fate of every part (ledger);
//! - [`document`]: one document's XML, root element to body, shared by both forms;
//! - [`styles`]: what styles hide or disguise;
//! - [`flow`]: the text flow of documents (paragraphs, tables, notes, comments, shapes);
//! - [`text`], [`presentation`], [`spreadsheet`], [`chart`]: each kind of body;
//! - [`meta`]: `meta.xml` and `settings.xml`; [`macros`]: Basic and scripts;
//! - [`report`]: the structural findings of a walked flow.

pub mod chart;
pub mod document;
pub mod flow;
pub mod macros;
pub mod meta;
pub mod package;
pub mod presentation;
pub mod report;
pub mod spreadsheet;
pub mod styles;
pub mod text;

use crate::context::{Ctx, ScanResult};
use crate::formats::Format;
use crate::model::Location;
use crate::xml::{XmlReader, attr_value, local_end, push_text};
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// What an ODF document (or embedded object) is, from its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Spreadsheet,
    Presentation,
    Drawing,
    Chart,
    Formula,
    Other,
}

impl Kind {
    /// `application/vnd.oasis.opendocument.spreadsheet` (and templates, masters...).
    pub fn of(media_type: &str) -> Kind {
        let m = media_type.trim().to_ascii_lowercase();
        let Some(rest) = m.split("opendocument.").nth(1) else {
            return Kind::Other;
        };
        match rest.split(['-', ';']).next().unwrap_or_default() {
            "text" => Kind::Text,
            "spreadsheet" => Kind::Spreadsheet,
            "presentation" => Kind::Presentation,
            "graphics" => Kind::Drawing,
            "chart" => Kind::Chart,
            "formula" => Kind::Formula,
            _ => Kind::Other,
        }
    }

    pub fn format(self) -> Option<Format> {
        match self {
            Kind::Text => Some(Format::Odt),
            Kind::Spreadsheet => Some(Format::Ods),
            Kind::Presentation => Some(Format::Odp),
            _ => None,
        }
    }

    /// How a reader names it in a message.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Text => "text document",
            Kind::Spreadsheet => "spreadsheet",
            Kind::Presentation => "presentation",
            Kind::Drawing => "drawing",
            Kind::Chart => "chart",
            Kind::Formula => "formula",
            Kind::Other => "object",
        }
    }
}

/// Inspects a zipped ODF package (ods, odt, odp).
pub fn inspect(bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    package::inspect(bytes, ctx)
}

/// Inspects a flat ODF document (fods, fodt, fodp).
pub fn inspect_flat(bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    document::flat(bytes, ctx)
}

/// The format of a flat ODF document: text whose root element is `office:document` with
/// an `office:mimetype` of an ODF text, spreadsheet or presentation.
pub fn sniff_flat(bytes: &[u8]) -> Option<Format> {
    let head = bytes.get(..bytes.len().min(64 * 1024))?;
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = head.iter().find(|c| !c.is_ascii_whitespace())?;
    if *first != b'<' || memchr::memmem::find(head, b"document").is_none() {
        return None;
    }
    let mut reader = quick_xml::Reader::from_reader(head);
    let mut buf = Vec::new();
    for _ in 0..64 {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) => {
                if local_end(e.name().0) != "document" {
                    return None;
                }
                let mime = e
                    .attributes()
                    .with_checks(false)
                    .flatten()
                    .find(|a| local_end(a.key.0) == "mimetype")
                    .map(|a| attr_value(a).into_owned())?;
                return Kind::of(&mime).format().map(|f| match f {
                    Format::Ods => Format::Fods,
                    Format::Odt => Format::Fodt,
                    _ => Format::Fodp,
                });
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
    None
}

/// An element's name and attributes, owned, so the reader can move on while they are
/// used. Attribute keys keep their prefix (`draw:style-name`).
#[derive(Debug, Clone, Default)]
pub struct Elem {
    pub qname: String,
    pub attrs: Vec<(String, String)>,
}

impl Elem {
    pub fn read(e: &BytesStart<'_>) -> Elem {
        Elem {
            qname: e.name().0.to_string(),
            attrs: e
                .attributes()
                .with_checks(false)
                .flatten()
                .filter(|a| !a.key.0.starts_with("xmlns"))
                .map(|a| (a.key.0.to_string(), attr_value(a).into_owned()))
                .collect(),
        }
    }

    pub fn local(&self) -> &str {
        local_end(&self.qname)
    }

    pub fn prefix(&self) -> &str {
        self.qname.rsplit_once(':').map(|(p, _)| p).unwrap_or("")
    }

    /// Attribute by local name (the first, whatever its prefix).
    pub fn get(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| local_end(k) == local)
            .map(|(_, v)| v.as_str())
    }

    /// Attribute by qualified name.
    pub fn get_q(&self, qname: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == qname)
            .map(|(_, v)| v.as_str())
    }
}

/// Longest text collected from one element; beyond it the rest is dropped (the part's
/// own size cap bounds the whole anyway).
const MAX_COLLECT: usize = 16 << 20;

/// The text of the element whose start tag was just read, up to its end tag: paragraphs
/// on lines of their own, `text:s`, `text:tab` and `text:line-break` resolved.
pub fn collect_text<R: BufRead>(xml: &mut XmlReader<R>, ctx: &Ctx<'_>) -> ScanResult<String> {
    let mut out = String::new();
    let mut depth = 0u32;
    let mut events = 0u64;
    loop {
        events += 1;
        if events.is_multiple_of(8192) {
            ctx.check_time()?;
        }
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match local_end(e.name().0) {
                    "s" => {
                        let n = e
                            .attributes()
                            .with_checks(false)
                            .flatten()
                            .find(|a| local_end(a.key.0) == "c")
                            .and_then(|a| attr_value(a).trim().parse::<usize>().ok())
                            .unwrap_or(1)
                            .clamp(1, 64);
                        out.extend(std::iter::repeat_n(' ', n));
                    }
                    "tab" => out.push('\t'),
                    "line-break" => out.push('\n'),
                    "p" | "h" if !out.is_empty() && !out.ends_with('\n') => out.push('\n'),
                    _ => {}
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(_) => {
                if depth == 0 {
                    return Ok(out);
                }
                depth -= 1;
            }
            Event::Eof => return Ok(out),
            other => {
                if out.len() < MAX_COLLECT {
                    push_text(other, &mut out);
                }
            }
        }
    }
}

/// Skips the element whose start tag was just read, up to its end tag.
pub fn skip<R: BufRead>(xml: &mut XmlReader<R>) -> ScanResult<()> {
    let mut depth = 0u32;
    loop {
        match xml.next_event()? {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                if depth == 0 {
                    return Ok(());
                }
                depth -= 1;
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// Location of `part` in the file being inspected; a flat document has no parts.
pub fn loc(ctx: &Ctx<'_>, part: &str) -> Location {
    if part.is_empty() {
        ctx.loc_file()
    } else {
        ctx.loc(part)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_media_types() {
        assert_eq!(
            Kind::of("application/vnd.oasis.opendocument.spreadsheet"),
            Kind::Spreadsheet
        );
        assert_eq!(
            Kind::of("application/vnd.oasis.opendocument.text-template"),
            Kind::Text
        );
        assert_eq!(
            Kind::of("application/vnd.oasis.opendocument.presentation"),
            Kind::Presentation
        );
        assert_eq!(
            Kind::of("application/vnd.oasis.opendocument.chart"),
            Kind::Chart
        );
        assert_eq!(Kind::of("text/xml"), Kind::Other);
    }

    #[test]
    fn flat_documents_are_sniffed_from_their_root() {
        let fods = br#"<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body/></office:document>"#;
        assert_eq!(sniff_flat(fods), Some(Format::Fods));
        let other = br#"<?xml version="1.0"?><html><body/></html>"#;
        assert_eq!(sniff_flat(other), None);
        let no_mime = br#"<office:document xmlns:office="o"/>"#;
        assert_eq!(sniff_flat(no_mime), None);
    }
}
