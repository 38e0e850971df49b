//! Well-formedness, checked as a part streams, by both XML readers. A part that is not
//! well-formed is not read on past the damage: an application would refuse or "repair" it,
//! and text after the damage might never be looked at, so the file is `unscannable` with the
//! part and the line named. The checks: end tags match their start tags, there is exactly one
//! root element (and no text before it), attribute names are unique in a tag, and every
//! namespace prefix used is declared.
//!
//! Text after the root element is not an error but residue that no application shows: the
//! reader sets it aside (`context::set_aside_residue`) and the inspection context reports it
//! as `residual-data`, with its text scanned as hidden content.

pub use crate::context::take_residue;

/// Most text kept from after a part's root element.
const MAX_TRAILING: usize = 64 * 1024;
/// Most attributes in one tag (real tags carry a handful).
const MAX_ATTRIBUTES: usize = 1000;

pub use crate::context::set_xml_depth_limit as set_depth_limit;

thread_local! {
    /// The reason given for the limit in force, made once per limit value.
    static DEPTH_FAULT: std::cell::Cell<(usize, Fault)> = const { std::cell::Cell::new((0, "")) };
}

/// The reason for a part nesting deeper than `limit`. A [`Fault`] is a static string, so the
/// text is made once per limit value (one, in practice) and kept.
fn depth_fault(limit: usize) -> Fault {
    DEPTH_FAULT.with(|f| {
        let (for_limit, text) = f.get();
        if for_limit == limit && !text.is_empty() {
            return text;
        }
        let text: Fault = Box::leak(
            format!(
                "elements nested deeper than the limit of {} levels {}",
                crate::util::thousands(limit as u64),
                crate::limits::raise("max_xml_depth")
            )
            .into_boxed_str(),
        );
        f.set((limit, text));
        text
    })
}

/// The reason for a [`Fault`] in `part` at `line` (1-based), for both readers: a part that
/// is not well-formed says so; one over a limit is well-formed, and says which limit.
pub fn fault_message(part: &str, line: u64, why: &str) -> String {
    if why.contains("(limits.") {
        format!("{part}: at line {line}, {why}")
    } else {
        format!("{part}: not well-formed XML ({why}) at line {line}")
    }
}

/// The state of the checks for one part.
pub struct WellFormed {
    /// Qualified names of the open elements, end to end; `starts[i]` is where the i-th
    /// begins. Only used where the parser does not check end names itself.
    names: Vec<u8>,
    starts: Vec<usize>,
    /// Prefixes declared by open elements, with the depth of the element that declared them.
    prefixes: Vec<(Box<[u8]>, usize)>,
    depth: usize,
    root_seen: bool,
    root_closed: bool,
    trailing: String,
    /// Deepest nesting allowed (`limits.max_xml_depth`): the name and prefix stacks, and the
    /// readers' work per element, stay bounded whatever the part holds.
    max_depth: usize,
}

impl Default for WellFormed {
    fn default() -> Self {
        WellFormed {
            names: Vec::new(),
            starts: Vec::new(),
            prefixes: Vec::new(),
            depth: 0,
            root_seen: false,
            root_closed: false,
            trailing: String::new(),
            max_depth: crate::context::xml_depth_limit(),
        }
    }
}

/// Why a part is not well-formed.
pub type Fault = &'static str;

