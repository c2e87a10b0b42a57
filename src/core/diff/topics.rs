//! The rules about topics: removed, renamed, added, deprecated, and what changed on a
//! topic both sides have (events, producers, consumers, groups, configuration).

use super::change::{Change, Level, Party, Side};
use super::{names, parties, rename, Cx};
use crate::core::registry::model::{Endpoint, Event, Status, Topic};
use crate::core::registry::TopicId;
use crate::core::words::count;
use foldhash::{HashMap, HashSet};

pub(super) fn topics(cx: &mut Cx) {
    let (old, new) = (cx.old, cx.new);
    let gone: Vec<TopicId> = old
        .topics_by_id()
        .filter(|(_, t)| new.topic(&t.name).is_none())
        .map(|(i, _)| i)
        .collect();
    let added: Vec<TopicId> = new
        .topics_by_id()
        .filter(|(_, t)| old.topic(&t.name).is_none())
        .map(|(i, _)| i)
        .collect();
    let renamed = rename::topics(old, &gone, new, &added);
    let renamed_to: HashMap<TopicId, TopicId> = renamed.iter().copied().collect();
    let renamed_new: HashSet<TopicId> = renamed.iter().map(|(_, n)| *n).collect();
    for (o, ot) in old.topics_by_id() {
        if let Some(n) = new.topic(&ot.name) {
            pair(cx, ot, n);
        } else if let Some(&n) = renamed_to.get(&o) {
            renamed_topic(cx, ot, &new.topics[n]);
            pair(cx, ot, &new.topics[n]);
        } else {
            removed(cx, ot);
        }
    }
    for &n in &added {
        if !renamed_new.contains(&n) {
            added_topic(cx, &new.topics[n]);
        }
    }
}

fn removed(cx: &mut Cx, t: &Topic) {
    let readers = parties(cx.old, &t.consumers);
    let c = match t.status {
        Status::Active if !readers.is_empty() => Change::new(
            Level::Breaking,
            "topic-removed",
            &t.name,
            format!(
                "topic `{}` removed while {} consume it",
                t.name,
                count(readers.len(), "service", "services")
            ),
        ),
        Status::Active => Change::new(
            Level::Info,
            "topic-removed",
            &t.name,
            format!("topic `{}` removed (no consumer declared)", t.name),
        ),
        Status::Deprecated => return deprecated_removed(cx, t),
        Status::Proposed => Change::new(
            Level::Info,
            "proposal-removed",
            &t.name,
            format!("proposed topic `{}` removed", t.name),
        ),
    };
    cx.out.push(c.at(Side::Old, t.loc).affecting(readers));
}

/// A deprecated topic may go once its deprecation period has passed.
fn deprecated_removed(cx: &mut Cx, t: &Topic) {
    let period = cx
        .old
        .conventions
        .deprecation_period_days
        .or(cx.new.conventions.deprecation_period_days);
    let on = t.deprecation.as_ref().and_then(|d| d.deprecated_on.as_deref());
    let name = &t.name;
    let c = match (on, period) {
        (None, Some(p)) => Change::new(
            Level::Warning,
            "removed-sunset-unknown",
            name,
            format!(
                "deprecated topic `{name}` removed, but it has no `deprecated_on`: nothing says its {} deprecation period has passed",
                count(p as usize, "day", "days")
            ),
        ),
        (Some(on), Some(p)) => match sunset(on, p) {
            Some((day, date)) if cx.today < day => Change::new(
                Level::Breaking,
                "removed-before-sunset",
                name,
                format!(
                    "deprecated topic `{name}` removed before its sunset on {date} (deprecated on {on}, {} period)",
                    count(p as usize, "day", "days")
                ),
            ),
            Some((_, date)) => Change::new(
                Level::Info,
                "deprecated-topic-removed",
                name,
                format!("deprecated topic `{name}` removed after its sunset on {date}"),
            ),
            None => Change::new(
                Level::Warning,
                "removed-sunset-unknown",
                name,
                format!("deprecated topic `{name}` removed, but its `deprecated_on` `{on}` is not a YYYY-MM-DD date"),
            ),
        },
        (_, None) => Change::new(
            Level::Info,
            "deprecated-topic-removed",
            name,
            format!("deprecated topic `{name}` removed (the registry sets no deprecation period)"),
        ),
    };
    let readers = parties(cx.old, &t.consumers);
    cx.out.push(c.at(Side::Old, t.loc).affecting(readers));
}

