//! Consumer status from read-only samples, judged against each consumer's own commit
//! cadence.
//!
//! Burrow evaluates a partition at every commit it sees; a monitor that polls
//! OffsetFetch sees the committed offset frozen between commits, and consumers commit at
//! very different cadences (every second, every 5 s, Kafka Streams every 30 s, per batch,
//! per checkpoint). So ktopo learns, per group × partition, how often the committed
//! offset moves (the gaps between the samples at which it moved: its *cadence*) and
//! judges movement against that, and it judges falling behind from the lag *at the
//! moments the offset moved* (Burrow's commit points), never from the saw-tooth the lag
//! draws between commits.
//!
//! Per partition, oldest first, ktopo keeps the last `WINDOW` samples (committed offset,
//! log end, lag) and the last `POINTS` commit points (the samples at which the committed
//! offset had moved, with the messages produced since the sample before: the *slack* a
//! consumer at the head can show at a commit point). Then, in this order:
//! 1. one sample only: UNKNOWN (not evaluated yet);
//! 2. an offset lower than the one before it that never recovers: REWIND;
//! 3. lag <= allowed: IDLE when the log end did not move in the window, else OK;
//! 4. frozen: the offset has not moved for longer than `threshold` = the larger of a
//!    floor and 2 × its cadence + one interval (an unknown cadence counts as 30 s): STALL
//!    when the group has members (alive, not progressing), else STOP;
//! 5. not frozen, no commit point yet: UNKNOWN (waits up to `threshold`);
//! 6. the trend over the commit points in the window (once WARN, it stays WARN while the
//!    lag at commit points still grows: a band, so jitter does not flip it), when they
//!    span at least the floor: consumed below 10% of what was produced while the lag grew
//!    by more than the largest slack: STALL (barely moving); below 90%: WARN (falling
//!    behind). The largest slack bounds what a consumer at the head can show, so a
//!    healthy consumer never trips it;
//! 7. the lag at the last commit point is within its slack: OK (at the head);
//! 8. too little evidence either way: UNKNOWN, else OK.
//!
//! A verdict is shown only when it holds for `confirm` samples in a row (hysteresis), a
//! shown verdict never goes back to UNKNOWN, and each one carries its reason in words.
//! Row-level rules (a group that never committed, STOP downgraded to STALL while another
//! partition consumes) are in `metrics.rs`.

use super::view::{short_duration, Health};
use std::collections::VecDeque;

/// Samples kept per group × partition (IDLE and REWIND look at them).
pub const WINDOW: usize = 10;
/// Commit points kept per group × partition (the trend and the cadence use them).
pub const POINTS: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub time_s: f64,
    pub committed: i64,
    pub log_end: i64,
    pub lag: i64,
    /// The partition's log end moved since the previous sample.
    pub log_moved: bool,
}

/// A sample at which the committed offset had moved since the one before.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub time_s: f64,
    pub committed: i64,
    pub log_end: i64,
    pub lag: i64,
    /// Messages produced since the previous sample: a consumer at the head can show
    /// this much lag at a commit point.
    pub slack: i64,
}

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

/// A status with its reason in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub health: Health,
    pub reason: String,
    /// The offset moved within its threshold (the partition consumes).
    pub moving: bool,
}

fn verdict(health: Health, reason: impl Into<String>, moving: bool) -> Verdict {
    Verdict {
        health,
        reason: reason.into(),
        moving,
    }
}

/// One group × partition: what was seen of it, and what is shown.
#[derive(Debug, Clone)]
pub struct Track {
    pub samples: VecDeque<Sample>,
    pub points: VecDeque<Point>,
    /// When the track began (seconds).
    pub first_s: f64,
    /// The sample at which the committed offset last moved.
    pub last_move_s: Option<f64>,
    pub shown: Shown,
}

impl Track {
    pub fn new(time_s: f64) -> Track {
        Track {
            samples: VecDeque::with_capacity(WINDOW),
            points: VecDeque::new(),
            first_s: time_s,
            last_move_s: None,
            shown: Shown::new(time_s),
        }
    }

    /// Add a sample (committed offset and log end at `time_s`).
    pub fn push(&mut self, time_s: f64, committed: i64, log_end: i64) {
        let lag = log_end.saturating_sub(committed).max(0);
        let prev = self.samples.back().copied();
        let log_moved = prev.is_some_and(|p| p.log_end != log_end);
        if let Some(p) = prev {
            if p.committed != committed {
                self.last_move_s = Some(time_s);
                if self.points.len() == POINTS {
                    self.points.pop_front();
                }
                self.points.push_back(Point {
                    time_s,
                    committed,
                    log_end,
                    lag,
                    slack: log_end.saturating_sub(p.log_end).max(0),
                });
            }
        }
        if self.samples.len() == WINDOW {
            self.samples.pop_front();
        }
        self.samples.push_back(Sample {
            time_s,
            committed,
            log_end,
            lag,
            log_moved,
        });
    }

    /// The usual time between moves: the longest of the recent gaps between commit
    /// points (the offset moves are seen one interval late at most). None until two
    /// moves were seen.
    pub fn cadence_s(&self) -> Option<f64> {
        let recent: Vec<&Point> = self.points.iter().rev().take(6).collect();
        recent.windows(2).map(|w| w[0].time_s - w[1].time_s).reduce(f64::max)
    }

