//! Document settings (`settings.xml`). Most of it is layout, but a few settings record who
//! made the document and where: the attached template's path (often under
//! `C:\Users\<name>\`), document variables (`w:docVars`, values an add-in or macro stored),
//! and a mail merge's data source and query. Revision ids (`w:rsids`) identify editing
//! sessions, not people, and are not reported.

use crate::container::opc::{Opc, Rel};
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::{ContentDigest, plural};
use crate::xml::{XmlReader, attr, for_each_element, local};

/// Reads the settings part; returns true when it names an attached template.
pub fn inspect(opc: &mut Opc<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<bool> {
    let rels: Vec<Rel> = opc.graph.rels_of(part).to_vec();
    let Some(reader) = opc.zip.reader(part, ctx)? else {
        return Ok(false);
    };
    let mut xml = XmlReader::new(reader, part);
    let mut template: Option<String> = None;
    let mut variables: Vec<(String, String)> = Vec::new();
    let mut merge: Vec<(String, &'static str)> = Vec::new();
    let target = |e: &quick_xml::events::BytesStart<'_>| -> Option<String> {
        let id = e.attributes().with_checks(false).flatten().find_map(|a| {
            let (prefix, name) = a.key.0.split_once(':')?;
            (name == "id" && prefix != "w").then(|| crate::xml::attr_value(a).to_string())
        })?;
        rels.iter().find(|r| r.id == id).map(|r| r.target.clone())
    };
    for_each_element(&mut xml, |e, _| {
        match local(e) {
            "attachedTemplate" => template = target(e),
            "docVar" if variables.len() < 10_000 => {
                variables.push((
                    attr(e, "name").unwrap_or_default().to_string(),
                    attr(e, "val").unwrap_or_default().to_string(),
                ));
            }
            "connectString" | "query" | "udl" => {
                if let Some(v) = attr(e, "val").filter(|v| !v.trim().is_empty()) {
                    merge.push((v.to_string(), "mail merge connection or query"));
                }
            }
            "dataSource" | "headerSource" | "src" => {
                if let Some(t) = target(e) {
                    merge.push((t, "mail merge data source"));
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    let named = template.as_deref().is_some_and(|t| !t.trim().is_empty());
    report_metadata(ctx, part, template.as_deref(), &variables);
    if !merge.is_empty() {
        let mut digest = ContentDigest::default();
        for (value, detail) in &merge {
            emit(ctx, part, value, detail);
            digest.update(value.as_bytes());
        }
        ctx.report(
            "data-connection",
            Severity::Medium,
            true,
            ctx.loc(part),
            "mail merge settings name a data source and its query or connection".into(),
            &digest.hex(),
        );
    }
    Ok(named)
}

/// `document-metadata` for the attached template's path and the document variables,
/// which go to the detectors as hidden properties.
pub fn report_metadata(
    ctx: &mut Ctx<'_>,
    part: &str,
    template: Option<&str>,
    variables: &[(String, String)],
) {
    let mut found: Vec<String> = Vec::new();
    let mut digest = ContentDigest::default();
    let mut evidence: Vec<String> = Vec::new();
    if let Some(t) = template.filter(|t| !t.trim().is_empty()) {
        emit(ctx, part, t, "attached template");
        digest.update(t.as_bytes());
        evidence.push(t.to_string());
        let folder = t.contains(['\\', '/']);
        found.push(if folder {
            "the attached template's path".into()
        } else {
            "the attached template's name".into()
        });
    }
    let with_values: Vec<&(String, String)> = variables
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    for (name, value) in &with_values {
        let detail = format!("document variable {name}");
        emit(ctx, part, value, &detail);
        digest.update(name.as_bytes());
        digest.update(value.as_bytes());
    }
    if !with_values.is_empty() {
        found.push(plural(
            with_values.len() as u64,
            "document variable",
            "document variables",
        ));
    }
    report_recorded(ctx, part, &found, &digest, &evidence);
}

/// One `document-metadata` finding for what a Word document's settings record (template,
/// save history, variables), shared by docx and doc so both word it alike.
pub(crate) fn report_recorded(
    ctx: &mut Ctx<'_>,
    part: &str,
    found: &[String],
    digest: &ContentDigest,
    evidence: &[String],
) {
    if found.is_empty() {
        return;
    }
    ctx.report(
        "document-metadata",
        Severity::Low,
        true,
        ctx.loc(part),
        format!("the document's settings record {}", found.join(" and ")),
        &digest.hex(),
    );
    if let Some(f) = ctx.findings.last_mut()
        && !evidence.is_empty()
    {
        f.evidence = Some(evidence.join("; "));
    }
}

/// A settings value as hidden property text, for the detectors.
pub(crate) fn emit(ctx: &mut Ctx<'_>, part: &str, text: &str, detail: &str) {
    ctx.item(&Item {
        text,
        kind: ItemKind::Property,
        hidden: true,
        part,
        sheet: None,
        cell: None,
        detail: Some(detail),
        doc: DocPlace::NONE,
    });
}
