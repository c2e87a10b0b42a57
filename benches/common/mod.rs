//! Shared by the plain-harness benches.

use std::time::Duration;

/// The median of some timings, in milliseconds.
pub fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1e3
}
