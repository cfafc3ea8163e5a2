//! # FT004 anon-ftp-writable-dir
//!
//! ## What it finds
//! A directory under the anonymous FTP root, other than the root and its system
//! directories (FT001), that the anonymous user can write to: owned by the ftp user,
//! writable by its group or by everyone. A directory called `incoming` that is
//! write-only for that user (mode 1733 or 0733: files go in, nobody can list them) is
//! how uploads should be taken and is not reported; an `incoming` that can also be read
//! is, at a lower severity.
//!
//! ## Why it matters
//! A writable and readable directory becomes a drop box for other people's files
//! (CERT CA-93:10: "use of writable areas to transfer copyrighted software"), and a
//! writable directory next to the FTP root is one `rename` away from the advisory's
//! attack on servers that allow it.
//!
//! ## Example
//! ```text
//! home/ftp/pub: mode 0777, owner root, group wheel (writable by everyone)
//! ```
//!
//! ## What to do
//! (2) `chmod 755` (owned by root) every directory anonymous users only read; take
//! uploads in one `incoming` directory owned by root with mode 1733, and move what
//! arrives there out of the anonymous area after checking it.
//!
//! ## References
//! - CERT Advisory CA-93:10 and its "Anonymous FTP configuration guidelines" (section II)
//! - COPS `ftp.chk`; Tiger `check_anonftp`
//! <!-- ja -->
//! # FT004 anon-ftp-writable-dir
//!
//! ## 検出内容
//! Anonymous FTP のルート・ディレクトリの下にあるディレクトリ（ルートとそのシステムディレクトリ
//! （FT001）を除く）のうち、匿名の利用者が書き込めるもの（ftp 利用者が所有している、その
//! グループやすべての利用者が書き込める）を検出します。その利用者にとって書き込み専用の
//! `incoming` という名前のディレクトリ（モード 1733 または 0733。ファイルを入れられるが誰も
//! 一覧を見られない）は、アップロードを受け付ける正しい方法なので報告しません。読むこともできる
//! `incoming` は、低い重大度で報告します。
//!
//! ## 重要な理由
//! 書き込みも読み出しもできるディレクトリは、他人のファイルの置き場になります（CERT CA-93:10:
//! 「書き込み可能な領域を使った著作権のあるソフトウェアの転送」）。また、FTP のルートの隣に
//! ある書き込み可能なディレクトリは、それを許すサーバでは `rename` 一つでアドバイザリの攻撃に
//! つながります。
//!
//! ## 例
//! ```text
//! home/ftp/pub: モード 0777、所有者 root、グループ wheel（誰でも書き込める）
//! ```
//!
//! ## 対処
//! (2) 匿名の利用者が読むだけのディレクトリはすべて `chmod 755`（root の所有）にしてください。
//! アップロードは root が所有するモード 1733 の `incoming` ディレクトリ一つで受け付け、届いた
//! ものは確認してから匿名領域の外へ移してください。
//!
//! ## 参考
//! - CERT Advisory CA-93:10 とその "Anonymous FTP configuration guidelines"（第 II 節）
//! - COPS `ftp.chk`、Tiger `check_anonftp`

use super::ft001_root_writable::SYSTEM_DIRS;
use super::{AnonArea, MAX_WALK_DEPTH, MAX_WALK_DIRS, anon_areas, describe, join};
use crate::Context;
use kensa_core::{
    DiagnosticLevel, Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr,
};
use std::collections::VecDeque;
use std::os::unix::ffi::OsStrExt;

/// FT004: a directory under the anonymous FTP root that anonymous users can write.
pub static RULE: Rule = Rule {
    code: "FT004",
    name: "anon-ftp-writable-dir",
    kind: Kind::AnonFtpWrite,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Directory in the anonymous FTP area writable by anonymous users",
    advice: "(2) Make every directory of the anonymous FTP area owned by root and not \
             writable (755), except one write-only incoming directory (mode 1733, owned by \
             root) whose uploads are moved out after checking.",
    status: RuleStatus::Stable,
    title_ja: "Anonymous FTP の領域に匿名の利用者が書き込めるディレクトリがある",
    advice_ja: "(2) Anonymous FTP の領域のすべてのディレクトリを root の所有にして書き込めない\
             ようにしてください（755）。例外は書き込み専用の incoming ディレクトリ一つ（モー\
             ド 1733、root の所有）だけとし、そこへのアップロードは確認してから領域の外へ移し\
             てください。",
    since: "0.1.0",
    source: include_str!("ft004_writable_dirs.rs"),
};

