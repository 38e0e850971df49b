//! The PowerPoint 97–2003 (ppt) inspector on real binary files: tests/data/ppt, written
//! once by LibreOffice's PowerPoint 97 export from python-pptx sources (make.py) and
//! through its UNO API (tests/data/doc/make_lo.py). Each rule has a positive and a negative
//! file, with slide numbers, stories and paragraphs as the pptx inspector places them;
//! damaged copies of every fixture must never make the parser fail.

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
    let path = format!("{}/tests/data/ppt/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ppt_items(name: &str) -> (Vec<Finding>, Vec<OwnedItem>) {
    let bytes = data(name);
    assert_eq!(formats::sniff(&bytes), Format::Ppt, "{name}");
    let (findings, items) = scan_items(&bytes);
    none_of(&findings, "unscannable");
    (findings, items)
}

fn ppt(name: &str) -> Vec<Finding> {
    ppt_items(name).0
}

fn full(bytes: &[u8]) -> Vec<Finding> {
    scan_bytes(bytes, &Limits::default(), &Engine::default(), false).1
}

fn contains(haystack: &str, needles: &[&str]) {
    for n in needles {
        assert!(haystack.contains(n), "expected {n:?} in {haystack:?}");
    }
}

const PART: &str = "PowerPoint Document";

#[test]
fn clean_deck_has_no_findings_and_its_text_has_slide_places() {
    let bytes = data("slides-clean.ppt");
    let (findings, items) = ppt_items("slides-clean.ppt");
    assert!(findings.is_empty(), "{}", dump(&findings));
    assert_eq!(
        scan_as_file(&bytes, "deck.ppt", Severity::Low).verdict,
        Verdict::Pass
    );
    let title = item(&items, ItemKind::Paragraph, "Burglary in Norwich");
    assert!(!title.hidden);
    assert_eq!(title.location.part.as_deref(), Some(PART));
    assert_eq!(title.location.slide, Some(1));
    assert_eq!(title.location.story, Some(Story::Body));
    assert_eq!(title.location.paragraph, Some(1));
    let body = item(
        &items,
        ItemKind::Paragraph,
        "Most reports came from the city centre.",
    );
    assert_eq!(body.location.slide, Some(1));
    assert_eq!(body.location.paragraph, Some(3));
    // A table's cells are read as a grid on their slide.
    let cell = item(&items, ItemKind::Cell, "Theft");
    assert_eq!(cell.location.slide, Some(2));
    assert_eq!(cell.location.cell.as_deref(), Some("A3"));
    assert_eq!(
        item(&items, ItemKind::Cell, "310").location.cell.as_deref(),
        Some("C3")
    );
}

#[test]
fn table_of_victims_on_a_slide_is_row_level_data() {
    let findings = full(&data("slides-victims-table.ppt"));
    none_of(&findings, "unscannable");
    let rows = only(&findings, "row-level-data");
    assert_eq!(rows.location.slide, Some(1));
    assert_eq!(rows.location.range.as_deref(), Some("A1:C13"));
    assert!(!of_rule(&findings, "personal-data-column").is_empty());
    let clean = full(&data("slides-clean.ppt"));
    none_of(&clean, "row-level-data");
    none_of(&clean, "personal-data-column");
}

#[test]
fn visible_slide_text_goes_through_the_detectors() {
    let findings = full(&data("slides-victim.ppt"));
    none_of(&findings, "unscannable");
    let phone = only(&findings, "pii.phone");
    assert!(!phone.hidden);
    assert_eq!(phone.location.slide, Some(1));
    none_of(&full(&data("slides-clean.ppt")), "pii.phone");
}

#[test]
fn speaker_notes_are_reported_and_scanned() {
    let (findings, items) = ppt_items("slides-notes.ppt");
    let f = only(&findings, "speaker-notes");
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(
        f.message,
        "speaker notes of slide 1 hold 1 paragraph of text (64 characters)"
    );
    assert_eq!(f.location.slide, Some(1));
    assert_eq!(f.location.story, Some(Story::Notes));
    let notes = items
        .iter()
        .find(|i| i.kind == ItemKind::Notes)
        .expect("notes");
    assert!(notes.hidden);
    assert!(notes.text.contains("Jane SMITH"));
    assert_eq!(notes.location.slide, Some(1));
    assert_eq!(notes.location.paragraph, Some(1));
    let all = full(&data("slides-notes.ppt"));
    let postcode = only(&all, "pii.postcode");
    assert!(postcode.hidden);
    assert_eq!(postcode.location.story, Some(Story::Notes));
    none_of(&ppt("slides-clean.ppt"), "speaker-notes");
}

