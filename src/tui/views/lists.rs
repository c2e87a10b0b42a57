//! The browsing lists: services, topics, events, deprecated topics.

use super::{health_cell, opt, rate, spark, ListTable};
use crate::core::registry::Status;
use crate::tui::state::App;
use crate::tui::symbols::{col, names, Column, DEPRECATED, DRIFT, MULTI, PROPOSED};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// The columns of `:services`.
pub const SERVICE_COLUMNS: &[Column] = &[
    col("ID", "the service's number in the registry"),
    col("NAME", "the service (≠N: drift findings)"),
    col("DOMAIN", "the domain it belongs to"),
    col("KIND", "what it is (service, job, connector, ...)"),
    col("PROD", "topics it produces to"),
    col("CONS", "topics it consumes from"),
    col(
        "HEALTH",
        "the worst status of its consumer groups; a connector's state rolled up from its tasks",
    ),
];

/// The columns of `:topics` (DOMAIN and TREND only when the terminal is wide).
pub const TOPIC_COLUMNS: &[Column] = &[
    col("TOPIC", "the topic (≠N: drift findings)"),
    col("STATUS", "active, deprecated or proposed"),
    col("PROD", "declared producers"),
    col("CONS", "declared consumers"),
    col("EV", "event types it carries"),
    col("MSG/S", "messages produced per second (live)"),
    col("LAG", "total lag of its consumer groups (live)"),
    col("HEALTH", "the worst status of its consumer groups"),
];
/// `:topics` on a wide terminal, second column.
pub const TOPIC_DOMAIN: Column = col("DOMAIN", "the topic's domain (wide terminals)");
/// `:topics` on a wide terminal, last column.
pub const TOPIC_TREND: Column = col("TREND", "produce rate over recent samples (wide terminals)");

/// The columns of `:events`.
pub const EVENT_COLUMNS: &[Column] = &[
    col("EVENT", "the event type"),
    col("ON", "how many topics carry it (⚑N: more than one)"),
    col("TOPICS (producers)", "those topics, with their producers' ids"),
];

/// The columns of `:deprecated`.
pub const DEPRECATED_COLUMNS: &[Column] = &[
    col("DEPRECATED", "the deprecated topic"),
    col("→ REPLACED BY", "the topic that replaces it (m jumps there)"),
    col("EVENTS MOVING / REASON", "events moving over, or why it is deprecated"),
    col("LIVE", "still written (▲ N/s), idle since, on cluster or absent"),
    col("MIGRATION", "groups still reading it (▲ N groups) or ✓ done"),
];

pub fn services(app: &App, f: &mut Frame, area: Rect) {
    let reg = &app.data.reg;
    let topo = &app.data.topo;
    let s = app.screen();
    let widths = [
        Constraint::Length(4),
        Constraint::Min(24),
        Constraint::Length(14),
        Constraint::Length(9),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Length(9),
    ];
    let title = format!("services ({})", s.items.len());
    ListTable::for_screen(app, title, &names(SERVICE_COLUMNS), &widths).render(app, f, area, |i| {
        let si = s.items.services()[i];
        let svc = &reg.services[si];
        // A drift badge: findings about this service's groups and topics.
        let drift = app
            .joined
            .drift
            .as_ref()
            .map_or(0, |d| d.on_service.get(si).copied().unwrap_or(0));
        let name = if drift > 0 {
            format!("{} {}{drift}", svc.name, DRIFT.glyph)
        } else {
            svc.name.clone()
        };
        vec![
            Line::from(svc.id.map_or("—".into(), |i| i.to_string())),
            Line::from(name),
            Line::from(
                svc.domain
                    .as_deref()
                    .map_or("", |d| app.data.reg.domain_name(d))
                    .to_string(),
            ),
            Line::from(format!("{:?}", svc.kind).to_lowercase()),
            Line::from(topo.outputs(si).len().to_string()),
            Line::from(topo.inputs(si).len().to_string()),
            // A connector's own state (from its tasks); a service's, its groups'.
            super::connector::health_cell(app, si).unwrap_or_else(|| {
                health_cell(
                    app,
                    app.live.as_ref().and_then(|l| l.service_worst(&reg.services[si].key)),
                )
            }),
        ]
    });
}

