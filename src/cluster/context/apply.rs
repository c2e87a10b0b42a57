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
    c.label = Some(r.cluster.clone().unwrap_or_else(|| r.name.clone()));
    c.context = Some(r.name.clone());
    // A switch replaces the command line's Connect clusters too (clear them first).
    c.connect = Vec::new();
    connect_into(&mut c, r);
    c
}

/// The context's Kafka Connect clusters (`connect:`, checked by `parse`), where the
/// command line gave none (`--connect`/`KTOPO_CONNECT` win: `conn.connect` is then
/// not empty). The one place they are applied, for the command line and `:ctx` alike.
pub fn connect_into(conn: &mut ConnArgs, r: &Resolved) {
    if conn.connect.is_empty() {
        conn.connect.clone_from(&r.connect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(clap::Parser)]
    struct Flags {
        #[command(flatten)]
        conn: ConnArgs,
    }

    #[test]
    fn a_switch_keeps_the_interval_and_nothing_of_the_command_lines_cluster() {
        use clap::Parser;
        let base = Flags::parse_from([
            "ktopo",
            "-b",
            "old:9092",
            "-X",
            "sasl.username=old",
            "--interval",
            "2",
            "--offline",
        ])
        .conn;
        let r = Resolved {
            name: "prod".into(),
            brokers: Some("new:9093".into()),
            properties: vec![("sasl.username".into(), "new".into())],
            schema_registry: Some("http://sr:8081".into()),
            ..Resolved::default()
        };
        let c = conn_for(&base, &r);
        assert_eq!((c.brokers.as_deref(), c.offline, c.interval), (None, false, Some(2.0)));
        assert_eq!(
            c.properties,
            [
                "bootstrap.servers=new:9093",
                "sasl.username=new",
                "schema.registry.url=http://sr:8081"
            ]
        );
        assert_eq!((c.label.as_deref(), c.context.as_deref()), (Some("prod"), Some("prod")));
    }

    #[test]
    fn a_contexts_connect_clusters_fill_in_only_where_the_command_line_gave_none() {
        use clap::Parser;
        let r = Resolved {
            name: "prod".into(),
            connect: vec!["cdc=http://connect:8083".into()],
            ..Resolved::default()
        };
        let mut given = Flags::parse_from(["ktopo", "--connect", "http://mine:8083"]).conn;
        connect_into(&mut given, &r);
        assert_eq!(given.connect, ["http://mine:8083"]);
        let mut none = Flags::parse_from(["ktopo"]).conn;
        connect_into(&mut none, &r);
        assert_eq!(none.connect, ["cdc=http://connect:8083"]);
        // A switch drops the command line's and takes the context's.
        assert_eq!(conn_for(&given, &r).connect, ["cdc=http://connect:8083"]);
    }
}
