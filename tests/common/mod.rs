//! Helpers shared by the integration tests: scanning fixtures in memory or from a temporary
//! file, and picking findings and items out of the results with readable failure messages.

#![allow(dead_code)]

use foiguard::detect::Engine;
use foiguard::formats::Format;
use foiguard::model::ItemKind;
use foiguard::{FileReport, Finding, Limits, OwnedItem, ScanOptions, Severity};
use std::path::Path;

/// Scans bytes with default limits and no personal-data detectors.
pub fn scan(bytes: &[u8]) -> (Format, Vec<Finding>) {
    let (format, findings, _) = scan_with(bytes, &Limits::default(), false);
    (format, findings)
}

/// Scans bytes and keeps every extracted item.
pub fn scan_items(bytes: &[u8]) -> (Vec<Finding>, Vec<OwnedItem>) {
    let (_, findings, items) = scan_with(bytes, &Limits::default(), true);
    (findings, items)
}

/// Scans bytes with the given limits.
pub fn scan_with(
    bytes: &[u8],
    limits: &Limits,
    collect: bool,
) -> (Format, Vec<Finding>, Vec<OwnedItem>) {
    let engine = Engine::structural_only();
    foiguard::scan_bytes(bytes, limits, &engine, collect)
}

/// Findings only, with the given limits.
pub fn findings_with(bytes: &[u8], limits: &Limits) -> Vec<Finding> {
    scan_with(bytes, limits, false).1
}

/// Writes `bytes` to a temporary file and scans it as the CLI would (verdict and error set).
pub fn scan_as_file(bytes: &[u8], name: &str, fail_on: Severity) -> FileReport {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write fixture");
    scan_path(&path, fail_on)
}

pub fn scan_path(path: &Path, fail_on: Severity) -> FileReport {
    let limits = Limits::default();
    let engine = Engine::structural_only();
    let policy = foiguard::policy::Policy::new(fail_on);
    let opts = ScanOptions::new(&limits, &engine, &policy);
    foiguard::scan_file(path, &path.display().to_string(), &opts)
}

/// One line per finding, for assertion messages.
pub fn dump(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "  {} {} hidden={} [{}] {}",
                f.severity,
                f.rule,
                f.hidden,
                f.location.describe(),
                f.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// All findings of `rule`.
pub fn of_rule<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

/// The single finding of `rule`; fails when there is none or more than one.
pub fn only<'a>(findings: &'a [Finding], rule: &str) -> &'a Finding {
    let hits = of_rule(findings, rule);
    assert_eq!(
        hits.len(),
        1,
        "expected exactly one '{rule}' finding, got {}:\n{}",
        hits.len(),
        dump(findings)
    );
    hits[0]
}

/// Asserts that no finding of `rule` was reported.
pub fn none_of(findings: &[Finding], rule: &str) {
    let hits = of_rule(findings, rule);
    assert!(
        hits.is_empty(),
        "expected no '{rule}' finding, got:\n{}",
        dump(findings)
    );
}

/// Sorted rule ids of the findings (duplicates kept).
pub fn rule_ids(findings: &[Finding]) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = findings.iter().map(|f| f.rule).collect();
    ids.sort_unstable();
    ids
}

/// Asserts the file produced exactly these rules (as a multiset) and nothing else.
pub fn assert_rules(findings: &[Finding], expected: &[&str]) {
    let mut want: Vec<&str> = expected.to_vec();
    want.sort_unstable();
    assert_eq!(
        rule_ids(findings),
        want,
        "unexpected set of findings:\n{}",
        dump(findings)
    );
}

/// The most severe finding's severity, if any.
pub fn max_severity(findings: &[Finding]) -> Option<Severity> {
    findings.iter().map(|f| f.severity).max()
}

/// One line per item, for assertion messages.
pub fn dump_items(items: &[OwnedItem]) -> String {
    items
        .iter()
        .map(|i| {
            format!(
                "  {:?} hidden={} [{}] {:?} detail={:?}",
                i.kind,
                i.hidden,
                i.location.describe(),
                i.text,
                i.detail
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Items of `kind` whose text equals `text`.
pub fn items_with<'a>(items: &'a [OwnedItem], kind: ItemKind, text: &str) -> Vec<&'a OwnedItem> {
    items
        .iter()
        .filter(|i| i.kind == kind && i.text == text)
        .collect()
}

/// The single item of `kind` with exactly `text`.
pub fn item<'a>(items: &'a [OwnedItem], kind: ItemKind, text: &str) -> &'a OwnedItem {
    let hits = items_with(items, kind, text);
    assert_eq!(
        hits.len(),
        1,
        "expected exactly one {kind:?} item {text:?}, got {}:\n{}",
        hits.len(),
        dump_items(items)
    );
    hits[0]
}

