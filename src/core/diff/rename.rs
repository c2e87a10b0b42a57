//! Rename detection: a topic that disappears and one that appears with the same
//! producers, consumers and events is one topic renamed; on a topic that is kept, an
//! event type that disappears and one that appears in its place is one event renamed.

use crate::core::registry::model::{Event, Topic};
use crate::core::registry::{Registry, TopicId};
use std::collections::BTreeSet;

/// What a topic is apart from its name: who writes it, who reads it, what it carries.
#[derive(PartialEq, Eq)]
struct Shape<'a> {
    producers: BTreeSet<&'a str>,
    consumers: BTreeSet<&'a str>,
    events: BTreeSet<&'a str>,
}

fn shape<'a>(reg: &'a Registry, t: &'a Topic) -> Shape<'a> {
    let keys = |list: &'a [crate::core::registry::model::Endpoint]| {
        list.iter().map(|e| reg.services[e.service].key.as_str()).collect()
    };
    Shape {
        producers: keys(&t.producers),
        consumers: keys(&t.consumers),
        events: t.events.iter().map(|e| e.name.as_str()).collect(),
    }
}

/// Pairs (OLD topic, NEW topic) among the topics only OLD has and those only NEW has:
/// same status and shape, and a shape with something in it (two empty topics are not
/// the same topic). Each topic pairs at most once, first come first paired.
pub fn topics(old: &Registry, gone: &[TopicId], new: &Registry, added: &[TopicId]) -> Vec<(TopicId, TopicId)> {
    let mut taken = vec![false; added.len()];
    let mut pairs = Vec::new();
    for &o in gone {
        let ot = &old.topics[o];
        let os = shape(old, ot);
        if os.producers.is_empty() && os.consumers.is_empty() && os.events.is_empty() {
            continue;
        }
        let hit = added
            .iter()
            .enumerate()
            .find(|&(i, &n)| !taken[i] && new.topics[n].status == ot.status && shape(new, &new.topics[n]) == os);
        if let Some((i, &n)) = hit {
            taken[i] = true;
            pairs.push((o, n));
        }
    }
    pairs
}

/// Pairs (OLD event, NEW event) on one topic among the events only OLD has and those
/// only NEW has: the same description, or one of each (nothing else changed place).
pub fn events<'a>(gone: &[&'a Event], added: &[&'a Event]) -> Vec<(&'a Event, &'a Event)> {
    if gone.len() == 1 && added.len() == 1 {
        return vec![(gone[0], added[0])];
    }
    let mut taken = vec![false; added.len()];
    let mut pairs = Vec::new();
    for &g in gone {
        let Some(d) = &g.description else { continue };
        if let Some(i) = (0..added.len()).find(|&i| !taken[i] && added[i].description.as_ref() == Some(d)) {
            taken[i] = true;
            pairs.push((g, added[i]));
        }
    }
    pairs
}

/// Services whose key changed: one only OLD has and one only NEW has with the same
/// numeric id (the id is what the registry's references use). (OLD key, NEW key).
pub fn services(old: &Registry, new: &Registry) -> Vec<(String, String)> {
    old.services
        .iter()
        .filter(|s| new.service_by_key(&s.key).is_none())
        .filter_map(|s| {
            let id = s.id?;
            let n = new.services.iter().find(|n| n.id == Some(id))?;
            old.service_by_key(&n.key)
                .is_none()
                .then(|| (s.key.clone(), n.key.clone()))
        })
        .collect()
}
