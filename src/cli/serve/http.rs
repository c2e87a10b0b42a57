//! The HTTP side of `ktopo serve`: hyper's HTTP/1 server on a current-thread tokio
//! runtime of its own thread, so scrapers never wait for a sample and a sample never
//! waits for a scraper (the sampler swaps an `Arc` under a lock held for a pointer
//! copy). Requests are bounded: a 16 KiB head, 5 s to send it, 30 s per connection,
//! 32 connections at once (more get a 503), GET and HEAD only, no body read. A round
//! is encoded once, on the first scrape that asks for it, on tokio's blocking pool:
//! at thousands of groups an encoding takes a few hundred milliseconds, and neither
//! the accept loop nor another scraper waits for it.

use crate::core::exposition::{self, Scrape};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HeaderValue, ACCEPT, ACCEPT_ENCODING, ALLOW, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use hyper::{Method, Request, Response, StatusCode};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

const MAX_CONNECTIONS: usize = 32;
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(30);
const MAX_HEAD: usize = 16 * 1024;

/// One published round and its encodings, each made at most once. Metrics are kept
/// gzip-compressed (Prometheus asks for gzip): at 5,000 groups the text is 12 MB and
/// its gzip 600 KB; a client that does not accept gzip gets it inflated.
pub struct Published {
    pub scrape: Arc<Scrape>,
    text: OnceLock<Option<Bytes>>,
    openmetrics: OnceLock<Option<Bytes>>,
    json: OnceLock<Bytes>,
}

impl Published {
    fn new(scrape: Scrape) -> Self {
        Published {
            scrape: Arc::new(scrape),
            text: OnceLock::new(),
            openmetrics: OnceLock::new(),
            json: OnceLock::new(),
        }
    }

    /// The metrics in `format`, gzip-compressed, encoded by the first scrape that asks
    /// (None if the encoder failed).
    fn metrics_gzip(&self, cluster: &str, format: exposition::Format) -> Option<Bytes> {
        let cell = match format {
            exposition::Format::OpenMetrics => &self.openmetrics,
            _ => &self.text,
        };
        // The last compressed size of this format, and a little more room for growth.
        static LAST: [std::sync::atomic::AtomicUsize; 2] = [const { std::sync::atomic::AtomicUsize::new(0) }; 2];
        let last = &LAST[usize::from(format == exposition::Format::OpenMetrics)];
        cell.get_or_init(|| {
            let hint = last.load(std::sync::atomic::Ordering::Relaxed);
            let bytes = exposition::encode_gzip(Arc::clone(&self.scrape), cluster, format, hint + hint / 16)?;
            last.store(bytes.len(), std::sync::atomic::Ordering::Relaxed);
            Some(Bytes::from(bytes))
        })
        .clone()
    }

    fn json(&self) -> Bytes {
        self.json
            .get_or_init(|| Bytes::from(exposition::lag_json(&self.scrape)))
            .clone()
    }
}

/// What the sampler publishes and the server reads.
pub struct Shared {
    pub published: Mutex<Arc<Published>>,
    /// The `cluster` label.
    pub cluster: String,
    /// Why there is no sample yet (connecting, the demo cluster starting).
    pub waiting: Mutex<String>,
}

impl Shared {
    pub fn new(first: Scrape, cluster: String, waiting: String) -> Self {
        Shared {
            published: Mutex::new(Arc::new(Published::new(first))),
            cluster,
            waiting: Mutex::new(waiting),
        }
    }
    fn current(&self) -> Arc<Published> {
        Arc::clone(&self.published.lock().unwrap_or_else(|e| e.into_inner()))
    }
    pub fn latest(&self) -> Arc<Scrape> {
        Arc::clone(&self.current().scrape)
    }
    pub fn publish(&self, s: Scrape) {
        *self.published.lock().unwrap_or_else(|e| e.into_inner()) = Arc::new(Published::new(s));
    }
}

/// Serve on `listener` from a thread of its own until the process exits.
pub fn spawn(listener: std::net::TcpListener, shared: Arc<Shared>) -> std::io::Result<std::thread::JoinHandle<()>> {
    listener.set_nonblocking(true)?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    std::thread::Builder::new().name("ktopo-http".into()).spawn(move || {
        rt.block_on(async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                eprintln!("error: the HTTP listener could not be used");
                return;
            };
            let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    // Out of file descriptors and the like: try again shortly.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                };
                let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
                    // Full: say so rather than reset the connection (best effort).
                    tokio::spawn(async move {
                        let busy = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                        if let Ok(Ok(())) = tokio::time::timeout(Duration::from_secs(1), stream.writable()).await {
                            let _ = stream.try_write(busy);
                        }
                    });
                    continue;
                };
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                        let shared = Arc::clone(&shared);
                        let (parts, _) = req.into_parts();
                        let req = Request::from_parts(parts, ());
                        async move {
                            // Encoding is CPU work: off the runtime's only thread.
                            let r = tokio::task::spawn_blocking(move || respond(&req, &shared))
                                .await
                                .unwrap_or_else(|_| reply(StatusCode::INTERNAL_SERVER_ERROR, TEXT, "internal error\n"));
                            Ok::<_, std::convert::Infallible>(r)
                        }
                    });
                    let conn = hyper::server::conn::http1::Builder::new()
                        .timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(HEAD_TIMEOUT)
                        .max_buf_size(MAX_HEAD)
                        // One request per connection: the 30 s bound is then a request's.
                        .keep_alive(false)
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                    let _ = tokio::time::timeout(CONNECTION_TIMEOUT, conn).await;
                    drop(slot);
                });
            }
        })
    })
}

