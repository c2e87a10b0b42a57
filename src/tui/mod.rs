//! The terminal UI: state (`state`), its one `update` (and `interact` for input),
//! drawing as a function of the state (`ui`, `views`), and the event loop with the
//! outside world (`event_loop`, `run`, `layout_job`, `live_feed`, `ctx_switch`, `watcher`).

pub mod command;
pub mod ctx_switch;
pub mod data;
mod event_loop;
pub mod group_data;
mod interact;
pub mod keys;
pub mod layout;
pub mod layout_job;
pub mod live_feed;
pub mod map_nav;
pub mod panics;
pub mod prompt;
pub mod query;
mod run;
pub mod state;
pub mod symbols;
pub mod theme;
pub mod ui;
pub mod update;
pub mod views;
pub mod watcher;

pub use event_loop::{event_loop, reload_registry, Io};
pub use panics::{contained_panic, inject_panic};
pub use run::run;
