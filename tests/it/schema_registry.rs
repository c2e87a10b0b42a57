//! Schema Registry decoding end to end: records written in the Confluent wire format
//! (both forms) to the mock cluster, schemas served by a Schema Registry on 127.0.0.1
//! that logs every request, read by the real `ktopo peek`. Encoders here are the
//! libraries' own (apache-avro, prost-reflect), not ktopo's decoder run backwards.

pub(crate) mod server;

use crate::common;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

const CUSTOMER: &str = r#"{"type":"record","name":"Customer","namespace":"shop","fields":[
  {"name":"name","type":"string"},
  {"name":"id","type":{"type":"string","logicalType":"uuid"}}]}"#;

const ORDER_AVRO: &str = r#"{"type":"record","name":"Order","namespace":"shop","fields":[
  {"name":"id","type":"long"},
  {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
  {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
  {"name":"day","type":{"type":"int","logicalType":"date"}},
  {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID"]}},
  {"name":"note","type":["null","string"]},
  {"name":"tags","type":{"type":"array","items":"string"}},
  {"name":"customer","type":"shop.Customer"},
  {"name":"previous","type":["null","Status"]}]}"#;

const MONEY: &str = r#"syntax = "proto3";
package common;
message Money { string currency_code = 1; int64 units = 2; }
"#;

const ORDER_PROTO: &str = r#"syntax = "proto3";
package shop;
import "common/money.proto";
import "google/protobuf/timestamp.proto";
message Envelope { string event_type = 1; int64 seq = 2; }
message Order {
  message Line { string sku = 1; uint32 qty = 2; }
  string order_id = 1;
  repeated Line lines = 2;
  common.Money total = 3;
  google.protobuf.Timestamp placed_at = 4;
  Status status = 5;
}
enum Status { UNKNOWN = 0; PAID = 1; }
"#;

const JSON_SCHEMA: &str = r#"{"type":"object","properties":{"event_type":{"type":"string"}}}"#;

const GUID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

pub(crate) fn answer(v: Value) -> (u16, String) {
    (200, v.to_string())
}

/// The registry's answers: ids 1 (Avro, a reference), 2 (Protobuf, an import and a
/// well-known type), 3 (JSON Schema), the GUID (Avro), and the hostile ones.
fn routes() -> HashMap<String, (u16, String)> {
    let mut r = HashMap::new();
    r.insert(
        "/schemas/ids/1".into(),
        answer(json!({"schema": ORDER_AVRO, "references": [{"name": "shop.Customer", "subject": "customer-value", "version": 1}]})),
    );
    r.insert(
        "/schemas/ids/1/versions".into(),
        answer(json!([{"subject": "orders-value", "version": 3}])),
    );
    r.insert(
        "/subjects/customer-value/versions/1".into(),
        answer(json!({"subject": "customer-value", "version": 1, "id": 10, "schema": CUSTOMER})),
    );
    r.insert(
        "/schemas/ids/2".into(),
        answer(json!({"schemaType": "PROTOBUF", "schema": ORDER_PROTO,
            "references": [{"name": "common/money.proto", "subject": "money-value", "version": 2}]})),
    );
    r.insert(
        "/schemas/ids/2/versions".into(),
        answer(json!([{"subject": "orders.proto-value", "version": 1}])),
    );
    r.insert(
        "/subjects/money-value/versions/2".into(),
        answer(json!({"subject": "money-value", "version": 2, "id": 11, "schemaType": "PROTOBUF", "schema": MONEY})),
    );
    r.insert(
        "/schemas/ids/3".into(),
        answer(json!({"schemaType": "JSON", "schema": JSON_SCHEMA})),
    );
    r.insert(
        format!("/schemas/guids/{GUID}"),
        answer(json!({"schema": CUSTOMER, "references": []})),
    );
    // A schema that does not parse, one of 10 MB, a recursive one, a 5xx.
    r.insert(
        "/schemas/ids/20".into(),
        answer(json!({"schema": "{\"type\": \"record\", \"name\": "})),
    );
    r.insert(
        "/schemas/ids/21".into(),
        answer(json!({"schema": format!("{{\"type\":\"string\",\"doc\":\"{}\"}}", "x".repeat(10 << 20))})),
    );
    r.insert(
        "/schemas/ids/22".into(),
        answer(
            json!({"schema": r#"{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}"#}),
        ),
    );
    r.insert(
        "/schemas/ids/23".into(),
        (503, r#"{"error_code":50301,"message":"busy"}"#.into()),
    );
    r
}

fn avro_order() -> Vec<u8> {
    use apache_avro::types::Value as A;
    let (schema, refs) = apache_avro::Schema::parse_str_with_list(ORDER_AVRO, [CUSTOMER]).unwrap();
    let customer = A::Record(vec![
        ("name".into(), A::String("Ada".into())),
        (
            "id".into(),
            A::Uuid(uuid::Uuid::parse_str("550e8400-e29b-41d4-a716-446655440000").unwrap()),
        ),
    ]);
    let v = A::Record(vec![
        ("id".into(), A::Long(7)),
        (
            "amount".into(),
            A::Decimal(apache_avro::Decimal::from(vec![0x30, 0x39])),
        ),
        ("at".into(), A::TimestampMillis(1_000_000_000_123)),
        ("day".into(), A::Date(20_000)),
        ("status".into(), A::Enum(1, "PAID".into())),
        ("note".into(), A::Union(1, Box::new(A::String("gift \u{1b}[2J".into())))),
        (
            "tags".into(),
            A::Array(vec![A::String("a".into()), A::String("b".into())]),
        ),
        ("customer".into(), customer),
        ("previous".into(), A::Union(0, Box::new(A::Null))),
    ]);
    apache_avro::to_avro_datum_schemata(&schema, refs.iter().collect(), v).unwrap()
}

fn avro_order_json() -> Value {
    json!({"id": 7, "amount": "123.45", "at": "2001-09-09T01:46:40.123Z", "day": "2024-10-04",
        "status": "PAID", "note": "gift \u{1b}[2J", "tags": ["a", "b"],
        "customer": {"name": "Ada", "id": "550e8400-e29b-41d4-a716-446655440000"}, "previous": null})
}

/// A Protobuf record of the message at `path`, from JSON, by prost-reflect's encoder.
fn proto(path: &[usize], v: Value) -> Vec<u8> {
    use prost::Message;
    struct Files;
    impl protox::file::FileResolver for Files {
        fn open_file(&self, name: &str) -> Result<protox::file::File, protox::Error> {
            match name {
                "main.proto" => protox::file::File::from_source(name, ORDER_PROTO),
                "common/money.proto" => protox::file::File::from_source(name, MONEY),
                _ => protox::file::GoogleFileResolver::new().open_file(name),
            }
        }
    }
    let mut c = protox::Compiler::with_file_resolver(Files);
    c.open_file("main.proto").unwrap();
    let pool = c.descriptor_pool();
    let file = pool.get_file_by_name("main.proto").unwrap();
    let mut m = file.messages().nth(path[0]).unwrap();
    for &i in &path[1..] {
        let next = m.child_messages().nth(i).unwrap();
        m = next;
    }
    prost_reflect::DynamicMessage::deserialize(m, v)
        .unwrap()
        .encode_to_vec()
}

pub(crate) fn framed(id: u32, rest: &[&[u8]]) -> Vec<u8> {
    let mut b = vec![0];
    b.extend(id.to_be_bytes());
    for r in rest {
        b.extend_from_slice(r);
    }
    b
}

pub(crate) fn send(p: &BaseProducer, topic: &str, key: Option<&[u8]>, value: &[u8], headers: Option<OwnedHeaders>) {
    let mut r = BaseRecord::<[u8], [u8]>::to(topic).partition(0).payload(value);
    if let Some(k) = key {
        r = r.key(k);
    }
    if let Some(h) = headers {
        r = r.headers(h);
    }
    p.send(r).map_err(|(e, _)| e).unwrap();
}

/// `ktopo peek TOPIC --json` (and the extra args): its JSON, stdout and stderr.
fn peek(bootstrap: &str, topic: &str, extra: &[&str]) -> (Value, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ktopo"))
        .current_dir(common::root())
        .args(["peek", topic, "-n", "20", "-b", bootstrap])
        .args(extra)
        .env_remove("KTOPO_SCHEMA_REGISTRY")
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let v = if extra.contains(&"--json") {
        serde_json::from_str(&stdout).unwrap()
    } else {
        Value::Null
    };
    (v, stdout, stderr)
}

/// Each message's `value_decoded`, oldest first.
fn decoded(v: &Value) -> Vec<Value> {
    let mut m: Vec<Value> = v["messages"].as_array().unwrap().clone();
    m.sort_by_key(|m| m["offset"].as_i64());
    m.iter().map(|m| m["value_decoded"].clone()).collect()
}

#[test]
fn avro_protobuf_and_json_records_decode_to_exact_values_in_both_forms() {
    let sr = server::serve(routes(), None);
    let (p, bootstrap) = common::mock_cluster(1, &[("orders", 1), ("proto", 1), ("json", 1), ("guid", 1)]);
    send(&p, "orders", Some(b"plain-key"), &framed(1, &[&avro_order()]), None);
    send(&p, "orders", None, b"{\"not\": \"wire format\"}", None);
    // Protobuf: [0] by the single-0 shortcut, [1] and the nested [1, 0] in full.
    let env = proto(&[0], json!({"event_type": "order_placed", "seq": 9}));
    let order = proto(
        &[1],
        json!({"order_id": "o-1", "lines": [{"sku": "a", "qty": 2}], "total": {"currency_code": "EUR", "units": 12},
            "placed_at": "2026-12-01T10:00:00Z", "status": "PAID"}),
    );
    let line = proto(&[1, 0], json!({"sku": "b", "qty": 5}));
    send(&p, "proto", None, &framed(2, &[&[0], &env]), None);
    send(&p, "proto", None, &framed(2, &[&[2, 2], &order]), None);
    send(&p, "proto", None, &framed(2, &[&[4, 2, 0], &line]), None);
    send(&p, "json", None, &framed(3, &[b"{\"event_type\":\"x\",\"n\":1}"]), None);
    // Confluent Platform 8: the GUID in a header, the value the bare record.
    let mut h = vec![1u8];
    h.extend(uuid::Uuid::parse_str(GUID).unwrap().as_bytes());
    let customer = {
        let s = apache_avro::Schema::parse_str(CUSTOMER).unwrap();
        use apache_avro::types::Value as A;
        let v = A::Record(vec![
            ("name".into(), A::String("Bo".into())),
            ("id".into(), A::String("00000000-0000-0000-0000-000000000001".into())),
        ]);
        apache_avro::to_avro_datum(&s, v).unwrap()
    };
    let headers = OwnedHeaders::new().insert(Header {
        key: "__value_schema_id",
        value: Some(&h),
    });
    send(&p, "guid", None, &customer, Some(headers));
    p.flush(Duration::from_secs(10)).unwrap();

    let sr_flag = ["--schema-registry", sr.url.as_str(), "--json"];
    let (v, stdout, _) = peek(&bootstrap, "orders", &sr_flag);
    let d = decoded(&v);
    assert_eq!(d[0]["record"], avro_order_json(), "{stdout}");
    assert_eq!(
        d[0]["schema"],
        json!({"named": "id 1", "id": 1, "guid": null, "subject": "orders-value", "version": 3, "format": "avro"})
    );
    assert_eq!(d[1], Value::Null, "not wire format: as bytes");
    let msgs = v["messages"].as_array().unwrap();
    assert!(msgs
        .iter()
        .any(|m| m["key"]["text"] == "plain-key" && m["key_decoded"].is_null()));

    let (v, stdout, _) = peek(&bootstrap, "proto", &sr_flag);
    let d = decoded(&v);
    assert_eq!(
        d[0]["record"],
        json!({"event_type": "order_placed", "seq": 9}),
        "{stdout}"
    );
    assert_eq!(d[0]["message"], "shop.Envelope");
    assert_eq!(
        d[1]["record"],
        json!({"order_id": "o-1", "lines": [{"sku": "a", "qty": 2}], "total": {"currency_code": "EUR", "units": 12},
            "placed_at": "2026-12-01T10:00:00Z", "status": "PAID"})
    );
    assert_eq!(d[1]["message"], "shop.Order");
    assert_eq!(d[2]["record"], json!({"sku": "b", "qty": 5}));
    assert_eq!(d[2]["message"], "shop.Order.Line");
    assert_eq!(d[2]["schema"]["subject"], "orders.proto-value");
    assert_eq!(d[2]["schema"]["format"], "protobuf");

    let (v, _, _) = peek(&bootstrap, "json", &sr_flag);
    assert_eq!(decoded(&v)[0]["record"], json!({"event_type": "x", "n": 1}));
    assert_eq!(decoded(&v)[0]["schema"]["format"], "json");

    let (v, _, _) = peek(&bootstrap, "guid", &sr_flag);
    let d = decoded(&v);
    assert_eq!(
        d[0]["record"],
        json!({"name": "Bo", "id": "00000000-0000-0000-0000-000000000001"})
    );
    assert_eq!(d[0]["schema"]["guid"], GUID);

    // Text: the schema on its own line, the record in the gutter, escapes visible.
    let (_, text, _) = peek(&bootstrap, "orders", &["--schema-registry", &sr.url]);
    assert!(
        text.contains("   value schema: id 1 · orders-value v3 · avro\n"),
        "{text}"
    );
    assert!(text.contains("   │   \"amount\": \"123.45\",\n"), "{text}");
    assert!(text.chars().all(|c| !c.is_control() || c == '\n'), "{text:?}");
    // --raw: the bytes as before.
    let (_, raw, _) = peek(&bootstrap, "orders", &["--schema-registry", &sr.url, "--raw"]);
    assert!(!raw.contains("schema:") && raw.contains("00 00 00 00 01"), "{raw}");

    // Read-only, and each schema once per session (a session is one peek here).
    let log = sr.requests();
    assert!(log.iter().all(|r| r.method == "GET"), "{log:?}");
    let mut paths: Vec<&str> = log.iter().map(|r| r.path.as_str()).collect();
    paths.sort();
    let before = paths.len();
    paths.dedup();
    // `orders` was peeked twice with decoding (JSON, text): its paths twice, once each.
    assert_eq!(before - paths.len(), 3, "{log:?}");
    drop(p);
}

#[test]
fn bad_ids_bytes_and_schemas_give_notes_and_each_id_is_asked_once() {
    let sr = server::serve(routes(), None);
    let (p, bootstrap) = common::mock_cluster(1, &[("bad", 1)]);
    let values: Vec<Vec<u8>> = vec![
        framed(99, &[b"x"]),               // unknown id: 404
        framed(99, &[b"y"]),               // the same again: not asked again
        framed(1, &[&[0xff, 0xff]]),       // malformed Avro
        vec![0, 0, 1],                     // truncated header
        framed(2, &[&[4, 2]]),             // a Protobuf index path cut short
        framed(2, &[&[2, 40], b""]),       // index 20 of 2 messages
        framed(20, &[b""]),                // a schema that does not parse
        framed(21, &[b"\x02a"]),           // a 10 MB schema
        framed(22, &[&[2u8; 5000], &[0]]), // recursive: 5,000 levels
        framed(23, &[b""]),                // 503
    ];
    for v in &values {
        send(&p, "bad", None, v, None);
    }
    p.flush(Duration::from_secs(10)).unwrap();
    let (v, stdout, stderr) = peek(&bootstrap, "bad", &["--schema-registry", &sr.url, "--json"]);
    let notes: Vec<String> = decoded(&v)
        .iter()
        .map(|d| d["note"].as_str().unwrap_or("(decoded)").to_string())
        .collect();
    let want = [
        "schema id 99 is not in the schema registry (404)",
        "schema id 99 is not in the schema registry (404)",
        "does not decode with schema id 1 (orders-value)",
        "truncated wire-format header: 3 of 5 bytes",
        "Protobuf message indexes: truncated varint",
        "message index 20: the schema has 2 top-level messages",
        "the schema does not parse",
        "schema id 21: answer larger than 2097152 bytes",
        "nested deeper than 64 levels",
        "schema id 23: HTTP 503: busy",
    ];
    for (got, want) in notes.iter().zip(want) {
        assert!(got.contains(want), "{got:?} should say {want:?}\n{stdout}\n{stderr}");
    }
    assert_eq!(notes.len(), want.len(), "{notes:?}");
    let log = sr.requests();
    let ids99 = log.iter().filter(|r| r.path == "/schemas/ids/99").count();
    assert_eq!(ids99, 1, "{log:?}");
    let mut paths: Vec<&str> = log.iter().map(|r| r.path.as_str()).collect();
    let n = paths.len();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), n, "every path once: {log:?}");
    drop(p);
}

#[test]
fn credentials_are_sent_and_never_printed() {
    let secret = "s3cr3t-pw";
    let basic = format!("Basic {}", base64_of(&format!("alice:{secret}")));
    let sr = server::serve(routes(), Some(basic.clone()));
    let (p, bootstrap) = common::mock_cluster(1, &[("orders", 1)]);
    send(&p, "orders", None, &framed(1, &[&avro_order()]), None);
    p.flush(Duration::from_secs(10)).unwrap();
    let with_userinfo = sr.url.replace("http://", &format!("http://alice:{secret}@"));
    let (v, stdout, stderr) = peek(&bootstrap, "orders", &["--schema-registry", &with_userinfo, "--json"]);
    assert_eq!(decoded(&v)[0]["record"], avro_order_json(), "{stdout}{stderr}");
    assert!(!(stdout.clone() + &stderr).contains(secret));
    assert!(sr
        .requests()
        .iter()
        .all(|r| r.authorization.as_deref() == Some(basic.as_str())));

    // Wrong credentials from -X: a 401 note that names the property, not its value.
    let (v, stdout, stderr) = peek(
        &bootstrap,
        "orders",
        &[
            "--schema-registry",
            &sr.url,
            "-X",
            &format!("schema.registry.basic.auth.user.info=alice:{secret}-wrong"),
            "--json",
        ],
    );
    let note = decoded(&v)[0]["note"].as_str().unwrap().to_string();
    assert!(
        note.contains("refused schema id 1 (401)") && note.contains("user.info"),
        "{note}"
    );
    assert!(!(stdout + &stderr).contains(secret));

    // A bearer token, and a registry that is not there: said once, no secret.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    for _ in 0..3 {
        send(&p, "orders", None, &framed(1, &[&avro_order()]), None);
    }
    p.flush(Duration::from_secs(10)).unwrap();
    let (_, stdout, stderr) = peek(
        &bootstrap,
        "orders",
        &[
            "--schema-registry",
            &format!("http://bob:{secret}@{dead}"),
            "-X",
            "schema.registry.bearer.auth.token=tok-zzz-123",
        ],
    );
    let all = stdout + &stderr;
    assert_eq!(all.matches("unreachable (").count(), 1, "{all}");
    assert_eq!(
        all.matches("value not decoded: the schema registry is unreachable\n")
            .count(),
        4,
        "{all}"
    );
    assert!(!all.contains(secret) && !all.contains("tok-zzz"), "{all}");
    drop(p);
}

fn base64_of(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

pub(crate) const ENVELOPE_AVRO: &str = r#"{"type":"record","name":"Envelope","namespace":"billing","fields":[
  {"name":"event_id","type":{"type":"string","logicalType":"uuid"}},
  {"name":"event_type","type":"string"},
  {"name":"timestamp","type":{"type":"long","logicalType":"timestamp-millis"}},
  {"name":"tenant_id","type":"string"},
  {"name":"organization_id","type":"string"},
  {"name":"source_service","type":"string"},
  {"name":"version","type":"string"},
  {"name":"payload","type":{"type":"map","values":"long"}},
  {"name":"metadata","type":{"type":"record","name":"Meta","fields":[
    {"name":"correlation_id","type":"string"},{"name":"causation_id","type":"string"},
    {"name":"idempotency_key","type":"string"}]}}]}"#;

