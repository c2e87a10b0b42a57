//! A Kafka Connect connector in the TUI, from the live picture's last Connect read:
//! its rolled-up state for the services list, and its facts for the service detail
//! (class, type, state, each task with its worker, the failed trace's first lines,
//! its topics on the cluster against the registry's, a sink's group). Every word a
//! worker sent is hostile: made visible (`core::visible`) and cut.

use crate::core::connectors::live::Lookup;
use crate::core::connectors::{Connector, Health, State, Topics};
use crate::core::registry::model::ConnectorFacts;
use crate::core::registry::pattern::Pattern;
use crate::core::registry::ServiceId;
use crate::core::visible::one_line;
use crate::core::words::{count, cut};
use crate::tui::state::App;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Lines of a failed trace's exceptions shown in the detail; the rest is counted.
pub const TRACE_LINES: usize = 14;
/// Characters of one trace line kept (a line of a hostile trace can be any length).
const TRACE_LINE_CHARS: usize = 500;

/// What the live picture knows of the connector node `si` (None: not a connector, or
/// no Connect read yet).
fn lookup(app: &App, si: ServiceId) -> Option<(&ConnectorFacts, Lookup<'_>)> {
    let svc = &app.data.reg.services[si];
    let facts = svc.connector.as_ref()?;
    let live = app.live.as_ref()?.connect.as_ref()?;
    Some((facts, live.lookup(&svc.key, facts.connect.as_deref())))
}

pub fn state_style(app: &App, s: &State) -> Style {
    match s {
        State::Running => app.theme.ok(),
        State::Paused | State::Stopped | State::Restarting | State::Unassigned => app.theme.warn(),
        State::Failed | State::Unknown(_) => app.theme.error(),
    }
}

/// What the services list's HEALTH says of a connector, for the help legend.
pub fn legend() -> Vec<(State, String, &'static str)> {
    [
        (State::Running, "connector: it and every task run"),
        (
            State::Failed,
            "connector: it or a task failed (the detail shows the trace)",
        ),
        (State::Unassigned, "connector: a task on no worker, or no task at all"),
        (State::Stopped, "connector: stopped (KIP-875)"),
        (State::Paused, "connector: paused"),
        (State::Restarting, "connector: restarting"),
    ]
    .into_iter()
    .map(|(s, what)| {
        let label = s.label();
        (s, label, what)
    })
    .chain([
        (
            State::Failed,
            "∅ ABSENT".to_string(),
            "connector: on no Connect cluster read",
        ),
        (
            State::Paused,
            "? UNREAD".to_string(),
            "connector: its Connect cluster could not be read",
        ),
    ])
    .collect()
}

/// The services list's HEALTH cell of a connector node (None: not a connector, or no
/// Connect cluster read for it: a sink's group status then stands in).
pub fn health_cell(app: &App, si: ServiceId) -> Option<Line<'static>> {
    Some(match lookup(app, si)?.1 {
        Lookup::NoCluster => return None,
        Lookup::Found { connector, .. } => {
            let s = connector.rolled_up();
            Line::from(Span::styled(s.label(), state_style(app, &s)))
        }
        Lookup::Missing => Line::from(Span::styled("∅ ABSENT", app.theme.error())),
        Lookup::Unread(_) => Line::from(Span::styled("? UNREAD", app.theme.warn())),
    })
}

