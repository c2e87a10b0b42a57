//! ktopo: explore a Kafka platform's topology from its declared registry.
//!
//! Four layers, each importing only the ones before it (docs/design.md):
//! `core` (pure: the registry, the topology and all that is computed from a registry
//! and a sample), `cluster` (the Kafka side), `tui` and `cli`.
// The only unsafe code is C calls: the librdkafka wrappers in cluster::kafka::admin,
// and two glibc allocator settings in cluster::kafka::memory.
#![deny(unsafe_code)]

pub mod cli;
pub mod cluster;
pub mod core;
pub mod tui;
