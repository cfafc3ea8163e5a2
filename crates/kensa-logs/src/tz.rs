//! Time zone of the audited root.
//!
//! A syslog stamp is the *audited* host's wall-clock time, so it must be read in that
//! host's zone, never the analyst's: a 1997 SunOS image examined on a laptop in UTC
//! still logged in JST. The zone is looked for where the systems themselves keep it,
//! in this order:
//!
//! 1. `etc/localtime`: TZif bytes (glibc, BSD, macOS). When it is a symbolic link, the
//!    target is resolved *inside* the root (an absolute `/usr/share/zoneinfo/X` means
//!    `ROOT/usr/share/zoneinfo/X`); when the image lacks the file, the name `X` is looked
//!    up in jiff's bundled tz database;
//! 2. `etc/timezone` (Debian): a zone name;
//! 3. `etc/TIMEZONE` and `etc/default/init` (Solaris): `TZ=...`, a zone name or a POSIX
//!    TZ string such as `JST-9`;
//! 4. `etc/sysconfig/clock` (Red Hat, SUSE): `ZONE="..."` or `TIMEZONE="..."`.
//!
//! With none of them, times are shown in UTC and a note says so. A file that is there but
//! unusable gives a warning naming it, and the search goes on.
//!
//! The root is hostile: links are resolved one component at a time with `..` clamped at
//! the root and absolute targets re-rooted, so no link (`../../../../etc/passwd`,
//! `/etc/shadow`) reads the analyst's own files; files are read up to a size cap.

use jiff::tz::TimeZone;
use kensa_core::{Diagnostic, DiagnosticLevel, Localized, MessageCode, tr};
use kensa_fs::Root;
use std::path::Path;

/// The largest zone file read. Real TZif files are a few KiB (the largest in tzdb with
/// leap seconds is under 4 KiB); config files smaller still.
const MAX_FILE: u64 = 256 * 1024;

/// The audited root's local time zone and how it was found (for the report), e.g.
/// (`Asia/Tokyo`, `"etc/timezone"`). The string names the file the zone came from, plus
/// what was in it when the zone has no IANA name (`etc/TIMEZONE (TZ=JST-9)`).
/// Malformed files give a Warning diagnostic naming the file; the fallback is UTC with a
/// Note diagnostic.
pub fn root_timezone(root: &Root, diags: &mut Vec<Diagnostic>) -> (TimeZone, String) {
    if let Some(found) = from_localtime(root, diags) {
        return found;
    }
    if let Some(found) = from_timezone_file(root, diags) {
        return found;
    }
    for file in ["etc/TIMEZONE", "etc/default/init"] {
        if let Some(found) = from_assignment(root, file, &["TZ"], diags) {
            return found;
        }
    }
    if let Some(found) = from_assignment(root, "etc/sysconfig/clock", &["ZONE", "TIMEZONE"], diags)
    {
        return found;
    }
    diags.push(Diagnostic::coded(
        DiagnosticLevel::Note,
        "etc/localtime",
        None,
        MessageCode::NoTimeZone,
        Vec::new(),
    ));
    (TimeZone::UTC, NO_ZONE_SOURCE.to_string())
}

/// What [`root_timezone`] gives as the zone's source when the root names no zone.
pub const NO_ZONE_SOURCE: &str = "no zone file found; UTC assumed";

