//! Service and topic detail: facts on the left, linked items in panes on the right.

use super::{health_cell, opt, rate, spark, ListTable};
use crate::core::impact::Dir;
use crate::core::registry::{ServiceId, Status, TopicId};
use crate::core::topology::Node;
use crate::tui::state::{App, Route, FACTS_PANE};
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

fn field(app: &App, name: &str, value: impl Into<String>) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{name:<LABEL$}"), app.theme.header()),
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

/// A domain as people read it: its display name, and the id filters and the registry
/// use (`Runtime Services (runtime)`).
fn domain(app: &App, d: &Option<String>) -> String {
    match d.as_deref() {
        None => "—".into(),
        Some(id) => match app.data.reg.domain_name(id) {
            name if name == id => id.to_string(),
            name => format!("{name} ({id})"),
        },
    }
}

/// The facts of a detail route (title and lines), for drawing and for the
/// furthest its pane scrolls.
fn facts(app: &App, route: &Route) -> Option<(String, Vec<Line<'static>>)> {
    match route {
        Route::Service(i) => Some(service_facts(app, *i)),
        Route::Topic(i) => Some(topic_facts(app, *i)),
        Route::Event(e) => Some(event_facts(app, e)),
        _ => None,
    }
}

/// The width of a field's label: a value wraps under itself, not under its label.
const LABEL: usize = 12;

/// Facts lines in rows of at most `width` columns, so the pane counts its rows and
/// scrolls exactly: a field's value wraps under the value, an indented line (a list
/// item, a line of an example) under its own indent; a word too long is split.
fn hang(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= width {
            out.push(line);
            continue;
        }
        let is_field = line.spans.len() >= 2 && line.spans[0].content.chars().count() == LABEL;
        let (lead, rest, style) = if is_field {
            let rest: String = line.spans[1..].iter().map(|s| s.content.as_ref()).collect();
            (line.spans[0].clone(), rest, line.spans[1].style)
        } else {
            // The indent, and a list item's bullet, lead; the text wraps under them.
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            let body = text.trim_start();
            let mut lead = text[..text.len() - body.len()].to_string();
            let body = match body.strip_prefix("• ") {
                Some(b) => {
                    lead.push_str("• ");
                    b
                }
                None => body,
            };
            let style = line.spans.first().map(|s| s.style).unwrap_or_default();
            (Span::raw(lead), body.to_string(), style)
        };
        let indent = lead.width().min(width / 2);
        for (k, row) in crate::core::words::wrap(&rest, width - indent).into_iter().enumerate() {
            let first = if k == 0 {
                lead.clone()
            } else {
                Span::raw(" ".repeat(indent))
            };
            out.push(Line::from(vec![first, Span::styled(row, style)]).style(line.style));
        }
    }
    out
}

/// The facts as drawn inside a pane of `area`, one line per row.
fn facts_rows(lines: Vec<Line<'static>>, area: Rect) -> Vec<Line<'static>> {
    hang(lines, area.width.saturating_sub(2).max(1) as usize)
}

/// How far the current screen's facts pane scrolls: its last line at the bottom.
pub fn facts_max_scroll(app: &App) -> usize {
    let s = app.screen();
    let Some((_, lines)) = facts(app, &s.route) else {
        return 0;
    };
    let (left, _) = split(app.layout().body);
    let total = facts_rows(lines, left).len();
    total.saturating_sub(left.height.saturating_sub(2) as usize)
}

/// The first column right of the facts pane (for the mouse).
pub fn facts_right_edge(app: &App) -> u16 {
    let (left, _) = split(app.layout().body);
    left.x + left.width
}

/// Rows a page of the facts pane scrolls.
pub fn facts_page(app: &App) -> usize {
    let (left, _) = split(app.layout().body);
    left.height.saturating_sub(3).max(1) as usize
}

/// The left pane of a detail view: its facts, scrolled, saying what is out of sight;
/// Tab focuses it (then the arrows scroll it).
fn facts_pane(app: &App, f: &mut Frame, area: Rect, title: String, lines: Vec<Line<'static>>) {
    let t = &app.theme;
    let s = app.screen();
    let focused = s.pane == FACTS_PANE;
    let rows = facts_rows(lines, area);
    let inner = area.height.saturating_sub(2) as usize;
    let total = rows.len();
    let scroll = s.scroll.min(total.saturating_sub(inner));
    let below = total.saturating_sub(scroll + inner);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { t.focus_border() } else { t.border() })
        .title(Span::styled(format!(" {title} "), t.title()));
    if below > 0 {
        let hint = if focused { "" } else { " · Tab to scroll" };
        block = block.title_bottom(Span::styled(format!(" ↓{below} more{hint} "), t.key()));
    }
    if scroll > 0 {
        block = block.title_bottom(Line::from(Span::styled(format!(" ↑{scroll} above "), t.dim())).right_aligned());
    }
    let shown: Vec<Line> = rows.into_iter().skip(scroll).take(inner).collect();
    f.render_widget(Paragraph::new(shown).block(block), area);
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
                    // The service's own note on this topic (`client self-service`).
                    let note = service_ctx
                        .and_then(|si| t.producers.iter().chain(&t.consumers).find(|e| e.service == si))
                        .and_then(|e| e.note.as_ref())
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default();
                    (format!("{}{mark}{note}", t.name), h)
                }
            };
            // A connector without a group here (a source, a producer link): its state.
            let cell = match (n, health) {
                (Node::Service(si), None) => {
                    super::connector::health_cell(app, si).unwrap_or_else(|| health_cell(app, None))
                }
                _ => health_cell(app, health),
            };
            vec![Line::from(label), cell]
        });
    }
}