/// Findings itemised per area; more are counted in the last one.
const MAX_FINDINGS: usize = 100;

pub(crate) fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for area in anon_areas(ctx) {
        walk(ctx, &area, &mut findings);
    }
    findings
}

fn walk(ctx: &mut Context<'_>, area: &AnonArea, findings: &mut Vec<Finding>) {
    let system: Vec<String> = SYSTEM_DIRS.iter().map(|d| join(&area.home, d)).collect();
    let mut queue: VecDeque<(String, usize)> = VecDeque::from([(area.home.clone(), 0)]);
    let mut walked = 0usize;
    let mut itemised = 0usize;
    let mut truncated = false;
    while let Some((dir, depth)) = queue.pop_front() {
        walked += 1;
        let entries = match ctx.root.read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) => {
                if dir == area.home && err.kind() == std::io::ErrorKind::NotFound {
                    return;
                }
                ctx.say(
                    DiagnosticLevel::Warning,
                    &dir,
                    tr!(
                        "cannot list: {err}",
                        "ディレクトリの一覧を読み取れません: {err}"
                    ),
                );
                continue;
            }
        };
        for entry in entries {
            if entry.meta.kind != crate::FileKind::Dir {
                continue;
            }
            let name = entry.name.as_bytes();
            let rel = join(&dir, &String::from_utf8_lossy(name));
            // Bounded queue too: a directory may hold 100 000 subdirectories.
            if depth + 1 < MAX_WALK_DEPTH {
                if walked + queue.len() < MAX_WALK_DIRS {
                    queue.push_back((rel.clone(), depth + 1));
                } else {
                    truncated = true;
                }
            }
            if system.contains(&rel) {
                continue;
            }
            let Some((reason, reason_ja)) = area.write_access(&entry.meta) else {
                continue;
            };
            let incoming = name.eq_ignore_ascii_case(b"incoming");
            let readable = area.readable_where_writable(&entry.meta);
            if incoming && !readable {
                continue;
            }
            itemised += 1;
            if itemised > MAX_FINDINGS {
                if let Some(last) = findings.last_mut() {
                    last.count += 1;
                }
                continue;
            }
            let shown = ctx.root.display(&rel);
            let mut finding = ctx.finding(&RULE);
            if incoming {
                finding.severity = Severity::Medium;
                finding.set_title(tr!(
                    "Anonymous FTP upload directory {shown} can be read as well as written \
                     ({reason})",
                    "Anonymous FTP のアップロード用ディレクトリ {shown} は書き込みだけでなく\
                     読み出しもできる（{reason_ja}）"
                ));
            } else {
                finding.set_title(tr!(
                    "Anonymous FTP directory {shown} is {reason}",
                    "Anonymous FTP のディレクトリ {shown}: {reason_ja}"
                ));
            }
            finding.subject.path = Some(shown.clone());
            finding.subject.users = vec![area.account.clone()];
            finding.count = 1;
            let Localized {
                en: mode,
                ja: mode_ja,
            } = describe(ctx, &entry.meta);
            let text = tr!(
                "{shown}: {mode} ({reason})",
                "{shown}: {mode_ja}（{reason_ja}）"
            );
            finding.push_evidence(crate::file_evidence(&shown, text));
            finding.merge_key = shown;
            findings.push(finding);
        }
    }
    if truncated {
        ctx.say(
            DiagnosticLevel::Note,
            &area.home,
            tr!(
                "more than {MAX_WALK_DIRS} directories: the rest were not examined for write \
                 access",
                "ディレクトリが {MAX_WALK_DIRS} 個を超えるため、残りは書き込めるかどうかを検査\
                 していません"
            ),
        );
    }
}
