//! The Word inspector on documents written by python-docx (`tests/data/docx/make.py`, run
//! once, outputs committed): every rule with a document that must trigger it and one that
//! must not, the places findings name (story, paragraph), what reaches the detectors as
//! visible and as hidden text, and a clean letter that passes.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use common::*;
use foiguard::detect::Engine;
use foiguard::formats::Format;
use foiguard::model::{ItemKind, PartState, Story};
use foiguard::{Finding, Limits, OwnedItem, Severity, Verdict};

const CLEAN: &[u8] = include_bytes!("data/docx/clean-letter.docx");
const TRACKED_DELETION: &[u8] = include_bytes!("data/docx/tracked-deletion.docx");
const TRACKED_OTHER: &[u8] = include_bytes!("data/docx/tracked-other.docx");
const COMMENTS: &[u8] = include_bytes!("data/docx/comments.docx");
const HIDDEN_TEXT: &[u8] = include_bytes!("data/docx/hidden-text.docx");
const FAKE_REDACTION: &[u8] = include_bytes!("data/docx/fake-redaction.docx");
const FAKE_REDACTION_REVIEW: &[u8] = include_bytes!("data/docx/fake-redaction-review.docx");
const DISGUISED: &[u8] = include_bytes!("data/docx/disguised.docx");
const STORIES: &[u8] = include_bytes!("data/docx/stories.docx");
const EMBEDDED: &[u8] = include_bytes!("data/docx/embedded.docx");
const CHART: &[u8] = include_bytes!("data/docx/chart.docx");
const SETTINGS: &[u8] = include_bytes!("data/docx/settings.docx");
const CUSTOM_XML: &[u8] = include_bytes!("data/docx/custom-xml.docx");
const METADATA: &[u8] = include_bytes!("data/docx/metadata.docx");
const VICTIMS_TABLE: &[u8] = include_bytes!("data/docx/victims-table.docx");

/// Scans with the personal-data detectors on, keeping every item.
fn full(bytes: &[u8]) -> (Vec<Finding>, Vec<OwnedItem>) {
    let (_, findings, items) =
        foiguard::scan_bytes(bytes, &Limits::default(), &Engine::new(), true);
    (findings, items)
}

fn structural(bytes: &[u8]) -> Vec<Finding> {
    let (format, findings) = scan(bytes);
    assert!(
        matches!(format, Format::Docx | Format::Docm),
        "sniffed as {format:?}"
    );
    findings
}

fn items_where(items: &[OwnedItem], f: impl Fn(&OwnedItem) -> bool) -> Vec<&OwnedItem> {
    items.iter().filter(|i| f(i)).collect()
}

fn contains_all(haystack: &str, needles: &[&str]) {
    for n in needles {
        assert!(haystack.contains(n), "expected {n:?} in {haystack:?}");
    }
}

/// Messages never carry personal data in clear.
fn no_leak(findings: &[Finding], secrets: &[&str]) {
    for f in findings {
        for s in secrets {
            assert!(
                !f.message.contains(s),
                "message of {} leaks {s:?}: {}",
                f.rule,
                f.message
            );
        }
    }
}

const SECRETS: &[&str] = &["Smith", "Patel", "Brown", "AB123456C", "07700", "Acacia"];

// ---------------------------------------------------------------------------
// The clean letter: what a reader sees goes to the detectors, nothing is reported.
// ---------------------------------------------------------------------------

