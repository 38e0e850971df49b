//! The PowerPoint inspector on presentations written by python-pptx
//! (`tests/data/pptx/make.py`, run once, outputs committed): every rule with a deck that must
//! trigger it and one that must not, the places findings name (slide, story, paragraph),
//! what reaches the detectors as visible and as hidden text, and a clean deck that passes.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use common::*;
use foiguard::detect::Engine;
use foiguard::formats::Format;
use foiguard::model::{ItemKind, PartState, Story};
use foiguard::{Finding, Limits, OwnedItem, Severity, Verdict};

const CLEAN: &[u8] = include_bytes!("data/pptx/clean-deck.pptx");
const NOTES: &[u8] = include_bytes!("data/pptx/notes.pptx");
const HIDDEN_SLIDE: &[u8] = include_bytes!("data/pptx/hidden-slide.pptx");
const OFF_SLIDE: &[u8] = include_bytes!("data/pptx/off-slide.pptx");
const COVERED: &[u8] = include_bytes!("data/pptx/covered.pptx");
const NOT_COVERED: &[u8] = include_bytes!("data/pptx/not-covered.pptx");
const HIDDEN_SHAPE: &[u8] = include_bytes!("data/pptx/hidden-shape.pptx");
const LEGACY_COMMENTS: &[u8] = include_bytes!("data/pptx/legacy-comments.pptx");
const MODERN_COMMENTS: &[u8] = include_bytes!("data/pptx/modern-comments.pptx");
const CHART: &[u8] = include_bytes!("data/pptx/chart.pptx");
const EMBEDDED: &[u8] = include_bytes!("data/pptx/embedded.pptx");
const VICTIMS_TABLE: &[u8] = include_bytes!("data/pptx/victims-table.pptx");
const MASTER_TEXT: &[u8] = include_bytes!("data/pptx/master-text.pptx");
const METADATA: &[u8] = include_bytes!("data/pptx/metadata.pptx");

fn full(bytes: &[u8]) -> (Vec<Finding>, Vec<OwnedItem>) {
    let (_, findings, items) =
        foiguard::scan_bytes(bytes, &Limits::default(), &Engine::new(), true);
    (findings, items)
}

fn structural(bytes: &[u8]) -> Vec<Finding> {
    let (format, findings) = scan(bytes);
    assert!(
        matches!(format, Format::Pptx | Format::Pptm),
        "sniffed as {format:?}"
    );
    findings
}

fn contains_all(haystack: &str, needles: &[&str]) {
    for n in needles {
        assert!(haystack.contains(n), "expected {n:?} in {haystack:?}");
    }
}

fn no_leak(findings: &[Finding]) {
    for f in findings {
        for s in ["Smith", "Patel", "Brown", "07700", "Acacia", "1975"] {
            assert!(
                !f.message.contains(s),
                "message of {} leaks {s:?}: {}",
                f.rule,
                f.message
            );
        }
    }
}

// ---------------------------------------------------------------------------
// The clean deck.
// ---------------------------------------------------------------------------

#[test]
fn a_clean_deck_passes_with_no_finding_and_its_text_is_read_in_order() {
    assert_eq!(scan(CLEAN).0, Format::Pptx);
    let (findings, items) = full(CLEAN);
    assert!(findings.is_empty(), "{}", dump(&findings));
    let report = scan_as_file(CLEAN, "deck.pptx", Severity::High);
    assert_eq!(report.verdict, Verdict::Pass);
    for state in [PartState::Unknown, PartState::Orphan, PartState::Unreadable] {
        assert!(
            !report.parts.states.contains_key(&state),
            "{state:?}: {:?}",
            report.parts
        );
    }
    // Slide text in shape-tree order, numbered per slide.
    let title = item(&items, ItemKind::Paragraph, "Priorities");
    assert_eq!(title.location.slide, Some(2));
    assert_eq!(title.location.story, Some(Story::Body));
    assert_eq!(title.location.paragraph, Some(1));
    assert!(!title.hidden);
    let third = item(
        &items,
        ItemKind::Paragraph,
        "Crime prevention advice for students",
    );
    assert_eq!(third.location.paragraph, Some(4));
    // A table is a grid of cells on its slide.
    let cell = item(&items, ItemKind::Cell, "47");
    assert_eq!(cell.location.slide, Some(3));
    assert_eq!(cell.location.cell.as_deref(), Some("B3"));
    // Layout and master prompts are not text of the deck.
    assert!(
        !items
            .iter()
            .any(|i| i.text.contains("Click to edit Master")),
        "{}",
        dump_items(&items)
    );
}

