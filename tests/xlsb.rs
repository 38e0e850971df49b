//! The xlsb inspector: one positive and one negative case per rule, with the same rule ids,
//! severities and places (`'Sheet name'!A1:C9`) as xlsx. Files come from two writers:
//! SheetJS made tests/data/xlsb (see make.js there) for hidden sheets, rows and columns,
//! AutoFilter ranges, notes, number formats and properties; the BIFF12 record writer in
//! tests/xlsb_writer makes, in the test, what SheetJS cannot write (names, pivot caches,
//! external links, fonts and fills, active filters, connections, OLE objects, VBA), and
//! calamine reads every one of them back as an independent check of that writer. Damaged
//! copies of all of them must never make the parser fail.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;
mod xlsb_writer;

use common::*;
use foiguard::formats::Format;
use foiguard::model::ItemKind;
use foiguard::{Limits, Severity, Verdict};
use std::io::{Cursor, Read, Write};
use xlsb_writer::{B, Book, Part, R, Recs, SheetBin, V};

fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/xlsb/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Findings of an xlsb file, checking it was read as xlsb and fully inspected.
fn xlsb(bytes: &[u8]) -> Vec<foiguard::Finding> {
    let (format, findings) = scan(bytes);
    assert_eq!(format, Format::Xlsb);
    none_of(&findings, "unscannable");
    findings
}

fn contains(haystack: &str, needles: &[&str]) {
    for n in needles {
        assert!(haystack.contains(n), "expected {n:?} in {haystack:?}");
    }
}

fn clean() -> Vec<foiguard::Finding> {
    xlsb(&data("clean.xlsb"))
}

const WARDS: [(&str, f64); 5] = [
    ("Mile Cross", 42.0),
    ("Mancroft", 58.0),
    ("Thorpe Hamlet", 37.0),
    ("Lakenham", 29.0),
    ("Bowthorpe", 33.0),
];

/// A sheet of offences by ward, its strings shared.
fn wards(book: &mut Book) -> SheetBin {
    let mut rows: Vec<Vec<V>> = vec![vec![book.sst("Ward"), book.sst("Burglary")]];
    for (w, n) in WARDS {
        rows.push(vec![book.sst(w), V::Num(n)]);
    }
    let refs: Vec<&[V]> = rows.iter().map(|r| r.as_slice()).collect();
    SheetBin::table(&refs)
}

// ---------------------------------------------------------------------------
// Sheets, rows and columns (SheetJS).
// ---------------------------------------------------------------------------

#[test]
fn clean_workbook_has_no_findings_and_passes() {
    let findings = clean();
    assert!(findings.is_empty(), "{}", dump(&findings));
    assert_eq!(
        scan_as_file(&data("clean.xlsb"), "clean.xlsb", Severity::Low).verdict,
        Verdict::Pass
    );
}

#[test]
fn hidden_sheet_with_data_is_high_and_an_empty_one_low() {
    let findings = xlsb(&data("hidden_sheets.xlsb"));
    let hidden = of_rule(&findings, "hidden-sheet");
    assert_eq!(hidden.len(), 2, "{}", dump(&findings));
    let staff = hidden
        .iter()
        .find(|f| f.location.sheet.as_deref() == Some("Staff list"))
        .expect("Staff list");
    assert_eq!(staff.severity, Severity::High);
    assert!(staff.hidden);
    assert_eq!(
        staff.location.part.as_deref(),
        Some("xl/worksheets/sheet2.bin")
    );
    assert_eq!(staff.location.range.as_deref(), Some("A1:D13"));
    contains(
        &staff.message,
        &["hidden sheet 'Staff list'", "13 rows", "52 cells"],
    );
    let spare = hidden
        .iter()
        .find(|f| f.location.sheet.as_deref() == Some("Spare"))
        .expect("Spare");
    assert_eq!(spare.severity, Severity::Low);
    contains(&spare.message, &["empty"]);
    none_of(&clean(), "hidden-sheet");
}

#[test]
fn very_hidden_sheet_is_its_own_rule() {
    let findings = xlsb(&data("hidden_sheets.xlsb"));
    let f = only(&findings, "very-hidden-sheet");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.sheet.as_deref(), Some("Victims"));
    assert_eq!(f.location.range.as_deref(), Some("A1:D9"));
    contains(&f.message, &["very hidden sheet 'Victims'", "9 rows"]);
    none_of(&clean(), "very-hidden-sheet");
}

#[test]
fn hidden_rows_and_columns_holding_data_are_high() {
    let findings = xlsb(&data("hidden_rows_cols.xlsb"));
    let rows = only(&findings, "hidden-rows");
    assert_eq!(rows.severity, Severity::High);
    assert_eq!(rows.location.sheet.as_deref(), Some("Burglary"));
    assert_eq!(rows.location.range.as_deref(), Some("A15:D19"));
    contains(&rows.message, &["5 hidden rows", "20 cells", "rows 15–19"]);
    let cols = only(&findings, "hidden-columns");
    assert_eq!(cols.severity, Severity::High);
    assert_eq!(cols.location.range.as_deref(), Some("F1:F6"));
    contains(&cols.message, &["column F holds 6 cells"]);
    none_of(&clean(), "hidden-rows");
    none_of(&clean(), "hidden-columns");
}

