//! Drift's Schema Registry findings end to end: records written to the mock cluster
//! (wire format under the declared subject, under another subject, under an id the
//! registry lacks, and plain JSON), subjects and compatibility served by the test
//! Schema Registry on 127.0.0.1, read by the real `ktopo drift`.

use crate::common;
use crate::schema_registry::{answer, envelope_avro, send, server, ENVELOPE_AVRO};
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::Producer;
use serde_json::{json, Value};
use std::time::Duration;

/// registry.yaml with three topics declaring subjects: `billing_events` in Avro under
/// the default `billing_events-value`, `agent_events` under a subject the Schema
/// Registry lacks, `org_events` under one with its own BACKWARD level.
pub(crate) fn registry(dir: &std::path::Path) -> std::path::PathBuf {
    registry_with(
        dir,
        &[
            ("billing_events", "{ status: defined, format: avro }"),
            (
                "agent_events",
                "{ status: defined, format: protobuf, subject: agent-contract }",
            ),
            ("org_events", "{ status: defined, format: avro, subject: org-value }"),
        ],
    )
}

/// registry.yaml with each (topic, `schema:` flow map) set, and nothing else declaring
/// a subject.
pub(crate) fn registry_with(dir: &std::path::Path, schemas: &[(&str, &str)]) -> std::path::PathBuf {
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
    for (topic, schema) in schemas {
        set(topic, schema);
    }
    // The demo's Protobuf topic: not declared here (this test's registry serves none of it).
    if !schemas.iter().any(|(t, _)| *t == "config_events") {
        set("config_events", "{ status: tbd }");
    }
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

/// GUIDs the tests' registry answers for: under the declared subject (by id 30), under
/// another (by id 31), unknown, and two whose answers name no id (one of them a
/// version of `org-value`).
const G_UNDER: &str = "11111111-1111-4111-8111-111111111111";
const G_OTHER: &str = "22222222-2222-4222-8222-222222222222";
const G_UNKNOWN: &str = "33333333-3333-4333-8333-333333333333";
const G_NOID_UNDER: &str = "44444444-4444-4444-8444-444444444444";
const G_NOID_OTHER: &str = "55555555-5555-4555-8555-555555555555";

/// `routes()` and the GUIDs' answers, org-value's versions (2 carries G_NOID_UNDER), a
/// key id under `billing_events-key` and that subject with the global NONE.
fn guid_routes() -> std::collections::HashMap<String, (u16, String)> {
    let mut r = routes();
    for (g, id) in [
        (G_UNDER, Some(30)),
        (G_OTHER, Some(31)),
        (G_NOID_UNDER, None),
        (G_NOID_OTHER, None),
    ] {
        let mut a = json!({"schema": ENVELOPE_AVRO, "guid": g});
        if let Some(id) = id {
            a["id"] = json!(id);
        }
        r.insert(format!("/schemas/guids/{g}"), answer(a));
    }
    r.insert("/subjects/org-value/versions".into(), answer(json!([1, 2])));
    r.insert(
        "/subjects/org-value/versions/1".into(),
        answer(json!({"subject": "org-value", "version": 1, "id": 40, "guid": "66666666-6666-4666-8666-666666666666", "schema": ENVELOPE_AVRO})),
    );
    r.insert(
        "/subjects/org-value/versions/2".into(),
        answer(json!({"subject": "org-value", "version": 2, "guid": G_NOID_UNDER, "schema": ENVELOPE_AVRO})),
    );
    r.insert("/schemas/ids/50".into(), answer(json!({"schema": "\"string\""})));
    r.insert(
        "/schemas/ids/50/versions".into(),
        answer(json!([{"subject": "billing_events-key", "version": 1}])),
    );
    r.insert(
        "/subjects/billing_events-key/versions/latest".into(),
        answer(json!({"subject": "billing_events-key", "version": 1, "id": 50, "schema": "\"string\""})),
    );
    r
}

/// A `__value_schema_id` / `__key_schema_id` header naming `guid`.
fn guid_header(headers: OwnedHeaders, name: &str, guid: &str) -> OwnedHeaders {
    let mut h = vec![1u8];
    h.extend(uuid::Uuid::parse_str(guid).unwrap().as_bytes());
    headers.insert(Header {
        key: name,
        value: Some(&h),
    })
}

/// The schema-subject-mismatch messages, and the paths the run asked (GETs asserted).
fn mismatches_and_paths(v: &Value, sr: &server::Server) -> (Vec<String>, Vec<String>) {
    let m = schema_findings(v)
        .into_iter()
        .filter(|f| f.0 == "schema-subject-mismatch")
        .map(|f| f.3)
        .collect();
    let log = sr.requests();
    assert!(log.iter().all(|r| r.method == "GET"), "{log:?}");
    let mut paths: Vec<String> = log.into_iter().map(|r| r.path).collect();
    paths.sort();
    (m, paths)
}

#[test]
fn drift_checks_guid_header_values_against_the_declared_subject() {
    let sr = server::serve(guid_routes(), None);
    let dir = tempfile::tempdir().unwrap();
    let reg = registry_with(
        dir.path(),
        &[
            ("billing_events", "{ status: defined, format: avro }"),
            ("org_events", "{ status: defined, format: avro, subject: org-value }"),
        ],
    );
    let (p, bootstrap) = common::mock_cluster(1, &[("billing_events", 1), ("org_events", 1)]);
    let bare = envelope_avro("payment_succeeded", "1.2.0", "5d2c1a3e-8b7f-4c6d-9e0a-1b2c3d4e5f60")[5..].to_vec();
    let value = |g: &str| Some(guid_header(OwnedHeaders::new(), "__value_schema_id", g));
    // billing_events: offsets 0 and 1 under the subject, 2 and 3 another's, 4 unknown.
    for g in [G_UNDER, G_UNDER, G_OTHER, G_OTHER, G_UNKNOWN] {
        send(&p, "billing_events", None, &bare, value(g));
    }
    // org_events: offset 0 a version of org-value, 1 none of its versions.
    for g in [G_NOID_UNDER, G_NOID_OTHER] {
        send(&p, "org_events", None, &bare, value(g));
    }
    p.flush(Duration::from_secs(10)).unwrap();

    let (v, code) = drift(&reg, &bootstrap, &["--schema-registry", &sr.url]);
    let (mismatches, paths) = mismatches_and_paths(&v, &sr);
    assert_eq!(
        mismatches,
        [
            format!("`billing_events`: 2 sampled values name schema guid {G_OTHER} (id 31), registered under `payments-value` v2, not the declared subject `billing_events-value` (the first at partition 0 offset 2)"),
            format!("`billing_events`: 1 sampled value names schema guid {G_UNKNOWN}, which the schema registry does not have, not the declared subject `billing_events-value` (the first at partition 0 offset 4)"),
            format!("`org_events`: 1 sampled value names schema guid {G_NOID_OTHER}, which is none of the 2 versions of the declared subject `org-value` (the first at partition 0 offset 1)"),
        ],
        "{v}"
    );
    assert_eq!(code, 1);
    let kinds: Vec<String> = schema_findings(&v).into_iter().map(|f| f.0).collect();
    assert!(!kinds.contains(&"schema-not-wire-format".to_string()), "{v}");
    // (The unknown GUID's record is also said not decoded, in the observed events' check.)
    assert!(
        strings(&v["failed"]).iter().all(|f| !f.starts_with("schema guid")),
        "{v}"
    );
    assert!(strings(&v["not_computed"]).iter().all(|f| !f.contains("guid")), "{v}");

    // Strictly GETs, each GUID, id and version asked once; the no-id GUIDs through
    // org-value's versions, never the ids' own versions for them.
    let mut once = paths.clone();
    once.dedup();
    assert_eq!(paths, once, "every path asked once");
    for asked in [
        format!("/schemas/guids/{G_UNDER}"),
        format!("/schemas/guids/{G_OTHER}"),
        format!("/schemas/guids/{G_UNKNOWN}"),
        format!("/schemas/guids/{G_NOID_UNDER}"),
        format!("/schemas/guids/{G_NOID_OTHER}"),
        "/schemas/ids/30/versions".into(),
        "/schemas/ids/31/versions".into(),
        "/subjects/org-value/versions".into(),
        "/subjects/org-value/versions/1".into(),
        "/subjects/org-value/versions/2".into(),
    ] {
        assert!(paths.contains(&asked), "{asked} in {paths:?}");
    }
    assert!(
        !paths
            .iter()
            .any(|p| p.starts_with("/subjects/billing_events-value/versions/") && !p.ends_with("/latest")),
        "GUIDs whose answer names an id need no subject versions: {paths:?}"
    );
    drop(p);
}

#[test]
fn drift_says_when_it_cannot_tell_a_guid_without_id_and_fails_on_unreadable_ones() {
    let mut r = guid_routes();
    // A registry before Confluent Platform 8: versions without `guid`.
    r.insert(
        "/subjects/org-value/versions/2".into(),
        answer(json!({"subject": "org-value", "version": 2, "schema": ENVELOPE_AVRO})),
    );
    r.insert(
        format!("/schemas/guids/{G_UNKNOWN}"),
        (500, json!({"error_code": 50001, "message": "boom"}).to_string()),
    );
    let sr = server::serve(r, None);
    let dir = tempfile::tempdir().unwrap();
    let reg = registry_with(
        dir.path(),
        &[
            ("billing_events", "{ status: defined, format: avro }"),
            ("org_events", "{ status: defined, format: avro, subject: org-value }"),
        ],
    );
    let (p, bootstrap) = common::mock_cluster(1, &[("billing_events", 1), ("org_events", 1)]);
    let bare = envelope_avro("payment_succeeded", "1.2.0", "5d2c1a3e-8b7f-4c6d-9e0a-1b2c3d4e5f60")[5..].to_vec();
    send(
        &p,
        "billing_events",
        None,
        &bare,
        Some(guid_header(OwnedHeaders::new(), "__value_schema_id", G_UNKNOWN)),
    );
    send(
        &p,
        "org_events",
        None,
        &bare,
        Some(guid_header(OwnedHeaders::new(), "__value_schema_id", G_NOID_OTHER)),
    );
    p.flush(Duration::from_secs(10)).unwrap();
    let (v, code) = drift(&reg, &bootstrap, &["--schema-registry", &sr.url]);
    let (mismatches, _) = mismatches_and_paths(&v, &sr);
    assert_eq!(mismatches, Vec::<String>::new(), "never a guess: {v}");
    let not_computed = strings(&v["not_computed"]);
    assert!(
        not_computed.contains(&format!("schema guid {G_NOID_OTHER} on `org_events`: cannot tell whether it is under the declared subject `org-value`: its answer names no schema id and the subject's versions carry no `guid` (a Schema Registry before Confluent Platform 8)")),
        "{not_computed:?}"
    );
    let failed = strings(&v["failed"]);
    assert!(
        failed.iter().any(|f| f.starts_with(&format!(
            "schema guid {G_UNKNOWN} on `billing_events`: schema guid {G_UNKNOWN}: HTTP 500"
        ))),
        "{failed:?}"
    );
    assert_eq!(code, 1, "a check that could not run fails the gate");
    drop(p);
}

#[test]
fn drift_checks_keys_against_the_declared_key_subject() {
    let sr = server::serve(guid_routes(), None);
    let dir = tempfile::tempdir().unwrap();
    let reg = registry_with(
        dir.path(),
        &[
            // `key_format` alone: TopicNameStrategy's `billing_events-key`; values not declared.
            ("billing_events", "{ status: defined, key_format: avro }"),
            ("org_events", "{ status: defined, format: json, key_subject: org-key }"),
        ],
    );
    let (p, bootstrap) = common::mock_cluster(1, &[("billing_events", 1), ("org_events", 1)]);
    let framed = |id: u32, rec: &[u8]| {
        let mut b = vec![0u8];
        b.extend(id.to_be_bytes());
        b.extend(rec);
        b
    };
    let key = apache_avro::to_avro_datum(
        &apache_avro::Schema::parse_str("\"string\"").unwrap(),
        apache_avro::types::Value::String("k-1".into()),
    )
    .unwrap();
    let json_value = br#"{"event_type":"payment_failed"}"#;
    // Offsets 0 and 1: under the key subject; 2: id 31, another subject's; 3: a plain
    // key; 4: a GUID header naming id 31; 5: no key at all.
    send(&p, "billing_events", Some(&framed(50, &key)), json_value, None);
    send(&p, "billing_events", Some(&framed(50, &key)), json_value, None);
    send(&p, "billing_events", Some(&framed(31, &key)), json_value, None);
    send(&p, "billing_events", Some(b"tenant-7"), json_value, None);
    send(
        &p,
        "billing_events",
        Some(&key),
        json_value,
        Some(guid_header(OwnedHeaders::new(), "__key_schema_id", G_OTHER)),
    );
    send(&p, "billing_events", None, json_value, None);
    send(&p, "org_events", Some(&framed(50, &key)), json_value, None);
    p.flush(Duration::from_secs(10)).unwrap();

    let (v, code) = drift(&reg, &bootstrap, &["--schema-registry", &sr.url]);
    let url = &sr.url;
    assert_eq!(
        schema_findings(&v),
        [
            ("schema-not-wire-format".to_string(), "error".to_string(), "billing_events".to_string(),
             "`billing_events` declares key schema subject `billing_events-key`, but 1 of the 5 keys sampled is not in the Schema Registry wire format (the first at partition 0 offset 3): their producer does not use the registry's serializer, and consumers that deserialize keys with it fail on them".to_string()),
            ("schema-subject-mismatch".into(), "error".into(), "billing_events".into(),
             "`billing_events`: 1 sampled key names schema id 31, registered under `payments-value` v2, not the declared key subject `billing_events-key` (the first at partition 0 offset 2)".into()),
            ("schema-subject-mismatch".into(), "error".into(), "billing_events".into(),
             format!("`billing_events`: 1 sampled key names schema guid {G_OTHER} (id 31), registered under `payments-value` v2, not the declared key subject `billing_events-key` (the first at partition 0 offset 4)")),
            ("schema-subject-mismatch".into(), "error".into(), "org_events".into(),
             "`org_events`: 1 sampled key names schema id 50, registered under `billing_events-key` v1, not the declared key subject `org-key` (the first at partition 0 offset 0)".into()),
            ("schema-compatibility-none".into(), "warning".into(), "billing_events".into(),
             "key schema subject `billing_events-key` of `billing_events` (latest version 1) has compatibility NONE (the schema registry's global default): any new schema is accepted, so a producer can break its consumers; set BACKWARD or stricter".into()),
            ("schema-subject-missing".into(), "warning".into(), "org_events".into(),
             format!("`org_events` declares key schema subject `org-key`, which the schema registry {url} does not have: register its schema, or correct `schema.key_subject`")),
        ],
        "{v}"
    );
    assert_eq!(code, 1);
    let (_, paths) = mismatches_and_paths(&v, &sr);
    for asked in [
        "/subjects/billing_events-key/versions/latest",
        "/config/billing_events-key",
        "/subjects/org-key/versions/latest",
        "/schemas/ids/50/versions",
    ] {
        assert!(paths.iter().any(|p| p == asked), "{asked} in {paths:?}");
    }
    assert!(
        !paths.iter().any(|p| p.contains("-value/versions/latest")),
        "no value subject declared, none asked: {paths:?}"
    );
    drop(p);
}
