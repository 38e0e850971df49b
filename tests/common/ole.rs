//! OLE compound files for the doc and ppt tests: read every stream of a file a real writer
//! made, and write streams back into a compound file (to add a storage, or to change a
//! stream the way a later save of the same writer would).

#![allow(dead_code)]

use std::io::{Cursor, Read, Write};

/// Every stream of a compound file, as (path without the leading slash, bytes).
pub fn streams(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).expect("compound file");
    let paths: Vec<String> = cf
        .walk()
        .filter(|e| e.is_stream())
        .map(|e| {
            e.path()
                .to_string_lossy()
                .trim_start_matches('/')
                .to_string()
        })
        .collect();
    paths
        .into_iter()
        .map(|p| {
            let mut data = Vec::new();
            cf.open_stream(format!("/{p}"))
                .expect("stream")
                .read_to_end(&mut data)
                .expect("read");
            (p, data)
        })
        .collect()
}

/// A compound file holding `streams` (storages made as needed).
pub fn compound(streams: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
        .expect("create");
    for (path, data) in streams {
        if let Some((dir, _)) = path.rsplit_once('/') {
            cf.create_storage_all(format!("/{dir}")).expect("storage");
        }
        cf.create_stream(format!("/{path}"))
            .expect("stream")
            .write_all(data)
            .expect("write");
    }
    cf.flush().expect("flush");
    cf.into_inner().into_inner()
}

/// The stream called `name`.
pub fn stream<'a>(streams: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &streams
        .iter()
        .find(|(p, _)| p == name)
        .unwrap_or_else(|| panic!("no stream {name}"))
        .1
}

/// Replaces the stream called `name`.
pub fn replace(streams: &mut [(String, Vec<u8>)], name: &str, data: Vec<u8>) {
    streams
        .iter_mut()
        .find(|(p, _)| p == name)
        .unwrap_or_else(|| panic!("no stream {name}"))
        .1 = data;
}

/// The streams of the VBA project a real VBA writer made (the corpus's macro workbook),
/// to be stored under `storage`.
pub fn vba_project(xlsm: &[u8], storage: &str) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsm)).expect("zip");
    let mut bin = Vec::new();
    zip.by_name("xl/vbaProject.bin")
        .expect("vbaProject.bin")
        .read_to_end(&mut bin)
        .expect("read");
    streams(&bin)
        .into_iter()
        .map(|(p, d)| (format!("{storage}/{p}"), d))
        .collect()
}

/// Truncated and mutated copies of `bytes` whose damage lies inside the streams named
/// (the compound file stays readable, so the format's own parser meets the damage).
pub fn damaged_copies(bytes: &[u8], names: &[&str], seed: u64) -> Vec<Vec<u8>> {
    let base = streams(bytes);
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = Vec::new();
    for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len() * 9 / 10] {
        out.push(bytes[..cut].to_vec());
    }
    for name in names {
        let Some(original) = base.iter().find(|(p, _)| p == name).map(|(_, d)| d.clone()) else {
            continue;
        };
        for cut in [
            0,
            8,
            original.len() / 4,
            original.len() / 2,
            original.len().saturating_sub(3),
        ] {
            let mut s = base.clone();
            replace(&mut s, name, original[..cut.min(original.len())].to_vec());
            out.push(compound(&s));
        }
        for round in 0..60 {
            let mut data = original.clone();
            if data.is_empty() {
                break;
            }
            let flips = if round % 2 == 0 { 1 } else { 12 };
            for _ in 0..flips {
                let i = (next() as usize) % data.len();
                if round % 3 == 0 {
                    data[i] = next() as u8;
                } else {
                    data[i] ^= 1 << (next() % 8);
                }
            }
            let mut s = base.clone();
            replace(&mut s, name, data);
            out.push(compound(&s));
        }
    }
    out
}
