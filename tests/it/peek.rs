//! Peek against the mock cluster: the last N messages exactly, newest first, hostile
//! bytes made visible, and request tracking proves no group is involved at all.

use crate::common;
use ktopo::cluster::kafka::config::Properties;
use ktopo::cluster::kafka::peek::{self, Request};
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
    assert_eq!(last.key, Some(peek::Cut::whole(b"k4")));
    assert_eq!(
        last.headers,
        [peek::Header::Kept(
            peek::Cut::whole(b"trace"),
            Some(peek::Cut::whole(b"t1"))
        )]
    );
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

/// A one-partition topic `t` on a fresh mock cluster, and properties to reach it.
fn cluster() -> (BaseProducer, Properties) {
    let p: BaseProducer = ClientConfig::new()
        .set("test.mock.num.brokers", "1")
        .set("linger.ms", "0")
        .create()
        .unwrap();
    let bootstrap = {
        let m = p.client().mock_cluster().unwrap();
        m.create_topic("t", 1, 1).unwrap();
        m.bootstrap_servers()
    };
    let mut props = Properties::default();
    props.set("bootstrap.servers", &bootstrap);
    (p, props)
}

fn send(p: &BaseProducer, key: Option<&[u8]>, headers: &[(&str, &[u8])], value: Option<&[u8]>) {
    let mut h = OwnedHeaders::new();
    for (k, v) in headers {
        h = h.insert(Header {
            key: k,
            value: Some(*v),
        });
    }
    let mut r = BaseRecord::<[u8], [u8]>::to("t").partition(0).headers(h);
    if let Some(k) = key {
        r = r.key(k);
    }
    if let Some(v) = value {
        r = r.payload(v);
    }
    p.send(r).map_err(|(e, _)| e).unwrap();
    p.flush(Duration::from_secs(10)).unwrap();
}

fn read(props: &Properties, value_cap: usize, total_cap: usize) -> (Vec<peek::Peeked>, Vec<String>) {
    let req = Request {
        topic: "t".into(),
        last: 100,
        partition: None,
        timeout: Duration::from_secs(10),
        value_cap,
        total_cap,
    };
    peek::peek(props, &req).unwrap()
}

#[test]
fn json_values_are_shown_as_written_however_big_or_deep() {
    let (p, props) = cluster();
    send(
        &p,
        None,
        &[],
        Some(br#"{"big":123456789012345678901234567890,"huge":1e400,"a":1,"a":2,"f":1.50}"#),
    );
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    send(&p, None, &[], Some(deep.as_bytes()));
    let (msgs, notes) = read(&props, 64 << 10, 1 << 20);
    let text = peek::text("t", &msgs, &notes);
    for want in [
        "\"big\": 123456789012345678901234567890,",
        "\"huge\": 1e400,",
        "\"a\": 1,",
        "\"a\": 2,",
        "\"f\": 1.50",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    // Deeper than serde_json's recursion limit (128), still valid: pretty-printed too.
    let opened = text.lines().filter(|l| l.trim_end().ends_with('[')).count();
    assert_eq!(opened, 299, "one line per opened array, the innermost `[]`:\n{text}");
    drop(p);
}

#[test]
fn text_cut_inside_a_character_is_cut_before_it_and_said() {
    let (p, props) = cluster();
    // 'x' then two-byte characters: byte 1024 is the middle of one.
    let s = format!("x{}", "é".repeat(1000));
    send(&p, Some(s.as_bytes()), &[("h", s.as_bytes())], Some(s.as_bytes()));
    let (msgs, notes) = read(&props, 1024, 1 << 20);
    let text = peek::text("t", &msgs, &notes);
    let kept = format!("x{}", "é".repeat(511));
    assert!(!text.contains("c3 a9"), "text, not hex:\n{text}");
    assert!(text.contains(&format!("key {kept} … 978 more bytes")), "{text}");
    assert!(
        text.contains(&format!("   │ {kept}\n   … 978 more bytes not shown")),
        "{text}"
    );
    let j = peek::json("t", &msgs, &notes);
    let m = &j["messages"][0];
    assert_eq!(m["value"]["text"], kept.as_str(), "{j}");
    assert_eq!(m["value"]["more_bytes"], 978, "{j}");
    assert_eq!(m["key"]["text"], kept.as_str(), "{j}");
    assert_eq!(m["key"]["more_bytes"], 978, "{j}");
    // The headers share the cap: the name's byte, then 1,023 bytes of the value.
    let h = &m["headers"][0];
    assert_eq!(h["value"]["text"], kept.as_str(), "{j}");
    assert_eq!(h["value"]["more_bytes"], 978, "{j}");
    drop(p);
}

#[test]
fn every_cut_is_said_keys_header_names_and_headers_past_the_count() {
    let (p, props) = cluster();
    let names: Vec<String> = (0..300).map(|i| format!("h{i}")).collect();
    let many: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"v"[..])).collect();
    let key = "k".repeat(5000);
    send(&p, Some(key.as_bytes()), &many, Some(b"one"));
    let long = "n".repeat(5000);
    send(&p, None, &[(long.as_str(), b"v")], Some(b"two"));
    let (msgs, notes) = read(&props, 4096, 1 << 20);
    let text = peek::text("t", &msgs, &notes);
    assert!(
        text.contains(&format!("key {} … 904 more bytes", "k".repeat(4096))),
        "{text}"
    );
    assert!(text.contains("   h255: v\n   … 44 more headers not kept\n"), "{text}");
    assert!(
        text.contains(&format!("   {} … 904 more bytes: … 1 more byte\n", "n".repeat(4096))),
        "the name fills the cap, the value is cut to nothing:\n{text}"
    );
    let j = peek::json("t", &msgs, &notes);
    let (two, one) = (&j["messages"][0], &j["messages"][1]);
    assert_eq!(one["key"]["more_bytes"], 904, "{j}");
    assert_eq!(one["headers"].as_array().unwrap().len(), 256);
    assert_eq!(one["headers_not_kept"], 44);
    assert_eq!(two["headers"][0]["key"], "n".repeat(4096));
    assert_eq!(two["headers"][0]["key_more_bytes"], 904);
    assert_eq!(two["headers"][0]["value"]["more_bytes"], 1);
    assert_eq!(two["headers_not_kept"], 0);
    drop(p);
}