// ---------------------------------------------------------------------------
// speaker-notes
// ---------------------------------------------------------------------------

#[test]
fn speaker_notes_are_reported_per_slide_and_scanned_as_notes() {
    let findings = structural(NOTES);
    let f = only(&findings, "speaker-notes");
    assert_eq!(f.severity, Severity::Medium);
    assert!(f.hidden);
    assert_eq!(f.location.slide, Some(2));
    assert_eq!(f.location.story, Some(Story::Notes));
    assert_eq!(
        f.location.part.as_deref(),
        Some("ppt/notesSlides/notesSlide1.xml")
    );
    contains_all(&f.message, &["speaker notes of slide 2", "2 paragraphs"]);
    no_leak(&findings);
    let (findings, items) = full(NOTES);
    let n = item(
        &items,
        ItemKind::Notes,
        "DS Raj Patel 4821 leads on the Acacia Avenue burglaries.",
    );
    assert!(n.hidden);
    assert_eq!(n.location.slide, Some(2));
    assert_eq!(n.location.story, Some(Story::Notes));
    assert_eq!(n.location.paragraph, Some(1));
    // The slide number on the notes page is not notes.
    assert_eq!(
        items.iter().filter(|i| i.kind == ItemKind::Notes).count(),
        2,
        "{}",
        dump_items(&items)
    );
    let officer = only(&findings, "pii.police-officer");
    assert_eq!(officer.severity, Severity::High);
    assert!(officer.hidden);
    assert_eq!(
        officer.location.describe(),
        "slide 2 (speaker notes), paragraph 1 (ppt/notesSlides/notesSlide1.xml)"
    );
}

#[test]
fn a_deck_without_notes_has_no_speaker_notes() {
    none_of(&structural(CLEAN), "speaker-notes");
}

// ---------------------------------------------------------------------------
// hidden-slide
// ---------------------------------------------------------------------------

#[test]
fn a_hidden_slide_is_reported_with_its_number_and_its_text_is_hidden() {
    let findings = structural(HIDDEN_SLIDE);
    let hidden = of_rule(&findings, "hidden-slide");
    assert_eq!(hidden.len(), 2, "{}", dump(&findings));
    let with_text = hidden.iter().find(|f| f.location.slide == Some(4)).unwrap();
    assert_eq!(with_text.severity, Severity::High);
    assert!(with_text.hidden);
    contains_all(
        &with_text.message,
        &["slide 4 is hidden", "2 shapes of text"],
    );
    let empty = hidden.iter().find(|f| f.location.slide == Some(5)).unwrap();
    assert_eq!(empty.severity, Severity::Low);
    contains_all(&empty.message, &["with no text"]);
    no_leak(&findings);
    let (findings, items) = full(HIDDEN_SLIDE);
    let t = item(
        &items,
        ItemKind::Paragraph,
        "Mr John Brown, born 17/09/1975",
    );
    assert!(t.hidden);
    assert_eq!(t.location.slide, Some(4));
    assert!(
        of_rule(&findings, "pii.person-name")
            .iter()
            .any(|f| f.hidden && f.location.slide == Some(4) && f.severity >= Severity::High)
    );
}

#[test]
fn a_deck_of_shown_slides_has_no_hidden_slide() {
    none_of(&structural(CLEAN), "hidden-slide");
}

// ---------------------------------------------------------------------------
// Content placed off the slide.
// ---------------------------------------------------------------------------

#[test]
fn text_placed_off_the_slide_is_reported_and_scanned_as_hidden() {
    let findings = structural(OFF_SLIDE);
    let f = only(&findings, "speaker-notes");
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.slide, Some(2));
    assert_eq!(f.location.story, None);
    contains_all(&f.message, &["1 shape placed off slide 2"]);
    let (_, items) = full(OFF_SLIDE);
    let off = item(
        &items,
        ItemKind::Paragraph,
        "Reminder: call Mrs Jane Smith on 07700 900123",
    );
    assert!(off.hidden);
    assert_eq!(off.detail.as_deref(), Some("text placed off the slide"));
    // Half on the slide is on it.
    assert!(!item(&items, ItemKind::Paragraph, "Draft").hidden);
}

