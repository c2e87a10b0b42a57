//! `ktopo export --format asyncapi`: one AsyncAPI 3.0 document for the platform.
//! Each topic is a channel with its Kafka binding and a message per event type (with
//! the registry's examples); each producer a `send` and each consumer a `receive`
//! operation (its group id in the Kafka operation binding). AsyncAPI has no place for
//! a deprecation (asyncapi/spec#305) or for owners, domains and conventions: those are
//! said in the description and kept in `x-ktopo-…` extensions, which import reads back.

use crate::core::registry::model::{Endpoint, Topic};
use crate::core::registry::{Registry, Status};
use serde_json::{json, Map, Value};

const BINDING_VERSION: &str = "0.5.0";
const DAY_MS: u64 = 86_400_000;

pub fn render(reg: &Registry) -> String {
    serde_saphyr::to_string(&document(reg)).unwrap_or_default()
}

/// The document as JSON data (tests validate it against the AsyncAPI JSON Schema).
pub fn document(reg: &Registry) -> Value {
    let mut channels = Map::new();
    let mut operations = Map::new();
    let mut ids = Ids::default();
    for t in &reg.topics {
        let id = ids.unique(&t.name);
        let (channel, messages) = channel(reg, t);
        channels.insert(id.clone(), channel);
        if t.status != Status::Active {
            continue;
        }
        for (action, list) in [("send", &t.producers), ("receive", &t.consumers)] {
            for e in list {
                let key = &reg.services[e.service].key;
                let op_id = ids.unique(&format!("{key}.{action}.{}", t.name));
                operations.insert(op_id, operation(action, key, &id, &messages, e));
            }
        }
    }
    let p = &reg.platform;
    let mut info = Map::new();
    info.insert(
        "title".into(),
        p.name.clone().unwrap_or_else(|| "Kafka platform".into()).into(),
    );
    info.insert(
        "version".into(),
        p.last_updated.clone().unwrap_or_else(|| "1.0.0".into()).into(),
    );
    let mut description = p.description.clone().unwrap_or_default();
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(
        "Written by `ktopo export --format asyncapi` from a ktopo registry; `ktopo import asyncapi` reads it back.",
    );
    info.insert("description".into(), description.into());
    let mut root = Map::new();
    root.insert("asyncapi".into(), "3.0.0".into());
    root.insert("info".into(), Value::Object(info));
    root.insert("defaultContentType".into(), "application/json".into());
    root.insert("channels".into(), Value::Object(channels));
    root.insert("operations".into(), Value::Object(operations));
    root.insert("x-ktopo-platform".into(), platform(reg));
    Value::Object(root)
}

/// AsyncAPI keys allow letters, digits, `.`, `-` and `_`; each key made of a name is
/// made so, and unique.
#[derive(Default)]
struct Ids(Vec<String>);

impl Ids {
    fn unique(&mut self, name: &str) -> String {
        let base = key(name);
        let mut id = base.clone();
        let mut n = 2;
        while self.0.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.0.push(id.clone());
        id
    }
}

fn key(name: &str) -> String {
    let k: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if k.is_empty() {
        "_".into()
    } else {
        k
    }
}