fn reply(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

const TEXT: &str = "text/plain; charset=utf-8";

const INDEX: &str = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>ktopo serve</title></head><body>\n\
<h1>ktopo serve</h1>\n<ul>\n\
<li><a href=\"/metrics\">/metrics</a>: Prometheus metrics (OpenMetrics or text 0.0.4, as the scraper asks)</li>\n\
<li><a href=\"/api/lag\">/api/lag</a>: the joined view as JSON, the objects of <code>ktopo lag --json</code></li>\n\
<li><a href=\"/readyz\">/readyz</a>: 200 when the last sample read the cluster, else 503 and why</li>\n\
<li><a href=\"/healthz\">/healthz</a>: 200 while the process runs</li>\n\
</ul>\n</body></html>\n";

fn respond<B>(req: &Request<B>, shared: &Shared) -> Response<Full<Bytes>> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = reply(StatusCode::METHOD_NOT_ALLOWED, TEXT, "only GET and HEAD\n");
        r.headers_mut().insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    match req.uri().path() {
        "/" => reply(StatusCode::OK, "text/html; charset=utf-8", INDEX),
        "/healthz" => reply(StatusCode::OK, TEXT, "ok\n"),
        "/readyz" => ready(shared),
        "/metrics" => {
            let accept = req.headers().get(ACCEPT).and_then(|v| v.to_str().ok());
            let format = exposition::negotiate(accept);
            let gzip = accepts_gzip(req.headers().get(ACCEPT_ENCODING).and_then(|v| v.to_str().ok()));
            let body = shared.current().metrics_gzip(&shared.cluster, format).and_then(|gz| {
                if gzip {
                    Some(gz)
                } else {
                    inflate(&gz)
                }
            });
            match body {
                Some(body) => {
                    let mut r = reply(StatusCode::OK, format.content_type(), body);
                    let h = r.headers_mut();
                    h.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
                    if gzip {
                        h.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                    }
                    r
                }
                None => reply(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    TEXT,
                    "the metrics could not be encoded\n",
                ),
            }
        }
        "/api/lag" => reply(StatusCode::OK, "application/json", shared.current().json()),
        _ => reply(
            StatusCode::NOT_FOUND,
            TEXT,
            "not found: try /metrics, /api/lag, /readyz, /healthz\n",
        ),
    }
}

/// Whether an `Accept-Encoding` header accepts gzip (`gzip` or `*`, not at `q=0`).
fn accepts_gzip(header: Option<&str>) -> bool {
    header.is_some_and(|h| {
        h.split(',').any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .or_else(|| p.strip_prefix("Q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
    })
}

/// The text of a kept gzip scrape, for a client that does not take gzip.
fn inflate(gz: &[u8]) -> Option<Bytes> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(gz), &mut out).ok()?;
    Some(Bytes::from(out))
}

fn ready(shared: &Shared) -> Response<Full<Bytes>> {
    let s = shared.latest();
    let h = &s.sampler;
    if h.up {
        let at = h.last_success_ms.map(crate::core::time::rfc3339).unwrap_or_default();
        return reply(
            StatusCode::OK,
            TEXT,
            format!("ready: the last sample read the cluster at {at}\n"),
        );
    }
    let why = match (&h.last_error, h.rounds) {
        (Some(e), _) => format!(
            "not ready: the last sample could not read the cluster: {}\n",
            crate::core::visible::one_line(e)
        ),
        (None, _) => format!(
            "not ready: no sample yet ({})\n",
            shared.waiting.lock().unwrap_or_else(|e| e.into_inner())
        ),
    };
    reply(StatusCode::SERVICE_UNAVAILABLE, TEXT, why)
}

#[cfg(test)]
mod tests {
    use super::accepts_gzip;

    #[test]
    fn gzip_is_sent_only_to_clients_that_accept_it() {
        // Prometheus's own header.
        assert!(accepts_gzip(Some("gzip")));
        assert!(accepts_gzip(Some("deflate, GZIP;q=0.5")));
        assert!(accepts_gzip(Some("*")));
        assert!(!accepts_gzip(None));
        assert!(!accepts_gzip(Some("identity")));
        assert!(!accepts_gzip(Some("gzip;q=0")));
        assert!(!accepts_gzip(Some("br, gzip; q=0.000")));
        assert!(!accepts_gzip(Some("gzipped")));
    }
}
