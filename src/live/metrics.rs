//! Turns raw samples into the live picture: lag, rates, time lag, status, history.
//!
//! Memory is bounded: per partition a time-lag table of `TABLE_POINTS` points; per group ×
//! partition a status track (`status::WINDOW` samples and `status::POINTS` commit
//! points); per group × topic the last `TRANSITIONS` status changes; per topic `HISTORY`
//! full-resolution points for sparklines plus `HISTORY` points downsampled by
//! `DOWNSAMPLE`. See docs/live.md for the ceiling.
//!
//! Statuses are judged once per sample, in `absorb` (the hysteresis needs every sample),
//! never when a picture is drawn.

use super::status::{Reason, Rules, Track, Verdict};
use super::timelag::Table;
use super::view::{Drain, GroupTopicLag, Health, LiveView, PartitionLag, TopicLive, Transition};
use crate::sample::{Configs, Member, RawGroup, RawSample, Tails};
use std::collections::{HashMap, HashSet, VecDeque};

pub const TRANSITIONS: usize = 16;
pub const TABLE_POINTS: usize = 64;
pub const HISTORY: usize = 120;
pub const DOWNSAMPLE: usize = 10;

/// A group × topic row's status over time, with its partitions' tracks.
#[derive(Debug)]
struct RowState {
    parts: HashMap<i32, Track>,
    status: Health,
    reason: RowReason,
    first_s: f64,
    since_s: f64,
    since_ms: Option<i64>,
    history: VecDeque<Transition>,
}

#[derive(Debug, Default)]
struct Series {
    full: VecDeque<u64>,
    coarse: VecDeque<u64>,
    pending: Vec<u64>,
}

impl Series {
    fn push(&mut self, v: u64) {
        if self.full.len() == HISTORY {
            self.full.pop_front();
        }
        self.full.push_back(v);
        self.pending.push(v);
        if self.pending.len() == DOWNSAMPLE {
            if self.coarse.len() == HISTORY {
                self.coarse.pop_front();
            }
            self.coarse
                .push_back(self.pending.iter().sum::<u64>() / DOWNSAMPLE as u64);
            self.pending.clear();
        }
    }
}

pub struct Metrics {
    pub source: String,
    pub rules: Rules,
    /// Seconds between samples; values older than three intervals are stale.
    pub interval_s: f64,
    tables: HashMap<(String, i32), Table>,
    /// By group, then topic: looked up by borrowed names, never by allocated keys
    /// (20,000 group-partitions a sample).
    rows: HashMap<String, HashMap<String, RowState>>,
    rates: HashMap<String, Series>,
    lags: HashMap<String, Series>,
    prev: Option<RawSample>,
    last: Option<RawSample>,
    last_ok_s: Option<f64>,
    errors: Vec<String>,
    configs: Option<Configs>,
    tails: Option<Tails>,
    tail_problems: Vec<String>,
}

impl Metrics {
    pub fn new(source: impl Into<String>, interval_s: f64) -> Self {
        Metrics {
            source: source.into(),
            rules: Rules::for_interval(interval_s),
            interval_s,
            tables: HashMap::new(),
            rows: HashMap::new(),
            rates: HashMap::new(),
            lags: HashMap::new(),
            prev: None,
            last: None,
            last_ok_s: None,
            errors: Vec::new(),
            configs: None,
            tails: None,
            tail_problems: Vec::new(),
        }
    }

    /// A round that could not read anything: keep the last values, remember why.
    pub fn failed(&mut self, error: impl std::fmt::Display) {
        self.errors = vec![error.to_string()];
    }

    /// The last good sample, if any.
    pub fn last(&self) -> Option<&RawSample> {
        self.last.as_ref()
    }

    /// How many per-partition and per-topic histories are kept (for memory tests).
    pub fn retained(&self) -> (usize, usize, usize) {
        let tracks = self.rows.values().flat_map(|m| m.values()).map(|r| r.parts.len()).sum();
        (self.tables.len(), tracks, self.rates.len() + self.lags.len())
    }

