//! Connectors declared in the registry: nodes of the graph like services. The
//! enterprise registry's Debezium source writes `db.changes.*`, its warehouse sink
//! reads every topic with its group `connect-warehouse-sync`; impact walks through them.

use crate::common;
use ktopo::core::impact::{self, Dir};
use ktopo::core::registry::model::ConnectorType;
use ktopo::core::topology::Topology;

const ENTERPRISE: &str = "assets/registries/enterprise-agent-platform.yaml";

#[test]
fn the_enterprise_connectors_produce_and_consume_their_topics() {
    let reg = common::load(ENTERPRISE);
    let cdc = reg.service_by_key("cdc-debezium").expect("the source is a node");
    let facts = reg.services[cdc].connector.as_ref().unwrap();
    assert_eq!(facts.kind, ConnectorType::Source);
    assert_eq!(reg.services[facts.owner.unwrap()].key, "cdc_handler");
    assert_eq!(reg.services[cdc].domain.as_deref(), Some("cdc"), "the owner's domain");
    for t in ["db.changes.users", "db.changes.conversations"] {
        let producers: Vec<&str> = reg
            .topic(t)
            .unwrap()
            .producers
            .iter()
            .map(|p| reg.services[p.service].key.as_str())
            .collect();
        assert_eq!(producers, ["cdc-debezium"], "{t}");
    }
    let sink = reg.service_by_key("warehouse-sync").unwrap();
    let active = reg
        .topics
        .iter()
        .filter(|t| t.status == ktopo::core::registry::Status::Active);
    for t in active {
        let c = t
            .consumers
            .iter()
            .find(|c| c.service == sink)
            .unwrap_or_else(|| panic!("{} unread", t.name));
        assert_eq!(c.group.as_deref(), Some("connect-warehouse-sync"));
        assert!(c.group_explicit);
    }
    // What the sampler watches: the sink's group on each topic.
    let watched = ktopo::cluster::connect::watched_groups(&reg);
    assert!(watched
        .iter()
        .any(|w| w.group == "connect-warehouse-sync" && w.topic == "db.changes.users"));
}

#[test]
fn impact_walks_through_a_connector() {
    let reg = common::load(ENTERPRISE);
    let topo = Topology::build(&reg);
    let text = |target: &str, dir: Dir| {
        let t = impact::resolve(&reg, target).unwrap();
        impact::to_text(&reg, &impact::impact(&reg, &topo, &t, dir, None))
    };
    let down = text("service:cdc-debezium", Dir::Downstream);
    for t in [
        "db.changes.users",
        "db.changes.conversations",
        "warehouse-sync",
        "Audit Service",
    ] {
        assert!(down.contains(t), "{t} in {down}");
    }
    let up = text("topic:db.changes.users", Dir::Upstream);
    assert!(up.contains("cdc-debezium"), "{up}");
}
