//! The demo's Schema Registry records: with no setup, `ktopo peek` on the demo cluster
//! decodes registry.yaml's Protobuf topic and the enterprise registry's Avro CDC topics
//! with the demo's own Schema Registry; that registry answers GETs only.

use crate::common;
use serde_json::Value;
use std::io::{Read, Write};

fn peek(registry: &str, topic: &str) -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ktopo"))
        .current_dir(common::root())
        .env_remove("KTOPO_BROKERS")
        .env_remove("KTOPO_SCHEMA_REGISTRY")
        .args(["-r", registry, "peek", topic, "-n", "5", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_demo_writes_protobuf_and_avro_that_peek_decodes_with_no_setup() {
    for (registry, topic, format) in [
        ("registry.yaml", "config_events", "protobuf"),
        (
            "assets/registries/enterprise-agent-platform.yaml",
            "db.changes.users",
            "avro",
        ),
        (
            "assets/registries/enterprise-agent-platform.yaml",
            "db.changes.conversations",
            "avro",
        ),
    ] {
        let v = peek(registry, topic);
        let msgs = v["messages"].as_array().unwrap();
        assert!(msgs.len() >= 5, "{topic}: {} messages", msgs.len());
        for m in msgs {
            let s = &m["value_decoded"]["schema"];
            assert_eq!(s["subject"], format!("{topic}-value"), "{m}");
            assert_eq!(s["format"], format, "{m}");
            assert!(s["version"].as_u64().unwrap() >= 1, "{m}");
            let record = m["value_decoded"]["record"].as_object().unwrap();
            assert!(record.len() >= 3, "{topic}: a decoded envelope: {m}");
        }
    }
}

#[test]
fn the_demo_schema_registry_serves_gets_only() {
    let reg = common::main_registry();
    let watched = ktopo::cluster::connect::demo_watch(&reg).groups;
    let mut sc = ktopo::cluster::demo_scenario::for_registry(&reg, &watched);
    let url = ktopo::cluster::demo_schema_registry::start(&mut sc).expect("registry.yaml declares a subject");
    let addr = url.trim_start_matches("http://");
    let ask = |req: &str| {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(req.as_bytes()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    };
    let latest = ask("GET /subjects/config_events-value/versions/latest HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(latest.starts_with("HTTP/1.1 200"), "{latest}");
    assert!(latest.contains(r#""schemaType":"PROTOBUF""#), "{latest}");
    let posted = ask("POST /subjects/config_events-value/versions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
    assert!(posted.starts_with("HTTP/1.1 405"), "{posted}");
    let global = ask("GET /config HTTP/1.1\r\n\r\n");
    assert!(global.contains(r#""compatibilityLevel":"BACKWARD""#), "{global}");
    drop(sc);
}
