//! The help popup (`?`): keys, commands and the current view's legend, generated from
//! the tables that draw things; it wraps instead of cutting and scrolls.

use crate::common::{self, press, run_command};
use crossterm::event::KeyCode;
use ktopo::core::live::view::Health;
use ktopo::core::map::route::Stroke;
use ktopo::tui::command::COMMANDS;
use ktopo::tui::data::Data;
use ktopo::tui::keys::KEYS;
use ktopo::tui::state::{App, Popup};
use ktopo::tui::symbols::GLOBAL;
use ktopo::tui::theme::Theme;

fn app(w: u16, h: u16) -> App {
    App::new(Data::new(common::main_registry()), w, h, Theme { color: false })
}

/// The popup's rows as drawn (inside its border), top to bottom.
fn popup_rows(a: &App) -> Vec<String> {
    let buf = common::buffer(a);
    let row = |y: u16| -> Vec<String> { (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect() };
    let top = (0..buf.area.height)
        .find(|&y| row(y).concat().contains("┐") && row(y).concat().contains(" help "))
        .expect("the help popup is drawn");
    let cells = row(top);
    // The popup's own corners: around its title (the view behind has borders too).
    let at = (0..cells.len())
        .find(|&i| cells[i..].concat().starts_with("help "))
        .expect("title");
    let left = cells[..at].iter().rposition(|c| c == "┌").expect("top-left corner");
    let right = at + cells[at..].iter().position(|c| c == "┐").expect("top-right corner");
    let mut out = Vec::new();
    for y in top + 1..buf.area.height {
        let cells = row(y);
        if cells[left] == "└" {
            break;
        }
        out.push(cells[left + 1..right].concat());
    }
    out
}

/// Every row the help shows, scrolling from the top to the end with `j`.
fn whole_help(a: &mut App) -> Vec<String> {
    let mut rows = popup_rows(a);
    let mut last = None;
    loop {
        press(a, KeyCode::Char('j'));
        let Some(Popup::Help { scroll }) = a.popup else {
            panic!("j keeps the help open")
        };
        if last == Some(scroll) {
            break;
        }
        last = Some(scroll);
        let page = popup_rows(a);
        rows.push(page.last().cloned().unwrap_or_default());
    }
    rows
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn help_at_80x24_scrolls_to_quit_and_cuts_nothing() {
    let mut a = app(80, 24);
    press(&mut a, KeyCode::Char('?'));
    let first = common::screen(&a);
    assert!(first.contains("↓ "), "a cut help says how much more there is:\n{first}");
    assert!(first.contains(" more"), "{first}");
    let rows = whole_help(&mut a);
    let text = norm(&rows.join(" "));
    // Each key and each command, with its whole text.
    for b in KEYS {
        let want = norm(&format!("{} {}", b.keys, b.help));
        assert!(text.contains(&want), "{want:?} whole in the help:\n{}", rows.join("\n"));
    }
    for (name, _, _, what) in COMMANDS {
        assert!(text.contains(&format!(":{name}")), ":{name} in the help");
        assert!(text.contains(&norm(what)), "{what:?} whole in the help");
    }
    assert!(text.contains(":quit"), "scrolling reaches :quit");
    assert!(text.contains(":drift"));
    assert!(
        text.contains("map: focus on what feeds and is fed by it"),
        "the long line wraps, whole"
    );
    // The end: no more below.
    let end = common::screen(&a);
    assert!(!end.contains(" more "), "at the end nothing is below:\n{end}");
    assert!(end.contains(" above "), "{end}");
    // Back to the top, and any other key closes.
    press(&mut a, KeyCode::Home);
    assert_eq!(a.popup, Some(Popup::Help { scroll: 0 }));
    press(&mut a, KeyCode::End);
    let Some(Popup::Help { scroll }) = a.popup else {
        panic!()
    };
    assert!(scroll > 0);
    press(&mut a, KeyCode::PageUp);
    press(&mut a, KeyCode::Char('x'));
    assert_eq!(a.popup, None, "any other key closes");
    press(&mut a, KeyCode::Char('?'));
    press(&mut a, KeyCode::Char('q'));
    assert_eq!(a.popup, None, "q closes the help");
    assert!(!a.quit, "q in the help does not quit");
}

#[test]
fn help_rows_fit_the_popup_and_never_end_in_a_cut_word() {
    let mut a = app(80, 24);
    press(&mut a, KeyCode::Char('?'));
    let rows = whole_help(&mut a);
    let generated = ktopo::tui::views::popup::help_lines(&a, 76);
    let generated: Vec<String> = generated.iter().map(|l| l.to_string()).collect();
    assert_eq!(
        rows.len(),
        generated.len(),
        "the rows scrolled through are the generated lines:\n{}\n---\n{}",
        rows.join("\n"),
        generated.join("\n")
    );
    for line in &generated {
        let w = unicode_width::UnicodeWidthStr::width(line.as_str());
        assert!(w <= 76, "{line:?} fits the popup's 76 columns");
    }
    for (row, line) in rows.iter().zip(&generated) {
        assert_eq!(row.trim_end(), line.trim_end(), "a row is drawn whole");
    }
}

#[test]
fn lag_help_lists_every_health_and_column() {
    let mut a = app(80, 24);
    run_command(&mut a, "lag");
    press(&mut a, KeyCode::Char('?'));
    let text = norm(&whole_help(&mut a).join(" "));
    for h in Health::ALL {
        assert!(text.contains(h.label()), "{} in :lag's legend", h.word());
        assert!(text.contains(h.word()));
        assert!(text.contains(&norm(h.meaning())), "{}'s meaning whole", h.word());
    }
    for c in ktopo::tui::views::lag::LAG_COLUMNS {
        assert!(
            text.contains(&norm(&format!("{} {}", c.name, c.meaning))),
            "column {}",
            c.name
        );
    }
    for s in ktopo::tui::views::lag::LAG_MARKS {
        assert!(
            text.contains(&norm(&format!("{} {}", s.glyph, s.meaning))),
            "lag mark {}",
            s.glyph
        );
    }
    for s in GLOBAL {
        assert!(text.contains(&norm(s.meaning)), "mark {}", s.glyph);
    }
}

#[test]
fn map_help_lists_each_stroke_with_its_glyph() {
    let mut a = app(80, 24);
    run_command(&mut a, "map");
    press(&mut a, KeyCode::Char('?'));
    let rows = whole_help(&mut a);
    let text = norm(&rows.join(" "));
    assert!(text.contains("on the map of map"), "{text}");
    for (g, what) in Stroke::legend() {
        let want = norm(&format!("{} line: {what}", g.to_string().repeat(3)));
        assert!(
            text.contains(&want),
            "{want:?} in the map's legend:\n{}",
            rows.join("\n")
        );
    }
    for s in Stroke::ALL {
        let g = ktopo::core::map::route::glyph(ktopo::core::map::route::LEFT | ktopo::core::map::route::RIGHT, s);
        assert!(text.contains(g), "{s:?} drawn as {g}");
    }
}

#[test]
fn graph_help_lists_its_arrows() {
    let mut a = app(80, 24);
    run_command(&mut a, "graph service:agent_orchestration");
    press(&mut a, KeyCode::Char('?'));
    let text = norm(&whole_help(&mut a).join(" "));
    for (arrow, what) in ktopo::tui::views::graph::legend() {
        assert!(
            text.contains(&norm(&format!("{arrow} {what}"))),
            "{arrow} in the graph's legend"
        );
    }
}

#[test]
fn mouse_wheel_scrolls_the_help() {
    use crossterm::event::{KeyModifiers, MouseEvent, MouseEventKind};
    let mut a = app(80, 24);
    press(&mut a, KeyCode::Char('?'));
    let wheel = |kind| {
        ktopo::tui::state::Event::Mouse(MouseEvent {
            kind,
            column: 10,
            row: 10,
            modifiers: KeyModifiers::NONE,
        })
    };
    a.update(wheel(MouseEventKind::ScrollDown));
    assert_eq!(a.popup, Some(Popup::Help { scroll: 3 }));
    a.update(wheel(MouseEventKind::ScrollUp));
    assert_eq!(a.popup, Some(Popup::Help { scroll: 0 }));
    assert_eq!(a.screen().selected, 0, "the list behind did not move");
}

#[test]
fn services_help_lists_its_columns() {
    let mut a = app(120, 40);
    run_command(&mut a, "services");
    press(&mut a, KeyCode::Char('?'));
    let text = norm(&whole_help(&mut a).join(" "));
    for c in ktopo::tui::views::lists::SERVICE_COLUMNS {
        assert!(
            text.contains(&norm(&format!("{} {}", c.name, c.meaning))),
            "column {}",
            c.name
        );
    }
    assert!(!text.contains("columns of lag"));
}
