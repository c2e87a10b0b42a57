//! `:check`: the registry's own checks in the TUI, with file:line:col, a count in
//! the status line, and Enter for the snippet `ktopo check` prints.

use crate::common::{self, press, run_command};
use crossterm::event::KeyCode;
use ktopo::tui::state::{Popup, Route};

#[test]
fn check_view_lists_findings_worst_first_with_their_lines() {
    let mut a = common::app("registry.yaml", 80, 24);
    // The same findings `ktopo check` reports for the seed: 3 warnings and 4 notes.
    let s = common::screen(&a);
    assert!(s.contains("check: 3 warnings"), "the status line counts them:\n{s}");
    run_command(&mut a, "check");
    assert_eq!(a.screen().route, Route::Check);
    let s = common::screen(&a);
    assert!(s.contains("0 errors, 3 warnings, 4 notes"), "{s}");
    let rows: Vec<&str> = s
        .lines()
        .filter(|l| l.contains("warning │") || l.contains("▲ warning") || l.contains("· note"))
        .collect();
    assert_eq!(rows.len(), 7, "every finding, one row each:\n{s}");
    assert!(
        rows[..3].iter().all(|r| r.contains("▲ warning")),
        "warnings before notes:\n{s}"
    );
    // Each row says where: line:col of the registry file.
    for r in &rows {
        assert!(
            r.split_whitespace().any(|w| {
                let mut p = w.split(':');
                matches!((p.next(), p.next(), p.next()), (Some(l), Some(c), None) if l.parse::<u32>().is_ok() && c.parse::<u32>().is_ok())
            }),
            "line:col in {r:?}"
        );
    }
    assert!(s.contains("⏎ snippet"), "the bottom line says what Enter does:\n{s}");
    // Enter: the finding as `ktopo check` prints it, with the registry's own line.
    press(&mut a, KeyCode::Enter);
    let Some(Popup::Finding(text)) = &a.popup else {
        panic!("Enter opens the finding")
    };
    let joined = text.join("\n");
    assert!(joined.contains("warning["), "{joined}");
    assert!(joined.contains(" │ "), "the snippet's gutter:\n{joined}");
    let s = common::screen(&a);
    assert!(s.contains("check finding"), "{s}");
    press(&mut a, KeyCode::Char('x'));
    assert!(a.popup.is_none(), "any key closes it");
    // Filters by column.
    press(&mut a, KeyCode::Char('/'));
    for c in "severity:note".chars() {
        press(&mut a, KeyCode::Char(c));
    }
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen().items.len(), 4);
}

#[test]
fn a_clean_registry_has_no_check_count_and_says_it_passes() {
    let mut a = common::app("assets/registries/enterprise-agent-platform.yaml", 120, 40);
    let s = common::screen(&a);
    assert!(!s.contains("check:"), "notes alone are not announced:\n{s}");
    run_command(&mut a, "check");
    let s = common::screen(&a);
    assert!(s.contains("0 errors, 0 warnings, 3 notes"), "{s}");
}

#[test]
fn check_view_styled_80x24() {
    let mut a = common::app("registry.yaml", 80, 24);
    a.theme = ktopo::tui::theme::Theme { color: true };
    run_command(&mut a, "check");
    let styled = common::styled(&a);
    // The path differs per checkout: snapshot the rows, not the title.
    let rows: Vec<&str> = styled.lines().skip(2).collect();
    insta::assert_snapshot!("check_80x24", rows.join("\n"));
}
