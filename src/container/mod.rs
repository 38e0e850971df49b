//! Containers that hold a document's parts: zip packages (OOXML, ODF) and OLE compound files.

pub mod ledger;
pub mod ole;
pub mod opc;
pub mod ovba;
pub mod zip;
