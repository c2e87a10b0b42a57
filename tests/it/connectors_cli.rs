//! `ktopo connectors` end to end through the real binary, against a Connect worker on
//! 127.0.0.1 (`kafka_connect::server`) and, for a sink's group lag, the mock cluster.

use crate::common;
use crate::kafka_connect::server::{serve, Options};
use crate::kafka_connect::{modern_routes, ok};
use assert_cmd::Command;
use serde_json::{json, Value};
use std::collections::HashMap;

fn ktopo() -> Command {
    let mut c = Command::cargo_bin("ktopo").unwrap();
    c.current_dir(common::root())
        .env_remove("KTOPO_BROKERS")
        .env_remove("KTOPO_REGISTRY")
        .env_remove("KTOPO_CONNECT")
        .timeout(std::time::Duration::from_secs(120));
    c
}

fn text(out: &[u8], url: &str) -> String {
    String::from_utf8_lossy(out).replace(url, "http://127.0.0.1:PORT")
}

#[test]
fn the_text_report_of_every_state() {
    let server = serve(modern_routes(), Options::default());
    let out = ktopo()
        .args(["connectors", "--offline", "--connect", &format!("main={}", server.url)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "unhealthy connectors: exit 1");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    insta::assert_snapshot!("connectors_text", text(&out.stdout, &server.url));
    assert!(server.requests().iter().all(|r| r.method == "GET"));
}

#[test]
fn failed_keeps_only_the_unhealthy_and_the_summary_counts_all() {
    let server = serve(modern_routes(), Options::default());
    let out = ktopo()
        .args(["connectors", "--offline", "--failed", "--connect", &server.url])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(!s.contains("cdc-postgres"), "{s}");
    assert!(
        s.contains("✗ warehouse-sink  sink  RUNNING  1/2 tasks running (FAILED)"),
        "{s}"
    );
    assert!(s.ends_with(
        "7 connectors: 1 healthy, 6 unhealthy; 6 tasks (2 running, 1 failed, 1 restarting, 1 unassigned, 1 paused)\n"
    ), "{s}");
}

#[test]
fn json_holds_the_whole_trace_and_no_secret() {
    let server = serve(modern_routes(), Options::default());
    let out = ktopo()
        .args([
            "connectors",
            "--offline",
            "--json",
            "--connect",
            &format!("main={}", server.url),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let raw = String::from_utf8_lossy(&out.stdout);
    assert!(
        !raw.contains("hunter2"),
        "config passwords never leave the worker's answer"
    );
    let v: Value = serde_json::from_str(&raw).unwrap();
    let c = &v["clusters"][0];
    assert_eq!(c["name"], "main");
    let wh = c["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "warehouse-sink")
        .unwrap();
    assert_eq!(wh["healthy"], false);
    assert_eq!(wh["problems"], json!(["1/2 tasks running (FAILED)"]));
    assert_eq!(wh["group"]["id"], "connect-warehouse-sink");
    assert_eq!(wh["group"]["topics"], Value::Null, "--offline: no lag read");
    let trace = wh["tasks"][1]["trace"]["text"].as_str().unwrap();
    assert!(trace.contains("Caused by: java.sql.SQLException: Connection refused"));
    assert_eq!(wh["tasks"][1]["worker"], "10.0.1.6:8083");
    assert_eq!(
        v["summary"],
        json!({"clusters": 1, "clusters_unread": 0, "connectors": 7, "healthy": 1, "unhealthy": 6,
               "tasks": {"paused": 1, "running": 2, "restarting": 1, "unassigned": 1, "failed": 1}})
    );
}

#[test]
fn a_sinks_group_lag_from_the_cluster_and_exit_0_when_all_are_healthy() {
    let (p, bootstrap) = common::mock_cluster(1, &[("db.changes.users", 1)]);
    common::produce(&p, "db.changes.users", 0, 10);
    common::commit(&bootstrap, "connect-wh", &[("db.changes.users", 0, 4)]);
    let listing = json!({"wh": {
        "info": {"name": "wh", "type": "sink", "config": {"connector.class": "x.Sink", "topics": "db.changes.users"}, "tasks": []},
        "status": {"name": "wh", "type": "sink", "connector": {"state": "RUNNING", "worker_id": "w:8083"},
                   "tasks": [{"id": 0, "state": "RUNNING", "worker_id": "w:8083"}]}}});
    let mut routes = HashMap::new();
    routes.insert("/connectors?expand=status&expand=info".to_string(), ok(&listing));
    routes.insert(
        "/connectors/wh/topics".to_string(),
        ok(&json!({"wh": {"topics": ["db.changes.users"]}})),
    );
    let server = serve(routes, Options::default());
    let out = ktopo()
        .args([
            "connectors",
            "--json",
            "--samples",
            "1",
            "-b",
            &bootstrap,
            "--connect",
            &server.url,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let g = &v["clusters"][0]["connectors"][0]["group"];
    assert_eq!(g["id"], "connect-wh");
    assert_eq!(g["topics"][0]["topic"], "db.changes.users");
    assert_eq!(g["topics"][0]["lag"], 6);
    assert_eq!(v["lag_unread"], Value::Null);
    drop(p);
}

#[test]
fn no_connect_url_answering_is_exit_4_and_no_url_at_all_is_exit_2() {
    let out = ktopo()
        .args([
            "connectors",
            "--offline",
            "--connect",
            "a=http://bob:hunter2@127.0.0.1:1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.starts_with("a · http://127.0.0.1:1\n  error: cannot read this Connect cluster: unreachable"),
        "{s}"
    );
    assert!(!s.contains("hunter2") && !String::from_utf8_lossy(&out.stderr).contains("hunter2"));
    let out = ktopo().args(["connectors", "--offline"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pass --connect [NAME=]URL"));
    // One of two answering: the report, exit 1.
    let server = serve(modern_routes(), Options::default());
    let out = ktopo()
        .env("KTOPO_CONNECT", format!("a={},b=http://127.0.0.1:1", server.url))
        .args(["connectors", "--offline", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["clusters_unread"], 1);
}

#[test]
fn hostile_names_and_traces_reach_the_terminal_escaped() {
    let evil = "evil\u{1b}]52;c;aGk=\u{7}\n✓ forged  sink  RUNNING  healthy";
    let listing = json!({ evil: {
        "info": {"name": evil, "config": {"connector.class": "x\u{202e}y", "topics": "t\u{1b}[2J"}, "tasks": [], "type": "sink"},
        "status": {"name": evil, "connector": {"state": "RUNNING", "worker_id": "w\u{1b}[1m"},
                   "tasks": [{"id": 0, "state": "FAILED", "worker_id": "w", "trace": "\u{1b}[2Jboom\u{202e}\n\tat x"}],
                   "type": "sink"}}});
    let mut routes = HashMap::new();
    routes.insert("/connectors?expand=status&expand=info".to_string(), ok(&listing));
    let server = serve(routes, Options::default());
    let out = ktopo()
        .args(["connectors", "--offline", "--connect", &server.url])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        !s.contains('\u{1b}') && !s.contains('\u{7}') && !s.contains('\u{202e}'),
        "{s}"
    );
    assert!(s.contains("✗ evil\\u{1b}]52;c;aGk=\\u{7}\\n✓ forged"), "{s}");
    assert!(!s.lines().any(|l| l.starts_with("✓ forged")), "no line of its own: {s}");
    assert!(s.contains("\\u{1b}[2Jboom\\u{202e}"), "{s}");
}

/// `ktopo drift --json` of the enterprise registry with a Connect worker serving
/// `listing` (the mock cluster for the rest): the connector findings only.
fn connector_drift(listing: Value, topics: &[(&str, &[&str])]) -> (Vec<Value>, Value) {
    let (p, bootstrap) = common::mock_cluster(1, &[("db.changes.users", 1)]);
    let mut routes = HashMap::new();
    routes.insert("/connectors?expand=status&expand=info".to_string(), ok(&listing));
    for (name, used) in topics {
        routes.insert(
            format!("/connectors/{name}/topics"),
            ok(&json!({ *name: {"topics": used} })),
        );
    }
    let server = serve(routes, Options::default());
    let out = ktopo()
        .args([
            "-r",
            "assets/registries/enterprise-agent-platform.yaml",
            "drift",
            "--json",
            "--samples",
            "1",
            "-b",
            &bootstrap,
            "--connect",
            &format!("main={}", server.url),
        ])
        .output()
        .unwrap();
    drop(p);
    let v: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let connector_kinds = [
        "missing-connector",
        "failed-connector",
        "paused-connector",
        "connector-not-running",
        "connector-type",
        "undeclared-connector-topic",
    ];
    let found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| connector_kinds.contains(&f["kind"].as_str().unwrap()))
        .cloned()
        .collect();
    (found, v["failed"].clone())
}

fn entry(name: &str, kind: &str, state: &str, task: Value) -> (String, Value) {
    (
        name.to_string(),
        json!({"info": {"name": name, "type": kind, "config": {"connector.class": "x.Y"}, "tasks": []},
               "status": {"name": name, "type": kind, "connector": {"state": state, "worker_id": "w:8083"}, "tasks": [task]}}),
    )
}

#[test]
fn drift_reports_declared_connectors_missing_failed_and_undeclared_topic_use() {
    let running = json!({"id": 0, "state": "RUNNING", "worker_id": "w:8083"});
    let failed = json!({"id": 0, "state": "FAILED", "worker_id": "w:8083",
                        "trace": "org.apache.kafka.connect.errors.DataException: bad record\n\tat x"});
    // The source runs; the sink is missing; an undeclared sink reads a registry topic.
    let listing: serde_json::Map<String, Value> = [
        entry("cdc-debezium", "source", "RUNNING", running.clone()),
        entry("rogue-sink", "sink", "RUNNING", running.clone()),
    ]
    .into_iter()
    .collect();
    let (found, failed_checks) = connector_drift(
        Value::Object(listing),
        &[
            ("cdc-debezium", &["db.changes.users", "db.changes.conversations"]),
            ("rogue-sink", &["db.changes.users"]),
        ],
    );
    assert_eq!(failed_checks, json!([]));
    let got: Vec<(String, String, String)> = found
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().into(),
                f["severity"].as_str().unwrap().into(),
                f["message"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("missing-connector".into(), "error".into(), "declared sink connector `warehouse-sync` is not on Connect cluster `main`".into()),
            ("undeclared-connector-topic".into(), "warning".into(), "connector `rogue-sink` reads registry topic `db.changes.users`: the registry does not declare this connector".into()),
        ]
    );
    // Both findings point into the registry file.
    let lines: Vec<u64> = found.iter().map(|f| f["location"]["line"].as_u64().unwrap()).collect();
    let yaml =
        std::fs::read_to_string(common::root().join("assets/registries/enterprise-agent-platform.yaml")).unwrap();
    let line = |n: u64| yaml.lines().nth(n as usize - 1).unwrap().to_string();
    assert!(line(lines[0]).contains("name: warehouse-sync"), "{}", line(lines[0]));
    assert!(line(lines[1]).contains("name: db.changes.users"), "{}", line(lines[1]));
    // The sink there with a failed task, the source paused and writing a topic the
    // registry does not declare for it.
    let paused = json!({"id": 0, "state": "PAUSED", "worker_id": "w:8083"});
    let listing: serde_json::Map<String, Value> = [
        entry("cdc-debezium", "source", "PAUSED", paused),
        entry("warehouse-sync", "sink", "RUNNING", failed),
    ]
    .into_iter()
    .collect();
    let (found, _) = connector_drift(
        Value::Object(listing),
        &[
            ("cdc-debezium", &["db.changes.users", "agent.executions"]),
            ("warehouse-sync", &["db.changes.users"]),
        ],
    );
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("failed-connector", "connector `warehouse-sync` is 0/1 tasks running (FAILED): org.apache.kafka.connect.errors.DataException: bad record"),
            ("paused-connector", "connector `cdc-debezium` is connector PAUSED; 0/1 tasks running (PAUSED)"),
            ("undeclared-connector-topic", "connector `cdc-debezium` writes registry topic `agent.executions`: its `topics` in the registry do not include it"),
        ]
    );
}

#[test]
fn a_declared_connector_names_its_owning_service() {
    let listing: serde_json::Map<String, Value> = [entry(
        "warehouse-sync",
        "sink",
        "RUNNING",
        json!({"id": 0, "state": "RUNNING", "worker_id": "w:8083"}),
    )]
    .into_iter()
    .collect();
    let mut routes = HashMap::new();
    routes.insert(
        "/connectors?expand=status&expand=info".to_string(),
        ok(&Value::Object(listing)),
    );
    let server = serve(routes, Options::default());
    let out = ktopo()
        .args([
            "-r",
            "assets/registries/enterprise-agent-platform.yaml",
            "connectors",
            "--offline",
            "--json",
        ])
        .args(["--connect", &server.url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v["clusters"][0]["connectors"][0];
    assert_eq!(c["service"], "data_warehouse_sync");
    assert_eq!(c["group"]["id"], "connect-warehouse-sync");
}
