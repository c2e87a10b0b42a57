//! Kafka Connect's REST API read by the real client against a worker served on
//! 127.0.0.1 from fixtures of the real API's JSON: every state, a failed task's trace,
//! an old worker without `expand`, 401, 500, a slow worker, hostile names and traces,
//! and the request log proving ktopo sends nothing but GETs.

pub mod server;

use ktopo::cluster::kafka::config::Properties;
use ktopo::cluster::kafka_connect::client::Client;
use ktopo::cluster::kafka_connect::read::read;
use ktopo::cluster::kafka_connect::settings::from_args;
use ktopo::core::connectors::{ClusterRead, Connector, Health, Kind, State, Topics};
use serde_json::{json, Value};
use server::{serve, Options, Server};
use std::collections::HashMap;
use std::time::Duration;

pub const EXPANDED: &str = include_str!("kafka_connect/fixtures/expanded.json");

pub fn ok(v: &Value) -> (u16, String) {
    (200, v.to_string())
}

/// The expanded listing and each connector's topics (`/topics`), as Kafka 3.x serves them.
pub fn modern_routes() -> HashMap<String, (u16, String)> {
    let all: Value = serde_json::from_str(EXPANDED).unwrap();
    let mut r = HashMap::new();
    r.insert("/connectors?expand=status&expand=info".to_string(), ok(&all));
    let used: &[(&str, &[&str])] = &[
        ("cdc-postgres", &["db.changes.users", "db.changes.conversations"]),
        ("warehouse-sink", &["db.changes.users", "db.changes.conversations"]),
        ("audit-sink", &["audit.logins"]),
        ("legacy-source", &[]),
        ("search-sink", &["db.changes.users"]),
        ("metrics-source", &["metrics.raw"]),
        ("broken-source", &[]),
    ];
    for (name, topics) in used {
        r.insert(
            format!("/connectors/{name}/topics"),
            ok(&json!({ *name: {"topics": topics} })),
        );
    }
    r
}

/// An old worker (Kafka 2.2): `expand` ignored, a list of names; no `/topics`.
pub fn old_routes() -> HashMap<String, (u16, String)> {
    let all: Value = serde_json::from_str(EXPANDED).unwrap();
    let mut r = HashMap::new();
    let names: Vec<&String> = all.as_object().unwrap().keys().collect();
    r.insert("/connectors?expand=status&expand=info".to_string(), ok(&json!(names)));
    for (name, e) in all.as_object().unwrap() {
        r.insert(format!("/connectors/{name}/status"), ok(&e["status"]));
        r.insert(format!("/connectors/{name}"), ok(&e["info"]));
    }
    r
}

fn client(url: &str, props: &[(&str, &str)]) -> Client {
    let mut p = Properties::default();
    for (k, v) in props {
        p.set(k, v);
    }
    let s = from_args(&[format!("main={url}")], &p).unwrap().remove(0);
    Client::new(s).unwrap()
}

fn only_gets(server: &Server) {
    let log = server.requests();
    assert!(!log.is_empty());
    assert!(log.iter().all(|r| r.method == "GET"), "{log:?}");
}

fn by_name<'a>(read: &'a ClusterRead, name: &str) -> &'a Connector {
    let list = read.connectors.as_ref().unwrap();
    list.iter().find(|c| c.name == name).unwrap()
}

