//! The platform map: snapshots on both seed registries, a walk along edges by keys,
//! focus, and a layout test that reads the rendered buffer back: every edge's line
//! leaves its source box, stays connected, and ends in an arrow at its target box.

use crate::common;
use crossterm::event::KeyCode;
use ktopo::core::map::Zoom;
use ktopo::tui::data::Data;
use ktopo::tui::state::{App, Route};
use ktopo::tui::theme::Theme;
use std::collections::{HashSet, VecDeque};

fn app(registry: &str, w: u16, h: u16) -> App {
    let reg = common::load(registry);
    let mut a = App::new(Data::new(reg), w, h, Theme { color: false });
    a.data.lay_out_now();
    common::run_command(&mut a, "map");
    a
}

/// The rendered screen as a grid of characters.
fn grid(a: &App) -> Vec<Vec<char>> {
    common::screen(a).lines().map(|l| l.chars().collect()).collect()
}

const LINE: &str = "─│┌┐└┘├┤┬┴┼╌╎┈┊";

/// The map at a zoom level (pressing - from full boxes).
fn zoomed(registry: &str, w: u16, h: u16, zoom: Zoom) -> App {
    let mut a = app(registry, w, h);
    let steps = Zoom::ALL.iter().position(|&z| z == zoom).unwrap();
    for _ in 0..steps {
        common::press(&mut a, KeyCode::Char('-'));
    }
    assert_eq!(a.screen().map.zoom, zoom);
    a
}

#[test]
fn every_edge_joins_its_two_boxes_in_the_rendered_map() {
    for zoom in Zoom::ALL {
        for registry in ["registry.yaml", "assets/registries/enterprise-agent-platform.yaml"] {
            edges_join_their_boxes(registry, zoom);
        }
    }
}

fn edges_join_their_boxes(registry: &str, zoom: Zoom) {
    let probe = app(registry, 80, 24);
    let m = probe.data.map_at(zoom).unwrap().clone();
    let g = m.geo;
    // A screen larger than the whole map: nothing scrolls, map cell (x, y) is at
    // screen (x, y + 2) (the header row, then the map's title row).
    let a = zoomed(
        registry,
        (m.width as u16 + 4).max(80),
        (m.height as u16 + 9).max(24),
        zoom,
    );
    let grid = grid(&a);
    let at = |x: u32, y: u32| {
        grid.get(y as usize + 2)
            .and_then(|r| r.get(x as usize))
            .copied()
            .unwrap_or(' ')
    };
    // What a box's left edge looks like at this zoom (an overview dot is its own edge).
    let left_edge = |p: &ktopo::core::map::plan::Placed| at(p.x, p.y + g.box_h / 2);
    let dots: HashSet<char> = m.nodes.iter().map(left_edge).collect();
    for p in &m.nodes {
        match zoom {
            Zoom::Full => {
                assert_eq!(at(p.x, p.y), '┌', "{registry}: box of {:?} at {},{}", p.node, p.x, p.y);
                assert_eq!(
                    at(p.x + g.box_w - 1, p.y + g.box_h - 1),
                    '┘',
                    "{registry}: {:?}",
                    p.node
                );
            }
            Zoom::Compact => {
                assert!(
                    "[(‹◇".contains(at(p.x, p.y)),
                    "{registry}: label of {:?} at {},{}: {:?}",
                    p.node,
                    p.x,
                    p.y,
                    grid.get(p.y as usize + 2).map(|r| r.iter().collect::<String>())
                );
                assert!("])›◇".contains(at(p.x + g.box_w - 1, p.y)), "{registry}: {:?}", p.node);
            }
            Zoom::Overview => assert!("●○◌◇".contains(at(p.x, p.y)), "{registry}: dot of {:?}", p.node),
        }
    }
    for (k, e) in m.edges.iter().enumerate() {
        let (a0, b0) = (&m.nodes[e.from], &m.nodes[e.to]);
        let start = (a0.x + g.box_w, a0.y + g.box_h / 2);
        let end = (b0.x - 1, b0.y + g.box_h / 2);
        assert_eq!(
            at(end.0, end.1),
            '▶',
            "{registry} {zoom:?}: edge {k} ends in an arrow before its target"
        );
        let touches = left_edge(b0);
        assert!(
            "│╎[(‹◇".contains(touches) || zoom == Zoom::Overview,
            "{registry} {zoom:?}: edge {k}'s arrow touches the target box"
        );
        // Walk the line cells from the source side: the arrow must be reachable. In
        // the overview lines pass under dots (there are no gap rows).
        let passable = |c: char| LINE.contains(c) || (zoom == Zoom::Overview && dots.contains(&c));
        let mut seen = HashSet::new();
        let mut queue = VecDeque::from([start]);
        let mut found = false;
        while let Some((x, y)) = queue.pop_front() {
            if !seen.insert((x, y)) {
                continue;
            }
            if (x, y) == end {
                found = true;
                break;
            }
            if !passable(at(x, y)) && (x, y) != start {
                continue;
            }
            for (dx, dy) in [(1i32, 0i32), (-1, 0), (0, 1), (0, -1)] {
                let (nx, ny) = (x as i64 + dx as i64, y as i64 + dy as i64);
                if nx >= 0 && ny >= 0 {
                    let n = (nx as u32, ny as u32);
                    if n == end || passable(at(n.0, n.1)) {
                        queue.push_back(n);
                    }
                }
            }
        }
        assert!(
            found,
            "{registry} {zoom:?}: edge {k} ({:?} -> {:?}) is not one connected line",
            a0.node, b0.node
        );
    }
}

