//! One group × partition's track (its recent samples, commit points and cadence) and
//! the judgement of it, in the order the module doc of `status` gives.

use super::verdict::{verdict, Reason, Rules, Shown, Trend, Verdict};
use crate::core::live::view::Health;
use std::collections::VecDeque;

/// Samples kept per group × partition (REWIND looks at them; IDLE waits at least as long).
pub const WINDOW: usize = 10;
/// Commit points kept per group × partition (the trend and the cadence use them).
pub const POINTS: usize = 16;

/// 24 bytes: there is one per sample in every group × partition's window (50,000
/// windows at 5,000 groups), so the lag is derived, not stored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub time_s: f64,
    pub committed: i64,
    pub log_end: i64,
}

impl Sample {
    /// Messages behind: the log end past the committed offset, never negative.
    pub fn lag(&self) -> i64 {
        self.log_end.saturating_sub(self.committed).max(0)
    }
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

/// One group × partition: what was seen of it, and what is shown.
#[derive(Debug, Clone)]
pub struct Track {
    pub samples: VecDeque<Sample>,
    /// The recent commit points (the short trend).
    pub points: VecDeque<Point>,
    /// One commit point a minute, for the last twelve minutes (the long trend: a consumer at
    /// 95% speed falls behind too slowly for the short one).
    pub anchors: VecDeque<Point>,
    /// When the track began (seconds).
    pub first_s: f64,
    /// The sample at which the committed offset last moved.
    pub last_move_s: Option<f64>,
    /// The first sample since the last move with something to consume: time without
    /// movement counts only from here (nothing to read is not being stuck).
    pub behind_since_s: Option<f64>,
    /// Recent gaps between moves, each measured from the last sample before the move,
    /// so a sampling outage is not learned as the consumer's cadence.
    gaps: VecDeque<f64>,
    /// Before a second move: how long the offset was watched without moving.
    first_gap_s: Option<f64>,
    /// When the log end last moved, and the recent gaps between writes (IDLE).
    last_write_s: Option<f64>,
    write_gaps: VecDeque<f64>,
    pub shown: Shown,
}

/// Anchors kept: one a minute, enough to span the long trend's ten minutes.
const ANCHORS: usize = 12;
const ANCHOR_EVERY_S: f64 = 60.0;
/// The long trend needs this span.
const LONG_TREND_S: f64 = 600.0;

fn push_bounded<T>(q: &mut VecDeque<T>, v: T, cap: usize) {
    if q.len() == cap {
        q.pop_front();
    }
    q.push_back(v);
}

impl Track {
    pub fn new(time_s: f64) -> Track {
        Track {
            samples: VecDeque::with_capacity(WINDOW),
            points: VecDeque::new(),
            anchors: VecDeque::new(),
            first_s: time_s,
            last_move_s: None,
            behind_since_s: None,
            gaps: VecDeque::new(),
            first_gap_s: None,
            last_write_s: None,
            write_gaps: VecDeque::new(),
            shown: Shown::new(time_s),
        }
    }

    /// Where time without movement counts from.
    fn frozen_ref(&self) -> f64 {
        let m = self.last_move_s.unwrap_or(self.first_s);
        self.behind_since_s.map_or(m, |b| b.max(m))
    }

    /// Add a sample (committed offset and log end at `time_s`).
    pub fn push(&mut self, time_s: f64, committed: i64, log_end: i64, rules: &Rules) {
        let lag = log_end.saturating_sub(committed).max(0);
        let prev = self.samples.back().copied();
        let log_moved = prev.is_some_and(|p| p.log_end != log_end);
        if log_moved {
            if let (Some(w), Some(p)) = (self.last_write_s, prev) {
                push_bounded(&mut self.write_gaps, p.time_s - w + rules.interval_s, 5);
            }
            self.last_write_s = Some(time_s);
        }
        let moved = prev.filter(|p| p.committed != committed);
        if let Some(p) = moved {
            // A rewind, or a resume after a freeze: the trend starts again (catching up
            // after a pause is not falling behind).
            if committed < p.committed || p.time_s - self.frozen_ref() > self.threshold_s(rules) {
                self.points.clear();
                self.anchors.clear();
            }
            match self.last_move_s {
                Some(m) => push_bounded(&mut self.gaps, p.time_s - m + rules.interval_s, 5),
                None => self.first_gap_s = Some(p.time_s - self.first_s + rules.interval_s),
            }
            self.last_move_s = Some(time_s);
            self.behind_since_s = None;
            let point = Point {
                time_s,
                committed,
                log_end,
                lag,
                slack: log_end.saturating_sub(p.log_end).max(0),
            };
            push_bounded(&mut self.points, point, POINTS);
            if self.anchors.back().is_none_or(|a| time_s - a.time_s >= ANCHOR_EVERY_S) {
                push_bounded(&mut self.anchors, point, ANCHORS);
            }
        } else if lag > rules.allowed_lag || committed > log_end {
            self.behind_since_s.get_or_insert(time_s);
        } else {
            self.behind_since_s = None;
        }
        push_bounded(
            &mut self.samples,
            Sample {
                time_s,
                committed,
                log_end,
            },
            WINDOW,
        );
    }

