//! Live columns, the `:lag` table and the status bar, from scripted live pictures
//! (no broker): the views are pure functions of state.

use crate::common;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ktopo::core::live::view::{GroupTopicLag, Health, LiveView, PartitionLag, TopicLive};
use ktopo::tui::data::Data;
use ktopo::tui::state::{App, Event};
use ktopo::tui::theme::Theme;

fn group(app: &App, group: &str, topic: &str, status: Health, lags: &[Option<i64>]) -> GroupTopicLag {
    let service = app
        .data
        .reg
        .services
        .iter()
        .find(|s| group.starts_with(&s.key))
        .map(|s| s.key.clone());
    let partitions: Vec<PartitionLag> = lags
        .iter()
        .enumerate()
        .map(|(i, l)| PartitionLag {
            partition: i as i32,
            committed: l.map(|l| 1000 - l),
            log_end: Some(1000),
            lag: *l,
            clamped: false,
            status: l.map(|_| status),
            ..PartitionLag::default()
        })
        .collect();
    let known: Vec<i64> = lags.iter().flatten().copied().collect();
    GroupTopicLag {
        group: group.into(),
        topic: topic.into(),
        declared: service.is_some(),
        service,
        state: None,
        members: None,
        total_lag: (!known.is_empty()).then(|| known.iter().sum()),
        max_lag: known.iter().copied().max(),
        time_lag_s: (!known.is_empty()).then_some(12.5),
        time_lag_approx: status == Health::Stop,
        consume_rate: Some(3.5),
        status,
        partitions,
        ..GroupTopicLag::default()
    }
}

fn live_app(w: u16, h: u16, stale: bool) -> App {
    live_app_in(Theme { color: false }, w, h, stale)
}

/// The seed registry with a scripted live picture: topics and groups in every common
/// status (OK, IDLE, WARN, STALL, STOP, UNKNOWN), optionally stale with an error.
pub(crate) fn live_app_in(theme: Theme, w: u16, h: u16, stale: bool) -> App {
    let mut app = App::new(Data::new(common::main_registry()), w, h, theme);
    let mut v = LiveView {
        source: "demo cluster".into(),
        sample_ms: Some(12),
        stale,
        errors: if stale {
            vec!["metadata: BrokerTransportFailure".into()]
        } else {
            vec![]
        },
        ..LiveView::default()
    };
    let topic = |rate: f64, lag: i64, worst: Health| TopicLive {
        produce_rate: Some(rate),
        total_lag: Some(lag),
        worst: Some(worst),
        partitions: 10,
        rate_history: vec![1, 3, 5, 8, 6, 9, 12, 10],
        lag_history: vec![0, 2, 4, 8, 16, 32],
        on_cluster: true,
        ..TopicLive::default()
    };
    v.topics.insert("config_events".into(), topic(12.5, 160, Health::Warn));
    v.topics.insert("voice_events".into(), topic(4.0, 350, Health::Stall));
    v.topics
        .insert("collaboration_events".into(), topic(0.0, 0, Health::Idle));
    v.topics.insert(
        "nda_events".into(),
        TopicLive {
            produce_rate: Some(0.5),
            on_cluster: true,
            ..TopicLive::default()
        },
    );
    v.groups = vec![
        group(
            &app,
            "agent_orchestration_config_events_consumer",
            "config_events",
            Health::Warn,
            &[Some(80), Some(80)],
        ),
        group(
            &app,
            "voice_agent_config_events_consumer",
            "config_events",
            Health::Ok,
            &[Some(0), Some(0)],
        ),
        group(
            &app,
            "analytics_voice_events_consumer",
            "voice_events",
            Health::Stall,
            &[Some(175), Some(175)],
        ),
        group(
            &app,
            "monitoring_engine_voice_events_consumer",
            "voice_events",
            Health::Unknown,
            &[None, None],
        ),
        group(
            &app,
            "agent_copilot_collaboration_events_consumer",
            "collaboration_events",
            Health::Idle,
            &[Some(0)],
        ),
        group(&app, "legacy_reader", "config_events", Health::Stop, &[Some(9)]),
    ];
    app.update(Event::Tick(10.0));
    app.update(Event::Live(Box::new(v)));
    app.update(Event::Tick(13.0));
    app
}

