//! Year inference.
//!
//! TODO(helper)
