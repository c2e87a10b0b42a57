//! The Schema Registry: its settings (`settings`), a GET-only client (`client`), and
//! the session's decoder (`decoder`) that fetches each schema once and decodes
//! wire-format records with `core::schema`; what drift asks of the declared subjects
//! (`subjects`) and of the GUIDs seen (`guids`).

pub mod client;
pub mod decoder;
pub mod guids;
pub mod settings;
pub mod subjects;
