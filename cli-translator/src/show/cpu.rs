//! `show cpu usage` (`CPU utilization for 5 seconds = 1%; 1 minute: 2%; 5 minutes: 1%`) and
//! `show cpu usage detailed` (per-core data path and control point figures, then totals).

/// A 5-second, 1-minute and 5-minute figure, in percent.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Averages {
    pub five_seconds: f64,
    pub one_minute: f64,
    pub five_minutes: f64,
}

/// One figure of a core line: `35.0 (22.4 + 12.6)`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CoreFigure {
    pub total: f64,
    pub data_path: f64,
    pub control_point: f64,
}

/// `Core 0   35.0 (22.4 + 12.6)  35.8 (23.6 + 12.2)  35.2 (23.8 + 11.4)`
#[derive(Debug, Clone, PartialEq)]
pub struct CoreUsage {
    /// `Core 0`
    pub core: String,
    pub five_seconds: CoreFigure,
    pub one_minute: CoreFigure,
    pub five_minutes: CoreFigure,
}

/// What `show cpu usage [detailed]` says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CpuUsage {
    /// The total utilisation, when the output carries it.
    pub total: Option<Averages>,
    pub cores: Vec<CoreUsage>,
}

/// `5 seconds = 34.2%; 1 minute: 36.2%; 5 minutes: 36.4%` (anywhere in the line).
pub fn averages(line: &str) -> Option<Averages> {
    let after = |marker: &str| -> Option<f64> {
        let (_, rest) = line.split_once(marker)?;
        super::decimal(rest.split_whitespace().next()?)
    };
    Some(Averages {
        five_seconds: after("5 seconds = ")?,
        one_minute: after("1 minute: ")?,
        five_minutes: after("5 minutes: ")?,
    })
}

fn core_line(line: &str) -> Option<CoreUsage> {
    let rest = line.trim().strip_prefix("Core ")?;
    let (n, figures) = rest.split_once(char::is_whitespace)?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cleaned: String = figures
        .chars()
        .map(|c| if matches!(c, '(' | ')' | '+') { ' ' } else { c })
        .collect();
    let nums = cleaned
        .split_whitespace()
        .map(super::decimal)
        .collect::<Option<Vec<f64>>>()?;
    let [a, b, c, d, e, f, g, h, i] = nums.as_slice() else {
        return None;
    };
    let fig = |total: f64, data_path: f64, control_point: f64| CoreFigure {
        total,
        data_path,
        control_point,
    };
    Some(CoreUsage {
        core: format!("Core {n}"),
        five_seconds: fig(*a, *b, *c),
        one_minute: fig(*d, *e, *f),
        five_minutes: fig(*g, *h, *i),
    })
}

/// Parses `show cpu usage` or `show cpu usage detailed` output.
pub fn parse(text: &str) -> CpuUsage {
    let mut usage = CpuUsage::default();
    let mut heading = "";
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(core) = core_line(trimmed) {
            usage.cores.push(core);
        } else if trimmed.starts_with("CPU utilization for 5 seconds")
            || heading.starts_with("Total CPU utilization for")
        {
            usage.total = usage.total.or(averages(trimmed));
        }
        heading = trimmed;
    }
    usage
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_the_one_line_form() {
        let u = parse("CPU utilization for 5 seconds = 3%; 1 minute: 2%; 5 minutes: 1%\n");
        assert_eq!(
            u.total,
            Some(Averages {
                five_seconds: 3.0,
                one_minute: 2.0,
                five_minutes: 1.0
            })
        );
        assert!(u.cores.is_empty());
    }

    #[test]
    fn reads_cores_and_only_the_total_of_the_detailed_form() {
        let text = "\
Core         5 sec               1 min               5 min
Core 0       10.0 (6.0 + 4.0)    11.0 (7.0 + 4.0)    12.0 (8.0 + 4.0)
Core 1        2.5 (2.5 +  0.0)    3.5 (3.5 +  0.0)    4.5 (4.5 +  0.0)

CPU utilization of external processes for:
      5 seconds = 0.5%; 1 minute: 0.6%; 5 minutes: 0.7%

Total CPU utilization for:
      5 seconds = 6.2%; 1 minute: 7.2%; 5 minutes: 8.2%
";
        let u = parse(text);
        assert_eq!(u.cores.len(), 2);
        assert_eq!(u.cores[0].core, "Core 0");
        assert_eq!(u.cores[0].one_minute.data_path, 7.0);
        assert_eq!(u.cores[1].five_minutes.total, 4.5);
        assert_eq!(u.total.map(|t| t.five_seconds), Some(6.2));
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "(?s).{0,300}") {
            let _ = parse(&text);
        }

        #[test]
        fn near_miss_lines_never_panic(lines in proptest::collection::vec(
            "(Core [0-9]{0,2} [0-9. ()+]{0,30}|Total CPU utilization for:|[0-9] seconds = [0-9.%;]{0,5} 1 minute: [0-9.%;]{0,4} 5 minutes: [0-9.%]{0,4})", 0..8)) {
            let _ = parse(&lines.join("\n"));
        }
    }
}