#[test]
fn crossings_of_the_seed_layout_stay_under_the_baseline() {
    let m = app("registry.yaml", 80, 24).data.map().unwrap().clone();
    // Baseline measured when the layout landed (docs/map.md): barycenter sweeps over a
    // greedy feedback-arc-set layering.
    let crossings = m.crossings.expect("counted at this size");
    println!("17-service registry: {} columns, {crossings} crossings", m.layers);
    assert!(crossings <= BASELINE, "{crossings} crossings, baseline {BASELINE}");
}

const BASELINE: usize = 1;

#[test]
fn walking_along_edges_and_focusing() {
    let mut a = app("registry.yaml", 120, 40);
    let m = a.data.map().unwrap().clone();
    // Start at the first box with a way out; → follows an edge downstream each time.
    while !m.edges.iter().any(|e| e.from == m.index[&a.selected_node().unwrap()]) {
        common::press(&mut a, KeyCode::Down);
    }
    let mut moves = 0;
    for _ in 0..4 {
        let before = a.selected_node().unwrap();
        if !m.edges.iter().any(|e| e.from == m.index[&before]) {
            break;
        }
        common::press(&mut a, KeyCode::Right);
        let after = a.selected_node().unwrap();
        let (i, j) = (m.index[&before], m.index[&after]);
        assert!(
            m.edges.iter().any(|e| e.from == i && e.to == j),
            "{before:?} -> {after:?} is an edge"
        );
        moves += 1;
    }
    assert!(moves >= 2, "walked {moves} edges");
    // ← goes back upstream along an edge.
    let before = a.selected_node().unwrap();
    common::press(&mut a, KeyCode::Left);
    let after = a.selected_node().unwrap();
    let (i, j) = (m.index[&before], m.index[&after]);
    assert!(m.edges.iter().any(|e| e.from == j && e.to == i));
    common::press(&mut a, KeyCode::Char('f'));
    let s = common::screen(&a);
    assert!(s.contains("FOCUS"), "{s}");
    insta::assert_snapshot!("map_focused_120x40", s);
    common::press(&mut a, KeyCode::Enter);
    assert!(matches!(a.screen().route, Route::Service(_) | Route::Topic(_)));
}

#[test]
fn map_snapshots_of_both_seed_registries() {
    for (name, registry) in [
        ("platform", "registry.yaml"),
        ("enterprise", "assets/registries/enterprise-agent-platform.yaml"),
    ] {
        for (w, h) in [(80, 24), (120, 40)] {
            let a = app(registry, w, h);
            insta::assert_snapshot!(format!("map_{name}_{w}x{h}"), common::screen(&a));
        }
    }
}

#[test]
fn a_filter_or_focus_dims_the_rest_of_the_map() {
    let probe = app("registry.yaml", 80, 24);
    let m = probe.data.map().unwrap().clone();
    let mut a = app("registry.yaml", m.width as u16 + 4, m.height as u16 + 9);
    for c in "/domain:presales".chars() {
        common::press(&mut a, KeyCode::Char(c));
    }
    common::press(&mut a, KeyCode::Enter);
    let buf = common::buffer(&a);
    let dimmed = |n: ktopo::core::topology::Node| {
        let p = m.find(n).unwrap();
        buf[(p.x as u16, p.y as u16 + 2)]
            .modifier
            .contains(ratatui::style::Modifier::DIM)
    };
    let reg = &a.data.reg;
    let billing = ktopo::core::topology::Node::Topic(reg.topic_index("billing_events").unwrap());
    let voice = ktopo::core::topology::Node::Topic(reg.topic_index("voice_events").unwrap());
    assert!(!dimmed(billing), "a presales topic stays lit");
    assert!(dimmed(voice), "a runtime topic dims");
}

#[test]
fn pattern_subscriptions_are_drawn_as_such() {
    let registry = "assets/registries/enterprise-agent-platform.yaml";
    let m = app(registry, 80, 24).data.map().unwrap().clone();
    let a = app(registry, (m.width as u16 + 4).max(80), (m.height as u16 + 9).max(24));
    let g = grid(&a);
    let at = |x: u32, y: u32| g[y as usize + 2][x as usize];
    // Cells each kind of line passes through.
    let cells = |pattern: bool| -> HashSet<(u32, u32)> {
        let mut out = HashSet::new();
        for p in m
            .paths
            .iter()
            .filter(|p| (p.line == ktopo::core::map::plan::Line::Pattern) == pattern)
        {
            for w in p.points.windows(2) {
                let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                for x in x0.min(x1)..=x0.max(x1) {
                    for y in y0.min(y1)..=y0.max(y1) {
                        out.insert((x, y));
                    }
                }
            }
        }
        out
    };
    let (pattern, other) = (cells(true), cells(false));
    assert!(!pattern.is_empty(), "the enterprise registry has pattern consumers");
    let only_pattern: Vec<&(u32, u32)> = pattern.difference(&other).collect();
    assert!(!only_pattern.is_empty());
    let drawn = only_pattern.iter().filter(|&&&(x, y)| "┈┊".contains(at(x, y))).count();
    assert!(
        drawn * 2 > only_pattern.len(),
        "{drawn} of {} pattern-only cells drawn ┈ ┊",
        only_pattern.len()
    );
    for &(x, y) in other.difference(&pattern) {
        assert!(
            !"┈┊".contains(at(x, y)),
            "a declared edge drawn as a pattern at {x},{y}"
        );
    }
}

