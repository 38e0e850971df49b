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
    /// The open elements' names as [`short_key`]s, each with where its whole name starts in
    /// `long_names` when it is longer than a key holds. Only used where the parser does not
    /// check end names itself.
    open: Vec<(u64, usize)>,
    long_names: Vec<u8>,
    /// Prefixes declared by open elements: key, name, and the depth of the element that
    /// declared them.
    prefixes: Vec<(u64, Box<[u8]>, usize)>,
    /// Where in `prefixes` a prefix was last found, in one of eight slots by its key (see
    /// [`WellFormed::bound`]).
    found_prefixes: [usize; 8],
    /// Scratch for [`WellFormed::start_tag`]: where the current tag's attributes sit.
    attributes: Vec<Attribute>,
    depth: usize,
    root_seen: bool,
    root_closed: bool,
    /// Any markup or text yet: an XML declaration must come first.
    anything_seen: bool,
    /// A part with an external DTD may use entities that DTD declares (see
    /// [`WellFormed::allow_undeclared_entities`]).
    undeclared_entities_allowed: bool,
    trailing: String,
    /// Deepest nesting allowed (`limits.max_xml_depth`): the name and prefix stacks, and the
    /// readers' work per element, stay bounded whatever the part holds.
    max_depth: usize,
}

impl Default for WellFormed {
    fn default() -> Self {
        WellFormed {
            open: Vec::new(),
            long_names: Vec::new(),
            prefixes: Vec::new(),
            found_prefixes: [usize::MAX; 8],
            attributes: Vec::new(),
            depth: 0,
            root_seen: false,
            root_closed: false,
            anything_seen: false,
            undeclared_entities_allowed: false,
            trailing: String::new(),
            max_depth: crate::context::xml_depth_limit(),
        }
    }
}

/// Why a part is not well-formed.
pub type Fault = &'static str;

impl WellFormed {
    /// A start tag that quick-xml has found (or an empty-element tag, `empty`): its
    /// qualified name, and its attribute text as it stands after the name (without the
    /// closing `>` or `/>`). quick-xml passes over attribute text it cannot split, so this is
    /// where a damaged tag is caught. With `track_names`, end tags are checked against it.
    pub fn start_tag(
        &mut self,
        qname: &[u8],
        raw: &[u8],
        empty: bool,
        track_names: bool,
    ) -> Result<(), Fault> {
        let tag = scan_name(qname);
        if !tag.ok || tag.len != qname.len() {
            return Err("a tag's name is not an XML name");
        }
        let mut attributes = std::mem::take(&mut self.attributes);
        attributes.clear();
        let checked = attribute_list(
            raw,
            0,
            true,
            self.undeclared_entities_allowed,
            &mut attributes,
        )
        .and_then(|_| self.element(qname, &tag, raw, &attributes, empty, track_names));
        self.attributes = attributes;
        checked
    }

    /// The start tag at the front of `window` (from its `<`), read and checked in one pass:
    /// the tag scanner's way, so that each byte of a tag is looked at once. `attributes`
    /// gets where each attribute sits in `window`. `None` when the tag does not end within
    /// `window`.
    pub fn start_tag_at(
        &mut self,
        window: &[u8],
        attributes: &mut Vec<Attribute>,
    ) -> Result<Option<Tag>, Fault> {
        let tag = scan_name(&window[1..]);
        let name_end = 1 + tag.len;
        if name_end >= window.len() {
            return Ok(None);
        }
        if !tag.ok {
            return Err("a tag's name is not an XML name");
        }
        attributes.clear();
        let TagEnd::Close { len, empty } = attribute_list(
            window,
            name_end,
            false,
            self.undeclared_entities_allowed,
            attributes,
        )?
        else {
            return Ok(None);
        };
        self.element(&window[1..name_end], &tag, window, attributes, empty, true)?;
        Ok(Some(Tag {
            name_end,
            len,
            empty,
        }))
    }

