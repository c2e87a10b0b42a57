//! The sampler against librdkafka's mock cluster, in-process, over the real Kafka
//! protocol on 127.0.0.1: exact lag for known produced and committed offsets, "no
//! commit", rates, read-only proof by request tracking, and faults.

use crate::common::{self, commit, produce};
use ktopo::cluster::kafka::config::Properties;
use ktopo::cluster::kafka::sampler::{Sampler, Watched};
use ktopo::core::live::metrics::Metrics;
use ktopo::core::live::view::{GroupTopicLag, Health};
use rdkafka::bindings as rd;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::{BaseProducer, Producer};
use rdkafka::types::{RDKafkaApiKey, RDKafkaRespErr};
use rdkafka::ClientConfig;
use std::time::Duration;

/// The mock cluster lives as long as this producer (its owner).
fn cluster() -> (BaseProducer, String) {
    common::mock_cluster(3, &[("orders", 3), ("payments", 2)])
}

fn sampler(bootstrap: &str) -> Sampler {
    let mut props = Properties::default();
    props.set("bootstrap.servers", bootstrap);
    let watched = vec![
        Watched {
            group: "billing_orders_consumer".into(),
            topic: "orders".into(),
            service: Some("billing".into()),
            probe: false,
        },
        Watched {
            group: "audit_orders_consumer".into(),
            topic: "orders".into(),
            service: Some("audit".into()),
            probe: false,
        },
        Watched {
            group: "billing_payments_consumer".into(),
            topic: "payments".into(),
            service: Some("billing".into()),
            probe: false,
        },
    ];
    let mut s = Sampler::new(props, watched).unwrap();
    s.timeout = Duration::from_secs(3);
    s
}

fn row<'a>(v: &'a [GroupTopicLag], group: &str) -> &'a GroupTopicLag {
    v.iter().find(|g| g.group == group).unwrap()
}

#[test]
fn exact_lag_no_commit_and_totals() {
    let (p, bootstrap) = cluster();
    produce(&p, "orders", 0, 10);
    produce(&p, "orders", 1, 20);
    produce(&p, "payments", 0, 5);
    commit(
        &bootstrap,
        "billing_orders_consumer",
        &[("orders", 0, 4), ("orders", 1, 20)],
    );
    commit(
        &bootstrap,
        "billing_payments_consumer",
        &[("payments", 0, 7), ("payments", 1, 0)],
    );

    let mut s = sampler(&bootstrap);
    let raw = s.sample().unwrap();
    let orders = raw.topics.iter().find(|t| t.name == "orders").unwrap();
    let ends: Vec<_> = orders.partitions.iter().map(|p| p.log_end).collect();
    assert_eq!(ends, [Some(10), Some(20), Some(0)]);

    let mut m = Metrics::new("mock", 1.0);
    let now = raw.time_s;
    m.absorb(raw);
    let v = m.view(now);
    let g = row(&v.groups, "billing_orders_consumer");
    let parts: Vec<_> = g
        .partitions
        .iter()
        .map(|p| (p.partition, p.committed, p.log_end, p.lag))
        .collect();
    assert_eq!(
        parts,
        [
            (0, Some(4), Some(10), Some(6)),
            (1, Some(20), Some(20), Some(0)),
            (2, None, Some(0), None)
        ]
    );
    assert_eq!((g.total_lag, g.max_lag), (Some(6), Some(6)));
    assert!(g.declared);

    // A group that never committed: "no commit", not lag 0.
    let never = row(&v.groups, "audit_orders_consumer");
    assert!(never
        .partitions
        .iter()
        .all(|p| p.committed.is_none() && p.lag.is_none()));
    assert_eq!(never.total_lag, None);
    // No verdict yet: MISSING only once no commit shows for longer than a consumer takes to start.
    assert_eq!(never.status, Health::Unknown);
    assert_eq!(never.reason, "no commit yet");

    // A commit above the log end is clamped to lag 0 and flagged.
    let pay = row(&v.groups, "billing_payments_consumer");
    assert_eq!(pay.partitions[0].lag, Some(0));
    assert!(pay.partitions[0].clamped);
    assert_eq!(v.topics["orders"].total_lag, Some(6));
    drop(p);
}

