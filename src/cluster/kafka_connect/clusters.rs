//! Every Connect cluster of a command or session, read the one way the CLI and the
//! live watch share: a client per cluster, kept (connections reused between reads);
//! a cluster whose client cannot be built (a TLS file that cannot be used) is read
//! as unread, saying why, in every read, while the others are read as usual.

use super::client::Client;
use super::settings::Settings;
use crate::core::connectors::ClusterRead;

/// A cluster with no client: its name, URL and why.
struct Unbuilt {
    name: String,
    url: String,
    why: String,
}

pub struct Clusters {
    clients: Vec<Result<Client, Unbuilt>>,
}

impl Clusters {
    /// A client per cluster, each with its own timeout (`Settings::timeout`).
    pub fn new(settings: Vec<Settings>) -> Clusters {
        let clients = settings
            .into_iter()
            .map(|s| {
                let (name, url) = (s.name.clone(), s.base.clone());
                Client::new(s).map_err(|e| Unbuilt {
                    name,
                    url,
                    why: e.to_string(),
                })
            })
            .collect();
        Clusters { clients }
    }

    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }

    /// Each cluster in turn, once, in the order given (`read::read`'s budget each).
    pub fn read_all(&mut self) -> Vec<ClusterRead> {
        self.clients
            .iter_mut()
            .map(|c| match c {
                Ok(c) => super::read::read(c),
                Err(u) => ClusterRead {
                    name: u.name.clone(),
                    url: u.url.clone(),
                    connectors: Err(u.why.clone()),
                    notes: vec![],
                },
            })
            .collect()
    }
}

/// Every cluster read once: what one-shot commands use.
pub fn read_all(settings: Vec<Settings>) -> Vec<ClusterRead> {
    Clusters::new(settings).read_all()
}
