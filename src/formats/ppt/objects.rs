//! Embedded objects and the VBA project of a presentation. Both are compound files kept in
//! `ExOleObjStg` records of the PowerPoint Document stream, zlib-compressed when the
//! record says so: embedded objects are listed by the document's `ExObjList`
//! (`ExEmbed` → `ExOleObjAtom` → persist id), the VBA project by its `DocInfoList`
//! (`VBAInfo` → `VBAInfoAtom` → persist id). Each object is scanned with its own format's
//! inspector; the VBA project's code is decoded and checked.

use super::PART;
use super::persist::Edits;
use super::records::{self, Rec, kind, u32_at};
use crate::context::{Ctx, ScanError, ScanResult};
use crate::formats::{embedded, vba};
use crate::model::DocPlace;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

/// The bytes an `ExOleObjStg` holds, inflated when it is compressed.
pub fn storage(d: &[u8], r: &Rec, ctx: &mut Ctx<'_>) -> ScanResult<Vec<u8>> {
    let body = r.data(d);
    if r.inst != 1 {
        ctx.charge_inflated(body.len() as u64)?;
        return Ok(body.to_vec());
    }
    let size = u32_at(body, 0).unwrap_or(0) as u64;
    let (cap, limit) = ctx.part_cap();
    if size > cap {
        return Err(ScanError::new(format!(
            "an embedded object would inflate to {}, over {limit}",
            crate::util::bytes_human(size),
        )));
    }
    let mut out = Vec::with_capacity(size as usize);
    flate2::read::ZlibDecoder::new(body.get(4..).unwrap_or(&[]))
        .take(size)
        .read_to_end(&mut out)
        .map_err(|e| ScanError::new(format!("an embedded object cannot be inflated ({e})")))?;
    ctx.charge_inflated(out.len() as u64)?;
    Ok(out)
}

/// The record of persist id `id`, if it is an `ExOleObjStg`.
fn stg(d: &[u8], edits: &Edits, id: u32) -> Option<Rec> {
    let at = *edits.current.get(&id)? as usize;
    records::at(d, at, d.len()).filter(|r| r.kind == kind::EX_OLE_OBJ_STG)
}

/// Scans the embedded objects (placed on the slide that shows each, from `shown`: object
/// id → slide number) and the VBA project; returns the offsets of the records read.
pub fn inspect(
    d: &[u8],
    document: &Rec,
    edits: &Edits,
    shown: &BTreeMap<u32, u32>,
    ctx: &mut Ctx<'_>,
) -> ScanResult<BTreeSet<u32>> {
    let mut used = BTreeSet::new();
    for list in records::children(d, document)
        .into_iter()
        .filter(|r| r.kind == kind::EX_OBJ_LIST)
    {
        for embed in records::children(d, &list)
            .into_iter()
            .filter(|r| r.kind == kind::EX_EMBED)
        {
            let parts = records::children(d, &embed);
            let Some(atom) = parts.iter().find(|r| r.kind == kind::EX_OLE_OBJ_ATOM) else {
                continue;
            };
            let b = atom.data(d);
            let (obj_id, persist) = (u32_at(b, 8).unwrap_or(0), u32_at(b, 16).unwrap_or(0));
            let prog = parts
                .iter()
                .filter(|r| r.kind == kind::CSTRING && r.inst == 2)
                .find_map(|r| records::text(d, r))
                .filter(|p| !p.trim().is_empty());
            let name = match prog {
                Some(p) => format!("object {obj_id} ({})", p.trim()),
                None => format!("object {obj_id}"),
            };
            let Some(rec) = stg(d, edits, persist) else {
                let loc = ctx.loc(PART);
                ctx.unscannable(
                    loc,
                    &format!("embedded {name} points to no object storage (persist id {persist})"),
                );
                continue;
            };
            used.insert(rec.at as u32);
            let Some(bytes) = ctx.guard(PART, |ctx| storage(d, &rec, ctx))? else {
                continue;
            };
            let place = DocPlace {
                slide: shown.get(&obj_id).copied(),
                ..DocPlace::NONE
            };
            embedded::inspect_object_at(&name, PART, &bytes, &place, ctx)?;
        }
    }
    for info in records::children(d, document)
        .into_iter()
        .filter(|r| r.kind == kind::DOC_INFO_LIST)
        .flat_map(|r| records::children(d, &r))
        .filter(|r| r.kind == kind::VBA_INFO)
    {
        for atom in records::children(d, &info)
            .into_iter()
            .filter(|r| r.kind == kind::VBA_INFO_ATOM)
        {
            let (persist, has_macros) = (
                u32_at(atom.data(d), 0).unwrap_or(0),
                u32_at(atom.data(d), 4).unwrap_or(0),
            );
            // LibreOffice writes the atom with no project behind it.
            if persist == 0 && has_macros == 0 {
                continue;
            }
            let Some(rec) = stg(d, edits, persist) else {
                let loc = ctx.loc(PART);
                ctx.unscannable(
                    loc,
                    &format!("the VBA project points to no storage (persist id {persist})"),
                );
                continue;
            };
            used.insert(rec.at as u32);
            if let Some(bytes) = ctx.guard(PART, |ctx| storage(d, &rec, ctx))? {
                vba::inspect_bytes(PART, &bytes, ctx);
            }
        }
    }
    Ok(used)
}
