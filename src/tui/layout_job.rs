//! The map's layout, off the UI thread: `Effect::LayOut` asks, `Event::Map` answers.
//! One layout at a time, and only for the latest registry: saving a large registry
//! several times in a row must not pile up layouts.

use super::data::{lay_out_with, Layouter};
use super::state::Event;
use crate::core::registry::Registry;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;

/// A job: the registry load's generation and its registry.
pub type Job = (u64, Arc<Registry>);

/// Start the layout thread. Jobs go in on the returned sender; each answer goes to
/// `send` (false: nobody listens any more, the thread ends).
pub fn spawn(layouter: Layouter, send: impl Fn(Event) -> bool + Send + 'static) -> std::io::Result<Sender<Job>> {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("ktopo-layout".into())
        .spawn(move || serve(&rx, layouter, send))?;
    Ok(tx)
}

/// Answer jobs until the senders are gone (the layout thread's loop).
pub fn serve(jobs: &Receiver<Job>, layouter: Layouter, send: impl Fn(Event) -> bool) {
    while let Ok(mut job) = jobs.recv() {
        // Only the latest: the ones it replaces would be dropped on arrival anyway.
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let (generation, reg) = job;
        let layouts = lay_out_with(layouter, &reg);
        if !send(Event::Map { generation, layouts }) {
            return;
        }
    }
}