/// The cell item at `sheet`!`cell` (the value, not a formula).
pub fn cell<'a>(items: &'a [OwnedItem], sheet: &str, cell: &str) -> &'a OwnedItem {
    let hits: Vec<&OwnedItem> = items
        .iter()
        .filter(|i| {
            i.kind == ItemKind::Cell
                && i.detail.is_none()
                && i.location.sheet.as_deref() == Some(sheet)
                && i.location.cell.as_deref() == Some(cell)
        })
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "expected one cell item at {sheet}!{cell}, got {}:\n{}",
        hits.len(),
        dump_items(items)
    );
    hits[0]
}

/// A zip package of `parts` (deflated), in order.
pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        writer.start_file(*name, options).expect("start_file");
        writer.write_all(data).expect("write");
    }
    writer.finish().expect("finish").into_inner()
}

/// Every part of a zip package as (name, bytes), in archive order.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).expect("entry");
            let name = f.name().expect("name").to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read");
            (name, data)
        })
        .collect()
}

/// The package without the part `name`.
pub fn without_part(bytes: &[u8], name: &str) -> Vec<u8> {
    let parts = unzip(bytes);
    assert!(
        parts.iter().any(|(n, _)| n == name),
        "{name} not in package"
    );
    let kept: Vec<(&str, &[u8])> = parts
        .iter()
        .filter(|(n, _)| n != name)
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip_of(&kept)
}

/// A temporary folder of files to run the `foiguard` binary on; commands run inside it, so
/// relative paths stay short and `./foiguard.toml` there is picked up.
pub struct TempFiles {
    dir: tempfile::TempDir,
}

impl Default for TempFiles {
    fn default() -> Self {
        TempFiles {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }
}

impl TempFiles {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `bytes` at `name` (folders created as needed) and returns the full path.
    pub fn add(&self, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, bytes).expect("write");
        path
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `foiguard` with the working directory set to the folder, and `NO_COLOR` cleared so
    /// the colour tests see the real default.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_foiguard"));
        cmd.current_dir(self.path());
        cmd.env_remove("NO_COLOR");
        cmd
    }
}

/// Moves parts of an OPC package to other names, as another producer might name them, and
/// keeps the package valid: each moved part's relationship part moves with it, every
/// relationship target is rewritten relative to its (possibly moved) source, and the
/// `Override`s of `[Content_Types].xml` follow. `moves` pairs old and new part names.
pub fn relocate_parts(bytes: &[u8], moves: &[(&str, &str)]) -> Vec<u8> {
    let moved = |part: &str| -> String {
        moves
            .iter()
            .find(|(from, _)| from.eq_ignore_ascii_case(part))
            .map(|(_, to)| to.to_string())
            .unwrap_or_else(|| part.to_string())
    };
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, data) in unzip(bytes) {
        if name == "[Content_Types].xml" {
            let mut text = String::from_utf8(data).expect("utf-8");
            for (from, to) in moves {
                text = text.replace(
                    &format!("PartName=\"/{from}\""),
                    &format!("PartName=\"/{to}\""),
                );
            }
            out.push((name, text.into_bytes()));
        } else if let Some(source) = opc_source_of(&name) {
            let new_source = moved(&source);
            let text = String::from_utf8(data).expect("utf-8");
            let rewritten = rewrite_targets(&text, &source, &new_source, &moved);
            out.push((opc_rels_part_for(&new_source), rewritten.into_bytes()));
        } else {
            out.push((moved(&name), data));
        }
    }
    let parts: Vec<(&str, &[u8])> = out
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip_of(&parts)
}

/// The package with extra parts added (name, bytes); `[Content_Types].xml` entries and
/// relationships are the caller's business.
pub fn with_parts(bytes: &[u8], extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut parts = unzip(bytes);
    for (n, d) in extra {
        parts.retain(|(name, _)| name != n);
        parts.push((n.to_string(), d.to_vec()));
    }
    let parts: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip_of(&parts)
}

