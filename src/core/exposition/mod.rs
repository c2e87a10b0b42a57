//! The live picture as Prometheus metrics, joined with the registry: lag, status and
//! rates per group and topic, an info series per group naming its service, owner and
//! on-call, a series per declared consumer saying whether it exists, drift findings
//! and the sampler's own health. Encoded with the official client library's encoders
//! (OpenMetrics or text 0.0.4) from one immutable `Scrape`, at scrape time: the
//! sampler only swaps in the next one. README "ktopo serve" lists every metric.

mod families;
mod gzip;
pub mod negotiate;

use crate::core::live::view::LiveView;
use crate::core::registry::Registry;
pub use families::status_number;
pub use gzip::encode_gzip;
pub use negotiate::{negotiate, Format};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::DescriptorEncoder;
use std::borrow::Cow;
use std::sync::Arc;

/// How the sampler itself is doing, across rounds.
#[derive(Debug, Clone, Default)]
pub struct SamplerHealth {
    /// Rounds so far, and those that read nothing.
    pub rounds: u64,
    pub errors: u64,
    /// The last round read the cluster.
    pub up: bool,
    /// Wall-clock ms since the epoch of the last round that read the cluster.
    pub last_success_ms: Option<i64>,
    /// Why the last round failed (scrubbed of secrets by the sampler).
    pub last_error: Option<String>,
    pub interval_s: f64,
}

/// One drift kind at one severity, and how many findings it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingCount {
    pub kind: &'static str,
    pub severity: crate::core::diag::Severity,
    pub count: usize,
}

/// Drift findings counted by kind and severity, in a stable order.
pub fn count_findings(report: &crate::core::drift::Report) -> Vec<FindingCount> {
    let mut counts: std::collections::BTreeMap<(&'static str, crate::core::diag::Severity), usize> = Default::default();
    for f in &report.findings {
        *counts.entry((f.kind, f.severity)).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|((kind, severity), count)| FindingCount { kind, severity, count })
        .collect()
}

/// Everything one scrape shows: the last picture, the registry it is joined with.
#[derive(Clone)]
pub struct Scrape {
    pub view: LiveView,
    pub registry: Arc<Registry>,
    /// None until drift could be computed (a sample succeeded).
    pub findings: Option<Vec<FindingCount>>,
    pub sampler: SamplerHealth,
    /// Series per partition too (a group × topic has one series per metric otherwise).
    pub partitions: bool,
}

impl std::fmt::Debug for Scrape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scrape")
            .field("groups", &self.view.groups.len())
            .field("sampler", &self.sampler)
            .finish_non_exhaustive()
    }
}

impl Collector for Scrape {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        families::encode(self, &mut encoder)
    }
}

/// The scrape in `format`, every series labelled `cluster="…"`, into a buffer of
/// `capacity` bytes to begin with (the last encoding's size: at 5,000 groups the text
/// is 12 MB, and growing it by doubling would hold 24 MB at once).
pub fn encode(scrape: Arc<Scrape>, cluster: &str, format: Format, capacity: usize) -> Result<String, std::fmt::Error> {
    let mut out = String::with_capacity(capacity);
    encode_into(scrape, cluster, format, &mut out)?;
    // Kept until the next round: no more than a little unused.
    if out.capacity() > out.len() + out.len() / 8 {
        out.shrink_to_fit();
    }
    Ok(out)
}

/// The scrape in `format` written to `out` as it is encoded (serve compresses it on
/// the way, never holding the whole text).
pub fn encode_into(
    scrape: Arc<Scrape>,
    cluster: &str,
    format: Format,
    out: &mut impl std::fmt::Write,
) -> Result<(), std::fmt::Error> {
    let label = (Cow::Borrowed("cluster"), Cow::Owned(label_value(cluster).into_owned()));
    let mut registry = prometheus_client::registry::Registry::with_labels(std::iter::once(label));
    registry.register_collector(Box::new(scrape));
    match format {
        Format::OpenMetrics => prometheus_client::encoding::text::encode(out, &registry),
        Format::Prometheus => prometheus_client::encoding::prometheus_text::encode(out, &registry),
    }
}

/// A label value from a file or a cluster: the encoder escapes quotes, backslashes and
/// newlines; control and invisible characters are made visible too, so a scrape read
/// in a terminal cannot drive it.
/// One to one: a real backslash is doubled first, so a group named `a<TAB>b` (shown
/// `a\tb`) and one literally named `a\tb` never become the same series.
pub fn label_value(s: &str) -> Cow<'_, str> {
    if s.contains('\\') {
        Cow::Owned(crate::core::visible::one_line(&s.replace('\\', "\\\\")).into_owned())
    } else {
        crate::core::visible::one_line(s)
    }
}

/// `/api/lag`: the document of `ktopo lag --json` for every group.
pub fn lag_json(s: &Scrape) -> String {
    use crate::core::lag_report as report;
    // No pattern: nothing to reject.
    let Ok(filters) = report::Filters::new(None, None) else {
        return "{}\n".to_string();
    };
    let rows = filters.select(&s.view);
    let reg = &s.registry;
    let owner_of = |key: &str| {
        let svc = reg.service_by_key(key).map(|i| &reg.services[i])?;
        Some((svc.owner.clone(), svc.oncall.clone()))
    };
    let doc = report::json(&s.view, &rows, &filters, &owner_of);
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn label_values_are_one_to_one() {
        // A tab is shown as `\t`; a real backslash is doubled, so the two never meet.
        let tab = super::label_value("a\tb");
        let literal = super::label_value("a\\tb");
        assert_ne!(tab, literal);
        assert!(!tab.contains('\t'));
        assert_eq!(super::label_value("plain"), "plain");
    }
}
