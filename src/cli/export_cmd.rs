//! `ktopo export`: the whole platform, or a part of it (`--focus`, `--domain`).

use super::args::ExportArgs;
use super::common::*;
use crate::core::export::{self, Format, Part};
use crate::core::impact::Dir;
use crate::core::registry::Registry;
use crate::core::topology::Topology;
use std::path::Path;

pub(super) fn export_cmd(reg: &Registry, topo: &Topology, a: &ExportArgs, registry: &Path) -> i32 {
    let part = if let Some(t) = &a.focus {
        let target = match target_or_usage(reg, t) {
            Ok(t) => t,
            Err(code) => return code,
        };
        let dir = match (a.both, a.upstream) {
            (true, _) => Dir::Both,
            (_, true) => Dir::Upstream,
            _ => Dir::Downstream,
        };
        Part::focus(reg, topo, &target, dir, a.depth)
    } else if let Some(d) = &a.domain {
        match Part::domain(reg, d) {
            Ok(p) => p,
            Err(why) => {
                fatal(&why);
                return crate::core::exit::USAGE;
            }
        }
    } else {
        Part::All
    };
    if a.format == Format::Asyncapi && !matches!(part, Part::All) {
        fatal("--format asyncapi describes the whole platform: drop --focus/--domain");
        return crate::core::exit::USAGE;
    }
    let text = match a.format {
        Format::Svg => export::svg(reg, topo, &part, a.page_width),
        f => export::render_part(f, reg, topo, &part),
    };
    emit(a.output.as_deref(), &text, Some(registry))
}
