//! The personal-data engine end to end on generated files: roster matches (including a
//! surname and forename in neighbouring cells), identifiers, table rules, escalation of
//! hidden content, aggregation, masking, and the clean controls that must stay quiet.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use assert_cmd::Command;
use common::dump;
use foiguard::detect::Engine;
use foiguard::detect::roster::Roster;
use foiguard::detect::tables::TableConfig;
use foiguard::{Finding, Limits, Severity, scan_bytes};
use serde_json::Value;

const OFFICERS: &str =
    "Surname,Forename,Collar No\nBROWN,Mary,4821\nTHOMPSON,Sarah,5532\nOKAFOR,Tunde,6610\n";

fn engine_with_roster(roster: &str) -> Engine {
    let roster = Roster::from_sources(&[("officers.csv", roster.as_bytes())]).expect("roster");
    Engine::with_config(Some(roster), TableConfig::default())
}

fn scan(bytes: &[u8], engine: &Engine) -> Vec<Finding> {
    scan_bytes(bytes, &Limits::default(), engine, false).1
}

fn of_rule<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

fn workbook(rows: &[&[&str]], hidden: bool) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    if hidden {
        // The first sheet is the active one and cannot be hidden.
        wb.add_worksheet().set_name("Cover").expect("name");
    }
    let ws = wb.add_worksheet();
    ws.set_name("Data").expect("name");
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(n) if !v.starts_with('0') || *v == "0" => ws.write(r as u32, c as u16, n),
                _ => ws.write(r as u32, c as u16, *v),
            }
            .expect("write");
        }
    }
    if hidden {
        ws.set_hidden(true);
    }
    wb.save_to_buffer().expect("save")
}

#[test]
fn roster_names_in_a_hidden_sheet_are_one_critical_finding() {
    let findings = scan(
        &fixtures::hidden_sheet_roster(),
        &engine_with_roster(OFFICERS),
    );
    let hits = of_rule(&findings, "roster-match");
    assert_eq!(
        hits.len(),
        1,
        "one aggregated finding:\n{}",
        dump(&findings)
    );
    let f = hits[0];
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.hidden);
    assert_eq!(f.location.sheet.as_deref(), Some("Sheet2"));
    assert!(f.message.contains("officers.csv"), "{}", f.message);
    assert!(
        !f.message.contains("BROWN") && !f.message.contains("Mary"),
        "{}",
        f.message
    );
}

#[test]
fn roster_names_in_visible_cells_are_high_not_critical() {
    let bytes = workbook(&[&["Note"], &["Reviewed by Mary Brown on Monday"]], false);
    let findings = scan(&bytes, &engine_with_roster(OFFICERS));
    let f = of_rule(&findings, "roster-match");
    assert_eq!(f.len(), 1, "{}", dump(&findings));
    assert_eq!(f[0].severity, Severity::High);
    assert!(!f[0].hidden);
}

#[test]
fn no_roster_match_without_the_people() {
    let bytes = workbook(
        &[&["Note"], &["Reviewed by Mary Smithson on Monday"]],
        false,
    );
    let findings = scan(&bytes, &engine_with_roster(OFFICERS));
    assert!(
        of_rule(&findings, "roster-match").is_empty(),
        "{}",
        dump(&findings)
    );
}

#[test]
fn valid_national_identifier_in_hidden_content_is_critical_and_invalid_one_is_ignored() {
    let rows: &[&[&str]] = &[
        &["Reference", "NI number"],
        &["A1", "AB 12 34 56 C"],
        &["A2", "QQ 12 34 56 A"],
    ];
    let findings = scan(&workbook(rows, true), &Engine::new());
    let nino = of_rule(&findings, "pii.nino");
    assert_eq!(nino.len(), 1, "{}", dump(&findings));
    assert_eq!(nino[0].severity, Severity::Critical);
    assert!(
        nino[0].message.contains("National Insurance"),
        "{}",
        nino[0].message
    );
    assert_eq!(
        nino[0].location.cell.as_deref(),
        Some("B2"),
        "only the valid one"
    );

    let visible = scan(&workbook(rows, false), &Engine::new());
    let nino = of_rule(&visible, "pii.nino");
    assert_eq!(nino.len(), 1, "{}", dump(&visible));
    assert_eq!(nino[0].severity, Severity::High);
}

