//! Table-level detectors: `personal-data-column`, the `pii.*` rules by column, `small-count`
//! and `row-level-data`.
//!
//! A single cell says little: "Smith" may be a surname or a place, "3" a count or a rank.
//! These rules judge whole columns and tables, so they keep per-column statistics while the
//! engine streams cells row by row and decide when a table (or the scan) ends. Nothing
//! grows with the number of rows except counters: distinct values are estimated from a
//! capped sample of hashes and only one example value per column is kept.
//!
//! A table starts at a header row. Under it, every column gets a heading class from the
//! lexicon of IDENTIFIERS.md (names, roles, dates of birth, contact, staff and justice
//! identifiers, special category...) and a fit count: how many values have the shape that
//! class needs. A table with an identifying column (names, dates of birth, addresses,
//! identifiers) holds individual records; a table with count columns beside label columns
//! and no identifying column is an aggregate, where small counts are a disclosure risk.
//!
//! ## What a personal-data column's values are reported as
//!
//! Findings say what is true wherever the data sits: a column of dates of birth is also
//! `pii.date-of-birth`, as the same dates in a sentence are, so a policy or baseline written
//! against rule ids sees the same ids. Each personal-data column therefore gives, next to
//! `personal-data-column`, one finding under the catalogue rule for what its values are:
//!
//! | heading (lexicon class) | rule | a value counts when it is |
//! |---|---|---|
//! | names; roles listing people | `pii.person-name` | name-shaped (roles: two name words) |
//! | DOB, date of birth, birth date, born | `pii.date-of-birth` | a written date, or a spreadsheet date serial (300–60,000) |
//! | date of death | none | not a date of birth |
//! | age | none | no catalogue rule for ages |
//! | postcode; address | `pii.postcode` | a full UK postcode by the area and position rules, any case |
//! | address lines without a postcode | none | no catalogue rule for street addresses |
//! | telephone, tel, mobile, phone | `pii.phone` | a reportable UK number (freephone and unallocated ranges are not) |
//! | email | `pii.email` | a personal address (role mailboxes such as foi@ are not) |
//! | collar, shoulder, warrant, service number | `pii.police-officer` | a reference shape (`4821`, `1234AB`): these numbers are officers' own |
//! | staff, employee, personnel, payroll, pay number, UNI | none | anyone's staff number, not an officer's |
//! | PNC ID | `pii.pnc-id` | valid check letter |
//! | CRO | `pii.cro-number` | valid check letter |
//! | NI number, NINO, national insurance | `pii.nino` | issued prefix and suffix A–D |
//! | NHS number, CHI | `pii.nhs-number` | mod 11 (a CHI number that lost its leading 0 as a number gets it back) |
//! | passport | `pii.passport` | nine digits, or a letter and eight digits |
//! | driving licence | `pii.driving-licence` | structure and date parts valid |
//! | registration, VRM | `pii.vehicle-registration` | a current-format mark with a valid age identifier |
//! | sort code | `pii.bank-account` | `12-34-56`, `12 34 56` or six digits |
//! | account number | `pii.bank-account` | eight digits, only in a table that also has a sort-code column |
//! | IBAN; card number | `pii.iban`; `pii.payment-card` | mod 97; Luhn and an issuer prefix |
//! | UTR, UPN, justice references (ASN, URN, custody, crime, incident...), locations, staff attributes, special category | none | the catalogue has no rule for them: `personal-data-column` says it |
//!
//! Checked identifiers must pass the identifier detector's own checks (after undoing what
//! spreadsheets do to values: case, a dropped leading zero): a heading does not make
//! `QQ 12 34 56 A` a National Insurance number. A value the identifier detector already
//! reported under the same rule in that cell is not counted again, so a column never doubles
//! the per-cell finding; the column's finding covers only the values nothing else reported,
//! and there is none when that is every value. Allowed values (`[allow]`) are not counted.
//! Severities are the identifier detector's for the same rule (checked national identifiers
//! are `critical` when hidden).

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::allow::Allowlist;
use super::hit::{Context, Hit};
use super::identifiers::{self, mask_alnum, mask_date, rule};
use crate::model::{Extent, Severity};
use crate::util::{ContentDigest, plural, shorten, thousands};

/// Settings for the table detectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableConfig {
    /// Counts from 1 to `small_count_threshold - 1` are reported as small counts.
    pub small_count_threshold: u32,
}

impl Default for TableConfig {
    fn default() -> Self {
        TableConfig {
            small_count_threshold: 5,
        }
    }
}

/// One table-level finding, before the engine adds the file, sheet name and fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFinding {
    /// `personal-data-column`, `small-count`, `row-level-data` or `pii.person-name`.
    pub rule: &'static str,
    /// Severity for visible content; the engine escalates hidden content.
    pub severity: Severity,
    /// The reported cells are mostly hidden from a reader.
    pub hidden: bool,
    pub sheet: u32,
    /// A1 range of the reported cells.
    pub range: String,
    /// The heading, when the finding is about one column.
    pub column: Option<String>,
    /// Headings and counts only: never personal data in clear.
    pub message: String,
    /// One example value in clear (the engine masks it unless `--show-evidence`).
    pub evidence: Option<String>,
    /// That example with its identity hidden.
    pub masked: Option<String>,
    /// Digest of the reported values, so the fingerprint changes when they change.
    pub key: String,
    /// Checksum-valid national identifiers: `critical` when hidden, like the same values
    /// found by the identifier detector.
    pub strong: bool,
}

/// Hashes kept per column to estimate its number of distinct values (exact below the cap).
const DISTINCT_SAMPLE: usize = 128;
/// Columns tracked per table; cells further right still count towards the table extent.
const MAX_COLUMNS: usize = 512;
/// Data rows that make a table of individual records a `row-level-data` finding.
const MIN_RECORD_ROWS: u64 = 10;
/// Longest example value kept (characters).
const EXAMPLE_MAX: usize = 80;
/// Longest text checked against the lexicon as a possible heading (bytes).
const HEADING_MAX: usize = 60;

/// The table detectors' state for one file.
pub struct Tables<'a> {
    config: TableConfig,
    /// Values that may be published are not reported under a `pii.*` rule by column either.
    allow: Option<&'a Allowlist>,
    sheets: BTreeMap<u32, Sheet>,
    /// Scratch buffers for heading normalisation on the per-cell path.
    tmp: String,
    norm: String,
    /// Shapes of recently seen cell texts, by a 64-bit hash of the exact text: tables repeat
    /// their values (wards, offences, ranks), and working out a text's shape is most of
    /// this module's per-cell cost.
    shape_cache: Vec<(u64, Shape)>,
}

const SHAPE_CACHE: usize = 4096;

/// FNV-1a over the exact bytes (case matters to a shape).
fn exact_hash(t: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in t.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h | 1
}

impl<'a> Tables<'a> {
    pub fn new(config: TableConfig) -> Self {
        Tables {
            config,
            allow: None,
            sheets: BTreeMap::new(),
            tmp: String::new(),
            norm: String::new(),
            shape_cache: Vec::new(),
        }
    }

    /// Drops values the allowlist permits from the `pii.*` findings by column.
    pub fn with_allowlist(mut self, allow: &'a Allowlist) -> Self {
        self.allow = (!allow.is_empty()).then_some(allow);
        self
    }

    /// One cell. `sheet` is an engine-assigned id (stable for the file), `hidden` whether a
    /// reader sees this cell, `hits` what the identifier/roster detectors found in `text`
    /// (after the allowlist).
    pub fn cell(&mut self, sheet: u32, row: u32, col: u32, text: &str, hidden: bool, hits: &[Hit]) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let Tables {
            config,
            allow,
            sheets,
            tmp,
            norm,
            shape_cache,
        } = self;
        let s = sheets.entry(sheet).or_default();
        if s.has_row && s.row.index != row {
            s.complete_row(sheet, config.small_count_threshold, tmp, norm, *allow);
        }
        if !s.has_row {
            s.row.reset(row);
            s.has_row = true;
        }
        let r = &mut s.row;
        // Cells of a row arrive in column order; a repeat or a step back is ignored so the
        // row stays sorted for lookups.
        if r.cells.last().is_some_and(|c| c.col >= col) {
            return;
        }
        // The text's own shape is cached (category values repeat down a column); what the
        // hits add is not, since it depends on more than the text.
        if shape_cache.is_empty() {
            shape_cache.resize(SHAPE_CACHE, (0, Shape::default()));
        }
        let h = exact_hash(text);
        let slot = &mut shape_cache[(h as usize) & (SHAPE_CACHE - 1)];
        let mut shape = if slot.0 == h {
            slot.1
        } else {
            let computed = text_shape(text);
            *slot = (h, computed);
            computed
        };
        shape.flags |= hit_flags(text, hits);
        if !hits.is_empty() {
            r.hits += 1;
        }
        if shape.has(flag::YEAR) || (shape.has(flag::TEXT) && !shape.has(flag::SUPPRESSED)) {
            r.heading_like += 1;
        } else if shape.has(flag::NUMERIC) {
            r.numeric += 1;
        }
        if shape.has(flag::DATE | flag::EMAIL | flag::PHONE | flag::POSTCODE) {
            r.data_like += 1;
        }
        let start = r.text.len();
        r.text.push_str(text);
        r.cells.push(RowCell {
            col,
            start,
            end: r.text.len(),
            hidden,
            shape,
            reported: hits.iter().fold(0, |bits, h| bits | rule_bit(h.rule)),
        });
    }

    /// Heading of a column once that sheet's header row is known (used as context by the
    /// identifier detectors, e.g. "DOB" makes a date a date of birth).
    pub fn heading(&self, sheet: u32, col: u32) -> Option<&str> {
        let s = self.sheets.get(&sheet)?;
        // The engine asks before it hands over the first cell of the next row, while the
        // header row is still pending here.
        if s.has_row && s.starts_table() {
            return s.row.text_at(col);
        }
        s.table.as_ref()?.heading(col)
    }

    /// Table-level findings for every sheet seen; consumes the state.
    pub fn finish(mut self) -> Vec<TableFinding> {
        let threshold = self.config.small_count_threshold;
        let mut out = Vec::new();
        for (id, mut s) in std::mem::take(&mut self.sheets) {
            s.complete_row(id, threshold, &mut self.tmp, &mut self.norm, self.allow);
            if let Some(t) = s.table.take() {
                t.finish(id, threshold, &mut s.findings);
            }
            out.append(&mut s.findings);
        }
        out
    }

    /// Largest per-column distinct sample, tracked columns and pending row cells: what the
    /// state holds besides counters.
    #[cfg(test)]
    fn footprint(&self) -> (usize, usize, usize) {
        let mut sample = 0;
        let mut columns = 0;
        let mut pending = 0;
        for s in self.sheets.values() {
            pending = pending.max(s.row.cells.len());
            if let Some(t) = &s.table {
                columns += t.columns.len();
                for c in &t.columns {
                    sample = sample.max(c.stats.distinct.hashes.len());
                }
            }
        }
        (sample, columns, pending)
    }
}

// ---------------------------------------------------------------------------------------
// Value shapes

/// Shape bits of one cell value, computed once when the cell arrives.
mod flag {
    pub const INT: u32 = 1;
    pub const DECIMAL: u32 = 1 << 1;
    pub const MONEY: u32 = 1 << 2;
    pub const PERCENT: u32 = 1 << 3;
    pub const YEAR: u32 = 1 << 4;
    pub const SUPPRESSED: u32 = 1 << 5;
    /// Not a number (dates and names are text).
    pub const TEXT: u32 = 1 << 6;
    /// Looks like a person's name (or a name detector said so).
    pub const NAME: u32 = 1 << 7;
    pub const DATE: u32 = 1 << 9;
    pub const ADDRESS: u32 = 1 << 10;
    pub const IDENT: u32 = 1 << 11;
    pub const EMAIL: u32 = 1 << 12;
    pub const PHONE: u32 = 1 << 13;
    pub const POSTCODE: u32 = 1 << 14;
    pub const ROLE_WORD: u32 = 1 << 15;
    /// Another detector found personal data in the cell.
    pub const PII: u32 = 1 << 16;
    /// Two or more name words ("SMITH, John", "Grace Wilson"): what a role column holding
    /// people lists, as opposed to one-word labels ("Maths").
    pub const FULL_NAME: u32 = 1 << 17;
    pub const NUMERIC: u32 = INT | DECIMAL | MONEY | PERCENT;
}

#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    flags: u32,
    /// The value, when it is a plain integer.
    int: Option<i64>,
}

impl Shape {
    fn has(&self, f: u32) -> bool {
        self.flags & f != 0
    }
}

/// What the other detectors' hits in a cell add to its shape.
fn hit_flags(text: &str, hits: &[Hit]) -> u32 {
    let mut flags = 0;
    let has_letter = || text.chars().any(char::is_alphabetic);
    for h in hits {
        flags |= flag::PII;
        flags |= match h.rule {
            "pii.email" => flag::EMAIL,
            "pii.phone" => flag::PHONE,
            "pii.postcode" => flag::POSTCODE,
            "pii.date-of-birth" => flag::DATE,
            "roster-match" | "pii.person-name" | "pii.police-officer" if has_letter() => flag::NAME,
            _ => 0,
        };
    }
    flags
}

/// The shape a cell's text has by itself; depends on the text alone, so it is cached.
fn text_shape(text: &str) -> Shape {
    let mut flags = 0;
    if is_suppressed(text) {
        return Shape {
            flags: flags | flag::SUPPRESSED,
            int: None,
        };
    }
    if let Some(num) = parse_number(text) {
        let mut int = None;
        flags |= match num {
            Num::Int(v) => {
                int = Some(v);
                if (1900..=2099).contains(&v) {
                    flag::INT | flag::YEAR
                } else {
                    flag::INT
                }
            }
            Num::Decimal => flag::DECIMAL,
            Num::Money => flag::MONEY,
            Num::Percent => flag::PERCENT,
        };
        if int.is_some() && ident_like(text) {
            flags |= flag::IDENT;
        }
        if phone_like(text) {
            flags |= flag::PHONE;
        }
        return Shape { flags, int };
    }
    flags |= flag::TEXT;
    if fiscal_year(text) {
        flags |= flag::YEAR;
    }
    let date = is_date(text);
    if date {
        flags |= flag::DATE;
    }
    // Category values ("Not recorded", "Chief Inspector", "Victim") and organisations
    // have the shape of names but are not people.
    if role_word(text) {
        flags |= flag::ROLE_WORD;
    } else if name_like(text) && !vocabulary(text) && !organisation(text) {
        flags |= flag::NAME;
        if words(text).count() >= 2 {
            flags |= flag::FULL_NAME;
        }
    }
    if !date {
        if ident_like(text) {
            flags |= flag::IDENT;
        }
        if address_like(text) {
            flags |= flag::ADDRESS;
        }
    }
    if email_like(text) {
        flags |= flag::EMAIL;
    }
    if phone_like(text) {
        flags |= flag::PHONE;
    }
    if postcode_like(text) {
        flags |= flag::POSTCODE;
    }
    Shape { flags, int: None }
}

