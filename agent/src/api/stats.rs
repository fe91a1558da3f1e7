//! The agent's own request statistics, served at `/api/monitoring/apistatistics`: requests by
//! method and by status, latency (total, maximum, histogram) and uptime. Lock-free: every
//! counter is an atomic, so recording costs a few relaxed increments per request.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hyper::{Method, StatusCode};
use serde_json::{Map, Value, json};

/// The methods counted by name; anything else is `OTHER`.
const METHODS: [&str; 6] = ["GET", "POST", "PUT", "PATCH", "DELETE", "OTHER"];

/// Upper bounds of the latency buckets, in milliseconds; a last bucket holds the rest.
const BUCKETS_MS: [u64; 8] = [1, 2, 5, 10, 50, 100, 500, 1000];

/// Status codes 100..=599 are counted one by one.
const FIRST_STATUS: u16 = 100;
const STATUSES: usize = 500;

/// Counters shared by every request of one agent process.
#[derive(Debug)]
pub struct Stats {
    started: Instant,
    by_method: [AtomicU64; METHODS.len()],
    by_status: Box<[AtomicU64]>,
    latency_total_us: AtomicU64,
    latency_max_us: AtomicU64,
    buckets: [AtomicU64; BUCKETS_MS.len() + 1],
}

impl Default for Stats {
    fn default() -> Self {
        Stats::new()
    }
}

fn method_index(method: &Method) -> usize {
    METHODS
        .iter()
        .position(|m| *m == method.as_str())
        .unwrap_or(METHODS.len() - 1)
}

impl Stats {
    pub fn new() -> Stats {
        Stats {
            started: Instant::now(),
            by_method: Default::default(),
            by_status: (0..STATUSES).map(|_| AtomicU64::new(0)).collect(),
            latency_total_us: AtomicU64::new(0),
            latency_max_us: AtomicU64::new(0),
            buckets: Default::default(),
        }
    }

