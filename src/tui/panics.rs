//! Panics the UI survives: the live side's threads and the map's layout are
//! contained (their message is kept for the UI to show); any other panic ends the UI
//! through the terminal restore.

use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the panic hook: a thread that is not contained panicked.
pub(super) static PANICKED: AtomicBool = AtomicBool::new(false);

/// Threads whose panic does not end the UI: the live side (connecting and the demo
/// cluster, the sampler) and the map's layout.
pub(super) const CONTAINED: [&str; 4] = ["ktopo-live", "ktopo-sampler", "ktopo-demo", "ktopo-layout"];
static CONTAINED_PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Keep a contained thread's panic message for the UI (called by the hook).
pub(super) fn keep(message: String) {
    if let Ok(mut last) = CONTAINED_PANIC.lock() {
        *last = Some(message);
    }
}

/// The last contained panic, for the message the UI shows.
pub fn contained_panic() -> String {
    CONTAINED_PANIC
        .lock()
        .ok()
        .and_then(|mut p| p.take())
        .unwrap_or_else(|| "a live thread stopped".into())
}

/// A panic's message.
pub fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// A contained panic, with its message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct Panic(pub String);

/// Run `f`, a panic in it turned into an error: the message the hook kept (with
/// where it happened), else the panic's own.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, Panic> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|e| {
        let kept = CONTAINED_PANIC.lock().ok().and_then(|mut last| last.take());
        Panic(kept.unwrap_or_else(|| message(e.as_ref())))
    })
}

pub(super) fn panicked() -> bool {
    PANICKED.load(Ordering::SeqCst)
}

/// Fault injection for the tmux tests (`KTOPO_INJECT_PANIC=sampler` or `ui`): proves
/// a panic on either side leaves the terminal usable. Debug builds only (the tests'
/// build): a release build, what people run, has no fault injection at all.
pub fn inject_panic(side: &str) -> bool {
    cfg!(debug_assertions) && std::env::var("KTOPO_INJECT_PANIC").is_ok_and(|v| v == side)
}