pub(crate) fn envelope_avro(event: &str, version: &str, tenant: &str) -> Vec<u8> {
    use apache_avro::types::Value as A;
    let s = apache_avro::Schema::parse_str(ENVELOPE_AVRO).unwrap();
    let st = |v: &str| A::String(v.into());
    let v = A::Record(vec![
        (
            "event_id".into(),
            A::Uuid(uuid::Uuid::parse_str("0b7f6c1e-2f4a-4d1e-9a51-0c3f2b8d9e10").unwrap()),
        ),
        ("event_type".into(), st(event)),
        ("timestamp".into(), A::TimestampMillis(1_764_478_800_123)),
        ("tenant_id".into(), st(tenant)),
        ("organization_id".into(), st("6e3d2b4f-9c8a-4d7e-8f1b-2c3d4e5f6a71")),
        ("source_service".into(), st("billing")),
        ("version".into(), st(version)),
        ("payload".into(), A::Map([("amount".to_string(), A::Long(12))].into())),
        (
            "metadata".into(),
            A::Record(vec![
                ("correlation_id".into(), st("7f4e3c5a-0d9b-4e8f-9a2c-3d4e5f6a7b82")),
                ("causation_id".into(), st("8a5f4d6b-1e0c-4f9a-8b3d-4e5f6a7b8c93")),
                ("idempotency_key".into(), st("pay-1")),
            ]),
        ),
    ]);
    framed(30, &[&apache_avro::to_avro_datum(&s, v).unwrap()])
}

