//! VBA projects (`vbaProject.bin`, or an xls file's `_VBA_PROJECT_CUR` storage copied into a
//! compound file of its own), decoded with calamine so the module code is checked too.

use crate::container::ledger::{Ledger, PartState};
use crate::container::ole::Compound;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::plural;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

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
    // calamine's reader trusts sector numbers; it reads a copy written by the `cfb` crate
    // from what that crate's validating reader accepted.
    let rewritten = Compound::open(bytes)
        .and_then(|mut c| c.rewritten(ctx.limits.max_part_bytes))
        .map_err(|e| e.to_string());
    let decoded = catch_unwind(AssertUnwindSafe(|| {
        let bytes = rewritten?;
        let bytes = &bytes[..];
        let project = calamine::vba::VbaProject::new(&mut Cursor::new(bytes), bytes.len())
            .map_err(|e| e.to_string())?;
        let mut modules = Vec::new();
        for name in project.get_module_names() {
            let code = project.get_module(name).map_err(|e| e.to_string())?;
            modules.push((name.to_string(), code));
        }
        Ok::<_, String>(modules)
    }))
    .unwrap_or_else(|_| Err("the decoder failed".into()));
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
        Err(reason) => ctx.report(
            "macro",
            Severity::High,
            true,
            loc,
            format!(
                "VBA project whose code could not be decoded ({reason}), so it was not checked"
            ),
            &bytes.len().to_string(),
        ),
    }
}

/// Each storage of `cf` in `storages` holds a VBA project (Word's `Macros`, Excel's
/// `_VBA_PROJECT_CUR`, PowerPoint's by its `VBA/dir`): copied out as a compound file of its
/// own, decoded, and its streams marked inspected.
pub fn inspect_storages(
    ctx: &mut Ctx<'_>,
    cf: &mut Compound<'_>,
    storages: Vec<String>,
    ledger: &mut Ledger,
) -> ScanResult<()> {
    for storage in storages {
        let budget = ctx
            .remaining_inflate_budget()
            .min(ctx.limits.max_part_bytes);
        let Some(bytes) = ctx.guard(&storage, |_| cf.extract_storage(&storage, budget))? else {
            continue;
        };
        ctx.charge_inflated(bytes.len() as u64)?;
        inspect_bytes(&storage, &bytes, ctx);
        for m in cf.streams_under(&storage) {
            ledger.mark(&m, PartState::Inspected);
        }
    }
    Ok(())
}
