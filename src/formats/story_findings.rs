//! What the stories of a word-processing document (docx and doc alike) report: text kinds
//! tallied per story as the reader meets them, and the findings made from the tallies, so
//! both formats word and rate them the same way.

use crate::context::Ctx;
use crate::model::{DocPlace, Severity};
use crate::util::{ContentDigest, plural, thousands};
use std::collections::BTreeSet;

/// Pieces of one kind of text in one story: which paragraphs, how much, a digest.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// The first paragraphs concerned (enough to name them), and how many in all.
    pub(crate) paragraphs: Vec<u32>,
    pub(crate) distinct: u64,
    pub(crate) count: u64,
    pub(crate) chars: u64,
    pub(crate) first: Option<DocPlace>,
    pub(crate) last: Option<u32>,
    pub(crate) digest: ContentDigest,
}

impl Tally {
    pub(crate) fn add(&mut self, place: DocPlace, text: &str) {
        self.count += 1;
        self.chars += text.chars().filter(|c| !c.is_whitespace()).count() as u64;
        self.first.get_or_insert(place);
        if let Some(p) = place.paragraph
            && self.last != Some(p)
        {
            self.last = Some(p);
            self.distinct += 1;
            if self.paragraphs.len() < 8 {
                self.paragraphs.push(p);
            }
        }
        self.digest.update(text.as_bytes());
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// "12 characters".
    pub(crate) fn characters(&self) -> String {
        plural(self.chars, "character", "characters")
    }

    /// "in paragraph 3", "in 4 paragraphs (3, 7, 9, 12)", "in 9 paragraphs (3, 7, 9, …)".
    pub(crate) fn where_words(&self) -> String {
        match self.paragraphs.as_slice() {
            [] => String::new(),
            [one] if self.distinct == 1 => format!(" in paragraph {one}"),
            list => {
                let shown: Vec<String> = list.iter().take(5).map(u32::to_string).collect();
                let more = if self.distinct > 5 { ", …" } else { "" };
                format!(
                    " in {} paragraphs ({}{more})",
                    thousands(self.distinct),
                    shown.join(", ")
                )
            }
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub(crate) hidden: Tally,
    pub(crate) hidden_styles: BTreeSet<String>,
    pub(crate) hidden_direct: u64,
    pub(crate) deleted: Tally,
    pub(crate) moved_away: Tally,
    pub(crate) tiny: Tally,
    pub(crate) same_colour: Tally,
    pub(crate) under_bar: Tally,
    pub(crate) readable_bar: Tally,
    pub(crate) web_hidden: Tally,
    pub(crate) covered: Tally,
    pub(crate) review_boxes: Tally,
    pub(crate) insertions: u64,
    pub(crate) deletions: u64,
    pub(crate) moves: u64,
    pub(crate) format_changes: u64,
    pub(crate) first_change: Option<DocPlace>,
    pub(crate) change_paragraphs: Tally,
}

/// The findings for one story of a part.
pub(crate) fn report_story(ctx: &mut Ctx<'_>, part: &str, s: &Stats, authors: u64) {
    let loc = |ctx: &Ctx<'_>, place: Option<DocPlace>| {
        ctx.loc(part).with_doc(&place.unwrap_or(DocPlace::NONE))
    };
    // A finding about one tally: placed at its first piece, keyed on its text.
    let report_tally = |ctx: &mut Ctx<'_>,
                        rule: &'static str,
                        severity: Severity,
                        hidden: bool,
                        tally: &Tally,
                        message: String| {
        let location = loc(ctx, tally.first);
        ctx.report(
            rule,
            severity,
            hidden,
            location,
            message,
            &tally.digest.hex(),
        );
    };
    // Tracked changes.
    let changes = s.insertions + s.deletions + s.moves + s.format_changes;
    if changes > 0 {
        let mut what: Vec<String> = Vec::new();
        if s.deletions > 0 {
            let mut d = plural(s.deletions, "deletion", "deletions");
            if !s.deleted.is_empty() {
                d.push_str(&format!(
                    " ({} of deleted text{})",
                    s.deleted.characters(),
                    s.deleted.where_words()
                ));
            }
            what.push(d);
        }
        if s.insertions > 0 {
            what.push(plural(s.insertions, "insertion", "insertions"));
        }
        if s.moves > 0 {
            let mut m = plural(s.moves, "move", "moves");
            if !s.moved_away.is_empty() {
                m.push_str(&format!(
                    " (text moved away that is no longer where it went{})",
                    s.moved_away.where_words()
                ));
            }
            what.push(m);
        }
        if s.format_changes > 0 {
            what.push(plural(s.format_changes, "format change", "format changes"));
        }
        let by = if authors > 0 {
            format!(", by {}", plural(authors, "author", "authors"))
        } else {
            String::new()
        };
        let with_text = !s.deleted.is_empty() || !s.moved_away.is_empty();
        let severity = if with_text {
            Severity::High
        } else if s.insertions + s.moves + s.deletions > 0 {
            Severity::Medium
        } else {
            Severity::Low
        };
        let first = s.deleted.first.or(s.moved_away.first).or(s.first_change);
        let place_words = if with_text {
            String::new()
        } else {
            s.change_paragraphs.where_words()
        };
        let mut key = s.deleted.digest;
        key.merge(s.moved_away.digest);
        ctx.report(
            "tracked-change",
            severity,
            true,
            loc(ctx, first),
            format!(
                "tracked changes still in the file: {}{place_words}{by}",
                what.join(", ")
            ),
            &format!("{changes}:{}", key.hex()),
        );
    }
    // Hidden text.
    if !s.hidden.is_empty() {
        let mut how: Vec<String> = Vec::new();
        if s.hidden_direct > 0 {
            how.push("directly".into());
        }
        let styles: Vec<String> = s
            .hidden_styles
            .iter()
            .take(3)
            .map(|n| format!("'{n}'"))
            .collect();
        if !styles.is_empty() {
            how.push(format!(
                "through {} {}",
                if styles.len() == 1 { "style" } else { "styles" },
                styles.join(", ")
            ));
        }
        let how = if how.is_empty() {
            " (in a hidden text box)".to_string()
        } else {
            format!(" (formatted hidden {})", how.join(" and "))
        };
        report_tally(
            ctx,
            "hidden-text",
            Severity::High,
            true,
            &s.hidden,
            format!(
                "hidden text{how}: {}{}",
                s.hidden.characters(),
                s.hidden.where_words()
            ),
        );
    }
    if !s.web_hidden.is_empty() {
        report_tally(
            ctx,
            "hidden-text",
            Severity::Low,
            false,
            &s.web_hidden,
            format!(
                "text hidden in web layout only (it shows in print layout): {}{}",
                s.web_hidden.characters(),
                s.web_hidden.where_words()
            ),
        );
    }
    // Fake redactions.
    if !s.under_bar.is_empty() {
        report_tally(
            ctx,
            "fake-redaction",
            Severity::Critical,
            true,
            &s.under_bar,
            format!(
                "text coloured like its own black highlight or shading: the bar hides nothing, the text is still in the file ({}{})",
                s.under_bar.characters(),
                s.under_bar.where_words()
            ),
        );
    }
    if !s.covered.is_empty() {
        report_tally(
            ctx,
            "fake-redaction",
            Severity::Critical,
            true,
            &s.covered,
            format!(
                "a dark box is drawn in front of the text{}: the text is still there under it ({})",
                s.covered.where_words(),
                s.covered.characters()
            ),
        );
    }
    if !s.readable_bar.is_empty() {
        report_tally(
            ctx,
            "fake-redaction",
            Severity::Medium,
            false,
            &s.readable_bar,
            format!(
                "black highlight over text that stays readable{}: it looks like a redaction but hides nothing",
                s.readable_bar.where_words()
            ),
        );
    }
    if !s.review_boxes.is_empty() {
        ctx.report(
            "fake-redaction",
            Severity::Low,
            false,
            loc(ctx, s.review_boxes.first),
            format!(
                "{} floating over the page, anchored{}: check whether it covers text",
                plural(
                    s.review_boxes.count,
                    "dark filled shape",
                    "dark filled shapes"
                ),
                s.review_boxes.where_words()
            ),
            &s.review_boxes.count.to_string(),
        );
    }
    // Disguised text.
    let mut disguised: Vec<String> = Vec::new();
    if !s.same_colour.is_empty() {
        disguised.push(format!(
            "text coloured like its background (white on white){}: {}",
            s.same_colour.where_words(),
            s.same_colour.characters()
        ));
    }
    if !s.tiny.is_empty() {
        disguised.push(format!(
            "text of 1 pt or smaller{}: {}",
            s.tiny.where_words(),
            s.tiny.characters()
        ));
    }
    if !disguised.is_empty() {
        let mut key = s.same_colour.digest;
        key.merge(s.tiny.digest);
        ctx.report(
            "disguised-content",
            Severity::High,
            true,
            loc(ctx, s.same_colour.first.or(s.tiny.first)),
            disguised.join("; "),
            &key.hex(),
        );
    }
}
