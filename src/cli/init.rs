//! `ktopo init -b B [-o FILE] [--merge REGISTRY]`: a registry drafted from a live
//! cluster, read-only, checked before it is written (it must load without errors).
//! Kafka Connect connectors are not drafted here yet: `--connect` belongs to the
//! Connect work and is wired in when it lands.

use super::args::InitArgs;
use super::common::{emit, fatal};
use crate::cluster::connect::ConnArgs;
use crate::core::{diag, draft, exit, registry, words};
use std::io::IsTerminal;

pub(super) fn init_cmd(conn: &ConnArgs, a: &InitArgs) -> i32 {
    let props = match crate::cluster::connect::properties(conn) {
        Ok(p) => p,
        Err(e) => {
            fatal(&e.to_string());
            return e.exit_code();
        }
    };
    let Some(brokers) = props.get("bootstrap.servers").filter(|_| !conn.offline) else {
        fatal("`ktopo init` drafts from a cluster: pass -b BROKERS (and -X/-F), or --context NAME");
        return exit::USAGE;
    };
    let from = conn.label.clone().unwrap_or_else(|| brokers.to_string());
    let inv = match crate::cluster::kafka::inventory::read(&props, a.tail, None) {
        Ok(i) => i,
        Err(e) => {
            fatal(&format!("cannot reach the cluster at {from}: {e}"));
            return exit::CLUSTER;
        }
    };
    for n in &inv.notes {
        eprintln!("init: {}", crate::core::visible::one_line(n));
    }
    let seen = draft::Seen {
        topics: &inv.topics,
        configs: inv.configs.as_ref().map_err(String::as_str),
        groups: inv.groups.as_ref().map_err(String::as_str),
        messages: &inv.messages,
        producer_field: &a.producer_field,
    };
    let d = draft::infer::draft(&seen);
    let text = match &a.merge {
        None => draft::yaml::write(&d, &from),
        Some(path) => match merged(path, &d, &from) {
            Ok(t) => t,
            Err(code) => return code,
        },
    };
    // What is written must load without errors: a draft that does not is a bug here.
    let checked = registry::load_str("draft", text.clone());
    if checked.errors() > 0 {
        let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
        eprint!(
            "{}",
            diag::render(&checked.source, &errors, std::io::stderr().is_terminal())
        );
        fatal("the draft does not load without errors; nothing written (please report this)");
        return exit::REGISTRY;
    }
    let code = emit(a.output.as_deref(), &text, a.merge.as_deref().filter(|_| false));
    if code == exit::OK {
        eprintln!(
            "init: {}, {} drafted from {}",
            words::count(d.topics.len(), "topic", "topics"),
            words::count(d.services.len(), "service", "services"),
            crate::core::visible::one_line(&from)
        );
    }
    code
}

/// The registry at `path` with what the draft has and it lacks.
fn merged(path: &std::path::Path, d: &draft::Draft, from: &str) -> Result<String, i32> {
    let checked = super::common::load(path)?;
    let Some(reg) = checked.usable() else {
        return Err(super::common::refuse(&checked));
    };
    draft::merge::merge(&checked.source.text, reg, d, from).map_err(|e| {
        fatal(&format!("{}: {e}", checked.source.path));
        exit::REGISTRY
    })
}
