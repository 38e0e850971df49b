//! Text documents (odt): the body of `office:text`, read by the shared flow walker with
//! the body as its story. Tracked changes sit at the top of the body; their deletions
//! keep the deleted text, which goes out at the place `text:change` marks in the text.

use super::document::{DocState, close_walk};
use super::flow::{Mode, Sink};
use crate::context::{Ctx, ScanResult};
use crate::xml::XmlReader;
use std::io::BufRead;

/// `office:text` (its start tag already read).
pub fn body<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    doc: &mut DocState,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut w = doc.walker(part, Mode::Text);
    let read = w.block(xml, ctx, &mut Sink::Emit);
    w.finish_changes(ctx);
    let found = std::mem::take(&mut w.found);
    drop(w);
    close_walk(doc, ctx, found, Mode::Text);
    read
}
