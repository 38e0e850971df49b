//! Containers that hold a document's parts: zip packages (OOXML, ODF) and OLE compound files.

pub mod ole;
pub mod zip;
