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

/// Log start offsets kept between rounds, and when they were read.
#[derive(Debug, Default)]
pub(super) struct LogStarts {
    read_at: Option<Instant>,
    kept: HashMap<(String, i32), i64>,
}

impl LogStarts {
    /// Whether this round reads the log starts of every partition.
    pub(super) fn due(&self, topics: &[RawTopic]) -> bool {
        self.read_at.is_none_or(|at| at.elapsed() >= STARTS_EVERY)
            || topics.iter().any(|t| {
                t.partitions
                    .iter()
                    .any(|p| !self.kept.contains_key(&(t.name.clone(), p.id)))
            })
    }

    /// After a round that read them: keep what was read.
    pub(super) fn keep(&mut self, topics: &[RawTopic]) {
        self.read_at = Some(Instant::now());
        self.kept = topics
            .iter()
            .flat_map(|t| {
                t.partitions
                    .iter()
                    .filter_map(move |p| p.log_start.map(|s| ((t.name.clone(), p.id), s)))
            })
            .collect();
    }

    /// After a round that did not read them: the kept starts, where they still fit
    /// below the log end (else unknown, and read again next round).
    pub(super) fn fill(&mut self, topics: &mut [RawTopic]) {
        let mut stale = false;
        for t in topics.iter_mut() {
            for p in &mut t.partitions {
                let key = (t.name.clone(), p.id);
                p.log_start = self
                    .kept
                    .get(&key)
                    .copied()
                    .filter(|&s| p.log_end.is_none_or(|e| s <= e));
                if p.log_start.is_none() {
                    stale = true;
                    self.kept.remove(&key);
                }
            }
        }
        if stale {
            self.read_at = None;
        }
    }
}