/// The package with `edit` applied to the text of part `name`.
pub fn edit_part(bytes: &[u8], name: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let parts: Vec<(String, Vec<u8>)> = unzip(bytes)
        .into_iter()
        .map(|(n, d)| {
            if n == name {
                let text = String::from_utf8(d).expect("utf-8");
                (n, edit(&text).into_bytes())
            } else {
                (n, d)
            }
        })
        .collect();
    assert!(
        parts.iter().any(|(n, _)| n == name),
        "{name} not in package"
    );
    let parts: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip_of(&parts)
}

fn opc_source_of(rels_part: &str) -> Option<String> {
    let (dir, file) = rels_part.rsplit_once('/').unwrap_or(("", rels_part));
    let dir = dir.strip_suffix("_rels")?.trim_end_matches('/');
    let file = file.strip_suffix(".rels")?;
    Some(if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    })
}

fn opc_rels_part_for(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

fn opc_resolve(source: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut segs: Vec<&str> = source.split('/').collect();
    segs.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    segs.join("/")
}

/// `to` written relative to the folder of `from` (both part names from the root).
fn opc_relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> =
        from.split('/').collect::<Vec<_>>()[..from.split('/').count() - 1].to_vec();
    let to_segs: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_segs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from_dir.len() - common];
    out.extend(&to_segs[common..]);
    out.join("/")
}

fn rewrite_targets(
    text: &str,
    source: &str,
    new_source: &str,
    moved: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::new();
    for piece in text.split_inclusive("/>") {
        if piece.contains("TargetMode=\"External\"") {
            out.push_str(piece);
            continue;
        }
        let Some(start) = piece.find("Target=\"") else {
            out.push_str(piece);
            continue;
        };
        let value_start = start + "Target=\"".len();
        let value_end = value_start + piece[value_start..].find('"').expect("closing quote");
        let target = &piece[value_start..value_end];
        let absolute = moved(&opc_resolve(source, target));
        let rewritten = opc_relative(new_source, &absolute);
        out.push_str(&piece[..value_start]);
        out.push_str(&rewritten);
        out.push_str(&piece[value_end..]);
    }
    out
}

/// An AppleDouble file (`__MACOSX/._name`) laid out as macOS writes one: Apple's AppleDouble
/// v2 header, then xnu's `ATTR` block after the 32 bytes of Finder info, holding the given
/// extended attributes (name, value). No writer of this format runs on Linux, so the tests
/// build the documented layout (xnu bsd/vfs/vfs_xattr.c).
pub fn appledouble(attrs: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let finder_start = 50usize;
    let names: Vec<Vec<u8>> = attrs
        .iter()
        .map(|(n, _)| {
            let mut v = n.as_bytes().to_vec();
            v.push(0);
            v
        })
        .collect();
    let entries_len: usize = names.iter().map(|n| (11 + n.len() + 3) & !3).sum();
    let mut value_offset = finder_start + 34 + 36 + entries_len;
    let mut entries = Vec::new();
    for (name, (_, value)) in names.iter().zip(attrs) {
        let start = entries.len();
        entries.extend_from_slice(&(value_offset as u32).to_be_bytes());
        entries.extend_from_slice(&(value.len() as u32).to_be_bytes());
        entries.extend_from_slice(&0u16.to_be_bytes());
        entries.push(name.len() as u8);
        entries.extend_from_slice(name);
        while (entries.len() - start) % 4 != 0 {
            entries.push(0);
        }
        value_offset += value.len();
    }
    let mut finder = vec![0u8; 34];
    finder.extend_from_slice(b"ATTR");
    finder.extend_from_slice(&[0u8; 30]);
    finder.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
    finder.extend_from_slice(&entries);
    for (_, v) in attrs {
        finder.extend_from_slice(v);
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0x0005_1607u32.to_be_bytes());
    out.extend_from_slice(&0x0002_0000u32.to_be_bytes());
    out.extend_from_slice(&[0u8; 16]);
    out.extend_from_slice(&2u16.to_be_bytes());
    for (id, offset, len) in [
        (9u32, finder_start, finder.len()),
        (2u32, finder_start + finder.len(), 0),
    ] {
        out.extend_from_slice(&id.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(len as u32).to_be_bytes());
    }
    out.extend_from_slice(&finder);
    out
}

/// `kMDItemWhereFroms` as macOS stores it: a binary property list of strings.
pub fn where_froms(values: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    plist::Value::Array(
        values
            .iter()
            .map(|v| plist::Value::String(v.to_string()))
            .collect(),
    )
    .to_writer_binary(&mut out)
    .expect("plist");
    out
}
