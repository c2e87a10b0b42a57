//! Observed events: sampled messages checked against registry.yaml's envelope, event
//! types and producers (table-tested), and against a topic's own message format.

use crate::common;
use ktopo::cluster::kafka::peek::Peeked;
use ktopo::core::diag::Severity;
use ktopo::core::observe::{findings, observe};

fn msg(offset: i64, value: &str) -> Peeked {
    Peeked {
        partition: 0,
        offset,
        timestamp_ms: Some(0),
        key: None,
        headers: Vec::new(),
        value: Some(value.as_bytes().to_vec()),
        value_len: value.len(),
        schema: None,
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

fn registry() -> ktopo::core::registry::Registry {
    ktopo::core::registry::load(&common::root().join("registry.yaml"))
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
        ktopo::core::registry::load(&common::root().join("assets/registries/enterprise-agent-platform.yaml")).unwrap();
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

/// Timestamps, versions and ids are judged as their specs define them: a day the
/// calendar has, no leading zeros, the hyphenated id form.
#[test]
fn envelope_values_are_judged_by_their_specs() {
    let reg = registry();
    let good = envelope("payment_succeeded", "billing", "");
    let with = |field: &str, from: &str, to: &str| {
        let v = good.replacen(from, to, 1);
        assert_ne!(v, good, "{field}: {from} is in the envelope");
        v
    };
    let id = "0b7f6c1e-2f4a-4d1e-9a51-0c3f2b8d9e10";
    let time = "2026-11-30T05:00:00.123Z";
    let cases = [
        ("timestamp", time, "2026-11-30T06:00:00.123+01:00", true),
        ("timestamp", time, "2026-11-30t05:00:00z", true),
        ("timestamp", time, "2024-02-29T05:00:00Z", true),
        ("timestamp", time, "2024-02-31T05:00:00Z", false),
        ("timestamp", time, "2026-13-01T05:00:00Z", false),
        ("timestamp", time, "2026-11-30T25:00:00Z", false),
        ("timestamp", time, "2026-11-30T05:00:00", false),
        ("timestamp", time, "2026-11-30", false),
        ("version", "1.2.0", "2.0.0-rc.1+build.5", true),
        ("version", "1.2.0", "01.2.0", false),
        ("version", "1.2.0", "1.2", false),
        ("version", "1.2.0", "1.2.0-", false),
        ("event_id", id, "0B7F6C1E-2F4A-4D1E-9A51-0C3F2B8D9E10", true),
        ("event_id", id, "0b7f6c1e2f4a4d1e9a510c3f2b8d9e10", false),
        ("event_id", id, "{0b7f6c1e-2f4a-4d1e-9a51-0c3f2b8d9e10}", false),
        ("event_id", id, "0b7f6c1e-2f4a-4d1e-9a51-0c3f2b8d9e1g", false),
    ];
    for (field, from, to, ok) in cases {
        let o = observe(&reg, "billing_events", &[msg(0, &with(field, from, to))]);
        assert_eq!(o.conforming == 1, ok, "{field} = {to}: {o:?}");
        if !ok {
            assert_eq!(o.malformed.get(field), Some(&(1, to.to_string())), "{field} = {to}");
        }
    }
}

/// A record with no value: a tombstone (a delete on a compacted topic).
fn tombstone(offset: i64) -> Peeked {
    Peeked {
        value: None,
        value_len: 0,
        ..msg(offset, "")
    }
}

/// `value` as the sampler keeps it: its first `cap` bytes, with its full size.
fn cut(offset: i64, value: &str, cap: usize) -> Peeked {
    Peeked {
        value: Some(value.as_bytes()[..cap].to_vec()),
        value_len: value.len(),
        ..msg(offset, value)
    }
}

/// The findings about one topic's messages, as (kind, message).
fn said(reg: &ktopo::core::registry::Registry, topic: &str, messages: &[Peeked]) -> Vec<(&'static str, String)> {
    findings(reg, &[observe(reg, topic, messages)])
        .into_iter()
        .map(|f| (f.kind, f.message))
        .collect()
}

#[test]
fn a_tombstone_is_not_a_format_problem() {
    let reg = registry();
    let good = envelope("payment_succeeded", "billing", "");
    let o = observe(&reg, "billing_events", &[msg(0, &good), tombstone(1), tombstone(2)]);
    assert_eq!((o.not_json, o.conforming), (0, 1), "{o:?}");
    let f = said(&reg, "billing_events", &[msg(0, &good), tombstone(1), tombstone(2)]);
    assert!(!f.iter().any(|f| f.0 == "message-format"), "{f:?}");
    assert!(
        f.contains(&(
            "unchecked-messages",
            "`billing_events`: 2 of 3 sampled messages not checked: 2 tombstones (no value)".into()
        )),
        "{f:?}"
    );
    assert_eq!(o.tombstones, 2);
}

#[test]
fn a_value_cut_at_the_sampling_cap_is_too_large_not_json() {
    let reg = registry();
    let big = envelope("payment_succeeded", "billing", "")
        .replace(r#""amount":12"#, &format!(r#""memo":"{}""#, "x".repeat(100_000)));
    assert!(serde_json::from_str::<serde_json::Value>(&big).is_ok());
    let cap = 64 << 10;
    let sample = [msg(0, &envelope("payment_succeeded", "billing", "")), cut(1, &big, cap)];
    let o = observe(&reg, "billing_events", &sample);
    assert_eq!((o.not_json, o.conforming), (0, 1), "{o:?}");
    assert!(o.missing.is_empty(), "the cut part is not missing: {o:?}");
    // What the kept part names still counts: no producer or event type goes unseen.
    assert_eq!(o.events.get("payment_succeeded"), Some(&2));
    assert_eq!(o.producers.get("billing"), Some(&2));
    let f = said(&reg, "billing_events", &sample);
    assert!(!f.iter().any(|f| f.0 == "message-format"), "{f:?}");
    assert!(
        f.contains(&(
            "unchecked-messages",
            "`billing_events`: 1 of 2 sampled messages not checked: 1 too large (cut at the sampling cap)".into()
        )),
        "{f:?}"
    );
    assert_eq!(o.too_large, 1);

    // A cut value whose kept part already is not JSON is a format problem.
    let blob = format!("\u{0}avro{}", "y".repeat(100_000));
    let o = observe(
        &reg,
        "billing_events",
        &[cut(0, &blob, cap), cut(1, &format!("[{big}]"), cap)],
    );
    assert_eq!((o.not_json, o.too_large), (2, 0), "{o:?}");
}

#[test]
fn numbers_out_of_f64_range_are_still_json() {
    let reg = registry();
    let sample: Vec<Peeked> = ["1e400", "-1e400", "1e-400", "123456789012345678901234567890", "-0.0E+0"]
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let v = envelope("payment_succeeded", "billing", "").replace(r#""amount":12"#, &format!(r#""amount":{n}"#));
            msg(i as i64, &v)
        })
        .collect();
    let o = observe(&reg, "billing_events", &sample);
    assert_eq!((o.not_json, o.conforming), (0, 5), "{o:?}");
    assert!(!said(&reg, "billing_events", &sample)
        .iter()
        .any(|f| f.0 == "message-format"));
}

#[test]
fn deep_nesting_is_still_json() {
    let reg = registry();
    // `depth` objects, each holding an array: twice as many levels.
    let nested = |depth: usize| {
        let deep = format!("{}{}", r#"{"a":["#.repeat(depth), "]}".repeat(depth));
        envelope("payment_succeeded", "billing", "").replace(r#""amount":12"#, &format!(r#""deep":{deep}"#))
    };
    // 200 levels: past serde_json's 128; 14 000: a scan that recursed would overflow.
    let sample = [msg(0, &nested(50)), msg(1, &nested(100)), msg(2, &nested(7_000))];
    assert!(sample[2].value_len < 64 << 10, "fits the sampling cap");
    let o = observe(&reg, "billing_events", &sample);
    // `metadata` comes after the nested payload: found at its place all the same.
    assert_eq!((o.not_json, o.conforming), (0, 3), "{o:?}");
    assert!(!said(&reg, "billing_events", &sample)
        .iter()
        .any(|f| f.0 == "message-format"));
    // Deep and broken is still broken.
    let broken = nested(7_000).replacen("]}", "}}", 1);
    assert_eq!(observe(&reg, "billing_events", &[msg(0, &broken)]).not_json, 1);
}

#[test]
fn what_is_not_a_json_object_still_is_not() {
    let reg = registry();
    let good = envelope("payment_succeeded", "billing", "");
    let bad: Vec<String> = vec![
        String::new(),
        "   ".into(),
        "[1]".into(),
        r#""text""#.into(),
        "null".into(),
        format!("{good} x"),
        format!("{good}}}"),
        good[..good.len() - 1].to_string(),
        good.replace(r#""amount":12"#, r#""amount":012"#),
        good.replace(r#""amount":12"#, r#""amount":1."#),
        good.replace(r#""amount":12"#, r#""amount":NaN"#),
        good.replace(r#""amount":12"#, r#""amount":tru"#),
        good.replace(r#""amount":12"#, r#""amount":12,"#),
        good.replace("pay-1", "pay\u{1}1"),
        good.replace("pay-1", r"pay\x1"),
        good.replace("pay-1", r"pay\u12G4"),
        good.replace(r#""payload""#, "payload"),
        good.replace(r#""payload":"#, r#""payload" "#),
        format!("\u{feff}{good}"),
    ];
    for (i, b) in bad.iter().enumerate() {
        assert!(
            serde_json::from_str::<serde_json::Value>(b).is_err() || !b.starts_with('{'),
            "{i}: {b}"
        );
        let o = observe(&reg, "billing_events", &[msg(0, b)]);
        assert_eq!(o.not_json, 1, "{i}: {b}");
    }
    let mut latin1 = good.clone().into_bytes();
    let at = latin1.iter().position(|&c| c == b'-').unwrap();
    latin1[at] = 0xE9;
    let m = Peeked {
        value: Some(latin1),
        ..msg(0, &good)
    };
    assert_eq!(observe(&reg, "billing_events", &[m]).not_json, 1, "not UTF-8");
}

#[test]
fn fields_are_read_as_a_json_parser_reads_them() {
    let reg = registry();
    let good = envelope("payment_succeeded", "billing", "");
    // An escaped key, an escaped value, whitespace everywhere, and a duplicate key
    // (the last one counts).
    let escaped = good
        .replace(r#""event_type""#, r#""event\u005ftype""#)
        .replace(r#""billing""#, r#""bill\u0069ng""#)
        .replace(',', " ,\n\t")
        .replace("\":", "\"\r\n: ");
    let duplicate = good.replace(r#""version":"1.2.0""#, r#""version":"v1","version":"1.2.0""#);
    let replaced = good.replace(r#""metadata":{"#, r#""metadata":{},"metadata":{"#);
    let null = good.replace(
        r#""tenant_id":"5d2c1a3e-8b7f-4c6d-9e0a-1b2c3d4e5f60""#,
        r#""tenant_id":null"#,
    );
    let o = observe(
        &reg,
        "billing_events",
        &[msg(0, &escaped), msg(1, &duplicate), msg(2, &replaced), msg(3, &null)],
    );
    assert_eq!((o.not_json, o.conforming), (0, 3), "{o:?}");
    assert_eq!(o.events.get("payment_succeeded"), Some(&4));
    assert_eq!(o.producers.get("billing"), Some(&4));
    assert_eq!(o.missing.get("tenant_id"), Some(&1), "null is missing");
    // A field of the wrong kind is quoted as JSON.
    let object = good.replace(r#""version":"1.2.0""#, r#""version": { "major" : 1 }"#);
    let o = observe(&reg, "billing_events", &[msg(0, &object)]);
    assert_eq!(o.malformed.get("version"), Some(&(1, r#"{"major":1}"#.to_string())));
}

#[test]
fn names_from_messages_stay_on_one_line() {
    let reg = registry();
    let forged = "x\nwarning[message-format]: `billing_events`: all is lost";
    let sample = [
        msg(0, &envelope(forged, "billing", "")),
        msg(1, &envelope("payment_succeeded", "rogue\r\nnote[x]: y", "")),
        msg(
            2,
            &envelope("payment_succeeded", "billing", "").replace("1.2.0", r"1\n2"),
        ),
        msg(3, &envelope("nda_signed", "billing\u{2028}x", "")),
    ];
    let f = said(&reg, "billing_events", &sample);
    assert!(f.len() >= 4, "{f:?}");
    for (kind, m) in &f {
        assert!(!m.contains(['\n', '\r', '\u{2028}']), "{kind}: {m:?}");
    }
    assert!(
        f.iter()
            .any(|f| f.1.contains(r"event type `x\nwarning[message-format]")),
        "{f:?}"
    );
}

#[test]
fn long_event_types_are_matched_whole() {
    let yaml = r#"
services:
  - { id: 0, key: shop, name: Shop }
topics:
  - name: orders_events
    producers: [shop]
    events: [order_line_item_quantity_adjusted_by_customer_service, order_line_item_quantity_adjusted_by_customer]
"#;
    let reg = ktopo::core::registry::load_str("long.yaml", yaml.into())
        .registry
        .unwrap();
    let m = |event: &str| format!(r#"{{"event_type":"{event}","source_service":"shop"}}"#);
    let sample = [
        msg(0, &m("order_line_item_quantity_adjusted_by_customer_service")),
        msg(1, &m("order_line_item_quantity_adjusted_by_customer")),
    ];
    let f = said(&reg, "orders_events", &sample);
    assert!(f.is_empty(), "{f:?}");
}

/// A message with escapes, non-ASCII text, every kind of number and nesting.
fn rich() -> String {
    envelope("payment_succeeded", "billing", "").replace(
        r#""amount":12"#,
        r#""amount":-12.5e+3,"note":"caf\u00e9 \ud83d\ude00 ✓ \"q\" \\ \/ \b\f\n\r\t","list":[true,false,null,0,{},[],[{"a":[1E-2]}]],"ε":"x""#,
    )
}

#[test]
fn every_cut_of_a_valid_object_is_too_large_never_not_json() {
    let reg = registry();
    let v = rich();
    assert!(serde_json::from_str::<serde_json::Value>(&v).is_ok());
    for k in (0..v.len()).filter(|&k| v.is_char_boundary(k) || k % 3 == 0) {
        let m = Peeked {
            value: Some(v.as_bytes()[..k].to_vec()),
            ..msg(0, &v)
        };
        let o = observe(&reg, "billing_events", &[m]);
        assert_eq!(
            (o.too_large, o.not_json),
            (1, 0),
            "cut at {k}: {:?}",
            &v.as_bytes()[..k]
        );
    }
}

proptest::proptest! {
    /// The scan says "JSON object" exactly when serde_json does, where serde_json's
    /// limits (depth, f64 range, unpaired surrogate escapes) are not what decides.
    #[test]
    fn not_json_exactly_when_serde_json_says_so(
        edits in proptest::collection::vec((0usize..10_000, 0usize..24, 0u8..3), 1..4)
    ) {
        static REG: std::sync::OnceLock<ktopo::core::registry::Registry> = std::sync::OnceLock::new();
        let reg = REG.get_or_init(registry);
        let mut v = rich().into_bytes();
        let alphabet = b"{}[]\":,\\ \n01-+.eEtrufalsn\x01";
        for (at, c, op) in edits {
            let at = at % (v.len() + 1);
            let c = alphabet[c % alphabet.len()];
            match op {
                0 if at < v.len() => { v.remove(at); }
                1 if at < v.len() => v[at] = c,
                _ => v.insert(at, c),
            }
        }
        let serde = serde_json::from_slice::<serde_json::Value>(&v);
        let limited = serde.as_ref().err().is_some_and(|e| {
            let e = e.to_string();
            e.contains("out of range") || e.contains("recursion") || e.contains("surrogate") || e.contains("end of hex escape")
        });
        if limited {
            return Ok(());
        }
        let m = Peeked { value: Some(v.clone()), value_len: v.len(), ..msg(0, "") };
        let o = observe(reg, "billing_events", &[m]);
        let text = String::from_utf8_lossy(&v);
        proptest::prop_assert_eq!(o.not_json == 0, serde.as_ref().is_ok_and(|v| v.is_object()), "{}", text);
        // Where both read a string, they read the same one.
        if let Ok(parsed) = &serde {
            for (field, seen) in [("event_type", &o.events), ("source_service", &o.producers)] {
                match parsed.get(field) {
                    Some(serde_json::Value::String(s)) => {
                        proptest::prop_assert_eq!(seen.keys().collect::<Vec<_>>(), [s], "{}", text)
                    }
                    None | Some(serde_json::Value::Null) => proptest::prop_assert!(seen.is_empty(), "{}", text),
                    Some(_) => {}
                }
            }
        }
    }
}
