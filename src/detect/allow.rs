//! Allowlists from `foiguard.toml`: names that may be published (a chief constable, named
//! press officers), role mailboxes, and identifiers known to be safe (a switchboard number,
//! headquarters' postcode). Matches of these are dropped before they become findings, and
//! allowed people are left out of rosters when they load.

use super::hit::Hit;
use super::roster;
use aho_corasick::AhoCorasick;
use std::collections::HashSet;

/// A name as the roster compares it: folded surname, first initial and, when known, the
/// folded first forename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKey {
    pub surname: String,
    pub initial: char,
    pub forename: Option<String>,
}

impl NameKey {
    /// Same person as far as the two forms can tell: "J. Smith" covers "John Smith", but
    /// "John Smith" does not cover "Jane Smith".
    fn covers(&self, other: &NameKey) -> bool {
        self.surname == other.surname
            && self.initial == other.initial
            && match (&self.forename, &other.forename) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }
}

/// What may be published. Empty by default: nothing is allowed.
#[derive(Debug, Default, Clone)]
pub struct Allowlist {
    names: Vec<NameKey>,
    /// Allowed texts compared whole after folding ("DS Patel", "Chief Constable Byrne").
    literal_names: HashSet<String>,
    /// Full addresses (`foi@force.police.uk`) and local parts (`press.office`).
    mailboxes: HashSet<String>,
    mailbox_locals: HashSet<String>,
    /// Upper-case letters and digits only, so "NR18 0WW" and "nr180ww" are the same.
    identifiers: HashSet<String>,
    /// Bit n set when some allowed identifier has n letters and digits: most matches are
    /// rejected by length before any string is built.
    identifier_lens: u64,
    /// Words of the allowed names (case-insensitive): a name match with none of them nearby
    /// is rejected without parsing it.
    name_words: Option<AhoCorasick>,
}

impl Allowlist {
    /// Builds the allowlist; an entry that cannot be used is an error naming it.
    pub fn new(
        names: &[String],
        mailboxes: &[String],
        identifiers: &[String],
    ) -> Result<Self, String> {
        let mut allow = Allowlist::default();
        let mut words: Vec<String> = Vec::new();
        for name in names {
            let literal = fold_words(name);
            if literal.is_empty() {
                return Err(format!("allowed name '{name}' has no letters"));
            }
            if let Some(key) = roster::name_key(strip_titles(name)) {
                allow.names.push(key);
            }
            allow.literal_names.insert(literal);
            words.extend(
                name.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.chars().count() >= 2 && !is_honorific(w))
                    .map(str::to_string),
            );
        }
        for mailbox in mailboxes {
            let m = mailbox.trim().to_lowercase();
            if m.is_empty() {
                return Err("an allowed mailbox is empty".into());
            }
            match m.split_once('@') {
                Some((local, domain)) if !local.is_empty() && !domain.is_empty() => {
                    allow.mailboxes.insert(m.clone());
                }
                Some(_) => {
                    return Err(format!(
                        "allowed mailbox '{mailbox}' is not an address or a local part"
                    ));
                }
                None => {
                    allow.mailbox_locals.insert(m);
                }
            }
        }
        for id in identifiers {
            let key = identifier_key(id);
            if key.is_empty() {
                return Err(format!(
                    "allowed identifier '{id}' has no letters or digits"
                ));
            }
            allow.identifier_lens |= 1 << key.len().min(63);
            allow.identifiers.insert(key);
        }
        if !words.is_empty() {
            allow.name_words = Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(&words)
                    .map_err(|e| format!("allowed names: {e}"))?,
            );
        }
        Ok(allow)
    }

    pub fn is_empty(&self) -> bool {
        self.literal_names.is_empty()
            && self.mailboxes.is_empty()
            && self.mailbox_locals.is_empty()
            && self.identifiers.is_empty()
    }

    /// True when a roster person may be published: they are left out of the roster.
    pub fn permits_person(&self, key: &NameKey) -> bool {
        self.names.iter().any(|a| a.covers(key))
    }

    /// True when a roster identifier (collar number, staff number) may be published.
    pub fn permits_identifier(&self, id: &str) -> bool {
        let len = id.chars().filter(char::is_ascii_alphanumeric).count();
        self.identifier_lens & (1 << len.min(63)) != 0
            && self.identifiers.contains(&identifier_key(id))
    }

    /// True when this match in `text` may be published and must not become a finding.
    /// A name match is also tried with the capitalised words that follow it, since a rank
    /// detector may stop at the first name ("Constable Simon| Byrne").
    pub fn permits(&self, hit: &Hit, text: &str) -> bool {
        if self.is_empty() {
            return false;
        }
        let matched = text.get(hit.start..hit.end).unwrap_or("");
        if self.permits_identifier(matched) {
            return true;
        }
        match hit.rule {
            "pii.email" if !self.mailboxes.is_empty() || !self.mailbox_locals.is_empty() => {
                let m = matched.trim().to_lowercase();
                self.mailboxes.contains(&m)
                    || m.split_once('@')
                        .is_some_and(|(local, _)| self.mailbox_locals.contains(local))
            }
            "roster-match" | "pii.person-name" | "pii.police-officer" => {
                self.permits_name(text, hit.start, hit.end)
            }
            _ => false,
        }
    }

    fn permits_name(&self, text: &str, start: usize, end: usize) -> bool {
        // Cheap rejection first: none of the allowed names' words in or just after the match.
        let mut window_end = end.saturating_add(80).min(text.len());
        while !text.is_char_boundary(window_end) {
            window_end += 1;
        }
        let near = text.get(start..window_end).unwrap_or("");
        if !self.name_words.as_ref().is_some_and(|ac| ac.is_match(near)) {
            return false;
        }
        let is_allowed = |candidate: &str| {
            self.literal_names.contains(&fold_words(candidate))
                || roster::name_key(strip_titles(candidate))
                    .is_some_and(|k| self.permits_person(&k))
        };
        let Some(matched) = text.get(start..end) else {
            return false;
        };
        if is_allowed(matched) {
            return true;
        }
        let mut end = end;
        for _ in 0..3 {
            let rest = &text[end..];
            let word_start = end + (rest.len() - rest.trim_start().len());
            let word = text[word_start..]
                .split(|c: char| c.is_whitespace() || c == ',')
                .next()
                .unwrap_or("");
            if !word.starts_with(|c: char| c.is_uppercase()) {
                return false;
            }
            end = word_start + word.len();
            if is_allowed(&text[start..end]) {
                return true;
            }
        }
        false
    }
}

