//! What to probe: `HOST`, `HOST:PORT`, `[V6]:PORT`, `smtp://HOST[:PORT]`,
//! `ftp://HOST[:PORT]`, from the command line or a hosts file.
//!
//! A bare host is probed on both services (SMTP on 25, FTP on 21). A port says the
//! service when it is a well-known one (25 and 587 SMTP, 21 FTP); any other port is
//! probed and told apart by its greeting — or say it with `smtp://` or `ftp://`.

use kensa_core::{Diagnostic, DiagnosticLevel, Localized, tr};

/// The protocol spoken on a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    /// SMTP (RFC 5321).
    Smtp,
    /// FTP (RFC 959).
    Ftp,
    /// Not said: told apart by the greeting.
    Auto,
}

impl Service {
    /// `smtp`, `ftp`, `tcp`.
    pub fn scheme(self) -> &'static str {
        match self {
            Service::Smtp => "smtp",
            Service::Ftp => "ftp",
            Service::Auto => "tcp",
        }
    }
}

/// One port of one host to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The TCP port.
    pub port: u16,
    /// What it speaks.
    pub service: Service,
}

/// One host and the ports to probe on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The host as written (a name or an address, without brackets).
    pub host: String,
    /// What to probe on it.
    pub endpoints: Vec<Endpoint>,
}

/// Longest host name accepted (DNS allows 253).
const MAX_HOST: usize = 253;

fn service_of_port(port: u16) -> Service {
    match port {
        25 | 587 => Service::Smtp,
        21 => Service::Ftp,
        _ => Service::Auto,
    }
}

fn plausible_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= MAX_HOST
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':' | b'%'))
}

/// Reads one target. Errors say what is wrong (in English), for a message or a
/// diagnostic; [`parse_localized`] says it in both languages.
pub fn parse(text: &str) -> Result<Target, String> {
    parse_localized(text).map_err(|err| err.en)
}

