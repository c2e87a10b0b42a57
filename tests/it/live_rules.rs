//! Status rules against scripted consumers of every commit cadence (every second, every
//! 30 s, per batch of 500; at full and half speed; stuck, stopped, idle, never
//! committed, recovering, rewinding), sampled as ktopo samples a cluster: committed
//! offsets first, log ends just after, every `INTERVAL` seconds. Each case asserts the
//! status at every sample after warm-up, and that it never flips between a healthy and a
//! problem status while the behaviour is unchanged. Plus time-lag interpolation.

use ktopo::core::live::metrics::Metrics;
use ktopo::core::live::status::{Rules, Shown, Track, Verdict};
use ktopo::core::live::timelag::{Table, TimeLag};
use ktopo::core::live::view::{Health, Member};
use ktopo::core::sample::{RawGroup, RawPartition, RawSample, RawTopic};

const INTERVAL: f64 = 5.0;
/// When ktopo starts watching.
const FROM: f64 = 300.0;
const PARTS: usize = 3;
/// Messages per second over the topic's three partitions.
const RATE: f64 = 20.0;

#[derive(Clone, Copy, Debug)]
enum Cadence {
    /// Commits every this many seconds.
    Every(f64),
    /// Commits after each batch of this many messages processed.
    Batch(i64),
    /// Never commits.
    Never,
}

#[derive(Clone, Copy, Debug)]
enum Speed {
    /// Processes this share of the produce rate (1.0 keeps up), from offset 0.
    Share(f64),
    /// Stuck at its position after `at` seconds.
    StuckAt(f64),
    /// Half speed until `at`, then three times the produce rate until caught up.
    RecoverAt(f64),
    /// At `at`, its position is reset 500 messages back per partition (a rewind).
    RewindAt(f64),
}

struct Consumer {
    cadence: Cadence,
    speed: Speed,
    /// Member count the broker reports (None: a cluster that does not describe groups).
    members: Option<usize>,
    /// Messages per second produced (0: an idle topic).
    rate: f64,
}

/// Log end of partition `p` at time `t`: steady production with a different phase per
/// partition, so partitions do not move in lockstep.
fn head(rate: f64, p: usize, t: f64) -> i64 {
    (rate / PARTS as f64 * t + p as f64 * 0.37).floor() as i64
}

/// The scripted consumer's processed position on partition `p` at time `t`.
fn position(c: &Consumer, p: usize, t: f64) -> i64 {
    let h = |t: f64| head(c.rate, p, t.max(0.0));
    match c.speed {
        // A consumer at the head is a few hundred milliseconds behind it.
        Speed::Share(s) if s >= 1.0 => h(t - 0.3),
        Speed::Share(s) => (h(t) as f64 * s) as i64,
        Speed::StuckAt(at) => h(t.min(at) - 0.3),
        Speed::RecoverAt(at) => {
            let before = (h(t.min(at)) as f64 * 0.5) as i64;
            if t <= at {
                before
            } else {
                (before + (3.0 * c.rate / PARTS as f64 * (t - at)) as i64).min(h(t - 0.3))
            }
        }
        Speed::RewindAt(at) if t >= at => (h(t - 0.3) - 500).max(0),
        Speed::RewindAt(_) => h(t - 0.3),
    }
}

/// The committed offsets at `t`: the positions at the consumer's last commit.
struct Committer {
    last: Option<Vec<i64>>,
    last_t: f64,
    processed_at_commit: i64,
}

impl Committer {
    fn committed(&mut self, c: &Consumer, t: f64) -> Option<Vec<i64>> {
        // Step the consumer at 0.1 s resolution up to t, committing when its cadence says.
        let mut at = self.last_t;
        while at + 0.1 <= t + 1e-9 {
            at += 0.1;
            let pos: Vec<i64> = (0..PARTS).map(|p| position(c, p, at)).collect();
            let due = match c.cadence {
                Cadence::Never => false,
                Cadence::Every(s) => ((at / s).floor() - ((at - 0.1) / s).floor()) >= 1.0,
                Cadence::Batch(n) => pos.iter().sum::<i64>() - self.processed_at_commit >= n,
            };
            // A rewind is committed at once (that is what a reset does).
            let rewound = matches!(c.speed, Speed::RewindAt(r) if (at - r).abs() < 0.05);
            if due || rewound {
                self.processed_at_commit = pos.iter().sum();
                self.last = Some(pos);
            }
        }
        self.last_t = at;
        self.last.clone()
    }
}