impl WellFormed {
    /// A start tag (or an empty-element tag, `empty`) with its qualified name and its
    /// attributes' qualified names, in order.
    pub fn start<'a>(
        &mut self,
        qname: &[u8],
        attributes: impl Iterator<Item = &'a [u8]>,
        empty: bool,
        track_names: bool,
    ) -> Result<(), Fault> {
        if self.root_closed {
            return Err("a second root element after the first one ended");
        }
        if !is_name(qname) {
            return Err("a tag's name is not an XML name");
        }
        self.root_seen = true;
        if self.depth >= self.max_depth {
            return Err(depth_fault(self.max_depth));
        }
        self.depth += 1;
        // The keys are read once: a handful inline, more in a vector.
        let mut inline: [&[u8]; 16] = [&[]; 16];
        let mut spilled: Vec<&[u8]> = Vec::new();
        let mut count = 0;
        for key in attributes {
            if count >= MAX_ATTRIBUTES {
                return Err("a tag has more than 1,000 attributes");
            }
            match inline.get_mut(count) {
                Some(slot) => *slot = key,
                None => {
                    if spilled.is_empty() {
                        spilled.extend_from_slice(&inline);
                    }
                    spilled.push(key);
                }
            }
            count += 1;
        }
        let keys: &[&[u8]] = if spilled.is_empty() {
            &inline[..count]
        } else {
            &spilled
        };
        // Declarations first: an element may use a prefix it declares itself.
        for key in keys {
            if let Some(prefix) = key.strip_prefix(b"xmlns:") {
                self.prefixes.push((prefix.into(), self.depth));
            }
        }
        let unique = if keys.len() <= 16 {
            // Tags carry a handful of attributes, so pairs are compared.
            keys.iter()
                .enumerate()
                .all(|(i, key)| !keys[..i].contains(key))
        } else {
            let mut seen = std::collections::HashSet::with_capacity(keys.len());
            keys.iter().all(|key| seen.insert(*key))
        };
        if !unique {
            return Err("an attribute is given twice in one tag");
        }
        if let Some(prefix) = prefix_of(qname)
            && !self.bound(prefix)
        {
            return Err("an element uses a namespace prefix that is not declared");
        }
        for key in keys {
            if let Some(prefix) = prefix_of(key)
                && prefix != b"xmlns"
                && !self.bound(prefix)
            {
                return Err("an attribute uses a namespace prefix that is not declared");
            }
        }
        if track_names && !empty {
            self.starts.push(self.names.len());
            self.names.extend_from_slice(qname);
        }
        if empty {
            self.close();
        }
        Ok(())
    }

    /// An end tag. With `track_names`, its name is checked against the open element's.
    pub fn end(&mut self, qname: &[u8], track_names: bool) -> Result<(), Fault> {
        if self.depth == 0 {
            return Err("an end tag closes an element that was never opened");
        }
        if track_names {
            let start = self.starts.pop().unwrap_or(0);
            if &self.names[start..] != qname {
                return Err("an end tag does not match the element it closes");
            }
            self.names.truncate(start);
        }
        self.close();
        Ok(())
    }

    fn close(&mut self) {
        while self.prefixes.last().is_some_and(|(_, d)| *d >= self.depth) {
            self.prefixes.pop();
        }
        self.depth -= 1;
        if self.depth == 0 {
            self.root_closed = true;
        }
    }

    fn bound(&self, prefix: &[u8]) -> bool {
        prefix == b"xml" || self.prefixes.iter().any(|(p, _)| &p[..] == prefix)
    }

    /// Character data (already decoded or raw: only whitespace matters here).
    pub fn text(&mut self, text: &[u8]) -> Result<(), Fault> {
        if self.depth > 0 {
            return Ok(());
        }
        // A byte-order mark opens the document (ClosedXML writes one); it is not character data.
        let text = if self.root_seen {
            text
        } else {
            text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text)
        };
        if text.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(());
        }
        if !self.root_seen {
            return Err("text before the root element");
        }
        if self.trailing.len() < MAX_TRAILING {
            let room = MAX_TRAILING - self.trailing.len();
            let text = String::from_utf8_lossy(&text[..text.len().min(room)]);
            self.trailing.push_str(&text);
        }
        Ok(())
    }

    /// The end of the part: a part with no root element is not XML. Text kept from after
    /// the root is handed on for reporting.
    pub fn eof(&mut self, part: &str) -> Result<(), Fault> {
        if !self.root_seen {
            return Err("the part holds no root element");
        }
        if !self.trailing.trim().is_empty() {
            let text = std::mem::take(&mut self.trailing);
            crate::context::set_aside_residue(part, text);
        }
        Ok(())
    }
}

/// UTF-8 checked as a part streams, chunk by chunk (a character may straddle two chunks).
/// A part in UTF-16 (it starts with a byte-order mark) is left to its decoder.
#[derive(Default)]
pub struct Utf8Stream {
    carry: [u8; 4],
    carried: usize,
    started: bool,
    utf16: bool,
    bad: bool,
}

