//! The services `inetd` and `xinetd` start, read from the audited root: `etc/inetd.conf`
//! (BSD, SunOS 4, Linux), `etc/inet/inetd.conf` (Solaris), `etc/xinetd.conf` with the
//! files its `includedir` names (`etc/xinetd.d` by default), and the port numbers of
//! service names from the root's own `etc/services` (never the analyst's).

use crate::Context;
use std::collections::{HashMap, HashSet};

/// `inetd.conf` files examined; a link between them (Solaris `etc/inetd.conf` →
/// `inet/inetd.conf`) is read once.
pub const INETD_FILES: &[&str] = &[
    "etc/inetd.conf",
    "etc/inet/inetd.conf",
    "usr/etc/inetd.conf",
];

/// The main xinetd file; its `includedir` lines name more.
pub const XINETD_FILE: &str = "etc/xinetd.conf";

/// Files read from one `includedir` at most.
const MAX_INCLUDED_FILES: usize = 1_000;

/// One service line (inetd) or block (xinetd).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// The file as shown in reports.
    pub file: String,
    /// 1-based line of the service (the `service` line in xinetd).
    pub line: u64,
    /// Byte offset of that line.
    pub offset: u64,
    /// That line as written.
    pub text: Vec<u8>,
    /// The service name (`telnet`, `ingreslock`, or a number).
    pub name: String,
    /// `tcp`, `udp`, `tcp6`, `rpc/tcp`, ...
    pub protocol: String,
    /// The user it runs as.
    pub user: String,
    /// The server program (`/usr/sbin/in.telnetd`, `internal`).
    pub server: String,
    /// The arguments, argv[0] first for inetd.
    pub args: Vec<String>,
    /// An explicit port (xinetd `port =`), if given.
    pub port: Option<u16>,
}

impl Service {
    /// The program that really runs: the server, or what `tcpd` wraps (`/usr/sbin/tcpd
    /// in.telnetd` runs in.telnetd).
    pub fn program(&self) -> &str {
        let base = self.server.rsplit('/').next().unwrap_or(&self.server);
        if base == "tcpd"
            && let Some(wrapped) = self.args.first()
        {
            return wrapped;
        }
        &self.server
    }

    /// The port it listens on: the explicit one, a numeric name, or the name looked up
    /// in the root's `etc/services` for the service's transport.
    pub fn resolved_port(&self, services: &Services) -> Option<u16> {
        if let Some(port) = self.port {
            return Some(port);
        }
        if let Ok(port) = self.name.parse::<u16>() {
            return Some(port);
        }
        let transport = if self.protocol.contains("udp") {
            "udp"
        } else {
            "tcp"
        };
        services.port(&self.name, transport)
    }
}

/// The root's `etc/services`: name or alias and transport to port.
#[derive(Debug, Default)]
pub struct Services {
    ports: HashMap<(String, String), u16>,
}

impl Services {
    /// Parses `name port/proto [aliases...] [# comment]` lines.
    pub fn parse(data: &[u8]) -> Services {
        let mut ports = HashMap::new();
        for line in data.split(|&b| b == b'\n') {
            let line = String::from_utf8_lossy(line);
            let line = line.split('#').next().unwrap_or_default();
            let mut fields = line.split_ascii_whitespace();
            let (Some(name), Some(port_proto)) = (fields.next(), fields.next()) else {
                continue;
            };
            let Some((port, proto)) = port_proto.split_once('/') else {
                continue;
            };
            let Ok(port) = port.parse::<u16>() else {
                continue;
            };
            for alias in std::iter::once(name).chain(fields) {
                ports
                    .entry((alias.to_string(), proto.to_ascii_lowercase()))
                    .or_insert(port);
            }
        }
        Services { ports }
    }

    /// The root's `etc/services` (empty when it has none).
    pub fn read(ctx: &mut Context<'_>) -> Services {
        ctx.read_config("etc/services")
            .map(|data| Services::parse(&data))
            .unwrap_or_default()
    }

    /// The port of `name` for `transport` (`tcp`/`udp`).
    pub fn port(&self, name: &str, transport: &str) -> Option<u16> {
        self.ports
            .get(&(name.to_string(), transport.to_string()))
            .copied()
    }
}

