//! The states Connect reports for a connector and each task, its type, and a failed
//! task's trace, bounded.

use std::borrow::Cow;

/// A connector's or a task's state. Strings Connect may add later are kept, made
/// visible and cut, never mistaken for a known state.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum State {
    Running,
    Paused,
    /// KIP-875 (Kafka 3.5+).
    Stopped,
    Failed,
    Unassigned,
    /// KIP-745.
    Restarting,
    Unknown(String),
}

impl State {
    pub fn parse(s: &str) -> State {
        match s {
            "RUNNING" => State::Running,
            "PAUSED" => State::Paused,
            "STOPPED" => State::Stopped,
            "FAILED" => State::Failed,
            "UNASSIGNED" => State::Unassigned,
            "RESTARTING" => State::Restarting,
            other => State::Unknown(crate::core::words::cut(&crate::core::visible::one_line(other), 40)),
        }
    }

    /// The word Connect uses (an unknown one as given, already visible).
    pub fn word(&self) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            State::Running => "RUNNING",
            State::Paused => "PAUSED",
            State::Stopped => "STOPPED",
            State::Failed => "FAILED",
            State::Unassigned => "UNASSIGNED",
            State::Restarting => "RESTARTING",
            State::Unknown(s) => return Cow::Borrowed(s.as_str()),
        })
    }
}

impl State {
    /// How bad it is, for the roll-up: RUNNING best, FAILED worst.
    pub fn rank(&self) -> u8 {
        match self {
            State::Running => 0,
            State::Restarting => 1,
            State::Paused => 2,
            State::Stopped => 3,
            State::Unassigned => 4,
            State::Unknown(_) => 5,
            State::Failed => 6,
        }
    }

    /// Symbol and word, at most 9 columns (the HEALTH column's width), so a state never depends on colour alone
    /// (the style of the groups' statuses).
    pub fn label(&self) -> String {
        let (glyph, word) = match self {
            State::Running => ("✓", "RUNNING"),
            State::Paused => ("‖", "PAUSED"),
            State::Stopped => ("■", "STOPPED"),
            State::Failed => ("✗", "FAILED"),
            State::Unassigned => ("∅", "UNASSGN"),
            State::Restarting => ("↻", "RESTART"),
            State::Unknown(s) => return format!("? {}", cut_columns(s, 7)),
        };
        format!("{glyph} {word}")
    }

    /// A data source in this state writes nothing: what it feeds goes stale.
    pub fn stops_work(&self) -> bool {
        matches!(self, State::Failed | State::Paused | State::Stopped | State::Unassigned)
    }
}

/// At most `max` terminal columns of `s` (CJK takes two each), a cut one ending in `…`.
fn cut_columns(s: &str, max: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max.saturating_sub(1) {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `source` or `sink` (the REST API's `type`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Kind {
    Source,
    Sink,
    /// Absent or another word (kept visible and cut).
    Unknown(String),
}

impl Kind {
    pub fn parse(s: &str) -> Kind {
        match s {
            "source" => Kind::Source,
            "sink" => Kind::Sink,
            other => Kind::Unknown(crate::core::words::cut(&crate::core::visible::one_line(other), 40)),
        }
    }

    pub fn word(&self) -> &str {
        match self {
            Kind::Source => "source",
            Kind::Sink => "sink",
            Kind::Unknown(s) if s.is_empty() => "unknown",
            Kind::Unknown(s) => s,
        }
    }
}

/// Healthy, or each reason it is not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Health {
    Healthy,
    Unhealthy(Vec<String>),
}

impl Health {
    pub fn is_healthy(&self) -> bool {
        matches!(self, Health::Healthy)
    }
}

/// Bytes of a trace kept: Java stack traces run to tens of kilobytes, a hostile
/// worker's to any size.
pub const MAX_TRACE_BYTES: usize = 32 * 1024;

/// A failed connector's or task's stack trace, as sent (control characters and all:
/// escape before showing), cut at `MAX_TRACE_BYTES`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Trace {
    pub text: String,
    /// Bytes left off the end.
    pub cut_bytes: usize,
}

impl Trace {
    pub fn new(text: &str) -> Trace {
        if text.len() <= MAX_TRACE_BYTES {
            return Trace {
                text: text.to_string(),
                cut_bytes: 0,
            };
        }
        let mut end = MAX_TRACE_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        Trace {
            text: text[..end].to_string(),
            cut_bytes: text.len() - end,
        }
    }

    /// The first non-empty line, visible and at most `max` characters: the exception
    /// and its message, for a table.
    pub fn first_line(&self, max: usize) -> String {
        let line = self.text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
        crate::core::words::cut(&crate::core::visible::one_line(line), max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_parse_and_unknown_ones_stay_visible() {
        for w in ["RUNNING", "PAUSED", "STOPPED", "FAILED", "UNASSIGNED", "RESTARTING"] {
            let s = State::parse(w);
            assert!(!matches!(s, State::Unknown(_)), "{w}");
            assert_eq!(s.word(), w);
        }
        assert_eq!(State::parse("running"), State::Unknown("running".into()));
        assert_eq!(State::parse("X\u{202e}Y").word(), "X\\u{202e}Y");
        assert_eq!(State::parse(&"A".repeat(100)).word().chars().count(), 40);
        assert_eq!(Kind::parse("sink"), Kind::Sink);
        assert_eq!(Kind::parse("").word(), "unknown");
    }

    #[test]
    fn labels_fit_the_health_column_and_rank_failed_worst() {
        let all = [
            State::Running,
            State::Paused,
            State::Stopped,
            State::Failed,
            State::Unassigned,
            State::Restarting,
            State::parse("DEGRADED-SOMEHOW"),
            State::parse("降级状态未知的连接器"),
            State::parse("降级x"),
            State::parse("a降级"),
        ];
        for s in &all {
            use unicode_width::UnicodeWidthStr;
            assert!(s.label().width() <= 9, "{} is {} columns", s.label(), s.label().width());
        }
        assert_eq!(State::parse("降级状态未知的连接器").label(), "? 降级状…");
        assert_eq!(State::parse("a降级").label(), "? a降级", "5 columns: whole");
        assert_eq!(State::parse("DEGRADED-SOMEHOW").label(), "? DEGRAD…");
        assert_eq!(all.iter().max_by_key(|s| s.rank()), Some(&State::Failed));
        assert!(State::Failed.stops_work() && State::Paused.stops_work());
        assert!(!State::Running.stops_work() && !State::Restarting.stops_work());
    }

    #[test]
    fn a_trace_is_cut_and_its_first_line_is_visible() {
        let t = Trace::new("\n  org.apache.kafka.connect.errors.ConnectException: boom\x1b[31m\n\tat X.y(X.java:1)");
        assert_eq!(
            t.first_line(200),
            "org.apache.kafka.connect.errors.ConnectException: boom\\u{1b}[31m"
        );
        let long = "é".repeat(MAX_TRACE_BYTES);
        let t = Trace::new(&long);
        assert!(t.text.len() <= MAX_TRACE_BYTES);
        assert_eq!(t.text.len() + t.cut_bytes, long.len());
        assert_eq!(t.first_line(10).chars().count(), 10);
    }
}
