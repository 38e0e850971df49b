//! SARIF 2.1.0 output (`--format sarif`) for code-scanning dashboards.
//!
//! One result per finding, the whole rule catalogue as `tool.driver.rules`, and one artifact
//! per scanned file carrying its verdict. Spreadsheet places (sheet, cell, part, embedded
//! chain) have no line numbers, so they go in the message, the result properties and a
//! logical location; a `region` is only written when a finding has a real line.

use super::Run;
use crate::model::{FileReport, Finding, Location, Severity};
use crate::rules::{RULES, Rule};
use serde_json::{Value, json};
use serde_sarif::sarif;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Schema URI written as `$schema`: the one editors and GitHub recognise.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Key of the stable fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "foiguard/v1";

/// Writes the run as one SARIF 2.1.0 log. Results are written one at a time, so memory
/// holds one result, not the whole log: on 5,000 files building the log first took 120 MB.
pub fn write(out: &mut dyn Write, run: &Run<'_>) -> std::io::Result<()> {
    let head = serde_json::to_string(&log_without_results(run))?;
    // `{"$schema":…,"runs":[{…run…}],"version":"2.1.0"}`: open the run object again, add
    // `"results": [...]` and close it, without ever holding the results together.
    let Some(run_start) = head.find("\"runs\":[{") else {
        return Err(std::io::Error::other("SARIF run object not found"));
    };
    let run_end = run_start + matching_brace(&head[run_start + 8..]) + 8;
    out.write_all(&head.as_bytes()[..run_end])?;
    out.write_all(b",\"results\":[")?;
    let mut first = true;
    for_each_result(run, |r| {
        if !first {
            out.write_all(b",\n")?;
        }
        first = false;
        serde_json::to_writer(&mut *out, &r)?;
        Ok(())
    })?;
    out.write_all(b"]")?;
    out.write_all(&head.as_bytes()[run_end..])?;
    writeln!(out)
}

/// Index of the `}` closing the object that opens at the start of `s`.
fn matching_brace(s: &str) -> usize {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in s.bytes().enumerate() {
        match (in_string, b) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') => in_string = false,
            (true, _) => {}
            (false, b'"') => in_string = true,
            (false, b'{') => depth += 1,
            (false, b'}') => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    s.len()
}

/// Calls `f` with each result in report order.
fn for_each_result(
    run: &Run<'_>,
    mut f: impl FnMut(sarif::Result) -> std::io::Result<()>,
) -> std::io::Result<()> {
    for (index, report) in run.reports.iter().enumerate() {
        let uri = path_to_uri(&report.path);
        for finding in &report.findings {
            f(result(finding, &uri, index))?;
        }
        if let Some(finding) = missing_error_finding(report) {
            f(result(&finding, &uri, index))?;
        }
    }
    Ok(())
}

/// Builds the whole SARIF log for a finished run in memory (small runs and tests).
pub fn log(run: &Run<'_>) -> sarif::Sarif {
    let mut results = Vec::new();
    let _ = for_each_result(run, |r| {
        results.push(r);
        Ok(())
    });
    let mut log = log_without_results(run);
    log.runs[0].results = Some(results);
    log
}

/// The log with everything but the results: tool and rule catalogue, artifacts, summary.
fn log_without_results(run: &Run<'_>) -> sarif::Sarif {
    let rules: Vec<sarif::ReportingDescriptor> = RULES.iter().map(descriptor).collect();
    let driver = sarif::ToolComponent::builder()
        .name("foiguard")
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();

    let artifacts: Vec<sarif::Artifact> = run
        .reports
        .iter()
        .map(|report| artifact(report, &path_to_uri(&report.path)))
        .collect();

    let s = run.summary;
    let run_properties = bag([
        (
            "foiguard/summary",
            json!({
                "files": s.files,
                "blocked": s.blocked,
                "passed": s.passed,
                "findings": s.findings,
                "accepted": s.accepted,
                "bytes": s.bytes,
            }),
        ),
        ("foiguard/failOn", json!(run.fail_on.as_str())),
        ("foiguard/evidenceShown", json!(run.evidence_shown)),
    ]);

    let sarif_run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        // Scanning every file to a verdict is success; blocked files are results, not failure.
        .invocations(vec![
            sarif::Invocation::builder()
                .execution_successful(true)
                .build(),
        ])
        .artifacts(artifacts)
        .properties(run_properties)
        .build();

    sarif::Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![sarif_run])
        .build()
}

