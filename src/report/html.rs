//! A self-contained HTML report (`--format html`) for disclosure officers.
//!
//! One file with inline CSS and no scripts, fonts or images, so it can be attached to a case
//! record, opened offline and printed. Every piece of text that comes from a scanned file
//! (names, messages, evidence) is untrusted and goes through [`esc`].

use super::{Run, Summary};
use crate::model::{FileReport, Finding, Location, Severity, Verdict, quote_sheet};
use crate::rules::{RULES, Rule};
use crate::util::{bytes_human, plural, thousands};
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;

/// Escapes text for HTML element content and quoted attribute values alike.
pub fn esc(text: &str) -> Cow<'_, str> {
    html_escape::encode_quoted_attribute(text)
}

/// Writes the run as one HTML page with no external assets.
pub fn write(out: &mut dyn Write, run: &Run<'_>) -> std::io::Result<()> {
    // Each part is built in a String (`fmt::Write` on a String cannot fail) and written out
    // as soon as it is done, one file's findings at a time, so the page is never whole in
    // memory.
    let mut h = String::with_capacity(64 * 1024);
    let head = Headline::of(run.summary);
    page_start(&mut h, run, &head);
    verdict_banner(&mut h, run, &head);
    if run.evidence_shown {
        h.push_str(EVIDENCE_WARNING);
    }
    contents(&mut h);
    file_table(&mut h, run);
    flush(out, &mut h)?;
    findings_by_file(out, &mut h, run)?;
    totals(&mut h, run);
    footer(&mut h, run);
    h.push_str("</div>\n</body>\n</html>\n");
    flush(out, &mut h)
}

fn flush(out: &mut dyn Write, h: &mut String) -> std::io::Result<()> {
    out.write_all(h.as_bytes())?;
    h.clear();
    Ok(())
}

/// The overall verdict in words, and the colour it is shown in.
#[derive(Debug, PartialEq, Eq)]
pub struct Headline {
    /// CSS class: `block`, `pass` or `none` (nothing was scanned).
    pub class: &'static str,
    pub text: String,
}

impl Headline {
    pub fn of(s: &Summary) -> Self {
        if s.blocked > 0 {
            let verb = if s.blocked == 1 { "is" } else { "are" };
            let files = if s.files == 1 { "file" } else { "files" };
            Headline {
                class: "block",
                text: format!(
                    "Do not release: {} of {} {files} {verb} blocked",
                    thousands(s.blocked),
                    thousands(s.files)
                ),
            }
        } else if s.files == 0 {
            Headline {
                class: "none",
                text: "Nothing to release: no file was scanned".into(),
            }
        } else {
            Headline {
                class: "pass",
                text: "Safe to release: no file is blocked".into(),
            }
        }
    }
}

/// "findings at high or above block release", the policy the verdicts were made under.
pub fn blocking_level(fail_on: Severity) -> String {
    if fail_on == Severity::Critical {
        "only critical findings block release".into()
    } else {
        format!("findings at {fail_on} or above block release")
    }
}

