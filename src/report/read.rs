//! Reading JSONL reports back (`foiguard merge`): the file objects a `--format jsonl` scan
//! writes, one per line, as shards of one sweep write them.

use crate::model::{FileReport, Finding, Location, PartTally, Severity, Verdict};
use serde::Deserialize;
use std::io::BufRead;

#[derive(Deserialize)]
struct FileIn {
    path: String,
    format: String,
    bytes: u64,
    sha256: String,
    verdict: Verdict,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    duplicate_of: Option<String>,
    findings: Vec<FindingIn>,
    #[serde(default)]
    parts: PartTally,
}

#[derive(Deserialize)]
struct FindingIn {
    rule: String,
    severity: Severity,
    hidden: bool,
    location: Location,
    message: String,
    evidence: Option<String>,
    fingerprint: String,
    #[serde(default)]
    accepted: bool,
    #[serde(default)]
    advice: String,
}

/// One file object of a JSONL report. A rule foiguard does not know is an error: the report
/// was written by another version or edited by hand.
pub fn file_report(line: &str) -> Result<FileReport, String> {
    let f: FileIn = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let findings = f
        .findings
        .into_iter()
        .map(|x| {
            let rule = crate::rules::RULES
                .iter()
                .find(|r| r.id == x.rule)
                .ok_or_else(|| format!("unknown rule '{}'", x.rule))?;
            Ok(Finding {
                rule: rule.id,
                severity: x.severity,
                hidden: x.hidden,
                location: x.location,
                message: x.message,
                evidence: x.evidence,
                masked_evidence: None,
                fingerprint: x.fingerprint,
                accepted: x.accepted && x.rule != "unscannable",
                advice: if x.advice.is_empty() {
                    rule.advice.to_string()
                } else {
                    x.advice
                },
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(FileReport {
        path: f.path,
        format: f.format,
        bytes: f.bytes,
        sha256: f.sha256,
        verdict: f.verdict,
        error: f.error,
        duplicate_of: f.duplicate_of,
        findings,
        parts: f.parts,
        elapsed_ms: 0,
    })
}

/// Every file object of a JSONL report, in order; blank lines are skipped. `name` names the
/// report in errors, with the line.
pub fn jsonl(reader: impl BufRead, name: &str) -> Result<Vec<FileReport>, String> {
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| format!("{name}: cannot read: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(file_report(&line).map_err(|e| format!("{name}: line {}: {e}", i + 1))?);
    }
    Ok(out)
}
