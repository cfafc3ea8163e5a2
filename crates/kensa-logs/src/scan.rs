//! Line framing with a literal prefilter.
//!
//! TODO(lead)