pub fn topics(app: &App, f: &mut Frame, area: Rect) {
    let reg = &app.data.reg;
    let t = &app.theme;
    let s = app.screen();
    let wide = area.width >= 110;
    let mut widths = vec![
        Constraint::Min(22),
        Constraint::Length(10),
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Length(3),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(9),
    ];
    let mut header = names(TOPIC_COLUMNS);
    if wide {
        widths.insert(1, Constraint::Length(14));
        header.insert(1, TOPIC_DOMAIN.name);
        widths.push(Constraint::Length(12));
        header.push(TOPIC_TREND.name);
    }
    let title = format!("topics ({})", s.items.len());
    ListTable::for_screen(app, title, &header, &widths).render(app, f, area, |i| {
        let ti = s.items.topics()[i];
        let topic = &reg.topics[ti];
        let live = app.live.as_ref().and_then(|l| l.topics.get(&topic.name));
        let (name_style, status) = match topic.status {
            Status::Active => (ratatui::style::Style::default(), "active".to_string()),
            Status::Deprecated => (t.deprecated(), format!("{} deprec.", DEPRECATED.glyph)),
            Status::Proposed => (t.proposed(), format!("{} proposed", PROPOSED.glyph)),
        };
        // A drift badge: how many findings the cluster gives about this topic.
        let drift = app
            .joined
            .drift
            .as_ref()
            .map_or(0, |d| d.on_topic.get(ti).copied().unwrap_or(0));
        let name = if drift > 0 {
            format!("{} {}{drift}", topic.name, DRIFT.glyph)
        } else {
            topic.name.clone()
        };
        let mut cells = vec![
            Line::from(Span::styled(name, name_style)),
            Line::from(status),
            Line::from(topic.producers.len().to_string()),
            Line::from(topic.consumers.len().to_string()),
            Line::from(topic.events.len().to_string()),
            Line::from(rate(live.and_then(|l| l.produce_rate))),
            Line::from(opt(live.and_then(|l| l.total_lag))),
            health_cell(app, live.and_then(|l| l.worst)),
        ];
        if wide {
            cells.insert(
                1,
                Line::from(
                    topic
                        .domain
                        .as_deref()
                        .map_or("", |d| app.data.reg.domain_name(d))
                        .to_string(),
                ),
            );
            cells.push(Line::from(live.map(|l| spark(&l.rate_history, 12)).unwrap_or_default()));
        }
        cells
    });
}

pub fn events(app: &App, f: &mut Frame, area: Rect) {
    let reg = &app.data.reg;
    let t = &app.theme;
    let s = app.screen();
    let widths = [Constraint::Min(28), Constraint::Length(4), Constraint::Percentage(45)];
    let title = format!("events ({})", s.items.len());
    ListTable::for_screen(app, title, &names(EVENT_COLUMNS), &widths).render(app, f, area, |i| {
        let (name, topics) = &app.data.events[s.items.rows()[i]];
        let places: Vec<String> = topics
            .iter()
            .map(|&ti| {
                let topic = &reg.topics[ti];
                let prods: Vec<String> = topic
                    .producers
                    .iter()
                    .map(|p| {
                        reg.services[p.service]
                            .id
                            .map_or(reg.services[p.service].key.clone(), |i| i.to_string())
                    })
                    .collect();
                format!("{} ({})", topic.name, prods.join(","))
            })
            .collect();
        let count = if topics.len() > 1 {
            Line::from(Span::styled(format!("{}{}", MULTI.glyph, topics.len()), t.warn()))
        } else {
            Line::from("1")
        };
        vec![Line::from(name.clone()), count, Line::from(places.join(", "))]
    });
}

pub fn deprecated(app: &App, f: &mut Frame, area: Rect) {
    let reg = &app.data.reg;
    let t = &app.theme;
    let s = app.screen();
    // Satisfiable at 80 columns: an over-constrained layout is not deterministic.
    let widths = [
        Constraint::Length(22),
        Constraint::Length(21),
        Constraint::Min(10),
        Constraint::Length(10),
        Constraint::Length(11),
    ];
    let title = format!("deprecated topics ({}) · m: jump to replacement", s.items.len());
    ListTable::for_screen(app, title, &names(DEPRECATED_COLUMNS), &widths).render(app, f, area, |i| {
        let topic = &reg.topics[s.items.topics()[i]];
        let d = topic.deprecation.as_ref();
        let moving: Vec<String> = d.iter().flat_map(|d| &d.moves).flat_map(|m| m.events.clone()).collect();
        let what = if moving.is_empty() {
            d.and_then(|d| d.migration.clone().or(d.reason.clone()))
                .unwrap_or_default()
        } else {
            moving.join(", ")
        };
        let live = app.live.as_ref().and_then(|l| l.topics.get(&topic.name));
        let traffic = match live {
            Some(l) if l.produce_rate.is_some_and(|r| r > 0.0) => {
                Line::from(Span::styled(format!("▲ {}/s", rate(l.produce_rate)), t.warn()))
            }
            // Not written this window: how long ago it last was, where known.
            Some(l) if l.on_cluster => match (l.last_write_ms, &app.joined.drift) {
                (Some(ms), Some(d)) => Line::from(format!("idle {}", crate::core::time::ago_short(d.at_ms - ms))),
                _ => Line::from("on cluster"),
            },
            Some(_) => Line::from("absent"),
            None => Line::from("—"),
        };
        // Migration progress: groups still reading the old topic, residual writes.
        let migration = match app
            .joined
            .drift
            .as_ref()
            .map(|d| crate::core::drift::rules::migration(&d.facts, &topic.name))
        {
            None => Line::from("—"),
            Some(None) => Line::from("✓ gone"),
            Some(Some((0, Some(r)))) if r > 0.0 => Line::from(Span::styled("writes only", t.warn())),
            Some(Some((0, _))) => Line::from("✓ none left"),
            Some(Some((n, _))) => Line::from(Span::styled(
                format!("▲ {}", crate::core::words::count(n, "group", "groups")),
                t.warn(),
            )),
        };
        vec![
            Line::from(Span::styled(topic.name.clone(), t.deprecated())),
            Line::from(format!("→ {}", topic.replaced_by().unwrap_or("?"))),
            Line::from(what),
            traffic,
            migration,
        ]
    });
}
