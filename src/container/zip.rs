//! Zip packages with every safety cap applied: entry count, inflated size per part and per
//! file, time, and encrypted entries.

use crate::context::{Ctx, ScanError, ScanResult};
use crate::util::bytes_human;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::time::Instant;
use zip::ZipArchive;

/// An opened zip package. Part names are normalised (`/` separators, no leading slash) and
/// looked up case-insensitively, as OPC requires.
pub struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8], ctx: &Ctx<'_>) -> ScanResult<Self> {
        let archive = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ScanError::new(format!("not a readable zip package ({e})")))?;
        if archive.len() > ctx.limits.max_entries {
            return Err(ScanError::new(format!(
                "zip has {} entries, over {}",
                archive.len(),
                ctx.limits.the_limit("max_entries")
            )));
        }
        // Two entries of one name: the zip crate keeps only the last, and which one an office
        // application reads is up to it, so the other would pass unseen.
        if archive.has_duplicate_names() {
            let name = duplicate_in_directory(bytes, &archive)
                .map_or_else(|| "an entry".to_string(), |n| format!("'{n}'"));
            return Err(ScanError::new(format!(
                "the zip holds {name} twice; only one copy could be inspected, and an \
                 application may read the other"
            )));
        }
        // Local headers that disagree with the central directory: a tool that reads the
        // local headers would see another package than the one inspected.
        for i in 0..archive.len() {
            if let Some(why) = local_header_disagrees(bytes, &archive, i) {
                return Err(ScanError::new(format!(
                    "the zip's local and central headers disagree, so readers may see \
                     different content ({why})"
                )));
            }
        }
        let mut names = Vec::with_capacity(archive.len());
        let mut index = HashMap::with_capacity(archive.len());
        for i in 0..archive.len() {
            let name = match archive.name_for_index(i) {
                Some(Ok(raw)) => normalise(&raw),
                _ => normalise(&String::from_utf8_lossy(
                    archive.file_names_raw().nth(i).unwrap_or_default(),
                )),
            };
            // OPC part names are case-insensitive: two entries differing only in case (or
            // slash direction) are one part twice, and only the first would ever be read.
            let key = name.to_ascii_lowercase();
            if index.contains_key(&key) && !name.ends_with('/') {
                return Err(ScanError::new(format!(
                    "the zip holds part '{}' twice (names that differ only in case or \
                     separators); only one copy could be inspected",
                    name.escape_debug()
                )));
            }
            index.insert(key, i);
            names.push(name);
        }
        Ok(Package {
            archive,
            names,
            index,
        })
    }

    /// Normalised names of all entries, in archive order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn has(&self, name: &str) -> bool {
        self.index.contains_key(&name.to_ascii_lowercase())
    }

    /// Declared uncompressed size of a part, if present.
    pub fn declared_size(&mut self, name: &str) -> Option<u64> {
        let idx = *self.index.get(&name.to_ascii_lowercase())?;
        self.archive.by_index_raw(idx).ok().map(|f| f.size())
    }

    /// CRC-32 the zip records for a part: a content digest that costs nothing to read.
    pub fn crc32(&mut self, name: &str) -> Option<u32> {
        let idx = *self.index.get(&name.to_ascii_lowercase())?;
        self.archive.by_index_raw(idx).ok().map(|f| f.crc32())
    }

    /// Streams a part through the size and time caps. Reading past a cap is an error.
    pub fn reader(&mut self, name: &str, ctx: &mut Ctx<'_>) -> ScanResult<Option<PartReader<'_>>> {
        let Some(&idx) = self.index.get(&name.to_ascii_lowercase()) else {
            return Ok(None);
        };
        ctx.check_time()?;
        let (cap, limit) = ctx.part_cap();
        let file = self.archive.by_index(idx).map_err(|e| {
            let msg = e.to_string();
            if msg.to_ascii_lowercase().contains("password") || msg.contains("encrypt") {
                ScanError::new(format!("{name}: password-protected"))
            } else {
                ScanError::new(format!("{name}: {msg}"))
            }
        })?;
        if file.size() > cap {
            return Err(ScanError::new(format!(
                "{name} declares {} inflated, over {limit}",
                bytes_human(file.size()),
            )));
        }
        // A bomb is refused on its declared sizes before anything inflates; one that lies
        // about its size is stopped by `Capped` as the bytes come.
        let ratio = ctx.limits.max_compression_ratio;
        let compressed = file.compressed_size();
        if file.size() > crate::limits::RATIO_GRACE
            && file.size() > compressed.saturating_mul(ratio)
        {
            return Err(ScanError::new(format!(
                "{name} declares {} inflated from {} compressed, a ratio over {}",
                bytes_human(file.size()),
                bytes_human(compressed),
                ctx.limits.the_limit("max_compression_ratio")
            )));
        }
        let ratio_cap = compressed
            .saturating_mul(ratio)
            .max(crate::limits::RATIO_GRACE);
        // Charge the declared size now; the reader enforces the cap on what really inflates.
        ctx.charge_inflated(file.size())?;
        Ok(Some(PartReader {
            inner: BufReader::with_capacity(
                64 * 1024,
                Capped {
                    inner: Box::new(file),
                    remaining: cap,
                    name: name.to_string(),
                    deadline: ctx.deadline(),
                    limit,
                    ratio_left: ratio_cap,
                    ratio_limit: ctx.limits.the_limit("max_compression_ratio"),
                    time_limit: ctx.limits.the_limit("max_time"),
                },
            ),
        }))
    }

    /// Reads a whole part into memory through the caps.
    pub fn read(&mut self, name: &str, ctx: &mut Ctx<'_>) -> ScanResult<Option<Vec<u8>>> {
        let Some(mut r) = self.reader(name, ctx)? else {
            return Ok(None);
        };
        let mut out = Vec::new();
        r.read_to_end(&mut out)
            .map_err(|e| ScanError::new(e.to_string()))?;
        Ok(Some(out))
    }

    /// Reads a part as text (lossy UTF-8, a UTF-8 BOM dropped).
    pub fn read_string(&mut self, name: &str, ctx: &mut Ctx<'_>) -> ScanResult<Option<String>> {
        Ok(self.read(name, ctx)?.map(|b| {
            let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&b);
            String::from_utf8_lossy(b).into_owned()
        }))
    }
}

