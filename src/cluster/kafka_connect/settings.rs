//! Where each Connect cluster is (`--connect [NAME=]URL`, repeatable, `KTOPO_CONNECT`
//! comma-separated) and how to reach it, from properties in `-X`/`-F`:
//! `connect.basic.auth.user.info=user:password` (or the URL's user info) and
//! `connect.ssl.ca.location` / `connect.ssl.certificate.location` /
//! `connect.ssl.key.location` (PEM files), `connect.request.timeout.ms` (each request's
//! time); `connect.NAME.…` for one cluster only. The
//! URL is kept without its user info: what is shown can hold no secret.

use crate::cluster::kafka::config::Properties;
use std::path::PathBuf;

pub const USER_INFO: &str = "basic.auth.user.info";
pub const CA: &str = "ssl.ca.location";
pub const CERT: &str = "ssl.certificate.location";
pub const KEY: &str = "ssl.key.location";
pub const TIMEOUT_MS: &str = "request.timeout.ms";

#[derive(Clone, PartialEq, Eq)]
pub struct Settings {
    /// The name given, else the URL's `host:port`.
    pub name: String,
    /// `http://host:port/path`, no user info, no trailing `/`.
    pub base: String,
    /// `user:password` for basic auth.
    pub user_info: Option<String>,
    pub ca: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    /// Each request's time (`connect.request.timeout.ms`); None: `client::TIMEOUT`.
    pub timeout: Option<std::time::Duration>,
    /// The secret values, to remove from anything shown.
    pub secrets: Vec<String>,
}

// The credentials are never printed, not even by `{:?}`.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("name", &self.name)
            .field("base", &self.base)
            .field("auth", &self.user_info.as_ref().map(|_| "Basic(******)"))
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("--connect `{0}`: the URL must start with http:// or https://; write --connect [NAME=]http://host:8083")]
    Scheme(String),
    #[error("--connect `{0}`: the URL has no host; write --connect [NAME=]http://host:8083")]
    NoHost(String),
    #[error("--connect: two Connect clusters are named `{0}`; name them apart with NAME=URL")]
    Duplicate(String),
    #[error("connect.{TIMEOUT_MS} `{0}`: give milliseconds from 100 to 600000")]
    Timeout(String),
}

/// The URL shown for a `--connect` value: its user info replaced.
fn shown(value: &str) -> String {
    let v = match value.split_once("://") {
        Some((s, rest)) => match rest.split('/').next().unwrap_or("").rsplit_once('@') {
            Some((_, host)) => format!("{s}://******@{host}"),
            None => value.to_string(),
        },
        None => value.split('@').next_back().unwrap_or("").to_string(),
    };
    crate::core::words::cut(&crate::core::visible::one_line(&v), 120)
}

/// Every Connect cluster of the flags, in order.
pub fn from_args(values: &[String], p: &Properties) -> Result<Vec<Settings>, SettingsError> {
    let mut out: Vec<Settings> = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let s = one(value, p)?;
        if out.iter().any(|o| o.name == s.name) {
            return Err(SettingsError::Duplicate(
                crate::core::visible::one_line(&s.name).into_owned(),
            ));
        }
        out.push(s);
    }
    Ok(out)
}

fn one(value: &str, p: &Properties) -> Result<Settings, SettingsError> {
    // `NAME=URL`: a name holds no `:` or `/`, so `http://h/?a=b` stays a URL.
    let (name, url) = match value.split_once('=') {
        Some((n, u)) if !n.contains(':') && !n.contains('/') && !n.trim().is_empty() => (Some(n.trim()), u.trim()),
        _ => (None, value),
    };
    let (scheme, rest) = url
        .split_once("://")
        .filter(|(s, _)| matches!(s.to_ascii_lowercase().as_str(), "http" | "https"))
        .ok_or_else(|| SettingsError::Scheme(shown(value)))?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if host.is_empty() {
        return Err(SettingsError::NoHost(shown(value)));
    }
    let name = name.unwrap_or(host).to_string();
    // `connect.NAME.key` wins over `connect.key`.
    let prop = |key: &str| {
        p.get(&format!("connect.{name}.{key}"))
            .or_else(|| p.get(&format!("connect.{key}")))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let user_info = prop(USER_INFO)
        .map(str::to_string)
        .or_else(|| userinfo.filter(|u| !u.is_empty()).map(str::to_string));
    let mut secrets = Vec::new();
    for u in [userinfo.map(str::to_string), user_info.clone()].into_iter().flatten() {
        secrets.extend(u.split_once(':').map(|(_, pw)| pw.to_string()));
        secrets.push(u);
    }
    secrets.retain(|s| s.len() >= 3);
    // Longest first: a password inside a user info is replaced after it.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let (ca, cert, key) = (
        prop(CA).map(PathBuf::from),
        prop(CERT).map(PathBuf::from),
        prop(KEY).map(PathBuf::from),
    );
    let timeout = match prop(TIMEOUT_MS) {
        None => None,
        Some(v) => match v.parse::<u64>() {
            Ok(ms @ 100..=600_000) => Some(std::time::Duration::from_millis(ms)),
            _ => {
                return Err(SettingsError::Timeout(crate::core::words::cut(
                    &crate::core::visible::one_line(v),
                    40,
                )))
            }
        },
    };
    Ok(Settings {
        name,
        base: format!("{}://{host}{}", scheme.to_ascii_lowercase(), path.trim_end_matches('/')),
        user_info,
        ca,
        cert,
        key,
        timeout,
        secrets,
    })
}