/// The sunset of a deprecation: (days since 1970, `YYYY-MM-DD`).
fn sunset(on: &str, period: u32) -> Option<(i64, String)> {
    let start = crate::core::time::days(on)?;
    let date: jiff::civil::Date = on.trim().get(..10)?.parse().ok()?;
    let end = date.checked_add(jiff::Span::new().days(i64::from(period))).ok()?;
    Some((start + i64::from(period), end.to_string()))
}

fn added_topic(cx: &mut Cx, t: &Topic) {
    let name = &t.name;
    if t.status != Status::Active {
        let c = Change::new(
            Level::Info,
            "topic-added",
            name,
            format!("{} topic `{name}` added", t.status.as_str()),
        );
        cx.out.push(c.at(Side::New, t.loc));
        return;
    }
    let owned = t.owner.is_some() || t.producers.iter().any(|p| cx.new.services[p.service].owner.is_some());
    let mut plain = true;
    if t.consumers.is_empty() {
        plain = false;
        let c = Change::new(
            Level::Warning,
            "new-topic-no-consumers",
            name,
            format!("new topic `{name}` has no consumer: nothing reads what is written to it"),
        );
        cx.out.push(c.at(Side::New, t.loc));
    }
    if !owned {
        plain = false;
        let c = Change::new(
            Level::Warning,
            "new-topic-no-owner",
            name,
            format!("new topic `{name}` has no owner: neither it nor any of its producers names one"),
        );
        cx.out
            .push(c.at(Side::New, t.loc).affecting(parties(cx.new, &t.consumers)));
    }
    if plain {
        let c = Change::new(
            Level::Info,
            "topic-added",
            name,
            format!(
                "topic `{name}` added ({}, {})",
                count(t.producers.len(), "producer", "producers"),
                count(t.consumers.len(), "consumer", "consumers")
            ),
        );
        cx.out
            .push(c.at(Side::New, t.loc).affecting(parties(cx.new, &t.consumers)));
    }
}

fn renamed_topic(cx: &mut Cx, o: &Topic, n: &Topic) {
    let readers = parties(cx.old, &o.consumers);
    let groups_move = o.consumers.iter().zip(&n.consumers).any(|(a, b)| a.group != b.group);
    let level = if readers.is_empty() {
        Level::Info
    } else {
        Level::Breaking
    };
    let mut msg = format!("topic `{}` renamed to `{}`", o.name, n.name);
    if !readers.is_empty() {
        msg.push_str(&format!(
            " while {} consume it: they must subscribe to the new name",
            count(readers.len(), "service", "services")
        ));
        if groups_move {
            msg.push_str(", and their group ids, derived from it, start again from their reset policy");
        }
    }
    let c = Change::new(level, "topic-renamed", format!("{} → {}", o.name, n.name), msg);
    cx.out.push(c.at(Side::New, n.loc).affecting(readers));
}

/// A topic both sides have (under one name, or renamed).
fn pair(cx: &mut Cx, o: &Topic, n: &Topic) {
    let name = &n.name;
    match (o.status, n.status) {
        (Status::Active, Status::Deprecated) => return deprecated(cx, o, n),
        (Status::Active, Status::Proposed) => {
            let readers = parties(cx.old, &o.consumers);
            let level = if readers.is_empty() {
                Level::Info
            } else {
                Level::Breaking
            };
            let c = Change::new(
                level,
                "topic-withdrawn",
                name,
                format!("active topic `{name}` moved back to the proposals: it no longer exists for its consumers"),
            );
            cx.out.push(c.at(Side::New, n.loc).affecting(readers));
            return;
        }
        (a, b) if a != b => {
            let c = Change::new(
                Level::Info,
                "status-changed",
                name,
                format!("topic `{name}` is now {} (was {})", b.as_str(), a.as_str()),
            );
            cx.out
                .push(c.at(Side::New, n.loc).affecting(parties(cx.new, &n.consumers)));
            if a == Status::Proposed {
                return;
            }
        }
        _ => {}
    }
    let from = cx.out.len();
    events(cx, o, n);
    producers(cx, o, n);
    consumers(cx, o, n);
    if n.status == Status::Proposed {
        // Candidates only: nothing exists on the cluster for anyone to lose yet.
        for c in &mut cx.out[from..] {
            c.level = Level::Info;
        }
    } else {
        config(cx, o, n);
    }
    details(cx, o, n);
}

