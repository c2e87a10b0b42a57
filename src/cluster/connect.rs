//! Choosing the cluster: a real one from `-b/-X/-F`, the embedded demo cluster when
//! none is configured, or none with `--offline`. Shared by the TUI and `ktopo lag`.

use crate::cluster::kafka::admin::ClientError;
use crate::cluster::kafka::config::{ConfigError, Properties};
use crate::cluster::kafka::demo::{Demo, DemoError};
use crate::cluster::kafka::sampler::{Sampler, Watch, Watched};
use crate::core::live::session::{Pace, Source};
use crate::core::registry::{Registry, Status};
use crate::core::sample::RawSample;
use std::path::PathBuf;
use std::time::Duration;

/// How to reach the cluster (kcat's conventions). Without a broker, ktopo starts an
/// embedded demo cluster; `--offline` uses none.
#[derive(Debug, Clone, clap::Args)]
pub struct ConnArgs {
    /// Bootstrap brokers, e.g. `127.0.0.1:9092`.
    #[arg(short = 'b', long, global = true, env = "KTOPO_BROKERS")]
    pub brokers: Option<String>,
    /// librdkafka property `key=value` (repeatable), e.g. `-X security.protocol=SASL_SSL`.
    #[arg(short = 'X', global = true, value_name = "KEY=VALUE")]
    pub properties: Vec<String>,
    /// librdkafka properties file (`key=value` lines, `#` comments).
    #[arg(short = 'F', long = "config", global = true, value_name = "FILE")]
    pub config_file: Option<PathBuf>,
    /// Seconds between samples [default: 5, or 2 with the demo cluster].
    #[arg(long, global = true)]
    pub interval: Option<f64>,
    /// Schema Registry URL, to decode wire-format records (also `schema.registry.url`
    /// in -X/-F; credentials: `schema.registry.basic.auth.user.info`,
    /// `schema.registry.bearer.auth.token`; TLS: `schema.registry.ssl.ca.location`,
    /// `schema.registry.ssl.certificate.location`, `schema.registry.ssl.key.location`).
    #[arg(
        long,
        global = true,
        env = "KTOPO_SCHEMA_REGISTRY",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub schema_registry: Option<String>,
    /// Kafka Connect REST URL, `[NAME=]URL` (repeatable, or comma-separated in
    /// KTOPO_CONNECT), e.g. `--connect cdc=http://connect:8083`; read with GETs only.
    /// Credentials: `connect.basic.auth.user.info` (or `connect.NAME.…`) in -X/-F, or the
    /// URL's user info; TLS: `connect.ssl.ca.location`, `connect.ssl.certificate.location`,
    /// `connect.ssl.key.location`.
    #[arg(
        long,
        global = true,
        env = "KTOPO_CONNECT",
        hide_env_values = true,
        value_delimiter = ',',
        value_name = "[NAME=]URL"
    )]
    pub connect: Vec<String>,
    /// No broker at all: registry only.
    #[arg(long, global = true)]
    pub offline: bool,
    /// The name shown for the cluster instead of its brokers (a context's `cluster`).
    #[arg(skip)]
    pub label: Option<String>,
    /// The context these settings came from, shown in the TUI's header.
    #[arg(skip)]
    pub context: Option<String>,
}

/// The consumer groups the registry declares (explicit ids, else the convention) on
/// topics that can exist: what the sampler watches. The registry and Kafka meet here.
pub fn watched_groups(reg: &Registry) -> Vec<Watched> {
    let mut out: Vec<Watched> = reg
        .declared_groups()
        .into_iter()
        .filter(|(_, t)| reg.topics[*t].status != Status::Proposed)
        .map(|(c, t)| Watched {
            group: c.group.clone().unwrap_or_default(),
            topic: reg.topics[t].name.clone(),
            service: Some(reg.services[c.service].key.clone()),
            // A consumer that keeps offsets outside Kafka is shown only where it has
            // commits anyway; it is never expected to.
            probe: !c.commits,
        })
        .collect();
    // Who must still migrate: each consumer of a replacement topic, looked for on the
    // deprecated topic under the convention (clusters that cannot list groups show
    // them only this way).
    let Some(format) = reg.conventions.group_format() else {
        return out;
    };
    for t in reg.topics.iter().filter(|t| t.status == Status::Deprecated) {
        let Some(new) = t.replaced_by().and_then(|r| reg.topic(r)) else {
            continue;
        };
        for c in &new.consumers {
            let key = &reg.services[c.service].key;
            out.push(Watched {
                group: crate::core::registry::model::group_id(format, key, &t.name),
                topic: t.name.clone(),
                service: Some(key.clone()),
                probe: true,
            });
        }
    }
    out
}

