//! The project documents its own contract (CONTRACT.md) and rule catalogue (RULES.md). These
//! tests keep both in step with the program: the catalogue page is exactly what
//! `foiguard rules --format markdown` prints, and the contract names every option, rule,
//! exit code and location field the program has.

use assert_cmd::Command;
use std::path::Path;

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn rules_md_is_what_foiguard_rules_prints() {
    let out = Command::cargo_bin("foiguard")
        .expect("binary")
        .args(["rules", "--format", "markdown"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(
        read("RULES.md"),
        printed,
        "RULES.md is out of date: run `cargo run -- rules --format markdown > RULES.md`"
    );
    for rule in foiguard::rules::RULES {
        assert!(
            printed.contains(&format!("| `{}` |", rule.id)),
            "{}",
            rule.id
        );
    }
}

#[test]
fn the_contract_names_every_scan_option() {
    let contract = read("CONTRACT.md");
    let out = Command::cargo_bin("foiguard")
        .expect("binary")
        .args(["scan", "--help"])
        .output()
        .expect("runs");
    let help = String::from_utf8(out.stdout).expect("utf-8");
    let options: Vec<&str> = help
        .split_whitespace()
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| w.trim_end_matches(','))
        .filter(|w| *w != "--help")
        .collect();
    assert!(options.len() >= 10, "{options:?}");
    for option in options {
        assert!(
            contract.contains(&format!("`{option}")) || contract.contains(&format!(", {option}")),
            "CONTRACT.md does not document {option}"
        );
    }
}

#[test]
fn the_contract_gives_the_exit_codes_the_program_uses() {
    let contract = read("CONTRACT.md");
    for (code, words) in [
        (foiguard::exit::EXIT_PASS, "every file may be released"),
        (foiguard::exit::EXIT_BLOCK, "at least one file is blocked"),
        (foiguard::exit::EXIT_USAGE, "the command could not run"),
    ] {
        assert!(
            contract.contains(&format!("| `{code}` | {words}")),
            "exit code {code}"
        );
    }
}

#[test]
fn the_contract_names_every_location_and_report_field() {
    let contract = read("CONTRACT.md");
    let location = serde_json::to_value(foiguard::Location {
        container: vec![],
        part: Some("p".into()),
        sheet: Some("s".into()),
        cell: Some("A1".into()),
        range: Some("A1:B2".into()),
        page: Some(1),
        line: Some(1),
        offset: Some(1),
        slide: Some(1),
        story: Some(foiguard::model::Story::Notes),
        paragraph: Some(1),
        bbox: Some([0.0, 0.0, 1.0, 1.0]),
    })
    .expect("serialises");
    for key in location.as_object().expect("object").keys() {
        assert!(
            contract.contains(&format!("`{key}`")),
            "CONTRACT.md does not document location field {key}"
        );
    }
    let report = Command::cargo_bin("foiguard")
        .expect("binary")
        .args([
            "scan",
            "--format",
            "json",
            "corpus/FOI-2023-0977-staff-numbers-hidden-sheet.xlsx",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&report.stdout).expect("json");
    let file = &json["files"][0];
    let mut keys: Vec<&String> = json.as_object().expect("run").keys().collect();
    keys.extend(json["summary"].as_object().expect("summary").keys());
    keys.extend(file.as_object().expect("file").keys());
    keys.extend(file["findings"][0].as_object().expect("finding").keys());
    for key in keys {
        assert!(
            contract.contains(&format!("`{key}`")) || contract.contains(&format!("\"{key}\"")),
            "CONTRACT.md does not document report field {key}"
        );
    }
}

#[test]
fn the_readme_points_to_the_projects_own_contract() {
    let readme = read("README.md");
    assert!(readme.contains("CONTRACT.md") && readme.contains("RULES.md"));
    assert!(
        !readme.contains("SPEC.md"),
        "README.md sends readers to SPEC.md, which a clone of the project does not have"
    );
}
