//! The one client handle every request goes out on, the log context that remembers why
//! a connection failed, and the batch loop: requests submitted at once, answers
//! collected as events on a queue of our own.

use super::ffi::Queue;
use rdkafka::bindings as rd;
use rdkafka::consumer::{BaseConsumer, Consumer};
use std::ffi::{c_char, c_void};
use std::time::{Duration, Instant};

/// Admin requests outstanding at once. Tens of thousands at once (a registry declaring
/// 40,000 group-topic pairs) made requests time out before their coordinator was
/// found, which tripped a use-after-free in librdkafka (confluentinc/librdkafka#4605;
/// ktopo builds it fixed, vendor/rdkafka-sys/PATCHES.md). A window still keeps every
/// request in flight that matters for speed without queueing the rest to time out.
const IN_FLIGHT: usize = 1_000;

/// A client handle used for admin requests (and metadata, through `client()`).
pub struct Admin {
    client: BaseConsumer<Transport>,
}

/// Remembers the last connection failure librdkafka logged, so an error can say why
/// (connection refused, timed out, name not resolved, TLS, authentication) rather than
/// only "BrokerTransportFailure". librdkafka logs from its own threads, so this works
/// without polling the client.
#[derive(Default)]
pub struct Transport {
    last: std::sync::Mutex<Option<String>>,
}

impl rdkafka::ClientContext for Transport {
    fn log(&self, level: rdkafka::config::RDKafkaLogLevel, fac: &str, message: &str) {
        use rdkafka::config::RDKafkaLogLevel as L;
        let serious = matches!(level, L::Emerg | L::Alert | L::Critical | L::Error | L::Warning);
        if serious && matches!(fac, "FAIL" | "ERROR" | "SASL" | "SSL" | "AUTH" | "BROKERFAIL") {
            // Without librdkafka's thread tag; bounded: a broker's name could be anything.
            let m = match message.strip_prefix("[thrd:").and_then(|r| r.split_once("]: ")) {
                Some((_, rest)) => rest,
                None => message,
            };
            let m: String = m.chars().take(300).collect();
            if let Ok(mut last) = self.last.lock() {
                *last = Some(m);
            }
        }
    }
    fn error(&self, _error: rdkafka::error::KafkaError, _reason: &str) {}
}

impl rdkafka::consumer::ConsumerContext for Transport {}

impl Admin {
    /// A handle from `config` (which must not carry a group.id for the sampler).
    pub fn create(config: &rdkafka::ClientConfig) -> Result<Admin, rdkafka::error::KafkaError> {
        Ok(Admin {
            client: config.create_with_context(Transport::default())?,
        })
    }

    /// The underlying client, for Metadata.
    pub fn client(&self) -> &BaseConsumer<Transport> {
        &self.client
    }

    /// The last connection failure librdkafka reported, if any. Its logs and errors wait
    /// on the client's queue; serving them cannot join a group (this handle has none).
    pub fn last_failure(&self) -> Option<String> {
        for _ in 0..64 {
            match self.client.poll(Duration::ZERO) {
                None => break,
                Some(Err(e)) => {
                    if let Ok(mut last) = self.client.context().last.lock() {
                        last.get_or_insert_with(|| e.to_string());
                    }
                }
                Some(Ok(_)) => {}
            }
        }
        self.client.context().last.lock().ok().and_then(|l| l.clone())
    }

    pub(super) fn rk(&self) -> *mut rd::rd_kafka_t {
        self.client.client().native_ptr()
    }

    /// Submit `n` requests, at most `IN_FLIGHT` outstanding at a time, each with
    /// options carrying its index, and collect one result event per request until all
    /// have answered or `timeout` (plus a grace for librdkafka's own timeout event)
    /// has passed since the last submission. `None`: no answer in time.
    pub(super) fn batch<R>(
        &self,
        op: rd::rd_kafka_admin_op_t,
        n: usize,
        timeout: Duration,
        mut submit: impl FnMut(usize, *const rd::rd_kafka_AdminOptions_t, *mut rd::rd_kafka_queue_t),
        mut read: impl FnMut(usize, *mut rd::rd_kafka_event_t) -> R,
    ) -> Vec<Option<R>> {
        let mut out: Vec<Option<R>> = (0..n).map(|_| None).collect();
        if n == 0 {
            return out;
        }
        let ms = timeout.as_millis().clamp(1, i32::MAX as u128) as i32;
        let queue = Queue::new(self.rk());
        let mut send = |i: usize| {
            // SAFETY: options are created for this handle, used for one call (which
            // copies them) and destroyed right after. The opaque is an index, never
            // dereferenced; +1 keeps it non-null.
            unsafe {
                let opts = rd::rd_kafka_AdminOptions_new(self.rk(), op);
                let mut errbuf = [0 as c_char; 256];
                rd::rd_kafka_AdminOptions_set_request_timeout(opts, ms, errbuf.as_mut_ptr(), errbuf.len());
                rd::rd_kafka_AdminOptions_set_opaque(opts, (i + 1) as *mut c_void);
                submit(i, opts, queue.0);
                rd::rd_kafka_AdminOptions_destroy(opts);
            }
        };
        let mut sent = n.min(IN_FLIGHT);
        (0..sent).for_each(&mut send);
        let grace = timeout + Duration::from_millis(500);
        let mut deadline = Instant::now() + grace;
        let mut left = n;
        while left > 0 {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            let wait = (deadline - now).as_millis().clamp(1, 100) as i32;
            // SAFETY: polling our own live queue; the event is destroyed below.
            let ev = unsafe { rd::rd_kafka_queue_poll(queue.0, wait) };
            if ev.is_null() {
                continue;
            }
            // SAFETY: a live event; the opaque is the index we set.
            let idx = unsafe { rd::rd_kafka_event_opaque(ev) } as usize;
            if (1..=n).contains(&idx) && out[idx - 1].is_none() {
                out[idx - 1] = Some(read(idx - 1, ev));
                left -= 1;
                // One answered, one more goes out.
                if sent < n {
                    send(sent);
                    sent += 1;
                    deadline = Instant::now() + grace;
                }
            }
            // SAFETY: destroyed once, after `read` copied what it needs.
            unsafe { rd::rd_kafka_event_destroy(ev) };
        }
        out
    }
}
