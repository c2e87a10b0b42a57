//! ListOffsets answers librdkafka's mock cluster cannot give: a leader that never
//! answers, one partition's error, offsets near i64::MAX, an answer after the sampler's
//! timeout. No gate passes, no lag reads 0.

use super::script::{Act, Fault, On, NOT_LEADER_OR_FOLLOWER};
use super::{
    assert_all_spoken, json, ktopo, partial_trip, partitions, registry, row, run_all, script, text, Answer, Broker,
    BILLING, LEDGER, MILLION,
};
use ktopo::cluster::kafka::config::Properties;
use ktopo::cluster::kafka::sampler::{Sampler, Watched};
use serde_json::Value;
use std::time::Duration;

#[test]
fn a_silent_list_offsets_is_no_log_end_and_trips_every_gate() {
    // The leader never answers ListOffsets LATEST; Metadata, commits and log starts
    // answer. librdkafka reports such a partition as offset -1001 without an error.
    let mut s = script([MILLION; 3], [0; 3]);
    s.faults.push(Fault::always(On::ListOffsetsLatest, Act::Silence));
    let broker = Broker::start(s);
    let reg = registry();
    let once = ["--samples", "1", "--max-wait", "0"];
    let outs = run_all(vec![
        ktopo(
            &reg.path,
            &broker,
            &[&["lag", "--json", "--fail-on", "1000"][..], &once].concat(),
        ),
        ktopo(&reg.path, &broker, &[&["lag", "--fail-on", "WARN"][..], &once].concat()),
    ]);
    let never_answered = broker
        .seen()
        .iter()
        .filter(|s| s.on == Some(On::ListOffsetsLatest) && s.answer == Answer::Never)
        .count();
    assert!(
        never_answered >= 2,
        "each process asked for log ends: {:?}",
        broker.seen()
    );
    assert_all_spoken(&broker);

    // lag --json --fail-on 1000: no log end, no lag, no verdict of health; the gate
    // trips on the partial rows and says why.
    let (out, err) = (&outs[0], text(&outs[0].stderr));
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&partial_trip(BILLING, "orders_events")), "{err}");
    assert!(err.contains(&partial_trip(LEDGER, "invoice_events")), "{err}");
    let v = json(out);
    let g = row(&v, BILLING);
    assert_eq!((&g["partial"], &g["total_lag"]), (&true.into(), &Value::Null), "{g}");
    assert!(!["IDLE", "OK"].contains(&g["status"].as_str().unwrap()), "{g}");
    for (p, committed, end, lag) in partitions(&v, BILLING) {
        assert_eq!(
            (committed, end, lag),
            (0.into(), Value::Null, Value::Null),
            "partition {p}: {v}"
        );
    }
    // Both topics' four partitions: librdkafka's -1001 is said, never taken as an offset.
    assert_eq!(
        v["errors"],
        serde_json::json!([
            "4 partition offsets unreadable (no valid offset in the answer (-1001))",
            "4 partitions without a log end: their groups' totals are partial"
        ])
    );

    // lag --fail-on WARN (text): the same trips; the table shows no log end, no lag.
    let (out, err, table) = (&outs[1], text(&outs[1].stderr), text(&outs[1].stdout));
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&partial_trip(BILLING, "orders_events")), "{err}");
    let total = table
        .lines()
        .find(|l| l.starts_with(BILLING) && l.contains(" TOTAL "))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(total.contains("partial: some partitions have no log end"), "{total}");
    assert!(!total.contains("IDLE") && !total.contains(" OK "), "{total}");
    for l in table
        .lines()
        .filter(|l| l.starts_with(BILLING) && !l.contains(" TOTAL "))
    {
        let cols: Vec<&str> = l.split_whitespace().collect();
        assert_eq!(&cols[3..6], ["0", "-", "-"], "committed 0, no log end, no lag: {l}");
    }
}

#[test]
fn impact_live_does_not_call_a_platform_it_could_not_read_fresh() {
    let mut s = script([MILLION; 3], [0; 3]);
    s.faults.push(Fault::always(On::ListOffsetsLatest, Act::Silence));
    let broker = Broker::start(s);
    let reg = registry();
    let out = ktopo(&reg.path, &broker, &["impact", "--live", "--samples", "1"])
        .output()
        .unwrap();
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // billing is 3,000,000 behind, unseen: nothing may be called fresh.
    assert!(!report.contains("no declared group is behind"), "{report}");
    assert!(report.contains(BILLING), "the unread group is named: {report}");
}

