//! The real binary: exit codes, output, and hostile input that must end in a clear
//! error (never a panic or hang).

use crate::common;
use assert_cmd::Command;
use std::io::Write;

fn ktopo() -> Command {
    let mut c = Command::cargo_bin("ktopo").unwrap();
    c.current_dir(common::root()).env_remove("KTOPO_REGISTRY");
    c
}

fn temp_registry(contents: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    f.write_all(contents).unwrap();
    f
}

fn check_output(contents: &[u8]) -> (i32, String) {
    let f = temp_registry(contents);
    let out = ktopo().args(["check", "-r"]).arg(f.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(!text.contains("panicked"), "{text}");
    (out.status.code().unwrap(), text)
}

#[test]
fn check_exit_codes() {
    ktopo().arg("check").assert().code(0);
    ktopo()
        .args(["check", "-r", "tests/fixtures/unknown_refs.yaml"])
        .assert()
        .code(1);
    ktopo()
        .args(["check", "-r", "tests/fixtures/syntax.yaml"])
        .assert()
        .code(3);
    let out = ktopo()
        .args(["check", "-r", "tests/fixtures/missing.yaml"])
        .assert()
        .code(3);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("no such file"), "{err}");
}

#[test]
fn check_text_is_rustc_style() {
    let out = ktopo()
        .args(["check", "-r", "tests/fixtures/unknown_refs.yaml"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("error[unknown-service]: a consumer of `auth_events` refers to unknown service `reserch`"));
    assert!(text.contains("tests/fixtures/unknown_refs.yaml:7:23"), "{text}");
    assert!(text.contains("= help: did you mean `research`?"));
    assert!(text.contains("3 errors, 0 warnings, 0 notes"));
}

#[test]
fn check_json_has_the_same_findings() {
    let out = ktopo()
        .args(["check", "--json", "-r", "tests/fixtures/unknown_refs.yaml"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], 3);
    let f = &v["findings"][1];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["code"], "unknown-service");
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(7), Some(23)));
    assert_eq!(f["text"], "reserch");
    assert_eq!(f["hint"], "did you mean `research`?");
}

#[test]
fn empty_file_is_a_clear_error() {
    let (code, text) = check_output(b"");
    assert_eq!(code, 3);
    assert!(text.contains("error[empty]: the registry file is empty"), "{text}");
}

#[test]
fn binary_junk_is_not_text() {
    let (code, text) = check_output(&[0x00, 0xff, 0xfe, 0x80, 0x12, 0x9c, 0xc3]);
    assert_eq!(code, 3);
    assert!(text.contains("not UTF-8 text"), "{text}");
}

#[test]
fn huge_file_is_refused_before_parsing() {
    let big = vec![b'#'; 50 * 1024 * 1024];
    let (code, text) = check_output(&big);
    assert_eq!(code, 3);
    assert!(text.contains("registry is 52.4 MB"), "{text}");
}

#[test]
fn deep_nesting_hits_the_depth_budget() {
    let deep = "[".repeat(100_000);
    let (code, text) = check_output(deep.as_bytes());
    assert_eq!(code, 3);
    assert!(text.contains("error[yaml-syntax]"), "{text}");
    let deep_block: String = (0..500).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    let (code, text) = check_output(deep_block.as_bytes());
    assert_eq!(code, 3, "{text}");
}

#[test]
fn alias_bomb_is_stopped() {
    let mut y = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, cur) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        y.push_str(&format!(
            "{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    let (code, text) = check_output(y.as_bytes());
    assert_eq!(code, 3, "{text}");
    assert!(text.contains("alias"), "{text}");
}

#[test]
fn wrong_top_level_type() {
    let (code, text) = check_output(b"- just\n- a list\n");
    assert_eq!(code, 1);
    assert!(text.contains("must be object, found array"), "{text}");
}

#[test]
fn impact_text_and_json() {
    let out = ktopo()
        .args(["impact", "topic:rag_events", "--depth", "1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Impact of topic:rag_events (downstream): 2 services, 0 topics"),
        "{text}"
    );
    let out = ktopo().args(["impact", "service:17", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["target"], "service:rag_pipeline");
    assert_eq!(v["topics"][0]["name"], "rag_events");
}

#[test]
fn impact_unknown_target_lists_closest() {
    let out = ktopo().args(["impact", "topic:rag_event"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("closest matches:\n  topic:rag_events"), "{err}");
}

#[test]
fn commands_refuse_a_registry_with_errors() {
    let out = ktopo()
        .args(["export", "--format", "json", "-r", "tests/fixtures/unknown_refs.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    // No export, only the error (as JSON, since JSON was asked for).
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["error"].as_str().unwrap().contains("3 errors"), "{v}");
    assert!(v.get("topics").is_none());
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 errors"));
}

#[test]
fn export_output_is_atomic() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("topology.json");
    std::fs::write(&target, "old contents").unwrap();
    ktopo()
        .args(["export", "--format", "json", "-o"])
        .arg(&target)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(v["topics"].as_array().unwrap().len(), 29);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["topology.json"], "no temporary file is left behind");

    let missing = dir.path().join("no/such/dir/out.dot");
    let out = ktopo()
        .args(["export", "--format", "dot", "-o"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
    assert!(!missing.exists());
}

#[test]
fn schema_is_json_schema_of_the_format() {
    let out = ktopo().arg("schema").output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(v["additionalProperties"], false);
    for key in [
        "services",
        "topics",
        "deprecated_topics",
        "proposed_topics",
        "conventions",
    ] {
        assert!(v["properties"].get(key).is_some(), "{key}");
    }
    let shipped = std::fs::read_to_string(common::root().join("assets/registry.schema.json")).unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        shipped,
        "assets/registry.schema.json is stale: run `ktopo schema -o assets/registry.schema.json`"
    );
}

#[test]
fn ui_without_a_terminal_says_what_to_use() {
    let out = ktopo().arg("--offline").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the UI needs a terminal"), "{err}");
    assert!(out.stdout.is_empty(), "no escape sequences written to a pipe");
}

#[test]
fn ui_refuses_a_registry_with_errors_before_touching_the_terminal() {
    let out = ktopo()
        .args(["-r", "tests/fixtures/unknown_refs.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches("error[unknown-service]").count(),
        2,
        "each error once:\n{err}"
    );
    assert!(err.contains("3 errors; run `ktopo check` for details"));
}
