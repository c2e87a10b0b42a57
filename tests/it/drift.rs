//! Drift: every kind from scripted cluster facts (exact findings and registry
//! locations), and `ktopo drift` end to end against the demo cluster.

use crate::common;
use ktopo::core::diag::Severity;
use ktopo::core::drift::facts::{Facts, GroupFacts, TopicFacts};
use ktopo::core::drift::rules::{self, Options};
use ktopo::core::time::days;
use std::collections::HashMap;

fn topic(partitions: usize, rf: usize, rate: f64, configs: &[(&str, &str)]) -> TopicFacts {
    TopicFacts {
        partitions,
        replication: Some(rf),
        produce_rate: Some(rate),
        session_rate: None,
        configs: Some(configs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
        last_write_ms: None,
    }
}

fn group(committed: &[&str], members: &[&str], declared: &[&str]) -> GroupFacts {
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    GroupFacts {
        committed_on: set(committed),
        members_on: set(members),
        declared_on: set(declared),
        service: None,
        error: None,
    }
}

#[test]
fn every_kind_with_its_registry_location() {
    let checked = ktopo::core::registry::load(&common::fixture("drift.yaml")).unwrap();
    assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
    let reg = checked.registry.as_ref().unwrap();
    let week = "604800000";
    let mut facts = Facts {
        groups_listed: true,
        samples: 3,
        tails: Some(Default::default()),
        ..Facts::default()
    };
    let t = &mut facts.topics;
    t.insert(
        "orders_events".into(),
        topic(6, 3, 5.0, &[("retention.ms", week), ("compression.type", "lz4")]),
    );
    t.insert(
        "payments_events".into(),
        topic(10, 1, 1.0, &[("retention.ms", week), ("compression.type", "gzip")]),
    );
    t.insert(
        "audit_events".into(),
        topic(10, 3, 1.0, &[("retention.ms", week), ("compression.type", "gzip")]),
    );
    t.insert("old_orders_events".into(), topic(10, 3, 0.5, &[]));
    t.insert("future_events".into(), topic(10, 3, 0.0, &[]));
    t.insert("handmade_dump".into(), topic(1, 1, 0.0, &[]));
    for internal in [
        "__consumer_offsets",
        "_schemas",
        "connect-offsets",
        "app-store-changelog",
    ] {
        t.insert(internal.into(), topic(1, 1, 0.0, &[]));
    }
    let g = &mut facts.groups;
    g.insert(
        "billing_orders_events_consumer".into(),
        group(&["orders_events"], &[], &["orders_events"]),
    );
    g.insert(
        "billing_payments_events_consumer".into(),
        group(&[], &[], &["payments_events"]),
    );
    g.insert(
        "audit_payments_events_consumer".into(),
        group(&[], &["payments_events"], &["payments_events"]),
    );
    g.insert(
        "audit_audit_events_consumer".into(),
        group(&["audit_events"], &[], &["audit_events"]),
    );
    // Shop's conventional group on a topic shop does not consume: abandoned.
    g.insert(
        "shop_orders_events_consumer".into(),
        group(&["orders_events"], &[], &[]),
    );
    // Nobody's group, and its name breaks the convention.
    g.insert(
        "AdHoc.Reader".into(),
        group(&["payments_events"], &["payments_events"], &[]),
    );
    g.insert(
        "billing_old_orders_events_consumer".into(),
        group(&["old_orders_events"], &[], &[]),
    );
    // A stream processor that keeps offsets elsewhere: live members, no commits, and
    // neither MISSING nor undeclared.
    g.insert(
        "shop_payments_events_consumer".into(),
        group(&[], &["payments_events"], &[]),
    );
    for billing in ["billing_payments_events_consumer", "billing_old_orders_events_consumer"] {
        g.get_mut(billing).unwrap().service = Some("billing".into());
    }
    facts.topics.get_mut("old_orders_events").unwrap().last_write_ms =
        Some(days("2026-11-24").unwrap() * 86_400_000 - 3 * 3_600_000);
    let opts = Options {
        environment: "production".into(),
        environment_chosen: true,
        now_ms: days("2026-11-24").unwrap() * 86_400_000,
    };
    let r = rules::compute(reg, &facts, &opts);
    type Row<'a> = (&'a str, Severity, &'a str, Option<(u32, u32)>);
    let got: Vec<Row> = r
        .findings
        .iter()
        .map(|f| (f.kind, f.severity, f.subject.as_str(), f.loc.map(|l| (l.line, l.col))))
        .collect();
    use Severity::*;
    #[rustfmt::skip]
    let want = vec![
        ("missing-consumer", Error, "billing_payments_events_consumer", Some((20, 11))),
        ("missing-topic", Error, "ledger_events", Some((27, 11))),
        ("deprecated-consumed", Warning, "old_orders_events", Some((31, 11))),
        ("deprecated-written", Warning, "old_orders_events", Some((31, 11))),
        ("partitions", Warning, "orders_events", Some((4, 5))),
        ("proposed-created", Warning, "future_events", Some((35, 11))),
        ("replication", Warning, "payments_events", Some((20, 11))),
        ("retention", Warning, "audit_events", Some((9, 5))),
        ("undeclared-consumer", Warning, "AdHoc.Reader", Some((20, 11))),
        ("undeclared-topic", Warning, "handmade_dump", None),
        ("abandoned-group", Note, "shop_orders_events_consumer", Some((17, 11))),
        ("compression", Note, "orders_events", Some((17, 11))),
        ("deprecated-present", Note, "old_orders_events", Some((31, 11))),
    ];
    assert_eq!(got, want, "{}", ktopo::core::drift::text(&r, "drift.yaml"));
    let msg = |kind: &str| r.findings.iter().find(|f| f.kind == kind).unwrap().message.clone();
    assert_eq!(
        msg("partitions"),
        "`orders_events` has 6 partitions on the cluster; the registry's default is 10"
    );
    assert!(
        msg("deprecated-present").contains("90-day deprecation period ended 86 days ago"),
        "{}",
        msg("deprecated-present")
    );
    assert!(msg("retention").contains("7.0 days") && msg("retention").contains("expects 30 days"));
    assert!(msg("undeclared-consumer").contains("breaks the convention"));
    assert!(msg("abandoned-group").contains("ABANDONED"));
    assert!(msg("missing-consumer").starts_with("MISSING"));
    assert!(
        msg("deprecated-present").contains("last written 2026-11-23T21:00:00.000Z (3 h ago)"),
        "{}",
        msg("deprecated-present")
    );
    // Findings name the services they concern, for the services list and detail.
    let about = |key: &str| r.for_service(key).map(|f| f.kind).collect::<Vec<_>>();
    assert_eq!(
        about("billing"),
        ["missing-consumer", "missing-topic", "deprecated-consumed"]
    );
    assert_eq!(about("shop"), ["abandoned-group"]);
    assert_eq!(about("audit"), ["missing-topic"]);
    assert_eq!(r.exit_code(Severity::Error), 1);
    assert!(r.not_computed.is_empty(), "{:?}", r.not_computed);

    // The same cluster without DescribeConfigs or ListGroups says what it cannot compute.
    for f in facts.topics.values_mut() {
        f.configs = None;
    }
    facts.configs_missing = Some("the cluster does not serve DescribeConfigs".into());
    facts.groups_listed = false;
    facts.groups_unlisted = Some(ktopo::core::drift::facts::Unlisted::Cannot("no ListGroups".into()));
    let r = rules::compute(reg, &facts, &opts);
    assert!(!r
        .findings
        .iter()
        .any(|f| f.kind == "retention" || f.kind == "compression"));
    assert_eq!(r.not_computed.len(), 2, "{:?}", r.not_computed);
    assert!(r.failed.is_empty(), "what the cluster cannot do is said, not failed");

    // A ListGroups that failed this round is no "no undeclared consumer": the check
    // could not run, and the gate trips whatever the threshold.
    facts.groups_unlisted = Some(ktopo::core::drift::facts::Unlisted::Failed(
        "listing groups: COORDINATOR_NOT_AVAILABLE".into(),
    ));
    let r = rules::compute(reg, &facts, &opts);
    assert!(
        r.failed.iter().any(|f| f.contains("COORDINATOR_NOT_AVAILABLE")),
        "{:?}",
        r.failed
    );
    assert_eq!(r.exit_code(Severity::Note), 1);
    assert!(ktopo::core::drift::text(&r, "drift.yaml").contains("could not check: undeclared and abandoned consumers"));

    // A group whose offsets could not be read (authorization denied) is not MISSING.
    facts.groups_unlisted = None;
    // MISSING above: declared, with neither commits nor members.
    let denied = "billing_payments_events_consumer".to_string();
    facts.groups.get_mut(&denied).unwrap().error = Some("committed offsets: Broker: Group authorization failed".into());
    facts.groups.get_mut(&denied).unwrap().committed_on.clear();
    let r = rules::compute(reg, &facts, &opts);
    assert!(
        !r.findings
            .iter()
            .any(|f| f.kind == "missing-consumer" && f.subject == denied),
        "unreadable is not missing: {:?}",
        r.findings
    );
    assert!(
        r.failed
            .iter()
            .any(|f| f.contains(&denied) && f.contains("authorization")),
        "{:?}",
        r.failed
    );

    // Messages that could not be read (a codec librdkafka lacks, a corrupt batch) are a
    // check that could not run, never "no finding".
    facts.groups.get_mut(&denied).unwrap().error = None;
    facts.tail_problems = vec!["`payments_events`: Local: Not implemented".into()];
    let r = rules::compute(reg, &facts, &opts);
    assert!(
        r.failed
            .iter()
            .any(|f| f.contains("messages of `payments_events`: Local: Not implemented could not be read")),
        "{:?}",
        r.failed
    );
    assert_eq!(r.exit_code(Severity::Error), 1);
}

#[test]
fn internal_topics() {
    for t in [
        "__consumer_offsets",
        "_schemas",
        "connect-configs",
        "app-KSTREAM-changelog",
        "x-repartition",
    ] {
        assert!(rules::internal(t), "{t}");
    }
    assert!(!rules::internal("orders_events"));
}

#[test]
fn drift_against_the_demo_cluster_shows_each_kind() {
    let out = assert_cmd::Command::cargo_bin("ktopo")
        .unwrap()
        .current_dir(common::root())
        .env_remove("KTOPO_BROKERS")
        .env_remove("KTOPO_REGISTRY")
        .args(["drift", "--json"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "errors found: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: HashMap<&str, Vec<&serde_json::Value>> =
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .fold(HashMap::new(), |mut m, f| {
                m.entry(f["kind"].as_str().unwrap()).or_default().push(f);
                m
            });
    for k in [
        "undeclared-topic",
        "missing-topic",
        "partitions",
        "missing-consumer",
        "deprecated-written",
        "deprecated-consumed",
        "deprecated-present",
        // Observed in the demo producers' messages.
        "message-format",
        "undeclared-event",
        "misrouted-event",
        "undeclared-producer",
        "deprecated-producer",
    ] {
        assert!(kinds.contains_key(k), "the demo shows {k}: {v}");
    }
    let part = kinds["partitions"][0];
    assert_eq!(
        part["message"],
        "`billing_events` has 6 partitions on the cluster; the registry's default is 10"
    );
    assert_eq!(part["location"]["file"], "registry.yaml");
    assert!(part["location"]["line"].as_u64().unwrap() > 0);
    let missing = kinds["missing-consumer"][0];
    assert_eq!(missing["subject"], "monitoring_engine_voice_events_consumer");
    assert_eq!(missing["services"], serde_json::json!(["monitoring_engine"]));
    // The deprecated topic still written says when it last was.
    let nda = kinds["deprecated-present"]
        .iter()
        .find(|f| f["subject"] == "nda_events")
        .unwrap();
    assert!(nda["message"].as_str().unwrap().contains("; last written 20"), "{nda}");
    assert_eq!(v["not_computed"].as_array().unwrap().len(), 2, "{}", v["not_computed"]);
    assert!(v["environment"].as_str().unwrap().starts_with("development"));
}

#[test]
fn fail_on_levels() {
    let run = |level: &str| {
        assert_cmd::Command::cargo_bin("ktopo")
            .unwrap()
            .current_dir(common::root())
            .env_remove("KTOPO_BROKERS")
            .args(["drift", "--samples", "1", "--fail-on", level])
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(run("error"), Some(1));
    assert_eq!(run("note"), Some(1));
    let out = assert_cmd::Command::cargo_bin("ktopo")
        .unwrap()
        .current_dir(common::root())
        .args(["drift", "--offline"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "no cluster: exit 2");
}

#[test]
fn the_registry_can_ignore_cluster_topics() {
    let text = std::fs::read_to_string(common::fixture("drift.yaml")).unwrap();
    let text = text.replacen(
        "conventions:\n",
        "conventions:\n  drift_ignore: [\"handmade_*\", \"re:scratch-[0-9]+\"]\n",
        1,
    );
    let checked = ktopo::core::registry::load_str("drift.yaml", text);
    assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
    let reg = checked.registry.as_ref().unwrap();
    let mut facts = Facts {
        groups_listed: true,
        samples: 3,
        ..Facts::default()
    };
    for t in ["handmade_dump", "scratch-42", "scratch-x"] {
        facts.topics.insert(t.into(), topic(1, 1, 0.0, &[]));
    }
    let opts = Options {
        environment: "production".into(),
        environment_chosen: true,
        now_ms: 0,
    };
    let r = rules::compute(reg, &facts, &opts);
    let undeclared: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.kind == "undeclared-topic")
        .map(|f| f.subject.as_str())
        .collect();
    assert_eq!(undeclared, ["scratch-x"]);
    // An invalid pattern is a registry error.
    let bad = ktopo::core::registry::load_str(
        "bad.yaml",
        "conventions:\n  drift_ignore: [\"re:(\"]\nservices: []\ntopics: []\n".into(),
    );
    assert!(
        bad.diagnostics.iter().any(|d| d.code == "invalid-pattern"),
        "{:?}",
        bad.diagnostics
    );
}

#[test]
fn a_default_is_placed_at_its_key_else_at_its_block() {
    let at = |yaml: &str, key: &str| {
        let c = ktopo::core::registry::load_str("r.yaml", yaml.to_string());
        let conventions = &c.registry.as_ref().expect("parsed").conventions;
        conventions.default_at(key).map(|l| (l.line, l.col))
    };
    let block = "conventions:\n  consumer_group: x\n  topic_defaults:\n    # a comment\n    partitions: 6\n";
    assert_eq!(at(block, "partitions"), Some((5, 5)));
    assert_eq!(at(block, "retention_days"), Some((3, 3)));
    let flow = "conventions: {topic_defaults: {retention_days: 7}}\n";
    assert_eq!(at(flow, "retention_days"), Some((1, 32)));
    assert_eq!(at(flow, "partitions"), Some((1, 15)));
    assert_eq!(at("conventions:\n  topic_defaults:\n", "partitions"), Some((2, 3)));
    assert_eq!(at("conventions:\n  consumer_group: x\n", "partitions"), None);
}

#[test]
fn a_deprecated_topic_written_earlier_in_the_session_is_still_written() {
    let checked = ktopo::core::registry::load(&common::fixture("drift.yaml")).unwrap();
    let reg = checked.registry.as_ref().unwrap();
    let mut facts = Facts {
        groups_listed: true,
        samples: 3,
        ..Facts::default()
    };
    let mut f = topic(10, 3, 0.0, &[]);
    f.session_rate = Some(0.02);
    facts.topics.insert("old_orders_events".into(), f);
    let opts = Options {
        environment: "production".into(),
        environment_chosen: true,
        now_ms: 0,
    };
    let r = rules::compute(reg, &facts, &opts);
    let w: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.kind == "deprecated-written")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        w,
        ["deprecated `old_orders_events` still receives writes: 0.020 msg/s since ktopo started watching; its producers must move to `orders_events`"]
    );
    // One message in two hours: said per hour, not as 0.000 msg/s.
    facts.topics.get_mut("old_orders_events").unwrap().session_rate = Some(1.0 / 7200.0);
    let r = rules::compute(reg, &facts, &opts);
    let w: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.kind == "deprecated-written")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        w,
        ["deprecated `old_orders_events` still receives writes: 0.5 msg/h since ktopo started watching; its producers must move to `orders_events`"]
    );
    facts.topics.get_mut("old_orders_events").unwrap().session_rate = Some(0.0);
    let r = rules::compute(reg, &facts, &opts);
    assert!(r.findings.iter().all(|f| f.kind != "deprecated-written"));
}
