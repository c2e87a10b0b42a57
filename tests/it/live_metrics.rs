//! The live picture from scripted samples (no cluster): retention risk (LOST, share of
//! the retained log), drain time, eviction of what vanished, and `--fail-on` gates.

use ktopo::core::lag_report::{gate, FailOn, Filters};
use ktopo::core::live::metrics::Metrics;
use ktopo::core::live::picture::drain;
use ktopo::core::live::view::{Drain, GroupTopicLag, Health};
use ktopo::core::sample::{RawGroup, RawPartition, RawSample, RawTopic};

fn topic(name: &str, parts: &[(i64, i64)]) -> RawTopic {
    RawTopic {
        name: name.into(),
        partitions: parts
            .iter()
            .enumerate()
            .map(|(i, &(start, end))| RawPartition {
                id: i as i32,
                leader: 1,
                log_start: Some(start),
                log_end: Some(end),
            })
            .collect(),
        replication: Some(1),
        last_write_ms: None,
    }
}

fn group(name: &str, topic: &str, committed: &[Option<i64>]) -> RawGroup {
    RawGroup {
        group: name.into(),
        topic: topic.into(),
        declared: true,
        topic_on_cluster: true,
        committed: committed.iter().enumerate().map(|(i, c)| (i as i32, *c)).collect(),
        ..RawGroup::default()
    }
}

fn sample(t: f64, topics: Vec<RawTopic>, groups: Vec<RawGroup>) -> RawSample {
    RawSample {
        time_s: t,
        offsets_at_s: t - 0.01,
        topics,
        groups,
        ..RawSample::default()
    }
}

#[test]
fn a_commit_below_the_retained_log_is_lost_the_worst_status() {
    let mut m = Metrics::new("scripted", 1.0);
    // Retention deleted offsets 0..100 on p0; the group is still at 40 there.
    let s = sample(
        1.0,
        vec![topic("orders", &[(100, 250), (0, 50)])],
        vec![group("slow", "orders", &[Some(40), Some(50)])],
    );
    m.absorb(s);
    let v = m.view(1.0);
    let g = &v.groups[0];
    assert_eq!(g.status, Health::Lost);
    assert_eq!(g.lost, Some(60));
    assert_eq!(g.partitions[0].status, Some(Health::Lost));
    assert_eq!(g.partitions[1].lost, None);
    assert_eq!(g.total_lag, Some(210));
    // Lag 210 over a retained log of 150 + 50 messages.
    assert!((g.retained_share.unwrap() - 210.0 / 200.0).abs() < 1e-9);
    assert!(Health::Lost > Health::Stop, "LOST is the worst status");
    assert!(
        FailOn::Status(Health::Stop).tripped_by(g),
        "--fail-on STOP catches LOST"
    );
    assert!(!FailOn::Lag(210).tripped_by(g), "--fail-on 210 needs more than 210");
    assert!(FailOn::Lag(209).tripped_by(g));
}

#[test]
fn drain_time_at_the_consume_rate() {
    type Case = (Option<i64>, Option<f64>, Health, Option<Drain>);
    #[rustfmt::skip]
    let cases: &[Case] = &[
        (Some(0), Some(5.0), Health::Ok, Some(Drain::Done)),
        (Some(100), Some(10.0), Health::Ok, Some(Drain::Eta(10.0))),
        (Some(100), Some(0.0), Health::Stall, Some(Drain::Never)),
        (Some(100), Some(50.0), Health::Warn, Some(Drain::Never)),
        (Some(100), None, Health::Unknown, None),
        (None, Some(1.0), Health::Unknown, None),
    ];
    for &(lag, rate, status, want) in cases {
        assert_eq!(drain(lag, rate, status), want, "lag {lag:?} rate {rate:?} {status:?}");
    }
}

#[test]
fn vanished_groups_partitions_and_topics_are_forgotten() {
    let mut m = Metrics::new("scripted", 1.0);
    m.absorb(sample(
        1.0,
        vec![topic("a", &[(0, 10), (0, 10)]), topic("b", &[(0, 5)])],
        vec![group("g1", "a", &[Some(1), Some(2)]), group("g2", "b", &[Some(1)])],
    ));
    m.absorb(sample(
        2.0,
        vec![topic("a", &[(0, 12), (0, 12)]), topic("b", &[(0, 6)])],
        vec![group("g1", "a", &[Some(3), Some(4)]), group("g2", "b", &[Some(2)])],
    ));
    assert_eq!(m.retained(), (3, 3, 4));
    // Topic b and group g2 are gone.
    m.absorb(sample(
        3.0,
        vec![topic("a", &[(0, 14), (0, 14)])],
        vec![group("g1", "a", &[Some(5), Some(6)])],
    ));
    assert_eq!(
        m.retained(),
        (2, 2, 2),
        "tables, windows and series of b and g2 are dropped"
    );
}

