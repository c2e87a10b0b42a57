//! Drift of a 10,000-topic registry against a cluster of the same 10,000 topics
//! (librdkafka's mock cluster, 3 brokers, 3 partitions a topic, every declared group
//! committed on all but every seventh topic), set against one lag sample of the same
//! cluster in the same run:
//! - lag: one `Sampler::sample` (metadata, log ends and starts, committed offsets of
//!   every declared group) turned into the live picture;
//! - drift: the same, plus the cluster facts and the comparison (`ktopo drift` does
//!   exactly this per round; the registry's positions come with the model).
//!
//! Median of 5 rounds after one warm-up round. Run: `cargo bench --bench drift`.

mod common;
use common::median;
use ktopo::cluster::kafka::admin::{Admin, GroupCommit};
use ktopo::cluster::kafka::config::Properties;
use ktopo::cluster::kafka::sampler::Sampler;
use ktopo::core::drift::facts::Facts;
use ktopo::core::drift::rules::{self, Options};
use ktopo::core::live::metrics::Metrics;
use rdkafka::producer::{BaseProducer, Producer};
use rdkafka::ClientConfig;
use std::time::{Duration, Instant};

const RUNS: usize = 5;
const TOPICS: usize = 10_000;
const PARTITIONS: i32 = 3;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let text = ktopo::core::synthetic::registry(2_000, TOPICS);
    let checked = ktopo::core::registry::load_str("synthetic.yaml", text);
    let reg = checked.registry.as_ref().expect("valid");

    let producer: BaseProducer = ClientConfig::new()
        .set("test.mock.num.brokers", "3")
        .create()
        .expect("mock cluster");
    let mock = producer.client().mock_cluster().expect("mock cluster");
    let bootstrap = mock.bootstrap_servers();
    let began = Instant::now();
    let names: Vec<(String, i32)> = reg.topics.iter().map(|t| (t.name.clone(), PARTITIONS)).collect();
    ktopo::cluster::kafka::admin::create_mock_topics(producer.client(), &names).expect("topics");
    let mut watch = ktopo::cluster::connect::watch(reg);
    // Message tails are read once a minute, not per round: measured in benches/observe.rs.
    watch.tails_of.clear();
    let admin = Admin::create(ClientConfig::new().set("bootstrap.servers", &bootstrap)).expect("admin");
    let commits: Vec<GroupCommit> = watch
        .groups
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 7 != 0)
        .map(|(_, w)| {
            (
                w.group.clone(),
                (0..PARTITIONS).map(|p| (w.topic.as_str(), p, 0)).collect(),
            )
        })
        .collect();
    for r in admin.alter_group_offsets(&commits, Duration::from_secs(120)) {
        r.expect("commit");
    }
    println!(
        "cluster: {TOPICS} topics x {PARTITIONS} partitions, {} declared group-topic pairs ({} committed), set up in {:.1} s",
        watch.groups.len(),
        commits.len(),
        began.elapsed().as_secs_f64()
    );

    let mut props = Properties::default();
    props.set("bootstrap.servers", &bootstrap);
    let mut sampler = Sampler::new(props, watch).expect("sampler");
    sampler.timeout = Duration::from_secs(60);
    // The mock cluster never answers DescribeConfigs (a real one would, every 5 min).
    sampler.configs_unserved = Some("not served by the mock cluster".into());
    let opts = Options {
        environment: "development".into(),
        environment_chosen: true,
        now_ms: ktopo::core::time::now_ms(),
    };
    let mut metrics = Metrics::new("mock", 1.0);
    let (mut lag, mut drift, mut compare) = (Vec::new(), Vec::new(), Vec::new());
    let mut found = 0;
    for round in 0..=RUNS {
        // Lag: one sample into the live picture.
        let t = Instant::now();
        let raw = sampler.sample().expect("sample");
        let now = raw.time_s;
        metrics.absorb(raw);
        let view = metrics.view(now);
        let lag_ms = t.elapsed();
        // Drift: the same sample, then facts and the comparison.
        let t = Instant::now();
        let raw = sampler.sample().expect("sample");
        let now = raw.time_s;
        metrics.absorb(raw);
        let view2 = metrics.view(now);
        let c = Instant::now();
        let facts = Facts::from_live(&view2, 2);
        found = rules::compute(reg, &facts, &opts).findings.len();
        let compare_ms = c.elapsed();
        let drift_ms = t.elapsed();
        drop(view);
        if round > 0 {
            lag.push(lag_ms);
            drift.push(drift_ms);
            compare.push(compare_ms);
        }
    }
    let (l, d) = (median(lag), median(drift));
    println!(
        "one lag sample {l:.0} ms; one drift round {d:.0} ms (of which facts and comparison {:.0} ms, {found} findings): drift/lag = {:.2}x",
        median(compare),
        d / l
    );
}
