//! The Word 97–2003 (doc) inspector on real binary files: tests/data/doc, written once by
//! LibreOffice's Word 97 export from python-docx and odfpy sources (make.py) and through
//! its UNO API (make_lo.py). Each rule has a positive and a negative file, with the places
//! (story, paragraph, table cells) and message shapes of the docx inspector; damaged
//! copies of every fixture must never make the parser fail.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;
#[path = "common/ole.rs"]
mod ole;

use common::*;
use foiguard::detect::Engine;
use foiguard::formats::{self, Format};
use foiguard::model::{ItemKind, Story};
use foiguard::{Finding, Limits, OwnedItem, Severity, Verdict, scan_bytes};

fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/doc/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Structural findings of a fixture, checking it was read as doc and fully inspected.
fn doc(name: &str) -> Vec<Finding> {
    doc_items(name).0
}

fn doc_items(name: &str) -> (Vec<Finding>, Vec<OwnedItem>) {
    let bytes = data(name);
    assert_eq!(formats::sniff(&bytes), Format::Doc, "{name}");
    let (findings, items) = scan_items(&bytes);
    none_of(&findings, "unscannable");
    (findings, items)
}

/// Every detector on, as `foiguard scan` runs them.
fn full(bytes: &[u8]) -> Vec<Finding> {
    scan_bytes(bytes, &Limits::default(), &Engine::default(), false).1
}

fn contains(haystack: &str, needles: &[&str]) {
    for n in needles {
        assert!(haystack.contains(n), "expected {n:?} in {haystack:?}");
    }
}

const PART: &str = "WordDocument";

// ----------------------------------------------------------------------------------------
// Text and places
// ----------------------------------------------------------------------------------------

#[test]
fn clean_letter_has_no_findings_and_passes() {
    let bytes = data("letter-clean.doc");
    let (findings, items) = doc_items("letter-clean.doc");
    assert!(findings.is_empty(), "{}", dump(&findings));
    assert!(full(&bytes).iter().all(|f| f.severity < Severity::High));
    assert_eq!(
        scan_as_file(&bytes, "letter.doc", Severity::High).verdict,
        Verdict::Pass
    );
    // The body's paragraphs, numbered from 1, visible.
    let heading = item(
        &items,
        ItemKind::Paragraph,
        "Freedom of Information request FOI-2024-0311",
    );
    assert!(!heading.hidden);
    assert_eq!(heading.location.part.as_deref(), Some(PART));
    assert_eq!(heading.location.story, Some(Story::Body));
    assert_eq!(heading.location.paragraph, Some(1));
    // The statistics table is a grid: rows and columns.
    let theft = item(&items, ItemKind::Cell, "Theft");
    assert_eq!(theft.location.cell.as_deref(), Some("A3"));
    let count = item(&items, ItemKind::Cell, "310");
    assert_eq!(count.location.cell.as_deref(), Some("C3"));
    // Header and footer are their own stories.
    let header = item(
        &items,
        ItemKind::Paragraph,
        "Norfolk Constabulary - Information Rights",
    );
    assert_eq!(header.location.story, Some(Story::Header));
    assert_eq!(header.location.paragraph, Some(1));
    let footer = item(&items, ItemKind::Paragraph, "Official - for release");
    assert_eq!(footer.location.story, Some(Story::Footer));
}

#[test]
fn every_story_is_read_with_its_place() {
    let (findings, items) = doc_items("letter-stories.doc");
    assert!(findings.is_empty(), "{}", dump(&findings));
    let story_of = |text: &str| {
        items
            .iter()
            .find(|i| i.text.contains(text))
            .unwrap_or_else(|| panic!("no item with {text:?}:\n{}", dump_items(&items)))
            .location
            .story
    };
    assert_eq!(story_of("Prepared by PC 4821"), Some(Story::Header));
    assert_eq!(story_of("Reviewed by DS Raj PATEL"), Some(Story::Footer));
    assert_eq!(
        story_of("custody record of Harry WRIGHT"),
        Some(Story::Footnote)
    );
    assert_eq!(story_of("Iris MURPHY"), Some(Story::Endnote));
    assert_eq!(story_of("Officer in case: Jack KHAN"), Some(Story::Textbox));
    assert!(items.iter().all(|i| !i.hidden), "{}", dump_items(&items));
    // Visible text goes through the detectors too: the officer in the header is found.
    let officers = of_rule(&full(&data("letter-stories.doc")), "pii.police-officer")
        .into_iter()
        .map(|f| f.location.story)
        .collect::<Vec<_>>();
    assert!(officers.contains(&Some(Story::Header)), "{officers:?}");
    assert!(officers.contains(&Some(Story::Footer)), "{officers:?}");
}

