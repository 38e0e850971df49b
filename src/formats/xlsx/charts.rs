//! Chart caches: every series keeps a copy of the values and labels it plots
//! (`c:strCache`, `c:numCache`). When the source is hidden or deleted, the copy is all that
//! is left, and it is still in the file.

use super::SheetIndex;
use super::sheet::SheetState;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::formats::drawingml;
use crate::model::Severity;
use crate::util::plural;

pub fn inspect(
    pkg: &mut Package<'_>,
    part: &str,
    index: &SheetIndex,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let cache = drawingml::read_chart(pkg, part, None, false, ctx)?;
    let drawingml::ChartCache {
        labels,
        values,
        sheets,
        external_data,
        ..
    } = cache;
    if labels + values == 0 && !external_data {
        return Ok(());
    }
    let mut hidden_sources = Vec::new();
    let mut missing_sources = Vec::new();
    for s in &sheets {
        match index.state_of(s) {
            None => missing_sources.push(s.as_str()),
            Some(SheetState::Visible) => {}
            Some(_) => hidden_sources.push(s.as_str()),
        }
    }
    let mut msg = format!(
        "chart caches {} and {}",
        plural(values, "value", "values"),
        plural(labels, "label", "labels")
    );
    if !sheets.is_empty() {
        let list: Vec<&str> = sheets.iter().map(String::as_str).collect();
        msg.push_str(&format!(" from sheet {}", quoted(&list)));
    }
    let hidden = !hidden_sources.is_empty() || !missing_sources.is_empty();
    if !hidden_sources.is_empty() {
        msg.push_str(&format!(
            "; source sheet {} is hidden",
            quoted(&hidden_sources)
        ));
    }
    if !missing_sources.is_empty() {
        msg.push_str(&format!(
            "; source sheet {} is no longer in the workbook",
            quoted(&missing_sources)
        ));
    }
    if external_data {
        msg.push_str("; its data lives in an embedded workbook");
    }
    let severity = if hidden {
        Severity::High
    } else {
        Severity::Low
    };
    let mut loc = ctx.loc(part);
    loc.sheet = sheets.iter().next().cloned();
    ctx.report(
        "chart-cache",
        severity,
        hidden,
        loc,
        msg,
        &format!("{values}:{labels}"),
    );
    Ok(())
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}
