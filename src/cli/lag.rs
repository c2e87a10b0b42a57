//! `ktopo lag`: consumer lag, once or watched, with gates for scripts.

use super::args::*;
use super::common::*;
use crate::cluster::connect::ConnArgs;
use crate::core::registry::Registry;
use std::io::{IsTerminal, Write};
use std::sync::atomic::AtomicBool;

pub(super) fn lag_cmd(reg: &Registry, conn: &ConnArgs, a: &LagArgs) -> i32 {
    use crate::core::lag_report as report;
    let filters = match report::Filters::new(a.group.as_deref(), a.topic.as_deref()) {
        Ok(f) => f,
        Err(e) => {
            fatal(&e.to_string());
            return crate::core::exit::USAGE;
        }
    };
    if !(a.max_wait.is_finite() && (0.0..=86_400.0).contains(&a.max_wait)) {
        fatal("--max-wait must be a number of seconds between 0 and 86400");
        return crate::core::exit::USAGE;
    }
    let c = match cluster_for(
        conn,
        reg,
        "lag",
        if a.watch {
            crate::cluster::connect::Reads::Watched
        } else {
            crate::cluster::connect::Reads::Once
        },
    ) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut metrics =
        crate::core::live::metrics::Metrics::new(c.label.clone(), c.interval.as_secs_f64()).without_trends();
    let pace = c.pace();
    let (label, mut sampler) = (c.label.clone(), c.sampler);
    let samples = a.samples.max(1);
    // Escape codes only for a terminal: a file or a pipe gets plain successive reports.
    let clear = a.watch && std::io::stdout().is_terminal();
    let owner_of = |key: &str| {
        let s = reg.service_by_key(key).map(|i| &reg.services[i])?;
        Some((s.owner.clone(), s.oncall.clone()))
    };
    let began = std::time::Instant::now();
    let mut code = crate::core::exit::OK;
    crate::core::live::session::run(&mut sampler, &mut metrics, pace, &AtomicBool::new(false), None, |r| {
        if let (Some(e), false) = (r.failed, a.watch) {
            fatal(&format!("cannot reach the cluster at {label}: {e}"));
            code = crate::core::exit::CLUSTER;
            return false;
        }
        if r.number + 1 < samples {
            return true;
        }
        let rows = filters.select(&r.view);
        let waited_out = began.elapsed().as_secs_f64() >= a.max_wait;
        // A gate waits (quietly, unless watching) until every group has a verdict.
        if a.fail_on.is_some() && !a.watch && !waited_out && !report::all_evaluated(&rows) {
            return true;
        }
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        let written = if a.json {
            let doc = report::json(&r.view, &rows, &filters, &owner_of);
            if a.watch {
                // NDJSON: one object per line, so line-oriented tools can follow it.
                serde_json::to_writer(&mut stdout, &doc)
            } else {
                serde_json::to_writer_pretty(&mut stdout, &doc)
            }
            .map_err(std::io::Error::from)
            .and_then(|_| stdout.write_all(b"\n"))
        } else {
            let clear_screen = if clear { "\x1b[2J\x1b[H" } else { "" };
            let text = report::text(&r.view, &rows, &filters);
            let text = crate::core::visible::escape(&text);
            stdout
                .write_all(clear_screen.as_bytes())
                .and_then(|_| stdout.write_all(text.as_bytes()))
        };
        if let Err(e) = written.and_then(|_| stdout.flush()) {
            // A closed pipe (`| head`) ends quietly; anything else (a full disk) is an error.
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("error: cannot write the report: {e}");
                code = crate::core::exit::OUTPUT;
            }
            return false;
        }
        let final_ = !a.watch || waited_out;
        if let Some(lines) = report::gate(a.fail_on, &rows, &filters, final_) {
            for line in lines
                .iter()
                .chain(&report::who_to_call(a.fail_on, &rows, &owner_of, final_))
            {
                eprintln!("{}", crate::core::visible::escape(line));
            }
            code = crate::core::exit::TRIPPED;
            return false;
        }
        a.watch
    });
    // The process exits next: closing the client handle (and the demo's) would add
    // time for nothing.
    std::mem::forget(sampler);
    std::mem::forget(c.demo);
    code
}
