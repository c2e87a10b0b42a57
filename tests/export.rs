//! DOT, Mermaid and JSON exports of the bundled registry.

mod common;
use ktopo::export::{self, Format};
use ktopo::topology::Topology;

fn render(f: Format) -> String {
    let reg = common::main_registry();
    export::render(f, &reg, &Topology::build(&reg))
}

#[test]
fn dot_distinguishes_kinds_statuses_and_domains() {
    let dot = render(Format::Dot);
    assert!(dot.starts_with("digraph ktopo {"));
    assert!(dot.contains("\"service:agent_orchestration\" [label=\"Agent Orchestration (8)\", shape=box"));
    assert!(dot.contains("\"topic:config_events\" [label=\"config_events\", shape=ellipse, style=filled"));
    assert!(dot
        .contains("\"topic:nda_events\" [label=\"nda_events\\n(deprecated)\", shape=ellipse, style=\"dashed,filled\""));
    assert!(dot.contains(
        "\"topic:nda_events\" -> \"topic:sales_doc_events\" [style=dashed, color=\"#888888\", label=\"replaced by\"];"
    ));
    assert!(dot.contains("\"topic:knowledge_events\" [label=\"knowledge_events\\n(proposed)\""));
    assert!(dot.contains("\"service:rag_pipeline\" -> \"topic:knowledge_events\" [style=dotted, label=\"candidate\"];"));
    assert_eq!(dot.matches("subgraph \"cluster_").count(), 8);
    assert!(dot.contains("label=\"Foundation & Identity\""));
    // One edge per produce/consume link, replacement and candidate.
    assert_eq!(dot.matches(" -> ").count(), 26 + 58 + 5 + 2);
}

#[test]
fn mermaid_is_a_flowchart_with_classes() {
    let m = render(Format::Mermaid);
    assert!(m.starts_with("flowchart LR\n"));
    assert!(m.contains("  subgraph d0[\"Foundation & Identity\"]"));
    assert!(m.contains("-.->|replaced by|"));
    assert!(m.contains("class t23,t24,t25,t26,t27 deprecated"));
    assert!(m.contains("class t28 proposed"));
    assert_eq!(m.matches(" --> ").count(), 26 + 58);
}

#[test]
fn json_is_the_normalised_model() {
    let v: serde_json::Value = serde_json::from_str(&render(Format::Json)).unwrap();
    assert_eq!(v["ktopo_export"], 1);
    assert_eq!(v["services"].as_array().unwrap().len(), 17);
    let topics = v["topics"].as_array().unwrap();
    assert_eq!(topics.len(), 29);
    let config = topics.iter().find(|t| t["name"] == "config_events").unwrap();
    assert_eq!(config["status"], "active");
    assert_eq!(config["producers"], serde_json::json!([7, 6]));
    assert_eq!(config["consumers"], serde_json::json!([8, 9, 21]));
    assert_eq!(config["events"].as_array().unwrap().len(), 14);
    assert_eq!(config["replaced_by"], serde_json::Value::Null);
    let nda = topics.iter().find(|t| t["name"] == "nda_events").unwrap();
    assert_eq!(nda["status"], "deprecated");
    assert_eq!(nda["replaced_by"], "sales_doc_events");
    let k = topics.iter().find(|t| t["name"] == "knowledge_events").unwrap();
    assert_eq!(k["status"], "proposed");
    // Candidates are candidates: neither producers nor what the services produce.
    assert_eq!(k["producers"], serde_json::json!([]));
    assert_eq!(k["candidate_producers"], serde_json::json!([17, 21]));
    assert_eq!(
        v["conventions"]["consumer_group"],
        "{service_name}_{topic_name}_consumer"
    );
    let copilot = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == 21)
        .unwrap();
    assert_eq!(copilot["consumes"].as_array().unwrap().len(), 21);
    assert!(!copilot["produces"]
        .as_array()
        .unwrap()
        .contains(&"knowledge_events".into()));
    assert_eq!(
        copilot["candidate_producer_of"],
        serde_json::json!(["knowledge_events"])
    );
}

#[test]
fn pattern_consumers_are_marked_in_exports() {
    let reg = common::load("assets/registries/enterprise-agent-platform.yaml");
    let topo = Topology::build(&reg);
    let dot = export::render(Format::Dot, &reg, &topo);
    assert!(dot.contains("\"topic:db.changes.users\" -> \"service:audit_service\" [style=dashed, label=\"pattern\"];"));
    let v: serde_json::Value = serde_json::from_str(&export::render(Format::Json, &reg, &topo)).unwrap();
    let t = &v["topics"][0];
    assert_eq!(
        t["consumers"],
        serde_json::json!(["analytics_service", "audit_service", "data_warehouse_sync"])
    );
    assert_eq!(t["consumer_details"][1]["pattern"], "db.changes.*");
}
