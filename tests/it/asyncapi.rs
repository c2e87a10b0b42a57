//! AsyncAPI in and out: `ktopo import asyncapi` on the AsyncAPI spec repository's Kafka
//! examples (tests/data/asyncapi, sources in its README) and on documents written here,
//! the round trip registry → AsyncAPI → registry on both seed registries, the export
//! validated against the official AsyncAPI 3.0.0 JSON Schema, and hostile documents.

use crate::common;
use assert_cmd::Command;
use ktopo::core::asyncapi::{self, refs};
use ktopo::core::registry::{self, Registry, Status};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    common::root().join("tests/data/asyncapi").join(name)
}

/// Import documents; the registry must load with no errors.
fn import(paths: &[&Path]) -> (Registry, asyncapi::Imported) {
    let imported = asyncapi::import(paths).unwrap_or_else(|e| panic!("{}", e.one_line()));
    let checked = registry::load_str("imported.yaml", imported.yaml.clone());
    assert_eq!(checked.errors(), 0, "{:?}\n{}", checked.diagnostics, imported.yaml);
    (checked.registry.clone().expect("valid"), imported)
}

fn import_text(docs: &[(&str, &str)]) -> (Registry, asyncapi::Imported) {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = docs
        .iter()
        .map(|(name, text)| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect();
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    import(&refs)
}

fn keys(reg: &Registry, list: &[registry::model::Endpoint]) -> Vec<String> {
    list.iter().map(|e| reg.services[e.service].key.clone()).collect()
}

#[test]
fn streetlights_2_6_reads_publish_as_the_application_consuming() {
    let (reg26, imp26) = import(&[&data("streetlights-kafka-2.6.yml")]);
    let (reg30, imp30) = import(&[&data("streetlights-kafka-3.0.yml")]);
    for (reg, imp) in [(&reg26, &imp26), (&reg30, &imp30)] {
        assert_eq!(reg.services.len(), 1);
        let app = &reg.services[0];
        assert_eq!(app.key, "streetlights_kafka_api");
        assert_eq!(app.name, "Streetlights Kafka API");
        // Every address is parameterized ({streetlightId}): naming patterns in the
        // registry's own `{placeholder}` spelling, no concrete topic.
        let naming: Vec<_> = reg
            .conventions
            .topic_naming
            .iter()
            .map(|n| n.pattern.as_str())
            .collect();
        assert_eq!(
            naming,
            [
                "smartylighting.streetlights.1.0.event.{streetlightId}.lighting.measured",
                "smartylighting.streetlights.1.0.action.{streetlightId}.turn.on",
                "smartylighting.streetlights.1.0.action.{streetlightId}.turn.off",
                "smartylighting.streetlights.1.0.action.{streetlightId}.dim",
            ]
        );
        assert!(reg.topics.is_empty());
        // 2.6 `publish` (3.0 `receive`) on lighting.measured: the application consumes,
        // a subscription by glob; `subscribe` (`send`) on the actions: it produces.
        let subs: Vec<_> = app.subscriptions.iter().map(|s| s.pattern.as_str()).collect();
        assert_eq!(subs, ["smartylighting.streetlights.1.0.event.*.lighting.measured"]);
        let sends = imp
            .unsupported
            .iter()
            .filter(|u| u.contains("sends to the parameterized channel"))
            .count();
        assert_eq!(sends, 3, "{:#?}", imp.unsupported);
        assert!(imp.unsupported.iter().any(|u| u.contains("2 servers")));
        assert!(imp.unsupported.iter().any(|u| u.contains("(lightMeasured)")));
        // Listed at the top of the output too.
        assert!(imp.yaml.starts_with("# Imported by `ktopo import asyncapi` from:\n"));
        assert!(imp.yaml.contains("#   ") && imp.yaml.contains("2 servers"));
    }
    // The unsupported list names file:line:col.
    assert!(
        imp26.unsupported[0].contains("streetlights-kafka-2.6.yml:18:3: 2 servers"),
        "{}",
        imp26.unsupported[0]
    );
}

#[test]
fn adeo_request_reply_links_the_reply_channel_the_other_way() {
    let (reg, imp) = import(&[&data("adeo-kafka-request-reply-3.0.yml")]);
    let app = &reg.services[0];
    assert_eq!(app.key, "adeo_asyncapi_case_study");
    // It receives requests (its groupId is only described, so no group is named)...
    assert_eq!(app.subscriptions.len(), 1);
    assert_eq!(app.subscriptions[0].pattern, "adeo-*-case-study-COSTING-REQUEST-*");
    assert_eq!(app.subscriptions[0].group, None);
    // ...and sends the reply on the response channel.
    assert!(imp.unsupported.iter().any(|u| u.contains(
        "`adeo_asyncapi_case_study` sends to the parameterized channel `adeo-{env}-case-study-COSTING-RESPONSE-{version}`"
    )));
    assert!(imp
        .unsupported
        .iter()
        .any(|u| u.contains("a reply address chosen at run time")));
}

const ORDERS_30: &str = r##"
asyncapi: 3.0.0
info: { title: Orders Service, version: 1.0.0, description: Takes orders }
channels:
  orderCreated:
    address: orders.created
    description: Every accepted order
    bindings:
      kafka:
        partitions: 6
        replicas: 3
        topicConfiguration: { retention.ms: 604800000, cleanup.policy: [delete, compact] }
        bindingVersion: 0.5.0
    messages:
      created: { $ref: '#/components/messages/OrderCreated' }
  legacy:
    address: orders.legacy
    messages:
      old: { name: order_v1, payload: { type: object, deprecated: true } }
  payments:
    address: 'payments-{env}'
    messages:
      paid: { name: payment_done }
operations:
  announce:
    action: send
    channel: { $ref: '#/channels/orderCreated' }
  legacyOut:
    action: send
    channel: { $ref: '#/channels/legacy' }
  hearPayments:
    action: receive
    channel: { $ref: '#/channels/payments' }
    bindings: { kafka: { groupId: { type: string, enum: [orders-payments] } } }
components:
  messages:
    OrderCreated:
      name: order_created
      summary: An order was accepted
      payload: { type: object }
      examples:
        - name: small order
          payload: { event_type: order_created, total: 12.5 }
"##;

const BILLING_26_JSON: &str = r##"{
  "asyncapi": "2.6.0",
  "info": {"title": "Billing", "version": "2", "x-ktopo-service": "billing"},
  "channels": {
    "orders.created": {
      "publish": {
        "operationId": "bill",
        "bindings": {"kafka": {"groupId": {"type": "string", "const": "billing-orders"}}},
        "message": {"oneOf": [{"$ref": "#/components/messages/order_created"}, {"name": "order_cancelled"}]}
      }
    },
    "invoices": {
      "bindings": {"kafka": {"topic": "billing.invoices", "partitions": 3}},
      "subscribe": {"message": {"name": "invoice_sent"}}
    }
  },
  "components": {"messages": {"order_created": {"payload": {"type": "object"}}}}
}"##;

