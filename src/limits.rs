//! Safety limits that keep hostile files from exhausting memory or time.
//!
//! Every limit is configurable under `[limits]` in `foiguard.toml` (see [`KEYS`]), and every
//! reason given for a file over a limit names its key with [`raise`], so whoever runs the gate
//! can tell a hostile file from a legitimately big one and knows what to change.

use crate::util::{bytes_human, thousands};
use std::time::Duration;

/// Caps applied to every file. A file that hits one is reported `unscannable`, never passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file read.
    pub max_file_bytes: u64,
    /// Largest inflated size of one zip part.
    pub max_part_bytes: u64,
    /// Largest inflated total across one file and everything embedded in it.
    pub max_total_inflated: u64,
    /// Largest ratio of inflated to compressed size of one zip part (past [`RATIO_GRACE`]).
    pub max_compression_ratio: u64,
    /// Most entries in one zip container.
    pub max_entries: usize,
    /// Deepest chain of embedded files followed.
    pub max_embedding_depth: usize,
    /// Deepest nesting of elements in one XML part.
    pub max_xml_depth: usize,
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
    /// Most BIFF records in one xls Workbook stream or one xlsb part.
    pub max_biff_records: u64,
}

/// Inflated bytes a zip part may reach before its compression ratio is checked: small parts
/// of repetitive XML compress far better than big ones, and cannot exhaust anything.
pub const RATIO_GRACE: u64 = 1 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1 << 30,
            max_part_bytes: 512 << 20,
            max_total_inflated: 2 << 30,
            // Real parts reach about 130 (an EMF picture); deflate tops out near 1,030, which
            // is what a bomb of zeros achieves.
            max_compression_ratio: 250,
            max_entries: 20_000,
            max_embedding_depth: 4,
            // Real parts nest about 35 deep at most (web settings, SmartArt slides).
            max_xml_depth: 256,
            max_time: Duration::from_secs(120),
            max_shared_strings: 5_000_000,
            hidden_rows_min: 1,
            max_pdf_objects: 5_000_000,
            max_pdf_pages: 50_000,
            max_pdf_stream_bytes: 256 << 20,
            max_pdf_glyphs_per_page: 2_000_000,
            max_pdf_fills_per_page: 1_000_000,
            max_pdf_revisions: 64,
            // About 360 MB of cell records; the part-size cap allows more tiny ones.
            max_biff_records: 20_000_000,
        }
    }
}

/// How a limit's value is written in `foiguard.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Bytes: an integer, or a string with a binary unit ("512 MiB", "2 GiB").
    Bytes,
    /// Seconds: an integer, or a string with a unit ("120s", "2m", "1h").
    Seconds,
    /// A plain count.
    Count,
}

/// One configurable limit: its key under `[limits]`, its unit, the range accepted, and what
/// it stops (written into `foiguard init`'s file).
pub struct Key {
    pub name: &'static str,
    pub unit: Unit,
    pub min: u64,
    pub max: u64,
    pub about: &'static str,
}

const TIB: u64 = 1 << 40;

