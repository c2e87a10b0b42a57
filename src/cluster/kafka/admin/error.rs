//! What can go wrong talking to librdkafka, typed: its error code wherever it gave one,
//! so a caller can tell "not served by this broker" from a transient failure.

use rdkafka::types::RDKafkaErrorCode;
use std::time::Duration;

/// An error librdkafka reported: its code, and its words (the code's own where it gave
/// none).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text}")]
pub struct RdError {
    pub code: RDKafkaErrorCode,
    pub text: String,
}

impl RdError {
    /// The code in its own words.
    pub fn of(code: impl Into<RDKafkaErrorCode>) -> RdError {
        let code = code.into();
        RdError {
            code,
            text: code.to_string(),
        }
    }

    /// The broker does not serve the request (librdkafka's own check of the API
    /// versions, or the broker's answer), as opposed to a transient failure.
    pub fn unsupported(&self) -> bool {
        matches!(
            self.code,
            RDKafkaErrorCode::UnsupportedFeature | RDKafkaErrorCode::UnsupportedVersion
        )
    }
}

/// Why an Admin API request (or a read on the Admin handle) gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    Kafka(#[from] RdError),
    /// An error of the rdkafka crate's own API (its group list).
    #[error(transparent)]
    Client(#[from] rdkafka::error::KafkaError),
    /// No answer in time: from the API named, where the message names it.
    #[error("{}no answer within {within:?}", api.map_or(String::new(), |api| format!("{api}: ")))]
    NoAnswer {
        api: Option<&'static str>,
        within: Duration,
    },
    #[error("unexpected answer to {0}")]
    Unexpected(&'static str),
    #[error("empty answer to {0}")]
    Empty(&'static str),
    #[error("not in the broker's answer")]
    NotInAnswer,
    #[error("a topic name cannot contain NUL")]
    NulInName,
    #[error("cannot open topic `{0}`")]
    CannotOpen(String),
    #[error("this client has no mock cluster")]
    NoMockCluster,
    #[error("cannot create topic {topic}: {code}")]
    CreateTopic { topic: String, code: RDKafkaErrorCode },
    /// A thread reading for the request panicked (named).
    #[error("the {0} panicked")]
    Panicked(&'static str),
}

impl AdminError {
    /// The broker does not serve the request. Only librdkafka's errors carry a code;
    /// the rdkafka crate's own errors may have none, and then only their words can tell.
    pub fn unsupported(&self) -> bool {
        match self {
            AdminError::Kafka(e) => e.unsupported(),
            AdminError::Client(e) => match e.rdkafka_error_code() {
                Some(code) => RdError::of(code).unsupported(),
                None => {
                    let l = e.to_string().to_ascii_lowercase();
                    l.contains("unsupported") || l.contains("not supported")
                }
            },
            _ => false,
        }
    }
}

/// Why a client could not start, or could not read the cluster's metadata. librdkafka's
/// words, scrubbed of configured secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("cannot create a Kafka client: {0}")]
    Create(String),
    #[error("metadata: {0}")]
    Metadata(String),
}
