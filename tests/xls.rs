//! The xls inspector on real BIFF8 files (tests/data/xls, made once by xlwt and LibreOffice:
//! see make.py there): one positive and one negative case per rule, with the same rule
//! ids, severities and places (`'Sheet name'!A1:C9`) as xlsx; and truncated and bit-flipped
//! copies of every fixture, which must never make the parser fail.

mod common;

use common::*;
use foiguard::formats::Format;
use foiguard::model::ItemKind;
use foiguard::{Limits, Severity, Verdict};

fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/xls/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Findings of an xls fixture, checking it was read as xls and fully inspected.
fn xls(name: &str) -> Vec<foiguard::Finding> {
    let (format, findings) = scan(&data(name));
    assert_eq!(format, Format::Xls, "{name}");
    none_of(&findings, "unscannable");
    findings
}

fn contains(haystack: &str, needles: &[&str]) {
    for n in needles {
        assert!(haystack.contains(n), "expected {n:?} in {haystack:?}");
    }
}

const PART: &str = "Workbook";

#[test]
fn clean_workbook_has_no_findings_and_passes() {
    let bytes = data("clean.xls");
    let findings = xls("clean.xls");
    // The header is white on dark blue: styling, not disguise.
    assert!(findings.is_empty(), "{}", dump(&findings));
    assert_eq!(
        scan_as_file(&bytes, "clean.xls", Severity::Low).verdict,
        Verdict::Pass
    );
}

#[test]
fn hidden_sheet_with_data_is_high_and_an_empty_one_low() {
    let findings = xls("hidden_sheets.xls");
    let hidden = of_rule(&findings, "hidden-sheet");
    assert_eq!(hidden.len(), 2, "{}", dump(&findings));
    let staff = hidden
        .iter()
        .find(|f| f.location.sheet.as_deref() == Some("Staff list"))
        .expect("Staff list");
    assert_eq!(staff.severity, Severity::High);
    assert!(staff.hidden);
    assert_eq!(staff.location.part.as_deref(), Some(PART));
    assert_eq!(staff.location.range.as_deref(), Some("A1:D13"));
    contains(&staff.message, &["'Staff list'", "13 rows", "52 cells"]);
    let spare = hidden
        .iter()
        .find(|f| f.location.sheet.as_deref() == Some("Spare"))
        .expect("Spare");
    assert_eq!(spare.severity, Severity::Low);
    contains(&spare.message, &["empty"]);
    none_of(&xls("clean.xls"), "hidden-sheet");
}

#[test]
fn very_hidden_sheet_is_its_own_rule() {
    let findings = xls("hidden_sheets.xls");
    let f = only(&findings, "very-hidden-sheet");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.sheet.as_deref(), Some("Victims"));
    assert_eq!(f.location.range.as_deref(), Some("A1:D9"));
    contains(&f.message, &["very hidden sheet 'Victims'", "9 rows"]);
    // The merely hidden sheets are not very hidden.
    assert!(
        of_rule(&findings, "very-hidden-sheet")
            .iter()
            .all(|f| f.location.sheet.as_deref() == Some("Victims"))
    );
    none_of(&xls("clean.xls"), "very-hidden-sheet");
}

#[test]
fn hidden_rows_and_columns_holding_data_are_high() {
    let findings = xls("hidden_rows_cols.xls");
    let rows = only(&findings, "hidden-rows");
    assert_eq!(rows.severity, Severity::High);
    assert_eq!(rows.location.sheet.as_deref(), Some("Burglary"));
    assert_eq!(rows.location.range.as_deref(), Some("A15:D19"));
    contains(&rows.message, &["5 hidden rows", "20 cells", "rows 15–19"]);
    let cols = only(&findings, "hidden-columns");
    assert_eq!(cols.severity, Severity::High);
    assert_eq!(cols.location.range.as_deref(), Some("F1:F6"));
    contains(&cols.message, &["column F holds 6 cells"]);
}

#[test]
fn empty_hidden_rows_and_columns_are_info_and_pass() {
    let bytes = data("hidden_empty.xls");
    let findings = xls("hidden_empty.xls");
    assert_rules(&findings, &["hidden-columns", "hidden-rows"]);
    assert!(findings.iter().all(|f| f.severity == Severity::Info));
    assert_eq!(
        only(&findings, "hidden-rows").location.range.as_deref(),
        Some("21:25")
    );
    assert_eq!(
        scan_as_file(&bytes, "x.xls", Severity::High).verdict,
        Verdict::Pass
    );
}

