//! OpenDocument end to end: text documents (odt, fodt), spreadsheets (ods, fods) and
//! presentations (odp, fodp) written by odfpy and LibreOffice (`tests/data/odf/make.py`,
//! `make_lo.py`). Each rule has a positive and a negative file in each format where it
//! applies; package-level cases (orphans, unknown parts, Mac residue, encryption,
//! truncation) are made in the test from a committed package.

mod common;

use common::{dump, items_with, none_of, of_rule, only, zip_of};
use foiguard::detect::Engine;
use foiguard::formats::{self, Format};
use foiguard::model::{ItemKind, PartState, Story};
use foiguard::{Finding, Limits, OwnedItem, Severity, scan_bytes};
use std::io::Read;

macro_rules! data {
    ($name:literal) => {
        include_bytes!(concat!("data/odf/", $name)).as_slice()
    };
}

/// Structural findings only (no personal-data detectors).
fn structural(bytes: &[u8]) -> Vec<Finding> {
    common::scan(bytes).1
}

/// Structural findings and every extracted item.
fn with_items(bytes: &[u8]) -> (Vec<Finding>, Vec<OwnedItem>) {
    common::scan_items(bytes)
}

/// Every detector, as `foiguard scan` runs them.
fn full(bytes: &[u8]) -> Vec<Finding> {
    scan_bytes(bytes, &Limits::default(), &Engine::default(), false).1
}

fn highest(findings: &[Finding]) -> Option<Severity> {
    findings.iter().map(|f| f.severity).max()
}

/// The zip's parts, to rebuild it with changes.
fn parts_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read");
            (f.name().expect("name").to_string(), data)
        })
        .collect()
}

fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let refs: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip_of(&refs)
}

// ----------------------------------------------------------------------------------------
// Sniffing
// ----------------------------------------------------------------------------------------

#[test]
fn every_odf_form_is_sniffed_from_its_content() {
    for (bytes, format) in [
        (data!("letter-clean.odt"), Format::Odt),
        (data!("sheet-clean.ods"), Format::Ods),
        (data!("slides-clean.odp"), Format::Odp),
        (data!("letter-clean.fodt"), Format::Fodt),
        (data!("sheet-clean.fods"), Format::Fods),
        (data!("slides-clean.fodp"), Format::Fodp),
    ] {
        assert_eq!(formats::sniff(bytes), format);
    }
    // Without a mimetype entry, the manifest's root entry decides.
    let parts: Vec<(String, Vec<u8>)> = parts_of(data!("sheet-clean.ods"))
        .into_iter()
        .filter(|(n, _)| n != "mimetype")
        .collect();
    assert_eq!(formats::sniff(&rezip(&parts)), Format::Ods);
}

// ----------------------------------------------------------------------------------------
// Clean files pass
// ----------------------------------------------------------------------------------------

#[test]
fn clean_files_pass_with_nothing_at_high_or_above() {
    for (name, bytes) in [
        ("letter-clean.odt", data!("letter-clean.odt")),
        ("letter-clean.fodt", data!("letter-clean.fodt")),
        ("sheet-clean.ods", data!("sheet-clean.ods")),
        ("sheet-clean.fods", data!("sheet-clean.fods")),
        ("slides-clean.odp", data!("slides-clean.odp")),
        ("slides-clean.fodp", data!("slides-clean.fodp")),
    ] {
        let findings = full(bytes);
        assert!(
            highest(&findings).is_none_or(|s| s < Severity::High),
            "{name}:\n{}",
            dump(&findings)
        );
        none_of(&findings, "unscannable");
    }
}

#[test]
fn visible_letter_text_reaches_the_detectors_with_its_place() {
    let (_, items) = with_items(data!("letter-clean.odt"));
    let heading = common::item(
        &items,
        ItemKind::Paragraph,
        "Freedom of Information request FOI-2024-0311",
    );
    assert!(!heading.hidden);
    assert_eq!(heading.location.story, Some(Story::Body));
    assert_eq!(heading.location.paragraph, Some(1));
    assert_eq!(heading.location.part.as_deref(), Some("content.xml"));
    // Table cells are cells of a grid, with their row and column.
    let cell = items
        .iter()
        .find(|i| i.kind == ItemKind::Cell && i.text == "Burglary")
        .expect("table cell");
    assert_eq!(cell.location.cell.as_deref(), Some("A2"));
    // The footnote, header and footer are stories of their own.
    let note = common::item(
        &items,
        ItemKind::Paragraph,
        "Figures are provisional and may change.",
    );
    assert_eq!(note.location.story, Some(Story::Footnote));
    assert_eq!(note.location.paragraph, Some(1));
    let header = common::item(
        &items,
        ItemKind::Paragraph,
        "Norfolk Constabulary - Information Rights",
    );
    assert_eq!(header.location.story, Some(Story::Header));
    assert_eq!(header.location.part.as_deref(), Some("styles.xml"));
    let footer = common::item(&items, ItemKind::Paragraph, "Page 1");
    assert_eq!(footer.location.story, Some(Story::Footer));
}

