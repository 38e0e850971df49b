//! Every piece of text in a workbook reaches the detectors as an item, with where it sits
//! (container chain, part, sheet, cell) and whether a reader would see it.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use common::*;
use foiguard::OwnedItem;
use foiguard::model::ItemKind;

fn of_kind(items: &[OwnedItem], kind: ItemKind) -> Vec<&OwnedItem> {
    items.iter().filter(|i| i.kind == kind).collect()
}

fn with_detail<'a>(items: &'a [OwnedItem], kind: ItemKind, detail: &str) -> Vec<&'a OwnedItem> {
    items
        .iter()
        .filter(|i| i.kind == kind && i.detail.as_deref() == Some(detail))
        .collect()
}

#[test]
fn hidden_sheet_cells_are_hidden_items_with_sheet_and_cell() {
    let (_, items) = scan_items(&fixtures::hidden_sheet_roster());
    let header = cell(&items, "Sheet2", "A1");
    assert_eq!(header.text, "Surname");
    assert!(header.hidden);
    // Row 2 of the roster: SURNAMES[3], FORENAMES[1], rank "Insp", service number 380000.
    let surname = cell(&items, "Sheet2", "A2");
    assert_eq!(surname.text, "BROWN");
    assert!(surname.hidden);
    assert!(surname.location.container.is_empty());
    assert_eq!(
        surname.location.part.as_deref(),
        Some("xl/worksheets/sheet2.xml")
    );
    assert_eq!(cell(&items, "Sheet2", "B2").text, "Mary");
    assert_eq!(cell(&items, "Sheet2", "C2").text, "Insp");
    let service_no = cell(&items, "Sheet2", "D2");
    assert_eq!(service_no.text, "380000");
    assert!(service_no.hidden);
}

#[test]
fn every_cell_of_a_hidden_sheet_is_extracted() {
    let (_, items) = scan_items(&fixtures::hidden_sheet_roster());
    let cells: Vec<&OwnedItem> = items
        .iter()
        .filter(|i| {
            i.kind == ItemKind::Cell
                && i.detail.is_none()
                && i.location.sheet.as_deref() == Some("Sheet2")
        })
        .collect();
    assert_eq!(cells.len(), 1_005, "201 rows × 5 columns");
    assert!(cells.iter().all(|c| c.hidden));
    assert!(cells.iter().all(|c| c.location.cell.is_some()));
}

#[test]
fn visible_cells_are_not_hidden() {
    let (_, items) = scan_items(&fixtures::hidden_sheet_roster());
    let a1 = cell(&items, "Summary", "A1");
    assert_eq!(a1.text, "Department");
    assert!(!a1.hidden);
    let a2 = cell(&items, "Summary", "A2");
    assert_eq!(a2.text, "Response");
    assert!(!a2.hidden);
    assert_eq!(
        a2.location.part.as_deref(),
        Some("xl/worksheets/sheet1.xml")
    );
    let total = cell(&items, "Summary", "B10");
    assert_eq!(total.text, "200");
    assert!(!total.hidden);
}

#[test]
fn cells_in_hidden_rows_are_hidden() {
    let (_, items) = scan_items(&fixtures::hidden_rows_with_data());
    let sheet = "Burglary by ward";
    for row in 5..=9 {
        for col in ["A", "B", "C", "D", "E"] {
            let c = cell(&items, sheet, &format!("{col}{row}"));
            assert!(c.hidden, "{col}{row} is in a hidden row: {c:?}");
        }
    }
    assert!(cell(&items, sheet, "A5").text.contains(", "), "a name");
    let above = cell(&items, sheet, "A3");
    assert_eq!(above.text, "Mile Cross");
    assert!(!above.hidden);
    let below = cell(&items, sheet, "A10");
    assert_eq!(below.text, "Thorpe Hamlet");
    assert!(!below.hidden);
}

