//! `roster-match`: names and identifiers from `--roster` files, found in every extracted text.
//!
//! A roster lists people who must never be named in a release (officers, staff, victims). A
//! text is read once, by one Aho-Corasick automaton, whatever the roster size. The automaton
//! holds every distinct surname once, plus the ten digits. Around each surname found at word
//! boundaries the words before and after are looked up (forename, all forenames, initials,
//! forename and middle initials), which covers the forms people write names in: "SMITH, John",
//! "John Smith", "J. Smith", "J Smith", "SMITH J", "Smith, J.", "Smith John", "J. M. Smith",
//! "JM Smith", "John M. Smith", "SMITH, John Michael". A digit marks an identifier token,
//! looked up whole.
//!
//! Why not every form of every entry in the automaton: measured on 25 MB of FOI-like text, a
//! 100,000-entry roster made 1.3 million forms: 2.2 s to load, 59 MB (210 MB while building),
//! 31 MB/s, because every byte walked a trie far larger than the cache. Keyed on surnames the
//! automaton stays small: 0.3 s, 16–30 MB, over 120 MB/s.
//!
//! Decisions:
//! - **Whitespace.** The text is searched as a folded, lower-case copy in which every run of
//!   whitespace (spaces, tabs, line breaks, no-break spaces) is one space, so "John\n  Smith"
//!   and "SMITH,\tJohn" match. Spans always point into the original text.
//! - **Non-ASCII.** Roster and text pass through the same fold: Latin letters lose their
//!   accents ("Zoë" → "zoe", "Ó Súilleabháin" → "o suilleabhain", "ß" → "ss"), decomposed
//!   accents and zero-width characters are dropped, typographic apostrophes and dashes become
//!   ASCII, other scripts are lower-cased. So "ZOË", "Zoë" and "Zoe" all match a roster "Zoë".
//!   Initials are matched for Latin letters only. Pure ASCII texts with single spaces (most
//!   cells) are only lower-cased.
//! - **Initials** match only in upper case: in "Smith a few days" or "a Smith" the letter is a
//!   word, not an initial. "Smith I think" (A or I followed by a lower-case word) is not a
//!   match either. Whole names match in any case. Two initials written together ("JM") match
//!   only as an entry's initials: "Mr Smith", "DC Smith" are not M. Smith or D. Smith.
//! - **Alone never matches**: a surname or forename by itself is too common ("Smith Street").
//!   Nor does a name inside a longer word ("Smithson", "Annual") or a hyphenated one
//!   ("Smith-Jones", "Mary-John").
//! - **Identifiers** match as whole alphanumeric tokens, never inside a longer number, a
//!   decimal, a date or a thousands group (148215, 4821.50, 01/04/4821, 14,821). Identifiers
//!   of [`SHORT_ID`] characters or more match anywhere; shorter ones (3–4 digit collar numbers
//!   collide with counts and years) only right after a rank or an identifier word ("PC 4821",
//!   "PC4821", "collar no. 4821"), or in a table cell next to the same entry's name
//!   ([`Roster::pair_hit`]). Spaces, hyphens and slashes in a roster's identifiers are dropped.
//! - **Automaton kind**: a DFA (one table lookup per byte, ~1.5× the NFA's speed here) while
//!   its table stays under 32 MiB, i.e. up to some 30,000 distinct surnames; beyond that the
//!   contiguous NFA, the most compact kind (~86 MB/s on the same text).

use super::allow::{Allowlist, NameKey};
use super::hit::Hit;
use crate::model::Severity;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

const RULE: &str = "roster-match";

/// Identifiers at least this long (in characters) match anywhere as whole tokens; shorter ones
/// need a rank or identifier word before them.
pub const SHORT_ID: usize = 5;

/// Largest automaton built as a DFA (see [`Builder::finish`]): some 30,000 distinct surnames,
/// about what a roster of 100,000 real people holds.
const DFA_MAX_BYTES: usize = 32 << 20;

const NONE: u32 = u32::MAX;

/// Rank abbreviations and words that, right before a short number, make it an officer's number.
pub(crate) const RANKS: &[&str] = &[
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
pub(crate) const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "revd",
];
/// Surname particles kept with the surname ("Jan van der Berg", "Seán Ó Súilleabháin").
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos", "das",
    "st", "st.", "o", "ó", "ní", "nic", "mac", "mc", "ua", "ap", "ab", "bin", "ibn", "al", "el",
    "ter", "ten",
];

/// Hash tables keyed by roster content, with the fast non-keyed hasher: the tables are built
/// from the trusted roster and text only looks things up, and hashing short words is most of
/// the cost of checking a candidate.
type Map<K, V> = HashMap<K, V, crate::util::FastBuild>;