    /// The checks on an element once its tag is read: one root, nesting within the limit,
    /// attributes unique, and every prefix declared. `attributes` sit in `text`.
    fn element(
        &mut self,
        qname: &[u8],
        tag: &Name,
        text: &[u8],
        attributes: &[Attribute],
        empty: bool,
        track_names: bool,
    ) -> Result<(), Fault> {
        self.anything_seen = true;
        if self.root_closed {
            return Err("a second root element after the first one ended");
        }
        self.root_seen = true;
        if self.depth >= self.max_depth {
            return Err(depth_fault(self.max_depth));
        }
        self.depth += 1;
        let mut prefixed = false;
        for attribute in attributes {
            if let Some(prefix) = attribute.prefix(text) {
                // Declarations first: an element may use a prefix it declares itself.
                if prefix == b"xmlns" {
                    let declared = attribute.local_name(text);
                    self.prefixes
                        .push((short_key(declared), declared.into(), self.depth));
                } else {
                    prefixed = true;
                }
            }
        }
        self.attributes_unique_and_bound(text, attributes, prefixed)?;
        if let Some(colon) = tag.colon
            && !self.bound(&qname[..colon], prefix_key(tag.key, colon))
        {
            return Err("an element uses a namespace prefix that is not declared");
        }
        if track_names && !empty {
            let start = if qname.len() < 8 {
                usize::MAX
            } else {
                let start = self.long_names.len();
                self.long_names.extend_from_slice(qname);
                start
            };
            self.open.push((tag.key, start));
        }
        if empty {
            self.close();
        }
        Ok(())
    }

    /// No attribute given twice in a tag, and every attribute prefix declared.
    fn attributes_unique_and_bound(
        &mut self,
        text: &[u8],
        attributes: &[Attribute],
        prefixed: bool,
    ) -> Result<(), Fault> {
        let unique = if attributes.len() <= 16 {
            // Tags carry a handful of attributes, so pairs are compared, key first.
            attributes.iter().enumerate().all(|(i, a)| {
                !attributes[..i]
                    .iter()
                    .any(|b| a.key == b.key && (a.name_len() < 8 || a.name(text) == b.name(text)))
            })
        } else {
            let mut seen = std::collections::HashSet::with_capacity(attributes.len());
            attributes.iter().all(|a| seen.insert(a.name(text)))
        };
        if !unique {
            return Err("an attribute is given twice in one tag");
        }
        if prefixed {
            for attribute in attributes {
                if let Some(prefix) = attribute.prefix(text)
                    && prefix != b"xmlns"
                    && !self.bound(prefix, prefix_key(attribute.key, prefix.len()))
                {
                    return Err("an attribute uses a namespace prefix that is not declared");
                }
            }
        }
        Ok(())
    }

    /// An end tag. With `track_names`, its name is checked against the open element's.
    pub fn end(&mut self, qname: &[u8], track_names: bool) -> Result<(), Fault> {
        let key = if track_names { short_key(qname) } else { 0 };
        self.end_keyed(qname, key, track_names)
    }

    /// The end tag at the front of `window` (from its `</`), read and checked in one pass.
    /// `None` when it does not end within `window`.
    pub fn end_tag_at(&mut self, window: &[u8]) -> Result<Option<Tag>, Fault> {
        // Nearly every end tag is `</name>` for the open element: tried first, by key, with
        // no pass over the name.
        if let Some(&(open_key, _)) = self.open.last() {
            let name_end = 2 + (open_key >> 56) as usize;
            if window.get(name_end) == Some(&b'>') && key_at(&window[2..], name_end - 2) == open_key
            {
                self.end_keyed(&window[2..name_end], open_key, true)?;
                return Ok(Some(Tag {
                    name_end,
                    len: name_end + 1,
                    empty: false,
                }));
            }
        }
        let name = scan_name(&window[2..]);
        let name_end = 2 + name.len;
        let mut i = name_end;
        while i < window.len() && CLASSES[window[i] as usize] & SPACE != 0 {
            i += 1;
        }
        match window.get(i) {
            None => Ok(None),
            Some(b'>') => {
                self.end_keyed(&window[2..name_end], name.key, true)?;
                Ok(Some(Tag {
                    name_end,
                    len: i + 1,
                    empty: false,
                }))
            }
            Some(_) => Err("an end tag holds more than its name"),
        }
    }

    #[inline(always)]
    fn end_keyed(&mut self, qname: &[u8], key: u64, track_names: bool) -> Result<(), Fault> {
        if self.depth == 0 {
            return Err("an end tag closes an element that was never opened");
        }
        if track_names {
            let (open_key, start) = self.open.pop().unwrap_or((0, usize::MAX));
            if open_key != key {
                return Err("an end tag does not match the element it closes");
            }
            if start != usize::MAX {
                if self.long_names[start..] != *qname {
                    return Err("an end tag does not match the element it closes");
                }
                self.long_names.truncate(start);
            }
        }
        self.close();
        Ok(())
    }

