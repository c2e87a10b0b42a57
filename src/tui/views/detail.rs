//! Service and topic detail: facts on the left, linked items in panes on the right.

use super::{health_cell, opt, rate, spark, ListTable};
use crate::core::impact::Dir;
use crate::core::registry::{ServiceId, Status, TopicId};
use crate::core::topology::Node;
use crate::tui::state::App;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Wrap};
use ratatui::Frame;

fn field<'a>(app: &App, name: &'a str, value: impl Into<String>) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{name:<12}"), app.theme.header()),
        Span::raw(value.into()),
    ])
}

fn info(app: &App, f: &mut Frame, area: Rect, title: String, lines: Vec<Line>) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border())
        .title(Span::styled(format!(" {title} "), app.theme.title()));
    f.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}

fn split(area: Rect) -> (Rect, Rect) {
    let c = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
        .split(area);
    (c[0], c[1])
}

/// The link panes of a detail view, stacked, the focused one highlighted.
fn panes(app: &App, f: &mut Frame, area: Rect, topic_ctx: Option<TopicId>, service_ctx: Option<ServiceId>) {
    let s = app.screen();
    let links = app.links(&s.route);
    let shown: Vec<usize> = (0..links.len())
        .filter(|&p| !links[p].1.is_empty() || p == s.pane)
        .collect();
    if shown.is_empty() {
        info(app, f, area, "links".into(), vec![Line::from("nothing linked")]);
        return;
    }
    let constraints: Vec<Constraint> = shown
        .iter()
        .map(|&p| Constraint::Min((links[p].1.len() as u16 + 3).min(8)))
        .collect();
    let rects = Layout::default()
        .direction(Direction::Vertical)
        .constraints(constraints)
        .split(area);
    let reg = &app.data.reg;
    for (k, &p) in shown.iter().enumerate() {
        let (title, nodes) = &links[p];
        let focused = p == s.pane;
        let rows_visible = rects[k].height.saturating_sub(3) as usize;
        let offset = if focused && s.selected >= rows_visible {
            s.selected + 1 - rows_visible
        } else {
            0
        };
        let widths = [Constraint::Min(18), Constraint::Length(9)];
        let table = ListTable {
            title: format!("{title} ({})", nodes.len()),
            header: &["NAME", "HEALTH"],
            widths: &widths,
            len: nodes.len(),
            selected: if focused { s.selected } else { usize::MAX },
            offset,
            focused,
            detail: None,
        };
        table.render(app, f, rects[k], |i| {
            let n = nodes[i];
            let (label, health) = match n {
                Node::Service(si) => {
                    let h = topic_ctx.and_then(|t| {
                        app.live
                            .as_ref()
                            .and_then(|l| l.group_for(&reg.services[si].key, &reg.topics[t].name))
                            .map(|g| g.status)
                    });
                    let note = topic_ctx
                        .and_then(|t| {
                            let topic = &reg.topics[t];
                            topic.producers.iter().chain(&topic.consumers).find(|e| e.service == si)
                        })
                        .and_then(|e| {
                            let via = e.via.as_ref().map(|v| format!("via {v}"));
                            e.note
                                .clone()
                                .or(e.pattern.as_ref().map(|p| format!("pattern {p}")))
                                .or(via)
                        })
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default();
                    (format!("{}{note}", reg.services[si].label()), h)
                }
                Node::Topic(ti) => {
                    let t = &reg.topics[ti];
                    let h = match service_ctx {
                        Some(si) => app
                            .live
                            .as_ref()
                            .and_then(|l| l.group_for(&reg.services[si].key, &t.name))
                            .map(|g| g.status),
                        None => app
                            .live
                            .as_ref()
                            .and_then(|l| l.topics.get(&t.name))
                            .and_then(|l| l.worst),
                    };
                    let mark = match t.status {
                        Status::Active => String::new(),
                        Status::Deprecated => format!(" {}", crate::tui::symbols::DEPRECATED.glyph),
                        Status::Proposed => format!(" {}", crate::tui::symbols::PROPOSED.glyph),
                    };
                    (format!("{}{mark}", t.name), h)
                }
            };
            vec![Cell::from(label), health_cell(app, health)]
        });
    }
}

