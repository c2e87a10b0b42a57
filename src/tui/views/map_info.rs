//! The rows under the map: the selection, its domain, owner and staleness, and each
//! of its edges with its live number (producer edges their topic's msg/s, consumer
//! edges their group's status and lag), and what the cluster shows beyond the registry.

use super::rate;
use crate::core::registry::{ServiceId, TopicId};
use crate::core::topology::Node;
use crate::tui::state::App;

/// The rows under the map: the selection, its staleness, and each of its edges with
/// its live number (producer edges the topic's msg/s, consumer edges the group's lag).
pub(super) fn info_lines(app: &App, n: Node) -> Vec<String> {
    let reg = &app.data.reg;
    let live = app.live.as_ref();
    let mut head = crate::core::impact::node_ref(reg, n);
    let (domain, owner) = match n {
        Node::Service(i) => (reg.services[i].domain.as_deref(), reg.services[i].owner.as_deref()),
        Node::Topic(i) => (reg.topics[i].domain.as_deref(), reg.topics[i].owner.as_deref()),
    };
    if let Some(d) = domain {
        head.push_str(&format!(" · domain {}", reg.domain_name(d)));
    }
    if let Some(o) = owner {
        head.push_str(&format!(" · owner {o}"));
    }
    if let Some((_, c)) = app.joined.stale.as_ref().and_then(|st| st.of(n)) {
        head.push_str(&format!(
            " · {} data {} stale because of {}",
            crate::tui::symbols::STALE.glyph,
            crate::core::stale::seconds_label(c),
            crate::core::stale::because(c)
        ));
    }
    let group_text = |si: ServiceId, ti: TopicId| {
        let g = app.group_lag(si, ti);
        match g {
            Some(g) => format!(
                " {} lag {}{}",
                g.status.label(),
                g.total_lag.map_or("-".into(), |l| l.to_string()),
                g.time_lag_s
                    .map(|s| format!(" ({})", crate::core::live::view::short_duration(s)))
                    .unwrap_or_default()
            ),
            None => String::new(),
        }
    };
    let topic_rate = |ti: TopicId| {
        live.and_then(|l| l.topics.get(&reg.topics[ti].name))
            .and_then(|t| t.produce_rate)
            .map(|r| format!(" {}/s", rate(Some(r))))
            .unwrap_or_default()
    };
    // Each edge named by its other end, with its number: a producer edge its topic's
    // msg/s, a consumer edge its group's status and lag.
    let edge = |other: Node, from: Node, to: Node| {
        let number = match (from, to) {
            (Node::Topic(ti), Node::Service(si)) => group_text(si, ti),
            (Node::Service(_), Node::Topic(ti)) => topic_rate(ti),
            _ => String::new(),
        };
        let name = match other {
            Node::Service(i) => reg.services[i].key.as_str(),
            Node::Topic(i) => reg.topics[i].name.as_str(),
        };
        format!("{name}{number}")
    };
    // At most what a row can show (a topic every service reads has thousands).
    const SHOWN: usize = 40;
    let side = |dir: petgraph::Direction| {
        let mut shown = Vec::new();
        let mut more = 0;
        for (m, e) in app.data.topo.neighbours(n, dir) {
            if !e.carries_data() {
                continue;
            }
            if shown.len() == SHOWN {
                more += 1;
                continue;
            }
            let (from, to) = if dir == petgraph::Direction::Incoming {
                (m, n)
            } else {
                (n, m)
            };
            shown.push(edge(m, from, to));
        }
        (shown, more)
    };
    let (ins, more_in) = side(petgraph::Direction::Incoming);
    let (outs, more_out) = side(petgraph::Direction::Outgoing);
    // What the cluster shows beyond the registry on the topic.
    let seen: Vec<String> = match (n, &app.joined.drift) {
        (Node::Topic(t), Some(d)) => d.links_on(t).iter().map(|l| l.line(reg)).collect(),
        _ => Vec::new(),
    };
    let list = |v: &[String], more: usize| match (v.is_empty(), more) {
        (true, _) => "-".to_string(),
        (false, 0) => v.join(" · "),
        (false, n) => format!("{} and {n} more", v.join(" · ")),
    };
    // Each row stays one row: a name's newline or tab shows as `\n`, `\t`.
    vec![
        crate::core::visible::one_line(&head).into_owned(),
        crate::core::visible::one_line(&format!(
            "in ▶ {}   out ▶ {}",
            list(&ins, more_in),
            list(&outs, more_out)
        ))
        .into_owned(),
        crate::core::visible::one_line(&seen.join("  ")).into_owned(),
    ]
}
