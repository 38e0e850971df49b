//! The structural findings of a walked flow: hidden, disguised and falsely redacted
//! passages, comments, tracked changes and dark boxes. Messages count and place; they
//! never quote the text or name an author.

use super::flow::{Found, Mode, Passages};
use super::loc;
use crate::context::Ctx;
use crate::model::{Location, Severity, Story};
use crate::util::{ContentDigest, plural, thousands};

/// Reports everything `found` holds.
pub fn flow(ctx: &mut Ctx<'_>, found: &Found, mode: Mode) {
    for ((rule, sheet, _), p) in &found.passages {
        passages(
            ctx,
            rule,
            sheet.as_deref(),
            p.story.unwrap_or(Story::Body),
            p,
            mode,
        );
    }
    if found.empty_hidden_sections > 0
        && !found
            .passages
            .keys()
            .any(|(rule, _, _)| *rule == "hidden-text")
    {
        ctx.report(
            "hidden-text",
            Severity::Info,
            true,
            ctx.loc_file(),
            format!(
                "{} no text",
                plural(
                    found.empty_hidden_sections,
                    "hidden section holds",
                    "hidden sections hold"
                )
            ),
            "empty hidden sections",
        );
    }
    for (sheet, c) in &found.comments {
        if c.count == 0 {
            continue;
        }
        let mut l = place(ctx, &c.part, sheet.as_deref(), c.first_cell, mode);
        let message = match (mode, sheet) {
            (Mode::Spreadsheet, Some(s)) => format!(
                "{} on sheet '{s}' by {}",
                plural(c.count, "note", "notes"),
                plural(c.authors.len() as u64, "author", "authors")
            ),
            _ => {
                l.set_doc(&c.first);
                let replies = if c.replies > 0 {
                    format!(" ({})", plural(c.replies, "reply", "replies"))
                } else {
                    String::new()
                };
                format!(
                    "{}{replies} by {}{}",
                    plural(c.count, "comment", "comments"),
                    plural(c.authors.len() as u64, "author", "authors"),
                    slides(&c.slides)
                )
            }
        };
        ctx.report(
            "comment",
            Severity::Medium,
            true,
            l,
            message,
            &format!("comments:{}", c.digest.hex()),
        );
    }
    changes(ctx, found);
    if found.dark_boxes.count > 0 {
        let b = &found.dark_boxes;
        let mut l = loc(ctx, &b.part);
        l.set_doc(&b.first);
        ctx.report(
            "fake-redaction",
            Severity::Low,
            false,
            l,
            format!(
                "{} black-filled {} drawn in the text{}; check that none is laid over text as a redaction (the text under a box is still in the file)",
                thousands(b.count),
                if b.count == 1 { "shape is" } else { "shapes are" },
                paragraphs(&b.paragraphs)
            ),
            &b.digest.hex(),
        );
    }
    if found.script_fields > 0 {
        ctx.report(
            "macro",
            Severity::Medium,
            true,
            ctx.loc_file(),
            format!(
                "{} in the text hold script code",
                plural(found.script_fields, "script field", "script fields")
            ),
            "script fields",
        );
    }
}

fn place(
    ctx: &Ctx<'_>,
    part: &str,
    sheet: Option<&str>,
    cell: Option<(u32, u32)>,
    mode: Mode,
) -> Location {
    let mut l = loc(ctx, part);
    l.sheet = sheet.map(str::to_string);
    if mode == Mode::Spreadsheet {
        l.cell = cell.map(|(r, c)| crate::model::cell_ref(r, c));
    }
    l
}

fn passages(
    ctx: &mut Ctx<'_>,
    rule: &'static str,
    sheet: Option<&str>,
    story: Story,
    p: &Passages,
    mode: Mode,
) {
    let mut l = place(ctx, &p.part, sheet, p.first_cell, mode);
    l.set_doc(&p.first);
    let what = plural(p.count, "passage", "passages");
    let reasons: Vec<&str> = p.reasons.iter().copied().collect();
    let where_ = match (mode, sheet) {
        (Mode::Spreadsheet, Some(s)) => format!("on sheet '{s}'"),
        _ => format!("in the {}", story.words()),
    };
    let at = format!("{}{}", slides(&p.slides), paragraphs(&p.paragraphs));
    let (severity, message) = match rule {
        "hidden-text" => (
            Severity::High,
            format!(
                "{what} of hidden text {where_} ({}){at}",
                reasons.join("; ")
            ),
        ),
        "disguised-content" => (
            Severity::High,
            format!(
                "{what} of text {where_} cannot be seen: {}{at}",
                reasons.join("; ")
            ),
        ),
        _ => (
            rule_severity(rule),
            format!(
                "{what} of text {where_} only look redacted ({}): the text is still there{at}",
                reasons.join("; ")
            ),
        ),
    };
    ctx.report(rule, severity, true, l, message, &p.digest.hex());
}

fn rule_severity(rule: &str) -> Severity {
    crate::rules::rule(rule).severity
}

fn slides(list: &std::collections::BTreeSet<u32>) -> String {
    if list.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = list.iter().take(8).map(u32::to_string).collect();
    let more = if list.len() > 8 { ", …" } else { "" };
    if list.len() == 1 {
        format!(" on slide {}", shown[0])
    } else {
        format!(" on slides {}{more}", shown.join(", "))
    }
}

/// ", at paragraphs 3, 7" (the first few).
pub fn paragraphs(list: &[u32]) -> String {
    match list {
        [] => String::new(),
        [one] => format!(", at paragraph {one}"),
        many => format!(
            ", at paragraphs {}",
            many.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `tracked-change`: one finding for the document's change history.
fn changes(ctx: &mut Ctx<'_>, found: &Found) {
    let c = &found.changes;
    let total = c.insertions + c.deletions + c.formats;
    if total == 0 {
        return;
    }
    let mut l = loc(ctx, &c.part);
    if let Some(first) = &c.first {
        l.set_doc(first);
    }
    let mut parts = Vec::new();
    if c.deletions > 0 {
        let held = if c.deleted_passages > 0 {
            format!(
                " ({} of deleted text still in the file)",
                plural(c.deleted_paragraphs, "paragraph", "paragraphs")
            )
        } else {
            String::new()
        };
        parts.push(format!(
            "{}{held}",
            plural(c.deletions, "deletion", "deletions")
        ));
    }
    if c.insertions > 0 {
        parts.push(plural(c.insertions, "insertion", "insertions"));
    }
    if c.formats > 0 {
        parts.push(plural(c.formats, "format change", "format changes"));
    }
    let severity = if c.deleted_passages > 0 {
        Severity::High
    } else {
        Severity::Low
    };
    let mut digest = ContentDigest::default();
    digest.merge(c.digest);
    digest.update(&total.to_le_bytes());
    ctx.report(
        "tracked-change",
        severity,
        true,
        l,
        format!(
            "tracked changes: {}, by {}{}",
            parts.join(", "),
            plural(c.authors.len() as u64, "author", "authors"),
            paragraphs(&c.places)
        ),
        &digest.hex(),
    );
}
