//! The registry watcher: loads the registry file off the UI thread when it changes on
//! disk (checked every second, loaded once it has been quiet for 200 ms), when asked
//! (`r`), and from another file when a context names one (`:ctx`). Reading is bounded
//! (see `input.rs`), and a slow file never freezes the screen.

use super::event_loop::reload_registry;
use super::state::Event;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{RecvTimeoutError, Sender};
use std::time::{Duration, SystemTime};

/// What the watcher is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// Load the file now (`r`).
    Now,
    /// Watch this file from now on, and load it now (`:ctx` to a context naming one).
    Watch(PathBuf),
}

fn modified(path: &Path) -> Option<(SystemTime, u64)> {
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()))
}

/// Watch `path`; every load goes to `tx` as an `Event::Reload`.
pub fn spawn(mut path: PathBuf, tx: Sender<Event>) -> Sender<Ask> {
    let (ask, asked) = std::sync::mpsc::channel::<Ask>();
    std::thread::spawn(move || {
        let mut seen = modified(&path);
        loop {
            let requested = match asked.recv_timeout(Duration::from_secs(1)) {
                Ok(Ask::Now) => true,
                Ok(Ask::Watch(p)) => {
                    path = p;
                    true
                }
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
