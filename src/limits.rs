//! Safety limits that keep hostile files from exhausting memory or time.

use std::time::Duration;

/// Caps applied to every file. A file that hits one is reported `unscannable`, never passed.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest input file read.
    pub max_file_bytes: u64,
    /// Largest inflated size of one zip part.
    pub max_part_bytes: u64,
    /// Largest inflated total across one file and everything embedded in it.
    pub max_total_inflated: u64,
    /// Most entries in one zip container.
    pub max_entries: usize,
    /// Deepest chain of embedded files followed.
    pub max_depth: usize,
    /// Wall-clock budget for one file.
    pub max_time: Duration,
    /// Most shared strings kept in memory for one workbook.
    pub max_shared_strings: usize,
    /// Not a safety cap but a reporting threshold (`thresholds.hidden_rows_min`): hidden rows
    /// block only when at least this many hold data; fewer are reported `low`.
    pub hidden_rows_min: u32,
    /// Most objects in one PDF.
    pub max_pdf_objects: usize,
    /// Most pages in one PDF.
    pub max_pdf_pages: usize,
    /// Largest decoded size of one PDF stream (content, fonts, attachments, metadata).
    pub max_pdf_stream_bytes: u64,
    /// Most glyphs and most filled areas one PDF page may draw.
    pub max_pdf_glyphs_per_page: usize,
    pub max_pdf_fills_per_page: usize,
    /// Most earlier revisions of a PDF whose page text is rebuilt.
    pub max_pdf_revisions: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1 << 30,
            max_part_bytes: 512 << 20,
            max_total_inflated: 2 << 30,
            max_entries: 20_000,
            max_depth: 4,
            max_time: Duration::from_secs(120),
            max_shared_strings: 5_000_000,
            hidden_rows_min: 1,
            max_pdf_objects: 5_000_000,
            max_pdf_pages: 50_000,
            max_pdf_stream_bytes: 256 << 20,
            max_pdf_glyphs_per_page: 2_000_000,
            max_pdf_fills_per_page: 1_000_000,
            max_pdf_revisions: 64,
        }
    }
}
