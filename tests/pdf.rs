//! The PDF inspector on generated PDFs (written with lopdf in `fixtures/pdfgen.rs`): each rule
//! with a case that must be found and a look-alike that must not.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use common::{dump, dump_items, none_of, of_rule, only};
use fixtures::pdfgen::{
    self, Pdf, frame, rect, rect_rgb, text, text_gray, text_invisible, text_per_glyph,
};
use foiguard::detect::Engine;
use foiguard::model::ItemKind;
use foiguard::{Finding, Limits, OwnedItem, Severity, scan_bytes};
use lopdf::dictionary;

/// Scans with the full personal-data engine and keeps the items.
fn scan(bytes: &[u8]) -> (Vec<Finding>, Vec<OwnedItem>) {
    let engine = Engine::new();
    let (format, findings, items) = scan_bytes(bytes, &Limits::default(), &engine, true);
    assert_eq!(format.name(), "pdf");
    (findings, items)
}

fn scan_with(bytes: &[u8], limits: &Limits) -> Vec<Finding> {
    scan_bytes(bytes, limits, &Engine::new(), false).1
}

fn one_page(content: &str) -> Vec<u8> {
    let mut pdf = Pdf::new();
    pdf.page(content);
    pdf.save()
}

/// Items whose text contains `needle`.
fn items_containing<'a>(items: &'a [OwnedItem], needle: &str) -> Vec<&'a OwnedItem> {
    items.iter().filter(|i| i.text.contains(needle)).collect()
}

const LETTER: &str = "Dear Sir or Madam, thank you for your request of 3 March.";

// ---------------------------------------------------------------- page text

#[test]
fn page_text_reaches_the_detectors_with_page_and_box() {
    let mut pdf = Pdf::new();
    pdf.page(&text(72.0, 750.0, 12.0, LETTER));
    pdf.page(&text(
        72.0,
        750.0,
        12.0,
        "Contact DS Patel on 07700 900123.",
    ));
    let (findings, items) = scan(&pdf.save());
    let line = items_containing(&items, "DS Patel");
    assert_eq!(line.len(), 1, "{}", dump_items(&items));
    let line = line[0];
    assert_eq!(line.kind, ItemKind::Paragraph);
    assert!(!line.hidden);
    assert_eq!(line.location.page, Some(2));
    let [x0, y0, x1, y1] = line.location.bbox.expect("bbox");
    assert!((71.0..74.0).contains(&x0) && y0 < 750.0 && y1 > 755.0 && x1 > 200.0);
    let phone = only(&findings, "pii.phone");
    assert_eq!(phone.location.page, Some(2));
    assert!(!phone.hidden);
    none_of(&findings, "hidden-text");
    none_of(&findings, "fake-redaction");
}

#[test]
fn glyphs_placed_one_by_one_still_make_one_identifier() {
    let (findings, items) = scan(&one_page(&text_per_glyph(
        72.0,
        700.0,
        11.0,
        "NI number AB 12 34 56 C",
    )));
    assert_eq!(
        items_containing(&items, "AB 12 34 56 C").len(),
        1,
        "{}",
        dump_items(&items)
    );
    only(&findings, "pii.nino");
}

// ---------------------------------------------------------------- fake-redaction

/// A letter line, then a black box drawn over the name in it.
fn boxed_name(name: &str, box_gray: f32) -> Vec<u8> {
    let content = format!(
        "{}{}{}{}{}",
        text(72.0, 750.0, 12.0, LETTER),
        text(72.0, 700.0, 12.0, "The victim,"),
        text(140.0, 700.0, 12.0, name),
        text(232.0, 700.0, 12.0, "reported it."),
        rect(136.0, 696.0, 90.0, 16.0, box_gray),
    );
    one_page(&content)
}