pub fn service(app: &App, f: &mut Frame, area: Rect, si: ServiceId) {
    let (left, right) = split(area);
    let (title, lines) = service_facts(app, si);
    facts_pane(app, f, left, title, lines);
    panes(app, f, right, None, Some(si));
}

fn service_facts(app: &App, si: ServiceId) -> (String, Vec<Line<'static>>) {
    let reg = &app.data.reg;
    let svc = &reg.services[si];
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
        field(app, "domain", domain(app, &svc.domain)),
        field(app, "kind", format!("{:?}", svc.kind).to_lowercase()),
        field(
            app,
            "downstream",
            format!(
                "{}, {}",
                crate::core::words::count(ds, "service", "services"),
                crate::core::words::count(dt, "topic", "topics")
            ),
        ),
        field(
            app,
            "upstream",
            format!(
                "{}, {}",
                crate::core::words::count(us, "service", "services"),
                crate::core::words::count(ut, "topic", "topics")
            ),
        ),
    ];
    if let Some(h) = app.live.as_ref().and_then(|l| l.service_worst(&reg.services[si].key)) {
        // A connector's own state is under "kafka connect"; this is its group's.
        let label = if svc.connector.is_some() { "group" } else { "health" };
        lines.push(field(app, label, h.label()));
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
    // A connector node: what its Connect cluster says of it, live.
    super::connector::facts(app, si, &|k, v| field(app, k, v), &mut lines);
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
    (format!("service {}", svc.label()), lines)
}

pub fn topic(app: &App, f: &mut Frame, area: Rect, ti: TopicId) {
    let (left, right) = split(area);
    let (title, lines) = topic_facts(app, ti);
    facts_pane(app, f, left, title, lines);
    panes(app, f, right, Some(ti), None);
}

fn topic_facts(app: &App, ti: TopicId) -> (String, Vec<Line<'static>>) {
    let reg = &app.data.reg;
    let t = &reg.topics[ti];
    let theme = &app.theme;
    let status_style = match t.status {
        Status::Active => Style::default(),
        Status::Deprecated => theme.deprecated(),
        Status::Proposed => theme.proposed(),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{:<12}", "status"), theme.header()),
        Span::styled(t.status.as_str().to_uppercase(), status_style),
    ])];
    if t.domain.is_some() {
        lines.push(field(app, "domain", domain(app, &t.domain)));
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
            "{} · retention {} · replication {} · {}",
            c.partitions
                .map_or("— partitions".into(), |p| crate::core::words::count(
                    p as usize,
                    "partition",
                    "partitions"
                )),
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
    for (k, v) in super::topic_schema::facts(app, ti) {
        lines.push(field(app, k, v));
    }
    if let Some(l) = app.live.as_ref().and_then(|l| l.topics.get(&t.name)) {
        lines.push(field(
            app,
            "live",
            format!(
                "{} msg/s · lag {} · {}",
                rate(l.produce_rate),
                opt(l.total_lag),
                crate::core::words::count(l.partitions, "partition", "partitions")
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
    let groups: Vec<Line> = t
        .consumers
        .iter()
        .filter_map(|c| {
            let g = c.group.as_ref()?;
            // The service, unless the group's name already says it.
            let key = &reg.services[c.service].key;
            let who = if g.contains(key.as_str()) {
                String::new()
            } else {
                format!(" ({key})")
            };
            let mut line = vec![Span::raw(format!("  • {g}{who}"))];
            let live = app.live.as_ref().and_then(|l| l.group_for(key, &t.name));
            line.extend(live.into_iter().flat_map(|g| status_since(app, g)));
            Some(Line::from(line))
        })
        .collect();
    if !groups.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!(
                "{} (c: detail)",
                crate::core::words::count(groups.len(), "consumer group", "consumer groups")
            ),
            theme.header(),
        ));
        lines.extend(groups);
    }
    for u in &t.use_cases {
        lines.push(field(app, "use case", u.clone()));
    }
    for ex in &t.examples {
        example_lines(app, ex, &mut lines);
    }
    (format!("topic {}", t.name), lines)
}

/// An event type: what it means, the topics that carry it, and an example payload
/// (one of those topics' examples that names it, else the first of them).
pub fn event(app: &App, f: &mut Frame, area: Rect, name: &str) {
    let (left, right) = split(area);
    let (title, lines) = event_facts(app, name);
    facts_pane(app, f, left, title, lines);
    panes(app, f, right, None, None);
}

fn event_facts(app: &App, name: &str) -> (String, Vec<Line<'static>>) {
    let reg = &app.data.reg;
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
        Some(ex) => example_lines(app, ex, &mut lines),
        None => lines.push(field(app, "example", "none in the registry")),
    }
    (format!("event {name}"), lines)
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

/// An example payload under its heading, pretty-printed when it is JSON.
fn example_lines(app: &App, ex: &crate::core::registry::model::Example, lines: &mut Vec<Line<'static>>) {
    lines.push(Line::from(""));
    lines.push(Line::styled(format!("example: {}", ex.name), app.theme.header()));
    let pretty = serde_json::from_str::<serde_json::Value>(&ex.json)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| ex.json.clone());
    lines.extend(pretty.lines().map(|l| Line::from(format!("  {l}"))));
}

/// A finding's severity as a symbol (colour is never the only signal).
pub fn drift_mark(s: crate::core::diag::Severity) -> &'static str {
    match s {
        crate::core::diag::Severity::Error => "✗",
        crate::core::diag::Severity::Warning => "▲",
        crate::core::diag::Severity::Note => "·",
    }
}
