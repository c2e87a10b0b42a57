//! Peek against the mock cluster: the last N messages exactly, newest first, hostile
//! bytes made visible, and request tracking proves no group is involved at all.

mod common;
use ktopo::kafka::config::Properties;
use ktopo::kafka::peek::{self, Request};
use rdkafka::bindings as rd;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::types::RDKafkaApiKey;
use rdkafka::ClientConfig;
use std::time::Duration;

#[test]
fn peek_reads_the_tail_exactly_and_touches_no_group() {
    let p: BaseProducer = ClientConfig::new()
        .set("test.mock.num.brokers", "3")
        .set("linger.ms", "0")
        .create()
        .unwrap();
    let bootstrap = {
        let m = p.client().mock_cluster().unwrap();
        m.create_topic("orders", 2, 1).unwrap();
        m.bootstrap_servers()
    };
    for i in 0..5 {
        let value = if i == 4 {
            "evil \u{1b}]2;pwned\u{7}".to_string()
        } else {
            format!("{{\"n\":{i}}}")
        };
        let key = format!("k{i}");
        let headers = OwnedHeaders::new().insert(Header {
            key: "trace",
            value: Some("t1"),
        });
        p.send(
            BaseRecord::to("orders")
                .partition(0)
                .key(&key)
                .payload(&value)
                .headers(headers),
        )
        .unwrap();
    }
    p.send(BaseRecord::<(), _>::to("orders").partition(1).payload("only one"))
        .unwrap();
    p.flush(Duration::from_secs(10)).unwrap();
    // SAFETY (test fixture): the mock cluster belongs to the live producer `p`.
    unsafe {
        let mc = rd::rd_kafka_handle_mock_cluster(p.client().native_ptr());
        rd::rd_kafka_mock_start_request_tracking(mc);
        rd::rd_kafka_mock_clear_requests(mc);
    }
    let mut props = Properties::default();
    props.set("bootstrap.servers", &bootstrap);
    let req = Request {
        topic: "orders".into(),
        last: 2,
        partition: None,
        timeout: Duration::from_secs(10),
        value_cap: 1024,
        total_cap: 1 << 20,
    };
    let (msgs, notes) = peek::peek(&props, &req).unwrap();
    assert!(notes.is_empty(), "{notes:?}");
    let got: Vec<(i32, i64)> = msgs.iter().map(|m| (m.partition, m.offset)).collect();
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [(0, 3), (0, 4), (1, 0)],
        "the last two of p0, the only one of p1"
    );
    let p0: Vec<i64> = msgs.iter().filter(|m| m.partition == 0).map(|m| m.offset).collect();
    assert_eq!(p0, [4, 3], "newest first");
    let last = msgs.iter().find(|m| m.offset == 4).unwrap();
    assert_eq!(last.key.as_deref(), Some(&b"k4"[..]));
    assert_eq!(last.headers, [("trace".to_string(), Some(b"t1".to_vec()))]);
    // Shown to a person, the hostile value carries no control character.
    let text = peek::text("orders", &msgs, &notes);
    assert!(text.contains("evil \\u{1b}]2;pwned\\u{7}"), "{text}");
    assert!(text.chars().all(|c| !c.is_control() || c == '\n'), "{text:?}");
    assert!(text.contains("\"n\": 3"), "JSON values pretty-printed:\n{text}");
    // One partition only.
    let one = peek::peek(
        &props,
        &Request {
            partition: Some(1),
            ..req.clone()
        },
    )
    .unwrap()
    .0;
    assert_eq!(one.iter().map(|m| m.offset).collect::<Vec<_>>(), [0]);
    let seen = common::mock_api_keys(&p);
    for k in [
        RDKafkaApiKey::JoinGroup,
        RDKafkaApiKey::SyncGroup,
        RDKafkaApiKey::Heartbeat,
        RDKafkaApiKey::LeaveGroup,
        RDKafkaApiKey::OffsetCommit,
        RDKafkaApiKey::OffsetFetch,
        RDKafkaApiKey::FindCoordinator,
    ] {
        assert!(!seen.contains(&(k as i16)), "peek sent {k:?}: {seen:?}");
    }
    assert!(seen.contains(&(RDKafkaApiKey::Fetch as i16)), "{seen:?}");
    drop(p);
}
