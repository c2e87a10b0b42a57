//! The topic registry: its file format, loading, checking and the normalised model.

pub mod build;
pub mod check;
pub mod endpoint;
pub mod format;
pub mod ids;
pub mod load;
pub mod loc;
pub mod model;
pub mod pattern;
pub mod schema;
pub mod spanned;
pub mod structure;

pub use ids::{PerService, PerTopic, ServiceId, TopicId};
pub use load::LoadError;
pub use model::{Registry, Status};

use crate::core::diag::{Diagnostic, Source};
use std::path::Path;

/// A registry file after loading and checking.
#[derive(Debug)]
pub struct Checked {
    pub source: Source,
    /// Present when the structure is valid (semantic errors may still exist).
    pub registry: Option<Registry>,
    pub diagnostics: Vec<Diagnostic>,
    /// The text is not usable YAML at all.
    pub fatal: bool,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    /// `ktopo check`'s exit status: clean (warnings allowed), errors found (the gate
    /// tripped), or not YAML at all (the registry is unusable).
    pub fn exit_code(&self) -> i32 {
        if self.fatal {
            crate::core::exit::REGISTRY
        } else if self.errors() > 0 {
            crate::core::exit::TRIPPED
        } else {
            crate::core::exit::OK
        }
    }
    /// The registry when it has no errors: what every command works from.
    pub fn usable(&self) -> Option<&Registry> {
        self.registry.as_ref().filter(|_| self.errors() == 0)
    }
}

/// Load, check and normalise a registry file.
pub fn load(path: &Path) -> Result<Checked, LoadError> {
    Ok(finish(load::read(path)?))
}

/// The same from text already in memory (tests, reloads).
pub fn load_str(path: &str, text: String) -> Checked {
    finish(load::parse_str(path, text))
}

/// Build and check: two pure steps over the parsed file.
fn finish(p: load::Parsed) -> Checked {
    let mut diagnostics = p.diagnostics;
    let registry = p.file.map(|f| {
        let reg = build::build(&f);
        diagnostics.extend(check::check(&f, &reg));
        reg
    });
    Checked {
        source: p.source,
        registry,
        diagnostics,
        fatal: p.fatal,
    }
}
