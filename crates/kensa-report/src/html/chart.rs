//! The report's charts, drawn as inline SVG by hand: a stacked bar timeline of attack
//! events and horizontal bar charts of the top sources and accounts.
//!
//! No chart library and no script: the SVG is plain markup inside the page, so it shows
//! in any browser under a `default-src 'none'` policy, prints, and can be read by
//! reading the file. Hover texts are SVG `<title>` elements. Every label that came from
//! the audited host (addresses, user names) goes through the same escaping as the rest
//! of the page. The timeline's buckets are one hour as long as the period fits in
//! [`MAX_BUCKETS`] hours; a longer period (or a wild time in a tampered log) gets wider
//! buckets, so a chart is never wider than [`MAX_BUCKETS`] bars whatever the input.

use super::escape::{cut, html};
use super::messages;
use crate::i18n::{Lang, Text};
use kensa_core::Kind;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The most bars a timeline draws.
pub(super) const MAX_BUCKETS: i64 = 720;
/// Kinds, in legend and stacking order.
pub(super) const KINDS: [Kind; 15] = [
    Kind::SendmailExploit,
    Kind::PasswordGuessing,
    Kind::AccountProbing,
    Kind::AnonFtpUpload,
    Kind::AnonFtpWrite,
    Kind::RemoteRootLogin,
    Kind::LogTampering,
    Kind::Backdoor,
    Kind::Integrity,
    Kind::TrustFile,
    Kind::AccountWeakness,
    Kind::GuessablePassword,
    Kind::VulnerableVersion,
    Kind::AnonFtpAccess,
    Kind::ServerVersion,
];

/// The fill of a kind (distinct hues that stay apart in greyscale print too).
pub(super) fn color(kind: Kind) -> &'static str {
    match kind {
        Kind::SendmailExploit => "#c0392b",
        Kind::PasswordGuessing => "#1f5fa8",
        Kind::AccountProbing => "#5dade2",
        Kind::AnonFtpUpload => "#e67e22",
        Kind::AnonFtpWrite => "#f1c40f",
        Kind::RemoteRootLogin => "#8e44ad",
        Kind::LogTampering => "#27ae60",
        Kind::Backdoor => "#222222",
        Kind::Integrity => "#16a085",
        Kind::TrustFile => "#7f8c8d",
        Kind::AccountWeakness => "#a0522d",
        Kind::GuessablePassword => "#d35400",
        Kind::VulnerableVersion => "#95a5a6",
        Kind::AnonFtpAccess => "#b7950b",
        Kind::ServerVersion => "#bdc3c7",
    }
}

fn kind_index(kind: Kind) -> usize {
    KINDS.iter().position(|&k| k == kind).unwrap_or(0)
}

/// Events per local hour and kind: what the timeline draws. Bounded by the number of
/// distinct hours that have events (at most one entry per evidence line).
#[derive(Default)]
pub(super) struct Timeline {
    /// Local hour (hours since the epoch, in the host's local time) → events per kind.
    hours: BTreeMap<i64, [u64; KINDS.len()]>,
}

impl Timeline {
    /// Counts one event at `local_seconds` (seconds since the epoch, shifted by the
    /// host's UTC offset at that instant).
    pub(super) fn add(&mut self, local_seconds: i64, kind: Kind) {
        let hour = local_seconds.div_euclid(3600);
        self.hours.entry(hour).or_default()[kind_index(kind)] += 1;
    }
}

/// The civil date (year, month, day) of a day number since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
pub(super) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `YYYY-MM-DD HH:00` of a local hour number.
fn hour_label(hour: i64) -> String {
    let (y, m, d) = civil_from_days(hour.div_euclid(24));
    format!("{y:04}-{m:02}-{d:02} {:02}:00", hour.rem_euclid(24))
}

/// The bucket width in hours for a span of `hours`: the smallest of 1, 2, 3, 6, 12 and
/// 24 hours, then whole weeks... that keeps the bars within [`MAX_BUCKETS`].
fn bucket_hours(span_hours: i64) -> i64 {
    for hours in [1, 2, 3, 6, 12, 24] {
        if span_hours <= MAX_BUCKETS * hours {
            return hours;
        }
    }
    let days = (span_hours + MAX_BUCKETS * 24 - 1) / (MAX_BUCKETS * 24);
    days * 24
}

/// A round axis maximum at or above `max`: 1, 2 or 5 times a power of ten.
fn nice_max(max: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for factor in [1, 2, 5] {
            if let Some(candidate) = step.checked_mul(factor)
                && candidate >= max
            {
                return candidate;
            }
        }
        match step.checked_mul(10) {
            Some(next) => step = next,
            None => return max,
        }
    }
}

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 56.0;

