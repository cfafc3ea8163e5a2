//! The incident report (`--format incident`): what a CSIRT asks a victim for, as plain
//! UTF-8 text ready to paste into an e-mail.
//!
//! The advisory ends by asking victims to report to JPCERT/CC on its form *together with
//! the relevant log messages*. The sections follow that form's questions, in its order:
//! who reports (placeholders for the reporter to fill in, and whether the report may be
//! shared), which hosts were affected (name, OS, verdict, the time zone every time in the
//! report is in), how the incident was found (kensa's version, the command, the rules
//! run, the files read and the time span they cover), what happened (each attack and
//! whether it succeeded, then the open holes), the timeline, the source addresses, the
//! countermeasures (taken: a placeholder; advised: the findings' advice and the
//! advisory's five steps), and last the relevant log lines verbatim with file names and
//! line numbers, so the CSIRT can match them against what other sites send.
//!
//! Like every writer it only lays the model out: verdicts, outcomes and advice come from
//! the findings untouched. Log-derived strings go through [`escape_terminal`] (a mail
//! client shows control characters too), and evidence lines are cut at
//! [`LINE_CHARS`] characters so no line breaks the e-mail limit of 998 bytes for ASCII
//! text. Masking (`--mask`) happens before, on the model (see `mask.rs`); this writer
//! only says that it was done. Messages are [`Text`]s in English and Japanese, since the
//! JPCERT/CC form is Japanese.

use crate::escape::escape_terminal;
use crate::i18n::{Lang, Text};
use kensa_core::{
    DiagnosticLevel, Finding, HostReport, LogTime, Outcome, Report, Severity, Verdict,
};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::{self, Write};

/// Characters of one evidence line kept (an e-mail line must stay under 998 bytes).
const LINE_CHARS: usize = 300;
/// Evidence lines quoted per finding; the JSON report has them all.
const EVIDENCE_PER_FINDING: usize = 30;
/// Files listed under "files examined".
const FILES_LISTED: usize = 40;
/// Column at which English prose is wrapped (e-mail width).
const WIDTH: usize = 76;

mod msg {
    use crate::i18n::Text;