/// Messages read per partition, every minute, for the observed-events checks.
pub const TAIL_LEN: u32 = 10;

/// What the sampler watches for this registry: its groups, and the last writes of its
/// deprecated topics (who still writes to them?).
pub fn watch(reg: &Registry) -> Watch {
    // Topics that can exist on the cluster: their configs and messages are read.
    let existing: Vec<String> = reg
        .topics
        .iter()
        .filter(|t| t.status != Status::Proposed)
        .map(|t| t.name.clone())
        .collect();
    Watch {
        groups: watched_groups(reg),
        last_write: reg
            .topics
            .iter()
            .filter(|t| t.status == Status::Deprecated)
            .map(|t| t.name.clone())
            .collect(),
        configs_of: existing.clone(),
        tails_of: existing,
        tail_len: TAIL_LEN,
        schemas: reg
            .topics
            .iter()
            .filter(|t| t.status != Status::Proposed)
            .flat_map(|t| {
                use crate::core::sample::schemas::{Declared, Part};
                let value = t.declared_subject().map(|subject| Declared {
                    topic: t.name.clone(),
                    part: Part::Value,
                    subject,
                });
                let key = t.declared_key_subject().map(|subject| Declared {
                    topic: t.name.clone(),
                    part: Part::Key,
                    subject,
                });
                value.into_iter().chain(key)
            })
            .collect(),
    }
}

/// What the sampler watches on the demo cluster: `watch`, and the groups the demo
/// names for consumers without a group id (`demo_scenario::named_groups`), so a
/// registry whose convention is `unknown` shows its consumers too.
pub fn demo_watch(reg: &Registry) -> Watch {
    let mut w = watch(reg);
    let named = crate::cluster::demo_scenario::named_groups(reg, &w.groups);
    w.groups.extend(named);
    w
}

/// What to watch for a registry: the demo's groups too on the demo cluster.
pub fn watch_for(reg: &Registry, demo: bool) -> Watch {
    if demo {
        demo_watch(reg)
    } else {
        watch(reg)
    }
}

/// A cluster to sample, and the demo that must stay alive while it is used.
pub struct Connection {
    pub sampler: Sampler,
    /// "demo cluster" or the bootstrap servers.
    pub label: String,
    pub interval: Duration,
    pub demo: Option<Demo>,
    /// The client properties in use (bootstrap servers included), for other requests.
    pub props: Properties,
    /// The Connect clusters, for a one-shot command to read itself (`Reads::Once`);
    /// empty when the sampler's watch reads them.
    pub kafka_connect: Unwatched,
}

/// How the Connect clusters are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// Every 30 s by the sampler's `ConnectWatch`, off its thread: the long sessions
    /// (the TUI, `serve`, `lag --watch`).
    Watched,
    /// Not by the sampler: a one-shot command reads every cluster once, synchronously
    /// (`Unwatched::read`), so it reads each endpoint once and its output never
    /// depends on how fast a worker answers.
    Once,
}

/// Connect clusters no watch reads, and what must live while they are read (the
/// demo's worker).
#[derive(Default)]
pub struct Unwatched {
    pub clusters: Vec<crate::cluster::kafka_connect::settings::Settings>,
    _keep: Option<Box<dyn Send>>,
}

