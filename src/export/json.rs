//! The whole normalised model as JSON for scripts (documented in docs/export-json.md).

use crate::registry::model::{Endpoint, Registry};
use crate::topology::Topology;
use serde_json::{json, Value};

/// Version of the JSON layout; bumped on any incompatible change.
pub const JSON_VERSION: u32 = 1;

pub fn model(reg: &Registry, topo: &Topology) -> Value {
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
    let services: Vec<Value> = reg
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let names = |v: Vec<usize>| v.into_iter().map(|t| reg.topics[t].name.clone()).collect::<Vec<_>>();
            let mut v = serde_json::to_value(s).unwrap_or_default();
            v["produces"] = json!(names(topo.outputs(i)));
            v["consumes"] = json!(names(topo.inputs(i)));
            v
        })
        .collect();
    let topics: Vec<Value> = reg
        .topics
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "status": t.status,
                "domain": t.domain,
                "summary": t.summary,
                "purpose": t.purpose,
                "producers": refs(&t.producers),
                "consumers": refs(&t.consumers),
                "producer_details": details(&t.producers),
                "consumer_details": details(&t.consumers),
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
        })
        .collect();
    json!({
        "ktopo_export": JSON_VERSION,
        "platform": reg.platform,
        "conventions": reg.conventions,
        "domains": reg.domains,
        "services": services,
        "topics": topics,
        "infrastructure": reg.infrastructure,
        "data_flows": reg.data_flows,
    })
}