#[test]
fn a_black_box_over_a_name_is_a_critical_fake_redaction() {
    let (findings, items) = scan(&boxed_name("Mr John Smith", 0.0));
    let f = only(&findings, "fake-redaction");
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.hidden);
    assert_eq!(f.location.page, Some(1));
    let [x0, y0, x1, y1] = f.location.bbox.expect("box");
    assert_eq!([x0, y0, x1, y1], [136.0, 696.0, 226.0, 712.0]);
    assert!(
        f.evidence
            .as_deref()
            .unwrap_or_default()
            .contains("John Smith"),
        "{f:?}"
    );
    assert!(!f.message.contains("Smith"), "message leaks: {}", f.message);
    // The covered text goes to the detectors as hidden: a name under a box is at least high.
    let under: Vec<_> = items
        .iter()
        .filter(|i| i.hidden && i.text.contains("John Smith"))
        .collect();
    assert_eq!(under.len(), 1, "{}", dump_items(&items));
    let name = of_rule(&findings, "pii.person-name");
    assert!(
        name.iter()
            .any(|n| n.hidden && n.severity >= Severity::High),
        "{}",
        dump(&findings)
    );
    // The visible rest of the line stays visible text.
    assert!(
        items
            .iter()
            .any(|i| !i.hidden && i.text.contains("The victim"))
    );
}

#[test]
fn black_text_on_a_black_bar_is_a_fake_redaction_but_not_on_a_dark_page_band() {
    // Shading drawn first, then the name in the same black on it (Word's shading or black
    // highlighting): the text is drawn last, yet nobody can read it.
    let content = format!(
        "{}{}{}",
        text(72.0, 750.0, 12.0, LETTER),
        rect(136.0, 696.0, 90.0, 16.0, 0.0),
        text(140.0, 700.0, 12.0, "Mr John Smith"),
    );
    let (findings, _) = scan(&one_page(&content));
    let f = only(&findings, "fake-redaction");
    assert!(f.evidence.as_deref().unwrap_or_default().contains("Smith"));
    // A dark band across the foot of the page (a cover design) with a dark label on it.
    let content = format!(
        "{}{}",
        rect(0.0, 0.0, 595.0, 220.0, 0.1),
        text(450.0, 30.0, 12.0, "Exhibit B - 4"),
    );
    let (findings, _) = scan(&one_page(&content));
    none_of(&findings, "fake-redaction");
}

#[test]
fn a_date_stamped_into_every_box_is_the_tools_label_but_one_date_of_birth_is_not() {
    // Boxes drawn on a scan, each with the redaction date written into it in black.
    let mut stamped = String::new();
    for (i, y) in [700.0, 650.0, 600.0].iter().enumerate() {
        stamped.push_str(&text(
            72.0,
            *y,
            12.0,
            &format!("Paragraph {} of the statement", i + 1),
        ));
        stamped.push_str(&rect(250.0, y - 4.0, 80.0, 16.0, 0.0));
        stamped.push_str(&text(254.0, *y, 12.0, "03/23/2019"));
    }
    let (findings, _) = scan(&one_page(&stamped));
    none_of(&findings, "fake-redaction");
    // One date of birth under one box is a leak.
    let dob = format!(
        "{}{}{}",
        text(72.0, 700.0, 12.0, "Date of birth:"),
        text(160.0, 700.0, 12.0, "14/02/2009"),
        rect(156.0, 696.0, 80.0, 16.0, 0.0),
    );
    let (findings, _) = scan(&one_page(&dob));
    only(&findings, "fake-redaction");
}

#[test]
fn a_bordered_box_with_text_inside_is_not_a_redaction() {
    // One black path: an outer rectangle and an inner one drawn the other way round, which
    // leaves a frame (non-zero winding), then a label written inside it.
    let frame_path = "q 0 g 440 700 46 26 re 442 702 m 442 724 l 484 724 l 484 702 l h f Q\n";
    let content = format!(
        "{}{frame_path}{}",
        text(72.0, 750.0, 12.0, LETTER),
        text(448.0, 708.0, 12.0, "JS-6"),
    );
    let (findings, _) = scan(&one_page(&content));
    none_of(&findings, "fake-redaction");
    // The same outline filled solid is a box.
    let solid = format!(
        "{}{}{}",
        text(72.0, 750.0, 12.0, LETTER),
        text(448.0, 708.0, 12.0, "JS-6"),
        rect(440.0, 700.0, 46.0, 26.0, 0.0),
    );
    let (findings, _) = scan(&one_page(&solid));
    only(&findings, "fake-redaction");
}

#[test]
fn a_box_over_nothing_is_a_real_redaction() {
    let content = format!(
        "{}{}{}{}",
        text(72.0, 750.0, 12.0, LETTER),
        text(72.0, 700.0, 12.0, "The victim,"),
        text(232.0, 700.0, 12.0, "reported it."),
        rect(136.0, 696.0, 90.0, 16.0, 0.0),
    );
    let (findings, _) = scan(&one_page(&content));
    none_of(&findings, "fake-redaction");
    none_of(&findings, "hidden-text");
}

