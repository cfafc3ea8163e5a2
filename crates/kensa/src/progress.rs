//! The progress bar: on standard error, only when it is a terminal and `-q` was not
//! given, so cron mails and pipes never see it.
//!
//! [`Bar`] implements [`kensa_core::Progress`], the hook long work reports through (the
//! log scan in bytes; a password audit in candidates tried — [`Bar::new`] takes the unit).
//! Work that is done in less than a moment never shows a bar: indicatif draws at most a
//! few times a second and the bar is cleared when it is dropped.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kensa_core::Progress;

/// What the bar counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // `Items` is for the password audit (`kensa passwords`).
pub enum Unit {
    /// Bytes, shown as `12.3 MiB/1.2 GiB` with a rate.
    Bytes,
    /// Things (candidates, accounts), shown as `123/4567`.
    Items,
}

/// A progress bar on standard error, or nothing.
pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    /// A bar labelled `what` when `visible` (see [`crate::config::RunConfig::progress`]),
    /// else a silent one.
    pub fn new(visible: bool, what: &str, unit: Unit) -> Bar {
        if !visible {
            return Bar { bar: None };
        }
        let template = match unit {
            Unit::Bytes => {
                "{msg} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, {eta})"
            }
            Unit::Items => "{msg} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} ({eta})",
        };
        // Hidden until the work says how much there is: a bar of 0 of 0 looks finished.
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(template)
                .expect("the templates above are valid")
                .progress_chars("=> "),
        );
        bar.set_message(what.to_string());
        Bar { bar: Some(bar) }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// How far the bar is (for tests): position and length.
    #[cfg(test)]
    fn state(&self) -> Option<(u64, Option<u64>)> {
        self.bar.as_ref().map(|bar| (bar.position(), bar.length()))
    }
}

impl Progress for Bar {
    fn add_total(&self, total: u64) {
        if let Some(bar) = &self.bar {
            bar.inc_length(total);
            if bar.is_hidden() {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
        }
    }

    fn advance(&self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(done);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_silent_bar_draws_nothing_and_counts_nothing() {
        let bar = Bar::new(false, "scanning", Unit::Bytes);
        bar.add_total(10);
        bar.advance(5);
        assert_eq!(bar.state(), None);
    }

    #[test]
    fn a_visible_bar_adds_totals_and_advances() {
        let bar = Bar::new(true, "scanning", Unit::Items);
        bar.add_total(10);
        bar.add_total(5);
        bar.advance(4);
        bar.advance(3);
        assert_eq!(bar.state(), Some((7, Some(15))));
    }
}
