//! The demo's Kafka Connect worker: the REST API's read endpoints (`/connectors` with
//! `expand`, `/connectors/{name}`, `/status`, `/topics`, `/`) for the connectors the
//! registry declares, served by `demo_http` (127.0.0.1, GET only, until its `Server`
//! is dropped). Sources run; the first sink runs with one task FAILED on a realistic
//! JDBC stack trace, so the TUI has a failure to show. Paths are matched as the client
//! sends them: a connector's name percent-encoded (`segment`).

use super::demo_http::{self, Server, Spec};
use crate::cluster::http::segment;
use crate::core::registry::model::ConnectorType;
use crate::core::registry::{Registry, Status};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The name the demo's Connect cluster has, as if `--connect demo=URL` were given.
pub const NAME: &str = "demo";

/// The trace of the failed sink task: what a JDBC sink prints when the table lacks a
/// column the records carry.
pub const FAILED_TRACE: &str = "org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.
\tat org.apache.kafka.connect.runtime.WorkerSinkTask.deliverMessages(WorkerSinkTask.java:632)
\tat org.apache.kafka.connect.runtime.WorkerSinkTask.poll(WorkerSinkTask.java:350)
\tat org.apache.kafka.connect.runtime.WorkerSinkTask.iteration(WorkerSinkTask.java:250)
\tat org.apache.kafka.connect.runtime.WorkerSinkTask.execute(WorkerSinkTask.java:219)
\tat org.apache.kafka.connect.runtime.WorkerTask.doRun(WorkerTask.java:204)
\tat org.apache.kafka.connect.runtime.WorkerTask.run(WorkerTask.java:259)
\tat org.apache.kafka.connect.runtime.isolation.Plugins.lambda$withClassLoader$1(Plugins.java:237)
\tat java.base/java.util.concurrent.Executors$RunnableAdapter.call(Executors.java:539)
\tat java.base/java.util.concurrent.FutureTask.run(FutureTask.java:264)
\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)
\tat java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)
\tat java.base/java.lang.Thread.run(Thread.java:840)
Caused by: org.apache.kafka.connect.errors.ConnectException: java.sql.SQLException: Exception chain:
java.sql.BatchUpdateException: Batch entry 0 INSERT INTO \"warehouse_events\" (\"event_id\",\"event_type\",\"payload\",\"ingested_at\") VALUES ('4b1d0c1e-2f51-4c55-9a43-0f8e1c9b7a21','UPDATE','{}','2026-12-01 22:02:58.693+00') was aborted: ERROR: column \"ingested_at\" of relation \"warehouse_events\" does not exist
  Position: 73  Call getNextException to see other errors in the batch.
org.postgresql.util.PSQLException: ERROR: column \"ingested_at\" of relation \"warehouse_events\" does not exist
  Position: 73

\tat io.confluent.connect.jdbc.sink.JdbcSinkTask.put(JdbcSinkTask.java:122)
\tat org.apache.kafka.connect.runtime.WorkerSinkTask.deliverMessages(WorkerSinkTask.java:601)
\t... 11 more
Caused by: java.sql.SQLException: Exception chain:
java.sql.BatchUpdateException: Batch entry 0 INSERT INTO \"warehouse_events\" was aborted: ERROR: column \"ingested_at\" of relation \"warehouse_events\" does not exist
\tat io.confluent.connect.jdbc.sink.JdbcSinkTask.getAllMessagesException(JdbcSinkTask.java:150)
\tat io.confluent.connect.jdbc.sink.JdbcSinkTask.put(JdbcSinkTask.java:102)
\t... 12 more
";

/// What the worker answers, by path (query included), made once from the registry.
type Routes = HashMap<String, Value>;

