//! A point in time as people and programs read it: unix seconds and RFC 3339 (UTC).

use std::time::{Duration, UNIX_EPOCH};

use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    pub unix: i64,
    /// RFC 3339, UTC.
    pub rfc3339: String,
}

impl Timestamp {
    /// The timestamp of `unix` seconds.
    pub fn new(unix: i64) -> Self {
        let rfc3339 = u64::try_from(unix)
            .ok()
            .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
            .map(|time| humantime::format_rfc3339_seconds(time).to_string())
            .unwrap_or_else(|| unix.to_string());
        Timestamp { unix, rfc3339 }
    }

    /// `None` for 0 (never).
    pub fn optional(unix: i64) -> Option<Self> {
        (unix != 0).then(|| Timestamp::new(unix))
    }
}

/// The timestamp's RFC 3339 text, or `none` when there is none.
pub fn optional_text(timestamp: &Option<Timestamp>, none: &str) -> String {
    timestamp
        .as_ref()
        .map_or_else(|| none.to_string(), |t| t.rfc3339.clone())
}
