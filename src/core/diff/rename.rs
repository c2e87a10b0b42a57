//! Rename detection: a topic that disappears and one that appears with the same
//! producers, consumers and events is one topic renamed; on a topic that is kept, an
//! event type that disappears and one that appears in its place is one event renamed.

use crate::core::registry::model::{Event, Topic};
use crate::core::registry::{Registry, TopicId};
use foldhash::HashMap;
use std::collections::{BTreeSet, VecDeque};

/// What a topic is apart from its name: who writes it, who reads it, what it carries.
#[derive(PartialEq, Eq, Hash)]
struct Shape<'a> {
    status: crate::core::registry::model::Status,
    producers: BTreeSet<&'a str>,
    consumers: BTreeSet<&'a str>,
    events: BTreeSet<&'a str>,
}

fn shape<'a>(reg: &'a Registry, t: &'a Topic) -> Shape<'a> {
    let keys = |list: &'a [crate::core::registry::model::Endpoint]| {
        list.iter().map(|e| reg.services[e.service].key.as_str()).collect()
    };
    Shape {
        status: t.status,
        producers: keys(&t.producers),
        consumers: keys(&t.consumers),
        events: t.events.iter().map(|e| e.name.as_str()).collect(),
    }
}

/// Pairs (OLD topic, NEW topic) among the topics only OLD has and those only NEW has:
/// same status and shape, and a shape with something in it (two empty topics are not
/// the same topic). Each topic pairs at most once, in registry order. Linear: the
/// added topics are indexed by shape.
pub fn topics(old: &Registry, gone: &[TopicId], new: &Registry, added: &[TopicId]) -> Vec<(TopicId, TopicId)> {
    let mut by_shape: HashMap<Shape, VecDeque<TopicId>> = HashMap::default();
    for &n in added {
        by_shape.entry(shape(new, &new.topics[n])).or_default().push_back(n);
    }
    let mut pairs = Vec::new();
    for &o in gone {
        let os = shape(old, &old.topics[o]);
        if os.producers.is_empty() && os.consumers.is_empty() && os.events.is_empty() {
            continue;
        }
        if let Some(n) = by_shape.get_mut(&os).and_then(|q| q.pop_front()) {
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
    let mut by_description: HashMap<&str, VecDeque<&'a Event>> = HashMap::default();
    for &a in added {
        if let Some(d) = &a.description {
            by_description.entry(d.as_str()).or_default().push_back(a);
        }
    }
    gone.iter()
        .filter_map(|&g| {
            let d = g.description.as_deref()?;
            Some((g, by_description.get_mut(d)?.pop_front()?))
        })
        .collect()
}

/// Services whose key changed: one only OLD has and one only NEW has with the same
/// numeric id (the id is what the registry's references use). (OLD key, NEW key).
pub fn services(old: &Registry, new: &Registry) -> Vec<(String, String)> {
    old.services
        .iter()
        .filter(|s| new.service_by_key(&s.key).is_none())
        .filter_map(|s| {
            let id = s.id?;
            let n = &new.services[new.service_index(&crate::core::registry::model::ServiceRef::Id(id))?];
            old.service_by_key(&n.key)
                .is_none()
                .then(|| (s.key.clone(), n.key.clone()))
        })
        .collect()
}