    pub const TITLE: Text = Text {
        en: "INCIDENT REPORT",
        ja: "インシデント報告",
    };
    pub const INTRO: Text = Text {
        en: "Prepared with kensa {version}. Fill in the fields in [brackets] before sending. \
             Times are the affected host's local time, with their offset from UTC.",
        ja: "kensa {version} で作成しました。送付前に [ ] 内の項目を記入してください。\
             時刻は被害ホストの現地時刻で、UTC との時差を付けて示します。",
    };
    pub const MASKED: Text = Text {
        en: "For sharing, user names, internal addresses and internal host and domain names \
             are replaced with pseudonyms (user-N, internal-N, host-N, domain-N); public \
             addresses are kept.",
        ja: "共有のため、ユーザ名、内部アドレス、内部のホスト名とドメイン名を仮名 \
             (user-N、internal-N、host-N、domain-N) に置き換えています。外部の公開アドレスはそのままです。",
    };
    pub const REPORTER: Text = Text {
        en: "Reporter",
        ja: "報告者",
    };
    pub const REPORTER_FIELDS: [Text; 5] = [
        Text {
            en: "Name:          [your name]",
            ja: "氏名:            [氏名]",
        },
        Text {
            en: "Organisation:  [organisation]",
            ja: "組織名:          [組織名]",
        },
        Text {
            en: "E-mail:        [address]",
            ja: "電子メール:      [アドレス]",
        },
        Text {
            en: "Telephone:     [number]",
            ja: "電話番号:        [電話番号]",
        },
        Text {
            en: "May this report be passed on to other organisations? [yes/no]",
            ja: "この報告を他の組織へ提供してよいか: [可/否]",
        },
    ];
    pub const HOSTS: Text = Text {
        en: "Affected hosts",
        ja: "被害を受けたホスト",
    };
    pub const NO_HOST: Text = Text {
        en: "No host was examined.",
        ja: "調査したホストはありません。",
    };
    pub const HOST_NAME: Text = Text {
        en: "Host name:",
        ja: "ホスト名:",
    };
    pub const VERDICT: Text = Text {
        en: "Verdict:",
        ja: "判定:",
    };
    pub const OS: Text = Text {
        en: "OS:",
        ja: "OS:",
    };
    pub const OS_UNKNOWN: Text = Text {
        en: "[operating system and version]",
        ja: "[OS とバージョン]",
    };
    pub const ADDRESS: Text = Text {
        en: "IP address:",
        ja: "IP アドレス:",
    };
    pub const ADDRESS_PLACEHOLDER: Text = Text {
        en: "[address]",
        ja: "[アドレス]",
    };
    pub const ZONE: Text = Text {
        en: "Time zone:",
        ja: "タイムゾーン:",
    };
    pub const ZONE_UNKNOWN: Text = Text {
        en: "[time zone]",
        ja: "[タイムゾーン]",
    };
    pub const FOUND: Text = Text {
        en: "How it was found",
        ja: "発見の経緯",
    };
    pub const NOTICED: Text = Text {
        en: "What first drew attention: [e.g. an alert, a user's complaint, a routine check]",
        ja: "最初に気付いたきっかけ: [例: 警告、利用者からの連絡、定期点検]",
    };
    pub const TOOL: Text = Text {
        en: "Logs and configuration were examined with kensa {version}, which reads them \
             without changing anything on the host.",
        ja: "ログと設定を kensa {version} で調べました（ホスト上では何も変更していません）。",
    };
    pub const COMMAND: Text = Text {
        en: "Command:",
        ja: "コマンド:",
    };
    pub const RULES: Text = Text {
        en: "Rules run ({count}):",
        ja: "実行した検査規則（{count} 件）:",
    };
    pub const FILES: Text = Text {
        en: "Files examined: {files}, {lines} lines, from {first} to {last}",
        ja: "調べたファイル: {files} 個、{lines} 行、{first} から {last} まで",
    };
    pub const FILES_NO_TIME: Text = Text {
        en: "Files examined: {files}, {lines} lines",
        ja: "調べたファイル: {files} 個、{lines} 行",
    };
    pub const MORE_FILES: Text = Text {
        en: "... and {count} more files",
        ja: "... ほか {count} 個のファイル",
    };
    pub const LINES: Text = Text {
        en: "{count} lines",
        ja: "{count} 行",
    };
    pub const WHAT: Text = Text {
        en: "What happened",
        ja: "インシデントの概要",
    };
    pub const NO_ATTACK: Text = Text {
        en: "No attack was found in what was examined.",
        ja: "調べた範囲では攻撃は見つかりませんでした。",
    };
    pub const SUCCEEDED: Text = Text {
        en: "Did an attack succeed? YES: {codes}",
        ja: "攻撃は成功したか: はい（{codes}）",
    };
    pub const NOT_SUCCEEDED: Text = Text {
        en: "Did an attack succeed? No success was seen.",
        ja: "攻撃は成功したか: 成功の形跡は見つかりませんでした。",
    };
    pub const HOLES: Text = Text {
        en: "Holes found open:",
        ja: "見つかった弱点:",
    };
    pub const ONE_EVENT: Text = Text {
        en: "1 event",
        ja: "1 件",
    };
    pub const EVENTS: Text = Text {
        en: "{count} events",
        ja: "{count} 件",
    };
    pub const FROM: Text = Text {
        en: "from {source}",
        ja: "アクセス元 {source}",
    };
    pub const ACCOUNTS: Text = Text {
        en: "accounts: {users}",
        ja: "アカウント: {users}",
    };
    pub const TIMELINE: Text = Text {
        en: "Timeline",
        ja: "時系列",
    };
    pub const NO_TIMES: Text = Text {
        en: "No attack event with a time.",
        ja: "時刻の分かる攻撃はありません。",
    };
    pub const SPAN: Text = Text {
        en: "{first} until {last}",
        ja: "{first} から {last} まで",
    };
    pub const SOURCES: Text = Text {
        en: "Source addresses",
        ja: "アクセス元アドレス",
    };
    pub const NO_SOURCES: Text = Text {
        en: "No source address is known.",
        ja: "アクセス元アドレスは分かっていません。",
    };
    pub const COUNTERMEASURES: Text = Text {
        en: "Countermeasures",
        ja: "対策",
    };
    pub const TAKEN: Text = Text {
        en: "Taken so far: [e.g. disconnected from the network, passwords changed, sendmail upgraded]",
        ja: "実施済みの対策: [例: ネットワークから切り離した、パスワードを変更した、sendmail を更新した]",
    };
    pub const ADVISED: Text = Text {
        en: "Advised by the findings:",
        ja: "検出結果に基づく推奨対策:",
    };
    pub const ADVISORY: Text = Text {
        en: "The countermeasures of JPCERT/CC advisory JPCERT-E-INF-97-0001 (marked * where \
             this report calls for them):",
        ja: "JPCERT/CC 緊急報告 JPCERT-E-INF-97-0001 の対策（本報告で必要なものに * を付けています）:",
    };
    pub const STEPS: [Text; 5] = [
        Text {
            en: "(1) Upgrade sendmail to a current version.",
            ja: "(1) sendmail を最新版に更新する。",
        },
        Text {
            en: "(2) Check the anonymous FTP setup: its root must not be writable; upgrade wu-ftpd.",
            ja: "(2) anonymous FTP の設定を確認する（ルートディレクトリを書き込み不可にし、wu-ftpd を更新する）。",
        },
        Text {
            en: "(3) Change every user's password to one that is not easy to guess.",
            ja: "(3) すべての利用者のパスワードを推測されにくいものに変更する。",
        },
        Text {
            en: "(4) Use shadow passwords.",
            ja: "(4) シャドウパスワードを使用する。",
        },
        Text {
            en: "(5) Rebuild the system where an intrusion cannot be ruled out.",
            ja: "(5) 侵入の可能性を否定できない場合はシステムを再構築する。",
        },
    ];
    pub const LOGS: Text = Text {
        en: "Relevant log lines and files (verbatim)",
        ja: "関連するログとファイル（原文のまま）",
    };
    pub const NO_LOGS: Text = Text {
        en: "No log line is relevant.",
        ja: "関連するログはありません。",
    };
    pub const MORE_LINES: Text = Text {
        en: "... {count} more lines (all of them are in the JSON report)",
        ja: "... ほか {count} 行（すべて JSON 形式の報告にあります）",
    };
    pub const DIAGNOSTICS: Text = Text {
        en: "Inputs that could not be read",
        ja: "読めなかった入力",
    };
    pub const NO_DIAGNOSTICS: Text = Text {
        en: "None.",
        ja: "ありません。",
    };
    pub const VERDICT_MEANING: [Text; 5] = [
        Text {
            en: "COMPROMISED: an attack succeeded; intrusion cannot be ruled out",
            ja: "侵害あり: 攻撃が成功しており、侵入の可能性を否定できません",
        },
        Text {
            en: "COMPROMISED: signs of intrusion were found",
            ja: "侵害あり: 侵入の痕跡が見つかりました",
        },
        Text {
            en: "ATTACKED: attacks were made; none is seen to have succeeded",
            ja: "攻撃あり: 攻撃を受けましたが、成功の形跡はありません",
        },
        Text {
            en: "EXPOSED: holes are open; nobody is seen using them",
            ja: "弱点あり: 弱点がありますが、悪用の形跡はありません",
        },
        Text {
            en: "CLEAN: nothing found",
            ja: "問題なし: 何も見つかりませんでした",
        },
    ];
    pub const OUTCOMES: [Text; 4] = [
        Text {
            en: "attempted",
            ja: "試行",
        },
        Text {
            en: "SUCCEEDED",
            ja: "成功",
        },
        Text {
            en: "hole",
            ja: "弱点",
        },
        Text {
            en: "trace of intrusion",
            ja: "侵入の痕跡",
        },
    ];
}

