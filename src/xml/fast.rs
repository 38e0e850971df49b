//! A minimal streaming tag scanner for the one part whose size grows with the data: the
//! worksheet. quick-xml costs about ten times the inflate time on a large sheet; this scanner,
//! built on `memchr`, finds tags, attributes and text without copying events, and keeps the
//! safety rules of the rest of the XML layer: no DTDs, no custom entities, capped token size.
//! Everything else in a package still goes through quick-xml.

use crate::context::{ScanError, ScanResult};
use crate::xml::wellformed::{Attribute, Tag, WellFormed};
use std::borrow::Cow;
use std::io::Read;

/// Largest single tag or text run accepted; a longer one is malformed or hostile.
const MAX_TOKEN: usize = 64 << 20;
const CHUNK: usize = 256 * 1024;

/// One piece of markup. Names are local (prefix removed); text is still escaped.
#[derive(Debug)]
pub enum Token<'a> {
    Start {
        name: &'a str,
        attrs: Attrs<'a>,
        empty: bool,
    },
    End {
        name: &'a str,
    },
    /// Escaped character data (decode with [`push_text`]).
    Text(&'a [u8]),
    /// CDATA content, taken literally.
    CData(&'a [u8]),
    Eof,
}

/// A start tag's attributes: the tag's text, and where each attribute sits in it, found
/// once by the well-formedness check as it read the tag.
#[derive(Debug, Clone, Copy)]
pub struct Attrs<'a> {
    tag: &'a [u8],
    found: &'a [Attribute],
}

/// Streams tokens from a reader through a sliding buffer.
pub struct TagScanner<R: Read> {
    reader: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    part: String,
    checks: WellFormed,
    /// The current start tag's attributes (see [`Attrs`]).
    attributes: Vec<Attribute>,
    /// Lines in the bytes already dropped from the buffer, so an error can name its line.
    lines_before: u64,
    done: bool,
    utf8: crate::xml::wellformed::Utf8Stream,
}

/// A complete token at the front of the buffer, as first read.
enum Found {
    Start(Tag),
    End(Tag),
    /// Text of `len` bytes; `references` says whether it holds an `&`.
    Text {
        len: usize,
        references: bool,
    },
    /// A comment, CDATA or a processing instruction of `len` bytes (see [`scan_token`]).
    Other {
        len: usize,
    },
}

impl<R: Read> TagScanner<R> {
    pub fn new(reader: R, part: &str) -> Self {
        Self::with_buffer(reader, part, CHUNK)
    }

    /// A scanner whose buffer starts at `capacity` bytes (tests use a tiny one, so that
    /// tokens straddle the buffer's end at every offset).
    fn with_buffer(reader: R, part: &str, capacity: usize) -> Self {
        TagScanner {
            reader,
            buf: vec![0; capacity.max(1)],
            start: 0,
            end: 0,
            eof: false,
            part: part.to_string(),
            checks: WellFormed::default(),
            attributes: Vec::new(),
            lines_before: 0,
            done: false,
            utf8: Default::default(),
        }
    }

    fn error(&self, what: &str) -> ScanError {
        ScanError::new(format!("{}: malformed XML ({what})", self.part))
    }