/// Active to deprecated: every event type it carried needs a topic that carries it.
fn deprecated(cx: &mut Cx, o: &Topic, n: &Topic) {
    let Some(dep) = &n.deprecation else { return };
    let homeless: Vec<&str> = o
        .events
        .iter()
        .map(|e| e.name.as_str())
        .filter(|e| {
            let to = dep
                .moves
                .iter()
                .find(|m| m.events.iter().any(|x| x == e))
                .map_or(dep.replaced_by.as_str(), |m| m.to.as_str());
            !cx.new.topic(to).is_some_and(|t| t.events.iter().any(|x| x.name == *e))
        })
        .collect();
    let readers = parties(cx.old, &o.consumers);
    let name = &n.name;
    let c = if homeless.is_empty() {
        Change::new(
            Level::Info,
            "topic-deprecated",
            name,
            format!(
                "topic `{name}` deprecated, replaced by `{}`: its consumers move there",
                dep.replaced_by
            ),
        )
    } else {
        Change::new(
            Level::Warning,
            "deprecated-no-replacement",
            name,
            format!(
                "topic `{name}` deprecated without a replacement for {}: `{}` does not carry {}, and no move says where {} go",
                count(homeless.len(), "event type", "event types"),
                dep.replaced_by,
                names(&homeless),
                if homeless.len() == 1 { "it" } else { "they" }
            ),
        )
    };
    cx.out.push(c.at(Side::New, n.loc).affecting(readers));
}

fn events(cx: &mut Cx, o: &Topic, n: &Topic) {
    // Hashed: a topic may list many event types.
    let old_by: HashMap<&str, &Event> = o.events.iter().map(|e| (e.name.as_str(), e)).collect();
    let new_names: HashSet<&str> = n.events.iter().map(|e| e.name.as_str()).collect();
    let gone: Vec<_> = o
        .events
        .iter()
        .filter(|e| !new_names.contains(e.name.as_str()))
        .collect();
    let added: Vec<_> = n
        .events
        .iter()
        .filter(|e| !old_by.contains_key(e.name.as_str()))
        .collect();
    let renamed = rename::events(&gone, &added);
    let renamed_from: HashMap<*const Event, &Event> = renamed.iter().map(|(g, a)| (*g as *const Event, *a)).collect();
    let renamed_to: HashSet<*const Event> = renamed.iter().map(|(_, a)| *a as *const Event).collect();
    let readers = parties(cx.old, &o.consumers);
    let level = if readers.is_empty() {
        Level::Info
    } else {
        Level::Breaking
    };
    let who = count(readers.len(), "consumer", "consumers");
    for e in &gone {
        let subject = format!("{}/{}", n.name, e.name);
        let c = match renamed_from.get(&(*e as *const Event)) {
            Some(to) => Change::new(
                level,
                "event-renamed",
                subject,
                format!(
                    "event type `{}` on `{}` renamed to `{}` ({who})",
                    e.name, n.name, to.name
                ),
            )
            .at(Side::New, to.loc),
            None => Change::new(
                level,
                "event-removed",
                subject,
                format!("event type `{}` removed from `{}` ({who})", e.name, n.name),
            )
            .at(Side::Old, e.loc),
        };
        cx.out.push(c.affecting(readers.clone()));
    }
    for e in &added {
        if renamed_to.contains(&(*e as *const Event)) {
            continue;
        }
        let c = Change::new(
            Level::Info,
            "event-added",
            format!("{}/{}", n.name, e.name),
            format!("event type `{}` added to `{}`", e.name, n.name),
        );
        cx.out.push(c.at(Side::New, e.loc));
    }
    for e in &n.events {
        if let Some(was) = old_by.get(e.name.as_str()) {
            if was.description != e.description {
                let c = Change::new(
                    Level::Info,
                    "description-changed",
                    format!("{}/{}", n.name, e.name),
                    format!("the description of event type `{}` on `{}` changed", e.name, n.name),
                );
                cx.out.push(c.at(Side::New, e.loc));
            }
        }
    }
}

