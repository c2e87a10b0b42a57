//! The demo's Schema Registry records: topics whose registry entry declares a subject
//! in Avro, Protobuf or JSON Schema are written in the Confluent wire format, as their
//! producers' serializers would. Each shape of message a topic's cycle writes (the
//! deliberate fault lacking a field is one more) is a version of the topic's subject,
//! with a schema derived from it, so a decoded record is the JSON message again and the
//! observed-event checks find exactly what they find in JSON.

use crate::core::registry::Registry;
use crate::core::schema::Format;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One registered schema: its subject, version, format and text.
#[derive(Debug, Clone, PartialEq)]
pub struct Registered {
    pub id: u32,
    pub subject: String,
    pub version: u32,
    pub format: Format,
    pub text: String,
}

/// Everything the demo's Schema Registry serves.
#[derive(Debug, Clone, Default)]
pub struct Schemas {
    /// By id, from 1.
    pub ids: Vec<Registered>,
}

impl Schemas {
    /// A subject's versions' ids, oldest first.
    pub fn versions(&self, subject: &str) -> Vec<&Registered> {
        self.ids.iter().filter(|r| r.subject == subject).collect()
    }

    fn register(&mut self, subject: &str, format: Format, text: String) -> u32 {
        if let Some(r) = self.ids.iter().find(|r| r.subject == subject && r.text == text) {
            return r.id;
        }
        let version = self.versions(subject).len() as u32 + 1;
        let id = self.ids.len() as u32 + 1;
        self.ids.push(Registered {
            id,
            subject: subject.to_string(),
            version,
            format,
            text,
        });
        id
    }
}

/// How one message of a cycle is written.
#[derive(Debug, Clone)]
enum Writer {
    Avro(u32, Arc<apache_avro::Schema>),
    Protobuf(u32, prost_reflect::MessageDescriptor),
    Json(u32),
}

/// A topic's writers, one per message of its cycle.
#[derive(Debug, Clone)]
pub struct Encoder {
    writers: Vec<Writer>,
    /// Whatever must live as long as the topic is written (the demo's registry server).
    pub keep: Option<Arc<dyn std::any::Any + Send + Sync>>,
}

impl Encoder {
    /// Message `index` of the cycle, its `{seq}` already filled in, in wire format; the
    /// JSON text as it is where it does not encode (never expected: said by drift).
    pub fn encode(&self, index: usize, text: &str) -> Vec<u8> {
        let Some(w) = self.writers.get(index) else {
            return text.as_bytes().to_vec();
        };
        let Ok(v) = serde_json::from_str::<Value>(text) else {
            return text.as_bytes().to_vec();
        };
        let framed = |id: u32, body: &[u8]| {
            let mut b = vec![0];
            b.extend(id.to_be_bytes());
            b.extend_from_slice(body);
            b
        };
        match w {
            Writer::Avro(id, s) => match apache_avro::to_avro_datum(s, avro_value(&v)) {
                Ok(d) => framed(*id, &d),
                Err(_) => text.as_bytes().to_vec(),
            },
            Writer::Protobuf(id, desc) => {
                use prost::Message;
                let mut de = serde_json::Deserializer::from_str(text);
                match prost_reflect::DynamicMessage::deserialize(desc.clone(), &mut de) {
                    // The message-index path [0] is the single byte 0.
                    Ok(m) => framed(*id, &[&[0u8][..], &m.encode_to_vec()].concat()),
                    Err(_) => text.as_bytes().to_vec(),
                }
            }
            Writer::Json(id) => framed(*id, text.as_bytes()),
        }
    }
}