#[test]
fn table_of_victims_is_row_level_data() {
    let bytes = data("letter-victims-table.doc");
    let findings = full(&bytes);
    none_of(&findings, "unscannable");
    let rows = only(&findings, "row-level-data");
    assert_eq!(rows.location.range.as_deref(), Some("A1:C13"));
    assert_eq!(rows.location.story, Some(Story::Body));
    assert_eq!(rows.location.part.as_deref(), Some(PART));
    assert!(!rows.hidden);
    let columns = of_rule(&findings, "personal-data-column");
    assert_eq!(columns.len(), 3, "{}", dump(&findings));
    let names = columns
        .iter()
        .find(|f| f.message.contains("'Name'"))
        .expect("name column");
    assert_eq!(names.location.range.as_deref(), Some("A2:A13"));
    // The clean letter's statistics table is not a table of people.
    let clean = full(&data("letter-clean.doc"));
    none_of(&clean, "personal-data-column");
    none_of(&clean, "row-level-data");
}

// ----------------------------------------------------------------------------------------
// tracked-change
// ----------------------------------------------------------------------------------------

#[test]
fn tracked_deletion_keeps_the_victim_and_names_its_author() {
    let (findings, items) = doc_items("letter-tracked-deletion.doc");
    let f = only(&findings, "tracked-change");
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    contains(
        &f.message,
        &[
            "tracked changes still in the file: 1 deletion (",
            "characters of deleted text in paragraph 13)",
            "1 insertion",
            "by 1 author",
        ],
    );
    assert!(!f.message.contains("SMITH"), "message leaks: {}", f.message);
    assert_eq!(f.location.part.as_deref(), Some(PART));
    assert_eq!(f.location.story, Some(Story::Body));
    assert_eq!(f.location.paragraph, Some(13));
    let deleted = items
        .iter()
        .find(|i| i.kind == ItemKind::Revision)
        .expect("deleted text");
    assert!(deleted.hidden);
    assert!(deleted.text.contains("Jane SMITH of 14 Acacia Avenue"));
    assert_eq!(deleted.detail.as_deref(), Some("tracked deletion"));
    // The inserted text reads as part of the paragraph.
    item(
        &items,
        ItemKind::Paragraph,
        "The burglary was reported in May 2023.",
    );
    let author = item(&items, ItemKind::Author, "Peter BLOGGS");
    assert!(author.hidden);
    // The NI number in the deleted text is found, as hidden content.
    let all = full(&data("letter-tracked-deletion.doc"));
    let nino = only(&all, "pii.nino");
    assert_eq!(nino.severity, Severity::Critical);
    assert_eq!(nino.location.paragraph, Some(13));
}

#[test]
fn insertion_alone_is_medium_and_a_clean_letter_has_none() {
    let findings = doc("letter-tracked-insertion.doc");
    let f = only(&findings, "tracked-change");
    assert_eq!(f.severity, Severity::Medium);
    contains(&f.message, &["1 insertion in paragraph 13", "by 1 author"]);
    none_of(&doc("letter-clean.doc"), "tracked-change");
}

// ----------------------------------------------------------------------------------------
// hidden-text
// ----------------------------------------------------------------------------------------

#[test]
fn hidden_text_is_found_directly_and_through_a_style() {
    let (findings, items) = doc_items("letter-hidden-text.doc");
    let f = only(&findings, "hidden-text");
    assert_eq!(f.severity, Severity::High);
    contains(
        &f.message,
        &["hidden text (formatted hidden directly)", "in paragraph 13"],
    );
    let hidden = items
        .iter()
        .find(|i| i.detail.as_deref() == Some("hidden text"))
        .expect("hidden item");
    assert!(hidden.hidden);
    assert!(hidden.text.contains("Mark TAYLOR"));
    // The visible part of the paragraph stays visible.
    item(&items, ItemKind::Paragraph, "Enquiries were completed.");

    let styled = doc("letter-hidden-style.doc");
    let f = only(&styled, "hidden-text");
    contains(&f.message, &["through style 'Case note'"]);
    none_of(&doc("letter-clean.doc"), "hidden-text");
}

