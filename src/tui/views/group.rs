//! A consumer group for on-call: its state, members, each topic's status and since
//! when, its recent status changes, a chart of lag and rates over the session, and its
//! partitions. Everything drawn here was derived once per sample (`group_data`).

use super::map_boxes::health_style;
use super::{health_cell, opt, rate, ListTable};
use crate::core::live::view::GroupTopicLag;
use crate::core::time::{clock, short_duration};
use crate::core::visible::one_line;
use crate::core::words::{count, cut};
use crate::tui::group_data::GroupData;
use crate::tui::state::App;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Wrap};
use ratatui::Frame;

/// The chart's lines, each with its own marker so none depends on colour alone.
pub const LAG_LINE: crate::tui::symbols::Symbol = crate::tui::symbols::Symbol {
    glyph: "⣿",
    meaning: "lag chart: messages behind, summed over the group's topics",
};
pub const CONSUME_LINE: crate::tui::symbols::Symbol = crate::tui::symbols::Symbol {
    glyph: "⣿ consume",
    meaning: "rates chart: messages the group committed per second",
};
pub const PRODUCE_LINE: crate::tui::symbols::Symbol = crate::tui::symbols::Symbol {
    glyph: "• produce",
    meaning: "rates chart: messages written per second to the topics it reads",
};
/// What the group screen draws besides statuses.
pub const GROUP_MARKS: &[crate::tui::symbols::Symbol] = &[LAG_LINE, CONSUME_LINE, PRODUCE_LINE];

/// The columns of its partition table.
pub const GROUP_COLUMNS: &[crate::tui::symbols::Column] = &[
    crate::tui::symbols::col("TOPIC", "the topic"),
    crate::tui::symbols::col("PART", "the partition"),
    crate::tui::symbols::col("COMMITTED", "the group's committed offset"),
    crate::tui::symbols::col("LOG-END", "the partition's log end offset"),
    crate::tui::symbols::col("LAG", "messages behind"),
    crate::tui::symbols::col("OWNER", "the member that owns it (client @ host)"),
    crate::tui::symbols::col("STATUS", "the partition's health"),
];

/// Where each part goes in the body: facts, status changes, the two charts, the
/// partitions. A pure function of the size, so `update` scrolls what `render` shows.
pub fn areas(body: Rect) -> [Rect; 5] {
    let h = body.height;
    let v = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length((h * 30 / 100).max(8)),
            Constraint::Length((h * 35 / 100).max(8)),
            Constraint::Min(4),
        ])
        .split(body);
    let halves = |r: Rect, left: u16| {
        let c = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(left), Constraint::Percentage(100 - left)])
            .split(r);
        (c[0], c[1])
    };
    // The facts get the room a long group id needs.
    let (facts, changes) = halves(v[0], 60);
    let (lag, rates) = halves(v[1], 50);
    [facts, changes, lag, rates, v[2]]
}

/// Partition rows the table shows at this size.
pub fn partition_rows(body: Rect) -> usize {
    areas(body)[4].height.saturating_sub(3) as usize
}

