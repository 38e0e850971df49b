//! The floor a sweep cannot beat: read every file and inflate every zip member, nothing
//! else. `benches/sweep.py` times foiguard as a ratio to it.
//!
//! ```text
//! cargo run --release --example floor -- [-j N] PATH...
//! ```
//! Prints one line: `files=… bytes=… inflated=…`.

use rayon::prelude::*;
use std::io::{Cursor, Read};
use std::path::PathBuf;

fn files_under(root: PathBuf, out: &mut Vec<PathBuf>) {
    if root.is_dir() {
        let Ok(entries) = std::fs::read_dir(&root) else {
            return;
        };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for e in entries {
            files_under(e, out);
        }
    } else if root.is_file() {
        out.push(root);
    }
}

/// Bytes read and bytes inflated for one file.
fn floor(path: &PathBuf) -> (u64, u64) {
    let Ok(bytes) = std::fs::read(path) else {
        return (0, 0);
    };
    let mut inflated = 0u64;
    if bytes.starts_with(b"PK")
        && let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(&bytes[..]))
    {
        let mut buf = vec![0u8; 64 * 1024];
        for i in 0..archive.len() {
            let Ok(mut f) = archive.by_index(i) else {
                continue;
            };
            while let Ok(n) = f.read(&mut buf) {
                if n == 0 {
                    break;
                }
                inflated += n as u64;
            }
        }
    }
    (bytes.len() as u64, inflated)
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let mut jobs = 0usize;
    let mut roots = Vec::new();
    while let Some(a) = args.next() {
        if a == "-j" {
            jobs = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        } else {
            roots.push(PathBuf::from(a));
        }
    }
    let mut files = Vec::new();
    for r in roots {
        files_under(r, &mut files);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .expect("threads");
    let (bytes, inflated) = pool.install(|| {
        files
            .par_iter()
            .map(floor)
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    println!("files={} bytes={bytes} inflated={inflated}", files.len());
}
