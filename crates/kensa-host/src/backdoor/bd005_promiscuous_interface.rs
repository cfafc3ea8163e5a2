//! # BD005 promiscuous-interface
//!
//! ## What it finds
//! On the running host (`--root /` only), a network interface in promiscuous mode — the
//! `IFF_PROMISC` bit (0x100) of `/sys/class/net/IFACE/flags` — that is not a member of a
//! bridge (bridge ports, including the `veth` ends of containers, are promiscuous by
//! design and are left out). On a host that is not a bridge, router or monitoring probe,
//! a promiscuous interface means something is capturing every packet on the wire.
//!
//! ## Why it matters
//! The intruders of the advisory's era installed sniffers that logged the first bytes of
//! every TELNET, FTP and POP session — the passwords of every user of the network, not
//! only of this host. The host's own `ifconfig` is among the binaries rootkits replace
//! to hide the `PROMISC` flag; the kernel's flag in `/sys` is read directly.
//!
//! ## Example
//! ```text
//! /sys/class/net/eth0/flags:1: 0x1103 (UP BROADCAST PROMISC MULTICAST)
//! ```
//!
//! ## What to do
//! Find the process with a packet socket (`/proc/net/packet`, `ss -0 -p`). If it is not
//! a capture you run, a sniffer is collecting passwords: treat every password used over
//! the network as known (3), rebuild the host (5), and look for the sniffer's log.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001 steps 3 and 5
//! - CERT Advisory CA-94:01 (ongoing network monitoring attacks), netdevice(7)
//! <!-- ja -->
//! # BD005 promiscuous-interface
//!
//! ## 検出内容
//! 稼働中のホスト（`--root /` の場合のみ）で、プロミスキャスモード（`/sys/class/net/IFACE/flags`
//! の `IFF_PROMISC` ビット 0x100）になっているネットワークインタフェースのうち、ブリッジの
//! メンバーでないもの（コンテナの `veth` を含むブリッジポートは設計上プロミスキャスのため
//! 除外）を検出します。ブリッジ、ルーター、監視用プローブでないホストでこの状態にあるのは、
//! 何かが回線上のすべてのパケットを取得していることを意味します。
//!
//! ## 重要な理由
//! 勧告の時代の侵入者は、TELNET、FTP、POP の各セッションの先頭を記録するスニッファを
//! 設置しました。このホストだけでなく、ネットワーク上の全利用者のパスワードが漏れます。
//! ホストの `ifconfig` は rootkit が `PROMISC` を隠すために置き換えるコマンドの一つで
//! あるため、`/sys` にあるカーネルのフラグを直接読みます。
//!
//! ## 例
//! ```text
//! /sys/class/net/eth0/flags:1: 0x1103（フラグ UP BROADCAST PROMISC MULTICAST）
//! ```
//!
//! ## 対処
//! パケットソケットを持つプロセスを特定してください（`/proc/net/packet`、`ss -0 -p`）。
//! 自分が行っているキャプチャでなければ、スニッファがパスワードを収集しています。
//! ネットワーク経由で使われたすべてのパスワードを漏れたものとして扱い（対策 (3)）、
//! ホストを再構築し（手順 5）、スニッファのログを探してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001 対策 (3)、手順 5
//! - CERT Advisory CA-94:01（ネットワーク監視攻撃）、netdevice(7)

