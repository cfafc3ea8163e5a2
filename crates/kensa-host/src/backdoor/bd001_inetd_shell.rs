//! # BD001 inetd-shell
//!
//! ## What it finds
//! A service in `inetd.conf` (`etc/inetd.conf`, Solaris `etc/inet/inetd.conf`) or in
//! xinetd (`etc/xinetd.conf`, `etc/xinetd.d/*`) whose program is a command interpreter —
//! `sh`, `bash`, `csh`, `ksh`, `perl`, `python`, ... — directly or behind `tcpd`. Anyone
//! who connects to that port gets a shell as the service's user, with no password:
//!
//! ```text
//! ingreslock stream tcp nowait root /bin/sh sh -i
//! ```
//!
//! Disabled xinetd services (`disable = yes`) and comment lines are not reported.
//!
//! ## Why it matters
//! This line is the best-known backdoor of the 1990s: intruders appended it to
//! `inetd.conf` (often through an exploited service, then `kill -HUP` of inetd) and came
//! back with `telnet host 1524`. No administrator configures a shell on a port.
//!
//! ## Example
//! ```text
//! etc/inetd.conf:41: ingreslock stream tcp nowait root /bin/sh sh -i
//! ```
//!
//! ## What to do
//! The host was broken into: keep the disk as evidence, rebuild it from trusted media
//! (the advisory's step 5) and (3) change every password that was on it. Removing the
//! line only closes this door.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001 step 5 (rebuild after an intrusion)
//! - CERT Incident Note IN-99-04 (root shells bound to `ingreslock`), inetd.conf(5),
//!   xinetd.conf(5)
//! <!-- ja -->
//! # BD001 inetd-shell
//!
//! ## 検出内容
//! `inetd.conf`（`etc/inetd.conf`、Solaris の `etc/inet/inetd.conf`）または xinetd
//! （`etc/xinetd.conf`、`etc/xinetd.d/*`）に、プログラムがコマンドインタプリタ（`sh`、
//! `bash`、`csh`、`ksh`、`perl`、`python` など。`tcpd` 経由を含む）であるサービスが
//! 登録されていることを検出します。そのポートに接続した者は誰でも、パスワードなしで
//! サービスの実行ユーザーのシェルを得ます。
//!
//! ```text
//! ingreslock stream tcp nowait root /bin/sh sh -i
//! ```
//!
//! 無効化された xinetd サービス（`disable = yes`）とコメント行は報告しません。
//!
//! ## 重要な理由
//! この行は 1990 年代で最もよく知られたバックドアです。侵入者は（攻撃したサービス経由で）
//! `inetd.conf` にこの行を追記して inetd に `kill -HUP` を送り、後から
//! `telnet host 1524` で戻ってきました。管理者がポートにシェルを割り当てることはありません。
//!
//! ## 例
//! ```text
//! etc/inetd.conf:41: ingreslock stream tcp nowait root /bin/sh sh -i
//! ```
//!
//! ## 対処
//! このホストは侵入されています。ディスクを証拠として保全し、信頼できるメディアから
//! システムを再構築してください（勧告の手順 5）。また対策 (3) として、このホストにあった
//! すべてのパスワードを変更してください。この行を削除しても、この裏口が閉じるだけです。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001 手順 5（侵入後の再構築）
//! - CERT Incident Note IN-99-04（`ingreslock` に割り当てられた root シェル）、
//!   inetd.conf(5)、xinetd.conf(5)