pub fn service(app: &App, f: &mut Frame, area: Rect, si: ServiceId) {
    let reg = &app.data.reg;
    let svc = &reg.services[si];
    let (left, right) = split(area);
    // Computed when the screen was opened (App::push), not at every frame.
    let imp = app.screen().impact.as_ref();
    let count = |d| {
        let of = |a: &&crate::core::impact::Affected| a.dir == d;
        imp.map_or((0, 0), |i| {
            (i.services().filter(of).count(), i.topics().filter(of).count())
        })
    };
    let (ds, dt) = count(Dir::Downstream);
    let (us, ut) = count(Dir::Upstream);
    let mut lines = vec![
        field(app, "name", svc.name.clone()),
        field(
            app,
            "id · key",
            format!("{} · {}", svc.id.map_or("—".into(), |i| i.to_string()), svc.key),
        ),
        field(app, "domain", svc.domain.clone().unwrap_or("—".into())),
        field(app, "kind", format!("{:?}", svc.kind).to_lowercase()),
        field(app, "downstream", format!("{ds} services, {dt} topics")),
        field(app, "upstream", format!("{us} services, {ut} topics")),
    ];
    if let Some(h) = app.live.as_ref().and_then(|l| l.service_worst(&reg.services[si].key)) {
        lines.push(field(app, "health", h.label()));
    }
    for (k, v) in [
        ("owner", &svc.owner),
        ("on-call", &svc.oncall),
        ("source", &svc.source),
        ("family", &svc.group),
        ("about", &svc.description),
    ] {
        if let Some(v) = v {
            lines.push(field(app, k, v.clone()));
        }
    }
    for sub in &svc.subscriptions {
        lines.push(field(app, "subscribes", format!("pattern {}", sub.pattern)));
    }
    // What the cluster shows against the registry about this service.
    for f in app.joined.drift.iter().flat_map(|d| d.report.for_service(&svc.key)) {
        lines.push(field(app, "drift", format!("{} {}", drift_mark(f.severity), f.message)));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("consumer groups (c: detail)", app.theme.header()));
    for ti in app.data.topo.inputs(si) {
        let t = &reg.topics[ti];
        if let Some(c) = t.consumers.iter().find(|c| c.service == si) {
            let group = c.group.clone().unwrap_or("group unknown".into());
            let live = app
                .live
                .as_ref()
                .and_then(|l| l.group_for(&reg.services[si].key, &t.name));
            let lag = match live {
                Some(g) => format!("  lag {}", opt(g.total_lag)),
                None if !c.commits => "  (offsets kept outside Kafka)".into(),
                None => String::new(),
            };
            let mut line = vec![Span::raw(format!("  {group}{lag}"))];
            line.extend(live.into_iter().flat_map(|g| status_since(app, g)));
            lines.push(Line::from(line));
        }
    }
    info(app, f, left, format!("service {}", svc.label()), lines);
    panes(app, f, right, None, Some(si));
}

