//! The TUI's live data: connect (or start the demo cluster) behind the open UI, then
//! sample until the UI goes away. Each picture is joined with the registry here, off
//! the UI thread (at 10,000 topics a join takes over 100 ms), and sent as an
//! `Event::Joined`. A panic on this side is contained (`panics`): the UI is told and
//! goes on.

use super::state::{App, Event};
use crate::cluster::connect::ConnArgs;
use crate::core::join::{self, Observed, Setting};
use crate::core::live::view::LiveView;
use crate::core::registry::Registry;
use crate::core::topology::Topology;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};

/// A registry load and its generation, as the UI has it.
pub type Registered = (u64, Arc<Registry>);

/// Start the live side. `brokers` is the bootstrap list (None: the demo cluster).
/// Returns where to send each registry that replaces the current one (None when
/// offline): the sampler watches its groups, the joins use it; and its stop switch.
pub fn start(app: &mut App, conn: &ConnArgs, brokers: Option<&str>, tx: Sender<Event>) -> Option<Feed> {
    if conn.offline {
        app.broker_note = "offline (--offline)".into();
        return None;
    }
    app.broker_note = match brokers {
        Some(b) => format!("connecting to {b}…"),
        None => "starting the demo cluster…".into(),
    };
    // The demo cluster stands for a development environment (unless a context chose one).
    if brokers.is_none() && !app.setting.environment_chosen {
        app.setting.environment = "development".into();
    }
    app.context = conn.context.clone();
    let first = (app.data.generation, Arc::clone(&app.data.reg));
    match spawn(conn, first, app.setting.clone(), tx) {
        Ok(feed) => Some(feed),
        Err(e) => {
            app.broker_note = e;
            None
        }
    }
}

/// A running live feed: where to send registries, and its stop switch.
pub struct Feed {
    pub watch: Sender<Registered>,
    pub stop: Arc<AtomicBool>,
}

/// Start a live feed on its own thread (the first, or another context's for `:ctx`).
pub fn spawn(conn: &ConnArgs, first: Registered, setting: Setting, tx: Sender<Event>) -> Result<Feed, String> {
    let (watch, updates) = std::sync::mpsc::channel();
    let conn = conn.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let stopped = tx.clone();
    std::thread::Builder::new()
        .name("ktopo-live".into())
        .spawn(move || {
            if let Err(p) = super::panics::contain(|| feed(&conn, first, setting, updates, tx, stopping)) {
                let _ = stopped.send(Event::LiveStopped(p.0));
            }
        })
        .map_err(|e| format!("cannot start the live thread: {e}"))?;
    Ok(Feed { watch, stop })
}

/// A switch to another context (`:ctx`), resolved: its connection and drift setting,
/// and the registry file to load and watch.
pub struct Plan {
    pub conn: ConnArgs,
    pub setting: Setting,
    pub context: String,
    pub registry: std::path::PathBuf,
    /// Whether the context names no registry, so `registry` is the session's first.
    pub back_to_start: bool,
}

/// Context `name` of `file` resolved for `:ctx` (this reads the secret files it
/// names: off the UI thread, see `ctx_switch`). `base` gives what is not the
/// cluster's (the interval); `start` is the registry the session opened, for a
/// context naming none. The context's fields replace the command line's: the switch
/// is the newer choice.
pub fn plan(
    file: &crate::cluster::context::Contexts,
    name: &str,
    base: &ConnArgs,
    start: &std::path::Path,
) -> Result<Plan, String> {
    use crate::cluster::context::{apply, resolve};
    let ctx = file
        .get(name)
        .ok_or_else(|| format!("there is no context `{name}` any more"))?;
    let resolved = resolve::resolve(file, ctx, |k| std::env::var(k).ok()).map_err(|e| e.to_string())?;
    let conn = apply::conn_for(base, &resolved);
    // No brokers: the demo cluster, which stands for a development environment.
    let demo = !conn.properties.iter().any(|p| p.starts_with("bootstrap.servers="));
    let default = if demo { "development" } else { "production" };
    let setting = Setting {
        environment: resolved.env.clone().unwrap_or_else(|| default.into()),
        environment_chosen: resolved.env.is_some(),
        ..Default::default()
    };
    Ok(Plan {
        conn,
        setting,
        context: resolved.name.clone(),
        back_to_start: resolved.registry.is_none(),
        registry: resolved.registry.clone().unwrap_or_else(|| start.to_path_buf()),
    })
}