fn keys(cx_reg: &crate::core::registry::Registry, list: &[crate::core::registry::model::Endpoint]) -> Vec<String> {
    list.iter().map(|e| cx_reg.services[e.service].key.clone()).collect()
}

fn producers(cx: &mut Cx, o: &Topic, n: &Topic) {
    let ok: Vec<String> = keys(cx.old, &o.producers)
        .iter()
        .map(|k| cx.new_key(k).to_string())
        .collect();
    let nk = keys(cx.new, &n.producers);
    let name = &n.name;
    if nk.is_empty() && !ok.is_empty() && !n.consumers.is_empty() {
        let c = Change::new(
            Level::Breaking,
            "last-producer-removed",
            name,
            format!(
                "the last producer of `{name}` removed ({}): its {} read nothing new",
                names(&ok),
                count(n.consumers.len(), "consumer", "consumers")
            ),
        );
        cx.out
            .push(c.at(Side::New, n.loc).affecting(parties(cx.new, &n.consumers)));
        return;
    }
    let (okset, nkset): (HashSet<&String>, HashSet<&String>) = (ok.iter().collect(), nk.iter().collect());
    for (code, list, other, verb) in [
        ("producer-removed", &ok, &nkset, "no longer produces to"),
        ("producer-added", &nk, &okset, "now produces to"),
    ] {
        for k in list.iter().filter(|k| !other.contains(k)) {
            let c = Change::new(Level::Info, code, name, format!("`{k}` {verb} `{name}`"));
            cx.out.push(c.at(Side::New, n.loc));
        }
    }
}

fn consumers(cx: &mut Cx, o: &Topic, n: &Topic) {
    let name = &n.name;
    // Hashed: thousands of services may subscribe `*`.
    let new_by: HashMap<&str, &Endpoint> = n
        .consumers
        .iter()
        .map(|x| (cx.new.services[x.service].key.as_str(), x))
        .collect();
    let old_keys: HashSet<String> = o
        .consumers
        .iter()
        .map(|x| cx.new_key(&cx.old.services[x.service].key).to_string())
        .collect();
    for e in &o.consumers {
        let s = &cx.old.services[e.service];
        let key = cx.new_key(&s.key);
        match new_by.get(key).copied() {
            None => {
                let c = Change::new(
                    Level::Info,
                    "consumer-removed",
                    name,
                    format!("`{}` no longer consumes `{name}`", s.key),
                );
                cx.out.push(c.at(Side::New, n.loc).affecting(vec![Party::of(s)]));
            }
            Some(x) if x.group != e.group && o.name == n.name => {
                let party = Party::of(&cx.new.services[x.service]);
                let by_convention = !e.group_explicit
                    && !x.group_explicit
                    && cx.old.conventions.consumer_group != cx.new.conventions.consumer_group;
                if by_convention {
                    cx.by_convention
                        .push((name.clone(), party, e.group.clone(), x.group.clone()));
                    continue;
                }
                if !e.group_explicit && !x.group_explicit && key != s.key {
                    cx.by_key
                        .push((s.key.clone(), name.clone(), e.group.clone(), x.group.clone()));
                    continue;
                }
                let c = Change::new(
                    Level::Breaking,
                    "group-changed",
                    format!("{name}/{}", s.key),
                    format!(
                        "the consumer group of `{}` on `{name}` changed from {} to {}: a new group starts from its reset policy (skipped or replayed messages)",
                        s.key,
                        shown(&e.group),
                        shown(&x.group)
                    ),
                );
                cx.out.push(c.at(Side::New, n.loc).affecting(vec![party]));
            }
            Some(_) => {}
        }
    }
    for e in &n.consumers {
        let s = &cx.new.services[e.service];
        if !old_keys.contains(&s.key) {
            let c = Change::new(
                Level::Info,
                "consumer-added",
                name,
                format!("`{}` now consumes `{name}`", s.key),
            );
            cx.out.push(c.at(Side::New, n.loc).affecting(vec![Party::of(s)]));
        }
    }
}