#[test]
fn redaction_labels_and_masks_under_a_box_are_not_leaks() {
    for label in ["REDACTED", "XXXXXXXX", "[s40(2)]", "Privileged"] {
        let (findings, _) = scan(&boxed_name(label, 0.0));
        none_of(&findings, "fake-redaction");
    }
}

#[test]
fn white_and_light_boxes_are_not_fake_redactions() {
    for gray in [1.0, 0.9] {
        let (findings, items) = scan(&boxed_name("Mr John Smith", gray));
        none_of(&findings, "fake-redaction");
        // Text painted over in white is still hidden from the reader.
        let f = only(&findings, "hidden-text");
        assert!(f.message.contains("white box"), "{}", f.message);
        assert!(
            items
                .iter()
                .any(|i| i.hidden && i.text.contains("John Smith"))
        );
    }
    // A mid-grey box is neither: the name shows through as a shaded word.
    let (findings, _) = scan(&boxed_name("Mr John Smith", 0.6));
    none_of(&findings, "fake-redaction");
    none_of(&findings, "hidden-text");
}

#[test]
fn a_box_over_part_of_the_glyphs_leaves_them_readable() {
    // A bar under the line (covering descenders and the bottom of the letters only).
    let content = format!(
        "{}{}",
        text(72.0, 700.0, 12.0, "The victim, Mr John Smith, reported it."),
        rect(72.0, 696.0, 200.0, 5.0, 0.0),
    );
    let (findings, _) = scan(&one_page(&content));
    none_of(&findings, "fake-redaction");
}

#[test]
fn shaded_table_cells_with_text_on_top_are_not_redactions() {
    let mut content = String::new();
    // Dark header row with white text drawn after it, grey body cells with black text.
    content.push_str(&rect_rgb(72.0, 700.0, 300.0, 20.0, [0.1, 0.1, 0.3]));
    content.push_str(&text_gray(76.0, 706.0, 11.0, 1.0, "Ward"));
    content.push_str(&text_gray(226.0, 706.0, 11.0, 1.0, "Offences"));
    for (i, (ward, n)) in [("Mile Cross", "42"), ("Eaton", "17"), ("Bowthorpe", "29")]
        .iter()
        .enumerate()
    {
        let y = 680.0 - 20.0 * i as f32;
        content.push_str(&rect(
            72.0,
            y,
            300.0,
            20.0,
            if i % 2 == 0 { 0.85 } else { 0.95 },
        ));
        content.push_str(&text(76.0, y + 6.0, 11.0, ward));
        content.push_str(&text(226.0, y + 6.0, 11.0, n));
    }
    content.push_str(&frame(72.0, 620.0, 300.0, 100.0));
    let (findings, items) = scan(&one_page(&content));
    none_of(&findings, "fake-redaction");
    none_of(&findings, "hidden-text");
    assert!(
        items
            .iter()
            .any(|i| !i.hidden && i.text.contains("Offences")),
        "{}",
        dump_items(&items)
    );
}

#[test]
fn an_unapplied_redaction_annotation_is_a_fake_redaction() {
    let mut pdf = Pdf::new();
    let page = pdf.page(&text(72.0, 700.0, 12.0, "Witness: Mrs Jane Doe"));
    pdf.redact_mark(page, [120.0, 695.0, 200.0, 712.0]);
    let (findings, _) = scan(&pdf.save());
    let f = only(&findings, "fake-redaction");
    assert!(f.message.contains("never applied"), "{}", f.message);
    // Over nothing, it is only a mark.
    let mut pdf = Pdf::new();
    let page = pdf.page(&text(72.0, 700.0, 12.0, "Witness:"));
    pdf.redact_mark(page, [120.0, 695.0, 200.0, 712.0]);
    let (findings, _) = scan(&pdf.save());
    none_of(&findings, "fake-redaction");
}