#[test]
fn a_table_of_victims_in_a_letter_or_on_a_slide_is_row_level_data() {
    for bytes in [data!("letter-victims-table.odt"), data!("slides-table.odp")] {
        let findings = full(bytes);
        let rl = only(&findings, "row-level-data");
        assert_eq!(
            rl.location.range.as_deref(),
            Some("A1:C13"),
            "{}",
            dump(&findings)
        );
        assert!(!of_rule(&findings, "personal-data-column").is_empty());
    }
    // The same letter's statistics table is not.
    none_of(&full(data!("letter-clean.odt")), "row-level-data");
}

// ----------------------------------------------------------------------------------------
// odt: tracked changes
// ----------------------------------------------------------------------------------------

#[test]
fn a_tracked_deletion_keeps_its_text_and_blocks() {
    for bytes in [
        data!("letter-tracked-deletion.odt"),
        data!("lo-letter-tracked-deletion.odt"),
        data!("letter-tracked-deletion.fodt"),
    ] {
        let (findings, items) = with_items(bytes);
        let f = only(&findings, "tracked-change");
        assert_eq!(f.severity, Severity::High, "{}", dump(&findings));
        assert!(f.message.contains("1 deletion"), "{}", f.message);
        assert!(f.message.contains("by 1 author"), "{}", f.message);
        assert!(!f.message.contains("BLOGGS"), "no names in messages");
        assert_eq!(f.location.paragraph, Some(13));
        let deleted: Vec<&OwnedItem> = items
            .iter()
            .filter(|i| i.kind == ItemKind::Revision)
            .collect();
        assert_eq!(deleted.len(), 1, "{}", common::dump_items(&items));
        assert!(deleted[0].hidden);
        assert!(deleted[0].text.contains("Jane SMITH"));
        assert_eq!(deleted[0].location.paragraph, Some(13));
        assert_eq!(deleted[0].location.story, Some(Story::Body));
        // The deleted text is not also read as visible text.
        assert!(
            !items
                .iter()
                .any(|i| !i.hidden && i.text.contains("Jane SMITH")),
            "{}",
            common::dump_items(&items)
        );
        assert_eq!(
            items_with(&items, ItemKind::Author, "Peter BLOGGS").len(),
            1,
            "each author once"
        );
        // With the detectors, the NI number in the deletion is critical.
        let detected = full(bytes);
        assert_eq!(only(&detected, "pii.nino").severity, Severity::Critical);
    }
}

#[test]
fn tracked_insertions_alone_are_low_and_a_clean_letter_has_none() {
    let findings = structural(data!("letter-tracked-insertion.odt"));
    let f = only(&findings, "tracked-change");
    assert_eq!(f.severity, Severity::Low);
    assert!(f.message.contains("1 insertion"), "{}", f.message);
    none_of(&structural(data!("letter-clean.odt")), "tracked-change");
}

// ----------------------------------------------------------------------------------------
// odt: comments
// ----------------------------------------------------------------------------------------

#[test]
fn comments_are_found_with_their_authors_and_replies() {
    let (findings, items) = with_items(data!("letter-comments.odt"));
    let f = only(&findings, "comment");
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(f.message, "2 comments (1 reply) by 2 authors");
    let c = common::item(
        &items,
        ItemKind::Comment,
        "Is DS Raj PATEL happy for his name to go out?",
    );
    assert!(c.hidden);
    assert_eq!(c.location.story, Some(Story::Comment));
    assert_eq!(items_with(&items, ItemKind::Author, "Tom BROWN").len(), 1);
    // LibreOffice's own save of the same letter.
    let lo = structural(data!("lo-letter-comments.odt"));
    assert!(only(&lo, "comment").message.starts_with("2 comments"));
    none_of(&structural(data!("letter-clean.odt")), "comment");
}

// ----------------------------------------------------------------------------------------
// odt: hidden text
// ----------------------------------------------------------------------------------------