/// Every message of this writer, for the catalogue test.
pub fn messages() -> Vec<Text> {
    use msg::*;
    let mut all = vec![
        TITLE,
        INTRO,
        MASKED,
        REPORTER,
        HOSTS,
        NO_HOST,
        HOST_NAME,
        VERDICT,
        OS,
        OS_UNKNOWN,
        ADDRESS,
        ADDRESS_PLACEHOLDER,
        ZONE,
        ZONE_UNKNOWN,
        FOUND,
        NOTICED,
        TOOL,
        COMMAND,
        RULES,
        FILES,
        FILES_NO_TIME,
        MORE_FILES,
        LINES,
        WHAT,
        NO_ATTACK,
        SUCCEEDED,
        NOT_SUCCEEDED,
        HOLES,
        ONE_EVENT,
        EVENTS,
        FROM,
        ACCOUNTS,
        TIMELINE,
        NO_TIMES,
        SPAN,
        SOURCES,
        NO_SOURCES,
        COUNTERMEASURES,
        TAKEN,
        ADVISED,
        ADVISORY,
        LOGS,
        NO_LOGS,
        MORE_LINES,
        DIAGNOSTICS,
        NO_DIAGNOSTICS,
    ];
    all.extend(REPORTER_FIELDS);
    all.extend(STEPS);
    all.extend(VERDICT_MEANING);
    all.extend(OUTCOMES);
    all
}