#[test]
fn a_black_highlight_annotation_over_text_is_a_fake_redaction_a_yellow_one_is_not() {
    let highlight = |rgb: [f32; 3]| {
        let mut pdf = Pdf::new();
        let page = pdf.page(&text(72.0, 700.0, 12.0, "Witness: Mrs Jane Doe"));
        pdf.annotate(
            page,
            dictionary! {
                "Type" => "Annot",
                "Subtype" => "Highlight",
                "Rect" => vec![120.into(), 695.into(), 200.into(), 712.into()],
                "QuadPoints" => [120.0, 712.0, 200.0, 712.0, 120.0, 695.0, 200.0, 695.0]
                    .iter()
                    .map(|v| lopdf::Object::Real(*v))
                    .collect::<Vec<_>>(),
                "C" => rgb.iter().map(|v| lopdf::Object::Real(*v)).collect::<Vec<_>>(),
            },
        );
        scan(&pdf.save()).0
    };
    let findings = highlight([0.0, 0.0, 0.0]);
    let f = only(&findings, "fake-redaction");
    assert!(f.message.contains("highlight"), "{}", f.message);
    none_of(&highlight([1.0, 1.0, 0.0]), "fake-redaction");
}

// ---------------------------------------------------------------- OCR layers

const OCR_WORDS: &str = "Statement of Mr John Smith taken on 3 March";

#[test]
fn an_ocr_layer_of_a_scan_is_the_pages_own_text() {
    let mut pdf = Pdf::new();
    pdf.scanned_page(&[], &text_invisible(72.0, 700.0, 12.0, OCR_WORDS));
    let (findings, items) = scan(&pdf.save());
    none_of(&findings, "hidden-text");
    none_of(&findings, "fake-redaction");
    let line = items_containing(&items, "Statement of");
    assert_eq!(line.len(), 1, "{}", dump_items(&items));
    assert!(!line[0].hidden);
}

#[test]
fn ocr_text_under_a_black_box_on_the_scan_is_a_fake_redaction() {
    // A vector box drawn on the scan over "Mr John Smith".
    let mut pdf = Pdf::new();
    let words = text_invisible(72.0, 700.0, 12.0, OCR_WORDS);
    pdf.scanned_page(
        &[],
        &format!("{words}{}", rect(140.0, 696.0, 80.0, 16.0, 0.0)),
    );
    let (findings, items) = scan(&pdf.save());
    let f = only(&findings, "fake-redaction");
    assert!(f.message.contains("OCR"), "{}", f.message);
    assert!(items.iter().any(|i| i.hidden && i.text.contains("Smith")));
    none_of(&findings, "hidden-text");

    // The same box burnt into the scan's pixels (5 points a pixel).
    let mut pdf = Pdf::new();
    pdf.scanned_page(&[(28, 139, 44, 143)], &words);
    let (findings, _) = scan(&pdf.save());
    let f = only(&findings, "fake-redaction");
    assert!(f.message.contains("OCR"), "{}", f.message);
}

// ---------------------------------------------------------------- hidden-text

#[test]
fn invisible_text_on_a_born_digital_page_is_hidden_text() {
    let content = format!(
        "{}{}",
        text(72.0, 750.0, 12.0, LETTER),
        text_invisible(72.0, 700.0, 12.0, "Informant: Mr John Smith")
    );
    let (findings, items) = scan(&one_page(&content));
    let f = only(&findings, "hidden-text");
    assert_eq!(f.severity, Severity::High);
    assert!(f.message.contains("invisible"), "{}", f.message);
    assert!(
        items
            .iter()
            .any(|i| i.hidden && i.text.contains("Informant"))
    );
    let name = of_rule(&findings, "pii.person-name");
    assert!(
        name.iter()
            .any(|n| n.hidden && n.severity >= Severity::High)
    );
}

#[test]
fn white_text_on_a_white_page_is_hidden_and_on_a_dark_box_it_is_not() {
    let hidden = format!(
        "{}{}",
        text(72.0, 750.0, 12.0, LETTER),
        text_gray(72.0, 700.0, 12.0, 1.0, "Suspect: Mr John Smith")
    );
    let (findings, _) = scan(&one_page(&hidden));
    let f = only(&findings, "hidden-text");
    assert!(f.message.contains("white text"), "{}", f.message);

    let banner = format!(
        "{}{}",
        rect(60.0, 690.0, 300.0, 30.0, 0.1),
        text_gray(72.0, 700.0, 12.0, 1.0, "Crime statistics 2023")
    );
    let (findings, _) = scan(&one_page(&banner));
    none_of(&findings, "hidden-text");
    none_of(&findings, "fake-redaction");
}

