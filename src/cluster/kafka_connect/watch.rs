//! Kafka Connect read along the live session, off its thread: the sampler asks for a
//! read at the start of a round when one is due (the first round, then every `EVERY`),
//! a thread of its own reads every Connect cluster in turn (`clusters`: each request
//! under the client's timeout, each read under its budget, a silent worker ending its
//! cluster's read), and the sampler takes
//! the finished read at the end of whichever round it is ready by. A slow or dead
//! worker therefore delays only the next Connect read, never a sampling round, and so
//! never the UI.

use super::clusters::Clusters;
use super::settings::Settings;
use crate::core::connectors::live::Live;
use crate::core::connectors::ClusterRead;
use std::sync::mpsc::{channel, Receiver, Sender, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often the Connect clusters are read: connector and task states change by the
/// minute (a task fails, a rebalance moves it), and a read costs the worker a request
/// per connector on old workers.
pub const EVERY: Duration = Duration::from_secs(30);

/// A finished read: the reads, when it began (wall ms) and how long it took.
type Done = (Vec<ClusterRead>, i64, u64);

pub struct ConnectWatch {
    ask: Sender<()>,
    done: Receiver<Done>,
    in_flight: bool,
    last_asked: Option<Instant>,
    last: Option<Arc<Live>>,
    /// Between reads (`EVERY`; tests shorten it).
    pub every: Duration,
    /// What must live as long as the reads (the demo's Connect server).
    _keep: Option<Box<dyn Send>>,
}

impl ConnectWatch {
    /// Read `clusters` (each with its own timeout, `Settings::timeout`) on a thread of
    /// its own, which ends with the watch. `keep` lives as long as the watch.
    pub fn start(clusters: Vec<Settings>, keep: Option<Box<dyn Send>>) -> std::io::Result<ConnectWatch> {
        let (ask, asked) = channel::<()>();
        let (tell, done) = channel::<Done>();
        std::thread::Builder::new()
            .name("ktopo-connect".into())
            .spawn(move || {
                // One client per cluster for the session (connections reused).
                let mut clusters = Clusters::new(clusters);
                for () in asked {
                    let began = Instant::now();
                    let at_ms = crate::core::time::now_ms();
                    let reads = clusters.read_all();
                    if tell.send((reads, at_ms, began.elapsed().as_millis() as u64)).is_err() {
                        return;
                    }
                }
            })?;
        Ok(ConnectWatch {
            ask,
            done,
            in_flight: false,
            last_asked: None,
            last: None,
            every: EVERY,
            _keep: keep,
        })
    }

    /// At the start of a round: ask for a read when one is due and none is under way.
    pub fn kick(&mut self) {
        if self.in_flight || self.last_asked.is_some_and(|t| t.elapsed() < self.every) {
            return;
        }
        if self.ask.send(()).is_ok() {
            self.in_flight = true;
            self.last_asked = Some(Instant::now());
        }
    }

    /// At the end of a round, without waiting: the read finished since the last call.
    pub fn take(&mut self) -> Option<Arc<Live>> {
        match self.done.try_recv() {
            Ok((reads, at_ms, took_ms)) => {
                self.in_flight = false;
                let live = Arc::new(Live::new(reads, at_ms, took_ms, self.last.as_deref()));
                self.last = Some(live.clone());
                Some(live)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.in_flight = false;
                None
            }
        }
    }

    /// A read is under way (asked for, not yet taken).
    pub fn reading(&self) -> bool {
        self.in_flight
    }
}
