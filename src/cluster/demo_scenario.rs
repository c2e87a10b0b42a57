//! The demo cluster's scenario for a registry: which topics exist (with their
//! partitions and produce rates), which groups commit and how, and the deliberate
//! disagreements drift must find. The registry and the demo meet here, so the Kafka
//! module knows nothing of the registry.

use crate::cluster::kafka::demo::{Behaviour, Scenario, SimGroup, SimTopic};
use crate::cluster::kafka::sampler::Watched;
use crate::core::registry::{Registry, Status};
use std::collections::HashMap;

fn stable_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// The demo scenario for a registry: every active and deprecated topic exists, every
/// declared group is simulated, and the statuses are spread over them.
pub fn for_registry(reg: &Registry, watched: &[Watched]) -> Scenario {
    let active: Vec<&str> = reg
        .topics
        .iter()
        .filter(|t| t.status == Status::Active)
        .map(|t| t.name.as_str())
        .collect();
    // The idle topic: one with consumers, so IDLE shows on a group.
    let idle = ["collaboration_events"]
        .into_iter()
        .find(|n| active.contains(n))
        .or_else(|| active.iter().copied().rfind(|t| watched.iter().any(|w| &w.topic == t)))
        .map(str::to_string);
    let residual = reg
        .topics
        .iter()
        .find(|t| t.status == Status::Deprecated)
        .map(|t| t.name.clone());
    let topics = reg
        .topics
        .iter()
        .filter(|t| t.status != Status::Proposed)
        .map(|t| {
            let rate = if Some(&t.name) == idle.as_ref() {
                0.0
            } else if t.status == Status::Deprecated {
                if Some(&t.name) == residual.as_ref() {
                    0.5
                } else {
                    0.0
                }
            } else {
                2.0 + (stable_hash(&t.name) % 19) as f64
            };
            SimTopic {
                name: t.name.clone(),
                partitions: t.config.partitions.unwrap_or(3).clamp(1, 64) as i32,
                rate,
                messages: messages(reg, t),
            }
        })
        .collect();
    let mut names: Vec<&Watched> = watched.iter().filter(|w| !w.probe).collect();
    names.sort_by(|a, b| a.group.cmp(&b.group));
    let preferred = [
        ("agent_copilot_conversation_events_consumer", Behaviour::Behind),
        ("analytics_voice_events_consumer", Behaviour::Stalled),
        ("customer_success_support_events_consumer", Behaviour::Stopped),
        ("monitoring_engine_voice_events_consumer", Behaviour::Silent),
    ];
    let mut assigned: HashMap<&str, Behaviour> = HashMap::new();
    for (g, b) in preferred {
        if names.iter().any(|w| w.group == g) {
            assigned.insert(g, b);
        }
    }
    // Registries without those groups get the same mix on their first groups.
    let missing: Vec<Behaviour> = preferred
        .iter()
        .map(|p| p.1)
        .filter(|b| !assigned.values().any(|x| x == b))
        .collect();
    let spare: Vec<&str> = names
        .iter()
        .filter(|w| Some(&w.topic) != idle.as_ref() && !assigned.contains_key(w.group.as_str()))
        .map(|w| w.group.as_str())
        .collect();
    for (b, g) in missing.into_iter().zip(spare) {
        assigned.insert(g, b);
    }
    let mut groups: Vec<SimGroup> = names
        .iter()
        .map(|w| SimGroup {
            group: w.group.clone(),
            topic: w.topic.clone(),
            behaviour: assigned.get(w.group.as_str()).copied().unwrap_or(Behaviour::Healthy),
        })
        .collect();
    let mut topics: Vec<SimTopic> = topics;
    drift_faults(reg, watched, residual.as_deref(), &mut topics, &mut groups);
    Scenario { topics, groups }
}

/// One message of the registry's envelope (and the topic's own required fields):
/// `{seq}` makes each event id unique.
fn message(reg: &Registry, t: &crate::core::registry::model::Topic, event: &str, producer: &str) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let format = t.message.as_ref();
    let (event_field, producer_field) = (t.event_type_field(), t.producer_field());
    let mut v = Value::Object(Map::new());
    let mut set = |path: &str, value: Value| {
        let mut at = &mut v;
        let parts: Vec<&str> = path.split('.').collect();
        for (i, k) in parts.iter().enumerate() {
            let Some(obj) = at.as_object_mut() else { return };
            if i + 1 == parts.len() {
                obj.insert(k.to_string(), value.clone());
                return;
            }
            at = obj.entry(k.to_string()).or_insert_with(|| Value::Object(Map::new()));
        }
    };
    let fields = reg
        .conventions
        .envelope
        .iter()
        .map(|f| (f.name.as_str(), f.kind.to_ascii_lowercase()));
    let own = format
        .into_iter()
        .flat_map(|m| &m.required)
        .map(|r| (r.as_str(), String::new()));
    for (name, kind) in fields.chain(own) {
        let value = match kind.as_str() {
            _ if name == event_field => json!(event),
            _ if name == producer_field => json!(producer),
            "uuid" => json!("0b7f6c1e-2f4a-4d1e-9a51-{seq}"),
            "iso 8601" => json!("2026-11-30T05:00:00.000Z"),
            "semver" => json!("1.0.0"),
            "object" => json!({}),
            _ => json!("demo"),
        };
        set(name, value);
    }
    set(event_field, json!(event));
    set(producer_field, json!(producer));
    v
}

