//! What 2.x and 3.0 share: a channel's Kafka binding (topic, partitions, replicas,
//! retention, cleanup), a message as an event type with its examples, an operation
//! binding's `groupId`, and names checked for control characters.

use super::model::{Event, Topic};
use super::refs::{Doc, ImportError};
use super::tree::Node;
use serde_json::Value;

const DAY_MS: i64 = 86_400_000;

/// A name (topic, event type, service, group) that must be printable: control or
/// invisible characters are an error, never passed on to a registry or a terminal.
pub fn name(doc: &Doc, node: &Node, what: &str) -> Result<String, ImportError> {
    let Some(s) = node.text() else {
        return Err(doc.error(
            node.loc,
            "wrong-type",
            format!("{what} must be a string, not {}", node.kind()),
            "write the name as text",
        ));
    };
    if s.chars()
        .any(|c| c.is_control() || crate::core::visible::is_invisible(c))
    {
        return Err(doc.error(
            node.loc,
            "control-character",
            format!(
                "{what} `{}` contains control or invisible characters",
                crate::core::visible::one_line(&s)
            ),
            "names are shown on terminals and used as Kafka names: remove the character",
        ));
    }
    if s.trim().is_empty() {
        return Err(doc.error(node.loc, "empty-name", format!("{what} is empty"), "name it"));
    }
    Ok(s)
}

/// Free text (descriptions): control characters made visible, newlines kept.
pub fn text(node: Option<&Node>) -> Option<String> {
    let s = node?.text()?;
    let s = s.trim();
    (!s.is_empty()).then(|| crate::core::visible::escape(s).into_owned())
}

