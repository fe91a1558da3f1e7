//! Output filters of `show` and `more` commands, as the ASA takes them after the first `|`:
//!
//! ```text
//! show ... | include <regex>     lines that match
//! show ... | exclude <regex>     lines that do not match
//! show ... | begin <regex>       from the first line that matches
//! show ... | grep [-v] <regex>   as include (exclude with -v)
//! show ... | count [<regex>]     "Number of lines which match regexp = N"
//! ```
//!
//! The regular expression is the rest of the line, spaces and further `|` included (the ASA
//! reads `show run | include a|b` as the alternation `a|b`); it is unanchored and
//! case-sensitive. Keywords may be abbreviated (`| in`, `| ex`, `| b`).

use regex::Regex;

use super::error::CliError;
use super::session::abbrev;

/// What a filter keeps.
#[derive(Debug, Clone)]
pub enum Filter {
    Include(Regex),
    Exclude(Regex),
    Begin(Regex),
    Count(Option<Regex>),
}

/// Splits `line` at its first `|`: the command, and its filter if there is one.
pub fn split(line: &str) -> Result<(&str, Option<Filter>), CliError> {
    let Some(bar) = line.find('|') else {
        return Ok((line, None));
    };
    let command = line.get(..bar).unwrap_or(line).trim_end();
    let after = line.get(bar + 1..).unwrap_or("");
    let keyword_at = bar + 1 + (after.len() - after.trim_start().len());
    let rest = after.trim_start();
    let (keyword, tail) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if keyword.is_empty() {
        return Err(CliError::Incomplete);
    }
    let mut pattern = tail.trim_start();
    let mut pattern_at = line.len() - pattern.len();
    let regex = |p: &str, at: usize| -> Result<Regex, CliError> {
        if p.is_empty() {
            return Err(CliError::Incomplete);
        }
        Regex::new(p).map_err(|_| CliError::invalid(line, at))
    };
    let filter = if abbrev(keyword, "include", 1) {
        Filter::Include(regex(pattern, pattern_at)?)
    } else if abbrev(keyword, "exclude", 1) {
        Filter::Exclude(regex(pattern, pattern_at)?)
    } else if abbrev(keyword, "begin", 1) {
        Filter::Begin(regex(pattern, pattern_at)?)
    } else if abbrev(keyword, "grep", 1) {
        let invert = pattern.split_whitespace().next() == Some("-v");
        if invert {
            let after_flag = pattern.get(2..).unwrap_or("").trim_start();
            pattern_at = line.len() - after_flag.len();
            pattern = after_flag;
        }
        let r = regex(pattern, pattern_at)?;
        if invert {
            Filter::Exclude(r)
        } else {
            Filter::Include(r)
        }
    } else if abbrev(keyword, "count", 1) {
        if pattern.is_empty() {
            Filter::Count(None)
        } else {
            Filter::Count(Some(regex(pattern, pattern_at)?))
        }
    } else {
        return Err(CliError::invalid(line, keyword_at));
    };
    Ok((command, Some(filter)))
}

impl Filter {
    /// The output as the filter leaves it.
    pub fn apply(&self, output: &str) -> String {
        let mut out = String::with_capacity(output.len().min(4096));
        match self {
            Filter::Include(r) => {
                for l in output.lines().filter(|l| r.is_match(l)) {
                    out.push_str(l);
                    out.push('\n');
                }
            }
            Filter::Exclude(r) => {
                for l in output.lines().filter(|l| !r.is_match(l)) {
                    out.push_str(l);
                    out.push('\n');
                }
            }
            Filter::Begin(r) => {
                for l in output.lines().skip_while(|l| !r.is_match(l)) {
                    out.push_str(l);
                    out.push('\n');
                }
            }
            Filter::Count(r) => {
                let n = output
                    .lines()
                    .filter(|l| r.as_ref().is_none_or(|r| r.is_match(l)))
                    .count();
                out = format!("Number of lines which match regexp = {n}\n");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "hostname fw\nobject network web\n host 10.0.0.1\nobject network db\n host 10.0.0.2\naccess-list a extended permit ip any any\n";

    fn run(line: &str) -> String {
        match split(line) {
            Ok((_, Some(f))) => f.apply(OUT),
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn include_exclude_begin_grep_and_count() {
        assert_eq!(
            run("show run | include object"),
            "object network web\nobject network db\n"
        );
        assert_eq!(
            run("show run | in host 10\\.0\\.0\\.[2-9]"),
            " host 10.0.0.2\n"
        );
        assert_eq!(
            run("show run | exclude ^ "),
            "hostname fw\nobject network web\nobject network db\naccess-list a extended permit ip any any\n"
        );
        assert_eq!(
            run("show run | begin network db"),
            "object network db\n host 10.0.0.2\naccess-list a extended permit ip any any\n"
        );
        assert_eq!(
            run("show run | grep web|db"),
            "object network web\nobject network db\n"
        );
        assert_eq!(
            run("show run | grep -v host"),
            "object network web\nobject network db\naccess-list a extended permit ip any any\n"
        );
        assert_eq!(
            run("show run | count host"),
            "Number of lines which match regexp = 3\n"
        );
        assert_eq!(
            run("show run | count"),
            "Number of lines which match regexp = 6\n"
        );
    }

    #[test]
    fn the_command_is_what_precedes_the_bar() {
        let (cmd, f) = split("show running-config object | include web").unwrap();
        assert_eq!(cmd, "show running-config object");
        assert!(f.is_some());
        let (cmd, f) = split("show version").unwrap();
        assert_eq!(cmd, "show version");
        assert!(f.is_none());
    }

    #[test]
    fn refuses_unknown_filters_and_bad_expressions_with_a_caret() {
        let line = "show run | sort x";
        assert_eq!(split(line).err(), Some(CliError::invalid(line, 11)));
        let line = "show run | include a(b";
        assert_eq!(split(line).err(), Some(CliError::invalid(line, 19)));
        assert_eq!(
            split("show run | include").err(),
            Some(CliError::Incomplete)
        );
        assert_eq!(split("show run |").err(), Some(CliError::Incomplete));
    }
}
