//! The map's nodes at each zoom level: full boxes (kind, name, health, staleness,
//! domain, observed badge), one-line labels, dots; and the live facts they show.

use super::map_view::{Look, View};
use super::rate;
use crate::core::live::view::Health;
use crate::core::map::plan::{Layout, Placed};
use crate::core::map::route::{glyph, Stroke, DOWN, LEFT, RIGHT, UP};
use crate::core::map::text::{fit, width, Glyph};
use crate::core::registry::Status;
use crate::core::topology::Node;
use crate::tui::state::App;
use crate::tui::symbols::STALE;
use ratatui::buffer::Buffer;
use ratatui::style::{Modifier, Style};

/// An edge's head, before its target box (drawn by the map, named by its legend).
pub const ARROW: char = '▶';
/// Where a backward edge turns to run back left (against the flow).
pub const BACK: char = '◀';

/// A node's live facts: health, its topic rate, how stale its data is.
pub(super) struct Facts {
    health: Option<Health>,
    rate: Option<f64>,
    stale: Option<String>,
}

pub(super) fn facts(app: &App, n: Node) -> Facts {
    let reg = &app.data.reg;
    let live = app.live.as_ref();
    let stale = app
        .joined
        .stale
        .as_ref()
        .and_then(|st| st.of(n))
        .map(|(_, c)| crate::core::stale::seconds_label(c));
    match n {
        Node::Service(i) => Facts {
            health: app.joined.groups.worst(i),
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

pub(super) fn health_style(app: &App, h: Health) -> Style {
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

pub(super) fn full_box(app: &App, buf: &mut Buffer, v: &View, m: &Layout, p: &Placed, look: Look) {
    let t = &app.theme;
    let reg = &app.data.reg;
    let w = m.geo.box_w;
    let fx = facts(app, p.node);
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
                Status::Deprecated => format!("{} deprecated", crate::tui::symbols::DEPRECATED.glyph),
                Status::Proposed => format!("{} proposed", crate::tui::symbols::PROPOSED.glyph),
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
        let seen = app.joined.drift.as_ref().map_or(0, |d| d.links_on(i).len());
        if seen > 0 {
            let badge = format!("{}{seen}", crate::tui::symbols::OBSERVED.glyph);
            let bw = width(&badge).min(w - 2);
            text(buf, v, (p.x + w - 1 - bw, p.y), &badge, bw, t.warn());
        }
    }
    let mut x = p.x + 1;
    if let Some(h) = fx.health.filter(|&h| h != Health::Unknown) {
        let mark = format!("{} ", h.label());
        x += text(buf, v, (x, p.y + 2), &mark, w - 2, health_style(app, h));
    }
    if let Some(s) = &fx.stale {
        let mark = format!("{}{s} ", crate::tui::symbols::STALE.glyph);
        x += text(buf, v, (x, p.y + 2), &mark, (p.x + w - 1).saturating_sub(x), t.warn());
    }
    if let Some(d) = domain {
        // Right-aligned, in what room is left: the domain marks its cluster.
        let room = (p.x + w - 1).saturating_sub(x + 1);
        let d = fit(&d, room, false);
        let dw: u32 = d.iter().map(|g| g.width).sum();
        glyphs_at(buf, v, (p.x + w - 1 - dw, p.y + 2), &d, t.dim());
    }
}

/// Compact zoom: how a service and a topic in each status is bracketed.
pub const BRACKET_SERVICE: (char, char) = ('[', ']');
pub const BRACKET_TOPIC: (char, char) = ('(', ')');
pub const BRACKET_DEPRECATED: (char, char) = ('‹', '›');
pub const BRACKET_PROPOSED: (char, char) = ('◇', '◇');
/// Overview zoom: one cell per node.
pub const DOT_SERVICE: char = '●';
pub const DOT_TOPIC: char = '○';
pub const DOT_DEPRECATED: char = '◌';
pub const DOT_PROPOSED: char = '◇';

/// The map's own marks, drawn from the constants above and the stroke table, for the
/// help legend: (symbol, meaning).
pub fn legend() -> Vec<(String, String)> {
    let b = |(o, c): (char, char), what: &str| (format!("{o}name{c}"), format!("compact zoom: {what}"));
    let d = |c: char, what: &str| (c.to_string(), format!("overview zoom: {what}"));
    let mut out: Vec<(String, String)> = Stroke::legend()
        .into_iter()
        .map(|(g, what)| (g.to_string().repeat(3), format!("line: {what}")))
        .collect();
    out.push((
        format!(
            "{}{}",
            glyph(DOWN | RIGHT, Stroke::Solid),
            glyph(LEFT | RIGHT, Stroke::Dashed).to_string().repeat(2)
        ),
        "dashed, dim box: a deprecated topic".into(),
    ));
    let (h, v) = (glyph(LEFT | RIGHT, Stroke::Solid), glyph(UP | DOWN, Stroke::Solid));
    out.extend([
        (
            format!("{h}{v}{h}"),
            "lines cross: the broken line goes straight on (never a junction)".into(),
        ),
        (
            format!(
                "{}{}",
                glyph(UP | DOWN | RIGHT, Stroke::Solid),
                glyph(LEFT | RIGHT | DOWN, Stroke::Solid)
            ),
            "a junction: a box's edges fork rightwards; what joins from the left merges into one arrow".into(),
        ),
        (
            format!("{h}{h}{}", ARROW),
            "an edge's head: it goes into the box right of it".into(),
        ),
        (
            format!("{}{h}{h}", BACK),
            "an edge drawn back against the flow (a cycle) turns left here".into(),
        ),
    ]);
    out.extend([
        b(BRACKET_SERVICE, "a service"),
        b(BRACKET_TOPIC, "a topic"),
        b(BRACKET_DEPRECATED, "a deprecated topic"),
        b(BRACKET_PROPOSED, "a proposed topic"),
        d(DOT_SERVICE, "a service"),
        d(DOT_TOPIC, "a topic"),
        d(DOT_DEPRECATED, "a deprecated topic"),
        d(DOT_PROPOSED, "a proposed topic"),
    ]);
    out
}

/// Compact zoom: `[service]`, `(topic)`, a leading status symbol.
pub(super) fn label(app: &App, buf: &mut Buffer, v: &View, p: &Placed, look: Look) {
    let reg = &app.data.reg;
    let g = app.map_layout().map_or(crate::core::map::plan::COMPACT, |m| m.geo);
    let fx = facts(app, p.node);
    let (open, close, name) = match p.node {
        Node::Service(i) => (BRACKET_SERVICE.0, BRACKET_SERVICE.1, reg.services[i].name.as_str()),
        Node::Topic(i) => {
            let (o, c) = match reg.topics[i].status {
                Status::Active => BRACKET_TOPIC,
                Status::Deprecated => BRACKET_DEPRECATED,
                Status::Proposed => BRACKET_PROPOSED,
            };
            (o, c, reg.topics[i].name.as_str())
        }
    };
    // Cut and padded by display width: the closing bracket stays in its column.
    let room = g.box_w.saturating_sub(3);
    let short = fit(name, room, true);
    let used = glyphs_at(buf, v, (p.x + 2, p.y), &short, name_style(app, look));
    for x in p.x + 2 + used..p.x + 2 + room {
        if let Some((cx, cy)) = v.cell(x, p.y) {
            put(buf, cx, cy, ' ', name_style(app, look));
        }
    }
    let (sym, sym_style) = symbol(app, &fx);
    text(buf, v, (p.x, p.y), &open.to_string(), 1, name_style(app, look));
    text(buf, v, (p.x + 1, p.y), &sym.to_string(), 1, sym_style);
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
pub(super) fn dot(app: &App, buf: &mut Buffer, v: &View, p: &Placed, look: Look) {
    let reg = &app.data.reg;
    let fx = facts(app, p.node);
    let (sym, style) = symbol(app, &fx);
    let c = if sym != ' ' {
        sym
    } else {
        match p.node {
            Node::Service(_) => DOT_SERVICE,
            Node::Topic(i) => match reg.topics[i].status {
                Status::Active => DOT_TOPIC,
                Status::Deprecated => DOT_DEPRECATED,
                Status::Proposed => DOT_PROPOSED,
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
pub(super) fn symbol(app: &App, fx: &Facts) -> (char, Style) {
    match fx.health {
        Some(h) if h.is_problem() => (h.label().chars().next().unwrap_or('!'), health_style(app, h)),
        _ if fx.stale.is_some() => (STALE.glyph.chars().next().unwrap_or(' '), app.theme.warn()),
        Some(h @ (Health::Ok | Health::Idle)) => (h.label().chars().next().unwrap_or(' '), health_style(app, h)),
        _ => (' ', Style::default()),
    }
}

pub(super) fn put(buf: &mut Buffer, x: u16, y: u16, c: char, style: Style) {
    if let Some(cell) = buf.cell_mut((x, y)) {
        cell.set_char(c).set_style(style);
    }
}

/// Text from `at`, in at most `max` cells (display width: a CJK character takes two,
/// a combining mark none); returns the cells used.
pub(super) fn text(buf: &mut Buffer, v: &View, at: (u32, u32), s: &str, max: u32, style: Style) -> u32 {
    glyphs_at(buf, v, at, &fit(s, max, false), style)
}

/// Glyphs from `at`, one cell each or two for a wide one, whose second cell is left
/// blank as ratatui expects (the terminal draws the glyph over it). A wide glyph cut by
/// the view's edge shows as a blank. Returns the cells used.
pub(super) fn glyphs_at(buf: &mut Buffer, v: &View, at: (u32, u32), glyphs: &[Glyph], style: Style) -> u32 {
    let mut x = at.0;
    for g in glyphs {
        // A glyph is one cell or two: no allocation per glyph, per frame.
        let n = g.width.min(2) as usize;
        let both = [v.cell(x, at.1), v.cell(x + 1, at.1)];
        let cells = &both[..n];
        if cells.iter().all(Option::is_some) {
            for (k, c) in cells.iter().flatten().enumerate() {
                if let Some(cell) = buf.cell_mut(*c) {
                    cell.set_symbol(if k == 0 { &g.symbol } else { " " }).set_style(style);
                }
            }
        } else {
            for &(cx, cy) in cells.iter().flatten() {
                put(buf, cx, cy, ' ', style);
            }
        }
        x += g.width;
    }
    x - at.0
}

pub(super) fn draw_box(buf: &mut Buffer, v: &View, at: (u32, u32), size: (u32, u32), style: Style, dashed: bool) {
    let (x0, y0) = at;
    let (x1, y1) = (x0 + size.0 - 1, y0 + size.1 - 1);
    let stroke = if dashed { Stroke::Dashed } else { Stroke::Solid };
    let (h, vl) = (glyph(LEFT | RIGHT, stroke), glyph(UP | DOWN, stroke));
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
