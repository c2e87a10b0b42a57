//! librdkafka's mock cluster: topics created many at once (the demo and the tests).

use super::error::AdminError;
use rdkafka::bindings as rd;
use std::ffi::CString;

/// The mock cluster behind a client created with `test.mock.num.brokers`. librdkafka's
/// mock API only queues an operation for the mock thread and waits for its reply, so it
/// may be called from any thread.
#[derive(Clone, Copy)]
struct MockPtr(*mut rd::rd_kafka_mock_cluster_t);
// SAFETY: see above: every call through it is a thread-safe queue operation.
unsafe impl Send for MockPtr {}
unsafe impl Sync for MockPtr {}

/// Create topics on the mock cluster owned by `client`, many at once. One at a time, a
/// creation can wait for the mock thread's one-second timer (its wake-up is sometimes
/// missed), which made a 300-topic demo take minutes to start; concurrent requests are
/// all served at the next wake-up.
pub fn create_mock_topics<C: rdkafka::ClientContext>(
    client: &rdkafka::client::Client<C>,
    topics: &[(String, i32)],
) -> Result<(), AdminError> {
    // SAFETY: `client` is live for this call and owns the mock cluster (or has none).
    let mock = MockPtr(unsafe { rd::rd_kafka_handle_mock_cluster(client.native_ptr()) });
    if mock.0.is_null() {
        return Err(AdminError::NoMockCluster);
    }
    let errors: Vec<AdminError> = std::thread::scope(|s| {
        let jobs: Vec<_> = topics
            .chunks(topics.len().div_ceil(256).max(1))
            .map(|chunk| {
                s.spawn(move || {
                    let mock = mock;
                    chunk
                        .iter()
                        .filter_map(|(name, partitions)| {
                            let c = CString::new(name.as_str()).ok()?;
                            // SAFETY: the cluster outlives this scope (the client does);
                            // the call copies the name.
                            let err = unsafe { rd::rd_kafka_mock_topic_create(mock.0, c.as_ptr(), *partitions, 1) };
                            (err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR).then(|| {
                                AdminError::CreateTopic {
                                    topic: name.clone(),
                                    code: err.into(),
                                }
                            })
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        jobs.into_iter().flat_map(|j| j.join().unwrap_or_default()).collect()
    });
    errors.into_iter().next().map_or(Ok(()), Err)
}
