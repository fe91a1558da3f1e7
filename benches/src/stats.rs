//! Latency samples and their percentiles.

use std::time::Duration;

/// Recorded latencies, in microseconds.
#[derive(Debug, Clone, Default)]
pub struct Latencies {
    micros: Vec<u64>,
    sorted: bool,
}

impl Latencies {
    /// Records one sample.
    pub fn push(&mut self, latency: Duration) {
        self.micros
            .push(u64::try_from(latency.as_micros()).unwrap_or(u64::MAX));
        self.sorted = false;
    }

    /// Adds every sample of `other`.
    pub fn extend(&mut self, other: Latencies) {
        self.micros.extend(other.micros);
        self.sorted = false;
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.micros.len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.micros.is_empty()
    }

    /// The `q`-quantile (0.0 ..= 1.0) by the nearest-rank method, or `None` without samples.
    pub fn quantile(&mut self, q: f64) -> Option<Duration> {
        if !self.sorted {
            self.micros.sort_unstable();
            self.sorted = true;
        }
        let n = self.micros.len();
        if n == 0 {
            return None;
        }
        let q = q.clamp(0.0, 1.0);
        // Nearest rank: the smallest sample with at least q of the samples at or below it.
        let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
        self.micros
            .get(rank - 1)
            .map(|&us| Duration::from_micros(us))
    }
}

/// Milliseconds with fractions, for printing.
pub fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(values: &[u64]) -> Latencies {
        let mut l = Latencies::default();
        for &v in values {
            l.push(Duration::from_micros(v));
        }
        l
    }

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let mut l = of(&(1..=100).rev().collect::<Vec<_>>());
        assert_eq!(l.quantile(0.5), Some(Duration::from_micros(50)));
        assert_eq!(l.quantile(0.99), Some(Duration::from_micros(99)));
        assert_eq!(l.quantile(1.0), Some(Duration::from_micros(100)));
        assert_eq!(l.quantile(0.0), Some(Duration::from_micros(1)));
    }

    #[test]
    fn no_samples_has_no_quantile() {
        assert_eq!(Latencies::default().quantile(0.5), None);
    }

    #[test]
    fn extending_resorts_before_the_next_quantile() {
        let mut l = of(&[10, 20]);
        assert_eq!(l.quantile(1.0), Some(Duration::from_micros(20)));
        l.extend(of(&[5, 30]));
        assert_eq!(l.len(), 4);
        assert_eq!(l.quantile(1.0), Some(Duration::from_micros(30)));
        assert_eq!(l.quantile(0.25), Some(Duration::from_micros(5)));
    }

    #[test]
    fn millis_keeps_fractions() {
        assert!((millis(Duration::from_micros(1500)) - 1.5).abs() < 1e-9);
    }
}
