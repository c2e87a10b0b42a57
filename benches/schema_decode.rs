//! What decoding Schema Registry records costs, per format: the same event envelope
//! (about 400 bytes as JSON) in Avro, Protobuf and JSON Schema wire format, decoded by
//! `core::schema` to JSON values (the schemas compiled once, as the session's cache
//! keeps them). Criterion reports messages per second (one element per record).
//!
//! Run: `cargo bench --bench schema_decode`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ktopo::core::schema::{self, Format, Limits, Text};
use prost::Message;
use serde_json::json;

const AVRO: &str = r#"{"type":"record","name":"Event","namespace":"bench","fields":[
  {"name":"event_id","type":{"type":"string","logicalType":"uuid"}},
  {"name":"event_type","type":"string"},
  {"name":"timestamp","type":{"type":"long","logicalType":"timestamp-millis"}},
  {"name":"tenant_id","type":"string"},
  {"name":"source_service","type":"string"},
  {"name":"version","type":"string"},
  {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},
  {"name":"tags","type":{"type":"array","items":"string"}},
  {"name":"note","type":["null","string"]},
  {"name":"payload","type":{"type":"record","name":"Payload","fields":[
    {"name":"n","type":"long"},{"name":"text","type":"string"}]}}]}"#;

const PROTO: &str = r#"syntax = "proto3";
package bench;
import "google/protobuf/timestamp.proto";
message Event {
  message Payload { int64 n = 1; string text = 2; }
  string event_id = 1; string event_type = 2; google.protobuf.Timestamp timestamp = 3;
  string tenant_id = 4; string source_service = 5; string version = 6; string amount = 7;
  repeated string tags = 8; string note = 9; Payload payload = 10;
}
"#;

fn event() -> serde_json::Value {
    json!({"event_id": "0b7f6c1e-2f4a-4d1e-9a51-000000000001", "event_type": "order_placed",
        "timestamp": "2026-11-30T05:00:00.123Z", "tenant_id": "5d2c1a3e-8b7f-4c6d-9e0a-1b2c3d4e5f60",
        "source_service": "orders", "version": "1.0.0", "amount": "1234.50", "tags": ["a", "b", "c"],
        "note": "padding padding padding padding padding padding",
        "payload": {"n": 42, "text": "padding padding padding padding padding padding"}})
}

fn avro_record() -> Vec<u8> {
    use apache_avro::types::Value as A;
    let s = apache_avro::Schema::parse_str(AVRO).unwrap();
    let e = event();
    let st = |k: &str| A::String(e[k].as_str().unwrap().into());
    let v = A::Record(vec![
        (
            "event_id".into(),
            A::Uuid(uuid::Uuid::parse_str(e["event_id"].as_str().unwrap()).unwrap()),
        ),
        ("event_type".into(), st("event_type")),
        ("timestamp".into(), A::TimestampMillis(1_764_478_800_123)),
        ("tenant_id".into(), st("tenant_id")),
        ("source_service".into(), st("source_service")),
        ("version".into(), st("version")),
        (
            "amount".into(),
            A::Decimal(apache_avro::Decimal::from(123_450i64.to_be_bytes().to_vec())),
        ),
        (
            "tags".into(),
            A::Array(vec![
                A::String("a".into()),
                A::String("b".into()),
                A::String("c".into()),
            ]),
        ),
        ("note".into(), A::Union(1, Box::new(st("note")))),
        (
            "payload".into(),
            A::Record(vec![
                ("n".into(), A::Long(42)),
                ("text".into(), A::String(e["payload"]["text"].as_str().unwrap().into())),
            ]),
        ),
    ]);
    apache_avro::to_avro_datum(&s, v).unwrap()
}

fn proto_record() -> Vec<u8> {
    let mut c = protox::Compiler::with_file_resolver({
        struct F;
        impl protox::file::FileResolver for F {
            fn open_file(&self, name: &str) -> Result<protox::file::File, protox::Error> {
                match name {
                    "e.proto" => protox::file::File::from_source(name, PROTO),
                    _ => protox::file::GoogleFileResolver::new().open_file(name),
                }
            }
        }
        F
    });
    c.open_file("e.proto").unwrap();
    let m = c.descriptor_pool().get_message_by_name("bench.Event").unwrap();
    let mut b = vec![0u8];
    b.extend(
        prost_reflect::DynamicMessage::deserialize(m, event())
            .unwrap()
            .encode_to_vec(),
    );
    b
}

fn bench(c: &mut Criterion) {
    let limits = Limits::default();
    let cases = [
        (Format::Avro, AVRO.to_string(), avro_record()),
        (Format::Protobuf, PROTO.to_string(), proto_record()),
        (Format::Json, "{}".to_string(), serde_json::to_vec(&event()).unwrap()),
    ];
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Elements(1));
    for (format, text, body) in cases {
        let compiled = schema::compile(&Text {
            format,
            schema: text,
            references: vec![],
        })
        .unwrap();
        let once = schema::decode(&compiled, &body, &limits).unwrap();
        assert_eq!(once.value["payload"]["n"], 42, "{format:?}: {}", once.value);
        g.bench_function(format.name(), |b| {
            b.iter(|| schema::decode(&compiled, std::hint::black_box(&body), &limits).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
