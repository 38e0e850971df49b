//! A self-contained HTML report (`--format html`) for disclosure officers.

use super::Run;
use std::io::Write;

/// Writes the run as one HTML page with no external assets.
pub fn write(out: &mut dyn Write, run: &Run<'_>) -> std::io::Result<()> {
    let _ = (out, run);
    Err(std::io::Error::other("HTML output is not built yet"))
}
