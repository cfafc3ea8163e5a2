//! Every message of the HTML report, in both languages.

use crate::i18n::Text;
use kensa_core::{Kind, Severity, Verdict};

pub(super) const TITLE: Text = Text {
    en: "kensa report",
    ja: "kensa 検査報告",
};
pub(super) const GENERATED_BY: Text = Text {
    en: "Made by kensa {version}. Times are the audited hosts' local times.",
    ja: "kensa {version} が作成しました。時刻は検査対象ホストの現地時刻です。",
};
pub(super) const HOSTS: Text = Text {
    en: "Hosts",
    ja: "ホスト",
};
pub(super) const NO_HOST: Text = Text {
    en: "No host in this report: nothing was examined.",
    ja: "この報告にはホストがありません。何も検査されていません。",
};
pub(super) const NO_HOST_NAME: Text = Text {
    en: "(no host name)",
    ja: "（ホスト名なし）",
};
pub(super) const SUMMARY: Text = Text {
    en: "hosts: {hosts}, findings: {findings}, diagnostics: {diagnostics}",
    ja: "ホスト {hosts} 台、検出 {findings} 件、診断メッセージ {diagnostics} 件",
};
pub(super) const FINDINGS_OF_HOST: Text = Text {
    en: "findings: {count}",
    ja: "検出 {count} 件",
};
pub(super) const UNREAD_WARNING: Text = Text {
    en: "{count} input(s) could not be read in full (see Diagnostics): a clean verdict is only as good as the inputs that were read.",
    ja: "{count} 件の入力を完全には読めませんでした（診断メッセージを参照）。読めた入力の範囲でしか「問題なし」とは言えません。",
};
pub(super) const CHARTS: Text = Text {
    en: "Overview",
    ja: "概要",
};
pub(super) const TIMELINE: Text = Text {
    en: "Attack events per hour, by kind ({first} to {last})",
    ja: "種類別・1時間ごとの攻撃イベント（{first} ～ {last}）",
};
pub(super) const TIMELINE_COARSE: Text = Text {
    en: "Attack events per {hours} hours, by kind ({first} to {last})",
    ja: "種類別・{hours} 時間ごとの攻撃イベント（{first} ～ {last}）",
};
pub(super) const TIMELINE_NOTE: Text = Text {
    en: "Each event is a timed log line quoted as evidence; the axis is the host's local time.",
    ja: "イベントは証拠として引用された時刻付きのログ行です。横軸はホストの現地時刻です。",
};
pub(super) const TIMELINE_EMPTY: Text = Text {
    en: "No timed log line among the evidence: no timeline.",
    ja: "証拠に時刻付きのログ行がないため、時系列グラフはありません。",
};
pub(super) const EVENTS: Text = Text {
    en: "events",
    ja: "件",
};
pub(super) const TOP_SOURCES: Text = Text {
    en: "Top source addresses (events)",
    ja: "攻撃元アドレス上位（イベント数）",
};
pub(super) const ACCOUNTS: Text = Text {
    en: "Accounts targeted (findings naming them)",
    ja: "狙われたアカウント（該当する検出の数）",
};
pub(super) const NONE_NAMED: Text = Text {
    en: "None named by the findings.",
    ja: "検出結果に該当するものはありません。",
};
pub(super) const SOURCE: Text = Text {
    en: "source",
    ja: "攻撃元",
};
pub(super) const USERS: Text = Text {
    en: "users",
    ja: "ユーザー",
};
pub(super) const PATH: Text = Text {
    en: "path",
    ja: "パス",
};
pub(super) const MESSAGE_ID: Text = Text {
    en: "message id",
    ja: "メッセージ ID",
};
pub(super) const TIME: Text = Text {
    en: "time",
    ja: "時刻",
};
pub(super) const TIME_SPAN: Text = Text {
    en: "{first} to {last}",
    ja: "{first} ～ {last}",
};
pub(super) const COUNT: Text = Text {
    en: "count",
    ja: "回数",
};
pub(super) const KIND: Text = Text {
    en: "kind",
    ja: "種類",
};
pub(super) const EVIDENCE: Text = Text {
    en: "Evidence",
    ja: "証拠",
};
pub(super) const FILE: Text = Text {
    en: "file",
    ja: "ファイル",
};
pub(super) const LINE: Text = Text {
    en: "line",
    ja: "行",
};
pub(super) const TEXT: Text = Text {
    en: "text",
    ja: "内容",
};
pub(super) const NOT_UTF8: Text = Text {
    en: "not UTF-8: the JSON report has the exact bytes",
    ja: "UTF-8 ではありません。正確なバイト列は JSON 形式の報告にあります",
};
pub(super) const MORE_EVIDENCE: Text = Text {
    en: "... and {count} more lines (the JSON report has all of them)",
    ja: "……ほか {count} 行（すべて JSON 形式の報告にあります）",
};
pub(super) const CUT: Text = Text {
    en: "... (+{count} chars)",
    ja: "……（ほか {count} 文字）",
};
pub(super) const MORE_USERS: Text = Text {
    en: "... (+{count} more)",
    ja: "……（ほか {count} 件）",
};
pub(super) const ADVICE: Text = Text {
    en: "What to do",
    ja: "対処",
};
pub(super) const DIAGNOSTICS: Text = Text {
    en: "Diagnostics: inputs that could not be read or understood",
    ja: "診断メッセージ：読めなかった、または解釈できなかった入力",
};
pub(super) const NO_DIAGNOSTICS: Text = Text {
    en: "Every input was read.",
    ja: "すべての入力を読みました。",
};
pub(super) const LEVEL: Text = Text {
    en: "level",
    ja: "重要度",
};
pub(super) const MESSAGE: Text = Text {
    en: "message",
    ja: "内容",
};

