//! UK identifier detectors: National Insurance, NHS, PNC and CRO numbers, postcodes, phones,
//! emails, bank and card numbers, dates of birth, vehicle marks, passports, driving licences,
//! IP addresses, officer references and titled names.
//!
//! `find` runs on every cell of every file, so it is built for the common case of finding
//! nothing:
//! - a byte-level early-out rejects short cells that cannot hold any identifier ("12",
//!   "Burglary", "2023-01") without touching the regex;
//! - everything else is ONE leftmost-first pass of ONE multi-pattern regex (one pattern per
//!   candidate kind, earlier patterns win at the same position, exactly like an alternation
//!   of named groups). The lazy DFA reports which pattern matched, so no capture groups are
//!   resolved per match (that alone cost 3-4x the scan). ASCII word boundaries only, so the
//!   DFA never gives up on non-ASCII text. Each candidate is then validated in code (check
//!   digits, position rules, context words) without allocating unless it is reported.
//!   Context checks read a few dozen bytes before the candidate; no detector rescans the text.
//!
//! Rust's regex has no look-around, so patterns are permissive and code decides.
//!
//! Masking (the `masked` field) keeps the shape and hides identity:
//! - NINO `AB 12 34 56 C` → `AB ** ** ** C` (prefix and suffix letters only);
//! - NHS, passport, account numbers: digits masked except the last 2 (`*** *** **19`);
//! - payment card: last 4 kept (`**** **** **** 1111`, as on receipts);
//! - IBAN: country code and last 2 kept (`GB** **** **** **** **** 32`);
//! - PNC `98/*******` and CRO `******/95*`: only the year (not identifying on its own);
//! - driving licence: first letter only; vehicle mark: the memory-tag letters (`AB** ***`);
//! - postcode: the outward code (`NR1 ***`), a district of thousands of addresses;
//! - phone: the dialling code or first group (`07700 ******`);
//! - email: first letter and the top-level domain (`j****@****.com`), fixed-width stars so
//!   the length does not leak;
//! - dates: nothing, not even the year (`**/**/****`, month names → `***`);
//! - IPv4: first two octets (`192.168.*.*`); IPv6: first group;
//! - names (person or officer): titles, ranks and initials kept, each name word as its first
//!   letter and four stars (`Mr J**** S****`, `DS *** P****`).

use super::hit::{Context, Hit};
use crate::model::Severity;
use regex::Regex;
use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::{Anchored, Input, PatternID};
use std::cell::RefCell;
use std::collections::HashSet;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

/// Rule ids, exactly as in the SPEC catalogue.
pub mod rule {
    pub const NINO: &str = "pii.nino";
    pub const NHS: &str = "pii.nhs-number";
    pub const POSTCODE: &str = "pii.postcode";
    pub const PHONE: &str = "pii.phone";
    pub const IBAN: &str = "pii.iban";
    pub const CARD: &str = "pii.payment-card";
    pub const PNC: &str = "pii.pnc-id";
    pub const CRO: &str = "pii.cro-number";
    pub const EMAIL: &str = "pii.email";
    pub const DOB: &str = "pii.date-of-birth";
    pub const VRM: &str = "pii.vehicle-registration";
    pub const PASSPORT: &str = "pii.passport";
    pub const LICENCE: &str = "pii.driving-licence";
    pub const BANK: &str = "pii.bank-account";
    pub const IP: &str = "pii.ip-address";
    pub const OFFICER: &str = "pii.police-officer";
    pub const PERSON: &str = "pii.person-name";
}

/// Appends every validated identifier in `text` to `out`, in one pass over the text.
pub fn find(text: &str, ctx: &Context<'_>, out: &mut Vec<Hit>) {
    if cannot_hold_identifier(text, ctx) {
        return;
    }
    let first = out.len();
    let mut scan = Scan {
        text,
        bytes: text.as_bytes(),
        heading: ctx.heading,
        flags: None,
        sort_codes: Vec::new(),
        accounts: Vec::new(),
        taken: 0,
        out,
    };
    SEARCH_CACHE.with_borrow_mut(|cache| scan.all(cache));
    scan.pair_bank_accounts();
    if out.len() - first > 1 {
        out[first..].sort_by_key(|h| (h.start, h.end));
    }
}

// ---------------------------------------------------------------------------------------------
// Early-out

/// True when `text` cannot hold any identifier, decided from its bytes alone. Only short
/// texts (cells) are checked: for long ones the regex is as cheap as this count would be.
fn cannot_hold_identifier(text: &str, ctx: &Context<'_>) -> bool {
    let b = text.as_bytes();
    if b.len() < 5 {
        // Shortest candidates are 5 bytes: "Mr Li", "a@b.uk", "M11AE".
        return true;
    }
    if b.len() > 64 {
        return false;
    }
    let (mut digits, mut alpha, mut dots, mut colons) = (0usize, false, 0usize, 0usize);
    for &c in b {
        match c {
            b'0'..=b'9' => digits += 1,
            b'a'..=b'z' | b'A'..=b'Z' => alpha = true,
            b'@' | b'+' => return false,
            b'.' => dots += 1,
            b':' => colons += 1,
            _ => {}
        }
    }
    if digits == 0 {
        // Without digits only "title/rank + name" can match.
        return !alpha || !has_title_token(b);
    }
    if alpha || digits >= 10 || dots >= 3 || colons >= 2 {
        return false;
    }
    // A short all-numeric cell ("2023-01", "12,431", "£1,250.00") is an identifier only as a
    // date of birth or a passport number, and then only under such a heading.
    match ctx.heading {
        None => true,
        Some(h) => {
            let f = heading_flags(h);
            !(f.dob || (f.passport && digits == 9))
        }
    }
}

/// Whether some word followed by a space is a title or rank the regex starts from.
fn has_title_token(b: &[u8]) -> bool {
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b' ' {
            let mut w = &b[start..i];
            if let [rest @ .., b'.'] = w {
                w = rest;
            }
            if is_title_or_rank(w) {
                return true;
            }
            start = i + 1;
        } else if !c.is_ascii_alphabetic() && c != b'.' {
            start = i + 1;
        }
    }
    false
}

fn is_title_or_rank(w: &[u8]) -> bool {
    matches!(
        w,
        b"Mr"
            | b"Mrs"
            | b"Ms"
            | b"Miss"
            | b"Mx"
            | b"Dr"
            | b"Rev"
            | b"Revd"
            | b"Sir"
            | b"Dame"
            | b"Lord"
            | b"Lady"
            | b"MR"
            | b"MRS"
            | b"MISS"
            | b"PC"
            | b"PS"
            | b"DC"
            | b"DS"
            | b"DI"
            | b"DCI"
            | b"DCS"
            | b"DSU"
            | b"DSupt"
            | b"SC"
            | b"PCSO"
            | b"Ch"
            | b"Chief"
            | b"Det"
            | b"Detective"
            | b"Insp"
            | b"INSP"
            | b"Inspector"
            | b"Sgt"
            | b"SGT"
            | b"Sergeant"
            | b"Supt"
            | b"SUPT"
            | b"Superintendent"
            | b"Constable"
    )
}

// ---------------------------------------------------------------------------------------------
// The combined regex

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Email,
    Iban,
    Licence,
    CroSf,
    Nino,
    Vrm,
    Postcode,
    Officer,
    Person,
    Slash,
    Ipv4,
    Ipv6,
    Date,
    Digits,
}

/// Group name per kind, in alternation order. At one start position the first alternative
/// that matches wins, so the more specific shapes come first (an email's local part may look
/// like a NINO; a date's `12-34-56` comes before the generic digit run).
const KINDS: [(&str, Kind); 14] = [
    ("email", Kind::Email),
    ("iban", Kind::Iban),
    ("licence", Kind::Licence),
    ("crosf", Kind::CroSf),
    ("nino", Kind::Nino),
    ("vrm", Kind::Vrm),
    ("postcode", Kind::Postcode),
    ("officer", Kind::Officer),
    ("person", Kind::Person),
    ("slash", Kind::Slash),
    ("ipv4", Kind::Ipv4),
    ("ipv6", Kind::Ipv6),
    ("date", Kind::Date),
    ("digits", Kind::Digits),
];

impl Kind {
    /// Whether a candidate of this kind can start with byte `c`: the re-scan after a failed
    /// candidate asks only the kinds that can (a cheap filter before an anchored search).
    fn may_start_with(self, c: u8) -> bool {
        match self {
            Kind::Email | Kind::Date => c.is_ascii_alphanumeric(),
            Kind::Nino => c.is_ascii_alphabetic(),
            Kind::Iban
            | Kind::Licence
            | Kind::CroSf
            | Kind::Vrm
            | Kind::Postcode
            | Kind::Officer
            | Kind::Person => c.is_ascii_uppercase(),
            Kind::Slash | Kind::Ipv4 => c.is_ascii_digit(),
            Kind::Ipv6 => c.is_ascii_hexdigit(),
            Kind::Digits => c.is_ascii_digit() || c == b'+' || c == b'(',
        }
    }
}

/// Bytes that re-scanning inside failed candidates may go over again, per byte of text,
/// plus [`RESCAN_SLACK`]. Ordinary text uses a small fraction; a hostile text made of
/// nested near-misses stays linear, and past the budget the pass is the plain single pass.
const RESCAN_PER_BYTE: usize = 4;
const RESCAN_SLACK: usize = 4096;
/// Failed candidates longer than this are not re-scanned inside. No two neighbouring
/// identifiers are that long (an IBAN is at most 42 bytes written, a digit run 70, an email
/// address 254); only an email- or name-shaped run of words is, and re-scanning it would
/// restart at each of its words and match to its end each time (quadratic).
const RESCAN_SPAN: usize = 256;

thread_local! {
    /// Scratch space of the combined regex for this thread. `find` runs once per cell and
    /// may restart its search after a failed candidate: the cache is taken once per thread,
    /// not from the regex's shared pool per search.
    static SEARCH_CACHE: RefCell<meta::Cache> = RefCell::new(MATCHER.re.create_cache());
}

struct Matcher {
    /// One pattern per kind, in `KINDS` order. A multi-pattern search reports which pattern
    /// matched straight from the DFA, with no capture-group resolution per match (that
    /// costs 3-4x the scan itself on identifier-dense text).
    re: meta::Regex,
    /// The rank at the start of an officer candidate (multi-word ranks: "Ch Insp").
    rank: Regex,
}

static MATCHER: LazyLock<Matcher> = LazyLock::new(|| {
    let (patterns, ranks) = patterns();
    let re = meta::Regex::builder()
        .configure(meta::Config::new().which_captures(WhichCaptures::Implicit))
        .build_many(&patterns)
        .expect("identifier patterns compile");
    let rank = Regex::new(&format!("^(?:{ranks})[ ]")).expect("rank pattern compiles");
    Matcher { re, rank }
});