/// The sampler decodes the tails it reads (on its own thread), so the observed-event
/// checks find a fault inside an Avro record exactly as inside JSON.
#[test]
fn observed_event_checks_read_decoded_avro_records() {
    let mut r = routes();
    r.insert("/schemas/ids/30".into(), answer(json!({"schema": ENVELOPE_AVRO})));
    let sr = server::serve(r, None);
    let (p, bootstrap) = common::mock_cluster(1, &[("billing_events", 1)]);
    send(
        &p,
        "billing_events",
        None,
        &envelope_avro("payment_succeeded", "1.2.0", "5d2c1a3e-8b7f-4c6d-9e0a-1b2c3d4e5f60"),
        None,
    );
    send(
        &p,
        "billing_events",
        None,
        &envelope_avro("payment_failed", "v1", "5d2c1a3e-8b7f-4c6d-9e0a-1b2c3d4e5f60"),
        None,
    );
    send(&p, "billing_events", None, &framed(99, &[b"?"]), None);
    p.flush(Duration::from_secs(10)).unwrap();
    let mut props = ktopo::cluster::kafka::config::Properties::default();
    props.set("bootstrap.servers", &bootstrap);
    props.set("schema.registry.url", &sr.url);
    let watch = ktopo::cluster::kafka::sampler::Watch {
        groups: vec![],
        last_write: vec![],
        configs_of: vec![],
        tails_of: vec!["billing_events".into()],
        tail_len: 10,
        ..Default::default()
    };
    let mut s = ktopo::cluster::kafka::sampler::Sampler::new(props, watch).unwrap();
    let sample = (0..3).map(|_| s.sample().unwrap()).last().unwrap();
    let tails = sample.tails.expect("tails on the third round");
    let reg = common::main_registry();
    let o = ktopo::core::observe::observe(&reg, "billing_events", &tails[0].1);
    assert_eq!(o.sampled, 3);
    assert_eq!(o.conforming, 1, "{o:?}");
    assert_eq!(o.malformed.get("version"), Some(&(1, "v1".to_string())), "{o:?}");
    assert_eq!(o.events.get("payment_failed"), Some(&1));
    assert_eq!(o.not_json, 1, "the record whose schema is unknown");
    let problems = sample.tail_problems.unwrap();
    assert_eq!(
        problems,
        ["`billing_events`: 1 wire-format record not decoded (schema id 99 is not in the schema registry (404))"]
    );

    // The TUI's messages screen shows the record and the schema that decoded it.
    let mut app = common::app("registry.yaml", 120, 40);
    let v = ktopo::core::live::view::LiveView {
        sample_ms: Some(10),
        source: "mock".into(),
        tails: Some(tails.clone()),
        ..Default::default()
    };
    app.update(ktopo::tui::state::Event::Tick(1.0));
    app.update(ktopo::tui::state::Event::Live(Box::new(v)));
    common::run_command(&mut app, "topics");
    let ti = app.data.reg.topic_index("billing_events").unwrap();
    while app.screen().items.topics()[app.screen().selected] != ti {
        common::press(&mut app, crossterm::event::KeyCode::Down);
    }
    common::press(&mut app, crossterm::event::KeyCode::Enter);
    common::press(&mut app, crossterm::event::KeyCode::Char('M'));
    // Newest first: the selected message is offset 2 (not decoded); offset 1 is decoded.
    common::press(&mut app, crossterm::event::KeyCode::Down);
    let screen = common::screen(&app);
    assert!(screen.contains("schema id 30 · avro"), "{screen}");
    assert!(screen.contains("\"version\": \"v1\""), "{screen}");
    drop(p);
}

