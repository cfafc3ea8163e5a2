//! Rules: the stable codes behind findings.
//!
//! Each detection or check is one source file that declares one `static RULE: Rule`.
//! The rule's user documentation is that file's module doc comment (the `//!` lines, with
//! the sections *What it finds*, *Why it matters*, *Example*, *What to do*,
//! *References*): the file itself is passed in with `include_str!`, so `kensa explain`
//! prints exactly what a reader of the code sees and the two cannot drift apart.
//!
//! The Japanese documentation follows the English one in the same comment, after a line
//! holding only [`JA_MARKER`] (an HTML comment, so rustdoc shows nothing there).

use crate::finding::{Kind, Outcome};
use crate::severity::Severity;

/// Whether a rule's behaviour is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleStatus {
    /// Code, meaning and JSON shape will not change.
    Stable,
    /// Still being tuned; may change in a minor release.
    Preview,
}

/// One detection or check, identified by a code that never changes meaning.
#[derive(Debug)]
pub struct Rule {
    /// The stable code, e.g. `SM001`.
    pub code: &'static str,
    /// A short kebab-case name, e.g. `sendmail-exploit-attempt`.
    pub name: &'static str,
    /// The fixed-vocabulary kind of its findings.
    pub kind: Kind,
    /// The fixed-vocabulary outcome of its findings.
    pub outcome: Outcome,
    /// The default severity of its findings.
    pub severity: Severity,
    /// The one-line title shown in reports.
    pub title: &'static str,
    /// What to do, naming the advisory's countermeasure where one applies.
    pub advice: &'static str,
    /// The title in Japanese (`--lang ja`).
    pub title_ja: &'static str,
    /// The advice in Japanese (`--lang ja`).
    pub advice_ja: &'static str,
    /// Stable or preview.
    pub status: RuleStatus,
    /// The kensa version that introduced the code.
    pub since: &'static str,
    /// The whole source file of the rule (`include_str!(file!())`-style); the docs are
    /// its leading `//!` lines, see [`Rule::doc`].
    pub source: &'static str,
}

/// The line that separates a rule's English documentation from its Japanese one.
pub const JA_MARKER: &str = "<!-- ja -->";

impl Rule {
    /// The rule's English documentation: the leading `//!` comment of its source file, with
    /// the comment markers removed, up to the [`JA_MARKER`] line.
    pub fn doc(&self) -> String {
        let whole = self.whole_doc();
        match whole.split_once(&format!("\n{JA_MARKER}\n")) {
            Some((english, _)) => english.trim_end().to_string(),
            None => whole,
        }
    }

    /// The rule's Japanese documentation (after the [`JA_MARKER`] line), if written.
    pub fn doc_ja(&self) -> Option<String> {
        let whole = self.whole_doc();
        whole
            .split_once(&format!("\n{JA_MARKER}\n"))
            .map(|(_, japanese)| japanese.trim().to_string())
            .filter(|japanese| !japanese.is_empty())
    }

    /// The title in the language asked for (`ja`, else English).
    pub fn title_in(&self, lang: &str) -> &'static str {
        if lang == "ja" && !self.title_ja.is_empty() {
            self.title_ja
        } else {
            self.title
        }
    }

    /// The advice in the language asked for (`ja`, else English).
    pub fn advice_in(&self, lang: &str) -> &'static str {
        if lang == "ja" && !self.advice_ja.is_empty() {
            self.advice_ja
        } else {
            self.advice
        }
    }

    fn whole_doc(&self) -> String {
        let mut doc = String::new();
        for line in self.source.lines() {
            let trimmed = line.trim_start();
            if let Some(text) = trimmed.strip_prefix("//!") {
                doc.push_str(text.strip_prefix(' ').unwrap_or(text));
                doc.push('\n');
            } else if trimmed.is_empty() && !doc.is_empty() {
                continue;
            } else if !trimmed.starts_with("#!") {
                break;
            }
        }
        doc.trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_is_the_leading_module_comment() {
        static SOURCE: &str = "//! # SM001\n//!\n//! What it finds: x.\n\nuse y;\n//! not this\n";
        let rule = Rule {
            code: "SM001",
            name: "n",
            kind: Kind::SendmailExploit,
            outcome: Outcome::Attempted,
            severity: Severity::High,
            title: "t",
            advice: "a",
            status: RuleStatus::Stable,
            title_ja: "",
            advice_ja: "",
            since: "0.1.0",
            source: SOURCE,
        };
        assert_eq!(rule.doc(), "# SM001\n\nWhat it finds: x.");
        assert_eq!(rule.doc_ja(), None);
    }

    #[test]
    fn japanese_doc_follows_the_marker() {
        static SOURCE: &str =
            "//! # SM001\n//! English.\n//! <!-- ja -->\n//! # SM001\n//! 日本語。\n\nuse y;\n";
        let rule = Rule {
            code: "SM001",
            name: "n",
            kind: Kind::SendmailExploit,
            outcome: Outcome::Attempted,
            severity: Severity::High,
            title: "t",
            advice: "a",
            title_ja: "題",
            advice_ja: "",
            status: RuleStatus::Stable,
            since: "0.1.0",
            source: SOURCE,
        };
        assert_eq!(rule.doc(), "# SM001\nEnglish.");
        assert_eq!(rule.doc_ja().as_deref(), Some("# SM001\n日本語。"));
        assert_eq!(rule.title_in("ja"), "題");
        assert_eq!(
            rule.advice_in("ja"),
            "a",
            "missing Japanese falls back to English"
        );
    }
}
