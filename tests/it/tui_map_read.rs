//! Issue 18: every edge of the map can be read back from what is drawn. A reader
//! starts at each box's out-port and follows the line cells of the rendered buffer by
//! the legend's rules alone (no path data): a broken line (`─│─`) goes straight on
//! over the crossing, a junction is never left leftwards (what joins from the left is
//! a merge) except at `◀`, where an edge drawn back against the flow turns left, and
//! `▶` is an arrival at the box right of it. The boxes reached must be exactly the
//! topology's targets of that box: on both seed registries, at every zoom, with the
//! whole map on one screen and at 80x24 panned tile by tile with Shift+arrows.

use crate::common;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ktopo::core::map::plan::Layout;
use ktopo::core::map::Zoom;
use ktopo::core::topology::{Node, Topology};
use ktopo::tui::data::Data;
use ktopo::tui::state::{App, Event};
use ktopo::tui::theme::Theme;
use petgraph::visit::EdgeRef;
use std::collections::{BTreeSet, HashMap, HashSet};

const UP: u8 = 1;
const DOWN: u8 = 2;
const LEFT: u8 = 4;
const RIGHT: u8 = 8;

/// The arms of a line glyph (every stroke the map draws), 0 for anything else.
fn arms(c: char) -> u8 {
    match c {
        '─' | '╌' | '┈' | '┄' | '━' => LEFT | RIGHT,
        '│' | '╎' | '┊' | '┆' | '┃' => UP | DOWN,
        '┌' | '┏' => DOWN | RIGHT,
        '┐' | '┓' => DOWN | LEFT,
        '└' | '┗' => UP | RIGHT,
        '┘' | '┛' => UP | LEFT,
        '├' | '┣' => UP | DOWN | RIGHT,
        '┤' | '┫' => UP | DOWN | LEFT,
        '┬' | '┳' => LEFT | RIGHT | DOWN,
        '┴' | '┻' => LEFT | RIGHT | UP,
        '┼' | '╋' => UP | DOWN | LEFT | RIGHT,
        _ => 0,
    }
}

fn step(d: u8) -> (i64, i64) {
    match d {
        UP => (0, -1),
        DOWN => (0, 1),
        LEFT => (-1, 0),
        _ => (1, 0),
    }
}

fn back(d: u8) -> u8 {
    match d {
        UP => DOWN,
        DOWN => UP,
        LEFT => RIGHT,
        _ => LEFT,
    }
}

/// The map's cells as drawn, by map coordinates.
type Drawn = HashMap<(u32, u32), char>;

fn app(registry: &str, w: u16, h: u16, zoom: Zoom) -> App {
    let mut a = App::new(Data::new(common::load(registry)), w, h, Theme { color: false });
    common::run_command(&mut a, "map");
    while a.screen().map.zoom != zoom {
        common::press(&mut a, KeyCode::Char('-'));
    }
    a
}

fn shift(a: &mut App, code: KeyCode) {
    a.update(Event::Key(KeyEvent::new(code, KeyModifiers::SHIFT)));
}

/// What the screen shows of the map, keyed by map cell.
fn capture(a: &App, into: &mut Drawn) {
    let buf = common::buffer(a);
    let area = a.map_area();
    let (ox, oy) = a.map_origin();
    for vy in 0..area.height {
        for vx in 0..area.width {
            let c = buf[(area.x + vx, area.y + vy)].symbol().chars().next().unwrap_or(' ');
            into.insert((ox + u32::from(vx), oy + u32::from(vy)), c);
        }
    }
}

/// The whole map at `w` x `h`: panned with Shift+arrows from the top-left corner, row
/// of tiles by row of tiles, until every cell was on screen.
fn drawn(registry: &str, w: u16, h: u16, zoom: Zoom) -> (Drawn, Layout) {
    let mut a = app(registry, w, h, zoom);
    let m = a.map_layout().unwrap().clone();
    for _ in 0..(m.width + m.height) {
        if a.map_origin() == (0, 0) {
            break;
        }
        shift(&mut a, KeyCode::Left);
        shift(&mut a, KeyCode::Up);
    }
    assert_eq!(a.map_origin(), (0, 0));
    let mut cells = Drawn::new();
    let area = a.map_area();
    loop {
        loop {
            capture(&a, &mut cells);
            let x = a.map_origin().0;
            if x + u32::from(area.width) >= m.width {
                break;
            }
            shift(&mut a, KeyCode::Right);
            assert!(a.map_origin().0 > x, "panning right moves the view");
        }
        while a.map_origin().0 > 0 {
            shift(&mut a, KeyCode::Left);
        }
        let y = a.map_origin().1;
        if y + u32::from(area.height) >= m.height {
            break;
        }
        shift(&mut a, KeyCode::Down);
        assert!(a.map_origin().1 > y, "panning down moves the view");
    }
    for y in 0..m.height {
        for x in 0..m.width {
            assert!(
                cells.contains_key(&(x, y)),
                "{registry} {zoom:?} {w}x{h}: cell {x},{y} never shown"
            );
        }
    }
    (cells, m)
}

