//! # TR003 program-alias
//!
//! ## What it finds
//! Mail aliases (in `etc/aliases`, `etc/mail/aliases`, `usr/lib/aliases`) that deliver
//! to a program: `decode: "|/usr/bin/uudecode"` and aliases piping into a shell are high
//! severity; other program aliases (vacation, list managers) are listed at low severity
//! so that someone confirms each one is wanted.
//!
//! ## Why it matters
//! Anyone on the Internet can send mail to an alias. The `decode` alias, shipped by
//! many vendors, runs uudecode as the mail daemon's user on whatever arrives: a
//! uuencoded file names its own destination, so a stranger writes `~bin/.rhosts` or any
//! file the daemon can write. A shell alias runs the sender's text as commands. These
//! are the same holes the advisory's sendmail attack used, open by configuration.
//!
//! ## Example
//! ```text
//! etc/aliases:22: decode: "|/usr/bin/uudecode"
//! ```
//!
//! ## What to do
//! Remove the `decode` alias and any alias that pipes into a shell, run `newaliases`,
//! and (1) keep sendmail current (8.8.4 or later at the time of the advisory). Check
//! that each remaining program alias is wanted.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01, countermeasure (1)
//! - CERT Advisory CA-95:05 and CERT's UNIX configuration guidelines (decode alias)
//! <!-- ja -->
//! # TR003 program-alias
//!
//! ## 検出内容
//! プログラムへ配送するメールのエイリアス（`etc/aliases`、`etc/mail/aliases`、`usr/lib/aliases`）
//! を検出します。`decode: "|/usr/bin/uudecode"` とシェルへパイプするエイリアスは重大度「高」、
//! それ以外のプログラムのエイリアス（vacation、メーリングリスト管理）は、それぞれが必要なものか
//! 誰かが確認できるように重大度「低」で列挙します。
//!
//! ## 重要な理由
//! インターネット上の誰もが、エイリアス宛てにメールを送れます。多くのベンダーが同梱していた
//! `decode` エイリアスは、届いたものが何であれ、メールデーモンの利用者として uudecode を
//! 実行します。uuencode されたファイルは自分の書き込み先を自分で指定するので、見知らぬ者が
//! `~bin/.rhosts` など、デーモンが書き込めるどのファイルにでも書き込めます。シェルの
//! エイリアスは、送信者の文字列をコマンドとして実行します。これらは、アドバイザリの sendmail
//! への攻撃が使ったのと同じセキュリティホールが、設定によって開いているものです。
//!
//! ## 例
//! ```text
//! etc/aliases:22: decode: "|/usr/bin/uudecode"
//! ```
//!
//! ## 対処
//! `decode` エイリアスとシェルへパイプするすべてのエイリアスを削除して `newaliases` を実行し、
//! (1) Sendmail を最新の版に保ってください（アドバイザリ当時は 8.8.4 以降）。残るプログラムの
//! エイリアスがそれぞれ必要なものか確認してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01、対策 (1)
//! - CERT Advisory CA-95:05 と CERT の UNIX 設定の手引き（decode エイリアス）

use crate::Context;
use crate::accounts::MAX_EVIDENCE;
use kensa_core::{Evidence, Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// TR003: a mail alias that runs a program.
pub static RULE: Rule = Rule {
    code: "TR003",
    name: "program-alias",
    kind: Kind::TrustFile,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Mail alias that runs a program",
    advice: "Remove the decode alias and aliases that pipe into a shell, run newaliases, \
             and (1) keep sendmail current; confirm each remaining program alias is wanted.",
    status: RuleStatus::Stable,
    title_ja: "プログラムを実行するメールのエイリアス",
    advice_ja: "decode エイリアスとシェルへパイプするエイリアスを削除して newaliases を実行\
             し、(1) Sendmail を最新の版に保ってください。残るプログラムのエイリアスがそれぞれ\
             必要なものか確認してください。",
    since: "0.1.0",
    source: include_str!("tr003_program_alias.rs"),
};

/// Alias files examined.
pub const ALIAS_FILES: &[&str] = &["etc/aliases", "etc/mail/aliases", "usr/lib/aliases"];

/// Programs whose alias lets a stranger write files or run commands.
const DANGEROUS: &[&str] = &[
    "uudecode", "decode", "sh", "bash", "csh", "tcsh", "ksh", "zsh", "dash", "perl", "python",
    "python3", "tclsh",
];

/// One alias entry: name, first line number and offset, and the joined value.
struct Alias {
    name: Vec<u8>,
    line: u64,
    offset: u64,
    first_line: Vec<u8>,
    value: Vec<u8>,
}

/// Splits an aliases file into entries; lines starting with blanks continue the one
/// before (sendmail's rule); `#` lines are comments.
fn aliases(data: &[u8]) -> Vec<Alias> {
    let mut out: Vec<Alias> = Vec::new();
    let mut offset = 0u64;
    for (i, raw) in data.split(|&b| b == b'\n').enumerate() {
        let line_offset = offset;
        offset += raw.len() as u64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.first() == Some(&b'#') || raw.trim_ascii().is_empty() {
            continue;
        }
        if raw.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
            if let Some(last) = out.last_mut()
                && last.value.len() < 64 * 1024
            {
                last.value.push(b',');
                last.value.extend_from_slice(raw);
            }
            continue;
        }
        let Some(colon) = raw.iter().position(|&b| b == b':') else {
            continue;
        };
        out.push(Alias {
            name: raw.get(..colon).unwrap_or_default().trim_ascii().to_vec(),
            line: i as u64 + 1,
            offset: line_offset,
            first_line: raw.get(..4096).unwrap_or(raw).to_vec(),
            value: raw.get(colon + 1..).unwrap_or_default().to_vec(),
        });
    }
    out
}

