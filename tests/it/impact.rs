//! Impact analysis over the bundled registry: expected sets, depths, paths, cycles.

use crate::common;
use ktopo::core::impact::{self, Dir, Target};
use ktopo::core::topology::Topology;

/// (name, depth) of affected services and topics.
type Named = (Vec<(String, usize)>, Vec<(String, usize)>);

fn names(reg: &ktopo::core::registry::Registry, imp: &impact::Impact) -> Named {
    let v = serde_json::to_value(impact::to_json(reg, imp)).unwrap();
    let pick = |k: &str, f: &str| {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x[f].as_str().unwrap().to_string(),
                    x["depth"].as_u64().unwrap() as usize,
                )
            })
            .collect::<Vec<_>>()
    };
    (pick("services", "key"), pick("topics", "name"))
}

fn run(target: &str, dir: Dir, depth: Option<usize>) -> Named {
    let reg = common::main_registry();
    let topo = Topology::build(&reg);
    let t = impact::resolve(&reg, target).unwrap();
    names(&reg, &impact::impact(&reg, &topo, &t, dir, depth))
}

fn s(v: &[(&str, usize)]) -> Vec<(String, usize)> {
    v.iter().map(|(a, b)| (a.to_string(), *b)).collect()
}

#[test]
fn topic_downstream_one_hop() {
    let (services, topics) = run("topic:rag_events", Dir::Downstream, Some(1));
    assert_eq!(services, s(&[("agent_orchestration", 1), ("voice_agent", 1)]));
    assert!(topics.is_empty());
}

#[test]
fn service_downstream_is_transitive_and_terminates_on_cycles() {
    // Support Engine → support_events/escalation_events → ... ; 8 and 9 consume their own topic.
    let (services, topics) = run("service:14", Dir::Downstream, None);
    assert_eq!(topics[..2], s(&[("escalation_events", 1), ("support_events", 1)])[..]);
    assert!(services.contains(&("customer_success".into(), 2)));
    assert!(services.contains(&("organization_identity_management".into(), 2)));
    assert!(services.contains(&("agent_copilot".into(), 2)));
    // Through Identity (0) the whole platform downstream of it is reached, once each.
    assert!(services.contains(&("agent_orchestration".into(), 6)));
    assert_eq!((services.len(), topics.len()), (14, 21));
    // Nothing feeds rag_events or crm_events from here.
    assert!(!topics.iter().any(|t| t.0 == "rag_events" || t.0 == "crm_events"));
    let mut keys: Vec<_> = services.iter().map(|x| &x.0).collect();
    keys.dedup();
    assert_eq!(keys.len(), services.len());
    assert!(
        !services.iter().any(|x| x.0 == "support_engine"),
        "the target itself is not listed"
    );
}

#[test]
fn upstream_lists_what_feeds_the_target() {
    let (services, topics) = run("service:agent_orchestration", Dir::Upstream, Some(2));
    let t1: Vec<_> = topics.iter().filter(|x| x.1 == 1).map(|x| x.0.as_str()).collect();
    assert_eq!(
        t1,
        [
            "analytics_experiments",
            "billing_events",
            "communication_events",
            "config_events",
            "cross_product_events",
            "rag_events"
        ]
    );
    let s2: Vec<_> = services.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(
        s2,
        [
            "analytics",
            "automation_engine",
            "billing",
            "communication_hyperpersonalization",
            "prd_builder",
            "rag_pipeline",
            "voice_agent"
        ]
    );
}

#[test]
fn event_target_starts_from_every_topic_carrying_it() {
    let (services, topics) = run("event:nda_signed", Dir::Downstream, Some(1));
    assert_eq!(topics, s(&[("client_events", 0), ("sales_doc_events", 0)]));
    let keys: Vec<_> = services.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(
        keys,
        [
            "agent_copilot",
            "billing",
            "customer_success",
            "demo_generator",
            "prd_builder",
            "research_engine",
            "sales_document_generator"
        ]
    );
}

