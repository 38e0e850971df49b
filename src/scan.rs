//! Per-file scanning: read the file, sniff its format, run its inspector in isolation, then
//! apply the policy. One bad file fails alone.

use crate::context::Ctx;
use crate::detect::Engine;
use crate::finding::{fingerprint, hex};
use crate::formats::{self, Format};
use crate::limits::Limits;
use crate::model::{FileReport, Finding, Location, OwnedItem, PartTally, Verdict};
use crate::policy::Policy;
use crate::sample::{Sample, Sampler};
use crate::util::bytes_human;
use sha2::{Digest, Sha256};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Instant;

/// Options for one scan run.
pub struct ScanOptions<'a> {
    pub limits: &'a Limits,
    pub engine: &'a Engine,
    pub policy: &'a Policy,
}

/// Inspects bytes already in memory: sniff, open, extract, detect. Panics inside a parser
/// are caught so that one bad file fails alone.
pub fn scan_bytes(
    bytes: &[u8],
    limits: &Limits,
    engine: &Engine,
    collect: bool,
) -> (Format, Vec<Finding>, Vec<OwnedItem>) {
    let out = run(bytes, limits, engine, collect, None);
    (out.format, out.findings, out.items)
}

/// Everything one inspection of a file's bytes gives.
struct Scanned {
    format: Format,
    findings: Vec<Finding>,
    items: Vec<OwnedItem>,
    sample: Sample,
    parts: PartTally,
}

/// Runs the inspection, optionally keeping every item (`collect`, for tests) or the bounded
/// sample `sampler` selects (for `inspect`, where a hidden sheet may hold a million rows).
fn run(
    bytes: &[u8],
    limits: &Limits,
    engine: &Engine,
    collect: bool,
    sampler: Option<Sampler>,
) -> Scanned {
    let mut ctx = Ctx::new(limits, engine);
    if collect {
        ctx.collect_items();
    }
    if let Some(sampler) = sampler {
        ctx.sample_with(sampler);
    }
    let format = inspect_isolated(bytes, &mut ctx);
    let items = ctx.take_items();
    let sample = ctx.take_sample();
    let parts = ctx.take_parts();
    Scanned {
        format,
        findings: ctx.finish(),
        items,
        sample,
        parts,
    }
}

/// Sniffs and runs the format's inspector; its failures and panics become `unscannable`.
fn inspect_isolated(bytes: &[u8], ctx: &mut Ctx<'_>) -> Format {
    let format = formats::sniff(bytes);
    let outcome = catch_unwind(AssertUnwindSafe(|| formats::inspect(format, bytes, ctx)));
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(err)) => {
            let loc = ctx.loc_file();
            ctx.unscannable(loc, &err.0);
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            ctx.container.clear();
            let loc = ctx.loc_file();
            ctx.unscannable(
                loc,
                &format!("the parser failed on malformed content ({what})"),
            );
        }
    }
    format
}

/// Scans one file from disk into a report. Never panics; read errors become `unscannable`.
pub fn scan_file(path: &Path, display: &str, opts: &ScanOptions<'_>) -> FileReport {
    scan_file_with(path, display, opts, None).0
}

/// Like [`scan_file`], keeping the bounded sample of items `sampler` selects (`inspect`).
pub fn scan_file_sampled(
    path: &Path,
    display: &str,
    opts: &ScanOptions<'_>,
    sampler: Sampler,
) -> (FileReport, Sample) {
    scan_file_with(path, display, opts, Some(sampler))
}

fn scan_file_with(
    path: &Path,
    display: &str,
    opts: &ScanOptions<'_>,
    sampler: Option<Sampler>,
) -> (FileReport, Sample) {
    let started = Instant::now();
    let mut sample = Sample::default();
    let mut report = FileReport {
        path: display.to_string(),
        format: "unknown".into(),
        bytes: 0,
        sha256: String::new(),
        verdict: Verdict::Block,
        error: None,
        findings: Vec::new(),
        parts: Default::default(),
        elapsed_ms: 0,
    };
    match read_capped(path, opts.limits.max_file_bytes) {
        Ok(bytes) => {
            report.bytes = bytes.len() as u64;
            report.sha256 = hex(&Sha256::digest(&bytes));
            let out = run(&bytes, opts.limits, opts.engine, false, sampler);
            sample = out.sample;
            report.format = out.format.name().to_string();
            report.findings = out.findings;
            report.parts = out.parts;
        }
        Err(reason) => {
            let mut ctx = Ctx::new(opts.limits, opts.engine);
            ctx.unscannable(Location::default(), &reason);
            report.error = Some(reason);
            report.findings = ctx.findings;
        }
    }
    if report.error.is_none()
        && let Some(f) = report
            .findings
            .iter()
            .find(|f| f.rule == "unscannable" && f.location.container.is_empty())
    {
        report.error = Some(f.message.clone());
    }
    // The reason an unreadable file gives ("password-protected") is the same for every such
    // file: key its fingerprint on the file's bytes too, so it names this file only.
    for f in &mut report.findings {
        if f.rule == "unscannable" {
            f.fingerprint = fingerprint(
                f.rule,
                &f.location,
                &(f.fingerprint.clone() + &report.sha256),
            );
        }
    }
    opts.policy.apply(&mut report);
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    (report, sample)
}

fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read file: {e}"))?;
    // A FIFO or device would block or never end: refuse anything but a regular file.
    if !meta.is_file() {
        return Err("not a regular file (a device, pipe or socket cannot be checked)".into());
    }
    if meta.len() > cap {
        return Err(format!(
            "file is {}, over the limit of {}",
            bytes_human(meta.len()),
            bytes_human(cap)
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read file: {e}"))
}
