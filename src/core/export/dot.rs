//! Graphviz DOT: services as boxes, topics as ellipses, clusters by domain,
//! deprecated topics dashed with an edge to their replacement, proposed ones dotted.

use super::by_domain;
use crate::core::registry::{Registry, Status};
use crate::core::topology::{Edge, Node, Topology};
use petgraph::visit::EdgeRef;
use std::fmt::Write;

/// A value inside a quoted string. Control and invisible characters, newlines too,
/// become visible text (`\u{1b}`, `\n`) whose backslash is escaped like any other:
/// Graphviz reads `\n`, `\l`, `\N`... in labels. `&` becomes `&amp;`, since Graphviz
/// decodes entities in labels (`R&amp;D` would show as `R&D`).
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in crate::core::visible::one_line(s).chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '"' => o.push_str("\\\""),
            '&' => o.push_str("&amp;"),
            c => o.push(c),
        }
    }
    o
}

fn id(n: Node, reg: &Registry) -> String {
    match n {
        Node::Service(i) => format!("\"service:{}\"", esc(&reg.services[i].key)),
        Node::Topic(i) => format!("\"topic:{}\"", esc(&reg.topics[i].name)),
    }
}

pub fn render(reg: &Registry, topo: &Topology) -> String {
    render_part(reg, topo, &super::Part::All)
}

/// Only the nodes of `part`, and the edges between them.
pub fn render_part(reg: &Registry, topo: &Topology, part: &super::Part) -> String {
    let mut o = String::new();
    let title = reg.platform.name.as_deref().unwrap_or("ktopo");
    let _ = writeln!(o, "digraph ktopo {{");
    let _ = writeln!(o, "  label=\"{}\"; labelloc=t; rankdir=LR; compound=true;", esc(title));
    let _ = writeln!(
        o,
        "  node [fontname=\"Helvetica\", fontsize=10]; edge [fontname=\"Helvetica\", fontsize=8];"
    );
    for (ci, g) in by_domain(reg, part).into_iter().enumerate() {
        let (domain, services, topics) = (g.domain, g.services, g.topics);
        let indent = if let Some(d) = domain {
            let _ = writeln!(o, "  subgraph \"cluster_{ci}\" {{");
            let _ = writeln!(o, "    label=\"{}\"; style=rounded; color=\"#999999\";", esc(&d.name));
            "    "
        } else {
            "  "
        };
        for s in services {
            let svc = &reg.services[s];
            let shape = match svc.kind {
                crate::core::registry::model::Kind::Service => "box",
                crate::core::registry::model::Kind::Component => "component",
                crate::core::registry::model::Kind::External => "box3d",
            };
            let _ = writeln!(
                o,
                "{indent}{} [label=\"{}\", shape={shape}, style=\"rounded,filled\", fillcolor=\"#dbe9f6\"];",
                id(Node::Service(s), reg),
                esc(&svc.label())
            );
        }
        for t in topics {
            let topic = &reg.topics[t];
            // The status on a line of its own (`\n`): the name's own newlines are text.
            let name = esc(&topic.name);
            let (style, label) = match topic.status {
                Status::Active => ("filled".to_string(), name),
                Status::Deprecated => (
                    "\"dashed,filled\", color=\"#888888\", fontcolor=\"#666666\"".into(),
                    format!("{name}\\n(deprecated)"),
                ),
                Status::Proposed => ("\"dotted,filled\"".into(), format!("{name}\\n(proposed)")),
            };
            let _ = writeln!(
                o,
                "{indent}{} [label=\"{}\", shape=ellipse, style={style}, fillcolor=\"#fdf1d6\"];",
                id(Node::Topic(t), reg),
                label
            );
        }
        if domain.is_some() {
            let _ = writeln!(o, "  }}");
        }
    }
    for e in topo.graph.edge_references() {
        let (a, b) = (topo.graph[e.source()], topo.graph[e.target()]);
        if !part.has(a) || !part.has(b) {
            continue;
        }
        let attrs = match *e.weight() {
            Edge::Produces => String::new(),
            Edge::Consumes { pattern: false } => String::new(),
            Edge::Consumes { pattern: true } => " [style=dashed, label=\"pattern\"]".into(),
            Edge::ReplacedBy => " [style=dashed, color=\"#888888\", label=\"replaced by\"]".into(),
            Edge::Candidate => " [style=dotted, label=\"candidate\"]".into(),
        };
        let _ = writeln!(o, "  {} -> {}{attrs};", id(a, reg), id(b, reg));
    }
    let _ = writeln!(o, "}}");
    o
}
