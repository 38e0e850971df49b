//! Reports never leak. Whatever personal data foiguard finds in the sample corpus (every
//! sample, every format), no report shows it in clear unless `--show-evidence` is given: not
//! the human report, JSON, JSONL, SARIF, HTML, nor `inspect` outside its own warned view.
//!
//! The test learns what to look for from foiguard itself: a scan with `--show-evidence`
//! gives every matched value in clear (names, identifiers, roster entries), and a roster of
//! the corpus's made-up people adds `roster-match` evidence. Each of those values must then be
//! absent from every masked report.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A roster of people who appear in the corpus samples (made up), so roster matching runs.
const ROSTER: &str =
    "surname,forename\nSMITH,John\nPATEL,Raj\nJONES,Mary\nBROWN,Mary\nBLOGGS,Jane\n";

fn foiguard(args: &[&str], roster: &Path) -> Vec<u8> {
    let out = Command::cargo_bin("foiguard")
        .expect("binary")
        .current_dir(root())
        .args(args)
        .arg("--roster")
        .arg(roster)
        .output()
        .expect("runs");
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Rules whose evidence is personal data (the others' evidence is structure: a file path
/// of the package, a sheet name).
fn personal(rule: &str) -> bool {
    foiguard::rules::is_personal_data_rule(rule) && rule != "small-count"
}

/// Values a masked report must not contain: clear evidence of personal-data findings, long
/// enough not to be a common word or number, and not part of a file name of the corpus.
fn secrets(clear_json: &[u8]) -> BTreeSet<String> {
    let json: Value = serde_json::from_slice(clear_json).expect("json");
    let mut out = BTreeSet::new();
    for file in json["files"].as_array().expect("files") {
        for f in file["findings"].as_array().expect("findings") {
            let (Some(rule), Some(evidence)) = (f["rule"].as_str(), f["evidence"].as_str()) else {
                continue;
            };
            if !personal(rule) {
                continue;
            }
            for value in evidence.split("; ") {
                let v = value.trim();
                if v.chars().filter(|c| c.is_alphanumeric()).count() >= 6
                    && !file["path"].as_str().unwrap_or_default().contains(v)
                {
                    out.insert(v.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn no_report_format_shows_personal_data_in_clear() {
    let dir = tempfile::tempdir().expect("temp dir");
    let roster = dir.path().join("roster.csv");
    std::fs::write(&roster, ROSTER).expect("roster");
    let clear = foiguard(
        &["scan", "--format", "json", "--show-evidence", "corpus/"],
        &roster,
    );
    let secrets = secrets(&clear);
    assert!(
        secrets.len() >= 20,
        "the corpus should give plenty of personal data to look for: {secrets:?}"
    );
    // The clear scan does show them: the check below can fail.
    let clear_text = String::from_utf8_lossy(&clear);
    assert!(secrets.iter().all(|s| clear_text.contains(s.as_str())));

    for format in ["human", "json", "jsonl", "sarif", "html"] {
        let out = foiguard(&["scan", "--format", format, "corpus/"], &roster);
        let text = String::from_utf8_lossy(&out);
        let leaked: Vec<&String> = secrets
            .iter()
            .filter(|s| text.contains(s.as_str()))
            .collect();
        assert!(
            leaked.is_empty(),
            "--format {format} shows in clear: {leaked:?}"
        );
    }
}

#[test]
fn a_masked_report_of_each_sample_alone_leaks_nothing_either() {
    // File by file, so a sample whose own findings are few is still checked on its own.
    let dir = tempfile::tempdir().expect("temp dir");
    let roster = dir.path().join("roster.csv");
    std::fs::write(&roster, ROSTER).expect("roster");
    let mut samples: Vec<String> = std::fs::read_dir(root().join("corpus"))
        .expect("corpus")
        .flatten()
        .map(|e| format!("corpus/{}", e.file_name().to_string_lossy()))
        .collect();
    samples.sort();
    let mut checked = 0;
    for sample in &samples {
        let clear = foiguard(
            &["scan", "--format", "json", "--show-evidence", sample],
            &roster,
        );
        let secrets = secrets(&clear);
        if secrets.is_empty() {
            continue;
        }
        checked += 1;
        for format in ["human", "sarif", "html"] {
            let out = foiguard(&["scan", "--format", format, sample], &roster);
            let text = String::from_utf8_lossy(&out);
            let leaked: Vec<&String> = secrets
                .iter()
                .filter(|s| text.contains(s.as_str()))
                .collect();
            assert!(
                leaked.is_empty(),
                "{sample} --format {format} shows in clear: {leaked:?}"
            );
        }
    }
    assert!(
        checked >= 10,
        "only {checked} samples carried personal data"
    );
}

#[test]
fn inspect_shows_personal_data_only_under_its_warning() {
    // `inspect` is the authorised reviewer's view: it shows everything in clear, so every
    // view that holds personal data must open and close with the warning, and say it on
    // stderr too.
    let dir = tempfile::tempdir().expect("temp dir");
    let roster = dir.path().join("roster.csv");
    std::fs::write(&roster, ROSTER).expect("roster");
    let mut samples: Vec<String> = std::fs::read_dir(root().join("corpus"))
        .expect("corpus")
        .flatten()
        .map(|e| format!("corpus/{}", e.file_name().to_string_lossy()))
        .collect();
    samples.sort();
    let warning = "PERSONAL DATA IN CLEAR";
    let mut with_data = 0;
    for sample in &samples {
        let clear = foiguard(
            &["scan", "--format", "json", "--show-evidence", sample],
            &roster,
        );
        let secrets = secrets(&clear);
        let out = Command::cargo_bin("foiguard")
            .expect("binary")
            .current_dir(root())
            .args(["inspect", sample, "--roster"])
            .arg(&roster)
            .output()
            .expect("runs");
        let view = String::from_utf8_lossy(&out.stdout);
        if !secrets.iter().any(|s| view.contains(s.as_str())) {
            continue;
        }
        with_data += 1;
        let lines: Vec<&str> = view.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(
            lines.first().is_some_and(|l| l.contains(warning))
                && lines.last().is_some_and(|l| l.contains(warning)),
            "{sample}: inspect shows personal data without its warning first and last"
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(warning),
            "{sample}"
        );
    }
    assert!(with_data >= 5, "only {with_data} views held personal data");
}
