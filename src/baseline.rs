//! Baselines: fingerprints of findings a reviewer has accepted. A baseline file holds hashes
//! and rule ids only, never paths or content, so it can be kept in version control.

use crate::model::FileReport;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

pub const SCHEMA: &str = "foiguard-baseline/1";

#[derive(Debug, Default, Clone)]
pub struct Baseline {
    fingerprints: HashSet<String>,
}

#[derive(Serialize, Deserialize)]
struct BaselineFile {
    schema: String,
    /// Fingerprint → rule id, sorted so the file diffs cleanly.
    accepted: BTreeMap<String, String>,
}

impl Baseline {
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.fingerprints.contains(fingerprint)
    }

    /// Reads a baseline written by `--write-baseline`; anything else is an error (exit 2).
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let name = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline '{name}': {e}"))?;
        let file: BaselineFile = serde_json::from_str(&text)
            .map_err(|e| format!("baseline '{name}' is not a foiguard baseline: {e}"))?;
        if file.schema != SCHEMA {
            return Err(format!(
                "baseline '{name}' has schema '{}', expected '{SCHEMA}'",
                file.schema
            ));
        }
        if let Some(bad) = file
            .accepted
            .keys()
            .find(|f| f.len() != 32 || !f.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(format!(
                "baseline '{name}' holds '{bad}', which is not a fingerprint"
            ));
        }
        Ok(Baseline {
            fingerprints: file.accepted.into_keys().collect(),
        })
    }
}

/// Collects the fingerprints of a scan's findings as files finish, then writes them.
#[derive(Debug, Default)]
pub struct BaselineWriter {
    /// Fingerprint → rule id, sorted so the file diffs cleanly.
    accepted: BTreeMap<String, String>,
}

impl BaselineWriter {
    /// Records every finding of `report` except `unscannable` ones: a file that could not be
    /// read cannot have been reviewed.
    pub fn add(&mut self, report: &FileReport) {
        for f in report.findings.iter().filter(|f| f.rule != "unscannable") {
            self.accepted
                .insert(f.fingerprint.clone(), f.rule.to_string());
        }
    }

    /// Writes the baseline file; returns how many fingerprints it holds.
    pub fn save(self, path: &Path) -> Result<usize, String> {
        let count = self.accepted.len();
        let file = BaselineFile {
            schema: SCHEMA.to_string(),
            accepted: self.accepted,
        };
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
        text.push('\n');
        std::fs::write(path, text)
            .map_err(|e| format!("cannot write baseline '{}': {e}", path.display()))?;
        Ok(count)
    }
}