#[test]
fn empty_hidden_rows_and_columns_are_info_and_pass() {
    let bytes = data("hidden_empty.xlsb");
    let findings = xlsb(&bytes);
    assert_rules(&findings, &["hidden-columns", "hidden-rows"]);
    assert!(findings.iter().all(|f| f.severity == Severity::Info));
    assert_eq!(
        only(&findings, "hidden-rows").location.range.as_deref(),
        Some("21:25")
    );
    assert_eq!(
        scan_as_file(&bytes, "x.xlsb", Severity::High).verdict,
        Verdict::Pass
    );
}

// ---------------------------------------------------------------------------
// Filters (record writer and SheetJS).
// ---------------------------------------------------------------------------

/// Incidents in four wards; an AutoFilter on Ward = Mile Cross hides the other rows.
fn filtered(active: bool) -> Vec<u8> {
    let mut book = Book::new();
    let mut rows: Vec<xlsb_writer::Row> = vec![(
        0,
        false,
        vec![(0, 0, book.sst("Crime ref")), (1, 0, book.sst("Ward"))],
    )];
    for i in 1..=8u32 {
        let ward = ["Mile Cross", "Mancroft", "Lakenham", "Bowthorpe"][(i % 4) as usize];
        rows.push((
            i,
            active && ward != "Mile Cross",
            vec![(0, 0, V::Num(1000.0 + i as f64)), (1, 0, book.sst(ward))],
        ));
    }
    let mut sheet = SheetBin::new();
    sheet.rows = rows;
    sheet.autofilter = Some(((0, 8, 0, 1), active.then(|| (1, "Mile Cross".to_string()))));
    book.sheet("Incidents", 0, sheet).build()
}

#[test]
fn rows_hidden_by_an_active_autofilter_are_filtered_rows() {
    let bytes = filtered(true);
    let findings = xlsb(&bytes);
    let f = only(&findings, "filtered-rows");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.sheet.as_deref(), Some("Incidents"));
    contains(&f.message, &["6 rows hidden by an active AutoFilter"]);
    none_of(&findings, "hidden-rows");
    let (_, items) = scan_items(&bytes);
    let crit = items
        .iter()
        .find(|i| i.kind == ItemKind::Text && i.text == "Mile Cross")
        .expect("criterion");
    assert_eq!(crit.detail.as_deref(), Some("AutoFilter criterion"));
    // An AutoFilter without a filter hides nothing: SheetJS's, and the writer's.
    for bytes in [data("autofilter_off.xlsb"), filtered(false)] {
        let findings = xlsb(&bytes);
        none_of(&findings, "filtered-rows");
        none_of(&findings, "hidden-rows");
    }
}

// ---------------------------------------------------------------------------
// Notes, properties, number formats (SheetJS).
// ---------------------------------------------------------------------------

#[test]
fn notes_are_comments_with_their_text_and_authors() {
    let bytes = data("notes.xlsb");
    let findings = xlsb(&bytes);
    let f = only(&findings, "comment");
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(f.location.sheet.as_deref(), Some("Crime by ward"));
    assert_eq!(f.location.part.as_deref(), Some("xl/comments1.bin"));
    contains(&f.message, &["1 note on sheet 'Crime by ward' by 1 author"]);
    let (_, items) = scan_items(&bytes);
    let note = items
        .iter()
        .find(|i| i.kind == ItemKind::Comment)
        .expect("note item");
    assert!(note.text.contains("Mary Jones"), "{}", note.text);
    assert!(note.hidden);
    assert_eq!(note.location.cell.as_deref(), Some("B3"));
    assert!(
        items
            .iter()
            .any(|i| i.kind == ItemKind::Author && i.text == "Jane Officer"),
        "{}",
        dump_items(&items)
    );
    none_of(&clean(), "comment");
}

#[test]
fn properties_are_document_metadata() {
    let bytes = data("properties.xlsb");
    let findings = xlsb(&bytes);
    let f = only(&findings, "document-metadata");
    assert_eq!(f.severity, Severity::Low);
    contains(
        &f.message,
        &["author", "last modified by", "custom propert"],
    );
    none_of(&clean(), "document-metadata");
}

#[test]
fn blank_number_format_is_disguised_content() {
    let findings = xlsb(&data("blank_format.xlsb"));
    let f = only(&findings, "disguised-content");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.range.as_deref(), Some("G2:G4"));
    contains(
        &f.message,
        &["3 cells on sheet 'Wards'", "number format displays nothing"],
    );
    none_of(&clean(), "disguised-content");
}

// ---------------------------------------------------------------------------
// Styles (record writer): fonts and fills.
// ---------------------------------------------------------------------------

