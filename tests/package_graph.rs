//! Office packages are read through their relationship graph and content types, the way
//! Office reads them: parts are found by what they are, never by their names, and every
//! part of a package ends in one known state (inspected, no text, unknown, orphan, Mac
//! residue or unreadable).

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use common::*;
use foiguard::detect::Engine;
use foiguard::formats::Format;
use foiguard::model::{PartState, Severity};
use foiguard::{FileReport, Limits, ScanOptions, Verdict};

/// Scans as the CLI does, with the personal-data detectors on.
fn scan_full(bytes: &[u8], name: &str) -> FileReport {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    let limits = Limits::default();
    let engine = Engine::new();
    let policy = foiguard::policy::Policy::new(Severity::High);
    let opts = ScanOptions::new(&limits, &engine, &policy);
    foiguard::scan_file(&path, name, &opts)
}

fn states(report: &FileReport) -> Vec<(PartState, u64)> {
    report.parts.states.iter().map(|(s, n)| (*s, *n)).collect()
}

fn count(report: &FileReport, state: PartState) -> u64 {
    report.parts.states.get(&state).copied().unwrap_or(0)
}

#[test]
fn notes_where_openpyxl_writes_them_are_read() {
    let bytes = relocate_parts(
        &fixtures::legacy_note(),
        &[("xl/comments1.xml", "xl/comments/comment1.xml")],
    );
    assert!(
        unzip(&bytes)
            .iter()
            .any(|(n, _)| n == "xl/comments/comment1.xml")
    );
    let (format, findings) = scan(&bytes);
    assert_eq!(format, Format::Xlsx);
    none_of(&findings, "unscannable");
    let f = only(&findings, "comment");
    assert_eq!(f.location.part.as_deref(), Some("xl/comments/comment1.xml"));
    assert_eq!(f.location.sheet.as_deref(), Some("Crime by ward"));
}

#[test]
fn a_pivot_cache_outside_xl_is_read_with_its_records() {
    let bytes = relocate_parts(
        &fixtures::pivot_cache(),
        &[
            (
                "xl/pivotCache/pivotCacheDefinition1.xml",
                "pivotCache/pivotCacheDefinition1.xml",
            ),
            (
                "xl/pivotCache/pivotCacheRecords1.xml",
                "pivotCache/pivotCacheRecords1.xml",
            ),
        ],
    );
    let (_, findings) = scan(&bytes);
    none_of(&findings, "unscannable");
    let f = only(&findings, "pivot-cache");
    assert_eq!(f.severity, Severity::High);
    assert_eq!(
        f.location.part.as_deref(),
        Some("pivotCache/pivotCacheRecords1.xml")
    );
    assert!(f.message.contains("records"), "{}", f.message);
    // The records reached the detectors: the victims' names are found in the cache.
    let report = scan_full(&bytes, "pivot.xlsx");
    assert!(
        report.findings.iter().any(|f| f.rule == "pii.person-name"
            && f.location.part.as_deref() == Some("pivotCache/pivotCacheRecords1.xml")),
        "{}",
        dump(&report.findings)
    );
}

#[test]
fn a_workbook_part_not_at_xl_workbook_xml_is_a_workbook() {
    let bytes = relocate_parts(
        &fixtures::hidden_sheet_roster(),
        &[
            ("xl/workbook.xml", "book/main.xml"),
            ("xl/worksheets/sheet1.xml", "book/pages/one.xml"),
            ("xl/worksheets/sheet2.xml", "book/pages/two.xml"),
            ("xl/sharedStrings.xml", "book/text.xml"),
        ],
    );
    assert!(!unzip(&bytes).iter().any(|(n, _)| n == "xl/workbook.xml"));
    let (format, findings) = scan(&bytes);
    assert_eq!(format, Format::Xlsx);
    none_of(&findings, "unscannable");
    let f = only(&findings, "hidden-sheet");
    assert_eq!(f.location.part.as_deref(), Some("book/pages/two.xml"));
    assert_eq!(f.location.range.as_deref(), Some("A1:E201"));
}

