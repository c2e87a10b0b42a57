//! The Kafka side: the librdkafka client (`kafka`), choosing a cluster from the
//! connection flags (`connect`), and the demo cluster's scenario for a registry. It
//! produces `core::sample`, the plain data of one sampling round.

pub mod connect;
pub mod context;
pub mod demo_connect;
pub mod demo_http;
pub mod demo_messages;
pub mod demo_scenario;
pub mod demo_schema_registry;
pub mod demo_schemas;
pub mod http;
pub mod kafka;
pub mod kafka_connect;
pub mod schema_registry;