/// The states the fixtures hold, checked the same for either kind of worker.
fn assert_fixture_states(r: &ClusterRead) {
    let list = r.connectors.as_ref().unwrap();
    let names: Vec<&str> = list.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "audit-sink",
            "broken-source",
            "cdc-postgres",
            "legacy-source",
            "metrics-source",
            "search-sink",
            "warehouse-sink"
        ]
    );
    let states: Vec<(&str, String, Vec<String>)> = list
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.state.word().into_owned(),
                c.tasks.iter().map(|t| t.state.word().into_owned()).collect(),
            )
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        states,
        [
            ("audit-sink", "PAUSED".into(), s(&["PAUSED"])),
            ("broken-source", "FAILED".into(), s(&[])),
            ("cdc-postgres", "RUNNING".into(), s(&["RUNNING"])),
            ("legacy-source", "STOPPED".into(), s(&[])),
            ("metrics-source", "RESTARTING".into(), s(&["RESTARTING"])),
            ("search-sink", "UNASSIGNED".into(), s(&["UNASSIGNED"])),
            ("warehouse-sink", "RUNNING".into(), s(&["RUNNING", "FAILED"])),
        ]
    );
    // Only the CDC source is healthy; the sink RUNNING with a FAILED task is not.
    let healthy: Vec<&str> = list
        .iter()
        .filter(|c| c.health().is_healthy())
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(healthy, ["cdc-postgres"]);
    let wh = by_name(r, "warehouse-sink");
    assert_eq!(
        wh.health(),
        Health::Unhealthy(vec!["1/2 tasks running (FAILED)".into()])
    );
    assert_eq!(wh.kind, Kind::Sink);
    assert_eq!(wh.group().as_deref(), Some("connect-warehouse-sink"));
    let failed = &wh.tasks[1];
    assert_eq!((failed.id, failed.worker.as_deref()), (1, Some("10.0.1.6:8083")));
    assert_eq!(
        failed.trace.as_ref().unwrap().first_line(200),
        "org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception."
    );
    assert!(failed
        .trace
        .as_ref()
        .unwrap()
        .text
        .contains("Caused by: java.sql.SQLException"));
    assert_eq!(by_name(r, "audit-sink").group().as_deref(), Some("audit-archiver"));
    assert_eq!(
        by_name(r, "broken-source").trace.as_ref().unwrap().first_line(200),
        "java.lang.NoClassDefFoundError: com/example/Missing"
    );
    assert_eq!(
        by_name(r, "cdc-postgres").class.as_deref(),
        Some("io.debezium.connector.postgresql.PostgresConnector")
    );
    // The config's passwords are not kept anywhere.
    assert!(!format!("{r:?}").contains("hunter2"));
}

#[test]
fn every_state_the_roll_up_and_topics_in_one_expanded_read() {
    let server = serve(modern_routes(), Options::default());
    let mut c = client(&server.url, &[]);
    let r = read(&mut c);
    assert_fixture_states(&r);
    assert_eq!(r.notes, Vec::<String>::new());
    assert_eq!(
        by_name(&r, "cdc-postgres").topics,
        Topics::Used(vec!["db.changes.conversations".into(), "db.changes.users".into()])
    );
    only_gets(&server);
    // One listing, then one `/topics` per connector: nothing per connector besides.
    let log = server.requests();
    assert_eq!(log.len(), 8, "{log:?}");
    assert_eq!(log[0].path, "/connectors?expand=status&expand=info");
}

#[test]
fn an_old_worker_is_read_connector_by_connector_and_its_missing_topics_said() {
    let server = serve(old_routes(), Options::default());
    let mut c = client(&server.url, &[]);
    let r = read(&mut c);
    assert_fixture_states(&r);
    assert_eq!(
        r.notes,
        [
            "an old worker (before Kafka 2.3, no `expand`): each connector read on its own",
            "topics in use unknown: the worker does not serve /connectors/{name}/topics (before Kafka 2.5)"
        ]
    );
    let wh = by_name(&r, "warehouse-sink");
    assert!(matches!(wh.topics, Topics::NotServed(_)));
    // Without /topics, a sink's configured topics stand in.
    assert_eq!(wh.known_topics(), ["db.changes.users", "db.changes.conversations"]);
    only_gets(&server);
    let paths: Vec<String> = server.requests().into_iter().map(|l| l.path).collect();
    assert!(paths.contains(&"/connectors/warehouse-sink/status".to_string()));
    assert!(paths.contains(&"/connectors/warehouse-sink".to_string()));
    // The 404 on /topics is asked once, not once per connector.
    assert_eq!(paths.iter().filter(|p| p.ends_with("/topics")).count(), 1, "{paths:?}");
}