/// Offices and titles written before a name beyond the roster's ranks and titles.
const MORE_HONORIFICS: &[&str] = &[
    "lord",
    "lady",
    "cllr",
    "councillor",
    "chief",
    "deputy",
    "assistant",
    "acting",
    "temporary",
    "commissioner",
    "commander",
    "det",
    "cc",
    "dcc",
    "acc",
];

/// A rank, title or office written before a name ("PC", "Mrs.", "Chief"), in any case.
fn is_honorific(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    [roster::RANKS, roster::TITLES, MORE_HONORIFICS]
        .iter()
        .any(|list| list.iter().any(|h| h.eq_ignore_ascii_case(word)))
}

/// "Chief Constable Simon Byrne" → "Simon Byrne".
fn strip_titles(text: &str) -> &str {
    let mut rest = text.trim();
    loop {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        if end == rest.len() || !is_honorific(&rest[..end]) {
            return rest;
        }
        rest = rest[end..].trim_start();
    }
}

/// Lower-case words without punctuation: "Chief Constable  BYRNE." → "chief constable byrne".
fn fold_words(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

fn identifier_key(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;

    /// A hit covering the whole of `text`.
    fn whole(a: &Allowlist, rule: &'static str, text: &str) -> bool {
        a.permits(&hit(rule, 0, text.len()), text)
    }

    fn hit(rule: &'static str, start: usize, end: usize) -> Hit {
        Hit {
            rule,
            start,
            end,
            severity: Severity::High,
            strong: false,
            label: String::new(),
            masked: String::new(),
        }
    }

    fn allow() -> Allowlist {
        Allowlist::new(
            &["Simon Byrne".into(), "DS Patel".into()],
            &["foi@force.police.uk".into(), "press.office".into()],
            &["0300 123 4567".into(), "NR18 0WW".into()],
        )
        .unwrap()
    }

    #[test]
    fn names_in_every_written_form_are_allowed() {
        let a = allow();
        for text in [
            "Simon Byrne",
            "BYRNE, Simon",
            "S. Byrne",
            "Chief Constable Simon Byrne",
            "Mr S Byrne",
            "DS Patel",
            "ds patel",
        ] {
            assert!(whole(&a, "pii.person-name", text), "{text}");
        }
        for text in ["Sarah Byrne", "DS Shah", "John Smith", "PC Patel"] {
            assert!(!whole(&a, "pii.person-name", text), "{text}");
        }
        // A name on the allowlist says nothing about identifiers or mailboxes.
        assert!(!whole(&a, "pii.email", "simon.byrne@gmail.com"));
    }

    #[test]
    fn a_rank_match_cut_short_is_completed_from_the_text() {
        let a = allow();
        let text = "Media enquiries: Chief Constable Simon Byrne, HQ";
        let start = text.find("Constable").unwrap();
        let end = text.find(" Byrne").unwrap();
        assert!(a.permits(&hit("pii.police-officer", start, end), text));
        let other = "Media enquiries: Chief Constable Simon Jones";
        assert!(!a.permits(&hit("pii.police-officer", start, end), other));
    }

    #[test]
    fn mailboxes_by_address_or_local_part() {
        let a = allow();
        assert!(whole(&a, "pii.email", "FOI@force.police.uk"));
        assert!(whole(&a, "pii.email", "press.office@anywhere.gov.uk"));
        assert!(!whole(&a, "pii.email", "foi@other.gov.uk"));
        assert!(!whole(&a, "pii.email", "j.smith@force.police.uk"));
    }

    #[test]
    fn identifiers_ignore_spacing_and_case() {
        let a = allow();
        assert!(whole(&a, "pii.phone", "03001234567"));
        assert!(whole(&a, "pii.postcode", "nr18 0ww"));
        assert!(!whole(&a, "pii.postcode", "NR18 0WA"));
    }

    #[test]
    fn empty_or_unusable_entries_are_errors() {
        assert!(Allowlist::new(&["--".into()], &[], &[]).is_err());
        assert!(Allowlist::new(&[], &["@x".into()], &[]).is_err());
        assert!(Allowlist::new(&[], &[], &[" - ".into()]).is_err());
        assert!(Allowlist::default().is_empty());
        assert!(!whole(&Allowlist::default(), "pii.phone", "0300 123 4567"));
    }
}
