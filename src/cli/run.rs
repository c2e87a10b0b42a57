//! Dispatch: each command to its module, the TUI when there is none.

use super::args::*;
use super::common::*;
use super::drift::drift_cmd;
use super::impact_cmd::impact_cmd;
use super::lag::lag_cmd;
use super::peek::peek_cmd;
use crate::cluster::connect::ConnArgs;
use crate::core::diag;
use crate::core::export;
use crate::core::registry;
use std::io::IsTerminal;
use std::path::Path;

/// Parse the process's arguments and run the command: the exit status.
pub fn main() -> i32 {
    use clap::{CommandFactory, FromArgMatches};
    let m = Cli::command().get_matches();
    match Cli::from_arg_matches(&m) {
        Ok(cli) => run(cli, &m),
        Err(e) => e.exit(),
    }
}

/// Run a command; returns the process exit status. `m` tells a flag given from its
/// default (a context fills only the defaults).
pub fn run(mut cli: Cli, m: &clap::ArgMatches) -> i32 {
    let json = match &cli.command {
        Some(Command::Check { json }) => *json,
        Some(Command::Impact(a)) => a.json,
        Some(Command::Export(a)) => matches!(a.format, export::Format::Json),
        Some(Command::Lag(a)) => a.json,
        Some(Command::Drift(a)) => a.json,
        Some(Command::Connectors(a)) => a.json,
        Some(Command::Peek(a)) => a.json,
        Some(Command::Diff(a)) => a.format == DiffFormat::Json,
        _ => false,
    };
    JSON_ERRORS.store(json, std::sync::atomic::Ordering::Relaxed);
    // `contexts` lists them all; it must not need the current one's secrets.
    if let Some(Command::Contexts { json }) = cli.command {
        return super::contexts::contexts_cmd(json);
    }
    let context = match super::contexts::chosen(&cli) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(r) = &context {
        if let Err(code) = super::contexts::apply(&mut cli, m, r) {
            return code;
        }
    }
    let env = context.and_then(|c| c.env);
    match cli.command {
        Some(Command::Check { json }) => check(&cli.registry, json),
        Some(Command::Impact(a)) => {
            let conn = cli.conn.clone();
            with_registry(&cli.registry, |reg, topo| impact_cmd(reg, topo, &conn, &a))
        }
        Some(Command::Export(a)) => with_registry(&cli.registry, |reg, topo| {
            super::export_cmd::export_cmd(reg, topo, &a, &cli.registry)
        }),
        Some(Command::Lag(a)) => {
            let conn = cli.conn.clone();
            with_registry(&cli.registry, |reg, _| lag_cmd(reg, &conn, &a))
        }
        Some(Command::Connectors(a)) => {
            let conn = cli.conn.clone();
            with_registry(&cli.registry, |reg, _| {
                super::connectors::connectors_cmd(reg, &conn, &a)
            })
        }
        Some(Command::Drift(mut a)) => {
            a.env = a.env.or(env);
            drift_cmd(&cli.registry, &cli.conn, &a)
        }
        Some(Command::Peek(a)) => {
            let conn = cli.conn.clone();
            with_registry(&cli.registry, |reg, _| peek_cmd(reg, &conn, &a))
        }
        Some(Command::Serve(mut a)) => {
            a.env = a.env.or(env);
            super::serve::serve_cmd(&cli.registry, &cli.conn, &a)
        }
        Some(Command::Contexts { json }) => super::contexts::contexts_cmd(json),
        Some(Command::Diff(a)) => super::diff::diff_cmd(&a, &cli.conn),
        Some(Command::Import { from }) => super::import::import_cmd(&from),
        Some(Command::Init(a)) => super::init::init_cmd(&cli.conn, &a),
        Some(Command::Schema { output }) => {
            let mut s = serde_json::to_string_pretty(&registry::schema::json_schema()).unwrap_or_default();
            s.push('\n');
            emit(output.as_deref(), &s, Some(&cli.registry))
        }
        None => tui(&cli.registry, &cli.conn, env),
    }
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
        let words = crate::core::words::count;
        let _ = writeln!(
            out,
            "{}: {}, {}, {}",
            crate::core::visible::escape(&checked.source.path),
            words(count(diag::Severity::Error), "error", "errors"),
            words(count(diag::Severity::Warning), "warning", "warnings"),
            words(count(diag::Severity::Note), "note", "notes")
        );
        if let Some(reg) = &checked.registry {
            let connectors = reg.services.iter().filter(|s| s.connector.is_some()).count();
            let _ = writeln!(
                out,
                "{}{}, {}, {} deprecated, {} proposed, {}",
                words(reg.services.len() - connectors, "service", "services"),
                if connectors > 0 {
                    format!(", {}", words(connectors, "connector", "connectors"))
                } else {
                    String::new()
                },
                words(reg.count(registry::Status::Active), "active topic", "active topics"),
                reg.count(registry::Status::Deprecated),
                reg.count(registry::Status::Proposed),
                words(reg.events().len(), "event type", "event types")
            );
        }
    }
    match crate::cli::output::stdout(&out) {
        0 => checked.exit_code(),
        failed => failed,
    }
}

fn tui(path: &Path, conn: &ConnArgs, env: Option<String>) -> i32 {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if checked.usable().is_none() {
        return refuse(&checked);
    }
    // Bad -X/-F input is reported before the screen opens; connecting (and starting the
    // demo cluster, which takes seconds) happens behind the open UI.
    let brokers = match crate::cluster::connect::properties(conn) {
        Ok(p) => p.get("bootstrap.servers").map(str::to_string),
        Err(e) => {
            fatal(&e.to_string());
            return crate::core::exit::USAGE;
        }
    };
    crate::tui::run(path.to_path_buf(), checked, conn, brokers.as_deref(), env)
}
