//! `ktopo connectors`: every connector of each Connect cluster (`--connect`), with its
//! tasks, topics, owning service and, for a sink, its consumer group's lag and status
//! sampled from the Kafka cluster like `ktopo lag`.

use super::args::ConnectorsArgs;
use super::common::*;
use crate::cluster::connect::ConnArgs;
use crate::cluster::kafka::sampler::Watched;
use crate::cluster::kafka_connect::{clusters, settings};
use crate::core::connectors::report::{self, Context};
use crate::core::connectors::ClusterRead;
use crate::core::live::view::LiveView;
use crate::core::registry::Registry;
use std::sync::atomic::AtomicBool;

pub(super) fn connectors_cmd(reg: &Registry, conn: &ConnArgs, a: &ConnectorsArgs) -> i32 {
    let reads = match read_clusters(conn) {
        Ok(r) if r.is_empty() => {
            fatal("`ktopo connectors` needs a Connect cluster: pass --connect [NAME=]URL (repeatable) or set KTOPO_CONNECT");
            return crate::core::exit::USAGE;
        }
        Ok(r) => r,
        Err(e) => {
            fatal(&e);
            return crate::core::exit::USAGE;
        }
    };
    let owner = |name: &str| owner_of(reg, name);
    let extra = sink_groups(&reads, &owner);
    let (view, no_view) = if extra.is_empty() {
        (None, None)
    } else if conn.offline {
        (None, Some("--offline: the Kafka cluster is not sampled".to_string()))
    } else {
        match sample(conn, reg, extra, a.samples) {
            Ok(v) => (Some(v), None),
            Err(why) => (None, Some(why)),
        }
    };
    let ctx = Context {
        view: view.as_ref(),
        no_view,
        owner: &owner,
        failed_only: a.failed,
    };
    let out = if a.json {
        let mut s = serde_json::to_string_pretty(&report::json(&reads, &ctx)).unwrap_or_default();
        s.push('\n');
        s
    } else {
        crate::core::visible::escape(&report::text(&reads, &ctx)).into_owned()
    };
    match crate::cli::output::stdout(&out) {
        0 => exit_status(&reads),
        failed => failed,
    }
}

/// Every `--connect` cluster read once (none given: none); Err: bad settings. A
/// cluster whose TLS files cannot be used is read as unread, saying why (`clusters`).
pub(super) fn read_clusters(conn: &ConnArgs) -> Result<Vec<ClusterRead>, String> {
    let props = crate::cluster::connect::properties(conn).map_err(|e| e.to_string())?;
    let settings = settings::from_args(&conn.connect, &props).map_err(|e| e.to_string())?;
    Ok(clusters::read_all(settings))
}

/// 4 when no Connect cluster answered, 1 when a connector is unhealthy or a cluster
/// unread, else 0.
fn exit_status(reads: &[ClusterRead]) -> i32 {
    let s = report::Summary::of(reads);
    if s.unread == s.clusters {
        crate::core::exit::CLUSTER
    } else if s.unread > 0 || s.healthy < s.connectors {
        crate::core::exit::TRIPPED
    } else {
        crate::core::exit::OK
    }
}

/// The registry service that declares a connector of this name.
fn owner_of(reg: &Registry, name: &str) -> Option<String> {
    let node = &reg.services[reg.service_by_key(name)?];
    let owner = node.connector.as_ref()?.owner?;
    Some(reg.services[owner].key.clone())
}

/// Each sink's group on each of its topics, for the sampler to watch.
fn sink_groups(reads: &[ClusterRead], owner: &dyn Fn(&str) -> Option<String>) -> Vec<Watched> {
    let mut out = Vec::new();
    for c in reads.iter().filter_map(|r| r.connectors.as_ref().ok()).flatten() {
        let Some(group) = c.group() else { continue };
        for t in c.known_topics() {
            out.push(Watched {
                group: group.clone(),
                topic: t.clone(),
                service: owner(&c.name),
                probe: false,
            });
        }
    }
    out
}

/// The registry's watch and the sinks' groups, sampled `samples` times; why not, when
/// the cluster cannot be read (the connectors are still reported). The sampler reads
/// no Connect cluster: they were read once already.
fn sample(conn: &ConnArgs, reg: &Registry, extra: Vec<Watched>, samples: u32) -> Result<LiveView, String> {
    let c = crate::cluster::connect::open(conn, reg, crate::cluster::connect::Reads::Once)
        .map_err(|e| e.to_string())?
        .ok_or("--offline")?;
    let mut watch = crate::cluster::connect::watch_for(reg, c.demo.is_some());
    // A declared sink's group is watched already.
    for e in extra {
        if !watch.groups.iter().any(|w| w.group == e.group && w.topic == e.topic) {
            watch.groups.push(e);
        }
    }
    let mut metrics =
        crate::core::live::metrics::Metrics::new(c.label.clone(), c.interval.as_secs_f64()).without_trends();
    let pace = c.pace();
    let (label, mut sampler) = (c.label.clone(), c.sampler);
    sampler.set_watch(watch);
    let (mut view, mut failed) = (None, None);
    crate::core::live::session::run(&mut sampler, &mut metrics, pace, &AtomicBool::new(false), None, |r| {
        if let Some(e) = r.failed {
            failed = Some(e.to_string());
            return false;
        }
        if r.number + 1 < samples.max(1) {
            return true;
        }
        view = Some(r.view);
        false
    });
    // The process exits next: closing the client handle (and the demo's) would add
    // time for nothing.
    std::mem::forget(sampler);
    std::mem::forget(c.demo);
    view.ok_or_else(|| format!("cannot reach the cluster at {label}: {}", failed.unwrap_or_default()))
}