// ----------------------------------------------------------------------------------------
// comment
// ----------------------------------------------------------------------------------------

#[test]
fn comments_are_reported_with_their_authors_and_anchor() {
    let (findings, items) = doc_items("letter-comments.doc");
    let f = only(&findings, "comment");
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(
        f.message,
        "1 comment by 1 author; on paragraph 13 of the body"
    );
    assert_eq!(f.location.story, Some(Story::Comment));
    assert_eq!(f.location.paragraph, Some(1));
    let text = items
        .iter()
        .find(|i| i.kind == ItemKind::Comment)
        .expect("comment text");
    assert!(text.hidden);
    assert!(text.text.contains("DS Raj PATEL"));
    assert_eq!(text.location.story, Some(Story::Comment));
    item(&items, ItemKind::Author, "Peter BLOGGS");
    item(&items, ItemKind::Author, "PB");
    // The officer named in the comment is found, placed in the comment.
    let all = full(&data("letter-comments.doc"));
    let officer = only(&all, "pii.police-officer");
    assert_eq!(officer.location.story, Some(Story::Comment));
    none_of(&doc("letter-clean.doc"), "comment");
}

// ----------------------------------------------------------------------------------------
// disguised-content and fake-redaction
// ----------------------------------------------------------------------------------------

#[test]
fn white_and_tiny_text_are_disguised_and_legible_styling_is_not() {
    let (findings, items) = doc_items("letter-disguised.doc");
    let f = only(&findings, "disguised-content");
    assert_eq!(f.severity, Severity::High);
    contains(
        &f.message,
        &[
            "text coloured like its background (white on white) in paragraph 13",
            "text of 1 pt or smaller in paragraph 14",
        ],
    );
    assert!(items.iter().any(|i| i.hidden
        && i.detail.as_deref() == Some("text coloured like its background")
        && i.text.contains("Ben KING")));
    assert!(items.iter().any(|i| i.hidden
        && i.detail.as_deref() == Some("text of 1 pt or smaller")
        && i.text.contains("Carol HALL")));
    // White text on dark blue shading, and a table header white on dark blue cells (the
    // cells' shading is in the row's table properties), are styling a reader sees.
    let (legible, items) = doc_items("letter-legible-styling.doc");
    assert!(legible.is_empty(), "{}", dump(&legible));
    let header = item(&items, ItemKind::Cell, "Ward");
    assert!(!header.hidden);
    assert_eq!(header.location.cell.as_deref(), Some("A1"));
}

#[test]
fn black_bars_of_the_texts_own_colour_are_fake_redactions() {
    let (findings, items) = doc_items("letter-fake-redaction.doc");
    let f = only(&findings, "fake-redaction");
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.hidden);
    contains(
        &f.message,
        &[
            "text coloured like its own black highlight or shading",
            "in 2 paragraphs (13, 14)",
        ],
    );
    for name in ["David JONES", "Emma BROWN"] {
        assert!(
            items.iter().any(|i| i.hidden
                && i.detail.as_deref() == Some("text under a black bar of its own colour")
                && i.text.contains(name)),
            "{name}:\n{}",
            dump_items(&items)
        );
    }
    // Black highlight over automatic (white) text reads: a warning, not a hidden text; a
    // yellow highlight is emphasis.
    let readable = doc("letter-highlight.doc");
    let f = only(&readable, "fake-redaction");
    assert_eq!(f.severity, Severity::Medium);
    assert!(!f.hidden);
    contains(
        &f.message,
        &["black highlight over text that stays readable"],
    );
    none_of(&doc("letter-clean.doc"), "fake-redaction");
}

// ----------------------------------------------------------------------------------------
// document-metadata, embedded-object, macro
// ----------------------------------------------------------------------------------------

#[test]
fn properties_name_the_author_and_editor() {
    let findings = doc("letter-metadata.doc");
    let f = only(&findings, "document-metadata");
    assert_eq!(f.severity, Severity::Low);
    contains(&f.message, &["author", "last modified by"]);
    assert!(!f.message.contains("BLOGGS"));
    none_of(&doc("letter-clean.doc"), "document-metadata");
}

