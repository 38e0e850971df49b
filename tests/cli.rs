//! The command line as the SPEC defines it: exit codes, `--fail-on`, the JSON and JSON Lines
//! report shape, output destinations, path discovery, the human report and `rules`.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use assert_cmd::Command;
use common::TempFiles as Files;
use predicates::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::Path;

/// Every rule id in the SPEC's catalogue (hard-coded: the SPEC is not shipped with the crate).
const SPEC_RULES: [&str; 45] = [
    "hidden-sheet",
    "very-hidden-sheet",
    "hidden-rows",
    "hidden-columns",
    "filtered-rows",
    "pivot-cache",
    "data-model",
    "chart-cache",
    "external-link",
    "defined-name",
    "data-connection",
    "disguised-content",
    "residual-data",
    "comment",
    "speaker-notes",
    "tracked-change",
    "hidden-text",
    "fake-redaction",
    "pdf-incremental-update",
    "embedded-object",
    "macro",
    "document-metadata",
    "custom-xml",
    "unscannable",
    "roster-match",
    "personal-data-column",
    "pii.person-name",
    "pii.police-officer",
    "pii.nino",
    "pii.nhs-number",
    "pii.date-of-birth",
    "pii.postcode",
    "pii.phone",
    "pii.email",
    "pii.vehicle-registration",
    "pii.pnc-id",
    "pii.cro-number",
    "pii.passport",
    "pii.driving-licence",
    "pii.bank-account",
    "pii.iban",
    "pii.payment-card",
    "pii.ip-address",
    "small-count",
    "row-level-data",
];

const SEVERITIES: [&str; 5] = ["info", "low", "medium", "high", "critical"];

fn parse(out: &[u8]) -> Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(out)))
}

fn stdout_of(cmd: &mut Command, code: i32) -> String {
    let out = cmd.output().expect("run foiguard");
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn json_of(cmd: &mut Command, code: i32) -> Value {
    let text = stdout_of(cmd, code);
    parse(text.as_bytes())
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn set(items: &[&'static str]) -> BTreeSet<&'static str> {
    items.iter().copied().collect()
}

fn file_entry<'a>(report: &'a Value, path: &Path) -> &'a Value {
    let want = path.display().to_string();
    report["files"]
        .as_array()
        .expect("files array")
        .iter()
        .find(|f| f["path"] == want.as_str())
        .unwrap_or_else(|| panic!("{want} not in report:\n{report:#}"))
}

fn rules_of(file: &Value) -> Vec<String> {
    file["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_string())
        .collect()
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

// ---------------------------------------------------------------------------
// Exit codes.
// ---------------------------------------------------------------------------

#[test]
fn clean_file_exits_0() {
    let files = Files::new();
    let path = files.add("clean.xlsx", &fixtures::clean_crime_stats());
    files
        .cmd()
        .arg("scan")
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("PASS"));
}

#[test]
fn hidden_sheet_file_exits_1() {
    let files = Files::new();
    let path = files.add("roster.xlsx", &fixtures::hidden_sheet_roster());
    files
        .cmd()
        .arg("scan")
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("BLOCK"));
}

#[test]
fn missing_path_exits_2_without_a_report() {
    let files = Files::new();
    let good = files.add("clean.xlsx", &fixtures::clean_crime_stats());
    files
        .cmd()
        .arg("scan")
        .arg(&good)
        .arg("no-such-file.xlsx")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("no-such-file.xlsx"));
}

#[test]
fn bad_fail_on_levels_exit_2() {
    let files = Files::new();
    let path = files.add("clean.xlsx", &fixtures::clean_crime_stats());
    for level in ["bogus", "info", ""] {
        files
            .cmd()
            .args(["scan", "--fail-on", level])
            .arg(&path)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty());
    }
}

#[test]
fn scan_without_paths_exits_2() {
    Files::new()
        .cmd()
        .arg("scan")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty());
}

#[test]
fn unknown_option_exits_2() {
    Files::new()
        .cmd()
        .args(["scan", "--no-such-option", "x.xlsx"])
        .assert()
        .code(2);
}

