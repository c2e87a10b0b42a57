//! Every pane of a detail view can be reached with Tab and scrolled: the facts on
//! the left hold more than 80x24 shows (a topic's events and group ids, a service's
//! groups), and nothing in them is out of reach.

use crate::common::{self, press};
use crossterm::event::KeyCode;
use ktopo::tui::state::{App, Route, FACTS_PANE};

/// The facts pane's inner rows as drawn (left of the split, inside its border).
fn facts_rows(a: &App) -> Vec<String> {
    let buf = common::buffer(a);
    let body = a.layout().body;
    // The facts pane is the left 55% of the body.
    let right = (body.x..body.x + body.width)
        .skip(1)
        .find(|&x| buf[(x, body.y)].symbol() == "┐")
        .expect("the facts pane's top-right corner");
    (body.y + 1..body.y + body.height - 1)
        .map(|y| (body.x + 1..right).map(|x| buf[(x, y)].symbol().to_string()).collect())
        .collect()
}

/// Tab until the facts pane has the focus (it must, within as many presses as panes).
fn focus_facts(a: &mut App) {
    for _ in 0..8 {
        if a.screen().pane == FACTS_PANE {
            return;
        }
        press(a, KeyCode::Tab);
    }
    panic!("Tab never reached the facts pane of {:?}", a.screen().route);
}

/// Every facts row, scrolling from the top to the end with Down.
fn all_facts(a: &mut App) -> String {
    focus_facts(a);
    press(a, KeyCode::Home);
    let mut rows = facts_rows(a);
    let mut last = None;
    for _ in 0..500 {
        press(a, KeyCode::Down);
        let at = a.screen().scroll;
        if last == Some(at) {
            break;
        }
        last = Some(at);
        rows.push(facts_rows(a).last().cloned().unwrap_or_default());
    }
    rows.join("\n")
}

/// Whether `name` is in the facts, wrapped or not.
fn shows(text: &str, name: &str) -> bool {
    text.split_whitespace().collect::<String>().contains(name)
}

#[test]
fn client_events_shows_every_event_and_group_at_80x24() {
    let mut a = common::app("registry.yaml", 80, 24);
    let ti = a.data.reg.topic_index("client_events").expect("seed topic");
    a.push(Route::Topic(ti));
    let first = common::screen(&a);
    assert!(
        first.contains("more · Tab to scroll"),
        "a cut facts pane says so:\n{first}"
    );
    let text = all_facts(&mut a);
    let t = &a.data.reg.topics[ti];
    assert!(t.events.len() >= 6, "the seed's client_events has 6 events");
    for e in &t.events {
        assert!(
            shows(&text, &format!("•{}", e.name)),
            "event {} reachable:\n{text}",
            e.name
        );
    }
    let groups: Vec<&String> = t.consumers.iter().filter_map(|c| c.group.as_ref()).collect();
    assert!(!groups.is_empty());
    for g in groups {
        assert!(shows(&text, g), "group {g} reachable:\n{text}");
    }
    // At the end: what is above is said, nothing is said to be below.
    let end = common::screen(&a);
    assert!(end.contains(" above "), "{end}");
    assert!(!end.contains("more · Tab"), "{end}");
}

#[test]
fn tab_cycles_link_panes_then_facts_and_back() {
    let mut a = common::app("registry.yaml", 80, 24);
    let ti = a.data.reg.topic_index("client_events").unwrap();
    a.push(Route::Topic(ti));
    let links = a.links(&a.screen().route.clone());
    let filled: Vec<usize> = (0..links.len()).filter(|&p| !links[p].1.is_empty()).collect();
    let mut seen = vec![a.screen().pane];
    for _ in 0..=filled.len() {
        press(&mut a, KeyCode::Tab);
        seen.push(a.screen().pane);
    }
    let mut want = filled.clone();
    want.push(FACTS_PANE);
    want.push(filled[0]);
    assert_eq!(seen, want, "Tab visits every filled pane, the facts, then starts again");
    // The focused pane has the focus border's style; with the facts focused, Down
    // scrolls them and leaves the link selection alone.
    focus_facts(&mut a);
    let styled = common::styled(&a);
    assert!(styled.contains("topic client_events"), "{styled}");
    press(&mut a, KeyCode::Down);
    assert_eq!(a.screen().scroll, 1);
    assert_eq!(a.screen().selected, 0);
}

