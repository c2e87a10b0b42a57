//! What the scripted broker answers from: topics with their log offsets, groups with
//! their commits and members, and the faults to inject, per kind of request.

use std::ops::Range;
use std::time::Duration;

pub const UNKNOWN_TOPIC_OR_PARTITION: i16 = 3;
pub const NOT_LEADER_OR_FOLLOWER: i16 = 6;
pub const COORDINATOR_NOT_AVAILABLE: i16 = 15;

#[derive(Debug, Clone)]
pub struct Partition {
    pub log_start: i64,
    pub log_end: i64,
    /// Added to the log end after each ListOffsets LATEST answer (a producer writing
    /// between samples), saturating at i64::MAX.
    pub growth: i64,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub name: String,
    pub partitions: Vec<Partition>,
}

impl Topic {
    /// A topic whose partition i holds offsets [0, ends[i]).
    pub fn new(name: &str, ends: &[i64]) -> Topic {
        Topic {
            name: name.into(),
            partitions: ends
                .iter()
                .map(|&log_end| Partition {
                    log_start: 0,
                    log_end,
                    growth: 0,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Member {
    pub id: String,
    pub client_id: String,
    pub host: String,
    /// (topic, partitions) assigned to it.
    pub assignment: Vec<(String, Vec<i32>)>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    /// As DescribeGroups says it: "Empty", "Stable"...
    pub state: String,
    pub members: Vec<Member>,
    /// (topic, partition, committed offset): what OffsetFetch answers.
    pub committed: Vec<(String, i32, i64)>,
}

impl Group {
    /// A group without members ("Empty") that committed these offsets.
    pub fn new(id: &str, committed: &[(&str, i32, i64)]) -> Group {
        Group {
            id: id.into(),
            state: "Empty".into(),
            members: Vec::new(),
            committed: committed.iter().map(|&(t, p, o)| (t.to_string(), p, o)).collect(),
        }
    }

    /// The same group, "Stable" with this member.
    pub fn with_member(mut self, m: Member) -> Group {
        self.state = "Stable".into();
        self.members.push(m);
        self
    }
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum On {
    Metadata,
    /// ListOffsets asking for log ends (timestamp -1).
    ListOffsetsLatest,
    /// ListOffsets asking for log starts (timestamp -2).
    ListOffsetsEarliest,
    FindCoordinator,
    OffsetFetch,
    ListGroups,
    DescribeGroups,
}

/// What a fault does to the requests it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Act {
    /// Read the request and never answer it; the connection stays open.
    Silence,
    /// Answer, but only after this long.
    Delay(Duration),
    /// The request's own error code (ListGroups, FindCoordinator, OffsetFetch's top
    /// level, every group of DescribeGroups); ListOffsets and Metadata have none, so
    /// there every partition or topic carries it.
    Error(i16),
    /// One partition's error code (ListOffsets, OffsetFetch).
    PartitionError { topic: String, partition: i32, code: i16 },
}

#[derive(Debug, Clone)]
pub struct Fault {
    pub on: On,
    pub act: Act,
    /// Which of the requests it applies to, counted from 0 per `On`.
    pub nth: Range<usize>,
}

impl Fault {
    pub fn always(on: On, act: Act) -> Fault {
        Fault {
            on,
            act,
            nth: 0..usize::MAX,
        }
    }

    pub fn nth(on: On, act: Act, nth: Range<usize>) -> Fault {
        Fault { on, act, nth }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Script {
    pub topics: Vec<Topic>,
    pub groups: Vec<Group>,
    pub faults: Vec<Fault>,
}

impl Script {
    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.name == name)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }
}