#[test]
fn cells_in_hidden_columns_are_hidden() {
    let (_, items) = scan_items(&fixtures::hidden_columns_with_data());
    let head = cell(&items, "Offences", "C1");
    assert_eq!(head.text, "Date of birth");
    assert!(head.hidden);
    let dob = cell(&items, "Offences", "C2");
    assert!(dob.hidden);
    assert!(
        dob.text.parse::<f64>().is_ok(),
        "a date serial: {:?}",
        dob.text
    );
    let offence = cell(&items, "Offences", "B2");
    assert_eq!(offence.text, "Burglary");
    assert!(!offence.hidden);
    assert!(!cell(&items, "Offences", "D2").hidden);
}

#[test]
fn cells_in_filtered_rows_are_hidden() {
    let (_, items) = scan_items(&fixtures::filtered_rows());
    let sheet = "Offences by ward";
    let shown = cell(&items, sheet, "A2");
    assert_eq!(shown.text, "Mile Cross");
    assert!(!shown.hidden);
    let filtered = cell(&items, sheet, "A3");
    assert_eq!(filtered.text, "Catton Grove");
    assert!(filtered.hidden);
}

#[test]
fn disguised_cells_are_hidden() {
    for (name, bytes) in [
        ("white_on_white", fixtures::disguised_white_on_white()),
        ("theme", fixtures::disguised_theme_colour()),
        ("indexed", fixtures::disguised_indexed_colour()),
        ("number_format", fixtures::disguised_number_format()),
        ("tiny_font", fixtures::disguised_tiny_font()),
    ] {
        let (_, items) = scan_items(&bytes);
        for row in 2..=6 {
            let c = cell(&items, "Crime by ward", &format!("E{row}"));
            assert!(c.hidden, "{name}: E{row} is disguised: {c:?}");
            assert!(c.text.contains(", "), "{name}: a name in E{row}");
        }
        let ward = cell(&items, "Crime by ward", "A2");
        assert_eq!(ward.text, "Mile Cross");
        assert!(!ward.hidden, "{name}: A2 is ordinary text");
    }
}

#[test]
fn white_header_on_dark_fill_is_visible() {
    let (_, items) = scan_items(&fixtures::white_font_on_dark_fill());
    let head = cell(&items, "Crime by ward", "A1");
    assert_eq!(head.text, "Ward");
    assert!(!head.hidden);
}

#[test]
fn far_away_cell_is_hidden() {
    let (_, items) = scan_items(&fixtures::extreme_extent());
    let near = cell(&items, "Sheet1", "A1");
    assert_eq!(near.text, "Crime statistics 2023");
    assert!(!near.hidden);
    let far = cell(&items, "Sheet1", "XFD1048576");
    assert_eq!(far.text, "SMITH, John 07700 900123");
    assert!(far.hidden);
}

#[test]
fn inline_string_in_a_hidden_sheet_is_extracted() {
    let mut pkg = fixtures::Pkg::open(&fixtures::hidden_sheet_empty());
    pkg.edit("xl/worksheets/sheet2.xml", |s| {
        let data = "<sheetData><row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>PATEL, Raj</t></is></c></row></sheetData>";
        if s.contains("<sheetData/>") {
            s.replacen("<sheetData/>", data, 1)
        } else {
            s.replacen("<sheetData></sheetData>", data, 1)
        }
    });
    let bytes = pkg.finish();
    let (findings, items) = scan_items(&bytes);
    let c = cell(&items, "Sheet2", "B3");
    assert_eq!(c.text, "PATEL, Raj");
    assert!(c.hidden);
    let f = only(&findings, "hidden-sheet");
    assert_eq!(f.severity, foiguard::Severity::High);
    assert_eq!(f.location.range.as_deref(), Some("B3"));
}

#[test]
fn formulas_are_extracted_with_their_cell() {
    let (_, items) = scan_items(&fixtures::external_link_cache());
    let formula = items
        .iter()
        .find(|i| {
            i.kind == ItemKind::Cell
                && i.detail.as_deref() == Some("formula")
                && i.location.cell.as_deref() == Some("B2")
        })
        .unwrap_or_else(|| panic!("no formula item at B2:\n{}", dump_items(&items)));
    assert!(formula.text.contains("[1]Tenants!$A$2:$A$6"), "{formula:?}");
    assert_eq!(formula.location.sheet.as_deref(), Some("Arrears"));
    assert!(!formula.hidden);
    assert_eq!(cell(&items, "Arrears", "B2").text, "5");
}