/// Samples the consumer every INTERVAL seconds from `FROM` (the consumer and its topic
/// run from 0: ktopo starts watching a live system) until `secs`, returning each
/// sample's (time, status, reason) after the metrics absorbed it.
fn run(c: &Consumer, secs: f64) -> Vec<(f64, Health, String)> {
    let mut m = Metrics::new("scripted", INTERVAL);
    let mut k = Committer {
        last: None,
        last_t: 0.0,
        processed_at_commit: 0,
    };
    let mut out = Vec::new();
    let mut t = FROM;
    while t <= secs {
        // Jitter of a real sampler: rounds start a little late now and then.
        let at = t + ((t * 7.3).sin() * 0.4).abs();
        let committed = k.committed(c, at);
        let sample = RawSample {
            time_s: at + 0.02,
            offsets_at_s: at,
            wall_ms: 1_700_000_000_000 + (at * 1000.0) as i64,
            topics: vec![RawTopic {
                name: "orders".into(),
                partitions: (0..PARTS)
                    .map(|p| RawPartition {
                        id: p as i32,
                        leader: 1,
                        log_end: Some(head(c.rate, p, at + 0.02)),
                        log_start: Some(0),
                    })
                    .collect(),
                replication: Some(3),
                last_write_ms: None,
            }],
            groups: vec![RawGroup {
                group: "orders_consumer".into(),
                topic: "orders".into(),
                declared: true,
                members: c.members.map(|n| vec![Member::default(); n]),
                topic_on_cluster: true,
                committed: (0..PARTS)
                    .map(|p| (p as i32, committed.as_ref().map(|v| v[p])))
                    .collect(),
                ..RawGroup::default()
            }],
            ..RawSample::default()
        };
        m.absorb(sample);
        let v = m.view(at + 0.05);
        let g = &v.groups[0];
        out.push((at, g.status, g.reason.clone()));
        t += INTERVAL;
    }
    out
}

fn healthy(h: Health) -> bool {
    matches!(h, Health::Ok | Health::Idle)
}

/// Asserts `want` at every sample from `warm_up` seconds on, and no flip between a
/// healthy and a problem status once a verdict was shown; returns the status changes.
fn check(name: &str, c: &Consumer, secs: f64, warm_up: f64, want: Health) -> usize {
    let got = run(c, secs);
    let mut changes = 0;
    for w in got.windows(2) {
        if w[0].1 != w[1].1 {
            changes += 1;
            if w[0].1 != Health::Unknown {
                assert!(
                    healthy(w[0].1) == healthy(w[1].1) && w[1].1 == want,
                    "{name}: flipped {:?} -> {:?} at {:.0}s ({}); whole run: {got:#?}",
                    w[0].1,
                    w[1].1,
                    w[1].0,
                    w[1].2
                );
            }
        }
    }
    for (t, h, why) in &got {
        if *t >= warm_up {
            assert_eq!(*h, want, "{name} at {t:.0}s: {why}");
        }
    }
    changes
}

fn consumer(cadence: Cadence, speed: Speed) -> Consumer {
    Consumer {
        cadence,
        speed,
        members: Some(1),
        rate: RATE,
    }
}

const CADENCES: [(&str, Cadence); 3] = [
    ("every 1 s", Cadence::Every(1.0)),
    ("every 30 s", Cadence::Every(30.0)),
    ("per batch of 500", Cadence::Batch(500)),
];