#[test]
fn paths_explain_each_entry() {
    let reg = common::main_registry();
    let topo = Topology::build(&reg);
    let t = impact::resolve(&reg, "topic:config_events").unwrap();
    let imp = impact::impact(&reg, &topo, &t, Dir::Downstream, None);
    for a in &imp.affected {
        let path = imp.path(a);
        assert_eq!(path.len(), a.depth + 1);
        assert_eq!(impact::node_ref(&reg, path[0]), "topic:config_events");
        assert_eq!(path.last(), Some(&a.node));
    }
    let v = impact::to_json(&reg, &imp);
    // JSON carries a parent pointer per entry; following them leads to the target.
    let all: Vec<&serde_json::Value> = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["topics"].as_array().unwrap())
        .collect();
    let name = |e: &serde_json::Value| {
        e.get("key")
            .and_then(|k| k.as_str())
            .map(|k| format!("service:{k}"))
            .unwrap_or_else(|| format!("topic:{}", e["name"].as_str().unwrap()))
    };
    let parent_of: std::collections::HashMap<String, Option<String>> = all
        .iter()
        .map(|e| (name(e), e["parent"].as_str().map(str::to_string)))
        .collect();
    for e in &all {
        let mut cur = name(e);
        for _ in 0..=e["depth"].as_u64().unwrap() {
            match parent_of.get(&cur).cloned().flatten() {
                Some(p) => cur = p,
                None => break,
            }
        }
        assert_eq!(cur, "topic:config_events", "{e}");
    }
    assert_eq!(v["target"], "topic:config_events");
    assert_eq!(v["direction"], "downstream");
}

#[test]
fn both_directions_tag_each_entry() {
    let (services, _) = run("topic:prd_events", Dir::Both, Some(1));
    assert_eq!(
        services,
        s(&[("agent_copilot", 1), ("automation_engine", 1), ("prd_builder", 1)])
    );
}

#[test]
fn targets_resolve_by_id_key_name_and_report_ambiguity() {
    let reg = common::main_registry();
    assert_eq!(
        impact::resolve(&reg, "service:8"),
        Ok(Target::Service(ktopo::core::registry::ServiceId::new(6)))
    );
    assert_eq!(
        impact::resolve(&reg, "agent_orchestration"),
        Ok(Target::Service(ktopo::core::registry::ServiceId::new(6)))
    );
    assert_eq!(
        impact::resolve(&reg, "Agent Orchestration"),
        Ok(Target::Service(ktopo::core::registry::ServiceId::new(6)))
    );
    assert!(matches!(impact::resolve(&reg, "config_events"), Ok(Target::Topic(_))));
    let e = impact::resolve(&reg, "confg_events").unwrap_err();
    assert_eq!(e.suggestions[0], "topic:config_events");
    let e = impact::resolve(&reg, "service:99").unwrap_err();
    assert!(e.message.contains("99"));
}

#[test]
fn ambiguous_bare_name_lists_candidates() {
    let reg = ktopo::core::registry::load_str(
        "amb.yaml",
        "services:\n  - {key: billing_events, name: B}\ntopics:\n  - {name: billing_events, producers: [billing_events]}\n".into(),
    );
    let reg = reg.registry.unwrap();
    let e = impact::resolve(&reg, "billing_events").unwrap_err();
    assert_eq!(e.suggestions, ["service:billing_events", "topic:billing_events"]);
}

