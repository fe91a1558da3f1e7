//! Prometheus metrics (`--metrics-listen ADDR`, plain HTTP `GET /metrics`, OpenMetrics text).
//!
//! Two registries, one per process. The daemon counts what the front-end and the supervisor
//! see: requests by method, route template and status, their latency, agent starts, restarts
//! and failed starts, and its own memory and open files. The agent process counts what only it
//! sees: LINA round trips, snapshot reloads and their durations, tokens in use per context, and
//! its memory and open files; the daemon fetches that text at each scrape over the existing
//! loopback channel (`GET /_agent/metrics` with the channel secret) and appends it, so one
//! scrape shows both and no second port is opened.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use hyper::Method;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use syslog::Message;

use crate::supervisor::LogSink;

/// The content type of the exposition.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The last line of an OpenMetrics exposition.
const EOF: &str = "# EOF\n";

/// The route template of a request path, as the endpoint catalogue declares it:
/// `/api/objects/networkobjects/web` becomes `/api/objects/networkobjects/{objectId}`; a
/// URL the catalogue does not serve is `other`, so labels never carry a raw id.
pub fn route_template(path: &str) -> String {
    match crate::api::router::route(path) {
        Ok(routed) => routed.endpoint.path.clone(),
        Err(_) if path == "/healthz" => path.to_owned(),
        // Unknown URLs share one label, so the label set stays bounded.
        Err(_) => "other".to_owned(),
    }
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ContextLabels {
    context: String,
}

// issue 13: change journal
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PatchLabels {
    family: String,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// Latency buckets from 1 ms to about 16 s.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// The method as a label: the API's five and `OTHER`, so a client cannot invent values.
fn method_label(method: &Method) -> String {
    match *method {
        Method::GET
        | Method::POST
        | Method::PUT
        | Method::PATCH
        | Method::DELETE
        | Method::OPTIONS
        | Method::HEAD => method.as_str().to_owned(),
        _ => "OTHER".to_owned(),
    }
}

/// Resident memory and open files of this process, read from `/proc/self` at each scrape.
#[derive(Debug, Default)]
struct ProcessGauges {
    resident_bytes: Gauge,
    open_fds: Gauge,
}

impl ProcessGauges {
    fn register(&self, registry: &mut Registry) {
        registry.register(
            "process_resident_memory_bytes",
            "Resident memory of the process (VmRSS)",
            self.resident_bytes.clone(),
        );
        registry.register(
            "process_open_fds",
            "Open file descriptors of the process",
            self.open_fds.clone(),
        );
    }

    fn refresh(&self) {
        if let Some(bytes) = resident_bytes() {
            self.resident_bytes.set(bytes);
        }
        if let Ok(entries) = std::fs::read_dir("/proc/self/fd") {
            self.open_fds
                .set(i64::try_from(entries.count()).unwrap_or(i64::MAX));
        }
    }
}

/// `VmRSS:  1234 kB` from `/proc/self/status`, in bytes.
fn resident_bytes() -> Option<i64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_rss(&status)
}

fn parse_vm_rss(status: &str) -> Option<i64> {
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: i64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

fn seconds(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The daemon's registry.
#[derive(Debug)]
pub struct DaemonMetrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Histograms<RouteLabels>,
    agent_starts: Counter,
    agent_restarts: Counter,
    agent_failed_starts: Counter,
    worker_up: Gauge,
    process: ProcessGauges,
}

impl Default for DaemonMetrics {
    fn default() -> Self {
        DaemonMetrics::new()
    }
}

impl DaemonMetrics {
    pub fn new() -> DaemonMetrics {
        let mut registry = Registry::with_prefix("asa_rest");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "requests",
            "Requests answered by the front-end, by method, route template and status",
            requests.clone(),
        );
        let latency: Histograms<RouteLabels> = Family::new_with_constructor(latency_histogram);
        registry.register(
            "request_duration_seconds",
            "Time from the request's arrival to its answer, by method and route template",
            latency.clone(),
        );
        let agent_starts = Counter::default();
        registry.register(
            "agent_starts",
            "Agent processes that became ready (342001)",
            agent_starts.clone(),
        );
        let agent_restarts = Counter::default();
        registry.register(
            "agent_restarts",
            "Agent processes that died and were restarted (342003)",
            agent_restarts.clone(),
        );
        let agent_failed_starts = Counter::default();
        registry.register(
            "agent_failed_starts",
            "Agent process starts that failed (342002)",
            agent_failed_starts.clone(),
        );
        let worker_up = Gauge::default();
        registry.register(
            "worker_up",
            "1 when the agent process answered this scrape, else 0",
            worker_up.clone(),
        );
        let process = ProcessGauges::default();
        process.register(&mut registry);
        DaemonMetrics {
            registry,
            requests,
            latency,
            agent_starts,
            agent_restarts,
            agent_failed_starts,
            worker_up,
            process,
        }
    }

    /// Counts one answered request.
    pub fn request(&self, method: &Method, route: &str, status: u16, elapsed: Duration) {
        let method = method_label(method);
        self.requests
            .get_or_create(&RequestLabels {
                method: method.clone(),
                route: route.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                method,
                route: route.to_owned(),
            })
            .observe(seconds(elapsed));
    }

    /// Counts a supervisor event by its syslog id.
    pub fn agent_event(&self, id: u32) {
        match id {
            342001 => {
                self.agent_starts.inc();
            }
            342002 => {
                self.agent_failed_starts.inc();
            }
            342003 => {
                self.agent_restarts.inc();
            }
            _ => {}
        }
    }

    /// The exposition: the daemon's families, then the agent process's (`None` when it did not
    /// answer), then `# EOF`.
    pub fn render(&self, worker: Option<&str>) -> String {
        self.worker_up.set(i64::from(worker.is_some()));
        self.process.refresh();
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        let mut out = without_eof(out);
        if let Some(text) = worker {
            out.push_str(&without_eof(text.to_owned()));
        }
        out.push_str(EOF);
        out
    }
}

fn without_eof(mut text: String) -> String {
    if text.ends_with(EOF) {
        text.truncate(text.len() - EOF.len());
    }
    text
}

/// Counts the supervisor's life-cycle messages on their way to LINA.
pub struct CountingSink {
    pub inner: Arc<dyn LogSink>,
    pub metrics: Arc<DaemonMetrics>,
}

impl std::fmt::Debug for CountingSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CountingSink")
    }
}

