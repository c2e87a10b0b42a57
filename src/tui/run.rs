//! The real outside world of the TUI: the terminal (raw mode, mouse, the panic hook,
//! signals), the input and registry watcher threads, the map's layout job, the live
//! feed, and the effects carried out against them.

use super::event_loop::{event_loop, Io};
use super::panics::{self, CONTAINED, PANICKED};
use super::state::{App, Effect, Event};
use super::watcher::{self, Ask};
use super::{ctx_switch, data, layout_job, live_feed, theme};
use crate::core::registry::Checked;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// OSC 52: the terminal puts the text on the system clipboard, also over SSH.
fn osc52(text: &str) {
    use base64::Engine;
    let enc = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    let _ = write!(out, "\x1b]52;c;{enc}\x07");
    let _ = out.flush();
}

/// Events from the terminal, read on their own thread so the loop never blocks on input.
fn spawn_input(tx: Sender<Event>) {
    std::thread::spawn(move || loop {
        let ev = match crossterm::event::read() {
            Ok(crossterm::event::Event::Key(k)) => Event::Key(k),
            // Any-motion reports would redraw on every pixel of movement: dropped here.
            Ok(crossterm::event::Event::Mouse(m)) if m.kind == crossterm::event::MouseEventKind::Moved => continue,
            Ok(crossterm::event::Event::Mouse(m)) => Event::Mouse(m),
            Ok(crossterm::event::Event::Resize(w, h)) => Event::Resize(w, h),
            Ok(_) => continue,
            Err(_) => return,
        };
        if tx.send(ev).is_err() {
            return;
        }
    });
}

/// Open the TUI on a checked registry, with live data from `conn` (`brokers`: its
/// bootstrap list, None for the demo cluster) judged for `environment` (the context's;
/// None: the default). Returns the process exit status.
pub fn run(
    path: PathBuf,
    checked: Checked,
    conn: &crate::cluster::connect::ConnArgs,
    brokers: Option<&str>,
    environment: Option<String>,
) -> i32 {
    crate::cluster::kafka::memory::tune_allocator();
    let Some(reg) = checked
        .registry
        .filter(|_| checked.diagnostics.iter().all(|d| !d.is_error()))
    else {
        eprintln!("ktopo: {} has errors; run `ktopo check` for details", path.display());
        return crate::core::exit::REGISTRY;
    };
    // Signals that end a program end ktopo through the same restore as `q`, with the
    // status a shell expects (128 + the signal); SIGTSTP suspends like Ctrl-Z.
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGUSR1, SIGUSR2};
    let term = Arc::new(AtomicUsize::new(0));
    for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTSTP] {
        let _ = signal_hook::flag::register_usize(sig, Arc::clone(&term), sig as usize);
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        eprintln!("ktopo: the UI needs a terminal; for scripts use `ktopo check`, `impact`, `export` or `lag`");
        return crate::core::exit::USAGE;
    }
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("ktopo: cannot open the terminal UI: {e}");
            return crate::core::exit::OUTPUT;
        }
    };
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture);
    // ratatui's hook restores raw mode and the screen; mouse reporting is ours to undo,
    // before the panic message is printed.
    // A panic in any thread (sampler, demo, input) also ends the UI: the event loop sees
    // the flag and exits instead of drawing on a restored, cooked terminal.
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // The live side's threads are contained: their panic is kept for the UI to
        // show, the terminal stays as it is, and the registry views go on.
        if std::thread::current().name().is_some_and(|n| CONTAINED.contains(&n)) {
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            panics::keep(format!("{}{at}", panics::message(info.payload())));
            return;
        }
        PANICKED.store(true, Ordering::SeqCst);
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
        ratatui_hook(info);
    }));
    let size = terminal.size().unwrap_or_default();
    let data = data::Data::new(reg).with_checks(&checked.source, &checked.diagnostics);
    let mut app = App::new(data, size.width, size.height, theme::Theme::from_env());
    let (tx, rx) = std::sync::mpsc::channel();
    spawn_input(tx.clone());
    // The contexts `:ctx` offers (the command line checked the file already).
    app.contexts = contexts_file()
        .map(|c| c.names().map(str::to_string).collect())
        .unwrap_or_default();
    let ask = watcher::spawn(path.clone(), tx.clone());
    let current = Arc::new(std::sync::Mutex::new(ctx_switch::Current {
        feed: None,
        latest: Some((app.data.generation, Arc::clone(&app.data.reg))),
    }));
    let outside = Outside {
        switcher: ctx_switch::Switcher {
            contexts: Arc::new(|| {
                contexts_file().ok_or_else(|| "the contexts file cannot be read any more: run `ktopo contexts`".into())
            }),
            base: conn.clone(),
            start: path.clone(),
            watcher: ask.clone(),
            tx: tx.clone(),
            current: Arc::clone(&current),
        },
        ask,
        layout: {
            let tx = tx.clone();
            layout_job::spawn(data::layered, move |ev| tx.send(ev).is_ok()).ok()
        },
    };
    // The context's drift environment, as `ktopo drift` takes it.
    if let Some(e) = environment {
        app.setting.environment = e;
        app.setting.environment_chosen = true;
    }
    if let Some(feed) = live_feed::start(&mut app, conn, brokers, tx) {
        current.lock().unwrap_or_else(|p| p.into_inner()).feed = Some(feed);
    }
    // A panic on this thread unwinds to here: the hook has restored the terminal.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        event_loop(&mut terminal, &mut app, real_io(rx, outside, Arc::clone(&term)))
    }))
    .unwrap_or(Ok(()));
    if PANICKED.load(Ordering::SeqCst) {
        // The hook restored the terminal already; leaving the alternate screen twice
        // would move the cursor back over the panic message.
        eprintln!("ktopo: stopped after an internal error (above); please report it");
        return 101;
    }
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
    ratatui::restore();
    match result {
        Ok(()) if term.load(Ordering::SeqCst) != 0 => 128 + term.load(Ordering::SeqCst) as i32,
        Ok(()) => 0,
        Err(e) => {
            eprintln!("ktopo: terminal error: {e}");
            1
        }
    }
}

