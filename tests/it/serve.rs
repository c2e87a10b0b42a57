//! `ktopo serve` end to end: the real binary against librdkafka's mock cluster (in
//! this process, over the real Kafka protocol), scraped over HTTP and read with a
//! Prometheus text parser: exact lag for planted offsets, the owner join, the series
//! that lets MISSING alert, readiness when the broker is unreachable, secrets never in
//! any endpoint, and clear errors for a bad --listen.

use crate::common::{self, commit, produce};
use std::io::{BufRead, Read, Write};
use std::time::Duration;

const REGISTRY: &str = r##"
conventions:
  consumer_group: "{service_name}_{topic_name}_consumer"
services:
  - { id: 0, key: shop, name: Shop, owner: team-storefront, oncall: "#storefront-oncall", domain: commerce }
  - { id: 1, key: billing, name: Billing, owner: team-payments, oncall: "pagerduty:payments", domain: finance }
  - { id: 2, key: audit, name: Audit, owner: "team \"audit\"\nrow" }
topics:
  - name: orders_events
    producers: [shop]
    consumers: [billing, audit]
  - name: payments_events
    producers: [billing]
    consumers: [audit]
"##;

/// A `ktopo serve` process, stopped when dropped.
pub(crate) struct Served {
    child: std::process::Child,
    pub(crate) addr: String,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(args: &[&str]) -> Served {
    serve_with(REGISTRY, args)
}

/// `ktopo serve` on a free port with this registry.
pub(crate) fn serve_with(registry: &str, args: &[&str]) -> Served {
    serve_with_env(registry, args, &[])
}

/// `serve_with`, with environment variables set for the process.
pub(crate) fn serve_with_env(registry: &str, args: &[&str], env: &[(&str, &std::path::Path)]) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry.yaml");
    std::fs::write(&reg, registry).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ktopo"))
        .current_dir(common::root())
        .env_remove("KTOPO_BROKERS")
        .env_remove("KTOPO_REGISTRY")
        .arg("serve")
        .arg("-r")
        .arg(&reg)
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .envs(env.iter().copied())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    // Keep draining stderr so the process never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Served { child, addr, _dir: dir }
}

pub(crate) struct Reply {
    pub(crate) status: u16,
    headers: String,
    pub(crate) body: String,
}

/// One HTTP/1.1 GET, the whole answer.
pub(crate) fn get(addr: &str, path: &str, accept: Option<&str>) -> Reply {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let accept = accept.map(|a| format!("Accept: {a}\r\n")).unwrap_or_default();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{accept}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let headers = head.to_ascii_lowercase();
    let body = if headers.contains("transfer-encoding: chunked") {
        unchunk(body)
    } else {
        body.to_string()
    };
    Reply { status, headers, body }
}

/// A chunked body (Prometheus's larger answers) as one.
fn unchunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16).unwrap_or(0);
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

fn parse(text: &str) -> prometheus_parse::Scrape {
    prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).unwrap()
}

fn value(v: &prometheus_parse::Value) -> f64 {
    match v {
        prometheus_parse::Value::Gauge(x)
        | prometheus_parse::Value::Counter(x)
        | prometheus_parse::Value::Untyped(x) => *x,
        other => panic!("not a single value: {other:?}"),
    }
}

/// The value of `metric` on the series carrying every label of `labels`.
fn find(s: &prometheus_parse::Scrape, metric: &str, labels: &[(&str, &str)]) -> Option<f64> {
    s.samples
        .iter()
        .find(|x| x.metric == metric && labels.iter().all(|(k, v)| x.labels.get(k) == Some(*v)))
        .map(|x| value(&x.value))
}

