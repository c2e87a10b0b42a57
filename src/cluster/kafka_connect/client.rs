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

pub use crate::cluster::http::{Fetch, TlsError};

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

impl Client {
    /// A client with the cluster's own timeout (`connect.request.timeout.ms`, else `TIMEOUT`).
    pub fn new(settings: Settings) -> Result<Client, TlsError> {
        let t = settings.timeout.unwrap_or(TIMEOUT);
        Client::with_timeout(settings, t)
    }

    pub fn with_timeout(settings: Settings, timeout: Duration) -> Result<Client, TlsError> {
        let files = crate::cluster::http::TlsFiles {
            ca: settings.ca.clone(),
            cert: settings.cert.clone(),
            key: settings.key.clone(),
        };
        let owner = format!("Connect cluster `{}`", settings.name);
        let tls = crate::cluster::http::tls(&owner, "connect.ssl", &files)?;
        Ok(Client {
            agent: crate::cluster::http::agent(timeout, tls),
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
        self.sent += 1;
        let get = crate::cluster::http::Get {
            url: &url,
            accept: "application/json",
            authorization: self.settings.user_info.as_deref().map(crate::cluster::http::basic),
            timeout,
            limit: MAX_RESPONSE_BYTES,
        };
        let (json, bytes) = crate::cluster::http::get_json(&self.agent, get, &|t| shown(&self.settings.scrub(t)))?;
        self.received = self.received.saturating_add(bytes);
        Ok(json)
    }
}

/// A worker's words, on one line, visible and cut: they reach tables and the TUI.
fn shown(text: &str) -> String {
    crate::core::words::cut(&crate::core::visible::one_line(text), 200)
}
