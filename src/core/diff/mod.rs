//! `ktopo diff`: what a change to the registry breaks, from the consumers' point of
//! view. Two registries (already loaded and checked) are compared on the model, never
//! as text: `change.rs` the change model, `rename.rs` rename detection, `topics.rs` and
//! `platform.rs` the rules, one file per output format (`text`, `markdown`, `json`,
//! `github`). Pure: the caller passes today's date.

pub mod change;
pub mod github;
pub mod json;
pub mod live;
pub mod markdown;
mod platform;
mod rename;
pub mod text;
mod topics;

pub use change::{Change, Level, Named, Party, Report, Side};

use crate::core::registry::model::Endpoint;
use crate::core::registry::Registry;

/// Both registries and the day the comparison is made (days since 1970-01-01, for
/// deprecation periods).
pub(crate) struct Cx<'a> {
    pub old: &'a Registry,
    pub new: &'a Registry,
    pub today: i64,
    pub out: Vec<Change>,
    /// Consumers whose derived group id changed with the convention (topic, party, old
    /// id, new id): one change about the convention, not one per consumer.
    pub by_convention: Vec<(String, Party, Option<String>, Option<String>)>,
    /// Changes to topics that take a value from `topic_defaults` on both sides (the
    /// key, the change): one change for a default many topics take.
    pub by_default: Vec<(&'static str, Change)>,
    /// Services whose key changed (OLD key, NEW key): the same numeric id on both sides.
    pub renamed_services: Vec<(String, String)>,
    /// Derived group ids that moved with a service's key (OLD key, topic, old id, new id).
    pub by_key: Vec<(String, String, Option<String>, Option<String>)>,
}

impl Cx<'_> {
    /// A service's key in NEW terms: renamed keys mapped to their new key.
    pub fn new_key<'k>(&'k self, old_key: &'k str) -> &'k str {
        self.renamed_services
            .iter()
            .find(|(o, _)| o == old_key)
            .map_or(old_key, |(_, n)| n.as_str())
    }
}

/// Every change from `old` to `new`, breaking first, each kind in registry order.
pub fn diff(old: &Registry, new: &Registry, old_named: Named, new_named: Named, today: i64) -> Report {
    let mut cx = Cx {
        old,
        new,
        today,
        out: Vec::new(),
        by_convention: Vec::new(),
        by_default: Vec::new(),
        renamed_services: rename::services(old, new),
        by_key: Vec::new(),
    };
    platform::conventions(&mut cx);
    topics::topics(&mut cx);
    platform::convention_groups(&mut cx);
    platform::defaults(&mut cx);
    platform::services(&mut cx);
    platform::envelope(&mut cx);
    platform::descriptions(&mut cx);
    let mut changes = cx.out;
    changes.sort_by_key(|c| std::cmp::Reverse(c.level));
    Report {
        old: old_named,
        new: new_named,
        changes,
    }
}

/// The services behind some endpoints, for `affects`.
pub(crate) fn parties(reg: &Registry, list: &[Endpoint]) -> Vec<Party> {
    list.iter().map(|e| Party::of(&reg.services[e.service])).collect()
}

/// `a`, `b` and `c`: names for a sentence (at most 5, then how many more).
pub(crate) fn names<S: AsRef<str>>(list: &[S]) -> String {
    let shown: Vec<String> = list.iter().take(5).map(|s| format!("`{}`", s.as_ref())).collect();
    let more = list.len().saturating_sub(5);
    let mut s = shown.join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}
