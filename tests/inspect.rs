//! `foiguard inspect FILE`: the reviewer's view shows what is hidden, in clear, with the
//! warning around it, the same verdict as `scan`, and a bounded size whatever the file.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use assert_cmd::Command;
use common::TempFiles as Files;

const WARNING: &str = "PERSONAL DATA IN CLEAR";

/// Output of one `foiguard inspect` run.
struct View {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl View {
    fn expect_code(self, code: i32) -> Self {
        assert_eq!(
            self.code,
            Some(code),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    fn has(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "expected {text:?} in the view:\n{}",
            self.stdout
        );
        self
    }

    /// A line holding every one of `parts` (a table row, a list entry).
    fn line_with(&self, parts: &[&str]) -> &str {
        self.stdout
            .lines()
            .find(|l| parts.iter().all(|p| l.contains(p)))
            .unwrap_or_else(|| panic!("no line with {parts:?} in the view:\n{}", self.stdout))
    }

    /// The lines of the section whose heading starts with `== {heading}`.
    fn section(&self, heading: &str) -> String {
        let start = format!("== {heading}");
        let mut lines = self.stdout.lines().skip_while(|l| !l.starts_with(&start));
        let first = lines
            .next()
            .unwrap_or_else(|| panic!("no section {start:?} in the view:\n{}", self.stdout));
        let mut out = vec![first];
        out.extend(lines.take_while(|l| !l.starts_with("== ") && !l.contains(WARNING)));
        out.join("\n")
    }

    fn warned(&self) -> &Self {
        let lines: Vec<&str> = self.stdout.lines().collect();
        assert!(
            lines.first().is_some_and(|l| l.contains(WARNING)),
            "first line is not the warning:\n{}",
            self.stdout
        );
        assert!(
            lines.last().is_some_and(|l| l.contains(WARNING)),
            "last line is not the warning:\n{}",
            self.stdout
        );
        assert!(
            self.stdout.contains("authorised reviewer only")
                && self.stdout.contains("attach it to the release"),
            "the warning does not say who may read it and what not to do:\n{}",
            self.stdout
        );
        assert!(
            self.stderr.contains(WARNING),
            "no warning on stderr:\n{}",
            self.stderr
        );
        self
    }
}

fn run(args: &[&str]) -> View {
    let out = Command::cargo_bin("foiguard")
        .expect("binary")
        .arg("inspect")
        .args(args)
        .output()
        .expect("run foiguard");
    View {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 view"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn inspect(name: &str, bytes: &[u8]) -> View {
    let files = Files::new();
    let path = files.add(name, bytes);
    run(&[path.to_str().expect("utf-8 path")])
}

#[test]
fn hidden_sheet_rows_are_shown_in_clear_with_the_rest_counted() {
    let view = inspect("roster.xlsx", &fixtures::hidden_sheet_roster()).expect_code(1);
    view.warned();
    view.has("verdict   BLOCK")
        .has("format    xlsx")
        .has("sha256    ");
    let section = view.section("Hidden sheet 'Sheet2' (hidden-sheet, high) — A1:E201, 201 rows");
    // Header row, then the roster's first people, each in its own row with its cells.
    assert!(
        section.contains("| A ") && section.contains("| E "),
        "{section}"
    );
    view.line_with(&[
        "1 |",
        "Surname",
        "Forename",
        "Rank",
        "Service No",
        "Department",
    ]);
    view.line_with(&[" 2 |", "BROWN", "Mary", "Insp", "380000", "Response"]);
    view.line_with(&[" 3 |", "THOMPSON", "Sarah", "DS", "387919", "Custody"]);
    // 20 rows shown of 201: row 21 is not, and the rest is counted.
    assert!(section.contains("   20 |"), "{section}");
    assert!(!section.contains("   21 |"), "{section}");
    assert!(section.contains("… and 181 more rows"), "{section}");
}

#[test]
fn very_hidden_sheet_is_named_as_such() {
    let view = inspect("victims.xlsx", &fixtures::very_hidden_sheet()).expect_code(1);
    let section = view.section("Very hidden sheet 'Victims' (very-hidden-sheet, high)");
    assert!(section.contains("Date of birth"), "{section}");
    assert!(
        !section.contains("more rows"),
        "all 13 rows fit:\n{section}"
    );
}

#[test]
fn pivot_cache_fields_and_records_are_shown_in_clear() {
    let view = inspect("pivot.xlsx", &fixtures::pivot_cache()).expect_code(1);
    view.warned();
    let section = view.section("Pivot cache (pivot-cache, high) — 5 records, source 'Data'!A1:D6");
    assert!(section.contains("pivotCacheRecords1.xml"), "{section}");
    view.line_with(&["#", "| Victim", "| Offence", "| Ward", "| Age"]);
    view.line_with(&["1 |", "SMITH, John", "Burglary", "Mile Cross", "34"]);
    view.line_with(&["5 |", "WILSON, Grace", "Assault", "Mancroft", "27"]);
    // The definition's distinct values are listed per field too.
    view.line_with(&["Victim", "SMITH, John; JONES, Mary; TAYLOR, Aisha"]);
}

#[test]
fn tracked_changes_show_the_earlier_text_and_who_changed_it() {
    let view = inspect("complaints.xlsx", &fixtures::shared_workbook_revisions()).expect_code(1);
    view.warned();
    let section = view.section("Tracked changes (tracked-change, high)");
    assert!(section.contains("revisionLog1.xml"), "{section}");
    view.line_with(&["A2", "earlier value", "John Smith"]);
    view.line_with(&["A3", "earlier value", "Mary Jones, 07700 900318"]);
    view.line_with(&["A2", "changed value", "Redacted"]);
    view.line_with(&["revision user", "Jane Bloggs"]);
}

#[test]
fn notes_are_shown_with_their_author() {
    let view = inspect("notes.xlsx", &fixtures::legacy_note()).expect_code(1);
    view.warned();
    let section = view.section("Comments and notes on sheet 'Crime by ward' (comment, medium)");
    assert!(
        section.contains(
            "Includes the SMITH, John burglary (DOB 03/02/1961, 12 Acacia Avenue) - reclassified 14/03. Do not disclose."
        ),
        "the note is not shown in full:\n{section}"
    );
    view.line_with(&["B4", "note"]);
    view.line_with(&["comment author", "DS Raj Patel"]);
}

#[test]
fn threaded_comments_are_shown_with_the_people_behind_them() {
    let view = inspect("threaded.xlsx", &fixtures::threaded_comment()).expect_code(1);
    view.line_with(&[
        "B4",
        "threaded comment",
        "@Raj Patel can you confirm the Mile Cross figure excludes the WILSON, Grace case (07700 900461)?",
    ]);
    view.line_with(&["person display name", "Jane Bloggs"]);
    view.line_with(&["person directory id", "jane.bloggs@norfolk.police.example"]);
}

#[test]
fn external_link_shows_the_linked_path_and_cached_values() {
    let view = inspect("arrears.xlsx", &fixtures::external_link_cache()).expect_code(1);
    view.warned();
    let section = view.section("External link to 'Tenants 2014.xlsx' (external-link, high)");
    assert!(
        section.contains(r"file:///\\fileserver01\housing\jbloggs\Tenants%202014.xlsx"),
        "{section}"
    );
    assert!(
        section.contains("cached values of sheet 'Tenants'"),
        "{section}"
    );
    view.line_with(&[
        "2 |",
        "BLOGGS, Joe",
        "Flat 3, 14 Acacia Avenue, NR99 1AA",
        "412.50",
    ]);
    view.line_with(&["6 |", "EVANS, Priya"]);
}

#[test]
fn embedded_workbook_content_is_shown_under_its_container_chain() {
    let view = inspect("embedded.xlsx", &fixtures::embedded_workbook()).expect_code(1);
    let inner =
        view.section("Microsoft_Excel_Worksheet.xlsx > Hidden sheet 'Sheet2' (hidden-sheet, high)");
    assert!(
        inner.contains("BROWN") && inner.contains("380000"),
        "{inner}"
    );
    // The embedded workbook's visible sheet is hidden from the release's reader too.
    let object =
        view.section("Embedded object 'Microsoft_Excel_Worksheet.xlsx' (embedded-object, medium)");
    assert!(
        object.contains("-- Microsoft_Excel_Worksheet.xlsx > sheet 'Summary'"),
        "{object}"
    );
    assert!(object.contains("Officers and staff"), "{object}");
}

#[test]
fn macro_code_is_listed_with_line_numbers() {
    let view = inspect("macro.xlsm", &fixtures::macro_workbook()).expect_code(1);
    let section = view.section("Macro code (macro, medium)");
    assert!(section.contains("module Module1:"), "{section}");
    view.line_with(&["3 |", "MsgBox \"Contact DS Patel\""]);
}

#[test]
fn document_properties_are_listed_when_they_name_people() {
    let view = inspect("props.xlsx", &fixtures::document_metadata()).expect_code(1);
    let section = view.section("Document properties (document-metadata, low)");
    assert!(section.contains("PATEL, Raj (DS 4821)"), "{section}");
    view.line_with(&["Reviewed by", "Sgt Amy Santiago"]);
    view.line_with(&["Manager", "DCI Ray Holt"]);
}

#[test]
fn hidden_rows_are_shown_with_their_cell_refs() {
    let view = inspect("burglary.xlsx", &fixtures::hidden_rows_with_data()).expect_code(1);
    let section = view.section("Hidden cells on sheet 'Burglary by ward' (hidden-rows, high)");
    // The hidden victims' rows 5-9, not the visible ward rows around them.
    assert!(
        section.contains("  5 |") && section.contains("  9 |"),
        "{section}"
    );
    assert!(
        !section.contains("Mile Cross"),
        "visible rows are not hidden:\n{section}"
    );
    assert!(
        section.contains("| A ") && section.contains("| E "),
        "{section}"
    );
}

#[test]
fn detector_findings_carry_their_evidence_in_clear() {
    let view = inspect("burglary.xlsx", &fixtures::hidden_rows_with_data()).expect_code(1);
    let section = view.section("Personal data found by the detectors");
    assert!(section.contains("pii.phone"), "{section}");
    assert!(
        section.contains("evidence: 07700 900"),
        "evidence is masked:\n{section}"
    );
}

#[test]
fn clean_workbook_has_nothing_hidden_and_passes() {
    let view = inspect("clean.xlsx", &fixtures::clean_crime_stats()).expect_code(0);
    view.warned();
    view.has("Nothing hidden")
        .has("verdict   PASS")
        .has("findings  0");
    assert!(!view.stdout.contains("\n== "), "{}", view.stdout);
}

#[test]
fn missing_file_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("no-such-file.xlsx");
    let view = run(&[path.to_str().expect("utf-8")]).expect_code(2);
    assert!(view.stderr.contains("cannot read"), "{}", view.stderr);
    assert!(view.stdout.is_empty(), "{}", view.stdout);
}

#[test]
fn damaged_file_shows_why_it_could_not_be_inspected() {
    let view = inspect("damaged.xlsx", &fixtures::truncated_xlsx()).expect_code(1);
    view.warned();
    let section = view.section("Could not be inspected (unscannable, critical)");
    assert!(
        section.contains("corrupt or truncated zip package"),
        "{section}"
    );
    view.has("verdict   BLOCK");
}

#[test]
fn output_file_gets_the_view_and_stderr_the_warning() {
    let files = Files::new();
    let input = files.add("pivot.xlsx", &fixtures::pivot_cache());
    let output = files.path().join("view.txt");
    let view = run(&[
        input.to_str().expect("utf-8"),
        "-o",
        output.to_str().expect("utf-8"),
    ])
    .expect_code(1);
    assert!(!view.stdout.contains("SMITH, John"), "{}", view.stdout);
    assert!(view.stderr.contains(WARNING), "{}", view.stderr);
    let written = std::fs::read_to_string(&output).expect("view written");
    assert!(
        written.starts_with("!! PERSONAL DATA IN CLEAR"),
        "{written}"
    );
    assert!(written.contains("SMITH, John"), "{written}");
}

/// A workbook whose hidden sheet "Staff" holds `rows` rows under a header.
fn large_hidden_sheet(rows: u32) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Summary").expect("name");
    ws.write(0, 0, "Staff in post").expect("write");
    ws.write(0, 1, rows).expect("write");
    let ws = wb.add_worksheet();
    ws.set_name("Staff").expect("name");
    for (c, h) in ["Name", "Payroll", "Team"].iter().enumerate() {
        ws.write(0, c as u16, *h).expect("write");
    }
    for r in 1..=rows {
        ws.write(r, 0, format!("PERSON {r:06}")).expect("write");
        ws.write(r, 1, 700_000 + r).expect("write");
        ws.write(r, 2, format!("Team {}", r % 40)).expect("write");
    }
    ws.set_hidden(true);
    wb.save_to_buffer().expect("save")
}

#[test]
fn large_hidden_sheet_gives_a_bounded_view() {
    let view = inspect("large.xlsx", &large_hidden_sheet(50_000)).expect_code(1);
    view.warned();
    let section =
        view.section("Hidden sheet 'Staff' (hidden-sheet, high) — A1:C50001, 50,001 rows");
    view.line_with(&["2 |", "PERSON 000001", "700001"]);
    view.line_with(&["20 |", "PERSON 000019"]);
    assert!(!view.stdout.contains("PERSON 000020"), "{section}");
    assert!(section.contains("… and 49,981 more rows"), "{section}");
    assert!(
        view.stdout.len() < 16 * 1024,
        "the view is {} bytes:\n{}",
        view.stdout.len(),
        view.stdout
    );
}
