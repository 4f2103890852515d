//! HTTP GET for registry look-ups: one client, an on-disk cache, timeouts, retries with
//! backoff that honour `Retry-After`, and a User-Agent that names kataster.
//!
//! Owns every network connection kataster makes. It is only constructed with `--online`;
//! nothing else in the crate opens a socket. Never sends anything but GET requests
//! without a body, never writes outside its cache directory, follows redirects only
//! within the host (and port) it asked, and reads no answer larger than `max_body`.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The User-Agent of every request: registries ask clients to say who they are.
pub fn user_agent() -> String {
    let repo = env!("CARGO_PKG_REPOSITORY");
    let contact = if repo.is_empty() { "+software cadastre license scanner" } else { repo };
    format!("kataster/{} ({contact})", env!("CARGO_PKG_VERSION"))
}

/// How requests are made.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Total time for one request, connect included.
    pub timeout: Duration,
    /// Further attempts after a timeout, a connection error, 429 or 5xx.
    pub retries: u32,
    /// First backoff; doubled on each retry.
    pub backoff: Duration,
    /// The longest wait for one retry, `Retry-After` included.
    pub max_wait: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// How long a cached "not found" counts (a package may be published later).
    pub not_found_ttl: Duration,
    /// The largest answer read (bytes); a larger one is an error, neither kept nor cached.
    pub max_body: u64,
}

/// Redirects followed for one request, all within the host asked.
const MAX_REDIRECTS: usize = 5;

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            timeout: Duration::from_secs(20),
            retries: 3,
            backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(60),
            concurrency: 8,
            not_found_ttl: Duration::from_secs(24 * 3600),
            // Registry documents of one version are kilobytes; Packagist's largest are a
            // few megabytes.
            max_body: 32 << 20,
        }
    }
}

/// A final answer from a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    Body(Vec<u8>),
    NotFound,
}

pub struct Http {
    client: Option<reqwest::blocking::Client>,
    client_error: Option<String>,
    cache: Option<PathBuf>,
    settings: HttpSettings,
}

impl Http {
    /// A client with the given cache directory (`None`: no cache).
    pub fn new(cache: Option<PathBuf>, settings: HttpSettings) -> Http {
        // reqwest is built without a default crypto provider; ring is ours. Installing
        // fails only when one is installed already, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let built = reqwest::blocking::Client::builder()
            .user_agent(user_agent())
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::custom(same_host_redirects))
            .build();
        let (client, client_error) = match built {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some(format!("cannot set up the HTTP client: {e}"))),
        };
        Http { client, client_error, cache, settings }
    }

    pub fn settings(&self) -> &HttpSettings {
        &self.settings
    }

    fn cache_path(&self, url: &str) -> Option<PathBuf> {
        let dir = self.cache.as_ref()?;
        let hex = kataster_model::encoding::hex(&Sha256::digest(url.as_bytes()));
        Some(dir.join(&hex[..2]).join(format!("{hex}.json")))
    }

    /// GET a URL: the cached answer if there is one, else the registry's, retried as needed.
    pub fn get(&self, url: &str) -> Result<Fetched, String> {
        let cached = self.cache_path(url);
        if let Some(p) = &cached
            && let Some(hit) = read_cache(p, url, self.settings.not_found_ttl)
        {
            return Ok(hit);
        }
        let fetched = self.fetch(url)?;
        if let Some(p) = &cached {
            // A cache that cannot be written only costs a request next time.
            let _ = write_cache(p, url, &fetched);
        }
        Ok(fetched)
    }

    fn fetch(&self, url: &str) -> Result<Fetched, String> {
        let Some(client) = &self.client else {
            return Err(self.client_error.clone().unwrap_or_else(|| "no HTTP client".into()));
        };
        let mut attempt = 0u32;
        loop {
            let outcome = client.get(url).send();
            let wait = match outcome {
                Ok(resp) => {
                    let status = resp.status();
                    if status.is_success() {
                        return read_capped(resp, self.settings.max_body)
                            .map(Fetched::Body)
                            .map_err(|e| format!("{url}: {e}"));
                    }
                    if status == reqwest::StatusCode::NOT_FOUND || status == reqwest::StatusCode::GONE {
                        return Ok(Fetched::NotFound);
                    }
                    let retryable = status == reqwest::StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
                    if !retryable || attempt >= self.settings.retries {
                        return Err(format!("{url}: HTTP {status}{}", after_attempts(attempt)));
                    }
                    let after = resp
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_retry_after);
                    after.unwrap_or_else(|| self.backoff(attempt))
                }
                Err(e) => {
                    let retryable = e.is_timeout() || e.is_connect() || e.is_request();
                    if !retryable || attempt >= self.settings.retries {
                        let what = if e.is_timeout() { "timed out".to_string() } else { error_chain(&e) };
                        return Err(format!("{url}: {what}{}", after_attempts(attempt)));
                    }
                    self.backoff(attempt)
                }
            };
            std::thread::sleep(wait.min(self.settings.max_wait));
            attempt += 1;
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.settings.backoff.saturating_mul(1u32 << attempt.min(16))
    }
}

