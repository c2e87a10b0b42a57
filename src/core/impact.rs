//! What a change to a service, topic or event type affects, hop by hop.
//! One engine for `ktopo impact` and the TUI's impact view.

use crate::core::registry::{Registry, ServiceId, TopicId};
use crate::core::suggest::closest_n;
use crate::core::topology::{Node, Topology};
use serde::Serialize;
use std::collections::VecDeque;

/// What the user asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Service(ServiceId),
    Topic(TopicId),
    /// An event type and every topic that carries it.
    Event(String, Vec<TopicId>),
}

impl Target {
    pub fn describe(&self, reg: &Registry) -> String {
        match self {
            Target::Service(i) => format!("service:{}", reg.services[*i].key),
            Target::Topic(i) => format!("topic:{}", reg.topics[*i].name),
            Target::Event(e, _) => format!("event:{e}"),
        }
    }
    /// The services and topics the target itself is.
    pub fn nodes(&self) -> Vec<Node> {
        match self {
            Target::Service(i) => vec![Node::Service(*i)],
            Target::Topic(i) => vec![Node::Topic(*i)],
            Target::Event(_, ts) => ts.iter().map(|&t| Node::Topic(t)).collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    Downstream,
    Upstream,
    Both,
}

impl Dir {
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Downstream => "downstream",
            Dir::Upstream => "upstream",
            Dir::Both => "both",
        }
    }
    pub fn next(self) -> Dir {
        match self {
            Dir::Downstream => Dir::Upstream,
            Dir::Upstream => Dir::Both,
            Dir::Both => Dir::Downstream,
        }
    }
}

/// One affected service or topic: how far, and one shortest path that explains why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affected {
    pub node: Node,
    pub depth: usize,
    /// The node before this one on its shortest path from the target (None at the
    /// start): upstream, the node it feeds (the walk goes against the flow). A parent pointer, not the whole path: on a 10,000-topic chain whole paths
    /// per entry made the answer quadratic (550 MB of JSON).
    pub parent: Option<Node>,
    /// Downstream or upstream of the target.
    pub dir: Dir,
}

#[derive(Debug, Clone)]
pub struct Impact {
    pub target: Target,
    pub dir: Dir,
    pub max_depth: Option<usize>,
    /// Sorted by direction, depth, then name.
    pub affected: Vec<Affected>,
    /// Each entry's parent, to rebuild paths without searching.
    parents: std::collections::HashMap<(Dir, Node), Node>,
    /// Each entry's ancestor at depth 1, so a long path's start is found in one step.
    branches: std::collections::HashMap<(Dir, Node), Node>,
}

impl Impact {
    /// The path from the target to `a`, both included, rebuilt from parent pointers.
    pub fn path(&self, a: &Affected) -> Vec<Node> {
        let mut path = vec![a.node];
        let mut cur = a.parent;
        while let Some(p) = cur {
            if path.len() > self.affected.len() + 1 {
                break; // A cycle cannot happen in a BFS tree; never loop on bad data.
            }
            path.push(p);
            cur = self.parents.get(&(a.dir, p)).copied();
        }
        path.reverse();
        path
    }

    /// The path through `a` as data flows: producer → topic → consumer. Downstream that
    /// is the target first and `a` last; upstream, `a` first and the target last (the
    /// walk went against the flow). The same nodes as `path`, in reading order.
    pub fn flow_path(&self, a: &Affected) -> Vec<Node> {
        let mut path = self.path(a);
        if a.dir == Dir::Upstream {
            path.reverse();
        }
        path
    }

    pub fn services(&self) -> impl Iterator<Item = &Affected> {
        self.affected.iter().filter(|a| matches!(a.node, Node::Service(_)))
    }
    pub fn topics(&self) -> impl Iterator<Item = &Affected> {
        self.affected.iter().filter(|a| matches!(a.node, Node::Topic(_)))
    }
    /// Distinct services and topics affected: with `--both`, a node on a cycle is reached
    /// both ways and listed in each direction, but counts once.
    pub fn counts(&self) -> (usize, usize) {
        let nodes: std::collections::HashSet<Node> = self.affected.iter().map(|a| a.node).collect();
        let services = nodes.iter().filter(|n| matches!(n, Node::Service(_))).count();
        (services, nodes.len() - services)
    }
}

/// Why a target could not be resolved, with the closest names to try.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TargetError {
    pub message: String,
    pub suggestions: Vec<String>,
}