/// `check` validates a topic's declared Schema Registry subject and format.
#[test]
fn check_validates_declared_subjects() {
    let base = std::fs::read_to_string(common::root().join("registry.yaml")).unwrap();
    let first = "schema: { status: tbd, note: implementation phase }";
    assert!(base.contains(first));
    let codes = |schema: &str| -> Vec<(String, String)> {
        let text = base.replacen(first, schema, 1);
        let c = ktopo::core::registry::load_str("r.yaml", text);
        c.diagnostics
            .iter()
            .filter(|d| d.code.starts_with("schema-"))
            .map(|d| (d.code.to_string(), d.message.clone()))
            .collect()
    };
    assert_eq!(
        codes("schema: { status: defined, format: avro, subject: auth_events-value }"),
        []
    );
    assert_eq!(codes("schema: { status: defined, format: PROTOBUF, subject: x }"), []);
    let got = codes("schema: { status: defined, format: xml, subject: auth_events-value }");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "schema-format");
    assert!(got[0].1.contains("with format `xml`"), "{got:?}");
    let got = codes("schema: { status: defined, subject: auth_events-value }");
    assert!(got[0].1.contains("with no format"), "{got:?}");
    let got = codes("schema: { status: defined, format: avro, subject: ' ' }");
    assert_eq!(got[0].0, "schema-subject", "{got:?}");
}