#[test]
fn a_healthy_consumer_is_ok_whatever_its_commit_cadence() {
    for (name, cadence) in CADENCES {
        let changes = check(
            name,
            &consumer(cadence, Speed::Share(1.0)),
            FROM + 600.0,
            FROM + 40.0,
            Health::Ok,
        );
        assert!(changes <= 1, "{name}: {changes} status changes");
    }
}

#[test]
fn a_consumer_at_half_speed_is_warn_steadily_whatever_its_cadence() {
    for (name, cadence) in CADENCES {
        // Half speed with batches of 500 commits every 75 s: two commits are needed.
        let warm = if matches!(cadence, Cadence::Every(s) if s < 2.0) {
            40.0
        } else {
            170.0
        };
        let changes = check(
            name,
            &consumer(cadence, Speed::Share(0.5)),
            FROM + 600.0,
            FROM + warm,
            Health::Warn,
        );
        assert!(changes <= 1, "{name}: {changes} status changes");
    }
}

#[test]
fn a_stuck_consumer_with_members_is_stall_and_without_them_stop() {
    for (name, cadence) in CADENCES {
        let at = FROM + 200.0;
        let stuck = consumer(cadence, Speed::StuckAt(at));
        let got = run(&stuck, at + 500.0);
        // Healthy while it worked, STALL once its offset has not moved for clearly longer
        // than its own cadence, and nothing else.
        let after: Vec<Health> = got.iter().filter(|s| s.0 > at + 200.0).map(|s| s.1).collect();
        assert!(after.iter().all(|h| *h == Health::Stall), "{name}: {got:#?}");
        let before: Vec<Health> = got
            .iter()
            .filter(|s| s.0 > at - 20.0 && s.0 < at)
            .map(|s| s.1)
            .collect();
        assert!(before.iter().all(|h| *h == Health::Ok), "{name}: {got:#?}");
        let mut stopped = consumer(cadence, Speed::StuckAt(at));
        stopped.members = Some(0);
        let got = run(&stopped, at + 500.0);
        assert!(
            got.iter().filter(|s| s.0 > at + 200.0).all(|s| s.1 == Health::Stop),
            "{name}: {got:#?}"
        );
    }
    // A 1 s committer is called stalled within 35 s; a 30 s one only after
    // about 75 s.
    let first_stall = |cadence| {
        let at = FROM + 100.0;
        run(&consumer(cadence, Speed::StuckAt(at)), at + 300.0)
            .iter()
            .find(|s| s.1 == Health::Stall)
            .map(|s| s.0 - at)
            .unwrap()
    };
    let fast = first_stall(Cadence::Every(1.0));
    let slow = first_stall(Cadence::Every(30.0));
    assert!(fast <= 35.0, "1 s cadence stalled after {fast:.0}s");
    assert!((60.0..=110.0).contains(&slow), "30 s cadence stalled after {slow:.0}s");
}

#[test]
fn a_consumer_stopped_from_the_start_is_stop_without_member_data() {
    // The demo cluster does not describe groups: a frozen offset with lag is STOP once the
    // unknown cadence's threshold passes, and stays so.
    let mut c = consumer(Cadence::Every(1.0), Speed::StuckAt(0.5));
    c.members = None;
    check("stopped, members unknown", &c, FROM + 600.0, FROM + 90.0, Health::Stop);
}

#[test]
fn an_idle_topic_is_idle_not_stopped() {
    for (name, cadence) in CADENCES {
        let mut c = consumer(cadence, Speed::Share(1.0));
        c.rate = 0.0;
        // Nothing ever written: nothing to read, the group is healthy.
        let changes = check(name, &c, FROM + 400.0, FROM + 20.0, Health::Idle);
        assert!(changes <= 1, "{name}");
    }
}

#[test]
fn a_group_that_never_commits_is_nocommit_with_members_and_missing_without() {
    let polls = consumer(Cadence::Never, Speed::Share(1.0));
    check(
        "members, no commit",
        &polls,
        FROM + 300.0,
        FROM + 70.0,
        Health::NoCommit,
    );
    let got = run(&polls, FROM + 50.0);
    assert!(
        got.iter().all(|s| s.1 == Health::Unknown),
        "before a minute: not yet evaluated {got:#?}"
    );
    for members in [Some(0), None] {
        let mut absent = consumer(Cadence::Never, Speed::Share(1.0));
        absent.members = members;
        check(
            "neither members nor commit",
            &absent,
            FROM + 300.0,
            FROM + 20.0,
            Health::Missing,
        );
    }
}