#[test]
fn text_outside_the_crop_box_is_hidden() {
    let mut pdf = Pdf::new();
    let page = pdf.page(&format!(
        "{}{}",
        text(72.0, 750.0, 12.0, LETTER),
        text(72.0, 20.0, 12.0, "Draft: prepared by Mr John Smith")
    ));
    pdf.doc.get_dictionary_mut(page).expect("page").set(
        "CropBox",
        vec![0.into(), 100.into(), 595.into(), 842.into()],
    );
    let (findings, items) = scan(&pdf.save());
    let f = only(&findings, "hidden-text");
    assert!(f.message.contains("outside"), "{}", f.message);
    assert!(items.iter().any(|i| i.hidden && i.text.contains("Draft")));
    // Without the crop box, the same text is on the page.
    let (findings, _) = scan(&one_page(&text(72.0, 20.0, 12.0, "Draft: prepared by us")));
    none_of(&findings, "hidden-text");
}

#[test]
fn a_hidden_layer_with_text_is_hidden_text() {
    let mut pdf = Pdf::new();
    pdf.layered_page(
        &text(72.0, 750.0, 12.0, LETTER),
        &text(72.0, 700.0, 12.0, "Reviewer: DS Patel"),
        true,
    );
    let (findings, items) = scan(&pdf.save());
    let f = only(&findings, "hidden-text");
    assert!(f.message.contains("layer"), "{}", f.message);
    assert!(
        items
            .iter()
            .any(|i| i.hidden && i.text.contains("DS Patel")),
        "{}",
        dump_items(&items)
    );
    // The same layer switched on is ordinary page text.
    let mut pdf = Pdf::new();
    pdf.layered_page(
        &text(72.0, 750.0, 12.0, LETTER),
        &text(72.0, 700.0, 12.0, "Reviewer: DS Patel"),
        false,
    );
    let (findings, items) = scan(&pdf.save());
    none_of(&findings, "hidden-text");
    assert!(
        items
            .iter()
            .any(|i| !i.hidden && i.text.contains("DS Patel"))
    );
}

// ---------------------------------------------------------------- incremental updates

#[test]
fn an_update_that_removes_a_name_is_a_high_incremental_update() {
    let original = one_page(&format!(
        "{}{}",
        text(72.0, 750.0, 12.0, LETTER),
        text(72.0, 700.0, 12.0, "The victim, Mr John Smith, reported it.")
    ));
    let updated = pdfgen::update_page_content(
        &original,
        1,
        &format!(
            "{}{}",
            text(72.0, 750.0, 12.0, LETTER),
            text(72.0, 700.0, 12.0, "The victim, [redacted], reported it.")
        ),
    );
    let (findings, items) = scan(&updated);
    let f = only(&findings, "pdf-incremental-update");
    assert!(f.severity >= Severity::High, "{}", dump(&findings));
    assert_eq!(f.location.page, Some(1));
    assert!(!f.message.contains("Smith"));
    let removed: Vec<_> = items
        .iter()
        .filter(|i| i.hidden && i.text.contains("John Smith"))
        .collect();
    assert_eq!(removed.len(), 1, "{}", dump_items(&items));
    assert!(
        of_rule(&findings, "pii.person-name")
            .iter()
            .any(|n| n.hidden && n.severity >= Severity::High),
        "{}",
        dump(&findings)
    );
    // The final revision shows no name.
    assert!(!items.iter().any(|i| !i.hidden && i.text.contains("Smith")));
}

#[test]
fn a_signature_update_that_removes_no_text_is_info() {
    let original = one_page(&text(72.0, 700.0, 12.0, LETTER));
    let signed = pdfgen::add_signature_update(&original);
    let (findings, _) = scan(&signed);
    let f = only(&findings, "pdf-incremental-update");
    assert_eq!(f.severity, Severity::Info, "{}", dump(&findings));
    assert!(f.message.contains("2 revisions"), "{}", f.message);
    // A file saved once has no update at all.
    let (findings, _) = scan(&original);
    none_of(&findings, "pdf-incremental-update");
}

// ---------------------------------------------------------------- objects