    fn close(&mut self) {
        while self
            .prefixes
            .last()
            .is_some_and(|(_, _, d)| *d >= self.depth)
        {
            self.prefixes.pop();
        }
        self.depth -= 1;
        if self.depth == 0 {
            self.root_closed = true;
        }
    }

    /// Whether `prefix` is declared by an open element. A root may declare dozens of
    /// prefixes (OpenDocument's declares about forty) and nearly every name uses one, so
    /// where each prefix was last found is remembered, by key, and tried first.
    /// `key` is the prefix's [`short_key`].
    fn bound(&mut self, prefix: &[u8], key: u64) -> bool {
        if prefix == b"xml" {
            return true;
        }
        let declares = |(k, p, _): &(u64, Box<[u8]>, usize)| {
            *k == key && (prefix.len() < 8 || &p[..] == prefix)
        };
        // Entries are only pushed and popped, so a remembered place either still holds the
        // prefix, or holds another or nothing, which `declares` tells.
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 61) as usize;
        if self
            .prefixes
            .get(self.found_prefixes[slot])
            .is_some_and(declares)
        {
            return true;
        }
        match self.prefixes.iter().rposition(declares) {
            Some(at) => {
                self.found_prefixes[slot] = at;
                true
            }
            None => false,
        }
    }

    /// Character data as written, references and all: each must be one XML allows.
    pub fn text(&mut self, text: &[u8]) -> Result<(), Fault> {
        if self.depth > 0 {
            return match memchr::memchr(b'&', text) {
                Some(at) => references_well_formed(&text[at..], self.undeclared_entities_allowed),
                None => Ok(()),
            };
        }
        self.outside_root(text)
    }

    /// Character data that holds no references: CDATA, whose `&` is literal, or text a
    /// reader has already split the references out of (or found none in).
    pub fn literal_text(&mut self, text: &[u8]) -> Result<(), Fault> {
        if self.depth > 0 {
            return Ok(());
        }
        self.outside_root(text)
    }

    /// Text before or after the root element: white space, or an error before it and
    /// residue after it.
    fn outside_root(&mut self, text: &[u8]) -> Result<(), Fault> {
        // A byte-order mark opens the document (ClosedXML writes one); it is not character data.
        let text = if self.anything_seen {
            text
        } else {
            text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text)
        };
        if text.is_empty() {
            return Ok(());
        }
        self.anything_seen = true;
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

    /// A reference a reader split out of the text (`name` between `&` and `;`).
    pub fn reference(&mut self, name: &[u8]) -> Result<(), Fault> {
        reference_well_formed(name, self.undeclared_entities_allowed)?;
        if self.depth > 0 {
            return Ok(());
        }
        self.text(b"&")
    }

    /// A comment or a DOCTYPE: nothing to check inside, but a declaration may not follow.
    pub fn other_markup(&mut self) {
        self.anything_seen = true;
    }

    /// A processing instruction, `body` between `<?` and `?>`. The one with the target `xml`
    /// is the XML declaration: first in the part, and a version, then optionally an
    /// encoding and `standalone`, as pairs. A misspelt declaration is damage, not an
    /// instruction to some other program.
    pub fn processing_instruction(&mut self, body: &[u8]) -> Result<(), Fault> {
        let target_len = body
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .unwrap_or(body.len());
        let (target, rest) = body.split_at(target_len);
        let first = !self.anything_seen;
        self.anything_seen = true;
        if !target.eq_ignore_ascii_case(b"xml") {
            return if is_name(target) {
                Ok(())
            } else {
                Err("a processing instruction without a name")
            };
        }
        const BAD_DECLARATION: Fault = "a malformed XML declaration";
        if !first {
            return Err("an XML declaration that is not at the start of the part");
        }
        if target != b"xml" {
            return Err(BAD_DECLARATION);
        }
        let text = rest.trim_ascii_end();
        let mut pairs = Vec::new();
        attribute_list(text, 0, true, false, &mut pairs).map_err(|_| BAD_DECLARATION)?;
        let mut expected: &[&[u8]] = &[b"version", b"encoding", b"standalone"];
        for (n, pair) in pairs.iter().enumerate() {
            let at = expected
                .iter()
                .position(|k| *k == pair.name(text))
                .filter(|&at| n > 0 || at == 0)
                .ok_or(BAD_DECLARATION)?;
            let value = pair.value(text);
            if n == 0
                && !(value.len() > 2
                    && value.starts_with(b"1.")
                    && value[2..].iter().all(u8::is_ascii_digit))
            {
                return Err(BAD_DECLARATION);
            }
            expected = &expected[at + 1..];
        }
        if pairs.is_empty() {
            return Err(BAD_DECLARATION);
        }
        Ok(())
    }

    /// Elements open now: a part that ends with some still open was cut short.
    pub fn open_elements(&self) -> usize {
        self.depth
    }

    /// Lets entity references other than the five predefined ones through: a part whose
    /// DOCTYPE names an external DTD may use entities declared there (never expanded).
    pub fn allow_undeclared_entities(&mut self) {
        self.undeclared_entities_allowed = true;
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

    /// Whether everything fed was UTF-8, with no character cut off at the end.
    pub fn whole(&self) -> bool {
        !self.bad && (self.utf16 || self.carried == 0)
    }
}