/// Header in white on dark blue (styling); names in G2:G4 white on white (hidden), and one
/// in a 1-point font.
fn styled(with_hidden: bool) -> Vec<u8> {
    let mut book = Book::new();
    book.styles = Some(xlsb_writer::styles(
        &[(164, "0.0")],
        &[(11.0, None), (11.0, Some([255, 255, 255])), (1.0, None)],
        &[None, None, Some([0, 32, 96]), Some([255, 255, 255])],
        &[(0, 0, 0), (0, 1, 2), (0, 1, 3), (0, 2, 0)],
    ));
    let mut sheet = wards(&mut book);
    for cell in &mut sheet.rows[0].2 {
        cell.1 = 1;
    }
    if with_hidden {
        for (i, n) in ["Mary JONES", "Peter WRIGHT", "Susan CLARKE"]
            .iter()
            .enumerate()
        {
            let v = book.sst(n);
            sheet.rows[i + 1].2.push((6, 2, v));
        }
        let v = book.sst("Ahmed KHAN");
        sheet.rows[5].2.push((6, 3, v));
    }
    book.sheet("Wards", 0, sheet).build()
}

#[test]
fn font_colour_of_the_fill_and_tiny_fonts_are_disguised_content() {
    let findings = xlsb(&styled(true));
    let hits = of_rule(&findings, "disguised-content");
    assert_eq!(hits.len(), 2, "{}", dump(&findings));
    let fill = hits
        .iter()
        .find(|f| f.message.contains("font colour matches the cell fill"))
        .expect("white on white");
    assert_eq!(fill.location.range.as_deref(), Some("G2:G4"));
    assert_eq!(fill.location.sheet.as_deref(), Some("Wards"));
    contains(&fill.message, &["3 cells on sheet 'Wards'"]);
    let tiny = hits
        .iter()
        .find(|f| f.message.contains("font too small"))
        .expect("tiny");
    assert_eq!(tiny.location.range.as_deref(), Some("G6"));
    assert!(hits.iter().all(|f| f.severity == Severity::High));
    // White header text on a dark fill is styling, not disguise.
    none_of(&xlsb(&styled(false)), "disguised-content");
}

// ---------------------------------------------------------------------------
// Shared strings (record writer).
// ---------------------------------------------------------------------------

#[test]
fn shared_strings_no_cell_uses_are_residual_data() {
    let mut book = Book::new();
    let sheet = wards(&mut book);
    for s in ["John SMITH", "07700 900123", "Victim withdrew"] {
        book.sst(s);
    }
    let bytes = book.sheet("Wards", 0, sheet).build();
    let findings = xlsb(&bytes);
    let f = only(&findings, "residual-data");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.part.as_deref(), Some("xl/sharedStrings.bin"));
    contains(&f.message, &["3 of 10 strings"]);
    let (_, items) = scan_items(&bytes);
    let left: Vec<&str> = items
        .iter()
        .filter(|i| i.kind == ItemKind::SharedString)
        .map(|i| i.text.as_str())
        .collect();
    assert_eq!(left, vec!["John SMITH", "07700 900123", "Victim withdrew"]);
    none_of(&clean(), "residual-data");
}

// ---------------------------------------------------------------------------
// Defined names (record writer).
// ---------------------------------------------------------------------------

fn names(with_data: bool) -> Vec<u8> {
    let mut book = Book::new();
    let sheet = wards(&mut book);
    let mut r = Recs::default();
    r.empty(0x0161); // BrtBeginExternals
    r.empty(0x0165); // BrtSupSelf
    r.rec(0x016A, B::new().u32(1).u32(0).u32(0).u32(0).done()); // BrtExternSheet
    r.empty(0x0162);
    let area = xlsb_writer::ptg_area3d(0, 0, 5, 0, 1);
    r.rec(
        0x0027,
        &xlsb_writer::name("CrimeTable", false, None, &area, &[]),
    );
    // Excel's own hidden name for an AutoFilter range.
    let mut builtin = xlsb_writer::name("_FilterDatabase", true, Some(0), &area, &[]);
    builtin[0] |= 0x20;
    r.rec(0x0027, &builtin);
    if with_data {
        r.rec(
            0x0027,
            &xlsb_writer::name(
                "Officer",
                false,
                None,
                &xlsb_writer::ptg_str("DS Patel"),
                &[],
            ),
        );
        let (rgce, rgcb) = xlsb_writer::ptg_array(&["Smith", "Jones", "Patel"]);
        r.rec(
            0x0027,
            &xlsb_writer::name("Suspects", true, None, &rgce, &rgcb),
        );
    }
    book.after_sheets = r;
    book.sheet("Data", 0, sheet).build()
}

#[test]
fn hidden_names_and_names_holding_constants_are_defined_name_findings() {
    let bytes = names(true);
    let findings = xlsb(&bytes);
    let f = only(&findings, "defined-name");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.part.as_deref(), Some("xl/workbook.bin"));
    contains(
        &f.message,
        &[
            "1 hidden (Suspects)",
            "2 holding data rather than a cell reference (Officer, Suspects)",
        ],
    );
    let (_, items) = scan_items(&bytes);
    let list = items_with(
        &items,
        ItemKind::DefinedName,
        "{\"Smith\",\"Jones\",\"Patel\"}",
    );
    assert_eq!(list.len(), 1, "{}", dump_items(&items));
    assert!(list[0].hidden);
    let range = items_with(&items, ItemKind::DefinedName, "Data!$A$1:$B$6");
    assert_eq!(range.len(), 2, "{}", dump_items(&items));
    assert!(
        range
            .iter()
            .all(|i| !i.hidden || i.detail.as_deref() == Some("_xlnm._FilterDatabase"))
    );
    // A name that is only a range, and Excel's hidden _FilterDatabase, are not reported.
    none_of(&xlsb(&names(false)), "defined-name");
}