    /// The usual time between moves: the longest of the recent gaps. None until two
    /// moves were seen.
    pub fn cadence_s(&self) -> Option<f64> {
        self.gaps.iter().copied().reduce(f64::max)
    }

    /// Seconds without movement (while there is something to consume) after which the
    /// consumer counts as frozen. Before a cadence is known, the assumed one, or longer
    /// if the offset was already watched unmoved for longer before its first move.
    pub fn threshold_s(&self, rules: &Rules) -> f64 {
        let cadence = self
            .cadence_s()
            .unwrap_or_else(|| rules.unknown_cadence_s.max(self.first_gap_s.unwrap_or(0.0)));
        rules.floor_s.max(2.0 * cadence + rules.interval_s)
    }

    /// The log end has been quiet long enough to call the partition idle: it never
    /// moved while watched, or not for three of its usual gaps between writes (so a
    /// topic written once a minute is not IDLE between its writes).
    fn quiet(&self, now_s: f64, rules: &Rules) -> bool {
        match self.last_write_s {
            None => true,
            Some(w) => {
                let gap = self.write_gaps.iter().copied().fold(0.0, f64::max);
                now_s - w >= (WINDOW as f64 * rules.interval_s).max(3.0 * gap)
            }
        }
    }

    /// The lag to hold against a threshold: at the last commit point for a consumer that
    /// moves (between commits the lag draws a saw-tooth a healthy consumer climbs every
    /// cadence), the current lag for one that does not.
    /// None before a first commit point while not yet frozen: the saw-tooth cannot be
    /// told from a backlog then.
    pub fn settled_lag(&self, now_s: f64, rules: &Rules) -> Option<i64> {
        let last = self.samples.back()?;
        let threshold = self.threshold_s(rules);
        let moving = self.last_move_s.is_some_and(|m| now_s - m <= threshold);
        match self.points.back() {
            Some(p) if moving => Some(p.lag.min(last.lag())),
            None if last.lag() > rules.allowed_lag && now_s - self.frozen_ref() <= threshold => None,
            _ => Some(last.lag()),
        }
    }