/// SARIF level for a foiguard severity: only what can block by default is an error.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub code scanning's `security-severity` score (a decimal string, 0.0 to 10.0): it
/// ranks alerts as critical (9.0+), high (7.0+), medium (4.0+) or low, matching ours.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn descriptor(rule: &Rule) -> sarif::ReportingDescriptor {
    let mut properties = bag([
        ("foiguard/severity", json!(rule.severity.as_str())),
        ("security-severity", json!(security_severity(rule.severity))),
    ]);
    // GitHub applies `security-severity` only to rules tagged "security".
    properties.tags = Some(vec!["security".into(), "privacy".into()]);
    sarif::ReportingDescriptor::builder()
        .id(rule.id)
        .name(pascal_case(rule.id))
        .short_description(plain(rule.summary))
        .full_description(plain(&format!(
            "{} Default severity: {}.",
            rule.summary, rule.severity
        )))
        .help(
            sarif::MultiformatMessageString::builder()
                .text(rule.advice)
                .markdown(markdown_escape(rule.advice))
                .build(),
        )
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(json!(level(rule.severity)))
                .build(),
        )
        .properties(properties)
        .build()
}

fn result(f: &Finding, uri: &str, artifact_index: usize) -> sarif::Result {
    let loc = &f.location;
    let place = loc.describe();
    let message = if is_whole_file(loc) {
        format!("{} (whole file)", f.message)
    } else {
        format!("{} at {place}", f.message)
    };

    let mut physical = sarif::PhysicalLocation::builder()
        .artifact_location(
            sarif::ArtifactLocation::builder()
                .uri(uri)
                .index(artifact_index as i64)
                .build(),
        )
        .build();
    if let Some(line) = loc.line {
        physical.region = Some(sarif::Region::builder().start_line(line as i64).build());
    }
    let mut location = sarif::Location::builder()
        .physical_location(physical)
        .build();
    if let Some(logical) = logical_location(loc) {
        location.logical_locations = Some(vec![logical]);
    }

    let mut props = vec![
        ("foiguard/severity", json!(f.severity.as_str())),
        ("security-severity", json!(security_severity(f.severity))),
        ("foiguard/hidden", json!(f.hidden)),
        ("foiguard/location", json!(place)),
    ];
    if !loc.container.is_empty() {
        props.push(("foiguard/container", json!(loc.container)));
    }
    let optional = [
        ("foiguard/part", loc.part.as_ref().map(|v| json!(v))),
        ("foiguard/sheet", loc.sheet.as_ref().map(|v| json!(v))),
        ("foiguard/cell", loc.cell.as_ref().map(|v| json!(v))),
        ("foiguard/range", loc.range.as_ref().map(|v| json!(v))),
        ("foiguard/page", loc.page.map(|v| json!(v))),
        ("foiguard/line", loc.line.map(|v| json!(v))),
        ("foiguard/offset", loc.offset.map(|v| json!(v))),
        ("foiguard/slide", loc.slide.map(|v| json!(v))),
        ("foiguard/story", loc.story.map(|v| json!(v.as_str()))),
        ("foiguard/paragraph", loc.paragraph.map(|v| json!(v))),
        ("foiguard/bbox", loc.bbox.map(|v| json!(v))),
        // Already masked unless --show-evidence: never unmask or add anything here.
        ("foiguard/evidence", f.evidence.as_ref().map(|v| json!(v))),
    ];
    props.extend(optional.into_iter().filter_map(|(k, v)| Some((k, v?))));
    props.push(("foiguard/accepted", json!(f.accepted)));

    let mut result = sarif::Result::builder()
        .rule_id(f.rule)
        .message(text(&message))
        .level(result_level(f.severity))
        .locations(vec![location])
        .properties(bag(props))
        .build();
    result.rule_index = rule_index(f.rule).map(|i| i as i64);
    if !f.fingerprint.is_empty() {
        result.partial_fingerprints = Some(BTreeMap::from([(
            FINGERPRINT_KEY.to_string(),
            f.fingerprint.clone(),
        )]));
    }
    if f.accepted {
        // `baselineState` compares two SARIF runs; a reviewed-and-accepted finding is a
        // suppression kept outside the file, which dashboards show as dismissed.
        result.suppressions = Some(vec![
            sarif::Suppression::builder()
                .kind(json!("external"))
                .status(json!("accepted"))
                .justification("accepted in the foiguard baseline")
                .build(),
        ]);
    }
    result
}