impl LogSink for CountingSink {
    fn log(&self, message: Message) {
        self.metrics.agent_event(message.id);
        self.inner.log(message);
    }
}

/// The agent process's registry (one per process, reached from wherever it counts).
#[derive(Debug)]
pub struct WorkerMetrics {
    registry: Registry,
    lina_round_trips: Counter,
    lina_latency: Histogram,
    snapshot_reloads: Counter,
    snapshot_reload_seconds: Histogram,
    tokens: Family<ContextLabels, Gauge>,
    process: ProcessGauges,
    // issue 13: change journal
    snapshot_patches: Counter,
    snapshot_patch_fallbacks: Family<PatchLabels, Counter>,
}

/// The agent process's metrics.
pub fn worker() -> &'static WorkerMetrics {
    static METRICS: OnceLock<WorkerMetrics> = OnceLock::new();
    METRICS.get_or_init(WorkerMetrics::new)
}

impl WorkerMetrics {
    fn new() -> WorkerMetrics {
        let mut registry = Registry::with_prefix("asa_rest_worker");
        let lina_round_trips = Counter::default();
        registry.register(
            "lina_round_trips",
            "Requests the agent process sent to LINA and got an answer or an error for",
            lina_round_trips.clone(),
        );
        let lina_latency = latency_histogram();
        registry.register(
            "lina_round_trip_duration_seconds",
            "Time of one LINA round trip",
            lina_latency.clone(),
        );
        let snapshot_reloads = Counter::default();
        registry.register(
            "snapshot_reloads",
            "Loads of the running-configuration snapshot (the first one included)",
            snapshot_reloads.clone(),
        );
        let snapshot_reload_seconds = latency_histogram();
        registry.register(
            "snapshot_reload_duration_seconds",
            "Time to fetch and parse the running configuration",
            snapshot_reload_seconds.clone(),
        );
        let tokens = Family::<ContextLabels, Gauge>::default();
        registry.register(
            "tokens_in_use",
            "Tokens this agent process created and did not see deleted or refused, per context \
             (LINA's idle expiry is not seen until the token is next refused)",
            tokens.clone(),
        );
        let process = ProcessGauges::default();
        process.register(&mut registry);
        // issue 13: change journal
        let snapshot_patches = Counter::default();
        registry.register(
            "snapshot_patches",
            "Generations patched into the snapshot from LINA's change journal (no reload)",
            snapshot_patches.clone(),
        );
        let snapshot_patch_fallbacks = Family::<PatchLabels, Counter>::default();
        registry.register(
            "snapshot_patch_fallbacks",
            "Full reloads taken instead of a journal patch, by the family that could not be \
             patched (`journal` when the journal did not reach back)",
            snapshot_patch_fallbacks.clone(),
        );
        WorkerMetrics {
            registry,
            lina_round_trips,
            lina_latency,
            snapshot_reloads,
            snapshot_reload_seconds,
            tokens,
            process,
            snapshot_patches,
            snapshot_patch_fallbacks,
        }
    }

    pub fn lina_round_trip(&self, elapsed: Duration) {
        self.lina_round_trips.inc();
        self.lina_latency.observe(seconds(elapsed));
    }

    pub fn snapshot_reload(&self, elapsed: Duration) {
        self.snapshot_reloads.inc();
        self.snapshot_reload_seconds.observe(seconds(elapsed));
    }

    // issue 13: change journal
    /// Generations patched from the change journal.
    pub fn snapshot_patched(&self, generations: u64) {
        self.snapshot_patches.inc_by(generations);
    }

