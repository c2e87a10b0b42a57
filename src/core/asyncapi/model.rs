//! What ktopo takes from AsyncAPI documents, between reading them (2.x or 3.0) and
//! writing a registry: topics with their Kafka configuration, services, links, events.

use serde_json::Value;

/// Everything read from one or several documents.
#[derive(Debug, Default)]
pub struct Platform {
    pub files: Vec<String>,
    pub services: Vec<Service>,
    pub topics: Vec<Topic>,
    /// What the registry cannot hold, each `file:line:col: what (why)`.
    pub unsupported: Vec<String>,
    /// `x-ktopo-platform`: what a ktopo export knew besides AsyncAPI (the platform,
    /// conventions, domains, the services' facts), as registry-shaped JSON.
    pub extras: Option<Value>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Topic {
    /// The Kafka topic name, or a pattern with `{placeholders}` (`pattern` true).
    pub name: String,
    pub pattern: bool,
    pub description: Option<String>,
    pub partitions: Option<u32>,
    pub replicas: Option<u32>,
    pub retention_days: Option<u32>,
    pub notes: Vec<String>,
    pub events: Vec<Event>,
    /// Marked deprecated in the document (`x-ktopo-topic`, or every payload deprecated).
    pub deprecated: bool,
    pub producers: Vec<Link>,
    pub consumers: Vec<Link>,
    /// `x-ktopo-topic`: the registry's facts about the topic that AsyncAPI lacks.
    pub extras: Option<Value>,
}

/// A service's link to a topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub service: String,
    pub group: Option<String>,
    /// `x-ktopo-endpoint`: via, note, commits, the subscription pattern.
    pub extras: Option<Value>,
}

#[derive(Debug, Clone, Default)]
pub struct Event {
    pub name: String,
    pub description: Option<String>,
    /// (name, JSON text) of each payload example.
    pub examples: Vec<(String, String)>,
    pub deprecated: bool,
}

impl Topic {
    pub fn event_mut(&mut self, name: &str) -> &mut Event {
        match self.events.iter().position(|e| e.name == name) {
            Some(i) => &mut self.events[i],
            None => {
                self.events.push(Event {
                    name: name.to_string(),
                    ..Event::default()
                });
                self.events.last_mut().expect("just pushed")
            }
        }
    }
    /// Add an event type, or fill in what an earlier mention of it lacked.
    pub fn merge_event(&mut self, e: Event) {
        let have = self.event_mut(&e.name);
        if have.description.is_none() {
            have.description = e.description;
        }
        for ex in e.examples {
            if !have.examples.contains(&ex) {
                have.examples.push(ex);
            }
        }
        have.deprecated |= e.deprecated;
    }
    /// Deprecated: marked so by a ktopo export, or every event type's payload is.
    pub fn marked_deprecated(&self) -> bool {
        let status = self
            .extras
            .as_ref()
            .and_then(|x| x.get("status"))
            .and_then(|s| s.as_str());
        status == Some("deprecated") || (!self.events.is_empty() && self.events.iter().all(|e| e.deprecated))
    }
    pub fn add(&mut self, role: Role, link: Link) {
        let list = match role {
            Role::Produce => &mut self.producers,
            Role::Consume => &mut self.consumers,
        };
        if !list.contains(&link) {
            list.push(link);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Produce,
    Consume,
}

impl Role {
    pub fn other(self) -> Role {
        match self {
            Role::Produce => Role::Consume,
            Role::Consume => Role::Produce,
        }
    }
}

/// A snake_case key from a title: `Streetlights Kafka API` → `streetlights_kafka_api`.
pub fn key_of(title: &str) -> String {
    let mut key = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    while key.ends_with('_') {
        key.pop();
    }
    if key.is_empty() {
        key.push_str("application");
    }
    key
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_snake_case() {
        assert_eq!(super::key_of("Streetlights Kafka API"), "streetlights_kafka_api");
        assert_eq!(super::key_of("  --Adeo: Case/Study!"), "adeo_case_study");
        assert_eq!(super::key_of("日本"), "application");
    }
}
