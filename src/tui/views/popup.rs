//! Popups: help (generated from the key table) and registry diagnostics.

use crate::tui::command::COMMANDS;
use crate::tui::keys::KEYS;
use crate::tui::state::{App, Popup};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2));
    let h = h.min(area.height.saturating_sub(2));
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

pub fn render(app: &App, f: &mut Frame, popup: &Popup) {
    let t = &app.theme;
    let area = app.layout().area;
    let (title, lines, w) = match popup {
        Popup::Help => {
            // Two columns so the whole table fits an 80x24 terminal.
            // `?` needs no line in the help it opens (and the table fits 80x24).
            let keys = KEYS
                .iter()
                .filter(|b| b.action != crate::tui::keys::Action::Help)
                .map(|b| (format!("{:<10}", b.keys), b.help.to_string()))
                .collect();
            // `:help` needs no line in the help it opens (and the table fits 80x24).
            let cmds = COMMANDS
                .iter()
                .filter(|c| c.0 != "help")
                .map(|(name, aliases, _, what)| {
                    let alias = aliases.first().map(|a| format!(" :{a}")).unwrap_or_default();
                    (format!(":{name}{alias}"), what.to_string())
                })
                .collect();
            let mut lines = two_columns(t, keys, 38);
            lines.push(Line::from(""));
            lines.extend(two_columns(t, cmds, 38));
            ("help · any key closes", lines, 78)
        }
        Popup::Diagnostics(d) => {
            let mut lines = vec![
                Line::styled(
                    " The registry on disk has errors; the last good one stays on screen.",
                    t.warn(),
                ),
                Line::from(" Fix the file and it reloads by itself (or press r)."),
                Line::from(""),
            ];
            lines.extend(d.iter().map(|l| Line::styled(format!(" {l}"), t.error())));
            ("registry not reloaded", lines, 100)
        }
    };
    let h = lines.len() as u16 + 2;
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.focus_border())
        .title(Span::styled(format!(" {title} "), t.title()));
    let para = Paragraph::new(lines).block(block);
    // Help is laid out to fit; diagnostics are long lines that must wrap.
    let para = if matches!(popup, Popup::Help) {
        para
    } else {
        para.wrap(Wrap { trim: false })
    };
    f.render_widget(para, r);
}

/// Lay out (key, text) entries in two columns of `width` characters each.
fn two_columns(t: &crate::tui::theme::Theme, entries: Vec<(String, String)>, width: usize) -> Vec<Line<'static>> {
    let half = entries.len().div_ceil(2);
    let cell = |(k, v): &(String, String)| {
        let text: String = format!(" {v}")
            .chars()
            .take(width.saturating_sub(k.chars().count() + 1))
            .collect();
        let pad = width.saturating_sub(k.chars().count() + 1 + text.chars().count());
        vec![
            Span::styled(format!(" {k}"), t.key()),
            Span::raw(format!("{text}{}", " ".repeat(pad))),
        ]
    };
    (0..half)
        .map(|i| {
            let mut spans = cell(&entries[i]);
            if let Some(r) = entries.get(half + i) {
                spans.extend(cell(r));
            }
            Line::from(spans)
        })
        .collect()
}
