//! The live picture as of a moment, drawn from the metrics' state: every group × topic
//! row with its lag, rates, time lag and drain estimate. Statuses are read, never
//! judged, here.

use super::metrics::{log_ends, log_starts, produce_rates, Metrics};
use super::trend::{value, Point};
use super::view::{Drain, GroupTopicLag, Health, LiveView, PartitionLag, TopicLive};
use crate::core::sample::{Member, RawGroup};
use std::collections::HashMap;

impl Metrics {
    /// The live picture as of `now_s`, each row with its session trend: the first
    /// picture after a new sample adds that sample's point (the sampling loop draws
    /// one per round; a failed round adds none). No trends `without_trends`.
    pub fn picture(&mut self, now_s: f64) -> LiveView {
        let mut v = self.view(now_s);
        if !self.trends_kept {
            return v;
        }
        let Some(last) = &self.last else { return v };
        let fresh = self.trended_at != Some(last.time_s);
        self.trended_at = Some(last.time_s);
        let (at_s, wall_ms) = (last.time_s, last.wall_ms);
        for g in &mut v.groups {
            let by_topic = match self.trends.get_mut(g.group.as_str()) {
                Some(m) => m,
                None => self.trends.entry(g.group.clone()).or_default(),
            };
            let trend = match by_topic.get_mut(g.topic.as_str()) {
                Some(t) => t,
                None => by_topic.entry(g.topic.clone()).or_default(),
            };
            if fresh {
                trend.push(Point {
                    at_s,
                    wall_ms,
                    lag: value(g.total_lag.map(|l| l as f64)),
                    lag_s: value(g.time_lag_s),
                    consume: value(g.consume_rate),
                    produce: value(v.topics.get(&g.topic).and_then(|t| t.produce_rate)),
                });
            }
            g.trend = trend.clone();
        }
        v
    }

    /// The live picture as of `now_s` (same clock as the samples), without trends.
    pub fn view(&self, now_s: f64) -> LiveView {
        let mut v = LiveView {
            source: self.source.clone(),
            errors: self.errors.clone(),
            interval_s: self.interval_s,
            configs: self.configs.clone(),
            tails: self.tails.clone(),
            tail_problems: self.tail_problems.clone(),
            schemas: self.schemas.clone(),
            connect: self.connect.clone(),
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
                    session_rate: self.first_ends.get(&tp.name).and_then(|&(t0, e0, n0)| {
                        let dt = last.time_s - t0;
                        let sum = super::metrics::ends_sum(tp)?;
                        // A topic whose partitions changed has no comparable sum.
                        (dt > 0.0 && n0 == tp.partitions.len()).then(|| (sum - e0).max(0) as f64 / dt)
                    }),
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
        // Sized once: at 5,000 groups, rows and partitions grown by doubling held
        // 24 MB of spare capacity in every published view.
        v.groups.reserve_exact(last.groups.len());
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
        let mut parts = Vec::with_capacity(g.committed.len());
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
            trend: Default::default(),
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
