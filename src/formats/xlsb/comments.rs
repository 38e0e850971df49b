//! Notes (`commentsN.bin`): the authors (`BrtCommentAuthor`) and each note's cell
//! (`BrtBeginComment`) and text (`BrtCommentText`), reported as xlsx notes are.

use super::records::{self as rec, Fields, Records};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::formats::xlsx::SheetIndex;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::plural;
use std::collections::BTreeSet;

pub fn inspect(
    pkg: &mut Package<'_>,
    parts: &[String],
    index: &SheetIndex,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    for part in parts {
        ctx.guard(part, |ctx| comment_part(pkg, part, index, ctx))?;
    }
    Ok(())
}

fn comment_part(
    pkg: &mut Package<'_>,
    part: &str,
    index: &SheetIndex,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(());
    };
    let sheet = index.owner_of(part);
    let mut records = Records::new(reader, part);
    let mut body = Vec::new();
    let mut authors: Vec<String> = Vec::new();
    let mut people: BTreeSet<u32> = BTreeSet::new();
    let mut cell = None;
    let mut count = 0u64;
    while let Some(id) = records.next(&mut body, ctx)? {
        let mut f = Fields::new(&body);
        match id {
            rec::COMMENT_AUTHOR => {
                if let Some(a) = f.wide() {
                    authors.push(a);
                }
            }
            rec::BEGIN_COMMENT => {
                count += 1;
                let author = f.u32();
                if let Some(a) = author {
                    people.insert(a);
                }
                cell = f.rfx().map(|r| (r[0], r[2]));
            }
            rec::COMMENT_TEXT => {
                let text = f.rich().unwrap_or_else(|| rec::wide_runs(&body).join(" "));
                ctx.item(&Item {
                    text: &text,
                    kind: ItemKind::Comment,
                    hidden: true,
                    part,
                    sheet: sheet.as_deref(),
                    cell,
                    detail: Some("note"),
                    doc: DocPlace::NONE,
                });
            }
            _ => {}
        }
    }
    for a in &authors {
        ctx.item(&Item {
            text: a,
            kind: ItemKind::Author,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some("comment author"),
            doc: DocPlace::NONE,
        });
    }
    if count == 0 {
        return Ok(());
    }
    let where_ = sheet
        .as_deref()
        .map(|s| format!(" on sheet '{s}'"))
        .unwrap_or_default();
    let mut loc = ctx.loc(part);
    loc.sheet = sheet;
    ctx.report(
        "comment",
        Severity::Medium,
        true,
        loc,
        format!(
            "{}{where_} by {}",
            plural(count, "note", "notes"),
            plural(people.len() as u64, "author", "authors")
        ),
        "notes",
    );
    Ok(())
}
