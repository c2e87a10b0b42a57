//! What the observed-events checks cost: the last 10 messages of every partition of
//! 1,000 topics x 10 partitions (librdkafka's mock cluster, 3 brokers, envelope
//! messages of about 500 bytes, 20 a partition), read by the sampler's one client the
//! way `peek` reads (no group), then checked against the registry.
//!
//! Run: `cargo bench --bench observe`. Median of 5 reads.

use ktopo::cluster::kafka::config::Properties;
use ktopo::cluster::kafka::sampler::{Sampler, Watch};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::ClientConfig;
use std::time::{Duration, Instant};

const TOPICS: usize = 1_000;
const PARTITIONS: i32 = 10;
const PER_PARTITION: usize = 20;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let text = ktopo::core::synthetic::registry(200, TOPICS);
    let reg = ktopo::core::registry::load_str("synthetic.yaml", text)
        .registry
        .expect("valid");
    let producer: BaseProducer = ClientConfig::new()
        .set("test.mock.num.brokers", "3")
        .set("linger.ms", "5")
        .create()
        .expect("mock cluster");
    let bootstrap = producer.client().mock_cluster().expect("mock").bootstrap_servers();
    let names: Vec<(String, i32)> = reg.topics.iter().map(|t| (t.name.clone(), PARTITIONS)).collect();
    ktopo::cluster::kafka::admin::create_mock_topics(producer.client(), &names).expect("topics");
    let began = Instant::now();
    for t in &reg.topics {
        let event = t.events.first().map_or("demo", |e| e.name.as_str());
        for p in 0..PARTITIONS {
            for i in 0..PER_PARTITION {
                let v = format!(
                    r#"{{"event_id":"0b7f6c1e-2f4a-4d1e-9a51-{i:012}","event_type":"{event}","timestamp":"2026-11-30T05:00:00.000Z","tenant_id":"5d2c1a3e-8b7f-4c6d-9e0a-1b2c3d4e5f60","organization_id":"6e3d2b4f-9c8a-4d7e-8f1b-2c3d4e5f6a71","source_service":"s0","version":"1.0.0","payload":{{"n":{i},"note":"padding padding padding padding padding padding"}},"metadata":{{"correlation_id":"7f4e3c5a-0d9b-4e8f-9a2c-3d4e5f6a7b82"}}}}"#
                );
                while producer
                    .send(BaseRecord::<(), _>::to(&t.name).partition(p).payload(&v))
                    .is_err()
                {
                    producer.poll(Duration::from_millis(10));
                }
            }
        }
        producer.poll(Duration::ZERO);
    }
    producer.flush(Duration::from_secs(120)).expect("flush");
    println!(
        "cluster: {TOPICS} topics x {PARTITIONS} partitions, {} messages, written in {:.1} s",
        TOPICS * PARTITIONS as usize * PER_PARTITION,
        began.elapsed().as_secs_f64()
    );
    let mut props = Properties::default();
    props.set("bootstrap.servers", &bootstrap);
    let watch = Watch {
        tails_of: reg.topics.iter().map(|t| t.name.clone()).collect(),
        tail_len: 10,
        ..Watch::default()
    };
    let mut reads = Vec::new();
    let mut checks = Vec::new();
    let (mut messages, mut bytes, mut found) = (0, 0, 0);
    for _ in 0..5 {
        let mut s = Sampler::new(props.clone(), watch.clone()).expect("sampler");
        s.timeout = Duration::from_secs(30);
        s.sample().expect("sample");
        let base = Instant::now();
        s.sample().expect("sample");
        let plain = base.elapsed();
        let t = Instant::now();
        let raw = s.sample().expect("sample");
        // The third round reads the tails: its cost beyond a plain round.
        reads.push(t.elapsed().saturating_sub(plain));
        let tails = raw.tails.expect("tails on the third round");
        messages = tails.iter().map(|(_, m)| m.len()).sum::<usize>();
        bytes = tails.iter().flat_map(|(_, m)| m).map(|m| m.value_len).sum::<usize>();
        let c = Instant::now();
        found = ktopo::core::drift::rules::observed(&reg, &tails).len();
        checks.push(c.elapsed());
    }
    reads.sort();
    checks.sort();
    println!(
        "tails: {messages} messages, {:.1} MB of values read in {:.0} ms (median of 5, beyond a plain round); checked in {:.0} ms ({found} findings)",
        bytes as f64 / 1e6,
        reads[2].as_secs_f64() * 1e3,
        checks[2].as_secs_f64() * 1e3
    );
}
