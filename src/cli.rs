//! Command-line interface: argument definitions and dispatch to the shared core.

use crate::connect::ConnArgs;
use crate::diag;
use crate::export;
use crate::impact::{self, Dir};
use crate::live::view::LiveView;
use crate::registry::{self, Checked, Registry};
use crate::topology::Topology;
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

#[derive(Debug, Parser)]
#[command(
    name = "ktopo",
    version,
    about = "Explore a Kafka platform's topology: the declared registry joined with live lag",
    after_help = crate::exit::TABLE
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
    Export {
        #[arg(long, value_enum)]
        format: export::Format,
        /// Write to this file (atomically) instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Consumer lag of every watched group, like kafka-consumer-groups.sh --describe.
    /// Exit status 1 when --fail-on trips (a group at the threshold, unreadable, or not
    /// evaluated within --max-wait), 4 when the cluster cannot be reached.
    Lag(LagArgs),
    /// Where the registry and the cluster disagree: topics, configuration, consumers,
    /// deprecated topics in use. Exit status 0 nothing at or above --fail-on, 1
    /// findings, 3 the registry or 4 the cluster could not be read.
    Drift(DriftArgs),
    /// The last messages of a topic, strictly read-only (no group, no commit), like
    /// `kcat -C -o -N -e`.
    Peek(PeekArgs),
    /// Print the JSON Schema of the registry format (for yaml-language-server).
    Schema {
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
    pub fail_on: Option<crate::lag_report::FailOn>,
    /// Samples to take before reporting (rates and statuses need more than one).
    #[arg(long, default_value_t = 3)]
    pub samples: u32,
    /// With --fail-on: keep sampling until every group has a verdict, for at most this
    /// many seconds (a consumer committing every 30 s needs about a minute).
    #[arg(long, value_name = "SECONDS", default_value_t = 90.0)]
    pub max_wait: f64,
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
    #[arg(long, default_value_t = crate::stale::DEFAULT_MIN_S, value_name = "SECONDS", requires = "live")]
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
}

/// Set when the command prints JSON: a fatal error then prints `{"error": …}` on
/// standard output too, so a script reading it always gets JSON.
static JSON_ERRORS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A fatal error: on standard error, and as JSON on standard output for `--json`.
fn fatal(message: &str) {
    let message = crate::visible::escape(message);
    eprintln!("error: {message}");
    if JSON_ERRORS.load(std::sync::atomic::Ordering::Relaxed) {
        let _ = crate::output::stdout(&format!("{}\n", serde_json::json!({ "error": message })));
    }
}

/// Run a command; returns the process exit status.
pub fn run(cli: Cli) -> i32 {
    let json = match &cli.command {
        Some(Command::Check { json }) => *json,
        Some(Command::Impact(a)) => a.json,
        Some(Command::Export { format, .. }) => matches!(format, export::Format::Json),
        Some(Command::Lag(a)) => a.json,
        Some(Command::Drift(a)) => a.json,
        Some(Command::Peek(a)) => a.json,
        _ => false,
    };
    JSON_ERRORS.store(json, std::sync::atomic::Ordering::Relaxed);
    match cli.command {
        Some(Command::Check { json }) => check(&cli.registry, json),
        Some(Command::Impact(a)) => {
            let conn = cli.conn.clone();
            with_registry(&cli.registry, |reg, topo| impact_cmd(reg, topo, &conn, &a))
        }
        Some(Command::Export { format, output }) => with_registry(&cli.registry, |reg, topo| {
            emit(
                output.as_deref(),
                &export::render(format, reg, topo),
                Some(&cli.registry),
            )
        }),
        Some(Command::Lag(a)) => {
            let conn = cli.conn.clone();
            with_registry(&cli.registry, |reg, _| lag_cmd(reg, &conn, &a))
        }
        Some(Command::Drift(a)) => drift_cmd(&cli.registry, &cli.conn, &a),
        Some(Command::Peek(a)) => {
            let conn = cli.conn.clone();
            with_registry(&cli.registry, |reg, _| peek_cmd(reg, &conn, &a))
        }
        Some(Command::Schema { output }) => {
            let mut s = serde_json::to_string_pretty(&registry::schema::json_schema()).unwrap_or_default();
            s.push('\n');
            emit(output.as_deref(), &s, Some(&cli.registry))
        }
        None => tui(&cli.registry, &cli.conn),
    }
}

fn load(path: &Path) -> Result<Checked, i32> {
    registry::load(path).map_err(|e| {
        fatal(&e.to_string());
        crate::exit::REGISTRY
    })
}

fn check(path: &Path, json: bool) -> i32 {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    use std::fmt::Write as _;
    let mut out = String::new();
    if json {
        let v = diag::to_json(&checked.source, &checked.diagnostics);
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        out.push_str(&diag::render(
            &checked.source,
            &checked.diagnostics,
            std::io::stdout().is_terminal(),
        ));
        let count = |s| checked.diagnostics.iter().filter(|d| d.severity == s).count();
        let _ = writeln!(
            out,
            "{}: {} errors, {} warnings, {} notes",
            crate::visible::escape(&checked.source.path),
            count(diag::Severity::Error),
            count(diag::Severity::Warning),
            count(diag::Severity::Note)
        );
        if let Some(reg) = &checked.registry {
            let _ = writeln!(
                out,
                "{} services, {} active topics, {} deprecated, {} proposed, {} event types",
                reg.services.len(),
                reg.count(registry::Status::Active),
                reg.count(registry::Status::Deprecated),
                reg.count(registry::Status::Proposed),
                reg.events().len()
            );
        }
    }
    match crate::output::stdout(&out) {
        0 => checked.exit_code(),
        failed => failed,
    }
}

fn tui(path: &Path, conn: &ConnArgs) -> i32 {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if checked.usable().is_none() {
        return refuse(&checked);
    }
    // Bad -X/-F input is reported before the screen opens; connecting (and starting the
    // demo cluster, which takes seconds) happens behind the open UI.
    let brokers = match crate::connect::properties(conn) {
        Ok(p) => p.get("bootstrap.servers").map(str::to_string),
        Err(e) => {
            fatal(&e.to_string());
            return crate::exit::USAGE;
        }
    };
    crate::tui::run(path.to_path_buf(), checked, conn, brokers.as_deref())
}

fn lag_cmd(reg: &Registry, conn: &ConnArgs, a: &LagArgs) -> i32 {
    use crate::lag_report as report;
    let filters = match report::Filters::new(a.group.as_deref(), a.topic.as_deref()) {
        Ok(f) => f,
        Err(e) => {
            fatal(&e.to_string());
            return crate::exit::USAGE;
        }
    };
    if !(a.max_wait.is_finite() && (0.0..=86_400.0).contains(&a.max_wait)) {
        fatal("--max-wait must be a number of seconds between 0 and 86400");
        return crate::exit::USAGE;
    }
    let c = match cluster_for(conn, reg, "lag") {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut metrics = crate::live::metrics::Metrics::new(c.label.clone(), c.interval.as_secs_f64());
    let pace = c.pace();
    let (label, mut sampler) = (c.label.clone(), c.sampler);
    let samples = a.samples.max(1);
    // Escape codes only for a terminal: a file or a pipe gets plain successive reports.
    let clear = a.watch && std::io::stdout().is_terminal();
    let owner_of = |key: &str| {
        let s = reg.service_by_key(key).map(|i| &reg.services[i])?;
        Some((s.owner.clone(), s.oncall.clone()))
    };
    let began = std::time::Instant::now();
    let mut code = crate::exit::OK;
    crate::live::session::run(&mut sampler, &mut metrics, pace, &AtomicBool::new(false), None, |r| {
        if let (Some(e), false) = (r.failed, a.watch) {
            fatal(&format!("cannot reach the cluster at {label}: {e}"));
            code = crate::exit::CLUSTER;
            return false;
        }
        if r.number + 1 < samples {
            return true;
        }
        let rows = filters.select(r.view);
        let waited_out = began.elapsed().as_secs_f64() >= a.max_wait;
        // A gate waits (quietly, unless watching) until every group has a verdict.
        if a.fail_on.is_some() && !a.watch && !waited_out && !report::all_evaluated(&rows) {
            return true;
        }
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        let written = if a.json {
            let doc = report::json(r.view, &rows, &filters, &owner_of);
            if a.watch {
                // NDJSON: one object per line, so line-oriented tools can follow it.
                serde_json::to_writer(&mut stdout, &doc)
            } else {
                serde_json::to_writer_pretty(&mut stdout, &doc)
            }
            .map_err(std::io::Error::from)
            .and_then(|_| stdout.write_all(b"\n"))
        } else {
            let clear_screen = if clear { "\x1b[2J\x1b[H" } else { "" };
            let text = report::text(r.view, &rows, &filters);
            let text = crate::visible::escape(&text);
            stdout
                .write_all(clear_screen.as_bytes())
                .and_then(|_| stdout.write_all(text.as_bytes()))
        };
        if let Err(e) = written.and_then(|_| stdout.flush()) {
            // A closed pipe (`| head`) ends quietly; anything else (a full disk) is an error.
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("error: cannot write the report: {e}");
                code = crate::exit::OUTPUT;
            }
            return false;
        }
        let final_ = !a.watch || waited_out;
        if let Some(lines) = report::gate(a.fail_on, &rows, &filters, final_) {
            for line in lines
                .iter()
                .chain(&report::who_to_call(a.fail_on, &rows, &owner_of, final_))
            {
                eprintln!("{}", crate::visible::escape(line));
            }
            code = crate::exit::TRIPPED;
            return false;
        }
        a.watch
    });
    // The process exits next: closing the client handle (and the demo's) would add
    // time for nothing.
    std::mem::forget(sampler);
    std::mem::forget(c.demo);
    code
}

fn drift_cmd(path: &Path, conn: &ConnArgs, a: &DriftArgs) -> i32 {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(reg) = checked.usable() else {
        return refuse(&checked);
    };
    let samples = a.samples.max(1);
    let (view, demo) = match sample_view(conn, reg, "drift", samples) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let (environment, environment_chosen) = match &a.env {
        Some(e) => (e.clone(), true),
        None if demo => ("development".to_string(), false),
        None => ("production".to_string(), false),
    };
    let setting = crate::join::Setting {
        environment,
        environment_chosen,
        samples,
        now_ms: crate::time::now_ms(),
    };
    let report = crate::join::drift(reg, &view, &setting, None).report;
    let out = if a.json {
        let mut s =
            serde_json::to_string_pretty(&crate::drift::json(&report, &checked.source.path)).unwrap_or_default();
        s.push('\n');
        s
    } else {
        crate::visible::escape(&crate::drift::text(&report, &checked.source.path)).into_owned()
    };
    let code = emit(None, &out, None);
    if code != 0 {
        return code;
    }
    for f in &report.failed {
        eprintln!("drift: could not check: {}", crate::visible::escape(f));
    }
    report.exit_code(match a.fail_on {
        FailSeverity::Error => diag::Severity::Error,
        FailSeverity::Warning => diag::Severity::Warning,
        FailSeverity::Note => diag::Severity::Note,
    })
}

fn peek_cmd(reg: &Registry, conn: &ConnArgs, a: &PeekArgs) -> i32 {
    let c = match cluster_for(conn, reg, "peek") {
        Ok(c) => c,
        Err(code) => return code,
    };
    if c.demo.is_some() {
        // The demo cluster was created empty a moment ago: let its producers write.
        std::thread::sleep(std::time::Duration::from_secs(2));
    }
    let req = crate::kafka::peek::Request {
        topic: a.topic.clone(),
        last: a.last,
        partition: a.partition,
        timeout: std::time::Duration::from_secs(10),
        value_cap: 64 * 1024,
        total_cap: 16 << 20,
    };
    let code = match crate::kafka::peek::peek(&c.props, &req) {
        Err(e) => {
            fatal(&e.to_string());
            crate::exit::CLUSTER
        }
        Ok((msgs, notes)) => {
            let out = if a.json {
                let mut s = serde_json::to_string_pretty(&crate::kafka::peek::json(&a.topic, &msgs, &notes))
                    .unwrap_or_default();
                s.push('\n');
                s
            } else {
                crate::kafka::peek::text(&a.topic, &msgs, &notes)
            };
            crate::output::stdout(&out)
        }
    };
    std::mem::forget(c);
    code
}

/// Sample the cluster `samples` times and return the last view (and whether it is the
/// demo cluster); the exit status after saying why when the cluster cannot be read.
fn sample_view(conn: &ConnArgs, reg: &Registry, command: &str, samples: u32) -> Result<(LiveView, bool), i32> {
    let c = cluster_for(conn, reg, command)?;
    let demo = c.demo.is_some();
    let mut metrics = crate::live::metrics::Metrics::new(c.label.clone(), c.interval.as_secs_f64());
    let pace = c.pace();
    let (label, mut sampler) = (c.label.clone(), c.sampler);
    let samples = samples.max(1);
    let mut view = None;
    let mut failed = None;
    crate::live::session::run(&mut sampler, &mut metrics, pace, &AtomicBool::new(false), None, |r| {
        if let Some(e) = r.failed {
            failed = Some(e.to_string());
            return false;
        }
        if r.number + 1 < samples {
            return true;
        }
        view = Some(r.view.clone());
        false
    });
    // The process exits next: closing the client handle (and the demo's) would add
    // time for nothing.
    std::mem::forget(sampler);
    std::mem::forget(c.demo);
    match view {
        Some(v) => Ok((v, demo)),
        None => {
            fatal(&format!(
                "cannot reach the cluster at {label}: {}",
                failed.unwrap_or_default()
            ));
            Err(crate::exit::CLUSTER)
        }
    }
}

/// The cluster a command samples; None (after saying why) when there is none to use.
fn cluster_for(conn: &ConnArgs, reg: &Registry, command: &str) -> Result<crate::connect::Connection, i32> {
    match crate::connect::connect(conn, reg) {
        Ok(Some(c)) => Ok(c),
        Ok(None) => {
            fatal(&format!(
                "`ktopo {command}` needs a cluster: drop --offline, or pass -b BROKERS"
            ));
            Err(crate::exit::USAGE)
        }
        Err(e) => {
            fatal(&e.to_string());
            Err(e.exit_code())
        }
    }
}

/// Load a registry that must be free of errors, then run `f` on it.
fn with_registry(path: &Path, f: impl FnOnce(&Registry, &Topology) -> i32) -> i32 {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match checked.usable() {
        Some(reg) => f(reg, &Topology::build(reg)),
        None => refuse(&checked),
    }
}

/// A registry with errors: show the errors on stderr, return the exit status.
fn refuse(checked: &Checked) -> i32 {
    let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    eprint!(
        "{}",
        diag::render(&checked.source, &errors, std::io::stderr().is_terminal())
    );
    fatal(&format!(
        "{}: {} errors; run `ktopo check` for details",
        checked.source.path,
        errors.len()
    ));
    crate::exit::REGISTRY
}

fn impact_cmd(reg: &Registry, topo: &Topology, conn: &ConnArgs, a: &ImpactArgs) -> i32 {
    let dir = if a.both {
        Dir::Both
    } else if a.upstream {
        Dir::Upstream
    } else {
        Dir::Downstream
    };
    let target = match a.target.as_deref().map(|t| impact::resolve(reg, t)).transpose() {
        Ok(t) => t,
        Err(e) => {
            fatal(&e.to_string());
            if !e.suggestions.is_empty() {
                eprintln!("closest matches:");
                for s in &e.suggestions {
                    eprintln!("  {s}");
                }
            }
            return crate::exit::USAGE;
        }
    };
    let imp = target.map(|t| impact::impact(reg, topo, &t, dir, a.depth));
    let out = match (&imp, a.live) {
        (Some(imp), false) if a.json => {
            let mut s = serde_json::to_string_pretty(&impact::to_json(reg, imp)).unwrap_or_default();
            s.push('\n');
            s
        }
        (Some(imp), false) => crate::visible::escape(&impact::to_text(reg, imp)).into_owned(),
        _ => {
            if !a.min_stale.is_finite() || a.min_stale < 0.0 {
                fatal("--min-stale must be a number of seconds, 0 or more");
                return crate::exit::USAGE;
            }
            let (view, _) = match sample_view(conn, reg, "impact --live", a.samples) {
                Ok(v) => v,
                Err(code) => return code,
            };
            let st = crate::stale::propagate(reg, topo, &view, a.min_stale);
            // With a target: only what it reaches (and the target itself).
            let only: Option<std::collections::HashSet<crate::topology::Node>> = imp
                .as_ref()
                .map(|i| i.affected.iter().map(|x| x.node).chain(i.target.nodes()).collect());
            if a.json {
                let mut s = serde_json::to_string_pretty(&crate::stale::to_json(reg, &st, only.as_ref(), &view.source))
                    .unwrap_or_default();
                s.push('\n');
                s
            } else {
                crate::visible::escape(&crate::stale::to_text(reg, &st, only.as_ref(), &view.source)).into_owned()
            }
        }
    };
    crate::output::stdout(&out)
}

/// Print to stdout, or write a file atomically.
fn emit(output: Option<&Path>, text: &str, protect: Option<&Path>) -> i32 {
    match output {
        None => crate::output::stdout(text),
        Some(p) => match crate::output::write_atomic(p, text.as_bytes(), protect) {
            Ok(()) => crate::exit::OK,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", p.display());
                crate::exit::OUTPUT
            }
        },
    }
}
