//! The SMTP conversation: greeting, `EHLO` (or `HELO` for servers older than ESMTP, like
//! sendmail 5.x), `HELP` only when the greeting hid the version (sendmail's help text
//! says `This is sendmail version ...`), `QUIT`. No mail is sent, no address verified,
//! no `WIZ` or `DEBUG` tried.

use crate::wire::{Conn, Reply};
use crate::{Session, banner, lines_showing};
use kensa_core::DiagnosticLevel;
use std::net::SocketAddr;

/// `[192.0.2.1]`, `[IPv6:2001:db8::1]`: our own address as an RFC 5321 address literal.
fn address_literal(local: Option<SocketAddr>) -> String {
    match local {
        Some(SocketAddr::V4(addr)) => format!("[{}]", addr.ip()),
        Some(SocketAddr::V6(addr)) => format!("[IPv6:{}]", addr.ip()),
        None => "[127.0.0.1]".to_string(),
    }
}

fn has_version(text: &str) -> bool {
    banner::smtp(text).is_some_and(|id| id.version.is_some())
}

/// Runs the conversation after the greeting and judges the version.
pub(crate) fn session(session: &mut Session<'_>, conn: &mut Conn, greeting: Reply) {
    let text = greeting.text();
    let mut identity = banner::smtp(&text);
    let mut evidence = lines_showing(session, &greeting, None, has_version);
    if greeting.code != 220 {
        let line = greeting.first().number;
        session.diagnose(DiagnosticLevel::Note, Some(line), {
            let code = greeting.code;
            kensa_core::tr!(
                "the server refuses mail from here (greeting code {code})",
                "サーバがここからのメールを拒否しています（挨拶文のコード {code}）"
            )
        });
        let _ = conn.send("QUIT");
        session.judge(identity, evidence);
        return;
    }
    let hello = address_literal(conn.local_addr().ok());
    let ehlo = conn.command(&format!("EHLO {hello}")).and_then(|reply| {
        if reply.is_positive() {
            Ok(reply)
        } else {
            conn.command(&format!("HELO {hello}"))
        }
    });
    if let Err(err) = ehlo {
        session.broke("EHLO", err);
        session.judge(identity, evidence);
        return;
    }
    let version_hidden = identity.as_ref().is_none_or(|id| id.version.is_none());
    let sendmail_or_unknown = identity.as_ref().is_none_or(|id| id.product == "sendmail");
    if version_hidden && sendmail_or_unknown {
        match conn.command("HELP") {
            Ok(help) if (200..300).contains(&help.code) => {
                if let Some(found) = banner::smtp(&help.text()).filter(|id| id.version.is_some()) {
                    identity = Some(found);
                    evidence.extend(lines_showing(session, &help, Some("HELP"), has_version));
                }
            }
            Ok(_) => {}
            Err(err) => {
                session.broke("HELP", err);
                session.judge(identity, evidence);
                return;
            }
        }
    }
    match conn.command("QUIT") {
        Ok(_) | Err(crate::wire::WireError::Closed { partial: false }) => {}
        Err(err) => session.broke("QUIT", err),
    }
    session.judge(identity, evidence);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_literals() {
        assert_eq!(address_literal("192.0.2.1:25".parse().ok()), "[192.0.2.1]");
        assert_eq!(address_literal("[::1]:25".parse().ok()), "[IPv6:::1]");
    }
}
