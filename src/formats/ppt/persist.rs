//! Where the live objects of a presentation are ([MS-PPT] 2.1.2): the `Current User`
//! stream points at the last `UserEditAtom` of the `PowerPoint Document` stream; each edit
//! points at the one before it and at its `PersistDirectoryAtom`, which maps persist ids to
//! stream offsets. Read oldest first, newer entries replacing older ones, the directories
//! give the current object of every id. The chain is followed with its offsets checked,
//! its length capped and cycles refused.

use super::records::{self, Rec, kind, u16_at, u32_at};
use crate::context::{ScanError, ScanResult};
use std::collections::{BTreeMap, BTreeSet};

/// Most edits followed, and most persist entries read.
const MAX_EDITS: usize = 4096;
const MAX_ENTRIES: usize = 1 << 20;

/// What the `Current User` stream says.
pub struct CurrentUser {
    pub offset: u32,
    /// The name of the user who last saved the file (as PowerPoint records it).
    pub user: String,
}

pub fn current_user(stream: &[u8]) -> ScanResult<CurrentUser> {
    let rec = records::at(stream, 0, stream.len())
        .filter(|r| r.kind == kind::CURRENT_USER_ATOM)
        .ok_or_else(|| {
            ScanError::new(
                "the Current User stream holds no PowerPoint 97 CurrentUserAtom (PowerPoint 95 or older, or damaged), so the current edit of the presentation cannot be found",
            )
        })?;
    let b = rec.data(stream);
    let token = u32_at(b, 4).unwrap_or(0);
    match token {
        0xE391_C05F => {}
        0xF3D1_C4DF => {
            return Err(ScanError::new(
                "password-protected: the presentation is encrypted, so its content cannot be checked",
            ));
        }
        other => {
            return Err(ScanError::new(format!(
                "the Current User stream has an unknown header token ({other:#010x})"
            )));
        }
    }
    let offset = u32_at(b, 8).unwrap_or(0);
    let len = u16_at(b, 12).unwrap_or(0) as usize;
    let ansi: String = b
        .get(20..20 + len)
        .unwrap_or(&[])
        .iter()
        .map(|&c| c as char)
        .collect();
    // A Unicode copy of the name follows the release version, when there is one.
    let unicode = b.get(24 + len..24 + len + 2 * len).map(|u| {
        let units: Vec<u16> = u
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    });
    let user = unicode
        .filter(|u| !u.trim_matches('\0').trim().is_empty())
        .unwrap_or(ansi);
    Ok(CurrentUser {
        offset,
        user: user.trim_matches('\0').trim().to_string(),
    })
}

/// The edits of a presentation and the current object of every persist id.
#[derive(Debug, Default)]
pub struct Edits {
    /// Persist id → stream offset, as of the current edit.
    pub current: BTreeMap<u32, u32>,
    /// Every offset an edit's directory ever named (the current one's included).
    pub ever: BTreeSet<u32>,
    /// The persist id of the document container.
    pub document: u32,
    /// Offsets of the user edit atoms and persist directories of the chain.
    pub structure: BTreeSet<u32>,
    pub count: usize,
}

pub fn read(doc: &[u8], current_edit: u32) -> ScanResult<Edits> {
    let mut chain: Vec<(Rec, u32)> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut at = current_edit;
    let mut first = true;
    loop {
        if !seen.insert(at) {
            return Err(ScanError::new(format!(
                "the chain of edits loops back to offset {at}"
            )));
        }
        if chain.len() >= MAX_EDITS {
            return Err(ScanError::new(format!(
                "the presentation has more than {MAX_EDITS} edits"
            )));
        }
        let rec = records::at(doc, at as usize, doc.len())
            .filter(|r| r.kind == kind::USER_EDIT_ATOM && r.len >= 28)
            .ok_or_else(|| {
                ScanError::new(format!(
                    "no UserEditAtom at offset {at} of the PowerPoint Document stream{}",
                    if first {
                        " (where the Current User stream points)"
                    } else {
                        ""
                    }
                ))
            })?;
        first = false;
        let b = rec.data(doc);
        if rec.len >= 32 && u32_at(b, 28).is_some_and(|id| id != 0) {
            return Err(ScanError::new(
                "password-protected: the presentation is encrypted, so its content cannot be checked",
            ));
        }
        let previous = u32_at(b, 8).unwrap_or(0);
        let dir = u32_at(b, 12).unwrap_or(0);
        chain.push((rec, dir));
        if previous == 0 {
            break;
        }
        at = previous;
    }
    let mut out = Edits {
        document: chain
            .first()
            .and_then(|(r, _)| u32_at(r.data(doc), 16))
            .unwrap_or(0),
        count: chain.len(),
        ..Edits::default()
    };
    let mut entries = 0usize;
    for (rec, dir) in chain.iter().rev() {
        out.structure.insert(rec.at as u32);
        let d = records::at(doc, *dir as usize, doc.len())
            .filter(|r| r.kind == kind::PERSIST_DIRECTORY_ATOM)
            .ok_or_else(|| {
                ScanError::new(format!(
                    "no PersistDirectoryAtom at offset {dir}, where an edit points"
                ))
            })?;
        out.structure.insert(d.at as u32);
        let b = d.data(doc);
        let mut pos = 0usize;
        while let Some(head) = u32_at(b, pos) {
            let id = head & 0x000F_FFFF;
            let n = (head >> 20) as usize;
            pos += 4;
            for i in 0..n {
                let Some(offset) = u32_at(b, pos + i * 4) else {
                    return Err(ScanError::new("a persist directory is cut short"));
                };
                entries += 1;
                if entries > MAX_ENTRIES {
                    return Err(ScanError::new(format!(
                        "the persist directories hold more than {MAX_ENTRIES} entries"
                    )));
                }
                out.current.insert(id + i as u32, offset);
                out.ever.insert(offset);
            }
            pos += n * 4;
        }
    }
    Ok(out)
}