/// What a terminal shows once ratatui has drawn this frame over a screen of other text:
/// every cell is sent (but those a wide character hides), each printed at the cursor,
/// which moves on by the symbol's display width; ratatui moves the cursor only where it
/// skipped cells. One string per terminal column; "" where a wide character spills.
fn terminal(buf: &ratatui::buffer::Buffer) -> Vec<Vec<String>> {
    use unicode_width::UnicodeWidthStr;
    let (w, h) = (buf.area.width as usize, buf.area.height as usize);
    let before = ratatui::buffer::Buffer::filled(buf.area, ratatui::buffer::Cell::new("░"));
    let mut screen = vec![vec![" ".to_string(); w]; h];
    let (mut cursor, mut last): (usize, Option<(u16, u16)>) = (0, None);
    for (x, y, cell) in before.diff(buf) {
        if !matches!(last, Some((lx, ly)) if x == lx + 1 && y == ly) {
            cursor = x as usize;
        }
        last = Some((x, y));
        let (s, row) = (cell.symbol(), &mut screen[y as usize]);
        match s.width() {
            // A combining mark or zero-width character joins the column before it.
            0 => {
                if let Some(prev) = cursor.checked_sub(1).and_then(|c| row.get_mut(c)) {
                    prev.push_str(s);
                }
            }
            n => {
                if cursor < w {
                    row[cursor] = s.to_string();
                }
                if n == 2 && cursor + 1 < w {
                    row[cursor + 1] = String::new();
                }
                cursor += n;
            }
        }
    }
    screen
}

#[test]
fn names_with_marks_zero_width_and_wide_characters_keep_box_borders_in_place() {
    let registry = "tests/fixtures/wide_names.yaml";
    for zoom in [Zoom::Full, Zoom::Compact] {
        let m = app(registry, 80, 24).data.map_at(zoom).unwrap().clone();
        let g = m.geo;
        let a = zoomed(
            registry,
            (m.width as u16 + 4).max(80),
            (m.height as u16 + 9).max(24),
            zoom,
        );
        let screen = terminal(&common::buffer(&a));
        // Map cell (x, y) is at screen (x, y + 2): the header row, then the title.
        let at = |x: u32, y: u32| screen[y as usize + 2][x as usize].as_str();
        let row = |y: u32, x0: u32, x1: u32| -> String { (x0..=x1).map(|x| at(x, y)).collect() };
        for p in &m.nodes {
            let (x1, y1) = (p.x + g.box_w - 1, p.y + g.box_h - 1);
            let shown = row(p.y, p.x, x1) + "\n" + &row(y1, p.x, x1);
            match zoom {
                Zoom::Full => {
                    for (x, y, want) in [
                        (p.x, p.y, "┌"),
                        (x1, p.y, "┐"),
                        (p.x, p.y + 1, "│"),
                        (x1, p.y + 1, "│"),
                        (p.x, y1, "└"),
                        (x1, y1, "┘"),
                    ] {
                        assert_eq!(at(x, y), want, "{:?} at {x},{y}:\n{}", p.node, row(p.y + 1, p.x, x1));
                    }
                }
                _ => {
                    assert!(["[", "("].contains(&at(p.x, p.y)), "{:?}: {shown}", p.node);
                    assert!(["]", ")"].contains(&at(x1, p.y)), "{:?}: {shown}", p.node);
                }
            }
        }
        // Wide names are cut to the box, not overwritten; marks stay on their letters.
        let name_row = |key: &str| {
            let i = a.data.reg.service_by_key(key).unwrap();
            let p = m.find(ktopo::core::topology::Node::Service(i)).unwrap();
            row(p.y + g.box_h / 2, p.x, p.x + g.box_w - 1)
        };
        if zoom == Zoom::Full {
            assert_eq!(
                name_row("cjk"),
                "│請求サービス請求サービ│",
                "every wide character shows"
            );
            assert!(name_row("marks").starts_with("│Re\u{301}sume\u{301}Re\u{301}"));
            assert!(name_row("zero").starts_with("│ZeroWidth"), "{}", name_row("zero"));
        } else {
            assert_eq!(name_row("cjk"), "[ 請求サービス…]", "{}", name_row("cjk"));
        }
        // The rows under the map keep a value on its row.
        let s = common::screen(&a);
        assert!(s.contains(r"owner Billing\nOK forged\trow"), "{s}");
    }
}
