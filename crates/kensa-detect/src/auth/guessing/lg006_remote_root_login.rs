//! # LG006 remote-root-login
//!
//! ## What it finds
//! A successful login as `root` from another host: sshd `Accepted ... for root from`,
//! login(1) `ROOT LOGIN ... FROM`, `LOGIN ON ttyp0 BY root FROM`, ftpd `FTP LOGIN FROM
//! ... root`, a wtmp record of root with a remote host. One finding per source, counting
//! its root logins. Loopback addresses, su/sudo (which need a local account first) and
//! sources in `trusted_networks` are left out.
//!
//! This is an *exposure* (medium): the host lets root log in over the network, which by
//! itself says nothing of who did it. When the same source first failed to log in, LG005
//! reports the compromise at critical severity.
//!
//! ## Why it matters
//! Over TELNET, rlogin and FTP the root password crosses the network in clear; anyone on
//! the path can reuse it. A root login from outside leaves no trace of *who* it was,
//! unlike `su` from a named account. Accepting root logins remotely also gives password
//! guessers (LG001) their most valuable target.
//!
//! ## Example
//! ```text
//! Jan  3 07:20:11 ns1 login: ROOT LOGIN ttyp2 FROM 192.0.2.110
//! Jan  8 10:50:02 shell2 sshd[4411]: Accepted password for root from 198.51.100.190 port 40555 ssh2
//! ```
//!
//! ## What to do
//! Confirm each login with whoever holds the root password. Allow root only on the
//! console (`/etc/default/login` `CONSOLE=/dev/console` on SunOS, `/etc/securetty` on
//! Linux and BSD, sshd `PermitRootLogin no`, root in `/etc/ftpusers`); administrators log
//! in as themselves and `su`. If a login is unexplained, treat the host as compromised
//! (5).
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 5: check the logs of access from outside)
//! - Wazuh ruleset 0020-syslog_rules.xml (2504 ROOT LOGIN REFUSED), 0090-telnetd_rules.xml
//! <!-- ja -->
//! # LG006 remote-root-login
//!
//! ## 検出内容
//! 他のホストからの `root` としてのログインの成功です: sshd の `Accepted ... for root from`、
//! login(1) の `ROOT LOGIN ... FROM`、`LOGIN ON ttyp0 BY root FROM`、ftpd の `FTP LOGIN FROM
//! ... root`、リモートホストを記録した root の wtmp レコード。送信元ごとに一つの検出とし、その
//! root ログインの回数を数えます。ループバックアドレス、su/sudo（先にローカルのアカウントが
//! 必要です）、`trusted_networks` の送信元は対象外です。
//!
//! これは *露出*（重大度「中」）です。ホストがネットワーク越しの root ログインを許していることを
//! 示しますが、それだけでは誰がログインしたかはわかりません。同じ送信元が先にログインに
//! 失敗していれば、LG005 が侵害として重大度「緊急」で報告します。
//!
//! ## 重要な理由
//! TELNET、rlogin、FTP では root のパスワードが平文でネットワークを流れ、経路上の誰もがそれを
//! 再利用できます。外部からの root ログインは、名前のあるアカウントからの `su` と違って、
//! *誰が* ログインしたかの痕跡を残しません。リモートからの root ログインを受け付けることは、
//! パスワード類推（LG001）に最も価値のある標的を与えることにもなります。
//!
//! ## 例
//! ```text
//! Jan  3 07:20:11 ns1 login: ROOT LOGIN ttyp2 FROM 192.0.2.110
//! Jan  8 10:50:02 shell2 sshd[4411]: Accepted password for root from 198.51.100.190 port 40555 ssh2
//! ```
//!
//! ## 対処
//! 各ログインを、root のパスワードを知っている人に確認してください。root のログインはコンソール
//! だけに許可します（SunOS では `/etc/default/login` の `CONSOLE=/dev/console`、Linux と BSD では
//! `/etc/securetty`、sshd では `PermitRootLogin no`、`/etc/ftpusers` に root を記載）。管理者は
//! 自分のアカウントでログインしてから `su` します。説明のつかないログインがあれば、ホストは
//! 侵害されたものとして扱ってください (5)。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 (5): 外部からのアクセスログの確認）
//! - Wazuh ruleset 0020-syslog_rules.xml (2504 ROOT LOGIN REFUSED)、0090-telnetd_rules.xml

use super::state::SourceState;
use super::{services_text, source_text};
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// LG006: root logged in from another host.
pub static RULE: Rule = Rule {
    code: "LG006",
    name: "remote-root-login",
    kind: Kind::RemoteRootLogin,
    outcome: Outcome::Exposure,
    severity: Severity::Medium,
    title: "root logged in from another host",
    advice: "Confirm each login with whoever holds the root password; allow root only on the \
             console (securetty, PermitRootLogin no, root in /etc/ftpusers). If a login is \
             unexplained, (5) treat the host as compromised.",
    status: RuleStatus::Stable,
    title_ja: "他のホストから root でログイン",
    advice_ja: "各ログインを root のパスワードを知っている人に確認してください。root のログイ\
             ンはコンソールだけに許可してください（securetty、PermitRootLogin no、\
             /etc/ftpusers に root）。説明のつかないログインがあれば、(5) ホストは侵害されたも\
             のとして扱ってください。",
    since: "0.1.0",
    source: include_str!("lg006_remote_root_login.rs"),
};

/// The finding for a source root logged in from.
pub(crate) fn finding(state: &SourceState) -> Finding {
    let mut finding = Finding::new(&RULE, state.host.as_ref());
    let logins = state.root_logins;
    let (times_en, times_ja) = kensa_core::Localized::into_parts(if logins == 1 {
        tr!("once", "1 回")
    } else {
        tr!("{logins} times", "{logins} 回")
    });
    let (services_en, services_ja) =
        kensa_core::Localized::into_parts(services_text(&state.root_services));
    let (source_en, source_ja) = kensa_core::Localized::into_parts(source_text(&state.source));
    finding.set_title(tr!(
        "root logged in over {services_en} from {source_en} ({times_en})",
        "{source_ja} から {services_ja} で root がログイン（{times_ja}）",
    ));
    finding.subject.source = Some(state.source.to_string());
    finding.subject.users = vec!["root".to_string()];
    finding.count = state.root_logins;
    finding.first_seen = state.root_first;
    finding.last_seen = state.root_last;
    for line in &state.root_lines {
        finding.push_evidence(line.clone());
    }
    finding.merge_key = format!("{}|{}|{}", RULE.code, state.host, state.source);
    finding
}
