//! A Connect worker's REST API over blocking HTTP: strictly GET (the only method this
//! file can send), one request at a time, each under a timeout and a response-size
//! cap, credentials sent and never shown.

use super::settings::Settings;
use std::time::Duration;

/// Bytes of one answer read at most: every connector with its config, status and
/// traces fits many times over.
pub const MAX_RESPONSE_BYTES: u64 = 16 << 20;

/// Each request's whole time (connect, send, answer).
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Why a request gave no JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fetch {
    /// The worker answered with this status (and its message, if JSON had one).
    #[error("HTTP {status}{}", message.as_ref().map(|m| format!(": {m}")).unwrap_or_default())]
    Status { status: u16, message: Option<String> },
    #[error("no answer within {} s", *ms as f64 / 1000.0)]
    TimedOut { ms: u64 },
    /// No answer at all: refused, not resolved, TLS.
    #[error("unreachable: {0}")]
    Unreachable(String),
    #[error("answer larger than {} bytes", MAX_RESPONSE_BYTES)]
    TooLarge,
    #[error("answer is not JSON: {0}")]
    NotJson(String),
}

impl Fetch {
    /// The worker did not answer at all: later requests to it would wait too.
    pub fn no_answer(&self) -> bool {
        matches!(self, Fetch::TimedOut { .. } | Fetch::Unreachable(_))
    }
}

/// A TLS file named in the properties that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Connect cluster `{name}`: {what}")]
pub struct TlsError {
    pub name: String,
    pub what: String,
}

pub struct Client {
    agent: ureq::Agent,
    pub settings: Settings,
    timeout: Duration,
    /// Requests sent this session.
    pub sent: usize,
    /// Bytes of answers received this session (a read's budget counts them).
    pub received: u64,
    /// No request runs past this (a read's deadline): each is cut to what is left.
    pub until: Option<std::time::Instant>,
}

fn pem(name: &str, path: &std::path::Path) -> Result<Vec<u8>, TlsError> {
    crate::core::input::read_bounded(path, 1 << 20).map_err(|e| TlsError {
        name: name.to_string(),
        what: format!(
            "cannot read {}: {e}",
            crate::core::visible::one_line(&path.display().to_string())
        ),
    })
}

fn tls(s: &Settings) -> Result<ureq::tls::TlsConfig, TlsError> {
    use ureq::tls::{parse_pem, ClientCert, PemItem, RootCerts, TlsConfig};
    let bad = |what: String| TlsError {
        name: s.name.clone(),
        what,
    };
    let mut b = TlsConfig::builder();
    if let Some(ca) = &s.ca {
        let bytes = pem(&s.name, ca)?;
        let certs: Vec<_> = parse_pem(&bytes)
            .filter_map(|i| match i {
                Ok(PemItem::Certificate(c)) => Some(c.to_owned()),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err(bad(format!("{} holds no PEM certificate", ca.display())));
        }
        b = b.root_certs(RootCerts::new_with_certs(&certs));
    }
    match (&s.cert, &s.key) {
        (Some(cert), Some(key)) => {
            let chain: Vec<_> = parse_pem(&pem(&s.name, cert)?)
                .filter_map(|i| match i {
                    Ok(PemItem::Certificate(c)) => Some(c.to_owned()),
                    _ => None,
                })
                .collect();
            let key_bytes = pem(&s.name, key)?;
            let key = parse_pem(&key_bytes)
                .find_map(|i| match i {
                    Ok(PemItem::PrivateKey(k)) => Some(k.to_owned()),
                    _ => None,
                })
                .ok_or_else(|| bad(format!("{} holds no PEM private key", key.display())))?;
            if chain.is_empty() {
                return Err(bad(format!("{} holds no PEM certificate", cert.display())));
            }
            b = b.client_cert(Some(ClientCert::new_with_certs(&chain, key)));
        }
        (None, None) => {}
        _ => {
            return Err(bad(
                "a client certificate needs both connect.ssl.certificate.location and connect.ssl.key.location".into(),
            ))
        }
    }
    Ok(b.build())
}

impl Client {
    /// A client with the cluster's own timeout (`connect.request.timeout.ms`, else `TIMEOUT`).
    pub fn new(settings: Settings) -> Result<Client, TlsError> {
        let t = settings.timeout.unwrap_or(TIMEOUT);
        Client::with_timeout(settings, t)
    }

    pub fn with_timeout(settings: Settings, timeout: Duration) -> Result<Client, TlsError> {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            // Only the URL given is contacted: no proxy from the environment, no redirect.
            .proxy(None)
            .max_redirects(0)
            .tls_config(tls(&settings)?)
            .build()
            .into();
        Ok(Client {
            agent,
            settings,
            timeout,
            sent: 0,
            received: 0,
            until: None,
        })
    }

    /// Each request's time at most.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// `GET base + path` as JSON.
    pub fn get(&mut self, path: &str) -> Result<serde_json::Value, Fetch> {
        let url = format!("{}{path}", self.settings.base);
        // Cut to the read's deadline: a slow worker cannot stretch a read past it.
        let timeout = match self.until {
            Some(u) => self.timeout.min(u.saturating_duration_since(std::time::Instant::now())),
            None => self.timeout,
        };
        if timeout.is_zero() {
            return Err(Fetch::TimedOut { ms: 0 });
        }
        let mut req = self
            .agent
            .get(&url)
            .config()
            .timeout_global(Some(timeout))
            .build()
            .header("Accept", "application/json");
        if let Some(u) = &self.settings.user_info {
            use base64::Engine;
            let b = base64::engine::general_purpose::STANDARD.encode(u);
            req = req.header("Authorization", format!("Basic {b}"));
        }
        self.sent += 1;
        let scrub = |e: ureq::Error| match e {
            ureq::Error::Timeout(_) => Fetch::TimedOut {
                ms: timeout.as_millis() as u64,
            },
            ureq::Error::BodyExceedsLimit(_) => Fetch::TooLarge,
            e => Fetch::Unreachable(shown(&self.settings.scrub(&e.to_string()))),
        };
        let mut resp = req.call().map_err(scrub)?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .map_err(scrub)?;
        self.received = self.received.saturating_add(body.len() as u64);
        let json: Result<serde_json::Value, _> = serde_json::from_slice(&body);
        if !(200..300).contains(&status) {
            // Connect's errors are `{"error_code": 404, "message": "Connector x not found"}`.
            let message = json.ok().and_then(|j| {
                j.get("message")
                    .and_then(|m| m.as_str())
                    .map(|m| shown(&self.settings.scrub(m)))
            });
            return Err(Fetch::Status { status, message });
        }
        json.map_err(|e| Fetch::NotJson(e.to_string()))
    }
}

/// A worker's words, on one line, visible and cut: they reach tables and the TUI.
fn shown(text: &str) -> String {
    crate::core::words::cut(&crate::core::visible::one_line(text), 200)
}
