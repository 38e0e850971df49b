//! Writing results: human text for disclosure officers, JSON and JSON Lines for machines.
//! Evidence is masked before anything is written unless `--show-evidence` was given.

pub mod html;
pub mod human;
pub mod read;
pub mod sarif;

use crate::model::{FileReport, Severity, Verdict};
use serde::Serialize;

pub use crate::finding::mask;
use std::io::Write;

pub const SCHEMA: &str = "foiguard/1";

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files: u64,
    pub blocked: u64,
    pub passed: u64,
    pub findings: u64,
    /// Findings that match the `--baseline` (reported, never blocking).
    pub accepted: u64,
    /// Files inside scanned folders left out by the config's `[exclude] paths`.
    pub excluded: u64,
    pub bytes: u64,
    pub elapsed_ms: u64,
}

impl Summary {
    pub fn of(reports: &[FileReport], elapsed_ms: u64) -> Self {
        let mut s = Summary {
            elapsed_ms,
            ..Default::default()
        };
        for r in reports {
            s.add(r);
        }
        s
    }

    pub fn add(&mut self, r: &FileReport) {
        self.files += 1;
        match r.verdict {
            Verdict::Block => self.blocked += 1,
            Verdict::Pass => self.passed += 1,
        }
        self.findings += r.findings.len() as u64;
        self.accepted += r.findings.iter().filter(|f| f.accepted).count() as u64;
        self.bytes += r.bytes;
    }

    /// Findings per severity, most severe first.
    pub fn by_severity(reports: &[FileReport]) -> Vec<(Severity, u64)> {
        Severity::ALL
            .iter()
            .rev()
            .map(|s| {
                (
                    *s,
                    reports
                        .iter()
                        .flat_map(|r| &r.findings)
                        .filter(|f| f.severity == *s)
                        .count() as u64,
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// A finished run, as the whole-report writers (JSON, SARIF, HTML) need it.
pub struct Run<'a> {
    pub summary: &'a Summary,
    pub reports: &'a [FileReport],
    /// The lowest severity that blocked release in this run.
    pub fail_on: Severity,
    /// True when `--show-evidence` put personal data in clear into the report.
    pub evidence_shown: bool,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

const TOOL: Tool = Tool {
    name: "foiguard",
    version: env!("CARGO_PKG_VERSION"),
};

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    tool: Tool,
    summary: &'a Summary,
    files: &'a [FileReport],
}

/// The whole run as one JSON document (SPEC: `--format json`).
pub fn write_json(
    out: &mut dyn Write,
    summary: &Summary,
    reports: &[FileReport],
) -> std::io::Result<()> {
    let doc = JsonReport {
        schema: SCHEMA,
        tool: TOOL,
        summary,
        files: reports,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// One file object per line (SPEC: `--format jsonl`).
pub fn write_jsonl(out: &mut dyn Write, report: &FileReport) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, report)?;
    writeln!(out)
}

/// Masks every finding's evidence in place.
pub fn mask_report(report: &mut FileReport) {
    for f in &mut report.findings {
        if let Some(e) = &f.evidence {
            f.evidence = Some(f.masked_evidence.take().unwrap_or_else(|| mask(e)));
        }
    }
}
