//! Format sniffing (from content, never the extension) and dispatch to one module per format.

pub mod doc;
pub mod docx;
pub mod drawingml;
pub mod embedded;
pub mod grid;
pub mod macos;
pub mod names;
pub mod odf;
pub mod ole_props;
pub mod ooxml;
pub mod ooxml_props;
pub mod pdf;
pub mod ppt;
pub mod pptx;
pub mod story_findings;
pub mod text;
pub mod unknown;
pub mod vba;
pub mod xls;
pub mod xlsb;
pub mod xlsx;

use crate::container::ole::{self, Compound};
use crate::context::{Ctx, ScanError, ScanResult};
use std::io::Cursor;

/// What a file really is, judged from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xlsm,
    Xlsb,
    Xls,
    Docx,
    Docm,
    Pptx,
    Pptm,
    Ods,
    Odt,
    Odp,
    /// Flat (single XML file) OpenDocument spreadsheet, text and presentation.
    Fods,
    Fodt,
    Fodp,
    Pdf,
    Doc,
    Ppt,
    EncryptedOoxml,
    Ole,
    Zip,
    BadZip,
    Csv,
    Text,
    Empty,
    Binary,
}

impl Format {
    /// Name used in reports (`format` in JSON).
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Docx => "docx",
            Format::Docm => "docm",
            Format::Pptx => "pptx",
            Format::Pptm => "pptm",
            Format::Ods => "ods",
            Format::Odt => "odt",
            Format::Odp => "odp",
            Format::Fods => "fods",
            Format::Fodt => "fodt",
            Format::Fodp => "fodp",
            Format::Pdf => "pdf",
            Format::Doc => "doc",
            Format::Ppt => "ppt",
            Format::EncryptedOoxml => "ooxml-encrypted",
            Format::Ole => "ole",
            Format::Zip => "zip",
            Format::BadZip => "zip-bad",
            Format::Csv => "csv",
            Format::Text => "text",
            Format::Empty => "empty",
            Format::Binary => "binary",
        }
    }
}

/// Decides the format from the first bytes and, for containers, the names inside.
pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.is_empty() {
        return Format::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(ole::MAGIC) {
        return sniff_ole(bytes);
    }
    if xls::is_raw_biff(bytes) {
        return Format::Xls;
    }
    if bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        return Format::Pdf;
    }
    if let Some(flat) = odf::sniff_flat(bytes) {
        return flat;
    }
    text::sniff(bytes)
}

/// A package is what its main part is: the part `_rels/.rels` names as the office
/// document, with its content type from `[Content_Types].xml`, whatever it is called. A
/// package without that graph falls back to the conventional part names, so it is still
/// named for what it looks like and then refused with the reason.
fn sniff_zip(bytes: &[u8]) -> Format {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Format::BadZip;
    };
    if let Some(main) = crate::container::opc::sniff_main(&mut archive) {
        use crate::container::opc::PartKind;
        let ct = main.content_type.to_ascii_lowercase();
        match main.kind {
            Some(PartKind::Workbook) if ct.contains(".binary.") => return Format::Xlsb,
            Some(PartKind::Workbook) if ct.contains("macroenabled") || main.has_vba => {
                return Format::Xlsm;
            }
            Some(PartKind::Workbook) => return Format::Xlsx,
            Some(PartKind::Document) if ct.contains("macroenabled") || main.has_vba => {
                return Format::Docm;
            }
            Some(PartKind::Document) => return Format::Docx,
            Some(PartKind::Presentation) if ct.contains("macroenabled") || main.has_vba => {
                return Format::Pptm;
            }
            Some(PartKind::Presentation) => return Format::Pptx,
            _ => {}
        }
    }
    let names: Vec<String> = archive
        .file_names()
        .flatten()
        .map(|n| {
            n.replace('\\', "/")
                .trim_start_matches('/')
                .to_ascii_lowercase()
        })
        .collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("xl/workbook.xml") {
        if has("xl/vbaproject.bin") {
            Format::Xlsm
        } else {
            Format::Xlsx
        }
    } else if has("xl/workbook.bin") {
        Format::Xlsb
    } else if has("word/document.xml") {
        Format::Docx
    } else if has("ppt/presentation.xml") {
        Format::Pptx
    } else if has("mimetype") || has("content.xml") || has("meta-inf/manifest.xml") {
        odf::package::sniff(archive).unwrap_or(Format::Zip)
    } else {
        Format::Zip
    }
}

fn sniff_ole(bytes: &[u8]) -> Format {
    let Ok(cf) = Compound::open(bytes) else {
        return Format::Ole;
    };
    if cf.is_encrypted_package() {
        Format::EncryptedOoxml
    } else if cf.has("Workbook") || cf.has("Book") {
        Format::Xls
    } else if cf.has("WordDocument") {
        Format::Doc
    } else if cf.has("PowerPoint Document") || cf.has("Current User") || cf.has("PP40") {
        Format::Ppt
    } else {
        Format::Ole
    }
}

/// Runs the inspector for `format`. Formats without an inspector yet fail closed.
pub fn inspect(format: Format, bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    match format {
        Format::Xlsx | Format::Xlsm => xlsx::inspect(bytes, ctx),
        Format::Xls => xls::inspect(bytes, ctx),
        Format::Xlsb => xlsb::inspect(bytes, ctx),
        Format::Doc => doc::inspect(bytes, ctx),
        Format::Ppt => ppt::inspect(bytes, ctx),
        Format::Docx | Format::Docm => docx::inspect(bytes, ctx),
        Format::Pptx | Format::Pptm => pptx::inspect(bytes, ctx),
        Format::Csv | Format::Text => text::inspect(bytes, format, ctx),
        Format::Pdf => pdf::inspect(bytes, ctx),
        Format::Ods | Format::Odt | Format::Odp => odf::inspect(bytes, ctx),
        Format::Fods | Format::Fodt | Format::Fodp => odf::inspect_flat(bytes, ctx),
        Format::Empty => Err(ScanError::new("the file is empty")),
        Format::EncryptedOoxml => Err(ScanError::new(
            "password-protected: the package is encrypted, so its content cannot be checked",
        )),
        Format::Ole => Err(match Compound::open(bytes) {
            Err(e) => e,
            Ok(_) => ScanError::new(
                "OLE compound file of a kind foiguard cannot inspect yet (not a workbook)",
            ),
        }),
        Format::BadZip => Err(ScanError::new(
            "corrupt or truncated zip package: its content cannot be read",
        )),
        other => Err(ScanError::new(format!(
            "foiguard cannot inspect {} files yet",
            other.name()
        ))),
    }
}