/// The candidate grammar, one pattern per kind (in `KINDS` order), and the rank
/// alternation. `(?-u:\b)` is an ASCII word boundary: unlike the Unicode one it keeps the
/// lazy DFA usable on any text.
fn patterns() -> (Vec<String>, String) {
    const B: &str = r"(?-u:\b)";
    // A name word: capitalised or upper-case, at least two letters, ends with a letter.
    const NW: &str = r"[A-Z][A-Za-z'\-]*[A-Za-z]";
    const INITIAL: &str = r"[A-Z](?:\.[ ]?|[ ])";
    const MONTH: &str = r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
    const ORD: &str = r"(?:st|nd|rd|th)?";
    let ranks = [
        r"PCSO",
        r"PC",
        r"PS",
        r"DCI",
        r"DCS",
        r"DSU",
        r"DSupt",
        r"DC",
        r"DS",
        r"DI",
        r"SC",
        r"Ch\.?[ ](?:Insp|Supt)\.?",
        r"Chief[ ](?:Inspector|Superintendent)",
        r"Det\.?[ ](?:Con|Sgt|Insp|Supt)\.?",
        r"Detective[ ](?:Constable|Sergeant|Inspector|Superintendent|Chief[ ]Inspector)",
        r"Insp\.?",
        r"INSP",
        r"Inspector",
        r"Sgt\.?",
        r"SGT",
        r"Sergeant",
        r"Supt\.?",
        r"SUPT",
        r"Superintendent",
        r"Constable",
    ]
    .join("|");
    let titles = r"Mr|Mrs|Ms|Miss|Mx|Dr|Revd|Rev|Sir|Dame|Lord|Lady|MR|MRS|MISS";
    let alts = [
        format!(
            r"(?P<email>{B}[A-Za-z0-9][A-Za-z0-9._%+'\-]*@[A-Za-z0-9][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]+)+{B})"
        ),
        format!(r"(?P<iban>{B}[A-Z]{{2}}\d{{2}}(?:[ ]?[A-Z0-9]){{11,30}}{B})"),
        format!(r"(?P<licence>{B}[A-Z][A-Z9]{{4}}\d{{6}}[A-Z][A-Z9]\d[A-Z0-9]{{2}}{B})"),
        format!(r"(?P<crosf>{B}SF\d{{2}}/\d{{1,6}}[A-Z]{B})"),
        format!(
            r"(?P<nino>{B}(?:[A-Z]{{2}}[ ]?\d{{2}}[ ]?\d{{2}}[ ]?\d{{2}}[ ]?[A-D]|[a-z]{{2}}\d{{6}}[a-d]){B})"
        ),
        format!(r"(?P<vrm>{B}[A-Z]{{2}}\d{{2}}[ ]?[A-Z]{{3}}{B})"),
        format!(r"(?P<postcode>{B}(?:[A-Z]{{1,2}}\d[A-Z0-9]?[ ]?\d[A-Z]{{2}}|GIR[ ]?0AA){B})"),
        format!(
            r"(?P<officer>{B}(?P<rank>{ranks})[ ](?:\d{{2,6}}(?:[A-Z]{{2}})?(?:[ ]{NW})?|(?:{INITIAL}){{0,2}}{NW}){B})"
        ),
        format!(
            r"(?P<person>{B}(?P<title>{titles})\.?[ ](?:{INITIAL}){{0,3}}{NW}(?:[ ]{NW}){{0,2}}{B})"
        ),
        format!(r"(?P<slash>{B}\d{{1,6}}/\d{{1,7}}[A-Z]{B})"),
        format!(r"(?P<ipv4>{B}\d{{1,3}}(?:\.\d{{1,3}}){{3}}{B})"),
        // No trailing boundary: a group may be empty ("2001:db8::"); checked in code.
        format!(r"(?P<ipv6>{B}[0-9A-Fa-f]{{1,4}}(?::[0-9A-Fa-f]{{0,4}}){{2,7}})"),
        format!(
            r"(?P<date>{B}(?:\d{{4}}[\-/]\d{{1,2}}[\-/]\d{{1,2}}|\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})|\d{{1,2}}{ORD}[ \-](?:of[ ])?{MONTH},?[ \-](?:\d{{4}}|\d{{2}})|{MONTH}[ ]\d{{1,2}}{ORD},?[ ]\d{{4}}){B})"
        ),
        // Digit runs of 6+ digits with single spaces or hyphens; phones may open with +44,
        // +44 (0) or a bracketed dialling code.
        format!(
            r"(?P<digits>(?:\+44[ \-]?(?:\(0\)[ \-]?)?|\(0\d{{2,5}}\)[ \-]?|{B})\d(?:[ \-]?\d){{5,30}}{B})"
        ),
    ];
    (alts.to_vec(), ranks)
}

// ---------------------------------------------------------------------------------------------
// Validation of candidates

/// What a column heading says about its cells.
#[derive(Debug, Default, Clone, Copy)]
struct HeadingFlags {
    dob: bool,
    vrm: bool,
    passport: bool,
    nhs: bool,
    card: bool,
}