#[test]
fn rates_over_successive_samples() {
    let (p, bootstrap) = cluster();
    produce(&p, "orders", 0, 10);
    commit(
        &bootstrap,
        "billing_orders_consumer",
        &[("orders", 0, 10), ("orders", 1, 0), ("orders", 2, 0)],
    );
    let mut s = sampler(&bootstrap);
    let mut m = Metrics::new("mock", 1.0);
    let first = s.sample().unwrap();
    let (t0, c0) = (first.time_s, first.offsets_at_s);
    assert!(c0 <= t0, "committed offsets are read before log ends");
    m.absorb(first);
    assert_eq!(
        m.view(t0).topics["orders"].produce_rate,
        None,
        "one sample gives no rate"
    );

    produce(&p, "orders", 0, 30);
    produce(&p, "orders", 2, 12);
    commit(
        &bootstrap,
        "billing_orders_consumer",
        &[("orders", 0, 26), ("orders", 2, 12)],
    );
    std::thread::sleep(Duration::from_millis(300));
    let second = s.sample().unwrap();
    let dt = second.time_s - t0;
    // The consume rate is timed by when committed offsets were read.
    let dc = second.offsets_at_s - c0;
    m.absorb(second);
    let v = m.view(t0 + dt);
    let produced = v.topics["orders"].produce_rate.unwrap();
    assert!((produced - 42.0 / dt).abs() < 1e-9, "{produced} vs {}", 42.0 / dt);
    let g = row(&v.groups, "billing_orders_consumer");
    assert!((g.consume_rate.unwrap() - 28.0 / dc).abs() < 1e-9);
    assert_eq!(g.total_lag, Some(14));
    // Sparkline series start at the first sample that has a rate.
    assert_eq!(v.topics["orders"].rate_history, [(42.0 / dt).round() as u64]);
    assert_eq!(v.topics["orders"].lag_history, [14]);
    assert!(g.time_lag_s.is_some());
    drop(p);
}

fn track(p: &BaseProducer) {
    unsafe {
        let mc = rd::rd_kafka_handle_mock_cluster(p.client().native_ptr());
        rd::rd_kafka_mock_start_request_tracking(mc);
        rd::rd_kafka_mock_clear_requests(mc);
        rd::rd_kafka_mock_group_initial_rebalance_delay_ms(mc, 0);
    }
}

#[test]
fn sampler_sends_only_read_only_requests() {
    let (p, bootstrap) = cluster();
    produce(&p, "orders", 0, 5);
    commit(&bootstrap, "billing_orders_consumer", &[("orders", 0, 2)]);
    track(&p);
    let mut s = sampler(&bootstrap);
    for _ in 0..3 {
        s.sample().unwrap();
    }
    let seen = common::mock_api_keys(&p);
    let group_changing = [
        RDKafkaApiKey::OffsetCommit,
        RDKafkaApiKey::JoinGroup,
        RDKafkaApiKey::Heartbeat,
        RDKafkaApiKey::LeaveGroup,
        RDKafkaApiKey::SyncGroup,
        RDKafkaApiKey::CreateTopics,
        RDKafkaApiKey::DeleteTopics,
        RDKafkaApiKey::Produce,
        RDKafkaApiKey::Fetch,
    ];
    for k in group_changing {
        assert!(!seen.contains(&(k as i16)), "sampler sent {k:?}; saw {seen:?}");
    }
    for k in [
        RDKafkaApiKey::Metadata,
        RDKafkaApiKey::ListOffsets,
        RDKafkaApiKey::OffsetFetch,
        RDKafkaApiKey::FindCoordinator,
    ] {
        assert!(seen.contains(&(k as i16)), "expected {k:?} in {seen:?}");
    }

    // Control: a subscribing consumer does join its group, so the check above can fail.
    let c: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &bootstrap)
        .set("group.id", "control")
        .create()
        .unwrap();
    c.subscribe(&["orders"]).unwrap();
    let until = std::time::Instant::now() + Duration::from_secs(10);
    while !common::mock_api_keys(&p).contains(&(RDKafkaApiKey::JoinGroup as i16)) && std::time::Instant::now() < until {
        let _ = c.poll(Duration::from_millis(100));
    }
    assert!(common::mock_api_keys(&p).contains(&(RDKafkaApiKey::JoinGroup as i16)));
    drop(c);
    drop(p);
}

