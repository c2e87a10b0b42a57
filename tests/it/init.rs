//! `ktopo init` through the real binary against the mock cluster: the draft checks
//! clean and drifts clean against the same cluster; `--merge` into registry.yaml keeps
//! its comments and order and still loads.

use crate::common;
use assert_cmd::Command;

fn ktopo() -> Command {
    let mut c = Command::cargo_bin("ktopo").unwrap();
    c.current_dir(common::root())
        .env("HOME", "/nonexistent")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("KTOPO_CONFIG")
        .env_remove("KTOPO_CONTEXT")
        .env_remove("KTOPO_REGISTRY")
        .env_remove("KTOPO_BROKERS");
    c
}

fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// JSON envelopes naming their producer, to one partition.
fn produce_json(p: &rdkafka::producer::BaseProducer, topic: &str, source: &str, n: usize) {
    use rdkafka::producer::Producer;
    for i in 0..n {
        let payload = format!(
            "{{\"event_type\":\"e{i}\",\"source_service\":{}}}",
            serde_json::to_string(source).unwrap()
        );
        p.send(
            rdkafka::producer::BaseRecord::<(), _>::to(topic)
                .partition(0)
                .payload(&payload),
        )
        .unwrap();
    }
    p.flush(std::time::Duration::from_secs(10)).unwrap();
}

#[test]
fn a_draft_of_the_mock_cluster_checks_clean_and_drifts_clean() {
    let (p, b) = common::mock_cluster(1, &[("orders_events", 3), ("payments_events", 2), ("quiet", 1)]);
    produce_json(&p, "orders_events", "orders-api", 4);
    produce_json(&p, "orders_events", "legacy\u{1b}]2;x\u{7}", 1);
    produce_json(&p, "payments_events", "billing", 2);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("draft.yaml");
    let (code, out, err) = run(ktopo().args(["init", "-b", &b, "-o"]).arg(&file));
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("init: 3 topics, 3 services drafted from "), "{err}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("  - name: \"orders_events\"\n    partitions: 3\n    replication: 1\n"),
        "{text}"
    );
    assert!(
        text.contains("      - \"orders-api\"  # guess: source_service = \"orders-api\" in 4 sampled messages\n"),
        "{text}"
    );
    // A hostile producer name becomes a plain key, and its comment shows no control character.
    assert!(text.contains("\"legacy__2_x_\""), "{text}");
    assert!(text.chars().all(|c| !c.is_control() || c == '\n'), "{text:?}");
    assert!(
        text.contains("# Not drafted: consumer groups not listed"),
        "the mock lists no groups: {text}"
    );
    let (code, out, err) = run(ktopo().arg("check").arg("-r").arg(&file));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(": 0 errors"), "{out}");
    let (code, out, err) = run(ktopo()
        .args(["drift", "--json", "--samples", "2", "-b", &b, "-r"])
        .arg(&file));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}{err}"));
    let errors: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn merge_adds_what_registry_yaml_lacks_keeping_its_comments_and_order() {
    let (p, b) = common::mock_cluster(1, &[("auth_events", 10), ("brand_new_events", 2)]);
    produce_json(&p, "brand_new_events", "newcomer", 2);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("merged.yaml");
    let (code, out, err) = run(ktopo()
        .args(["init", "-b", &b, "--merge", "registry.yaml", "-o"])
        .arg(&file));
    assert_eq!(code, 0, "{out}{err}");
    let before = std::fs::read_to_string(common::root().join("registry.yaml")).unwrap();
    let after = std::fs::read_to_string(&file).unwrap();
    // Every line of the registry is still there, in order.
    let mut rest = after.lines();
    for line in before.lines() {
        assert!(rest.any(|l| l == line), "lost or moved: {line:?}");
    }
    let added: Vec<&str> = after.lines().filter(|l| !before.lines().any(|b| b == *l)).collect();
    assert!(
        added.iter().any(|l| l.contains("name: \"brand_new_events\"")),
        "{added:#?}"
    );
    assert!(added.iter().any(|l| l.contains("key: \"newcomer\"")), "{added:#?}");
    assert!(
        !added.iter().any(|l| l.contains("\"auth_events\"")),
        "declared already: {added:#?}"
    );
    let (code, out, err) = run(ktopo().arg("check").arg("-r").arg(&file));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("18 services"), "{out}");
}
