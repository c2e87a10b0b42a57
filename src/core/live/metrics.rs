//! Turns raw samples into the state the live picture is drawn from: time-lag tables,
//! row statuses, histories.
//!
//! Memory is bounded: per partition a time-lag table of `TABLE_POINTS` points; per group ×
//! partition a status track (`status::WINDOW` samples and `status::POINTS` commit
//! points); per group × topic the last `rows::TRANSITIONS` status changes; per topic
//! `HISTORY` full-resolution points for sparklines plus `HISTORY` points downsampled by
//! `DOWNSAMPLE`; per group × topic a session trend of at most `trend::POINTS` points.
//! See docs/live.md for the ceiling.
//!
//! Statuses are judged once per sample, in `absorb` (the hysteresis needs every sample;
//! the rules are in `rows` and `status`), never when a picture is drawn (`picture`).

use super::rows::{self, RowState};
use super::status::Rules;
use super::timelag::Table;
use super::trend::Trend;
use crate::core::sample::{Configs, RawSample, Tails};
use std::collections::{HashMap, HashSet, VecDeque};

pub const TABLE_POINTS: usize = 64;
pub const HISTORY: usize = 120;
pub const DOWNSAMPLE: usize = 10;

#[derive(Debug, Default)]
pub(super) struct Series {
    pub(super) full: VecDeque<u64>,
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
    pub(super) tables: HashMap<(String, i32), Table>,
    /// By group, then topic: looked up by borrowed names, never by allocated keys
    /// (20,000 group-partitions a sample).
    pub(super) rows: HashMap<String, HashMap<String, RowState>>,
    pub(super) rates: HashMap<String, Series>,
    pub(super) lags: HashMap<String, Series>,
    /// By group, then topic: each row's values over the session, for the group view.
    pub(super) trends: HashMap<String, HashMap<String, Trend>>,
    /// The sample the trends last took a point of (a failed round adds none).
    pub(super) trended_at: Option<f64>,
    /// Whether pictures carry trends (only the TUI draws them; 4 KB per row after ten
    /// minutes, 20 MB at 5,000 groups).
    pub(super) trends_kept: bool,
    pub(super) prev: Option<RawSample>,
    pub(super) last: Option<RawSample>,
    pub(super) last_ok_s: Option<f64>,
    pub(super) errors: Vec<String>,
    pub(super) configs: Option<Configs>,
    pub(super) tails: Option<Tails>,
    /// Each topic's first sample with every log end known: when, and the ends' sum, for
    /// its rate over the whole session (a deprecated topic written once a minute still
    /// counts as written, whatever the last interval saw).
    pub(super) first_ends: HashMap<String, (f64, i64, usize)>,
    pub(super) tail_problems: Vec<String>,
    pub(super) schemas: Option<std::sync::Arc<crate::core::sample::schemas::Schemas>>,
    pub(super) connect: Option<std::sync::Arc<crate::core::connectors::live::Live>>,
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
            trends: HashMap::new(),
            trended_at: None,
            trends_kept: true,
            prev: None,
            last: None,
            last_ok_s: None,
            errors: Vec::new(),
            configs: None,
            tails: None,
            first_ends: HashMap::new(),
            tail_problems: Vec::new(),
            schemas: None,
            connect: None,
        }
    }

    /// Pictures without trends, for the commands that draw no chart (`lag`, `serve`).
    pub fn without_trends(mut self) -> Self {
        self.trends_kept = false;
        self.trends.clear();
        self
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
        if let Some(x) = &s.schemas {
            self.schemas = Some(x.clone());
        }
        if let Some(c) = &s.connect {
            self.connect = Some(c.clone());
        }
        let ends = log_ends(&s);
        for (&(topic, p), &end) in &ends {
            self.tables
                .entry((topic.to_string(), p))
                .or_insert_with(|| Table::new(TABLE_POINTS))
                .push(end, t);
        }
        rows::judge(&mut self.rows, &self.rules, &s, &ends, &log_starts(&s));
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
        for tp in &s.topics {
            if !self.first_ends.contains_key(&tp.name) {
                if let Some(sum) = ends_sum(tp) {
                    self.first_ends.insert(tp.name.clone(), (t, sum, tp.partitions.len()));
                }
            }
        }
        self.evict(&s);
        self.prev = self.last.take();
        self.last = Some(s);
        self.last_ok_s = Some(t);
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
                row.parts.retain(|p| parts.contains(&(t.as_str(), *p)));
                rows.contains(&(g.as_str(), t.as_str()))
            });
            !by_topic.is_empty()
        });
        let topics: HashSet<&str> = s.topics.iter().map(|t| t.name.as_str()).collect();
        self.first_ends.retain(|t, _| topics.contains(t.as_str()));
        self.trends.retain(|g, by_topic| {
            by_topic.retain(|t, _| rows.contains(&(g.as_str(), t.as_str())));
            !by_topic.is_empty()
        });
        self.rates.retain(|t, _| topics.contains(t.as_str()));
        self.lags.retain(|t, _| topics.contains(t.as_str()));
    }
}

/// Every partition's earliest retained offset in a sample, by (topic, partition).
pub(super) fn log_starts(s: &RawSample) -> HashMap<(&str, i32), i64> {
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
pub(super) fn log_ends(s: &RawSample) -> HashMap<(&str, i32), i64> {
    s.topics
        .iter()
        .flat_map(|tp| {
            tp.partitions
                .iter()
                .filter_map(move |p| p.log_end.map(|e| ((tp.name.as_str(), p.id), e)))
        })
        .collect()
}

/// The sum of a topic's log ends; None where one is unknown.
pub(super) fn ends_sum(tp: &crate::core::sample::RawTopic) -> Option<i64> {
    tp.partitions
        .iter()
        .try_fold(0i64, |sum, p| p.log_end.map(|e| sum.saturating_add(e)))
}

/// Messages per second produced on each topic between two samples; None where a
/// partition's log end is missing from either, or there is no earlier sample.
pub(super) fn produce_rates<'a>(prev: Option<&RawSample>, last: &'a RawSample) -> HashMap<&'a str, Option<f64>> {
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
