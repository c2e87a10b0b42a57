//! The terminal UI: state (`app`), drawing (`ui`, `views`), and the event loop.

pub mod app;
pub mod command;
pub mod data;
pub mod keys;
pub mod layout;
pub mod map_nav;
pub mod observed;
pub mod query;
pub mod theme;
pub mod ui;
pub mod views;

use crate::registry::{self, Checked};
use app::{App, Event};
use ratatui::backend::Backend;
use ratatui::Terminal;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// What the event loop needs from the outside world; tests provide their own.
pub struct Io<'a> {
    /// The next event, or None to stop.
    pub next: Box<dyn FnMut() -> Option<Event> + 'a>,
    /// Load the registry again: now (tests), or None when the result arrives later as
    /// an `Event::Reload`.
    pub reload: Box<dyn FnMut() -> Option<Checked> + 'a>,
    /// Put text on the clipboard.
    pub copy: Box<dyn FnMut(&str) + 'a>,
    /// Give the terminal back, stop until resumed (`fg`), take it again.
    pub suspend: Box<dyn FnMut() + 'a>,
}

/// Draw, then apply events until the app quits or the events end.
pub fn event_loop<B: Backend>(terminal: &mut Terminal<B>, app: &mut App, mut io: Io) -> std::io::Result<()> {
    terminal.draw(|f| ui::render(app, f))?;
    while let Some(ev) = (io.next)() {
        app.update(ev);
        if app.reload_requested {
            app.reload_requested = false;
            if let Some(c) = (io.reload)() {
                app.update(Event::Reload(Box::new(c)));
            }
        }
        if let Some(text) = app.clipboard.take() {
            (io.copy)(&text);
        }
        if app.suspend_requested {
            app.suspend_requested = false;
            (io.suspend)();
            // The shell drew over the screen: repaint all of it.
            terminal.clear()?;
        }
        if app.quit {
            break;
        }
        terminal.draw(|f| ui::render(app, f))?;
    }
    Ok(())
}

/// Load for a reload: an unreadable file becomes a finding shown in the popup.
pub fn reload_registry(path: &Path) -> Checked {
    registry::load(path).unwrap_or_else(|e| Checked {
        source: crate::diag::Source {
            path: path.display().to_string(),
            text: String::new(),
        },
        registry: None,
        diagnostics: vec![crate::diag::Diagnostic::error("unreadable", e.to_string())],
        fatal: true,
    })
}

fn modified(path: &Path) -> Option<(SystemTime, u64)> {
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()))
}

/// OSC 52: the terminal puts the text on the system clipboard, also over SSH.
fn osc52(text: &str) {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut enc = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                enc.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                enc.push('=');
            }
        }
    }
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

/// Open the TUI on a checked registry. `setup` configures the app and gets a sender
/// for events from elsewhere (live data). Returns the process exit status.
pub fn run(path: PathBuf, checked: Checked, setup: impl FnOnce(&mut App, Sender<Event>)) -> i32 {
    let Some(reg) = checked
        .registry
        .filter(|_| checked.diagnostics.iter().all(|d| !d.is_error()))
    else {
        eprintln!("ktopo: {} has errors; run `ktopo check` for details", path.display());
        return crate::exit::REGISTRY;
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
        return crate::exit::USAGE;
    }
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("ktopo: cannot open the terminal UI: {e}");
            return crate::exit::OUTPUT;
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
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            if let Ok(mut last) = CONTAINED_PANIC.lock() {
                *last = Some(format!("{msg}{at}"));
            }
            return;
        }
        PANICKED.store(true, Ordering::SeqCst);
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
        ratatui_hook(info);
    }));
    let size = terminal.size().unwrap_or_default();
    let data = data::Data::new(reg).with_source(&checked.source);
    let mut app = App::new(data, size.width, size.height, theme::Theme::from_env());
    let (tx, rx) = std::sync::mpsc::channel();
    spawn_input(tx.clone());
    let ask = spawn_watcher(path.clone(), tx.clone());
    setup(&mut app, tx);
    // A panic on this thread unwinds to here: the hook has restored the terminal.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        event_loop(&mut terminal, &mut app, real_io(rx, ask, Arc::clone(&term)))
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

/// Set by the panic hook: some thread panicked.
static PANICKED: AtomicBool = AtomicBool::new(false);

/// Threads whose panic does not end the UI: the live side (connecting and the demo
/// cluster, the sampler). Their last panic message waits here for the UI.
const CONTAINED: [&str; 4] = ["ktopo-live", "ktopo-sampler", "ktopo-demo", "ktopo-layout"];
static CONTAINED_PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// The last contained panic, for the message the UI shows.
pub fn contained_panic() -> String {
    CONTAINED_PANIC
        .lock()
        .ok()
        .and_then(|mut p| p.take())
        .unwrap_or_else(|| "a live thread stopped".into())
}

/// Fault injection for the tests (`KTOPO_INJECT_PANIC=sampler` or `ui`): proves a
/// panic on either side leaves the terminal usable. Unset, it costs one lookup.
pub fn inject_panic(side: &str) -> bool {
    std::env::var("KTOPO_INJECT_PANIC").is_ok_and(|v| v == side)
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

/// Watch the registry file and load it off the UI thread: when it changes on disk
/// (checked every second, loaded once it has been quiet for 200 ms) or when asked (`r`).
/// Reading is bounded (see `input.rs`), and a slow file never freezes the screen.
fn spawn_watcher(path: PathBuf, tx: Sender<Event>) -> Sender<()> {
    let (ask, asked) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let mut seen = modified(&path);
        loop {
            let requested = match asked.recv_timeout(Duration::from_secs(1)) {
                Ok(()) => true,
                Err(RecvTimeoutError::Timeout) => false,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if !requested && modified(&path) == seen {
                continue;
            }
            if !requested {
                // Debounce: an editor writing in steps settles first.
                std::thread::sleep(Duration::from_millis(200));
            }
            seen = modified(&path);
            if tx.send(Event::Reload(Box::new(reload_registry(&path)))).is_err() {
                return;
            }
        }
    });
    ask
}

fn real_io<'a>(rx: Receiver<Event>, ask: Sender<()>, term: Arc<AtomicUsize>) -> Io<'a> {
    let start = Instant::now();
    let mut last_tick = Instant::now();
    let mut ticks = 0u32;
    let inject = inject_panic("ui");
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
            if PANICKED.load(Ordering::SeqCst) {
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
        // The result arrives later, as an Event::Reload from the watcher.
        reload: Box::new(move || {
            let _ = ask.send(());
            None
        }),
        copy: Box::new(osc52),
        suspend: Box::new(suspend),
    }
}