impl Utf8Stream {
    /// Takes the next bytes of the part; false once something is not UTF-8.
    pub fn feed(&mut self, mut bytes: &[u8]) -> bool {
        if self.bad || self.utf16 || bytes.is_empty() {
            return !self.bad;
        }
        if !self.started {
            self.started = true;
            if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
                self.utf16 = true;
                return true;
            }
        }
        while self.carried > 0 && !bytes.is_empty() {
            self.carry[self.carried] = bytes[0];
            self.carried += 1;
            bytes = &bytes[1..];
            match std::str::from_utf8(&self.carry[..self.carried]) {
                Ok(_) => self.carried = 0,
                Err(e) if e.error_len().is_none() && self.carried < 4 => {}
                Err(_) => self.bad = true,
            }
            if self.bad {
                return false;
            }
        }
        if let Err(e) = std::str::from_utf8(bytes) {
            match e.error_len() {
                Some(_) => self.bad = true,
                None => {
                    let rest = &bytes[e.valid_up_to()..];
                    self.carry[..rest.len()].copy_from_slice(rest);
                    self.carried = rest.len();
                }
            }
        }
        !self.bad
    }

    /// Whether everything fed so far was UTF-8 (a character may still be open).
    pub fn feed_ok(&self) -> bool {
        !self.bad
    }

    /// Whether everything fed was UTF-8, with no character cut off at the end.
    pub fn whole(&self) -> bool {
        !self.bad && (self.utf16 || self.carried == 0)
    }
}

/// What a part that is not UTF-8 is told.
pub const NOT_UTF8: Fault = "bytes that are not UTF-8";

/// Whether `name` can be an XML name: not empty, and none of the bytes that end or delimit
/// one. Damage inside a tag ("<color</ theme=...") shows up as such a byte in a name.
fn is_name(name: &[u8]) -> bool {
    !name.is_empty()
        && !name[0].is_ascii_digit()
        && !matches!(name[0], b'-' | b'.')
        && !name.iter().any(|&b| {
            b.is_ascii_whitespace()
                || matches!(
                    b,
                    b'<' | b'>'
                        | b'&'
                        | b'"'
                        | b'\''
                        | b'='
                        | b'/'
                        | b'!'
                        | b'?'
                        | b'['
                        | b']'
                        | b';'
                )
        })
}

