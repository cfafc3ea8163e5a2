//! # BD002 backdoor-port-service
//!
//! ## What it finds
//! A service started by inetd or xinetd that is not a shell (those are BD001) but either
//! listens on a port that backdoors of record use (kensa's list in
//! `data/backdoor-ports.tsv`: 1524 ingreslock, 12345 NetBus, 31337, 47017 t0rn, ...) or
//! runs a program from a place no system service lives: `/tmp`, `/var/tmp`, `/dev`, or a
//! hidden directory (a path component starting with a dot, like `/usr/lib/.x/`).
//! Service names are turned into ports with the audited root's own `etc/services`.
//!
//! ## Why it matters
//! Intruders add a service to `inetd.conf` to get back in: a bind shell or a trojaned
//! daemon on a high, memorable port, or a program dropped in a hidden directory. A system
//! service never runs from `/tmp` or a dot-directory.
//!
//! ## Example
//! ```text
//! etc/inetd.conf:40: 31337 stream tcp nowait root /usr/lib/.x/bd bd
//! ```
//!
//! ## What to do
//! Find out who added the line and what the program is (keep a copy for analysis, do not
//! run it). If you did not add it, the host was broken into: keep the disk, rebuild from
//! trusted media (step 5) and (3) change every password.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001 step 5
//! - CERT Incident Notes IN-99-04, IN-2000-10 (backdoor ports of record), inetd.conf(5)
//! <!-- ja -->
//! # BD002 backdoor-port-service
//!
//! ## 検出内容
//! inetd または xinetd が起動するサービスのうち、シェルではない（シェルは BD001）ものの、
//! 既知のバックドアが使うポート（kensa の一覧 `data/backdoor-ports.tsv`：1524 ingreslock、
//! 12345 NetBus、31337、47017 t0rn など）で待ち受けるもの、またはシステムのサービスが
//! 置かれることのない場所（`/tmp`、`/var/tmp`、`/dev`、ドットで始まる隠しディレクトリ、
//! 例えば `/usr/lib/.x/`）のプログラムを実行するものを検出します。サービス名は監査対象の
//! `etc/services` でポート番号に変換します。
//!
//! ## 重要な理由
//! 侵入者は再侵入のために `inetd.conf` にサービスを追加します。覚えやすい高位ポートの
//! バインドシェルやトロイの木馬化したデーモン、隠しディレクトリに置いたプログラムです。
//! システムのサービスが `/tmp` や隠しディレクトリから動くことはありません。
//!
//! ## 例
//! ```text
//! etc/inetd.conf:40: 31337 stream tcp nowait root /usr/lib/.x/bd bd
//! ```
//!
//! ## 対処
//! 誰がこの行を追加したのか、プログラムが何かを調べてください（解析用に複製を保全し、
//! 実行しないこと）。心当たりがなければ侵入されています。ディスクを保全し、信頼できる
//! メディアから再構築し（手順 5）、対策 (3) としてすべてのパスワードを変更してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001 手順 5
//! - CERT Incident Note IN-99-04、IN-2000-10（既知のバックドアのポート）、inetd.conf(5)

use super::inetd::{self, Service, Services};
use super::{backdoor_port, is_shell};
use crate::Context;
use kensa_core::{Evidence, Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};

/// BD002: an inetd/xinetd service on a backdoor port or run from a hiding place.
pub static RULE: Rule = Rule {
    code: "BD002",
    name: "backdoor-port-service",
    kind: Kind::Backdoor,
    outcome: Outcome::Indicator,
    severity: Severity::High,
    title: "An inetd service on a backdoor port or run from a hiding place",
    advice: "Find who added the service and keep the program for analysis; if it is not \
             yours: keep the disk, rebuild (step 5) and (3) change every password.",
    title_ja: "バックドアのポート、または隠し場所のプログラムで動く inetd サービス",
    advice_ja: "誰がサービスを追加したか調べ、プログラムは解析用に保全してください。\
                心当たりがなければディスクを保全し、再構築し（手順 5）、対策 (3) として\
                すべてのパスワードを変更してください。",
    status: RuleStatus::Stable,
    since: "0.2.0",
    source: include_str!("bd002_backdoor_port_service.rs"),
};

/// Where the program lives, when no system service would live there.
/// Where the program lives (in English and Japanese), when no system service would live
/// there.
fn hiding_place(program: &str) -> Option<(&'static str, &'static str)> {
    let path = program.trim_start_matches('/');
    if ["tmp/", "var/tmp/", "dev/", "usr/tmp/"]
        .iter()
        .any(|dir| path.starts_with(dir))
    {
        return Some((
            "a temporary or device directory",
            "一時ディレクトリまたはデバイスのディレクトリ",
        ));
    }
    let mut components: Vec<&str> = path.split('/').collect();
    components.pop();
    components
        .iter()
        .any(|c| c.starts_with('.') && !c.is_empty())
        .then_some(("a hidden directory", "隠しディレクトリ"))
}