#[test]
fn a_clean_letter_passes_with_no_finding() {
    assert_eq!(scan(CLEAN).0, Format::Docx);
    let (findings, items) = full(CLEAN);
    assert!(findings.is_empty(), "{}", dump(&findings));
    let report = scan_as_file(CLEAN, "letter.docx", Severity::High);
    assert_eq!(report.verdict, Verdict::Pass);
    // Every part ends inspected or known to hold no text; none is unknown or an orphan.
    for state in [PartState::Unknown, PartState::Orphan, PartState::Unreadable] {
        assert!(
            !report.parts.states.contains_key(&state),
            "{state:?}: {:?}",
            report.parts
        );
    }
    // The visible text: the heading and paragraphs in the body, numbered in order.
    let heading = item(
        &items,
        ItemKind::Paragraph,
        "Freedom of Information request FOI-2024-0311",
    );
    assert!(!heading.hidden);
    assert_eq!(heading.location.story, Some(Story::Body));
    assert_eq!(heading.location.paragraph, Some(4));
    assert_eq!(heading.location.part.as_deref(), Some("word/document.xml"));
    let header = item(&items, ItemKind::Paragraph, "OFFICIAL");
    assert_eq!(header.location.story, Some(Story::Header));
    assert_eq!(header.location.paragraph, Some(1));
    // The table is a grid of cells (row, column), one table of the body.
    let cell = items_where(&items, |i| i.kind == ItemKind::Cell && i.text == "47");
    assert_eq!(cell.len(), 1, "{}", dump_items(&items));
    assert_eq!(cell[0].location.cell.as_deref(), Some("B3"));
    assert!(!cell[0].hidden);
    // A run split in two ("Please quote the reference " + highlighted run) is one text.
    item(
        &items,
        ItemKind::Paragraph,
        "Please quote the reference FOI-2024-0311",
    );
}

// ---------------------------------------------------------------------------
// tracked-change
// ---------------------------------------------------------------------------

#[test]
fn a_tracked_deletion_is_reported_where_it_is_and_its_text_scanned_as_hidden() {
    let findings = structural(TRACKED_DELETION);
    let f = only(&findings, "tracked-change");
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("word/document.xml"));
    assert_eq!(f.location.story, Some(Story::Body));
    assert_eq!(f.location.paragraph, Some(18));
    contains_all(
        &f.message,
        &[
            "1 deletion (",
            "characters of deleted text in paragraph 18",
            "1 insertion",
            "by 1 author",
        ],
    );
    no_leak(&findings, SECRETS);

    let (findings, items) = full(TRACKED_DELETION);
    // The deleted runs are one text, hidden, with the paragraph's place.
    let deleted = item(&items, ItemKind::Revision, "Mrs Jane Smith (NI AB123456C)");
    assert!(deleted.hidden);
    assert_eq!(deleted.location.paragraph, Some(18));
    assert_eq!(deleted.detail.as_deref(), Some("tracked deletion"));
    // The inserted text is what a reader sees.
    item(
        &items,
        ItemKind::Paragraph,
        "The offence was reported by the victim on 12 January 2023.",
    );
    assert!(items_with(&items, ItemKind::Author, "J. Bloggs").len() == 1);
    // Personal data in the deleted text is hidden content: a valid NI number is critical.
    let nino = only(&findings, "pii.nino");
    assert_eq!(nino.severity, Severity::Critical);
    assert!(nino.hidden);
    assert_eq!(nino.location.paragraph, Some(18));
}

#[test]
fn insertions_moves_and_format_changes_are_tracked_changes_without_hidden_text() {
    let findings = structural(TRACKED_OTHER);
    let f = only(&findings, "tracked-change");
    assert_eq!(f.severity, Severity::Medium);
    contains_all(
        &f.message,
        &["1 insertion", "1 move", "1 format change", "by 1 author"],
    );
    assert!(!f.message.contains("deleted text"), "{}", f.message);
    let (_, items) = full(TRACKED_OTHER);
    // The moved text is where it went: it is not scanned a second time as hidden.
    assert!(
        items_where(&items, |i| i.kind == ItemKind::Revision).is_empty(),
        "{}",
        dump_items(&items)
    );
    assert_eq!(
        items_with(&items, ItemKind::Paragraph, "A sentence that moved.").len(),
        1
    );
}

#[test]
fn a_letter_without_revisions_has_no_tracked_change() {
    none_of(&structural(CLEAN), "tracked-change");
}

// ---------------------------------------------------------------------------
// comment
// ---------------------------------------------------------------------------

