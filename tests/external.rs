//! Opt-in suite: tests that need tools a fresh machine lacks. `.ci/run` installs the
//! tools and runs these with `--ignored`; run without the tools they fail, never skip.

mod common;
use std::process::Command;

fn tool(name: &str) -> std::path::PathBuf {
    let out = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "`{name}` is not installed: this opt-in test needs it (apt-get install graphviz, or run .ci/run)"
    );
    String::from_utf8(out.stdout).unwrap().trim().into()
}

#[test]
#[ignore = "opt-in: needs Graphviz `dot` (installed by .ci/run)"]
fn graphviz_renders_the_dot_export_unchanged() {
    let dot = tool("dot");
    for registry in ["registry.yaml", "assets/registries/enterprise-agent-platform.yaml"] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("topology.dot");
        let status = Command::new(env!("CARGO_BIN_EXE_ktopo"))
            .current_dir(common::root())
            .args(["export", "--format", "dot", "-r", registry, "-o"])
            .arg(&file)
            .status()
            .unwrap();
        assert!(status.success());
        let out = Command::new(&dot).arg("-Tsvg").arg(&file).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && err.trim().is_empty(),
            "dot rejected the export of {registry}: {err}"
        );
        let svg = String::from_utf8(out.stdout).unwrap();
        assert!(svg.contains("<svg"));
        assert!(svg.contains("class=\"cluster\""), "domains are drawn as clusters");
    }
}

#[test]
#[ignore = "opt-in: needs librsvg's `rsvg-convert` (installed by .ci/run)"]
fn a_real_renderer_draws_the_svg_map() {
    let rsvg = tool("rsvg-convert");
    for registry in ["registry.yaml", "assets/registries/enterprise-agent-platform.yaml"] {
        let dir = tempfile::tempdir().unwrap();
        let svg = dir.path().join("map.svg");
        let png = dir.path().join("map.png");
        let status = Command::new(env!("CARGO_BIN_EXE_ktopo"))
            .current_dir(common::root())
            .args(["export", "--format", "svg", "-r", registry, "-o"])
            .arg(&svg)
            .status()
            .unwrap();
        assert!(status.success());
        let out = Command::new(&rsvg).arg("-o").arg(&png).arg(&svg).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && err.trim().is_empty(),
            "rsvg-convert rejected {registry}'s map: {err}"
        );
        let bytes = std::fs::read(&png).unwrap();
        assert_eq!(&bytes[1..4], b"PNG");
        // The PNG is as large as the SVG says (IHDR width and height).
        let (w, h) = (
            u32::from_be_bytes(bytes[16..20].try_into().unwrap()),
            u32::from_be_bytes(bytes[20..24].try_into().unwrap()),
        );
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.contains(&format!("width=\"{w}\" height=\"{h}\"")), "{w}x{h}");
        assert!(w > 400 && h > 100, "{w}x{h}");
    }
}

/// Create topics on a test broker (a fixture step: ktopo itself never creates any).
fn create_topics(addr: &str, topics: &[rdkafka::admin::NewTopic]) {
    use rdkafka::admin::{AdminClient, AdminOptions};
    let admin: AdminClient<rdkafka::client::DefaultClientContext> = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", addr)
        .create()
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let created = rt.block_on(admin.create_topics(topics, &AdminOptions::new())).unwrap();
    assert!(created.iter().all(|r| r.is_ok()), "{created:?}");
}

/// A tansu broker on a free loopback port, stopped when dropped.
struct Tansu {
    child: std::process::Child,
    addr: String,
}