    pub fn absorb(&mut self, s: RawSample) {
        let t = s.time_s;
        self.errors = s.errors.clone();
        if let Some(c) = &s.configs {
            self.configs = Some(c.clone());
        }
        if let Some(t) = &s.tails {
            self.tails = Some(t.clone());
        }
        if let Some(p) = &s.tail_problems {
            self.tail_problems.clone_from(p);
        }
        let ends = log_ends(&s);
        for (&(topic, p), &end) in &ends {
            self.tables
                .entry((topic.to_string(), p))
                .or_insert_with(|| Table::new(TABLE_POINTS))
                .push(end, t);
        }
        self.judge(&s, &ends);
        // Topic series for sparklines: the produce rate and the lag summed over groups.
        let mut lag: HashMap<&str, i64> = HashMap::new();
        for g in &s.groups {
            for &(p, c) in &g.committed {
                if let (Some(c), Some(&end)) = (c, ends.get(&(g.topic.as_str(), p))) {
                    let l = lag.entry(&g.topic).or_default();
                    *l = l.saturating_add(end.saturating_sub(c).max(0));
                }
            }
        }
        let rates = produce_rates(self.last.as_ref(), &s);
        for (name, rate) in rates {
            // The first sample has no rate yet: nothing to plot.
            let Some(rate) = rate else { continue };
            self.rates
                .entry(name.to_string())
                .or_default()
                .push(rate.round() as u64);
            let l = lag.get(name).copied().unwrap_or(0);
            self.lags.entry(name.to_string()).or_default().push(l as u64);
        }
        self.evict(&s);
        self.prev = self.last.take();
        self.last = Some(s);
        self.last_ok_s = Some(t);
    }

    /// Judge every group × partition and every row on this sample, and keep each row's
    /// status changes.
    fn judge(&mut self, s: &RawSample, ends: &HashMap<(&str, i32), i64>) {
        let now = s.offsets_at_s;
        let wall = (s.wall_ms > 0).then_some(s.wall_ms);
        let starts = log_starts(s);
        // Topics with something to read (a group that never committed on an empty topic is fine).
        let readable: HashSet<&str> = s
            .topics
            .iter()
            .filter(|t| {
                t.partitions
                    .iter()
                    .any(|p| p.log_end.unwrap_or(0) > p.log_start.unwrap_or(0))
            })
            .map(|t| t.name.as_str())
            .collect();
        for g in &s.groups {
            let members = g.members.as_ref().map(Vec::len);
            let rules = self.rules;
            let by_topic = match self.rows.get_mut(g.group.as_str()) {
                Some(m) => m,
                None => self.rows.entry(g.group.clone()).or_default(),
            };
            let row = match by_topic.get_mut(g.topic.as_str()) {
                Some(r) => r,
                None => by_topic.entry(g.topic.clone()).or_insert_with(|| RowState {
                    parts: HashMap::new(),
                    status: Health::Unknown,
                    reason: RowReason::Text(String::new()),
                    first_s: now,
                    since_s: now,
                    since_ms: wall,
                    history: VecDeque::new(),
                }),
            };
            let mut parts: Vec<(i32, Verdict)> = Vec::new();
            for &(p, committed) in &g.committed {
                let (Some(c), Some(&end)) = (committed, ends.get(&(g.topic.as_str(), p))) else {
                    continue;
                };
                let track = row.parts.entry(p).or_insert_with(|| Track::new(now));
                track.push(now, c, end, &rules);
                let v = track.judge(now, members, &rules);
                let moving = v.moving;
                track.shown.offer(v, now, rules.confirm);
                let lost = starts.get(&(g.topic.as_str(), p)).is_some_and(|&st| c < st);
                parts.push((
                    p,
                    if lost {
                        Verdict {
                            health: Health::Lost,
                            reason: Reason::Text("messages were deleted by retention before the group read them"),
                            moving,
                        }
                    } else {
                        Verdict {
                            health: track.shown.health,
                            reason: track.shown.reason,
                            moving,
                        }
                    },
                ));
            }
            let first_s = row.first_s;
            let has_data = readable.contains(g.topic.as_str());
            // Partitions never committed while they hold messages (partitions added,
            // a consumer that skips some): unread, whatever the others say.
            let uncommitted: Vec<(i32, i64)> = g
                .committed
                .iter()
                .filter(|(_, c)| c.is_none())
                .filter_map(|&(p, _)| {
                    let key = (g.topic.as_str(), p);
                    let unread = ends.get(&key)? - starts.get(&key).copied().unwrap_or(0);
                    (unread > 0).then_some((p, unread))
                })
                .collect();
            let (health, reason) = judge_row(g, &parts, &uncommitted, has_data, now - first_s, &rules);
            if health != row.status {
                if row.history.len() == TRANSITIONS {
                    row.history.pop_front();
                }
                row.history.push_back(Transition {
                    at_s: now,
                    at_ms: wall,
                    from: row.status,
                    to: health,
                    reason: reason.to_string(),
                });
                row.status = health;
                row.since_s = now;
                row.since_ms = wall;
            }
            row.reason = reason;
        }
    }

