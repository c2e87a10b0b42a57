//! Helpers shared by the integration tests.
#![allow(dead_code)]

use ktopo::registry::{self, Registry};
use std::path::PathBuf;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Load a registry that must be free of errors.
pub fn load(rel: &str) -> Registry {
    let c = registry::load(&root().join(rel)).expect("readable");
    assert_eq!(c.errors(), 0, "{rel} has errors: {:?}", c.diagnostics);
    c.registry.expect("structure is valid")
}

pub fn main_registry() -> Registry {
    load("registry.yaml")
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The app drawn into a TestBackend, one trimmed line per row.
pub fn screen(app: &ktopo::tui::app::App) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(app.width, app.height)).unwrap();
    t.draw(|f| ktopo::tui::ui::render(app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..buf.area.height)
        .map(|y| {
            let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect();
            line.trim_end().to_string() + "\n"
        })
        .collect()
}
