//! Per-file scanning: the state an inspector works with, and the isolation around each file.

use crate::detect::{Engine, FileDetector, ItemSink};
use crate::formats::{self, Format};
use crate::limits::Limits;
use crate::model::{FileReport, Finding, Item, Location, OwnedItem, Severity, Verdict};
use crate::policy::Policy;
use crate::rules;
use crate::sample::{Sample, Sampler};
use crate::util::{ContentDigest, bytes_human};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Instant;

/// Why a file or part could not be inspected. Becomes an `unscannable` finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError(pub String);

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl ScanError {
    pub fn new(msg: impl Into<String>) -> Self {
        ScanError(msg.into())
    }
}

pub type ScanResult<T> = Result<T, ScanError>;

/// Rules whose inspectors pass exactly what they report as the key (a digest of the cells,
/// the property values). The others key on everything extracted from their part; for
/// properties that would include the save time, and a re-save would look like new content.
const CELL_KEYED_RULES: &[&str] = &[
    "document-metadata",
    "hidden-sheet",
    "very-hidden-sheet",
    "hidden-rows",
    "hidden-columns",
    "filtered-rows",
    "disguised-content",
    "residual-data",
];

/// State shared by every inspector while one file (and what it embeds) is scanned.
pub struct Ctx<'e> {
    pub limits: &'e Limits,
    detector: FileDetector<'e>,
    deadline: Instant,
    /// Chain of embedded file names leading to the file being inspected now.
    pub container: Vec<String>,
    pub findings: Vec<Finding>,
    inflated: u64,
    collected: Option<Vec<OwnedItem>>,
    sampler: Option<Sampler>,
    /// Digest of the items extracted from each part (keyed by container chain and part), so a
    /// finding's fingerprint changes when the content of its part changes.
    part_digests: HashMap<String, ContentDigest>,
    /// The part items are arriving from now, with its running digest (items come in runs).
    current_part: String,
    current_raw: String,
    current_digest: ContentDigest,
}

impl<'e> Ctx<'e> {
    pub fn new(limits: &'e Limits, engine: &'e Engine) -> Self {
        Ctx {
            limits,
            detector: engine.start_file(),
            deadline: Instant::now() + limits.max_time,
            container: Vec::new(),
            findings: Vec::new(),
            inflated: 0,
            collected: None,
            sampler: None,
            part_digests: HashMap::new(),
            current_part: String::new(),
            current_raw: String::new(),
            current_digest: ContentDigest::default(),
        }
    }

    fn part_key(container: &[String], part: &str) -> String {
        let mut key = container.join("\u{1f}");
        key.push('\u{1e}');
        key.push_str(&part.to_ascii_lowercase());
        key
    }

    /// Digest of everything extracted so far from `part` of the file being inspected.
    pub fn part_digest(&mut self, part: &str) -> Option<ContentDigest> {
        self.flush_digest();
        self.part_digests
            .get(&Self::part_key(&self.container, part))
            .copied()
    }

    fn flush_digest(&mut self) {
        if !self.current_part.is_empty() {
            self.part_digests
                .insert(std::mem::take(&mut self.current_part), self.current_digest);
        }
        self.current_raw.clear();
    }

    fn digest_item(&mut self, item: &Item<'_>) {
        // Items arrive in runs from one part: only look the part up when the run changes.
        if self.current_raw != item.part || self.current_part.is_empty() {
            self.flush_digest();
            self.current_raw.clear();
            self.current_raw.push_str(item.part);
            self.current_part = Self::part_key(&self.container, item.part);
            self.current_digest = self
                .part_digests
                .get(&self.current_part)
                .copied()
                .unwrap_or_default();
        }
        let (row, col) = item.cell.unwrap_or((u32::MAX, u32::MAX));
        self.current_digest.update_cell(row, col, item.text);
        if let Some(d) = item.detail {
            self.current_digest.update(d.as_bytes());
        }
    }

    /// Keep a copy of every extracted item (for tests and `inspect`).
    pub fn collect_items(&mut self) {
        self.collected = Some(Vec::new());
    }

