//! The demo on any registry (registry.yaml, the enterprise registry with dotted names,
//! no group convention and pattern consumers, and a generated one): every promised
//! status shows (the scenario replayed on a scripted clock, `demo_steady::replay`), and
//! `ktopo drift` against the real mock cluster finds exactly the demo's deliberate
//! faults, nothing that comes from the demo's own messages.

use crate::common;
use crate::demo_steady::{replay, PROMISED};
use assert_cmd::Command;
use ktopo::cluster::kafka::demo::Behaviour;
use std::collections::BTreeSet;
use std::path::Path;

const ENTERPRISE: &str = "assets/registries/enterprise-agent-platform.yaml";

/// A generated registry (`core::synthetic`) in a directory of its own.
fn generated(dir: &Path) -> String {
    let path = dir.join("generated.yaml");
    std::fs::write(&path, ktopo::core::synthetic::registry(12, 16)).unwrap();
    path.to_string_lossy().into_owned()
}

fn ktopo(registry: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::cargo_bin("ktopo")
        .unwrap()
        .current_dir(common::root())
        .env_remove("KTOPO_BROKERS")
        .env_remove("KTOPO_REGISTRY")
        .args(["-r", registry])
        .args(args)
        .timeout(std::time::Duration::from_secs(150))
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `ktopo drift --json` on the demo: each finding's (kind, subject).
fn drift(registry: &str) -> BTreeSet<(String, String)> {
    let v = ktopo(registry, &["drift", "--json"]);
    assert_eq!(v["failed"].as_array().map_or(0, Vec::len), 0, "{v}");
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn set(pairs: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    pairs.iter().map(|(k, s)| (k.to_string(), s.to_string())).collect()
}

/// The group the demo scenario never starts on `rel` (drift's MISSING consumer).
fn silent(rel: &str) -> String {
    let reg = common::load(rel);
    let watched = ktopo::cluster::connect::demo_watch(&reg).groups;
    let sc = ktopo::cluster::demo_scenario::for_registry(&reg, &watched);
    let silent: Vec<&str> = sc
        .groups
        .iter()
        .filter(|g| g.behaviour == Behaviour::Silent)
        .map(|g| g.group.as_str())
        .collect();
    assert_eq!(silent.len(), 1, "{rel}: one group never commits: {silent:?}");
    silent[0].to_string()
}

/// Every promised status is shown, and most groups are healthy.
fn every_status(rel: &str) {
    let (sc, shown, _) = replay(rel);
    for h in PROMISED {
        assert!(shown.contains(&h), "{rel}: {h:?} not shown: {shown:?}");
    }
    let healthy = sc.groups.iter().filter(|g| g.behaviour == Behaviour::Healthy).count();
    assert!(
        healthy * 2 > sc.groups.len(),
        "{rel}: a healthy majority: {:?}",
        sc.groups
    );
}

#[test]
fn every_status_on_the_enterprise_registry() {
    every_status(ENTERPRISE);
}

#[test]
fn every_status_on_a_generated_registry() {
    let dir = tempfile::tempdir().unwrap();
    every_status(&generated(dir.path()));
}

#[test]
fn drift_on_registry_yaml_is_the_deliberate_faults() {
    let want = set(&[
        ("undeclared-topic", "adhoc_debug_dump"),
        ("missing-topic", "agent_action_events"),
        ("partitions", "billing_events"),
        ("missing-consumer", "monitoring_engine_voice_events_consumer"),
        ("message-format", "billing_events"),
        ("undeclared-event", "refund_issued"),
        ("undeclared-producer", "legacy_admin_tool"),
        ("deprecated-written", "nda_events"),
        ("deprecated-consumed", "nda_events"),
        ("deprecated-producer", "sales_document_generator"),
        ("misrouted-event", "nda_signed"),
        ("misrouted-event", "nda_fully_signed"),
        ("deprecated-present", "nda_events"),
        ("deprecated-present", "outreach_events"),
        ("deprecated-present", "personalization_events"),
        ("deprecated-present", "pricing_events"),
        ("deprecated-present", "proposal_events"),
    ]);
    assert_eq!(drift("registry.yaml"), want);
}

#[test]
fn drift_on_the_enterprise_registry_is_the_deliberate_faults() {
    // No group convention: the demo names its groups demo.SERVICE.TOPIC; every topic
    // is consumed (the warehouse-sync connector reads `*`), so none is left uncreated.
    let missing = silent(ENTERPRISE);
    assert!(missing.starts_with("demo."), "{missing}");
    let want = set(&[
        ("undeclared-topic", "adhoc_debug_dump"),
        ("partitions", "db.changes.users"),
        ("missing-consumer", &missing),
        ("message-format", "db.changes.users"),
        ("undeclared-event", "demo_undeclared_event"),
        ("undeclared-producer", "legacy_admin_tool"),
    ]);
    assert_eq!(drift(ENTERPRISE), want);
}

#[test]
fn drift_on_a_generated_registry_is_the_deliberate_faults() {
    let dir = tempfile::tempdir().unwrap();
    let rel = generated(dir.path());
    let missing = silent(&rel);
    // No envelope: no message lacks a field.
    let want = set(&[
        ("undeclared-topic", "adhoc_debug_dump"),
        ("partitions", "topic0_events"),
        ("missing-consumer", &missing),
        ("undeclared-event", "demo_undeclared_event"),
        ("undeclared-producer", "legacy_admin_tool"),
    ]);
    assert_eq!(drift(&rel), want);
}

#[test]
fn lag_on_the_enterprise_registry_has_a_row_per_consumer() {
    let v = ktopo(ENTERPRISE, &["lag", "--json", "--samples", "2", "--interval", "0.5"]);
    let rows: BTreeSet<(&str, &str, &str)> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap(),
                g["topic"].as_str().unwrap(),
                g["service"].as_str().unwrap_or("?"),
            )
        })
        .collect();
    // Named consumers, the `db.changes.*` pattern and the warehouse-sync connector's `*`
    // (its group by Connect's rule, `connect-NAME`).
    for want in [
        (
            "demo.analytics_service.agent.executions",
            "agent.executions",
            "analytics_service",
        ),
        (
            "demo.audit_service.db.changes.conversations",
            "db.changes.conversations",
            "audit_service",
        ),
        ("connect-warehouse-sync", "external.market.data", "warehouse-sync"),
        (
            "demo.siem_integration.compliance.alerts",
            "compliance.alerts",
            "siem_integration",
        ),
    ] {
        assert!(rows.contains(&want), "{want:?} in {rows:#?}");
    }
    assert_eq!(rows.len(), 14, "{rows:#?}");
}
