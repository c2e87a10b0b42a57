//! Client configuration the way Kafka users already write it (kcat's `-b`, `-X`, `-F`),
//! with secrets masked wherever ktopo prints configuration.

use std::path::Path;

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
        || k == "sasl.oauthbearer.config"
        || k == "sasl.jaas.config"
        || k.ends_with(".pem") && k.contains("key")
}

/// `key=value` for display: secret values become `******`.
pub fn masked(key: &str, value: &str) -> String {
    if is_secret(key) {
        format!("{key}=******")
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

    /// Parse one `key=value`; the error never repeats the value (it may be a secret).
    pub fn parse_one(&mut self, kv: &str, origin: &str) -> Result<(), String> {
        let Some((k, v)) = kv.split_once('=') else {
            let key = kv.split_whitespace().next().unwrap_or("");
            return Err(format!("{origin}: `{key}` needs a value: write key=value"));
        };
        let k = k.trim();
        if k.is_empty() {
            return Err(format!("{origin}: empty property name before `=`"));
        }
        self.set(k, v.trim());
        Ok(())
    }

    /// Read a properties file: `key=value` lines, `#` comments, blank lines.
    pub fn read_file(&mut self, path: &Path) -> Result<(), String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            self.parse_one(line, &format!("{}:{}", path.display(), i + 1))?;
        }
        Ok(())
    }

    /// Every property for display, secrets masked.
    pub fn display(&self) -> Vec<String> {
        self.0.iter().map(|(k, v)| masked(k, v)).collect()
    }

    pub fn to_client_config(&self) -> rdkafka::ClientConfig {
        let mut c = rdkafka::ClientConfig::new();
        for (k, v) in &self.0 {
            c.set(k, v);
        }
        c
    }
}

/// Remove secret values from a message that might quote them (librdkafka errors can).
pub fn scrub(message: &str, props: &Properties) -> String {
    let mut m = message.to_string();
    for (k, v) in &props.0 {
        if is_secret(k) && v.len() >= 3 {
            m = m.replace(v.as_str(), "******");
        }
    }
    m
}