impl Drop for Tansu {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_tansu() -> Tansu {
    let bin = tool("tansu");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let url = format!("tcp://{addr}");
    let child = Command::new(bin)
        .args(["broker", "--listener-url", &url, "--advertised-listener-url", &url])
        .args(["--storage-engine", "memory://tansu/", "--silent"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("tansu starts");
    let t = Tansu { child, addr };
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(&t.addr).is_err() {
        assert!(std::time::Instant::now() < until, "tansu did not listen on {}", t.addr);
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    t
}

#[test]
#[ignore = "opt-in: needs the tansu broker (installed by .ci/run)"]
fn lag_json_matches_a_real_broker() {
    use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
    use rdkafka::client::DefaultClientContext;
    use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
    use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
    use rdkafka::{ClientConfig, Message, Offset, TopicPartitionList};
    use std::time::{Duration, Instant};

    let broker = start_tansu();
    let cfg = |extra: &[(&str, &str)]| {
        let mut c = ClientConfig::new();
        c.set("bootstrap.servers", &broker.addr);
        for (k, v) in extra {
            c.set(*k, *v);
        }
        c
    };
    let admin: AdminClient<DefaultClientContext> = cfg(&[]).create().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let created = rt
        .block_on(admin.create_topics(
            &[NewTopic::new("orders", 3, TopicReplication::Fixed(1))],
            &AdminOptions::new(),
        ))
        .unwrap();
    assert!(created.iter().all(|r| r.is_ok()), "{created:?}");

    // tansu's memory storage counts batches in ListOffsets: one message per batch.
    let producer: BaseProducer = cfg(&[("batch.num.messages", "1"), ("linger.ms", "0")])
        .create()
        .unwrap();
    let produce = |p: i32, n: usize| {
        for i in 0..n {
            let payload = format!("m{i}");
            producer
                .send(BaseRecord::<(), _>::to("orders").partition(p).payload(&payload))
                .unwrap();
            producer.flush(Duration::from_secs(10)).unwrap();
        }
    };
    produce(0, 7);
    produce(1, 4);

    // A real subscribing group reads everything and commits, then more arrives on p0.
    let sub: BaseConsumer = cfg(&[
        ("group.id", "sub_group"),
        ("auto.offset.reset", "earliest"),
        ("enable.auto.commit", "false"),
    ])
    .create()
    .unwrap();
    sub.subscribe(&["orders"]).unwrap();
    let mut read = 0;
    let until = Instant::now() + Duration::from_secs(60);
    while read < 11 {
        assert!(Instant::now() < until, "subscribing consumer read only {read} of 11");
        if let Some(Ok(m)) = sub.poll(Duration::from_millis(200)) {
            let _ = m.offset();
            read += 1;
        }
    }
    sub.commit_consumer_state(CommitMode::Sync).unwrap();
    produce(0, 3);

    // A standalone committer: p0 at 2, p1 at 4, nothing on p2.
    let standalone: BaseConsumer = cfg(&[("group.id", "billing_orders_consumer"), ("enable.auto.commit", "false")])
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset("orders", 0, Offset::Offset(2)).unwrap();
    tpl.add_partition_offset("orders", 1, Offset::Offset(4)).unwrap();
    standalone.commit(&tpl, CommitMode::Sync).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry.yaml");
    std::fs::write(
        &reg,
        "services:\n  - {key: billing, name: Billing}\n  - {key: shop, name: Shop}\n\
         topics:\n  - {name: orders, producers: [shop], consumers: [billing]}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ktopo"))
        .arg("lag")
        .arg("--json")
        .args(["--samples", "1", "-b", &broker.addr, "-r"])
        .arg(&reg)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // (partition, committed, log end, lag)
    type Row = (i64, Option<i64>, Option<i64>, Option<i64>);
    let rows = |group: &str| -> Vec<Row> {
        let mut r: Vec<_> = v["partitions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["group"] == group && p["topic"] == "orders")
            .map(|p| {
                (
                    p["partition"].as_i64().unwrap(),
                    p["committed"].as_i64(),
                    p["log_end"].as_i64(),
                    p["lag"].as_i64(),
                )
            })
            .collect();
        r.sort();
        r
    };
    assert_eq!(
        rows("billing_orders_consumer"),
        [
            (0, Some(2), Some(10), Some(8)),
            (1, Some(4), Some(4), Some(0)),
            (2, None, Some(0), None)
        ],
        "{v}"
    );
    // Discovered through ListGroups/DescribeGroups: not in the registry.
    assert_eq!(
        rows("sub_group"),
        [
            (0, Some(7), Some(10), Some(3)),
            (1, Some(4), Some(4), Some(0)),
            (2, None, Some(0), None)
        ],
        "{v}"
    );
    let sub_row = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "sub_group")
        .unwrap();
    assert_eq!(sub_row["declared"], false);
    assert_eq!(sub_row["total_lag"], 3);
    assert_eq!(sub_row["state"], "Stable");
    assert_eq!(sub_row["members"], 1);
    // One sample cannot date the lag on p0: unknown, not 0 s.
    assert_eq!(sub_row["time_lag_s"], serde_json::Value::Null);
    drop(sub);
}

#[test]
#[ignore = "opt-in: needs the tansu broker (installed by .ci/run)"]
fn lag_at_scale_on_a_real_broker_every_group_exact_with_members() {
    use ktopo::kafka::admin::{Admin, GroupCommit};
    use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
    use rdkafka::client::DefaultClientContext;
    use rdkafka::consumer::{BaseConsumer, Consumer};
    use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
    use rdkafka::ClientConfig;
    use std::time::{Duration, Instant};
    const TOPICS: usize = 20;
    const GROUPS: usize = 300;

    let broker = start_tansu();
    let cfg = |extra: &[(&str, &str)]| {
        let mut c = ClientConfig::new();
        c.set("bootstrap.servers", &broker.addr);
        for (k, v) in extra {
            c.set(*k, *v);
        }
        c
    };
    let names: Vec<String> = (0..TOPICS).map(|t| format!("t{t}_events")).collect();
    let admin: AdminClient<DefaultClientContext> = cfg(&[]).create().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let new: Vec<NewTopic> = names
        .iter()
        .map(|n| NewTopic::new(n, 10, TopicReplication::Fixed(1)))
        .collect();
    let created = rt.block_on(admin.create_topics(&new, &AdminOptions::new())).unwrap();
    assert!(created.iter().all(|r| r.is_ok()), "{created:?}");
    // tansu's memory storage counts batches in ListOffsets: one message per batch.
    let producer: BaseProducer = cfg(&[("batch.num.messages", "1"), ("linger.ms", "0")])
        .create()
        .unwrap();
    let end = |t: usize, p: usize| ((t + p) % 3 + 1) as i64;
    for (t, name) in names.iter().enumerate() {
        for p in 0..10 {
            for _ in 0..end(t, p) {
                producer
                    .send(BaseRecord::<(), _>::to(name).partition(p as i32).payload("x"))
                    .unwrap();
                producer.flush(Duration::from_secs(10)).unwrap();
            }
        }
    }
    // Group g commits min(end, g % 4) on every partition of topic g % TOPICS.
    let committed = |g: usize, p: usize| end(g % TOPICS, p).min((g % 4) as i64);
    let group = |g: usize| format!("svc{g}_t{}_events_consumer", g % TOPICS);
    let groups: Vec<String> = (0..GROUPS).map(group).collect();
    let commits: Vec<GroupCommit> = (0..GROUPS)
        .map(|g| {
            (
                groups[g].clone(),
                (0..10)
                    .map(|p| (names[g % TOPICS].as_str(), p as i32, committed(g, p)))
                    .collect(),
            )
        })
        .collect();
    let committer = Admin::create(&cfg(&[])).unwrap();
    for r in committer.alter_group_offsets(&commits, Duration::from_secs(60)) {
        r.unwrap();
    }
    // A live subscribing group, so members, hosts and client ids show.
    let sub: BaseConsumer = cfg(&[
        ("group.id", "live_reader"),
        ("client.id", "ktopo-live-reader"),
        ("auto.offset.reset", "earliest"),
        ("enable.auto.commit", "false"),
    ])
    .create()
    .unwrap();
    sub.subscribe(&["t0_events"]).unwrap();
    let until = Instant::now() + Duration::from_secs(60);
    while sub.assignment().map(|a| a.count()).unwrap_or(0) == 0 {
        assert!(Instant::now() < until, "the subscriber got no assignment");
        let _ = sub.poll(Duration::from_millis(100));
    }
    // tansu lists (and describes) only groups that have committed.
    let mut at = rdkafka::TopicPartitionList::new();
    for p in 0..10 {
        at.add_partition_offset("t0_events", p, rdkafka::Offset::Offset(1))
            .unwrap();
    }
    sub.commit(&at, rdkafka::consumer::CommitMode::Sync).unwrap();

    // Nothing declared: every group is discovered (ListGroups) and read in one round.
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry.yaml");
    std::fs::write(
        &reg,
        "services:\n  - {key: shop, name: Shop}\ntopics:\n  - {name: t0_events, producers: [shop]}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ktopo"))
        .args(["lag", "--json", "--samples", "1", "-b", &broker.addr, "-r"])
        .arg(&reg)
        .output()
        .unwrap();
    let _ = sub.poll(Duration::from_millis(10));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], serde_json::json!([]), "{}", v["errors"]);
    let parts = v["partitions"].as_array().unwrap();
    for (g, name) in groups.iter().enumerate() {
        let mut rows: Vec<(i64, i64, i64)> = parts
            .iter()
            .filter(|p| p["group"] == name.as_str())
            .map(|p| {
                (
                    p["partition"].as_i64().unwrap(),
                    p["committed"].as_i64().unwrap(),
                    p["log_end"].as_i64().unwrap(),
                )
            })
            .collect();
        rows.sort();
        let want: Vec<(i64, i64, i64)> = (0..10)
            .map(|p| (p as i64, committed(g, p), end(g % TOPICS, p)))
            .collect();
        assert_eq!(rows, want, "{name}");
    }
    // tansu 0.6's DescribeGroups names the member (its id starts with the client id)
    // but leaves client id, host and assignment empty; the mapping from assignment to
    // partition owners is covered with scripted data in tests/tui_lag_members.rs.
    let row = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "live_reader")
        .unwrap();
    assert_eq!(row["members"], 1, "{row}");
    assert_eq!(row["state"], "Stable", "{row}");
    let member = &row["member_list"][0];
    assert!(
        member["consumer_id"].as_str().unwrap().starts_with("ktopo-live-reader"),
        "{row}"
    );
    drop(sub);
}

