//! Helpers shared by the integration tests.
#![allow(dead_code)]

use ktopo::core::registry::{self, Registry};
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

/// The app on a registry file (with its source, so drift can say where), no colour.
pub fn app(rel: &str, width: u16, height: u16) -> ktopo::tui::state::App {
    let checked = registry::load(&root().join(rel)).expect("readable");
    let reg = checked.registry.clone().expect("structure is valid");
    let data = ktopo::tui::data::Data::new(reg).with_source(&checked.source);
    ktopo::tui::state::App::new(data, width, height, ktopo::tui::theme::Theme { color: false })
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The app drawn into a TestBackend, one trimmed line per row.
pub fn screen(app: &ktopo::tui::state::App) -> String {
    let buf = buffer(app);
    (0..buf.area.height)
        .map(|y| {
            let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect();
            line.trim_end().to_string() + "\n"
        })
        .collect()
}

/// Press one key.
/// Press a key; returns the effects it asked for.
pub fn press(app: &mut ktopo::tui::state::App, code: crossterm::event::KeyCode) -> Vec<ktopo::tui::state::Effect> {
    let k = crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE);
    app.update(ktopo::tui::state::Event::Key(k))
}

/// Type `:cmd` and Enter.
pub fn run_command(app: &mut ktopo::tui::state::App, cmd: &str) {
    use crossterm::event::KeyCode;
    if cmd == "map" {
        // The map is laid out on its own thread: tests draw it once it is there.
        app.data.lay_out_now();
    }
    press(app, KeyCode::Char(':'));
    for c in cmd.chars() {
        press(app, KeyCode::Char(c));
    }
    press(app, KeyCode::Enter);
}

/// API keys every mock broker received since request tracking started.
pub fn mock_api_keys(p: &rdkafka::producer::BaseProducer) -> std::collections::BTreeSet<i16> {
    use rdkafka::bindings as rd;
    use rdkafka::producer::Producer;
    let mut keys = std::collections::BTreeSet::new();
    // SAFETY (test fixture): the mock cluster belongs to the live producer `p`; the
    // request array is read, then freed once.
    unsafe {
        let mc = rd::rd_kafka_handle_mock_cluster(p.client().native_ptr());
        let mut n = 0usize;
        let reqs = rd::rd_kafka_mock_get_requests(mc, &mut n);
        for i in 0..n {
            keys.insert(rd::rd_kafka_mock_request_api_key(*reqs.add(i)));
        }
        rd::rd_kafka_mock_request_destroy_array(reqs, n);
    }
    keys
}

/// The buffer (with styles) as the app draws it.
pub fn buffer(a: &ktopo::tui::state::App) -> ratatui::buffer::Buffer {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(a.width, a.height)).unwrap();
    t.draw(|f| ktopo::tui::ui::render(a, f)).unwrap();
    t.backend().buffer().clone()
}

/// For a test that measures the whole process (its threads, its memory): true in a
/// process running only that test, where the caller goes on; false in the test run,
/// after the same test ran alone in a child process and passed (it fails if not).
pub fn alone(test: &str) -> bool {
    const ALONE: &str = "KTOPO_TEST_ALONE";
    if std::env::var(ALONE).is_ok_and(|t| t == test) {
        return true;
    }
    let out = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([test, "--exact", "--test-threads=1", "--nocapture"])
        .env(ALONE, test)
        .output()
        .expect("the test binary runs");
    let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{test}, run alone, failed:\n{text}");
    assert!(text.contains("1 passed"), "{test} did not run alone:\n{text}");
    false
}
