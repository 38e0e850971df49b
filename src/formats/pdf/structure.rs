//! Opening a PDF: the object graph through lopdf (which repairs a broken xref by scanning for
//! objects, and reads the chain of incremental updates), encryption, the size bounds, and the
//! byte offsets where each revision of the file ends.

use crate::context::{Ctx, ScanError, ScanResult};
use crate::util::thousands;
use lopdf::{Document, LoadOptions, Object};

const PASSWORD: &str =
    "password-protected: the PDF needs a password to open, so its content cannot be checked";

/// Loads the document. An empty user password is tried (lopdf decrypts such files, as every
/// viewer opens them without asking); any other encryption fails closed.
pub fn open(bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<Document> {
    let options = LoadOptions {
        max_decompressed_size: Some(ctx.limits.max_pdf_stream_bytes as usize),
        ..LoadOptions::default()
    };
    let doc = match Document::load_mem_with_options(bytes, options) {
        Ok(doc) => doc,
        Err(lopdf::Error::InvalidPassword) => return Err(ScanError::new(PASSWORD)),
        Err(lopdf::Error::Decompress(e)) => {
            return Err(ScanError::new(format!(
                "a compressed object stream could not be read within the limits: {e}"
            )));
        }
        Err(e) => {
            return Err(ScanError::new(format!(
                "damaged PDF: its objects cannot be read ({e})"
            )));
        }
    };
    if doc.is_encrypted() {
        // Still encrypted after loading: the empty password did not open it.
        return Err(ScanError::new(PASSWORD));
    }
    if doc.objects.len() > ctx.limits.max_pdf_objects {
        return Err(ScanError::new(format!(
            "the PDF has {} objects, more than {}",
            thousands(doc.objects.len() as u64),
            ctx.limits.the_limit("max_pdf_objects")
        )));
    }
    Ok(doc)
}

/// Checks that no stream inflates past the limits before any decoder touches it, and charges
/// what they inflate to the file's budget.
///
/// Flate expands at most about 1,032 times (LZW and run-length less), so a stream whose
/// compressed size times that bound stays within the limits needs no check; only the few that
/// could exceed them are decoded here, counting bytes against a cap. Images are left alone:
/// they are decoded only when one covers text, after checking their declared size.
pub fn check_streams(doc: &Document, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    const RATIO: u64 = 1100;
    let per_stream = ctx.limits.max_pdf_stream_bytes;
    let mut bound_total = 0u64;
    let mut risky: Vec<&lopdf::Stream> = Vec::new();
    for obj in doc.objects.values() {
        let Object::Stream(s) = obj else { continue };
        if matches!(s.dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Image") {
            continue;
        }
        let filters = s.filters().map(|f| f.len()).unwrap_or(0);
        let raw = s.content.len() as u64;
        let bound = match filters {
            0 => raw,
            1 => raw.saturating_mul(RATIO),
            // Chained decoders multiply: always measure.
            _ => u64::MAX,
        };
        if bound > per_stream {
            risky.push(s);
        } else {
            bound_total = bound_total.saturating_add(bound);
        }
    }
    for s in risky {
        ctx.check_time()?;
        let data = s
            .decompressed_content_with_limit(per_stream as usize)
            .map_err(|e| match e {
                lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                }) => ScanError::new(format!(
                    "a stream inflates past {} (a decompression bomb?)",
                    ctx.limits.the_limit("max_pdf_stream_bytes")
                )),
                // A stream that does not decode is the page's problem, reported with the page.
                _ => ScanError::new(String::new()),
            });
        match data {
            Ok(d) => ctx.charge_inflated(d.len() as u64)?,
            Err(e) if e.0.is_empty() => {}
            Err(e) => return Err(e),
        }
    }
    // What the small streams could inflate to: within budget, or measure them too.
    if bound_total > ctx.remaining_inflate_budget() {
        for obj in doc.objects.values() {
            let Object::Stream(s) = obj else { continue };
            if matches!(s.dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Image")
                || s.dict.get(b"Filter").is_err()
            {
                continue;
            }
            if let Ok(d) = s.decompressed_content_with_limit(per_stream as usize) {
                ctx.charge_inflated(d.len() as u64)?;
            }
        }
    }
    Ok(())
}

/// Where each revision of the file ends: just after the `%%EOF` that closes its trailer.
/// A linearized file's first-page section is not a revision of its own, and a marker that
/// repeats the previous `startxref` adds nothing.
pub fn revision_ends(bytes: &[u8], linearized: bool) -> Vec<usize> {
    let mut ends: Vec<usize> = Vec::new();
    let mut last_xref: Option<u64> = None;
    for pos in memchr::memmem::find_iter(bytes, b"%%EOF") {
        let window = &bytes[pos.saturating_sub(64)..pos];
        let Some(sx) = memchr::memmem::rfind(window, b"startxref") else {
            continue;
        };
        let digits: String = window[sx + 9..]
            .iter()
            .skip_while(|b| b.is_ascii_whitespace())
            .take_while(|b| b.is_ascii_digit())
            .map(|b| *b as char)
            .collect();
        let Ok(offset) = digits.parse::<u64>() else {
            continue;
        };
        if last_xref == Some(offset) {
            continue;
        }
        last_xref = Some(offset);
        let mut end = pos + 5;
        while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
            end += 1;
        }
        ends.push(end);
    }
    if linearized && ends.len() >= 2 {
        ends.remove(0);
    }
    ends
}