// ---------------------------------------------------------------------------
// Pivot caches (record writer).
// ---------------------------------------------------------------------------

const VICTIMS: [(&str, &str, &str, f64); 5] = [
    ("SMITH, John", "Burglary", "Mile Cross", 34.0),
    ("JONES, Mary", "Assault", "Mancroft", 27.0),
    ("PATEL, Raj", "Burglary", "Lakenham", 45.0),
    ("BROWN, Alice", "Robbery", "Mile Cross", 19.0),
    ("TAYLOR, Gary", "Assault", "Bowthorpe", 52.0),
];

/// A pivot cache of victims whose source sheet 'Data' is gone and whose pivot table was
/// deleted; `records` keeps the cache records part.
fn pivot(records: bool) -> Vec<u8> {
    let mut book = Book::new();
    let sheet = wards(&mut book);
    let fields = ["Victim", "Offence", "Ward"];
    let distinct = |i: usize| -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        for r in VICTIMS {
            let x = [r.0, r.1, r.2][i];
            if !v.contains(&x) {
                v.push(x);
            }
        }
        v
    };
    let mut def = Recs::default();
    // BrtBeginPivotCacheDef: versions, flags, missing-items limit, refreshed date, flags
    // (who refreshed, records part), record count, who, records relationship.
    def.rec(
        0x00B3,
        B::new()
            .u8(6)
            .u8(3)
            .u8(6)
            .u8(0x01)
            .u32(u32::MAX)
            .f64(45000.5)
            .u8(if records { 0x03 } else { 0x01 })
            .u32(5)
            .wide("Jane Analyst")
            .bytes(&if records {
                B::new().wide("rId1").0
            } else {
                Vec::new()
            })
            .done(),
    );
    def.rec(0x00B9, B::new().u32(0).u32(0).done()); // BrtBeginPCDSource: worksheet
    // BrtBeginPCDSRange: a range (not a name) on sheet 'Data'.
    def.rec(
        0x00BB,
        B::new()
            .u8(0)
            .u8(0)
            .u8(0x02)
            .wide("Data")
            .rfx(0, 5, 0, 3)
            .done(),
    );
    def.empty(0x00BC);
    def.empty(0x00BA);
    def.rec(0x00B5, B::new().u32(4).done()); // BrtBeginPCDFields
    for (i, f) in fields.iter().enumerate() {
        def.rec(
            0x00B7,
            B::new()
                .u16(0x0004)
                .u32(0)
                .u16(0)
                .u32(0)
                .u32(0)
                .u32(0)
                .wide(f)
                .done(),
        );
        let items = distinct(i);
        def.rec(0x00BD, B::new().u16(0x0009).u32(items.len() as u32).done());
        for it in items {
            def.rec(0x0018, B::new().wide(it).done()); // BrtPCDIString
        }
        def.empty(0x00BE);
        def.empty(0x00B8);
    }
    // Age: numeric, no items, with its minimum and maximum.
    def.rec(
        0x00B7,
        B::new()
            .u16(0x0004)
            .u32(0)
            .u16(0)
            .u32(0)
            .u32(0)
            .u32(0)
            .wide("Age")
            .done(),
    );
    def.rec(
        0x00BD,
        B::new().u16(0x01C2).u32(0).f64(19.0).f64(52.0).done(),
    );
    def.empty(0x00BE);
    def.empty(0x00B8);
    def.empty(0x00B6);
    def.empty(0x00B4);
    let mut rec = Recs::default();
    rec.rec(0x00C1, B::new().u32(5).done()); // BrtBeginPivotCacheRecords
    for r in VICTIMS {
        let mut b = B::new();
        for (i, v) in [r.0, r.1, r.2].iter().enumerate() {
            b = b.u32(distinct(i).iter().position(|x| x == v).unwrap() as u32);
        }
        rec.rec(0x0021, b.f64(r.3).done()); // BrtPCRRecord
    }
    rec.empty(0x00C2);
    let mut ids = Recs::default();
    ids.rec(0x0180, B::new().u32(1).done()); // BrtBeginPivotCacheIDs
    ids.rec(0x0182, B::new().u32(1).wide("rId9").done());
    ids.empty(0x0183);
    ids.empty(0x0181);
    book.after_sheets = ids;
    book.wb_rels.push((
        "rId9".into(),
        format!("{R}/pivotCacheDefinition"),
        "pivotCache/pivotCacheDefinition1.bin".into(),
    ));
    let mut def_part = Part::new(
        "xl/pivotCache/pivotCacheDefinition1.bin",
        "application/vnd.ms-excel.pivotCacheDefinition",
        def.0,
    );
    if records {
        def_part = def_part.rel(
            "rId1",
            &format!("{R}/pivotCacheRecords"),
            "pivotCacheRecords1.bin",
        );
        book.parts.push(Part::new(
            "xl/pivotCache/pivotCacheRecords1.bin",
            "application/vnd.ms-excel.pivotCacheRecords",
            rec.0,
        ));
    }
    book.parts.push(def_part);
    book.sheet("Summary", 0, sheet).build()
}