/// A group id for a sentence: `billing_x` or `none`.
pub(super) fn shown(g: &Option<String>) -> String {
    g.as_ref().map_or("none (unknown)".to_string(), |g| format!("`{g}`"))
}

fn config(cx: &mut Cx, o: &Topic, n: &Topic) {
    let name = &n.name;
    let readers = || parties(cx.new, &n.consumers);
    // Where the value is written: the topic's override, or the default it takes.
    let at = |key: &'static str| {
        if n.config.overridden.contains(&key) {
            Some(n.loc)
        } else {
            cx.new.conventions.default_at(key)
        }
    };
    let from_default = |key: &'static str| !o.config.overridden.contains(&key) && !n.config.overridden.contains(&key);
    let mut push = |c: Change, key| {
        let c = match at(key) {
            Some(l) => c.at(Side::New, l),
            None => c.in_side(Side::New),
        };
        if from_default(key) {
            cx.by_default.push((key, c));
        } else {
            cx.out.push(c);
        }
    };
    let (op, np) = (o.config.partitions, n.config.partitions);
    if op != np {
        let c = match (op, np) {
            (Some(a), Some(b)) if b < a => Change::new(
                Level::Breaking,
                "partitions-reduced",
                name,
                format!("`{name}` goes from {a} to {b} partitions: Kafka cannot shrink a topic, it must be recreated (offsets and per-key order are lost)"),
            )
            .affecting(readers()),
            _ => Change::new(
                Level::Info,
                "partitions-changed",
                name,
                format!("`{name}` partitions {} → {}: keys hash to other partitions from then on", num(op), num(np)),
            ),
        };
        push(c, "partitions");
    }
    let (or, nr) = (o.config.retention_days, n.config.retention_days);
    if or != nr {
        let c = match (or, nr) {
            (Some(a), Some(b)) if b < a => Change::new(
                Level::Breaking,
                "retention-reduced",
                name,
                format!(
                    "`{name}` keeps messages {} instead of {a}: a consumer further behind loses messages",
                    count(b as usize, "day", "days")
                ),
            )
            .affecting(readers()),
            _ => Change::new(
                Level::Info,
                "retention-changed",
                name,
                format!("`{name}` retention {} → {} days", num(or), num(nr)),
            ),
        };
        push(c, "retention_days");
    }
    if o.config.replication != n.config.replication {
        let c = Change::new(
            Level::Info,
            "config-changed",
            name,
            format!("`{name}` replication changed"),
        );
        push(c, "replication");
    }
    if o.config.compression != n.config.compression {
        let c = Change::new(
            Level::Info,
            "config-changed",
            name,
            format!(
                "`{name}` compression {} → {}",
                o.config.compression.as_deref().unwrap_or("none"),
                n.config.compression.as_deref().unwrap_or("none")
            ),
        );
        push(c, "compression");
    }
}

fn num(v: Option<u32>) -> String {
    v.map_or("unset".to_string(), |v| v.to_string())
}

/// Descriptions, owners, schema, message format and deprecation facts: all info.
fn details(cx: &mut Cx, o: &Topic, n: &Topic) {
    let name = &n.name;
    let json = |v: &Option<crate::core::registry::model::MessageFormat>| serde_json::to_string(v).unwrap_or_default();
    let facts: [(&'static str, &str, bool); 6] = [
        (
            "description-changed",
            "summary or purpose",
            o.summary != n.summary || o.purpose != n.purpose,
        ),
        (
            "owner-changed",
            "owner or on-call",
            o.owner != n.owner || o.oncall != n.oncall,
        ),
        (
            "schema-changed",
            "schema",
            o.schema_status != n.schema_status
                || o.schema_reference != n.schema_reference
                || o.schema_format != n.schema_format,
        ),
        (
            "message-format-changed",
            "message format",
            json(&o.message) != json(&n.message),
        ),
        ("replacement-changed", "replacement", o.replaced_by() != n.replaced_by()),
        (
            "description-changed",
            "notes",
            o.notes != n.notes || o.use_cases != n.use_cases,
        ),
    ];
    for (code, what, changed) in facts {
        if changed {
            let c = Change::new(Level::Info, code, name, format!("the {what} of `{name}` changed"));
            cx.out.push(c.at(Side::New, n.loc));
        }
    }
}