#[test]
fn rows_hidden_by_an_active_autofilter_are_filtered_rows() {
    let findings = xls("autofilter.xls");
    let f = only(&findings, "filtered-rows");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.sheet.as_deref(), Some("Incidents"));
    contains(&f.message, &["9 rows hidden by an active AutoFilter"]);
    none_of(&findings, "hidden-rows");
    // The filter's criterion is text of the sheet too.
    let (_, items) = scan_items(&data("autofilter.xls"));
    let crit = item(&items, ItemKind::Text, "Mile Cross");
    assert_eq!(crit.detail.as_deref(), Some("AutoFilter criterion"));
}

#[test]
fn autofilter_buttons_without_a_filter_hide_nothing() {
    let findings = xls("autofilter_off.xls");
    none_of(&findings, "filtered-rows");
    none_of(&findings, "hidden-rows");
}

#[test]
fn notes_are_comments_with_their_text() {
    let findings = xls("notes.xls");
    let f = only(&findings, "comment");
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(f.location.sheet.as_deref(), Some("Crime by ward"));
    contains(&f.message, &["1 note on sheet 'Crime by ward'"]);
    let (_, items) = scan_items(&data("notes.xls"));
    let note = items
        .iter()
        .find(|i| i.kind == ItemKind::Comment)
        .expect("note item");
    assert!(note.text.contains("Mary Jones"), "{}", note.text);
    assert!(note.hidden);
    assert_eq!(note.location.cell.as_deref(), Some("B3"));
    none_of(&xls("clean.xls"), "comment");
}

#[test]
fn pivot_cache_records_are_decoded_and_reported() {
    let findings = xls("pivot.xls");
    let f = only(&findings, "pivot-cache");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.part.as_deref(), Some("_SX_DB_CUR/0001"));
    assert_eq!(f.location.sheet.as_deref(), Some("Data"));
    assert_eq!(f.location.range.as_deref(), Some("A1:D6"));
    contains(
        &f.message,
        &["5 records", "4 fields", "Victim, Offence, Ward, Age"],
    );
    let (_, items) = scan_items(&data("pivot.xls"));
    let rec = items
        .iter()
        .find(|i| i.kind == ItemKind::CacheRecord && i.text == "SMITH, John")
        .expect("record");
    assert!(rec.hidden);
    assert_eq!(rec.location.cell.as_deref(), Some("A2"));
    none_of(&xls("clean.xls"), "pivot-cache");
}

#[test]
fn vba_project_is_a_macro_with_its_code_scanned() {
    let findings = xls("vba.xls");
    let f = only(&findings, "macro");
    assert_eq!(f.location.part.as_deref(), Some("_VBA_PROJECT_CUR"));
    contains(&f.message, &["VBA project with 1 module (Module1)"]);
    let (_, items) = scan_items(&data("vba.xls"));
    assert!(
        items
            .iter()
            .any(|i| i.kind == ItemKind::Macro && i.text.contains("DS Patel")),
        "{}",
        dump_items(&items)
    );
    none_of(&xls("clean.xls"), "macro");
}

/// LibreOffice compresses module source with copy tokens; foiguard's own MS-OVBA decoder
/// must read it line for line (blank lines carry nothing) as calamine's does on this well-formed project.
#[test]
fn vba_source_decodes_as_calamine_decodes_it() {
    use calamine::Reader;
    let bytes = data("vba.xls");
    let mut wb = calamine::Xls::new(std::io::Cursor::new(bytes.clone())).expect("xls");
    let project = wb.vba_project().expect("a project").expect("decodes");
    let expected: Vec<String> = project
        .get_module("Module1")
        .expect("Module1")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    assert!(expected.len() > 3, "{expected:?}");
    let (_, items) = scan_items(&bytes);
    let lines: Vec<String> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Macro)
        .map(|i| i.text.clone())
        .collect();
    assert_eq!(lines, expected);
}

#[test]
fn external_link_keeps_its_path_and_cached_values() {
    let findings = xls("external_link.xls");
    let f = only(&findings, "external-link");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.sheet.as_deref(), Some("[staff.xls]Sheet1"));
    contains(&f.message, &["'staff.xls'", "2 cached values"]);
    assert!(
        f.evidence
            .as_deref()
            .is_some_and(|e| e.ends_with("staff.xls") && e.contains("hr-share")),
        "{:?}",
        f.evidence
    );
    let (_, items) = scan_items(&data("external_link.xls"));
    let cached = item(&items, ItemKind::ExternalCell, "Mary Jones");
    assert!(cached.hidden);
    assert_eq!(cached.location.cell.as_deref(), Some("A2"));
    none_of(&xls("clean.xls"), "external-link");
}

