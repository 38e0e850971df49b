//! External links (`externalLinkN.bin`): the supporting workbook (`BrtBeginSupBook`), its
//! sheet names (`BrtSupTabs`), the names used from it (`BrtSupNameStart`) and the cached
//! values of its cells (`BrtExternTableStart`, `BrtExternRowHdr`, `BrtExternCell*`). The
//! path to it is the part's external relationship, which often names a server, a share and
//! a user. Reported as xlsx external links are.

use super::records::{self as rec, Fields, Records, error_text, number_text};
use crate::container::opc::Graph;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::plural;

pub fn inspect(
    pkg: &mut Package<'_>,
    part: &str,
    graph: &Graph,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let target = graph
        .rels_of(part)
        .iter()
        .find(|r| r.external || r.kind.contains("Path"))
        .map(|r| r.target.clone());
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(());
    };
    let mut records = Records::new(reader, part);
    let mut body = Vec::new();
    let mut sheet_names: Vec<String> = Vec::new();
    let mut sheet: Option<usize> = None;
    let mut row = 0u32;
    let mut cached = 0u64;
    let mut kind = "workbook";
    while let Some(id) = records.next(&mut body, ctx)? {
        let mut f = Fields::new(&body);
        let value = match id {
            rec::BEGIN_SUP_BOOK => {
                kind = match f.u16() {
                    Some(1) => "DDE link",
                    Some(2) => "OLE link",
                    _ => "workbook",
                };
                // A DDE or OLE link names its server and topic here.
                if kind != "workbook" {
                    for t in rec::wide_runs(f.rest()) {
                        emit(ctx, part, None, None, &t, "external link source");
                    }
                }
                None
            }
            rec::SUP_TABS => {
                let n = f.u32().unwrap_or(0);
                for _ in 0..n {
                    match f.wide() {
                        Some(s) => sheet_names.push(s),
                        None => break,
                    }
                }
                None
            }
            rec::EXTERN_TABLE_START => {
                sheet = f.u32().map(|i| i as usize);
                None
            }
            rec::EXTERN_ROW_HDR => {
                row = f.u32().unwrap_or(row);
                None
            }
            rec::SUP_NAME_START => {
                if let Some(n) = f.wide() {
                    emit(
                        ctx,
                        part,
                        None,
                        None,
                        &n,
                        "name used from a linked workbook",
                    );
                }
                None
            }
            rec::SUP_NAME_ST => f.wide().map(|v| (None, v)),
            rec::SUP_NAME_NUM => f.f64().map(|v| (None, number_text(v))),
            rec::EXTERN_CELL_BLANK => None,
            rec::EXTERN_CELL_REAL => cell(&mut f, row, |f| f.f64().map(number_text)),
            rec::EXTERN_CELL_BOOL => cell(&mut f, row, |f| {
                f.u8()
                    .map(|b| if b != 0 { "TRUE" } else { "FALSE" }.to_string())
            }),
            rec::EXTERN_CELL_ERROR => {
                cell(&mut f, row, |f| f.u8().map(|e| error_text(e).to_string()))
            }
            rec::EXTERN_CELL_STRING => cell(&mut f, row, |f| f.wide()),
            _ => None,
        };
        if let Some((at, v)) = value
            && !v.trim().is_empty()
        {
            cached += 1;
            let name = sheet.and_then(|i| sheet_names.get(i)).map(String::as_str);
            emit(ctx, part, name, at, &v, "cached value of a linked workbook");
        }
    }
    if let Some(t) = &target {
        ctx.item(&Item {
            text: t,
            kind: ItemKind::Property,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some("external link target"),
            doc: DocPlace::NONE,
        });
    }
    let file = target
        .as_deref()
        .map(|t| {
            t.rsplit(['/', '\\'])
                .next()
                .unwrap_or(t)
                .replace("%20", " ")
        })
        .unwrap_or_else(|| "an unnamed source".into());
    let (severity, message) = if cached > 0 {
        (
            Severity::High,
            format!(
                "external {kind} to '{file}' keeps {} from its sheets ({}) inside this file",
                plural(cached, "cached value", "cached values"),
                sheet_names.join(", ")
            ),
        )
    } else {
        (
            Severity::Medium,
            format!("external {kind} to '{file}' reveals the path of the linked file"),
        )
    };
    let mut loc = ctx.loc(part);
    loc.sheet = sheet_names.first().cloned();
    ctx.report(
        "external-link",
        severity,
        true,
        loc,
        message,
        &format!("{file}|{cached}"),
    );
    if let (Some(t), Some(f)) = (target, ctx.findings.last_mut()) {
        f.evidence = Some(t);
    }
    Ok(())
}

type Cached = Option<(Option<(u32, u32)>, String)>;

/// A cached cell: its column, then its value.
fn cell(
    f: &mut Fields<'_>,
    row: u32,
    value: impl FnOnce(&mut Fields<'_>) -> Option<String>,
) -> Cached {
    let col = f.u32()?;
    Some((Some((row, col)), value(f)?))
}

fn emit(
    ctx: &mut Ctx<'_>,
    part: &str,
    sheet: Option<&str>,
    cell: Option<(u32, u32)>,
    text: &str,
    detail: &str,
) {
    ctx.item(&Item {
        text,
        kind: ItemKind::ExternalCell,
        hidden: true,
        part,
        sheet,
        cell,
        detail: Some(detail),
        doc: DocPlace::NONE,
    });
}
