//! The release policy around the scan: `foiguard.toml` (precedence, rule settings,
//! thresholds, allowlists, excludes, errors), `foiguard init`, baselines, and how `--fail-on`,
//! the config and the baseline decide the exit code together.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use common::TempFiles as Dir;
use serde_json::Value;
use std::io::{Cursor, Read, Write};

/// The runs these tests make in a temporary folder.
trait Runs {
    fn scan(&self, args: &[&str], code: i32) -> Value;
    fn usage_error(&self, args: &[&str]) -> String;
}

impl Runs for Dir {
    /// `foiguard scan --format json ARGS...`; checks the exit code and parses the report.
    fn scan(&self, args: &[&str], code: i32) -> Value {
        let out = self
            .cmd()
            .args(["scan", "--format", "json"])
            .args(args)
            .output()
            .expect("run foiguard");
        assert_eq!(
            out.status.code(),
            Some(code),
            "args {args:?}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON report")
    }

    /// Runs a command expected to fail with exit 2; returns its standard error.
    fn usage_error(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run foiguard");
        assert_eq!(
            out.status.code(),
            Some(2),
            "args {args:?}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

fn findings(report: &Value) -> Vec<&Value> {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|f| f["findings"].as_array().expect("findings"))
        .collect()
}

fn of_rule<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    findings(report)
        .into_iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

/// A visible sheet of contacts: some may be published, some may not.
fn contacts_workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Contacts").expect("name");
    for (row, text) in [
        "Media enquiries: Chief Constable Simon Byrne",
        "Email press.office@force.police.uk or pressdesk@force.police.uk",
        "Call 0300 123 4567",
        "Complainant: Mr John Smith, j.smith@gmail.com, 07700 900123",
    ]
    .iter()
    .enumerate()
    {
        ws.write(row as u32, 0, *text).expect("write");
    }
    wb.save_to_buffer().expect("save")
}

// ---------------------------------------------------------------------------------------------
// Config: where it is read from, and what beats what.

#[test]
fn the_config_in_the_working_folder_is_read_and_a_flag_beats_it() {
    let dir = Dir::new();
    // The rank table's worst finding is a medium small-count: it passes by default.
    dir.add("ranks.xlsx", &fixtures::clean_rank_table());
    dir.scan(&["ranks.xlsx"], 0);

    dir.add("foiguard.toml", b"fail_on = \"medium\"\n");
    let report = dir.scan(&["ranks.xlsx"], 1);
    assert_eq!(report["files"][0]["verdict"], "block");
    let out = dir.cmd().args(["scan", "ranks.xlsx"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("policy from foiguard.toml"), "{stderr}");

    // The command line beats the file.
    dir.scan(&["--fail-on", "high", "ranks.xlsx"], 0);
}

#[test]
fn an_explicit_config_replaces_the_one_in_the_working_folder() {
    let dir = Dir::new();
    dir.add("ranks.xlsx", &fixtures::clean_rank_table());
    dir.add("foiguard.toml", b"fail_on = \"medium\"\n");
    dir.add("lenient.toml", b"fail_on = \"critical\"\n");
    dir.scan(&["ranks.xlsx"], 1);
    dir.scan(&["--config", "lenient.toml", "ranks.xlsx"], 0);
    // A missing --config file is a usage error, never "no policy".
    let err = dir.usage_error(&["scan", "--config", "missing.toml", "ranks.xlsx"]);
    assert!(err.contains("missing.toml"), "{err}");
}

#[test]
fn rule_severities_can_be_raised_lowered_or_switched_off() {
    let dir = Dir::new();
    dir.add("ranks.xlsx", &fixtures::clean_rank_table());
    dir.add("raise.toml", b"[rules.small-count]\nseverity = \"high\"\n");
    dir.add("off.toml", b"[rules.\"small-count\"]\nenabled = false\n");

    let report = dir.scan(&["ranks.xlsx"], 0);
    assert_eq!(of_rule(&report, "small-count")[0]["severity"], "medium");

    let report = dir.scan(&["--config", "raise.toml", "ranks.xlsx"], 1);
    assert_eq!(of_rule(&report, "small-count")[0]["severity"], "high");

    let report = dir.scan(
        &["--config", "off.toml", "--fail-on", "low", "ranks.xlsx"],
        0,
    );
    assert!(of_rule(&report, "small-count").is_empty(), "{report:#}");
    assert_eq!(report["summary"]["findings"], 0);
}

#[test]
fn personal_data_in_hidden_content_stays_high_whatever_the_config_says() {
    let dir = Dir::new();
    dir.add("pivot.xlsx", &fixtures::pivot_cache());
    dir.add(
        "low.toml",
        b"[rules.\"pii.person-name\"]\nseverity = \"low\"\n",
    );
    let report = dir.scan(&["--config", "low.toml", "pivot.xlsx"], 1);
    let names = of_rule(&report, "pii.person-name");
    assert!(!names.is_empty(), "{report:#}");
    for f in names {
        let expected = if f["hidden"] == true { "high" } else { "low" };
        assert_eq!(f["severity"], expected, "{f:#}");
    }
}

#[test]
fn small_count_threshold_comes_from_the_flag_then_the_config_then_the_default() {
    let dir = Dir::new();
    dir.add("ranks.xlsx", &fixtures::clean_rank_table());
    let message = |report: &Value| -> String {
        of_rule(report, "small-count")
            .first()
            .map(|f| f["message"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    assert!(message(&dir.scan(&["ranks.xlsx"], 0)).contains("threshold 5"));
    dir.add("foiguard.toml", b"[thresholds]\nsmall_count = 10\n");
    assert!(message(&dir.scan(&["ranks.xlsx"], 0)).contains("threshold 10"));
    let flag = dir.scan(&["--small-count-threshold", "3", "ranks.xlsx"], 0);
    assert!(
        message(&flag).contains("threshold 3") || of_rule(&flag, "small-count").is_empty(),
        "{flag:#}"
    );
    assert!(!message(&flag).contains("threshold 10"));
}

#[test]
fn hidden_rows_below_the_configured_minimum_are_reported_low() {
    let dir = Dir::new();
    dir.add("rows.xlsx", &fixtures::hidden_rows_with_data());
    let report = dir.scan(&["rows.xlsx"], 1);
    assert_eq!(of_rule(&report, "hidden-rows")[0]["severity"], "high");

    dir.add("foiguard.toml", b"[thresholds]\nhidden_rows_min = 6\n");
    let report = dir.scan(&["rows.xlsx"], 1);
    let rows = &of_rule(&report, "hidden-rows")[0];
    assert_eq!(rows["severity"], "low", "{rows:#}");
    assert!(
        rows["message"]
            .as_str()
            .unwrap()
            .contains("hidden_rows_min of 6"),
        "{rows:#}"
    );

    dir.add("foiguard.toml", b"[thresholds]\nhidden_rows_min = 5\n");
    let report = dir.scan(&["rows.xlsx"], 1);
    assert_eq!(of_rule(&report, "hidden-rows")[0]["severity"], "high");
}

// ---------------------------------------------------------------------------------------------
// Allowlists.

#[test]
fn allowed_names_mailboxes_and_identifiers_are_not_reported() {
    let dir = Dir::new();
    dir.add("contacts.xlsx", &contacts_workbook());
    let all = dir.scan(&["--show-evidence", "contacts.xlsx"], 1);
    let evidence = |report: &Value, rule: &str| -> Vec<String> {
        of_rule(report, rule)
            .iter()
            .map(|f| f["evidence"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert!(!of_rule(&all, "pii.police-officer").is_empty(), "{all:#}");
    assert_eq!(
        of_rule(&all, "pii.phone")[0]["message"]
            .as_str()
            .map(|m| m.contains("2 matches")),
        Some(true)
    );
    assert!(!of_rule(&all, "pii.email").is_empty());

    dir.add(
        "foiguard.toml",
        br#"
[allow]
names = ["Simon Byrne"]
mailboxes = ["pressdesk", "j.bloggs@force.police.uk"]
identifiers = ["0300 123 4567"]
"#,
    );
    let allowed = dir.scan(&["--show-evidence", "contacts.xlsx"], 0);
    assert!(
        of_rule(&allowed, "pii.police-officer").is_empty(),
        "{allowed:#}"
    );
    // The complainant is still found: allowing one person allows nobody else.
    assert_eq!(evidence(&allowed, "pii.person-name"), ["Mr John Smith"]);
    assert_eq!(evidence(&allowed, "pii.email"), ["j.smith@gmail.com"]);
    assert_eq!(evidence(&allowed, "pii.phone"), ["07700 900123"]);
    assert!(
        !of_rule(&allowed, "pii.phone")[0]["message"]
            .as_str()
            .unwrap()
            .contains("matches"),
        "one phone number left"
    );
}

#[test]
fn allowed_people_are_left_out_of_rosters() {
    let dir = Dir::new();
    dir.add("contacts.xlsx", &contacts_workbook());
    dir.add(
        "officers.csv",
        b"Surname,Forename,Collar\nBYRNE,Simon,1001\nSMITH,John,2002\n",
    );
    let roster = dir.scan(
        &[
            "--roster",
            "officers.csv",
            "--show-evidence",
            "contacts.xlsx",
        ],
        1,
    );
    let matches = of_rule(&roster, "roster-match");
    assert_eq!(matches.len(), 1, "{roster:#}");
    assert!(
        matches[0]["message"]
            .as_str()
            .unwrap()
            .contains("2 matches"),
        "{roster:#}"
    );

    // Rosters can also come from the config, relative to it.
    dir.add(
        "policy/foiguard.toml",
        b"rosters = [\"../officers.csv\"]\n[allow]\nnames = [\"Simon Byrne\"]\n",
    );
    let allowed = dir.scan(
        &[
            "--config",
            "policy/foiguard.toml",
            "--show-evidence",
            "contacts.xlsx",
        ],
        1,
    );
    let matches = of_rule(&allowed, "roster-match");
    assert_eq!(matches.len(), 1, "{allowed:#}");
    assert!(
        !matches[0]["message"].as_str().unwrap().contains("matches"),
        "{allowed:#}"
    );
    assert!(
        matches[0]["evidence"].as_str().unwrap().contains("Smith"),
        "{allowed:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// Excludes.

#[test]
fn excluded_paths_inside_folders_are_skipped_and_counted() {
    let dir = Dir::new();
    dir.add("release/ranks.xlsx", &fixtures::clean_rank_table());
    let draft = dir.add(
        "release/drafts/staff.xlsx",
        &fixtures::hidden_sheet_roster(),
    );
    dir.add("release/notes.tmp", &fixtures::hidden_sheet_roster());
    dir.scan(&["release"], 1);

    dir.add(
        "foiguard.toml",
        b"[exclude]\npaths = [\"drafts/\", \"*.tmp\"]\n",
    );
    let report = dir.scan(&["release"], 0);
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
    assert_eq!(report["summary"]["excluded"], 2, "{report:#}");

    // A file named on the command line is always scanned.
    let named = dir.scan(&[draft.to_str().unwrap()], 1);
    assert_eq!(named["summary"]["files"], 1);
}

// ---------------------------------------------------------------------------------------------
// Errors and init.

#[test]
fn a_bad_config_is_exit_2_naming_the_line_and_the_key() {
    let dir = Dir::new();
    dir.add("ranks.xlsx", &fixtures::clean_rank_table());
    for (text, line, key) in [
        (
            "fail_on = \"high\"\n[thresholds]\nsmal_count = 3\n",
            "line 3",
            "smal_count",
        ),
        (
            "[thresholds]\nsmall_count = \"five\"\n",
            "line 2",
            "thresholds.small_count",
        ),
        (
            "\n\n[rules.\"pii.postcod\"]\nenabled = false\n",
            "line 3",
            "pii.postcod",
        ),
        (
            "[rules.unscannable]\nseverity = \"low\"\n",
            "line 1",
            "unscannable",
        ),
        ("fail_on = \"never\"\n", "line 1", "fail_on"),
        ("fail_on = [\n", "line 1", "fail_on"),
    ] {
        dir.add("foiguard.toml", text.as_bytes());
        let err = dir.usage_error(&["scan", "ranks.xlsx"]);
        assert!(err.contains("foiguard.toml"), "{text:?}: {err}");
        assert!(err.contains(line), "{text:?}: {err}");
        assert!(err.contains(key), "{text:?}: {err}");
    }
}

#[test]
fn init_writes_a_commented_default_that_scans_like_no_config() {
    let dir = Dir::new();
    dir.add("ranks.xlsx", &fixtures::clean_rank_table());
    dir.add("rows.xlsx", &fixtures::hidden_rows_with_data());
    let without = dir.scan(&["ranks.xlsx", "rows.xlsx"], 1);

    let out = dir.cmd().arg("init").output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("foiguard.toml")).expect("written");
    assert!(
        text.lines().filter(|l| l.starts_with('#')).count() > 20,
        "{text}"
    );
    for section in [
        "[thresholds]",
        "[allow]",
        "[exclude]",
        "fail_on",
        "pii.postcode",
        "[limits]",
        "# max_total_inflated = \"2 GiB\"",
        "# max_compression_ratio = 250",
    ] {
        assert!(text.contains(section), "{section} missing:\n{text}");
    }

    let with = dir.scan(&["ranks.xlsx", "rows.xlsx"], 1);
    let strip = |r: &Value| -> Vec<(String, String)> {
        findings(r)
            .iter()
            .map(|f| (f["rule"].to_string(), f["severity"].to_string()))
            .collect()
    };
    assert_eq!(strip(&without), strip(&with));

    // A second init does not overwrite the file; --force does.
    std::fs::write(dir.path().join("foiguard.toml"), "fail_on = \"low\"\n").unwrap();
    let err = dir.usage_error(&["init"]);
    assert!(err.contains("already exists"), "{err}");
    let out = dir.cmd().args(["init", "--force"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("foiguard.toml")).unwrap();
    assert!(text.contains("fail_on = \"high\""));
}

#[test]
fn limits_in_the_policy_file_apply_and_the_reason_names_the_key() {
    let dir = Dir::new();
    dir.add("ranks.xlsx", &fixtures::clean_rank_table());
    dir.scan(&["ranks.xlsx"], 0);
    dir.add("foiguard.toml", b"[limits]\nmax_part_bytes = \"1 KiB\"\n");
    let report = dir.scan(&["ranks.xlsx"], 1);
    let hits: Vec<&Value> = findings(&report)
        .into_iter()
        .filter(|f| f["rule"] == "unscannable")
        .collect();
    assert!(!hits.is_empty(), "{report:#}");
    for f in hits {
        let message = f["message"].as_str().expect("message");
        assert!(
            message
                .contains("the limit of 1 KiB (limits.max_part_bytes in foiguard.toml raises it)"),
            "{message}"
        );
    }
    // A mistake in [limits] is exit 2, naming the line and the key.
    dir.add("foiguard.toml", b"[limits]\nmax_time = \"soon\"\n");
    let err = dir.usage_error(&["scan", "ranks.xlsx"]);
    assert!(
        err.contains("line 2") && err.contains("limits.max_time"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Baselines.

#[test]
fn a_baseline_accepts_reviewed_findings_and_holds_no_personal_data() {
    let dir = Dir::new();
    dir.add("staff.xlsx", &fixtures::hidden_sheet_roster());
    dir.add("rows.xlsx", &fixtures::hidden_rows_with_data());
    let first = dir.scan(&["--write-baseline", "baseline.json", "."], 1);
    let total = findings(&first).len();
    assert!(total > 3);

    let text = std::fs::read_to_string(dir.path().join("baseline.json")).expect("baseline");
    let baseline: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(baseline["schema"], "foiguard-baseline/1");
    let accepted = baseline["accepted"].as_object().expect("accepted map");
    assert_eq!(accepted.len(), total, "{text}");
    for (fingerprint, rule) in accepted {
        assert!(
            fingerprint.len() == 32 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit()),
            "{fingerprint}"
        );
        assert!(rule.as_str().is_some_and(|r| !r.contains(' ')));
    }
    // Hashes and rule ids only: no names, paths or evidence from the scanned files.
    for leak in ["staff.xlsx", "Sheet2", "Surname", "evidence", "@"] {
        assert!(!text.contains(leak), "baseline holds '{leak}':\n{text}");
    }
    let roster_json = dir.scan(&["--show-evidence", "staff.xlsx"], 1);
    for f in findings(&roster_json) {
        if let Some(e) = f["evidence"].as_str() {
            assert!(!text.contains(e), "baseline holds evidence '{e}'");
        }
    }

    // With the baseline everything is accepted: still reported, no longer blocking.
    let second = dir.scan(&["--baseline", "baseline.json", "."], 0);
    assert_eq!(findings(&second).len(), total);
    assert!(findings(&second).iter().all(|f| f["accepted"] == true));
    assert_eq!(second["summary"]["accepted"], total);
    assert_eq!(second["summary"]["blocked"], 0);

    // A new problem is not in the baseline and blocks.
    dir.add("pivot.xlsx", &fixtures::pivot_cache());
    let third = dir.scan(&["--baseline", "baseline.json", "."], 1);
    for f in findings(&third) {
        assert_eq!(
            f["accepted"] == true,
            f["fingerprint"]
                .as_str()
                .is_some_and(|p| accepted.contains_key(p))
        );
    }
    let blocked: Vec<&Value> = third["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["verdict"] == "block")
        .collect();
    assert_eq!(blocked.len(), 1);
    assert!(blocked[0]["path"].as_str().unwrap().ends_with("pivot.xlsx"));
}

#[test]
fn a_baseline_never_accepts_an_unscannable_file() {
    let dir = Dir::new();
    dir.add("damaged.xlsx", &fixtures::truncated_xlsx());
    dir.add("locked.xlsx", &fixtures::encrypted_ooxml());
    dir.scan(&["--write-baseline", "baseline.json", "."], 1);
    let text = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    let baseline: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(baseline["accepted"].as_object().unwrap().len(), 0, "{text}");

    // Even a hand-made baseline holding their fingerprints does not let them through.
    let report = dir.scan(&["."], 1);
    let fingerprints: Vec<String> = findings(&report)
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect();
    let forged = serde_json::json!({
        "schema": "foiguard-baseline/1",
        "accepted": fingerprints.iter().map(|f| (f.clone(), Value::from("unscannable"))).collect::<serde_json::Map<_, _>>()
    });
    dir.add("forged.json", forged.to_string().as_bytes());
    let report = dir.scan(&["--baseline", "forged.json", "."], 1);
    assert!(findings(&report).iter().all(|f| f["accepted"] == false));
}

#[test]
fn unreadable_files_get_fingerprints_of_their_own() {
    // "password-protected" is the same reason for every encrypted file; the fingerprint must
    // still tell two files apart.
    let dir = Dir::new();
    let encrypted = fixtures::encrypted_ooxml();
    let mut other = encrypted.clone();
    let last = other.len() - 1;
    other[last] ^= 0x55;
    dir.add("a.xlsx", &encrypted);
    dir.add("b.xlsx", &other);
    let report = dir.scan(&["a.xlsx", "b.xlsx"], 1);
    let prints: Vec<&str> = findings(&report)
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), 2, "{report:#}");
    assert_ne!(prints[0], prints[1]);
}

#[test]
fn fail_on_config_and_baseline_decide_the_exit_code_together() {
    let dir = Dir::new();
    dir.add("ranks.xlsx", &fixtures::clean_rank_table());
    // Medium small-count: passes at the default level, blocks at --fail-on medium...
    dir.scan(&["ranks.xlsx"], 0);
    dir.scan(&["--fail-on", "medium", "ranks.xlsx"], 1);
    // ...unless accepted in a baseline, at any level.
    dir.scan(&["--write-baseline", "b.json", "ranks.xlsx"], 0);
    dir.scan(
        &["--fail-on", "low", "--baseline", "b.json", "ranks.xlsx"],
        0,
    );
    // A config that raises the rule to high blocks by default; the baseline still accepts it
    // because the fingerprint names the finding, not its severity.
    dir.add(
        "foiguard.toml",
        b"[rules.small-count]\nseverity = \"high\"\n",
    );
    dir.scan(&["ranks.xlsx"], 1);
    dir.scan(&["--baseline", "b.json", "ranks.xlsx"], 0);
    // A broken baseline is a usage error.
    dir.add(
        "bad.json",
        b"{\"schema\": \"something-else\", \"accepted\": {}}",
    );
    let err = dir.usage_error(&["scan", "--baseline", "bad.json", "ranks.xlsx"]);
    assert!(err.contains("bad.json"), "{err}");
    let err = dir.usage_error(&["scan", "--baseline", "nothing.json", "ranks.xlsx"]);
    assert!(err.contains("nothing.json"), "{err}");
}

#[test]
fn the_json_lines_stream_can_write_a_baseline_too() {
    let dir = Dir::new();
    dir.add("staff.xlsx", &fixtures::hidden_sheet_roster());
    let out = dir
        .cmd()
        .args([
            "scan",
            "--format",
            "jsonl",
            "--write-baseline",
            "b.json",
            "staff.xlsx",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines = String::from_utf8(out.stdout).unwrap();
    let file: Value = serde_json::from_str(lines.trim()).unwrap();
    let n = file["findings"].as_array().unwrap().len();
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("b.json")).unwrap()).unwrap();
    assert_eq!(baseline["accepted"].as_object().unwrap().len(), n);
    let out = dir
        .cmd()
        .args([
            "scan",
            "--format",
            "jsonl",
            "--baseline",
            "b.json",
            "staff.xlsx",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

// ---------------------------------------------------------------------------------------------
// Fingerprints across re-saves.

/// Rewrites a package as another program saving the same content would: entries in another
/// order, stored instead of deflated, new timestamps, new save times in the properties, and
/// the second worksheet's part renumbered (`sheet2.xml` → `sheet9.xml`).
fn resave(bytes: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).expect("entry");
        let name = f.name().expect("name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        parts.push((name, data));
    }
    parts.reverse();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let when = zip::DateTime::from_date_and_time(2026, 11, 28, 9, 30, 0).expect("date");
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(when);
    for (name, data) in parts {
        let renumber = |s: &str| s.replace("worksheets/sheet2.xml", "worksheets/sheet9.xml");
        let name = renumber(&name);
        let data = if name == "xl/_rels/workbook.xml.rels" || name == "[Content_Types].xml" {
            renumber(&String::from_utf8(data).expect("XML")).into_bytes()
        } else if name == "docProps/core.xml" {
            let text = String::from_utf8(data).expect("core.xml");
            let start = text.find("<dcterms:modified").expect("modified");
            let end = text[start..].find("</dcterms:modified>").expect("end") + start;
            let open_end = text[start..end].find('>').expect(">") + start + 1;
            format!("{}2031-01-02T03:04:05Z{}", &text[..open_end], &text[end..]).into_bytes()
        } else {
            data
        };
        out.start_file(name, options).expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

fn fingerprints(dir: &Dir, file: &str) -> Vec<(String, String)> {
    let report = dir.scan(&[file], 1);
    let mut out: Vec<(String, String)> = findings(&report)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn fingerprints_survive_a_resave_and_change_with_the_content() {
    let dir = Dir::new();
    let original = fixtures::hidden_sheet_roster();
    let resaved = resave(&original);
    assert!(
        fixtures::Pkg::open(&resaved).has("xl/worksheets/sheet9.xml")
            && !fixtures::Pkg::open(&resaved).has("xl/worksheets/sheet2.xml")
    );
    dir.add("original.xlsx", &original);
    dir.add("resaved.xlsx", &resaved);
    let before = fingerprints(&dir, "original.xlsx");
    assert!(before.len() > 3, "{before:?}");
    assert_eq!(before, fingerprints(&dir, "resaved.xlsx"));

    // One changed name in the hidden sheet: the hidden-sheet finding is new, findings about
    // other columns keep theirs.
    let mut pkg = fixtures::Pkg::open(&original);
    let strings = pkg.text("xl/sharedStrings.xml");
    let name = ["SMITH", "JONES", "TAYLOR", "BROWN", "PATEL", "KHAN"]
        .into_iter()
        .find(|n| strings.contains(&format!(">{n}<")))
        .expect("a roster surname in the shared strings");
    pkg.replace("xl/sharedStrings.xml", &format!(">{name}<"), ">Zyxwvu<");
    dir.add("edited.xlsx", &pkg.finish());
    let after = fingerprints(&dir, "edited.xlsx");
    let print = |v: &[(String, String)], rule: &str| {
        v.iter().find(|(r, _)| r == rule).map(|(_, p)| p.clone())
    };
    assert_ne!(
        print(&before, "hidden-sheet"),
        print(&after, "hidden-sheet")
    );
    let kept = before.iter().filter(|f| after.contains(f)).count();
    assert!(kept > 0 && kept < before.len(), "{before:?}\n{after:?}");
}

#[test]
fn document_property_fingerprints_ignore_the_save_time() {
    let dir = Dir::new();
    let props = fixtures::document_metadata();
    dir.add("props.xlsx", &props);
    dir.add("props-resaved.xlsx", &resave(&props));
    let before = fingerprints(&dir, "props.xlsx");
    assert!(
        before.iter().any(|(r, _)| r == "document-metadata"),
        "{before:?}"
    );
    assert_eq!(before, fingerprints(&dir, "props-resaved.xlsx"));

    // A different author is different content.
    let mut pkg = fixtures::Pkg::open(&props);
    let core = pkg.text("docProps/core.xml");
    let creator = core
        .split("<dc:creator>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("creator")
        .to_string();
    pkg.replace(
        "docProps/core.xml",
        &format!("<dc:creator>{creator}<"),
        "<dc:creator>Somebody Else<",
    );
    dir.add("props-edited.xlsx", &pkg.finish());
    assert_ne!(before, fingerprints(&dir, "props-edited.xlsx"));
}

// ---------------------------------------------------------------------------------------------
// Advice.

#[test]
fn advice_says_how_to_remove_the_copy_where_it_sits() {
    let dir = Dir::new();
    dir.add("pivot.xlsx", &fixtures::pivot_cache());
    dir.add("rows.xlsx", &fixtures::hidden_rows_with_data());
    let report = dir.scan(&["."], 1);
    let all = findings(&report);
    assert!(
        all.iter()
            .all(|f| f["advice"].as_str().is_some_and(|a| a.len() > 20))
    );
    let names = of_rule(&report, "pii.person-name");
    let advice = |f: &Value| f["advice"].as_str().unwrap().to_string();
    let in_cache: Vec<String> = names
        .iter()
        .filter(|f| f["hidden"] == true)
        .map(|f| advice(f))
        .collect();
    let visible: Vec<String> = names
        .iter()
        .filter(|f| f["hidden"] == false)
        .map(|f| advice(f))
        .collect();
    assert!(!in_cache.is_empty() && !visible.is_empty(), "{report:#}");
    assert!(
        in_cache.iter().all(|a| a.contains("pivot cache")),
        "{in_cache:?}"
    );
    assert!(
        visible
            .iter()
            .all(|a| !a.contains("pivot cache") && a.contains("[allow]")),
        "{visible:?}"
    );
    let phones = of_rule(&report, "pii.phone");
    assert!(!phones.is_empty());
    assert!(
        phones
            .iter()
            .all(|f| advice(f).contains("export only the visible cells")),
        "{phones:?}"
    );
}

#[test]
fn sarif_reports_baselined_findings_as_accepted_suppressions() {
    let dir = Dir::new();
    dir.add("staff.xlsx", &fixtures::hidden_sheet_roster());
    dir.scan(&["--write-baseline", "b.json", "staff.xlsx"], 1);
    let out = dir
        .cmd()
        .args([
            "scan",
            "--format",
            "sarif",
            "--baseline",
            "b.json",
            "staff.xlsx",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert_eq!(r["suppressions"][0]["status"], "accepted", "{r:#}");
    }
}

#[test]
fn inspect_gives_its_verdict_under_the_same_policy_as_scan() {
    let dir = Dir::new();
    dir.add("ranks.xlsx", &fixtures::clean_rank_table());
    dir.add("contacts.xlsx", &contacts_workbook());
    dir.add("officers.csv", b"Surname,Forename\nSMITH,John\n");
    let inspect = |args: &[&str], code: i32| -> String {
        let out = dir.cmd().arg("inspect").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(inspect(&["ranks.xlsx"], 0).contains("blocks at high or above"));
    dir.add("strict.toml", b"fail_on = \"medium\"\n");
    let view = inspect(&["--config", "strict.toml", "ranks.xlsx"], 1);
    assert!(view.contains("blocks at medium or above"), "{view}");
    // Rosters apply too: the reviewer sees the roster match in clear.
    assert!(!inspect(&["contacts.xlsx"], 1).contains("roster-match"));
    let view = inspect(&["--roster", "officers.csv", "contacts.xlsx"], 1);
    assert!(
        view.contains("roster-match") && view.contains("John Smith"),
        "{view}"
    );
}
