//! `ktopo init` through the real binary against the mock cluster: the draft checks
//! clean and drifts clean against the same cluster; `--merge` into registry.yaml keeps
//! its comments and order and still loads.

use crate::common;
use assert_cmd::Command;

fn ktopo() -> Command {
    let mut c = Command::cargo_bin("ktopo").unwrap();
    c.current_dir(common::root())
        .env("HOME", "/nonexistent")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("KTOPO_CONFIG")
        .env_remove("KTOPO_CONTEXT")
        .env_remove("KTOPO_REGISTRY")
        .env_remove("KTOPO_BROKERS");
    c
}

fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// JSON envelopes naming their producer, to one partition.
fn produce_json(p: &rdkafka::producer::BaseProducer, topic: &str, source: &str, n: usize) {
    use rdkafka::producer::Producer;
    for i in 0..n {
        let payload = format!(
            "{{\"event_type\":\"e{i}\",\"source_service\":{}}}",
            serde_json::to_string(source).unwrap()
        );
        p.send(
            rdkafka::producer::BaseRecord::<(), _>::to(topic)
                .partition(0)
                .payload(&payload),
        )
        .unwrap();
    }
    p.flush(std::time::Duration::from_secs(10)).unwrap();
}

#[test]
fn a_draft_of_the_mock_cluster_checks_clean_and_drifts_clean() {
    let (p, b) = common::mock_cluster(1, &[("orders_events", 3), ("payments_events", 2), ("quiet", 1)]);
    produce_json(&p, "orders_events", "orders-api", 4);
    produce_json(&p, "orders_events", "legacy\u{1b}]2;x\u{7}", 1);
    produce_json(&p, "payments_events", "billing", 2);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("draft.yaml");
    let (code, out, err) = run(ktopo().args(["init", "-b", &b, "-o"]).arg(&file));
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("init: 3 topics, 3 services drafted from "), "{err}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("  - name: \"orders_events\"\n    partitions: 3\n    replication: 1\n"),
        "{text}"
    );
    assert!(
        text.contains("      - \"orders-api\"  # guess: source_service = \"orders-api\" in 4 sampled messages\n"),
        "{text}"
    );
    // A hostile producer name becomes a plain key, and its comment shows no control character.
    assert!(text.contains("\"legacy__2_x_\""), "{text}");
    assert!(text.chars().all(|c| !c.is_control() || c == '\n'), "{text:?}");
    assert!(
        text.contains("# Not drafted: consumer groups not listed"),
        "the mock lists no groups: {text}"
    );
    let (code, out, err) = run(ktopo().arg("check").arg("-r").arg(&file));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(": 0 errors"), "{out}");
    let (code, out, err) = run(ktopo()
        .args(["drift", "--json", "--samples", "2", "-b", &b, "-r"])
        .arg(&file));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}{err}"));
    let errors: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn merge_adds_what_registry_yaml_lacks_keeping_its_comments_and_order() {
    let (p, b) = common::mock_cluster(1, &[("auth_events", 10), ("brand_new_events", 2)]);
    produce_json(&p, "brand_new_events", "newcomer", 2);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("merged.yaml");
    let (code, out, err) = run(ktopo()
        .args(["init", "-b", &b, "--merge", "registry.yaml", "-o"])
        .arg(&file));
    assert_eq!(code, 0, "{out}{err}");
    let before = std::fs::read_to_string(common::root().join("registry.yaml")).unwrap();
    let after = std::fs::read_to_string(&file).unwrap();
    // Every line of the registry is still there, in order.
    let mut rest = after.lines();
    for line in before.lines() {
        assert!(rest.any(|l| l == line), "lost or moved: {line:?}");
    }
    let added: Vec<&str> = after.lines().filter(|l| !before.lines().any(|b| b == *l)).collect();
    assert!(
        added.iter().any(|l| l.contains("name: \"brand_new_events\"")),
        "{added:#?}"
    );
    assert!(added.iter().any(|l| l.contains("key: \"newcomer\"")), "{added:#?}");
    assert!(
        !added.iter().any(|l| l.contains("\"auth_events\"")),
        "declared already: {added:#?}"
    );
    let (code, out, err) = run(ktopo().arg("check").arg("-r").arg(&file));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("18 services"), "{out}");
}

