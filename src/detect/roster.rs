//! `roster-match`: names and identifiers from `--roster` files, found in every extracted text.
//!
//! A roster lists people who must never be named in a release (officers, staff, victims).
//! Each entry is expanded into the forms people write names in ("SMITH, John", "J. Smith",
//! "Smith J" …) and every form of every entry, plus every identifier, goes into one
//! Aho-Corasick automaton: a text is read once whatever the roster size. The automaton knows
//! nothing of words, so each candidate is then checked in code (word boundaries, initials,
//! identifier context).
//!
//! Decisions:
//! - **Whitespace.** Forms are generated with single spaces. A text with any other whitespace
//!   (runs of spaces, tabs, line breaks, no-break spaces) is folded first: every run becomes
//!   one space, so "John\n  Smith" matches. Spans always point into the original text.
//! - **Non-ASCII.** `ascii_case_insensitive` folds ASCII only, so roster and text pass through
//!   the same fold: Latin letters with accents lose them ("Zoë" → "zoe", "Ó Súilleabháin" →
//!   "o suilleabhain", "ß" → "ss"), decomposed accents and zero-width characters are dropped,
//!   typographic apostrophes and dashes become ASCII, other scripts are lower-cased. So
//!   "ZOË", "Zoë" and "Zoe" all match a roster "Zoë". Pure ASCII texts without odd
//!   whitespace (most cells) skip the fold.
//! - **Initials** match only in upper case: in "Smith a few days" or "a Smith" the letter is a
//!   word, not an initial. "Smith I think" (A or I followed by a lower-case word) is not a
//!   match either. Whole names match in any case.
//! - **Alone never matches**: a surname or forename by itself is too common ("Smith Street").
//! - **Identifiers** match as whole tokens, never inside a longer number, a decimal, a date
//!   or a thousands group. Identifiers of [`SHORT_ID`] characters or more match anywhere;
//!   shorter ones (3–4 digit collar numbers collide with counts and years) only right after a
//!   rank or an identifier word ("PC 4821", "PC4821", "collar no. 4821"), or in a table cell
//!   next to the same entry's name ([`Roster::pair_hit`]).
//! - **Automaton kind**: a contiguous NFA. A DFA over 100,000 entries (millions of states ×
//!   byte classes × 4 bytes) would take gigabytes; the contiguous NFA is the most compact
//!   kind and still reads well over 100 MB/s.

use super::hit::Hit;
use crate::model::Severity;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

const RULE: &str = "roster-match";

/// Identifiers at least this long (in characters) match anywhere as whole tokens; shorter ones
/// need a rank or identifier word before them.
pub const SHORT_ID: usize = 5;

/// Pattern kinds, kept in the low bits of [`Roster::patterns`].
const NAME: u32 = 0;
const ID_LONG: u32 = 1;
const ID_SHORT: u32 = 2;
const KIND_BITS: u32 = 2;
const NONE: u32 = u32::MAX;

/// Rank abbreviations and words that, right before a short number, make it an officer's number.
const RANKS: &[&str] = &[
    "pc",
    "ps",
    "dc",
    "ds",
    "di",
    "dci",
    "dsi",
    "dsu",
    "dcs",
    "sc",
    "pcso",
    "tdc",
    "sgt",
    "sergeant",
    "insp",
    "inspector",
    "supt",
    "superintendent",
    "constable",
    "officer",
    "detective",
];
/// Words that name an identifier by themselves ("collar 4821").
const ID_WORDS: &[&str] = &["collar", "shoulder", "warrant", "badge", "payroll"];
/// Words that name an identifier when followed by "no"/"number" ("pay no. 4821").
const ID_STEMS: &[&str] = &[
    "collar",
    "shoulder",
    "warrant",
    "badge",
    "payroll",
    "pay",
    "service",
    "staff",
    "employee",
    "personnel",
    "officer",
    "id",
];
const NUMBER_WORDS: &[&str] = &["no", "nos", "number", "num", "nbr"];
/// Titles and ranks stripped from the front of a roster name ("PC John Smith").
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "revd",
];
/// Surname particles kept with the surname ("Jan van der Berg", "Seán Ó Súilleabháin").
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos", "das",
    "st", "st.", "o", "ó", "ní", "nic", "mac", "mc", "ua", "ap", "ab", "bin", "ibn", "al", "el",
    "ter", "ten",
];

/// Names and identifiers that must never be released, ready to search for.
pub struct Roster {
    ac: AhoCorasick,
    /// Per automaton pattern: `entry << KIND_BITS | kind`.
    patterns: Vec<u32>,
    entries: Vec<Entry>,
    sources: Vec<Source>,
    /// Folded surname / forename → key, for table cells.
    surnames: HashMap<Box<str>, u32>,
    forenames: HashMap<Box<str>, u32>,
    /// (surname key, forename key) → entry.
    full_pairs: HashMap<(u32, u32), u32>,
    /// (surname key, lower-case initial) → entry.
    initial_pairs: HashMap<(u32, u8), u32>,
    /// Folded identifier → entries.
    ids: HashMap<Box<str>, Vec<u32>>,
    /// Shortest pattern: shorter texts cannot match.
    min_len: usize,
}

struct Entry {
    source: u32,
    surname: u32,
    forename: u32,
    /// `S**** J.`: what a reviewer may see of the name.
    mask: Box<str>,
}

struct Source {
    name_label: String,
    id_label: String,
}

/// What a whole table cell is, for matching a name split across neighbouring cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellPart<'a> {
    surname: Option<u32>,
    forename: Option<u32>,
    /// Lower-case ASCII letter when the cell is a single upper-case initial ("J", "J.").
    initial: Option<u8>,
    /// Entries whose identifier the cell is.
    ids: &'a [u32],
}

impl CellPart<'_> {
    /// Some entry's surname.
    pub fn is_surname(&self) -> bool {
        self.surname.is_some()
    }
    /// Some entry's forename (or all its forenames).
    pub fn is_forename(&self) -> bool {
        self.forename.is_some()
    }
    /// A single initial.
    pub fn is_initial(&self) -> bool {
        self.initial.is_some()
    }
    /// Some entry's identifier.
    pub fn is_identifier(&self) -> bool {
        !self.ids.is_empty()
    }
}

impl fmt::Debug for Roster {
    /// Counts only: a roster is personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Roster")
            .field("entries", &self.entries.len())
            .field("patterns", &self.patterns.len())
            .field("sources", &self.sources.len())
            .finish()
    }
}

