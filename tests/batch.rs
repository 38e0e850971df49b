//! Sweeps of many files: identical content inspected once and reported for every path,
//! shards that split a sweep across machines, and `foiguard merge` putting their reports
//! back together with the exit code one scan would have given.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn foiguard(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("foiguard").expect("binary");
    cmd.current_dir(dir);
    cmd
}

fn corpus() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn jsonl_paths(out: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(out)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("json line")["path"]
                .as_str()
                .expect("path")
                .to_string()
        })
        .collect()
}

#[test]
fn identical_content_is_inspected_once_and_reported_for_every_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let roster =
        std::fs::read(corpus().join("corpus/FOI-2023-0977-staff-numbers-hidden-sheet.xlsx"))
            .expect("sample");
    std::fs::create_dir(dir.path().join("copies")).expect("mkdir");
    for name in ["a.xlsx", "copies/b.xlsx", "copies/c.xlsx"] {
        std::fs::write(dir.path().join(name), &roster).expect("write");
    }
    // Same size, different content: not a copy.
    let mut other = roster.clone();
    let last = other.len() - 30;
    other[last] ^= 0x01;
    std::fs::write(dir.path().join("d.xlsx"), &other).expect("write");
    let out = foiguard(dir.path())
        .args(["scan", "--format", "json", "-j", "2", "."])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let files = json["files"].as_array().expect("files");
    assert_eq!(files.len(), 4);
    let copies: Vec<&Value> = files
        .iter()
        .filter(|f| {
            f["sha256"] == files.iter().find(|f| f["path"] == "./a.xlsx").unwrap()["sha256"]
        })
        .collect();
    assert_eq!(copies.len(), 3);
    let firsts: Vec<&Value> = copies
        .iter()
        .filter(|f| f.get("duplicate_of").is_none())
        .copied()
        .collect();
    assert_eq!(firsts.len(), 1, "exactly one copy is the one inspected");
    let first_path = firsts[0]["path"].as_str().expect("path");
    for copy in &copies {
        assert_eq!(
            copy["findings"], firsts[0]["findings"],
            "same findings, same fingerprints"
        );
        assert_eq!(copy["verdict"], "block");
        if copy["path"] != first_path {
            assert_eq!(copy["duplicate_of"], first_path);
        }
    }
    let d = files.iter().find(|f| f["path"] == "./d.xlsx").expect("d");
    assert!(d.get("duplicate_of").is_none(), "same size, other content");
    let human = foiguard(dir.path())
        .args(["scan", "-j", "1", "."])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&human.stdout).contains("same content as"));
}

#[test]
fn shards_split_a_sweep_into_disjoint_parts_that_cover_it() {
    let full = foiguard(corpus())
        .args(["scan", "--format", "jsonl", "corpus/"])
        .output()
        .expect("runs");
    let all: BTreeSet<String> = jsonl_paths(&full.stdout).into_iter().collect();
    assert!(all.len() > 20);
    let mut union = BTreeSet::new();
    let mut sizes = Vec::new();
    for k in 1..=3 {
        let out = foiguard(corpus())
            .args([
                "scan",
                "--format",
                "jsonl",
                "--shard",
                &format!("{k}/3"),
                "corpus/",
            ])
            .output()
            .expect("runs");
        let paths = jsonl_paths(&out.stdout);
        sizes.push(paths.len());
        for p in paths {
            assert!(union.insert(p.clone()), "{p} is in two shards");
        }
    }
    assert_eq!(union, all);
    assert!(sizes.iter().all(|&n| n > 0), "{sizes:?}");
    // The same shard gives the same files every time.
    let again = foiguard(corpus())
        .args(["scan", "--format", "jsonl", "--shard", "2/3", "corpus/"])
        .output()
        .expect("runs");
    assert_eq!(jsonl_paths(&again.stdout).len(), sizes[1]);
}

#[test]
fn merged_shards_give_the_report_and_exit_code_of_one_scan() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut reports = Vec::new();
    for k in 1..=3 {
        let path = dir.path().join(format!("shard{k}.jsonl"));
        foiguard(corpus())
            .args([
                "scan",
                "--format",
                "jsonl",
                "--shard",
                &format!("{k}/3"),
                "corpus/",
                "-o",
            ])
            .arg(&path)
            .assert()
            .code(predicates::ord::ge(0));
        reports.push(path);
    }
    // The concatenation of the shards is itself one valid JSONL report.
    let mut concatenated = Vec::new();
    for r in &reports {
        concatenated.extend(std::fs::read(r).expect("shard report"));
    }
    for line in String::from_utf8_lossy(&concatenated).lines() {
        serde_json::from_str::<Value>(line).expect("every line is a file object");
    }
    let single = foiguard(corpus())
        .args(["scan", "--format", "json", "corpus/"])
        .output()
        .expect("runs");
    let merged = foiguard(dir.path())
        .arg("merge")
        .args(&reports)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(merged.status.code(), single.status.code());
    assert_eq!(merged.status.code(), Some(1));
    let single: Value = serde_json::from_slice(&single.stdout).expect("json");
    let merged: Value = serde_json::from_slice(&merged.stdout).expect("json");
    for key in ["files", "blocked", "passed", "findings", "bytes"] {
        assert_eq!(merged["summary"][key], single["summary"][key], "{key}");
    }
    let by_path = |v: &Value| -> Vec<(String, Value, Value)> {
        let mut out: Vec<(String, Value, Value)> = v["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["verdict"].clone(),
                    f["findings"].clone(),
                )
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    };
    assert_eq!(by_path(&merged), by_path(&single));
    // Any output format: SARIF and HTML from the same shards.
    for format in ["sarif", "html", "human"] {
        foiguard(dir.path())
            .arg("merge")
            .args(&reports)
            .args(["--format", format])
            .assert()
            .code(1);
    }
}

#[test]
fn merging_only_passing_shards_passes_and_a_stricter_level_blocks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("clean.jsonl");
    foiguard(corpus())
        .args([
            "scan",
            "--format",
            "jsonl",
            "corpus/FOI-2023-0412-officers-by-rank.xlsx",
            "corpus/FOI-2023-0388-crime-by-month.xlsx",
            "-o",
        ])
        .arg(&report)
        .assert()
        .code(0);
    foiguard(dir.path())
        .args(["merge", "clean.jsonl"])
        .assert()
        .code(0);
    // The rank table has a medium small-count finding: it blocks at --fail-on medium, as a
    // scan at that level would.
    foiguard(dir.path())
        .args(["merge", "clean.jsonl", "--fail-on", "medium"])
        .assert()
        .code(1);
    foiguard(corpus())
        .args([
            "scan",
            "--fail-on",
            "medium",
            "corpus/FOI-2023-0412-officers-by-rank.xlsx",
        ])
        .assert()
        .code(1);
}

#[test]
fn bad_merge_input_and_bad_shards_are_usage_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("bad.jsonl"), "{\"path\": \"x\"}\n").expect("write");
    let out = foiguard(dir.path())
        .args(["merge", "bad.jsonl"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.jsonl: line 1"));
    foiguard(dir.path())
        .args(["merge", "missing.jsonl"])
        .assert()
        .code(2);
    for shard in ["0/3", "4/3", "1/0", "two/3", "3"] {
        foiguard(corpus())
            .args(["scan", "--shard", shard, "corpus/"])
            .assert()
            .code(2);
    }
}