/// Every limit that `[limits]` sets, in the order `foiguard init` writes them.
pub const KEYS: &[Key] = &[
    Key {
        name: "max_time",
        unit: Unit::Seconds,
        min: 1,
        max: 86_400,
        about: "wall-clock time for one file",
    },
    Key {
        name: "max_file_bytes",
        unit: Unit::Bytes,
        min: 1 << 10,
        max: TIB,
        about: "largest file read",
    },
    Key {
        name: "max_part_bytes",
        unit: Unit::Bytes,
        min: 1 << 10,
        max: TIB,
        about: "largest inflated zip part or OLE stream",
    },
    Key {
        name: "max_total_inflated",
        unit: Unit::Bytes,
        min: 1 << 10,
        max: TIB,
        about: "inflated total of one file, embedded files included",
    },
    Key {
        name: "max_compression_ratio",
        unit: Unit::Count,
        min: 1,
        max: 1_000_000,
        about: "inflated/compressed size of a zip part over 1 MiB",
    },
    Key {
        name: "max_entries",
        unit: Unit::Count,
        min: 1,
        max: 100_000_000,
        about: "entries in one zip, relationships in one part",
    },
    Key {
        name: "max_embedding_depth",
        unit: Unit::Count,
        min: 1,
        max: 64,
        about: "files embedded in files embedded in...",
    },
    Key {
        name: "max_xml_depth",
        unit: Unit::Count,
        min: 8,
        max: 100_000,
        about: "nesting of elements in one XML part",
    },
    Key {
        name: "max_shared_strings",
        unit: Unit::Count,
        min: 1,
        max: 1_000_000_000,
        about: "shared strings of one workbook",
    },
    Key {
        name: "max_biff_records",
        unit: Unit::Count,
        min: 1,
        max: 10_000_000_000,
        about: "records in one xls Workbook stream or xlsb part",
    },
    Key {
        name: "max_pdf_objects",
        unit: Unit::Count,
        min: 1,
        max: 1_000_000_000,
        about: "objects in one PDF",
    },
    Key {
        name: "max_pdf_pages",
        unit: Unit::Count,
        min: 1,
        max: 100_000_000,
        about: "pages in one PDF",
    },
    Key {
        name: "max_pdf_stream_bytes",
        unit: Unit::Bytes,
        min: 1 << 10,
        max: TIB,
        about: "decoded size of one PDF stream",
    },
    Key {
        name: "max_pdf_glyphs_per_page",
        unit: Unit::Count,
        min: 1,
        max: 1_000_000_000,
        about: "glyphs drawn on one PDF page",
    },
    Key {
        name: "max_pdf_fills_per_page",
        unit: Unit::Count,
        min: 1,
        max: 1_000_000_000,
        about: "filled areas drawn on one PDF page",
    },
    Key {
        name: "max_pdf_revisions",
        unit: Unit::Count,
        min: 1,
        max: 100_000,
        about: "earlier PDF revisions whose text is rebuilt",
    },
];

/// The end of every over-limit reason: which key raises the limit, and where.
pub fn raise(key: &str) -> String {
    format!("(limits.{key} in foiguard.toml raises it)")
}

impl Limits {
    /// `the limit of 2 GiB (limits.max_total_inflated in foiguard.toml raises it)`: how every
    /// over-limit reason names the limit that stopped it.
    pub fn the_limit(&self, key: &str) -> String {
        let unit = KEYS
            .iter()
            .find(|k| k.name == key)
            .map_or(Unit::Count, |k| k.unit);
        format!(
            "the limit of {} {}",
            human(unit, self.get(key).unwrap_or(0)),
            raise(key)
        )
    }

    /// The value of the limit `key` (a [`KEYS`] name) in its unit.
    pub fn get(&self, key: &str) -> Option<u64> {
        Some(match key {
            "max_time" => self.max_time.as_secs(),
            "max_file_bytes" => self.max_file_bytes,
            "max_part_bytes" => self.max_part_bytes,
            "max_total_inflated" => self.max_total_inflated,
            "max_compression_ratio" => self.max_compression_ratio,
            "max_entries" => self.max_entries as u64,
            "max_embedding_depth" => self.max_embedding_depth as u64,
            "max_xml_depth" => self.max_xml_depth as u64,
            "max_shared_strings" => self.max_shared_strings as u64,
            "max_biff_records" => self.max_biff_records,
            "max_pdf_objects" => self.max_pdf_objects as u64,
            "max_pdf_pages" => self.max_pdf_pages as u64,
            "max_pdf_stream_bytes" => self.max_pdf_stream_bytes,
            "max_pdf_glyphs_per_page" => self.max_pdf_glyphs_per_page as u64,
            "max_pdf_fills_per_page" => self.max_pdf_fills_per_page as u64,
            "max_pdf_revisions" => self.max_pdf_revisions as u64,
            _ => return None,
        })
    }

    /// Sets the limit `key` to `value` (in its unit, already range-checked against [`KEYS`]).
    /// Returns false for an unknown key.
    pub fn set(&mut self, key: &str, value: u64) -> bool {
        let count = usize::try_from(value).unwrap_or(usize::MAX);
        match key {
            "max_time" => self.max_time = Duration::from_secs(value),
            "max_file_bytes" => self.max_file_bytes = value,
            "max_part_bytes" => self.max_part_bytes = value,
            "max_total_inflated" => self.max_total_inflated = value,
            "max_compression_ratio" => self.max_compression_ratio = value,
            "max_entries" => self.max_entries = count,
            "max_embedding_depth" => self.max_embedding_depth = count,
            "max_xml_depth" => self.max_xml_depth = count,
            "max_shared_strings" => self.max_shared_strings = count,
            "max_biff_records" => self.max_biff_records = value,
            "max_pdf_objects" => self.max_pdf_objects = count,
            "max_pdf_pages" => self.max_pdf_pages = count,
            "max_pdf_stream_bytes" => self.max_pdf_stream_bytes = value,
            "max_pdf_glyphs_per_page" => self.max_pdf_glyphs_per_page = count,
            "max_pdf_fills_per_page" => self.max_pdf_fills_per_page = count,
            "max_pdf_revisions" => self.max_pdf_revisions = count,
            _ => return false,
        }
        true
    }
}