#[test]
fn broker_down_then_up_gives_stale_then_recovered() {
    let (p, bootstrap) = cluster();
    produce(&p, "orders", 0, 5);
    commit(
        &bootstrap,
        "billing_orders_consumer",
        &[("orders", 0, 5), ("orders", 1, 0), ("orders", 2, 0)],
    );
    let mut s = sampler(&bootstrap);
    s.timeout = Duration::from_millis(800);
    let mut m = Metrics::new("mock", 0.2);
    let first = s.sample().unwrap();
    let (t0, c0) = (first.time_s, first.offsets_at_s);
    assert!(c0 <= t0, "committed offsets are read before log ends");
    m.absorb(first);
    assert!(m.view(t0).errors.is_empty());

    let mock = p.client().mock_cluster().unwrap();
    for b in 1..=3 {
        mock.broker_down(b).unwrap();
    }
    // Down: either nothing answers, or partitions come back without a log end.
    match s.sample() {
        Err(e) => m.failed(e),
        Ok(raw) => {
            assert!(
                !raw.errors.is_empty(),
                "a sample with every broker down must report errors"
            );
            m.failed(raw.errors.join("; "));
        }
    }
    let v = m.view(s.now_s() + 1.0);
    assert!(v.stale, "values older than three intervals are stale");
    assert!(!v.errors.is_empty());
    assert_eq!(
        row(&v.groups, "billing_orders_consumer").total_lag,
        Some(0),
        "last values are kept"
    );

    for b in 1..=3 {
        mock.broker_up(b).unwrap();
    }
    let until = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(raw) = s.sample() {
            if raw.errors.is_empty() {
                let t = raw.time_s;
                m.absorb(raw);
                let v = m.view(t);
                assert!(!v.stale && v.errors.is_empty());
                break;
            }
        }
        assert!(
            std::time::Instant::now() < until,
            "sampler did not recover after the brokers came back"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(mock);
    drop(p);
}

#[test]
fn injected_errors_and_round_trip_time_do_not_break_sampling() {
    let (p, bootstrap) = cluster();
    produce(&p, "orders", 1, 3);
    let mock = p.client().mock_cluster().unwrap();
    for b in 1..=3 {
        mock.broker_round_trip_time(b, Duration::from_millis(20)).unwrap();
    }
    let mut s = sampler(&bootstrap);
    let raw = s.sample().unwrap();
    assert!(raw.duration_ms >= 20, "round-trip time shows in the sample duration");
    mock.request_errors(
        RDKafkaApiKey::ListOffsets,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION; 12],
    );
    // librdkafka's ListOffsets does not retry them: the round ends, says which
    // partitions it could not read and why, and their groups are partial, not wrong.
    let raw = s.sample().unwrap();
    assert!(
        raw.errors.iter().any(|e| e.contains("without a log end")),
        "{:?}",
        raw.errors
    );
    assert!(
        raw.errors.iter().any(|e| e.contains("Not leader for partition")),
        "the broker's reason is kept: {:?}",
        raw.errors
    );
    let mut m = Metrics::new("mock", 1.0);
    let now = raw.time_s;
    m.absorb(raw);
    let view = m.view(now);
    let g = row(&view.groups, "billing_orders_consumer").clone();
    assert!(g.partial && g.total_lag.is_none_or(|l| l >= 0), "{g:?}");
    // A gate never passes on what could not be read, whatever its threshold.
    use ktopo::core::lag_report::{gate, FailOn, Filters};
    let f = Filters::new(Some("billing_orders_consumer"), None).unwrap();
    let lines = gate(Some(FailOn::Lag(1_000_000)), &f.select(&view), &f, true).expect("partial is no pass");
    assert!(lines.iter().any(|l| l.contains("partial")), "{lines:?}");
    mock.clear_request_errors(RDKafkaApiKey::ListOffsets);
    let raw = s.sample().unwrap();
    let orders = raw.topics.iter().find(|t| t.name == "orders").unwrap();
    assert_eq!(orders.partitions[1].log_end, Some(3));
    drop(mock);
    drop(p);
}