    /// Moves unread bytes to the front and reads until the buffer is full. Returns false at
    /// end of input. Filling it whole means a long token is looked at again only as often
    /// as the buffer doubles, however little each read returns.
    fn refill(&mut self) -> ScanResult<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 {
            self.lines_before += memchr::memchr_iter(b'\n', &self.buf[..self.start]).count() as u64;
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            if self.buf.len() >= MAX_TOKEN {
                return Err(self.error("a tag or text run is larger than 64 MiB"));
            }
            let grown = (self.buf.len() * 2).min(MAX_TOKEN);
            self.buf.resize(grown, 0);
        }
        let mut any = false;
        while self.end < self.buf.len() {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    if !self.utf8.whole() {
                        return Err(self.fault(crate::xml::wellformed::NOT_UTF8));
                    }
                    break;
                }
                Ok(n) => {
                    if !self.utf8.feed(&self.buf[self.end..self.end + n]) {
                        return Err(self.fault(crate::xml::wellformed::NOT_UTF8));
                    }
                    self.end += n;
                    any = true;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ScanError::new(format!("{}: {e}", self.part))),
            }
        }
        Ok(any)
    }

    /// The reason for a fault (`wellformed::fault_message`) at the line the scan is at.
    fn fault(&self, why: &str) -> ScanError {
        let here = self.start.min(self.end);
        let line = self.lines_before + memchr::memchr_iter(b'\n', &self.buf[..here]).count() as u64;
        ScanError::new(crate::xml::wellformed::fault_message(
            &self.part,
            line + 1,
            why,
        ))
    }

    /// The next token.
    pub fn next_token(&mut self) -> ScanResult<Token<'_>> {
        loop {
            if self.done {
                return Ok(Token::Eof);
            }
            if self.start == self.end && !self.refill()? {
                if self.checks.open_elements() > 0 {
                    return Err(self.error("the part ends before its elements close"));
                }
                if let Err(why) = self.checks.eof(&self.part) {
                    return Err(self.fault(why));
                }
                self.done = true;
                return Ok(Token::Eof);
            }
            let window = &self.buf[self.start..self.end];
            // Tags are read and checked in one pass; everything else is found first.
            let found = match window {
                [b'<', b'/', ..] => self
                    .checks
                    .end_tag_at(window)
                    .map(|t| t.map(Found::End))
                    .map_err(|why| self.fault(why)),
                [b'<', b'!' | b'?', ..] | [b'<'] => {
                    scan_token(window, self.eof).map_err(|e| self.error(e))
                }
                [b'<', ..] => self
                    .checks
                    .start_tag_at(window, &mut self.attributes)
                    .map(|t| t.map(Found::Start))
                    .map_err(|why| self.fault(why)),
                _ => scan_token(window, self.eof).map_err(|e| self.error(e)),
            };
            let Some(found) = found? else {
                // The token does not end in the buffer yet.
                if !self.refill()? && self.buf[self.start] == b'<' {
                    return Err(self.error("the part ends inside a tag"));
                }
                continue;
            };
            let begin = self.start;
            let token = match found {
                Found::Start(tag) => {
                    self.start += tag.len;
                    let text = &self.buf[begin..begin + tag.len];
                    Token::Start {
                        name: local(&text[1..tag.name_end]).map_err(|e| self.error(e))?,
                        attrs: Attrs {
                            tag: text,
                            found: &self.attributes,
                        },
                        empty: tag.empty,
                    }
                }
                Found::End(tag) => {
                    self.start += tag.len;
                    let text = &self.buf[begin..begin + tag.len];
                    Token::End {
                        name: local(&text[2..tag.name_end]).map_err(|e| self.error(e))?,
                    }
                }
                Found::Text { len, references } => {
                    let text = &self.buf[begin..begin + len];
                    let checked = if references {
                        self.checks.text(text)
                    } else {
                        self.checks.literal_text(text)
                    };
                    if let Err(why) = checked {
                        return Err(self.fault(why));
                    }
                    self.start += len;
                    Token::Text(text)
                }
                Found::Other { len } => {
                    let raw = split(&self.buf[begin..begin + len]);
                    if let Err(why) = check(&mut self.checks, &raw) {
                        return Err(self.fault(why));
                    }
                    self.start += len;
                    classify(raw)
                }
            };
            return Ok(token);
        }
    }
}

impl<R: Read> TagScanner<R> {
    /// Takes `<name>text</name>` in one step when it is next in the buffer with nothing but
    /// text inside: the shape of almost every cell value. Returns `None`, consuming nothing,
    /// for anything else, so the caller falls back to ordinary tokens.
    pub fn take_simple(&mut self, name: &[u8]) -> ScanResult<Option<&[u8]>> {
        if self.end - self.start < name.len() * 2 + 5 && !self.eof {
            self.refill()?;
        }
        let window = &self.buf[self.start..self.end];
        let open_len = name.len() + 2;
        if window.len() < open_len
            || window[0] != b'<'
            || &window[1..open_len - 1] != name
            || window[open_len - 1] != b'>'
        {
            return Ok(None);
        }
        let body = &window[open_len..];
        // Text with a reference goes the ordinary way, where its references are checked.
        let Some(lt) = find_text_end(body).filter(|&i| body[i] == b'<') else {
            return Ok(None);
        };
        let close = &body[lt..];
        if close.len() < open_len + 1
            || close[1] != b'/'
            || &close[2..2 + name.len()] != name
            || close[2 + name.len()] != b'>'
        {
            return Ok(None);
        }
        let begin = self.start + open_len;
        self.start += open_len + lt + open_len + 1;
        Ok(Some(&self.buf[begin..begin + lt]))
    }
}

