//! `scan --format sarif`: the log is valid against the official SARIF 2.1.0 schema (vendored
//! in tests/data, validated offline), carries one result per finding with the whole rule
//! catalogue, points dashboards at the scanned files and never shows more evidence than the
//! JSON report does.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use common::TempFiles as Files;
use foiguard::detect::Engine;
use foiguard::report::{Run, Summary, sarif};
use foiguard::rules::RULES;
use foiguard::{FileReport, Limits, ScanOptions, Severity};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------

/// The `language` pattern of the published 2.1.0 schema (on `run` and `toolComponent`) has a
/// stray `]` (OASIS sarif-spec issues 488/576, PRs 490/562). ECMAScript reads it as a literal
/// `]`, but `jsonschema` checks every `pattern` against the draft-07 meta-schema with a strict
/// parser and refuses to compile the schema. Escaping that `]` keeps the meaning exactly;
/// foiguard writes no `language` anyway. The vendored file itself stays untouched.
const SCHEMA_LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
const SCHEMA_LANGUAGE_PATTERN_ESCAPED: &str = r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$";

/// Replaces every `"pattern": SCHEMA_LANGUAGE_PATTERN` and counts them.
fn repair_language_patterns(v: &mut Value) -> usize {
    match v {
        Value::Object(map) => map
            .iter_mut()
            .map(|(k, v)| {
                if k == "pattern" && v == SCHEMA_LANGUAGE_PATTERN {
                    *v = json!(SCHEMA_LANGUAGE_PATTERN_ESCAPED);
                    1
                } else {
                    repair_language_patterns(v)
                }
            })
            .sum(),
        Value::Array(items) => items.iter_mut().map(repair_language_patterns).sum(),
        _ => 0,
    }
}

/// The official SARIF 2.1.0 schema (tests/data), compiled once, offline, with format checks
/// on (`uri`, `uri-reference`), so a path that is not a valid URI reference fails.
fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let mut schema: Value =
            serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json"))
                .expect("vendored schema is JSON");
        assert_eq!(
            schema["$id"],
            "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
        );
        assert_eq!(
            repair_language_patterns(&mut schema),
            2,
            "the vendored schema changed: revisit the pattern repair"
        );
        jsonschema::draft7::options()
            .offline()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the SARIF schema compiles offline")
    })
}

fn schema_errors(log: &Value) -> Vec<String> {
    validator()
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn assert_schema_valid(log: &Value) {
    let errors = schema_errors(log);
    assert!(
        errors.is_empty(),
        "SARIF log is not schema-valid:\n{}\n{log:#}",
        errors.join("\n")
    );
}

/// The runs these tests make in a temporary folder.
trait Runs {
    fn put<'a>(&self, name: &'a str, bytes: &[u8]) -> &'a str;
    fn scan(&self, args: &[&str], code: i32) -> Value;
    fn sarif(&self, paths: &[&str], extra: &[&str], code: i32) -> Value;
    fn json(&self, paths: &[&str], extra: &[&str], code: i32) -> Value;
}

impl Runs for Files {
    /// Writes a fixture and returns its relative path, as passed to `foiguard`.
    fn put<'a>(&self, name: &'a str, bytes: &[u8]) -> &'a str {
        self.add(name, bytes);
        name
    }

    /// Runs `foiguard scan ARGS`, checks the exit code and parses standard output.
    fn scan(&self, args: &[&str], code: i32) -> Value {
        let out = self.cmd().arg("scan").args(args).output().expect("run");
        assert_eq!(
            out.status.code(),
            Some(code),
            "foiguard scan {args:?}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(&out.stdout)))
    }

    fn sarif(&self, paths: &[&str], extra: &[&str], code: i32) -> Value {
        let mut args = vec!["--format", "sarif"];
        args.extend_from_slice(extra);
        args.extend_from_slice(paths);
        let log = self.scan(&args, code);
        assert_schema_valid(&log);
        log
    }

    fn json(&self, paths: &[&str], extra: &[&str], code: i32) -> Value {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        args.extend_from_slice(paths);
        self.scan(&args, code)
    }
}

fn run0(log: &Value) -> &Value {
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "one run per log");
    &runs[0]
}