#[test]
fn pivot_records_resolve_shared_item_indexes_to_values() {
    let (_, items) = scan_items(&fixtures::pivot_cache_orphaned());
    let all = of_kind(&items, ItemKind::CacheRecord);
    // Row 1 holds the field names (the records' header row), then one row per record.
    let header: Vec<&str> = all
        .iter()
        .filter(|r| r.detail.as_deref() == Some("field name"))
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(header, ["Victim", "Offence", "Ward", "Age"]);
    let records: Vec<_> = all
        .into_iter()
        .filter(|r| r.detail.as_deref() != Some("field name"))
        .collect();
    assert_eq!(records.len(), 20, "5 records × 4 fields");
    assert!(records.iter().all(|r| r.hidden));
    assert!(
        records.iter().all(|r| {
            r.location.part.as_deref() == Some("xl/pivotCache/pivotCacheRecords1.xml")
        })
    );
    // (record row, field column) → value, as the source rows were written.
    let expect = [
        ("A2", "SMITH, John", "Victim"),
        ("B2", "Burglary", "Offence"),
        ("C2", "Mile Cross", "Ward"),
        ("D2", "34", "Age"),
        ("A3", "JONES, Mary", "Victim"),
        ("B3", "Assault", "Offence"),
        ("C3", "Thorpe Hamlet", "Ward"),
        ("A5", "BROWN, Peter", "Victim"),
        ("B5", "Criminal damage", "Offence"),
        ("C5", "Mile Cross", "Ward"),
        ("D5", "45", "Age"),
        ("A6", "WILSON, Grace", "Victim"),
        ("C6", "Mancroft", "Ward"),
    ];
    for (at, value, field) in expect {
        let r = records
            .iter()
            .find(|r| r.location.cell.as_deref() == Some(at))
            .unwrap_or_else(|| panic!("no record item at {at}:\n{}", dump_items(&items)));
        assert_eq!(r.text, value, "record cell {at}");
        assert_eq!(r.detail.as_deref(), Some(field), "record cell {at}");
    }
    // The distinct values of the definition are items too.
    let victims = with_detail(&items, ItemKind::CacheItem, "Victim");
    let names: Vec<&str> = victims.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(
        names,
        [
            "SMITH, John",
            "JONES, Mary",
            "TAYLOR, Aisha",
            "BROWN, Peter",
            "WILSON, Grace"
        ]
    );
    assert!(victims.iter().all(|i| i.hidden));
}

#[test]
fn external_link_cached_values_are_hidden_items() {
    let (_, items) = scan_items(&fixtures::external_link_cache());
    let cached = of_kind(&items, ItemKind::ExternalCell);
    assert_eq!(cached.len(), 18, "{}", dump_items(&items));
    assert!(cached.iter().all(|c| c.hidden));
    let tenant = item(&items, ItemKind::ExternalCell, "BLOGGS, Joe");
    assert_eq!(tenant.location.sheet.as_deref(), Some("Tenants"));
    assert_eq!(tenant.location.cell.as_deref(), Some("A2"));
    assert_eq!(
        tenant.location.part.as_deref(),
        Some("xl/externalLinks/externalLink1.xml")
    );
    let addr = item(&items, ItemKind::ExternalCell, "22 Church Lane, NR99 3DQ");
    assert_eq!(addr.location.cell.as_deref(), Some("B3"));
    let target = with_detail(&items, ItemKind::Property, "external link target");
    assert_eq!(target.len(), 1);
    assert!(target[0].text.contains("jbloggs"));
    assert!(target[0].hidden);
}

