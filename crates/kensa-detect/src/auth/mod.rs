//! is detected once, not once per daemon.
//!
//! Parsers (one file per family of daemons in `parsers/`) turn log records — and binary
//! read only events. A source address is always the field of the message's own grammar
//! (`from HOST port N`, `rhost=HOST`), never the last address-looking text: a user name
//! that carries ` from 10.0.0.1` must not move the attack.

pub mod event;
pub mod parsers;
pub mod parsers;

pub use event::{AuthEvent, AuthOutcome, Service};
pub use parsers::{AuthParser, NEEDLES};
pub use parsers::{AuthParser, NEEDLES};
