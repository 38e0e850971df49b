//! OPC relationship parts (`_rels/*.rels`), all read once up front so every part can look
//! up its relationships and parts that nothing points to can be found.

use crate::container::zip::{Package, resolve_target};
use crate::context::{Ctx, ScanResult};
use crate::xml::{XmlReader, attr, for_each_element, local};
use std::collections::{HashMap, HashSet};

/// One relationship, with its target resolved to a part name unless it is external.
#[derive(Debug, Clone)]
pub struct Rel {
    pub id: String,
    /// Last path segment of the type URI, e.g. `worksheet`, `comments`, `externalLinkPath`.
    pub kind: String,
    pub target: String,
    pub external: bool,
}

/// Relationships of every part in the package, keyed by the lower-cased source part.
#[derive(Debug, Default)]
pub struct RelMap {
    by_source: HashMap<String, Vec<Rel>>,
    /// False when a `.rels` part could not be read: the map then misses targets.
    pub complete: bool,
}

impl RelMap {
    /// Reads every `_rels/*.rels` part. One that cannot be read becomes `unscannable` and
    /// the rest of the package is still inspected.
    pub fn read_all(pkg: &mut Package<'_>, ctx: &mut Ctx<'_>) -> ScanResult<RelMap> {
        let rels_parts: Vec<String> = pkg
            .names()
            .iter()
            .filter(|n| n.to_ascii_lowercase().ends_with(".rels"))
            .cloned()
            .collect();
        let mut map = RelMap {
            complete: true,
            ..RelMap::default()
        };
        for rels_part in rels_parts {
            let Some(source) = source_of(&rels_part) else {
                continue;
            };
            match ctx.guard(&rels_part, |ctx| read_part(pkg, &rels_part, &source, ctx))? {
                Some(rels) => {
                    map.by_source.insert(source.to_ascii_lowercase(), rels);
                }
                None => map.complete = false,
            }
        }
        Ok(map)
    }

    /// Relationships whose source is `part` (`""` for the package root).
    pub fn of(&self, part: &str) -> &[Rel] {
        self.by_source
            .get(&part.to_ascii_lowercase())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first internal target of `part` with relationship type `kind`.
    pub fn target(&self, part: &str, kind: &str) -> Option<String> {
        self.of(part)
            .iter()
            .find(|r| r.kind == kind && !r.external)
            .map(|r| r.target.clone())
    }

    /// Every internal target, lower-cased.
    pub fn all_targets(&self) -> HashSet<String> {
        self.by_source
            .values()
            .flatten()
            .filter(|r| !r.external)
            .map(|r| r.target.to_ascii_lowercase())
            .collect()
    }
}

/// `xl/_rels/workbook.xml.rels` → `xl/workbook.xml`; `_rels/.rels` → `` (the root).
fn source_of(rels_part: &str) -> Option<String> {
    let (dir, file) = rels_part.rsplit_once('/').unwrap_or(("", rels_part));
    let dir = dir.strip_suffix("_rels")?.trim_end_matches('/');
    let file = file.strip_suffix(".rels")?;
    Some(if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    })
}

fn read_part(
    pkg: &mut Package<'_>,
    rels_part: &str,
    source: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<Vec<Rel>> {
    let Some(reader) = pkg.reader(rels_part, ctx)? else {
        return Ok(Vec::new());
    };
    let mut xml = XmlReader::new(reader, rels_part);
    let mut out = Vec::new();
    for_each_element(&mut xml, |e, _| {
        if local(e) == "Relationship" {
            let external =
                attr(e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
            let raw_target = attr(e, "Target").unwrap_or_default();
            let target = if external {
                raw_target.to_string()
            } else {
                resolve_target(source, &raw_target)
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

#[cfg(test)]
mod tests {
    use super::source_of;

    #[test]
    fn rels_parts_map_to_their_source() {
        assert_eq!(source_of("_rels/.rels").as_deref(), Some(""));
        assert_eq!(
            source_of("xl/_rels/workbook.xml.rels").as_deref(),
            Some("xl/workbook.xml")
        );
        assert_eq!(
            source_of("xl/worksheets/_rels/sheet1.xml.rels").as_deref(),
            Some("xl/worksheets/sheet1.xml")
        );
        assert_eq!(source_of("xl/worksheets/sheet1.xml.rels"), None);
    }
}