fn results(log: &Value) -> &Vec<Value> {
    run0(log)["results"].as_array().expect("results array")
}

fn uri_of(result: &Value) -> &str {
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .expect("artifact uri")
}

fn results_for<'a>(log: &'a Value, uri: &str) -> Vec<&'a Value> {
    results(log).iter().filter(|r| uri_of(r) == uri).collect()
}

fn artifact<'a>(log: &'a Value, uri: &str) -> &'a Value {
    run0(log)["artifacts"]
        .as_array()
        .expect("artifacts")
        .iter()
        .find(|a| a["location"]["uri"] == uri)
        .unwrap_or_else(|| panic!("no artifact {uri}:\n{log:#}"))
}

fn json_file<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in JSON report"))
}

fn level_for(severity: &str) -> &'static str {
    match severity {
        "critical" | "high" => "error",
        "medium" => "warning",
        "low" | "info" => "note",
        other => panic!("unknown severity {other}"),
    }
}

// ---------------------------------------------------------------------------
// The validator itself.
// ---------------------------------------------------------------------------

#[test]
fn schema_validator_rejects_broken_logs() {
    let files = Files::new();
    let roster = files.put("roster.xlsx", &fixtures::hidden_sheet_roster());
    let log = files.sarif(&[roster], &[], 1);
    assert!(!results(&log).is_empty());

    let mut bad_level = log.clone();
    bad_level["runs"][0]["results"][0]["level"] = json!("fatal");
    assert!(
        !schema_errors(&bad_level).is_empty(),
        "a result level outside none/note/warning/error must be rejected"
    );

    let mut no_version = log.clone();
    no_version
        .as_object_mut()
        .expect("object")
        .remove("version");
    assert!(
        !schema_errors(&no_version).is_empty(),
        "version is required"
    );

    let mut raw_space = log.clone();
    raw_space["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        json!("my roster.xlsx");
    assert!(
        !schema_errors(&raw_space).is_empty(),
        "uri-reference formats are checked, so a raw space is rejected"
    );
}

// ---------------------------------------------------------------------------
// Results against the JSON report.
// ---------------------------------------------------------------------------

#[test]
fn one_result_per_finding_in_report_order() {
    let files = Files::new();
    let paths = [
        files.put("roster.xlsx", &fixtures::hidden_sheet_roster()),
        files.put("clean.xlsx", &fixtures::clean_crime_stats()),
        files.put("damaged.xlsx", &fixtures::truncated_xlsx()),
        files.put("notes.xlsx", &fixtures::legacy_note()),
        files.put("embedded.xlsx", &fixtures::embedded_workbook()),
    ];
    let log = files.sarif(&paths, &[], 1);
    let report = files.json(&paths, &[], 1);

    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = run0(&log);
    assert_eq!(run["tool"]["driver"]["name"], "foiguard");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);

    let total = report["summary"]["findings"].as_u64().expect("count");
    assert!(total > 0);
    assert_eq!(results(&log).len() as u64, total);
    for key in ["files", "blocked", "passed", "findings", "accepted"] {
        assert_eq!(
            run["properties"]["foiguard/summary"][key], report["summary"][key],
            "summary {key}"
        );
    }

    for path in paths {
        let findings = json_file(&report, path)["findings"]
            .as_array()
            .expect("findings");
        let got = results_for(&log, path);
        assert_eq!(got.len(), findings.len(), "results for {path}");
        for (r, f) in got.iter().zip(findings) {
            assert_eq!(r["ruleId"], f["rule"]);
            assert_eq!(r["partialFingerprints"]["foiguard/v1"], f["fingerprint"]);
            assert_eq!(r["properties"]["foiguard/severity"], f["severity"]);
            let severity = f["severity"].as_str().expect("severity");
            assert_eq!(r["level"], level_for(severity));
            assert!(r["properties"]["security-severity"].is_string());
            assert!(r.get("suppressions").is_none(), "nothing is accepted here");
        }
    }
    assert!(results_for(&log, "clean.xlsx").is_empty());
}

