//! Edge cases of the status rules an adversarial review found (each failed before its
//! fix): low-traffic consumers, slow committers, a consumer at 95% speed, commits beyond
//! the log end, partitions never committed, recovery after a pause or rewind, sampling
//! outages, low-rate topics. Scripted consumers at 0.1 s resolution, sampled as ktopo
//! samples a cluster (committed offsets first, log ends just after).
#![allow(dead_code)]

//! A generic simulator: per-partition log end
//! functions, a consumer with a processing capacity, a commit schedule, pauses and
//! offset overrides, sampled like ktopo samples (committed first, log ends just after).

use ktopo::core::live::metrics::Metrics;
use ktopo::core::live::view::{Health, Member};
use ktopo::core::sample::{RawGroup, RawPartition, RawSample, RawTopic};

type LogEnd = Box<dyn Fn(usize, f64) -> i64>;
/// A new position from (position, log end), committed at once.
type Reset = Box<dyn Fn(i64, i64) -> i64>;

struct Scn {
    interval: f64,
    from: f64,
    to: f64,
    parts: usize,
    log_end: LogEnd,
    /// Messages per second per partition the consumer can process (INFINITY: at head).
    cap: f64,
    /// Commit instants (sorted).
    commits: Vec<f64>,
    /// The committed offsets are the positions this many seconds before the commit
    /// (Flink: barrier, then checkpoint completes).
    commit_delay: f64,
    /// Consumer does not process in these windows.
    pauses: Vec<(f64, f64)>,
    /// No samples in these windows (sampler outage).
    outages: Vec<(f64, f64)>,
    members: Option<usize>,
    /// At (time, partition): set the position (and commit at once) to f(log_end).
    resets: Vec<(f64, Reset)>,
    /// Partitions that never commit.
    never: Vec<usize>,
    /// Partitions whose consumer is stuck from this time.
    stuck: Vec<(usize, f64)>,
}

impl Scn {
    fn new(interval: f64, rate_per_part: f64) -> Scn {
        Scn {
            interval,
            from: 300.0,
            to: 1200.0,
            parts: 3,
            log_end: Box::new(move |p, t| (rate_per_part * t.max(0.0) + p as f64 * 0.37).floor() as i64),
            cap: f64::INFINITY,
            commits: every(5.0, 0.0, 3000.0),
            commit_delay: 0.0,
            pauses: vec![],
            outages: vec![],
            members: Some(1),
            resets: vec![],
            never: vec![],
            stuck: vec![],
        }
    }
}

fn every(c: f64, phase: f64, until: f64) -> Vec<f64> {
    let mut v = vec![];
    let mut t = phase + c;
    while t < until {
        v.push(t);
        t += c;
    }
    v
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64) / ((1u64 << 53) as f64)
    }
}

fn jittery(lo: f64, hi: f64, seed: u64, until: f64) -> Vec<f64> {
    let mut r = Rng(seed);
    let mut v = vec![];
    let mut t = 0.0;
    while t < until {
        t += lo + (hi - lo) * r.next();
        v.push(t);
    }
    v
}

#[derive(Debug, Clone)]
struct Obs {
    t: f64,
    row: Health,
    reason: String,
    parts: Vec<Option<Health>>,
    lag: Option<i64>,
}

fn run(s: &Scn) -> Vec<Obs> {
    let mut out = vec![];
    run_with(s, |at, v| {
        let g = &v.groups[0];
        out.push(Obs {
            t: at,
            row: g.status,
            reason: g.reason.clone(),
            parts: g.partitions.iter().map(|p| p.status).collect(),
            lag: g.total_lag,
        });
        true
    });
    out
}

fn run_with(s: &Scn, mut f: impl FnMut(f64, &ktopo::core::live::view::LiveView) -> bool) {
    let mut m = Metrics::new("review", s.interval);
    run_raw(s, |at, sample| {
        m.absorb(sample);
        let v = m.view(at + 0.05);
        f(at, &v)
    });
}