#[test]
fn comments_and_replies_are_reported_with_their_authors() {
    let findings = structural(COMMENTS);
    let f = only(&findings, "comment");
    assert_eq!(f.severity, Severity::Medium);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("word/comments.xml"));
    assert_eq!(f.location.story, Some(Story::Comment));
    assert_eq!(f.location.paragraph, Some(1));
    contains_all(
        &f.message,
        &[
            "2 comments (1 of them a reply)",
            "by 2 authors",
            "2 directory identities",
            "on paragraph 18 of the body",
        ],
    );
    no_leak(&findings, SECRETS);
    let (findings, items) = full(COMMENTS);
    let c = item(
        &items,
        ItemKind::Comment,
        "Check with DS Raj Patel before release.",
    );
    assert!(c.hidden);
    assert_eq!(c.location.story, Some(Story::Comment));
    for author in ["Raj Patel", "Jane Bloggs", "RP"] {
        assert!(
            !items_with(&items, ItemKind::Author, author).is_empty(),
            "{author}: {}",
            dump_items(&items)
        );
    }
    // people.xml keeps the author's mailbox in their directory identity.
    let email = only(&findings, "pii.email");
    assert_eq!(email.location.part.as_deref(), Some("word/people.xml"));
    assert!(email.hidden);
    assert!(
        of_rule(&findings, "pii.police-officer")
            .iter()
            .any(|f| f.location.story == Some(Story::Comment))
    );
}

#[test]
fn a_letter_without_comments_has_no_comment_finding() {
    none_of(&structural(CLEAN), "comment");
}

// ---------------------------------------------------------------------------
// hidden-text
// ---------------------------------------------------------------------------

#[test]
fn text_hidden_directly_through_a_style_or_special_vanish_is_hidden_text() {
    let findings = structural(HIDDEN_TEXT);
    let f = only(&findings, "hidden-text");
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.paragraph, Some(18));
    contains_all(
        &f.message,
        &["directly", "style 'Secret'", "3 paragraphs (18, 19, 20)"],
    );
    no_leak(&findings, SECRETS);
    let (findings, items) = full(HIDDEN_TEXT);
    for (text, paragraph) in [
        ("Mrs Jane Smith", 18),
        ("NI AB123456C", 19),
        ("07700 900123", 20),
    ] {
        let i = item(&items, ItemKind::Paragraph, text);
        assert!(i.hidden, "{text}");
        assert_eq!(i.location.paragraph, Some(paragraph), "{text}");
        assert_eq!(i.detail.as_deref(), Some("hidden text"));
    }
    // The visible rest of each paragraph stays visible.
    assert!(!item(&items, ItemKind::Paragraph, "Reference: ").hidden);
    assert_eq!(only(&findings, "pii.nino").severity, Severity::Critical);
}

#[test]
fn a_letter_without_hidden_formatting_has_no_hidden_text() {
    none_of(&structural(CLEAN), "hidden-text");
}

// ---------------------------------------------------------------------------
// fake-redaction
// ---------------------------------------------------------------------------

#[test]
fn black_bars_of_the_texts_own_colour_and_boxes_over_text_are_fake_redactions() {
    let findings = structural(FAKE_REDACTION);
    let fakes = of_rule(&findings, "fake-redaction");
    assert_eq!(fakes.len(), 3, "{}", dump(&findings));
    let bar = fakes
        .iter()
        .find(|f| f.message.contains("its own black highlight or shading"))
        .expect("bar");
    assert_eq!(bar.severity, Severity::Critical);
    assert!(bar.hidden);
    assert_eq!(bar.location.paragraph, Some(18));
    contains_all(&bar.message, &["2 paragraphs (18, 19)"]);
    let boxed = fakes
        .iter()
        .find(|f| f.message.contains("dark box is drawn in front of the text"))
        .expect("box");
    assert_eq!(boxed.severity, Severity::Critical);
    assert_eq!(boxed.location.paragraph, Some(21));
    // Black highlight over text in automatic colour: Word shows it white, so it is
    // readable; it looks like a redaction and hides nothing.
    let readable = fakes
        .iter()
        .find(|f| f.message.contains("stays readable"))
        .expect("readable");
    assert_eq!(readable.severity, Severity::Medium);
    assert!(!readable.hidden);
    assert_eq!(readable.location.paragraph, Some(20));
    no_leak(&findings, SECRETS);

    let (_, items) = full(FAKE_REDACTION);
    let under = item(&items, ItemKind::Paragraph, "Mrs Jane Smith");
    assert!(under.hidden);
    let boxed = item(
        &items,
        ItemKind::Paragraph,
        "The witness was Mr John Brown of Norwich.",
    );
    assert!(boxed.hidden);
    assert_eq!(
        boxed.detail.as_deref(),
        Some("text under a box drawn over it")
    );
    // The box is drawn once: its VML fallback is not a second box.
    assert_eq!(
        items_where(&items, |i| i.text.contains("John Brown")).len(),
        1
    );
}

