//! The platform map's layout (layers, order, coordinates, edge paths) and one `:map`
//! frame, for the 17-service registry and a synthetic 2,000-topic one. Median of 20.
//! Run: `cargo bench --bench map`.

mod common;
use common::median;
use ktopo::tui::data::Data;
use ktopo::tui::state::App;
use ktopo::tui::theme::Theme;
use std::time::Instant;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let seed = std::fs::read_to_string("registry.yaml").expect("registry.yaml");
    for (name, text) in [
        ("17-service registry.yaml", seed),
        ("2,000-topic synthetic", ktopo::core::synthetic::registry(400, 2_000)),
    ] {
        let reg = ktopo::core::registry::load_str("map.yaml", text)
            .registry
            .expect("valid");
        let topo = ktopo::core::topology::Topology::build(&reg);
        let mut layouts = Vec::new();
        let mut all = Vec::new();
        let mut crossings = 0;
        for _ in 0..20 {
            let t = Instant::now();
            let l = ktopo::core::map::layout::layout(&reg, &topo);
            layouts.push(t.elapsed());
            crossings = l.crossings.unwrap_or(0);
            // What the layout thread does per registry load: all three zoom levels.
            let t = Instant::now();
            std::hint::black_box(ktopo::core::map::all_zooms(&reg, &topo));
            all.push(t.elapsed());
        }
        let mut app = App::new(Data::new(reg), 120, 40, Theme { color: true });
        app.data.lay_out_now();
        let key = |c: char| {
            let code = if c == '\r' {
                crossterm::event::KeyCode::Enter
            } else {
                crossterm::event::KeyCode::Char(c)
            };
            ktopo::tui::state::Event::Key(crossterm::event::KeyEvent::new(
                code,
                crossterm::event::KeyModifiers::NONE,
            ))
        };
        for c in ":map\r".chars() {
            app.update(key(c));
        }
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("terminal");
        let mut frames = Vec::new();
        for zoom in ["boxes", "labels", "overview"] {
            let mut times = Vec::new();
            for _ in 0..20 {
                let t = Instant::now();
                term.draw(|f| ktopo::tui::ui::render(&app, f)).expect("draw");
                times.push(t.elapsed());
            }
            frames.push(format!("{zoom} {:.2} ms", median(times)));
            app.update(key('-'));
        }
        // Live: every declared group sampled, one in seven in trouble and minutes behind
        // (staleness then reaches much of the platform), the topics producing.
        let mut live = ktopo::core::live::view::LiveView::default();
        for (k, w) in ktopo::cluster::connect::watched_groups(&app.data.reg)
            .into_iter()
            .enumerate()
        {
            let bad = k % 7 == 0;
            live.topics.entry(w.topic.clone()).or_default().produce_rate = Some(12.0);
            live.groups.push(ktopo::core::live::view::GroupTopicLag {
                group: w.group,
                topic: w.topic,
                service: w.service,
                declared: true,
                total_lag: Some(if bad { 5_000 } else { 3 }),
                time_lag_s: Some(if bad { 60.0 + k as f64 } else { 0.5 }),
                status: if bad {
                    ktopo::core::live::view::Health::Stall
                } else {
                    ktopo::core::live::view::Health::Ok
                },
                ..Default::default()
            });
        }
        let mut spread = Vec::new();
        let mut stale = 0;
        for _ in 0..20 {
            let t = Instant::now();
            let st =
                ktopo::core::stale::propagate(&app.data.reg, &app.data.topo, &live, ktopo::core::stale::DEFAULT_MIN_S);
            spread.push(t.elapsed());
            stale = st.stale.len();
        }
        let groups = live.groups.len();
        app.update(ktopo::tui::state::Event::Live(Box::new(live)));
        app.update(key('+'));
        app.update(key('+'));
        let mut times = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            term.draw(|f| ktopo::tui::ui::render(&app, f)).expect("draw");
            times.push(t.elapsed());
        }
        frames.push(format!("live boxes {:.2} ms", median(times)));
        println!(
            "{name}: {groups} groups, staleness propagated in {:.2} ms ({stale} services and topics stale)",
            median(spread)
        );
        println!(
            "{name}: layout {:.2} ms, all three zoom levels {:.2} ms ({} columns, {crossings} crossings); :map frame at 120x40: {}",
            median(layouts),
            median(all),
            app.data.map().map_or(0, |m| m.layers),
            frames.join(", ")
        );
    }
}
