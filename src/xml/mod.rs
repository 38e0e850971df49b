//! Streaming XML on top of quick-xml: events one at a time, text with entities resolved,
//! attributes by local name. No DOM is ever built, and quick-xml expands no custom entities.

pub mod fast;
pub mod wellformed;

use crate::context::{ScanError, ScanResult};
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::io::BufRead;

/// A pull parser over any buffered reader (a capped zip part or a byte slice), checking
/// well-formedness as it goes (see [`wellformed`]).
pub struct XmlReader<R: BufRead> {
    reader: quick_xml::Reader<LineCounter<R>>,
    buf: Vec<u8>,
    part: String,
    /// Accept a DOCTYPE that only names an external DTD (see [`XmlReader::allow_external_doctype`]).
    external_doctype: bool,
    checks: wellformed::WellFormed,
    done: bool,
}

/// Counts the lines a reader has consumed, so an error can name its line. Newlines are
/// counted once per buffer the inner reader hands out, not once per event: quick-xml
/// consumes a few bytes at a time, and counting those one by one cost more than the rest of
/// the checks. The bytes not yet consumed are counted again only when a line is asked for.
/// (quick-xml checks that every byte it reads is UTF-8 itself.)
pub struct LineCounter<R> {
    inner: R,
    /// Newlines in every byte the inner reader has handed out.
    seen_lines: u64,
    /// Bytes handed out but not consumed yet: the front of the inner reader's buffer.
    unconsumed: usize,
}

impl<R: BufRead> LineCounter<R> {
    fn new(inner: R) -> Self {
        LineCounter {
            inner,
            seen_lines: 0,
            unconsumed: 0,
        }
    }

    /// Newlines in the bytes consumed so far.
    fn lines(&mut self) -> u64 {
        let ahead = match self.inner.fill_buf() {
            Ok(buf) => memchr::memchr_iter(b'\n', &buf[..self.unconsumed.min(buf.len())]).count(),
            Err(_) => 0,
        };
        self.seen_lines - ahead as u64
    }
}

impl<R: BufRead> std::io::Read for LineCounter<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let buf = self.inner.fill_buf()?;
        // A reader hands out what it has not consumed first, then anything new after it.
        if buf.len() > self.unconsumed {
            self.seen_lines += memchr::memchr_iter(b'\n', &buf[self.unconsumed..]).count() as u64;
            self.unconsumed = buf.len();
        }
        Ok(buf)
    }

    fn consume(&mut self, amt: usize) {
        self.unconsumed = self.unconsumed.saturating_sub(amt);
        self.inner.consume(amt)
    }
}

impl<R: BufRead> XmlReader<R> {
    pub fn new(inner: R, part: &str) -> Self {
        let mut reader = quick_xml::Reader::from_reader(LineCounter::new(inner));
        let cfg = reader.config_mut();
        cfg.trim_text(false);
        // quick-xml checks that end tags match; the other well-formedness checks are ours.
        cfg.check_end_names = true;
        cfg.allow_unmatched_ends = false;
        cfg.expand_empty_elements = false;
        XmlReader {
            reader,
            buf: Vec::with_capacity(8 * 1024),
            part: part.to_string(),
            external_doctype: false,
            checks: wellformed::WellFormed::default(),
            done: false,
        }
    }

    /// Accepts `<!DOCTYPE x PUBLIC "..." "module.dtd">`, which OpenOffice writes at the top
    /// of Basic modules and older ODF parts. The DTD is never fetched, and quick-xml expands
    /// no entity it would declare; a DOCTYPE with an internal subset (`[...]`, where entity
    /// declarations live) is still refused.
    pub fn allow_external_doctype(&mut self) {
        self.external_doctype = true;
        self.checks.allow_undeclared_entities();
    }

