//! Opt-in suite: tests that need tools a fresh machine lacks. `.ci/run` installs the
//! tools and runs these with `--ignored`; run without the tools they fail, never skip.

use crate::common;
use std::process::Command;

pub(crate) fn tool(name: &str) -> std::path::PathBuf {
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

/// A PNG's width and height (its IHDR chunk).
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[1..4], b"PNG");
    let be = |r: std::ops::Range<usize>| u32::from_be_bytes(bytes[r].try_into().unwrap());
    (be(16..20), be(20..24))
}

#[test]
#[ignore = "opt-in: needs librsvg's `rsvg-convert` (installed by .ci/run)"]
fn a_real_renderer_draws_a_focused_svg_at_the_size_it_declares() {
    let rsvg = tool("rsvg-convert");
    let dir = tempfile::tempdir().unwrap();
    let (svg, png) = (dir.path().join("part.svg"), dir.path().join("part.png"));
    let status = Command::new(env!("CARGO_BIN_EXE_ktopo"))
        .current_dir(common::root())
        .args([
            "export",
            "--format",
            "svg",
            "--focus",
            "service:research_engine",
            "--depth",
            "2",
            "-o",
        ])
        .arg(&svg)
        .status()
        .unwrap();
    assert!(status.success());
    let out = Command::new(&rsvg).arg("-o").arg(&png).arg(&svg).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (w, h) = png_size(&std::fs::read(&png).unwrap());
    // A page-sized picture in one part (the whole platform is ~10,000 px wide).
    assert!(w <= 1200 && h <= 800 && w > 300, "{w}x{h}");
    let text = std::fs::read_to_string(&svg).unwrap();
    for name in ["Research Engine (1)", "research_events", "Agent Copilot (21)"] {
        assert!(text.contains(name), "{name} missing");
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
        // The PNG is as large as the SVG says.
        let (w, h) = png_size(&bytes);
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.contains(&format!("width=\"{w}\" height=\"{h}\"")), "{w}x{h}");
        assert!(w > 400 && h > 100, "{w}x{h}");
        // Wrapped onto strips that fit a 1,280 px page (registry.yaml's map is ~10,000 px wide).
        assert!(w <= 1280, "{registry}: {w} px wide");
        if registry == "registry.yaml" {
            assert!(text.contains("part 2 of "), "{registry}: not wrapped");
        }
    }
}