#[test]
fn hidden_text_of_every_kind_is_found() {
    for bytes in [
        data!("letter-hidden-text.odt"),
        data!("lo-letter-hidden-text.odt"),
    ] {
        let (findings, items) = with_items(bytes);
        let f = only(&findings, "hidden-text");
        assert_eq!(f.severity, Severity::High);
        for reason in [
            "character style set to hidden",
            "paragraph style set to hidden",
            "hidden section",
            "hidden-paragraph field",
            "hidden-text field",
            "conditional text not shown",
        ] {
            assert!(f.message.contains(reason), "{reason}: {}", f.message);
        }
        assert!(f.message.starts_with("6 passages"), "{}", f.message);
        for text in [
            "DS Raj PATEL 4821 ",
            "Suspect: Mark TAYLOR, born 02/03/1985.",
            "Anne WHITE, 07700 900456",
            "Withheld: informant Ben KING",
        ] {
            let hits: Vec<&OwnedItem> = items.iter().filter(|i| i.text == text).collect();
            assert_eq!(hits.len(), 1, "{text}:\n{}", common::dump_items(&items));
            assert!(hits[0].hidden, "{text}");
        }
        // The visible part of a paragraph stays visible.
        let shown = items
            .iter()
            .find(|i| i.text.starts_with("The request was handled by"))
            .expect("visible part");
        assert!(!shown.hidden);
        assert!(!shown.text.contains("PATEL"));
    }
}

#[test]
fn an_empty_hidden_section_is_info_and_a_clean_letter_has_no_hidden_text() {
    let findings = structural(data!("letter-empty-hidden-section.odt"));
    let f = only(&findings, "hidden-text");
    assert_eq!(f.severity, Severity::Info);
    assert_eq!(f.message, "1 hidden section holds no text");
    none_of(&structural(data!("letter-clean.odt")), "hidden-text");
}

// ----------------------------------------------------------------------------------------
// odt: disguised content and fake redactions
// ----------------------------------------------------------------------------------------

#[test]
fn white_and_tiny_text_is_disguised_content() {
    let (findings, items) = with_items(data!("letter-disguised.odt"));
    let f = only(&findings, "disguised-content");
    assert_eq!(f.severity, Severity::High);
    assert!(
        f.message.contains("coloured like the background"),
        "{}",
        f.message
    );
    assert!(f.message.contains("1 pt or smaller"), "{}", f.message);
    let white = common::item(
        &items,
        ItemKind::Paragraph,
        " Informant: Ben KING, 07700 900789.",
    );
    assert!(white.hidden);
    assert_eq!(white.location.paragraph, Some(13));
}

#[test]
fn white_on_a_black_band_and_small_print_are_legible() {
    let findings = structural(data!("letter-legible-styling.odt"));
    none_of(&findings, "disguised-content");
    none_of(&findings, "fake-redaction");
}

#[test]
fn black_highlight_and_matching_colours_are_fake_redactions() {
    let (findings, items) = with_items(data!("letter-fake-redaction.odt"));
    let hits = of_rule(&findings, "fake-redaction");
    let text = hits
        .iter()
        .find(|f| f.severity == Severity::Critical)
        .expect("critical fake redaction");
    assert!(text.message.contains("black highlight"), "{}", text.message);
    assert!(
        text.message.contains("coloured like its own highlight"),
        "{}",
        text.message
    );
    let redacted = common::item(&items, ItemKind::Paragraph, "Jane SMITH, 14 Acacia Avenue");
    assert!(redacted.hidden);
    // The black box drawn in the text is reported for review at low.
    let boxed = hits
        .iter()
        .find(|f| f.severity == Severity::Low)
        .expect("black box for review");
    assert!(
        boxed.message.contains("black-filled shape"),
        "{}",
        boxed.message
    );
    assert!(!boxed.hidden);
}

#[test]
fn a_yellow_highlight_is_no_redaction() {
    let findings = structural(data!("letter-highlight.odt"));
    none_of(&findings, "fake-redaction");
    none_of(&findings, "disguised-content");
}

// ----------------------------------------------------------------------------------------
// odt: stories, alt text, links
// ----------------------------------------------------------------------------------------

#[test]
fn endnotes_text_boxes_alt_text_and_links_are_read_as_they_are_seen() {
    let (findings, items) = with_items(data!("letter-stories.odt"));
    none_of(&findings, "unscannable");
    let endnote = common::item(
        &items,
        ItemKind::Paragraph,
        "Prepared by Carol HALL, analyst.",
    );
    assert_eq!(endnote.location.story, Some(Story::Endnote));
    assert!(!endnote.hidden);
    let boxed = common::item(&items, ItemKind::Paragraph, "Call 101 to report a crime.");
    assert_eq!(boxed.location.story, Some(Story::Textbox));
    assert!(!boxed.hidden);
    let alt = common::item(&items, ItemKind::Text, "Drafted by Tom BROWN");
    assert!(alt.hidden);
    assert_eq!(alt.detail.as_deref(), Some("alt text"));
    let link = common::item(&items, ItemKind::Text, "mailto:tom.brown@example.org");
    assert!(link.hidden);
    // What was typed into a form field travels in an attribute.
    let typed = common::item(&items, ItemKind::Text, "Ref for Emma JONES");
    assert!(typed.hidden);
    assert_eq!(typed.detail.as_deref(), Some("form control"));
}

// ----------------------------------------------------------------------------------------
// Embedded objects and charts
// ----------------------------------------------------------------------------------------

