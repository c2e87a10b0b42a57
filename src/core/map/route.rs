//! Edge paths as cells: each cell's directions and stroke, crossings told apart from
//! junctions, and the glyph for each. The layout's own edges are routed by `lanes.rs`;
//! `route` here is the quick path of an edge drawn over the map (observed links) and
//! of every edge of a map too large for lanes.

use super::plan::{Geometry, Layout, Line, Path, Placed};

/// The gap row nearest to `y` (between two rows of boxes).
fn gap_row(g: Geometry, y: u32) -> u32 {
    let pitch = g.box_h + g.gap_y;
    (y / pitch) * pitch + g.box_h
}

/// Every edge of a layout too large for lanes of its own (`layout::LANES_UP_TO`),
/// parallel runs spread over the geometry's lanes.
pub fn paths(l: &Layout) -> Vec<Path> {
    l.edges
        .iter()
        .enumerate()
        .map(|(k, e)| Path {
            edge: k,
            points: route(l.geo, &l.nodes[e.from], &l.nodes[e.to], k as u32),
            line: e.line,
        })
        .collect()
}

/// One overlay edge's corners from box `a` to box `b` (the layout's own edges have
/// lanes of their own, `lanes::route_all`); `k` spreads parallel vertical runs.
pub fn route(g: Geometry, a: &Placed, b: &Placed, k: u32) -> Vec<(u32, u32)> {
    let mid = g.box_h / 2;
    let lane = k % g.lanes();
    let start = (a.x + g.box_w, a.y + mid);
    let end = (b.x.saturating_sub(1), b.y + mid);
    let out_x = a.x + g.box_w + 1 + lane;
    let in_x = b.x.saturating_sub(3 + lane);
    let mut pts = vec![start, (out_x, start.1)];
    if b.layer == a.layer + 1 {
        // Neighbouring columns: one vertical run in the gap between them.
        pts.push((out_x, end.1));
    } else {
        // Further (or backwards): along the gap row below the source.
        let row = gap_row(g, a.y);
        pts.push((out_x, row));
        pts.push((in_x, row));
        pts.push((in_x, end.1));
    }
    pts.push(end);
    pts.dedup();
    pts
}

/// Directions a line leaves a cell by.
pub const UP: u8 = 1;
pub const DOWN: u8 = 2;
pub const LEFT: u8 = 4;
pub const RIGHT: u8 = 8;
/// Two lines cross here, neither turning: drawn as the vertical one alone, so the
/// horizontal one is visibly broken (`─│─`) and cannot be read as joining it.
pub const CROSS: u8 = 16;

/// Line cells of the paths inside `clip` (x, y, width, height): each cell's directions
/// (joined where paths meet; `CROSS` where lines pass straight through each other and
/// no path turns or ends) and how it looks: dashed when every line through it is a
/// replacement or candidate edge, `┈ ┊` when every line is a pattern subscription (the
/// vertical lines alone decide a crossing's look). A frame of a 2,000-topic map rasterises what it shows, not the whole
/// map, into a grid the size of the view (thousands of long edges share gap rows:
/// hashing each of their cells cost more than the rest of the frame).
pub fn cells_in(paths: &[Path], clip: (u32, u32, u32, u32)) -> Vec<((u32, u32), (u8, Stroke))> {
    let (cx0, cy0, w, h) = clip;
    if w == 0 || h == 0 {
        return Vec::new();
    }
    let (cx1, cy1) = (cx0.saturating_add(w - 1), cy0.saturating_add(h - 1));
    // Per cell: directions, all dashed, all pattern, touched, a path's corner or end,
    // all vertical runs dashed, all vertical runs pattern.
    let mut grid: Vec<Cell> = vec![Cell::default(); (w as usize) * (h as usize)];
    let idx = |x: u32, y: u32| ((y - cy0) as usize) * (w as usize) + (x - cx0) as usize;
    for p in paths {
        let dashed = matches!(p.line, Line::Replacement | Line::Candidate);
        let pattern = p.line == Line::Pattern;
        let mut mark = |c: (u32, u32), d: u8| {
            if c.0 < cx0 || c.0 > cx1 || c.1 < cy0 || c.1 > cy1 {
                return;
            }
            let e = &mut grid[idx(c.0, c.1)];
            e.dirs |= d;
            e.dashed &= dashed;
            e.pattern &= pattern;
            e.touched = true;
            if d & (UP | DOWN) != 0 {
                e.v_dashed &= dashed;
                e.v_pattern &= pattern;
            }
        };
        for seg in p.points.windows(2) {
            let ((x0, y0), (x1, y1)) = (seg[0], seg[1]);
            if y0 == y1 {
                let (lo, hi) = (x0.min(x1), x0.max(x1));
                if y0 < cy0 || y0 > cy1 || hi < cx0 || lo > cx1 {
                    continue;
                }
                for x in lo.max(cx0)..=hi.min(cx1) {
                    let mut d = 0;
                    if x > lo {
                        d |= LEFT;
                    }
                    if x < hi {
                        d |= RIGHT;
                    }
                    mark((x, y0), d);
                }
            } else {
                let (lo, hi) = (y0.min(y1), y0.max(y1));
                if x0 < cx0 || x0 > cx1 || hi < cy0 || lo > cy1 {
                    continue;
                }
                for y in lo.max(cy0)..=hi.min(cy1) {
                    let mut d = 0;
                    if y > lo {
                        d |= UP;
                    }
                    if y < hi {
                        d |= DOWN;
                    }
                    mark((x0, y), d);
                }
            }
        }
        // The path enters the arrow cell from the left; it leaves the source box.
        if let Some(&last) = p.points.last() {
            mark(last, RIGHT);
        }
        if let Some(&first) = p.points.first() {
            mark(first, LEFT);
        }
        for &(x, y) in &p.points {
            if x >= cx0 && x <= cx1 && y >= cy0 && y <= cy1 {
                grid[idx(x, y)].corner = true;
            }
        }
    }
    grid.iter()
        .enumerate()
        .filter(|(_, c)| c.touched)
        .map(|(i, c)| {
            let (x, y) = (cx0 + (i % w as usize) as u32, cy0 + (i / w as usize) as u32);
            let crossing = !c.corner && c.dirs & (UP | DOWN) != 0 && c.dirs & (LEFT | RIGHT) != 0;
            let (dashed, pattern) = if crossing {
                (c.v_dashed, c.v_pattern)
            } else {
                (c.dashed, c.pattern)
            };
            let stroke = match (dashed, pattern) {
                (true, _) => Stroke::Dashed,
                (_, true) => Stroke::Pattern,
                _ => Stroke::Solid,
            };
            let dirs = if crossing { UP | DOWN | CROSS } else { c.dirs };
            ((x, y), (dirs, stroke))
        })
        .collect()
}

