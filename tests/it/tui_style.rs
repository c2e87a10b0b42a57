//! What snapshots of text cannot see: colour, selection and NO_COLOR, read from the
//! styles of the rendered cells.

use crate::common;
use ktopo::core::live::view::{GroupTopicLag, Health, LiveView};
use ktopo::tui::data::Data;
use ktopo::tui::state::{App, Event};
use ktopo::tui::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;

fn lag_app(color: bool) -> App {
    let mut app = App::new(Data::new(common::main_registry()), 120, 40, Theme { color });
    let row = |g: &str, status: Health| GroupTopicLag {
        group: g.into(),
        topic: "voice_events".into(),
        declared: true,
        status,
        ..GroupTopicLag::default()
    };
    app.update(Event::Live(Box::new(LiveView {
        sample_ms: Some(10),
        source: "demo cluster".into(),
        groups: vec![row("stopped_group", Health::Stop), row("healthy_group", Health::Ok)],
        ..LiveView::default()
    })));
    common::run_command(&mut app, "lag");
    app
}

fn buffer(app: &App) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(app.width, app.height)).unwrap();
    t.draw(|f| ktopo::tui::ui::render(app, f)).unwrap();
    t.backend().buffer().clone()
}

/// The cell where `text` starts on screen.
fn find(buf: &Buffer, text: &str) -> (u16, u16) {
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect();
        if let Some(i) = line.find(text) {
            return (line[..i].chars().count() as u16, y);
        }
    }
    panic!("{text} not on screen");
}

#[test]
fn no_color_means_no_colour_anywhere() {
    let buf = buffer(&lag_app(false));
    for cell in buf.content.iter() {
        assert_eq!(cell.fg, Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, Color::Reset, "{cell:?}");
    }
    // The status still reads without colour: a word and a symbol.
    let (x, y) = find(&buf, "✗ STOP");
    assert_eq!(buf[(x, y)].fg, Color::Reset);
}

#[test]
fn colour_marks_problems_and_the_selection_is_visible_in_both_themes() {
    let buf = buffer(&lag_app(true));
    let (x, y) = find(&buf, "✗ STOP");
    assert_ne!(buf[(x, y)].fg, Color::Reset, "STOP is coloured");
    let (hx, hy) = find(&buf, "✓ OK");
    assert_ne!(buf[(hx, hy)].fg, buf[(x, y)].fg, "OK and STOP differ");
    for color in [true, false] {
        let buf = buffer(&lag_app(color));
        let (sx, sy) = find(&buf, "stopped_group");
        let (ux, uy) = find(&buf, "healthy_group");
        assert!(
            buf[(sx, sy)].modifier.contains(Modifier::REVERSED),
            "the selected row is reversed (color {color})"
        );
        assert!(
            !buf[(ux, uy)].modifier.contains(Modifier::REVERSED),
            "other rows are not (color {color})"
        );
    }
}
