//! Backdoors in the configuration (family `BD`): the doors an intruder leaves to come
//! back — a shell on a port in `inetd.conf` or xinetd, a service on a port that backdoors
//! of record use, an SSH key that lets someone log in as root, and on a live host the
//! listening sockets and promiscuous interfaces (a sniffer collecting passwords).
//!
//! Extra UID 0 accounts are AC003 and `+ +` trust is TR001; they are backdoors too and
//! count towards the verdict the same way.

pub mod bd001_inetd_shell;
pub mod bd002_backdoor_port_service;
pub mod bd003_root_ssh_keys;
pub mod bd004_listening_backdoor_port;
pub mod bd005_promiscuous_interface;
pub mod inetd;

use kensa_core::{Localized, Rule};

/// Rules of this module.
pub static RULES: &[&Rule] = &[
    &bd001_inetd_shell::RULE,
    &bd002_backdoor_port_service::RULE,
    &bd003_root_ssh_keys::RULE,
    &bd004_listening_backdoor_port::RULE,
    &bd005_promiscuous_interface::RULE,
];

/// The backdoor checks, in the order they run (one per rule, in code order).
pub(crate) fn checks() -> Vec<crate::Check> {
    let runs: [(&'static str, crate::CheckFn); 5] = [
        ("inetd-shell", bd001_inetd_shell::check),
        ("backdoor-port-service", bd002_backdoor_port_service::check),
        ("root-ssh-keys", bd003_root_ssh_keys::check),
        (
            "listening-backdoor-port",
            bd004_listening_backdoor_port::check,
        ),
        ("promiscuous-interface", bd005_promiscuous_interface::check),
    ];
    runs.into_iter()
        .zip(RULES.chunks(1))
        .map(|((name, run), rules)| crate::Check { name, rules, run })
        .collect()
}

/// The backdoor port list (`data/backdoor-ports.tsv`): port and what is known there, in
/// English and in Japanese.
static BACKDOOR_PORTS: &str = include_str!("../../data/backdoor-ports.tsv");

/// What the list says about `port` (in both languages), if it is a backdoor port of record.
pub fn backdoor_port(port: u16) -> Option<Localized> {
    BACKDOOR_PORTS
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| line.split_once('\t'))
        .find(|(number, _)| number.trim().parse::<u16>() == Ok(port))
        .map(|(_, what)| {
            let (en, ja) = what.split_once('\t').unwrap_or((what, what));
            Localized {
                en: en.trim().to_string(),
                ja: ja.trim().to_string(),
            }
        })
}

/// Whether a program path or name is a command interpreter a backdoor binds to a port.
pub fn is_shell(program: &str) -> bool {
    const SHELLS: &[&str] = &[
        "sh", "bash", "csh", "tcsh", "ksh", "ksh93", "mksh", "zsh", "dash", "ash", "rc", "es",
        "fish", "busybox", "perl", "python", "python2", "python3", "ruby", "tclsh", "wish",
    ];
    let base = program.rsplit('/').next().unwrap_or(program);
    let base = base.strip_prefix('-').unwrap_or(base);
    SHELLS.contains(&base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_list_parses_and_names_ingreslock() {
        let ingreslock = backdoor_port(1524).unwrap();
        assert!(ingreslock.en.contains("ingreslock"), "{ingreslock:?}");
        assert!(
            ingreslock.ja.contains("古典的なバックドア"),
            "{ingreslock:?}"
        );
        assert!(backdoor_port(31337).is_some());
        assert_eq!(backdoor_port(25), None);
        assert_eq!(backdoor_port(6667), None, "IRC is left out on purpose");
        let entries = BACKDOOR_PORTS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        assert!(entries >= 15, "{entries}");
        for line in BACKDOOR_PORTS.lines().filter(|l| !l.starts_with('#')) {
            let mut columns = line.split('\t');
            let (Some(port), Some(what), Some(what_ja), None) = (
                columns.next(),
                columns.next(),
                columns.next(),
                columns.next(),
            ) else {
                panic!("port TAB description TAB Japanese description: {line}");
            };
            assert!(port.parse::<u16>().is_ok() && !what.is_empty(), "{line}");
            assert!(
                !what_ja.trim().is_empty() && !what_ja.contains('\t'),
                "{line}"
            );
        }
    }

    #[test]
    fn shells_are_recognised_by_base_name() {
        assert!(is_shell("/bin/sh") && is_shell("sh") && is_shell("-csh"));
        assert!(is_shell("/usr/local/bin/bash") && is_shell("/usr/bin/perl"));
        assert!(!is_shell("/usr/sbin/in.telnetd") && !is_shell("/usr/sbin/tcpd"));
        assert!(!is_shell("shell"), "in.rshd's service name is not a shell");
    }
}
