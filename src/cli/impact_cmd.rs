//! `ktopo impact`: what a change affects, hop by hop, optionally with live lag.

use super::args::*;
use super::common::*;
use crate::cluster::connect::ConnArgs;
use crate::core::impact::{self, Dir};
use crate::core::registry::Registry;
use crate::core::topology::Topology;

pub(super) fn impact_cmd(reg: &Registry, topo: &Topology, conn: &ConnArgs, a: &ImpactArgs) -> i32 {
    let dir = if a.both {
        Dir::Both
    } else if a.upstream {
        Dir::Upstream
    } else {
        Dir::Downstream
    };
    let target = match a.target.as_deref().map(|t| target_or_usage(reg, t)).transpose() {
        Ok(t) => t,
        Err(code) => return code,
    };
    let imp = target.map(|t| impact::impact(reg, topo, &t, dir, a.depth));
    let format = a
        .format
        .unwrap_or(if a.json { ImpactFormat::Json } else { ImpactFormat::Text });
    if a.live && format == ImpactFormat::Markdown {
        fatal("--format markdown is for the registry's impact; with --live use text or json");
        return crate::core::exit::USAGE;
    }
    let json = format == ImpactFormat::Json;
    let out = match (&imp, a.live) {
        (Some(imp), false) if format == ImpactFormat::Markdown => crate::core::impact_markdown::to_markdown(reg, imp),
        (Some(imp), false) if json => {
            let mut s = serde_json::to_string_pretty(&impact::to_json(reg, imp)).unwrap_or_default();
            s.push('\n');
            s
        }
        (Some(imp), false) => crate::core::visible::escape(&impact::to_text(reg, imp)).into_owned(),
        _ => {
            if !a.min_stale.is_finite() || a.min_stale < 0.0 {
                fatal("--min-stale must be a number of seconds, 0 or more");
                return crate::core::exit::USAGE;
            }
            let (view, _) = match sample_view(conn, reg, "impact --live", a.samples, true) {
                Ok(v) => v,
                Err(code) => return code,
            };
            let st = crate::core::stale::propagate(reg, topo, &view, a.min_stale);
            // With a target: only what it reaches (and the target itself).
            let only: Option<std::collections::HashSet<crate::core::topology::Node>> = imp
                .as_ref()
                .map(|i| i.affected.iter().map(|x| x.node).chain(i.target.nodes()).collect());
            if json {
                let mut s =
                    serde_json::to_string_pretty(&crate::core::stale::to_json(reg, &st, only.as_ref(), &view.source))
                        .unwrap_or_default();
                s.push('\n');
                s
            } else {
                crate::core::visible::escape(&crate::core::stale::to_text(reg, &st, only.as_ref(), &view.source))
                    .into_owned()
            }
        }
    };
    crate::cli::output::stdout(&out)
}
