//! `:lag`, the on-call table: every group × topic, worst first, with the selected
//! row's partitions below (like kafka-consumer-groups.sh --describe).

use super::{health_cell, opt, rate, ListTable};
use crate::tui::app::App;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph};
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.screen();
    let rows = app.lag_rows();
    if app.live.is_none() {
        let msg = format!(
            "No live data: broker {}.\nStart ktopo without --offline (it starts a demo cluster), or pass -b BROKERS.",
            app.broker_note
        );
        f.render_widget(Paragraph::new(msg), area);
        return;
    }
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Percentage(62), Constraint::Percentage(38)])
        .split(area);
    let widths = [
        Constraint::Min(24),
        Constraint::Length(20),
        Constraint::Length(7),
        Constraint::Length(7),
        Constraint::Length(8),
        Constraint::Length(7),
        Constraint::Length(9),
    ];
    let header = ["GROUP", "TOPIC", "LAG", "MAX", "TIME", "RATE", "STATUS"];
    let title = format!("consumer lag ({} group × topic)", s.items.len());
    let table = ListTable::for_screen(app, title, &header, &widths);
    table.render(app, f, parts[0], |i| {
        let g = rows[s.items[i]];
        let time = match g.time_lag_s {
            None => "—".into(),
            Some(t) => format!("{}{:.0}s", if g.time_lag_approx { "~" } else { "" }, t),
        };
        let group = if g.declared {
            g.group.clone()
        } else {
            format!("{} (undeclared)", g.group)
        };
        vec![
            Cell::from(group),
            Cell::from(g.topic.clone()),
            Cell::from(opt(g.total_lag)),
            Cell::from(opt(g.max_lag)),
            Cell::from(time),
            Cell::from(rate(g.consume_rate)),
            health_cell(app, Some(g.status)),
        ]
    });
    let Some(g) = s.items.get(s.selected).and_then(|&i| rows.get(i)) else {
        return;
    };
    let widths = [
        Constraint::Length(9),
        Constraint::Length(15),
        Constraint::Length(15),
        Constraint::Length(10),
        Constraint::Min(10),
    ];
    let state = g.state.clone().unwrap_or("state unknown".into());
    let members = g.members.map(|m| format!(", {m} members")).unwrap_or_default();
    let table = ListTable {
        title: format!("{} on {} · {state}{members}", g.group, g.topic),
        header: &["PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "STATUS"],
        widths: &widths,
        len: g.partitions.len(),
        selected: usize::MAX,
        offset: 0,
        focused: false,
    };
    table.render(app, f, parts[1], |i| {
        let p = &g.partitions[i];
        let lag = match (p.lag, p.clamped) {
            (None, _) => "-".into(),
            (Some(l), true) => format!("{l} (clamped)"),
            (Some(l), false) => l.to_string(),
        };
        vec![
            Cell::from(p.partition.to_string()),
            Cell::from(p.committed.map_or("-".into(), |c| c.to_string())),
            Cell::from(p.log_end.map_or("?".into(), |c| c.to_string())),
            Cell::from(Span::raw(lag)),
            health_cell(app, p.status),
        ]
    });
}