impl Roster {
    /// Loads one or more roster files. An unreadable, empty or entry-less file is an `Err`
    /// naming the file (the CLI turns it into exit code 2).
    pub fn load(paths: &[PathBuf]) -> Result<Roster, String> {
        let mut builder = Builder::default();
        for path in paths {
            let bytes = std::fs::read(path)
                .map_err(|e| format!("cannot read roster '{}': {e}", path.display()))?;
            let label = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string());
            builder.source(&path.display().to_string(), &label, &bytes)?;
        }
        builder.finish()
    }

    /// Builds from in-memory content (tests, benches): (source name, file bytes).
    pub fn from_sources(sources: &[(&str, &[u8])]) -> Result<Roster, String> {
        let mut builder = Builder::default();
        for (name, bytes) in sources {
            builder.source(name, name, bytes)?;
        }
        builder.finish()
    }

    /// Number of entries (people, or identifier lines) over all files.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Approximate heap bytes held (automaton, pattern table, cell maps).
    pub fn memory_usage(&self) -> usize {
        fn map<K, V>(m: &HashMap<K, V>) -> usize {
            // hashbrown: one control byte plus the slot per bucket.
            m.capacity() * (std::mem::size_of::<(K, V)>() + 1)
        }
        let keys = |m: &HashMap<Box<str>, u32>| m.keys().map(|k| k.len()).sum::<usize>();
        self.ac.memory_usage()
            + self.patterns.capacity() * 4
            + self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.entries.iter().map(|e| e.mask.len()).sum::<usize>()
            + map(&self.surnames)
            + keys(&self.surnames)
            + map(&self.forenames)
            + keys(&self.forenames)
            + map(&self.full_pairs)
            + map(&self.initial_pairs)
            + map(&self.ids)
            + self
                .ids
                .iter()
                .map(|(k, v)| k.len() + v.capacity() * 4)
                .sum::<usize>()
    }

    /// Appends a Hit for every roster name or identifier in `text`, in one automaton pass.
    pub fn find(&self, text: &str, out: &mut Vec<Hit>) {
        if text.len() < self.min_len {
            return;
        }
        if !needs_fold(text) {
            self.search(text, None, out);
            return;
        }
        FOLD.with(|cell| {
            let mut folded = cell.borrow_mut();
            folded.fold(text);
            self.search(&folded.text, Some(&folded.map), out);
            if folded.text.capacity() > 1 << 24 {
                *folded = Folded::default();
            }
        });
    }

    fn search(&self, hay: &str, map: Option<&[(usize, usize)]>, out: &mut Vec<Hit>) {
        let orig = |pos: usize| map.map_or(pos, |m| unfold(m, pos));
        let mut pos = 0;
        while pos < hay.len() {
            let Some(m) = self.ac.find(Input::new(hay).range(pos..)) else {
                break;
            };
            let start = m.start();
            let mut cand = Some((m.end(), m.pattern().as_usize()));
            let mut accepted = None;
            while let Some((end, pid)) = cand {
                let meta = self.patterns[pid];
                if let Some(end) = accept(hay, start, end, meta & ((1 << KIND_BITS) - 1)) {
                    accepted = Some((end, meta));
                    break;
                }
                // A shorter form starting here may still end at a word boundary
                // ("Smith J Made…": not "Smith J M", but "Smith J").
                cand = (end > start + 1)
                    .then(|| {
                        let input = Input::new(hay)
                            .range(start..end - 1)
                            .anchored(Anchored::Yes);
                        self.ac.find(input)
                    })
                    .flatten()
                    .map(|m| (m.end(), m.pattern().as_usize()));
            }
            match accepted {
                Some((end, meta)) => {
                    let entry = &self.entries[(meta >> KIND_BITS) as usize];
                    let source = &self.sources[entry.source as usize];
                    let (label, masked) = if meta & ((1 << KIND_BITS) - 1) == NAME {
                        (source.name_label.clone(), entry.mask.to_string())
                    } else {
                        (source.id_label.clone(), mask_id(&hay[start..end]))
                    };
                    out.push(hit(orig(start), orig(end), label, masked));
                    pos = end;
                }
                None => pos = start + 1,
            }
        }
    }

    /// For table cells: if the whole cell (trimmed, case-insensitive) is an entry's surname,
    /// forename, a single initial or an identifier, says which, so the engine can pair it with
    /// a neighbouring cell of the same row.
    pub fn cell_part(&self, cell: &str) -> Option<CellPart<'_>> {
        let trimmed = cell.trim();
        if trimmed.is_empty() || trimmed.len() > 80 {
            return None;
        }
        let key = fold_key(trimmed);
        let initial = {
            let b = trimmed.as_bytes();
            let letter = match b {
                [c] | [c, b'.'] => Some(*c),
                _ => None,
            };
            letter
                .filter(u8::is_ascii_uppercase)
                .map(|c| c.to_ascii_lowercase())
        };
        let part = CellPart {
            surname: self.surnames.get(key.as_str()).copied(),
            forename: self.forenames.get(key.as_str()).copied(),
            initial,
            ids: self.ids.get(key.as_str()).map_or(&[], Vec::as_slice),
        };
        (part.surname.is_some()
            || part.forename.is_some()
            || part.initial.is_some()
            || !part.ids.is_empty())
        .then_some(part)
    }

    /// Given the parts of two neighbouring cells of one row, the Hit (spanning the second
    /// cell's trimmed text) when they are the surname and forename (or initial) of one entry,
    /// or one entry's name and identifier.
    pub fn pair_hit(&self, a: &CellPart<'_>, b: &CellPart<'_>, b_text: &str) -> Option<Hit> {
        let by_name = |s: Option<u32>, f: Option<u32>, i: Option<u8>| -> Option<u32> {
            let s = s?;
            f.and_then(|f| self.full_pairs.get(&(s, f)).copied())
                .or_else(|| i.and_then(|i| self.initial_pairs.get(&(s, i)).copied()))
        };
        let by_id = |ids: &[u32], p: &CellPart<'_>| -> Option<u32> {
            ids.iter().copied().find(|&e| {
                let e = &self.entries[e as usize];
                (e.surname != NONE && p.surname == Some(e.surname))
                    || (e.forename != NONE && p.forename == Some(e.forename))
            })
        };
        let (entry, is_id) = if let Some(e) = by_name(a.surname, b.forename, b.initial)
            .or_else(|| by_name(b.surname, a.forename, a.initial))
        {
            (e, false)
        } else if let Some(e) = by_id(b.ids, a) {
            (e, true)
        } else {
            (by_id(a.ids, b)?, false)
        };
        let entry = &self.entries[entry as usize];
        let source = &self.sources[entry.source as usize];
        let start = b_text.len() - b_text.trim_start().len();
        let end = b_text.trim_end().len().max(start);
        Some(if is_id {
            hit(
                start,
                end,
                source.id_label.clone(),
                mask_id(&b_text[start..end]),
            )
        } else {
            hit(
                start,
                end,
                source.name_label.clone(),
                entry.mask.to_string(),
            )
        })
    }
}

fn hit(start: usize, end: usize, label: String, masked: String) -> Hit {
    Hit {
        rule: RULE,
        start,
        end,
        severity: Severity::High,
        strong: true,
        label,
        masked,
    }
}

