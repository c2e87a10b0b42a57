//! Groups: ListGroups failing (a check that could not run, never a pass), and ids,
//! member fields and topic names with control characters, and a commit below 0, from
//! ListGroups, DescribeGroups and OffsetFetch: no output line forged, no lag invented.

use super::script::{Act, Fault, Group, Member, On, COORDINATOR_NOT_AVAILABLE};
use super::{
    assert_all_spoken, json, ktopo, partitions, registry, row, run_all, script, text, Answer, Broker, BILLING, MILLION,
};
use serde_json::Value;

#[test]
fn list_groups_coordinator_not_available_is_a_check_that_could_not_run() {
    // The cluster has a group no service declares, consuming orders_events. On one
    // scripted cluster ListGroups answers COORDINATOR_NOT_AVAILABLE; on the other it
    // answers.
    let undeclared = Group::new("fraud_scanner", &[("orders_events", 0, 10)]);
    let mut failing = script([10; 3], [10; 3]);
    failing.groups.push(undeclared.clone());
    failing
        .faults
        .push(Fault::always(On::ListGroups, Act::Error(COORDINATOR_NOT_AVAILABLE)));
    let mut answering = script([10; 3], [10; 3]);
    answering.groups.push(undeclared);
    let (failing, answering) = (Broker::start(failing), Broker::start(answering));
    let reg = registry();
    let drift = ["drift", "--samples", "1", "--fail-on", "warning"];
    let outs = run_all(vec![
        ktopo(&reg.path, &failing, &[&drift[..], &["--json"]].concat()),
        ktopo(&reg.path, &failing, &drift),
        ktopo(&reg.path, &answering, &[&drift[..], &["--json"]].concat()),
    ]);
    assert_all_spoken(&failing);
    assert_all_spoken(&answering);
    assert!(
        failing
            .seen()
            .iter()
            .any(|s| s.on == Some(On::ListGroups) && s.answer == Answer::Now),
        "ListGroups was asked and answered with its error"
    );
    let failed_check = "undeclared and abandoned consumers: the cluster's groups could not all be listed \
                        (listing groups: Broker [1] ListConsumerGroups: Broker: Coordinator not available)";

    // JSON: the check is failed, not "not computed" as for a cluster that cannot list
    // groups, and not passed; the gate trips whatever the findings.
    let (out, err) = (&outs[0], text(&outs[0].stderr));
    assert_eq!(out.status.code(), Some(1), "{err}");
    let v = json(out);
    assert_eq!(v["failed"], serde_json::json!([failed_check]), "{v}");
    assert!(
        !v["not_computed"].to_string().contains("does not list its groups"),
        "a failure is no limit of the cluster: {v}"
    );
    assert_eq!(v["counts"]["warning"], 0, "fraud_scanner was not seen: {v}");
    assert!(
        err.contains(&format!("drift: could not check: {failed_check}")),
        "{err}"
    );

    // Text: said on its own line before the counts.
    let (out, report) = (&outs[1], text(&outs[1].stdout));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let lines: Vec<&str> = report.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == format!("could not check: {failed_check}"))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(
        lines[at + 1..].iter().any(|l| l.contains("against the cluster:")),
        "{report}"
    );

    // Where ListGroups answers, the same group is a finding: what the failure hid.
    let out = &outs[2];
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let v = json(out);
    assert_eq!(v["failed"], serde_json::json!([]), "{v}");
    let kinds: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["subject"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, [("undeclared-consumer", "fraud_scanner")], "{v}");
}

#[test]
fn drift_summary_never_reads_clean_when_a_check_could_not_run() {
    let mut s = script([10; 3], [10; 3]);
    s.faults
        .push(Fault::always(On::ListGroups, Act::Error(COORDINATOR_NOT_AVAILABLE)));
    let broker = Broker::start(s);
    let reg = registry();
    let out = ktopo(&reg.path, &broker, &["drift", "--samples", "1"])
        .output()
        .unwrap();
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    // The last line is what a person (or `tail -1`) reads: with a check that could not
    // run it must not pass for a clean run.
    let summary = report.lines().last().unwrap_or_default();
    assert!(summary.contains(" against the cluster: "), "{report}");
    assert!(summary.contains("could not run"), "{summary}");
}

/// No control or invisible character but newline (and tab).
fn visible(s: &str) -> bool {
    s.chars()
        .all(|c| c == '\n' || c == '\t' || !(c.is_control() || ktopo::core::visible::is_invisible(c)))
}