#[test]
fn hidden_slide_is_high_and_its_text_hidden() {
    let (findings, items) = ppt_items("slides-hidden.ppt");
    let f = only(&findings, "hidden-slide");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.slide, Some(2));
    contains(
        &f.message,
        &[
            "slide 2 is hidden: a slide show skips it",
            "2 text boxes of text",
        ],
    );
    let text = item(&items, ItemKind::Paragraph, "Emma BROWN, 07700 900654");
    assert!(text.hidden);
    assert_eq!(text.detail.as_deref(), Some("text of a hidden slide"));
    assert_eq!(text.location.slide, Some(2));
    // The slides around it are shown.
    assert!(!item(&items, ItemKind::Paragraph, "Next steps").hidden);
    let all = full(&data("slides-hidden.ppt"));
    let phone = only(&all, "pii.phone");
    assert!(phone.hidden);
    none_of(&ppt("slides-clean.ppt"), "hidden-slide");
}

#[test]
fn hidden_shape_text_is_hidden_text() {
    let (findings, items) = ppt_items("slides-hidden-shape.ppt");
    let f = only(&findings, "hidden-text");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.slide, Some(1));
    assert_eq!(
        f.message,
        "1 hidden shape on slide 1 holds text that nobody sees (29 characters)"
    );
    let text = item(
        &items,
        ItemKind::Paragraph,
        "Informant: Ben KING, 07700 900246",
    );
    assert!(text.hidden);
    assert_eq!(text.detail.as_deref(), Some("text of a hidden shape"));
    // The slide's other text is shown.
    assert!(!item(&items, ItemKind::Paragraph, "Reports fell by 19% in 2023.").hidden);
    none_of(&ppt("slides-clean.ppt"), "hidden-text");
}

#[test]
fn text_placed_off_the_slide_is_reported_as_pptx_does() {
    let (findings, items) = ppt_items("slides-offslide.ppt");
    let f = only(&findings, "speaker-notes");
    assert_eq!(f.severity, Severity::High);
    contains(
        &f.message,
        &["1 shape placed off slide 1 holds text (26 characters)"],
    );
    let text = item(
        &items,
        ItemKind::Paragraph,
        "Call Carol HALL on 07700 900135",
    );
    assert!(text.hidden);
    assert_eq!(text.detail.as_deref(), Some("text placed off the slide"));
    // The clean deck's table reaches the slide's edge without leaving it.
    none_of(&ppt("slides-clean.ppt"), "speaker-notes");
}

#[test]
fn comments_are_reported_with_their_authors() {
    let (findings, items) = ppt_items("slides-comments.ppt");
    let f = only(&findings, "comment");
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(f.message, "1 comment by 1 author on slide 1");
    assert_eq!(f.location.story, Some(Story::Comment));
    let c = items
        .iter()
        .find(|i| i.kind == ItemKind::Comment)
        .expect("comment");
    assert!(c.hidden);
    assert!(c.text.contains("DS Raj PATEL"));
    item(&items, ItemKind::Author, "Peter BLOGGS");
    none_of(&ppt("slides-clean.ppt"), "comment");
}

#[test]
fn properties_name_the_author_and_editor() {
    let f = only(&ppt("slides-metadata.ppt"), "document-metadata").clone();
    contains(&f.message, &["author", "last modified by"]);
    none_of(&ppt("slides-clean.ppt"), "document-metadata");
}

#[test]
fn embedded_workbook_gets_the_full_workbook_inspection() {
    let findings = ppt("slides-embedded.ppt");
    let f = only(&findings, "embedded-object");
    contains(&f.message, &["embedded workbook"]);
    assert_eq!(f.location.part.as_deref(), Some(PART));
    assert_eq!(f.location.slide, Some(1));
    let sheet = only(&findings, "hidden-sheet");
    assert_eq!(sheet.location.sheet.as_deref(), Some("Victims"));
    assert_eq!(sheet.location.container.len(), 1);
    none_of(&ppt("slides-clean.ppt"), "embedded-object");
}

