//! What snapshots of text cannot see: colour, selection and NO_COLOR, read from the
//! styles of the rendered cells; and snapshots with style marks (`common::styled_text`)
//! of the views where colour, dimming and focus carry meaning.

use crate::common;
use crossterm::event::KeyCode;
use ktopo::core::live::view::{GroupTopicLag, Health, LiveView};
use ktopo::tui::data::Data;
use ktopo::tui::state::{App, Event};
use ktopo::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

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
    let buf = common::buffer(&lag_app(false));
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
    let buf = common::buffer(&lag_app(true));
    let (x, y) = find(&buf, "✗ STOP");
    assert_ne!(buf[(x, y)].fg, Color::Reset, "STOP is coloured");
    let (hx, hy) = find(&buf, "✓ OK");
    assert_ne!(buf[(hx, hy)].fg, buf[(x, y)].fg, "OK and STOP differ");
    for color in [true, false] {
        let buf = common::buffer(&lag_app(color));
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

// Snapshots with style marks: a change to a health colour, the dimming or the focus
// shows in review like a change to the text. All on one scripted live picture.

fn styled_live(w: u16, h: u16) -> App {
    crate::tui_live::live_app_in(Theme { color: true }, w, h, false)
}

#[test]
fn styled_text_without_its_tags_is_the_screen() {
    let mut app = styled_live(120, 40);
    common::run_command(&mut app, "lag");
    let styled = common::styled(&app);
    assert!(styled.contains("{fg:red,bold}✗ STOP"), "{styled}");
    let plain: String = common::strip_style_tags(&styled)
        .lines()
        .map(|l| l.trim_end().to_string() + "\n")
        .collect();
    assert_eq!(plain, common::screen(&app));
    // Braces on screen survive the round trip.
    let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, 6, 1));
    buf.set_string(0, 0, "{a}", ratatui::style::Style::new().fg(Color::Red));
    buf.set_string(3, 0, "{", ratatui::style::Style::new());
    let s = common::styled_text(&buf);
    assert_eq!(s, "{fg:red}{{a}{}{{\n");
    assert_eq!(common::strip_style_tags(&s), "{a}{\n");
}

#[test]
fn styled_lag_table_colours_each_status() {
    let mut app = styled_live(120, 40);
    common::run_command(&mut app, "lag");
    let s = common::styled(&app);
    for mark in ["{fg:red,bold}■ STALL", "{fg:yellow,bold}▲ WARN", "{fg:green}✓ OK"] {
        assert!(s.contains(mark), "{mark}:\n{s}");
    }
    let unknown = s.lines().find(|l| l.contains("? N/A")).unwrap();
    assert!(
        !["{fg:red", "{fg:yellow", "{fg:green"]
            .iter()
            .any(|c| unknown.contains(c)),
        "{unknown}"
    );
    insta::assert_snapshot!("styled_lag_120x40", s);
}

#[test]
fn styled_topics_mark_deprecated_proposed_and_health() {
    let app = styled_live(120, 40);
    let s = common::styled(&app);
    assert!(s.contains("{fg:yellow,crossed_out}pricing_events{}"), "{s}");
    assert!(s.contains("{fg:magenta,italic}knowledge_events{}"), "{s}");
    insta::assert_snapshot!("styled_topics_120x40", s);
}

#[test]
fn styled_detail_highlights_the_focused_pane() {
    let mut app = styled_live(120, 40);
    for c in "/config_events".chars() {
        common::press(&mut app, KeyCode::Char(c));
    }
    common::press(&mut app, KeyCode::Enter);
    common::press(&mut app, KeyCode::Enter);
    common::press(&mut app, KeyCode::Tab);
    let s = common::styled(&app);
    assert!(s.contains("{fg:cyan,bold}┌ consumers (3) ─"), "{s}");
    // The other pane: a plain border under a title.
    assert!(s.contains("┌{fg:cyan,bold} producers (2) {fg:dark_gray}─"), "{s}");
    insta::assert_snapshot!("styled_topic_detail_second_pane_120x40", s);
}

#[test]
fn styled_map_focus_keeps_its_neighbourhood_lit_and_dims_the_rest() {
    let mut app = styled_live(120, 40);
    common::run_command(&mut app, "map");
    // Down the first column to a topic in trouble: its group's statuses show lit, the
    // rest of the platform faint.
    let voice = ktopo::core::topology::Node::Topic(app.data.reg.topic_index("voice_events").unwrap());
    for _ in 0..60 {
        if app.selected_node() == Some(voice) {
            break;
        }
        common::press(&mut app, KeyCode::Down);
    }
    assert_eq!(app.selected_node(), Some(voice));
    common::press(&mut app, KeyCode::Char('f'));
    let s = common::styled(&app);
    assert!(s.contains("{fg:cyan,bold,reversed}voice_events"), "{s}");
    assert!(s.contains("{fg:blue,bold}Analytics"), "a consumer stays lit:\n{s}");
    assert!(s.contains("{dim}─────────"), "unrelated lines are faint:\n{s}");
    insta::assert_snapshot!("styled_map_focused_120x40", s);
}