    /// Forget groups, partitions and topics the cluster no longer has, so memory
    /// follows what exists now rather than everything ever seen.
    fn evict(&mut self, s: &RawSample) {
        let parts: HashSet<(&str, i32)> = s
            .topics
            .iter()
            .flat_map(|t| t.partitions.iter().map(move |p| (t.name.as_str(), p.id)))
            .collect();
        let rows: HashSet<(&str, &str)> = s.groups.iter().map(|g| (g.group.as_str(), g.topic.as_str())).collect();
        self.tables.retain(|(t, p), _| parts.contains(&(t.as_str(), *p)));
        self.rows.retain(|g, by_topic| {
            by_topic.retain(|t, row| {
                row.parts.retain(|p, _| parts.contains(&(t.as_str(), *p)));
                rows.contains(&(g.as_str(), t.as_str()))
            });
            !by_topic.is_empty()
        });
        let topics: HashSet<&str> = s.topics.iter().map(|t| t.name.as_str()).collect();
        self.rates.retain(|t, _| topics.contains(t.as_str()));
        self.lags.retain(|t, _| topics.contains(t.as_str()));
    }

    /// The live picture as of `now_s` (same clock as the samples).
    pub fn view(&self, now_s: f64) -> LiveView {
        let mut v = LiveView {
            source: self.source.clone(),
            errors: self.errors.clone(),
            interval_s: self.interval_s,
            configs: self.configs.clone(),
            tails: self.tails.clone(),
            tail_problems: self.tail_problems.clone(),
            ..LiveView::default()
        };
        let Some(last) = &self.last else {
            return v;
        };
        v.limits.clone_from(&last.limits);
        v.groups_listed = last.groups_listed;
        v.wall_ms = (last.wall_ms > 0).then(|| last.wall_ms + ((now_s - last.time_s) * 1000.0) as i64);
        v.sample_ms = Some(last.duration_ms);
        v.age_s = self.last_ok_s.map(|t| (now_s - t).max(0.0));
        v.stale = v.age_s.is_some_and(|a| a > 3.0 * self.interval_s);
        let rates = produce_rates(self.prev.as_ref(), last);
        let ends = log_ends(last);
        let starts = log_starts(last);
        // Looked up once per group rather than searched for.
        let prev_groups: HashMap<(&str, &str), (&RawGroup, f64)> = self
            .prev
            .iter()
            .flat_map(|p| p.groups.iter().map(move |g| (g, p.offsets_at_s)))
            .map(|(g, t)| ((g.group.as_str(), g.topic.as_str()), (g, t)))
            .collect();
        for tp in &last.topics {
            v.topics.insert(
                tp.name.clone(),
                TopicLive {
                    produce_rate: rates.get(tp.name.as_str()).copied().flatten(),
                    partitions: tp.partitions.len(),
                    replication: tp.replication,
                    last_write_ms: tp.last_write_ms,
                    on_cluster: true,
                    rate_history: self
                        .rates
                        .get(&tp.name)
                        .map(|s| s.full.iter().copied().collect())
                        .unwrap_or_default(),
                    lag_history: self
                        .lags
                        .get(&tp.name)
                        .map(|s| s.full.iter().copied().collect())
                        .unwrap_or_default(),
                    ..TopicLive::default()
                },
            );
        }
        for g in &last.groups {
            let prev = prev_groups.get(&(g.group.as_str(), g.topic.as_str())).copied();
            let ctx = RowContext {
                ends: &ends,
                starts: &starts,
                now_s,
                offsets_at_s: last.offsets_at_s,
            };
            let row = self.group_row(g, prev, &ctx);
            if let Some(t) = v.topics.get_mut(&g.topic) {
                if let Some(l) = row.total_lag {
                    t.total_lag = Some(t.total_lag.unwrap_or(0).saturating_add(l));
                }
                t.worst = t.worst.max(Some(row.status));
            }
            v.groups.push(row);
        }
        v
    }

