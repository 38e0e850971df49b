//! What every OOXML format (xlsx, xlsm, xlsb, docx, pptx) does with the parts its own
//! inspectors did not read, once they have run: every part of the package ends in one state
//! of the [`Ledger`](crate::container::ledger::Ledger), and none is skipped silently.
//!
//! - parts of kinds known to hold no user text (pictures, fonts, printer settings) are
//!   recorded as such, unread;
//! - parts of known kinds that need no inspector of their own (slicers, VML drawings,
//!   control properties, signatures...) have their text scanned as hidden content;
//! - parts of kinds foiguard does not understand have their text scanned and, when they
//!   hold any, are reported as `unknown-part`;
//! - parts no relationship reaches are orphans, reported as `residual-data`, with their
//!   text scanned as hidden content;
//! - `__MACOSX/` and `.DS_Store` entries are decoded as Mac residue.

use crate::container::ledger::PartState;
use crate::container::opc::{Opc, PartKind, is_mac_residue};
use crate::context::{Ctx, ScanResult};
use crate::formats::{macos, unknown};
use crate::model::Severity;
use crate::util::{ContentDigest, plural, thousands};

impl Opc<'_> {
    /// Reachable parts of `kind`, recorded as inspected: the caller hands each to the
    /// inspector of that kind.
    pub fn take(&mut self, kind: PartKind) -> Vec<String> {
        let parts: Vec<String> = self
            .graph
            .parts(kind)
            .into_iter()
            .filter(|p| self.zip.has(p))
            .collect();
        for p in &parts {
            self.ledger.mark(p, PartState::Inspected);
        }
        parts
    }
}

/// Accounts for every part the format's inspectors left, then records the package's part
/// states for the report. Call once, after the inspectors.
pub fn finish(opc: &mut Opc<'_>, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    for (part, kind) in opc.graph.reachable() {
        if opc.ledger.state(&part).is_some() || !opc.zip.has(&part) {
            continue;
        }
        ctx.check_time()?;
        if kind.holds_no_text() {
            opc.ledger.mark(&part, PartState::NoText);
        } else if kind == PartKind::Unknown {
            let content_type = opc.graph.content_types.of(&part).to_string();
            let read = ctx.guard(&part, |ctx| {
                unknown::inspect(&mut opc.zip, &part, &content_type, ctx)
            })?;
            match read {
                Some(_) => opc.ledger.mark_unknown(&part, &content_type),
                None => opc.ledger.mark(&part, PartState::Unreadable),
            }
        } else {
            let what = format!("text of a {kind:?} part");
            let read = ctx.guard(&part, |ctx| {
                unknown::scan_text(&mut opc.zip, &part, &what, ctx)
            })?;
            opc.ledger.mark(
                &part,
                if read.is_some() {
                    PartState::Inspected
                } else {
                    PartState::Unreadable
                },
            );
        }
    }
    report_orphans(opc, ctx)?;
    let residue: Vec<String> = opc
        .zip
        .names()
        .iter()
        .filter(|n| is_mac_residue(n) && !n.ends_with('/'))
        .cloned()
        .collect();
    macos::inspect(&mut opc.zip, &residue, ctx)?;
    // Parts the graph reaches that the zip does not hold are not in the ledger; whatever is
    // still unaccounted for is a bug in an inspector: scan it rather than lose it.
    for part in opc.ledger.unaccounted() {
        let content_type = opc.graph.content_types.of(&part).to_string();
        if ctx
            .guard(&part, |ctx| {
                unknown::inspect(&mut opc.zip, &part, &content_type, ctx)
            })?
            .is_some()
        {
            opc.ledger.mark_unknown(&part, &content_type);
        } else {
            opc.ledger.mark(&part, PartState::Unreadable);
        }
    }
    ctx.record_parts(&opc.ledger.tally());
    Ok(())
}

/// Parts no relationship reaches: Excel's `[trash]` folder and leftovers of earlier saves.
/// Nothing in the file shows them, yet they travel with it; their text is scanned as
/// hidden content. Skipped when a relationship part could not be read, since then parts
/// would look orphaned that are not (that part is already `unscannable`).
fn report_orphans(opc: &mut Opc<'_>, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let orphans: Vec<String> = opc
        .orphans()
        .into_iter()
        .filter(|p| opc.ledger.state(p).is_none())
        .collect();
    if orphans.is_empty() {
        return Ok(());
    }
    if !opc.graph.complete {
        for p in &orphans {
            opc.ledger.mark(p, PartState::Unreadable);
        }
        return Ok(());
    }
    let mut digest = ContentDigest::default();
    for p in &orphans {
        opc.ledger.mark(p, PartState::Orphan);
        if let Some((_, d)) = ctx.guard(p, |ctx| {
            unknown::scan_text(&mut opc.zip, p, "text of a part nothing refers to", ctx)
        })? {
            digest.merge(d);
        }
        digest.update(p.as_bytes());
        digest.update(&opc.zip.crc32(p).unwrap_or(0).to_le_bytes());
    }
    let bytes: u64 = orphans
        .iter()
        .filter_map(|p| opc.zip.declared_size(p))
        .sum();
    if bytes == 0 {
        return Ok(());
    }
    let list: Vec<&str> = orphans.iter().map(String::as_str).take(4).collect();
    let more = if orphans.len() > 4 { ", …" } else { "" };
    ctx.report(
        "residual-data",
        Severity::High,
        true,
        ctx.loc(&orphans[0]),
        format!(
            "{} ({} bytes) that nothing in the file refers to: {}{more}",
            plural(orphans.len() as u64, "part", "parts"),
            thousands(bytes),
            list.join(", ")
        ),
        &digest.hex(),
    );
    Ok(())
}