#[test]
fn vba_project_storage_is_decoded() {
    // LibreOffice writes no VBA into a presentation: the project a real VBA writer made
    // (the corpus's macro workbook) is stored as a _VBA_PROJECT storage.
    let mut streams = ole::streams(&data("slides-clean.ppt"));
    streams.extend(ole::vba_project(
        &fixtures::macro_workbook(),
        "_VBA_PROJECT",
    ));
    let (_, findings) = scan(&ole::compound(&streams));
    none_of(&findings, "unscannable");
    let f = only(&findings, "macro");
    contains(&f.message, &["VBA project with 1 module (Module1)"]);
    none_of(&ppt("slides-clean.ppt"), "macro");
}

// ----------------------------------------------------------------------------------------
// residual-data: a later edit
// ----------------------------------------------------------------------------------------

fn u32_at(d: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(d[at..at + 4].try_into().expect("4 bytes"))
}

/// The (offset, length) of each top-level record of the stream.
fn top_records(doc: &[u8]) -> Vec<(usize, u16, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos + 8 <= doc.len() {
        let kind = u16::from_le_bytes([doc[pos + 2], doc[pos + 3]]);
        let len = u32_at(doc, pos + 4) as usize;
        out.push((pos, kind, len));
        pos += 8 + len;
    }
    out
}

/// Saves an edit the way PowerPoint's fast save does: the new version of the slide that
/// holds `old` (with `new` in its place) is appended with a persist directory naming it
/// and a user edit pointing back to the previous one, and `Current User` points at the new
/// edit. The previous version stays in the stream, unused.
fn fast_save(bytes: &[u8], old: &str, new: &str) -> Vec<u8> {
    assert_eq!(old.len(), new.len());
    let mut streams = ole::streams(bytes);
    let mut doc = ole::stream(&streams, PART).to_vec();
    let mut user = ole::stream(&streams, "Current User").to_vec();
    let current = u32_at(&user, 16) as usize;
    // The slide container that holds the text (UTF-16 or one byte a character).
    let wide: Vec<u8> = old.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let at = doc
        .windows(wide.len())
        .position(|w| w == wide.as_slice())
        .or_else(|| doc.windows(old.len()).position(|w| w == old.as_bytes()))
        .expect("text in the stream");
    let (slide_at, _, slide_len) = top_records(&doc)
        .into_iter()
        .find(|(pos, kind, len)| *kind == 0x03EE && *pos < at && at < pos + 8 + len)
        .expect("slide container");
    // Its persist id, from the current edit's persist directory.
    let dir = u32_at(&doc, current + 8 + 12) as usize;
    let dir_len = u32_at(&doc, dir + 4) as usize;
    let mut id = None;
    let mut pos = dir + 8;
    while pos < dir + 8 + dir_len {
        let head = u32_at(&doc, pos);
        let (first, n) = (head & 0xFFFFF, (head >> 20) as usize);
        for i in 0..n {
            if u32_at(&doc, pos + 4 + i * 4) as usize == slide_at {
                id = Some(first + i as u32);
            }
        }
        pos += 4 + n * 4;
    }
    let id = id.expect("persist id of the slide");
    let mut slide = doc[slide_at..slide_at + 8 + slide_len].to_vec();
    let replace = |hay: &mut Vec<u8>, from: &[u8], to: &[u8]| {
        if let Some(i) = hay.windows(from.len()).position(|w| w == from) {
            hay[i..i + to.len()].copy_from_slice(to);
        }
    };
    let new_wide: Vec<u8> = new.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    replace(&mut slide, &wide, &new_wide);
    replace(&mut slide, old.as_bytes(), new.as_bytes());
    let new_slide = doc.len() as u32;
    doc.extend_from_slice(&slide);
    let new_dir = doc.len() as u32;
    doc.extend_from_slice(&[0, 0, 0x72, 0x17]);
    doc.extend_from_slice(&8u32.to_le_bytes());
    doc.extend_from_slice(&(id | (1 << 20)).to_le_bytes());
    doc.extend_from_slice(&new_slide.to_le_bytes());
    let new_edit = doc.len() as u32;
    let mut edit = doc[current..current + 8 + u32_at(&doc, current + 4) as usize].to_vec();
    edit[8 + 8..8 + 12].copy_from_slice(&(current as u32).to_le_bytes());
    edit[8 + 12..8 + 16].copy_from_slice(&new_dir.to_le_bytes());
    doc.extend_from_slice(&edit);
    user[16..20].copy_from_slice(&new_edit.to_le_bytes());
    ole::replace(&mut streams, PART, doc);
    ole::replace(&mut streams, "Current User", user);
    ole::compound(&streams)
}