/// Writes the timeline: a caption, the SVG and a legend of the kinds present.
pub(super) fn write_timeline(out: &mut String, timeline: &Timeline, lang: Lang) {
    let (Some((&first, _)), Some((&last, _))) = (
        timeline.hours.first_key_value(),
        timeline.hours.last_key_value(),
    ) else {
        let _ = writeln!(
            out,
            "<p class=\"empty\">{}</p>",
            html(messages::TIMELINE_EMPTY.get(lang))
        );
        return;
    };
    let bucket = bucket_hours(last - first + 1);
    // Buckets start at local midnight boundaries so a bar never straddles two days.
    let start = first.div_euclid(24) * 24;
    let end = (last.div_euclid(24) + 1) * 24; // exclusive: the end of the last day
    let buckets = (end - start + bucket - 1) / bucket;
    let mut counts: BTreeMap<i64, [u64; KINDS.len()]> = BTreeMap::new();
    for (&hour, per_kind) in &timeline.hours {
        let slot = counts.entry((hour - start) / bucket).or_default();
        for (total, n) in slot.iter_mut().zip(per_kind) {
            *total += n;
        }
    }
    let max = counts
        .values()
        .map(|per_kind| per_kind.iter().sum::<u64>())
        .max()
        .unwrap_or(1);
    let y_max = nice_max(max.max(1));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let bar_w = plot_w / buckets as f64;
    let x_of = |hour: i64| LEFT + (hour - start) as f64 / bucket as f64 * bar_w;
    let y_of = |value: f64| TOP + plot_h - value / y_max as f64 * plot_h;

    let caption = if bucket == 1 {
        messages::TIMELINE
    } else {
        messages::TIMELINE_COARSE
    };
    let caption = caption.fill(
        lang,
        &[
            ("hours", &bucket),
            ("first", &hour_label(first)),
            ("last", &hour_label(last)),
        ],
    );
    let _ = writeln!(out, "<figure class=\"chart timeline\">");
    let _ = writeln!(out, "<figcaption>{}</figcaption>", html(&caption));
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{}\">",
        html(&caption)
    );
    let _ = writeln!(out, "<title>{}</title>", html(&caption));
    // Horizontal grid and the y axis labels: 0, half, max.
    for value in [0, y_max / 2, y_max] {
        let y = y_of(value as f64);
        let _ = writeln!(
            out,
            "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{value}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0
        );
    }
    // Day ticks; labels on at most ~16 of them, always on New Year's Day.
    let days = (end - start) / 24;
    let label_every = ((days + 15) / 16).max(1);
    let mut previous_year = None;
    for index in 0..=days {
        let day = start / 24 + index;
        let x = x_of(day * 24);
        let (year, month, dom) = civil_from_days(day);
        let new_year = month == 1 && dom == 1;
        let labelled = index < days && (new_year || index % label_every == 0);
        // Over a long period only labelled days get a tick: the chart stays small.
        if !(labelled || days <= 62) {
            continue;
        }
        let class = if new_year { "tick new-year" } else { "tick" };
        let _ = writeln!(
            out,
            "<line class=\"{class}\" x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>",
            TOP + plot_h + 5.0
        );
        if !labelled {
            continue;
        }
        let label = if previous_year != Some(year) {
            format!("{year:04}-{month:02}-{dom:02}")
        } else {
            format!("{month:02}-{dom:02}")
        };
        previous_year = Some(year);
        let _ = writeln!(
            out,
            "<text class=\"axis{}\" x=\"{x:.1}\" y=\"{:.1}\" transform=\"rotate(35 {x:.1} {:.1})\">{label}</text>",
            if new_year { " new-year" } else { "" },
            TOP + plot_h + 16.0,
            TOP + plot_h + 16.0
        );
    }
    // Bars, stacked in KINDS order from the bottom, each with its hover text.
    for (&slot, per_kind) in &counts {
        let hour = start + slot * bucket;
        let x = x_of(hour);
        let mut base = 0u64;
        for (index, &n) in per_kind.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let kind = KINDS[index];
            let y_top = y_of((base + n) as f64);
            let y_bottom = y_of(base as f64);
            let _ = writeln!(
                out,
                "<rect x=\"{x:.2}\" y=\"{y_top:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"{}\"><title>{} — {}: {n} {}</title></rect>",
                (bar_w - 0.4).max(0.6),
                (y_bottom - y_top).max(0.5),
                color(kind),
                hour_label(hour),
                html(messages::kind(kind).get(lang)),
                html(messages::EVENTS.get(lang)),
            );
            base += n;
        }
    }
    let _ = writeln!(
        out,
        "<line class=\"axis-line\" x1=\"{LEFT}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
        TOP + plot_h,
        WIDTH - RIGHT,
        TOP + plot_h
    );
    let _ = writeln!(out, "</svg>");
    // Legend: the kinds that have events.
    let mut present = [false; KINDS.len()];
    for per_kind in counts.values() {
        for (seen, &n) in present.iter_mut().zip(per_kind) {
            *seen |= n > 0;
        }
    }
    let _ = write!(out, "<ul class=\"legend\">");
    for (index, kind) in KINDS.iter().enumerate().filter(|(i, _)| present[*i]) {
        let total: u64 = counts.values().map(|per_kind| per_kind[index]).sum();
        let _ = write!(
            out,
            "<li><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"{}\"/></svg> {} ({total})</li>",
            color(*kind),
            html(messages::kind(*kind).get(lang))
        );
    }
    let _ = writeln!(out, "</ul>");
    let _ = writeln!(
        out,
        "<p class=\"note\">{}</p>",
        html(messages::TIMELINE_NOTE.get(lang))
    );
    let _ = writeln!(out, "</figure>");
}