/// `ktopo check` on a topic's key subject and key format: good ones pass, an empty
/// subject and an unknown format are errors at file:line:col with the fix.
#[test]
fn check_validates_key_subjects_and_formats_where_they_are_written() {
    let base = std::fs::read_to_string(common::root().join("registry.yaml")).unwrap();
    let first = "schema: { status: tbd, note: implementation phase }";
    let check = |schema: &str| -> (i32, String, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.yaml");
        std::fs::write(&path, base.replacen(first, schema, 1)).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ktopo"))
            .args(["check", "-r"])
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
        assert!(!text.contains("panicked"), "{text}");
        (out.status.code().unwrap(), text, path.display().to_string())
    };
    // Where `needle` is written in the replaced line: line:col, 1-based.
    let at = |schema: &str, needle: &str| {
        let line = base.lines().position(|l| l.contains(first)).unwrap() + 1;
        let text = base.lines().nth(line - 1).unwrap().replacen(first, schema, 1);
        format!("{line}:{}", text.find(needle).unwrap() + 1)
    };
    for good in [
        "schema: { status: defined, key_format: avro }",
        "schema: { status: defined, key_subject: auth-key }",
        "schema: { status: defined, format: avro, key_format: PROTOBUF, key_subject: auth-key }",
        "schema: { status: defined, key_format: json }",
    ] {
        let (code, text, _) = check(good);
        assert_eq!(code, 0, "{good}: {text}");
        assert!(!text.contains("schema-"), "{good}: {text}");
    }
    let empty = "schema: { status: defined, key_subject: '' }";
    let (code, text, path) = check(empty);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("error[schema-subject]: `auth_events` declares an empty key schema subject"),
        "{text}"
    );
    assert!(text.contains(&format!("{path}:{}", at(empty, "''"))), "{text}");
    assert!(
        text.contains("the default key subject is `auth_events-key` (`key_format` alone means it)"),
        "{text}"
    );
    let xml = "schema: { status: defined, key_format: xml, key_subject: auth-key }";
    let (code, text, path) = check(xml);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(
            "error[schema-format]: `auth_events` declares key format `xml`, which no Schema Registry serializer writes"
        ),
        "{text}"
    );
    assert!(text.contains(&format!("{path}:{}", at(xml, "xml"))), "{text}");
    assert!(
        text.contains("`key_format: avro`, `key_format: protobuf` or `key_format: json`"),
        "{text}"
    );
    // The model: `key_format` alone means `<topic>-key`; an unknown one declares nothing.
    let reg = |schema: &str| {
        let c = ktopo::core::registry::load_str("r.yaml", base.replacen(first, schema, 1));
        c.registry.unwrap().topics[0].declared_key_subject()
    };
    assert_eq!(reg("schema: { key_format: avro }"), Some("auth_events-key".into()));
    assert_eq!(reg("schema: { key_format: xml }"), None);
    assert_eq!(reg("schema: { key_subject: k, key_format: xml }"), Some("k".into()));
    assert_eq!(reg("schema: { format: avro }"), None, "a value format declares no key");
}

