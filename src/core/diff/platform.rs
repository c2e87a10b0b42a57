//! The rules about the rest of the registry: services, the consumer group convention,
//! the envelope every message carries, and what describes the platform.

use super::change::{Change, Level, Party, Side};
use super::topics::shown;
use super::{names, Cx};
use crate::core::registry::model::Status;
use crate::core::words::count;

pub(super) fn conventions(cx: &mut Cx) {
    let (o, n) = (&cx.old.conventions, &cx.new.conventions);
    if o.deprecation_period_days != n.deprecation_period_days {
        let days = |d: Option<u32>| d.map_or("none".to_string(), |d| count(d as usize, "day", "days"));
        cx.out.push(Change::new(
            Level::Info,
            "deprecation-period-changed",
            "conventions.deprecation_period_days",
            format!(
                "the deprecation period changed from {} to {}",
                days(o.deprecation_period_days),
                days(n.deprecation_period_days)
            ),
        ));
    }
    let patterns = |c: &crate::core::registry::model::Conventions| {
        c.topic_naming.iter().map(|p| p.pattern.clone()).collect::<Vec<_>>()
    };
    if patterns(o) != patterns(n) {
        cx.out.push(Change::new(
            Level::Info,
            "naming-changed",
            "conventions.topic_naming",
            "the topic naming patterns changed",
        ));
    }
}

/// After the topics: the consumers whose derived group id moved with the convention.
pub(super) fn convention_groups(cx: &mut Cx) {
    let (o, n) = (&cx.old.conventions.consumer_group, &cx.new.conventions.consumer_group);
    if o == n {
        return;
    }
    let moved = std::mem::take(&mut cx.by_convention);
    let mut affects: Vec<Party> = Vec::new();
    for (_, p, _, _) in &moved {
        if !affects.contains(p) {
            affects.push(p.clone());
        }
    }
    affects.sort_by(|a, b| a.key.cmp(&b.key));
    let c = if moved.is_empty() {
        Change::new(
            Level::Info,
            "group-convention-changed",
            "conventions.consumer_group",
            format!(
                "the consumer group convention changed from `{o}` to `{n}` (no declared consumer's group id moves)"
            ),
        )
    } else {
        let (topic, p, was, now) = &moved[0];
        Change::new(
            Level::Breaking,
            "group-convention-changed",
            "conventions.consumer_group",
            format!(
                "the consumer group convention changed from `{o}` to `{n}`: {} of {} get a new group id that starts from its reset policy (skipped or replayed messages), e.g. `{}` on `{topic}`: {} → {}",
                count(moved.len(), "consumer", "consumers"),
                count(affects.len(), "service", "services"),
                p.key,
                shown(was),
                shown(now)
            ),
        )
        .affecting(affects)
    };
    cx.out.push(c);
}

pub(super) fn services(cx: &mut Cx) {
    let (old, new) = (cx.old, cx.new);
    for s in &old.services {
        if let Some((_, to)) = cx.renamed_services.iter().find(|(o, _)| *o == s.key) {
            let n = new.service_by_key(to).map(|i| &new.services[i]);
            let moved: Vec<_> = cx.by_key.iter().filter(|(k, ..)| *k == s.key).collect();
            let c = match moved.first() {
                None => Change::new(
                    Level::Info,
                    "service-renamed",
                    format!("{} → {to}", s.key),
                    format!("service {} is now keyed `{to}` (was `{}`)", s.label(), s.key),
                ),
                Some((_, topic, was, now)) => Change::new(
                    Level::Breaking,
                    "service-renamed",
                    format!("{} → {to}", s.key),
                    format!(
                        "service {} is now keyed `{to}` (was `{}`): its {} derived from the key move and start from their reset policy (skipped or replayed messages), e.g. on `{topic}`: {} → {}",
                        s.label(),
                        s.key,
                        count(moved.len(), "group id", "group ids"),
                        shown(was),
                        shown(now)
                    ),
                ),
            };
            let c = match n {
                Some(n) => c.at(Side::New, n.loc).affecting(vec![Party::of(n)]),
                None => c,
            };
            cx.out.push(c);
            continue;
        }
        match new.service_by_key(&s.key) {
            None => {
                // The topics it produced that NEW still has: who owns them now?
                let kept: Vec<&str> = old
                    .topics
                    .iter()
                    .filter(|t| t.status != Status::Proposed)
                    .filter(|t| t.producers.iter().any(|p| old.services[p.service].key == s.key))
                    .filter(|t| new.topic(&t.name).is_some())
                    .map(|t| t.name.as_str())
                    .collect();
                let c = if kept.is_empty() {
                    Change::new(
                        Level::Info,
                        "service-removed",
                        &s.key,
                        format!("service {} removed", s.label()),
                    )
                } else {
                    Change::new(
                        Level::Warning,
                        "service-removed-owning-topics",
                        &s.key,
                        format!(
                            "service {} removed while it still owns {}: {} (name a new producer or remove them)",
                            s.label(),
                            count(kept.len(), "topic", "topics"),
                            names(&kept)
                        ),
                    )
                };
                cx.out.push(c.at(Side::Old, s.loc).affecting(vec![Party::of(s)]));
            }
            Some(i) => {
                let n = &new.services[i];
                let mut what = Vec::new();
                if s.name != n.name || s.id != n.id {
                    what.push("name or id");
                }
                if s.description != n.description || s.domain != n.domain || s.kind != n.kind {
                    what.push("description");
                }
                if s.owner != n.owner || s.oncall != n.oncall {
                    what.push("owner or on-call");
                }
                if !what.is_empty() {
                    let code = if what.contains(&"owner or on-call") {
                        "owner-changed"
                    } else {
                        "service-changed"
                    };
                    let c = Change::new(
                        Level::Info,
                        code,
                        &n.key,
                        format!("the {} of service {} changed", what.join(" and "), n.label()),
                    );
                    cx.out.push(c.at(Side::New, n.loc).affecting(vec![Party::of(n)]));
                }
            }
        }
    }
    for s in &new.services {
        if old.service_by_key(&s.key).is_none() && !cx.renamed_services.iter().any(|(_, n)| *n == s.key) {
            let c = Change::new(
                Level::Info,
                "service-added",
                &s.key,
                format!("service {} added", s.label()),
            );
            cx.out.push(c.at(Side::New, s.loc));
        }
    }
}