#[test]
fn a_recovering_consumer_goes_warn_then_ok_once() {
    for (name, cadence) in CADENCES {
        let at = FROM + 200.0;
        let got = run(&consumer(cadence, Speed::RecoverAt(at)), at + 600.0);
        let mut runs: Vec<Health> = got.iter().map(|s| s.1).filter(|h| *h != Health::Unknown).collect();
        runs.dedup();
        assert_eq!(runs, [Health::Warn, Health::Ok], "{name}: {got:#?}");
        assert!(
            got.iter().filter(|s| s.0 > at + 400.0).all(|s| s.1 == Health::Ok),
            "{name}"
        );
    }
}

#[test]
fn a_rewound_consumer_is_rewind_until_it_passes_its_old_offset() {
    let at = FROM + 150.0;
    let got = run(&consumer(Cadence::Every(1.0), Speed::RewindAt(at)), at + 110.0);
    let around: Vec<Health> = got
        .iter()
        .filter(|s| s.0 > at + 10.0 && s.0 < at + 40.0)
        .map(|s| s.1)
        .collect();
    assert!(around.contains(&Health::Rewind), "{got:#?}");
    assert!(got
        .iter()
        .filter(|s| s.0 < at && s.0 > FROM + 30.0)
        .all(|s| s.1 == Health::Ok));
}

#[test]
fn every_status_names_its_reason_and_since() {
    let got = run(&consumer(Cadence::Every(30.0), Speed::Share(0.5)), FROM + 300.0);
    let (_, h, why) = got.last().unwrap();
    assert_eq!(*h, Health::Warn);
    assert!(
        why.starts_with("partition ") && why.contains("falling behind: consumed"),
        "{why}"
    );
}

#[test]
fn a_new_verdict_shows_only_when_it_holds_and_never_goes_back_to_unknown() {
    let v = |health| Verdict {
        health,
        reason: "".into(),
        moving: true,
    };
    let mut s = Shown::new(0.0);
    assert_eq!(
        s.offer(v(Health::Ok), 1.0, 2),
        Some(Health::Unknown),
        "the first verdict shows at once"
    );
    assert_eq!(s.offer(v(Health::Warn), 2.0, 2), None, "one WARN is not enough");
    assert_eq!(s.offer(v(Health::Ok), 3.0, 2), None);
    assert_eq!(s.offer(v(Health::Warn), 4.0, 2), None);
    assert_eq!(s.offer(v(Health::Warn), 5.0, 2), Some(Health::Ok));
    assert_eq!((s.health, s.since_s), (Health::Warn, 5.0));
    assert_eq!(s.offer(v(Health::Unknown), 6.0, 2), None);
    assert_eq!(s.health, Health::Warn);
}

#[test]
fn the_threshold_follows_the_learned_cadence() {
    let rules = Rules::for_interval(5.0);
    let mut t = Track::new(0.0);
    assert_eq!(t.threshold_s(&rules), 65.0, "unknown cadence: 2 x 30 s + one interval");
    // Sampled every 5 s, the offset moves every 30 s.
    for k in 0..=36 {
        let at = k as f64 * 5.0;
        t.push(at, (k / 6) * 100, k * 20 + 5, &rules);
    }
    assert_eq!(t.cadence_s(), Some(30.0));
    assert_eq!(t.threshold_s(&rules), 65.0);
    let mut fast = Track::new(0.0);
    for k in 0..6 {
        fast.push(k as f64 * 5.0, k * 10, k * 10 + 2, &rules);
    }
    assert_eq!(fast.threshold_s(&rules), 15.0, "the floor: three intervals");
    // A sampling outage of two minutes is not learned as a cadence.
    let mut gap = Track::new(0.0);
    for (k, at) in [0.0, 5.0, 10.0, 130.0, 135.0, 140.0].into_iter().enumerate() {
        gap.push(at, k as i64 * 10, k as i64 * 10 + 2, &rules);
    }
    assert_eq!(gap.cadence_s(), Some(5.0), "{:?}", gap.cadence_s());
}

