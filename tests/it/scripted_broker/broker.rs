//! A Kafka broker (node 1) on 127.0.0.1 that speaks just enough of the protocol for
//! ktopo's read-only sampler through librdkafka, answering from a `Script`: topics with
//! their log start and end offsets, groups with their commits and members, and faults
//! per request (an error for the whole request or one partition, a delay, silence).
//!
//! A thread per connection reads requests in order; an answer due later is written by
//! a thread of its own, so a delayed or silent request never holds back the next one
//! (librdkafka matches answers by correlation id). Every request is recorded (`Seen`),
//! and tests wait on that record, never on the clock. A request the broker does not
//! speak is recorded as unexpected and its connection closed.

use super::messages::{self, API_VERSIONS, UNSUPPORTED_VERSION};
use super::script::{Act, On, Script};
use super::wire::{Reader, Writer};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How a request was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Now,
    After(Duration),
    Never,
    /// An ApiVersions version above what is advertised: UNSUPPORTED_VERSION.
    Refused,
    /// Not spoken here: the connection was closed.
    Closed,
}

/// One request the broker received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub api_key: i16,
    pub version: i16,
    pub on: Option<On>,
    pub answer: Answer,
    /// The answer was written (for `After`: once its time came, whether or not the
    /// client had closed the connection by then).
    pub sent: bool,
}

#[derive(Default)]
struct Shared {
    script: Script,
    seen: Vec<Seen>,
    counts: HashMap<On, usize>,
    unexpected: Vec<String>,
}

#[derive(Default)]
struct State {
    shared: Mutex<Shared>,
    changed: Condvar,
}

impl State {
    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The running broker; stopped (its threads end) on drop.
pub struct Broker {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Arc<AtomicBool>,
}

impl Broker {
    pub fn start(script: Script) -> Broker {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        let addr = listener.local_addr().expect("bound");
        let state = Arc::new(State::default());
        state.lock().script = script;
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if sp.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (st, sp) = (st.clone(), sp.clone());
                std::thread::spawn(move || serve(conn, addr.port(), &st, &sp));
            }
        });
        Broker { addr, state, stop }
    }

    /// `127.0.0.1:PORT`, for `-b`.
    pub fn bootstrap(&self) -> String {
        self.addr.to_string()
    }

    /// Every request received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().seen.clone()
    }

    /// Requests the broker does not speak (each closed its connection).
    pub fn unexpected(&self) -> Vec<String> {
        self.state.lock().unexpected.clone()
    }

    /// Wait until `done` holds for the requests received, for at most `timeout`.
    pub fn wait_until(&self, what: &str, timeout: Duration, done: impl Fn(&[Seen]) -> bool) {
        let deadline = Instant::now() + timeout;
        let mut shared = self.state.lock();
        while !done(&shared.seen) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "waited {timeout:?} for {what}; seen: {:?}",
                shared.seen
            );
            shared = self
                .state
                .changed
                .wait_timeout(shared, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accepting thread so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

/// Read exactly `n` bytes; None when the peer closed, or the broker stopped.
fn read_full(s: &mut TcpStream, n: usize, stop: &AtomicBool) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; n];
    let mut got = 0;
    while got < n {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        match s.read(&mut buf[got..]) {
            Ok(0) => return None,
            Ok(k) => got += k,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut | std::io::ErrorKind::Interrupted
                ) => {}
            Err(_) => return None,
        }
    }
    Some(buf)
}

/// One connection: requests in order, each answered now, later or never.
fn serve(mut conn: TcpStream, port: u16, state: &Arc<State>, stop: &AtomicBool) {
    let _ = conn.set_nodelay(true);
    // Short reads, so a stopped broker's threads end.
    let _ = conn.set_read_timeout(Some(Duration::from_millis(100)));
    let Ok(out) = conn.try_clone() else { return };
    let out = Arc::new(Mutex::new(out));
    loop {
        let Some(size) = read_full(&mut conn, 4, stop) else {
            return;
        };
        let size = i32::from_be_bytes(size.try_into().expect("4 bytes"));
        if !(8..=16 << 20).contains(&size) {
            state.lock().unexpected.push(format!("a request of {size} bytes"));
            return;
        }
        let Some(frame) = read_full(&mut conn, size as usize, stop) else {
            return;
        };
        let Some((corr, body, answer, index)) = respond(&frame, port, state) else {
            return;
        };
        // Response header v0 (every version spoken here): the correlation id.
        let mut msg = Writer::default();
        msg.i32(4 + body.len() as i32).i32(corr);
        msg.buf.extend_from_slice(&body);
        let send = move |out: &Mutex<TcpStream>, state: &State| {
            let _ = out.lock().unwrap_or_else(|e| e.into_inner()).write_all(&msg.buf);
            state.lock().seen[index].sent = true;
            state.changed.notify_all();
        };
        match answer {
            Answer::Never => {}
            Answer::After(d) => {
                let (out, state) = (out.clone(), state.clone());
                std::thread::spawn(move || {
                    std::thread::sleep(d);
                    send(&out, &state);
                });
            }
            _ => send(&out, state),
        }
    }
}

/// The answer to one request frame: (correlation id, body, when, index in `seen`), or
/// None to close the connection.
fn respond(frame: &[u8], port: u16, state: &State) -> Option<(i32, Vec<u8>, Answer, usize)> {
    let mut r = Reader::new(frame);
    // Request header v1 (v2 only adds tagged fields, and only ApiVersions v3 uses it
    // here, whose body is not read): api_key, api_version, correlation_id, client_id.
    let (key, version, corr) = (r.i16().ok()?, r.i16().ok()?, r.i32().ok()?);
    let _client_id = r.string().ok()?;
    let supported = messages::advertised(key, version);
    let mut shared = state.lock();
    let record = |shared: &mut Shared, on, answer| {
        shared.seen.push(Seen {
            api_key: key,
            version,
            on,
            answer,
            sent: false,
        });
        state.changed.notify_all();
        shared.seen.len() - 1
    };
    if key == API_VERSIONS && !supported {
        // KIP-511: a version the broker does not know gets a v0 answer with
        // UNSUPPORTED_VERSION and the supported versions; librdkafka retries lower.
        let index = record(&mut shared, None, Answer::Refused);
        return Some((
            corr,
            messages::api_versions(0, UNSUPPORTED_VERSION),
            Answer::Refused,
            index,
        ));
    }
    let request = if supported {
        messages::parse(key, version, &mut r)
    } else {
        Err("not spoken".into())
    };
    let request = match request {
        Ok(req) => req,
        Err(e) => {
            shared.unexpected.push(format!("api key {key} v{version}: {e}"));
            record(&mut shared, None, Answer::Closed);
            return None;
        }
    };
    let on = request.on();
    let acts: Vec<Act> = match on {
        Some(on) => {
            let n = shared.counts.entry(on).or_default();
            let nth = *n;
            *n += 1;
            shared
                .script
                .faults
                .iter()
                .filter(|f| f.on == on && f.nth.contains(&nth))
                .map(|f| f.act.clone())
                .collect()
        }
        None => Vec::new(),
    };
    let body = messages::answer(&request, version, &mut shared.script, &acts, port);
    let when = if acts.contains(&Act::Silence) {
        Answer::Never
    } else {
        acts.iter()
            .find_map(|a| match a {
                Act::Delay(d) => Some(Answer::After(*d)),
                _ => None,
            })
            .unwrap_or(Answer::Now)
    };
    let index = record(&mut shared, on, when);
    Some((corr, body, when, index))
}
