//! The demo producers' messages: exactly the envelope fields and formats the registry
//! requires (its conventions' envelope and each topic's own required fields), so the
//! observed-events checks find only the deliberate faults added here.

use crate::cluster::kafka::demo::SimTopic;
use crate::core::registry::model::Topic;
use crate::core::registry::{Registry, Status};
use serde_json::{json, Map, Value};

/// The event type the demo writes where a topic catalogues none (nothing to drift from).
const UNCATALOGUED: &str = "demo";
/// An event type no registry declares, written once in a cycle (a deliberate fault).
pub const UNDECLARED_EVENT: &str = "demo_undeclared_event";
/// A producer no registry declares (a deliberate fault).
pub const UNDECLARED_PRODUCER: &str = "legacy_admin_tool";

/// Set `path` (dotted: `metadata.correlation_id`) in an object, creating the objects on
/// the way; a value already there that is not an object is left alone.
fn set(v: &mut Value, path: &str, value: Value) {
    let mut at = v;
    let mut parts = path.split('.').peekable();
    while let Some(k) = parts.next() {
        let Some(obj) = at.as_object_mut() else { return };
        if parts.peek().is_none() {
            obj.insert(k.to_string(), value);
            return;
        }
        at = obj.entry(k.to_string()).or_insert_with(|| Value::Object(Map::new()));
    }
}

/// A value of the envelope's type: `{seq}` makes each id unique when written.
fn value_of(kind: &str) -> Value {
    match kind {
        "uuid" => json!("0b7f6c1e-2f4a-4d1e-9a51-{seq}"),
        "iso 8601" => json!("2026-11-30T05:00:00.000Z"),
        "semver" => json!("1.0.0"),
        "object" => json!({}),
        _ => json!("demo"),
    }
}

/// The fields a message of `t` must carry: the envelope's (with their types), then the
/// topic's own required ones.
fn required(reg: &Registry, t: &Topic) -> Vec<(String, String)> {
    let envelope = reg
        .conventions
        .envelope
        .iter()
        .map(|f| (f.name.clone(), f.kind.to_ascii_lowercase()));
    let own = t
        .message
        .iter()
        .flat_map(|m| &m.required)
        .map(|r| (r.clone(), String::new()));
    envelope.chain(own).collect()
}

/// One message of `t` for `event` from `producer` (None: a topic that declares no
/// producer, whose messages name none).
pub fn message(reg: &Registry, t: &Topic, event: &str, producer: Option<&str>) -> Value {
    let (event_field, producer_field) = (t.event_type_field(), t.producer_field());
    let mut v = Value::Object(Map::new());
    for (name, kind) in required(reg, t) {
        let value = match producer {
            _ if name == event_field => json!(event),
            Some(p) if name == producer_field => json!(p),
            None if name == producer_field => continue,
            _ => value_of(&kind),
        };
        set(&mut v, &name, value);
    }
    set(&mut v, event_field, json!(event));
    if let Some(p) = producer {
        set(&mut v, producer_field, json!(p));
    }
    v
}

/// The messages a topic's simulated producers write: each declared event type from
/// each declared producer in turn (at most 16); a topic without event types gets one
/// message per producer.
pub fn messages(reg: &Registry, t: &Topic) -> Vec<String> {
    let producers: Vec<&str> = t
        .producers
        .iter()
        .map(|p| reg.services[p.service].key.as_str())
        .collect();
    let mut events: Vec<&str> = t.events.iter().map(|e| e.name.as_str()).take(16).collect();
    if events.is_empty() {
        events = vec![UNCATALOGUED; producers.len().clamp(1, 16)];
    }
    events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let p = (!producers.is_empty()).then(|| producers[i % producers.len()]);
            message(reg, t, e, p).to_string()
        })
        .collect()
}

/// Where the message faults go: `billing_events` (registry.yaml), else the first
/// written, consumed, active topic that catalogues event types and names a producer.
fn target<'r>(reg: &'r Registry, topics: &[SimTopic], consumed: &dyn Fn(&str) -> bool) -> Option<(usize, &'r Topic)> {
    let fits =
        |t: &Topic| t.status == Status::Active && !t.events.is_empty() && !t.producers.is_empty() && consumed(&t.name);
    let written = |name: &str| {
        topics
            .iter()
            .position(|s| s.name == name && s.rate > 0.0 && !s.messages.is_empty())
    };
    let preferred = reg.topic("billing_events").filter(|t| fits(t));
    preferred
        .into_iter()
        .chain(reg.topics.iter().filter(|t| fits(t)))
        .find_map(|t| written(&t.name).map(|i| (i, t)))
}

/// Messages that disagree with the registry, so the observed-events checks have
/// something to find, first in each topic's cycle so a short sample shows them: on one
/// topic, a message lacking one required field (`tenant_id` where the envelope has
/// it), an undeclared event type and an undeclared producer; and the moved events still
/// written to the deprecated topic with residual traffic, by the replacement's
/// producer, which has not migrated. Returns the field left out, if any.
pub fn faults(reg: &Registry, topics: &mut [SimTopic], consumed: &dyn Fn(&str) -> bool) -> Option<String> {
    let mut dropped = None;
    if let Some((i, t)) = target(reg, topics, consumed) {
        let producer = reg.services[t.producers[0].service].key.as_str();
        let event = t.events[0].name.as_str();
        let mut lacking = message(reg, t, event, Some(producer));
        let fields = required(reg, t);
        let field = fields
            .iter()
            .map(|f| f.0.as_str())
            .find(|f| *f == "tenant_id")
            .or_else(|| {
                let special = [t.event_type_field(), t.producer_field()];
                fields
                    .iter()
                    .map(|f| f.0.as_str())
                    .find(|f| !special.contains(f) && !f.contains('.'))
            });
        if let (Some(f), Some(o)) = (field, lacking.as_object_mut()) {
            o.remove(f);
            topics[i].messages.insert(0, lacking.to_string());
            dropped = Some(f.to_string());
        }
        let undeclared_event = if t.name == "billing_events" {
            "refund_issued"
        } else {
            UNDECLARED_EVENT
        };
        topics[i].messages.insert(
            1.min(topics[i].messages.len()),
            message(reg, t, undeclared_event, Some(producer)).to_string(),
        );
        // registry.yaml's hand-made admin tool writes to config_events.
        let (j, u) = match (
            topics.iter().position(|s| s.name == "config_events"),
            reg.topic("config_events"),
        ) {
            (Some(j), Some(c)) if !c.events.is_empty() && !topics[j].messages.is_empty() => (j, c),
            _ => (i, t),
        };
        let e = u.events[0].name.as_str();
        let at = if j == i { 2.min(topics[j].messages.len()) } else { 0 };
        topics[j]
            .messages
            .insert(at, message(reg, u, e, Some(UNDECLARED_PRODUCER)).to_string());
    }
    let residual = topics
        .iter()
        .position(|t| t.rate > 0.0 && reg.topic(&t.name).is_some_and(|x| x.status == Status::Deprecated));
    if let Some(i) = residual {
        let old = reg.topic(&topics[i].name).expect("a registry topic");
        let Some(new) = old.replaced_by().and_then(|r| reg.topic(r)) else {
            return dropped;
        };
        let writer = new.producers.first().map(|p| reg.services[p.service].key.as_str());
        let moved: Vec<String> = old
            .deprecation
            .iter()
            .flat_map(|d| &d.moves)
            .flat_map(|m| m.events.iter())
            .map(|e| message(reg, new, e, writer).to_string())
            .collect();
        if !moved.is_empty() {
            topics[i].messages = moved;
        }
    }
    dropped
}
