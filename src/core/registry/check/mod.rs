//! Semantic checks of a parsed file against the model built from it: duplicates,
//! references, deprecation chains, conventions, what topics declare. Every finding
//! points at the value it is about. One `Checker`, its checks grouped by subject:
//! `definitions.rs`, `references.rs`, `conventions.rs`, `topics.rs`.

mod connectors;
mod conventions;
mod definitions;
mod references;
mod topics;

use super::format::RegistryFile;
use super::model::{Registry, Status};
use super::spanned::Sp;
use crate::core::diag::Diagnostic;

pub fn check(file: &RegistryFile, reg: &Registry) -> Vec<Diagnostic> {
    let mut c = Checker {
        file,
        reg,
        out: Vec::new(),
    };
    c.duplicates();
    c.domains();
    c.references();
    c.deprecations();
    c.subscriptions();
    c.naming();
    c.kafka_limits();
    c.usage();
    c.duplicate_events();
    c.groups();
    c.proposed();
    c.examples();
    c.event_descriptions();
    c.schema_subjects();
    c.declared_counts();
    c.connectors();
    c.out.sort_by_key(|d| {
        (
            d.loc.map_or(u32::MAX, |l| l.line),
            d.loc.map_or(0, |l| l.col),
            d.severity,
        )
    });
    c.out
}

struct Checker<'a> {
    file: &'a RegistryFile,
    reg: &'a Registry,
    out: Vec<Diagnostic>,
}

/// Every topic name the file defines, with where and in which list.
fn topic_names(f: &RegistryFile) -> impl Iterator<Item = (&Sp<String>, Status)> {
    f.topics
        .iter()
        .map(|t| (&t.name, Status::Active))
        .chain(f.deprecated_topics.iter().map(|t| (&t.name, Status::Deprecated)))
        .chain(f.proposed_topics.iter().map(|t| (&t.name, Status::Proposed)))
}

impl Checker<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }
}