#[test]
fn nhs_number_checksum_decides() {
    let good = scan(
        &workbook(&[&["Note"], &["NHS no 943 476 5919"]], false),
        &Engine::new(),
    );
    assert_eq!(of_rule(&good, "pii.nhs-number").len(), 1, "{}", dump(&good));
    let bad = scan(
        &workbook(&[&["Note"], &["NHS no 943 476 5918"]], false),
        &Engine::new(),
    );
    assert!(of_rule(&bad, "pii.nhs-number").is_empty(), "{}", dump(&bad));
}

#[test]
fn personal_data_in_comments_is_at_least_high() {
    // The legacy note fixture's comment names an officer ("DS Raj Patel" as author).
    let findings = scan(&fixtures::legacy_note(), &Engine::new());
    let personal: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule.starts_with("pii."))
        .collect();
    assert!(!personal.is_empty(), "{}", dump(&findings));
    assert!(
        personal
            .iter()
            .all(|f| f.hidden && f.severity >= Severity::High),
        "{}",
        dump(&findings)
    );
}

#[test]
fn hidden_victims_table_is_row_level_data_and_personal_columns() {
    let findings = scan(&fixtures::very_hidden_sheet(), &Engine::new());
    let rows = of_rule(&findings, "row-level-data");
    assert_eq!(rows.len(), 1, "{}", dump(&findings));
    assert!(rows[0].severity >= Severity::High);
    assert!(rows[0].hidden);
    let columns = of_rule(&findings, "personal-data-column");
    assert!(columns.len() >= 2, "{}", dump(&findings));
    assert!(columns.iter().all(|f| f.severity >= Severity::High && f.location.sheet.as_deref() == Some("Victims")));
}

#[test]
fn clean_controls_have_nothing_at_high_or_above() {
    for (name, bytes) in [
        ("clean_crime_stats", fixtures::clean_crime_stats()),
        ("clean_rank_table", fixtures::clean_rank_table()),
        ("normal_formatting", fixtures::normal_formatting()),
        ("chart_with_cache", fixtures::chart_with_cache()),
    ] {
        let findings = scan(&bytes, &engine_with_roster(OFFICERS));
        let loud: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity >= Severity::High)
            .collect();
        assert!(loud.is_empty(), "{name}:\n{}", dump(&findings));
    }
}

#[test]
fn clean_foi_letter_has_nothing_at_high_or_above() {
    let letter = "Dear Requester,\n\nThank you for your request dated 3 March 2023 under the Freedom of \
Information Act 2000. Norfolk Constabulary holds 1,204 records of burglary reported between \
1 April 2022 and 31 March 2023, of which 312 were resolved. The figures were extracted on \
14 April 2023 and published on 2 May 2023. Spending on the scheme was £12,450.00 (3.5% of \
the budget).\n\nIf you are unhappy with this response, please contact foi@norfolk.police.uk \
or write to the Freedom of Information Team.\n\nYours sincerely,\nFreedom of Information Team\n";
    let findings = scan(letter.as_bytes(), &Engine::new());
    let loud: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity >= Severity::High)
        .collect();
    assert!(loud.is_empty(), "{}", dump(&findings));
}

#[test]
fn small_counts_follow_the_threshold() {
    let rows: &[&[&str]] = &[
        &["Ward", "Burglary", "Robbery"],
        &["Mile Cross", "14", "3"],
        &["Mancroft", "22", "0"],
        &["Eaton", "7", "6"],
        &["Lakenham", "31", "2"],
    ];
    let bytes = workbook(rows, false);
    let default = scan(&bytes, &Engine::new());
    let small = of_rule(&default, "small-count");
    assert_eq!(small.len(), 1, "{}", dump(&default));
    assert!(
        small[0].message.contains('2'),
        "two cells (3 and 2): {}",
        small[0].message
    );
    let wide = Engine::with_config(
        None,
        TableConfig {
            small_count_threshold: 10,
        },
    );
    let findings = scan(&bytes, &wide);
    let small = of_rule(&findings, "small-count");
    assert_eq!(small.len(), 1, "{}", dump(&findings));
    assert!(
        small[0].message.contains('4'),
        "3, 2, 7 and 6: {}",
        small[0].message
    );
}

