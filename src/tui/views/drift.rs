//! `:drift`: where the registry and the cluster disagree, worst first, each finding
//! with its registry location; what could not be computed is said below.

use super::ListTable;
use crate::core::diag::Severity;
use crate::tui::state::App;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

fn label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✗ error",
        Severity::Warning => "▲ warning",
        Severity::Note => "· note",
    }
}

/// The columns of `:drift`.
pub const DRIFT_COLUMNS: &[crate::tui::symbols::Column] = &[
    crate::tui::symbols::col("SEVERITY", "error, warning or info"),
    crate::tui::symbols::col("KIND", "which rule found it"),
    crate::tui::symbols::col("WHERE", "line:column in the registry file"),
    crate::tui::symbols::col("WHAT THE CLUSTER SHOWS", "how the cluster disagrees with the registry"),
];

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let Some(d) = &app.joined.drift else {
        let msg = format!(
            "No drift yet: it needs a successful sample ({}).\nStart ktopo without --offline, or pass -b BROKERS.",
            app.no_sample_yet().unwrap_or_default()
        );
        f.render_widget(Paragraph::new(msg), area);
        return;
    };
    let r = &d.report;
    let s = app.screen();
    let notes: Vec<Line> = r
        .failed
        .iter()
        .map(|n| Line::from(format!("⚠ could not check: {n}")))
        .chain(r.not_computed.iter().map(|n| Line::from(format!("not computed: {n}"))))
        .collect();
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Min(5), Constraint::Length(notes.len().min(3) as u16 + 3)])
        .split(area);
    let title = format!("drift: {}", r.summary());
    let widths = [
        Constraint::Length(9),
        Constraint::Length(19),
        Constraint::Length(7),
        Constraint::Min(30),
    ];
    let header = crate::tui::symbols::names(DRIFT_COLUMNS);
    ListTable::for_screen(app, title, &header, &widths).render(app, f, parts[0], |i| {
        let x = &r.findings[s.items.rows()[i]];
        let at = x.loc.map(|l| format!("{}:{}", l.line, l.col)).unwrap_or("-".into());
        let style = match x.severity {
            Severity::Error => app.theme.error(),
            Severity::Warning => app.theme.warn(),
            Severity::Note => app.theme.dim(),
        };
        vec![
            Line::from(Span::styled(label(x.severity), style)),
            Line::from(x.kind),
            Line::from(at),
            Line::from(x.message.clone()),
        ]
    });
    // The selected finding in full (the table cuts long messages), then the notes.
    let selected = s.items.rows().get(s.selected).and_then(|&i| r.findings.get(i));
    let mut lines: Vec<Line> = selected
        .map(|x| {
            let at = crate::core::drift::place(&app.data.source_path, &x.loc)
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            Line::from(format!("{}{at}", x.message))
        })
        .into_iter()
        .collect();
    lines.extend(notes);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), parts[1]);
}