#[test]
fn fail_on_critical_passes_high_findings_but_not_unscannable_files() {
    let files = Files::new();
    let roster = files.add("roster.xlsx", &fixtures::hidden_sheet_roster());
    let locked = files.add("locked.xlsx", &fixtures::encrypted_ooxml());
    files
        .cmd()
        .args(["scan", "--fail-on", "critical"])
        .arg(&roster)
        .assert()
        .code(0);
    files
        .cmd()
        .args(["scan", "--fail-on", "critical"])
        .arg(&locked)
        .assert()
        .code(1);
    let report = json_of(
        files
            .cmd()
            .args(["scan", "--fail-on", "critical", "--format", "json"])
            .arg(&roster)
            .arg(&locked),
        1,
    );
    assert_eq!(file_entry(&report, &roster)["verdict"], "pass");
    assert_eq!(file_entry(&report, &locked)["verdict"], "block");
}

#[test]
fn fail_on_medium_blocks_a_medium_only_file() {
    // An external link that reveals a path but caches no values is medium, nothing more.
    let files = Files::new();
    let path = files.add("linked.xlsx", &fixtures::external_link_no_cache());
    files.cmd().arg("scan").arg(&path).assert().code(0);
    files
        .cmd()
        .args(["scan", "--fail-on", "medium"])
        .arg(&path)
        .assert()
        .code(1);
    files
        .cmd()
        .args(["scan", "--fail-on", "MEDIUM"])
        .arg(&path)
        .assert()
        .code(1);
}

#[test]
fn fail_on_low_blocks_a_low_only_file() {
    // A chart whose cache mirrors visible counts is low, nothing more.
    let files = Files::new();
    let path = files.add("chart.xlsx", &fixtures::chart_with_cache());
    files
        .cmd()
        .args(["scan", "--fail-on", "medium"])
        .arg(&path)
        .assert()
        .code(0);
    files
        .cmd()
        .args(["scan", "--fail-on", "low"])
        .arg(&path)
        .assert()
        .code(1);
}

// ---------------------------------------------------------------------------
// JSON.
// ---------------------------------------------------------------------------

