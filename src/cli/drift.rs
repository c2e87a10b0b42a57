//! `ktopo drift`: the registry against what the cluster has and does.

use super::args::*;
use super::common::*;
use crate::cluster::connect::ConnArgs;
use crate::core::diag;
use std::path::Path;

pub(super) fn drift_cmd(path: &Path, conn: &ConnArgs, a: &DriftArgs) -> i32 {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(reg) = checked.usable() else {
        return refuse(&checked);
    };
    let samples = a.samples.max(1);
    // Connect's clusters are read once with the sample: those `--connect` names (the
    // demo's own worker is not judged).
    let (view, demo) = match sample_view(conn, reg, "drift", samples, !conn.connect.is_empty()) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let (environment, environment_chosen) = match &a.env {
        Some(e) => (e.clone(), true),
        None if demo => ("development".to_string(), false),
        None => ("production".to_string(), false),
    };
    let setting = crate::core::join::Setting {
        environment,
        environment_chosen,
        samples,
        now_ms: crate::core::time::now_ms(),
    };
    let mut report = crate::core::join::drift(reg, &view, &setting, None).report;
    // Kafka Connect: the declared connectors against each --connect cluster.
    match view.connect.as_ref().filter(|_| !conn.connect.is_empty()) {
        Some(live) => {
            let (found, failed) = crate::core::connectors::drift::findings(reg, &live.reads);
            report.merge(&found);
            report.failed.extend(failed);
        }
        None if reg.services.iter().any(|s| s.connector.is_some()) => report
            .not_computed
            .push("connectors: no --connect given, so the declared connectors are not checked".into()),
        None => {}
    }
    let out = if a.json {
        let mut s =
            serde_json::to_string_pretty(&crate::core::drift::json(&report, &checked.source.path)).unwrap_or_default();
        s.push('\n');
        s
    } else {
        crate::core::visible::escape(&crate::core::drift::text(&report, &checked.source.path)).into_owned()
    };
    let code = emit(None, &out, None);
    if code != 0 {
        return code;
    }
    for f in &report.failed {
        eprintln!("drift: could not check: {}", crate::core::visible::escape(f));
    }
    report.exit_code(match a.fail_on {
        FailSeverity::Error => diag::Severity::Error,
        FailSeverity::Warning => diag::Severity::Warning,
        FailSeverity::Note => diag::Severity::Note,
    })
}
