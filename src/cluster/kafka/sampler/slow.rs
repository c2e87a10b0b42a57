//! What changes slowly and so is not read every round: group descriptions (members and
//! assignments) and log start offsets. At 5,000 groups they are most of a round's
//! requests after the committed offsets and log ends, which must be read every round.
//!
//! - A group is described again when ListGroups shows its state changed (a member
//!   joined or left: a rebalance, or the group emptied), when it is new, when its last
//!   description failed, or `MEMBERS_EVERY` after the last one. Between them the
//!   members shown are up to that old; a rebalance that starts and ends between two
//!   rounds leaves the state as it was and is seen at the next refresh.
//! - Log starts move only when retention deletes a segment or records are deleted:
//!   they are read every `STARTS_EVERY`, and at once for a partition not read yet or
//!   whose log end fell below its start (the topic was recreated). A start read earlier
//!   is never above the true one, so LOST (a commit below the log start) is seen up
//!   to `STARTS_EVERY` late, never wrongly.

use super::discovery::Listing;
use crate::cluster::kafka::admin::{AdminError, GroupDescription};
use crate::core::sample::RawTopic;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long a group's description is used before it is read again.
pub const MEMBERS_EVERY: Duration = Duration::from_secs(30);
/// How long log starts are used before they are read again.
pub const STARTS_EVERY: Duration = Duration::from_secs(60);

/// Group descriptions kept between rounds: the listed state they were read at, when.
#[derive(Debug, Default)]
pub(super) struct Descriptions {
    kept: HashMap<String, (String, Instant, GroupDescription)>,
}

impl Descriptions {
    /// Of `names`, those to describe this round (by index); the others have a kept
    /// description that is still good.
    pub(super) fn due(&self, names: &[String], listed: Option<&Listing>) -> Vec<usize> {
        let Some(l) = listed else {
            // Without a listing there is nothing to describe (and no state to compare).
            return Vec::new();
        };
        (0..names.len())
            .filter(|&i| match (self.kept.get(&names[i]), l.get(&names[i])) {
                (Some((state, at, _)), Some((now, _))) => state != now || at.elapsed() >= MEMBERS_EVERY,
                _ => true,
            })
            .collect()
    }

    /// Merge this round's descriptions (`fresh`, for the indexes `due` returned) with
    /// the kept ones, one per name; keep the good ones for later rounds and forget
    /// groups no longer asked about.
    pub(super) fn merge(
        &mut self,
        names: &[String],
        listed: Option<&Listing>,
        due: &[usize],
        fresh: Vec<Option<Result<GroupDescription, AdminError>>>,
    ) -> Vec<Option<Result<GroupDescription, AdminError>>> {
        let Some(l) = listed else {
            self.kept.clear();
            return vec![None; names.len()];
        };
        let now = Instant::now();
        let mut failed = HashMap::new();
        for (&i, d) in due.iter().zip(fresh) {
            match d {
                Some(Ok(d)) => {
                    let state = l.get(&names[i]).map(|(s, _)| s.clone()).unwrap_or_default();
                    self.kept.insert(names[i].clone(), (state, now, d));
                }
                // A failed description is shown as failed now and asked again next round.
                other => {
                    self.kept.remove(&names[i]);
                    failed.insert(i, other);
                }
            }
        }
        let out = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                failed
                    .remove(&i)
                    .unwrap_or_else(|| self.kept.get(n).map(|k| Ok(k.2.clone())))
            })
            .collect();
        let asked: std::collections::HashSet<&str> = names.iter().map(String::as_str).collect();
        self.kept.retain(|n, _| asked.contains(n.as_str()));
        out
    }
}

/// Log start offsets kept between rounds, and when they were read. By topic, so a
/// round looks its 12,500 partitions up by borrowed name, allocating nothing.
#[derive(Debug, Default)]
pub(super) struct LogStarts {
    read_at: Option<Instant>,
    kept: HashMap<String, HashMap<i32, i64>>,
}

impl LogStarts {
    /// Whether this round reads the log starts of every partition.
    pub(super) fn due(&self, topics: &[RawTopic]) -> bool {
        self.read_at.is_none_or(|at| at.elapsed() >= STARTS_EVERY)
            || topics.iter().any(|t| match self.kept.get(&t.name) {
                Some(kept) => t.partitions.iter().any(|p| !kept.contains_key(&p.id)),
                None => !t.partitions.is_empty(),
            })
    }

    /// After a round that read them: keep what was read.
    pub(super) fn keep(&mut self, topics: &[RawTopic]) {
        self.read_at = Some(Instant::now());
        self.kept = topics
            .iter()
            .map(|t| {
                let starts = t.partitions.iter().filter_map(|p| p.log_start.map(|s| (p.id, s)));
                (t.name.clone(), starts.collect())
            })
            .collect();
    }

