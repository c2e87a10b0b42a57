//! ktopo: explore a Kafka platform's topology from its declared registry.
// The only unsafe code is the librdkafka wrappers in kafka::admin.
#![deny(unsafe_code)]

pub mod cli;
pub mod connect;
pub mod demo_scenario;
pub mod diag;
pub mod drift;
pub mod exit;
pub mod export;
pub mod impact;
pub mod input;
pub mod join;
pub mod kafka;
pub mod lag_report;
pub mod live;
pub mod map;
pub mod observe;
pub mod output;
pub mod registry;
pub mod sample;
pub mod stale;
pub mod suggest;
pub mod synthetic;
pub mod time;
pub mod topology;
pub mod tui;
pub mod visible;
