//! Live blast radius: staleness propagated from lagging groups along the impact paths,
//! from scripted live pictures (the engine), the TUI's impact view and map, and
//! `ktopo impact --live` end to end on the demo cluster.

use crate::common;
use ktopo::core::impact::{self, Dir, Target};
use ktopo::core::live::view::{GroupTopicLag, Health, LiveView};
use ktopo::core::stale::{propagate, DEFAULT_MIN_S};
use ktopo::core::topology::{Node, Topology};
use ktopo::tui::data::Data;
use ktopo::tui::state::{App, Event};
use ktopo::tui::theme::Theme;
use std::collections::HashSet;

fn behind(
    service: Option<&str>,
    group: &str,
    topic: &str,
    seconds: Option<f64>,
    lag: i64,
    status: Health,
) -> GroupTopicLag {
    GroupTopicLag {
        group: group.into(),
        topic: topic.into(),
        service: service.map(str::to_string),
        declared: service.is_some(),
        total_lag: Some(lag),
        time_lag_s: seconds,
        status,
        ..GroupTopicLag::default()
    }
}

/// monitoring_engine 4 minutes behind on conversation_events (its downstream reaches
/// customer_success), customer_success itself 30 s behind, one group under the
/// threshold, one the registry does not know.
fn scripted() -> LiveView {
    LiveView {
        sample_ms: Some(10),
        source: "scripted".into(),
        groups: vec![
            behind(
                Some("customer_success"),
                "customer_success_monitoring_incidents_consumer",
                "monitoring_incidents",
                Some(30.0),
                90,
                Health::Warn,
            ),
            behind(
                Some("monitoring_engine"),
                "monitoring_engine_conversation_events_consumer",
                "conversation_events",
                Some(245.0),
                1234,
                Health::Stop,
            ),
            behind(
                Some("billing"),
                "billing_fresh",
                "sales_doc_events",
                Some(2.0),
                3,
                Health::Ok,
            ),
            behind(
                None,
                "rogue-reader",
                "conversation_events",
                Some(99.0),
                50,
                Health::Warn,
            ),
        ],
        ..LiveView::default()
    }
}

fn service(reg: &ktopo::core::registry::Registry, key: &str) -> ktopo::core::registry::ServiceId {
    reg.service_by_key(key).unwrap()
}

#[test]
fn staleness_follows_the_impact_paths_worst_cause_first() {
    let reg = common::main_registry();
    let topo = Topology::build(&reg);
    let st = propagate(&reg, &topo, &scripted(), DEFAULT_MIN_S);
    let me = service(&reg, "monitoring_engine");
    let cs = service(&reg, "customer_success");
    // Causes worst first; the 2 s group is under the threshold; the undeclared one is
    // reported apart.
    let groups: Vec<&str> = st.causes.iter().map(|c| c.name()).collect();
    assert_eq!(
        groups,
        [
            "monitoring_engine_conversation_events_consumer",
            "customer_success_monitoring_incidents_consumer"
        ]
    );
    assert_eq!(st.unplaced.len(), 1);
    assert!(st.unplaced[0].to_string().contains("rogue-reader"), "{:?}", st.unplaced);
    // The lagging service itself and exactly its downstream closure carry the 4 minutes.
    let down = impact::impact(&reg, &topo, &Target::Service(me), Dir::Downstream, None);
    let expected: HashSet<Node> = down
        .affected
        .iter()
        .map(|a| a.node)
        .chain([Node::Service(me)])
        .collect();
    let by_first: HashSet<Node> = st.stale.iter().filter(|s| s.cause == 0).map(|s| s.node).collect();
    assert_eq!(by_first, expected);
    // customer_success is downstream of monitoring_engine: it keeps the worse cause.
    let (s, c) = st.of(Node::Service(cs)).unwrap();
    assert_eq!(c.seconds, Some(245.0));
    assert_eq!(st.path_end(s, usize::MAX).first(), Some(&Node::Service(me)));
    assert_eq!(st.path_end(s, usize::MAX).last(), Some(&Node::Service(cs)));
    // Each path is a real chain of data edges.
    for s in &st.stale {
        let path = st.path_end(s, usize::MAX);
        assert_eq!(path[0], Node::Service(st.causes[s.cause].service));
        assert_eq!(path.len(), s.depth + 1);
        for w in path.windows(2) {
            assert!(
                topo.neighbours(w[0], petgraph::Direction::Outgoing)
                    .any(|(m, e)| m == w[1] && e.carries_data()),
                "{:?} → {:?} is not an edge",
                w[0],
                w[1]
            );
        }
    }
    // Each node once, worst first.
    let nodes: HashSet<Node> = st.stale.iter().map(|s| s.node).collect();
    assert_eq!(nodes.len(), st.stale.len());
    let secs: Vec<f64> = st.stale.iter().map(|s| st.causes[s.cause].seconds.unwrap()).collect();
    assert!(secs.windows(2).all(|w| w[0] >= w[1]), "{secs:?}");
    // Nothing upstream of monitoring_engine is stale because of it.
    let up = impact::impact(&reg, &topo, &Target::Service(me), Dir::Upstream, None);
    for a in up.affected.iter().filter(|a| !expected.contains(&a.node)) {
        assert!(st.of(a.node).is_none(), "{:?} is upstream, not stale", a.node);
    }
    // The report: worst first, with who to call.
    let text = ktopo::core::stale::to_text(&reg, &st, None, "scripted");
    let first = text.lines().nth(3).unwrap();
    assert!(
        first.contains("4m05s") && first.contains("service:monitoring_engine"),
        "{text}"
    );
    assert!(text.contains("rogue-reader"), "{text}");
}

