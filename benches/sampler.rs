//! One full snapshot (metadata, every partition's log end, every group's committed
//! offsets) against the mock cluster with 5 ms broker round-trip time: 500 and 5,000
//! partitions, 20 and 200 groups, batched ListOffsets versus one call per partition.
//! A plain timing harness (`cargo bench --bench sampler`), since the slow variant takes
//! tens of seconds per run; it prints the median of the runs.

use ktopo::kafka::config::Properties;
use ktopo::kafka::sampler::{Sampler, Watched, Watermarks};
use rdkafka::producer::{BaseProducer, Producer};
use rdkafka::ClientConfig;
use std::time::{Duration, Instant};

fn run(partitions: usize, groups: usize, mode: Watermarks, runs: usize) -> Duration {
    let producer: BaseProducer = ClientConfig::new().set("test.mock.num.brokers", "3").create().unwrap();
    let mock = producer.client().mock_cluster().unwrap();
    let topics = partitions / 10;
    for t in 0..topics {
        mock.create_topic(&format!("topic{t}"), 10, 1).unwrap();
    }
    let mut props = Properties::default();
    props.set("bootstrap.servers", &mock.bootstrap_servers());
    let watched: Vec<Watched> = (0..groups.max(topics))
        .map(|i| Watched {
            group: format!("group{}", i % groups),
            topic: format!("topic{}", i % topics),
            service: None,
        })
        .collect();
    let mut s = Sampler::new(props, watched).unwrap();
    s.discover = false;
    s.watermarks = mode;
    s.timeout = Duration::from_secs(30);
    s.sample().unwrap(); // connections and coordinators warm
    for b in 1..=3 {
        mock.broker_round_trip_time(b, Duration::from_millis(5)).unwrap();
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let raw = s.sample().unwrap();
            assert_eq!(raw.topics.iter().map(|t| t.partitions.len()).sum::<usize>(), partitions);
            t.elapsed()
        })
        .collect();
    times.sort();
    drop(s);
    drop(mock);
    times[times.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    println!("snapshot against the mock cluster, 3 brokers, 5 ms RTT (median)");
    for (p, g) in [(500, 20), (500, 200), (5_000, 20), (5_000, 200)] {
        let batched = run(p, g, Watermarks::Batched, 5);
        println!(
            "{p:>5} partitions {g:>3} groups  batched:            {:>9.1} ms",
            batched.as_secs_f64() * 1e3
        );
    }
    for (p, g) in [(500, 20), (5_000, 20)] {
        let slow = run(p, g, Watermarks::PerPartition, 1);
        println!(
            "{p:>5} partitions {g:>3} groups  one call/partition: {:>9.1} ms",
            slow.as_secs_f64() * 1e3
        );
    }
}