/// Create topics on a test broker (a fixture step: ktopo itself never creates any).
pub(crate) fn create_topics(addr: &str, topics: &[rdkafka::admin::NewTopic]) {
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
pub(crate) struct Tansu {
    child: std::process::Child,
    pub(crate) addr: String,
}

impl Drop for Tansu {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start_tansu() -> Tansu {
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
    use ktopo::cluster::kafka::admin::{Admin, GroupCommit};
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

/// Real consumers at four commit cadences and two speeds, watched by `ktopo lag --watch`
/// for three minutes: after a warm-up each shows its expected status at every report,
/// and no status flips between healthy (OK, IDLE) and a problem. `KTOPO_BIN` runs
/// another build of ktopo instead (to measure an older one: it reads its pretty JSON
/// documents too, without the "reason" field).
#[test]
#[ignore = "opt-in: needs the tansu broker (installed by .ci/run)"]
fn statuses_hold_for_real_consumers_of_every_commit_cadence() {
    use rdkafka::admin::{NewTopic, TopicReplication};
    use rdkafka::consumer::{BaseConsumer, Consumer};
    use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
    use rdkafka::ClientConfig;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
    use std::sync::{mpsc, Arc};
    use std::thread::{sleep, JoinHandle};
    use std::time::{Duration, Instant};

    const RATE_MS: u64 = 50; // 20 messages a second over the 3 partitions
    const LEAD: Duration = Duration::from_secs(8);
    const WATCH: Duration = Duration::from_secs(180);
    const WARM_UP_S: f64 = 100.0;
    // Group, auto.commit.interval.ms, pause per message (ms), expected status.
    const CONSUMERS: [(&str, &str, u64, &str); 4] = [
        ("commits_every_second", "1000", 0, "OK"),
        ("commits_every_30s", "30000", 0, "OK"),
        ("half_speed_every_second", "1000", 100, "WARN"),
        ("half_speed_every_30s", "30000", 100, "WARN"),
    ];

    /// Stops the clients and kills ktopo however the test ends (an assertion included).
    struct Guard {
        stop: Arc<AtomicBool>,
        child: Option<std::process::Child>,
    }
    impl Drop for Guard {
        fn drop(&mut self) {
            self.stop.store(true, Relaxed);
            if let Some(c) = &mut self.child {
                let _ = c.kill();
                let _ = c.wait();
            }
        }
    }

    let broker = start_tansu();
    create_topics(&broker.addr, &[NewTopic::new("orders", 3, TopicReplication::Fixed(1))]);
    let mut guard = Guard {
        stop: Arc::new(AtomicBool::new(false)),
        child: None,
    };
    let began = Instant::now();
    let mut threads: Vec<(&str, JoinHandle<u64>)> = Vec::new();

    // The producer, on a schedule (message n at n × 50 ms), one message a batch (tansu's
    // memory storage counts batches in ListOffsets).
    let produced = Arc::new(AtomicU64::new(0));
    threads.push(("producer", {
        let (stop, addr, produced) = (guard.stop.clone(), broker.addr.clone(), produced.clone());
        std::thread::spawn(move || {
            let producer: BaseProducer = ClientConfig::new()
                .set("bootstrap.servers", &addr)
                .set("batch.num.messages", "1")
                .set("linger.ms", "0")
                .create()
                .unwrap();
            let start = Instant::now();
            let mut n = 0u64;
            while !stop.load(Relaxed) {
                let due = start + Duration::from_millis(RATE_MS * n);
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    sleep(wait.min(Duration::from_millis(100)));
                    continue;
                }
                let payload = format!("order {n}");
                let record = BaseRecord::<(), _>::to("orders")
                    .partition((n % 3) as i32)
                    .payload(&payload);
                if let Err((e, _)) = producer.send(record) {
                    eprintln!("producer: {e}");
                    sleep(Duration::from_millis(100));
                    continue;
                }
                // No flush per message: a round trip to tansu takes about 100 ms.
                producer.poll(Duration::ZERO);
                n += 1;
                produced.store(n, Relaxed);
            }
            let _ = producer.flush(Duration::from_secs(5));
            n
        })
    }));

    // Real subscribing consumers with librdkafka's auto-commit at their own cadence.
    let read: Vec<Arc<AtomicU64>> = CONSUMERS.iter().map(|_| Arc::new(AtomicU64::new(0))).collect();
    for (i, &(group, every_ms, pause_ms, _)) in CONSUMERS.iter().enumerate() {
        let (stop, addr, read) = (guard.stop.clone(), broker.addr.clone(), read[i].clone());
        threads.push((
            group,
            std::thread::spawn(move || {
                let c: BaseConsumer = ClientConfig::new()
                    .set("bootstrap.servers", &addr)
                    .set("group.id", group)
                    .set("client.id", group)
                    .set("auto.offset.reset", "earliest")
                    .set("enable.auto.commit", "true")
                    .set("auto.commit.interval.ms", every_ms)
                    .create()
                    .unwrap();
                c.subscribe(&["orders"]).unwrap();
                let mut errors = 0;
                while !stop.load(Relaxed) {
                    match c.poll(Duration::from_millis(100)) {
                        Some(Ok(_)) => {
                            read.fetch_add(1, Relaxed);
                            if pause_ms > 0 {
                                sleep(Duration::from_millis(pause_ms));
                            }
                        }
                        Some(Err(e)) => {
                            errors += 1;
                            if errors <= 5 {
                                eprintln!("{group}: {e}");
                            }
                        }
                        None => {}
                    }
                }
                read.load(Relaxed)
            }),
        ));
    }
    // A few seconds of a head start, every consumer reading.
    let until = Instant::now() + Duration::from_secs(60);
    while began.elapsed() < LEAD || read.iter().any(|r| r.load(Relaxed) == 0) {
        assert!(Instant::now() < until, "not every consumer reads: {read:?}");
        sleep(Duration::from_millis(200));
    }

    // Nothing declared but the producer: tansu lists the groups once they commit.
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry.yaml");
    std::fs::write(
        &reg,
        "services:\n  - {key: shop, name: Shop}\ntopics:\n  - {name: orders, producers: [shop]}\n",
    )
    .unwrap();
    let bin = std::env::var_os("KTOPO_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_ktopo").into());
    let err_file = dir.path().join("ktopo.stderr");
    let mut child = Command::new(&bin)
        .args([
            "lag",
            "--watch",
            "--json",
            "-b",
            &broker.addr,
            "--interval",
            "5",
            "--topic",
            "orders",
            "-r",
        ])
        .arg(&reg)
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(&err_file).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    let stdout = child.stdout.take().unwrap();
    guard.child = Some(child);
    let watch_began = Instant::now();
    // NDJSON, or pretty documents one after another (older builds): a stream of values.
    let (tx, rx) = mpsc::channel::<Result<(Instant, serde_json::Value), String>>();
    let reader = std::thread::spawn(move || {
        let docs =
            serde_json::Deserializer::from_reader(std::io::BufReader::new(stdout)).into_iter::<serde_json::Value>();
        for doc in docs {
            let sent = tx.send(doc.map(|v| (Instant::now(), v)).map_err(|e| e.to_string()));
            if sent.is_err() {
                break;
            }
        }
    });
    let mut reports: Vec<(Instant, serde_json::Value)> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    while let Some(left) = WATCH.checked_sub(watch_began.elapsed()) {
        match rx.recv_timeout(left) {
            Ok(Ok(r)) => reports.push(r),
            Ok(Err(e)) => {
                failures.push(format!("unreadable output after {} reports: {e}", reports.len()));
                break;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => break,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                failures.push(format!("ktopo ended early after {} reports", reports.len()));
                break;
            }
        }
    }
    if let Some(c) = &mut guard.child {
        let _ = c.kill();
        let _ = c.wait();
    }
    guard.child = None;
    let _ = reader.join();
    guard.stop.store(true, Relaxed);
    let until = Instant::now() + Duration::from_secs(30);
    while threads.iter().any(|(_, t)| !t.is_finished()) && Instant::now() < until {
        sleep(Duration::from_millis(100));
    }
    let mut counts = Vec::new();
    for (name, t) in threads {
        match t.is_finished() {
            true => counts.push((name, t.join().ok())),
            false => counts.push((name, None)),
        }
    }
    let stderr = std::fs::read_to_string(&err_file).unwrap_or_default();
    eprintln!(
        "ktopo: {}; {} reports in {} s",
        bin.display(),
        reports.len(),
        WATCH.as_secs()
    );
    eprintln!("messages (None: did not stop): {counts:?}");
    if !stderr.trim().is_empty() {
        eprintln!(
            "ktopo's stderr (end):\n{}",
            &stderr[stderr.len().saturating_sub(2000)..]
        );
    }

    let Some(&(first, _)) = reports.first() else {
        panic!("no report at all: {failures:?}\n{stderr}");
    };
    // The fixture did what it says: 20 messages a second, one offset each.
    let (_, last) = reports.last().unwrap();
    let written = produced.load(Relaxed);
    let log_end: i64 = last["partitions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["group"] == CONSUMERS[0].0)
        .filter_map(|p| p["log_end"].as_i64())
        .sum();
    let rate = written as f64 / began.elapsed().as_secs_f64();
    eprintln!("produced {written} ({rate:.1}/s); log ends at the last report: {log_end}");
    if !(18.0..=22.0).contains(&rate) {
        failures.push(format!("the producer wrote {rate:.1} messages a second, not 20"));
    }
    for &(group, _, _, want) in &CONSUMERS {
        // (seconds since the first report, status, reason, sum of the committed offsets)
        let mut seen: Vec<(f64, String, String, Option<i64>)> = Vec::new();
        let mut absent_after_warm_up = 0;
        for (at, doc) in &reports {
            let t = at.duration_since(first).as_secs_f64();
            let row = doc["groups"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|g| g["group"] == group && g["topic"] == "orders");
            let Some(row) = row else {
                absent_after_warm_up += usize::from(t >= WARM_UP_S);
                continue;
            };
            let committed = doc["partitions"].as_array().and_then(|ps| {
                ps.iter()
                    .filter(|p| p["group"] == group && p["topic"] == "orders")
                    .map(|p| p["committed"].as_i64())
                    .sum::<Option<i64>>()
            });
            let status = row["status"].as_str().unwrap_or("?").to_string();
            let reason = row["reason"].as_str().unwrap_or("").to_string();
            seen.push((t, status, reason, committed));
        }
        let mut runs: Vec<(f64, &str, &str)> = Vec::new();
        for (t, s, r, _) in &seen {
            if runs.last().is_none_or(|l| l.1 != s) {
                runs.push((*t, s, r));
            }
        }
        let changes = runs.len().saturating_sub(1);
        let moves = seen.windows(2).filter(|w| w[0].3 != w[1].3).count();
        let path: Vec<&str> = runs.iter().map(|r| r.1).collect();
        eprintln!(
            "{group}: {} reports, {changes} changes: {}  (committed offsets moved at {moves} reports)",
            seen.len(),
            path.join(" > ")
        );
        for (t, s, r) in &runs {
            eprintln!("    {t:6.1} s  {s:<7} {r}");
        }
        if absent_after_warm_up > 0 {
            failures.push(format!(
                "{group}: absent from {absent_after_warm_up} reports after the warm-up"
            ));
        }
        let wrong: Vec<String> = seen
            .iter()
            .filter(|(t, s, _, _)| *t >= WARM_UP_S && s != want)
            .map(|(t, s, r, _)| format!("{t:.0} s {s} ({r})"))
            .collect();
        if !wrong.is_empty() {
            failures.push(format!("{group}: expected {want} after {WARM_UP_S} s, got {wrong:?}"));
        }
        let healthy = |s: &str| matches!(s, "OK" | "IDLE");
        let mut class: Option<bool> = None;
        let mut flips = Vec::new();
        for (t, s, _) in &runs {
            if *s == "UNKNOWN" {
                continue;
            }
            if class.is_some_and(|c| c != healthy(s)) {
                flips.push(format!("{s} at {t:.0} s"));
            }
            class = Some(healthy(s));
        }
        if !flips.is_empty() {
            failures.push(format!(
                "{group}: flipped between healthy and a problem: {}",
                flips.join(", ")
            ));
        }
        if changes > 2 {
            failures.push(format!("{group}: {changes} status changes: {}", path.join(" > ")));
        }
        // The fixture did what it says: commits at the cadence it was given.
        let cadence_ok = match CONSUMERS.iter().find(|c| c.0 == group).unwrap().1 {
            "1000" => moves * 2 >= seen.len(),
            _ => moves * 4 <= seen.len() && moves >= 3,
        };
        if !cadence_ok {
            failures.push(format!(
                "{group}: committed offsets moved at {moves} of {} reports",
                seen.len()
            ));
        }
    }
    let post_warm_up = reports
        .iter()
        .filter(|(at, _)| at.duration_since(first).as_secs_f64() >= WARM_UP_S)
        .count();
    if post_warm_up < 10 {
        failures.push(format!("only {post_warm_up} reports after the warm-up"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[ignore = "opt-in: needs the tansu broker (installed by .ci/run)"]
fn zstd_compressed_messages_are_read_by_peek_and_checked_by_drift() {
    use rdkafka::admin::{NewTopic, TopicReplication};
    use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
    use rdkafka::ClientConfig;
    use std::time::Duration;

    let broker = start_tansu();
    create_topics(
        &broker.addr,
        &[NewTopic::new("payments_events", 1, TopicReplication::Fixed(1))],
    );
    // zstd, the compression most production clusters use: without librdkafka's zstd
    // support every message is "NotImplemented" and the checks silently see nothing.
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", &broker.addr)
        .set("compression.type", "zstd")
        .create()
        .unwrap();
    for i in 0..4 {
        // A producer the registry does not declare, writing an event type nobody declares.
        let v = format!(r#"{{"event_type":"zstd_mystery_{i}","source_service":"rogue","n":{i}}}"#);
        producer
            .send(
                BaseRecord::<str, _>::to("payments_events")
                    .partition(0)
                    .payload(&v)
                    .key("k"),
            )
            .unwrap();
        // One record a batch: tansu 0.6 reports a batch's records at one offset.
        producer.flush(Duration::from_secs(30)).unwrap();
    }
    let ktopo = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ktopo"))
            .current_dir(common::root())
            .args(args)
            .args(["-b", &broker.addr, "-r"])
            .arg(common::fixture("drift.yaml"))
            .output()
            .unwrap()
    };
    let out = ktopo(&["peek", "payments_events", "-n", "4", "--json"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        !stdout.contains("NotImplemented") && !stderr.contains("NotImplemented"),
        "{stdout}"
    );
    for i in 0..4 {
        assert!(
            stdout.contains(&format!("zstd_mystery_{i}")),
            "message {i} decompressed: {stdout}"
        );
    }
    // The observed-events checks read the same messages: the producer they name, which
    // the registry does not declare, is found (undecodable messages would give nothing
    // but a failed check).
    let out = ktopo(&["drift", "--json", "--samples", "4", "--interval", "1"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["failed"], serde_json::json!([]), "{v}");
    let found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["kind"] == "undeclared-producer" && f["subject"] == "rogue" && f["topic"] == "payments_events");
    assert!(found, "the zstd messages were checked: {v}");
}

/// `promtool` on what ktopo ships: a real scrape (text format, partitions included),
/// the alert rules and their unit tests.
#[test]
#[ignore = "opt-in: needs promtool (Debian's prometheus package, installed by .ci/run)"]
fn promtool_passes_a_real_scrape_the_rules_and_their_tests() {
    use std::io::Write;
    let promtool = tool("promtool");
    // The demo cluster: every status, drift findings, the sampler's series.
    let s = crate::serve::serve_with(
        &std::fs::read_to_string(common::root().join("registry.yaml")).unwrap(),
        &["--interval", "0.5", "--partitions"],
    );
    let mut scrape = String::new();
    assert!(common::wait_until(std::time::Duration::from_secs(60), || {
        scrape = crate::serve::get(&s.addr, "/metrics", None).body;
        scrape.contains("ktopo_partition_lag_messages{")
    }));
    let mut check = Command::new(&promtool)
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    check.stdin.take().unwrap().write_all(scrape.as_bytes()).unwrap();
    let out = check.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && said.trim().is_empty(),
        "promtool check metrics: {said}"
    );

    let dir = common::root().join("assets/prometheus");
    for args in [
        ["check", "rules", "ktopo-rules.yml"],
        ["test", "rules", "ktopo-rules.test.yml"],
    ] {
        let out = Command::new(&promtool).args(args).current_dir(&dir).output().unwrap();
        assert!(
            out.status.success(),
            "promtool {}: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A real Prometheus, with ktopo's rules, scraping `ktopo serve` on a real broker,
/// stopped when dropped.
struct Prometheus {
    child: std::process::Child,
    pub(crate) addr: String,
    _dir: tempfile::TempDir,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_prometheus(target: &str) -> Prometheus {
    let bin = tool("prometheus");
    let dir = tempfile::tempdir().unwrap();
    let rules = common::root().join("assets/prometheus/ktopo-rules.yml");
    let config = dir.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global: {{ scrape_interval: 1s, evaluation_interval: 1s }}\n\
             rule_files: [\"{}\"]\n\
             scrape_configs:\n  - job_name: ktopo\n    static_configs: [{{ targets: [\"{target}\"] }}]\n",
            rules.display()
        ),
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(bin)
        .arg(format!("--config.file={}", config.display()))
        .arg(format!("--storage.tsdb.path={}", dir.path().join("data").display()))
        .arg(format!("--web.listen-address={addr}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("prometheus starts");
    let p = Prometheus { child, addr, _dir: dir };
    assert!(
        common::wait_until(std::time::Duration::from_secs(60), || std::net::TcpStream::connect(
            &p.addr
        )
        .is_ok()
            && crate::serve::get(&p.addr, "/-/ready", None).status == 200),
        "prometheus did not get ready on {}",
        p.addr
    );
    p
}

/// Prometheus's instant query API: the result vector.
fn query(prom: &Prometheus, promql: &str) -> Vec<serde_json::Value> {
    let encoded: String = promql
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let r = crate::serve::get(&prom.addr, &format!("/api/v1/query?query={encoded}"), None);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body));
    assert_eq!(v["status"], "success", "{promql}: {v}");
    v["data"]["result"].as_array().cloned().unwrap_or_default()
}

#[test]
#[ignore = "opt-in: needs tansu and prometheus (installed by .ci/run)"]
fn prometheus_scraping_serve_on_tansu_sees_the_planted_lag_and_the_owner_join() {
    use rdkafka::admin::{NewTopic, TopicReplication};
    use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
    use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
    use rdkafka::{ClientConfig, Offset, TopicPartitionList};
    use std::time::Duration;

    let broker = start_tansu();
    create_topics(&broker.addr, &[NewTopic::new("orders", 3, TopicReplication::Fixed(1))]);
    // tansu's memory storage counts batches in ListOffsets: one message per batch.
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", &broker.addr)
        .set("batch.num.messages", "1")
        .set("linger.ms", "0")
        .create()
        .unwrap();
    for i in 0..10 {
        let payload = format!("m{i}");
        producer
            .send(BaseRecord::<(), _>::to("orders").partition(0).payload(&payload))
            .unwrap();
        producer.flush(Duration::from_secs(10)).unwrap();
    }
    let committer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &broker.addr)
        .set("group.id", "billing_orders_consumer")
        .set("enable.auto.commit", "false")
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset("orders", 0, Offset::Offset(4)).unwrap();
    committer.commit(&tpl, CommitMode::Sync).unwrap();

    prometheus_sees_lag_6_and_the_owner_join(&broker.addr);
    drop(committer);
}

/// With billing_orders_consumer 6 behind on `orders` at `broker`: ktopo serve scraped by
/// Prometheus, checked through its HTTP API.
fn prometheus_sees_lag_6_and_the_owner_join(broker: &str) {
    use std::time::Duration;
    let registry = r#"
conventions:
  consumer_group: "{service_name}_{topic_name}_consumer"
services:
  - {key: billing, name: Billing, owner: team-payments, oncall: "pagerduty:payments"}
  - {key: shop, name: Shop}
topics:
  - {name: orders, producers: [shop], consumers: [billing]}
"#;
    let served = crate::serve::serve_with(registry, &["-b", broker, "--interval", "1", "--cluster", "tansu-test"]);
    let prom = start_prometheus(&served.addr);

    let lag = r#"ktopo_group_lag_messages{cluster="tansu-test",group="billing_orders_consumer",topic="orders"}"#;
    let mut got = Vec::new();
    let seen = common::wait_until(Duration::from_secs(90), || {
        got = query(&prom, lag);
        !got.is_empty()
    });
    assert!(seen, "Prometheus never stored the lag series");
    assert_eq!(got[0]["value"][1], "6", "{got:?}");

    // The owner join of the alert rules and the dashboard, through PromQL.
    let joined = query(
        &prom,
        &format!("{lag} * on(cluster, group) group_left(service, owner, oncall) ktopo_group_info"),
    );
    assert_eq!(joined.len(), 1, "{joined:?}");
    assert_eq!(joined[0]["metric"]["owner"], "team-payments");
    assert_eq!(joined[0]["metric"]["oncall"], "pagerduty:payments");
    assert_eq!(joined[0]["metric"]["service"], "billing");
    assert_eq!(joined[0]["value"][1], "6");
    let up = query(&prom, r#"ktopo_sampler_up{cluster="tansu-test"}"#);
    assert_eq!(up[0]["value"][1], "1", "{up:?}");

    // The rules loaded and evaluate; every dashboard query is valid PromQL here.
    let r = crate::serve::get(&prom.addr, "/api/v1/rules", None);
    let rules: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let listed = rules["data"]["groups"][0]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(listed.len(), 7, "{rules}");
    assert!(listed.iter().all(|r| r["health"] != "err"), "{rules}");
    let dashboard: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("assets/grafana/ktopo-dashboard.json")).unwrap(),
    )
    .unwrap();
    for panel in dashboard["panels"].as_array().unwrap() {
        for t in panel["targets"].as_array().unwrap() {
            let expr = t["expr"]
                .as_str()
                .unwrap()
                .replace("$cluster", ".*")
                .replace("$service", ".*");
            query(&prom, &expr);
        }
    }
}

#[test]
#[ignore = "opt-in: needs the tansu broker (installed by .ci/run)"]
fn init_drafts_a_real_broker_with_groups_and_messages_that_checks_and_drifts_clean() {
    use rdkafka::admin::{NewTopic, TopicReplication};
    use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
    use rdkafka::ClientConfig;
    use std::time::{Duration, Instant};

    let broker = start_tansu();
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", &broker.addr);
    create_topics(
        &broker.addr,
        &[
            NewTopic::new("orders_events", 3, TopicReplication::Fixed(1)).set("retention.ms", "604800000"),
            NewTopic::new("audit_log", 1, TopicReplication::Fixed(1)).set("retention.ms", "3600000"),
        ],
    );
    let producer: rdkafka::producer::BaseProducer = cfg.create().unwrap();
    for i in 0..5 {
        let v = format!("{{\"event_id\":\"{i}\",\"source_service\":\"orders\"}}");
        producer
            .send(
                rdkafka::producer::BaseRecord::<(), _>::to("orders_events")
                    .partition(i % 3)
                    .payload(&v),
            )
            .unwrap();
    }
    rdkafka::producer::Producer::flush(&producer, Duration::from_secs(30)).unwrap();
    // One group that follows the convention, one that does not, both with commits.
    let mut groups = Vec::new();
    let join_and_commit = |g: &str| {
        let c: BaseConsumer = cfg
            .clone()
            .set("group.id", g)
            .set("enable.auto.commit", "false")
            .create()
            .unwrap();
        c.subscribe(&["orders_events"]).unwrap();
        let until = Instant::now() + Duration::from_secs(60);
        while c.assignment().map(|a| a.count()).unwrap_or(0) == 0 {
            assert!(Instant::now() < until, "no assignment for {g}");
            let _ = c.poll(Duration::from_millis(100));
        }
        let mut at = rdkafka::TopicPartitionList::new();
        for p in 0..3 {
            at.add_partition_offset("orders_events", p, rdkafka::Offset::Offset(0))
                .unwrap();
        }
        c.commit(&at, CommitMode::Sync).unwrap();
        c
    };
    for g in ["billing_orders_events_consumer", "AdHoc.Reader"] {
        groups.push(join_and_commit(g));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("draft.yaml");
    let ktopo = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ktopo"));
        c.current_dir(common::root())
            .env("HOME", dir.path())
            .env_remove("KTOPO_CONFIG")
            .env_remove("KTOPO_CONTEXT");
        c
    };
    let out = ktopo()
        .args(["init", "-b", &broker.addr, "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("consumer_group: \"{service_name}_{topic_name}_consumer\""),
        "{text}"
    );
    assert!(
        text.contains("  - name: \"orders_events\"\n    partitions: 3\n    replication: 1\n    retention_days: 7\n"),
        "{text}"
    );
    assert!(text.contains("retention.ms=3600000 is not whole days"), "{text}");
    // (tansu 0.6 serves peek one message per partition here: the count is not asserted.)
    assert!(
        text.contains("      - \"orders\"  # guess: source_service = \"orders\" in "),
        "{text}"
    );
    assert!(
        text.contains("      - \"billing\"  # guess: guessed from the group name"),
        "{text}"
    );
    assert!(
        text.contains(
            "      - { service: \"adhoc_reader\", group: \"AdHoc.Reader\" }  # guess: a service for the group"
        ),
        "{text}"
    );
    let check = ktopo().arg("check").arg("-r").arg(&file).output().unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let drift = ktopo()
        .args(["drift", "--json", "--samples", "2", "-b", &broker.addr, "-r"])
        .arg(&file)
        .output()
        .unwrap();
    for c in &groups {
        let _ = c.poll(Duration::from_millis(10));
    }
    let v: serde_json::Value = serde_json::from_slice(&drift.stdout).unwrap();
    let errors: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{text}");
    assert_eq!(drift.status.code(), Some(0), "{v}");

    // --merge into a registry that declares orders_events: the undeclared group and the
    // producer become entries of it, a sink connector's group (listed by tansu) stays
    // the connector's, and a second merge adds nothing.
    groups.push(join_and_commit("connect-warehouse-sink"));
    let listing = serde_json::json!({"warehouse-sink": {
        "info": {"name": "warehouse-sink", "type": "sink", "tasks": [], "config": {"connector.class": "x.Sink", "topics": "orders_events"}},
        "status": {"name": "warehouse-sink", "type": "sink", "connector": {"state": "RUNNING", "worker_id": "w:8083"},
                   "tasks": [{"id": 0, "state": "RUNNING", "worker_id": "w:8083"}]}}});
    let mut routes = std::collections::HashMap::new();
    routes.insert(
        "/connectors?expand=status&expand=info".to_string(),
        crate::kafka_connect::ok(&listing),
    );
    let worker = crate::kafka_connect::server::serve(routes, Default::default());
    let ours = dir.path().join("ours.yaml");
    std::fs::write(
        &ours,
        "# ours\nconventions:\n  consumer_group: \"{service_name}_{topic_name}_consumer\"\nservices:\n  - { key: billing, name: Billing }  # keep\ntopics:\n  - name: orders_events\n    consumers: [billing]  # invoices\n",
    )
    .unwrap();
    let merge = |from: &std::path::Path, to: &std::path::Path| {
        let out = ktopo()
            .args(["init", "-b", &broker.addr, "--connect", &worker.url, "--merge"])
            .arg(from)
            .arg("-o")
            .arg(to)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        std::fs::read_to_string(to).unwrap()
    };
    let once = merge(&ours, &dir.path().join("once.yaml"));
    assert!(
        once.contains("    consumers: [billing, { service: \"adhoc_reader\", group: \"AdHoc.Reader\" }]  # invoices\n"),
        "{once}"
    );
    assert!(
        once.contains("    producers:  # added by `ktopo init --merge`"),
        "{once}"
    );
    assert!(
        once.contains("  - name: \"warehouse-sink\"\n    type: sink\n"),
        "{once}"
    );
    assert!(!once.contains("key: \"connect-warehouse-sink\""), "{once}");
    assert!(once.starts_with("# ours\n") && once.contains("  - { key: billing, name: Billing }  # keep\n"));
    let check = ktopo()
        .arg("check")
        .arg("-r")
        .arg(dir.path().join("once.yaml"))
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let twice = merge(&dir.path().join("once.yaml"), &dir.path().join("twice.yaml"));
    assert_eq!(twice, once);
    for c in &groups {
        let _ = c.poll(Duration::from_millis(10));
    }
}
