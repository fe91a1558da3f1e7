//! The end-to-end bench's knobs, read from the environment:
//! `BENCH_SECONDS` (measured seconds per scenario, default 5), `BENCH_WARMUP_SECONDS` (default 1),
//! `BENCH_CONNECTIONS` (comma-separated counts, default `1,8,32`) and `BENCH_OBJECTS`
//! (objects in the startup configuration, default 20,000), `BENCH_SCENARIOS` (comma-separated
//! scenario names to run, e.g. `get-one-token` to profile one path alone; default all).

use std::fmt;
use std::time::Duration;

use crate::BENCH_OBJECTS;

/// The knobs, with their defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub measure: Duration,
    pub warm_up: Duration,
    pub connections: Vec<usize>,
    pub objects: usize,
    /// The scenarios to run; `None` runs them all.
    pub scenarios: Option<Vec<String>>,
}

impl Settings {
    /// Whether the scenario called `name` is to run.
    pub fn runs(&self, name: &str) -> bool {
        self.scenarios
            .as_ref()
            .is_none_or(|list| list.iter().any(|s| s == name))
    }
}

/// A knob that was set to something unreadable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    pub variable: &'static str,
    pub value: String,
    pub expected: &'static str,
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={:?}: expected {}",
            self.variable, self.value, self.expected
        )
    }
}

impl std::error::Error for SettingError {}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Settings, SettingError> {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the knobs through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, SettingError> {
        let measure = seconds(&lookup, "BENCH_SECONDS", 5.0)?;
        let warm_up = seconds(&lookup, "BENCH_WARMUP_SECONDS", 1.0)?;
        let connections = match lookup("BENCH_CONNECTIONS") {
            None => vec![1, 8, 32],
            Some(text) => connection_list(&text).ok_or(SettingError {
                variable: "BENCH_CONNECTIONS",
                value: text,
                expected: "comma-separated connection counts between 1 and 1000, e.g. 1,8,32",
            })?,
        };
        let objects = match lookup("BENCH_OBJECTS") {
            None => BENCH_OBJECTS,
            Some(text) => text
                .trim()
                .parse()
                .ok()
                .filter(|&n| n > 0)
                .ok_or(SettingError {
                    variable: "BENCH_OBJECTS",
                    value: text,
                    expected: "a positive number of objects",
                })?,
        };
        let scenarios = lookup("BENCH_SCENARIOS").map(|text| {
            text.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        });
        Ok(Settings {
            measure,
            warm_up,
            connections,
            objects,
            scenarios,
        })
    }
}

fn seconds(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: f64,
) -> Result<Duration, SettingError> {
    let Some(text) = lookup(variable) else {
        return Ok(Duration::from_secs_f64(default));
    };
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && (0.0..=3600.0).contains(s))
        .map(Duration::from_secs_f64)
        .ok_or(SettingError {
            variable,
            value: text,
            expected: "a number of seconds between 0 and 3600",
        })
}

fn connection_list(text: &str) -> Option<Vec<usize>> {
    let list: Option<Vec<usize>> = text
        .split(',')
        .map(|part| {
            part.trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
        })
        .collect();
    list.filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, &str)]) -> Result<Settings, SettingError> {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(move |name| {
            owned
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn defaults_match_the_stated_bench() {
        let s = with(&[]).expect("defaults");
        assert_eq!(s.measure, Duration::from_secs(5));
        assert_eq!(s.warm_up, Duration::from_secs(1));
        assert_eq!(s.connections, vec![1, 8, 32]);
        assert_eq!(s.objects, 20_000);
        assert!(s.runs("get-one-token") && s.runs("baseline-get"));
    }

    #[test]
    fn scenarios_can_be_chosen() {
        let s = with(&[("BENCH_SCENARIOS", "get-one-token, baseline-get")]).expect("list");
        assert!(s.runs("get-one-token") && s.runs("baseline-get"));
        assert!(!s.runs("post-delete-token"));
    }

    #[test]
    fn overrides_are_read() {
        let s = with(&[
            ("BENCH_SECONDS", "0.5"),
            ("BENCH_CONNECTIONS", " 2, 4 "),
            ("BENCH_OBJECTS", "300"),
        ])
        .expect("overrides");
        assert_eq!(s.measure, Duration::from_millis(500));
        assert_eq!(s.connections, vec![2, 4]);
        assert_eq!(s.objects, 300);
    }

    #[test]
    fn unreadable_values_name_the_variable() {
        for (var, value) in [
            ("BENCH_SECONDS", "soon"),
            ("BENCH_SECONDS", "-1"),
            ("BENCH_CONNECTIONS", "1,,8"),
            ("BENCH_CONNECTIONS", "0"),
            ("BENCH_OBJECTS", "0"),
        ] {
            let err = with(&[(var, value)]).expect_err(value);
            assert_eq!(err.variable, var);
            assert!(err.to_string().contains(var));
        }
    }
}