/// Hand the terminal back to the shell, stop, and take it again on `fg`.
fn suspend() {
    let mut out = std::io::stdout();
    let _ = crossterm::execute!(out, crossterm::event::DisableMouseCapture);
    ratatui::restore();
    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
    // Resumed.
    let _ = crossterm::terminal::enable_raw_mode();
    let _ = crossterm::execute!(
        out,
        crossterm::terminal::EnterAlternateScreen,
        crossterm::cursor::Hide,
        crossterm::event::EnableMouseCapture
    );
}

/// The contexts file, when there is one that reads.
fn contexts_file() -> Option<crate::cluster::context::Contexts> {
    let at = crate::cluster::context::locate::from_env()?;
    crate::cluster::context::parse::read(&at.path).ok()
}

/// Where the effects go.
struct Outside {
    /// `:ctx`, and the live feed running now (none: offline).
    switcher: ctx_switch::Switcher,
    /// The registry watcher: load now, or another file.
    ask: Sender<Ask>,
    /// The layout job (None: its thread could not start).
    layout: Option<Sender<layout_job::Job>>,
}

impl Outside {
    fn carry_out(&mut self, e: Effect) -> Option<Event> {
        match e {
            Effect::Quit => {}
            Effect::Reload => {
                let _ = self.ask.send(Ask::Now);
            }
            Effect::Copy(text) => osc52(&text),
            Effect::Suspend => suspend(),
            Effect::LayOut { generation, registry } => {
                let sent = self
                    .layout
                    .as_ref()
                    .is_some_and(|l| l.send((generation, registry)).is_ok());
                if !sent {
                    let why = data::MapError::NoThread("the layout thread is not running".into());
                    return Some(Event::Map {
                        generation,
                        layouts: Err(why),
                    });
                }
            }
            Effect::Watch { generation, registry } => {
                let mut current = self.switcher.current.lock().unwrap_or_else(|p| p.into_inner());
                current.watch((generation, registry));
            }
            // Resolved and connected off this thread: the answer comes as an event.
            Effect::SwitchContext {
                name,
                generation,
                registry,
            } => self.switcher.switch(name, (generation, registry)),
        }
        None
    }
}

fn real_io<'a>(rx: Receiver<Event>, mut outside: Outside, term: Arc<AtomicUsize>) -> Io<'a> {
    let start = Instant::now();
    let mut last_tick = Instant::now();
    let mut ticks = 0u32;
    let inject = panics::inject_panic("ui");
    Io {
        next: Box::new(move || loop {
            match term.load(Ordering::SeqCst) {
                0 => {}
                s if s == signal_hook::consts::SIGTSTP as usize => {
                    term.store(0, Ordering::SeqCst);
                    let ctrl_z = crossterm::event::KeyEvent::new(
                        crossterm::event::KeyCode::Char('z'),
                        crossterm::event::KeyModifiers::CONTROL,
                    );
                    return Some(Event::Key(ctrl_z));
                }
                _ => return None,
            }
            if panics::panicked() {
                return None;
            }
            // Ticks come from the clock, whatever else arrives.
            if last_tick.elapsed() >= Duration::from_millis(1000) {
                last_tick = Instant::now();
                ticks += 1;
                assert!(!(inject && ticks == 2), "injected UI panic (KTOPO_INJECT_PANIC=ui)");
                return Some(Event::Tick(start.elapsed().as_secs_f64()));
            }
            match rx.recv_timeout(Duration::from_millis(250)) {
                Ok(ev) => return Some(ev),
                Err(RecvTimeoutError::Disconnected) => return None,
                Err(RecvTimeoutError::Timeout) => {}
            }
        }),
        // Results arrive later, as events on the channel.
        effect: Box::new(move |e| outside.carry_out(e)),
    }
}