/// Rows shown in a bar chart.
pub(super) const TOP_ROWS: usize = 10;
/// Characters of a label shown in a bar chart.
const LABEL_CHARS: usize = 26;

/// Writes a horizontal bar chart of the `TOP_ROWS` largest `values` (largest first, ties
/// by label), under `title`.
pub(super) fn write_bars(
    out: &mut String,
    title: Text,
    values: &BTreeMap<String, u64>,
    fill: &str,
    lang: Lang,
) {
    let title = title.get(lang);
    let _ = writeln!(out, "<figure class=\"chart bars\">");
    let _ = writeln!(out, "<figcaption>{}</figcaption>", html(title));
    if values.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"empty\">{}</p></figure>",
            html(messages::NONE_NAMED.get(lang))
        );
        return;
    }
    let mut rows: Vec<(&String, u64)> = values.iter().map(|(k, &v)| (k, v)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let hidden = rows.len().saturating_sub(TOP_ROWS);
    rows.truncate(TOP_ROWS);
    let max = rows.first().map_or(1, |r| r.1).max(1);
    let (width, label_w, row_h) = (460.0, 190.0, 22.0);
    let bar_area = width - label_w - 60.0;
    let height = row_h * rows.len() as f64 + 6.0;
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        html(title)
    );
    let _ = writeln!(out, "<title>{}</title>", html(title));
    for (index, (label, value)) in rows.iter().enumerate() {
        let y = 3.0 + row_h * index as f64;
        let bar = (*value as f64 / max as f64 * bar_area).max(1.0);
        let shown = if label.is_empty() {
            "\"\""
        } else {
            label.as_str()
        };
        let (kept, dropped) = cut(shown, LABEL_CHARS);
        let ellipsis = if dropped > 0 { "…" } else { "" };
        let _ = writeln!(
            out,
            "<g><title>{}: {value}</title><text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}{ellipsis}</text>\
             <rect x=\"{label_w}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{fill}\"/>\
             <text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{value}</text></g>",
            html(shown),
            label_w - 6.0,
            y + 15.0,
            html(kept),
            y + 2.0,
            row_h - 6.0,
            label_w + bar + 5.0,
            y + 15.0,
        );
    }
    let _ = writeln!(out, "</svg>");
    if hidden > 0 {
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            html(&messages::MORE_USERS.fill(lang, &[("count", &hidden)]))
        );
    }
    let _ = writeln!(out, "</figure>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_across_new_year_and_leap_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        // 1996-12-31 and 1997-01-01.
        assert_eq!(civil_from_days(9861), (1996, 12, 31));
        assert_eq!(civil_from_days(9862), (1997, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn buckets_widen_to_keep_the_bar_count_bounded() {
        assert_eq!(bucket_hours(1), 1);
        assert_eq!(bucket_hours(16 * 24), 1);
        assert_eq!(bucket_hours(720), 1);
        assert_eq!(bucket_hours(721), 2);
        assert_eq!(bucket_hours(720 * 24), 24);
        // Fifty years of a tampered log: still at most MAX_BUCKETS bars.
        let span = 50 * 366 * 24;
        assert!(span / bucket_hours(span) <= MAX_BUCKETS);
    }

    #[test]
    fn axis_maxima_are_round() {
        assert_eq!(nice_max(1), 1);
        assert_eq!(nice_max(3), 5);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(11), 20);
        assert_eq!(nice_max(57), 100);
        assert_eq!(nice_max(u64::MAX), u64::MAX);
    }

    #[test]
    fn the_timeline_spans_new_year_and_labels_it() {
        let mut timeline = Timeline::default();
        // 1996-12-31 23:00 and 1997-01-01 00:30 local.
        timeline.add(9861 * 86_400 + 23 * 3600, Kind::SendmailExploit);
        timeline.add(9862 * 86_400 + 1800, Kind::SendmailExploit);
        timeline.add(9862 * 86_400 + 1900, Kind::PasswordGuessing);
        let mut out = String::new();
        write_timeline(&mut out, &timeline, Lang::En);
        assert!(out.contains(">1996-12-31</text>"), "{out}");
        assert!(out.contains("new-year\" x="), "{out}");
        assert!(out.contains(">1997-01-01</text>"), "{out}");
        assert!(
            out.contains("1997-01-01 00:00 — sendmail exploit: 1 events"),
            "{out}"
        );
        assert!(
            out.contains("1996-12-31 23:00 — sendmail exploit: 1 events"),
            "{out}"
        );
        assert!(out.contains("password guessing (1)"), "{out}");
        assert_eq!(out.matches("<rect x=").count(), 3, "{out}");
    }
}
