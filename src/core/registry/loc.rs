//! A position in the registry file: what findings and the model's values point at.
//! Plain data: the model, diagnostics and drift use it without knowing the parser.

/// A position in the registry file (1-based line and column, 0-based byte range).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub line: u32,
    pub col: u32,
    /// u32 is plenty: registries are at most 32 MiB (`load::MAX_BYTES`).
    pub offset: u32,
    pub len: u32,
}

impl Loc {
    /// True for values built in code rather than read from a file.
    pub fn is_unknown(&self) -> bool {
        self.line == 0
    }
}