// ---------------------------------------------------------------------------
// fake-redaction: text under an opaque shape.
// ---------------------------------------------------------------------------

#[test]
fn a_black_box_over_a_text_box_is_a_fake_redaction() {
    let findings = structural(COVERED);
    let fakes = of_rule(&findings, "fake-redaction");
    assert_eq!(fakes.len(), 2, "{}", dump(&findings));
    let covered = fakes
        .iter()
        .find(|f| f.severity == Severity::Critical)
        .expect("critical");
    assert!(covered.hidden);
    assert_eq!(covered.location.slide, Some(2));
    contains_all(&covered.message, &["1 text shape on slide 2", "dark box"]);
    let review = fakes
        .iter()
        .find(|f| f.severity == Severity::Low)
        .expect("review");
    assert!(!review.hidden);
    contains_all(&review.message, &["partly covers"]);
    no_leak(&findings);
    let (_, items) = full(COVERED);
    let under = item(
        &items,
        ItemKind::Paragraph,
        "Witness: Mr John Brown, 07700 900321",
    );
    assert!(under.hidden);
    assert!(!item(&items, ItemKind::Paragraph, "Next review in March").hidden);
}

#[test]
fn a_banner_and_a_label_on_a_panel_are_layout_not_redaction() {
    let (findings, items) = full(NOT_COVERED);
    none_of(&findings, "fake-redaction");
    assert!(!item(&items, ItemKind::Paragraph, "Call 101").hidden);
}

// ---------------------------------------------------------------------------
// hidden-text: hidden shapes.
// ---------------------------------------------------------------------------

#[test]
fn a_hidden_shape_with_text_is_hidden_text() {
    let findings = structural(HIDDEN_SHAPE);
    let f = only(&findings, "hidden-text");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.slide, Some(2));
    contains_all(&f.message, &["1 hidden shape on slide 2 holds text"]);
    let (_, items) = full(HIDDEN_SHAPE);
    assert!(item(&items, ItemKind::Paragraph, "Informant: Mr John Brown").hidden);
    none_of(&structural(CLEAN), "hidden-text");
}

// ---------------------------------------------------------------------------
// comment
// ---------------------------------------------------------------------------

#[test]
fn legacy_comments_are_reported_with_replies_and_authors() {
    let findings = structural(LEGACY_COMMENTS);
    let f = only(&findings, "comment");
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(f.location.slide, Some(2));
    assert_eq!(f.location.story, Some(Story::Comment));
    contains_all(
        &f.message,
        &["2 legacy comments (1 of them a reply) by 2 authors on slide 2"],
    );
    no_leak(&findings);
    let (findings, items) = full(LEGACY_COMMENTS);
    let c = item(
        &items,
        ItemKind::Comment,
        "Mrs Jane Smith asked not to be named.",
    );
    assert!(c.hidden);
    assert_eq!(c.location.slide, Some(2));
    assert_eq!(items_with(&items, ItemKind::Author, "Raj Patel").len(), 1);
    assert!(
        of_rule(&findings, "pii.person-name")
            .iter()
            .any(|f| f.location.story == Some(Story::Comment) && f.severity >= Severity::High)
    );
}

#[test]
fn modern_comments_are_reported_and_their_authors_mailboxes_found() {
    let findings = structural(MODERN_COMMENTS);
    let f = only(&findings, "comment");
    assert_eq!(f.location.slide, Some(2));
    contains_all(
        &f.message,
        &["2 comments (1 of them a reply) by 1 author on slide 2"],
    );
    let (findings, items) = full(MODERN_COMMENTS);
    item(
        &items,
        ItemKind::Comment,
        "Victim Mrs Jane Smith is named on the next slide.",
    );
    item(&items, ItemKind::Comment, "Removed it.");
    let email = only(&findings, "pii.email");
    assert_eq!(email.location.part.as_deref(), Some("ppt/authors.xml"));
    assert!(email.hidden);
}

#[test]
fn a_deck_without_comments_has_no_comment_finding() {
    none_of(&structural(CLEAN), "comment");
}

// ---------------------------------------------------------------------------
// chart-cache, embedded-object
// ---------------------------------------------------------------------------

