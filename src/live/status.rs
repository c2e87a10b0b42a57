//! Consumer status from a window of samples: Burrow's evaluation rules, adapted to
//! what read-only requests can see (committed offsets, not commit events), plus IDLE.
//!
//! Per partition, oldest first, each sample holds the committed offset, the lag at that
//! time and whether the log end moved since the previous sample.
//! 1. fewer than `min_samples` samples, or no commit: UNKNOWN (not evaluated yet);
//! 2. an offset lower than the one before it that never recovers: REWIND;
//! 3. latest lag <= allowed: IDLE when the log end did not move in the window, else OK;
//! 4. only when every lag in the window is above the allowed lag:
//!    the committed offset did not move over the last `min_samples` samples: STOP when the
//!    group has no members or the offset has not moved for `stop_after_s`, else STALL
//!    (read-only requests cannot see commit events, so time stands in for them);
//!    the lag grew at every sample over at least `warn_samples`: WARN (falling behind;
//!    strictly growing, so a healthy consumer's small jittering lag is not a false alarm);
//! 5. otherwise OK.

use super::view::Health;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub time_s: f64,
    pub committed: i64,
    pub lag: i64,
    /// The partition's log end moved since the previous sample.
    pub log_moved: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub min_samples: usize,
    pub allowed_lag: i64,
    /// Seconds without any movement after which a stuck consumer counts as stopped.
    pub stop_after_s: f64,
    /// Samples of steadily growing lag before WARN.
    pub warn_samples: usize,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            min_samples: 3,
            allowed_lag: 0,
            stop_after_s: 60.0,
            warn_samples: 5,
        }
    }
}

/// `window`: samples oldest first; `since_move_s`: seconds since the committed offset last
/// changed; `members`: the group's member count when the broker reports it.
pub fn evaluate(window: &[Sample], since_move_s: f64, members: Option<usize>, rules: &Rules) -> Health {
    if window.len() < rules.min_samples {
        return Health::Unknown;
    }
    let last = window[window.len() - 1];
    // A rewind that recovered (offset back at or past the old one) is not reported.
    let max_before = |i: usize| window[..i].iter().map(|s| s.committed).max().unwrap_or(i64::MIN);
    if (1..window.len()).any(|i| window[i].committed < window[i - 1].committed)
        && last.committed < max_before(window.len() - 1)
    {
        return Health::Rewind;
    }
    if last.lag <= rules.allowed_lag {
        let traffic = window[1..].iter().any(|s| s.log_moved);
        return if traffic { Health::Ok } else { Health::Idle };
    }
    if window.iter().all(|s| s.lag > rules.allowed_lag) {
        let recent = &window[window.len() - rules.min_samples..];
        if recent.iter().all(|s| s.committed == recent[0].committed) {
            return if members == Some(0) || since_move_s >= rules.stop_after_s {
                Health::Stop
            } else {
                Health::Stall
            };
        }
        if window.len() >= rules.warn_samples && window.windows(2).all(|w| w[1].lag > w[0].lag) {
            return Health::Warn;
        }
    }
    Health::Ok
}