/// The attribute text of a start tag (after its name, without the closing `>` or `/>`) in
/// the only form XML allows: `name="value"` pairs separated by white space, each value
/// quoted and free of `<`. Both readers pass over attribute text they cannot split, so this
/// is where a damaged tag is caught.
pub fn attributes_well_formed(mut raw: &[u8]) -> Result<(), Fault> {
    const BAD: Fault = "a tag's attributes are not name=\"value\" pairs";
    loop {
        let spaces = raw.iter().take_while(|b| b.is_ascii_whitespace()).count();
        raw = &raw[spaces..];
        if raw.is_empty() {
            return Ok(());
        }
        if spaces == 0 {
            return Err(BAD);
        }
        let name_len = raw
            .iter()
            .take_while(|&&b| b != b'=' && !b.is_ascii_whitespace())
            .count();
        if !is_name(&raw[..name_len]) {
            return Err(BAD);
        }
        raw = &raw[name_len..];
        raw = &raw[raw.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        let Some((b'=', rest)) = raw.split_first() else {
            return Err(BAD);
        };
        raw = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        let Some((&quote, rest)) = raw.split_first() else {
            return Err(BAD);
        };
        if quote != b'"' && quote != b'\'' {
            return Err(BAD);
        }
        let Some(end) = memchr::memchr(quote, rest) else {
            return Err(BAD);
        };
        if memchr::memchr(b'<', &rest[..end]).is_some() {
            return Err("an attribute value holds a '<'");
        }
        raw = &rest[end + 1..];
    }
}

fn prefix_of(qname: &[u8]) -> Option<&[u8]> {
    qname.iter().position(|&b| b == b':').map(|i| &qname[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(w: &mut WellFormed, name: &str, attrs: &[&str]) -> Result<(), Fault> {
        w.start(
            name.as_bytes(),
            attrs.iter().map(|a| a.as_bytes()),
            false,
            true,
        )
    }

    #[test]
    fn utf8_is_checked_across_chunks() {
        let text = "Zoë Ñúñez – 日本".as_bytes();
        for cut in 0..text.len() {
            let mut u = Utf8Stream::default();
            assert!(
                u.feed(&text[..cut]) && u.feed(&text[cut..]) && u.whole(),
                "cut {cut}"
            );
        }
        let mut u = Utf8Stream::default();
        assert!(!u.feed(b"spreadsheetm\xff\xfel/2006"), "stray bytes");
        let mut u = Utf8Stream::default();
        assert!(
            u.feed("Zo\u{eb}".as_bytes().split_last().unwrap().1) && !u.whole(),
            "cut off"
        );
        let mut u = Utf8Stream::default();
        assert!(
            u.feed(b"\xff\xfe<\0x\0") && u.whole(),
            "UTF-16 is left to its decoder"
        );
    }

    #[test]
    fn attribute_text_must_be_quoted_pairs() {
        for good in ["", " a=\"1\"", " a = '1'  b=\"x y\" ", "\n\tr:id=\"rId1\""] {
            assert!(attributes_well_formed(good.as_bytes()).is_ok(), "{good:?}");
        }
        for bad in [
            "xml<![CDATA[ns=\"x\"",
            " a=1",
            " a=\"1\"b=\"2\"",
            " a=\"</1\"",
            " a",
            " a=\"unterminated",
            " <x:c>=\"1\"",
        ] {
            assert!(attributes_well_formed(bad.as_bytes()).is_err(), "{bad:?}");
        }
        let mut w = WellFormed::default();
        assert!(start(&mut w, "color</", &[]).is_err(), "damaged tag name");
    }

    #[test]
    fn well_formed_parts_pass() {
        let mut w = WellFormed::default();
        start(&mut w, "x:root", &["xmlns:x", "xmlns:r"]).expect("root");
        start(&mut w, "x:c", &["r:id", "s"]).expect("child");
        w.text(b"text").expect("text");
        w.end(b"x:c", true).expect("end");
        w.end(b"x:root", true).expect("end root");
        w.text(b"\r\n").expect("whitespace after the root");
        w.eof("p.xml").expect("eof");
        assert!(take_residue().is_empty());
    }

    #[test]
    fn each_fault_is_found() {
        let mut w = WellFormed::default();
        start(&mut w, "a", &[]).unwrap();
        assert!(w.end(b"b", true).is_err(), "mismatched end");

        let mut w = WellFormed::default();
        assert!(
            start(&mut w, "a", &["x", "y", "x"]).is_err(),
            "duplicate attribute"
        );

        let mut w = WellFormed::default();
        assert!(start(&mut w, "p:a", &[]).is_err(), "unbound element prefix");
        let mut w = WellFormed::default();
        assert!(
            start(&mut w, "a", &["q:b"]).is_err(),
            "unbound attribute prefix"
        );

        let mut w = WellFormed::default();
        start(&mut w, "a", &["xmlns:p"]).unwrap();
        w.end(b"a", true).unwrap();
        assert!(start(&mut w, "b", &[]).is_err(), "second root");

        let mut w = WellFormed::default();
        assert!(w.text(b"junk").is_err(), "text before the root");
        let mut w = WellFormed::default();
        assert!(w.text("\u{feff}\n".as_bytes()).is_ok(), "a byte-order mark");
        let mut w = WellFormed::default();
        assert!(w.eof("p.xml").is_err(), "no root");

        // A prefix declared by an element is gone once it closes.
        let mut w = WellFormed::default();
        start(&mut w, "root", &[]).unwrap();
        start(&mut w, "p:a", &["xmlns:p"]).unwrap();
        w.end(b"p:a", true).unwrap();
        assert!(start(&mut w, "p:b", &[]).is_err(), "prefix out of scope");
    }

    #[test]
    fn text_after_the_root_is_residue() {
        take_residue();
        let mut w = WellFormed::default();
        start(&mut w, "root", &[]).unwrap();
        w.end(b"root", true).unwrap();
        w.text(b"SMITH John").unwrap();
        w.eof("xl/sharedStrings.xml").unwrap();
        assert_eq!(
            take_residue(),
            vec![("xl/sharedStrings.xml".to_string(), "SMITH John".to_string())]
        );
    }

    #[test]
    fn nesting_past_the_depth_limit_is_refused_and_names_the_key() {
        set_depth_limit(3);
        let mut w = WellFormed::default();
        for name in ["a", "b", "c"] {
            start(&mut w, name, &[]).unwrap();
        }
        let e = start(&mut w, "d", &[]).expect_err("a fourth level");
        assert!(
            e.contains("limit of 3 levels") && e.contains("limits.max_xml_depth"),
            "{e}"
        );
        // Within the limit, siblings at the deepest level are fine.
        w.end(b"c", true).unwrap();
        start(&mut w, "c2", &[]).unwrap();
        set_depth_limit(crate::limits::Limits::default().max_xml_depth);
    }
}