#[test]
fn documents_per_service_merge_into_one_platform() {
    let (reg, imp) = import_text(&[("orders.yaml", ORDERS_30), ("billing.json", BILLING_26_JSON)]);
    let services: Vec<_> = reg.services.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(services, ["orders_service", "billing"]);
    let t = reg.topic("orders.created").expect("one topic per address");
    assert_eq!(keys(&reg, &t.producers), ["orders_service"]);
    assert_eq!(keys(&reg, &t.consumers), ["billing"]);
    // 2.x `publish` with a `const` groupId: billing consumes in that group.
    assert_eq!(t.consumers[0].group.as_deref(), Some("billing-orders"));
    let events: Vec<_> = t.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(events, ["order_created", "order_cancelled"]);
    assert_eq!(t.events[0].description.as_deref(), Some("An order was accepted"));
    assert_eq!((t.config.partitions, t.config.retention_days), (Some(6), Some(7)));
    assert_eq!(t.config.replication.values().next(), Some(&3));
    assert!(
        t.notes.iter().any(|n| n == "cleanup.policy: delete,compact"),
        "{:?}",
        t.notes
    );
    assert_eq!(t.examples.len(), 1);
    assert_eq!(t.examples[0].name, "small order");
    let ex: Value = serde_json::from_str(&t.examples[0].json).unwrap();
    assert_eq!(ex["total"], 12.5);
    // The Kafka binding's `topic` names the topic, not the channel key.
    let inv = reg.topic("billing.invoices").expect("binding topic");
    assert_eq!(keys(&reg, &inv.producers), ["billing"]);
    assert_eq!(inv.config.partitions, Some(3));
    // A deprecated payload: kept, as a note (a registry's deprecated topic needs a
    // replacement and no producers) and listed.
    let legacy = reg.topic("orders.legacy").unwrap();
    assert!(legacy
        .notes
        .iter()
        .any(|n| n.contains("Deprecated in its AsyncAPI document")));
    assert!(imp
        .unsupported
        .iter()
        .any(|u| u.contains("topic `orders.legacy` is deprecated")));
    // The parameterized channel: a pattern subscription with the enum's one groupId.
    let orders = &reg.services[0];
    assert_eq!(orders.subscriptions[0].pattern, "payments-*");
    assert_eq!(orders.subscriptions[0].group.as_deref(), Some("orders-payments"));
    // No group is invented where a document names none.
    assert_eq!(reg.conventions.group_format(), None);
}

