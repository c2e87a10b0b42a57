//! What the group screen draws, derived once per sample (and when the screen opens),
//! never per frame: the group's rows, its status changes newest first, the chart's
//! series summed over its topics, and the order of its partitions.

use crate::core::live::trend::Point;
use crate::core::live::view::{GroupTopicLag, Transition};

/// A status change of one of the group's rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub topic: String,
    pub change: Transition,
}

/// A chart's line: (x, y) points, x in seconds on the sampler's clock.
pub type Line = Vec<(f64, f64)>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupData {
    /// Indices into `LiveView::groups` of the group's rows, worst first.
    pub rows: Vec<usize>,
    /// Every row's status changes, newest first.
    pub changes: Vec<Change>,
    /// Lag in messages, consume and produce rates, summed over the group's topics.
    pub lag: Line,
    pub consume: Line,
    pub produce: Line,
    /// The chart's time span: (first x, last x) and their wall-clock ms (0: unknown).
    pub x: (f64, f64),
    pub wall: (i64, i64),
    pub lag_max: f64,
    pub rate_max: f64,
    /// The largest time lag of the session, in seconds.
    pub lag_s_max: Option<f64>,
    /// (position in `rows`, index into that row's partitions), worst first in each row.
    pub parts: Vec<(usize, usize)>,
}

impl GroupData {
    /// From the group's rows (in the lag order) and their indices.
    pub fn new(rows: &[(usize, &GroupTopicLag)]) -> Self {
        let mut d = GroupData {
            rows: rows.iter().map(|r| r.0).collect(),
            ..GroupData::default()
        };
        for (_, g) in rows {
            d.changes.extend(g.history.iter().map(|t| Change {
                topic: g.topic.clone(),
                change: t.clone(),
            }));
        }
        d.changes.sort_by(|a, b| b.change.at_s.total_cmp(&a.change.at_s));
        d.sum(rows.iter().map(|r| r.1));
        for (k, (_, g)) in rows.iter().enumerate() {
            d.parts.extend(worst_first(g).into_iter().map(|p| (k, p)));
        }
        d
    }

    /// Every row's trend ends at the last sample (a row gone from a sample is dropped
    /// with its trend), so the rows line up from their ends.
    fn sum<'a>(&mut self, rows: impl Iterator<Item = &'a GroupTopicLag>) {
        let trends: Vec<Vec<&Point>> = rows.map(|g| g.trend.points().collect()).collect();
        let Some(longest) = trends.iter().max_by_key(|t| t.len()) else {
            return;
        };
        let n = longest.len();
        let (Some(first), Some(last)) = (longest.first(), longest.last()) else {
            return;
        };
        self.x = (first.at_s, last.at_s);
        self.wall = (first.wall_ms, last.wall_ms);
        for (i, point) in longest.iter().enumerate() {
            let at = point.at_s;
            let mut total = [0f64; 3];
            let mut known = [false; 3];
            for t in &trends {
                // This row's point of the same sample, counted from the end.
                let Some(p) = (t.len() + i).checked_sub(n).map(|j| t[j]) else {
                    continue;
                };
                for (k, v) in [p.lag, p.consume, p.produce].into_iter().enumerate() {
                    if v.is_finite() {
                        total[k] += f64::from(v);
                        known[k] = true;
                    }
                }
                if p.lag_s.is_finite() {
                    let s = f64::from(p.lag_s);
                    self.lag_s_max = Some(self.lag_s_max.map_or(s, |m| m.max(s)));
                }
            }
            // What is produced to all the topics the group reads.
            for (k, line) in [&mut self.lag, &mut self.consume, &mut self.produce]
                .into_iter()
                .enumerate()
            {
                if known[k] {
                    line.push((at, total[k]));
                }
            }
        }
        self.lag_max = self.lag.iter().map(|p| p.1).fold(0.0, f64::max);
        self.rate_max = self
            .consume
            .iter()
            .chain(&self.produce)
            .map(|p| p.1)
            .fold(0.0, f64::max);
    }
}

/// A row's partitions worst first: by status, then unreadable ones, then most behind,
/// then by number (the `:lag` partition pane's order).
pub fn worst_first(g: &GroupTopicLag) -> Vec<usize> {
    let mut order: Vec<usize> = (0..g.partitions.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&g.partitions[a], &g.partitions[b]);
        b.status
            .cmp(&a.status)
            .then(a.lag.is_some().cmp(&b.lag.is_some()))
            .then(b.lag.cmp(&a.lag))
            .then(a.partition.cmp(&b.partition))
    });
    order
}
