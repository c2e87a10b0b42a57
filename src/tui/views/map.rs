//! `:map`: every service and topic as a layered left-to-right flow, edges drawn as
//! connected box-drawing lines in the gaps (`map::route`), at three zoom levels (boxes,
//! labels, a dot per node). Live: topic rates and health on the boxes, consumer edges
//! of groups in trouble heavy and coloured, stale data marked ⧗, observed (undeclared)
//! producers dotted; the rows under the map give the selection's edges with numbers.
//! Navigation lives in `tui::map_nav`; this is a pure function of the app state.

use super::rate;
use crate::live::view::GroupTopicLag;
use crate::live::view::Health;
use crate::map::layout::{Layout, Line, Placed};
use crate::map::route::{cells_in, look_glyph, route, stroke_glyph, Path, Stroke};
use crate::map::Zoom;
use crate::registry::Status;
use crate::topology::Node;
use crate::tui::app::App;
use crate::tui::map_nav::INFO_ROWS;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::collections::{HashMap, HashSet};

/// Map cells (u32: a 10,000-topic map is wider than a terminal's u16) to screen cells.
struct View {
    area: Rect,
    origin: (u32, u32),
}

impl View {
    fn cell(&self, x: u32, y: u32) -> Option<(u16, u16)> {
        let (vx, vy) = (x.checked_sub(self.origin.0)?, y.checked_sub(self.origin.1)?);
        (vx < u32::from(self.area.width) && vy < u32::from(self.area.height))
            .then(|| (self.area.x + vx as u16, self.area.y + vy as u16))
    }
    fn clip(&self) -> (u32, u32, u32, u32) {
        (
            self.origin.0,
            self.origin.1,
            u32::from(self.area.width),
            u32::from(self.area.height),
        )
    }
    /// Whether any part of a path can be in view (its bounding box meets the view).
    fn meets(&self, p: &Path) -> bool {
        let (ox, oy, w, h) = self.clip();
        let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
        for &(x, y) in &p.points {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        x1 >= ox && x0 < ox.saturating_add(w) && y1 >= oy && y0 < oy.saturating_add(h)
    }
    fn shows(&self, p: &Placed, g: crate::map::layout::Geometry) -> bool {
        let (ox, oy, w, h) = self.clip();
        p.x + g.box_w > ox && p.x < ox + w && p.y + g.box_h > oy && p.y < oy + h
    }
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let title_area = Rect::new(area.x, area.y, area.width, 1);
    let Some(m) = app.map_layout() else {
        let msg = match app.data.map_error() {
            Some(e) => format!("The map could not be drawn: {e}. The other views work."),
            None => "Laying out the map…".to_string(),
        };
        f.render_widget(Paragraph::new(msg), area);
        return;
    };
    if let Some(n) = m.refused {
        let msg = format!(
            "The map is not drawn: {n} edges, more than {} can be shown legibly.\nUse :graph, :impact or a filter on a smaller registry.",
            crate::map::layout::MAX_EDGES
        );
        f.render_widget(Paragraph::new(msg), area);
        return;
    }
    let reg = &app.data.reg;
    let s = app.screen();
    let zoom = s.map.zoom;
    let focus: Option<HashSet<Node>> = s
        .impact
        .as_ref()
        .map(|imp| imp.affected.iter().map(|a| a.node).chain(imp.target.nodes()).collect());
    let stale_count = app.stale.as_ref().map_or(0, |st| st.stale.len());
    let narrowed = focus.is_some() || !s.filter.is_empty();
    let hidden = if hide_base(zoom, m, narrowed) && !narrowed {
        " · edges hidden: f focus, / filter"
    } else {
        ""
    };
    let title = format!(
        "map · {} services, {} topics, {} columns, {} crossings · {}{hidden}{}{} · ←→ edges ↑↓ column f focus +/- zoom ⇧←→↑↓ drag pan ⏎ open",
        reg.services.len(),
        reg.topics.len(),
        m.layers,
        m.crossings.map_or("uncounted".into(), |c| c.to_string()),
        zoom.name(),
        if focus.is_some() { " · FOCUS" } else { "" },
        if stale_count > 0 {
            format!(" · ⧗ {stale_count} serving stale data")
        } else {
            String::new()
        },
    );
    f.render_widget(Paragraph::new(Span::styled(title, t.title())), title_area);
    let v = View {
        area: app.map_area(),
        origin: app.map_origin(),
    };
    // A filter (`/presales`, `/billing`) dims what it does not match, like focus.
    let matched: Option<HashSet<Node>> =
        (!s.filter.is_empty()).then(|| s.items.iter().map(|&i| m.nodes[i].node).collect());
    let dim =
        |n: Node| focus.as_ref().is_some_and(|f| !f.contains(&n)) || matched.as_ref().is_some_and(|f| !f.contains(&n));
    let buf = f.buffer_mut();
    // Edges first, boxes over them: only the cells in view are drawn. In the overview
    // of a large platform every row carries lines (there are no gap rows): only the
    // focused or filtered edges are drawn there.
    let base = if narrowed { t.dim() } else { Style::default() };
    if !hide_base(zoom, m, narrowed) {
        draw_paths(buf, &v, &m.paths, None, base, Some(&m.arrows));
    }
    // Overlays consider only the paths that reach the view.
    let lit = |p: &&Path| {
        let e = &m.edges[p.edge];
        v.meets(p) && !dim(m.nodes[e.from].node) && !dim(m.nodes[e.to].node)
    };
    if narrowed {
        let kept: Vec<Path> = m.paths.iter().filter(lit).cloned().collect();
        draw_paths(buf, &v, &kept, None, Style::default(), None);
    }
    // Consumer edges of groups in trouble: heavy, in their colour (heavy is the symbol).
    let ix = LiveIndex::new(app, zoom);
    for (paths, style) in troubled(app, &ix, m, &lit) {
        draw_paths(buf, &v, &paths, Some(Stroke::Heavy), style, None);
    }
    let seen = observed_paths(app, m);
    draw_paths(buf, &v, &seen, Some(Stroke::Dotted), t.warn(), None);
    let selected = s.items.get(s.selected).map(|&i| m.nodes[i].node);
    for p in m.nodes.iter().filter(|p| v.shows(p, m.geo)) {
        let look = Look {
            selected: selected == Some(p.node),
            faint: dim(p.node),
        };
        match zoom {
            Zoom::Full => full_box(app, &ix, buf, &v, m, p, look),
            Zoom::Compact => label(app, &ix, buf, &v, p, look),
            Zoom::Overview => dot(app, &ix, buf, &v, p, look),
        }
    }
    let info = Rect::new(
        area.x,
        area.y + area.height.saturating_sub(INFO_ROWS),
        area.width,
        INFO_ROWS.min(area.height),
    );
    if let Some(n) = selected {
        let lines: Vec<ratatui::text::Line> = info_lines(app, &ix, n)
            .into_iter()
            .map(ratatui::text::Line::from)
            .collect();
        f.render_widget(
            Paragraph::new(lines).block(ratatui::widgets::Block::default().borders(ratatui::widgets::Borders::TOP)),
            info,
        );
    }
}

/// Beyond this many edges the overview draws only focused or filtered ones.
const OVERVIEW_EDGES: usize = 2_000;

fn hide_base(zoom: Zoom, m: &Layout, narrowed: bool) -> bool {
    zoom == Zoom::Overview && (narrowed || m.edges.len() > OVERVIEW_EDGES)
}

#[derive(Clone, Copy)]
struct Look {
    selected: bool,
    faint: bool,
}

/// Draw some paths' cells in one stroke and style; `arrows`: where heads go (the
/// paths' own ends when None).
fn draw_paths(
    buf: &mut Buffer,
    v: &View,
    paths: &[Path],
    stroke: Option<Stroke>,
    style: Style,
    arrows: Option<&std::collections::HashMap<(u32, u32), usize>>,
) {
    if paths.is_empty() {
        return;
    }
    for ((x, y), (d, look)) in cells_in(paths, v.clip()) {
        if let Some((cx, cy)) = v.cell(x, y) {
            let c = match stroke {
                _ if arrows.is_some_and(|a| a.contains_key(&(x, y))) => '▶',
                Some(s) => stroke_glyph(d, s),
                None => look_glyph(d, look),
            };
            put(buf, cx, cy, c, style);
        }
    }
    if arrows.is_none() {
        for p in paths {
            if let Some((cx, cy)) = p.points.last().and_then(|&(x, y)| v.cell(x, y)) {
                put(buf, cx, cy, '▶', style);
            }
        }
    }
}

/// Consumer edges (topic → service) whose group is WARN or worse, grouped by style.
fn troubled(app: &App, ix: &LiveIndex, m: &Layout, lit: &dyn Fn(&&Path) -> bool) -> Vec<(Vec<Path>, Style)> {
    if app.live.is_none() {
        return Vec::new();
    }
    let (mut warn, mut bad) = (Vec::new(), Vec::new());
    for p in m.paths.iter().filter(|p| lit(p)) {
        let e = &m.edges[p.edge];
        let (Node::Topic(ti), Node::Service(si)) = (m.nodes[e.from].node, m.nodes[e.to].node) else {
            continue;
        };
        match ix.group(si, ti).map(|g| g.status) {
            Some(Health::Warn) => warn.push(p.clone()),
            Some(h) if h.is_problem() => bad.push(p.clone()),
            _ => {}
        }
    }
    vec![(warn, app.theme.warn()), (bad, app.theme.error())]
}

/// Producers that only the sampled messages name, when they are registry services:
/// dotted edges from their box to the topic's.
fn observed_paths(app: &App, m: &Layout) -> Vec<Path> {
    let Some(d) = &app.drift else { return Vec::new() };
    let reg = &app.data.reg;
    let mut out = Vec::new();
    for f in d
        .observed
        .iter()
        .flat_map(|(_, found)| found)
        .filter(|f| f.kind == "undeclared-producer")
    {
        let svc = reg
            .services
            .iter()
            .position(|s| s.key == f.subject || s.name == f.subject);
        let topic = f.topic.as_deref().and_then(|t| reg.topic_index(t));
        let (Some(si), Some(ti)) = (svc, topic) else { continue };
        let (Some(&a), Some(&b)) = (m.index.get(&Node::Service(si)), m.index.get(&Node::Topic(ti))) else {
            continue;
        };
        out.push(Path {
            edge: 0,
            points: route(m.geo, &m.nodes[a], &m.nodes[b], out.len() as u32 + 1),
            line: Line::Data,
        });
    }
    out
}

/// Looks groups up in the app's per-sample index; observed writers and readers per
/// topic, counted once per frame (full boxes show them).
struct LiveIndex<'a> {
    app: &'a App,
    badges: HashMap<String, usize>,
}