#[test]
fn json_report_has_the_spec_shape() {
    let files = Files::new();
    let roster = files.add("roster.xlsx", &fixtures::hidden_sheet_roster());
    let clean = files.add("clean.xlsx", &fixtures::clean_crime_stats());
    let empty = files.add("empty.xlsx", &fixtures::empty_file());
    let embedded = files.add("embedded.xlsx", &fixtures::embedded_workbook());
    let report = json_of(
        files
            .cmd()
            .args(["scan", "--format", "json"])
            .arg(files.path()),
        1,
    );

    assert_eq!(keys(&report), set(&["schema", "tool", "summary", "files"]));
    assert_eq!(report["schema"], "foiguard/1");
    assert_eq!(keys(&report["tool"]), set(&["name", "version"]));
    assert_eq!(report["tool"]["name"], "foiguard");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));

    let summary = &report["summary"];
    assert_eq!(
        keys(summary),
        set(&[
            "files",
            "blocked",
            "passed",
            "findings",
            "accepted",
            "excluded",
            "bytes",
            "elapsed_ms"
        ])
    );
    for k in keys(summary) {
        assert!(summary[k].is_u64(), "summary.{k} = {}", summary[k]);
    }
    let list = report["files"].as_array().expect("files");
    assert_eq!(list.len(), 4);
    assert_eq!(summary["files"], 4);
    assert_eq!(summary["blocked"], 3);
    assert_eq!(summary["passed"], 1);
    let total_findings: usize = list
        .iter()
        .map(|f| f["findings"].as_array().expect("findings").len())
        .sum();
    assert_eq!(summary["findings"], total_findings as u64);
    let total_bytes: u64 = list
        .iter()
        .map(|f| f["bytes"].as_u64().expect("bytes"))
        .sum();
    assert_eq!(summary["bytes"], total_bytes);

    let file_keys = set(&["path", "format", "bytes", "sha256", "verdict", "findings"]);
    let finding_keys = set(&[
        "rule",
        "severity",
        "hidden",
        "location",
        "message",
        "evidence",
        "fingerprint",
    ]);
    // Fields the SPEC allows beyond the example (it only ever adds).
    let optional_file = set(&["error", "parts"]);
    let optional_finding = set(&["advice", "accepted"]);
    let location_keys = set(&[
        "container",
        "part",
        "sheet",
        "cell",
        "range",
        "page",
        "line",
        "offset",
        "slide",
        "story",
        "paragraph",
        "bbox",
    ]);
    for (path, bytes) in [
        (&roster, fixtures::hidden_sheet_roster()),
        (&clean, fixtures::clean_crime_stats()),
        (&empty, Vec::new()),
        (&embedded, fixtures::embedded_workbook()),
    ] {
        let f = file_entry(&report, path);
        let k = keys(f);
        assert!(file_keys.is_subset(&k), "{path:?}: {k:?}");
        assert!(
            k.difference(&file_keys).all(|x| optional_file.contains(x)),
            "{path:?}: unexpected keys {k:?}"
        );
        assert_eq!(f["bytes"], bytes.len() as u64);
        let sha = f["sha256"].as_str().expect("sha256");
        assert!(is_hex(sha, 64), "{sha}");
        assert_eq!(sha, format!("{:x}", Sha256::digest(&bytes)));
        assert!(f["verdict"] == "block" || f["verdict"] == "pass");
        for finding in f["findings"].as_array().expect("findings") {
            let fk = keys(finding);
            assert!(finding_keys.is_subset(&fk), "{finding:#}");
            assert!(
                fk.difference(&finding_keys)
                    .all(|x| optional_finding.contains(x)),
                "unexpected keys {fk:?}"
            );
            assert!(finding["rule"].is_string());
            assert!(
                SEVERITIES.contains(&finding["severity"].as_str().expect("severity")),
                "{finding:#}"
            );
            assert!(finding["hidden"].is_boolean());
            assert!(finding["message"].is_string());
            assert!(finding["evidence"].is_null() || finding["evidence"].is_string());
            let fp = finding["fingerprint"].as_str().expect("fingerprint");
            assert!(
                fp.len() >= 16 && fp.bytes().all(|b| b.is_ascii_hexdigit()),
                "{fp}"
            );
            let loc = &finding["location"];
            assert!(
                loc["container"].is_array(),
                "container always present: {loc}"
            );
            assert!(keys(loc).is_subset(&location_keys), "{loc}");
        }
    }

    let r = file_entry(&report, &roster);
    assert_eq!(r["format"], "xlsx");
    assert_eq!(r["verdict"], "block");
    assert!(
        r.get("error").is_none(),
        "a readable file has no error: {r:#}"
    );
    let hidden = &r["findings"][0];
    assert_eq!(hidden["rule"], "hidden-sheet");
    assert_eq!(hidden["severity"], "high");
    assert_eq!(hidden["hidden"], true);
    assert_eq!(
        hidden["location"],
        serde_json::json!({
            "container": [],
            "part": "xl/worksheets/sheet2.xml",
            "sheet": "Sheet2",
            "range": "A1:E201"
        })
    );
    assert!(hidden["evidence"].is_null());

    let c = file_entry(&report, &clean);
    assert_eq!(c["verdict"], "pass");
    assert_eq!(c["findings"], serde_json::json!([]));
    assert!(c.get("error").is_none());

    let e = file_entry(&report, &empty);
    assert_eq!(e["verdict"], "block");
    assert_eq!(e["format"], "empty");
    assert!(
        e["error"].is_string(),
        "unreadable file has an error: {e:#}"
    );
    assert_eq!(rules_of(e), ["unscannable"]);
    assert_eq!(e["findings"][0]["severity"], "critical");

    let inner = file_entry(&report, &embedded)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "hidden-sheet")
        .expect("embedded hidden sheet")
        .clone();
    assert_eq!(
        inner["location"]["container"],
        serde_json::json!(["Microsoft_Excel_Worksheet.xlsx"])
    );
}

