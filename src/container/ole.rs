//! OLE compound files (xls, doc, vbaProject.bin, oleObject*.bin, encrypted OOXML), read
//! through `cfb` with every stream length checked before it is read.

use crate::context::{ScanError, ScanResult};
use std::io::{Cursor, Read};

pub const MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// An opened compound file.
pub struct Compound<'a> {
    file: cfb::CompoundFile<Cursor<&'a [u8]>>,
    streams: Vec<String>,
}

impl<'a> Compound<'a> {
    pub fn open(bytes: &'a [u8]) -> ScanResult<Self> {
        let file = cfb::CompoundFile::open(Cursor::new(bytes))
            .map_err(|e| ScanError::new(format!("not a readable OLE compound file ({e})")))?;
        let streams = file
            .walk()
            .filter(|e| e.is_stream())
            .map(|e| {
                e.path()
                    .to_string_lossy()
                    .trim_start_matches('/')
                    .to_string()
            })
            .collect();
        Ok(Compound { file, streams })
    }

    /// Stream paths without the leading slash, e.g. `VBA/dir`.
    pub fn streams(&self) -> &[String] {
        &self.streams
    }

    pub fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// The stream path that matches `name` as OLE matches names, ignoring case.
    pub fn find(&self, name: &str) -> Option<String> {
        self.streams
            .iter()
            .find(|s| s.eq_ignore_ascii_case(name))
            .cloned()
    }

    /// The length a stream declares, if it exists.
    pub fn len(&self, name: &str) -> Option<u64> {
        self.file.entry(format!("/{name}")).ok().map(|e| e.len())
    }

    /// Reads a stream whose length is within `cap`.
    pub fn read(&mut self, name: &str, cap: u64) -> ScanResult<Vec<u8>> {
        let path = format!("/{name}");
        let mut stream = self
            .file
            .open_stream(&path)
            .map_err(|e| ScanError::new(format!("cannot open OLE stream {name}: {e}")))?;
        let len = stream.len();
        if len > cap {
            return Err(ScanError::new(format!(
                "OLE stream {name} is {}, over the limit of {} (limits.max_part_bytes in \
                 foiguard.toml raises it, or limits.max_total_inflated once a file's total is spent)",
                crate::util::bytes_human(len),
                crate::util::bytes_human(cap)
            )));
        }
        let mut out = Vec::with_capacity(len as usize);
        stream
            .by_ref()
            .take(cap)
            .read_to_end(&mut out)
            .map_err(|e| ScanError::new(format!("cannot read OLE stream {name}: {e}")))?;
        Ok(out)
    }

    /// The streams under `storage` (case-insensitive), as full paths.
    pub fn streams_under(&self, storage: &str) -> Vec<String> {
        let prefix = format!("{}/", storage.to_ascii_lowercase());
        self.streams
            .iter()
            .filter(|s| {
                s.get(..prefix.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(&prefix))
            })
            .cloned()
            .collect()
    }

    /// Copies the storage `storage` and everything under it into a compound file of its
    /// own, so an embedded object (an `MBD` storage holding a workbook) or a VBA project
    /// (`_VBA_PROJECT_CUR`) can be read like a file. `cap` bounds the bytes copied.
    pub fn extract_storage(&mut self, storage: &str, cap: u64) -> ScanResult<Vec<u8>> {
        let members: Vec<(String, String)> = self
            .streams_under(storage)
            .into_iter()
            .map(|m| {
                let rel = m[storage.len() + 1..].to_string();
                (m, rel)
            })
            .collect();
        self.copy_into_new_file(storage, &format!("/{storage}"), &members, cap)
    }

    fn copy_into_new_file(
        &mut self,
        what: &str,
        root: &str,
        members: &[(String, String)],
        cap: u64,
    ) -> ScanResult<Vec<u8>> {
        use std::io::Write;
        let fail =
            |e: std::io::Error| ScanError::new(format!("cannot copy OLE storage {what}: {e}"));
        // Version 3 (512-byte sectors): what Office writes, and what every reader takes.
        let mut out =
            cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
                .map_err(fail)?;
        if let Ok(entry) = self.file.entry(root) {
            out.set_storage_clsid("/", *entry.clsid()).map_err(fail)?;
        }
        let mut budget = cap;
        for (member, rel) in members {
            let data = self.read(member, budget)?;
            budget = budget.saturating_sub(data.len() as u64);
            if let Some((dir, _)) = rel.rsplit_once('/') {
                out.create_storage_all(format!("/{dir}")).map_err(fail)?;
            }
            let mut stream = out.create_stream(format!("/{rel}")).map_err(fail)?;
            stream.write_all(&data).map_err(fail)?;
        }
        // The writer stamps each storage with the time now; a fixed time keeps the copy's
        // bytes, and the fingerprints keyed on them, the same on every run.
        let mut storages: Vec<String> = members
            .iter()
            .filter_map(|(_, rel)| rel.rsplit_once('/').map(|(dir, _)| dir))
            .flat_map(|dir| {
                dir.match_indices('/')
                    .map(|(i, _)| dir[..i].to_string())
                    .chain(std::iter::once(dir.to_string()))
                    .collect::<Vec<_>>()
            })
            .map(|dir| format!("/{dir}"))
            .collect();
        storages.push("/".into());
        storages.sort();
        storages.dedup();
        for storage in &storages {
            out.set_created_time(storage, std::time::UNIX_EPOCH)
                .and_then(|()| out.set_modified_time(storage, std::time::UNIX_EPOCH))
                .map_err(fail)?;
        }
        out.flush().map_err(fail)?;
        Ok(out.into_inner().into_inner())
    }