fn cli_json(args: &[&str]) -> (i32, Value) {
    let out = Command::cargo_bin("foiguard")
        .expect("bin")
        .args(args)
        .output()
        .expect("run");
    let code = out.status.code().unwrap_or(-1);
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code, json)
}

#[test]
fn cli_roster_evidence_is_masked_unless_asked() {
    let dir = tempfile::tempdir().expect("tmp");
    let roster = dir.path().join("officers.csv");
    std::fs::write(&roster, OFFICERS).expect("write");
    let file = dir.path().join("release.xlsx");
    std::fs::write(&file, fixtures::hidden_sheet_roster()).expect("write");
    let (r, f) = (roster.to_str().expect("utf8"), file.to_str().expect("utf8"));

    let (code, json) = cli_json(&["scan", "--format", "json", "--roster", r, f]);
    assert_eq!(code, 1);
    let text = json.to_string();
    assert!(text.contains("roster-match"), "{text}");
    assert!(
        !text.contains("THOMPSON") && !text.contains("Sarah"),
        "names leaked: {text}"
    );

    let (_, json) = cli_json(&[
        "scan",
        "--format",
        "json",
        "--show-evidence",
        "--roster",
        r,
        f,
    ]);
    let evidence: Vec<String> = json["files"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "roster-match")
        .filter_map(|f| f["evidence"].as_str().map(str::to_string))
        .collect();
    assert!(!evidence.is_empty());
    assert!(
        evidence
            .iter()
            .any(|e| e.contains("Mary") || e.contains("Sarah")),
        "{evidence:?}"
    );
}

#[test]
fn cli_unusable_roster_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("release.xlsx");
    std::fs::write(&file, fixtures::clean_crime_stats()).expect("write");
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").expect("write");
    let missing = dir.path().join("missing.csv");
    for roster in [&empty, &missing] {
        let out = Command::cargo_bin("foiguard")
            .expect("bin")
            .args([
                "scan",
                "--roster",
                roster.to_str().expect("utf8"),
                file.to_str().expect("utf8"),
            ])
            .output()
            .expect("run");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(roster.file_name().and_then(|n| n.to_str()).expect("name")),
            "{err}"
        );
    }
}

#[test]
fn personal_columns_inside_a_pivot_cache_are_found_and_critical() {
    // The orphaned cache keeps victims' names with no sheet left to show them.
    let findings = scan(&fixtures::pivot_cache_orphaned(), &Engine::new());
    let columns = of_rule(&findings, "personal-data-column");
    let victim = columns
        .iter()
        .find(|f| f.message.contains("'Victim'"))
        .unwrap_or_else(|| panic!("{}", dump(&findings)));
    assert_eq!(
        victim.severity,
        Severity::Critical,
        "hidden role column of individuals"
    );
    assert!(victim.hidden);
    assert!(
        victim.message.contains("pivot cache records"),
        "{}",
        victim.message
    );
    assert_eq!(
        victim.location.part.as_deref(),
        Some("xl/pivotCache/pivotCacheRecords1.xml")
    );
}