/// The programs an alias value pipes into (`"|/usr/bin/uudecode"`, `|/bin/sh -c x`).
fn programs(value: &[u8]) -> Vec<Vec<u8>> {
    value
        .split(|&b| b == b',')
        .map(|t| t.trim_ascii())
        .map(|t| t.strip_prefix(b"\"").unwrap_or(t))
        .filter_map(|t| t.strip_prefix(b"|"))
        .map(|t| t.strip_suffix(b"\"").unwrap_or(t).trim_ascii().to_vec())
        .collect()
}

fn is_dangerous(name: &[u8], program: &[u8]) -> bool {
    let command = program
        .split(|b| b.is_ascii_whitespace())
        .next()
        .unwrap_or_default();
    let base = command.rsplit(|&b| b == b'/').next().unwrap_or(command);
    let base = String::from_utf8_lossy(base);
    DANGEROUS.contains(&base.as_ref())
        || name.eq_ignore_ascii_case(b"decode")
        || program.windows(8).any(|w| w == b"uudecode")
}

/// Runs TR003.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for &file in ALIAS_FILES {
        let Some(data) = ctx.read_config(file) else {
            continue;
        };
        let display = ctx.root.display(file);
        for alias in aliases(&data) {
            let programs = programs(&alias.value);
            if programs.is_empty() {
                continue;
            }
            let dangerous = programs.iter().any(|p| is_dangerous(&alias.name, p));
            let name = String::from_utf8_lossy(&alias.name).into_owned();
            let shown: Vec<String> = programs
                .iter()
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect();
            // ", " in Japanese too: `--mask` sees a name next to "、" as part of a word.
            let runs = shown.join(", ");
            let mut finding = ctx.finding(&RULE);
            if dangerous {
                finding.set_title(tr!(
                    "Mail alias {name} runs {runs}: anyone who can send mail runs it",
                    "メールのエイリアス {name} が {runs} を実行する: メールを送れる者なら\
                     誰でもそれを実行できる"
                ));
            } else {
                finding.severity = Severity::Low;
                finding.set_title(tr!(
                    "Mail alias {name} runs {runs}",
                    "メールのエイリアス {name} が {runs} を実行する"
                ));
            }
            finding.subject.path = Some(display.clone());
            finding.subject.users = vec![name.clone()];
            finding.count = 1;
            finding.merge_key = format!("{display}:{name}");
            finding.push_evidence(Evidence::from_line(
                &display,
                alias.line,
                alias.offset,
                &alias.first_line,
                None,
            ));
            findings.push(finding);
            if findings.len() >= MAX_EVIDENCE * 20 {
                return findings;
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_aliases_are_found() {
        let data = b"# decode: \"|/usr/bin/uudecode\"\nPostmaster: root\ndecode: \"|/usr/bin/uudecode\"\n\
                     list: \"|/usr/lib/majordomo/wrapper resend\",\n\tbob, \"|/bin/sh -c x\"\nstaff: a,b\n";
        let found = aliases(data);
        assert_eq!(found.len(), 4);
        assert_eq!(found[1].name, b"decode");
        assert_eq!(found[1].line, 3);
        assert_eq!(programs(&found[1].value), [b"/usr/bin/uudecode".to_vec()]);
        assert!(is_dangerous(&found[1].name, b"/usr/bin/uudecode"));
        let list = programs(&found[2].value);
        assert_eq!(list.len(), 2);
        assert!(!is_dangerous(b"list", &list[0]));
        assert!(is_dangerous(b"list", &list[1]));
        assert!(programs(&found[3].value).is_empty());
    }
}