/// Follow a redirect only to the scheme, host and port first asked (or from http to https
/// on that host): a registry that sends kataster elsewhere does not get its answer used.
fn same_host_redirects(attempt: reqwest::redirect::Attempt) -> reqwest::redirect::Action {
    let Some(first) = attempt.previous().first() else { return attempt.follow() };
    if attempt.previous().len() > MAX_REDIRECTS {
        return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
    }
    let to = attempt.url();
    let scheme_ok = to.scheme() == first.scheme() || (first.scheme() == "http" && to.scheme() == "https");
    if scheme_ok && to.host_str() == first.host_str() && to.port_or_known_default() == first.port_or_known_default() {
        return attempt.follow();
    }
    let msg = format!("redirect to {} refused: not the registry's host", to.origin().ascii_serialization());
    attempt.error(msg)
}

/// The body of an answer, at most `cap` bytes (a larger one is an error, read no further).
fn read_capped(resp: reqwest::blocking::Response, cap: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let too_large = || format!("the answer is larger than {cap} bytes; not read");
    if resp.content_length().is_some_and(|n| n > cap) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    resp.take(cap + 1).read_to_end(&mut body).map_err(|e| error_chain(&e))?;
    if body.len() as u64 > cap {
        return Err(too_large());
    }
    Ok(body)
}

fn after_attempts(attempt: u32) -> String {
    if attempt == 0 { String::new() } else { format!(" (after {} attempts)", attempt + 1) }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

/// `Retry-After` as seconds or as an HTTP date.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let fmt = time::format_description::well_known::Rfc2822;
    let when = time::OffsetDateTime::parse(v, &fmt).ok()?;
    let now = time::OffsetDateTime::now_utc();
    let secs = (when - now).whole_seconds().max(0);
    Some(Duration::from_secs(secs as u64))
}

#[derive(serde::Serialize, serde::Deserialize)]
struct CacheEntry {
    url: String,
    /// 200 or 404.
    status: u16,
    /// Seconds since the epoch when fetched.
    fetched: u64,
    /// The body as text (registry answers are JSON or XML) or, for binary bodies, empty
    /// with `body_file` naming a side file.
    body: String,
    #[serde(default)]
    body_file: Option<String>,
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn read_cache(p: &Path, url: &str, not_found_ttl: Duration) -> Option<Fetched> {
    let text = std::fs::read_to_string(p).ok()?;
    let e: CacheEntry = serde_json::from_str(&text).ok()?;
    if e.url != url {
        return None;
    }
    match e.status {
        200 => match e.body_file {
            Some(f) => std::fs::read(p.with_file_name(f)).ok().map(Fetched::Body),
            None => Some(Fetched::Body(e.body.into_bytes())),
        },
        404 if now_secs().saturating_sub(e.fetched) < not_found_ttl.as_secs() => Some(Fetched::NotFound),
        _ => None,
    }
}

fn write_cache(p: &Path, url: &str, f: &Fetched) -> std::io::Result<()> {
    let dir = p.parent().ok_or_else(|| std::io::Error::other("no cache folder"))?;
    std::fs::create_dir_all(dir)?;
    let (status, body, body_file) = match f {
        Fetched::NotFound => (404, String::new(), None),
        Fetched::Body(b) => match std::str::from_utf8(b) {
            Ok(s) => (200, s.to_string(), None),
            Err(_) => {
                let side = p.with_extension("bin");
                kataster_model::output::write_atomic(&side, b)?;
                (200, String::new(), side.file_name().map(|n| n.to_string_lossy().into_owned()))
            }
        },
    };
    let entry = CacheEntry { url: url.to_string(), status, fetched: now_secs(), body, body_file };
    let bytes = serde_json::to_vec(&entry).map_err(std::io::Error::other)?;
    kataster_model::output::write_atomic(p, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn user_agent_names_kataster_and_version() {
        assert!(user_agent().starts_with(&format!("kataster/{} (", env!("CARGO_PKG_VERSION"))));
    }
}