/// A picture that says why there is no live data.
fn no_cluster(why: String) -> Event {
    Event::Live(Box::new(LiveView {
        source: "no cluster".into(),
        errors: vec![why],
        ..Default::default()
    }))
}

/// Connect, then sample until the UI goes away. The demo cluster lives on this
/// thread's stack; the process exits without tearing it down.
fn feed(
    conn: &ConnArgs,
    first: Registered,
    mut setting: Setting,
    registered: Receiver<Registered>,
    tx: Sender<Event>,
    stop: Arc<AtomicBool>,
) {
    let c = match crate::cluster::connect::connect(conn, &first.1) {
        Ok(Some(c)) => c,
        Ok(None) => return,
        Err(e) => {
            let _ = tx.send(no_cluster(e.to_string()));
            return;
        }
    };
    // Registries that replace the current one: the sampler watches their groups at
    // once, the next join uses the latest.
    let latest = Arc::new(Mutex::new(first));
    let demo = c.demo.is_some();
    let (watch, updates) = std::sync::mpsc::channel();
    {
        let latest = Arc::clone(&latest);
        let forwarded = std::thread::Builder::new().name("ktopo-live".into()).spawn(move || {
            for r in registered {
                if watch.send(crate::cluster::connect::watch_for(&r.1, demo)).is_err() {
                    return;
                }
                *latest.lock().unwrap_or_else(|p| p.into_inner()) = r;
            }
        });
        if let Err(e) = forwarded {
            let _ = tx.send(no_cluster(format!("cannot start the live thread: {e}")));
            return;
        }
    }
    if stop.load(std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    let pace = c.pace();
    let stopped = Arc::clone(&stop);
    let sent = tx.clone();
    let inject = super::panics::inject_panic("sampler");
    let mut rounds = 0u32;
    let mut joined_on: Option<(u64, Arc<Registry>, Topology)> = None;
    let mut seen: Option<Observed> = None;
    match crate::core::live::session::spawn(c.sampler, c.label, pace, stop, updates, move |v| {
        rounds += 1;
        assert!(
            !(inject && rounds == 2),
            "injected sampler panic (KTOPO_INJECT_PANIC=sampler)"
        );
        let (generation, reg) = latest.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if joined_on.as_ref().is_none_or(|(g, ..)| *g != generation) {
            let topo = Topology::build(&reg);
            joined_on = Some((generation, reg, topo));
            seen = None;
        }
        let Some((_, reg, topo)) = &joined_on else { return false };
        // Switched away from (`:ctx`): this cluster's pictures are no longer wanted.
        if stopped.load(std::sync::atomic::Ordering::SeqCst) {
            return false;
        }
        if v.sampled() {
            setting.samples = setting.samples.saturating_add(1);
        }
        setting.now_ms = crate::core::time::now_ms();
        let joined = join::join(reg, topo, Some(&v), &setting, seen.take());
        seen = joined.observed();
        let event = Event::Joined {
            view: Box::new(v),
            generation,
            joined: Box::new(joined),
        };
        let sent = sent.send(event).is_ok();
        crate::cluster::kafka::memory::release_freed();
        sent
    }) {
        Ok(sampler) => {
            if sampler.join().is_err() {
                let _ = tx.send(Event::LiveStopped(super::panics::contained_panic()));
            }
        }
        Err(e) => {
            let _ = tx.send(no_cluster(format!("cannot start the sampler thread: {e}")));
        }
    }
    std::mem::forget(c.demo);
}
