//! Popups: help (generated from the key and command tables and from the tables that
//! draw things: health labels, map strokes, badges, column headers) and registry
//! diagnostics.
//!
//! The help wraps its lines to the popup's width and scrolls; what it shows is a pure
//! function of the app state (`Popup::Help { scroll }`).

use crate::core::live::view::Health;
use crate::core::words::wrap;
use crate::tui::command::COMMANDS;
use crate::tui::keys::KEYS;
use crate::tui::state::{App, Popup, Route};
use crate::tui::symbols::{Column, GLOBAL};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// The help's widest popup.
const HELP_WIDTH: u16 = 78;

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2));
    let h = h.min(area.height.saturating_sub(2));
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

/// One part of the help: a heading, or what is shown (a key, symbol or column) and
/// what it means.
enum Part {
    Heading(String),
    Entry(String, Style, String),
}

fn columns(cols: &[Column], extra: &[Column]) -> Vec<Part> {
    cols.iter()
        .chain(extra)
        .map(|c| {
            let name = if c.name.is_empty() { "(blank)" } else { c.name };
            Part::Entry(name.to_string(), Style::default(), c.meaning.to_string())
        })
        .collect()
}

/// Everything the help says on the current screen, in order: keys, commands, the
/// view's columns and marks, health labels, the badges every view may show.
fn parts(app: &App) -> Vec<Part> {
    let t = &app.theme;
    let mut out = vec![Part::Heading("keys".into())];
    out.extend(KEYS.iter().map(|b| Part::Entry(b.keys.into(), t.key(), b.help.into())));
    out.push(Part::Heading("commands".into()));
    out.extend(COMMANDS.iter().map(|(name, aliases, _, what)| {
        let alias = aliases.first().map(|a| format!(" :{a}")).unwrap_or_default();
        Part::Entry(format!(":{name}{alias}"), t.key(), what.to_string())
    }));
    let route = &app.screen().route;
    let view = route.title(&app.data);
    let cols = match route {
        Route::Services => {
            let mut out = columns(super::lists::SERVICE_COLUMNS, &[]);
            out.extend(
                super::connector::legend()
                    .into_iter()
                    .map(|(s, label, what)| Part::Entry(label, super::connector::state_style(app, &s), what.into())),
            );
            out
        }
        Route::Topics => columns(
            super::lists::TOPIC_COLUMNS,
            &[super::lists::TOPIC_DOMAIN, super::lists::TOPIC_TREND],
        ),
        Route::Events => columns(super::lists::EVENT_COLUMNS, &[]),
        Route::Deprecated => columns(super::lists::DEPRECATED_COLUMNS, &[]),
        Route::Lag => {
            let mut out = columns(super::lag::LAG_COLUMNS, &[]);
            out.extend(
                super::lag::LAG_MARKS
                    .iter()
                    .map(|s| Part::Entry(s.glyph.into(), t.warn(), s.meaning.into())),
            );
            out
        }
        Route::Group(_) => {
            let mut out = columns(super::group::GROUP_COLUMNS, &[]);
            out.extend(
                super::group::GROUP_MARKS
                    .iter()
                    .map(|s| Part::Entry(s.glyph.into(), Style::default(), s.meaning.into())),
            );
            out
        }
        Route::Drift => columns(super::drift::DRIFT_COLUMNS, &[]),
        Route::Check => columns(super::check::CHECK_COLUMNS, &[]),
        Route::Stale => columns(super::stale::STALE_COLUMNS, &[]),
        Route::Messages(_) => columns(super::messages::MESSAGE_COLUMNS, &[]),
        Route::Impact(..) => columns(super::impact::IMPACT_COLUMNS, &[]),
        Route::Map => super::map_boxes::legend()
            .into_iter()
            .map(|(sym, what)| Part::Entry(sym, Style::default(), what))
            .collect(),
        Route::Graph(_) => super::graph::legend()
            .into_iter()
            .map(|(sym, what)| Part::Entry(sym, Style::default(), what))
            .collect(),
        Route::Platform | Route::Service(_) | Route::Topic(_) | Route::Event(_) => Vec::new(),
    };
    if !cols.is_empty() {
        let what = match route {
            Route::Map => "on the map",
            Route::Graph(_) => "arrows",
            _ => "columns",
        };
        out.push(Part::Heading(format!("{what} of {view}")));
        out.extend(cols);
    }
    out.push(Part::Heading(
        "health: symbol and word (colour only repeats them)".into(),
    ));
    out.extend(Health::ALL.iter().map(|&h| {
        // The word the filters and `ktopo lag` use, when the label shows another.
        let what = if h.label().contains(h.word()) {
            h.meaning().to_string()
        } else {
            format!("{}: {}", h.word(), h.meaning())
        };
        Part::Entry(h.label().into(), super::map_boxes::health_style(app, h), what)
    }));
    out.push(Part::Heading("marks".into()));
    out.extend(GLOBAL.iter().map(|s| {
        let style = match s.glyph {
            g if g == crate::tui::symbols::DEPRECATED.glyph => t.deprecated(),
            g if g == crate::tui::symbols::PROPOSED.glyph => t.proposed(),
            _ => t.warn(),
        };
        Part::Entry(s.glyph.into(), style, s.meaning.into())
    }));
    out
}

