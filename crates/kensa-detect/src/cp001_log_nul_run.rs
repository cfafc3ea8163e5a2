//! # CP001 — NUL bytes in a log file
//!
//! **What it finds.** Runs of NUL (zero) bytes inside a text log file, with the line
//! where each run starts and its length.
//!
//! **Why it matters.** Log wipers of the lrk/zap family and careless editing overwrite
//! the lines that show an intrusion with zeros in place, so the file keeps its size and
//! its neighbours look untouched. The advisory's step 5 warns that an intruder who broke
//! the administrator's password may have altered the logs. A crash of the machine while
//! syslogd was writing can also leave NULs (the filesystem extended the file but the data
//! never landed), so a run right before a reboot message is less suspicious than one in
//! the middle of a busy day.
//!
//! **Example.** `var/log/auth.log:84124: <355 NUL bytes>` followed, on the same line, by
//! the next intact line.
//!
//! **What to do.** Compare the gap with other copies of the same log (a central loghost,
//! the mail log next to the syslog) and with wtmp; if no crash explains it, treat the
//! host as compromised: intrusion cannot be ruled out (countermeasure (5): rebuild from
//! trusted media and change every password).
//!
//! **References.** JPCERT-E-INF-97-0001 step 5; chkrootkit `chkwtmp`/`chklastlog` for the
//! same idea applied to login records.
//! <!-- ja -->
//! # CP001 — NUL bytes in a log file
//!
//! **検出内容** テキストのログファイルの中にある NUL（ゼロ）バイトの連続を、それぞれの連続が
//! 始まる行と長さとともに検出します。
//!
//! **重要な理由** lrk/zap 系のログ消去ツールや不注意な編集は、侵入を示す行をその場でゼロで
//! 上書きします。そのためファイルの大きさは変わらず、前後の行は手付かずに見えます。アドバイザリの
//! 対策 (5) は、管理者のパスワードを破った侵入者がログを改ざんしている場合があると警告して
//! います。syslogd の書き込み中にマシンが異常停止した場合にも NUL が残ることがあります
//! （ファイルシステムがファイルを伸ばしたものの、データが書かれなかった場合）。再起動の
//! メッセージの直前にある連続は、忙しい日中の途中にある連続よりも疑わしくありません。
//!
//! **例** `var/log/auth.log:84124: <355 NUL bytes>` の後に、同じ行で次の無傷の行が続きます。
//!
//! **対処** 欠けた部分を同じログの他の写し（集中ログホスト、syslog と並ぶメールログ）や wtmp と
//! 比べてください。異常停止で説明できない場合は、ホストが侵害されたものとして扱ってください:
//! 不正侵入の可能性を否定できません（対策 (5): 信頼できる媒体からシステムを再構築し、全ユーザの
//! パスワードを変更します）。
//!
//! **参考** JPCERT-E-INF-97-0001 の対策 (5)。同じ考え方をログイン記録に適用したものとして
//! chkrootkit の `chkwtmp`/`chklastlog`。

use kensa_core::{Evidence, Finding, Kind, Outcome, Rule, RuleStatus, Severity, Subject};

/// The rule.
pub static RULE: Rule = Rule {
    code: "CP001",
    name: "log-nul-run",
    kind: Kind::LogTampering,
    outcome: Outcome::Indicator,
    severity: Severity::Medium,
    title: "NUL bytes in a log file (possible log wiping)",
    advice: "Compare the gap with other copies of the log and with wtmp; unless a crash explains it, \
             intrusion cannot be ruled out: rebuild from trusted media and change every password \
             (advisory countermeasures (3) and (5)).",
    status: RuleStatus::Stable,
    title_ja: "ログファイル中の NUL バイト（ログ消去の可能性）",
    advice_ja: "欠けた部分をログの他の写しや wtmp と比べてください。システムの異常停止で説明で\
             きなければ不正侵入の可能性を否定できません: 信頼できる媒体からシステムを再構築\
             し、全ユーザのパスワードを変更してください（アドバイザリの対策 (3) と (5)）。",
    since: "0.1.0",
    source: include_str!("cp001_log_nul_run.rs"),
};

/// One finding per file, with one evidence entry per NUL run.
pub fn finding(host: &str, file: &str, runs: Vec<Evidence>) -> Finding {
    let mut finding = Finding::new(&RULE, host);
    finding.subject = Subject {
        path: Some(file.to_string()),
        ..Subject::default()
    };
    finding.count = runs.len() as u64;
    finding.merge_key = file.to_string();
    for run in runs {
        finding.push_evidence(run);
    }
    finding
}
