//! The zipped ODF package: `mimetype`, `META-INF/manifest.xml` (every part with its media
//! type), the document's parts, embedded objects (`Object N/` folders with parts of their
//! own, or OLE files), macros (`Basic/`, `Scripts/`, `Dialogs/`), pictures, thumbnails and
//! settings. Every entry of the zip ends in one ledger state:
//! - inspected: read by the module for its kind (XML parts, macros, objects, signatures,
//!   RDF metadata, metafiles and SVG images whose text is scanned as hidden content);
//! - no text: bitmap images and thumbnails, empty configuration entries;
//! - unknown: listed in the manifest with a kind foiguard does not understand (its text
//!   is scanned as hidden content and reported as `unknown-part`);
//! - orphan: in the zip but not in the manifest (scanned, reported as `residual-data`);
//! - Mac residue: `__MACOSX/` and `.DS_Store`, never parsed as package XML.

use super::document::{DocState, finish, read_part, report_embedded};
use super::spreadsheet::SheetInfo;
use super::{Elem, Kind, loc, macros};
use crate::container::ledger::{Ledger, PartState};
use crate::container::opc::is_mac_residue;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanError, ScanResult};
use crate::formats::{Format, embedded, macos, unknown};
use crate::model::Severity;
use crate::util::{plural, thousands};
use crate::xml::XmlReader;
use quick_xml::events::Event;
use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Read};
use zip::ZipArchive;

const MANIFEST: &str = "META-INF/manifest.xml";

