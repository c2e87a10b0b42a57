//! The `:drift` view and the deprecated view's migration column, from a scripted live
//! picture of a cluster that disagrees with registry.yaml.

use crate::common;
use crossterm::event::KeyCode;
use ktopo::core::live::view::{GroupTopicLag, LiveView, PartitionLag, TopicLive};
use ktopo::tui::state::{App, Event, Route};

use common::{press as key, run_command as command};

fn drifted_app() -> App {
    let mut app = common::app("registry.yaml", 120, 40);
    // The scripted cluster stands for the demo's development one (its replication).
    app.setting.environment = "development".into();
    let mut v = LiveView {
        sample_ms: Some(10),
        source: "demo cluster".into(),
        groups_listed: true,
        ..LiveView::default()
    };
    // Every declared topic exists with its declared partitions, but for three.
    for t in &app.data.reg.topics {
        if t.status == ktopo::core::registry::Status::Proposed || t.name == "agent_action_events" {
            continue;
        }
        let partitions = if t.name == "billing_events" {
            6
        } else {
            t.config.partitions.unwrap_or(10) as usize
        };
        let rate = match t.status {
            _ if t.name == "nda_events" => 0.5,
            ktopo::core::registry::Status::Deprecated => 0.0,
            _ => 1.0,
        };
        // pricing_events was last written three hours ago.
        let last_write_ms = (t.name == "pricing_events").then(|| ktopo::core::time::now_ms() - 3 * 3_600_000);
        v.topics.insert(
            t.name.clone(),
            TopicLive {
                partitions,
                replication: Some(1),
                produce_rate: Some(rate),
                on_cluster: true,
                last_write_ms,
                ..TopicLive::default()
            },
        );
    }
    v.topics.insert(
        "adhoc_debug_dump".into(),
        TopicLive {
            partitions: 1,
            on_cluster: true,
            ..TopicLive::default()
        },
    );
    let row = |group: &str, topic: &str, committed: Option<i64>| GroupTopicLag {
        group: group.into(),
        topic: topic.into(),
        declared: true,
        partitions: vec![PartitionLag {
            partition: 0,
            committed,
            log_end: Some(10),
            ..PartitionLag::default()
        }],
        ..GroupTopicLag::default()
    };
    v.groups = vec![
        row("monitoring_engine_voice_events_consumer", "voice_events", None),
        row("analytics_voice_events_consumer", "voice_events", Some(3)),
        GroupTopicLag {
            declared: false,
            service: Some("prd_builder".into()),
            ..row("prd_builder_nda_events_consumer", "nda_events", Some(4))
        },
    ];
    app.update(Event::Tick(1.0));
    app.update(Event::Live(Box::new(v.clone())));
    app.update(Event::Live(Box::new(v)));
    app
}

#[test]
fn drift_view_lists_findings_worst_first_with_locations() {
    let mut app = drifted_app();
    let s = common::screen(&app);
    assert!(
        s.contains("drift: 2 errors, 4 warnings (:drift)"),
        "status bar count:\n{s}"
    );
    command(&mut app, "drift");
    let s = common::screen(&app);
    for want in [
        "✗ error",
        "missing-consumer",
        // The selected finding, in full, with its place in the registry.
        "MISSING: declared consumer group `monitoring_engine_voice_events_consumer` has no commits",
        "registry.yaml:257:11)",
        "missing-topic",
        "`agent_action_events` is declared active but does not exist",
        "`billing_events` has 6 partitions on the cluster; the registry's default",
        "`adhoc_debug_dump` exists on the cluster",
        "still receives writes: 0.5 msg/s",
        "not computed: retention and compression drift: topic configurations have not been read yet",
    ] {
        assert!(s.contains(want), "{want}:\n{s}");
    }
    assert!(
        s.find("missing-consumer").unwrap() < s.find("partitions").unwrap(),
        "worst first"
    );
    insta::assert_snapshot!("drift_120x40", s.replace(&common::root().display().to_string(), "ROOT"));
    // Enter opens the topic a finding is about.
    key(&mut app, KeyCode::Enter);
    assert!(
        matches!(app.screen().route, Route::Topic(_)),
        "{:?}",
        app.screen().route
    );
}

#[test]
fn deprecated_view_shows_migration_progress() {
    let mut app = drifted_app();
    command(&mut app, "deprecated");
    let s = common::screen(&app);
    let nda = s.lines().find(|l| l.contains("nda_events")).unwrap();
    assert!(nda.contains("▲ 1 group"), "one group still reads nda_events:\n{s}");
    let pricing = s.lines().find(|l| l.contains("pricing_events")).unwrap();
    assert!(pricing.contains("✓ none left"), "{s}");
    assert!(pricing.contains("idle 3h"), "when it was last written: {pricing}");
    insta::assert_snapshot!("deprecated_migration_120x40", s);
}