/// Checks a candidate at `hay[start..end]`; returns the end of the hit (a trailing "." after
/// an initial is included) when it is one.
fn accept(hay: &str, start: usize, end: usize, kind: u32) -> Option<usize> {
    if kind == NAME {
        accept_name(hay, start, end)
    } else {
        accept_id(hay, start, end, kind == ID_SHORT)
    }
}

fn accept_name(hay: &str, start: usize, end: usize) -> Option<usize> {
    let before = &hay[..start];
    let mut back = before.chars().rev();
    match back.next() {
        Some(c) if c.is_alphanumeric() => return None,
        // "Mary-John Smith", "d'John": inside a hyphenated or elided word.
        Some('-' | '\'') if back.next().is_some_and(char::is_alphanumeric) => return None,
        _ => {}
    }
    let after = &hay[end..];
    let mut fwd = after.chars();
    match fwd.next() {
        Some(c) if c.is_alphanumeric() => return None,
        // "John Smith-Jones" is someone else.
        Some('-') if fwd.next().is_some_and(char::is_alphanumeric) => return None,
        _ => {}
    }
    let mut last = "";
    for tok in hay[start..end]
        .split([' ', ',', '.'])
        .filter(|t| !t.is_empty())
    {
        if tok.len() == 1 && tok.as_bytes()[0].is_ascii_lowercase() {
            return None;
        }
        last = tok;
    }
    if last.len() == 1 {
        let a = after.as_bytes();
        if matches!(last, "A" | "I") && a.len() >= 2 && a[0] == b' ' && a[1].is_ascii_lowercase() {
            return None;
        }
        if a.first() == Some(&b'.') {
            return Some(end + 1);
        }
    }
    Some(end)
}

fn accept_id(hay: &str, start: usize, end: usize, short: bool) -> Option<usize> {
    let before = &hay[..start];
    let mut glued_rank = false;
    let mut back = before.chars().rev();
    match back.next() {
        Some(c) if c.is_ascii_alphabetic() => {
            // "PC4821": a rank written against the number.
            let word_start = before
                .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .len();
            let word = &before[word_start..];
            if !is_in(word, RANKS)
                || before[..word_start]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            {
                return None;
            }
            glued_rank = true;
        }
        Some(c) if c.is_alphanumeric() => return None,
        // 1.4821, 12/4821, 2021-4821: part of a longer number or a date.
        Some('.' | ',' | '/' | '-' | ':') if back.next().is_some_and(|d| d.is_ascii_digit()) => {
            return None;
        }
        _ => {}
    }
    let mut fwd = hay[end..].chars();
    match fwd.next() {
        Some(c) if c.is_alphanumeric() => return None,
        Some('.' | ',' | '/' | '-' | ':') if fwd.next().is_some_and(|d| d.is_ascii_digit()) => {
            return None;
        }
        _ => {}
    }
    if short && !glued_rank && !id_context(before) {
        return None;
    }
    Some(end)
}

/// True when `before` ends with a rank or identifier word: "PC ", "Collar No. ", "warrant #".
fn id_context(before: &str) -> bool {
    const SEP: &[char] = &[' ', ':', '#', '.', '-', '(', '='];
    let (rest, word) = last_word(before.trim_end_matches(SEP));
    if is_in(word, RANKS) || is_in(word, ID_WORDS) {
        return true;
    }
    if is_in(word, NUMBER_WORDS) {
        let (_, stem) = last_word(rest.trim_end_matches(SEP));
        return is_in(stem, ID_STEMS);
    }
    false
}

/// Splits off the trailing ASCII word; the word is empty unless it starts at a word boundary.
fn last_word(s: &str) -> (&str, &str) {
    let rest = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if rest.chars().next_back().is_some_and(char::is_alphanumeric) {
        return (s, "");
    }
    (rest, &s[rest.len()..])
}