/// Reads one target. Errors say what is wrong in English and Japanese (pick one with
/// [`Localized::get`]).
pub fn parse_localized(text: &str) -> Result<Target, Localized> {
    let text = text.trim();
    let (scheme, rest) = match text.split_once("://") {
        Some(("smtp", rest)) => (Some(Service::Smtp), rest),
        Some(("ftp", rest)) => (Some(Service::Ftp), rest),
        Some((other, _)) => {
            return Err(tr!(
                "{text:?}: unknown scheme {other:?} (smtp:// or ftp://)",
                "{text:?}: 不明なスキーム {other:?} です（smtp:// または ftp://）"
            ));
        }
        None => (None, text),
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (host, port) = if let Some(inner) = rest.strip_prefix('[') {
        let (host, after) = inner.split_once(']').ok_or_else(|| {
            tr!(
                "{text:?}: no ] after the IPv6 address",
                "{text:?}: IPv6 アドレスの後に ] がありません"
            )
        })?;
        match after {
            "" => (host, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => {
                    return Err(tr!(
                        "{text:?}: expected :PORT after ]",
                        "{text:?}: ] の後には :PORT が必要です"
                    ));
                }
            },
        }
    } else if rest.matches(':').count() == 1 {
        let (host, port) = rest.split_once(':').unwrap_or((rest, ""));
        (host, Some(port))
    } else {
        // No colon, or a bare IPv6 address (several).
        (rest, None)
    };
    if !plausible_host(host) {
        return Err(tr!(
            "{text:?}: not a host name or address",
            "{text:?}: ホスト名でもアドレスでもありません"
        ));
    }
    let port = match port {
        None => None,
        Some(port) => Some(
            port.parse::<u16>()
                .ok()
                .filter(|&p| p != 0)
                .ok_or_else(|| {
                    tr!(
                        "{text:?}: bad port {port:?}",
                        "{text:?}: ポート {port:?} は不正です"
                    )
                })?,
        ),
    };
    let endpoints = match (scheme, port) {
        (Some(Service::Smtp), port) => vec![Endpoint {
            port: port.unwrap_or(25),
            service: Service::Smtp,
        }],
        (Some(_), port) => vec![Endpoint {
            port: port.unwrap_or(21),
            service: Service::Ftp,
        }],
        (None, Some(port)) => vec![Endpoint {
            port,
            service: service_of_port(port),
        }],
        (None, None) => vec![
            Endpoint {
                port: 25,
                service: Service::Smtp,
            },
            Endpoint {
                port: 21,
                service: Service::Ftp,
            },
        ],
    };
    Ok(Target {
        host: host.to_string(),
        endpoints,
    })
}

/// Most bytes of a hosts file read.
pub const MAX_HOSTS_FILE: u64 = 4 << 20;
/// Most targets taken from one hosts file.
pub const MAX_TARGETS: usize = 100_000;

/// The targets of a hosts file: whitespace-separated targets, `#` comments. A bad entry
/// is a diagnostic naming the file and line; the others are kept.
pub fn parse_hosts_file(name: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Target> {
    let mut targets = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default();
        for word in line.split_whitespace() {
            if targets.len() >= MAX_TARGETS {
                diagnostics.push(Diagnostic::say(
                    DiagnosticLevel::Warning,
                    name,
                    Some(index as u64 + 1),
                    tr!(
                        "more than {MAX_TARGETS} targets: the rest is ignored",
                        "対象が {MAX_TARGETS} 件を超えるため、残りは無視しました"
                    ),
                ));
                return targets;
            }
            match parse_localized(word) {
                Ok(target) => targets.push(target),
                Err(err) => diagnostics.push(Diagnostic::say(
                    DiagnosticLevel::Error,
                    name,
                    Some(index as u64 + 1),
                    err,
                )),
            }
        }
    }
    targets
}

/// Merges targets of the same host (so it is resolved once), keeping the first order
/// and dropping repeated endpoints.
pub fn merge(targets: Vec<Target>) -> Vec<Target> {
    let mut merged: Vec<Target> = Vec::new();
    for target in targets {
        match merged.iter_mut().find(|t| t.host == target.host) {
            Some(known) => {
                for endpoint in target.endpoints {
                    if !known.endpoints.iter().any(|e| e.port == endpoint.port) {
                        known.endpoints.push(endpoint);
                    }
                }
            }
            None => merged.push(target),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoints(text: &str) -> (String, Vec<(u16, Service)>) {
        let target = parse(text).unwrap();
        (
            target.host,
            target
                .endpoints
                .into_iter()
                .map(|e| (e.port, e.service))
                .collect(),
        )
    }

    #[test]
    fn forms_of_a_target() {
        assert_eq!(
            endpoints("mailhub.example.ac.jp"),
            (
                "mailhub.example.ac.jp".into(),
                vec![(25, Service::Smtp), (21, Service::Ftp)]
            )
        );
        assert_eq!(
            endpoints("192.0.2.7:25"),
            ("192.0.2.7".into(), vec![(25, Service::Smtp)])
        );
        assert_eq!(
            endpoints("192.0.2.7:2121"),
            ("192.0.2.7".into(), vec![(2121, Service::Auto)])
        );
        assert_eq!(
            endpoints("ftp://[2001:db8::1]:2121/"),
            ("2001:db8::1".into(), vec![(2121, Service::Ftp)])
        );
        assert_eq!(
            endpoints("smtp://mx"),
            ("mx".into(), vec![(25, Service::Smtp)])
        );
        assert_eq!(
            endpoints("::1"),
            ("::1".into(), vec![(25, Service::Smtp), (21, Service::Ftp)])
        );
        assert_eq!(
            endpoints("[::1]:21"),
            ("::1".into(), vec![(21, Service::Ftp)])
        );
    }

    #[test]
    fn bad_targets() {
        for bad in [
            "",
            "host:0",
            "host:99999",
            "host:x",
            "http://host",
            "[::1",
            "[::1]x",
            "bad host",
            "\u{1b}[2J",
            &"a".repeat(300),
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
            let err = parse_localized(bad).unwrap_err();
            assert!(!err.ja.is_ascii() && err.ja != err.en, "{err:?}");
        }
        assert_eq!(
            parse("http://host").unwrap_err(),
            "\"http://host\": unknown scheme \"http\" (smtp:// or ftp://)"
        );
        assert_eq!(
            parse_localized("host:x").unwrap_err().ja,
            "\"host:x\": ポート \"x\" は不正です"
        );
    }

    #[test]
    fn hosts_file_with_a_bad_line() {
        let mut diagnostics = Vec::new();
        let targets = parse_hosts_file(
            "hosts.txt",
            "# our hosts\nmx1 mx2:2525\n\nbad:port # typo\nftp://files\n",
            &mut diagnostics,
        );
        let hosts: Vec<&str> = targets.iter().map(|t| t.host.as_str()).collect();
        assert_eq!(hosts, ["mx1", "mx2", "files"]);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].file, "hosts.txt");
        assert_eq!(diagnostics[0].line, Some(4));
        assert_eq!(
            diagnostics[0].message_ja,
            "\"bad:port\": ポート \"port\" は不正です"
        );
    }

    #[test]
    fn the_same_host_twice_is_one_target() {
        let merged = merge(vec![
            parse("mx:2525").unwrap(),
            parse("other").unwrap(),
            parse("mx").unwrap(),
        ]);
        assert_eq!(merged.len(), 2);
        let ports: Vec<u16> = merged[0].endpoints.iter().map(|e| e.port).collect();
        assert_eq!(ports, [2525, 25, 21]);
    }
}