#[test]
fn impact_says_whom_to_call_by_owner() {
    let out = assert_cmd::Command::cargo_bin("ktopo")
        .unwrap()
        .current_dir(common::root())
        .args(["impact", "service:shop", "--json", "-r", "tests/fixtures/owners.yaml"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["owners"],
        serde_json::json!([
            {"owner": "team-payments", "oncall": "pagerduty:payments", "services": ["billing"], "topics": ["payments_events"]},
            {"owner": "team-storefront", "oncall": null, "services": [], "topics": ["orders_events"]},
            {"owner": null, "oncall": null, "services": ["audit"], "topics": []},
        ])
    );
    let out = assert_cmd::Command::cargo_bin("ktopo")
        .unwrap()
        .current_dir(common::root())
        .args(["impact", "service:shop", "-r", "tests/fixtures/owners.yaml"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Who to call (by owner):"), "{text}");
    assert!(
        text.contains("  team-payments · on-call pagerduty:payments: billing, payments_events"),
        "{text}"
    );
    assert!(text.contains("  (no owner declared): audit"), "{text}");
}

#[test]
fn upstream_paths_read_in_the_direction_data_flows() {
    let reg = common::main_registry();
    let topo = Topology::build(&reg);
    let t = impact::resolve(&reg, "service:agent_orchestration").unwrap();
    let imp = impact::impact(&reg, &topo, &t, Dir::Upstream, None);
    let target = ktopo::core::topology::Node::Service(ktopo::core::registry::ServiceId::new(6));
    for a in &imp.affected {
        let path = imp.flow_path(a);
        assert_eq!(path.len(), a.depth + 1);
        // The entry produces (through the path) what the target consumes.
        assert_eq!(path[0], a.node);
        assert_eq!(path.last(), Some(&target));
        for w in path.windows(2) {
            assert!(
                topo.neighbours(w[0], petgraph::Direction::Outgoing)
                    .any(|(n, _)| n == w[1]),
                "{} does not feed {}",
                impact::node_ref(&reg, w[0]),
                impact::node_ref(&reg, w[1])
            );
        }
        // The walk order is unchanged: the target first.
        assert_eq!(imp.path(a)[0], target);
        // Long paths are cut in the middle, still with the flow.
        let via = impact::via(&reg, &imp, a);
        assert!(via.starts_with(&impact::node_label(&reg, a.node)), "{via}");
        assert!(via.ends_with("→ Agent Orchestration (8)"), "{via}");
    }
    let deep = imp.affected.iter().find(|a| a.depth == 8).unwrap();
    assert_eq!(
        impact::via(&reg, &imp, deep),
        "Research Engine (1) → research_events → Demo Generator (2) → demo_events → … (3 more) → config_events → Agent Orchestration (8)"
    );
}

#[test]
fn impact_text_reads_upstream_paths_producer_first() {
    let out = assert_cmd::Command::cargo_bin("ktopo")
        .unwrap()
        .current_dir(common::root())
        .args(["impact", "service:customer_success", "--upstream", "--depth", "2"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("via Support Engine (14) → support_events → Customer Success Service (13)"),
        "{text}"
    );
    assert!(
        text.contains("via support_events → Customer Success Service (13)"),
        "{text}"
    );
    assert!(
        !text.contains("Customer Success Service (13) → support_events"),
        "{text}"
    );
    // Downstream is unchanged: the target first.
    let out = assert_cmd::Command::cargo_bin("ktopo")
        .unwrap()
        .current_dir(common::root())
        .args(["impact", "service:support_engine", "--depth", "2"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("via Support Engine (14) → support_events → Customer Success Service (13)"),
        "{text}"
    );
}

fn markdown(args: &[&str]) -> (Option<i32>, String, String) {
    let out = assert_cmd::Command::cargo_bin("ktopo")
        .unwrap()
        .current_dir(common::root())
        .arg("impact")
        .args(args)
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `--format markdown`: a heading per hop, a table with path, owner and on-call, and
/// who to call, for a design doc or a pull request comment.
#[test]
fn impact_as_markdown_has_a_table_per_hop_with_owners() {
    let (code, md, _) = markdown(&["service:shop", "-r", "tests/fixtures/owners.yaml"]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!("impact_markdown_owners", md);
    let (code, md, _) = markdown(&["topic:config_events", "--depth", "2"]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!("impact_markdown_config_events_depth_2", md);
    // Every table row has as many cells as its header.
    for line in md.lines().filter(|l| l.starts_with('|')) {
        let cells = line.replace("\\|", "").matches('|').count();
        assert!(cells == 6 || cells == 4, "{line}");
    }
}

/// Names from the registry cannot break the tables or inject markup.
#[test]
fn impact_markdown_escapes_hostile_names() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("r.yaml");
    std::fs::write(
        &reg,
        "services:\n  - { id: 0, key: a, name: \"A | <b>x</b>\", owner: \"t|[x](http://evil)\" }\n  - { id: 1, key: b, name: B }\ntopics:\n  - name: t1\n    producers: [a]\n    consumers: [b]\n",
    )
    .unwrap();
    let (code, md, err) = markdown(&["service:b", "--upstream", "-r", reg.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(md.contains("A \\| \\<b\\>x\\</b\\>"), "{md}");
    assert!(md.contains("t\\|\\[x\\](http://evil)"), "{md}");
    for line in md
        .lines()
        .filter(|l| l.starts_with("| service") || l.starts_with("| topic"))
    {
        assert_eq!(line.replace("\\|", "").matches('|').count(), 6, "{line}");
    }
    let (code, _, err) = markdown(&["--live", "-b", "127.0.0.1:1"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--format markdown is for the registry's impact"), "{err}");
}
