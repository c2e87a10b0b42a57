//! `render(&App)`: draws the whole screen from state. No I/O, no clock, no locks.

use super::layout::{MIN_HEIGHT, MIN_WIDTH};
use super::state::{App, Mode, Route};
use super::views;
use ratatui::layout::Alignment;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame) {
    let l = app.layout();
    if l.too_small() {
        let msg = format!(
            "terminal too small: {}x{}\nktopo needs at least {MIN_WIDTH}x{MIN_HEIGHT}\nenlarge the window, or press q to quit",
            l.area.width, l.area.height
        );
        f.render_widget(Paragraph::new(msg).alignment(Alignment::Center), l.area);
        return;
    }
    header(app, f);
    let body = l.body;
    match &app.screen().route {
        Route::Services => views::lists::services(app, f, body),
        Route::Topics => views::lists::topics(app, f, body),
        Route::Events => views::lists::events(app, f, body),
        Route::Event(e) => views::detail::event(app, f, body, e),
        Route::Deprecated => views::lists::deprecated(app, f, body),
        Route::Lag => views::lag::render(app, f, body),
        Route::Drift => views::drift::render(app, f, body),
        Route::Check => views::check::render(app, f, body),
        Route::Stale => views::stale::render(app, f, body),
        Route::Map => views::map::render(app, f, body),
        Route::Messages(t) => views::messages::render(app, f, body, *t),
        Route::Platform => views::platform::render(app, f, body),
        Route::Service(i) => views::detail::service(app, f, body, *i),
        Route::Topic(i) => views::detail::topic(app, f, body, *i),
        Route::Impact(..) => views::impact::render(app, f, body),
        Route::Graph(n) => views::graph::render(app, f, body, *n),
        Route::Group(_) => views::group::render(app, f, body),
    }
    status(app, f);
    footer(app, f);
    if app.mode == Mode::Command {
        command_list(app, f);
    }
    if let Some(p) = &app.popup {
        views::popup::render(app, f, p);
    }
    // Registry and cluster text may carry control characters: never to the terminal.
    crate::core::visible::buffer(f.buffer_mut());
}

fn header(app: &App, f: &mut Frame) {
    let t = &app.theme;
    let area = app.layout().header;
    let crumbs: Vec<String> = app.stack.iter().map(|s| s.route.title(&app.data)).collect();
    let name = app.data.reg.platform.name.as_deref().unwrap_or("registry");
    // The broker's side gets what the first crumb leaves (an unreachable broker's
    // reason is cut to fit, not the crumbs).
    let first = crumbs.first().map_or(0, |c| c.chars().count());
    let room = (area.width as usize).saturating_sub(name.chars().count() + first + 12);
    let broker = broker_label(app, room);
    let mut crumb = crumbs.join(" › ");
    let room = (area.width as usize).saturating_sub(name.len() + broker.chars().count() + 12);
    if crumb.chars().count() > room {
        let skip = crumb.chars().count() - room + 1;
        crumb = format!("…{}", crumb.chars().skip(skip).collect::<String>());
    }
    let left = Line::from(vec![
        Span::styled(" ktopo ", t.title()),
        Span::styled(format!("{name} "), t.dim()),
        Span::raw("› "),
        Span::styled(crumb, t.header()),
    ]);
    f.render_widget(Paragraph::new(left), area);
    let style = if app.live_stale() || app.live.as_ref().is_some_and(|l| !l.errors.is_empty()) {
        t.warn()
    } else if app.live.is_some() {
        t.ok()
    } else {
        t.dim()
    };
    f.render_widget(
        Paragraph::new(Span::styled(broker, style)).alignment(Alignment::Right),
        area,
    );
}

/// "● demo cluster · 2s ago · 8 ms" or "○ offline", in about `room` characters when it
/// has a reason to cut.
pub fn broker_label(app: &App, room: usize) -> String {
    let label = cluster_label(app, room);
    // A chosen drift environment (the context's) is said with the context.
    let env = match (&app.context, app.setting.environment_chosen) {
        (Some(_), true) => format!(" env {}", crate::core::visible::one_line(&app.setting.environment)),
        _ => String::new(),
    };
    match &app.context {
        Some(c) => format!("ctx {}{env} · {label}", crate::core::visible::one_line(c)),
        None => label,
    }
}

