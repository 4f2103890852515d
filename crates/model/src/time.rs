//! The clock, read in one place: the timestamps of an inventory's metadata and of the
//! history are the only ones kataster writes.

/// The current time in UTC as RFC 3339 (`2026-12-03T15:04:05Z`).
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}
