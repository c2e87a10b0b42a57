//! Everything that talks to Kafka: configuration, the librdkafka wrappers (with
//! `memory`, the allocator settings librdkafka's threads call for, the only `unsafe` in
//! ktopo), the read-only sampler and the embedded demo cluster.
//! What they read is plain data (`sample`), which `live` turns into the
//! live picture without knowing this module.

pub mod admin;
pub mod config;
pub mod configs;
pub mod demo;
pub mod inventory;
#[allow(unsafe_code)]
pub mod memory;
pub mod peek;
pub mod sampler;
