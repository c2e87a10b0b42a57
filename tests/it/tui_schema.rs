//! The topic detail's Schema Registry facts, through the real event loop: samples
//! taken by the real sampler (mock cluster, test Schema Registry on 127.0.0.1, which
//! it asks on its own thread), drawn into a TestBackend.

use crate::common;
use crate::schema_registry::{envelope_avro, send, server};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ktopo::core::live::session::{self, Pace};
use ktopo::tui::state::Event;
use ktopo::tui::{event_loop, Io};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use rdkafka::producer::Producer;
use std::time::Duration;

fn key(c: KeyCode) -> Event {
    Event::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn typed(s: &str) -> Vec<Event> {
    s.chars().map(|c| key(KeyCode::Char(c))).collect()
}

#[test]
fn topic_detail_shows_the_last_decoded_value_its_schema_and_the_subjects_latest_version() {
    let sr = server::serve(crate::schema_drift::routes(), None);
    let dir = tempfile::tempdir().unwrap();
    let path = crate::schema_drift::registry(dir.path());
    let (p, bootstrap) = common::mock_cluster(1, &[("billing_events", 1), ("agent_events", 1)]);
    send(&p, "billing_events", None, b"plain \x1b[2J bytes", None);
    send(
        &p,
        "billing_events",
        None,
        &envelope_avro("payment_succeeded", "1.2.0", "5d2c1a3e-8b7f-4c6d-9e0a-1b2c3d4e5f60"),
        None,
    );
    p.flush(Duration::from_secs(10)).unwrap();

    // Three rounds of the real sampler (the tails come with the third).
    let mut app = common::app(path.to_str().unwrap(), 240, 60);
    let mut props = ktopo::cluster::kafka::config::Properties::default();
    props.set("bootstrap.servers", &bootstrap);
    props.set("schema.registry.url", &sr.url);
    let mut sampler =
        ktopo::cluster::kafka::sampler::Sampler::new(props, ktopo::cluster::connect::watch(&app.data.reg)).unwrap();
    let mut metrics = ktopo::core::live::metrics::Metrics::new("mock", 1.0);
    let pace = Pace {
        interval: Duration::from_millis(100),
        quick_rounds: 3,
    };
    let mut view = None;
    session::run(
        &mut sampler,
        &mut metrics,
        pace,
        &std::sync::atomic::AtomicBool::new(false),
        None,
        |r| {
            assert!(r.failed.is_none());
            if r.number < 2 {
                return true;
            }
            view = Some(r.view);
            false
        },
    );

    let mut events = vec![Event::Tick(1.0), Event::Live(Box::new(view.unwrap()))];
    events.push(key(KeyCode::Char(':')));
    events.extend(typed("topics"));
    events.push(key(KeyCode::Enter));
    events.push(key(KeyCode::Char('/')));
    events.extend(typed("topic:re:^billing_events$"));
    events.push(key(KeyCode::Enter));
    events.push(key(KeyCode::Enter));
    // Everything was asked on the sampler's side: drawing asks the registry nothing.
    let asked = sr.requests();
    assert!(asked.iter().all(|r| r.method == "GET"), "{asked:?}");
    let mut terminal = Terminal::new(TestBackend::new(app.width, app.height)).unwrap();
    let mut events = events.into_iter();
    event_loop(
        &mut terminal,
        &mut app,
        Io {
            next: Box::new(move || events.next()),
            effect: Box::new(|_| None),
        },
    )
    .unwrap();
    let screen = common::styled_text(terminal.backend().buffer());
    let screen = common::strip_style_tags(&screen);
    assert!(screen.contains("topic billing_events"), "{screen}");
    for want in [
        "subject     billing_events-value · latest version 4 (id 30) · compatibility NONE (global)",
        "last value  partition 0 · offset 1 · id 30 · billing_events-value v1 · avro",
        r#"            {"event_id":"0b7f6c1e-2f4a-4d1e-9a51-0c3f2b8d9e10","event_type":"payment_succeeded","#,
    ] {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
    assert_eq!(sr.requests(), asked, "the UI thread sent no request");
    drop(p);
}

#[test]
fn topic_detail_shows_the_declared_key_subject_apart_from_the_value_subject() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::schema_drift::registry_with(
        dir.path(),
        &[(
            "billing_events",
            "{ status: defined, format: avro, key_format: avro, key_subject: \"billing-key\\e[2J\" }",
        )],
    );
    let mut app = common::app(path.to_str().unwrap(), 200, 50);
    let mut events = vec![key(KeyCode::Char(':'))];
    events.extend(typed("topics"));
    events.push(key(KeyCode::Enter));
    events.push(key(KeyCode::Char('/')));
    events.extend(typed("topic:re:^billing_events$"));
    events.push(key(KeyCode::Enter));
    events.push(key(KeyCode::Enter));
    let mut terminal = Terminal::new(TestBackend::new(app.width, app.height)).unwrap();
    let mut events = events.into_iter();
    event_loop(
        &mut terminal,
        &mut app,
        Io {
            next: Box::new(move || events.next()),
            effect: Box::new(|_| None),
        },
    )
    .unwrap();
    let screen = common::strip_style_tags(&common::styled_text(terminal.backend().buffer()));
    assert!(screen.contains("topic billing_events"), "{screen}");
    for want in [
        "subject     billing_events-value · not asked yet",
        // The file's text, escaped: no control character reaches the terminal.
        "key subject billing-key\\u{1b}[2J · not asked yet",
    ] {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
    assert!(!screen.contains('\u{1b}'), "{screen}");
}