#[test]
fn hostile_group_ids_and_a_negative_commit_forge_no_line() {
    let forged = "evil\nFORGED billing_orders_events_consumer orders_events 0 0 0 0 OK";
    let osc = "osc\x1b]52;c;cHduZWQ=\x07";
    let rtl = "rtl\u{202e}remusnoc_sredro";
    // billing committed -5 on partition 0: no offset at all, not 1,000,005 behind.
    let mut s = script([MILLION; 3], [-5, MILLION, MILLION]);
    s.groups[0] = s.groups[0].clone().with_member(Member {
        id: "member\x1b[2J".into(),
        client_id: "client\x1b]52;c;aGk=\x07".into(),
        host: "/10.0.0.1\u{202e}".into(),
        assignment: vec![("orders_events".into(), vec![0, 1, 2])],
    });
    for g in [forged, osc, rtl] {
        s.groups.push(Group::new(g, &[("orders_events", 0, 0)]));
    }
    // A commit on a topic whose name carries a line of its own.
    s.groups
        .push(Group::new("topic_forger", &[("ghost\nFORGED topic", 0, 1)]));
    let broker = Broker::start(s);
    let reg = registry();
    let outs = run_all(vec![
        ktopo(
            &reg.path,
            &broker,
            &["lag", "--fail-on", "1000", "--samples", "1", "--max-wait", "0"],
        ),
        ktopo(&reg.path, &broker, &["lag", "--json", "--samples", "1"]),
        ktopo(&reg.path, &broker, &["drift", "--samples", "1"]),
    ]);
    assert_all_spoken(&broker);
    let (lag, gate, drift) = (text(&outs[0].stdout), text(&outs[0].stderr), text(&outs[2].stdout));
    for (what, s) in [("lag", &lag), ("lag's stderr", &gate), ("drift", &drift)] {
        assert!(visible(s), "{what} carries a control character: {s:?}");
        assert!(
            !s.lines().any(|l| l.starts_with("FORGED")),
            "{what} has a forged line:\n{s}"
        );
    }
    // Each hostile value is shown, escaped, on its own row.
    for shown in [
        "evil\\nFORGED billing_orders_events_consumer",
        "osc\\u{1b}]52;c;cHduZWQ=\\u{7}",
        "rtl\\u{202e}remusnoc_sredro",
        "client\\u{1b}]52;c;aGk=\\u{7}",
        "member\\u{1b}[2J",
        "/10.0.0.1\\u{202e}",
        "ghost\\nFORGED topic",
    ] {
        assert!(lag.contains(shown), "{shown} in the table:\n{lag}");
    }
    assert_eq!(outs[0].status.code(), Some(1), "{gate}");
    assert!(gate.lines().all(|l| l.starts_with("--fail-on: ")), "{gate}");
    assert!(
        gate.contains("--fail-on: group evil\\nFORGED billing_orders_events_consumer"),
        "{gate}"
    );
    assert!(
        drift.contains("group `osc\\u{1b}]52;c;cHduZWQ=\\u{7}` consumes `orders_events`"),
        "{drift}"
    );
    for l in drift.lines() {
        let known = ["error[", "warning[", "note[", "not computed: ", "could not check: "];
        assert!(
            known.iter().any(|k| l.starts_with(k)) || l.contains(" against the cluster: "),
            "a line drift does not write: {l:?}\n{drift}"
        );
    }

    // JSON carries the ids exactly (serde escapes control characters; U+202E stays as
    // it is: JSON is data), and no committed offset below 0.
    assert!(!text(&outs[1].stdout).contains(['\x1b', '\x07']), "raw escapes in JSON");
    let v = json(&outs[1]);
    let ids: std::collections::BTreeSet<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    for id in [forged, osc, rtl, BILLING] {
        assert!(ids.contains(id), "{id:?} in {ids:?}");
    }
    assert_eq!(
        partitions(&v, BILLING),
        [
            (0, Value::Null, MILLION.into(), Value::Null),
            (1, MILLION.into(), MILLION.into(), 0.into()),
            (2, MILLION.into(), MILLION.into(), 0.into()),
        ]
    );
    assert_eq!(
        row(&v, BILLING)["member_list"][0]["client_id"],
        "client\x1b]52;c;aGk=\x07"
    );
}
