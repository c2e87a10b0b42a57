//! The Schema Registry's read endpoints over `cluster::http` (GET only, timeouts, a
//! response-size cap, TLS from `schema.registry.ssl.*`), one request at a time,
//! credentials sent and never shown.

use super::settings::{Auth, Settings};
use std::time::Duration;

pub use crate::cluster::http::{segment, Fetch};

/// Bytes of one answer read at most: a schema past the cap is refused, not read.
pub const MAX_RESPONSE_BYTES: u64 = 2 << 20;

pub struct Client {
    agent: ureq::Agent,
    pub settings: Settings,
    timeout: Duration,
    /// Why no request can be sent (a TLS file that cannot be used): every request
    /// fails with it, so the registry is said unreachable once, with the reason.
    broken: Option<String>,
    /// Requests sent this session.
    pub sent: usize,
}

impl Client {
    pub fn new(settings: Settings, timeout: Duration) -> Client {
        let (tls, broken) = match crate::cluster::http::tls("the schema registry", "schema.registry.ssl", &settings.tls)
        {
            Ok(t) => (t, None),
            Err(e) => (ureq::tls::TlsConfig::default(), Some(e.to_string())),
        };
        Client {
            agent: crate::cluster::http::agent(timeout, tls),
            settings,
            timeout,
            broken,
            sent: 0,
        }
    }

    /// `GET base + path` as JSON.
    pub fn get(&mut self, path: &str) -> Result<serde_json::Value, Fetch> {
        if let Some(why) = &self.broken {
            return Err(Fetch::Unreachable(why.clone()));
        }
        let url = format!("{}{path}", self.settings.base);
        let authorization = match &self.settings.auth {
            Some(Auth::Basic(u)) => Some(crate::cluster::http::basic(u)),
            Some(Auth::Bearer(t)) => Some(format!("Bearer {t}")),
            None => None,
        };
        self.sent += 1;
        let get = crate::cluster::http::Get {
            url: &url,
            accept: "application/vnd.schemaregistry.v1+json, application/json",
            authorization,
            timeout: self.timeout,
            limit: MAX_RESPONSE_BYTES,
        };
        let shown = |t: &str| crate::core::words::cut(&crate::core::visible::one_line(&self.settings.scrub(t)), 200);
        crate::cluster::http::get_json(&self.agent, get, &shown).map(|(json, _)| json)
    }
}