#[test]
fn the_scrape_has_exact_lag_owners_and_a_missing_declared_consumer() {
    let (p, bootstrap) = common::mock_cluster(1, &[("orders_events", 3), ("payments_events", 2)]);
    produce(&p, "orders_events", 0, 10);
    produce(&p, "orders_events", 1, 20);
    produce(&p, "payments_events", 0, 5);
    commit(
        &bootstrap,
        "billing_orders_events_consumer",
        &[("orders_events", 0, 4), ("orders_events", 1, 20)],
    );
    commit(
        &bootstrap,
        "audit_payments_events_consumer",
        &[("payments_events", 0, 2), ("payments_events", 1, 0)],
    );
    // audit_orders_events_consumer never commits: MISSING once a consumer would have started.
    let s = serve(&[
        "-b",
        &bootstrap,
        "--interval",
        "0.5",
        "--cluster",
        "mock-eu",
        "--partitions",
    ]);
    let mut scrape = None;
    let found = common::wait_until(Duration::from_secs(90), || {
        let r = get(&s.addr, "/metrics", None);
        let parsed = parse(&r.body);
        let done = find(
            &parsed,
            "ktopo_declared_consumer_exists",
            &[("group", "audit_orders_events_consumer")],
        )
        .is_some();
        scrape = Some((r, parsed));
        done
    });
    let (reply, m) = scrape.unwrap();
    assert!(found, "the missing consumer gets its series:\n{}", reply.body);
    assert_eq!(reply.status, 200);
    assert!(
        reply.headers.contains("content-type: text/plain; version=0.0.4"),
        "{}",
        reply.headers
    );

    fn on<'a>(group: &'a str, topic: &'a str) -> [(&'static str, &'a str); 3] {
        [("cluster", "mock-eu"), ("group", group), ("topic", topic)]
    }
    let billing = on("billing_orders_events_consumer", "orders_events");
    let audit = on("audit_payments_events_consumer", "payments_events");
    assert_eq!(find(&m, "ktopo_group_lag_messages", &billing), Some(6.0));
    assert_eq!(find(&m, "ktopo_group_lag_messages", &audit), Some(3.0));
    assert_eq!(find(&m, "ktopo_group_committed_offset", &billing), Some(24.0));
    assert_eq!(find(&m, "ktopo_group_log_end_offset", &billing), Some(30.0));
    let part = |n: &'static str| [billing[0], billing[1], billing[2], ("partition", n)];
    assert_eq!(find(&m, "ktopo_partition_lag_messages", &part("0")), Some(6.0));
    assert_eq!(find(&m, "ktopo_partition_lag_messages", &part("1")), Some(0.0));
    assert_eq!(find(&m, "ktopo_partition_committed_offset", &part("0")), Some(4.0));
    assert_eq!(
        find(
            &m,
            "ktopo_partition_log_end_offset",
            &[("topic", "orders_events"), ("partition", "1")]
        ),
        Some(20.0)
    );

    // The status in both shapes agrees, and the state set has exactly one state set.
    let status = find(&m, "ktopo_group_status", &billing).unwrap();
    let states: Vec<_> = m
        .samples
        .iter()
        .filter(|x| x.metric == "ktopo_group_status_state" && x.labels.get("group") == Some(billing[1].1))
        .map(|x| (x.labels.get("status").unwrap().to_string(), value(&x.value)))
        .collect();
    assert_eq!(states.len(), 10);
    let on_state: Vec<_> = states.iter().filter(|(_, v)| *v == 1.0).collect();
    assert_eq!(on_state.len(), 1, "{states:?}");
    let rank = ktopo::core::live::view::Health::parse(&on_state[0].0).unwrap();
    assert_eq!(ktopo::core::exposition::status_number(rank) as f64, status);

    // The MISSING consumer: exists 0 and status MISSING; the others exist.
    let missing = on("audit_orders_events_consumer", "orders_events");
    assert_eq!(find(&m, "ktopo_declared_consumer_exists", &missing), Some(0.0));
    assert_eq!(find(&m, "ktopo_group_status", &missing), Some(7.0));
    assert_eq!(find(&m, "ktopo_declared_consumer_exists", &billing), Some(1.0));

    // The info series joins each group with its owner.
    let info = m
        .samples
        .iter()
        .find(|x| x.metric == "ktopo_group_info" && x.labels.get("group") == Some("billing_orders_events_consumer"))
        .expect("info series");
    assert_eq!(info.labels.get("service"), Some("billing"));
    assert_eq!(info.labels.get("owner"), Some("team-payments"));
    assert_eq!(info.labels.get("oncall"), Some("pagerduty:payments"));
    assert_eq!(info.labels.get("domain"), Some("finance"));
    assert_eq!(info.labels.get("declared"), Some("true"));
    assert_eq!(info.labels.get("cluster"), Some("mock-eu"));

    // A quote and a newline in a value are escaped, not a line or a label of their own
    // (this parser does not unescape, so the text is read as written).
    assert!(reply.body.contains(r#"owner="team \"audit\"\\nrow""#), "{}", reply.body);

    // The sampler's own health.
    assert_eq!(find(&m, "ktopo_sampler_up", &[]), Some(1.0));
    assert_eq!(find(&m, "ktopo_sampler_errors_total", &[]), Some(0.0));
    assert_eq!(find(&m, "ktopo_sampler_groups", &[]), Some(3.0));
    assert_eq!(find(&m, "ktopo_sampler_partitions", &[]), Some(5.0));
    let last = find(&m, "ktopo_sampler_last_success_timestamp_seconds", &[]).unwrap();
    let now = ktopo::core::time::now_ms() as f64 / 1000.0;
    assert!((now - 60.0..=now + 1.0).contains(&last), "{last} vs {now}");
    // Every series carries the cluster label.
    assert!(m.samples.iter().all(|x| x.labels.get("cluster") == Some("mock-eu")));

    // OpenMetrics for a scraper that asks for it, as Prometheus does.
    let om = get(
        &s.addr,
        "/metrics",
        Some("application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"),
    );
    assert!(om
        .headers
        .contains("content-type: application/openmetrics-text; version=1.0.0"));
    assert!(om.body.ends_with("# EOF\n"), "{}", om.body);
    assert!(om.body.contains("# TYPE ktopo_group info\n"), "{}", om.body);

    // The JSON endpoint has the objects of `ktopo lag --json`.
    let j = get(&s.addr, "/api/lag", None);
    assert!(j.headers.contains("content-type: application/json"));
    let v: serde_json::Value = serde_json::from_str(&j.body).unwrap();
    let g = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "billing_orders_events_consumer")
        .unwrap();
    assert_eq!(g["total_lag"], 6);
    assert_eq!(g["owner"], "team-payments");
    assert_eq!(g["oncall"], "pagerduty:payments");

    let index = get(&s.addr, "/", None);
    assert_eq!(index.status, 200);
    assert!(index.body.contains("/metrics") && index.body.contains("/api/lag"));
    assert_eq!(get(&s.addr, "/healthz", None).status, 200);
    assert_eq!(get(&s.addr, "/readyz", None).status, 200);
    assert_eq!(get(&s.addr, "/nothing", None).status, 404);
    drop(s);
    drop(p);
}

