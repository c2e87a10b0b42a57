//! Command-line interface: argument definitions and dispatch to the shared core.

use crate::diag;
use crate::export;
use crate::impact::{self, Dir};
use crate::registry::{self, Checked, Registry};
use crate::topology::Topology;
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "ktopo",
    version,
    about = "Explore a Kafka platform's topology: the declared registry joined with live lag"
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

/// How to reach the cluster (kcat's conventions). Without a broker, ktopo starts an
/// embedded demo cluster; `--offline` uses none.
#[derive(Debug, Clone, Args)]
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
    /// Seconds between samples.
    #[arg(long, global = true, default_value_t = 5.0)]
    pub interval: f64,
    /// No broker at all: registry only.
    #[arg(long, global = true)]
    pub offline: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the registry: every problem with file:line:col and a hint.
    /// Exit status 0 no errors, 1 errors, 2 unreadable or not YAML.
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
    /// Print the JSON Schema of the registry format (for yaml-language-server).
    Schema {
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// `service:ID`, `service:KEY`, `topic:NAME`, `event:TYPE`, or an unambiguous name.
    pub target: String,
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

/// Run a command; returns the process exit status.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Some(Command::Check { json }) => check(&cli.registry, json),
        Some(Command::Impact(a)) => with_registry(&cli.registry, |reg, topo| impact_cmd(reg, topo, &a)),
        Some(Command::Export { format, output }) => with_registry(&cli.registry, |reg, topo| {
            emit(output.as_deref(), &export::render(format, reg, topo))
        }),
        Some(Command::Schema { output }) => {
            let mut s = serde_json::to_string_pretty(&registry::schema::json_schema()).unwrap_or_default();
            s.push('\n');
            emit(output.as_deref(), &s)
        }
        None => tui(&cli.registry, &cli.conn),
    }
}

fn load(path: &Path) -> Result<Checked, i32> {
    registry::load(path).map_err(|e| {
        eprintln!("error: {e}");
        2
    })
}

fn check(path: &Path, json: bool) -> i32 {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if json {
        let v = diag::to_json(&checked.source, &checked.diagnostics);
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        print!(
            "{}",
            diag::render(&checked.source, &checked.diagnostics, std::io::stdout().is_terminal())
        );
        let count = |s| checked.diagnostics.iter().filter(|d| d.severity == s).count();
        println!(
            "{}: {} errors, {} warnings, {} notes",
            checked.source.path,
            count(diag::Severity::Error),
            count(diag::Severity::Warning),
            count(diag::Severity::Note)
        );
        if let Some(reg) = &checked.registry {
            println!(
                "{} services, {} active topics, {} deprecated, {} proposed, {} event types",
                reg.services.len(),
                reg.count(registry::Status::Active),
                reg.count(registry::Status::Deprecated),
                reg.count(registry::Status::Proposed),
                reg.events().len()
            );
        }
    }
    checked.exit_code()
}

fn tui(path: &Path, _conn: &ConnArgs) -> i32 {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if checked.usable().is_none() {
        return with_registry(path, |_, _| 0);
    }
    crate::tui::run(path.to_path_buf(), checked, |_, _| {})
}

/// Load a registry that must be free of errors, then run `f` on it.
fn with_registry(path: &Path, f: impl FnOnce(&Registry, &Topology) -> i32) -> i32 {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match checked.usable() {
        Some(reg) => f(reg, &Topology::build(reg)),
        None => {
            let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
            eprint!(
                "{}",
                diag::render(&checked.source, &errors, std::io::stderr().is_terminal())
            );
            eprintln!(
                "{}: {} errors; run `ktopo check` for details",
                checked.source.path,
                errors.len()
            );
            checked.exit_code().max(1)
        }
    }
}

fn impact_cmd(reg: &Registry, topo: &Topology, a: &ImpactArgs) -> i32 {
    let target = match impact::resolve(reg, &a.target) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            if !e.suggestions.is_empty() {
                eprintln!("closest matches:");
                for s in &e.suggestions {
                    eprintln!("  {s}");
                }
            }
            return 2;
        }
    };
    let dir = if a.both {
        Dir::Both
    } else if a.upstream {
        Dir::Upstream
    } else {
        Dir::Downstream
    };
    let imp = impact::impact(reg, topo, &target, dir, a.depth);
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&impact::to_json(reg, &imp)).unwrap_or_default()
        );
    } else {
        print!("{}", impact::to_text(reg, &imp));
    }
    0
}

/// Print to stdout, or write a file atomically.
fn emit(output: Option<&Path>, text: &str) -> i32 {
    match output {
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = out.write_all(text.as_bytes());
            0
        }
        Some(p) => match crate::output::write_atomic(p, text.as_bytes()) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", p.display());
                2
            }
        },
    }
}