/// The connector's facts for the service detail, in `field`'s label style.
pub fn facts(app: &App, si: ServiceId, field: &dyn Fn(&str, String) -> Line<'static>, lines: &mut Vec<Line<'static>>) {
    let svc = &app.data.reg.services[si];
    let Some(facts) = &svc.connector else { return };
    lines.push(Line::from(""));
    lines.push(Line::styled("kafka connect", app.theme.header()));
    let declared_class = facts.class.clone().unwrap_or_else(|| "—".into());
    lines.push(field("declared", format!("{} · {declared_class}", facts.kind.word())));
    let Some((_, found)) = lookup(app, si) else {
        let why = if app.live.is_some() {
            "not read yet, or no Connect cluster (--connect [NAME=]URL; read every 30 s)"
        } else {
            "no live data"
        };
        lines.push(field("state", why.into()));
        return;
    };
    let (c, read, since_ms) = match found {
        Lookup::Found {
            connector,
            read,
            since_ms,
        } => (connector, read, since_ms),
        Lookup::Missing => {
            lines.push(Line::from(Span::styled(
                format!("{:<12}∅ not on any Connect cluster read", "state"),
                app.theme.error(),
            )));
            return;
        }
        Lookup::Unread(why) => {
            lines.push(field("state", format!("? Connect cluster unread: {}", shown(why, 200))));
            return;
        }
        Lookup::NoCluster => {
            let on = facts.connect.as_deref().unwrap_or("");
            lines.push(field(
                "state",
                format!("no --connect names its Connect cluster `{}`", shown(on, 60)),
            ));
            return;
        }
    };
    let class = c.class.as_deref().map_or("—".into(), |k| shown(k, 120));
    lines.push(field("runs as", format!("{} · {class}", c.kind.word())));
    let rolled = c.rolled_up();
    let mut state = vec![
        Span::styled(format!("{:<12}", "state"), app.theme.header()),
        Span::styled(rolled.label(), state_style(app, &rolled)),
    ];
    if let Health::Unhealthy(why) = c.health() {
        state.push(Span::raw(format!(": {}", why.join("; "))));
    }
    if let Some(ms) = since_ms {
        state.push(Span::raw(format!(" · seen since {}", crate::core::time::clock(ms))));
    }
    lines.push(Line::from(state));
    let age = app
        .live
        .as_ref()
        .and_then(|l| l.connect.as_ref().zip(l.wall_ms))
        .map(|(c, now)| format!(" · read {} ago", crate::core::time::ago((now - c.read_at_ms).max(0))))
        .unwrap_or_default();
    lines.push(field(
        "connect",
        format!("{} ({}){age}", shown(&read.name, 60), shown(&read.url, 120)),
    ));
    if let Some(w) = &c.worker {
        lines.push(field("worker", shown(w, 120)));
    }
    tasks(app, c, lines);
    trace(app, c, lines);
    topics(c, facts, field, lines);
    group(app, c, field, lines);
}

fn tasks(app: &App, c: &Connector, lines: &mut Vec<Line<'static>>) {
    let total = c.tasks.len() + c.tasks_dropped;
    lines.push(Line::styled(format!("tasks ({total})"), app.theme.header()));
    for t in &c.tasks {
        lines.push(Line::from(vec![
            Span::raw(format!("  {:<4}", t.id)),
            Span::styled(format!("{:<11}", t.state.label()), state_style(app, &t.state)),
            Span::raw(t.worker.as_deref().map_or("no worker".into(), |w| shown(w, 120))),
        ]));
    }
    if c.tasks_dropped > 0 {
        lines.push(Line::from(format!(
            "  … {} more not kept",
            count(c.tasks_dropped, "task", "tasks")
        )));
    }
}

/// Whether a trace line is a stack frame (`at …`, `... 11 more`), not an exception or
/// its message.
fn is_frame(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with("at ") || (l.starts_with("... ") && l.ends_with(" more"))
}

/// The first failed trace: its exceptions and their messages (the first line and every
/// `Caused by:`, which say what went wrong), at most `TRACE_LINES`, each made visible
/// and cut; the stack frames are counted, not shown (a terminal line of frames says
/// little, and `ktopo connectors --json` has the whole).
fn trace(app: &App, c: &Connector, lines: &mut Vec<Line<'static>>) {
    let (whose, t) = match (&c.trace, c.tasks.iter().find(|t| t.trace.is_some())) {
        (Some(t), _) => ("the connector".to_string(), t),
        (None, Some(task)) => (format!("task {}", task.id), task.trace.as_ref().expect("found")),
        (None, None) => return,
    };
    let all: Vec<&str> = t.text.lines().filter(|l| !l.trim().is_empty()).collect();
    let said: Vec<&str> = all.iter().copied().filter(|l| !is_frame(l)).collect();
    let frames = all.len() - said.len();
    let more = said.len().saturating_sub(TRACE_LINES);
    let mut left_out = Vec::new();
    if frames > 0 {
        left_out.push(count(frames, "stack frame", "stack frames"));
    }
    if more > 0 {
        left_out.push(count(more, "more line", "more lines"));
    }
    if t.cut_bytes > 0 {
        left_out.push(format!("{} bytes past the cap", t.cut_bytes));
    }
    let title = if left_out.is_empty() {
        format!("trace of {whose}")
    } else {
        format!(
            "trace of {whose} ({} not shown: `ktopo connectors --json` has them)",
            left_out.join(", ")
        )
    };
    lines.push(Line::styled(title, app.theme.header()));
    for l in said.iter().take(TRACE_LINES) {
        // Tabs as two spaces keep the trace's shape, visibly.
        let l = l.replace('\t', "  ");
        lines.push(Line::styled(
            format!("  {}", shown(l.trim_end(), TRACE_LINE_CHARS)),
            app.theme.error(),
        ));
    }
    if more > 0 {
        lines.push(Line::styled(
            format!("  … {}", count(more, "more line", "more lines")),
            app.theme.dim(),
        ));
    }
}