#[test]
fn chart_cache_labels_are_extracted() {
    let (_, items) = scan_items(&fixtures::chart_cache_hidden_source());
    let labels = with_detail(&items, ItemKind::ChartLabel, "cached label");
    let texts: Vec<&str> = labels.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(texts.len(), 6, "{texts:?}");
    assert!(texts.contains(&"PC Aisha WILSON"), "{texts:?}");
    assert!(
        labels
            .iter()
            .all(|l| l.location.part.as_deref() == Some("xl/charts/chart1.xml"))
    );
    assert_eq!(
        with_detail(&items, ItemKind::ChartLabel, "cached value").len(),
        6
    );
}

#[test]
fn legacy_note_text_and_author_are_extracted() {
    let (_, items) = scan_items(&fixtures::legacy_note());
    let notes = of_kind(&items, ItemKind::Comment);
    assert_eq!(notes.len(), 1, "{}", dump_items(&items));
    let note = notes[0];
    assert!(note.text.contains("SMITH, John burglary"), "{note:?}");
    assert!(note.text.contains("12 Acacia Avenue"), "{note:?}");
    assert!(note.hidden);
    assert_eq!(note.location.sheet.as_deref(), Some("Crime by ward"));
    assert_eq!(note.location.cell.as_deref(), Some("B4"));
    assert_eq!(note.location.part.as_deref(), Some("xl/comments1.xml"));
    let author = item(&items, ItemKind::Author, "DS Raj Patel");
    assert!(author.hidden);
}

#[test]
fn threaded_comment_text_and_person_are_extracted() {
    let (_, items) = scan_items(&fixtures::threaded_comment());
    let threaded = with_detail(&items, ItemKind::Comment, "threaded comment");
    assert_eq!(threaded.len(), 1, "{}", dump_items(&items));
    let t = threaded[0];
    assert!(t.text.starts_with("@Raj Patel"), "{t:?}");
    assert!(
        t.text.contains("WILSON, Grace case (07700 900461)"),
        "{t:?}"
    );
    assert_eq!(t.location.sheet.as_deref(), Some("Crime by ward"));
    assert_eq!(t.location.cell.as_deref(), Some("B4"));
    assert!(t.hidden);
    let person = item(&items, ItemKind::Author, "Jane Bloggs");
    assert_eq!(person.detail.as_deref(), Some("person display name"));
    assert_eq!(
        person.location.part.as_deref(),
        Some("xl/persons/person.xml")
    );
    let id = item(
        &items,
        ItemKind::Author,
        "jane.bloggs@norfolk.police.example",
    );
    assert_eq!(id.detail.as_deref(), Some("person directory id"));
}

#[test]
fn defined_name_values_are_extracted() {
    let (_, items) = scan_items(&fixtures::defined_name_hidden_constant());
    let constant = item(&items, ItemKind::DefinedName, "{\"Smith\",\"Jones\"}");
    assert_eq!(constant.detail.as_deref(), Some("OldSuspects"));
    assert!(constant.hidden);
    assert_eq!(constant.location.part.as_deref(), Some("xl/workbook.xml"));
    let range = item(&items, ItemKind::DefinedName, "Sheet1!$A$2:$A$6");
    assert_eq!(range.detail.as_deref(), Some("VictimLookup"));
    assert!(range.hidden);

    let (_, items) = scan_items(&fixtures::defined_name_plain());
    let plain = item(&items, ItemKind::DefinedName, "Sheet1!$A$1:$B$5");
    assert_eq!(plain.detail.as_deref(), Some("CrimeTable"));
    assert!(!plain.hidden, "a visible reference name is not hidden");
}

#[test]
fn document_properties_are_extracted() {
    let (_, items) = scan_items(&fixtures::document_metadata());
    for (detail, value, part) in [
        ("creator", "Jane Bloggs", "docProps/core.xml"),
        (
            "lastModifiedBy",
            "PATEL, Raj (DS 4821)",
            "docProps/core.xml",
        ),
        ("Company", "Norfolk Constabulary", "docProps/app.xml"),
        ("Manager", "DCI Ray Holt", "docProps/app.xml"),
        ("Reviewed by", "Sgt Amy Santiago", "docProps/custom.xml"),
    ] {
        let p = item(&items, ItemKind::Property, value);
        assert_eq!(p.detail.as_deref(), Some(detail), "{value}");
        assert_eq!(p.location.part.as_deref(), Some(part), "{value}");
        assert!(p.hidden, "{value}");
    }
}