#[test]
fn the_whole_sample_corpus_is_schema_valid_with_one_result_per_finding() {
    let files = Files::new();
    let corpus = fixtures::corpus();
    for (name, bytes) in &corpus {
        files.put(&format!("corpus/{name}"), bytes);
    }
    let log = files.sarif(&["corpus"], &[], 1);
    let report = files.json(&["corpus"], &[], 1);
    assert_eq!(
        run0(&log)["artifacts"].as_array().expect("artifacts").len(),
        corpus.len()
    );
    assert_eq!(
        results(&log).len() as u64,
        report["summary"]["findings"].as_u64().expect("count")
    );
}

#[test]
fn every_rule_is_described_and_results_point_at_their_rule() {
    let files = Files::new();
    let paths = [
        files.put("roster.xlsx", &fixtures::hidden_sheet_roster()),
        files.put("notes.xlsx", &fixtures::legacy_note()),
        files.put("damaged.xlsx", &fixtures::truncated_xlsx()),
    ];
    let log = files.sarif(&paths, &[], 1);
    let rules = run0(&log)["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert_eq!(rules.len(), RULES.len());
    let scores = BTreeMap::from([
        ("critical", "9.5"),
        ("high", "8.0"),
        ("medium", "5.5"),
        ("low", "3.0"),
        ("info", "1.0"),
    ]);
    for (d, rule) in rules.iter().zip(RULES) {
        let severity = rule.severity.as_str();
        assert_eq!(d["id"], rule.id);
        assert!(d["name"].as_str().is_some_and(|n| !n.is_empty()));
        assert_eq!(d["shortDescription"]["text"], rule.summary);
        assert!(
            d["fullDescription"]["text"]
                .as_str()
                .is_some_and(|t| t.starts_with(rule.summary))
        );
        assert_eq!(d["help"]["text"], rule.advice);
        assert!(
            d["help"]["markdown"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        assert_eq!(d["defaultConfiguration"]["level"], level_for(severity));
        assert_eq!(d["properties"]["foiguard/severity"], severity);
        assert_eq!(d["properties"]["security-severity"], scores[severity]);
    }
    for r in results(&log) {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"], "ruleIndex of {r:#}");
    }
}

// ---------------------------------------------------------------------------
// Locations.
// ---------------------------------------------------------------------------

#[test]
fn artifacts_carry_the_scanned_path_verdict_and_hash() {
    let files = Files::new();
    let roster = files.put("release/roster.xlsx", &fixtures::hidden_sheet_roster());
    let clean = files.put("release/clean.xlsx", &fixtures::clean_crime_stats());
    let log = files.sarif(&[roster, clean], &[], 1);
    let report = files.json(&[roster, clean], &[], 1);

    for path in [roster, clean] {
        let a = artifact(&log, path);
        let f = json_file(&report, path);
        assert_eq!(a["properties"]["verdict"], f["verdict"]);
        assert_eq!(a["properties"]["format"], f["format"]);
        assert_eq!(a["length"], f["bytes"]);
        assert_eq!(a["hashes"]["sha-256"], f["sha256"]);
    }
    assert_eq!(artifact(&log, roster)["properties"]["verdict"], "block");
    assert_eq!(artifact(&log, clean)["properties"]["verdict"], "pass");
    let artifacts = run0(&log)["artifacts"].as_array().expect("artifacts");
    for r in results(&log) {
        assert_eq!(uri_of(r), roster);
        let index = r["locations"][0]["physicalLocation"]["artifactLocation"]["index"]
            .as_u64()
            .expect("artifact index") as usize;
        assert_eq!(artifacts[index]["location"]["uri"], roster);
    }
}

#[cfg(unix)]
#[test]
fn absolute_paths_become_file_uris() {
    let files = Files::new();
    files.put("roster.xlsx", &fixtures::hidden_sheet_roster());
    let absolute = files.path().join("roster.xlsx");
    let absolute = absolute.to_str().expect("UTF-8 temp path");
    assert!(
        absolute
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b)),
        "temp path needs no escaping: {absolute}"
    );
    let log = files.sarif(&[absolute], &[], 1);
    let uri = format!("file://{absolute}");
    assert_eq!(artifact(&log, &uri)["properties"]["verdict"], "block");
    assert!(results(&log).iter().all(|r| uri_of(r) == uri));
}

#[test]
fn path_with_a_space_is_a_valid_uri_reference() {
    let files = Files::new();
    let path = files.put("FOI 2023 #12 roster.xlsx", &fixtures::hidden_sheet_roster());
    // Schema-valid with uri-reference format checks (see `validator`).
    let log = files.sarif(&[path], &[], 1);
    let uri = "FOI%202023%20%2312%20roster.xlsx";
    assert_eq!(artifact(&log, uri)["properties"]["verdict"], "block");
    assert!(!results(&log).is_empty());
    assert!(results(&log).iter().all(|r| uri_of(r) == uri));
}

#[test]
fn sheet_and_cell_are_in_the_message_properties_and_logical_location() {
    let files = Files::new();
    let notes = files.put("notes.xlsx", &fixtures::legacy_note());
    let roster = files.put("roster.xlsx", &fixtures::hidden_sheet_roster());
    let log = files.sarif(&[notes, roster], &[], 1);

    // A note on B4 of sheet 'Crime by ward' holding a date of birth.
    let dob = results_for(&log, notes)
        .into_iter()
        .find(|r| r["ruleId"] == "pii.date-of-birth")
        .expect("date-of-birth result");
    let text = dob["message"]["text"].as_str().expect("message");
    assert!(text.contains("at 'Crime by ward'!B4"), "{text}");
    assert_eq!(dob["properties"]["foiguard/sheet"], "Crime by ward");
    assert_eq!(dob["properties"]["foiguard/cell"], "B4");
    assert_eq!(dob["properties"]["foiguard/part"], "xl/comments1.xml");
    let logical = &dob["locations"][0]["logicalLocations"][0];
    assert_eq!(logical["fullyQualifiedName"], "'Crime by ward'!B4");
    assert_eq!(logical["kind"], "element");

    // The hidden sheet, as a range.
    let report = files.json(&[roster], &[], 1);
    let finding = json_file(&report, roster)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "hidden-sheet")
        .expect("hidden-sheet finding");
    let range = finding["location"]["range"].as_str().expect("range");
    let hidden = results_for(&log, roster)
        .into_iter()
        .find(|r| r["ruleId"] == "hidden-sheet")
        .expect("hidden-sheet result");
    let text = hidden["message"]["text"].as_str().expect("message");
    assert!(text.contains(&format!("at Sheet2!{range}")), "{text}");
    assert_eq!(hidden["properties"]["foiguard/sheet"], "Sheet2");
    assert_eq!(hidden["properties"]["foiguard/range"], range);
    assert_eq!(hidden["properties"]["foiguard/hidden"], true);

    // No line numbers exist in a workbook, so no region is invented.
    for r in results(&log) {
        assert!(
            r["locations"][0]["physicalLocation"]
                .get("region")
                .is_none(),
            "{r:#}"
        );
    }
}

#[test]
fn embedded_findings_name_their_container() {
    let files = Files::new();
    let path = files.put("embedded.xlsx", &fixtures::embedded_workbook());
    let log = files.sarif(&[path], &[], 1);
    let inner = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "hidden-sheet")
        .expect("hidden sheet inside the embedded workbook");
    let container = inner["properties"]["foiguard/container"]
        .as_array()
        .expect("container chain");
    assert!(!container.is_empty());
    let first = container[0].as_str().expect("name");
    let text = inner["message"]["text"].as_str().expect("message");
    assert!(text.contains(&format!("{first} > Sheet2!")), "{text}");
    let fqn = inner["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
        .as_str()
        .expect("fqn");
    assert!(fqn.starts_with(&format!("{first} > Sheet2!")), "{fqn}");
    // The physical location stays the file that was scanned.
    assert_eq!(uri_of(inner), path);
}

// ---------------------------------------------------------------------------
// Evidence.
// ---------------------------------------------------------------------------

/// (fingerprint, evidence) of every finding with evidence, from a JSON report.
fn evidence_of(report: &Value) -> Vec<(String, String)> {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|f| f["findings"].as_array().expect("findings"))
        .filter_map(|f| {
            Some((
                f["fingerprint"].as_str()?.to_string(),
                f["evidence"].as_str()?.to_string(),
            ))
        })
        .collect()
}

