//! The demo cluster's scenario for any registry: which topics exist (with their
//! partitions and produce rates), which groups commit and how, and the deliberate
//! disagreements drift must find. The registry and the demo meet here, so the Kafka
//! module knows nothing of the registry.

use crate::cluster::demo_messages;
use crate::cluster::kafka::demo::{Behaviour, Scenario, SimGroup, SimTopic};
use crate::cluster::kafka::sampler::Watched;
use crate::core::registry::{Registry, Status};
use std::collections::{BTreeMap, HashMap};

fn stable_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// The group the demo names for a consumer the registry gives no group id (its
/// convention is `unknown` and no id is written): without one nothing could be watched.
pub fn demo_group(service: &str, topic: &str) -> String {
    format!("demo.{service}.{topic}")
}

/// Groups the demo runs for the registry's consumers that have no group id, watched as
/// declared (they are the registry's consumers); `known` are the groups already watched.
pub fn named_groups(reg: &Registry, known: &[Watched]) -> Vec<Watched> {
    let mut out: Vec<Watched> = Vec::new();
    for t in reg.topics.iter().filter(|t| t.status != Status::Proposed) {
        for c in t.consumers.iter().filter(|c| c.group.is_none() && c.commits) {
            let key = &reg.services[c.service].key;
            let group = demo_group(key, &t.name);
            let seen = |w: &Watched| w.group == group && w.topic == t.name;
            if !known.iter().any(seen) && !out.iter().any(seen) {
                out.push(Watched {
                    group,
                    topic: t.name.clone(),
                    service: Some(key.clone()),
                    probe: false,
                });
            }
        }
    }
    out
}

/// The one behaviour of each status the demo shows (besides Healthy), with the group of
/// registry.yaml that shows it there.
const SHOWN: [(&str, Behaviour); 4] = [
    ("agent_copilot_conversation_events_consumer", Behaviour::Behind),
    ("analytics_voice_events_consumer", Behaviour::Stalled),
    ("customer_success_support_events_consumer", Behaviour::Stopped),
    ("monitoring_engine_voice_events_consumer", Behaviour::Silent),
];

/// The demo scenario for a registry: every active and deprecated topic exists, every
/// declared group is simulated (`watched`: the sampler's groups, the demo's named ones
/// among them), and the statuses are spread over them deterministically.
pub fn for_registry(reg: &Registry, watched: &[Watched]) -> Scenario {
    let consumed = |t: &str| watched.iter().any(|w| !w.probe && w.topic == t);
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
        .or_else(|| active.iter().copied().rfind(|t| consumed(t)))
        .map(str::to_string);
    let residual = reg
        .topics
        .iter()
        .find(|t| t.status == Status::Deprecated)
        .map(|t| t.name.clone());
    let topics: Vec<SimTopic> = reg
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
                messages: demo_messages::messages(reg, t),
                encoder: None,
            }
        })
        .collect();
    let rate: HashMap<&str, f64> = topics.iter().map(|t| (t.name.as_str(), t.rate)).collect();
    // Each group id with its topics (one id may consume several).
    let mut by_group: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for w in watched.iter().filter(|w| !w.probe) {
        by_group.entry(&w.group).or_default().push(&w.topic);
    }
    let mut assigned: HashMap<&str, Behaviour> = HashMap::new();
    for (g, b) in SHOWN {
        if by_group.contains_key(g) {
            assigned.insert(g, b);
        }
    }
    // Other registries get the same mix on the groups that read only written active
    // topics, the busiest first (a trend shows soonest where most is written), then by
    // id: each status has messages to show it with.
    let wanted: Vec<Behaviour> = SHOWN
        .iter()
        .map(|p| p.1)
        .filter(|b| !assigned.values().any(|x| x == b))
        .collect();
    let written = |t: &str| rate.get(t).is_some_and(|r| *r > 0.0) && active.contains(&t);
    let slowest = |ts: &[&str]| ts.iter().map(|t| rate[t]).fold(f64::INFINITY, f64::min);
    let mut spare: Vec<(&str, f64)> = by_group
        .iter()
        .filter(|(g, ts)| !assigned.contains_key(*g) && ts.iter().all(|t| written(t)))
        .map(|(g, ts)| (*g, slowest(ts)))
        .collect();
    spare.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let spare = spare.into_iter().map(|(g, _)| g);
    for (b, g) in wanted.into_iter().zip(spare) {
        assigned.insert(g, b);
    }
    let mut groups: Vec<SimGroup> = watched
        .iter()
        .filter(|w| !w.probe)
        .map(|w| SimGroup {
            group: w.group.clone(),
            topic: w.topic.clone(),
            behaviour: assigned.get(w.group.as_str()).copied().unwrap_or(Behaviour::Healthy),
        })
        .collect();
    groups.sort_by(|a, b| (&a.group, &a.topic).cmp(&(&b.group, &b.topic)));
    let mut topics = topics;
    drift_faults(reg, watched, residual.as_deref(), &mut topics, &mut groups);
    // Topics that declare a subject are written in wire format, their faults included.
    let cycle = |name: &str| match topics.iter().find(|t| t.name == name) {
        Some(t) => Some(t.messages.clone()),
        None => reg.topic(name).map(|t| demo_messages::messages(reg, t)),
    };
    let attached = crate::cluster::demo_schemas::attach(reg, cycle);
    let schemas = attached.map(|(schemas, mut encoders)| {
        for t in &mut topics {
            t.encoder = encoders.remove(&t.name);
        }
        schemas
    });
    Scenario {
        topics,
        groups,
        schemas,
    }
}

/// Where the demo cluster disagrees with the registry, so `ktopo drift` shows its kinds
/// out of the box: a hand-made topic, a declared topic nobody consumes never created,
/// a topic with the wrong partition count, the message faults, and a consumer of the
/// replacement still reading the deprecated topic that receives residual writes. (A
/// declared consumer never started is the Silent group above.)
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
        encoder: None,
    });
    demo_messages::faults(reg, topics, &consumed);
    // It keeps up: at half a message a second, falling behind would take minutes to show.
    if let Some(w) = residual.and_then(|r| watched.iter().find(|w| w.probe && w.topic == r)) {
        groups.push(SimGroup {
            group: w.group.clone(),
            topic: w.topic.clone(),
            behaviour: Behaviour::Healthy,
        });
    }
}