#[test]
fn an_unreachable_broker_makes_readyz_503_while_metrics_answer_and_no_secret_shows() {
    let s = serve(&[
        "-b",
        "127.0.0.1:1",
        "--interval",
        "0.5",
        "-X",
        "socket.timeout.ms=1500",
        "-X",
        "security.protocol=SASL_PLAINTEXT",
        "-X",
        "sasl.mechanism=PLAIN",
        "-X",
        "sasl.username=ops",
        "-X",
        "sasl.password=hunter2-secret",
    ]);
    let mut ready = None;
    assert!(common::wait_until(Duration::from_secs(60), || {
        let r = get(&s.addr, "/readyz", None);
        let failed = r.body.contains("could not read the cluster");
        ready = Some(r);
        failed
    }));
    let ready = ready.unwrap();
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert!(
        ready.body.contains("Connection refused"),
        "which failure: {}",
        ready.body
    );

    let metrics = get(&s.addr, "/metrics", None);
    assert_eq!(metrics.status, 200);
    let m = parse(&metrics.body);
    assert_eq!(find(&m, "ktopo_sampler_up", &[("cluster", "127.0.0.1:1")]), Some(0.0));
    assert!(find(&m, "ktopo_sampler_errors_total", &[]).unwrap() >= 1.0);
    assert_eq!(find(&m, "ktopo_sampler_last_success_timestamp_seconds", &[]), None);

    for (path, accept) in [
        ("/", None),
        ("/metrics", None),
        ("/metrics", Some("application/openmetrics-text")),
        ("/api/lag", None),
        ("/readyz", None),
        ("/healthz", None),
    ] {
        let r = get(&s.addr, path, accept);
        assert!(
            !r.body.contains("hunter2") && !r.headers.contains("hunter2"),
            "{path}: {}",
            r.body
        );
    }
}

#[test]
fn a_bad_listen_address_or_a_port_in_use_is_a_usage_error() {
    let run = |listen: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ktopo"))
            .current_dir(common::root())
            .env_remove("KTOPO_BROKERS")
            .env_remove("KTOPO_REGISTRY")
            .args(["serve", "--listen", listen])
            .output()
            .unwrap()
    };
    let out = run("localhost");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--listen `localhost` is not an address: write IP:PORT, e.g. 127.0.0.1:9464"),
        "{err}"
    );

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = run(&addr);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("cannot listen on {addr}: the address is in use")) && err.contains("--listen"),
        "{err}"
    );
}

