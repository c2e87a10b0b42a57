//! The embedded demo cluster: librdkafka's mock cluster (3 brokers on 127.0.0.1) with
//! every registry topic created, simulated producers writing at their own rates and
//! simulated consumer groups committing through the real Kafka protocol, so the demo
//! runs exactly the sampler code a real cluster runs.
//!
//! The scenario shows every status at once: healthy groups, one falling behind (WARN),
//! one stalled (STALL), one stopped (STOP), one that never committed, an idle topic, and
//! a deprecated topic still receiving residual traffic from a producer that has not
//! migrated. The mock cluster is not `Send`, so it lives on the demo thread.

use super::admin::{create_mock_topics, Admin, AdminError, GroupCommit};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::ClientConfig;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Keeps up with the head.
    Healthy,
    /// Consumes at 60% of the produce rate: lag grows (WARN).
    Behind,
    /// Stuck at one offset, crawling forward once in a long while (STALL).
    Stalled,
    /// Committed once at start, then nothing (STOP).
    Stopped,
    /// Never commits ("no commit").
    Silent,
}

impl Behaviour {
    /// What a simulated consumer commits on a partition whose log end is `head`, `elapsed`
    /// seconds into the demo, having committed `pos` (`started`: it committed before); None
    /// when it commits nothing this round. Pure, so the scenario is tested on a scripted
    /// clock.
    pub fn commit(self, head: i64, elapsed: f64, pos: i64, started: bool) -> Option<i64> {
        match self {
            Behaviour::Healthy => Some(head),
            Behaviour::Behind => Some((head as f64 * 0.6) as i64),
            // Crawls one message forward every 30 s: alive, but stuck.
            Behaviour::Stalled => Some(((elapsed / 30.0) as i64).min(head)),
            Behaviour::Stopped => (!started).then_some(pos),
            Behaviour::Silent => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SimTopic {
    pub name: String,
    pub partitions: i32,
    pub rate: f64,
    /// Message values written in turn (`{seq}` is replaced by a sequence number);
    /// empty: a small JSON record.
    pub messages: Vec<String>,
    /// Writes them in the Schema Registry wire format, where the registry declares a subject.
    pub encoder: Option<crate::cluster::demo_schemas::Encoder>,
}

impl SimTopic {
    /// Messages written before the demo is ready: one cycle on a written topic.
    pub fn backlog(&self) -> usize {
        if self.rate > 0.0 {
            self.messages.len()
        } else {
            0
        }
    }
}

#[derive(Debug, Clone)]
pub struct SimGroup {
    pub group: String,
    pub topic: String,
    pub behaviour: Behaviour,
}

#[derive(Debug, Clone)]
pub struct Scenario {
    pub topics: Vec<SimTopic>,
    pub groups: Vec<SimGroup>,
    /// The schemas the demo's Schema Registry serves, where the registry declares subjects.
    pub schemas: Option<crate::cluster::demo_schemas::Schemas>,
}

/// Why the demo cluster did not start.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot start the demo thread: {0}")]
    Thread(std::io::Error),
    #[error("the demo cluster did not start within 30 s")]
    Timeout,
    #[error("cannot start the mock cluster: {0}")]
    Mock(rdkafka::error::KafkaError),
    #[error("librdkafka did not create a mock cluster")]
    NoMockCluster,
    #[error(transparent)]
    Topics(#[from] AdminError),
    #[error("cannot create the demo consumers' client: {0}")]
    Consumers(rdkafka::error::KafkaError),
}

/// A running demo cluster; dropping it stops the simulation and the brokers.
pub struct Demo {
    pub bootstrap: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Demo {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Demo {
    pub fn start(scenario: Scenario) -> Result<Demo, DemoError> {
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = std::sync::mpsc::channel();
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("ktopo-demo".into())
            .spawn(move || run(scenario, flag, tx))
            .map_err(DemoError::Thread)?;
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(Ok(bootstrap)) => Ok(Demo {
                bootstrap,
                stop,
                thread: Some(thread),
            }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(DemoError::Timeout),
        }
    }
}

struct SimConsumer {
    group: SimGroup,
    partitions: i32,
    /// What this consumer has "processed" per partition.
    position: Vec<i64>,
    started: bool,
}

/// Write the next message of `t`'s cycle to its next partition (round-robin).
fn write(
    producer: &BaseProducer,
    t: &SimTopic,
    produced: &mut HashMap<String, Vec<i64>>,
    next_p: &mut HashMap<String, i32>,
) {
    let p = next_p.entry(t.name.clone()).or_default();
    *p = (*p + 1) % t.partitions;
    let seq = produced[&t.name].iter().sum::<i64>();
    let payload = match t.messages.len() {
        0 => format!("{{\"event_type\":\"demo\",\"seq\":{seq}}}").into_bytes(),
        n => {
            let text = t.messages[seq as usize % n].replace("{seq}", &format!("{:012}", seq % 1_000_000_000_000));
            match &t.encoder {
                Some(e) => e.encode(seq as usize % n, &text),
                None => text.into_bytes(),
            }
        }
    };
    if producer
        .send(BaseRecord::<(), [u8]>::to(&t.name).partition(*p).payload(&payload[..]))
        .is_ok()
    {
        produced.get_mut(&t.name).expect("every topic is tracked")[*p as usize] += 1;
    }
}

fn run(scenario: Scenario, stop: Arc<AtomicBool>, ready: std::sync::mpsc::Sender<Result<String, DemoError>>) {
    let producer: BaseProducer = match ClientConfig::new()
        .set("test.mock.num.brokers", "3")
        .set("linger.ms", "20")
        .set("client.id", "ktopo-demo-producer")
        .create()
    {
        Ok(p) => p,
        Err(e) => {
            let _ = ready.send(Err(DemoError::Mock(e)));
            return;
        }
    };
    let Some(mock) = producer.client().mock_cluster() else {
        let _ = ready.send(Err(DemoError::NoMockCluster));
        return;
    };
    let wanted: Vec<(String, i32)> = scenario.topics.iter().map(|t| (t.name.clone(), t.partitions)).collect();
    if let Err(e) = create_mock_topics(producer.client(), &wanted) {
        let _ = ready.send(Err(e.into()));
        return;
    }
    let bootstrap = mock.bootstrap_servers();
    // One handle commits for every simulated group (AlterConsumerGroupOffsets, the
    // standalone commit of the Admin API), however many groups the registry declares.
    let committer = match Admin::create(
        ClientConfig::new()
            .set("bootstrap.servers", &bootstrap)
            .set("client.id", "ktopo-demo-consumers"),
    ) {
        Ok(c) => c,
        Err(e) => {
            let _ = ready.send(Err(DemoError::Consumers(e)));
            return;
        }
    };
    let mut consumers: Vec<SimConsumer> = Vec::new();
    for g in &scenario.groups {
        let Some(t) = scenario.topics.iter().find(|t| t.name == g.topic) else {
            continue;
        };
        consumers.push(SimConsumer {
            group: g.clone(),
            partitions: t.partitions,
            position: vec![0; t.partitions as usize],
            started: false,
        });
    }
    let mut produced: HashMap<String, Vec<i64>> = scenario
        .topics
        .iter()
        .map(|t| (t.name.clone(), vec![0; t.partitions as usize]))
        .collect();
    let mut next_p: HashMap<String, i32> = HashMap::new();
    // Every written topic starts with one whole cycle of its messages, so the first
    // messages sampled already show each event type and each deliberate fault.
    for t in &scenario.topics {
        for _ in 0..t.backlog() {
            write(&producer, t, &mut produced, &mut next_p);
        }
    }
    let _ = producer.flush(Duration::from_secs(5));
    let _ = ready.send(Ok(bootstrap));

    let start = Instant::now();
    let tick = Duration::from_millis(250);
    let mut owed: HashMap<String, f64> = HashMap::new();
    let mut ticks: u64 = 0;
    while !stop.load(Ordering::Relaxed) {
        let began = Instant::now();
        for t in &scenario.topics {
            let o = owed.entry(t.name.clone()).or_default();
            *o += t.rate * tick.as_secs_f64();
            while *o >= 1.0 {
                *o -= 1.0;
                write(&producer, t, &mut produced, &mut next_p);
            }
        }
        producer.poll(Duration::ZERO);
        // Consumers commit about once a second, each the way its behaviour says.
        if ticks.is_multiple_of(4) {
            let _ = producer.flush(Duration::from_millis(500));
            let elapsed = start.elapsed().as_secs_f64();
            let mut commits: Vec<GroupCommit> = Vec::new();
            for c in &mut consumers {
                let heads = &produced[&c.group.topic];
                let mut commit = true;
                for (pos, &head) in c.position.iter_mut().zip(heads) {
                    match c.group.behaviour.commit(head, elapsed, *pos, c.started) {
                        Some(p) => *pos = p,
                        None => commit = false,
                    }
                }
                if commit {
                    let offsets = (0..c.partitions)
                        .map(|p| (c.group.topic.as_str(), p, c.position[p as usize]))
                        .collect();
                    commits.push((c.group.group.clone(), offsets));
                    c.started = true;
                }
            }
            // Standalone commits: the simulated consumers never join their groups.
            let _ = committer.alter_group_offsets(&commits, Duration::from_secs(2));
        }
        ticks += 1;
        if let Some(rest) = tick.checked_sub(began.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    let _ = producer.flush(Duration::from_secs(1));
    drop(mock);
}