fn verdict_meaning(host: &HostReport) -> Text {
    let index = match host.verdict {
        Verdict::Compromised
            if host
                .findings
                .iter()
                .any(|f| f.outcome == Outcome::Succeeded) =>
        {
            0
        }
        Verdict::Compromised => 1,
        Verdict::Attacked => 2,
        Verdict::Exposed => 3,
        Verdict::Clean => 4,
    };
    msg::VERDICT_MEANING[index]
}

fn outcome_text(outcome: Outcome) -> Text {
    msg::OUTCOMES[match outcome {
        Outcome::Attempted => 0,
        Outcome::Succeeded => 1,
        Outcome::Exposure => 2,
        Outcome::Indicator => 3,
    }]
}

/// The advisory steps a verdict calls for: (5) rebuild when compromised; (1)-(4) when
/// attacked; the preventive (1), (2), (4) when only exposed.
fn steps_called_for(worst: Verdict) -> [bool; 5] {
    match worst {
        Verdict::Compromised => [true; 5],
        Verdict::Attacked => [true, true, true, true, false],
        Verdict::Exposed => [true, true, false, true, false],
        Verdict::Clean => [false; 5],
    }
}

/// The finding's title in `lang`.
fn title(finding: &Finding, lang: Lang) -> &str {
    finding.title_in(lang)
}

fn advice(finding: &Finding, lang: Lang) -> &str {
    finding.advice_in(lang)
}

/// A log-derived string made safe to show, cut to `max` characters.
fn shown(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => escape_terminal(text),
        Some((at, _)) => Cow::Owned(format!(
            "{} ... (+{})",
            escape_terminal(&text[..at]),
            text[at..].chars().count()
        )),
    }
}

/// A span as `FIRST` or `FIRST until LAST`.
fn span(first: Option<LogTime>, last: Option<LogTime>, lang: Lang) -> Option<String> {
    let first = first?;
    Some(match last {
        Some(last) if last != first => fill(msg::SPAN, lang, &[("first", &first), ("last", &last)]),
        _ => first.to_string(),
    })
}

/// Writes `text` wrapped at [`WIDTH`] columns, every line starting with `indent`
/// spaces: by display width, Japanese between characters (see [`crate::wrap`]).
fn write_wrapped(out: &mut dyn Write, indent: usize, text: &str) -> io::Result<()> {
    for line in crate::wrap::lines(text, WIDTH.saturating_sub(indent)) {
        writeln!(out, "{:indent$}{line}", "")?;
    }
    if text.split_whitespace().next().is_none() {
        writeln!(out)?;
    }
    Ok(())
}

fn heading(out: &mut dyn Write, number: usize, text: Text, lang: Lang) -> io::Result<()> {
    writeln!(out)?;
    let title = format!("{number}. {}", text.get(lang));
    writeln!(out, "{title}")?;
    writeln!(out, "{}", "-".repeat(crate::wrap::width(&title)))
}

fn fill(text: Text, lang: Lang, values: &[(&str, &dyn Display)]) -> String {
    text.fill(lang, values)
}

/// Writes the incident report.
pub(crate) fn write(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let version: &dyn Display = &report.kensa_version;
    writeln!(out, "{}", msg::TITLE.get(lang))?;
    writeln!(
        out,
        "{}",
        "=".repeat(if lang == Lang::Ja { 16 } else { 15 })
    )?;
    writeln!(out)?;
    write_wrapped(out, 0, &fill(msg::INTRO, lang, &[("version", version)]))?;
    if report.run.as_ref().is_some_and(|run| run.masked) {
        write_wrapped(out, 0, msg::MASKED.get(lang))?;
    }

    heading(out, 1, msg::REPORTER, lang)?;
    for field in msg::REPORTER_FIELDS {
        writeln!(out, "{}", field.get(lang))?;
    }

    heading(out, 2, msg::HOSTS, lang)?;
    write_hosts(report, lang, out)?;

    heading(out, 3, msg::FOUND, lang)?;
    write_found(report, lang, out)?;

    heading(out, 4, msg::WHAT, lang)?;
    write_what(report, lang, out)?;

    heading(out, 5, msg::TIMELINE, lang)?;
    write_timeline(report, lang, out)?;

    heading(out, 6, msg::SOURCES, lang)?;
    write_sources(report, lang, out)?;

    heading(out, 7, msg::COUNTERMEASURES, lang)?;
    write_countermeasures(report, lang, out)?;

    heading(out, 8, msg::LOGS, lang)?;
    write_logs(report, lang, out)?;

    heading(out, 9, msg::DIAGNOSTICS, lang)?;
    if report.diagnostics.is_empty() {
        writeln!(out, "{}", msg::NO_DIAGNOSTICS.get(lang))?;
    }
    for diagnostic in &report.diagnostics {
        let level = match diagnostic.level {
            DiagnosticLevel::Error => "error",
            DiagnosticLevel::Warning => "warning",
            DiagnosticLevel::Note => "note",
        };
        let place = match diagnostic.line {
            Some(line) => format!("{}:{line}", shown(&diagnostic.file, LINE_CHARS)),
            None => shown(&diagnostic.file, LINE_CHARS).into_owned(),
        };
        writeln!(
            out,
            "{level}: {place}: {}",
            shown(&diagnostic.message, LINE_CHARS)
        )?;
    }
    Ok(())
}

