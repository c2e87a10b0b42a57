//! A layered left-to-right layout of the whole topology (Sugiyama-style, written here:
//! see docs/map.md for why): cycles broken by a greedy feedback-arc-set order, layers
//! by longest path, order within layers by barycenter sweeps, then grid coordinates.
//! Pure and computed once per registry.

use super::plan::{Geometry, Layout, Line, MapEdge, Placed, Slot, FULL, MAX_EDGES};
use crate::core::registry::Registry;
use crate::core::topology::{Edge, Node, Topology};
use petgraph::visit::EdgeRef;
use std::collections::HashMap;

/// Up to this many edges every one gets lanes of its own (`lanes.rs`); beyond, gaps
/// keep their fixed width and parallel runs share lanes (`route::paths`): a map that
/// large is read by focus and filter, and its own lanes would make gaps thousands of
/// cells wide and take seconds to route (the 2,000-topic synthetic registry).
pub const LANES_UP_TO: usize = 2_000;

/// Crossings are counted pair by pair: beyond this many edges, not at all.
const CROSSINGS_UP_TO: usize = 20_000;

impl Layout {
    /// Pairs of edges between the same two layers that cross.
    fn count_crossings(&self) -> usize {
        let ends: Vec<(Slot, Slot)> = self
            .edges
            .iter()
            .map(|e| {
                let (a, b) = (&self.nodes[e.from], &self.nodes[e.to]);
                ((a.layer, a.order), (b.layer, b.order))
            })
            .collect();
        crossings(&ends)
    }
}

/// Crossings of edges given as ((layer, order), (layer, order)) ends: pairs of edges
/// between the same two layers whose orders are inverted. The one measure for this
/// layout and the crates it is compared with (`benches/map.rs`).
pub fn crossings(ends: &[(Slot, Slot)]) -> usize {
    let mut by_pair: HashMap<(usize, usize), Vec<(usize, usize)>> = HashMap::new();
    for &((la, oa), (lb, ob)) in ends {
        by_pair.entry((la, lb)).or_default().push((oa, ob));
    }
    let mut n = 0;
    for v in by_pair.values() {
        for (i, a) in v.iter().enumerate() {
            n += v[i + 1..]
                .iter()
                .filter(|b| (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1))
                .count();
        }
    }
    n
}

/// Lay out every service and topic that takes part in a link (and the others in a
/// last column, so nothing is missing), with full boxes.
pub fn layout(reg: &Registry, topo: &Topology) -> Layout {
    layouts(reg, topo, &[FULL]).remove(0)
}

/// The layout of a part of the platform: its nodes and the edges between them.
pub fn layout_part(reg: &Registry, topo: &Topology, part: &crate::core::part::Part) -> Layout {
    layout_part_at(reg, topo, part, FULL)
}

/// A part of the platform with boxes of `geo` (the SVG sizes them to its names).
pub fn layout_part_at(reg: &Registry, topo: &Topology, part: &crate::core::part::Part, geo: Geometry) -> Layout {
    place(&order(reg, topo, part), geo)
}

/// The same order (layers, order within them) placed at each geometry: the costly
/// part, ordering, is done once for all zoom levels.
pub fn layouts(reg: &Registry, topo: &Topology, geos: &[Geometry]) -> Vec<Layout> {
    let ordered = order(reg, topo, &crate::core::part::Part::All);
    geos.iter().map(|&g| place(&ordered, g)).collect()
}

