//! Drift's Schema Registry findings end to end: records written to the mock cluster
//! (wire format under the declared subject, under another subject, under an id the
//! registry lacks, and plain JSON), subjects and compatibility served by the test
//! Schema Registry on 127.0.0.1, read by the real `ktopo drift`.

use crate::common;
use crate::schema_registry::{answer, envelope_avro, send, server, ENVELOPE_AVRO};
use rdkafka::producer::Producer;
use serde_json::{json, Value};
use std::time::Duration;

/// registry.yaml with three topics declaring subjects: `billing_events` in Avro under
/// the default `billing_events-value`, `agent_events` under a subject the Schema
/// Registry lacks, `org_events` under one with its own BACKWARD level.
pub(crate) fn registry(dir: &std::path::Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(common::root().join("registry.yaml")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut set = |topic: &str, schema: &str| {
        let at = lines
            .iter()
            .position(|l| l.trim() == format!("- name: {topic}"))
            .unwrap();
        let s = (at..).find(|&i| lines[i].trim_start().starts_with("schema:")).unwrap();
        lines[s] = format!("    schema: {schema}");
    };
    set("billing_events", "{ status: defined, format: avro }");
    set(
        "agent_events",
        "{ status: defined, format: protobuf, subject: agent-contract }",
    );
    set("org_events", "{ status: defined, format: avro, subject: org-value }");
    // The demo's Protobuf topic: not declared here (this test's registry serves none of it).
    set("config_events", "{ status: tbd }");
    let path = dir.join("registry.yaml");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

pub(crate) fn routes() -> std::collections::HashMap<String, (u16, String)> {
    let mut r = std::collections::HashMap::new();
    let not_found = |code: u32, m: &str| (404, json!({"error_code": code, "message": m}).to_string());
    r.insert("/schemas/ids/30".into(), answer(json!({"schema": ENVELOPE_AVRO})));
    r.insert(
        "/schemas/ids/30/versions".into(),
        answer(json!([{"subject": "billing_events-value", "version": 1}])),
    );
    r.insert("/schemas/ids/31".into(), answer(json!({"schema": ENVELOPE_AVRO})));
    r.insert(
        "/schemas/ids/31/versions".into(),
        answer(json!([{"subject": "payments-value", "version": 2}])),
    );
    r.insert(
        "/subjects/billing_events-value/versions/latest".into(),
        answer(json!({"subject": "billing_events-value", "version": 4, "id": 30, "schema": ENVELOPE_AVRO})),
    );
    r.insert(
        "/config/billing_events-value".into(),
        not_found(
            40408,
            "Subject 'billing_events-value' does not have subject-level compatibility configured",
        ),
    );
    r.insert("/config".into(), answer(json!({"compatibilityLevel": "NONE"})));
    r.insert(
        "/subjects/agent-contract/versions/latest".into(),
        not_found(40401, "Subject 'agent-contract' not found."),
    );
    r.insert(
        "/subjects/org-value/versions/latest".into(),
        answer(json!({"subject": "org-value", "version": 1, "id": 40, "schema": ENVELOPE_AVRO})),
    );
    r.insert(
        "/config/org-value".into(),
        answer(json!({"compatibilityLevel": "BACKWARD"})),
    );
    r
}

/// `ktopo drift --json` over 3 samples (the tails are read on the third), with `extra`.
fn drift(reg: &std::path::Path, bootstrap: &str, extra: &[&str]) -> (Value, i32) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ktopo"))
        .args(["drift", "--json", "--samples", "3", "-b", bootstrap, "-r"])
        .arg(reg)
        .args(extra)
        .env_remove("KTOPO_SCHEMA_REGISTRY")
        .output()
        .unwrap();
    let v =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code().unwrap())
}

