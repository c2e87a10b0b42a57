//! What the cluster shows beyond the registry, as links between a registry topic and
//! a writer or reader the registry does not declare there: producers only the sampled
//! messages name, groups reading topics nobody declares them on. Computed once per
//! sample with drift (see `join`), and drawn by the graph, impact and map views alike.

use crate::core::drift::Report;
use crate::core::registry::{Registry, ServiceId, TopicId};
use crate::core::topology::Node;
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Its messages name it as their producer.
    Writes,
    /// A group with live members on the topic.
    ReadsLive,
    /// A group with commits (and no members) on the topic.
    ReadsCommits,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Link {
    pub topic: TopicId,
    pub kind: Kind,
    /// The producer as its messages name it, or the group id.
    pub name: String,
    /// The registry service it belongs to, when known (by the producer's name, the
    /// group's declaration elsewhere, or the group naming convention).
    pub service: Option<ServiceId>,
}

impl Link {
    pub fn writes(&self) -> bool {
        self.kind == Kind::Writes
    }
    /// The link as an edge between registry boxes, when both ends are boxes.
    pub fn edge(&self) -> Option<(Node, Node)> {
        let (s, t) = (Node::Service(self.service?), Node::Topic(self.topic));
        Some(if self.writes() { (s, t) } else { (t, s) })
    }
    /// Short, under a name: `writes · seen in messages`, `undeclared · live`.
    pub fn what(&self) -> &'static str {
        match self.kind {
            Kind::Writes => "writes · seen in messages",
            Kind::ReadsLive => "undeclared · live",
            Kind::ReadsCommits => "undeclared · commits",
        }
    }
    /// One line: `┄┄?▶ group `g` reads topic (undeclared)`.
    pub fn line(&self, reg: &Registry) -> String {
        let topic = &reg.topics[self.topic].name;
        match self.kind {
            Kind::Writes => format!("┄┄?▶ `{}` writes {topic} (seen in its messages)", self.name),
            _ => format!("┄┄?▶ group `{}` reads {topic} (undeclared)", self.name),
        }
    }
}

/// Every observed link, sorted and without repeats: writers from the findings on the
/// sampled messages, readers from the groups the cluster lists. A reader's service is
/// the one the sampler knows the group by, else the one drift names for it.
pub fn links(reg: &Registry, facts: &crate::core::drift::facts::Facts, report: &Report) -> Vec<Link> {
    let service = |key: &str| reg.service_by_key(key);
    let mut out: BTreeSet<Link> = BTreeSet::new();
    // Drift's owner of an undeclared group on a topic (by id or the naming convention).
    let mut owner: HashMap<(&str, &str), &str> = HashMap::new();
    for f in &report.findings {
        let Some(t) = f.topic.as_deref() else { continue };
        match f.kind {
            "undeclared-producer" | "deprecated-producer" => {
                if let Some(ti) = reg.topic_index(t) {
                    out.insert(Link {
                        topic: ti,
                        kind: Kind::Writes,
                        name: f.subject.clone(),
                        service: f.services.first().and_then(|s| service(s)),
                    });
                }
            }
            "undeclared-consumer" | "abandoned-group" => {
                if let Some(s) = f.services.first() {
                    owner.insert((f.subject.as_str(), t), s.as_str());
                }
            }
            _ => {}
        }
    }
    for (group, g) in &facts.groups {
        for t in g.committed_on.union(&g.members_on) {
            let Some(ti) = reg.topic_index(t) else { continue };
            // Declared: by the registry, or watched as declared (the demo's own names).
            if g.declared_on.contains(t) || reg.consumer_by_group(t, group).is_some() {
                continue;
            }
            let known = g
                .service
                .as_deref()
                .or_else(|| owner.get(&(group.as_str(), t.as_str())).copied());
            out.insert(Link {
                topic: ti,
                kind: if g.members_on.contains(t) {
                    Kind::ReadsLive
                } else {
                    Kind::ReadsCommits
                },
                name: group.clone(),
                service: known.and_then(service),
            });
        }
    }
    out.into_iter().collect()
}
