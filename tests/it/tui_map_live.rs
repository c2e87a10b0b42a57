//! The map beyond layout: zoom, free panning by keys and mouse, clicks; live trouble
//! and staleness drawn with symbols (no colour here); observed producers dotted; and
//! snapshots at every zoom, focused and live, of both seed registries.

use crate::common;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ktopo::cluster::kafka::peek::Peeked;
use ktopo::core::live::view::{GroupTopicLag, Health, LiveView, TopicLive};
use ktopo::core::map::Zoom;
use ktopo::core::topology::Node;
use ktopo::tui::data::Data;
use ktopo::tui::state::{App, Event};
use ktopo::tui::theme::Theme;

fn map_app(registry: &str, w: u16, h: u16) -> App {
    let mut a = common::app(registry, w, h);
    common::run_command(&mut a, "map");
    a
}

fn key(a: &mut App, code: KeyCode, mods: KeyModifiers) {
    a.update(Event::Key(KeyEvent::new(code, mods)));
}

fn mouse(a: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    a.update(Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

#[test]
fn zoom_keys_step_through_the_levels_and_the_title_says_which() {
    let mut a = map_app("registry.yaml", 120, 40);
    let title = |a: &App| common::screen(a).lines().nth(1).unwrap().to_string();
    assert!(title(&a).contains("· boxes ·"));
    for (k, want) in [
        ('-', Zoom::Compact),
        ('-', Zoom::Overview),
        ('-', Zoom::Overview),
        ('+', Zoom::Compact),
        ('=', Zoom::Full),
        ('z', Zoom::Compact),
        ('z', Zoom::Overview),
        ('z', Zoom::Full),
    ] {
        common::press(&mut a, KeyCode::Char(k));
        assert_eq!(a.screen().map.zoom, want, "after {k}");
        assert!(title(&a).contains(&format!("· {} ·", want.name())), "{}", title(&a));
    }
    // The overview is a dot per node: far narrower than the boxes. Its gaps keep the
    // lanes every edge needs to be read back, and the edges that pass a column go
    // below its dots, so it is no taller than the boxes but not much shorter either.
    let (full, dots) = (
        a.data.map_at(Zoom::Full).unwrap(),
        a.data.map_at(Zoom::Overview).unwrap(),
    );
    assert!(
        dots.width * 4 < full.width && dots.height <= full.height,
        "overview {}x{}, boxes {}x{}",
        dots.width,
        dots.height,
        full.width,
        full.height
    );
}

#[test]
fn panning_by_keys_and_mouse_moves_the_view_not_the_selection() {
    let mut a = map_app("registry.yaml", 80, 24);
    let area = a.map_area();
    let sel = a.selected_node();
    let (x0, y0) = a.map_origin();
    key(&mut a, KeyCode::Right, KeyModifiers::SHIFT);
    assert_eq!(a.map_origin(), (x0 + u32::from(area.width / 2), y0));
    assert_eq!(a.selected_node(), sel, "the selection stays");
    key(&mut a, KeyCode::Down, KeyModifiers::SHIFT);
    let (x1, y1) = a.map_origin();
    assert!(y1 > y0, "down by half a screen (as far as the map goes)");
    // Dragging left by 10 columns shows what is 10 columns further right.
    mouse(&mut a, MouseEventKind::Down(MouseButton::Left), 40, 10);
    mouse(&mut a, MouseEventKind::Drag(MouseButton::Left), 30, 10);
    mouse(&mut a, MouseEventKind::Up(MouseButton::Left), 30, 10);
    assert_eq!(a.map_origin(), (x1 + 10, y1));
    mouse(&mut a, MouseEventKind::ScrollUp, 30, 10);
    assert_eq!(a.map_origin(), (x1 + 10, y1.saturating_sub(3)));
    // Panning past the map's edge stops at the edge.
    for _ in 0..100 {
        key(&mut a, KeyCode::Left, KeyModifiers::SHIFT);
    }
    assert_eq!(a.map_origin().0, 0);
    // A key that moves the selection brings the view back to it.
    common::press(&mut a, KeyCode::Down);
    let m = a.data.map().unwrap().clone();
    let p = m.find(a.selected_node().unwrap()).unwrap().clone();
    let (ox, oy) = a.map_origin();
    assert!(p.x >= ox && p.x < ox + u32::from(area.width) && p.y >= oy && p.y < oy + u32::from(area.height));
    // A click on a box in view selects it, and the view stays put under the pointer.
    let (ox, oy) = a.map_origin();
    let target = m
        .nodes
        .iter()
        .find(|q| {
            q.node != p.node
                && q.x >= ox
                && q.x + m.geo.box_w < ox + u32::from(area.width)
                && q.y >= oy
                && q.y + m.geo.box_h < oy + u32::from(area.height)
        })
        .expect("another box in view")
        .clone();
    let (cx, cy) = (area.x + (target.x + 2 - ox) as u16, area.y + (target.y + 1 - oy) as u16);
    mouse(&mut a, MouseEventKind::Down(MouseButton::Left), cx, cy);
    assert_eq!(a.selected_node(), Some(target.node));
    assert_eq!(a.map_origin(), (ox, oy));
}

/// Every declared group, one in five in trouble and minutes behind, from the
/// registry's own watch list: deterministic, so it can be a snapshot.
fn scripted_live(a: &App) -> LiveView {
    let mut v = LiveView {
        sample_ms: Some(10),
        source: "scripted".into(),
        ..LiveView::default()
    };
    for (k, w) in ktopo::cluster::connect::watched_groups(&a.data.reg)
        .into_iter()
        .enumerate()
    {
        let bad = k % 5 == 0;
        v.topics.insert(
            w.topic.clone(),
            TopicLive {
                produce_rate: Some(2.0 + (k % 9) as f64),
                worst: Some(if bad { Health::Stall } else { Health::Ok }),
                on_cluster: true,
                ..TopicLive::default()
            },
        );
        v.groups.push(GroupTopicLag {
            group: w.group,
            topic: w.topic,
            service: w.service,
            declared: true,
            total_lag: Some(if bad { 1200 + k as i64 } else { 2 }),
            time_lag_s: Some(if bad { 120.0 + k as f64 } else { 0.4 }),
            status: if bad { Health::Stall } else { Health::Ok },
            ..GroupTopicLag::default()
        });
    }
    v
}

#[test]
fn live_trouble_and_staleness_show_as_symbols_on_boxes_and_edges() {
    let probe = map_app("registry.yaml", 80, 24);
    let m = probe.data.map().unwrap().clone();
    let mut a = map_app("registry.yaml", m.width as u16 + 4, m.height as u16 + 10);
    let live = scripted_live(&a);
    let bad = live.groups.iter().find(|g| g.status == Health::Stall).unwrap().clone();
    a.update(Event::Live(Box::new(live)));
    let reg = &a.data.reg;
    let si = reg.service_by_key(bad.service.as_deref().unwrap()).unwrap();
    let ti = reg.topic_index(&bad.topic).unwrap();
    let screen = common::screen(&a);
    let grid: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let at = |x: u32, y: u32| grid[y as usize + 2][x as usize];
    // The consumer edge of the stalled group is heavy: some of its cells are, and its
    // arrow is there.
    let k = m
        .edges
        .iter()
        .position(|e| m.nodes[e.from].node == Node::Topic(ti) && m.nodes[e.to].node == Node::Service(si))
        .unwrap();
    let path = &m.paths[k];
    let (sx, sy) = path.points[0];
    assert!(
        "━┃┏┓┗┛┣┫┳┻╋".contains(at(sx, sy)),
        "heavy start of edge {k}: {}",
        at(sx, sy)
    );
    // The service's box says STALL and how stale its data is, in symbols and words.
    let p = m.find(Node::Service(si)).unwrap();
    let bottom: String = grid[p.y as usize + 2 + 2][p.x as usize..(p.x + m.geo.box_w) as usize]
        .iter()
        .collect();
    assert!(bottom.contains("■ STALL") && bottom.contains('⧗'), "{bottom}");
    assert!(
        screen.lines().nth(1).unwrap().contains("serving stale data"),
        "{screen}"
    );
    // Healthy edges stay light.
    assert!(screen.contains('─'));
    insta::assert_snapshot!("map_live_full_screen", screen);
}

#[test]
fn the_rows_under_the_map_give_the_selection_edges_with_numbers() {
    let mut a = map_app("registry.yaml", 120, 40);
    let live = scripted_live(&a);
    a.update(Event::Live(Box::new(live)));
    // Select the first service with an input (its consumer edges carry lag).
    for c in "/Monitoring Engine".chars() {
        common::press(&mut a, KeyCode::Char(c));
    }
    common::press(&mut a, KeyCode::Enter);
    let s = common::screen(&a);
    let info: Vec<&str> = s.lines().rev().skip(2).take(4).collect();
    let info = info.join("\n");
    assert!(info.contains("service:monitoring_engine"), "{info}");
    assert!(info.contains("in ▶ ") && info.contains(" lag "), "{info}");
    assert!(
        info.contains("out ▶ monitoring_incidents") && info.contains("/s"),
        "{info}"
    );
}

fn peeked(offset: i64, value: &[u8]) -> Peeked {
    Peeked {
        partition: 0,
        offset,
        timestamp_ms: Some(1_764_478_800_000),
        key: None,
        headers: vec![],
        value: Some(value.to_vec()),
        value_len: value.len(),
        schema: None,
    }
}

/// Whether the route from box `a` to box `b` shows dotted cells (where it does not
/// share cells with declared edges) and ends in an arrow.
fn dotted_route(grid: &[Vec<char>], m: &ktopo::core::map::plan::Layout, a: Node, b: Node) -> bool {
    let (pa, pb) = (m.find(a).unwrap(), m.find(b).unwrap());
    let at = |x: u32, y: u32| grid[y as usize + 2][x as usize];
    let mut dotted = false;
    for k in 1..=m.geo.lanes() {
        let pts = ktopo::core::map::route::route(m.geo, pa, pb, k);
        for w in pts.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            for x in x0.min(x1)..=x0.max(x1) {
                for y in y0.min(y1)..=y0.max(y1) {
                    dotted |= "┄┆".contains(at(x, y));
                }
            }
        }
    }
    dotted && at(pb.x - 1, pb.y + m.geo.box_h / 2) == '▶'
}

#[test]
fn producers_seen_only_in_messages_are_dotted_edges_and_badges() {
    let probe = map_app("registry.yaml", 80, 24);
    let m = probe.data.map().unwrap().clone();
    let mut a = map_app("registry.yaml", m.width as u16 + 4, m.height as u16 + 10);
    // voice_agent is a registry service that does not declare billing_events;
    // rogue_writer is not in the registry at all.
    let tails = vec![(
        "billing_events".to_string(),
        vec![
            peeked(
                1,
                br#"{"event_type":"payment_succeeded","source_service":"voice_agent"}"#,
            ),
            peeked(
                2,
                br#"{"event_type":"payment_succeeded","source_service":"rogue_writer"}"#,
            ),
        ],
    )];
    a.update(Event::Tick(1.0));
    a.update(Event::Live(Box::new(LiveView {
        sample_ms: Some(10),
        source: "scripted".into(),
        tails: Some(std::sync::Arc::new(tails)),
        ..LiveView::default()
    })));
    let reg = &a.data.reg;
    let voice = reg.service_by_key("voice_agent").unwrap();
    let billing = reg.topic_index("billing_events").unwrap();
    let screen = common::screen(&a);
    let grid: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let at = |x: u32, y: u32| grid[y as usize + 2][x as usize];
    let (pv, pb) = (
        m.find(Node::Service(voice)).unwrap(),
        m.find(Node::Topic(billing)).unwrap(),
    );
    // The dotted line leaves voice_agent's box and an arrow reaches billing_events.
    assert!("┄┆".contains(at(pv.x + m.geo.box_w, pv.y + 1)), "{screen}");
    assert_eq!(at(pb.x - 1, pb.y + 1), '▶');
    // The topic's box counts both observed writers.
    let top: String = grid[pb.y as usize + 2][pb.x as usize..(pb.x + m.geo.box_w) as usize]
        .iter()
        .collect();
    assert!(top.contains("?2"), "{top}");
}

#[test]
fn snapshots_at_every_zoom_focused_and_live() {
    for (name, registry) in [
        ("platform", "registry.yaml"),
        ("enterprise", "assets/registries/enterprise-agent-platform.yaml"),
    ] {
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let mut a = map_app(registry, w, h);
            // Focused: the first box with a way out.
            let m = a.data.map().unwrap().clone();
            while !m.edges.iter().any(|e| e.from == m.index[&a.selected_node().unwrap()]) {
                common::press(&mut a, KeyCode::Down);
            }
            common::press(&mut a, KeyCode::Char('f'));
            insta::assert_snapshot!(format!("map_{name}_focused_{w}x{h}"), common::screen(&a));
            common::press(&mut a, KeyCode::Char('f'));
            let live = scripted_live(&a);
            a.update(Event::Live(Box::new(live)));
            insta::assert_snapshot!(format!("map_{name}_live_{w}x{h}"), common::screen(&a));
            common::press(&mut a, KeyCode::Char('-'));
            insta::assert_snapshot!(format!("map_{name}_labels_{w}x{h}"), common::screen(&a));
            common::press(&mut a, KeyCode::Char('-'));
            insta::assert_snapshot!(format!("map_{name}_overview_{w}x{h}"), common::screen(&a));
        }
    }
}