/// An Avro or Protobuf name: letters, digits and `_`, not starting with a digit.
fn named(k: &str) -> bool {
    let mut c = k.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_') && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

/// The Avro schema of a JSON value (records for objects); None where one cannot say.
fn avro_schema(v: &Value, name: &str) -> Option<Value> {
    Some(match v {
        Value::String(_) => json!("string"),
        Value::Bool(_) => json!("boolean"),
        Value::Number(n) if n.is_i64() => json!("long"),
        Value::Number(_) => json!("double"),
        Value::Object(m) => {
            let mut fields = Vec::new();
            for (k, x) in m {
                if !named(k) {
                    return None;
                }
                fields.push(json!({"name": k, "type": avro_schema(x, &format!("{name}_{k}"))?}));
            }
            json!({"type": "record", "name": name, "fields": fields})
        }
        Value::Null | Value::Array(_) => return None,
    })
}

fn avro_value(v: &Value) -> apache_avro::types::Value {
    use apache_avro::types::Value as A;
    match v {
        Value::String(s) => A::String(s.clone()),
        Value::Bool(b) => A::Boolean(*b),
        Value::Number(n) => n.as_i64().map_or(A::Double(n.as_f64().unwrap_or(0.0)), A::Long),
        Value::Object(m) => A::Record(m.iter().map(|(k, x)| (k.clone(), avro_value(x))).collect()),
        Value::Null | Value::Array(_) => A::Null,
    }
}

/// The `.proto` messages of a JSON object, the root first (its index path is [0]).
fn proto_messages(m: &Map<String, Value>, name: &str, out: &mut Vec<String>) -> Option<()> {
    let at = out.len();
    out.push(String::new());
    let mut fields = Vec::new();
    for (i, (k, x)) in m.iter().enumerate() {
        if !named(k) {
            return None;
        }
        let kind = match x {
            Value::String(_) => "string".to_string(),
            Value::Bool(_) => "bool".to_string(),
            Value::Number(n) if n.is_i64() => "int64".to_string(),
            Value::Number(_) => "double".to_string(),
            Value::Object(o) => {
                let child = format!("{name}_{k}");
                proto_messages(o, &child, out)?;
                child
            }
            Value::Null | Value::Array(_) => return None,
        };
        fields.push(format!("  {kind} {k} = {};", i + 1));
    }
    out[at] = format!("message {name} {{\n{}\n}}\n", fields.join("\n"));
    Some(())
}

fn proto_text(v: &Value, name: &str) -> Option<String> {
    let mut out = Vec::new();
    proto_messages(v.as_object()?, name, &mut out)?;
    Some(format!("syntax = \"proto3\";\npackage ktopo.demo;\n\n{}", out.concat()))
}

/// A writer for one message of `subject`, its schema registered.
fn writer(schemas: &mut Schemas, subject: &str, format: Format, message: &str) -> Option<Writer> {
    let v: Value = serde_json::from_str(message).ok()?;
    let record = subject.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
    let record = format!("R_{record}");
    Some(match format {
        Format::Avro => {
            let s = avro_schema(&v, &record)?;
            let parsed = apache_avro::Schema::parse(&s).ok()?;
            Writer::Avro(schemas.register(subject, format, s.to_string()), Arc::new(parsed))
        }
        Format::Protobuf => {
            let text = proto_text(&v, &record)?;
            let desc = crate::core::schema::protobuf::compile(&text, &[])
                .ok()?
                .message(&[0])
                .ok()?;
            Writer::Protobuf(schemas.register(subject, format, text), desc)
        }
        Format::Json => Writer::Json(schemas.register(subject, format, json!({"type": "object"}).to_string())),
    })
}

/// The schemas to serve and an encoder for each topic that declares a subject, from
/// each topic's cycle of messages (`cycle`: None for a topic the demo does not create,
/// whose subject still exists). None: the registry declares no subject.
pub fn attach(
    reg: &Registry,
    cycle: impl Fn(&str) -> Option<Vec<String>>,
) -> Option<(Schemas, BTreeMap<String, Encoder>)> {
    let mut schemas = Schemas::default();
    let mut encoders = BTreeMap::new();
    let mut declared = false;
    for t in &reg.topics {
        let Some(subject) = t.declared_subject() else { continue };
        let Some(format) = Format::from_schema_type(t.schema_format.as_deref()) else {
            continue;
        };
        declared = true;
        let Some(messages) = cycle(&t.name) else { continue };
        let writers: Option<Vec<Writer>> = messages
            .iter()
            .map(|m| writer(&mut schemas, &subject, format, m))
            .collect();
        if let Some(writers) = writers.filter(|w| !w.is_empty()) {
            encoders.insert(t.name.clone(), Encoder { writers, keep: None });
        }
    }
    declared.then_some((schemas, encoders))
}
