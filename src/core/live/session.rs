//! The one sampling loop, shared by the TUI and `ktopo lag` (once or `--watch`):
//! sample, turn the sample into the live picture, hand it on, wait. The first rounds
//! come quickly (rates and statuses need several samples); after that one interval,
//! backing off while the cluster is unreachable (1, 2, 4… intervals, at most 60 s).

use super::metrics::Metrics;
use super::view::LiveView;
use crate::core::sample::RawSample;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// Where samples come from: the cluster's sampler (`connect` plugs it in), or a
/// scripted source. The loop needs nothing else of it.
pub trait Source {
    /// What to watch, as new watch lists arrive.
    type Watch;
    /// Why a round read nothing.
    type Error: std::fmt::Display;
    /// One round.
    fn sample(&mut self) -> Result<RawSample, Self::Error>;
    /// Seconds on the clock the samples are stamped with.
    fn now_s(&self) -> f64;
    /// Watch this from the next round on.
    fn set_watch(&mut self, watch: Self::Watch);
}

/// How the loop paces itself.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    pub interval: Duration,
    /// Rounds at the start spaced by at most one second.
    pub quick_rounds: u32,
}

impl Pace {
    /// The wait after round `round` (0-based), given consecutive failures so far.
    pub fn wait(&self, round: u32, failures: u32) -> Duration {
        if failures > 0 {
            return self
                .interval
                .saturating_mul(1 << failures.min(6))
                .min(Duration::from_secs(60))
                .max(self.interval);
        }
        if round + 1 < self.quick_rounds {
            self.interval.min(Duration::from_secs(1))
        } else {
            self.interval
        }
    }
}

/// What one round gave. The view is the caller's to keep (a picture at 5,000 groups
/// is megabytes: no copy is made to hand it over).
pub struct Round<'a> {
    pub view: LiveView,
    /// 0-based round number.
    pub number: u32,
    /// The cluster could not be read at all this round (the view keeps the last values).
    pub failed: Option<&'a str>,
}

/// Sample until `stop` is set or `on_round` returns false. New watch lists
/// arriving on `updates` apply from the next round.
pub fn run<S: Source>(
    sampler: &mut S,
    metrics: &mut Metrics,
    pace: Pace,
    stop: &AtomicBool,
    updates: Option<&Receiver<S::Watch>>,
    mut on_round: impl FnMut(Round) -> bool,
) {
    let mut failures = 0u32;
    let mut number = 0u32;
    while !stop.load(Ordering::Relaxed) {
        let began = Instant::now();
        if let Some(w) = updates.and_then(|u| u.try_iter().last()) {
            sampler.set_watch(w);
        }
        let failed = match sampler.sample() {
            Ok(s) => {
                failures = 0;
                metrics.absorb(s);
                None
            }
            Err(e) => {
                failures += 1;
                let e = e.to_string();
                metrics.failed(&e);
                Some(e)
            }
        };
        let view = metrics.picture(sampler.now_s());
        let go_on = on_round(Round {
            view,
            number,
            failed: failed.as_deref(),
        });
        if !go_on {
            return;
        }
        let until = began + pace.wait(number, failures);
        number = number.saturating_add(1);
        while Instant::now() < until && !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(50).min(until.saturating_duration_since(Instant::now())));
        }
    }
}

/// `run` on a thread of its own, handing each view to `send` (false stops it).
pub fn spawn<S>(
    mut sampler: S,
    source: String,
    pace: Pace,
    stop: std::sync::Arc<AtomicBool>,
    updates: Receiver<S::Watch>,
    mut send: impl FnMut(LiveView) -> bool + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>>
where
    S: Source + Send + 'static,
    S::Watch: Send,
{
    std::thread::Builder::new().name("ktopo-sampler".into()).spawn(move || {
        let mut metrics = Metrics::new(source, pace.interval.as_secs_f64());
        run(&mut sampler, &mut metrics, pace, &stop, Some(&updates), |r| {
            send(r.view)
        });
    })
}