/// A Connect worker on 127.0.0.1 with a source writing `orders_events` and a sink
/// reading `payments_events`, both running.
fn connect_worker() -> crate::kafka_connect::server::Server {
    use serde_json::json;
    let running = |name: &str, kind: &str| {
        json!({"name": name, "type": kind, "connector": {"state": "RUNNING", "worker_id": "w:8083"},
               "tasks": [{"id": 0, "state": "RUNNING", "worker_id": "w:8083"}]})
    };
    let listing = json!({
        "orders-api-cdc": {
            "info": {"name": "orders-api-cdc", "type": "source", "tasks": [],
                     "config": {"connector.class": "io.debezium.connector.postgresql.PostgresConnector",
                                "database.password": "dbz-hunter2"}},
            "status": running("orders-api-cdc", "source")},
        "warehouse-sink": {
            "info": {"name": "warehouse-sink", "type": "sink", "tasks": [],
                     "config": {"connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector",
                                "topics": "payments_events"}},
            "status": running("warehouse-sink", "sink")}
    });
    let mut routes = std::collections::HashMap::new();
    routes.insert(
        "/connectors?expand=status&expand=info".to_string(),
        crate::kafka_connect::ok(&listing),
    );
    routes.insert(
        "/connectors/orders-api-cdc/topics".to_string(),
        crate::kafka_connect::ok(&json!({"orders-api-cdc": {"topics": ["orders_events", "gone"]}})),
    );
    routes.insert(
        "/connectors/warehouse-sink/topics".to_string(),
        crate::kafka_connect::ok(&json!({"warehouse-sink": {"topics": ["payments_events"]}})),
    );
    crate::kafka_connect::server::serve(routes, Default::default())
}

/// The error findings of `ktopo drift --json`.
fn drift_errors(out: &str, err: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(out).unwrap_or_else(|_| panic!("{out}{err}"));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .cloned()
        .collect()
}

#[test]
fn connectors_are_drafted_from_connect_and_the_draft_drifts_clean_with_it() {
    let (p, b) = common::mock_cluster(1, &[("orders_events", 3), ("payments_events", 2)]);
    produce_json(&p, "orders_events", "orders-api", 3);
    produce_json(&p, "payments_events", "billing", 2);
    // The sink's group keeps up (a sink that never committed is a finding of its own).
    common::commit(
        &b,
        "connect-warehouse-sink",
        &[("payments_events", 0, 2), ("payments_events", 1, 0)],
    );
    let worker = connect_worker();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("draft.yaml");
    // A second Connect cluster that does not answer is said, and the first is drafted.
    let (code, out, err) = run(ktopo()
        .args([
            "init",
            "-b",
            &b,
            "--connect",
            &worker.url,
            "--connect",
            "down=http://127.0.0.1:1",
            "-o",
        ])
        .arg(&file));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("init: 2 topics, 3 services, 2 connectors drafted from "),
        "{err}"
    );
    assert!(
        err.contains("init: not drafted: Connect cluster down not read"),
        "{err}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains(
            "  - name: \"orders-api-cdc\"\n    type: source\n    class: \"io.debezium.connector.postgresql.PostgresConnector\"\n    service: \"orders-api\"  # guess: the connector's name starts or ends with `orders-api`\n    topics: [\"orders_events\"]  # the topics it uses, as its worker reports them\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("  - name: \"warehouse-sink\"\n    type: sink\n")
            && text.contains("    service: \"warehouse\"  # guess: named after the connector"),
        "{text}"
    );
    assert!(
        text.contains("  - key: \"warehouse\"\n"),
        "the owner is declared: {text}"
    );
    // Of several Connect clusters, each connector names its own.
    let on = format!("    connect: \"{}\"\n", worker.url.trim_start_matches("http://"));
    assert_eq!(text.matches(&on).count(), 2, "{text}");
    assert!(
        !text.contains("connect-warehouse-sink"),
        "the sink's group is the connector's: {text}"
    );
    assert!(!text.contains("hunter2"), "{text}");
    assert!(
        text.contains("# Not drafted: connector `orders-api-cdc` uses 1 topic not on the cluster"),
        "{text}"
    );
    let (code, out, err) = run(ktopo().arg("check").arg("-r").arg(&file));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(": 0 errors"), "{out}");
    assert!(out.contains("2 connectors"), "{out}");
    let (code, out, err) = run(ktopo()
        .args([
            "drift",
            "--json",
            "--samples",
            "2",
            "-b",
            &b,
            "--connect",
            &worker.url,
            "-r",
        ])
        .arg(&file));
    assert!(drift_errors(&out, &err).is_empty(), "{out}");
    assert!(
        !out.contains("missing-connector") && !out.contains("undeclared-connector-topic"),
        "{out}"
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        worker.requests().iter().all(|r| r.method == "GET"),
        "{:?}",
        worker.requests()
    );
    drop(p);
}