/// How entry `i`'s local header contradicts its central directory entry: another name,
/// compression method, CRC or size. Times and extra fields are left alone (real writers let
/// them differ), and so are the CRC and sizes of an entry that defers them to a data
/// descriptor, or that keeps them in a ZIP64 field.
fn local_header_disagrees(
    bytes: &[u8],
    archive: &ZipArchive<Cursor<&[u8]>>,
    i: usize,
) -> Option<String> {
    let entry = archive.by_index_data(i).ok()?;
    let central_name = entry.name_raw();
    let shown = String::from_utf8_lossy(central_name)
        .escape_debug()
        .to_string();
    let at = usize::try_from(entry.header_start()).ok()?;
    let Some(h) = bytes.get(at..at.saturating_add(30)) else {
        return Some(format!("the local header of '{shown}' is missing"));
    };
    if &h[..4] != b"PK\x03\x04" {
        return Some(format!("the local header of '{shown}' is missing"));
    }
    let u16_at = |o: usize| u16::from_le_bytes([h[o], h[o + 1]]);
    let u32_at = |o: usize| u32::from_le_bytes([h[o], h[o + 1], h[o + 2], h[o + 3]]);
    let name_len = u16_at(26) as usize;
    let local_name = bytes.get(at + 30..at + 30 + name_len)?;
    if local_name != central_name {
        return Some(format!(
            "the local header names '{}' as '{}'",
            shown,
            String::from_utf8_lossy(local_name).escape_debug()
        ));
    }
    // Stored and deflated are what office packages use; others are refused when read.
    let method_differs = match u16_at(8) {
        0 => entry.compression() != zip::CompressionMethod::Stored,
        8 => entry.compression() != zip::CompressionMethod::Deflated,
        _ => false,
    };
    if method_differs {
        return Some(format!("another compression method for '{shown}'"));
    }
    let deferred = u16_at(6) & 0x0008 != 0;
    let (crc, compressed, size) = (u32_at(14), u32_at(18), u32_at(22));
    if deferred || compressed == u32::MAX || size == u32::MAX {
        return None;
    }
    if crc != entry.crc32()
        || u64::from(compressed) != entry.compressed_size()
        || u64::from(size) != entry.size()
    {
        return Some(format!("another size or checksum for '{shown}'"));
    }
    None
}