fn cluster_label(app: &App, room: usize) -> String {
    match &app.live {
        None if app.live_stopped.is_some() => "○ live data STOPPED (internal error) ".into(),
        None => format!("○ broker: {} ", app.broker_note),
        // No sample has succeeded yet: say so, and why, rather than an age.
        Some(l) if app.setting.samples == 0 && !l.sampled() => match l.errors.first() {
            Some(e) => {
                let head = format!("○ cannot reach {}", l.source);
                let left = room.saturating_sub(head.chars().count() + 3);
                if left < 8 {
                    format!("{head} ")
                } else {
                    let why = crate::core::words::cut(&crate::core::visible::one_line(e), left);
                    format!("{head}: {why} ")
                }
            }
            None => format!("○ connecting to {}… ", l.source),
        },
        Some(l) => {
            let age = app.live_age().map(|a| format!(" · {a:.0}s ago")).unwrap_or_default();
            let ms = l.sample_ms.map(|m| format!(" · {m} ms")).unwrap_or_default();
            let stale = if app.live_stopped.is_some() {
                " · STOPPED"
            } else if app.live_stale() {
                " · STALE"
            } else {
                ""
            };
            let err = if l.errors.is_empty() {
                String::new()
            } else {
                format!(" · {}", crate::core::words::count(l.errors.len(), "error", "errors"))
            };
            format!("● {}{age}{ms}{stale}{err} ", l.source)
        }
    }
}