#[test]
fn annotations_with_authors_are_comments() {
    let mut pdf = Pdf::new();
    let page = pdf.page(&text(72.0, 700.0, 12.0, LETTER));
    pdf.note(page, "Jane Bloggs", "Check with DS Patel before release");
    let (findings, items) = scan(&pdf.save());
    let f = only(&findings, "comment");
    assert_eq!(f.location.page, Some(1));
    assert!(f.message.contains("1 author"), "{}", f.message);
    assert!(!f.message.contains("Bloggs"));
    assert!(
        items
            .iter()
            .any(|i| i.kind == ItemKind::Author && i.text == "Jane Bloggs")
    );
    assert!(
        items
            .iter()
            .any(|i| i.kind == ItemKind::Comment && i.hidden && i.text.contains("DS Patel"))
    );
    let (findings, _) = scan(&one_page(&text(72.0, 700.0, 12.0, LETTER)));
    none_of(&findings, "comment");
}

#[test]
fn an_attached_workbook_gets_the_full_workbook_inspection() {
    let mut pdf = Pdf::new();
    pdf.page(&text(72.0, 700.0, 12.0, LETTER));
    pdf.attach("staff-list.xlsx", &fixtures::hidden_sheet_roster());
    let (findings, _) = scan(&pdf.save());
    let e = only(&findings, "embedded-object");
    assert!(e.message.contains("staff-list.xlsx"), "{}", e.message);
    let hidden = only(&findings, "hidden-sheet");
    assert_eq!(
        hidden.location.container,
        vec!["staff-list.xlsx".to_string()]
    );
}

#[test]
fn an_attached_csv_of_names_is_scanned() {
    let mut pdf = Pdf::new();
    pdf.page(&text(72.0, 700.0, 12.0, LETTER));
    pdf.attach(
        "victims.csv",
        b"Surname,Forename,Phone\nSmith,John,07700 900123\nDoe,Jane,07700 900456\n",
    );
    let (findings, _) = scan(&pdf.save());
    only(&findings, "embedded-object");
    assert!(
        of_rule(&findings, "pii.phone")
            .iter()
            .any(|f| f.location.container == vec!["victims.csv".to_string()]),
        "{}",
        dump(&findings)
    );
    let (findings, _) = scan(&one_page(&text(72.0, 700.0, 12.0, LETTER)));
    none_of(&findings, "embedded-object");
}

#[test]
fn info_and_xmp_metadata_are_reported() {
    let mut pdf = Pdf::new();
    pdf.page(&text(72.0, 700.0, 12.0, LETTER));
    pdf.info(&[("Author", "Jane Bloggs"), ("Producer", "lopdf")]);
    pdf.xmp(
        r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:stRef="http://ns.adobe.com/xap/1.0/sType/ResourceRef#"><xmp:CreatorTool>Microsoft Word</xmp:CreatorTool><xmpMM:DerivedFrom stRef:filePath="C:\Users\jbloggs\Victims.docx"/></rdf:Description></rdf:RDF></x:xmpmeta>"#,
    );
    let (findings, items) = scan(&pdf.save());
    let f = only(&findings, "document-metadata");
    for word in ["author", "creator tool", "original file path"] {
        assert!(f.message.contains(word), "{}", f.message);
    }
    assert!(!f.message.contains("Bloggs"));
    assert!(
        items
            .iter()
            .any(|i| i.kind == ItemKind::Property && i.text.contains("jbloggs"))
    );
    // A producer alone is not worth a finding.
    let mut pdf = Pdf::new();
    pdf.page(&text(72.0, 700.0, 12.0, LETTER));
    pdf.info(&[("Producer", "lopdf")]);
    let (findings, _) = scan(&pdf.save());
    none_of(&findings, "document-metadata");
}

#[test]
fn javascript_is_a_macro() {
    let mut pdf = Pdf::new();
    pdf.page(&text(72.0, 700.0, 12.0, LETTER));
    pdf.open_script("app.alert('Contact DS Patel');");
    let (findings, items) = scan(&pdf.save());
    only(&findings, "macro");
    assert!(
        items
            .iter()
            .any(|i| i.kind == ItemKind::Macro && i.text.contains("DS Patel"))
    );
    let (findings, _) = scan(&one_page(&text(72.0, 700.0, 12.0, LETTER)));
    none_of(&findings, "macro");
}

// ---------------------------------------------------------------- encryption

#[test]
fn a_password_protected_pdf_is_unscannable() {
    let mut pdf = Pdf::new();
    pdf.page(&text(72.0, 700.0, 12.0, LETTER));
    let (findings, _) = scan(&pdf.save_encrypted("secret", "owner"));
    let f = only(&findings, "unscannable");
    assert!(f.message.contains("password-protected"), "{}", f.message);
}