/// The boxes reached from the cell right of box `from`, by the reading rule.
fn read_from(cells: &Drawn, m: &Layout, from: &ktopo::core::map::plan::Placed) -> BTreeSet<Node> {
    let g = m.geo;
    let at = |x: i64, y: i64| -> char {
        if x < 0 || y < 0 {
            return ' ';
        }
        cells.get(&(x as u32, y as u32)).copied().unwrap_or(' ')
    };
    // Which box has its left side at a cell.
    let box_at = |x: i64, y: i64| {
        m.nodes
            .iter()
            .find(|p| i64::from(p.x) == x && y >= i64::from(p.y) && y < i64::from(p.y + g.box_h))
            .map(|p| p.node)
    };
    let mut reached = BTreeSet::new();
    let mut seen: HashSet<(i64, i64, u8)> = HashSet::new();
    // (cell, the direction we move in).
    let mut todo = vec![((i64::from(from.x + g.box_w), i64::from(from.y + g.box_h / 2)), RIGHT)];
    while let Some(((x, y), dir)) = todo.pop() {
        if !seen.insert((x, y, dir)) {
            continue;
        }
        let c = at(x, y);
        if c == '▶' && dir == RIGHT {
            let target = box_at(x + 1, y);
            assert!(target.is_some(), "an arrow at {x},{y} before no box");
            reached.extend(target);
            continue;
        }
        if c == '◀' && dir & (UP | DOWN) != 0 {
            // A backward edge turns back left here.
            todo.push(((x - 1, y), LEFT));
            continue;
        }
        let a = arms(c);
        if a & back(dir) == 0 {
            // Not joined to where we came from: a crossing's broken line goes on
            // straight over the vertical one; anything else ends the line here.
            if dir & (LEFT | RIGHT) != 0 && a == UP | DOWN {
                let (dx, dy) = step(dir);
                todo.push(((x + dx, y + dy), dir));
            }
            continue;
        }
        let outs = a & !back(dir);
        let junction = a.count_ones() >= 3;
        for d in [UP, DOWN, LEFT, RIGHT] {
            // Never back left: not at a junction (a merge), nor by turning a corner,
            // only straight on along a line already running left.
            if outs & d == 0 || (d == LEFT && (junction || dir != LEFT)) {
                continue;
            }
            let (dx, dy) = step(d);
            todo.push(((x + dx, y + dy), d));
        }
    }
    reached
}

fn read_every_edge(registry: &str, w: u16, h: u16, zoom: Zoom) -> Vec<String> {
    let (cells, m) = drawn(registry, w, h, zoom);
    let reg = common::load(registry);
    let topo = Topology::build(&reg);
    let mut want: HashMap<Node, BTreeSet<Node>> = HashMap::new();
    for e in topo.graph.edge_references() {
        want.entry(topo.graph[e.source()])
            .or_default()
            .insert(topo.graph[e.target()]);
    }
    let mut wrong = Vec::new();
    for p in &m.nodes {
        let want = want.get(&p.node).cloned().unwrap_or_default();
        let got = read_from(&cells, &m, p);
        if got != want {
            let name = |n: &Node| match *n {
                Node::Service(i) => reg.services[i].name.clone(),
                Node::Topic(i) => reg.topics[i].name.clone(),
            };
            wrong.push(format!(
                "{registry} {zoom:?} {w}x{h}: from {} read {:?}, the registry says {:?}",
                name(&p.node),
                got.iter().map(name).collect::<Vec<_>>(),
                want.iter().map(name).collect::<Vec<_>>()
            ));
        }
    }
    wrong
}

#[test]
fn every_edge_reads_back_to_its_boxes_at_every_zoom_and_size() {
    let mut wrong = Vec::new();
    for registry in ["registry.yaml", "assets/registries/enterprise-agent-platform.yaml"] {
        for zoom in Zoom::ALL {
            let whole = app(registry, 80, 24, zoom).map_layout().unwrap().clone();
            let big = ((whole.width + 2).max(120) as u16, (whole.height + 10).max(40) as u16);
            for (w, h) in [(80, 24), big] {
                wrong.extend(read_every_edge(registry, w, h, zoom));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} boxes read wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
