//! Edges as orthogonal paths in the gaps of the layout: out of the source box's right
//! side, down or up a gap column, along a gap row (which no box occupies) when the
//! target is not in the next column, down a gap column before the target, into its
//! left side. Pure: the TUI draws the cells, the SVG export the polylines.

use super::layout::{Layout, Line, BOX_H, BOX_W, GAP_X, GAP_Y};

/// One edge's path: cell corners from the cell right of the source box to the cell
/// left of the target box (where the arrow head goes).
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub edge: usize,
    pub points: Vec<(u32, u32)>,
    pub line: Line,
}

/// The gap row nearest to `y` (between two rows of boxes).
fn gap_row(y: u32) -> u32 {
    let pitch = BOX_H + GAP_Y;
    (y / pitch) * pitch + BOX_H
}

pub fn paths(l: &Layout) -> Vec<Path> {
    l.edges
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let (a, b) = (&l.nodes[e.from], &l.nodes[e.to]);
            // Spread parallel vertical runs over the gap's columns.
            let lane = (k as u32) % (GAP_X / 2 - 1);
            let start = (a.x + BOX_W, a.y + 1);
            let end = (b.x.saturating_sub(1), b.y + 1);
            let out_x = a.x + BOX_W + 1 + lane;
            let in_x = b.x.saturating_sub(3 + lane);
            let mut pts = vec![start, (out_x, start.1)];
            if b.layer == a.layer + 1 {
                // Neighbouring columns: one vertical run in the gap between them.
                pts.push((out_x, end.1));
            } else {
                // Further (or backwards): along the gap row below the source.
                let row = gap_row(a.y);
                pts.push((out_x, row));
                pts.push((in_x, row));
                pts.push((in_x, end.1));
            }
            pts.push(end);
            pts.dedup();
            Path {
                edge: k,
                points: pts,
                line: e.line,
            }
        })
        .collect()
}

/// Directions a line leaves a cell by.
pub const UP: u8 = 1;
pub const DOWN: u8 = 2;
pub const LEFT: u8 = 4;
pub const RIGHT: u8 = 8;

/// Line cells of the paths inside `clip` (x, y, width, height): each cell's directions
/// (joined where paths meet) and whether every line through it is dashed (replacement,
/// candidate). A frame of a 2,000-topic map rasterises what it shows, not the whole map.
pub fn cells_in(paths: &[Path], clip: (u32, u32, u32, u32)) -> std::collections::HashMap<(u32, u32), (u8, bool)> {
    let (cx0, cy0) = (clip.0, clip.1);
    let (cx1, cy1) = (
        clip.0.saturating_add(clip.2).saturating_sub(1),
        clip.1.saturating_add(clip.3).saturating_sub(1),
    );
    let mut out: std::collections::HashMap<(u32, u32), (u8, bool)> = std::collections::HashMap::new();
    for p in paths {
        let dashed = matches!(p.line, Line::Replacement | Line::Candidate);
        let mut mark = |c: (u32, u32), d: u8| {
            if c.0 < cx0 || c.0 > cx1 || c.1 < cy0 || c.1 > cy1 {
                return;
            }
            let e = out.entry(c).or_insert((0, true));
            e.0 |= d;
            e.1 &= dashed;
        };
        for w in p.points.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
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
    }
    out
}

/// The box-drawing character for a cell's directions.
pub fn glyph(d: u8, dashed: bool) -> char {
    match d {
        x if x == LEFT | RIGHT || x == LEFT || x == RIGHT => {
            if dashed {
                '╌'
            } else {
                '─'
            }
        }
        x if x == UP | DOWN || x == UP || x == DOWN => {
            if dashed {
                '╎'
            } else {
                '│'
            }
        }
        x if x == DOWN | RIGHT => '┌',
        x if x == DOWN | LEFT => '┐',
        x if x == UP | RIGHT => '└',
        x if x == UP | LEFT => '┘',
        x if x == UP | DOWN | RIGHT => '├',
        x if x == UP | DOWN | LEFT => '┤',
        x if x == LEFT | RIGHT | DOWN => '┬',
        x if x == LEFT | RIGHT | UP => '┴',
        _ => '┼',
    }
}