#[test]
fn embedded_workbook_gets_the_full_workbook_inspection() {
    let findings = doc("letter-embedded.doc");
    let f = only(&findings, "embedded-object");
    assert_eq!(f.severity, Severity::Medium);
    contains(&f.message, &["embedded workbook"]);
    assert!(
        f.location
            .part
            .as_deref()
            .is_some_and(|p| p.starts_with("ObjectPool/")),
        "{}",
        dump(&findings)
    );
    // Placed at the paragraph that anchors it: LibreOffice puts the object in a frame, a
    // text box of its own.
    assert_eq!(f.location.story, Some(Story::Textbox));
    assert_eq!(f.location.paragraph, Some(1));
    let sheet = only(&findings, "hidden-sheet");
    assert_eq!(sheet.location.sheet.as_deref(), Some("Victims"));
    assert_eq!(sheet.location.container.len(), 1);
    none_of(&doc("letter-clean.doc"), "embedded-object");
}

#[test]
fn macros_storage_is_decoded() {
    // Word keeps its VBA project in the Macros storage; LibreOffice writes none, so the
    // project a real VBA writer made (the corpus's macro workbook) is stored there.
    let mut streams = ole::streams(&data("letter-clean.doc"));
    streams.extend(ole::vba_project(&fixtures::macro_workbook(), "Macros"));
    let bytes = ole::compound(&streams);
    let (_, findings) = scan(&bytes);
    none_of(&findings, "unscannable");
    let f = only(&findings, "macro");
    assert_eq!(f.location.part.as_deref(), Some("Macros"));
    contains(&f.message, &["VBA project with 1 module (Module1)"]);
    none_of(&doc("letter-clean.doc"), "macro");
}

// ----------------------------------------------------------------------------------------
// residual-data
// ----------------------------------------------------------------------------------------

#[test]
fn text_a_fast_save_left_behind_is_residual_data() {
    // A fast save appends its edits and leaves the text it replaced where it was, outside
    // every piece: marked fast-saved, with such text after the document's own.
    let mut streams = ole::streams(&data("letter-clean.doc"));
    let mut word = ole::stream(&streams, PART).to_vec();
    word[10] = (word[10] & 0x0F) | 0x04 | 0x10;
    word.extend_from_slice(b"\0\0Witness statement taken from Mark TAYLOR, 07700 900456\0\0");
    ole::replace(&mut streams, PART, word);
    let bytes = ole::compound(&streams);
    let findings = full(&bytes);
    none_of(&findings, "unscannable");
    let f = only(&findings, "residual-data");
    assert_eq!(f.severity, Severity::High);
    contains(
        &f.message,
        &[
            "fast-saved (1 quick save in a row)",
            "1 run of earlier text",
        ],
    );
    let phone = only(&findings, "pii.phone");
    assert!(phone.hidden);
    // Without the fast-save flag the same bytes are not searched; a clean letter has none.
    none_of(&doc("letter-clean.doc"), "residual-data");
}

#[test]
fn a_table_stream_left_by_an_earlier_save_is_residual_data() {
    let mut streams = ole::streams(&data("letter-clean.doc"));
    let table = ole::stream(&streams, "1Table").to_vec();
    streams.push(("0Table".to_string(), table));
    let (_, findings) = scan(&ole::compound(&streams));
    none_of(&findings, "unscannable");
    let f = only(&findings, "residual-data");
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(f.location.part.as_deref(), Some("0Table"));
    contains(
        &f.message,
        &["left from an earlier save (the document uses 1Table)"],
    );
}

// ----------------------------------------------------------------------------------------
// unscannable
// ----------------------------------------------------------------------------------------

#[test]
fn a_password_protected_document_is_unscannable() {
    let bytes = data("letter-password.doc");
    assert_eq!(formats::sniff(&bytes), Format::Doc);
    let (_, findings) = scan(&bytes);
    let f = only(&findings, "unscannable");
    contains(&f.message, &["password-protected", "RC4"]);
    assert_eq!(
        scan_as_file(&bytes, "letter.doc", Severity::Critical).verdict,
        Verdict::Block
    );
}

#[test]
fn word_6_and_95_documents_are_unscannable_with_the_version() {
    // The version fields of a Word 6.0/95 FIB (nFib 101, signature 0xA5DC) on a real file:
    // no writer available here saves that format any more.
    let mut streams = ole::streams(&data("letter-clean.doc"));
    let mut word = ole::stream(&streams, PART).to_vec();
    word[0..4].copy_from_slice(&[0xDC, 0xA5, 0x65, 0x00]);
    ole::replace(&mut streams, PART, word);
    let (_, findings) = scan(&ole::compound(&streams));
    let f = only(&findings, "unscannable");
    contains(
        &f.message,
        &[
            "Word 6.0/95 document (file format version 101)",
            "Word 97 to 2003",
        ],
    );
}