/// Credentials written into a broker address are refused before anything listens,
/// and never echoed: they would become the `cluster` label, /readyz's text and errors.
#[test]
fn credentials_in_a_broker_address_are_refused_and_never_shown() {
    for cmd in [&["serve", "--listen", "127.0.0.1:0"][..], &["lag"][..]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ktopo"))
            .current_dir(common::root())
            .env_remove("KTOPO_BROKERS")
            .env_remove("KTOPO_REGISTRY")
            .args(cmd)
            .args(["-b", "SASL_SSL://ops:hunter2@127.0.0.1:9092"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd:?}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(all.contains("librdkafka takes no credentials there"), "{cmd:?}: {all}");
        assert!(!all.contains("hunter2"), "{cmd:?}: {all}");
    }
}

/// One HTTP/1.1 GET with extra request headers: the head (lower case) and the raw body.
fn get_raw(addr: &str, path: &str, headers: &str) -> (String, Vec<u8>) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let at = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a head");
    (
        String::from_utf8_lossy(&raw[..at]).to_ascii_lowercase(),
        raw[at + 4..].to_vec(),
    )
}

#[test]
fn metrics_go_gzip_compressed_to_scrapers_that_ask_and_plain_to_the_rest() {
    let (p, bootstrap) = common::mock_cluster(1, &[("orders_events", 3)]);
    produce(&p, "orders_events", 0, 10);
    commit(&bootstrap, "billing_orders_events_consumer", &[("orders_events", 0, 4)]);
    let s = serve(&["-b", &bootstrap, "--interval", "0.5", "--cluster", "mock-eu"]);
    let billing = [("group", "billing_orders_events_consumer"), ("topic", "orders_events")];
    let lag = |text: &str| find(&parse(text), "ktopo_group_lag_messages", &billing);
    assert!(
        common::wait_until(Duration::from_secs(60), || lag(&get(&s.addr, "/metrics", None).body)
            == Some(6.0)),
        "no lag for the group"
    );
    // Prometheus's request: Accept-Encoding: gzip.
    let (head, gz) = get_raw(&s.addr, "/metrics", "Accept-Encoding: gzip\r\n");
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert!(head.contains("vary: accept-encoding"), "{head}");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut text).unwrap();
    assert_eq!(lag(&text), Some(6.0), "{text}");
    // A client that refuses gzip (or says nothing) gets the same text, uncompressed.
    for refuse in ["", "Accept-Encoding: gzip;q=0, identity\r\n"] {
        let (head, plain) = get_raw(&s.addr, "/metrics", refuse);
        assert!(!head.contains("content-encoding"), "{head}");
        let plain = String::from_utf8(plain).unwrap();
        assert_eq!(lag(&plain), Some(6.0));
        assert!(
            gz.len() * 3 < plain.len(),
            "{} bytes compressed from {}",
            gz.len(),
            plain.len()
        );
    }
}

#[test]
fn the_cluster_label_is_the_contexts_name_for_its_cluster_unless_brokers_or_cluster_are_given() {
    use std::os::unix::fs::PermissionsExt;
    let (p, bootstrap) = common::mock_cluster(1, &[("orders_events", 3)]);
    produce(&p, "orders_events", 0, 10);
    commit(&bootstrap, "billing_orders_events_consumer", &[("orders_events", 0, 4)]);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    std::fs::write(
        &config,
        format!("contexts:\n  eu-prod:\n    cluster: kafka-eu\n    brokers: {bootstrap}\n  bare:\n    brokers: {bootstrap}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let label_of = |args: &[&str]| {
        let s = serve_with_env(REGISTRY, args, &[("KTOPO_CONFIG", config.as_path())]);
        let mut label = None;
        common::wait_until(Duration::from_secs(60), || {
            let m = parse(&get(&s.addr, "/metrics", None).body);
            label = m
                .samples
                .iter()
                .find(|x| x.metric == "ktopo_group_lag_messages")
                .and_then(|x| x.labels.get("cluster").map(str::to_string));
            label.is_some()
        });
        label
    };
    assert_eq!(
        label_of(&["--context", "eu-prod", "--interval", "0.5"]).as_deref(),
        Some("kafka-eu")
    );
    assert_eq!(
        label_of(&["--context", "bare", "--interval", "0.5"]).as_deref(),
        Some("bare")
    );
    assert_eq!(
        label_of(&["--context", "eu-prod", "--cluster", "mine", "--interval", "0.5"]).as_deref(),
        Some("mine")
    );
    // Brokers from the command line: the context's name is not theirs.
    assert_eq!(
        label_of(&["--context", "eu-prod", "-b", &bootstrap, "--interval", "0.5"]).as_deref(),
        Some(bootstrap.as_str())
    );
}
