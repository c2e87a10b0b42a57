//! Edges routed so that every one can be read back from the drawing (issue 18: two
//! edges sharing a cell run, or crossing as `┼`, read as a junction and sent a reader
//! into the wrong box).
//!
//! Each gap between two columns has its own vertical lanes, left to right:
//! - a back-out lane per backward edge leaving the left column (cycles drawn back left),
//! - an out-trunk per source in the left column: its forks, branches leave rightwards,
//! - a back-in lane per backward edge entering the right column,
//! - an in-trunk per target in the right column: its merges, branches join from the left,
//!
//! then the arrow column. A source's start row runs from its box to its out-trunk; a
//! target's in-row from its in-trunk to its arrow. Between them every edge has a rung
//! of its own: a horizontal run on a row where it shares no cell with another net's
//! horizontal run (it may only touch its own source's start row at the out-trunk and
//! its own target's in-row at the in-trunk) and passes through no box. Lanes are never
//! shared, so lines of different nets meet only where one passes straight through the
//! other: a crossing, drawn with the horizontal broken (`route::CROSS`). A gap is as
//! wide as its lanes need; rungs that find no free row go below the boxes.
//!
//! Reading rule, which `tests/it/tui_map_read.rs` follows on the rendered buffer: leave
//! a box rightwards, follow the line, go straight over a crossing, and at a junction
//! never turn back left (what joins from the left is a merge into someone's arrow)
//! but at a `◀`, where a backward edge turns to run back left.

use super::plan::{Layout, Path};
use std::collections::HashMap;

/// Who owns a horizontal run on a row.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// A source's start row, ending at its out-trunk.
    Start(usize),
    /// A target's in-row, starting at its in-trunk.
    In(usize),
    /// One edge's rung.
    Rung,
}

/// Horizontal runs already placed, by row: (first x, last x, owner).
#[derive(Default)]
struct Rows(HashMap<u32, Vec<(u32, u32, Owner)>>);

impl Rows {
    /// Whether `[x0, x1]` on row `y` is free for a rung, touching at most the start row
    /// of `src` at `sx` and the in-row of `dst` at `dx`.
    fn free(&self, y: u32, x0: u32, x1: u32, touch: &[(Owner, u32)]) -> bool {
        self.0.get(&y).is_none_or(|runs| {
            runs.iter().all(|&(a, b, o)| {
                let (lo, hi) = (a.max(x0), b.min(x1));
                lo > hi || (lo == hi && touch.contains(&(o, lo)))
            })
        })
    }
    fn put(&mut self, y: u32, x0: u32, x1: u32, o: Owner) {
        self.0.entry(y).or_default().push((x0.min(x1), x0.max(x1), o));
    }
}

/// What a gap holds: lane counts by kind.
#[derive(Default, Clone)]
struct Gap {
    back_out: Vec<usize>,
    out: Vec<usize>,
    back_in: Vec<usize>,
    into: Vec<usize>,
}

impl Gap {
    fn lanes(&self) -> u32 {
        (self.back_out.len() + self.out.len() + self.back_in.len() + self.into.len()) as u32
    }
}

