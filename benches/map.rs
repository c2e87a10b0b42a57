//! The platform map's layout (layers, order, coordinates, edge paths) and one `:map`
//! frame, for the 17-service registry and a synthetic 2,000-topic one. Median of 20.
//! Run: `cargo bench --bench map`.

mod common;
use common::median;
use ktopo::tui::app::App;
use ktopo::tui::data::Data;
use ktopo::tui::theme::Theme;
use std::time::Instant;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let seed = std::fs::read_to_string("registry.yaml").expect("registry.yaml");
    for (name, text) in [
        ("17-service registry.yaml", seed),
        ("2,000-topic synthetic", ktopo::synthetic::registry(400, 2_000)),
    ] {
        let reg = ktopo::registry::load_str("map.yaml", text).registry.expect("valid");
        let topo = ktopo::topology::Topology::build(&reg);
        let mut layouts = Vec::new();
        let mut crossings = 0;
        for _ in 0..20 {
            let t = Instant::now();
            let l = ktopo::map::layout::layout(&reg, &topo);
            layouts.push(t.elapsed());
            crossings = l.crossings.unwrap_or(0);
        }
        let mut app = App::new(Data::new(reg), 120, 40, Theme { color: true });
        let keys: Vec<crossterm::event::KeyEvent> = ":map\r"
            .chars()
            .map(|c| {
                let code = if c == '\r' {
                    crossterm::event::KeyCode::Enter
                } else {
                    crossterm::event::KeyCode::Char(c)
                };
                crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE)
            })
            .collect();
        for k in keys {
            app.update(ktopo::tui::app::Event::Key(k));
        }
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("terminal");
        let mut frames = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            term.draw(|f| ktopo::tui::ui::render(&app, f)).expect("draw");
            frames.push(t.elapsed());
        }
        println!(
            "{name}: layout {:.2} ms ({} columns, {crossings} crossings); :map frame at 120x40 {:.2} ms",
            median(layouts),
            app.data.map().layers,
            median(frames)
        );
    }
}