/// A sheet's few headings come back with every cell of their columns: each is read once per
/// thread and then found again by an exact string compare, not by ~30 word searches a cell.
fn heading_flags(h: &str) -> HeadingFlags {
    const SLOTS: usize = 64;
    thread_local! {
        static HEADINGS: RefCell<Vec<(String, HeadingFlags)>> = const { RefCell::new(Vec::new()) };
    }
    let slot = h.bytes().fold(0xcbf2_9ce4_8422_2325u64, |acc, b| {
        (acc ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    }) as usize
        % SLOTS;
    HEADINGS.with_borrow_mut(|cache| {
        if cache.is_empty() {
            cache.resize(SLOTS, (String::from("\u{0}"), HeadingFlags::default()));
        }
        let entry = &mut cache[slot];
        if entry.0 != h {
            entry.0.clear();
            entry.0.push_str(h);
            entry.1 = read_heading(h);
        }
        entry.1
    })
}

fn read_heading(h: &str) -> HeadingFlags {
    let mut norm = String::with_capacity(h.len() + 2);
    norm.push(' ');
    for c in h.chars() {
        if c.is_ascii_alphanumeric() {
            norm.push(c.to_ascii_lowercase());
        } else if !norm.ends_with(' ') {
            norm.push(' ');
        }
    }
    if !norm.ends_with(' ') {
        norm.push(' ');
    }
    let has = |words: &[&str]| words.iter().any(|w| norm.contains(w));
    HeadingFlags {
        dob: has(&[
            " dob ",
            " d o b ",
            " born ",
            " birthdate ",
            " birthday ",
            " date of birth ",
            " birth date ",
            " dateofbirth ",
        ]),
        vrm: has(&[
            " reg ",
            " regno ",
            " vrm ",
            " vrn ",
            " vehicle ",
            " registration ",
            " index ",
            " plate ",
            " numberplate ",
        ]),
        passport: has(&[" passport ", " hmpo "]),
        nhs: has(&[" nhs ", " chi ", " nhsno ", " nhsnumber "]),
        card: has(&[
            " card ",
            " pan ",
            " cardnumber ",
            " visa ",
            " mastercard ",
            " amex ",
        ]),
    }
}

struct Scan<'t, 'o> {
    text: &'t str,
    bytes: &'t [u8],
    heading: Option<&'t str>,
    flags: Option<HeadingFlags>,
    /// Sort-code and account-number candidates, paired once the whole text is seen.
    sort_codes: Vec<(usize, usize)>,
    accounts: Vec<(usize, usize)>,
    /// End of what the current candidate used (reported, or recognised and not reported
    /// such as a freephone number or an account number awaiting its sort code).
    taken: usize,
    out: &'o mut Vec<Hit>,
}

/// Outcome of classifying one window of a digit run.
enum Class {
    /// Reported (or deliberately recognised and not reported, like freephone numbers):
    /// the window's digits are used up.
    Taken,
    Nothing,
}

impl Scan<'_, '_> {
    /// The single left-to-right pass. A candidate is usually used whole and the search goes
    /// on after it. When validation rejects it (or uses only its start), it may have
    /// swallowed neighbours: "AB123456C NHS 943 476 5919" is one IBAN-shaped candidate, and
    /// a rejected IBAN would otherwise lose both numbers. Then, and only then:
    /// - the kinds after the rejected one in `KINDS` order are tried anchored at the same
    ///   start (leftmost-first gave the position to the first kind that matched there, which
    ///   may be a longer shape that failed: here the NINO is under the IBAN);
    /// - if none is valid there, the search restarts at the next byte (the patterns start at
    ///   word boundaries, so effectively at the next word inside the failed span); after a
    ///   candidate used only in part, it restarts where the used part ends.
    ///
    /// Everything found still comes from the same patterns and validators, so no new shape
    /// is reported; neighbours are simply no longer hidden by a near-miss. Re-scanned bytes
    /// are charged to a budget proportional to the text ([`RESCAN_PER_BYTE`]), and very long
    /// failed candidates are not re-scanned ([`RESCAN_SPAN`]).
    fn all(&mut self, cache: &mut meta::Cache) {
        let len = self.text.len();
        let mut budget = len
            .saturating_mul(RESCAN_PER_BYTE)
            .saturating_add(RESCAN_SLACK);
        let mut at = 0;
        while at < len {
            let input = Input::new(self.text).range(at..);
            let Some(m) = MATCHER.re.search_with(cache, &input) else {
                break;
            };
            let (s, e, pid) = (m.start(), m.end(), m.pattern().as_usize());
            let taken = match self.used(pid, s, e) {
                Some(end) => Some(end),
                None => self.other_kinds_at(cache, pid, s),
            };
            at = match taken {
                Some(end) if end >= e => end,
                _ if e - s > RESCAN_SPAN => e,
                Some(end) if budget >= e - end => {
                    budget -= e - end;
                    end
                }
                None if budget >= e - s => {
                    budget -= e - s;
                    // Candidates start with an ASCII byte, so the next byte starts a char.
                    s + 1
                }
                _ => e,
            };
        }
    }

    /// Validates candidate `s..e` of pattern `pid`; the end of what it used, if anything.
    fn used(&mut self, pid: usize, s: usize, e: usize) -> Option<usize> {
        self.taken = 0;
        self.candidate(KINDS[pid].1, s, e);
        (self.taken > s).then_some(self.taken)
    }

    /// The kinds after `pid` that match at `s` (anchored), in priority order, until one is
    /// valid; the end of what it used.
    fn other_kinds_at(&mut self, cache: &mut meta::Cache, pid: usize, s: usize) -> Option<usize> {
        let first = self.bytes[s];
        for (j, &(_, kind)) in KINDS.iter().enumerate().skip(pid + 1) {
            if !kind.may_start_with(first) {
                continue;
            }
            let input = Input::new(self.text)
                .range(s..)
                .anchored(Anchored::Pattern(PatternID::must(j)));
            if let Some(m) = MATCHER.re.search_with(cache, &input)
                && let Some(end) = self.used(j, s, m.end())
            {
                return Some(end);
            }
        }
        None
    }

    /// Marks `..end` as used by the current candidate.
    fn take(&mut self, end: usize) {
        self.taken = self.taken.max(end);
    }

    fn flags(&mut self) -> HeadingFlags {
        if self.flags.is_none() {
            self.flags = Some(self.heading.map(heading_flags).unwrap_or_default());
        }
        self.flags.unwrap_or_default()
    }

    /// Whether one of `words` (whole words, ASCII case-insensitive) ends within `reach`
    /// bytes before `at`. Returns the end of the last one.
    fn word_before(&self, at: usize, reach: usize, words: &[&str]) -> Option<usize> {
        let from = at.saturating_sub(reach);
        words
            .iter()
            .filter_map(|w| last_word(self.bytes, from, at, w.as_bytes()))
            .max()
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        rule: &'static str,
        start: usize,
        end: usize,
        severity: Severity,
        strong: bool,
        label: &str,
        masked: String,
    ) {
        self.take(end);
        self.out.push(Hit {
            rule,
            start,
            end,
            severity,
            strong,
            label: label.to_string(),
            masked,
        });
    }

    fn candidate(&mut self, kind: Kind, s: usize, e: usize) {
        match kind {
            Kind::Email => self.email(s, e),
            Kind::Iban => self.iban(s, e),
            Kind::Licence => self.licence(s, e),
            Kind::CroSf => self.cro_sf(s, e),
            Kind::Nino => self.nino(s, e),
            Kind::Vrm => self.vrm(s, e),
            Kind::Postcode => self.postcode(s, e),
            Kind::Officer => {
                if let Some(m) = MATCHER.rank.find(&self.text[s..e]) {
                    self.officer(s, e, s + m.end() - 1);
                }
            }
            Kind::Person => {
                let cand = &self.text[s..e];
                let title_end = cand.find(['.', ' ']).unwrap_or(cand.len());
                self.person(s, e, s + title_end);
            }
            Kind::Slash => self.slash(s, e),
            Kind::Ipv4 => self.ipv4(s, e),
            Kind::Ipv6 => self.ipv6(s, e),
            Kind::Date => self.date(s, e),
            Kind::Digits => self.digits(s, e),
        }
    }

    fn email(&mut self, s: usize, e: usize) {
        let cand = &self.text[s..e];
        let Some((local, domain)) = cand.split_once('@') else {
            return;
        };
        let tld = domain.rsplit('.').next().unwrap_or("");
        if tld.len() < 2 || !tld.bytes().all(|b| b.is_ascii_alphabetic()) {
            return;
        }
        if is_role_mailbox(local) {
            return;
        }
        let first = local.chars().next().unwrap_or('*');
        self.push(
            rule::EMAIL,
            s,
            e,
            Severity::Medium,
            false,
            "personal email address",
            format!("{first}****@****.{tld}"),
        );
    }

    fn iban(&mut self, s: usize, e: usize) {
        let cand = &self.text[s..e];
        let country = &cand[..2];
        let Some(len) = iban_length(country) else {
            return;
        };
        // Cut after `len` characters; what follows must be a separate group (the pattern
        // may have taken a trailing word).
        let mut count = 0;
        let mut end = None;
        for (i, c) in cand.char_indices() {
            if c != ' ' {
                count += 1;
                if count == len {
                    end = Some(i + 1);
                    break;
                }
            }
        }
        let Some(cut) = end else {
            return;
        };
        if cut < cand.len() && cand.as_bytes()[cut] != b' ' {
            return;
        }
        let norm: String = cand[..cut].chars().filter(|&c| c != ' ').collect();
        if (country == "GB" || country == "IE") && !uk_ie_bban(&norm[4..]) {
            return;
        }
        if !iban_mod97(&norm) {
            return;
        }
        self.push(
            rule::IBAN,
            s,
            s + cut,
            Severity::High,
            true,
            "IBAN (valid check digits)",
            mask_alnum(&cand[..cut], 2, 2),
        );
    }

    fn licence(&mut self, s: usize, e: usize) {
        let cand = &self.text[s..e];
        if !licence_valid(cand.as_bytes()) {
            return;
        }
        self.push(
            rule::LICENCE,
            s,
            e,
            Severity::High,
            false,
            "GB driving licence number",
            mask_alnum(cand, 1, 0),
        );
    }

    fn cro_sf(&mut self, s: usize, e: usize) {
        let cand = &self.text[s..e];
        let b = cand.as_bytes();
        let Some(slash) = cand.find('/') else {
            return;
        };
        let yy = &cand[2..slash];
        let serial = &cand[slash + 1..cand.len() - 1];
        let letter = b[b.len() - 1];
        if serial.len() < 3 {
            return;
        }
        // "SF form uses the serial as written": YY followed by the serial's digits.
        let Ok(n) = format!("{yy}{serial}").parse::<u64>() else {
            return;
        };
        if mod23_letter(n) != letter {
            return;
        }
        let masked = format!("{}/{}*", &cand[..slash], "*".repeat(serial.len()));
        self.push(
            rule::CRO,
            s,
            e,
            Severity::High,
            true,
            "CRO number (valid check letter)",
            masked,
        );
    }

    fn nino(&mut self, s: usize, e: usize) {
        let cand = &self.text[s..e];
        let Some(norm) = Buf::<16>::compact_upper(cand) else {
            return;
        };
        let norm = norm.as_slice();
        if !nino_prefix_valid(norm[0], norm[1]) {
            return;
        }
        self.push(
            rule::NINO,
            s,
            e,
            Severity::High,
            true,
            "National Insurance number",
            mask_alnum(cand, 2, 1),
        );
    }

    fn vrm(&mut self, s: usize, e: usize) {
        let cand = &self.text[s..e];
        let Some(b) = Buf::<8>::compact_upper(cand) else {
            return;
        };
        let b = b.as_slice();
        // Memory tag: a DVLA region letter, then a letter other than I, Q or Z.
        if !b"ABCDEFGHKLMNOPRSVWY".contains(&b[0]) || b"IQZ".contains(&b[1]) {
            return;
        }
        if b[4..].iter().any(|c| b"IQ".contains(c)) {
            return;
        }
        let age = (b[2] - b'0') * 10 + (b[3] - b'0');
        if !matches!(age, 2..=29 | 51..=79) {
            return;
        }
        let by_heading = self.flags().vrm;
        if !by_heading
            && self
                .word_before(
                    s,
                    30,
                    &[
                        "reg",
                        "vrm",
                        "vrn",
                        "vehicle",
                        "registration",
                        "index",
                        "plate",
                    ],
                )
                .is_none()
        {
            return;
        }
        self.push(
            rule::VRM,
            s,
            e,
            Severity::Medium,
            false,
            "vehicle registration mark",
            mask_alnum(cand, 2, 0),
        );
    }

    fn postcode(&mut self, s: usize, e: usize) {
        let cand = &self.text[s..e];
        let Some(norm) = Buf::<8>::compact_upper(cand) else {
            return;
        };
        if !postcode_valid(norm.as_slice()) {
            return;
        }
        let masked = format!("{}***", &cand[..cand.len() - 3]);
        self.push(
            rule::POSTCODE,
            s,
            e,
            Severity::Medium,
            false,
            "UK postcode",
            masked,
        );
    }

    fn officer(&mut self, s: usize, e: usize, rank_end: usize) {
        let rest = &self.text[rank_end..e];
        let words: Vec<&str> = rest.split(' ').filter(|w| !w.is_empty()).collect();
        let Some(&first) = words.first() else {
            return;
        };
        let rank = &self.text[s..rank_end];
        let mut end = e;
        let label = if first.as_bytes()[0].is_ascii_digit() {
            // Collar number: 3+ digits, or 2+ digits with Met borough letters ("1234AB").
            let nd = first.bytes().take_while(u8::is_ascii_digit).count();
            if nd < 3 && nd == first.len() {
                return;
            }
            // "PC 2023 refresh", "DS 2010": after an abbreviation that is also a product or
            // a common acronym, a bare year is not taken as a collar number.
            let ambiguous = matches!(rank, "PC" | "PS" | "DC" | "DS" | "DI" | "SC");
            let year_like = nd == 4
                && first.len() == 4
                && (1980..=2039).contains(&first.parse::<u32>().unwrap_or(0));
            if ambiguous && year_like && words.get(1).is_none_or(|w| !surname_like(w)) {
                return;
            }
            match words.get(1) {
                Some(name) if is_stopword(name) || !surname_like(name) || opens_name(name) => {
                    end = rank_end + rest.find(first).unwrap_or(0) + first.len();
                    "officer reference (rank and collar number)"
                }
                Some(_) => "officer reference (rank, collar number and surname)",
                None => "officer reference (rank and collar number)",
            }
        } else {
            let surname = words[words.len() - 1];
            if is_stopword(surname) || !surname_like(surname) {
                return;
            }
            "officer reference (rank and surname)"
        };
        let masked = format!("{rank}{}", mask_words(&self.text[rank_end..end]));
        self.push(rule::OFFICER, s, end, Severity::High, false, label, masked);
    }

    fn person(&mut self, s: usize, e: usize, title_end: usize) {
        // Name words after the title (initials skipped). Trailing common words are dropped
        // ("Dr Patel Thank you" → "Dr Patel"); any other common word rejects the candidate
        // ("Mr Men", "Lord Mayor").
        // Another title or rank starts another name ("Mr John Smith Mr Jo Bloggs").
        let mut names: Vec<(&str, usize)> = Vec::new();
        let mut off = title_end;
        for w in self.text[title_end..e].split(' ') {
            let end = off + w.len();
            if opens_name(w) {
                break;
            }
            if !is_initials(w) {
                names.push((w, end));
            }
            off = end + 1;
        }
        while names
            .last()
            .is_some_and(|(w, _)| is_stopword(w) || !surname_like(w))
        {
            names.pop();
        }
        let Some(&(_, end)) = names.last() else {
            return;
        };
        if names
            .iter()
            .any(|(w, _)| is_stopword(w) || !surname_like(w))
        {
            return;
        }
        let title = &self.text[s..title_end];
        let masked = format!("{title}{}", mask_words(&self.text[title_end..end]));
        self.push(
            rule::PERSON,
            s,
            end,
            Severity::Medium,
            false,
            "person name with title",
            masked,
        );
    }

    fn slash(&mut self, s: usize, e: usize) {
        let cand = &self.text[s..e];
        let Some(slash) = cand.find('/') else {
            return;
        };
        let left = &cand[..slash];
        let right = &cand[slash + 1..cand.len() - 1];
        let letter = cand.as_bytes()[cand.len() - 1];
        // PNC: YY/NNNNNNNL (or YYYY/…); the serial zero-padded to 7 after the 2-digit year.
        let pnc_year = match left.len() {
            2 => Some(left),
            4 if left.starts_with("19") || left.starts_with("20") => Some(&left[2..]),
            _ => None,
        };
        if let Some(yy) = pnc_year
            && (4..=7).contains(&right.len())
        {
            let n = yy.parse::<u64>().unwrap_or(0) * 10_000_000 + right.parse::<u64>().unwrap_or(0);
            if mod23_letter(n) == letter {
                let masked = format!("{left}/{}", "*".repeat(right.len() + 1));
                self.push(
                    rule::PNC,
                    s,
                    e,
                    Severity::High,
                    true,
                    "PNC ID (valid check letter)",
                    masked,
                );
                return;
            }
        }
        // CRO: NNNNNN/YYL; the serial zero-padded to 6 after the year.
        if (3..=6).contains(&left.len()) && right.len() == 2 {
            let n =
                right.parse::<u64>().unwrap_or(0) * 1_000_000 + left.parse::<u64>().unwrap_or(0);
            if mod23_letter(n) == letter {
                let masked = format!("{}/{right}*", "*".repeat(left.len()));
                self.push(
                    rule::CRO,
                    s,
                    e,
                    Severity::High,
                    true,
                    "CRO number (valid check letter)",
                    masked,
                );
            }
        }
    }

    fn ipv4(&mut self, s: usize, e: usize) {
        let cand = &self.text[s..e];
        let b = self.bytes;
        // Part of a longer dotted sequence ("1.2.3.4.5", "10.0.19045.1"): a version or an
        // outline number.
        if (e + 1 < b.len() && b[e] == b'.' && b[e + 1].is_ascii_digit())
            || (s >= 2 && b[s - 1] == b'.' && b[s - 2].is_ascii_digit())
        {
            return;
        }
        let Ok(ip) = cand.parse::<Ipv4Addr>() else {
            return;
        };
        let o = ip.octets();
        if o[0] == 0 || o[0] == 255 || o.iter().all(|&x| x < 10) || ip.is_loopback() {
            return;
        }
        // "10.2.1.3 Approach" at the start of a line is an outline number: small numbers
        // and then a heading word. An octet of 100 or more is no section number, and a
        // token with digits after it ("81.2.69.160 AB123456C") is no heading.
        let line_start = b[..s]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1);
        if b[line_start..s].iter().all(u8::is_ascii_whitespace)
            && o.iter().all(|&x| x < 100)
            && b.get(e) == Some(&b' ')
            && b.get(e + 1).is_some_and(u8::is_ascii_uppercase)
            && b[e + 1..]
                .iter()
                .take_while(|c| !c.is_ascii_whitespace())
                .all(|c| c.is_ascii_alphabetic())
        {
            return;
        }
        if self.word_before(s, 24, IP_NOT_ADDRESS).is_some() {
            return;
        }
        self.push(
            rule::IP,
            s,
            e,
            Severity::Low,
            false,
            "IPv4 address",
            format!("{}.{}.*.*", o[0], o[1]),
        );
    }

    fn ipv6(&mut self, s: usize, e: usize) {
        let b = self.bytes;
        if e < b.len() && (b[e].is_ascii_alphanumeric() || b[e] == b'.' || b[e] == b':') {
            return;
        }
        if s > 0 && b[s - 1] == b':' {
            return;
        }
        let cand = &self.text[s..e];
        let Ok(ip) = cand.parse::<Ipv6Addr>() else {
            return;
        };
        if ip.is_unspecified() || ip.is_loopback() {
            return;
        }
        let head = cand.split(':').next().unwrap_or("");
        let mut masked = String::from(head);
        for group in cand[head.len()..].split(':').skip(1) {
            masked.push(':');
            if !group.is_empty() {
                masked.push('*');
            }
        }
        self.push(rule::IP, s, e, Severity::Low, false, "IPv6 address", masked);
    }

    fn date(&mut self, s: usize, e: usize) {
        let cand = &self.text[s..e];
        if self.dob_context(s) && parse_date(cand).is_some() {
            self.push(
                rule::DOB,
                s,
                e,
                Severity::High,
                false,
                "date of birth",
                mask_date(cand),
            );
            return;
        }
        // `12-34-56` is also the written form of a sort code.
        let b = cand.as_bytes();
        if b.len() == 8 && b[2] == b'-' && b[5] == b'-' {
            self.sort_codes.push((s, e));
            self.take(e);
        }
    }

    /// A date is a date of birth only under a DOB heading, or right after "DOB", "born",
    /// "date of birth"… with no number and no other event word in between.
    fn dob_context(&mut self, s: usize) -> bool {
        if self.flags().dob {
            return true;
        }
        // Every DOB word has a "b": most dates have none nearby and stop here.
        if memchr::memchr2(b'b', b'B', &self.bytes[s.saturating_sub(40)..s]).is_none() {
            return false;
        }
        let Some(mut kw_end) = self.word_before(s, 40, DOB_WORDS) else {
            return false;
        };
        if self.bytes.get(kw_end) == Some(&b'.') {
            kw_end += 1; // "D.O.B."
        }
        let gap = &self.bytes[kw_end..s];
        if gap
            .iter()
            .any(|&c| c.is_ascii_digit() || matches!(c, b';' | b'\n' | b'\r' | b'|' | b'\t'))
        {
            return false;
        }
        if gap.windows(2).any(|w| w == b". ") {
            return false;
        }
        !DOB_GAP_STOP
            .iter()
            .any(|w| last_word(self.bytes, kw_end, s, w.as_bytes()).is_some())
    }

    /// A run of digit groups: tries windows of consecutive groups (longest first from each
    /// start) as NHS number, card, phone, passport, account or sort code. A run that opens
    /// with "+44", "+44 (0)" or a bracketed dialling code ("(01603)") starts with a phone:
    /// the longest window of groups after that prefix which is a UK number; the groups after
    /// it are a plain run again ("+44 7700 900456 943 476 5919" is a phone and an NHS number).
    fn digits(&mut self, s: usize, e: usize) {
        let b = self.bytes;
        let plus = b[s] == b'+';
        let mut i = s;
        if plus {
            i += 3;
            // "+44 (0)20": the bracketed trunk zero is not dialled.
            if let Some(p) = self.text[i..e].find("(0)") {
                i += p + 3;
            }
        }
        // Groups of digits and the byte after each (the separator to the next group). The
        // pattern allows at most 31 digits, so at most 31 groups.
        let mut groups = [(0usize, 0usize); 32];
        let mut seps = [0u8; 32];
        let mut n = 0;
        while i < e {
            if !b[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let gs = i;
            while i < e && b[i].is_ascii_digit() {
                i += 1;
            }
            if n == groups.len() {
                return;
            }
            groups[n] = (gs, i);
            seps[n] = if i < e { b[i] } else { 0 };
            n += 1;
        }
        let mut i = 0;
        if plus || b[s] == b'(' {
            match self.prefixed_phone(s, &groups[..n], plus) {
                Some(next) => i = next,
                // An international number that is not a UK phone: nothing here.
                None if plus => return,
                // "(…)" that is not a dialling code: the groups after it are a plain run.
                None => i = 1,
            }
        }
        while i < n {
            let mut taken = false;
            for j in (i..n.min(i + 5)).rev() {
                if let Class::Taken = self.classify(&groups[i..=j], &seps[i..j]) {
                    i = j + 1;
                    taken = true;
                    break;
                }
            }
            if !taken {
                i += 1;
            }
        }
    }

    /// The phone at the start of a "+44…" or "(0…)" run: the longest window of up to five
    /// groups that is a UK number. The index of the first group after it, if any.
    fn prefixed_phone(&mut self, s: usize, groups: &[(usize, usize)], plus: bool) -> Option<usize> {
        let b = self.bytes;
        for j in (0..groups.len().min(5)).rev() {
            let mut digits = Buf::<40>::new();
            if plus {
                digits.push(b'0');
            }
            for &(gs, ge) in &groups[..=j] {
                for &c in &b[gs..ge] {
                    if !digits.push(c) {
                        return None;
                    }
                }
            }
            let digits = digits.as_slice();
            // "+44 0…": the trunk zero is never dialled after the country code.
            if plus && digits.get(1) == Some(&b'0') {
                return None;
            }
            let end = groups[j].1;
            match phone_kind(digits) {
                Some(true) => {
                    let cand = &self.text[s..end];
                    self.push(
                        rule::PHONE,
                        s,
                        end,
                        Severity::Medium,
                        false,
                        "UK phone number",
                        mask_phone(cand),
                    );
                    return Some(j + 1);
                }
                Some(false) => {
                    self.take(end);
                    return Some(j + 1);
                }
                None => {}
            }
        }
        None
    }

    fn classify(&mut self, groups: &[(usize, usize)], seps: &[u8]) -> Class {
        let b = self.bytes;
        let (s, e) = (groups[0].0, groups[groups.len() - 1].1);
        let mut lens = [0usize; 8];
        let lens = &mut lens[..groups.len()];
        for (l, &(gs, ge)) in lens.iter_mut().zip(groups) {
            *l = ge - gs;
        }
        let lens = &*lens;
        let n: usize = lens.iter().sum();
        // Only these lengths can be anything: sort code 6, account 8, passport 9, NHS and
        // phone 10-11, cards 13-19 (and 0044 phones, 14).
        if !matches!(n, 6 | 8..=11 | 13..=19) {
            return Class::Nothing;
        }
        let mut digits = [0u8; 40];
        let mut n = 0;
        for &(gs, ge) in groups {
            for &c in &b[gs..ge] {
                if n == digits.len() {
                    return Class::Nothing;
                }
                digits[n] = c;
                n += 1;
            }
        }
        let d = &digits[..n];
        let uniform = seps.windows(2).all(|w| w[0] == w[1]);
        let cand = &self.text[s..e];

        // NHS number: 3-3-4 or 10 digits, mod 11.
        if n == 10
            && uniform
            && (lens == [10] || lens == [3, 3, 4])
            && nhs_valid(d)
            && !is_placeholder(d)
        {
            // Ten digits run together are one in eleven of all ten-digit numbers (IDs,
            // serials, sums in real-world sheets): they count only with NHS/CHI context. The
            // spaced 3-3-4 form is distinctive enough on its own.
            let contiguous = lens.len() == 1;
            let blocked = contiguous
                && !self.flags().nhs
                && (self.word_before(s, 24, NHS_NOT).is_some()
                    || self.word_before(s, 24, &["nhs", "chi"]).is_none());
            if !blocked {
                self.push(
                    rule::NHS,
                    s,
                    e,
                    Severity::High,
                    true,
                    "NHS number (valid check digit)",
                    mask_alnum(cand, 0, 2),
                );
                return Class::Taken;
            }
        }
        // Payment card: 13–19 digits in 4s (Amex 4-6-5, Diners 4-6-4) or contiguous, Luhn
        // and a known issuer prefix.
        if (13..=19).contains(&n) && uniform {
            let fours = lens[..lens.len() - 1].iter().all(|&l| l == 4)
                && (1..=4).contains(&lens[lens.len() - 1]);
            let shape = lens.len() == 1 || fours || lens == [4, 6, 5] || lens == [4, 6, 4];
            // A run of digits with no separators is a number in a cell far more often than a
            // card (a tenth of all numbers pass Luhn): it needs card context to count.
            let context = lens.len() > 1
                || self.flags().card
                || self
                    .word_before(
                        s,
                        30,
                        &["card", "visa", "mastercard", "amex", "maestro", "pan"],
                    )
                    .is_some();
            if shape
                && context
                && luhn_valid(d)
                && !is_placeholder(d)
                && let Some(scheme) = card_scheme(d)
            {
                let label = format!("payment card number (Luhn-valid, {scheme})");
                let masked = mask_alnum(cand, 0, 4);
                self.push(rule::CARD, s, e, Severity::High, true, &label, masked);
                return Class::Taken;
            }
        }
        // Phone: national format with a sensible first group.
        if d[0] == b'0' && lens.len() <= 4 && (lens.len() == 1 || (3..=6).contains(&lens[0])) {
            let mut national = [0u8; 40];
            let phone_digits: &[u8] = if d.starts_with(b"0044") {
                national[0] = b'0';
                national[1..n - 3].copy_from_slice(&d[4..]);
                &national[..n - 3]
            } else {
                d
            };
            if lens.iter().all(|&l| l >= 2) {
                match phone_kind(phone_digits) {
                    Some(true) => {
                        self.push(
                            rule::PHONE,
                            s,
                            e,
                            Severity::Medium,
                            false,
                            "UK phone number",
                            mask_phone(cand),
                        );
                        return Class::Taken;
                    }
                    Some(false) => {
                        self.take(e);
                        return Class::Taken;
                    }
                    None => {}
                }
            }
        }
        // Passport: 9 digits, only with passport context.
        if n == 9
            && lens.len() == 1
            && (self.flags().passport || self.word_before(s, 30, &["passport", "hmpo"]).is_some())
        {
            self.push(
                rule::PASSPORT,
                s,
                e,
                Severity::High,
                false,
                "passport number",
                mask_alnum(cand, 0, 2),
            );
            return Class::Taken;
        }
        // Account number: 8 digits; reported only with a sort code in the same text.
        if n == 8 && lens.len() == 1 {
            self.accounts.push((s, e));
            self.take(e);
            return Class::Taken;
        }
        // Sort code: 12-34-56 / 12 34 56, or 123456 right after "sort code".
        if n == 6
            && ((lens == [2, 2, 2] && uniform)
                || (lens.len() == 1 && self.word_before(s, 24, &["sort", "sc"]).is_some()))
        {
            self.sort_codes.push((s, e));
            self.take(e);
            return Class::Taken;
        }
        Class::Nothing
    }

    /// "Sort code 12-34-56, account 12345678": one hit per account number that has a sort
    /// code within 160 bytes, spanning both.
    fn pair_bank_accounts(&mut self) {
        if self.sort_codes.is_empty() || self.accounts.is_empty() {
            return;
        }
        let accounts = std::mem::take(&mut self.accounts);
        for (as_, ae) in accounts {
            let nearest = self
                .sort_codes
                .iter()
                .map(|&(ss, se)| {
                    let gap = if se <= as_ {
                        as_ - se
                    } else {
                        ss.saturating_sub(ae)
                    };
                    (gap, ss, se)
                })
                .min();
            let Some((gap, ss, se)) = nearest else {
                continue;
            };
            if gap > 160 || (ss < ae && as_ < se) {
                continue;
            }
            let masked = format!("**-**-** {}", mask_alnum(&self.text[as_..ae], 0, 2));
            self.push(
                rule::BANK,
                ss.min(as_),
                se.max(ae),
                Severity::High,
                false,
                "sort code with account number",
                masked,
            );
        }
    }
}

/// Fixed-capacity byte buffer: candidates are short, and `find` runs on every cell, so
/// validation allocates nothing until it reports a hit.
struct Buf<const N: usize> {
    b: [u8; N],
    n: usize,
}

impl<const N: usize> Buf<N> {
    fn new() -> Self {
        Buf { b: [0; N], n: 0 }
    }

    /// Bytes of `s` except spaces, upper-cased; `None` if they do not fit.
    fn compact_upper(s: &str) -> Option<Self> {
        let mut buf = Self::new();
        for c in s.bytes().filter(|&c| c != b' ') {
            if !buf.push(c.to_ascii_uppercase()) {
                return None;
            }
        }
        Some(buf)
    }

    fn push(&mut self, c: u8) -> bool {
        if self.n == N {
            return false;
        }
        self.b[self.n] = c;
        self.n += 1;
        true
    }

    fn as_slice(&self) -> &[u8] {
        &self.b[..self.n]
    }
}

// ---------------------------------------------------------------------------------------------
// Check digits and format rules

/// NHS (and Scottish CHI) mod 11: digits 1–9 weighted 10…2; check = 11 − (sum mod 11),
/// 11 → 0, 10 → never issued.
pub fn nhs_valid(d: &[u8]) -> bool {
    if d.len() != 10 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = d[..9]
        .iter()
        .enumerate()
        .map(|(i, &c)| (c - b'0') as u32 * (10 - i as u32))
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == (d[9] - b'0') as u32
}

/// Luhn check over ASCII digits.
pub fn luhn_valid(d: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &c) in d.iter().rev().enumerate() {
        let mut x = (c - b'0') as u32;
        if i % 2 == 1 {
            x *= 2;
            if x > 9 {
                x -= 9;
            }
        }
        sum += x;
    }
    sum.is_multiple_of(10)
}