/// What a part that is not UTF-8 is told.
pub const NOT_UTF8: Fault = "bytes that are not UTF-8";

/// Byte classes for the checks' inner loops.
const NAME_BREAK: u8 = 1; // ends or delimits a name: white space and markup punctuation
const NAME_END: u8 = 2; // ends a name: white space, '=', '<', '>' or '/'
const VALUE_SPECIAL: u8 = 4; // may end an attribute value, or needs a look: quotes, '<', '&'
const SPACE: u8 = 8; // white space between attributes
const COLON: u8 = 16; // separates a prefix from a local name
const CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    mark(&mut table, b" \t\n\r\x0c<>&\"'=/!?[];", NAME_BREAK);
    mark(&mut table, b" \t\n\r\x0c=<>/", NAME_END);
    mark(&mut table, b" \t\n\r\x0c", SPACE);
    mark(&mut table, b"\"'<&", VALUE_SPECIAL);
    mark(&mut table, b":", COLON);
    table
};

/// Adds `class` to each of `bytes` in `table` (for [`CLASSES`], at compile time).
const fn mark(table: &mut [u8; 256], bytes: &[u8], class: u8) {
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] |= class;
        i += 1;
    }
}

/// Whether `name` can be an XML name: not empty, and none of the bytes that end or delimit
/// one. Damage inside a tag ("<color</ theme=...") shows up as such a byte in a name.
fn is_name(name: &[u8]) -> bool {
    let scan = scan_name(name);
    scan.ok && scan.len == name.len()
}