#[test]
fn basic_auth_from_a_property_or_the_url_and_a_401_that_says_how() {
    let expected = "Basic YW5uOnMzY3JldA=="; // ann:s3cret
    let server = serve(
        modern_routes(),
        Options {
            required_auth: Some(expected.into()),
            ..Options::default()
        },
    );
    let r = read(&mut client(&server.url, &[]));
    let e = r.connectors.unwrap_err();
    assert!(
        e.starts_with("HTTP 401: Unauthorized: set connect.basic.auth.user.info"),
        "{e}"
    );
    let r = read(&mut client(
        &server.url,
        &[("connect.basic.auth.user.info", "ann:s3cret")],
    ));
    assert_fixture_states(&r);
    let with_userinfo = server.url.replace("http://", "http://ann:s3cret@");
    let r = read(&mut client(&with_userinfo, &[]));
    assert_fixture_states(&r);
    assert_eq!(r.url, server.url, "the URL shown has no user info");
    let wrong = server.url.replace("http://", "http://ann:wrong-pw@");
    let r = read(&mut client(&wrong, &[]));
    let e = r.connectors.unwrap_err();
    assert!(e.contains("401") && !e.contains("wrong-pw"), "{e}");
    assert!(server
        .requests()
        .iter()
        .any(|l| l.authorization.as_deref() == Some(expected)));
    only_gets(&server);
}

#[test]
fn a_500_and_a_body_that_is_not_json_are_errors_with_the_workers_words() {
    let mut routes = HashMap::new();
    routes.insert(
        "/connectors?expand=status&expand=info".to_string(),
        (
            500,
            r#"{"error_code":500,"message":"Request timed out\u001b[2J"}"#.to_string(),
        ),
    );
    let server = serve(routes, Options::default());
    let r = read(&mut client(&server.url, &[]));
    assert_eq!(r.connectors.unwrap_err(), "HTTP 500: Request timed out\\u{1b}[2J");
    let mut routes = HashMap::new();
    routes.insert(
        "/connectors?expand=status&expand=info".to_string(),
        (200, "<html>".into()),
    );
    let server = serve(routes, Options::default());
    let e = read(&mut client(&server.url, &[])).connectors.unwrap_err();
    assert!(e.starts_with("answer is not JSON"), "{e}");
}

#[test]
fn a_slow_worker_times_out_with_a_clear_note() {
    let server = serve(
        modern_routes(),
        Options {
            delay: Some(Duration::from_secs(3)),
            ..Options::default()
        },
    );
    let s = from_args(std::slice::from_ref(&server.url), &Properties::default())
        .unwrap()
        .remove(0);
    let mut c = Client::with_timeout(s, Duration::from_millis(300)).unwrap();
    let began = std::time::Instant::now();
    let r = read(&mut c);
    assert_eq!(r.connectors.unwrap_err(), "no answer within 0.3 s");
    // One request, not one per connector.
    assert_eq!(c.sent, 1);
    assert!(began.elapsed() < Duration::from_secs(3));
}

#[test]
fn hostile_names_and_traces_are_kept_as_sent_and_shown_escaped() {
    let evil = "evil\u{1b}]52;c;aGk=\u{7}\nOK forged";
    let listing = json!({ evil: {
        "info": {"name": evil, "config": {"connector.class": "x\u{202e}y"}, "tasks": [], "type": "sink"},
        "status": {"name": evil, "connector": {"state": "RUNNING\u{1b}[2J", "worker_id": "w"},
                   "tasks": [{"id": 0, "state": "FAILED", "worker_id": "w\u{7}", "trace": "\u{1b}[2Jboom\u{202e}\n\tat x"}],
                   "type": "sink"}}});
    let mut routes = HashMap::new();
    routes.insert("/connectors?expand=status&expand=info".to_string(), ok(&listing));
    let server = serve(routes, Options::default());
    let r = read(&mut client(&server.url, &[]));
    let c = &r.connectors.as_ref().unwrap()[0];
    assert_eq!(c.name, evil, "kept as sent: it is sent back in paths");
    assert_eq!(c.state.word(), "RUNNING\\u{1b}[2J");
    assert_eq!(
        c.tasks[0].trace.as_ref().unwrap().first_line(100),
        "\\u{1b}[2Jboom\\u{202e}"
    );
    // The name went back percent-encoded.
    let paths: Vec<String> = server.requests().into_iter().map(|l| l.path).collect();
    assert_eq!(
        paths[1],
        "/connectors/evil%1B%5D52%3Bc%3BaGk%3D%07%0AOK%20forged/topics"
    );
    assert!(matches!(c.topics, Topics::NotServed(_)), "no route: a 404");
    assert_eq!(State::parse("FAILED"), c.tasks[0].state);
}