fn describe(service: &Service, services: &Services) -> Option<Localized> {
    let program = service.program();
    if is_shell(program) || service.server == "internal" {
        return None;
    }
    let name = &service.name;
    let port = service.resolved_port(services);
    let known = port.and_then(|port| backdoor_port(port).map(|what| (port, what)));
    let hidden = hiding_place(program);
    match (known, hidden) {
        (None, None) => None,
        (Some((port, what)), None) => {
            let Localized {
                en: what,
                ja: what_ja,
            } = what;
            Some(tr!(
                "{name} listens on port {port}, a backdoor port ({what}), and runs {program}",
                "{name} がバックドアのポート {port}（{what_ja}）で待ち受け、{program} を実行\
                 します"
            ))
        }
        (None, Some((place, place_ja))) => Some(tr!(
            "{name} runs {program}, from {place}",
            "{name} が、{place_ja}にある {program} を実行します"
        )),
        (Some((port, what)), Some((place, place_ja))) => {
            let Localized {
                en: what,
                ja: what_ja,
            } = what;
            Some(tr!(
                "{name} listens on port {port}, a backdoor port ({what}), and runs {program} \
                 from {place}",
                "{name} がバックドアのポート {port}（{what_ja}）で待ち受け、{place_ja}にある \
                 {program} を実行します"
            ))
        }
    }
}

/// Runs BD002.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let services = inetd::services(ctx);
    if services.is_empty() {
        return Vec::new();
    }
    let ports = Services::read(ctx);
    services
        .iter()
        .filter_map(|service| describe(service, &ports).map(|title| (service, title)))
        .map(|(service, title)| {
            let mut finding = ctx.finding(&RULE);
            finding.set_title(title);
            finding.subject.path = Some(service.file.clone());
            finding.merge_key = format!("{}:{}", service.file, service.name);
            finding.push_evidence(Evidence::from_line(
                &service.file,
                service.line,
                service.offset,
                &service.text,
                None,
            ));
            finding
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Root;

    fn run(inetd_conf: &str, services: &str) -> Vec<Finding> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("etc")).unwrap();
        std::fs::write(dir.path().join("etc/inetd.conf"), inetd_conf).unwrap();
        std::fs::write(dir.path().join("etc/services"), services).unwrap();
        let root = Root::open(dir.path()).unwrap();
        let mut ctx = Context::new(&root, "victim");
        check(&mut ctx)
    }

    #[test]
    fn backdoor_ports_and_hiding_places_are_found() {
        let found = run(
            "elite stream tcp nowait root /usr/sbin/in.elited in.elited\n\
             printer stream tcp nowait root /usr/lib/.lp/lpd lpd\n\
             12345 stream tcp nowait root /tmp/x x\n\
             shell stream tcp nowait root /bin/sh sh -i\n",
            "elite 31337/tcp\nprinter 515/tcp spooler\n",
        );
        let titles: Vec<&str> = found.iter().map(|f| f.title.as_str()).collect();
        let titles_ja: Vec<&str> = found.iter().map(|f| f.title_ja.as_str()).collect();
        assert_eq!(found.len(), 3, "{titles:#?}");
        assert!(titles[0].contains("port 31337"), "{}", titles[0]);
        assert!(titles[1].contains("hidden directory"), "{}", titles[1]);
        assert!(
            titles[2].contains("port 12345") && titles[2].contains("temporary"),
            "{}",
            titles[2]
        );
        assert_eq!(
            titles_ja[0],
            "elite がバックドアのポート 31337（\"eleet\": Back Orifice の亜種と無数のバインド\
             シェル）で待ち受け、/usr/sbin/in.elited を実行します"
        );
        assert_eq!(
            titles_ja[1],
            "printer が、隠しディレクトリにある /usr/lib/.lp/lpd を実行します"
        );
        assert!(
            titles_ja[2].contains("一時ディレクトリ"),
            "{}",
            titles_ja[2]
        );
    }

    #[test]
    fn ordinary_services_on_ordinary_ports_are_clean() {
        let found = run(
            "ftp stream tcp nowait root /usr/sbin/tcpd in.ftpd -l -a\n\
             ident stream tcp nowait identd /usr/sbin/identd identd\n\
             daytime stream tcp nowait root internal\n\
             swat stream tcp nowait.400 root /usr/sbin/swat swat\n",
            "ftp 21/tcp\nident 113/tcp auth\ndaytime 13/tcp\nswat 901/tcp\n",
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
