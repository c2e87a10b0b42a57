//! The platform map: the whole topology as a layered left-to-right flow diagram.
//! `layout.rs` orders the boxes, `lanes.rs` places them and routes the edges in the gaps,
//! `route.rs` turns the paths into cells; the TUI's
//! `:map` view and `ktopo export --format svg` share both.

pub mod lanes;
pub mod layout;
pub mod pixels;
pub mod plan;
pub mod route;
pub mod svg;
pub mod svg_pages;
pub mod text;

/// How much of each node the map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zoom {
    /// Boxes with kind, name and health.
    #[default]
    Full,
    /// One-line labels.
    Compact,
    /// A dot per node.
    Overview,
}

impl Zoom {
    pub const ALL: [Zoom; 3] = [Zoom::Full, Zoom::Compact, Zoom::Overview];
    pub fn geometry(self) -> plan::Geometry {
        match self {
            Zoom::Full => plan::FULL,
            Zoom::Compact => plan::COMPACT,
            Zoom::Overview => plan::OVERVIEW,
        }
    }
    pub fn out(self) -> Zoom {
        match self {
            Zoom::Full => Zoom::Compact,
            _ => Zoom::Overview,
        }
    }
    pub fn zoom_in(self) -> Zoom {
        match self {
            Zoom::Overview => Zoom::Compact,
            _ => Zoom::Full,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Zoom::Full => "boxes",
            Zoom::Compact => "labels",
            Zoom::Overview => "overview",
        }
    }
}

/// The map of a registry at every zoom level: one ordering, three placements.
pub fn all_zooms(reg: &crate::core::registry::Registry, topo: &crate::core::topology::Topology) -> Vec<plan::Layout> {
    let geos: Vec<plan::Geometry> = Zoom::ALL.iter().map(|z| z.geometry()).collect();
    layout::layouts(reg, topo, &geos)
}