#[test]
fn text_an_earlier_edit_left_is_residual_data() {
    let edited = fast_save(
        &data("slides-victim.ppt"),
        "Call back Jane SMITH on 07700 900123.",
        "Call back the victim on the usual no.",
    );
    let (_, items) = scan_items(&edited);
    let findings = full(&edited);
    none_of(&findings, "unscannable");
    let f = only(&findings, "residual-data");
    assert_eq!(f.severity, Severity::High);
    contains(
        &f.message,
        &[
            "1 record that the current edit no longer uses",
            "1 earlier edit of 2 edits",
        ],
    );
    // The slide shows the new text; the old one is hidden content, and its phone is found.
    assert!(
        !item(
            &items,
            ItemKind::Paragraph,
            "Call back the victim on the usual no."
        )
        .hidden
    );
    let old = items
        .iter()
        .find(|i| i.text.contains("Jane SMITH"))
        .expect("old text");
    assert!(old.hidden);
    let phone = only(&findings, "pii.phone");
    assert!(phone.hidden);
    // A deck saved whole keeps nothing of the kind.
    none_of(&full(&data("slides-victim.ppt")), "residual-data");
}

// ----------------------------------------------------------------------------------------
// unscannable and damage
// ----------------------------------------------------------------------------------------

#[test]
fn a_deck_whose_current_edit_cannot_be_found_is_unscannable() {
    let mut streams = ole::streams(&data("slides-notes.ppt"));
    let mut user = ole::stream(&streams, "Current User").to_vec();
    user[16..20].copy_from_slice(&7u32.to_le_bytes());
    ole::replace(&mut streams, "Current User", user);
    let (_, findings) = scan(&ole::compound(&streams));
    let f = only(&findings, "unscannable");
    contains(&f.message, &["no UserEditAtom at offset 7"]);
    none_of(&findings, "speaker-notes");
    // An encrypted presentation's Current User says so.
    let mut streams = ole::streams(&data("slides-notes.ppt"));
    let mut user = ole::stream(&streams, "Current User").to_vec();
    user[12..16].copy_from_slice(&0xF3D1_C4DFu32.to_le_bytes());
    ole::replace(&mut streams, "Current User", user);
    let (_, findings) = scan(&ole::compound(&streams));
    contains(
        &only(&findings, "unscannable").message,
        &["password-protected"],
    );
}

#[test]
fn a_chain_of_edits_that_loops_is_refused() {
    let mut streams = ole::streams(&data("slides-clean.ppt"));
    let mut doc = ole::stream(&streams, PART).to_vec();
    let user = ole::stream(&streams, "Current User").to_vec();
    let current = u32_at(&user, 16) as usize;
    doc[current + 16..current + 20].copy_from_slice(&(current as u32).to_le_bytes());
    ole::replace(&mut streams, PART, doc);
    let (_, findings) = scan(&ole::compound(&streams));
    contains(&only(&findings, "unscannable").message, &["loops back"]);
}

#[test]
fn damaged_copies_never_make_the_parser_fail() {
    let dir = format!("{}/tests/data/ppt", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ppt"))
        .collect();
    names.sort();
    assert!(names.len() >= 7, "{names:?}");
    let limits = Limits::default();
    for (i, name) in names.iter().enumerate() {
        for (k, copy) in
            ole::damaged_copies(&data(name), &[PART, "Current User"], 0x51ED + i as u64)
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
