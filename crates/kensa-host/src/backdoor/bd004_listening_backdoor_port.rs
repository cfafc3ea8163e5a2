//! # BD004 listening-backdoor-port
//!
//! ## What it finds
//! On the running host (`--root /` only: a disk image has no live sockets), a TCP socket
//! listening on a port that backdoors of record use (the same list as BD002:
//! `data/backdoor-ports.tsv`), read from `/proc/net/tcp` and `/proc/net/tcp6`. The
//! process that owns the socket is named when `/proc/PID/fd` shows it (its `exe` link),
//! so the evidence says what listens, not only where.
//!
//! ## Why it matters
//! A bind shell or a trojaned daemon waits on its port whether or not any configuration
//! file mentions it; the kernel's socket table is where it cannot hide from a tool that
//! does not trust the host's own `netstat` (which a rootkit replaces). A kernel rootkit
//! can still hide a socket from `/proc`: a clean result is not proof.
//!
//! ## Example
//! ```text
//! /proc/net/tcp:4: 0.0.0.0:31337 LISTEN uid 0 inode 48211 (pid 2117 /tmp/.x/bd)
//! ```
//!
//! ## What to do
//! Identify the program (keep a copy, do not run it) and who started it. A backdoor you
//! did not install means an intrusion: take the host off the network, keep the disk and
//! memory if you can, rebuild (step 5) and (3) change every password.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001 step 5
//! - proc(5) `/proc/net/tcp`; CERT Incident Note IN-99-04
//! <!-- ja -->
//! # BD004 listening-backdoor-port
//!
//! ## 検出内容
//! 稼働中のホスト（`--root /` の場合のみ。ディスクイメージには稼働中のソケットはありません）
//! で、既知のバックドアが使うポート（BD002 と同じ一覧 `data/backdoor-ports.tsv`）で待ち受けて
//! いる TCP ソケットを `/proc/net/tcp` と `/proc/net/tcp6` から検出します。`/proc/PID/fd`
//! からソケットを所有するプロセスがわかる場合は、その `exe` も示します。
//!
//! ## 重要な理由
//! バインドシェルやトロイの木馬化したデーモンは、設定ファイルに書かれていなくてもポートで
//! 待ち受けています。カーネルのソケット表は、ホスト自身の（rootkit に置き換えられうる）
//! `netstat` を信用しないツールから隠れられない場所です。ただしカーネル rootkit は `/proc`
//! からもソケットを隠せるため、検出なしは安全の証明ではありません。
//!
//! ## 例
//! ```text
//! /proc/net/tcp:4: 0.0.0.0:31337 で待ち受け（uid 0、inode 48211、pid 2117 /tmp/.x/bd）
//! ```
//!
//! ## 対処
//! プログラム（複製を保全し、実行しないこと）と起動した者を特定してください。導入した覚えの
//! ないバックドアは侵入を意味します。ホストをネットワークから切り離し、可能ならディスクと
//! メモリを保全し、再構築し（手順 5）、対策 (3) としてすべてのパスワードを変更してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001 手順 5
//! - proc(5) `/proc/net/tcp`、CERT Incident Note IN-99-04

use super::backdoor_port;
use crate::Context;
use kensa_core::{Evidence, Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};
use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};

/// BD004: a live socket listening on a backdoor port.
pub static RULE: Rule = Rule {
    code: "BD004",
    name: "listening-backdoor-port",
    kind: Kind::Backdoor,
    outcome: Outcome::Indicator,
    severity: Severity::High,
    title: "A process listens on a backdoor port",
    advice: "Identify the program and who started it; if it is not yours, take the host off \
             the network, keep disk and memory, rebuild (step 5) and (3) change every password.",
    title_ja: "バックドアのポートで待ち受けているプロセスがあります",
    advice_ja: "プログラムと起動した者を特定してください。心当たりがなければホストをネットワーク\
                から切り離し、ディスクとメモリを保全し、再構築し（手順 5）、対策 (3) として\
                すべてのパスワードを変更してください。",
    status: RuleStatus::Stable,
    since: "0.2.0",
    source: include_str!("bd004_listening_backdoor_port.rs"),
};

/// The socket tables read, with the address width of each.
const TABLES: &[&str] = &["proc/net/tcp", "proc/net/tcp6"];
/// Processes examined at most when looking for a socket's owner.
const MAX_PROCESSES: usize = 100_000;

