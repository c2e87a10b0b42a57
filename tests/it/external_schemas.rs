//! Opt-in: records written to tansu by the official serializers of confluent-kafka's
//! Python client (Avro, Protobuf, JSON Schema; tests/data/schema_registry/
//! official_serializers.py) against the test Schema Registry on 127.0.0.1, then
//! `ktopo peek`'s decoded values and `ktopo drift`'s schema findings checked against
//! what they wrote. Fails when python3 or its packages are absent (.ci/run installs them).

use crate::common;
use crate::external::{create_topics, start_tansu, tool};
use crate::schema_registry::{answer, server};
use serde_json::{json, Value};
use std::process::Command;

const AVRO: &str = r#"{"type":"record","name":"Order","namespace":"ext","fields":[
  {"name":"order_id","type":"string"},{"name":"amount","type":"double"},
  {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID"]}},
  {"name":"note","type":["null","string"],"default":null},
  {"name":"tags","type":{"type":"array","items":"string"}}]}"#;

const PROTO: &str = r#"syntax = "proto3";
package ext;
message Event {
  message Inner { string note = 1; }
  string event_id = 1;
  int64 seq = 2;
  Inner inner = 3;
}
"#;

const JSON_SCHEMA: &str = r#"{"type":"object","properties":{"event_type":{"type":"string"},"n":{"type":"integer"}},"required":["event_type"]}"#;

const REGISTRY: &str = r#"services:
  - { id: 0, key: writer, name: Writer }
  - { id: 1, key: reader, name: Reader }
topics:
  - { name: sr.avro, producers: [writer], consumers: [reader], schema: { status: defined, format: avro } }
  - { name: sr.proto, producers: [writer], consumers: [reader], schema: { status: defined, format: protobuf } }
  - { name: sr.json, producers: [writer], consumers: [reader], schema: { status: defined, format: json, subject: sr.json-value } }
  - { name: sr.mixed, producers: [writer], consumers: [reader], schema: { status: defined, format: avro } }
  - { name: sr.guid, producers: [writer], consumers: [reader], schema: { status: defined, format: avro, key_format: avro } }
"#;

/// Each id's GUID, as Confluent Platform 8 gives every schema one.
fn guid(id: u32) -> String {
    format!("00000000-0000-4000-8000-{id:012}")
}

/// Subjects sr.avro-value (id 1), sr.proto-value (2), sr.json-value (3), sr.mixed-value
/// (4), sr.guid-value (5), sr.guid-key (6), sr.other-key (7), each with its GUID.
fn routes() -> std::collections::HashMap<String, (u16, String)> {
    let mut r = std::collections::HashMap::new();
    for (id, subject, kind, text) in [
        (1, "sr.avro-value", "AVRO", AVRO),
        (2, "sr.proto-value", "PROTOBUF", PROTO),
        (3, "sr.json-value", "JSON", JSON_SCHEMA),
        (4, "sr.mixed-value", "AVRO", AVRO),
        (5, "sr.guid-value", "AVRO", AVRO),
        (6, "sr.guid-key", "AVRO", "\"string\""),
        (7, "sr.other-key", "AVRO", "\"string\""),
    ] {
        let version =
            json!({"subject": subject, "version": 1, "id": id, "guid": guid(id), "schemaType": kind, "schema": text});
        r.insert(
            format!("/schemas/guids/{}", guid(id)),
            answer(json!({"id": id, "guid": guid(id), "schemaType": kind, "schema": text})),
        );
        r.insert(format!("/subjects/{subject}/versions/latest"), answer(version.clone()));
        r.insert(format!("/subjects/{subject}/versions/1"), answer(version));
        r.insert(
            format!("/schemas/ids/{id}"),
            answer(json!({"schemaType": kind, "schema": text})),
        );
        r.insert(
            format!("/schemas/ids/{id}/versions"),
            answer(json!([{"subject": subject, "version": 1}])),
        );
    }
    // The Protobuf serializer asks for the schema as a serialized FileDescriptorProto.
    let desc = ktopo::core::schema::protobuf::compile(PROTO, &[])
        .unwrap()
        .message(&[0])
        .unwrap();
    let file = prost::Message::encode_to_vec(desc.parent_file().file_descriptor_proto());
    let serialized = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(file)
    };
    r.insert(
        "/subjects/sr.proto-value/versions/latest?format=serialized".into(),
        answer(
            json!({"subject": "sr.proto-value", "version": 1, "id": 2, "schemaType": "PROTOBUF", "schema": serialized}),
        ),
    );
    r.insert("/config".into(), answer(json!({"compatibilityLevel": "BACKWARD"})));
    r
}

