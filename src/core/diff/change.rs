//! The change model: what changed between two registries, how much it matters to the
//! consumers, whom it affects and where it is written.

use crate::core::registry::loc::Loc;
use crate::core::registry::model::Service;
use serde::Serialize;

/// How much a change matters to the consumers, least first (so `>=` compares).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// An addition, a description, anything consumers need not act on.
    Info,
    /// Probably a mistake: nobody reads it, nobody owns it, nowhere to migrate.
    Warning,
    /// Consumers lose data, read the wrong thing, or start again from their reset policy.
    Breaking,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Breaking => "breaking",
        }
    }
}

/// Which file a change points into: NEW, or OLD for what NEW no longer has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Old,
    New,
}

/// A service a change affects, with whom to call about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Party {
    /// How people name it: `Billing & Revenue Management (22)`.
    pub service: String,
    pub key: String,
    pub owner: Option<String>,
    pub oncall: Option<String>,
}

impl Party {
    pub fn of(s: &Service) -> Party {
        Party {
            service: s.label(),
            key: s.key.clone(),
            owner: s.owner.clone(),
            oncall: s.oncall.clone(),
        }
    }
}

/// One change, classified.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub level: Level,
    /// Stable machine-readable code, e.g. `topic-removed` (docs/diff-json.md lists them).
    pub code: &'static str,
    /// What it is about: a topic, `topic/event`, a service key, a convention.
    pub subject: String,
    /// One sentence for people.
    pub message: String,
    pub side: Side,
    /// Where it is written in that side's file (None: the model keeps no position).
    #[serde(skip)]
    pub loc: Option<Loc>,
    /// The services that must act (consumers, mostly), with owner and on-call.
    pub affects: Vec<Party>,
}

impl Change {
    pub fn new(level: Level, code: &'static str, subject: impl Into<String>, message: impl Into<String>) -> Change {
        Change {
            level,
            code,
            subject: subject.into(),
            message: message.into(),
            side: Side::New,
            loc: None,
            affects: Vec::new(),
        }
    }
    /// Points into OLD (a removal) or NEW, at `loc` when it is known.
    pub fn at(mut self, side: Side, loc: Loc) -> Change {
        self.side = side;
        self.loc = (!loc.is_unknown()).then_some(loc);
        self
    }
    pub fn in_side(mut self, side: Side) -> Change {
        self.side = side;
        self
    }
    pub fn affecting(mut self, parties: Vec<Party>) -> Change {
        self.affects = parties;
        self
    }
}

/// A side as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    /// As given on the command line: `registry.yaml` or `main:registry.yaml`.
    pub shown: String,
    /// The file inside the repository, for annotations (`registry.yaml` for both).
    pub file: String,
}

/// Every change between OLD and NEW, in the order the rules found them.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub old: Named,
    pub new: Named,
    pub changes: Vec<Change>,
}

impl Report {
    pub fn count(&self, level: Level) -> usize {
        self.changes.iter().filter(|c| c.level == level).count()
    }
    /// True when a change is at `threshold` or above (`--fail-on`).
    pub fn trips(&self, threshold: Level) -> bool {
        self.changes.iter().any(|c| c.level >= threshold)
    }
    /// The side's name and file a change points into.
    pub fn named(&self, side: Side) -> &Named {
        match side {
            Side::Old => &self.old,
            Side::New => &self.new,
        }
    }
    /// `file:line:col` (or the file alone) of a change, as people read it.
    pub fn place(&self, c: &Change) -> String {
        let shown = &self.named(c.side).shown;
        match c.loc {
            Some(l) => format!("{shown}:{}:{}", l.line, l.col),
            None => shown.clone(),
        }
    }
    /// `3 breaking, 1 warning, 2 info`.
    pub fn summary(&self) -> String {
        format!(
            "{} breaking, {}, {} info",
            self.count(Level::Breaking),
            crate::core::words::count(self.count(Level::Warning), "warning", "warnings"),
            self.count(Level::Info)
        )
    }
}
