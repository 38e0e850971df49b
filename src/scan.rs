//! Per-file scanning: read the file, sniff its format, run its inspector in isolation, then
//! apply the policy. One bad file fails alone.

use crate::context::{Ctx, FileProgress};
use crate::detect::Engine;
use crate::finding::{fingerprint, hex};
use crate::formats::{self, Format};
use crate::limits::Limits;
use crate::model::{FileReport, Finding, Location, OwnedItem, PartTally, Verdict};
use crate::policy::Policy;
use crate::sample::{Sample, Sampler};
use crate::util::bytes_human;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

/// Options for one scan run.
#[derive(Clone, Copy)]
pub struct ScanOptions<'a> {
    pub limits: &'a Limits,
    pub engine: &'a Engine,
    pub policy: &'a Policy,
    /// Where the file being scanned publishes its progress (a sweep's progress display).
    pub progress: Option<&'a FileProgress>,
}

impl<'a> ScanOptions<'a> {
    pub fn new(limits: &'a Limits, engine: &'a Engine, policy: &'a Policy) -> Self {
        ScanOptions {
            limits,
            engine,
            policy,
            progress: None,
        }
    }
}

/// Inspects bytes already in memory: sniff, open, extract, detect. Panics inside a parser
/// are caught so that one bad file fails alone.
pub fn scan_bytes(
    bytes: &[u8],
    limits: &Limits,
    engine: &Engine,
    collect: bool,
) -> (Format, Vec<Finding>, Vec<OwnedItem>) {
    let out = run(bytes, limits, engine, collect, None, None);
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
    progress: Option<&FileProgress>,
) -> Scanned {
    let mut ctx = Ctx::new(limits, engine);
    if let Some(p) = progress {
        ctx.report_progress_to(p);
    }
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
    // Residue left on this thread by a file that failed part-way is not this file's.
    crate::context::take_residue();
    let outcome = catch_unwind(AssertUnwindSafe(|| formats::inspect(format, bytes, ctx)));
    ctx.report_xml_residue();
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
    scan_file_with(path, display, opts, None, None).0
}

/// Like [`scan_file`], inspecting content already inspected in this run only once: a copy
/// gets the first copy's findings and says which path that was (`duplicate_of`).
pub fn scan_file_deduped(
    path: &Path,
    display: &str,
    opts: &ScanOptions<'_>,
    dedupe: &Dedupe,
) -> FileReport {
    scan_file_with(path, display, opts, None, Some(dedupe)).0
}

/// Like [`scan_file`], keeping the bounded sample of items `sampler` selects (`inspect`).
pub fn scan_file_sampled(
    path: &Path,
    display: &str,
    opts: &ScanOptions<'_>,
    sampler: Sampler,
) -> (FileReport, Sample) {
    scan_file_with(path, display, opts, Some(sampler), None)
}

/// What inspecting a file's content gives, before the policy: the same for every copy.
#[derive(Clone)]
struct Inspected {
    format: String,
    findings: Vec<Finding>,
    parts: PartTally,
}

fn inspect_content(
    bytes: &[u8],
    sha256: &str,
    opts: &ScanOptions<'_>,
    sampler: Option<Sampler>,
) -> (Inspected, Sample) {
    let out = run(
        bytes,
        opts.limits,
        opts.engine,
        false,
        sampler,
        opts.progress,
    );
    let mut findings = out.findings;
    // The reason an unreadable file gives ("password-protected") is the same for every such
    // file: key its fingerprint on the file's bytes too, so it names this content only.
    for f in &mut findings {
        if f.rule == "unscannable" {
            f.fingerprint = fingerprint(f.rule, &f.location, &(f.fingerprint.clone() + sha256));
        }
    }
    (
        Inspected {
            format: out.format.name().to_string(),
            findings,
            parts: out.parts,
        },
        out.sample,
    )
}

