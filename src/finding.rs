//! Building findings: the catalogue's advice and a stable fingerprint. Below both the
//! detectors and the inspection context, which both make findings.

use crate::model::{Finding, Location, Severity};
use crate::rules;
use sha2::{Digest, Sha256};

/// A finding of `rule_id` with the catalogue's advice and a fingerprint keyed on `key`.
pub fn new_finding(
    rule_id: &'static str,
    severity: Severity,
    hidden: bool,
    location: Location,
    message: String,
    key: &str,
) -> Finding {
    let rule = rules::rule(rule_id);
    let fingerprint = fingerprint(rule_id, &location, key);
    Finding {
        rule: rule.id,
        severity,
        hidden,
        location,
        message,
        evidence: None,
        masked_evidence: None,
        fingerprint,
        accepted: false,
        advice: rule.advice.to_string(),
    }
}

/// Stable fingerprint: rule, where (without part names, which a re-save may renumber) and
/// what. Only a hash leaves the process.
pub fn fingerprint(rule: &str, loc: &Location, key: &str) -> String {
    let mut h = Sha256::new();
    for field in [
        rule,
        &loc.container.join("\u{1f}"),
        loc.sheet.as_deref().unwrap_or(""),
        loc.cell.as_deref().or(loc.range.as_deref()).unwrap_or(""),
        &loc.page.map(|p| p.to_string()).unwrap_or_default(),
        key,
    ] {
        h.update(field.as_bytes());
        h.update([0u8]);
    }
    // Documents' places join the hash only when present, so workbook fingerprints (and the
    // baselines that hold them) stay as they were before documents had places.
    if loc.slide.is_some() || loc.story.is_some() || loc.paragraph.is_some() {
        let place = format!(
            "{:?}|{:?}|{:?}",
            loc.slide,
            loc.story.map(|s| s.as_str()),
            loc.paragraph
        );
        h.update(place.as_bytes());
        h.update([0u8]);
    }
    hex(&h.finalize()[..16])
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Replaces personal data with a shape that still lets a reviewer recognise the kind of
/// value: the first character of each word stays, other letters become `*`, digits `*`.
/// `SMITH, John` → `S****, J***`; `AB 12 34 56 C` → `A* ** ** ** C`.
pub fn mask(evidence: &str) -> String {
    let mut out = String::with_capacity(evidence.len());
    let mut at_word_start = true;
    for c in evidence.chars() {
        if c.is_alphanumeric() {
            if at_word_start && c.is_alphabetic() {
                out.push(c);
            } else {
                out.push('*');
            }
            at_word_start = false;
        } else {
            out.push(c);
            at_word_start = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn masks_names_and_numbers() {
        assert_eq!(mask("SMITH, John"), "S****, J***");
        assert_eq!(mask("AB 12 34 56 C"), "A* ** ** ** C");
        assert_eq!(mask("j.bloggs@example.com"), "j.b*****@e******.c**");
        assert_eq!(mask("\\\\fs01\\jbloggs"), "\\\\f***\\j******");
    }
}