/// The first quote, `<` or `&` in `bytes` (or its length): eight bytes at a time, since
/// nearly every attribute value is shorter than that.
#[inline(always)]
fn find_value_special(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Marks the bytes of `word` equal to `b`: exact for the lowest match, which is the one
    // wanted here (a borrow can only mark bytes above a real match).
    let matches = |word: u64, b: u8| {
        let x = word ^ (ONES * b as u64);
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let found =
            matches(word, b'"') | matches(word, b'\'') | matches(word, b'<') | matches(word, b'&');
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && CLASSES[bytes[i] as usize] & VALUE_SPECIAL == 0 {
        i += 1;
    }
    i
}

/// What one pass over a name finds.
struct Name {
    /// Bytes up to white space, `=`, `<`, `>`, `/` or the end.
    len: usize,
    /// Whether those bytes can be an XML name: not empty, not starting with a digit, `-` or
    /// `.`, and none of the bytes that delimit one.
    ok: bool,
    /// Its [`short_key`].
    key: u64,
    /// Where its first `:` is.
    colon: Option<usize>,
}

/// Reads a name at the start of `bytes` once for everything the checks want of it. The
/// loop only finds the end and gathers the classes of the bytes it passed; the key and the
/// colon are found afterwards, and only when there is a colon to find.
#[inline(always)]
fn scan_name(bytes: &[u8]) -> Name {
    let mut seen = 0u8;
    let mut len = 0;
    while len < bytes.len() {
        let class = CLASSES[bytes[len] as usize];
        if class & NAME_END != 0 {
            break;
        }
        seen |= class;
        len += 1;
    }
    let ok = seen & NAME_BREAK == 0 && len > 0 && !matches!(bytes[0], b'0'..=b'9' | b'-' | b'.');
    let name = &bytes[..len];
    Name {
        len,
        ok,
        key: key_at(bytes, len),
        colon: if seen & COLON != 0 {
            memchr::memchr(b':', name)
        } else {
            None
        },
    }
}

/// The [`short_key`] of the first `len` bytes of `bytes`, from one eight-byte load where
/// `bytes` is long enough, as it nearly always is.
#[inline(always)]
fn key_at(bytes: &[u8], len: usize) -> u64 {
    match bytes.first_chunk::<8>() {
        Some(word) => {
            let kept = len.min(7);
            u64::from_le_bytes(*word) & ((1u64 << (8 * kept)) - 1) | (len.min(255) as u64) << 56
        }
        None => short_key(&bytes[..len]),
    }
}

/// The [`short_key`] of the prefix of a name whose key is `name_key` and whose first colon
/// is at `colon`: the prefix's first bytes are the name's.
#[inline(always)]
fn prefix_key(name_key: u64, colon: usize) -> u64 {
    let kept = colon.min(7);
    name_key & ((1u64 << (8 * kept)) - 1) | (colon.min(255) as u64) << 56
}

/// A name's length and first seven bytes in one integer: equal keys are equal names for
/// names under eight bytes (almost all of them), so most comparisons are one compare.
#[inline(always)]
fn short_key(name: &[u8]) -> u64 {
    let mut key = (name.len().min(255) as u64) << 56;
    for (i, &b) in name.iter().take(7).enumerate() {
        key |= (b as u64) << (8 * i);
    }
    key
}

/// Where one attribute sits in its tag's text: its name, the local part of the name after
/// any prefix, its raw value, and its name's [`short_key`].
#[derive(Debug, Clone, Copy)]
pub struct Attribute {
    key: u64,
    name: u32,
    local: u32,
    name_end: u32,
    value: u32,
    value_end: u32,
}

impl Attribute {
    pub fn name<'a>(&self, text: &'a [u8]) -> &'a [u8] {
        &text[self.name as usize..self.name_end as usize]
    }

    /// The name without its prefix.
    pub fn local_name<'a>(&self, text: &'a [u8]) -> &'a [u8] {
        &text[self.local as usize..self.name_end as usize]
    }

    /// The value as written, references unresolved.
    pub fn value<'a>(&self, text: &'a [u8]) -> &'a [u8] {
        &text[self.value as usize..self.value_end as usize]
    }

    fn prefix<'a>(&self, text: &'a [u8]) -> Option<&'a [u8]> {
        (self.local > self.name).then(|| &text[self.name as usize..self.local as usize - 1])
    }

    fn name_len(&self) -> usize {
        (self.name_end - self.name) as usize
    }
}

/// A tag read by [`WellFormed::start_tag_at`] or [`WellFormed::end_tag_at`]: where its
/// name ends and the tag ends, from its `<`, and whether it is an empty-element tag.
#[derive(Debug, Clone, Copy)]
pub struct Tag {
    pub name_end: usize,
    pub len: usize,
    pub empty: bool,
}

/// How a tag's attribute text ended.
enum TagEnd {
    /// At the tag's `>` or `/>`: the tag's length.
    Close { len: usize, empty: bool },
    /// The text ended first.
    NeedMore,
}

