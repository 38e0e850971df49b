//! Identifiers next to each other must all be found (issue 8, point 3).
//!
//! Every kind of identifier that can stand alone in text is put beside every other (and
//! beside itself), in both orders, with each separator the two formats allow. Each of the
//! two must be reported with its own rule and exactly its own span. The identifier
//! detector validates permissive candidates in code; before the re-scan, a candidate that
//! swallowed both neighbours and then failed validation ("AB123456C NHS 943 476 5919" is
//! one IBAN-shaped candidate) hid both.
//!
//! Separators, and why each pair allows them:
//! - `" "`, `","`, `", "` and `"\n"`: every pair. A space between two identifiers made of
//!   digit groups (NHS 3-3-4, phones, cards) joins them into one run of digit groups, as a
//!   reader sees it too; the run is split by trying windows of groups, longest first, so
//!   these pairs are tested with the space as well. The one ambiguous shape is a run that is
//!   itself a valid longer identifier (a 19-digit Luhn-valid Visa written 4-4-4-4-3 is a
//!   card followed by three digits, or a card and the start of something else): the samples
//!   below are not such runs, and `ambiguous_digit_runs_take_the_longest_identifier` pins
//!   down what happens when they are.
//! - `""` (nothing) only where the junction is a word boundary, i.e. one side is not a
//!   letter or digit there (a phone written "+44 …" or "(01632) …" after anything). Two
//!   identifiers glued letter-to-digit ("AB123456C943 476 5919") form one token, and the
//!   detector deliberately reports nothing inside longer tokens (serials, hashes and
//!   reference codes hold random matches: `REFAB123456C` is a negative example of the NINO
//!   rule), so such concatenations are not identifiers by design.
//!
//! The context-needing kinds carry their context words in front ("DOB 12/03/1984",
//! "Vehicle reg AB12 CDE", "Passport number 123456789", "Sort code 12-34-56, account
//! 12345678"): the context is part of how they are written.

use foiguard::detect::hit::{Context, Hit};
use foiguard::detect::identifiers::find;

/// One identifier as written: its rule, its text, and the part of the text the hit spans.
struct Sample {
    rule: &'static str,
    text: &'static str,
    span: &'static str,
}

const fn sample(rule: &'static str, text: &'static str, span: &'static str) -> Sample {
    Sample { rule, text, span }
}

/// Every kind that can stand alone in text (made-up values; check digits valid).
const SAMPLES: &[Sample] = &[
    sample("pii.nino", "AB123456C", "AB123456C"),
    sample("pii.nino", "JH 55 66 77 A", "JH 55 66 77 A"),
    sample("pii.nhs-number", "943 476 5919", "943 476 5919"),
    sample("pii.postcode", "SW1A 1AA", "SW1A 1AA"),
    sample("pii.postcode", "NR1 2AB", "NR1 2AB"),
    sample("pii.phone", "07700 900123", "07700 900123"),
    sample("pii.phone", "+44 7700 900456", "+44 7700 900456"),
    sample("pii.phone", "(01632) 960123", "(01632) 960123"),
    sample(
        "pii.iban",
        "GB82 WEST 1234 5698 7654 32",
        "GB82 WEST 1234 5698 7654 32",
    ),
    sample(
        "pii.payment-card",
        "4111 1111 1111 1111",
        "4111 1111 1111 1111",
    ),
    sample("pii.pnc-id", "98/0123456G", "98/0123456G"),
    sample("pii.cro-number", "123456/95K", "123456/95K"),
    sample("pii.cro-number", "SF95/123456K", "SF95/123456K"),
    sample(
        "pii.email",
        "john.smith@example.com",
        "john.smith@example.com",
    ),
    sample("pii.ip-address", "81.2.69.160", "81.2.69.160"),
    sample("pii.ip-address", "2001:db8::1", "2001:db8::1"),
    sample(
        "pii.driving-licence",
        "MORGA753116SM9IJ",
        "MORGA753116SM9IJ",
    ),
    sample("pii.date-of-birth", "DOB 12/03/1984", "12/03/1984"),
    sample("pii.date-of-birth", "born 3rd June 1975", "3rd June 1975"),
    sample(
        "pii.vehicle-registration",
        "Vehicle reg AB12 CDE",
        "AB12 CDE",
    ),
    sample("pii.passport", "Passport number 123456789", "123456789"),
    sample(
        "pii.bank-account",
        "Sort code 12-34-56, account 12345678",
        "12-34-56, account 12345678",
    ),
    sample("pii.police-officer", "PC 1234", "PC 1234"),
    sample("pii.police-officer", "DS 567 Patel", "DS 567 Patel"),
    sample("pii.person-name", "Mr John Smith", "Mr John Smith"),
];

