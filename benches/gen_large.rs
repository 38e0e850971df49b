//! Writes a large FOI-like corpus for end-to-end timing and memory checks.
//!
//! ```text
//! cargo run --release --example gen-large -- OUTDIR FILES [BIG_ROWS]
//! ```
//! Files cycle through the sample corpus; every tenth is a crime-records workbook of
//! BIG_ROWS rows (default 20,000) with some hidden rows. Files are spread over folders
//! of 500 so the walk is exercised too.

#[path = "../tests/fixtures/corpus.rs"]
mod fixtures;

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(
        args.next()
            .expect("usage: gen-large OUTDIR FILES [BIG_ROWS]"),
    );
    let files: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let big_rows: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let corpus = fixtures::corpus();
    let big = fixtures::large_crime_records(big_rows, 50);
    let mut bytes = 0usize;
    for i in 0..files {
        let dir = out.join(format!("batch-{:03}", i / 500));
        std::fs::create_dir_all(&dir)?;
        let (name, data) = if i % 10 == 9 {
            ("crime-records.xlsx", &big)
        } else {
            let (n, d) = &corpus[i % corpus.len()];
            (*n, d)
        };
        bytes += data.len();
        std::fs::write(dir.join(format!("{i:06}-{name}")), data)?;
    }
    println!("wrote {files} files, {bytes} bytes, to {}", out.display());
    Ok(())
}
