//! The badges and marks the views draw, one constant each, with what it means: the
//! views draw these constants and the help legend lists them, so the two agree.

/// A symbol drawn on screen and the one line the help says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symbol {
    pub glyph: &'static str,
    pub meaning: &'static str,
}

/// After a name: N drift findings (the cluster disagrees with the registry about it).
pub const DRIFT: Symbol = Symbol {
    glyph: "≠",
    meaning: "≠N after a name: N drift findings (see :drift)",
};
/// A deprecated topic.
pub const DEPRECATED: Symbol = Symbol {
    glyph: "⊘",
    meaning: "deprecated topic (m: its replacement)",
};
/// A proposed topic, not yet in use.
pub const PROPOSED: Symbol = Symbol {
    glyph: "◇",
    meaning: "proposed topic, not in use yet",
};
/// Data served stale because a group upstream is behind.
pub const STALE: Symbol = Symbol {
    glyph: "⧗",
    meaning: "serves stale data: a group upstream is behind (see :stale)",
};
/// An event type published on more than one topic.
pub const MULTI: Symbol = Symbol {
    glyph: "⚑",
    meaning: "⚑N: an event type carried by N topics",
};
/// Writers or readers of a topic the registry does not declare.
pub const OBSERVED: Symbol = Symbol {
    glyph: "?",
    meaning: "?N on a map box: N groups seen on the cluster, not declared",
};

/// The symbols every view may show, in the order the help lists them.
pub const GLOBAL: &[Symbol] = &[DRIFT, DEPRECATED, PROPOSED, STALE, OBSERVED, MULTI];

/// A table column: its header and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub meaning: &'static str,
}

/// Shorthand for a column table.
pub const fn col(name: &'static str, meaning: &'static str) -> Column {
    Column { name, meaning }
}

/// The header names of a column table, in order.
pub fn names(cols: &[Column]) -> Vec<&'static str> {
    cols.iter().map(|c| c.name).collect()
}
