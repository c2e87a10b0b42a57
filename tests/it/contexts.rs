//! Contexts through the real binary: which file is read (KTOPO_CONFIG, XDG, HOME), the
//! precedence of flags, environment variables, the context and defaults each way, bad
//! files told with file:line:col, and the permissions warning.

use crate::common;
use assert_cmd::Command;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// A home of its own: no contexts file of the machine's, no context variables.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    /// `~/.config/ktopo/config.yaml`, mode 600.
    fn write_config(&self, text: &str) -> std::path::PathBuf {
        let p = self.path().join(".config/ktopo/config.yaml");
        write_private(&p, text);
        p
    }
    fn ktopo(&self) -> Command {
        let mut c = Command::cargo_bin("ktopo").unwrap();
        c.current_dir(common::root())
            .env("HOME", self.path())
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("KTOPO_CONFIG")
            .env_remove("KTOPO_CONTEXT")
            .env_remove("KTOPO_REGISTRY")
            .env_remove("KTOPO_BROKERS");
        c
    }
}

fn write_private(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const ENTERPRISE: &str = "assets/registries/enterprise-agent-platform.yaml";

/// `ktopo check`'s summary names the registry it loaded by its service count.
fn services_checked(c: &mut Command) -> String {
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{out}{err}");
    out.lines()
        .last()
        .unwrap_or("")
        .split(',')
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn the_file_is_found_through_ktopo_config_then_xdg_then_home() {
    let home = Home::new();
    let at_home = home.write_config("contexts:\n  home: {}\n");
    let xdg = tempfile::tempdir().unwrap();
    write_private(&xdg.path().join("ktopo/config.yaml"), "contexts:\n  xdg: {}\n");
    let named = home.path().join("elsewhere.yaml");
    write_private(&named, "contexts:\n  named: {}\n");
    let listed = |c: &mut Command| -> (String, String) {
        let (code, out, err) = run(c.args(["contexts", "--json"]));
        assert_eq!(code, 0, "{out}{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        (
            v["file"].as_str().unwrap().to_string(),
            v["contexts"][0]["name"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(
        listed(&mut home.ktopo()),
        (at_home.display().to_string(), "home".into())
    );
    assert_eq!(
        listed(home.ktopo().env("XDG_CONFIG_HOME", xdg.path())).1,
        "xdg",
        "XDG_CONFIG_HOME wins over HOME"
    );
    assert_eq!(
        listed(home.ktopo().env("XDG_CONFIG_HOME", "relative/dir")).1,
        "home",
        "a relative XDG_CONFIG_HOME is ignored, as the spec says"
    );
    assert_eq!(
        listed(
            home.ktopo()
                .env("XDG_CONFIG_HOME", xdg.path())
                .env("KTOPO_CONFIG", &named)
        )
        .1,
        "named"
    );
    // A file named by KTOPO_CONFIG must exist; the default one may not.
    let (code, _, err) = run(home
        .ktopo()
        .env("KTOPO_CONFIG", home.path().join("nope.yaml"))
        .arg("check"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("nope.yaml: cannot read the contexts file: no such file"),
        "{err}"
    );
    let empty = Home::new();
    let (code, out, _) = run(empty.ktopo().arg("contexts"));
    assert_eq!(code, 0);
    assert!(
        out.starts_with("no contexts: ") && out.contains(".config/ktopo/config.yaml does not exist"),
        "{out}"
    );
    assert_eq!(
        services_checked(empty.ktopo().arg("check")),
        "17 services",
        "no file: the defaults"
    );
}

#[test]
fn the_registry_comes_from_the_context_unless_r_or_its_variable_names_one() {
    let home = Home::new();
    let enterprise = common::root().join(ENTERPRISE);
    home.write_config(&format!(
        "current-context: ent\ncontexts:\n  ent:\n    registry: {}\n  main:\n    registry: {}\n",
        enterprise.display(),
        common::root().join("registry.yaml").display()
    ));
    let check = |args: &[&str]| services_checked(home.ktopo().arg("check").args(args));
    assert_eq!(check(&[]), "12 services", "current-context");
    assert_eq!(check(&["--context", "main"]), "17 services");
    assert_eq!(
        services_checked(home.ktopo().args(["--context", "main", "check"])),
        "17 services",
        "--context before the command"
    );
    assert_eq!(
        services_checked(home.ktopo().arg("check").env("KTOPO_CONTEXT", "main")),
        "17 services"
    );
    assert_eq!(
        services_checked(
            home.ktopo()
                .args(["check", "--context", "ent"])
                .env("KTOPO_CONTEXT", "main")
        ),
        "12 services",
        "--context wins over KTOPO_CONTEXT"
    );
    assert_eq!(check(&["-r", "registry.yaml"]), "17 services", "-r wins");
    assert_eq!(
        services_checked(home.ktopo().args(["-r", "registry.yaml", "check"])),
        "17 services",
        "-r before the command wins too"
    );
    assert_eq!(
        services_checked(home.ktopo().arg("check").env("KTOPO_REGISTRY", "registry.yaml")),
        "17 services",
        "KTOPO_REGISTRY wins"
    );
}

#[test]
fn brokers_and_properties_from_the_context_yield_to_b_x_and_kt_brokers() {
    let (pa, a) = common::mock_cluster(1, &[("alpha", 1)]);
    let (_pb, b) = common::mock_cluster(1, &[("beta", 1)]);
    common::produce(&pa, "alpha", 0, 3);
    let home = Home::new();
    home.write_config(&format!(
        "current-context: a\ncontexts:\n  a:\n    cluster: cluster A\n    brokers: {a}\n    properties:\n      client.id: from-context\n"
    ));
    let peek = |c: &mut Command| {
        run(c
            .args(["peek", "alpha", "-n", "1", "--json", "-r"])
            .arg(common::fixture("base.yaml")))
    };
    let (code, out, err) = peek(&mut home.ktopo());
    assert_eq!(code, 0, "the context's brokers: {out}{err}");
    assert!(out.contains("\"m2\""), "{out}");
    for other in [
        peek(home.ktopo().args(["-b", &b])),
        peek(home.ktopo().env("KTOPO_BROKERS", &b)),
        peek(home.ktopo().arg("-X").arg(format!("bootstrap.servers={b}"))),
    ] {
        assert!(!other.1.contains("\"m2\""), "another cluster: {other:?}");
    }
    // `init` drafts from the context's cluster, named by its label.
    let (code, out, err) = run(home.ktopo().args(["init", "--tail", "1"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("# A registry drafted by `ktopo init` from cluster A.\n"),
        "{out}"
    );
    assert!(out.contains("  - name: \"alpha\"\n"), "{out}");
    // The context's label names the cluster where its brokers are used, not elsewhere.
    home.write_config("contexts:\n  down:\n    cluster: the down cluster\n    brokers: 127.0.0.1:1\n");
    let (code, _, err) = run(home
        .ktopo()
        .args(["--context", "down", "lag", "-r"])
        .arg(common::fixture("base.yaml")));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("cannot reach the cluster at the down cluster"), "{err}");
    let (_, _, err) = run(home
        .ktopo()
        .args(["--context", "down", "lag", "-b", "127.0.0.1:2", "-r"])
        .arg(common::fixture("base.yaml")));
    assert!(err.contains("cannot reach the cluster at 127.0.0.1:2"), "{err}");
}

#[test]
fn drift_environment_from_the_context_unless_env_is_given() {
    let (p, a) = common::mock_cluster(1, &[("orders_events", 1)]);
    common::produce(&p, "orders_events", 0, 1);
    let home = Home::new();
    home.write_config(&format!(
        "current-context: s\ncontexts:\n  s:\n    brokers: {a}\n    env: staging\n"
    ));
    let env_of = |args: &[&str]| {
        let (_, out, err) = run(home
            .ktopo()
            .args(["drift", "--json", "--samples", "1", "-r"])
            .arg(common::fixture("base.yaml"))
            .args(args));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}{err}"));
        v["environment"].as_str().unwrap_or("").to_string()
    };
    assert_eq!(env_of(&[]), "staging");
    assert_eq!(env_of(&["--env", "development"]), "development");
}

/// A Connect worker serving one running source connector named `name`.
fn worker(name: &str) -> crate::kafka_connect::server::Server {
    let listing = serde_json::json!({ name: {
        "info": {"name": name, "type": "source", "tasks": [], "config": {"connector.class": "x.Source"}},
        "status": {"name": name, "type": "source", "connector": {"state": "RUNNING", "worker_id": "w:8083"},
                   "tasks": [{"id": 0, "state": "RUNNING", "worker_id": "w:8083"}]}}});
    let mut routes = std::collections::HashMap::new();
    routes.insert(
        "/connectors?expand=status&expand=info".to_string(),
        crate::kafka_connect::ok(&listing),
    );
    routes.insert(
        format!("/connectors/{name}/topics"),
        crate::kafka_connect::ok(&serde_json::json!({ name: {"topics": ["alpha"]} })),
    );
    crate::kafka_connect::server::serve(routes, Default::default())
}

#[test]
fn init_reads_the_contexts_connect_clusters_unless_connect_or_its_variable_names_one() {
    let (_p, a) = common::mock_cluster(1, &[("alpha", 1)]);
    let (ours, flagged) = (worker("from-context"), worker("from-flag"));
    let home = Home::new();
    home.write_config(&format!(
        "current-context: a\ncontexts:\n  a:\n    brokers: {a}\n    connect: [main={}]\n",
        ours.url
    ));
    let drafted = |c: &mut Command| {
        let (code, out, err) = run(c.args(["init", "--tail", "0"]));
        assert_eq!(code, 0, "{out}{err}");
        let names =
            ["from-context", "from-flag"].map(|n| out.contains(&format!("  - name: \"{n}\"\n    type: source\n")));
        names
    };
    assert_eq!(
        drafted(&mut home.ktopo()),
        [true, false],
        "the context's Connect cluster"
    );
    assert_eq!(
        drafted(home.ktopo().args(["--connect", &flagged.url])),
        [false, true],
        "--connect wins"
    );
    assert_eq!(
        drafted(home.ktopo().env("KTOPO_CONNECT", &flagged.url)),
        [false, true],
        "KTOPO_CONNECT wins"
    );
}

#[test]
fn bad_files_say_where_and_how_to_fix_and_never_quote_a_secret() {
    let home = Home::new();
    let cases: &[(&str, &[&str])] = &[
        ("contexts:\n  dev:\n    brokers: [a\n", &["config.yaml:3:", "[yaml]"]),
        (
            "contexts:\n  dev:\n    brokrs: a:9092\n",
            &["config.yaml:3:5: unknown key `brokrs`", "did you mean `brokers`?"],
        ),
        (
            "curent-context: dev\n",
            &[
                "config.yaml:1:1: unknown key `curent-context`",
                "did you mean `current-context`?",
            ],
        ),
        (
            "contexts:\n  prod:\n    properties:\n      sasl.password: hunter2\n",
            &[
                "config.yaml:4:22: `sasl.password` is a secret written in the file",
                "${SASL_PASSWORD}",
                "sasl.password_file",
            ],
        ),
        (
            "contexts:\n  prod:\n    properties:\n      schema.registry.basic.auth.user.info: u:hunter2\n",
            &["config.yaml:4:45: `schema.registry.basic.auth.user.info` is a secret"],
        ),
        (
            "contexts:\n  prod:\n    schema-registry: https://u:hunter2@sr:8081\n",
            &["config.yaml:3:22: the Schema Registry URL holds credentials"],
        ),
        (
            "current-context: prod\ncontexts:\n  prod:\n    properties:\n      ssl.key.password_file: missing.pw\n",
            &["config.yaml:5:30: `ssl.key.password`: cannot read", "missing.pw"],
        ),
        (
            "current-context: prod\ncontexts:\n  prod:\n    properties-file: missing.properties\n",
            &["config.yaml:4:22:", "missing.properties"],
        ),
        (
            "current-context: prod\ncontexts:\n  prod:\n    properties:\n      sasl.password: ${KTOPO_TEST_UNSET_PW}\n",
            &["config.yaml:5:22: `sasl.password` reads `${KTOPO_TEST_UNSET_PW}`, which is not set"],
        ),
        (
            "current-context: prd\ncontexts:\n  prod: {}\n",
            &["config.yaml:1:18: there is no context `prd`", "did you mean `prod`?"],
        ),
    ];
    for (text, wanted) in cases {
        home.write_config(text);
        let (code, out, err) = run(home.ktopo().arg("check").env_remove("KTOPO_TEST_UNSET_PW"));
        assert_eq!(code, 2, "{text}\n{out}{err}");
        for w in *wanted {
            assert!(err.contains(w), "{text}: wanted {w:?} in\n{err}");
        }
        assert!(!err.contains("hunter2"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // An unknown --context lists the known ones.
    home.write_config("contexts:\n  prod: {}\n  staging: {}\n");
    let (code, _, err) = run(home.ktopo().args(["--context", "stagng", "check"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("there is no context `stagng`") && err.contains("did you mean `staging`? (known: prod, staging)"),
        "{err}"
    );
}

#[test]
fn contexts_lists_references_never_secrets_and_warns_once_about_a_readable_file() {
    let home = Home::new();
    let secret_file = home.path().join("sr.info");
    write_private(&secret_file, "user:hunter2\n");
    let path = home.write_config(&format!(
        "current-context: prod\ncontexts:\n  dev:\n    brokers: 127.0.0.1:9092\n  prod:\n    cluster: production\n    brokers: k1:9093\n    connect: [cdc=http://c:8083]\n    properties:\n      sasl.username: ktopo\n      sasl.password: ${{KAFKA_PW}}\n      schema.registry.basic.auth.user.info_file: {}\n",
        secret_file.display()
    ));
    let (code, out, err) = run(home.ktopo().arg("contexts").env("KAFKA_PW", "hunter2"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "", "mode 600: no warning");
    assert!(out.starts_with("2 contexts in "), "{out}");
    assert!(out.contains("  dev\n") && out.contains("* prod (current)\n"), "{out}");
    assert!(
        out.contains("    sasl.password                         ${KAFKA_PW}\n"),
        "{out}"
    );
    assert!(out.contains(&format!("file {}", secret_file.display())), "{out}");
    assert!(
        out.contains("    connect                               cdc=http://c:8083\n"),
        "{out}"
    );
    assert!(!out.contains("hunter2"), "{out}");
    let (_, json, _) = run(home.ktopo().args(["contexts", "--json"]).env("KAFKA_PW", "hunter2"));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["current"], "prod");
    assert_eq!(v["contexts"][1]["properties"]["sasl.password"], "${KAFKA_PW}");
    assert_eq!(v["contexts"][1]["connect"][0], "cdc=http://c:8083");
    assert!(!json.contains("hunter2"), "{json}");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (_, _, err) = run(home.ktopo().args(["--context", "dev", "check"]));
    assert_eq!(err.matches("warning: ").count(), 1, "{err}");
    assert!(
        err.contains("is readable by group and others (mode 644)") && err.contains("chmod 600"),
        "{err}"
    );
}