/// A complete token other than a tag or text, taken apart once for both the checks and the
/// caller.
enum RawToken<'a> {
    CData(&'a [u8]),
    /// A comment: nothing a reader sees.
    Comment,
    /// A processing instruction or the XML declaration, between `<?` and `?>`.
    Pi(&'a [u8]),
}

fn split(token: &[u8]) -> RawToken<'_> {
    match token.get(1) {
        Some(b'!') if token.starts_with(b"<![CDATA[") => {
            RawToken::CData(&token[9..token.len() - 3])
        }
        Some(b'?') => RawToken::Pi(&token[2..token.len().saturating_sub(2).max(2)]),
        _ => RawToken::Comment,
    }
}

/// Applies the well-formedness checks to one complete token other than a tag.
fn check(
    checks: &mut WellFormed,
    token: &RawToken<'_>,
) -> Result<(), crate::xml::wellformed::Fault> {
    match *token {
        RawToken::CData(text) => checks.literal_text(text),
        RawToken::Comment => {
            checks.other_markup();
            Ok(())
        }
        RawToken::Pi(body) => checks.processing_instruction(body),
    }
}

/// Finds the extent of the token at the start of `window`: text, a comment, CDATA or a
/// processing instruction (tags are read by [`WellFormed::start_tag_at`] and
/// [`WellFormed::end_tag_at`]). `None` when it does not end within `window`.
fn scan_token(window: &[u8], at_eof: bool) -> Result<Option<Found>, &'static str> {
    if window[0] != b'<' {
        // Text ends at the next '<'; one search finds whether a reference comes first.
        let (end, references) = match find_text_end(window) {
            Some(i) if window[i] == b'<' => (Some(i), false),
            Some(i) => (find_byte(b'<', &window[i..]).map(|j| i + j), true),
            None => (None, false),
        };
        return Ok(match end {
            Some(len) => Some(Found::Text { len, references }),
            None if at_eof => Some(Found::Text {
                len: window.len(),
                references: memchr::memchr(b'&', window).is_some(),
            }),
            None => None,
        });
    }
    let rest = &window[1..];
    let closing = |pat: &[u8], skip: usize| {
        memchr::memmem::find(&window[skip..], pat).map(|i| Found::Other {
            len: skip + i + pat.len(),
        })
    };
    if rest.first() == Some(&b'!') {
        if rest.starts_with(b"!--") {
            return Ok(closing(b"-->", 4));
        }
        if rest.starts_with(b"![CDATA[") {
            return Ok(closing(b"]]>", 9));
        }
        if !at_eof && (b"!--".starts_with(rest) || b"![CDATA[".starts_with(rest)) {
            return Ok(None);
        }
        return Err("contains a DTD or declaration, which OOXML does not allow");
    }
    if rest.first() == Some(&b'?') {
        return Ok(closing(b"?>", 2));
    }
    // A lone '<': what follows decides.
    Ok(None)
}

/// First `needle`.
fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    find_short_first(hay, |b| b == needle, |rest| memchr::memchr(needle, rest))
}

/// First `<` or `&`.
fn find_text_end(hay: &[u8]) -> Option<usize> {
    find_short_first(
        hay,
        |b| b == b'<' || b == b'&',
        |rest| memchr::memchr2(b'<', b'&', rest),
    )
}

/// Most tokens in a sheet are a few bytes long: a plain loop over the first bytes beats
/// setting up a vector search, which (`long`, the same search) takes over for long runs.
#[inline(always)]
fn find_short_first(
    hay: &[u8],
    wanted: impl Fn(u8) -> bool,
    long: impl Fn(&[u8]) -> Option<usize>,
) -> Option<usize> {
    let head = hay.len().min(32);
    match hay[..head].iter().position(|&b| wanted(b)) {
        Some(i) => Some(i),
        None => long(&hay[head..]).map(|i| i + head),
    }
}

/// Turns a complete token other than a tag into a [`Token`].
fn classify(token: RawToken<'_>) -> Token<'_> {
    match token {
        RawToken::CData(text) => Token::CData(text),
        RawToken::Comment | RawToken::Pi(_) => Token::Text(b""),
    }
}

fn local(name: &[u8]) -> Result<&str, &'static str> {
    let name = std::str::from_utf8(name).map_err(|_| "a tag name is not UTF-8")?;
    Ok(match memchr::memrchr(b':', name.as_bytes()) {
        Some(i) => &name[i + 1..],
        None => name,
    })
}

impl<'a> Attrs<'a> {
    /// Values of several attributes (by local name) in one pass.
    pub fn get<const N: usize>(&self, names: [&str; N]) -> [Option<Cow<'a, str>>; N] {
        let mut out: [Option<Cow<'a, str>>; N] = std::array::from_fn(|_| None);
        for attribute in self.found {
            let name = attribute.local_name(self.tag);
            // Lengths and first bytes first: most names are one byte long.
            if let Some(slot) = names.iter().position(|n| {
                n.len() == name.len()
                    && n.as_bytes().first() == name.first()
                    && n.as_bytes() == name
            }) {
                out[slot] = Some(attr_value(attribute.value(self.tag)));
            }
        }
        out
    }

    pub fn one(&self, name: &str) -> Option<Cow<'a, str>> {
        let [v] = self.get([name]);
        v
    }
}

