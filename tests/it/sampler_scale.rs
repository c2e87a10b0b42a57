//! Hundreds of groups against the mock cluster through ONE client handle: exact lag
//! for every group and partition, only read-only requests, and a thread count that
//! does not grow with the number of groups. Its own test binary, so the thread count
//! read from /proc/self/status is this test's alone.

use crate::common;
use ktopo::cluster::kafka::admin::{Admin, GroupCommit};
use ktopo::cluster::kafka::config::Properties;
use ktopo::cluster::kafka::sampler::{Sampler, Watched};
use ktopo::core::live::metrics::Metrics;
use rdkafka::bindings as rd;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::types::RDKafkaApiKey;
use rdkafka::ClientConfig;
use std::collections::HashMap;
use std::time::Duration;

const TOPICS: usize = 30;
const GROUPS: usize = 400;

fn threads() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Threads:").map(|n| n.trim().parse().unwrap()))
        .unwrap()
}

#[test]
fn hundreds_of_groups_exact_read_only_and_bounded_threads() {
    // It counts the process's threads: in a process of its own, not beside the other
    // tests of this binary.
    if !common::alone("sampler_scale::hundreds_of_groups_exact_read_only_and_bounded_threads") {
        return;
    }
    let p: BaseProducer = ClientConfig::new()
        .set("test.mock.num.brokers", "3")
        .set("linger.ms", "5")
        .create()
        .unwrap();
    let bootstrap = {
        let names: Vec<(String, i32)> = (0..TOPICS).map(|t| (format!("topic{t}"), 10)).collect();
        ktopo::cluster::kafka::admin::create_mock_topics(p.client(), &names).unwrap();
        p.client().mock_cluster().unwrap().bootstrap_servers()
    };
    // Partition p of topic t holds (t + p) % 7 messages.
    let end = |t: usize, part: usize| ((t + part) % 7) as i64;
    for t in 0..TOPICS {
        let name = format!("topic{t}");
        for part in 0..10 {
            for _ in 0..end(t, part) {
                p.send(BaseRecord::<(), _>::to(&name).partition(part as i32).payload("x"))
                    .unwrap();
            }
        }
    }
    p.flush(Duration::from_secs(30)).unwrap();
    // Group g reads topic g % TOPICS and has committed min(end, g % 5) everywhere but
    // partition 9, which it never committed.
    let watched: Vec<Watched> = (0..GROUPS)
        .map(|g| Watched {
            group: format!("group{g}"),
            topic: format!("topic{}", g % TOPICS),
            service: Some(format!("service{g}")),
            probe: false,
        })
        .collect();
    let committed = |g: usize, part: usize| (part < 9).then(|| end(g % TOPICS, part).min((g % 5) as i64));
    let admin = Admin::create(ClientConfig::new().set("bootstrap.servers", &bootstrap)).unwrap();
    let commits: Vec<GroupCommit> = watched
        .iter()
        .enumerate()
        .map(|(g, w)| {
            let offsets = (0..9)
                .map(|part| (w.topic.as_str(), part as i32, committed(g, part).unwrap()))
                .collect();
            (w.group.clone(), offsets)
        })
        .collect();
    for r in admin.alter_group_offsets(&commits, Duration::from_secs(60)) {
        r.unwrap();
    }
    drop(admin);
    // SAFETY (test fixture): as in `api_keys`.
    unsafe {
        let mc = rd::rd_kafka_handle_mock_cluster(p.client().native_ptr());
        rd::rd_kafka_mock_start_request_tracking(mc);
        rd::rd_kafka_mock_clear_requests(mc);
    }

    let before = threads();
    let mut props = Properties::default();
    props.set("bootstrap.servers", &bootstrap);
    let mut s = Sampler::new(props, watched.clone()).unwrap();
    s.timeout = Duration::from_secs(20);
    let mut m = Metrics::new("mock", 1.0);
    for _ in 0..2 {
        let raw = s.sample().unwrap();
        assert!(raw.errors.is_empty(), "{:?}", raw.errors);
        let now = raw.time_s;
        m.absorb(raw);
        let _ = m.view(now);
    }
    let grown = threads() - before;
    assert!(grown <= 32, "{GROUPS} groups cost {grown} threads (bound: 32)");

    let v = m.view(s.now_s());
    let rows: HashMap<&str, _> = v.groups.iter().map(|g| (g.group.as_str(), g)).collect();
    assert_eq!(rows.len(), GROUPS, "every group is reported");
    for (g, w) in watched.iter().enumerate() {
        let row = rows[w.group.as_str()];
        assert_eq!(row.topic, w.topic);
        assert_eq!(row.service.as_deref(), Some(format!("service{g}").as_str()));
        assert_eq!(row.error, None);
        for (part, pl) in row.partitions.iter().enumerate() {
            let e = end(g % TOPICS, part);
            assert_eq!(pl.log_end, Some(e), "{} p{part}", w.group);
            assert_eq!(pl.committed, committed(g, part), "{} p{part}", w.group);
            assert_eq!(pl.lag, committed(g, part).map(|c| e - c), "{} p{part}", w.group);
        }
    }

    let seen = common::mock_api_keys(&p);
    for k in [
        RDKafkaApiKey::OffsetCommit,
        RDKafkaApiKey::JoinGroup,
        RDKafkaApiKey::SyncGroup,
        RDKafkaApiKey::Heartbeat,
        RDKafkaApiKey::LeaveGroup,
        RDKafkaApiKey::Produce,
    ] {
        assert!(!seen.contains(&(k as i16)), "the sampler sent {k:?}; saw {seen:?}");
    }
    assert!(seen.contains(&(RDKafkaApiKey::OffsetFetch as i16)), "{seen:?}");
    drop(s);
    drop(p);
}