fn write_hosts(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    if report.hosts.is_empty() {
        writeln!(out, "{}", msg::NO_HOST.get(lang))?;
    }
    for (n, host) in report.hosts.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let label = |text: Text| {
            let label = text.get(lang);
            let width = crate::wrap::width(label);
            format!("{label}{}", " ".repeat(16usize.saturating_sub(width)))
        };
        writeln!(
            out,
            "{}{}",
            label(msg::HOST_NAME),
            shown(&host.host, LINE_CHARS)
        )?;
        writeln!(
            out,
            "{}{}",
            label(msg::VERDICT),
            verdict_meaning(host).get(lang)
        )?;
        let os = host
            .os
            .as_deref()
            .map_or_else(|| msg::OS_UNKNOWN.get(lang).into(), |os| shown(os, 200));
        writeln!(out, "{}{os}", label(msg::OS))?;
        writeln!(
            out,
            "{}{}",
            label(msg::ADDRESS),
            msg::ADDRESS_PLACEHOLDER.get(lang)
        )?;
        let zone = host
            .time_zone
            .as_deref()
            .map_or_else(|| msg::ZONE_UNKNOWN.get(lang).into(), |z| shown(z, 200));
        writeln!(out, "{}{zone}", label(msg::ZONE))?;
    }
    Ok(())
}

fn write_found(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", msg::NOTICED.get(lang))?;
    let version: &dyn Display = &report.kensa_version;
    write_wrapped(out, 0, &fill(msg::TOOL, lang, &[("version", version)]))?;
    let Some(run) = &report.run else {
        return Ok(());
    };
    if !run.command.is_empty() {
        let command: Vec<Cow<'_, str>> = run.command.iter().map(|arg| quoted(arg)).collect();
        writeln!(out, "{}", msg::COMMAND.get(lang))?;
        writeln!(out, "  {}", shown(&command.join(" "), 2 * LINE_CHARS))?;
    }
    if !run.rules.is_empty() {
        let count: &dyn Display = &run.rules.len();
        writeln!(out, "{}", fill(msg::RULES, lang, &[("count", count)]))?;
        write_wrapped(out, 2, &run.rules.join(" "))?;
    }
    if run.files.is_empty() {
        return Ok(());
    }
    let lines: u64 = run.files.iter().map(|f| f.lines).sum();
    let first = run.files.iter().filter_map(|f| f.first).min();
    let last = run.files.iter().filter_map(|f| f.last).max();
    let files: &dyn Display = &run.files.len();
    let lines: &dyn Display = &lines;
    let summary = match (first, last) {
        (Some(first), Some(last)) => fill(
            msg::FILES,
            lang,
            &[
                ("files", files),
                ("lines", lines),
                ("first", &first),
                ("last", &last),
            ],
        ),
        _ => fill(
            msg::FILES_NO_TIME,
            lang,
            &[("files", files), ("lines", lines)],
        ),
    };
    writeln!(out, "{summary}")?;
    let width = run
        .files
        .iter()
        .take(FILES_LISTED)
        .map(|f| f.file.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    for file in run.files.iter().take(FILES_LISTED) {
        let count: &dyn Display = &file.lines;
        let mut line = format!(
            "  {:<width$}  {:>12}",
            shown(&file.file, 200),
            fill(msg::LINES, lang, &[("count", count)])
        );
        if let Some(span) = span(file.first, file.last, lang) {
            line.push_str("  ");
            line.push_str(&span);
        }
        writeln!(out, "{line}")?;
    }
    if run.files.len() > FILES_LISTED {
        let more: &dyn Display = &(run.files.len() - FILES_LISTED);
        writeln!(out, "  {}", fill(msg::MORE_FILES, lang, &[("count", more)]))?;
    }
    Ok(())
}

/// An argument as a shell would need it: bare when it is plain, else single-quoted.
fn quoted(arg: &str) -> Cow<'_, str> {
    let plain = !arg.is_empty()
        && arg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%".contains(&b));
    if plain {
        Cow::Borrowed(arg)
    } else {
        Cow::Owned(format!("'{}'", arg.replace('\'', r"'\''")))
    }
}