#[test]
fn one_partition_not_leader_makes_the_row_partial_for_every_gate() {
    // Partition 1 holds a million unread messages, but its leader answers ListOffsets
    // LATEST with NOT_LEADER_OR_FOLLOWER; partitions 0 and 2 answer, caught up.
    let mut s = script([10, MILLION, 10], [10, 0, 10]);
    s.faults.push(Fault::always(
        On::ListOffsetsLatest,
        Act::PartitionError {
            topic: "orders_events".into(),
            partition: 1,
            code: NOT_LEADER_OR_FOLLOWER,
        },
    ));
    let broker = Broker::start(s);
    let reg = registry();
    let once = ["--samples", "1", "--max-wait", "0"];
    // The lag gates a caught-up group passes (a huge lag, the worst status) as well.
    let gates = ["1000", "1000000000", "WARN", "LOST"];
    let mut cmds = vec![ktopo(
        &reg.path,
        &broker,
        &[&["lag", "--json", "--fail-on", "1000"][..], &once].concat(),
    )];
    cmds.extend(
        gates
            .iter()
            .map(|g| ktopo(&reg.path, &broker, &[&["lag", "--fail-on", g][..], &once].concat())),
    );
    let outs = run_all(cmds);
    assert_all_spoken(&broker);
    for (out, gate) in outs.iter().zip(["1000 (json)"].iter().chain(&gates)) {
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "--fail-on {gate}: {err}");
        assert!(
            err.contains(&partial_trip(BILLING, "orders_events")),
            "--fail-on {gate}: {err}"
        );
        // Only the partition that failed: ledger's row is not partial.
        assert!(
            !err.contains(&partial_trip(LEDGER, "invoice_events")),
            "--fail-on {gate}: {err}"
        );
    }
    let v = json(&outs[0]);
    assert_eq!(
        partitions(&v, BILLING),
        [
            (0, 10.into(), 10.into(), 0.into()),
            (1, 0.into(), Value::Null, Value::Null),
            (2, 10.into(), 10.into(), 0.into()),
        ]
    );
    let g = row(&v, BILLING);
    // The sum of what was read, marked partial: never a total to trust.
    assert_eq!((&g["partial"], &g["total_lag"]), (&true.into(), &0.into()), "{g}");
    assert_eq!(
        v["errors"],
        serde_json::json!([
            "1 partition offsets unreadable (NotLeaderForPartition (Broker: Not leader for partition))",
            "1 partition without a log end: their groups' totals are partial"
        ])
    );
}

#[test]
fn offsets_near_i64_max_neither_overflow_nor_pass_a_gate() {
    const HUGE: i64 = 9_223_372_036_854_775_000;
    // Two partitions near i64::MAX with small commits (their lags sum beyond i64), and
    // a producer still writing on partition 0 (500 more at the second sample).
    let huge = || {
        let mut s = script([HUGE, HUGE, 10], [3, 7, 10]);
        s.topics[0].partitions[0].growth = 500;
        Broker::start(s)
    };
    let (a, b) = (huge(), huge());
    let reg = registry();
    let twice = ["--samples", "2", "--max-wait", "0", "--interval", "0.2"];
    let outs = run_all(vec![
        ktopo(
            &reg.path,
            &a,
            &[&["lag", "--json", "--fail-on", "1000"][..], &twice].concat(),
        ),
        ktopo(&reg.path, &b, &[&["lag", "--fail-on", "LOST"][..], &twice].concat()),
    ]);
    assert_all_spoken(&a);
    for out in &outs {
        // 1, not 101: no arithmetic overflowed (the test binary is a debug build).
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains(&partial_trip(BILLING, "orders_events")),
            "{}",
            text(&out.stderr)
        );
    }
    let v = json(&outs[0]);
    assert_eq!(
        partitions(&v, BILLING),
        [
            (0, 3.into(), (HUGE + 500).into(), (HUGE + 497).into()),
            (1, 7.into(), HUGE.into(), (HUGE - 7).into()),
            (2, 10.into(), 10.into(), 0.into()),
        ],
        "each partition's lag exact"
    );
    let g = row(&v, BILLING);
    assert_eq!((&g["partial"], &g["total_lag"]), (&true.into(), &Value::Null), "{g}");
    assert_eq!(g["max_lag"], HUGE + 497, "{g}");
    let table = text(&outs[1].stdout);
    assert!(table.contains(&(HUGE + 497).to_string()), "{table}");
}

