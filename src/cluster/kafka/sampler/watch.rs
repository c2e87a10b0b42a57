//! What the caller asks the sampler to look at: the groups it expects (composed from
//! the registry by the caller; the sampler knows nothing of it) and the topics read
//! every few rounds.

/// A consumer group ktopo expects on a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub group: String,
    pub topic: String,
    /// Key of the service that owns the group.
    pub service: Option<String>,
    /// Not expected, only looked for (a consumer of a replacement topic that may still
    /// read the deprecated one): reported only where it has commits.
    pub probe: bool,
}

/// What the caller asks the sampler to look at besides the topics and groups it finds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watch {
    pub groups: Vec<Watched>,
    /// Topics whose last write time is read each round (deprecated ones: is anybody
    /// still writing?). ListOffsets MAX_TIMESTAMP where the broker serves it, else the
    /// newest record of each partition, read at most every `LAST_WRITE_EVERY`.
    pub last_write: Vec<String>,
    /// Topics whose configuration (DescribeConfigs) is read every `CONFIGS_EVERY`.
    pub configs_of: Vec<String>,
    /// Topics whose last messages are read every `TAILS_EVERY`, and how many per
    /// partition (0: none), for the observed-events checks.
    pub tails_of: Vec<String>,
    pub tail_len: u32,
    /// Topics that declare a Schema Registry subject: their tails' framing, the
    /// subject's latest version and compatibility (drift, the topic detail).
    pub schemas: Vec<crate::core::sample::schemas::Declared>,
}

impl From<Vec<Watched>> for Watch {
    fn from(groups: Vec<Watched>) -> Watch {
        Watch {
            groups,
            last_write: Vec::new(),
            configs_of: Vec::new(),
            tails_of: Vec::new(),
            tail_len: 0,
            schemas: Vec::new(),
        }
    }
}