#[test]
fn pivot_cache_records_are_decoded_and_reported() {
    let bytes = pivot(true);
    let findings = xlsb(&bytes);
    let f = only(&findings, "pivot-cache");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(
        f.location.part.as_deref(),
        Some("xl/pivotCache/pivotCacheRecords1.bin")
    );
    assert_eq!(f.location.sheet.as_deref(), Some("Data"));
    assert_eq!(f.location.range.as_deref(), Some("A1:D6"));
    contains(
        &f.message,
        &[
            "pivot cache holds 5 records of source data with 4 fields (Victim, Offence, Ward, Age)",
            "its source sheet 'Data' A1:D6 is no longer in the workbook",
            "no pivot table uses it any more",
        ],
    );
    let (_, items) = scan_items(&bytes);
    let rec = items
        .iter()
        .find(|i| i.kind == ItemKind::CacheRecord && i.text == "PATEL, Raj")
        .expect("record");
    assert!(rec.hidden);
    assert_eq!(rec.location.cell.as_deref(), Some("A4"));
    let age = items
        .iter()
        .find(|i| i.kind == ItemKind::CacheRecord && i.text == "45")
        .expect("inline number");
    assert_eq!(age.location.cell.as_deref(), Some("D4"));
    assert!(
        items
            .iter()
            .any(|i| i.kind == ItemKind::Author && i.text == "Jane Analyst")
    );
    // Without its records the definition still lists every distinct value.
    let def_only = xlsb(&pivot(false));
    contains(
        &only(&def_only, "pivot-cache").message,
        &["pivot cache definition holds 12 distinct values of 4 fields"],
    );
    none_of(&clean(), "pivot-cache");
}

// ---------------------------------------------------------------------------
// External links (record writer).
// ---------------------------------------------------------------------------

fn external_link(cached: bool) -> Vec<u8> {
    let mut book = Book::new();
    let sheet = wards(&mut book);
    let mut r = Recs::default();
    r.empty(0x0161);
    r.rec(0x0163, B::new().wide("rId8").done()); // BrtSupBookSrc
    r.rec(0x016A, B::new().u32(1).u32(0).u32(0).u32(0).done());
    r.empty(0x0162);
    book.after_sheets = r;
    let mut link = Recs::default();
    // BrtBeginSupBook: an external workbook, its path's relationship id.
    link.rec(0x0168, B::new().u16(0).wide("rId1").null().done());
    link.rec(0x0167, B::new().u32(1).wide("Sheet1").done()); // BrtSupTabs
    if cached {
        link.rec(0x016B, B::new().u32(0).u8(0).done()); // BrtExternTableStart
        link.rec(0x016E, B::new().u32(1).done()); // BrtExternRowHdr
        link.rec(0x0173, B::new().u32(0).wide("Mary Jones").done());
        link.rec(0x0170, B::new().u32(1).f64(4821.0).done());
        link.empty(0x016C);
    }
    link.empty(0x024C);
    book.wb_rels.push((
        "rId8".into(),
        format!("{R}/externalLink"),
        "externalLinks/externalLink1.bin".into(),
    ));
    book.parts.push(
        Part::new(
            "xl/externalLinks/externalLink1.bin",
            "application/vnd.ms-excel.externalLink",
            link.0,
        )
        .external(
            "rId1",
            &format!("{R}/externalLinkPath"),
            "file:///\\\\hr-share\\users\\jbloggs\\staff.xlsb",
        ),
    );
    book.sheet("Wards", 0, sheet).build()
}

#[test]
fn external_link_keeps_its_path_and_cached_values() {
    let bytes = external_link(true);
    let findings = xlsb(&bytes);
    let f = only(&findings, "external-link");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(
        f.location.part.as_deref(),
        Some("xl/externalLinks/externalLink1.bin")
    );
    assert_eq!(f.location.sheet.as_deref(), Some("Sheet1"));
    contains(&f.message, &["'staff.xlsb'", "2 cached values", "(Sheet1)"]);
    assert!(
        f.evidence
            .as_deref()
            .is_some_and(|e| e.ends_with("staff.xlsb") && e.contains("hr-share")),
        "{:?}",
        f.evidence
    );
    let (_, items) = scan_items(&bytes);
    let cached = item(&items, ItemKind::ExternalCell, "Mary Jones");
    assert!(cached.hidden);
    assert_eq!(cached.location.cell.as_deref(), Some("A2"));
    // A link without cached values still reveals the path, at medium.
    let path_only = xlsb(&external_link(false));
    let f = only(&path_only, "external-link");
    assert_eq!(f.severity, Severity::Medium);
    contains(&f.message, &["reveals the path"]);
    none_of(&clean(), "external-link");
}

// ---------------------------------------------------------------------------
// Connections, VBA, embedded objects, charts (record writer).
// ---------------------------------------------------------------------------

