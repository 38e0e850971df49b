//! The release policy: per-rule severities and switches from `foiguard.toml`, the baseline of
//! accepted findings, and the level that blocks. Applied to each file's findings after
//! detection, so inspectors and detectors never need to know about it.

use crate::baseline::Baseline;
use crate::config::Config;
use crate::model::{FileReport, Finding, Severity, Verdict};
use std::collections::{HashMap, HashSet};

/// Rules whose findings are personal data: in hidden content they stay at least `high`
/// (SPEC), whatever severity the config sets.
fn is_personal_data(rule: &str) -> bool {
    rule.starts_with("pii.")
        || matches!(
            rule,
            "roster-match" | "personal-data-column" | "row-level-data"
        )
}

/// True when `f` alone blocks release at `fail_on`: an `unscannable` finding always does, an
/// accepted one never does.
pub fn blocks(f: &Finding, fail_on: Severity) -> bool {
    f.rule == "unscannable" || (!f.accepted && f.severity >= fail_on)
}

#[derive(Debug)]
pub struct Policy {
    /// Lowest severity that blocks release.
    pub fail_on: Severity,
    severity: HashMap<&'static str, Severity>,
    disabled: HashSet<&'static str>,
    baseline: Option<Baseline>,
}

impl Policy {
    /// The built-in policy: every rule at its default severity, blocking at `fail_on`.
    pub fn new(fail_on: Severity) -> Self {
        Policy {
            fail_on,
            severity: HashMap::new(),
            disabled: HashSet::new(),
            baseline: None,
        }
    }

    /// The config's rule settings, blocking at `fail_on`, accepting `baseline`.
    pub fn from_config(config: &Config, fail_on: Severity, baseline: Option<Baseline>) -> Self {
        Policy {
            fail_on,
            severity: config.severity.clone(),
            disabled: config.disabled.clone(),
            baseline,
        }
    }

    /// Drops disabled rules, sets configured severities, marks baselined findings accepted,
    /// orders findings (most severe first) and decides the verdict. An `unscannable` finding
    /// always blocks and can never be accepted: nobody has reviewed what could not be read.
    pub fn apply(&self, report: &mut FileReport) {
        if !self.disabled.is_empty() {
            report.findings.retain(|f| !self.disabled.contains(f.rule));
        }
        for f in &mut report.findings {
            if let Some(&sev) = self.severity.get(f.rule) {
                f.severity = if f.hidden && is_personal_data(f.rule) {
                    sev.max(Severity::High)
                } else {
                    sev
                };
            }
            if let Some(b) = &self.baseline {
                f.accepted = f.rule != "unscannable" && b.contains(&f.fingerprint);
            }
        }
        report
            .findings
            .sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.rule.cmp(b.rule)));
        report.verdict = if report.findings.iter().any(|f| blocks(f, self.fail_on)) {
            Verdict::Block
        } else {
            Verdict::Pass
        };
    }
}