#[test]
fn failures_that_may_pass_are_asked_again_after_retry_after_and_the_others_never() {
    use ktopo::cluster::schema_registry::{decoder::Decoder, settings};
    use ktopo::core::sample::message::RawMessage;
    let sr = server::serve(routes(), None);
    let mut props = ktopo::cluster::kafka::config::Properties::default();
    props.set("schema.registry.url", &sr.url);
    let decoder = || Decoder::new(settings::from_properties(&props).unwrap().unwrap());
    let message = |v: Vec<u8>| RawMessage {
        partition: 0,
        offset: 0,
        timestamp_ms: None,
        key: None,
        headers: Vec::new(),
        value_len: v.len(),
        value: Some(v),
        schema: None,
    };
    let asked = |path: &str| sr.requests().iter().filter(|r| r.path == path).count();
    // A 503 may pass: asked again once `retry_after` has passed (here at once); a 404
    // will not: asked once whatever the wait.
    let mut d = decoder();
    d.retry_after = Duration::ZERO;
    for _ in 0..3 {
        d.message(&message(framed(23, &[b""])));
        d.message(&message(framed(99, &[b"x"])));
    }
    assert_eq!(asked("/schemas/ids/23"), 3);
    assert_eq!(asked("/schemas/ids/99"), 1);
    // With the default wait, the 503 is kept for now: asked once more in all.
    let mut d = decoder();
    for _ in 0..3 {
        d.message(&message(framed(23, &[b""])));
    }
    assert_eq!(asked("/schemas/ids/23"), 4);
}

