//! Streaming XML on top of quick-xml: events one at a time, text with entities resolved,
//! attributes by local name. No DOM is ever built, and quick-xml expands no custom entities.

pub mod fast;

use crate::context::{ScanError, ScanResult};
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::io::BufRead;

/// A pull parser over any buffered reader (a capped zip part or a byte slice).
pub struct XmlReader<R: BufRead> {
    reader: quick_xml::Reader<R>,
    buf: Vec<u8>,
    part: String,
    /// Open elements; a part that ends with some still open was cut short.
    depth: u32,
    /// Accept a DOCTYPE that only names an external DTD (see [`XmlReader::allow_external_doctype`]).
    external_doctype: bool,
}

impl<R: BufRead> XmlReader<R> {
    pub fn new(inner: R, part: &str) -> Self {
        let mut reader = quick_xml::Reader::from_reader(inner);
        let cfg = reader.config_mut();
        cfg.trim_text(false);
        cfg.check_end_names = false;
        cfg.allow_unmatched_ends = true;
        cfg.expand_empty_elements = false;
        XmlReader {
            reader,
            buf: Vec::with_capacity(8 * 1024),
            part: part.to_string(),
            depth: 0,
            external_doctype: false,
        }
    }

    /// Accepts `<!DOCTYPE x PUBLIC "..." "module.dtd">`, which OpenOffice writes at the top
    /// of Basic modules and older ODF parts. The DTD is never fetched, and quick-xml expands
    /// no entity it would declare; a DOCTYPE with an internal subset (`[...]`, where entity
    /// declarations live) is still refused.
    pub fn allow_external_doctype(&mut self) {
        self.external_doctype = true;
    }

    /// The next event; `Event::Eof` at the end. Malformed XML is a [`ScanError`].
    pub fn next_event(&mut self) -> ScanResult<Event<'_>> {
        self.buf.clear();
        let part = &self.part;
        match self.reader.read_event_into(&mut self.buf) {
            Ok(Event::DocType(d)) if self.external_doctype && !d.contains('[') => {
                Ok(Event::DocType(d))
            }
            // OPC forbids DTDs; one here is a malformed or hostile part (entity expansion).
            Ok(Event::DocType(_)) => Err(ScanError::new(format!(
                "{part}: contains a DTD, which office packages do not allow (possible entity-expansion attack)"
            ))),
            Ok(Event::Start(e)) => {
                self.depth += 1;
                Ok(Event::Start(e))
            }
            Ok(Event::End(e)) => {
                self.depth = self.depth.saturating_sub(1);
                Ok(Event::End(e))
            }
            Ok(Event::Eof) if self.depth > 0 => Err(ScanError::new(format!(
                "{part}: the XML ends before its elements close (truncated part)"
            ))),
            Ok(ev) => Ok(ev),
            Err(e) => Err(ScanError::new(format!("{part}: malformed XML ({e})"))),
        }
    }
}

/// Local name of an element (`x:row` → `row`).
pub fn local<'a>(e: &'a BytesStart<'_>) -> &'a str {
    local_end(e.name().0)
}

/// Local part of a qualified name.
pub fn local_end(name: &str) -> &str {
    match memchr::memrchr(b':', name.as_bytes()) {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// Attribute value by local name, entities resolved. Borrowed unless it had to change.
pub fn attr<'a>(e: &'a BytesStart<'_>, name: &str) -> Option<Cow<'a, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| local_end(a.key.0) == name)
        .map(attr_value)
}

/// Values of several attributes in one pass over the element (for hot elements such as
/// `<c>` and `<row>`): `out[i]` gets the value of `names[i]`.
pub fn attrs<'a, const N: usize>(
    e: &'a BytesStart<'_>,
    names: [&str; N],
) -> [Option<Cow<'a, str>>; N] {
    let mut out: [Option<Cow<'a, str>>; N] = std::array::from_fn(|_| None);
    for a in e.attributes().with_checks(false).flatten() {
        let key = local_end(a.key.0);
        if let Some(i) = names.iter().position(|n| *n == key) {
            out[i] = Some(attr_value(a));
        }
    }
    out
}

/// An attribute's value with entities and whitespace resolved; borrowed unless it changed.
pub fn attr_value(a: quick_xml::events::attributes::Attribute<'_>) -> Cow<'_, str> {
    if !a
        .value
        .bytes()
        .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'))
    {
        return a.value;
    }
    match a.normalized_value(XmlVersion::Implicit1_0) {
        Ok(v) => Cow::Owned(v.into_owned()),
        Err(_) => a.value,
    }
}

/// Attribute as a flag: `1` or `true`.
pub fn attr_flag(e: &BytesStart<'_>, name: &str) -> bool {
    matches!(attr(e, name).as_deref(), Some("1" | "true" | "on"))
}

pub fn attr_u32(e: &BytesStart<'_>, name: &str) -> Option<u32> {
    attr(e, name)?.trim().parse().ok()
}

pub fn attr_f64(e: &BytesStart<'_>, name: &str) -> Option<f64> {
    attr(e, name)?.trim().parse().ok()
}

/// Appends the text of a text-like event to `out`; returns false for other events.
pub fn push_text(ev: &Event<'_>, out: &mut String) -> bool {
    match ev {
        Event::Text(t) => {
            out.push_str(&t.xml10_content());
            true
        }
        Event::CData(t) => {
            out.push_str(&t.xml10_content());
            true
        }
        Event::GeneralRef(r) => {
            if let Ok(Some(c)) = r.resolve_char_ref() {
                out.push(c);
            } else if let Some(s) = resolve_predefined_entity(r) {
                out.push_str(s);
            } else {
                out.push('&');
                out.push_str(r);
                out.push(';');
            }
            true
        }
        _ => false,
    }
}

/// Reads a whole small XML part and calls `f` for each start/empty element, with the text
/// collected up to its end when `f` asks for it. Convenience for small parts.
pub fn for_each_element<R: BufRead>(
    xml: &mut XmlReader<R>,
    mut f: impl FnMut(&BytesStart<'_>, bool) -> ScanResult<()>,
) -> ScanResult<()> {
    loop {
        match xml.next_event()? {
            Event::Start(e) => f(&e, false)?,
            Event::Empty(e) => f(&e, true)?,
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// Error for a required part that is missing.
pub fn missing(part: &str) -> ScanError {
    ScanError::new(format!("required part {part} is missing"))
}
