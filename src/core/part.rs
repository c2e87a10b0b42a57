//! The part of the platform an export draws: all of it, what a target reaches within
//! some hops (`--focus`, the traversal `impact` does), or one domain (`--domain`).
//! Edges are drawn only between the nodes kept.

use crate::core::impact::{self, Dir, Target};
use crate::core::registry::Registry;
use crate::core::topology::{Node, Topology};
use std::collections::HashSet;

#[derive(Debug, Clone, Default)]
pub enum Part {
    #[default]
    All,
    Only(HashSet<Node>),
}

impl Part {
    pub fn has(&self, n: Node) -> bool {
        match self {
            Part::All => true,
            Part::Only(keep) => keep.contains(&n),
        }
    }

    /// The target and what it reaches in `dir` within `depth` hops.
    pub fn focus(reg: &Registry, topo: &Topology, target: &Target, dir: Dir, depth: Option<usize>) -> Part {
        let imp = impact::impact(reg, topo, target, dir, depth);
        let mut keep: HashSet<Node> = target.nodes().into_iter().collect();
        keep.extend(imp.affected.iter().map(|a| a.node));
        Part::Only(keep)
    }

    /// The services and topics of one domain (by id or name), or why not.
    pub fn domain(reg: &Registry, domain: &str) -> Result<Part, String> {
        let Some(d) = reg
            .domains
            .iter()
            .find(|d| d.id == domain || d.name.eq_ignore_ascii_case(domain))
        else {
            let known: Vec<&str> = reg.domains.iter().map(|d| d.id.as_str()).collect();
            return Err(if known.is_empty() {
                format!("no domain `{domain}`: the registry declares no domains")
            } else {
                format!("no domain `{domain}`; the registry's domains: {}", known.join(", "))
            });
        };
        let mine = |x: &Option<String>| x.as_deref() == Some(d.id.as_str());
        let keep = reg
            .services_by_id()
            .filter(|(_, s)| mine(&s.domain))
            .map(|(i, _)| Node::Service(i))
            .chain(
                reg.topics_by_id()
                    .filter(|(_, t)| mine(&t.domain))
                    .map(|(i, _)| Node::Topic(i)),
            )
            .collect();
        Ok(Part::Only(keep))
    }
}