#[test]
fn text_without_its_formatting_is_not_passed() {
    // A document whose character formatting pages are gone: its text could be hidden or
    // deleted, so it is refused rather than read as visible.
    let mut streams = ole::streams(&data("letter-hidden-text.doc"));
    let mut word = ole::stream(&streams, PART).to_vec();
    let cut = word.len() - 1024;
    word.truncate(cut);
    ole::replace(&mut streams, PART, word);
    let (_, findings) = scan(&ole::compound(&streams));
    let f = only(&findings, "unscannable");
    assert_eq!(f.location.part.as_deref(), Some(PART));
    none_of(&findings, "hidden-text");
}

#[test]
fn damaged_copies_never_make_the_parser_fail() {
    let dir = format!("{}/tests/data/doc", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".doc") && !n.contains("password"))
        .collect();
    names.sort();
    assert!(names.len() >= 14, "{names:?}");
    let limits = Limits::default();
    for (i, name) in names.iter().enumerate() {
        for (k, copy) in ole::damaged_copies(&data(name), &[PART, "1Table"], 0x9E37 + i as u64)
            .iter()
            .enumerate()
        {
            for f in findings_with(copy, &limits) {
                assert!(
                    !f.message.contains("parser failed"),
                    "{name} copy {k}: {}",
                    f.message
                );
            }
        }
    }
}

// ----------------------------------------------------------------------------------------
// The sample corpus
// ----------------------------------------------------------------------------------------

/// The doc samples of corpus/ block or pass as CORPUS.md says, with every detector on.
#[test]
fn doc_corpus_samples_have_their_expected_verdicts() {
    let mut checked = 0;
    for e in fixtures::corpus_index() {
        if !e.file.ends_with(".doc") {
            continue;
        }
        let report = scan_as_file(&(e.build)(), e.file, Severity::High);
        let want = match e.verdict {
            "block" => Verdict::Block,
            "pass" => Verdict::Pass,
            other => panic!("{}: unexpected verdict {other}", e.file),
        };
        assert_eq!(
            report.verdict,
            want,
            "{}:\n{}",
            e.file,
            dump(&report.findings)
        );
        checked += 1;
    }
    assert_eq!(checked, 2);
}

/// Files other projects wrote (../shared/realworld): Word 6/95, encryption, VBA, tracked
/// changes, comments and hidden text written by Word. Run with
/// `cargo test --test doc -- --ignored`.
#[test]
#[ignore]
fn realworld_files_other_writers_made() {
    let root = format!("{}/../../shared/realworld", env!("CARGO_MANIFEST_DIR"));
    let cases: &[(&str, &str)] = &[
        ("poi/test-data/document/Word6.doc", "unscannable"),
        ("poi/test-data/document/Word95.doc", "unscannable"),
        (
            "poi/test-data/document/PasswordProtected.doc",
            "unscannable",
        ),
        ("poi/test-data/document/59322.doc", "tracked-change"),
        (
            "poi/test-data/document/au.edu.utas.www___data_assets_word_doc_0003_154335_International-Travel-Approval-Request-Form.doc",
            "macro",
        ),
        ("poi/test-data/document/FloatingPictures.doc", "hidden-text"),
        ("poi/test-data/document/FloatingPictures.doc", "comment"),
        ("poi/test-data/document/Bug53380_2.doc", "fake-redaction"),
        (
            "poi/test-data/document/word_with_embeded.doc",
            "embedded-object",
        ),
        (
            "tika/tika-parsers/tika-parsers-standard/tika-parsers-standard-modules/tika-parser-microsoft-module/src/test/resources/test-documents/testComment.doc",
            "comment",
        ),
    ];
    for (path, rule) in cases {
        let full_path = format!("{root}/{path}");
        let Ok(bytes) = std::fs::read(&full_path) else {
            panic!("{full_path} missing");
        };
        let (_, findings) = scan(&bytes);
        assert!(
            !of_rule(&findings, rule).is_empty(),
            "{path}: no {rule}:\n{}",
            dump(&findings)
        );
    }
}