/// A fixed word list, matched case-insensitively without allocating. Shape tests ask it
/// about every word of every cell, and nearly always the answer is no: a table of which
/// lengths occur under each first letter says most of those noes before anything is hashed.
struct WordList {
    words: HashSet<&'static [u8], crate::util::FastBuild>,
    /// Bit `n` of entry `b`: some word of `n` bytes starts with the byte `b` (lowercase).
    lengths_by_first: [u32; 256],
}

impl WordList {
    fn new(words: &'static str) -> Self {
        let mut lengths_by_first = [0u32; 256];
        let words: HashSet<&'static [u8], crate::util::FastBuild> = words
            .split_whitespace()
            .map(str::as_bytes)
            .inspect(|w| {
                lengths_by_first[w[0].to_ascii_lowercase() as usize] |= 1 << w.len().min(31)
            })
            .collect();
        WordList {
            words,
            lengths_by_first,
        }
    }

    fn contains(&self, w: &str) -> bool {
        let w = w.as_bytes();
        let (Some(&first), true) = (w.first(), w.len() < 32) else {
            return false;
        };
        if self.lengths_by_first[first.to_ascii_lowercase() as usize] & (1 << w.len()) == 0 {
            return false;
        }
        let mut buf = [0u8; 32];
        let lower = &mut buf[..w.len()];
        for (d, b) in lower.iter_mut().zip(w) {
            *d = b.to_ascii_lowercase();
        }
        self.words.contains(&lower[..])
    }
}

/// The [`WordList`] of a space-separated word string, built on first use.
macro_rules! word_list {
    ($words:expr) => {{
        static LIST: OnceLock<WordList> = OnceLock::new();
        LIST.get_or_init(|| WordList::new($words))
    }};
}

/// Markers statisticians put in place of a suppressed or missing value.
fn is_suppressed(t: &str) -> bool {
    const MARKS: &str = "* ** *** - – — .. ... … ~ : [c] [x] [z] [low] n/a na n.a.";
    word_list!(MARKS).contains(t)
        || t.strip_prefix(['<', '≤'])
            .is_some_and(|r| parse_number(r).is_some())
}

enum Num {
    Int(i64),
    Decimal,
    Money,
    Percent,
}

/// A number as spreadsheets and CSV files write it: `1,234`, `-3`, `2.50`, `£40`, `12%`.
/// `3.0` is an integer (readers often print whole numbers that way).
fn parse_number(s: &str) -> Option<Num> {
    let mut t = s.trim();
    let mut percent = false;
    if let Some(r) = t.strip_suffix('%') {
        percent = true;
        t = r.trim_end();
    }
    let neg = t.starts_with('-');
    if neg {
        t = &t[1..];
    }
    let mut money = false;
    if let Some(r) = t.strip_prefix(['£', '$', '€']) {
        money = true;
        t = r.trim_start();
    }
    let (whole, frac) = match t.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (t, None),
    };
    if whole.is_empty() && frac.is_none() {
        return None;
    }
    if let Some(f) = frac
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if whole.contains(',') {
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or_default();
        if first.is_empty()
            || first.len() > 3
            || !first.bytes().all(|b| b.is_ascii_digit())
            || !groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
    } else if !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if money {
        return Some(Num::Money);
    }
    if percent {
        return Some(Num::Percent);
    }
    if frac.is_some_and(|f| !f.bytes().all(|b| b == b'0')) {
        return Some(Num::Decimal);
    }
    let mut v: i64 = 0;
    for b in whole.bytes().filter(u8::is_ascii_digit) {
        match v
            .checked_mul(10)
            .and_then(|v| v.checked_add((b - b'0') as i64))
        {
            Some(n) => v = n,
            None => return Some(Num::Decimal), // too long for a count: some code
        }
    }
    Some(Num::Int(if neg { -v } else { v }))
}

/// `2019/20`, `2019-20`, `2019/2020`: financial years used as labels.
fn fiscal_year(t: &str) -> bool {
    let b = t.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    (b.len() == 7 || b.len() == 9)
        && digits(&b[..4])
        && (b[4] == b'/' || b[4] == b'-')
        && digits(&b[5..])
        && matches!(&b[..2], b"19" | b"20")
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// 1–12 for a month name or its three-letter (or `sept`) abbreviation.
fn month_name(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.len() >= w.len() && m[..w.len()].eq_ignore_ascii_case(w))
        .map(|i| i as u32 + 1)
}

/// A calendar date in the usual written forms: `12/03/1980`, `1980-03-12`, `12-Mar-80`,
/// `12 March 1980`, `March 12, 1980`; an ISO time part is ignored.
fn is_date(t: &str) -> bool {
    let t = match t.find('T') {
        Some(10) => &t[..10],
        _ => t,
    };
    let mut parts = [""; 3];
    let mut n = 0;
    for p in t.split(['/', '-', '.', ' ', ',']).filter(|p| !p.is_empty()) {
        if p.contains(':') && n == 3 {
            continue; // a time after the date
        }
        if n == 3 {
            return false;
        }
        parts[n] = p;
        n += 1;
    }
    if n != 3 {
        return false;
    }
    let num = |s: &str| -> Option<u32> {
        (s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let month = |s: &str| {
        num(s)
            .filter(|m| (1..=12).contains(m))
            .or_else(|| month_name(s))
    };
    let day = |s: &str| num(s).filter(|d| (1..=31).contains(d) && s.len() <= 2);
    let year = |s: &str| match s.len() {
        2 => num(s).is_some(),
        4 => num(s).is_some_and(|y| (1850..=2100).contains(&y)),
        _ => false,
    };
    let [a, b, c] = parts;
    if a.len() == 4 && year(a) {
        return month(b).is_some() && day(c).is_some();
    }
    (day(a).is_some() && month(b).is_some() && year(c))
        || (month_name(a).is_some() && day(b).is_some() && year(c))
        || (num(a).is_some_and(|m| (1..=12).contains(&m)) && day(b).is_some() && year(c))
}

fn words(t: &str) -> impl Iterator<Item = &str> {
    t.split(|c: char| c.is_whitespace() || c == ',' || c == '/')
        .filter(|w| !w.is_empty())
}

/// One to four words of letters (apostrophes, hyphens and full stops allowed): "Smith",
/// "SMITH, John", "J. K.", "O'Neill-Jones".
fn name_like(t: &str) -> bool {
    if t.len() > 50 || t.contains('/') {
        return false;
    }
    // People's names are capitalised ("smith" and "x" are labels); scripts without case
    // (Arabic, Chinese) pass.
    let first = t.chars().find(|c| c.is_alphabetic());
    if first.is_some_and(|c| c.is_lowercase())
        || t.chars().filter(|c| c.is_alphabetic()).count() < 2
    {
        return false;
    }
    let mut n = 0;
    for w in t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        n += 1;
        if n > 4
            || !w.chars().any(char::is_alphabetic)
            || !w
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
        {
            return false;
        }
    }
    n > 0
}

/// Every word comes from the vocabulary of category values, so the value is a category
/// ("Not recorded", "Chief Inspector", "Female") rather than a name.
fn vocabulary(t: &str) -> bool {
    const VOCAB: &str = "yes no true false unknown known none other others not recorded stated \
        given applicable available nil male female man woman men women boy girl total all any and \
        or of the unspecified withheld prefer say to declined blank null vacant various multiple \
        constable sergeant inspector chief superintendent commander commissioner deputy assistant \
        detective special police staff officer officers pcso pc ps dc ds di dci supt insp sgt \
        civilian volunteer";
    words(t).all(|w| {
        let w = w.trim_matches('.');
        word_list!(VOCAB).contains(w)
    })
}

/// A word that marks an organisation, not a person ("Acme Ltd", "Norfolk County Council").
fn organisation(t: &str) -> bool {
    const ORG: &str = "ltd limited plc llp llc inc council trust services group company co \
        university college school nhs police constabulary authority association society club \
        centre center partnership foundation charity department ministry office agency";
    words(t).any(|w| word_list!(ORG).contains(w.trim_matches('.')))
}

/// The value names a role in an incident: "Victim", "Witness", "Injured party",
/// "Victim/Witness".
fn role_word(t: &str) -> bool {
    const PRIMARY: &str = "victim witness suspect offender accused defendant complainant \
        informant perpetrator detainee injured reporting nominal";
    const FILLER: &str = "and or & person party the";
    let mut primary = false;
    for w in words(t) {
        // Singular or plural: "victims", "witnesses".
        let forms = [
            w,
            w.strip_suffix('s').unwrap_or(w),
            w.strip_suffix("es").unwrap_or(w),
        ];
        if forms.iter().any(|f| word_list!(PRIMARY).contains(f)) {
            primary = true;
        } else if !word_list!(FILLER).contains(w) {
            return false;
        }
    }
    primary
}

/// A reference-number shape: digits, maybe a few letters (`12345`, `1234AB`, `98/0123456G`,
/// `AB 12 34 56 C`), not a date or a word with a number in it.
fn ident_like(t: &str) -> bool {
    let n = t.chars().count();
    if !(2..=24).contains(&n) {
        return false;
    }
    let (mut digits, mut letters, mut run, mut max_run, mut groups) = (0, 0, 0, 0, 1);
    for c in t.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            run = 0;
        } else if c.is_ascii_alphabetic() {
            letters += 1;
            run += 1;
            max_run = max_run.max(run);
        } else if matches!(c, ' ' | '/' | '-') {
            run = 0;
            if c == ' ' {
                groups += 1;
            }
        } else {
            return false;
        }
    }
    digits >= 2 && max_run <= 4 && letters <= 2 * digits + 1 && groups <= 5
}

/// A street address: several words, a number and a real word ("12 High Street",
/// "Flat 3, Mill Court").
fn address_like(t: &str) -> bool {
    let mut n = 0;
    let mut word = false;
    for w in words(t) {
        n += 1;
        word |= w.chars().filter(|c| c.is_alphabetic()).count() >= 3;
    }
    n >= 2 && word && t.bytes().any(|b| b.is_ascii_digit())
}

fn email_like(t: &str) -> bool {
    match t.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !t.contains(char::is_whitespace)
                && !domain.contains('@')
                && domain.trim_matches('.').contains('.')
        }
        None => false,
    }
}

fn phone_like(t: &str) -> bool {
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    (10..=13).contains(&digits)
        && (t.starts_with('0') || t.starts_with('+'))
        && t.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'+' | b'-' | b'(' | b')'))
}

/// A full UK postcode shape (`NR1 2AB`, `SW1A 1AA`); districts alone (`NR1`) do not count.
fn postcode_like(t: &str) -> bool {
    if !(5..=8).contains(&t.len()) {
        return false;
    }
    let mut buf = [0u8; 8];
    let mut n = 0;
    for b in t.bytes().filter(|b| *b != b' ') {
        buf[n] = b.to_ascii_uppercase();
        n += 1;
    }
    if !(5..=7).contains(&n) {
        return false;
    }
    let (out, inward) = buf[..n].split_at(n - 3);
    let a = |b: &u8| b.is_ascii_alphabetic();
    let d = |b: &u8| b.is_ascii_digit();
    let inward_ok = d(&inward[0]) && a(&inward[1]) && a(&inward[2]);
    let out_ok = match out {
        [x, y] => a(x) && d(y),
        [x, y, z] => a(x) && ((d(y) && (d(z) || a(z))) || (a(y) && d(z))),
        [w, x, y, z] => a(w) && a(x) && d(y) && (d(z) || a(z)),
        _ => false,
    };
    inward_ok && out_ok
}