#[test]
fn data_connection_with_a_stored_password_is_high() {
    let mut book = Book::new();
    let sheet = wards(&mut book);
    let mut c = Recs::default();
    c.rec(0x01AD, B::new().u32(1).done()); // BrtBeginExtConnections
    // BrtBeginExtConnection: refreshed version, save password, unused, interval, flags,
    // strings present (description, name), type, reconnection, id, credentials.
    c.rec(
        0x00C9,
        B::new()
            .u16(0x0303)
            .u8(1)
            .u8(0)
            .u16(0)
            .u16(0x0040)
            .u16(0x000C)
            .u32(1)
            .u32(1)
            .u32(1)
            .u8(2)
            .wide("Detainee names from POLSQL01")
            .wide("Custody extract")
            .done(),
    );
    c.empty(0x00CA);
    c.empty(0x01AE);
    book.wb_rels.push((
        "rId7".into(),
        format!("{R}/connections"),
        "connections.bin".into(),
    ));
    book.parts.push(Part::new(
        "xl/connections.bin",
        "application/vnd.ms-excel.connections",
        c.0,
    ));
    let bytes = book.sheet("Wards", 0, sheet).build();
    let findings = xlsb(&bytes);
    let f = only(&findings, "data-connection");
    assert_eq!(f.severity, Severity::High);
    contains(
        &f.message,
        &["1 data connection (Custody extract)", "a stored password"],
    );
    none_of(&clean(), "data-connection");
}

#[test]
fn vba_project_is_a_macro_with_its_code_scanned() {
    let mut book = Book::new();
    let sheet = wards(&mut book);
    book.wb_rels.push((
        "rId6".into(),
        "http://schemas.microsoft.com/office/2006/relationships/vbaProject".into(),
        "vbaProject.bin".into(),
    ));
    book.parts.push(Part::new(
        "xl/vbaProject.bin",
        "application/vnd.ms-office.vbaProject",
        fixtures::vba_project_bin(),
    ));
    let bytes = book.sheet("Wards", 0, sheet).build();
    let findings = xlsb(&bytes);
    let f = only(&findings, "macro");
    assert_eq!(f.location.part.as_deref(), Some("xl/vbaProject.bin"));
    contains(&f.message, &["VBA project with 1 module (Module1)"]);
    let (_, items) = scan_items(&bytes);
    assert!(
        items
            .iter()
            .any(|i| i.kind == ItemKind::Macro && i.text.contains("DS Patel")),
        "{}",
        dump_items(&items)
    );
    none_of(&clean(), "macro");
}

#[test]
fn embedded_workbook_is_reported_and_scanned_inside() {
    let mut book = Book::new();
    let mut sheet = wards(&mut book);
    sheet
        .ole_objects
        .push(("Excel.Sheet.12".into(), "rId1".into()));
    book = book.sheet("Wards", 0, sheet);
    book.sheets[0].3.push((
        "rId1".into(),
        format!("{R}/package"),
        "../embeddings/Microsoft_Excel_Worksheet1.xlsx".into(),
        false,
    ));
    book.parts.push(Part::new(
        "xl/embeddings/Microsoft_Excel_Worksheet1.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        fixtures::hidden_sheet_roster(),
    ));
    let bytes = book.build();
    let findings = scan(&bytes).1;
    let f = only(&findings, "embedded-object");
    assert_eq!(
        f.location.part.as_deref(),
        Some("xl/embeddings/Microsoft_Excel_Worksheet1.xlsx")
    );
    // The hidden sheet inside the embedded workbook is found, one container down.
    let inner = only(&findings, "hidden-sheet");
    assert_eq!(inner.location.container.len(), 1);
    none_of(&clean(), "embedded-object");
}

#[test]
fn chart_fed_from_a_hidden_sheet_keeps_its_cache() {
    // The chart and drawing parts are DrawingML XML in xlsb as in xlsx: taken as
    // rust_xlsxwriter wrote them for the same chart.
    let xlsx = fixtures::chart_cache_hidden_source();
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).expect("zip");
    let mut read = |name: &str| {
        let mut s = Vec::new();
        zip.by_name(name)
            .expect(name)
            .read_to_end(&mut s)
            .expect(name);
        s
    };
    let chart = read("xl/charts/chart1.xml");
    let drawing = read("xl/drawings/drawing1.xml");
    let mut book = Book::new();
    let head = vec![book.sst("Public complaints recorded, 2022")];
    let mut visible = SheetBin::table(&[&head]);
    visible.drawing = Some("rId1".into());
    let mut rows: Vec<Vec<V>> = vec![vec![book.sst("Officer"), book.sst("Complaints")]];
    for (i, n) in [
        "PC SMITH",
        "PC JONES",
        "DS PATEL",
        "PC BROWN",
        "Insp TAYLOR",
        "PC WILSON",
    ]
    .iter()
    .enumerate()
    {
        rows.push(vec![book.sst(n), V::Num(i as f64 + 3.0)]);
    }
    let refs: Vec<&[V]> = rows.iter().map(|r| r.as_slice()).collect();
    let data = SheetBin::table(&refs);
    book = book
        .sheet("Complaints", 0, visible)
        .sheet("ChartData", 1, data);
    book.sheets[0].3.push((
        "rId1".into(),
        format!("{R}/drawing"),
        "../drawings/drawing1.xml".into(),
        false,
    ));
    book.parts.push(
        Part::new(
            "xl/drawings/drawing1.xml",
            "application/vnd.openxmlformats-officedocument.drawing+xml",
            drawing,
        )
        .rel("rId1", &format!("{R}/chart"), "../charts/chart1.xml"),
    );
    book.parts.push(Part::new(
        "xl/charts/chart1.xml",
        "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
        chart,
    ));
    let findings = xlsb(&book.build());
    let f = only(&findings, "chart-cache");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.location.part.as_deref(), Some("xl/charts/chart1.xml"));
    contains(&f.message, &["source sheet 'ChartData' is hidden"]);
    none_of(&clean(), "chart-cache");
}

