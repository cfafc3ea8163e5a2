//! `etc/group`, parsed from the audited root: `name:password:gid:member,member`.
//! Used to name the group a file belongs to (`shadow`, `wheel`) and who is in it.

use super::passwd::{lossy, parse_id};
use super::{Lines, MAX_ENTRIES, read_account_file};
use kensa_core::{Diagnostic, DiagnosticLevel, tr};
use kensa_fs::Root;

/// One group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupEntry {
    /// The group name (lossy).
    pub name: String,
    /// The group id, when numeric.
    pub gid: Option<u32>,
    /// Member login names (lossy), empty names dropped.
    pub members: Vec<String>,
    /// 1-based line number.
    pub line: u64,
}

/// Members kept per group; a longer list is cut (a note says so).
pub const MAX_MEMBERS: usize = 10_000;

/// Parses an `etc/group`-format file.
pub fn parse_group(data: &[u8], file: &str, diags: &mut Vec<Diagnostic>) -> Vec<GroupEntry> {
    let mut entries = Vec::new();
    for line in Lines::new(data) {
        if line.text.is_empty() || line.text.starts_with(b"#") {
            continue;
        }
        if entries.len() >= MAX_ENTRIES {
            diags.push(Diagnostic::say(
                DiagnosticLevel::Warning,
                file,
                None,
                tr!(
                    "more than {MAX_ENTRIES} groups; the rest were not examined",
                    "グループが {MAX_ENTRIES} 件を超えるため、残りは検査していません"
                ),
            ));
            break;
        }
        let fields: Vec<&[u8]> = line.text.splitn(4, |&b| b == b':').collect();
        let field = |i: usize| fields.get(i).copied().unwrap_or_default();
        let mut members: Vec<String> = field(3)
            .split(|&b| b == b',')
            .map(<[u8]>::trim_ascii)
            .filter(|m| !m.is_empty())
            .take(MAX_MEMBERS + 1)
            .map(lossy)
            .collect();
        if members.len() > MAX_MEMBERS {
            members.truncate(MAX_MEMBERS);
            diags.push(Diagnostic::say(
                DiagnosticLevel::Note,
                file,
                Some(line.number),
                tr!(
                    "more than {MAX_MEMBERS} members; the rest were not examined",
                    "メンバーが {MAX_MEMBERS} 人を超えるため、残りは検査していません"
                ),
            ));
        }
        entries.push(GroupEntry {
            name: lossy(field(0)),
            gid: parse_id(field(2)),
            members,
            line: line.number,
        });
    }
    entries
}

/// Reads the root's `etc/group`; empty when it has none (no diagnostic: nothing is
/// lost, group names are shown as numbers then).
pub fn read_group(root: &Root, diags: &mut Vec<Diagnostic>) -> Vec<GroupEntry> {
    read_account_file(root, "etc/group", diags)
        .map(|data| parse_group(&data, "etc/group", diags))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_parse() {
        let data = b"wheel:*:0:sato\nstaff:*:10:tanaka, suzuki,,sato\n+:\nshadow:x:42:\n";
        let groups = parse_group(data, "etc/group", &mut Vec::new());
        assert_eq!(groups.len(), 4);
        assert_eq!(groups[0].members, ["sato"]);
        assert_eq!(groups[1].members, ["tanaka", "suzuki", "sato"]);
        assert_eq!(groups[2].gid, None);
        assert_eq!(groups[3].gid, Some(42));
        assert!(groups[3].members.is_empty());
    }
}
