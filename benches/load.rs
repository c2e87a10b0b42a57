//! Load + check + build the graph for a 10,000-topic, 2,000-service registry, beside
//! the floor: a bare parse of the same text into plain serde structs with the same crate.

use criterion::{criterion_group, criterion_main, Criterion};
use serde::Deserialize;

#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainFile {
    conventions: serde_json::Value,
    domains: Vec<PlainDomain>,
    services: Vec<PlainService>,
    topics: Vec<PlainTopic>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainDomain {
    id: String,
    name: String,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainService {
    id: u32,
    key: String,
    name: String,
    domain: String,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainTopic {
    name: String,
    domain: String,
    purpose: String,
    producers: Vec<u32>,
    consumers: Vec<u32>,
    events: Vec<String>,
}

fn bench(c: &mut Criterion) {
    let text = ktopo::core::synthetic::registry(2_000, 10_000);
    eprintln!("registry: {} bytes", text.len());
    let mut g = c.benchmark_group("registry_10k_topics");
    g.sample_size(10);
    g.bench_function("floor_plain_serde_parse", |b| {
        b.iter(|| {
            serde_saphyr::from_str_with_options::<PlainFile>(&text, ktopo::core::registry::load::options()).unwrap()
        })
    });
    g.bench_function("load_check_graph", |b| {
        b.iter(|| {
            let c = ktopo::core::registry::load_str("bench.yaml", text.clone());
            assert_eq!(c.errors(), 0);
            ktopo::core::topology::Topology::build(c.registry.as_ref().unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
