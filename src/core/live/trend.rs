//! A group × topic row's values over the session, one point per sample, for the group
//! view's chart: lag in messages and seconds, consume and produce rates.
//!
//! Bounded: a ring of at most `POINTS` points (`CHUNK` points short of it just after
//! the oldest chunk is dropped). Each picture carries every row's trend, so the ring is
//! kept in shared chunks of `CHUNK` sealed points: cloning a trend into a picture copies
//! at most `CHUNK - 1` open points and `POINTS / CHUNK` pointers, not the whole history.
//! A point is 32 bytes: a full ring is about 4 KB per group × topic (4 MB at 1,000
//! rows), plus under 0.5 KB per picture that holds it.

use serde::Serialize;
use std::collections::VecDeque;
use std::sync::Arc;

/// Points per sealed chunk.
pub const CHUNK: usize = 12;
/// At most this many points per group × topic: 10 minutes at the default 5 s interval.
pub const POINTS: usize = 120;

/// One sample's values. Unknown values are NaN (a gap in the chart, not a zero).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    /// Seconds on the sampler's clock (the chart's x).
    pub at_s: f64,
    /// Wall-clock milliseconds since the epoch (0: unknown), for the axis labels.
    pub wall_ms: i64,
    /// Messages behind, summed over partitions.
    pub lag: f32,
    /// Seconds behind the head.
    pub lag_s: f32,
    /// Messages per second committed by the group, and produced to the topic.
    pub consume: f32,
    pub produce: f32,
}

/// The last `POINTS` points of one row, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Trend {
    sealed: VecDeque<Arc<[Point]>>,
    open: Vec<Point>,
}

impl Trend {
    pub fn push(&mut self, p: Point) {
        self.open.push(p);
        if self.open.len() == CHUNK {
            self.sealed.push_back(Arc::from(std::mem::take(&mut self.open)));
            // Sealed chunks plus an open one never exceed POINTS.
            if self.sealed.len() * CHUNK > POINTS - CHUNK {
                self.sealed.pop_front();
            }
        }
    }

    pub fn len(&self) -> usize {
        self.sealed.len() * CHUNK + self.open.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Oldest first.
    pub fn points(&self) -> impl Iterator<Item = &Point> + '_ {
        self.sealed.iter().flat_map(|c| c.iter()).chain(self.open.iter())
    }

    pub fn last(&self) -> Option<&Point> {
        self.open.last().or_else(|| self.sealed.back().and_then(|c| c.last()))
    }
}

impl Serialize for Trend {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.points())
    }
}

/// An optional value as a point's field.
pub fn value(v: Option<f64>) -> f32 {
    v.map_or(f32::NAN, |v| v as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(i: usize) -> Point {
        Point {
            at_s: i as f64,
            wall_ms: 0,
            lag: i as f32,
            lag_s: f32::NAN,
            consume: 1.0,
            produce: 1.0,
        }
    }

    #[test]
    fn the_ring_keeps_the_newest_points_and_never_more_than_its_bound() {
        let mut t = Trend::default();
        for i in 0..1_000 {
            t.push(at(i));
            assert!(t.len() <= POINTS, "{} points after {i}", t.len());
            assert_eq!(t.last().map(|p| p.at_s), Some(i as f64));
        }
        assert!(t.len() > POINTS - CHUNK);
        let xs: Vec<f64> = t.points().map(|p| p.at_s).collect();
        assert_eq!(xs.len(), t.len());
        assert!(
            xs.windows(2).all(|w| w[1] == w[0] + 1.0),
            "oldest first, none lost inside"
        );
        assert_eq!(*xs.last().unwrap(), 999.0);
    }

    #[test]
    fn a_clone_shares_the_sealed_points() {
        let mut t = Trend::default();
        for i in 0..CHUNK * 3 + 2 {
            t.push(at(i));
        }
        let c = t.clone();
        assert!(Arc::ptr_eq(&t.sealed[0], &c.sealed[0]));
        t.push(at(99));
        assert_eq!(c.len() + 1, t.len(), "the clone is a snapshot");
        assert_eq!(std::mem::size_of::<Point>(), 32);
    }
}
