//! `:map`: every service and topic as a layered left-to-right flow, edges drawn as
//! connected box-drawing lines in the gaps (`map::route`), at three zoom levels (boxes,
//! labels, a dot per node). Live: topic rates and health on the boxes, consumer edges
//! of groups in trouble heavy and coloured, stale data marked ⧗, observed (undeclared)
//! producers dotted; the rows under the map give the selection's edges with numbers.
//! Navigation lives in `tui::map_nav`; this is a pure function of the app state.

use super::map_boxes::{dot, full_box, label, put, ARROW, BACK};
use super::map_info::info_lines;
use super::map_view::{Look, View};
use crate::core::live::view::Health;
use crate::core::map::plan::Path;
use crate::core::map::plan::{Layout, Line};
use crate::core::map::route::{cells_in, glyph, route, Stroke};
use crate::core::map::Zoom;
use crate::core::topology::Node;
use crate::tui::map_nav::INFO_ROWS;
use crate::tui::state::App;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::collections::HashSet;

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
            crate::core::map::plan::MAX_EDGES
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
    let stale_count = app.joined.stale.as_ref().map_or(0, |st| st.stale.len());
    let narrowed = focus.is_some() || !s.filter.is_empty();
    let hidden = if hide_base(zoom, m, narrowed) && !narrowed {
        " · edges hidden: f focus, / filter"
    } else {
        ""
    };
    let title = format!(
        "map · {}, {}, {}, {} · {}{hidden}{}{} · ←→ edges ↑↓ column f focus +/- zoom ⇧←→↑↓ drag pan ⏎ open",
        crate::core::words::count(reg.services.len(), "service", "services"),
        crate::core::words::count(reg.topics.len(), "topic", "topics"),
        crate::core::words::count(m.layers, "column", "columns"),
        m.crossings
            .map_or("uncounted crossings".into(), |c| crate::core::words::count(
                c,
                "crossing",
                "crossings"
            )),
        zoom.name(),
        if focus.is_some() { " · FOCUS" } else { "" },
        if stale_count > 0 {
            format!(
                " · {} {stale_count} serving stale data",
                crate::tui::symbols::STALE.glyph
            )
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
        (!s.filter.is_empty()).then(|| s.items.rows().iter().map(|&i| m.nodes[i].node).collect());
    let dim =
        |n: Node| focus.as_ref().is_some_and(|f| !f.contains(&n)) || matched.as_ref().is_some_and(|f| !f.contains(&n));
    let buf = f.buffer_mut();
    // Edges first, boxes over them: only the cells in view are drawn. In the overview
    // of a large platform every row carries lines (there are no gap rows): only the
    // focused or filtered edges are drawn there.
    let base = if narrowed { t.dim() } else { Style::default() };
    if !hide_base(zoom, m, narrowed) {
        draw_paths(buf, &v, &m.paths, None, base, Some(m));
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
    for (paths, style) in troubled(app, m, &lit) {
        draw_paths(buf, &v, &paths, Some(Stroke::Heavy), style, None);
    }
    // Observed (undeclared) edges last, over shared cells too: they are the anomalies
    // to notice, and under declared lines they could vanish entirely.
    let seen = observed_paths(app, m);
    draw_paths(buf, &v, &seen, Some(Stroke::Dotted), t.warn(), None);
    let selected = s.items.rows().get(s.selected).map(|&i| m.nodes[i].node);
    for p in m.nodes.iter().filter(|p| v.shows(p, m.geo)) {
        let look = Look {
            selected: selected == Some(p.node),
            faint: dim(p.node),
        };
        match zoom {
            Zoom::Full => full_box(app, buf, &v, m, p, look),
            Zoom::Compact => label(app, buf, &v, p, look),
            Zoom::Overview => dot(app, buf, &v, p, look),
        }
    }
    let info = Rect::new(
        area.x,
        area.y + area.height.saturating_sub(INFO_ROWS),
        area.width,
        INFO_ROWS.min(area.height),
    );
    if let Some(n) = selected {
        let lines: Vec<ratatui::text::Line> = info_lines(app, n).into_iter().map(ratatui::text::Line::from).collect();
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

/// Draw some paths' cells in one stroke and style; `marks`: the layout whose arrow
/// heads and back turns (`◀`) to draw; the paths' own ends when None.
fn draw_paths(
    buf: &mut Buffer,
    v: &View,
    paths: &[Path],
    stroke: Option<Stroke>,
    style: Style,
    marks: Option<&Layout>,
) {
    if paths.is_empty() {
        return;
    }
    for ((x, y), (d, own)) in cells_in(paths, v.clip()) {
        if let Some((cx, cy)) = v.cell(x, y) {
            let c = if marks.is_some_and(|m| m.arrows.contains_key(&(x, y))) {
                ARROW
            } else if marks.is_some_and(|m| m.backs.contains(&(x, y))) {
                BACK
            } else {
                glyph(d, stroke.unwrap_or(own))
            };
            put(buf, cx, cy, c, style);
        }
    }
    if marks.is_none() {
        for p in paths {
            if let Some((cx, cy)) = p.points.last().and_then(|&(x, y)| v.cell(x, y)) {
                put(buf, cx, cy, ARROW, style);
            }
        }
    }
}

/// Consumer edges (topic → service) whose group is WARN or worse, grouped by style.
fn troubled(app: &App, m: &Layout, lit: &dyn Fn(&&Path) -> bool) -> Vec<(Vec<Path>, Style)> {
    if app.live.is_none() {
        return Vec::new();
    }
    let (mut warn, mut bad) = (Vec::new(), Vec::new());
    for p in m.paths.iter().filter(|p| lit(p)) {
        let e = &m.edges[p.edge];
        let (Node::Topic(ti), Node::Service(si)) = (m.nodes[e.from].node, m.nodes[e.to].node) else {
            continue;
        };
        match app.group_lag(si, ti).map(|g| g.status) {
            Some(Health::Warn) => warn.push(p.clone()),
            Some(h) if h.is_problem() => bad.push(p.clone()),
            _ => {}
        }
    }
    vec![(warn, app.theme.warn()), (bad, app.theme.error())]
}

/// Observed edges between registry boxes, dotted (`join::links`): a registry
/// service writing or reading a topic it does not declare.
fn observed_paths(app: &App, m: &Layout) -> Vec<Path> {
    let Some(d) = &app.joined.drift else { return Vec::new() };
    let mut out = Vec::new();
    for (from, to) in d.links.iter().filter_map(|l| l.edge()) {
        let (Some(&a), Some(&b)) = (m.index.get(&from), m.index.get(&to)) else {
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