/// The demo's connectors as the REST API shows them; empty when the registry
/// declares none.
pub fn routes(reg: &Registry) -> Routes {
    let mut routes = Routes::new();
    let mut expanded = Map::new();
    let mut names = Vec::new();
    let mut failed_one = false;
    for si in reg.service_ids() {
        let svc = &reg.services[si];
        let Some(facts) = &svc.connector else { continue };
        let name = svc.key.clone();
        // The topics it really uses: those the registry links it to.
        let used: Vec<String> = reg
            .topics
            .iter()
            .filter(|t| t.status != Status::Proposed)
            .filter(|t| match facts.kind {
                ConnectorType::Source => t.producers.iter().any(|e| e.service == si),
                ConnectorType::Sink => t.consumers.iter().any(|e| e.service == si),
            })
            .map(|t| t.name.clone())
            .collect();
        let (kind, class, tasks) = match facts.kind {
            ConnectorType::Source => ("source", "io.debezium.connector.postgresql.PostgresConnector", 1),
            ConnectorType::Sink => ("sink", "io.confluent.connect.jdbc.JdbcSinkConnector", 2),
        };
        let class = facts.class.clone().unwrap_or_else(|| class.to_string());
        let fail = facts.kind == ConnectorType::Sink && !failed_one;
        failed_one |= fail;
        let mut config = json!({"name": name, "connector.class": class, "tasks.max": tasks.to_string()});
        match facts.kind {
            ConnectorType::Source => {
                config["database.hostname"] = json!("postgres.demo");
                config["database.password"] = json!("${file:/opt/secrets/db.properties:password}");
                config["topic.prefix"] = json!("db");
            }
            ConnectorType::Sink => {
                config["topics"] = json!(used.join(","));
                config["connection.url"] = json!("jdbc:postgresql://warehouse.demo:5432/dw");
                if let Some(g) = facts.group.as_ref().filter(|g| **g != format!("connect-{name}")) {
                    config["consumer.override.group.id"] = json!(g);
                }
            }
        }
        let worker = |i: usize| format!("connect-{}.demo:8083", i % 2 + 1);
        let task_states: Vec<Value> = (0..tasks)
            .map(|i| {
                if fail && i == 1 {
                    json!({"id": i, "state": "FAILED", "worker_id": worker(i), "trace": FAILED_TRACE})
                } else {
                    json!({"id": i, "state": "RUNNING", "worker_id": worker(i)})
                }
            })
            .collect();
        let status = json!({"name": name, "type": kind,
            "connector": {"state": "RUNNING", "worker_id": worker(0)}, "tasks": task_states});
        let info = json!({"name": name, "type": kind, "config": config,
            "tasks": (0..tasks).map(|i| json!({"connector": name, "task": i})).collect::<Vec<_>>()});
        let base = format!("/connectors/{}", segment(&name));
        routes.insert(format!("{base}/status"), status.clone());
        routes.insert(base.clone(), info.clone());
        routes.insert(format!("{base}/topics"), json!({ name.clone(): {"topics": used} }));
        expanded.insert(name.clone(), json!({"info": info, "status": status}));
        names.push(name);
    }
    if names.is_empty() {
        return routes;
    }
    routes.insert("/connectors?expand=status&expand=info".into(), Value::Object(expanded));
    routes.insert("/connectors".into(), json!(names));
    routes.insert(
        "/".into(),
        json!({"version": "3.9.0", "commit": "demo", "kafka_cluster_id": "ktopo-demo"}),
    );
    routes
}

/// Serve `routes` on 127.0.0.1 until the `Server` is dropped.
pub fn serve(routes: Routes) -> std::io::Result<Server> {
    demo_http::serve(Spec {
        thread: "ktopo-demo-connect",
        content_type: "application/json",
        handler: move |path: &str| match routes.get(path) {
            Some(v) => (200, v.clone()),
            None => (404, json!({"error_code": 404, "message": "HTTP 404 Not Found"})),
        },
    })
}

/// The demo's Connect worker for this registry: None where it declares no connector
/// or no port could be had.
pub fn start(reg: &Registry) -> Option<Server> {
    let routes = routes(reg);
    if routes.is_empty() {
        return None;
    }
    serve(routes).ok()
}
