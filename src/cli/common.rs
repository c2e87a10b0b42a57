//! What every command shares: fatal errors (also as JSON), loading the registry,
//! sampling the cluster, writing output.

use crate::cluster::connect::{ConnArgs, Reads};
use crate::core::diag;
use crate::core::live::view::LiveView;
use crate::core::registry::{self, Checked, Registry};
use crate::core::topology::Topology;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Set when the command prints JSON: a fatal error then prints `{"error": …}` on
/// standard output too, so a script reading it always gets JSON.
pub(super) static JSON_ERRORS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A fatal error: on standard error, and as JSON on standard output for `--json`.
pub(super) fn fatal(message: &str) {
    let message = crate::core::visible::escape(message);
    eprintln!("error: {message}");
    if JSON_ERRORS.load(std::sync::atomic::Ordering::Relaxed) {
        let _ = crate::cli::output::stdout(&format!("{}\n", serde_json::json!({ "error": message })));
    }
}

pub(super) fn load(path: &Path) -> Result<Checked, i32> {
    registry::load(path).map_err(|e| {
        fatal(&e.to_string());
        crate::core::exit::REGISTRY
    })
}

/// Sample the cluster `samples` times and return the last view (and whether it is the
/// demo cluster); the exit status after saying why when the cluster cannot be read.
/// With `read_connect`, the Connect clusters are read once after the rounds, into
/// `view.connect` (a one-shot command starts no watch).
pub(super) fn sample_view(
    conn: &ConnArgs,
    reg: &Registry,
    command: &str,
    samples: u32,
    read_connect: bool,
) -> Result<(LiveView, bool), i32> {
    let c = cluster_for(conn, reg, command, Reads::Once)?;
    let demo = c.demo.is_some();
    let mut metrics =
        crate::core::live::metrics::Metrics::new(c.label.clone(), c.interval.as_secs_f64()).without_trends();
    let pace = c.pace();
    let (label, mut sampler) = (c.label.clone(), c.sampler);
    let samples = samples.max(1);
    let mut view = None;
    let mut failed = None;
    crate::core::live::session::run(&mut sampler, &mut metrics, pace, &AtomicBool::new(false), None, |r| {
        if let Some(e) = r.failed {
            failed = Some(e.to_string());
            return false;
        }
        if r.number + 1 < samples {
            return true;
        }
        view = Some(r.view);
        false
    });
    // The process exits next: closing the client handle (and the demo's) would add
    // time for nothing.
    std::mem::forget(sampler);
    std::mem::forget(c.demo);
    match view {
        Some(mut v) => {
            if read_connect {
                v.connect = c.kafka_connect.read();
            }
            Ok((v, demo))
        }
        None => {
            fatal(&format!(
                "cannot reach the cluster at {label}: {}",
                failed.unwrap_or_default()
            ));
            Err(crate::core::exit::CLUSTER)
        }
    }
}

/// The cluster a command samples; None (after saying why) when there is none to use.
pub(super) fn cluster_for(
    conn: &ConnArgs,
    reg: &Registry,
    command: &str,
    reads: Reads,
) -> Result<crate::cluster::connect::Connection, i32> {
    match crate::cluster::connect::open(conn, reg, reads) {
        Ok(Some(c)) => Ok(c),
        Ok(None) => {
            fatal(&format!(
                "`ktopo {command}` needs a cluster: drop --offline, or pass -b BROKERS"
            ));
            Err(crate::core::exit::USAGE)
        }
        Err(e) => {
            fatal(&e.to_string());
            Err(e.exit_code())
        }
    }
}

/// Load a registry that must be free of errors, then run `f` on it.
pub(super) fn with_registry(path: &Path, f: impl FnOnce(&Registry, &Topology) -> i32) -> i32 {
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
pub(super) fn refuse(checked: &Checked) -> i32 {
    let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    eprint!(
        "{}",
        diag::render(&checked.source, &errors, std::io::stderr().is_terminal())
    );
    fatal(&format!(
        "{}: {}; run `ktopo check` for details",
        checked.source.path,
        crate::core::words::count(errors.len(), "error", "errors")
    ));
    crate::core::exit::REGISTRY
}

/// Print to stdout, or write a file atomically.
pub(super) fn emit(output: Option<&Path>, text: &str, protect: Option<&Path>) -> i32 {
    match output {
        None => crate::cli::output::stdout(text),
        Some(p) => match crate::cli::output::write_atomic(p, text.as_bytes(), protect) {
            Ok(()) => crate::core::exit::OK,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", p.display());
                crate::core::exit::OUTPUT
            }
        },
    }
}

/// An impact target, or the usage status after saying why and the closest names.
pub(super) fn target_or_usage(reg: &Registry, text: &str) -> Result<crate::core::impact::Target, i32> {
    crate::core::impact::resolve(reg, text).map_err(|e| {
        fatal(&e.to_string());
        if !e.suggestions.is_empty() {
            eprintln!("closest matches:");
            for s in &e.suggestions {
                eprintln!("  {s}");
            }
        }
        crate::core::exit::USAGE
    })
}
