//! What a partition's judgement says (a status, its reason as numbers put in words only
//! when shown, and whether the offset moves), the rules it is judged by, and what is
//! shown of it: a new verdict only once it held for `Rules::confirm` samples.

use crate::core::live::view::{short_duration, Health};

#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub allowed_lag: i64,
    /// Seconds between samples (commit moves are seen this late at most).
    pub interval_s: f64,
    /// A consumer is frozen only after this many seconds without movement, whatever
    /// its cadence.
    pub floor_s: f64,
    /// The cadence assumed before one is learned (Kafka Streams' commit.interval.ms).
    pub unknown_cadence_s: f64,
    /// Samples a new verdict must hold before it is shown.
    pub confirm: u32,
    /// A group with members but no commit gets NOCOMMIT after this long.
    pub nocommit_after_s: f64,
}

impl Rules {
    pub fn for_interval(interval_s: f64) -> Rules {
        Rules {
            allowed_lag: 0,
            interval_s,
            floor_s: (3.0 * interval_s).max(10.0),
            unknown_cadence_s: 30.0,
            confirm: 2,
            nocommit_after_s: 60.0,
        }
    }
}

impl Default for Rules {
    fn default() -> Self {
        Rules::for_interval(5.0)
    }
}

/// Why a partition has its status: the numbers, put in words only when shown (every
/// group × partition is judged at every sample; formatting each reason would cost more
/// than judging).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reason {
    Text(&'static str),
    Rewind {
        from: i64,
        to: i64,
    },
    /// No movement for `for_s` while there was something to consume.
    Frozen {
        for_s: f64,
        never_moved: bool,
        lag: i64,
        /// (committed, log end) when the commit is beyond the log end.
        beyond: Option<(i64, i64)>,
        cadence_s: Option<f64>,
        members: Option<usize>,
    },
    Beyond {
        committed: i64,
        log_end: i64,
        within_s: f64,
    },
    NoCommitYet {
        within_s: f64,
    },
    Trend {
        kind: Trend,
        consumed: i64,
        produced: i64,
        span_s: f64,
        growth: i64,
    },
    Draining {
        consumed: i64,
        span_s: f64,
    },
}

/// What the commit points say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    FallingBehind,
    FallingSlowly,
    BarelyMoving,
    NotClear,
    GrowsALittle,
    KeepingUp,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Reason::Text(t) => f.write_str(t),
            Reason::Rewind { from, to } => write!(f, "committed offset went back from {from} to {to}"),
            Reason::Frozen {
                for_s,
                never_moved,
                lag,
                beyond,
                cadence_s,
                members,
            } => {
                write!(
                    f,
                    "offset unchanged for {}{} with ",
                    short_duration(for_s),
                    if never_moved { " or more" } else { "" }
                )?;
                match beyond {
                    Some((c, e)) => write!(
                        f,
                        "committed offset {c} is beyond the log end {e} (the topic was recreated or truncated?)"
                    )?,
                    None => write!(f, "lag {lag}")?,
                }
                match cadence_s {
                    Some(c) => write!(f, " (usual commit interval {})", short_duration(c))?,
                    None => f.write_str(" (commit interval not yet known)")?,
                }
                match members {
                    Some(m) if m > 0 => write!(f, "; {m} members: alive, not progressing"),
                    Some(_) => f.write_str("; no members"),
                    None => Ok(()),
                }
            }
            Reason::Beyond {
                committed,
                log_end,
                within_s,
            } => write!(
                f,
                "committed offset {committed} is beyond the log end {log_end}; judged within {}",
                short_duration(within_s)
            ),
            Reason::NoCommitYet { within_s } => {
                write!(f, "no commit seen yet; judged within {}", short_duration(within_s))
            }
            Reason::Trend {
                kind,
                consumed,
                produced,
                span_s,
                growth,
            } => {
                let what = match kind {
                    Trend::FallingBehind => "falling behind",
                    Trend::FallingSlowly => "falling behind slowly",
                    Trend::BarelyMoving => "barely moving",
                    Trend::NotClear => "behind; trend not yet clear",
                    Trend::GrowsALittle => "lag grows a little",
                    Trend::KeepingUp => "keeping up",
                };
                write!(
                    f,
                    "{what}: consumed {consumed} of {produced} produced in {}; lag {growth:+} at commits",
                    short_duration(span_s)
                )
            }
            Reason::Draining { consumed, span_s } => {
                write!(f, "draining: consumed {consumed} in {}", short_duration(span_s))
            }
        }
    }
}

impl From<&'static str> for Reason {
    fn from(t: &'static str) -> Reason {
        Reason::Text(t)
    }
}

/// A status with its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub health: Health,
    pub reason: Reason,
    /// The offset moved within its threshold (the partition consumes).
    pub moving: bool,
}

pub(super) fn verdict(health: Health, reason: impl Into<Reason>, moving: bool) -> Verdict {
    Verdict {
        health,
        reason: reason.into(),
        moving,
    }
}

/// What is shown, with hysteresis: a new verdict must hold for `confirm` samples in a
/// row; the first verdict shows at once; a shown verdict never goes back to UNKNOWN.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub health: Health,
    pub reason: Reason,
    /// When the shown status began (seconds).
    pub since_s: f64,
    pending: Option<(Health, u32)>,
}

impl Shown {
    pub fn new(time_s: f64) -> Shown {
        Shown {
            health: Health::Unknown,
            reason: Reason::Text("not evaluated yet"),
            since_s: time_s,
            pending: None,
        }
    }

    /// Offer a verdict made at `time_s`; returns the previous status when it changed.
    pub fn offer(&mut self, v: Verdict, time_s: f64, confirm: u32) -> Option<Health> {
        if v.health == self.health {
            self.pending = None;
            self.reason = v.reason;
            return None;
        }
        if v.health == Health::Unknown && self.health != Health::Unknown {
            // Too little evidence now is no evidence against what was shown.
            self.pending = None;
            return None;
        }
        let count = match self.pending {
            Some((h, c)) if h == v.health => c + 1,
            _ => 1,
        };
        if self.health == Health::Unknown || count >= confirm {
            let before = self.health;
            self.health = v.health;
            self.reason = v.reason;
            self.since_s = time_s;
            self.pending = None;
            Some(before)
        } else {
            self.pending = Some((v.health, count));
            None
        }
    }
}