#[test]
#[ignore = "opt-in: needs the tansu broker (installed by .ci/run)"]
fn drift_against_a_real_broker_reads_configs_and_sees_undeclared_consumers() {
    use rdkafka::admin::{NewTopic, TopicReplication};
    use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
    use rdkafka::ClientConfig;
    use std::time::{Duration, Instant};

    let broker = start_tansu();
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", &broker.addr);
    let topics = [
        NewTopic::new("orders_events", 3, TopicReplication::Fixed(1)).set("retention.ms", "3600000"),
        NewTopic::new("handmade_dump", 1, TopicReplication::Fixed(1)),
        NewTopic::new("old_orders_events", 2, TopicReplication::Fixed(1)),
    ];
    create_topics(&broker.addr, &topics);
    // A live consumer nobody declared, with a commit (tansu lists only such groups).
    let sub: BaseConsumer = cfg
        .clone()
        .set("group.id", "AdHoc.Reader")
        .set("enable.auto.commit", "false")
        .create()
        .unwrap();
    sub.subscribe(&["orders_events"]).unwrap();
    let until = Instant::now() + Duration::from_secs(60);
    while sub.assignment().map(|a| a.count()).unwrap_or(0) == 0 {
        assert!(Instant::now() < until, "no assignment");
        let _ = sub.poll(Duration::from_millis(100));
    }
    let mut at = rdkafka::TopicPartitionList::new();
    at.add_partition_offset("orders_events", 0, rdkafka::Offset::Offset(0))
        .unwrap();
    sub.commit(&at, CommitMode::Sync).unwrap();
    // A residual write on the deprecated topic: drift says when it was last written.
    let producer: rdkafka::producer::BaseProducer = cfg.create().unwrap();
    producer
        .send(
            rdkafka::producer::BaseRecord::<(), _>::to("old_orders_events")
                .partition(1)
                .payload("late"),
        )
        .unwrap();
    rdkafka::producer::Producer::flush(&producer, Duration::from_secs(30)).unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_ktopo"))
        .current_dir(common::root())
        .args([
            "drift",
            "--json",
            "--samples",
            "2",
            "--env",
            "development",
            "-b",
            &broker.addr,
            "-r",
        ])
        .arg(common::fixture("drift.yaml"))
        .output()
        .unwrap();
    let _ = sub.poll(Duration::from_millis(10));
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let has = |kind: &str, subject: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == kind && f["subject"] == subject)
    };
    assert!(has("partitions", "orders_events"), "{v}");
    assert!(has("undeclared-topic", "handmade_dump"), "{v}");
    assert!(has("missing-topic", "payments_events"), "{v}");
    assert!(has("undeclared-consumer", "AdHoc.Reader"), "{v}");
    assert!(has("retention", "orders_events"), "DescribeConfigs read: {v}");
    let old = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "deprecated-present" && f["subject"] == "old_orders_events")
        .unwrap();
    assert!(old["message"].as_str().unwrap().contains("; last written 20"), "{old}");
    assert_eq!(v["environment"], "development");
    drop(sub);
}