#[test]
fn a_2000_topic_platform_in_overview_with_a_domain_filter_and_focus() {
    let reg = ktopo::core::registry::load_str("synthetic.yaml", ktopo::core::synthetic::registry(400, 2_000))
        .registry
        .expect("valid");
    let mut a = App::new(Data::new(reg), 120, 40, Theme { color: false });
    common::run_command(&mut a, "map");
    common::press(&mut a, KeyCode::Char('-'));
    common::press(&mut a, KeyCode::Char('-'));
    let (full, dots) = (
        a.data.map_at(Zoom::Full).unwrap().clone(),
        a.data.map_at(Zoom::Overview).unwrap().clone(),
    );
    // The overview shows 4 times as much in each direction, at least.
    assert!(dots.width * 5 <= full.width && dots.height * 4 <= full.height);
    // One domain: the filter keeps its nodes lit and dims the rest.
    for c in "/domain:d7".chars() {
        common::press(&mut a, KeyCode::Char(c));
    }
    common::press(&mut a, KeyCode::Enter);
    let area = a.map_area();
    let (ox, oy) = a.map_origin();
    let buf = common::buffer(&a);
    let mut lit = 0;
    let mut dimmed = 0;
    for p in &dots.nodes {
        let (Some(x), Some(y)) = (p.x.checked_sub(ox), p.y.checked_sub(oy)) else {
            continue;
        };
        if x >= u32::from(area.width) || y >= u32::from(area.height) {
            continue;
        }
        let cell = &buf[(area.x + x as u16, area.y + y as u16)];
        let domain = match p.node {
            Node::Service(i) => a.data.reg.services[i].domain.clone(),
            Node::Topic(i) => a.data.reg.topics[i].domain.clone(),
        };
        let dim = cell.modifier.contains(ratatui::style::Modifier::DIM);
        // `domain:d7` looks at the domain column only (d7, and d70…d79 if any).
        let label = ktopo::core::impact::node_label(&a.data.reg, p.node);
        let matches = domain.as_deref().is_some_and(|d| d.contains("d7"));
        assert_eq!(dim, !matches, "{label} ({domain:?}) dim={dim}");
        if dim {
            dimmed += 1;
        } else {
            lit += 1;
        }
    }
    assert!(lit > 0 && dimmed > 0, "lit {lit}, dimmed {dimmed}");
    // Focus on the selection: the title says so, and the selection is in view.
    common::press(&mut a, KeyCode::Char('f'));
    let s = common::screen(&a);
    assert!(s.contains("· overview · FOCUS"), "{s}");
    let sel = dots.find(a.selected_node().unwrap()).unwrap();
    let (ox, oy) = a.map_origin();
    assert!(sel.x >= ox && sel.x < ox + u32::from(area.width) && sel.y >= oy && sel.y < oy + u32::from(area.height));
    insta::assert_snapshot!("map_2000_topics_overview_filtered_focused_120x40", s);
}