#[test]
fn names_holding_constants_are_defined_name_findings() {
    let findings = xls("names.xls");
    let f = only(&findings, "defined-name");
    assert_eq!(f.severity, Severity::Medium);
    contains(
        &f.message,
        &["2 holding data rather than a cell reference (Officer, Suspects)"],
    );
    let (_, items) = scan_items(&data("names.xls"));
    let list = item(
        &items,
        ItemKind::DefinedName,
        "{\"Smith\",\"Jones\",\"Patel\"}",
    );
    assert!(list.hidden);
    let range = item(&items, ItemKind::DefinedName, "Data!$A$1:$D$13");
    assert!(!range.hidden);
    // A name that is only a range, and the hidden built-in _FilterDatabase, are not reported.
    none_of(&xls("names_plain.xls"), "defined-name");
    none_of(&xls("autofilter.xls"), "defined-name");
}

#[test]
fn properties_and_the_writeaccess_user_are_document_metadata() {
    let findings = xls("properties.xls");
    let f = only(&findings, "document-metadata");
    assert_eq!(f.severity, Severity::Low);
    contains(
        &f.message,
        &[
            "author",
            "last modified by",
            "WRITEACCESS",
            "custom propert",
        ],
    );
    let (_, items) = scan_items(&data("properties.xls"));
    let custom = item(&items, ItemKind::Property, "DC Imran Khan");
    assert_eq!(custom.detail.as_deref(), Some("Case officer"));
    assert_eq!(
        custom.location.part.as_deref(),
        Some("\u{5}DocumentSummaryInformation")
    );

    let write_access = xls("write_access.xls");
    let w = only(&write_access, "document-metadata");
    assert_eq!(w.evidence.as_deref(), Some("jbloggs"));
    none_of(&xls("clean.xls"), "document-metadata");
}

#[test]
fn disguised_cells_are_found_by_font_fill_format_and_size() {
    let findings = xls("disguised.xls");
    let hits = of_rule(&findings, "disguised-content");
    assert_eq!(hits.len(), 3, "{}", dump(&findings));
    let by = |words: &str| {
        hits.iter()
            .find(|f| f.message.contains(words))
            .unwrap_or_else(|| panic!("no {words}: {}", dump(&findings)))
    };
    let fill = by("font colour matches the cell fill");
    assert_eq!(fill.location.range.as_deref(), Some("G3:G5"));
    contains(&fill.message, &["3 cells on sheet 'Wards'"]);
    let format = by("number format displays nothing");
    assert_eq!(format.location.range.as_deref(), Some("G6:G9"));
    let tiny = by("font too small");
    assert_eq!(tiny.location.range.as_deref(), Some("G7"));
    assert!(hits.iter().all(|f| f.severity == Severity::High));
    // White header text on a dark fill is styling.
    none_of(&xls("clean.xls"), "disguised-content");
}

#[test]
fn embedded_workbook_is_reported_and_scanned_inside() {
    let findings = xls("embedded.xls");
    let f = only(&findings, "embedded-object");
    assert!(
        f.location
            .part
            .as_deref()
            .is_some_and(|p| p.starts_with("MBD"))
    );
    contains(&f.message, &["embedded workbook"]);
    let (_, items) = scan_items(&data("embedded.xls"));
    let inner = item(&items, ItemKind::Cell, "Mary Jones");
    assert_eq!(inner.location.container.len(), 1);
    assert!(inner.location.container[0].starts_with("MBD"));
    none_of(&xls("clean.xls"), "embedded-object");
}

#[test]
fn shared_strings_no_cell_uses_are_residual_data() {
    let findings = xls("unused_strings.xls");
    let f = only(&findings, "residual-data");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.part.as_deref(), Some(PART));
    contains(&f.message, &["3 of 10 strings"]);
    let (_, items) = scan_items(&data("unused_strings.xls"));
    let left = items
        .iter()
        .filter(|i| i.kind == ItemKind::SharedString)
        .count();
    assert_eq!(left, 3);
    none_of(&xls("clean.xls"), "residual-data");
}

#[test]
fn values_under_merged_cells_are_residual_data() {
    let findings = xls("merged_hidden.xls");
    let f = only(&findings, "residual-data");
    assert_eq!(f.location.range.as_deref(), Some("B1"));
    contains(&f.message, &["hidden under merged cells"]);
    let (_, items) = scan_items(&data("merged_hidden.xls"));
    assert!(item(&items, ItemKind::Cell, "Mary Jones").hidden);
    assert!(!item(&items, ItemKind::Cell, "Total").hidden);
}

#[test]
fn encrypted_workbook_is_unscannable_and_blocks() {
    let bytes = data("encrypted.xls");
    let (format, findings) = scan(&bytes);
    assert_eq!(format, Format::Xls);
    let f = only(&findings, "unscannable");
    contains(&f.message, &["password-protected", "FILEPASS"]);
    assert_eq!(
        scan_as_file(&bytes, "x.xls", Severity::Critical).verdict,
        Verdict::Block
    );
    none_of(&xls("clean.xls"), "unscannable");
}