/// Names and identifiers that must never be released, ready to search for.
pub struct Roster {
    /// The ten digits (where an identifier token may start; absent when no entry has an
    /// identifier), then every distinct folded surname: pattern `digits + k` is surname key `k`.
    ac: AhoCorasick,
    digits: usize,
    entries: Vec<Entry>,
    sources: Vec<Source>,
    /// Folded surname / forename(s) / initials ("jm") → key.
    surnames: Map<Box<str>, u32>,
    forenames: Map<Box<str>, u32>,
    initials: Map<Box<str>, u32>,
    /// Every single forename word (first and middle names).
    name_words: Map<Box<str>, ()>,
    /// (surname, forename or all forenames) → entry.
    full_pairs: Map<(u32, u32), u32>,
    /// (surname, first initial as a lower-case ASCII letter) → entry.
    initial_pairs: Map<(u32, u8), u32>,
    /// (surname, all initials) → entry, for entries with two or more initials.
    initials_pairs: Map<(u32, u32), u32>,
    /// (surname, first forename, all initials) → entry: "John M. Smith".
    triples: Map<(u32, u32, u32), u32>,
    /// Folded identifier → entries.
    ids: Map<Box<str>, Vec<u32>>,
    /// Bit `n` set when some identifier is `n` characters long: most numbers skip the lookup.
    id_lens: u64,
    /// Shortest possible hit: shorter texts cannot match.
    min_len: usize,
    /// Bit set of the first two folded bytes of every surname, forename and identifier key:
    /// a cache-resident test that lets most table cells skip three lookups in large maps.
    cell_prefixes: Vec<u64>,
}

/// Index into [`Roster::cell_prefixes`] of a folded key's first two bytes.
fn prefix_bit(key: &[u8]) -> usize {
    let a = key.first().copied().unwrap_or(0) as usize;
    let b = key.get(1).copied().unwrap_or(0) as usize;
    (a << 8) | b
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
            .field("surnames", &self.surnames.len())
            .field("sources", &self.sources.len())
            .finish()
    }
}

impl Roster {
    /// Loads one or more roster files. An unreadable, empty or entry-less file is an `Err`
    /// naming the file (the CLI turns it into exit code 2).
    pub fn load(paths: &[PathBuf]) -> Result<Roster, String> {
        Self::load_except(paths, &Allowlist::default())
    }