/// Place the columns (each gap as wide as its lanes) and route every edge: sets the
/// nodes' x, the layout's width and height, and its paths.
pub fn route_all(l: &mut Layout) {
    let g = l.geo;
    let n_layers = l.layers;
    let forward = |l: &Layout, k: usize| {
        let e = &l.edges[k];
        l.nodes[e.to].layer > l.nodes[e.from].layer
    };
    // Gap j lies left of column j (gap `layers` is the right margin).
    let mut gaps: Vec<Gap> = vec![Gap::default(); n_layers + 1];
    let mut seen_out = vec![false; l.nodes.len()];
    let mut seen_in = vec![false; l.nodes.len()];
    // Lanes in the order of the rows they serve: fewer crossings among them.
    let mut by_row: Vec<usize> = (0..l.edges.len()).collect();
    by_row.sort_by_key(|&k| {
        let e = &l.edges[k];
        (l.nodes[e.from].order, l.nodes[e.to].order)
    });
    for &k in &by_row {
        let e = &l.edges[k];
        let (a, b) = (&l.nodes[e.from], &l.nodes[e.to]);
        if !seen_out[e.from] {
            seen_out[e.from] = true;
            gaps[a.layer + 1].out.push(e.from);
        }
        if !forward(l, k) {
            gaps[a.layer + 1].back_out.push(k);
            gaps[b.layer].back_in.push(k);
        }
    }
    let mut targets: Vec<usize> = (0..l.nodes.len()).collect();
    targets.sort_by_key(|&i| l.nodes[i].order);
    for e in &l.edges {
        seen_in[e.to] = true;
    }
    for i in targets.into_iter().filter(|&i| seen_in[i]) {
        gaps[l.nodes[i].layer].into.push(i);
    }
    // Column positions: a gap keeps its geometry's width unless its lanes need more
    // (start cell, lanes, a free column between the halves, the arrow).
    let width_of = |gap: &Gap| g.gap_x.max(gap.lanes() + 3);
    let mut col_x = Vec::with_capacity(n_layers);
    let mut x = 0u32;
    for gap in gaps.iter().take(n_layers) {
        x = x.saturating_add(width_of(gap));
        col_x.push(x);
        x = x.saturating_add(g.box_w);
    }
    l.width = x.saturating_add(width_of(&gaps[n_layers]));
    for p in &mut l.nodes {
        p.x = col_x[p.layer];
    }
    // Lane x of each kind: `start` is the cell right of the left column's boxes.
    let start_of = |j: usize| if j == 0 { 0 } else { col_x[j - 1] + g.box_w };
    let mut back_out_x: HashMap<usize, u32> = HashMap::new();
    let mut back_in_x: HashMap<usize, u32> = HashMap::new();
    let mut out_x: HashMap<usize, u32> = HashMap::new();
    let mut in_x: HashMap<usize, u32> = HashMap::new();
    for (j, gap) in gaps.iter().enumerate() {
        let s = start_of(j) + 1;
        for (i, &k) in gap.back_out.iter().enumerate() {
            back_out_x.insert(k, s + i as u32);
        }
        let s = s + gap.back_out.len() as u32;
        for (i, &n) in gap.out.iter().enumerate() {
            out_x.insert(n, s + i as u32);
        }
        if j < n_layers {
            // The right half packed against the arrow column.
            let arrow = col_x[j] - 1;
            let first = arrow - (gap.back_in.len() + gap.into.len()) as u32;
            for (i, &k) in gap.back_in.iter().enumerate() {
                back_in_x.insert(k, first + i as u32);
            }
            let first = first + gap.back_in.len() as u32;
            for (i, &n) in gap.into.iter().enumerate() {
                in_x.insert(n, first + i as u32);
            }
        }
    }
    let pitch = g.box_h + g.gap_y;
    let mid = g.box_h / 2;
    let row_of = |n: usize| l.nodes[n].y + mid;
    let port = |n: usize| l.nodes[n].x + g.box_w;
    let arrow_of = |n: usize| l.nodes[n].x - 1;
    let mut rows = Rows::default();
    for (&n, &ox) in &out_x {
        rows.put(row_of(n), port(n), ox, Owner::Start(n));
    }
    for (&n, &ix) in &in_x {
        rows.put(row_of(n), ix, arrow_of(n), Owner::In(n));
    }
    let mut count = vec![0u32; n_layers];
    for p in &l.nodes {
        count[p.layer] = count[p.layer].max(p.order as u32 + 1);
    }
    // A row passes column c when no box of c is on it.
    let clear = |y: u32, cols: std::ops::RangeInclusive<usize>| {
        cols.into_iter().all(|c| y / pitch >= count[c] || y % pitch >= g.box_h)
    };
    let mut bottom = l.height;
    let limit = l.height + 2 * l.edges.len() as u32 + 2;
    // The free row nearest to `near` (then `also`) for a run from x0 to x1.
    let mut pick = |rows: &Rows,
                    near: u32,
                    also: u32,
                    x0: u32,
                    x1: u32,
                    cols: Option<std::ops::RangeInclusive<usize>>,
                    touch: &[(Owner, u32)]|
     -> u32 {
        let ok = |y: u32| rows.free(y, x0.min(x1), x0.max(x1), touch) && cols.clone().is_none_or(|c| clear(y, c));
        for d in 0..limit {
            for y in [
                near.checked_add(d),
                also.checked_sub(d),
                also.checked_add(d),
                near.checked_sub(d),
            ]
            .into_iter()
            .flatten()
            {
                if ok(y) {
                    bottom = bottom.max(y + 1);
                    return y;
                }
            }
        }
        bottom += 1;
        bottom - 1
    };
    let mut paths = Vec::with_capacity(l.edges.len());
    for k in 0..l.edges.len() {
        let e = &l.edges[k];
        let (a, b) = (&l.nodes[e.from], &l.nodes[e.to]);
        let (ys, yt) = (row_of(e.from), row_of(e.to));
        let (o, i) = (out_x[&e.from], in_x[&e.to]);
        let mut pts = vec![(port(e.from), ys)];
        if forward(l, k) {
            let cols = (b.layer > a.layer + 1).then(|| a.layer + 1..=b.layer - 1);
            let touch = [(Owner::Start(e.from), o), (Owner::In(e.to), i)];
            let r = pick(&rows, ys, yt, o, i, cols, &touch);
            rows.put(r, o, i, Owner::Rung);
            pts.extend([(o, ys), (o, r), (i, r), (i, yt)]);
        } else {
            let (bo, bi) = (back_out_x[&k], back_in_x[&k]);
            let r = pick(&rows, ys, yt, bi, bo, Some(b.layer..=a.layer), &[]);
            rows.put(r, bi, bo, Owner::Rung);
            let touch = [(Owner::In(e.to), i)];
            let r2 = pick(&rows, yt, r, bi, i, None, &touch);
            rows.put(r2, bi, i, Owner::Rung);
            pts.extend([(bo, ys), (bo, r), (bi, r), (bi, r2), (i, r2), (i, yt)]);
            l.backs.insert((bo, r));
        }
        pts.push((arrow_of(e.to), yt));
        pts.dedup();
        paths.push(Path {
            edge: k,
            points: pts,
            line: e.line,
        });
    }
    l.height = bottom.max(l.height);
    l.paths = paths;
}
