//! # SM003 sendmail-probe
//!
//! ## What it finds
//! Probes of sendmail's old holes that did not carry a malicious delivery:
//! - the SMTP "door handle" commands `WIZ`, `DEBUG` and `SHOWQ`, which sendmail 8 traps
//!   and logs at LOG_CRIT as `"wiz" command from HOST [IP] (IP)` (sendmail 5.x and
//!   early 8.x honoured `DEBUG` and gave a shell through it: the Morris worm's hole);
//! - a sender sendmail refused to parse (`setsender: ADDR: invalid or unparseable,
//!   received from ...`), the usual trace of a `MAIL FROM:<|program>` that failed;
//! - an address sendmail refused as a file or program (`ADDR... Cannot mail directly
//!   to files`, `... to programs`);
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
    title_ja: "",
    advice_ja: "",
    since: "0.1.0",
    source: include_str!("sm003_probe.rs"),
};
