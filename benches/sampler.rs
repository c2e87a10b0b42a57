//! One full snapshot (metadata, every partition's log end and log start, every group's
//! committed offsets and description) against librdkafka's mock cluster (3 brokers,
//! 5 ms round trips), at 5,000 partitions and 20, 200 and 2,000 groups:
//! - ktopo's sampler: one client handle, Admin API batches;
//! - the design it replaced, as the baseline: one client handle per group, committed
//!   offsets fetched by 8 worker threads, log ends in one batched call.
//!
//! Both run in the same process, same cluster, same repetitions (median of 5 rounds
//! after one warm-up round that opens connections and handles). Threads are read from
//! /proc/self/status and client connections from /proc/net/tcp.
//! Run: `cargo bench --bench sampler` (a plain harness: the baseline takes minutes).
//! The baseline runs at 20 and 200 groups (see `main` for why not at 2,000).

mod common;
use common::median;
use ktopo::cluster::kafka::admin::Admin;
use ktopo::cluster::kafka::config::Properties;
use ktopo::cluster::kafka::sampler::{Sampler, Watched};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{BaseProducer, Producer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn threads() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("Threads:").map(|n| n.trim().parse().unwrap_or(0)))
        .unwrap_or(0)
}

/// Established TCP connections from this process's clients to the mock brokers.
fn connections(ports: &[u16]) -> usize {
    let tcp = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    tcp.lines()
        .skip(1)
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f.len() > 3
                && f[3] == "01"
                && f[2]
                    .rsplit(':')
                    .next()
                    .and_then(|p| u16::from_str_radix(p, 16).ok())
                    .is_some_and(|p| ports.contains(&p))
        })
        .count()
}

struct Setup<'a> {
    bootstrap: String,
    ports: Vec<u16>,
    watched: Vec<Watched>,
    mock: MockCluster<'a, rdkafka::producer::DefaultProducerContext>,
}

fn setup(producer: &BaseProducer, partitions: usize, groups: usize) -> Setup<'_> {
    let mock = producer.client().mock_cluster().unwrap();
    let topics = partitions / 10;
    let names: Vec<(String, i32)> = (0..topics).map(|t| (format!("topic{t}"), 10)).collect();
    ktopo::cluster::kafka::admin::create_mock_topics(producer.client(), &names).unwrap();
    let bootstrap = mock.bootstrap_servers();
    let ports = bootstrap
        .split(',')
        .filter_map(|a| a.rsplit(':').next()?.parse().ok())
        .collect();
    let watched: Vec<Watched> = (0..groups)
        .map(|i| Watched {
            group: format!("group{i}"),
            topic: format!("topic{}", i % topics),
            service: None,
            probe: false,
        })
        .collect();
    // Every group has committed on every partition of its topic.
    let admin = Admin::create(ClientConfig::new().set("bootstrap.servers", &bootstrap)).unwrap();
    let commits: Vec<ktopo::cluster::kafka::admin::GroupCommit> = watched
        .iter()
        .map(|w| (w.group.clone(), (0..10).map(|p| (w.topic.as_str(), p, 0)).collect()))
        .collect();
    for r in admin.alter_group_offsets(&commits, Duration::from_secs(60)) {
        r.unwrap();
    }
    Setup {
        bootstrap,
        ports,
        watched,
        mock,
    }
}

fn slow(s: &Setup) {
    for b in 1..=3 {
        s.mock.broker_round_trip_time(b, Duration::from_millis(5)).unwrap();
    }
}

fn ktopo(s: &Setup) -> (f64, usize, usize) {
    let base = threads();
    let mut props = Properties::default();
    props.set("bootstrap.servers", &s.bootstrap);
    let mut sampler = Sampler::new(props, s.watched.clone()).unwrap();
    sampler.timeout = Duration::from_secs(30);
    sampler.sample().unwrap();
    let times = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            let raw = sampler.sample().unwrap();
            assert!(raw.errors.is_empty(), "{:?}", raw.errors);
            assert_eq!(raw.groups.len(), s.watched.len());
            t.elapsed()
        })
        .collect();
    let (th, conns) = (threads() - base, connections(&s.ports));
    (median(times), th, conns)
}

/// The replaced design: a handle per group, 8 worker threads, batched log ends.
fn per_group_handles(s: &Setup) -> (f64, usize, usize, usize) {
    let base = threads();
    let cfg = |group: Option<&str>| {
        let mut c = ClientConfig::new();
        c.set("bootstrap.servers", &s.bootstrap)
            .set("enable.auto.commit", "false");
        if let Some(g) = group {
            c.set("group.id", g);
        }
        c
    };
    let meta: BaseConsumer = cfg(None).create().unwrap();
    let handles: HashMap<&str, BaseConsumer> = s
        .watched
        .iter()
        .map(|w| (w.group.as_str(), cfg(Some(&w.group)).create().unwrap()))
        .collect();
    // Failures are counted, not fatal: at 2,000 handles the design itself times out.
    let failures = std::sync::atomic::AtomicUsize::new(0);
    let fail = || {
        failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let round = || {
        let Ok(md) = meta.fetch_metadata(None, Duration::from_secs(30)) else {
            return fail();
        };
        let mut tpl = TopicPartitionList::new();
        for t in md.topics() {
            for p in t.partitions() {
                tpl.add_partition_offset(t.name(), p.id(), Offset::End).unwrap();
            }
        }
        if meta.offsets_for_times(tpl, Duration::from_secs(30)).is_err() {
            fail();
        }
        let chunk = s.watched.len().div_ceil(8);
        std::thread::scope(|sc| {
            for ws in s.watched.chunks(chunk) {
                let (handles, fail) = (&handles, &fail);
                sc.spawn(move || {
                    for w in ws {
                        let mut tpl = TopicPartitionList::new();
                        for p in 0..10 {
                            tpl.add_partition(&w.topic, p);
                        }
                        if handles[w.group.as_str()]
                            .committed_offsets(tpl, Duration::from_secs(30))
                            .is_err()
                        {
                            fail();
                        }
                    }
                });
            }
        });
    };
    round();
    let times = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            round();
            t.elapsed()
        })
        .collect();
    let (th, conns) = (threads() - base, connections(&s.ports));
    (median(times), th, conns, failures.into_inner())
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    // The baseline at 2,000 groups means 2,000 handles and ~24,000 threads: it starves
    // the machine for tens of minutes (and timed out in the issue's own measurement), so
    // it runs at 20 and 200 groups only unless KTOPO_BENCH_FULL_BASELINE is set.
    let full = std::env::var("KTOPO_BENCH_FULL_BASELINE").is_ok();
    println!("one snapshot, mock cluster, 3 brokers, 5 ms RTT, 5,000 partitions; median of {RUNS}");
    println!(
        "{:>7} {:>28} {:>40}",
        "groups", "ktopo ms / threads / conns", "per-group handles ms / threads / conns"
    );
    for groups in [20, 200, 2_000] {
        let producer: BaseProducer = ClientConfig::new().set("test.mock.num.brokers", "3").create().unwrap();
        let s = setup(&producer, 5_000, groups);
        slow(&s);
        let k = ktopo(&s);
        let b = if groups <= 200 || full {
            let b = per_group_handles(&s);
            format!(
                "{:>9.1} / {:>6} / {:>5}   ({:.1}x, {} failed requests)",
                b.0,
                b.1,
                b.2,
                b.0 / k.0,
                b.3
            )
        } else {
            "-".into()
        };
        println!("{groups:>7} {:>12.1} / {:>5} / {:>5} {b:>40}", k.0, k.1, k.2);
    }
}
