//! The Schema Registry's read endpoints over blocking HTTP: strictly GET, one request
//! at a time, each under a timeout and a response-size cap, credentials sent and
//! never shown.

use super::settings::{Auth, Settings};
use std::time::Duration;

/// Bytes of one answer read at most: a schema past the cap is refused, not read.
pub const MAX_RESPONSE_BYTES: u64 = 2 << 20;

/// Why a request gave no JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fetch {
    /// The registry answered with this status (and its message, if JSON had one).
    #[error("HTTP {status}{}", message.as_ref().map(|m| format!(": {m}")).unwrap_or_default())]
    Status { status: u16, message: Option<String> },
    /// No answer at all: refused, timed out, not resolved, TLS.
    #[error("unreachable: {0}")]
    Unreachable(String),
    #[error("answer larger than {} bytes", MAX_RESPONSE_BYTES)]
    TooLarge,
    #[error("answer is not JSON: {0}")]
    NotJson(String),
}

pub struct Client {
    agent: ureq::Agent,
    pub settings: Settings,
    /// Requests sent this session.
    pub sent: usize,
}

impl Client {
    pub fn new(settings: Settings, timeout: Duration) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            // Only the URL given is contacted: no proxy from the environment.
            .proxy(None)
            .max_redirects(0)
            .build()
            .into();
        Client {
            agent,
            settings,
            sent: 0,
        }
    }

    /// `GET base + path` as JSON.
    pub fn get(&mut self, path: &str) -> Result<serde_json::Value, Fetch> {
        let url = format!("{}{path}", self.settings.base);
        let mut req = self
            .agent
            .get(&url)
            .header("Accept", "application/vnd.schemaregistry.v1+json, application/json");
        req = match &self.settings.auth {
            Some(Auth::Basic(u)) => {
                use base64::Engine;
                let b = base64::engine::general_purpose::STANDARD.encode(u);
                req.header("Authorization", format!("Basic {b}"))
            }
            Some(Auth::Bearer(t)) => req.header("Authorization", format!("Bearer {t}")),
            None => req,
        };
        self.sent += 1;
        let mut resp = req
            .call()
            .map_err(|e| Fetch::Unreachable(self.settings.scrub(&e.to_string())))?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => Fetch::TooLarge,
                e => Fetch::Unreachable(self.settings.scrub(&e.to_string())),
            })?;
        let json: Result<serde_json::Value, _> = serde_json::from_slice(&body);
        if !(200..300).contains(&status) {
            // Confluent errors are `{"error_code": 40403, "message": "Schema not found"}`.
            let message = json.ok().and_then(|j| {
                j.get("message")
                    .and_then(|m| m.as_str())
                    .map(|m| crate::core::words::cut(&self.settings.scrub(m), 200))
            });
            return Err(Fetch::Status { status, message });
        }
        json.map_err(|e| Fetch::NotJson(e.to_string()))
    }
}

/// A path segment with everything but unreserved characters percent-encoded.
pub fn segment(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}