fn is_in(word: &str, list: &[&str]) -> bool {
    !word.is_empty() && list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// `48**`: the first two characters (one if the identifier is that short), then stars.
fn mask_id(id: &str) -> String {
    let n = id.chars().count();
    let keep = if n > 2 { 2 } else { 1 };
    id.chars()
        .enumerate()
        .map(|(i, c)| if i < keep { c } else { '*' })
        .collect()
}

/// `S**** J.`: surname initial and letters starred (separators kept), forename initial.
fn mask_name(surname: &str, initial: Option<char>) -> String {
    let mut out = String::new();
    for (i, c) in surname.chars().enumerate() {
        if i == 0 {
            out.extend(c.to_uppercase());
        } else if c.is_alphanumeric() {
            out.push('*');
        } else {
            out.push(c);
        }
    }
    if let Some(i) = initial {
        out.push(' ');
        out.extend(i.to_uppercase());
        out.push('.');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Folding

thread_local! {
    /// Reused per thread so folding allocates only when a text outgrows the buffer.
    static FOLD: RefCell<Folded> = RefCell::new(Folded::default());
}

/// A text folded for matching, with a sparse map back to the original byte offsets.
#[derive(Default)]
struct Folded {
    text: String,
    /// (folded offset, original offset) wherever their difference changes; starts at (0, 0).
    map: Vec<(usize, usize)>,
}

/// Does the text need folding? Pure ASCII with single spaces does not (most cells).
fn needs_fold(text: &str) -> bool {
    let b = text.as_bytes();
    !text.is_ascii()
        || memchr::memchr3(b'\n', b'\r', b'\t', b).is_some()
        || memchr::memchr2(0x0b, 0x0c, b).is_some()
        || memchr::memmem::find(b, b"  ").is_some()
}

/// Original offset of a folded offset.
fn unfold(map: &[(usize, usize)], pos: usize) -> usize {
    let i = map.partition_point(|&(f, _)| f <= pos);
    let (f, o) = map[i.saturating_sub(1)];
    o + (pos - f)
}

impl Folded {
    fn fold(&mut self, src: &str) {
        self.text.clear();
        self.map.clear();
        self.map.push((0, 0));
        let bytes = src.as_bytes();
        let mut run = 0; // start of the verbatim stretch not yet copied
        let mut i = 0;
        let mut space = true; // leading whitespace is dropped
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                let ws = b == b' ' || (b'\t'..=b'\r').contains(&b);
                if !ws || (b == b' ' && !space) {
                    space = ws;
                    i += 1;
                    continue;
                }
                self.text.push_str(&src[run..i]);
                self.sync(i);
                if !space {
                    self.text.push(' ');
                    space = true;
                }
                i += 1;
            } else {
                let c = src[i..].chars().next().unwrap_or(' ');
                self.text.push_str(&src[run..i]);
                self.sync(i);
                if is_space(c) {
                    if !space {
                        self.text.push(' ');
                        space = true;
                    }
                } else if fold_char(c, &mut self.text) {
                    space = false;
                }
                i += c.len_utf8();
            }
            run = i;
            self.sync(i);
        }
        self.text.push_str(&src[run..]);
        self.sync(src.len());
    }

    /// Records that the next folded byte corresponds to original offset `orig`.
    fn sync(&mut self, orig: usize) {
        let pos = self.text.len();
        let last = self.map.last_mut().expect("map starts with (0, 0)");
        if last.1 + (pos - last.0) == orig {
            return;
        }
        if last.0 == pos {
            last.1 = orig;
        } else {
            self.map.push((pos, orig));
        }
    }
}

fn is_space(c: char) -> bool {
    matches!(
        c,
        '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// Folds one non-ASCII, non-space character; false when it is dropped.
fn fold_char(c: char, out: &mut String) -> bool {
    let cp = c as u32;
    let s: &str = match c {
        // Zero-width and format characters, soft hyphen, BOM, combining accents.
        '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}' | '\u{300}'..='\u{36f}' => {
            return false;
        }
        '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{2032}' | '\u{2bc}' => "'",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        '\u{c0}'..='\u{ff}' => LATIN1[(cp - 0xc0) as usize],
        '\u{100}'..='\u{17f}' => LATIN_EXT_A[(cp - 0x100) as usize],
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => out.push(l),
                _ => out.push(c),
            }
            return true;
        }
    };
    if s.is_empty() {
        out.push(c);
    } else {
        out.push_str(s);
    }
    true
}

/// U+00C0–U+00FF without accents, case kept ("" keeps the character: × ÷).
const LATIN1: [&str; 64] = [
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I", "D", "N", "O",
    "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "ss", "a", "a", "a", "a", "a", "a",
    "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", "", "o",
    "u", "u", "u", "u", "y", "th", "y",
];

/// U+0100–U+017F without accents, case kept.
const LATIN_EXT_A: [&str; 128] = [
    "A", "a", "A", "a", "A", "a", // Ā ā Ă ă Ą ą
    "C", "c", "C", "c", "C", "c", "C", "c", // Ć … č
    "D", "d", "D", "d", // Ď ď Đ đ
    "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", // Ē … ě
    "G", "g", "G", "g", "G", "g", "G", "g", // Ĝ … ģ
    "H", "h", "H", "h", // Ĥ … ħ
    "I", "i", "I", "i", "I", "i", "I", "i", "I", "i", // Ĩ … ı
    "IJ", "ij", "J", "j", "K", "k", "k", // Ĳ ĳ Ĵ ĵ Ķ ķ ĸ
    "L", "l", "L", "l", "L", "l", "L", "l", "L", "l", // Ĺ … ł
    "N", "n", "N", "n", "N", "n", "n", "N", "n", // Ń … ŋ
    "O", "o", "O", "o", "O", "o", "OE", "oe", // Ō … œ
    "R", "r", "R", "r", "R", "r", // Ŕ … ř
    "S", "s", "S", "s", "S", "s", "S", "s", // Ś … š
    "T", "t", "T", "t", "T", "t", // Ţ … ŧ
    "U", "u", "U", "u", "U", "u", "U", "u", "U", "u", "U", "u", // Ũ … ų
    "W", "w", "Y", "y", "Y", // Ŵ ŵ Ŷ ŷ Ÿ
    "Z", "z", "Z", "z", "Z", "z", "s", // Ź … ž ſ
];

/// Folded, trimmed, lower-cased: how roster parts and cells are compared.
fn fold_key(s: &str) -> String {
    let mut f = Folded::default();
    f.fold(s.trim());
    let mut key = f.text;
    key.truncate(key.trim_end().len());
    key.make_ascii_lowercase();
    key
}

// ---------------------------------------------------------------------------------------------
// Loading

/// Decodes a roster file: UTF-8 with or without BOM, UTF-16 with BOM (Excel "Unicode text"),
/// otherwise Windows-1252 (Excel's "CSV" on UK Windows).
fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let utf16 = |rest: &[u8], le: bool| {
        let units = rest.chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{fffd}'))
            .collect()
    };
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return utf16(rest, false);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| cp1252(b)).collect(),
    }
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Surname,
    Forename,
    Middle,
    FullName,
    Initials,
    Identifier,
}

/// Recognises a heading, ignoring case, punctuation and spacing ("Collar No.", "LAST_NAME").
fn column(heading: &str) -> Option<Column> {
    let mut c = String::new();
    for ch in heading.trim().chars() {
        if ch == '#' {
            c.push_str("number");
        } else if ch.is_alphanumeric() {
            c.extend(ch.to_lowercase());
        }
    }
    Some(match c.as_str() {
        "surname" | "lastname" | "familyname" => Column::Surname,
        "forename" | "forenames" | "firstname" | "firstnames" | "givenname" | "givennames"
        | "christianname" => Column::Forename,
        "middlename" | "middlenames" => Column::Middle,
        "name" | "fullname" | "officername" | "staffname" | "employeename" => Column::FullName,
        "initials" | "initial" => Column::Initials,
        _ => {
            let stem = ["number", "num", "nbr", "no", "id"]
                .iter()
                .find_map(|s| c.strip_suffix(s))
                .filter(|s| !s.is_empty());
            let ok = match stem {
                Some(stem) => is_in(stem, ID_STEMS),
                None => is_in(&c, ID_WORDS),
            };
            if !ok {
                return None;
            }
            Column::Identifier
        }
    })
}

/// One parsed roster line or row.
#[derive(Default)]
struct Person {
    surname: String,
    forenames: Vec<String>,
    /// Upper-case initials of all forenames.
    initials: String,
    ids: Vec<String>,
}

impl Person {
    /// Adds forename tokens: "J.", "J.M." and single letters are initials, the rest names.
    fn add_forenames(&mut self, text: &str) {
        for tok in text.split_whitespace() {
            let letters: String = tok.chars().filter(|c| *c != '.').collect();
            if letters.is_empty() {
                continue;
            }
            if letters.chars().count() == 1 || (tok.contains('.') && letters.len() <= 4) {
                self.initials
                    .extend(letters.chars().flat_map(char::to_uppercase));
            } else {
                self.initials
                    .extend(letters.chars().take(1).flat_map(char::to_uppercase));
                self.forenames.push(tok.to_string());
            }
        }
    }

    fn has_name(&self) -> bool {
        !self.surname.is_empty() && !self.initials.is_empty()
    }
}