/// Attribute value with entities resolved and whitespace normalised, borrowed when clean.
fn attr_value(raw: &[u8]) -> Cow<'_, str> {
    let clean = !raw
        .iter()
        .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'));
    let text = utf8(raw);
    if clean {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    unescape_into(&text, &mut out);
    Cow::Owned(out.replace(['\t', '\n', '\r'], " "))
}

/// Appends escaped character data to `out`: entities resolved, line ends normalised.
pub fn push_text(raw: &[u8], out: &mut String) {
    let text = utf8(raw);
    let text: Cow<'_, str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        text
    };
    if text.contains('&') {
        unescape_into(&text, out);
    } else {
        out.push_str(&text);
    }
}

/// Text as UTF-8, replacing invalid sequences only when there are any.
fn utf8(raw: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(raw) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(raw),
    }
}

/// Resolves the five predefined entities and character references; anything else is kept
/// as written (no custom entities are ever expanded).
fn unescape_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';').filter(|s| *s <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let entity = &after[..semi];
        let resolved = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match resolved {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens of `xml` read `chunk` bytes at a time into a buffer that starts at
    /// `capacity` bytes.
    fn tokens(xml: &str, chunk: usize, capacity: usize) -> Vec<String> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut s = TagScanner::with_buffer(Trickle(xml.as_bytes(), chunk), "t.xml", capacity);
        let mut out = Vec::new();
        loop {
            match s.next_token().expect("token") {
                Token::Eof => return out,
                Token::Start { name, attrs, empty } => {
                    let [r, t] = attrs.get(["r", "t"]);
                    out.push(format!("<{name} r={r:?} t={t:?} empty={empty}>"));
                }
                Token::End { name } => out.push(format!("</{name}>")),
                Token::Text(raw) => {
                    let mut t = String::new();
                    push_text(raw, &mut t);
                    if !t.is_empty() {
                        out.push(t);
                    }
                }
                Token::CData(raw) => out.push(String::from_utf8_lossy(raw).into_owned()),
            }
        }
    }

    #[test]
    fn tokens_survive_any_chunking() {
        let xml = "<?xml version=\"1.0\"?><x:c xmlns:x=\"u\" r=\"A1\" t='s' odd=\"a>b\"><!-- note --><v>A &amp; B &#233;&#x41;\r\n</v><f/><![CDATA[<raw>]]></x:c>";
        let expected = tokens(xml, 1 << 20, CHUNK);
        assert_eq!(
            expected,
            vec![
                "<c r=Some(\"A1\") t=Some(\"s\") empty=false>",
                "<v r=None t=None empty=false>",
                "A & B éA\n",
                "</v>",
                "<f r=None t=None empty=true>",
                "<raw>",
                "</c>",
            ]
        );
        for chunk in 1..12 {
            assert_eq!(tokens(xml, chunk, CHUNK), expected, "chunk {chunk}");
        }
        // Every token, tags and their attributes included, cut by the buffer's end at every
        // offset, and the buffer grown under a token longer than it.
        for capacity in 1..=xml.len() {
            for chunk in [1, 3, 1 << 20] {
                assert_eq!(
                    tokens(xml, chunk, capacity),
                    expected,
                    "buffer {capacity}, chunk {chunk}"
                );
            }
        }
    }

    #[test]
    fn simple_elements_are_taken_whole_or_not_at_all() {
        let xml = "<r><v>12</v><v>1 &amp; 2</v><v>&#0;</v><v>a<b/></v><f>x";
        let mut s = TagScanner::new(xml.as_bytes(), "t.xml");
        assert!(matches!(
            s.next_token().expect("ok"),
            Token::Start { name: "r", .. }
        ));
        assert_eq!(s.take_simple(b"v").expect("ok"), Some(&b"12"[..]));
        assert_eq!(s.take_simple(b"f").expect("ok"), None);
        // Text with a reference is left to the ordinary tokens, which check it.
        assert_eq!(s.take_simple(b"v").expect("ok"), None);
        assert!(matches!(
            s.next_token().expect("ok"),
            Token::Start { name: "v", .. }
        ));
        assert!(matches!(
            s.next_token().expect("ok"),
            Token::Text(b"1 &amp; 2")
        ));
        assert!(matches!(
            s.next_token().expect("ok"),
            Token::End { name: "v" }
        ));
        assert_eq!(s.take_simple(b"v").expect("ok"), None);
        assert!(matches!(
            s.next_token().expect("ok"),
            Token::Start { name: "v", .. }
        ));
        let e = s
            .next_token()
            .expect_err("&#0; is not a character XML allows");
        assert!(e.to_string().contains("character reference"), "{e}");
        let mut s = TagScanner::new("<r><v>a<b/></v></r>".as_bytes(), "t.xml");
        assert!(matches!(
            s.next_token().expect("ok"),
            Token::Start { name: "r", .. }
        ));
        assert_eq!(s.take_simple(b"v").expect("ok"), None);
        assert!(matches!(
            s.next_token().expect("ok"),
            Token::Start { name: "v", .. }
        ));
    }

    #[test]
    fn refuses_dtds_and_truncation() {
        let mut s = TagScanner::new("<!DOCTYPE x [<!ENTITY a \"b\">]><x/>".as_bytes(), "t.xml");
        assert!(s.next_token().is_err());
        let mut s = TagScanner::new("<c r=\"A1".as_bytes(), "t.xml");
        assert!(s.next_token().is_err());
        // Cut between two tags: every token is fine, but the part ends with <a> open.
        let mut s = TagScanner::new("<a><b>text</b>".as_bytes(), "t.xml");
        let mut outcome = Ok(());
        for _ in 0..10 {
            match s.next_token() {
                Ok(Token::Eof) => break,
                Ok(_) => {}
                Err(e) => {
                    outcome = Err(e);
                    break;
                }
            }
        }
        assert!(
            outcome.is_err(),
            "a truncated part must not read as complete"
        );
    }

    fn scan_all(xml: &str) -> ScanResult<()> {
        let mut s = TagScanner::new(xml.as_bytes(), "xl/worksheets/sheet1.xml");
        loop {
            if let Token::Eof = s.next_token()? {
                return Ok(());
            }
        }
    }

    #[test]
    fn parts_that_are_not_well_formed_are_refused_with_their_line() {
        for (xml, why) in [
            ("<a><b></a></b>", "end tag does not match"),
            ("<a x=\"1\" x=\"2\"/>", "given twice"),
            ("<a><p:b/></a>", "prefix that is not declared"),
            ("<a p:x=\"1\"/>", "prefix that is not declared"),
            ("<a/><b/>", "second root"),
            ("junk<a/>", "before the root"),
            ("<a>\n<b>\n</c></a>", "line 3"),
            ("<a x=\"1\"/ >", "name=\"value\" pairs"),
            ("<a b/>", "name=\"value\" pairs"),
            ("<a x=\"1\"y=\"2\"/>", "name=\"value\" pairs"),
            ("<a x=1/>", "name=\"value\" pairs"),
            ("<a x=\"<\"/>", "holds a '<'"),
            ("<a&b/>", "not an XML name"),
            ("<1a/>", "not an XML name"),
            ("<a></a b>", "more than its name"),
            ("<sheetView1></sheetView2>", "does not match"),
            ("<a><b></a></b>", "does not match"),
            ("<a><ab></a>", "does not match"),
            ("<a x=\"&#0;\"/>", "character reference"),
        ] {
            let err = scan_all(xml).expect_err(xml);
            assert!(err.0.contains(why), "{xml}: {}", err.0);
            assert!(err.0.starts_with("xl/worksheets/sheet1.xml"), "{}", err.0);
        }
        scan_all("<a xmlns:p=\"u\"><p:b p:x=\"1\"/></a>").expect("declared prefixes");
        scan_all("<a x = '1'\n y=\"a>b\" ><b\n/></a >").expect("white space where XML allows it");
        scan_all("<sheetView1><t><![CDATA[AT&T]]>AT&amp;T</t></sheetView1>")
            .expect("long names, CDATA");
    }

    #[test]
    fn text_after_the_root_is_set_aside_as_residue() {
        crate::xml::wellformed::take_residue();
        scan_all("<sheetData/>SMITH, John 14/02/1981").expect("not an error");
        let residue = crate::xml::wellformed::take_residue();
        assert_eq!(residue.len(), 1);
        assert_eq!(residue[0].1, "SMITH, John 14/02/1981");
    }

    #[test]
    fn unknown_entities_stay_literal() {
        let mut out = String::new();
        push_text(b"&lol9; &amp &#xZZ; &lt;ok&gt;", &mut out);
        assert_eq!(out, "&lol9; &amp &#xZZ; <ok>");
    }
}
