//! What drift adds to sampling, at 10,000 topics: reading the registry's positions and
//! comparing it with the cluster facts of one live picture (every topic present, one
//! group per declared consumer). `cargo bench --bench drift` prints the median of 10 runs;
//! set it against one lag sample of the same cluster (`cargo bench --bench sampler`).

use ktopo::drift::facts::{Facts, TopicFacts};
use ktopo::drift::locate::Places;
use ktopo::drift::rules::{self, Options};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1e3
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let text = ktopo::synthetic::registry(2_000, 10_000);
    let checked = ktopo::registry::load_str("synthetic.yaml", text);
    let reg = checked.registry.as_ref().expect("valid");
    let mut facts = Facts {
        groups_listed: true,
        samples: 3,
        ..Facts::default()
    };
    for (i, t) in reg.topics.iter().enumerate() {
        // Every tenth topic drifts on partitions.
        let partitions = if i % 10 == 0 { 6 } else { 10 };
        let configs = Some(
            [("retention.ms".to_string(), "604800000".to_string())]
                .into_iter()
                .collect(),
        );
        facts.topics.insert(
            t.name.clone(),
            TopicFacts {
                partitions,
                replication: Some(3),
                produce_rate: Some(1.0),
                configs,
            },
        );
        for c in &t.consumers {
            let g = facts.groups.entry(c.group.clone().unwrap_or_default()).or_default();
            g.declared_on.insert(t.name.clone());
            if i % 7 != 0 {
                g.committed_on.insert(t.name.clone());
            }
        }
    }
    let opts = Options {
        environment: "production".into(),
        environment_chosen: true,
        today: 20_000,
    };
    let mut places = Vec::new();
    let mut compare = Vec::new();
    let mut found = 0;
    for _ in 0..10 {
        let t = Instant::now();
        let p = Places::read(&checked.source);
        places.push(t.elapsed());
        let t = Instant::now();
        found = rules::compute(reg, &p, &facts, &opts).findings.len();
        compare.push(t.elapsed());
    }
    println!(
        "drift at {} topics, {} groups: registry positions {:.1} ms, comparison {:.1} ms ({found} findings)",
        reg.topics.len(),
        facts.groups.len(),
        median(places),
        median(compare)
    );
}