/// Card scheme from the issuer prefix and length, or `None` for an unknown prefix.
fn card_scheme(d: &[u8]) -> Option<&'static str> {
    let n = d.len();
    let p = |k: usize| -> u32 {
        d[..k]
            .iter()
            .fold(0, |acc, &c| acc * 10 + (c - b'0') as u32)
    };
    if d[0] == b'4' && matches!(n, 13 | 16 | 19) {
        return Some("Visa");
    }
    if n == 16 && ((51..=55).contains(&p(2)) || (2221..=2720).contains(&p(4))) {
        return Some("Mastercard");
    }
    if n == 15 && matches!(p(2), 34 | 37) {
        return Some("American Express");
    }
    if (16..=19).contains(&n) && (p(4) == 6011 || p(2) == 65 || (644..=649).contains(&p(3))) {
        return Some("Discover");
    }
    if (16..=19).contains(&n) && (3528..=3589).contains(&p(4)) {
        return Some("JCB");
    }
    if (14..=19).contains(&n) && ((300..=305).contains(&p(3)) || matches!(p(2), 36 | 38 | 39)) {
        return Some("Diners Club");
    }
    if (16..=19).contains(&n) && p(2) == 62 {
        return Some("UnionPay");
    }
    if (13..=19).contains(&n) && (p(2) == 50 || (56..=69).contains(&p(2))) {
        return Some("Maestro");
    }
    None
}

/// Repeated digits and the 0123456789 run: placeholders, never issued.
fn is_placeholder(d: &[u8]) -> bool {
    d.iter().all(|&c| c == d[0]) || d.windows(2).all(|w| w[1] == w[0] + 1)
}

/// Check letter table for PNC and CRO numbers (mod 23).
const MOD23: &[u8; 23] = b"ZABCDEFGHJKLMNPQRTUVWXY";

pub fn mod23_letter(n: u64) -> u8 {
    MOD23[(n % 23) as usize]
}

/// ISO 13616 mod 97 over a normalised IBAN (no spaces, upper case).
pub fn iban_mod97(iban: &str) -> bool {
    if iban.len() < 5 || !iban.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let (head, rest) = iban.split_at(4);
    let mut r: u32 = 0;
    for c in rest.bytes().chain(head.bytes()) {
        if c.is_ascii_digit() {
            r = (r * 10 + (c - b'0') as u32) % 97;
        } else {
            let v = (c.to_ascii_uppercase() - b'A') as u32 + 10;
            r = (r * 100 + v) % 97;
        }
    }
    r == 1
}

/// GB and IE BBAN: 4-letter bank code, then 14 digits (sort code and account).
fn uk_ie_bban(bban: &str) -> bool {
    let b = bban.as_bytes();
    b.len() == 18
        && b[..4].iter().all(u8::is_ascii_uppercase)
        && b[4..].iter().all(u8::is_ascii_digit)
}

