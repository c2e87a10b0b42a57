//! `ktopo init --merge` against the scripted broker, which lists its groups (the mock
//! cluster does not): a group reading a declared topic becomes a consumer entry on it
//! with its group id, a sink connector's group stays the connector's, and merging the
//! merged file again adds nothing.

use super::script::Group;
use super::{json, registry, script, text, Broker};
use std::path::Path;

fn init(broker: &Broker, connect: &str, from: &Path, to: &Path) -> std::process::Output {
    assert_cmd::Command::cargo_bin("ktopo")
        .unwrap()
        .env("HOME", "/nonexistent")
        .env_remove("KTOPO_CONFIG")
        .env_remove("KTOPO_CONTEXT")
        .env_remove("KTOPO_BROKERS")
        .args([
            "init",
            "--tail",
            "0",
            "-b",
            &broker.bootstrap(),
            "--connect",
            connect,
            "--merge",
        ])
        .arg(from)
        .arg("-o")
        .arg(to)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap()
}

#[test]
fn merge_adds_the_groups_reading_declared_topics_as_consumers_once() {
    use serde_json::json;
    let mut s = script([10; 3], [10; 3]);
    s.groups.push(Group::new("fraud_scanner", &[("orders_events", 0, 10)]));
    s.groups.push(Group::new(
        "audit_invoice_events_consumer",
        &[("invoice_events", 0, 500)],
    ));
    s.groups
        .push(Group::new("connect-archive", &[("orders_events", 1, 10)]));
    let broker = Broker::start(s);
    let listing = json!({"archive": {
        "info": {"name": "archive", "type": "sink", "tasks": [], "config": {"connector.class": "S3Sink", "topics": "orders_events"}},
        "status": {"name": "archive", "type": "sink", "connector": {"state": "RUNNING", "worker_id": "w:8083"},
                   "tasks": [{"id": 0, "state": "RUNNING", "worker_id": "w:8083"}]}}});
    let mut routes = std::collections::HashMap::new();
    routes.insert(
        "/connectors?expand=status&expand=info".to_string(),
        crate::kafka_connect::ok(&listing),
    );
    routes.insert(
        "/connectors/archive/topics".to_string(),
        crate::kafka_connect::ok(&json!({"archive": {"topics": ["orders_events"]}})),
    );
    let worker = crate::kafka_connect::server::serve(routes, Default::default());
    let reg = registry();
    let dir = tempfile::tempdir().unwrap();
    let (once, twice) = (dir.path().join("once.yaml"), dir.path().join("twice.yaml"));
    let out = init(&broker, &worker.url, &reg.path, &once);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("init: added 0 topics, 3 services, 1 connector and 2 links to declared entries"),
        "{err}"
    );
    let before = std::fs::read_to_string(&reg.path).unwrap();
    let after = std::fs::read_to_string(&once).unwrap();
    // billing's and ledger's groups are declared (by the convention): only the others.
    assert!(
        after.contains(
            "    # guess: `{ service: \"fraud_scanner\", group: \"fraud_scanner\" }` added to `consumers`: a service for the group `fraud_scanner`\n    consumers: [billing, { service: \"fraud_scanner\", group: \"fraud_scanner\" }]\n"
        ),
        "{after}"
    );
    assert!(
        after.contains("    consumers: [ledger, { service: \"audit\", group: \"audit_invoice_events_consumer\" }]\n"),
        "{after}"
    );
    assert!(after.contains("  - name: \"archive\"\n    type: sink\n"), "{after}");
    assert!(
        !after.contains("connect-archive"),
        "the sink's group is the connector's: {after}"
    );
    let mut rest = after.lines();
    for line in before.lines().filter(|l| !l.starts_with("    consumers: [")) {
        assert!(rest.any(|l| l == line), "lost or moved: {line:?}");
    }
    let check = assert_cmd::Command::cargo_bin("ktopo")
        .unwrap()
        .args(["check", "-r"])
        .arg(&once)
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}{}",
        text(&check.stdout),
        text(&check.stderr)
    );
    // Drift of the merged file sees no undeclared consumer any more.
    let drift = super::ktopo(&once, &broker, &["drift", "--json", "--samples", "1"])
        .output()
        .unwrap();
    let v = json(&drift);
    let kinds: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["kind"].as_str())
        .collect();
    assert!(!kinds.contains(&"undeclared-consumer"), "{v}");
    // Merging the merged file again adds nothing.
    let out = init(&broker, &worker.url, &once, &twice);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("init: added 0 topics, 0 services, 0 connectors and 0 links"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&twice).unwrap(), after);
}