/// A verdict's word.
pub(super) fn verdict(verdict: Verdict) -> Text {
    match verdict {
        Verdict::Compromised => Text {
            en: "COMPROMISED",
            ja: "侵害あり",
        },
        Verdict::Attacked => Text {
            en: "ATTACKED",
            ja: "攻撃あり",
        },
        Verdict::Exposed => Text {
            en: "EXPOSED",
            ja: "脆弱性あり",
        },
        Verdict::Clean => Text {
            en: "CLEAN",
            ja: "問題なし",
        },
    }
}

/// What a verdict means, in the advisory's terms; `succeeded` tells the two reasons of
/// `compromised` apart.
pub(super) fn verdict_meaning(verdict: Verdict, succeeded: bool) -> Text {
    match verdict {
        Verdict::Compromised if succeeded => Text {
            en: "An attack succeeded; intrusion cannot be ruled out (advisory step 5: rebuild).",
            ja: "攻撃が成功しています。侵入を否定できません（勧告の手順 5：システムの再構築）。",
        },
        Verdict::Compromised => Text {
            en: "Signs of intrusion were found; intrusion cannot be ruled out (advisory step 5: rebuild).",
            ja: "侵入の痕跡があります。侵入を否定できません（勧告の手順 5：システムの再構築）。",
        },
        Verdict::Attacked => Text {
            en: "Attacks were made; none is seen to have succeeded (close the holes: advisory steps 1-4).",
            ja: "攻撃を受けていますが、成功した形跡はありません（穴をふさぐ：勧告の手順 1～4）。",
        },
        Verdict::Exposed => Text {
            en: "Holes are open; nobody is seen using them (advisory steps 1, 2 and 4).",
            ja: "脆弱な設定がありますが、悪用された形跡はありません（勧告の手順 1、2、4）。",
        },
        Verdict::Clean => Text {
            en: "Nothing found.",
            ja: "何も見つかりませんでした。",
        },
    }
}

/// A severity's name.
pub(super) fn severity(severity: Severity) -> Text {
    match severity {
        Severity::Critical => Text {
            en: "Critical",
            ja: "緊急",
        },
        Severity::High => Text {
            en: "High",
            ja: "高",
        },
        Severity::Medium => Text {
            en: "Medium",
            ja: "中",
        },
        Severity::Low => Text {
            en: "Low",
            ja: "低",
        },
        Severity::Info => Text {
            en: "Info",
            ja: "情報",
        },
    }
}

