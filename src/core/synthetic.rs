//! Generated registries of any size, for benchmarks and scale tests.

use std::fmt::Write;

/// A valid registry with `services` services and `topics` topics spread over 20
/// domains; each topic has 1-2 producers, 3-5 consumers and 5 event types.
pub fn registry(services: usize, topics: usize) -> String {
    let services = services.max(2);
    let mut y = String::with_capacity(topics * 400 + services * 80);
    y.push_str("conventions:\n  topic_naming:\n    - pattern: \"{domain}_events\"\n");
    y.push_str("  consumer_group: \"{service_name}_{topic_name}_consumer\"\n");
    y.push_str("  topic_defaults: { partitions: 10, retention_days: 7, compression: gzip }\n");
    y.push_str("domains:\n");
    for d in 0..20 {
        let _ = writeln!(y, "  - {{ id: d{d}, name: Domain {d} }}");
    }
    y.push_str("services:\n");
    for s in 0..services {
        let _ = writeln!(
            y,
            "  - {{ id: {s}, key: service_{s}, name: Service {s}, domain: d{} }}",
            s % 20
        );
    }
    y.push_str("topics:\n");
    // A simple LCG keeps the file deterministic without a dependency.
    let mut r: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        r = r
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (r >> 33) as usize % n
    };
    for t in 0..topics {
        let p = t % services;
        let _ = writeln!(y, "  - name: topic{t}_events\n    domain: d{}", t % 20);
        let _ = writeln!(y, "    purpose: Generated topic number {t} for scale tests");
        let second = (p + 1 + next(services - 1)) % services;
        let _ = writeln!(y, "    producers: [{p}, {second}]");
        let mut consumers: Vec<usize> = (0..3 + next(3)).map(|_| next(services)).collect();
        consumers.sort_unstable();
        consumers.dedup();
        consumers.retain(|&c| c != p && c != second);
        if consumers.is_empty() {
            consumers.push((p + services / 2) % services);
        }
        let list: Vec<String> = consumers.iter().map(|c| c.to_string()).collect();
        let _ = writeln!(y, "    consumers: [{}]", list.join(", "));
        let _ = writeln!(
            y,
            "    events: [t{t}_created, t{t}_updated, t{t}_deleted, t{t}_archived, t{t}_restored]"
        );
    }
    y
}
