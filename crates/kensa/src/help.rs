//! The command line in Japanese: `--help`, and the complaints of the argument parser.
//!
//! clap's help comes from the doc comments of `cli.rs`, in English. For Japanese, the
//! language is decided from `--lang` in the raw arguments (or the locale) before the
//! command is built, and the derived command is then rewritten: every command's about,
//! every argument's help (from the tables below, keyed by argument id), and a help
//! template whose headings (`使い方:`, `コマンド:`, `引数:`, `オプション:`) replace the
//! ones clap prints itself. The default and possible values clap would append as
//! `[default: …]` and `Possible values:` are written into the Japanese help instead.
//! A unit test walks the real command and fails on any command or argument without
//! Japanese, so a new flag cannot be added in English only.
//!
//! Shell completions and the man page stay English: they are generated from the
//! derived command as it is.

use crate::cli::Cli;
use clap::builder::PossibleValue;
use clap::error::{ContextKind, ErrorKind};
use clap::{Arg, Command, CommandFactory};
use kensa_report::i18n::Lang;
use std::ffi::OsString;

/// Columns the Japanese help is wrapped at (clap indents it by ten more under a flag).
const HELP_COLUMNS: usize = 80;
/// Columns a command's short about is wrapped at (the list of commands indents it by
/// fifteen).
const ABOUT_COLUMNS: usize = 64;

/// The language `--lang` names in the raw arguments (`--lang ja`, `--lang=ja`), if it
/// names one. Arguments after `--` are operands, not options.
pub fn lang_in_args(args: &[OsString]) -> Option<Lang> {
    let mut found = None;
    let mut args = args.iter().skip(1).map(|arg| arg.to_str());
    while let Some(arg) = args.next() {
        match arg {
            Some("--") => break,
            Some("--lang") => found = args.next().flatten().and_then(Lang::parse).or(found),
            Some(arg) => {
                if let Some(value) = arg.strip_prefix("--lang=") {
                    found = Lang::parse(value).or(found);
                }
            }
            None => {}
        }
    }
    found
}

/// The command line's definition in `lang`.
pub fn command(lang: Lang) -> Command {
    let mut command = Cli::command();
    match lang {
        Lang::En => command,
        Lang::Ja => {
            // Built first, so that clap's own `--help`, `--version` and `help`
            // subcommand exist and are rewritten too.
            command.build();
            japanese(command)
        }
    }
}

/// A command and its subcommands with Japanese help.
fn japanese(command: Command) -> Command {
    let name = command.get_name().to_string();
    let template = template(&command);
    let mut command = command
        .help_template(template)
        .mut_args(|arg| japanese_arg(arg, &name))
        .mut_subcommands(japanese);
    if let Some(&(_, about, long_about)) = ABOUT.iter().find(|(key, ..)| *key == name) {
        command = command.about(wrapped_at(about, ABOUT_COLUMNS));
        command = match long_about {
            Some(long) => command.long_about(wrapped(long)),
            None => command.long_about(None),
        };
    }
    command
}

/// clap's default template with Japanese headings, listing only the sections the
/// command has.
fn template(command: &Command) -> String {
    let mut template = String::from("{before-help}{about-with-newline}\n使い方: {usage}\n");
    if command.get_subcommands().any(|sub| !sub.is_hide_set()) {
        template.push_str("\nコマンド:\n{subcommands}\n");
    }
    if command.get_positionals().any(|arg| !arg.is_hide_set()) {
        template.push_str("\n引数:\n{positionals}\n");
    }
    if command
        .get_arguments()
        .any(|arg| !arg.is_positional() && !arg.is_hide_set())
    {
        template.push_str("\nオプション:\n{options}\n");
    }
    template.push_str("{after-help}");
    template
}