#[test]
fn a_dark_box_placed_against_the_page_is_reported_for_review() {
    let findings = structural(FAKE_REDACTION_REVIEW);
    let f = only(&findings, "fake-redaction");
    assert_eq!(f.severity, Severity::Low);
    assert!(!f.hidden);
    contains_all(&f.message, &["check whether it covers text"]);
}

#[test]
fn yellow_highlight_and_white_text_on_a_dark_heading_are_not_redactions() {
    let findings = structural(CLEAN);
    none_of(&findings, "fake-redaction");
    none_of(&findings, "disguised-content");
}

// ---------------------------------------------------------------------------
// disguised-content
// ---------------------------------------------------------------------------

#[test]
fn white_text_on_the_page_and_one_point_text_are_disguised() {
    let findings = structural(DISGUISED);
    let f = only(&findings, "disguised-content");
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.paragraph, Some(18));
    contains_all(
        &f.message,
        &[
            "white on white) in paragraph 18",
            "1 pt or smaller in paragraph 19",
        ],
    );
    no_leak(&findings, SECRETS);
    let (findings, items) = full(DISGUISED);
    let white = item(
        &items,
        ItemKind::Paragraph,
        "Victim: Mrs Jane Smith, 07700 900123",
    );
    assert!(white.hidden);
    let tiny = item(&items, ItemKind::Paragraph, " NI AB123456C");
    assert!(tiny.hidden);
    assert_eq!(only(&findings, "pii.nino").severity, Severity::Critical);
}

// ---------------------------------------------------------------------------
// Headers, footers, footnotes, text boxes, alt text, field codes, the glossary.
// ---------------------------------------------------------------------------

#[test]
fn every_story_is_scanned_as_visible_or_hidden_as_it_really_is() {
    let (findings, items) = full(STORIES);
    let at = |text: &str| {
        let found = items_where(&items, |i| i.text.contains(text));
        assert_eq!(found.len(), 1, "{text}:\n{}", dump_items(&items));
        found[0]
    };
    let header = at("prepared by DS Raj Patel");
    assert_eq!(header.location.story, Some(Story::Header));
    assert!(!header.hidden);
    let footer = at("Contact: 07700 900456");
    assert_eq!(footer.location.story, Some(Story::Footer));
    let note = at("Victim: Mrs Jane Smith.");
    assert_eq!(note.location.story, Some(Story::Footnote));
    assert_eq!(
        note.location.paragraph,
        Some(1),
        "separators are not paragraphs"
    );
    assert!(!note.hidden);
    // The text box is its own story, and its VML fallback is not read twice.
    let text_box = at("Reviewed by DS Raj Patel");
    assert_eq!(text_box.location.story, Some(Story::Textbox));
    assert_eq!(text_box.location.paragraph, Some(1));
    assert!(!text_box.hidden);
    let alt = at("Photograph of Mrs Jane Smith");
    assert!(alt.hidden);
    // Field codes are hidden, the field result shows.
    let code = at("mailto:jane.smith@example.com");
    assert!(code.hidden);
    assert_eq!(code.kind, ItemKind::Text);
    assert_eq!(code.detail.as_deref(), Some("field code"));
    assert!(!at("Write to our team").hidden);
    // Building blocks are not in the document: hidden.
    let block = at("collar 4821");
    assert!(block.hidden);
    assert_eq!(
        block.location.part.as_deref(),
        Some("word/glossary/document.xml")
    );

    let email = only(&findings, "pii.email");
    assert!(email.hidden);
    let footer_phone = of_rule(&findings, "pii.phone")
        .into_iter()
        .find(|f| f.location.story == Some(Story::Footer))
        .expect("phone in the footer");
    assert!(!footer_phone.hidden);
    assert!(
        !structural(STORIES)
            .iter()
            .any(|f| f.severity >= Severity::High)
    );
}

