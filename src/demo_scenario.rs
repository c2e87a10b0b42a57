//! The demo cluster's scenario for a registry: which topics exist (with their
//! partitions and produce rates), which groups commit and how, and the deliberate
//! disagreements drift must find. The registry and the demo meet here, so the Kafka
//! module knows nothing of the registry.

use crate::kafka::demo::{Behaviour, Scenario, SimGroup, SimTopic};
use crate::kafka::sampler::Watched;
use crate::registry::{Registry, Status};
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
    });
    if let Some(w) = residual.and_then(|r| watched.iter().find(|w| w.probe && w.topic == r)) {
        groups.push(SimGroup {
            group: w.group.clone(),
            topic: w.topic.clone(),
            behaviour: Behaviour::Behind,
        });
    }
}