fn run_raw(s: &Scn, mut f: impl FnMut(f64, RawSample) -> bool) {
    let dt = 0.1;
    let mut pos: Vec<i64> = (0..s.parts).map(|_| 0).collect();
    let mut committed: Vec<Option<i64>> = vec![None; s.parts];
    let mut pending: Vec<(f64, Vec<i64>)> = vec![]; // (commit at, snapshot)
    let mut ci = 0usize;
    let mut ri = 0usize;
    let mut sim_t = 0.0f64;
    let mut t = s.from;
    let mut credit: Vec<f64> = vec![0.0; s.parts];
    while t <= s.to {
        let at = t + ((t * 7.3).sin() * 0.4).abs();
        if s.outages.iter().any(|&(a, b)| at >= a && at < b) {
            t += s.interval;
            continue;
        }
        while sim_t + dt <= at + 1e-9 {
            sim_t += dt;
            let paused = s.pauses.iter().any(|&(a, b)| sim_t >= a && sim_t < b);
            for p in 0..s.parts {
                let stuck = s.stuck.iter().any(|&(q, a)| q == p && sim_t >= a);
                if paused || stuck {
                    continue;
                }
                let target = (s.log_end)(p, sim_t - 0.3);
                if s.cap.is_infinite() {
                    pos[p] = pos[p].max(target);
                } else {
                    credit[p] += s.cap * dt;
                    let step = credit[p].floor() as i64;
                    let np = (pos[p] + step).min(target).max(pos[p]);
                    credit[p] -= (np - pos[p]) as f64;
                    if np == target {
                        credit[p] = credit[p].min(1.0);
                    }
                    pos[p] = np;
                }
            }
            while ri < s.resets.len() && s.resets[ri].0 <= sim_t {
                for p in 0..s.parts {
                    let le = (s.log_end)(p, sim_t);
                    pos[p] = (s.resets[ri].1)(pos[p], le);
                    if !s.never.contains(&p) {
                        committed[p] = Some(pos[p]);
                    }
                }
                ri += 1;
            }
            while ci < s.commits.len() && s.commits[ci] <= sim_t {
                if !s.pauses.iter().any(|&(a, b)| sim_t >= a && sim_t < b) {
                    pending.push((s.commits[ci] + s.commit_delay, pos.clone()));
                }
                ci += 1;
            }
            pending.retain(|(when, snap)| {
                if *when <= sim_t {
                    for p in 0..s.parts {
                        let stuck = s.stuck.iter().any(|&(q, a)| q == p && sim_t >= a);
                        if !s.never.contains(&p) && !stuck {
                            committed[p] = Some(snap[p]);
                        }
                    }
                    false
                } else {
                    true
                }
            });
        }
        let sample = RawSample {
            time_s: at + 0.02,
            offsets_at_s: at,
            wall_ms: 1_700_000_000_000 + (at * 1000.0) as i64,
            topics: vec![RawTopic {
                name: "orders".into(),
                partitions: (0..s.parts)
                    .map(|p| RawPartition {
                        id: p as i32,
                        leader: 1,
                        log_end: Some((s.log_end)(p, at + 0.02)),
                        log_start: Some(0),
                    })
                    .collect(),
                replication: Some(3),
                last_write_ms: None,
            }],
            groups: vec![RawGroup {
                group: "g".into(),
                topic: "orders".into(),
                declared: true,
                members: s.members.map(|n| vec![Member::default(); n]),
                topic_on_cluster: true,
                committed: (0..s.parts).map(|p| (p as i32, committed[p])).collect(),
                ..RawGroup::default()
            }],
            ..RawSample::default()
        };
        if !f(at, sample) {
            return;
        }
        t += s.interval;
    }
}

/// `ktopo lag --fail-on X` (samples 3, max-wait 90) started at `start`: the outcome.
fn gate_at(s: &mut Scn, start: f64, fail_on: &str) -> (f64, String) {
    use ktopo::core::lag_report::{all_evaluated, gate, FailOn, Filters};
    let f: FailOn = fail_on.parse().unwrap();
    let filters = Filters::new(None, None).unwrap();
    s.from = start;
    s.to = start + 1000.0;
    let mut n = 0;
    let mut res = (0.0, String::new());
    run_with(s, |at, v| {
        n += 1;
        if n < 3 {
            return true;
        }
        let rows = filters.select(v);
        let waited = at - start >= 90.0;
        if !waited && !all_evaluated(&rows) {
            return true;
        }
        res = (
            at - start,
            match gate(Some(f), &rows, &filters, true) {
                None => format!("PASS ({} {})", rows[0].status.word(), rows[0].reason),
                Some(l) => format!("TRIP {}", l.join(" | ")),
            },
        );
        false
    });
    res
}

/// Status runs: (from, to, status, reason at start of run).
fn runs(o: &[Obs]) -> Vec<(f64, f64, Health, String, Option<i64>)> {
    let mut r: Vec<(f64, f64, Health, String, Option<i64>)> = vec![];
    for x in o {
        match r.last_mut() {
            Some(l) if l.2 == x.row => l.1 = x.t,
            _ => r.push((x.t, x.t, x.row, x.reason.clone(), x.lag)),
        }
    }
    r
}

