//! A topic's last messages, as the sampler last read them (the last 10 of each
//! partition, once a minute, without a group): newest first, the selected one in full
//! below. Values are data from outside: shown through `peek::show` and `peek::line`,
//! cut at a size (at a character boundary), and every cut said.

use super::ListTable;
use crate::cluster::kafka::peek::{self, grouped, iso, line, more, show, shown, Header};
use crate::core::registry::TopicId;
use crate::core::sample::message::cut_at;
use crate::tui::state::App;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// Bytes of a value shown in full below the table (the rest is counted).
const SHOWN: usize = 4096;

/// Bytes of a key, a header or a value shown in one line (the rest is counted).
const LINE: usize = 256;

/// A key or a header value on one line: its first `LINE` bytes, and what is not shown
/// of its `len` bytes.
fn one_line(bytes: &[u8], len: usize) -> String {
    let n = cut_at(bytes, LINE);
    shown(line(&bytes[..n]), len.saturating_sub(n))
}

/// A value for the table: its first `LINE` bytes on one line, runs of white space as
/// one (a preview: the value is shown in full below).
fn preview(bytes: &[u8], len: usize) -> String {
    let n = cut_at(bytes, LINE);
    let s = show(&bytes[..n]);
    shown(
        s.split_whitespace().collect::<Vec<_>>().join(" "),
        len.saturating_sub(n),
    )
}

/// The columns of a topic's messages.
pub const MESSAGE_COLUMNS: &[crate::tui::symbols::Column] = &[
    crate::tui::symbols::col("P", "partition"),
    crate::tui::symbols::col("OFFSET", "the message's offset"),
    crate::tui::symbols::col("TIMESTAMP", "when it was produced"),
    crate::tui::symbols::col("KEY", "its key"),
    crate::tui::symbols::col("BYTES", "size of its value"),
    crate::tui::symbols::col("VALUE", "its value, cut to fit"),
];

pub fn render(app: &App, f: &mut Frame, area: Rect, topic: TopicId) {
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
    let header = crate::tui::symbols::names(MESSAGE_COLUMNS);
    ListTable::for_screen(app, title, &header, &widths).render(app, f, parts[0], |i| {
        let m = msgs[s.items.rows()[i]];
        vec![
            Line::from(m.partition.to_string()),
            Line::from(m.offset.to_string()),
            Line::from(m.timestamp_ms.map_or("-".into(), iso)),
            Line::from(m.key.as_ref().map_or("-".into(), |k| one_line(&k.bytes, k.len))),
            Line::from(m.value_len.to_string()),
            Line::from(
                m.value
                    .as_deref()
                    .map_or("(tombstone)".into(), |v| preview(v, m.value_len)),
            ),
        ]
    });
    let Some(m) = s.items.rows().get(s.selected).and_then(|&i| msgs.get(i)) else {
        f.render_widget(
            Paragraph::new("nothing to show").block(Block::default().borders(Borders::ALL)),
            parts[1],
        );
        return;
    };
    let mut lines: Vec<Line> = Vec::new();
    if let Some(k) = &m.key {
        lines.push(Line::from(vec![
            Span::styled("key ", app.theme.header()),
            Span::raw(one_line(&k.bytes, k.len)),
        ]));
    }
    if let Some(schema) = &m.schema {
        // The value below is the record this schema decoded, shown as JSON.
        lines.push(Line::from(vec![
            Span::styled("schema ", app.theme.header()),
            Span::raw(crate::core::visible::one_line(schema).into_owned()),
        ]));
    }
    for h in &m.headers {
        lines.push(match h {
            Header::Kept(k, v) => Line::from(vec![
                Span::styled(
                    format!("{} ", shown(peek::name(&k.bytes), k.more())),
                    app.theme.header(),
                ),
                Span::raw(v.as_ref().map_or("-".into(), |v| one_line(&v.bytes, v.len))),
            ]),
            Header::NotKept(n) => Line::styled(format!("… {} more headers not kept", grouped(*n)), app.theme.dim()),
        });
    }
    let mut cut = String::new();
    match &m.value {
        None => lines.push(Line::from("(no value: a tombstone)")),
        Some(v) => {
            let n = cut_at(v, SHOWN);
            lines.extend(show(&v[..n]).lines().map(|l| Line::from(l.to_string())));
            if m.value_len > n {
                // In the title too: a long value runs past the bottom of the pane.
                cut = format!("{} not shown", more(m.value_len - n));
                lines.push(Line::styled(cut.trim_start().to_string(), app.theme.dim()));
                cut = format!(" ·{cut}");
            }
        }
    }
    let title = format!(
        " partition {} · offset {}{cut} · y copies the value ",
        m.partition, m.offset
    );
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
