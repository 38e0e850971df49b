//! foiguard: blocks Freedom of Information releases that still carry personal data.
//!
//! Data flows one way: [`discover`] finds files, [`formats::sniff`] decides the format from
//! content, a format module opens the container and extracts text [`model::Item`]s (each
//! with its location and visibility) plus structural findings, [`detect`] runs personal-data
//! detectors over every item, [`policy`] applies the release policy, and [`report`]
//! writes the result.

pub mod baseline;
pub mod cli;
pub mod config;
pub mod container;
pub mod context;
pub mod detect;
pub mod discover;
pub mod exit;
pub mod finding;
pub mod formats;
pub mod inspect;
pub mod limits;
pub mod model;
pub mod policy;
pub mod report;
pub mod rules;
pub mod sample;
pub mod scan;
pub mod util;
pub mod xml;

pub use limits::Limits;
pub use model::{FileReport, Finding, Location, OwnedItem, Severity, Verdict};
pub use scan::{ScanOptions, scan_bytes, scan_file};