fn show(name: &str, s: &Scn) -> Vec<Obs> {
    let o = run(s);
    let r = runs(&o);
    println!("=== {name}: {} runs", r.len());
    for (a, b, h, why, lag) in r.iter().take(40) {
        println!(
            "  {:>7.0}-{:>7.0} {:<8} lag={:<8} {}",
            a - s.from,
            b - s.from,
            h.word(),
            lag.map_or("-".into(), |l| l.to_string()),
            why
        );
    }
    o
}

fn from_start(s: &Scn) -> f64 {
    s.from
}

fn problems(o: &[Obs], after: f64) -> Vec<(f64, Health, String)> {
    o.iter()
        .filter(|x| x.t >= after && x.row > Health::Unknown)
        .map(|x| (x.t, x.row, x.reason.clone()))
        .collect()
}

fn poisson(mean_gap: f64, seed: u64) -> LogEnd {
    let mut r = Rng(seed * 77);
    let mut arrivals: Vec<Vec<f64>> = vec![vec![]; 3];
    for a in arrivals.iter_mut() {
        let mut t = 0.0;
        while t < 20000.0 {
            t += -mean_gap * (1.0 - r.next()).ln();
            a.push(t);
        }
    }
    Box::new(move |p, t| arrivals[p].partition_point(|&x| x <= t) as i64)
}

#[test]
fn reg_low_traffic_streams_app_is_never_stalled() {
    // One message a minute per partition (Poisson), commits every 30 s, at the head.
    for seed in 1..=3 {
        let mut s = Scn::new(5.0, 0.0);
        s.log_end = poisson(60.0, seed);
        s.commits = every(30.0, 0.7, 20000.0);
        s.to = 300.0 + 7200.0;
        let p = problems(&run(&s), 0.0);
        assert!(
            p.is_empty(),
            "seed {seed}: {} problem samples, first {:?}",
            p.len(),
            p.first()
        );
    }
}

#[test]
fn reg_slow_committer_once_seen_moving_is_not_stalled() {
    // 2-min and 5-min commit cadences at the head: once a commit has been seen after a
    // long watched freeze, the next freeze of the same length is not a STALL.
    for c in [120.0, 300.0] {
        let mut s = Scn::new(5.0, 20.0 / 3.0);
        s.commits = every(c, 0.7, 9000.0);
        s.to = 300.0 + 1500.0;
        let o = run(&s);
        let first_ok = o.iter().find(|x| x.row == Health::Ok).unwrap().t;
        let p = problems(&o, first_ok);
        assert!(p.is_empty(), "cadence {c}: {:?}", p.first());
    }
}

#[test]
fn reg_consumer_at_95_percent_is_warned_eventually() {
    for (iv, rate) in [(5.0, 20.0 / 3.0), (5.0, 100000.0 / 3.0), (1.0, 20.0 / 3.0)] {
        let mut s = Scn::new(iv, rate);
        s.cap = rate * 0.95;
        s.commits = every(5.0, 0.7, 9000.0);
        s.to = 300.0 + 1800.0;
        let o = run(&s);
        let last = o.last().unwrap();
        assert_eq!(
            last.row,
            Health::Warn,
            "interval {iv}, rate {rate}: lag {:?} {}",
            last.lag,
            last.reason
        );
    }
}

#[test]
fn reg_committed_beyond_log_end_is_not_caught_up() {
    // Topic deleted and recreated at 600 s: log end back to 0 and growing; the consumer
    // keeps its old offset (4000) and reads nothing.
    let rate = 20.0 / 3.0;
    let mut s = Scn::new(5.0, rate);
    s.log_end = Box::new(move |p, t| {
        if t < 600.0 {
            (rate * t).floor() as i64 + p as i64
        } else {
            (rate * (t - 600.0)).floor() as i64
        }
    });
    s.stuck = vec![(0, 600.0), (1, 600.0), (2, 600.0)];
    s.to = 900.0;
    let o = run(&s);
    let late: Vec<_> = o.iter().filter(|x| x.t > 700.0 && healthy(x.row)).collect();
    assert!(
        late.is_empty(),
        "{} healthy samples, e.g. {:?} {}",
        late.len(),
        late[0].row,
        late[0].reason
    );
}

#[test]
fn reg_partition_without_commit_is_not_ignored() {
    // Partition 2 never committed while data flows there (new partition after an
    // expansion, Flink without partition discovery): the row is not OK, no gate passes.
    let mut s = Scn::new(5.0, 20.0 / 3.0);
    s.never = vec![2];
    s.to = 600.0;
    let o = run(&s);
    assert!(
        o.iter().filter(|x| x.t > 400.0).all(|x| !healthy(x.row)),
        "{:?} {}",
        o.last().unwrap().row,
        o.last().unwrap().reason
    );
    let (_, out) = gate_at(&mut s, 1800.0, "warn");
    assert!(out.starts_with("TRIP"), "{out}");
}