/// A line of a snippet in lines of at most `width` columns: it keeps its own indent
/// (the gutter of `ktopo check`'s output) and wraps after it.
fn wrap_keeping_indent(line: &str, width: usize) -> Vec<String> {
    if line.width() < width {
        return vec![line.to_string()];
    }
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let room = width.saturating_sub(indent.width() + 1).max(8);
    wrap(body, room).into_iter().map(|w| format!("{indent}{w}")).collect()
}

/// The help as lines of at most `width` columns: nothing is cut, long text wraps under
/// its own column.
pub fn help_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let parts = parts(app);
    // The key column: as wide as the widest short key; longer ones take a line alone.
    let key_w = parts
        .iter()
        .filter_map(|p| match p {
            Part::Entry(k, ..) => Some(k.width()),
            Part::Heading(_) => None,
        })
        .filter(|&w| w <= 16)
        .max()
        .unwrap_or(0)
        + 2;
    let text_w = width.saturating_sub(1 + key_w).max(10);
    let mut lines = Vec::new();
    for p in parts {
        match p {
            Part::Heading(h) => {
                if !lines.is_empty() {
                    lines.push(Line::from(""));
                }
                for l in wrap(&h, width.saturating_sub(1)) {
                    lines.push(Line::from(Span::styled(format!(" {l}"), t.header())));
                }
            }
            Part::Entry(k, style, text) => {
                let mut body = wrap(&text, text_w).into_iter();
                let first = body.next().unwrap_or_default();
                if k.width() + 1 > key_w || k.width() + 1 > width.saturating_sub(1) {
                    for kl in wrap(&k, width.saturating_sub(1)) {
                        lines.push(Line::from(Span::styled(format!(" {kl}"), style)));
                    }
                    lines.push(Line::from(format!(" {}{first}", " ".repeat(key_w))));
                } else {
                    let pad = " ".repeat(key_w - k.width());
                    lines.push(Line::from(vec![
                        Span::styled(format!(" {k}"), style),
                        Span::raw(format!("{pad}{first}")),
                    ]));
                }
                for l in body {
                    lines.push(Line::from(format!(" {}{l}", " ".repeat(key_w))));
                }
            }
        }
    }
    lines
}

/// Where the help goes on screen, and its lines for that width.
fn help_layout(app: &App) -> (Rect, Vec<Line<'static>>) {
    let area = app.layout().area;
    let w = HELP_WIDTH.min(area.width.saturating_sub(2));
    let lines = help_lines(app, w.saturating_sub(2) as usize);
    let r = centered(area, w, lines.len() as u16 + 2);
    (r, lines)
}

/// How many lines the help shows at once.
pub fn help_page(app: &App) -> usize {
    help_layout(app).0.height.saturating_sub(2).max(1) as usize
}