/// A kind's name for chart legends.
pub(super) fn kind(kind: Kind) -> Text {
    match kind {
        Kind::SendmailExploit => Text {
            en: "sendmail exploit",
            ja: "sendmail への攻撃",
        },
        Kind::PasswordGuessing => Text {
            en: "password guessing",
            ja: "パスワード推測",
        },
        Kind::AccountProbing => Text {
            en: "account probing",
            ja: "アカウントの探索",
        },
        Kind::AnonFtpWrite => Text {
            en: "anonymous FTP writable",
            ja: "匿名 FTP 書き込み可能",
        },
        Kind::AnonFtpUpload => Text {
            en: "anonymous FTP upload",
            ja: "匿名 FTP アップロード",
        },
        Kind::AccountWeakness => Text {
            en: "account weakness",
            ja: "アカウントの弱点",
        },
        Kind::GuessablePassword => Text {
            en: "guessable password",
            ja: "推測可能なパスワード",
        },
        Kind::AnonFtpAccess => Text {
            en: "anonymous FTP access",
            ja: "匿名 FTP アクセス",
        },
        Kind::ServerVersion => Text {
            en: "server version",
            ja: "サーバのバージョン",
        },
        Kind::VulnerableVersion => Text {
            en: "vulnerable version",
            ja: "脆弱なバージョン",
        },
        Kind::TrustFile => Text {
            en: "trust file",
            ja: "信頼関係ファイル",
        },
        Kind::Integrity => Text {
            en: "integrity",
            ja: "ファイルの改変",
        },
        Kind::Backdoor => Text {
            en: "backdoor",
            ja: "バックドア",
        },
        Kind::LogTampering => Text {
            en: "log tampering",
            ja: "ログの改ざん",
        },
        Kind::RemoteRootLogin => Text {
            en: "remote root login",
            ja: "リモートからの root ログイン",
        },
    }
}

/// A diagnostic level's name.
pub(super) fn diagnostic_level(level: kensa_core::DiagnosticLevel) -> Text {
    match level {
        kensa_core::DiagnosticLevel::Error => Text {
            en: "error",
            ja: "エラー",
        },
        kensa_core::DiagnosticLevel::Warning => Text {
            en: "warning",
            ja: "警告",
        },
        kensa_core::DiagnosticLevel::Note => Text {
            en: "note",
            ja: "注記",
        },
    }
}

/// Every message of this module, for the catalogue test.
#[cfg(test)]
pub(super) fn all() -> Vec<Text> {
    let mut all = vec![
        TITLE,
        GENERATED_BY,
        HOSTS,
        NO_HOST,
        NO_HOST_NAME,
        SUMMARY,
        FINDINGS_OF_HOST,
        UNREAD_WARNING,
        CHARTS,
        TIMELINE,
        TIMELINE_COARSE,
        TIMELINE_NOTE,
        TIMELINE_EMPTY,
        EVENTS,
        TOP_SOURCES,
        ACCOUNTS,
        NONE_NAMED,
        SOURCE,
        USERS,
        PATH,
        MESSAGE_ID,
        TIME,
        TIME_SPAN,
        COUNT,
        KIND,
        EVIDENCE,
        FILE,
        LINE,
        TEXT,
        NOT_UTF8,
        MORE_EVIDENCE,
        CUT,
        MORE_USERS,
        ADVICE,
        DIAGNOSTICS,
        NO_DIAGNOSTICS,
        LEVEL,
        MESSAGE,
    ];
    for v in [
        Verdict::Compromised,
        Verdict::Attacked,
        Verdict::Exposed,
        Verdict::Clean,
    ] {
        all.push(verdict(v));
        all.push(verdict_meaning(v, true));
        all.push(verdict_meaning(v, false));
    }
    all.extend(Severity::ALL.map(severity));
    for k in [
        Kind::SendmailExploit,
        Kind::PasswordGuessing,
        Kind::AccountProbing,
        Kind::AnonFtpWrite,
        Kind::AnonFtpUpload,
        Kind::AccountWeakness,
        Kind::GuessablePassword,
        Kind::VulnerableVersion,
        Kind::TrustFile,
        Kind::Integrity,
        Kind::Backdoor,
        Kind::LogTampering,
        Kind::RemoteRootLogin,
    ] {
        all.push(kind(k));
    }
    for level in [
        kensa_core::DiagnosticLevel::Error,
        kensa_core::DiagnosticLevel::Warning,
        kensa_core::DiagnosticLevel::Note,
    ] {
        all.push(diagnostic_level(level));
    }
    all
}