/// A value in wire format naming `id`, or (with `guid`) a `__value_schema_id` header.
fn raw(id: u32, guid: Option<[u8; 16]>) -> ktopo::core::sample::message::RawMessage {
    use ktopo::core::sample::message::{Cut, Header, RawMessage};
    let cut = |b: &[u8]| Cut {
        bytes: b.to_vec(),
        len: b.len(),
    };
    let value = if guid.is_some() {
        b"{}".to_vec()
    } else {
        framed(id, &[b""])
    };
    let mut headers = Vec::new();
    if let Some(g) = guid {
        let mut h = vec![1u8];
        h.extend(g);
        headers.push(Header::Kept(cut(b"__value_schema_id"), Some(cut(&h))));
    }
    RawMessage {
        partition: 0,
        offset: 0,
        timestamp_ms: None,
        key: None,
        headers,
        value_len: value.len(),
        value: Some(value),
        schema: None,
    }
}

/// More ids and GUIDs than a round asks: the `0000…` ones cannot keep the others from
/// being asked, each is asked within a few rounds, and once asked its answer stays
/// (strictly GETs).
#[test]
fn more_ids_and_guids_than_a_round_asks_are_each_asked_within_a_few_rounds() {
    use ktopo::cluster::schema_registry::guids::GUIDS_PER_ROUND;
    use ktopo::cluster::schema_registry::subjects::{SchemaWatch, IDS_PER_ROUND};
    use ktopo::cluster::schema_registry::{decoder::Decoder, settings};
    use ktopo::core::sample::schemas::{Declared, GuidAnswer, Part};
    let sr = server::serve(HashMap::new(), None);
    let mut props = ktopo::cluster::kafka::config::Properties::default();
    props.set("schema.registry.url", &sr.url);
    let mut d = Decoder::new(settings::from_properties(&props).unwrap().unwrap());
    let mut w = SchemaWatch::new(vec![Declared {
        topic: "t".into(),
        part: Part::Value,
        subject: "t-value".into(),
    }]);
    let n = IDS_PER_ROUND + GUIDS_PER_ROUND / 2;
    // The small ids and `0000…` GUIDs are the most written: they go first each time.
    let mut tail = Vec::new();
    for i in 0..n as u32 {
        let times = if i < 8 { 5 } else { 1 };
        for _ in 0..times {
            tail.push(raw(i + 1, None));
            let mut g = [0u8; 16];
            g[12..].copy_from_slice(&i.to_be_bytes());
            tail.push(raw(0, Some(g)));
        }
    }
    let tails = vec![("t".to_string(), tail)];
    let not_asked = |a: &ktopo::core::sample::schemas::Answers| {
        let ids = a
            .ids
            .values()
            .filter(|r| matches!(r, Err(Some(w)) if w.contains("not asked")))
            .count();
        let guids = a
            .guids
            .values()
            .filter(|r| matches!(r, GuidAnswer::Failed(w) if w.contains("not asked")))
            .count();
        (ids, guids, a.ids.len(), a.guids.len())
    };
    w.see(&tails);
    let first = w.round(Some(&mut d)).unwrap();
    let first = first.registry.as_ref().unwrap();
    assert_eq!(
        not_asked(first),
        (n - IDS_PER_ROUND, n - GUIDS_PER_ROUND, n, n),
        "{:?}",
        first.ids
    );
    w.see(&tails);
    let second = w.round(Some(&mut d)).unwrap();
    assert_eq!(not_asked(second.registry.as_ref().unwrap()), (0, 0, n, n));
    let log = sr.requests();
    assert!(log.iter().all(|r| r.method == "GET"), "{log:?}");
    let last = format!("/schemas/ids/{n}/versions");
    assert_eq!(
        log.iter().filter(|r| r.path == last).count(),
        1,
        "the largest id asked (once): {log:?}"
    );
    // The third round asks again only what the decoder does not keep: nothing.
    let sent = d.requests();
    w.see(&tails);
    w.round(Some(&mut d));
    assert_eq!(d.requests(), sent);
}