const SEPARATORS: &[&str] = &[" ", ",", ", ", "\n", ""];

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `sep` may stand between `a` and `b` (see the module comment).
fn allowed(a: &Sample, sep: &str, b: &Sample) -> bool {
    if !sep.is_empty() {
        return true;
    }
    let last = *a.text.as_bytes().last().expect("sample text");
    let first = b.text.as_bytes()[0];
    !is_word(last) || !is_word(first)
}

fn hits(text: &str) -> Vec<Hit> {
    let mut out = Vec::new();
    find(text, &Context::default(), &mut out);
    out
}

/// The hit for `s` placed at byte `at` of `text`, if reported exactly.
fn found(hits: &[Hit], s: &Sample, at: usize) -> bool {
    let offset = s.text.find(s.span).expect("span inside text");
    let start = at + offset;
    hits.iter()
        .any(|h| h.rule == s.rule && h.start == start && h.end == start + s.span.len())
}

#[test]
fn each_sample_alone_is_found() {
    for s in SAMPLES {
        let h = hits(s.text);
        assert!(found(&h, s, 0), "{} alone: {:?} gave {h:?}", s.rule, s.text);
    }
}

#[test]
fn every_pair_of_identifiers_side_by_side_is_found() {
    let mut failures = Vec::new();
    let mut tested = 0;
    for a in SAMPLES {
        for b in SAMPLES {
            for &sep in SEPARATORS {
                if !allowed(a, sep, b) {
                    continue;
                }
                tested += 1;
                let text = format!("{}{sep}{}", a.text, b.text);
                let h = hits(&text);
                let b_at = a.text.len() + sep.len();
                let (fa, fb) = (found(&h, a, 0), found(&h, b, b_at));
                if !(fa && fb) {
                    let got: Vec<(&str, &str)> =
                        h.iter().map(|x| (x.rule, &text[x.start..x.end])).collect();
                    failures.push(format!(
                        "{text:?}: {} {}, {} {}; got {got:?}",
                        a.rule,
                        if fa { "found" } else { "MISSED" },
                        b.rule,
                        if fb { "found" } else { "MISSED" },
                    ));
                }
            }
        }
    }
    // Every ordered pair with the four separators, plus the glued pairs.
    let n = SAMPLES.len();
    assert!(tested > n * n * 4, "{tested} combinations");
    eprintln!("{tested} side-by-side combinations of {n} samples");
    assert!(
        failures.is_empty(),
        "{} of {tested} combinations lost an identifier:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The example of the issue, in a note.
#[test]
fn nino_and_nhs_number_in_one_note() {
    let text = "NI AB123456C NHS 943 476 5919";
    let got: Vec<(&str, &str)> = hits(text)
        .iter()
        .map(|h| (h.rule, &text[h.start..h.end]))
        .collect();
    assert_eq!(
        got,
        [
            ("pii.nino", "AB123456C"),
            ("pii.nhs-number", "943 476 5919")
        ]
    );
}

/// A longer, earlier pattern that wins at a position and fails validation must not hide a
/// valid identifier of a later kind at the same position: an IBAN-shaped run over a
/// registration mark, an NI number, a postcode; an email-shaped token whose local part is
/// not personal.
#[test]
fn a_failed_longer_kind_does_not_hide_a_later_kind_at_the_same_start() {
    for (text, rule, span) in [
        (
            "Vehicle reg AB12 CDE AB123456C",
            "pii.vehicle-registration",
            "AB12 CDE",
        ),
        ("AB123456C NR1 2AB", "pii.nino", "AB123456C"),
        ("NR12 3AB 943 476 5919", "pii.postcode", "NR12 3AB"),
    ] {
        let h = hits(text);
        let ok = h
            .iter()
            .any(|x| x.rule == rule && &text[x.start..x.end] == span);
        assert!(ok, "{text:?}: expected {rule} {span:?}, got {h:?}");
    }
}

/// Digit groups separated by single spaces are one run to a reader as well; the windows
/// take the longest valid identifier from the left. Pinned here so a change is deliberate.
#[test]
fn ambiguous_digit_runs_take_the_longest_identifier() {
    // 16 + 3 digits: "4111 1111 1111 1111 943" is not Luhn-valid as 19 digits, so the card
    // is found and the NHS number after it too.
    let text = "4111 1111 1111 1111 943 476 5919";
    let rules: Vec<&str> = hits(text).iter().map(|h| h.rule).collect();
    assert_eq!(rules, ["pii.payment-card", "pii.nhs-number"]);
    // A 19-digit Visa written 4-4-4-4-3 is one card; what follows is a phone.
    let text = "4111 1111 1111 1111 003 07700 900123";
    let got: Vec<(&str, &str)> = hits(text)
        .iter()
        .map(|h| (h.rule, &text[h.start..h.end]))
        .collect();
    assert_eq!(
        got,
        [
            ("pii.payment-card", "4111 1111 1111 1111 003"),
            ("pii.phone", "07700 900123")
        ]
    );
}