// ---------------------------------------------------------------------------
// embedded-object, chart-cache
// ---------------------------------------------------------------------------

#[test]
fn an_embedded_workbook_gets_the_full_workbook_inspection_and_chunks_are_scanned() {
    let (findings, items) = full(EMBEDDED);
    let objects = of_rule(&findings, "embedded-object");
    assert_eq!(objects.len(), 2, "{}", dump(&findings));
    let workbook = objects
        .iter()
        .find(|f| f.message.contains("embedded workbook"))
        .expect("workbook");
    assert_eq!(
        workbook.location.part.as_deref(),
        Some("word/embeddings/Microsoft_Excel_Worksheet.xlsx")
    );
    assert_eq!(workbook.location.paragraph, Some(18));
    // The workbook's hidden sheet of victims, with the container chain.
    let sheet = only(&findings, "hidden-sheet");
    assert_eq!(
        sheet.location.container,
        vec!["Microsoft_Excel_Worksheet.xlsx"]
    );
    assert_eq!(sheet.location.sheet.as_deref(), Some("Victims"));
    assert!(of_rule(&findings, "personal-data-column").len() >= 2);
    // The imported HTML chunk is read too.
    assert!(
        objects
            .iter()
            .any(|f| f.location.part.as_deref() == Some("word/afchunk.htm"))
    );
    assert!(items
        .iter()
        .any(|i| i.location.container == vec!["afchunk.htm"] && i.text.contains("07700 900321")));
    assert!(
        of_rule(&findings, "pii.phone")
            .iter()
            .any(|f| f.location.container == vec!["afchunk.htm"])
    );
}

#[test]
fn a_chart_caches_its_data_and_its_workbook_is_scanned() {
    let (findings, items) = full(CHART);
    let f = only(&findings, "chart-cache");
    assert_eq!(f.severity, Severity::Low);
    assert!(!f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("word/charts/chart1.xml"));
    assert_eq!(f.location.paragraph, Some(18));
    contains_all(&f.message, &["3 values", "4 labels", "embedded workbook"]);
    let label = item(&items, ItemKind::ChartLabel, "Mancroft");
    assert_eq!(label.location.paragraph, Some(18));
    let workbook = only(&findings, "embedded-object");
    assert_eq!(workbook.location.paragraph, Some(18));
    assert!(items.iter().any(
        |i| i.location.container == vec!["Microsoft_Excel_Worksheet1.xlsx"]
            && i.kind == ItemKind::Cell
    ));
}

#[test]
fn a_letter_without_objects_has_no_embedded_object_or_chart() {
    let findings = structural(CLEAN);
    none_of(&findings, "embedded-object");
    none_of(&findings, "chart-cache");
}

// ---------------------------------------------------------------------------
// custom-xml, document-metadata, macro
// ---------------------------------------------------------------------------

#[test]
fn custom_xml_with_content_is_reported_and_an_empty_bibliography_is_not() {
    let findings = structural(CUSTOM_XML);
    let f = only(&findings, "custom-xml");
    assert_eq!(f.location.part.as_deref(), Some("customXml/item2.xml"));
    // The clean letter carries Word's empty bibliography part (customXml/item1.xml).
    none_of(&structural(CLEAN), "custom-xml");
}

#[test]
fn the_attached_templates_path_and_document_variables_are_document_metadata() {
    let findings = structural(SETTINGS);
    let f = only(&findings, "document-metadata");
    assert_eq!(f.location.part.as_deref(), Some("word/settings.xml"));
    contains_all(
        &f.message,
        &["the attached template's path", "2 document variables"],
    );
    no_leak(&findings, SECRETS);
    let (findings, items) = full(SETTINGS);
    assert!(
        items
            .iter()
            .any(|i| i.kind == ItemKind::Property && i.text.contains(r"C:\Users\jbloggs"))
    );
    assert!(
        of_rule(&findings, "pii.police-officer")
            .iter()
            .any(|f| f.location.part.as_deref() == Some("word/settings.xml"))
    );
    // Revision ids are not reported.
    assert!(
        !items
            .iter()
            .any(|i| i.location.part.as_deref() == Some("word/settings.xml")
                && i.detail.as_deref().is_some_and(|d| d.contains("rsid")))
    );
}

