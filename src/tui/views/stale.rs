//! `:stale`: the live blast radius for the whole platform, worst first: every service
//! and topic serving stale data right now, how stale, because of which group, and the
//! path from that group's service (`crate::core::stale`, the engine of `ktopo impact --live`).
//! A source connector writing nothing is a cause too: its state and since when.

use super::ListTable;
use crate::core::impact::node_ref;
use crate::core::stale::By;
use crate::core::visible::one_line;
use crate::tui::state::App;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The columns of `:stale`.
pub const STALE_COLUMNS: &[crate::tui::symbols::Column] = &[
    crate::tui::symbols::col("STALE", "how old the data it serves is (⧗)"),
    crate::tui::symbols::col("SERVICE OR TOPIC", "who serves stale data"),
    crate::tui::symbols::col(
        "BECAUSE OF (group, its status)",
        "the group upstream that is behind, or the source connector that writes nothing",
    ),
    crate::tui::symbols::col("VIA", "the path from that group to here"),
];

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let Some(st) = &app.joined.stale else {
        let msg = format!(
            "Nothing to say yet: staleness needs a successful sample ({}).\nStart ktopo without --offline, or pass -b BROKERS.",
            app.no_sample_yet().unwrap_or_default()
        );
        f.render_widget(Paragraph::new(msg), area);
        return;
    };
    let reg = &app.data.reg;
    let s = app.screen();
    // Unplaced causes: groups behind, and source connectors writing nothing.
    let stopped = st.unplaced.iter().filter(|u| u.is_connector()).count();
    let behind = st.unplaced.len() - stopped;
    let mut outside = Vec::new();
    if behind > 0 {
        outside.push(format!(
            "{} behind",
            crate::core::words::count(behind, "group", "groups")
        ));
    }
    if stopped > 0 {
        outside.push(format!(
            "{} stopped",
            crate::core::words::count(stopped, "source connector", "source connectors")
        ));
    }
    let unplaced = if outside.is_empty() {
        String::new()
    } else {
        format!(" · {} outside the registry", outside.join(", "))
    };
    let unread = if st.unread.is_empty() {
        String::new()
    } else {
        format!(
            " · {} could not be read: whether they are behind is unknown",
            crate::core::words::count(st.unread.len(), "group", "groups")
        )
    };
    let title = format!(
        "serving stale data right now: {}, because of {} (≥ {}s behind){unplaced}{unread}",
        crate::core::words::count(st.stale.len(), "service or topic", "services and topics"),
        st.causes_words(&st.causes),
        crate::core::stale::DEFAULT_MIN_S
    );
    let widths = [
        Constraint::Length(9),
        Constraint::Length(34),
        Constraint::Length(48),
        Constraint::Min(30),
    ];
    let header = crate::tui::symbols::names(STALE_COLUMNS);
    ListTable::for_screen(app, title, &header, &widths).render(app, f, area, |i| {
        let x = &st.stale[s.items.rows()[i]];
        let c = &st.causes[x.cause];
        let via = match (&c.by, x.depth) {
            (By::Connector(fed), 0) => crate::core::stale::fed_state(fed),
            (By::Group { topic, lag, .. }, 0) => format!(
                "reads {} ({} behind)",
                one_line(topic),
                lag.map_or("?".into(), |l| l.to_string())
            ),
            _ => st.via(reg, x),
        };
        vec![
            Line::from(Span::styled(
                format!(
                    "{} {}",
                    crate::tui::symbols::STALE.glyph,
                    crate::core::stale::seconds_label(c)
                ),
                app.theme.warn(),
            )),
            Line::from(node_ref(reg, x.node)),
            Line::from(Span::styled(
                match &c.by {
                    By::Connector(fed) => format!("{} connector {}", fed.state.label(), one_line(&fed.connector)),
                    By::Group { group, status, .. } => format!("{} {}", status.label(), one_line(group)),
                },
                app.theme.warn(),
            )),
            Line::from(via),
        ]
    });
}