fn status(app: &App, f: &mut Frame) {
    let t = &app.theme;
    let area = app.layout().status;
    let s = app.screen();
    let reg = &app.data.reg;
    use crate::core::words::count;
    // At 80 columns the drift and check counts matter more than the registry's
    // breakdown (`:deprecated` and `:events` have it).
    let narrow = area.width < 100;
    let summary = if narrow {
        format!(
            " {} · {} ",
            count(reg.services.len(), "service", "services"),
            count(reg.count(crate::core::registry::Status::Active), "topic", "topics"),
        )
    } else {
        format!(
            " {} · {} ({} deprecated, {} proposed) · {} ",
            count(reg.services.len(), "service", "services"),
            count(reg.count(crate::core::registry::Status::Active), "topic", "topics"),
            reg.count(crate::core::registry::Status::Deprecated),
            reg.count(crate::core::registry::Status::Proposed),
            count(app.data.events.len(), "event", "events")
        )
    };
    let mut spans = vec![Span::styled(summary, t.dim())];
    let cmd = |c: &str| if narrow { String::new() } else { format!(" (:{c})") };
    if !s.filter.is_empty() {
        let err = s.filter.error.as_deref().map(|e| format!(" ({e})")).unwrap_or_default();
        spans.push(Span::styled(
            format!(
                " /{} → {}{err} ",
                s.filter.text,
                count(s.items.len(), "match", "matches")
            ),
            t.warn(),
        ));
    }
    if let Some(m) = &app.message {
        spans.push(Span::styled(format!(" {m}"), t.key()));
    } else if let Some(e) = app.live.as_ref().and_then(|l| l.errors.first()) {
        spans.push(Span::styled(format!(" ✗ {e}"), t.error()));
    }
    // After messages and errors, which matter more when the line is short.
    if let Some(d) = &app.joined.drift {
        let (e, w) = (
            d.report.count(crate::core::diag::Severity::Error),
            d.report.count(crate::core::diag::Severity::Warning),
        );
        if e + w > 0 {
            spans.push(Span::styled(
                format!(
                    "  drift: {}, {}{}",
                    count(e, "error", "errors"),
                    count(w, "warning", "warnings"),
                    cmd("drift")
                ),
                t.warn(),
            ));
        }
    }
    // The registry's own checks: warnings stay on screen until the file is fixed.
    let (e, w) = app.data.checks.iter().fold((0, 0), |(e, w), c| match c.severity {
        crate::core::diag::Severity::Error => (e + 1, w),
        crate::core::diag::Severity::Warning => (e, w + 1),
        crate::core::diag::Severity::Note => (e, w),
    });
    if e + w > 0 {
        let what = match (e, w) {
            (0, w) => count(w, "warning", "warnings"),
            (e, 0) => count(e, "error", "errors"),
            (e, w) => format!("{}, {}", count(e, "error", "errors"), count(w, "warning", "warnings")),
        };
        spans.push(Span::styled(format!("  check: {what}{}", cmd("check")), t.warn()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn footer(app: &App, f: &mut Frame) {
    let t = &app.theme;
    let area = app.layout().footer;
    let line = match app.mode {
        Mode::Filter => {
            let mut spans = vec![Span::styled("/", t.key())];
            spans.extend(prompt_spans(app));
            Line::from(spans)
        }
        Mode::Command => {
            let comp = super::command::completions(&app.command_line.text(), &app.data.targets);
            let hint = if comp.len() > 1 {
                let shown: Vec<&str> = comp.iter().take(6).map(String::as_str).collect();
                format!("   [{}{}]", shown.join(" "), if comp.len() > 6 { " …" } else { "" })
            } else {
                String::new()
            };
            let mut spans = vec![Span::styled(":", t.key())];
            spans.extend(prompt_spans(app));
            spans.push(Span::styled(hint, t.dim()));
            Line::from(spans)
        }
        Mode::Normal => {
            let keys: &[(&str, &str)] = match app.screen().route {
                Route::Graph(_) => &[("←→↑↓", "move"), ("⏎", "centre"), ("i", "impact"), ("esc", "back")],
                Route::Impact(..) => &[
                    ("⏎", "open"),
                    ("d", "direction"),
                    ("0-9", "depth"),
                    ("v", "graph"),
                    ("esc", "back"),
                ],
                Route::Map => &[
                    ("←→", "along edges"),
                    ("↑↓", "column"),
                    ("f", "focus"),
                    ("+-", "zoom"),
                    ("⇧←→", "pan"),
                    ("⏎", "open"),
                ],
                Route::Messages(_) => &[("↑↓", "message"), ("y", "copy value"), ("esc", "back")],
                Route::Lag => &[("⏎", "group"), ("o", "service"), ("tab", "partitions"), ("/", "filter")],
                Route::Group(_) => &[("↑↓", "partitions"), ("o", "service"), ("y", "copy"), ("esc", "back")],
                Route::Service(_) => &[
                    ("tab", "pane"),
                    ("⏎", "open"),
                    ("c", "group"),
                    ("i", "impact"),
                    ("v", "graph"),
                ],
                Route::Topic(_) => &[
                    ("tab", "pane"),
                    ("⏎", "open"),
                    ("c", "group"),
                    ("i", "impact"),
                    ("v", "graph"),
                    ("m", "migration"),
                    ("M", "msgs"),
                ],
                _ => &[("⏎", "open"), ("/", "filter"), ("i", "impact"), ("v", "graph")],
            };
            let mut spans = Vec::new();
            for (k, what) in keys.iter().chain(&[(":", "cmd"), ("?", "help"), ("q", "quit")]) {
                spans.push(Span::styled(format!(" {k}"), t.key()));
                spans.push(Span::raw(format!(" {what} ")));
            }
            Line::from(spans)
        }
    };
    f.render_widget(Paragraph::new(line), area);
}

/// The line being typed with its cursor (a reversed cell), control characters made
/// visible (a paste can carry them).
fn prompt_spans(app: &App) -> Vec<Span<'static>> {
    let line = app.line();
    let chars: Vec<char> = line.text().chars().collect();
    let at = line.cursor().min(chars.len());
    let show = |c: &[char]| crate::core::visible::escape(&c.iter().collect::<String>()).into_owned();
    let under = chars.get(at).map_or(" ".to_string(), |c| show(std::slice::from_ref(c)));
    vec![
        Span::raw(show(&chars[..at])),
        Span::styled(
            under,
            ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::REVERSED),
        ),
        Span::raw(show(chars.get(at + 1..).unwrap_or_default())),
    ]
}

/// While a command's name is typed: the commands it may become, with their aliases
/// and what they do, in a box over the bottom of the body (from the one command table).
fn command_list(app: &App, f: &mut Frame) {
    let typed = app.command_line.text();
    let word = typed.trim_start();
    if word.contains(char::is_whitespace) {
        return;
    }
    let rows: Vec<Line> = super::command::COMMANDS
        .iter()
        .filter(|(name, aliases, ..)| name.starts_with(word) || aliases.iter().any(|a| a.starts_with(word)))
        .map(|(name, aliases, target, what)| {
            let target = if *target { " [target]" } else { "" };
            let aliases = if aliases.is_empty() {
                String::new()
            } else {
                format!(" ({})", aliases.join(" "))
            };
            Line::from(vec![
                Span::styled(format!(":{name}"), app.theme.key()),
                Span::styled(format!("{target}{aliases}"), app.theme.dim()),
                Span::raw(format!("  {what}")),
            ])
        })
        .collect();
    let body = app.layout().body;
    if rows.is_empty() || body.height < 4 {
        return;
    }
    let shown = rows.len().min(body.height as usize - 2);
    let height = shown as u16 + 2;
    let area = ratatui::layout::Rect::new(body.x, body.y + body.height - height, body.width, height);
    let more = rows.len() - shown;
    let title = if more > 0 {
        format!(" commands · {more} more ")
    } else {
        " commands ".to_string()
    };
    let block = ratatui::widgets::Block::default()
        .borders(ratatui::widgets::Borders::ALL)
        .border_style(app.theme.border())
        .title(title);
    f.render_widget(ratatui::widgets::Clear, area);
    f.render_widget(
        Paragraph::new(rows.into_iter().take(shown).collect::<Vec<_>>()).block(block),
        area,
    );
}
