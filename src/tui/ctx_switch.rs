//! `:ctx NAME` off the UI thread. The UI only sends the name: a thread of its own
//! reads the contexts file and the secret files it names, resolves the context,
//! starts its live feed (whose joins use the context's drift environment) and only
//! then stops the old feed, answers with an `Event::Switched` and tells the watcher of
//! the registry file (so its reload follows the answer); a context that cannot be
//! used is answered with a picture saying why (the old feed goes on). The UI thread neither reads files nor joins for a switch.

use super::live_feed::{self, Feed, Registered};
use super::state::Event;
use super::watcher::Ask;
use crate::cluster::connect::ConnArgs;
use crate::cluster::context::Contexts;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

/// The live feed running now, and the registry the UI has now (a switch that
/// resolved while it changed starts its feed on it).
#[derive(Default)]
pub struct Current {
    pub feed: Option<Feed>,
    pub latest: Option<Registered>,
}

impl Current {
    /// The registry replaced: the running feed watches and joins with it.
    pub fn watch(&mut self, r: Registered) {
        if let Some(f) = &self.feed {
            let _ = f.watch.send(r.clone());
        }
        self.latest = Some(r);
    }

    /// Stop the running feed (the UI goes away, or a test ends).
    pub fn stop(&mut self) {
        if let Some(f) = self.feed.take() {
            f.stop.store(true, Ordering::SeqCst);
        }
    }
}

/// Reads the contexts file (again: it may have changed since start-up).
pub type ReadContexts = Arc<dyn Fn() -> Result<Contexts, String> + Send + Sync>;

/// What a switch needs besides the context's name.
#[derive(Clone)]
pub struct Switcher {
    pub contexts: ReadContexts,
    /// The command line's connection settings (a switch keeps their interval).
    pub base: ConnArgs,
    /// The registry file the session opened (`-r`, or the default): a context naming
    /// none goes back to it.
    pub start: PathBuf,
    pub watcher: Sender<Ask>,
    pub tx: Sender<Event>,
    pub current: Arc<Mutex<Current>>,
}

impl Switcher {
    /// Switch to context `name`, joining with `first` (the UI's registry when asked);
    /// returns at once, the answer arrives on `tx`.
    pub fn switch(&self, name: String, first: Registered) {
        let s = self.clone();
        let shown = name.clone();
        let started = std::thread::Builder::new().name("ktopo-live".into()).spawn(move || {
            // A panic here is contained: the old feed goes on, the UI is told.
            let (event, registry) = super::panics::contain(|| s.resolve_and_start(&name, first))
                .unwrap_or_else(|p| (refused(&name, format!("internal error: {}", p.0)), None));
            // Switched first: the reload of its registry follows it on `tx`.
            let _ = s.tx.send(event);
            if let Some(path) = registry {
                let _ = s.watcher.send(Ask::Watch(path));
            }
        });
        if let Err(e) = started {
            let _ = self
                .tx
                .send(refused(&shown, format!("cannot start the switch thread: {e}")));
        }
    }

    /// The answer, and the registry file to watch once it is sent.
    fn resolve_and_start(&self, name: &str, first: Registered) -> (Event, Option<PathBuf>) {
        let plan = match (self.contexts)().and_then(|file| live_feed::plan(&file, name, &self.base, &self.start)) {
            Ok(p) => p,
            Err(why) => return (refused(name, why), None),
        };
        let (environment, environment_chosen) = (plan.setting.environment.clone(), plan.setting.environment_chosen);
        let first_generation = first.0;
        let feed = match live_feed::spawn(&plan.conn, first, plan.setting, self.tx.clone()) {
            Ok(f) => f,
            Err(why) => return (refused(name, why), None),
        };
        {
            let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
            // The registry was replaced while this resolved: the new feed joins with it.
            if let Some(latest) = current.latest.clone().filter(|l| l.0 > first_generation) {
                let _ = feed.watch.send(latest);
            }
            current.stop();
            current.feed = Some(feed);
        }
        let switched = Event::Switched {
            context: plan.context,
            registry: plan.registry.display().to_string(),
            back_to_start: plan.back_to_start,
            environment,
            environment_chosen,
        };
        (switched, Some(plan.registry))
    }
}

/// A picture that says why context `name` cannot be used.
fn refused(name: &str, why: String) -> Event {
    Event::Live(Box::new(crate::core::live::view::LiveView {
        source: format!("context {name}"),
        errors: vec![why],
        ..Default::default()
    }))
}