#[test]
fn consume_rate_uses_the_time_offsets_were_read() {
    let mut m = Metrics::new("scripted", 1.0);
    let mut a = sample(1.0, vec![topic("a", &[(0, 10)])], vec![group("g", "a", &[Some(0)])]);
    a.offsets_at_s = 0.5;
    let mut b = sample(3.0, vec![topic("a", &[(0, 30)])], vec![group("g", "a", &[Some(20)])]);
    b.offsets_at_s = 2.5;
    m.absorb(a);
    m.absorb(b);
    let v = m.view(3.0);
    assert_eq!(
        v.groups[0].consume_rate,
        Some(10.0),
        "20 messages between 0.5 s and 2.5 s"
    );
    assert_eq!(
        v.topics["a"].produce_rate,
        Some(10.0),
        "20 messages between 1 s and 3 s"
    );
}

#[test]
fn gates_do_not_pass_by_accident() {
    let mut m = Metrics::new("scripted", 1.0);
    let unread = || {
        let mut u = group("unread", "a", &[]);
        u.error = Some("committed offsets: Timed out".into());
        u
    };
    m.absorb(sample(
        1.0,
        vec![topic("a", &[(0, 10)])],
        vec![group("g", "a", &[Some(10)]), unread()],
    ));
    let ok = Filters::new(Some("g"), None).unwrap();
    let warn = Some(FailOn::Status(Health::Warn));
    let v = m.view(1.0);
    let rows = ok.select(&v);
    assert_eq!(rows[0].status, Health::Unknown, "one sample is no verdict");
    assert!(gate(warn, &rows, &ok, false).is_none(), "not final: wait for a verdict");
    let lines = gate(warn, &rows, &ok, true).expect("unevaluated is no pass");
    assert!(lines[0].contains("not yet evaluated"), "{lines:?}");
    m.absorb(sample(
        2.0,
        vec![topic("a", &[(0, 12)])],
        vec![group("g", "a", &[Some(12)]), unread()],
    ));
    let v = m.view(2.0);
    let rows = ok.select(&v);
    assert_eq!(rows[0].status, Health::Ok);
    assert_eq!(gate(warn, &rows, &ok, true), None, "a healthy group passes");
    assert_eq!(gate(None, &rows, &ok, true), None);
    let none = Filters::new(Some("nothing_*"), None).unwrap();
    assert!(
        gate(Some(FailOn::Lag(0)), &none.select(&v), &none, true).is_some(),
        "no match is no pass"
    );
    let all = Filters::new(None, None).unwrap();
    let lines = gate(Some(FailOn::Lag(1_000)), &all.select(&v), &all, false).expect("an unreadable group is no pass");
    assert!(
        lines.iter().any(|l| l.contains("unread on a: could not be read")),
        "{lines:?}"
    );
    assert_eq!(
        Filters::new(Some("re:("), None).err().map(|e| e.to_string()).as_deref(),
        Some("--group `re:(` is not a valid pattern: error: unclosed group (use a glob such as `billing_*`, or re:REGEX)"),
        "an invalid pattern is an error"
    );
    // A partly unreadable group (a partition without a log end) is no pass either.
    let mut m = Metrics::new("scripted", 1.0);
    for t in [1.0, 2.0] {
        let mut tp = topic("a", &[(0, 10), (1, 1_000_000)]);
        tp.partitions[1].log_end = None;
        m.absorb(sample(t, vec![tp], vec![group("g", "a", &[Some(10), Some(0)])]));
    }
    let v = m.view(2.0);
    let rows = all.select(&v);
    assert!(rows[0].partial);
    let lines = gate(Some(FailOn::Lag(0)), &rows, &all, true).expect("partial is no pass");
    assert!(lines[0].contains("partial"), "{lines:?}");
}

#[test]
fn fail_on_takes_every_status_but_unknown() {
    use std::str::FromStr;
    for h in Health::ALL {
        let got = FailOn::from_str(h.word());
        if h == Health::Unknown {
            let e = got.unwrap_err().to_string();
            assert!(e.contains("not a threshold") && e.contains("--max-wait"), "{e}");
        } else {
            assert_eq!(got, Ok(FailOn::Status(h)));
        }
    }
    assert_eq!(
        FailOn::from_str("-1").unwrap_err().to_string(),
        "`-1`: a lag threshold is a number of messages, 0 or more"
    );
    assert_eq!(FailOn::from_str("1000"), Ok(FailOn::Lag(1000)));
    assert_eq!(
        FailOn::from_str("STALE").unwrap_err().to_string(),
        "`STALE` is neither a lag (a number) nor a status (IDLE, OK, WARN, NOCOMMIT, STALL, REWIND, MISSING, STOP, LOST)"
    );
}

