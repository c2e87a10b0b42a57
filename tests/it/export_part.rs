//! `ktopo export --focus/--domain`: a part of the platform, in every format, through
//! the real binary; edges only between what is drawn.

use crate::common;
use assert_cmd::Command;

fn export(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("ktopo")
        .unwrap()
        .current_dir(common::root())
        .arg("export")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The node ids a DOT export declares, and its edges as (from, to).
fn dot_graph(dot: &str) -> (Vec<String>, Vec<(String, String)>) {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for line in dot.lines().map(str::trim) {
        if let Some((a, rest)) = line.split_once(" -> ") {
            let b = rest.split([' ', ';']).next().unwrap_or_default();
            edges.push((a.trim_matches('"').to_string(), b.trim_matches('"').to_string()));
        } else if line.starts_with("\"service:") || line.starts_with("\"topic:") {
            nodes.push(line.split('"').nth(1).unwrap().to_string());
        }
    }
    (nodes, edges)
}

#[test]
fn focus_draws_the_target_and_what_it_reaches_within_the_depth() {
    let (code, dot, err) = export(&["--format", "dot", "--focus", "topic:research_events", "--depth", "1"]);
    assert_eq!(code, 0, "{err}");
    let (nodes, edges) = dot_graph(&dot);
    let reg = common::main_registry();
    let t = reg.topic_index("research_events").unwrap();
    let mut want: Vec<String> = reg.topics[t]
        .consumers
        .iter()
        .map(|c| format!("service:{}", reg.services[c.service].key))
        .collect();
    want.push("topic:research_events".into());
    want.sort();
    want.dedup();
    let mut got = nodes.clone();
    got.sort();
    assert_eq!(got, want, "the topic and its consumers, one hop, nothing else");
    assert!(!edges.is_empty());
    for (a, b) in &edges {
        assert!(
            nodes.contains(a) && nodes.contains(b),
            "edge {a} -> {b} leaves the part"
        );
    }
    // Deeper reaches more; the whole platform more still.
    let (_, deeper, _) = export(&["--format", "dot", "--focus", "topic:research_events", "--depth", "3"]);
    let (_, all, _) = export(&["--format", "dot"]);
    let (n3, n_all) = (dot_graph(&deeper).0.len(), dot_graph(&all).0.len());
    assert!(nodes.len() < n3 && n3 < n_all, "{} < {n3} < {n_all}", nodes.len());
    // Upstream: the producers instead of the consumers.
    let (_, up, _) = export(&[
        "--format",
        "dot",
        "--focus",
        "topic:research_events",
        "--depth",
        "1",
        "--upstream",
    ]);
    let (mut up_nodes, _) = dot_graph(&up);
    up_nodes.sort();
    let mut producers: Vec<String> = reg.topics[t]
        .producers
        .iter()
        .map(|p| format!("service:{}", reg.services[p.service].key))
        .collect();
    producers.push("topic:research_events".into());
    producers.sort();
    producers.dedup();
    assert_eq!(up_nodes, producers);
}

#[test]
fn domain_draws_only_that_domains_services_and_topics() {
    let (code, dot, err) = export(&["--format", "dot", "--domain", "runtime"]);
    assert_eq!(code, 0, "{err}");
    let reg = common::main_registry();
    let (nodes, edges) = dot_graph(&dot);
    assert!(!nodes.is_empty());
    for n in &nodes {
        let domain = match n.split_once(':').unwrap() {
            ("service", k) => reg.services.iter().find(|s| s.key == k).unwrap().domain.clone(),
            (_, t) => reg.topics[reg.topic_index(t).unwrap()].domain.clone(),
        };
        assert_eq!(domain.as_deref(), Some("runtime"), "{n}");
    }
    for (a, b) in &edges {
        assert!(
            nodes.contains(a) && nodes.contains(b),
            "edge {a} -> {b} leaves the domain"
        );
    }
    // By name too, and the JSON and Mermaid forms agree on the services.
    let (code, json, _) = export(&["--format", "json", "--domain", "Runtime Services"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let services = v["services"].as_array().unwrap().len();
    assert_eq!(services, nodes.iter().filter(|n| n.starts_with("service:")).count());
    let (_, mermaid, _) = export(&["--format", "mermaid", "--domain", "runtime"]);
    assert!(mermaid.starts_with("flowchart LR\n"));
}

#[test]
fn a_focused_svg_is_smaller_than_the_whole_map() {
    let size = |svg: &str| -> (u32, u32) {
        let attr = |name: &str| {
            let at = svg.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            svg[at..].split('"').next().unwrap().parse::<u32>().unwrap()
        };
        (attr("width"), attr("height"))
    };
    let (code, part, err) = export(&["--format", "svg", "--focus", "service:research_engine", "--depth", "2"]);
    assert_eq!(code, 0, "{err}");
    let (_, all, _) = export(&["--format", "svg"]);
    let ((pw, ph), (aw, ah)) = (size(&part), size(&all));
    assert!(pw * ph < aw * ah, "{pw}x{ph} vs {aw}x{ah}");
    assert!(part.contains("research_events"));
}

#[test]
fn bad_parts_are_usage_errors_that_say_what_to_write() {
    let (code, _, err) = export(&["--format", "dot", "--domain", "nowhere"]);
    assert_eq!(code, 2);
    assert!(err.contains("no domain `nowhere`") && err.contains("runtime"), "{err}");
    let (code, _, err) = export(&["--format", "dot", "--focus", "topic:reserch_events"]);
    assert_eq!(code, 2);
    assert!(err.contains("research_events"), "{err}");
    let (code, _, err) = export(&["--format", "asyncapi", "--domain", "runtime"]);
    assert_eq!(code, 2);
    assert!(err.contains("whole platform"), "{err}");
    let (code, _, _) = export(&["--format", "dot", "--depth", "2"]);
    assert_eq!(code, 2, "--depth needs --focus");
}
