//! The end-to-end bench's summary: one line per scenario in a stable, greppable format
//! (`scenario connections req/s p50_ms p99_ms ratio errors`), then `name value unit` figures.

use std::fmt::Write as _;

/// One measured scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub scenario: String,
    pub connections: usize,
    /// Successful iterations per second (a POST+DELETE pair counts once).
    pub rate: f64,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    /// `rate` divided by the baseline's rate at the same connection count, where there is one.
    pub ratio: Option<f64>,
    pub errors: usize,
    /// CPU time the server side (daemon and agent process) spent per successful iteration
    /// during the measured period, in microseconds: unlike `rate`, hardly moved by what else
    /// runs on the machine.
    pub cpu_us: Option<f64>,
}

/// One other figure (parse time, memory...).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
    /// The stated target, as text (`<= 40 MB`), if any.
    pub target: Option<String>,
}

const HEADER: &str = "scenario connections req/s p50_ms p99_ms ratio errors cpu_us";

/// The summary table: a header line, then one line per row, fields separated by spaces and
/// padded into columns; a missing value prints as `-`.
pub fn table(rows: &[Row]) -> String {
    let cells: Vec<[String; 8]> = rows
        .iter()
        .map(|row| {
            [
                row.scenario.clone(),
                row.connections.to_string(),
                format!("{:.1}", row.rate),
                opt(row.p50_ms, 3),
                opt(row.p99_ms, 3),
                opt(row.ratio, 3),
                row.errors.to_string(),
                opt(row.cpu_us, 1),
            ]
        })
        .collect();
    let header: Vec<&str> = HEADER.split(' ').collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for line in &cells {
        for (width, cell) in widths.iter_mut().zip(line.iter()) {
            *width = (*width).max(cell.len());
        }
    }
    let mut out = String::new();
    push_line(&mut out, header.iter().copied(), &widths);
    for line in &cells {
        push_line(&mut out, line.iter().map(String::as_str), &widths);
    }
    out
}

/// The figures, one `name value unit [target ...]` line each.
pub fn figures(figures: &[Figure]) -> String {
    let width = figures.iter().map(|f| f.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for figure in figures {
        let _ = write!(
            out,
            "{:<width$} {:.1} {}",
            figure.name, figure.value, figure.unit
        );
        if let Some(target) = &figure.target {
            let _ = write!(out, " (target {target})");
        }
        out.push('\n');
    }
    out
}

/// One row as a single progress line, printed while the bench runs.
pub fn progress(row: &Row) -> String {
    format!(
        "{} x{}: {:.1} req/s, p50 {} ms, p99 {} ms, {} errors, server cpu {} us/iteration",
        row.scenario,
        row.connections,
        row.rate,
        opt(row.p50_ms, 3),
        opt(row.p99_ms, 3),
        row.errors,
        opt(row.cpu_us, 1)
    )
}

fn opt(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.decimals$}"))
}

fn push_line<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>, widths: &[usize]) {
    let mut line = String::new();
    for (i, (cell, width)) in cells.zip(widths.iter()).enumerate() {
        if i > 0 {
            line.push(' ');
        }
        if i == 0 {
            let _ = write!(line, "{cell:<width$}");
        } else {
            let _ = write!(line, "{cell:>width$}");
        }
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(scenario: &str, connections: usize, ratio: Option<f64>) -> Row {
        Row {
            scenario: scenario.to_owned(),
            connections,
            rate: 1234.56,
            p50_ms: Some(0.8123),
            p99_ms: None,
            ratio,
            errors: 0,
            cpu_us: (connections == 1).then_some(61.04),
        }
    }

    #[test]
    fn table_has_a_header_and_one_line_per_row_with_the_same_fields() {
        let text = table(&[
            row("get-one-token", 1, Some(0.5)),
            row("baseline", 32, None),
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[0].split_whitespace().collect::<Vec<_>>(),
            HEADER.split(' ').collect::<Vec<_>>()
        );
        assert_eq!(
            lines[1].split_whitespace().collect::<Vec<_>>(),
            [
                "get-one-token",
                "1",
                "1234.6",
                "0.812",
                "-",
                "0.500",
                "0",
                "61.0"
            ]
        );
        assert_eq!(
            lines[2].split_whitespace().collect::<Vec<_>>(),
            ["baseline", "32", "1234.6", "0.812", "-", "-", "0", "-"]
        );
    }

    #[test]
    fn columns_line_up() {
        let text = table(&[row("a", 1, None), row("a-much-longer-name", 32, None)]);
        // Right-aligned columns: the third field ends at the same place on every line.
        let ends: Vec<usize> = text.lines().map(|l| end_of_field(l, 2)).collect();
        assert!(ends.windows(2).all(|w| w[0] == w[1]), "{text}");
    }

    fn end_of_field(line: &str, index: usize) -> usize {
        let mut fields = 0;
        let mut in_field = false;
        for (i, c) in line.char_indices() {
            if c == ' ' {
                if in_field && fields == index + 1 {
                    return i;
                }
                in_field = false;
            } else if !in_field {
                in_field = true;
                fields += 1;
            }
        }
        line.len()
    }

    #[test]
    fn progress_names_the_scenario_and_its_figures() {
        assert_eq!(
            progress(&row("get-one-basic", 8, None)),
            "get-one-basic x8: 1234.6 req/s, p50 0.812 ms, p99 - ms, 0 errors, server cpu - us/iteration"
        );
    }

    #[test]
    fn figures_print_name_value_unit_and_target() {
        let text = figures(&[
            Figure {
                name: "agent_rss".into(),
                value: 31.26,
                unit: "MB",
                target: Some("<= 40 MB".into()),
            },
            Figure {
                name: "parse_20000_objects".into(),
                value: 12.0,
                unit: "ms",
                target: None,
            },
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0].split_whitespace().collect::<Vec<_>>(),
            ["agent_rss", "31.3", "MB", "(target", "<=", "40", "MB)"]
        );
        assert_eq!(
            lines[1].split_whitespace().collect::<Vec<_>>(),
            ["parse_20000_objects", "12.0", "ms"]
        );
    }
}