impl Unwatched {
    /// Every cluster read once, now; None without a cluster.
    pub fn read(&self) -> Option<std::sync::Arc<crate::core::connectors::live::Live>> {
        if self.clusters.is_empty() {
            return None;
        }
        let began = std::time::Instant::now();
        let at_ms = crate::core::time::now_ms();
        let reads = crate::cluster::kafka_connect::clusters::read_all(self.clusters.clone());
        let took_ms = began.elapsed().as_millis() as u64;
        Some(std::sync::Arc::new(crate::core::connectors::live::Live::new(
            reads, at_ms, took_ms, None,
        )))
    }
}

impl Connection {
    /// The sampling pace: the first three rounds quick, so rates and statuses show soon.
    pub fn pace(&self) -> Pace {
        Pace {
            interval: self.interval,
            quick_rounds: 3,
        }
    }
}

/// The live loop samples the cluster through the sampler.
impl Source for Sampler {
    type Watch = Watch;
    type Error = ClientError;
    fn sample(&mut self) -> Result<RawSample, ClientError> {
        Sampler::sample(self)
    }
    fn now_s(&self) -> f64 {
        Sampler::now_s(self)
    }
    fn set_watch(&mut self, watch: Watch) {
        Sampler::set_watch(self, watch)
    }
}

pub fn properties(conn: &ConnArgs) -> Result<Properties, ConnectError> {
    let mut p = Properties::default();
    if let Some(f) = &conn.config_file {
        p.read_file(f)?;
    }
    for kv in &conn.properties {
        p.parse_one(kv, "-X")?;
    }
    if let Some(u) = &conn.schema_registry {
        p.set(crate::cluster::schema_registry::settings::URL, u);
    }
    if let Some(b) = &conn.brokers {
        if b.trim().is_empty() {
            return Err(ConnectError::EmptyBrokers);
        }
        p.set("bootstrap.servers", b);
    }
    if let Some(b) = p.get("bootstrap.servers") {
        check_brokers(b)?;
    }
    Ok(p)
}

/// Every `host:port` of a broker list has a port librdkafka will really use: it takes
/// a port number modulo 65536 (`127.0.0.1:191215` would reach port 60143).
pub fn check_brokers(list: &str) -> Result<(), ConnectError> {
    for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let addr = entry.rsplit_once("://").map_or(entry, |(_, a)| a);
        // `user:password@host`: librdkafka takes no credentials there, and the
        // entry would be shown (headers, labels, errors): refused, never echoed.
        if addr.contains('@') {
            return Err(ConnectError::UserInfo);
        }
        // `[::1]:9092`, `host:9092`, or a bare host (librdkafka's default port).
        let port = match addr.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(':') && (!addr.starts_with('[') || host.ends_with(']')) => port,
            _ => continue,
        };
        if !matches!(port.parse::<u32>(), Ok(1..=65535)) {
            return Err(ConnectError::NotAPort {
                entry: crate::core::visible::one_line(entry).into_owned(),
                port: crate::core::visible::one_line(port).into_owned(),
            });
        }
    }
    Ok(())
}

