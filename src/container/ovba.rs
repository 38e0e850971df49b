//! VBA project storage ([MS-OVBA]): the RLE-style compression of the `dir` stream and of module
//! source, and the `dir` stream's records that name each module's stream and where its source
//! starts.
//!
//! Written here because the decoders on offer trust what they read: calamine's indexes before
//! the start of its output on a copy token that reaches back too far (a panic on hostile
//! input), and `ovba` slices at an unchecked source offset. Every length and offset below is
//! checked, and the output is capped.

use crate::util::le::{u16_at, u32_at};
use encoding_rs::{Encoding, UTF_16LE, WINDOWS_1252};

/// Why a VBA structure could not be decoded.
pub type DecodeError = String;

/// The most a decompressed chunk holds (MS-OVBA 2.4.1.1.4).
const CHUNK_SIZE: usize = 4096;

/// Decompresses a CompressedContainer (MS-OVBA 2.4.1.3.1) into at most `cap` bytes.
pub fn decompress(data: &[u8], cap: usize) -> Result<Vec<u8>, DecodeError> {
    match data.first() {
        Some(0x01) => {}
        Some(b) => return Err(format!("compressed container signature {b:#04x}, not 0x01")),
        None => return Err("empty compressed container".into()),
    }
    let mut out = Vec::with_capacity(data.len().saturating_mul(2).min(cap));
    let mut at = 1;
    while at < data.len() {
        let header = u16_at(data, at).ok_or("chunk header cut off")?;
        let chunk_end = data.len().min(at + (header & 0x0FFF) as usize + 3);
        if (header >> 12) & 0x07 != 0b011 {
            return Err(format!("chunk signature is not 0b011 at byte {at}"));
        }
        let chunk_start = out.len();
        at += 2;
        if header & 0x8000 == 0 {
            // An uncompressed chunk: always 4096 raw bytes.
            let raw = data
                .get(at..at + CHUNK_SIZE)
                .ok_or("uncompressed chunk cut off")?;
            push_capped(&mut out, raw, cap)?;
            at += CHUNK_SIZE;
            continue;
        }
        while at < chunk_end {
            let flags = data[at];
            at += 1;
            for bit in 0..8 {
                if at >= chunk_end {
                    break;
                }
                if flags & (1 << bit) == 0 {
                    push_capped(&mut out, &data[at..at + 1], cap)?;
                    at += 1;
                    continue;
                }
                let token = u16_at(data, at)
                    .filter(|_| at + 2 <= chunk_end)
                    .ok_or("copy token cut off")?;
                at += 2;
                let (offset, length) = unpack_copy_token(token, out.len() - chunk_start)?;
                if out.len() + length > cap {
                    return Err(over_cap(cap));
                }
                // Byte by byte: a copy may overlap what it is writing (a run).
                let from = out.len() - offset;
                for i in 0..length {
                    let b = out[from + i];
                    out.push(b);
                }
            }
        }
        at = at.max(chunk_end);
    }
    Ok(out)
}

/// (offset, length) of a CopyToken (MS-OVBA 2.4.1.3.19.2), checked against the `written`
/// bytes the current chunk has decompressed so far.
fn unpack_copy_token(token: u16, written: usize) -> Result<(usize, usize), DecodeError> {
    if written == 0 || written > CHUNK_SIZE {
        return Err(format!(
            "copy token at position {written} of a chunk, outside 1..=4096"
        ));
    }
    // The bits that hold the offset grow with the position: ceil(log2(written)), at least 4.
    let bit_count = (usize::BITS - (written - 1).leading_zeros()).max(4);
    let length_mask = 0xFFFFu16 >> bit_count;
    let length = (token & length_mask) as usize + 3;
    let offset = (token >> (16 - bit_count)) as usize + 1;
    if offset > written {
        return Err(format!(
            "copy token reaches {offset} bytes back from position {written} of its chunk"
        ));
    }
    Ok((offset, length))
}

fn push_capped(out: &mut Vec<u8>, bytes: &[u8], cap: usize) -> Result<(), DecodeError> {
    if out.len() + bytes.len() > cap {
        return Err(over_cap(cap));
    }
    out.extend_from_slice(bytes);
    Ok(())
}

fn over_cap(cap: usize) -> DecodeError {
    format!(
        "decompresses to more than {} (limits.max_part_bytes in foiguard.toml raises it)",
        crate::util::bytes_human(cap as u64)
    )
}

/// A module as the `dir` stream describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    pub name: String,
    /// The stream, in the `VBA` storage, that holds the module.
    pub stream: String,
    /// Where the compressed source starts in that stream (after the p-code cache).
    pub text_offset: usize,
}

/// What foiguard needs from a decompressed `dir` stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The encoding of module names and source (PROJECTCODEPAGE).
    pub encoding: &'static Encoding,
    pub modules: Vec<Module>,
}