// ---------------------------------------------------------------------------
// Outputs, damage, and an independent reader.
// ---------------------------------------------------------------------------

#[test]
fn an_xlsb_finding_reads_sheet_and_range_in_every_output() {
    let files = TempFiles::new();
    files.add("roster.xlsb", &data("hidden_sheets.xlsb"));
    let human = files
        .cmd()
        .args(["scan", "roster.xlsb"])
        .output()
        .expect("run");
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains("'Staff list'!A1:D13 (xl/worksheets/sheet2.bin)"),
        "{human}"
    );
    let json = files
        .cmd()
        .args(["scan", "--format", "json", "roster.xlsb"])
        .output()
        .expect("run");
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(doc["files"][0]["format"], "xlsb");
    let f = doc["files"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "hidden-sheet" && f["location"]["sheet"] == "Staff list")
        .expect("hidden-sheet finding")
        .clone();
    assert_eq!(f["location"]["range"], "A1:D13");
    assert_eq!(f["location"]["part"], "xl/worksheets/sheet2.bin");
    files
        .cmd()
        .args([
            "scan",
            "--format",
            "html",
            "-o",
            "report.html",
            "roster.xlsb",
        ])
        .output()
        .expect("run");
    let html = std::fs::read_to_string(files.path().join("report.html")).expect("html");
    assert!(
        html.contains("'Staff list'!A1:D13") || html.contains("&#x27;Staff list&#x27;!A1:D13"),
        "no place in the HTML report"
    );
}

#[test]
fn a_truncated_sheet_part_is_unscannable_naming_the_part() {
    let bytes = repack(&data("hidden_rows_cols.xlsb"), |name, part| {
        if name == "xl/worksheets/sheet1.bin" {
            part.truncate(part.len() / 2);
        }
    });
    let (format, findings) = scan(&bytes);
    assert_eq!(format, Format::Xlsb);
    let f = only(&findings, "unscannable");
    assert_eq!(f.location.part.as_deref(), Some("xl/worksheets/sheet1.bin"));
    contains(&f.message, &["truncated"]);
    assert_eq!(
        scan_as_file(&bytes, "x.xlsb", Severity::Critical).verdict,
        Verdict::Block
    );
}

/// Rewrites a package with each part passed through `edit`.
fn repack(bytes: &[u8], mut edit: impl FnMut(&str, &mut Vec<u8>)) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let name = f.name().expect("name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        edit(&name, &mut data);
        w.start_file(name.as_str(), options).expect("zip");
        w.write_all(&data).expect("zip");
    }
    w.finish().expect("zip").into_inner()
}

