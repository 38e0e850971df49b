//! What every fuzz target shares: inspecting bytes as a given format with panics left to
//! escape (the scan pipeline catches them per file; a fuzzer must see them), and wrapping
//! fuzzed bytes into the containers real files come in, so mutations reach the parser
//! behind the container instead of breaking the container.

use foiguard::context::Ctx;
use foiguard::detect::Engine;
use foiguard::formats::{self, Format};
use foiguard::Limits;
use std::io::{Cursor, Read, Write};
use std::sync::OnceLock;
use std::time::Duration;

fn limits() -> &'static Limits {
    static LIMITS: OnceLock<Limits> = OnceLock::new();
    LIMITS.get_or_init(|| Limits {
        // A fuzz input that takes seconds is a hang worth knowing about, not a case to wait for.
        max_time: Duration::from_secs(10),
        max_total_inflated: 256 << 20,
        max_part_bytes: 128 << 20,
        ..Limits::default()
    })
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::new)
}

/// Inspects `bytes` as `format` (or as what they sniff as), detectors included. Errors are
/// fine (they become `unscannable`); panics are the bugs a fuzzer looks for.
pub fn inspect(format: Option<Format>, bytes: &[u8]) {
    let mut ctx = Ctx::new(limits(), engine());
    let format = format.unwrap_or_else(|| formats::sniff(bytes));
    let _ = formats::inspect(format, bytes, &mut ctx);
    let _ = ctx.finish();
}

/// Runs `f` with a fresh inspection context, for targets that call one reader directly.
pub fn with_ctx(f: impl FnOnce(&mut Ctx<'_>)) {
    let mut ctx = Ctx::new(limits(), engine());
    f(&mut ctx);
    let _ = ctx.finish();
}

/// Every entry of a zip package, in order.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let Ok(mut f) = archive.by_index(i) else {
            continue;
        };
        let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
        let mut data = Vec::new();
        if f.read_to_end(&mut data).is_ok() {
            out.push((name, data));
        }
    }
    out
}

/// A stored (uncompressed) zip of `parts`.
pub fn zip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        if w.start_file(name.as_str(), options).is_err() || w.write_all(data).is_err() {
            break;
        }
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// `template` with the part `part` replaced by `data`.
pub fn replace_part(template: &[u8], part: &str, data: &[u8]) -> Vec<u8> {
    let parts: Vec<(String, Vec<u8>)> = unzip(template)
        .into_iter()
        .map(|(n, d)| if n == part { (n, data.to_vec()) } else { (n, d) })
        .collect();
    zip(&parts)
}

/// An OLE compound file holding `streams` (path, bytes).
pub fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let Ok(mut cf) = cfb::CompoundFile::create(Cursor::new(Vec::new())) else {
        return Vec::new();
    };
    for (path, data) in streams {
        if let Some((dir, _)) = path.rsplit_once('/') {
            let _ = cf.create_storage_all(dir);
        }
        if let Ok(mut s) = cf.create_stream(path) {
            let _ = s.write_all(data);
        }
    }
    let _ = cf.flush();
    cf.into_inner().into_inner()
}

/// Splits fuzz input into a selector byte and the rest.
pub fn select(data: &[u8]) -> Option<(u8, &[u8])> {
    data.split_first().map(|(s, rest)| (*s, rest))
}

/// The fuzzed bytes stand in for one part of one of `templates` (real sample files): the
/// selector byte picks the template and the part, so every part parser is reached with
/// mutated content inside a well-formed package.
pub fn inspect_part_of(templates: &[&[u8]], data: &[u8]) {
    let Some((selector, rest)) = select(data) else {
        return;
    };
    let template = templates[selector as usize % templates.len()];
    let parts = unzip(template);
    let candidates: Vec<&String> = parts
        .iter()
        .map(|(n, _)| n)
        .filter(|n| !n.ends_with('/'))
        .collect();
    if candidates.is_empty() {
        return;
    }
    let part = candidates[(selector as usize / templates.len()) % candidates.len()].clone();
    inspect(None, &replace_part(template, &part, rest));
}
