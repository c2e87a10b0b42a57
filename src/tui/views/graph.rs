//! Graph view: the selected node in the middle, what feeds it on the left, what it
//! feeds on the right, as boxes and arrows. Enter re-centres on the focused box.
//!
//! ```text
//! ┌producer┐      ┌──topic──┐      ┌consumer┐
//! │   A    │ ───▶ │  name   │ ───▶ │   C    │
//! └────────┘      └─────────┘      └────────┘
//!                             ┄┄?▶ ┌observed┐   a group the registry does not declare
//! ```

use super::{opt, rate};
use crate::core::live::view::Health;
use crate::core::registry::Status;
use crate::core::topology::Node;
use crate::tui::state::App;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

const BOX_H: u16 = 4;
const GAP: u16 = 6;

/// The arrows between boxes, as drawn and as the help explains them.
pub const ARROW: &str = " ───▶ ";
pub const ARROW_DEPRECATED: &str = " ╌╌╌▶ ";
pub const ARROW_OBSERVED: &str = " ┄┄?▶ ";

/// The graph's arrows with what they mean, for the help legend.
pub fn legend() -> Vec<(String, String)> {
    [
        (ARROW, "declared produce / consume"),
        (ARROW_DEPRECATED, "to or from a deprecated topic (dim)"),
        (ARROW_OBSERVED, "seen on the cluster, not declared"),
    ]
    .into_iter()
    .map(|(a, what)| (a.trim().to_string(), what.to_string()))
    .collect()
}

pub fn render(app: &App, f: &mut Frame, area: Rect, center: Node) {
    let s = app.screen();
    let (left, right) = app.graph_sides(center);
    let col_w = (area.width.saturating_sub(2 * GAP)) / 3;
    let xs = [area.x, area.x + col_w + GAP, area.x + 2 * (col_w + GAP)];
    let top = area.y + 1;
    let height = area.height.saturating_sub(1);
    let (seen_in, seen_out) = observed(app, center);
    let seen = match seen_in.len() + seen_out.len() {
        0 => String::new(),
        n => format!(" · {n} observed, undeclared"),
    };
    let title = format!(
        "graph · {} in, {} out{seen} · ←→ column, ↑↓ select, ⏎ re-centre",
        left.len(),
        right.len()
    );
    f.render_widget(
        Paragraph::new(Span::styled(title, app.theme.title())),
        Rect::new(area.x, area.y, area.width, 1),
    );

    let cy = top + height.saturating_sub(BOX_H) / 2;
    node_box(app, f, Rect::new(xs[1], cy, col_w, BOX_H), center, center, false, true);
    // Consumption the cluster shows and the registry does not declare (drift): drawn
    // after the declared boxes, with a dotted arrow and a `?`, not selectable.
    for (side, nodes, seen) in [(0usize, &left, &seen_in), (1usize, &right, &seen_out)] {
        let focused = s.pane == side;
        let fits = (height / BOX_H).max(1) as usize;
        let sel = if focused { s.selected } else { 0 };
        let total = nodes.len() + seen.len();
        let start = if total > fits {
            sel.saturating_sub(fits - 1).min(total - fits)
        } else {
            0
        };
        let end = total.min(start + fits);
        let shown = &nodes[start.min(nodes.len())..end.min(nodes.len())];
        let shown_seen = &seen[start.saturating_sub(nodes.len()).min(seen.len())..end.saturating_sub(nodes.len())];
        let x = if side == 0 { xs[0] } else { xs[2] };
        // Centre the column on the middle box so the arrows meet it.
        let first_y = top + height.saturating_sub((shown.len() + shown_seen.len()) as u16 * BOX_H) / 2;
        for (k, &n) in shown.iter().enumerate() {
            let y = first_y + k as u16 * BOX_H;
            let selected = focused && start + k == sel;
            node_box(app, f, Rect::new(x, y, col_w, BOX_H), n, center, selected, false);
            let gap_x = if side == 0 { xs[0] + col_w } else { xs[1] + col_w };
            let deprecated = is_deprecated_link(app, center, n);
            let arrow = if deprecated { ARROW_DEPRECATED } else { ARROW };
            let style = if deprecated { app.theme.dim() } else { Style::default() };
            f.render_widget(
                Paragraph::new(Span::styled(arrow, style)),
                Rect::new(gap_x, y + 1, GAP, 1),
            );
        }
        let gap_x = if side == 0 { xs[0] + col_w } else { xs[1] + col_w };
        for (k, (label, what)) in shown_seen.iter().enumerate() {
            let y = first_y + (shown.len() + k) as u16 * BOX_H;
            observed_box(app, f, Rect::new(x, y, col_w, BOX_H), label, what);
            f.render_widget(
                Paragraph::new(Span::styled(ARROW_OBSERVED, app.theme.warn())),
                Rect::new(gap_x, y + 1, GAP, 1),
            );
        }
        let more = total - shown.len() - shown_seen.len();
        if more > 0 {
            let y = area.y + area.height - 1;
            f.render_widget(
                Paragraph::new(Span::styled(format!("+{more} more (↑↓ scroll)"), app.theme.dim())),
                Rect::new(x, y, col_w, 1),
            );
        }
        if total == 0 {
            let what = if side == 0 {
                "nothing feeds it"
            } else {
                "nothing reads it"
            };
            f.render_widget(
                Paragraph::new(Span::styled(what, app.theme.dim())),
                Rect::new(x, cy + 1, col_w, 1),
            );
        }
    }
}

