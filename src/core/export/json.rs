//! The whole normalised model as JSON for scripts (documented in docs/export-json.md).

use crate::core::registry::model::{Endpoint, Registry};
use crate::core::registry::{ServiceId, Status, TopicId};
use crate::core::topology::Topology;
use serde_json::{json, Value};

/// Version of the JSON layout; bumped on any incompatible change.
pub const JSON_VERSION: u32 = 1;

/// The model as JSON text, one service or topic at a time: building the whole document
/// as one `Value` tree first cost about ten times its size in memory (a 7.9 MB registry
/// peaked at 1 GB).
pub fn write(reg: &Registry, topo: &Topology) -> String {
    write_part(reg, topo, &super::Part::All)
}

/// Only the services and topics of `part` (each still listing all its links).
pub fn write_part(reg: &Registry, topo: &Topology, part: &super::Part) -> String {
    use crate::core::topology::Node;
    use std::fmt::Write;
    let (services, topics) = parts(reg, topo);
    let pretty = |v: &dyn erased::Ser| v.pretty();
    let mut o = String::from("{\n");
    let _ = writeln!(o, "\"ktopo_export\": {JSON_VERSION},");
    for (key, value) in [
        ("platform", pretty(&reg.platform)),
        ("conventions", pretty(&reg.conventions)),
        ("domains", pretty(&reg.domains)),
    ] {
        let _ = writeln!(o, "\"{key}\": {value},");
    }
    let list = |o: &mut String, key: &str, items: &mut dyn Iterator<Item = Value>| {
        let _ = write!(o, "\"{key}\": [");
        for (i, item) in items.enumerate() {
            o.push_str(if i == 0 { "\n" } else { ",\n" });
            o.push_str(&serde_json::to_string_pretty(&item).unwrap_or_default());
        }
        o.push_str("\n],\n");
    };
    let (s, t) = (|i: &_| part.has(Node::Service(*i)), |i: &_| part.has(Node::Topic(*i)));
    list(&mut o, "services", &mut reg.service_ids().filter(s).map(services));
    list(&mut o, "topics", &mut reg.topic_ids().filter(t).map(topics));
    let _ = writeln!(o, "\"infrastructure\": {},", pretty(&reg.infrastructure));
    let _ = writeln!(o, "\"data_flows\": {}", pretty(&reg.data_flows));
    o.push_str("}\n");
    o
}

/// Pretty JSON of any serialisable value, behind one object-safe trait.
mod erased {
    pub trait Ser {
        fn pretty(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn pretty(&self) -> String {
            serde_json::to_string_pretty(self).unwrap_or_default()
        }
    }
}

/// Builders of one service's and one topic's JSON, by id.
#[allow(clippy::type_complexity)]
fn parts<'a>(
    reg: &'a Registry,
    topo: &'a Topology,
) -> (Box<dyn Fn(ServiceId) -> Value + 'a>, Box<dyn Fn(TopicId) -> Value + 'a>) {
    let service = move |i: ServiceId| {
        let s = &reg.services[i];
        // A proposed topic's candidates are candidates, not producers or consumers.
        let names = |v: Vec<TopicId>, proposed: bool| {
            v.into_iter()
                .filter(|&t| (reg.topics[t].status == Status::Proposed) == proposed)
                .map(|t| reg.topics[t].name.clone())
                .collect::<Vec<_>>()
        };
        let mut v = serde_json::to_value(s).unwrap_or_default();
        v["produces"] = json!(names(topo.outputs(i), false));
        v["consumes"] = json!(names(topo.inputs(i), false));
        v["candidate_producer_of"] = json!(names(topo.outputs(i), true));
        v["candidate_consumer_of"] = json!(names(topo.inputs(i), true));
        v
    };
    let topic = move |i: TopicId| topic_json(reg, &reg.topics[i]);
    (Box::new(service), Box::new(topic))
}

fn topic_json(reg: &Registry, t: &crate::core::registry::model::Topic) -> Value {
    let refs = |eps: &[Endpoint]| {
        eps.iter()
            .map(|e| reg.services[e.service].reference())
            .collect::<Vec<_>>()
    };
    let details = |eps: &[Endpoint]| {
        eps.iter()
            .map(|e| {
                let mut v = serde_json::to_value(e).unwrap_or_default();
                v["service_key"] = reg.services[e.service].key.clone().into();
                v
            })
            .collect::<Vec<_>>()
    };
    let proposed = t.status == Status::Proposed;
    let (producers, candidates) = if proposed {
        (&[][..], &t.producers[..])
    } else {
        (&t.producers[..], &[][..])
    };
    let (consumers, candidate_consumers) = if proposed {
        (&[][..], &t.consumers[..])
    } else {
        (&t.consumers[..], &[][..])
    };
    json!({
        "name": t.name,
        "status": t.status,
        "domain": t.domain,
        "summary": t.summary,
        "purpose": t.purpose,
        "producers": refs(producers),
        "consumers": refs(consumers),
        "candidate_producers": refs(candidates),
        "candidate_consumers": refs(candidate_consumers),
        "producer_details": details(producers),
        "consumer_details": details(consumers),
        "events": t.events.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
        "event_details": t.events,
        "replaced_by": t.replaced_by(),
        "deprecation": t.deprecation,
        "proposal": t.proposal,
        "tbd": t.tbd,
        "schema": {"status": t.schema_status, "note": t.schema_note,
                   "reference": t.schema_reference, "format": t.schema_format},
        "config": t.config,
        "audit": t.audit,
        "source": t.source,
        "key": t.key,
        "fields": t.fields,
        "notes": t.notes,
        "use_cases": t.use_cases,
        "examples": t.examples,
    })
}

/// The whole model as one JSON value (for tests and small registries).
pub fn model(reg: &Registry, topo: &Topology) -> Value {
    serde_json::from_str(&write(reg, topo)).unwrap_or_default()
}