#[test]
fn an_embedded_spreadsheet_is_inspected_with_its_container_chain() {
    for (bytes, part) in [
        (data!("letter-embedded.odt"), Some("Object 1/content.xml")),
        (data!("slides-embedded.odp"), Some("Object 2/content.xml")),
        (data!("letter-embedded.fodt"), None),
    ] {
        let findings = structural(bytes);
        let e = only(&findings, "embedded-object");
        assert_eq!(e.severity, Severity::Medium);
        assert!(e.message.contains("embedded spreadsheet"), "{}", e.message);
        let hs = only(&findings, "hidden-sheet");
        assert_eq!(hs.location.sheet.as_deref(), Some("Victims"));
        assert_eq!(hs.location.container.len(), 1, "{}", dump(&findings));
        assert_eq!(hs.location.part.as_deref(), part);
        assert_eq!(hs.severity, Severity::High);
    }
    none_of(&structural(data!("letter-clean.odt")), "embedded-object");
}

#[test]
fn a_chart_in_a_document_caches_its_own_table() {
    let (findings, items) = with_items(data!("letter-embedded.odt"));
    let c = only(&findings, "chart-cache");
    assert_eq!(c.severity, Severity::Low);
    assert!(c.message.contains("in its own data table"), "{}", c.message);
    assert_eq!(c.location.part.as_deref(), Some("Object 2/content.xml"));
    assert!(!items_with(&items, ItemKind::ChartLabel, "Burglary").is_empty());
    none_of(&structural(data!("slides-clean.odp")), "chart-cache");
}

// ----------------------------------------------------------------------------------------
// Metadata and macros, in every format
// ----------------------------------------------------------------------------------------

#[test]
fn properties_naming_people_are_document_metadata() {
    for bytes in [
        data!("letter-metadata.odt"),
        data!("sheet-metadata.ods"),
        data!("slides-embedded.odp"),
    ] {
        let findings = structural(bytes);
        let f = only(&findings, "document-metadata");
        assert_eq!(f.severity, Severity::Low);
        assert!(f.message.contains("author"), "{}", f.message);
        assert!(!f.message.contains("BLOGGS"));
        assert_eq!(f.location.part.as_deref(), Some("meta.xml"));
    }
    let custom = structural(data!("letter-metadata.odt"));
    assert!(
        only(&custom, "document-metadata")
            .message
            .contains("1 user-defined property")
    );
    for bytes in [
        data!("letter-clean.odt"),
        data!("sheet-clean.ods"),
        data!("slides-clean.odp"),
    ] {
        none_of(&structural(bytes), "document-metadata");
    }
}

#[test]
fn basic_macros_are_found_in_every_format() {
    for bytes in [
        data!("letter-macro.odt"),
        data!("sheet-macro.ods"),
        data!("slides-macro.odp"),
    ] {
        let (findings, items) = with_items(bytes);
        let f = only(&findings, "macro");
        assert_eq!(f.severity, Severity::Medium);
        assert!(f.message.contains("1 module (Module1)"), "{}", f.message);
        assert_eq!(
            f.location.part.as_deref(),
            Some("Basic/Standard/Module1.xml")
        );
        assert!(
            items
                .iter()
                .any(|i| i.kind == ItemKind::Macro && i.hidden && i.text.contains("07700 900123"))
        );
        none_of(&findings, "unscannable");
    }
    for bytes in [
        data!("letter-clean.odt"),
        data!("sheet-clean.ods"),
        data!("slides-clean.odp"),
    ] {
        none_of(&structural(bytes), "macro");
    }
}

// ----------------------------------------------------------------------------------------
// odp: notes, hidden slides, off-slide and covered content, comments
// ----------------------------------------------------------------------------------------

#[test]
fn speaker_notes_are_scanned_with_their_slide() {
    for bytes in [data!("slides-notes.odp"), data!("slides-notes.fodp")] {
        let (findings, items) = with_items(bytes);
        let f = only(&findings, "speaker-notes");
        assert_eq!(f.location.slide, Some(1));
        assert_eq!(f.location.story, Some(Story::Notes));
        assert!(f.message.contains("1 paragraph"), "{}", f.message);
        let n = common::item(
            &items,
            ItemKind::Notes,
            "Do not mention the SMITH case: victim Jane SMITH, NR99 1AA.",
        );
        assert!(n.hidden);
        assert_eq!(n.location.slide, Some(1));
        assert_eq!(n.location.story, Some(Story::Notes));
    }
    // LibreOffice writes an empty notes page for every slide: no finding.
    none_of(&structural(data!("slides-clean.odp")), "speaker-notes");
}

