//! `:ctx` through the real event loop: the contexts listed, an unknown name answered
//! with the closest one, and a switch that stops sampling one mock cluster and
//! samples another (the header shows the context and the new cluster).

use crate::common;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ktopo::tui::state::{App, Effect, Event};
use ktopo::tui::{event_loop, live_feed, Io};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::time::{Duration, Instant};

#[derive(clap::Parser)]
struct Flags {
    #[command(flatten)]
    conn: ktopo::cluster::connect::ConnArgs,
}

fn conn(args: &[&str]) -> ktopo::cluster::connect::ConnArgs {
    use clap::Parser;
    Flags::parse_from(std::iter::once("ktopo").chain(args.iter().copied())).conn
}

fn app() -> App {
    let reg = common::load("tests/fixtures/base.yaml");
    App::new(
        ktopo::tui::data::Data::new(reg),
        100,
        30,
        ktopo::tui::theme::Theme { color: false },
    )
}

#[test]
fn ctx_lists_the_contexts_and_answers_an_unknown_one_with_the_closest() {
    let mut a = app();
    common::run_command(&mut a, "ctx");
    assert_eq!(a.message.as_deref(), Some("no contexts: see `ktopo contexts --help`"));
    a.contexts = vec!["dev".into(), "prod".into()];
    a.context = Some("prod".into());
    common::run_command(&mut a, "ctx");
    assert_eq!(a.message.as_deref(), Some("contexts: dev, *prod · :ctx NAME switches"));
    common::run_command(&mut a, "ctx prd");
    assert_eq!(
        a.message.as_deref(),
        Some("no context `prd`: did you mean `prod`? (contexts: dev, *prod)")
    );
    assert_eq!(a.context.as_deref(), Some("prod"), "unchanged");
}

#[test]
fn ctx_switches_the_sampler_to_the_other_cluster() {
    let (_pa, a_brokers) = common::mock_cluster(1, &[("alpha", 1)]);
    let (_pb, b_brokers) = common::mock_cluster(1, &[("beta", 1)]);
    let dir = tempfile::tempdir().unwrap();
    let file = ktopo::cluster::context::parse::parse(
        "config.yaml",
        format!(
            "contexts:\n  a:\n    cluster: cluster A\n    brokers: {a_brokers}\n  b:\n    cluster: cluster B\n    brokers: {b_brokers}\n    env: staging\n"
        ),
        dir.path(),
    )
    .unwrap();
    let mut first = conn(&["-b", &a_brokers, "--interval", "0.2"]);
    first.label = Some("cluster A".into());
    first.context = Some("a".into());
    let mut a = app();
    a.contexts = vec!["a".into(), "b".into()];
    let (tx, rx) = std::sync::mpsc::channel();
    let feed = live_feed::start(&mut a, &first, Some(&a_brokers), tx.clone()).unwrap();
    assert_eq!(a.context.as_deref(), Some("a"));
    let mut stops = vec![feed.stop];
    // Keys once cluster A has answered; then pictures until cluster B's first, then
    // a while longer to see that cluster A's stopped.
    let mut keys: Vec<Event> = ":ctx b"
        .chars()
        .map(|c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
        .chain([Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))])
        .rev()
        .collect();
    let (mut seen_a, mut seen_b, mut a_after_b) = (false, 0, 0);
    let until = Instant::now() + Duration::from_secs(60);
    let mut b_since: Option<Instant> = None;
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    event_loop(
        &mut terminal,
        &mut a,
        Io {
            next: Box::new(|| loop {
                if seen_a {
                    if let Some(k) = keys.pop() {
                        return Some(k);
                    }
                }
                if Instant::now() > until || b_since.is_some_and(|t| t.elapsed() > Duration::from_secs(2)) {
                    return None;
                }
                if let Ok(ev) = rx.recv_timeout(Duration::from_millis(100)) {
                    if let Event::Joined { view, .. } = &ev {
                        match view.source.as_str() {
                            "cluster A" if b_since.is_some() => a_after_b += 1,
                            "cluster A" => seen_a = true,
                            "cluster B" => {
                                seen_b += 1;
                                b_since.get_or_insert_with(Instant::now);
                            }
                            _ => {}
                        }
                    }
                    return Some(ev);
                }
            }),
            effect: Box::new(|e| {
                if let Effect::SwitchContext {
                    name,
                    generation,
                    registry,
                } = e
                {
                    let feed = live_feed::switch(&file, &name, &first, (generation, registry), tx.clone()).unwrap();
                    for s in stops.drain(..) {
                        s.store(true, std::sync::atomic::Ordering::SeqCst);
                    }
                    stops.push(feed.stop);
                }
                None
            }),
        },
    )
    .unwrap();
    assert!(seen_a, "cluster A sampled first");
    assert!(seen_b >= 2, "cluster B sampled after the switch: {seen_b}");
    assert_eq!(a_after_b, 0, "cluster A is no longer sampled");
    assert_eq!(a.context.as_deref(), Some("b"));
    let live = a.live.as_ref().unwrap();
    assert_eq!(live.source, "cluster B");
    let header = common::screen(&a);
    let top = header.lines().next().unwrap_or("");
    assert!(top.contains("ctx b · ● cluster B"), "{top}");
    for s in stops {
        s.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}
