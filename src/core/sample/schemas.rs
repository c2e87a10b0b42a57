//! What the sampler read about Schema Registry schemas along with the tails: which
//! schema each sampled value (and key) of a topic that declares one names (counted from the
//! bytes as read, before decoding), and what the Schema Registry says of the declared
//! subjects and of the ids and GUIDs seen. Plain data for drift and the topic detail.

use std::collections::BTreeMap;

/// Which part of a record a subject is declared for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    #[default]
    Value,
    Key,
}

impl Part {
    /// `value` or `key`, as messages say it.
    pub fn word(self) -> &'static str {
        match self {
            Part::Value => "value",
            Part::Key => "key",
        }
    }
}

/// A topic that declares a Schema Registry subject for its values or its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub topic: String,
    pub part: Part,
    pub subject: String,
}

/// Where a value is: partition and offset.
pub type At = (i32, i64);

/// How one topic's sampled values (or keys) were framed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Framing {
    pub topic: String,
    pub part: Part,
    /// The subject it declares (its own, or `<topic>-value` / `<topic>-key`).
    pub subject: String,
    /// Values (keys) sampled (tombstones, and records without a key, not counted).
    pub sampled: usize,
    /// Those in wire format, by the schema id they name: how many, and the first.
    pub ids: BTreeMap<u32, (usize, At)>,
    /// Those naming their schema by GUID (a record header), by the GUID as the
    /// registry writes it: how many, and the first.
    pub guids: BTreeMap<String, (usize, At)>,
    /// Those not in wire format (no magic byte 0, or a truncated header), and the first.
    pub plain: usize,
    pub first_plain: Option<At>,
}

/// A subject's compatibility level, and whether it is the registry's global default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compatibility {
    pub level: String,
    pub global: bool,
}

/// What the Schema Registry says of one declared subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Found {
        /// Its latest version and that version's schema id.
        latest: u32,
        id: Option<u32>,
        /// Its compatibility level, or why it could not be read.
        compatibility: Result<Compatibility, String>,
    },
    /// The registry does not have it (404).
    Missing,
    /// It could not be asked (401, 5xx...): the words to show.
    Failed(String),
}

/// The (subject, version) pairs a schema id is registered under; Err(None): the
/// registry does not know the id; Err(Some(why)): it could not be asked.
pub type Registered = Result<Vec<(String, u32)>, Option<String>>;

/// What the Schema Registry says of a GUID seen on a topic, against the subject the
/// topic declares for that part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuidAnswer {
    /// Its answer names schema id `.0`; `.1` is where that id is registered.
    Id(u32, Registered),
    /// Its answer names no id; it is version `.0` of the declared subject.
    Version(u32),
    /// Its answer names no id, and it is none of the declared subject's `.0` versions
    /// (all of them were looked at; 0: the registry has no such subject).
    NotInVersions(usize),
    /// Its answer names no id, and the subject's versions do not tell: why.
    CannotTell(String),
    /// The registry does not have it (404).
    Unknown,
    /// It could not be asked: the words to show.
    Failed(String),
}

/// The Schema Registry's answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    /// The registry's URL (no user info).
    pub url: String,
    /// Why it could not be reached at all, when it could not.
    pub unreachable: Option<String>,
    /// Declared subjects asked about so far (a bounded number are asked per round).
    pub subjects: BTreeMap<String, Subject>,
    /// Each id seen on a declared topic: where it is registered.
    pub ids: BTreeMap<u32, Registered>,
    /// Each GUID seen on a declared topic, by (GUID, declared subject).
    pub guids: BTreeMap<(String, String), GuidAnswer>,
}

/// Everything of it one round knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schemas {
    pub declared: Vec<Declared>,
    /// The framing of the last sampled tails; None before the first tails are read.
    pub framing: Option<Vec<Framing>>,
    /// None: no Schema Registry was given (only the framing is known).
    pub registry: Option<Answers>,
}