#[test]
fn an_empty_registry_draws_an_empty_map_and_every_key_is_harmless() {
    let reg = ktopo::core::registry::load_str("empty.yaml", "services: []\ntopics: []\n".into())
        .registry
        .expect("an empty registry is valid");
    let mut a = App::new(Data::new(reg), 80, 24, Theme { color: false });
    common::run_command(&mut a, "map");
    for k in ['-', '-', '+', 'z', 'f', 'j', 'k', 'h', 'l'] {
        common::press(&mut a, KeyCode::Char(k));
    }
    key(&mut a, KeyCode::Right, KeyModifiers::SHIFT);
    mouse(&mut a, MouseEventKind::Down(MouseButton::Left), 10, 10);
    mouse(&mut a, MouseEventKind::Drag(MouseButton::Left), 0, 0);
    mouse(&mut a, MouseEventKind::ScrollDown, 10, 10);
    common::press(&mut a, KeyCode::Enter);
    let s = common::screen(&a);
    assert!(s.contains("map · 0 services, 0 topics"), "{s}");
    a.update(Event::Live(Box::new(LiveView {
        sample_ms: Some(1),
        ..LiveView::default()
    })));
    common::run_command(&mut a, "stale");
    assert!(common::screen(&a).contains("serving stale data right now: 0 services and topics"));
}