/// Parses "John Smith", "SMITH, John", "J. Smith", "Smith J", "SMITH John", "PC John Smith".
fn parse_name(text: &str) -> Option<Person> {
    let text = text.trim();
    let name_char = |c: char| c.is_alphabetic() || " -'’.,\u{a0}".contains(c);
    if text.is_empty() || !text.chars().all(name_char) || text.matches(',').count() > 1 {
        return None;
    }
    let mut p = Person::default();
    if let Some((surname, forenames)) = text.split_once(',') {
        p.surname = surname.split_whitespace().collect::<Vec<_>>().join(" ");
        p.add_forenames(forenames);
        return p.has_name().then_some(p);
    }
    let mut toks: Vec<&str> = text.split_whitespace().collect();
    while !toks.is_empty() {
        let t = toks[0].trim_end_matches('.');
        let rank = t.len() > 1 && t.chars().all(|c| c.is_ascii_uppercase()) && is_in(t, RANKS);
        if is_in(t, TITLES) || rank {
            toks.remove(0);
        } else {
            break;
        }
    }
    if toks.len() < 2 {
        return None;
    }
    let initial_like =
        |t: &str| t.trim_end_matches('.').chars().count() == 1 || t.matches('.').count() >= 2;
    let all_caps = |t: &str| {
        t.chars().filter(|c| c.is_alphabetic()).count() > 1 && !t.chars().any(char::is_lowercase)
    };
    let last = toks[toks.len() - 1];
    if initial_like(last) && !initial_like(toks[0]) {
        // "SMITH J", "Smith J.M."
        p.surname = toks[..toks.len() - 1].join(" ");
        p.add_forenames(last);
    } else if all_caps(toks[0]) && !toks.iter().all(|t| all_caps(t)) {
        // "SMITH John", "VAN DER BERG Jan"
        let n = toks.iter().take_while(|t| all_caps(t)).count();
        p.surname = toks[..n].join(" ");
        p.add_forenames(&toks[n..].join(" "));
    } else {
        let mut s = toks.len() - 1;
        while s > 1 && PARTICLES.contains(&toks[s - 1].to_lowercase().as_str()) {
            s -= 1;
        }
        p.surname = toks[s..].join(" ");
        p.add_forenames(&toks[..s].join(" "));
    }
    p.has_name().then_some(p)
}

/// A usable identifier: has a digit; letters, digits and a few separators only.
fn clean_id(text: &str) -> Option<String> {
    let id = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let ok = id.chars().count() >= 2
        && id.chars().any(|c| c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " -/".contains(c));
    ok.then_some(id)
}

/// Finds the header line's delimiter when it holds a recognised heading.
fn csv_delimiter(first_line: &str) -> Option<u8> {
    [b',', b'\t', b';', b'|'].into_iter().find(|&d| {
        first_line.contains(d as char)
            && first_line
                .split(d as char)
                .any(|h| column(h.trim().trim_matches('"')).is_some())
    })
}

fn parse_csv(text: &str, delimiter: u8, file: &str) -> Result<(Vec<Person>, usize), String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(format!("roster '{file}': {e}")),
        None => return Ok((Vec::new(), 0)),
    };
    let cols: Vec<Option<Column>> = header.iter().map(column).collect();
    let mut people = Vec::new();
    let mut rows = 0;
    for record in records {
        let record = record.map_err(|e| format!("roster '{file}': {e}"))?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        rows += 1;
        let mut p = Person::default();
        let (mut forenames, mut middle, mut initials, mut full) = ("", "", "", "");
        for (value, col) in record.iter().zip(&cols) {
            let value = value.trim();
            match col {
                Some(Column::Surname) => {
                    p.surname = value.split_whitespace().collect::<Vec<_>>().join(" ")
                }
                Some(Column::Forename) => forenames = value,
                Some(Column::Middle) => middle = value,
                Some(Column::Initials) => initials = value,
                Some(Column::FullName) => full = value,
                Some(Column::Identifier) => p.ids.extend(clean_id(value)),
                None => {}
            }
        }
        if p.surname.is_empty() {
            if let Some(parsed) = parse_name(full) {
                p.surname = parsed.surname;
                p.forenames = parsed.forenames;
                p.initials = parsed.initials;
            }
        } else {
            p.add_forenames(forenames);
            p.add_forenames(middle);
        }
        let given: String = initials
            .chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_uppercase)
            .collect();
        let first = p.initials.chars().next();
        if !given.is_empty() && first.is_none_or(|c| given.starts_with(c)) {
            p.initials = given;
        }
        if p.has_name() || !p.ids.is_empty() {
            people.push(p);
        }
    }
    Ok((people, rows))
}

fn parse_text(text: &str) -> Vec<Person> {
    let mut people = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.chars().any(|c| c.is_ascii_digit()) && !line.contains(char::is_whitespace) {
            if let Some(id) = clean_id(line) {
                people.push(Person {
                    ids: vec![id],
                    ..Person::default()
                });
            }
        } else if let Some(p) = parse_name(line) {
            people.push(p);
        }
    }
    people
}

/// Collects entries and their forms, then builds the automaton once.
#[derive(Default)]
struct Builder {
    /// All patterns back to back; `ends[i]` closes pattern i.
    buf: Vec<u8>,
    ends: Vec<u32>,
    patterns: Vec<u32>,
    entries: Vec<Entry>,
    sources: Vec<Source>,
    surnames: HashMap<Box<str>, u32>,
    forenames: HashMap<Box<str>, u32>,
    full_pairs: HashMap<(u32, u32), u32>,
    initial_pairs: HashMap<(u32, u8), u32>,
    ids: HashMap<Box<str>, Vec<u32>>,
}

fn intern(map: &mut HashMap<Box<str>, u32>, key: &str) -> u32 {
    if let Some(&k) = map.get(key) {
        return k;
    }
    let k = map.len() as u32;
    map.insert(key.into(), k);
    k
}

impl Builder {
    fn source(&mut self, file: &str, label: &str, bytes: &[u8]) -> Result<(), String> {
        let text = decode(bytes);
        let Some(first) = text.lines().find(|l| !l.trim().is_empty()) else {
            return Err(format!("roster '{file}' is empty"));
        };
        let people = match csv_delimiter(first) {
            Some(d) => {
                let start = first.as_ptr() as usize - text.as_ptr() as usize;
                let (people, rows) = parse_csv(&text[start..], d, file)?;
                if rows == 0 {
                    return Err(format!("roster '{file}' has a header row but no entries"));
                }
                people
            }
            None if first.matches(',').count() >= 2 || first.contains('\t') => {
                return Err(format!(
                    "roster '{file}' looks like a table but no column heading is recognised \
                     (expected surname, forename, name, initials, collar number, warrant number, \
                     pay number, service number or staff number)"
                ));
            }
            None => parse_text(&text),
        };
        if people.is_empty() {
            return Err(format!(
                "roster '{file}' has no recognisable entries (expected names such as \
                 'John Smith' or 'SMITH, John', or identifiers such as collar numbers)"
            ));
        }
        let source = self.sources.len() as u32;
        self.sources.push(Source {
            name_label: format!("name from roster '{label}'"),
            id_label: format!("identifier from roster '{label}'"),
        });
        for p in people {
            self.add(source, p)?;
        }
        Ok(())
    }