/// Something only the cluster shows: (label, what).
type Seen = (String, String);

/// What the cluster shows feeding (left) and fed by (right) a node beyond the
/// registry (`join::links`): for a topic, who writes it and which groups read it
/// undeclared; for a service, the topics its groups read and its messages land on.
fn observed(app: &App, center: Node) -> (Vec<Seen>, Vec<Seen>) {
    let Some(d) = &app.joined.drift else {
        return Default::default();
    };
    let reg = &app.data.reg;
    let seen = |l: &crate::core::join::links::Link, label: String| (label, l.what().to_string());
    let (mut inputs, mut outputs) = (Vec::new(), Vec::new());
    match center {
        Node::Topic(ti) => {
            for l in d.links_on(ti) {
                let side = if l.writes() { &mut inputs } else { &mut outputs };
                side.push(seen(l, l.name.clone()));
            }
        }
        Node::Service(si) => {
            for l in d.links.iter().filter(|l| l.service == Some(si)) {
                let side = if l.writes() { &mut outputs } else { &mut inputs };
                side.push(seen(l, reg.topics[l.topic].name.clone()));
            }
        }
    }
    (inputs, outputs)
}

/// A box for something only the cluster shows.
fn observed_box(app: &App, f: &mut Frame, r: Rect, label: &str, what: &str) {
    let t = &app.theme;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(ratatui::widgets::BorderType::Plain)
        .border_style(t.warn())
        .title(Span::styled(" ? observed ", t.warn()));
    f.render_widget(
        Paragraph::new(vec![
            Line::from(label.to_string()),
            Line::styled(what.to_string(), t.dim()),
        ])
        .block(block),
        r,
    );
}

fn is_deprecated_link(app: &App, a: Node, b: Node) -> bool {
    let dep = |n: Node| matches!(n, Node::Topic(t) if app.data.reg.topics[t].status != Status::Active);
    dep(a) || dep(b)
}

/// One box: name, kind/status, and live numbers for the edge to the centre.
#[allow(clippy::too_many_arguments)]
fn node_box(app: &App, f: &mut Frame, r: Rect, n: Node, center: Node, selected: bool, is_center: bool) {
    let t = &app.theme;
    let reg = &app.data.reg;
    let (title, line1, line2, health): (String, String, String, Option<Health>) = match n {
        Node::Service(si) => {
            let svc = &reg.services[si];
            let live = match center {
                Node::Topic(ti) => app
                    .live
                    .as_ref()
                    .and_then(|l| l.group_for(&reg.services[si].key, &reg.topics[ti].name)),
                Node::Service(_) => None,
            };
            let edge = live
                .map(|g| format!("lag {} · {}/s", opt(g.total_lag), rate(g.consume_rate)))
                .unwrap_or_default();
            // Beside a topic, a service's health is its group's on that topic.
            let h = match center {
                Node::Topic(_) => live.map(|g| g.status),
                Node::Service(_) => app.live.as_ref().and_then(|l| l.service_worst(&reg.services[si].key)),
            };
            ("service".into(), svc.label(), edge, h)
        }
        Node::Topic(ti) => {
            let topic = &reg.topics[ti];
            let live = app.live.as_ref().and_then(|l| l.topics.get(&topic.name));
            let edge = live
                .map(|l| format!("{}/s · lag {}", rate(l.produce_rate), opt(l.total_lag)))
                .unwrap_or_default();
            let status = match topic.status {
                Status::Active => "topic".to_string(),
                Status::Deprecated => format!("topic {} deprecated", crate::tui::symbols::DEPRECATED.glyph),
                Status::Proposed => format!("topic {} proposed", crate::tui::symbols::PROPOSED.glyph),
            };
            (status, topic.name.clone(), edge, live.and_then(|l| l.worst))
        }
    };
    let border = if selected || is_center {
        t.focus_border()
    } else {
        t.border()
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(format!(" {title} "), t.dim()));
    if matches!(n, Node::Topic(ti) if reg.topics[ti].status != Status::Active) {
        block = block
            .border_type(ratatui::widgets::BorderType::Plain)
            .border_style(t.dim());
    }
    let name_style = if selected { t.selected() } else { t.header() };
    let mut l2 = vec![Span::raw(line2)];
    if let Some(h) = health {
        let cell_style = match h {
            Health::Ok | Health::Idle => t.ok(),
            Health::Warn => t.warn(),
            Health::Unknown => Style::default(),
            _ => t.error(),
        };
        l2.push(Span::styled(format!(" {}", h.label()), cell_style));
    }
    f.render_widget(
        Paragraph::new(vec![Line::styled(line1, name_style), Line::from(l2)]).block(block),
        r,
    );
}