    /// Counts one answered request.
    pub fn record(&self, method: &Method, status: StatusCode, elapsed: Duration) {
        if let Some(c) = self.by_method.get(method_index(method)) {
            c.fetch_add(1, Ordering::Relaxed);
        }
        let slot = usize::from(status.as_u16().saturating_sub(FIRST_STATUS));
        if let Some(c) = self.by_status.get(slot) {
            c.fetch_add(1, Ordering::Relaxed);
        }
        let us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.latency_total_us.fetch_add(us, Ordering::Relaxed);
        self.latency_max_us.fetch_max(us, Ordering::Relaxed);
        let bucket = BUCKETS_MS
            .iter()
            .position(|ms| us <= ms * 1000)
            .unwrap_or(BUCKETS_MS.len());
        if let Some(c) = self.buckets.get(bucket) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Requests counted so far.
    pub fn total(&self) -> u64 {
        self.by_method
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .sum()
    }

    /// Requests answered with `status` so far.
    pub fn with_status(&self, status: u16) -> u64 {
        self.by_status
            .get(usize::from(status.saturating_sub(FIRST_STATUS)))
            .map_or(0, |c| c.load(Ordering::Relaxed))
    }

    /// The statistics as the API shows them (without `kind` and `selfLink`).
    pub fn to_json(&self, snapshot_reloads: u64, snapshot_generation: u64) -> Map<String, Value> {
        let total = self.total();
        let by_method: Map<String, Value> = METHODS
            .iter()
            .zip(&self.by_method)
            .map(|(m, c)| ((*m).to_owned(), json!(c.load(Ordering::Relaxed))))
            .collect();
        let by_status: Map<String, Value> = self
            .by_status
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let n = c.load(Ordering::Relaxed);
                let code = usize::from(FIRST_STATUS) + i;
                (n > 0).then(|| (code.to_string(), json!(n)))
            })
            .collect();
        let histogram: Vec<Value> = self
            .buckets
            .iter()
            .enumerate()
            .map(|(i, c)| {
                json!({
                    "upToMilliseconds": BUCKETS_MS.get(i),
                    "count": c.load(Ordering::Relaxed),
                })
            })
            .collect();
        let total_us = self.latency_total_us.load(Ordering::Relaxed);
        let average_ms = if total == 0 {
            0.0
        } else {
            total_us as f64 / total as f64 / 1000.0
        };
        let mut m = Map::new();
        m.insert(
            "upTimeinSeconds".into(),
            json!(self.started.elapsed().as_secs()),
        );
        m.insert("totalRequests".into(), json!(total));
        m.insert("requestsByMethod".into(), Value::Object(by_method));
        m.insert("requestsByStatus".into(), Value::Object(by_status));
        m.insert(
            "latency".into(),
            json!({
                "averageInMilliseconds": average_ms,
                "maxInMilliseconds": self.latency_max_us.load(Ordering::Relaxed) as f64 / 1000.0,
                "histogram": histogram,
            }),
        );
        m.insert("snapshotReloads".into(), json!(snapshot_reloads));
        m.insert("snapshotGeneration".into(), json!(snapshot_generation));
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_by_method_status_and_latency_bucket() {
        let s = Stats::new();
        s.record(&Method::GET, StatusCode::OK, Duration::from_micros(800));
        s.record(
            &Method::GET,
            StatusCode::NOT_FOUND,
            Duration::from_millis(7),
        );
        s.record(&Method::POST, StatusCode::CREATED, Duration::from_secs(2));
        s.record(
            &Method::OPTIONS,
            StatusCode::METHOD_NOT_ALLOWED,
            Duration::ZERO,
        );
        assert_eq!(s.total(), 4);
        assert_eq!(s.with_status(200), 1);
        assert_eq!(s.with_status(404), 1);
        let j = Value::Object(s.to_json(3, 9));
        assert_eq!(j["requestsByMethod"]["GET"], 2);
        assert_eq!(j["requestsByMethod"]["POST"], 1);
        assert_eq!(j["requestsByMethod"]["OTHER"], 1);
        assert_eq!(j["requestsByStatus"]["201"], 1);
        assert!(j["requestsByStatus"].get("500").is_none());
        let h = j["latency"]["histogram"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(h.len(), BUCKETS_MS.len() + 1);
        assert_eq!(h[0]["count"], 2, "800us and 0us are within 1 ms");
        assert_eq!(h[3]["count"], 1, "7 ms is within 10 ms");
        assert_eq!(h[8]["count"], 1, "2 s is beyond the last bound");
        assert_eq!(h[8]["upToMilliseconds"], Value::Null);
        assert_eq!(j["latency"]["maxInMilliseconds"], 2000.0);
        assert_eq!(j["snapshotReloads"], 3);
        assert_eq!(j["snapshotGeneration"], 9);
    }

    #[test]
    fn concurrent_recording_loses_nothing() {
        let s = std::sync::Arc::new(Stats::new());
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let s = s.clone();
                std::thread::spawn(move || {
                    for _ in 0..1000 {
                        s.record(&Method::GET, StatusCode::OK, Duration::from_micros(10));
                    }
                })
            })
            .collect();
        for t in threads {
            assert!(t.join().is_ok());
        }
        assert_eq!(s.total(), 4000);
        assert_eq!(s.with_status(200), 4000);
    }

    proptest! {
        #[test]
        fn any_status_and_duration_is_counted_once(code in 100u16..1000, us in any::<u64>()) {
            let s = Stats::new();
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
            s.record(&Method::PUT, status, Duration::from_micros(us));
            prop_assert_eq!(s.total(), 1);
            let j = Value::Object(s.to_json(0, 0));
            let buckets: u64 = j["latency"]["histogram"]
                .as_array()
                .map(|h| h.iter().filter_map(|b| b["count"].as_u64()).sum())
                .unwrap_or(0);
            prop_assert_eq!(buckets, 1);
        }
    }
}