    /// Seconds without movement after which the consumer counts as frozen.
    pub fn threshold_s(&self, rules: &Rules) -> f64 {
        let cadence = self.cadence_s().unwrap_or(rules.unknown_cadence_s);
        rules.floor_s.max(2.0 * cadence + rules.interval_s)
    }

    /// Judge the partition as of `now_s`; `members` is the group's member count where the
    /// broker reports it.
    pub fn judge(&self, now_s: f64, members: Option<usize>, rules: &Rules) -> Verdict {
        judge(self, now_s, members, rules)
    }
}

fn cadence_words(t: &Track) -> String {
    match t.cadence_s() {
        Some(c) => format!("usual commit interval {}", short_duration(c)),
        None => "commit interval not yet known".into(),
    }
}

fn judge(t: &Track, now_s: f64, members: Option<usize>, rules: &Rules) -> Verdict {
    let n = t.samples.len();
    let Some(&last) = t.samples.back() else {
        return verdict(Health::Unknown, "no sample yet", false);
    };
    if n < 2 {
        return verdict(Health::Unknown, "one sample so far", false);
    }
    let w: Vec<Sample> = t.samples.iter().copied().collect();
    let max_before = w[..n - 1].iter().map(|s| s.committed).max().unwrap_or(i64::MIN);
    if (1..n).any(|i| w[i].committed < w[i - 1].committed) && last.committed < max_before {
        return verdict(
            Health::Rewind,
            format!("committed offset went back from {max_before} to {}", last.committed),
            true,
        );
    }
    let threshold = t.threshold_s(rules);
    let frozen_for = now_s - t.last_move_s.unwrap_or(t.first_s);
    let moving = t.last_move_s.is_some() && frozen_for <= threshold;
    if last.lag <= rules.allowed_lag {
        return if w[1..].iter().any(|s| s.log_moved) {
            verdict(Health::Ok, "caught up", moving)
        } else {
            verdict(Health::Idle, "caught up, and nothing was written", moving)
        };
    }
    if frozen_for > threshold {
        let how = format!(
            "offset unchanged for {}{} with lag {} ({})",
            short_duration(frozen_for),
            if t.last_move_s.is_none() { " or more" } else { "" },
            last.lag,
            cadence_words(t)
        );
        return match members {
            Some(m) if m > 0 => verdict(
                Health::Stall,
                format!("{how}; {m} members: alive, not progressing"),
                false,
            ),
            Some(_) => verdict(Health::Stop, format!("{how}; no members"), false),
            None => verdict(Health::Stop, how, false),
        };
    }
    let Some(&newest) = t.points.back() else {
        return verdict(
            Health::Unknown,
            format!(
                "no commit seen yet; judged within {}",
                short_duration(threshold - frozen_for)
            ),
            false,
        );
    };
    let at_head = newest.lag <= newest.slack.saturating_add(rules.allowed_lag);
    let oldest = t.points[0];
    let produced = newest.log_end.saturating_sub(oldest.log_end);
    let consumed = newest.committed.saturating_sub(oldest.committed);
    let growth = newest.lag.saturating_sub(oldest.lag);
    let bound = t.points.iter().map(|p| p.slack).max().unwrap_or(0).saturating_add(rules.allowed_lag);
    let span = short_duration(newest.time_s - oldest.time_s);
    let share = if produced > 0 {
        consumed as f64 / produced as f64
    } else {
        1.0
    };
    let words = format!("consumed {consumed} of {produced} produced in {span}; lag {growth:+} at commits");
    // The trend first: a consumer falling behind slowly is near the head for a while.
    if t.shown.health == Health::Warn && growth > 0 && share < 1.0 {
        return verdict(Health::Warn, format!("falling behind: {words}"), true);
    }
    // A trend over a few seconds of a quiet partition is noise: ask for a floor's worth.
    let long_enough = t.points.len() >= 2 && newest.time_s - oldest.time_s >= rules.floor_s;
    if long_enough && growth > bound && share < 0.1 {
        return verdict(Health::Stall, format!("barely moving: {words}"), true);
    }
    if long_enough && growth > bound && share < 0.9 {
        return verdict(Health::Warn, format!("falling behind: {words}"), true);
    }
    if at_head {
        return verdict(Health::Ok, "at the head at its last commit", true);
    }
    if produced <= 0 && t.points.len() >= 2 {
        return verdict(Health::Ok, format!("draining: consumed {consumed} in {span}"), true);
    }
    if t.points.len() < 2 {
        return verdict(
            Health::Unknown,
            "behind at its first commit seen; its trend needs more",
            true,
        );
    }
    if !long_enough {
        return verdict(Health::Unknown, format!("behind; trend not yet clear: {words}"), true);
    }
    if share < 0.9 && t.points.len() < POINTS {
        return verdict(Health::Unknown, format!("lag grows a little: {words}"), true);
    }
    verdict(Health::Ok, format!("keeping up: {words}"), true)
}

/// What is shown, with hysteresis: a new verdict must hold for `confirm` samples in a
/// row; the first verdict shows at once; a shown verdict never goes back to UNKNOWN.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub health: Health,
    pub reason: String,
    /// When the shown status began (seconds).
    pub since_s: f64,
    pending: Option<(Health, u32)>,
}

impl Shown {
    pub fn new(time_s: f64) -> Shown {
        Shown {
            health: Health::Unknown,
            reason: "not evaluated yet".into(),
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
