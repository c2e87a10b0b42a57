//! Time as ktopo reads and writes it, in one place: the wall clock, a registry's dates,
//! instants in RFC 3339 and durations in words. Calendars are jiff's.

use jiff::civil::Date;
use jiff::Timestamp;

/// Wall-clock milliseconds since the epoch (0 if the clock is before it).
pub fn now_ms() -> i64 {
    Timestamp::now().as_millisecond().max(0)
}

/// RFC 3339 UTC with millisecond precision, e.g. `2026-12-01T13:45:12.345Z`.
pub fn rfc3339(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| format!("{t:.3}"))
        .unwrap_or_else(|_| ms.to_string())
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (what follows the date is ignored);
/// None for a day the calendar does not have.
pub fn days(date: &str) -> Option<i64> {
    let d: Date = date.trim().get(..10)?.parse().ok()?;
    Some(
        d.duration_since(Date::constant(1970, 1, 1))
            .as_secs()
            .div_euclid(86_400),
    )
}

/// A duration rounded down to its largest unit: (count, unit index): seconds below two
/// minutes, minutes below two hours, hours below two days, then days.
fn coarse(ms: i64) -> (i64, usize) {
    let s = ms.max(0) / 1000;
    match s {
        0..=119 => (s, 0),
        120..=7_199 => (s / 60, 1),
        7_200..=172_799 => (s / 3600, 2),
        _ => (s / 86_400, 3),
    }
}

/// A duration in ms as people say it: 42 s, 7 min, 3 h, 12 days.
pub fn ago(ms: i64) -> String {
    let (n, unit) = coarse(ms);
    format!("{n} {}", ["s", "min", "h", "days"][unit])
}

/// The same, for a narrow column: 42s, 7m, 3h, 12d.
pub fn ago_short(ms: i64) -> String {
    let (n, unit) = coarse(ms);
    format!("{n}{}", ["s", "m", "h", "d"][unit])
}

/// 42s, 3m05s, 2h10m, 3d4h: a duration in seconds, to the second below an hour, short
/// enough for a table cell.
pub fn short_duration(s: f64) -> String {
    let s = s.max(0.0).round() as u64;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        3600..=86_399 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d{}h", s / 86_400, s % 86_400 / 3600),
    }
}

/// The time of day in UTC, `13:45:12`, of milliseconds since the epoch (what chart
/// axes and status changes show; the date is in the header's clock).
pub fn clock(ms: i64) -> String {
    let full = rfc3339(ms);
    match full.get(11..19) {
        Some(t) => t.to_string(),
        None => full,
    }
}