/// `etc/localtime`: TZif data, possibly behind links.
fn from_localtime(root: &Root, diags: &mut Vec<Diagnostic>) -> Option<(TimeZone, String)> {
    const FILE: &str = "etc/localtime";
    let warn = |diags: &mut Vec<Diagnostic>, message: Localized| {
        diags.push(Diagnostic::say(
            DiagnosticLevel::Warning,
            FILE,
            None,
            message,
        ));
    };
    // `etc` itself may be a link: resolve it inside the root before looking at the link
    // that `localtime` may be, or the analyst's own /etc would answer.
    // (`Root::lstat` resolves the directories on the way inside the root.)
    let link_target = match root.lstat(FILE) {
        Err(e) if is_absent(&e) => return None,
        Err(e) => {
            warn(diags, cannot_read(e));
            return None;
        }
        Ok(meta) if meta.is_symlink() => root.read_link(FILE).ok(),
        Ok(_) => None,
    };
    let name_from_link = link_target.as_deref().and_then(zone_name_from_path);
    let shown = match &link_target {
        Some(target) => format!("{FILE} -> {}", target.display()),
        None => FILE.to_string(),
    };
    match read_confined(root, FILE) {
        Ok(Some(data)) => {
            // A regular file has no name of its own; Debian and Red Hat also write the
            // name down, which makes the report readable.
            let name = name_from_link
                .clone()
                .or_else(|| named_zone_hint(root))
                .unwrap_or_else(|| "localtime".to_string());
            match TimeZone::tzif(&name, &data) {
                Ok(tz) => return Some((tz, shown)),
                Err(e) => warn(
                    diags,
                    tr!(
                        "not a usable TZif zone file ({e})",
                        "使える TZif 形式のタイムゾーンファイルではありません（{e}）"
                    ),
                ),
            }
        }
        Ok(None) => {
            // A regular file vanished between two looks, or a link leads nowhere.
            link_target.as_ref()?;
            if let Some(name) = &name_from_link
                && let Ok(tz) = TimeZone::get(name)
            {
                return Some((
                    tz,
                    format!("{shown} (not in the image; bundled tz database)"),
                ));
            }
            warn(
                diags,
                tr!(
                    "link {shown} leads to no zone file inside the root",
                    "リンク {shown} の先には、検査対象のルート内のタイムゾーンファイルがありません"
                ),
            );
        }
        Err(e) => warn(diags, e),
    }
    // The file was unusable, but a link's name may still be a zone name.
    let name = name_from_link?;
    let tz = TimeZone::get(&name).ok()?;
    Some((tz, format!("{shown} (name only; bundled tz database)")))
}

/// `etc/timezone`: one zone name (Debian, Gentoo).
fn from_timezone_file(root: &Root, diags: &mut Vec<Diagnostic>) -> Option<(TimeZone, String)> {
    const FILE: &str = "etc/timezone";
    let text = read_text(root, FILE, diags)?;
    let name = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    match zone_from_value(name) {
        Some((tz, named)) => Some((tz, describe(FILE, name, named))),
        None => {
            diags.push(Diagnostic::say(
                DiagnosticLevel::Warning,
                FILE,
                None,
                tr!(
                    "{name:?} is not a known time zone",
                    "{name:?} は既知のタイムゾーンではありません"
                ),
            ));
            None
        }
    }
}