/// Resolve `service:ID|KEY`, `topic:NAME`, `event:TYPE` or a bare name.
pub fn resolve(reg: &Registry, text: &str) -> Result<Target, TargetError> {
    let text = text.trim();
    if let Some((kind, name)) = text.split_once(':') {
        let found = match kind {
            "service" | "svc" | "s" => find_service(reg, name).map(Target::Service),
            "topic" | "t" => reg.topic_index(name).map(Target::Topic),
            "event" | "e" => find_event(reg, name),
            _ => {
                return Err(TargetError {
                    message: format!("unknown target kind `{kind}`: use service:, topic: or event:"),
                    suggestions: vec![],
                })
            }
        };
        return found.ok_or_else(|| not_found(reg, name, Some(kind)));
    }
    let mut found = Vec::new();
    if let Some(s) = find_service(reg, text) {
        found.push(Target::Service(s));
    }
    if let Some(t) = reg.topic_index(text) {
        found.push(Target::Topic(t));
    }
    if let Some(e) = find_event(reg, text) {
        found.push(e);
    }
    match found.len() {
        0 => Err(not_found(reg, text, None)),
        1 => Ok(found.remove(0)),
        _ => Err(TargetError {
            message: format!("`{text}` is ambiguous: it names more than one thing"),
            suggestions: found.iter().map(|t| t.describe(reg)).collect(),
        }),
    }
}

fn find_service(reg: &Registry, name: &str) -> Option<ServiceId> {
    let find = |f: &dyn Fn(&crate::core::registry::model::Service) -> bool| {
        reg.services_by_id().find(|(_, s)| f(s)).map(|(i, _)| i)
    };
    if let Ok(id) = name.parse::<u32>() {
        return find(&|s| s.id == Some(id));
    }
    find(&|s| s.key == name).or_else(|| find(&|s| s.name.eq_ignore_ascii_case(name)))
}

fn find_event(reg: &Registry, name: &str) -> Option<Target> {
    let topics: Vec<TopicId> = reg
        .topics_by_id()
        .filter(|(_, t)| t.events.iter().any(|e| e.name == name))
        .map(|(i, _)| i)
        .collect();
    (!topics.is_empty()).then(|| Target::Event(name.to_string(), topics))
}

fn not_found(reg: &Registry, name: &str, kind: Option<&str>) -> TargetError {
    let mut candidates: Vec<String> = Vec::new();
    let want = |k: &str| kind.is_none_or(|x| x.starts_with(k));
    if want("s") {
        candidates.extend(reg.services.iter().map(|s| format!("service:{}", s.key)));
    }
    if want("t") {
        candidates.extend(reg.topics.iter().map(|t| format!("topic:{}", t.name)));
    }
    if want("e") {
        candidates.extend(reg.events().keys().map(|e| format!("event:{e}")));
    }
    // Compare on the name part, so `service:` prefixes do not dominate the score.
    let names: Vec<&str> = candidates
        .iter()
        .map(|c| c.split_once(':').map_or(c.as_str(), |x| x.1))
        .collect();
    let best = closest_n(name, names.iter().copied(), 5);
    let suggestions = best
        .iter()
        .filter_map(|b| names.iter().position(|n| n == b))
        .map(|i| candidates[i].clone())
        .collect();
    TargetError {
        message: format!("no service, topic or event is called `{name}`"),
        suggestions,
    }
}

/// Everything reachable from the target along data-carrying edges.
pub fn impact(reg: &Registry, topo: &Topology, target: &Target, dir: Dir, max_depth: Option<usize>) -> Impact {
    let starts = target.nodes();
    let mut affected = Vec::new();
    for d in [Dir::Downstream, Dir::Upstream] {
        if dir == d || dir == Dir::Both {
            affected.extend(walk(topo, &starts, d, max_depth, matches!(target, Target::Event(..))));
        }
    }
    let name = |n: &Node| match *n {
        Node::Service(i) => reg.services[i].key.as_str(),
        Node::Topic(i) => reg.topics[i].name.as_str(),
    };
    affected.sort_by(|a, b| (a.dir as u8, a.depth, name(&a.node)).cmp(&(b.dir as u8, b.depth, name(&b.node))));
    let parents: std::collections::HashMap<(Dir, Node), Node> = affected
        .iter()
        .filter_map(|a| a.parent.map(|p| ((a.dir, a.node), p)))
        .collect();
    // In depth order a parent's branch is known before its children's.
    let mut branches = std::collections::HashMap::new();
    let mut by_depth: Vec<&Affected> = affected.iter().collect();
    by_depth.sort_by_key(|a| a.depth);
    for a in by_depth {
        let b = match a.parent {
            Some(p) if a.depth > 1 => branches.get(&(a.dir, p)).copied().unwrap_or(a.node),
            _ => a.node,
        };
        branches.insert((a.dir, a.node), b);
    }
    Impact {
        target: target.clone(),
        dir,
        max_depth,
        affected,
        parents,
        branches,
    }
}

