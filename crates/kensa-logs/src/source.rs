//! Which files are logs, and in what order to read them.
//!
//! TODO(helper): discovery and rotation sets.