pub fn topic(app: &App, f: &mut Frame, area: Rect, ti: TopicId) {
    let reg = &app.data.reg;
    let t = &reg.topics[ti];
    let theme = &app.theme;
    let (left, right) = split(area);
    let status_style = match t.status {
        Status::Active => Style::default(),
        Status::Deprecated => theme.deprecated(),
        Status::Proposed => theme.proposed(),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{:<12}", "status"), theme.header()),
        Span::styled(t.status.as_str().to_uppercase(), status_style),
    ])];
    if let Some(d) = &t.domain {
        lines.push(field(app, "domain", d.clone()));
    }
    for (k, v) in [
        ("owner", &t.owner),
        ("on-call", &t.oncall),
        ("summary", &t.summary),
        ("purpose", &t.purpose),
        ("source", &t.source),
        ("key", &t.key),
    ] {
        if let Some(v) = v {
            lines.push(field(app, k, v.clone()));
        }
    }
    if !t.fields.is_empty() {
        lines.push(field(app, "fields", t.fields.join(", ")));
    }
    if t.audit {
        lines.push(field(app, "audit", "yes (audit retention)"));
    }
    if let Some(m) = &t.message {
        let envelope = if m.envelope.unwrap_or(true) { "envelope + " } else { "" };
        lines.push(field(
            app,
            "messages",
            format!(
                "{envelope}{} · event type in `{}` · producer in `{}`",
                m.required.join(", "),
                m.event_type_field.as_deref().unwrap_or("event_type"),
                m.producer_field.as_deref().unwrap_or("source_service")
            ),
        ));
    }
    // What the cluster shows against the registry, where people look for the topic.
    for f in app.joined.drift.iter().flat_map(|d| d.report.for_topic(&t.name)) {
        lines.push(field(app, "drift", format!("{} {}", drift_mark(f.severity), f.message)));
    }
    if let Some(d) = &t.deprecation {
        lines.push(field(app, "replaced by", format!("{}  (m to jump)", d.replaced_by)));
        for (k, v) in [("reason", &d.reason), ("migration", &d.migration), ("note", &d.status)] {
            if let Some(v) = v {
                lines.push(field(app, k, v.clone()));
            }
        }
        for m in &d.moves {
            let what = if m.events.is_empty() {
                m.note.clone().unwrap_or_default()
            } else {
                m.events.join(", ")
            };
            lines.push(field(app, "moves", format!("{what} → {}", m.to)));
        }
    }
    if let Some(p) = &t.proposal {
        for (k, v) in [("proposal", &p.status), ("decision", &p.decision)] {
            if let Some(v) = v {
                lines.push(field(app, k, v.clone()));
            }
        }
    }
    let replaces = app.data.replaces(ti);
    if !replaces.is_empty() {
        let names: Vec<&str> = replaces.iter().map(|&r| reg.topics[r].name.as_str()).collect();
        lines.push(field(app, "replaces", names.join(", ")));
    }
    let c = &t.config;
    let repl: Vec<String> = c.replication.iter().map(|(k, v)| format!("{v} {k}")).collect();
    lines.push(field(
        app,
        "config",
        format!(
            "{} partitions · retention {} · replication {} · {}",
            c.partitions.map_or("—".into(), |p| p.to_string()),
            c.retention_days.map_or("—".into(), |d| format!("{d}d")),
            if repl.is_empty() { "—".into() } else { repl.join(", ") },
            c.compression.clone().unwrap_or("—".into()),
        ),
    ));
    if !c.overridden.is_empty() {
        lines.push(field(app, "overrides", c.overridden.join(", ")));
    }
    let schema = match &t.schema_note {
        Some(n) => format!("{} ({n})", t.schema_status.to_uppercase()),
        None => t.schema_status.to_uppercase(),
    };
    lines.push(field(app, "schema", schema));
    if let Some(l) = app.live.as_ref().and_then(|l| l.topics.get(&t.name)) {
        lines.push(field(
            app,
            "live",
            format!(
                "{} msg/s · lag {} · {} partitions",
                rate(l.produce_rate),
                opt(l.total_lag),
                l.partitions
            ),
        ));
        lines.push(field(app, "msg/s", spark(&l.rate_history, 30)));
        lines.push(field(app, "lag", spark(&l.lag_history, 30)));
    }
    for (k, v) in &t.tbd {
        lines.push(field(app, "TBD", format!("{k}: {v}")));
    }
    for n in &t.notes {
        lines.push(field(app, "note", n.clone()));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(format!("events ({})", t.events.len()), theme.header()));
    for e in &t.events {
        // `data.events` is sorted by name.
        let others = app
            .data
            .events
            .binary_search_by(|(n, _)| n.as_str().cmp(&e.name))
            .map_or(0, |k| app.data.events[k].1.len().saturating_sub(1));
        let dup = if others > 0 {
            format!("  {} on {} more", crate::tui::symbols::MULTI.glyph, others)
        } else {
            String::new()
        };
        let desc = e.description.as_ref().map(|d| format!(" — {d}")).unwrap_or_default();
        lines.push(Line::from(format!("  • {}{desc}{dup}", e.name)));
    }
    for c in &t.consumers {
        if let Some(g) = &c.group {
            let key = &reg.services[c.service].key;
            let mut line = field(app, "group", format!("{g} ({key})"));
            let live = app.live.as_ref().and_then(|l| l.group_for(key, &t.name));
            line.spans.extend(live.into_iter().flat_map(|g| status_since(app, g)));
            lines.push(line);
        }
    }
    for u in &t.use_cases {
        lines.push(field(app, "use case", u.clone()));
    }
    for ex in &t.examples {
        lines.push(Line::from(""));
        lines.push(Line::styled(format!("example: {}", ex.name), theme.header()));
        let pretty = serde_json::from_str::<serde_json::Value>(&ex.json)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_else(|| ex.json.clone());
        lines.extend(pretty.lines().map(|l| Line::from(format!("  {l}"))));
    }
    info(app, f, left, format!("topic {}", t.name), lines);
    panes(app, f, right, Some(ti), None);
}