/// Parses an `inetd.conf`: `name socktype proto wait user server [argv0 args...]`.
/// Comments and lines with fewer than six fields are skipped; a `host:` or `[addr]:`
/// prefix on the name (FreeBSD, OpenBSD) is dropped.
pub fn parse_inetd(file: &str, data: &[u8]) -> Vec<Service> {
    let mut services = Vec::new();
    let mut offset = 0u64;
    for (index, raw) in data.split(|&b| b == b'\n').enumerate() {
        let line_offset = offset;
        offset += raw.len() as u64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let text = String::from_utf8_lossy(raw);
        let trimmed = text.trim_start();
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        let fields: Vec<&str> = trimmed.split_ascii_whitespace().collect();
        let [name, _socktype, protocol, _wait, user, server, args @ ..] = fields.as_slice() else {
            continue;
        };
        let name = name.rsplit_once(':').map_or(*name, |(_, service)| service);
        services.push(Service {
            file: file.to_string(),
            line: index as u64 + 1,
            offset: line_offset,
            text: raw.get(..4096).unwrap_or(raw).to_vec(),
            name: name.to_string(),
            protocol: protocol.to_ascii_lowercase(),
            user: user.to_string(),
            server: server.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
            port: None,
        });
    }
    services
}

/// What one xinetd file holds: its enabled services and the directories it includes.
#[derive(Debug, Default)]
pub struct XinetdFile {
    /// Services not disabled (`disable = yes`) in this file.
    pub services: Vec<Service>,
    /// `includedir` directories, as written (absolute paths of the audited system).
    pub include_dirs: Vec<String>,
}

/// Parses an xinetd file: `service NAME { attr = value ... }` blocks, `defaults` blocks
/// (skipped) and `includedir DIR` lines.
pub fn parse_xinetd(file: &str, data: &[u8]) -> XinetdFile {
    let mut parsed = XinetdFile::default();
    let mut current: Option<(Service, bool)> = None;
    let mut offset = 0u64;
    for (index, raw) in data.split(|&b| b == b'\n').enumerate() {
        let line_offset = offset;
        offset += raw.len() as u64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let text = String::from_utf8_lossy(raw);
        let line = text.split('#').next().unwrap_or_default().trim();
        if line.is_empty() || line == "{" {
            continue;
        }
        if line == "}" {
            if let Some((service, disabled)) = current.take()
                && !disabled
            {
                parsed.services.push(service);
            }
            continue;
        }
        if let Some(dir) = line.strip_prefix("includedir") {
            parsed.include_dirs.push(dir.trim().to_string());
            continue;
        }
        if let Some(name) = line.strip_prefix("service") {
            let name = name.trim().trim_end_matches('{').trim();
            current = Some((
                Service {
                    file: file.to_string(),
                    line: index as u64 + 1,
                    offset: line_offset,
                    text: raw.get(..4096).unwrap_or(raw).to_vec(),
                    name: name.to_string(),
                    protocol: "tcp".to_string(),
                    user: String::new(),
                    server: String::new(),
                    args: Vec::new(),
                    port: None,
                },
                false,
            ));
            continue;
        }
        let Some((service, disabled)) = current.as_mut() else {
            continue;
        };
        let Some((attribute, value)) = line.split_once('=') else {
            continue;
        };
        let attribute = attribute.trim().trim_end_matches(['+', '-']).trim();
        let value = value.trim();
        match attribute {
            "disable" => *disabled = value.eq_ignore_ascii_case("yes"),
            "protocol" => service.protocol = value.to_ascii_lowercase(),
            "user" => service.user = value.to_string(),
            "server" => service.server = value.to_string(),
            "server_args" => {
                service
                    .args
                    .extend(value.split_ascii_whitespace().map(str::to_string));
            }
            "port" => service.port = value.parse().ok(),
            _ => {}
        }
    }
    parsed
}

