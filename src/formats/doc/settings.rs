//! What the table stream records about who made the document and where, besides the
//! property streams: the associated strings (`SttbfAssoc`: the attached template's path,
//! mail merge data and header sources, and copies of the title, author and last editor)
//! and the save history (`SttbSavedBy`: user name and file path of each of the last saves,
//! which Word 97 kept). Reported as `document-metadata` the way the docx inspector reports
//! its settings part.

use super::sttb;
use crate::context::Ctx;
use crate::formats::docx::settings::{emit, report_recorded};
use crate::util::{ContentDigest, plural};

/// `SttbfAssoc` entries ([MS-DOC] 2.9.264) and what each holds.
const ASSOC: [(usize, &str); 9] = [
    (1, "attached template"),
    (2, "title (associated strings)"),
    (3, "subject (associated strings)"),
    (4, "keywords (associated strings)"),
    (5, "comments (associated strings)"),
    (6, "author (associated strings)"),
    (7, "last modified by (associated strings)"),
    (8, "mail merge data source"),
    (9, "mail merge header source"),
];

pub fn report(ctx: &mut Ctx<'_>, part: &str, assoc: &[u8], saved_by: &[u8]) {
    let assoc = sttb::strings(assoc);
    let saves = sttb::strings(saved_by);
    let mut digest = ContentDigest::default();
    let mut found: Vec<String> = Vec::new();
    let mut evidence: Vec<String> = Vec::new();
    for (i, detail) in ASSOC {
        let Some(value) = assoc.get(i).filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        emit(ctx, part, value, detail);
        match i {
            1 => {
                digest.update(value.as_bytes());
                evidence.push(value.clone());
                found.push(if value.contains(['\\', '/']) {
                    "the attached template's path".into()
                } else {
                    "the attached template's name".into()
                });
            }
            8 | 9 => {
                digest.update(value.as_bytes());
                evidence.push(value.clone());
                if !found.iter().any(|f| f.starts_with("a mail merge")) {
                    found.push("a mail merge data source".into());
                }
            }
            _ => {}
        }
    }
    // Pairs of (user name, path), oldest first.
    let pairs: Vec<&[String]> = saves
        .chunks(2)
        .filter(|p| p.iter().any(|s| !s.trim().is_empty()))
        .collect();
    for pair in &pairs {
        for (value, detail) in pair
            .iter()
            .zip(["saved by (save history)", "saved as (save history)"])
        {
            if !value.trim().is_empty() {
                emit(ctx, part, value, detail);
                digest.update(value.as_bytes());
            }
        }
    }
    if !pairs.is_empty() {
        found.push(format!(
            "the user names and file paths of {}",
            plural(pairs.len() as u64, "earlier save", "earlier saves")
        ));
        if let Some(last) = pairs.last().and_then(|p| p.first()) {
            evidence.push(last.clone());
        }
    }
    report_recorded(ctx, part, &found, &digest, &evidence);
}
