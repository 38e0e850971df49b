//! VBA projects (`vbaProject.bin`, an xls file's `_VBA_PROJECT_CUR` storage, Word's `Macros`),
//! decoded in place through their `dir` stream so the module code is checked too.

use crate::container::ledger::{Ledger, PartState};
use crate::container::ole::Compound;
use crate::container::ovba;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::plural;

/// Reports the VBA project at `part` (if the package has one) and extracts its code.
pub fn inspect_package(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let Some(bytes) = ctx.guard(part, |ctx| pkg.read(part, ctx))?.flatten() else {
        return Ok(());
    };
    inspect_bytes(part, &bytes, ctx);
    Ok(())
}

/// Reports the VBA project held by the compound file `bytes` (found at `part`) and extracts
/// its code.
pub fn inspect_bytes(part: &str, bytes: &[u8], ctx: &mut Ctx<'_>) {
    let decoded = Compound::open(bytes)
        .map_err(|e| e.0)
        .and_then(|mut cf| decode_project(&mut cf, "", ctx));
    report_project(part, bytes.len(), decoded, ctx);
}

/// The modules (name, source) of the VBA project whose `VBA` storage sits under `storage`
/// ("" for a project file of its own, "Macros/" in a Word file), found through its `dir`
/// stream and decoded by [`ovba`]. Decompressed bytes count against the file's budget.
fn decode_project(
    cf: &mut Compound<'_>,
    storage: &str,
    ctx: &mut Ctx<'_>,
) -> Result<Vec<(String, String)>, String> {
    let wanted = format!("{storage}VBA/dir");
    let dir_path = cf
        .find(&wanted)
        .ok_or_else(|| format!("it has no {wanted} stream"))?;
    let vba_storage = &dir_path[..dir_path.len() - "dir".len()];
    let (cap, _) = ctx.part_cap();
    let dir = cf.read(&dir_path, cap).map_err(|e| e.0)?;
    let dir = ovba::decompress(&dir, cap as usize).map_err(|e| format!("dir stream: {e}"))?;
    let project = ovba::parse_dir(&dir).map_err(|e| format!("dir stream: {e}"))?;
    let mut modules = Vec::with_capacity(project.modules.len());
    for module in project.modules {
        let (cap, _) = ctx.part_cap();
        let wanted = format!("{vba_storage}{}", module.stream);
        let path = cf
            .find(&wanted)
            .ok_or_else(|| format!("module {} has no stream {wanted}", module.name))?;
        let raw = cf.read(&path, cap).map_err(|e| e.0)?;
        let compressed = raw.get(module.text_offset..).ok_or_else(|| {
            format!(
                "module {}: its source offset {} is past the end of its {}-byte stream",
                module.name,
                module.text_offset,
                raw.len()
            )
        })?;
        let source = ovba::decompress(compressed, cap as usize)
            .map_err(|e| format!("module {}: {e}", module.name))?;
        ctx.charge_inflated(source.len() as u64).map_err(|e| e.0)?;
        let (code, _) = project.encoding.decode_without_bom_handling(&source);
        modules.push((module.name, code.into_owned()));
    }
    // By name, as earlier releases listed them, so a finding's fingerprint stays the same.
    modules.sort();
    Ok(modules)
}

fn report_project(
    part: &str,
    size: usize,
    decoded: Result<Vec<(String, String)>, String>,
    ctx: &mut Ctx<'_>,
) {
    let loc = ctx.loc(part);
    match decoded {
        Ok(modules) => {
            for (name, code) in &modules {
                for (i, line) in code.lines().enumerate() {
                    let detail = format!("module {name}, line {}", i + 1);
                    ctx.item(&Item {
                        text: line,
                        kind: ItemKind::Macro,
                        hidden: true,
                        part,
                        sheet: None,
                        cell: None,
                        detail: Some(&detail),
                        doc: DocPlace::NONE,
                    });
                }
            }
            let names: Vec<&str> = modules.iter().map(|(n, _)| n.as_str()).take(6).collect();
            let lines: usize = modules.iter().map(|(_, c)| c.lines().count()).sum();
            ctx.report(
                "macro",
                Severity::Medium,
                true,
                loc,
                format!(
                    "VBA project with {} ({}), {} of code",
                    plural(modules.len() as u64, "module", "modules"),
                    names.join(", "),
                    plural(lines as u64, "line", "lines")
                ),
                &format!("{}:{lines}", names.join(",")),
            );
        }
        Err(reason) => {
            ctx.report(
                "macro",
                Severity::High,
                true,
                loc.clone(),
                format!(
                    "VBA project whose code could not be decoded ({reason}), so it was not checked"
                ),
                &size.to_string(),
            );
            // Code that was not read was not checked: the file cannot pass on it.
            ctx.unscannable(
                loc,
                &format!("its VBA code could not be decoded ({reason})"),
            );
        }
    }
}

/// Each storage of `cf` in `storages` holds a VBA project (Word's `Macros`, Excel's
/// `_VBA_PROJECT_CUR`, PowerPoint's by its `VBA/dir`): decoded in place, and its streams
/// marked inspected.
pub fn inspect_storages(
    ctx: &mut Ctx<'_>,
    cf: &mut Compound<'_>,
    storages: Vec<String>,
    ledger: &mut Ledger,
) -> ScanResult<()> {
    for storage in storages {
        let decoded = decode_project(cf, &format!("{storage}/"), ctx);
        let size = cf
            .streams_under(&storage)
            .iter()
            .filter_map(|m| cf.len(m))
            .sum::<u64>();
        report_project(&storage, size as usize, decoded, ctx);
        ctx.check_time()?;
        for m in cf.streams_under(&storage) {
            ledger.mark(&m, PartState::Inspected);
        }
    }
    Ok(())
}