#[test]
fn hidden_slides_are_high_with_text_and_low_without() {
    for bytes in [data!("slides-hidden.odp"), data!("lo-slides-hidden.odp")] {
        let (findings, items) = with_items(bytes);
        let hits = of_rule(&findings, "hidden-slide");
        assert_eq!(hits.len(), 2, "{}", dump(&findings));
        let two = hits
            .iter()
            .find(|f| f.location.slide == Some(2))
            .expect("slide 2");
        assert_eq!(two.severity, Severity::High);
        let three = hits
            .iter()
            .find(|f| f.location.slide == Some(3))
            .expect("slide 3");
        assert_eq!(three.severity, Severity::Low);
        let t = common::item(
            &items,
            ItemKind::Paragraph,
            "Victims: Jane SMITH, Mark TAYLOR",
        );
        assert!(t.hidden);
        assert_eq!(t.location.slide, Some(2));
        let shown = common::item(&items, ItemKind::Paragraph, "Burglary in Norwich");
        assert!(!shown.hidden);
    }
    none_of(&structural(data!("slides-clean.odp")), "hidden-slide");
}

#[test]
fn a_shape_switched_off_on_a_slide_is_hidden_text() {
    let (findings, items) = with_items(data!("slides-hidden-shape.odp"));
    let f = only(&findings, "hidden-text");
    assert!(f.message.contains("hidden drawing object"), "{}", f.message);
    assert_eq!(f.location.slide, Some(1));
    assert!(common::item(&items, ItemKind::Paragraph, "Informant: Ben KING").hidden);
    none_of(&structural(data!("slides-clean.odp")), "hidden-text");
}

#[test]
fn text_placed_off_the_slide_is_speaker_notes_content() {
    let (findings, items) = with_items(data!("slides-offslide.odp"));
    let f = only(&findings, "speaker-notes");
    assert!(f.message.contains("off the slide"), "{}", f.message);
    assert_eq!(f.location.slide, Some(1));
    let t = common::item(&items, ItemKind::Paragraph, "Speaker: DS Raj PATEL 4821");
    assert!(t.hidden);
    assert!(!common::item(&items, ItemKind::Paragraph, "Burglary in Norwich").hidden);
}

#[test]
fn text_under_a_black_box_on_a_slide_is_a_fake_redaction() {
    let (findings, items) = with_items(data!("slides-covered.odp"));
    let f = only(&findings, "fake-redaction");
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(f.location.slide, Some(1));
    assert!(
        common::item(
            &items,
            ItemKind::Paragraph,
            "Victim: Jane SMITH, 14 Acacia Avenue"
        )
        .hidden
    );
    // The same box placed away from the text covers nothing.
    let aside = structural(data!("slides-box-aside.odp"));
    none_of(&aside, "fake-redaction");
}

#[test]
fn slide_comments_are_found_with_their_authors() {
    let (findings, items) = with_items(data!("slides-comments.odp"));
    let f = only(&findings, "comment");
    assert_eq!(f.message, "1 comment by 1 author on slide 1");
    assert_eq!(f.location.slide, Some(1));
    let c = common::item(
        &items,
        ItemKind::Comment,
        "Check with DS Raj PATEL before release",
    );
    assert!(c.hidden);
    assert_eq!(c.location.slide, Some(1));
    none_of(&structural(data!("slides-clean.odp")), "comment");
}

// ----------------------------------------------------------------------------------------
// ods: the same rules, messages and places as xlsx
// ----------------------------------------------------------------------------------------

#[test]
fn a_hidden_sheet_of_victims_blocks_with_the_xlsx_place_form() {
    for bytes in [data!("sheet-hidden.ods"), data!("sheet-hidden.fods")] {
        let findings = structural(bytes);
        let f = only(&findings, "hidden-sheet");
        assert_eq!(f.severity, Severity::High);
        assert_eq!(
            f.message,
            "hidden sheet 'Victims' holds 4 rows of data (16 cells)"
        );
        assert_eq!(f.location.sheet.as_deref(), Some("Victims"));
        assert_eq!(f.location.range.as_deref(), Some("A1:D4"));
        assert!(f.location.describe().starts_with("Victims!A1:D4"));
        assert!(!of_rule(&full(bytes), "personal-data-column").is_empty());
    }
    let empty = structural(data!("sheet-hidden-empty.ods"));
    let f = only(&empty, "hidden-sheet");
    assert_eq!(f.severity, Severity::Low);
    assert_eq!(f.message, "hidden sheet 'Spare' is empty");
    none_of(&structural(data!("sheet-clean.ods")), "hidden-sheet");
}

