//! Everything that talks to Kafka: configuration, the Admin API wrapper (the only
//! `unsafe` in ktopo), the read-only sampler and the embedded demo cluster. The rest of
//! ktopo sees plain data (`live::metrics::RawSample`, `live::view::LiveView`).

#[allow(unsafe_code)]
pub mod admin;
pub mod config;
pub mod configs;
pub mod demo;
pub mod peek;
#[allow(unsafe_code)]
pub mod read;
pub mod sampler;
