//! `ktopo lag` end to end through the real binary: the embedded demo cluster, the
//! JSON shape, filters, --fail-on (waiting for verdicts, never passing without one),
//! --watch (NDJSON, timestamps, gates), and a clear exit 4 (without secrets) when the
//! cluster cannot be reached.

use crate::common;
use assert_cmd::Command;

fn ktopo() -> Command {
    let mut c = Command::cargo_bin("ktopo").unwrap();
    c.current_dir(common::root())
        .env_remove("KTOPO_BROKERS")
        .env_remove("KTOPO_REGISTRY");
    c
}

#[test]
fn lag_json_from_the_demo_cluster() {
    let out = ktopo()
        .args([
            "lag",
            "--json",
            "--samples",
            "2",
            "--interval",
            "0.5",
            "--topic",
            "config_events",
        ])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["source"], "demo cluster");
    let groups: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    let mut sorted = groups.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "agent_copilot_config_events_consumer",
            "agent_orchestration_config_events_consumer",
            "voice_agent_config_events_consumer"
        ]
    );
    // config_events has 10 partitions per the registry defaults: 3 groups x 10 rows.
    let parts = v["partitions"].as_array().unwrap();
    assert_eq!(parts.len(), 30);
    for p in parts {
        for key in ["group", "topic", "partition", "committed", "log_end", "lag", "status"] {
            assert!(p.get(key).is_some(), "{key} missing in {p}");
        }
        assert_eq!(p["topic"], "config_events");
    }
}