use crate::Context;
use kensa_core::{Evidence, Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// BD005: a promiscuous interface that is not a bridge port.
pub static RULE: Rule = Rule {
    code: "BD005",
    name: "promiscuous-interface",
    kind: Kind::Backdoor,
    outcome: Outcome::Indicator,
    severity: Severity::High,
    title: "A network interface is in promiscuous mode (a sniffer)",
    advice: "Find the process capturing packets; if it is not yours, treat every password \
             used over the network as known (3) and rebuild the host (step 5).",
    title_ja: "ネットワークインタフェースがプロミスキャスモードです（スニッファ）",
    advice_ja: "パケットを取得しているプロセスを特定してください。心当たりがなければ、\
                ネットワーク経由で使われたすべてのパスワードを漏れたものとして扱い（対策 (3)）、\
                ホストを再構築してください（手順 5）。",
    status: RuleStatus::Stable,
    since: "0.2.0",
    source: include_str!("bd005_promiscuous_interface.rs"),
};

/// The promiscuous bit of `struct ifreq`'s flags (netdevice(7)).
const IFF_PROMISC: u32 = 0x100;
/// Interfaces examined at most.
const MAX_INTERFACES: usize = 4_096;

/// The names of the flags set in `flags`, as `ip link` shows them (the common ones).
fn flag_names(flags: u32) -> String {
    const NAMES: &[(u32, &str)] = &[
        (0x1, "UP"),
        (0x2, "BROADCAST"),
        (0x8, "LOOPBACK"),
        (0x10, "POINTOPOINT"),
        (0x100, "PROMISC"),
        (0x200, "ALLMULTI"),
        (0x1000, "MULTICAST"),
    ];
    NAMES
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, name)| *name)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs BD005 on the live host only.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    if ctx.root.path() != std::path::Path::new("/") {
        return Vec::new();
    }
    check_interfaces(ctx)
}

/// BD005 on whatever `sys/class/net` the root holds (the tests' fixture roots).
fn check_interfaces(ctx: &mut Context<'_>) -> Vec<Finding> {
    let Ok(interfaces) = ctx.root.read_dir("sys/class/net") else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for interface in interfaces.iter().take(MAX_INTERFACES) {
        let name = interface.name.to_string_lossy();
        let dir = format!("sys/class/net/{name}");
        let Ok(raw) = ctx.root.read(format!("{dir}/flags"), 64) else {
            continue;
        };
        let text = String::from_utf8_lossy(&raw).trim().to_string();
        let Ok(flags) = u32::from_str_radix(text.trim_start_matches("0x"), 16) else {
            continue;
        };
        if flags & IFF_PROMISC == 0 || ctx.root.lstat(format!("{dir}/brport")).is_ok() {
            continue;
        }
        let mut finding = ctx.finding(&RULE);
        finding.set_title(tr!(
            "Interface {name} is in promiscuous mode: something captures every packet",
            "インタフェース {name} がプロミスキャスモードです: 何かがすべてのパケットを取得して\
             います"
        ));
        finding.merge_key = name.to_string();
        // The file's value, quoted, and the names of its flags (the kernel's, the same in
        // both languages).
        let names = flag_names(flags);
        finding.push_evidence(Evidence::described(
            &format!("/{dir}/flags"),
            1,
            0,
            tr!("{text} ({names})", "{text}（フラグ {names}）"),
            None,
        ));
        findings.push(finding);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Root;

    fn interface(root: &std::path::Path, name: &str, flags: &str, bridge_port: bool) {
        let dir = root.join("sys/class/net").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("flags"), format!("{flags}\n")).unwrap();
        if bridge_port {
            std::fs::create_dir_all(dir.join("brport")).unwrap();
        }
    }

    #[test]
    fn a_promiscuous_interface_is_found_bridge_ports_and_normal_ones_are_not() {
        let dir = tempfile::tempdir().unwrap();
        interface(dir.path(), "eth0", "0x1103", false);
        interface(dir.path(), "eth1", "0x1003", false);
        interface(dir.path(), "lo", "0x9", false);
        interface(dir.path(), "veth12ab", "0x1103", true);
        let root = Root::open(dir.path()).unwrap();
        let mut ctx = Context::new(&root, "victim");
        let found = check_interfaces(&mut ctx);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].merge_key, "eth0");
        assert_eq!(
            found[0].title_ja,
            "インタフェース eth0 がプロミスキャスモードです: 何かがすべてのパケットを取得しています"
        );
        assert_eq!(
            found[0].evidence[0].text,
            "0x1103 (UP BROADCAST PROMISC MULTICAST)"
        );
        assert_eq!(
            found[0].evidence[0].text_ja.as_deref(),
            Some("0x1103（フラグ UP BROADCAST PROMISC MULTICAST）")
        );
        assert!(check(&mut ctx).is_empty(), "an image's sys is never judged");
    }
}