fn result_level(severity: Severity) -> sarif::ResultLevel {
    match level(severity) {
        "error" => sarif::ResultLevel::Error,
        "warning" => sarif::ResultLevel::Warning,
        _ => sarif::ResultLevel::Note,
    }
}

/// A file whose `error` has no matching whole-file `unscannable` finding would otherwise
/// vanish from the dashboard while blocking the release; give it a result of its own.
fn missing_error_finding(report: &FileReport) -> Option<Finding> {
    let error = report.error.as_ref()?;
    let covered = report
        .findings
        .iter()
        .any(|f| f.rule == "unscannable" && f.location.container.is_empty());
    if covered {
        return None;
    }
    let rule = crate::rules::rule("unscannable");
    Some(Finding {
        rule: rule.id,
        severity: rule.severity,
        hidden: false,
        location: Location::default(),
        message: error.clone(),
        evidence: None,
        masked_evidence: None,
        fingerprint: String::new(),
        accepted: false,
        advice: rule.advice.to_string(),
    })
}

fn artifact(report: &FileReport, uri: &str) -> sarif::Artifact {
    let mut properties = vec![
        ("verdict", json!(report.verdict)),
        ("format", json!(report.format)),
    ];
    if let Some(error) = &report.error {
        properties.push(("error", json!(error)));
    }
    let mut artifact = sarif::Artifact::builder()
        .location(sarif::ArtifactLocation::builder().uri(uri).build())
        .roles(vec![json!("analysisTarget")])
        .properties(bag(properties))
        .build();
    // An unreadable file has no digest and no known length: say nothing rather than 0.
    if !report.sha256.is_empty() {
        artifact.length = Some(report.bytes as i64);
        artifact.hashes = Some(BTreeMap::from([(
            "sha-256".to_string(),
            report.sha256.clone(),
        )]));
    }
    artifact
}

fn rule_index(id: &str) -> Option<usize> {
    RULES.iter().position(|r| r.id == id)
}

fn is_whole_file(loc: &Location) -> bool {
    loc.container.is_empty() && loc.part.is_none() && !loc.has_place()
}

/// The place inside the file as a logical location (`Sheet2!B7`, `'Staff list'!A1:F9`,
/// `embedded.xlsx > docProps/core.xml`): dashboards show it where a line would go.
fn logical_location(loc: &Location) -> Option<sarif::LogicalLocation> {
    if is_whole_file(loc) {
        return None;
    }
    let has_place = loc.has_place();
    // The zip part is noise next to a sheet reference; alone, it is the place.
    let mut short = loc.clone();
    if has_place {
        short.part = None;
    }
    let kind = if has_place { "element" } else { "resource" };
    Some(
        sarif::LogicalLocation::builder()
            .fully_qualified_name(short.describe())
            .kind(kind)
            .build(),
    )
}

fn text(s: &str) -> sarif::Message {
    sarif::Message::builder().text(s).build()
}

fn plain(s: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder().text(s).build()
}

fn bag<K: Into<String>>(entries: impl IntoIterator<Item = (K, Value)>) -> sarif::PropertyBag {
    sarif::PropertyBag::builder()
        .additional_properties(
            entries
                .into_iter()
                .map(|(k, v)| (k.into(), v))
                .collect::<BTreeMap<_, _>>(),
        )
        .build()
}