#[test]
fn a_chart_and_its_data_workbook_are_found_on_their_slide() {
    let (findings, items) = full(CHART);
    let f = only(&findings, "chart-cache");
    assert_eq!(f.severity, Severity::Low);
    assert_eq!(f.location.slide, Some(4));
    contains_all(&f.message, &["3 values and 4 labels", "embedded workbook"]);
    let workbook = only(&findings, "embedded-object");
    assert_eq!(workbook.location.slide, Some(4));
    let label = item(&items, ItemKind::ChartLabel, "Thorpe");
    assert_eq!(label.location.slide, Some(4));
    assert!(items.iter().any(|i| !i.location.container.is_empty()
        && i.kind == ItemKind::Cell
        && i.text == "Thorpe"));
}

#[test]
fn an_embedded_workbook_gets_the_full_workbook_inspection() {
    let (findings, _) = full(EMBEDDED);
    let object = only(&findings, "embedded-object");
    assert_eq!(object.location.slide, Some(3));
    contains_all(&object.message, &["embedded workbook"]);
    let sheet = only(&findings, "hidden-sheet");
    assert_eq!(sheet.location.container.len(), 1);
    assert_eq!(sheet.location.sheet.as_deref(), Some("Victims"));
    assert!(of_rule(&findings, "personal-data-column").len() >= 2);
}

#[test]
fn a_deck_without_objects_has_no_chart_or_embedded_object() {
    let findings = structural(CLEAN);
    none_of(&findings, "chart-cache");
    none_of(&findings, "embedded-object");
}

// ---------------------------------------------------------------------------
// document-metadata, macro
// ---------------------------------------------------------------------------

#[test]
fn authors_in_the_properties_are_document_metadata() {
    let findings = structural(METADATA);
    let f = only(&findings, "document-metadata");
    contains_all(&f.message, &["author", "last modified by"]);
    none_of(&structural(CLEAN), "document-metadata");
}