/// Each topic and service of both seed registries, at 80x24: every event, group id
/// and example line of its facts can be scrolled into view.
#[test]
fn every_detail_view_of_both_seeds_scrolls_to_its_end() {
    for rel in ["registry.yaml", "assets/registries/enterprise-agent-platform.yaml"] {
        let mut a = common::app(rel, 80, 24);
        let topics: Vec<_> = a.data.reg.topics_by_id().map(|(i, _)| i).collect();
        for ti in topics {
            a.push(Route::Topic(ti));
            let text = all_facts(&mut a);
            let t = &a.data.reg.topics[ti];
            for e in &t.events {
                assert!(
                    shows(&text, &format!("•{}", e.name)),
                    "{rel} {}: event {}:\n{text}",
                    t.name,
                    e.name
                );
            }
            for g in t.consumers.iter().filter_map(|c| c.group.as_ref()) {
                assert!(shows(&text, g), "{rel} {}: group {g}:\n{text}", t.name);
            }
            press(&mut a, KeyCode::Esc);
        }
        let services: Vec<_> = a.data.reg.services_by_id().map(|(i, _)| i).collect();
        for si in services {
            a.push(Route::Service(si));
            let text = all_facts(&mut a);
            let reg = &a.data.reg;
            for ti in a.data.topo.inputs(si) {
                let c = reg.topics[ti].consumers.iter().find(|c| c.service == si);
                if let Some(g) = c.and_then(|c| c.group.as_ref()) {
                    assert!(shows(&text, g), "{rel} {}: group {g}:\n{text}", reg.services[si].key);
                }
            }
            press(&mut a, KeyCode::Esc);
        }
    }
}

/// Domains read by their display names (with the id filters use), and a service's
/// own note on a topic shows where that topic is listed.
#[test]
fn domain_names_and_endpoint_notes_are_shown() {
    let mut a = common::app("registry.yaml", 120, 40);
    let ti = a.data.reg.topic_index("client_events").unwrap();
    a.push(Route::Topic(ti));
    let s = common::screen(&a);
    assert!(s.contains("Foundation & Identity (foundation)"), "{s}");
    press(&mut a, KeyCode::Esc);
    let si = a.data.reg.service_by_key("prd_builder").expect("seed service");
    a.push(Route::Service(si));
    let s = common::screen(&a);
    assert!(s.contains("Implementation & Configuration (implementation)"), "{s}");
    assert!(
        s.contains("config_events (client self-service)"),
        "the producer's note:\n{s}"
    );
    common::run_command(&mut a, "services");
    let s = common::screen(&a);
    assert!(s.contains("Runtime Services"), "the list shows domain names:\n{s}");
    // A filter on the domain matches its id and its name.
    for f in ["domain:runtime", "domain:Runtime"] {
        press(&mut a, KeyCode::Char('/'));
        for c in f.chars() {
            press(&mut a, KeyCode::Char(c));
        }
        press(&mut a, KeyCode::Enter);
        let n = a.screen().items.len();
        assert_eq!(n, 3, "{f}: the runtime domain's 3 services:\n{}", common::screen(&a));
        press(&mut a, KeyCode::Esc);
        assert_eq!(a.screen().items.len(), 17, "Esc clears the filter");
    }
}

/// Every view, drawn at sizes down to a single cell, and with the facts pane focused
/// and scrolled: nothing panics, whatever the terminal is resized to.
#[test]
fn every_view_survives_tiny_terminals() {
    for (w, h) in [(1, 1), (2, 2), (10, 4), (20, 6), (40, 8), (80, 24)] {
        let mut a = common::app("registry.yaml", w, h);
        let ti = a.data.reg.topic_index("client_events").unwrap();
        let si = a.data.reg.service_by_key("prd_builder").unwrap();
        let routes = [
            Route::Topic(ti),
            Route::Service(si),
            Route::Event("client_created".into()),
            Route::Check,
            Route::Group("no_such_group".into()),
            Route::Lag,
        ];
        for r in routes {
            a.push(r);
            common::screen(&a);
            for k in [
                KeyCode::Tab,
                KeyCode::Tab,
                KeyCode::Tab,
                KeyCode::End,
                KeyCode::PageUp,
                KeyCode::Enter,
            ] {
                press(&mut a, k);
                common::screen(&a);
            }
            a.popup = None;
            press(&mut a, KeyCode::Esc);
        }
        common::run_command(&mut a, "check");
        press(&mut a, KeyCode::Enter);
        common::screen(&a);
    }
}