#[test]
fn health_orders_best_to_worst() {
    use Health::*;
    let mut v = vec![Stop, Ok, Warn, Idle, Rewind, Unknown, Stall, Missing, NoCommit, Lost];
    v.sort();
    assert_eq!(
        v,
        [Idle, Ok, Unknown, Warn, NoCommit, Stall, Rewind, Missing, Stop, Lost]
    );
    assert_eq!(v, Health::ALL);
    assert_eq!(Health::parse("warn"), Some(Warn));
    assert!(Warn.is_problem() && NoCommit.is_problem() && Missing.is_problem() && !Ok.is_problem());
}

fn table(points: &[(i64, f64)]) -> Table {
    let mut t = Table::new(64);
    for &(o, s) in points {
        t.push(o, s);
    }
    t
}

#[test]
fn time_lag_interpolates_between_points() {
    let t = table(&[(100, 0.0), (200, 10.0), (400, 20.0)]);
    // Offset 300 was the log end at 15 s; at 25 s it is 10 s behind.
    assert_eq!(
        t.lag_at(300, 25.0),
        Some(TimeLag {
            seconds: 10.0,
            approximate: false,
            at_least: false
        })
    );
    assert_eq!(
        t.lag_at(150, 25.0),
        Some(TimeLag {
            seconds: 20.0,
            approximate: false,
            at_least: false
        })
    );
    assert_eq!(
        t.lag_at(400, 25.0),
        Some(TimeLag {
            seconds: 0.0,
            approximate: false,
            at_least: false
        })
    );
    assert_eq!(
        t.lag_at(500, 25.0),
        Some(TimeLag {
            seconds: 0.0,
            approximate: false,
            at_least: false
        })
    );
}

#[test]
fn time_lag_extrapolates_older_offsets_as_approximate() {
    let t = table(&[(100, 10.0), (200, 20.0)]);
    let got = t.lag_at(50, 20.0).unwrap();
    assert!(got.approximate);
    assert!((got.seconds - 15.0).abs() < 1e-9, "{got:?}");
}

#[test]
fn time_lag_on_a_topic_without_new_writes_is_a_lower_bound() {
    // 60 messages written before watching began, none since: a consumer at 0 is at least
    // as far behind as the table is old, and it says so.
    let t = table(&[(60, 100.0), (60, 102.0)]);
    let got = t.lag_at(0, 102.0).unwrap();
    assert!(got.at_least && got.approximate, "{got:?}");
    assert!((got.seconds - 2.0).abs() < 1e-9);
}

#[test]
fn time_lag_needs_two_points() {
    assert_eq!(table(&[(100, 0.0)]).lag_at(50, 5.0), None);
    assert_eq!(table(&[]).lag_at(50, 5.0), None);
}

#[test]
fn flat_runs_keep_first_and_latest_point() {
    let t = table(&[(100, 0.0), (200, 10.0), (200, 20.0), (200, 30.0), (300, 40.0)]);
    assert_eq!(t.len(), 4);
    // 200 was still the log end at 30 s, so at 50 s the consumer is 20 s behind
    // (the newest pair around the offset wins).
    assert_eq!(
        t.lag_at(200, 50.0),
        Some(TimeLag {
            seconds: 20.0,
            approximate: false,
            at_least: false
        })
    );
    assert_eq!(
        t.lag_at(150, 50.0),
        Some(TimeLag {
            seconds: 45.0,
            approximate: false,
            at_least: false
        })
    );
}

#[test]
fn offset_going_down_resets_the_table() {
    let t = table(&[(100, 0.0), (200, 10.0), (5, 20.0)]);
    assert_eq!(t.len(), 1);
}