/// Reads attribute text from `from` as XML allows it: `name="value"` pairs, each after
/// white space, each value quoted, free of `<`, and with well-formed references; `out` gets
/// where each pair sits. Text that is `whole` (quick-xml's attribute text, or a
/// declaration's) is all there is and holds no `>`; otherwise the tag's `>` or `/>` ends
/// it, and text that stops short of that needs more.
fn attribute_list(
    text: &[u8],
    from: usize,
    whole: bool,
    undeclared_entities_allowed: bool,
    out: &mut Vec<Attribute>,
) -> Result<TagEnd, Fault> {
    const BAD: Fault = "a tag's attributes are not name=\"value\" pairs";
    let n = text.len();
    // Text that ends in the middle of a pair is broken if whole, or unfinished if not.
    let cut_short = || {
        if whole {
            Err(BAD)
        } else {
            Ok(TagEnd::NeedMore)
        }
    };
    let skip_space = |mut i: usize| {
        while i < n && CLASSES[text[i] as usize] & SPACE != 0 {
            i += 1;
        }
        i
    };
    let mut i = from;
    loop {
        let spaces_from = i;
        i = skip_space(i);
        let Some(&next) = text.get(i) else {
            return Ok(if whole {
                TagEnd::Close {
                    len: n,
                    empty: false,
                }
            } else {
                TagEnd::NeedMore
            });
        };
        if !whole && next == b'>' {
            return Ok(TagEnd::Close {
                len: i + 1,
                empty: false,
            });
        }
        if !whole && next == b'/' {
            return match text.get(i + 1) {
                None => Ok(TagEnd::NeedMore),
                Some(b'>') => Ok(TagEnd::Close {
                    len: i + 2,
                    empty: true,
                }),
                Some(_) => Err(BAD),
            };
        }
        if i == spaces_from {
            return Err(BAD);
        }
        let name_at = i;
        let name = scan_name(&text[i..]);
        i += name.len;
        if i == n {
            return cut_short();
        }
        if !name.ok {
            return Err(BAD);
        }
        i = skip_space(i);
        match text.get(i) {
            None => return cut_short(),
            Some(b'=') => i = skip_space(i + 1),
            Some(_) => return Err(BAD),
        }
        let quote = match text.get(i) {
            None => return cut_short(),
            Some(&q @ (b'"' | b'\'')) => q,
            Some(_) => return Err(BAD),
        };
        i += 1;
        // Values are short: one pass over the bytes finds the closing quote, any '<', and
        // whether a reference needs checking.
        let value_at = i;
        let mut first_ref = None;
        loop {
            i += find_value_special(&text[i..]);
            match text.get(i) {
                None => return cut_short(),
                Some(&b) if b == quote => break,
                Some(b'<') => return Err("an attribute value holds a '<'"),
                Some(b'&') => {
                    first_ref.get_or_insert(i);
                    i += 1;
                }
                Some(_) => i += 1,
            }
        }
        if let Some(at) = first_ref {
            references_well_formed(&text[at..i], undeclared_entities_allowed)?;
        }
        if out.len() >= MAX_ATTRIBUTES {
            return Err("a tag has more than 1,000 attributes");
        }
        out.push(Attribute {
            key: name.key,
            name: name_at as u32,
            local: (name_at + name.colon.map_or(0, |c| c + 1)) as u32,
            name_end: (name_at + name.len) as u32,
            value: value_at as u32,
            value_end: i as u32,
        });
        i += 1;
    }
}

/// Every `&` in `text` (raw character data or an attribute value) opens a reference that
/// XML allows: one of the five predefined entities, or a character reference to a character
/// XML allows (`&#0;` is not one).
fn references_well_formed(text: &[u8], undeclared_entities_allowed: bool) -> Result<(), Fault> {
    for at in memchr::memchr_iter(b'&', text) {
        let rest = &text[at + 1..];
        let Some(end) = memchr::memchr(b';', &rest[..rest.len().min(64)]) else {
            return Err("an '&' that starts no reference");
        };
        reference_well_formed(&rest[..end], undeclared_entities_allowed)?;
    }
    Ok(())
}