fn sarif_evidence(log: &Value) -> Vec<(String, String)> {
    results(log)
        .iter()
        .filter_map(|r| {
            Some((
                r["partialFingerprints"]["foiguard/v1"]
                    .as_str()?
                    .to_string(),
                r["properties"]["foiguard/evidence"].as_str()?.to_string(),
            ))
        })
        .collect()
}

#[test]
fn evidence_is_masked_unless_show_evidence() {
    let files = Files::new();
    let paths = [
        files.put("notes.xlsx", &fixtures::legacy_note()),
        files.put("roster.xlsx", &fixtures::hidden_sheet_roster()),
    ];
    let masked_log = files.sarif(&paths, &[], 1);
    let clear_log = files.sarif(&paths, &["--show-evidence"], 1);
    let masked = evidence_of(&files.json(&paths, &[], 1));
    let clear = evidence_of(&files.json(&paths, &["--show-evidence"], 1));
    assert!(!masked.is_empty());

    // Exactly the JSON report's evidence, no more, in both modes.
    assert_eq!(sarif_evidence(&masked_log), masked);
    assert_eq!(sarif_evidence(&clear_log), clear);
    assert_eq!(
        run0(&masked_log)["properties"]["foiguard/evidenceShown"],
        false
    );
    assert_eq!(
        run0(&clear_log)["properties"]["foiguard/evidenceShown"],
        true
    );

    // No clear value appears in any result of the default log (the rule catalogue is left
    // out: its advice says "Inspect Document", which holds the rank "Insp").
    let text = serde_json::to_string(results(&masked_log)).expect("text");
    let leaked: Vec<&String> = clear
        .iter()
        .zip(&masked)
        .filter(|((_, c), (_, m))| c != m)
        .map(|((_, c), _)| c)
        .filter(|c| text.contains(c.as_str()))
        .collect();
    assert!(
        clear.iter().zip(&masked).any(|((_, c), (_, m))| c != m),
        "the fixtures hold evidence that masking changes"
    );
    assert!(
        leaked.is_empty(),
        "clear evidence in the masked log: {leaked:?}"
    );

    // Findings without evidence get no evidence property.
    for r in results(&masked_log) {
        if r["ruleId"] == "hidden-sheet" {
            assert!(r["properties"].get("foiguard/evidence").is_none());
        }
    }
}