/// One line about a finding: severity, code, title, outcome, source, count, span.
fn finding_line(finding: &Finding, lang: Lang) -> String {
    let mut parts = vec![format!(
        "[{}] {} {} — {}",
        severity_word(finding.severity, lang),
        finding.code,
        shown(title(finding, lang), LINE_CHARS),
        outcome_text(finding.outcome).get(lang)
    )];
    if let Some(source) = &finding.subject.source {
        let source: &dyn Display = &shown(source, 200);
        parts.push(fill(msg::FROM, lang, &[("source", source)]));
    }
    if !finding.subject.users.is_empty() && finding.kind != kensa_core::Kind::SendmailExploit {
        let users: Vec<Cow<'_, str>> = finding
            .subject
            .users
            .iter()
            .take(10)
            .map(|u| shown(u, 64))
            .collect();
        let mut users = users.join(", ");
        if finding.subject.users.len() > 10 {
            users.push_str(&format!(", ... (+{})", finding.subject.users.len() - 10));
        }
        let users: &dyn Display = &users;
        parts.push(fill(msg::ACCOUNTS, lang, &[("users", users)]));
    }
    if finding.count > 1 {
        parts.push(events(finding.count, lang));
    }
    if let Some(span) = span(finding.first_seen, finding.last_seen, lang) {
        parts.push(span);
    }
    if let Some(path) = &finding.subject.path {
        parts.push(shown(path, 200).into_owned());
    }
    parts.join("; ")
}

fn events(count: u64, lang: Lang) -> String {
    if count == 1 {
        msg::ONE_EVENT.get(lang).to_string()
    } else {
        let count: &dyn Display = &count;
        fill(msg::EVENTS, lang, &[("count", count)])
    }
}

fn severity_word(severity: Severity, lang: Lang) -> String {
    match lang {
        Lang::En => severity.to_string().to_ascii_uppercase(),
        Lang::Ja => crate::i18n::severity_name(severity, lang).to_string(),
    }
}

fn write_what(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let attacks: Vec<&Finding> = report
        .hosts
        .iter()
        .flat_map(|h| &h.findings)
        .filter(|f| f.outcome != Outcome::Exposure)
        .collect();
    let holes: Vec<&Finding> = report
        .hosts
        .iter()
        .flat_map(|h| &h.findings)
        .filter(|f| f.outcome == Outcome::Exposure)
        .collect();
    if attacks.is_empty() {
        writeln!(out, "{}", msg::NO_ATTACK.get(lang))?;
    } else {
        let mut succeeded: Vec<&str> = Vec::new();
        for finding in attacks.iter().filter(|f| f.outcome == Outcome::Succeeded) {
            if !succeeded.contains(&finding.code) {
                succeeded.push(finding.code);
            }
        }
        if succeeded.is_empty() {
            writeln!(out, "{}", msg::NOT_SUCCEEDED.get(lang))?;
        } else {
            let codes: &dyn Display = &succeeded.join(", ");
            writeln!(out, "{}", fill(msg::SUCCEEDED, lang, &[("codes", codes)]))?;
        }
        writeln!(out)?;
        for host in &report.hosts {
            for finding in host
                .findings
                .iter()
                .filter(|f| f.outcome != Outcome::Exposure)
            {
                write_wrapped_item(
                    out,
                    &format!(
                        "{}: {}",
                        shown(&host.host, 200),
                        finding_line(finding, lang)
                    ),
                )?;
            }
        }
    }
    if !holes.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", msg::HOLES.get(lang))?;
        for host in &report.hosts {
            for finding in host
                .findings
                .iter()
                .filter(|f| f.outcome == Outcome::Exposure)
            {
                write_wrapped_item(
                    out,
                    &format!(
                        "{}: {}",
                        shown(&host.host, 200),
                        finding_line(finding, lang)
                    ),
                )?;
            }
        }
    }
    Ok(())
}