/// A stable 64-bit hash of a value, case-insensitive, spread evenly for the distinct
/// estimate (FNV-1a with a murmur3 finaliser).
fn hash64(t: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in t.bytes() {
        h ^= b.to_ascii_lowercase() as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The first character of each word kept, the rest of its letters and digits starred:
/// `Smith J.` → `S**** J.`.
fn mask(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut in_word = false;
    for c in t.chars() {
        if c.is_alphanumeric() {
            out.push(if in_word { '*' } else { c });
            in_word = true;
        } else {
            out.push(c);
            in_word = false;
        }
    }
    out
}

/// Whitespace collapsed and long headings cut, for messages.
fn display(h: &str) -> String {
    let mut out = String::new();
    for (i, w) in h.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
    if out.chars().count() > HEADING_MAX {
        out = out.chars().take(HEADING_MAX - 1).collect();
        out.push('…');
    }
    out
}

// ---------------------------------------------------------------------------------------
// Headings

/// What a heading says its column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Name,
    /// A role in an incident or service (victim, suspect, tenant...): personal when the
    /// column holds names.
    Role,
    Dob,
    Age,
    Address,
    Postcode,
    Phone,
    Email,
    /// UPRN, grid reference, coordinates.
    Location,
    StaffId,
    /// Rank, grade, salary...: personal only in a table of individuals.
    StaffAttr,
    Justice,
    National,
    Special,
}

impl Kind {
    /// When a heading matches several classes, the most specific wins ("Victim name" is a
    /// name column, "Email address" an email column).
    fn priority(self) -> u8 {
        match self {
            Kind::Dob => 0,
            Kind::Name => 1,
            Kind::Special => 2,
            Kind::Email | Kind::Phone | Kind::Postcode => 3,
            Kind::Address => 4,
            Kind::StaffId => 5,
            Kind::Justice => 6,
            Kind::National => 7,
            Kind::Location => 8,
            Kind::Age => 9,
            Kind::StaffAttr => 10,
            Kind::Role => 11,
        }
    }

    /// Singular and plural of what the column holds, for messages.
    fn noun(self) -> (&'static str, &'static str) {
        match self {
            Kind::Name | Kind::Role => ("person name", "person names"),
            Kind::Dob => ("date of birth", "dates of birth"),
            Kind::Age => ("age of an individual", "ages of individuals"),
            Kind::Address => ("address", "addresses"),
            Kind::Postcode => ("postcode", "postcodes"),
            Kind::Phone => ("phone number", "phone numbers"),
            Kind::Email => ("email address", "email addresses"),
            Kind::Location => ("location reference", "location references"),
            Kind::StaffId => ("staff identifier", "staff identifiers"),
            Kind::StaffAttr => ("individual's staff detail", "individuals' staff details"),
            Kind::Justice => ("justice-system identifier", "justice-system identifiers"),
            Kind::National => ("national identifier", "national identifiers"),
            Kind::Special => ("special-category value", "special-category values"),
        }
    }

    /// Does one value have the shape this kind of column needs?
    fn fits(self, s: &Shape) -> bool {
        use flag::*;
        let int_in = |lo: i64, hi: i64| s.int.is_some_and(|v| (lo..=hi).contains(&v));
        match self {
            Kind::Name => s.has(NAME),
            // A role heading ("Subject", "Victim") over one-word labels is a category list.
            Kind::Role => s.has(FULL_NAME),
            // Excel stores dates as day numbers; a reader may pass them on unformatted.
            Kind::Dob => s.has(DATE) || int_in(300, 60_000),
            Kind::Age => int_in(0, 120),
            Kind::Address => s.has(ADDRESS | POSTCODE | PHONE | EMAIL),
            Kind::Postcode => s.has(POSTCODE),
            Kind::Phone => s.has(PHONE),
            Kind::Email => s.has(EMAIL),
            Kind::Location => s.has(INT | DECIMAL | IDENT),
            Kind::StaffId | Kind::Justice | Kind::National => {
                s.has(IDENT) || (s.has(PII) && !s.has(NAME))
            }
            Kind::StaffAttr | Kind::Special => true,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Values reported by column under `pii.*` rules

/// The catalogue rule under which a personal-data column's values are reported, next to
/// `personal-data-column` (the table in the module docs says which heading gives which).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pii {
    PersonName,
    Dob,
    Postcode,
    Phone,
    Email,
    Officer,
    Pnc,
    Cro,
    Nino,
    Nhs,
    Passport,
    Licence,
    Vrm,
    SortCode,
    Account,
    Iban,
    Card,
}

/// The `pii.*` rules a column can report, in the order of their bits in
/// [`RowCell::reported`].
const PII_RULES: [&str; 16] = [
    rule::PERSON,
    rule::DOB,
    rule::POSTCODE,
    rule::PHONE,
    rule::EMAIL,
    rule::OFFICER,
    rule::PNC,
    rule::CRO,
    rule::NINO,
    rule::NHS,
    rule::PASSPORT,
    rule::LICENCE,
    rule::VRM,
    rule::BANK,
    rule::IBAN,
    rule::CARD,
];

/// Bit of a `pii.*` rule in [`RowCell::reported`]; 0 for other rules.
fn rule_bit(rule: &str) -> u32 {
    PII_RULES
        .iter()
        .position(|r| *r == rule)
        .map_or(0, |i| 1 << i)
}

impl Pii {
    /// The rule a column of `kind` under the normalised heading `norm` reports its values
    /// under, or `None` when the catalogue has no rule for them.
    fn of_heading(kind: Kind, norm: &str) -> Option<Pii> {
        let has = |words: &[&str]| words.iter().any(|w| norm.contains(w));
        Some(match kind {
            Kind::Name | Kind::Role => Pii::PersonName,
            // "Date of death" is in the same lexicon class, but it is not a date of birth.
            Kind::Dob if !has(&[" dob ", " birth", " born "]) => return None,
            Kind::Dob => Pii::Dob,
            Kind::Postcode | Kind::Address => Pii::Postcode,
            Kind::Phone => Pii::Phone,
            Kind::Email => Pii::Email,
            // Collar, shoulder and warrant numbers are police officers' own; a service number
            // is the PSNI's and most forces' name for the same. Staff, employee and payroll
            // numbers are anyone's: personal-data-column only.
            Kind::StaffId if has(&[" collar ", " shoulder ", " warrant ", " service "]) => {
                Pii::Officer
            }
            Kind::Justice if has(&[" pnc "]) => Pii::Pnc,
            Kind::Justice if has(&[" cro "]) => Pii::Cro,
            Kind::National if has(&[" ni number ", " nino ", " national insurance "]) => Pii::Nino,
            Kind::National if has(&[" nhs ", " chi "]) => Pii::Nhs,
            Kind::National if has(&[" passport "]) => Pii::Passport,
            Kind::National if has(&[" driving licen", " driver licen"]) => Pii::Licence,
            Kind::National if has(&[" registration ", " vrm "]) => Pii::Vrm,
            Kind::National if has(&[" sort code "]) => Pii::SortCode,
            Kind::National if has(&[" account number "]) => Pii::Account,
            Kind::National if has(&[" iban "]) => Pii::Iban,
            Kind::National if has(&[" card number "]) => Pii::Card,
            _ => return None,
        })
    }

    fn rule(self) -> &'static str {
        match self {
            Pii::PersonName => rule::PERSON,
            Pii::Dob => rule::DOB,
            Pii::Postcode => rule::POSTCODE,
            Pii::Phone => rule::PHONE,
            Pii::Email => rule::EMAIL,
            Pii::Officer => rule::OFFICER,
            Pii::Pnc => rule::PNC,
            Pii::Cro => rule::CRO,
            Pii::Nino => rule::NINO,
            Pii::Nhs => rule::NHS,
            Pii::Passport => rule::PASSPORT,
            Pii::Licence => rule::LICENCE,
            Pii::Vrm => rule::VRM,
            Pii::SortCode | Pii::Account => rule::BANK,
            Pii::Iban => rule::IBAN,
            Pii::Card => rule::CARD,
        }
    }

    /// Severity for visible content: as the identifier detector rates the same values.
    fn severity(self) -> Severity {
        match self {
            Pii::PersonName | Pii::Postcode | Pii::Phone | Pii::Email | Pii::Vrm => {
                Severity::Medium
            }
            _ => Severity::High,
        }
    }

    /// Checked national identifiers: critical when hidden (SPEC).
    fn strong(self) -> bool {
        matches!(
            self,
            Pii::Pnc | Pii::Cro | Pii::Nino | Pii::Nhs | Pii::Iban | Pii::Card
        )
    }

    fn noun(self) -> (&'static str, &'static str) {
        match self {
            Pii::PersonName => ("person name", "person names"),
            Pii::Dob => ("date of birth", "dates of birth"),
            Pii::Postcode => ("postcode", "postcodes"),
            Pii::Phone => ("phone number", "phone numbers"),
            Pii::Email => ("personal email address", "personal email addresses"),
            Pii::Officer => (
                "police officer's collar, warrant or service number",
                "police officers' collar, warrant or service numbers",
            ),
            Pii::Pnc => ("PNC ID", "PNC IDs"),
            Pii::Cro => ("CRO number", "CRO numbers"),
            Pii::Nino => ("National Insurance number", "National Insurance numbers"),
            Pii::Nhs => ("NHS number", "NHS numbers"),
            Pii::Passport => ("passport number", "passport numbers"),
            Pii::Licence => ("driving licence number", "driving licence numbers"),
            Pii::Vrm => ("vehicle registration mark", "vehicle registration marks"),
            Pii::SortCode => ("sort code", "sort codes"),
            Pii::Account => ("bank account number", "bank account numbers"),
            Pii::Iban => ("IBAN", "IBANs"),
            Pii::Card => ("payment card number", "payment card numbers"),
        }
    }

    /// Whether `text`, a value that fits its column's heading, is this kind of personal data
    /// as the SPEC describes the rule; its masked form if so. Checked identifiers must pass
    /// the identifier detector's own checks (a heading does not make `QQ 12 34 56 A` a
    /// National Insurance number), after undoing what spreadsheets do to values: upper case
    /// restored, a CHI number's leading zero put back. Dates of birth, officers' numbers,
    /// sort codes, account numbers and passport numbers have no check: the heading is the
    /// evidence, and the value must have the shape.
    fn value(
        self,
        text: &str,
        shape: &Shape,
        heading: &str,
        allow: Option<&Allowlist>,
    ) -> Option<String> {
        let t = text.trim();
        let digits = |n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        let masked = match self {
            Pii::PersonName => mask(t),
            Pii::Dob => mask_date(t),
            Pii::Officer if shape.has(flag::IDENT) => mask_alnum(t, 0, 0),
            Pii::SortCode if sort_code_shape(t) => mask_alnum(t, 0, 0),
            Pii::Account if digits(8) => mask_alnum(t, 0, 2),
            Pii::Passport if digits(9) || passport_letter_form(t) => mask_alnum(t, 0, 2),
            Pii::Officer | Pii::SortCode | Pii::Account | Pii::Passport => return None,
            _ => return self.checked(t, heading, allow),
        };
        let permitted = allow.is_some_and(|a| {
            let whole = Hit {
                rule: self.rule(),
                start: 0,
                end: t.len(),
                severity: self.severity(),
                strong: false,
                label: String::new(),
                masked: String::new(),
            };
            a.permits(&whole, t)
        });
        (!permitted).then_some(masked)
    }

    /// A checked identifier: the identifier detector's verdict on the normalised value, with
    /// the heading as context; its masked form.
    fn checked(self, t: &str, heading: &str, allow: Option<&Allowlist>) -> Option<String> {
        let mut norm = if self == Pii::Email {
            t.to_string()
        } else {
            t.to_ascii_uppercase()
        };
        if self == Pii::Nhs && norm.len() == 9 && norm.bytes().all(|b| b.is_ascii_digit()) {
            norm.insert(0, '0');
        }
        let mut hits = Vec::new();
        let ctx = Context {
            heading: Some(heading),
            detail: None,
        };
        identifiers::find(&norm, &ctx, &mut hits);
        let rule = self.rule();
        hits.into_iter()
            .find(|h| h.rule == rule && !allow.is_some_and(|a| a.permits(h, &norm)))
            .map(|h| h.masked)
    }
}

/// `12-34-56`, `12 34 56` or `123456`.
fn sort_code_shape(t: &str) -> bool {
    let b = t.as_bytes();
    let d = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match b.len() {
        6 => d(b),
        8 => d(&b[..2]) && d(&b[3..5]) && d(&b[6..]) && b[2] == b[5] && matches!(b[2], b'-' | b' '),
        _ => false,
    }
}

/// A letter and eight digits: the other passport number form (IDENTIFIERS.md).
fn passport_letter_form(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 9 && b[0].is_ascii_alphabetic() && b[1..].iter().all(u8::is_ascii_digit)
}

/// Lexicon of IDENTIFIERS.md: normalised token sequences, `|`-separated, per class.
const LEXICON: &[(Kind, &str)] = &[
    (
        Kind::Name,
        "surname|last name|lastname|family name|forename|first name|firstname|given name|\
            middle name|initial|full name|fullname|name|alias|known as|aka|maiden name|\
            officer name|oic|officer in charge|officer in case|reporting officer",
    ),
    (
        Kind::Role,
        "victim|witness|suspect|offender|accused|defendant|complainant|informant|injured party|\
            person reporting|subject|nominal|perpetrator|detainee|child|children|pupil|patient|\
            tenant|applicant|claimant|owner|next of kin",
    ),
    (
        Kind::Dob,
        "dob|date of birth|birth date|birthdate|born|date of death",
    ),
    (Kind::Age, "age"),
    (
        Kind::Address,
        "address|address line|street|house number|flat",
    ),
    (Kind::Postcode, "postcode|post code"),
    (Kind::Phone, "telephone|tel|mobile|phone"),
    (Kind::Email, "email|e mail"),
    (
        Kind::Location,
        "uprn|grid reference|easting|northing|latitude|longitude",
    ),
    (
        Kind::StaffId,
        "collar|collar number|shoulder number|warrant number|service number|staff number|staff id|\
            employee number|employee id|personnel number|payroll number|payroll|pay number|uni",
    ),
    (
        Kind::StaffAttr,
        "rank|grade|vetting|vetting level|salary|allowance|home station",
    ),
    (
        Kind::Justice,
        "pnc|pnc id|cro|asn|urn|custody number|custody reference|crime reference|crime number|\
            occurrence number|occurrence reference|incident number|incident reference|cad|noms|\
            prison number|crn",
    ),
    (
        Kind::National,
        "ni number|nino|national insurance|nhs number|chi|chi number|passport|driving licence|\
            driving license|driver licence|utr|upn|registration|vrm|sort code|account number|iban|\
            card number",
    ),
    (
        Kind::Special,
        "ethnicity|ethnic|ethnic origin|religion|belief|sexuality|sexual orientation|\
            gender identity|disability|health|mental health|domestic abuse|safeguarding|\
            immigration status|asylum|looked after",
    ),
];

/// Words that make a bare "name" heading about something other than a person
/// ("Ward name", "Station name").
const NOT_PERSON: &str = "ward area team station force department dept unit school organisation \
    organization company business offence crime location place district borough council beat \
    sector file product item category type group division street road town city county region \
    site premises venue course trust hospital practice project supplier scheme policy role job \
    post position event operation vehicle country body agency provider sheet field column report \
    document system service establishment property";

/// Words that keep a heading with "name" about a person ("Officer name", "Full name").
const PERSON_QUALIFIER: &str = "full first last sur fore given middle family maiden christian \
    officer officers person persons people staff employee employees member members contact \
    patient victim victims suspect suspects witness witnesses offender offenders customer client \
    tenant applicant claimant owner student pupil child children user account holder driver \
    known alias preferred display names your my his her their of the and s f l m";

struct Lexicon {
    ac: AhoCorasick,
    /// Per pattern: its kind and whether it is the bare word "name".
    entries: Vec<(Kind, bool)>,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON_AC: OnceLock<Lexicon> = OnceLock::new();
    LEXICON_AC.get_or_init(|| {
        let mut patterns = Vec::new();
        let mut entries = Vec::new();
        for &(kind, phrases) in LEXICON {
            for p in phrases.split('|') {
                // Plurals match too: "Surnames", "Victims", "Addresses".
                for suffix in ["", "s", "es"] {
                    patterns.push(format!(" {p}{suffix} "));
                    entries.push((kind, p == "name"));
                }
            }
        }
        Lexicon {
            ac: AhoCorasick::new(&patterns).expect("lexicon patterns build"),
            entries,
        }
    })
}

/// Lexicon class of a normalised heading, and whether it names a role.
fn classify(norm: &str) -> (Option<Kind>, bool) {
    let lx = lexicon();
    let mut best: Option<Kind> = None;
    let mut role = false;
    for m in lx.ac.find_overlapping_iter(norm) {
        let (kind, bare_name) = lx.entries[m.pattern().as_usize()];
        // "Code name", "Competition name": a bare "name" qualified by any word that is not
        // about a person names a thing.
        if bare_name
            && norm.split(' ').any(|t| {
                !t.is_empty()
                    && t != "name"
                    && !t.chars().all(|c| c.is_ascii_digit())
                    && (word_list!(NOT_PERSON).contains(t)
                        || !word_list!(PERSON_QUALIFIER).contains(t))
            })
        {
            continue;
        }
        role |= kind == Kind::Role;
        if best.is_none_or(|b| kind.priority() < b.priority()) {
            best = Some(kind);
        }
    }
    (best, role)
}

/// Heading normalisation of IDENTIFIERS.md: lower case, punctuation and `_` become spaces,
/// camelCase and letter/digit boundaries split, runs of single letters joined ("D.O.B." →
/// "dob"), "no"/"num"/"#" → "number", "ref" → "reference". The result is padded with spaces
/// so token sequences match as " date of birth ".
fn normalise(raw: &str, tmp: &mut String, out: &mut String) {
    #[derive(PartialEq, Clone, Copy)]
    enum Prev {
        Lower,
        Upper,
        Digit,
        Other,
    }
    tmp.clear();
    let mut prev = Prev::Other;
    let mut run_len = 0; // letters in the current run
    for (i, c) in raw.char_indices() {
        if c.is_alphabetic() {
            let upper = c.is_uppercase();
            if !matches!(prev, Prev::Lower | Prev::Upper) {
                run_len = raw[i..].chars().take_while(|c| c.is_alphabetic()).count();
            }
            // camelCase splits only inside longer runs, so "DoB" stays one word.
            let next_lower = raw[i + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            let camel = run_len >= 4
                && upper
                && (prev == Prev::Lower || (prev == Prev::Upper && next_lower));
            if camel || prev == Prev::Digit {
                tmp.push(' ');
            }
            tmp.extend(c.to_lowercase());
            prev = if upper { Prev::Upper } else { Prev::Lower };
        } else if c.is_ascii_digit() {
            if matches!(prev, Prev::Lower | Prev::Upper) {
                tmp.push(' ');
            }
            tmp.push(c);
            prev = Prev::Digit;
        } else {
            tmp.push_str(if c == '#' { " number " } else { " " });
            prev = Prev::Other;
        }
    }
    out.clear();
    out.push(' ');
    let mut prev_single = false;
    for tok in tmp.split(' ').filter(|t| !t.is_empty()) {
        let single = {
            let mut cs = tok.chars();
            cs.next().is_some_and(char::is_alphabetic) && cs.next().is_none()
        };
        if single && prev_single {
            out.pop();
            out.push_str(tok);
            out.push(' ');
            continue;
        }
        out.push_str(match tok {
            "no" | "num" | "nbr" | "nr" | "nos" => "number",
            "ref" | "refs" => "reference",
            "addr" => "address",
            t => t,
        });
        out.push(' ');
        prev_single = single;
    }
}

/// What a column's heading says about it.
#[derive(Debug, Clone, Copy, Default)]
struct HeadingInfo {
    kind: Option<Kind>,
    /// The heading names a role: raises the risk of the columns beside it.
    role: bool,
    /// Never a count: years, money, rates, identifiers, league positions...
    not_count: bool,
    /// "No." / "#" / "Number" alone: a row-number column when it is the first one.
    bare_number: bool,
    /// "Number of ...", "Total", "Count": says it counts, whatever its values look like.
    count_heading: bool,
    /// The `pii.*` rule the column's values are reported under, if the catalogue has one.
    pii: Option<Pii>,
}

fn heading_info(raw: &str) -> HeadingInfo {
    const TIME: &str = "year years yr fy month quarter qtr week day date time hour period";
    const MONEY: &str = "cost costs value amount salary pay spend spent price budget expenditure \
        income fee fees payment compensation gbp pounds allowance";
    const RATE: &str = "rate percent percentage pct ratio proportion average avg mean median fte \
        share index score";
    const IDENT: &str = "id reference code urn key uprn";
    const LEAGUE: &str = "rank ranking position place order";
    const ROW: &[&str] = &[" row ", " row number ", " sn ", " line ", " item "];

    let (mut tmp, mut norm) = (String::new(), String::new());
    normalise(raw, &mut tmp, &mut norm);
    let (kind, role) = classify(&norm);
    let tokens: Vec<&str> = norm.split_whitespace().collect();
    let any = |list: &str| list.split_whitespace().any(|w| tokens.contains(&w));
    // "Number of victims", "Total", "Count": a count of people, whatever it counts.
    let count_heading = norm.contains(" number of ")
        || tokens.first().is_some_and(|t| *t == "total")
        || any("count headcount");
    let kind = if count_heading { None } else { kind };
    // "Case number", "Crime no": a number that identifies; "Total number" counts.
    let numbered = tokens.iter().enumerate().any(|(i, t)| {
        *t == "number"
            && tokens.get(i + 1) != Some(&"of")
            && i > 0
            && !matches!(tokens[i - 1], "total" | "the" | "a" | "overall")
    });
    // "per 1,000", "per cent", "per head": a rate; "victims per ward" still counts.
    let per_unit = tokens.windows(2).any(|w| {
        w[0] == "per"
            && (w[1].starts_with(|c: char| c.is_ascii_digit())
                || matches!(
                    w[1],
                    "cent" | "capita" | "head" | "thousand" | "hundred" | "million"
                ))
    });
    let bare_number = norm == " number ";
    let not_count = raw.contains(['£', '$', '€', '%'])
        || any(TIME)
        || any(MONEY)
        || any(RATE)
        || per_unit
        || any(IDENT)
        || any(LEAGUE)
        || numbered
        || ROW.contains(&norm.as_str())
        || kind.is_some_and(|k| !matches!(k, Kind::Role | Kind::Special));
    HeadingInfo {
        kind,
        role,
        not_count,
        bare_number,
        count_heading,
        pii: kind.and_then(|k| Pii::of_heading(k, &norm)),
    }
}

// ---------------------------------------------------------------------------------------
// Streaming state

/// The row being received; complete when a cell of a later row arrives.
#[derive(Default)]
struct Row {
    index: u32,
    /// Texts of the row's cells, back to back (one allocation reused for every row).
    text: String,
    cells: Vec<RowCell>,
    /// Text or year cells: what a header row is made of.
    heading_like: u32,
    /// Numbers other than years.
    numeric: u32,
    /// Cells matching the lexicon.
    lexicon: u32,
    /// Cells with hits from other detectors.
    hits: u32,
    /// Dates, emails, phone numbers, postcodes: values, never headings.
    data_like: u32,
}

struct RowCell {
    col: u32,
    start: usize,
    end: usize,
    hidden: bool,
    shape: Shape,
    /// `pii.*` rules the identifier detector already reported in this cell
    /// ([`rule_bit`]), so the column does not report the same value twice.
    reported: u32,
}

impl Row {
    fn reset(&mut self, index: u32) {
        self.index = index;
        self.text.clear();
        self.cells.clear();
        self.heading_like = 0;
        self.numeric = 0;
        self.lexicon = 0;
        self.hits = 0;
        self.data_like = 0;
    }

    fn text(&self, c: &RowCell) -> &str {
        &self.text[c.start..c.end]
    }

    fn text_at(&self, col: u32) -> Option<&str> {
        let i = self.cells.binary_search_by_key(&col, |c| c.col).ok()?;
        Some(self.text(&self.cells[i]))
    }

    /// Counts the cells whose text is a lexicon heading, once the row is complete and only
    /// when it could be a header: most rows hold a number or a value and skip this.
    fn count_lexicon(&mut self, tmp: &mut String, norm: &mut String) {
        self.lexicon = 0;
        if !self.header_like() {
            return;
        }
        for c in &self.cells {
            let text = &self.text[c.start..c.end];
            // A leading digit marks a value ("1 High Street"), not a heading.
            if c.shape.has(flag::TEXT)
                && text.len() <= HEADING_MAX
                && !text.starts_with(|ch: char| ch.is_ascii_digit())
            {
                normalise(text, tmp, norm);
                let (kind, role) = classify(norm);
                if kind.is_some() || role {
                    self.lexicon += 1;
                }
            }
        }
    }

    /// No numbers or data shapes so far, nothing another detector flagged.
    fn may_be_header(&self) -> bool {
        self.numeric == 0 && self.hits == 0 && self.data_like == 0
    }

    /// At least two heading-like cells and nothing that marks a row of values.
    fn header_like(&self) -> bool {
        self.heading_like >= 2 && self.may_be_header()
    }

    /// A "Total" row: its first label (after any year) starts with "total" or means all.
    fn is_total(&self) -> bool {
        for c in &self.cells {
            if c.shape.has(flag::YEAR) {
                continue;
            }
            if !c.shape.has(flag::TEXT) {
                return false;
            }
            let t = self.text(c).as_bytes();
            return t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case(b"total"))
                || [&b"grand total"[..], b"all", b"overall", b"sum"]
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(t));
        }
        false
    }
}

#[derive(Default)]
struct Sheet {
    table: Option<Table>,
    row: Row,
    has_row: bool,
    findings: Vec<TableFinding>,
}

impl Sheet {
    /// Would the pending row start a (new) table? O(1), so `heading` can ask per cell.
    fn starts_table(&self) -> bool {
        let r = &self.row;
        if !r.header_like() {
            return false;
        }
        match &self.table {
            None => true,
            Some(t) => {
                // A title row was taken for the header: the real one follows at once and
                // matches the lexicon or is wider.
                (t.data_rows == 0
                    && t.header_lexicon == 0
                    && (r.lexicon >= 1 || r.cells.len() > t.header_cells))
                    // A second table further down: clearly a header.
                    || (r.lexicon >= 2 && r.lexicon as usize * 2 >= r.cells.len())
            }
        }
    }

    fn complete_row(
        &mut self,
        sheet: u32,
        threshold: u32,
        tmp: &mut String,
        norm: &mut String,
        allow: Option<&Allowlist>,
    ) {
        if !self.has_row {
            return;
        }
        self.has_row = false;
        self.row.count_lexicon(tmp, norm);
        if let Some(t) = &self.table
            && t.repeats_header(&self.row)
        {
            return; // the header repeated on every printed page
        }
        if self.starts_table() {
            if let Some(t) = self.table.take() {
                t.finish(sheet, threshold, &mut self.findings);
            }
            self.table = Some(Table::new(&self.row));
        } else if let Some(t) = &mut self.table {
            t.add_row(&self.row, threshold, allow);
        }
    }
}

/// Estimate of distinct values: the smallest hashes seen (k-minimum values). Exact while
/// fewer than [`DISTINCT_SAMPLE`] values are distinct.
#[derive(Default)]
struct Distinct {
    /// Sorted, at most [`DISTINCT_SAMPLE`] long.
    hashes: Vec<u64>,
}

impl Distinct {
    fn insert(&mut self, h: u64) {
        let full = self.hashes.len() >= DISTINCT_SAMPLE;
        if full && self.hashes.last().is_some_and(|&max| h >= max) {
            return; // the common case once the sample is full
        }
        if let Err(i) = self.hashes.binary_search(&h) {
            self.hashes.insert(i, h);
            if full {
                self.hashes.pop();
            }
        }
    }

    fn estimate(&self) -> f64 {
        match self.hashes.last() {
            Some(&max) if self.hashes.len() >= DISTINCT_SAMPLE => {
                (DISTINCT_SAMPLE - 1) as f64 * (u64::MAX as f64 / max.max(1) as f64)
            }
            _ => self.hashes.len() as f64,
        }
    }
}

/// Per-column counters; nothing here grows with the rows except the capped sample.
#[derive(Default)]
struct Stats {
    nonempty: u64,
    hidden: u64,
    suppressed: u64,
    text: u64,
    int: u64,
    year: u64,
    negative: u64,
    large: u64,
    role_words: u64,
    /// Values that fit the heading's kind.
    fit: u64,
    /// Consecutive integer pairs, and how many of them step by one (row numbers, ranks).
    int_pairs: u64,
    steps: u64,
    prev_int: Option<i64>,
    first_int: Option<i64>,
    small: u64,
    small_hidden: u64,
    small_extent: Extent,
    small_digest: ContentDigest,
    extent: Extent,
    digest: ContentDigest,
    distinct: Distinct,
    example: Option<String>,
    /// Values reported under the column's `pii.*` rule.
    pii: PiiStats,
}

/// The values of one column that its `pii.*` finding reports.
#[derive(Default)]
struct PiiStats {
    count: u64,
    hidden: u64,
    extent: Extent,
    digest: ContentDigest,
    /// The first one, in clear and masked as the identifier detector masks it.
    example: Option<(String, String)>,
}

struct Column {
    col: u32,
    heading: Option<String>,
    info: HeadingInfo,
    stats: Stats,
}

impl Column {
    fn new(col: u32, heading: Option<&str>) -> Self {
        Column {
            col,
            info: heading.map(heading_info).unwrap_or_default(),
            heading: heading.map(str::to_string),
            stats: Stats::default(),
        }
    }

    fn add(
        &mut self,
        row: u32,
        text: &str,
        cell: &RowCell,
        total_row: bool,
        threshold: u32,
        allow: Option<&Allowlist>,
    ) {
        if let Some(pii) = self.info.pii
            && cell.reported & rule_bit(pii.rule()) == 0
            && let Some(kind) = self.info.kind
            && kind.fits(&cell.shape)
            && let Some(masked) = pii.value(
                text,
                &cell.shape,
                self.heading.as_deref().unwrap_or_default(),
                allow,
            )
        {
            let p = &mut self.stats.pii;
            p.count += 1;
            p.hidden += cell.hidden as u64;
            p.extent.add(row, self.col);
            p.digest.update_cell(row, self.col, text);
            if p.example.is_none() {
                p.example = Some((text.chars().take(EXAMPLE_MAX).collect(), masked));
            }
        }
        let s = &mut self.stats;
        let shape = &cell.shape;
        s.nonempty += 1;
        s.hidden += cell.hidden as u64;
        s.extent.add(row, self.col);
        s.digest.update_cell(row, self.col, text);
        s.distinct.insert(hash64(text));
        if shape.has(flag::SUPPRESSED) {
            s.suppressed += 1;
            s.prev_int = None;
            return;
        }
        s.text += shape.has(flag::TEXT) as u64;
        s.year += shape.has(flag::YEAR) as u64;
        s.role_words += shape.has(flag::ROLE_WORD) as u64;
        if let Some(v) = shape.int {
            s.int += 1;
            s.negative += (v < 0) as u64;
            s.large += (v >= 1000) as u64;
            match s.prev_int {
                Some(p) => {
                    s.int_pairs += 1;
                    s.steps += (v == p + 1) as u64;
                }
                None if s.first_int.is_none() => s.first_int = Some(v),
                None => {}
            }
            s.prev_int = Some(v);
            if !total_row && v >= 1 && v < threshold as i64 {
                s.small += 1;
                s.small_hidden += cell.hidden as u64;
                s.small_extent.add(row, self.col);
                s.small_digest.update_cell(row, self.col, text);
            }
        } else {
            s.prev_int = None;
        }
        if let Some(kind) = self.info.kind
            && kind.fits(shape)
        {
            s.fit += 1;
            if s.example.is_none() {
                s.example = Some(text.chars().take(EXAMPLE_MAX).collect());
            }
        }
    }

    /// Rows with a value (suppression markers are not values).
    fn valued(&self) -> u64 {
        self.stats.nonempty - self.stats.suppressed
    }

    /// At least `num/den` of the values fit the heading's kind.
    fn fit_at_least(&self, num: u64, den: u64) -> bool {
        let v = self.valued();
        v > 0 && self.stats.fit * den >= v * num
    }

    fn distinct_at_least(&self, ratio: f64) -> bool {
        let v = self.valued() as f64;
        self.stats.distinct.estimate().min(v) >= ratio * v
    }

    /// Personal values under a heading that identifies on its own.
    fn identifying(&self) -> bool {
        match self.info.kind {
            Some(Kind::Name) => self.fit_at_least(4, 5),
            // "Victim | Yes/No" is not a list of people.
            Some(Kind::Role) => {
                self.fit_at_least(4, 5)
                    && self.stats.distinct.estimate() >= self.valued().min(3) as f64
            }
            Some(Kind::Dob) => self.fit_at_least(4, 5),
            Some(Kind::Address | Kind::Postcode | Kind::Phone | Kind::Email) => {
                self.fit_at_least(3, 5)
            }
            Some(Kind::StaffId | Kind::Justice | Kind::National) => {
                self.fit_at_least(4, 5) && self.distinct_at_least(0.7)
            }
            _ => false,
        }
    }

    /// Personal values under a heading that only matters beside identifying columns.
    fn personal_beside_identifiers(&self) -> bool {
        match self.info.kind {
            Some(Kind::Age) => self.fit_at_least(4, 5),
            Some(Kind::Location) => self.fit_at_least(4, 5) && self.distinct_at_least(0.5),
            Some(Kind::StaffAttr | Kind::Special) => self.valued() > 0,
            _ => false,
        }
    }

    /// A column of counts: integers, never negative, not years, money, rates, identifiers,
    /// row numbers or league positions.
    fn is_count(&self, first: bool) -> bool {
        let s = &self.stats;
        let v = self.valued();
        if v == 0 || self.info.not_count || (first && self.info.bare_number) {
            return false;
        }
        let mostly_int = s.int * 5 >= v * 4;
        let years = s.year * 5 >= s.int * 4;
        let sequence = s.int_pairs >= 2
            && s.steps * 10 >= s.int_pairs * 9
            && matches!(s.first_int, Some(0 | 1));
        let identifiers = !self.info.count_heading
            && s.int >= 5
            && s.large * 2 > s.int
            && self.distinct_at_least(0.9);
        mostly_int && s.negative == 0 && !years && !sequence && !identifiers
    }

    fn hidden(&self) -> bool {
        self.stats.hidden * 2 > self.stats.nonempty
    }

    /// The column's `pii.*` finding: the values of its kind that the identifier detector
    /// did not already report under the same rule. None when there are none.
    fn pii_finding(&self, pii: Pii, sheet: u32, heading: &str) -> Option<TableFinding> {
        let p = &self.stats.pii;
        if p.count == 0 {
            return None;
        }
        let (one, many) = pii.noun();
        let mut f = TableFinding {
            rule: pii.rule(),
            severity: pii.severity(),
            hidden: p.hidden * 2 > p.count,
            sheet,
            range: p.extent.range().unwrap_or_default(),
            column: Some(heading.to_string()),
            message: format!("column '{heading}' lists {}", plural(p.count, one, many)),
            evidence: p.example.as_ref().map(|e| e.0.clone()),
            masked: p.example.as_ref().map(|e| e.1.clone()),
            key: p.digest.hex(),
            strong: pii.strong(),
        };
        // A name column whose every fitting value is reported here keeps the range,
        // fingerprint and example it had before other kinds were reported by column, so
        // baselines written then still match.
        if pii == Pii::PersonName && p.count == self.stats.fit {
            f.hidden = self.hidden();
            f.range = self.stats.extent.range().unwrap_or_default();
            f.key = self.stats.digest.hex();
            f.evidence = self.stats.example.clone();
            f.masked = self.stats.example.as_deref().map(mask);
        }
        Some(f)
    }

    fn heading_display(&self) -> String {
        display(self.heading.as_deref().unwrap_or_default())
    }
}

/// One table: a header row and the data rows under it.
struct Table {
    header_lexicon: u32,
    header_cells: usize,
    /// Sorted by column index.
    columns: Vec<Column>,
    data_rows: u64,
    extent: Extent,
    cells: u64,
    hidden_cells: u64,
}

impl Table {
    fn new(header: &Row) -> Self {
        let mut extent = Extent::default();
        let mut columns = Vec::new();
        for c in &header.cells {
            extent.add(header.index, c.col);
            if columns.len() < MAX_COLUMNS {
                columns.push(Column::new(c.col, Some(header.text(c))));
            }
        }
        Table {
            header_lexicon: header.lexicon,
            header_cells: header.cells.len(),
            columns,
            data_rows: 0,
            extent,
            cells: 0,
            hidden_cells: 0,
        }
    }

    fn heading(&self, col: u32) -> Option<&str> {
        let i = self.columns.binary_search_by_key(&col, |c| c.col).ok()?;
        self.columns[i].heading.as_deref()
    }

    fn repeats_header(&self, row: &Row) -> bool {
        row.header_like()
            && row.cells.len() == self.header_cells
            && row.cells.iter().all(|c| {
                self.heading(c.col)
                    .is_some_and(|h| h.eq_ignore_ascii_case(row.text(c)))
            })
    }

    fn add_row(&mut self, row: &Row, threshold: u32, allow: Option<&Allowlist>) {
        let total = row.is_total();
        self.data_rows += !total as u64;
        for c in &row.cells {
            self.extent.add(row.index, c.col);
            self.cells += 1;
            self.hidden_cells += c.hidden as u64;
            let i = match self.columns.binary_search_by_key(&c.col, |x| x.col) {
                Ok(i) => i,
                Err(i) if self.columns.len() < MAX_COLUMNS => {
                    self.columns.insert(i, Column::new(c.col, None));
                    i
                }
                Err(_) => continue,
            };
            self.columns[i].add(row.index, row.text(c), c, total, threshold, allow);
        }
    }

    fn finish(self, sheet: u32, threshold: u32, out: &mut Vec<TableFinding>) {
        let individual = self.columns.iter().any(Column::identifying);
        // Roles ("Victim" heading, or "Role = Victim/Witness" values) raise every
        // personal column of a table of individuals to critical: the Norfolk & Suffolk leak.
        let role_context = self
            .columns
            .iter()
            // A role heading counts when it lists people ("Victim | SMITH, John"); a column of
            // role words counts on its own ("Role | Victim"). "Subject | Maths" does not.
            .any(|c| {
                c.valued() > 0
                    && ((c.info.role && c.identifying()) || c.stats.role_words * 2 > c.valued())
            });
        let data_cells_hidden = self.hidden_cells * 2 > self.cells;
        // An account number is a bank account's only beside a sort code (SPEC).
        let has_sort_codes = self
            .columns
            .iter()
            .any(|c| c.info.pii == Some(Pii::SortCode) && c.stats.pii.count > 0);

        if individual && self.data_rows >= MIN_RECORD_ROWS {
            let headings: Vec<String> = self
                .columns
                .iter()
                .filter(|c| c.heading.is_some())
                .map(Column::heading_display)
                .collect();
            let headings: Vec<&str> = headings.iter().map(String::as_str).collect();
            let mut key = ContentDigest::default();
            for c in &self.columns {
                key.update(c.heading.as_deref().unwrap_or_default().as_bytes());
                key.merge(c.stats.digest);
            }
            out.push(TableFinding {
                rule: "row-level-data",
                severity: if data_cells_hidden {
                    Severity::High
                } else {
                    Severity::Medium
                },
                hidden: data_cells_hidden,
                sheet,
                range: self.extent.range().unwrap_or_default(),
                column: None,
                message: format!(
                    "table holds {} of individual records (columns: {})",
                    plural(self.data_rows, "row", "rows"),
                    shorten(&headings, 8)
                ),
                evidence: None,
                masked: None,
                key: key.hex(),
                strong: false,
            });
        }

        for c in &self.columns {
            let Some(kind) = c.info.kind else { continue };
            if !(c.identifying() || (individual && c.personal_beside_identifiers())) {
                continue;
            }
            let heading = c.heading_display();
            let range = c.stats.extent.range().unwrap_or_default();
            let valued = c.valued();
            let (one, many) = kind.noun();
            let critical = individual && (kind == Kind::Special || role_context);
            out.push(TableFinding {
                rule: "personal-data-column",
                severity: if critical {
                    Severity::Critical
                } else {
                    Severity::High
                },
                hidden: c.hidden(),
                sheet,
                range: range.clone(),
                column: Some(heading.clone()),
                message: format!(
                    "column '{heading}' holds {} {}",
                    thousands(valued),
                    if valued == 1 { one } else { many }
                ),
                evidence: c.stats.example.clone(),
                masked: c.stats.example.as_deref().map(mask),
                key: c.stats.digest.hex(),
                strong: false,
            });
            if let Some(pii) = c.info.pii
                && (pii != Pii::Account || has_sort_codes)
                && let Some(f) = c.pii_finding(pii, sheet, &heading)
            {
                out.push(f);
            }
        }

        if individual {
            return;
        }
        let first = self.columns.first().map(|c| c.col);
        let counts: Vec<&Column> = self
            .columns
            .iter()
            .filter(|c| c.is_count(Some(c.col) == first))
            .collect();
        let labelled = self
            .columns
            .iter()
            .any(|c| c.valued() > 0 && !c.is_count(Some(c.col) == first));
        let small: u64 = counts.iter().map(|c| c.stats.small).sum();
        if !labelled || small == 0 {
            return;
        }
        let mut extent = Extent::default();
        let mut key = ContentDigest::default();
        let mut hidden = 0;
        for c in &counts {
            if let Some(min) = c.stats.small_extent.min {
                extent.add(min.0, min.1);
                extent.add(c.stats.small_extent.max.0, c.stats.small_extent.max.1);
            }
            key.merge(c.stats.small_digest);
            hidden += c.stats.small_hidden;
        }
        out.push(TableFinding {
            rule: "small-count",
            severity: Severity::Medium,
            hidden: hidden * 2 > small,
            sheet,
            range: extent.range().unwrap_or_default(),
            column: None,
            message: format!(
                "{} fewer than {threshold} people (threshold {threshold})",
                plural(small, "cell counts", "cells count")
            ),
            evidence: None,
            masked: None,
            key: key.hex(),
            strong: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    /// Feeds a grid as the engine does: it asks for the heading, then hands over the cell.
    fn feed(t: &mut Tables, sheet: u32, first_row: u32, rows: &[Vec<String>], hidden: bool) {
        for (r, cells) in rows.iter().enumerate() {
            for (c, text) in cells.iter().enumerate() {
                let _ = t.heading(sheet, c as u32);
                t.cell(sheet, first_row + r as u32, c as u32, text, hidden, &[]);
            }
        }
    }

    fn scan_with(config: TableConfig, rows: &[Vec<String>], hidden: bool) -> Vec<TableFinding> {
        let mut t = Tables::new(config);
        feed(&mut t, 0, 0, rows, hidden);
        t.finish()
    }

    fn scan(rows: &[Vec<String>]) -> Vec<TableFinding> {
        scan_with(TableConfig::default(), rows, false)
    }

    fn rules(f: &[TableFinding]) -> Vec<(&'static str, Option<&str>)> {
        f.iter().map(|x| (x.rule, x.column.as_deref())).collect()
    }

    fn one<'a>(f: &'a [TableFinding], rule: &str, column: Option<&str>) -> &'a TableFinding {
        let m: Vec<_> = f
            .iter()
            .filter(|x| x.rule == rule && x.column.as_deref() == column)
            .collect();
        assert_eq!(m.len(), 1, "{rule} {column:?} in {f:#?}");
        m[0]
    }

    fn hit(rule: &'static str, text: &str) -> Hit {
        Hit {
            rule,
            start: 0,
            end: text.len(),
            severity: Severity::Medium,
            strong: false,
            label: rule.to_string(),
            masked: mask(text),
        }
    }

    /// Distinct, purely alphabetic surnames: "Smith", "Jones", "Wilson"...
    fn surname(i: usize) -> String {
        const A: [&str; 16] = [
            "Smi", "Jon", "Wil", "Tay", "Bro", "Dav", "Eva", "Tho", "Rob", "Wal", "Whi", "Hug",
            "Edw", "Gre", "Hal", "Woo",
        ];
        const B: [&str; 16] = [
            "th", "es", "son", "ley", "ton", "ham", "wick", "ford", "man", "well", "by", "more",
            "field", "ridge", "worth", "gate",
        ];
        const C: [&str; 8] = ["", "er", "in", "an", "el", "on", "ey", "ard"];
        format!("{}{}{}", A[i % 16], B[(i / 16) % 16], C[(i / 256) % 8])
    }

    const FORENAMES: [&str; 12] = [
        "John", "Mary", "David", "Sarah", "Michael", "Emma", "James", "Laura", "Peter", "Helen",
        "Andrew", "Claire",
    ];

    fn roster_row(i: usize) -> Vec<String> {
        const RANKS: [&str; 4] = ["Constable", "Sergeant", "Inspector", "Chief Inspector"];
        const DEPTS: [&str; 4] = ["Response", "Crime Operations", "Custody", "Roads Policing"];
        vec![
            surname(i),
            FORENAMES[i % 12].to_string(),
            RANKS[i % 4].to_string(),
            (10_000 + i * 3).to_string(),
            DEPTS[i % 4].to_string(),
        ]
    }

    const ROSTER_HEADER: [&str; 5] = ["Surname", "Forename", "Rank", "Service No", "Department"];

    /// The PSNI sheet: surname, forename, rank, service number and department per officer.
    fn roster(n: usize) -> Vec<Vec<String>> {
        let mut rows = grid(&[&ROSTER_HEADER]);
        rows.extend((0..n).map(roster_row));
        rows
    }

    /// The Norfolk & Suffolk rows: victims, witnesses and suspects with their details.
    fn victims(n: usize) -> Vec<Vec<String>> {
        let mut rows = grid(&[&["Name", "DOB", "Address", "Offence", "Role"]]);
        for i in 0..n {
            rows.push(vec![
                format!("{} {}", FORENAMES[i % 12], surname(i)),
                format!("{:02}/{:02}/{}", 1 + i % 28, 1 + i % 12, 1950 + i),
                format!("{} High Street, Norwich", i + 1),
                ["Burglary", "Assault", "Criminal damage"][i % 3].to_string(),
                ["Victim", "Witness", "Suspect"][i % 3].to_string(),
            ]);
        }
        rows
    }

    /// Recorded crime by ward under a title row, with a year column and a total row.
    fn crime_by_ward() -> Vec<Vec<String>> {
        grid(&[
            &["Table 1: Recorded crime by ward, 2019 to 2023"],
            &[
                "Ward",
                "Year",
                "Burglary",
                "Robbery",
                "Vehicle crime",
                "Total",
            ],
            &["Abbey", "2019", "12", "0", "3", "15"],
            &["Abbey", "2020", "4", "1", "0", "5"],
            &["Castle", "2019", "40", "0", "7", "47"],
            &["Castle", "2020", "0", "0", "9", "9"],
            &["Riverside", "2021", "6", "3", "1", "10"],
            &["Riverside", "2022", "25", "0", "0", "25"],
            &["Town Centre", "2023", "5", "0", "2", "7"],
            &["Total", "", "92", "4", "22", "118"],
        ])
    }

    // --- personal-data-column, pii.person-name, row-level-data --------------------------

    #[test]
    fn psni_roster_in_hidden_sheet() {
        let f = scan_with(TableConfig::default(), &roster(250), true);
        assert_eq!(f.len(), 8, "{f:#?}");
        let rl = one(&f, "row-level-data", None);
        assert_eq!(rl.severity, Severity::High);
        assert!(rl.hidden);
        assert_eq!(rl.range, "A1:E251");
        assert_eq!(
            rl.message,
            "table holds 250 rows of individual records \
             (columns: Surname, Forename, Rank, Service No, Department)"
        );
        for (col, range, message) in [
            (
                "Surname",
                "A2:A251",
                "column 'Surname' holds 250 person names",
            ),
            (
                "Forename",
                "B2:B251",
                "column 'Forename' holds 250 person names",
            ),
            (
                "Rank",
                "C2:C251",
                "column 'Rank' holds 250 individuals' staff details",
            ),
            (
                "Service No",
                "D2:D251",
                "column 'Service No' holds 250 staff identifiers",
            ),
        ] {
            let p = one(&f, "personal-data-column", Some(col));
            assert_eq!((p.range.as_str(), p.message.as_str()), (range, message));
            assert_eq!(p.severity, Severity::High);
            assert!(p.hidden);
        }
        let n = one(&f, "pii.person-name", Some("Surname"));
        assert_eq!(n.message, "column 'Surname' lists 250 person names");
        assert_eq!(n.severity, Severity::Medium);
        assert_eq!(n.evidence.as_deref(), Some("Smith"));
        assert_eq!(n.masked.as_deref(), Some("S****"));
        one(&f, "pii.person-name", Some("Forename"));
        // Service numbers are officers' own: reported as such, masked whole.
        let o = one(&f, "pii.police-officer", Some("Service No"));
        assert_eq!(
            o.message,
            "column 'Service No' lists 250 police officers' collar, warrant or service numbers"
        );
        assert_eq!((o.range.as_str(), o.severity), ("D2:D251", Severity::High));
        assert!(o.hidden);
        assert_eq!(o.masked.as_deref(), Some("*****"));
        assert!(f.iter().all(|x| x.column.as_deref() != Some("Department")));
    }

    #[test]
    fn psni_roster_visible_is_medium_row_level() {
        let f = scan(&roster(250));
        let rl = one(&f, "row-level-data", None);
        assert_eq!(rl.severity, Severity::Medium);
        assert!(!rl.hidden);
        assert!(f.iter().all(|x| !x.hidden));
    }

    #[test]
    fn victims_table_with_roles_is_critical() {
        let f = scan(&victims(30));
        assert_eq!(
            rules(&f),
            [
                ("row-level-data", None),
                ("personal-data-column", Some("Name")),
                ("pii.person-name", Some("Name")),
                ("personal-data-column", Some("DOB")),
                ("pii.date-of-birth", Some("DOB")),
                ("personal-data-column", Some("Address")),
            ]
        );
        let rl = one(&f, "row-level-data", None);
        assert_eq!(rl.severity, Severity::Medium);
        assert_eq!(rl.range, "A1:E31");
        assert_eq!(
            rl.message,
            "table holds 30 rows of individual records (columns: Name, DOB, Address, Offence, Role)"
        );
        for (col, message) in [
            ("Name", "column 'Name' holds 30 person names"),
            ("DOB", "column 'DOB' holds 30 dates of birth"),
            ("Address", "column 'Address' holds 30 addresses"),
        ] {
            let p = one(&f, "personal-data-column", Some(col));
            assert_eq!(p.message, message);
            assert_eq!(p.severity, Severity::Critical, "{col}");
        }
        let name = one(&f, "personal-data-column", Some("Name"));
        assert_eq!(name.range, "A2:A31");
        assert_eq!(name.evidence.as_deref(), Some("John Smith"));
        assert_eq!(name.masked.as_deref(), Some("J*** S****"));
    }

    #[test]
    fn role_headings_holding_names_fire() {
        let mut rows = grid(&[&["Crime ref", "Victim", "Suspect", "Offence"]]);
        for i in 0..12 {
            rows.push(vec![
                format!("NR/{:05}/21", 100 + i),
                format!("{} {}", FORENAMES[i % 12], surname(i)),
                format!(
                    "{}, {}",
                    surname(i + 500).to_uppercase(),
                    FORENAMES[(i + 5) % 12]
                ),
                "Robbery".to_string(),
            ]);
        }
        let f = scan(&rows);
        assert_eq!(f.len(), 6, "{f:#?}");
        assert_eq!(
            one(&f, "row-level-data", None).message,
            "table holds 12 rows of individual records (columns: Crime ref, Victim, Suspect, \
                Offence)"
        );
        let r = one(&f, "personal-data-column", Some("Crime ref"));
        assert_eq!(
            r.message,
            "column 'Crime ref' holds 12 justice-system identifiers"
        );
        assert_eq!(r.severity, Severity::Critical);
        for col in ["Victim", "Suspect"] {
            let p = one(&f, "personal-data-column", Some(col));
            assert_eq!(p.message, format!("column '{col}' holds 12 person names"));
            assert_eq!(p.severity, Severity::Critical);
            one(&f, "pii.person-name", Some(col));
        }
    }

    #[test]
    fn role_headings_without_names_do_not_fire() {
        // Counts under role headings: statistics, with one small-count finding.
        let f = scan(&grid(&[
            &["Ward", "Victims", "Suspects"],
            &["Abbey", "12", "3"],
            &["Castle", "7", "9"],
            &["Riverside", "0", "2"],
        ]));
        assert_eq!(rules(&f), [("small-count", None)]);
        assert_eq!(f[0].range, "C2:C4");
        assert_eq!(
            f[0].message,
            "2 cells count fewer than 5 people (threshold 5)"
        );
        // Yes/No flags under a role heading are not people.
        let mut rows = grid(&[&["Victim", "Offence"]]);
        for i in 0..12 {
            rows.push(grid(&[&[["Yes", "No"][i % 2], "Theft"]]).remove(0));
        }
        assert_eq!(scan(&rows), []);
    }

    #[test]
    fn clean_rank_headcount_fte_table_has_no_finding() {
        let f = scan(&grid(&[
            &["Rank", "Headcount", "FTE"],
            &["Constable", "4520", "4391.5"],
            &["Sergeant", "980", "960.2"],
            &["Inspector", "260", "255"],
            &["Chief Inspector", "85", "84"],
            &["Superintendent", "40", "40"],
            &["Chief Superintendent", "12", "12"],
        ]));
        assert_eq!(f, []);
    }

    #[test]
    fn ethnicity_statistics_are_not_personal() {
        let f = scan(&grid(&[
            &["Ethnicity", "Number of stop and search", "Arrests"],
            &["White", "1200", "300"],
            &["Black", "340", "80"],
            &["Asian", "150", "41"],
            &["Mixed", "45", "12"],
            &["Other", "30", "3"],
            &["Not stated", "12", "6"],
        ]));
        assert_eq!(rules(&f), [("small-count", None)]);
        assert_eq!(f[0].range, "C6");
        assert_eq!(
            f[0].message,
            "1 cell counts fewer than 5 people (threshold 5)"
        );
    }

    #[test]
    fn special_category_in_individual_records_is_critical() {
        let mut rows = grid(&[&["Surname", "Ethnicity", "Mental health"]]);
        for i in 0..10 {
            rows.push(vec![
                surname(i),
                "White British".into(),
                ["Yes", "No"][i % 2].into(),
            ]);
        }
        let f = scan(&rows);
        let e = one(&f, "personal-data-column", Some("Ethnicity"));
        assert_eq!(
            e.message,
            "column 'Ethnicity' holds 10 special-category values"
        );
        assert_eq!(e.severity, Severity::Critical);
        assert_eq!(
            one(&f, "personal-data-column", Some("Mental health")).severity,
            Severity::Critical
        );
        // No role beside them: the name column itself stays high.
        assert_eq!(
            one(&f, "personal-data-column", Some("Surname")).severity,
            Severity::High
        );
        one(&f, "row-level-data", None);
    }

    #[test]
    fn dob_dates_fire_but_date_reported_does_not() {
        let f = scan(&grid(&[
            &["Name", "DOB"],
            &["John Smith", "12/03/1980"],
            &["Mary Jones", "1975-11-02"],
            &["Peter Hughes", "3 May 1991"],
            &["Sarah Evans", "28-Feb-64"],
            &["David Walton", "01/01/2001"],
        ]));
        let d = one(&f, "personal-data-column", Some("DOB"));
        assert_eq!(d.message, "column 'DOB' holds 5 dates of birth");
        assert_eq!(d.range, "B2:B6");
        assert_eq!(d.severity, Severity::High);
        // Nothing else reported these dates (no identifier hits are fed here), so the
        // column reports them as dates of birth, masked like the identifier detector does.
        let b = one(&f, "pii.date-of-birth", Some("DOB"));
        assert_eq!(b.message, "column 'DOB' lists 5 dates of birth");
        assert_eq!(b.range, "B2:B6");
        assert_eq!(b.severity, Severity::High);
        assert_eq!(b.masked.as_deref(), Some("**/**/****"));
        assert_eq!(f.len(), 4, "Name, its names, DOB, its dates: {f:#?}");

        let mut rows = grid(&[&["Offence", "Date reported", "Outcome"]]);
        for i in 0..12 {
            rows.push(vec![
                ["Burglary", "Theft"][i % 2].into(),
                format!("{:02}/06/2023", i + 1),
                ["Charged", "No further action"][i % 2].into(),
            ]);
        }
        assert_eq!(scan(&rows), []);
    }

    #[test]
    fn age_is_personal_only_beside_identifiers() {
        let mut rows = grid(&[&["Name", "Age"]]);
        for i in 0..12 {
            rows.push(vec![
                format!("{} {}", FORENAMES[i % 12], surname(i)),
                (20 + i).to_string(),
            ]);
        }
        let f = scan(&rows);
        assert_eq!(
            one(&f, "personal-data-column", Some("Age")).message,
            "column 'Age' holds 12 ages of individuals"
        );
        let counts = ["12", "3", "8", "0", "1", "15", "22", "9", "4", "7"];
        let mut rows = grid(&[&["Age", "Number of victims"]]);
        for (i, c) in counts.iter().enumerate() {
            rows.push(vec![(16 + i).to_string(), c.to_string()]);
        }
        let f = scan(&rows);
        assert_eq!(rules(&f), [("small-count", None)]);
        assert_eq!(f[0].range, "B3:B10");
        assert_eq!(
            f[0].message,
            "3 cells count fewer than 5 people (threshold 5)"
        );
    }

    #[test]
    fn name_columns_need_name_values() {
        // Codes under "Name", place names under "Ward name": neither is a person.
        let f = scan(&grid(&[
            &["Name", "Value"],
            &["X123", "Q1-77"],
            &["AB-77", "Q2-80"],
            &["Z9", "Q3-12"],
        ]));
        assert_eq!(f, []);
        let f = scan(&grid(&[
            &["Ward name", "Offences"],
            &["Abbey", "12"],
            &["Castle", "30"],
            &["St Mary's", "8"],
        ]));
        assert_eq!(f, []);
        // Organisations are not people.
        let f = scan(&grid(&[
            &["Name", "Amount"],
            &["Acme Ltd", "£1,200"],
            &["Norfolk County Council", "£560"],
            &["Fenland Housing Trust", "£980"],
        ]));
        assert_eq!(f, []);
        // Category values under a name heading are not names either.
        let f = scan(&grid(&[
            &["Full name", "Notes"],
            &["Not recorded", "x"],
            &["Unknown", "y"],
        ]));
        assert_eq!(f, []);
    }

    #[test]
    fn detector_hits_make_values_fit() {
        let rows = [
            ("PC 1234 Smith", "NR1 2AB"),
            ("DS Patel", "IP4 5CD"),
            ("PCSO 7012 Jones", "NR14 6EF"),
        ];
        let mut t = Tables::new(TableConfig::default());
        for (c, h) in ["Reporting officer", "Postcode"].iter().enumerate() {
            t.cell(0, 0, c as u32, h, false, &[]);
        }
        for (r, (officer, postcode)) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            t.cell(
                0,
                r,
                0,
                officer,
                false,
                &[hit("pii.police-officer", officer)],
            );
            t.cell(0, r, 1, postcode, false, &[hit("pii.postcode", postcode)]);
        }
        let f = t.finish();
        assert_eq!(
            one(&f, "personal-data-column", Some("Reporting officer")).message,
            "column 'Reporting officer' holds 3 person names"
        );
        one(&f, "pii.person-name", Some("Reporting officer"));
        assert_eq!(
            one(&f, "personal-data-column", Some("Postcode")).message,
            "column 'Postcode' holds 3 postcodes"
        );
        // Postcode districts are statistics geography, not addresses.
        let f = scan(&grid(&[
            &["Postcode", "Incidents"],
            &["NR1", "12"],
            &["NR2", "30"],
            &["IP4", "8"],
        ]));
        assert_eq!(f, []);
    }

    #[test]
    fn few_records_are_not_row_level() {
        let mut rows = grid(&[&["Surname", "Forename"]]);
        rows.extend((0..9).map(|i| vec![surname(i), FORENAMES[i % 12].to_string()]));
        let f = scan(&rows);
        assert_eq!(
            rules(&f),
            [
                ("personal-data-column", Some("Surname")),
                ("pii.person-name", Some("Surname")),
                ("personal-data-column", Some("Forename")),
                ("pii.person-name", Some("Forename")),
            ]
        );
        // Ten rows make it row-level.
        rows.push(vec![surname(9), FORENAMES[9].to_string()]);
        assert_eq!(
            one(&scan(&rows), "row-level-data", None).message,
            "table holds 10 rows of individual records (columns: Surname, Forename)"
        );
    }

    #[test]
    fn headings_are_normalised() {
        for (raw, kind) in [
            ("Collar No.", Some(Kind::StaffId)),
            ("SURNAME_1", Some(Kind::Name)),
            ("Date of Birth (DOB)", Some(Kind::Dob)),
            ("Officer Surname", Some(Kind::Name)),
            ("FirstName", Some(Kind::Name)),
            ("D.O.B.", Some(Kind::Dob)),
            ("DoB", Some(Kind::Dob)),
            ("N.I. No.", Some(Kind::National)),
            ("NHSNumber", Some(Kind::National)),
            ("E-mail", Some(Kind::Email)),
            ("Crime Ref No", Some(Kind::Justice)),
            ("Victim's address", Some(Kind::Address)),
            ("Surnames", Some(Kind::Name)),
            ("Rank", Some(Kind::StaffAttr)),
            ("Ward name", None),
            ("Date reported", None),
            ("Headcount", None),
            ("Number of victims", None),
        ] {
            assert_eq!(heading_info(raw).kind, kind, "{raw}");
        }
        assert!(heading_info("Number of victims").role);
        assert!(heading_info("No.").bare_number && heading_info("#").bare_number);
        for raw in [
            "Year",
            "Cost (£)",
            "% of crime",
            "Rate per 1,000",
            "Case number",
            "Position",
        ] {
            assert!(heading_info(raw).not_count, "{raw}");
        }
        for raw in [
            "Total",
            "Number of stop and search",
            "Victims",
            "2019",
            "Jan",
        ] {
            assert!(!heading_info(raw).not_count, "{raw}");
        }

        let f = scan(&grid(&[
            &["SURNAME_1", "Collar No.", "Date of Birth (DOB)"],
            &["SMITH", "1234", "12/03/1980"],
            &["JONES", "2345", "02/11/1975"],
            &["HUGHES", "3456", "03/05/1991"],
        ]));
        assert_eq!(
            rules(&f),
            [
                ("personal-data-column", Some("SURNAME_1")),
                ("pii.person-name", Some("SURNAME_1")),
                ("personal-data-column", Some("Collar No.")),
                ("pii.police-officer", Some("Collar No.")),
                ("personal-data-column", Some("Date of Birth (DOB)")),
                ("pii.date-of-birth", Some("Date of Birth (DOB)")),
            ]
        );
        assert_eq!(
            f[2].message,
            "column 'Collar No.' holds 3 staff identifiers"
        );
    }

    #[test]
    fn heading_is_known_before_the_first_data_cell() {
        let mut t = Tables::new(TableConfig::default());
        assert_eq!(t.heading(0, 0), None);
        for (c, h) in ["Name", "DOB"].iter().enumerate() {
            t.cell(0, 0, c as u32, h, false, &[]);
        }
        // The header row is still pending: the next row's cells already get headings.
        assert_eq!(t.heading(0, 1), Some("DOB"));
        assert_eq!(t.heading(0, 2), None);
        t.cell(0, 1, 0, "John Smith", false, &[]);
        t.cell(0, 1, 1, "12/03/1980", false, &[]);
        t.cell(0, 2, 0, "Mary Jones", false, &[]);
        assert_eq!(t.heading(0, 0), Some("Name"));
        assert_eq!(t.heading(0, 1), Some("DOB"));
        assert_eq!(t.heading(1, 0), None, "another sheet");
    }

    #[test]
    fn second_table_lower_on_the_sheet() {
        let mut rows = grid(&[
            &["Ward", "Burglary", "Robbery"],
            &["Abbey", "12", "2"],
            &["Castle", "7", "0"],
            &[],
            &["Name", "Date of birth", "Address", "Role"],
        ]);
        for i in 0..12 {
            rows.push(vec![
                format!("{} {}", FORENAMES[i % 12], surname(i)),
                format!("{:02}/04/19{}", i + 1, 60 + i),
                format!("{} Mill Road, Ipswich", i + 3),
                ["Victim", "Witness"][i % 2].to_string(),
            ]);
        }
        let mut t = Tables::new(TableConfig::default());
        feed(&mut t, 3, 0, &rows, false);
        assert_eq!(t.heading(3, 1), Some("Date of birth"));
        let f = t.finish();
        assert_eq!(
            rules(&f),
            [
                ("small-count", None),
                ("row-level-data", None),
                ("personal-data-column", Some("Name")),
                ("pii.person-name", Some("Name")),
                ("personal-data-column", Some("Date of birth")),
                ("pii.date-of-birth", Some("Date of birth")),
                ("personal-data-column", Some("Address")),
            ]
        );
        assert!(f.iter().all(|x| x.sheet == 3));
        assert_eq!(f[0].range, "C2");
        assert_eq!(f[1].range, "A5:D17");
        assert_eq!(
            f[1].message,
            "table holds 12 rows of individual records (columns: Name, Date of birth, Address, \
                Role)"
        );
        assert_eq!(f[4].range, "B6:B17");
        assert_eq!(f[4].severity, Severity::Critical);
    }

    #[test]
    fn repeated_header_rows_do_not_split_a_table() {
        let mut rows = roster(15);
        rows.push(grid(&[&ROSTER_HEADER]).remove(0));
        rows.extend((15..30).map(roster_row));
        let f = scan(&rows);
        let rl = one(&f, "row-level-data", None);
        assert_eq!(rl.range, "A1:E32");
        assert!(
            rl.message.starts_with("table holds 30 rows"),
            "{}",
            rl.message
        );
    }

    // --- small-count ---------------------------------------------------------------------

    #[test]
    fn crime_by_ward_small_counts() {
        let f = scan(&crime_by_ward());
        // 3, 4, 1, 3, 1, 2: zeros never, the year column never, the total row's 4 never.
        assert_eq!(rules(&f), [("small-count", None)]);
        assert_eq!(
            f[0].message,
            "6 cells count fewer than 5 people (threshold 5)"
        );
        assert_eq!(f[0].range, "C3:E9");
        assert_eq!(f[0].severity, Severity::Medium);
        assert!(!f[0].hidden);
        assert_eq!((f[0].evidence.as_ref(), f[0].masked.as_ref()), (None, None));
    }

    #[test]
    fn threshold_is_configurable() {
        let config = TableConfig {
            small_count_threshold: 10,
        };
        let f = scan_with(config, &crime_by_ward(), false);
        assert_eq!(rules(&f), [("small-count", None)]);
        // 1–4 as before plus 5, 7, 9, 9, 6, 5, 7.
        assert_eq!(
            f[0].message,
            "13 cells count fewer than 10 people (threshold 10)"
        );
        assert_eq!(f[0].range, "C3:F9");
    }

    #[test]
    fn percentages_money_and_negative_changes_are_not_counts() {
        let f = scan(&grid(&[
            &[
                "Ward",
                "% of all crime",
                "Rate per 1,000",
                "Proportion solved",
            ],
            &["Abbey", "3%", "2", "0.25"],
            &["Castle", "12%", "4", "0.5"],
            &["Riverside", "1.5%", "1", "0.75"],
        ]));
        assert_eq!(f, []);
        let f = scan(&grid(&[
            &["Item", "Cost (£)", "Amount paid", "Spend"],
            &["Overtime", "3", "£4", "2"],
            &["Travel", "1", "£2", "4"],
            &["Training", "2", "£3", "1"],
        ]));
        assert_eq!(f, []);
        let f = scan(&grid(&[
            &["Ward", "Change"],
            &["Abbey", "-3"],
            &["Castle", "2"],
            &["Riverside", "4"],
        ]));
        assert_eq!(f, []);
    }

    #[test]
    fn row_numbers_and_league_positions_are_not_counts() {
        let offences = ["Burglary", "Robbery", "Theft", "Assault", "Fraud", "Arson"];
        let counts = ["12", "15", "40", "22", "9", "31"];
        for first in ["No.", "#", "", "Position"] {
            let mut rows = vec![vec![first.to_string(), "Offence".into(), "Count".into()]];
            for (i, (offence, count)) in offences.iter().zip(counts).enumerate() {
                rows.push(vec![(i + 1).to_string(), offence.to_string(), count.into()]);
            }
            assert_eq!(scan(&rows), [], "{first:?}");
        }
        // The same table with a small count still fires, on the count only.
        let f = scan(&grid(&[
            &["#", "Offence", "Count"],
            &["1", "Burglary", "12"],
            &["2", "Robbery", "3"],
            &["3", "Theft", "40"],
        ]));
        assert_eq!(rules(&f), [("small-count", None)]);
        assert_eq!(f[0].range, "C3");
    }

    #[test]
    fn large_distinct_counts_under_a_count_heading_are_still_counts() {
        // Mostly distinct large numbers look like identifiers, unless the heading counts.
        let rows = |heading: &str| {
            let mut rows = vec![vec!["Station".to_string(), heading.to_string()]];
            for (i, n) in ["1200", "3400", "2", "5600", "7800", "9100"]
                .iter()
                .enumerate()
            {
                rows.push(vec![
                    format!("Station {}", (b'A' + i as u8) as char),
                    n.to_string(),
                ]);
            }
            rows
        };
        let f = scan(&rows("Number of calls"));
        assert_eq!(rules(&f), [("small-count", None)]);
        assert_eq!(f[0].range, "B4");
        assert_eq!(scan(&rows("Calls")), []);
    }

    #[test]
    fn suppressed_cells_are_not_small_counts() {
        let f = scan(&grid(&[
            &["Ward", "Offences"],
            &["Abbey", "*"],
            &["Castle", "<5"],
            &["Riverside", "12"],
        ]));
        assert_eq!(f, []);
    }

    // --- visibility, keys, memory --------------------------------------------------------

    #[test]
    fn hidden_flags_follow_the_cells() {
        let f = scan_with(TableConfig::default(), &crime_by_ward(), true);
        assert_eq!(rules(&f), [("small-count", None)]);
        assert!(f[0].hidden);
        assert_eq!(f[0].severity, Severity::Medium, "the engine escalates");

        // Only the surname column hidden (a hidden column in a visible sheet).
        let rows = roster(20);
        let mut t = Tables::new(TableConfig::default());
        for (r, cells) in rows.iter().enumerate() {
            for (c, text) in cells.iter().enumerate() {
                t.cell(0, r as u32, c as u32, text, c == 0, &[]);
            }
        }
        let f = t.finish();
        assert!(one(&f, "personal-data-column", Some("Surname")).hidden);
        assert!(one(&f, "pii.person-name", Some("Surname")).hidden);
        assert!(!one(&f, "personal-data-column", Some("Forename")).hidden);
        let rl = one(&f, "row-level-data", None);
        assert!(!rl.hidden);
        assert_eq!(rl.severity, Severity::Medium);
    }

    #[test]
    fn keys_follow_the_reported_values() {
        let a = scan(&victims(12));
        assert_eq!(a, scan(&victims(12)));
        let mut changed = victims(12);
        changed[5][0] = "Helen Hughes".to_string();
        let b = scan(&changed);
        let key = |f: &[TableFinding], rule, col| one(f, rule, col).key.clone();
        for (rule, col) in [
            ("personal-data-column", Some("Name")),
            ("pii.person-name", Some("Name")),
            ("row-level-data", None),
        ] {
            assert_ne!(key(&a, rule, col), key(&b, rule, col), "{rule} {col:?}");
        }
        let dob = Some("DOB");
        assert_eq!(
            key(&a, "personal-data-column", dob),
            key(&b, "personal-data-column", dob)
        );
        let mut ward = crime_by_ward();
        let base = scan(&ward)[0].key.clone();
        ward[3][3] = "2".to_string(); // Abbey 2020 robbery 1 → 2
        assert_ne!(scan(&ward)[0].key, base);
    }

    #[test]
    fn memory_stays_bounded_on_a_large_sheet() {
        let mut t = Tables::new(TableConfig::default());
        feed(&mut t, 0, 0, &grid(&[&ROSTER_HEADER]), true);
        for i in 0..200_000 {
            feed(&mut t, 0, i as u32 + 1, &[roster_row(i)], true);
        }
        let (sample, columns, pending) = t.footprint();
        assert!(sample <= DISTINCT_SAMPLE, "{sample}");
        assert_eq!(sample, DISTINCT_SAMPLE);
        assert_eq!((columns, pending), (5, 5));
        let f = t.finish();
        assert_eq!(
            one(&f, "row-level-data", None).message,
            "table holds 200,000 rows of individual records \
             (columns: Surname, Forename, Rank, Service No, Department)"
        );
        let ids = one(&f, "personal-data-column", Some("Service No"));
        assert_eq!(
            ids.message,
            "column 'Service No' holds 200,000 staff identifiers"
        );
        assert_eq!(ids.range, "D2:D200001");
    }

    #[test]
    fn value_shapes() {
        assert!(is_date("12/03/1980") && is_date("1980-03-12T00:00:00") && is_date("3 May 1991"));
        assert!(is_date("28-Feb-64") && is_date("March 12, 1980"));
        assert!(!is_date("12 High Street") && !is_date("2019/20") && !is_date("1/2/3"));
        assert!(name_like("SMITH, John") && name_like("J. K.") && name_like("O'Neill-Jones"));
        assert!(!name_like("PC 1234") && !name_like("one two three four five"));
        assert!(vocabulary("Chief Inspector") && vocabulary("Not recorded"));
        assert!(role_word("Victim") && role_word("Witnesses") && role_word("Injured party"));
        assert!(!role_word("Party") && !role_word("Smith"));
        assert!(ident_like("98/0123456G") && ident_like("AB 12 34 56 C") && ident_like("1234AB"));
        assert!(!ident_like("12 High Street") && !ident_like("Flat 3"));
        assert!(postcode_like("NR1 2AB") && postcode_like("sw1a1aa") && !postcode_like("NR1"));
        assert!(phone_like("01603 123456") && phone_like("+44 7700 900123"));
        assert!(email_like("j.smith@example.org") && !email_like("foi@"));
        assert!(matches!(parse_number("1,234"), Some(Num::Int(1234))));
        assert!(matches!(parse_number("3.0"), Some(Num::Int(3))));
        assert!(matches!(parse_number("2.5"), Some(Num::Decimal)));
        assert!(matches!(parse_number("£40"), Some(Num::Money)));
        assert!(matches!(parse_number("12%"), Some(Num::Percent)));
        assert!(parse_number("1,23").is_none() && parse_number("12a").is_none());
        assert_eq!(mask("Smith J."), "S**** J.");
    }

    // --- pii.* by column -------------------------------------------------------------------

    /// A table of people: a name column beside a column headed `heading` holding `values`.
    fn people_with(heading: &str, values: &[&str]) -> Vec<Vec<String>> {
        let mut rows = grid(&[&["Name", heading]]);
        for (i, v) in values.iter().enumerate() {
            rows.push(vec![
                format!("{} {}", FORENAMES[i % 12], surname(i)),
                v.to_string(),
            ]);
        }
        rows
    }

    /// Per rule: a heading that marks the kind, values of that kind (the column reports
    /// each), and values that fit the heading's shape but are not that kind of personal
    /// data (the column reports none).
    #[allow(clippy::type_complexity)]
    const PII_COLUMNS: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "pii.date-of-birth",
            "Date of birth",
            // Written dates, an ISO date-time from a CSV export, and spreadsheet serials
            // (the form Excel stores dates in, which no text detector reads as a date).
            &[
                "12/03/1980",
                "1975-11-02T00:00:00",
                "30754",
                "3 May 1991",
                "23500",
            ],
            &[
                "Unknown",
                "Not recorded",
                "Withheld",
                "Unknown",
                "Not stated",
            ],
        ),
        (
            "pii.postcode",
            "Postcode",
            &["NR1 2AB", "sw1a 1aa", "M1 1AE", "EC1A 1BB", "b33 8th"],
            // Postcode-shaped but impossible: area XY, inward C I, area ZZ, first letter Q.
            &["XY12 3AB", "AB1 2CI", "ZZ1 1AA", "QA1 2AB", "XY9 9ZZ"],
        ),
        (
            "pii.postcode",
            "Home address",
            &["NR1 2AB", "nr2 4tq", "M1 1AE", "EC1A 1BB", "B33 8TH"],
            // Street lines: addresses, but the catalogue has no rule for them.
            &[
                "1 High Street",
                "2 Mill Road",
                "3 Station Road",
                "4 Church Lane",
                "5 The Green",
            ],
        ),
        (
            "pii.phone",
            "Telephone",
            &[
                "07700 900123",
                "01632 960001",
                "020 7946 0018",
                "+44 7700 900456",
                "0161 496 0000",
            ],
            // Phone-shaped, not reportable: unallocated ranges, premium rate, freephone.
            &[
                "020 0946 0000",
                "09012 345678",
                "0800 123 4567",
                "07700 9001234",
                "0808 157 0000",
            ],
        ),
        (
            "pii.email",
            "Email",
            &[
                "john.smith@example.com",
                "jsmith42@gmail.com",
                "a.patel@nhs.net",
                "s_jones@example.org",
                "t.okafor@example.co.uk",
            ],
            // Role mailboxes are not personal.
            &[
                "foi@example.gov.uk",
                "info@example.com",
                "enquiries@example.org",
                "press.office@example.gov.uk",
                "dataprotection@example.com",
            ],
        ),
        (
            "pii.police-officer",
            "Collar No",
            &["4821", "1234AB", "5532", "6610", "7012"],
            &["n/a", "TBC", "Vacant", "Unknown", "None"],
        ),
        (
            "pii.police-officer",
            "Warrant number",
            &["104821", "201234", "305532", "406610", "507012"],
            &["Yes", "No", "Yes", "No", "Pending"],
        ),
        (
            "pii.nino",
            "NI Number",
            &[
                "AB123456C",
                "jh 55 66 77 a",
                "TW987654B",
                "ce123456d",
                "AB 12 34 56 D",
            ],
            // Prefixes never issued (QQ is the classic placeholder).
            &[
                "QQ123456A",
                "BG123456A",
                "GB123456A",
                "NK123456B",
                "ZZ123456D",
            ],
        ),
        (
            "pii.nhs-number",
            "NHS Number",
            // Also a CHI number whose leading zero a spreadsheet dropped.
            &[
                "9434765919",
                "401 023 2137",
                "4505577104",
                "100079199",
                "943-476-5919",
            ],
            &[
                "9434765918",
                "4010232138",
                "1234567890",
                "9999999999",
                "4505577105",
            ],
        ),
        (
            "pii.passport",
            "Passport No",
            &[
                "123456789",
                "502135326",
                "A12345678",
                "761234589",
                "987654321",
            ],
            &["12345678", "1234567890", "AB1234567", "12345", "1234567"],
        ),
        (
            "pii.vehicle-registration",
            "VRM",
            &["AB12 CDE", "LB07SEO", "yx69 klm", "MA58 PRT", "BD51 SMR"],
            // Age identifiers 30 and 00, memory tags ZZ and I.
            &["AB30 CDE", "AB00 CDE", "ZZ12 ABC", "IB12 CDE", "AB80 CDE"],
        ),
        (
            "pii.iban",
            "IBAN",
            &[
                "GB82WEST12345698765432",
                "IE29AIBK93115212345678",
                "DE89370400440532013000",
                "NL91ABNA0417164300",
                "gb82west12345698765432",
            ],
            &[
                "GB82WEST12345698765433",
                "IE29AIBK93115212345679",
                "DE89370400440532013001",
                "NL91ABNA0417164301",
                "GB82WEST12345698765431",
            ],
        ),
        (
            "pii.payment-card",
            "Card number",
            &[
                "4111111111111111",
                "5555 5555 5555 4444",
                "378282246310005",
                "6011111111111117",
                "4012 8888 8888 1881",
            ],
            &[
                "4111111111111112",
                "1234567812345670",
                "5555555555554445",
                "378282246310006",
                "6011111111111118",
            ],
        ),
        (
            "pii.pnc-id",
            "PNC ID",
            &[
                "98/0123456G",
                "01/0000001Q",
                "05/1234567W",
                "12/345678U",
                "20/4567T",
            ],
            &[
                "98/0123456H",
                "01/0000001R",
                "05/1234567X",
                "12/345678V",
                "20/4567U",
            ],
        ),
        (
            "pii.cro-number",
            "CRO",
            &[
                "123456/95K",
                "4321/88V",
                "765432/02D",
                "55555/79A",
                "SF95/123456K",
            ],
            &[
                "123456/95L",
                "4321/88W",
                "765432/02E",
                "55555/79B",
                "SF95/123456J",
            ],
        ),
    ];

    #[test]
    fn personal_data_columns_report_their_values_under_the_catalogue_rule() {
        for &(rule, heading, good, bad) in PII_COLUMNS {
            // Positive: the heading marks the kind, the values are of the kind.
            let f = scan(&people_with(heading, good));
            let m: Vec<_> = f
                .iter()
                .filter(|x| x.rule == rule && x.column.as_deref() == Some(heading))
                .collect();
            assert_eq!(m.len(), 1, "{rule} under {heading:?}: {f:#?}");
            assert!(
                m[0].message.ends_with(&format!(" {}", good.len()))
                    || m[0].message.contains(&format!(" {} ", good.len())),
                "{rule}: {}",
                m[0].message
            );
            assert_eq!(m[0].range, format!("B2:B{}", good.len() + 1), "{rule}");
            let (clear, masked) = (m[0].evidence.as_deref(), m[0].masked.as_deref());
            assert_eq!(clear, Some(good[0]), "{rule}");
            assert_ne!(masked, clear, "{rule}: evidence must be masked");
            one(&f, "personal-data-column", Some(heading));

            // Negative: the same values under a heading that says nothing about them.
            let f = scan(&people_with("Details", good));
            assert!(
                f.iter().all(|x| x.rule != rule),
                "{rule} under Details: {f:#?}"
            );

            // Negative: the heading, but values that are not that kind of personal data.
            let f = scan(&people_with(heading, bad));
            assert!(
                f.iter().all(|x| x.rule != rule),
                "{rule} under {heading:?} with {bad:?}: {f:#?}"
            );
        }
    }

    #[test]
    fn some_personal_columns_have_no_catalogue_rule() {
        // A date of death is personal data in a table of individuals, but not a date of
        // birth; staff and payroll numbers are anyone's, not police officers'.
        for (heading, values) in [
            (
                "Date of death",
                [
                    "12/03/1980",
                    "02/11/1975",
                    "03/05/1991",
                    "28/02/1964",
                    "01/01/2001",
                ],
            ),
            ("Staff number", ["4821", "5532", "6610", "7012", "8123"]),
            (
                "Payroll number",
                ["104821", "201234", "305532", "406610", "507012"],
            ),
            (
                "UPN",
                [
                    "A123456789012",
                    "B123456789012",
                    "C123456789012",
                    "D123456789012",
                    "E123456789012",
                ],
            ),
        ] {
            let f = scan(&people_with(heading, &values));
            one(&f, "personal-data-column", Some(heading));
            assert!(
                f.iter()
                    .all(|x| !x.rule.starts_with("pii.") || x.column.as_deref() == Some("Name")),
                "{heading}: {f:#?}"
            );
        }
    }

    #[test]
    fn account_numbers_are_bank_accounts_beside_sort_codes_only() {
        let mut rows = grid(&[&["Name", "Sort code", "Account number"]]);
        for (i, forename) in FORENAMES.iter().enumerate().take(6) {
            rows.push(vec![
                format!("{forename} {}", surname(i)),
                // Not date-like ("10-11-12" is also a date, and a date is not an identifier).
                format!("{}-{}-62", 40 + i, 11 + i),
                format!("{}", 12_345_670 + i * 7),
            ]);
        }
        let f = scan(&rows);
        let sc = one(&f, "pii.bank-account", Some("Sort code"));
        assert_eq!(sc.message, "column 'Sort code' lists 6 sort codes");
        assert_eq!(sc.masked.as_deref(), Some("**-**-**"));
        let acc = one(&f, "pii.bank-account", Some("Account number"));
        assert_eq!(
            acc.message,
            "column 'Account number' lists 6 bank account numbers"
        );
        assert_eq!(acc.masked.as_deref(), Some("******70"));
        // Without a sort code column an account number may be a council-tax or customer
        // account: personal, but not a bank account.
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| vec![r[0].clone(), r[2].clone()])
            .collect();
        let f = scan(&rows);
        one(&f, "personal-data-column", Some("Account number"));
        assert!(f.iter().all(|x| x.rule != "pii.bank-account"), "{f:#?}");
    }

    /// Feeds a grid as the engine does, with the identifier detector's hits for each cell.
    fn feed_with_hits(t: &mut Tables, rows: &[Vec<String>]) {
        for (r, cells) in rows.iter().enumerate() {
            for (c, text) in cells.iter().enumerate() {
                let heading = t.heading(0, c as u32).map(str::to_string);
                let mut hits = Vec::new();
                let ctx = Context {
                    heading: heading.as_deref(),
                    detail: None,
                };
                identifiers::find(text, &ctx, &mut hits);
                t.cell(0, r as u32, c as u32, text, false, &hits);
            }
        }
    }

    #[test]
    fn values_the_identifier_detector_reported_are_not_reported_again() {
        // Written dates under a DOB heading are dates of birth to the identifier detector
        // already; the serials (Excel's dates) are not, so only they are the column's.
        let rows = people_with(
            "DOB",
            &["12/03/1980", "30754", "02/11/1975", "23500", "03/05/1991"],
        );
        let mut t = Tables::new(TableConfig::default());
        feed_with_hits(&mut t, &rows);
        let f = t.finish();
        let d = one(&f, "pii.date-of-birth", Some("DOB"));
        assert_eq!(d.message, "column 'DOB' lists 2 dates of birth");
        assert_eq!(d.range, "B3:B5");
        assert_eq!(d.evidence.as_deref(), Some("30754"));
        assert_eq!(d.masked.as_deref(), Some("*****"));

        // Every value already reported by the identifier detector: no second finding.
        for (heading, values) in [
            (
                "DOB",
                [
                    "12/03/1980",
                    "02/11/1975",
                    "03/05/1991",
                    "28/02/1964",
                    "01/01/2001",
                ],
            ),
            (
                "NI Number",
                [
                    "AB123456C",
                    "JH556677A",
                    "TW987654B",
                    "CE123456D",
                    "AB123456D",
                ],
            ),
            (
                "Postcode",
                ["NR1 2AB", "SW1A 1AA", "M1 1AE", "EC1A 1BB", "B33 8TH"],
            ),
            (
                "Name",
                [
                    "Mr John Smith",
                    "Mrs A. Jones",
                    "Dr Patel",
                    "Ms O'Brien",
                    "Mr Ian Wood",
                ],
            ),
        ] {
            let mut t = Tables::new(TableConfig::default());
            let mut rows = grid(&[&["Ref", heading, "Offence"]]);
            for (i, v) in values.iter().enumerate() {
                rows.push(vec![format!("R{i}"), v.to_string(), "Theft".into()]);
            }
            feed_with_hits(&mut t, &rows);
            let f = t.finish();
            one(&f, "personal-data-column", Some(heading));
            assert!(
                f.iter().all(|x| !x.rule.starts_with("pii.")),
                "{heading}: {f:#?}"
            );
        }
    }

    #[test]
    fn allowed_values_are_not_reported_by_column() {
        let allow = Allowlist::new(&[], &[], &["4821".into(), "5532".into()]).expect("allowlist");
        let rows = people_with("Collar No", &["4821", "5532", "6610", "7012", "8123"]);
        let mut t = Tables::new(TableConfig::default()).with_allowlist(&allow);
        feed(&mut t, 0, 0, &rows, false);
        let f = t.finish();
        let o = one(&f, "pii.police-officer", Some("Collar No"));
        assert_eq!(
            o.message,
            "column 'Collar No' lists 3 police officers' collar, warrant or service numbers"
        );
        assert_eq!(o.range, "B4:B6");
    }

    #[test]
    fn checked_identifiers_in_hidden_columns_are_strong() {
        let f = scan_with(
            TableConfig::default(),
            &people_with(
                "NI Number",
                &[
                    "AB123456C",
                    "JH556677A",
                    "TW987654B",
                    "CE123456D",
                    "AB123456D",
                ],
            ),
            true,
        );
        let n = one(&f, "pii.nino", Some("NI Number"));
        assert!(n.strong && n.hidden, "{n:?}");
        assert_eq!(n.masked.as_deref(), Some("AB******C"));
        let f = scan_with(
            TableConfig::default(),
            &people_with("DOB", &["30754"; 5]),
            true,
        );
        assert!(!one(&f, "pii.date-of-birth", Some("DOB")).strong);
    }
}