/// Message bytes choose the ids: the decoder keeps at most its cache's bound of them,
/// and an id dropped is fetched again and decoded when a record names it again.
#[test]
fn the_decoders_caches_are_bounded_and_an_id_dropped_decodes_again() {
    use ktopo::cluster::schema_registry::{decoder::Decoder, settings};
    use ktopo::core::schema::Decoding;
    let mut routes = HashMap::new();
    for id in 1..=40u32 {
        routes.insert(format!("/schemas/ids/{id}"), answer(json!({"schema": "\"string\""})));
        routes.insert(
            format!("/schemas/ids/{id}/versions"),
            answer(json!([{"subject": format!("s{id}-value"), "version": 1}])),
        );
    }
    let sr = server::serve(routes, None);
    let mut props = ktopo::cluster::kafka::config::Properties::default();
    props.set("schema.registry.url", &sr.url);
    let mut d = Decoder::new(settings::from_properties(&props).unwrap().unwrap());
    d.limit_cache(8);
    // Avro "hi": length 2 (zigzag 4), then the bytes.
    let decode = |d: &mut Decoder, id: u32| {
        let mut m = raw(id, None);
        m.value = Some(framed(id, &[&[4], b"hi"]));
        m.value_len = 7;
        d.message(&m).value
    };
    for id in 1..=40 {
        assert!(matches!(decode(&mut d, id), Decoding::Decoded { .. }), "id {id}");
        d.registered(id).unwrap();
    }
    let (schemas, registered, guids, bytes) = d.cached();
    assert!(schemas <= 8 && registered <= 8 && guids <= 8, "{:?}", d.cached());
    assert!(bytes < 8 * 1024, "{bytes}");
    let asked = |path: &str| sr.requests().iter().filter(|r| r.path == path).count();
    assert_eq!(asked("/schemas/ids/1"), 1);
    let again = decode(&mut d, 1);
    assert!(matches!(again, Decoding::Decoded { .. }), "{again:?}");
    assert_eq!(asked("/schemas/ids/1"), 2, "dropped, so fetched again");
    // The most recent stay: no request for them.
    let sent = d.requests();
    decode(&mut d, 40);
    assert_eq!(d.requests(), sent);
}

/// TLS files under the Confluent property names: one that cannot be used is said once,
/// as why the registry is unreachable, naming the file and the fix; nothing is sent.
#[test]
fn schema_registry_tls_files_that_cannot_be_used_are_said_and_nothing_is_sent() {
    use ktopo::cluster::schema_registry::subjects::SchemaWatch;
    use ktopo::cluster::schema_registry::{decoder::Decoder, settings};
    use ktopo::core::sample::schemas::{Declared, Part};
    let dir = tempfile::tempdir().unwrap();
    let not_pem = dir.path().join("ca.txt");
    std::fs::write(&not_pem, "not a certificate\n").unwrap();
    let sr = server::serve(HashMap::new(), None);
    for (extra, want) in [
        (
            vec![("schema.registry.ssl.ca.location", not_pem.display().to_string())],
            format!("the schema registry: {} holds no PEM certificate", not_pem.display()),
        ),
        (
            vec![("schema.registry.ssl.certificate.location", not_pem.display().to_string())],
            "a client certificate needs both schema.registry.ssl.certificate.location and schema.registry.ssl.key.location"
                .to_string(),
        ),
        (
            vec![("schema.registry.ssl.ca.location", "/nonexistent/ca.pem".to_string())],
            "the schema registry: cannot read /nonexistent/ca.pem".to_string(),
        ),
    ] {
        let mut props = ktopo::cluster::kafka::config::Properties::default();
        props.set("schema.registry.url", &sr.url);
        for (k, v) in &extra {
            props.set(k, v);
        }
        let mut d = Decoder::new(settings::from_properties(&props).unwrap().unwrap());
        let mut w = SchemaWatch::new(vec![Declared {
            topic: "t".into(),
            part: Part::Value,
            subject: "t-value".into(),
        }]);
        let s = w.round(Some(&mut d)).unwrap();
        let why = s.registry.as_ref().unwrap().unreachable.clone().unwrap_or_default();
        assert!(why.contains(&want), "{why:?} should say {want:?}");
    }
    assert!(sr.requests().is_empty(), "{:?}", sr.requests().len());
}