#[test]
fn a_service_group_live_on_an_undeclared_topic_is_a_dotted_edge() {
    let probe = map_app("registry.yaml", 80, 24);
    let m = probe.data.map().unwrap().clone();
    let mut a = map_app("registry.yaml", m.width as u16 + 4, m.height as u16 + 10);
    // support_engine's conventional group, with a member, on billing_events, which the
    // registry does not list support_engine as consuming.
    let group = ktopo::core::registry::model::group_id(
        a.data.reg.conventions.group_format().unwrap(),
        "support_engine",
        "billing_events",
    );
    let live = LiveView {
        sample_ms: Some(10),
        source: "scripted".into(),
        groups: vec![GroupTopicLag {
            group: group.clone(),
            topic: "billing_events".into(),
            members: Some(1),
            member_list: vec![ktopo::core::live::view::Member {
                consumer_id: "c-1".into(),
                assignment: vec![("billing_events".into(), 0)],
                ..Default::default()
            }],
            ..GroupTopicLag::default()
        }],
        ..LiveView::default()
    };
    a.update(Event::Live(Box::new(live)));
    let reg = &a.data.reg;
    let support = reg.service_by_key("support_engine").unwrap();
    let billing = reg.topic_index("billing_events").unwrap();
    let screen = common::screen(&a);
    let grid: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let pb = m.find(Node::Topic(billing)).unwrap();
    // A dotted line from billing_events' box, and an arrow at support_engine's.
    assert!(
        dotted_route(&grid, &m, Node::Topic(billing), Node::Service(support)),
        "{screen}"
    );
    // And the topic's box counts the reader.
    let top: String = grid[pb.y as usize + 2][pb.x as usize..(pb.x + m.geo.box_w) as usize]
        .iter()
        .collect();
    assert!(top.contains("?1"), "{top}");
}
