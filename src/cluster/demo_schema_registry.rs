//! The demo's Schema Registry: the read endpoints ktopo (and any Confluent client)
//! uses, served on 127.0.0.1 at a port the system chooses, by one thread, for the
//! schemas `demo_schemas` derived. Requests are read under a size cap and a timeout;
//! anything but GET is refused (405). It stops when its `Server` is dropped.

use super::demo_schemas::Schemas;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Bytes of a request head read at most.
const MAX_HEAD: u64 = 8 << 10;

/// The running server; dropping it stops the thread.
#[derive(Debug)]
pub struct Server {
    pub url: String,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accepting thread so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

/// Serve `schemas` on 127.0.0.1 until the `Server` is dropped.
pub fn serve(schemas: Schemas) -> std::io::Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    std::thread::Builder::new()
        .name("ktopo-demo-schema-registry".into())
        .spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::Relaxed) {
                    return;
                }
                if let Ok(s) = stream {
                    let _ = answer(s, &schemas);
                }
            }
        })?;
    Ok(Server {
        url: format!("http://{addr}"),
        stop,
        addr,
    })
}

fn answer(stream: TcpStream, schemas: &Schemas) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    stream.set_write_timeout(Some(Duration::from_secs(2)))?;
    let mut head = BufReader::new((&stream).take(MAX_HEAD));
    let mut first = String::new();
    head.read_line(&mut first)?;
    loop {
        let mut line = String::new();
        if head.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = first.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (status, body) = if method != "GET" {
        (
            405,
            json!({"error_code": 405, "message": "this demo registry is read-only"}),
        )
    } else {
        route(schemas, path.split('?').next().unwrap_or(""))
    };
    let body = body.to_string();
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        if status == 200 { "OK" } else { "Error" },
        body.len()
    );
    let mut out = &stream;
    out.write_all(head.as_bytes())?;
    out.write_all(body.as_bytes())
}

fn schema_type(r: &super::demo_schemas::Registered) -> &'static str {
    match r.format {
        crate::core::schema::Format::Avro => "AVRO",
        crate::core::schema::Format::Protobuf => "PROTOBUF",
        crate::core::schema::Format::Json => "JSON",
    }
}

fn version_json(r: &super::demo_schemas::Registered) -> Value {
    json!({"subject": r.subject, "version": r.version, "id": r.id,
        "schemaType": schema_type(r), "schema": r.text})
}

/// The answer to `GET path`, as Confluent's registry gives it.
fn route(schemas: &Schemas, path: &str) -> (u16, Value) {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let no_schema = (404, json!({"error_code": 40403, "message": "Schema not found"}));
    let no_subject = (404, json!({"error_code": 40401, "message": "Subject not found"}));
    let by_id = |id: &str| {
        id.parse::<u32>()
            .ok()
            .and_then(|i| schemas.ids.iter().find(|r| r.id == i))
    };
    match segs.as_slice() {
        ["schemas", "ids", id] => match by_id(id) {
            Some(r) => (
                200,
                json!({"schemaType": schema_type(r), "schema": r.text, "references": []}),
            ),
            None => no_schema,
        },
        ["schemas", "ids", id, "versions"] => match by_id(id) {
            Some(r) => (200, json!([{"subject": r.subject, "version": r.version}])),
            None => no_schema,
        },
        ["subjects"] => {
            let mut names: Vec<&str> = schemas.ids.iter().map(|r| r.subject.as_str()).collect();
            names.dedup();
            (200, json!(names))
        }
        ["subjects", s, "versions"] => match schemas.versions(s).as_slice() {
            [] => no_subject,
            v => (200, json!(v.iter().map(|r| r.version).collect::<Vec<_>>())),
        },
        ["subjects", s, "versions", v] => {
            let versions = schemas.versions(s);
            if versions.is_empty() {
                return no_subject;
            }
            let found = match *v {
                "latest" | "-1" => versions.last().copied(),
                v => v
                    .parse::<u32>()
                    .ok()
                    .and_then(|n| versions.iter().copied().find(|r| r.version == n)),
            };
            match found {
                Some(r) => (200, version_json(r)),
                None => (404, json!({"error_code": 40402, "message": "Version not found"})),
            }
        }
        // No subject has a level of its own: the global default applies, as it does by default.
        ["config", _] => (
            404,
            json!({"error_code": 40408, "message": "Subject does not have subject-level compatibility configured"}),
        ),
        ["config"] => (200, json!({"compatibilityLevel": "BACKWARD"})),
        _ => (404, json!({"error_code": 404, "message": "HTTP 404 Not Found"})),
    }
}

/// Serve the scenario's schemas, kept alive by the topics it writes in wire format
/// (the demo thread owns them: the server stops with the demo). Its URL, or None
/// where the registry declares no subject or no port could be had (the topics are
/// then written as JSON).
pub fn start(scenario: &mut crate::cluster::kafka::demo::Scenario) -> Option<String> {
    let schemas = scenario.schemas.take()?;
    let server = match serve(schemas) {
        Ok(s) => Arc::new(s),
        Err(_) => {
            scenario.topics.iter_mut().for_each(|t| t.encoder = None);
            return None;
        }
    };
    for e in scenario.topics.iter_mut().filter_map(|t| t.encoder.as_mut()) {
        e.keep = Some(server.clone());
    }
    Some(server.url.clone())
}
