//! # RK006 setuid-shell
//!
//! ## What it finds
//! Every setuid or setgid file that is a shell: named like one (`sh`, `bash`, `dash`,
//! `ksh`, `zsh`, `csh`, `tcsh`, `busybox`, … — the `shell` entries of
//! `data/rootkit-traces.tsv`), or with the same bytes (SHA-256) as one of the root's
//! shells — those listed in `etc/shells` and the usual shell names in `bin`, `sbin`,
//! `usr/bin`, `usr/sbin` and `usr/local/bin` — whatever its name and wherever it lies.
//!
//! ## Why it matters
//! A setuid-root copy of a shell is a root shell for anyone who runs it: the oldest
//! backdoor there is, left in `/tmp`, a home directory or a dot-directory so that the
//! intruder gets root back with any account. (Modern `bash` drops the privilege unless
//! started with `-p`; the copy still works with `-p`, and other shells do not drop it.)
//! The sendmail exploits of the advisory's time left one in `/tmp` as their payload.
//!
//! ## Example
//! ```text
//! tmp/.s: mode 4755, owner root (0), group root (0), 125560 bytes, …; same bytes as usr/bin/dash
//! ```
//!
//! ## What to do
//! Treat the host as compromised (step 5): keep the file as evidence, isolate the
//! host, rebuild it and change every password used on it.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001 (step 5)
//! - CERT/CC "Intruder Detection Checklist" (setuid copies of `/bin/sh`)
//!
//! <!-- ja -->
//! # RK006 setuid-shell
//!
//! ## 何を見つけるか
//! シェルである setuid または setgid のファイルすべて。シェルの名前（`sh`、`bash`、
//! `dash`、`ksh`、`zsh`、`csh`、`tcsh`、`busybox` など、`data/rootkit-traces.tsv` の
//! `shell`）を持つもの、または名前や場所にかかわらず、ルートのシェル（`etc/shells` に
//! 載るものと、`bin`、`sbin`、`usr/bin`、`usr/sbin`、`usr/local/bin` の通常のシェル名）
//! と同じ内容（SHA-256）のものです。
//!
//! ## なぜ重要か
//! setuid root のシェルの複製は、起動した誰にとっても root のシェルです。侵入者が
//! どのアカウントからでも root に戻れるよう、`/tmp`、ホームディレクトリ、ドット
//! ディレクトリに残す最も古いバックドアです（最近の `bash` は `-p` なしでは特権を
//! 捨てますが、`-p` を付ければ使え、他のシェルは捨てません）。勧告の時代の sendmail
//! 攻撃コードも、`/tmp` にこれを残すものでした。
//!
//! ## 例
//! ```text
//! tmp/.s: モード 4755、所有者 root（0）、グループ root（0）、125560 バイト、…。usr/bin/dash と同じ内容
//! ```
//!
//! ## 対処
//! 侵入されたものとして扱ってください（手順 5）。ファイルを証拠として保存し、ホストを
//! 隔離し、再構築し、使われたすべてのパスワードを変更してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001（手順 5）
//! - CERT/CC "Intruder Detection Checklist"（`/bin/sh` の setuid 複製）

use super::traces::{self, TraceKind};
use super::{describe, programs_named, walked};
use crate::{Context, Root, file_evidence};
use kensa_core::{Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};
use kensa_fs::{FileKind, Meta};
use sha2::Digest as _;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::sync::Arc;

/// RK006: a setuid or setgid shell.
pub static RULE: Rule = Rule {
    code: "RK006",
    name: "setuid-shell",
    kind: Kind::Backdoor,
    outcome: Outcome::Indicator,
    severity: Severity::Critical,
    title: "Setuid or setgid copy of a shell",
    advice: "Treat the host as compromised (step 5): keep the file as evidence, isolate \
             the host, rebuild it and change every password used on it.",
    title_ja: "setuid または setgid されたシェルの複製",
    advice_ja: "侵入されたものとして扱ってください（手順 5）。ファイルを証拠として保存し、\
                ホストを隔離し、再構築し、使われたすべてのパスワードを変更してください。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("rk006_setuid_shell.rs"),
};

/// Shells larger than this are not hashed (no shell is).
const MAX_SHELL_BYTES: u64 = 64 << 20;

/// The setuid or setgid files of the walk that are shells, with why (computed once:
/// RK005 leaves them to this rule).
pub fn setuid_shells(ctx: &mut Context<'_>) -> Arc<Vec<(String, Meta, Localized)>> {
    if let Some(found) = &ctx.rootkit.shells {
        return found.clone();
    }
    let found = Arc::new(find(ctx));
    ctx.rootkit.shells = Some(found.clone());
    found
}

