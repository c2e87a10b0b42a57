//! Contexts on the command line: the chosen one applied before every command (flags
//! and their environment variables win over it, it wins over defaults), and
//! `ktopo contexts` listing them.

use super::args::Cli;
use super::common::fatal;
use crate::cluster::context::{locate, parse, resolve, Contexts, Resolved};
use crate::core::exit;
use clap::parser::ValueSource;
use std::sync::Once;

static PERMISSIONS_SAID: Once = Once::new();

/// Read the contexts file, if there is one (None when there is none and none is asked
/// for). Warns once when others can read it.
fn read(asked: bool) -> Result<Option<(Contexts, String)>, i32> {
    let Some(at) = locate::from_env() else {
        if asked {
            fatal("--context: there is no home directory to find the contexts file in; set KTOPO_CONFIG");
            return Err(exit::USAGE);
        }
        return Ok(None);
    };
    let shown = at.path.display().to_string();
    if !at.path.exists() && !at.named && !asked {
        return Ok(None);
    }
    if let Some(w) = locate::permission_warning(&at.path) {
        PERMISSIONS_SAID.call_once(|| eprintln!("warning: {w}"));
    }
    match parse::read(&at.path) {
        Ok(c) => Ok(Some((c, shown))),
        Err(e) => {
            fatal(&e.to_string());
            Err(exit::USAGE)
        }
    }
}

/// The context in force: `--context`/`KTOPO_CONTEXT`, else the file's current-context;
/// None when there is none.
pub(super) fn chosen(cli: &Cli) -> Result<Option<Resolved>, i32> {
    let asked = cli.context.as_deref().filter(|n| !n.is_empty());
    let Some((file, _)) = read(asked.is_some())? else {
        return Ok(None);
    };
    let name = match asked {
        Some(n) => n.to_string(),
        None => match &file.current {
            Some((n, _)) => n.clone(),
            None => return Ok(None),
        },
    };
    let Some(ctx) = file.get(&name) else {
        let d = parse::unknown_context(&name, file.names());
        fatal(&crate::cluster::context::ContextError::one(&file.source.path, d).to_string());
        return Err(exit::USAGE);
    };
    resolve::resolve(&file, ctx, |k| std::env::var(k).ok())
        .map(Some)
        .map_err(|e| {
            fatal(&e.to_string());
            exit::USAGE
        })
}

/// Apply `r` under what the command line gave: a flag or its environment variable
/// always wins.
pub(super) fn apply(cli: &mut Cli, m: &clap::ArgMatches, r: &Resolved) -> Result<(), i32> {
    let given = |id: &str| {
        matches!(
            m.value_source(id),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        )
    };
    if let Some(reg) = &r.registry {
        if !given("registry") {
            cli.registry = reg.clone();
        }
    }
    // The context's properties come first, so -F and -X (read after them) win; -F is
    // read here for that order (connect reads the file before every -X).
    let mut props: Vec<String> = Vec::new();
    let mut push = |k: &str, v: &str| props.push(format!("{k}={v}"));
    if let Some(b) = &r.brokers {
        push("bootstrap.servers", b);
    }
    for (k, v) in &r.properties {
        push(k, v);
    }
    if let Some(u) = &r.schema_registry {
        push(crate::cluster::schema_registry::settings::URL, u);
    }
    let mut user: Vec<String> = Vec::new();
    if let Some(f) = cli.conn.config_file.take() {
        let mut p = crate::cluster::kafka::config::Properties::default();
        if let Err(e) = p.read_file(&f) {
            fatal(&e.to_string());
            return Err(exit::USAGE);
        }
        user.extend(p.0.iter().map(|(k, v)| format!("{k}={v}")));
    }
    user.append(&mut cli.conn.properties);
    // The context's name for its cluster, unless the brokers come from the command line.
    let user_brokers = given("brokers") || user.iter().any(|p| p.trim_start().starts_with("bootstrap.servers"));
    let ctx_brokers = r.brokers.is_some() || r.properties.iter().any(|(k, _)| k == "bootstrap.servers");
    if ctx_brokers && !user_brokers {
        cli.conn.label = Some(r.cluster.clone().unwrap_or_else(|| r.name.clone()));
    }
    props.append(&mut user);
    cli.conn.properties = props;
    cli.conn.context = Some(r.name.clone());
    crate::cluster::context::apply::connect_into(&mut cli.conn, r);
    Ok(())
}

/// `ktopo contexts [--json]`.
pub(super) fn contexts_cmd(json: bool) -> i32 {
    let path = locate::from_env().map(|l| l.path.display().to_string());
    let file = match read(false) {
        Ok(Some((f, _))) => f,
        Ok(None) => {
            let at = path.unwrap_or_else(|| "~/.config/ktopo/config.yaml".into());
            let out = if json {
                format!(
                    "{}\n",
                    serde_json::json!({ "file": at, "current": null, "contexts": [] })
                )
            } else {
                format!(
                    "no contexts: {} does not exist (see `ktopo contexts --help`)\n",
                    crate::core::visible::escape(&at)
                )
            };
            return crate::cli::output::stdout(&out);
        }
        Err(code) => return code,
    };
    let out = if json {
        let mut s = serde_json::to_string_pretty(&super::contexts_list::json(&file)).unwrap_or_default();
        s.push('\n');
        s
    } else {
        super::contexts_list::text(&file)
    };
    crate::cli::output::stdout(&out)
}