#[test]
fn a_coordinator_that_does_not_answer_fails_only_its_group() {
    use rdkafka::mocking::MockCoordinator;
    let (p, bootstrap) = cluster();
    {
        let m = p.client().mock_cluster().unwrap();
        // Every partition led by brokers 1 and 2; broker 3 only coordinates one group.
        for (t, n) in [("orders", 3), ("payments", 2)] {
            for part in 0..n {
                m.partition_leader(t, part, Some(1 + part % 2)).unwrap();
            }
        }
        for g in ["billing_orders_consumer", "billing_payments_consumer"] {
            m.coordinator(MockCoordinator::Group(g.into()), 1).unwrap();
        }
        m.coordinator(MockCoordinator::Group("audit_orders_consumer".into()), 3)
            .unwrap();
    }
    produce(&p, "orders", 0, 10);
    commit(&bootstrap, "billing_orders_consumer", &[("orders", 0, 4)]);
    commit(&bootstrap, "billing_payments_consumer", &[("payments", 0, 0)]);
    p.client().mock_cluster().unwrap().broker_down(3).unwrap();

    let mut s = sampler(&bootstrap);
    s.timeout = Duration::from_secs(2);
    let raw = s.sample().unwrap();
    let mut m = Metrics::new("mock", 1.0);
    let now = raw.time_s;
    m.absorb(raw);
    let v = m.view(now);
    let stuck = row(&v.groups, "audit_orders_consumer");
    assert!(
        stuck.error.is_some(),
        "the unreachable coordinator's group carries an error"
    );
    assert_eq!(stuck.total_lag, None);
    let ok = row(&v.groups, "billing_orders_consumer");
    assert_eq!(ok.error, None);
    assert_eq!(ok.partitions[0].lag, Some(6), "the other groups stay exact");
    assert_eq!(row(&v.groups, "billing_payments_consumer").error, None);
    drop(p);
}

#[test]
fn a_silent_leader_fails_only_its_partitions() {
    let (p, bootstrap) = cluster();
    {
        let m = p.client().mock_cluster().unwrap();
        for part in 0..3 {
            m.partition_leader("orders", part, Some(if part == 2 { 3 } else { 1 }))
                .unwrap();
        }
        for part in 0..2 {
            m.partition_leader("payments", part, Some(2)).unwrap();
        }
        m.coordinator(
            rdkafka::mocking::MockCoordinator::Group("billing_orders_consumer".into()),
            1,
        )
        .unwrap();
    }
    produce(&p, "orders", 0, 10);
    commit(
        &bootstrap,
        "billing_orders_consumer",
        &[("orders", 0, 4), ("orders", 2, 0)],
    );
    p.client().mock_cluster().unwrap().broker_down(3).unwrap();
    let mut s = sampler(&bootstrap);
    s.timeout = Duration::from_secs(2);
    let raw = s.sample().unwrap();
    let orders = raw.topics.iter().find(|t| t.name == "orders").unwrap();
    let ends: Vec<_> = orders.partitions.iter().map(|p| p.log_end).collect();
    assert_eq!(ends, [Some(10), Some(0), None], "only broker 3's partition is missing");
    assert!(
        raw.errors.iter().any(|e| e.contains("without a log end")),
        "{:?}",
        raw.errors
    );
    let mut m = Metrics::new("mock", 1.0);
    let now = raw.time_s;
    m.absorb(raw);
    let v = m.view(now);
    let g = row(&v.groups, "billing_orders_consumer");
    assert!(g.partial, "a partition without a log end makes the totals partial");
    assert_eq!(g.partitions[0].lag, Some(6));
    drop(p);
}

#[test]
fn a_declared_group_on_a_deleted_topic_is_absent_not_gone() {
    let (p, bootstrap) = cluster();
    let mut props = Properties::default();
    props.set("bootstrap.servers", &bootstrap);
    let watched = vec![Watched {
        group: "billing_legacy_consumer".into(),
        topic: "legacy_events".into(),
        service: Some("billing".into()),
        probe: false,
    }];
    let mut s = Sampler::new(props, watched).unwrap();
    s.timeout = Duration::from_secs(3);
    let raw = s.sample().unwrap();
    let mut m = Metrics::new("mock", 1.0);
    let now = raw.time_s;
    m.absorb(raw);
    let v = m.view(now);
    let g = row(&v.groups, "billing_legacy_consumer");
    assert!(g.topic_absent);
    assert!(g.partitions.is_empty());
    drop(p);
}