/// The format of a zip that looks like ODF: from `mimetype`, or else from the manifest's
/// entry for the package root (`full-path="/"`).
pub fn sniff(mut archive: ZipArchive<Cursor<&[u8]>>) -> Option<Format> {
    let mut read = |name: &str, cap: u64| -> Option<String> {
        let f = archive.by_name(name).ok()?;
        let mut s = String::new();
        f.take(cap).read_to_string(&mut s).ok()?;
        Some(s)
    };
    if let Some(f) = read("mimetype", 256).and_then(|m| Kind::of(&m).format()) {
        return Some(f);
    }
    let manifest = read(MANIFEST, 1 << 20)?;
    let mut reader = quick_xml::Reader::from_str(&manifest);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => {
                let elem = Elem::read(&e);
                if elem.local() == "file-entry" && elem.get("full-path") == Some("/") {
                    return Kind::of(elem.get("media-type").unwrap_or_default()).format();
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// `META-INF/manifest.xml`: the parts the package declares, with their media types.
#[derive(Debug, Default)]
struct Manifest {
    /// Lower-cased path → media type. Folders end with `/`.
    entries: HashMap<String, String>,
    /// Paths of encrypted entries.
    encrypted: Vec<String>,
    root: Option<String>,
    present: bool,
}

impl Manifest {
    fn media(&self, path: &str) -> Option<&str> {
        self.entries
            .get(&path.to_ascii_lowercase())
            .map(String::as_str)
    }

    fn lists(&self, path: &str) -> bool {
        !self.present || self.entries.contains_key(&path.to_ascii_lowercase())
    }
}

fn read_manifest(pkg: &mut Package<'_>, ctx: &mut Ctx<'_>) -> ScanResult<Manifest> {
    let Some(reader) = pkg.reader(MANIFEST, ctx)? else {
        return Ok(Manifest::default());
    };
    let mut xml = XmlReader::new(reader, MANIFEST);
    xml.allow_external_doctype();
    let mut m = Manifest {
        present: true,
        ..Default::default()
    };
    let mut current: Option<String> = None;
    loop {
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(e) => {
                if crate::xml::local_end(e.name().0) == "file-entry" {
                    current = None;
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        drop(ev);
        match elem.local() {
            "file-entry" => {
                let path = elem
                    .get("full-path")
                    .unwrap_or_default()
                    .trim_start_matches("./")
                    .to_string();
                let media = elem.get("media-type").unwrap_or_default().to_string();
                if path == "/" {
                    m.root = Some(media.clone());
                }
                if m.entries.len() < 100_000 {
                    m.entries.insert(path.to_ascii_lowercase(), media);
                }
                if !empty {
                    current = Some(path);
                }
            }
            "encryption-data" => {
                if let Some(p) = &current {
                    m.encrypted.push(p.clone());
                }
            }
            _ => {}
        }
    }
    Ok(m)
}

/// Inspects a zipped ODF package.
pub fn inspect(bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let mut pkg = Package::open(bytes, ctx)?;
    let names: Vec<String> = pkg.names().to_vec();
    let mut ledger = Ledger::new(&names);
    let residue: Vec<String> = names
        .iter()
        .filter(|n| is_mac_residue(n) && !n.ends_with('/'))
        .cloned()
        .collect();
    for n in &residue {
        ledger.mark(n, PartState::MacResidue);
    }
    let mimetype = if pkg.has("mimetype") {
        let m = ctx
            .guard("mimetype", |ctx| pkg.read_string("mimetype", ctx))?
            .flatten();
        ledger.mark(
            "mimetype",
            if m.is_some() {
                PartState::Inspected
            } else {
                PartState::Unreadable
            },
        );
        m.unwrap_or_default()
    } else {
        String::new()
    };
    let manifest = match ctx.guard(MANIFEST, |ctx| read_manifest(&mut pkg, ctx))? {
        Some(m) => {
            ledger.mark(MANIFEST, PartState::Inspected);
            m
        }
        None => {
            ledger.mark(MANIFEST, PartState::Unreadable);
            Manifest::default()
        }
    };
    if !manifest.encrypted.is_empty() {
        return Err(ScanError::new(format!(
            "password-protected: {} of the package {} encrypted, so the content cannot be checked",
            plural(manifest.encrypted.len() as u64, "part", "parts"),
            if manifest.encrypted.len() == 1 {
                "is"
            } else {
                "are"
            }
        )));
    }
    let kind = Kind::of(manifest.root.as_deref().unwrap_or(&mimetype));
    let kind = if kind == Kind::Other {
        Kind::Text
    } else {
        kind
    };
    let mut objects_done: BTreeSet<String> = BTreeSet::new();
    let read = inspect_doc(
        &mut pkg,
        &mut ledger,
        &manifest,
        "",
        kind,
        &[],
        &mut objects_done,
        ctx,
    );
    match read {
        Ok(_) => {}
        Err(e) => {
            ctx.record_parts(&ledger.tally());
            return Err(e);
        }
    }
    let mut orphans: Vec<String> = Vec::new();
    for part in ledger.unaccounted() {
        ctx.check_time()?;
        let state = ctx
            .guard(&part, |ctx| {
                other_part(
                    &mut pkg,
                    &manifest,
                    &part,
                    &mut orphans,
                    &mut objects_done,
                    ctx,
                )
            })?
            .unwrap_or(PartState::Unreadable);
        ledger.mark(&part, state);
        if state == PartState::Unknown {
            let media = manifest.media(&part).unwrap_or_default().to_string();
            ledger.mark_unknown(&part, &media);
        }
    }
    report_orphans(ctx, &mut pkg, &orphans);
    macos::inspect(&mut pkg, &residue, ctx)?;
    ctx.record_parts(&ledger.tally());
    Ok(())
}

/// Reads one document of the package (the file itself, or an embedded object under
/// `prefix`), then the objects it embeds. Returns its sheets (for embedded charts).
#[allow(clippy::too_many_arguments)]
fn inspect_doc(
    pkg: &mut Package<'_>,
    ledger: &mut Ledger,
    manifest: &Manifest,
    prefix: &str,
    kind: Kind,
    parent_sheets: &[SheetInfo],
    objects_done: &mut BTreeSet<String>,
    ctx: &mut Ctx<'_>,
) -> ScanResult<Vec<SheetInfo>> {
    if kind == Kind::Formula {
        formula(pkg, ledger, prefix, ctx)?;
        return Ok(Vec::new());
    }
    let mut doc = DocState::new(kind);
    doc.parent_sheets = parent_sheets.to_vec();
    for name in ["styles.xml", "content.xml", "meta.xml", "settings.xml"] {
        let part = format!("{prefix}{name}");
        if !pkg.has(&part) {
            if name == "content.xml" {
                let l = ctx.loc(&part);
                ctx.unscannable(l, "the document's content part is missing from the package");
            }
            continue;
        }
        let ok = ctx.guard(&part, |ctx| {
            let Some(reader) = pkg.reader(&part, ctx)? else {
                return Ok(());
            };
            let mut xml = XmlReader::new(reader, &part);
            read_part(&mut xml, &part, &mut doc, ctx)
        })?;
        ledger.mark(
            &part,
            if ok.is_some() {
                PartState::Inspected
            } else {
                PartState::Unreadable
            },
        );
    }
    finish(&doc, ctx);
    let m = macros::inspect_package(pkg, ledger, prefix, ctx)?;
    macros::report(&m, ctx);

    // Objects the document shows, then objects the manifest lists that nothing shows.
    let mut wanted: Vec<(String, bool)> = Vec::new();
    for o in &doc.objects {
        if o.href.contains("..") || o.href.contains(':') {
            continue;
        }
        wanted.push((format!("{prefix}{}", o.href), o.hidden));
    }
    let mut unshown: Vec<String> = manifest
        .entries
        .iter()
        .filter(|(path, media)| {
            path.ends_with('/')
                && path.len() > prefix.len() + 1
                && path.starts_with(&prefix.to_ascii_lowercase())
                && !path[prefix.len()..path.len() - 1].contains('/')
                && Kind::of(media) != Kind::Other
        })
        .map(|(path, _)| path.trim_end_matches('/').to_string())
        .collect();
    unshown.sort();
    for path in unshown {
        if !wanted.iter().any(|(w, _)| w.eq_ignore_ascii_case(&path)) {
            wanted.push((path, true));
        }
    }
    for (path, hidden) in wanted {
        if !objects_done.insert(path.to_ascii_lowercase()) {
            continue;
        }
        ctx.check_time()?;
        object(
            pkg,
            ledger,
            manifest,
            &path,
            hidden,
            &doc.sheets,
            objects_done,
            ctx,
        )?;
    }
    Ok(doc.sheets)
}

/// One embedded object: an ODF sub-document (`Object 1/`), or a file (an OLE object).
#[allow(clippy::too_many_arguments)]
fn object(
    pkg: &mut Package<'_>,
    ledger: &mut Ledger,
    manifest: &Manifest,
    path: &str,
    hidden: bool,
    sheets: &[SheetInfo],
    objects_done: &mut BTreeSet<String>,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let name = path.rsplit('/').next().unwrap_or(path).to_string();
    let folder = format!("{path}/");
    let content = format!("{folder}content.xml");
    let is_folder =
        pkg.has(&content) || manifest.entries.contains_key(&folder.to_ascii_lowercase());
    if is_folder {
        let mut kind = Kind::of(manifest.media(&folder).unwrap_or_default());
        if kind == Kind::Other {
            kind = Kind::Text;
        }
        match kind {
            Kind::Chart | Kind::Formula => {
                inspect_doc(
                    pkg,
                    ledger,
                    manifest,
                    &folder,
                    kind,
                    sheets,
                    objects_done,
                    ctx,
                )?;
            }
            _ => {
                // The zip's CRC-32s of the object's parts: its content, at no cost.
                let parts: Vec<String> = pkg
                    .names()
                    .iter()
                    .filter(|n| n.starts_with(&folder))
                    .cloned()
                    .collect();
                let key = parts
                    .iter()
                    .map(|n| format!("{n}:{:08x}", pkg.crc32(n).unwrap_or(0)))
                    .collect::<Vec<_>>()
                    .join("|");
                report_embedded(ctx, &content, &name, kind, hidden, &key);
                // Too deep to follow, `nested` reports it; its parts are then scanned in the
                // remaining-parts pass.
                ctx.nested(&name, |ctx| {
                    inspect_doc(pkg, ledger, manifest, &folder, kind, &[], objects_done, ctx)
                })?;
            }
        }
        return Ok(());
    }
    if pkg.has(path) {
        let bytes = ctx.guard(path, |ctx| pkg.read(path, ctx))?.flatten();
        match bytes {
            Some(b) => {
                embedded::inspect_object(&name, path, &b, ctx)?;
                ledger.mark(path, PartState::Inspected);
            }
            None => ledger.mark(path, PartState::Unreadable),
        }
    }
    Ok(())
}

/// A formula object (MathML): its text is what the formula shows.
fn formula(
    pkg: &mut Package<'_>,
    ledger: &mut Ledger,
    prefix: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    for name in ["content.xml", "styles.xml", "meta.xml", "settings.xml"] {
        let part = format!("{prefix}{name}");
        if !pkg.has(&part) {
            continue;
        }
        let ok = ctx.guard(&part, |ctx| {
            quiet(pkg, &part, "text of a formula object", ctx)
        })?;
        ledger.mark(
            &part,
            if ok.is_some() {
                PartState::Inspected
            } else {
                PartState::Unreadable
            },
        );
    }
    Ok(())
}

/// Decides the state of a part no document read: by its media type, else by its path.
fn other_part(
    pkg: &mut Package<'_>,
    manifest: &Manifest,
    part: &str,
    orphans: &mut Vec<String>,
    objects_done: &mut BTreeSet<String>,
    ctx: &mut Ctx<'_>,
) -> ScanResult<PartState> {
    let lower = part.to_ascii_lowercase();
    let file = lower.rsplit('/').next().unwrap_or_default();
    let ext = file.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let in_meta_inf = lower.starts_with("meta-inf/");
    if !manifest.lists(part) && !in_meta_inf {
        quiet(pkg, part, "text of a part the manifest does not list", ctx)?;
        orphans.push(part.to_string());
        return Ok(PartState::Orphan);
    }
    let media = manifest
        .media(part)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let size = pkg.declared_size(part).unwrap_or(0);
    let bitmap = matches!(
        ext,
        "png" | "jpg" | "jpeg" | "gif" | "bmp" | "tif" | "tiff" | "webp" | "ico"
    ) || (media.starts_with("image/")
        && !media.contains("svg")
        && !media.contains("wmf")
        && !media.contains("emf"));
    if lower.starts_with("thumbnails/")
        || lower.contains("/thumbnails/")
        || (bitmap && ext != "svg")
    {
        return Ok(PartState::NoText);
    }
    if size == 0 {
        return Ok(PartState::NoText);
    }
    if in_meta_inf
        || media.contains("rdf")
        || ext == "rdf"
        || ext == "svg"
        || media.contains("svg")
        || lower.starts_with("configurations2/")
        || lower.contains("/configurations2/")
    {
        quiet(pkg, part, "text of package metadata or an image", ctx)?;
        return Ok(PartState::Inspected);
    }
    if lower.starts_with("objectreplacements/")
        || lower.contains("/objectreplacements/")
        || matches!(ext, "wmf" | "emf" | "svm")
        || media.contains("metafile")
        || media.contains("wmf")
        || media.contains("emf")
        || file == "layout-cache"
    {
        // A picture of an object or a layout cache: the strings it draws, as hidden text.
        quiet(pkg, part, "text of an object picture or layout cache", ctx)?;
        return Ok(PartState::Inspected);
    }
    if media.contains("oleobject") || (file.starts_with("object ") && !lower.contains('/')) {
        let path = part.to_string();
        if objects_done.insert(lower.clone()) {
            let bytes = pkg.read(&path, ctx)?.unwrap_or_default();
            let name = path.rsplit('/').next().unwrap_or(&path).to_string();
            embedded::inspect_object(&name, &path, &bytes, ctx)?;
        }
        return Ok(PartState::Inspected);
    }
    if matches!(ext, "xml") && (lower.starts_with("object ") || lower.contains("/object ")) {
        // A part of an embedded object that its document did not read (a foreign part).
        unknown::inspect(pkg, part, &media, ctx)?;
        return Ok(PartState::Unknown);
    }
    unknown::inspect(pkg, part, &media, ctx)?;
    Ok(PartState::Unknown)
}

/// Every text and attribute value of a part (or printable run of a binary one) as hidden
/// text, without a finding of its own.
fn quiet(pkg: &mut Package<'_>, part: &str, what: &str, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    unknown::scan_text(pkg, part, what, ctx).map(|_| ())
}

/// Parts in the zip that the manifest does not list: nothing opens them, yet they travel
/// with the file.
fn report_orphans(ctx: &mut Ctx<'_>, pkg: &mut Package<'_>, orphans: &[String]) {
    if orphans.is_empty() {
        return;
    }
    let bytes: u64 = orphans.iter().filter_map(|p| pkg.declared_size(p)).sum();
    if bytes == 0 {
        return;
    }
    let list: Vec<&str> = orphans.iter().map(String::as_str).take(4).collect();
    let more = if orphans.len() > 4 { ", …" } else { "" };
    ctx.report(
        "residual-data",
        Severity::High,
        true,
        loc(ctx, &orphans[0]),
        format!(
            "{} ({} bytes) that the package manifest does not list, so nothing opens {}: {}{more}",
            plural(orphans.len() as u64, "part", "parts"),
            thousands(bytes),
            if orphans.len() == 1 { "it" } else { "them" },
            list.join(", ")
        ),
        &orphans
            .iter()
            .map(|p| format!("{p}:{:08x}", pkg.crc32(p).unwrap_or(0)))
            .collect::<Vec<_>>()
            .join("|"),
    );
}
