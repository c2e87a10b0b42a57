//! The platform map: the whole topology as a layered left-to-right flow diagram.
//! `layout.rs` places the boxes, `route.rs` draws the edges in the gaps; the TUI's
//! `:map` view and `ktopo export --format svg` share both.

pub mod layout;
pub mod route;
pub mod svg;