    pub fn take_items(&mut self) -> Vec<OwnedItem> {
        self.collected.take().unwrap_or_default()
    }

    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    pub fn check_time(&self) -> ScanResult<()> {
        if Instant::now() > self.deadline {
            Err(ScanError::new(format!(
                "time limit of {}s exceeded",
                self.limits.max_time.as_secs()
            )))
        } else {
            Ok(())
        }
    }

    /// Charges inflated bytes against the per-file budget.
    pub fn charge_inflated(&mut self, bytes: u64) -> ScanResult<()> {
        self.inflated += bytes;
        if self.inflated > self.limits.max_total_inflated {
            return Err(ScanError::new(format!(
                "inflated content exceeds the limit of {}",
                bytes_human(self.limits.max_total_inflated)
            )));
        }
        Ok(())
    }

    pub fn remaining_inflate_budget(&self) -> u64 {
        self.limits.max_total_inflated.saturating_sub(self.inflated)
    }

    /// Location of a part in the file being inspected now.
    pub fn loc(&self, part: &str) -> Location {
        Location::part(&self.container, part)
    }

    /// Records a finding. `key` identifies the content so the fingerprint changes with it.
    pub fn report(
        &mut self,
        rule_id: &'static str,
        severity: Severity,
        hidden: bool,
        location: Location,
        message: String,
        key: &str,
    ) {
        // Sheet-level rules key on a digest of exactly the cells they report; the others on
        // everything extracted from their part.
        let mut key = key.to_string();
        if !CELL_KEYED_RULES.contains(&rule_id)
            && let Some(part) = &location.part
            && let Some(digest) = self.part_digest(part)
        {
            key.push('|');
            key.push_str(&digest.hex());
        }
        self.findings.push(new_finding(
            rule_id, severity, hidden, location, message, &key,
        ));
    }

    /// Records that a part could not be inspected; the file will be blocked.
    pub fn unscannable(&mut self, location: Location, reason: &str) {
        let message = match (&location.part, location.container.last()) {
            (Some(part), _) => {
                let reason = reason.strip_prefix(&format!("{part}: ")).unwrap_or(reason);
                format!("could not inspect {part}: {reason}")
            }
            (None, Some(embedded)) => {
                format!("could not inspect embedded file '{embedded}': {reason}")
            }
            (None, None) => format!("could not inspect the file: {reason}"),
        };
        self.report(
            "unscannable",
            Severity::Critical,
            true,
            location,
            message,
            reason,
        );
    }

    /// Runs `f` inside an embedded file named `name`, if the depth limit allows.
    pub fn nested<T>(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut Self) -> ScanResult<T>,
    ) -> ScanResult<Option<T>> {
        if self.container.len() >= self.limits.max_depth {
            let loc = self.loc(name);
            self.unscannable(
                loc,
                &format!("embedding deeper than {} levels", self.limits.max_depth),
            );
            return Ok(None);
        }
        self.flush_digest();
        self.container.push(name.to_string());
        let out = f(self);
        self.flush_digest();
        self.container.pop();
        out.map(Some)
    }
}

impl ItemSink for Ctx<'_> {
    fn item(&mut self, item: &Item<'_>) {
        if item.text.trim().is_empty() {
            return;
        }
        self.digest_item(item);
        self.detector.item(item, &self.container);
        if let Some(sampler) = &mut self.sampler {
            sampler.add(item, &self.container);
        }
        if let Some(items) = &mut self.collected {
            items.push(OwnedItem {
                text: item.text.to_string(),
                kind: item.kind,
                hidden: item.hidden,
                location: item.location(&self.container),
                detail: item.detail.map(str::to_string),
            });
        }
    }
}

/// A finding of `rule_id` with the catalogue's advice and a fingerprint keyed on `key`.
pub fn new_finding(
    rule_id: &'static str,
    severity: Severity,
    hidden: bool,
    location: Location,
    message: String,
    key: &str,
) -> Finding {
    let rule = rules::rule(rule_id);
    let fingerprint = fingerprint(rule_id, &location, key);
    Finding {
        rule: rule.id,
        severity,
        hidden,
        location,
        message,
        evidence: None,
        masked_evidence: None,
        fingerprint,
        accepted: false,
        advice: rule.advice.to_string(),
    }
}