/// What `cells_in` gathers about one cell.
#[derive(Clone, Copy)]
struct Cell {
    dirs: u8,
    dashed: bool,
    pattern: bool,
    touched: bool,
    corner: bool,
    v_dashed: bool,
    v_pattern: bool,
}

impl Default for Cell {
    fn default() -> Self {
        Cell {
            dirs: 0,
            dashed: true,
            pattern: true,
            touched: false,
            corner: false,
            v_dashed: true,
            v_pattern: true,
        }
    }
}

/// How a line is drawn. A cell's own stroke comes from the edges through it (solid,
/// or dashed or pattern when only such edges pass); the TUI draws overlays in heavy
/// (groups in trouble) or dotted (observed, undeclared) strokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stroke {
    Solid,
    /// Replacement and candidate edges only.
    Dashed,
    /// Pattern subscriptions only.
    Pattern,
    Dotted,
    Heavy,
}

impl Stroke {
    /// Every stroke, in the order the help lists them.
    pub const ALL: [Stroke; 5] = [
        Stroke::Solid,
        Stroke::Dashed,
        Stroke::Pattern,
        Stroke::Dotted,
        Stroke::Heavy,
    ];
    /// What a line in this stroke means on the map.
    pub fn meaning(self) -> &'static str {
        match self {
            Stroke::Solid => "declared produce / consume",
            Stroke::Dashed => "deprecated topic to its replacement (or a candidate)",
            Stroke::Pattern => "pattern subscription",
            Stroke::Dotted => "observed on the cluster, not declared",
            Stroke::Heavy => "a group in trouble (coloured by its health)",
        }
    }
    /// Each stroke with the glyph `glyph` draws for a horizontal run of it.
    pub fn legend() -> Vec<(char, &'static str)> {
        Stroke::ALL
            .iter()
            .map(|&s| (glyph(LEFT | RIGHT, s), s.meaning()))
            .collect()
    }
}

/// The glyph for a cell's directions in a stroke. Dashed, pattern and dotted lines
/// have light corners and junctions: Unicode has no such corners.
pub fn glyph(d: u8, stroke: Stroke) -> char {
    // A crossing shows its vertical line only: the horizontal one is broken there.
    let d = if d & CROSS != 0 { UP | DOWN } else { d };
    let straight = |h: char, v: char| match d {
        x if x & (UP | DOWN) == 0 => Some(h),
        x if x & (LEFT | RIGHT) == 0 => Some(v),
        _ => None,
    };
    let light = match d {
        x if x & (UP | DOWN) == 0 => '─',
        x if x & (LEFT | RIGHT) == 0 => '│',
        x if x == DOWN | RIGHT => '┌',
        x if x == DOWN | LEFT => '┐',
        x if x == UP | RIGHT => '└',
        x if x == UP | LEFT => '┘',
        x if x == UP | DOWN | RIGHT => '├',
        x if x == UP | DOWN | LEFT => '┤',
        x if x == LEFT | RIGHT | DOWN => '┬',
        x if x == LEFT | RIGHT | UP => '┴',
        _ => '┼',
    };
    match stroke {
        Stroke::Solid => light,
        Stroke::Dashed => straight('╌', '╎').unwrap_or(light),
        Stroke::Pattern => straight('┈', '┊').unwrap_or(light),
        Stroke::Dotted => straight('┄', '┆').unwrap_or(light),
        Stroke::Heavy => match light {
            '─' => '━',
            '│' => '┃',
            '┌' => '┏',
            '┐' => '┓',
            '└' => '┗',
            '┘' => '┛',
            '├' => '┣',
            '┤' => '┫',
            '┬' => '┳',
            '┴' => '┻',
            _ => '╋',
        },
    }
}