/// An argument with its Japanese help, its possible and default values written in.
fn japanese_arg(arg: Arg, command: &str) -> Arg {
    let id = arg.get_id().as_str().to_string();
    let Some(help) = arg_help(command, &id) else {
        return arg;
    };
    let mut text = wrapped(help);
    let values: Vec<PossibleValue> = arg
        .get_possible_values()
        .into_iter()
        .filter(|value| !value.is_hide_set())
        .collect();
    if !values.is_empty() && !arg.is_hide_possible_values_set() {
        if values.iter().any(|value| value.get_help().is_some()) {
            text.push_str("\n値:");
            let width = values.iter().map(|v| v.get_name().len()).max().unwrap_or(0);
            for value in &values {
                let name = value.get_name();
                let help = value_help(&id, name).unwrap_or_default();
                let indent = width + 4;
                let lines = kensa_report::wrap::lines(help, HELP_COLUMNS.saturating_sub(indent));
                text.push_str(&format!(
                    "\n  {name:<width$}  {}",
                    lines.join(&format!("\n{:indent$}", ""))
                ));
            }
        } else {
            let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
            text.push_str(&format!("\n値: {}", names.join(", ")));
        }
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|value| value.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() && arg.get_action().takes_values() {
        text.push_str(&format!("\n既定値: {}", defaults.join(", ")));
    }
    arg.help(text)
        .long_help(None)
        .hide_possible_values(true)
        .hide_default_value(true)
        .next_line_help(true)
}

/// `text` wrapped at [`HELP_COLUMNS`], paragraph by paragraph.
fn wrapped(text: &str) -> String {
    wrapped_at(text, HELP_COLUMNS)
}

/// `text` wrapped at `columns`, paragraph by paragraph.
fn wrapped_at(text: &str, columns: usize) -> String {
    text.split("\n\n")
        .map(|paragraph| kensa_report::wrap::lines(paragraph, columns).join("\n"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The Japanese help of argument `id` of subcommand `command`: the subcommand's own
/// entry, else the shared one.
fn arg_help(command: &str, id: &str) -> Option<&'static str> {
    let find = |scope: &str| {
        ARGS.iter()
            .find(|(s, key, _)| *s == scope && *key == id)
            .map(|(.., help)| *help)
    };
    find(command).or_else(|| find(""))
}

/// The Japanese description of a possible value of argument `id`.
fn value_help(id: &str, name: &str) -> Option<&'static str> {
    VALUES
        .iter()
        .find(|(arg, value, _)| *arg == id && *value == name)
        .map(|(.., help)| *help)
}

/// Each command's about and, where it says more, its long about (`--help`), by name.
/// `help` is clap's own subcommand.
const ABOUT: &[(&str, &str, Option<&str>)] = &[
    (
        "kensa",
        "kensa — この Unix ホストは攻撃されたか、攻撃は成功したか、セキュリティホールは塞がれているかを調べます。",
        Some(
            "kensa — この Unix ホストは攻撃されたか、攻撃は成功したか、セキュリティホールは塞がれているかを調べます。\n\n\
             JPCERT/CC の緊急報告 JPCERT-E-INF-97-0001（sendmail の悪用、anonymous FTP の悪用、TELNET/FTP でのパスワード推測）の手順を、稼働中のホストとマウントしたディスクイメージに対して実施します。\n\n\
             終了ステータス: 0 は --fail-on 以上の検出なし、1 は --fail-on 以上の検出あり、2 は実行そのものの失敗です。読み取れない入力は報告の診断メッセージとして示し、失敗とはしません。",
        ),
    ),
    (
        "triage",
        "kensa が調べられるすべての項目を検査し、ホストごとに判定を示します（主な用途）。",
        None,
    ),
    (
        "scan",
        "ログだけを調べます: 攻撃の有無と、攻撃が成功したかどうか。",
        None,
    ),
    (
        "audit",
        "ホストの設定だけを調べます: anonymous FTP、アカウントとシャドウパスワード、バージョン、信頼関係のファイル。",
        Some(
            "ホストの設定だけを調べます: anonymous FTP、アカウントとシャドウパスワード、バージョン、信頼関係のファイル。--root 以下を読むだけで、何も実行せず、何も書き込みません。",
        ),
    ),
    (
        "probe",
        "攻撃者からネットワーク越しに見える状態を調べます。",
        Some(
            "攻撃者からネットワーク越しに見える状態を調べます: SMTP と FTP の応答メッセージと、そこから分かるバージョン（audit と同じアドバイザリで判定）、FTP に anonymous でログインしてディレクトリを一覧できるか、そして --write-test を付けたときに限り、ファイルを書き込めるか。",
        ),
    ),
    (
        "passwords",
        "推測で破られるパスワードのアカウントと、その推測の種類を調べます（アドバイザリの対策 (3)）。",
        Some(
            "推測で破られるパスワードのアカウントと、その推測の種類を調べます（アドバイザリの対策 (3)）。--root 以下のシャドウファイルから読んだハッシュに対し、ユーザー自身に関する語、よく使われるパスワード、辞書の単語を制限時間内で試します。パスワードは --show-passwords を付けたときだけ表示し、報告は他のユーザーが読めるファイルには書き出しません。",
        ),
    ),
    (
        "explain",
        "規則の説明を表示します（例: `kensa explain SM002`）。",
        None,
    ),
    (
        "rules",
        "すべての規則を、コード、種類、結果、重大度とともに一覧表示します。",
        None,
    ),
    (
        "completions",
        "シェルの補完スクリプトを出力します（英語）。",
        Some(
            "シェルの補完スクリプトを出力します（例: `kensa completions bash > /etc/bash_completion.d/kensa`）。補完の説明文は英語です。",
        ),
    ),
    (
        "man",
        "マニュアルページ（roff、英語）を出力します。",
        Some(
            "マニュアルページ（roff）を出力します。このコマンドラインの定義から生成し、内容は英語です（`kensa man > kensa.1; man ./kensa.1`）。",
        ),
    ),
    (
        "watch",
        "ログを継続して監視し、攻撃が記録されると報告します。",
        Some(
            "ログを継続して監視し、攻撃が記録されると報告します（検出ごとに 1 行、テキストまたは JSON Lines）。読んだ位置を --state のファイルに記録するため、watch と定期的な `scan --state` の実行とで、どの検出を報告済みかが一致します。",
        ),
    ),
    (
        "events",
        "ログから解析した認証・sendmail・FTP アップロードのイベントを 1 行 1 件の JSON で出力します。",
        Some(
            "ログから解析した認証・sendmail・FTP アップロードのイベントを 1 行 1 件の JSON で出力します（ファイル、行、ホスト、時刻、種類、それを使う規則の系統）。--unparsed を付けると、ログインやメールのプログラムの行でイベントにならなかったものも出力します。「なぜこれが検出されないのか」を調べるためのコマンドです。",
        ),
    ),
    (
        "help",
        "このヘルプ、または指定したサブコマンドのヘルプを表示します。",
        None,
    ),
];

/// Japanese help of each argument: (subcommand, argument id, help). An empty
/// subcommand is the entry every subcommand shares unless it has its own.
const ARGS: &[(&str, &str, &str)] = &[
    ("", "help", "ヘルプを表示します。"),
    ("", "version", "バージョンを表示します。"),
    (
        "",
        "lang",
        "報告、規則の題名・対処・説明、メッセージの言語: en または ja。既定ではロケール（LC_ALL、LC_MESSAGES、LANG の順。ja_JP* なら日本語）から決め、決まらなければ英語です。JSON と JSON Lines のフィールドの値は英語のままです。",
    ),
    (
        "",
        "root",
        "検査するルートディレクトリ: このホストなら `/`、マウントしたイメージや展開した tar アーカイブならそのディレクトリ。ログはその下（var/log、var/adm、usr/adm）から探し、タイムゾーンはその etc/localtime から得ます。",
    ),
    (
        "",
        "logs",
        "--root 以下から探す代わりに読む、ログファイルまたはディレクトリ。",
    ),
    ("", "format", "出力形式。"),
    ("", "output", "報告を標準出力ではなく FILE に書き出します。"),
    (
        "",
        "since",
        "この時刻より前のログ行を無視します（RFC 3339、または検査対象ホストのタイムゾーンでの YYYY-MM-DD[THH:MM[:SS]]）。",
    ),
    (
        "",
        "until",
        "この時刻より後のログ行を無視します（形式は --since と同じ）。",
    ),
    (
        "",
        "year",
        "日付に年がないログ（従来の syslog）について、各ログの最も新しい行の年。既定ではファイルの更新日時から決め、ログ自身に書かれた日付で補正します。",
    ),
    (
        "",
        "tz",
        "検査対象ホストのタイムゾーン（例: Asia/Tokyo、JST-9）。etc/localtime の内容より優先します。",
    ),
    (
        "",
        "select",
        "指定した規則だけを実行します: コードまたはコードの先頭部分をカンマ区切りで指定します（アドバイザリの sendmail 攻撃は `SM`、パスワード推測は `LG`、anonymous FTP は `FT`、アカウントは `AC`、バージョンは `VR`、信頼関係のファイルは `TR`、バックドアは `BD`、侵害の痕跡は `CP`、個別のコードなら `SM002` など）。既定ではすべての規則を実行します。規則を絞るとスキャンも速くなります。",
    ),
    (
        "",
        "config",
        "設定ファイル（しきい値、信頼するネットワーク）。既定では /etc/kensa/kensa.toml があればそれを使います。kensa.toml.example を参照してください。",
    ),
    (
        "",
        "fail_on",
        "この重大度以上の検出があれば終了ステータス 1 で終了します: `info`（何らかの検出）、`low`（既定: 直すべき弱点とそれ以上）、`medium`（攻撃と深刻なセキュリティホール）、`high`（危険なセキュリティホール、成功したかもしれない攻撃）、`critical`（成功した可能性が高い攻撃や侵入）、`never`（何が見つかっても 0 で終了。報告の収集用）。終了ステータス 2 は常に実行そのものの失敗を表します。",
    ),
    (
        "",
        "mask",
        "ローカルのユーザー名、内部アドレス（RFC 1918、ループバック、リンクローカル、IPv6 ULA）、ホスト自身の名前とドメインを、報告全体（証拠の行を含む）で一貫した仮名（`user-1`、`internal-1`、`host-1`、`domain-1`）に置き換えます。報告を外部と共有するときに使います。公開アドレス（攻撃者のもの）はそのまま残します。",
    ),
    (
        "",
        "allow",
        "許可リストに載った検出を、このホストでは問題ないものとして受け入れます（複数指定可）。1 行に 1 件、`コード パス 理由` の形で書きます（例: `IN001 usr/lib/node_modules/** npm が自分のファイルを更新する`）。受け入れた検出は判定と終了ステータスに含めませんが、理由とともに報告に載せます。許可リストはこのマシンから読み、検査対象のルートからは読みません。",
    ),
    ("", "color", "テキスト出力の色付け。"),
    (
        "",
        "verbose",
        "証拠の行をすべて表示します（テキスト出力では、既定で検出ごとに最初の数行だけを表示します）。",
    ),
    (
        "",
        "quiet",
        "報告以外は何も表示しません（標準エラー出力にスキャンの概要や進捗バーを出しません）。",
    ),
    (
        "",
        "state",
        "差分実行: ログをどこまで読んだか、進行中の攻撃、報告済みの検出をこの SQLite ファイルに記録し、同じファイルを使った前回の実行以降に新しく分かったものだけを報告します（cron や systemd タイマー向け）。ローテーション、圧縮、copytruncate に追従し、実行の合間にログが切り詰められたり置き換えられたりした場合は報告します（ST001）。",
    ),
    (
        "",
        "all",
        "--state と併用: 以前の実行で報告済みのものも含め、記録済みのログと新しいログから分かるすべての検出を報告します。",
    ),
    (
        "",
        "lock_wait",
        "--state と併用: 他の実行が状態ファイルを使用中のときに待つ秒数。",
    ),
    ("watch", "interval", "ログを確認する間隔（秒）。"),
    (
        "events",
        "unparsed",
        "ログインやメールのプログラム（sshd、login、su、sudo、ftpd、telnetd、sendmail、postfix、exim、dovecot、PAM など）の行で、イベントにならなかったものも出力します（`\"kind\": \"unparsed\"`）。",
    ),
    (
        "watch",
        "syslog",
        "各検出をローカルの syslog（ファシリティ auth）にも JSON で送ります。送り先は /dev/log か、指定したデータグラムソケットです。",
    ),
    (
        "watch",
        "exec",
        "検出ごとにこのコマンドを（/bin/sh -c で）実行し、検出を JSON で標準入力に渡します（環境変数 KENSA_CODE、KENSA_SEVERITY、KENSA_HOST も設定します）。実行するのは指定したコマンドだけで、検査対象のシステムにあるものは一切実行しません。",
    ),
    (
        "probe",
        "targets",
        "調べるホスト: `HOST`（SMTP は 25 番、FTP は 21 番ポート）、`HOST:PORT`（25 番と 587 番は SMTP、21 番は FTP、それ以外のポートは応答メッセージで判別）、`[IPv6]:PORT`、`smtp://HOST[:PORT]`、`ftp://HOST[:PORT]`。ホスト名は一度だけ名前解決し、使ったアドレスを報告に示します。",
    ),
    (
        "probe",
        "hosts_file",
        "FILE からも対象を読み込みます: 空白区切りで、`#` 以降はコメントです。",
    ),
    (
        "probe",
        "write_test",
        "`anonymous` として、FTP のログインディレクトリと、そこで一覧できる各ディレクトリに一意な名前の空ファイルを書き込み、すぐに削除します。書き込めた場所と、削除できなかったファイルを報告します。このオプションがなければ何も書き込みません。",
    ),
    (
        "probe",
        "timeout",
        "接続と各応答を待つ秒数（1 台のサーバーとのやり取り全体にはその 12 倍、最低でも 1 分）。",
    ),
    ("probe", "parallel", "同時に調べるホストの数。"),
    (
        "probe",
        "fail_on",
        "この重大度以上の検出があれば終了ステータス 1 で終了します。",
    ),
    (
        "probe",
        "quiet",
        "報告以外は何も表示しません（標準エラー出力に概要を出しません）。",
    ),
    (
        "passwords",
        "root",
        "検査するルートディレクトリ: その etc/passwd とシャドウファイル（etc/shadow、etc/master.passwd、etc/security/passwd）を読むだけで、何も書き込みません。",
    ),
    (
        "passwords",
        "budget",
        "実行全体の制限時間: `90s`、`10m`、`1h`、または秒数。見つかったハッシュ方式の間で（計算の軽いものから順に）分け合います。探索が途中で打ち切られたアカウントは、どこまで試したかとともに一覧します。",
    ),
    (
        "passwords",
        "wordlist",
        "ルートの辞書（usr/share/dict/words、usr/dict/words）の代わりに使う単語リスト（1 行に 1 語）。ルートではなく、このマシンから読みます。",
    ),
    (
        "passwords",
        "no_common_list",
        "kensa 組み込みの、よく使われるパスワードのリストを試しません（--wordlist にそれが含まれている場合など）。",
    ),
    (
        "passwords",
        "show_passwords",
        "見つかったパスワードを報告に載せます（既定では、どの種類の推測で見つかったかだけを示します）。",
    ),
    ("passwords", "threads", "スレッド数（既定: すべてのコア）。"),
    (
        "passwords",
        "memory",
        "推測に同時に使えるメモリ（MiB）。yescrypt は推測 1 回に 16 MiB、scrypt は 64 MiB を使うため、上限が小さいと同時に実行するスレッドが減ります。",
    ),
    (
        "passwords",
        "output",
        "報告を FILE に書き出します（所有者だけが読めるように作成します。他のユーザーが読める既存のファイルには書き出しません）。",
    ),
    (
        "passwords",
        "fail_on",
        "この重大度以上の検出があれば終了ステータス 1 で終了します。",
    ),
    ("passwords", "verbose", "証拠の行をすべて表示します。"),
    (
        "passwords",
        "quiet",
        "報告以外は何も表示しません（標準エラー出力に概要を出しません）。",
    ),
    ("explain", "code", "規則のコード。"),
    ("completions", "shell", "シェルの種類。"),
];

/// Japanese descriptions of possible values: (argument id, value, description).
const VALUES: &[(&str, &str, &str)] = &[
    ("lang", "en", "英語"),
    ("lang", "ja", "日本語"),
    ("format", "text", "人が読むための形式"),
    (
        "format",
        "json",
        "JSON 文書 1 つ（スキーマ: docs/schema/report-v1.schema.json）",
    ),
    (
        "format",
        "jsonl",
        "検出ごとに JSON オブジェクト 1 行。SIEM 向け",
    ),
    (
        "format",
        "sarif",
        "SARIF 2.1.0。コードスキャンのダッシュボードや SARIF ツール向け",
    ),
    (
        "format",
        "html",
        "グラフ付きの自己完結した HTML ページ（スクリプトなし）。-o report.html と併用",
    ),
    (
        "format",
        "incident",
        "CSIRT に送るインシデント報告（JPCERT/CC の様式）。メール向けのプレーンテキストで、時系列、送信元アドレス、ログの行を含みます。--mask も参照",
    ),
    ("color", "auto", "端末に書き出すときだけ色を付けます"),
    ("color", "always", "常に色を付けます"),
    ("color", "never", "色を付けません"),
];

/// Ends the program on an argument error, as clap would, but in Japanese when `lang`
/// is Japanese and the error is one of the usual kinds (help and version requests pass
/// through: their text is already in the command's language).
pub fn exit(error: &clap::Error, lang: Lang) -> ! {
    if lang == Lang::Ja
        && let Some(message) = japanese_error(error)
    {
        let usage = error
            .get(ContextKind::Usage)
            .map(|usage| {
                let usage = usage.to_string().replacen("Usage:", "使い方:", 1);
                format!("\n\n{}", usage.trim())
            })
            .unwrap_or_default();
        eprintln!("エラー: {message}{usage}\n\n詳しくは '--help' を付けて実行してください。");
        std::process::exit(2);
    }
    error.exit()
}

/// The Japanese wording of a parser error, when kensa knows its kind.
fn japanese_error(error: &clap::Error) -> Option<String> {
    let get = |kind| {
        error
            .get(kind)
            .map(ToString::to_string)
            .filter(|text| !text.is_empty())
    };
    let suggestion = |kind| {
        get(kind)
            .map(|s| format!("（'{s}' のことですか？）"))
            .unwrap_or_default()
    };
    Some(match error.kind() {
        ErrorKind::InvalidValue => {
            let arg = get(ContextKind::InvalidArg)?;
            let value = get(ContextKind::InvalidValue).unwrap_or_default();
            let valid = get(ContextKind::ValidValue)
                .map(|v| format!("（使える値: {v}）"))
                .unwrap_or_default();
            if value.is_empty() {
                format!("{arg} に値を指定してください{valid}")
            } else {
                format!("{arg} に '{value}' は指定できません{valid}")
            }
        }
        ErrorKind::UnknownArgument => format!(
            "'{}' という引数はありません{}",
            get(ContextKind::InvalidArg)?,
            suggestion(ContextKind::SuggestedArg)
        ),
        ErrorKind::InvalidSubcommand => format!(
            "'{}' というサブコマンドはありません{}",
            get(ContextKind::InvalidSubcommand)?,
            suggestion(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::MissingRequiredArgument => format!(
            "必要な引数が指定されていません: {}",
            get(ContextKind::InvalidArg)?
        ),
        ErrorKind::MissingSubcommand => "サブコマンドを指定してください".to_string(),
        ErrorKind::ArgumentConflict => format!(
            "{} は {} と同時には指定できません",
            get(ContextKind::InvalidArg)?,
            get(ContextKind::PriorArg)?
        ),
        ErrorKind::ValueValidation => {
            let arg = get(ContextKind::InvalidArg)?;
            let value = get(ContextKind::InvalidValue)?;
            let cause = std::error::Error::source(error)
                .map(|cause| format!(": {cause}"))
                .unwrap_or_default();
            format!("{arg} に指定された '{value}' は正しくありません{cause}")
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!(
                "{} に指定された値の数が正しくありません",
                get(ContextKind::InvalidArg)?
            )
        }
        ErrorKind::NoEquals => format!(
            "{} の値は '=' でつないで指定してください",
            get(ContextKind::InvalidArg)?
        ),
        ErrorKind::InvalidUtf8 => "引数に UTF-8 でない文字が含まれています".to_string(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_japanese(text: &str) -> bool {
        text.chars().any(|c| {
            ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c)
        })
    }

    /// Every command and argument under `command` without Japanese help.
    fn missing(command: &Command, path: &str, problems: &mut Vec<String>) {
        let path = format!("{path} {}", command.get_name()).trim().to_string();
        if !command.is_hide_set() {
            let about = command
                .get_about()
                .map(ToString::to_string)
                .unwrap_or_default();
            if !has_japanese(&about) {
                problems.push(format!("{path}: about {about:?}"));
            }
            if let Some(long) = command.get_long_about()
                && !has_japanese(&long.to_string())
            {
                problems.push(format!("{path}: long about {long:?}"));
            }
        }
        for arg in command.get_arguments().filter(|arg| !arg.is_hide_set()) {
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            if !has_japanese(&help) {
                problems.push(format!("{path} {}: help {help:?}", arg.get_id()));
            }
            if let Some(long) = arg.get_long_help() {
                problems.push(format!(
                    "{path} {}: English long help {long:?}",
                    arg.get_id()
                ));
            }
        }
        for sub in command.get_subcommands() {
            missing(sub, &path, problems);
        }
    }

    #[test]
    fn every_command_and_argument_has_japanese_help() {
        let command = command(Lang::Ja);
        let mut problems = Vec::new();
        missing(&command, "", &mut problems);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        // The walk saw the real thing: every subcommand and clap's own flags.
        let names: Vec<&str> = command.get_subcommands().map(Command::get_name).collect();
        for name in [
            "triage",
            "scan",
            "audit",
            "probe",
            "passwords",
            "watch",
            "help",
        ] {
            assert!(names.contains(&name), "{name} not in {names:?}");
        }
        let scan = command.find_subcommand("scan").unwrap();
        assert!(scan.get_arguments().any(|arg| arg.get_id() == "help"));
        assert!(scan.get_arguments().count() >= 20);
    }

    #[test]
    fn every_table_entry_names_a_real_argument_or_value() {
        let command = command(Lang::En);
        let mut built = command.clone();
        built.build();
        let mut ids = Vec::new();
        let mut values = Vec::new();
        let mut names = vec!["kensa".to_string(), "help".to_string()];
        let mut stack = vec![&built];
        while let Some(command) = stack.pop() {
            names.push(command.get_name().to_string());
            for arg in command.get_arguments() {
                ids.push((command.get_name().to_string(), arg.get_id().to_string()));
                for value in arg.get_possible_values() {
                    values.push((arg.get_id().to_string(), value.get_name().to_string()));
                }
            }
            stack.extend(command.get_subcommands());
        }
        for (scope, id, _) in ARGS {
            assert!(
                ids.iter()
                    .any(|(c, i)| i == id && (scope.is_empty() || c == scope)),
                "{scope} {id}: no such argument"
            );
        }
        for (arg, value, _) in VALUES {
            assert!(
                values.iter().any(|(a, v)| a == arg && v == value),
                "{arg}={value}: no such value"
            );
        }
        for (name, ..) in ABOUT {
            assert!(names.iter().any(|n| n == name), "{name}: no such command");
        }
    }

    #[test]
    fn lang_is_found_in_the_raw_arguments() {
        let args = |list: &[&str]| -> Vec<OsString> {
            std::iter::once("kensa")
                .chain(list.iter().copied())
                .map(OsString::from)
                .collect()
        };
        assert_eq!(
            lang_in_args(&args(&["--lang", "ja", "scan"])),
            Some(Lang::Ja)
        );
        assert_eq!(
            lang_in_args(&args(&["scan", "--lang=ja", "-h"])),
            Some(Lang::Ja)
        );
        assert_eq!(
            lang_in_args(&args(&["scan", "--lang", "en"])),
            Some(Lang::En)
        );
        assert_eq!(lang_in_args(&args(&["scan", "--help"])), None);
        assert_eq!(lang_in_args(&args(&["scan", "--", "--lang", "ja"])), None);
        assert_eq!(lang_in_args(&args(&["scan", "--lang"])), None);
    }

    #[test]
    fn parser_errors_are_japanese() {
        let error = command(Lang::Ja)
            .try_get_matches_from(["kensa", "scan", "--format", "xml"])
            .unwrap_err();
        let message = japanese_error(&error).unwrap();
        assert!(message.contains("'xml' は指定できません"), "{message}");
        assert!(message.contains("text, json"), "{message}");
        let error = command(Lang::Ja)
            .try_get_matches_from(["kensa", "scna"])
            .unwrap_err();
        let message = japanese_error(&error).unwrap();
        assert_eq!(
            message,
            "'scna' というサブコマンドはありません（'scan' のことですか？）"
        );
    }
}