    fn group_row(&self, g: &RawGroup, prev: Option<(&RawGroup, f64)>, cx: &RowContext) -> GroupTopicLag {
        let row = self.rows.get(g.group.as_str()).and_then(|m| m.get(g.topic.as_str()));
        let prev_committed: HashMap<i32, Option<i64>> = prev
            .map(|(x, _)| x.committed.iter().copied().collect())
            .unwrap_or_default();
        let dt = prev.map(|(_, t)| cx.offsets_at_s - t).filter(|d| *d > 0.0);
        let members: Vec<Member> = g.members.clone().unwrap_or_default();
        let owner: HashMap<i32, usize> = members
            .iter()
            .enumerate()
            .flat_map(|(i, m)| m.assignment.iter().map(move |(_, p)| (*p, i)))
            .collect();
        let mut parts = Vec::new();
        let mut consumed = 0i64;
        let mut rate_known = dt.is_some();
        let mut time_lag: Option<(f64, bool, bool)> = None;
        let mut time_unknown = false;
        let (mut lost, mut retained, mut partial) = (0i64, 0i64, false);
        for &(p, committed) in &g.committed {
            let end = cx.ends.get(&(g.topic.as_str(), p)).copied();
            let start = cx.starts.get(&(g.topic.as_str(), p)).copied();
            partial |= end.is_none();
            let (lag, clamped) = match (committed, end) {
                (Some(c), Some(e)) => (e.saturating_sub(c).max(0).into(), c > e),
                _ => (None, false),
            };
            let gone = match (committed, start) {
                (Some(c), Some(s)) if c < s => Some(s - c),
                _ => None,
            };
            lost = lost.saturating_add(gone.unwrap_or(0));
            if let (Some(e), Some(s)) = (end, start) {
                retained = retained.saturating_add(e.saturating_sub(s).max(0));
            }
            let status = match (committed, row.and_then(|r| r.parts.get(&p))) {
                (None, _) => None,
                // Messages the group has not read were deleted by retention: the worst.
                (Some(_), _) if gone.is_some() => Some(Health::Lost),
                (Some(_), None) => Some(Health::Unknown),
                (Some(_), Some(t)) => Some(t.shown.health),
            };
            match (committed, prev_committed.get(&p).copied().flatten()) {
                (Some(c), Some(pc)) => consumed = consumed.saturating_add(c.saturating_sub(pc).max(0)),
                _ => rate_known = false,
            }
            if let Some(c) = committed {
                match self
                    .tables
                    .get(&(g.topic.clone(), p))
                    .and_then(|t| t.lag_at(c, cx.now_s))
                {
                    Some(tl) => {
                        let cur = time_lag.unwrap_or((0.0, false, false));
                        time_lag = Some((
                            cur.0.max(tl.seconds),
                            cur.1 || tl.approximate,
                            cur.2 || (tl.at_least && tl.seconds >= cur.0),
                        ));
                    }
                    // A lagging partition that cannot be dated makes the group's time lag unknown.
                    None => time_unknown = true,
                }
            }
            parts.push(PartitionLag {
                partition: p,
                committed,
                log_end: end,
                log_start: start,
                lag,
                clamped,
                lost: gone,
                owner: owner.get(&p).copied(),
                status,
            });
        }
        let lags: Vec<i64> = parts.iter().filter_map(|p| p.lag).collect();
        // A total beyond i64 is no number: unknown, and the row is partial (offsets that
        // make no sense never read as "fine").
        let settled = g
            .committed
            .iter()
            .filter_map(|&(p, c)| {
                c?;
                Some(row?.parts.get(&p)?.settled_lag(cx.offsets_at_s, &self.rules))
            })
            .try_fold(0i64, |a, l| a.checked_add(l?));
        let summed = lags.iter().try_fold(0i64, |a, &l| a.checked_add(l));
        let total_lag = summed.filter(|_| !lags.is_empty());
        partial |= summed.is_none();
        let status = row.map_or(Health::Unknown, |r| r.status);
        let consume_rate = dt.filter(|_| rate_known).map(|d| consumed as f64 / d);
        GroupTopicLag {
            group: g.group.clone(),
            topic: g.topic.clone(),
            service: g.service.clone(),
            declared: g.declared,
            state: g.state.clone(),
            kind: g.kind.clone(),
            members: g.members.as_ref().map(Vec::len),
            unassigned: g.declared && !members.is_empty() && members.iter().all(|m| m.assignment.is_empty()),
            member_list: members,
            topic_absent: !g.topic.is_empty() && !g.topic_on_cluster,
            error: g.error.clone(),
            partial,
            total_lag,
            settled_lag: settled.filter(|_| total_lag.is_some()),
            max_lag: lags.iter().copied().max(),
            lost: (lost > 0).then_some(lost),
            retained_share: total_lag.filter(|_| retained > 0).map(|l| l as f64 / retained as f64),
            drain: drain(total_lag, consume_rate, status),
            time_lag_s: time_lag.filter(|_| !time_unknown).map(|t| t.0),
            time_lag_approx: time_lag.is_some_and(|t| t.1),
            time_lag_at_least: time_lag.is_some_and(|t| t.2),
            consume_rate,
            status,
            reason: row.map_or_else(|| "not evaluated yet".into(), |r| r.reason.to_string()),
            status_since_s: row.map_or(cx.now_s, |r| r.since_s),
            status_since_ms: row.and_then(|r| r.since_ms),
            status_for_s: row.map_or(0.0, |r| (cx.now_s - r.since_s).max(0.0)),
            history: row.map(|r| r.history.iter().cloned().collect()).unwrap_or_default(),
            partitions: parts,
        }
    }
}