/// `pii.nhs-number` → `PiiNhsNumber`: SARIF's `name` is a readable identifier.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Advice text is plain prose with `*`, `<` or `_` in it; keep it literal in markdown.
fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The report's path as a URI reference: relative paths stay relative (so dashboards map
/// them onto the repository), absolute paths become `file://` URIs, and every character a
/// URI may not hold is percent-encoded as UTF-8.
pub fn path_to_uri(path: &str) -> String {
    let windows = std::path::MAIN_SEPARATOR == '\\';
    let slashed = if windows {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    if Path::new(path).is_absolute() {
        if let Some(unc) = slashed.strip_prefix("//").filter(|_| windows) {
            // \\server\share\f.xlsx → file://server/share/f.xlsx
            return format!("file://{}", encode(unc, true));
        }
        let rooted = if slashed.starts_with('/') {
            slashed
        } else {
            format!("/{slashed}") // C:/x → /C:/x
        };
        return format!("file://{}", encode(&rooted, true));
    }
    // A ':' in a relative reference would read as a scheme (`a:b.xlsx`), so encode it.
    encode(&slashed, false)
}

fn encode(path: &str, allow_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            )
            || (allow_colon && b == b':');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(path_to_uri("release/a.xlsx"), "release/a.xlsx");
        assert_eq!(path_to_uri("my file #2.xlsx"), "my%20file%20%232.xlsx");
        assert_eq!(path_to_uri("100%.csv"), "100%25.csv");
        assert_eq!(path_to_uri("a:b.xlsx"), "a%3Ab.xlsx");
        assert_eq!(path_to_uri("café.xlsx"), "caf%C3%A9.xlsx");
        if cfg!(unix) {
            assert_eq!(path_to_uri("/tmp/x y.xlsx"), "file:///tmp/x%20y.xlsx");
            assert_eq!(path_to_uri("a\\b.xlsx"), "a%5Cb.xlsx");
        }
    }

    #[test]
    fn severities_map_to_levels_and_scores() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(level(Severity::Info), "note");
        assert_eq!(security_severity(Severity::High), "8.0");
    }

    #[test]
    fn the_streamed_log_equals_the_log_built_whole() {
        use crate::model::{FileReport, Verdict};
        use crate::report::Summary;
        let finding = |rule: &'static str, message: &str| {
            let mut f = crate::finding::new_finding(
                rule,
                Severity::High,
                true,
                Location::part(&[], "xl/worksheets/sheet2.xml").with_sheet("Sheet {2}"),
                message.to_string(),
                message,
            );
            f.evidence = Some("S****, J. \"}\"".into());
            f
        };
        let report = |path: &str, findings: Vec<Finding>| FileReport {
            path: path.into(),
            format: "xlsx".into(),
            bytes: 10,
            sha256: "00".into(),
            verdict: Verdict::Block,
            error: None,
            findings,
            duplicate_of: None,
            parts: Default::default(),
            elapsed_ms: 0,
        };
        let reports = vec![
            report(
                "a {x}.xlsx",
                vec![
                    finding("hidden-sheet", "hidden sheet '}{' holds data"),
                    finding("pii.nino", "NINO \\ \"quoted\""),
                ],
            ),
            report("b.xlsx", vec![]),
            report("c.xlsx", vec![finding("comment", "a note")]),
        ];
        let summary = Summary::of(&reports, 1);
        let run = Run {
            summary: &summary,
            reports: &reports,
            fail_on: Severity::High,
            evidence_shown: false,
        };
        let mut streamed = Vec::new();
        write(&mut streamed, &run).unwrap();
        let streamed: Value = serde_json::from_slice(&streamed).expect("valid JSON");
        assert_eq!(streamed, serde_json::to_value(log(&run)).unwrap());
        assert_eq!(streamed["runs"][0]["results"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal_case("hidden-sheet"), "HiddenSheet");
        assert_eq!(pascal_case("pii.nhs-number"), "PiiNhsNumber");
    }
}
