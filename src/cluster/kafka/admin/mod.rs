//! librdkafka's Admin API for consumer groups and offsets, which the rdkafka crate does
//! not wrap: ListConsumerGroups, DescribeConsumerGroups, ListConsumerGroupOffsets,
//! ListOffsets (and AlterConsumerGroupOffsets, used only by the demo's simulated
//! consumers), and the simple consumer that reads messages. Every request of a batch
//! goes out at once on ONE client handle and the results come back as events on a queue
//! of our own, so thousands of groups cost one handle, its broker connections and a few
//! round trips.
//!
//! One file per API, the handle and its batch loop in `handle`, the shared raw pieces
//! in `ffi`. These files are the only `unsafe` code in ktopo (`assignment` and `error`
//! are safe). The invariants every block relies on:
//! - `rk` comes from a live rdkafka client that `Admin` owns, so it outlives every call;
//! - librdkafka copies request arguments (strings, partition lists, options) before the
//!   call returns, so we free ours right after submitting;
//! - pointers read out of a result event belong to that event and are only read (and
//!   copied into owned Rust values) before `rd_kafka_event_destroy`;
//! - a queue holds a reference of its own in librdkafka, so a request still in flight
//!   when we give up and destroy our handle on the queue completes harmlessly.

mod assignment;
mod error;
#[allow(unsafe_code)]
mod ffi;
#[allow(unsafe_code)]
mod groups;
#[allow(unsafe_code)]
mod handle;
#[allow(unsafe_code)]
mod mock;
#[allow(unsafe_code)]
mod offsets;
#[allow(unsafe_code)]
mod read;

pub use self::assignment::parse_assignment;
pub use self::error::{AdminError, ClientError, RdError};
pub use self::groups::{GroupDescription, GroupListing};
pub use self::handle::{Admin, Transport};
pub use self::mock::create_mock_topics;
pub use self::offsets::{CommittedRow, GroupCommit, Listed, OffsetsRequest, Spec};
pub use self::read::{Read, HEADERS_KEPT};
