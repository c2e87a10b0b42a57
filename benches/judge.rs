//! The cost of judging statuses, per sample, at fleet scale: 2,000 groups on 500 topics
//! of 10 partitions (20,000 group-partitions), consumers of four kinds (committing
//! every sample, every 30 s, stuck, at half speed), scripted samples every 5 s fed to
//! `Metrics::absorb` and turned into the live picture (`Metrics::view`): what the
//! sampler thread does after each round, whatever the cluster.
//!
//! Median of 40 samples after 20 warm-up samples (the status tracks are full by then).
//! Run: `cargo bench --bench judge`. The same file builds against older ktopo versions
//! (it uses only fields every version has), so before/after is measured in one run.

mod common;
use common::median;
use ktopo::core::live::metrics::Metrics;
use ktopo::core::sample::{RawGroup, RawPartition, RawSample, RawTopic};
use std::time::Instant;

const TOPICS: usize = 500;
const PARTS: i32 = 10;
const GROUPS_PER_TOPIC: usize = 4;
const INTERVAL: f64 = 5.0;

fn sample(k: usize) -> RawSample {
    let t = k as f64 * INTERVAL;
    let end = |topic: usize, p: i32| (t * (2.0 + (topic % 7) as f64)) as i64 + i64::from(p);
    let topics = (0..TOPICS)
        .map(|i| RawTopic {
            name: format!("t{i}_events"),
            partitions: (0..PARTS)
                .map(|p| RawPartition {
                    id: p,
                    leader: 1 + p % 3,
                    log_end: Some(end(i, p)),
                    log_start: Some(0),
                })
                .collect(),
            replication: Some(3),
            last_write_ms: None,
        })
        .collect();
    let mut groups = Vec::new();
    for i in 0..TOPICS {
        for g in 0..GROUPS_PER_TOPIC {
            let committed = (0..PARTS)
                .map(|p| {
                    let e = end(i, p);
                    let c = match g {
                        0 => e,
                        // Every 30 s: the log end at the last multiple of 30 s.
                        1 => (((t / 30.0).floor() * 30.0) * (2.0 + (i % 7) as f64)) as i64 + i64::from(p),
                        2 => 100.min(e),
                        _ => e / 2,
                    };
                    (p, Some(c))
                })
                .collect();
            groups.push(RawGroup {
                group: format!("s{g}_t{i}_events_consumer"),
                topic: format!("t{i}_events"),
                declared: true,
                topic_on_cluster: true,
                committed,
                ..RawGroup::default()
            });
        }
    }
    RawSample {
        time_s: t + 0.01,
        offsets_at_s: t,
        duration_ms: 40,
        topics,
        groups,
        ..RawSample::default()
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let samples: Vec<RawSample> = (0..60).map(sample).collect();
    let mut m = Metrics::new("scripted", INTERVAL);
    let mut times = Vec::new();
    let mut rows = 0;
    for (k, s) in samples.into_iter().enumerate() {
        let now = s.time_s;
        let began = Instant::now();
        m.absorb(s);
        let v = m.view(now);
        let took = began.elapsed();
        rows = v.groups.len();
        if k >= 20 {
            times.push(took);
        }
    }
    println!(
        "absorb + view per sample: {:.1} ms median ({rows} group x topic rows, {} group-partitions)",
        median(times),
        rows * PARTS as usize
    );
}
