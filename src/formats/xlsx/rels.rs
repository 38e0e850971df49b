//! OPC relationship parts (`_rels/*.rels`).

use crate::container::zip::{Package, rels_part_for, resolve_target};
use crate::scan::{Ctx, ScanResult};
use crate::xml::{XmlReader, attr, for_each_element, local};

/// One relationship, with its target resolved to a part name unless it is external.
#[derive(Debug, Clone)]
pub struct Rel {
    pub id: String,
    /// Last path segment of the type URI, e.g. `worksheet`, `comments`, `externalLinkPath`.
    pub kind: String,
    pub target: String,
    pub external: bool,
}

/// Relationships of `part`; empty when it has none.
pub fn read(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<Vec<Rel>> {
    let rels_part = rels_part_for(part);
    let Some(reader) = pkg.reader(&rels_part, ctx)? else {
        return Ok(Vec::new());
    };
    let mut xml = XmlReader::new(reader, &rels_part);
    let mut out = Vec::new();
    for_each_element(&mut xml, |e, _| {
        if local(e) == "Relationship" {
            let external =
                attr(e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
            let raw_target = attr(e, "Target").unwrap_or_default();
            let target = if external {
                raw_target.to_string()
            } else {
                resolve_target(part, &raw_target)
            };
            out.push(Rel {
                id: attr(e, "Id").unwrap_or_default().to_string(),
                kind: attr(e, "Type")
                    .map(|t| t.rsplit('/').next().unwrap_or_default().to_string())
                    .unwrap_or_default(),
                target,
                external,
            });
        }
        Ok(())
    })?;
    Ok(out)
}

/// The package's main document part (the `officeDocument` relationship of `_rels/.rels`).
pub fn main_part(pkg: &mut Package<'_>, ctx: &mut Ctx<'_>) -> ScanResult<Option<String>> {
    Ok(read(pkg, "", ctx)?
        .into_iter()
        .find(|r| r.kind == "officeDocument" && !r.external)
        .map(|r| r.target))
}