    /// Judge the partition as of `now_s`; `members` is the group's member count where the
    /// broker reports it.
    pub fn judge(&self, now_s: f64, members: Option<usize>, rules: &Rules) -> Verdict {
        judge(self, now_s, members, rules)
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
    let w = &t.samples;
    // The common case first: the offset never went back in the window.
    let went_back = (1..n).any(|i| w[i].committed < w[i - 1].committed);
    let max_before = if went_back {
        w.iter().take(n - 1).map(|s| s.committed).max().unwrap_or(i64::MIN)
    } else {
        i64::MIN
    };
    if went_back && last.committed < max_before {
        return verdict(
            Health::Rewind,
            Reason::Rewind {
                from: max_before,
                to: last.committed,
            },
            true,
        );
    }
    let threshold = t.threshold_s(rules);
    let frozen_for = now_s - t.frozen_ref();
    let moving = t.last_move_s.is_some_and(|m| now_s - m <= threshold);
    // A commit beyond the log end reads nothing until the log passes it (a topic
    // recreated or truncated): never "caught up".
    let beyond = last.committed > last.log_end;
    if last.lag() <= rules.allowed_lag && !beyond {
        return if t.quiet(now_s, rules) {
            verdict(Health::Idle, "caught up, and nothing was written", moving)
        } else {
            verdict(Health::Ok, "caught up", moving)
        };
    }
    if frozen_for > threshold {
        let why = Reason::Frozen {
            for_s: frozen_for,
            never_moved: t.last_move_s.is_none(),
            lag: last.lag(),
            beyond: beyond.then_some((last.committed, last.log_end)),
            cadence_s: t.cadence_s(),
            members,
        };
        let alive = members.is_some_and(|m| m > 0);
        return verdict(if alive { Health::Stall } else { Health::Stop }, why, false);
    }
    if beyond {
        return verdict(
            Health::Unknown,
            Reason::Beyond {
                committed: last.committed,
                log_end: last.log_end,
                within_s: threshold - frozen_for,
            },
            moving,
        );
    }
    let Some(&newest) = t.points.back() else {
        return verdict(
            Health::Unknown,
            Reason::NoCommitYet {
                within_s: threshold - frozen_for,
            },
            false,
        );
    };
    let at_head = newest.lag <= newest.slack.saturating_add(rules.allowed_lag);
    let oldest = t.points[0];
    let produced = newest.log_end.saturating_sub(oldest.log_end);
    let consumed = newest.committed.saturating_sub(oldest.committed);
    let growth = newest.lag.saturating_sub(oldest.lag);
    let bound = t
        .points
        .iter()
        .map(|p| p.slack)
        .max()
        .unwrap_or(0)
        .saturating_add(rules.allowed_lag);
    let span_s = newest.time_s - oldest.time_s;
    let share = if produced > 0 {
        consumed as f64 / produced as f64
    } else {
        1.0
    };
    let trend = |kind| Reason::Trend {
        kind,
        consumed,
        produced,
        span_s,
        growth,
    };
    // The trend first: a consumer falling behind slowly is near the head for a while.
    if t.shown.health == Health::Warn && growth > 0 && share < 1.0 {
        return verdict(Health::Warn, trend(Trend::FallingBehind), true);
    }
    // A trend over a few seconds of a quiet partition is noise: ask for a floor's worth.
    let long_enough = t.points.len() >= 2 && newest.time_s - oldest.time_s >= rules.floor_s;
    if long_enough && growth > bound && share < 0.1 {
        return verdict(Health::Stall, trend(Trend::BarelyMoving), true);
    }
    if long_enough && growth > bound && share < 0.9 {
        return verdict(Health::Warn, trend(Trend::FallingBehind), true);
    }
    // The long trend: over ten minutes or more, any lasting deficit shows.
    if let Some(&a) = t.anchors.front().filter(|a| newest.time_s - a.time_s >= LONG_TREND_S) {
        let produced = newest.log_end.saturating_sub(a.log_end);
        let consumed = newest.committed.saturating_sub(a.committed);
        let growth = newest.lag.saturating_sub(a.lag);
        if growth > bound && consumed < produced {
            return verdict(
                Health::Warn,
                Reason::Trend {
                    kind: Trend::FallingSlowly,
                    consumed,
                    produced,
                    span_s: newest.time_s - a.time_s,
                    growth,
                },
                true,
            );
        }
    }
    if at_head {
        return verdict(Health::Ok, "at the head at its last commit", true);
    }
    if produced <= 0 && t.points.len() >= 2 {
        return verdict(Health::Ok, Reason::Draining { consumed, span_s }, true);
    }
    // Moving again after a freeze: consuming, whatever the trend will say.
    let resumed = matches!(t.shown.health, Health::Stall | Health::Stop);
    if t.points.len() < 2 || !long_enough {
        return if resumed {
            verdict(Health::Ok, "consuming again; its trend is not yet known", true)
        } else if t.points.len() < 2 {
            verdict(
                Health::Unknown,
                "behind at its first commit seen; its trend needs more",
                true,
            )
        } else {
            verdict(Health::Unknown, trend(Trend::NotClear), true)
        };
    }
    if share < 0.9 && t.points.len() < POINTS {
        return verdict(Health::Unknown, trend(Trend::GrowsALittle), true);
    }
    verdict(Health::Ok, trend(Trend::KeepingUp), true)
}