/// Apply a channel's `bindings.kafka` to `topic`; returns the binding's `topic` name
/// when it sets one (it overrides the address).
pub fn kafka_binding(
    doc: &Doc,
    channel: &Node,
    topic: &mut Topic,
    unsupported: &mut Vec<String>,
) -> Result<Option<String>, ImportError> {
    let Some(bindings) = doc.field(channel, "bindings")? else {
        return Ok(None);
    };
    for (k, v) in bindings.entries() {
        if k != "kafka" {
            unsupported.push(format!(
                "{}: `{k}` channel binding (only Kafka's is read)",
                doc.at(v.loc)
            ));
        }
    }
    let Some(kafka) = doc.field(bindings, "kafka")? else {
        return Ok(None);
    };
    let small = |key: &str| -> Result<Option<u32>, ImportError> {
        match kafka.get(key) {
            None => Ok(None),
            Some(n) => match n.u64().and_then(|v| u32::try_from(v).ok()).filter(|v| *v > 0) {
                Some(v) => Ok(Some(v)),
                None => Err(doc.error(
                    n.loc,
                    "invalid-value",
                    format!("`{key}` must be a positive whole number, not {}", n.kind()),
                    "write the count, e.g. 3",
                )),
            },
        }
    };
    topic.partitions = small("partitions")?;
    topic.replicas = small("replicas")?;
    if let Some(cfg) = doc.field(kafka, "topicConfiguration")? {
        for (k, v) in cfg.entries() {
            match k.as_str() {
                "retention.ms" => match v.i64() {
                    Some(ms) if ms > 0 && ms % DAY_MS == 0 && ms / DAY_MS <= u32::MAX as i64 => {
                        topic.retention_days = Some((ms / DAY_MS) as u32)
                    }
                    Some(ms) => {
                        let shown = if ms < 0 {
                            "unlimited".to_string()
                        } else {
                            format!("{ms} ms")
                        };
                        topic.notes.push(format!("retention.ms: {ms} ({shown})"));
                        unsupported.push(format!(
                            "{}: retention.ms {ms} is not a whole number of days (kept as a note)",
                            doc.at(v.loc)
                        ));
                    }
                    None => {
                        return Err(doc.error(
                            v.loc,
                            "invalid-value",
                            format!("`retention.ms` must be a number, not {}", v.kind()),
                            "write milliseconds, e.g. 604800000",
                        ))
                    }
                },
                // The registry has no field for the rest: kept as notes (drift reads the
                // cluster's own configuration).
                _ => {
                    let value = match v.to_json() {
                        Value::Array(a) => a
                            .iter()
                            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                            .collect::<Vec<_>>()
                            .join(","),
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    topic.notes.push(format!(
                        "{}: {}",
                        crate::core::visible::one_line(k),
                        crate::core::visible::one_line(&value)
                    ));
                }
            }
        }
    }
    match kafka.get("topic") {
        Some(t) => name(doc, t, "the Kafka binding's `topic`").map(Some),
        None => Ok(None),
    }
}

/// A message as an event type: its name, a description, its payload examples.
/// `fallback` names it when it has no `name` (its key, or its `$ref`'s last segment).
pub fn event(doc: &Doc, message: &Node, fallback: &str, unsupported: &mut Vec<String>) -> Result<Event, ImportError> {
    let m = doc.deref(message)?;
    if let Some(p) = m.get("payload") {
        unsupported.push(format!(
            "{}: the payload schema (a registry keeps event types and examples; `schema.reference` can point at it)",
            doc.at(p.loc)
        ));
    }
    if let Some(h) = m.get("headers") {
        unsupported.push(format!("{}: the headers schema", doc.at(h.loc)));
    }
    let name = match m.get("name").or_else(|| m.get("messageId")) {
        Some(n) => name(doc, n, "a message's `name`")?,
        None => fallback.to_string(),
    };
    let description = text(m.get("summary"))
        .or_else(|| text(m.get("title")))
        .or_else(|| text(m.get("description")));
    let mut examples = Vec::new();
    if let Some(list) = doc.field(m, "examples")? {
        for (i, ex) in list.items().iter().enumerate() {
            let ex = doc.deref(ex)?;
            let Some(payload) = ex.get("payload") else {
                continue;
            };
            let label = text(ex.get("name"))
                .or_else(|| text(ex.get("summary")))
                .unwrap_or_else(|| format!("{name} example {}", i + 1));
            let json = serde_json::to_string_pretty(&payload.to_json()).unwrap_or_default() + "\n";
            examples.push((crate::core::visible::one_line(&label).into_owned(), json));
        }
    }
    let deprecated = match doc.field(m, "payload")? {
        Some(p) => doc.field(p, "deprecated")?.and_then(Node::bool).unwrap_or(false),
        None => false,
    };
    Ok(Event {
        name,
        description,
        examples,
        deprecated,
    })
}

/// The consumer group an operation binding names: `groupId` is a schema, so a `const`,
/// a single `enum` value or a plain string; None when it only describes the group.
pub fn group_id(doc: &Doc, bindings: Option<&Node>) -> Result<Option<String>, ImportError> {
    let Some(bindings) = bindings else {
        return Ok(None);
    };
    let Some(kafka) = doc.field(bindings, "kafka")? else {
        return Ok(None);
    };
    let Some(g) = doc.field(kafka, "groupId")? else {
        return Ok(None);
    };
    let chosen = if g.str().is_some() {
        Some(g)
    } else if let Some(c) = g.get("const") {
        Some(c)
    } else {
        match g.get("enum").map(Node::items) {
            Some([one]) => Some(one),
            _ => None,
        }
    };
    chosen.map(|n| name(doc, n, "the `groupId`")).transpose()
}

/// The last segment of a value's `$ref` (a message's name when it has none of its own).
pub fn ref_name(node: &Node) -> Option<String> {
    let r = node.get("$ref")?.str()?;
    r.rsplit('/').next().map(super::refs::unescape)
}

/// An `x-ktopo-…` extension as JSON, when present.
pub fn extension(node: &Node, key: &str) -> Option<Value> {
    node.get(key).map(Node::to_json)
}

/// The service an operation belongs to (`x-ktopo-service`, else the document's
/// application), added to the platform if new, and the group id of its bindings or
/// its traits' (2.x and 3.0 alike).
pub fn operation_service_and_group(
    doc: &Doc,
    op: &Node,
    app: &super::model::Service,
    p: &mut super::model::Platform,
) -> Result<(String, Option<String>), ImportError> {
    let service = match op.get("x-ktopo-service") {
        Some(s) => name(doc, s, "`x-ktopo-service`")?,
        None => app.key.clone(),
    };
    if !p.services.iter().any(|s| s.key == service) {
        p.services.push(super::model::Service {
            key: service.clone(),
            name: service.clone(),
            description: None,
        });
    }
    let mut group = group_id(doc, op.get("bindings"))?;
    if let Some(traits) = doc.field(op, "traits")? {
        for t in traits.items() {
            let t = doc.deref(t)?;
            group = group.or(group_id(doc, t.get("bindings"))?);
        }
    }
    Ok((service, group))
}