fn block<'a>(app: &App, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border())
        .title(Span::styled(format!(" {title} "), app.theme.title()))
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let [facts, changes, lag, rates, parts] = areas(area);
    let rows = app.group_rows();
    let Some(data) = app.screen().group.as_deref() else {
        return;
    };
    let title = "group (times UTC)".to_string();
    if rows.is_empty() {
        let why = app
            .no_sample_yet()
            .unwrap_or_else(|| "not in the last sample of the cluster".into());
        let name = match &app.screen().route {
            crate::tui::state::Route::Group(g) => one_line(g).into_owned(),
            _ => String::new(),
        };
        let text = format!("{name}\n{why}.\nEsc goes back.");
        f.render_widget(
            Paragraph::new(text).block(block(app, title)).wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    f.render_widget(
        Paragraph::new(fact_lines(app, &rows, data, facts.width.saturating_sub(2) as usize))
            .block(block(app, title))
            .wrap(Wrap { trim: false }),
        facts,
    );
    change_list(app, f, changes, data, rows.len() > 1);
    lag_chart(app, f, lag, data);
    rate_chart(app, f, rates, data);
    partition_table(app, f, parts, &rows, data);
}

/// State and members first, then each topic's status with since when and why: what
/// on-call reads first survives a small terminal.
fn fact_lines<'a>(app: &App, rows: &[&GroupTopicLag], data: &GroupData, width: usize) -> Vec<Line<'a>> {
    let g = rows[0];
    let mut head = g.state.clone().unwrap_or("state unknown".into());
    if let Some(k) = &g.kind {
        head.push_str(&format!(" ({k})"));
    }
    if let Some(m) = g.members {
        head.push_str(&format!(" · {}", count(m, "member", "members")));
    }
    let mut lines = vec![
        Line::styled(one_line(&g.group).into_owned(), app.theme.title()),
        Line::from(one_line(&head).into_owned()),
    ];
    let owner = match &g.service {
        Some(s) => format!("service {s}"),
        None if g.declared => "declared".into(),
        None => "undeclared: the registry does not name it".into(),
    };
    lines.push(Line::from(one_line(&owner).into_owned()));
    for r in rows {
        let since = r
            .status_since_ms
            .map(|ms| format!(" since {}", clock(ms)))
            .unwrap_or_default();
        let topic = cut(&one_line(&r.topic), width / 3);
        lines.push(Line::from(vec![
            Span::raw(format!("{topic} ")),
            Span::styled(r.status.label(), health_style(app, r.status)),
            Span::raw(format!(" for {}{since}", short_duration(r.status_for_s))),
        ]));
        let behind = r.time_lag_s.map_or(String::new(), |s| {
            format!(
                " · {}{} behind",
                crate::core::lag_report::time_mark(r),
                short_duration(s)
            )
        });
        lines.push(Line::from(format!(
            "  lag {}{behind} · {}/s consumed",
            opt(r.total_lag),
            rate(r.consume_rate)
        )));
        if !r.reason.is_empty() {
            lines.push(Line::styled(format!("  {}", one_line(&r.reason)), app.theme.dim()));
        }
        if let Some(e) = &r.error {
            lines.push(Line::styled(
                format!("  ⚠ unreadable: {}", one_line(e)),
                app.theme.warn(),
            ));
        }
    }
    if let Some(m) = data.lag_s_max {
        lines.push(Line::from(format!("at most {} behind this session", short_duration(m))));
    }
    lines
}

/// Newest first: time, (topic,) from → to, why.
fn change_list(app: &App, f: &mut Frame, area: Rect, data: &GroupData, topics: bool) {
    let room = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = if data.changes.is_empty() {
        vec![Line::styled("none this session", app.theme.dim())]
    } else {
        data.changes
            .iter()
            .take(area.height.saturating_sub(2) as usize)
            .map(|c| {
                let t = &c.change;
                let at = t.at_ms.map_or("?".to_string(), clock);
                let topic = if topics {
                    format!("{} ", cut(&one_line(&c.topic), 12))
                } else {
                    String::new()
                };
                let head = format!("{at} {topic}{} → ", t.from.word());
                let rest = room.saturating_sub(head.chars().count() + t.to.word().len() + 1);
                Line::from(vec![
                    Span::raw(head),
                    Span::styled(t.to.word(), health_style(app, t.to)),
                    Span::styled(format!(" {}", cut(&one_line(&t.reason), rest)), app.theme.dim()),
                ])
            })
            .collect()
    };
    let title = format!("status changes (UTC, {})", data.changes.len());
    f.render_widget(Paragraph::new(lines).block(block(app, title)), area);
}

/// Three labels along the session: its first, middle and last sample, as HH:MM:SS UTC
/// (seconds from the first when the wall clock is unknown).
fn time_labels<'a>(data: &GroupData) -> Vec<Span<'a>> {
    let (x0, x1) = data.x;
    let (w0, w1) = data.wall;
    let at = |frac: f64| {
        let secs = (x1 - x0) * frac;
        if w0 > 0 && w1 > 0 {
            clock(w0 + (secs * 1000.0) as i64)
        } else {
            format!("+{}", short_duration(secs))
        }
    };
    vec![Span::raw(at(0.0)), Span::raw(at(0.5)), Span::raw(at(1.0))]
}

fn y_labels<'a>(max: f64, fmt: impl Fn(f64) -> String) -> Vec<Span<'a>> {
    vec![Span::raw(fmt(0.0)), Span::raw(fmt(max / 2.0)), Span::raw(fmt(max))]
}

/// The x axis: the session so far (one sample: a second around it).
fn x_axis<'a>(data: &GroupData) -> Axis<'a> {
    let (x0, x1) = data.x;
    Axis::default().bounds([x0, x1.max(x0 + 1.0)]).labels(time_labels(data))
}

fn top(max: f64) -> f64 {
    if max > 0.0 {
        max * 1.1
    } else {
        1.0
    }
}

fn lag_chart(app: &App, f: &mut Frame, area: Rect, data: &GroupData) {
    let title = format!("lag (messages, {} points)", data.lag.len());
    let y = top(data.lag_max);
    let sets = vec![Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(app.theme.warn())
        .data(&data.lag)];
    let chart = Chart::new(sets).block(block(app, title)).x_axis(x_axis(data)).y_axis(
        Axis::default()
            .bounds([0.0, y])
            .labels(y_labels(y, |v| super::human(v.round() as i64))),
    );
    f.render_widget(chart, area);
}

fn rate_chart(app: &App, f: &mut Frame, area: Rect, data: &GroupData) {
    let y = top(data.rate_max);
    let sets = vec![
        Dataset::default()
            .name("consume")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(app.theme.ok())
            .data(&data.consume),
        Dataset::default()
            .name("produce")
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(app.theme.key())
            .data(&data.produce),
    ];
    // The lines are named in the title: a legend box would hide a small chart.
    let title = Line::from(vec![
        Span::styled(" rates (msg/s) ", app.theme.title()),
        Span::styled(CONSUME_LINE.glyph, app.theme.ok()),
        Span::raw(" "),
        Span::styled(PRODUCE_LINE.glyph, app.theme.key()),
        Span::raw(" "),
    ]);
    let chart = Chart::new(sets)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(app.theme.border())
                .title(title),
        )
        .x_axis(x_axis(data))
        .y_axis(Axis::default().bounds([0.0, y]).labels(y_labels(y, |v| rate(Some(v)))))
        .legend_position(None);
    f.render_widget(chart, area);
}