/// `KEY=value` files: Solaris `TZ=...`, Red Hat `ZONE="..."`, SUSE `TIMEZONE="..."`.
fn from_assignment(
    root: &Root,
    file: &str,
    keys: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Option<(TimeZone, String)> {
    let text = read_text(root, file, diags)?;
    let value = text.lines().find_map(|line| {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        let (key, value) = line.split_once('=')?;
        keys.contains(&key.trim()).then(|| unquote(value.trim()))
    })?;
    if value.is_empty() {
        return None;
    }
    match zone_from_value(value) {
        Some((tz, named)) => Some((tz, describe(file, value, named))),
        None => {
            diags.push(Diagnostic::say(
                DiagnosticLevel::Warning,
                file,
                None,
                tr!(
                    "{value:?} is neither a known time zone nor a POSIX TZ string",
                    "{value:?} は既知のタイムゾーンでも POSIX の TZ 文字列でもありません"
                ),
            ));
            None
        }
    }
}

/// The source as the report shows it: the file, and the value when it was a POSIX
/// string (which has no IANA name to show elsewhere).
fn describe(file: &str, value: &str, named: bool) -> String {
    if named {
        file.to_string()
    } else {
        format!("{file} (TZ={value})")
    }
}

/// A zone name (`Asia/Tokyo`, `Japan`, `:Asia/Tokyo`) from the bundled database, else a
/// POSIX TZ string (`JST-9`). The flag says whether it was a name.
fn zone_from_value(value: &str) -> Option<(TimeZone, bool)> {
    let value = value.strip_prefix(':').unwrap_or(value);
    if value.is_empty() || value.len() > 128 {
        return None;
    }
    if let Ok(tz) = TimeZone::get(value) {
        return Some((tz, true));
    }
    TimeZone::posix(value).ok().map(|tz| (tz, false))
}

/// `"value"` or `'value'` → value.
fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

/// The zone name in a zoneinfo path: `/usr/share/zoneinfo/Asia/Tokyo` → `Asia/Tokyo`
/// (also `posix/`/`right/` trees, which hold the same zones).
fn zone_name_from_path(path: &Path) -> Option<String> {
    let text = path.to_str()?;
    let (_, name) = text.rsplit_once("zoneinfo/")?;
    let name = name
        .strip_prefix("posix/")
        .or_else(|| name.strip_prefix("right/"))
        .unwrap_or(name);
    (!name.is_empty()).then(|| name.to_string())
}

/// A zone name written next to `etc/localtime` by the distribution, to label TZif data.
fn named_zone_hint(root: &Root) -> Option<String> {
    let mut ignored = Vec::new();
    let text = read_text(root, "etc/timezone", &mut ignored)?;
    let name = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    TimeZone::get(name).ok().map(|_| name.to_string())
}

/// A small text file under the root (None when absent; Warning when unreadable).
fn read_text(root: &Root, file: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    match read_confined(root, file) {
        Ok(Some(bytes)) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Ok(None) => None,
        Err(e) => {
            diags.push(Diagnostic::say(DiagnosticLevel::Warning, file, None, e));
            None
        }
    }
}

/// Whether an error means the file (or a directory on its way) is not there.
fn is_absent(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::NotFound || error.raw_os_error() == Some(libc::ENOTDIR)
}

fn cannot_read(e: std::io::Error) -> Localized {
    let e = kensa_core::error_text(&e);
    kensa_core::Localized {
        en: format!("cannot read: {}", e.en),
        ja: format!("読み取れません: {}", e.ja),
    }
}

/// Reads `rel` under `root` with every link resolved inside the root. `Ok(None)`: the
/// file is not there; `Err`: it is there but not readable as a small regular file.
fn read_confined(root: &Root, rel: &str) -> Result<Option<Vec<u8>>, Localized> {
    let meta = match root.stat(rel) {
        Ok(meta) => meta,
        Err(e) if is_absent(&e) => return Ok(None),
        Err(e) if kensa_fs::is_link_loop(&e) => {
            return Err(tr!(
                "too many levels of symbolic links",
                "シンボリックリンクの段数が多すぎます"
            ));
        }
        Err(e) => return Err(cannot_read(e)),
    };
    if !meta.is_file() {
        return Err(tr!("not a regular file", "通常のファイルではありません"));
    }
    if meta.len > MAX_FILE {
        let len = meta.len;
        return Err(tr!(
            "{len} bytes, more than a zone file can be ({MAX_FILE})",
            "{len} バイトあり、タイムゾーンのファイルとしては大きすぎます（上限 {MAX_FILE} \
             バイト）"
        ));
    }
    // The cap again: the file may grow between the check and the read.
    match root.read_prefix(rel, MAX_FILE) {
        Ok((data, _)) => Ok(Some(data)),
        Err(e) if is_absent(&e) => Ok(None),
        Err(e) => Err(cannot_read(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;
    use kensa_core::Lang;
    use std::fs;
    use std::os::unix::fs::symlink;

    /// A minimal TZif (version 1) file for a fixed offset, so the tests need no zoneinfo
    /// tree on the machine that runs them.
    fn tzif_fixed(offset_seconds: i32, abbreviation: &str) -> Vec<u8> {
        let mut data = b"TZif".to_vec();
        data.push(0); // version 1
        data.extend([0; 15]);
        let chars = abbreviation.len() as u32 + 1;
        for count in [0u32, 0, 0, 0, 1, chars] {
            data.extend(count.to_be_bytes());
        }
        data.extend(offset_seconds.to_be_bytes());
        data.extend([0, 0]); // not DST, abbreviation index 0
        data.extend(abbreviation.as_bytes());
        data.push(0);
        data
    }

    fn offset_hours(tz: &TimeZone) -> i32 {
        tz.to_offset(Timestamp::from_second(852_076_800).unwrap())
            .seconds()
            / 3600
    }

    fn write(root: &Path, rel: &str, data: &[u8]) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, data).unwrap();
    }

    /// The zone of `root`; every diagnostic reads in Japanese too.
    fn run(root: &Path) -> (TimeZone, String, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let (tz, source) = root_timezone(&kensa_testkit::root_at(root), &mut diags);
        for diag in &diags {
            assert!(!diag.message_ja.is_empty(), "no Japanese for {diag}");
        }
        (tz, source, diags)
    }

    #[test]
    fn tzif_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "etc/localtime", &tzif_fixed(9 * 3600, "JST"));
        let (tz, source, diags) = run(dir.path());
        assert_eq!(offset_hours(&tz), 9);
        assert_eq!(source, "etc/localtime");
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn tzif_file_is_named_from_etc_timezone() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "etc/localtime", &tzif_fixed(9 * 3600, "JST"));
        write(dir.path(), "etc/timezone", b"Asia/Tokyo\n");
        let (tz, _, _) = run(dir.path());
        assert_eq!(tz.iana_name(), Some("Asia/Tokyo"));
    }

    #[test]
    fn absolute_link_is_resolved_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        // The image's own zone file says +05 for "Asia/Tokyo": the image wins over the
        // analyst's /usr/share/zoneinfo and over the bundled database.
        write(
            dir.path(),
            "usr/share/zoneinfo/Asia/Tokyo",
            &tzif_fixed(5 * 3600, "X"),
        );
        fs::create_dir_all(dir.path().join("etc")).unwrap();
        symlink(
            "/usr/share/zoneinfo/Asia/Tokyo",
            dir.path().join("etc/localtime"),
        )
        .unwrap();
        let (tz, source, diags) = run(dir.path());
        assert_eq!(offset_hours(&tz), 5);
        assert_eq!(tz.iana_name(), Some("Asia/Tokyo"));
        assert_eq!(source, "etc/localtime -> /usr/share/zoneinfo/Asia/Tokyo");
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn relative_link_and_chained_links() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "usr/share/zoneinfo/Asia/Tokyo",
            &tzif_fixed(9 * 3600, "JST"),
        );
        symlink("Asia/Tokyo", dir.path().join("usr/share/zoneinfo/Japan")).unwrap();
        fs::create_dir_all(dir.path().join("etc")).unwrap();
        symlink(
            "../usr/share/zoneinfo/Japan",
            dir.path().join("etc/localtime"),
        )
        .unwrap();
        let (tz, _, diags) = run(dir.path());
        assert_eq!(offset_hours(&tz), 9);
        assert_eq!(tz.iana_name(), Some("Japan"));
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn link_to_a_zone_missing_from_the_image_uses_the_bundled_database() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("etc")).unwrap();
        symlink(
            "/usr/share/zoneinfo/Asia/Tokyo",
            dir.path().join("etc/localtime"),
        )
        .unwrap();
        let (tz, source, diags) = run(dir.path());
        assert_eq!(tz.iana_name(), Some("Asia/Tokyo"));
        assert_eq!(offset_hours(&tz), 9);
        assert!(source.contains("bundled"), "{source}");
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn links_never_leave_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        // A valid zone file outside the root, reachable by `..` from root/etc.
        write(dir.path(), "outside/zone", &tzif_fixed(3 * 3600, "OUT"));
        fs::create_dir_all(root.join("etc")).unwrap();
        symlink("../../outside/zone", root.join("etc/localtime")).unwrap();
        let (tz, _, diags) = run(&root);
        assert_eq!(offset_hours(&tz), 0, "the zone outside the root was read");
        assert!(
            diags
                .iter()
                .any(|d| d.file == "etc/localtime" && d.level == DiagnosticLevel::Warning)
        );

        // The same through an absolute link: /outside/zone means root/outside/zone.
        fs::remove_file(root.join("etc/localtime")).unwrap();
        symlink(dir.path().join("outside/zone"), root.join("etc/localtime")).unwrap();
        let (tz, _, _) = run(&root);
        assert_eq!(offset_hours(&tz), 0, "an absolute link left the root");

        // ../../../../etc/passwd and /etc/shadow: clamped to root/etc/passwd (which is a
        // fake here, not a zone) and root/etc/shadow (absent).
        write(&root, "etc/passwd", b"root:x:0:0::/:/bin/sh\n");
        fs::remove_file(root.join("etc/localtime")).unwrap();
        symlink("../../../../etc/passwd", root.join("etc/localtime")).unwrap();
        let (tz, _, diags) = run(&root);
        assert_eq!(tz, TimeZone::UTC);
        assert!(
            diags.iter().any(|d| d.message.contains("TZif")),
            "{diags:?}"
        );
        fs::remove_file(root.join("etc/localtime")).unwrap();
        symlink("/etc/shadow", root.join("etc/localtime")).unwrap();
        let (tz, _, diags) = run(&root);
        assert_eq!(tz, TimeZone::UTC);
        assert!(
            diags
                .iter()
                .any(|d| d.message.contains("no zone file inside the root")
                    && d.message_in(Lang::Ja)
                        .contains("検査対象のルート内のタイムゾーンファイル")),
            "{diags:?}"
        );
    }

    #[test]
    fn a_linked_etc_stays_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        // Outside: a localtime link whose *name* alone would give a zone, and a name file.
        write(dir.path(), "outside/timezone", b"Europe/Moscow\n");
        symlink(
            "/usr/share/zoneinfo/Europe/Moscow",
            dir.path().join("outside/localtime"),
        )
        .unwrap();
        fs::create_dir_all(&root).unwrap();
        symlink("../outside", root.join("etc")).unwrap();
        let (tz, _, _) = run(&root);
        assert_eq!(tz, TimeZone::UTC, "read a zone through etc -> ../outside");
        // And a link to the image's own directory is fine.
        write(&root, "private/etc/timezone", b"Asia/Tokyo\n");
        fs::remove_file(root.join("etc")).unwrap();
        symlink("/private/etc", root.join("etc")).unwrap();
        let (tz, _, _) = run(&root);
        assert_eq!(tz.iana_name(), Some("Asia/Tokyo"));
    }

    #[test]
    fn resolve_clamps_parent_dirs_at_the_root() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "etc/passwd", b"x");
        symlink("../../../etc/passwd", dir.path().join("etc/up")).unwrap();
        let root = kensa_testkit::root_at(dir.path());
        assert_eq!(root.resolve("etc/up").unwrap(), "etc/passwd");
    }

    #[test]
    fn link_loops_are_reported_not_followed_forever() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("etc")).unwrap();
        symlink("localtime", dir.path().join("etc/localtime")).unwrap();
        write(dir.path(), "etc/timezone", b"Asia/Tokyo\n");
        let (tz, source, diags) = run(dir.path());
        assert_eq!(tz.iana_name(), Some("Asia/Tokyo"));
        assert_eq!(source, "etc/timezone");
        assert!(
            diags.iter().any(|d| d.message.contains("symbolic links")
                && d.message_in(Lang::Ja) == "シンボリックリンクの段数が多すぎます"),
            "{diags:?}"
        );
    }

    #[test]
    fn malformed_localtime_warns_and_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "etc/localtime", b"not a zone file");
        write(dir.path(), "etc/timezone", b"Europe/Berlin\n");
        let (tz, source, diags) = run(dir.path());
        assert_eq!(tz.iana_name(), Some("Europe/Berlin"));
        assert_eq!(source, "etc/timezone");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].level, DiagnosticLevel::Warning);
        assert_eq!(diags[0].file, "etc/localtime");
    }

    #[test]
    fn oversized_and_non_regular_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "etc/localtime",
            &vec![b'x'; MAX_FILE as usize + 1],
        );
        let (tz, _, diags) = run(dir.path());
        assert_eq!(tz, TimeZone::UTC);
        assert!(
            diags.iter().any(|d| d.message.contains("more than")),
            "{diags:?}"
        );
        assert!(
            diags.iter().any(|d| d.message_in(Lang::Ja)
                == "262145 バイトあり、タイムゾーンのファイルとしては大きすぎます（上限 262144 \
                    バイト）"),
            "{diags:?}"
        );
        fs::remove_file(dir.path().join("etc/localtime")).unwrap();
        fs::create_dir_all(dir.path().join("etc/localtime")).unwrap();
        let (_, _, diags) = run(dir.path());
        assert!(
            diags
                .iter()
                .any(|d| d.message.contains("not a regular file")),
            "{diags:?}"
        );
    }

    #[test]
    fn debian_etc_timezone() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "etc/timezone", b"# comment\n\nAsia/Tokyo\n");
        let (tz, source, diags) = run(dir.path());
        assert_eq!(
            (tz.iana_name(), source.as_str()),
            (Some("Asia/Tokyo"), "etc/timezone")
        );
        assert!(diags.is_empty());
        write(dir.path(), "etc/timezone", b"Mars/Olympus_Mons\n");
        let (tz, _, diags) = run(dir.path());
        assert_eq!(tz, TimeZone::UTC);
        assert_eq!(
            diags.len(),
            2,
            "a warning for the file, a note for UTC: {diags:?}"
        );
    }

    #[test]
    fn solaris_tz_assignments() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "etc/default/init",
            b"# init defaults\nTZ=JST-9\nCMASK=022\n",
        );
        let (tz, source, diags) = run(dir.path());
        assert_eq!(offset_hours(&tz), 9);
        assert_eq!(source, "etc/default/init (TZ=JST-9)");
        assert!(diags.is_empty(), "{diags:?}");
        // Solaris' etc/TIMEZONE is a relative link to default/init.
        symlink("./default/init", dir.path().join("etc/TIMEZONE")).unwrap();
        let (_, source, _) = run(dir.path());
        assert_eq!(source, "etc/TIMEZONE (TZ=JST-9)");
        write(
            dir.path(),
            "etc/default/init",
            b"export TZ\nTZ=\"US/Pacific\"\n",
        );
        let (tz, _, _) = run(dir.path());
        assert_eq!(tz.iana_name(), Some("US/Pacific"));
    }

    #[test]
    fn sysconfig_clock() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "etc/sysconfig/clock",
            b"UTC=false\nZONE=\"Asia/Tokyo\"\n",
        );
        let (tz, source, _) = run(dir.path());
        assert_eq!(
            (tz.iana_name(), source.as_str()),
            (Some("Asia/Tokyo"), "etc/sysconfig/clock")
        );
        write(
            dir.path(),
            "etc/sysconfig/clock",
            b"TIMEZONE='Europe/Berlin'\n",
        );
        let (tz, _, _) = run(dir.path());
        assert_eq!(tz.iana_name(), Some("Europe/Berlin"));
        write(dir.path(), "etc/sysconfig/clock", b"ZONE=\"!!!\"\n");
        let (tz, _, diags) = run(dir.path());
        assert_eq!(tz, TimeZone::UTC);
        assert!(
            diags.iter().any(|d| d.file == "etc/sysconfig/clock"),
            "{diags:?}"
        );
    }

    #[test]
    fn nothing_found_is_utc_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let (tz, _, diags) = run(dir.path());
        assert_eq!(tz, TimeZone::UTC);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].level, DiagnosticLevel::Note);
        assert!(diags[0].message.contains("UTC"));
    }

    #[test]
    fn zone_names_from_link_targets() {
        let name = |p: &str| zone_name_from_path(Path::new(p));
        assert_eq!(
            name("/usr/share/zoneinfo/Asia/Tokyo").as_deref(),
            Some("Asia/Tokyo")
        );
        assert_eq!(
            name("../usr/share/zoneinfo/posix/Japan").as_deref(),
            Some("Japan")
        );
        assert_eq!(name("/usr/lib/zoneinfo/right/UTC").as_deref(), Some("UTC"));
        assert_eq!(name("/etc/shadow"), None);
    }
}