fn order(reg: &Registry, topo: &Topology, part: &crate::core::part::Part) -> Layout {
    let edges = topo.graph.edge_count();
    if edges > MAX_EDGES {
        return Layout {
            refused: Some(edges),
            ..Layout::default()
        };
    }
    let nodes: Vec<Node> = reg
        .service_ids()
        .map(Node::Service)
        .chain(reg.topic_ids().map(Node::Topic))
        .filter(|&n| part.has(n))
        .collect();
    let id: HashMap<Node, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut edges: Vec<MapEdge> = Vec::new();
    for e in topo.graph.edge_references() {
        let (a, b) = (topo.graph[e.source()], topo.graph[e.target()]);
        let (Some(&from), Some(&to)) = (id.get(&a), id.get(&b)) else {
            continue;
        };
        let line = match e.weight() {
            Edge::Produces => Line::Data,
            Edge::Consumes { pattern: false } => Line::Data,
            Edge::Consumes { pattern: true } => Line::Pattern,
            Edge::ReplacedBy => Line::Replacement,
            Edge::Candidate => Line::Candidate,
        };
        edges.push(MapEdge { from, to, line });
    }
    let n = nodes.len();
    // Break cycles: edges that point backwards in a greedy feedback-arc-set order
    // (Eades, Lin and Smyth) are laid out reversed, drawn back to the left.
    let rank = fas_order(n, &edges);
    let reversed: Vec<bool> = edges.iter().map(|e| rank[e.from] > rank[e.to]).collect();
    let forward = |k: usize| {
        let e = &edges[k];
        if reversed[k] {
            (e.to, e.from)
        } else {
            (e.from, e.to)
        }
    };
    // Longest-path layers over the now acyclic graph (Kahn's order).
    let mut indeg = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for k in 0..edges.len() {
        let (a, b) = forward(k);
        if a != b {
            succ[a].push(b);
            indeg[b] += 1;
        }
    }
    let mut layer = vec![0usize; n];
    let mut queue: Vec<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut head = 0;
    while head < queue.len() {
        let a = queue[head];
        head += 1;
        for &b in &succ[a] {
            layer[b] = layer[b].max(layer[a] + 1);
            indeg[b] -= 1;
            if indeg[b] == 0 {
                queue.push(b);
            }
        }
    }
    // Unlinked nodes go after everything else.
    let mut linked = vec![false; n];
    for e in &edges {
        linked[e.from] = true;
        linked[e.to] = true;
    }
    let last = layer.iter().copied().max().unwrap_or(0);
    for i in 0..n {
        if !linked[i] {
            layer[i] = last + 1;
        }
    }
    let layers = layer.iter().copied().max().map_or(0, |m| m + 1);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for i in 0..n {
        rows[layer[i]].push(i);
    }
    // Start in registry order (services then topics); the sweeps reorder.
    let mut pos = vec![0f64; n];
    for r in &rows {
        for (o, &i) in r.iter().enumerate() {
            pos[i] = o as f64;
        }
    }
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, s) in succ.iter().enumerate() {
        for &b in s {
            preds[b].push(a);
        }
    }
    for sweep in 0..8 {
        let down = sweep % 2 == 0;
        let order: Vec<usize> = if down {
            (1..layers).collect()
        } else {
            (0..layers.saturating_sub(1)).rev().collect()
        };
        for l in order {
            let r = &mut rows[l];
            let key = |i: usize| {
                let ns = if down { &preds[i] } else { &succ[i] };
                if ns.is_empty() {
                    pos[i]
                } else {
                    ns.iter().map(|&j| pos[j]).sum::<f64>() / ns.len() as f64
                }
            };
            let mut keyed: Vec<(f64, f64, usize)> = r.iter().map(|&i| (key(i), pos[i], i)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            *r = keyed.into_iter().map(|k| k.2).collect();
            for (o, &i) in r.iter().enumerate() {
                pos[i] = o as f64;
            }
        }
    }
    transpose(&mut rows, &mut pos, &preds, &succ, 4, &|_, _| true);
    // Domain clusters: each column's boxes of one domain together (domains in the
    // order of their mean position, each keeping its own order), then the local
    // swaps again, within a domain only.
    let domain: Vec<Option<&str>> = nodes
        .iter()
        .map(|n| match *n {
            Node::Service(i) => reg.services[i].domain.as_deref(),
            Node::Topic(i) => reg.topics[i].domain.as_deref(),
        })
        .collect();
    for r in rows.iter_mut() {
        let mut mean: HashMap<Option<&str>, (f64, usize)> = HashMap::new();
        for &i in r.iter() {
            let e = mean.entry(domain[i]).or_insert((0.0, 0));
            e.0 += pos[i];
            e.1 += 1;
        }
        let key = |i: usize| {
            let (sum, n) = mean[&domain[i]];
            sum / n as f64
        };
        r.sort_by(|&a, &b| {
            key(a)
                .total_cmp(&key(b))
                .then(domain[a].cmp(&domain[b]))
                .then(pos[a].total_cmp(&pos[b]))
        });
        for (o, &i) in r.iter().enumerate() {
            pos[i] = o as f64;
        }
    }
    transpose(&mut rows, &mut pos, &preds, &succ, 4, &|a, b| domain[a] == domain[b]);
    let mut placed: Vec<Placed> = nodes
        .iter()
        .map(|&node| Placed {
            node,
            layer: 0,
            order: 0,
            x: 0,
            y: 0,
        })
        .collect();
    for (l, r) in rows.iter().enumerate() {
        for (o, &i) in r.iter().enumerate() {
            placed[i].layer = l;
            placed[i].order = o;
        }
    }
    let index = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut l = Layout {
        nodes: placed,
        edges,
        layers,
        index,
        ..Layout::default()
    };
    l.crossings = (l.edges.len() <= CROSSINGS_UP_TO).then(|| l.count_crossings());
    l
}

