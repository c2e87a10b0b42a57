//! Reloads keep screens on what they show (by name, not by position), and the `:lag`
//! selection stays on its group and topic while live rows re-sort.

use crate::common;
use crossterm::event::KeyCode;
use ktopo::core::live::view::{GroupTopicLag, Health, LiveView};
use ktopo::tui::data::Data;
use ktopo::tui::state::{App, Event, Route};
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
    app.update(Event::Reload(Box::new(ktopo::core::registry::load_str(
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
        app.lag_rows()[s.items.rows()[s.selected]].group.clone()
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
        app.lag_rows()[sc.items.rows()[sc.selected]].group.clone()
    };
    assert_eq!(selected, "group_12");
    // The selected row is drawn in the table, not scrolled out of its 62% of the body.
    let table_end = s.find("└").unwrap();
    assert!(s[..table_end].contains("group_12"), "{s}");
}

/// A reload that drops trailing topics while drift's observed links name them: the
/// links are joined again with the new registry before anything is drawn (they used
/// to keep the old topic positions, and the graph indexed past the end and panicked).
#[test]
fn a_reload_dropping_topics_that_observed_links_name_draws_the_graph_and_the_map() {
    let base = std::fs::read_to_string(common::fixture("base.yaml")).unwrap();
    let longer = format!(
        "{base}  - name: research_events\n    producers: [1]\n    consumers: [0]\n    events: [brief_ready]\n  - name: identity_events\n    producers: [0]\n    consumers: []\n    events: [user_renamed]\n"
    );
    let checked = ktopo::core::registry::load_str("registry.yaml", longer);
    let mut app = App::new(
        Data::new(checked.registry.clone().expect("valid")),
        100,
        30,
        Theme { color: false },
    );
    // A group of research's reads identity_events, which nobody declares it on.
    let rogue = GroupTopicLag {
        group: "research_rogue".into(),
        topic: "identity_events".into(),
        service: Some("research".into()),
        partitions: vec![ktopo::core::live::view::PartitionLag {
            partition: 0,
            committed: Some(5),
            log_end: Some(5),
            ..Default::default()
        }],
        ..GroupTopicLag::default()
    };
    let live = LiveView {
        sample_ms: Some(10),
        source: "scripted".into(),
        groups_listed: true,
        groups: vec![rogue],
        ..LiveView::default()
    };
    app.update(Event::Live(Box::new(live)));
    let d = app.joined.drift.as_ref().expect("a sample succeeded");
    assert_eq!(d.links.len(), 1, "{:?}", d.links);
    assert_eq!(
        d.links[0].topic,
        ktopo::core::registry::TopicId::new(2),
        "identity_events, the last topic"
    );
    command(&mut app, "graph research");
    let s = common::screen(&app);
    assert!(s.contains("? observed") && s.contains("identity_events"), "{s}");
    // The registry loses its two trailing topics.
    app.update(Event::Reload(Box::new(ktopo::core::registry::load_str(
        "registry.yaml",
        base,
    ))));
    assert_eq!(app.data.reg.topics.len(), 1);
    let d = app.joined.drift.as_ref().expect("the last sample, joined again");
    assert!(d.links.is_empty(), "no link names a topic that is gone: {:?}", d.links);
    command(&mut app, "graph research");
    let s = common::screen(&app);
    assert!(s.contains("auth_events") && !s.contains("identity_events"), "{s}");
    command(&mut app, "map");
    let s = common::screen(&app);
    assert!(s.contains("auth_events"), "{s}");
}

/// The live feed joins each picture off the UI thread; the app takes that join only
/// when it was made with the registry it shows, and joins again itself otherwise.
#[test]
fn a_join_made_with_a_replaced_registry_is_done_again() {
    let mut app = App::new(Data::new(common::main_registry()), 120, 40, Theme { color: false });
    let view = LiveView {
        sample_ms: Some(10),
        source: "scripted".into(),
        groups_listed: true,
        ..LiveView::default()
    };
    // A join that knows nothing (as if made before any sample): taken as it is when
    // its generation is the app's.
    let empty = || Box::new(ktopo::core::join::Joined::default());
    app.update(Event::Joined {
        view: Box::new(view.clone()),
        generation: app.data.generation,
        joined: empty(),
    });
    assert!(app.joined.drift.is_none(), "the feed's join is used as it is");
    app.update(Event::Joined {
        view: Box::new(view),
        generation: app.data.generation + 1,
        joined: empty(),
    });
    assert!(
        app.joined.drift.is_some(),
        "a join on another registry load is not used: the app joined the picture itself"
    );
}

/// The reload popup shows every finding whole, or says how many more there are: at
/// 80x24 it used to show 2 of 3 errors and nothing about the third.
#[test]
fn the_reload_popup_shows_every_error_or_says_how_many_more() {
    let broken = ktopo::core::registry::load(&common::fixture("unknown_refs.yaml")).unwrap();
    let errors = broken.diagnostics.iter().filter(|d| d.is_error()).count();
    assert_eq!(errors, 3);
    let mut app = App::new(Data::new(common::main_registry()), 80, 24, Theme { color: false });
    let c = ktopo::core::registry::load(&common::fixture("unknown_refs.yaml")).unwrap();
    app.update(Event::Reload(Box::new(c)));
    let s = common::screen(&app);
    assert_eq!(s.matches("unknown_refs.yaml:").count(), 3, "{s}");
    assert!(!s.contains("more error"), "{s}");
    // Thirty errors: what fits, and how many more.
    let base = std::fs::read_to_string(common::fixture("base.yaml")).unwrap();
    let mut text = base.clone();
    for i in 0..30 {
        text.push_str(&format!(
            "  - name: t{i}_events\n    producers: [{}]\n    consumers: [1]\n    events: [e{i}]\n",
            100 + i
        ));
    }
    let c = ktopo::core::registry::load_str("many.yaml", text);
    let errors = c.diagnostics.iter().filter(|d| d.is_error()).count();
    assert!(errors >= 30, "{errors}");
    let mut app = App::new(Data::new(common::main_registry()), 80, 24, Theme { color: false });
    app.update(Event::Reload(Box::new(c)));
    let s = common::screen(&app);
    let shown = s.matches("many.yaml:").count();
    assert!(shown > 0 && shown < errors, "{s}");
    assert!(s.contains(&format!("↓ {} more errors", errors - shown)), "{s}");
}