/// IBAN length per country of the ISO 13616 registry (the common ones). A country not in
/// the table is not an IBAN country: such strings are not reported.
fn iban_length(country: &str) -> Option<usize> {
    Some(match country {
        "NO" => 15,
        "BE" => 16,
        "DK" | "FI" | "FO" | "GL" | "NL" => 18,
        "MK" | "SI" => 19,
        "AT" | "BA" | "EE" | "KZ" | "LT" | "LU" | "XK" => 20,
        "CH" | "HR" | "LI" | "LV" => 21,
        "BG" | "BH" | "CR" | "DE" | "GB" | "GE" | "IE" | "ME" | "RS" | "VA" => 22,
        "AE" | "GI" | "IL" | "IQ" | "TL" => 23,
        "AD" | "CZ" | "ES" | "MD" | "PK" | "RO" | "SA" | "SE" | "SK" | "TN" | "VG" => 24,
        "PT" | "ST" => 25,
        "IS" | "TR" => 26,
        "FR" | "GR" | "IT" | "MC" | "MR" | "SM" => 27,
        "AL" | "AZ" | "BY" | "CY" | "DO" | "GT" | "HU" | "LB" | "PL" | "SV" => 28,
        "BR" | "EG" | "PS" | "QA" | "UA" => 29,
        "JO" | "KW" | "MU" => 30,
        "MT" | "SC" => 31,
        "LC" => 32,
        _ => return None,
    })
}

/// NINO prefix rules: first letter never D F I Q U V; second never D F I O Q U V; BG GB KN
/// NK NT TN ZZ never issued.
pub fn nino_prefix_valid(a: u8, b: u8) -> bool {
    let a = a.to_ascii_uppercase();
    let b = b.to_ascii_uppercase();
    if b"DFIQUV".contains(&a) || b"DFIOQUV".contains(&b) {
        return false;
    }
    !matches!(
        &[a, b],
        b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ"
    )
}

/// Postcode areas (the letters before the district digit).
#[rustfmt::skip]
const POSTCODE_AREAS: &[&str] = &[
    "AB", "AL", "B", "BA", "BB", "BD", "BF", "BH", "BL", "BN", "BR", "BS", "BT", "BX", "CA",
    "CB", "CF", "CH", "CM", "CO", "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL",
    "DN", "DT", "DY", "E", "EC", "EH", "EN", "EX", "FK", "FY", "G", "GL", "GU", "GY", "HA",
    "HD", "HG", "HP", "HR", "HS", "HU", "HX", "IG", "IM", "IP", "IV", "JE", "KA", "KT", "KW",
    "KY", "L", "LA", "LD", "LE", "LL", "LN", "LS", "LU", "M", "ME", "MK", "ML", "N", "NE", "NG",
    "NN", "NP", "NR", "NW", "OL", "OX", "PA", "PE", "PH", "PL", "PO", "PR", "RG", "RH", "RM",
    "S", "SA", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW", "SY",
    "TA", "TD", "TF", "TN", "TQ", "TR", "TS", "TW", "UB", "W", "WA", "WC", "WD", "WF", "WN",
    "WR", "WS", "WV", "YO", "ZE",
];

/// Full postcode (no spaces, upper case) with the position rules and a real postcode area.
pub fn postcode_valid(p: &[u8]) -> bool {
    if p == b"GIR0AA" {
        return true;
    }
    if !(5..=7).contains(&p.len()) {
        return false;
    }
    let (out, inward) = p.split_at(p.len() - 3);
    if !inward[0].is_ascii_digit()
        || !inward[1..]
            .iter()
            .all(|c| c.is_ascii_uppercase() && !b"CIKMOV".contains(c))
    {
        return false;
    }
    let letter = |c: u8| c.is_ascii_uppercase();
    let digit = |c: u8| c.is_ascii_digit();
    let first_ok = |c: u8| letter(c) && !b"QVX".contains(&c);
    let second_ok = |c: u8| letter(c) && !b"IJZ".contains(&c);
    let area_len = match *out {
        [a, d] if first_ok(a) && digit(d) => 1,
        [a, d, e] if first_ok(a) && digit(d) && digit(e) => 1,
        [a, d, x] if first_ok(a) && digit(d) && b"ABCDEFGHJKSTUW".contains(&x) => 1,
        [a, b, d] if first_ok(a) && second_ok(b) && digit(d) => 2,
        [a, b, d, e] if first_ok(a) && second_ok(b) && digit(d) && digit(e) => 2,
        [a, b, d, x] if first_ok(a) && second_ok(b) && digit(d) && b"ABEHMNPRVWXY".contains(&x) => {
            2
        }
        _ => return false,
    };
    let area = std::str::from_utf8(&out[..area_len]).unwrap_or("");
    POSTCODE_AREAS.binary_search(&area).is_ok()
}

/// UK phone number from its national digits (leading 0): `Some(true)` reportable,
/// `Some(false)` a valid freephone number (0800/0808: always an organisation's helpline, not
/// reported), `None` not a UK number.
pub fn phone_kind(d: &[u8]) -> Option<bool> {
    if d.len() < 10 || d[0] != b'0' {
        return None;
    }
    match (d.len(), d[1]) {
        (11, b'1') if d[2] != b'0' => Some(true),
        (10, b'1') if d[2] != b'0' => Some(true),
        (11, b'2') if d[3] >= b'2' => Some(true),
        (11, b'3') if matches!(d[2], b'0' | b'3' | b'4' | b'7') => Some(true),
        (11, b'7') => Some(true),
        (10 | 11, b'8') if d.starts_with(b"0800") || (d.len() == 11 && d.starts_with(b"0808")) => {
            Some(false)
        }
        (11, b'8') if matches!(d[2], b'4' | b'7') => Some(true),
        _ => None,
    }
}

/// GB driving licence number: surname letters padded with 9s, decade, month (+50 for
/// women), day, year digit, initials (9-padded), a digit, two check characters. The check
/// characters are not public, so the date parts carry the validation.
pub fn licence_valid(b: &[u8]) -> bool {
    if b.len() != 16 {
        return false;
    }
    let surname = &b[..5];
    let nines = surname.iter().position(|&c| c == b'9').unwrap_or(5);
    if nines == 0 || surname[nines..].iter().any(|&c| c != b'9') {
        return false;
    }
    let num = |i: usize| ((b[i] - b'0') * 10 + (b[i + 1] - b'0')) as u32;
    let month = match num(6) {
        m @ 1..=12 => m,
        m @ 51..=62 => m - 50,
        _ => return false,
    };
    let day = num(8);
    day >= 1 && day <= days_in_month(month, None)
}

fn days_in_month(month: u32, year: Option<u32>) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        _ => 0,
    }
}

/// (day, month, year) of a date in a common UK form: 12/03/1984, 12.03.84, 1984-03-12,
/// 12 March 1984, 12th of March 1984, 12-Mar-84, March 12, 1984. Two-digit years are
/// accepted as written (no century guess).
fn parse_date(s: &str) -> Option<(u32, u32, u32)> {
    let mut nums: [(u32, usize); 3] = [(0, 0); 3];
    let mut count = 0;
    let mut month_word = None;
    for tok in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        if tok.is_empty() {
            continue;
        }
        let digits = tok.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            if count == 3 {
                return None;
            }
            nums[count] = (tok[..digits].parse().ok()?, digits);
            count += 1;
        } else if let Some(m) = month_from(tok) {
            month_word = Some(m);
        }
    }
    let (d, m, y, ylen) = match (month_word, count) {
        (Some(m), 2) => (nums[0].0, m, nums[1].0, nums[1].1),
        (None, 3) if nums[0].1 == 4 => (nums[2].0, nums[1].0, nums[0].0, 4),
        (None, 3) => {
            let (a, b, y) = (nums[0].0, nums[1].0, nums[2]);
            if (1..=12).contains(&b) {
                (a, b, y.0, y.1)
            } else {
                (b, a, y.0, y.1)
            }
        }
        _ => return None,
    };
    if ylen == 4 && !(1880..=2099).contains(&y) {
        return None;
    }
    let year = (ylen == 4).then_some(y);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(m, year) {
        return None;
    }
    Some((d, m, y))
}

fn month_from(tok: &str) -> Option<u32> {
    if tok.len() < 3 {
        return None;
    }
    let t = tok.to_ascii_lowercase();
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    MONTHS
        .iter()
        .position(|m| t.starts_with(m))
        .map(|i| i as u32 + 1)
}

// ---------------------------------------------------------------------------------------------
// Words

/// End (exclusive) of the last whole-word, ASCII case-insensitive occurrence of `word`
/// inside `b[from..to]`. Word boundaries look outside the range, so a window that starts
/// inside "stubborn" does not find "born".
fn last_word(b: &[u8], from: usize, to: usize, word: &[u8]) -> Option<usize> {
    if word.len() > to.saturating_sub(from) {
        return None;
    }
    let first = word[0].to_ascii_lowercase();
    (from..=to - word.len()).rev().find_map(|i| {
        if b[i].to_ascii_lowercase() != first {
            return None;
        }
        let end = i + word.len();
        let fits = b[i..end].eq_ignore_ascii_case(word)
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && (end == b.len() || !b[end].is_ascii_alphanumeric());
        fits.then_some(end)
    })
}

const DOB_WORDS: &[&str] = &[
    "date of birth",
    "birth date",
    "birthdate",
    "birthday",
    "d.o.b",
    "dob",
    "born",
];

/// Words between a DOB keyword and a date that mean the date is about something else.
#[rustfmt::skip]
const DOB_GAP_STOP: &[&str] = &[
    "published", "extracted", "extract", "report", "reported", "incident", "dated", "date",
    "issued", "arrest", "arrested", "offence", "death", "died", "created", "modified",
    "printed", "updated", "received", "recorded", "occurred", "released", "submitted",
];

/// Words just before a contiguous 10-digit number that make it a reference, not an NHS
/// number (a random 10-digit reference passes mod 11 one time in eleven).
#[rustfmt::skip]
const NHS_NOT: &[&str] = &[
    "order", "invoice", "inv", "batch", "sku", "part", "product", "serial", "ref", "reference",
    "job", "ticket", "item", "case", "crime", "incident", "urn", "tel", "telephone", "phone",
    "mobile", "fax", "account", "acct", "isbn", "barcode", "po",
];

/// Words before a dotted quad that make it a version or an outline number.
#[rustfmt::skip]
const IP_NOT_ADDRESS: &[&str] = &[
    "version", "ver", "v", "build", "release", "firmware", "revision", "rev", "update", "patch",
    "driver", "section", "para", "paragraph", "clause", "chapter", "appendix", "annex",
    "schedule", "table", "figure", "fig", "item", "rule", "regulation", "step", "point", "part",
    "mask", "subnet", "netmask", "gateway",
];

/// Local-part tokens of role and department mailboxes. A local part holding any of them
/// (`press.office`, `foi-requests`) is not personal.
#[rustfmt::skip]
const ROLE_TOKENS: &[&str] = &[
    "foi", "foia", "foirequests", "info", "information", "enquiries", "enquiry", "inquiries",
    "inquiry", "press", "pressoffice", "media", "news", "freedomofinformation", "freedom",
    "dataprotection", "dpo", "data", "privacy", "noreply", "donotreply", "reply", "admin",
    "administrator", "administration", "contact", "contactus", "hr", "humanresources",
    "recruitment", "careers", "office", "team", "dept", "department", "unit", "service",
    "services", "support", "help", "helpdesk", "servicedesk", "desk", "it", "ict", "sales",
    "accounts", "finance", "payroll", "billing", "invoices", "procurement", "reception", "mail",
    "email", "webmaster", "postmaster", "hostmaster", "abuse", "security", "customer",
    "customers", "customerservice", "customerservices", "complaints", "complaint", "feedback",
    "records", "disclosure", "disclosures", "communications", "comms", "general", "hello",
    "legal", "compliance", "governance", "corporate", "licensing", "planning", "housing",
    "council", "police", "control", "switchboard", "secretariat", "requests", "request",
    "operations", "marketing", "events", "newsletter", "notifications", "alerts", "system",
    "enquiry", "foiteam", "dataprotectionofficer", "informationrights", "rights",
];

/// Role suffixes for run-together local parts ("planningenquiries", "hrteam").
#[rustfmt::skip]
const ROLE_SUFFIXES: &[&str] = &[
    "enquiries", "enquiry", "team", "office", "unit", "desk", "services", "requests", "support",
    "admin", "info", "dept",
];

/// Role prefixes for run-together local parts ("foirequests", "noreply2").
#[rustfmt::skip]
const ROLE_PREFIXES: &[&str] = &[
    "foi", "enquir", "info", "noreply", "donotreply", "dataprotection", "freedomofinfo",
    "customer", "press", "media",
];

