//! A context as the connection settings alone, for a switch inside the TUI (`:ctx`):
//! the user asked for that cluster, so nothing of the command line's cluster stays
//! (only the sampling interval, which is not the cluster's).

use super::Resolved;
use crate::cluster::connect::ConnArgs;

pub fn conn_for(base: &ConnArgs, r: &Resolved) -> ConnArgs {
    let mut c = base.clone();
    c.brokers = None;
    c.config_file = None;
    c.schema_registry = None;
    c.offline = false;
    c.properties = Vec::new();
    if let Some(b) = &r.brokers {
        c.properties.push(format!("bootstrap.servers={b}"));
    }
    c.properties
        .extend(r.properties.iter().map(|(k, v)| format!("{k}={v}")));
    if let Some(u) = &r.schema_registry {
        c.properties
            .push(format!("{}={u}", crate::cluster::schema_registry::settings::URL));
    }
    c.label = Some(r.cluster.clone().unwrap_or_else(|| format!("context {}", r.name)));
    c.context = Some(r.name.clone());
    // MERGE: fill conn.connect from the context (here too, for :ctx)
    c
}
