//! # BD003 root-ssh-keys
//!
//! ## What it finds
//! The SSH public keys that let someone log in as root without a password: every key in
//! `.ssh/authorized_keys` and `.ssh/authorized_keys2` of each UID 0 account's home (and
//! `/root`, `/`), plus the files sshd's own `AuthorizedKeysFile` names (`%h`, `%u` and
//! `%%` expanded; `Include`d files of `sshd_config` read too). Each key is listed with its
//! type, its `SHA256:` fingerprint (as `ssh-keygen -l` prints it), its comment and its
//! options, so it can be compared with the keys you issued.
//!
//! | situation | severity | outcome |
//! |---|---|---|
//! | keys present, root login over SSH allowed | medium | exposure: confirm each key |
//! | keys present, `PermitRootLogin no` | low | exposure |
//! | the key file or its `.ssh` is writable by others than root, or owned by another user | high | **indicator** |
//!
//! ## Why it matters
//! Appending a key to root's `authorized_keys` is today's `+ +` in `/.rhosts`: one line
//! that survives every password change. kensa cannot know which keys you issued; it shows
//! them so you can tell, and flags the file when someone other than root could have
//! written it.
//!
//! ## Example
//! ```text
//! root/.ssh/authorized_keys:3: ssh-ed25519 SHA256:3QpB... (comment "x@kali")
//! ```
//!
//! ## What to do
//! Remove every key you cannot account for. If a key is not yours, the host was broken
//! into: keep the disk, rebuild (the advisory's step 5) and (3) change every password and
//! key that was on it. Prefer `PermitRootLogin no` (log in as a user, then `su`/`sudo`).
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001 steps 3 and 5
//! - sshd(8) AUTHORIZED_KEYS FILE FORMAT, sshd_config(5) `AuthorizedKeysFile`,
//!   `PermitRootLogin`; MITRE ATT&CK T1098.004 (SSH authorized keys)
//! <!-- ja -->
//! # BD003 root-ssh-keys
//!
//! ## 検出内容
//! パスワードなしで root としてログインできる SSH 公開鍵を列挙します。UID 0 の各アカウントの
//! ホーム（および `/root`、`/`）の `.ssh/authorized_keys` と `.ssh/authorized_keys2`、
//! さらに sshd の `AuthorizedKeysFile` が指定するファイル（`%h`、`%u`、`%%` を展開。
//! `sshd_config` の `Include` 先も読みます）の各鍵を、種類、`ssh-keygen -l` と同じ形式の
//! `SHA256:` フィンガープリント、コメント、オプションとともに示し、発行した鍵と照合できる
//! ようにします。
//!
//! | 状況 | 重大度 | 結果 |
//! |---|---|---|
//! | 鍵があり、SSH での root ログインが許可されている | medium | 露出：各鍵を確認 |
//! | 鍵があり、`PermitRootLogin no` | low | 露出 |
//! | 鍵ファイルまたは `.ssh` が root 以外に書き込み可能、または他のユーザーの所有 | high | **侵入の痕跡** |
//!
//! ## 重要な理由
//! root の `authorized_keys` への鍵の追記は、現代版の `/.rhosts` への `+ +` です。
//! パスワードをいくら変えても残る 1 行です。どの鍵を発行したかは kensa にはわからないため
//! 一覧を示し、root 以外が書き込めた可能性があるファイルは痕跡として報告します。
//!
//! ## 例
//! ```text
//! root/.ssh/authorized_keys:3: ssh-ed25519 SHA256:3QpB...（コメント "x@kali"）
//! ```
//!
//! ## 対処
//! 説明のつかない鍵はすべて削除してください。自分の鍵でないものがあれば侵入されています。
//! ディスクを保全し、再構築し（勧告の手順 5）、対策 (3) としてこのホストにあったすべての
//! パスワードと鍵を変更してください。`PermitRootLogin no`（一般ユーザーでログインしてから
//! `su`/`sudo`）を推奨します。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001 手順 3、5
//! - sshd(8) AUTHORIZED_KEYS FILE FORMAT、sshd_config(5) `AuthorizedKeysFile`、
//!   `PermitRootLogin`、MITRE ATT&CK T1098.004