#[test]
fn hidden_and_filtered_rows_and_columns_read_like_xlsx() {
    for bytes in [
        data!("sheet-rows-columns.ods"),
        data!("lo-sheet-rows-columns.ods"),
    ] {
        let findings = structural(bytes);
        let on = |rule: &str, sheet: &str| -> &Finding {
            findings
                .iter()
                .find(|f| f.rule == rule && f.location.sheet.as_deref() == Some(sheet))
                .unwrap_or_else(|| panic!("{rule} on {sheet}:\n{}", dump(&findings)))
        };
        let rows = on("hidden-rows", "Rows");
        assert_eq!(rows.severity, Severity::High);
        assert_eq!(
            rows.message,
            "sheet 'Rows' has 3 hidden rows; 3 hold 12 cells of data (rows 5–7)"
        );
        assert_eq!(rows.location.describe(), "Rows!A5:D7 (content.xml)");
        let empty_rows = on("hidden-rows", "Empty rows");
        assert_eq!(empty_rows.severity, Severity::Info);
        let cols = on("hidden-columns", "Columns");
        assert_eq!(cols.severity, Severity::High);
        assert!(
            cols.message.contains("column B holds 3 cells of data"),
            "{}",
            cols.message
        );
        assert_eq!(
            on("hidden-columns", "Empty columns").severity,
            Severity::Info
        );
        let filtered = on("filtered-rows", "Filtered");
        assert_eq!(filtered.severity, Severity::High);
        assert!(
            filtered
                .message
                .contains("2 rows hidden by an active AutoFilter")
        );
    }
    let clean = structural(data!("sheet-clean.ods"));
    for rule in ["hidden-rows", "hidden-columns", "filtered-rows"] {
        none_of(&clean, rule);
    }
}

#[test]
fn cell_notes_are_found_with_their_authors() {
    let (findings, items) = with_items(data!("sheet-notes.ods"));
    let f = only(&findings, "comment");
    assert_eq!(f.message, "1 note on sheet 'Burglary by ward' by 1 author");
    assert_eq!(f.location.sheet.as_deref(), Some("Burglary by ward"));
    let c = common::item(
        &items,
        ItemKind::Comment,
        "Includes the SMITH case, NR99 1AA",
    );
    assert_eq!(c.location.cell.as_deref(), Some("A3"));
    assert_eq!(c.location.sheet.as_deref(), Some("Burglary by ward"));
    assert_eq!(items_with(&items, ItemKind::Author, "Sarah JONES").len(), 1);
    none_of(&structural(data!("sheet-clean.ods")), "comment");
}

#[test]
fn named_expressions_holding_data_are_defined_names() {
    let findings = structural(data!("sheet-names.ods"));
    let f = only(&findings, "defined-name");
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(
        f.message,
        "defined names: 1 holding data rather than a cell reference (Informant)"
    );
    none_of(&structural(data!("sheet-names-plain.ods")), "defined-name");
}

#[test]
fn tracked_cell_changes_keep_the_earlier_value() {
    let (findings, items) = with_items(data!("sheet-tracked.ods"));
    let f = only(&findings, "tracked-change");
    assert_eq!(f.severity, Severity::High);
    assert!(
        f.message
            .contains("2 values of earlier or deleted cells, by 1 author"),
        "{}",
        f.message
    );
    let old = common::item(&items, ItemKind::Revision, "Jane SMITH");
    assert!(old.hidden);
    assert_eq!(old.location.cell.as_deref(), Some("B2"));
    // The cells of a deleted row stay in the change record.
    let gone = common::item(&items, ItemKind::Revision, "Mark TAYLOR");
    assert_eq!(gone.location.cell.as_deref(), Some("B3"));
    none_of(&structural(data!("sheet-clean.ods")), "tracked-change");
}

#[test]
fn values_left_under_a_merge_are_residual_data() {
    let (findings, items) = with_items(data!("sheet-merged-residue.ods"));
    let f = only(&findings, "residual-data");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.describe(), "Summary!B1 (content.xml)");
    assert!(common::item(&items, ItemKind::Cell, "Jane SMITH").hidden);
    none_of(
        &structural(data!("sheet-merged-clean.ods")),
        "residual-data",
    );
}

#[test]
fn a_chart_on_a_hidden_source_sheet_is_high() {
    let findings = structural(data!("sheet-chart-hidden-source.ods"));
    let c = only(&findings, "chart-cache");
    assert_eq!(c.severity, Severity::High);
    assert!(
        c.message.contains("source sheet 'Data' is hidden"),
        "{}",
        c.message
    );
    let shown = structural(data!("sheet-chart.ods"));
    let c = only(&shown, "chart-cache");
    assert_eq!(c.severity, Severity::Low);
    assert!(!c.hidden);
}

#[test]
fn white_and_tiny_cells_are_disguised_but_a_styled_header_is_not() {
    let findings = structural(data!("sheet-disguised.ods"));
    let hits = of_rule(&findings, "disguised-content");
    assert_eq!(hits.len(), 2, "{}", dump(&findings));
    assert!(
        hits.iter()
            .all(|f| f.location.sheet.as_deref() == Some("Disguised"))
    );
    assert!(
        hits.iter()
            .any(|f| f.message.contains("font colour matches the cell fill")
                && f.location.range.as_deref() == Some("C2"))
    );
    assert!(
        hits.iter()
            .any(|f| f.message.contains("font too small to read"))
    );
}

