//! Kafka Connect live: read along the sampler on a thread of its own (a worker that
//! never answers stalls neither a round nor the UI), the TUI's services list and
//! connector detail against the fake worker (`kafka_connect::server`), staleness fed
//! by a failed source connector, and the demo's own Connect worker.

use crate::common;
use crate::kafka_connect::server::{serve, Options};
use crate::kafka_connect::{modern_routes, ok, EXPANDED};
use crossterm::event::KeyCode;
use ktopo::cluster::kafka::config::Properties;
use ktopo::cluster::kafka_connect::settings::from_args;
use ktopo::cluster::kafka_connect::watch::ConnectWatch;
use ktopo::core::connectors::live::Live;
use ktopo::core::connectors::State;
use ktopo::core::live::view::{GroupTopicLag, Health, LiveView};
use ktopo::core::topology::{Node, Topology};
use ktopo::tui::state::{App, Event};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

const REGISTRY: &str = "tests/fixtures/connect_live.yaml";
const ENTERPRISE: &str = "assets/registries/enterprise-agent-platform.yaml";

#[derive(clap::Parser)]
struct Flags {
    #[command(flatten)]
    conn: ktopo::cluster::connect::ConnArgs,
}

/// The connection flags as the command line gives them (no broker: the demo cluster).
fn conn(args: &[&str]) -> ktopo::cluster::connect::ConnArgs {
    use clap::Parser;
    Flags::parse_from(std::iter::once("ktopo").chain(args.iter().copied())).conn
}

fn watch(url: &str, timeout: Duration) -> ConnectWatch {
    let mut s = from_args(&[format!("main={url}")], &Properties::default()).unwrap();
    s[0].timeout = Some(timeout);
    ConnectWatch::start(s, None).unwrap()
}

