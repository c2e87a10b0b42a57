//! The demo's statuses hold steady for minutes: its scenario (the same behaviours the
//! mock cluster's simulated consumers follow, `Behaviour::commit`) played on a scripted
//! clock through the real metrics and drawn by the TUI's `:lag` view at 80x24. Every
//! row gets one verdict after warm-up and keeps it for ten minutes.

use crate::common;
use ktopo::cluster::kafka::demo::{Behaviour, Scenario};
use ktopo::core::live::metrics::Metrics;
use ktopo::core::live::view::Health;
use ktopo::core::sample::{RawGroup, RawPartition, RawSample, RawTopic};
use ktopo::tui::state::Event;
use std::collections::{BTreeSet, HashMap};

const INTERVAL: f64 = 2.0;

/// Per group × topic: (time, status, reason) at every sample.
type Seen = HashMap<(String, String), Vec<(f64, Health, String)>>;

/// The demo's statuses on the registry at `rel` held steady: the scenario, and the app
/// that was shown every sample. Each group × topic gets one verdict after warm-up (two
/// minutes), kept for the next ten, and it is the one its behaviour promises (IDLE for a
/// healthy group on a topic nobody writes); returns every status shown last.
pub fn replay(rel: &str) -> (Scenario, BTreeSet<Health>, ktopo::tui::state::App) {
    let reg = common::load(rel);
    let watched = ktopo::cluster::connect::demo_watch(&reg).groups;
    let sc = ktopo::cluster::demo_scenario::for_registry(&reg, &watched);
    let mut app = common::app(rel, 80, 24);
    let mut m = Metrics::new("demo cluster", INTERVAL);
    // Per topic and partition: messages produced; per group: its committed offsets.
    let mut heads: HashMap<&str, Vec<i64>> = sc
        .topics
        .iter()
        .map(|t| (t.name.as_str(), vec![0; t.partitions as usize]))
        .collect();
    let mut owed: HashMap<&str, f64> = HashMap::new();
    let mut next: HashMap<&str, usize> = HashMap::new();
    // The cycle written before the demo is ready, round-robin as the demo thread writes.
    for topic in &sc.topics {
        for _ in 0..topic.backlog() {
            let p = next.entry(&topic.name).or_default();
            *p = (*p + 1) % topic.partitions as usize;
            heads.get_mut(topic.name.as_str()).unwrap()[*p] += 1;
        }
    }
    // Per group and topic: a connector's group reads every topic.
    let mut commits: HashMap<(&str, &str), (Vec<i64>, bool)> = HashMap::new();
    let mut seen: Seen = HashMap::new();
    let (mut t, step) = (0.0f64, 0.25f64);
    let mut next_sample = 3.0;
    while t < 660.0 {
        t += step;
        // Producers, round-robin over partitions, as the demo thread writes.
        for topic in &sc.topics {
            let o = owed.entry(&topic.name).or_default();
            *o += topic.rate * step;
            while *o >= 1.0 {
                *o -= 1.0;
                let p = next.entry(&topic.name).or_default();
                *p = (*p + 1) % topic.partitions as usize;
                heads.get_mut(topic.name.as_str()).unwrap()[*p] += 1;
            }
        }
        // Consumers commit once a second.
        if (t / 1.0).fract() < 1e-9 {
            for g in &sc.groups {
                let Some(h) = heads.get(g.topic.as_str()) else { continue };
                let (pos, started) = commits.entry((&g.group, &g.topic)).or_insert((vec![0; h.len()], false));
                let mut commit = true;
                let mut next_pos = pos.clone();
                for (p, &head) in h.iter().enumerate() {
                    match g.behaviour.commit(head, t, pos[p], *started) {
                        Some(c) => next_pos[p] = c,
                        None => commit = false,
                    }
                }
                if commit {
                    *pos = next_pos;
                    *started = true;
                }
            }
        }
        if t + 1e-9 < next_sample {
            continue;
        }
        next_sample += INTERVAL;
        let topics: Vec<RawTopic> = sc
            .topics
            .iter()
            .map(|tp| RawTopic {
                name: tp.name.clone(),
                partitions: heads[tp.name.as_str()]
                    .iter()
                    .enumerate()
                    .map(|(p, &e)| RawPartition {
                        id: p as i32,
                        leader: 1,
                        log_end: Some(e),
                        log_start: Some(0),
                    })
                    .collect(),
                replication: Some(1),
                last_write_ms: None,
            })
            .collect();
        let groups: Vec<RawGroup> = watched
            .iter()
            .filter(|w| !w.probe || sc.groups.iter().any(|g| g.group == w.group))
            .map(|w| {
                let parts = heads.get(w.topic.as_str()).map_or(0, Vec::len);
                let c = commits.get(&(w.group.as_str(), w.topic.as_str())).filter(|c| c.1);
                RawGroup {
                    group: w.group.clone(),
                    topic: w.topic.clone(),
                    service: w.service.clone(),
                    declared: !w.probe,
                    topic_on_cluster: heads.contains_key(w.topic.as_str()),
                    // The mock cluster does not describe groups: no members.
                    members: None,
                    committed: (0..parts).map(|p| (p as i32, c.map(|c| c.0[p]))).collect(),
                    ..RawGroup::default()
                }
            })
            .collect();
        m.absorb(RawSample {
            time_s: t + 0.01,
            offsets_at_s: t,
            wall_ms: 1_780_000_000_000 + (t * 1000.0) as i64,
            duration_ms: 12,
            topics,
            groups,
            ..RawSample::default()
        });
        let v = m.view(t + 0.02);
        for g in &v.groups {
            seen.entry((g.group.clone(), g.topic.clone()))
                .or_default()
                .push((t, g.status, g.reason.clone()));
        }
        app.update(Event::Live(Box::new(v)));
    }
    // Every row: one verdict after warm-up (two minutes), kept for the next ten.
    let expect: HashMap<&str, Health> = sc
        .groups
        .iter()
        .map(|g| {
            let want = match g.behaviour {
                Behaviour::Healthy => Health::Ok,
                Behaviour::Behind => Health::Warn,
                Behaviour::Stalled => Health::Stall,
                Behaviour::Stopped => Health::Stop,
                Behaviour::Silent => Health::Missing,
            };
            (g.group.as_str(), want)
        })
        .collect();
    let idle: Vec<&str> = sc
        .topics
        .iter()
        .filter(|t| t.rate == 0.0)
        .map(|t| t.name.as_str())
        .collect();
    let mut shown = BTreeSet::new();
    for ((group, topic), run) in &seen {
        let after: Vec<Health> = run.iter().filter(|s| s.0 >= 120.0).map(|s| s.1).collect();
        assert!(
            after.windows(2).all(|w| w[0] == w[1]),
            "{group} on {topic} flapped: {run:#?}"
        );
        let verdicts: Vec<Health> = run.iter().map(|s| s.1).filter(|h| *h != Health::Unknown).collect();
        let mut changes = verdicts.clone();
        changes.dedup();
        assert!(
            changes.len() <= 1,
            "{group} on {topic}: more than one verdict: {changes:?}"
        );
        let last = after[after.len() - 1];
        shown.insert(last);
        if let Some(&want) = expect.get(group.as_str()) {
            let want = if idle.contains(&topic.as_str()) && want == Health::Ok {
                Health::Idle
            } else {
                want
            };
            assert_eq!(last, want, "{group} on {topic}: {run:?}");
        }
    }
    (sc, shown, app)
}

/// Every status the demo promises.
pub const PROMISED: [Health; 6] = [
    Health::Ok,
    Health::Idle,
    Health::Warn,
    Health::Stall,
    Health::Stop,
    Health::Missing,
];

#[test]
fn the_demo_statuses_hold_steady_for_ten_minutes() {
    let (_, shown, mut app) = replay("registry.yaml");
    // Every status the demo promises is on show.
    for h in PROMISED {
        assert!(shown.contains(&h), "{h:?} not shown: {shown:?}");
    }
    // And the on-call table says since when: ten minutes in the same status.
    common::run_command(&mut app, "lag");
    let s = common::screen(&app);
    assert!(
        s.contains("✗ STOP") && s.contains("■ STALL") && s.contains("▲ WARN"),
        "{s}"
    );
    assert!(s.contains("10m"), "status durations of about ten minutes:\n{s}");
}