/// The clean deck made macro-enabled the way PowerPoint saves a .pptm.
fn pptm() -> Vec<u8> {
    let mut pkg = fixtures::Pkg::open(CLEAN);
    pkg.set("ppt/vbaProject.bin", fixtures::vba_project_bin());
    pkg.replace(
        "[Content_Types].xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    );
    // `.bin` is printer settings in this package: the project gets its own override.
    pkg.add_override("ppt/vbaProject.bin", "application/vnd.ms-office.vbaProject");
    pkg.add_rel(
        "ppt/_rels/presentation.xml.rels",
        "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
        "vbaProject.bin",
        false,
    );
    pkg.finish()
}

#[test]
fn a_macro_enabled_deck_is_pptm_and_its_vba_is_reported() {
    let bytes = pptm();
    assert_eq!(scan(&bytes).0, Format::Pptm);
    let f = only(&structural(&bytes), "macro").clone();
    assert_eq!(f.location.part.as_deref(), Some("ppt/vbaProject.bin"));
    none_of(&structural(CLEAN), "macro");
}

// ---------------------------------------------------------------------------
// Tables on slides, layouts and masters.
// ---------------------------------------------------------------------------

#[test]
fn a_table_of_victims_on_a_slide_is_row_level_data() {
    let (findings, items) = full(VICTIMS_TABLE);
    let rows = only(&findings, "row-level-data");
    assert_eq!(rows.location.slide, Some(4));
    assert_eq!(rows.location.range.as_deref(), Some("A1:D12"));
    assert_eq!(of_rule(&findings, "personal-data-column").len(), 4);
    let cell = item(&items, ItemKind::Cell, "14 Acacia Avenue");
    assert_eq!(cell.location.slide, Some(4));
    assert_eq!(cell.location.cell.as_deref(), Some("D2"));
}

#[test]
fn text_on_the_master_is_scanned_as_hidden_and_its_prompts_are_not() {
    let (findings, items) = full(MASTER_TEXT);
    let t = item(&items, ItemKind::Text, "Prepared by DS Raj Patel 4821");
    assert!(t.hidden);
    assert_eq!(
        t.location.part.as_deref(),
        Some("ppt/slideMasters/slideMaster1.xml")
    );
    assert!(
        !items
            .iter()
            .any(|i| i.text == "Click to edit Master title style")
    );
    assert!(!items.iter().any(|i| i.text == "Second level"));
    assert!(of_rule(&findings, "pii.police-officer").iter().any(
        |f| f.hidden && f.location.part.as_deref() == Some("ppt/slideMasters/slideMaster1.xml")
    ));
}

// ---------------------------------------------------------------------------
// The places a finding names, in JSON and in the human report.
// ---------------------------------------------------------------------------

#[test]
fn json_and_human_reports_name_the_slide_and_the_notes() {
    let dir = TempFiles::new();
    dir.add("deck.pptx", NOTES);
    let out = dir
        .cmd()
        .args(["scan", "--format", "json", "deck.pptx"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let file = &json["files"][0];
    assert_eq!(file["format"], "pptx");
    let notes = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "speaker-notes")
        .expect("speaker-notes");
    assert_eq!(notes["location"]["slide"], 2);
    assert_eq!(notes["location"]["story"], "notes");
    assert_eq!(notes["location"]["paragraph"], 1);
    assert!(notes["location"].get("sheet").is_none());
    let human = dir
        .cmd()
        .args(["scan", "deck.pptx"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let human = String::from_utf8(human).unwrap();
    contains_all(
        &human,
        &["slide 2 (speaker notes), paragraph 1 (ppt/notesSlides/notesSlide1.xml)"],
    );
    for s in ["Smith", "Patel", "Acacia"] {
        assert!(!human.contains(s), "human report leaks {s}:\n{human}");
    }
}

// ---------------------------------------------------------------------------
// Broken decks.
// ---------------------------------------------------------------------------

#[test]
fn a_malformed_slide_is_unscannable_and_the_other_slides_are_read() {
    let broken = edit_part(NOTES, "ppt/slides/slide1.xml", |x| {
        x.replace("</p:sld>", "<p:cSld><p:spTree>")
    });
    let (findings, items) = full(&broken);
    let u = only(&findings, "unscannable");
    assert_eq!(u.location.part.as_deref(), Some("ppt/slides/slide1.xml"));
    assert!(items.iter().any(|i| i.text == "Priorities"));
    assert!(of_rule(&findings, "speaker-notes").len() == 1);
}

#[test]
fn a_slide_no_longer_listed_is_residual_data() {
    // Drop slide 2 from the slide list: its part (and notes) stay in the package.
    let bytes = edit_part(NOTES, "ppt/presentation.xml", |x| {
        let start = x.find("<p:sldId id=\"257\"").expect("second slide id");
        let end = start + x[start..].find("/>").unwrap() + 2;
        format!("{}{}", &x[..start], &x[end..])
    });
    let findings = structural(&bytes);
    let r = only(&findings, "residual-data");
    assert_eq!(r.location.part.as_deref(), Some("ppt/slides/slide2.xml"));
    assert_eq!(r.severity, Severity::High);
    contains_all(&r.message, &["not in the presentation's slide list"]);
    // The third slide is now slide 2.
    let (_, items) = full(&bytes);
    assert_eq!(
        item(&items, ItemKind::Paragraph, "Recorded offences")
            .location
            .slide,
        Some(2)
    );
    let notes = of_rule(&findings, "speaker-notes");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].location.slide, None);
}

#[test]
fn a_slide_too_crowded_to_check_is_unscannable_and_its_text_still_scanned() {
    let shape = |i: usize| {
        format!(
            "<p:sp><p:nvSpPr><p:cNvPr id=\"{}\" name=\"T{i}\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr>\
             <p:spPr><a:xfrm><a:off x=\"{i}\" y=\"100\"/><a:ext cx=\"1000\" cy=\"1000\"/></a:xfrm></p:spPr>\
             <p:txBody><a:bodyPr/><a:p><a:r><a:t>box {i}</a:t></a:r></a:p></p:txBody></p:sp>",
            i + 100
        )
    };
    let many: String = (0..6_000).map(shape).collect();
    let crowded = edit_part(CLEAN, "ppt/slides/slide1.xml", |x| {
        x.replace("</p:spTree>", &format!("{many}</p:spTree>"))
    });
    let (findings, items) = full(&crowded);
    let u = only(&findings, "unscannable");
    assert_eq!(u.location.slide, Some(1));
    assert!(item(&items, ItemKind::Paragraph, "box 17").hidden);
    // The other slides are judged as usual.
    assert!(!item(&items, ItemKind::Paragraph, "Priorities").hidden);
}