/// Why there is no cluster to sample: the user's settings, or the cluster itself.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Bad `-X/-F` input.
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("-b/--brokers is empty: give host:port[,host:port…], or leave it out for the demo cluster")]
    EmptyBrokers,
    /// A broker whose port librdkafka would not really use (both made visible).
    #[error("broker `{entry}`: `{port}` is not a port (1 to 65535); write host:port")]
    NotAPort { entry: String, port: String },
    #[error("a broker address holds `user@` or `user:password@`: librdkafka takes no credentials there; give host:port and set sasl.username/sasl.password with -X or -F")]
    UserInfo,
    #[error("--interval must be between 0.1 and 86400 seconds, got {0}")]
    Interval(f64),
    /// The client could not be created: client creation rejects only its settings.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// An unusable `schema.registry.url`.
    #[error(transparent)]
    SchemaRegistry(#[from] crate::cluster::schema_registry::settings::SettingsError),
    /// An unusable `--connect` value.
    #[error(transparent)]
    KafkaConnect(#[from] crate::cluster::kafka_connect::settings::SettingsError),
    /// The demo cluster could not start.
    #[error(transparent)]
    Demo(#[from] DemoError),
    /// A thread (the Connect reader) could not start.
    #[error("cannot start a thread: {0}")]
    Thread(String),
}

impl ConnectError {
    /// The user's settings are a usage error; a demo cluster that cannot start, the
    /// cluster's.
    pub fn exit_code(&self) -> i32 {
        match self {
            ConnectError::Demo(_) | ConnectError::Thread(_) => crate::core::exit::CLUSTER,
            _ => crate::core::exit::USAGE,
        }
    }
}

/// A long session's connection (`Reads::Watched`); Ok(None) for `--offline`.
pub fn connect(conn: &ConnArgs, reg: &Registry) -> Result<Option<Connection>, ConnectError> {
    open(conn, reg, Reads::Watched)
}

/// Ok(None) for `--offline`.
pub fn open(conn: &ConnArgs, reg: &Registry, reads: Reads) -> Result<Option<Connection>, ConnectError> {
    if conn.offline {
        return Ok(None);
    }
    let mut props = properties(conn)?;
    crate::cluster::schema_registry::settings::from_properties(&props)?;
    let mut connect = crate::cluster::kafka_connect::settings::from_args(&conn.connect, &props)?;
    // Checked before anything starts: Duration::from_secs_f64 panics on huge values.
    if let Some(i) = conn.interval {
        if !(i.is_finite() && (0.1..=86_400.0).contains(&i)) {
            return Err(ConnectError::Interval(i));
        }
    }
    let demo_wanted = props.get("bootstrap.servers").is_none();
    let watch = watch_for(reg, demo_wanted);
    let mut keep: Option<Box<dyn Send>> = None;
    let (label, demo, default_interval) = match props.get("bootstrap.servers") {
        Some(b) => (conn.label.clone().unwrap_or_else(|| b.to_string()), None, 5.0),
        None => {
            let mut scenario = crate::cluster::demo_scenario::for_registry(reg, &watch.groups);
            let schema_registry = crate::cluster::demo_schema_registry::start(&mut scenario);
            let demo = Demo::start(scenario)?;
            props.set("bootstrap.servers", &demo.bootstrap);
            // The demo's records decode with the demo's registry, unless one was given.
            let url = crate::cluster::schema_registry::settings::URL;
            if let (Some(u), None) = (schema_registry, props.get(url)) {
                props.set(url, &u);
            }
            // Its connectors, as if `--connect demo=URL` were given, unless one was.
            if connect.is_empty() {
                if let Some(server) = crate::cluster::demo_connect::start(reg) {
                    let value = format!("{}={}", crate::cluster::demo_connect::NAME, server.url);
                    connect = crate::cluster::kafka_connect::settings::from_args(&[value], &props)?;
                    keep = Some(Box::new(server));
                }
            }
            // The scenario unfolds faster when sampled every 2 s.
            ("demo cluster".to_string(), Some(demo), 2.0)
        }
    };
    let interval = conn.interval.unwrap_or(default_interval);
    let mut sampler = Sampler::new(props.clone(), watch)?;
    let mut kafka_connect = Unwatched::default();
    if !connect.is_empty() && reads == Reads::Watched {
        let watch = crate::cluster::kafka_connect::watch::ConnectWatch::start(connect, keep)
            .map_err(|e| ConnectError::Thread(e.to_string()))?;
        sampler.connect = Some(watch);
    } else {
        kafka_connect = Unwatched {
            clusters: connect,
            _keep: keep,
        };
    }
    if demo.is_some() {
        sampler.configs_unserved = Some("the demo cluster (librdkafka's mock) does not serve DescribeConfigs".into());
    }
    Ok(Some(Connection {
        sampler,
        label,
        interval: Duration::from_secs_f64(interval),
        demo,
        props,
        kafka_connect,
    }))
}