/// An event type: what it means, the topics that carry it, and an example payload
/// (one of those topics' examples that names it, else the first of them).
pub fn event(app: &App, f: &mut Frame, area: Rect, name: &str) {
    let reg = &app.data.reg;
    let theme = &app.theme;
    let (left, right) = split(area);
    let topics = app.data.event_topics(name);
    let mut lines = Vec::new();
    let described = topics
        .iter()
        .flat_map(|&t| reg.topics[t].events.iter())
        .find(|e| e.name == name)
        .and_then(|e| e.description.clone());
    if let Some(d) = described {
        lines.push(field(app, "meaning", d));
    }
    for &t in topics {
        let topic = &reg.topics[t];
        lines.push(field(
            app,
            "on topic",
            format!("{} ({})", topic.name, topic.status.as_str()),
        ));
    }
    let quoted = format!("\"{name}\"");
    let example = topics
        .iter()
        .flat_map(|&t| reg.topics[t].examples.iter())
        .find(|ex| ex.json.contains(&quoted))
        .or_else(|| topics.iter().flat_map(|&t| reg.topics[t].examples.iter()).next());
    match example {
        Some(ex) => {
            lines.push(Line::from(""));
            lines.push(Line::styled(format!("example: {}", ex.name), theme.header()));
            let pretty = serde_json::from_str::<serde_json::Value>(&ex.json)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .unwrap_or_else(|| ex.json.clone());
            lines.extend(pretty.lines().map(|l| Line::from(format!("  {l}"))));
        }
        None => lines.push(field(app, "example", "none in the registry")),
    }
    info(app, f, left, format!("event {name}"), lines);
    panes(app, f, right, None, None);
}

/// A group's status and how long it has had it (`:lag`'s FOR), after its line.
fn status_since<'a>(app: &App, g: &crate::core::live::view::GroupTopicLag) -> [Span<'a>; 2] {
    [
        Span::styled(
            format!("  {}", g.status.label()),
            super::map_boxes::health_style(app, g.status),
        ),
        Span::raw(format!(" for {}", crate::core::time::short_duration(g.status_for_s))),
    ]
}

/// A finding's severity as a symbol (colour is never the only signal).
pub fn drift_mark(s: crate::core::diag::Severity) -> &'static str {
    match s {
        crate::core::diag::Severity::Error => "✗",
        crate::core::diag::Severity::Warning => "▲",
        crate::core::diag::Severity::Note => "·",
    }
}