#[test]
fn charts_drawings_and_external_links_are_found_at_any_path() {
    let chart = relocate_parts(
        &fixtures::chart_cache_hidden_source(),
        &[
            ("xl/charts/chart1.xml", "graphics/c1.xml"),
            ("xl/drawings/drawing1.xml", "graphics/canvas.xml"),
        ],
    );
    let (_, findings) = scan(&chart);
    none_of(&findings, "unscannable");
    let f = only(&findings, "chart-cache");
    assert_eq!(f.location.part.as_deref(), Some("graphics/c1.xml"));
    assert_eq!(f.severity, Severity::High);

    let link = relocate_parts(
        &fixtures::external_link_cache(),
        &[("xl/externalLinks/externalLink1.xml", "links/lnk.xml")],
    );
    let (_, findings) = scan(&link);
    none_of(&findings, "unscannable");
    let f = only(&findings, "external-link");
    assert_eq!(f.location.part.as_deref(), Some("links/lnk.xml"));
    assert_eq!(f.severity, Severity::High);
}

#[test]
fn hidden_shapes_and_embeddings_are_found_at_any_path() {
    let drawing = relocate_parts(
        &fixtures::hidden_textbox(),
        &[("xl/drawings/drawing1.xml", "art/d.xml")],
    );
    let (_, findings) = scan(&drawing);
    let f = only(&findings, "hidden-text");
    assert_eq!(f.location.part.as_deref(), Some("art/d.xml"));

    let embedded = fixtures::embedded_workbook();
    let name = unzip(&embedded)
        .into_iter()
        .map(|(n, _)| n)
        .find(|n| n.starts_with("xl/embeddings/"))
        .expect("an embedding");
    let moved = relocate_parts(&embedded, &[(name.as_str(), "objects/book.xlsx")]);
    let (_, findings) = scan(&moved);
    let f = only(&findings, "embedded-object");
    assert_eq!(f.location.part.as_deref(), Some("objects/book.xlsx"));
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "hidden-sheet" && f.location.container == ["book.xlsx"]),
        "{}",
        dump(&findings)
    );
}

/// A workbook with one part in each state a part can end in.
fn every_state_package() -> Vec<u8> {
    let base = fixtures::legacy_note();
    let with_rels = edit_part(&base, "xl/_rels/workbook.xml.rels", |rels| {
        rels.replace(
            "</Relationships>",
            "<Relationship Id=\"rIdX1\" Type=\"http://example.org/relationships/caseNotes\" Target=\"extra/case-notes.xml\"/>\
             <Relationship Id=\"rIdX2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/printerSettings\" Target=\"printerSettings/printerSettings1.bin\"/>\
             </Relationships>",
        )
    });
    let with_types = edit_part(&with_rels, "[Content_Types].xml", |ct| {
        ct.replace(
            "</Types>",
            "<Default Extension=\"bin\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings\"/>\
             <Override PartName=\"/xl/extra/case-notes.xml\" ContentType=\"application/vnd.example.casenotes+xml\"/>\
             </Types>",
        )
    });
    let apple = appledouble(&[
        (
            "com.apple.metadata:kMDItemWhereFroms",
            where_froms(&["Jane Bloggs <jane.bloggs@example.org>"]),
        ),
        ("com.apple.quarantine", b"0083;65a1b2c3;Mail;".to_vec()),
    ]);
    with_parts(
        &with_types,
        &[
            (
                "xl/extra/case-notes.xml",
                b"<notes><note officer=\"DS Raj Patel\">Victim NI number AB123456C</note></notes>",
            ),
            ("xl/printerSettings/printerSettings1.bin", &[0u8; 64]),
            (
                "[trash]/0001.dat",
                b"<old><c>SMITH, John 14/02/1981</c></old>",
            ),
            ("__MACOSX/_rels/._.rels", &apple),
            ("__MACOSX/xl/._workbook.xml", &apple),
        ],
    )
}