/// One reference's name, between `&` and `;`.
fn reference_well_formed(name: &[u8], undeclared_entities_allowed: bool) -> Result<(), Fault> {
    let code = match name {
        [b'#', b'x', hex @ ..] => std::str::from_utf8(hex)
            .ok()
            .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok()),
        [b'#', dec @ ..] => std::str::from_utf8(dec)
            .ok()
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<u32>().ok()),
        b"amp" | b"lt" | b"gt" | b"quot" | b"apos" => return Ok(()),
        _ if undeclared_entities_allowed && is_name(name) => return Ok(()),
        _ => return Err("a reference to an entity that is not declared"),
    };
    match code {
        Some(0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF) => Ok(()),
        _ => Err("a character reference to a character XML does not allow"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(w: &mut WellFormed, name: &str, attrs: &[&str]) -> Result<(), Fault> {
        let raw: String = attrs.iter().map(|a| format!(" {a}=\"v\"")).collect();
        w.start_tag(name.as_bytes(), raw.as_bytes(), false, true)
    }

    fn attributes_well_formed(raw: &[u8]) -> Result<(), Fault> {
        WellFormed::default().start_tag(b"x", raw, true, true)
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
        for good in [
            "",
            " a=\"1\"",
            " a = '1'  b=\"x y\" ",
            "\n\tr:id=\"rId1\" xmlns:r=\"u\"",
        ] {
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

        // Names of eight bytes or more share a key when their first seven bytes and their
        // length agree; the whole name then decides.
        let mut w = WellFormed::default();
        start(&mut w, "sheetView1", &["longattr1", "longattr2"]).expect("distinct");
        assert!(w.end(b"sheetView2", true).is_err(), "long end name differs");
        let mut w = WellFormed::default();
        assert!(
            start(&mut w, "a", &["longattr1", "longattr1"]).is_err(),
            "long duplicate"
        );
        let mut w = WellFormed::default();
        start(&mut w, "root", &["xmlns:extension1"]).unwrap();
        assert!(start(&mut w, "extension2:a", &[]).is_err(), "long prefix");
        start(&mut w, "extension1:a", &[]).expect("declared long prefix");

        // A prefix declared by an element is gone once it closes.
        let mut w = WellFormed::default();
        start(&mut w, "root", &[]).unwrap();
        start(&mut w, "p:a", &["xmlns:p"]).unwrap();
        w.end(b"p:a", true).unwrap();
        assert!(start(&mut w, "p:b", &[]).is_err(), "prefix out of scope");
    }

    #[test]
    fn references_must_be_predefined_or_allowed_characters() {
        let mut w = WellFormed::default();
        start(&mut w, "t", &[]).unwrap();
        for good in [
            "a &amp; b",
            "&lt;&gt;&quot;&apos;",
            "&#9;&#x41;&#65;&#xD7FF;&#x10FFFF;",
        ] {
            assert!(w.text(good.as_bytes()).is_ok(), "{good}");
        }
        for bad in [
            "&#0;",
            "&#x1;",
            "&#xFFFFFFFF;",
            "&#xFFFE;",
            "&#;",
            "&#x;",
            "&nbsp;",
            "AT&T",
            "a & b",
        ] {
            assert!(w.text(bad.as_bytes()).is_err(), "{bad}");
        }
        assert!(w.reference(b"#0").is_err() && w.reference(b"amp").is_ok());
        assert!(attributes_well_formed(b" a=\"x&#0;\"").is_err());
        assert!(attributes_well_formed(b" a=\"x&amp;y\"").is_ok());
        // An external DTD may declare entities; they are let through, never expanded.
        let mut w = WellFormed::default();
        w.allow_undeclared_entities();
        start(&mut w, "t", &[]).unwrap();
        assert!(w.text(b"&nbsp;").is_ok() && w.text(b"&#0;").is_err());
    }

    #[test]
    fn the_declaration_comes_first_and_is_spelt_right() {
        for good in [
            "xml version=\"1.0\"",
            "xml version='1.0' encoding=\"UTF-8\" standalone=\"yes\"",
            "xml version=\"1.1\" standalone=\"no\" ",
        ] {
            let mut w = WellFormed::default();
            assert!(w.processing_instruction(good.as_bytes()).is_ok(), "{good}");
        }
        for bad in [
            "xml versson=\"1.0\"",
            "xml",
            "xml encoding=\"UTF-8\" version=\"1.0\"",
            "xml version=\"2.0\"",
            "xml version=\"1.0\"encoding=\"UTF-8\"",
            "XML version=\"1.0\"",
        ] {
            let mut w = WellFormed::default();
            assert!(w.processing_instruction(bad.as_bytes()).is_err(), "{bad}");
        }
        let mut w = WellFormed::default();
        w.text(b"\n").unwrap();
        assert!(
            w.processing_instruction(b"xml version=\"1.0\"").is_err(),
            "not first"
        );
        let mut w = WellFormed::default();
        w.processing_instruction(b"xml version=\"1.0\"").unwrap();
        assert!(
            w.processing_instruction(b"mso-application progid=\"Excel.Sheet\"")
                .is_ok(),
            "an instruction to another program"
        );
        assert!(w.processing_instruction(b"").is_err(), "no target");
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
