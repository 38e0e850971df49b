//! Macros of an ODF document: Basic libraries (`Basic/<library>/<module>.xml` in a
//! package, `office:scripts` in a flat document), dialogs (`Dialogs/`) and scripts in
//! other languages (`Scripts/python/...`). The code goes to the detectors line by line as
//! hidden content, and one `macro` finding names the modules.

use super::{Elem, collect_text, loc};
use crate::container::ledger::{Ledger, PartState};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::{ContentDigest, plural, shorten};
use crate::xml::{XmlReader, attr_value, local_end, push_text};
use quick_xml::events::Event;
use std::io::BufRead;

#[derive(Debug, Default)]
pub struct Macros {
    pub part: Option<String>,
    pub modules: Vec<String>,
    pub lines: u64,
    pub dialogs: u64,
    pub scripts: u64,
    /// Modules that could not be read (a password-protected library).
    pub unreadable: u64,
    pub digest: ContentDigest,
}

impl Macros {
    fn module(&mut self, ctx: &mut Ctx<'_>, part: &str, name: &str, code: &str) {
        self.part.get_or_insert_with(|| part.to_string());
        self.modules.push(name.to_string());
        self.digest.update(name.as_bytes());
        self.digest.update(code.as_bytes());
        for (i, line) in code.lines().enumerate() {
            self.lines += 1;
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
}

/// The macro parts of a package under `prefix` (the document's folder).
pub fn inspect_package(
    pkg: &mut Package<'_>,
    ledger: &mut Ledger,
    prefix: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<Macros> {
    let mut m = Macros::default();
    let names: Vec<String> = pkg.names().to_vec();
    for part in &names {
        if part.ends_with('/') {
            continue;
        }
        let Some(rest) = part.strip_prefix(prefix) else {
            continue;
        };
        let lower = rest.to_ascii_lowercase();
        let folder = lower.split('/').next().unwrap_or_default();
        if !matches!(folder, "basic" | "dialogs" | "scripts") || !lower.contains('/') {
            continue;
        }
        let file = lower.rsplit('/').next().unwrap_or_default();
        let ok = ctx.guard(part, |ctx| {
            let Some(bytes) = pkg.read(part, ctx)? else {
                return Ok(());
            };
            match folder {
                "basic" if file == "script-lc.xml" || file == "script-lb.xml" => {
                    // Library indexes: names of libraries and modules, and whether a
                    // library is password-protected.
                    scan_xml_text(&bytes, part, "Basic library index", ctx)?;
                }
                "basic" => {
                    if !basic_module(&bytes, part, &mut m, ctx)? {
                        m.unreadable += 1;
                        m.part.get_or_insert_with(|| part.clone());
                    }
                }
                "dialogs" => {
                    m.dialogs += u64::from(file != "dialog-lc.xml" && file != "dialog-lb.xml");
                    m.part.get_or_insert_with(|| part.clone());
                    scan_xml_text(&bytes, part, "macro dialog", ctx)?;
                }
                _ => {
                    m.scripts += 1;
                    let code = String::from_utf8_lossy(&bytes);
                    let name = rest.to_string();
                    m.module(ctx, part, &name, &code);
                    m.modules.pop();
                    m.part.get_or_insert_with(|| part.clone());
                }
            }
            Ok(())
        })?;
        ledger.mark(
            part,
            if ok.is_some() {
                PartState::Inspected
            } else {
                PartState::Unreadable
            },
        );
    }
    Ok(m)
}

/// A Basic module part (`<script:module script:name>code</script:module>`). Returns
/// false when it holds no readable module (an encrypted library stores bytes instead).
fn basic_module(bytes: &[u8], part: &str, m: &mut Macros, ctx: &mut Ctx<'_>) -> ScanResult<bool> {
    let mut xml = XmlReader::new(bytes, part);
    xml.allow_external_doctype();
    loop {
        let ev = match xml.next_event() {
            Ok(ev) => ev,
            Err(_) => return Ok(false),
        };
        match &ev {
            Event::Start(e) => {
                let elem = Elem::read(e);
                drop(ev);
                if elem.local() != "module" {
                    return Ok(false);
                }
                let name = elem.get("name").unwrap_or("module").to_string();
                let code = collect_text(&mut xml, ctx)?;
                m.module(ctx, part, &name, &code);
                return Ok(true);
            }
            Event::Empty(_) | Event::Eof => return Ok(false),
            _ => {}
        }
    }
}

/// Every text and attribute value of a small XML part, as hidden text.
fn scan_xml_text(bytes: &[u8], part: &str, detail: &str, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let mut xml = XmlReader::new(bytes, part);
    xml.allow_external_doctype();
    let mut text = String::new();
    loop {
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                for a in e.attributes().with_checks(false).flatten() {
                    if a.key.0.starts_with("xmlns") {
                        continue;
                    }
                    let v = attr_value(a);
                    emit(ctx, part, &v, detail);
                }
                emit(ctx, part, &text, detail);
                text.clear();
            }
            Event::End(_) => {
                emit(ctx, part, &text, detail);
                text.clear();
            }
            Event::Eof => return Ok(()),
            other => {
                push_text(other, &mut text);
            }
        }
    }
}

fn emit(ctx: &mut Ctx<'_>, part: &str, text: &str, detail: &str) {
    let t = text.trim();
    if t.is_empty() || t.parse::<f64>().is_ok() || t == "true" || t == "false" {
        return;
    }
    ctx.item(&Item {
        text: t,
        kind: ItemKind::Macro,
        hidden: true,
        part,
        sheet: None,
        cell: None,
        detail: Some(detail),
        doc: DocPlace::NONE,
    });
}

/// `office:scripts` of a flat document (or of `content.xml`): embedded Basic libraries
/// (`ooo:library-embedded/ooo:module/ooo:source-code`) and event bindings.
pub fn read_scripts<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    m: &mut Macros,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut depth = 0u32;
    let mut module: Option<String> = None;
    loop {
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(e) => {
                if local_end(e.name().0) == "module" {
                    module = None;
                }
                if depth == 0 {
                    return Ok(());
                }
                depth -= 1;
                continue;
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        drop(ev);
        match elem.local() {
            "module" => {
                module = Some(elem.get("name").unwrap_or("module").to_string());
                if !empty {
                    depth += 1;
                }
            }
            "source-code" if !empty => {
                let code = collect_text(xml, ctx)?;
                let name = module.clone().unwrap_or_else(|| "module".into());
                m.module(ctx, part, &name, &code);
            }
            "event-listener" => {
                if let Some(href) = elem.get("href").or(elem.get("macro-name")) {
                    emit(ctx, part, href, "macro bound to an event");
                }
                if !empty {
                    depth += 1;
                }
            }
            _ => {
                if !empty {
                    depth += 1;
                }
            }
        }
    }
}

/// `macro`: one finding naming the modules, as for a VBA project.
pub fn report(m: &Macros, ctx: &mut Ctx<'_>) {
    let Some(part) = &m.part else {
        return;
    };
    let mut what = Vec::new();
    if !m.modules.is_empty() {
        let names: Vec<&str> = m.modules.iter().map(String::as_str).collect();
        what.push(format!(
            "Basic macros: {} ({})",
            plural(m.modules.len() as u64, "module", "modules"),
            shorten(&names, 6)
        ));
    }
    if m.scripts > 0 {
        what.push(plural(m.scripts, "script file", "script files"));
    }
    if m.lines > 0 {
        what.push(format!("{} of code", plural(m.lines, "line", "lines")));
    }
    if m.dialogs > 0 {
        what.push(plural(m.dialogs, "macro dialog", "macro dialogs"));
    }
    let (severity, extra) = if m.unreadable > 0 {
        (
            Severity::High,
            format!(
                "; {} could not be read (password-protected?), so {} not checked",
                plural(m.unreadable, "module", "modules"),
                if m.unreadable == 1 {
                    "it was"
                } else {
                    "they were"
                }
            ),
        )
    } else {
        (Severity::Medium, String::new())
    };
    ctx.report(
        "macro",
        severity,
        true,
        loc(ctx, part),
        format!("{}{extra}", what.join(", ")),
        &m.digest.hex(),
    );
}