fn partition_table(app: &App, f: &mut Frame, area: Rect, rows: &[&GroupTopicLag], data: &GroupData) {
    let s = app.screen();
    let widths = [
        Constraint::Min(12),
        Constraint::Length(4),
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Length(7),
        Constraint::Min(12),
        Constraint::Length(10),
    ];
    let header = crate::tui::symbols::names(GROUP_COLUMNS);
    let table = ListTable {
        title: format!(
            "partitions ({} on {})",
            data.parts.len(),
            count(rows.len(), "topic", "topics")
        ),
        header: &header,
        widths: &widths,
        len: data.parts.len(),
        selected: s.selected,
        offset: s.offset,
        focused: true,
        detail: None,
    };
    table.render(app, f, area, |i| {
        let (r, p) = data.parts[i];
        let g = rows[r];
        let p = &g.partitions[p];
        let owner = p
            .owner
            .and_then(|o| g.member_list.get(o))
            .map_or("-".into(), |m| format!("{} @ {}", m.client_id, m.host));
        let lag = match (p.lag, p.lost) {
            (None, _) => "-".into(),
            (Some(l), Some(lost)) => format!("{l} ({lost} lost)"),
            (Some(l), None) => l.to_string(),
        };
        vec![
            Line::from(one_line(&g.topic).into_owned()),
            Line::from(p.partition.to_string()),
            Line::from(p.committed.map_or("-".into(), |c| c.to_string())),
            Line::from(p.log_end.map_or("?".into(), |c| c.to_string())),
            Line::from(lag),
            Line::from(one_line(&owner).into_owned()),
            health_cell(app, p.status),
        ]
    });
}
