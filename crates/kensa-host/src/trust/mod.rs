//! Host trust files (family `TR`): `.rhosts`, `hosts.equiv` and the mail aliases that
//! run programs — the files the advisory's sendmail attack wrote to (`+ +` into
//! `/.rhosts`) and the holes that let anyone in without a password.
//!
//! The homes examined are those the root's own `passwd` names, plus `/` (root's home on
//! old systems, where the attack wrote `/.rhosts`) and `root`; each is resolved inside
//! the root and examined once, however many accounts share it.

pub mod tr001_wildcard_trust;
pub mod tr002_rhosts_ownership;
pub mod tr003_program_alias;

use crate::Context;
use kensa_core::Rule;

/// Rules of this module.
pub static RULES: &[&Rule] = &[
    &tr001_wildcard_trust::RULE,
    &tr002_rhosts_ownership::RULE,
    &tr003_program_alias::RULE,
];

/// Homes examined at most; a passwd with more distinct homes is cut (with a note).
pub const MAX_HOMES: usize = 100_000;

/// The trust checks, in the order they run (one per rule, in code order).
pub(crate) fn checks() -> Vec<crate::Check> {
    let runs: [(&'static str, crate::CheckFn); 3] = [
        ("wildcard-trust", tr001_wildcard_trust::check),
        ("rhosts-ownership", tr002_rhosts_ownership::check),
        ("program-alias", tr003_program_alias::check),
    ];
    runs.into_iter()
        .zip(RULES.chunks(1))
        .map(|((name, run), rules)| crate::Check { name, rules, run })
        .collect()
}

/// A per-user trust file to examine: its path under the root and the account whose
/// home holds it (`None` for `/` when no account has it as home).
#[derive(Debug, Clone)]
pub struct UserTrustFile {
    /// Root-relative path as it will be shown (`home/sato/.rhosts`, `.rhosts`).
    pub path: String,
    /// The account name.
    pub user: Option<String>,
    /// The account's user id.
    pub uid: Option<u32>,
}

/// `.rhosts` and `.shosts` of every distinct home (resolved inside the root), in
/// passwd order, root's home first.
pub fn user_trust_files(ctx: &mut Context<'_>) -> Vec<UserTrustFile> {
    let passwd = ctx.passwd();
    let mut homes: Vec<(String, Option<String>, Option<u32>)> = Vec::new();
    let root_entry = passwd.iter().find(|e| !e.nis && e.raw_name == b"root");
    homes.push((
        "/".to_string(),
        Some("root".to_string()),
        root_entry.and_then(|e| e.uid).or(Some(0)),
    ));
    homes.push(("root".to_string(), Some("root".to_string()), Some(0)));
    for entry in passwd.iter().filter(|e| !e.nis && !e.home.is_empty()) {
        homes.push((entry.home.clone(), Some(entry.name.clone()), entry.uid));
    }
    let mut seen = std::collections::HashSet::new();
    let mut files = Vec::new();
    let mut cut = false;
    for (home, user, uid) in homes {
        // Resolving follows the image's own links inside the image (`/home` → `/export/home`).
        let Ok(resolved) = ctx.root.resolve(&home) else {
            continue;
        };
        if !seen.insert(resolved.clone()) {
            continue;
        }
        if seen.len() > MAX_HOMES {
            cut = true;
            break;
        }
        for name in [".rhosts", ".shosts"] {
            let path = if resolved == "." {
                name.to_string()
            } else {
                format!("{resolved}/{name}")
            };
            files.push(UserTrustFile {
                path,
                user: user.clone(),
                uid,
            });
        }
    }
    if cut {
        ctx.say(
            kensa_core::DiagnosticLevel::Note,
            "etc/passwd",
            kensa_core::tr!(
                "more than {MAX_HOMES} home directories; the rest were not examined",
                "ホームディレクトリが {MAX_HOMES} 個を超えるため、残りは検査していません"
            ),
        );
    }
    files
}

/// The system-wide trust files.
pub const SYSTEM_TRUST_FILES: &[&str] = &["etc/hosts.equiv", "etc/shosts.equiv"];
