//! Consumer status from read-only samples, judged against each consumer's own commit
//! cadence.
//!
//! Burrow evaluates a partition at every commit it sees; a monitor that polls
//! OffsetFetch sees the committed offset frozen between commits, and consumers commit at
//! very different cadences (every second, every 5 s, Kafka Streams every 30 s, per batch,
//! per checkpoint). So ktopo learns, per group × partition, how often the committed
//! offset moves (the gaps between the samples at which it moved: its *cadence*) and
//! judges movement against that, and it judges falling behind from the lag *at the
//! moments the offset moved* (Burrow's commit points), never from the saw-tooth the lag
//! draws between commits.
//!
//! Per partition, oldest first, ktopo keeps the last `WINDOW` samples (committed offset,
//! log end, lag) and the last `POINTS` commit points (the samples at which the committed
//! offset had moved, with the messages produced since the sample before: the *slack* a
//! consumer at the head can show at a commit point). Then, in this order:
//! 1. one sample only: UNKNOWN (not evaluated yet);
//! 2. an offset lower than the one before it that never recovers: REWIND;
//! 3. lag <= allowed (and the commit not beyond the log end): IDLE when the log end
//!    never moved while watched, or not for three of its usual gaps between writes; else
//!    OK;
//! 4. frozen: the offset has not moved, while there was something to consume, for
//!    longer than `threshold` = the larger of a floor and 2 × its cadence + one interval
//!    (the gaps between moves are measured from the last sample before each move, so a
//!    sampling outage is not a cadence; an unknown cadence counts as 30 s, or as long as
//!    the offset was already watched unmoved): STALL when the group has members (alive,
//!    not progressing), else STOP. A commit beyond the log end (a recreated or truncated
//!    topic) reads nothing: it is judged the same way, never "caught up";
//! 5. not frozen, no commit point yet: UNKNOWN (waits up to `threshold`);
//! 6. the trend over the commit points in the window (once WARN, it stays WARN while the
//!    lag at commit points still grows: a band, so jitter does not flip it), when they
//!    span at least the floor: consumed below 10% of what was produced while the lag grew
//!    by more than the largest slack: STALL (barely moving); below 90%: WARN (falling
//!    behind). The largest slack bounds what a consumer at the head can show, so a
//!    healthy consumer never trips it. Over one commit point a minute for the last twelve
//!    minutes, a lag that grew beyond the slack while less was consumed than produced over
//!    ten minutes or more is WARN too (a consumer at 95% speed). A rewind, or a resume
//!    after a freeze, starts the trend again (catching up is not falling behind);
//! 7. the lag at the last commit point is within its slack: OK (at the head);
//! 8. too little evidence either way: UNKNOWN, else OK.
//!
//! A verdict is shown only when it holds for `confirm` samples in a row (hysteresis), a
//! shown verdict never goes back to UNKNOWN, and each one carries its reason in words.
//! Row-level rules (a group that never committed, STOP downgraded to STALL while another
//! partition consumes) are in `live::rows`.

mod track;
mod verdict;

pub use self::track::{Point, Sample, Track, POINTS, WINDOW};
pub use self::verdict::{Reason, Rules, Shown, Trend, Verdict};