#[test]
fn findings_are_ordered_most_severe_first_in_json() {
    let files = Files::new();
    let path = files.add("chart.xlsx", &fixtures::chart_cache_hidden_source());
    let locked = files.add("notes.xlsx", &fixtures::threaded_comment());
    let report = json_of(
        files
            .cmd()
            .args(["scan", "--format", "json"])
            .arg(&path)
            .arg(&locked),
        1,
    );
    for f in report["files"].as_array().expect("files") {
        let ranks: Vec<usize> = f["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|x| {
                SEVERITIES
                    .iter()
                    .position(|s| x["severity"] == *s)
                    .expect("severity")
            })
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "{f:#}");
    }
}

#[test]
fn fingerprints_are_identical_across_runs() {
    let files = Files::new();
    for (name, bytes) in [
        ("roster.xlsx", fixtures::hidden_sheet_roster()),
        ("pivot.xlsx", fixtures::pivot_cache_orphaned()),
        ("embedded.xlsx", fixtures::embedded_workbook()),
        ("notes.xlsx", fixtures::threaded_comment()),
        ("link.xlsx", fixtures::external_link_cache()),
    ] {
        files.add(name, &bytes);
    }
    let run = |jobs: &str| {
        let report = json_of(
            files
                .cmd()
                .args(["scan", "--format", "json", "-j", jobs])
                .arg(files.path()),
            1,
        );
        let mut prints: Vec<(String, String, String)> = report["files"]
            .as_array()
            .expect("files")
            .iter()
            .flat_map(|f| {
                let path = f["path"].as_str().expect("path").to_string();
                f["findings"]
                    .as_array()
                    .expect("findings")
                    .iter()
                    .map(move |x| {
                        (
                            path.clone(),
                            x["rule"].as_str().expect("rule").to_string(),
                            x["fingerprint"].as_str().expect("fingerprint").to_string(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        prints.sort();
        prints
    };
    let first = run("1");
    assert!(first.len() >= 7, "{first:?}");
    assert_eq!(first, run("2"));
    // Only hashes leave the process.
    for (_, _, fp) in &first {
        assert!(fp.bytes().all(|b| b.is_ascii_hexdigit()), "{fp}");
    }
}

#[test]
fn jsonl_writes_one_file_object_per_line() {
    let files = Files::new();
    let roster = files.add("roster.xlsx", &fixtures::hidden_sheet_roster());
    let clean = files.add("clean.xlsx", &fixtures::clean_crime_stats());
    let broken = files.add("broken.xlsx", &fixtures::truncated_xlsx());
    let text = stdout_of(
        files
            .cmd()
            .args(["scan", "--format", "jsonl"])
            .arg(&roster)
            .arg(&clean)
            .arg(&broken),
        1,
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let mut seen = BTreeSet::new();
    for line in &lines {
        let obj = parse(line.as_bytes());
        assert!(
            obj.get("schema").is_none(),
            "a file object, not a report: {line}"
        );
        assert!(obj["findings"].is_array());
        assert!(obj["sha256"].is_string());
        seen.insert(obj["path"].as_str().expect("path").to_string());
        let path = obj["path"].as_str().expect("path");
        if path == roster.display().to_string() {
            assert_eq!(obj["verdict"], "block");
            assert_eq!(obj["findings"][0]["rule"], "hidden-sheet");
        } else if path == clean.display().to_string() {
            assert_eq!(obj["verdict"], "pass");
        } else {
            assert_eq!(obj["verdict"], "block");
            assert!(obj["error"].is_string());
        }
    }
    let want: BTreeSet<String> = [&roster, &clean, &broken]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(seen, want);
}

#[test]
fn jsonl_of_a_passing_batch_exits_0() {
    let files = Files::new();
    files.add("a.xlsx", &fixtures::clean_crime_stats());
    files.add("b.xlsx", &fixtures::clean_rank_table());
    let text = stdout_of(
        files
            .cmd()
            .args(["scan", "--format", "jsonl"])
            .arg(files.path()),
        0,
    );
    assert_eq!(text.lines().count(), 2, "{text}");
}

// ---------------------------------------------------------------------------
// Where the report goes and which files are scanned.
// ---------------------------------------------------------------------------

#[test]
fn output_file_receives_the_report_and_stdout_stays_empty() {
    let files = Files::new();
    let roster = files.add("in/roster.xlsx", &fixtures::hidden_sheet_roster());
    let out = files.path().join("report.json");
    files
        .cmd()
        .args(["scan", "--format", "json", "-o"])
        .arg(&out)
        .arg(&roster)
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    let report = parse(&std::fs::read(&out).expect("report written"));
    assert_eq!(report["schema"], "foiguard/1");
    assert_eq!(file_entry(&report, &roster)["verdict"], "block");

    let human = files.path().join("report.txt");
    files
        .cmd()
        .args(["scan", "--output"])
        .arg(&human)
        .arg(&roster)
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    let text = std::fs::read_to_string(&human).expect("report written");
    assert!(text.contains("BLOCK"), "{text}");
    assert!(!text.contains('\x1b'), "no colour in a file: {text:?}");
}

#[test]
fn one_job_gives_the_same_verdicts() {
    let files = Files::new();
    let roster = files.add("roster.xlsx", &fixtures::hidden_sheet_roster());
    let clean = files.add("clean.xlsx", &fixtures::clean_crime_stats());
    let locked = files.add("locked.xlsx", &fixtures::encrypted_ooxml());
    let report = json_of(
        files
            .cmd()
            .args(["scan", "--format", "json", "-j", "1"])
            .arg(files.path()),
        1,
    );
    assert_eq!(report["summary"]["files"], 3);
    assert_eq!(file_entry(&report, &roster)["verdict"], "block");
    assert_eq!(file_entry(&report, &clean)["verdict"], "pass");
    assert_eq!(file_entry(&report, &locked)["verdict"], "block");
    files
        .cmd()
        .args(["scan", "--jobs", "1"])
        .arg(&clean)
        .assert()
        .code(0);
}

#[test]
fn dash_reads_paths_from_stdin() {
    let files = Files::new();
    let roster = files.add("roster.xlsx", &fixtures::hidden_sheet_roster());
    let clean = files.add("clean.xlsx", &fixtures::clean_crime_stats());
    let list = format!("{}\n\n  {}  \n", roster.display(), clean.display());
    let report = json_of(
        files
            .cmd()
            .args(["scan", "--format", "json", "-"])
            .write_stdin(list),
        1,
    );
    assert_eq!(report["summary"]["files"], 2);
    assert_eq!(file_entry(&report, &roster)["verdict"], "block");
    assert_eq!(file_entry(&report, &clean)["verdict"], "pass");

    // A missing path on stdin is as fatal as on the command line.
    files
        .cmd()
        .args(["scan", "-"])
        .write_stdin(format!("{}\nmissing.xlsx\n", clean.display()))
        .assert()
        .code(2);
}

#[test]
fn folders_are_scanned_recursively_including_dot_files() {
    let files = Files::new();
    let top = files.add("top.xlsx", &fixtures::clean_crime_stats());
    let deep = files.add("a/b/c/deep.xlsx", &fixtures::hidden_sheet_roster());
    let dotfile = files.add(".hidden.xlsx", &fixtures::very_hidden_sheet());
    let dotdir = files.add(".git/inside.xlsx", &fixtures::clean_rank_table());
    let ignored = files.add("build/ignored.xlsx", &fixtures::legacy_note());
    files.add(".gitignore", b"build/\n*.xlsx\n");
    let report = json_of(
        files
            .cmd()
            .args(["scan", "--format", "json"])
            .arg(files.path()),
        1,
    );
    for path in [&top, &deep, &dotfile, &dotdir, &ignored] {
        file_entry(&report, path);
    }
    assert_eq!(
        report["summary"]["files"], 6,
        "five workbooks and .gitignore"
    );
    assert_eq!(file_entry(&report, &deep)["verdict"], "block");
    assert_eq!(file_entry(&report, &dotfile)["verdict"], "block");
}

// ---------------------------------------------------------------------------
// Human report.
// ---------------------------------------------------------------------------

#[test]
fn human_report_has_verdict_lines_findings_fixes_and_a_summary() {
    let files = Files::new();
    let roster = files.add("roster.xlsx", &fixtures::hidden_sheet_roster());
    let clean = files.add("clean.xlsx", &fixtures::clean_crime_stats());
    let text = stdout_of(files.cmd().arg("scan").arg(&roster).arg(&clean), 1);
    assert!(!text.contains('\x1b'), "no ANSI codes when piped: {text:?}");
    let lines: Vec<&str> = text.lines().collect();
    let verdict_line = |path: &Path| {
        let p = path.display().to_string();
        *lines
            .iter()
            .find(|l| l.contains(&p) && (l.starts_with("BLOCK") || l.starts_with("PASS")))
            .unwrap_or_else(|| panic!("no verdict line for {p}:\n{text}"))
    };
    assert!(verdict_line(&roster).starts_with("BLOCK"), "{text}");
    assert!(verdict_line(&roster).contains("xlsx"), "{text}");
    assert!(verdict_line(&clean).starts_with("PASS"), "{text}");
    let finding = lines
        .iter()
        .find(|l| l.contains("hidden-sheet"))
        .unwrap_or_else(|| panic!("no finding line:\n{text}"));
    assert!(finding.contains("high"), "{finding}");
    assert!(
        finding.contains("Sheet2!A1:E201 (xl/worksheets/sheet2.xml)"),
        "{finding}"
    );
    assert!(text.contains("201 rows"), "{text}");
    assert!(
        lines.iter().any(|l| l.trim_start().starts_with("fix: ")),
        "{text}"
    );
    let summary = lines
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty())
        .expect("summary line");
    assert!(summary.starts_with("release blocked"), "{summary}");
    assert!(summary.contains("2 files scanned"), "{summary}");
    assert!(summary.contains("1 blocked"), "{summary}");
    assert!(summary.contains("1 passed"), "{summary}");
}

#[test]
fn human_report_of_a_clean_batch_says_release_may_proceed() {
    let files = Files::new();
    let clean = files.add("clean.xlsx", &fixtures::clean_crime_stats());
    let text = stdout_of(files.cmd().arg("scan").arg(&clean), 0);
    assert!(
        text.lines().next().is_some_and(|l| l.starts_with("PASS")),
        "{text}"
    );
    let summary = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    assert!(summary.starts_with("release may proceed"), "{summary}");
    assert!(summary.contains("1 file scanned"), "{summary}");
}

#[test]
fn no_colour_even_with_a_colour_hungry_environment_when_piped() {
    let files = Files::new();
    let roster = files.add("roster.xlsx", &fixtures::hidden_sheet_roster());
    let text = stdout_of(
        files
            .cmd()
            .env("TERM", "xterm-256color")
            .env("CLICOLOR_FORCE", "1")
            .arg("scan")
            .arg(&roster),
        1,
    );
    assert!(!text.contains('\x1b'), "{text:?}");
}

// ---------------------------------------------------------------------------
// Evidence.
// ---------------------------------------------------------------------------

#[test]
fn evidence_is_masked_by_default_and_clear_with_show_evidence() {
    let files = Files::new();
    let link = files.add("link.xlsx", &fixtures::external_link_cache());

    let human = stdout_of(files.cmd().arg("scan").arg(&link), 1);
    assert!(human.contains("evidence:"), "{human}");
    assert!(!human.contains("jbloggs"), "{human}");
    assert!(!human.contains("fileserver01"), "{human}");

    let report = json_of(files.cmd().args(["scan", "--format", "json"]).arg(&link), 1);
    let masked = report["files"][0]["findings"][0]["evidence"]
        .as_str()
        .expect("evidence")
        .to_string();
    assert!(!masked.contains("jbloggs"), "{masked}");
    assert!(masked.contains('*'), "{masked}");

    let report = json_of(
        files
            .cmd()
            .args(["scan", "--format", "json", "--show-evidence"])
            .arg(&link),
        1,
    );
    let clear = report["files"][0]["findings"][0]["evidence"]
        .as_str()
        .expect("evidence");
    assert!(clear.contains("jbloggs"), "{clear}");
    assert_eq!(clear.chars().count(), masked.chars().count());

    let human = stdout_of(files.cmd().args(["scan", "--show-evidence"]).arg(&link), 1);
    assert!(human.contains("jbloggs"), "{human}");
}

#[test]
fn fingerprints_do_not_depend_on_masking() {
    let files = Files::new();
    let link = files.add("link.xlsx", &fixtures::external_link_cache());
    let fp = |show: bool| {
        let mut cmd = files.cmd();
        cmd.args(["scan", "--format", "json"]);
        if show {
            cmd.arg("--show-evidence");
        }
        let report = json_of(cmd.arg(&link), 1);
        report["files"][0]["findings"][0]["fingerprint"]
            .as_str()
            .expect("fingerprint")
            .to_string()
    };
    let masked = fp(false);
    assert!(!masked.contains("jbloggs"));
    assert_eq!(masked, fp(true));
}

// ---------------------------------------------------------------------------
// Rule catalogue.
// ---------------------------------------------------------------------------

#[test]
fn rules_lists_every_spec_rule() {
    let text = stdout_of(Files::new().cmd().arg("rules"), 0);
    let ids: BTreeSet<&str> = text
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for id in SPEC_RULES {
        assert!(
            ids.contains(id),
            "rule {id} missing from `foiguard rules`:\n{text}"
        );
    }
    assert!(text.contains("fix: "), "{text}");
}

#[test]
fn rules_json_parses_and_covers_the_spec() {
    let rules = json_of(Files::new().cmd().args(["rules", "--format", "json"]), 0);
    let list = rules.as_array().expect("array of rules");
    let mut ids = BTreeSet::new();
    for r in list {
        let id = r["id"].as_str().expect("id");
        assert!(ids.insert(id), "duplicate rule {id}");
        let sev = r["severity"].as_str().expect("severity");
        assert!(SEVERITIES.contains(&sev), "{r}");
        assert!(!r["summary"].as_str().expect("summary").is_empty(), "{r}");
        assert!(!r["advice"].as_str().expect("advice").is_empty(), "{r}");
    }
    for id in SPEC_RULES {
        assert!(
            ids.contains(id),
            "rule {id} missing from rules --format json"
        );
    }
    let severity_of = |id: &str| {
        list.iter()
            .find(|r| r["id"] == id)
            .map(|r| r["severity"].clone())
            .expect("rule")
    };
    assert_eq!(severity_of("unscannable"), "critical");
    assert_eq!(severity_of("roster-match"), "critical");
}

#[test]
fn every_rule_a_scan_reports_is_in_the_catalogue() {
    let files = Files::new();
    for (name, bytes) in fixtures::all_fixtures() {
        files.add(&format!("{name}.xlsx"), &bytes);
    }
    let report = json_of(
        files
            .cmd()
            .args(["scan", "--format", "json", "--fail-on", "low"])
            .arg(files.path()),
        1,
    );
    let spec: BTreeSet<&str> = SPEC_RULES.iter().copied().collect();
    let mut seen = BTreeSet::new();
    for f in report["files"].as_array().expect("files") {
        for rule in rules_of(f) {
            assert!(spec.contains(rule.as_str()), "{rule} is not a SPEC rule");
            seen.insert(rule);
        }
    }
    assert!(seen.len() >= 20, "{seen:?}");
}

#[test]
fn unwritable_output_file_exits_2() {
    let files = Files::new();
    let clean = files.add("clean.xlsx", &fixtures::clean_crime_stats());
    files
        .cmd()
        .args(["scan", "-o", "no/such/dir/report.json"])
        .arg(&clean)
        .assert()
        .code(2);
}

#[cfg(unix)]
#[test]
fn symlinked_file_in_a_folder_is_not_skipped() {
    let files = Files::new();
    let outside = tempfile::tempdir().expect("temp dir");
    let target = outside.path().join("roster.xlsx");
    std::fs::write(&target, fixtures::hidden_sheet_roster()).expect("write");
    files.add("release/clean.xlsx", &fixtures::clean_crime_stats());
    let link = files.path().join("release/roster.xlsx");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let report = json_of(
        files
            .cmd()
            .args(["scan", "--format", "json"])
            .arg(files.path().join("release")),
        1,
    );
    assert_eq!(file_entry(&report, &link)["verdict"], "block");
}
