//! Lag in seconds, kafka-lag-exporter's method: interpolate the time at which the log end
//! was at the committed offset, from a table of (log end, sample time) points.

use std::collections::VecDeque;

/// (high watermark, seconds) points, oldest first; flat runs keep only their first and
/// latest point, and a point whose offset goes down (topic recreated) resets the table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    points: VecDeque<(i64, f64)>,
    capacity: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeLag {
    pub seconds: f64,
    /// Extrapolated beyond the table.
    pub approximate: bool,
    /// At least this much: the log end has not moved since the table began, so all the
    /// table knows is that the offset is older than its first point.
    pub at_least: bool,
}

impl Table {
    pub fn new(capacity: usize) -> Self {
        Table {
            // Grown as points come: a partition nobody writes to keeps a flat run of
            // two, and 64 reserved points each were 12.8 MB at 12,500 partitions.
            points: VecDeque::new(),
            capacity: capacity.max(3),
        }
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    pub fn push(&mut self, offset: i64, t: f64) {
        if let Some(&(last, _)) = self.points.back() {
            if offset < last {
                self.points.clear();
            } else if offset == last && self.points.len() >= 2 {
                let prev = self.points[self.points.len() - 2].0;
                if prev == last {
                    // A flat run: move its end forward instead of adding a point.
                    self.points.back_mut().expect("non-empty").1 = t;
                    return;
                }
            }
        }
        if self.points.len() == self.capacity {
            self.points.pop_front();
        }
        self.points.push_back((offset, t));
    }

    /// Seconds the committed offset `c` is behind, as of time `now`.
    pub fn lag_at(&self, c: i64, now: f64) -> Option<TimeLag> {
        let &(newest, _) = self.points.back()?;
        if c >= newest {
            return Some(TimeLag {
                seconds: 0.0,
                approximate: false,
                at_least: false,
            });
        }
        if self.points.len() < 2 {
            return None;
        }
        // The newest pair L <= c <= R.
        let pts: Vec<(i64, f64)> = self.points.iter().copied().collect();
        for w in pts.windows(2).rev() {
            let (l, r) = (w[0], w[1]);
            if l.0 <= c && c <= r.0 && r.0 > l.0 {
                let t = r.1 - (r.0 - c) as f64 * (r.1 - l.1) / (r.0 - l.0) as f64;
                return Some(TimeLag {
                    seconds: (now - t).max(0.0),
                    approximate: false,
                    at_least: false,
                });
            }
        }
        // Older than the table: extrapolate from its oldest and newest points.
        let (o, n) = (pts[0], pts[pts.len() - 1]);
        if n.0 == o.0 {
            return Some(TimeLag {
                seconds: (now - o.1).max(0.0),
                approximate: true,
                at_least: true,
            });
        }
        let t = n.1 - (n.0 - c) as f64 * (n.1 - o.1) / (n.0 - o.0) as f64;
        Some(TimeLag {
            seconds: (now - t).max(0.0),
            approximate: true,
            at_least: false,
        })
    }
}