#[test]
fn every_part_ends_in_one_state() {
    let report = scan_full(&every_state_package(), "states.xlsx");
    let total: u64 = report.parts.states.values().sum();
    let entries = unzip(&every_state_package()).len() as u64;
    assert_eq!(total, entries, "{:?}", states(&report));
    assert_eq!(
        count(&report, PartState::NoText),
        1,
        "{:?}",
        states(&report)
    );
    assert_eq!(count(&report, PartState::Unknown), 1);
    assert_eq!(count(&report, PartState::Orphan), 1);
    assert_eq!(count(&report, PartState::MacResidue), 2);
    assert_eq!(count(&report, PartState::Unreadable), 0);
    assert_eq!(
        report
            .parts
            .unknown_types
            .get("application/vnd.example.casenotes+xml"),
        Some(&1)
    );
    assert!(count(&report, PartState::Inspected) >= 10);

    let f = only(&report.findings, "unknown-part");
    assert_eq!(f.location.part.as_deref(), Some("xl/extra/case-notes.xml"));
    assert!(
        f.message.contains("application/vnd.example.casenotes+xml"),
        "{}",
        f.message
    );
    // The unknown part's text went to the detectors as hidden content.
    let nino = only(&report.findings, "pii.nino");
    assert_eq!(nino.severity, Severity::Critical);
    assert!(nino.hidden);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "pii.police-officer"
                && f.location.part.as_deref() == Some("xl/extra/case-notes.xml")),
        "{}",
        dump(&report.findings)
    );
    // The orphan is reported, and its text scanned.
    assert!(
        report.findings.iter().any(|f| f.rule == "residual-data"
            && f.severity == Severity::High
            && f.message.contains("[trash]/0001.dat")),
        "{}",
        dump(&report.findings)
    );
    // The Mac residue is reported at low, never parsed as package XML, and the sender's
    // address in kMDItemWhereFroms is found.
    assert!(
        report.findings.iter().any(|f| f.rule == "residual-data"
            && f.severity == Severity::Low
            && f.message.contains("zipped again on a Mac")),
        "{}",
        dump(&report.findings)
    );
    let email = report
        .findings
        .iter()
        .find(|f| f.rule == "pii.email")
        .unwrap_or_else(|| panic!("{}", dump(&report.findings)));
    assert!(
        email
            .location
            .part
            .as_deref()
            .is_some_and(|p| p.starts_with("__MACOSX/"))
    );
    assert!(email.severity >= Severity::High);
    none_of(&report.findings, "unscannable");
    // The note itself is still read.
    only(&report.findings, "comment");
}

#[test]
fn a_workbook_zipped_again_on_a_mac_is_inspected_not_refused() {
    let clean = fixtures::clean_crime_stats();
    let quarantine_only =
        appledouble(&[("com.apple.quarantine", b"0081;65a1b2c3;Safari;".to_vec())]);
    let mut residue: Vec<(String, Vec<u8>)> = unzip(&clean)
        .into_iter()
        .map(|(n, _)| {
            let (dir, file) = n.rsplit_once('/').unwrap_or(("", &n));
            let name = if dir.is_empty() {
                format!("__MACOSX/._{file}")
            } else {
                format!("__MACOSX/{dir}/._{file}")
            };
            (name, quarantine_only.clone())
        })
        .collect();
    residue.push((".DS_Store".into(), vec![0, 0, 0, 1, b'B', b'u', b'd', b'1']));
    let extra: Vec<(&str, &[u8])> = residue
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let bytes = with_parts(&clean, &extra);
    let report = scan_full(&bytes, "mac.xlsx");
    assert_eq!(report.format, "xlsx");
    none_of(&report.findings, "unscannable");
    assert_eq!(report.verdict, Verdict::Pass, "{}", dump(&report.findings));
    assert_eq!(count(&report, PartState::MacResidue), residue.len() as u64);
    let f = only(&report.findings, "residual-data");
    assert_eq!(f.severity, Severity::Low);
}