    /// The next event; `Event::Eof` at the end. Malformed XML is a [`ScanError`].
    pub fn next_event(&mut self) -> ScanResult<Event<'_>> {
        self.buf.clear();
        if self.done {
            return Ok(Event::Eof);
        }
        let event = match self.reader.read_event_into(&mut self.buf) {
            Ok(ev) => ev,
            Err(quick_xml::Error::Encoding(_)) => {
                return Err(fault(
                    &self.part,
                    self.reader.get_mut().lines(),
                    wellformed::NOT_UTF8,
                ));
            }
            Err(e) => {
                let why = e.to_string();
                return Err(fault(&self.part, self.reader.get_mut().lines(), &why));
            }
        };
        let problem = match &event {
            Event::DocType(d) if self.external_doctype && !d.contains('[') => {
                self.checks.other_markup();
                None
            }
            // Office packages forbid DTDs; one here is a malformed or hostile part (entity
            // expansion).
            Event::DocType(_) => {
                return Err(ScanError::new(format!(
                    "{}: contains a DTD, which office packages do not allow (possible entity-expansion attack)",
                    self.part
                )));
            }
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let raw = e.attributes_raw().as_bytes();
                self.checks
                    .start_tag(e.name().0.as_bytes(), raw, empty, false)
                    .err()
            }
            Event::End(e) => self.checks.end(e.name().0.as_bytes(), false).err(),
            // quick-xml hands references out as events of their own (`GeneralRef`).
            Event::Text(t) => self.checks.literal_text(t.as_bytes()).err(),
            Event::CData(t) => self.checks.literal_text(t.as_bytes()).err(),
            Event::GeneralRef(r) => self.checks.reference(r.as_bytes()).err(),
            Event::Comment(_) => {
                self.checks.other_markup();
                None
            }
            Event::Decl(d) => self.checks.processing_instruction(d.as_bytes()).err(),
            Event::PI(p) => self.checks.processing_instruction(p.as_bytes()).err(),
            Event::Eof if self.checks.open_elements() > 0 => {
                return Err(ScanError::new(format!(
                    "{}: the XML ends before its elements close (truncated part)",
                    self.part
                )));
            }
            Event::Eof => {
                self.done = true;
                self.checks.eof(&self.part).err()
            }
        };
        if let Some(why) = problem {
            return Err(fault(&self.part, self.reader.get_mut().lines(), why));
        }
        Ok(event)
    }
}

/// "part: not well-formed XML (why) at line N".
fn fault(part: &str, lines: u64, why: &str) -> ScanError {
    ScanError::new(wellformed::fault_message(part, lines + 1, why))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a whole part, giving the first fault.
    fn read_all<R: BufRead>(mut xml: XmlReader<R>) -> ScanResult<()> {
        while !matches!(xml.next_event()?, Event::Eof) {}
        Ok(())
    }

    #[test]
    fn faults_name_their_line_however_the_part_is_buffered() {
        let part =
            "<?xml version=\"1.0\"?>\n<a>\n<b x=\"1\">\n<c/>\n<c x=\"1\" x=\"2\"/>\n</b>\n</a>\n";
        for capacity in [1, 2, 3, 7, 16, 64, 4096] {
            let reader = std::io::BufReader::with_capacity(capacity, part.as_bytes());
            let e = read_all(XmlReader::new(reader, "p.xml")).expect_err("duplicate attribute");
            assert!(
                e.0.contains("given twice") && e.0.ends_with("line 5"),
                "{capacity}: {}",
                e.0
            );
        }
        let e = read_all(XmlReader::new("<a>\n\n</b>".as_bytes(), "p.xml")).expect_err("mismatch");
        assert!(e.0.ends_with("line 3"), "{}", e.0);
    }

    #[test]
    fn references_are_checked_in_text_but_not_in_cdata() {
        read_all(XmlReader::new(
            "<t><![CDATA[AT&T &#0;]]></t>".as_bytes(),
            "p.xml",
        ))
        .expect("CDATA holds no references");
        read_all(XmlReader::new(
            "<t>a &amp; b &#233;</t>".as_bytes(),
            "p.xml",
        ))
        .expect("references XML allows");
        for bad in ["<t>AT&T</t>", "<t>&#0;</t>", "<t>&nbsp;</t>"] {
            let e = read_all(XmlReader::new(bad.as_bytes(), "p.xml")).expect_err(bad);
            assert!(e.0.contains("not well-formed"), "{bad}: {}", e.0);
        }
    }
}