impl Settings {
    /// Text with every secret value replaced.
    pub fn scrub(&self, text: &str) -> String {
        crate::cluster::kafka::config::mask(text, self.secrets.iter().map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(kv: &[(&str, &str)]) -> Properties {
        let mut p = Properties::default();
        for (k, v) in kv {
            p.set(k, v);
        }
        p
    }

    #[test]
    fn names_urls_and_credentials() {
        let p = props(&[
            ("connect.basic.auth.user.info", "ann:s3cret"),
            ("connect.b.ssl.ca.location", "/ca.pem"),
        ]);
        let s = from_args(
            &[
                "a=HTTPS://bob:hunter2@c1:8083/api/".into(),
                "b=http://c2:8083".into(),
                "http://c3:8083/?x=y".into(),
            ],
            &p,
        )
        .unwrap();
        assert_eq!(s[0].name, "a");
        assert_eq!(s[0].base, "https://c1:8083/api");
        // The property wins over the URL's user info; both stay secret.
        assert_eq!(s[0].user_info.as_deref(), Some("ann:s3cret"));
        assert_eq!(s[0].scrub("bob:hunter2 ann:s3cret hunter2"), "****** ****** ******");
        assert!(!format!("{:?}", s[0]).contains("s3cret"));
        assert_eq!(s[1].ca, Some(PathBuf::from("/ca.pem")));
        assert_eq!(s[0].ca, None);
        assert_eq!(
            (s[2].name.as_str(), s[2].base.as_str()),
            ("c3:8083", "http://c3:8083/?x=y")
        );
    }

    #[test]
    fn bad_values_say_what_and_never_the_secret() {
        let p = Properties::default();
        let e = from_args(&["ftp://u:hunter2@h".into()], &p).unwrap_err();
        assert!(matches!(e, SettingsError::Scheme(_)));
        assert!(!e.to_string().contains("hunter2"), "{e}");
        let e = from_args(&["x=http://u:hunter2@/p".into()], &p).unwrap_err();
        assert!(
            matches!(e, SettingsError::NoHost(_)) && !e.to_string().contains("hunter2"),
            "{e}"
        );
        let e = from_args(&["http://h:1".into(), "http://h:1".into()], &p).unwrap_err();
        assert_eq!(e, SettingsError::Duplicate("h:1".into()));
        assert_eq!(from_args(&[" ".into()], &p), Ok(vec![]));
    }

    #[test]
    fn a_request_timeout_per_cluster_within_bounds() {
        let p = props(&[
            ("connect.request.timeout.ms", "60000"),
            ("connect.b.request.timeout.ms", "250"),
        ]);
        let s = from_args(&["a=http://h:1".into(), "b=http://h:2".into()], &p).unwrap();
        assert_eq!(s[0].timeout, Some(std::time::Duration::from_secs(60)));
        assert_eq!(s[1].timeout, Some(std::time::Duration::from_millis(250)));
        for bad in ["0", "99", "600001", "5s", "\u{1b}[2J"] {
            let p = props(&[("connect.request.timeout.ms", bad)]);
            let e = from_args(&["http://h:1".into()], &p).unwrap_err();
            assert!(matches!(e, SettingsError::Timeout(_)), "{bad}: {e}");
            assert!(!e.to_string().contains('\u{1b}'), "{e}");
        }
    }
}