/// Stable fingerprint: rule, where (without part names, which a re-save may renumber) and
/// what. Only a hash leaves the process.
pub fn fingerprint(rule: &str, loc: &Location, key: &str) -> String {
    let mut h = Sha256::new();
    for field in [
        rule,
        &loc.container.join("\u{1f}"),
        loc.sheet.as_deref().unwrap_or(""),
        loc.cell.as_deref().or(loc.range.as_deref()).unwrap_or(""),
        &loc.page.map(|p| p.to_string()).unwrap_or_default(),
        key,
    ] {
        h.update(field.as_bytes());
        h.update([0u8]);
    }
    hex(&h.finalize()[..16])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

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
    let mut ctx = Ctx::new(limits, engine);
    if collect {
        ctx.collect_items();
    }
    let format = inspect_isolated(bytes, &mut ctx);
    let items = ctx.take_items();
    (format, ctx.finish(), items)
}

/// Like [`scan_bytes`], keeping only the bounded sample of items `sampler` selects (for
/// `inspect`, where a hidden sheet may hold a million rows).
fn scan_bytes_sampled(
    bytes: &[u8],
    limits: &Limits,
    engine: &Engine,
    sampler: Sampler,
) -> (Format, Vec<Finding>, Sample) {
    let mut ctx = Ctx::new(limits, engine);
    ctx.sampler = Some(sampler);
    let format = inspect_isolated(bytes, &mut ctx);
    let sample = ctx.sampler.take().map(Sampler::finish).unwrap_or_default();
    (format, ctx.finish(), sample)
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

impl Ctx<'_> {
    /// Ends the file: the detectors' aggregated and table findings join the structural ones.
    /// The detectors run in their own isolation: a panic there blocks the file too.
    pub fn finish(self) -> Vec<Finding> {
        let Ctx {
            mut findings,
            detector,
            ..
        } = self;
        let before = findings.len();
        let done = catch_unwind(AssertUnwindSafe(|| {
            let mut out = Vec::new();
            detector.finish(&mut out);
            out
        }));
        match done {
            Ok(out) => findings.extend(out),
            Err(_) => {
                findings.truncate(before);
                let reason = "the personal-data detectors failed on this file";
                findings.push(new_finding(
                    "unscannable",
                    Severity::Critical,
                    true,
                    Location::default(),
                    format!("could not inspect the file: {reason}"),
                    reason,
                ));
            }
        }
        findings
    }
}

impl Ctx<'_> {
    fn loc_file(&self) -> Location {
        Location {
            container: self.container.clone(),
            ..Default::default()
        }
    }
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
        elapsed_ms: 0,
    };
    match read_capped(path, opts.limits.max_file_bytes) {
        Ok(bytes) => {
            report.bytes = bytes.len() as u64;
            report.sha256 = hex(&Sha256::digest(&bytes));
            let (format, findings) = match sampler {
                Some(sampler) => {
                    let (format, findings, kept) =
                        scan_bytes_sampled(&bytes, opts.limits, opts.engine, sampler);
                    sample = kept;
                    (format, findings)
                }
                None => {
                    let (format, findings, _) = scan_bytes(&bytes, opts.limits, opts.engine, false);
                    (format, findings)
                }
            };
            report.format = format.name().to_string();
            report.findings = findings;
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

impl Ctx<'_> {
    /// Turns a part's failure into an `unscannable` finding and lets the rest of the file be
    /// inspected, unless the file's time is up.
    pub fn guard<T>(
        &mut self,
        part: &str,
        f: impl FnOnce(&mut Self) -> ScanResult<T>,
    ) -> ScanResult<Option<T>> {
        match f(self) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                let loc = self.loc(part);
                self.unscannable(loc, &e.0);
                self.check_time()?;
                Ok(None)
            }
        }
    }
}