fn is_role_mailbox(local: &str) -> bool {
    // Local parts are at most 64 bytes (RFC 5321); a longer one is reported, not guessed at.
    let mut lower = Buf::<64>::new();
    let mut joined = Buf::<64>::new();
    for c in local.bytes() {
        let c = c.to_ascii_lowercase();
        if !lower.push(c) {
            return false;
        }
        if c.is_ascii_alphanumeric() {
            joined.push(c);
        }
    }
    fn token(t: &[u8]) -> &str {
        let t = std::str::from_utf8(t).unwrap_or("");
        t.trim_end_matches(|c: char| c.is_ascii_digit())
    }
    if ROLE_SET.contains(token(joined.as_slice())) {
        return true;
    }
    lower
        .as_slice()
        .split(|c| matches!(c, b'.' | b'_' | b'-' | b'+'))
        .map(token)
        .filter(|t| !t.is_empty())
        .any(|t| {
            ROLE_SET.contains(t)
                || (t.len() > 4
                    && (ROLE_SUFFIXES.iter().any(|s| t.ends_with(s))
                        || ROLE_PREFIXES.iter().any(|p| t.starts_with(p))))
        })
}

static ROLE_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| ROLE_TOKENS.iter().copied().collect());

static STOP_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| STOPWORDS.iter().copied().collect());

/// A word that can be a surname after a rank or title: Capitalised, or upper case of three
/// letters or more (data written in capitals).
fn surname_like(w: &str) -> bool {
    let b = w.as_bytes();
    if b.len() < 2 || !b[0].is_ascii_uppercase() {
        return false;
    }
    let letters: Vec<u8> = b.iter().copied().filter(u8::is_ascii_alphabetic).collect();
    let all_caps = letters.iter().all(u8::is_ascii_uppercase);
    if all_caps {
        return letters.len() >= 3;
    }
    true
}

/// A title or rank abbreviation that opens a name and is never a surname itself: the name
/// before it ends there ("PC 1234 Mr John Smith" is an officer and a person).
fn opens_name(w: &str) -> bool {
    matches!(
        w.trim_end_matches('.'),
        "Mr" | "Mrs"
            | "Ms"
            | "Miss"
            | "Mx"
            | "Dr"
            | "Rev"
            | "Revd"
            | "Insp"
            | "Sgt"
            | "Supt"
            | "DSupt"
            | "Det"
    )
}

/// "J", "J.", "A.B." or an empty token: initials, kept as written.
fn is_initials(w: &str) -> bool {
    w.split('.').all(|p| p.len() <= 1)
}

fn is_stopword(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    let mut buf = Buf::<24>::new();
    for c in w.bytes() {
        if !buf.push(c.to_ascii_lowercase()) {
            return false; // no stopword is that long
        }
    }
    std::str::from_utf8(buf.as_slice()).is_ok_and(|k| STOP_SET.contains(k))
}

/// Capitalised words that follow a title or a rank without being a name: sentence words,
/// organisations, products ("PC World", "DC Comics", "Mr Men", "Lord Mayor", "SC Cleared").
#[rustfmt::skip]
const STOPWORDS: &[&str] = &[
    // sentence and letter words
    "the", "this", "that", "these", "those", "thank", "thanks", "please", "dear", "we", "our",
    "you", "your", "it", "its", "if", "in", "on", "at", "for", "from", "to", "and", "but", "or",
    "not", "no", "yes", "all", "any", "as", "is", "was", "are", "be", "has", "have", "had",
    "will", "would", "can", "could", "may", "might", "should", "must", "also", "only", "note",
    "re", "ref", "with", "by", "of", "an", "he", "she", "they", "his", "her", "their", "who",
    "what", "when", "where", "which", "how", "why", "there", "here", "then", "so", "regards",
    "sincerely", "faithfully", "kind", "best", "madam", "sir", "sirs", "or", "hi", "hello",
    // organisations and places
    "team", "office", "offices", "department", "dept", "council", "services", "service",
    "planning", "housing", "support", "centre", "center", "building", "house", "street", "road",
    "lane", "avenue", "area", "unit", "division", "group", "police", "constabulary", "force",
    "station", "court", "county", "district", "city", "borough", "national", "limited", "ltd",
    "plc", "inc", "company", "committee", "board", "panel", "meeting", "report", "reports",
    "data", "information", "system", "systems", "network", "networks", "policy", "procedure",
    "training", "course", "review", "total", "number", "numbers", "list", "table", "figure",
    "section", "part", "page", "appendix", "annex", "schedule", "act", "request", "response",
    "freedom", "officer", "officers", "staff", "rank", "ranks", "grade", "role", "post",
    "vacancy", "vacant", "tbc", "tba", "n/a", "na", "none", "unknown", "other", "others",
    "various", "redacted", "withheld", "exempt", "staffordshire", "norfolk",
    // titles and offices
    "mayor", "mayoress", "lieutenant", "chancellor", "chief", "justice", "advocate", "provost",
    "speaker", "president", "bishop", "chairman", "chair", "general", "major", "chapel", "day",
    "lords", "commons", "constable", "sergeant", "inspector", "superintendent", "commissioner",
    // products, brands and fiction
    "men", "kipling", "muscle", "motivator", "blobby", "whippy", "saigon", "world", "universe",
    "martens", "who", "comics", "comic", "gamer", "games", "game", "pro", "plus", "lite",
    "vita", "magazine", "mag", "format", "power", "current", "motor", "supply", "water",
    "cleared", "clearance", "vetting", "vetted", "check", "desktop", "laptop", "monitor",
    "screen", "software", "hardware", "extended", "cinematic", "direct", "calls", "gadget",
    "excel", "word", "outlook", "powerpoint", "teams", "access", "intelligence", "usb", "cpu", "ram", "lan", "app", "apps", "tv", "dvd", "pdf", "uk", "gb", "eu", "usa",
    "nhs", "foi", "gdpr", "ict", "hr",
    // field labels that introduce the next value ("Mr John Smith DOB 12/03/1984")
    "dob", "born", "birth", "date", "vehicle", "registration", "vrm", "passport", "licence",
    "license", "sort", "account", "iban", "card", "nino", "pnc", "cro", "tel", "telephone",
    "mobile", "phone", "email", "postcode", "address",
    // days and months
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december",
];

// ---------------------------------------------------------------------------------------------
// Masking

/// ASCII alphanumerics → `*`, except the first `head` and last `tail`; separators stay.
pub(crate) fn mask_alnum(s: &str, head: usize, tail: usize) -> String {
    let total = s.chars().filter(char::is_ascii_alphanumeric).count();
    let mut i = 0;
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                i += 1;
                if i <= head || i > total.saturating_sub(tail) {
                    c
                } else {
                    '*'
                }
            } else {
                c
            }
        })
        .collect()
}

/// Name words as first letter + four stars; initials kept; numbers and Met letters masked.
fn mask_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, w) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if is_initials(w) {
            out.push_str(w);
        } else if w.as_bytes()[0].is_ascii_digit() {
            out.extend(w.chars().map(|_| '*'));
        } else {
            out.extend(w.chars().next());
            out.push_str("****");
        }
    }
    out
}

/// Keeps the dialling code (first group, or the first five digits of a run-together number;
/// `+44` and the next group), masks the rest.
fn mask_phone(s: &str) -> String {
    let b = s.as_bytes();
    let mut p = 0;
    if s.starts_with("+44") {
        p = 3;
        while p < b.len() && !b[p].is_ascii_digit() && b[p] != b'(' {
            p += 1;
        }
        if s[p..].starts_with("(0)") {
            p += 3;
            while p < b.len() && !b[p].is_ascii_digit() {
                p += 1;
            }
        }
    }
    let group_end = s[p..]
        .find(|c: char| !(c.is_ascii_digit() || c == '(' || c == ')'))
        .map(|i| p + i)
        .unwrap_or(b.len());
    let keep_until = if group_end == b.len() {
        // Run-together: keep a dialling-code-sized prefix.
        let want = if p == 0 { 5 } else { 4 };
        let mut seen = 0;
        let mut k = p;
        while k < b.len() && seen < want {
            if b[k].is_ascii_digit() {
                seen += 1;
            }
            k += 1;
        }
        k
    } else {
        group_end
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..keep_until]);
    out.extend(
        s[keep_until..]
            .chars()
            .map(|c| if c.is_ascii_digit() { '*' } else { c }),
    );
    out
}

