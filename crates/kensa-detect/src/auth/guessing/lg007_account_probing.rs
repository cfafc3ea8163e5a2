//! # LG007 account-probing
//!
//! ## What it finds
//! One source naming many accounts (or one account many times) without ever trying a
//! password: every failure line from it is a *probe* — sshd's `Invalid user U from A`
//! with nothing after it but the close of the connection, `Failed none for …` (a client
//! asking whether the account needs a password at all), the audit log's
//! `op=PAM:bad_ident`. It applies the thresholds of LG001 (burst), LG002 (slow) and
//! LG004 (many accounts) to the probes; a source that also tried a password is reported
//! by those rules instead, with its probes among its tries.
//!
//! ## Why it matters
//! Scanners find out which account names exist before they guess: sshd answers an
//! unknown account differently in time and in what it offers, and a list of real names
//! makes the guessing that follows far more likely to work. fail2ban, OSSEC/Wazuh,
//! CrowdSec and sshguard all count `Invalid user` lines. The accounts named also say
//! what the attacker expects to find (`oracle`, `git`, `pi`: services it targets).
//!
//! ## Example
//! ```text
//! Dec  7 08:31:59 vm sshd[21852]: Invalid user enum31 from 127.0.0.11 port 52411
//! Dec  7 08:31:59 vm sshd[21852]: Connection closed by invalid user enum31 127.0.0.11 port 52411 [preauth]
//! Dec  7 08:31:59 vm sshd[21856]: Invalid user enum32 from 127.0.0.11 port 40367
//! Dec  7 08:31:59 vm sshd[21856]: Connection closed by invalid user enum32 127.0.0.11 port 40367 [preauth]
//! ... (8 or more within 6 minutes, or 5 or more accounts)
//! ```
//!
//! ## What to do
//! Block the source; make sure none of the accounts named exists with a guessable
//! password (`kensa passwords`), and watch for the guessing that often follows (LG001,
//! LG005). Where sshd need not be reachable from everywhere, restrict it (`AllowUsers`,
//! a firewall, tcp wrappers).
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01
//! - MITRE ATT&CK T1087 Account Discovery, T1110 Brute Force
//! - Wazuh ruleset 0095-sshd_rules.xml (5710 "Attempt to login using a non-existent
//!   user"), fail2ban `filter.d/sshd.conf`
//! <!-- ja -->
//! # LG007 account-probing
//!
//! ## 検出内容
//! 一つの送信元が、パスワードを一度も試さずに多数のアカウント名を（または一つのアカウント名を
//! 何度も）試したものを検出します。その送信元からの失敗の行がすべて「探り」であるもの、つまり
//! sshd の `Invalid user U from A` のあとに接続の終了しか続かないもの、`Failed none for …`
//! （そのアカウントにパスワードが要るかどうかを尋ねるクライアント）、監査ログの
//! `op=PAM:bad_ident` です。探りの回数に LG001（集中）、LG002（時間をかけたもの）、LG004
//! （多数のアカウント）のしきい値を当てはめます。パスワードも試した送信元は、それらの規則が
//! 探りも試行に含めて報告します。
//!
//! ## 重要な理由
//! スキャナは類推の前に、どのアカウント名が存在するかを調べます。実在する名前の一覧があれば、
//! そのあとの類推ははるかに成功しやすくなります。fail2ban、OSSEC/Wazuh、CrowdSec、sshguard は
//! いずれも `Invalid user` の行を数えます。試された名前からは、攻撃者が何を見つけようとして
//! いるか（`oracle`、`git`、`pi` など狙うサービス）もわかります。
//!
//! ## 例
//! ```text
//! Dec  7 08:31:59 vm sshd[21852]: Invalid user enum31 from 127.0.0.11 port 52411
//! Dec  7 08:31:59 vm sshd[21852]: Connection closed by invalid user enum31 127.0.0.11 port 52411 [preauth]
//! Dec  7 08:31:59 vm sshd[21856]: Invalid user enum32 from 127.0.0.11 port 40367
//! Dec  7 08:31:59 vm sshd[21856]: Connection closed by invalid user enum32 127.0.0.11 port 40367 [preauth]
//! ... (8 or more within 6 minutes, or 5 or more accounts)
//! ```
//!
//! ## 対処
//! 送信元を遮断し、試された名前のアカウントが類推されやすいパスワードで存在しないことを
//! 確かめてください（`kensa passwords`）。そのあとに続くことの多い類推（LG001、LG005）に注意
//! してください。sshd がどこからでも接続できる必要がないなら、制限してください（`AllowUsers`、
//! ファイアウォール、tcp wrappers）。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01
//! - MITRE ATT&CK T1087 Account Discovery、T1110 Brute Force
//! - Wazuh ruleset 0095-sshd_rules.xml (5710)、fail2ban `filter.d/sshd.conf`

use super::source_finding;
use super::state::SourceState;
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// LG007: accounts named, no password tried.
pub static RULE: Rule = Rule {
    code: "LG007",
    name: "account-probing",
    kind: Kind::AccountProbing,
    outcome: Outcome::Attempted,
    severity: Severity::Medium,
    title: "Account probing: one source named accounts without trying a password",
    advice: "Block the source; make sure none of the accounts named has a guessable \
             password (kensa passwords) and watch for guessing that follows (LG001, LG005).",
    status: RuleStatus::Stable,
    title_ja: "アカウントの探索: 一つの送信元がパスワードを試さずにアカウント名を試行",
    advice_ja: "送信元を遮断し、試された名前のアカウントに類推されやすいパスワードがないことを\
             確かめてください（kensa passwords）。そのあとに続く類推（LG001、LG005）に注意し\
             てください。",
    since: "0.1.0",
    source: include_str!("lg007_account_probing.rs"),
};

/// The finding for a source whose failures were all probes.
pub(crate) fn finding(state: &SourceState) -> Finding {
    let [
        (services_en, services_ja),
        (source_en, source_ja),
        (accounts_en, accounts_ja),
        (span_en, span_ja),
    ] = super::source_pieces(state);
    let probes = state.failures();
    let title = tr!(
        "Account probing over {services_en} from {source_en}: {accounts_en} named in \
         {probes} probes over {span_en}, no password tried",
        "{source_ja} から {services_ja} でのアカウントの探索: {span_ja}の間に{accounts_ja}\
         を {probes} 回試行し、パスワードは試していません",
    );
    source_finding(&RULE, state, title, &[])
}
