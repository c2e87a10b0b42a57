//! The pure core: the registry and its topology, and everything computed from a
//! registry and a sample of the cluster. No Kafka client and no terminal here.

pub mod asyncapi;
pub mod connectors;
pub mod diag;
pub mod diff;
pub mod draft;
pub mod drift;
pub mod exit;
pub mod export;
pub mod exposition;
pub mod impact;
pub mod impact_markdown;
pub mod input;
pub mod join;
pub mod lag_report;
pub mod live;
pub mod map;
pub mod observe;
pub mod part;
pub mod registry;
pub mod sample;
pub mod schema;
pub mod stale;
pub mod suggest;
pub mod synthetic;
pub mod time;
pub mod topology;
pub mod visible;
pub mod words;