use crate::Context;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use kensa_core::{Evidence, Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// BD003: SSH keys that log in as root.
pub static RULE: Rule = Rule {
    code: "BD003",
    name: "root-ssh-keys",
    kind: Kind::Backdoor,
    outcome: Outcome::Exposure,
    severity: Severity::Medium,
    title: "SSH keys that log in as root",
    advice: "Confirm every key is one you issued and remove the rest; a key that is not \
             yours means an intrusion: rebuild (step 5), (3) change every password and key. \
             Prefer PermitRootLogin no.",
    title_ja: "root としてログインできる SSH 鍵",
    advice_ja: "すべての鍵が発行したものか確認し、それ以外は削除してください。自分の鍵で\
                ないものは侵入を意味します。再構築し（手順 5）、対策 (3) としてすべての\
                パスワードと鍵を変更してください。PermitRootLogin no を推奨します。",
    status: RuleStatus::Stable,
    since: "0.2.0",
    source: include_str!("bd003_root_ssh_keys.rs"),
};

/// Key files read at most per host.
const MAX_KEY_FILES: usize = 64;
/// Keys listed per file at most (the count stays exact).
const MAX_KEYS_SHOWN: usize = 32;

/// Key types sshd accepts (a line not starting with one begins with options).
fn is_key_type(token: &str) -> bool {
    token.starts_with("ssh-")
        || token.starts_with("ecdsa-sha2-")
        || token.starts_with("sk-ssh-")
        || token.starts_with("sk-ecdsa-")
}

/// One key line: options, type, fingerprint, comment.
#[derive(Debug, PartialEq, Eq)]
pub struct Key {
    /// Options before the key (`from="..."`, `command="..."`), as written.
    pub options: String,
    /// `ssh-ed25519`, `ssh-rsa`, ...
    pub key_type: String,
    /// `SHA256:...` of the decoded key, or `(not base64)`.
    pub fingerprint: String,
    /// The comment after the key.
    pub comment: String,
}

/// Splits off the options field: up to the first blank outside double quotes.
fn split_options(line: &str) -> (&str, &str) {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ' ' | '\t' if !quoted => return (&line[..i], line[i..].trim_start()),
            _ => {}
        }
    }
    (line, "")
}

/// Parses one `authorized_keys` line (comments and blanks give `None`).
pub fn parse_key(line: &str) -> Option<Key> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (options, rest) = match line.split_ascii_whitespace().next() {
        Some(first) if is_key_type(first) => ("", line),
        _ => split_options(line),
    };
    let mut fields = rest.splitn(3, [' ', '\t']);
    let key_type = fields.next()?.to_string();
    if !is_key_type(&key_type) {
        return None;
    }
    let blob = fields.next().unwrap_or_default();
    let fingerprint = match STANDARD.decode(blob) {
        Ok(bytes) => format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(bytes))),
        Err(_) => "(not base64)".to_string(),
    };
    Some(Key {
        options: options.to_string(),
        key_type,
        fingerprint,
        comment: fields.next().unwrap_or_default().trim().to_string(),
    })
}

/// What `sshd_config` says that matters here: the key file patterns and root login.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SshdSettings {
    /// `AuthorizedKeysFile` patterns (first occurrence wins, as in sshd).
    pub key_files: Option<Vec<String>>,
    /// `PermitRootLogin` (first occurrence wins).
    pub permit_root_login: Option<String>,
}

/// Reads `etc/ssh/sshd_config` and, where its `Include` lines stand, the files they name
/// (globs of the `dir/*.conf` form), as sshd does; a `Match` block ends the global
/// settings of its file.
pub fn sshd_settings(ctx: &mut Context<'_>) -> SshdSettings {
    let mut settings = SshdSettings::default();
    let mut files_read = 0;
    read_sshd_file(ctx, "etc/ssh/sshd_config", &mut settings, &mut files_read);
    settings
}

/// `sshd_config` files read at most (Include loops end here).
const MAX_SSHD_FILES: usize = 32;

fn read_sshd_file(
    ctx: &mut Context<'_>,
    file: &str,
    settings: &mut SshdSettings,
    files_read: &mut usize,
) {
    *files_read += 1;
    if *files_read > MAX_SSHD_FILES {
        return;
    }
    let Some(data) = ctx.read_config(file) else {
        return;
    };
    for line in String::from_utf8_lossy(&data).lines() {
        let mut words = line.split_ascii_whitespace();
        let Some(keyword) = words.next() else {
            continue;
        };
        match keyword.to_ascii_lowercase().as_str() {
            "match" => break,
            "include" => {
                for include in words {
                    for included in include_files(ctx, include) {
                        read_sshd_file(ctx, &included, settings, files_read);
                    }
                }
            }
            "authorizedkeysfile" if settings.key_files.is_none() => {
                settings.key_files = Some(words.map(str::to_string).collect());
            }
            "permitrootlogin" if settings.permit_root_login.is_none() => {
                settings.permit_root_login = words.next().map(str::to_ascii_lowercase);
            }
            _ => {}
        }
    }
}

