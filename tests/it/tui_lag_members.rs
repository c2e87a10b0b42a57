//! The `:lag` detail with what DescribeConsumerGroups gives: members and the
//! partitions each owns, a member with none, retention risk and an unreadable group.

use crate::common;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ktopo::core::live::view::{Drain, GroupTopicLag, Health, LiveView, Member, PartitionLag};
use ktopo::tui::data::Data;
use ktopo::tui::state::{App, Event};
use ktopo::tui::theme::Theme;

fn member(id: &str, client: &str, host: &str, parts: &[i32]) -> Member {
    Member {
        consumer_id: id.into(),
        client_id: client.into(),
        host: host.into(),
        instance_id: None,
        assignment: parts.iter().map(|&p| ("config_events".to_string(), p)).collect(),
    }
}

#[test]
fn lag_detail_shows_members_owners_and_retention_risk() {
    let mut app = App::new(Data::new(common::main_registry()), 120, 40, Theme { color: false });
    let g = GroupTopicLag {
        group: "agent_orchestration_config_events_consumer".into(),
        topic: "config_events".into(),
        service: Some("agent_orchestration".into()),
        declared: true,
        state: Some("Stable".into()),
        kind: Some("Classic".into()),
        members: Some(3),
        member_list: vec![
            member("c-1", "orchestrator-a", "/10.0.0.7", &[0]),
            member("c-2", "orchestrator-b", "/10.0.0.8", &[1]),
            member("c-3", "orchestrator-c", "/10.0.0.9", &[]),
        ],
        partitions: vec![
            PartitionLag {
                partition: 0,
                committed: Some(40),
                log_end: Some(250),
                log_start: Some(100),
                lag: Some(210),
                lost: Some(60),
                owner: Some(0),
                status: Some(Health::Lost),
                ..PartitionLag::default()
            },
            PartitionLag {
                partition: 1,
                committed: Some(50),
                log_end: Some(50),
                log_start: Some(0),
                lag: Some(0),
                owner: Some(1),
                status: Some(Health::Ok),
                ..PartitionLag::default()
            },
        ],
        total_lag: Some(210),
        max_lag: Some(210),
        lost: Some(60),
        retained_share: Some(1.05),
        drain: Some(Drain::Eta(42.0)),
        consume_rate: Some(5.0),
        status: Health::Lost,
        ..GroupTopicLag::default()
    };
    let unread = GroupTopicLag {
        group: "voice_agent_config_events_consumer".into(),
        topic: "config_events".into(),
        declared: true,
        error: Some("committed offsets: Local: Timed out".into()),
        ..GroupTopicLag::default()
    };
    let v = LiveView {
        sample_ms: Some(10),
        source: "127.0.0.1:9092".into(),
        groups: vec![unread, g],
        ..LiveView::default()
    };
    app.update(Event::Tick(1.0));
    app.update(Event::Live(Box::new(v)));
    for k in ":lag".chars() {
        app.update(Event::Key(KeyEvent::new(KeyCode::Char(k), KeyModifiers::NONE)));
    }
    app.update(Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    let s = common::screen(&app);
    // LOST sorts first; the unreadable group is listed, not dropped.
    let lost = s.find("⊘ LOST").unwrap_or_else(|| panic!("{s}"));
    assert!(s.contains("⚠ voice_agent_config_events_consumer"), "{s}");
    assert!(lost < s.find("⚠ voice_agent").unwrap(), "worst first:\n{s}");
    assert!(s.contains("42s"), "drain time:\n{s}");
    assert!(
        s.contains("Stable (Classic) · 3 members, 1 without partitions here"),
        "{s}"
    );
    assert!(
        s.contains("60 messages lost to retention · lag is 105% of the retained log"),
        "{s}"
    );
    assert!(
        s.contains("210 (60 lost)") && s.contains("orchestrator-a @ /10.0.0.7"),
        "{s}"
    );
    assert!(s.contains("orchestrator-b @ /10.0.0.8"), "{s}");
    insta::assert_snapshot!("lag_members_120x40", s);
}

#[test]
fn what_the_cluster_cannot_tell_is_said_on_the_lag_view() {
    let mut app = App::new(Data::new(common::main_registry()), 120, 40, Theme { color: false });
    let v = LiveView {
        sample_ms: Some(10),
        source: "demo cluster".into(),
        limits: vec!["this cluster does not list or describe groups".into()],
        groups: vec![GroupTopicLag {
            group: "analytics_voice_events_consumer".into(),
            topic: "voice_events".into(),
            declared: true,
            ..GroupTopicLag::default()
        }],
        ..LiveView::default()
    };
    app.update(Event::Tick(1.0));
    app.update(Event::Live(Box::new(v)));
    for k in ":lag".chars() {
        app.update(Event::Key(KeyEvent::new(KeyCode::Char(k), KeyModifiers::NONE)));
    }
    app.update(Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    let s = common::screen(&app);
    assert!(
        s.contains("consumer lag (1 group × topic row) · this cluster does not list or describe groups"),
        "{s}"
    );
}

#[test]
fn staleness_is_judged_by_the_ui_when_samples_stop_arriving() {
    let mut app = App::new(Data::new(common::main_registry()), 120, 40, Theme { color: false });
    let v = LiveView {
        sample_ms: Some(10),
        source: "127.0.0.1:9092".into(),
        interval_s: 2.0,
        age_s: Some(0.5),
        ..LiveView::default()
    };
    app.update(Event::Tick(1.0));
    app.update(Event::Live(Box::new(v)));
    let s = common::screen(&app);
    assert!(!s.contains("STALE"), "fresh:\n{s}");
    // No new picture for 10 s: the sampler died or blocks; the header says so.
    app.update(Event::Tick(11.0));
    let s = common::screen(&app);
    assert!(s.contains("10s ago") && s.contains("STALE"), "{s}");
}
