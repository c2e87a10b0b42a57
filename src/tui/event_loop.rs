//! The event loop: draw, take an event, apply it, carry out its effects. The same
//! loop runs the real terminal and the tests' scripted ones.

use super::state::{App, Effect, Event};
use super::ui;
use crate::core::registry::{self, Checked};
use ratatui::backend::Backend;
use ratatui::Terminal;
use std::path::Path;

/// What the event loop needs from the outside world; tests provide their own.
pub struct Io<'a> {
    /// The next event, or None to stop.
    pub next: Box<dyn FnMut() -> Option<Event> + 'a>,
    /// Carry out an effect (other than `Quit`). An event it returns is applied at once
    /// (a test's reload); the real one answers later, on the event channel.
    pub effect: Box<dyn FnMut(Effect) -> Option<Event> + 'a>,
}

/// Draw, then apply events and carry out their effects until the app quits or the
/// events end.
pub fn event_loop<B: Backend>(terminal: &mut Terminal<B>, app: &mut App, mut io: Io) -> std::io::Result<()> {
    // The effects the initial state asks for (the map's layout).
    let mut effects = app.update(Event::Tick(app.now_s));
    terminal.draw(|f| ui::render(app, f))?;
    loop {
        while let Some(e) = (!effects.is_empty()).then(|| effects.remove(0)) {
            match e {
                Effect::Quit => return Ok(()),
                Effect::Suspend => {
                    (io.effect)(Effect::Suspend);
                    // The shell drew over the screen: repaint all of it.
                    terminal.clear()?;
                }
                e => {
                    if let Some(ev) = (io.effect)(e) {
                        effects.extend(app.update(ev));
                    }
                }
            }
        }
        terminal.draw(|f| ui::render(app, f))?;
        let Some(ev) = (io.next)() else { return Ok(()) };
        effects = app.update(ev);
    }
}

/// Load for a reload: an unreadable file becomes a finding shown in the popup.
pub fn reload_registry(path: &Path) -> Checked {
    registry::load(path).unwrap_or_else(|e| Checked {
        source: crate::core::diag::Source {
            path: path.display().to_string(),
            text: String::new(),
        },
        registry: None,
        diagnostics: vec![crate::core::diag::Diagnostic::error("unreadable", e.to_string())],
        fatal: true,
    })
}
