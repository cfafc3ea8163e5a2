//! Authentication events: one model for every login service, so that password guessing
//! is detected once, not once per daemon.
//!
//! Parsers (one file per family of daemons in `parsers/`) turn log records — and binary
//! login records (wtmp/btmp) — into [`AuthEvent`]s; the guessing detectors (`guessing/`)
//! read only events. A source address is always the field of the message's own grammar
//! (`from HOST port N`, `rhost=HOST`), never the last address-looking text: a user name
//! that carries ` from 10.0.0.1` must not move the attack.

pub mod event;
pub mod guessing;
pub mod parsers;

pub use event::{AuthEvent, AuthOutcome, Service};
pub use parsers::{AuthParser, NEEDLES};
