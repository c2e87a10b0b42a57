//! A group × topic row's status, judged once per sample from its partitions' shown
//! verdicts (`status`), with the row-level rules: a group that never committed is
//! MISSING or NOCOMMIT, a STOP while another partition consumes is a STALL, a commit
//! below the log start is LOST. Each row keeps its last `TRANSITIONS` status changes.

use super::status::{Reason, Rules, Track, Verdict};
use super::view::{short_duration, Health, Transition};
use crate::core::sample::RawGroup;
use crate::core::sample::RawSample;
use std::collections::{HashMap, HashSet, VecDeque};

pub const TRANSITIONS: usize = 16;

/// A group × topic row's status over time, with its partitions' tracks.
#[derive(Debug)]
pub(super) struct RowState {
    pub(super) parts: super::part_tracks::PartTracks,
    pub(super) status: Health,
    pub(super) reason: RowReason,
    pub(super) first_s: f64,
    pub(super) since_s: f64,
    pub(super) since_ms: Option<i64>,
    pub(super) history: VecDeque<Transition>,
}

/// Judge every group × partition and every row on this sample, and keep each row's
/// status changes.
pub(super) fn judge(
    rows: &mut HashMap<String, HashMap<String, RowState>>,
    rules: &Rules,
    s: &RawSample,
    ends: &HashMap<(&str, i32), i64>,
    starts: &HashMap<(&str, i32), i64>,
) {
    let now = s.offsets_at_s;
    let wall = (s.wall_ms > 0).then_some(s.wall_ms);
    // Topics with something to read (a group that never committed on an empty topic is fine).
    let readable: HashSet<&str> = s
        .topics
        .iter()
        .filter(|t| {
            t.partitions
                .iter()
                .any(|p| p.log_end.unwrap_or(0) > p.log_start.unwrap_or(0))
        })
        .map(|t| t.name.as_str())
        .collect();
    for g in &s.groups {
        let members = g.members.as_ref().map(Vec::len);
        let by_topic = match rows.get_mut(g.group.as_str()) {
            Some(m) => m,
            None => rows.entry(g.group.clone()).or_default(),
        };
        let row = match by_topic.get_mut(g.topic.as_str()) {
            Some(r) => r,
            None => by_topic.entry(g.topic.clone()).or_insert_with(|| RowState {
                parts: Default::default(),
                status: Health::Unknown,
                reason: RowReason::Text(String::new()),
                first_s: now,
                since_s: now,
                since_ms: wall,
                history: VecDeque::new(),
            }),
        };
        let mut parts: Vec<(i32, Verdict)> = Vec::new();
        for &(p, committed) in &g.committed {
            let (Some(c), Some(&end)) = (committed, ends.get(&(g.topic.as_str(), p))) else {
                continue;
            };
            let track = row.parts.get_or_insert_with(p, || Track::new(now));
            track.push(now, c, end, rules);
            let v = track.judge(now, members, rules);
            let moving = v.moving;
            track.shown.offer(v, now, rules.confirm);
            let lost = starts.get(&(g.topic.as_str(), p)).is_some_and(|&st| c < st);
            parts.push((
                p,
                if lost {
                    Verdict {
                        health: Health::Lost,
                        reason: Reason::Text("messages were deleted by retention before the group read them"),
                        moving,
                    }
                } else {
                    Verdict {
                        health: track.shown.health,
                        reason: track.shown.reason,
                        moving,
                    }
                },
            ));
        }
        let first_s = row.first_s;
        let has_data = readable.contains(g.topic.as_str());
        // Partitions never committed while they hold messages (partitions added,
        // a consumer that skips some): unread, whatever the others say.
        let uncommitted: Vec<(i32, i64)> = g
            .committed
            .iter()
            .filter(|(_, c)| c.is_none())
            .filter_map(|&(p, _)| {
                let key = (g.topic.as_str(), p);
                let unread = ends.get(&key)? - starts.get(&key).copied().unwrap_or(0);
                (unread > 0).then_some((p, unread))
            })
            .collect();
        let (health, reason) = judge_row(g, &parts, &uncommitted, has_data, now - first_s, rules);
        if health != row.status {
            if row.history.len() == TRANSITIONS {
                row.history.pop_front();
            }
            row.history.push_back(Transition {
                at_s: now,
                at_ms: wall,
                from: row.status,
                to: health,
                reason: reason.to_string(),
            });
            row.status = health;
            row.since_s = now;
            row.since_ms = wall;
        }
        row.reason = reason;
    }
}

