//! The producer → topic → consumer graph, built once from a checked registry and
//! shared by the TUI and every command.

use crate::core::registry::{PerService, PerTopic, Registry, ServiceId, Status, TopicId};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    Service(ServiceId),
    /// Active, deprecated or proposed.
    Topic(TopicId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// service → topic
    Produces,
    /// topic → service; `pattern` when it comes from a pattern subscription.
    Consumes { pattern: bool },
    /// deprecated topic → its replacement
    ReplacedBy,
    /// service → proposed topic it might produce
    Candidate,
}

impl Edge {
    /// Edges along which data flows (and so impact travels).
    pub fn carries_data(self) -> bool {
        matches!(self, Edge::Produces | Edge::Consumes { .. })
    }
}

#[derive(Debug, Clone)]
pub struct Topology {
    pub graph: DiGraph<Node, Edge>,
    service_nodes: PerService<NodeIndex>,
    topic_nodes: PerTopic<NodeIndex>,
}

impl Topology {
    pub fn build(reg: &Registry) -> Self {
        let mut graph = DiGraph::with_capacity(
            reg.services.len() + reg.topics.len(),
            reg.topics
                .iter()
                .map(|t| t.producers.len() + t.consumers.len() + 1)
                .sum(),
        );
        let service_nodes = PerService::from_fn(reg.services.len(), |i| graph.add_node(Node::Service(i)));
        let topic_nodes = PerTopic::from_fn(reg.topics.len(), |i| graph.add_node(Node::Topic(i)));
        for (ti, t) in reg.topics_by_id() {
            let tn = topic_nodes[ti];
            let produce = if t.status == Status::Proposed {
                Edge::Candidate
            } else {
                Edge::Produces
            };
            for p in &t.producers {
                graph.add_edge(service_nodes[p.service], tn, produce);
            }
            if t.status != Status::Proposed {
                for c in &t.consumers {
                    graph.add_edge(
                        tn,
                        service_nodes[c.service],
                        Edge::Consumes {
                            pattern: c.pattern.is_some(),
                        },
                    );
                }
            }
            if let Some(r) = t.replaced_by().and_then(|r| reg.topic_index(r)) {
                graph.add_edge(tn, topic_nodes[r], Edge::ReplacedBy);
            }
        }
        Topology {
            graph,
            service_nodes,
            topic_nodes,
        }
    }

    pub fn index(&self, n: Node) -> NodeIndex {
        match n {
            Node::Service(i) => self.service_nodes[i],
            Node::Topic(i) => self.topic_nodes[i],
        }
    }

    /// Neighbours of `n` in one direction, with the edge kind.
    pub fn neighbours(&self, n: Node, dir: Direction) -> impl Iterator<Item = (Node, Edge)> + '_ {
        self.graph.edges_directed(self.index(n), dir).map(move |e| {
            let other = if dir == Direction::Outgoing {
                e.target()
            } else {
                e.source()
            };
            (self.graph[other], *e.weight())
        })
    }

    /// Topics a service reads (left of it in the graph view).
    pub fn inputs(&self, service: ServiceId) -> Vec<TopicId> {
        self.topics_of(Node::Service(service), Direction::Incoming)
    }

    /// Topics a service writes (right of it in the graph view).
    pub fn outputs(&self, service: ServiceId) -> Vec<TopicId> {
        self.topics_of(Node::Service(service), Direction::Outgoing)
    }

    fn topics_of(&self, n: Node, dir: Direction) -> Vec<TopicId> {
        let mut v: Vec<TopicId> = self
            .neighbours(n, dir)
            .filter(|(_, e)| e.carries_data() || *e == Edge::Candidate)
            .filter_map(|(m, _)| match m {
                Node::Topic(t) => Some(t),
                Node::Service(_) => None,
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}
