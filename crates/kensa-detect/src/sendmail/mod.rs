//! The advisory's sendmail detector. TODO(helper)

use crate::{Detector, Record};
use kensa_core::{Finding, Rule};

/// Rules of this module.
pub static RULES: &[&Rule] = &[];

/// Finds the sendmail attacks of JPCERT-E-INF-97-0001.
#[derive(Default)]
pub struct SendmailDetector {}

impl Detector for SendmailDetector {
    fn needles(&self) -> &'static [&'static str] {
        &[]
    }
    fn observe(&mut self, _record: &Record<'_>) {}
    fn finish(&mut self) -> Vec<Finding> {
        Vec::new()
    }
}
