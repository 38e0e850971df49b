//! A bounded sample of extracted items, for `inspect`: keeping every item of a file with a
//! million hidden rows would cost gigabytes to print twenty of them. The sampler keeps the
//! first items of each part that its filter selects and only counts the rest, so the
//! reviewer's view can say "… and N more rows" truthfully.

use crate::model::{Item, Location, OwnedItem};
use std::collections::HashMap;

/// Longest text kept per item; `inspect` prints far less, and one huge cell must not make
/// a bounded sample unbounded.
const MAX_TEXT_BYTES: usize = 4096;

/// Selected items of one part (container chain + part), kept or not.
#[derive(Debug, Clone)]
pub struct PartCount {
    /// Container chain and part only.
    pub location: Location,
    pub items: u64,
    /// Row changes among the selected items (items without a cell count one each): the
    /// number of rows for parts streamed in row order (worksheets, cache records).
    pub rows: u64,
    last_row: Option<u32>,
    kept: usize,
}

/// What a [`Sampler`] kept, with counts per part, both in extraction order.
#[derive(Debug, Default)]
pub struct Sample {
    pub items: Vec<OwnedItem>,
    pub parts: Vec<PartCount>,
}

impl Sample {
    /// The counts of the part `location` (container chain and part) is in.
    pub fn count_of(&self, location: &Location) -> Option<&PartCount> {
        self.parts.iter().find(|p| {
            p.location.container == location.container && p.location.part == location.part
        })
    }
}

/// Keeps at most `per_part` selected items per part and `total` in all.
pub struct Sampler {
    keep: fn(&Item<'_>, &[String]) -> bool,
    per_part: usize,
    total: usize,
    sample: Sample,
    index: HashMap<(Vec<String>, String), usize>,
    /// Items come in runs from one part: the last part is checked before the map.
    last: Option<usize>,
}

impl Sampler {
    /// `keep` selects items, given the container chain they are in.
    pub fn new(keep: fn(&Item<'_>, &[String]) -> bool, per_part: usize, total: usize) -> Self {
        Sampler {
            keep,
            per_part,
            total,
            sample: Sample::default(),
            index: HashMap::new(),
            last: None,
        }
    }

    pub fn add(&mut self, item: &Item<'_>, container: &[String]) {
        if !(self.keep)(item, container) {
            return;
        }
        let i = self.part_index(item.part, container);
        let part = &mut self.sample.parts[i];
        part.items += 1;
        let row = item.cell.map(|(r, _)| r);
        if row.is_none() || row != part.last_row {
            part.rows += 1;
        }
        part.last_row = row;
        if part.kept >= self.per_part || self.sample.items.len() >= self.total {
            return;
        }
        part.kept += 1;
        let mut owned = OwnedItem {
            text: String::new(),
            kind: item.kind,
            hidden: item.hidden,
            location: item.location(container),
            detail: item.detail.map(str::to_string),
        };
        let mut end = item.text.len().min(MAX_TEXT_BYTES);
        while !item.text.is_char_boundary(end) {
            end -= 1;
        }
        owned.text.push_str(&item.text[..end]);
        self.sample.items.push(owned);
    }

    fn part_index(&mut self, part: &str, container: &[String]) -> usize {
        let same = |p: &PartCount| {
            p.location.part.as_deref().unwrap_or("") == part && p.location.container == container
        };
        if let Some(i) = self.last
            && same(&self.sample.parts[i])
        {
            return i;
        }
        let key = (container.to_vec(), part.to_string());
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                self.sample.parts.push(PartCount {
                    location: Location {
                        container: container.to_vec(),
                        part: (!part.is_empty()).then(|| part.to_string()),
                        ..Default::default()
                    },
                    items: 0,
                    rows: 0,
                    last_row: None,
                    kept: 0,
                });
                self.index.insert(key, self.sample.parts.len() - 1);
                self.sample.parts.len() - 1
            }
        };
        self.last = Some(i);
        i
    }

    pub fn finish(self) -> Sample {
        self.sample
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ItemKind;

    fn cell(text: &str, row: u32, hidden: bool) -> Item<'_> {
        Item {
            text,
            kind: ItemKind::Cell,
            hidden,
            part: "xl/worksheets/sheet2.xml",
            sheet: Some("Staff"),
            cell: Some((row, 0)),
            detail: None,
            doc: crate::model::DocPlace::NONE,
        }
    }

    #[test]
    fn keeps_the_first_selected_items_and_counts_the_rest() {
        let mut s = Sampler::new(|i, _| i.hidden, 3, 100);
        for row in 0..10 {
            s.add(&cell("SMITH", row, true), &[]);
            s.add(&cell("visible", row, false), &[]);
        }
        s.add(&cell("inner", 0, true), &["embedded.xlsx".into()]);
        let sample = s.finish();
        assert_eq!(sample.items.len(), 4);
        assert_eq!(sample.parts.len(), 2);
        assert_eq!((sample.parts[0].items, sample.parts[0].rows), (10, 10));
        assert_eq!(sample.parts[1].location.container, vec!["embedded.xlsx"]);
        assert_eq!(sample.items[3].text, "inner");
    }

    #[test]
    fn long_text_is_cut_on_a_character_boundary() {
        let mut s = Sampler::new(|_, _| true, 10, 10);
        let long = "é".repeat(MAX_TEXT_BYTES);
        s.add(&cell(&long, 0, true), &[]);
        let kept = &s.finish().items[0].text;
        assert!(kept.len() <= MAX_TEXT_BYTES && kept.starts_with('é'));
    }
}