#[test]
fn a_sheet_caching_another_file_is_an_external_link() {
    let (findings, items) = with_items(data!("sheet-linked.ods"));
    let f = only(&findings, "external-link");
    assert_eq!(f.severity, Severity::High);
    assert!(f.message.contains("caches 16 cells"), "{}", f.message);
    assert!(
        !f.message.contains("pbloggs"),
        "the path stays out of the words"
    );
    none_of(&findings, "hidden-sheet");
    assert!(
        items
            .iter()
            .any(|i| i.hidden && i.text == "file:///C:/Users/pbloggs/Documents/victims.ods")
    );
}

#[test]
fn repeated_cells_and_rows_cost_nothing_per_repetition() {
    // 16,384 columns and a million rows, by repetition: read arithmetically.
    let (findings, items) = with_items(data!("sheet-huge-repeats.ods"));
    none_of(&findings, "unscannable");
    let rows = only(&findings, "hidden-rows");
    assert_eq!(rows.message, "sheet 'Big' has 576 hidden rows, all empty");
    let cells = items_with(&items, ItemKind::Cell, "Mile Cross");
    assert!(!cells.is_empty() && cells.len() <= 256, "{}", cells.len());
}

// ----------------------------------------------------------------------------------------
// The package: every part accounted for
// ----------------------------------------------------------------------------------------

#[test]
fn every_part_of_a_package_ends_in_a_state() {
    let report = common::scan_as_file(data!("letter-embedded.odt"), "letter.odt", Severity::High);
    let states = &report.parts.states;
    assert!(
        states.get(&PartState::Inspected).copied().unwrap_or(0) >= 6,
        "{states:?}"
    );
    assert!(!states.contains_key(&PartState::Unknown), "{states:?}");
    assert!(!states.contains_key(&PartState::Orphan), "{states:?}");
    let total: u64 = states.values().sum();
    assert_eq!(total as usize, parts_of(data!("letter-embedded.odt")).len());
}

#[test]
fn parts_the_manifest_does_not_list_are_orphans_and_unknown_kinds_are_reported() {
    let mut parts = parts_of(data!("letter-clean.odt"));
    parts.push((
        "Leftover/notes.xml".into(),
        b"<notes><n>Complainant Jane SMITH 07700 900123</n></notes>".to_vec(),
    ));
    parts.push((
        "Extra/data.bin".into(),
        b"\x00\x01Call Mark TAYLOR\x00".to_vec(),
    ));
    for (name, data) in parts.iter_mut() {
        if name == "META-INF/manifest.xml" {
            let text = String::from_utf8(data.clone()).expect("utf-8");
            *data = text
                .replace(
                    "</manifest:manifest>",
                    "<manifest:file-entry manifest:full-path=\"Extra/data.bin\" manifest:media-type=\"application/x-foo\"/></manifest:manifest>",
                )
                .into_bytes();
        }
    }
    let bytes = rezip(&parts);
    let (findings, items) = with_items(&bytes);
    let orphan = only(&findings, "residual-data");
    assert!(
        orphan.message.contains("Leftover/notes.xml"),
        "{}",
        orphan.message
    );
    let unknown = only(&findings, "unknown-part");
    assert!(
        unknown.message.contains("application/x-foo"),
        "{}",
        unknown.message
    );
    assert!(
        items
            .iter()
            .any(|i| i.hidden && i.text.contains("Complainant Jane SMITH"))
    );
    let report = common::scan_as_file(&bytes, "letter.odt", Severity::High);
    assert_eq!(report.parts.states.get(&PartState::Orphan), Some(&1));
    assert_eq!(report.parts.states.get(&PartState::Unknown), Some(&1));
    assert_eq!(
        report.parts.unknown_types.get("application/x-foo"),
        Some(&1)
    );
}

#[test]
fn mac_residue_is_never_parsed_as_package_xml() {
    let mut parts = parts_of(data!("sheet-clean.ods"));
    parts.push((
        "__MACOSX/._content.xml".into(),
        b"\x00\x05\x16\x07 not xml".to_vec(),
    ));
    parts.push((".DS_Store".into(), b"\x00\x00\x00\x01Bud1".to_vec()));
    let bytes = rezip(&parts);
    let findings = structural(&bytes);
    none_of(&findings, "unscannable");
    // The shared decoder reports the residue at low, as for every package.
    let mac = only(&findings, "residual-data");
    assert_eq!(mac.severity, Severity::Low);
    assert!(
        mac.message.contains("zipped again on a Mac"),
        "{}",
        mac.message
    );
    let report = common::scan_as_file(&bytes, "sheet.ods", Severity::High);
    assert_eq!(report.parts.states.get(&PartState::MacResidue), Some(&2));
}