/// One listening socket of `/proc/net/tcp{,6}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    /// 1-based line in the table.
    pub line: u64,
    /// The local address, printed.
    pub address: String,
    /// The local port.
    pub port: u16,
    /// The owning user id.
    pub uid: u32,
    /// The socket inode.
    pub inode: u64,
}

/// `0100007F` (IPv4, host byte order of a little-endian kernel) or 32 hex digits (IPv6,
/// four such words) to an address.
fn parse_address(hex: &str) -> Option<String> {
    match hex.len() {
        8 => {
            let word = u32::from_str_radix(hex, 16).ok()?;
            Some(Ipv4Addr::from(word.swap_bytes()).to_string())
        }
        32 => {
            let mut bytes = [0u8; 16];
            for (i, chunk) in bytes.chunks_mut(4).enumerate() {
                let word = u32::from_str_radix(hex.get(i * 8..i * 8 + 8)?, 16).ok()?;
                chunk.copy_from_slice(&word.swap_bytes().to_be_bytes());
            }
            Some(format!("[{}]", Ipv6Addr::from(bytes)))
        }
        _ => None,
    }
}

/// The listening sockets of one table (state `0A`).
pub fn listeners(data: &[u8]) -> Vec<Listener> {
    let mut found = Vec::new();
    for (index, line) in String::from_utf8_lossy(data).lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.split_ascii_whitespace().collect();
        let (Some(local), Some(state), Some(uid), Some(inode)) =
            (fields.get(1), fields.get(3), fields.get(7), fields.get(9))
        else {
            continue;
        };
        if *state != "0A" {
            continue;
        }
        let Some((address, port)) = local.split_once(':') else {
            continue;
        };
        let (Some(address), Ok(port)) = (parse_address(address), u16::from_str_radix(port, 16))
        else {
            continue;
        };
        found.push(Listener {
            line: index as u64 + 1,
            address,
            port,
            uid: uid.parse().unwrap_or(u32::MAX),
            inode: inode.parse().unwrap_or(0),
        });
    }
    found
}

/// The processes holding each of `inodes`: pid and the target of its `exe` link.
fn owners(ctx: &Context<'_>, inodes: &[u64]) -> HashMap<u64, String> {
    let mut owners = HashMap::new();
    let Ok(processes) = ctx.root.read_dir("proc") else {
        return owners;
    };
    let pids = processes
        .iter()
        .filter_map(|p| p.name.to_str())
        .filter(|name| name.bytes().all(|b| b.is_ascii_digit()))
        .take(MAX_PROCESSES);
    for pid in pids {
        let Ok(fds) = ctx.root.read_dir(format!("proc/{pid}/fd")) else {
            continue;
        };
        for fd in fds {
            let Ok(target) = ctx
                .root
                .read_link(format!("proc/{pid}/fd/{}", fd.name.to_string_lossy()))
            else {
                continue;
            };
            let target = target.to_string_lossy();
            let Some(inode) = target
                .strip_prefix("socket:[")
                .and_then(|t| t.strip_suffix(']'))
                .and_then(|t| t.parse::<u64>().ok())
            else {
                continue;
            };
            if inodes.contains(&inode) {
                let exe = ctx
                    .root
                    .read_link(format!("proc/{pid}/exe"))
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_else(|_| "?".to_string());
                owners
                    .entry(inode)
                    .or_insert_with(|| format!("pid {pid} {exe}"));
            }
        }
        if owners.len() == inodes.len() {
            break;
        }
    }
    owners
}

/// Runs BD004 on the live host only.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    if ctx.root.path() != std::path::Path::new("/") {
        return Vec::new();
    }
    check_tables(ctx)
}

