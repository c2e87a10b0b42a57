//! Impact view: affected services and topics by hop depth, each with its path.

use super::{health_cell, ListTable};
use crate::core::impact::node_label;
use crate::core::topology::Node;
use crate::tui::state::App;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// The columns of an impact (STALE only with live data).
pub const IMPACT_COLUMNS: &[crate::tui::symbols::Column] = &[
    crate::tui::symbols::col("DEPTH", "hops from the target"),
    crate::tui::symbols::col("", "service or topic"),
    crate::tui::symbols::col("AFFECTED", "what is affected"),
    crate::tui::symbols::col("HEALTH", "its consumer groups' worst status"),
    crate::tui::symbols::col("STALE", "how stale its data is (⧗), with live data"),
    crate::tui::symbols::col("WHY (path)", "the path from the target"),
];

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.screen();
    let Some(imp) = &s.impact else { return };
    let reg = &app.data.reg;
    let (ns, nt) = imp.counts();
    // Live blast radius: how stale each affected node's data is right now, and why.
    let stale_of = |n: Node| app.joined.stale.as_ref().and_then(|st| st.of(n));
    let worst = imp
        .affected
        .iter()
        .map(|a| a.node)
        .chain(imp.target.nodes())
        .filter_map(|n| stale_of(n).map(|(_, c)| c))
        .max_by(|a, b| a.seconds.unwrap_or(-1.0).total_cmp(&b.seconds.unwrap_or(-1.0)));
    let stale_note = match worst {
        Some(c) => format!(
            " · STALE up to {} because of {}",
            crate::core::stale::seconds_label(c),
            crate::core::visible::one_line(c.name())
        ),
        None => String::new(),
    };
    let depth = match imp.max_depth {
        Some(1) => "1 hop".to_string(),
        Some(n) => format!("≤{n} hops"),
        None => "all hops".to_string(),
    };
    let title = format!(
        "impact of {} · {} · {depth} · {}, {}{stale_note} · d: direction · 0-9: depth",
        imp.target.describe(reg),
        imp.dir.as_str(),
        crate::core::words::count(ns, "service", "services"),
        crate::core::words::count(nt, "topic", "topics"),
    );
    // The STALE column only with live data: offline it would always be empty.
    let live = app.live.is_some();
    let mut widths = vec![
        Constraint::Length(7),
        Constraint::Length(3),
        Constraint::Length(28),
        Constraint::Length(9),
        Constraint::Length(8),
        Constraint::Min(20),
    ];
    let mut header = crate::tui::symbols::names(IMPACT_COLUMNS);
    if !live {
        widths.remove(4);
        header.remove(4);
    }
    // What the cluster shows beyond the registry on these topics, apart from the
    // declared paths: producers named only by messages, groups nobody declares.
    let seen = observed(app, imp);
    let (area, band) = if seen.is_empty() {
        (area, None)
    } else {
        let parts = ratatui::layout::Layout::default()
            .direction(ratatui::layout::Direction::Vertical)
            .constraints([Constraint::Min(5), Constraint::Length(seen.len().min(4) as u16 + 2)])
            .split(area);
        (parts[0], Some(parts[1]))
    };
    if let Some(band) = band {
        let lines: Vec<ratatui::text::Line> = seen.iter().map(|l| ratatui::text::Line::from(l.clone())).collect();
        let block = ratatui::widgets::Block::default()
            .borders(ratatui::widgets::Borders::ALL)
            .border_style(app.theme.warn())
            .title(Span::styled(" ? observed, not declared ", app.theme.warn()));
        f.render_widget(ratatui::widgets::Paragraph::new(lines).block(block), band);
    }
    let mut table = ListTable::for_screen(app, title, &header, &widths);
    // Whom to call about the selected entry, as `ktopo impact` lists by owner.
    table.detail = s
        .items
        .rows()
        .get(s.selected)
        .and_then(|&i| imp.affected.get(i))
        .map(|a| owner_line(reg, a.node));
    table.render(app, f, area, |i| {
        let a = &imp.affected[s.items.rows()[i]];
        let first_of_depth = i == 0 || {
            let prev = &imp.affected[s.items.rows()[i - 1]];
            (prev.dir, prev.depth) != (a.dir, a.depth)
        };
        let arrow = if a.dir == crate::core::impact::Dir::Upstream {
            "↑"
        } else {
            "↓"
        };
        let depth = if first_of_depth {
            format!("{arrow} {}", a.depth)
        } else {
            String::new()
        };
        let (kind, health) = match a.node {
            Node::Service(si) => (
                "svc",
                app.live.as_ref().and_then(|l| l.service_worst(&reg.services[si].key)),
            ),
            Node::Topic(ti) => (
                "top",
                app.live
                    .as_ref()
                    .and_then(|l| l.topics.get(&reg.topics[ti].name))
                    .and_then(|l| l.worst),
            ),
        };
        let path = crate::core::impact::via(reg, imp, a);
        let (stale, path) = match stale_of(a.node) {
            Some((_, c)) => (
                Span::styled(
                    format!(
                        "{} {}",
                        crate::tui::symbols::STALE.glyph,
                        crate::core::stale::seconds_label(c)
                    ),
                    app.theme.warn(),
                ),
                format!(
                    "{path}  {} by {}",
                    crate::tui::symbols::STALE.glyph,
                    crate::core::visible::one_line(c.name())
                ),
            ),
            None => (Span::raw(""), path),
        };
        let mut row = vec![
            Line::from(Span::styled(depth, app.theme.header())),
            Line::from(kind),
            Line::from(node_label(reg, a.node)),
            health_cell(app, health),
            Line::from(stale),
            Line::from(path),
        ];
        if !live {
            row.remove(4);
        }
        row
    });
}

/// `Billing (5): owner team-payments · on-call pagerduty:payments`, from the registry.
fn owner_line(reg: &crate::core::registry::Registry, n: Node) -> String {
    let who = match crate::core::impact::owner_of(reg, n) {
        (Some(o), Some(c)) => format!("owner {o} · on-call {c}"),
        (Some(o), None) => format!("owner {o} · no on-call declared"),
        (None, Some(c)) => format!("no owner declared · on-call {c}"),
        (None, None) => "no owner declared".to_string(),
    };
    format!("{}: {who}", node_label(reg, n))
}

/// Observed edges on the impact's topics (its target's too): producers only the
/// sampled messages name, and consumer groups the registry does not declare.
fn observed(app: &App, imp: &crate::core::impact::Impact) -> Vec<String> {
    let topics: std::collections::HashSet<Node> =
        imp.affected.iter().map(|a| a.node).chain(imp.target.nodes()).collect();
    super::observed_on(app, |t| topics.contains(&Node::Topic(t)))
}
