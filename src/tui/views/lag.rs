//! `:lag`, the on-call table: every group × topic, worst first, with the selected
//! row's partitions below (like kafka-consumer-groups.sh --describe).

use super::{health_cell, opt, rate, ListTable};
use crate::tui::state::App;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Before a group: its offsets could not be read.
pub const UNREADABLE: crate::tui::symbols::Symbol = crate::tui::symbols::Symbol {
    glyph: "⚠",
    meaning: "before a group: its offsets could not be read (details below)",
};
/// After a group: the registry does not declare it.
pub const UNDECLARED: crate::tui::symbols::Symbol = crate::tui::symbols::Symbol {
    glyph: "(undeclared)",
    meaning: "after a group: seen on the cluster, the registry does not declare it",
};
/// The marks only `:lag` draws.
pub const LAG_MARKS: &[crate::tui::symbols::Symbol] = &[UNREADABLE, UNDECLARED];

/// The columns of `:lag`.
pub const LAG_COLUMNS: &[crate::tui::symbols::Column] = &[
    crate::tui::symbols::col("GROUP", "the consumer group"),
    crate::tui::symbols::col("TOPIC", "the topic it reads"),
    crate::tui::symbols::col("LAG", "messages behind, all partitions"),
    crate::tui::symbols::col("MAX", "the largest lag of one partition"),
    crate::tui::symbols::col("TIME", "how far behind in time (~ estimated, ≥ at least)"),
    crate::tui::symbols::col("RATE", "messages consumed per second"),
    crate::tui::symbols::col("DRAIN", "time to catch up at current rates (never: it will not)"),
    crate::tui::symbols::col("STATUS", "health: symbol and word, see below"),
    crate::tui::symbols::col("FOR", "how long it has had this status"),
];

/// The group table and the partition pane below it, in the body.
pub fn areas(body: Rect) -> [Rect; 2] {
    let p = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Percentage(62), Constraint::Percentage(38)])
        .split(body);
    [p[0], p[1]]
}

/// The partition table's area in the pane, below `notes` lines about the group.
fn pane_area(pane: Rect, notes: usize) -> Rect {
    if notes == 0 {
        return pane;
    }
    Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(notes as u16), Constraint::Min(3)])
        .split(pane)[1]
}

/// The selected group's partition pane: its table's area and how many partitions it
/// lists (for scrolling it and the mouse wheel over it).
pub fn partition_pane(app: &App) -> Option<(Rect, usize)> {
    let s = app.screen();
    let rows = app.lag_rows();
    let g = s.items.rows().get(s.selected).and_then(|&i| rows.get(i))?;
    let pane = areas(app.layout().body)[1];
    Some((pane_area(pane, detail_title(g).1.len()), g.partitions.len()))
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.screen();
    let rows = app.lag_rows();
    if let Some(why) = app.no_sample_yet() {
        let msg = format!(
            "No lag yet: {why}.\nStart ktopo without --offline (it starts a demo cluster), or pass -b BROKERS."
        );
        f.render_widget(Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: false }), area);
        return;
    }
    let parts = areas(area);
    // Satisfiable at 80 columns (an over-constrained layout is not deterministic); the
    // group column takes what wider terminals add.
    let widths = [
        Constraint::Min(18),
        Constraint::Length(10),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Length(10),
        Constraint::Length(5),
    ];
    let header = crate::tui::symbols::names(LAG_COLUMNS);
    let mut title = format!(
        "consumer lag ({})",
        crate::core::words::count(s.items.len(), "group × topic row", "group × topic rows")
    );
    // What this cluster cannot tell is said where the missing columns would be.
    for l in app.live.iter().flat_map(|l| &l.limits) {
        title.push_str(&format!(" · {l}"));
    }
    let mut table = ListTable::for_screen(app, title, &header, &widths);
    // Tab moves the focus to the partition pane and back.
    table.focused = s.pane == 0;
    table.render(app, f, parts[0], |i| {
        let g = rows[s.items.rows()[i]];
        let time = match g.time_lag_s {
            None => "—".into(),
            Some(t) => format!(
                "{}{}",
                crate::core::lag_report::time_mark(g),
                crate::core::time::short_duration(t)
            ),
        };
        // An unreadable group is listed, marked first so it survives truncation.
        let mut group = if g.error.is_some() {
            format!("{} {}", UNREADABLE.glyph, g.group)
        } else {
            g.group.clone()
        };
        if !g.declared {
            group.push_str(&format!(" {}", UNDECLARED.glyph));
        }
        vec![
            Line::from(group),
            Line::from(g.topic.clone()),
            Line::from(opt(g.total_lag)),
            Line::from(opt(g.max_lag)),
            Line::from(time),
            Line::from(rate(g.consume_rate)),
            Line::from(g.drain.map_or("—".into(), |d| d.label())),
            health_cell(app, Some(g.status)),
            Line::from(crate::core::live::view::short_duration(g.status_for_s)),
        ]
    });
    let Some(g) = s.items.rows().get(s.selected).and_then(|&i| rows.get(i)) else {
        return;
    };
    let widths = [
        Constraint::Length(9),
        Constraint::Length(14),
        Constraint::Length(14),
        Constraint::Length(14),
        Constraint::Min(8),
        Constraint::Length(9),
    ];
    let (title, notes) = detail_title(g);
    let detail = pane_area(parts[1], notes.len());
    if !notes.is_empty() {
        let at = Rect {
            height: (notes.len() as u16).min(parts[1].height),
            ..parts[1]
        };
        f.render_widget(Paragraph::new(notes.join("\n")), at);
    }
    let order = crate::tui::group_data::worst_first(g);
    let focused = s.pane == 1;
    let visible = detail.height.saturating_sub(3) as usize;
    let table = ListTable {
        title,
        header: &[
            "PARTITION",
            "CURRENT-OFFSET",
            "LOG-END-OFFSET",
            "LAG",
            "OWNER (client @ host)",
            "STATUS",
        ],
        widths: &widths,
        len: order.len(),
        selected: usize::MAX,
        offset: s.scroll.min(order.len().saturating_sub(visible)),
        focused,
        detail: None,
    };
    table.render(app, f, detail, |i| {
        let p = &g.partitions[order[i]];
        let lag = match (p.lag, p.clamped, p.lost) {
            (None, ..) => "-".into(),
            (Some(l), _, Some(lost)) => format!("{l} ({lost} lost)"),
            (Some(l), true, _) => format!("{l} (clamped)"),
            (Some(l), false, _) => l.to_string(),
        };
        let owner = p
            .owner
            .and_then(|o| g.member_list.get(o))
            .map_or("-".into(), |m| format!("{} @ {}", m.client_id, m.host));
        vec![
            Line::from(p.partition.to_string()),
            Line::from(p.committed.map_or("-".into(), |c| c.to_string())),
            Line::from(p.log_end.map_or("?".into(), |c| c.to_string())),
            Line::from(Span::raw(lag)),
            Line::from(owner),
            health_cell(app, p.status),
        ]
    });
}