/// Bytes a message keeps: key, header names and values, value.
fn kept(m: &peek::Peeked) -> (usize, usize) {
    let headers: usize = m
        .headers
        .iter()
        .map(|h| match h {
            peek::Header::Kept(k, v) => k.bytes.len() + v.as_ref().map_or(0, |v| v.bytes.len()),
            peek::Header::NotKept(_) => 0,
        })
        .sum();
    let rest = m.key.as_ref().map_or(0, |k| k.bytes.len()) + m.value.as_ref().map_or(0, Vec::len);
    (headers, headers + rest)
}

#[test]
fn headers_count_against_the_value_cap_and_the_total_cap() {
    let (p, props) = cluster();
    let big = vec![b'h'; 10_000];
    let headers: Vec<(&str, &[u8])> = (0..10).map(|_| ("x", &big[..])).collect();
    for _ in 0..20 {
        send(&p, Some(b"k"), &headers, Some(b"v"));
    }
    let (msgs, notes) = read(&props, 1024, 8 << 10);
    let total: usize = msgs.iter().map(|m| kept(m).1).sum();
    assert!(total <= 8 << 10, "{total} bytes kept in all");
    for m in &msgs {
        assert!(kept(m).0 <= 1024, "a message's headers keep {} bytes", kept(m).0);
    }
    assert!(msgs.len() < 20, "reading stopped at the total cap");
    assert!(notes.iter().any(|n| n.contains("byte cap")), "{notes:?}");
    drop(p);
}

#[test]
fn nothing_in_a_message_writes_a_line_of_its_own() {
    let (p, props) = cluster();
    let forged =
        |n: u8| format!("\n── t [0] @9{n} · 2026-01-01T00:00:00.000Z · key forged\n   trace: t1\nnote: forged");
    send(
        &p,
        Some(format!("k{}", forged(1)).as_bytes()),
        &[(&format!("h{}", forged(2)), format!("v{}", forged(3)).as_bytes())],
        Some(format!("text{}", forged(4)).as_bytes()),
    );
    send(&p, None, &[], Some(format!("[\"a\",\n\"b\"]{}", forged(5)).as_bytes()));
    let (msgs, notes) = read(&props, 4096, 1 << 20);
    let text = peek::text("t", &msgs, &notes);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.iter().filter(|l| l.starts_with("──")).count(), 2, "{text}");
    assert!(!lines.iter().any(|l| l.starts_with("note")), "{text}");
    // Whatever a message holds is on indented lines under its own header; values
    // behind a gutter, so a value's line cannot pass for a header or a note of ktopo.
    for l in &lines[..lines.len() - 1] {
        assert!(l.starts_with("── t [0] @") || l.starts_with("   "), "{l:?} in\n{text}");
        assert!(!l.starts_with("   trace"), "a forged header: {l:?} in\n{text}");
    }
    assert!(text.contains("key k\\n── t [0] @91"), "{text}");
    assert!(text.contains("   h\\n── t [0] @92"), "{text}");
    assert!(text.contains(": v\\n── t [0] @93"), "{text}");
    assert!(text.contains("   │ text\n   │ ── t [0] @94"), "{text}");
    drop(p);
}
