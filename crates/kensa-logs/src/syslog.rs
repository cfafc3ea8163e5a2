//! Syslog headers.
//!
//! TODO(helper)
