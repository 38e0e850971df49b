//! Every structural rule the xlsx inspector emits, on generated fixtures: one positive and one
//! negative case per rule, with exact rule ids, severities, locations and the counts the
//! messages must carry. Empty hidden things stay info/low; hidden things holding data are at
//! least high.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use common::*;
use foiguard::formats::Format;
use foiguard::{Severity, Verdict};
use std::io::Write;

const SHEET1: &str = "xl/worksheets/sheet1.xml";
const SHEET2: &str = "xl/worksheets/sheet2.xml";

fn patched(bytes: &[u8], part: &str, from: &str, to: &str) -> Vec<u8> {
    let mut pkg = fixtures::Pkg::open(bytes);
    pkg.replace(part, from, to);
    pkg.finish()
}

fn with_part(bytes: &[u8], part: &str, data: impl Into<Vec<u8>>) -> Vec<u8> {
    let mut pkg = fixtures::Pkg::open(bytes);
    pkg.set(part, data);
    pkg.finish()
}

fn assert_contains(haystack: &str, needles: &[&str]) {
    for n in needles {
        assert!(
            haystack.contains(n),
            "expected {n:?} in message {haystack:?}"
        );
    }
}

fn verdict(bytes: &[u8], fail_on: Severity) -> Verdict {
    scan_as_file(bytes, "file.xlsx", fail_on).verdict
}

/// A workbook written in the test: `sheets` are (name, rows of numbers).
fn numbers_workbook(sheets: &[(&str, &[&[f64]])]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write(r as u32, c as u16, *v).expect("write");
            }
        }
    }
    wb.save_to_buffer().expect("save")
}

// ---------------------------------------------------------------------------
// Clean controls.
// ---------------------------------------------------------------------------

#[test]
fn clean_controls_produce_no_findings_at_all() {
    for (name, bytes) in [
        ("clean_crime_stats", fixtures::clean_crime_stats()),
        ("clean_rank_table", fixtures::clean_rank_table()),
    ] {
        let (format, findings) = scan(&bytes);
        assert_eq!(format, Format::Xlsx, "{name}");
        assert!(findings.is_empty(), "{name}:\n{}", dump(&findings));
        assert_eq!(verdict(&bytes, Severity::Low), Verdict::Pass, "{name}");
    }
}

#[test]
fn legitimate_formatting_and_names_produce_no_findings() {
    for (name, bytes) in [
        ("normal_formatting", fixtures::normal_formatting()),
        (
            "white_font_on_dark_fill",
            fixtures::white_font_on_dark_fill(),
        ),
        ("defined_name_plain", fixtures::defined_name_plain()),
    ] {
        let (_, findings) = scan(&bytes);
        assert!(findings.is_empty(), "{name}:\n{}", dump(&findings));
    }
}

// ---------------------------------------------------------------------------
// hidden-sheet / very-hidden-sheet
// ---------------------------------------------------------------------------

