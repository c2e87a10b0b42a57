//! `:map`: every service and topic as a layered left-to-right flow, edges drawn as
//! connected box-drawing lines in the gaps (`map::route`), the view following the
//! selection. ←→ move along edges, ↑↓ within and across columns, f focuses (what is
//! outside the selection's upstream and downstream dims), ⏎ opens the detail.

use super::rate;
use crate::live::view::Health;
use crate::map::layout::{BOX_H, BOX_W};
use crate::map::route::{cells_in, glyph};
use crate::registry::Status;
use crate::topology::Node;
use crate::tui::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::collections::HashSet;

/// Where the viewport starts so that the selected box is in view (centred).
fn origin(app: &App, area: Rect) -> (u32, u32) {
    let m = app.data.map();
    let s = app.screen();
    let Some(p) = s.items.get(s.selected).map(|&i| &m.nodes[i]) else {
        return (0, 0);
    };
    let (w, h) = (u32::from(area.width), u32::from(area.height));
    let cx = (p.x + BOX_W / 2).saturating_sub(w / 2);
    let cy = (p.y + BOX_H / 2).saturating_sub(h / 2);
    (cx.min(m.width.saturating_sub(w)), cy.min(m.height.saturating_sub(h)))
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let m = app.data.map();
    let reg = &app.data.reg;
    let s = app.screen();
    if let Some(n) = m.refused {
        let msg = format!(
            "The map is not drawn: {n} edges, more than {} can be shown legibly.\nUse :graph, :impact or a filter on a smaller registry.",
            crate::map::layout::MAX_EDGES
        );
        f.render_widget(Paragraph::new(msg), area);
        return;
    }
    let title_area = Rect::new(area.x, area.y, area.width, 1);
    let body = Rect::new(area.x, area.y + 1, area.width, area.height.saturating_sub(1));
    let focus: Option<HashSet<Node>> = s.impact.as_ref().map(|imp| {
        let mut set: HashSet<Node> = imp.affected.iter().map(|a| a.node).collect();
        match &imp.target {
            crate::impact::Target::Service(i) => set.insert(Node::Service(*i)),
            crate::impact::Target::Topic(i) => set.insert(Node::Topic(*i)),
            crate::impact::Target::Event(..) => false,
        };
        set
    });
    let title = format!(
        "map · {} services, {} topics, {} columns, {} crossings{} · ←→ along edges, ↑↓ column, f focus, ⏎ open",
        reg.services.len(),
        reg.topics.len(),
        m.layers,
        m.crossings.map_or("uncounted".into(), |c| c.to_string()),
        if focus.is_some() { " · FOCUS" } else { "" }
    );
    f.render_widget(Paragraph::new(Span::styled(title, t.title())), title_area);
    let (ox, oy) = origin(app, body);
    let buf = f.buffer_mut();
    // Map cells (u32: a 10,000-topic map is wider than a terminal's u16) to screen cells.
    let inside = |x: u32, y: u32| -> Option<(u16, u16)> {
        let (vx, vy) = (x.checked_sub(ox)?, y.checked_sub(oy)?);
        (vx < u32::from(body.width) && vy < u32::from(body.height)).then(|| (body.x + vx as u16, body.y + vy as u16))
    };
    // A filter (`/presales`, `/billing`) dims what it does not match, like focus.
    let matched: Option<HashSet<Node>> =
        (!s.filter.is_empty()).then(|| s.items.iter().map(|&i| m.nodes[i].node).collect());
    let dim =
        |n: Node| focus.as_ref().is_some_and(|f| !f.contains(&n)) || matched.as_ref().is_some_and(|f| !f.contains(&n));
    // Edges first, boxes over them: only the cells in view are drawn.
    let narrowed = focus.is_some() || matched.is_some();
    let base = if narrowed { t.dim() } else { Style::default() };
    let clip = (ox, oy, u32::from(body.width), u32::from(body.height));
    for ((x, y), (d, dashed)) in cells_in(&m.paths, clip) {
        if let Some((cx, cy)) = inside(x, y) {
            let c = if m.arrows.contains_key(&(x, y)) {
                '▶'
            } else {
                glyph(d, dashed)
            };
            put(buf, cx, cy, c, base);
        }
    }
    if narrowed {
        // The focused or matching edges again, undimmed.
        let kept: Vec<crate::map::route::Path> = m
            .paths
            .iter()
            .filter(|p| {
                let e = &m.edges[p.edge];
                !dim(m.nodes[e.from].node) && !dim(m.nodes[e.to].node)
            })
            .cloned()
            .collect();
        for ((x, y), (d, dashed)) in cells_in(&kept, clip) {
            if let Some((cx, cy)) = inside(x, y) {
                put(buf, cx, cy, glyph(d, dashed), Style::default());
            }
        }
        for p in &kept {
            if let Some((cx, cy)) = p.points.last().and_then(|&(x, y)| inside(x, y)) {
                put(buf, cx, cy, '▶', Style::default());
            }
        }
    }
    let selected = s.items.get(s.selected).map(|&i| m.nodes[i].node);
    let (vw, vh) = (u32::from(body.width), u32::from(body.height));
    let visible =
        |p: &&crate::map::layout::Placed| p.x + BOX_W > ox && p.x < ox + vw && p.y + BOX_H > oy && p.y < oy + vh;
    for p in m.nodes.iter().filter(visible) {
        let (name, kind, health) = match p.node {
            Node::Service(i) => {
                let svc = &reg.services[i];
                let h = app.live.as_ref().and_then(|l| l.service_worst(&svc.key));
                (svc.name.clone(), "service".to_string(), h)
            }
            Node::Topic(i) => {
                let topic = &reg.topics[i];
                let live = app.live.as_ref().and_then(|l| l.topics.get(&topic.name));
                let kind = match topic.status {
                    Status::Active => match live.and_then(|l| l.produce_rate) {
                        Some(r) => format!("topic {}/s", rate(Some(r))),
                        None => "topic".into(),
                    },
                    Status::Deprecated => "⊘ deprecated".into(),
                    Status::Proposed => "◇ proposed".into(),
                };
                (topic.name.clone(), kind, live.and_then(|l| l.worst))
            }
        };
        let is_sel = selected == Some(p.node);
        let faint = dim(p.node);
        let border = if is_sel {
            t.focus_border()
        } else if faint {
            t.dim()
        } else {
            t.border()
        };
        let dashed = matches!(p.node, Node::Topic(i) if reg.topics[i].status != Status::Active);
        draw_box(buf, &inside, (p.x, p.y), border, dashed);
        let name_style = if is_sel {
            t.selected()
        } else if faint {
            t.dim()
        } else {
            t.header()
        };
        let mark = match health {
            Some(h @ (Health::Ok | Health::Idle)) => (format!(" {}", h.label()), t.ok()),
            Some(Health::Unknown) | None => (String::new(), Style::default()),
            Some(h @ Health::Warn) => (format!(" {}", h.label()), t.warn()),
            Some(h) => (format!(" {}", h.label()), t.error()),
        };
        text(buf, &inside, (p.x + 1, p.y + 1), &name, BOX_W - 2, name_style);
        // Kind on the top border; health (symbol and word, never colour alone) below.
        text(buf, &inside, (p.x + 1, p.y), &kind, BOX_W - 2, t.dim());
        if !mark.0.is_empty() {
            text(buf, &inside, (p.x + 1, p.y + 2), &mark.0, BOX_W - 2, mark.1);
        }
    }
}

fn put(buf: &mut Buffer, x: u16, y: u16, c: char, style: Style) {
    if let Some(cell) = buf.cell_mut((x, y)) {
        cell.set_char(c).set_style(style);
    }
}

fn text(
    buf: &mut Buffer,
    inside: &dyn Fn(u32, u32) -> Option<(u16, u16)>,
    at: (u32, u32),
    s: &str,
    max: u32,
    style: Style,
) {
    for (k, ch) in s.chars().take(max as usize).enumerate() {
        if let Some((x, y)) = inside(at.0 + k as u32, at.1) {
            put(buf, x, y, ch, style);
        }
    }
}

fn draw_box(
    buf: &mut Buffer,
    inside: &dyn Fn(u32, u32) -> Option<(u16, u16)>,
    at: (u32, u32),
    style: Style,
    dashed: bool,
) {
    let (x0, y0) = at;
    let (x1, y1) = (x0 + BOX_W - 1, y0 + BOX_H - 1);
    let (h, v) = if dashed { ('╌', '╎') } else { ('─', '│') };
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
                _ if x == x0 || x == x1 => v,
                _ => ' ',
            };
            if let Some((cx, cy)) = inside(x, y) {
                put(buf, cx, cy, c, style);
            }
        }
    }
}