fn all_files() -> Vec<(String, Vec<u8>)> {
    let dir = format!("{}/tests/data/xlsb", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xlsb"))
        .map(|n| {
            let b = data(&n);
            (n, b)
        })
        .collect();
    out.sort();
    out.extend([
        ("filtered".to_string(), filtered(true)),
        ("styled".to_string(), styled(true)),
        ("names".to_string(), names(true)),
        ("pivot".to_string(), pivot(true)),
        ("external_link".to_string(), external_link(true)),
    ]);
    out
}

/// Truncated and bit-flipped copies of every fixture's binary parts: the inspector may
/// give up on a part, but it must say why and never fail as a parser.
#[test]
fn damaged_copies_never_make_the_parser_fail() {
    let limits = Limits::default();
    let mut seed = 0x9E37_79B9_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let files = all_files();
    assert!(files.len() >= 13);
    for (name, bytes) in &files {
        let mut copies: Vec<Vec<u8>> = Vec::new();
        for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len() - 100] {
            copies.push(bytes[..cut].to_vec());
        }
        for round in 0..30u32 {
            let a = next();
            let b = next();
            copies.push(repack(bytes, |part, data| {
                if !part.ends_with(".bin") || data.is_empty() {
                    return;
                }
                if round % 3 == 0 {
                    data.truncate((a as usize) % data.len());
                } else {
                    for k in 0..4u64 {
                        let i = (a.wrapping_add(k.wrapping_mul(b)) as usize) % data.len();
                        data[i] ^= 1 << ((b >> k) % 8);
                    }
                }
            }));
        }
        for (k, copy) in copies.iter().enumerate() {
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

/// calamine, an independent xlsb reader, reads every fixture (SheetJS's and the record
/// writer's) to the same sheets, visibility and values foiguard reads.
#[test]
fn calamine_reads_every_fixture_the_same_way() {
    use calamine::{Reader, SheetVisible, Xlsb};
    for (name, bytes) in all_files() {
        let mut wb: Xlsb<_> = Xlsb::new(Cursor::new(bytes.clone()))
            .unwrap_or_else(|e| panic!("{name}: calamine: {e}"));
        let (_, findings, items) = scan_with(&bytes, &Limits::default(), true);
        none_of(&findings, "unscannable");
        for sheet in wb.sheets_metadata().to_vec() {
            let rule = match sheet.visible {
                SheetVisible::Visible => None,
                SheetVisible::Hidden => Some("hidden-sheet"),
                SheetVisible::VeryHidden => Some("very-hidden-sheet"),
            };
            let ours = findings
                .iter()
                .find(|f| {
                    f.rule.ends_with("-sheet") && f.location.sheet.as_deref() == Some(&sheet.name)
                })
                .map(|f| f.rule);
            assert_eq!(ours, rule, "{name}: sheet {}", sheet.name);
            let range = wb
                .worksheet_range(&sheet.name)
                .unwrap_or_else(|e| panic!("{name}: {}: {e}", sheet.name));
            for (row, col, value) in range.used_cells() {
                let text = value.to_string();
                if text.is_empty() {
                    continue;
                }
                let (r, c) = (
                    row as u32 + range.start().unwrap().0,
                    col as u32 + range.start().unwrap().1,
                );
                let cell = foiguard::model::cell_ref(r, c);
                assert!(
                    items.iter().any(|i| i.kind == ItemKind::Cell
                        && i.location.sheet.as_deref() == Some(&sheet.name)
                        && i.location.cell.as_deref() == Some(&cell)
                        && (i.text == text
                            || i.text.parse::<f64>().ok() == text.parse::<f64>().ok())),
                    "{name}: {}!{cell} = {text:?} not read",
                    sheet.name
                );
            }
        }
        let names: Vec<String> = wb.defined_names().iter().map(|(n, _)| n.clone()).collect();
        if name == "names" {
            for n in ["CrimeTable", "Officer", "Suspects"] {
                assert!(names.iter().any(|x| x == n), "{name}: {names:?}");
            }
        }
    }
}

/// Files Excel wrote (../shared/realworld): a very hidden sheet, hidden rows and columns,
/// notes, white fonts, embedded objects, VBA and charts. Run with
/// `cargo test --test xlsb -- --ignored`.
#[test]
#[ignore]
fn realworld_files_excel_wrote() {
    let root = format!("{}/../../shared/realworld", env!("CARGO_MANIFEST_DIR"));
    let cases: &[(&str, &str)] = &[
        (
            "ExcelDataReader/src/TestData/Test_git_issue_642.xlsb",
            "very-hidden-sheet",
        ),
        (
            "ExcelDataReader/src/TestData/Test_git_issue_642.xlsb",
            "hidden-sheet",
        ),
        (
            "ExcelDataReader/src/TestData/Test_git_issue_270.xlsb",
            "hidden-rows",
        ),
        (
            "test_files/2013/apachepoi_47089.xlsm.xlsb",
            "hidden-columns",
        ),
        ("test_files/2013/apachepoi_50795.xlsx.xlsb", "comment"),
        ("calamine/tests/issues.xlsb", "disguised-content"),
        ("calamine/tests/issues.xlsb", "macro"),
        (
            "test_files/2013/apachepoi_WithEmbeddedObjects.xls.xlsb",
            "embedded-object",
        ),
        (
            "test_files/2013/apachepoi_WithThreeCharts.xlsx.xlsb",
            "chart-cache",
        ),
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

/// The xlsb samples of corpus/ block or pass as CORPUS.md says, with every detector on (the
/// binary, as a disclosure officer runs it).
#[test]
fn xlsb_corpus_samples_have_their_expected_verdicts() {
    let files = TempFiles::new();
    let mut checked = 0;
    for e in fixtures::corpus_index() {
        if !e.file.ends_with(".xlsb") {
            continue;
        }
        files.add(e.file, &(e.build)());
        let out = files.cmd().args(["scan", e.file]).output().expect("run");
        let want = match e.verdict {
            "block" => 1,
            "pass" => 0,
            other => panic!("{}: unexpected verdict {other}", e.file),
        };
        assert_eq!(
            out.status.code(),
            Some(want),
            "{}:\n{}",
            e.file,
            String::from_utf8_lossy(&out.stdout)
        );
        checked += 1;
    }
    assert_eq!(checked, 2);
}

/// Cells at A1 and XFD1048576: calamine's dense grid would ask for billions of cells; the
/// stream reads two cells and reports the far one.
#[test]
fn a_huge_extent_is_streamed_not_allocated() {
    let mut book = Book::new();
    let mut sheet = wards(&mut book);
    let far = book.sst("John SMITH 07700 900123");
    sheet
        .rows
        .push((0x000F_FFFF, false, vec![(0x3FFF, 0, far)]));
    let findings = xlsb(&book.sheet("Wards", 0, sheet).build());
    let f = only(&findings, "residual-data");
    assert_eq!(f.location.range.as_deref(), Some("XFD1048576"));
    contains(&f.message, &["far outside the used range"]);
}
