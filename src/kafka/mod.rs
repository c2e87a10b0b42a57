//! Everything that talks to Kafka: configuration, the read-only sampler, the embedded
//! demo cluster, and the thread that samples on an interval. The rest of ktopo sees
//! plain data (`live::metrics::RawSample`, `live::view::LiveView`).

pub mod config;
pub mod demo;
pub mod sampler;

use crate::live::metrics::Metrics;
use crate::live::view::LiveView;
use crate::registry::{Registry, Status};
use sampler::{Sampler, Watched};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The consumer groups the registry declares: explicit ids, else the convention.
pub fn watched_groups(reg: &Registry) -> Vec<Watched> {
    reg.declared_groups()
        .into_iter()
        .filter(|(_, _, t)| reg.topics[*t].status != Status::Proposed)
        .map(|(group, service, t)| Watched {
            group,
            topic: reg.topics[t].name.clone(),
            service: Some(service),
        })
        .collect()
}

/// Sample every `interval` on a background thread and hand each live picture to `send`
/// (which returns false to stop). Failures keep the last values, retry with backoff.
/// New watched-group lists arriving on `updates` apply from the next round.
pub fn spawn_sampler(
    mut sampler: Sampler,
    source: String,
    interval: Duration,
    stop: Arc<AtomicBool>,
    updates: std::sync::mpsc::Receiver<Vec<Watched>>,
    mut send: impl FnMut(LiveView) -> bool + Send + 'static,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("ktopo-sampler".into())
        .spawn(move || {
            let mut metrics = Metrics::new(source, interval.as_secs_f64());
            let mut failures = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let began = Instant::now();
                // A reloaded registry may declare other groups.
                if let Some(w) = updates.try_iter().last() {
                    sampler.set_watched(w);
                }
                match sampler.sample() {
                    Ok(s) => {
                        failures = 0;
                        metrics.absorb(s);
                    }
                    Err(e) => {
                        failures += 1;
                        metrics.failed(e);
                    }
                }
                if !send(metrics.view(sampler.now_s())) {
                    return;
                }
                // Back off while the cluster is unreachable: 1, 2, 4... intervals, at most 60 s.
                let wait = interval
                    .mul_f64(2f64.powi(failures.min(6) as i32))
                    .min(Duration::from_secs(60))
                    .max(interval);
                let until = began + wait;
                while Instant::now() < until && !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(50).min(until.saturating_duration_since(Instant::now())));
                }
            }
        })
        .expect("spawning a thread")
}
