//! Text that lives outside the cell grid: shapes and text boxes (hidden or not), alternative
//! text, page headers and footers, data-validation lists and hyperlink targets. Each must be
//! extracted with its sheet and visibility; a hidden shape holding text is `hidden-text`.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use common::*;
use foiguard::Severity;
use foiguard::model::ItemKind;
use rust_xlsxwriter::{DataValidation, Workbook};

const DRAWING: &str = "xl/drawings/drawing1.xml";

fn workbook_with_textbox(hidden: bool) -> Vec<u8> {
    fixtures::textbox_note(hidden)
}

#[test]
fn hidden_shape_with_text_is_high_hidden_text() {
    let bytes = workbook_with_textbox(true);
    let (findings, items) = scan_items(&bytes);
    let f = only(&findings, "hidden-text");
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some(DRAWING));
    assert_eq!(f.location.sheet.as_deref(), Some("Crime by month"));
    assert!(
        f.message
            .contains("1 hidden shape on sheet 'Crime by month' holds text"),
        "{}",
        f.message
    );
    let text = item(&items, ItemKind::Text, "Checked by DS Raj PATEL 4821");
    assert!(text.hidden);
    assert_eq!(text.location.sheet.as_deref(), Some("Crime by month"));
}

#[test]
fn visible_shape_text_is_extracted_but_not_reported() {
    let bytes = workbook_with_textbox(false);
    let (findings, items) = scan_items(&bytes);
    none_of(&findings, "hidden-text");
    let text = item(&items, ItemKind::Text, "Checked by DS Raj PATEL 4821");
    assert!(!text.hidden, "a visible text box is visible");
}

#[test]
fn hidden_shape_without_text_is_info() {
    let bytes = workbook_with_textbox(true);
    let mut pkg = fixtures::Pkg::open(&bytes);
    pkg.edit(DRAWING, |xml| {
        xml.replace("Checked by DS Raj PATEL 4821", "")
    });
    let (findings, _) = scan_items(&pkg.finish());
    let f = only(&findings, "hidden-text");
    assert_eq!(f.severity, Severity::Info);
}

#[test]
fn headers_footers_validation_lists_and_links_are_extracted_as_hidden_text() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Stats").expect("name");
    ws.write(0, 0, "Offences").expect("write");
    ws.set_header("&LPrepared by Jane BLOGGS");
    ws.set_footer("&RReviewed by DCI Ray HOLT");
    let dv = DataValidation::new()
        .allow_list_strings(&["SMITH John", "JONES Amy"])
        .expect("list");
    ws.add_data_validation(1, 1, 10, 1, &dv)
        .expect("validation");
    ws.write_url(2, 0, "mailto:jane.bloggs@example.org")
        .expect("url");
    let bytes = wb.save_to_buffer().expect("save");
    let (findings, items) = scan_items(&bytes);

    let header = items
        .iter()
        .find(|i| i.text.contains("Prepared by Jane BLOGGS"))
        .unwrap_or_else(|| panic!("header not extracted:\n{}", dump_items(&items)));
    assert!(header.hidden);
    assert_eq!(header.detail.as_deref(), Some("page header or footer"));
    assert_eq!(header.location.sheet.as_deref(), Some("Stats"));
    assert!(
        items
            .iter()
            .any(|i| i.text.contains("Reviewed by DCI Ray HOLT") && i.hidden)
    );

    let list = items
        .iter()
        .find(|i| i.text.contains("SMITH John") && i.text.contains("JONES Amy"))
        .unwrap_or_else(|| panic!("validation list not extracted:\n{}", dump_items(&items)));
    assert_eq!(list.detail.as_deref(), Some("data validation list"));
    assert!(list.hidden);

    let link = items
        .iter()
        .find(|i| i.text == "mailto:jane.bloggs@example.org")
        .unwrap_or_else(|| panic!("hyperlink not extracted:\n{}", dump_items(&items)));
    assert_eq!(link.detail.as_deref(), Some("hyperlink target"));
    // None of these is a structural finding on its own.
    assert!(
        findings.iter().all(|f| f.severity < Severity::High),
        "{}",
        dump(&findings)
    );
}
