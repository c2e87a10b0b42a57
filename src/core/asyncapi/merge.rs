//! Several documents (one per service, as teams write them) into one platform: one
//! topic per address, with every document's producers, consumers and event types.
//! Where two documents disagree on a topic's configuration the first is kept and the
//! disagreement listed.

use super::model::{Platform, Topic};

pub fn merge(parts: Vec<Platform>) -> Platform {
    let mut out = Platform::default();
    for p in parts {
        out.files.extend(p.files);
        out.unsupported.extend(p.unsupported);
        if out.extras.is_none() {
            out.extras = p.extras;
        }
        for s in p.services {
            match out.services.iter_mut().find(|x| x.key == s.key) {
                Some(have) => {
                    if have.description.is_none() {
                        have.description = s.description;
                    }
                }
                None => out.services.push(s),
            }
        }
        for t in p.topics {
            match out.topics.iter().position(|x| x.name == t.name) {
                Some(i) => join(&mut out.topics[i], t, &mut out.unsupported),
                None => out.topics.push(t),
            }
        }
    }
    out.unsupported.dedup();
    out
}

fn join(have: &mut Topic, t: Topic, unsupported: &mut Vec<String>) {
    let mut keep = |what: &str, a: &mut Option<u32>, b: Option<u32>| match (*a, b) {
        (Some(x), Some(y)) if x != y => unsupported.push(format!(
            "topic `{}`: documents disagree on {what} ({x} and {y}); kept {x}",
            crate::core::visible::one_line(&have.name)
        )),
        (None, Some(y)) => *a = Some(y),
        _ => {}
    };
    keep("partitions", &mut have.partitions, t.partitions);
    keep("replicas", &mut have.replicas, t.replicas);
    keep("retention", &mut have.retention_days, t.retention_days);
    if have.description.is_none() {
        have.description = t.description;
    }
    for n in t.notes {
        if !have.notes.contains(&n) {
            have.notes.push(n);
        }
    }
    for e in t.events {
        have.merge_event(e);
    }
    for l in t.producers {
        have.add(super::model::Role::Produce, l);
    }
    for l in t.consumers {
        have.add(super::model::Role::Consume, l);
    }
    have.deprecated |= t.deprecated;
    if have.extras.is_none() {
        have.extras = t.extras;
    }
}