/// Kick a read and wait for it (at most `within`).
fn read_once(w: &mut ConnectWatch, within: Duration) -> Option<Arc<Live>> {
    w.kick();
    let until = Instant::now() + within;
    while Instant::now() < until {
        if let Some(l) = w.take() {
            return Some(l);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// The fixtures' worker, its warehouse-sink trace replaced by `trace`.
fn routes_with_trace(trace: &str) -> std::collections::HashMap<String, (u16, String)> {
    let mut r = modern_routes();
    let mut all: Value = serde_json::from_str(EXPANDED).unwrap();
    all["warehouse-sink"]["status"]["tasks"][1]["trace"] = Value::String(trace.into());
    r.insert("/connectors?expand=status&expand=info".into(), ok(&all));
    r
}

/// Open warehouse-sink's detail and read all of its facts, a page at a time; no
/// control character may reach the terminal on any page.
fn detail_pages(mut app: App) -> (String, App) {
    let si = app.data.reg.service_by_key("warehouse-sink").unwrap();
    common::run_command(&mut app, "services");
    let pos = app.screen().items.services().iter().position(|&s| s == si).unwrap();
    for _ in 0..pos {
        common::press(&mut app, KeyCode::Down);
    }
    common::press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen().route, ktopo::tui::state::Route::Service(si));
    common::press(&mut app, KeyCode::Tab);
    let mut seen = String::new();
    for _ in 0..12 {
        let buf = common::buffer(&app);
        for cell in buf.content() {
            assert!(
                !cell.symbol().chars().any(|c| c.is_control() || c == '\u{202e}'),
                "a control character reached the terminal"
            );
        }
        seen.push_str(&common::screen(&app));
        common::press(&mut app, KeyCode::PageDown);
    }
    (seen, app)
}

/// The app on the fixture registry, with a picture holding `live` and the sink's group.
fn app_with(live: Arc<Live>, w: u16, h: u16) -> App {
    let mut app = common::app(REGISTRY, w, h);
    let group = GroupTopicLag {
        group: "connect-warehouse-sink".into(),
        topic: "db.changes.users".into(),
        service: Some("warehouse-sink".into()),
        declared: true,
        total_lag: Some(321),
        status: Health::Warn,
        ..GroupTopicLag::default()
    };
    let view = LiveView {
        source: "scripted".into(),
        sample_ms: Some(5),
        wall_ms: Some(live.read_at_ms + 90_000),
        groups: vec![group],
        connect: Some(live),
        ..LiveView::default()
    };
    app.update(Event::Live(Box::new(view)));
    app
}

#[test]
fn the_watch_reads_off_the_round_and_keeps_since_when_a_state_shows() {
    let server = serve(modern_routes(), Options::default());
    let mut w = watch(&server.url, Duration::from_secs(5));
    let first = read_once(&mut w, Duration::from_secs(10)).expect("a read");
    let list = first.reads[0].connectors.as_ref().unwrap();
    assert_eq!(list.len(), 7);
    let sink = list.iter().find(|c| c.name == "warehouse-sink").unwrap();
    assert_eq!(sink.rolled_up(), State::Failed);
    let since = first.since_ms("main", "warehouse-sink").unwrap();
    // Not due again before `every`: no second read is asked for.
    w.kick();
    assert!(!w.reading(), "a read is due only every 30 s");
    w.every = Duration::ZERO;
    std::thread::sleep(Duration::from_millis(5));
    let second = read_once(&mut w, Duration::from_secs(10)).expect("a second read");
    assert!(second.read_at_ms >= first.read_at_ms);
    assert_eq!(
        second.since_ms("main", "warehouse-sink"),
        Some(since),
        "still FAILED: since when is kept"
    );
    assert!(server.requests().iter().all(|r| r.method == "GET"));
}

/// A worker that accepts connections and never answers, holding them until `stop`.
struct Silent {
    url: String,
    addr: std::net::SocketAddr,
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn silent_worker() -> Silent {
    use std::sync::atomic::Ordering;
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let thread = std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in l.incoming().flatten() {
            if flag.load(Ordering::SeqCst) {
                return;
            }
            held.push(s);
        }
    });
    Silent {
        url: format!("http://{addr}"),
        addr,
        stop,
        thread: Some(thread),
    }
}

impl Silent {
    /// Close every connection held (the client then sees its request fail) and end
    /// the thread.
    fn stop(mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = std::net::TcpStream::connect(self.addr);
        self.thread.take().unwrap().join().unwrap();
    }
}

#[test]
fn a_silent_worker_costs_a_round_nothing_and_is_said_when_the_timeout_ends() {
    let worker = silent_worker();
    let mut w = watch(&worker.url, Duration::from_millis(2500));
    // Kicks and takes return at once while the read waits for the worker.
    w.kick();
    for _ in 0..5 {
        assert!(w.take().is_none());
        w.kick();
    }
    assert!(w.reading());
    let live = read_once(&mut w, Duration::from_secs(30)).expect("the timeout ends the read");
    let err = live.reads[0].connectors.as_ref().unwrap_err();
    assert!(err.contains("no answer within 2.5 s"), "{err}");
    assert!(!w.reading());
    worker.stop();
}

/// The TUI on the demo cluster with `--connect` at a worker that never answers (a
/// 60 s request timeout: it answers nothing for the whole test): pictures keep coming
/// (the sampler never waits for Connect), none holds a Connect read, the app answers
/// keys and draws between them; once the worker hangs up, the unread cluster is said.
#[test]
fn a_silent_connect_worker_never_stalls_the_tui() {
    let worker = silent_worker();
    let reg = Arc::new(common::load(ENTERPRISE));
    let mut app = App::new(
        ktopo::tui::data::Data::new((*reg).clone()),
        80,
        24,
        ktopo::tui::theme::Theme { color: false },
    );
    let conn = conn(&[
        "--interval",
        "0.5",
        "-X",
        "connect.request.timeout.ms=60000",
        "--connect",
        &format!("dead={}", worker.url),
    ]);
    let (tx, rx) = std::sync::mpsc::channel();
    let feed = ktopo::tui::live_feed::spawn(
        &conn,
        (app.data.generation, reg),
        ktopo::core::join::Setting::default(),
        tx,
    )
    .unwrap();
    // Every picture while the worker holds the request comes without a Connect read:
    // the round that asked did not wait for it (a read on the sampling thread would
    // hold the first picture for the whole request).
    let mut pictures = 0;
    let began = Instant::now();
    while pictures < 5 {
        assert!(
            began.elapsed() < Duration::from_secs(50),
            "only {pictures} pictures in 50 s at a 0.5 s interval"
        );
        if let Ok(e) = rx.recv_timeout(Duration::from_millis(100)) {
            if let Event::Joined { view, .. } = &e {
                assert!(view.connect.is_none(), "a round waited for the silent worker");
                pictures += 1;
            }
            app.update(e);
        }
        // Keys are answered between pictures: each press draws a screen.
        common::press(&mut app, KeyCode::Char('j'));
        assert!(!common::screen(&app).is_empty());
    }
    // The worker hangs up: the read ends, and the services list says so.
    worker.stop();
    let said = common::wait_until(Duration::from_secs(20), || {
        while let Ok(e) = rx.try_recv() {
            app.update(e);
        }
        app.live.as_ref().is_some_and(|l| l.connect.is_some())
    });
    assert!(said, "the Connect read never came back");
    let live = app.live.as_ref().unwrap().connect.clone().unwrap();
    assert!(live.reads[0].connectors.is_err());
    common::run_command(&mut app, "services");
    common::press(&mut app, KeyCode::Char('/'));
    for c in "warehouse".chars() {
        common::press(&mut app, KeyCode::Char(c));
    }
    common::press(&mut app, KeyCode::Enter);
    let screen = common::screen(&app);
    assert!(screen.contains("? UNREAD"), "{screen}");
    feed.stop.store(true, std::sync::atomic::Ordering::SeqCst);
}

#[test]
fn the_services_list_shows_each_connectors_rolled_up_state_at_80x24() {
    let server = serve(modern_routes(), Options::default());
    let mut w = watch(&server.url, Duration::from_secs(5));
    let live = read_once(&mut w, Duration::from_secs(10)).unwrap();
    let mut app = app_with(live, 80, 24);
    common::run_command(&mut app, "services");
    let screen = common::screen(&app);
    let row = |name: &str| {
        screen
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not listed:\n{screen}"))
            .to_string()
    };
    assert!(row("cdc-postgres").contains("✓ RUNNING"), "{screen}");
    assert!(
        row("warehouse-sink").contains("✗ FAILED"),
        "a RUNNING connector with a FAILED task: {screen}"
    );
    assert!(row("broken-source").contains("✗ FAILED"), "{screen}");
    assert!(
        !row("Analytics").contains("RUNNING"),
        "a service keeps its groups' health"
    );
}

#[test]
fn the_connector_detail_shows_tasks_workers_the_trace_topics_and_the_group() {
    // A hostile trace: control characters, 40 frames, 20 exceptions deep.
    let mut trace = String::from("org.apache.kafka.connect.errors.ConnectException: boom\x1b[2J\u{202e}\n");
    for i in 0..40 {
        trace.push_str(&format!("\tat com.example.Frame{i}.run(Frame.java:{i})\n"));
    }
    for i in 0..20 {
        trace.push_str(&format!("Caused by: com.example.Cause{i}: deeper\n\t... {i} more\n"));
    }
    let server = serve(routes_with_trace(&trace), Options::default());
    let mut w = watch(&server.url, Duration::from_secs(5));
    let live = read_once(&mut w, Duration::from_secs(10)).unwrap();
    // At 80x24 the facts wrap and scroll; at 160x50 each fact is on one line.
    let (narrow, _) = detail_pages(app_with(live.clone(), 80, 24));
    for want in [
        "✗ FAILED",
        "10.0.1.6:8083",
        "trace of task 1",
        "… 7 more lines",
        "▲ WARN",
    ] {
        assert!(narrow.contains(want), "{want:?} not in the detail at 80x24:\n{narrow}");
    }
    let (seen, _) = detail_pages(app_with(live, 160, 50));
    for want in [
        "io.confluent.connect.jdbc.JdbcSinkConnector",
        "✗ FAILED: 1/2 tasks running (FAILED)",
        "10.0.1.6:8083",
        "trace of task 1 (60 stack frames, 7 more lines not shown",
        "ConnectException: boom\\u{1b}[2J\\u{202e}",
        "Caused by: com.example.Cause12: deeper",
        "… 7 more lines",
        "in use: db.changes.conversations, db.changes.users",
        "not declared: db.changes.conversations",
        "connect-warehouse-sink · lag 321 on 1 topic",
        "▲ WARN",
    ] {
        assert!(seen.contains(want), "{want:?} not in the detail:\n{seen}");
    }
    assert!(!seen.contains("Frame0.run"), "frames are counted, not shown");
    assert!(!seen.contains("Cause13"), "the exceptions are cut at their first lines");
    assert!(!seen.contains("wh-hunter2"), "the connector's config is not shown");
    // The group's health is labelled as the group's, not as the connector's.
    assert!(!seen.lines().any(|l| l.contains("│health ")), "{seen}");
}

#[test]
fn a_failed_source_makes_what_it_feeds_stale_and_says_why() {
    let server = serve(modern_routes(), Options::default());
    let mut w = watch(&server.url, Duration::from_secs(5));
    let live = read_once(&mut w, Duration::from_secs(10)).unwrap();
    let since = live.since_ms("main", "broken-source").unwrap();
    let app = app_with(live, 160, 30);
    let reg = &app.data.reg;
    let topo = Topology::build(reg);
    let view = app.live.as_ref().unwrap();
    let st = ktopo::core::stale::propagate(reg, &topo, view, ktopo::core::stale::DEFAULT_MIN_S);
    let stale_of = |n: Node| st.of(n).map(|(_, c)| c.name().to_string());
    let topic = |t: &str| Node::Topic(reg.topic_index(t).unwrap());
    let svc = |s: &str| Node::Service(reg.service_by_key(s).unwrap());
    for n in [
        topic("metrics.raw"),
        svc("dashboard"),
        topic("metrics.summary"),
        svc("alerter"),
    ] {
        assert_eq!(stale_of(n).as_deref(), Some("broken-source"), "{n:?}");
    }
    // A running source feeds fresh data; a stopped one the registry lacks is said.
    assert_eq!(stale_of(topic("db.changes.users")), None);
    assert!(
        st.unplaced
            .iter()
            .any(|u| u.to_string() == "connector legacy-source (STOPPED)"),
        "{:?}",
        st.unplaced
    );
    let (_, c) = st.of(topic("metrics.raw")).unwrap();
    assert_eq!(
        ktopo::core::stale::because(c),
        format!(
            "fed by connector broken-source, FAILED since {}",
            ktopo::core::time::clock(since)
        )
    );
    assert_eq!(ktopo::core::stale::seconds_label(c), "≥1m30s");
    // `impact --live --json` names the connector, not a group.
    let json = ktopo::core::stale::to_json(reg, &st, None, "scripted");
    let row = json["stale"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["node"] == "topic:metrics.raw")
        .unwrap();
    assert_eq!(row["because"]["connector"], "broken-source", "{row}");
    assert_eq!(row["because"]["state"], "FAILED", "{row}");
    assert_eq!(row["because"]["since_ms"], since, "{row}");
    let text = ktopo::core::stale::to_text(reg, &st, None, "scripted");
    assert!(text.contains("because of 1 group and 1 connector"), "{text}");
    // The TUI's stale view says the same.
    let mut app = app;
    common::run_command(&mut app, "stale");
    let screen = common::screen(&app);
    // The sink's group behind counts too; the stopped source the registry lacks is said.
    assert!(screen.contains("because of 1 group and 1 connector"), "{screen}");
    assert!(
        screen.contains("1 source connector stopped outside the registry"),
        "{screen}"
    );
    assert!(screen.contains("✗ FAILED connector broken-source"), "{screen}");
    assert!(screen.contains("broken-source, FAILED since"), "{screen}");
}

/// The demo serves the enterprise registry's connectors on 127.0.0.1: the Debezium
/// source running on db.changes.*, the warehouse sink with a FAILED task and its JDBC
/// trace, and the sink's group committing on the demo cluster.
#[test]
fn the_demo_serves_its_connectors_with_no_setup() {
    let reg = common::load(ENTERPRISE);
    let conn = conn(&["--interval", "0.5"]);
    let mut c = ktopo::cluster::connect::connect(&conn, &reg).unwrap().unwrap();
    let mut metrics = ktopo::core::live::metrics::Metrics::new("demo", 0.5);
    let until = Instant::now() + Duration::from_secs(60);
    let mut view = None;
    while Instant::now() < until {
        if let Ok(s) = c.sampler.sample() {
            metrics.absorb(s);
        }
        let v = metrics.picture(c.sampler.now_s());
        let committed = v
            .groups
            .iter()
            .any(|g| g.group == "connect-warehouse-sync" && g.partitions.iter().any(|p| p.committed.is_some()));
        if v.connect.is_some() && committed {
            view = Some(v);
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let v = view.expect("the demo's connectors and the sink's commits within 60 s");
    let live = v.connect.as_ref().unwrap();
    assert_eq!(live.reads[0].name, "demo");
    assert!(
        live.reads[0].url.starts_with("http://127.0.0.1:"),
        "{}",
        live.reads[0].url
    );
    let list = live.reads[0].connectors.as_ref().unwrap();
    let cdc = list.iter().find(|c| c.name == "cdc-debezium").unwrap();
    assert_eq!(cdc.rolled_up(), State::Running);
    assert!(cdc.known_topics().iter().any(|t| t == "db.changes.users"), "{cdc:?}");
    let sink = list.iter().find(|c| c.name == "warehouse-sync").unwrap();
    assert_eq!(sink.rolled_up(), State::Failed);
    let trace = sink.first_trace().unwrap();
    assert!(trace
        .first_line(200)
        .starts_with("org.apache.kafka.connect.errors.ConnectException"));
    assert!(trace.text.contains("io.confluent.connect.jdbc.sink.JdbcSinkTask.put"));
    assert_eq!(sink.group().as_deref(), Some("connect-warehouse-sync"));
    // GET only: anything else is refused.
    let addr = live.reads[0].url.trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    use std::io::{Read, Write};
    s.write_all(b"DELETE /connectors/warehouse-sync HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 405"), "{out}");
}

/// Without a Connect read (no `--connect`), a sink's HEALTH is its group's status, as
/// for any consumer.
#[test]
fn without_connect_a_sink_shows_its_groups_status() {
    let mut app = common::app(REGISTRY, 80, 24);
    let view = LiveView {
        source: "scripted".into(),
        sample_ms: Some(5),
        groups: vec![GroupTopicLag {
            group: "connect-warehouse-sink".into(),
            topic: "db.changes.users".into(),
            service: Some("warehouse-sink".into()),
            declared: true,
            total_lag: Some(321),
            status: Health::Warn,
            ..GroupTopicLag::default()
        }],
        ..LiveView::default()
    };
    app.update(Event::Live(Box::new(view)));
    common::run_command(&mut app, "services");
    let screen = common::screen(&app);
    let row = screen.lines().find(|l| l.contains("warehouse-sink")).unwrap();
    assert!(row.contains("▲ WARN"), "{screen}");
}

/// A registry text's app, no colour.
fn app_of(yaml: &str, w: u16, h: u16) -> App {
    let checked = ktopo::core::registry::load_str("inline.yaml", yaml.to_string());
    assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
    let data = ktopo::tui::data::Data::new(checked.registry.unwrap());
    App::new(data, w, h, ktopo::tui::theme::Theme { color: false })
}

fn no_control_cell(app: &App) {
    for cell in common::buffer(app).content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control() || c == '\u{202e}'),
            "a control character reached the terminal: {:?}",
            cell.symbol()
        );
    }
}