#[test]
fn hidden_sheet_with_data_is_one_high_finding_with_counts_and_range() {
    let bytes = fixtures::hidden_sheet_roster();
    let (_, findings) = scan(&bytes);
    assert_rules(&findings, &["hidden-sheet"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert!(f.location.container.is_empty());
    assert_eq!(f.location.part.as_deref(), Some(SHEET2));
    assert_eq!(f.location.sheet.as_deref(), Some("Sheet2"));
    assert_eq!(f.location.range.as_deref(), Some("A1:E201"));
    assert_eq!(f.location.cell, None);
    assert_contains(&f.message, &["'Sheet2'", "201 rows", "1,005 cells"]);
    assert_eq!(f.fingerprint.len(), 32, "fingerprint {:?}", f.fingerprint);
    assert_eq!(verdict(&bytes, Severity::High), Verdict::Block);
}

#[test]
fn empty_hidden_sheet_is_low_and_does_not_block() {
    let bytes = fixtures::hidden_sheet_empty();
    let (_, findings) = scan(&bytes);
    assert_rules(&findings, &["hidden-sheet"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Low);
    assert_eq!(f.location.sheet.as_deref(), Some("Sheet2"));
    assert_eq!(f.location.range, None);
    assert_contains(&f.message, &["'Sheet2'", "empty"]);
    assert_eq!(verdict(&bytes, Severity::High), Verdict::Pass);
}

#[test]
fn visible_sheets_are_not_reported_as_hidden() {
    let (_, findings) = scan(&fixtures::pivot_cache());
    none_of(&findings, "hidden-sheet");
    none_of(&findings, "very-hidden-sheet");
}

#[test]
fn very_hidden_sheet_with_data_is_high() {
    let (_, findings) = scan(&fixtures::very_hidden_sheet());
    assert_rules(&findings, &["very-hidden-sheet"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some(SHEET2));
    assert_eq!(f.location.sheet.as_deref(), Some("Victims"));
    assert_eq!(f.location.range.as_deref(), Some("A1:E13"));
    assert_contains(&f.message, &["'Victims'", "13 rows", "65 cells"]);
}

#[test]
fn a_merely_hidden_sheet_is_not_very_hidden() {
    let (_, findings) = scan(&fixtures::hidden_sheet_roster());
    none_of(&findings, "very-hidden-sheet");
}

#[test]
fn empty_very_hidden_sheet_is_low() {
    let bytes = patched(
        &fixtures::hidden_sheet_empty(),
        "xl/workbook.xml",
        "state=\"hidden\"",
        "state=\"veryHidden\"",
    );
    let (_, findings) = scan(&bytes);
    assert_rules(&findings, &["very-hidden-sheet"]);
    assert_eq!(findings[0].severity, Severity::Low);
    assert_eq!(verdict(&bytes, Severity::High), Verdict::Pass);
}

// ---------------------------------------------------------------------------
// hidden-rows / hidden-columns / filtered-rows
// ---------------------------------------------------------------------------

#[test]
fn hidden_rows_with_data_are_one_high_finding() {
    let (_, findings) = scan(&fixtures::hidden_rows_with_data());
    assert_rules(&findings, &["hidden-rows"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some(SHEET1));
    assert_eq!(f.location.sheet.as_deref(), Some("Burglary by ward"));
    assert_eq!(f.location.range.as_deref(), Some("A5:E9"));
    assert_contains(&f.message, &["5 hidden rows", "25 cells", "rows 5–9"]);
}

#[test]
fn empty_hidden_rows_are_info_and_do_not_block() {
    let bytes = fixtures::hidden_rows_empty();
    let (_, findings) = scan(&bytes);
    assert_rules(&findings, &["hidden-rows"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Info);
    assert_eq!(f.location.range.as_deref(), Some("5:9"));
    assert_contains(&f.message, &["5 hidden rows", "all empty"]);
    assert_eq!(verdict(&bytes, Severity::Low), Verdict::Pass);
}

#[test]
fn zero_height_rows_count_as_hidden() {
    let bytes = patched(
        &fixtures::hidden_rows_with_data(),
        SHEET1,
        "<row r=\"5\" spans=\"1:5\" hidden=\"1\">",
        "<row r=\"5\" spans=\"1:5\" ht=\"0\" customHeight=\"1\">",
    );
    let (_, findings) = scan(&bytes);
    let f = only(&findings, "hidden-rows");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.range.as_deref(), Some("A5:E9"));
    assert_contains(&f.message, &["5 hidden rows", "25 cells"]);
}

#[test]
fn rows_hidden_by_an_autofilter_are_not_reported_as_hidden_rows() {
    let (_, findings) = scan(&fixtures::filtered_rows());
    none_of(&findings, "hidden-rows");
}

#[test]
fn hidden_column_with_data_is_high() {
    let (_, findings) = scan(&fixtures::hidden_columns_with_data());
    assert_rules(&findings, &["hidden-columns"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some(SHEET1));
    assert_eq!(f.location.sheet.as_deref(), Some("Offences"));
    assert_eq!(f.location.range.as_deref(), Some("C1:C11"));
    assert_contains(&f.message, &["1 hidden column", "column C", "11 cells"]);
}

#[test]
fn zero_width_column_without_hidden_flag_counts_as_hidden() {
    let bytes = patched(
        &fixtures::hidden_columns_with_data(),
        SHEET1,
        "<col min=\"3\" max=\"3\" width=\"0\" hidden=\"1\" customWidth=\"1\"/>",
        "<col min=\"3\" max=\"3\" width=\"0\" customWidth=\"1\"/>",
    );
    let (_, findings) = scan(&bytes);
    let f = only(&findings, "hidden-columns");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.range.as_deref(), Some("C1:C11"));
}

#[test]
fn empty_hidden_column_is_info_and_does_not_block() {
    let bytes = fixtures::hidden_columns_empty();
    let (_, findings) = scan(&bytes);
    assert_rules(&findings, &["hidden-columns"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Info);
    assert_eq!(f.location.range.as_deref(), Some("E:E"));
    assert_contains(&f.message, &["1 hidden column", "all empty"]);
    assert_eq!(verdict(&bytes, Severity::Low), Verdict::Pass);
}

#[test]
fn hidden_columns_whose_cells_sit_in_hidden_rows_are_not_empty() {
    let (_, findings) = scan(&fixtures::hidden_columns_in_hidden_rows());
    let rows = only(&findings, "hidden-rows");
    assert_eq!(rows.severity, Severity::High);
    let cols = only(&findings, "hidden-columns");
    assert_eq!(cols.severity, Severity::High);
    assert!(!cols.message.contains("empty"), "{}", cols.message);
    assert_contains(
        &cols.message,
        &[
            "2 hidden columns",
            "columns B, C",
            "6 cells",
            "all of them also in hidden rows",
        ],
    );
    assert_eq!(cols.location.range.as_deref(), Some("B6:C8"));
}

#[test]
fn hidden_rows_are_not_reported_as_hidden_columns() {
    let (_, findings) = scan(&fixtures::hidden_rows_with_data());
    none_of(&findings, "hidden-columns");
}

#[test]
fn rows_hidden_by_an_active_autofilter_are_filtered_rows() {
    let (_, findings) = scan(&fixtures::filtered_rows());
    assert_rules(&findings, &["filtered-rows"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.sheet.as_deref(), Some("Offences by ward"));
    assert_eq!(f.location.range.as_deref(), Some("A3:D25"));
    assert_contains(
        &f.message,
        &["18 rows hidden by an active AutoFilter", "72 cells"],
    );
}

#[test]
fn hidden_rows_under_an_inactive_autofilter_are_plain_hidden_rows() {
    // Same rows hidden, but the AutoFilter has no filter column: clearing no filter
    // would show them, so they are ordinary hidden rows.
    let bytes = patched(
        &fixtures::filtered_rows(),
        SHEET1,
        "<filterColumn colId=\"0\"><filters><filter val=\"Mile Cross\"/></filters></filterColumn>",
        "",
    );
    let (_, findings) = scan(&bytes);
    none_of(&findings, "filtered-rows");
    let f = only(&findings, "hidden-rows");
    assert_eq!(f.severity, Severity::High);
    assert_contains(&f.message, &["18 hidden rows", "72 cells"]);
}

// ---------------------------------------------------------------------------
// pivot-cache / data-model
// ---------------------------------------------------------------------------

#[test]
fn pivot_cache_with_records_is_high_and_names_its_source() {
    let (_, findings) = scan(&fixtures::pivot_cache());
    assert_rules(&findings, &["pivot-cache"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(
        f.location.part.as_deref(),
        Some("xl/pivotCache/pivotCacheRecords1.xml")
    );
    assert_eq!(f.location.sheet.as_deref(), Some("Data"));
    assert_eq!(f.location.range.as_deref(), Some("A1:D6"));
    assert_contains(
        &f.message,
        &[
            "5 records",
            "4 fields",
            "Victim, Offence, Ward, Age",
            "sheet 'Data'",
        ],
    );
    assert!(
        !f.message.contains("no pivot table uses it"),
        "the cache is used by PivotTable1: {}",
        f.message
    );
    assert!(
        !f.message.contains("no longer in the workbook"),
        "{}",
        f.message
    );
}

#[test]
fn orphaned_pivot_cache_says_no_table_uses_it_and_the_source_is_gone() {
    let bytes = fixtures::pivot_cache_orphaned();
    let (_, findings) = scan(&bytes);
    assert_rules(&findings, &["pivot-cache"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_contains(
        &f.message,
        &[
            "5 records",
            "no pivot table uses it",
            "source sheet 'Data'",
            "no longer in the workbook",
        ],
    );
    assert_eq!(verdict(&bytes, Severity::High), Verdict::Block);
}

#[test]
fn pivot_cache_definition_without_records_still_holds_data_and_blocks() {
    // "Save source data with file" off: Excel drops pivotCacheRecords but keeps every distinct
    // value (here the five victims' names) in the definition's sharedItems. The source sheet
    // is gone, so the names are nowhere a reader can see them.
    let bytes = without_part(
        &fixtures::pivot_cache_orphaned(),
        "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels",
    );
    let bytes = without_part(&bytes, "xl/pivotCache/pivotCacheRecords1.xml");
    let bytes = patched(
        &bytes,
        "[Content_Types].xml",
        "<Override PartName=\"/xl/pivotCache/pivotCacheRecords1.xml\"",
        "<Override PartName=\"/xl/pivotCache/unused.xml\"",
    );
    let (_, findings) = scan(&bytes);
    let f = only(&findings, "pivot-cache");
    assert_contains(
        &f.message,
        &[
            "11 distinct values",
            "4 fields",
            "no longer in the workbook",
        ],
    );
    assert!(
        f.severity >= Severity::High,
        "hidden victim names in the cache must block: {}",
        dump(&findings)
    );
}

#[test]
fn workbook_without_pivot_cache_has_no_pivot_finding() {
    let (_, findings) = scan(&fixtures::hidden_sheet_roster());
    none_of(&findings, "pivot-cache");
}

#[test]
fn power_pivot_data_model_is_high() {
    let (_, findings) = scan(&fixtures::data_model());
    assert_rules(&findings, &["data-model"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("xl/model/item.data"));
    assert_contains(&f.message, &["Power Pivot data model"]);
}

#[test]
fn workbook_without_data_model_has_no_data_model_finding() {
    let (_, findings) = scan(&fixtures::chart_with_cache());
    none_of(&findings, "data-model");
}

// ---------------------------------------------------------------------------
// chart-cache
// ---------------------------------------------------------------------------

#[test]
fn chart_cache_of_visible_data_is_low_and_not_hidden() {
    let bytes = fixtures::chart_with_cache();
    let (_, findings) = scan(&bytes);
    assert_rules(&findings, &["chart-cache"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Low);
    assert!(!f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("xl/charts/chart1.xml"));
    assert_eq!(f.location.sheet.as_deref(), Some("Crime by ward"));
    assert_contains(&f.message, &["8 values and 8 labels", "'Crime by ward'"]);
    assert!(!f.message.contains("hidden"), "{}", f.message);
    assert_eq!(verdict(&bytes, Severity::High), Verdict::Pass);
}

#[test]
fn chart_cache_of_a_hidden_sheet_is_high_and_hidden() {
    let (_, findings) = scan(&fixtures::chart_cache_hidden_source());
    assert_rules(&findings, &["chart-cache", "hidden-sheet"]);
    let f = only(&findings, "chart-cache");
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("xl/charts/chart1.xml"));
    assert_eq!(f.location.sheet.as_deref(), Some("ChartData"));
    assert_contains(
        &f.message,
        &[
            "6 values and 6 labels",
            "source sheet 'ChartData' is hidden",
        ],
    );
    let s = only(&findings, "hidden-sheet");
    assert_eq!(s.location.range.as_deref(), Some("A1:B7"));
    assert_contains(&s.message, &["7 rows", "14 cells"]);
}

#[test]
fn chart_cache_of_a_deleted_sheet_is_high() {
    // The series still point at 'ChartData' and cache its values, but the sheet is gone.
    let bytes = patched(
        &fixtures::chart_cache_hidden_source(),
        "xl/workbook.xml",
        "<sheet name=\"ChartData\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/>",
        "",
    );
    let (_, findings) = scan(&bytes);
    let f = only(&findings, "chart-cache");
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_contains(&f.message, &["'ChartData' is no longer in the workbook"]);
}

#[test]
fn workbook_without_charts_has_no_chart_finding() {
    let (_, findings) = scan(&fixtures::hidden_sheet_roster());
    none_of(&findings, "chart-cache");
}

// ---------------------------------------------------------------------------
// external-link
// ---------------------------------------------------------------------------

#[test]
fn external_link_with_cached_values_is_high_and_keeps_the_path_as_evidence() {
    let (_, findings) = scan(&fixtures::external_link_cache());
    assert_rules(&findings, &["external-link"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(
        f.location.part.as_deref(),
        Some("xl/externalLinks/externalLink1.xml")
    );
    assert_eq!(f.location.sheet.as_deref(), Some("Tenants"));
    assert_contains(&f.message, &["'Tenants 2014.xlsx'", "18 cached values"]);
    let evidence = f.evidence.as_deref().expect("path as evidence");
    assert!(evidence.contains("jbloggs"), "{evidence}");
    assert!(
        !f.message.contains("jbloggs"),
        "the message must not carry the user name in clear: {}",
        f.message
    );
}

#[test]
fn external_link_with_only_a_path_is_medium() {
    let bytes = fixtures::external_link_no_cache();
    let (_, findings) = scan(&bytes);
    assert_rules(&findings, &["external-link"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Medium);
    assert!(f.hidden);
    assert_contains(&f.message, &["'Tenants 2014.xlsx'", "path"]);
    assert!(!f.message.contains("cached"), "{}", f.message);
    assert_eq!(verdict(&bytes, Severity::High), Verdict::Pass);
    assert_eq!(verdict(&bytes, Severity::Medium), Verdict::Block);
}

#[test]
fn workbook_without_links_has_no_external_link_finding() {
    let (_, findings) = scan(&fixtures::data_connection());
    none_of(&findings, "external-link");
}

// ---------------------------------------------------------------------------
// defined-name
// ---------------------------------------------------------------------------

#[test]
fn hidden_defined_name_holding_a_constant_is_high() {
    let (_, findings) = scan(&fixtures::defined_name_hidden_constant());
    assert_rules(&findings, &["defined-name"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("xl/workbook.xml"));
    assert_contains(
        &f.message,
        &[
            "2 hidden",
            "OldSuspects",
            "VictimLookup",
            "1 holding data rather than a cell reference",
        ],
    );
    assert!(
        !f.message.contains("Smith"),
        "the constant's value must not be printed: {}",
        f.message
    );
}

#[test]
fn plain_defined_name_is_not_reported() {
    let (_, findings) = scan(&fixtures::defined_name_plain());
    none_of(&findings, "defined-name");
}

#[test]
fn hidden_name_referring_to_cells_is_low() {
    let bytes = patched(
        &fixtures::defined_name_plain(),
        "xl/workbook.xml",
        "<definedName name=\"CrimeTable\">",
        "<definedName name=\"CrimeTable\" hidden=\"1\">",
    );
    let (_, findings) = scan(&bytes);
    let f = only(&findings, "defined-name");
    assert_eq!(f.severity, Severity::Low);
    assert_contains(&f.message, &["1 hidden (CrimeTable)"]);
}

#[test]
fn visible_name_holding_a_constant_is_medium() {
    let bytes = patched(
        &fixtures::defined_name_plain(),
        "xl/workbook.xml",
        "<definedName name=\"CrimeTable\">Sheet1!$A$1:$B$5</definedName>",
        "<definedName name=\"Suspect\">\"SMITH, John\"</definedName>",
    );
    let (_, findings) = scan(&bytes);
    let f = only(&findings, "defined-name");
    assert_eq!(f.severity, Severity::Medium);
    assert_contains(&f.message, &["1 holding data", "Suspect"]);
}

#[test]
fn filter_database_name_is_never_reported() {
    // rust_xlsxwriter writes a hidden `_xlnm._FilterDatabase` for the AutoFilter.
    let (_, findings) = scan(&fixtures::filtered_rows());
    none_of(&findings, "defined-name");
    // Even a hidden built-in name holding a constant is Excel's own business.
    let bytes = patched(
        &fixtures::filtered_rows(),
        "xl/workbook.xml",
        "'Offences by ward'!$A$1:$D$25</definedName>",
        "{1,2,3}</definedName>",
    );
    let (_, findings) = scan(&bytes);
    none_of(&findings, "defined-name");
}

// ---------------------------------------------------------------------------
// data-connection
// ---------------------------------------------------------------------------

#[test]
fn data_connection_with_a_stored_password_is_high() {
    let (_, findings) = scan(&fixtures::data_connection());
    assert_rules(&findings, &["data-connection"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("xl/connections.xml"));
    assert_contains(
        &f.message,
        &["1 data connection", "POLSQL01 Custody", "stored password"],
    );
    assert!(
        !f.message.contains("Winter2023"),
        "the password must never be printed: {}",
        f.message
    );
    assert_eq!(f.evidence.as_deref(), Some("POLSQL01"));
}

#[test]
fn data_connection_without_a_password_is_medium() {
    let mut pkg = fixtures::Pkg::open(&fixtures::data_connection());
    pkg.replace("xl/connections.xml", "savePassword=\"1\" ", "");
    pkg.replace("xl/connections.xml", "Password=Winter2023;", "");
    let (_, findings) = scan(&pkg.finish());
    let f = only(&findings, "data-connection");
    assert_eq!(f.severity, Severity::Medium);
    assert!(!f.message.contains("password"), "{}", f.message);
}

#[test]
fn workbook_without_connections_has_no_connection_finding() {
    let (_, findings) = scan(&fixtures::external_link_cache());
    none_of(&findings, "data-connection");
}

// ---------------------------------------------------------------------------
// disguised-content
// ---------------------------------------------------------------------------

fn assert_disguised(bytes: &[u8], reason: &str) {
    let (_, findings) = scan(bytes);
    assert_rules(&findings, &["disguised-content"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High, "{reason}");
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some(SHEET1));
    assert_eq!(f.location.sheet.as_deref(), Some("Crime by ward"));
    assert_eq!(f.location.range.as_deref(), Some("E2:E6"));
    assert_contains(&f.message, &["5 cells", "'Crime by ward'", reason]);
}

#[test]
fn white_text_on_white_fill_is_disguised() {
    assert_disguised(
        &fixtures::disguised_white_on_white(),
        "font colour matches the cell fill",
    );
}

#[test]
fn theme_white_text_on_white_fill_is_disguised() {
    assert_disguised(
        &fixtures::disguised_theme_colour(),
        "font colour matches the cell fill",
    );
}

#[test]
fn indexed_white_text_on_indexed_white_fill_is_disguised() {
    assert_disguised(
        &fixtures::disguised_indexed_colour(),
        "font colour matches the cell fill",
    );
}

#[test]
fn empty_number_format_is_disguised() {
    assert_disguised(
        &fixtures::disguised_number_format(),
        "number format displays nothing",
    );
}

#[test]
fn tiny_font_is_disguised() {
    assert_disguised(&fixtures::disguised_tiny_font(), "font too small to read");
}

#[test]
fn white_text_with_no_fill_is_disguised() {
    // No fill: the white page shows behind the white text.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "Ward").expect("write");
    ws.write(1, 0, "Mile Cross").expect("write");
    let white = rust_xlsxwriter::Format::new().set_font_color(rust_xlsxwriter::Color::White);
    ws.write_with_format(1, 3, "JONES, Mary 07700 900111", &white)
        .expect("write");
    let (_, findings) = scan(&wb.save_to_buffer().expect("save"));
    let f = only(&findings, "disguised-content");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.range.as_deref(), Some("D2"));
    assert_contains(&f.message, &["1 cell", "font colour matches the cell fill"]);
}

#[test]
fn white_text_on_a_dark_fill_is_not_disguised() {
    let (_, findings) = scan(&fixtures::white_font_on_dark_fill());
    none_of(&findings, "disguised-content");
}

#[test]
fn ordinary_number_formats_and_fonts_are_not_disguised() {
    let (_, findings) = scan(&fixtures::normal_formatting());
    none_of(&findings, "disguised-content");
}

// ---------------------------------------------------------------------------
// residual-data
// ---------------------------------------------------------------------------

#[test]
fn unused_shared_strings_are_residual_data() {
    let (_, findings) = scan(&fixtures::residual_shared_strings());
    assert_rules(&findings, &["residual-data"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("xl/sharedStrings.xml"));
    assert_eq!(f.location.sheet, None);
    assert_contains(&f.message, &["5 of 24 strings"]);
}

#[test]
fn cell_at_xfd1048576_is_residual_data() {
    let (_, findings) = scan(&fixtures::extreme_extent());
    assert_rules(&findings, &["residual-data"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some(SHEET1));
    assert_eq!(f.location.sheet.as_deref(), Some("Sheet1"));
    assert_eq!(f.location.range.as_deref(), Some("XFD1048576"));
    assert_contains(&f.message, &["1 cell", "far outside the used range"]);
}

#[test]
fn far_cell_message_names_the_sheet() {
    let (_, findings) = scan(&fixtures::extreme_extent());
    let f = only(&findings, "residual-data");
    assert_contains(&f.message, &["1 cell on sheet 'Sheet1' lies far outside"]);
}

#[test]
fn a_normal_table_has_no_residual_data() {
    let (_, findings) = scan(&fixtures::clean_crime_stats());
    none_of(&findings, "residual-data");
    // Strings used only by a hidden sheet are used, not residual.
    let (_, findings) = scan(&fixtures::hidden_sheet_roster());
    none_of(&findings, "residual-data");
}

#[test]
fn worksheet_part_not_listed_in_the_workbook_is_reported() {
    // Sheet2 (service numbers) is dropped from <sheets> but its part, relationship and
    // content type stay: Excel will not show it, yet the data ships with the file.
    let bytes = numbers_workbook(&[
        ("Summary", &[&[1.0, 2.0], &[3.0, 4.0]]),
        ("Sheet2", &[&[381_001.0, 1_963.0], &[381_002.0, 1_971.0]]),
    ]);
    let bytes = patched(
        &bytes,
        "xl/workbook.xml",
        "<sheet name=\"Sheet2\" sheetId=\"2\" r:id=\"rId2\"/>",
        "",
    );
    let (_, findings) = scan(&bytes);
    assert!(
        findings
            .iter()
            .any(|f| f.location.part.as_deref() == Some(SHEET2) && f.severity >= Severity::High),
        "the unreachable sheet part must be reported:\n{}",
        dump(&findings)
    );
}

// ---------------------------------------------------------------------------
// comment
// ---------------------------------------------------------------------------

#[test]
fn legacy_note_is_a_medium_comment_on_its_sheet() {
    let bytes = fixtures::legacy_note();
    let (_, findings) = scan(&bytes);
    assert_rules(&findings, &["comment"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Medium);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("xl/comments1.xml"));
    assert_eq!(f.location.sheet.as_deref(), Some("Crime by ward"));
    assert_contains(&f.message, &["1 note", "'Crime by ward'"]);
    assert!(!f.message.contains("SMITH"), "{}", f.message);
    assert_eq!(verdict(&bytes, Severity::High), Verdict::Pass);
    assert_eq!(verdict(&bytes, Severity::Medium), Verdict::Block);
}

#[test]
fn legacy_note_counts_only_the_authors_of_its_notes() {
    let (_, findings) = scan(&fixtures::legacy_note());
    let f = only(&findings, "comment");
    assert_contains(&f.message, &["1 note", "by 1 author"]);
}

#[test]
fn threaded_comment_and_person_list_are_reported() {
    let (_, findings) = scan(&fixtures::threaded_comment());
    assert_rules(&findings, &["comment", "comment", "comment"]);
    let by_part = |part: &str| {
        findings
            .iter()
            .find(|f| f.location.part.as_deref() == Some(part))
            .unwrap_or_else(|| panic!("no comment finding on {part}:\n{}", dump(&findings)))
    };
    let threaded = by_part("xl/threadedComments/threadedComment1.xml");
    assert_eq!(threaded.severity, Severity::Medium);
    assert_eq!(threaded.location.sheet.as_deref(), Some("Crime by ward"));
    assert_contains(
        &threaded.message,
        &["1 threaded comment", "0 replies", "1 person"],
    );
    let persons = by_part("xl/persons/person.xml");
    assert_eq!(persons.severity, Severity::Medium);
    assert_contains(
        &persons.message,
        &["1 person", "1 with a directory or email id"],
    );
    assert!(!persons.message.contains("Bloggs"), "{}", persons.message);
    let fallback = by_part("xl/comments1.xml");
    assert_contains(&fallback.message, &["1 note"]);
    assert!(findings.iter().all(|f| f.hidden));
}

#[test]
fn workbook_without_comments_has_no_comment_finding() {
    let (_, findings) = scan(&fixtures::chart_with_cache());
    none_of(&findings, "comment");
}

// ---------------------------------------------------------------------------
// embedded-object
// ---------------------------------------------------------------------------

#[test]
fn embedded_workbook_is_reported_and_its_hidden_sheet_found_inside() {
    let bytes = fixtures::embedded_workbook();
    let (_, findings) = scan(&bytes);
    assert_rules(&findings, &["embedded-object", "hidden-sheet"]);
    let e = only(&findings, "embedded-object");
    assert_eq!(e.severity, Severity::Medium);
    assert!(e.hidden);
    assert!(e.location.container.is_empty());
    assert_eq!(
        e.location.part.as_deref(),
        Some("xl/embeddings/Microsoft_Excel_Worksheet.xlsx")
    );
    assert_contains(
        &e.message,
        &["embedded workbook", "Microsoft_Excel_Worksheet.xlsx"],
    );
    let h = only(&findings, "hidden-sheet");
    assert_eq!(h.location.container, vec!["Microsoft_Excel_Worksheet.xlsx"]);
    assert_eq!(h.location.part.as_deref(), Some(SHEET2));
    assert_eq!(h.location.sheet.as_deref(), Some("Sheet2"));
    assert_eq!(h.location.range.as_deref(), Some("A1:E201"));
    assert_eq!(h.severity, Severity::High);
    assert_contains(&h.message, &["201 rows"]);
    assert_eq!(
        h.location.describe(),
        "Microsoft_Excel_Worksheet.xlsx > Sheet2!A1:E201 (xl/worksheets/sheet2.xml)"
    );
    assert_eq!(verdict(&bytes, Severity::High), Verdict::Block);
}

#[test]
fn embedded_hidden_sheet_fingerprint_differs_from_the_same_sheet_at_top_level() {
    let (_, outer) = scan(&fixtures::embedded_workbook());
    let (_, top) = scan(&fixtures::hidden_sheet_roster());
    assert_ne!(
        only(&outer, "hidden-sheet").fingerprint,
        only(&top, "hidden-sheet").fingerprint
    );
}

#[test]
fn embedded_ole_package_is_reported_with_its_label() {
    let (_, findings) = scan(&fixtures::embedded_ole_package());
    assert_rules(&findings, &["embedded-object"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Medium);
    assert!(f.hidden);
    assert_eq!(
        f.location.part.as_deref(),
        Some("xl/embeddings/oleObject1.bin")
    );
    assert_contains(&f.message, &["OLE package", "'victims-list.csv'"]);
}

#[test]
fn embedded_ole_object_of_unknown_kind_is_unscannable() {
    let mut comp = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    {
        let mut s = comp.create_stream("/CONTENTS").expect("stream");
        s.write_all(&[0x42; 600]).expect("write");
    }
    comp.flush().expect("flush");
    let ole = comp.into_inner().into_inner();
    let bytes = with_part(
        &fixtures::embedded_ole_package(),
        "xl/embeddings/oleObject1.bin",
        ole,
    );
    let (_, findings) = scan(&bytes);
    assert_rules(&findings, &["embedded-object", "unscannable"]);
    let u = only(&findings, "unscannable");
    assert_eq!(u.severity, Severity::Critical);
    assert_eq!(
        u.location.part.as_deref(),
        Some("xl/embeddings/oleObject1.bin")
    );
    assert_contains(&u.message, &["cannot open"]);
}

#[test]
fn workbook_without_embeddings_has_no_embedded_object_finding() {
    let (_, findings) = scan(&fixtures::hidden_sheet_roster());
    none_of(&findings, "embedded-object");
}

// ---------------------------------------------------------------------------
// macro
// ---------------------------------------------------------------------------

#[test]
fn vba_project_is_a_macro_finding() {
    let (format, findings) = scan(&fixtures::macro_workbook());
    assert_eq!(format, Format::Xlsm);
    assert_rules(&findings, &["macro"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Medium);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("xl/vbaProject.bin"));
    assert_contains(&f.message, &["1 module (Module1)", "4 lines"]);
}

#[test]
fn undecodable_vba_project_is_high() {
    let bytes = with_part(
        &fixtures::macro_workbook(),
        "xl/vbaProject.bin",
        b"not an OLE compound file".to_vec(),
    );
    let (_, findings) = scan(&bytes);
    let f = only(&findings, "macro");
    assert_eq!(f.severity, Severity::High);
    assert_contains(&f.message, &["could not be decoded"]);
}

#[test]
fn workbook_without_vba_has_no_macro_finding() {
    let (format, findings) = scan(&fixtures::clean_crime_stats());
    assert_eq!(format, Format::Xlsx);
    none_of(&findings, "macro");
}

// ---------------------------------------------------------------------------
// document-metadata / custom-xml / tracked-change
// ---------------------------------------------------------------------------

#[test]
fn personal_document_properties_are_reported_once() {
    let (_, findings) = scan(&fixtures::document_metadata());
    assert_rules(&findings, &["document-metadata"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Low);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("docProps/core.xml"));
    assert_contains(
        &f.message,
        &[
            "author",
            "last modified by",
            "manager",
            "company",
            "1 custom property",
        ],
    );
    assert!(!f.message.contains("Bloggs"), "{}", f.message);
    let evidence = f.evidence.as_deref().expect("evidence");
    assert!(evidence.contains("Jane Bloggs"), "{evidence}");
    assert!(evidence.contains("PATEL, Raj (DS 4821)"), "{evidence}");
}

#[test]
fn saved_folder_path_is_document_metadata() {
    let bytes = patched(
        &fixtures::clean_crime_stats(),
        "xl/workbook.xml",
        "<bookViews>",
        "<mc:AlternateContent xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">\
         <mc:Choice Requires=\"x15\"><x15ac:absPath xmlns:x15ac=\"http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac\" \
         url=\"C:\\Users\\jbloggs\\Documents\\FOI\\\"/></mc:Choice></mc:AlternateContent><bookViews>",
    );
    let (_, findings) = scan(&bytes);
    let f = only(&findings, "document-metadata");
    assert_eq!(f.severity, Severity::Low);
    assert_contains(&f.message, &["the folder it was saved in"]);
    assert!(!f.message.contains("jbloggs"), "{}", f.message);
    let evidence = f.evidence.as_deref().expect("evidence");
    assert!(evidence.contains("jbloggs"), "{evidence}");
}

#[test]
fn file_without_author_has_no_metadata_finding() {
    let (_, findings) = scan(&fixtures::clean_rank_table());
    none_of(&findings, "document-metadata");
}

#[test]
fn custom_xml_part_is_reported() {
    let (_, findings) = scan(&fixtures::custom_xml_part());
    assert_rules(&findings, &["custom-xml"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Low);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("customXml/item1.xml"));
    assert_contains(&f.message, &["1 custom XML part with content"]);
}

#[test]
fn file_without_custom_xml_has_no_custom_xml_finding() {
    let (_, findings) = scan(&fixtures::document_metadata());
    none_of(&findings, "custom-xml");
}

#[test]
fn shared_workbook_revisions_are_a_high_tracked_change() {
    let bytes = fixtures::shared_workbook_revisions();
    let (_, findings) = scan(&bytes);
    assert_rules(&findings, &["tracked-change"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    let part = f.location.part.as_deref().unwrap_or_default();
    assert!(part.starts_with("xl/revisions/"), "{part}");
    assert_contains(&f.message, &["4 values", "1 user"]);
    assert!(!f.message.contains("John Smith"), "{}", f.message);
    assert_eq!(verdict(&bytes, Severity::High), Verdict::Block);
}

#[test]
fn file_without_revisions_has_no_tracked_change_finding() {
    let (_, findings) = scan(&fixtures::legacy_note());
    none_of(&findings, "tracked-change");
}

// ---------------------------------------------------------------------------
// unscannable
// ---------------------------------------------------------------------------

#[test]
fn encrypted_package_is_unscannable_for_the_whole_file() {
    let (format, findings) = scan(&fixtures::encrypted_ooxml());
    assert_eq!(format, Format::EncryptedOoxml);
    assert_rules(&findings, &["unscannable"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.location.container.is_empty());
    assert_eq!(f.location.part, None);
    assert_contains(&f.message, &["password-protected"]);
}

#[test]
fn sheet_whose_part_is_missing_is_unscannable_and_named() {
    let bytes = patched(
        &fixtures::hidden_sheet_roster(),
        "xl/_rels/workbook.xml.rels",
        "Target=\"worksheets/sheet2.xml\"",
        "Target=\"worksheets/sheet9.xml\"",
    );
    let (_, findings) = scan(&bytes);
    let u = only(&findings, "unscannable");
    assert_eq!(u.severity, Severity::Critical);
    assert_eq!(u.location.sheet.as_deref(), Some("Sheet2"));
    assert_eq!(u.location.part.as_deref(), Some("xl/worksheets/sheet9.xml"));
    assert_contains(&u.message, &["missing"]);
}

#[test]
fn a_readable_file_has_no_unscannable_finding() {
    for (name, bytes) in [
        ("embedded_workbook", fixtures::embedded_workbook()),
        ("embedded_ole_package", fixtures::embedded_ole_package()),
        ("macro_workbook", fixtures::macro_workbook()),
        ("threaded_comment", fixtures::threaded_comment()),
    ] {
        let (_, findings) = scan(&bytes);
        assert!(
            of_rule(&findings, "unscannable").is_empty(),
            "{name}:\n{}",
            dump(&findings)
        );
    }
}

// ---------------------------------------------------------------------------
// Across all fixtures.
// ---------------------------------------------------------------------------

#[test]
fn empty_hidden_things_never_block_and_hidden_data_always_does() {
    let empty = [
        fixtures::hidden_sheet_empty(),
        fixtures::hidden_rows_empty(),
        fixtures::hidden_columns_empty(),
    ];
    for bytes in &empty {
        let (_, findings) = scan(bytes);
        assert!(!findings.is_empty());
        assert!(
            max_severity(&findings) <= Some(Severity::Low),
            "empty hidden content must be info or low:\n{}",
            dump(&findings)
        );
    }
    let with_data = [
        ("hidden_sheet_roster", fixtures::hidden_sheet_roster()),
        ("very_hidden_sheet", fixtures::very_hidden_sheet()),
        ("hidden_rows_with_data", fixtures::hidden_rows_with_data()),
        (
            "hidden_columns_with_data",
            fixtures::hidden_columns_with_data(),
        ),
        ("filtered_rows", fixtures::filtered_rows()),
        ("pivot_cache", fixtures::pivot_cache()),
        ("pivot_cache_orphaned", fixtures::pivot_cache_orphaned()),
        ("data_model", fixtures::data_model()),
        (
            "chart_cache_hidden_source",
            fixtures::chart_cache_hidden_source(),
        ),
        ("external_link_cache", fixtures::external_link_cache()),
        (
            "defined_name_hidden_constant",
            fixtures::defined_name_hidden_constant(),
        ),
        (
            "disguised_white_on_white",
            fixtures::disguised_white_on_white(),
        ),
        ("disguised_theme_colour", fixtures::disguised_theme_colour()),
        (
            "disguised_indexed_colour",
            fixtures::disguised_indexed_colour(),
        ),
        (
            "disguised_number_format",
            fixtures::disguised_number_format(),
        ),
        ("disguised_tiny_font", fixtures::disguised_tiny_font()),
        (
            "residual_shared_strings",
            fixtures::residual_shared_strings(),
        ),
        ("embedded_workbook", fixtures::embedded_workbook()),
        (
            "shared_workbook_revisions",
            fixtures::shared_workbook_revisions(),
        ),
        ("extreme_extent", fixtures::extreme_extent()),
    ];
    for (name, bytes) in &with_data {
        let (_, findings) = scan(bytes);
        assert!(
            findings
                .iter()
                .any(|f| f.hidden && f.severity >= Severity::High),
            "{name}: hidden data must give a hidden finding of at least high:\n{}",
            dump(&findings)
        );
        assert_eq!(verdict(bytes, Severity::High), Verdict::Block, "{name}");
    }
}

#[test]
fn findings_come_out_most_severe_first() {
    let report = scan_as_file(&fixtures::embedded_ole_package(), "x.xlsx", Severity::High);
    assert_eq!(report.findings.len(), 1);
    let report = scan_as_file(
        &fixtures::chart_cache_hidden_source(),
        "x.xlsx",
        Severity::High,
    );
    let sevs: Vec<Severity> = report.findings.iter().map(|f| f.severity).collect();
    let mut sorted = sevs.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(sevs, sorted);
}

// ---------------------------------------------------------------------------
// Fingerprints.
// ---------------------------------------------------------------------------

#[test]
fn fingerprints_are_stable_for_the_same_content() {
    for (name, bytes) in fixtures::all_fixtures() {
        let (_, a) = scan(&bytes);
        let (_, b) = scan(&bytes);
        let fa: Vec<&str> = a.iter().map(|f| f.fingerprint.as_str()).collect();
        let fb: Vec<&str> = b.iter().map(|f| f.fingerprint.as_str()).collect();
        assert_eq!(fa, fb, "{name}");
        assert!(
            fa.iter()
                .all(|f| f.len() == 32 && f.bytes().all(|c| c.is_ascii_hexdigit())),
            "{name}: {fa:?}"
        );
    }
}

#[test]
fn distinct_findings_in_one_file_have_distinct_fingerprints() {
    for (name, bytes) in fixtures::all_fixtures() {
        let (_, findings) = scan(&bytes);
        let mut prints: Vec<&str> = findings.iter().map(|f| f.fingerprint.as_str()).collect();
        prints.sort_unstable();
        prints.dedup();
        assert_eq!(prints.len(), findings.len(), "{name}:\n{}", dump(&findings));
    }
}

#[test]
fn fingerprint_follows_the_hidden_content() {
    let original = fixtures::hidden_sheet_roster();
    // Same shape, different people: every BROWN in the hidden roster becomes ZABROWSKI.
    let changed = patched(
        &original,
        "xl/sharedStrings.xml",
        "<t>BROWN</t>",
        "<t>ZABROWSKI</t>",
    );
    let (_, a) = scan(&original);
    let (_, b) = scan(&changed);
    let (fa, fb) = (only(&a, "hidden-sheet"), only(&b, "hidden-sheet"));
    assert_eq!(fa.message, fb.message, "same shape");
    assert_ne!(
        fa.fingerprint, fb.fingerprint,
        "a baseline that accepted the old hidden data must not accept new data"
    );
}

// ---------------------------------------------------------------------------
// Parts nothing refers to; Excel 4.0 macro sheets.
// ---------------------------------------------------------------------------

#[test]
fn part_that_nothing_refers_to_is_residual_data() {
    let bytes = with_part(
        &fixtures::clean_crime_stats(),
        "[trash]/0001.dat",
        b"SMITH, John, 12 Acacia Avenue".to_vec(),
    );
    let (_, findings) = scan(&bytes);
    assert_rules(&findings, &["residual-data"]);
    let f = &findings[0];
    assert_eq!(f.severity, Severity::High);
    assert!(f.hidden);
    assert_eq!(f.location.part.as_deref(), Some("[trash]/0001.dat"));
    assert_contains(&f.message, &["1 part", "[trash]/0001.dat", "refers to"]);
}

#[test]
fn fixtures_have_no_unreferenced_parts() {
    for (name, bytes) in fixtures::all_fixtures() {
        if !bytes.starts_with(b"PK\x03\x04") || name == "truncated_xlsx" {
            continue;
        }
        let (_, findings) = scan(&bytes);
        assert!(
            findings
                .iter()
                .all(|f| !(f.rule == "residual-data" && f.message.contains("refers to"))),
            "{name}:\n{}",
            dump(&findings)
        );
    }
}

/// hidden_sheet_roster with Sheet2 turned into an Excel 4.0 macro sheet, wired the way Excel
/// writes it (relationship type `.../2006/relationships/xlMacrosheet`).
fn hidden_macro_sheet() -> Vec<u8> {
    let mut pkg = fixtures::Pkg::open(&fixtures::hidden_sheet_roster());
    pkg.replace(
        "xl/_rels/workbook.xml.rels",
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet2.xml\"",
        "Type=\"http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet\" Target=\"worksheets/sheet2.xml\"",
    );
    pkg.replace(
        "[Content_Types].xml",
        "<Override PartName=\"/xl/worksheets/sheet2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>",
        "<Override PartName=\"/xl/worksheets/sheet2.xml\" ContentType=\"application/vnd.ms-excel.macrosheet+xml\"/>",
    );
    pkg.finish()
}

#[test]
fn excel4_macro_sheet_is_a_macro_and_its_cells_are_read() {
    let (findings, items) = {
        let (_, f, i) = scan_with(&hidden_macro_sheet(), &foiguard::Limits::default(), true);
        (f, i)
    };
    let m = only(&findings, "macro");
    assert_eq!(m.severity, Severity::Medium);
    assert!(m.hidden, "the macro sheet is hidden");
    assert_eq!(m.location.sheet.as_deref(), Some("Sheet2"));
    let h = only(&findings, "hidden-sheet");
    assert_eq!(h.severity, Severity::High, "{}", dump(&findings));
    assert_eq!(h.location.range.as_deref(), Some("A1:E201"));
    assert_eq!(cell(&items, "Sheet2", "A2").text, "BROWN");
}

#[test]
fn rows_hidden_by_an_active_table_filter_are_filtered_rows() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Offences").expect("name");
    let wards = ["Mile Cross", "Mancroft", "Eaton", "Wensum"];
    for (c, h) in ["Ward", "Victim", "Offence", "Count"].iter().enumerate() {
        ws.write(0, c as u16, *h).expect("write");
    }
    for k in 0..12u32 {
        let ward = wards[(k % 4) as usize];
        ws.write(k + 1, 0, ward).expect("write");
        ws.write(k + 1, 1, format!("PERSON {k}")).expect("write");
        ws.write(k + 1, 2, "Burglary").expect("write");
        ws.write(k + 1, 3, k + 1).expect("write");
        if ward != "Mile Cross" {
            ws.set_row_hidden(k + 1).expect("hide");
        }
    }
    let table = rust_xlsxwriter::Table::new();
    ws.add_table(0, 0, 12, 3, &table).expect("table");
    let bytes = patched(
        &wb.save_to_buffer().expect("save"),
        "xl/tables/table1.xml",
        "<autoFilter ref=\"A1:D13\"/>",
        "<autoFilter ref=\"A1:D13\"><filterColumn colId=\"0\"><filters><filter val=\"Mile Cross\"/></filters></filterColumn></autoFilter>",
    );
    let (_, findings) = scan(&bytes);
    none_of(&findings, "hidden-rows");
    let f = only(&findings, "filtered-rows");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.sheet.as_deref(), Some("Offences"));
    assert_contains(
        &f.message,
        &["9 rows hidden by an active AutoFilter", "36 cells"],
    );
}

#[test]
fn hidden_sheet_of_formulas_without_cached_values_is_not_empty() {
    let mut pkg = fixtures::Pkg::open(&fixtures::hidden_sheet_empty());
    pkg.edit("xl/worksheets/sheet2.xml", |s| {
        let data = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"str\"><f>\"SMITH, John \"&amp;\"07700 900123\"</f></c>\
                    <c r=\"B1\"><f>VLOOKUP(A1,Victims!A:B,2,FALSE)</f><v></v></c></row></sheetData>";
        assert!(s.contains("<sheetData/>"), "{s}");
        s.replacen("<sheetData/>", data, 1)
    });
    let (_, findings) = scan(&pkg.finish());
    let f = only(&findings, "hidden-sheet");
    assert_eq!(f.severity, Severity::High, "{}", dump(&findings));
    assert_eq!(f.location.range.as_deref(), Some("A1:B1"));
    assert!(!f.message.contains("empty"), "{}", f.message);
}
