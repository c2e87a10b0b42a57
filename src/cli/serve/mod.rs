//! `ktopo serve`: the sampling session of `ktopo lag --watch`, published over HTTP as
//! Prometheus metrics joined with the registry (core::exposition), a JSON view and
//! health endpoints. The HTTP server is bound before the cluster is connected, so a
//! bad `--listen` fails at once and `/readyz` answers 503 while the demo starts.

mod http;

use super::args::ServeArgs;
use super::common::*;
use crate::cluster::connect::ConnArgs;
use crate::core::exposition::{count_findings, SamplerHealth, Scrape};
use crate::core::live::view::LiveView;
use crate::core::registry::Registry;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

pub(super) fn serve_cmd(path: &Path, conn: &ConnArgs, a: &ServeArgs) -> i32 {
    crate::cluster::kafka::memory::tune_allocator();
    let Ok(addr) = a.listen.trim().parse::<SocketAddr>() else {
        fatal(&format!(
            "--listen `{}` is not an address: write IP:PORT, e.g. 127.0.0.1:9464 (0.0.0.0:9464 for every interface)",
            a.listen
        ));
        return crate::core::exit::USAGE;
    };
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(reg) = checked.usable() else {
        return refuse(&checked);
    };
    let reg = Arc::new(reg.clone());
    // Bad -X/-F input fails before anything listens.
    let brokers = match crate::cluster::connect::properties(conn) {
        Ok(p) => p.get("bootstrap.servers").map(str::to_string),
        Err(e) => {
            fatal(&e.to_string());
            return e.exit_code();
        }
    };
    // --cluster, else the context's name for its cluster (when its brokers are used),
    // else the brokers.
    let cluster = a
        .cluster
        .clone()
        .or_else(|| conn.label.clone())
        .or(brokers.clone())
        .unwrap_or_else(|| if conn.offline { "offline" } else { "demo" }.to_string());
    let listener = match std::net::TcpListener::bind(addr) {
        Ok(l) => l,
        Err(e) => {
            let why = match e.kind() {
                std::io::ErrorKind::AddrInUse => "the address is in use (another ktopo serve?)".to_string(),
                std::io::ErrorKind::PermissionDenied => {
                    "permission denied (ports below 1024 need privileges)".to_string()
                }
                std::io::ErrorKind::AddrNotAvailable => "no interface of this machine has that address".to_string(),
                _ => e.to_string(),
            };
            fatal(&format!("cannot listen on {addr}: {why}; choose another with --listen"));
            return crate::core::exit::USAGE;
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    let waiting = match &brokers {
        Some(b) => format!("connecting to {b}"),
        None => "the demo cluster is starting".to_string(),
    };
    let first = Scrape {
        view: LiveView::default(),
        registry: Arc::clone(&reg),
        findings: None,
        sampler: SamplerHealth::default(),
        partitions: a.partitions,
    };
    let shared = Arc::new(http::Shared::new(first, cluster, waiting));
    if let Err(e) = http::spawn(listener, Arc::clone(&shared)) {
        fatal(&format!("cannot start the HTTP server: {e}"));
        return crate::core::exit::USAGE;
    }
    eprintln!("ktopo serve: listening on http://{local} (/metrics, /api/lag, /readyz, /healthz)");
    let c = match cluster_for(conn, &reg, "serve", crate::cluster::connect::Reads::Watched) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let _ = signal_hook::flag::register(sig, Arc::clone(&stop));
    }
    sample_and_publish(c, &reg, a, &shared, &stop);
    crate::core::exit::OK
}

/// The sampling loop: each round becomes the next scrape.
fn sample_and_publish(
    c: crate::cluster::connect::Connection,
    reg: &Arc<Registry>,
    a: &ServeArgs,
    shared: &http::Shared,
    stop: &AtomicBool,
) {
    let mut metrics =
        crate::core::live::metrics::Metrics::new(c.label.clone(), c.interval.as_secs_f64()).without_trends();
    let pace = c.pace();
    let (props, demo) = (c.props.clone(), c.demo.is_some());
    let mut sampler = c.sampler;
    let (environment, environment_chosen) = match &a.env {
        Some(e) => (e.clone(), true),
        None if demo => ("development".to_string(), false),
        None => ("production".to_string(), false),
    };
    let mut health = SamplerHealth {
        interval_s: c.interval.as_secs_f64(),
        ..SamplerHealth::default()
    };
    let mut good = 0u32;
    let mut seen = None;
    crate::core::live::session::run(&mut sampler, &mut metrics, pace, stop, None, |r| {
        health.rounds += 1;
        match r.failed {
            Some(e) => {
                health.errors += 1;
                health.up = false;
                health.last_error = Some(crate::cluster::kafka::config::scrub(e, &props));
            }
            None => {
                good = good.saturating_add(1);
                health.up = true;
                health.last_error = None;
                health.last_success_ms = Some(crate::core::time::now_ms());
            }
        }
        let findings = r.view.sampled().then(|| {
            let setting = crate::core::join::Setting {
                environment: environment.clone(),
                environment_chosen,
                samples: good,
                now_ms: crate::core::time::now_ms(),
            };
            let d = crate::core::join::drift(reg, &r.view, &setting, seen.take());
            seen = d.observed.clone();
            count_findings(&d.report)
        });
        shared.publish(Scrape {
            view: r.view,
            registry: Arc::clone(reg),
            findings,
            sampler: health.clone(),
            partitions: a.partitions,
        });
        crate::cluster::kafka::memory::release_freed();
        true
    });
    std::mem::forget(sampler);
    std::mem::forget(c.demo);
}
