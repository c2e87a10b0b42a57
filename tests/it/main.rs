//! The integration tests: one binary (one link of librdkafka), a module per area.
//! `external` is the opt-in suite (`cargo test --test it -- --ignored`).

mod check;
mod cli;
mod common;
mod demo_steady;
mod drift;
mod export;
mod external;
mod fuzz;
mod hostile;
mod impact;
mod lag_cli;
mod live_metrics;
mod live_rules;
mod map_layout;
mod observe;
mod peek;
mod sampler_mock;
mod sampler_scale;
mod scripted_broker;
mod seed_registries;
mod serve;
mod stale;
mod status_edges;
mod time;
mod tmux_smoke;
mod tui;
mod tui_drift;
mod tui_help;
mod tui_lag_members;
mod tui_live;
mod tui_map;
mod tui_map_live;
mod tui_messages;
mod tui_reload;
mod tui_style;