/// The messages a topic's simulated producers write: each declared event type from
/// each declared producer, in turn.
fn messages(reg: &Registry, t: &crate::core::registry::model::Topic) -> Vec<String> {
    let producers: Vec<&str> = t
        .producers
        .iter()
        .map(|p| reg.services[p.service].key.as_str())
        .collect();
    let events: Vec<&str> = t.events.iter().map(|e| e.name.as_str()).collect();
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate().take(16) {
        if let Some(p) = producers.get(i % producers.len().max(1)) {
            out.push(message(reg, t, e, p).to_string());
        }
    }
    out
}

/// Messages that disagree with the registry, so the observed-events checks have
/// something to find: a missing `tenant_id`, an undeclared event type, an undeclared
/// producer, and the moved events still written to the deprecated topic with residual
/// traffic (by the replacement's producer, which has not migrated).
fn message_faults(reg: &Registry, topics: &mut [SimTopic]) {
    let pick = |name: &str, topics: &[SimTopic]| topics.iter().position(|t| t.name == name && !t.messages.is_empty());
    let Some(billing) = pick("billing_events", topics) else {
        return;
    };
    let Some(t) = reg.topic("billing_events") else { return };
    let producer = t
        .producers
        .first()
        .map_or("billing", |p| reg.services[p.service].key.as_str());
    let mut no_tenant = message(reg, t, "payment_failed", producer);
    if let Some(o) = no_tenant.as_object_mut() {
        o.remove("tenant_id");
    }
    // First in turn, so a short sample already shows them.
    topics[billing].messages.insert(0, no_tenant.to_string());
    topics[billing]
        .messages
        .insert(1, message(reg, t, "refund_issued", producer).to_string());
    if let (Some(i), Some(c)) = (pick("config_events", topics), reg.topic("config_events")) {
        let e = c.events.first().map_or("config_deployed", |e| e.name.as_str());
        topics[i]
            .messages
            .insert(0, message(reg, c, e, "legacy_admin_tool").to_string());
    }
    let residual = topics
        .iter()
        .position(|t| t.rate > 0.0 && reg.topic(&t.name).is_some_and(|x| x.status == Status::Deprecated));
    if let Some(i) = residual {
        let old = reg.topic(&topics[i].name).expect("a registry topic");
        let Some(new) = old.replaced_by().and_then(|r| reg.topic(r)) else {
            return;
        };
        let writer = new
            .producers
            .first()
            .map_or("unknown", |p| reg.services[p.service].key.as_str());
        let moved: Vec<&str> = old
            .deprecation
            .iter()
            .flat_map(|d| &d.moves)
            .flat_map(|m| m.events.iter().map(String::as_str))
            .collect();
        topics[i].messages = moved.iter().map(|e| message(reg, new, e, writer).to_string()).collect();
    }
}

/// Where the demo cluster disagrees with the registry, so `ktopo drift` shows its kinds
/// out of the box: a hand-made topic, a declared topic never created, a topic with the
/// wrong partition count, and a consumer of the replacement still reading the deprecated
/// topic that receives residual writes. (A declared consumer never started is the
/// Silent group above.)
fn drift_faults(
    reg: &Registry,
    watched: &[Watched],
    residual: Option<&str>,
    topics: &mut Vec<SimTopic>,
    groups: &mut Vec<SimGroup>,
) {
    let consumed = |t: &str| watched.iter().any(|w| !w.probe && w.topic == t);
    let active = |t: &SimTopic| reg.topic(&t.name).is_some_and(|x| x.status == Status::Active);
    if let Some(i) = topics.iter().rposition(|t| active(t) && !consumed(&t.name)) {
        topics.remove(i);
    }
    let wrong = topics
        .iter()
        .position(|t| t.name == "billing_events")
        .or_else(|| topics.iter().position(|t| active(t) && t.partitions > 1));
    if let Some(i) = wrong {
        let p = topics[i].partitions;
        topics[i].partitions = if p > 4 { p - 4 } else { p + 2 };
    }
    topics.push(SimTopic {
        name: "adhoc_debug_dump".into(),
        partitions: 1,
        rate: 1.0,
        messages: Vec::new(),
    });
    message_faults(reg, topics);
    // It keeps up: at half a message a second, falling behind would take minutes to show.
    if let Some(w) = residual.and_then(|r| watched.iter().find(|w| w.probe && w.topic == r)) {
        groups.push(SimGroup {
            group: w.group.clone(),
            topic: w.topic.clone(),
            behaviour: Behaviour::Healthy,
        });
    }
}
