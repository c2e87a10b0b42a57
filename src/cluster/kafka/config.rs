//! Client configuration the way Kafka users already write it (kcat's `-b`, `-X`, `-F`),
//! with secrets masked wherever ktopo prints configuration.

use std::path::{Path, PathBuf};

/// Why client configuration given on the command line could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `-X key` without `=value`; the key is already made visible.
    #[error("{origin}: `{key}` needs a value: write key=value")]
    NoValue { origin: String, key: String },
    #[error("{origin}: empty property name before `=`")]
    EmptyName { origin: String },
    #[error("cannot read {}: {source}", path.display())]
    Unreadable { path: PathBuf, source: std::io::Error },
}

/// librdkafka properties, in the order given (later ones win).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties(pub Vec<(String, String)>);

/// Property names whose values are secret.
pub fn is_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.ends_with(".password")
        || k.ends_with("password")
        || k.ends_with(".key")
        || k.ends_with(".key.pem")
        || k.contains("secret")
        || k.contains("token")
        || k.ends_with("user.info")
        || k == "sasl.oauthbearer.config"
        || k == "sasl.jaas.config"
        || k.ends_with(".pem") && k.contains("key")
}

/// `key=value` for display: secret values become `******`.
pub fn masked(key: &str, value: &str) -> String {
    if is_secret(key) {
        format!("{key}=******")
    } else if let Some((scheme, rest)) = value.split_once("://").filter(|(_, r)| r.contains('@')) {
        // A URL's user info (`https://user:password@host`) is a secret too.
        let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
        format!("{key}={scheme}://******@{host}")
    } else {
        format!("{key}={value}")
    }
}

impl Properties {
    pub fn set(&mut self, key: &str, value: &str) {
        self.0.retain(|(k, _)| k != key);
        self.0.push((key.to_string(), value.to_string()));
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Parse one `key=value` (`-X`); the error never repeats anything after the key
    /// (`-X sasl.password:hunter2` must not print `hunter2`).
    pub fn parse_one(&mut self, kv: &str, origin: &str) -> Result<(), ConfigError> {
        let Some((k, v)) = kv.split_once('=') else {
            let key: String = kv
                .trim_start()
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ':')
                .collect();
            return Err(ConfigError::NoValue {
                origin: origin.to_string(),
                key: crate::core::visible::escape(&key).into_owned(),
            });
        };
        let k = k.trim();
        if k.is_empty() {
            return Err(ConfigError::EmptyName {
                origin: origin.to_string(),
            });
        }
        self.set(k, v.trim());
        Ok(())
    }

    /// Read a properties file the way Java does (kcat's `-F` files are Java
    /// `.properties`): `=`, `:` or whitespace between key and value, `#` and `!`
    /// comments, `\` line continuations and escapes (`\t`, `\n`, `\uXXXX`…).
    pub fn read_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let bytes =
            crate::core::input::read_bounded(path, MAX_PROPERTIES_BYTES).map_err(|source| ConfigError::Unreadable {
                path: path.to_path_buf(),
                source,
            })?;
        let text = String::from_utf8_lossy(&bytes);
        for (k, v) in parse_properties(&text) {
            self.set(&k, &v);
        }
        Ok(())
    }

    /// Every property for display, secrets masked.
    pub fn display(&self) -> Vec<String> {
        self.0.iter().map(|(k, v)| masked(k, v)).collect()
    }

    pub fn to_client_config(&self) -> rdkafka::ClientConfig {
        let mut c = rdkafka::ClientConfig::new();
        // `schema.registry.*` and `connect.*` are ktopo's own HTTP clients', not librdkafka's.
        for (k, v) in self
            .0
            .iter()
            .filter(|(k, _)| !k.starts_with("schema.registry.") && !k.starts_with("connect."))
        {
            c.set(k, v);
        }
        c
    }
}

/// Properties files larger than this are refused (they are a few lines).
pub const MAX_PROPERTIES_BYTES: usize = 1024 * 1024;

/// Properties whose values may appear in messages: known and not secret. Every other
/// value (a misspelt `sasl.pasword`, say) is treated as a secret.
const SHOWN: &[&str] = &[
    "bootstrap.servers",
    "metadata.broker.list",
    "client.id",
    "client.rack",
    "security.protocol",
    "sasl.mechanism",
    "sasl.mechanisms",
    "sasl.username",
    "sasl.kerberos.service.name",
    "ssl.ca.location",
    "ssl.certificate.location",
    "ssl.key.location",
    "ssl.endpoint.identification.algorithm",
    "enable.ssl.certificate.verification",
    "socket.timeout.ms",
    "request.timeout.ms",
    "debug",
    "broker.address.family",
    "enable.auto.commit",
    "enable.auto.offset.store",
    "enable.partition.eof",
    "api.version.request",
];

/// Remove values from a message that might quote them (librdkafka errors can): every
/// value but those of known, non-secret properties.
pub fn scrub(message: &str, props: &Properties) -> String {
    mask(
        message,
        props
            .0
            .iter()
            .filter(|(k, v)| (is_secret(k) || !SHOWN.contains(&k.as_str())) && v.len() >= 3)
            .map(|(_, v)| v.as_str()),
    )
}

/// `text` with each of `secrets` replaced by `******`: the one masking every client
/// (Kafka, Schema Registry, Connect) applies to what it shows.
pub fn mask<'a>(text: &str, secrets: impl IntoIterator<Item = &'a str>) -> String {
    let mut t = text.to_string();
    for s in secrets {
        t = t.replace(s, "******");
    }
    t
}

/// Java `.properties` text as (key, value) pairs, in order.
pub fn parse_properties(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(first) = lines.next() {
        let mut line = first.trim_start().to_string();
        if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        // An odd number of trailing backslashes continues the line.
        while line.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1 {
            line.pop();
            match lines.next() {
                Some(next) => line.push_str(next.trim_start()),
                None => break,
            }
        }
        let (key, value) = split_pair(&line);
        out.push((unescape(key), unescape(value)));
    }
    out
}

/// Key and raw value: the key ends at the first unescaped `=`, `:` or whitespace.
fn split_pair(line: &str) -> (&str, &str) {
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '=' | ':' | ' ' | '\t' | '\x0c' => {
                let rest = line[i..].trim_start_matches([' ', '\t', '\x0c']);
                let rest = rest
                    .strip_prefix(['=', ':'])
                    .map_or(rest, |r| r.trim_start_matches([' ', '\t', '\x0c']));
                return (&line[..i], rest);
            }
            _ => {}
        }
    }
    (line, "")
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\x0c'),
            Some('u') => {
                let hex: String = it.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == 4 => out.push(ch),
                    // Malformed: keep the text rather than fail the whole file.
                    _ => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}