#[test]
fn a_late_list_offsets_in_watch_is_never_zero_lag() {
    use std::io::BufRead;
    // The first ListOffsets LATEST is answered 7 s late, after the sampler's 5 s
    // timeout; later ones on time.
    let late = || {
        let mut s = script([MILLION; 3], [0; 3]);
        s.faults.push(Fault::nth(
            On::ListOffsetsLatest,
            Act::Delay(Duration::from_secs(7)),
            0..1,
        ));
        Broker::start(s)
    };
    let (watched, gated) = (late(), late());
    let reg = registry();
    let mut child = Killed(
        std::process::Command::new(env!("CARGO_BIN_EXE_ktopo"))
            .env_remove("KTOPO_BROKERS")
            .env_remove("KTOPO_REGISTRY")
            .args(["lag", "--watch", "--json", "--samples", "1", "--interval", "0.5", "-r"])
            .arg(&reg.path)
            .args(["-b", &watched.bootstrap()])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.0.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // A watch with a gate and no time to wait trips on the frame that has no log end.
    let gate = std::thread::spawn({
        let mut c = ktopo(
            &reg.path,
            &gated,
            &[
                "lag",
                "--watch",
                "--samples",
                "1",
                "--fail-on",
                "1000",
                "--max-wait",
                "0",
                "--interval",
                "0.5",
            ],
        );
        move || c.output().unwrap()
    });
    let frames: Vec<Value> = (0..2)
        .map(|i| {
            let line = rx
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|e| panic!("frame {i}: {e}"));
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
        })
        .collect();
    drop(child);

    let first = row(&frames[0], BILLING);
    assert_eq!(
        (&first["partial"], &first["total_lag"]),
        (&true.into(), &Value::Null),
        "{first}"
    );
    assert!(!["IDLE", "OK"].contains(&first["status"].as_str().unwrap()), "{first}");
    for (p, _, end, lag) in partitions(&frames[0], BILLING) {
        assert_eq!((end, lag), (Value::Null, Value::Null), "partition {p}");
    }
    let second = row(&frames[1], BILLING);
    assert_eq!(
        (&second["partial"], &second["total_lag"]),
        (&false.into(), &(3 * MILLION).into()),
        "{second}"
    );
    let seen = watched.seen();
    let latest: Vec<_> = seen.iter().filter(|s| s.on == Some(On::ListOffsetsLatest)).collect();
    assert_eq!(latest[0].answer, Answer::After(Duration::from_secs(7)), "{seen:?}");
    assert!(latest[1..].iter().all(|s| s.answer == Answer::Now), "{seen:?}");

    let out = gate.join().unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&partial_trip(BILLING, "orders_events")), "{err}");
    // Not `watched`: a third round, if it began before the watch was stopped, reads
    // the topics' last messages with Fetch, which this broker does not speak.
    assert_all_spoken(&gated);
}

/// A child process killed (and reaped) when the test ends, even by a panic.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_late_answer_is_not_read_into_the_next_round() {
    // Log ends grow 1,000 at each read, so a late answer carries an older end than any
    // later round's. The first LATEST answer comes 1.5 s after the sampler's 1 s timeout.
    let mut s = script([MILLION; 3], [0; 3]);
    for p in &mut s.topics[0].partitions {
        p.growth = 1_000;
    }
    s.faults.push(Fault::nth(
        On::ListOffsetsLatest,
        Act::Delay(Duration::from_millis(2_500)),
        0..1,
    ));
    let broker = Broker::start(s);
    let mut props = Properties::default();
    props.set("bootstrap.servers", &broker.bootstrap());
    let watched = vec![Watched {
        group: BILLING.into(),
        topic: "orders_events".into(),
        service: Some("billing".into()),
        probe: false,
    }];
    let mut sampler = Sampler::new(props, watched).unwrap();
    sampler.timeout = Duration::from_secs(1);
    let ends = |s: &ktopo::core::sample::RawSample| -> Vec<Option<i64>> {
        let t = s.topics.iter().find(|t| t.name == "orders_events").unwrap();
        t.partitions.iter().map(|p| p.log_end).collect()
    };

    let first = sampler.sample().unwrap();
    assert_eq!(ends(&first), [None; 3], "no answer in time: no log end");
    assert!(
        first.errors.iter().any(|e| e.contains("partitions without a log end")),
        "{:?}",
        first.errors
    );
    // The late answer goes out (to a connection librdkafka may have closed).
    broker.wait_until("the late answer", Duration::from_secs(10), |seen| {
        seen.iter().any(|s| matches!(s.answer, Answer::After(_)) && s.sent)
    });
    let second = sampler.sample().unwrap();
    assert_eq!(ends(&second), [Some(MILLION + 1_000); 3], "{:?}", second.errors);
    assert_eq!(second.errors, Vec::<String>::new());
    let third = sampler.sample().unwrap();
    assert_eq!(ends(&third), [Some(MILLION + 2_000); 3], "{:?}", third.errors);
    assert_all_spoken(&broker);
}
