//! `:check`: what `ktopo check` says about the registry on screen, worst first, each
//! finding with its file:line:col; Enter shows it as `ktopo check` prints it.

use super::ListTable;
use crate::core::diag::Severity;
use crate::tui::state::App;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The columns of `:check`.
pub const CHECK_COLUMNS: &[crate::tui::symbols::Column] = &[
    crate::tui::symbols::col("SEVERITY", "error, warning or note (errors stop a reload)"),
    crate::tui::symbols::col("CODE", "which check found it (as `ktopo check` names it)"),
    crate::tui::symbols::col("WHERE", "line:column in the registry file the title names"),
    crate::tui::symbols::col("FINDING", "what is wrong; the bottom line says how to fix it"),
];

fn label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✗ error",
        Severity::Warning => "▲ warning",
        Severity::Note => "· note",
    }
}

/// `0 errors, 3 warnings, 4 notes`: the count `ktopo check` ends with.
pub fn summary(app: &App) -> String {
    let n = |s| app.data.checks.iter().filter(|c| c.severity == s).count();
    use crate::core::words::count;
    format!(
        "{}, {}, {}",
        count(n(Severity::Error), "error", "errors"),
        count(n(Severity::Warning), "warning", "warnings"),
        count(n(Severity::Note), "note", "notes")
    )
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let checks = &app.data.checks;
    if checks.is_empty() {
        let msg = format!("{} passes every check.", app.data.source_path);
        f.render_widget(Paragraph::new(crate::core::visible::one_line(&msg).into_owned()), area);
        return;
    }
    let s = app.screen();
    let title = format!("check {}: {}", app.data.source_path, summary(app));
    let title = crate::core::visible::one_line(&title).into_owned();
    let widths = [
        Constraint::Length(9),
        Constraint::Length(12),
        Constraint::Length(7),
        Constraint::Min(24),
    ];
    let header = crate::tui::symbols::names(CHECK_COLUMNS);
    let mut table = ListTable::for_screen(app, title, &header, &widths);
    // How to fix the selected one, in the bottom border; Enter shows its snippet.
    table.detail = s
        .items
        .rows()
        .get(s.selected)
        .and_then(|&i| checks.get(i))
        .map(|c| match &c.hint {
            Some(h) => format!("⏎ snippet · help: {h}"),
            None => "⏎ snippet".into(),
        });
    table.render(app, f, area, |i| {
        let c = &checks[s.items.rows()[i]];
        let style = match c.severity {
            Severity::Error => app.theme.error(),
            Severity::Warning => app.theme.warn(),
            Severity::Note => app.theme.dim(),
        };
        // The file is the one in the header: the line and column are what differ.
        let at =
            c.at.strip_prefix(&app.data.source_path)
                .map_or(c.at.as_str(), |r| r.trim_start_matches(':'));
        vec![
            Line::from(Span::styled(label(c.severity), style)),
            Line::from(c.code),
            Line::from(if at.is_empty() { "-" } else { at }.to_string()),
            Line::from(c.message.clone()),
        ]
    });
}
