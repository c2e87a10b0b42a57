//! Command-line interface: argument definitions (`args`) and one module per command,
//! each a thin layer over the shared core.

mod args;
mod common;
mod connectors;
mod contexts;
mod contexts_list;
mod diff;
mod drift;
mod export_cmd;
mod impact_cmd;
mod import;
mod init;
mod lag;
pub mod output;
mod peek;
mod run;
mod serve;

pub use args::*;
pub use run::{main, run};