/// The schema findings as (kind, severity, topic, message).
fn schema_findings(v: &Value) -> Vec<(String, String, String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"].as_str().unwrap().starts_with("schema-"))
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("kind"), s("severity"), s("topic"), s("message"))
        })
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn drift_reports_ids_off_the_subject_plain_values_missing_subjects_and_compatibility_none() {
    let sr = server::serve(routes(), None);
    let dir = tempfile::tempdir().unwrap();
    let reg = registry(dir.path());
    let (p, bootstrap) = common::mock_cluster(1, &[("billing_events", 1), ("agent_events", 1), ("org_events", 1)]);
    let tenant = "5d2c1a3e-8b7f-4c6d-9e0a-1b2c3d4e5f60";
    let good = envelope_avro("payment_succeeded", "1.2.0", tenant);
    let mut other = good.clone();
    other[1..5].copy_from_slice(&31u32.to_be_bytes());
    let mut unknown = good.clone();
    unknown[1..5].copy_from_slice(&99u32.to_be_bytes());
    for v in [&good, &good, &other, &unknown] {
        send(&p, "billing_events", None, v, None);
    }
    send(&p, "billing_events", None, br#"{"event_type":"payment_failed"}"#, None);
    p.flush(Duration::from_secs(10)).unwrap();

    let (v, code) = drift(&reg, &bootstrap, &["--schema-registry", &sr.url]);
    let url = &sr.url;
    assert_eq!(
        schema_findings(&v),
        [
            ("schema-not-wire-format".to_string(), "error".to_string(), "billing_events".to_string(),
             "`billing_events` declares schema subject `billing_events-value`, but 1 of the 5 values sampled is not in the Schema Registry wire format (the first at partition 0 offset 4): their producer does not use the registry's serializer, and consumers that deserialize with it fail on them".to_string()),
            ("schema-subject-mismatch".into(), "error".into(), "billing_events".into(),
             "`billing_events`: 1 sampled value names schema id 31, registered under `payments-value` v2, not the declared subject `billing_events-value` (the first at partition 0 offset 2)".into()),
            ("schema-subject-mismatch".into(), "error".into(), "billing_events".into(),
             "`billing_events`: 1 sampled value names schema id 99, which the schema registry does not have, not the declared subject `billing_events-value` (the first at partition 0 offset 3)".into()),
            ("schema-compatibility-none".into(), "warning".into(), "billing_events".into(),
             "schema subject `billing_events-value` of `billing_events` (latest version 4) has compatibility NONE (the schema registry's global default): any new schema is accepted, so a producer can break its consumers; set BACKWARD or stricter".into()),
            ("schema-subject-missing".into(), "warning".into(), "agent_events".into(),
             format!("`agent_events` declares schema subject `agent-contract`, which the schema registry {url} does not have: register its schema, or correct `schema.subject`")),
        ]
    );
    assert_eq!(code, 1);
    let finding = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "schema-subject-missing")
        .unwrap();
    assert!(
        finding["location"]["line"].as_u64().unwrap() > 0,
        "placed at the topic: {finding}"
    );

    // Read-only and bounded: GETs only, each subject, config and id once in the run.
    let log = sr.requests();
    assert!(log.iter().all(|r| r.method == "GET"), "{log:?}");
    let mut paths: Vec<&str> = log.iter().map(|r| r.path.as_str()).collect();
    paths.sort();
    let mut once = paths.clone();
    once.dedup();
    assert_eq!(paths, once, "every path asked once");
    for asked in [
        "/subjects/billing_events-value/versions/latest",
        "/config/billing_events-value",
        "/config",
        "/subjects/agent-contract/versions/latest",
        "/subjects/org-value/versions/latest",
        "/config/org-value",
        "/schemas/ids/31/versions",
        "/schemas/ids/99/versions",
    ] {
        assert!(paths.contains(&asked), "{asked} in {paths:?}");
    }
    assert!(
        !paths.contains(&"/config/agent-contract"),
        "a missing subject's level is not asked"
    );

    // Without a Schema Registry: the framing alone, and what could not be looked at.
    let (v, _) = drift(&reg, &bootstrap, &[]);
    let kinds: Vec<String> = schema_findings(&v).into_iter().map(|f| f.0).collect();
    assert_eq!(kinds, ["schema-not-wire-format"]);
    assert!(
        strings(&v["not_computed"]).contains(
            &"schema subjects and compatibility: no Schema Registry given (--schema-registry URL, or schema.registry.url)"
                .to_string()
        ),
        "{v}"
    );

    // An unreachable registry is one check that could not run, never "missing".
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (v, code) = drift(&reg, &bootstrap, &["--schema-registry", &dead]);
    let kinds: Vec<String> = schema_findings(&v).into_iter().map(|f| f.0).collect();
    assert_eq!(kinds, ["schema-not-wire-format"]);
    let failed = strings(&v["failed"]);
    assert!(
        failed.iter().any(|f| f.starts_with(&format!(
            "schema subjects and compatibility: the schema registry {dead} is unreachable ("
        ))),
        "{failed:?}"
    );
    assert_eq!(code, 1, "a gate never passes on what it could not see");
    drop(p);
}