#[test]
fn classic_member_assignments_are_parsed_defensively() {
    use ktopo::cluster::kafka::admin::parse_assignment;
    // version 0; 2 topics: "a" [0, 2], "bc" [1]; empty user data.
    let mut b = vec![0, 0, 0, 0, 0, 2];
    b.extend([0, 1, b'a', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2]);
    b.extend([0, 2, b'b', b'c', 0, 0, 0, 1, 0, 0, 0, 1]);
    b.extend([0xff, 0xff, 0xff, 0xff]);
    let want = vec![("a".to_string(), 0), ("a".to_string(), 2), ("bc".to_string(), 1)];
    assert_eq!(parse_assignment(&b), want);
    // Truncated anywhere, or lying about its counts: what was read, never a panic.
    for cut in 0..b.len() {
        let got = parse_assignment(&b[..cut]);
        assert!(got.len() <= 3 && want.starts_with(&got), "cut at {cut}: {got:?}");
    }
    assert!(
        parse_assignment(&[0, 0, 0x7f, 0xff, 0xff, 0xff]).is_empty(),
        "a huge count with no data"
    );
}

#[test]
fn a_tripped_gate_says_whom_to_call() {
    use ktopo::core::lag_report::who_to_call;
    let row = |group: &str, service: Option<&str>, status: Health| GroupTopicLag {
        group: group.into(),
        topic: "orders".into(),
        service: service.map(str::to_string),
        status,
        ..GroupTopicLag::default()
    };
    let rows = [
        row("billing_orders", Some("billing"), Health::Stop),
        row("audit_orders", Some("audit"), Health::Ok),
        row("adhoc", None, Health::Warn),
    ];
    let refs: Vec<&GroupTopicLag> = rows.iter().collect();
    let owner_of = |k: &str| (k == "billing").then(|| (Some("team-payments".to_string()), Some("#pay".to_string())));
    let lines = who_to_call(Some(FailOn::Status(Health::Warn)), &refs, &owner_of, true);
    assert_eq!(
        lines,
        [
            "--fail-on: call (no owner declared): adhoc on orders WARN",
            "--fail-on: call team-payments (on-call #pay): billing_orders on orders STOP",
        ]
    );
    assert!(who_to_call(None, &refs, &owner_of, true).is_empty());
}

#[test]
fn a_total_lag_beyond_i64_is_partial_not_negative() {
    let mut m = Metrics::new("scripted", 1.0);
    let near = i64::MAX - 10;
    for t in [1.0, 2.0] {
        m.absorb(sample(
            t,
            vec![topic("a", &[(0, near), (0, near)])],
            vec![group("g", "a", &[Some(0), Some(0)])],
        ));
    }
    let v = m.view(2.0);
    let g = &v.groups[0];
    assert_eq!(g.total_lag, None, "no wrapped total: {:?}", g.total_lag);
    assert!(g.partial);
    assert!(
        v.topics["a"].total_lag.is_none_or(|l| l >= 0),
        "never a wrapped topic total"
    );
    let all = Filters::new(None, None).unwrap();
    let lines = gate(Some(FailOn::Lag(1000)), &all.select(&v), &all, true).expect("an overflow is no pass");
    assert!(lines[0].contains("partial"), "{lines:?}");
}

#[test]
fn cluster_names_cannot_forge_lines_or_escape_sequences() {
    use ktopo::core::lag_report::text;
    let mut m = Metrics::new("scripted", 1.0);
    let evil = "g\nforged_group                                 a                                    0 OK\x1b]52;c;aGk=\x07\u{202e}";
    for t in [1.0, 2.0] {
        m.absorb(sample(
            t,
            vec![topic("a", &[(0, 100)])],
            vec![group(evil, "a", &[Some(10)])],
        ));
    }
    let v = m.view(2.0);
    let all = Filters::new(None, None).unwrap();
    let rows = all.select(&v);
    let out = text(&v, &rows, &all);
    assert!(
        !out.lines().any(|l| l.starts_with("forged_group")),
        "no forged row:\n{out}"
    );
    assert!(!out.contains('\x1b') && !out.contains('\u{202e}'), "{out:?}");
    assert!(out.contains("g\\nforged_group"), "{out}");
    let lines = gate(Some(FailOn::Lag(0)), &rows, &all, true).unwrap();
    for l in &lines {
        assert!(
            !l.contains('\n') && !l.contains('\x1b') && !l.contains('\u{202e}'),
            "{l:?}"
        );
    }
}

#[test]
fn a_rare_write_counts_over_the_session_not_only_the_last_interval() {
    let mut m = Metrics::new("scripted", 1.0);
    // One message between the first and second samples, none since.
    for (t, end) in [(1.0, 10), (11.0, 11), (21.0, 11)] {
        m.absorb(sample(t, vec![topic("a", &[(0, end), (0, 5)])], vec![]));
    }
    let v = m.view(21.0);
    assert_eq!(v.topics["a"].produce_rate, Some(0.0), "nothing in the last interval");
    assert_eq!(v.topics["a"].session_rate, Some(0.05), "1 message in 20 s");
    // A partition added: the sums no longer compare.
    m.absorb(sample(31.0, vec![topic("a", &[(0, 11), (0, 5), (0, 0)])], vec![]));
    assert_eq!(m.view(31.0).topics["a"].session_rate, None);
}
