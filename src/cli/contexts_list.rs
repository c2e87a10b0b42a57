//! `ktopo contexts`' output: each context with what it sets, the current one marked,
//! secrets only as the reference that reads them.

use crate::cluster::context::{Context, Contexts};
use crate::core::visible::{escape, one_line};
use std::fmt::Write as _;

/// Shown by `ktopo contexts --help`.
pub const EXAMPLE: &str = "The contexts file (KTOPO_CONFIG, else $XDG_CONFIG_HOME/ktopo/config.yaml, else \
~/.config/ktopo/config.yaml):

  current-context: dev
  contexts:
    dev:
      brokers: 127.0.0.1:9092
      registry: registry.yaml          # relative to this file's directory
      env: development                 # drift's --env
    prod:
      cluster: production (eu-west-1)  # shown instead of the brokers
      brokers: kafka-1.prod:9093,kafka-2.prod:9093
      properties-file: prod.properties # like -F
      properties:                      # like -X
        security.protocol: SASL_SSL
        sasl.mechanism: SCRAM-SHA-512
        sasl.username: ktopo
        sasl.password: ${KAFKA_PASSWORD}         # secrets: from the environment,
        ssl.key.password_file: /run/secrets/key  # or KEY_file: a file's content
      schema-registry: https://sr.prod:8081
      connect: [cdc=http://connect-1.prod:8083]

Secrets written in the file are refused; keep it readable by you only (chmod 600).";

fn is_current(file: &Contexts, c: &Context) -> bool {
    file.current.as_ref().is_some_and(|(n, _)| *n == c.name)
}

/// What a context sets, as (label, value) lines, in a fixed order.
fn settings(c: &Context) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            out.push((k.to_string(), v));
        }
    };
    put("cluster", c.cluster.clone());
    put("brokers", c.brokers.clone());
    put("registry", c.registry.as_ref().map(|p| p.display().to_string()));
    put("env", c.env.clone());
    put(
        "schema registry",
        c.schema_registry
            .as_ref()
            .map(|(v, _)| v.shown(crate::cluster::schema_registry::settings::URL)),
    );
    for (u, _) in &c.connect {
        put("connect", Some(u.clone()));
    }
    put(
        "properties file",
        c.properties_file.as_ref().map(|(p, _)| p.display().to_string()),
    );
    for p in &c.properties {
        put(&p.key, Some(p.value.shown(&p.key)));
    }
    out
}

pub(super) fn text(file: &Contexts) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} in {}",
        crate::core::words::count(file.list.len(), "context", "contexts"),
        file.source.path
    );
    for c in &file.list {
        let mark = if is_current(file, c) { "* " } else { "  " };
        let current = if is_current(file, c) { " (current)" } else { "" };
        let _ = writeln!(out, "{mark}{}{current}", one_line(&c.name));
        let lines = settings(c);
        let width = lines.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
        for (k, v) in lines {
            let _ = writeln!(out, "    {:width$}  {}", one_line(&k), one_line(&v));
        }
    }
    escape(&out).into_owned()
}

pub(super) fn json(file: &Contexts) -> serde_json::Value {
    let contexts: Vec<serde_json::Value> = file
        .list
        .iter()
        .map(|c| {
            let props: serde_json::Map<String, serde_json::Value> = c
                .properties
                .iter()
                .map(|p| (p.key.clone(), p.value.shown(&p.key).into()))
                .collect();
            serde_json::json!({
                "name": c.name,
                "current": is_current(file, c),
                "cluster": c.cluster,
                "brokers": c.brokers,
                "registry": c.registry.as_ref().map(|p| p.display().to_string()),
                "env": c.env,
                "schema_registry": c.schema_registry.as_ref().map(|(v, _)| v.shown(crate::cluster::schema_registry::settings::URL)),
                "connect": c.connect.iter().map(|(u, _)| u.clone()).collect::<Vec<_>>(),
                "properties_file": c.properties_file.as_ref().map(|(p, _)| p.display().to_string()),
                "properties": props,
            })
        })
        .collect();
    serde_json::json!({
        "file": file.source.path,
        "current": file.current.as_ref().map(|(n, _)| n.clone()),
        "contexts": contexts,
    })
}
