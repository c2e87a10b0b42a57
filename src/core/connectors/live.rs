//! The Connect clusters as the live session last read them: the reads, when, since
//! when each connector has shown its current state (Connect's REST API tells no
//! time: the session's first sight of it), and an index by name, built once per read
//! so the views look connectors up without scanning them every frame.

use super::{ClusterRead, Connector, State};
use std::collections::HashMap;

/// One read of every Connect cluster, as a live picture carries it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Live {
    pub reads: Vec<ClusterRead>,
    /// Wall-clock milliseconds since the epoch when the read began.
    pub read_at_ms: i64,
    /// How long the read took.
    pub took_ms: u64,
    /// By (cluster, connector): the rolled-up state and since when it has shown it.
    since: HashMap<(String, String), (State, i64)>,
    /// By connector name: (read, connector) positions, in read order.
    index: HashMap<String, Vec<(usize, usize)>>,
}

/// What the live picture knows of one connector of the registry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lookup<'a> {
    Found {
        connector: &'a Connector,
        read: &'a ClusterRead,
        /// Since when (wall ms) it has shown its rolled-up state, as first seen.
        since_ms: Option<i64>,
    },
    /// Every Connect cluster it may run on was read, and it is on none.
    Missing,
    /// A cluster it may run on could not be read: why.
    Unread(&'a str),
    /// No Connect cluster it may run on is configured.
    NoCluster,
}

impl Live {
    /// The reads at `read_at_ms`, each connector's `since` carried over from `before`
    /// while its rolled-up state stays the same.
    pub fn new(reads: Vec<ClusterRead>, read_at_ms: i64, took_ms: u64, before: Option<&Live>) -> Live {
        let mut since = HashMap::new();
        let mut index: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (ri, r) in reads.iter().enumerate() {
            let Ok(list) = &r.connectors else { continue };
            for (ci, c) in list.iter().enumerate() {
                index.entry(c.name.clone()).or_default().push((ri, ci));
                let key = (r.name.clone(), c.name.clone());
                let state = c.rolled_up();
                let at = before
                    .and_then(|b| b.since.get(&key))
                    .filter(|(s, _)| *s == state)
                    .map_or(read_at_ms, |(_, at)| *at);
                since.insert(key, (state, at));
            }
        }
        Live {
            reads,
            read_at_ms,
            took_ms,
            since,
            index,
        }
    }

    /// The connector `name`, on cluster `on` when the registry says which (else on any).
    pub fn lookup(&self, name: &str, on: Option<&str>) -> Lookup<'_> {
        let on_it = |r: &ClusterRead| on.is_none_or(|c| c == r.name);
        if let Some(&(ri, ci)) = self
            .index
            .get(name)
            .into_iter()
            .flatten()
            .find(|(ri, _)| on_it(&self.reads[*ri]))
        {
            let read = &self.reads[ri];
            let connector = &read.connectors.as_ref().expect("indexed reads are Ok")[ci];
            return Lookup::Found {
                connector,
                read,
                since_ms: self.since_ms(&read.name, name),
            };
        }
        let mut candidates = self.reads.iter().filter(|r| on_it(r)).peekable();
        if candidates.peek().is_none() {
            return Lookup::NoCluster;
        }
        match candidates.find_map(|r| r.connectors.as_ref().err()) {
            Some(why) => Lookup::Unread(why),
            None => Lookup::Missing,
        }
    }

    /// Since when (wall ms) connector `name` of cluster `cluster` has shown its state.
    pub fn since_ms(&self, cluster: &str, name: &str) -> Option<i64> {
        self.since
            .get(&(cluster.to_string(), name.to_string()))
            .map(|(_, at)| *at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::connectors::{Kind, Task, Topics};

    fn connector(name: &str, state: State) -> Connector {
        Connector {
            name: name.into(),
            kind: Kind::Source,
            class: None,
            state: State::Running,
            worker: None,
            trace: None,
            tasks: vec![Task {
                id: 0,
                state,
                worker: None,
                trace: None,
            }],
            tasks_dropped: 0,
            group_override: None,
            config_topics: vec![],
            config_topics_regex: None,
            topics: Topics::Used(vec![]),
        }
    }

    fn read(name: &str, list: Result<Vec<Connector>, String>) -> ClusterRead {
        ClusterRead {
            name: name.into(),
            url: "http://127.0.0.1:1".into(),
            connectors: list,
            notes: vec![],
        }
    }

    #[test]
    fn since_is_kept_while_the_state_stays_and_reset_when_it_changes() {
        let a = Live::new(vec![read("c", Ok(vec![connector("x", State::Failed)]))], 1_000, 1, None);
        assert_eq!(a.since_ms("c", "x"), Some(1_000));
        let b = Live::new(
            vec![read("c", Ok(vec![connector("x", State::Failed)]))],
            31_000,
            1,
            Some(&a),
        );
        assert_eq!(b.since_ms("c", "x"), Some(1_000));
        let c = Live::new(
            vec![read("c", Ok(vec![connector("x", State::Running)]))],
            61_000,
            1,
            Some(&b),
        );
        assert_eq!(c.since_ms("c", "x"), Some(61_000));
    }

    #[test]
    fn lookup_says_found_missing_unread_or_no_cluster() {
        let live = Live::new(
            vec![
                read("a", Ok(vec![connector("x", State::Running)])),
                read("b", Err("HTTP 500".into())),
            ],
            5,
            1,
            None,
        );
        assert!(matches!(
            live.lookup("x", None),
            Lookup::Found { since_ms: Some(5), .. }
        ));
        assert!(matches!(live.lookup("x", Some("a")), Lookup::Found { .. }));
        assert_eq!(live.lookup("x", Some("b")), Lookup::Unread("HTTP 500"));
        assert_eq!(live.lookup("y", None), Lookup::Unread("HTTP 500"));
        assert_eq!(live.lookup("y", Some("a")), Lookup::Missing);
        assert_eq!(live.lookup("x", Some("zz")), Lookup::NoCluster);
    }
}
