//! Where the Schema Registry is and how to sign in, from the Confluent client
//! property names (`schema.registry.*` in `-X`/`-F`, or `--schema-registry`). The URL
//! is kept without its user info: what is shown can hold no secret.

use crate::cluster::kafka::config::Properties;

pub const URL: &str = "schema.registry.url";
pub const USER_INFO: &str = "schema.registry.basic.auth.user.info";
pub const BEARER: &str = "schema.registry.bearer.auth.token";
/// PEM files, as the Confluent clients name them.
pub const CA: &str = "schema.registry.ssl.ca.location";
pub const CERT: &str = "schema.registry.ssl.certificate.location";
pub const KEY: &str = "schema.registry.ssl.key.location";

/// How requests sign in.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// `user:password`.
    Basic(String),
    Bearer(String),
}

// Never printed, not even by `{:?}`.
impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Auth::Basic(_) => "Basic(******)",
            Auth::Bearer(_) => "Bearer(******)",
        })
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct Settings {
    /// `http://host:port/path`, no user info, no trailing `/`.
    pub base: String,
    pub auth: Option<Auth>,
    /// A CA to trust and a client certificate (`schema.registry.ssl.*`).
    pub tls: crate::cluster::http::TlsFiles,
    /// The secret values, to remove from anything shown.
    pub secrets: Vec<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("base", &self.base)
            .field("auth", &self.auth)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("schema.registry.url must start with http:// or https:// (got `{0}`)")]
    Scheme(String),
    #[error("schema.registry.url has no host")]
    NoHost,
}

/// The registry's settings, if a URL is given (`None`: records stay undecoded).
pub fn from_properties(p: &Properties) -> Result<Option<Settings>, SettingsError> {
    let Some(url) = p.get(URL).map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    // Several URLs (the Java client's failover list): the first is used.
    let url = url.split(',').next().unwrap_or(url).trim();
    let (scheme, rest) = url
        .split_once("://")
        .filter(|(s, _)| matches!(s.to_ascii_lowercase().as_str(), "http" | "https"))
        .ok_or_else(|| {
            // Only the part before any user info is shown.
            let shown = url.split('@').next_back().unwrap_or_default();
            SettingsError::Scheme(crate::core::visible::one_line(shown).into_owned())
        })?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if host.is_empty() {
        return Err(SettingsError::NoHost);
    }
    let mut secrets = Vec::new();
    let mut auth = None;
    if let Some(u) = userinfo.filter(|u| !u.is_empty()) {
        secrets.push(u.to_string());
        secrets.extend(u.split_once(':').map(|(_, pw)| pw.to_string()));
        auth = Some(Auth::Basic(u.to_string()));
    }
    if let Some(u) = p.get(USER_INFO).filter(|u| !u.is_empty()) {
        secrets.push(u.to_string());
        secrets.extend(u.split_once(':').map(|(_, pw)| pw.to_string()));
        auth = Some(Auth::Basic(u.to_string()));
    }
    if let Some(t) = p.get(BEARER).filter(|t| !t.is_empty()) {
        secrets.push(t.to_string());
        auth = Some(Auth::Bearer(t.to_string()));
    }
    secrets.retain(|s| s.len() >= 3);
    let file = |k: &str| {
        p.get(k)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    };
    let tls = crate::cluster::http::TlsFiles {
        ca: file(CA),
        cert: file(CERT),
        key: file(KEY),
    };
    Ok(Some(Settings {
        base: format!("{}://{host}{}", scheme.to_ascii_lowercase(), path.trim_end_matches('/')),
        auth,
        tls,
        secrets,
    }))
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
    fn user_info_leaves_the_url_and_becomes_credentials() {
        let s = from_properties(&props(&[(URL, "HTTPS://bob:hunter2@sr.example:8081/api/,http://b")]))
            .unwrap()
            .unwrap();
        assert_eq!(s.base, "https://sr.example:8081/api");
        assert_eq!(s.auth, Some(Auth::Basic("bob:hunter2".into())));
        assert_eq!(s.scrub("bob:hunter2 or hunter2"), "****** or ******");
        assert!(!format!("{s:?}").contains("hunter2"));
        let s = from_properties(&props(&[(URL, "http://h"), (BEARER, "tok-123")]))
            .unwrap()
            .unwrap();
        assert_eq!(s.auth, Some(Auth::Bearer("tok-123".into())));
        assert_eq!(from_properties(&props(&[])), Ok(None));
        let e = from_properties(&props(&[(URL, "ftp://u:secret@h")])).unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
        assert_eq!(
            from_properties(&props(&[(URL, "http://u:p@/x")])),
            Err(SettingsError::NoHost)
        );
        let shown = props(&[(URL, "https://bob:hunter2@h:8081"), (USER_INFO, "a:b-secret")]).display();
        assert_eq!(
            shown,
            [format!("{URL}=https://******@h:8081"), format!("{USER_INFO}=******")]
        );
    }
}