/// `- text`, wrapped with continuation lines indented under the text.
fn write_wrapped_item(out: &mut dyn Write, text: &str) -> io::Result<()> {
    write_marked(out, '-', text)
}

/// `text` after a one-character mark and a space (`- `, `* `), wrapped with
/// continuation lines indented under the text.
fn write_marked(out: &mut dyn Write, mark: char, text: &str) -> io::Result<()> {
    let mut buffer = Vec::new();
    write_wrapped(&mut buffer, 2, text)?;
    let wrapped = String::from_utf8(buffer).expect("UTF-8 in, UTF-8 out");
    let mut lines = wrapped.lines();
    if let Some(first) = lines.next() {
        writeln!(out, "{mark} {}", first.trim_start())?;
    }
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn write_timeline(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let mut events: Vec<&Finding> = report
        .hosts
        .iter()
        .flat_map(|h| &h.findings)
        .filter(|f| f.outcome != Outcome::Exposure && f.first_seen.is_some())
        .collect();
    events.sort_by(|a, b| {
        a.first_seen
            .cmp(&b.first_seen)
            .then(a.host.cmp(&b.host))
            .then(a.code.cmp(b.code))
    });
    if events.is_empty() {
        writeln!(out, "{}", msg::NO_TIMES.get(lang))?;
    }
    for finding in events {
        writeln!(
            out,
            "{}",
            span(finding.first_seen, finding.last_seen, lang).unwrap_or_default()
        )?;
        let mut what = format!(
            "{} {} {} — {}",
            shown(&finding.host, 200),
            finding.code,
            shown(title(finding, lang), LINE_CHARS),
            outcome_text(finding.outcome).get(lang)
        );
        if let Some(source) = &finding.subject.source {
            let source: &dyn Display = &shown(source, 200);
            what.push_str("; ");
            what.push_str(&fill(msg::FROM, lang, &[("source", source)]));
        }
        write_wrapped(out, 4, &what)?;
    }
    Ok(())
}

fn write_sources(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    struct Source<'a> {
        first: Option<LogTime>,
        last: Option<LogTime>,
        events: u64,
        codes: BTreeMap<(&'static str, Outcome), ()>,
        hosts: BTreeMap<&'a str, ()>,
    }
    let mut sources: BTreeMap<&str, Source<'_>> = BTreeMap::new();
    for finding in report.hosts.iter().flat_map(|h| &h.findings) {
        let Some(address) = finding.subject.source.as_deref() else {
            continue;
        };
        let source = sources.entry(address).or_insert(Source {
            first: None,
            last: None,
            events: 0,
            codes: BTreeMap::new(),
            hosts: BTreeMap::new(),
        });
        source.first = match (source.first, finding.first_seen) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        source.last = source.last.max(finding.last_seen);
        source.events += finding.count.max(1);
        source.codes.insert((finding.code, finding.outcome), ());
        source.hosts.insert(&finding.host, ());
    }
    if sources.is_empty() {
        writeln!(out, "{}", msg::NO_SOURCES.get(lang))?;
    }
    let mut sources: Vec<(&str, Source<'_>)> = sources.into_iter().collect();
    sources.sort_by(|a, b| a.1.first.cmp(&b.1.first).then(a.0.cmp(b.0)));
    for (address, source) in sources {
        writeln!(out, "{}", shown(address, 200))?;
        let codes: Vec<String> = source
            .codes
            .keys()
            .map(|(code, outcome)| format!("{code} ({})", outcome_text(*outcome).get(lang)))
            .collect();
        let hosts: Vec<Cow<'_, str>> = source.hosts.keys().map(|h| shown(h, 200)).collect();
        let mut line = format!(
            "{} → {}; {}",
            codes.join(", "),
            hosts.join(", "),
            events(source.events, lang)
        );
        if let Some(span) = span(source.first, source.last, lang) {
            line.push_str("; ");
            line.push_str(&span);
        }
        write_wrapped(out, 4, &line)?;
    }
    Ok(())
}

fn write_countermeasures(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", msg::TAKEN.get(lang))?;
    let mut seen: BTreeMap<(&str, &str), ()> = BTreeMap::new();
    let mut advised: Vec<(&str, &str)> = Vec::new();
    let mut findings: Vec<&Finding> = report.hosts.iter().flat_map(|h| &h.findings).collect();
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.code.cmp(b.code)));
    for finding in findings {
        let text = advice(finding, lang);
        if seen.insert((finding.code, text), ()).is_none() {
            advised.push((finding.code, text));
        }
    }
    if !advised.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", msg::ADVISED.get(lang))?;
        for (code, text) in advised {
            // Advice is kensa's own text, but it may hold lines (a list of advisories).
            let mut lines = text.lines().filter(|line| !line.trim().is_empty());
            let first = lines.next().unwrap_or_default();
            write_wrapped_item(out, &format!("{code}: {}", shown(first, 2000)))?;
            for line in lines {
                write_wrapped(out, 2, &shown(line, 2000))?;
            }
        }
    }
    let worst = report
        .hosts
        .iter()
        .map(|h| h.verdict)
        .max()
        .unwrap_or(Verdict::Clean);
    writeln!(out)?;
    write_wrapped(out, 0, msg::ADVISORY.get(lang))?;
    for (step, called) in msg::STEPS.iter().zip(steps_called_for(worst)) {
        write_marked(out, if called { '*' } else { ' ' }, step.get(lang))?;
    }
    Ok(())
}

