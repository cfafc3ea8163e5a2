//! # ST001 — A log file changed behind kensa's back
//!
//! **What it finds.** Between two incremental runs (`--state`, `kensa watch`), a log file
//! that was cut shorter than what kensa had already read while its first bytes stayed
//! the same, whose lines just before the point read were rewritten, or whose content
//! vanished: the live file now starts differently (or is gone) and no file of its rotation
//! set — renamed, compressed or copied by logrotate — holds what it held. Login records
//! (wtmp, btmp) too: the same file (same inode) smaller than at the last run lost records,
//! whereas rotation gives wtmp a new file (the wtmpdb database, which may be vacuumed, is
//! not judged).
//!
//! **Why it matters.** Log files only grow, and logrotate moves them whole: renamed
//! (`syslog` → `syslog.1` → `syslog.2.gz`) or copied before truncation (`copytruncate`),
//! all of which kensa recognises by the first bytes of each file. An intruder who deletes
//! the lines that show the break-in (`sed -i`, an editor, a log wiper that truncates) leaves
//! exactly what this rule looks for. The advisory's step 5 warns that logs on a
//! compromised host may have been altered.
//!
//! **Example.** `var/log/auth.log: 18220 bytes now, 40960 already read, and its first
//! bytes are unchanged: lines were removed`.
//!
//! **What to do.** Compare the log with a copy kept elsewhere (a central loghost, a
//! backup) and with wtmp; look at who logged in around the file's change time (`stat`).
//! Unless a rotation kensa cannot know about explains it (`copytruncate` without keeping
//! the copy, an administrator who emptied the file), treat the host as compromised:
//! rebuild it from trusted media and change every password.
//!
//! **References.** JPCERT-E-INF-97-0001 step 5; logrotate(8) `create`, `copytruncate`;
//! chkrootkit `chkwtmp` for the same idea applied to login records.
//!
//! <!-- ja -->
//! # ST001 — A log file changed behind kensa's back
//!
//! **検出するもの.** 差分実行（`--state`、`kensa watch`）の間に、先頭のバイトは同じ
//! まま kensa が読み終えた位置より短くなったログファイル、読み終えた位置の直前の行が
//! 書き換えられたログファイル、または内容が消えたログファイル（現在のファイルの先頭が
//! 変わった、あるいはファイルがなくなり、ローテーションで改名・圧縮・コピーされた
//! どのファイルにも元の内容がない）を報告します。ログイン記録（wtmp、btmp）も対象です。
//! 同じファイル（同じ inode）が前回より小さくなっていればレコードが消されています。
//! ローテーションでは wtmp は新しいファイルになります（VACUUM されうる wtmpdb の
//! データベースは判定しません）。
//!
//! **なぜ重要か.** ログファイルは伸びるだけで、logrotate はファイルを丸ごと移します
//! （`syslog` → `syslog.1` → `syslog.2.gz` の改名、または切り詰め前のコピー
//! `copytruncate`）。kensa はこれらを各ファイルの先頭バイトで見分けます。侵入の跡を
//! 示す行を消した侵入者（`sed -i`、エディタ、切り詰めるログ消去ツール）は、まさに
//! この規則が探す痕跡を残します。勧告の手順 5 は、侵入されたホストのログは改ざん
//! されているかもしれないと警告しています。
//!
//! **例.** `var/log/auth.log: 18220 bytes now, 40960 already read, and its first
//! bytes are unchanged: lines were removed`
//!
//! **対処.** ログを別の場所にある写し（集中ログサーバ、バックアップ）や wtmp と比べ、
//! ファイルの変更時刻（`stat`）の前後に誰がログインしていたかを調べてください。
//! kensa の知り得ないローテーション（写しを残さない `copytruncate`、管理者がファイルを
//! 空にした等）で説明できない限り、侵入されたものとして扱い、信頼できる媒体から
//! 再構築し、すべてのパスワードを変更してください。
//!
//! **参考.** JPCERT-E-INF-97-0001 手順 5、logrotate(8) の `create` と `copytruncate`、
//! 同じ考え方をログイン記録に当てはめた chkrootkit の `chkwtmp`。

use kensa_core::{
    Evidence, Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, Subject, tr,
};

/// The rule.
pub static RULE: Rule = Rule {
    code: "ST001",
    name: "log-file-tampered",
    kind: Kind::LogTampering,
    outcome: Outcome::Indicator,
    severity: Severity::High,
    title: "A log file was cut, rewritten or removed between runs",
    advice: "Compare the log with a copy kept elsewhere and with wtmp; unless a rotation explains \
             it, treat the host as compromised: rebuild from trusted media and change every \
             password (advisory countermeasure (5)).",
    title_ja: "ログファイルが実行の間に切り詰め・書き換え・削除された",
    advice_ja: "ログを別の場所の写しや wtmp と比べてください。ローテーションで説明できない限り、\
                侵入されたものとして扱い、信頼できる媒体から再構築し、すべてのパスワードを変更して\
                ください（勧告の対策 (5)）。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("st001_log_file_tampered.rs"),
};

/// A finding about `file` (as shown to users): `what` says what changed (in the title,
/// in both languages, and in English as the evidence), `offset` is where kensa had read
/// to.
pub fn finding(host: &str, file: &str, what: Localized, offset: u64, identity: &str) -> Finding {
    let mut finding = Finding::new(&RULE, host);
    let Localized {
        en: what,
        ja: what_ja,
    } = what;
    finding.set_title(tr!("{file}: {what}", "{file}: {what_ja}"));
    finding.subject = Subject {
        path: Some(file.to_string()),
        ..Subject::default()
    };
    finding.count = 1;
    finding.merge_key = format!("{file}|{identity}|{offset}");
    finding.push_evidence(Evidence {
        text_ja: None,
        file: file.to_string(),
        line: 0,
        offset,
        text: what,
        raw_hex: None,
        time: None,
        journal: None,
    });
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_has_both_languages() {
        assert!(RULE.doc().contains("What it finds"));
        assert!(RULE.doc_ja().is_some_and(|ja| ja.contains("検出するもの")));
        let f = finding("h", "var/log/syslog", tr!("cut", "切り詰め"), 10, "1:2");
        assert_eq!(f.code, "ST001");
        assert_eq!(f.title, "var/log/syslog: cut");
        assert_eq!(f.title_ja, "var/log/syslog: 切り詰め");
        assert_eq!(f.evidence[0].text, "cut");
        assert_eq!(f.subject.path.as_deref(), Some("var/log/syslog"));
        assert_eq!(f.evidence[0].offset, 10);
    }
}