    /// True for an encrypted OOXML package (Office "Encrypt with Password").
    pub fn is_encrypted_package(&self) -> bool {
        self.has("EncryptionInfo") && self.has("EncryptedPackage")
    }
}

/// A file carried in an `\x01Ole10Native` stream (the "Package" OLE object).
pub struct NativeFile {
    pub label: String,
    pub data: Vec<u8>,
}

/// Parses the Ole10Native layout: u32 total size, u16 flags, label\0, source path\0,
/// u32 reserved, u32 length + temp path\0, u32 data length, data.
pub fn parse_ole10_native(raw: &[u8]) -> Option<NativeFile> {
    let mut pos = 4 + 2;
    let label = read_cstr(raw, &mut pos)?;
    let _source = read_cstr(raw, &mut pos)?;
    pos = pos.checked_add(4)?;
    let temp_len = read_u32(raw, &mut pos)? as usize;
    pos = pos.checked_add(temp_len)?;
    let data_len = read_u32(raw, &mut pos)? as usize;
    let data = raw.get(pos..pos.checked_add(data_len)?)?.to_vec();
    Some(NativeFile { label, data })
}

fn read_cstr(raw: &[u8], pos: &mut usize) -> Option<String> {
    let rest = raw.get(*pos..)?;
    let end = rest.iter().position(|&b| b == 0)?;
    let s = String::from_utf8_lossy(&rest[..end]).into_owned();
    *pos += end + 1;
    Some(s)
}

fn read_u32(raw: &[u8], pos: &mut usize) -> Option<u32> {
    let b = raw.get(*pos..*pos + 4)?;
    *pos += 4;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The root storages named in `streams` (full stream paths) whose name and remaining path
/// satisfy `matches`, each once, sorted.
pub fn root_storages(streams: &[String], matches: impl Fn(&str, &str) -> bool) -> Vec<String> {
    let mut out: Vec<String> = streams
        .iter()
        .filter_map(|s| s.split_once('/'))
        .filter(|(root, rest)| matches(root, rest))
        .map(|(root, _)| root.to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An embedded object's finding is keyed on the digest of its copy, so the copy must
    /// not carry the time it was made.
    #[test]
    fn a_copied_storage_is_the_same_bytes_every_time() {
        use std::io::Write;
        let mut src = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        src.create_storage_all("/ObjectPool/_1/ObjectPool/_2")
            .unwrap();
        for path in [
            "/ObjectPool/_1/WordDocument",
            "/ObjectPool/_1/ObjectPool/_2/x",
        ] {
            src.create_stream(path).unwrap().write_all(b"data").unwrap();
        }
        src.flush().unwrap();
        let bytes = src.into_inner().into_inner();
        let copy = || {
            let mut cf = Compound::open(&bytes).unwrap();
            cf.extract_storage("ObjectPool/_1", 1 << 20).unwrap()
        };
        let first = copy();
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert_eq!(first, copy());
        let mut cf = Compound::open(&first).unwrap();
        assert_eq!(cf.read("ObjectPool/_2/x", 10).unwrap(), b"data");
    }

    #[test]
    fn ole10_native_round_trip() {
        let mut raw = vec![0u8; 4];
        raw.extend_from_slice(&2u16.to_le_bytes());
        raw.extend_from_slice(b"names.csv\0C:\\tmp\\names.csv\0");
        raw.extend_from_slice(&0x0003_0000u32.to_le_bytes());
        let temp = b"C:\\tmp\\names.csv\0";
        raw.extend_from_slice(&(temp.len() as u32).to_le_bytes());
        raw.extend_from_slice(temp);
        raw.extend_from_slice(&5u32.to_le_bytes());
        raw.extend_from_slice(b"a,b\r\n");
        let f = parse_ole10_native(&raw).expect("parses");
        assert_eq!(f.label, "names.csv");
        assert_eq!(f.data, b"a,b\r\n");
        assert!(parse_ole10_native(&raw[..20]).is_none());
    }
}
