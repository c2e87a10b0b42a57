//! Kafka Connect's REST API, read-only: where each Connect cluster is and how to sign
//! in (`settings`, from `--connect` and `connect.*` properties), a GET-only client
//! (`client`), and one read of a cluster's connectors (`read`) into
//! `core::connectors`. Never a PUT, POST or DELETE: a monitor restarts nothing.

pub mod client;
pub mod read;
pub mod settings;
pub mod watch;