#[test]
fn custom_xml_text_is_extracted() {
    let (_, items) = scan_items(&fixtures::custom_xml_part());
    let texts: Vec<&str> = of_kind(&items, ItemKind::CustomXml)
        .iter()
        .map(|i| i.text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "DC Tom Barnes (collar 4417)",
            "Mr Alan Partridge",
            "alan.partridge@example.com",
            "FOI/2023/0160"
        ]
    );
    let officer = item(&items, ItemKind::CustomXml, "DC Tom Barnes (collar 4417)");
    assert_eq!(
        officer.location.part.as_deref(),
        Some("customXml/item1.xml")
    );
    assert!(officer.hidden);
}

#[test]
fn revision_old_values_and_users_are_extracted() {
    let (_, items) = scan_items(&fixtures::shared_workbook_revisions());
    let old = item(&items, ItemKind::Revision, "John Smith");
    assert_eq!(old.detail.as_deref(), Some("earlier value"));
    assert_eq!(old.location.cell.as_deref(), Some("A2"));
    assert_eq!(
        old.location.part.as_deref(),
        Some("xl/revisions/revisionLog1.xml")
    );
    assert!(old.hidden);
    let second = item(&items, ItemKind::Revision, "Mary Jones, 07700 900318");
    assert_eq!(second.detail.as_deref(), Some("earlier value"));
    assert_eq!(second.location.cell.as_deref(), Some("A3"));
    let changed = items_with(&items, ItemKind::Revision, "Redacted");
    assert_eq!(changed.len(), 2);
    assert!(
        changed
            .iter()
            .all(|c| c.detail.as_deref() == Some("changed value"))
    );
    let user = item(&items, ItemKind::Author, "Jane Bloggs");
    assert_eq!(user.detail.as_deref(), Some("revision user"));
}

#[test]
fn vba_module_source_lines_are_extracted() {
    let (_, items) = scan_items(&fixtures::macro_workbook());
    let lines = of_kind(&items, ItemKind::Macro);
    assert_eq!(lines.len(), 4, "{}", dump_items(&items));
    let msg = item(&items, ItemKind::Macro, "  MsgBox \"Contact DS Patel\"");
    assert_eq!(msg.detail.as_deref(), Some("module Module1, line 3"));
    assert_eq!(msg.location.part.as_deref(), Some("xl/vbaProject.bin"));
    assert!(msg.hidden);
}

#[test]
fn data_connection_strings_and_queries_are_extracted() {
    let (_, items) = scan_items(&fixtures::data_connection());
    let conn = with_detail(&items, ItemKind::Connection, "connection string");
    assert_eq!(conn.len(), 1);
    assert!(conn[0].text.contains("Data Source=POLSQL01"));
    assert!(conn[0].hidden);
    let query = with_detail(&items, ItemKind::Connection, "query");
    assert_eq!(query.len(), 1);
    assert!(query[0].text.starts_with("SELECT DetaineeSurname"));
}

