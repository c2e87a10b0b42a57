//! `:ctx` through the real event loop: the contexts listed, an unknown name answered
//! with the closest one, and a switch that stops sampling one mock cluster and
//! samples another (the header shows the context and the new cluster).

use crate::common;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ktopo::tui::state::{App, Effect, Event};
use ktopo::tui::{ctx_switch, event_loop, live_feed, Io};
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
    let watcher = ktopo::tui::watcher::spawn(common::root().join("tests/fixtures/base.yaml"), tx.clone());
    let switcher = switcher(&file, &first, watcher, tx.clone());
    switcher.current.lock().unwrap().feed = Some(feed);
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
                    switcher.switch(name, (generation, registry));
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
    // Context b's environment is said with it, and the joins use it.
    assert!(top.contains("ctx b env staging · ● cluster B"), "{top}");
    assert_eq!(
        (a.setting.environment.as_str(), a.setting.environment_chosen),
        ("staging", true)
    );
    switcher.current.lock().unwrap().stop();
}

/// `:ctx` as the TUI carries it out: contexts from `file`, the session opened on
/// base.yaml, answers on `tx`.
fn switcher(
    file: &ktopo::cluster::context::Contexts,
    base: &ktopo::cluster::connect::ConnArgs,
    watcher: std::sync::mpsc::Sender<ktopo::tui::watcher::Ask>,
    tx: std::sync::mpsc::Sender<Event>,
) -> ctx_switch::Switcher {
    let file = file.clone();
    ctx_switch::Switcher {
        contexts: std::sync::Arc::new(move || Ok(file.clone())),
        base: base.clone(),
        start: common::root().join("tests/fixtures/base.yaml"),
        watcher,
        tx,
        current: Default::default(),
    }
}

/// Keys typed at the command line, then Enter.
fn command(line: &str) -> Vec<Event> {
    line.chars()
        .map(|c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
        .chain([Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))])
        .rev()
        .collect()
}