#[test]
fn authors_in_the_properties_are_document_metadata() {
    let findings = structural(METADATA);
    let f = only(&findings, "document-metadata");
    assert_eq!(f.location.part.as_deref(), Some("docProps/core.xml"));
    contains_all(&f.message, &["author", "last modified by"]);
    none_of(&structural(CLEAN), "document-metadata");
}

/// The clean letter made macro-enabled the way Word saves a .docm: a VBA project part,
/// its relationship and the macro-enabled main content type.
fn docm() -> Vec<u8> {
    let mut pkg = fixtures::Pkg::open(CLEAN);
    pkg.set("word/vbaProject.bin", fixtures::vba_project_bin());
    pkg.replace(
        "[Content_Types].xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    );
    pkg.add_default("bin", "application/vnd.ms-office.vbaProject");
    pkg.add_rel(
        "word/_rels/document.xml.rels",
        "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
        "vbaProject.bin",
        false,
    );
    pkg.finish()
}

#[test]
fn a_macro_enabled_document_is_docm_and_its_vba_is_reported() {
    let bytes = docm();
    assert_eq!(scan(&bytes).0, Format::Docm);
    let findings = structural(&bytes);
    let f = only(&findings, "macro");
    assert_eq!(f.location.part.as_deref(), Some("word/vbaProject.bin"));
    contains_all(&f.message, &["VBA project with 1 module (Module1)"]);
    let report = scan_as_file(&bytes, "letter.docm", Severity::High);
    assert_eq!(report.format, "docm");
    none_of(&structural(CLEAN), "macro");
}

// ---------------------------------------------------------------------------
// Visible text counts too: a table of victims is row-level data.
// ---------------------------------------------------------------------------

#[test]
fn a_table_of_victims_in_a_letter_is_row_level_data() {
    let (findings, items) = full(VICTIMS_TABLE);
    let rows = only(&findings, "row-level-data");
    assert_eq!(rows.location.range.as_deref(), Some("A1:D12"));
    assert_eq!(rows.location.story, Some(Story::Body));
    assert!(!rows.hidden);
    assert_eq!(of_rule(&findings, "personal-data-column").len(), 4);
    // The second table of the body (the first is the offence counts).
    let cell = item(&items, ItemKind::Cell, "14 Acacia Avenue");
    assert_eq!(cell.location.cell.as_deref(), Some("D2"));
    assert!(!cell.hidden);
    // A visible national insurance number in a paragraph is personal data too.
    let nino = only(&findings, "pii.nino");
    assert!(!nino.hidden);
    assert_eq!(nino.severity, Severity::High);
}

// ---------------------------------------------------------------------------
// The places a finding names, in JSON and in the human report.
// ---------------------------------------------------------------------------

#[test]
fn json_and_human_reports_name_the_story_and_paragraph() {
    let dir = TempFiles::new();
    dir.add("letter.docx", TRACKED_DELETION);
    dir.add("stories.docx", STORIES);
    let out = dir
        .cmd()
        .args(["scan", "--format", "json", "letter.docx", "stories.docx"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let files = json["files"].as_array().expect("files");
    let letter = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("letter.docx"))
        .unwrap();
    assert_eq!(letter["format"], "docx");
    let tracked = letter["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "tracked-change")
        .expect("tracked-change");
    assert_eq!(tracked["location"]["story"], "body");
    assert_eq!(tracked["location"]["paragraph"], 18);
    assert_eq!(tracked["location"]["part"], "word/document.xml");
    assert!(tracked["location"].get("sheet").is_none());
    assert!(tracked["location"].get("slide").is_none());
    let stories = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("stories.docx"))
        .unwrap();
    let stories_found: Vec<&str> = stories["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["location"]["story"].as_str())
        .collect();
    for s in ["header", "footer", "footnote", "textbox"] {
        assert!(stories_found.contains(&s), "{s}: {stories_found:?}");
    }

    let human = dir
        .cmd()
        .args(["scan", "letter.docx", "stories.docx"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let human = String::from_utf8(human).unwrap();
    contains_all(
        &human,
        &[
            "paragraph 18 (word/document.xml)",
            "footnote, paragraph 1 (word/footnotes.xml)",
            "text box, paragraph 1 (word/document.xml)",
            "header, paragraph 1 (word/header1.xml)",
        ],
    );
    // Evidence is masked (a phone number keeps its area code); names never show.
    for s in ["Smith", "Patel", "AB123456C", "Acacia"] {
        assert!(!human.contains(s), "human report leaks {s}:\n{human}");
    }
}

// ---------------------------------------------------------------------------
// Hostile and broken documents.
// ---------------------------------------------------------------------------

#[test]
fn a_malformed_story_part_is_unscannable_and_the_rest_is_still_read() {
    let broken = edit_part(STORIES, "word/header1.xml", |x| {
        x.replace("</w:hdr>", "<w:p><w:r><w:t>cut")
    });
    let (findings, items) = full(&broken);
    let u = only(&findings, "unscannable");
    assert_eq!(u.location.part.as_deref(), Some("word/header1.xml"));
    assert!(
        items
            .iter()
            .any(|i| i.text.contains("Victim: Mrs Jane Smith."))
    );
    let report = scan_as_file(&broken, "x.docx", Severity::Critical);
    assert_eq!(report.verdict, Verdict::Block);
    assert!(report.parts.states.contains_key(&PartState::Unreadable));
}

#[test]
fn a_truncated_document_is_unscannable_not_a_crash() {
    let cut = &TRACKED_DELETION[..TRACKED_DELETION.len() / 2];
    let report = scan_as_file(cut, "cut.docx", Severity::Critical);
    assert_eq!(report.verdict, Verdict::Block);
    assert!(report.findings.iter().any(|f| f.rule == "unscannable"));
}

#[test]
fn deeply_nested_text_boxes_and_unbalanced_markup_do_not_panic() {
    let nested = edit_part(CLEAN, "word/document.xml", |x| {
        let deep = "<w:p><w:r><w:txbxContent>".repeat(2_000);
        x.replacen("<w:body>", &format!("<w:body>{deep}"), 1)
    });
    let report = scan_as_file(&nested, "deep.docx", Severity::Critical);
    assert_eq!(report.verdict, Verdict::Block);
    let stray = edit_part(CLEAN, "word/document.xml", |x| {
        x.replacen(
            "<w:body>",
            "<w:body></w:tc></w:tr></w:tbl></w:p></w:del>",
            1,
        )
    });
    let (findings, _) = full(&stray);
    assert!(findings.iter().all(|f| f.rule != "tracked-change"));
}

// ---------------------------------------------------------------------------
// The Word and PowerPoint samples of corpus/ get the verdict CORPUS.md gives them.
// ---------------------------------------------------------------------------

#[test]
fn word_and_powerpoint_corpus_samples_get_their_expected_verdicts() {
    let entries: Vec<fixtures::CorpusEntry> = fixtures::corpus_index()
        .into_iter()
        .filter(|e| e.file.ends_with(".docx") || e.file.ends_with(".pptx"))
        .collect();
    assert_eq!(entries.len(), 3);
    for e in entries {
        let bytes = (e.build)();
        let want = match e.verdict {
            "block" => Verdict::Block,
            "pass" => Verdict::Pass,
            other => panic!("unexpected verdict {other}"),
        };
        // With the personal-data detectors on, as `foiguard scan` runs: blocked at high.
        let (findings, _) = full(&bytes);
        let blocked = findings.iter().any(|f| f.severity >= Severity::High);
        assert_eq!(
            if blocked {
                Verdict::Block
            } else {
                Verdict::Pass
            },
            want,
            "{}:\n{}",
            e.file,
            dump(&findings)
        );
        // The committed corpus file is the fixture.
        let on_disk = std::fs::read(format!("{}/corpus/{}", env!("CARGO_MANIFEST_DIR"), e.file))
            .expect("corpus file");
        assert_eq!(
            on_disk, bytes,
            "{} is out of date: run the gen-corpus example",
            e.file
        );
    }
}