/// The topics the cluster says it uses against those the registry declares for it.
fn topics(
    c: &Connector,
    facts: &ConnectorFacts,
    field: &dyn Fn(&str, String) -> Line<'static>,
    lines: &mut Vec<Line<'static>>,
) {
    let declared: Vec<Pattern> = facts.topics.iter().filter_map(|t| Pattern::parse(t).ok()).collect();
    let (used, whence): (&[String], &str) = match &c.topics {
        Topics::Used(t) => (t, "in use"),
        Topics::NotServed(why) | Topics::Unread(why) if c.config_topics.is_empty() => {
            lines.push(field("topics", format!("unknown: {}", shown(why, 160))));
            (&[], "")
        }
        _ => (&c.config_topics, "configured"),
    };
    if !whence.is_empty() {
        let names: Vec<String> = used.iter().take(20).map(|t| shown(t, 80)).collect();
        let rest = used.len().saturating_sub(20);
        let rest = if rest > 0 {
            format!(", … {rest} more")
        } else {
            String::new()
        };
        let list = if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        };
        lines.push(field("topics", format!("{whence}: {list}{rest}")));
        let undeclared: Vec<String> = used
            .iter()
            .filter(|t| !declared.iter().any(|p| p.matches(t)))
            .take(20)
            .map(|t| shown(t, 80))
            .collect();
        if !undeclared.is_empty() {
            lines.push(field("≠ registry", format!("not declared: {}", undeclared.join(", "))));
        }
    }
    let declared_words: Vec<String> = facts.topics.iter().map(|t| shown(t, 80)).collect();
    lines.push(field("declared", declared_words.join(", ")));
    if !whence.is_empty() {
        let unused: Vec<&String> = facts
            .topics
            .iter()
            .filter(|t| !t.contains('*') && !used.contains(t))
            .collect();
        if !unused.is_empty() {
            let w: Vec<String> = unused.iter().map(|t| shown(t, 80)).collect();
            lines.push(field("≠ cluster", format!("declared, not {whence}: {}", w.join(", "))));
        }
    }
}

/// A sink's consumer group: its lag and worst status over its topics.
fn group(app: &App, c: &Connector, field: &dyn Fn(&str, String) -> Line<'static>, lines: &mut Vec<Line<'static>>) {
    let Some(g) = c.group() else { return };
    let rows: Vec<&crate::core::live::view::GroupTopicLag> = app
        .live
        .as_ref()
        .map(|l| l.groups.iter().filter(|r| r.group == g).collect())
        .unwrap_or_default();
    let Some(worst) = rows.iter().map(|r| r.status).max() else {
        lines.push(field("group", format!("{} · not seen on the cluster", shown(&g, 120))));
        return;
    };
    // Broker-supplied: saturating, as every sum of lags in the TUI.
    let lag = rows
        .iter()
        .filter_map(|r| r.total_lag)
        .fold(0i64, |a, l| a.saturating_add(l));
    lines.push(Line::from(vec![
        Span::styled(format!("{:<12}", "group"), app.theme.header()),
        Span::raw(format!(
            "{} · lag {lag} on {} · ",
            shown(&g, 120),
            count(rows.len(), "topic", "topics")
        )),
        Span::styled(worst.label(), super::map_boxes::health_style(app, worst)),
    ]));
}

fn shown(s: &str, max: usize) -> String {
    cut(&one_line(s), max)
}
