//! The bundled registries hold every fact of the two source documents.

use crate::common;
use ktopo::core::registry::{Registry, Status};

fn keys(reg: &Registry, eps: &[ktopo::core::registry::model::Endpoint]) -> Vec<Option<u32>> {
    eps.iter().map(|e| reg.services[e.service].id).collect()
}

fn ids(v: &[u32]) -> Vec<Option<u32>> {
    v.iter().map(|&i| Some(i)).collect()
}

#[test]
fn main_registry_counts_match_the_seed() {
    let reg = common::main_registry();
    assert_eq!(reg.services.len(), 17);
    let mut service_ids: Vec<u32> = reg.services.iter().filter_map(|s| s.id).collect();
    service_ids.sort();
    assert_eq!(
        service_ids,
        vec![0, 1, 2, 3, 6, 7, 8, 9, 11, 12, 13, 14, 15, 17, 20, 21, 22]
    );
    assert_eq!(reg.count(Status::Active), 23);
    assert_eq!(reg.count(Status::Deprecated), 5);
    assert_eq!(reg.count(Status::Proposed), 1);
    assert_eq!(reg.domains.len(), 8);
}

#[test]
fn main_registry_topics_match_the_seed() {
    let reg = common::main_registry();
    let t = reg.topic("config_events").unwrap();
    assert_eq!(keys(&reg, &t.producers), ids(&[7, 6]));
    assert_eq!(t.producers[1].note.as_deref(), Some("client self-service"));
    assert_eq!(keys(&reg, &t.consumers), ids(&[8, 9, 21]));
    assert_eq!(t.events.len(), 14);
    assert_eq!(
        t.consumers[0].group.as_deref(),
        Some("agent_orchestration_config_events_consumer")
    );

    let t = reg.topic("billing_events").unwrap();
    assert_eq!(keys(&reg, &t.producers), ids(&[22]));
    assert_eq!(keys(&reg, &t.consumers), ids(&[8, 9, 13, 20, 21]));
    let ev: Vec<_> = t.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(ev, ["payment_succeeded", "payment_failed", "subscription_updated"]);

    let t = reg.topic("client_events").unwrap();
    assert_eq!(keys(&reg, &t.consumers), ids(&[1, 2, 3, 6, 13, 21]));

    let t = reg.topic("crm_events").unwrap();
    assert_eq!(t.events.len(), 13);
    assert_eq!(t.events[12].name, "field_mapping_conflict");
    assert_eq!(
        t.events[12].description.as_deref(),
        Some("Data conflict during sync requiring resolution")
    );
    assert_eq!(t.use_cases.len(), 5);

    let t = reg.topic("agent_action_events").unwrap();
    assert!(t.consumers.is_empty() && t.events.is_empty());
    assert_eq!(t.tbd.get("consumers").map(String::as_str), Some("implementation phase"));

    let t = reg.topic("auth_events").unwrap();
    assert_eq!(t.events.len(), 11);
    assert_eq!(t.schema_status, "tbd");
    assert_eq!(t.config.partitions, Some(10));
    assert_eq!(t.config.retention_days, Some(7));
    assert_eq!(t.config.compression.as_deref(), Some("gzip"));
    assert_eq!(t.config.replication.get("production"), Some(&3));
    assert_eq!(t.config.replication.get("development"), Some(&1));
}

#[test]
fn agent_copilot_consumes_21_topics() {
    let reg = common::main_registry();
    let topo = ktopo::core::topology::Topology::build(&reg);
    let (copilot, _) = reg.services_by_id().find(|(_, s)| s.id == Some(21)).unwrap();
    assert_eq!(topo.inputs(copilot).len(), 21);
    let with_summary = reg.topics.iter().filter(|t| t.summary.is_some()).count();
    assert_eq!(with_summary, 21, "the consumption matrix describes 21 topics");
}

#[test]
fn deprecated_topics_and_migrations() {
    let reg = common::main_registry();
    let expect = [
        ("nda_events", "sales_doc_events", vec!["nda_signed", "nda_fully_signed"]),
        ("pricing_events", "sales_doc_events", vec!["pricing_sent"]),
        (
            "proposal_events",
            "sales_doc_events",
            vec!["proposal_accepted", "proposal_signed"],
        ),
        ("outreach_events", "communication_events", vec![]),
        ("personalization_events", "communication_events", vec![]),
    ];
    for (name, to, events) in expect {
        let t = reg.topic(name).unwrap();
        assert_eq!(t.status, Status::Deprecated);
        assert_eq!(t.replaced_by(), Some(to));
        let moved: Vec<_> = t
            .deprecation
            .as_ref()
            .unwrap()
            .moves
            .iter()
            .flat_map(|m| m.events.clone())
            .collect();
        assert_eq!(moved, events, "{name}");
    }
    let k = reg.topic("knowledge_events").unwrap();
    assert_eq!(k.status, Status::Proposed);
    assert_eq!(keys(&reg, &k.producers), ids(&[17, 21]));
    assert_eq!(
        k.proposal.as_ref().unwrap().decision.as_deref(),
        Some("Define producer, consumer, and event schemas")
    );
}