#[test]
fn reg_recovery_after_a_pause_or_rewind_is_not_falling_behind() {
    let rate = 20.0 / 3.0;
    // 60 s rebalance pause, then 3x capacity: STALL during the pause is fine, WARN or
    // STALL while it drains at 3x is not.
    for c in [5.0, 30.0] {
        let mut s = Scn::new(5.0, rate);
        s.cap = rate * 3.0;
        s.pauses = vec![(600.0, 660.0)];
        s.commits = every(c, 0.7, 9000.0);
        s.to = 900.0;
        let o = run(&s);
        let bad: Vec<_> = o.iter().filter(|x| x.t > 680.0 && x.row > Health::Unknown).collect();
        assert!(
            bad.is_empty(),
            "cadence {c}: {:?} at {:.0}: {}",
            bad[0].row,
            bad[0].t,
            bad[0].reason
        );
    }
    // Reset to earliest at 600, reprocessing at 3x: REWIND, then never STALL/WARN.
    let mut s = Scn::new(5.0, rate);
    s.cap = rate * 3.0;
    s.resets = vec![(600.0, Box::new(|_, _| 0))];
    s.to = 1200.0;
    let o = run(&s);
    let bad: Vec<_> = o
        .iter()
        .filter(|x| x.t > 600.0 && matches!(x.row, Health::Stall | Health::Warn))
        .collect();
    assert!(bad.is_empty(), "{:?} at {:.0}: {}", bad[0].row, bad[0].t, bad[0].reason);
}

#[test]
fn reg_a_sampling_outage_is_not_learned_as_cadence() {
    // 2 min without samples, then the consumer (5 s commits) gets stuck at 730.
    let mut s = Scn::new(5.0, 20.0 / 3.0);
    s.outages = vec![(600.0, 720.0)];
    s.stuck = vec![(0, 730.0), (1, 730.0), (2, 730.0)];
    s.to = 900.0;
    let o = run(&s);
    let first = o
        .iter()
        .find(|x| x.t > 730.0 && x.row == Health::Stall)
        .map(|x| x.t - 730.0);
    assert!(first.is_some_and(|d| d <= 40.0), "stuck detected after {first:?} s");
}

#[test]
fn reg_one_message_a_minute_does_not_flap_ok_idle() {
    let mut s = Scn::new(5.0, 0.0);
    s.log_end = Box::new(|p, t| {
        if p == 0 {
            (t.max(0.0) / 60.0).floor() as i64 + 1000
        } else {
            500
        }
    });
    s.to = 300.0 + 1800.0;
    let n = runs(&run(&s)).len();
    assert!(n <= 3, "{n} status runs in 30 min");
}

fn healthy(h: Health) -> bool {
    matches!(h, Health::Ok | Health::Idle)
}

#[test]
fn a_lag_gate_holds_the_lag_at_commits_not_the_saw_tooth() {
    use ktopo::core::lag_report::FailOn;
    let gate = FailOn::Lag(2000);
    // Healthy, committing every 30 s at 100 msg/s a partition: between commits the lag
    // climbs to about 9,000, and falls back at each commit.
    let mut s = Scn::new(5.0, 100.0);
    s.commits = every(30.0, 0.7, 9000.0);
    s.to = 1200.0;
    let (mut above, mut tripped) = (0, 0);
    run_with(&s, |_, v| {
        let g = &v.groups[0];
        above += usize::from(g.total_lag.is_some_and(|l| l > 2000));
        tripped += usize::from(gate.tripped_by(g));
        true
    });
    assert!(above > 20, "the saw-tooth is there: {above}");
    assert_eq!(tripped, 0, "a healthy consumer never trips a lag gate");
    // Stuck at 600 s: the lag it holds is the current lag, which the gate catches.
    let mut s = Scn::new(5.0, 100.0);
    s.commits = every(30.0, 0.7, 9000.0);
    s.stuck = vec![(0, 600.0), (1, 600.0), (2, 600.0)];
    s.to = 1200.0;
    let mut first = None;
    run_with(&s, |at, v| {
        if gate.tripped_by(&v.groups[0]) && first.is_none() {
            first = Some(at);
        }
        true
    });
    assert!(first.is_some_and(|t| t > 600.0 && t < 800.0), "{first:?}");
}