/// The first name the central directory lists twice, read from the directory itself (the
/// zip crate keeps one entry per name). Bounded by the directory's own size.
fn duplicate_in_directory(bytes: &[u8], archive: &ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    let start = archive
        .central_directory_start()
        .checked_add(archive.offset())?;
    let mut pos = usize::try_from(start).ok()?;
    let mut seen = std::collections::HashSet::new();
    while let Some(h) = bytes.get(pos..pos.checked_add(46)?) {
        if &h[..4] != b"PK\x01\x02" {
            break;
        }
        let field = |at: usize| u16::from_le_bytes([h[at], h[at + 1]]) as usize;
        let (name_len, extra, comment) = (field(28), field(30), field(32));
        let name = bytes.get(pos + 46..pos + 46 + name_len)?;
        if !seen.insert(name) {
            return Some(String::from_utf8_lossy(name).escape_debug().to_string());
        }
        pos += 46 + name_len + extra + comment;
    }
    None
}

/// A part's inflated bytes, behind the caps.
pub struct PartReader<'z> {
    inner: BufReader<Capped<Box<dyn Read + 'z>>>,
}

impl Read for PartReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

impl BufRead for PartReader<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt)
    }
}

/// Errors once more than `remaining` bytes inflate, once the part inflates past the
/// compression ratio (`ratio_left` bytes), or when the file's time runs out: a zip bomb or a
/// lying size header stops here instead of filling memory. The `*_limit` strings name each
/// limit for the reason.
struct Capped<R> {
    inner: R,
    remaining: u64,
    name: String,
    deadline: Instant,
    limit: String,
    ratio_left: u64,
    ratio_limit: String,
    time_limit: String,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if Instant::now() > self.deadline {
            return Err(std::io::Error::other(format!(
                "reading {} took longer than {}",
                self.name, self.time_limit
            )));
        }
        let want = buf.len().min(
            self.remaining
                .min(self.ratio_left)
                .saturating_add(1)
                .min(usize::MAX as u64) as usize,
        );
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.remaining {
            return Err(std::io::Error::other(format!(
                "{} inflates beyond {}, more than its header declares",
                self.name, self.limit
            )));
        }
        if n as u64 > self.ratio_left {
            return Err(std::io::Error::other(format!(
                "{} inflates to a compression ratio over {}, more than its header declares",
                self.name, self.ratio_limit
            )));
        }
        self.remaining -= n as u64;
        self.ratio_left -= n as u64;
        Ok(n)
    }
}

/// Part names that start with `prefix` (case-insensitive) and end with `suffix`; folders and
/// relationship parts are left out.
pub fn names_matching(names: &[String], prefix: &str, suffix: &str) -> Vec<String> {
    let prefix = prefix.to_ascii_lowercase();
    let suffix = suffix.to_ascii_lowercase();
    names
        .iter()
        .filter(|n| {
            let l = n.to_ascii_lowercase();
            l.starts_with(&prefix)
                && l.ends_with(&suffix)
                && !l.ends_with('/')
                && !l.contains("/_rels/")
        })
        .cloned()
        .collect()
}

/// A part name as foiguard uses and reports it: `/` separators, no leading slash, and control
/// characters written as escapes, so a hostile name cannot rewrite a terminal's output or
/// forge a line of the report. Names are only ever names: nothing is written to disk.
fn normalise(raw: &str) -> String {
    let name = raw.replace('\\', "/");
    let name = name.trim_start_matches('/');
    if name.chars().any(char::is_control) {
        name.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        name.to_string()
    }
}

/// Resolves a relationship target against the part that owns the relationship.
pub fn resolve_target(source_part: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut segs: Vec<&str> = source_part.split('/').collect();
    segs.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    segs.join("/")
}

/// The `_rels` part that holds relationships of `part`.
pub fn rels_part_for(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_like_opc() {
        assert_eq!(
            resolve_target("xl/workbook.xml", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve_target("xl/worksheets/sheet1.xml", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(
            resolve_target("xl/workbook.xml", "/xl/styles.xml"),
            "xl/styles.xml"
        );
        assert_eq!(
            rels_part_for("xl/workbook.xml"),
            "xl/_rels/workbook.xml.rels"
        );
        assert_eq!(
            rels_part_for("[Content_Types].xml"),
            "_rels/[Content_Types].xml.rels"
        );
    }
}
