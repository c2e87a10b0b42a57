//! The rows a round makes of what it read: log offsets put into the topics, and one
//! row per group × topic, a failed read kept as a row with its error.

use super::watch::Watched;
use crate::cluster::kafka::admin::{AdminError, CommittedRow, GroupDescription, Listed};
use crate::core::sample::{Member, RawGroup, RawTopic};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Put the log ends and starts read into the topics; what is missing is said once.
pub(super) fn apply_log_offsets(
    topics: &mut [RawTopic],
    ends: Result<Vec<Listed>, AdminError>,
    starts: Result<Vec<Listed>, AdminError>,
    errors: &mut Vec<String>,
) {
    let mut found: HashMap<(String, i32), (Option<i64>, Option<i64>)> = HashMap::new();
    let mut failed: BTreeMap<String, usize> = BTreeMap::new();
    for (is_end, r) in [(true, ends), (false, starts)] {
        match r {
            Err(e) => errors.push(format!("{} offsets: {e}", if is_end { "log end" } else { "log start" })),
            Ok(listed) => {
                for l in listed {
                    let slot = found.entry((l.topic, l.partition)).or_default();
                    match l.result {
                        // librdkafka answers a request that got no answer with offset
                        // -1001 and no error: an offset below 0 is no log end at all.
                        Ok((o, _)) if o < 0 => {
                            *failed
                                .entry(format!("no valid offset in the answer ({o})"))
                                .or_default() += 1
                        }
                        Ok((o, _)) if is_end => slot.0 = Some(o),
                        Ok((o, _)) => slot.1 = Some(o),
                        Err(e) => *failed.entry(e.to_string()).or_default() += 1,
                    }
                }
            }
        }
    }
    let mut missing = 0;
    for t in topics.iter_mut() {
        for p in &mut t.partitions {
            let (end, start) = found.remove(&(t.name.clone(), p.id)).unwrap_or_default();
            p.log_end = end;
            // A log start past the log end makes no sense: unknown, not a negative log.
            p.log_start = start.filter(|&s| end.is_none_or(|e| s <= e));
            missing += usize::from(end.is_none());
        }
    }
    for (e, n) in failed {
        errors.push(format!("{n} partition offsets unreadable ({e})"));
    }
    if missing > 0 {
        errors.push(format!(
            "{} without a log end: their groups' totals are partial",
            crate::core::words::count(missing, "partition", "partitions")
        ));
    }
}

type Offsets = Result<Vec<CommittedRow>, AdminError>;

/// The rows of one group: one per topic it is declared for, has commits on, or has
/// members assigned to. Nothing is dropped: a failed read becomes a row with its error.
pub(super) fn group_rows(
    name: &str,
    declared: &[&Watched],
    listing: Option<&(String, String)>,
    desc: Option<Result<GroupDescription, AdminError>>,
    offsets: Offsets,
    parts: &HashMap<String, Vec<i32>>,
) -> Vec<RawGroup> {
    let service = declared.first().and_then(|w| w.service.clone());
    let (desc, desc_err) = match desc {
        Some(Ok(d)) => (Some(d), None),
        Some(Err(e)) => (None, Some(format!("describe: {e}"))),
        None => (None, None),
    };
    let (state, kind) = match (&desc, listing) {
        (Some(d), _) => (Some(d.state.clone()), Some(d.kind.clone())),
        (None, Some((s, k))) => (Some(s.clone()), Some(k.clone())),
        _ => (None, None),
    };
    let mut topics: BTreeSet<&str> = declared.iter().filter(|w| !w.probe).map(|w| w.topic.as_str()).collect();
    let mut by_tp: HashMap<(&str, i32), i64> = HashMap::new();
    let mut errors: Vec<String> = desc_err.into_iter().collect();
    let mut bad_parts = 0usize;
    let mut bad_err = String::new();
    match &offsets {
        Ok(list) => {
            for (t, p, o, e) in list {
                if let Some(e) = e {
                    bad_parts += 1;
                    bad_err = e.to_string();
                    continue;
                }
                if let Some(o) = o {
                    by_tp.insert((t.as_str(), *p), *o);
                    topics.insert(t.as_str());
                }
            }
        }
        Err(e) => errors.push(format!("committed offsets: {e}")),
    }
    if bad_parts > 0 {
        errors.push(format!(
            "committed offsets of {} unreadable ({bad_err})",
            crate::core::words::count(bad_parts, "partition", "partitions")
        ));
    }
    if let Some(d) = &desc {
        topics.extend(
            d.members
                .iter()
                .flat_map(|m| m.assignment.iter().map(|(t, _)| t.as_str())),
        );
    }
    let error = (!errors.is_empty()).then(|| errors.join("; "));
    if topics.is_empty() {
        // An undeclared group with nothing readable still shows, with its error.
        return match &error {
            Some(_) => vec![RawGroup {
                group: name.to_string(),
                topic: String::new(),
                service,
                state,
                kind,
                error,
                ..RawGroup::default()
            }],
            None => Vec::new(),
        };
    }
    topics
        .into_iter()
        .map(|t| {
            let members = desc.as_ref().map(|d| {
                d.members
                    .iter()
                    .map(|m| Member {
                        assignment: m.assignment.iter().filter(|(mt, _)| mt == t).cloned().collect(),
                        ..m.clone()
                    })
                    .collect()
            });
            RawGroup {
                group: name.to_string(),
                topic: t.to_string(),
                service: service.clone(),
                declared: declared.iter().any(|w| w.topic == t && !w.probe),
                state: state.clone(),
                kind: kind.clone(),
                members,
                topic_on_cluster: parts.contains_key(t),
                committed: parts
                    .get(t)
                    .map(|ps| ps.iter().map(|&p| (p, by_tp.get(&(t, p)).copied())).collect())
                    .unwrap_or_default(),
                error: error.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::sample::RawPartition;

    fn listed(p: i32, o: i64) -> Listed {
        Listed {
            topic: "orders".into(),
            partition: p,
            result: Ok((o, -1)),
        }
    }

    #[test]
    fn offsets_that_make_no_sense_are_unreadable_not_zero() {
        let mut topics = vec![RawTopic {
            name: "orders".into(),
            partitions: (0..3)
                .map(|id| RawPartition {
                    id,
                    ..RawPartition::default()
                })
                .collect(),
            ..RawTopic::default()
        }];
        let mut errors = Vec::new();
        let ends = Ok(vec![listed(0, 10), listed(1, -1001), listed(2, 5)]);
        let starts = Ok(vec![listed(0, 2), listed(1, 0), listed(2, 9)]);
        apply_log_offsets(&mut topics, ends, starts, &mut errors);
        let p = &topics[0].partitions;
        assert_eq!((p[0].log_end, p[0].log_start), (Some(10), Some(2)));
        assert_eq!(p[1].log_end, None, "-1001 is no log end");
        assert_eq!(p[2].log_start, None, "a start past the end is unknown");
        assert!(
            errors
                .iter()
                .any(|e| e.contains("no valid offset in the answer (-1001)")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("1 partition without a log end")),
            "{errors:?}"
        );
    }
}