impl<'a> LiveIndex<'a> {
    fn new(app: &'a App, zoom: Zoom) -> Self {
        let mut badges: HashMap<String, usize> = HashMap::new();
        if zoom == Zoom::Full {
            let mut lines = super::observed(app, &|_| true);
            lines.sort();
            lines.dedup();
            for (t, _) in lines {
                *badges.entry(t).or_default() += 1;
            }
        }
        LiveIndex { app, badges }
    }
    fn group(&self, service: usize, topic: usize) -> Option<&'a GroupTopicLag> {
        let i = self.app.groups.group(service, topic)?;
        self.app.live.as_ref()?.groups.get(i)
    }
    fn worst(&self, service: usize) -> Option<Health> {
        self.app.live.as_ref()?;
        self.app.groups.worst(service)
    }
}

/// A node's live facts: health, its topic rate, how stale its data is.
struct Facts {
    health: Option<Health>,
    rate: Option<f64>,
    stale: Option<String>,
}

fn facts(app: &App, ix: &LiveIndex, n: Node) -> Facts {
    let reg = &app.data.reg;
    let live = app.live.as_ref();
    let stale = app
        .stale
        .as_ref()
        .and_then(|st| st.of(n))
        .map(|(_, c)| crate::stale::seconds_label(c));
    match n {
        Node::Service(i) => Facts {
            health: ix.worst(i),
            rate: None,
            stale,
        },
        Node::Topic(i) => {
            let tl = live.and_then(|l| l.topics.get(&reg.topics[i].name));
            Facts {
                health: tl.and_then(|l| l.worst),
                rate: tl.and_then(|l| l.produce_rate),
                stale,
            }
        }
    }
}