#[test]
fn a_clean_workbook_has_no_unknown_or_orphan_parts() {
    let report = scan_full(&fixtures::clean_crime_stats(), "clean.xlsx");
    assert_eq!(
        count(&report, PartState::Unknown),
        0,
        "{:?}",
        states(&report)
    );
    assert_eq!(count(&report, PartState::Orphan), 0);
    none_of(&report.findings, "unknown-part");
    none_of(&report.findings, "residual-data");
}

#[test]
fn an_unreadable_part_is_recorded_and_blocks() {
    let bytes = edit_part(
        &fixtures::legacy_note(),
        "xl/worksheets/_rels/sheet1.xml.rels",
        |_| "<Relationships><Relationship Id=".into(),
    );
    let report = scan_full(&bytes, "broken.xlsx");
    // The broken relationship part is unreadable. The note and its drawing it pointed to are
    // still placed by their declared content types and read, and with the graph incomplete
    // nothing is called an orphan.
    assert_eq!(
        count(&report, PartState::Unreadable),
        1,
        "{:?}",
        states(&report)
    );
    assert_eq!(count(&report, PartState::Orphan), 0);
    only(&report.findings, "comment");
    assert_eq!(report.verdict, Verdict::Block);
    let f = only(&report.findings, "unscannable");
    assert!(
        f.message.contains("xl/worksheets/_rels/sheet1.xml.rels"),
        "{}",
        f.message
    );
}

#[test]
fn parts_reached_only_from_an_orphan_are_orphans_too() {
    // An orphaned pivot cache definition still has its own relationships to its records;
    // nothing the workbook reaches points to either, so both are orphans.
    let bytes = edit_part(
        &fixtures::pivot_cache(),
        "xl/_rels/workbook.xml.rels",
        |rels| {
            let start = rels
                .find("<Relationship Id=\"rId6\"")
                .expect("pivot cache rel");
            let end = start + rels[start..].find("/>").expect("end") + 2;
            format!("{}{}", &rels[..start], &rels[end..])
        },
    );
    let bytes = edit_part(&bytes, "xl/pivotTables/_rels/pivotTable1.xml.rels", |_| {
        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"/>".into()
    });
    let report = scan_full(&bytes, "orphan-cache.xlsx");
    let f = report
        .findings
        .iter()
        .find(|f| f.rule == "residual-data" && f.message.contains("pivotCacheDefinition1.xml"))
        .unwrap_or_else(|| panic!("{}", dump(&report.findings)));
    assert!(
        f.message.contains("pivotCacheRecords1.xml"),
        "{}",
        f.message
    );
    assert!(
        count(&report, PartState::Orphan) >= 2,
        "{:?}",
        states(&report)
    );
}

#[test]
fn what_a_pivot_cache_is_comes_from_its_kind_not_its_name() {
    // Named like nothing in particular, the records are still a pivot cache's: the column
    // findings say so, their small integers are not counts of people, and the advice is to
    // remove the pivot table.
    let bytes = relocate_parts(
        &fixtures::pivot_cache(),
        &[
            ("xl/pivotCache/pivotCacheDefinition1.xml", "data/def.xml"),
            ("xl/pivotCache/pivotCacheRecords1.xml", "data/rows.xml"),
        ],
    );
    let report = scan_full(&bytes, "renamed-cache.xlsx");
    let in_cache: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.location.part.as_deref() == Some("data/rows.xml"))
        .collect();
    assert!(
        in_cache.iter().any(
            |f| f.rule == "personal-data-column" && f.message.contains("(pivot cache records)")
        ),
        "{}",
        dump(&report.findings)
    );
    assert!(
        in_cache.iter().all(|f| f.rule != "small-count"),
        "{}",
        dump(&report.findings)
    );
    assert!(
        in_cache
            .iter()
            .filter(|f| f.rule != "pivot-cache")
            .all(|f| f.advice.contains("pivot cache")),
        "{}",
        dump(&report.findings)
    );
}
