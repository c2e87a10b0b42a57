//! A group request that times out before its coordinator is found. librdkafka 2.12.1
//! freed the request's shared state when it gave up, then read it again when the late
//! FindCoordinator answer arrived (confluentinc/librdkafka#5397): `ktopo serve` died
//! with `rd_kafka_enq_once_del_source_return: Assertion 'eonce->refcnt > 0'` or a
//! SIGSEGV after minutes at 5,000 groups. ktopo builds librdkafka with the fix
//! (vendor/rdkafka-sys/PATCHES.md); without it this test aborts the test process.

use crate::common::mock_cluster;
use ktopo::cluster::kafka::admin::{Admin, OffsetsRequest};
use rdkafka::consumer::Consumer;
use rdkafka::producer::Producer;
use std::time::Duration;

#[test]
fn group_requests_that_time_out_before_their_coordinator_answers_leave_the_client_working() {
    let (p, bootstrap) = mock_cluster(1, &[("orders", 2)]);
    let admin = Admin::create(rdkafka::ClientConfig::new().set("bootstrap.servers", &bootstrap)).unwrap();
    admin.client().fetch_metadata(None, Duration::from_secs(5)).unwrap();
    let m = p.client().mock_cluster().unwrap();
    let groups: Vec<String> = (0..20).map(|i| format!("billing_orders_consumer_{i}")).collect();

    // Every answer now takes 1.5 s; the requests give up after 0.2 s, long before the
    // FindCoordinator answers arrive.
    m.broker_round_trip_time(1, Duration::from_millis(1500)).unwrap();
    let described = admin.describe_groups(&groups, 1, Duration::from_millis(200));
    let requests: Vec<OffsetsRequest> = groups.iter().map(|g| (g.clone(), None)).collect();
    let committed = admin.group_offsets(&requests, Duration::from_millis(200));
    assert!(described.iter().all(|d| d.is_err()), "{described:?}");
    assert!(committed.iter().all(|c| c.is_err()), "{committed:?}");

    // The late answers arrive and the coordinator requests go out for requests that no
    // longer exist: the unpatched library reads freed memory here.
    std::thread::sleep(Duration::from_millis(4000));
    m.broker_round_trip_time(1, Duration::ZERO).unwrap();

    // The same handle still answers: offsets (an unknown group has none) and, as the
    // mock cluster has no DescribeGroups, a clear refusal (the request's own error path).
    let offsets = admin.group_offsets(&requests, Duration::from_secs(10));
    for (g, c) in groups.iter().zip(&offsets) {
        let rows = c.as_ref().unwrap_or_else(|e| panic!("{g}: {e}"));
        assert!(rows.is_empty(), "{g}: {rows:?}");
    }
    let again = admin.describe_groups(&groups, 5, Duration::from_secs(10));
    assert_eq!(again.len(), groups.len());
    for (g, d) in groups.iter().zip(&again) {
        let e = d
            .as_ref()
            .err()
            .unwrap_or_else(|| panic!("{g}: described by a mock cluster"));
        assert!(e.to_string().contains("not supported"), "{g}: {e}");
    }
}
