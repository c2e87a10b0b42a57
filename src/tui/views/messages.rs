//! A topic's last messages, as the sampler last read them (the last 10 of each
//! partition, once a minute, without a group): newest first, the selected one in full
//! below. Values are data from outside: shown through `peek::show`, cut at a size.

use super::ListTable;
use crate::kafka::peek::{iso, show};
use crate::tui::app::App;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Wrap};
use ratatui::Frame;

/// Bytes of a value shown in full below the table (the rest is counted).
const SHOWN: usize = 4096;

/// One line of a value for the table.
fn preview(bytes: &[u8]) -> String {
    let s = show(&bytes[..bytes.len().min(256)]);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn render(app: &App, f: &mut Frame, area: Rect, topic: usize) {
    let name = &app.data.reg.topics[topic].name;
    let msgs = app.messages(topic);
    let s = app.screen();
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Percentage(45), Constraint::Min(5)])
        .split(area);
    let source = match &app.live {
        None => format!("no live data ({})", app.broker_note),
        Some(l) if l.tails.is_none() => "not sampled yet (the first read comes with the third sample)".into(),
        Some(_) => "the last 10 of each partition, read once a minute without a group".into(),
    };
    let title = format!("messages of {name} ({}) · {source}", msgs.len());
    let widths = [
        Constraint::Length(4),
        Constraint::Length(9),
        Constraint::Length(24),
        Constraint::Length(12),
        Constraint::Length(7),
        Constraint::Min(20),
    ];
    let header = ["P", "OFFSET", "TIMESTAMP", "KEY", "BYTES", "VALUE"];
    ListTable::for_screen(app, title, &header, &widths).render(app, f, parts[0], |i| {
        let m = msgs[s.items[i]];
        vec![
            Cell::from(m.partition.to_string()),
            Cell::from(m.offset.to_string()),
            Cell::from(m.timestamp_ms.map_or("-".into(), iso)),
            Cell::from(m.key.as_deref().map_or("-".into(), preview)),
            Cell::from(m.value_len.to_string()),
            Cell::from(m.value.as_deref().map_or("(tombstone)".into(), preview)),
        ]
    });
    let Some(m) = s.items.get(s.selected).and_then(|&i| msgs.get(i)) else {
        f.render_widget(
            Paragraph::new("nothing to show").block(Block::default().borders(Borders::ALL)),
            parts[1],
        );
        return;
    };
    let mut lines: Vec<Line> = Vec::new();
    for (k, v) in &m.headers {
        let v = v.as_deref().map_or("-".into(), preview);
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", crate::visible::escape(k)), app.theme.header()),
            Span::raw(v),
        ]));
    }
    match &m.value {
        None => lines.push(Line::from("(no value: a tombstone)")),
        Some(v) => {
            lines.extend(
                show(&v[..v.len().min(SHOWN)])
                    .lines()
                    .map(|l| Line::from(l.to_string())),
            );
            if m.value_len > SHOWN.min(v.len()) {
                lines.push(Line::styled(
                    format!("… {} more bytes not shown", m.value_len - SHOWN.min(v.len())),
                    app.theme.dim(),
                ));
            }
        }
    }
    let title = format!(" partition {} · offset {} · y copies the value ", m.partition, m.offset);
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(app.theme.border())
                .title(title),
        ),
        parts[1],
    );
}
