//! Tracked changes of a text document. `text:tracked-changes` at the top of the body lists
//! each changed region with its author; a deletion keeps the deleted text there, and
//! `text:change` marks where it was made. LibreOffice also writes a deletion's text in the
//! flow itself, between `text:change-start` and `text:change-end`. Either way the deleted
//! text goes to the detectors as hidden revision text, at its paragraph.

use super::look::Class;
use super::{Elem, MAX_LISTED, RunFx, Walker, collect_text};
use crate::context::{Ctx, ScanResult};
use crate::model::{DocPlace, ItemKind, Story};
use crate::util::ContentDigest;
use crate::xml::{XmlReader, local_end};
use quick_xml::events::Event;
use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;

/// One tracked change of a text document, from `text:tracked-changes`.
#[derive(Debug, Default)]
struct Region {
    kind: ChangeKind,
    text: String,
    paragraphs: u32,
    emitted: bool,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum ChangeKind {
    #[default]
    Insertion,
    Deletion,
    Format,
}

/// The tracked changes of a text document.
#[derive(Debug, Default)]
pub struct Changes {
    regions: HashMap<String, Region>,
    pub insertions: u64,
    pub deletions: u64,
    pub formats: u64,
    /// Deletions that still hold text, and how many paragraphs of it.
    pub deleted_passages: u64,
    pub deleted_paragraphs: u64,
    pub authors: BTreeSet<String>,
    pub first: Option<DocPlace>,
    pub places: Vec<u32>,
    pub digest: ContentDigest,
    pub part: String,
    pub tracking_on: bool,
}

impl Walker<'_> {
    /// Reads `text:tracked-changes`: each changed region, with the text of deletions.
    pub(super) fn tracked_changes<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
        e: &Elem,
    ) -> ScanResult<()> {
        let ch = &mut self.found.changes;
        ch.tracking_on |= e.get("track-changes") != Some("false");
        ch.part = self.part.clone();
        let mut depth = 0u32;
        let mut id: Option<String> = None;
        let mut region = Region::default();
        loop {
            self.tick(ctx)?;
            let ev = xml.next_event()?;
            let (elem, empty) = match &ev {
                Event::Start(e) => (Elem::read(e), false),
                Event::Empty(e) => (Elem::read(e), true),
                Event::End(e) => {
                    let name = local_end(e.name().0).to_string();
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    if name == "changed-region"
                        && let Some(i) = id.take()
                    {
                        let r = std::mem::take(&mut region);
                        self.add_region(i, r);
                    }
                    continue;
                }
                Event::Eof => return Ok(()),
                _ => continue,
            };
            drop(ev);
            match elem.local() {
                "changed-region" => {
                    id = elem.get("id").map(str::to_string);
                    region = Region::default();
                    if empty {
                        continue;
                    }
                    depth += 1;
                }
                "insertion" => {
                    region.kind = ChangeKind::Insertion;
                    if !empty {
                        depth += 1;
                    }
                }
                "format-change" => {
                    region.kind = ChangeKind::Format;
                    if !empty {
                        depth += 1;
                    }
                }
                "deletion" => {
                    region.kind = ChangeKind::Deletion;
                    if !empty {
                        depth += 1;
                    }
                }
                "creator" if !empty => {
                    let who = collect_text(xml, ctx)?;
                    self.author(ctx, &who, "tracked change author");
                }
                "p" | "h" if !empty && region.kind == ChangeKind::Deletion => {
                    let t = collect_text(xml, ctx)?;
                    region.paragraphs += 1;
                    if !region.text.is_empty() {
                        region.text.push('\n');
                    }
                    region.text.push_str(&t);
                }
                _ => {
                    if !empty {
                        depth += 1;
                    }
                }
            }
        }
    }

    fn add_region(&mut self, id: String, r: Region) {
        let ch = &mut self.found.changes;
        match r.kind {
            ChangeKind::Insertion => ch.insertions += 1,
            ChangeKind::Format => ch.formats += 1,
            ChangeKind::Deletion => ch.deletions += 1,
        }
        if ch.regions.len() < 1_000_000 {
            ch.regions.insert(id, r);
        }
    }

    /// `text:change`: where a deletion was made. Its text goes out here, at its place.
    pub(super) fn change_point(&mut self, ctx: &mut Ctx<'_>, id: &str) {
        let doc = self.place(self.current_paragraph());
        let Some(r) = self.found.changes.regions.get_mut(id) else {
            return;
        };
        if r.kind != ChangeKind::Deletion || r.emitted {
            return;
        }
        r.emitted = true;
        let text = std::mem::take(&mut r.text);
        let paragraphs = r.paragraphs;
        self.deleted(ctx, &text, paragraphs, doc);
    }

    pub(super) fn deleted(
        &mut self,
        ctx: &mut Ctx<'_>,
        text: &str,
        paragraphs: u32,
        doc: DocPlace,
    ) {
        {
            let ch = &mut self.found.changes;
            if ch.first.is_none() || !text.trim().is_empty() && ch.deleted_passages == 0 {
                ch.first = Some(doc);
            }
            if text.trim().is_empty() {
                return;
            }
            ch.deleted_passages += 1;
            ch.deleted_paragraphs += u64::from(paragraphs.max(1));
            if let Some(n) = doc.paragraph
                && ch.places.len() < MAX_LISTED
                && ch.places.last() != Some(&n)
            {
                ch.places.push(n);
            }
            ch.digest.update(text.as_bytes());
        }
        self.emit(
            ctx,
            text,
            ItemKind::Revision,
            true,
            Some("tracked deletion"),
            doc,
            None,
        );
    }

    /// How a reader sees text of this look here: deleted text inside an open deletion.
    pub(super) fn class_of(&self, fx: &RunFx) -> Class {
        if self.open_deletions.is_empty() {
            fx.classify(self.ground())
        } else {
            Class::Deleted
        }
    }

    /// `text:change-start`: where a change begins. For a deletion, the text up to its
    /// `text:change-end` is the deleted text.
    pub(super) fn change_start(&mut self, e: &Elem) {
        let doc = self.place(self.current_paragraph());
        self.found.changes.first.get_or_insert(doc);
        let Some(id) = e.get("change-id") else {
            return;
        };
        if let Some(r) = self.found.changes.regions.get_mut(id)
            && r.kind == ChangeKind::Deletion
        {
            r.emitted = true;
            if self.open_deletions.len() < 64 {
                self.open_deletions.push(id.to_string());
            }
        }
    }

    pub(super) fn change_end(&mut self, e: &Elem) {
        if let Some(id) = e.get("change-id")
            && let Some(i) = self.open_deletions.iter().rposition(|d| d == id)
        {
            self.open_deletions.remove(i);
        }
    }

    /// Deletions no `text:change` placed: their text still goes to the detectors.
    pub fn finish_changes(&mut self, ctx: &mut Ctx<'_>) {
        let left: Vec<(String, u32)> = self
            .found
            .changes
            .regions
            .values_mut()
            .filter(|r| r.kind == ChangeKind::Deletion && !r.emitted)
            .map(|r| {
                r.emitted = true;
                (std::mem::take(&mut r.text), r.paragraphs)
            })
            .collect();
        for (text, paragraphs) in left {
            let doc = DocPlace {
                story: Some(Story::Body),
                ..DocPlace::NONE
            };
            self.deleted(ctx, &text, paragraphs, doc);
        }
    }
}