fn walk(topo: &Topology, starts: &[Node], dir: Dir, max_depth: Option<usize>, keep_starts: bool) -> Vec<Affected> {
    let mut found = Vec::new();
    bfs(topo, starts, dir, max_depth, |n, parent, depth| {
        if depth > 0 || keep_starts {
            found.push(Affected {
                node: n,
                depth,
                parent,
                dir,
            });
        }
        true
    });
    found
}

/// Breadth-first along data-carrying edges from `starts`, each node once. `enter(node,
/// parent, depth)` is called in BFS order; returning false leaves the node out and does
/// not walk past it. The one engine under impact, focus and stale-data propagation.
pub(crate) fn bfs(
    topo: &Topology,
    starts: &[Node],
    dir: Dir,
    max_depth: Option<usize>,
    mut enter: impl FnMut(Node, Option<Node>, usize) -> bool,
) {
    let pdir = if dir == Dir::Upstream {
        petgraph::Direction::Incoming
    } else {
        petgraph::Direction::Outgoing
    };
    let mut seen: std::collections::HashSet<Node> = std::collections::HashSet::new();
    let mut queue = VecDeque::new();
    for &s in starts {
        if seen.insert(s) {
            queue.push_back((s, None, 0));
        }
    }
    while let Some((n, parent, d)) = queue.pop_front() {
        if !enter(n, parent, d) || max_depth.is_some_and(|m| d >= m) {
            continue;
        }
        for (m, e) in topo.neighbours(n, pdir) {
            if e.carries_data() && seen.insert(m) {
                queue.push_back((m, Some(n), d + 1));
            }
        }
    }
}

/// `service:KEY` / `topic:NAME` form of a node, as paths print it.
pub fn node_ref(reg: &Registry, n: Node) -> String {
    match n {
        Node::Service(i) => format!("service:{}", reg.services[i].key),
        Node::Topic(i) => format!("topic:{}", reg.topics[i].name),
    }
}

/// Human form of a node: `Agent Orchestration (8)` or `config_events`.
pub fn node_label(reg: &Registry, n: Node) -> String {
    match n {
        Node::Service(i) => reg.services[i].label(),
        Node::Topic(i) => reg.topics[i].name.clone(),
    }
}

/// The path to an entry for people, in the direction data flows (producer → topic →
/// consumer, upstream entries too): whole when short, its ends when long (a deep chain
/// would otherwise print a quadratic amount of text).
pub fn via(reg: &Registry, imp: &Impact, a: &Affected) -> String {
    let label = |n: &Node| node_label(reg, *n);
    if a.depth < 8 {
        return imp.flow_path(a).iter().map(label).collect::<Vec<_>>().join(" → ");
    }
    // The ends only, found without walking the whole chain.
    let branch = imp.branches.get(&(a.dir, a.node)).copied().unwrap_or(a.node);
    let start = imp.parents.get(&(a.dir, branch)).copied();
    let mut tail = vec![a.node];
    while tail.len() < 4 {
        match imp.parents.get(&(a.dir, tail[tail.len() - 1])) {
            Some(&p) => tail.push(p),
            None => break,
        }
    }
    tail.reverse();
    let mut head: Vec<String> = start.iter().chain([&branch]).map(label).collect();
    let mut tail: Vec<String> = tail.iter().map(label).collect();
    if a.dir == Dir::Upstream {
        // Read with the flow: the entry's end first, the target last.
        head.reverse();
        tail.reverse();
        std::mem::swap(&mut head, &mut tail);
    }
    elided(&head, &tail, a.depth + 1)
}

/// A long path by its ends: `a → b → … (N more) → y → z`, `len` nodes in all.
pub fn elided(head: &[String], tail: &[String], len: usize) -> String {
    let skipped = len.saturating_sub(head.len() + tail.len());
    format!("{} → … ({skipped} more) → {}", head.join(" → "), tail.join(" → "))
}

/// Who owns what an impact reaches: one entry per owner team (services and topics
/// without a declared owner last), so "who is affected" is also "whom to call".
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Owned {
    pub owner: Option<String>,
    pub oncall: Option<String>,
    pub services: Vec<String>,
    pub topics: Vec<String>,
}

/// A service's or topic's declared owner and on-call, as the registry gives them.
pub fn owner_of(reg: &Registry, n: Node) -> (Option<&str>, Option<&str>) {
    match n {
        Node::Service(i) => (reg.services[i].owner.as_deref(), reg.services[i].oncall.as_deref()),
        Node::Topic(i) => (reg.topics[i].owner.as_deref(), reg.topics[i].oncall.as_deref()),
    }
}