    fn pattern(&mut self, meta: u32, parts: &[&str]) {
        for p in parts {
            self.buf.extend_from_slice(p.as_bytes());
        }
        self.ends.push(self.buf.len() as u32);
        self.patterns.push(meta);
    }

    fn add(&mut self, source: u32, p: Person) -> Result<(), String> {
        let index = self.entries.len() as u32;
        if index >= u32::MAX >> KIND_BITS {
            return Err("roster has too many entries".into());
        }
        let (mut surname_key, mut forename_key) = (NONE, NONE);
        let s = fold_key(&p.surname);
        let fs: Vec<String> = p.forenames.iter().map(|f| fold_key(f)).collect();
        let inits: Vec<String> = fold_key(&p.initials)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .map(String::from)
            .collect();
        let name = !s.is_empty() && !inits.is_empty();
        if name {
            let meta = index << KIND_BITS | NAME;
            surname_key = intern(&mut self.surnames, &s);
            if let Some(f1) = fs.first() {
                forename_key = intern(&mut self.forenames, f1);
                self.full_pairs
                    .entry((surname_key, forename_key))
                    .or_insert(index);
                self.pattern(meta, &[f1, " ", &s]);
                self.pattern(meta, &[&s, ", ", f1]);
                self.pattern(meta, &[&s, " ", f1]);
                if fs.len() > 1 {
                    let all = fs.join(" ");
                    let all_key = intern(&mut self.forenames, &all);
                    self.full_pairs
                        .entry((surname_key, all_key))
                        .or_insert(index);
                    self.pattern(meta, &[&all, " ", &s]);
                    self.pattern(meta, &[&s, ", ", &all]);
                    self.pattern(meta, &[&s, " ", &all]);
                }
                if inits.len() > 1 {
                    let mids = &inits[1..];
                    let dotted: String = mids.iter().map(|m| format!("{m}. ")).collect();
                    let spaced: String = mids.iter().map(|m| format!("{m} ")).collect();
                    self.pattern(meta, &[f1, " ", &dotted, &s]);
                    self.pattern(meta, &[f1, " ", &spaced, &s]);
                }
            }
            let i = inits[0].as_str();
            if let Some(&b) = i.as_bytes().first() {
                self.initial_pairs
                    .entry((surname_key, b.to_ascii_lowercase()))
                    .or_insert(index);
            }
            self.pattern(meta, &[i, ". ", &s]);
            self.pattern(meta, &[i, " ", &s]);
            self.pattern(meta, &[&s, ", ", i]);
            self.pattern(meta, &[&s, " ", i]);
            if inits.len() > 1 {
                let dotted_sp = inits.join(". ") + ".";
                let dotted = inits.join(".");
                let spaced = inits.join(" ");
                let tight = inits.concat();
                self.pattern(meta, &[&dotted_sp, " ", &s]); // J. M. Smith
                self.pattern(meta, &[&dotted, ". ", &s]); // J.M. Smith
                self.pattern(meta, &[&spaced, " ", &s]); // J M Smith
                self.pattern(meta, &[&tight, " ", &s]); // JM Smith
                self.pattern(meta, &[&s, ", ", &inits.join(". ")]); // Smith, J. M.
                self.pattern(meta, &[&s, ", ", &dotted]); // Smith, J.M.
                self.pattern(meta, &[&s, ", ", &tight]); // Smith, JM
                self.pattern(meta, &[&s, " ", &tight]); // SMITH JM
                self.pattern(meta, &[&s, " ", &spaced]); // SMITH J M
            }
        }
        for id in &p.ids {
            let key = fold_key(id);
            let kind = if key.chars().count() >= SHORT_ID {
                ID_LONG
            } else {
                ID_SHORT
            };
            self.pattern(index << KIND_BITS | kind, &[&key]);
            let list = self.ids.entry(key.into()).or_default();
            if list.last() != Some(&index) {
                list.push(index);
            }
        }
        let initial = name.then(|| inits[0].chars().next()).flatten();
        self.entries.push(Entry {
            source,
            surname: surname_key,
            forename: forename_key,
            mask: mask_name(&p.surname, initial).into(),
        });
        Ok(())
    }