fn health_style(app: &App, h: Health) -> Style {
    match h {
        Health::Ok | Health::Idle => app.theme.ok(),
        Health::Unknown => Style::default(),
        Health::Warn => app.theme.warn(),
        _ => app.theme.error(),
    }
}

fn name_style(app: &App, look: Look) -> Style {
    if look.selected {
        app.theme.selected()
    } else if look.faint {
        app.theme.dim()
    } else {
        app.theme.header()
    }
}

fn full_box(app: &App, ix: &LiveIndex, buf: &mut Buffer, v: &View, m: &Layout, p: &Placed, look: Look) {
    let t = &app.theme;
    let reg = &app.data.reg;
    let w = m.geo.box_w;
    let fx = facts(app, ix, p.node);
    let (name, kind, domain) = match p.node {
        Node::Service(i) => {
            let svc = &reg.services[i];
            (svc.name.clone(), "service".to_string(), svc.domain.clone())
        }
        Node::Topic(i) => {
            let topic = &reg.topics[i];
            let kind = match topic.status {
                Status::Active => match fx.rate {
                    Some(r) => format!("topic {}/s", rate(Some(r))),
                    None => "topic".into(),
                },
                Status::Deprecated => "⊘ deprecated".into(),
                Status::Proposed => "◇ proposed".into(),
            };
            (topic.name.clone(), kind, topic.domain.clone())
        }
    };
    let border = if look.selected {
        t.focus_border()
    } else if look.faint {
        t.dim()
    } else {
        t.border()
    };
    let dashed = matches!(p.node, Node::Topic(i) if reg.topics[i].status != Status::Active);
    draw_box(buf, v, (p.x, p.y), (w, m.geo.box_h), border, dashed);
    text(buf, v, (p.x + 1, p.y + 1), &name, w - 2, name_style(app, look));
    // Kind on the top border; health (symbol and word, never colour alone), staleness
    // and the domain on the bottom one.
    text(buf, v, (p.x + 1, p.y), &kind, w - 2, t.dim());
    if let Node::Topic(i) = p.node {
        // Writers or readers the registry does not declare: a badge, details below.
        let seen = ix.badges.get(reg.topics[i].name.as_str()).copied().unwrap_or(0);
        if seen > 0 {
            let badge = format!("?{seen}");
            let at = p.x + w - 1 - badge.chars().count() as u32;
            text(buf, v, (at, p.y), &badge, badge.chars().count() as u32, t.warn());
        }
    }
    let mut x = p.x + 1;
    if let Some(h) = fx.health.filter(|&h| h != Health::Unknown) {
        let mark = format!("{} ", h.label());
        text(buf, v, (x, p.y + 2), &mark, w - 2, health_style(app, h));
        x += mark.chars().count() as u32;
    }
    if let Some(s) = &fx.stale {
        let mark = format!("⧗{s} ");
        text(buf, v, (x, p.y + 2), &mark, (p.x + w - 1).saturating_sub(x), t.warn());
        x += mark.chars().count() as u32;
    }
    if let Some(d) = domain {
        // Right-aligned, in what room is left: the domain marks its cluster.
        let room = (p.x + w - 1).saturating_sub(x + 1) as usize;
        let d: String = d.chars().take(room).collect();
        let at = p.x + w - 1 - d.chars().count() as u32;
        text(buf, v, (at, p.y + 2), &d, d.chars().count() as u32, t.dim());
    }
}