fn command(app: &mut App, cmd: &str) {
    app.update(Event::Key(KeyEvent::new(KeyCode::Char(':'), KeyModifiers::NONE)));
    for c in cmd.chars() {
        app.update(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
    app.update(Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
}

#[test]
fn topics_show_rate_lag_health_and_trend() {
    for (w, h) in [(80, 24), (120, 40)] {
        let app = live_app(w, h, false);
        let s = common::screen(&app);
        assert!(s.contains("● demo cluster · 3s ago · 12 ms"), "{s}");
        insta::assert_snapshot!(format!("live_topics_{w}x{h}"), s);
    }
}

#[test]
fn lag_table_is_worst_first_with_partitions() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = live_app(w, h, false);
        command(&mut app, "lag");
        let s = common::screen(&app);
        let stop = s.find("legacy_reader").unwrap_or_else(|| panic!("{s}"));
        let stall = s.find("analytics_voice_").unwrap();
        let warn = s.find("agent_orchestrat").unwrap();
        assert!(stop < stall && stall < warn, "worst first:\n{s}");
        insta::assert_snapshot!(format!("live_lag_{w}x{h}"), s);
        // The lag table filters like every other list.
        for c in "/voice".chars() {
            app.update(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
        }
        assert_eq!(app.screen().items.len(), 3, "two voice_events groups and voice_agent's");
    }
}

#[test]
fn stale_data_and_errors_are_visible() {
    let app = live_app(120, 40, true);
    let s = common::screen(&app);
    assert!(s.contains("STALE"), "{s}");
    assert!(s.contains("✗ metadata: BrokerTransportFailure"), "{s}");
    insta::assert_snapshot!("live_stale_120x40", s);
}

#[test]
fn graph_and_detail_carry_live_numbers() {
    let mut app = live_app(120, 40, false);
    command(&mut app, "graph topic:config_events");
    let s = common::screen(&app);
    // The edge's label (the topic box alone would say "lag 160" too).
    assert!(s.contains("lag 160 · 3.5/s"), "{s}");
    insta::assert_snapshot!("live_graph_120x40", s);
    let mut app = live_app(120, 40, false);
    command(&mut app, "services");
    insta::assert_snapshot!("live_services_120x40", common::screen(&app));
    command(&mut app, "impact topic:config_events");
    insta::assert_snapshot!("live_impact_120x40", common::screen(&app));
}

#[test]
fn a_ten_kilobyte_group_id_does_not_squeeze_the_other_columns() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = App::new(Data::new(common::main_registry()), w, h, Theme { color: false });
        let huge = "g".repeat(10_000);
        let v = LiveView {
            source: "scripted".into(),
            sample_ms: Some(5),
            groups: vec![
                group(&app, &huge, "config_events", Health::Warn, &[Some(80)]),
                group(
                    &app,
                    "voice_agent_config_events_consumer",
                    "config_events",
                    Health::Ok,
                    &[Some(0)],
                ),
            ],
            ..LiveView::default()
        };
        app.update(Event::Live(Box::new(v)));
        command(&mut app, "lag");
        let s = common::screen(&app);
        let col = |line: &str, what: &str| line.find(what).map(|b| line[..b].chars().count());
        let header = s.lines().find(|l| l.contains("GROUP")).unwrap();
        let row = s.lines().find(|l| l.contains("ggg") && l.contains("WARN")).unwrap();
        // Every column keeps its place: the topic and the status where the header says.
        assert_eq!(col(row, "config_ev"), col(header, "TOPIC"), "{w}x{h}:\n{s}");
        assert_eq!(col(row, "▲ WARN"), col(header, "STATUS"), "{w}x{h}:\n{s}");
    }
}

/// An unreachable broker: until a sample succeeds the header says it cannot reach it
/// and why, never an age as if a sample had arrived.
#[test]
fn the_header_says_a_broker_cannot_be_reached_until_a_sample_succeeds() {
    let mut a = ktopo::tui::state::App::new(
        ktopo::tui::data::Data::new(common::main_registry()),
        80,
        24,
        ktopo::tui::theme::Theme { color: false },
    );
    let failed = ktopo::core::live::view::LiveView {
        source: "127.0.0.1:1".into(),
        errors: vec!["Local: Broker transport failure (after 5000 ms)".into()],
        ..Default::default()
    };
    a.update(ktopo::tui::state::Event::Live(Box::new(failed)));
    let top = common::screen(&a).lines().next().unwrap().to_string();
    assert!(top.contains("○ cannot reach 127.0.0.1:1: Local: B"), "{top}");
    assert!(
        top.trim_end().ends_with('…'),
        "the reason is cut to fit, and says so: {top}"
    );
    assert!(!top.contains("ago"), "{top}");
}
