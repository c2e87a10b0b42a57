//! Impact view: affected services and topics by hop depth, each with its path.

use super::{health_cell, ListTable};
use crate::impact::node_label;
use crate::topology::Node;
use crate::tui::app::App;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::Cell;
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.screen();
    let Some(imp) = &s.impact else { return };
    let reg = &app.data.reg;
    let (ns, nt) = imp.counts();
    let title = format!(
        "impact of {} · {} · {ns} services, {nt} topics · d: direction",
        imp.target.describe(reg),
        imp.dir.as_str(),
    );
    let widths = [
        Constraint::Length(7),
        Constraint::Length(3),
        Constraint::Length(28),
        Constraint::Length(9),
        Constraint::Min(20),
    ];
    let header = ["DEPTH", "", "AFFECTED", "HEALTH", "WHY (path)"];
    let table = ListTable::for_screen(app, title, &header, &widths);
    table.render(app, f, area, |i| {
        let a = &imp.affected[s.items[i]];
        let first_of_depth = i == 0 || {
            let prev = &imp.affected[s.items[i - 1]];
            (prev.dir, prev.depth) != (a.dir, a.depth)
        };
        let arrow = if a.dir == crate::impact::Dir::Upstream {
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
        let path = crate::impact::via(reg, imp, a);
        vec![
            Cell::from(Span::styled(depth, app.theme.header())),
            Cell::from(kind),
            Cell::from(node_label(reg, a.node)),
            health_cell(app, health),
            Cell::from(path),
        ]
    });
}