/// Every enabled service of the root's inetd and xinetd configuration. A file is read
/// once however many names lead to it.
pub fn services(ctx: &mut Context<'_>) -> Vec<Service> {
    let mut seen = HashSet::new();
    let mut services = Vec::new();
    for &file in INETD_FILES {
        let Ok(resolved) = ctx.root.resolve(file) else {
            continue;
        };
        if !seen.insert(resolved.clone()) {
            continue;
        }
        if let Some(data) = ctx.read_config(&resolved) {
            services.extend(parse_inetd(&ctx.root.display(file), &data));
        }
    }
    let Some(data) = ctx.read_config(XINETD_FILE) else {
        return services;
    };
    let main = parse_xinetd(&ctx.root.display(XINETD_FILE), &data);
    services.extend(main.services);
    for dir in main.include_dirs {
        let rel = dir.trim_start_matches('/').to_string();
        let entries = match ctx.root.read_dir(&rel) {
            Ok(entries) => entries,
            Err(err) => {
                ctx.say(
                    kensa_core::DiagnosticLevel::Warning,
                    &rel,
                    kensa_core::tr!(
                        "xinetd includedir cannot be read: {err}",
                        "xinetd の includedir を読み取れません: {err}"
                    ),
                );
                continue;
            }
        };
        let mut names: Vec<String> = entries
            .into_iter()
            .map(|entry| entry.name.to_string_lossy().into_owned())
            // xinetd skips names with a dot or ending in ~ (editor and package backups).
            .filter(|name| !name.contains('.') && !name.ends_with('~'))
            .collect();
        names.sort();
        names.truncate(MAX_INCLUDED_FILES);
        for name in names {
            let file = format!("{rel}/{name}");
            if let Some(data) = ctx.read_config(&file) {
                services.extend(parse_xinetd(&ctx.root.display(&file), &data).services);
            }
        }
    }
    services
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inetd_lines_parse_in_every_dialect() {
        let data = b"# comment\n\
            ftp\tstream\ttcp\tnowait\troot\t/usr/etc/in.ftpd\tin.ftpd\n\
            telnet stream tcp nowait root /usr/sbin/tcpd in.telnetd\n\
            127.0.0.1:ident stream tcp nowait root internal\n\
            rusersd/1-2 tli rpc/datagram_v wait root /usr/lib/netsvc/rusers/rpc.rusersd rpc.rusersd\n\
            ingreslock stream tcp nowait root /bin/sh sh -i\n\
            short line\n";
        let services = parse_inetd("etc/inetd.conf", data);
        assert_eq!(services.len(), 5);
        assert_eq!(services[0].name, "ftp");
        assert_eq!(services[0].program(), "/usr/etc/in.ftpd");
        assert_eq!(
            services[1].program(),
            "in.telnetd",
            "tcpd's argv0 is what runs"
        );
        assert_eq!(services[2].name, "ident");
        assert_eq!(services[3].protocol, "rpc/datagram_v");
        assert_eq!(services[4].line, 6);
        assert_eq!(services[4].args, ["sh", "-i"]);
        assert_eq!(&services[4].text[..10], b"ingreslock");
    }

    #[test]
    fn xinetd_blocks_parse_and_disabled_ones_are_dropped() {
        let data = b"defaults\n{\n  instances = 60\n}\nincludedir /etc/xinetd.d\n\
            service echo\n{\n  disable = yes\n  type = INTERNAL\n}\n\
            service hax\n{\n  type = UNLISTED\n  port = 31337\n  server = /bin/bash\n  server_args = -i\n  user = root\n  disable = no\n}\n";
        let parsed = parse_xinetd("etc/xinetd.conf", data);
        assert_eq!(parsed.include_dirs, ["/etc/xinetd.d"]);
        assert_eq!(parsed.services.len(), 1);
        let hax = &parsed.services[0];
        assert_eq!((hax.name.as_str(), hax.line), ("hax", 11));
        assert_eq!(hax.port, Some(31337));
        assert_eq!(hax.program(), "/bin/bash");
        assert_eq!(hax.resolved_port(&Services::default()), Some(31337));
    }

    #[test]
    fn service_names_resolve_through_the_roots_services_file() {
        let services =
            Services::parse(b"ingreslock\t1524/tcp\n# x 1/tcp\nsmtp 25/tcp mail\nsyslog 514/udp\n");
        assert_eq!(services.port("ingreslock", "tcp"), Some(1524));
        assert_eq!(services.port("mail", "tcp"), Some(25));
        assert_eq!(services.port("syslog", "tcp"), None);
        assert_eq!(services.port("x", "tcp"), None);
        let line = &parse_inetd("f", b"31337 stream tcp nowait root /tmp/.x/bd bd\n")[0];
        assert_eq!(line.resolved_port(&services), Some(31337));
    }
}