/// What every row of one view is computed against.
struct RowContext<'a> {
    ends: &'a HashMap<(&'a str, i32), i64>,
    starts: &'a HashMap<(&'a str, i32), i64>,
    now_s: f64,
    offsets_at_s: f64,
}

/// Why a row has its status: its worst partition's reason (put in words when shown),
/// or a reason of the row's own.
#[derive(Debug, Clone, PartialEq)]
enum RowReason {
    Text(String),
    Part {
        /// Named when the row has more than one partition.
        partition: Option<i32>,
        reason: Reason,
        others_consume: bool,
    },
}

impl std::fmt::Display for RowReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowReason::Text(t) => f.write_str(t),
            RowReason::Part {
                partition,
                reason,
                others_consume,
            } => {
                if let Some(p) = partition {
                    write!(f, "partition {p}: ")?;
                }
                write!(f, "{reason}")?;
                if *others_consume {
                    f.write_str("; other partitions consume")?;
                }
                Ok(())
            }
        }
    }
}

/// A row's status from its partitions' (shown) verdicts: a group that never committed
/// here is MISSING or NOCOMMIT; a STOP while another partition consumes is a STALL (the
/// group is alive); otherwise the worst partition, with its reason.
fn judge_row(
    g: &RawGroup,
    parts: &[(i32, Verdict)],
    uncommitted: &[(i32, i64)],
    has_data: bool,
    seen_s: f64,
    rules: &Rules,
) -> (Health, RowReason) {
    let v = |health, reason: String| (health, RowReason::Text(reason));
    if let Some(e) = &g.error {
        return v(Health::Unknown, format!("could not be read: {e}"));
    }
    if !g.topic.is_empty() && !g.topic_on_cluster {
        return v(Health::Idle, "topic absent from the cluster".into());
    }
    let members = g.members.as_ref().map(Vec::len);
    if g.committed.iter().all(|(_, c)| c.is_none()) {
        return match members {
            Some(m) if m > 0 && !has_data => v(Health::Idle, format!("{m} members; nothing to read yet")),
            Some(m) if m > 0 && seen_s >= rules.nocommit_after_s => v(
                Health::NoCommit,
                format!("{m} members, but no commit in {}", super::view::short_duration(seen_s)),
            ),
            Some(m) if m > 0 => v(Health::Unknown, format!("{m} members, no commit yet")),
            // A consumer that is starting has neither for a moment.
            _ if seen_s < rules.floor_s => v(Health::Unknown, "no commit yet".into()),
            Some(_) => v(Health::Missing, "no members and no commit".into()),
            None => v(
                Health::Missing,
                "no commit (this cluster does not report members)".into(),
            ),
        };
    }
    let Some((p, worst)) = parts.iter().max_by_key(|(p, w)| (w.health, std::cmp::Reverse(*p))) else {
        return v(Health::Unknown, "no partition could be judged yet".into());
    };
    let part = |others_consume| RowReason::Part {
        partition: (parts.len() > 1).then_some(*p),
        reason: worst.reason,
        others_consume,
    };
    if worst.health == Health::Stop && parts.iter().any(|(_, w)| w.moving) {
        return (Health::Stall, part(true));
    }
    if let Some(&(p, unread)) = uncommitted.first().filter(|_| worst.health < Health::NoCommit) {
        let what = format!(
            "partition {p}{} never committed, with {unread} messages",
            if uncommitted.len() > 1 {
                format!(" and {} more", uncommitted.len() - 1)
            } else {
                String::new()
            }
        );
        return if seen_s >= rules.nocommit_after_s {
            v(Health::NoCommit, what)
        } else {
            v(Health::Unknown, format!("{what}; judged within a minute"))
        };
    }
    (worst.health, part(false))
}

