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
/// offline): the sampler watches its groups, the joins use it.
pub fn start(app: &mut App, conn: &ConnArgs, brokers: Option<&str>, tx: Sender<Event>) -> Option<Sender<Registered>> {
    if conn.offline {
        app.broker_note = "offline (--offline)".into();
        return None;
    }
    app.broker_note = match brokers {
        Some(b) => format!("connecting to {b}…"),
        None => "starting the demo cluster…".into(),
    };
    // The demo cluster stands for a development environment.
    if brokers.is_none() {
        app.setting.environment = "development".into();
    }
    let (watch, updates) = std::sync::mpsc::channel();
    let conn = conn.clone();
    let first = (app.data.generation, Arc::clone(&app.data.reg));
    let setting = app.setting.clone();
    let stopped = tx.clone();
    let spawned = std::thread::Builder::new().name("ktopo-live".into()).spawn(move || {
        if let Err(p) = super::panics::contain(|| feed(&conn, first, setting, updates, tx)) {
            let _ = stopped.send(Event::LiveStopped(p.0));
        }
    });
    if let Err(e) = spawned {
        app.broker_note = format!("cannot start the live thread: {e}");
        return None;
    }
    Some(watch)
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
fn feed(conn: &ConnArgs, first: Registered, mut setting: Setting, registered: Receiver<Registered>, tx: Sender<Event>) {
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
    let stop = Arc::new(AtomicBool::new(false));
    let pace = c.pace();
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