/// The detail's title (the group, its state and members) and lines of notes: its status
/// with since when and why, its last status changes, and what needs attention
/// (retention risk, assignment, absence, partial or failed reads).
fn detail_title(g: &crate::core::live::view::GroupTopicLag) -> (String, Vec<String>) {
    let mut t = format!("{} on {}", g.group, g.topic);
    t.push_str(&format!(" · {}", g.state.as_deref().unwrap_or("state unknown")));
    if let Some(k) = &g.kind {
        t.push_str(&format!(" ({k})"));
    }
    if let Some(m) = g.members {
        let idle = g.member_list.iter().filter(|m| m.assignment.is_empty()).count();
        t.push_str(&format!(" · {}", crate::core::words::count(m, "member", "members")));
        if idle > 0 {
            t.push_str(&format!(", {idle} without partitions here"));
        }
    }
    let mut notes = Vec::new();
    if let Some(e) = &g.error {
        notes.push(format!("⚠ unreadable: {e}"));
    }
    if let Some(l) = g.lost {
        notes.push(format!(
            "{} lost to retention",
            crate::core::words::count(l as usize, "message", "messages")
        ));
    }
    if let Some(s) = g.retained_share {
        notes.push(format!("lag is {:.0}% of the retained log", s * 100.0));
    }
    if g.unassigned {
        notes.push("members, but none assigned this topic".into());
    }
    if g.topic_absent {
        notes.push("topic absent from the cluster".into());
    }
    if g.partial {
        notes.push("partial: some log ends unknown".into());
    }
    let mut lines = vec![format!(
        "{}{}",
        crate::core::lag_report::status_for(g),
        if g.reason.is_empty() {
            String::new()
        } else {
            format!(": {}", g.reason)
        }
    )];
    // The last changes, newest first: enough to see flapping or since when it broke.
    let changes: Vec<String> = g
        .history
        .iter()
        .rev()
        .take(4)
        .map(|t| {
            let at = t.at_ms.map_or("?".to_string(), crate::core::time::clock);
            format!("{at} {}→{}", t.from.word(), t.to.word())
        })
        .collect();
    if !changes.is_empty() {
        notes.push(format!("changes (UTC): {}", changes.join(", ")));
    }
    if !notes.is_empty() {
        lines.push(notes.join(" · "));
    }
    (t, lines)
}
