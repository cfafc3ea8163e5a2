//! Decompression chosen by magic bytes.
//!
//! TODO(helper)