/// The furthest the help scrolls: its last line at the bottom.
pub fn help_max_scroll(app: &App) -> usize {
    let (r, lines) = help_layout(app);
    lines.len().saturating_sub(r.height.saturating_sub(2) as usize)
}

pub fn render(app: &App, f: &mut Frame, popup: &Popup) {
    let t = &app.theme;
    match popup {
        Popup::Help { scroll } => {
            let (r, lines) = help_layout(app);
            let page = r.height.saturating_sub(2) as usize;
            let scroll = (*scroll).min(lines.len().saturating_sub(page));
            let below = lines.len().saturating_sub(scroll + page);
            let mut block = Block::default()
                .borders(Borders::ALL)
                .border_style(t.focus_border())
                .title(Span::styled(" help · j/k scroll · any other key closes ", t.title()));
            if below > 0 {
                block = block.title_bottom(Span::styled(format!(" ↓ {below} more "), t.key()));
            }
            if scroll > 0 {
                block = block
                    .title_bottom(Line::from(Span::styled(format!(" ↑ {scroll} above "), t.dim())).right_aligned());
            }
            let shown: Vec<Line> = lines.into_iter().skip(scroll).take(page).collect();
            f.render_widget(Clear, r);
            f.render_widget(Paragraph::new(shown).block(block), r);
        }
        Popup::Finding(text) => {
            let area = app.layout().area;
            let inner = 100u16.min(area.width.saturating_sub(2)).saturating_sub(2) as usize;
            let room = area.height.saturating_sub(4) as usize;
            let mut lines: Vec<Line> = text
                .iter()
                .flat_map(|l| wrap_keeping_indent(l, inner))
                .map(|l| Line::from(format!(" {l}")))
                .collect();
            let cut = lines.len().saturating_sub(room);
            lines.truncate(room);
            let r = centered(area, 100, lines.len() as u16 + 2);
            let mut block = Block::default()
                .borders(Borders::ALL)
                .border_style(t.focus_border())
                .title(Span::styled(" check finding · any key closes ", t.title()));
            if cut > 0 {
                let more = crate::core::words::count(cut, "more line", "more lines");
                block = block.title_bottom(Line::from(Span::styled(
                    format!(" ↓ {more}: ktopo check prints all "),
                    t.warn(),
                )));
            }
            f.render_widget(Clear, r);
            f.render_widget(Paragraph::new(lines).block(block), r);
        }
        Popup::Diagnostics(d) => {
            let area = app.layout().area;
            let inner = 100u16.min(area.width.saturating_sub(2)).saturating_sub(2) as usize;
            let mut lines = vec![
                Line::styled(
                    " The registry on disk has errors; the last good one stays on screen.",
                    t.warn(),
                ),
                Line::from(" Fix the file and it reloads by itself (or press r)."),
                Line::from(""),
            ];
            // Each finding wrapped here, so the popup knows its height and can say
            // what did not fit.
            let room = area.height.saturating_sub(4) as usize;
            let mut shown = 0;
            for l in d {
                let wrapped = wrap(l, inner.saturating_sub(1));
                if lines.len() + wrapped.len() > room {
                    break;
                }
                lines.extend(wrapped.into_iter().map(|w| Line::styled(format!(" {w}"), t.error())));
                shown += 1;
            }
            let h = lines.len() as u16 + 2;
            let r = centered(area, 100, h);
            f.render_widget(Clear, r);
            let mut block = Block::default()
                .borders(Borders::ALL)
                .border_style(t.focus_border())
                .title(Span::styled(" registry not reloaded ", t.title()));
            if shown < d.len() {
                let more = d.len() - shown;
                let more = crate::core::words::count(more, "more error", "more errors");
                block = block.title_bottom(
                    Line::from(Span::styled(format!(" ↓ {more}: ktopo check lists all "), t.warn())).right_aligned(),
                );
            }
            f.render_widget(Paragraph::new(lines).block(block), r);
        }
    }
}
