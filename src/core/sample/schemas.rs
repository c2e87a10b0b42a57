//! What the sampler read about Schema Registry schemas along with the tails: which
//! schema each sampled value of a topic that declares one names (counted from the
//! bytes as read, before decoding), and what the Schema Registry says of the declared
//! subjects and of the ids seen. Plain data for drift and the topic detail.

use std::collections::BTreeMap;

/// A topic that declares a Schema Registry subject for its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub topic: String,
    pub subject: String,
}

/// Where a value is: partition and offset.
pub type At = (i32, i64);

/// How one topic's sampled values were framed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Framing {
    pub topic: String,
    /// The subject it declares (its own, or `<topic>-value`).
    pub subject: String,
    /// Values sampled (tombstones not counted).
    pub sampled: usize,
    /// Values in wire format, by the schema id they name: how many, and the first.
    pub ids: BTreeMap<u32, (usize, At)>,
    /// Values naming their schema by GUID (a record header): not checked against the subject.
    pub guids: usize,
    /// Values not in wire format (no magic byte 0, or a truncated header), and the first.
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