/// Every service consuming a topic the envelope applies to: a change to the envelope
/// reaches all of them.
fn envelope_readers(cx: &Cx) -> Vec<Party> {
    let mut out: Vec<Party> = Vec::new();
    for t in &cx.new.topics {
        if t.status == Status::Proposed || t.message.as_ref().and_then(|m| m.envelope) == Some(false) {
            continue;
        }
        for e in &t.consumers {
            let p = Party::of(&cx.new.services[e.service]);
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

pub(super) fn envelope(cx: &mut Cx) {
    let (o, n) = (&cx.old.conventions.envelope, &cx.new.conventions.envelope);
    let mut found = Vec::new();
    for f in o {
        let subject = format!("envelope.{}", f.name);
        match n.iter().find(|x| x.name == f.name) {
            None => found.push(
                Change::new(
                    Level::Breaking,
                    "envelope-field-removed",
                    subject,
                    format!(
                        "envelope field `{}` ({}) removed: consumers reading it find nothing",
                        f.name, f.kind
                    ),
                )
                .in_side(Side::Old),
            ),
            Some(x) if x.kind != f.kind => found.push(Change::new(
                Level::Breaking,
                "envelope-type-changed",
                subject,
                format!(
                    "envelope field `{}` changes type from `{}` to `{}`",
                    f.name, f.kind, x.kind
                ),
            )),
            Some(x) if x.description != f.description => found.push(Change::new(
                Level::Info,
                "description-changed",
                subject,
                format!("the description of envelope field `{}` changed", f.name),
            )),
            Some(_) => {}
        }
    }
    for f in n {
        if !o.iter().any(|x| x.name == f.name) {
            found.push(Change::new(
                Level::Info,
                "envelope-field-added",
                format!("envelope.{}", f.name),
                format!("envelope field `{}` ({}) added", f.name, f.kind),
            ));
        }
    }
    if found.iter().any(|c| c.level == Level::Breaking) {
        let readers = envelope_readers(cx);
        for c in found.iter_mut().filter(|c| c.level == Level::Breaking) {
            c.affects = readers.clone();
        }
    }
    cx.out.extend(found);
}

pub(super) fn descriptions(cx: &mut Cx) {
    let (o, n) = (&cx.old.platform, &cx.new.platform);
    if o.name != n.name || o.description != n.description || o.owner != n.owner {
        cx.out.push(Change::new(
            Level::Info,
            "description-changed",
            "platform",
            "the platform's name, description or owner changed",
        ));
    }
    let ids = |r: &crate::core::registry::Registry| r.domains.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    let (od, nd) = (ids(cx.old), ids(cx.new));
    for d in nd.iter().filter(|d| !od.contains(d)) {
        cx.out.push(Change::new(
            Level::Info,
            "domain-added",
            d,
            format!("domain `{d}` added"),
        ));
    }
    for d in od.iter().filter(|d| !nd.contains(d)) {
        cx.out
            .push(Change::new(Level::Info, "domain-removed", d, format!("domain `{d}` removed")).in_side(Side::Old));
    }
}

/// A default many topics take changes once: one change per key and rule, naming the
/// topics, affecting all their consumers (a single topic keeps its own change).
pub(super) fn defaults(cx: &mut Cx) {
    let all = std::mem::take(&mut cx.by_default);
    let mut groups: Vec<(&'static str, &'static str, Vec<Change>)> = Vec::new();
    for (key, c) in all {
        match groups.iter_mut().find(|(k, code, _)| *k == key && *code == c.code) {
            Some((_, _, list)) => list.push(c),
            None => groups.push((key, c.code, vec![c])),
        }
    }
    for (key, code, mut list) in groups {
        if list.len() == 1 {
            cx.out.append(&mut list);
            continue;
        }
        let topics: Vec<&str> = list.iter().map(|c| c.subject.as_str()).collect();
        let mut affects: Vec<Party> = Vec::new();
        for p in list.iter().flat_map(|c| &c.affects) {
            if !affects.contains(p) {
                affects.push(p.clone());
            }
        }
        affects.sort_by(|a, b| a.key.cmp(&b.key));
        let first = &list[0];
        let c = Change {
            level: first.level,
            code,
            subject: format!("topic_defaults.{key}"),
            message: format!(
                "`topic_defaults.{key}` changes {} that take it ({}); for the first: {}",
                count(list.len(), "topic", "topics"),
                names(&topics),
                first.message
            ),
            side: first.side,
            loc: first.loc,
            affects,
        };
        cx.out.push(c);
    }
}