#[test]
#[ignore = "opt-in: needs the tansu broker (installed by .ci/run)"]
fn peek_reads_a_topic_written_by_a_real_producer() {
    use rdkafka::admin::{NewTopic, TopicReplication};
    use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
    use rdkafka::ClientConfig;
    use std::time::Duration;

    let broker = start_tansu();
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", &broker.addr);
    create_topics(
        &broker.addr,
        &[NewTopic::new("payments_events", 2, TopicReplication::Fixed(1))],
    );
    let producer: BaseProducer = cfg.create().unwrap();
    for i in 0..5 {
        let v = format!(r#"{{"event_type":"payment_{i}","source_service":"billing","n":{i}}}"#);
        producer
            .send(
                BaseRecord::<str, _>::to("payments_events")
                    .partition(1)
                    .payload(&v)
                    .key("k"),
            )
            .unwrap();
        // One record a batch: tansu 0.6 reports a batch's records at one offset.
        producer.flush(Duration::from_secs(30)).unwrap();
    }

    let out = Command::new(env!("CARGO_BIN_EXE_ktopo"))
        .current_dir(common::root())
        .args(["peek", "payments_events", "-n", "2", "--json", "-b", &broker.addr, "-r"])
        .arg(common::fixture("drift.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(i64, i64, String)> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["partition"].as_i64().unwrap(),
                m["offset"].as_i64().unwrap(),
                m["value"]["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got.len(), 2, "{v}");
    assert_eq!((got[0].0, got[0].1), (1, 4), "newest first: {v}");
    assert_eq!((got[1].0, got[1].1), (1, 3), "{v}");
    assert!(got[0].2.contains("payment_4"), "{v}");
}