    /// A full reload instead of a journal patch, because of `family`.
    pub fn snapshot_patch_fallback(&self, family: &str) {
        self.snapshot_patch_fallbacks
            .get_or_create(&PatchLabels {
                family: family.to_owned(),
            })
            .inc();
    }

    /// A token created (`+1`) or gone (`-1`) in `context` (`None`: single mode or the admin context).
    pub fn tokens_changed(&self, context: Option<&str>, delta: i64) {
        let gauge = self.tokens.get_or_create(&ContextLabels {
            context: context.unwrap_or("").to_owned(),
        });
        if delta >= 0 || gauge.get() > 0 {
            gauge.inc_by(delta);
        }
    }

    /// The agent process's exposition (ending in `# EOF`).
    pub fn render(&self) -> String {
        self.process.refresh();
        let mut out = String::new();
        let _ = encode(&mut out, &self.registry);
        if !out.ends_with(EOF) {
            let _ = write!(out, "{EOF}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_placeholders_and_words_stay() {
        for (path, template) in [
            ("/api/objects/networkobjects", "/api/objects/networkobjects"),
            (
                "/api/objects/networkobjects/web-1",
                "/api/objects/networkobjects/{objectId}",
            ),
            (
                "/api/access/in/inside/rules/1234",
                "/api/access/in/{interface}/rules/{objectId}",
            ),
            (
                "/api/objects/extendedacls/acl1/aces/7",
                "/api/objects/extendedacls/{aclName}/aces/{objectId}",
            ),
            (
                "/api/interfaces/physical/GigabitEthernet0_API_SLASH_1",
                "/api/interfaces/physical/{objectId}",
            ),
            ("/api/tokenservices/0123abcd", "/api/tokenservices/{token}"),
            (
                "/api/monitoring/device/components/version",
                "/api/monitoring/device/components/version",
            ),
            ("/API/CLI", "other"),
            ("/api/CLI", "other"),
            ("/api", "/api"),
            ("/healthz", "/healthz"),
            ("/", "other"),
            ("/wp-admin/x", "other"),
            ("/api/a/b/c/d/e/f/g/h/i/j", "other"),
        ] {
            assert_eq!(route_template(path), template, "{path}");
        }
    }

    #[test]
    fn daemon_exposition_counts_requests_by_template() {
        let m = DaemonMetrics::new();
        m.request(
            &Method::GET,
            &route_template("/api/objects/networkobjects/web"),
            200,
            Duration::from_millis(3),
        );
        m.request(
            &Method::from_bytes(b"BREW").unwrap(),
            "other",
            404,
            Duration::ZERO,
        );
        m.agent_event(342003);
        let text = m.render(Some(
            "# TYPE asa_rest_worker_x counter\nasa_rest_worker_x_total 1\n# EOF\n",
        ));
        assert!(
            text.contains(
                "asa_rest_requests_total{method=\"GET\",route=\"/api/objects/networkobjects/{objectId}\",status=\"200\"} 1"
            ),
            "{text}"
        );
        assert!(text.contains("method=\"OTHER\""), "{text}");
        assert!(
            text.contains("asa_rest_request_duration_seconds_bucket{"),
            "{text}"
        );
        assert!(text.contains("asa_rest_agent_restarts_total 1"), "{text}");
        assert!(text.contains("asa_rest_worker_up 1"), "{text}");
        assert!(text.contains("asa_rest_worker_x_total 1"), "{text}");
        assert_eq!(text.matches("# EOF").count(), 1, "{text}");
        assert!(text.ends_with("# EOF\n"));
        assert!(!text.contains("web"), "no raw ids: {text}");
    }

    #[test]
    fn missing_worker_reads_as_down() {
        let text = DaemonMetrics::new().render(None);
        assert!(text.contains("asa_rest_worker_up 0"), "{text}");
        assert!(text.ends_with("# EOF\n"));
    }

    #[test]
    fn worker_exposition_has_its_families() {
        let m = WorkerMetrics::new();
        m.lina_round_trip(Duration::from_millis(1));
        m.snapshot_reload(Duration::from_millis(40));
        m.tokens_changed(None, 1);
        m.tokens_changed(Some("ctx1"), 1);
        m.tokens_changed(Some("ctx1"), -1);
        m.tokens_changed(Some("ctx1"), -1);
        let text = m.render();
        assert!(
            text.contains("asa_rest_worker_lina_round_trips_total 1"),
            "{text}"
        );
        assert!(
            text.contains("asa_rest_worker_snapshot_reloads_total 1"),
            "{text}"
        );
        assert!(
            text.contains("asa_rest_worker_tokens_in_use{context=\"\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("asa_rest_worker_tokens_in_use{context=\"ctx1\"} 0"),
            "{text}"
        );
        assert!(text.ends_with("# EOF\n"));
    }

    #[test]
    fn reads_resident_memory_from_proc_status() {
        assert_eq!(
            parse_vm_rss("Name:\tagent\nVmRSS:\t  2048 kB\n"),
            Some(2048 * 1024)
        );
        assert_eq!(parse_vm_rss("Name:\tagent\n"), None);
    }
}
