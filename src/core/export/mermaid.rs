//! A Mermaid flowchart that GitHub renders: subgraphs by domain, topics as
//! stadium shapes, deprecated dashed, proposed dotted.

use super::by_domain;
use crate::core::registry::{Registry, Status};
use crate::core::topology::{Edge, Node, Topology};
use petgraph::visit::EdgeRef;
use std::fmt::Write;

/// Text for a quoted label or subgraph title. Mermaid renders labels as HTML, so `<`
/// `>` `&` `"` become its entity codes (`#lt;`...), which it turns into HTML entities:
/// text, never markup. `#` is coded too (a name's own `#lt;` stays text), and `%`
/// (`%%` opens a directive such as `%%{init: ...}%%` or a comment, anywhere in the
/// file), a backtick (a label opening with one is Markdown), and the first characters
/// of Mermaid's placeholders for entity codes (`ﬂ°`, `¶ß`), which it decodes in its
/// output. Control and invisible characters are shown as escapes, newlines too: a
/// label stays on its line.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in crate::core::visible::one_line(s).chars() {
        match c {
            '<' => o.push_str("#lt;"),
            '>' => o.push_str("#gt;"),
            '&' => o.push_str("#amp;"),
            '"' => o.push_str("#quot;"),
            '#' | '%' | '`' | '\u{fb02}' | '\u{b6}' => {
                let _ = write!(o, "#{};", u32::from(c));
            }
            c => o.push(c),
        }
    }
    o
}

fn id(n: Node) -> String {
    match n {
        Node::Service(i) => format!("s{}", i.index()),
        Node::Topic(i) => format!("t{}", i.index()),
    }
}

pub fn render(reg: &Registry, topo: &Topology) -> String {
    render_part(reg, topo, &super::Part::All)
}

/// Only the nodes of `part`, and the edges between them.
pub fn render_part(reg: &Registry, topo: &Topology, part: &super::Part) -> String {
    let mut o = String::from("flowchart LR\n");
    let mut deprecated = Vec::new();
    let mut proposed = Vec::new();
    for (ci, g) in by_domain(reg, part).into_iter().enumerate() {
        let (domain, services, topics) = (g.domain, g.services, g.topics);
        let indent = if let Some(d) = domain {
            let _ = writeln!(o, "  subgraph d{ci}[\"{}\"]", esc(&d.name));
            "    "
        } else {
            "  "
        };
        for s in services {
            let _ = writeln!(
                o,
                "{indent}{}[\"{}\"]",
                id(Node::Service(s)),
                esc(&reg.services[s].label())
            );
        }
        for t in topics {
            let topic = &reg.topics[t];
            let label = match topic.status {
                Status::Active => topic.name.clone(),
                Status::Deprecated => {
                    deprecated.push(id(Node::Topic(t)));
                    format!("{} (deprecated)", topic.name)
                }
                Status::Proposed => {
                    proposed.push(id(Node::Topic(t)));
                    format!("{} (proposed)", topic.name)
                }
            };
            let _ = writeln!(o, "{indent}{}([\"{}\"])", id(Node::Topic(t)), esc(&label));
        }
        if domain.is_some() {
            let _ = writeln!(o, "  end");
        }
    }
    for e in topo.graph.edge_references() {
        let (a, b) = (topo.graph[e.source()], topo.graph[e.target()]);
        if !part.has(a) || !part.has(b) {
            continue;
        }
        let (a, b) = (id(a), id(b));
        let arrow = match *e.weight() {
            Edge::Produces | Edge::Consumes { pattern: false } => "-->".to_string(),
            Edge::Consumes { pattern: true } => "-.->|pattern|".into(),
            Edge::ReplacedBy => "-.->|replaced by|".into(),
            Edge::Candidate => "-.->|candidate|".into(),
        };
        let _ = writeln!(o, "  {a} {arrow} {b}");
    }
    let _ = writeln!(
        o,
        "  classDef deprecated stroke-dasharray: 5 5,fill:#eeeeee,color:#666666"
    );
    let _ = writeln!(o, "  classDef proposed stroke-dasharray: 2 2,fill:#ffffff");
    if !deprecated.is_empty() {
        let _ = writeln!(o, "  class {} deprecated", deprecated.join(","));
    }
    if !proposed.is_empty() {
        let _ = writeln!(o, "  class {} proposed", proposed.join(","));
    }
    o
}