/// Grid coordinates and edge paths of an ordered layout at one geometry.
fn place(ordered: &Layout, geo: Geometry) -> Layout {
    let mut l = Layout { geo, ..ordered.clone() };
    if l.refused.is_some() {
        return l;
    }
    let mut tallest = 0;
    for p in &mut l.nodes {
        // Every column starts at the top, so the gap rows between boxes line up across
        // columns: long edges travel along them without crossing a box.
        p.y = (p.order as u32).saturating_mul(geo.box_h + geo.gap_y);
        tallest = tallest.max(p.order + 1);
    }
    l.height = (tallest as u32).saturating_mul(geo.box_h + geo.gap_y);
    if l.edges.len() <= LANES_UP_TO {
        // Each gap as wide as its lanes: every edge can be read back.
        super::lanes::route_all(&mut l);
    } else {
        // Fixed gaps, lanes shared: a margin on the left for edges into the first column.
        for p in &mut l.nodes {
            p.x = geo
                .gap_x
                .saturating_add((p.layer as u32).saturating_mul(geo.box_w + geo.gap_x));
        }
        l.width = geo
            .gap_x
            .saturating_add((l.layers as u32).saturating_mul(geo.box_w + geo.gap_x));
        l.paths = super::route::paths(&l);
    }
    l.arrows = l
        .paths
        .iter()
        .filter_map(|p| p.points.last().map(|&end| (end, p.edge)))
        .collect();
    l
}

/// Swap neighbours within a layer while that removes crossings (the "transpose" step
/// of Gansner et al.): barycenters leave local inversions that one swap fixes. A few
/// passes, each O(sum of degree products of adjacent pairs).
fn transpose(
    rows: &mut [Vec<usize>],
    pos: &mut [f64],
    preds: &[Vec<usize>],
    succ: &[Vec<usize>],
    passes: usize,
    may_swap: &dyn Fn(usize, usize) -> bool,
) {
    let layer_of: Vec<usize> = {
        let mut l = vec![0; pos.len()];
        for (k, r) in rows.iter().enumerate() {
            for &i in r {
                l[i] = k;
            }
        }
        l
    };
    // Crossings between u's and v's edges when u is above v: pairs of neighbours in
    // the same layer in the opposite order.
    let cost = |u: usize, v: usize, pos: &[f64]| -> usize {
        let mut c = 0;
        for &x in preds[u].iter().chain(&succ[u]) {
            for &y in preds[v].iter().chain(&succ[v]) {
                if layer_of[x] == layer_of[y] && pos[x] > pos[y] {
                    c += 1;
                }
            }
        }
        c
    };
    for _ in 0..passes {
        let mut improved = false;
        for r in rows.iter_mut() {
            for k in 1..r.len() {
                let (u, v) = (r[k - 1], r[k]);
                if may_swap(u, v) && cost(v, u, pos) < cost(u, v, pos) {
                    r.swap(k - 1, k);
                    pos[u] = k as f64;
                    pos[v] = (k - 1) as f64;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// A vertex order with few backward edges: sinks go last, sources first, and
/// otherwise the vertex with the most outgoing minus incoming edges goes first.
fn fas_order(n: usize, edges: &[MapEdge]) -> Vec<usize> {
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges.iter().filter(|e| e.from != e.to) {
        outs[e.from].push(e.to);
        ins[e.to].push(e.from);
    }
    let mut outdeg: Vec<i64> = outs.iter().map(|o| o.len() as i64).collect();
    let mut indeg: Vec<i64> = ins.iter().map(|i| i.len() as i64).collect();
    let mut gone = vec![false; n];
    let (mut first, mut last) = (Vec::with_capacity(n), Vec::new());
    let mut left = n;
    let remove = |v: usize, gone: &mut Vec<bool>, outdeg: &mut Vec<i64>, indeg: &mut Vec<i64>| {
        gone[v] = true;
        for &w in &outs[v] {
            indeg[w] -= 1;
        }
        for &u in &ins[v] {
            outdeg[u] -= 1;
        }
    };
    while left > 0 {
        let mut progressed = true;
        while progressed {
            progressed = false;
            for v in 0..n {
                if gone[v] {
                    continue;
                }
                if outdeg[v] == 0 {
                    last.push(v);
                } else if indeg[v] == 0 {
                    first.push(v);
                } else {
                    continue;
                }
                remove(v, &mut gone, &mut outdeg, &mut indeg);
                left -= 1;
                progressed = true;
            }
        }
        if left == 0 {
            break;
        }
        let v = (0..n)
            .filter(|&v| !gone[v])
            .max_by_key(|&v| (outdeg[v] - indeg[v], std::cmp::Reverse(v)))
            .expect("a vertex is left");
        first.push(v);
        remove(v, &mut gone, &mut outdeg, &mut indeg);
        left -= 1;
    }
    last.reverse();
    first.extend(last);
    let mut rank = vec![0; n];
    for (r, &v) in first.iter().enumerate() {
        rank[v] = r;
    }
    rank
}
