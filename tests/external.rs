//! Opt-in suite: tests that need tools a fresh machine lacks. `.ci/run` installs the
//! tools and runs these with `--ignored`; run without the tools they fail, never skip.

mod common;
use std::process::Command;

fn tool(name: &str) -> std::path::PathBuf {
    let out = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "`{name}` is not installed: this opt-in test needs it (apt-get install graphviz, or run .ci/run)"
    );
    String::from_utf8(out.stdout).unwrap().trim().into()
}

#[test]
#[ignore = "opt-in: needs Graphviz `dot` (installed by .ci/run)"]
fn graphviz_renders_the_dot_export_unchanged() {
    let dot = tool("dot");
    for registry in ["registry.yaml", "assets/registries/enterprise-agent-platform.yaml"] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("topology.dot");
        let status = Command::new(env!("CARGO_BIN_EXE_ktopo"))
            .current_dir(common::root())
            .args(["export", "--format", "dot", "-r", registry, "-o"])
            .arg(&file)
            .status()
            .unwrap();
        assert!(status.success());
        let out = Command::new(&dot).arg("-Tsvg").arg(&file).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && err.trim().is_empty(),
            "dot rejected the export of {registry}: {err}"
        );
        let svg = String::from_utf8(out.stdout).unwrap();
        assert!(svg.contains("<svg"));
        assert!(svg.contains("class=\"cluster\""), "domains are drawn as clusters");
    }
}