mod record {
    pub const CODEPAGE: u16 = 0x0003;
    pub const VERSION: u16 = 0x0009;
    pub const TERMINATOR: u16 = 0x0010;
    pub const MODULE_NAME: u16 = 0x0019;
    pub const MODULE_STREAM_NAME: u16 = 0x001A;
    pub const MODULE_TERMINATOR: u16 = 0x002B;
    pub const MODULE_OFFSET: u16 = 0x0031;
    pub const MODULE_STREAM_NAME_UNICODE: u16 = 0x0032;
    pub const MODULE_NAME_UNICODE: u16 = 0x0047;
}

/// Reads the records of a decompressed `dir` stream (MS-OVBA 2.3.4.2).
///
/// Every record there is an id, a u32 size and that many bytes, except PROJECTVERSION, whose
/// size field reads 4 over 6 bytes of data. Walking records that way, rather than expecting
/// them in the order the specification lists, also reads the optional records and the
/// variable reference records that writers differ on.
pub fn parse_dir(dir: &[u8]) -> Result<Project, DecodeError> {
    let mut encoding = WINDOWS_1252;
    let mut modules = Vec::new();
    let mut current: Option<PartialModule> = None;
    let mut at = 0;
    while at < dir.len() {
        let id = u16_at(dir, at).ok_or("dir record cut off")?;
        let size = u32_at(dir, at + 2).ok_or("dir record size cut off")? as usize;
        let body_len = if id == record::VERSION { 6 } else { size };
        let body = dir
            .get(at + 6..(at + 6).saturating_add(body_len))
            .ok_or_else(|| format!("dir record {id:#06x} at byte {at} runs past the stream"))?;
        at += 6 + body_len;
        match id {
            record::CODEPAGE => {
                let page = u16_at(body, 0).ok_or("PROJECTCODEPAGE too short")?;
                encoding = codepage::to_encoding(page).unwrap_or(WINDOWS_1252);
            }
            record::MODULE_NAME => {
                if let Some(m) = current.take() {
                    modules.push(m.finish()?);
                }
                current = Some(PartialModule {
                    name: decode(encoding, body),
                    ..PartialModule::default()
                });
            }
            record::MODULE_NAME_UNICODE => {
                module_mut(&mut current, id)?.name = decode(UTF_16LE, body);
            }
            record::MODULE_STREAM_NAME => {
                let m = module_mut(&mut current, id)?;
                m.stream.get_or_insert_with(|| decode(encoding, body));
            }
            record::MODULE_STREAM_NAME_UNICODE => {
                module_mut(&mut current, id)?.stream = Some(decode(UTF_16LE, body));
            }
            record::MODULE_OFFSET => {
                let offset = u32_at(body, 0).ok_or("MODULEOFFSET too short")?;
                module_mut(&mut current, id)?.text_offset = Some(offset as usize);
            }
            record::MODULE_TERMINATOR => {
                if let Some(m) = current.take() {
                    modules.push(m.finish()?);
                }
            }
            record::TERMINATOR => break,
            _ => {}
        }
    }
    if let Some(m) = current.take() {
        modules.push(m.finish()?);
    }
    Ok(Project { encoding, modules })
}

#[derive(Default)]
struct PartialModule {
    name: String,
    stream: Option<String>,
    text_offset: Option<usize>,
}

impl PartialModule {
    fn finish(self) -> Result<Module, DecodeError> {
        let stream = self
            .stream
            .ok_or_else(|| format!("module {} has no stream name", self.name))?;
        let text_offset = self
            .text_offset
            .ok_or_else(|| format!("module {} has no source offset", self.name))?;
        Ok(Module {
            name: self.name,
            stream,
            text_offset,
        })
    }
}

fn module_mut(current: &mut Option<PartialModule>, id: u16) -> Result<&mut PartialModule, String> {
    current
        .as_mut()
        .ok_or_else(|| format!("dir record {id:#06x} outside a module"))
}

