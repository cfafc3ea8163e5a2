//! Time zone of the audited root.
//!
//! TODO(helper)
