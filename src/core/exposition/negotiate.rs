//! Which text format a scraper asked for: OpenMetrics when its `Accept` header prefers
//! `application/openmetrics-text` (Prometheus sends that first), the Prometheus text
//! format 0.0.4 otherwise, as the official Go client negotiates.

/// A text exposition format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    OpenMetrics,
    Prometheus,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
            Format::Prometheus => prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
        }
    }
}

/// The format for an `Accept` header (None: no header). The media range with the highest
/// quality wins; on a tie the first one written; anything unknown means text 0.0.4.
pub fn negotiate(accept: Option<&str>) -> Format {
    let mut best: Option<(f32, Format)> = None;
    for range in accept.unwrap_or("").split(',') {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or("").to_ascii_lowercase();
        let mut q = 1.0f32;
        let mut version = None;
        for p in parts {
            let Some((k, v)) = p.split_once('=') else { continue };
            match k.trim().to_ascii_lowercase().as_str() {
                // RFC 9110: 0 to 1; anything else is no preference at all.
                "q" => {
                    q = v
                        .trim()
                        .parse::<f32>()
                        .ok()
                        .filter(|q| (0.0..=1.0).contains(q))
                        .unwrap_or(0.0)
                }
                "version" => version = Some(v.trim().to_string()),
                _ => {}
            }
        }
        let format = match media.as_str() {
            // The two OpenMetrics versions Prometheus asks for; both are served as 1.0.0.
            "application/openmetrics-text" if matches!(version.as_deref(), None | Some("1.0.0" | "0.0.1")) => {
                Format::OpenMetrics
            }
            "text/plain" if matches!(version.as_deref(), None | Some("0.0.4")) => Format::Prometheus,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, format));
        }
    }
    best.map_or(Format::Prometheus, |(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prometheus_gets_openmetrics_and_curl_gets_text() {
        let prometheus = "application/openmetrics-text;version=1.0.0;q=0.5,\
            application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
        assert_eq!(negotiate(Some(prometheus)), Format::OpenMetrics);
        assert_eq!(negotiate(Some("*/*")), Format::Prometheus);
        assert_eq!(negotiate(None), Format::Prometheus);
        assert_eq!(
            negotiate(Some("application/openmetrics-text;q=0.2, text/plain;q=0.9")),
            Format::Prometheus
        );
        assert_eq!(
            negotiate(Some("application/openmetrics-text; version=9.9")),
            Format::Prometheus
        );
        assert_eq!(negotiate(Some("application/openmetrics-text;q=0")), Format::Prometheus);
    }

    #[test]
    fn a_q_value_outside_0_to_1_is_no_preference() {
        for q in ["inf", "7", "-1", "NaN"] {
            let accept = format!("application/openmetrics-text;q={q}, text/plain;q=1");
            assert_eq!(negotiate(Some(&accept)), Format::Prometheus, "q={q}");
        }
    }
}