/// Compact zoom: `[service]`, `(topic)`, a leading status symbol.
fn label(app: &App, ix: &LiveIndex, buf: &mut Buffer, v: &View, p: &Placed, look: Look) {
    let reg = &app.data.reg;
    let g = app.map_layout().map_or(crate::map::layout::COMPACT, |m| m.geo);
    let fx = facts(app, ix, p.node);
    let (open, close, name) = match p.node {
        Node::Service(i) => ('[', ']', reg.services[i].name.as_str()),
        Node::Topic(i) => match reg.topics[i].status {
            Status::Active => ('(', ')', reg.topics[i].name.as_str()),
            Status::Deprecated => ('‹', '›', reg.topics[i].name.as_str()),
            Status::Proposed => ('◇', '◇', reg.topics[i].name.as_str()),
        },
    };
    let room = g.box_w.saturating_sub(3) as usize;
    let short: String = if name.chars().count() > room {
        name.chars().take(room.saturating_sub(1)).chain(['…']).collect()
    } else {
        format!("{name:<room$}")
    };
    let (sym, sym_style) = symbol(app, &fx);
    text(buf, v, (p.x, p.y), &open.to_string(), 1, name_style(app, look));
    text(buf, v, (p.x + 1, p.y), &sym.to_string(), 1, sym_style);
    text(buf, v, (p.x + 2, p.y), &short, room as u32, name_style(app, look));
    text(
        buf,
        v,
        (p.x + g.box_w - 1, p.y),
        &close.to_string(),
        1,
        name_style(app, look),
    );
}