#[test]
fn embedded_workbook_items_carry_the_container_chain() {
    let (_, items) = scan_items(&fixtures::embedded_workbook());
    let chain = vec!["Microsoft_Excel_Worksheet.xlsx".to_string()];
    let inner: Vec<&OwnedItem> = items
        .iter()
        .filter(|i| i.location.container == chain)
        .collect();
    assert!(!inner.is_empty(), "{}", dump_items(&items));
    let surname = inner
        .iter()
        .find(|i| {
            i.kind == ItemKind::Cell
                && i.location.sheet.as_deref() == Some("Sheet2")
                && i.location.cell.as_deref() == Some("A2")
        })
        .unwrap_or_else(|| panic!("no inner Sheet2!A2:\n{}", dump_items(&items)));
    assert_eq!(surname.text, "BROWN");
    assert!(surname.hidden);
    assert_eq!(
        surname.location.part.as_deref(),
        Some("xl/worksheets/sheet2.xml")
    );
    // The outer workbook's own cells have no container.
    let outer = items
        .iter()
        .find(|i| i.kind == ItemKind::Cell && i.location.sheet.as_deref() == Some("Summary"))
        .expect("outer Summary cell");
    assert!(outer.location.container.is_empty());
    assert_eq!(
        inner
            .iter()
            .filter(|i| i.kind == ItemKind::Cell
                && i.detail.is_none()
                && i.location.sheet.as_deref() == Some("Sheet2"))
            .count(),
        1_005
    );
}

#[test]
fn embedded_ole_package_content_carries_the_container_chain() {
    let (_, items) = scan_items(&fixtures::embedded_ole_package());
    let inner: Vec<&OwnedItem> = items
        .iter()
        .filter(|i| i.location.container.len() == 1)
        .collect();
    assert!(!inner.is_empty(), "{}", dump_items(&items));
    let chain = &inner[0].location.container[0];
    assert!(chain.contains("oleObject1.bin"), "{chain}");
    assert!(chain.contains("victims-list.csv"), "{chain}");
    let all: String = inner
        .iter()
        .map(|i| i.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("KELLY, Gareth"), "{all}");
    assert!(all.contains("07700 900281"), "{all}");
}

#[test]
fn unused_shared_strings_are_hidden_shared_string_items() {
    let (_, items) = scan_items(&fixtures::residual_shared_strings());
    let unused = of_kind(&items, ItemKind::SharedString);
    assert_eq!(unused.len(), 5, "{}", dump_items(&items));
    for u in &unused {
        assert!(u.hidden);
        assert!(u.text.contains("Norwich NR99"), "{u:?}");
        assert_eq!(u.location.part.as_deref(), Some("xl/sharedStrings.xml"));
        assert!(
            u.detail
                .as_deref()
                .is_some_and(|d| d.starts_with("unused shared string #")),
            "{u:?}"
        );
    }
    assert!(
        unused.iter().any(|u| u.text.starts_with("BROWN, Imran - ")),
        "{}",
        dump_items(&items)
    );
    // Strings that cells use are reported as those cells, not as leftovers.
    let (_, clean) = scan_items(&fixtures::clean_crime_stats());
    assert!(of_kind(&clean, ItemKind::SharedString).is_empty());
}

#[test]
fn items_with_no_text_are_not_emitted() {
    let (_, items) = scan_items(&fixtures::hidden_sheet_roster());
    assert!(items.iter().all(|i| !i.text.trim().is_empty()));
}

#[test]
fn collecting_items_does_not_change_findings() {
    let bytes = fixtures::chart_cache_hidden_source();
    let (_, plain) = scan(&bytes);
    let (collected, _) = scan_items(&bytes);
    let fp = |f: &[foiguard::Finding]| f.iter().map(|x| x.fingerprint.clone()).collect::<Vec<_>>();
    assert_eq!(fp(&plain), fp(&collected));
}

#[test]
fn quoted_csv_fields_stay_whole() {
    let csv = b"Name,Date of birth,Ward\r\n\"SMITH, John\",03/02/1961,Mile Cross\r\n\"JONES, Mary\",11/07/1975,\"Thorpe Hamlet, East\"\r\n";
    let (format, _, items) = scan_with(csv, &foiguard::Limits::default(), true);
    assert_eq!(format, foiguard::formats::Format::Csv);
    let name = item(&items, ItemKind::Cell, "SMITH, John");
    assert_eq!(name.location.cell.as_deref(), Some("A2"));
    let ward = item(&items, ItemKind::Cell, "Thorpe Hamlet, East");
    assert_eq!(ward.location.cell.as_deref(), Some("C3"));
}