#[test]
fn lag_text_table_and_fail_on() {
    let out = ktopo()
        .args(["lag", "--interval", "1", "--group", "*copilot_*", "--fail-on", "WARN"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    // The demo's agent_copilot_conversation_events_consumer consumes at 60%: WARN.
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("agent_copilot_conversation_events_consumer on conversation_events is WARN for")
            && err.contains("falling behind: consumed"),
        "the trip names the group, its status, since when and why: {err}"
    );
    assert!(!err.contains("crm_events"), "healthy groups do not trip: {err}");
    let text = String::from_utf8(out.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("20") && first.contains("Z · demo cluster"),
        "a timestamp first: {first}"
    );
    let text = text.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert!(text.starts_with("GROUP"), "{text}");
    assert!(text.contains("CURRENT-OFFSET") && text.contains("LOG-END-OFFSET"));
    for col in ["CONSUMER-ID", "HOST", "CLIENT-ID", "TIME-LAG", "DRAIN", "RETAINED"] {
        assert!(text.lines().next().unwrap().contains(col), "{col} column:\n{text}");
    }
    assert!(text.contains("agent_copilot_crm_events_consumer"));
    assert!(text.contains("WARN for "), "the status says since when:\n{text}");
    assert!(!text.contains("voice_agent_"), "filtered out:\n{text}");
    // The demo (librdkafka's mock) cannot describe groups, and says so.
    assert!(text.contains("does not list or describe groups"), "{text}");
}

#[test]
fn healthy_group_does_not_trip_a_status_gate() {
    let out = ktopo()
        .args([
            "lag",
            "--samples",
            "4",
            "--group",
            "agent_copilot_crm_events_consumer",
            "--fail-on",
            "STALL",
        ])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn filters_that_are_invalid_or_match_nothing_never_pass_a_gate() {
    let out = ktopo()
        .args(["lag", "--group", "re:(", "--fail-on", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--group `re:(` is not a valid pattern"), "{err}");

    let out = ktopo()
        .args(["lag", "--samples", "1", "--topic", "no_such_topic", "--fail-on", "STOP"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a filter matching nothing does not pass");
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was checked"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no consumer group matches --topic no_such_topic"));
}

#[test]
fn unreachable_cluster_exits_4_without_leaking_secrets() {
    let out = ktopo()
        .args([
            "lag",
            "-b",
            "127.0.0.1:1",
            "-X",
            "socket.timeout.ms=1500",
            "-X",
            "security.protocol=SASL_PLAINTEXT",
            "-X",
            "sasl.mechanism=PLAIN",
            "-X",
            "sasl.username=ops",
            "-X",
            "sasl.password=hunter2-secret",
        ])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "exit 4: the cluster cannot be reached");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot reach the cluster at 127.0.0.1:1"), "{err}");
    // Which failure, not only "BrokerTransportFailure".
    assert!(err.contains("Connection refused"), "{err}");
    assert!(!err.contains("hunter2"), "secret leaked: {err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("hunter2"));
}

#[test]
fn bad_properties_are_reported_without_their_values() {
    let out = ktopo().args(["lag", "-X", "sasl.password"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("-X: `sasl.password` needs a value: write key=value"),
        "{err}"
    );
    let masked = ktopo::cluster::kafka::config::masked("sasl.password", "hunter2");
    assert_eq!(masked, "sasl.password=******");
    assert_eq!(
        ktopo::cluster::kafka::config::masked("ssl.key.password", "x"),
        "ssl.key.password=******"
    );
    assert_eq!(
        ktopo::cluster::kafka::config::masked("bootstrap.servers", "a:1"),
        "bootstrap.servers=a:1"
    );
}

#[test]
fn offline_lag_is_refused() {
    let out = ktopo().args(["lag", "--offline"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a cluster"));
}

#[test]
fn config_file_is_read_and_its_secrets_stay_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let props = dir.path().join("client.properties");
    std::fs::write(
        &props,
        "# kcat-style properties\nbootstrap.servers=127.0.0.1:1\nsocket.timeout.ms=1500\n\
         security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.username=ops\nsasl.password=s3cr3t-value\n",
    )
    .unwrap();
    let out = ktopo()
        .args(["lag", "--samples", "1", "-F"])
        .arg(&props)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("127.0.0.1:1"),
        "the file's bootstrap servers are used: {err}"
    );
    assert!(!err.contains("s3cr3t"), "{err}");

    // Java's `key:value` spelling is read as such, and its value stays hidden too.
    std::fs::write(
        &props,
        "bootstrap.servers=127.0.0.1:1\nsasl.password:s3cr3t-value\nsasl.pasword s3cr3t-value\n",
    )
    .unwrap();
    let out = ktopo()
        .args(["lag", "--samples", "1", "-F"])
        .arg(&props)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a bad line in -F is a usage error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("s3cr3t"), "{err}");
}

#[test]
fn properties_display_masks_secrets() {
    let mut p = ktopo::cluster::kafka::config::Properties::default();
    p.parse_one("sasl.password=pw1", "-X").unwrap();
    p.parse_one("ssl.key.password=pw2", "-X").unwrap();
    p.parse_one("sasl.oauthbearer.client.secret=pw3", "-X").unwrap();
    p.parse_one("client.id=ktopo-test", "-X").unwrap();
    let shown = p.display().join(" ");
    assert_eq!(
        shown,
        "sasl.password=****** ssl.key.password=****** sasl.oauthbearer.client.secret=****** client.id=ktopo-test"
    );
    assert_eq!(
        ktopo::cluster::kafka::config::scrub("auth failed for pw1", &p),
        "auth failed for ******"
    );
}

#[test]
fn watch_refreshes_until_interrupted() {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ktopo"))
        .current_dir(common::root())
        .args([
            "lag",
            "--watch",
            "--samples",
            "1",
            "--interval",
            "0.3",
            "--topic",
            "rag_events",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut seen = String::new();
        let mut buf = [0u8; 4096];
        while seen.matches("GROUP ").count() < 3 {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            }
        }
        seen
    });
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !reader.is_finished() && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.kill().unwrap();
    let _ = child.wait();
    let seen = reader.join().unwrap();
    assert_eq!(seen.matches("GROUP ").count(), 3, "three refreshed tables:\n{seen}");
    // A pipe gets plain successive reports: screen-clearing escapes are for terminals.
    assert!(!seen.contains('\x1b'), "no escape codes into a pipe:\n{seen:?}");
}

/// Run `ktopo lag ARGS` on the demo cluster.
fn lag(args: &[&str]) -> std::process::Output {
    ktopo()
        .arg("lag")
        .args(args)
        .timeout(std::time::Duration::from_secs(150))
        .output()
        .unwrap()
}

#[test]
fn a_gate_with_default_samples_waits_for_verdicts_and_catches_a_group_that_never_committed() {
    // monitoring_engine_voice_events_consumer never commits in the demo: MISSING (the
    // mock cluster reports no members), a problem status WARN catches.
    let out = lag(&[
        "--interval",
        "1",
        "--group",
        "monitoring_engine_voice_events_consumer",
        "--fail-on",
        "WARN",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let g = &v["groups"][0];
    assert_eq!(g["status"], "MISSING", "{g}");
    assert!(g["reason"].as_str().unwrap().contains("no commit"), "{g}");
    // JSON rows carry the service and whom to call (null where the registry names none).
    assert_eq!(g["service"], "monitoring_engine");
    assert!(g.get("owner").is_some() && g.get("oncall").is_some(), "{g}");
    let since = g["status_since"].as_str().unwrap();
    assert!(since.ends_with('Z') && since.len() == 24, "RFC 3339 UTC: {since}");
    assert!(v["time"].as_str().unwrap().ends_with('Z'));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is MISSING for"), "{err}");
}

#[test]
fn a_gate_never_passes_on_groups_without_a_verdict() {
    // One sample gives no verdict; with no time to wait, the gate says so and fails.
    let out = lag(&[
        "--samples",
        "1",
        "--max-wait",
        "0",
        "--group",
        "agent_copilot_crm_events_consumer",
        "--fail-on",
        "OK",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not yet evaluated"), "{err}");
    // UNKNOWN is no threshold, and says why; a negative lag is no threshold either.
    for bad in ["UNKNOWN", "-1"] {
        let out = lag(&["--fail-on", bad]);
        assert_eq!(out.status.code(), Some(2), "usage error for {bad}");
    }
    let out = lag(&["--fail-on", "UNKNOWN"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-wait"));
}

#[test]
fn a_gate_passes_a_healthy_group_once_it_has_a_verdict() {
    let out = lag(&[
        "--samples",
        "1",
        "--interval",
        "1",
        "--group",
        "agent_copilot_crm_events_consumer",
        "--fail-on",
        "WARN",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["groups"][0]["status"], "OK", "{v}");
}

#[test]
fn watch_with_a_gate_exits_at_the_first_trip_and_writes_ndjson() {
    let out = lag(&[
        "--watch",
        "--json",
        "--interval",
        "1",
        "--group",
        "agent_copilot_conversation_events_consumer",
        "--fail-on",
        "WARN",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty());
    let mut last = String::new();
    for l in &lines {
        // One whole JSON object per line, each with its time.
        let v: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
        assert!(v["time"].as_str().is_some_and(|t| t.ends_with('Z')), "{l}");
        last = v["groups"][0]["status"].as_str().unwrap().to_string();
    }
    assert_eq!(last, "WARN", "the last frame is the one that tripped");
}

#[test]
fn a_broker_port_out_of_range_is_a_usage_error_not_another_port() {
    for bad in ["127.0.0.1:191215", "127.0.0.1:0", "127.0.0.1:x9", "a:1,127.0.0.1:70000"] {
        let out = lag(&["-b", bad, "--samples", "1"]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("is not a port (1 to 65535)"), "{bad}: {err}");
    }
    for ok in ["[::1]:9092", "PLAINTEXT://127.0.0.1:9092", "localhost"] {
        assert!(ktopo::cluster::connect::check_brokers(ok).is_ok(), "{ok}");
    }
}
