//! Finding the files to scan: files and folders given on the command line (recursively),
//! or a list of paths on standard input for `-`. Nothing is skipped unless the config's
//! `[exclude] paths` says so: a release folder is scanned whole, hidden files and
//! `.gitignore`d files included. Excludes apply inside folders only; a file named on the
//! command line or on standard input is always scanned.

use std::io::BufRead;
use std::path::{Path, PathBuf};

/// A file to scan, with the path to print for it.
#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    pub display: String,
}

/// The files to scan, and how many the excludes left out.
#[derive(Debug, Default)]
pub struct Discovered {
    pub targets: Vec<Target>,
    pub excluded: u64,
}

/// Expands the arguments into files, sorted within each folder, leaving out files and
/// folders inside scanned folders that match one of the gitignore-style `excludes` (relative
/// to the folder given). A path that does not exist is an error (exit 2), so a typo never
/// reads as "nothing to block".
pub fn discover(args: &[PathBuf], excludes: &[String]) -> Result<Discovered, String> {
    let mut found = Discovered::default();
    let out = &mut found;
    for arg in args {
        if arg.as_os_str() == "-" {
            let stdin = std::io::stdin();
            for line in stdin.lock().lines() {
                let line =
                    line.map_err(|e| format!("cannot read paths from standard input: {e}"))?;
                let line = line.trim();
                if !line.is_empty() {
                    add(Path::new(line), excludes, out)?;
                }
            }
        } else {
            add(arg, excludes, out)?;
        }
    }
    Ok(found)
}

fn add(path: &Path, excludes: &[String], out: &mut Discovered) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !meta.is_dir() {
        out.targets.push(target(path));
        return Ok(());
    }
    let mut matcher = ignore::gitignore::GitignoreBuilder::new(path);
    for pattern in excludes {
        matcher
            .add_line(None, pattern)
            .map_err(|e| format!("bad exclude pattern '{pattern}': {e}"))?;
    }
    let matcher = matcher
        .build()
        .map_err(|e| format!("bad exclude patterns: {e}"))?;
    let excluded = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    // Links are followed (a linked file is part of the release); the walker detects loops.
    let walker = ignore::WalkBuilder::new(path)
        .standard_filters(false)
        .follow_links(true)
        .sort_by_file_path(|a, b| a.cmp(b))
        .filter_entry({
            let excluded = excluded.clone();
            let matcher = matcher.clone();
            move |e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                let out = e.depth() > 0 && matcher.matched(e.path(), is_dir).is_ignore();
                if out {
                    excluded.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                !out
            }
        })
        .build();
    for entry in walker {
        let out_targets = &mut out.targets;
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_some_and(|t| t.is_dir()) {
                    out_targets.push(target(entry.path()));
                }
            }
            // A dangling link or an unreadable entry is still a file of the release: keep it,
            // so the scan reports it as unscannable instead of silently passing the folder.
            Err(err) => match error_path(&err) {
                Some(p) => out_targets.push(target(&p)),
                None => return Err(format!("{}: {err}", path.display())),
            },
        }
    }
    out.excluded += excluded.load(std::sync::atomic::Ordering::Relaxed);
    Ok(())
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

fn target(path: &Path) -> Target {
    Target {
        path: path.to_path_buf(),
        display: path.display().to_string(),
    }
}