#[test]
fn no_lag_means_nothing_is_stale() {
    let reg = common::main_registry();
    let topo = Topology::build(&reg);
    let mut v = scripted();
    for g in &mut v.groups {
        g.total_lag = Some(0);
    }
    let st = propagate(&reg, &topo, &v, 0.0);
    assert!(st.causes.is_empty() && st.stale.is_empty());
    assert!(ktopo::core::stale::to_text(&reg, &st, None, "scripted").contains("nothing"));
}

#[test]
fn the_impact_view_shows_staleness_and_its_cause() {
    let mut app = App::new(Data::new(common::main_registry()), 170, 30, Theme { color: false });
    app.update(Event::Live(Box::new(scripted())));
    common::run_command(&mut app, "impact service:monitoring_engine");
    let screen = common::screen(&app);
    assert!(
        screen.contains("STALE up to 4m05s because of monitoring_engine_conversation_events_consumer"),
        "{screen}"
    );
    let row = screen.lines().find(|l| l.contains("Customer Success Service")).unwrap();
    assert!(row.contains("⧗ 4m05s"), "{row}");
}

fn ktopo() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("ktopo").unwrap();
    c.current_dir(common::root())
        .env_remove("KTOPO_BROKERS")
        .env_remove("KTOPO_REGISTRY")
        .timeout(std::time::Duration::from_secs(120));
    c
}

/// `ktopo impact --live` on the demo cluster, quickly, every lagging group counted.
fn impact_live(extra: &[&str]) -> String {
    let mut args = vec![
        "impact",
        "--live",
        "--min-stale",
        "0",
        "--samples",
        "2",
        "--interval",
        "0.5",
    ];
    args.extend_from_slice(extra);
    let out = ktopo().args(&args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn impact_live_on_the_demo_cluster() {
    let v: serde_json::Value = serde_json::from_str(&impact_live(&["--json"])).unwrap();
    assert_eq!(v["source"], "demo cluster");
    let rows = v["stale"].as_array().unwrap();
    // The demo's consumers are always a little behind: something is stale.
    assert!(!rows.is_empty(), "{v}");
    let mut seen = HashSet::new();
    let mut last = f64::INFINITY;
    let by_node: std::collections::HashMap<&str, &serde_json::Value> =
        rows.iter().map(|r| (r["node"].as_str().unwrap(), r)).collect();
    for r in rows {
        assert!(seen.insert(r["node"].as_str().unwrap().to_string()), "{r} twice");
        // The path, rebuilt from parents: it starts at the cause's service, one hop
        // per level of depth.
        let mut path = vec![r["node"].as_str().unwrap()];
        while let Some(p) = by_node[path[path.len() - 1]]["parent"].as_str() {
            path.push(p);
            assert!(path.len() <= rows.len() + 1, "parents loop: {path:?}");
        }
        path.reverse();
        assert_eq!(
            path[0],
            format!("service:{}", r["because"]["service"].as_str().unwrap())
        );
        assert_eq!(path.len() as u64, r["depth"].as_u64().unwrap() + 1, "{path:?}");
        if let Some(s) = r["stale_s"].as_f64() {
            assert!(s <= last, "not worst first: {s} after {last}");
            last = s;
        }
    }
    // With a target, only what it reaches.
    let text = impact_live(&["topic:monitoring_incidents"]);
    assert!(
        text.starts_with("Serving stale data right now (demo cluster)"),
        "{text}"
    );
    assert!(!text.contains("service:organization_identity_management "), "{text}");
}

#[test]
fn impact_live_rejects_a_bad_threshold_and_needs_live_for_it() {
    // Refused by ktopo itself (not by the argument parser), before any sampling.
    for bad in ["--min-stale=-3", "--min-stale=NaN", "--min-stale=inf"] {
        let out = ktopo().args(["impact", "--live", bad, "--offline"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--min-stale must be a number of seconds, 0 or more"),
            "{bad}: {err}"
        );
    }
    let out = ktopo()
        .args(["impact", "--min-stale", "3", "topic:x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--live"));
    let out = ktopo().args(["impact"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_stale_view_lists_the_platform_worst_first_and_opens_what_it_names() {
    let mut app = App::new(Data::new(common::main_registry()), 160, 40, Theme { color: false });
    common::run_command(&mut app, "stale");
    assert!(common::screen(&app).contains("staleness needs a successful sample"));
    app.update(Event::Live(Box::new(scripted())));
    common::run_command(&mut app, "stale");
    let screen = common::screen(&app);
    let st = propagate(&app.data.reg, &app.data.topo, &scripted(), DEFAULT_MIN_S);
    assert!(
        screen.contains(&format!(
            "serving stale data right now: {} services and topics, because of 2 groups",
            st.stale.len()
        )),
        "{screen}"
    );
    assert!(screen.contains("1 group behind outside the registry"), "{screen}");
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains('⧗')).collect();
    assert!(
        rows[0].contains("4m05s") && rows[0].contains("service:monitoring_engine"),
        "{screen}"
    );
    // customer_success is downstream of monitoring_engine: the worse cause claims it
    // and everything after it, so every row names the 4 minutes.
    assert_eq!(rows.len(), st.stale.len(), "{screen}");
    assert!(rows.iter().all(|r| r.contains("4m05s")), "{screen}");
    // Enter opens the selected service.
    common::press(&mut app, crossterm::event::KeyCode::Enter);
    let me = service(&app.data.reg, "monitoring_engine");
    assert_eq!(app.screen().route, ktopo::tui::state::Route::Service(me));
}
