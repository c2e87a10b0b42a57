//! Everything that talks to Kafka: configuration, the librdkafka wrappers (the only
//! `unsafe` in ktopo, in `admin`), the read-only sampler and the embedded demo cluster.
//! What they read is plain data (`sample`), which `live` turns into the
//! live picture without knowing this module.

pub mod admin;
pub mod config;
pub mod configs;
pub mod demo;
pub mod peek;
pub mod sampler;