fn ktopo(args: &[&str], reg: &std::path::Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_ktopo"))
        .args(args)
        .arg("-r")
        .arg(reg)
        .env_remove("KTOPO_SCHEMA_REGISTRY")
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
#[ignore = "opt-in: needs tansu and confluent-kafka's Python serializers (installed by .ci/run)"]
fn official_python_serializers_records_are_decoded_by_peek_and_checked_by_drift() {
    use rdkafka::admin::{NewTopic, TopicReplication};
    // .ci/run installs the packages in a venv of their own and names its python here.
    let python = std::env::var_os("KTOPO_PYTHON").map_or_else(|| tool("python3"), std::path::PathBuf::from);
    let sr = server::serve(routes(), None);
    let broker = start_tansu();
    let topics = ["sr.avro", "sr.proto", "sr.json", "sr.mixed", "sr.guid"];
    let new: Vec<NewTopic> = topics
        .iter()
        .map(|t| NewTopic::new(t, 1, TopicReplication::Fixed(1)))
        .collect();
    create_topics(&broker.addr, &new);

    let out = Command::new(python)
        .arg(common::root().join("tests/data/schema_registry/official_serializers.py"))
        .args([&broker.addr, &sr.url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the official serializers failed (run .ci/run, or pip install 'confluent-kafka[avro,json,protobuf,schemaregistry]' and set KTOPO_PYTHON to that python): {}\nregistry requests: {:?}",
        String::from_utf8_lossy(&out.stderr),
        sr.requests()
    );
    let written: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(written.len(), 10, "{written:?}");

    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry.yaml");
    std::fs::write(&reg, REGISTRY).unwrap();
    for (topic, format) in [("sr.avro", "avro"), ("sr.proto", "protobuf"), ("sr.json", "json")] {
        let v = ktopo(
            &[
                "peek",
                topic,
                "--json",
                "-b",
                &broker.addr,
                "--schema-registry",
                &sr.url,
            ],
            &reg,
        );
        let mut msgs = v["messages"].as_array().unwrap().clone();
        msgs.sort_by_key(|m| m["offset"].as_i64());
        let got: Vec<&Value> = msgs.iter().map(|m| &m["value_decoded"]["record"]).collect();
        let want: Vec<&Value> = written
            .iter()
            .filter(|w| w["topic"] == topic)
            .map(|w| &w["value"])
            .collect();
        assert_eq!(got, want, "{topic}: {v}");
        for m in &msgs {
            assert_eq!(m["value_decoded"]["schema"]["subject"], format!("{topic}-value"), "{m}");
            assert_eq!(m["value_decoded"]["schema"]["format"], format, "{m}");
        }
    }

    // sr.guid's first record as written: the value by GUID header, the key by id.
    let v = ktopo(
        &[
            "peek",
            "sr.guid",
            "--json",
            "-b",
            &broker.addr,
            "--schema-registry",
            &sr.url,
        ],
        &reg,
    );
    let m = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["offset"] == 0)
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(m["value_decoded"]["schema"]["guid"], guid(5), "{m}");
    assert_eq!(m["value_decoded"]["record"]["order_id"], "g-0", "{m}");
    assert_eq!(m["key_decoded"]["schema"]["subject"], "sr.guid-key", "{m}");
    assert_eq!(m["key_decoded"]["record"], "k-0", "{m}");

    let v = ktopo(
        &[
            "drift",
            "--json",
            "--samples",
            "3",
            "-b",
            &broker.addr,
            "--schema-registry",
            &sr.url,
        ],
        &reg,
    );
    let found: Vec<(String, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"].as_str().unwrap().starts_with("schema-"))
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("kind"), s("topic"), s("message"))
        })
        .collect();
    assert_eq!(
        found,
        [
            ("schema-not-wire-format".to_string(), "sr.mixed".to_string(),
             "`sr.mixed` declares schema subject `sr.mixed-value`, but 1 of the 2 values sampled is not in the Schema Registry wire format (the first at partition 0 offset 1): their producer does not use the registry's serializer, and consumers that deserialize with it fail on them".to_string()),
            ("schema-subject-mismatch".into(), "sr.guid".into(),
             format!("`sr.guid`: 1 sampled value names schema guid {} (id 1), registered under `sr.avro-value` v1, not the declared subject `sr.guid-value` (the first at partition 0 offset 1)", guid(1))),
            ("schema-subject-mismatch".into(), "sr.guid".into(),
             format!("`sr.guid`: 1 sampled key names schema guid {} (id 7), registered under `sr.other-key` v1, not the declared key subject `sr.guid-key` (the first at partition 0 offset 1)", guid(7))),
            ("schema-subject-mismatch".into(), "sr.mixed".into(),
             "`sr.mixed`: 1 sampled value names schema id 1, registered under `sr.avro-value` v1, not the declared subject `sr.mixed-value` (the first at partition 0 offset 0)".into()),
        ],
        "{v}"
    );
    assert!(sr.requests().iter().all(|r| r.method == "GET"), "{:?}", sr.requests());
}