    /// After a round that did not read them: the kept starts, where they still fit
    /// below the log end (else unknown, and read again next round).
    pub(super) fn fill(&mut self, topics: &mut [RawTopic]) {
        let mut stale = false;
        for t in topics.iter_mut() {
            let mut kept = self.kept.get_mut(&t.name);
            for p in &mut t.partitions {
                let start = kept.as_ref().and_then(|k| k.get(&p.id)).copied();
                p.log_start = start.filter(|&s| p.log_end.is_none_or(|e| s <= e));
                if p.log_start.is_none() {
                    stale = true;
                    if let Some(k) = kept.as_mut() {
                        k.remove(&p.id);
                    }
                }
            }
        }
        if stale {
            self.read_at = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::sample::RawPartition;

    fn listing(states: &[(&str, &str)]) -> Listing {
        states
            .iter()
            .map(|(g, s)| (g.to_string(), (s.to_string(), "Classic".to_string())))
            .collect()
    }

    fn described(name: &str, members: usize) -> Option<Result<GroupDescription, AdminError>> {
        Some(Ok(GroupDescription {
            group: name.to_string(),
            members: vec![Default::default(); members],
            ..Default::default()
        }))
    }

    fn members(d: &Option<Result<GroupDescription, AdminError>>) -> Option<usize> {
        d.as_ref().and_then(|d| d.as_ref().ok()).map(|d| d.members.len())
    }

    #[test]
    fn a_group_is_described_again_only_when_its_state_changes_it_fails_or_it_ages() {
        let names = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let mut d = Descriptions::default();
        let l = listing(&[("a", "Stable"), ("b", "Stable"), ("c", "Empty")]);
        // First round: every group.
        let due = d.due(&names, Some(&l));
        assert_eq!(due, vec![0, 1, 2]);
        let fresh = vec![
            described("a", 2),
            Some(Err(AdminError::Panicked("test"))),
            described("c", 0),
        ];
        let out = d.merge(&names, Some(&l), &due, fresh);
        assert_eq!(out.iter().map(members).collect::<Vec<_>>(), [Some(2), None, Some(0)]);
        assert!(matches!(out[1], Some(Err(_))), "a failed description is shown failed");
        // Same states: only the one that failed is asked again; the kept ones are used.
        let due = d.due(&names, Some(&l));
        assert_eq!(due, vec![1]);
        let out = d.merge(&names, Some(&l), &due, vec![described("b", 1)]);
        assert_eq!(out.iter().map(members).collect::<Vec<_>>(), [Some(2), Some(1), Some(0)]);
        // c gained members (Empty -> Stable): described again at once.
        let l = listing(&[("a", "Stable"), ("b", "Stable"), ("c", "Stable")]);
        assert_eq!(d.due(&names, Some(&l)), vec![2]);
        // a's description ages out.
        let old = Instant::now().checked_sub(MEMBERS_EVERY).unwrap();
        d.kept.get_mut("a").unwrap().1 = old;
        assert_eq!(d.due(&names, Some(&l)), vec![0, 2]);
        // A group no longer asked about is forgotten.
        let out = d.merge(&names[..1], Some(&l), &[0], vec![described("a", 3)]);
        assert_eq!(out.iter().map(members).collect::<Vec<_>>(), [Some(3)]);
        assert_eq!(d.kept.len(), 1);
        // Without a listing nothing is described and nothing kept.
        assert!(d.due(&names, None).is_empty());
        assert!(d.merge(&names, None, &[], Vec::new()).iter().all(Option::is_none));
        assert!(d.kept.is_empty());
    }

    fn topic(name: &str, parts: &[(Option<i64>, Option<i64>)]) -> RawTopic {
        RawTopic {
            name: name.to_string(),
            partitions: parts
                .iter()
                .enumerate()
                .map(|(i, &(log_start, log_end))| RawPartition {
                    id: i as i32,
                    log_start,
                    log_end,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn log_starts_are_reused_until_due_and_read_again_for_new_or_shrunk_partitions() {
        let mut s = LogStarts::default();
        let read = vec![topic("t", &[(Some(5), Some(10)), (Some(0), Some(3))])];
        assert!(s.due(&read), "never read: due");
        s.keep(&read);
        // Next round: the ends moved, the starts were not read.
        let mut next = vec![topic("t", &[(None, Some(12)), (None, Some(4))])];
        assert!(!s.due(&next));
        s.fill(&mut next);
        let starts: Vec<_> = next[0].partitions.iter().map(|p| p.log_start).collect();
        assert_eq!(starts, [Some(5), Some(0)]);
        // A new partition makes the next round read them all.
        let grown = vec![topic("t", &[(None, Some(12)), (None, Some(4)), (None, Some(1))])];
        assert!(s.due(&grown));
        // A log end below the kept start (the topic was recreated): unknown now, read next.
        let mut recreated = vec![topic("t", &[(None, Some(2)), (None, Some(4))])];
        s.fill(&mut recreated);
        assert_eq!(recreated[0].partitions[0].log_start, None);
        assert_eq!(recreated[0].partitions[1].log_start, Some(0));
        assert!(s.due(&recreated));
        // And they age out.
        s.keep(&read);
        assert!(!s.due(&read));
        s.read_at = Instant::now().checked_sub(STARTS_EVERY);
        assert!(s.due(&read));
    }
}
