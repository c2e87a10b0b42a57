//! `ktopo export`: the topology as Graphviz DOT, a Mermaid flowchart, JSON, or the
//! platform map as SVG (the TUI's `:map` layout, no Graphviz needed).

pub mod dot;
pub mod json;
pub mod mermaid;

pub use crate::core::part::Part;

use crate::core::registry::{Registry, ServiceId, TopicId};
use crate::core::topology::Topology;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Dot,
    Mermaid,
    Json,
    Svg,
    /// One AsyncAPI 3.0 document (YAML) for the platform.
    Asyncapi,
}

pub fn render(format: Format, reg: &Registry, topo: &Topology) -> String {
    render_part(format, reg, topo, &Part::All)
}

/// A part of the platform (`Part::All`: the whole). AsyncAPI documents the whole
/// platform only (the CLI refuses a part for it).
pub fn render_part(format: Format, reg: &Registry, topo: &Topology, part: &Part) -> String {
    match format {
        Format::Dot => dot::render_part(reg, topo, part),
        Format::Mermaid => mermaid::render_part(reg, topo, part),
        Format::Json => json::write_part(reg, topo, part),
        Format::Svg => svg(reg, topo, part, crate::core::map::svg::PAGE_PX),
        Format::Asyncapi => crate::core::asyncapi::write::render(reg),
    }
}

/// The map of `part` as SVG, boxes sized so no name is cut, wrapped onto strips that
/// fit a page `page_px` wide (0: never wrapped).
pub fn svg(reg: &Registry, topo: &Topology, part: &Part, page_px: u32) -> String {
    use crate::core::map::{layout, svg};
    svg::render(
        reg,
        &layout::layout_part_at(reg, topo, part, svg::geometry(reg, part)),
        page_px,
    )
}

/// One domain's services and topics; `domain` is None for the rest.
pub(crate) struct DomainGroup<'a> {
    pub domain: Option<&'a crate::core::registry::model::Domain>,
    pub services: Vec<ServiceId>,
    pub topics: Vec<TopicId>,
}

/// Services and topics grouped by domain in declaration order, then those with none
/// (of `part`: the rest are left out).
pub(crate) fn by_domain<'a>(reg: &'a Registry, part: &Part) -> Vec<DomainGroup<'a>> {
    use crate::core::topology::Node;
    let group = |domain| DomainGroup {
        domain,
        services: Vec::new(),
        topics: Vec::new(),
    };
    let mut groups: Vec<_> = reg.domains.iter().map(|d| group(Some(d))).collect();
    groups.push(group(None));
    let slot = |d: &Option<String>| {
        d.as_ref()
            .and_then(|d| reg.domains.iter().position(|x| &x.id == d))
            .unwrap_or(reg.domains.len())
    };
    for (i, s) in reg.services_by_id().filter(|(i, _)| part.has(Node::Service(*i))) {
        groups[slot(&s.domain)].services.push(i);
    }
    for (i, t) in reg.topics_by_id().filter(|(i, _)| part.has(Node::Topic(*i))) {
        groups[slot(&t.domain)].topics.push(i);
    }
    groups.retain(|g| !g.services.is_empty() || !g.topics.is_empty());
    groups
}
