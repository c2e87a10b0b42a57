//! Reloads keep screens on what they show (by name, not by position), and the `:lag`
//! selection stays on its group and topic while live rows re-sort.

use crate::common;
use crossterm::event::KeyCode;
use ktopo::live::view::{GroupTopicLag, Health, LiveView};
use ktopo::tui::app::{App, Event, Route};
use ktopo::tui::data::Data;
use ktopo::tui::theme::Theme;

use common::{press as key, run_command as command};

#[test]
fn a_detail_screen_follows_its_service_across_a_reload() {
    let mut app = App::new(Data::new(common::main_registry()), 120, 40, Theme { color: false });
    command(&mut app, "services");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let Route::Service(before) = app.screen().route else {
        panic!("{:?}", app.screen().route)
    };
    let shown = app.data.reg.services[before].key.clone();
    // A new service above it shifts every index after it.
    let text = std::fs::read_to_string(common::root().join("registry.yaml")).unwrap();
    let text = text.replacen(
        "services:\n",
        "services:\n  - { id: 999, key: aa_inserted, name: Inserted }\n",
        1,
    );
    app.update(Event::Reload(Box::new(ktopo::registry::load_str(
        "registry.yaml",
        text,
    ))));
    let Route::Service(after) = app.screen().route else {
        panic!("{:?}", app.screen().route)
    };
    assert_eq!(app.data.reg.services[after].key, shown, "still the same service");
    assert_ne!(after, before, "its index moved");
}

#[test]
fn the_lag_selection_stays_on_its_group_when_rows_resort() {
    let mut app = App::new(Data::new(common::main_registry()), 120, 40, Theme { color: false });
    let row = |g: &str, status: Health| GroupTopicLag {
        group: g.into(),
        topic: "voice_events".into(),
        declared: true,
        status,
        ..GroupTopicLag::default()
    };
    let live = |a: Health, b: Health, c: Health| LiveView {
        sample_ms: Some(10),
        source: "demo cluster".into(),
        groups: vec![row("alpha", a), row("beta", b), row("gamma", c)],
        ..LiveView::default()
    };
    app.update(Event::Live(Box::new(live(Health::Stop, Health::Warn, Health::Ok))));
    command(&mut app, "lag");
    key(&mut app, KeyCode::Down); // beta, the second worst
    let selected = |app: &App| {
        let s = app.screen();
        app.lag_rows()[s.items[s.selected]].group.clone()
    };
    assert_eq!(selected(&app), "beta");
    // beta becomes the best: it moves to the bottom, the cursor goes with it.
    app.update(Event::Live(Box::new(live(Health::Stop, Health::Ok, Health::Warn))));
    assert_eq!(selected(&app), "beta");
}

#[test]
fn the_lag_cursor_stays_inside_the_lag_table_at_80x24() {
    let mut app = App::new(Data::new(common::main_registry()), 80, 24, Theme { color: false });
    let groups = (0..30)
        .map(|i| GroupTopicLag {
            group: format!("group_{i:02}"),
            topic: "voice_events".into(),
            declared: true,
            ..GroupTopicLag::default()
        })
        .collect();
    app.update(Event::Live(Box::new(LiveView {
        sample_ms: Some(10),
        source: "demo cluster".into(),
        groups,
        ..LiveView::default()
    })));
    command(&mut app, "lag");
    for _ in 0..12 {
        key(&mut app, KeyCode::Down);
    }
    let s = common::screen(&app);
    let selected = {
        let sc = app.screen();
        app.lag_rows()[sc.items[sc.selected]].group.clone()
    };
    assert_eq!(selected, "group_12");
    // The selected row is drawn in the table, not scrolled out of its 62% of the body.
    let table_end = s.find("└").unwrap();
    assert!(s[..table_end].contains("group_12"), "{s}");
}