/// What a round trip must keep, per topic: status, producers, consumers with their
/// groups, events, the replacement of a deprecated topic.
fn facts(reg: &Registry) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for t in &reg.topics {
        let consumers: BTreeSet<_> = t
            .consumers
            .iter()
            .map(|c| format!("{}@{}", reg.services[c.service].key, c.group.as_deref().unwrap_or("-")))
            .collect();
        let producers: BTreeSet<_> = keys(reg, &t.producers).into_iter().collect();
        let events: BTreeSet<_> = t.events.iter().map(|e| e.name.clone()).collect();
        out.insert(format!(
            "{} {:?} producers={producers:?} consumers={consumers:?} events={events:?} replaced_by={:?}",
            t.name,
            t.status,
            t.replaced_by()
        ));
    }
    out
}

fn export_import(reg: &Registry, strip: impl Fn(&mut Value)) -> Registry {
    let mut doc = asyncapi::write::document(reg);
    strip(&mut doc);
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let parsed = refs::parse("export.json", text).unwrap_or_else(|e| panic!("{}", e.one_line()));
    let imported = asyncapi::import_docs(&[parsed]).unwrap_or_else(|e| panic!("{}", e.one_line()));
    let checked = registry::load_str("back.yaml", imported.yaml.clone());
    assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
    checked.registry.expect("valid")
}

#[test]
fn round_trip_keeps_both_seed_registries() {
    for rel in ["registry.yaml", "assets/registries/enterprise-agent-platform.yaml"] {
        let reg = common::load(rel);
        assert!(reg.topics.iter().any(|t| !t.consumers.is_empty()));
        // Through the YAML text ktopo prints, not only the data.
        let yaml = asyncapi::write::render(&reg);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("platform.asyncapi.yaml");
        std::fs::write(&path, &yaml).unwrap();
        let (back, imp) = import(&[&path]);
        assert_eq!(facts(&back), facts(&reg), "{rel}");
        let counts = |r: &Registry| [Status::Active, Status::Deprecated, Status::Proposed].map(|s| r.count(s));
        assert_eq!(counts(&back), counts(&reg));
        assert_eq!(back.events().len(), reg.events().len());
        // Everything else the registry says comes back too: the whole JSON export is equal.
        let json = |r: &Registry| {
            let mut v: Value = serde_json::from_str(&ktopo::core::export::json::write(
                r,
                &ktopo::core::topology::Topology::build(r),
            ))
            .unwrap();
            v.as_object_mut().unwrap().remove("ktopo_export");
            v
        };
        assert_eq!(json(&back), json(&reg), "{rel}");
        assert!(imp.unsupported.is_empty(), "{:?}", imp.unsupported);
    }
}