/// A failed source connector whose declared name holds ESC: the stale view shows it
/// (as the rest of the TUI escapes names), no control character in any cell.
#[test]
fn a_hostile_connector_name_in_the_stale_view_is_made_visible() {
    let evil = "evil\u{1b}[2J\u{202e}src";
    let yaml = "services:\n  - { key: team, name: Team }\n  - { key: dash, name: Dash }\ntopics:\n  - name: metrics.raw\n    consumers: [dash]\nconnectors:\n  - { name: \"evil\\e[2J\\u202Esrc\", type: source, service: team, topics: [metrics.raw] }\n";
    let status = serde_json::json!({"name": evil, "type": "source",
        "connector": {"state": "FAILED", "worker_id": "w:8083"}, "tasks": []});
    let info = serde_json::json!({"name": evil, "type": "source",
        "config": {"connector.class": "X"}, "tasks": []});
    let mut routes = std::collections::HashMap::new();
    routes.insert(
        "/connectors?expand=status&expand=info".to_string(),
        ok(&serde_json::json!({ evil: {"info": info, "status": status} })),
    );
    let server = serve(routes, Options::default());
    let mut w = watch(&server.url, Duration::from_secs(5));
    let live = read_once(&mut w, Duration::from_secs(10)).unwrap();
    let mut app = app_of(yaml, 160, 30);
    let view = LiveView {
        source: "scripted".into(),
        sample_ms: Some(5),
        wall_ms: Some(live.read_at_ms + 90_000),
        connect: Some(live),
        ..LiveView::default()
    };
    app.update(Event::Live(Box::new(view)));
    common::run_command(&mut app, "stale");
    let screen = common::screen(&app);
    assert!(screen.contains("connector evil\\u{1b}[2J"), "{screen}");
    no_control_cell(&app);
}

