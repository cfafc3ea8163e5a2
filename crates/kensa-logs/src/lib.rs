//! From files on disk to timed log records.
//!
//! The layers, in the order data passes them:
//! - [`source`]: which files are logs (discovery under the audited root, or the paths the
//!   user gave), grouped into rotation sets ordered oldest first;
//! - [`decode`]: bytes of a file, decompressed according to its magic bytes;
//! - [`scan`]: line framing over those bytes with a literal prefilter, so only candidate
//!   lines are handed on (with line number and byte offset), plus NUL runs and overlong
//!   lines noticed on the way;
//! - [`syslog`]: the header of a line (RFC 3164 in its many dialects, RFC 5424, ISO 8601);
//! - [`year`] and [`tz`]: the year a year-less stamp belongs to, and the audited host's
//!   local time zone, so every record gets a real instant;
//! - [`record`]: the record handed to detectors.
//!
//! Beside the text path, [`journal`] reads systemd journal files (binary, structured
//! entries) without libsystemd, [`audit`] reads Linux audit records (auditd's `audit.log`),
//! and [`login_records`] reads utmp/wtmp-style databases.
#![warn(missing_docs)]
// Tests build fixture trees with the standard library; the tool itself reads through kensa_fs.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod audit;
pub mod clf;
pub mod ctime;
pub mod decode;
pub mod journal;
pub mod journal_records;
pub mod local_host;
pub mod login_records;
pub mod loginlog;
pub mod prefilter;
pub mod record;
pub mod scan;
pub mod source;
pub mod sulog;
pub mod syslog;
pub mod syslog_conf;
pub mod tz;
pub mod xrdp_log;
pub mod year;