/// Overview zoom: one cell per node.
fn dot(app: &App, ix: &LiveIndex, buf: &mut Buffer, v: &View, p: &Placed, look: Look) {
    let reg = &app.data.reg;
    let fx = facts(app, ix, p.node);
    let (sym, style) = symbol(app, &fx);
    let c = if sym != ' ' {
        sym
    } else {
        match p.node {
            Node::Service(_) => '●',
            Node::Topic(i) => match reg.topics[i].status {
                Status::Active => '○',
                Status::Deprecated => '◌',
                Status::Proposed => '◇',
            },
        }
    };
    let style = if look.selected {
        app.theme.selected()
    } else if look.faint {
        app.theme.dim()
    } else {
        style
    };
    if let Some((x, y)) = v.cell(p.x, p.y) {
        put(buf, x, y, c, style);
    }
}

/// A status symbol for a node: trouble first, then stale data, else blank.
fn symbol(app: &App, fx: &Facts) -> (char, Style) {
    match fx.health {
        Some(h) if h.is_problem() => (h.label().chars().next().unwrap_or('!'), health_style(app, h)),
        _ if fx.stale.is_some() => ('⧗', app.theme.warn()),
        Some(h @ (Health::Ok | Health::Idle)) => (h.label().chars().next().unwrap_or(' '), health_style(app, h)),
        _ => (' ', Style::default()),
    }
}

