//! Plain-text report for people: one line per file with its verdict, then its findings
//! with where they are and what to do, and a closing summary line.

use super::Summary;
use crate::model::{FileReport, Severity, Verdict};
use crate::util::thousands;
use std::io::Write;

/// ANSI styling, switched off unless the output is a terminal.
#[derive(Clone, Copy)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Critical => "1;35",
            Severity::High => "1;31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.paint(code, &format!("{:<8}", s.as_str()))
    }
}

/// Writes one file's verdict and findings.
pub fn write_file(out: &mut dyn Write, r: &FileReport, style: Style) -> std::io::Result<()> {
    let verdict = match r.verdict {
        Verdict::Block => style.paint("1;31", "BLOCK"),
        Verdict::Pass => style.paint("1;32", "PASS "),
    };
    let count = match r.findings.len() {
        0 => "no findings".to_string(),
        1 => "1 finding".to_string(),
        n => format!("{n} findings"),
    };
    let copy = r
        .duplicate_of
        .as_ref()
        .map(|first| format!(", same content as {first}"))
        .unwrap_or_default();
    writeln!(out, "{verdict}  {}  ({}, {count}{copy})", r.path, r.format)?;
    for f in &r.findings {
        let hidden = match (f.hidden, f.accepted) {
            (true, true) => " [hidden] [accepted in baseline]",
            (true, false) => " [hidden]",
            (false, true) => " [accepted in baseline]",
            (false, false) => "",
        };
        writeln!(
            out,
            "  {} {:<20} {}{hidden}",
            style.severity(f.severity),
            f.rule,
            f.location.describe()
        )?;
        writeln!(out, "  {:8} {:<20} {}", "", "", f.message)?;
        if let Some(e) = &f.evidence {
            writeln!(out, "  {:8} {:<20} evidence: {e}", "", "")?;
        }
        if f.severity > Severity::Info && !f.accepted {
            writeln!(
                out,
                "  {:8} {:<20} {}",
                "",
                "",
                style.paint("2", &format!("fix: {}", f.advice))
            )?;
        }
    }
    Ok(())
}

/// The closing line: counts by verdict and severity, bytes and time.
pub fn write_summary(
    out: &mut dyn Write,
    summary: &Summary,
    reports: &[FileReport],
    style: Style,
) -> std::io::Result<()> {
    let by_sev: Vec<String> = Summary::by_severity(reports)
        .into_iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    let sev = if by_sev.is_empty() {
        String::new()
    } else {
        format!(" ({})", by_sev.join(", "))
    };
    let verdict = if summary.blocked > 0 {
        style.paint("1;31", "release blocked")
    } else {
        style.paint("1;32", "release may proceed")
    };
    let mut notes = String::new();
    if summary.accepted > 0 {
        notes.push_str(&format!(
            "; {} accepted in the baseline",
            thousands(summary.accepted)
        ));
    }
    if summary.excluded > 0 {
        notes.push_str(&format!(
            "; {} left out by the config's excludes",
            crate::util::plural(summary.excluded, "file or folder", "files or folders")
        ));
    }
    writeln!(
        out,
        "\n{verdict}: {} scanned, {} blocked, {} passed; {}{sev}{notes}; {} in {:.2} s",
        if summary.files == 1 {
            "1 file".to_string()
        } else {
            format!("{} files", thousands(summary.files))
        },
        thousands(summary.blocked),
        thousands(summary.passed),
        crate::util::plural(summary.findings, "finding", "findings"),
        crate::util::bytes_human(summary.bytes),
        summary.elapsed_ms as f64 / 1000.0
    )
}