use super::inetd::{self, Services};
use super::{backdoor_port, is_shell};
use crate::Context;
use kensa_core::{Evidence, Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// BD001: a shell bound to a port by inetd or xinetd.
pub static RULE: Rule = Rule {
    code: "BD001",
    name: "inetd-shell",
    kind: Kind::Backdoor,
    outcome: Outcome::Indicator,
    severity: Severity::Critical,
    title: "A shell is bound to a network port by inetd",
    advice: "Intrusion: keep the disk, rebuild from trusted media (step 5) and (3) change \
             every password that was on the host; removing the line only closes this door.",
    title_ja: "inetd によりシェルがネットワークポートに割り当てられています",
    advice_ja: "侵入の痕跡です。ディスクを保全し、信頼できるメディアから再構築し（手順 5）、\
                対策 (3) としてこのホストにあったすべてのパスワードを変更してください。\
                この行を削除しても、この裏口が閉じるだけです。",
    status: RuleStatus::Stable,
    since: "0.2.0",
    source: include_str!("bd001_inetd_shell.rs"),
};

/// Runs BD001.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let services = inetd::services(ctx);
    if services.is_empty() {
        return Vec::new();
    }
    let ports = Services::read(ctx);
    services
        .iter()
        .filter(|service| is_shell(service.program()))
        .map(|service| {
            let port = service.resolved_port(&ports);
            let mut finding = ctx.finding(&RULE);
            let (name, program, protocol) = (&service.name, service.program(), &service.protocol);
            finding.set_title(match port {
                Some(port) => {
                    let user = if service.user.is_empty() {
                        "root"
                    } else {
                        &service.user
                    };
                    let (known, known_ja) = if backdoor_port(port).is_some() {
                        (
                            " (a backdoor port of record)",
                            "（既知のバックドアのポート）",
                        )
                    } else {
                        ("", "")
                    };
                    tr!(
                        "{name} runs {program} as {user} for anyone connecting to port \
                         {port}/{protocol}{known}",
                        "{name} は、ポート {port}/{protocol} に接続した誰にでも {user} の権限で \
                         {program} を実行させます{known_ja}"
                    )
                }
                None => tr!(
                    "{name} runs {program} for anyone connecting to its port",
                    "{name} は、そのポートに接続した誰にでも {program} を実行させます"
                ),
            });
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

    fn run(files: &[(&str, &str)]) -> Vec<Finding> {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let root = Root::open(dir.path()).unwrap();
        let mut ctx = Context::new(&root, "victim");
        check(&mut ctx)
    }

    #[test]
    fn the_ingreslock_shell_is_found_with_its_line() {
        let found = run(&[
            (
                "etc/inetd.conf",
                "ftp stream tcp nowait root /usr/sbin/tcpd in.ftpd -l\n\
                 shell stream tcp nowait root /usr/sbin/tcpd in.rshd\n\
                 ingreslock stream tcp nowait root /bin/sh sh -i\n",
            ),
            ("etc/services", "ingreslock 1524/tcp\n"),
        ]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].title.contains("port 1524/tcp"),
            "{}",
            found[0].title
        );
        assert_eq!(
            found[0].title_ja,
            "ingreslock は、ポート 1524/tcp に接続した誰にでも root の権限で /bin/sh を実行\
             させます（既知のバックドアのポート）"
        );
        assert_eq!(found[0].evidence[0].line, 3);
        assert_eq!(found[0].severity, Severity::Critical);
    }

    #[test]
    fn shells_behind_tcpd_and_in_xinetd_are_found_disabled_ones_not() {
        let found = run(&[
            (
                "etc/inetd.conf",
                "31337 stream tcp nowait root /usr/sbin/tcpd /bin/bash -i\n",
            ),
            ("etc/xinetd.conf", "includedir /etc/xinetd.d\n"),
            (
                "etc/xinetd.d/backup",
                "service backup\n{\n  port = 5555\n  server = /usr/bin/perl\n  disable = no\n}\n",
            ),
            (
                "etc/xinetd.d/old",
                "service old\n{\n  server = /bin/sh\n  disable = yes\n}\n",
            ),
            // xinetd ignores names with a dot: a package's backup copy is not a service.
            (
                "etc/xinetd.d/backup.dpkg-old",
                "service x\n{\n  server = /bin/sh\n}\n",
            ),
        ]);
        let names: Vec<&str> = found.iter().map(|f| f.merge_key.as_str()).collect();
        assert_eq!(
            names,
            ["etc/inetd.conf:31337", "etc/xinetd.d/backup:backup"],
            "{found:#?}"
        );
    }

    #[test]
    fn an_ordinary_inetd_conf_is_clean() {
        let found = run(&[(
            "etc/inetd.conf",
            "# shell stream tcp nowait root /bin/sh sh -i\n\
             shell stream tcp nowait root /usr/etc/in.rshd in.rshd\n\
             login stream tcp nowait root /usr/etc/in.rlogind in.rlogind\n\
             finger stream tcp nowait nobody /usr/etc/in.fingerd in.fingerd\n\
             echo stream tcp nowait root internal\n",
        )]);
        assert!(found.is_empty(), "{found:#?}");
    }
}
