//! ktopo end to end through the real librdkafka client against a scripted broker
//! (`broker.rs`): the cluster-side cases of hostile data that librdkafka's mock
//! cluster cannot produce. A leader that never answers ListOffsets, one partition
//! answering NOT_LEADER_OR_FOLLOWER, ListGroups answering COORDINATOR_NOT_AVAILABLE,
//! offsets near i64::MAX, a negative commit, group ids and member fields with control
//! characters, and an answer that comes after the sampler's timeout: no gate passes,
//! no lag reads 0, no output line is forged.
//!
//! `log_offsets` has the ListOffsets cases (silence, one partition's error, i64::MAX,
//! late answers), `groups` the group cases (ListGroups failing, hostile ids, a negative
//! commit); this file the shared fixture and a baseline that the broker speaks what
//! librdkafka sends.
//!
//! Each test starts its own broker on a port of 127.0.0.1 and runs the `ktopo` binary
//! (several at once where a test has several commands), or the sampler in-process with
//! a short timeout. The binary's sampler timeout is 5 s: a silent or late ListOffsets
//! costs a round that long.

mod broker;
mod groups;
mod init_merge;
mod log_offsets;
mod messages;
mod script;
mod wire;

use broker::{Answer, Broker};
use script::{Group, Member, Script, Topic};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// Three services in a line: shop writes orders_events, billing reads it and writes
/// invoice_events, ledger reads that. Declared groups: billing_orders_events_consumer
/// and ledger_invoice_events_consumer.
const REGISTRY: &str = r#"
conventions:
  topic_naming:
    - pattern: "{domain}_events"
  consumer_group: "{service_name}_{topic_name}_consumer"
services:
  - { id: 0, key: shop, name: Shop, owner: team-shop }
  - { id: 1, key: billing, name: Billing, owner: team-billing, oncall: "pager:billing" }
  - { id: 2, key: ledger, name: Ledger, owner: team-ledger }
topics:
  - name: orders_events
    producers: [shop]
    consumers: [billing]
    partitions: 3
    replication: 1
  - name: invoice_events
    producers: [billing]
    consumers: [ledger]
    partitions: 1
    replication: 1
"#;

const BILLING: &str = "billing_orders_events_consumer";
const LEDGER: &str = "ledger_invoice_events_consumer";
const MILLION: i64 = 1_000_000;

/// The registry in a directory of its own (kept while the value lives).
struct Registry {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn registry() -> Registry {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.yaml");
    std::fs::write(&path, REGISTRY).unwrap();
    Registry { _dir: dir, path }
}

/// orders_events' three partitions hold `ends`, billing committed `commits` there;
/// invoice_events holds 500 messages, all read by ledger.
fn script(ends: [i64; 3], commits: [i64; 3]) -> Script {
    let billing: Vec<(&str, i32, i64)> = (0..3).map(|p| ("orders_events", p, commits[p as usize])).collect();
    Script {
        topics: vec![Topic::new("orders_events", &ends), Topic::new("invoice_events", &[500])],
        groups: vec![
            Group::new(BILLING, &billing),
            Group::new(LEDGER, &[("invoice_events", 0, 500)]),
        ],
        faults: Vec::new(),
    }
}

/// `ktopo ARGS -r REGISTRY -b BROKER`, bounded in time.
fn ktopo(reg: &Path, broker: &Broker, args: &[&str]) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("ktopo").unwrap();
    c.env_remove("KTOPO_BROKERS")
        .env_remove("KTOPO_REGISTRY")
        .args(args)
        .arg("-r")
        .arg(reg)
        .args(["-b", &broker.bootstrap()])
        .timeout(Duration::from_secs(45));
    c
}

/// Run the commands at once (each round of a silent broker costs the 5 s timeout).
fn run_all(cmds: Vec<assert_cmd::Command>) -> Vec<Output> {
    std::thread::scope(|s| {
        let runs: Vec<_> = cmds
            .into_iter()
            .map(|mut c| s.spawn(move || c.output().unwrap()))
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    })
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)))
}

/// The `--json` group row of `group`.
fn row<'a>(v: &'a Value, group: &str) -> &'a Value {
    v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == group)
        .unwrap_or_else(|| panic!("no row for {group}: {v}"))
}

/// The `--json` partition rows of `group`: (partition, committed, log_end, lag).
fn partitions(v: &Value, group: &str) -> Vec<(i64, Value, Value, Value)> {
    v["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["group"] == group)
        .map(|p| {
            (
                p["partition"].as_i64().unwrap(),
                p["committed"].clone(),
                p["log_end"].clone(),
                p["lag"].clone(),
            )
        })
        .collect()
}

/// The gate's reason for a partial row, as `lag --fail-on` prints it.
fn partial_trip(group: &str, topic: &str) -> String {
    format!("--fail-on: group {group} on {topic}: partial: the log end of some partitions could not be read")
}

/// Every request librdkafka sent was one this broker speaks (none closed a connection).
fn assert_all_spoken(broker: &Broker) {
    assert!(
        broker.unexpected().is_empty(),
        "unexpected requests: {:?}",
        broker.unexpected()
    );
}

/// The broker itself: librdkafka talks to it through every admin call ktopo makes
/// (ListConsumerGroups, DescribeConsumerGroups, ListConsumerGroupOffsets, ListOffsets,
/// Metadata), at the versions it advertises, and ktopo reads exact lag and members.
#[test]
fn librdkafka_negotiates_the_advertised_versions_and_reads_exact_lag() {
    let mut s = script([10, 20, 30], [10, 15, 30]);
    s.groups[0] = s.groups[0].clone().with_member(Member {
        id: "m-1".into(),
        client_id: "billing-1".into(),
        host: "/127.0.0.2".into(),
        assignment: vec![("orders_events".into(), vec![0, 1, 2])],
    });
    let broker = Broker::start(s);
    let reg = registry();
    let out = ktopo(&reg.path, &broker, &["lag", "--json", "--samples", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    let g = row(&v, BILLING);
    assert_eq!(
        (&g["total_lag"], &g["partial"], &g["state"]),
        (&5.into(), &false.into(), &"Stable".into()),
        "{g}"
    );
    assert_eq!(
        g["member_list"][0]["client_id"], "billing-1",
        "DescribeGroups read: {g}"
    );
    assert_eq!(
        partitions(&v, BILLING).iter().map(|p| p.3.clone()).collect::<Vec<_>>(),
        [0, 5, 0].map(Value::from)
    );
    assert_eq!(v["errors"], serde_json::json!([]), "{v}");
    assert_all_spoken(&broker);
    // ApiVersions v3 first (flexible), refused with UNSUPPORTED_VERSION in a v0 answer;
    // librdkafka cannot read the version list from it as v3 and retries with v0. Every
    // other request at the highest advertised version librdkafka knows.
    let seen = broker.seen();
    let used = |key: i16| -> std::collections::BTreeSet<i16> {
        seen.iter().filter(|s| s.api_key == key).map(|s| s.version).collect()
    };
    assert_eq!(
        (seen[0].api_key, seen[0].version, seen[0].answer),
        (18, 3, Answer::Refused)
    );
    assert_eq!(used(18), [0, 3].into(), "ApiVersions: {seen:?}");
    for (key, api, version) in [
        (2, "ListOffsets", 2),
        (3, "Metadata", 4),
        (9, "OffsetFetch", 5),
        (10, "FindCoordinator", 2),
        (15, "DescribeGroups", 2),
        (16, "ListGroups", 2),
    ] {
        assert_eq!(used(key), [version].into(), "{api}: {seen:?}");
    }
}