/// Run the event loop until `reloads` registry loads have reached the app (at most
/// 60 s), carrying out `:ctx` as the real TUI does: the context's feed, its
/// announcement, and the registry watcher loading the context's file.
fn until_reloaded(
    app: &mut App,
    keys: Vec<Event>,
    reloads: usize,
    file: &ktopo::cluster::context::Contexts,
    base: &ktopo::cluster::connect::ConnArgs,
    current: &mut Option<ctx_switch::Switcher>,
) {
    let (tx, rx) = std::sync::mpsc::channel();
    let watcher = ktopo::tui::watcher::spawn(common::root().join("tests/fixtures/base.yaml"), tx.clone());
    let mut s = switcher(file, base, watcher, tx);
    // The feed of the last call's switch goes on until this one's replaces it.
    if let Some(old) = current.take() {
        s.current = old.current;
    }
    let switcher = current.insert(s);
    let mut keys = keys;
    let (mut seen, mut done) = (0, false);
    let until = Instant::now() + Duration::from_secs(60);
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    event_loop(
        &mut terminal,
        app,
        Io {
            next: Box::new(|| loop {
                if let Some(k) = keys.pop() {
                    return Some(k);
                }
                if done || Instant::now() > until {
                    return None;
                }
                if let Ok(ev) = rx.recv_timeout(Duration::from_millis(100)) {
                    if matches!(ev, Event::Reload(_)) {
                        seen += 1;
                        done = seen >= reloads;
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
                    switcher.switch(name, (generation, registry));
                }
                None
            }),
        },
    )
    .unwrap();
    assert!(
        seen >= reloads,
        "the context's registry was loaded: {seen} of {reloads} ({:?}, {:?})",
        app.message,
        app.live.as_ref().map(|l| &l.errors)
    );
}

#[test]
fn ctx_switches_the_registry_and_environment_and_a_broken_registry_keeps_the_last_good() {
    let (_p, brokers) = common::mock_cluster(1, &[("alpha", 1)]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("payments.yaml"),
        "platform: { name: payments platform }\nservices:\n  - { key: pay, name: Pay }\ntopics:\n  - { name: payments_events, producers: [pay] }\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("broken.yaml"), "topics:\n  - name: [unclosed\n").unwrap();
    let file = ktopo::cluster::context::parse::parse(
        "config.yaml",
        format!(
            "contexts:\n  pay:\n    brokers: {brokers}\n    registry: payments.yaml\n    env: staging\n  broken:\n    brokers: {brokers}\n    registry: broken.yaml\n  plain:\n    brokers: {brokers}\n"
        ),
        dir.path(),
    )
    .unwrap();
    let base = conn(&["--interval", "0.5"]);
    let mut a = app();
    a.contexts = vec!["pay".into(), "broken".into(), "plain".into()];
    assert!(a.data.reg.topic("auth_events").is_some(), "base.yaml first");
    let mut current = None;
    until_reloaded(&mut a, command(":ctx pay"), 1, &file, &base, &mut current);
    assert!(
        a.data.reg.topic("payments_events").is_some(),
        "the context's registry is open"
    );
    assert!(a.data.reg.topic("auth_events").is_none());
    assert_eq!(
        (a.setting.environment.as_str(), a.setting.environment_chosen),
        ("staging", true)
    );
    let top = common::screen(&a);
    let top = top.lines().next().unwrap_or("");
    assert!(
        top.contains("payments platform") && top.contains("ctx pay env staging"),
        "{top}"
    );
    // A context naming a broken registry: its diagnostics, the last good one kept; no
    // env named: the default again.
    until_reloaded(&mut a, command(":ctx broken"), 1, &file, &base, &mut current);
    assert!(
        a.data.reg.topic("payments_events").is_some(),
        "the last good registry stays"
    );
    assert_eq!(
        (a.setting.environment.as_str(), a.setting.environment_chosen),
        ("production", false)
    );
    let screen = common::screen(&a);
    assert!(
        screen.contains("broken.yaml:2"),
        "the diagnostics, with file:line: {screen}"
    );
    assert!(screen.lines().next().unwrap_or("").contains("ctx broken ·"), "{screen}");
    // A context naming no registry: back to the one the session opened, and said so.
    // (Esc closes the diagnostics first.)
    let mut keys = command(":ctx plain");
    keys.push(Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    until_reloaded(&mut a, keys, 1, &file, &base, &mut current);
    assert!(
        a.data.reg.topic("auth_events").is_some() && a.data.reg.topic("payments_events").is_none(),
        "base.yaml again"
    );
    let said = a.message.clone().unwrap_or_default();
    assert!(
        said.starts_with("context plain: env production, registry ")
            && said.contains("base.yaml (the context names none: back to the session's first) · loaded"),
        "{said}"
    );
    current.unwrap().current.lock().unwrap().stop();
}

/// The real binary in tmux, started on a context: its registry and environment apply
/// at start-up, and `-r` wins over the context's registry.
#[test]
fn the_tui_starts_with_the_contexts_registry_and_env_and_flags_win() {
    let (_p, brokers) = common::mock_cluster(1, &[("auth_events", 1)]);
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("contexts.yaml");
    let base = common::root().join("tests/fixtures/base.yaml");
    std::fs::write(
        &config,
        format!(
            "contexts:\n  dev:\n    cluster: dev cluster\n    brokers: {brokers}\n    registry: {}\n    env: staging\n",
            base.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let bin = env!("CARGO_BIN_EXE_ktopo");
    // base.yaml names no platform; registry.yaml does.
    for (extra, wanted) in [("", false), ("-r registry.yaml", true)] {
        let socket = format!("ktopo-ctxstart-{}-{}", std::process::id(), extra.len());
        let tmux = |args: &[&str]| {
            let out = std::process::Command::new("tmux")
                .arg("-L")
                .arg(&socket)
                .args(args)
                .output()
                .expect("tmux runs");
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        let cmd = format!(
            "cd {} && HOME={} KTOPO_CONFIG={} {bin} --context dev {extra}; echo EXITED=$?; sleep 60",
            common::root().display(),
            home.path().display(),
            config.display()
        );
        tmux(&["new-session", "-d", "-s", "ctx", "-x", "120", "-y", "30", &cmd]);
        let mut screen = String::new();
        let shown = common::wait_until(Duration::from_secs(20), || {
            screen = tmux(&["capture-pane", "-p", "-t", "ctx"]);
            screen.contains("ctx dev env staging · ● dev cluster")
                && screen.contains("auth_events")
                && screen.contains("17-microservice platform") == wanted
        });
        tmux(&["send-keys", "-t", "ctx", "q"]);
        tmux(&["kill-server"]);
        assert!(shown, "{extra:?}: the context's env and the right registry:\n{screen}");
    }
}

/// The UI thread does neither part of a switch's work: `switch` returns while the
/// contexts file is still being read (here: held until the test lets it go), and
/// `Event::Switched` sets the environment without joining (the new feed's next
/// picture is joined with it).
#[test]
fn a_switch_resolves_off_the_ui_thread_and_switched_does_not_join() {
    let (_p, brokers) = common::mock_cluster(1, &[("alpha", 1)]);
    let dir = tempfile::tempdir().unwrap();
    let file = ktopo::cluster::context::parse::parse(
        "config.yaml",
        format!("contexts:\n  b:\n    brokers: {brokers}\n    env: staging\n"),
        dir.path(),
    )
    .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let (ask, asked) = std::sync::mpsc::channel();
    let mut s = switcher(&file, &conn(&["--interval", "0.2"]), ask, tx);
    let (release, held) = std::sync::mpsc::channel::<()>();
    let held = std::sync::Mutex::new(held);
    s.contexts = std::sync::Arc::new(move || {
        held.lock().unwrap().recv().unwrap();
        Ok(file.clone())
    });
    let mut a = app();
    let asked_at = Instant::now();
    s.switch("b".into(), (a.data.generation, a.data.reg.clone()));
    assert!(asked_at.elapsed() < Duration::from_secs(1), "switch returns at once");
    assert!(
        rx.recv_timeout(Duration::from_millis(300)).is_err(),
        "nothing is answered while the contexts file is read"
    );
    release.send(()).unwrap();
    let switched = loop {
        match rx.recv_timeout(Duration::from_secs(20)).expect("an answer") {
            ev @ Event::Switched { .. } => break ev,
            _ => continue,
        }
    };
    assert!(
        matches!(asked.recv_timeout(Duration::from_secs(5)), Ok(ktopo::tui::watcher::Ask::Watch(p)) if p.ends_with("tests/fixtures/base.yaml")),
        "then the watcher goes back to the session's registry"
    );
    // A picture was sampled: a join would have drift; the switch keeps the last join.
    a.live = Some(ktopo::core::live::view::LiveView {
        sample_ms: Some(1),
        ..Default::default()
    });
    let would = ktopo::core::join::join(&a.data.reg, &a.data.topo, a.live.as_ref(), &a.setting, None);
    assert!(would.drift.is_some());
    a.update(switched);
    assert!(a.joined.drift.is_none(), "Switched joined on the UI thread");
    assert_eq!(
        (a.setting.environment.as_str(), a.context.as_deref()),
        ("staging", Some("b"))
    );
    // The new feed samples and joins: its pictures bring the join.
    let joined = loop {
        if let Event::Joined { view, .. } = rx.recv_timeout(Duration::from_secs(20)).expect("a picture") {
            break view;
        }
    };
    assert!(joined.errors.is_empty(), "{:?}", joined.errors);
    s.current.lock().unwrap().stop();
}