#[test]
fn last_write_of_a_watched_topic_is_its_newest_record_time() {
    let (p, bootstrap) = cluster();
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    produce(&p, "payments", 1, 3);
    let mut props = Properties::default();
    props.set("bootstrap.servers", &bootstrap);
    let watch = ktopo::cluster::kafka::sampler::Watch {
        groups: Vec::new(),
        last_write: vec!["payments".into(), "orders".into(), "absent".into()],
        ..Default::default()
    };
    let mut s = Sampler::new(props, watch).unwrap();
    s.timeout = Duration::from_secs(3);
    let raw = s.sample().unwrap();
    assert!(raw.errors.is_empty(), "{:?}", raw.errors);
    let t = |n: &str| raw.topics.iter().find(|t| t.name == n).unwrap().last_write_ms;
    let ts = t("payments").expect("a written topic has a last write");
    assert!(ts >= before - 1000 && ts <= before + 60_000, "{ts} vs {before}");
    assert_eq!(t("orders"), None, "an empty topic was never written");
    // Topics nobody asked about are not read.
    drop(p);
}

#[test]
fn tails_for_the_event_checks_are_read_without_any_group() {
    let (p, bootstrap) = cluster();
    produce(&p, "orders", 0, 5);
    track(&p);
    let mut props = Properties::default();
    props.set("bootstrap.servers", &bootstrap);
    let watch = ktopo::cluster::kafka::sampler::Watch {
        tails_of: vec!["orders".into(), "payments".into()],
        tail_len: 2,
        ..Default::default()
    };
    let mut s = Sampler::new(props, watch).unwrap();
    s.timeout = Duration::from_secs(3);
    assert!(s.sample().unwrap().tails.is_none(), "not in the first quick rounds");
    assert!(s.sample().unwrap().tails.is_none());
    let raw = s.sample().unwrap();
    let tails = raw.tails.expect("read on the third round");
    let orders = &tails.iter().find(|(t, _)| t == "orders").unwrap().1;
    let offsets: Vec<(i32, i64)> = orders.iter().map(|m| (m.partition, m.offset)).collect();
    assert_eq!(offsets, [(0, 3), (0, 4)], "the last 2 of partition 0, in order");
    assert_eq!(orders[1].value.as_deref(), Some(&b"m4"[..]));
    assert!(tails.iter().find(|(t, _)| t == "payments").unwrap().1.is_empty());
    assert!(s.sample().unwrap().tails.is_none(), "then once a minute");
    let seen = common::mock_api_keys(&p);
    assert!(seen.contains(&(RDKafkaApiKey::Fetch as i16)), "{seen:?}");
    for k in [
        RDKafkaApiKey::FindCoordinator,
        RDKafkaApiKey::JoinGroup,
        RDKafkaApiKey::SyncGroup,
        RDKafkaApiKey::Heartbeat,
        RDKafkaApiKey::OffsetCommit,
        RDKafkaApiKey::OffsetFetch,
    ] {
        assert!(!seen.contains(&(k as i16)), "sent {k:?}; saw {seen:?}");
    }
    drop(p);
}

#[test]
fn offsets_denied_by_authorization_are_unreadable_not_missing() {
    let (p, bootstrap) = cluster();
    produce(&p, "orders", 0, 5);
    commit(&bootstrap, "billing_orders_consumer", &[("orders", 0, 2)]);
    let mock = p.client().mock_cluster().unwrap();
    // Every OffsetFetch denied, as a broker with ACLs answers a monitor without Describe
    // on the group.
    mock.request_errors(
        RDKafkaApiKey::OffsetFetch,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED; 64],
    );
    let mut s = sampler(&bootstrap);
    let raw = s.sample().unwrap();
    let mut m = Metrics::new("mock", 1.0);
    let now = raw.time_s;
    m.absorb(raw);
    let v = m.view(now);
    let g = row(&v.groups, "billing_orders_consumer");
    let e = g.error.as_deref().unwrap_or_default();
    assert!(
        e.to_lowercase().contains("authoriz"),
        "the broker's reason is kept: {g:?}"
    );
    assert_ne!(g.status, Health::Missing, "unreadable is not missing");
    // The lag gate fails on it, whatever the threshold, saying why.
    use ktopo::core::lag_report::{gate, FailOn, Filters};
    let f = Filters::new(Some("billing_orders_consumer"), None).unwrap();
    let lines = gate(Some(FailOn::Lag(1_000_000)), &f.select(&v), &f, true).expect("no pass");
    assert!(lines[0].contains("could not be read"), "{lines:?}");
    // And drift: a check that could not run, never a MISSING consumer.
    let facts = ktopo::core::drift::facts::Facts::from_live(&v, 1);
    assert!(facts.groups["billing_orders_consumer"].error.is_some());
    mock.clear_request_errors(RDKafkaApiKey::OffsetFetch);
    drop(mock);
    drop(p);
}
