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
    let walker = ignore::WalkBuilder::new(path)
        .standard_filters(false)
        .follow_links(false)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| format!("{}: {e}", path.display()))?;
        if entry.file_type().is_some_and(|t| t.is_file()) {
            out.push(target(entry.path()));
        }
    }
    Ok(())
}

fn target(path: &Path) -> Target {
    Target {
        path: path.to_path_buf(),
        display: path.display().to_string(),
    }
}