#[test]
fn pivot_cache_records_are_not_a_statistics_table() {
    // A cache of category rows with a small "Items" value per row: in a sheet that would be
    // a statistics table with small counts, but cache records are source rows.
    let mut pkg = fixtures::Pkg::open(&fixtures::pivot_cache_orphaned());
    pkg.edit("xl/pivotCache/pivotCacheDefinition1.xml", |xml| {
        xml.replace("name=\"Victim\"", "name=\"Category\"")
            .replace("name=\"Age\"", "name=\"Items\"")
    });
    pkg.edit("xl/pivotCache/pivotCacheRecords1.xml", |xml| {
        let mut out = String::new();
        let mut rest = xml.as_str();
        while let Some(i) = rest.find("<n v=\"") {
            out.push_str(&rest[..i]);
            let end = rest[i..].find("/>").expect("end") + i + 2;
            out.push_str("<n v=\"2\"/>");
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    });
    let bytes = pkg.finish();
    let findings = scan(&bytes, &Engine::new());
    assert!(
        findings.iter().all(|f| !(f.rule == "small-count"
            && f.location
                .part
                .as_deref()
                .is_some_and(|p| p.contains("pivotCache")))),
        "{}",
        dump(&findings)
    );
    // The same grid as a sheet is a statistics table with small counts: the rule is live.
    let rows: &[&[&str]] = &[
        &["Category", "Offence", "Ward", "Items"],
        &["Burglary", "Burglary", "Mile Cross", "2"],
        &["Assault", "Assault", "Mancroft", "2"],
        &["Robbery", "Robbery", "Eaton", "2"],
    ];
    let sheet = scan(&workbook(rows, false), &Engine::new());
    assert_eq!(of_rule(&sheet, "small-count").len(), 1, "{}", dump(&sheet));
}

// --- A personal-data column's values under the catalogue rule (issue 8, point 4) ---------

/// A workbook of people: a name column and a column `heading` with real Excel dates.
fn people_with_dates(heading: &str, hidden: bool) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    if hidden {
        wb.add_worksheet().set_name("Cover").expect("name");
    }
    let ws = wb.add_worksheet();
    ws.set_name("Data").expect("name");
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    ws.write(0, 0, "Name").expect("write");
    ws.write(0, 1, heading).expect("write");
    let people = [
        "John Smith",
        "Mary Jones",
        "Aisha Khan",
        "Peter Wood",
        "Grace Hall",
        "Tunde Okafor",
    ];
    for (i, name) in people.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write(r, 0, *name).expect("write");
        let d =
            rust_xlsxwriter::ExcelDateTime::from_ymd(1950 + i as u16 * 7, 1 + i as u8, 3 + i as u8)
                .expect("date");
        ws.write_datetime_with_format(r, 1, &d, &date)
            .expect("write");
    }
    if hidden {
        ws.set_hidden(true);
    }
    wb.save_to_buffer().expect("save")
}

fn in_column<'a>(findings: &'a [Finding], rule: &str, range: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| f.rule == rule && f.location.range.as_deref() == Some(range))
        .collect()
}

#[test]
fn a_column_of_dates_of_birth_gives_pii_date_of_birth() {
    // Excel stores dates as day numbers: no text detector sees a date, the heading does.
    let findings = scan(&people_with_dates("Date of birth", false), &Engine::new());
    let dob = of_rule(&findings, "pii.date-of-birth");
    assert_eq!(dob.len(), 1, "{}", dump(&findings));
    assert_eq!(dob[0].location.range.as_deref(), Some("B2:B7"));
    assert_eq!(dob[0].severity, Severity::High);
    assert!(
        dob[0].message.contains("6 dates of birth"),
        "{}",
        dob[0].message
    );
    assert_eq!(
        in_column(&findings, "personal-data-column", "B2:B7").len(),
        1
    );
    // Hidden: at least high, as any personal data in hidden content.
    let hidden = scan(&people_with_dates("DOB", true), &Engine::new());
    let dob = of_rule(&hidden, "pii.date-of-birth");
    assert_eq!(dob.len(), 1, "{}", dump(&hidden));
    assert!(dob[0].hidden && dob[0].severity >= Severity::High);
}

#[test]
fn dates_under_other_headings_are_not_dates_of_birth() {
    for heading in ["Date reported", "Date of death", "Date"] {
        let findings = scan(&people_with_dates(heading, false), &Engine::new());
        assert!(
            of_rule(&findings, "pii.date-of-birth").is_empty(),
            "{heading}: {}",
            dump(&findings)
        );
    }
}

