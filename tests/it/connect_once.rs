//! One-shot commands read each Connect cluster once, synchronously: `ktopo connectors`
//! and `drift --connect` send each endpoint once (no watch thread reading it again),
//! and `impact --live` names a failed source connector however slow the worker is.

use crate::common;
use crate::kafka_connect::server::{serve, Options, Server};
use crate::kafka_connect::{modern_routes, old_routes};
use assert_cmd::Command;
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;

fn ktopo() -> Command {
    let mut c = Command::cargo_bin("ktopo").unwrap();
    c.current_dir(common::root())
        .env_remove("KTOPO_BROKERS")
        .env_remove("KTOPO_REGISTRY")
        .env_remove("KTOPO_CONNECT")
        .timeout(Duration::from_secs(120));
    c
}

/// Every path the worker was asked more than once.
fn asked_twice(server: &Server) -> Vec<String> {
    let mut n: HashMap<String, usize> = HashMap::new();
    for r in server.requests() {
        assert_eq!(r.method, "GET");
        *n.entry(r.path).or_default() += 1;
    }
    n.into_iter().filter(|(_, k)| *k > 1).map(|(p, _)| p).collect()
}

#[test]
fn ktopo_connectors_asks_each_endpoint_once() {
    let (p, bootstrap) = common::mock_cluster(1, &[("db.changes.users", 1)]);
    // An old worker: a request per connector, the case where a second read hurts.
    let server = serve(old_routes(), Options::default());
    let out = ktopo()
        .args([
            "-r",
            "tests/fixtures/connect_live.yaml",
            "connectors",
            "--samples",
            "2",
            "-b",
            &bootstrap,
            "--connect",
            &format!("main={}", server.url),
        ])
        .output()
        .unwrap();
    drop(p);
    assert!(out.status.code().is_some(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("warehouse-sink"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 1 listing + 7 x (status, config) + 7 topics (404 ends them after the first).
    assert!(server.requests().len() >= 15, "{:?}", server.requests());
    assert_eq!(asked_twice(&server), Vec::<String>::new());
}

#[test]
fn drift_with_connect_asks_each_endpoint_once() {
    let (p, bootstrap) = common::mock_cluster(1, &[("db.changes.users", 1)]);
    let server = serve(modern_routes(), Options::default());
    let out = ktopo()
        .args([
            "-r",
            "tests/fixtures/connect_live.yaml",
            "drift",
            "--json",
            "--samples",
            "2",
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
    // The connectors were judged: broken-source is declared and FAILED.
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "failed-connector"),
        "{v}"
    );
    assert_eq!(server.requests().len(), 8, "{:?}", server.requests());
    assert_eq!(asked_twice(&server), Vec::<String>::new());
}

/// A worker taking 300 ms an answer (8 requests: 2.4 s, longer than the quick rounds
/// `impact --live` samples): the failed source is named all the same.
#[test]
fn impact_live_names_a_failed_source_however_slow_the_worker() {
    let server = serve(
        modern_routes(),
        Options {
            delay: Some(Duration::from_millis(300)),
            ..Options::default()
        },
    );
    let out = ktopo()
        .args([
            "-r",
            "tests/fixtures/connect_live.yaml",
            "impact",
            "--live",
            "--json",
            "--samples",
            "1",
            "--connect",
            &format!("main={}", server.url),
        ])
        .output()
        .unwrap();
    let v: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let row = v["stale"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["node"] == "topic:metrics.raw")
        .unwrap_or_else(|| panic!("metrics.raw is not stale: {v}"));
    assert_eq!(row["because"]["connector"], "broken-source", "{row}");
    assert_eq!(row["because"]["state"], "FAILED", "{row}");
    assert_eq!(asked_twice(&server), Vec::<String>::new());
}
