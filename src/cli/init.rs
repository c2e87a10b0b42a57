//! `ktopo init -b B [--connect URL] [-o FILE] [--merge REGISTRY]`: a registry drafted
//! from a live cluster and its Kafka Connect clusters, read-only (GETs only on
//! Connect), checked before it is written (it must load without errors).

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
    // `--connect` (or the context's `connect:`): the connectors, with GETs only.
    let reads = match super::connectors::read_clusters(conn) {
        Ok(r) => r,
        Err(e) => {
            fatal(&e);
            return exit::USAGE;
        }
    };
    let seen = draft::Seen {
        topics: &inv.topics,
        configs: inv.configs.as_ref().map_err(String::as_str),
        groups: inv.groups.as_ref().map_err(String::as_str),
        messages: &inv.messages,
        producer_field: &a.producer_field,
        connectors: &reads,
    };
    let d = draft::infer::draft(&seen);
    // Also in the draft's header; said here for a merge, and for whoever reads stderr.
    for n in &d.notes {
        eprintln!("init: not drafted: {}", crate::core::visible::one_line(n));
    }
    let (text, summary) = match &a.merge {
        None => {
            let connectors = match d.connectors.len() {
                0 => String::new(),
                n => format!(", {}", words::count(n, "connector", "connectors")),
            };
            let summary = format!(
                "{}, {}{connectors} drafted",
                words::count(d.topics.len(), "topic", "topics"),
                words::count(d.services.len(), "service", "services"),
            );
            (draft::yaml::write(&d, &from), summary)
        }
        Some(path) => match merged(path, &d, &from) {
            Ok(m) => {
                for s in &m.skipped {
                    eprintln!("init: not merged: {}", crate::core::visible::one_line(s));
                }
                let summary = format!(
                    "added {}, {}, {} and {} to declared entries",
                    words::count(m.topics, "topic", "topics"),
                    words::count(m.services, "service", "services"),
                    words::count(m.connectors, "connector", "connectors"),
                    words::count(m.links, "link", "links"),
                );
                (m.text, summary)
            }
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
        eprintln!("init: {summary} from {}", crate::core::visible::one_line(&from));
    }
    code
}

/// The registry at `path` with what the draft has and it lacks.
fn merged(path: &std::path::Path, d: &draft::Draft, from: &str) -> Result<draft::merge::Merged, i32> {
    let checked = super::common::load(path)?;
    let Some(reg) = checked.usable() else {
        return Err(super::common::refuse(&checked));
    };
    draft::merge::merge(&checked.source.text, reg, d, from).map_err(|e| {
        fatal(&format!("{}: {e}", checked.source.path));
        exit::REGISTRY
    })
}