fn write_logs(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let mut any = false;
    for host in &report.hosts {
        // The lines of the attacks and traces; holes are shown by the files in section 4.
        for finding in &host.findings {
            if finding.evidence.is_empty() || finding.outcome == Outcome::Exposure {
                continue;
            }
            if any {
                writeln!(out)?;
            }
            any = true;
            writeln!(
                out,
                "{} {} — {}",
                finding.code,
                shown(&finding.host, 200),
                shown(title(finding, lang), LINE_CHARS)
            )?;
            for evidence in finding.evidence.iter().take(EVIDENCE_PER_FINDING) {
                let file = shown(&evidence.file, 200);
                let text = shown(evidence.text_in(lang), LINE_CHARS);
                if evidence.line == 0 && evidence.text_in(lang).starts_with(&evidence.file) {
                    writeln!(out, "  {text}")?;
                } else if evidence.line == 0 {
                    writeln!(out, "  {file}: {text}")?;
                } else {
                    writeln!(out, "  {file}:{}: {text}", evidence.line)?;
                }
            }
            if finding.evidence.len() > EVIDENCE_PER_FINDING {
                let more: &dyn Display = &(finding.evidence.len() - EVIDENCE_PER_FINDING);
                writeln!(out, "  {}", fill(msg::MORE_LINES, lang, &[("count", more)]))?;
            }
        }
    }
    if !any {
        writeln!(out, "{}", msg::NO_LOGS.get(lang))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        for text in messages() {
            assert!(!text.en.trim().is_empty(), "{text:?}");
            assert!(!text.ja.trim().is_empty(), "{text:?}");
            assert!(
                !text.ja.is_ascii() || text.ja == "OS:",
                "not Japanese: {text:?}"
            );
            // The same placeholders in both.
            let names = |s: &str| {
                let mut names: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                    .collect();
                names.sort();
                names
            };
            assert_eq!(names(text.en), names(text.ja), "{text:?}");
        }
    }

    #[test]
    fn arguments_are_quoted_for_a_shell() {
        assert_eq!(quoted("--root"), "--root");
        assert_eq!(quoted("/mnt/my disk"), "'/mnt/my disk'");
        assert_eq!(quoted("it's"), r"'it'\''s'");
    }

    #[test]
    fn wrapping_stays_within_the_width() {
        let mut out = Vec::new();
        write_wrapped(&mut out, 4, &"word ".repeat(60)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().count() > 2);
        assert!(
            text.lines()
                .all(|l| crate::wrap::width(l) <= WIDTH && l.starts_with("    "))
        );
    }

    #[test]
    fn japanese_is_wrapped_by_display_width() {
        let title = "mailhub SM002 sendmail の脆弱性を悪用した攻撃が成功（キューファイルから root \
                     権限でプログラムが実行された形跡があります）— 成功; 送信元 192.0.2.7";
        let mut out = Vec::new();
        write_wrapped(&mut out, 4, title).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().count() >= 2, "{text}");
        for line in text.lines() {
            assert!(crate::wrap::width(line) <= WIDTH, "{line:?}");
            assert!(line.starts_with("    "), "{line:?}");
            let body = line.trim_start();
            assert!(!body.starts_with(['、', '。', '）']), "{line:?}");
        }
        assert_eq!(
            text.split_whitespace().collect::<String>(),
            title.split_whitespace().collect::<String>()
        );
    }
}
