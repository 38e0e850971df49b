//! The ledger of a package's parts: what became of each one, so that none is skipped
//! silently. Every part of a zip package (OOXML, ODF) ends the inspection in one state:
//! inspected, known to hold no text, of an unknown kind (its text scanned as hidden
//! content), an orphan nothing refers to, residue of zipping on a Mac, or unreadable.
//! A format module marks parts as it reads them; whatever is left is dealt with by the
//! package reader (see `unaccounted`), never dropped.

pub use crate::model::{PartState, PartTally};
use std::collections::HashMap;

struct Entry {
    name: String,
    state: Option<PartState>,
    /// The content type an unknown part was declared with.
    unknown_type: Option<String>,
}

/// The parts of one package and the state each is in.
pub struct Ledger {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

impl Ledger {
    /// Every entry of the package except folder entries (names ending in `/`).
    pub fn new(names: &[String]) -> Self {
        let mut entries = Vec::with_capacity(names.len());
        let mut index = HashMap::with_capacity(names.len());
        for name in names.iter().filter(|n| !n.ends_with('/')) {
            index
                .entry(name.to_ascii_lowercase())
                .or_insert(entries.len());
            entries.push(Entry {
                name: name.clone(),
                state: None,
                unknown_type: None,
            });
        }
        Ledger { entries, index }
    }

    /// Records what became of `part` (case-insensitive). Unknown names are ignored: a
    /// relationship may point to a part the package does not have.
    pub fn mark(&mut self, part: &str, state: PartState) {
        if let Some(&i) = self.index.get(&part.to_ascii_lowercase()) {
            let entry = &mut self.entries[i];
            if entry.state.is_none_or(|s| state.rank() >= s.rank()) {
                entry.state = Some(state);
            }
        }
    }

    /// Records a part of an unknown kind, with the content type it was declared with.
    pub fn mark_unknown(&mut self, part: &str, content_type: &str) {
        self.mark(part, PartState::Unknown);
        if let Some(&i) = self.index.get(&part.to_ascii_lowercase())
            && self.entries[i].state == Some(PartState::Unknown)
        {
            self.entries[i].unknown_type = Some(content_type.to_string());
        }
    }

    pub fn state(&self, part: &str) -> Option<PartState> {
        self.index
            .get(&part.to_ascii_lowercase())
            .and_then(|&i| self.entries[i].state)
    }

    /// Parts no state has been recorded for yet, in package order.
    pub fn unaccounted(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter(|e| e.state.is_none())
            .map(|e| e.name.clone())
            .collect()
    }

    /// Counts per state. Call once every part is accounted for; a part still without a
    /// state would be a bug in the caller, and is counted as unknown so it is not lost.
    pub fn tally(&self) -> PartTally {
        let mut tally = PartTally::default();
        for e in &self.entries {
            let state = e.state.unwrap_or(PartState::Unknown);
            *tally.states.entry(state).or_default() += 1;
            if state == PartState::Unknown {
                let kind =
                    e.unknown_type
                        .clone()
                        .unwrap_or_else(|| match e.name.rsplit_once('.') {
                            Some((_, ext)) if !ext.contains('/') => format!(".{ext}"),
                            _ => "(no extension)".into(),
                        });
                *tally.unknown_types.entry(kind).or_default() += 1;
            }
        }
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_ends_in_one_state() {
        let names: Vec<String> = [
            "xl/workbook.xml",
            "xl/media/",
            "xl/theme/theme1.xml",
            "xl/foo.bin",
            "[trash]/0001.dat",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut ledger = Ledger::new(&names);
        ledger.mark("XL/Workbook.xml", PartState::Inspected);
        ledger.mark("xl/theme/theme1.xml", PartState::NoText);
        assert_eq!(ledger.unaccounted(), vec!["xl/foo.bin", "[trash]/0001.dat"]);
        ledger.mark_unknown("xl/foo.bin", "application/x-foo");
        ledger.mark("[trash]/0001.dat", PartState::Orphan);
        // An inspected part is not demoted.
        ledger.mark("xl/workbook.xml", PartState::NoText);
        assert_eq!(ledger.state("xl/workbook.xml"), Some(PartState::Inspected));
        assert!(ledger.unaccounted().is_empty());
        let tally = ledger.tally();
        assert_eq!(tally.states[&PartState::Inspected], 1);
        assert_eq!(tally.states[&PartState::NoText], 1);
        assert_eq!(tally.states[&PartState::Unknown], 1);
        assert_eq!(tally.states[&PartState::Orphan], 1);
        assert_eq!(tally.unknown_types["application/x-foo"], 1);
        let json = serde_json::to_value(&tally).expect("serialises");
        assert_eq!(json["states"]["no-text"], 1);
    }
}