/// Digits → `*`, month names → `***`: nothing of the date survives, not even the year.
pub(crate) fn mask_date(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_word = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            out.push('*');
            in_word = false;
        } else if c.is_ascii_alphabetic() {
            if !in_word {
                out.push_str("***");
            }
            in_word = true;
        } else {
            out.push(c);
            in_word = false;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Examples (made-up data; check-digit vectors from IDENTIFIERS.md or computed with the
// published algorithms)

/// `(rule, column heading, text, should fire)`. Every example runs through `find`; a
/// negative must not fire its rule nor any other rule at High.
#[cfg(test)]
const EXAMPLES: &[(&str, Option<&str>, &str, bool)] = &[
    // National Insurance numbers
    (rule::NINO, None, "NI number AB 12 34 56 C", true),
    (rule::NINO, None, "AB123456C", true),
    (
        rule::NINO,
        None,
        "Claimant JH 55 66 77 A was interviewed",
        true,
    ),
    (rule::NINO, None, "ce123456d", true),
    (rule::NINO, Some("NINO"), "TW 98 76 54 B", true),
    (rule::NINO, None, "AB 123456 C", true),
    (rule::NINO, None, "QQ 12 34 56 A", false),
    (rule::NINO, None, "BG 12 34 56 A", false),
    (rule::NINO, None, "GB123456A", false),
    (rule::NINO, None, "NK 12 34 56 B", false),
    (rule::NINO, None, "TN 12 34 56 C", false),
    (rule::NINO, None, "ZZ 12 34 56 D", false),
    (rule::NINO, None, "DA 12 34 56 A", false),
    (rule::NINO, None, "AO 12 34 56 A", false),
    (rule::NINO, None, "AB 12 34 56 E", false),
    (rule::NINO, None, "REFAB123456C", false),
    (rule::NINO, None, "AB 12 34 56", false),
    // NHS numbers
    (rule::NHS, None, "943 476 5919", true),
    (rule::NHS, None, "NHS number 9434765919", true),
    (rule::NHS, None, "943-476-5919", true),
    (rule::NHS, None, "Patient 401 023 2137 seen", true),
    (rule::NHS, Some("NHS No"), "4505577104", true),
    (rule::NHS, None, "6401234563", false),
    (rule::NHS, None, "7231809863", false),
    (rule::NHS, None, "943 476 5918", false),
    (rule::NHS, None, "9434765918", false),
    (rule::NHS, None, "1234567890", false),
    (rule::NHS, None, "Order 4010232137", false),
    (rule::NHS, None, "Invoice no. 6401234563", false),
    (rule::NHS, None, "943 4765 919", false),
    (rule::NHS, None, "0123456789", false),
    (rule::NHS, None, "9999999999", false),
    (rule::NHS, None, "BATCH 20230415-07", false),
    // Postcodes
    (rule::POSTCODE, None, "NR1 2AB", true),
    (rule::POSTCODE, None, "Lives at SW1A 1AA", true),
    (rule::POSTCODE, None, "M1 1AE", true),
    (rule::POSTCODE, None, "EC1A 1BB", true),
    (rule::POSTCODE, None, "B33 8TH", true),
    (rule::POSTCODE, None, "DN55 1PT", true),
    (rule::POSTCODE, None, "GIR 0AA", true),
    (rule::POSTCODE, None, "NR12AB", true),
    (rule::POSTCODE, None, "QA1 2AB", false),
    (rule::POSTCODE, None, "NR1 2CI", false),
    (rule::POSTCODE, None, "AB1 2CD", false),
    (rule::POSTCODE, None, "ZZ1 1AA", false),
    (rule::POSTCODE, None, "XY12 3AB", false),
    (rule::POSTCODE, None, "Area NR1 only", false),
    (rule::POSTCODE, None, "A1 1AA", false),
    (rule::POSTCODE, None, "SKU-4411-2093", false),
    // Phones
    (rule::PHONE, None, "07700 900123", true),
    (rule::PHONE, None, "Tel: 01632 960 001", true),
    (rule::PHONE, None, "020 7946 0018", true),
    (rule::PHONE, None, "call +44 7700 900456", true),
    (rule::PHONE, None, "+44 (0)20 7946 0321", true),
    (rule::PHONE, None, "(01632) 960123", true),
    (rule::PHONE, None, "0161 496 0000", true),
    (rule::PHONE, None, "07700900789", true),
    (rule::PHONE, None, "0300 123 4567", true),
    (rule::PHONE, None, "07700 9001", false),
    (rule::PHONE, None, "07700 9001234", false),
    (rule::PHONE, None, "0800 123 4567", false),
    (rule::PHONE, None, "0808 157 0000", false),
    (rule::PHONE, None, "12,431", false),
    (rule::PHONE, None, "£1,250.00", false),
    (rule::PHONE, None, "0123 456", false),
    (rule::PHONE, None, "09012 345678", false),
    (rule::PHONE, None, "Tel 020 0946 0000", false),
    (rule::PHONE, None, "Part no. 8842-1193-55", false),
    // IBANs
    (rule::IBAN, None, "GB82 WEST 1234 5698 7654 32", true),
    (rule::IBAN, None, "IBAN GB82WEST12345698765432", true),
    (rule::IBAN, None, "IE29 AIBK 9311 5212 3456 78", true),
    (rule::IBAN, None, "DE89 3704 0044 0532 0130 00", true),
    (rule::IBAN, None, "NL91 ABNA 0417 1643 00", true),
    (rule::IBAN, None, "FR14 2004 1010 0505 0001 3M02 606", true),
    (rule::IBAN, None, "GB82 WEST 1234 5698 7654 33", false),
    (rule::IBAN, None, "GB82 WEST 1234 5698 7654", false),
    (rule::IBAN, None, "XX82 WEST 1234 5698 7654 32", false),
    (rule::IBAN, None, "GB82 1234 1234 5698 7654 32", false),
    (rule::IBAN, None, "ZZ12 3456 7890 1234 56", false),
    // Payment cards
    (rule::CARD, None, "4111 1111 1111 1111", true),
    (rule::CARD, None, "Visa 4111111111111111", true),
    (rule::CARD, Some("Card number"), "4111111111111111", true),
    (rule::CARD, None, "4111111111111111", false),
    (rule::CARD, None, "58778525229247303", false),
    (rule::CARD, None, "5555 5555 5555 4444", true),
    (rule::CARD, None, "Amex 3782 822463 10005", true),
    (rule::CARD, None, "6011-1111-1111-1117", true),
    (rule::CARD, None, "Card: 4012 8888 8888 1881", true),
    (rule::CARD, None, "3530 1113 3330 0000", true),
    (rule::CARD, None, "4111 1111 1111 1112", false),
    (rule::CARD, None, "1234 5678 1234 5670", false),
    (rule::CARD, None, "0000 0000 0000 0000", false),
    (rule::CARD, None, "4111 1111 1111 111", false),
    (rule::CARD, None, "12345678901234567", false),
    (rule::CARD, None, "Ref 4111 1111 111 11111", false),
    // PNC IDs
    (rule::PNC, None, "98/0123456G", true),
    (rule::PNC, None, "01/0000001Q", true),
    (rule::PNC, None, "PNC 05/1234567W", true),
    (rule::PNC, None, "1998/0123456G", true),
    (rule::PNC, None, "12/345678U", true),
    (rule::PNC, None, "20/4567T", true),
    (rule::PNC, None, "98/0123456H", false),
    (rule::PNC, None, "01/0000001R", false),
    (rule::PNC, None, "12/34A", false),
    (rule::PNC, None, "98/0123456", false),
    (rule::PNC, None, "Published 12/03/2023", false),
    // CRO numbers
    (rule::CRO, None, "123456/95K", true),
    (rule::CRO, None, "CRO 4321/88V", true),
    (rule::CRO, None, "765432/02D", true),
    (rule::CRO, None, "55555/79A", true),
    (rule::CRO, None, "SF95/123456K", true),
    (rule::CRO, None, "SF03/4567X", true),
    (rule::CRO, None, "123456/95L", false),
    (rule::CRO, None, "SF95/123456J", false),
    (rule::CRO, None, "12/95K", false),
    (rule::CRO, None, "1234/00R", false),
    (rule::CRO, None, "123456/95", false),
    // Emails
    (rule::EMAIL, None, "john.smith@example.com", true),
    (
        rule::EMAIL,
        None,
        "Contact j.bloggs@norfolk.police.uk",
        true,
    ),
    (rule::EMAIL, None, "jsmith42@gmail.com", true),
    (
        rule::EMAIL,
        None,
        "Emailed Sarah_Jones@example.org today",
        true,
    ),
    (rule::EMAIL, None, "a.patel@nhs.net", true),
    (rule::EMAIL, None, "foi@norfolk.police.uk", false),
    (rule::EMAIL, None, "info@example.com", false),
    (rule::EMAIL, None, "press.office@example.gov.uk", false),
    (rule::EMAIL, None, "enquiries@example.org", false),
    (
        rule::EMAIL,
        None,
        "freedomofinformation@example.gov.uk",
        false,
    ),
    (rule::EMAIL, None, "dataprotection@example.com", false),
    (rule::EMAIL, None, "noreply@example.com", false),
    (rule::EMAIL, None, "no-reply@example.com", false),
    (rule::EMAIL, None, "admin@example.co.uk", false),
    (rule::EMAIL, None, "contact@example.com", false),
    (rule::EMAIL, None, "hr@example.com", false),
    (
        rule::EMAIL,
        None,
        "planning.enquiries@example.gov.uk",
        false,
    ),
    (rule::EMAIL, None, "FOI.Requests@example.police.uk", false),
    (rule::EMAIL, None, "customerservices@example.com", false),
    (rule::EMAIL, None, "john.smith@localhost", false),
    // Dates of birth
    (rule::DOB, None, "DOB: 12/03/1984", true),
    (rule::DOB, None, "Date of birth 12 March 1984", true),
    (rule::DOB, None, "She was born on 3rd June 1975", true),
    (rule::DOB, Some("Date of Birth"), "1984-03-12", true),
    (rule::DOB, Some("DOB"), "12/03/84", true),
    (rule::DOB, None, "D.O.B. 01.02.1990", true),
    (rule::DOB, None, "Smith, John (born 12-Mar-1984)", true),
    (rule::DOB, Some("Subject DOB"), "March 12, 1984", true),
    (rule::DOB, None, "Published 12/03/2023", false),
    (rule::DOB, None, "Extracted 2024-01-05", false),
    (rule::DOB, None, "Date of incident 03/02/2021", false),
    (rule::DOB, None, "DOB unknown; arrested 05/06/2020", false),
    (
        rule::DOB,
        None,
        "DOB not held, date of report 05/06/2020",
        false,
    ),
    (rule::DOB, None, "DOB: 31/02/1984", false),
    (rule::DOB, Some("Date published"), "12/03/2023", false),
    (rule::DOB, None, "Born in 1984", false),
    (rule::DOB, None, "Stubborn 12/03/1984", false),
    (rule::DOB, None, "your request dated 3 March 2023", false),
    // Vehicle registration marks
    (rule::VRM, None, "Vehicle reg AB12 CDE", true),
    (rule::VRM, None, "VRM: LB07 SEO", true),
    (rule::VRM, Some("VRM"), "YX69KLM", true),
    (rule::VRM, None, "registration mark MA58 PRT", true),
    (rule::VRM, None, "Index: BD51 SMR", true),
    (rule::VRM, None, "AB12 CDE", false),
    (rule::VRM, None, "Vehicle reg AB30 CDE", false),
    (rule::VRM, None, "Vehicle reg IB12 CDE", false),
    (rule::VRM, None, "Vehicle reg AB12 CQE", false),
    (rule::VRM, None, "Vehicle reg AB00 CDE", false),
    (rule::VRM, Some("VRM"), "ZZ12 ABC", false),
    // Passport numbers
    (rule::PASSPORT, None, "Passport number 123456789", true),
    (rule::PASSPORT, None, "HMPO ref 987654321", true),
    (rule::PASSPORT, Some("Passport No"), "502135326", true),
    (rule::PASSPORT, None, "passport: 761234589", true),
    (rule::PASSPORT, None, "123456789", false),
    (rule::PASSPORT, None, "Passport number 12345678", false),
    (rule::PASSPORT, None, "Passport Office 0300 222 0000", false),
    (rule::PASSPORT, None, "Account 123456789", false),
    (rule::PASSPORT, Some("Passport No"), "1234567890", false),
    // Driving licences
    (rule::LICENCE, None, "MORGA753116SM9IJ", true),
    (rule::LICENCE, None, "Licence SMITH803124JD9AB", true),
    (rule::LICENCE, None, "JONES761059AB9CD", true),
    (rule::LICENCE, None, "LEE99602152A99XY", true),
    (rule::LICENCE, None, "SMITH813124JD9AB", false),
    (rule::LICENCE, None, "SMITH803324JD9AB", false),
    (rule::LICENCE, None, "SM9TH803124JD9AB", false),
    (rule::LICENCE, None, "SMITH802304JD9AB", false),
    (rule::LICENCE, None, "SMITH803124JD9A", false),
    // Bank accounts
    (
        rule::BANK,
        None,
        "Sort code 12-34-56, account 12345678",
        true,
    ),
    (
        rule::BANK,
        None,
        "Account 87654321 sort code 40-11-62",
        true,
    ),
    (rule::BANK, None, "sort code 123456 acc 12345678", true),
    (rule::BANK, None, "SC: 20-00-00 A/C: 55779911", true),
    (rule::BANK, None, "Sort code 12-34-56", false),
    (rule::BANK, None, "Account 12345678", false),
    (rule::BANK, None, "12-34-56 1234567", false),
    (
        rule::BANK,
        None,
        "Sort code 12-34-5 account 12345678",
        false,
    ),
    (rule::BANK, None, "SKU-4411-2093 and 12-34-56", false),
    // IP addresses
    (rule::IP, None, "192.168.1.20", true),
    (rule::IP, None, "Logged from 81.2.69.160 at noon", true),
    (rule::IP, None, "IP 2001:db8::1", true),
    (rule::IP, None, "fe80::1ff:fe23:4567:890a", true),
    (rule::IP, None, "10.20.30.40", true),
    (rule::IP, None, "version 10.0.19045.1", false),
    (rule::IP, None, "version 11.2.33.4", false),
    (rule::IP, None, "1.2.3.4", false),
    (rule::IP, None, "Section 2.1.3.4", false),
    (rule::IP, None, "1.2.3.4.5", false),
    (rule::IP, None, "255.255.255.0", false),
    (rule::IP, None, "12:30:45", false),
    (rule::IP, None, "00:1A:2B:3C:4D:5E", false),
    (rule::IP, None, "127.0.0.1", false),
    (rule::IP, None, "build 4.18.112.5", false),
    (rule::IP, None, "10.2.1.3 Approach to vetting", false),
    // Police officers
    (rule::OFFICER, None, "PC 1234", true),
    (rule::OFFICER, None, "DS 567 Patel", true),
    (rule::OFFICER, None, "PCSO 7012", true),
    (rule::OFFICER, None, "Statement taken by DC Jones", true),
    (rule::OFFICER, None, "Insp Smith", true),
    (rule::OFFICER, None, "Sgt 123", true),
    (rule::OFFICER, None, "PC 1234AB", true),
    (rule::OFFICER, None, "Ch Insp Brown", true),
    (rule::OFFICER, None, "DCI O'Neill", true),
    (rule::OFFICER, None, "Sergeant Khan", true),
    (rule::OFFICER, None, "Detective Sergeant Wood", true),
    (rule::OFFICER, None, "DC J. Smith", true),
    (rule::OFFICER, None, "PC World", false),
    (rule::OFFICER, None, "DC Comics", false),
    (rule::OFFICER, None, "DI as a word", false),
    (rule::OFFICER, None, "Buy a new PC today", false),
    (rule::OFFICER, None, "PS Thanks for your help", false),
    (rule::OFFICER, None, "DS Lite", false),
    (rule::OFFICER, None, "SC Cleared staff", false),
    (rule::OFFICER, None, "PC 12", false),
    (rule::OFFICER, None, "DC 10 aircraft", false),
    (rule::OFFICER, None, "An Inspector Calls", false),
    (rule::OFFICER, None, "North Norfolk DC Planning", false),
    (rule::OFFICER, None, "PC 2023 refresh", false),
    (rule::OFFICER, None, "PC 2023 Smith", true),
    // Titled names
    (rule::PERSON, None, "Mr John Smith", true),
    (rule::PERSON, None, "Mrs A. Jones", true),
    (rule::PERSON, None, "Dr Patel", true),
    (rule::PERSON, None, "Ms O'Brien", true),
    (rule::PERSON, None, "MR JOHN SMITH", true),
    (rule::PERSON, None, "Dame Jane Doe", true),
    (rule::PERSON, None, "Rev J R Brown", true),
    (rule::PERSON, None, "Seen by Dr Patel The next day", true),
    (rule::PERSON, None, "Mr Men", false),
    (rule::PERSON, None, "Dear Sir or Madam", false),
    (rule::PERSON, None, "Lord Mayor", false),
    (rule::PERSON, None, "Dr Who", false),
    (rule::PERSON, None, "Miss World", false),
    (rule::PERSON, None, "Mr", false),
    (rule::PERSON, None, "Dr Martens boots", false),
    (rule::PERSON, None, "Dear Sir\nThank you", false),
    (rule::PERSON, None, "Ms Excel spreadsheet", false),
    // Spreadsheet-ish negatives that must stay silent everywhere
    (rule::NHS, None, "2023", false),
    (rule::PHONE, None, "12,431", false),
    (rule::CARD, None, "45.5%", false),
    (rule::PHONE, None, "Burglary", false),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, heading: Option<&str>) -> Vec<Hit> {
        let ctx = Context {
            heading,
            detail: None,
        };
        let mut out = Vec::new();
        find(text, &ctx, &mut out);
        out
    }

    #[test]
    fn examples_fire_exactly_as_expected() {
        let mut failures = Vec::new();
        for &(r, heading, text, fire) in EXAMPLES {
            let hits = run(text, heading);
            let fired = hits.iter().any(|h| h.rule == r);
            if fired != fire {
                failures.push(format!(
                    "{r} {text:?} (heading {heading:?}): expected fire={fire}, got {hits:?}"
                ));
            }
            if !fire && let Some(h) = hits.iter().find(|h| h.severity >= Severity::High) {
                failures.push(format!(
                    "{r} negative {text:?} fired High {}: {h:?}",
                    h.rule
                ));
            }
            for h in &hits {
                assert!(text.is_char_boundary(h.start) && text.is_char_boundary(h.end));
                assert_ne!(h.masked, &text[h.start..h.end], "unmasked evidence {h:?}");
                assert!(!h.label.is_empty());
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn every_rule_has_four_positive_and_four_negative_examples() {
        for r in [
            rule::NINO,
            rule::NHS,
            rule::POSTCODE,
            rule::PHONE,
            rule::IBAN,
            rule::CARD,
            rule::PNC,
            rule::CRO,
            rule::EMAIL,
            rule::DOB,
            rule::VRM,
            rule::PASSPORT,
            rule::LICENCE,
            rule::BANK,
            rule::IP,
            rule::OFFICER,
            rule::PERSON,
        ] {
            let pos = EXAMPLES.iter().filter(|e| e.0 == r && e.3).count();
            let neg = EXAMPLES.iter().filter(|e| e.0 == r && !e.3).count();
            assert!(pos >= 4 && neg >= 4, "{r}: {pos} positive, {neg} negative");
        }
    }

    #[test]
    fn word_lists_are_lower_case_and_areas_sorted() {
        for w in STOPWORDS.iter().chain(ROLE_TOKENS) {
            assert_eq!(*w, w.to_ascii_lowercase());
            assert!(w.len() <= 24, "{w}");
        }
        assert!(POSTCODE_AREAS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn patterns_are_in_kinds_order() {
        let (patterns, _) = patterns();
        assert_eq!(patterns.len(), KINDS.len());
        for (p, (name, _)) in patterns.iter().zip(KINDS) {
            assert!(p.starts_with(&format!("(?P<{name}>")), "{name}: {p}");
        }
    }

    #[test]
    fn check_digit_vectors() {
        assert!(nhs_valid(b"9434765919"));
        assert!(!nhs_valid(b"9434765918"));
        assert!(!nhs_valid(b"123456789")); // too short
        assert!(nhs_valid(b"4010232137"));
        assert!(luhn_valid(b"4111111111111111"));
        assert!(!luhn_valid(b"4111111111111112"));
        assert_eq!(card_scheme(b"4111111111111111"), Some("Visa"));
        assert_eq!(card_scheme(b"378282246310005"), Some("American Express"));
        assert_eq!(card_scheme(b"1234567812345670"), None);
        assert!(iban_mod97("GB82WEST12345698765432"));
        assert!(!iban_mod97("GB82WEST12345698765433"));
        assert!(iban_mod97("IE29AIBK93115212345678"));
        assert_eq!(mod23_letter(980_123_456), b'G');
        assert_eq!(mod23_letter(10_000_001), b'Q');
        assert_eq!(mod23_letter(95_123_456), b'K');
        assert!(nino_prefix_valid(b'A', b'B'));
        for bad in [
            "QQ", "BG", "GB", "KN", "NK", "NT", "TN", "ZZ", "DA", "FA", "AO", "AV",
        ] {
            let b = bad.as_bytes();
            assert!(!nino_prefix_valid(b[0], b[1]), "{bad}");
        }
        assert!(postcode_valid(b"SW1A1AA") && postcode_valid(b"GIR0AA"));
        assert!(!postcode_valid(b"SW1A1CA"));
        assert_eq!(phone_kind(b"07700900123"), Some(true));
        assert_eq!(phone_kind(b"08001234567"), Some(false));
        assert_eq!(phone_kind(b"0770090012"), None);
        assert!(licence_valid(b"MORGA753116SM9IJ"));
        assert!(!licence_valid(b"MORGA763116SM9IJ")); // month 63
        assert!(!licence_valid(b"MORGA750016SM9IJ")); // day 00
        assert_eq!(parse_date("29/02/1984"), Some((29, 2, 1984)));
        assert_eq!(parse_date("29/02/1983"), None);
        assert_eq!(parse_date("12th of March 1984"), Some((12, 3, 1984)));
    }

    #[test]
    fn spans_are_original_byte_offsets() {
        let text = "Résumé: NI AB 12 34 56 C, NHS 943 476 5919, tel 07700 900123.";
        let hits = run(text, None);
        let got: Vec<(&str, &str)> = hits
            .iter()
            .map(|h| (h.rule, &text[h.start..h.end]))
            .collect();
        assert_eq!(
            got,
            [
                (rule::NINO, "AB 12 34 56 C"),
                (rule::NHS, "943 476 5919"),
                (rule::PHONE, "07700 900123")
            ]
        );
        let text = "Sort code 12-34-56, account 12345678.";
        let h = &run(text, None)[0];
        assert_eq!(&text[h.start..h.end], "12-34-56, account 12345678");
        let text = "seen by Dr Patel Thank you";
        let h = &run(text, None)[0];
        assert_eq!(&text[h.start..h.end], "Dr Patel");
        let text = "DS 567 Patel";
        let h = &run(text, None)[0];
        assert_eq!((h.start, h.end), (0, text.len()));
    }

    #[test]
    fn masking_keeps_shape_and_hides_identity() {
        let masked = |text: &str, heading: Option<&str>| -> Vec<String> {
            run(text, heading).into_iter().map(|h| h.masked).collect()
        };
        assert_eq!(masked("AB 12 34 56 C", None), ["AB ** ** ** C"]);
        assert_eq!(masked("943 476 5919", None), ["*** *** **19"]);
        assert_eq!(masked("john.smith@example.com", None), ["j****@****.com"]);
        assert_eq!(masked("NR1 2AB", None), ["NR1 ***"]);
        assert_eq!(masked("07700 900123", None), ["07700 ******"]);
        assert_eq!(masked("+44 (0)20 7946 0321", None), ["+44 (0)20 **** ****"]);
        assert_eq!(masked("07700900123", None), ["07700******"]);
        assert_eq!(masked("4111 1111 1111 1111", None), ["**** **** **** 1111"]);
        assert_eq!(masked("Mr John Smith", None), ["Mr J**** S****"]);
        assert_eq!(masked("Mrs A. Jones", None), ["Mrs A. J****"]);
        assert_eq!(masked("DS Patel", None), ["DS P****"]);
        assert_eq!(masked("DS 567 Patel", None), ["DS *** P****"]);
        assert_eq!(masked("DOB 12/03/1984", None), ["**/**/****"]);
        assert_eq!(masked("born 12 March 1984", None), ["** *** ****"]);
        assert_eq!(masked("98/0123456G", None), ["98/********"]);
        assert_eq!(masked("123456/95K", None), ["******/95*"]);
        assert_eq!(
            masked("GB82 WEST 1234 5698 7654 32", None),
            ["GB** **** **** **** **** 32"]
        );
        assert_eq!(masked("192.168.1.20", None), ["192.168.*.*"]);
        assert_eq!(masked("Vehicle reg AB12 CDE", None), ["AB** ***"]);
        assert_eq!(
            masked("Sort code 12-34-56 account 12345678", None),
            ["**-**-** ******78"]
        );
    }

    #[test]
    fn severity_and_strength() {
        let one = |text: &str| run(text, None).remove(0);
        for t in ["AB 12 34 56 C", "943 476 5919", "98/0123456G", "123456/95K"] {
            let h = one(t);
            assert!(h.strong && h.severity == Severity::High, "{h:?}");
        }
        for t in ["GB82 WEST 1234 5698 7654 32", "4111 1111 1111 1111"] {
            assert!(one(t).strong);
        }
        for t in ["MORGA753116SM9IJ", "DS 567 Patel", "DOB 12/03/1984"] {
            let h = one(t);
            assert!(!h.strong && h.severity == Severity::High, "{h:?}");
        }
        for t in [
            "NR1 2AB",
            "07700 900123",
            "jo.bloggs@example.com",
            "Mr John Smith",
        ] {
            let h = one(t);
            assert!(!h.strong && h.severity == Severity::Medium, "{h:?}");
        }
        assert_eq!(one("192.168.1.20").severity, Severity::Low);
    }

    #[test]
    fn clean_foi_letter_has_nothing_at_high() {
        let letter = "Thank you for your request dated 3 March 2023 under the Freedom of \
            Information Act 2000, received on 06/03/2023. Norfolk Constabulary holds 1,204 \
            records for 2022/23, a rise of 4.5% on 2021/22 (1,152). Costs of £1,250.00 were \
            not incurred. If you are unhappy with this response please contact \
            foi@norfolk.police.uk or write to the Freedom of Information Team, Jubilee \
            House, Falconers Chase, Wymondham. Version 10.0.19045.1 of the form applies. \
            Yours sincerely, Freedom of Information Team";
        let hits = run(letter, None);
        assert!(hits.is_empty(), "{hits:?}");
        let addressed = "Jubilee House, Falconers Chase, Wymondham, Norfolk, NR18 0WW";
        let hits = run(addressed, None);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].rule, rule::POSTCODE);
        assert_eq!(hits[0].severity, Severity::Medium);
    }

    #[test]
    fn early_out_skips_typical_cells() {
        let ctx = Context::default();
        for cell in [
            "",
            "12",
            "2023",
            "2023-01",
            "Burglary",
            "Mile Cross",
            "12,431",
            "£1,250.00",
            "45.5%",
        ] {
            assert!(cannot_hold_identifier(cell, &ctx), "{cell:?}");
        }
        for cell in ["Mr Li", "PC 1234", "a@b.uk", "07700 900123", "1.2.3.4"] {
            assert!(!cannot_hold_identifier(cell, &ctx), "{cell:?}");
        }
        let dob = Context {
            heading: Some("Date of birth"),
            detail: None,
        };
        assert!(!cannot_hold_identifier("12/03/84", &dob));
    }

    #[test]
    fn failed_candidates_are_rescanned_inside() {
        let text = "NI AB123456C NHS 943 476 5919";
        let got: Vec<(&str, &str)> = run(text, None)
            .iter()
            .map(|h| (h.rule, &text[h.start..h.end]))
            .collect();
        assert_eq!(
            got,
            [(rule::NINO, "AB123456C"), (rule::NHS, "943 476 5919")]
        );
        // A candidate used only in part: the IBAN is cut at its length, the rest re-scanned.
        let text = "GB82 WEST 1234 5698 7654 32 AB123456C";
        let rules: Vec<&str> = run(text, None).iter().map(|h| h.rule).collect();
        assert_eq!(rules, [rule::IBAN, rule::NINO]);
        // A "+44" number followed by more digit groups: the phone, then the NHS number.
        let text = "+44 7700 900456 943 476 5919";
        let rules: Vec<&str> = run(text, None).iter().map(|h| h.rule).collect();
        assert_eq!(rules, [rule::PHONE, rule::NHS]);
    }

    #[test]
    fn rescanning_stays_bounded_on_long_near_misses() {
        // Tens of thousands of dotted words ending in a numeric "domain": one email-shaped
        // candidate, too long to re-scan (else each of its words would restart a match to
        // its end). What follows is still found.
        let mut text = "a.".repeat(20_000);
        text.push_str("b@c.1 NI AB123456C NHS 943 476 5919");
        let rules: Vec<&str> = run(&text, None).iter().map(|h| h.rule).collect();
        assert_eq!(rules, [rule::NINO, rule::NHS]);
        // Many short near-misses: each is re-scanned, within the budget, and nothing is
        // invented inside them.
        let text = "x.y.z@host.9 ".repeat(5_000);
        assert!(run(&text, None).is_empty());
    }

    /// Never panics, whatever the text: identifier-ish alphabets, random lengths.
    #[test]
    fn no_panic_on_noise() {
        let alphabet: Vec<char> = "0123456789 -/.:+()@ABCDGHJKLMNPRSTWXYZabcdef\néPCMrDSGB44"
            .chars()
            .collect();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut out = Vec::new();
        for _ in 0..20_000 {
            let len = (next() % 48) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let heading = ["DOB", "VRM", "Passport", "NHS"][(next() % 4) as usize];
            out.clear();
            find(
                &text,
                &Context {
                    heading: Some(heading),
                    detail: None,
                },
                &mut out,
            );
            for h in &out {
                assert!(
                    h.start < h.end
                        && text.is_char_boundary(h.start)
                        && text.is_char_boundary(h.end)
                );
            }
        }
    }
}