fn scan_file_with(
    path: &Path,
    display: &str,
    opts: &ScanOptions<'_>,
    sampler: Option<Sampler>,
    dedupe: Option<&Dedupe>,
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
        duplicate_of: None,
        parts: Default::default(),
        elapsed_ms: 0,
    };
    match read_capped(path, opts.limits) {
        Ok(bytes) => {
            report.bytes = bytes.len() as u64;
            report.sha256 = hex(&Sha256::digest(&bytes));
            let inspected = match dedupe.and_then(|d| d.slot(&report.sha256, report.bytes)) {
                Some(slot) => {
                    let first = slot.outcome.get_or_init(|| {
                        (
                            display.to_string(),
                            inspect_content(&bytes, &report.sha256, opts, None).0,
                        )
                    });
                    if first.0 != display {
                        report.duplicate_of = Some(first.0.clone());
                    }
                    let inspected = first.1.clone();
                    if let Some(d) = dedupe {
                        d.done(report.bytes);
                    }
                    inspected
                }
                None => {
                    let (inspected, kept) = inspect_content(&bytes, &report.sha256, opts, sampler);
                    sample = kept;
                    inspected
                }
            };
            report.format = inspected.format;
            report.findings = inspected.findings;
            report.parts = inspected.parts;
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
    opts.policy.apply(&mut report);
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    (report, sample)
}

/// Identical content inspected once per run. Release folders carry many copies of the same
/// attachment; each copy is still reported against its own path.
///
/// Memory stays flat: content can only repeat among files of the same size, so only files
/// that share their size with another file of the run are remembered, and a size's results
/// are dropped as soon as its last file is done.
pub struct Dedupe {
    /// Files of each size still to be scanned, for sizes that more than one file has.
    pending: Mutex<HashMap<u64, u32>>,
    slots: Mutex<HashMap<String, Arc<Slot>>>,
}

struct Slot {
    size: u64,
    /// The first path and what inspecting it gave; a copy arriving while the first is
    /// still being inspected waits for it.
    outcome: OnceLock<(String, Inspected)>,
}

impl Dedupe {
    /// `sizes` are the sizes of every file the run will scan (unreadable ones left out).
    pub fn new(sizes: impl IntoIterator<Item = u64>) -> Self {
        let mut pending: HashMap<u64, u32> = HashMap::new();
        for size in sizes {
            *pending.entry(size).or_default() += 1;
        }
        pending.retain(|_, n| *n > 1);
        Dedupe {
            pending: Mutex::new(pending),
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// The shared slot for this content, when another file of the run may hold it too.
    fn slot(&self, sha256: &str, size: u64) -> Option<Arc<Slot>> {
        if !self
            .pending
            .lock()
            .map(|p| p.contains_key(&size))
            .unwrap_or(false)
        {
            return None;
        }
        let mut slots = self.slots.lock().ok()?;
        Some(
            slots
                .entry(sha256.to_string())
                .or_insert_with(|| {
                    Arc::new(Slot {
                        size,
                        outcome: OnceLock::new(),
                    })
                })
                .clone(),
        )
    }

    /// One more file of `size` is done; after the last, its results are let go.
    fn done(&self, size: u64) {
        let Ok(mut pending) = self.pending.lock() else {
            return;
        };
        let Some(n) = pending.get_mut(&size) else {
            return;
        };
        *n = n.saturating_sub(1);
        if *n == 0 {
            pending.remove(&size);
            drop(pending);
            if let Ok(mut slots) = self.slots.lock() {
                slots.retain(|_, s| s.size != size);
            }
        }
    }
}

fn read_capped(path: &Path, limits: &Limits) -> Result<Vec<u8>, String> {
    let cap = limits.max_file_bytes;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read file: {e}"))?;
    // A FIFO or device would block or never end: refuse anything but a regular file.
    if !meta.is_file() {
        return Err("not a regular file (a device, pipe or socket cannot be checked)".into());
    }
    if meta.len() > cap {
        return Err(format!(
            "file is {}, over {}",
            bytes_human(meta.len()),
            limits.the_limit("max_file_bytes")
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read file: {e}"))
}
