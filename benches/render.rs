//! One frame of the topics view and of the graph view with a 10,000-topic registry,
//! and one filter keystroke over the 10,000 topics.

use criterion::{criterion_group, criterion_main, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ktopo::tui::state::{App, Event};
use ktopo::tui::{data::Data, theme::Theme, ui};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn app() -> App {
    let text = ktopo::core::synthetic::registry(2_000, 10_000);
    let reg = ktopo::core::registry::load_str("bench.yaml", text).registry.unwrap();
    App::new(Data::new(reg), 120, 40, Theme { color: true })
}

fn bench(c: &mut Criterion) {
    // Start-up work with the bundled registry: load, check, build, first frame.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("registry.yaml");
    c.bench_function("startup_bundled_registry_first_frame", |b| {
        b.iter(|| {
            let reg = ktopo::core::registry::load(&path).unwrap().registry.unwrap();
            let a = App::new(Data::new(reg), 120, 40, Theme { color: true });
            let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
            term.draw(|f| ui::render(&a, f)).unwrap();
        })
    });

    let mut g = c.benchmark_group("render_10k_topics");
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();

    let mut a = app();
    for _ in 0..5_000 {
        a.update(Event::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)));
    }
    g.bench_function("topics_view_frame", |b| {
        b.iter(|| {
            term.draw(|f| ui::render(&a, f)).unwrap();
        })
    });

    let mut a = app();
    a.run_command("graph service:service_7");
    g.bench_function("graph_view_frame", |b| {
        b.iter(|| {
            term.draw(|f| ui::render(&a, f)).unwrap();
        })
    });

    let mut a = app();
    let key = |c| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
    a.update(key(KeyCode::Char('/')));
    g.bench_function("filter_keystroke", |b| {
        b.iter(|| {
            a.update(key(KeyCode::Char('9')));
            a.update(key(KeyCode::Backspace));
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