#[test]
fn an_encrypted_package_is_unscannable() {
    let mut parts = parts_of(data!("letter-clean.odt"));
    for (name, data) in parts.iter_mut() {
        if name == "META-INF/manifest.xml" {
            let text = String::from_utf8(data.clone()).expect("utf-8");
            *data = text
                .replace(
                    "manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>",
                    "manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"><manifest:encryption-data manifest:checksum-type=\"SHA1/1K\" manifest:checksum=\"x\"/></manifest:file-entry>",
                )
                .into_bytes();
        }
    }
    let findings = structural(&rezip(&parts));
    let f = only(&findings, "unscannable");
    assert!(f.message.contains("password-protected"), "{}", f.message);
}

#[test]
fn a_truncated_content_part_is_unscannable_and_the_rest_is_still_read() {
    let mut parts = parts_of(data!("letter-metadata.odt"));
    for (name, data) in parts.iter_mut() {
        if name == "content.xml" {
            data.truncate(data.len() / 2);
        }
    }
    let findings = structural(&rezip(&parts));
    let f = only(&findings, "unscannable");
    assert_eq!(f.location.part.as_deref(), Some("content.xml"));
    // meta.xml was still read.
    only(&findings, "document-metadata");
}

#[test]
fn deep_nesting_is_refused_not_followed() {
    // Sections inside sections, and flat documents embedded in flat documents: hostile
    // nesting ends in `unscannable`, never in a stack overflow.
    let ns = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0""#;
    let doc = |inner: &str| {
        format!(
            r#"<office:document {ns} office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>{}<text:p>x{inner}</text:p>{}</office:text></office:body></office:document>"#,
            "<text:section>".repeat(150),
            "</text:section>".repeat(150)
        )
    };
    let mut inner = String::new();
    for _ in 0..6 {
        inner = format!(
            "<draw:frame><draw:object>{}</draw:object></draw:frame>",
            doc(&inner)
        );
    }
    let flat = format!("<?xml version=\"1.0\"?>{}", doc(&inner));
    assert_eq!(formats::sniff(flat.as_bytes()), Format::Fodt);
    let findings = structural(flat.as_bytes());
    assert!(
        !of_rule(&findings, "unscannable").is_empty(),
        "{}",
        dump(&findings)
    );
    let deep = format!(
        "<?xml version=\"1.0\"?><office:document {ns} office:mimetype=\"application/vnd.oasis.opendocument.text\"><office:body><office:text>{}{}</office:text></office:body></office:document>",
        "<text:section>".repeat(20_000),
        "</text:section>".repeat(20_000)
    );
    let findings = structural(deep.as_bytes());
    let f = only(&findings, "unscannable");
    assert!(f.message.contains("nested deeper"), "{}", f.message);
}

#[test]
fn printer_names_and_set_up_blobs_in_settings_are_scanned_as_hidden_text() {
    // settings.xml as LibreOffice writes it: a printer name, and the printer set-up as a
    // base64 blob that holds the printer's and driver's names.
    let blob = "AAEAAEhSLUpTbWl0aC1MYXNlcgAAAAA="; // "\0\x01\0\0HR-JSmith-Laser\0\0\0\0"
    let settings = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" office:version="1.3"><office:settings><config:config-item-set config:name="ooo:configuration-settings"><config:config-item config:name="PrinterName" config:type="string">\\hq-print01\Jane SMITH desk</config:config-item><config:config-item config:name="PrinterSetup" config:type="base64Binary">{blob}</config:config-item><config:config-item config:name="IsKernAsianPunctuation" config:type="boolean">false</config:config-item></config:config-item-set></office:settings></office:document-settings>"#
    );
    let mut parts = parts_of(data!("letter-clean.odt"));
    parts.push(("settings.xml".into(), settings.into_bytes()));
    for (name, data) in parts.iter_mut() {
        if name == "META-INF/manifest.xml" {
            let text = String::from_utf8(data.clone()).expect("utf-8");
            *data = text
                .replace(
                    "</manifest:manifest>",
                    "<manifest:file-entry manifest:full-path=\"settings.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>",
                )
                .into_bytes();
        }
    }
    let (findings, items) = with_items(&rezip(&parts));
    none_of(&findings, "unscannable");
    none_of(&findings, "unknown-part");
    let printer = common::item(&items, ItemKind::Text, "\\\\hq-print01\\Jane SMITH desk");
    assert!(printer.hidden);
    assert_eq!(printer.location.part.as_deref(), Some("settings.xml"));
    assert!(
        items
            .iter()
            .any(|i| i.hidden && i.text == "HR-JSmith-Laser"),
        "{}",
        common::dump_items(&items)
    );
    assert!(!items.iter().any(|i| i.text == "false"));
}
