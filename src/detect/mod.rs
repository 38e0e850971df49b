//! Personal-data detectors. Every extracted [`Item`] of every format passes through one
//! [`Engine`], so a detector added here serves all formats.

use crate::model::{Finding, Item};

/// Receives every text item a format inspector extracts.
pub trait ItemSink {
    fn item(&mut self, item: &Item<'_>);
}

/// A personal-data detector. It sees each item once and pushes findings for what it matches.
pub trait Detector: Send + Sync {
    fn check(&self, item: &Item<'_>, container: &[String], out: &mut Vec<Finding>);
}

/// The detector set for a scan. Built once and shared by all worker threads.
#[derive(Default)]
pub struct Engine {
    detectors: Vec<Box<dyn Detector>>,
}

impl Engine {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, detector: Box<dyn Detector>) {
        self.detectors.push(detector);
    }

    pub fn is_empty(&self) -> bool {
        self.detectors.is_empty()
    }

    pub fn check(&self, item: &Item<'_>, container: &[String], out: &mut Vec<Finding>) {
        for d in &self.detectors {
            d.check(item, container, out);
        }
    }
}