/// The in-root files one `Include` argument names, in name order (relative arguments
/// are relative to `/etc/ssh`).
fn include_files(ctx: &Context<'_>, include: &str) -> Vec<String> {
    let include = match include.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("etc/ssh/{include}"),
    };
    let Some((dir, suffix)) = include.rsplit_once("/*") else {
        return vec![include];
    };
    let mut names: Vec<String> = ctx
        .root
        .read_dir(dir)
        .map(|entries| {
            entries
                .into_iter()
                .map(|e| e.name.to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.retain(|name| name.ends_with(suffix));
    names.sort();
    names
        .into_iter()
        .map(|name| format!("{dir}/{name}"))
        .collect()
}

/// Expands one `AuthorizedKeysFile` pattern for a user and home (in-root paths).
fn expand(pattern: &str, user: &str, home: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('h') => out.push_str(home),
            Some('u') => out.push_str(user),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    if out.starts_with('/') {
        out.trim_start_matches('/').to_string()
    } else {
        format!("{}/{out}", home.trim_start_matches('/'))
            .trim_start_matches('/')
            .to_string()
    }
}

/// Runs BD003.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let settings = sshd_settings(ctx);
    let patterns = settings.key_files.clone().unwrap_or_else(|| {
        vec![
            ".ssh/authorized_keys".to_string(),
            ".ssh/authorized_keys2".to_string(),
        ]
    });
    let root_login_off = settings.permit_root_login.as_deref() == Some("no");
    let mut accounts: Vec<(String, String)> = vec![
        ("root".to_string(), "/root".to_string()),
        ("root".to_string(), "/".to_string()),
    ];
    for entry in ctx.passwd().iter().filter(|e| !e.nis && e.uid == Some(0)) {
        if !entry.home.is_empty() {
            accounts.push((entry.name.clone(), entry.home.clone()));
        }
    }
    let mut seen = HashSet::new();
    let mut findings = Vec::new();
    for (user, home) in accounts {
        for pattern in &patterns {
            if pattern.eq_ignore_ascii_case("none") {
                continue;
            }
            let rel = expand(pattern, &user, &home);
            let Ok(resolved) = ctx.root.resolve(&rel) else {
                continue;
            };
            if seen.len() >= MAX_KEY_FILES || !seen.insert(resolved.clone()) {
                continue;
            }
            let Some(data) = ctx.read_config(&resolved) else {
                continue;
            };
            if let Some(finding) = judge_file(ctx, &user, &resolved, &data, root_login_off) {
                findings.push(finding);
            }
        }
    }
    findings
}

/// Who other than root could have written the key file: its own mode and owner and
/// those of its directory.
fn writable_by_others(ctx: &Context<'_>, rel: &str) -> Option<Localized> {
    let mut reasons: Vec<Localized> = Vec::new();
    let dir = rel.rsplit_once('/').map_or(".", |(dir, _)| dir);
    for (what, what_ja, path) in [
        ("the key file", "鍵ファイル", rel),
        ("its directory", "そのディレクトリ", dir),
    ] {
        let Ok(meta) = ctx.root.stat(path) else {
            continue;
        };
        let (uid, mode) = (meta.uid, meta.mode & 0o7777);
        if uid != 0 {
            reasons.push(tr!(
                "{what} is owned by uid {uid}",
                "{what_ja}の所有者が uid {uid}"
            ));
        }
        if meta.group_writable() || meta.other_writable() {
            reasons.push(tr!(
                "{what} is writable by others (mode {mode:o})",
                "{what_ja}に他の利用者が書き込める（モード {mode:o}）"
            ));
        }
    }
    (!reasons.is_empty()).then(|| Localized {
        en: reasons
            .iter()
            .map(|r| r.en.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        ja: reasons
            .iter()
            .map(|r| r.ja.as_str())
            .collect::<Vec<_>>()
            .join("、"),
    })
}

fn judge_file(
    ctx: &mut Context<'_>,
    user: &str,
    rel: &str,
    data: &[u8],
    root_login_off: bool,
) -> Option<Finding> {
    let display = ctx.root.display(rel);
    let mut evidence = Vec::new();
    let mut keys = 0usize;
    let mut offset = 0u64;
    for (index, raw) in data.split(|&b| b == b'\n').enumerate() {
        let line_offset = offset;
        offset += raw.len() as u64 + 1;
        let Some(key) = parse_key(&String::from_utf8_lossy(raw)) else {
            continue;
        };
        keys += 1;
        if evidence.len() < MAX_KEYS_SHOWN {
            // The key's type, fingerprint, comment and options are quoted as they are.
            let mut text = format!("{} {}", key.key_type, key.fingerprint);
            let mut text_ja = text.clone();
            let mut notes_ja = Vec::new();
            if !key.comment.is_empty() {
                text.push_str(&format!(" (comment {:?})", key.comment));
                notes_ja.push(format!("コメント {:?}", key.comment));
            }
            if !key.options.is_empty() {
                text.push_str(&format!(" [options {}]", key.options));
                notes_ja.push(format!("オプション {}", key.options));
            }
            if !notes_ja.is_empty() {
                text_ja.push_str(&format!("（{}）", notes_ja.join("、")));
            }
            evidence.push(Evidence::described(
                &display,
                index as u64 + 1,
                line_offset,
                Localized {
                    en: text,
                    ja: text_ja,
                },
                None,
            ));
        }
    }
    if keys == 0 {
        return None;
    }
    let mut finding = ctx.finding(&RULE);
    let plural = if keys == 1 { "key" } else { "keys" };
    match writable_by_others(ctx, rel) {
        Some(Localized {
            en: reason,
            ja: reason_ja,
        }) => {
            finding.outcome = Outcome::Indicator;
            finding.severity = Severity::High;
            finding.set_title(tr!(
                "{keys} SSH {plural} log in as {user}, and someone other than root could \
                 have added them: {reason}",
                "{user} としてログインできる SSH 鍵が {keys} 個あり、root 以外の誰かが追加\
                 できた可能性があります: {reason_ja}"
            ));
        }
        None if root_login_off => {
            finding.severity = Severity::Low;
            finding.set_title(tr!(
                "{keys} SSH {plural} for {user} (PermitRootLogin no makes them unused): \
                 confirm each is yours",
                "{user} の SSH 鍵が {keys} 個あります（PermitRootLogin no のため使われません）: \
                 それぞれ自分の鍵か確認してください"
            ));
        }
        None => {
            finding.set_title(tr!(
                "{keys} SSH {plural} log in as {user}: confirm each is yours",
                "{user} としてログインできる SSH 鍵が {keys} 個あります: それぞれ自分の鍵か\
                 確認してください"
            ));
        }
    }
    finding.subject.users = vec![user.to_string()];
    finding.subject.path = Some(display.clone());
    finding.count = keys as u64;
    finding.merge_key = display;
    for line in evidence {
        finding.push_evidence(line);
    }
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Root;
    use std::os::unix::fs::PermissionsExt;

    // A throw-away key made with `ssh-keygen -t ed25519` (OpenSSH 9.2), and what
    // `ssh-keygen -lf` printed for it.
    const ED25519: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG3qmd9xNgCU0mV0hLSMmxYo0LTA/hnqkfhiwqY1DvL1";
    const ED25519_FINGERPRINT: &str = "SHA256:JSwEfwdLLGTGYOvYU7U0OFvqU6SsuL65Kc3dFge5K9w";

    #[test]
    fn key_lines_with_and_without_options_parse() {
        let key = parse_key(&format!("{ED25519} admin@laptop")).unwrap();
        assert_eq!(key.key_type, "ssh-ed25519");
        assert_eq!(key.comment, "admin@laptop");
        assert_eq!(key.fingerprint, ED25519_FINGERPRINT);
        let with = parse_key(&format!(
            "from=\"10.0.0.1\",command=\"/usr/bin/backup x y\" {ED25519} backup"
        ))
        .unwrap();
        assert_eq!(
            with.options,
            "from=\"10.0.0.1\",command=\"/usr/bin/backup x y\""
        );
        assert_eq!(with.fingerprint, key.fingerprint);
        assert_eq!(parse_key("# ssh-rsa AAAA"), None);
        assert_eq!(parse_key("garbage line"), None);
        assert_eq!(
            parse_key("ssh-rsa !!!notbase64 x").unwrap().fingerprint,
            "(not base64)"
        );
    }

    #[test]
    fn the_fingerprint_is_what_ssh_keygen_prints() {
        assert_eq!(parse_key(ED25519).unwrap().fingerprint, ED25519_FINGERPRINT);
    }

    #[test]
    fn patterns_expand_like_sshd() {
        assert_eq!(
            expand(".ssh/authorized_keys", "root", "/root"),
            "root/.ssh/authorized_keys"
        );
        assert_eq!(expand("%h/.ssh/keys", "root", "/"), ".ssh/keys");
        assert_eq!(
            expand("/etc/ssh/keys/%u", "toor", "/root"),
            "etc/ssh/keys/toor"
        );
    }

    fn root_with(files: &[(&str, &str, u32)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text, mode) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(*mode)).unwrap();
        }
        dir
    }

    fn run(dir: &tempfile::TempDir) -> Vec<Finding> {
        let root = Root::open(dir.path()).unwrap();
        let mut ctx = Context::new(&root, "victim");
        check(&mut ctx)
    }

    #[test]
    fn root_keys_are_listed_and_permit_root_login_no_lowers_them() {
        let keys = format!("# mine\n{ED25519} admin@laptop\n\n{ED25519} x@kali\n");
        let dir = root_with(&[
            (
                "etc/passwd",
                "root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n",
                0o644,
            ),
            ("root/.ssh/authorized_keys", &keys, 0o600),
        ]);
        // Tests run as root in CI but not always: the file's owner decides the outcome.
        let owned_by_root = std::fs::metadata(dir.path().join("root/.ssh"))
            .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
            .unwrap();
        let found = run(&dir);
        assert_eq!(
            found.len(),
            1,
            "one file, however many accounts share the home"
        );
        assert_eq!(found[0].count, 2);
        assert_eq!(found[0].evidence.len(), 2);
        assert_eq!(found[0].evidence[1].line, 4);
        let evidence = &found[0].evidence[1];
        assert!(
            evidence.text.starts_with("ssh-ed25519 SHA256:")
                && evidence.text.ends_with(" (comment \"x@kali\")"),
            "{}",
            evidence.text
        );
        let ja = evidence.text_ja.as_deref().unwrap_or_default();
        assert!(
            ja.starts_with("ssh-ed25519 SHA256:") && ja.ends_with("（コメント \"x@kali\"）"),
            "{ja}"
        );
        if owned_by_root {
            assert_eq!(found[0].severity, Severity::Medium);
            std::fs::create_dir_all(dir.path().join("etc/ssh")).unwrap();
            std::fs::write(
                dir.path().join("etc/ssh/sshd_config"),
                "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n",
            )
            .unwrap();
            std::fs::create_dir_all(dir.path().join("etc/ssh/sshd_config.d")).unwrap();
            std::fs::write(
                dir.path().join("etc/ssh/sshd_config.d/10-hardening.conf"),
                "PermitRootLogin no\n",
            )
            .unwrap();
            let found = run(&dir);
            assert_eq!(
                found[0].severity,
                Severity::Low,
                "the Include comes first and wins"
            );
        } else {
            assert_eq!(found[0].outcome, Outcome::Indicator);
        }
    }

    #[test]
    fn a_world_writable_key_file_is_an_indicator() {
        let dir = root_with(&[("root/.ssh/authorized_keys", ED25519, 0o666)]);
        let found = run(&dir);
        assert_eq!(found[0].outcome, Outcome::Indicator);
        assert_eq!(found[0].severity, Severity::High);
        assert!(
            found[0].title.contains("writable by others"),
            "{}",
            found[0].title
        );
        assert!(
            found[0].title_ja.starts_with(
                "root としてログインできる SSH 鍵が 1 個あり、root 以外の誰かが追加できた\
                 可能性があります: "
            ) && found[0]
                .title_ja
                .contains("鍵ファイルに他の利用者が書き込める（モード 666）"),
            "{}",
            found[0].title_ja
        );
    }

    #[test]
    fn no_keys_no_finding() {
        let dir = root_with(&[("root/.ssh/authorized_keys", "# none\n\n", 0o600)]);
        assert!(run(&dir).is_empty());
    }
}
