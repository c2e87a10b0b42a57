//! Kafka Connect's REST API, read-only: where each Connect cluster is and how to sign
//! in (`settings`, from `--connect` and `connect.*` properties), a GET-only client
//! (`client`), one read of a cluster's connectors (`read`) into `core::connectors`,
//! every cluster read in turn (`clusters`, shared by the CLI and the live `watch`). Never a PUT, POST or DELETE: a monitor restarts nothing.

pub mod client;
pub mod clusters;
pub mod read;
pub mod settings;
pub mod watch;