pub fn owners(reg: &Registry, imp: &Impact) -> Vec<Owned> {
    owners_of(reg, imp.affected.iter().map(|a| a.node))
}

/// Owner teams of some services and topics, in the order `owners` gives.
pub fn owners_of(reg: &Registry, nodes: impl Iterator<Item = Node>) -> Vec<Owned> {
    let mut by: std::collections::BTreeMap<Option<String>, Owned> = std::collections::BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for node in nodes {
        if !seen.insert(node) {
            continue;
        }
        let (owner, oncall, name, is_service) = match node {
            Node::Service(i) => {
                let s = &reg.services[i];
                (s.owner.clone(), s.oncall.clone(), s.key.clone(), true)
            }
            Node::Topic(i) => {
                let t = &reg.topics[i];
                (t.owner.clone(), t.oncall.clone(), t.name.clone(), false)
            }
        };
        let e = by.entry(owner.clone()).or_insert(Owned {
            owner,
            oncall: None,
            services: Vec::new(),
            topics: Vec::new(),
        });
        if e.oncall.is_none() {
            e.oncall = oncall;
        }
        if is_service {
            e.services.push(name);
        } else {
            e.topics.push(name);
        }
    }
    // Declared owners first (BTreeMap puts None first).
    let mut out: Vec<Owned> = by.into_values().collect();
    out.sort_by_key(|o| o.owner.is_none());
    out
}

pub fn to_json(reg: &Registry, imp: &Impact) -> serde_json::Value {
    let parent = |a: &Affected| a.parent.map(|n| node_ref(reg, n));
    let services: Vec<_> = imp
        .services()
        .map(|a| {
            let Node::Service(i) = a.node else {
                unreachable!("filtered to services")
            };
            let s = &reg.services[i];
            serde_json::json!({
                "id": s.id, "key": s.key, "name": s.name, "depth": a.depth,
                "direction": a.dir, "parent": parent(a),
            })
        })
        .collect();
    let topics: Vec<_> = imp
        .topics()
        .map(|a| {
            let Node::Topic(i) = a.node else {
                unreachable!("filtered to topics")
            };
            let t = &reg.topics[i];
            serde_json::json!({
                "name": t.name, "status": t.status, "depth": a.depth,
                "direction": a.dir, "parent": parent(a),
            })
        })
        .collect();
    serde_json::json!({
        "target": imp.target.describe(reg),
        "direction": imp.dir,
        "max_depth": imp.max_depth,
        "services": services,
        "topics": topics,
        "distinct": { "services": imp.counts().0, "topics": imp.counts().1 },
        "owners": owners(reg, imp),
    })
}

pub fn to_text(reg: &Registry, imp: &Impact) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let (ns, nt) = imp.counts();
    let _ = writeln!(
        out,
        "Impact of {} ({}): {}, {}",
        imp.target.describe(reg),
        imp.dir.as_str(),
        crate::core::words::count(ns, "service", "services"),
        crate::core::words::count(nt, "topic", "topics")
    );
    if imp.affected.is_empty() {
        let _ = writeln!(out, "  nothing is affected");
    }
    let mut last: Option<(Dir, usize)> = None;
    for a in &imp.affected {
        if last != Some((a.dir, a.depth)) {
            let _ = writeln!(out, "\n{} depth {}:", a.dir.as_str(), a.depth);
            last = Some((a.dir, a.depth));
        }
        let kind = if matches!(a.node, Node::Service(_)) {
            "service"
        } else {
            "topic  "
        };
        let _ = writeln!(out, "  {kind} {:<40} via {}", node_label(reg, a.node), via(reg, imp, a));
    }
    out.push_str(&who_to_call(&owners(reg, imp)));
    out
}

/// "Who to call (by owner)": one line per owner team, when any owner is declared.
pub fn who_to_call(owned: &[Owned]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if owned.iter().any(|o| o.owner.is_some()) {
        let _ = writeln!(out, "\nWho to call (by owner):");
        for o in owned {
            let who = o.owner.as_deref().unwrap_or("(no owner declared)");
            let call = o.oncall.as_ref().map(|c| format!(" · on-call {c}")).unwrap_or_default();
            let names: Vec<&str> = o.services.iter().chain(&o.topics).map(String::as_str).collect();
            let shown = &names[..names.len().min(8)];
            let more = names.len() - shown.len();
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let _ = writeln!(out, "  {who}{call}: {}{more}", shown.join(", "));
        }
    }
    out
}
