//! The TUI with live data at scale: a 10,000-topic registry (2,000 services) and a
//! sample in which every declared consumer group has a row (about 40,000 rows, one in
//! seven behind): the cost of one sample arriving (everything the app derives from
//! it: drift, staleness, the group index, the lag order) and of one frame of the
//! topics, lag, services and group views while it is shown. The sample is scripted (the
//! cluster side is measured in benches/sampler.rs and benches/drift.rs).
//! Run: `cargo bench --bench render_live`.

use criterion::{criterion_group, criterion_main, Criterion};
use ktopo::core::live::view::{GroupTopicLag, Health, LiveView, PartitionLag, TopicLive};
use ktopo::tui::state::{App, Event};
use ktopo::tui::{data::Data, theme::Theme, ui};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn registry() -> ktopo::core::registry::Registry {
    let text = ktopo::core::synthetic::registry(2_000, 10_000);
    ktopo::core::registry::load_str("bench.yaml", text).registry.unwrap()
}

/// A sample of a cluster that has every declared topic and group.
fn sample(reg: &ktopo::core::registry::Registry) -> LiveView {
    let mut v = LiveView {
        sample_ms: Some(40),
        source: "scripted".into(),
        groups_listed: true,
        interval_s: 5.0,
        ..LiveView::default()
    };
    let mut n = 0i64;
    for t in &reg.topics {
        v.topics.insert(
            t.name.clone(),
            TopicLive {
                produce_rate: Some(12.5),
                total_lag: Some(0),
                worst: Some(Health::Ok),
                partitions: 3,
                replication: Some(3),
                on_cluster: true,
                rate_history: vec![10, 12, 14, 12],
                ..TopicLive::default()
            },
        );
        for c in &t.consumers {
            n += 1;
            let behind = n % 7 == 0;
            let lag = if behind { 1_000 + n } else { 0 };
            v.groups.push(GroupTopicLag {
                group: c
                    .group
                    .clone()
                    .unwrap_or_else(|| format!("{}_{}_consumer", reg.services[c.service].key, t.name)),
                topic: t.name.clone(),
                service: Some(reg.services[c.service].key.clone()),
                declared: true,
                members: Some(1),
                partitions: (0..3)
                    .map(|p| PartitionLag {
                        partition: p,
                        committed: Some(10_000),
                        log_end: Some(10_000 + lag),
                        ..PartitionLag::default()
                    })
                    .collect(),
                total_lag: Some(3 * lag),
                status: if behind { Health::Warn } else { Health::Ok },
                consume_rate: Some(12.0),
                ..GroupTopicLag::default()
            });
        }
    }
    v
}

fn bench(c: &mut Criterion) {
    let reg = registry();
    let view = sample(&reg);
    let mut g = c.benchmark_group("live_10k_topics");
    g.sample_size(20);
    g.bench_function("sample_clone_only", |b| b.iter(|| Box::new(view.clone())));
    let mut a = App::new(Data::new(reg.clone()), 120, 40, Theme { color: true });
    g.bench_function("sample_arrives", |b| {
        b.iter(|| a.update(Event::Live(Box::new(view.clone()))));
    });
    // What the live feed does off the UI thread (the join), and what is left for the
    // UI thread when the join arrives with the picture.
    let topo = ktopo::core::topology::Topology::build(&reg);
    let setting = ktopo::core::join::Setting {
        environment: "production".into(),
        samples: 3,
        ..Default::default()
    };
    g.bench_function("join_only", |b| {
        b.iter(|| ktopo::core::join::join(&reg, &topo, Some(&view), &setting, None));
    });
    g.bench_function("sample_arrives_joined", |b| {
        b.iter_batched(
            || {
                let joined = ktopo::core::join::join(&reg, &topo, Some(&view), &setting, None);
                (Box::new(view.clone()), Box::new(joined))
            },
            |(view, joined)| {
                a.update(Event::Joined {
                    view,
                    generation: a.data.generation,
                    joined,
                })
            },
            criterion::BatchSize::LargeInput,
        );
    });
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    for (name, command) in [
        ("topics_frame", "topics"),
        ("lag_frame", "lag"),
        ("services_frame", "services"),
    ] {
        a.run_command(command);
        g.bench_function(name, |b| {
            b.iter(|| {
                term.draw(|f| ui::render(&a, f)).unwrap();
            })
        });
    }
    // The group screen of the worst `:lag` row (Enter on it).
    a.run_command("lag");
    let enter = crossterm::event::KeyEvent::new(crossterm::event::KeyCode::Enter, crossterm::event::KeyModifiers::NONE);
    a.update(Event::Key(enter));
    g.bench_function("group_frame", |b| {
        b.iter(|| {
            term.draw(|f| ui::render(&a, f)).unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