/// Catalogue entry for a finding; a report writer must not panic on an unknown id.
fn rule_of(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

fn badge(h: &mut String, s: Severity) {
    let _ = write!(
        h,
        r#"<span class="badge sev-{}">{}</span>"#,
        s.as_str(),
        severity_label(s)
    );
}

/// What kind of file, in the words of someone who opens it rather than the format id.
fn format_label(name: &str) -> &str {
    match name {
        "xlsx" => "Excel workbook",
        "xlsm" => "Excel workbook with macros",
        "xlsb" => "Excel binary workbook",
        "xls" => "Excel 97-2003 workbook",
        "docx" => "Word document",
        "doc" => "Word 97-2003 document",
        "pptx" => "PowerPoint presentation",
        "ods" => "OpenDocument spreadsheet",
        "odt" => "OpenDocument text",
        "odp" => "OpenDocument presentation",
        "pdf" => "PDF",
        "ooxml-encrypted" => "Password-protected Office file",
        "ole" => "Office 97-2003 file",
        "zip" => "Zip archive",
        "zip-bad" => "Damaged zip package",
        "csv" => "CSV table",
        "text" => "Text",
        "empty" => "Empty file",
        "binary" => "Unknown binary file",
        other => other,
    }
}

/// Package parts that are not a worksheet, named as a reader would look for them.
const PART_LABELS: &[(&str, &str)] = &[
    ("docProps/", "File properties"),
    ("customXml/", "Custom XML data"),
    ("xl/comments", "Notes"),
    ("xl/threadedComments/", "Comments"),
    ("xl/persons/", "Comment authors"),
    ("xl/sharedStrings.xml", "Shared text table"),
    ("xl/vbaProject.bin", "Macro code"),
    ("xl/externalLinks/", "Linked workbook cache"),
    ("xl/pivotCache/", "Pivot cache"),
    ("xl/charts/", "Chart"),
    ("xl/drawings/", "Drawing"),
    ("xl/workbook.xml", "Workbook settings"),
    ("xl/connections.xml", "Data connections"),
    ("xl/model/", "Data model"),
    ("xl/revisions/", "Revision history"),
    ("xl/embeddings/", "Embedded object"),
];

/// Where a reader finds the finding, in spreadsheet terms first (`'Staff list'!B7`,
/// `Notes: Sheet1!B4`, `page 3`), and the package part to show in small print for
/// whoever repairs the file. [`Location::describe`] puts the same facts in one line.
pub fn place(loc: &Location) -> (String, Option<&str>) {
    let reference = loc.cell.as_ref().or(loc.range.as_ref());
    let mut main = match (&loc.sheet, reference) {
        (Some(sheet), Some(r)) => format!("{}!{r}", quote_sheet(sheet)),
        (Some(sheet), None) => quote_sheet(sheet),
        (None, Some(r)) if r.contains(':') => format!("cells {r}"),
        (None, Some(r)) => format!("cell {r}"),
        (None, None) => String::new(),
    };
    let label = loc.part.as_deref().and_then(|p| {
        PART_LABELS
            .iter()
            .find(|(prefix, _)| p.starts_with(prefix))
            .map(|(_, l)| *l)
    });
    if let Some(label) = label {
        main = if main.is_empty() {
            label.to_string()
        } else {
            format!("{label}: {main}")
        };
    }
    for extra in [loc.document_words(), loc.line.map(|l| format!("line {l}"))]
        .into_iter()
        .flatten()
    {
        if !main.is_empty() {
            main.push_str(", ");
        }
        main.push_str(&extra);
    }
    match (&loc.part, main.is_empty()) {
        (Some(part), true) => (part.clone(), None),
        (part, false) => (main, part.as_deref()),
        (None, true) => ("Whole file".into(), None),
    }
}

/// CSS class, verdict words, and why when the file could not be checked.
fn file_verdict(r: &FileReport) -> (&'static str, &'static str, &'static str) {
    match (r.verdict, &r.error) {
        (Verdict::Block, Some(_)) => ("block", "Blocked", "could not be checked"),
        (Verdict::Block, None) => ("block", "Blocked", ""),
        (Verdict::Pass, _) => ("pass", "Can be released", ""),
    }
}

fn severity_counts(findings: &[Finding]) -> [u64; 5] {
    let mut n = [0; 5];
    for f in findings {
        n[f.severity as usize] += 1;
    }
    n
}

/// "3 high, 1 medium", most severe first.
fn counts_text(n: &[u64; 5]) -> String {
    Severity::ALL
        .iter()
        .rev()
        .filter(|s| n[**s as usize] > 0)
        .map(|s| format!("{} {}", thousands(n[*s as usize]), s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn page_start(h: &mut String, run: &Run<'_>, head: &Headline) {
    let warn = if run.evidence_shown {
        "PERSONAL DATA IN CLEAR \u{2013} "
    } else {
        ""
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"foiguard {}\">\n\
         <title>{warn}foiguard release check: {}</title>\n<style>{CSS}</style>\n</head>\n\
         <body>\n<div class=\"wrap\">\n",
        env!("CARGO_PKG_VERSION"),
        esc(&head.text)
    );
}

fn verdict_banner(h: &mut String, run: &Run<'_>, head: &Headline) {
    let s = run.summary;
    let _ = write!(
        h,
        "<header class=\"verdict {}\">\n<p class=\"kicker\">foiguard release check</p>\n\
         <h1>{}</h1>\n",
        head.class,
        esc(&head.text)
    );
    let level = blocking_level(run.fail_on);
    let mut policy = format!("{}{}.", level[..1].to_uppercase(), &level[1..]);
    if head.class == "block" {
        policy.push_str(" Files that could not be checked are blocked too.");
        if s.passed > 0 {
            let _ = write!(
                policy,
                " {} can be released.",
                plural(s.passed, "file", "files")
            );
        }
    } else if head.class == "pass" {
        policy.push_str(" No file has such a finding, and every file could be checked.");
    }
    let _ = writeln!(h, "<p class=\"policy\">{}</p>", esc(&policy));
    let by_sev = Summary::by_severity(run.reports)
        .into_iter()
        .map(|(sev, n)| format!("{} {sev}", thousands(n)))
        .collect::<Vec<_>>();
    let mut facts = format!(
        "{} checked, {}",
        plural(s.files, "file", "files"),
        plural(s.findings, "finding", "findings")
    );
    if !by_sev.is_empty() {
        let _ = write!(facts, " ({})", by_sev.join(", "));
    }
    if s.accepted > 0 {
        let _ = write!(
            facts,
            "; {} accepted in the baseline and not blocking",
            thousands(s.accepted)
        );
    }
    let _ = write!(h, "<p class=\"facts\">{}.</p>\n</header>\n", esc(&facts));
}

const EVIDENCE_WARNING: &str = "<div class=\"danger\" role=\"note\">\n\
<p><strong>This report contains personal data in clear.</strong> It was made with \
<code>--show-evidence</code>, so the evidence below is not masked.</p>\n\
<p>Do not circulate it, attach it to a release or keep it outside the case file. \
Delete it when the review is finished.</p>\n</div>\n";

fn contents(h: &mut String) {
    h.push_str(
        "<nav class=\"contents\" aria-label=\"Contents\">On this page: \
         <a href=\"#files\">Files</a> \u{b7} <a href=\"#findings\">Findings by file</a> \
         \u{b7} <a href=\"#totals\">Totals</a></nav>\n",
    );
}

fn file_table(h: &mut String, run: &Run<'_>) {
    h.push_str(
        "<section id=\"files\" aria-labelledby=\"files-h\">\n<h2 id=\"files-h\">Files</h2>\n\
         <div class=\"scroll\"><table class=\"files\">\n<thead><tr><th scope=\"col\">File</th>\
         <th scope=\"col\">Format</th><th scope=\"col\">Verdict</th>",
    );
    for s in Severity::ALL.iter().rev() {
        let _ = write!(
            h,
            "<th scope=\"col\" class=\"num\">{}</th>",
            severity_label(*s)
        );
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (i, r) in run.reports.iter().enumerate() {
        let (class, verdict, why) = file_verdict(r);
        let why = if why.is_empty() {
            String::new()
        } else {
            format!("<span class=\"why\">{why}</span>")
        };
        let _ = write!(
            h,
            "<tr class=\"{class}\"><th scope=\"row\" class=\"path\"><a href=\"#file-{i}\">{}</a></th>\
             <td class=\"fmt\">{}</td><td class=\"verdict-cell\"><span class=\"pill {class}\">{verdict}</span>{why}</td>",
            esc(&r.path),
            esc(format_label(&r.format))
        );
        let n = severity_counts(&r.findings);
        for s in Severity::ALL.iter().rev() {
            let count = n[*s as usize];
            let zero = if count == 0 { " zero" } else { " some" };
            let _ = write!(h, "<td class=\"num{zero}\">{}</td>", thousands(count));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn findings_by_file(out: &mut dyn Write, h: &mut String, run: &Run<'_>) -> std::io::Result<()> {
    h.push_str(
        "<section id=\"findings\" aria-labelledby=\"findings-h\">\n\
         <h2 id=\"findings-h\">Findings by file</h2>\n\
         <p class=\"lead\">Most serious first. \u{201c}Hidden from readers\u{201d} marks \
         content that someone opening the file would not see, but that anyone can recover.</p>\n",
    );
    for (i, r) in run.reports.iter().enumerate() {
        file_section(h, run, i, r);
        flush(out, h)?;
    }
    h.push_str("</section>\n");
    Ok(())
}

fn file_section(h: &mut String, run: &Run<'_>, i: usize, r: &FileReport) {
    let (class, verdict, why) = file_verdict(r);
    let verdict = if why.is_empty() {
        verdict.to_string()
    } else {
        format!("{verdict}: {why}")
    };
    let _ = write!(
        h,
        "<section class=\"file {class}\" id=\"file-{i}\" aria-labelledby=\"file-{i}-h\">\n\
         <header class=\"filetop\"><div class=\"filehead\"><h3 id=\"file-{i}-h\">{}</h3>\
         <span class=\"pill {class}\">{verdict}</span></div>\n",
        esc(&r.path)
    );
    let n = severity_counts(&r.findings);
    let found = match r.findings.len() {
        0 => "no findings".to_string(),
        len => format!(
            "{} ({})",
            plural(len as u64, "finding", "findings"),
            counts_text(&n)
        ),
    };
    let _ = write!(
        h,
        "<p class=\"meta\">{} \u{b7} {} \u{b7} {}",
        esc(format_label(&r.format)),
        bytes_human(r.bytes),
        found
    );
    if !r.sha256.is_empty() {
        let _ = write!(
            h,
            "<br><span class=\"hash\">SHA-256 {}</span>",
            esc(&r.sha256)
        );
    }
    if let Some(first) = &r.duplicate_of {
        let _ = write!(
            h,
            "<br>Same content as {}: checked once, reported for both",
            esc(first)
        );
    }
    h.push_str("</p></header>\n");
    // The whole-file `unscannable` finding is shown as the box, not repeated as a card.
    let whole = r.error.as_ref().and_then(|_| {
        r.findings
            .iter()
            .position(|f| f.rule == "unscannable" && f.location.container.is_empty())
    });
    if let Some(err) = &r.error {
        h.push_str("<div class=\"cannot\">\n<p class=\"fhead\">");
        badge(h, Severity::Critical);
        let _ = write!(
            h,
            "<strong>Blocked because it could not be checked</strong></p>\n<p>{}</p>\n\
             <p><strong>How to fix:</strong> {}</p>\n</div>\n",
            esc(err),
            esc(rule_of("unscannable").map_or("", |r| r.advice))
        );
    }
    if r.findings.is_empty() {
        h.push_str("<p class=\"nothing\">Nothing was found in this file.</p>\n");
    }
    let mut order: Vec<&Finding> = r
        .findings
        .iter()
        .enumerate()
        .filter(|(k, _)| Some(*k) != whole)
        .map(|(_, f)| f)
        .collect();
    order.sort_by_key(|f| (f.accepted, std::cmp::Reverse(f.severity)));
    for f in order {
        finding(h, run, f);
    }
    h.push_str("</section>\n");
}

fn finding(h: &mut String, run: &Run<'_>, f: &Finding) {
    let rule = rule_of(f.rule);
    let muted = if f.accepted { " accepted" } else { "" };
    let _ = write!(
        h,
        "<article class=\"finding sev-{}{muted}\">\n<div class=\"fhead\">",
        f.severity.as_str()
    );
    badge(h, f.severity);
    let _ = write!(
        h,
        "<h4>{}</h4></div>\n<div class=\"tags\"><code class=\"rule\">{}</code>",
        esc(rule.map_or(f.rule, |r| r.summary)),
        esc(f.rule)
    );
    if f.hidden {
        h.push_str("<span class=\"tag hidden\">Hidden from readers</span>");
    }
    if f.accepted {
        h.push_str("<span class=\"tag accepted\">Accepted (baseline)</span>");
    } else if crate::policy::blocks(f, run.fail_on) {
        h.push_str("<span class=\"tag blocks\">Blocks release</span>");
    } else {
        h.push_str("<span class=\"tag review\">Does not block: review</span>");
    }
    h.push_str("</div>\n<dl>\n");
    let (main, part) = place(&f.location);
    let _ = write!(
        h,
        "<dt>Where</dt><dd><span class=\"place\">{}</span>",
        esc(&main)
    );
    if let Some(part) = part {
        let _ = write!(h, " <span class=\"part\">{}</span>", esc(part));
    }
    h.push_str("</dd>\n");
    if !f.location.container.is_empty() {
        let chain: Vec<_> = f.location.container.iter().map(|c| esc(c)).collect();
        let _ = writeln!(
            h,
            "<dt>Inside</dt><dd>embedded file {}</dd>",
            chain.join(" \u{203a} ")
        );
    }
    let _ = writeln!(h, "<dt>Found</dt><dd>{}</dd>", esc(&f.message));
    if let Some(e) = &f.evidence {
        let how = if run.evidence_shown {
            "in clear"
        } else {
            "masked"
        };
        let _ = writeln!(
            h,
            "<dt>Evidence</dt><dd><code class=\"evidence\">{}</code> <span class=\"note\">({how})</span></dd>",
            esc(e)
        );
    }
    if f.severity > Severity::Info {
        let _ = writeln!(
            h,
            "<dt>How to fix</dt><dd class=\"advice\">{}</dd>",
            esc(&f.advice)
        );
    }
    h.push_str("</dl>\n</article>\n");
}

fn totals(h: &mut String, run: &Run<'_>) {
    h.push_str(
        "<section id=\"totals\" aria-labelledby=\"totals-h\">\n<h2 id=\"totals-h\">Totals</h2>\n\
         <div class=\"totals\">\n<div>\n<h3>By severity</h3>\n<table class=\"by-severity\">\n\
         <thead><tr><th scope=\"col\">Severity</th><th scope=\"col\" class=\"num\">Findings</th>\
         <th scope=\"col\">Blocks release?</th></tr></thead>\n<tbody>\n",
    );
    let all: Vec<&Finding> = run.reports.iter().flat_map(|r| &r.findings).collect();
    for s in Severity::ALL.iter().rev() {
        let n = all.iter().filter(|f| f.severity == *s).count() as u64;
        let zero = if n == 0 { " zero" } else { "" };
        h.push_str("<tr><th scope=\"row\">");
        badge(h, *s);
        let _ = writeln!(
            h,
            "</th><td class=\"num{zero}\">{}</td><td>{}</td></tr>",
            thousands(n),
            if *s >= run.fail_on { "Yes" } else { "No" }
        );
    }
    h.push_str(
        "</tbody>\n</table>\n</div>\n<div>\n<h3>By rule</h3>\n<table class=\"by-rule\">\n\
         <thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">What it catches</th>\
         <th scope=\"col\">Most severe</th><th scope=\"col\" class=\"num\">Findings</th><th scope=\"col\" class=\"num\">Files</th>\
         </tr></thead>\n<tbody>\n",
    );
    // Catalogue order keeps related rules together; most severe first within it.
    let mut rows: Vec<(&str, &str, Severity, u64, u64)> = Vec::new();
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    for f in &all {
        if !ids.contains(&f.rule) {
            ids.push(f.rule);
        }
    }
    for id in ids {
        let of_rule: Vec<&&Finding> = all.iter().filter(|f| f.rule == id).collect();
        let Some(worst) = of_rule.iter().map(|f| f.severity).max() else {
            continue;
        };
        let files = run
            .reports
            .iter()
            .filter(|r| r.findings.iter().any(|f| f.rule == id))
            .count() as u64;
        let summary = rule_of(id).map_or("", |r| r.summary);
        rows.push((id, summary, worst, of_rule.len() as u64, files));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.2));
    if rows.is_empty() {
        h.push_str("<tr><td colspan=\"5\">No findings.</td></tr>\n");
    }
    for (id, summary, worst, n, files) in rows {
        let _ = write!(
            h,
            "<tr><th scope=\"row\"><code class=\"rule\">{}</code></th><td>{}</td><td>",
            esc(id),
            esc(summary)
        );
        badge(h, worst);
        let _ = writeln!(
            h,
            "</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            thousands(n),
            thousands(files)
        );
    }
    h.push_str("</tbody>\n</table>\n</div>\n</div>\n</section>\n");
}

fn footer(h: &mut String, run: &Run<'_>) {
    let s = run.summary;
    let _ = writeln!(
        h,
        "<footer>foiguard {} \u{b7} report made {} \u{b7} {} ({}) scanned in {:.2} s \
         \u{b7} blocking level: {}</footer>",
        env!("CARGO_PKG_VERSION"),
        utc_now(),
        plural(s.files, "file", "files"),
        bytes_human(s.bytes),
        s.elapsed_ms as f64 / 1000.0,
        run.fail_on
    );
}

/// Current time as `2025-03-14 09:26 UTC` (no date crate: this is the only date we print).
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc_text(secs)
}

fn utc_text(secs: u64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let days = (secs / 86_400) as i64;
    let (hh, mm) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02} UTC")
}

/// Inline stylesheet: system fonts only, colours that survive printing, and no dark
/// backgrounds in print so the page reads on a greyscale printer.
const CSS: &str = r#"
:root{--ink:#1c1e21;--muted:#5f6670;--line:#d8dce2;--soft:#f5f6f8;
--crit:#6d1a4f;--high:#b42318;--med:#f2a60d;--med-ink:#3d2a00;--low:#1f5fa8;--info:#6b7280;
--ok:#1a7434;--bad:#b42318}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;color-scheme:light}
body{margin:0;background:#fff;color:var(--ink);line-height:1.45;font-size:16px;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
.wrap{max-width:1120px;margin:0 auto;padding:24px 24px 40px}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.9em}
a{color:#0b57b0}
h2{font-size:1.5rem;margin:2.2rem 0 .6rem;padding-bottom:.3rem;border-bottom:2px solid var(--line)}
h3{font-size:1.1rem;margin:0}
.verdict{border-radius:10px;padding:22px 28px;color:#fff;border:4px solid transparent}
.verdict.block{background:var(--bad)}
.verdict.pass{background:var(--ok)}
.verdict.none{background:#fff;color:var(--ink);border-color:var(--line)}
.verdict h1{font-size:2.1rem;line-height:1.2;margin:.1rem 0 .6rem}
.verdict p{margin:.3rem 0;font-size:1.05rem}
.verdict .kicker{text-transform:uppercase;letter-spacing:.08em;font-size:.8rem;font-weight:700;opacity:.9}
.verdict .facts{opacity:.95}
.danger{margin:16px 0 0;padding:14px 20px;border:3px solid var(--bad);border-radius:8px;background:#fff4e5;color:#4a1a00}
.danger p{margin:.25rem 0}
.contents{margin:18px 0 0;color:var(--muted)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{background:var(--soft);font-size:.85rem;color:#333;border-bottom:2px solid var(--line)}
tbody th{font-weight:normal}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.zero{color:#b6bcc6}
td.some{font-weight:700}
.files .path{overflow-wrap:break-word;font-weight:600;min-width:16em;width:46%}
.files .fmt{color:var(--muted);font-size:.9rem;min-width:9.5em}
.why{display:block;font-size:.8rem;color:var(--bad);margin-top:2px}
.files tr.block .path a{color:var(--bad)}
.files tr.pass .path a{color:var(--ink)}
.pill{display:inline-block;white-space:nowrap;font-weight:700;font-size:.85rem;padding:2px 10px;border-radius:999px;border:2px solid}
.pill.block{color:var(--bad);border-color:var(--bad);background:#fdecea}
.pill.pass{color:var(--ok);border-color:var(--ok);background:#e8f5ec}
.badge{display:inline-block;min-width:4.6em;text-align:center;font-size:.78rem;font-weight:700;
padding:2px 8px;border-radius:4px;color:#fff;letter-spacing:.02em;
-webkit-print-color-adjust:exact;print-color-adjust:exact}
.badge.sev-critical{background:var(--crit)}
.badge.sev-high{background:var(--high)}
.badge.sev-medium{background:var(--med);color:var(--med-ink)}
.badge.sev-low{background:var(--low)}
.badge.sev-info{background:var(--info)}
.lead{color:var(--muted);margin:.2rem 0 1rem}
.file{margin:0 0 28px;padding-top:6px}
.filehead{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;border-top:3px solid var(--line);padding-top:12px}
.file.block .filehead{border-top-color:var(--bad)}
.file.pass .filehead{border-top-color:var(--ok)}
.filehead h3{overflow-wrap:anywhere}
.meta{color:var(--muted);font-size:.9rem;margin:.3rem 0 .8rem}
.hash{font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.75rem;color:#8a9099;overflow-wrap:anywhere}
.cannot{border:2px solid var(--bad);background:#fdecea;color:#5c0f0a;border-radius:8px;padding:10px 16px;margin:0 0 12px;break-inside:avoid;page-break-inside:avoid}
.cannot p{margin:.3rem 0}
.nothing{color:var(--ok);font-weight:600}
.finding{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:8px;padding:12px 16px 6px;margin:0 0 12px;background:#fff;break-inside:avoid;page-break-inside:avoid}
.finding.sev-critical{border-left-color:var(--crit)}
.finding.sev-high{border-left-color:var(--high)}
.finding.sev-medium{border-left-color:var(--med)}
.finding.sev-low{border-left-color:var(--low)}
.finding.accepted{border-left-color:#c4c9d0;background:var(--soft);color:var(--muted)}
.finding.accepted .badge{opacity:.55}
.fhead{display:flex;gap:10px;align-items:baseline}
.fhead h4{margin:0;font-size:1rem}
.tags{margin:6px 0 4px;display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.rule{color:var(--muted);background:var(--soft);padding:1px 6px;border-radius:4px}
.tag{font-size:.78rem;font-weight:600;padding:1px 8px;border-radius:999px;border:1px solid}
.tag.hidden{color:#5a3e00;border-color:#d79a00;background:#fff6db}
.tag.blocks{color:var(--bad);border-color:var(--bad)}
.tag.review{color:var(--muted);border-color:#b6bcc6}
.tag.accepted{color:var(--muted);border-color:#b6bcc6;background:#eceef1}
dl{display:grid;grid-template-columns:7.5em 1fr;gap:4px 12px;margin:8px 0 6px}
dt{color:var(--muted);font-size:.9rem;padding-top:.05em}
dd{margin:0;overflow-wrap:anywhere}
.place{font-weight:600}
.part{color:#8a9099;font-size:.8rem;margin-left:.4em}
.evidence{background:#f1f2f4;padding:1px 6px;border-radius:4px}
.note{color:var(--muted);font-size:.85rem}
.advice{font-weight:500}
.finding:not(.accepted) .advice{color:#12361f}
.totals{display:grid;grid-template-columns:minmax(240px,1fr) 2.6fr;gap:24px;align-items:start}
.totals h3{margin:0 0 .4rem}
.by-rule th{white-space:nowrap}
footer{margin-top:36px;padding-top:12px;border-top:1px solid var(--line);color:var(--muted);font-size:.85rem}
@media screen and (max-width:760px){.totals{grid-template-columns:1fr}dl{grid-template-columns:1fr}dt{margin-top:4px}.verdict h1{font-size:1.6rem}}
@media print{
@page{margin:14mm 12mm}
body{font-size:10.5pt}
.wrap{max-width:none;padding:0}
.contents{display:none}
a{color:inherit;text-decoration:none}
.verdict{background:#fff!important;color:var(--ink);border-width:4px;padding:12px 18px}
.verdict.block{border-color:var(--bad)}
.verdict.block h1{color:var(--bad)}
.verdict.pass{border-color:var(--ok)}
.verdict.pass h1{color:var(--ok)}
.danger{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.pill,.tag,.cannot{-webkit-print-color-adjust:exact;print-color-adjust:exact}
thead{display:table-header-group}
th,td{padding:5px 6px}
thead th{font-size:.8rem}
tr,.filetop{break-inside:avoid;page-break-inside:avoid}
h2,h3,.filetop,.lead{break-after:avoid;page-break-after:avoid}
#findings,#totals{break-before:page;page-break-before:always}
h2{margin-top:0}
.finding{border-left-width:5px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.totals{grid-template-columns:1fr}
.scroll{overflow:visible}
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileReport;

    fn finding(rule: &'static str, severity: Severity, accepted: bool) -> Finding {
        Finding {
            rule,
            severity,
            hidden: true,
            location: Location::part(&[], "xl/worksheets/sheet2.xml")
                .with_sheet("Staff list")
                .with_range("B7".into()),
            message: "hidden sheet 'Staff list' holds <b>data</b>".into(),
            evidence: Some("S****, J***".into()),
            masked_evidence: None,
            fingerprint: "f".into(),
            accepted,
            advice: crate::rules::rule(rule).advice.to_string(),
        }
    }

    fn report(path: &str, verdict: Verdict, findings: Vec<Finding>) -> FileReport {
        FileReport {
            path: path.into(),
            format: "xlsx".into(),
            bytes: 2048,
            sha256: "ab".repeat(32),
            verdict,
            error: None,
            findings,
            duplicate_of: None,
            parts: Default::default(),
            elapsed_ms: 1,
        }
    }

    fn render(reports: &[FileReport], evidence_shown: bool) -> String {
        let summary = Summary::of(reports, 42);
        let run = Run {
            summary: &summary,
            reports,
            fail_on: Severity::High,
            evidence_shown,
        };
        let mut out = Vec::new();
        write(&mut out, &run).expect("write");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;y&#x27;"
        );
        assert!(matches!(esc("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn verdict_wording() {
        let blocked = Summary {
            files: 44,
            blocked: 33,
            passed: 11,
            ..Default::default()
        };
        assert_eq!(
            Headline::of(&blocked).text,
            "Do not release: 33 of 44 files are blocked"
        );
        let one = Summary {
            files: 1,
            blocked: 1,
            ..Default::default()
        };
        assert_eq!(
            Headline::of(&one).text,
            "Do not release: 1 of 1 file is blocked"
        );
        let pass = Summary {
            files: 3,
            passed: 3,
            ..Default::default()
        };
        let head = Headline::of(&pass);
        assert_eq!(head.text, "Safe to release: no file is blocked");
        assert_eq!(head.class, "pass");
        assert_eq!(Headline::of(&Summary::default()).class, "none");
        assert_eq!(
            blocking_level(Severity::High),
            "findings at high or above block release"
        );
    }

    #[test]
    fn footer_time_is_utc_calendar_date() {
        assert_eq!(utc_text(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_text(1_700_000_000), "2023-11-14 22:13 UTC");
        assert_eq!(utc_text(951_782_400), "2000-02-29 00:00 UTC");
    }

    #[test]
    fn place_reads_like_excel_then_part() {
        let f = finding("hidden-sheet", Severity::High, false);
        assert_eq!(
            place(&f.location),
            ("'Staff list'!B7".into(), Some("xl/worksheets/sheet2.xml"))
        );
        let props = Location::part(&[], "docProps/core.xml");
        assert_eq!(
            place(&props),
            ("File properties".into(), Some("docProps/core.xml"))
        );
        let page = Location {
            page: Some(3),
            ..Default::default()
        };
        assert_eq!(place(&page), ("page 3".into(), None));
        assert_eq!(place(&Location::default()), ("Whole file".into(), None));
    }

    #[test]
    fn page_escapes_untrusted_text_and_mutes_accepted_findings() {
        let reports = [
            report(
                "<script>alert(1)</script>.xlsx",
                Verdict::Block,
                vec![
                    finding("hidden-sheet", Severity::High, false),
                    finding("comment", Severity::Medium, true),
                ],
            ),
            report("clean.xlsx", Verdict::Pass, vec![]),
        ];
        let html = render(&reports, false);
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.xlsx"));
        assert!(html.contains("holds &lt;b&gt;data&lt;/b&gt;"));
        assert!(html.contains("Do not release: 1 of 2 files is blocked"));
        assert!(html.contains("Findings at high or above block release."));
        assert!(html.contains("Accepted (baseline)"));
        assert!(html.contains("class=\"finding sev-medium accepted\""));
        assert!(html.contains("&#x27;Staff list&#x27;!B7"));
        assert!(!html.contains("personal data in clear"));
        let clear = render(&reports, true);
        assert!(clear.contains("This report contains personal data in clear."));
    }
}
