//! The TUI's live data: connect (or start the demo cluster) behind the open UI, then
//! sample until the UI goes away, every picture an `Event::Live` on the UI's channel.
//! A panic on this side is contained (`panics`): the UI is told and goes on.

use super::state::{App, Event};
use crate::cluster::connect::ConnArgs;
use crate::cluster::kafka::sampler::Watch;
use crate::core::live::view::LiveView;
use crate::core::registry::Registry;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;

/// Start the live side. `brokers` is the bootstrap list (None: the demo cluster).
/// Returns where to send the sampler the groups of a registry that replaced the
/// current one (None when offline).
pub fn start(app: &mut App, conn: &ConnArgs, brokers: Option<&str>, tx: Sender<Event>) -> Option<Sender<Watch>> {
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
    let (conn, reg) = (conn.clone(), Arc::clone(&app.data.reg));
    let stopped = tx.clone();
    let spawned = std::thread::Builder::new().name("ktopo-live".into()).spawn(move || {
        if let Err(p) = super::panics::contain(|| feed(&conn, &reg, updates, tx)) {
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
fn feed(conn: &ConnArgs, reg: &Registry, updates: Receiver<Watch>, tx: Sender<Event>) {
    let c = match crate::cluster::connect::connect(conn, reg) {
        Ok(Some(c)) => c,
        Ok(None) => return,
        Err(e) => {
            let _ = tx.send(no_cluster(e.to_string()));
            return;
        }
    };
    let stop = Arc::new(AtomicBool::new(false));
    let pace = c.pace();
    let sent = tx.clone();
    let inject = super::panics::inject_panic("sampler");
    let mut rounds = 0u32;
    match crate::core::live::session::spawn(c.sampler, c.label, pace, stop, updates, move |v| {
        rounds += 1;
        assert!(
            !(inject && rounds == 2),
            "injected sampler panic (KTOPO_INJECT_PANIC=sampler)"
        );
        sent.send(Event::Live(Box::new(v))).is_ok()
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
