//! Service keys made of names seen on a cluster (group ids, producer fields,
//! connector names): what a registry key may hold.

/// A service key made of a name seen on the cluster: lowercase letters, digits, `_`
/// and `-`, everything else `_`.
pub fn service_key(name: &str) -> String {
    let k: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if k.is_empty() {
        "unnamed".into()
    } else {
        k
    }
}