#[test]
fn written_dates_of_birth_are_reported_once() {
    // The identifier detector reads these as dates of birth (the heading is its context):
    // the column adds no second finding over the same cells.
    let rows: &[&[&str]] = &[
        &["Name", "DOB"],
        &["John Smith", "12/03/1980"],
        &["Mary Jones", "02/11/1975"],
        &["Aisha Khan", "03/05/1991"],
        &["Peter Wood", "28/02/1964"],
        &["Grace Hall", "01/01/2001"],
    ];
    let findings = scan(&workbook(rows, false), &Engine::new());
    let dob = of_rule(&findings, "pii.date-of-birth");
    assert_eq!(dob.len(), 1, "{}", dump(&findings));
    assert!(dob[0].message.contains("5 matches"), "{}", dob[0].message);
}

#[test]
fn collar_numbers_are_police_officers_and_staff_numbers_are_not() {
    let rows = |heading: &'static str| -> Vec<Vec<&'static str>> {
        let mut r = vec![vec!["Surname", "Forename", heading]];
        for (s, f, n) in [
            ("BROWN", "Mary", "4821"),
            ("THOMPSON", "Sarah", "5532"),
            ("OKAFOR", "Tunde", "6610"),
            ("PATEL", "Raj", "7012"),
            ("HUGHES", "Peter", "8123"),
        ] {
            r.push(vec![s, f, n]);
        }
        r
    };
    let grid = rows("Collar No");
    let refs: Vec<&[&str]> = grid.iter().map(Vec::as_slice).collect();
    let findings = scan(&workbook(&refs, false), &Engine::new());
    let officers = of_rule(&findings, "pii.police-officer");
    assert_eq!(officers.len(), 1, "{}", dump(&findings));
    assert_eq!(officers[0].location.range.as_deref(), Some("C2:C6"));
    assert_eq!(officers[0].masked_evidence.as_deref(), Some("****"));
    for heading in ["Staff number", "Quantity"] {
        let grid = rows(heading);
        let refs: Vec<&[&str]> = grid.iter().map(Vec::as_slice).collect();
        let findings = scan(&workbook(&refs, false), &Engine::new());
        assert!(
            of_rule(&findings, "pii.police-officer").is_empty(),
            "{heading}: {}",
            dump(&findings)
        );
    }
}

#[test]
fn identifiers_in_columns_are_one_finding_per_value_whoever_finds_them() {
    // Upper-case postcodes are found by the identifier detector in any cell; lower-case ones
    // only because the heading says Postcode. Each value is counted once.
    let rows: &[&[&str]] = &[
        &["Name", "Postcode", "NI number"],
        &["John Smith", "NR1 2AB", "AB123456C"],
        &["Mary Jones", "sw1a 1aa", "jh 55 66 77 a"],
        &["Aisha Khan", "M1 1AE", "TW987654B"],
        &["Peter Wood", "ec1a 1bb", "CE 12 34 56 D"],
        &["Grace Hall", "B33 8TH", "QQ 12 34 56 A"],
    ];
    for hidden in [false, true] {
        let findings = scan(&workbook(rows, hidden), &Engine::new());
        let count = |rule: &str| -> u64 {
            of_rule(&findings, rule)
                .iter()
                // "UK postcode (3 matches) in …" or "column 'Postcode' lists 2 postcodes".
                .map(|f| {
                    f.message
                        .split(['(', ' '])
                        .find_map(|w| w.parse::<u64>().ok())
                        .unwrap_or(1)
                })
                .sum()
        };
        assert_eq!(count("pii.postcode"), 5, "{}", dump(&findings));
        // QQ is never issued: four National Insurance numbers, the lower-case spaced one
        // found by column.
        assert_eq!(count("pii.nino"), 4, "{}", dump(&findings));
        if hidden {
            assert!(
                of_rule(&findings, "pii.nino")
                    .iter()
                    .all(|f| f.severity == Severity::Critical),
                "{}",
                dump(&findings)
            );
        }
    }
}
