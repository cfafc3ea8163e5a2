//! xinetd's access control: `FAIL: SERVICE REASON from=ADDRESS` (REASON is `address`,
//! `libwrap`, `time`, …) is a refusal of SERVICE before any password.

use super::text::{host, rsplit_once, token, trim_end};
use super::{Parsed, service_of_program};
use crate::auth::event::AuthOutcome;

pub(crate) fn parse<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    if !super::text::basename(program).starts_with(b"xinetd") {
        return None;
    }
    let rest = message.strip_prefix(b"FAIL: ")?;
    let (service, _) = token(rest);
    let (_, addr) = rsplit_once(trim_end(rest), b" from=")?;
    Some(Parsed::new(service_of_program(service), AuthOutcome::Refused).source(host(addr)?))
}