#[test]
fn round_trip_without_the_registry_extensions_keeps_links_events_and_groups() {
    // AsyncAPI's own constructs carry the topology: channels, operations with their
    // service, messages, the groupId binding. Only the service naming extension stays.
    let strip = |doc: &mut Value| {
        let root = doc.as_object_mut().unwrap();
        root.remove("x-ktopo-platform");
        for (_, ch) in root["channels"].as_object_mut().unwrap() {
            ch.as_object_mut().unwrap().remove("x-ktopo-topic");
        }
        for (_, op) in root["operations"].as_object_mut().unwrap() {
            op.as_object_mut().unwrap().remove("x-ktopo-endpoint");
        }
    };
    for rel in ["registry.yaml", "assets/registries/enterprise-agent-platform.yaml"] {
        let reg = common::load(rel);
        let back = export_import(&reg, strip);
        // Active topics with at least one link or event keep them all; without the
        // extension deprecated and proposed topics read as active ones.
        let active = |r: &Registry| -> BTreeSet<String> {
            let mut only = Registry::clone(r);
            only.topics.retain(|t| t.status == Status::Active);
            facts(&only).into_iter().map(|f| f.replace("Active", "")).collect()
        };
        let mut back_active = Registry::clone(&back);
        let names: BTreeSet<_> = reg
            .topics
            .iter()
            .filter(|t| t.status == Status::Active)
            .map(|t| t.name.clone())
            .collect();
        back_active.topics.retain(|t| names.contains(&t.name));
        assert_eq!(active(&back_active), active(&reg), "{rel}");
        assert_eq!(back.topics.len(), reg.topics.len());
    }
}

#[test]
fn export_validates_against_the_asyncapi_3_0_json_schema() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(data("asyncapi-3.0.0.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the official schema compiles");
    for rel in ["registry.yaml", "assets/registries/enterprise-agent-platform.yaml"] {
        let doc = asyncapi::write::document(&common::load(rel));
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{rel}: {errors:#?}");
    }
    // The validator is not blind: a broken document fails it.
    let mut bad = asyncapi::write::document(&common::main_registry());
    bad["operations"].as_object_mut().unwrap().values_mut().next().unwrap()["action"] = "publish".into();
    assert!(!validator.is_valid(&bad));
    // And the public 3.0 example passes it (adeo's payloads are remote Avro schemas,
    // which an offline validator cannot follow).
    let doc = refs::read(&data("streetlights-kafka-3.0.yml")).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc.root.to_json())
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn export_snapshot_of_the_bundled_registry() {
    let reg = common::main_registry();
    insta::assert_snapshot!(ktopo::core::export::render(
        ktopo::core::export::Format::Asyncapi,
        &reg,
        &ktopo::core::topology::Topology::build(&reg)
    ));
}

fn ktopo() -> Command {
    Command::cargo_bin("ktopo").unwrap()
}

/// `ktopo import asyncapi` on a document: (exit status, stdout, stderr).
fn cli(text: &[u8]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("doc.yaml");
    std::fs::write(&p, text).unwrap();
    let out = ktopo()
        .arg("import")
        .arg("asyncapi")
        .arg(&p)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&p.display().to_string(), "doc.yaml");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        stderr,
    )
}

#[test]
fn bad_documents_are_clear_errors_with_file_line_col() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("not yaml", b"asyncapi: 3.0.0\ninfo: [unclosed\n", "yaml-syntax"),
        ("a list", b"- asyncapi\n", "not-asyncapi"),
        ("wrong version", b"asyncapi: 1.2.0\ninfo: {title: A, version: '1'}\n", "doc.yaml:1:11"),
        (
            "ref cycle",
            b"asyncapi: 3.0.0\ninfo: {title: A, version: '1'}\nchannels:\n  a: {$ref: '#/components/channels/b'}\ncomponents:\n  channels:\n    b: {$ref: '#/components/channels/c'}\n    c: {$ref: '#/components/channels/b'}\n",
            "loops back on itself",
        ),
        (
            "missing pointer",
            b"asyncapi: 3.0.0\ninfo: {title: A, version: '1'}\nchannels:\n  a: {address: x}\noperations:\n  o: {action: send, channel: {$ref: '#/channels/nope'}}\n",
            "doc.yaml:6:37",
        ),
        (
            "bad action",
            b"asyncapi: 3.0.0\ninfo: {title: A, version: '1'}\nchannels:\n  a: {address: x}\noperations:\n  o: {action: publish, channel: {$ref: '#/channels/a'}}\n",
            "must be `send` or `receive`",
        ),
        ("no info", b"asyncapi: 2.6.0\nchannels: {}\n", "has no `info`"),
        ("external ref", b"asyncapi: 3.0.0\ninfo: {$ref: 'info.yaml'}\n", "bundle the document first"),
        ("not text", b"asyncapi: 3.0.0\n\xff\xfe\n", "not UTF-8"),
        ("empty", b"", "not-asyncapi"),
    ];
    for (what, text, expect) in cases {
        let (code, stdout, stderr) = cli(text);
        assert_eq!(code, 3, "{what}: {stderr}");
        assert!(stderr.contains(expect), "{what}: {stderr}");
        assert!(stdout.is_empty(), "{what}");
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    }
    let (_, _, stderr) = cli(b"asyncapi: 4.0.0\ninfo: {title: A, version: '1'}\n");
    assert!(
        stderr.contains("error[wrong-version]: AsyncAPI `4.0.0` is not a version ktopo reads"),
        "{stderr}"
    );
    let (_, _, stderr) =
        cli(b"asyncapi: 3.0.0\ninfo: {title: A, version: '1'}\nchannels:\n  a: {$ref: '#/channels/a'}\n");
    assert!(stderr.contains("#/channels/a -> #/channels/a"), "{stderr}");
}

