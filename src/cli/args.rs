//! The command line's arguments (clap): every command and flag, with its help.

use crate::cluster::connect::ConnArgs;
use crate::core::export;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "ktopo",
    version,
    about = "Explore a Kafka platform's topology: the declared registry joined with live lag",
    after_help = crate::core::exit::TABLE
)]
pub struct Cli {
    /// Registry file to load.
    #[arg(
        short = 'r',
        long,
        global = true,
        env = "KTOPO_REGISTRY",
        default_value = "registry.yaml"
    )]
    pub registry: PathBuf,
    /// The context to use: a named cluster of the contexts file
    /// ($XDG_CONFIG_HOME/ktopo/config.yaml, ~/.config/ktopo/config.yaml, or KTOPO_CONFIG)
    /// [default: its current-context]. Flags override what it sets.
    #[arg(long, global = true, env = "KTOPO_CONTEXT", value_name = "NAME")]
    pub context: Option<String>,
    #[command(flatten)]
    pub conn: ConnArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the registry: every problem with file:line:col and a hint.
    /// Exit status 0 no errors, 1 errors, 3 unreadable or not YAML.
    Check {
        /// Findings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// What a change to a service, topic or event type affects, hop by hop.
    Impact(ImpactArgs),
    /// Write the topology as Graphviz DOT, a Mermaid flowchart or JSON.
    Export(ExportArgs),
    /// Consumer lag of every watched group, like kafka-consumer-groups.sh --describe.
    /// Exit status 1 when --fail-on trips (a group at the threshold, unreadable, or not
    /// evaluated within --max-wait), 4 when the cluster cannot be reached.
    Lag(LagArgs),
    /// Kafka Connect connectors (--connect): type, class, state, each task's state and
    /// worker, a failed task's trace (its first line; whole in --json), topics, the
    /// owning service, a sink's group with its lag and status. Exit status 0 every
    /// connector healthy, 1 one is not (the connector or a task not RUNNING) or a
    /// Connect cluster is unread, 2 no --connect, 4 no Connect cluster answered.
    Connectors(ConnectorsArgs),
    /// Where the registry and the cluster disagree: topics, configuration, consumers,
    /// deprecated topics in use. Exit status 0 nothing at or above --fail-on, 1
    /// findings, 3 the registry or 4 the cluster could not be read.
    Drift(DriftArgs),
    /// The last messages of a topic, strictly read-only (no group, no commit), like
    /// `kcat -C -o -N -e`.
    Peek(PeekArgs),
    /// Serve Prometheus metrics of the live picture joined with the registry: lag,
    /// status, owners, declared consumers that do not exist, drift, the sampler's health
    /// (`/metrics`, `/readyz`, `/healthz`, `/api/lag`). Runs until interrupted. Exit
    /// status 2 when --listen is not an address or cannot be bound, 3 the registry or 4
    /// the demo cluster cannot be used.
    Serve(ServeArgs),
    /// What a registry change breaks for consumers: OLD and NEW are files or `REV:PATH`
    /// read from git (`ktopo diff main:registry.yaml registry.yaml`). Exit status 0
    /// nothing at or above --fail-on, 1 changes at or above it, 3 a side unusable.
    Diff(DiffArgs),
    /// Make a registry from other descriptions of the platform.
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// The contexts of the contexts file, the current one marked (secrets only as the
    /// reference that reads them). Exit status 2 when the file cannot be used.
    #[command(after_help = crate::cli::contexts_list::EXAMPLE)]
    Contexts {
        #[arg(long)]
        json: bool,
    },
    /// Draft a registry from a live cluster, read-only: every topic with its partitions,
    /// replication, retention and compression, services guessed from consumer group
    /// names and from a field of sampled messages, connectors from --connect (GETs
    /// only) with their owners guessed, every guess marked in a comment.
    /// Exit status 2 without a cluster, 3 when the --merge registry cannot be used, 4
    /// when the cluster cannot be read.
    Init(InitArgs),
    /// Print the JSON Schema of the registry format (for yaml-language-server).
    Schema {
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// AsyncAPI 2.x and 3.0 documents (YAML or JSON), one per service or one for all,
    /// merged into one registry. What a registry cannot hold is listed on stderr and
    /// in a comment at the top. Exit status 3 when a document cannot be read.
    Asyncapi {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Write the registry to this file (atomically) instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct LagArgs {
    /// Only groups matching this glob (`*` wildcard).
    #[arg(long)]
    pub group: Option<String>,
    /// Only topics matching this glob.
    #[arg(long)]
    pub topic: Option<String>,
    #[arg(long)]
    pub json: bool,
    /// Refresh every interval until interrupted (with --json: one JSON object per line).
    #[arg(long)]
    pub watch: bool,
    /// Exit 1 when any group is at this status or worse (IDLE, OK, WARN, NOCOMMIT, STALL,
    /// REWIND, MISSING, STOP, LOST) or has more lag than this number of messages; also
    /// when a group cannot be read, is read only partly, or has no verdict within
    /// --max-wait. With --watch: exit at the first trip.
    #[arg(long, value_name = "STATUS|LAG")]
    pub fail_on: Option<crate::core::lag_report::FailOn>,
    /// Samples to take before reporting (rates and statuses need more than one).
    #[arg(long, default_value_t = 3)]
    pub samples: u32,
    /// With --fail-on: keep sampling until every group has a verdict, for at most this
    /// many seconds (a consumer committing every 30 s needs about a minute).
    #[arg(long, value_name = "SECONDS", default_value_t = 90.0)]
    pub max_wait: f64,
}

#[derive(Debug, Args)]
pub struct ConnectorsArgs {
    #[arg(long)]
    pub json: bool,
    /// Only unhealthy connectors (the connector or a task not RUNNING); the summary
    /// still counts every one.
    #[arg(long)]
    pub failed: bool,
    /// Samples of the Kafka cluster for the sinks' group lag (statuses need two or more).
    #[arg(long, default_value_t = 2)]
    pub samples: u32,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to serve on, IP:PORT (0.0.0.0:9464 for every interface; port 0: any free
    /// port, printed at start).
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:9464")]
    pub listen: String,
    /// The `cluster` label on every series [default: the context's cluster name when its
    /// brokers are used, else the bootstrap servers, or `demo`].
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,
    /// Series per partition too (lag, committed, log start and end offsets): one per
    /// partition of each group, so many at thousands of groups.
    #[arg(long)]
    pub partitions: bool,
    /// Environment whose replication factor drift expects [default: production;
    /// development with the demo cluster].
    #[arg(long)]
    pub env: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Write the draft to this file (atomically) instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The field of JSON messages naming the service that wrote them (dotted for a
    /// nested one, `metadata.source`).
    #[arg(long, default_value = "source_service", value_name = "FIELD")]
    pub producer_field: String,
    /// Messages read per partition of each topic to find producers (0: none).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(0..=1000))]
    pub tail: u32,
    /// Add what the cluster has and this registry lacks to it (its comments and order
    /// kept): topics, services and connectors, and the consumer groups, producers and
    /// connectors of topics it declares; twice adds nothing more. The result goes to
    /// -o, or standard output.
    #[arg(long, value_name = "REGISTRY")]
    pub merge: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PeekArgs {
    pub topic: String,
    /// Messages per partition, from the end.
    #[arg(short = 'n', long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub last: u32,
    /// Only this partition.
    #[arg(short = 'p', long)]
    pub partition: Option<i32>,
    #[arg(long)]
    pub json: bool,
    /// The bytes as read: no Schema Registry decoding.
    #[arg(long)]
    pub raw: bool,
}

#[derive(Debug, Args)]
pub struct DriftArgs {
    #[arg(long)]
    pub json: bool,
    /// Exit 1 when a finding is at this severity or worse.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailSeverity,
    /// Environment whose replication factor is expected [default: production; development
    /// with the demo cluster].
    #[arg(long)]
    pub env: Option<String>,
    /// Samples to take (produce rates need two or more).
    #[arg(long, default_value_t = 3)]
    pub samples: u32,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FailSeverity {
    Error,
    Warning,
    Note,
}

#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// `service:ID`, `service:KEY`, `topic:NAME`, `event:TYPE`, or an unambiguous name.
    /// Optional with --live (then the whole platform).
    #[arg(required_unless_present = "live")]
    pub target: Option<String>,
    /// Sample the cluster (like `lag`) and report who serves stale data right now,
    /// because of which group, worst first: staleness propagated along the impact paths.
    #[arg(long)]
    pub live: bool,
    /// With --live: groups less than this many seconds behind do not count.
    #[arg(long, default_value_t = crate::core::stale::DEFAULT_MIN_S, value_name = "SECONDS", requires = "live")]
    pub min_stale: f64,
    /// With --live: samples to take (time lag needs two or more).
    #[arg(long, default_value_t = 3, requires = "live")]
    pub samples: u32,
    /// What feeds the target instead of what it feeds.
    #[arg(long, conflicts_with = "both")]
    pub upstream: bool,
    /// Both directions.
    #[arg(long)]
    pub both: bool,
    /// Stop after this many hops.
    #[arg(long)]
    pub depth: Option<usize>,
    #[arg(long)]
    pub json: bool,
    /// text, json, or markdown (a heading per hop, tables with each entry's path, owner
    /// and on-call, and who to call: for a design doc or a pull request comment).
    #[arg(long, value_enum, conflicts_with = "json")]
    pub format: Option<ImpactFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImpactFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The registry before the change: a file, or `REV:PATH` (`git show REV:PATH`).
    pub old: String,
    /// The registry after the change: a file, or `REV:PATH`.
    pub new: String,
    /// text, markdown (a pull request comment), json, or github (workflow annotations).
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// Exit 1 when a change is at this level or above.
    #[arg(long, value_enum, default_value = "breaking")]
    pub fail_on: crate::core::diff::Level,
    /// Sample the cluster (OLD's groups watched) and add what it shows: consumers still
    /// reading a removed topic, producers still writing to it, lag on a topic whose
    /// partitions shrink.
    #[arg(long)]
    pub live: bool,
    /// With --live: samples to take (produce rates need two or more).
    #[arg(long, default_value_t = 2, requires = "live")]
    pub samples: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
    Github,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: export::Format,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Draw only this target (`service:KEY`, `topic:NAME`, `event:TYPE`, a name) and
    /// what it feeds, as `impact` finds it.
    #[arg(long, value_name = "TARGET", conflicts_with = "domain")]
    pub focus: Option<String>,
    /// With --focus: stop after this many hops.
    #[arg(long, requires = "focus")]
    pub depth: Option<usize>,
    /// With --focus: what feeds the target instead.
    #[arg(long, requires = "focus", conflicts_with = "both")]
    pub upstream: bool,
    /// With --focus: both directions.
    #[arg(long, requires = "focus")]
    pub both: bool,
    /// Draw only this domain's services and topics (its id or name).
    #[arg(long, value_name = "DOMAIN")]
    pub domain: Option<String>,
    /// With --format svg: wrap a map wider than this many pixels onto strips stacked
    /// down the page (0: one strip, however wide).
    #[arg(long, value_name = "PX", default_value_t = crate::core::map::svg::PAGE_PX, value_parser = page_width)]
    pub page_width: u32,
}

fn page_width(s: &str) -> Result<u32, String> {
    let px: u32 = s.parse().map_err(|_| format!("{s:?} is not a number of pixels"))?;
    if px != 0 && px < 400 {
        return Err(format!(
            "{px} px is narrower than two columns of the map: use 400 or more, or 0 for no wrapping"
        ));
    }
    Ok(px)
}
