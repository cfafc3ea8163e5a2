//! # SM003 sendmail-probe
//!
//! ## What it finds
//! Probes of sendmail's old holes that did not carry a malicious delivery:
//! - the SMTP "door handle" commands `WIZ`, `DEBUG` and `SHOWQ`, which sendmail 8 traps
//!   and logs at LOG_CRIT as `"wiz" command from HOST [IP] (IP)` (sendmail 5.x and
//!   early 8.x honoured `DEBUG` and gave a shell through it: the Morris worm's hole);
//! - a sender sendmail refused to parse (`setsender: ADDR: invalid or unparseable,
//!   received from ...`; `unparsable` from 8.12), the usual trace of a
//!   `MAIL FROM:<|program>` that failed;
//! - a program or file address sendmail refused (`ADDR... Cannot mail directly to
//!   files`, `... to programs`, `... Unbalanced '<'`, or a check ruleset's
//!   `ruleset=check_rcpt, arg1=ADDR, relay=..., reject=553 ...`);
//! - mail to the `decode`/`uudecode` alias, which writes a file named by the attacker
//!   (`begin 644 /.rhosts`) with the alias's privileges.
//!
//! Lines with a queue id are grouped by host and queue id; lines without one (sendmail
//! often logs `setsender` and door-handle commands before the queue id exists) by host
//! and PID within a few seconds only. When the same message also has a malicious
//! address, the lines become evidence of SM001/SM002 instead. Severity is raised to
//! high when the refused address itself names a program or trust file, or when the
//! `decode` alias accepted the message (`stat=Sent`).
//!
//! ## Why it matters
//! Nobody uses `WIZ` or `DEBUG` by accident, and a program as the sender is never a
//! mistake: these are people testing which sendmail hole the host still has. The
//! `decode` alias lets anyone on the net write files as the alias's user.
//!
//! ## Example
//! ```text
//! Jan  3 02:14:07 mailhub sendmail[2214]: "debug" command from evil.example.org [192.0.2.7] (192.0.2.7)
//! Jan  3 02:14:09 mailhub sendmail[2214]: setsender: |/bin/sh: invalid or unparseable, received from evil.example.org [192.0.2.7]
//! ```
//!
//! ## What to do
//! (1) Upgrade sendmail to a current version, and remove the `decode`/`uudecode` alias
//! from `/etc/aliases` (then run `newaliases`). Look for other attempts from the same
//! source, in particular SM001/SM002 and password guessing.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (1997-01-09)
//! - CERT Advisory CA-88:01 (sendmail DEBUG), CA-95:05 (sendmail), CA-96.25
//! - sendmail 8 `srvrsmtp.c` (`CMDLOGBOGUS`: `wiz`, `debug`, `showq`)
//! <!-- ja -->
//! # SM003 sendmail-probe
//!
//! ## 検出内容
//! 悪意のある配送を伴わない、sendmail の古いセキュリティホールの探査です:
//! - SMTP の「裏口」コマンド `WIZ`、`DEBUG`、`SHOWQ`。sendmail 8 はこれらを受け付けず、
//!   LOG_CRIT で `"wiz" command from HOST [IP] (IP)` と記録します（sendmail 5.x と初期の 8.x は
//!   `DEBUG` を受け付け、それを通じてシェルを与えてしまいました。Morris ワームが使った穴です）。
//! - sendmail が解釈を拒んだ送信者（`setsender: ADDR: invalid or unparseable,
//!   received from ...`。8.12 以降の綴りは `unparsable`）。失敗した
//!   `MAIL FROM:<|program>` によく残る痕跡です。
//! - 拒否されたプログラムやファイルのアドレス（`ADDR... Cannot mail directly
//!   to files`、`... to programs`、`... Unbalanced '<'`、またはチェック用ルールセットによる
//!   `ruleset=check_rcpt, arg1=ADDR, relay=..., reject=553 ...`）。
//! - `decode`/`uudecode` エイリアス宛てのメール。攻撃者が名前を指定したファイル
//!   （`begin 644 /.rhosts`）をエイリアスの権限で書き込みます。
//!
//! キュー ID のある行はホストとキュー ID でまとめ、キュー ID のない行（sendmail は `setsender`
//! や裏口コマンドをキュー ID が決まる前に記録することが多い）はホストと PID で、数秒以内に
//! 限ってまとめます。同じメッセージに悪意のあるアドレスもある場合、これらの行は SM001/SM002 の
//! 証拠として扱います。拒否されたアドレス自体がプログラムや信頼関係のファイルを指している場合、
//! または `decode` エイリアスがメッセージを受け付けた（`stat=Sent`）場合は、重大度を「高」に
//! 上げます。
//!
//! ## 重要な理由
//! `WIZ` や `DEBUG` をうっかり使う人はいませんし、プログラムを送信者にすることも誤りでは
//! 起こりません。これらは、ホストにどの sendmail のセキュリティホールが残っているかを調べて
//! いる者の仕業です。`decode` エイリアスがあると、ネット上の誰もがエイリアスの利用者として
//! ファイルを書き込めます。
//!
//! ## 例
//! ```text
//! Jan  3 02:14:07 mailhub sendmail[2214]: "debug" command from evil.example.org [192.0.2.7] (192.0.2.7)
//! Jan  3 02:14:09 mailhub sendmail[2214]: setsender: |/bin/sh: invalid or unparseable, received from evil.example.org [192.0.2.7]
//! ```
//!
//! ## 対処
//! (1) Sendmail を最新版にバージョンアップし、`/etc/aliases` から `decode`/`uudecode`
//! エイリアスを削除します（その後 `newaliases` を実行）。同じ送信元からの他の攻撃、特に
//! SM001/SM002 とパスワード類推がないか調べてください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (1997-01-09)
//! - CERT Advisory CA-88:01（sendmail の DEBUG）、CA-95:05（sendmail）、CA-96.25
//! - sendmail 8 の `srvrsmtp.c`（`CMDLOGBOGUS`: `wiz`、`debug`、`showq`）

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// SM003: a probe of sendmail's old holes without a malicious delivery.
pub static RULE: Rule = Rule {
    code: "SM003",
    name: "sendmail-probe",
    kind: Kind::SendmailExploit,
    outcome: Outcome::Attempted,
    severity: Severity::Medium,
    title: "Sendmail probe (WIZ/DEBUG, refused program or file address, decode alias)",
    advice: "(1) Upgrade sendmail to a current version and remove the decode/uudecode alias; \
             look for other attempts from the same source.",
    status: RuleStatus::Stable,
    title_ja: "sendmail のセキュリティホールの探査（WIZ/DEBUG、拒否されたプログラム・ファイル\
             宛先、decode エイリアス）",
    advice_ja: "(1) Sendmail を最新版にバージョンアップし、decode/uudecode エイリアスを削除し\
             てください。同じ送信元からの他の攻撃がないか調べてください。",
    since: "0.1.0",
    source: include_str!("sm003_probe.rs"),
};