#[test]
fn hostile_documents_never_reach_the_terminal_or_memory_unbounded() {
    // Control characters in a name: refused, and shown escaped.
    let (code, stdout, stderr) =
        cli(b"asyncapi: 3.0.0\ninfo: {title: A, version: '1'}\nchannels:\n  a: {address: \"x\\e]52;c;aGk=\\a\"}\n");
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("control-character"), "{stderr}");
    assert!(!stderr.contains('\x1b') && !stderr.contains('\x07'), "{stderr:?}");
    assert!(stdout.is_empty());
    let (code, _, stderr) = cli("asyncapi: 3.0.0\ninfo: {title: \"order_\u{202e}detaerc\", version: '1'}\n".as_bytes());
    assert_eq!(code, 3);
    assert!(!stderr.contains('\u{202e}') && stderr.contains("\\u{202e}"), "{stderr}");
    // Control characters in a description are made visible in the registry.
    let (code, stdout, stderr) = cli(
        b"asyncapi: 3.0.0\ninfo: {title: A, version: '1', description: \"bell\\a esc\\e[2J\"}\nchannels:\n  a: {address: x}\n",
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains('\x1b') && !stdout.contains('\x07'), "{stdout:?}");
    // A document over the bound is refused before it is read whole.
    let mut huge = b"asyncapi: 3.0.0\ninfo: {title: A, version: '1'}\nx-pad: '".to_vec();
    huge.resize(refs::MAX_BYTES + 10, b'a');
    let (code, _, stderr) = cli(&huge);
    assert_eq!(code, 3);
    assert!(stderr.contains("larger than 16 MB"), "{stderr}");
    // Nesting and alias bombs stop at the registry loader's budgets.
    let deep = format!("asyncapi: 3.0.0\nx: {}{}\n", "[".repeat(200), "]".repeat(200));
    let (code, _, stderr) = cli(deep.as_bytes());
    assert_eq!(code, 3);
    assert!(stderr.contains("too-large") || stderr.contains("too deep"), "{stderr}");
    let mut bomb = String::from("asyncapi: 3.0.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let (code, _, stderr) = cli(bomb.as_bytes());
    assert_eq!(code, 3, "{stderr}");
}

#[test]
fn import_writes_atomically_and_never_over_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("orders.yaml");
    std::fs::write(&doc, ORDERS_30).unwrap();
    let out = dir.path().join("registry.yaml");
    ktopo()
        .args(["import", "asyncapi"])
        .arg(&doc)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("# Imported by `ktopo import asyncapi`"));
    // `ktopo check` accepts what import wrote.
    ktopo().arg("-r").arg(&out).arg("check").assert().success();
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "no temporary file left: {left:?}");
    // -o naming one of the documents is refused; the document is untouched.
    let r = ktopo()
        .args(["import", "asyncapi"])
        .arg(&doc)
        .arg("-o")
        .arg(&doc)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&r.get_output().stderr).into_owned();
    assert!(stderr.contains("is one of the documents being read"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&doc).unwrap(), ORDERS_30);
    // And the export goes through the same writer.
    let exported = dir.path().join("platform.yaml");
    ktopo()
        .arg("-r")
        .arg(common::root().join("registry.yaml"))
        .args(["export", "--format", "asyncapi", "-o"])
        .arg(&exported)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&exported)
        .unwrap()
        .starts_with("asyncapi: \"3.0.0\"\n"));
}