/// Why a row has its status: its worst partition's reason (put in words when shown),
/// or a reason of the row's own.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum RowReason {
    Text(String),
    Part {
        /// Named when the row has more than one partition.
        partition: Option<i32>,
        reason: Reason,
        others_consume: bool,
    },
}

impl std::fmt::Display for RowReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowReason::Text(t) => f.write_str(t),
            RowReason::Part {
                partition,
                reason,
                others_consume,
            } => {
                if let Some(p) = partition {
                    write!(f, "partition {p}: ")?;
                }
                write!(f, "{reason}")?;
                if *others_consume {
                    f.write_str("; other partitions consume")?;
                }
                Ok(())
            }
        }
    }
}

/// A row's status from its partitions' (shown) verdicts: a group that never committed
/// here is MISSING or NOCOMMIT; a STOP while another partition consumes is a STALL (the
/// group is alive); otherwise the worst partition, with its reason.
fn judge_row(
    g: &RawGroup,
    parts: &[(i32, Verdict)],
    uncommitted: &[(i32, i64)],
    has_data: bool,
    seen_s: f64,
    rules: &Rules,
) -> (Health, RowReason) {
    let v = |health, reason: String| (health, RowReason::Text(reason));
    if let Some(e) = &g.error {
        return v(Health::Unknown, format!("could not be read: {e}"));
    }
    if !g.topic.is_empty() && !g.topic_on_cluster {
        return v(Health::Idle, "topic absent from the cluster".into());
    }
    let members = g.members.as_ref().map(Vec::len);
    if g.committed.iter().all(|(_, c)| c.is_none()) {
        return match members {
            Some(m) if m > 0 && !has_data => v(Health::Idle, format!("{m} members; nothing to read yet")),
            Some(m) if m > 0 && seen_s >= rules.nocommit_after_s => v(
                Health::NoCommit,
                format!("{m} members, but no commit in {}", short_duration(seen_s)),
            ),
            Some(m) if m > 0 => v(Health::Unknown, format!("{m} members, no commit yet")),
            // A consumer that is starting has neither for a moment.
            _ if seen_s < rules.floor_s => v(Health::Unknown, "no commit yet".into()),
            Some(_) => v(Health::Missing, "no members and no commit".into()),
            None => v(
                Health::Missing,
                "no commit (this cluster does not report members)".into(),
            ),
        };
    }
    let Some((p, worst)) = parts.iter().max_by_key(|(p, w)| (w.health, std::cmp::Reverse(*p))) else {
        return v(Health::Unknown, "no partition could be judged yet".into());
    };
    let part = |others_consume| RowReason::Part {
        partition: (parts.len() > 1).then_some(*p),
        reason: worst.reason,
        others_consume,
    };
    if worst.health == Health::Stop && parts.iter().any(|(_, w)| w.moving) {
        return (Health::Stall, part(true));
    }
    if let Some(&(p, unread)) = uncommitted.first().filter(|_| worst.health < Health::NoCommit) {
        let what = format!(
            "partition {p}{} never committed, with {unread} messages",
            if uncommitted.len() > 1 {
                format!(" and {} more", uncommitted.len() - 1)
            } else {
                String::new()
            }
        );
        return if seen_s >= rules.nocommit_after_s {
            v(Health::NoCommit, what)
        } else {
            v(Health::Unknown, format!("{what}; judged within a minute"))
        };
    }
    (worst.health, part(false))
}