    fn finish(self) -> Result<Roster, String> {
        if self.entries.is_empty() {
            return Err("no roster entries given".into());
        }
        let mut start = 0usize;
        let mut min_len = usize::MAX;
        let slices = self.ends.iter().map(|&end| {
            let s = &self.buf[start..end as usize];
            min_len = min_len.min(s.len());
            start = end as usize;
            s
        });
        let ac = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .start_kind(StartKind::Both)
            .build(slices)
            .map_err(|e| format!("roster too large to search: {e}"))?;
        let mut patterns = self.patterns;
        patterns.shrink_to_fit();
        let mut entries = self.entries;
        entries.shrink_to_fit();
        Ok(Roster {
            ac,
            patterns,
            entries,
            sources: self.sources,
            surnames: self.surnames,
            forenames: self.forenames,
            full_pairs: self.full_pairs,
            initial_pairs: self.initial_pairs,
            ids: self.ids,
            min_len: min_len.max(1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster(content: &str) -> Roster {
        Roster::from_sources(&[("officers.csv", content.as_bytes())]).expect("roster")
    }

    /// The matched text of every hit.
    fn found<'t>(r: &Roster, text: &'t str) -> Vec<&'t str> {
        let mut hits = Vec::new();
        r.find(text, &mut hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    fn smith() -> Roster {
        roster("Surname,Forename\nSmith,John\n")
    }

    #[test]
    fn every_name_form_matches() {
        let r = smith();
        for form in [
            "SMITH, John",
            "John Smith",
            "J. Smith",
            "J Smith",
            "SMITH J",
            "Smith, J.",
            "Smith John",
            "John SMITH",
        ] {
            let text = format!("Statement taken by {form} on Monday");
            assert_eq!(found(&r, &text), vec![form], "{form}");
        }
        assert_eq!(found(&r, "Smith, J.M. attended"), vec!["Smith, J."]);
    }

    #[test]
    fn case_does_not_matter_for_whole_names() {
        let r = smith();
        for form in ["john smith", "JOHN SMITH", "sMiTh, JoHn", "smith john"] {
            assert_eq!(found(&r, form), vec![form]);
        }
    }

    #[test]
    fn initials_only_in_upper_case() {
        let r = roster("name\nAlan Smith\nIan Jones\n");
        assert!(found(&r, "Smith a few days later").is_empty());
        assert!(found(&r, "then a Smith and Wesson").is_empty());
        assert!(found(&r, "said j. smith").is_empty());
        assert!(found(&r, "as Jones I think").is_empty());
        assert!(found(&r, "Jones, I believe").is_empty());
        assert_eq!(found(&r, "JONES I"), vec!["JONES I"]);
        assert_eq!(found(&r, "Jones I."), vec!["Jones I."]);
        assert_eq!(found(&r, "A Smith"), vec!["A Smith"]);
    }

    #[test]
    fn word_boundaries() {
        let r = roster("name\nJohn Smith\nAnn Jones\n");
        for text in [
            "John Smithson",
            "Johnny Smith",
            "AJ Smith",
            "JJ Smith",
            "Jones, Annual report",
            "JONES ANNUAL",
            "John Smith-Jones",
            "Mary-John Smith",
            "xJohn Smith",
            "John Smith2",
        ] {
            assert!(found(&r, text).is_empty(), "{text}");
        }
        assert_eq!(found(&r, "(John Smith)"), vec!["John Smith"]);
        assert_eq!(found(&r, "John Smith's car"), vec!["John Smith"]);
        assert_eq!(found(&r, "“John Smith”"), vec!["John Smith"]);
        assert_eq!(found(&r, "Jones, Ann."), vec!["Jones, Ann"]);
    }

    #[test]
    fn surname_or_forename_alone_never_matches() {
        let r = smith();
        for text in [
            "Smith Street",
            "Smith",
            "John",
            "John said",
            "Mr Smith",
            "Smith & Co",
        ] {
            assert!(found(&r, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn middle_names() {
        let r = roster("name\nJohn Michael Smith\n");
        for form in [
            "John Michael Smith",
            "SMITH, John Michael",
            "Smith John Michael",
            "John M. Smith",
            "John M Smith",
            "J. M. Smith",
            "J.M. Smith",
            "J M Smith",
            "JM Smith",
            "Smith, J. M.",
            "Smith, J.M.",
            "SMITH, JM",
            "SMITH JM",
            "SMITH J M",
            "John Smith",
            "J. Smith",
            "SMITH, John",
        ] {
            assert_eq!(found(&r, &format!("by {form} today")), vec![form], "{form}");
        }
        // The longest form fails its boundary; the shorter one at the same place holds.
        assert_eq!(found(&r, "Smith J Made the arrest"), vec!["Smith J"]);
        assert!(found(&r, "John Mark Smith").is_empty());
    }

    #[test]
    fn csv_name_headings() {
        let cases = [
            "Surname,Forename\nSmith,John\n",
            "Last Name,First Name\nSmith,John\n",
            "FAMILY_NAME;GIVEN_NAME\nSmith;John\n",
            "Forename\tSurname\nJohn\tSmith\n",
            "Name\nJohn Smith\n",
            "Full name,Rank\n\"SMITH, John\",PC\n",
            "surname,initials\nSmith,J\n",
            "Surname,Forename,Middle name\nSmith,John,Michael\n",
        ];
        for csv in cases {
            let r = roster(csv);
            assert_eq!(r.len(), 1, "{csv}");
            assert_eq!(found(&r, "seen by J. Smith"), vec!["J. Smith"], "{csv}");
        }
        let r = roster("Surname,Initials\nSmith,JM\n");
        assert_eq!(found(&r, "JM Smith"), vec!["JM Smith"]);
    }

    #[test]
    fn csv_identifier_headings() {
        for heading in [
            "Collar",
            "Collar No",
            "Collar No.",
            "Collar #",
            "Shoulder Number",
            "Warrant",
            "Warrant No",
            "Pay Number",
            "Payroll No",
            "Service Number",
            "Service No",
            "Staff Number",
            "staff_no",
        ] {
            let r = roster(&format!("Surname,{heading}\nSmith,48215\n"));
            assert_eq!(found(&r, "ref 48215 today"), vec!["48215"], "{heading}");
        }
        // Other columns are ignored; an unknown-only table is refused.
        let r = roster("Rank,Surname,Forename,Station\nPC,Smith,John,Central 12345\n");
        assert!(found(&r, "Central 12345").is_empty());
        let err = Roster::from_sources(&[("t.csv", b"Rank,Station,Grade\nPC,North,3\n")]);
        assert!(err.unwrap_err().contains("t.csv"));
    }

    #[test]
    fn plain_text_rosters() {
        let text = "# officers, do not release\nJohn Smith\n\nBROWN, Jane\nJ. Green\nPATEL Priya\n\
                    Dr Mary Jones\n48215\n1234AB\n";
        let r = roster(text);
        assert_eq!(r.len(), 7);
        assert_eq!(found(&r, "Jane Brown"), vec!["Jane Brown"]);
        assert_eq!(found(&r, "GREEN, J."), vec!["GREEN, J."]);
        assert_eq!(found(&r, "Priya Patel"), vec!["Priya Patel"]);
        assert_eq!(found(&r, "M. Jones"), vec!["M. Jones"]);
        assert_eq!(found(&r, "code 48215."), vec!["48215"]);
        assert_eq!(found(&r, "officer 1234ab"), vec!["1234ab"]);
        assert!(found(&r, "Dr Jones").is_empty());
    }

    #[test]
    fn encodings() {
        let r = roster("\u{feff}Surname,Forename\nSmith,John\n");
        assert_eq!(r.len(), 1);
        assert_eq!(found(&r, "John Smith"), vec!["John Smith"]);
        let mut utf16 = vec![0xff, 0xfe];
        for u in "Surname\tForename\r\nSmith\tZoë\r\n".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let r = Roster::from_sources(&[("u.txt", &utf16)]).unwrap();
        assert_eq!(found(&r, "ZOË SMITH"), vec!["ZOË SMITH"]);
        let r = Roster::from_sources(&[("w.csv", b"Zo\xeb Smith\r\n")]).unwrap();
        assert_eq!(found(&r, "Zoë Smith"), vec!["Zoë Smith"]);
    }

    #[test]
    fn non_ascii_names() {
        let r = roster("name\nSeán Ó Súilleabháin\nZoë Smith\n");
        for form in [
            "Ó SÚILLEABHÁIN, Seán",
            "Sean O Suilleabhain",
            "S. Ó Súilleabháin",
            "SEÁN Ó SÚILLEABHÁIN",
            "Zoë Smith",
            "ZOË SMITH",
            "Zoe Smith",
            "Zoe\u{308} Smith",
        ] {
            let text = format!("Report: {form}, 3 May");
            assert_eq!(found(&r, &text), vec![form], "{form}");
        }
        let r = roster("name\nNiamh O'Brien\n");
        assert_eq!(found(&r, "Niamh O’Brien"), vec!["Niamh O’Brien"]);
    }

    #[test]
    fn whitespace_is_collapsed_and_spans_stay_original() {
        let r = smith();
        for text in [
            "John  Smith",
            "John\nSmith",
            "John\r\n  Smith",
            "John\u{a0}Smith",
            "SMITH,\tJohn",
            "Jo\u{200b}hn Smith",
        ] {
            let padded = format!("  x\t\t{text}  and more");
            assert_eq!(found(&r, &padded), vec![text], "{text:?}");
        }
    }

    #[test]
    fn identifiers_are_whole_tokens() {
        let r = roster("Surname,Forename,Collar No,Pay No\nSmith,John,4821,48215\n");
        for text in [
            "PC 4821",
            "PC4821",
            "pc 4821 attended",
            "Collar No. 4821",
            "collar number: 4821",
            "DS 4821",
            "Sgt. 4821",
        ] {
            assert_eq!(found(&r, text), vec!["4821"], "{text}");
        }
        for text in ["ref 48215", "(48215)", "48215", "pay no 48215."] {
            assert_eq!(found(&r, text), vec!["48215"], "{text}");
        }
        for text in [
            "148215",
            "482150",
            "4821",
            "Total 4821 incidents",
            "in 4821 cases",
            "£4821.50",
            "4821.50",
            "PC 4821.50",
            "1.4821",
            "14,821",
            "01/04/4821",
            "4821-04-01",
            "48215.5",
            "12/48215",
            "x48215",
            "ABPC 4821x",
            "NPC4821",
        ] {
            assert!(found(&r, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn hits_carry_rule_severity_label_mask_and_span() {
        let r = Roster::from_sources(&[
            (
                "officers.csv",
                b"Surname,Forename,Collar\nSmith,John,4821\n",
            ),
            ("victims.txt", b"Jane Doe-Roe\n"),
        ])
        .unwrap();
        let text = "PC 4821 met SMITH, John and Jane Doe-Roe.";
        let mut hits = Vec::new();
        r.find(text, &mut hits);
        assert_eq!(hits.len(), 3);
        let h = &hits[0];
        assert_eq!((h.start, h.end), (3, 7));
        assert_eq!(h.label, "identifier from roster 'officers.csv'");
        assert_eq!(h.masked, "48**");
        let h = &hits[1];
        assert_eq!((h.start, h.end), (12, 23));
        assert_eq!(h.rule, "roster-match");
        assert_eq!(h.severity, Severity::High);
        assert!(h.strong);
        assert_eq!(h.label, "name from roster 'officers.csv'");
        assert_eq!(h.masked, "S**** J.");
        let h = &hits[2];
        assert_eq!(&text[h.start..h.end], "Jane Doe-Roe");
        assert_eq!(h.label, "name from roster 'victims.txt'");
        assert_eq!(h.masked, "D**-*** J.");
        assert_eq!(mask_id("48215"), "48***");
        assert_eq!(mask_name("Ó Súilleabháin", Some('s')), "Ó ************ S.");
    }

    #[test]
    fn neighbouring_cells() {
        let r =
            roster("Surname,Forename,Collar\nSmith,John,4821\nBrown,Jane,\nGreen,Mary Ann,7001\n");
        let part = |s| r.cell_part(s).expect(s);
        let sm = part(" SMITH ");
        assert!(sm.is_surname() && !sm.is_forename());
        let jo = part("john");
        assert!(jo.is_forename());
        let j = part("J.");
        assert!(j.is_initial());

        // surname then forename, forename then surname, surname then initial.
        let h = r.pair_hit(&sm, &jo, "john").expect("surname + forename");
        assert_eq!((h.start, h.end), (0, 4));
        assert_eq!(h.masked, "S**** J.");
        assert_eq!(h.label, "name from roster 'officers.csv'");
        let h = r.pair_hit(&jo, &sm, " SMITH ").expect("forename + surname");
        assert_eq!((h.start, h.end), (1, 6));
        assert!(r.pair_hit(&sm, &j, "J.").is_some());
        assert!(r.pair_hit(&j, &sm, "SMITH").is_some());
        assert!(
            r.pair_hit(&part("Green"), &part("Mary Ann"), "Mary Ann")
                .is_some()
        );
        // surname and collar number of one entry.
        let collar = part("4821");
        assert!(collar.is_identifier());
        let h = r.pair_hit(&sm, &collar, "4821").expect("surname + collar");
        assert_eq!(h.masked, "48**");
        assert_eq!(h.label, "identifier from roster 'officers.csv'");

        // Two different entries' parts.
        assert!(r.pair_hit(&part("Brown"), &jo, "John").is_none());
        assert!(r.pair_hit(&sm, &part("Jane"), "Jane").is_none());
        assert!(r.pair_hit(&part("Brown"), &part("M"), "M").is_none());
        assert!(r.pair_hit(&part("Brown"), &collar, "4821").is_none());
        assert!(r.pair_hit(&sm, &part("7001"), "7001").is_none());
        // Two surnames, two forenames.
        assert!(r.pair_hit(&sm, &part("Brown"), "Brown").is_none());
        // A surname next to a non-name.
        for cell in ["Smithson", "Central", "", "12", "PC", "j", "John Smith"] {
            assert!(r.cell_part(cell).is_none(), "{cell}");
        }
    }

    #[test]
    fn load_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, content: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, content).unwrap();
            p
        };
        let missing = dir.path().join("missing.csv");
        let empty = write("empty.csv", b"");
        let blank = write("blank.txt", b"\xef\xbb\xbf\n  \n");
        let header = write("header.csv", b"Surname,Forename,Collar No\n");
        let junk = write("junk.txt", b"12 34\n!!!\nSmith\n");
        let only_unknown = write("unknown.csv", b"Surname,Forename\nSmith,\n,John\n");
        let good = write("good.csv", b"Surname,Forename\nSmith,John\n");
        for (path, what) in [
            (&missing, "cannot read"),
            (&empty, "is empty"),
            (&blank, "is empty"),
            (&header, "header row but no entries"),
            (&junk, "no recognisable entries"),
            (&only_unknown, "no recognisable entries"),
        ] {
            let err = Roster::load(&[good.clone(), path.clone()]).unwrap_err();
            assert!(err.contains(&path.display().to_string()), "{err}");
            assert!(err.contains(what), "{err}");
        }
        let r = Roster::load(&[good]).unwrap();
        assert_eq!(r.len(), 1);
        let mut hits = Vec::new();
        r.find("SMITH J", &mut hits);
        assert_eq!(hits[0].label, "name from roster 'good.csv'");
        assert!(Roster::load(&[]).is_err());
    }

    #[test]
    fn fold_map_round_trips() {
        let mut f = Folded::default();
        let src = "  Ó\u{a0}\u{a0}Súil\u{200b}leabháin  x\u{308}y ";
        f.fold(src);
        assert_eq!(f.text, "O Suilleabhain xy ");
        let at = |folded: &str| unfold(&f.map, f.text.find(folded).unwrap());
        assert_eq!(&src[at("O S")..], &src[2..]);
        assert_eq!(&src[at("Suil")..], &src[8..]);
        assert_eq!(&src[at("leab")..], &src[src.find("leab").unwrap()..]);
        assert_eq!(&src[at("y")..], "y ");
        assert_eq!(unfold(&f.map, f.text.len()), src.len());
        let r = roster("name\nJohn Smith\n");
        assert!(format!("{r:?}").contains("entries: 1"));
        assert!(!format!("{r:?}").contains("mith"));
    }
}