#[test]
fn drift_shows_where_people_look_badges_and_the_topic_detail() {
    let mut app = drifted_app();
    command(&mut app, "topics");
    let s = common::screen(&app);
    let billing = s.lines().find(|l| l.contains("billing_events")).unwrap();
    assert!(billing.contains("billing_events ≠1"), "a badge on the topic: {billing}");
    let auth = s.lines().find(|l| l.contains("auth_events")).unwrap();
    assert!(!auth.contains('≠'), "no badge without drift: {auth}");
    let ti = app.data.reg.topic_index("billing_events").unwrap();
    let mut detail = drifted_app();
    command(&mut detail, "topics");
    while detail.screen().items.topics()[detail.screen().selected] != ti {
        key(&mut detail, KeyCode::Down);
    }
    key(&mut detail, KeyCode::Enter);
    let s = common::screen(&detail);
    assert!(
        s.contains("drift") && s.contains("▲ `billing_events` has 6 partitions"),
        "{s}"
    );
}

#[test]
fn services_show_their_drift_and_the_graph_draws_observed_consumers() {
    let mut app = drifted_app();
    command(&mut app, "services");
    let s = common::screen(&app);
    let mon = s.lines().find(|l| l.contains("Monitoring Engine")).unwrap();
    assert!(mon.contains("Monitoring Engine ≠1"), "a badge on the service: {mon}");
    let auth = s.lines().find(|l| l.contains("Research Engine")).unwrap();
    assert!(!auth.contains('≠'), "no badge without drift: {auth}");
    let si = app
        .data
        .reg
        .service_index(&ktopo::core::registry::model::ServiceRef::Key(
            "monitoring_engine".into(),
        ))
        .unwrap();
    while app.screen().items.services()[app.screen().selected] != si {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    let s = common::screen(&app);
    assert!(s.contains("drift       ✗ MISSING: declared consumer group"), "{s}");

    // The deprecated topic's graph: the declared consumers, and the group only the
    // cluster shows, drawn apart (dotted arrow, `?`, its own title).
    let mut g = drifted_app();
    command(&mut g, "graph topic:nda_events");
    let s = common::screen(&g);
    assert!(s.contains("? observed"), "{s}");
    assert!(s.contains("┄┄?▶"), "{s}");
    assert!(s.contains("prd_builder_nda_events_c"), "{s}");
    assert!(s.contains("undeclared · commits"), "{s}");
    insta::assert_snapshot!("graph_observed_120x40", s);
    // ... and from the service's side, the topic it reads undeclared.
    let mut g = drifted_app();
    command(&mut g, "graph service:prd_builder");
    let s = common::screen(&g);
    assert!(s.contains("? observed") && s.contains("nda_events"), "{s}");
}

#[test]
fn topic_configurations_read_by_the_sampler_reach_the_drift_view() {
    let mut app = drifted_app();
    let mut v = app.live.clone().unwrap();
    let week = "604800000";
    let configs: std::collections::HashMap<String, std::collections::HashMap<String, String>> = v
        .topics
        .keys()
        .map(|t| {
            let retention = if t == "crm_events" { "86400000" } else { week };
            let cfg = [("retention.ms", retention), ("compression.type", "gzip")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            (t.clone(), cfg)
        })
        .collect();
    v.configs = Some(std::sync::Arc::new(Ok(configs)));
    app.update(Event::Live(Box::new(v)));
    command(&mut app, "drift");
    let s = common::screen(&app);
    assert!(
        s.contains("`crm_events` keeps messages 1.0 days (retention.ms=86400000)"),
        "{s}"
    );
    assert!(!s.contains("not computed: retention"), "{s}");
}

#[test]
fn no_drift_staleness_or_health_without_a_successful_sample() {
    // An unreachable broker: pictures arrive, with errors, but no sample ever succeeded.
    let mut app = common::app("registry.yaml", 120, 40);
    // The scripted cluster stands for the demo's development one (its replication).
    app.setting.environment = "development".into();
    for _ in 0..3 {
        app.update(Event::Live(Box::new(LiveView {
            source: "127.0.0.1:1".into(),
            errors: vec!["metadata: BrokerTransportFailure (Connection refused)".into()],
            ..LiveView::default()
        })));
    }
    assert!(app.joined.drift.is_none() && app.joined.stale.is_none());
    common::run_command(&mut app, "drift");
    let s = common::screen(&app);
    assert!(
        s.contains("No drift yet: it needs a successful sample (no sample of 127.0.0.1:1 has succeeded yet: metadata: BrokerTransportFailure"),
        "{s}"
    );
    assert!(!s.contains("does not exist on the cluster"), "{s}");
    common::run_command(&mut app, "topics");
    assert!(!common::screen(&app).contains('≠'), "no drift badges without evidence");
    common::run_command(&mut app, "lag");
    assert!(common::screen(&app).contains("No lag yet: no sample of 127.0.0.1:1 has succeeded yet"));
}