#[test]
fn an_unreadable_tls_file_is_an_error_naming_it() {
    let mut p = Properties::default();
    p.set("connect.ssl.ca.location", "/nonexistent/ca.pem");
    let s = from_args(&["https://c:8083".into()], &p).unwrap().remove(0);
    let e = Client::new(s).err().unwrap().to_string();
    assert!(
        e.starts_with("Connect cluster `c:8083`: cannot read /nonexistent/ca.pem"),
        "{e}"
    );
}

/// A slow old worker (300 ms an answer, 15 requests) under a 1 s read: the read ends
/// at its deadline, saying how much was left unread, instead of lasting the worker's
/// pleasure.
#[test]
fn a_read_ends_at_its_deadline_saying_what_is_unread() {
    use ktopo::cluster::kafka_connect::read::{read_within, Budget};
    let server = serve(
        old_routes(),
        Options {
            delay: Some(Duration::from_millis(300)),
            ..Options::default()
        },
    );
    let began = std::time::Instant::now();
    let budget = Budget {
        time: Duration::from_secs(1),
        bytes: 32 << 20,
    };
    let r = read_within(&mut client(&server.url, &[]), budget);
    assert!(began.elapsed() < Duration::from_secs(4), "{:?}", began.elapsed());
    let list = r.connectors.as_ref().unwrap();
    assert_eq!(list.len(), 7, "every name is listed, read or not");
    let note = r
        .notes
        .iter()
        .find(|n| n.starts_with("the read's 1 s ran out"))
        .unwrap_or_else(|| panic!("{:?}", r.notes));
    assert!(note.contains("unread"), "{note}");
    assert!(server.requests().len() < 8, "{:?}", server.requests());
}

/// A worker whose answers together pass the read's byte budget: the read stops
/// asking, says so, and holds at most the budget and one answer.
#[test]
fn a_read_stops_at_its_byte_budget_saying_what_is_unread() {
    use ktopo::cluster::kafka_connect::read::{read_within, Budget};
    let server = serve(old_routes(), Options::default());
    let mut c = client(&server.url, &[]);
    let r = read_within(
        &mut c,
        Budget {
            time: Duration::from_secs(20),
            bytes: 1500,
        },
    );
    let note = r
        .notes
        .iter()
        .find(|n| n.starts_with("the read's 1500 bytes of answers were spent"))
        .unwrap_or_else(|| panic!("{:?}", r.notes));
    assert!(note.contains("of 7 unread"), "{note}");
    assert!(c.received < 1500 + 2000, "{}", c.received);
    // 1 listing, then status and config per connector until the budget: far from all 15.
    assert!(server.requests().len() < 15, "{:?}", server.requests());
}

/// A cluster whose client cannot be built (its CA file unreadable) is read as unread,
/// saying why, and the others are read as usual: the one behaviour of the CLI and the
/// live watch (`kafka_connect::clusters`).
#[test]
fn a_cluster_without_a_client_is_unread_and_the_others_are_read() {
    let server = serve(modern_routes(), Options::default());
    let mut p = Properties::default();
    p.set("connect.bad.ssl.ca.location", "/nonexistent/ca.pem");
    let s = from_args(&["bad=https://c:8083".into(), format!("good={}", server.url)], &p).unwrap();
    let reads = ktopo::cluster::kafka_connect::clusters::read_all(s);
    let e = reads[0].connectors.as_ref().unwrap_err();
    assert!(e.contains("cannot read /nonexistent/ca.pem"), "{e}");
    assert_eq!(reads[0].url, "https://c:8083");
    assert_eq!(reads[1].connectors.as_ref().unwrap().len(), 7);
}
