//! Exit statuses: one table for every command (the README lists it), decided here.

/// Success: nothing at or above the threshold.
pub const OK: i32 = 0;
/// A gate tripped: registry errors (`check`), drift findings at or above `--fail-on`,
/// a lag gate (`lag --fail-on`), including groups that could not be read or evaluated;
/// an unhealthy connector (`connectors`).
pub const TRIPPED: i32 = 1;
/// The command line is wrong: an unknown flag, a bad value, pattern, `-X` property or
/// `-F` file, an unknown impact target.
pub const USAGE: i32 = 2;
/// The registry cannot be used: unreadable, not YAML, or with errors (`ktopo check`
/// lists them).
pub const REGISTRY: i32 = 3;
/// The cluster cannot be reached or read (or the demo cluster cannot start; for
/// `connectors`, no Connect cluster answered).
pub const CLUSTER: i32 = 4;
/// The output cannot be written (a full disk; a closed pipe is not an error).
pub const OUTPUT: i32 = 5;

/// Every status with its meaning, for `--help` texts and the docs.
pub const TABLE: &str = "Exit status: 0 success, 1 a gate tripped (findings, lag, unevaluated or unreadable \
groups, unhealthy connectors), 2 usage error, 3 registry unusable, 4 cluster unreachable, 5 output not written.";