#[test]
fn a_pdf_with_an_empty_user_password_is_scanned() {
    let mut pdf = Pdf::new();
    pdf.page(&text(
        72.0,
        700.0,
        12.0,
        "Contact DS Patel on 07700 900123.",
    ));
    let (findings, items) = scan(&pdf.save_encrypted("", "owner"));
    none_of(&findings, "unscannable");
    assert!(
        items.iter().any(|i| i.text.contains("DS Patel")),
        "{}",
        dump_items(&items)
    );
    only(&findings, "pii.phone");
}

// ---------------------------------------------------------------- hostile files

#[test]
fn a_page_over_the_glyph_limit_blocks_the_file_and_names_the_page() {
    let mut pdf = Pdf::new();
    pdf.page(&text(72.0, 700.0, 12.0, "short"));
    pdf.page(&text(72.0, 700.0, 12.0, LETTER));
    let limits = Limits {
        max_pdf_glyphs_per_page: 20,
        ..Limits::default()
    };
    let findings = scan_with(&pdf.save(), &limits);
    let f = only(&findings, "unscannable");
    assert_eq!(f.location.page, Some(2), "{}", dump(&findings));
    assert!(f.message.contains("page 2"), "{}", f.message);
}

#[test]
fn damaged_pdfs_are_unscannable_or_repaired_never_passed_silently() {
    let good = one_page(&text(
        72.0,
        700.0,
        12.0,
        "Contact DS Patel on 07700 900123.",
    ));
    // Truncated in the middle of its objects: repaired by scanning, or blocked.
    for cut in [good.len() / 3, good.len() / 2, good.len() - 40] {
        let findings = scan_with(&good[..cut], &Limits::default());
        let read = of_rule(&findings, "pii.phone").len() == 1;
        let blocked = !of_rule(&findings, "unscannable").is_empty();
        assert!(read || blocked, "cut at {cut}: {}", dump(&findings));
    }
    // Not a PDF past its header.
    let findings = scan_with(b"%PDF-1.7\n% nothing else here\n", &Limits::default());
    only(&findings, "unscannable");
}

#[test]
fn a_cyclic_page_tree_and_deep_nesting_do_not_hang() {
    let mut pdf = Pdf::new();
    let page = pdf.page(&text(72.0, 700.0, 12.0, LETTER));
    // An outline whose Next points back at itself, and an action chain that loops.
    let outline = pdf.doc.new_object_id();
    pdf.doc.objects.insert(
        outline,
        lopdf::Object::Dictionary(dictionary! {
            "Title" => lopdf::Object::string_literal("Chapter"),
            "Next" => outline,
        }),
    );
    let outlines = pdf
        .doc
        .add_object(dictionary! { "First" => outline, "Last" => outline });
    let action = pdf.doc.new_object_id();
    pdf.doc.objects.insert(
        action,
        lopdf::Object::Dictionary(dictionary! {
            "S" => "JavaScript", "JS" => lopdf::Object::string_literal("1"), "Next" => action,
        }),
    );
    let catalog = pdf.doc.catalog_mut().expect("catalog");
    catalog.set("Outlines", outlines);
    catalog.set("OpenAction", action);
    let _ = page;
    let (findings, _) = scan(&pdf.save());
    only(&findings, "macro");
    none_of(&findings, "unscannable");
}

#[test]
fn a_stream_that_inflates_past_the_limit_is_refused_before_it_is_decoded() {
    // 400 KB of spaces in a page's content compress to a few hundred bytes.
    let content = format!("{}{}", text(72.0, 700.0, 12.0, LETTER), " ".repeat(400_000));
    let mut pdf = Pdf::new();
    pdf.page(&content);
    let bytes = pdf.save_compressed();
    assert!(bytes.len() < 20_000);
    let limits = Limits {
        max_pdf_stream_bytes: 100_000,
        ..Limits::default()
    };
    let findings = scan_with(&bytes, &limits);
    let f = only(&findings, "unscannable");
    assert!(
        f.message.contains("inflates past the limit"),
        "{}",
        f.message
    );
    // Within the default limits the same file is read.
    let findings = scan_with(&bytes, &Limits::default());
    none_of(&findings, "unscannable");
}