/// An undeclared group named `connector x` behind is a group, not a stopped source
/// connector: the cause is typed, never told apart by its words.
#[test]
fn a_group_named_like_a_connector_is_counted_as_a_group() {
    let mut app = common::app(REGISTRY, 160, 30);
    let view = LiveView {
        source: "scripted".into(),
        sample_ms: Some(5),
        groups: vec![GroupTopicLag {
            group: "connector x".into(),
            topic: "metrics.raw".into(),
            service: None,
            total_lag: Some(500),
            time_lag_s: Some(120.0),
            status: Health::Stop,
            ..GroupTopicLag::default()
        }],
        ..LiveView::default()
    };
    app.update(Event::Live(Box::new(view)));
    common::run_command(&mut app, "stale");
    let screen = common::screen(&app);
    assert!(screen.contains("1 group behind outside the registry"), "{screen}");
    assert!(!screen.contains("source connector"), "{screen}");
}

/// A sink's group whose lags are i64::MAX (a hostile broker): the detail sums them
/// saturated, never overflowing.
#[test]
fn a_sinks_group_with_huge_lags_is_summed_saturated() {
    let server = serve(modern_routes(), Options::default());
    let mut w = watch(&server.url, Duration::from_secs(5));
    let live = read_once(&mut w, Duration::from_secs(10)).unwrap();
    let mut app = common::app(REGISTRY, 160, 40);
    let row = |topic: &str| GroupTopicLag {
        group: "connect-warehouse-sink".into(),
        topic: topic.into(),
        service: Some("warehouse-sink".into()),
        declared: true,
        total_lag: Some(i64::MAX),
        status: Health::Stop,
        ..GroupTopicLag::default()
    };
    let view = LiveView {
        source: "scripted".into(),
        sample_ms: Some(5),
        wall_ms: Some(live.read_at_ms + 90_000),
        groups: vec![row("db.changes.users"), row("db.changes.conversations")],
        connect: Some(live),
        ..LiveView::default()
    };
    app.update(Event::Live(Box::new(view)));
    let (seen, _) = detail_pages(app);
    assert!(seen.contains(&format!("lag {} on 2 topics", i64::MAX)), "{seen}");
}

/// The demo's worker routes a connector by its name percent-encoded, as the client
/// sends it: a name with a space has its topics too.
#[test]
fn the_demo_worker_serves_a_name_with_a_space() {
    let yaml = "services:\n  - { key: team, name: Team }\ntopics:\n  - name: metrics.raw\nconnectors:\n  - { name: \"my source\", type: source, service: team, topics: [metrics.raw] }\n";
    let checked = ktopo::core::registry::load_str("inline.yaml", yaml.to_string());
    assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
    let reg = checked.registry.unwrap();
    let server = ktopo::cluster::demo_connect::start(&reg).expect("a connector is declared");
    let s = from_args(&[format!("demo={}", server.url)], &Properties::default()).unwrap();
    let reads = ktopo::cluster::kafka_connect::clusters::read_all(s);
    let list = reads[0].connectors.as_ref().unwrap();
    assert_eq!(list[0].name, "my source");
    assert_eq!(
        list[0].known_topics(),
        vec!["metrics.raw".to_string()],
        "{:?}",
        reads[0]
    );
    assert!(reads[0].notes.is_empty(), "{:?}", reads[0].notes);
}