/// A topic's channel, and its message keys by event name.
fn channel(reg: &Registry, t: &Topic) -> (Value, Vec<(String, String)>) {
    let mut c = Map::new();
    c.insert("address".into(), t.name.clone().into());
    let about = t.purpose.clone().or_else(|| t.summary.clone());
    let description = match &t.deprecation {
        Some(d) => {
            let mut s = format!("Deprecated: replaced by `{}`.", d.replaced_by);
            for part in [&d.reason, &d.migration].into_iter().flatten() {
                s.push(' ');
                s.push_str(part.trim_end());
                if !s.ends_with(['.', '!', '?']) {
                    s.push('.');
                }
            }
            if let Some(a) = &about {
                s.push_str("\n\n");
                s.push_str(a);
            }
            Some(s)
        }
        None if t.status == Status::Proposed => Some(format!(
            "Proposed: not created yet.{}",
            about.map(|a| format!(" {a}")).unwrap_or_default()
        )),
        None => about,
    };
    if let Some(d) = description {
        c.insert("description".into(), d.into());
    }
    let mut ids = Ids::default();
    let mut messages = Map::new();
    let mut keys = Vec::new();
    let mut placed = vec![false; t.examples.len()];
    for e in &t.events {
        let id = ids.unique(&e.name);
        let mut m = Map::new();
        m.insert("name".into(), e.name.clone().into());
        if let Some(d) = &e.description {
            m.insert("summary".into(), d.clone().into());
        }
        let mut examples = Vec::new();
        for (i, ex) in t.examples.iter().enumerate() {
            let Ok(payload) = serde_json::from_str::<Value>(&ex.json) else {
                continue;
            };
            if payload.get(t.event_type_field()).and_then(Value::as_str) == Some(e.name.as_str()) && !placed[i] {
                placed[i] = true;
                examples.push(json!({ "name": ex.name, "payload": payload }));
            }
        }
        if !examples.is_empty() {
            m.insert("examples".into(), Value::Array(examples));
        }
        messages.insert(id.clone(), Value::Object(m));
        keys.push((e.name.clone(), id));
    }
    if !messages.is_empty() {
        c.insert("messages".into(), Value::Object(messages));
    }
    let mut kafka = Map::new();
    kafka.insert("topic".into(), t.name.clone().into());
    if let Some(n) = t.config.partitions {
        kafka.insert("partitions".into(), n.into());
    }
    let cfg = &t.config;
    let replicas = cfg
        .replication
        .get("production")
        .or_else(|| cfg.replication.values().next());
    if let Some(r) = replicas {
        kafka.insert("replicas".into(), (*r).into());
    }
    if let Some(days) = cfg.retention_days {
        kafka.insert(
            "topicConfiguration".into(),
            json!({ "retention.ms": u64::from(days) * DAY_MS }),
        );
    }
    kafka.insert("bindingVersion".into(), BINDING_VERSION.into());
    c.insert("bindings".into(), json!({ "kafka": kafka }));
    let unplaced: Vec<Value> = t
        .examples
        .iter()
        .zip(&placed)
        .filter(|(_, p)| !**p)
        .map(|(ex, _)| json!({ "name": ex.name, "json": ex.json }))
        .collect();
    c.insert("x-ktopo-topic".into(), topic_extras(reg, t, unplaced));
    (Value::Object(c), keys)
}

/// What the registry says of a topic that AsyncAPI has no field for, in the registry's
/// own keys (import copies them into the topic's entry).
fn topic_extras(reg: &Registry, t: &Topic, unplaced: Vec<Value>) -> Value {
    let mut f = Map::new();
    let mut put = |k: &str, v: Value| {
        if !is_empty(&v) {
            f.insert(k.into(), v);
        }
    };
    put("domain", json!(t.domain));
    let keys = |list: &[Endpoint]| -> Value {
        list.iter()
            .map(|e| Value::from(reg.services[e.service].key.clone()))
            .collect()
    };
    match t.status {
        Status::Deprecated => {
            if let Some(d) = &t.deprecation {
                put("replaced_by", json!(d.replaced_by));
                put("status", json!(d.status));
                put("reason", json!(d.reason));
                put("migration", json!(d.migration));
                let moves: Vec<Value> = d
                    .moves
                    .iter()
                    .map(|m| strip(json!({ "events": m.events, "to": m.to, "note": m.note })))
                    .collect();
                put("moves", Value::Array(moves));
                put("deprecated_on", json!(d.deprecated_on));
            }
        }
        Status::Proposed => {
            put("purpose", json!(t.purpose));
            put("candidate_producers", keys(&t.producers));
            put("candidate_consumers", keys(&t.consumers));
            put(
                "candidate_events",
                t.events.iter().map(|e| Value::from(e.name.clone())).collect(),
            );
            put("tbd", json!(t.tbd));
            if let Some(p) = &t.proposal {
                put("status", json!(p.status));
                put("decision", json!(p.decision));
            }
        }
        Status::Active => {
            put("summary", json!(t.summary));
            put("purpose", json!(t.purpose));
            put("tbd", json!(t.tbd));
            let schema = strip(json!({
                "status": t.schema_status,
                "note": t.schema_note,
                "reference": t.schema_reference,
                "format": t.schema_format,
            }));
            if schema != json!({ "status": "tbd" }) {
                put("schema", schema);
            }
            put("notes", json!(t.notes));
            put("use_cases", json!(t.use_cases));
            put("source", json!(t.source));
            put("key", json!(t.key));
            put("fields", json!(t.fields));
            if t.audit {
                put("audit", json!(true));
            }
            if t.config.overridden.contains(&"compression") {
                put("compression", json!(t.config.compression));
            }
            put("owner", json!(t.owner));
            put("oncall", json!(t.oncall));
            put("message", t.message.as_ref().map_or(Value::Null, |m| strip(json!(m))));
            put("examples", Value::Array(unplaced));
        }
    }
    json!({
        "status": t.status.as_str(),
        "overridden": t.config.overridden,
        "fields": f,
    })
}

