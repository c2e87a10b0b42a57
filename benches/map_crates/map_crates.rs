//! ktopo's map layout against the layered-layout crates the issue names, on the same
//! graphs, measured the same way (median of the same repetitions, same crossing
//! count: pairs of edges between the same two layers whose orders are inverted):
//! rust-sugiyama 0.4 (network-simplex ranks, weighted-median ordering, Brandes-Köpf
//! coordinates) and ascii-dag 0.11 (layered layout and text renderer, left to right).
//! Run: `cargo bench --manifest-path benches/map_crates/Cargo.toml` (a crate of its own,
//! so the root `cargo test` never builds the two; the 2,000-topic case runs once:
//! rust-sugiyama takes many minutes on it; `MAP_CRATES=ascii-dag` or `=rust-sugiyama`
//! runs only one). Results are quoted in docs/map.md.

#[path = "../common/mod.rs"]
mod common;
use common::median;
use ktopo::core::map::plan::Slot;
use ktopo::core::topology::Topology;
use petgraph::visit::EdgeRef;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

/// Every edge of the topology as (from, to) node numbers (services, then topics);
/// self-loops left out (no layered layout draws them between layers).
fn edges(reg: &ktopo::core::registry::Registry, topo: &Topology) -> Vec<(u32, u32)> {
    let id = |n: ktopo::core::topology::Node| match n {
        ktopo::core::topology::Node::Service(i) => i.index() as u32,
        ktopo::core::topology::Node::Topic(i) => (reg.services.len() + i.index()) as u32,
    };
    topo.graph
        .edge_references()
        .map(|e| (id(topo.graph[e.source()]), id(topo.graph[e.target()])))
        .filter(|(a, b)| a != b)
        .collect()
}

/// Median milliseconds of `reps` runs, and the last result.
fn timed<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..reps {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    (median(times), last.expect("one repetition"))
}

/// rust-sugiyama: layers are the distinct y values of each component, order the x
/// rank within a layer.
fn sugiyama(edges: &[(u32, u32)]) -> (usize, usize) {
    let config = rust_sugiyama::configure::Config::default();
    let layouts = rust_sugiyama::from_edges(edges, &config);
    let mut place: HashMap<usize, (usize, usize, usize)> = HashMap::new();
    let mut layers = 0;
    for (c, (coords, _, _)) in layouts.iter().enumerate() {
        let mut ys: Vec<i64> = coords.iter().map(|(_, (_, y))| y.round() as i64).collect();
        ys.sort_unstable();
        ys.dedup();
        layers = layers.max(ys.len());
        let mut by_layer: BTreeMap<usize, Vec<(i64, usize)>> = BTreeMap::new();
        for &(v, (x, y)) in coords {
            let l = ys.binary_search(&(y.round() as i64)).expect("a y of this component");
            by_layer.entry(l).or_default().push((x.round() as i64, v));
        }
        for (l, mut vs) in by_layer {
            vs.sort_unstable();
            for (o, (_, v)) in vs.into_iter().enumerate() {
                place.insert(v, (c, l, o));
            }
        }
    }
    let ends: Vec<(Slot, Slot)> = edges
        .iter()
        .filter_map(|&(a, b)| {
            let (ca, la, oa) = place.get(&(a as usize))?;
            let (cb, lb, ob) = place.get(&(b as usize))?;
            // Components are laid out apart: shift layers so they never pair up.
            (ca == cb).then_some(((ca * 100_000 + la, *oa), (cb * 100_000 + lb, *ob)))
        })
        .collect();
    (layers, ktopo::core::map::layout::crossings(&ends))
}

/// ascii-dag, left to right: its own levels and positions within them; also the
/// size of the text it renders.
fn ascii_dag(edges: &[(u32, u32)], labels: &[String]) -> (usize, usize, (usize, usize)) {
    let mut g = ascii_dag::Graph::new();
    for (i, l) in labels.iter().enumerate() {
        g.add_node(i, l.as_str());
    }
    for &(a, b) in edges {
        g.add_edge(a as usize, b as usize, None);
    }
    g.set_direction(ascii_dag::graph::Direction::LeftRight);
    let ir = g.compute_layout();
    let place: HashMap<usize, (usize, usize)> =
        ir.nodes().iter().map(|n| (n.id, (n.level, n.level_position))).collect();
    let levels = ir.nodes().iter().map(|n| n.level + 1).max().unwrap_or(0);
    let ends: Vec<(Slot, Slot)> = edges
        .iter()
        .filter_map(|&(a, b)| Some((*place.get(&(a as usize))?, *place.get(&(b as usize))?)))
        .collect();
    let text = ir.render_string(&ascii_dag::RenderOptions::plain());
    let size = (
        text.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        text.lines().count(),
    );
    (levels, ktopo::core::map::layout::crossings(&ends), size)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    // cargo runs a bench in its package's directory: the seed is two levels up.
    let seed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../registry.yaml")).expect("registry.yaml");
    for (name, text, reps) in [
        ("17-service registry.yaml", seed, 20),
        ("200-topic synthetic", ktopo::core::synthetic::registry(40, 200), 5),
        ("2,000-topic synthetic", ktopo::core::synthetic::registry(400, 2_000), 1),
    ] {
        let reg = ktopo::core::registry::load_str("map.yaml", text)
            .registry
            .expect("valid");
        let topo = Topology::build(&reg);
        let e = edges(&reg, &topo);
        let labels: Vec<String> = reg
            .services
            .iter()
            .map(|s| s.name.clone())
            .chain(reg.topics.iter().map(|t| t.name.clone()))
            .collect();
        let (t_k, k) = timed(reps, || ktopo::core::map::layout::layout(&reg, &topo));
        println!(
            "{name}: ktopo          {:>9.2} ms, {:>4} layers, {:>6} crossings, {} x {} cells (with edge routes)",
            t_k,
            k.layers,
            k.crossings.map_or("-".into(), |c| c.to_string()),
            k.width,
            k.height
        );
        let wanted = |c: &str| std::env::var("MAP_CRATES").map_or(true, |v| v.split(',').any(|x| x == c));
        if wanted("rust-sugiyama") {
            let (t_s, (layers, crossings)) = timed(reps, || sugiyama(&e));
            println!(
            "{name}: rust-sugiyama  {:>9.2} ms, {layers:>4} layers, {crossings:>6} crossings (coordinates only, no routes)",
            t_s
            );
        }
        if wanted("ascii-dag") {
            let (t_a, (levels, crossings, (w, h))) = timed(reps, || ascii_dag(&e, &labels));
            println!(
            "{name}: ascii-dag      {:>9.2} ms, {levels:>4} layers, {crossings:>6} crossings, {w} x {h} cells (layout and text)",
            t_a
            );
        }
    }
}