// ---------------------------------------------------------------------------
// Unscannable files, output file and exit codes.
// ---------------------------------------------------------------------------

#[test]
fn unscannable_files_still_produce_a_result() {
    let files = Files::new();
    let damaged = files.put("damaged.xlsx", &fixtures::truncated_xlsx());
    let log = files.sarif(&[damaged], &[], 1);
    let report = files.json(&[damaged], &[], 1);
    let got = results_for(&log, damaged);
    let whole = got
        .iter()
        .find(|r| {
            r["ruleId"] == "unscannable" && r["properties"].get("foiguard/container").is_none()
        })
        .expect("whole-file unscannable result");
    assert_eq!(whole["level"], "error");
    let text = whole["message"]["text"].as_str().expect("message");
    assert!(text.ends_with("(whole file)"), "{text}");
    assert!(whole["locations"][0].get("logicalLocations").is_none());
    let a = artifact(&log, damaged);
    assert_eq!(a["properties"]["verdict"], "block");
    assert_eq!(
        a["properties"]["error"],
        json_file(&report, damaged)["error"]
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_has_a_result_and_no_invented_hash() {
    let files = Files::new();
    std::fs::create_dir(files.path().join("release")).expect("mkdir");
    std::os::unix::fs::symlink("gone.xlsx", files.path().join("release/link.xlsx"))
        .expect("symlink");
    let log = files.sarif(&["release"], &[], 1);
    let uri = "release/link.xlsx";
    let got = results_for(&log, uri);
    assert_eq!(got.len(), 1, "{log:#}");
    assert_eq!(got[0]["ruleId"], "unscannable");
    let a = artifact(&log, uri);
    assert!(
        a.get("hashes").is_none() && a.get("length").is_none(),
        "{a:#}"
    );
    assert!(a["properties"]["error"].is_string());
}

#[test]
fn output_option_writes_the_log_to_a_file() {
    let files = Files::new();
    let roster = files.put("in/roster.xlsx", &fixtures::hidden_sheet_roster());
    let out = files
        .cmd()
        .args(["scan", "--format", "sarif", "-o", "out.sarif", roster])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on stdout with -o");
    let text = std::fs::read_to_string(files.path().join("out.sarif")).expect("out.sarif");
    let log: Value = serde_json::from_str(&text).expect("JSON");
    assert_schema_valid(&log);
    assert!(!results(&log).is_empty());
    assert_eq!(artifact(&log, roster)["properties"]["verdict"], "block");
}

#[test]
fn exit_codes_are_unchanged() {
    let files = Files::new();
    let clean = files.put("clean.xlsx", &fixtures::clean_crime_stats());
    let roster = files.put("roster.xlsx", &fixtures::hidden_sheet_roster());
    let log = files.sarif(&[clean], &[], 0);
    assert!(results(&log).is_empty());
    assert_eq!(artifact(&log, clean)["properties"]["verdict"], "pass");
    assert_eq!(run0(&log)["invocations"][0]["executionSuccessful"], true);
    files.sarif(&[roster], &[], 1);
    // Below --fail-on the findings are still reported, and nothing blocks.
    let log = files.sarif(&[roster], &["--fail-on", "critical"], 0);
    assert!(!results(&log).is_empty());
    assert_eq!(run0(&log)["properties"]["foiguard/failOn"], "critical");
}

// ---------------------------------------------------------------------------
// The writer on reports built directly (accepted findings, lines, bare errors).
// ---------------------------------------------------------------------------

fn scanned(name: &str, bytes: &[u8]) -> FileReport {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    let limits = Limits::default();
    let engine = Engine::new();
    let policy = foiguard::policy::Policy::new(Severity::High);
    let opts = ScanOptions::new(&limits, &engine, &policy);
    foiguard::scan_file(&path, name, &opts)
}

fn write_log(reports: &[FileReport]) -> Value {
    let summary = Summary::of(reports, 0);
    let run = Run {
        summary: &summary,
        reports,
        fail_on: Severity::High,
        evidence_shown: false,
    };
    let mut out = Vec::new();
    sarif::write(&mut out, &run).expect("write");
    let log: Value = serde_json::from_slice(&out).expect("JSON");
    assert_schema_valid(&log);
    log
}

#[test]
fn accepted_findings_are_external_suppressions() {
    let mut report = scanned("roster.xlsx", &fixtures::hidden_sheet_roster());
    assert!(report.findings.len() >= 2);
    report.findings[0].accepted = true;
    let log = write_log(&[report]);
    let got = results(&log);
    assert_eq!(
        got[0]["suppressions"],
        json!([{
            "kind": "external",
            "status": "accepted",
            "justification": "accepted in the foiguard baseline"
        }])
    );
    assert!(got[0].get("baselineState").is_none());
    assert!(got[1..].iter().all(|r| r.get("suppressions").is_none()));
    assert_eq!(run0(&log)["properties"]["foiguard/summary"]["accepted"], 1);
}

#[test]
fn a_line_becomes_a_region_and_nothing_else_does() {
    let mut report = scanned("roster.xlsx", &fixtures::hidden_sheet_roster());
    report.findings[0].location.line = Some(12);
    let log = write_log(&[report]);
    let got = results(&log);
    assert_eq!(
        got[0]["locations"][0]["physicalLocation"]["region"],
        json!({"startLine": 12})
    );
    assert_eq!(got[0]["properties"]["foiguard/line"], 12);
    assert!(got[1..].iter().all(|r| {
        r["locations"][0]["physicalLocation"]
            .get("region")
            .is_none()
    }));
}

#[test]
fn an_error_without_a_finding_still_gets_a_result() {
    let mut report = scanned("damaged.xlsx", &fixtures::truncated_xlsx());
    assert!(report.error.is_some());
    report.findings.clear();
    let log = write_log(&[report]);
    let got = results(&log);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["ruleId"], "unscannable");
    assert_eq!(got[0]["level"], "error");
}
