//! Observed events: sampled messages checked against registry.yaml's envelope, event
//! types and producers (table-tested), and against a topic's own message format.

mod common;
use ktopo::diag::Severity;
use ktopo::kafka::peek::Peeked;
use ktopo::observe::{findings, observe};

fn msg(offset: i64, value: &str) -> Peeked {
    Peeked {
        partition: 0,
        offset,
        timestamp_ms: Some(0),
        key: None,
        headers: Vec::new(),
        value: Some(value.as_bytes().to_vec()),
        value_len: value.len(),
    }
}

/// A conforming envelope with the given type and source, and `drop` left out.
fn envelope(event: &str, source: &str, drop: &str) -> String {
    let mut v = serde_json::json!({
        "event_id": "0b7f6c1e-2f4a-4d1e-9a51-0c3f2b8d9e10",
        "event_type": event,
        "timestamp": "2026-11-30T05:00:00.123Z",
        "tenant_id": "5d2c1a3e-8b7f-4c6d-9e0a-1b2c3d4e5f60",
        "organization_id": "6e3d2b4f-9c8a-4d7e-8f1b-2c3d4e5f6a71",
        "source_service": source,
        "version": "1.2.0",
        "payload": {"amount": 12},
        "metadata": {
            "correlation_id": "7f4e3c5a-0d9b-4e8f-9a2c-3d4e5f6a7b82",
            "causation_id": "8a5f4d6b-1e0c-4f9a-8b3d-4e5f6a7b8c93",
            "idempotency_key": "pay-1"
        }
    });
    v.as_object_mut().unwrap().remove(drop);
    v.to_string()
}

fn registry() -> ktopo::registry::Registry {
    ktopo::registry::load(&common::root().join("registry.yaml"))
        .unwrap()
        .registry
        .unwrap()
}

#[test]
fn envelope_events_and_producers_against_the_registry() {
    let reg = registry();
    let billing = vec![
        msg(0, &envelope("payment_succeeded", "billing", "")),
        msg(1, &envelope("payment_failed", "billing", "tenant_id")),
        msg(2, &envelope("refund_issued", "billing", "")),
        msg(3, &envelope("payment_succeeded", "rogue_writer", "")),
        msg(4, &envelope("payment_succeeded", "research_engine", "")),
        msg(5, &envelope("payment_succeeded", "billing", "").replace("1.2.0", "v1")),
        msg(6, "not json \u{1b}[2J"),
    ];
    let o = observe(&reg, "billing_events", &billing);
    assert_eq!(o.sampled, 7);
    assert_eq!(o.not_json, 1);
    assert_eq!(o.missing.get("tenant_id"), Some(&1));
    assert_eq!(o.malformed.get("version"), Some(&(1, "v1".to_string())));
    assert_eq!(o.conforming, 4);
    assert_eq!(o.events.get("payment_succeeded"), Some(&4));

    // nda_signed moved to sales_doc_events but is still written to nda_events.
    let nda = vec![msg(0, &envelope("nda_signed", "sales_document_generator", ""))];
    let obs = vec![o, observe(&reg, "nda_events", &nda)];
    let f = findings(&reg, &obs);
    let got: Vec<(&str, Severity, &str)> = f.iter().map(|f| (f.kind, f.severity, f.message.as_str())).collect();
    let want = [
        ("message-format", Severity::Warning, "`billing_events`: 1 of 7 sampled messages are not JSON objects"),
        ("message-format", Severity::Warning, "`billing_events`: 1 of 7 sampled messages lack `tenant_id`"),
        (
            "message-format",
            Severity::Warning,
            "`billing_events`: 1 of 7 sampled messages have a malformed `version` (e.g. \"v1\")",
        ),
        (
            "undeclared-event",
            Severity::Warning,
            "`billing_events` carries event type `refund_issued` (1 of 7 sampled), which the registry does not declare anywhere",
        ),
        (
            "unseen-event",
            Severity::Note,
            "`billing_events`: 1 of 3 declared event types not seen in 7 sampled messages: subscription_updated",
        ),
        (
            "undeclared-producer",
            Severity::Warning,
            "`billing_events`: 1 of 7 sampled messages come from `research_engine`: service `research_engine` is not a declared producer of it",
        ),
        (
            "undeclared-producer",
            Severity::Warning,
            "`billing_events`: 1 of 7 sampled messages come from `rogue_writer`: no service in the registry has that name",
        ),
        (
            "misrouted-event",
            Severity::Warning,
            "deprecated `nda_events` carries event type `nda_signed` (1 of 1 sampled), which the registry declares on `client_events`, `sales_doc_events`",
        ),
        (
            "deprecated-producer",
            Severity::Warning,
            "deprecated `nda_events`: 1 of 1 sampled messages come from `sales_document_generator`, which must move to `sales_doc_events`",
        ),
    ];
    assert_eq!(got, want);
    let research = f.iter().find(|f| f.subject == "research_engine").unwrap();
    assert_eq!(research.services, ["research_engine"]);
}

#[test]
fn a_topic_with_its_own_message_format_is_checked_by_it() {
    let checked =
        ktopo::registry::load(&common::root().join("assets/registries/enterprise-agent-platform.yaml")).unwrap();
    let reg = checked.registry.unwrap();
    let good = r#"{"execution_id":"exec-1","agent_id":"card_agent","status":"completed","duration_ms":250,
        "input":{},"output":{},"timestamp":"2024-11-27T00:00:00Z",
        "_metadata":{"timestamp":"2024-11-27T00:00:00.123Z","message_id":"m1","producer":"enterprise-agent-platform"}}"#;
    let stranger = good.replace("card_agent", "pension_agent");
    let missing = good.replace(r#""status":"completed","#, "");
    let o = observe(
        &reg,
        "agent.executions",
        &[msg(0, good), msg(1, &stranger), msg(2, &missing)],
    );
    assert_eq!(o.conforming, 2, "{o:?}");
    assert_eq!(o.missing.get("status"), Some(&1));
    assert_eq!(o.producers.get("card_agent"), Some(&2), "agent_id names the producer");
    let f = findings(&reg, &[o]);
    assert!(
        f.iter()
            .any(|f| f.kind == "undeclared-producer" && f.subject == "pension_agent"),
        "{f:?}"
    );
}
