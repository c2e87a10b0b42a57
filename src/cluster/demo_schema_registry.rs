//! The demo's Schema Registry: the read endpoints ktopo (and any Confluent client)
//! uses, for the schemas `demo_schemas` derived, served by `demo_http` (127.0.0.1,
//! GET only, until its `Server` is dropped).

use super::demo_http::{self, Server, Spec};
use super::demo_schemas::Schemas;
use serde_json::{json, Value};
use std::sync::Arc;

/// Serve `schemas` on 127.0.0.1 until the `Server` is dropped.
pub fn serve(schemas: Schemas) -> std::io::Result<Server> {
    demo_http::serve(Spec {
        thread: "ktopo-demo-schema-registry",
        content_type: "application/vnd.schemaregistry.v1+json",
        handler: move |path: &str| route(&schemas, path.split('?').next().unwrap_or("")),
    })
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