/// BD004 on whatever `proc/net` the root holds (the tests' fixture roots).
fn check_tables(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut hits: Vec<(String, Listener, Localized)> = Vec::new();
    for &table in TABLES {
        let Ok(data) = ctx.root.read(table, 64 << 20) else {
            continue;
        };
        for listener in listeners(&data) {
            if let Some(what) = backdoor_port(listener.port) {
                hits.push((format!("/{table}"), listener, what));
            }
        }
    }
    if hits.is_empty() {
        return Vec::new();
    }
    let inodes: Vec<u64> = hits.iter().map(|(_, l, _)| l.inode).collect();
    let owners = owners(ctx, &inodes);
    hits.into_iter()
        .map(|(file, listener, what)| {
            let owner = owners.get(&listener.inode);
            let mut finding = ctx.finding(&RULE);
            let (port, address) = (listener.port, &listener.address);
            let Localized {
                en: what,
                ja: what_ja,
            } = what;
            let (held, held_ja) = owner.map_or((String::new(), String::new()), |o| {
                (format!(", held by {o}"), format!("。{o} が使っています"))
            });
            finding.set_title(tr!(
                "Port {port} is listening on {address}: a backdoor port ({what}){held}",
                "{address} でポート {port} が待ち受けています: バックドアのポート\
                 （{what_ja}）{held_ja}"
            ));
            finding.merge_key = format!("{}:{}", listener.address, listener.port);
            let (uid, inode) = (listener.uid, listener.inode);
            let (process, process_ja) = owner.map_or((String::new(), String::new()), |o| {
                (format!(" ({o})"), format!("、{o}"))
            });
            let text = tr!(
                "{address}:{port} LISTEN uid {uid} inode {inode}{process}",
                "{address}:{port} で待ち受け（uid {uid}、inode {inode}{process_ja}）"
            );
            finding.push_evidence(Evidence::described(&file, listener.line, 0, text, None));
            finding
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Root;

    const TCP: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1151 1 0000000000000000 100 0 0 10 0\n\
   1: 0100007F:7A69 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 48211 1 0000000000000000 100 0 0 10 0\n\
   2: 020200C0:7A69 507100CB:0050 01 00000000:00000000 03:000009FB 00000000     0        0 0 3 0000000000000000\n";

    #[test]
    fn listening_sockets_are_parsed_with_their_addresses() {
        let found = listeners(TCP.as_bytes());
        assert_eq!(found.len(), 2, "the established socket is not listening");
        assert_eq!((found[0].address.as_str(), found[0].port), ("0.0.0.0", 22));
        assert_eq!(
            (found[1].address.as_str(), found[1].port),
            ("127.0.0.1", 31337)
        );
        assert_eq!((found[1].line, found[1].inode), (3, 48211));
        let six = "header\n   0: 00000000000000000000000001000000:05F4 00000000000000000000000000000000:0000 0A 0 0 0 0 0 77 1\n";
        let found = listeners(six.as_bytes());
        assert_eq!((found[0].address.as_str(), found[0].port), ("[::1]", 1524));
    }

    #[test]
    fn backdoor_ports_in_the_fixture_tables_are_found_and_not_on_an_image() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("proc/net")).unwrap();
        std::fs::write(dir.path().join("proc/net/tcp"), TCP).unwrap();
        let root = Root::open(dir.path()).unwrap();
        let mut ctx = Context::new(&root, "victim");
        let found = check_tables(&mut ctx);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].title.contains("Port 31337"), "{}", found[0].title);
        assert!(
            found[0]
                .title_ja
                .contains("でポート 31337 が待ち受けています: バックドアのポート"),
            "{}",
            found[0].title_ja
        );
        assert_eq!(found[0].evidence[0].line, 3);
        assert_eq!(
            found[0].evidence[0].text,
            "127.0.0.1:31337 LISTEN uid 0 inode 48211"
        );
        assert_eq!(
            found[0].evidence[0].text_ja.as_deref(),
            Some("127.0.0.1:31337 で待ち受け（uid 0、inode 48211）")
        );
        assert!(
            check(&mut ctx).is_empty(),
            "an image's proc is never judged"
        );
    }

    #[test]
    fn a_socket_of_this_process_is_found_with_its_owner() {
        // The live tables and /proc/PID/fd of this very test process.
        let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = socket.local_addr().unwrap().port();
        let root = Root::open(std::path::Path::new("/")).unwrap();
        let ctx = Context::new(&root, "self");
        let data = root.read("proc/net/tcp", 64 << 20).unwrap();
        let ours = listeners(&data)
            .into_iter()
            .find(|l| l.port == port && l.address == "127.0.0.1")
            .expect("our listening socket is in /proc/net/tcp");
        let owners = owners(&ctx, &[ours.inode]);
        assert_eq!(
            owners
                .get(&ours.inode)
                .map(|o| o.split(' ').nth(1).unwrap().to_string()),
            Some(std::process::id().to_string()),
            "{owners:?}"
        );
        drop(socket);
    }
}
