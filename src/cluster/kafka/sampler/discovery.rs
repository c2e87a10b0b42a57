//! Finding groups: ListConsumerGroups where the broker serves it, then
//! DescribeConsumerGroups for state, members and assignments.

use crate::cluster::kafka::admin::{Admin, AdminError, GroupDescription, RdError};
use std::collections::BTreeMap;
use std::time::Duration;

/// Groups the broker listed: (state, kind) by name.
pub(super) type Listing = BTreeMap<String, (String, String)>;

/// Whether the cluster serves ListGroups/DescribeGroups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discovery {
    /// Try every round (the default).
    On,
    /// The broker does not serve them (librdkafka's mock cluster): declared groups only.
    Unsupported(String),
}

/// A group state in which it has members.
fn active_state(state: &str) -> bool {
    let s = state.to_ascii_lowercase();
    s.contains("stable") || s.contains("rebalanc") || s.contains("assigning") || s.contains("reconciling")
}

fn unsupported_limit(why: &dyn std::fmt::Display) -> Discovery {
    Discovery::Unsupported(format!(
        "this cluster does not list or describe groups ({why}): only declared groups are watched, without members"
    ))
}

impl Discovery {
    /// ListGroups, or None when the broker cannot list them (declared groups only).
    /// A broker that says it does not serve them (by its error code) is not asked
    /// again; any other failure is retried next round.
    pub(super) fn list(&mut self, admin: &Admin, timeout: Duration, errors: &mut Vec<String>) -> Option<Listing> {
        if *self != Discovery::On {
            return None;
        }
        match admin.list_groups(timeout) {
            // Every broker saying "unsupported" (the mock cluster) is not a transient error.
            Ok((groups, partial))
                if groups.is_empty() && !partial.is_empty() && partial.iter().all(RdError::unsupported) =>
            {
                *self = unsupported_limit(&partial[0]);
                None
            }
            Ok((groups, partial)) => {
                errors.extend(partial.into_iter().map(|e| format!("listing groups: {e}")));
                Some(groups.into_iter().map(|g| (g.group, (g.state, g.kind))).collect())
            }
            Err(e) if e.unsupported() => {
                *self = unsupported_limit(&e);
                None
            }
            Err(e) => {
                errors.push(format!("listing groups failed, retrying next round: {e}"));
                None
            }
        }
    }
}

/// Describe `names` where the broker listed groups (None for each where it did not),
/// `chunk` groups per request.
pub(super) fn describe(
    admin: &Admin,
    names: &[String],
    listed: Option<&Listing>,
    chunk: usize,
    timeout: Duration,
) -> Vec<Option<Result<GroupDescription, AdminError>>> {
    let Some(l) = listed else {
        return vec![None; names.len()];
    };
    admin
        .describe_groups(names, chunk, timeout)
        .into_iter()
        .zip(names)
        .map(|(d, name)| {
            // Some brokers (tansu 0.6) answer the KIP-848 describe for a classic
            // group with no members while ListGroups says it is active.
            let listed_active = l.get(name).is_some_and(|(state, _)| active_state(state));
            match d {
                Ok(d) if d.members.is_empty() && (listed_active || active_state(&d.state)) => {
                    Some(admin.describe_classic(name, timeout).or(Ok(d)))
                }
                d => Some(d),
            }
        })
        .collect()
}
