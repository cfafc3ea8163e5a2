//! tcp wrappers (tcpd, libwrap in sshd and inetd services).
//!
//! `refused connect from CLIENT` is a refusal before any password: [`AuthOutcome::Refused`],
//! with the service named by the program (`in.telnetd`, `in.ftpd`, `sshd`). CLIENT is
//! `host`, `user@host` (with ident), or — in sshd's libwrap message — followed by
//! ` (ADDRESS)`, which then is the source. The user part of `user@host` is the
//! client's ident answer, not an account, and is dropped. A plain `connect from` is a
//! connection, not an authentication, and gives nothing.

use super::text::{host, rsplit_once, trim_end};
use super::{Parsed, service_of_program};
use crate::auth::event::AuthOutcome;

pub(crate) fn parse<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    let rest = message.strip_prefix(b"refused connect from ")?;
    let rest = trim_end(rest);
    // The address in parentheses is the last field; the ident user before it is the
    // client's own answer and may hold ` (` itself.
    let client = match rest.strip_suffix(b")").and_then(|r| rsplit_once(r, b" (")) {
        Some((_, addr)) => addr,
        None => rest,
    };
    let client = rsplit_once(client, b"@").map_or(client, |(_, h)| h);
    Some(Parsed::new(service_of_program(program), AuthOutcome::Refused).source(host(client)?))
}
