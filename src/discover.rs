//! Finding the files to scan: files and folders given on the command line (recursively),
//! or a list of paths on standard input for `-`. Nothing is skipped: a release folder is
//! scanned whole, hidden files and ignore-listed files included.

use std::io::BufRead;
use std::path::{Path, PathBuf};

/// A file to scan, with the path to print for it.
#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    pub display: String,
}

/// Expands the arguments into files, sorted within each folder. A path that does not exist
/// is an error (exit 2), so a typo never reads as "nothing to block".
pub fn discover(args: &[PathBuf]) -> Result<Vec<Target>, String> {
    let mut out = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            let stdin = std::io::stdin();
            for line in stdin.lock().lines() {
                let line =
                    line.map_err(|e| format!("cannot read paths from standard input: {e}"))?;
                let line = line.trim();
                if !line.is_empty() {
                    add(Path::new(line), &mut out)?;
                }
            }
        } else {
            add(arg, &mut out)?;
        }
    }
    Ok(out)
}

fn add(path: &Path, out: &mut Vec<Target>) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !meta.is_dir() {
        out.push(target(path));
        return Ok(());
    }
    // Links are followed (a linked file is part of the release); the walker detects loops.
    let walker = ignore::WalkBuilder::new(path)
        .standard_filters(false)
        .follow_links(true)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_some_and(|t| t.is_dir()) {
                    out.push(target(entry.path()));
                }
            }
            // A dangling link or an unreadable entry is still a file of the release: keep it,
            // so the scan reports it as unscannable instead of silently passing the folder.
            Err(err) => match error_path(&err) {
                Some(p) => out.push(target(&p)),
                None => return Err(format!("{}: {err}", path.display())),
            },
        }
    }
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