fn operation(action: &str, service: &str, channel: &str, messages: &[(String, String)], e: &Endpoint) -> Value {
    let mut op = Map::new();
    op.insert("action".into(), action.into());
    op.insert("channel".into(), json!({ "$ref": format!("#/channels/{channel}") }));
    if !messages.is_empty() {
        let refs: Vec<Value> = messages
            .iter()
            .map(|(_, id)| json!({ "$ref": format!("#/channels/{channel}/messages/{id}") }))
            .collect();
        op.insert("messages".into(), Value::Array(refs));
    }
    if let Some(g) = e.group.as_ref().filter(|_| action == "receive") {
        op.insert(
            "bindings".into(),
            json!({ "kafka": { "groupId": { "type": "string", "const": g }, "bindingVersion": BINDING_VERSION } }),
        );
    }
    op.insert("x-ktopo-service".into(), service.into());
    let mut x = Map::new();
    if let Some(p) = &e.pattern {
        x.insert("pattern".into(), p.clone().into());
    }
    for (k, v) in [("via", &e.via), ("note", &e.note)] {
        if let Some(v) = v {
            x.insert(k.into(), v.clone().into());
        }
    }
    if !e.commits {
        x.insert("commits".into(), false.into());
    }
    if e.group.is_some() && !e.group_explicit {
        x.insert("derived_group".into(), true.into());
    }
    if !x.is_empty() {
        op.insert("x-ktopo-endpoint".into(), Value::Object(x));
    }
    Value::Object(op)
}

/// The platform, its conventions, domains and services' facts, in the registry's keys.
fn platform(reg: &Registry) -> Value {
    let p = &reg.platform;
    let c = &reg.conventions;
    // Connectors are nodes like services, but the registry declares them apart.
    let services: Vec<Value> = reg
        .services
        .iter()
        .filter(|s| s.connector.is_none())
        .map(|s| {
            let subs: Vec<Value> = s
                .subscriptions
                .iter()
                .map(|x| {
                    strip(json!({
                        "pattern": x.pattern,
                        "group": x.group,
                        "commits": if x.commits { Value::Null } else { false.into() },
                        "note": x.note,
                    }))
                })
                .collect();
            strip(json!({
                "id": s.id, "key": s.key, "name": s.name, "domain": s.domain,
                "kind": if s.kind == Default::default() { Value::Null } else { json!(s.kind) },
                "description": s.description, "source": s.source, "group": s.group,
                "subscriptions": subs, "owner": s.owner, "oncall": s.oncall,
            }))
        })
        .collect();
    let connectors: Vec<Value> = reg
        .services
        .iter()
        .filter_map(|s| {
            let f = s.connector.as_ref()?;
            // The group only when declared: a sink's default is `connect-NAME`.
            let group = f.group.clone().filter(|g| *g != format!("connect-{}", s.key));
            Some(strip(json!({
                "name": s.key, "type": f.kind, "class": f.class,
                "service": f.owner.map(|o| reg.services[o].key.clone()),
                "topics": f.topics, "group": group, "connect": f.connect,
                "description": s.description,
            })))
        })
        .collect();
    let naming: Vec<Value> = c
        .topic_naming
        .iter()
        .map(|n| strip(json!({ "pattern": n.pattern, "description": n.description, "examples": n.examples })))
        .collect();
    strip(json!({
        "platform": {
            "name": p.name, "description": p.description, "source": p.source, "owner": p.owner,
            "last_updated": p.last_updated, "last_reviewed": p.last_reviewed,
            "review_frequency": p.review_frequency,
            "references": p.references.iter().map(|(n, d)| json!({ "name": n, "description": d })).collect::<Vec<_>>(),
            "messaging": p.messaging,
        },
        "conventions": {
            "topic_naming": naming,
            "consumer_group": c.consumer_group,
            "consumer_group_example": c.consumer_group_example,
            "topic_defaults": c.defaults,
            "envelope": c.envelope,
            "deprecation_period_days": c.deprecation_period_days,
            "drift_ignore": c.drift_ignore,
            "policies": c.policies,
        },
        "domains": reg.domains,
        "services": services,
        "connectors": connectors,
        "infrastructure": reg.infrastructure,
        "data_flows": reg.data_flows,
    }))
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Nulls and empty lists and mappings left out, all the way down.
fn strip(v: Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (k, strip(v)))
                .filter(|(_, v)| !is_empty(v))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(strip).filter(|v| !is_empty(v)).collect()),
        v => v,
    }
}