#[test]
fn an_xls_finding_reads_sheet_and_range_in_every_output() {
    let files = TempFiles::new();
    files.add("roster.xls", &data("hidden_sheets.xls"));
    let human = files
        .cmd()
        .args(["scan", "roster.xls"])
        .output()
        .expect("run");
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(human.contains("'Staff list'!A1:D13 (Workbook)"), "{human}");
    let json = files
        .cmd()
        .args(["scan", "--format", "json", "roster.xls"])
        .output()
        .expect("run");
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let f = doc["files"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "hidden-sheet" && f["location"]["sheet"] == "Staff list")
        .expect("hidden-sheet finding")
        .clone();
    assert_eq!(f["location"]["range"], "A1:D13");
    assert_eq!(f["location"]["part"], PART);
    files
        .cmd()
        .args([
            "scan",
            "--format",
            "html",
            "-o",
            "report.html",
            "roster.xls",
        ])
        .output()
        .expect("run");
    let html = std::fs::read_to_string(files.path().join("report.html")).expect("html");
    assert!(
        html.contains("'Staff list'!A1:D13") || html.contains("&#x27;Staff list&#x27;!A1:D13"),
        "no place in the HTML report"
    );
}

/// Truncated and bit-flipped copies of every fixture: the inspector may give up, but it
/// must say why and never fail as a parser.
#[test]
fn damaged_copies_never_make_the_parser_fail() {
    let dir = format!("{}/tests/data/xls", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xls"))
        .collect();
    names.sort();
    assert!(names.len() >= 15, "{names:?}");
    let limits = Limits::default();
    let mut seed = 0x9E37_79B9_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for name in &names {
        let bytes = data(name);
        let mut copies: Vec<Vec<u8>> = Vec::new();
        for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len() - 700] {
            copies.push(bytes[..cut].to_vec());
        }
        for _ in 0..40 {
            let mut b = bytes.clone();
            for _ in 0..8 {
                let i = (next() as usize) % b.len();
                b[i] ^= 1 << (next() % 8);
            }
            copies.push(b);
        }
        // Flip bytes inside the Workbook stream only (past the OLE header), where record
        // lengths and string counts live.
        for _ in 0..40 {
            let mut b = bytes.clone();
            let i = 512 + (next() as usize) % (b.len() - 512);
            b[i] = next() as u8;
            copies.push(b);
        }
        for (k, copy) in copies.iter().enumerate() {
            let findings = findings_with(copy, &limits);
            for f in &findings {
                assert!(
                    !f.message.contains("parser failed"),
                    "{name} copy {k}: {}",
                    f.message
                );
            }
        }
    }
}

/// Files other projects wrote (../shared/realworld): BIFF5, hidden names, comments, pivot
/// caches and VBA written by Excel. Run with `cargo test --test xls -- --ignored`.
#[test]
#[ignore]
fn realworld_files_other_writers_made() {
    let root = format!("{}/../../shared/realworld", env!("CARGO_MANIFEST_DIR"));
    let cases: &[(&str, &str)] = &[
        // Hidden names Excel wrote (LibreOffice and xlwt cannot write the hidden flag).
        (
            "PhpSpreadsheet/tests/data/Reader/XLS/issue.2463.xls",
            "defined-name",
        ),
        ("poi/test-data/spreadsheet/27272_1.xls", "defined-name"),
        ("poi/test-data/spreadsheet/comments.xls", "comment"),
        ("test_files/pivot_table_named_range.xls", "pivot-cache"),
        ("test_files/formula_stress_test.xls", "pivot-cache"),
        (
            "tika/tika-parsers/tika-parsers-standard/tika-parsers-standard-modules/tika-parser-microsoft-module/src/test/resources/test-documents/testEXCEL_macro.xls",
            "macro",
        ),
        ("test_files/biff5/pivot_table_test.xls", "pivot-cache"),
        ("calamine/tests/OOM_alloc.xls", "hidden-sheet"),
        ("test_files/AutoFilter.xls", "filtered-rows"),
        (
            "PhpSpreadsheet/tests/data/Reader/XLS/HiddenMergeCellsTest.xls",
            "residual-data",
        ),
        (
            "ExcelDataReader/src/TestData/as3xls_BIFF4.xls",
            "unscannable",
        ),
        ("test_files/password_2002_40_xor.xls", "unscannable"),
        (
            "poi/test-data/spreadsheet/ole2-embedding.xls",
            "embedded-object",
        ),
        ("poi/test-data/spreadsheet/SquareMacro.xls", "macro"),
    ];
    for (path, rule) in cases {
        let bytes = std::fs::read(format!("{root}/{path}")).expect(path);
        let findings = findings_with(&bytes, &Limits::default());
        assert!(
            findings.iter().any(|f| f.rule == *rule),
            "{path}: no {rule}:\n{}",
            dump(&findings)
        );
    }
}
