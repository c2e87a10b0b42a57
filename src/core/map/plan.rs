//! The map as plain data: box geometry per zoom level, placed nodes, edges and their
//! routed paths. The layout (`layout.rs`) and the router (`route.rs`) fill it in; the
//! TUI and the SVG export draw it.

use crate::core::topology::Node;
use std::collections::{HashMap, HashSet};

/// Width and height of a box in cells, and the gaps between them: one per zoom level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    pub box_w: u32,
    pub box_h: u32,
    pub gap_x: u32,
    pub gap_y: u32,
}

/// Boxes with a border: kind, name, health.
pub const FULL: Geometry = Geometry {
    box_w: 24,
    box_h: 3,
    gap_x: 8,
    gap_y: 1,
};
/// One-line labels.
pub const COMPACT: Geometry = Geometry {
    box_w: 16,
    box_h: 1,
    gap_x: 6,
    gap_y: 1,
};
/// A dot per node, a row per node: the platform's shape. No gap rows: a line that
/// passes a column goes below its dots (`lanes.rs`), never under one.
pub const OVERVIEW: Geometry = Geometry {
    box_w: 1,
    box_h: 1,
    gap_x: 5,
    gap_y: 0,
};

impl Geometry {
    /// Vertical lanes in a gap: parallel runs are spread over them.
    pub fn lanes(&self) -> u32 {
        (self.gap_x / 2).saturating_sub(1).max(1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// Data flows along it (produces, consumes).
    Data,
    /// A pattern subscription.
    Pattern,
    /// Deprecated topic → its replacement.
    Replacement,
    /// A proposed topic's candidate producer.
    Candidate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub node: Node,
    pub layer: usize,
    pub order: usize,
    /// Top-left cell of its box.
    pub x: u32,
    pub y: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapEdge {
    /// Indices into `Layout::nodes`.
    pub from: usize,
    pub to: usize,
    pub line: Line,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub geo: Geometry,
    pub nodes: Vec<Placed>,
    pub edges: Vec<MapEdge>,
    pub layers: usize,
    pub width: u32,
    pub height: u32,
    /// Where each node is, by node.
    pub index: HashMap<Node, usize>,
    /// Each edge's path and arrow head, computed with the layout; a frame draws only
    /// the cells in view (`route::cells_in`).
    pub paths: Vec<Path>,
    pub arrows: HashMap<(u32, u32), usize>,
    /// Where a backward edge (a cycle, drawn against the flow) turns back left: drawn
    /// `◀`, the only place a reader following a line turns left.
    pub backs: HashSet<(u32, u32)>,
    /// None when there are too many edges to count pairs (`CROSSINGS_UP_TO`).
    pub crossings: Option<usize>,
    /// Set (to the number of edges) when there are more than `MAX_EDGES`: nothing laid out.
    pub refused: Option<usize>,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            geo: FULL,
            nodes: Vec::new(),
            edges: Vec::new(),
            layers: 0,
            width: 0,
            height: 0,
            index: HashMap::new(),
            paths: Vec::new(),
            arrows: HashMap::new(),
            backs: HashSet::new(),
            crossings: None,
            refused: None,
        }
    }
}

/// Beyond this many edges the map is not drawn: no screen or page can show them
/// legibly, and laying them out costs seconds (measured with `ktopo export --format
/// svg`, release: 48,000 edges 1.2 s, 96,000 edges 3.5 s, 192,000 edges 11.5 s; 3,000
/// services subscribing `*` over 300 topics make 900,000).
pub const MAX_EDGES: usize = 50_000;

impl Layout {
    pub fn find(&self, n: Node) -> Option<&Placed> {
        self.index.get(&n).map(|&i| &self.nodes[i])
    }
}

/// Where a node is in a layered drawing: (layer, order within the layer).
pub type Slot = (usize, usize);

/// One edge's path: cell corners from the cell right of the source box to the cell
/// left of the target box (where the arrow head goes).
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub edge: usize,
    pub points: Vec<(u32, u32)>,
    pub line: Line,
}
