//! `ktopo diff --live`: the cluster's view added to the report, from one sampling of
//! it with OLD's groups watched: consumers still reading a topic NEW removes (or
//! renames), producers still writing to it, lag on a topic whose partitions shrink.

use super::change::{Change, Level, Party, Report, Side};
use crate::core::live::view::{GroupTopicLag, LiveView};
use crate::core::registry::Registry;
use crate::core::words::count;

/// A group reads the topic when it has members on it or committed offsets.
fn reading(g: &GroupTopicLag) -> bool {
    g.error.is_none()
        && !g.topic_absent
        && (g.members.unwrap_or(0) > 0 || g.partitions.iter().any(|p| p.committed.is_some()))
}

fn party(old: &Registry, g: &GroupTopicLag) -> Vec<Party> {
    g.service
        .as_deref()
        .and_then(|k| old.service_by_key(k))
        .map(|i| vec![Party::of(&old.services[i])])
        .unwrap_or_default()
}

pub fn add(report: &mut Report, old: &Registry, new: &Registry, view: &LiveView) {
    let mut found = Vec::new();
    for t in &old.topics {
        let name = &t.name;
        let live = view.topics.get(name).filter(|l| l.on_cluster);
        match new.topic(name) {
            None => {
                for g in view.groups.iter().filter(|g| &g.topic == name && reading(g)) {
                    let facts: Vec<String> = [
                        g.members.map(|m| count(m, "member", "members")),
                        g.total_lag.map(|l| format!("{l} behind")),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    let facts = if facts.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", facts.join(", "))
                    };
                    let c = Change::new(
                        Level::Breaking,
                        "live-consumer-still-reading",
                        format!("{name}/{}", g.group),
                        format!("group `{}` still reads `{name}` on {}{facts}", g.group, view.source),
                    );
                    found.push(c.at(Side::Old, t.loc).affecting(party(old, g)));
                }
                if let Some(rate) = live.and_then(|l| l.produce_rate).filter(|r| *r > 0.0) {
                    let c = Change::new(
                        Level::Breaking,
                        "live-producer-still-writing",
                        name,
                        format!("`{name}` is still written on {} ({rate:.1} messages/s)", view.source),
                    );
                    found.push(c.at(Side::Old, t.loc));
                }
            }
            Some(n) => {
                let shrinks = matches!((t.config.partitions, n.config.partitions), (Some(a), Some(b)) if b < a);
                let lag = live.and_then(|l| l.total_lag).filter(|l| *l > 0);
                if let (true, Some(lag)) = (shrinks, lag) {
                    let readers: Vec<Party> = view
                        .groups
                        .iter()
                        .filter(|g| &g.topic == name && g.total_lag.unwrap_or(0) > 0)
                        .flat_map(|g| party(old, g))
                        .collect();
                    let c = Change::new(
                        Level::Breaking,
                        "live-lag-on-shrinking-topic",
                        name,
                        format!(
                            "`{name}` has {lag} messages of consumer lag on {}: recreating it with fewer partitions loses them",
                            view.source
                        ),
                    );
                    found.push(c.at(Side::New, n.loc).affecting(readers));
                }
            }
        }
    }
    report.changes.extend(found);
    report.changes.sort_by_key(|c| std::cmp::Reverse(c.level));
}
