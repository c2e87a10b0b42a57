//! What `ktopo serve` adds to a round and costs a scrape at the scale: 1,300
//! topics of 10 partitions (13,000 partitions) and every declared consumer group a row
//! (about 5,200 groups, 52,000 group-partitions, one in seven behind). Per round: the
//! drift counts; per scrape: encoding OpenMetrics (plain, and gzip-compressed as serve
//! sends it to Prometheus) and text 0.0.4, with and without partition series, and the
//! JSON view. The sample is scripted (the cluster side is
//! benches/sampler.rs and benches/tansu). Run: `cargo bench --bench serve`.

use criterion::{criterion_group, criterion_main, Criterion};
use ktopo::core::exposition::{self, Format, SamplerHealth, Scrape};
use ktopo::core::live::view::{GroupTopicLag, Health, LiveView, PartitionLag, TopicLive};
use std::sync::Arc;

fn registry() -> ktopo::core::registry::Registry {
    let text = ktopo::core::synthetic::registry(1_000, 1_300);
    ktopo::core::registry::load_str("bench.yaml", text).registry.unwrap()
}

fn sample(reg: &ktopo::core::registry::Registry) -> LiveView {
    let mut v = LiveView {
        sample_ms: Some(900),
        wall_ms: Some(1_796_000_000_000),
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
                partitions: 10,
                on_cluster: true,
                ..TopicLive::default()
            },
        );
        for c in &t.consumers {
            n += 1;
            let behind = n % 7 == 0;
            let lag = if behind { 1_000 + n } else { 0 };
            v.groups.push(GroupTopicLag {
                group: format!("{}_{}_consumer", reg.services[c.service].key, t.name),
                topic: t.name.clone(),
                service: Some(reg.services[c.service].key.clone()),
                declared: true,
                members: Some(1),
                partitions: (0..10)
                    .map(|p| PartitionLag {
                        partition: p,
                        committed: Some(10_000),
                        log_end: Some(10_000 + lag),
                        log_start: Some(0),
                        lag: Some(lag),
                        ..PartitionLag::default()
                    })
                    .collect(),
                total_lag: Some(10 * lag),
                time_lag_s: Some(if behind { 40.0 } else { 0.0 }),
                status: if behind { Health::Warn } else { Health::Ok },
                status_since_ms: Some(1_795_999_000_000),
                consume_rate: Some(12.0),
                retained_share: Some(0.1),
                ..GroupTopicLag::default()
            });
        }
    }
    v
}

fn bench(c: &mut Criterion) {
    let reg = Arc::new(registry());
    let view = sample(&reg);
    let setting = ktopo::core::join::Setting {
        environment: "production".into(),
        samples: 3,
        ..Default::default()
    };
    let scrape = |partitions| {
        Arc::new(Scrape {
            view: view.clone(),
            registry: Arc::clone(&reg),
            findings: Some(Vec::new()),
            sampler: SamplerHealth {
                up: true,
                rounds: 10,
                interval_s: 5.0,
                ..SamplerHealth::default()
            },
            partitions,
        })
    };
    let (plain, wide) = (scrape(false), scrape(true));
    let groups: std::collections::HashSet<&str> = view.groups.iter().map(|g| g.group.as_str()).collect();
    let parts: usize = view.groups.iter().map(|g| g.partitions.len()).sum();
    eprintln!(
        "{} groups, {} rows, {parts} group-partitions",
        groups.len(),
        view.groups.len()
    );
    for (name, s, f) in [
        ("openmetrics", &plain, Format::OpenMetrics),
        ("text", &plain, Format::Prometheus),
        ("text_partitions", &wide, Format::Prometheus),
    ] {
        let body = exposition::encode(Arc::clone(s), "eu", f, 0).unwrap();
        eprintln!(
            "{name}: {} bytes, {} series",
            body.len(),
            body.lines().filter(|l| !l.starts_with('#')).count()
        );
    }
    eprintln!("json: {} bytes", exposition::lag_json(&plain).len());
    let gz = exposition::encode_gzip(Arc::clone(&plain), "eu", Format::OpenMetrics, 0).unwrap();
    eprintln!("openmetrics_gzip: {} bytes", gz.len());

    let mut g = c.benchmark_group("serve_5k_groups");
    g.sample_size(10);
    g.bench_function("round_drift_counts", |b| {
        b.iter(|| {
            let d = ktopo::core::join::drift(&reg, &view, &setting, None);
            exposition::count_findings(&d.report)
        })
    });
    g.bench_function("round_publish_clone", |b| b.iter(|| Box::new(view.clone())));
    g.bench_function("scrape_openmetrics", |b| {
        b.iter(|| exposition::encode(Arc::clone(&plain), "eu", Format::OpenMetrics, 0).unwrap())
    });
    // What serve does for Prometheus (Accept-Encoding: gzip), against the plain encoding above.
    g.bench_function("scrape_openmetrics_gzip", |b| {
        b.iter(|| exposition::encode_gzip(Arc::clone(&plain), "eu", Format::OpenMetrics, 0).unwrap())
    });
    g.bench_function("scrape_text", |b| {
        b.iter(|| exposition::encode(Arc::clone(&plain), "eu", Format::Prometheus, 0).unwrap())
    });
    g.bench_function("scrape_text_partitions", |b| {
        b.iter(|| exposition::encode(Arc::clone(&wide), "eu", Format::Prometheus, 0).unwrap())
    });
    g.bench_function("scrape_json", |b| b.iter(|| exposition::lag_json(&plain)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