fn decode(encoding: &'static Encoding, bytes: &[u8]) -> String {
    encoding
        .decode_without_bom_handling(bytes)
        .0
        .trim_end_matches('\0')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MS-OVBA 3.2.1: a container of literals only.
    #[test]
    fn decompresses_literals() {
        let compressed = [
            0x01, 0x19, 0xB0, 0x00, b'a', b'b', b'c', b'd', b'e', b'f', b'g', b'h', 0x00, b'i',
            b'j', b'k', b'l', b'm', b'n', b'o', b'p', 0x00, b'q', b'r', b's', b't', b'u', b'v',
            b'.',
        ];
        assert_eq!(
            decompress(&compressed, 1 << 20).unwrap(),
            b"abcdefghijklmnopqrstuv."
        );
    }

    /// A copy token: "abc" then a 6-byte copy from 3 back, which overlaps its own output.
    #[test]
    fn decompresses_an_overlapping_copy() {
        // written = 3 → bit_count 4: offset (3-1) << 12, length 6-3 = 3.
        let token: u16 = (2 << 12) | 3;
        let mut c = vec![0x01];
        let body = [
            0b0000_1000,
            b'a',
            b'b',
            b'c',
            token as u8,
            (token >> 8) as u8,
        ];
        c.extend_from_slice(&(0xB000u16 | (body.len() as u16 + 2 - 3)).to_le_bytes());
        c.extend_from_slice(&body);
        assert_eq!(decompress(&c, 1 << 20).unwrap(), b"abcabcabc");
    }

    #[test]
    fn a_copy_reaching_before_the_chunk_is_an_error_not_a_panic() {
        let token: u16 = 15 << 12; // 16 back from position 1
        let body = [0b0000_0010, b'a', token as u8, (token >> 8) as u8];
        let mut c = vec![0x01];
        c.extend_from_slice(&(0xB000u16 | (body.len() as u16 + 2 - 3)).to_le_bytes());
        c.extend_from_slice(&body);
        let err = decompress(&c, 1 << 20).unwrap_err();
        assert!(err.contains("reaches 16 bytes back"), "{err}");
    }

    #[test]
    fn output_is_capped() {
        // A run: one literal, then copies of length 4098 until the cap is passed.
        let token: u16 = 0x0FFF; // offset 1, length 4098
        let mut body = vec![0b1111_1110, b'x'];
        for _ in 0..7 {
            body.extend_from_slice(&token.to_le_bytes());
        }
        let mut c = vec![0x01];
        c.extend_from_slice(&(0xB000u16 | (body.len() as u16 + 2 - 3)).to_le_bytes());
        c.extend_from_slice(&body);
        // Past 4096 bytes in one chunk the position itself is rejected.
        assert!(decompress(&c, 1 << 20).is_err());
        let err = decompress(&c, 100).unwrap_err();
        assert!(err.contains("more than"), "{err}");
    }

    #[test]
    fn truncated_and_bad_containers_are_errors() {
        assert!(decompress(&[], 10).is_err());
        assert!(decompress(&[0x02, 0x00, 0xB0], 10).is_err());
        assert!(decompress(&[0x01, 0x00], 10).is_err());
        assert!(decompress(&[0x01, 0xFF, 0x3F, 1, 2, 3], 1 << 20).is_err());
        assert!(decompress(&[0x01, 0x00, 0x00, 0x00], 10).is_err());
    }

    fn rec(out: &mut Vec<u8>, id: u16, data: &[u8]) {
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(data);
    }

    #[test]
    fn dir_records_name_modules_streams_and_offsets() {
        let mut d = Vec::new();
        rec(&mut d, 0x0003, &1251u16.to_le_bytes());
        // PROJECTVERSION: size says 4, six bytes follow.
        d.extend_from_slice(&0x0009u16.to_le_bytes());
        d.extend_from_slice(&4u32.to_le_bytes());
        d.extend_from_slice(&[1, 0, 0, 0, 2, 0]);
        rec(&mut d, 0x000F, &2u16.to_le_bytes());
        rec(&mut d, 0x0019, &[0xCF, 0xF0]); // "Пр" in windows-1251
        rec(&mut d, 0x001A, b"Module1");
        rec(&mut d, 0x0032, &[b'M', 0, b'o', 0, b'd', 0, b'1', 0]);
        rec(&mut d, 0x0031, &1234u32.to_le_bytes());
        rec(&mut d, 0x002B, &[]);
        rec(&mut d, 0x0019, b"Sheet1");
        rec(&mut d, 0x001A, b"Sheet1");
        rec(&mut d, 0x0031, &0u32.to_le_bytes());
        rec(&mut d, 0x002B, &[]);
        rec(&mut d, 0x0010, &[]);
        let p = parse_dir(&d).unwrap();
        assert_eq!(p.encoding.name(), "windows-1251");
        assert_eq!(
            p.modules,
            vec![
                Module {
                    name: "Пр".into(),
                    stream: "Mod1".into(),
                    text_offset: 1234
                },
                Module {
                    name: "Sheet1".into(),
                    stream: "Sheet1".into(),
                    text_offset: 0
                }
            ]
        );
    }

    #[test]
    fn a_dir_record_running_past_the_stream_is_an_error() {
        let mut d = Vec::new();
        rec(&mut d, 0x0019, b"Module1");
        d.truncate(d.len() - 2);
        assert!(parse_dir(&d).unwrap_err().contains("runs past"));
        let mut d = Vec::new();
        rec(&mut d, 0x0019, b"Module1");
        rec(&mut d, 0x002B, &[]);
        assert!(parse_dir(&d).unwrap_err().contains("no stream name"));
    }
}