    /// Loads roster files, leaving out the people and identifiers `allow` says may be
    /// published (a chief constable on the force's staff list).
    pub fn load_except(paths: &[PathBuf], allow: &Allowlist) -> Result<Roster, String> {
        let mut builder = Builder::new();
        builder.allow = allow.clone();
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
        let mut builder = Builder::new();
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

    /// Approximate heap bytes held (automaton and lookup tables).
    pub fn memory_usage(&self) -> usize {
        fn table<K, V>(m: &Map<K, V>) -> usize {
            // hashbrown: one control byte plus the slot per bucket.
            m.capacity() * (std::mem::size_of::<(K, V)>() + 1)
        }
        fn keys<V>(m: &Map<Box<str>, V>) -> usize {
            table(m) + m.keys().map(|k| k.len()).sum::<usize>()
        }
        self.ac.memory_usage()
            + self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.entries.iter().map(|e| e.mask.len()).sum::<usize>()
            + keys(&self.surnames)
            + keys(&self.forenames)
            + keys(&self.initials)
            + keys(&self.name_words)
            + table(&self.full_pairs)
            + table(&self.initial_pairs)
            + table(&self.initials_pairs)
            + table(&self.triples)
            + keys(&self.ids)
            + self.ids.values().map(|v| v.capacity() * 4).sum::<usize>()
    }

    /// Appends a Hit for every roster name or identifier in `text`, in one automaton pass.
    /// Hits do not overlap and come in text order.
    pub fn find(&self, text: &str, out: &mut Vec<Hit>) {
        if text.len() < self.min_len {
            return;
        }
        FOLD.with(|cell| {
            let mut folded = cell.borrow_mut();
            if needs_fold(text) {
                folded.fold(text);
            } else {
                folded.lower(text);
            }
            let view = View {
                hay: &folded.text,
                orig: text,
                map: &folded.map,
            };
            self.search(&view, out);
            if folded.text.capacity() > 1 << 24 {
                *folded = Folded::default();
            }
        });
    }

    /// The one automaton pass. Each surname found at word boundaries is checked against the
    /// words around it; each number is looked up as a whole token. Hits never overlap.
    fn search(&self, view: &View<'_>, out: &mut Vec<Hit>) {
        let hay = view.hay;
        let mut pos = 0;
        let mut floor = 0;
        while pos < hay.len() {
            let Some(m) = self.ac.find(Input::new(hay).range(pos..)) else {
                break;
            };
            let start = m.start();
            if m.pattern().as_usize() < self.digits {
                let (ts, te) = id_token(hay, start);
                if ts >= floor
                    && let Some((s, e, entry)) = self.id_at(hay, ts, te)
                {
                    self.push(view, s, e, entry, true, out);
                    floor = e;
                }
                pos = te;
                continue;
            }
            let surname = (m.pattern().as_usize() - self.digits) as u32;
            let mut found = self.name_at(view, start, m.end(), surname, floor);
            // A shorter surname starting here: "Van" inside "Van der Berg".
            let mut end = m.end();
            while found.is_none()
                && let Some(space) = hay[start..end].rfind(' ')
            {
                end = start + space;
                if let Some(&k) = self.surnames.get(&hay[start..end]) {
                    found = self.name_at(view, start, end, k, floor);
                }
            }
            match found {
                Some((s, e, entry)) => {
                    self.push(view, s, e, entry, false, out);
                    pos = e;
                    floor = e;
                }
                // No name can start inside the rest of this word.
                None => pos = run_end(hay, start),
            }
        }
    }

    fn push(&self, view: &View<'_>, s: usize, e: usize, entry: u32, id: bool, out: &mut Vec<Hit>) {
        let entry = &self.entries[entry as usize];
        let source = &self.sources[entry.source as usize];
        let (start, end) = (view.orig_pos(s), view.orig_pos(e));
        out.push(if id {
            hit(
                start,
                end,
                source.id_label.clone(),
                mask_id(&view.orig[start..end]),
            )
        } else {
            hit(
                start,
                end,
                source.name_label.clone(),
                entry.mask.to_string(),
            )
        });
    }

    /// An identifier in the alphanumeric token `hay[ts..te]`: the whole token, or the number
    /// after a rank written against it ("pc4821").
    fn id_at(&self, hay: &str, ts: usize, te: usize) -> Option<(usize, usize, u32)> {
        let b = hay.as_bytes();
        let joiner = |c: u8| matches!(c, b'.' | b',' | b'/' | b'-' | b':');
        // Part of a longer number, a decimal or a date: 1.4821, 12/4821, 4821-04-01, 4821.50.
        if (ts >= 2 && joiner(b[ts - 1]) && b[ts - 2].is_ascii_digit())
            || (te + 1 < b.len() && joiner(b[te]) && b[te + 1].is_ascii_digit())
            || hay[..ts]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
            || hay[te..].chars().next().is_some_and(char::is_alphanumeric)
        {
            return None;
        }
        let tok = &hay[ts..te];
        if (tok.len() >= SHORT_ID || id_context(&hay[..ts]))
            && let Some(entry) = self.id_entry(tok)
        {
            return Some((ts, te, entry));
        }
        let letters = tok.bytes().take_while(u8::is_ascii_alphabetic).count();
        if letters > 0 && is_in(&tok[..letters], RANKS) {
            return self
                .id_entry(&tok[letters..])
                .map(|entry| (ts + letters, te, entry));
        }
        None
    }

    fn id_entry(&self, tok: &str) -> Option<u32> {
        if tok.len() >= 64 || self.id_lens & (1 << tok.len()) == 0 {
            return None;
        }
        self.ids.get(tok).map(|entries| entries[0])
    }

    /// A name around the surname at `hay[s..e]`: forename(s) or initials before it
    /// ("John Smith", "J. M. Smith", "John M. Smith"), else after it ("SMITH, John",
    /// "Smith J.", "SMITH JM"). Returns the span and the entry.
    fn name_at(
        &self,
        view: &View<'_>,
        s: usize,
        e: usize,
        surname: u32,
        floor: usize,
    ) -> Option<(usize, usize, u32)> {
        let hay = view.hay;
        if !word_starts(hay, s) || !word_ends(hay, e) {
            return None;
        }
        // Up to three words before, nearest first; try the longest run first.
        let mut before = [(0, 0); 3];
        let mut n = 0;
        let mut j = s;
        while n < 3 && j > floor && hay.as_bytes()[j - 1] == b' ' {
            let te = j - 1;
            let ts = te - name_token_len_back(&hay[..te]);
            if ts == te || ts < floor {
                break;
            }
            before[n] = (ts, te);
            n += 1;
            j = ts;
        }
        if n > 0 && !self.could_be_given(&hay[before[0].0..before[0].1]) {
            n = 0;
        }
        for k in (1..=n).rev() {
            let mut seq = [(0, 0); 3];
            for (i, t) in before[..k].iter().rev().enumerate() {
                seq[i] = *t;
            }
            if hay[..seq[0].0]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            if let Some((_, entry)) = self.given(view, surname, &seq[..k], false) {
                return Some((seq[0].0, e, entry));
            }
        }
        // Up to three words after ", " or " ".
        let rest = &hay[e..];
        let mut j = if rest.starts_with(", ") {
            e + 2
        } else if rest.starts_with(' ') {
            e + 1
        } else {
            return None;
        };
        let mut after = [(0, 0); 3];
        let mut n = 0;
        while n < 3 {
            let te = j + name_token_len(&hay[j..]);
            if te == j {
                break;
            }
            if n == 0 && !self.could_be_given(&hay[j..te]) {
                break;
            }
            after[n] = (j, te);
            n += 1;
            if hay.as_bytes().get(te) != Some(&b' ') {
                break;
            }
            j = te + 1;
        }
        for k in (1..=n).rev() {
            if hay[after[k - 1].1..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            if let Some((end, entry)) = self.given(view, surname, &after[..k], true) {
                return Some((s, end, entry));
            }
        }
        None
    }

    /// Cheap test before the real ones: can a name form have `token` next to the surname?
    /// Most candidates are ordinary words next to a surname that is also a word ("the hall").
    fn could_be_given(&self, token: &str) -> bool {
        let word = token.strip_suffix('.').unwrap_or(token);
        let b = token.as_bytes();
        let dotted = b.len() <= 8
            && (b.len() == 1 || b.contains(&b'.'))
            && b.iter().all(|c| c.is_ascii_lowercase() || *c == b'.');
        dotted || self.name_words.contains_key(word) || self.initials.contains_key(token)
    }

    /// Whether the tokens `seq` (in text order, next to the surname) are the forename(s),
    /// initials, or forename and middle initials of an entry with this surname. Returns where
    /// the name ends and the entry.
    fn given(
        &self,
        view: &View<'_>,
        surname: u32,
        seq: &[(usize, usize)],
        after: bool,
    ) -> Option<(usize, u32)> {
        let hay = view.hay;
        let last = seq.len() - 1;
        // A forename word: two or more letters, no dots (a sentence's full stop may follow the
        // last word after the surname).
        let word = |i: usize| {
            let (ts, te) = seq[i];
            let mut t = &hay[ts..te];
            if after && i == last {
                t = t.strip_suffix('.').unwrap_or(t);
            }
            (t.chars().nth(1).is_some() && !t.contains('.') && t.starts_with(char::is_alphabetic))
                .then_some(ts + t.len())
        };
        // Forenames: "John", "John Michael".
        if (0..last).all(|i| word(i).is_some())
            && let Some(end) = word(last)
            && let Some(&fk) = self.forenames.get(&hay[seq[0].0..end])
            && let Some(&entry) = self.full_pairs.get(&(surname, fk))
        {
            return Some((end, entry));
        }
        // Initials: "J", "J.", "J. M.", "J.M.", "J M", or "JM" alone.
        let mut letters = [0u8; 8];
        let mut n = 0;
        let mut tight = false;
        let mut first_end = 0;
        let mut ok = true;
        for (i, &(ts, te)) in seq.iter().enumerate() {
            match initials(view, ts, te, seq.len() == 1, &mut letters[n..]) {
                Some((count, was_tight, end)) => {
                    if i == 0 {
                        first_end = end;
                    }
                    n += count;
                    tight |= was_tight;
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && n > 0 {
            let end = seq[last].1;
            let a = hay.as_bytes();
            // "Smith I think", "Jones, a few": a word, not an initial.
            let single = end - seq[last].0 == 1;
            if after
                && single
                && matches!(a[end - 1], b'a' | b'i')
                && a.get(end) == Some(&b' ')
                && view.orig_char(end + 1).is_some_and(char::is_lowercase)
            {
                return None;
            }
            let found = if n == 1 {
                self.initial_pairs.get(&(surname, letters[0]))
            } else {
                std::str::from_utf8(&letters[..n])
                    .ok()
                    .and_then(|k| self.initials.get(k))
                    .and_then(|ik| self.initials_pairs.get(&(surname, *ik)))
            };
            if let Some(&entry) = found {
                return Some((end, entry));
            }
            // "Smith, J.M." for a roster J. Smith: the first initial is enough after the
            // surname (not for "SMITH JM", which may be someone else's two initials).
            if after
                && !tight
                && let Some(&entry) = self.initial_pairs.get(&(surname, letters[0]))
            {
                return Some((first_end, entry));
            }
            return None;
        }
        // Forename and middle initials: "John M. Smith", "SMITH, John M".
        if last >= 1
            && word(0).is_some()
            && let Some(&fk) = self.forenames.get(&hay[seq[0].0..seq[0].1])
        {
            letters[0] = hay.as_bytes()[seq[0].0];
            let mut n = 1;
            for &(ts, te) in &seq[1..] {
                let (count, _, _) = initials(view, ts, te, false, &mut letters[n..])?;
                n += count;
            }
            let ik = self
                .initials
                .get(std::str::from_utf8(&letters[..n]).ok()?)?;
            return self
                .triples
                .get(&(surname, fk, *ik))
                .map(|&entry| (seq[last].1, entry));
        }
        None
    }

    /// For table cells: if the whole cell (trimmed, case-insensitive) is an entry's surname,
    /// forename, a single initial or an identifier, says which, so the engine can pair it with
    /// a neighbouring cell of the same row.
    pub fn cell_part(&self, cell: &str) -> Option<CellPart<'_>> {
        let trimmed = cell.trim();
        if trimmed.is_empty() || trimmed.len() > 80 {
            return None;
        }
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
        // Fold into the per-thread buffer: this runs on every table cell, so no allocation.
        let (surname, forename, ids) = FOLD.with(|f| {
            let mut f = f.borrow_mut();
            f.fold(trimmed);
            let key = f.text.trim_end();
            let bit = prefix_bit(key.as_bytes());
            if self.cell_prefixes[bit / 64] & (1 << (bit % 64)) == 0 {
                return (None, None, &[][..]);
            }
            (
                self.surnames.get(key).copied(),
                self.forenames.get(key).copied(),
                self.ids.get(key).map_or(&[][..], Vec::as_slice),
            )
        });
        let part = CellPart {
            surname,
            forename,
            initial,
            ids,
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

/// End of the run of letters, or of digits, that starts at `start` (at least one character):
/// where a letter turns into a digit ("PC4821") a new candidate may start.
fn run_end(hay: &str, start: usize) -> usize {
    let mut chars = hay[start..].char_indices();
    let digit = chars.next().is_some_and(|(_, c)| c.is_ascii_digit());
    for (i, c) in chars {
        let same = if digit {
            c.is_ascii_digit()
        } else {
            c.is_alphabetic()
        };
        if !same {
            return start + i;
        }
    }
    hay.len()
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

/// Reads initials from the token `hay[ts..te]` into `out`: single letters each followed by a
/// dot or ending the token ("j", "j.", "j.m."), upper case in the original text; or, when
/// `tight_ok`, two or three letters written together ("jm", any case). Returns the number of
/// letters, whether they were written together, and where the first initial (with its dot)
/// ends.
fn initials(
    view: &View<'_>,
    ts: usize,
    te: usize,
    tight_ok: bool,
    out: &mut [u8],
) -> Option<(usize, bool, usize)> {
    let t = &view.hay.as_bytes()[ts..te];
    if tight_ok && (2..=3).contains(&t.len()) && t.iter().all(u8::is_ascii_lowercase) {
        out.get_mut(..t.len())?.copy_from_slice(t);
        return Some((t.len(), true, te));
    }
    let mut n = 0;
    let mut i = 0;
    let mut first_end = 0;
    while i < t.len() {
        let c = t[i];
        let dot = t.get(i + 1) == Some(&b'.');
        if !c.is_ascii_lowercase() || !(dot || i + 1 == t.len()) {
            return None;
        }
        if view.orig_char(ts + i).is_some_and(char::is_lowercase) {
            return None;
        }
        *out.get_mut(n)? = c;
        n += 1;
        i += if dot { 2 } else { 1 };
        if n == 1 {
            first_end = ts + i;
        }
    }
    (n > 0).then_some((n, false, first_end))
}

/// Characters of a name token: letters, and the dots, hyphens and apostrophes inside names
/// and initials ("j.m.", "mary-jane", "o'brien").
fn name_char(c: char) -> bool {
    c.is_alphabetic() || matches!(c, '.' | '-' | '\'')
}

fn name_token_len(s: &str) -> usize {
    s.chars()
        .take_while(|&c| name_char(c))
        .map(char::len_utf8)
        .sum()
}

fn name_token_len_back(s: &str) -> usize {
    s.chars()
        .rev()
        .take_while(|&c| name_char(c))
        .map(char::len_utf8)
        .sum()
}

/// A name may start at `s`: not inside a word, nor after a hyphen or apostrophe joined to one
/// ("Mary-John", "d'John").
fn word_starts(hay: &str, s: usize) -> bool {
    let mut back = hay[..s].chars().rev();
    match back.next() {
        Some(c) if c.is_alphanumeric() => false,
        Some('-' | '\'') => !back.next().is_some_and(char::is_alphanumeric),
        _ => true,
    }
}

/// A name may end at `e`: not inside a word, nor before a hyphenated part ("Smith-Jones").
/// An apostrophe may follow ("Smith's").
fn word_ends(hay: &str, e: usize) -> bool {
    let mut fwd = hay[e..].chars();
    match fwd.next() {
        Some(c) if c.is_alphanumeric() => false,
        Some('-') => !fwd.next().is_some_and(char::is_alphanumeric),
        _ => true,
    }
}

/// The ASCII alphanumeric token around the digit at `at`.
fn id_token(hay: &str, at: usize) -> (usize, usize) {
    let b = hay.as_bytes();
    let mut ts = at;
    while ts > 0 && b[ts - 1].is_ascii_alphanumeric() {
        ts -= 1;
    }
    let mut te = at;
    while te < b.len() && b[te].is_ascii_alphanumeric() {
        te += 1;
    }
    (ts, te)
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

/// A folded text to search and the original it came from.
struct View<'a> {
    hay: &'a str,
    orig: &'a str,
    map: &'a [(usize, usize)],
}

impl View<'_> {
    fn orig_pos(&self, pos: usize) -> usize {
        unfold(self.map, pos)
    }

    /// The original character at a folded offset (case checks need the original).
    fn orig_char(&self, pos: usize) -> Option<char> {
        self.orig.get(self.orig_pos(pos)..)?.chars().next()
    }
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

/// Bytes the fold looks at: whitespace and the start of every non-ASCII character.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = b >= 0x80 || b == b' ' as usize || (b >= b'\t' as usize && b <= b'\r' as usize);
        b += 1;
    }
    t
};

/// Original offset of a folded offset.
fn unfold(map: &[(usize, usize)], pos: usize) -> usize {
    let i = map.partition_point(|&(f, _)| f <= pos);
    let (f, o) = map[i.saturating_sub(1)];
    o + (pos - f)
}

impl Folded {
    /// The fold of a pure-ASCII text with single spaces: a lower-case copy, offsets unchanged.
    fn lower(&mut self, src: &str) {
        self.text.clear();
        self.text.push_str(src);
        self.text.make_ascii_lowercase();
        self.map.clear();
        self.map.push((0, 0));
    }

    /// Lower-cases, collapses whitespace and folds non-ASCII characters (see the module docs).
    fn fold(&mut self, src: &str) {
        let mut out = std::mem::take(&mut self.text).into_bytes();
        out.clear();
        self.map.clear();
        self.map.push((0, 0));
        let copy = |out: &mut Vec<u8>, s: &str| {
            let at = out.len();
            out.extend_from_slice(s.as_bytes());
            out[at..].make_ascii_lowercase();
        };
        let bytes = src.as_bytes();
        let mut run = 0; // start of the verbatim stretch not yet copied
        let mut i = 0;
        let mut space = true; // leading whitespace is dropped
        while i < bytes.len() {
            // Plain ASCII runs are copied as they are (lower-cased when flushed).
            let plain = i;
            while i < bytes.len() && !SPECIAL[bytes[i] as usize] {
                i += 1;
            }
            if i > plain {
                space = false;
            }
            let Some(&b) = bytes.get(i) else {
                break;
            };
            if b < 0x80 {
                if b == b' ' && !space {
                    space = true;
                    i += 1;
                    continue;
                }
                copy(&mut out, &src[run..i]);
                self.sync(out.len(), i);
                if !space {
                    out.push(b' ');
                    space = true;
                }
                i += 1;
            } else {
                let c = src[i..].chars().next().unwrap_or(' ');
                copy(&mut out, &src[run..i]);
                self.sync(out.len(), i);
                if is_space(c) {
                    if !space {
                        out.push(b' ');
                        space = true;
                    }
                } else {
                    let at = out.len();
                    if fold_char(c, &mut out) {
                        out[at..].make_ascii_lowercase();
                        space = false;
                        // Inside an expansion ("ß" → "ss") every offset is the character's.
                        for (k, &b) in out.iter().enumerate().skip(at + 1) {
                            if b & 0xc0 != 0x80 {
                                self.map.push((k, i));
                            }
                        }
                    }
                }
                i += c.len_utf8();
            }
            run = i;
            self.sync(out.len(), i);
        }
        copy(&mut out, &src[run..]);
        self.sync(out.len(), src.len());
        self.text = String::from_utf8(out).expect("folding keeps UTF-8");
    }

    /// Records that folded offset `pos` (the next byte written) is original offset `orig`.
    fn sync(&mut self, pos: usize, orig: usize) {
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
fn fold_char(c: char, out: &mut Vec<u8>) -> bool {
    let cp = c as u32;
    let mut utf8 = [0; 4];
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
                (Some(l), None) => l.encode_utf8(&mut utf8),
                _ => c.encode_utf8(&mut utf8),
            }
        }
    };
    if s.is_empty() {
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    } else {
        out.extend_from_slice(s.as_bytes());
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

/// The comparable form of a written name ("SMITH, John", "Chief Constable J. Smith"), for
/// allowlists.
pub(crate) fn name_key(text: &str) -> Option<NameKey> {
    person_key(&parse_name(text)?)
}

fn person_key(p: &Person) -> Option<NameKey> {
    if !p.has_name() {
        return None;
    }
    let initial = fold_key(&p.initials)
        .chars()
        .find(char::is_ascii_lowercase)?;
    Some(NameKey {
        surname: fold_key(&p.surname),
        initial,
        forename: p.forenames.first().map(|f| fold_key(f)),
    })
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

/// A usable identifier, as the single alphanumeric token it is matched as: spaces, hyphens
/// and slashes are dropped ("12-345" → "12345"); it needs a digit.
fn clean_id(text: &str) -> Option<String> {
    let id: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '/'))
        .collect();
    let ok = id.len() >= 2
        && id.chars().any(|c| c.is_ascii_digit())
        && id.chars().all(|c| c.is_ascii_alphanumeric());
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

/// Collects entries and the keys that recognise them, then builds the automaton once.
#[derive(Default)]
struct Builder {
    /// Largest automaton built as a DFA; [`DFA_MAX_BYTES`] except in tests.
    dfa_max: usize,
    entries: Vec<Entry>,
    sources: Vec<Source>,
    surnames: Map<Box<str>, u32>,
    forenames: Map<Box<str>, u32>,
    initials: Map<Box<str>, u32>,
    name_words: Map<Box<str>, ()>,
    full_pairs: Map<(u32, u32), u32>,
    initial_pairs: Map<(u32, u8), u32>,
    initials_pairs: Map<(u32, u32), u32>,
    triples: Map<(u32, u32, u32), u32>,
    ids: Map<Box<str>, Vec<u32>>,
    id_lens: u64,
    allow: Allowlist,
}

fn intern(map: &mut Map<Box<str>, u32>, key: &str) -> u32 {
    if let Some(&k) = map.get(key) {
        return k;
    }
    let k = map.len() as u32;
    map.insert(key.into(), k);
    k
}

impl Builder {
    fn new() -> Builder {
        Builder {
            dfa_max: DFA_MAX_BYTES,
            ..Builder::default()
        }
    }

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
        for mut p in people {
            if !self.allow.is_empty() {
                if person_key(&p).is_some_and(|k| self.allow.permits_person(&k)) {
                    continue;
                }
                p.ids.retain(|id| !self.allow.permits_identifier(id));
                if !p.has_name() && p.ids.is_empty() {
                    continue;
                }
            }
            self.add(source, p)?;
        }
        Ok(())
    }

    fn add(&mut self, source: u32, p: Person) -> Result<(), String> {
        let index = self.entries.len() as u32;
        if index == u32::MAX {
            return Err("roster has too many entries".into());
        }
        let (mut surname_key, mut forename_key) = (NONE, NONE);
        let s = fold_key(&p.surname);
        let inits: String = fold_key(&p.initials)
            .chars()
            .filter(char::is_ascii_lowercase)
            .collect();
        let name = s.chars().any(char::is_alphabetic) && !inits.is_empty();
        if name {
            let sk = intern(&mut self.surnames, &s);
            surname_key = sk;
            self.initial_pairs
                .entry((sk, inits.as_bytes()[0]))
                .or_insert(index);
            let ik = (inits.len() > 1).then(|| intern(&mut self.initials, &inits));
            if let Some(ik) = ik {
                self.initials_pairs.entry((sk, ik)).or_insert(index);
            }
            let fs: Vec<String> = p.forenames.iter().map(|f| fold_key(f)).collect();
            for word in fs.iter().flat_map(|f| f.split(' ')) {
                if !self.name_words.contains_key(word) {
                    self.name_words.insert(word.into(), ());
                }
            }
            if let Some(f1) = fs.first() {
                let fk = intern(&mut self.forenames, f1);
                forename_key = fk;
                self.full_pairs.entry((sk, fk)).or_insert(index);
                if fs.len() > 1 {
                    let all = intern(&mut self.forenames, &fs.join(" "));
                    self.full_pairs.entry((sk, all)).or_insert(index);
                }
                if let Some(ik) = ik {
                    self.triples.entry((sk, fk, ik)).or_insert(index);
                }
            }
        }
        for id in &p.ids {
            let key = fold_key(id);
            self.id_lens |= 1 << key.len().min(63);
            let list = self.ids.entry(key.into()).or_default();
            if list.last() != Some(&index) {
                list.push(index);
            }
        }
        let initial = name.then(|| inits.chars().next()).flatten();
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
        let mut surnames = vec![""; self.surnames.len()];
        for (key, &k) in &self.surnames {
            surnames[k as usize] = key;
        }
        let digits = if self.ids.is_empty() { 0 } else { 10 };
        const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
        let patterns = DIGITS[..digits].iter().chain(&surnames);
        // A DFA reads a byte with one table lookup, about 1.5 times as fast as the NFA here,
        // but costs states × stride × 4 bytes (stride: the byte classes, rounded up to a power
        // of two; 64 for folded names and digits). The states are the trie's: one per distinct
        // prefix.
        // Take the DFA while that stays under DFA_MAX_BYTES, else the contiguous NFA, the most
        // compact kind.
        let mut sorted: Vec<&str> = patterns.clone().copied().collect();
        sorted.sort_unstable();
        let mut seen = [false; 256];
        let mut states = 1;
        let mut prev = "";
        for p in &sorted {
            let shared = p
                .bytes()
                .zip(prev.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            states += p.len() - shared;
            prev = p;
            for &b in p.as_bytes() {
                seen[b as usize] = true;
            }
        }
        drop(sorted);
        // Byte classes are ranges: each pattern byte is one, and so is each gap between them.
        let classes = (0..256)
            .filter(|&b| seen[b] || b == 0 || seen[b - 1])
            .count();
        let stride = classes.next_power_of_two();
        let kind = if states * stride * 4 <= self.dfa_max {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::ContiguousNFA
        };
        let ac = AhoCorasick::builder()
            .kind(Some(kind))
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns)
            .map_err(|e| format!("roster too large to search: {e}"))?;
        let shortest_id = self.ids.keys().map(|k| k.len()).min();
        let shortest_name = surnames.iter().map(|s| s.len() + 2).min();
        let min_len = shortest_id
            .into_iter()
            .chain(shortest_name)
            .min()
            .unwrap_or(1);
        let mut entries = self.entries;
        entries.shrink_to_fit();
        let mut cell_prefixes = vec![0u64; 1024];
        for key in self
            .surnames
            .keys()
            .chain(self.forenames.keys())
            .chain(self.ids.keys())
        {
            let i = prefix_bit(key.as_bytes());
            cell_prefixes[i / 64] |= 1 << (i % 64);
        }
        Ok(Roster {
            ac,
            digits,
            entries,
            sources: self.sources,
            surnames: self.surnames,
            forenames: self.forenames,
            initials: self.initials,
            name_words: self.name_words,
            full_pairs: self.full_pairs,
            initial_pairs: self.initial_pairs,
            initials_pairs: self.initials_pairs,
            triples: self.triples,
            cell_prefixes,
            ids: self.ids,
            id_lens: self.id_lens,
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
        // A zero-width space hides nothing; the span keeps it.
        assert_eq!(found(&r, "ref 482\u{200b}15"), vec!["482\u{200b}15"]);
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
            "é48215",
            "48215é",
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
    fn hits_are_ordered_and_never_overlap() {
        fn shared<T: Send + Sync>(_: &T) {}
        let r = roster("name,collar\nJohn Brown,\nJohn Smith,4821\nAnn Jones,\n");
        shared(&r);
        // "BROWN, John" takes "John": "John Smith" would overlap it.
        assert_eq!(found(&r, "BROWN, John Smith"), vec!["BROWN, John"]);
        let text = "J. Smith (PC 4821) and Ann Jones; SMITH J";
        assert_eq!(
            found(&r, text),
            vec!["J. Smith", "4821", "Ann Jones", "SMITH J"]
        );
        let long = "a".repeat(100_000) + " John Smith " + &"9".repeat(100_000);
        assert_eq!(found(&r, &long), vec!["John Smith"]);
    }

    #[test]
    fn nfa_and_dfa_agree() {
        let content = "name,collar\nJohn Michael Smith,4821\nSeán Ó Súilleabháin,\n\
                       Jan van der Berg,1234AB\nAnn Jones,48215\n";
        let texts = [
            "SMITH, John Michael and J.M. Smith met PC 4821",
            "Sean O Suilleabhain; Jan van der Berg (1234ab); JONES, Ann",
            "Smith J Made the arrest; Annual Jones; 148215; 48215",
        ];
        let dfa = roster(content);
        assert_eq!(dfa.ac.kind(), AhoCorasickKind::DFA);
        let mut b = Builder::default();
        b.source("officers.csv", "officers.csv", content.as_bytes())
            .unwrap();
        let nfa = b.finish().unwrap();
        assert_eq!(nfa.ac.kind(), AhoCorasickKind::ContiguousNFA);
        for text in texts {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            dfa.find(text, &mut a);
            nfa.find(text, &mut b);
            assert!(!a.is_empty());
            assert_eq!(a, b, "{text}");
        }
        assert_eq!(found(&dfa, "by Jan van der Berg"), vec!["Jan van der Berg"]);
    }

    #[test]
    fn fold_map_holds_for_mixed_text() {
        let pieces = [
            " ", "  ", "\n", "\r\n", "\t", "\u{a0}", "A", "b", "É", "ß", "\u{200b}", "’",
            "e\u{308}", "Ω", "1", "-", "Jo", "ﬁ", "İ",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut f = Folded::default();
        for _ in 0..3000 {
            let mut src = String::new();
            for _ in 0..(seed % 17) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                src.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            f.fold(&src);
            assert_eq!(unfold(&f.map, f.text.len()), src.len(), "{src:?}");
            let mut last = 0;
            for (p, _) in f.text.char_indices() {
                let o = unfold(&f.map, p);
                assert!(o >= last && src.is_char_boundary(o), "{src:?} at {p}");
                last = o;
            }
            assert!(
                !f.text.contains("  ") && !f.text.starts_with(' '),
                "{src:?}"
            );
            assert_eq!(f.text, f.text.to_lowercase(), "{src:?}");
        }
    }

    #[test]
    fn fold_map_round_trips() {
        let mut f = Folded::default();
        let src = "  Ó\u{a0}\u{a0}Súil\u{200b}leabháin  x\u{308}y ";
        f.fold(src);
        assert_eq!(f.text, "o suilleabhain xy ");
        let at = |folded: &str| unfold(&f.map, f.text.find(folded).unwrap());
        assert_eq!(&src[at("o s")..], &src[2..]);
        assert_eq!(&src[at("suil")..], &src[8..]);
        assert_eq!(&src[at("leab")..], &src[src.find("leab").unwrap()..]);
        assert_eq!(&src[at("y")..], "y ");
        assert_eq!(unfold(&f.map, f.text.len()), src.len());
        let r = roster("name\nJohn Smith\n");
        assert!(format!("{r:?}").contains("entries: 1"));
        assert!(!format!("{r:?}").contains("mith"));
    }
}