/// A limit's value as `foiguard.toml` would write it: `"512 MiB"`, `"120s"`, `20000`.
pub fn toml_value(unit: Unit, value: u64) -> String {
    match unit {
        Unit::Bytes => {
            for (shift, name) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] {
                if value >= 1 << shift && value.is_multiple_of(1 << shift) {
                    return format!("\"{} {name}\"", value >> shift);
                }
            }
            value.to_string()
        }
        Unit::Seconds => format!("\"{value}s\""),
        Unit::Count => {
            // TOML digit separators, so big counts read at a glance.
            thousands(value).replace(',', "_")
        }
    }
}

/// A limit's value for a message: `2 GiB`, `120s`, `20,000`.
pub fn human(unit: Unit, value: u64) -> String {
    match unit {
        Unit::Bytes if value >= 1 << 30 && value.is_multiple_of(1 << 30) => {
            format!("{} GiB", thousands(value >> 30))
        }
        Unit::Bytes => bytes_human(value),
        Unit::Seconds => format!("{value}s"),
        Unit::Count => thousands(value),
    }
}

/// Parses a string value: bytes with an optional binary unit, or seconds with s, m or h.
pub fn parse_text(unit: Unit, text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '_'))
        .unwrap_or(t.len());
    let (digits, suffix) = t.split_at(split);
    let digits = digits.replace('_', "");
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("'{text}' does not start with a whole number"))?;
    let suffix = suffix.trim();
    let factor: u64 = match unit {
        Unit::Bytes => match suffix.to_ascii_lowercase().as_str() {
            "" | "b" | "byte" | "bytes" => 1,
            "kib" => 1 << 10,
            "mib" => 1 << 20,
            "gib" => 1 << 30,
            "tib" => 1 << 40,
            _ => {
                return Err(format!(
                    "unknown size unit '{suffix}': write bytes, KiB, MiB, GiB or TiB"
                ));
            }
        },
        Unit::Seconds => match suffix {
            "" | "s" => 1,
            "m" => 60,
            "h" => 3600,
            _ => return Err(format!("unknown time unit '{suffix}': write s, m or h")),
        },
        Unit::Count if suffix.is_empty() => 1,
        Unit::Count => return Err(format!("'{text}' is not a whole number")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("'{text}' is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads_and_writes_its_field() {
        let defaults = Limits::default();
        for key in KEYS {
            let v = defaults.get(key.name).expect(key.name);
            assert!(
                v >= key.min && v <= key.max,
                "{} default out of range",
                key.name
            );
            let mut l = Limits::default();
            assert!(l.set(key.name, v + 1), "{}", key.name);
            assert_eq!(l.get(key.name), Some(v + 1), "{}", key.name);
            assert_ne!(l, defaults, "{} sets a field", key.name);
        }
        assert!(!Limits::default().set("max_colour", 1));
    }

    #[test]
    fn values_written_parse_back() {
        for key in KEYS {
            let v = Limits::default().get(key.name).expect(key.name);
            let written = toml_value(key.unit, v);
            let parsed = match written.strip_prefix('"') {
                Some(s) => parse_text(key.unit, s.trim_end_matches('"')).expect(&written),
                None => written.replace('_', "").parse().expect(&written),
            };
            assert_eq!(parsed, v, "{}", key.name);
        }
        assert_eq!(parse_text(Unit::Bytes, "512 MiB"), Ok(512 << 20));
        assert_eq!(parse_text(Unit::Bytes, "2GiB"), Ok(2 << 30));
        assert_eq!(parse_text(Unit::Seconds, "2m"), Ok(120));
        assert!(parse_text(Unit::Bytes, "2 GB").is_err());
        assert!(parse_text(Unit::Seconds, "soon").is_err());
        assert!(parse_text(Unit::Bytes, "99999999999 TiB").is_err());
    }
}