fn find(ctx: &mut Context<'_>) -> Vec<(String, Meta, Localized)> {
    let t = traces::get();
    let walk = walked(ctx);
    if walk.setuid.is_empty() {
        return Vec::new();
    }
    // The root's shells, each file once: (path, metadata).
    let names: Vec<&str> = t.of(TraceKind::Shell).map(|s| s.pattern.as_str()).collect();
    let mut shells = programs_named(ctx.root, &names);
    if let Some(data) = ctx.read_config("etc/shells") {
        let mut seen: HashSet<(u64, u64)> = shells.iter().map(|s| (s.1.dev, s.1.ino)).collect();
        for line in String::from_utf8_lossy(&data).lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Ok(meta) = ctx.root.stat(line)
                && meta.kind == FileKind::File
                && seen.insert((meta.dev, meta.ino))
            {
                let path = ctx.root.resolve(line).unwrap_or_else(|_| line.to_string());
                shells.push((path, meta));
            }
        }
    }
    // Hash only what could match: shells whose size a setuid file has.
    let sizes: HashSet<u64> = walk.setuid.iter().map(|(_, m)| m.len).collect();
    let mut by_hash: HashMap<[u8; 32], String> = HashMap::new();
    for (path, meta) in &shells {
        if sizes.contains(&meta.len)
            && let Some(h) = sha256(ctx.root, path, meta)
        {
            by_hash.entry(h).or_insert_with(|| path.clone());
        }
    }
    let mut found = Vec::new();
    for (path, meta) in &walk.setuid {
        let name = path.rsplit('/').next().unwrap_or(path);
        let same = if meta.len > 0 && shells.iter().any(|(_, s)| s.len == meta.len) {
            sha256(ctx.root, path, meta).and_then(|h| by_hash.get(&h).cloned())
        } else {
            None
        };
        let why = match (&same, t.lists(TraceKind::Shell, name)) {
            (Some(shell), _) if shell == path => tr!(
                "a shell made setuid or setgid",
                "setuid または setgid にされたシェル"
            ),
            (Some(shell), _) => tr!("same bytes as {shell}", "{shell} と同じ内容"),
            (None, true) => tr!("named like a shell ({name})", "シェルと同じ名前（{name}）"),
            (None, false) => continue,
        };
        found.push((path.clone(), *meta, why));
    }
    found
}

/// Runs RK006.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (path, meta, why) in setuid_shells(ctx).iter() {
        let (bits, bits_ja) = super::rk005_unexpected_setuid::set_bits(meta.mode);
        let user = ctx.user_name(meta.uid);
        let Localized {
            en: described,
            ja: described_ja,
        } = describe(ctx, meta);
        let mut finding = ctx.finding(&RULE);
        let Localized {
            en: why,
            ja: why_ja,
        } = why;
        finding.set_title(tr!(
            "{path} is a {bits} shell owned by {user}: {why}",
            "{path} は {user} が所有する {bits_ja} のシェル: {why_ja}"
        ));
        finding.subject.path = Some(path.clone());
        finding.count = 1;
        finding.merge_key = path.clone();
        finding.push_evidence(file_evidence(
            path,
            tr!("{described}; {why}", "{described_ja}。{why_ja}"),
        ));
        findings.push(finding);
    }
    findings
}

/// The SHA-256 of a file, `None` when unreadable, too large or not the file `meta`
/// describes any more.
fn sha256(root: &Root, path: &str, meta: &Meta) -> Option<[u8; 32]> {
    if meta.len > MAX_SHELL_BYTES {
        return None;
    }
    let file = root.open_file(path).ok()?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 64 << 10];
    let mut reader = file.take(MAX_SHELL_BYTES);
    loop {
        let n = reader.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Some(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrity::testroot::{debianish, write};
    use crate::{Context, Root};

    fn found(dir: &std::path::Path) -> Vec<String> {
        let root = Root::open(dir).unwrap();
        check(&mut Context::new(&root, "h"))
            .into_iter()
            .map(|f| f.title)
            .collect()
    }

    #[test]
    fn a_renamed_setuid_copy_of_dash_is_found_and_passwd_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        debianish(p);
        std::os::unix::fs::symlink("dash", p.join("usr/bin/sh")).unwrap();
        // passwd is setuid and the same size as nothing: silent; dash itself is not setuid.
        assert!(found(p).is_empty());
        // A copy with the same bytes and a harmless name.
        write(p, "tmp/.s", b"\x7fELF dash shell", 0o4755);
        // A file of the same size that is not a shell.
        write(p, "tmp/other", b"\x7fELF dash shelX", 0o4755);
        // A setgid copy named sh in a home directory.
        write(p, "home/a/sh", b"\x7fELF anything", 0o2755);
        let got = found(p);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].starts_with("home/a/sh is a setgid"), "{got:?}");
        assert!(
            got[1].contains("tmp/.s is a setuid") && got[1].ends_with("same bytes as usr/bin/dash"),
            "{got:?}"
        );
    }

    #[test]
    fn a_shell_made_setuid_in_place_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, "bin/bash", b"\x7fELF bash", 0o4755);
        write(p, "etc/shells", b"/bin/bash\n", 0o644);
        let got = found(p);
        assert_eq!(got.len(), 1);
        assert!(got[0].ends_with("a shell made setuid or setgid"), "{got:?}");
        let root = Root::open(p).unwrap();
        let finding = check(&mut Context::new(&root, "h")).remove(0);
        let ja = finding.evidence[0].text_ja.as_deref().unwrap_or_default();
        assert!(
            ja.starts_with("モード 4755、所有者 ")
                && ja.ends_with("。setuid または setgid にされたシェル"),
            "{ja}"
        );
        let title_ja = finding.title_ja;
        assert!(
            title_ja.starts_with("bin/bash は ")
                && title_ja
                    .ends_with(" が所有する setuid のシェル: setuid または setgid にされたシェル"),
            "{title_ja}"
        );
    }
}