#[test]
fn conventions_match_the_seed() {
    let reg = common::main_registry();
    let c = &reg.conventions;
    let pats: Vec<_> = c.topic_naming.iter().map(|p| p.pattern.as_str()).collect();
    assert_eq!(pats, ["{domain}_events", "{domain}_incidents", "{domain}_experiments"]);
    assert_eq!(c.consumer_group, "{service_name}_{topic_name}_consumer");
    assert_eq!(c.defaults.audit_retention_days, Some(30));
    assert_eq!(c.envelope.len(), 11);
    assert_eq!(c.deprecation_period_days, Some(90));
    assert_eq!(c.policies.len(), 5);
}

#[test]
fn main_registry_check_findings() {
    let c = ktopo::core::registry::load(&common::root().join("registry.yaml")).unwrap();
    let mut codes: Vec<_> = c.diagnostics.iter().map(|d| d.code).collect();
    codes.sort();
    // The seed's own inconsistencies: duplicate events, self-consumption, a topic
    // without consumers, the open decision on knowledge_events.
    assert_eq!(
        codes,
        [
            "duplicate-event",
            "duplicate-event",
            "duplicate-event",
            "no-consumers",
            "open-decision",
            "self-consumption",
            "self-consumption"
        ]
    );
    assert_eq!(c.exit_code(), 0);
    let no_consumers = c.diagnostics.iter().find(|d| d.code == "no-consumers").unwrap();
    assert_eq!(
        no_consumers.message,
        "topic `agent_action_events` has no consumers (consumers: TBD, implementation phase)"
    );
}

#[test]
fn enterprise_registry_matches_the_second_seed() {
    let reg = common::load("assets/registries/enterprise-agent-platform.yaml");
    assert_eq!(reg.count(Status::Active), 6);
    let producers = reg
        .services_by_id()
        .filter(|(i, _)| reg.topics.iter().any(|t| t.producers.iter().any(|p| p.service == *i)));
    assert_eq!(producers.count(), 7);
    let t = reg.topic("db.changes.users").unwrap();
    assert_eq!(t.config.partitions, Some(3));
    assert_eq!(t.config.replication.values().copied().collect::<Vec<_>>(), [1]);
    // Its producer is the Debezium source connector (cdc_handler owns it).
    assert_eq!(reg.services[t.producers[0].service].key, "cdc-debezium");
    let consumers: Vec<_> = t
        .consumers
        .iter()
        .map(|c| (reg.services[c.service].key.as_str(), c.pattern.as_deref()))
        .collect();
    assert_eq!(
        consumers,
        [
            ("analytics_service", None),
            ("audit_service", Some("db.changes.*")),
            ("warehouse-sync", Some("*"))
        ]
    );
    // The seed names no consumer group convention: no ids are invented, nothing is
    // watched by a made-up name; only the sink connector's group, by Connect's own rule
    // (`connect-NAME`), on every active topic.
    assert_eq!(reg.conventions.group_format(), None);
    assert!(t
        .consumers
        .iter()
        .all(|c| c.group.is_none() || reg.services[c.service].key == "warehouse-sync"));
    let watched = ktopo::cluster::connect::watched_groups(&reg);
    assert_eq!(watched.len(), 6);
    assert!(watched.iter().all(|w| w.group == "connect-warehouse-sync"));
    // Facts the seed does not state are gone: no service count, no alert "event".
    assert_eq!(reg.topic("compliance.alerts").unwrap().events.len(), 0);
    // The warehouse reads every topic; the audit service's pattern covers only db.changes.*.
    for t in &reg.topics {
        assert!(
            t.consumers
                .iter()
                .any(|c| reg.services[c.service].key == "warehouse-sync"),
            "{}",
            t.name
        );
    }
    let alerts = reg.topic("compliance.alerts").unwrap();
    let keys: Vec<_> = alerts
        .consumers
        .iter()
        .map(|c| reg.services[c.service].key.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "notification_service",
            "audit_service",
            "siem_integration",
            "warehouse-sync"
        ]
    );
    assert_eq!(reg.topics.iter().map(|t| t.examples.len()).sum::<usize>(), 3);
    for ex in reg.topics.iter().flat_map(|t| &t.examples) {
        serde_json::from_str::<serde_json::Value>(&ex.json).expect("example is JSON");
    }
    assert_eq!(reg.infrastructure.len(), 10);
    assert_eq!(reg.data_flows.len(), 3);
}