/// Time to consume the lag at the current consume rate (the time to reach today's
/// head). Not draining: nothing consumed while behind, lag growing (WARN), or a
/// consumer that does not progress (STALL, STOP), where an estimate from one interval's
/// movement would mislead.
pub fn drain(lag: Option<i64>, consume: Option<f64>, status: Health) -> Option<Drain> {
    let lag = lag?;
    if lag == 0 {
        return Some(Drain::Done);
    }
    let rate = consume?;
    let progressing = !matches!(status, Health::Warn | Health::Stall | Health::Stop | Health::Rewind);
    Some(if rate > 0.0 && progressing {
        Drain::Eta(lag as f64 / rate)
    } else {
        Drain::Never
    })
}

/// Every partition's earliest retained offset in a sample, by (topic, partition).
fn log_starts(s: &RawSample) -> HashMap<(&str, i32), i64> {
    s.topics
        .iter()
        .flat_map(|tp| {
            tp.partitions
                .iter()
                .filter_map(move |p| p.log_start.map(|e| ((tp.name.as_str(), p.id), e)))
        })
        .collect()
}

/// Every partition's log end in a sample, by (topic, partition).
fn log_ends(s: &RawSample) -> HashMap<(&str, i32), i64> {
    s.topics
        .iter()
        .flat_map(|tp| {
            tp.partitions
                .iter()
                .filter_map(move |p| p.log_end.map(|e| ((tp.name.as_str(), p.id), e)))
        })
        .collect()
}

/// Messages per second produced on each topic between two samples; None where a
/// partition's log end is missing from either, or there is no earlier sample.
fn produce_rates<'a>(prev: Option<&RawSample>, last: &'a RawSample) -> HashMap<&'a str, Option<f64>> {
    let prev_ends = prev.map(log_ends).unwrap_or_default();
    let dt = prev.map(|p| last.time_s - p.time_s).filter(|d| *d > 0.0);
    last.topics
        .iter()
        .map(|tp| {
            let mut produced = 0i64;
            let mut known = dt.is_some();
            for p in &tp.partitions {
                match (p.log_end, prev_ends.get(&(tp.name.as_str(), p.id))) {
                    (Some(e), Some(&pe)) => produced = produced.saturating_add(e.saturating_sub(pe).max(0)),
                    _ => known = false,
                }
            }
            (tp.name.as_str(), dt.filter(|_| known).map(|d| produced as f64 / d))
        })
        .collect()
}