/// The rows under the map: the selection, its staleness, and each of its edges with
/// its live number (producer edges the topic's msg/s, consumer edges the group's lag).
fn info_lines(app: &App, ix: &LiveIndex, n: Node) -> Vec<String> {
    let reg = &app.data.reg;
    let live = app.live.as_ref();
    let mut head = crate::impact::node_ref(reg, n);
    let (domain, owner) = match n {
        Node::Service(i) => (reg.services[i].domain.as_deref(), reg.services[i].owner.as_deref()),
        Node::Topic(i) => (reg.topics[i].domain.as_deref(), reg.topics[i].owner.as_deref()),
    };
    if let Some(d) = domain {
        head.push_str(&format!(" · domain {d}"));
    }
    if let Some(o) = owner {
        head.push_str(&format!(" · owner {o}"));
    }
    if let Some((_, c)) = app.stale.as_ref().and_then(|st| st.of(n)) {
        head.push_str(&format!(
            " · ⧗ data {} stale because of {}",
            crate::stale::seconds_label(c),
            crate::stale::because(c)
        ));
    }
    let group_text = |si: usize, ti: usize| {
        let g = ix.group(si, ti);
        match g {
            Some(g) => format!(
                " {} lag {}{}",
                g.status.label(),
                g.total_lag.map_or("-".into(), |l| l.to_string()),
                g.time_lag_s
                    .map(|s| format!(" ({})", crate::live::view::short_duration(s)))
                    .unwrap_or_default()
            ),
            None => String::new(),
        }
    };
    let topic_rate = |ti: usize| {
        live.and_then(|l| l.topics.get(&reg.topics[ti].name))
            .and_then(|t| t.produce_rate)
            .map(|r| format!(" {}/s", rate(Some(r))))
            .unwrap_or_default()
    };
    // Each edge named by its other end, with its number: a producer edge its topic's
    // msg/s, a consumer edge its group's status and lag.
    let edge = |other: Node, from: Node, to: Node| {
        let number = match (from, to) {
            (Node::Topic(ti), Node::Service(si)) => group_text(si, ti),
            (Node::Service(_), Node::Topic(ti)) => topic_rate(ti),
            _ => String::new(),
        };
        let name = match other {
            Node::Service(i) => reg.services[i].key.as_str(),
            Node::Topic(i) => reg.topics[i].name.as_str(),
        };
        format!("{name}{number}")
    };
    // At most what a row can show (a topic every service reads has thousands).
    const SHOWN: usize = 40;
    let side = |dir: petgraph::Direction| {
        let mut shown = Vec::new();
        let mut more = 0;
        for (m, e) in app.data.topo.neighbours(n, dir) {
            if !e.carries_data() {
                continue;
            }
            if shown.len() == SHOWN {
                more += 1;
                continue;
            }
            let (from, to) = if dir == petgraph::Direction::Incoming {
                (m, n)
            } else {
                (n, m)
            };
            shown.push(edge(m, from, to));
        }
        (shown, more)
    };
    let (ins, more_in) = side(petgraph::Direction::Incoming);
    let (outs, more_out) = side(petgraph::Direction::Outgoing);
    // What the cluster shows beyond the registry here (a producer's topics, or the topic).
    let topics: Vec<&str> = match n {
        Node::Topic(t) => vec![reg.topics[t].name.as_str()],
        Node::Service(_) => Vec::new(),
    };
    let seen = super::observed_on(app, &topics);
    let list = |v: &[String], more: usize| match (v.is_empty(), more) {
        (true, _) => "-".to_string(),
        (false, 0) => v.join(" · "),
        (false, n) => format!("{} and {n} more", v.join(" · ")),
    };
    vec![
        crate::visible::escape(&head).into_owned(),
        crate::visible::escape(&format!(
            "in ▶ {}   out ▶ {}",
            list(&ins, more_in),
            list(&outs, more_out)
        ))
        .into_owned(),
        crate::visible::escape(&seen.join("  ")).into_owned(),
    ]
}

fn put(buf: &mut Buffer, x: u16, y: u16, c: char, style: Style) {
    if let Some(cell) = buf.cell_mut((x, y)) {
        cell.set_char(c).set_style(style);
    }
}

fn text(buf: &mut Buffer, v: &View, at: (u32, u32), s: &str, max: u32, style: Style) {
    for (k, ch) in s.chars().take(max as usize).enumerate() {
        if let Some((x, y)) = v.cell(at.0 + k as u32, at.1) {
            put(buf, x, y, ch, style);
        }
    }
}

fn draw_box(buf: &mut Buffer, v: &View, at: (u32, u32), size: (u32, u32), style: Style, dashed: bool) {
    let (x0, y0) = at;
    let (x1, y1) = (x0 + size.0 - 1, y0 + size.1 - 1);
    let (h, vl) = if dashed { ('╌', '╎') } else { ('─', '│') };
    let style = if dashed {
        style.add_modifier(Modifier::DIM)
    } else {
        style
    };
    for x in x0..=x1 {
        for y in y0..=y1 {
            let c = match (x, y) {
                _ if x == x0 && y == y0 => '┌',
                _ if x == x1 && y == y0 => '┐',
                _ if x == x0 && y == y1 => '└',
                _ if x == x1 && y == y1 => '┘',
                _ if y == y0 || y == y1 => h,
                _ if x == x0 || x == x1 => vl,
                _ => ' ',
            };
            if let Some((cx, cy)) = v.cell(x, y) {
                put(buf, cx, cy, c, style);
            }
        }
    }
}
