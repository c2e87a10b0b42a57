//! The Schema Registry: its settings (`settings`), a GET-only client (`client`), and
//! the session's decoder (`decoder`) that fetches each schema once (its caches bounded:
//! `lru`) and decodes
//! wire-format records with `core::schema`; what drift asks of the declared subjects
//! (`subjects`) and of the GUIDs seen (`guids`), more of them than a round asks taken
//! in turns (`rotation`).

pub mod client;
pub mod decoder;
pub mod guids;
pub mod lru;
pub mod rotation;
pub mod settings;
pub mod subjects;
