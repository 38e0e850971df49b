//! What every inspector works with while one file is scanned: the inspection context
//! ([`Ctx`]), its error type, and the limits and findings it carries. It sits below both the
//! pipeline (`scan`) and the format modules, so imports run one way, as the data does.

use crate::detect::{Engine, FileDetector, ItemSink};
use crate::finding::new_finding;
use crate::limits::Limits;
use crate::model::{Finding, Item, Location, OwnedItem, PartTally, Severity};
use crate::sample::{Sample, Sampler};
use crate::util::ContentDigest;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

thread_local! {
    /// Text the XML readers found after the root element of parts read on this thread,
    /// with the part's name, waiting to be reported. A file is inspected on one thread from
    /// start to end, so what is here belongs to the file being inspected.
    static RESIDUE: std::cell::RefCell<Vec<(String, String)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

thread_local! {
    /// The XML depth limit (`limits.max_xml_depth`) of the file being inspected on this
    /// thread, set when its context is made. A thread-local, like the residue, because XML
    /// readers are made in many places with no context at hand.
    static XML_DEPTH_LIMIT: std::cell::Cell<usize> =
        std::cell::Cell::new(Limits::default().max_xml_depth);
}

/// Sets the XML depth limit for the parts read on this thread from now on.
pub fn set_xml_depth_limit(limit: usize) {
    XML_DEPTH_LIMIT.with(|d| d.set(limit));
}

/// The XML depth limit in force on this thread.
pub fn xml_depth_limit() -> usize {
    XML_DEPTH_LIMIT.with(|d| d.get())
}

/// Sets aside text found after the root element of `part`, for [`Ctx::report_xml_residue`].
pub fn set_aside_residue(part: &str, text: String) {
    RESIDUE.with(|r| r.borrow_mut().push((part.to_string(), text)));
}

/// Takes the text set aside since the last call, as (part, text).
pub fn take_residue() -> Vec<(String, String)> {
    RESIDUE.with(|r| std::mem::take(&mut *r.borrow_mut()))
}

/// How far the inspection of one file has got, readable from another thread while it runs:
/// a sweep's progress display shows a long file's own progress, so a minutes-long file never
/// looks stuck.
#[derive(Debug, Default)]
pub struct FileProgress {
    /// Bytes inflated from the file's containers so far (sizes of parts opened).
    pub inflated: AtomicU64,
    /// Texts extracted so far (cells, paragraphs, records...).
    pub items: AtomicU64,
}

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
    /// What became of the parts of every package read for this file (summed).
    parts: PartTally,
    progress: Option<&'e FileProgress>,
    items: u64,
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
        set_xml_depth_limit(limits.max_xml_depth);
        Ctx {
            limits,
            detector: engine.start_file(),
            deadline: Instant::now() + limits.max_time,
            container: Vec::new(),
            findings: Vec::new(),
            inflated: 0,
            collected: None,
            sampler: None,
            parts: PartTally::default(),
            progress: None,
            items: 0,
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
        if !crate::util::same_text(&self.current_raw, item.part) || self.current_part.is_empty() {
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
                "inspection took longer than {}",
                self.limits.the_limit("max_time")
            )))
        } else {
            Ok(())
        }
    }

    /// Charges inflated bytes against the per-file budget.
    pub fn charge_inflated(&mut self, bytes: u64) -> ScanResult<()> {
        self.inflated += bytes;
        if let Some(p) = self.progress {
            p.inflated.store(self.inflated, Ordering::Relaxed);
        }
        if self.inflated > self.limits.max_total_inflated {
            return Err(ScanError::new(format!(
                "inflated content exceeds {}",
                self.limits.the_limit("max_total_inflated")
            )));
        }
        Ok(())
    }

    pub fn remaining_inflate_budget(&self) -> u64 {
        self.limits.max_total_inflated.saturating_sub(self.inflated)
    }

    /// The most one part may still inflate to, with the limit that sets it for a reason
    /// ("the limit of 512 MiB (limits.max_part_bytes ...)"): the per-part cap, or what is
    /// left of the file's budget when that is smaller.
    pub fn part_cap(&self) -> (u64, String) {
        let left = self.remaining_inflate_budget();
        if left < self.limits.max_part_bytes {
            let why = format!(
                "the {} left of {}",
                crate::util::bytes_human(left),
                self.limits.the_limit("max_total_inflated")
            );
            (left, why)
        } else {
            let why = self.limits.the_limit("max_part_bytes");
            (self.limits.max_part_bytes, why)
        }
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
        if self.container.len() >= self.limits.max_embedding_depth {
            let loc = self.loc(name);
            self.unscannable(
                loc,
                &format!(
                    "embedding deeper than {} levels {}",
                    self.limits.max_embedding_depth,
                    crate::limits::raise("max_embedding_depth")
                ),
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
        self.items += 1;
        if self.items.is_multiple_of(1024)
            && let Some(p) = self.progress
        {
            p.items.store(self.items, Ordering::Relaxed);
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
    /// The file being inspected now, as a whole.
    pub fn loc_file(&self) -> Location {
        Location {
            container: self.container.clone(),
            ..Default::default()
        }
    }
}

impl Ctx<'_> {
    /// Turns a part's failure into an `unscannable` finding and lets the rest of the file be
    /// inspected, unless the file's time is up.
    pub fn guard<T>(
        &mut self,
        part: &str,
        f: impl FnOnce(&mut Self) -> ScanResult<T>,
    ) -> ScanResult<Option<T>> {
        let outcome = f(self);
        self.report_xml_residue();
        match outcome {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                let loc = self.loc(part);
                self.unscannable(loc, &e.0);
                self.check_time()?;
                Ok(None)
            }
        }
    }

    /// Reports text the XML readers found after a part's root element: no application
    /// shows it, so it is `residual-data`, and its text goes to the detectors as hidden.
    pub fn report_xml_residue(&mut self) {
        for (part, text) in take_residue() {
            let mut digest = ContentDigest::default();
            digest.update(text.as_bytes());
            self.item(&Item {
                text: &text,
                kind: crate::model::ItemKind::Text,
                hidden: true,
                part: &part,
                sheet: None,
                cell: None,
                detail: Some("text after the end of the part's XML"),
                doc: crate::model::DocPlace::NONE,
            });
            let loc = self.loc(&part);
            self.report(
                "residual-data",
                Severity::High,
                true,
                loc,
                format!(
                    "part {part} has {} after the end of its XML, which no application shows",
                    crate::util::plural(text.chars().count() as u64, "character", "characters")
                ),
                &digest.hex(),
            );
        }
    }
}

impl<'e> Ctx<'e> {
    /// Publishes this file's progress to `progress` as the inspection goes.
    pub fn report_progress_to(&mut self, progress: &'e FileProgress) {
        self.progress = Some(progress);
    }
}

impl Ctx<'_> {
    /// Adds a package's part states (`Ledger::tally`, once every part is accounted for) to
    /// the file's tally.
    pub fn record_parts(&mut self, tally: &PartTally) {
        self.parts.merge(tally);
    }

    pub fn take_parts(&mut self) -> PartTally {
        std::mem::take(&mut self.parts)
    }

    /// Keep the bounded sample of items `sampler` selects (for `inspect`).
    pub fn sample_with(&mut self, sampler: Sampler) {
        self.sampler = Some(sampler);
    }

    pub fn take_sample(&mut self) -> Sample {
        self.sampler.take().map(Sampler::finish).unwrap_or_default()
    }
}
