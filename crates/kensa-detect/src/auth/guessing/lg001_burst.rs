//! # LG001 password-guessing-burst
//!
//! ## What it finds
//! One source that fails to log in `burst_failures` times (default 8) within
//! `burst_window_seconds` (default 360), over any mix of services: sshd `Failed
//! password`/`Invalid user`, login(1) `FAILED LOGIN`/`LOGIN FAILURES`, ftpd `failed
//! login`, POP/IMAP `Login failed`, su `BAD SU` (for su the source is the local user who
//! ran it, `local:USER`; for a login typed at a terminal of the host itself, with no
//! remote host — the console, a serial line, a line of Solaris's `var/adm/loginlog` —
//! the terminal, `tty:TTY`). su's and login's own logs (`var/adm/sulog`,
//! `var/adm/loginlog`) count like their syslog lines. A line that stands for several failures (`5 LOGIN FAILURES`,
//! `message repeated 10 times`, SunOS `REPEATED LOGIN FAILURES`) counts as that many. The
//! finding covers everything the source did: every account tried, every failure, first to
//! last, not only the burst. The lines are read alike from text logs and from the systemd
//! journal (`var/log/journal`), where today's Debian, Fedora and RHEL hosts keep them.
//! Linux audit logs (`var/log/audit/audit.log*`) count too, one password try once:
//!
//! | audit record | `res=failed` | `res=success` |
//! |---|---|---|
//! | `USER_AUTH` (PAM; RHEL's sshd per method) | 1 failure | a login |
//! | `USER_ERR` (sshd's `PAM:bad_ident`: an invalid user that tried nothing, a probe) | 1 failure | — |
//! | `USER_LOGIN` (sshd, login) | names source and account, counts 0 | a session |
//! | `USER_ACCT` (PAM account check) | refused | — |
//! | `ANOM_LOGIN_FAILURES` (pam_faillock, pam_tally2) | counts 0 | counts 0 |
//!
//! (sshd sends a failed `USER_LOGIN` for every failed method, the client's first `none`
//! probe included, beside PAM's `USER_AUTH` of the same try; fail2ban reads them alike.)
//! A login a host logs both to syslog or the journal and to its audit log counts once.
//!
//! sshd's lines of one connection (one pid) count together: a try that sshd (`Failed
//! password`), PAM (`authentication failure`, `PAM 2 more authentication failures`) and
//! an `Invalid user` announcement all report counts once, and a connection that only
//! announces an account counts as one try. A source whose every line only named
//! accounts (`Invalid user` and the close, `Failed none`) tried no password: that is
//! account probing, LG007, not this rule.
//!
//! The threshold is Wazuh/OSSEC's: 8 failures from one address (sshd 5712/5763/5720,
//! vsftpd 11451, proftpd 11251, pure-ftpd 11306, dovecot 9750, imapd 3651). Their sshd
//! rules use windows of 120 s (5712, 5763) and 360 s (5720, the default timeframe); kensa
//! takes 360 s because login(1), telnetd and su pace a guesser — a sleep after each wrong
//! password, a new connection every three — so a script makes 8 tries in two to five
//! minutes there, where sshd allows 8 in a few seconds.
//!
//! ## Why it matters
//! This is the advisory's "password guessing" attack done by a program: a list of common
//! accounts and passwords thrown at the TELNET, FTP or POP prompt. Each try is a chance;
//! accounts with guessable passwords fall. Check LG005 for whether one did.
//!
//! ## Example
//! ```text
//! Dec 21 01:32:13 shell2 sshd[8731]: Failed password for admin from 198.51.100.251 port 40022 ssh2
//! Dec 21 01:32:14 shell2 sshd[8731]: Failed password for invalid user office from 198.51.100.251 port 40022 ssh2
//! Dec 21 01:32:16 shell2 sshd[8731]: Failed password for nobody from 198.51.100.251 port 40022 ssh2
//! ... (8 or more within 6 minutes)
//! ```
//!
//! ## What to do
//! (3) Check that no account has a guessable password (`kensa passwords`), starting
//! with the accounts listed; (5) look for a login from the source afterwards (LG005) and
//! in wtmp. Block the source; limit which hosts may reach TELNET, FTP and POP (tcp
//! wrappers `hosts.allow`), and prefer services that do not send passwords in clear.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01, "Attacks that were frequent during the year-end holidays" (1997-01-09)
//! - Wazuh ruleset 0095-sshd_rules.xml (5712, 5720, 5763), 0085-pam_rules.xml (5551)
//! - MITRE ATT&CK T1110.001 Brute Force: Password Guessing
//! <!-- ja -->
//! # LG001 password-guessing-burst
//!
//! ## 検出内容
//! 一つの送信元が、`burst_window_seconds`（既定 360 秒）以内に `burst_failures` 回（既定 8 回）
//! ログインに失敗したものを検出します。サービスの組み合わせは問いません: sshd の `Failed
//! password`/`Invalid user`、login(1) の `FAILED LOGIN`/`LOGIN FAILURES`、ftpd の `failed
//! login`、POP/IMAP の `Login failed`、su の `BAD SU`（su では、実行したローカル利用者
//! `local:USER` を、リモートホストのないホスト自身の端末（コンソール、シリアル回線、Solaris の
//! `var/adm/loginlog` の行）で入力されたログインでは、その端末 `tty:TTY` を送信元とします）。
//! su と login が自ら書くログ（`var/adm/sulog`、`var/adm/loginlog`）も syslog の行と同じに数えます。複数回の失敗を表す行（`5 LOGIN FAILURES`、
//! `message repeated 10 times`、SunOS の `REPEATED LOGIN FAILURES`）は、その回数として数えます。
//! 検出結果は集中した部分だけでなく、その送信元が行ったすべて（試したすべてのアカウント、
//! すべての失敗、最初から最後まで）を含みます。行は、テキストのログからも、現在の Debian・
//! Fedora・RHEL のホストが記録を残す systemd のジャーナル（`var/log/journal`）からも同じように
//! 読みます。Linux の監査ログ（`var/log/audit/audit.log*`）も数えます。パスワードの 1 回の試行は
//! 1 回と数えます:
//!
//! | 監査レコード | `res=failed` | `res=success` |
//! |---|---|---|
//! | `USER_AUTH`（PAM。RHEL の sshd は認証方式ごと） | 失敗 1 回 | ログイン |
//! | `USER_ERR`（sshd の `PAM:bad_ident`: 何も試さなかった存在しない利用者。探り） | 失敗 1 回 | — |
//! | `USER_LOGIN`（sshd、login） | 送信元とアカウントを知るのみ（0 回） | セッション |
//! | `USER_ACCT`（PAM のアカウント検査） | 拒否 | — |
//! | `ANOM_LOGIN_FAILURES`（pam_faillock、pam_tally2） | 0 回 | 0 回 |
//!
//! （sshd は失敗した認証方式ごとに、クライアントが最初に試す `none` も含めて、同じ試行の PAM の
//! `USER_AUTH` とは別に失敗の `USER_LOGIN` を送ります。fail2ban も同じように読みます。）
//! syslog やジャーナルと監査ログの両方に記録されたログインは 1 回と数えます。
//!
//! sshd の一つの接続（一つの pid）の行はまとめて数えます。sshd（`Failed password`）、PAM
//! （`authentication failure`、`PAM 2 more authentication failures`）、`Invalid user` の告知の
//! すべてが報告する 1 回の試行は 1 回と数え、アカウント名を告げただけの接続は 1 回の試行と
//! 数えます。すべての行がアカウント名を告げただけ（`Invalid user` と接続の終了、`Failed
//! none`）の送信元はパスワードを試していません。それはアカウントの探索（LG007）で、この規則
//! ではありません。
//!
//! しきい値は Wazuh/OSSEC のもので、一つのアドレスからの 8 回の失敗です（sshd 5712/5763/5720、
//! vsftpd 11451、proftpd 11251、pure-ftpd 11306、dovecot 9750、imapd 3651）。その sshd の規則は
//! 120 秒（5712、5763）と 360 秒（5720、既定の時間枠）の時間枠を使います。kensa が 360 秒を
//! 採るのは、login(1)、telnetd、su が類推の速度を落とすからです。誤ったパスワードのたびに待たされ、
//! 3 回ごとに接続し直しになるため、スクリプトでも 8 回試すのに 2〜5 分かかります。sshd では
//! 数秒で 8 回試せます。
//!
//! ## 重要な理由
//! これはアドバイザリの「パスワード類推」による攻撃をプログラムで行ったものです。よくある
//! アカウント名とパスワードの一覧を TELNET、FTP、POP のプロンプトに次々と投げます。試行の
//! 一つひとつが成功の機会であり、類推されやすいパスワードのアカウントは破られます。
//! 破られたかどうかは LG005 を確認してください。
//!
//! ## 例
//! ```text
//! Dec 21 01:32:13 shell2 sshd[8731]: Failed password for admin from 198.51.100.251 port 40022 ssh2
//! Dec 21 01:32:14 shell2 sshd[8731]: Failed password for invalid user office from 198.51.100.251 port 40022 ssh2
//! Dec 21 01:32:16 shell2 sshd[8731]: Failed password for nobody from 198.51.100.251 port 40022 ssh2
//! ... (8 or more within 6 minutes)
//! ```
//!
//! ## 対処
//! (3) 類推されやすいパスワードのアカウントがないことを、一覧のアカウントから順に確かめて
//! ください（`kensa passwords`）。(5) その送信元からのその後のログインがないか、LG005 と wtmp で
//! 調べてください。送信元を遮断し、TELNET、FTP、POP に接続できるホストを制限し（tcp wrappers の
//! `hosts.allow`）、パスワードを平文で送らないサービスを使ってください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01「年末年始休暇中に多発したアタックについて」(1997-01-09)
//! - Wazuh ruleset 0095-sshd_rules.xml (5712, 5720, 5763)、0085-pam_rules.xml (5551)
//! - MITRE ATT&CK T1110.001 Brute Force: Password Guessing