#[test]
fn merge_adds_producers_and_connectors_to_declared_topics_once_keeping_comments() {
    let (p, b) = common::mock_cluster(1, &[("auth_events", 10), ("payments_events", 2)]);
    // Service 0 produces auth_events in registry.yaml; audit-probe does not.
    produce_json(&p, "auth_events", "organization_identity_management", 2);
    produce_json(&p, "auth_events", "audit-probe", 1);
    produce_json(&p, "payments_events", "billing", 2);
    let worker = connect_worker();
    let dir = tempfile::tempdir().unwrap();
    let once = dir.path().join("once.yaml");
    let twice = dir.path().join("twice.yaml");
    let merge = |from: &std::path::Path, to: &std::path::Path| {
        run(ktopo()
            .args(["init", "-b", &b, "--connect", &worker.url, "--merge"])
            .arg(from)
            .arg("-o")
            .arg(to))
    };
    let (code, out, err) = merge(&common::root().join("registry.yaml"), &once);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("init: added 1 topic, 3 services, 2 connectors and 1 link to declared entries"),
        "{err}"
    );
    let before = std::fs::read_to_string(common::root().join("registry.yaml")).unwrap();
    let after = std::fs::read_to_string(&once).unwrap();
    let added: Vec<&str> = after.lines().filter(|l| !before.lines().any(|b| b == *l)).collect();
    // auth_events' one-line producer list gets the new producer, its guess above it.
    assert!(
        after.contains("    # guess: `\"audit-probe\"` added to `producers`: source_service = \"audit-probe\" in 1 sampled message\n    producers: [0, \"audit-probe\"]\n"),
        "{added:#?}"
    );
    assert!(
        !after.contains("\"organization_identity_management\"]"),
        "it produces already: {added:#?}"
    );
    // Every other line of the registry is still there, in order.
    let mut rest = after.lines();
    for line in before.lines().filter(|l| !l.starts_with("    producers: [0]")) {
        assert!(rest.any(|l| l == line), "lost or moved: {line:?}");
    }
    assert!(
        added.iter().any(|l| l.contains("- name: \"orders-api-cdc\""))
            && added.iter().any(|l| l.contains("- name: \"warehouse-sink\"")),
        "{added:#?}"
    );
    let (code, out, err) = run(ktopo().arg("check").arg("-r").arg(&once));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(": 0 errors"), "{out}");
    // Merging the merged file adds nothing.
    let (code, out, err) = merge(&once, &twice);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("init: added 0 topics, 0 services, 0 connectors and 0 links"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&twice).unwrap(), after);
    drop(p);
}
