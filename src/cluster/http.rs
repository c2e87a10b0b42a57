//! The one HTTP client ktopo has, for the Schema Registry and Kafka Connect's REST API:
//! strictly GET (the only method this file can send), no proxy from the environment,
//! no redirect, each request under a timeout and a response-size cap, TLS files from
//! the properties, and every error scrubbed of secrets by the caller's settings.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why a request gave no JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fetch {
    /// The server answered with this status (and its message, if JSON had one).
    #[error("HTTP {status}{}", message.as_ref().map(|m| format!(": {m}")).unwrap_or_default())]
    Status { status: u16, message: Option<String> },
    #[error("no answer within {} s", *ms as f64 / 1000.0)]
    TimedOut { ms: u64 },
    /// No answer at all: refused, not resolved, TLS.
    #[error("unreachable: {0}")]
    Unreachable(String),
    #[error("answer larger than {0} bytes")]
    TooLarge(u64),
    #[error("answer is not JSON: {0}")]
    NotJson(String),
}

impl Fetch {
    /// The server did not answer at all: later requests to it would wait too.
    pub fn no_answer(&self) -> bool {
        matches!(self, Fetch::TimedOut { .. } | Fetch::Unreachable(_))
    }
}

/// PEM files for TLS: a CA to trust, and a client certificate with its key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

/// A TLS file named in the properties that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{owner}: {what}")]
pub struct TlsError {
    /// Whose files: "Connect cluster `cdc`", "the schema registry".
    pub owner: String,
    pub what: String,
}

/// The TLS configuration of `files`; `prefix` names their properties in errors
/// (`connect.ssl`, `schema.registry.ssl`).
pub fn tls(owner: &str, prefix: &str, files: &TlsFiles) -> Result<ureq::tls::TlsConfig, TlsError> {
    use ureq::tls::{parse_pem, ClientCert, PemItem, RootCerts, TlsConfig};
    let bad = |what: String| TlsError {
        owner: owner.to_string(),
        what,
    };
    let certs = |path: &Path| -> Result<Vec<_>, TlsError> {
        let certs: Vec<_> = parse_pem(&pem(owner, path)?)
            .filter_map(|i| match i {
                Ok(PemItem::Certificate(c)) => Some(c.to_owned()),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err(bad(format!("{} holds no PEM certificate", shown(path))));
        }
        Ok(certs)
    };
    let mut b = TlsConfig::builder();
    if let Some(ca) = &files.ca {
        b = b.root_certs(RootCerts::new_with_certs(&certs(ca)?));
    }
    match (&files.cert, &files.key) {
        (Some(cert), Some(key_path)) => {
            let chain = certs(cert)?;
            let key = parse_pem(&pem(owner, key_path)?)
                .find_map(|i| match i {
                    Ok(PemItem::PrivateKey(k)) => Some(k.to_owned()),
                    _ => None,
                })
                .ok_or_else(|| bad(format!("{} holds no PEM private key", shown(key_path))))?;
            b = b.client_cert(Some(ClientCert::new_with_certs(&chain, key)));
        }
        (None, None) => {}
        _ => {
            return Err(bad(format!(
                "a client certificate needs both {prefix}.certificate.location and {prefix}.key.location"
            )))
        }
    }
    Ok(b.build())
}

fn pem(owner: &str, path: &Path) -> Result<Vec<u8>, TlsError> {
    crate::core::input::read_bounded(path, 1 << 20).map_err(|e| TlsError {
        owner: owner.to_string(),
        what: format!("cannot read {}: {e}", shown(path)),
    })
}

fn shown(path: &Path) -> String {
    crate::core::visible::one_line(&path.display().to_string()).into_owned()
}

/// An agent that sends only what it is asked to, where it is asked to.
pub fn agent(timeout: Duration, tls: ureq::tls::TlsConfig) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        // Only the URL given is contacted: no proxy from the environment, no redirect.
        .proxy(None)
        .max_redirects(0)
        .tls_config(tls)
        .build()
        .into()
}

/// One GET.
pub struct Get<'a> {
    pub url: &'a str,
    pub accept: &'static str,
    /// The `Authorization` header's value.
    pub authorization: Option<String>,
    pub timeout: Duration,
    /// Bytes of the answer read at most.
    pub limit: u64,
}

/// `GET` as JSON, and the bytes received; `scrub` makes any text of an error or an
/// answer's message safe to show (no secret, one visible line).
pub fn get_json(
    agent: &ureq::Agent,
    get: Get,
    scrub: &dyn Fn(&str) -> String,
) -> Result<(serde_json::Value, u64), Fetch> {
    if get.timeout.is_zero() {
        return Err(Fetch::TimedOut { ms: 0 });
    }
    let mut req = agent
        .get(get.url)
        .config()
        .timeout_global(Some(get.timeout))
        .build()
        .header("Accept", get.accept);
    if let Some(a) = get.authorization {
        req = req.header("Authorization", a);
    }
    let failed = |e: ureq::Error| match e {
        ureq::Error::Timeout(_) => Fetch::TimedOut {
            ms: get.timeout.as_millis() as u64,
        },
        ureq::Error::BodyExceedsLimit(_) => Fetch::TooLarge(get.limit),
        e => Fetch::Unreachable(scrub(&e.to_string())),
    };
    let mut resp = req.call().map_err(failed)?;
    let status = resp.status().as_u16();
    let body = resp
        .body_mut()
        .with_config()
        .limit(get.limit)
        .read_to_vec()
        .map_err(failed)?;
    let json: Result<serde_json::Value, _> = serde_json::from_slice(&body);
    if !(200..300).contains(&status) {
        // Both APIs write errors as `{"error_code": 40403, "message": "Schema not found"}`.
        let message = json
            .ok()
            .and_then(|j| j.get("message").and_then(|m| m.as_str()).map(scrub));
        return Err(Fetch::Status { status, message });
    }
    Ok((json.map_err(|e| Fetch::NotJson(e.to_string()))?, body.len() as u64))
}

/// `Basic` credentials for `user:password`.
pub fn basic(user_info: &str) -> String {
    use base64::Engine;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(user_info))
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