use super::state::SourceState;
use super::{GuessingConfig, source_finding};
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// LG001: many failed logins from one source within minutes.
pub static RULE: Rule = Rule {
    code: "LG001",
    name: "password-guessing-burst",
    kind: Kind::PasswordGuessing,
    outcome: Outcome::Attempted,
    severity: Severity::High,
    title: "Burst of failed logins from one source (password guessing)",
    advice: "(3) Make sure no account has a guessable password, starting with those tried; \
             (5) check whether the source logged in afterwards (LG005, wtmp). Block the \
             source and restrict who may reach TELNET, FTP and POP.",
    status: RuleStatus::Stable,
    title_ja: "一つの送信元からの短時間に集中したログイン失敗（パスワード類推）",
    advice_ja: "(3) 類推されやすいパスワードのアカウントがないことを、試されたアカウントから順\
             に確かめてください。(5) その送信元がその後ログインしていないか調べてください\
             （LG005、wtmp）。送信元を遮断し、TELNET、FTP、POP に接続できる相手を制限してくだ\
             さい。",
    since: "0.1.0",
    source: include_str!("lg001_burst.rs"),
};

/// The finding for a source that made a burst.
pub(crate) fn finding(state: &SourceState, config: &GuessingConfig) -> Finding {
    let peak = state.burst.map_or(0, |b| b.peak);
    let [
        (services_en, services_ja),
        (source_en, source_ja),
        (accounts_en, accounts_ja),
        (span_en, span_ja),
    ] = super::source_pieces(state);
    let failures = state.failures();
    let window = config.burst_window_seconds;
    let title = tr!(
        "Password-guessing burst over {services_en} from {source_en}: {failures} failed logins \
         against {accounts_en} in {span_en} (up to {peak} within {window} s)",
        "{source_ja} から {services_ja} でのパスワード類推の集中: {span_ja}の間に{accounts_ja}\
         に対してログイン失敗 {failures} 回（{window} 秒以内に最大 {peak} 回）",
    );
    source_finding(&RULE, state, title, &[])
}
