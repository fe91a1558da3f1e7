//! Time ranges: `/api/objects/timeranges`, kind `object#TimeRange`.
//!
//! ASA syntax (configuration mode):
//! ```text
//! time-range <name>
//!  absolute [start <hh:mm> <day> <Month> <year>] [end <hh:mm> <day> <Month> <year>]
//!  periodic <days> <h:mm> to [<day>] <h:mm>
//! no time-range <name>
//! ```
//! `<days>` is `daily`, `weekdays`, `weekend` or a list of day names; `periodic Wednesday 8:00
//! to Thursday 17:00` spans days. A time range holds at most one `absolute` line and any number
//! of `periodic` lines.
//!
//! JSON: `{"kind":"object#TimeRange","name":"work","objectId":"work","value":{"start":"now" |
//! "08:00 Jan 01 2025","end":"never" | "...","periodic":[{"frequency":"weekdays","startHour":8,
//! "startMinute":0,"endHour":18,"endMinute":0}]}}`. `frequency` is `daily`, `weekdays`, `weekend`,
//! a day list written with a trailing space (`"Tuesday Thursday "`, as clients send it) or a span
//! (`"Wednesday to Thursday"`). Months are read in full or abbreviated, written abbreviated.

use std::fmt;

use serde_json::{Map, Value, json};

use super::field::json_u32;
use super::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, Type};
use crate::validate::check_object_name;

/// One `time-range`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeRange {
    pub name: String,
    /// `absolute start ...`; `None` is "now".
    pub start: Option<Moment>,
    /// `absolute end ...`; `None` is "never".
    pub end: Option<Moment>,
    pub periodic: Vec<Periodic>,
}

/// A date and time of an `absolute` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment {
    pub year: u16,
    /// 1 to 12.
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
}

/// One `periodic` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Periodic {
    pub frequency: Frequency,
    pub start_hour: u8,
    pub start_minute: u8,
    pub end_hour: u8,
    pub end_minute: u8,
}

/// The days a `periodic` line applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    Weekdays,
    Weekend,
    /// Each listed day, from start to end time.
    Days(Vec<Day>),
    /// From the start time on `from` to the end time on `to`.
    Span {
        from: Day,
        to: Day,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Day {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

const DAYS: [(Day, &str); 7] = [
    (Day::Monday, "Monday"),
    (Day::Tuesday, "Tuesday"),
    (Day::Wednesday, "Wednesday"),
    (Day::Thursday, "Thursday"),
    (Day::Friday, "Friday"),
    (Day::Saturday, "Saturday"),
    (Day::Sunday, "Sunday"),
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Years the ASA clock accepts in a time range.
const YEARS: std::ops::RangeInclusive<u16> = 1993..=2035;

impl Day {
    fn name(self) -> &'static str {
        DAYS.iter()
            .find(|(d, _)| *d == self)
            .map_or("Monday", |(_, n)| n)
    }

    fn parse(word: &str) -> Option<Day> {
        DAYS.iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(word))
            .map(|(d, _)| *d)
    }
}

impl fmt::Display for Frequency {
    /// The CLI spelling of the days before the start time (a span prints its first day only).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Frequency::Daily => f.write_str("daily"),
            Frequency::Weekdays => f.write_str("weekdays"),
            Frequency::Weekend => f.write_str("weekend"),
            Frequency::Days(days) => {
                let names: Vec<&str> = days.iter().map(|d| d.name()).collect();
                f.write_str(&names.join(" "))
            }
            Frequency::Span { from, .. } => f.write_str(from.name()),
        }
    }
}

impl Frequency {
    fn to_json(&self) -> String {
        match self {
            Frequency::Days(days) => {
                let mut s = String::new();
                for d in days {
                    s.push_str(d.name());
                    s.push(' ');
                }
                s
            }
            Frequency::Span { from, to } => format!("{} to {}", from.name(), to.name()),
            other => other.to_string(),
        }
    }

    fn from_json(text: &str) -> Option<Frequency> {
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            [w] if w.eq_ignore_ascii_case("daily") => Some(Frequency::Daily),
            [w] if w.eq_ignore_ascii_case("weekdays") => Some(Frequency::Weekdays),
            [w] if w.eq_ignore_ascii_case("weekend") => Some(Frequency::Weekend),
            [a, t, b] if t.eq_ignore_ascii_case("to") => Some(Frequency::Span {
                from: Day::parse(a)?,
                to: Day::parse(b)?,
            }),
            [] => None,
            days => days_list(days),
        }
    }
}

/// A list of distinct day names.
fn days_list(words: &[&str]) -> Option<Frequency> {
    let mut days: Vec<Day> = Vec::with_capacity(words.len());
    for w in words {
        let d = Day::parse(w)?;
        if days.contains(&d) {
            return None;
        }
        days.push(d);
    }
    Some(Frequency::Days(days))
}

impl Moment {
    /// `08:00 01 January 2025` (the CLI form).
    fn cli(&self) -> String {
        format!(
            "{:02}:{:02} {:02} {} {}",
            self.hour,
            self.minute,
            self.day,
            month_name(self.month),
            self.year
        )
    }

    /// `08:00 Jan 01 2025` (the JSON form).
    fn json(&self) -> String {
        let month = month_name(self.month);
        format!(
            "{:02}:{:02} {} {:02} {}",
            self.hour,
            self.minute,
            month.get(..3).unwrap_or(month),
            self.day,
            self.year
        )
    }

    /// Checks the ranges; the day must exist in its month.
    fn new(hour: u8, minute: u8, day: u8, month: u8, year: u16) -> Option<Moment> {
        let valid = hour < 24
            && minute < 60
            && (1..=12).contains(&month)
            && YEARS.contains(&year)
            && day >= 1
            && day <= days_in_month(month, year);
        valid.then_some(Moment {
            year,
            month,
            day,
            hour,
            minute,
        })
    }
}

fn month_name(month: u8) -> &'static str {
    usize::from(month)
        .checked_sub(1)
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or("January")
}

/// 1-based month from a full or three-letter English name.
fn parse_month(word: &str) -> Option<u8> {
    MONTHS.iter().zip(1u8..).find_map(|(m, n)| {
        let full = m.eq_ignore_ascii_case(word);
        let short = word.len() == 3 && m.get(..3).is_some_and(|s| s.eq_ignore_ascii_case(word));
        (full || short).then_some(n)
    })
}

fn days_in_month(month: u8, year: u16) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `h:mm` or `hh:mm`.
fn parse_clock(word: &str) -> Option<(u8, u8)> {
    let (h, m) = word.split_once(':')?;
    let digits = |s: &str, max_len| {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u8>().ok())
            .flatten()
    };
    let (h, m) = (digits(h, 2)?, digits(m, 2)?);
    (h < 24 && m < 60 && word.len() >= 4).then_some((h, m))
}

/// `<hh:mm> <day> <Month> <year>` (CLI order).
fn parse_cli_moment(words: &[&str]) -> Option<Moment> {
    let [clock, day, month, year] = words else {
        return None;
    };
    let (hour, minute) = parse_clock(clock)?;
    Moment::new(
        hour,
        minute,
        day.parse().ok()?,
        parse_month(month)?,
        year.parse().ok()?,
    )
}

/// `<hh:mm> <Mon> <day> <year>` (JSON order).
fn parse_json_moment(text: &str) -> Option<Moment> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let [clock, month, day, year] = words.as_slice() else {
        return None;
    };
    let (hour, minute) = parse_clock(clock)?;
    Moment::new(
        hour,
        minute,
        day.parse().ok()?,
        parse_month(month)?,
        year.parse().ok()?,
    )
}

impl Periodic {
    /// The line without the leading space: `periodic weekdays 8:00 to 18:00`.
    fn cli(&self) -> String {
        let end_day = match &self.frequency {
            Frequency::Span { to, .. } => format!("{} ", to.name()),
            _ => String::new(),
        };
        format!(
            "periodic {} {}:{:02} to {end_day}{}:{:02}",
            self.frequency, self.start_hour, self.start_minute, self.end_hour, self.end_minute
        )
    }

    /// Reads the words after `periodic`.
    fn parse_cli(words: &[&str]) -> Option<Periodic> {
        let to = words.iter().position(|w| w.eq_ignore_ascii_case("to"))?;
        let (before, after) = words.split_at(to);
        let after = after.get(1..)?;
        let (start_clock, start_days) = before.split_last()?;
        let (end_clock, end_days) = after.split_last()?;
        let (start_hour, start_minute) = parse_clock(start_clock)?;
        let (end_hour, end_minute) = parse_clock(end_clock)?;
        let frequency = match (start_days, end_days) {
            ([from], [to]) => Frequency::Span {
                from: Day::parse(from)?,
                to: Day::parse(to)?,
            },
            (days, []) => Frequency::from_json(&days.join(" "))?,
            _ => return None,
        };
        Some(Periodic {
            frequency,
            start_hour,
            start_minute,
            end_hour,
            end_minute,
        })
    }

    fn to_json(&self) -> Value {
        json!({
            "frequency": self.frequency.to_json(),
            "startHour": self.start_hour,
            "startMinute": self.start_minute,
            "endHour": self.end_hour,
            "endMinute": self.end_minute,
        })
    }

    fn from_json(v: &Value, at: &str) -> Result<Periodic, FieldError> {
        let map = v.as_object().ok_or_else(|| {
            FieldError::new(
                at,
                FieldProblem::WrongType {
                    expected: "an object",
                },
            )
        })?;
        let attr = |name: &str| format!("{at}.{name}");
        let text = match map.get("frequency") {
            None | Some(Value::Null) => {
                return Err(FieldError::new(attr("frequency"), FieldProblem::Missing));
            }
            Some(v) => json_str(v, &attr("frequency"))?,
        };
        let frequency = Frequency::from_json(text).ok_or_else(|| {
            FieldError::new(
                attr("frequency"),
                FieldProblem::BadValue(format!(
                    "'{}' is not daily, weekdays, weekend, a list of days or 'Day to Day'",
                    text.trim()
                )),
            )
        })?;
        let number = |name: &str, max: u32| -> Result<u8, FieldError> {
            let v = match map.get(name) {
                None | Some(Value::Null) => {
                    return Err(FieldError::new(attr(name), FieldProblem::Missing));
                }
                Some(v) => json_u32(v, &attr(name))?,
            };
            if v > max {
                return Err(FieldError::new(
                    attr(name),
                    FieldProblem::BadValue(format!("{v} is above {max}")),
                ));
            }
            Ok(u8::try_from(v).unwrap_or(u8::MAX))
        };
        Ok(Periodic {
            frequency,
            start_hour: number("startHour", 23)?,
            start_minute: number("startMinute", 59)?,
            end_hour: number("endHour", 23)?,
            end_minute: number("endMinute", 59)?,
        })
    }
}

impl TimeRange {
    /// The ` absolute ...` line, when the range has a start or an end.
    fn absolute(&self) -> Option<String> {
        if self.start.is_none() && self.end.is_none() {
            return None;
        }
        let mut line = " absolute".to_owned();
        if let Some(s) = &self.start {
            line.push_str(" start ");
            line.push_str(&s.cli());
        }
        if let Some(e) = &self.end {
            line.push_str(" end ");
            line.push_str(&e.cli());
        }
        Some(line)
    }

    fn value_json(&self) -> Value {
        json!({
            "start": self.start.map_or_else(|| "now".to_owned(), |m| m.json()),
            "end": self.end.map_or_else(|| "never".to_owned(), |m| m.json()),
            "periodic": self.periodic.iter().map(Periodic::to_json).collect::<Vec<_>>(),
        })
    }
}

/// Reads `value.start` / `value.end`.
fn moment_from_json(
    v: Option<&Value>,
    attr: &str,
    open: &str,
    keep: Option<Option<Moment>>,
) -> Result<Option<Moment>, FieldError> {
    match (v, keep) {
        (None, Some(existing)) => Ok(existing),
        (None | Some(Value::Null), _) => Ok(None),
        (Some(v), _) => {
            let text = json_str(v, attr)?.trim();
            if text.eq_ignore_ascii_case(open) || text.is_empty() {
                return Ok(None);
            }
            parse_json_moment(text).map(Some).ok_or_else(|| {
                FieldError::new(
                    attr,
                    FieldProblem::BadValue(format!(
                        "'{text}' is not '{open}' or 'HH:MM Mon DD YYYY' (years {} to {})",
                        YEARS.start(),
                        YEARS.end()
                    )),
                )
            })
        }
    }
}

/// One `periodic` entry of a time range.
pub static PERIODIC_SCHEMA: Object = Object {
    name: "TimeRangePeriodic",
    description: "A recurring window: days and a start and end time of day.",
    fields: &[
        Field::new(
            "frequency",
            Type::Str,
            "`daily`, `weekdays`, `weekend`, day names (`Tuesday Thursday `) or `Monday to Friday`.",
        )
        .required(),
        Field::new("startHour", HOUR, "Hour the window opens (0-23).").required(),
        Field::new("startMinute", MINUTE, "Minute the window opens (0-59).").required(),
        Field::new("endHour", HOUR, "Hour the window closes (0-23).").required(),
        Field::new("endMinute", MINUTE, "Minute the window closes (0-59).").required(),
    ],
    kinds: &[],
    ours: false,
};

/// The `value` of a time range.
pub static VALUE_SCHEMA: Object = Object {
    name: "TimeRangeValue",
    description: "When a time range is active: an absolute window and recurring windows.",
    fields: &[
        Field::new("start", Type::Str, "`now` or `HH:MM Mon DD YYYY`."),
        Field::new("end", Type::Str, "`never` or `HH:MM Mon DD YYYY`."),
        Field::new(
            "periodic",
            Type::Array(&Type::Object(&PERIODIC_SCHEMA)),
            "Recurring windows within the absolute one.",
        ),
    ],
    kinds: &[],
    ours: false,
};

const HOUR: Type = Type::Int {
    min: Some(0),
    max: Some(23),
};
const MINUTE: Type = Type::Int {
    min: Some(0),
    max: Some(59),
};

/// `object#TimeRange`.
pub static SCHEMA: Object = Object {
    name: "TimeRange",
    description: "A named time range that access rules can refer to.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The time range's name (its objectId).").required(),
        Field::new(
            "value",
            Type::Object(&VALUE_SCHEMA),
            "When the range is active; always active when left out.",
        ),
    ],
    kinds: &["object#TimeRange"],
    ours: false,
};

impl Resource for TimeRange {
    const KIND: &'static str = "object#TimeRange";
    const COLLECTION_KIND: &'static str = "collection#TimeRange";
    const PATH: &'static str = "/api/objects/timeranges";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "time-range ";

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut map = Map::new();
        map.insert("kind".into(), Value::from(Self::KIND));
        map.insert("selfLink".into(), Value::from(self_link));
        map.insert("name".into(), Value::from(self.name.as_str()));
        map.insert("value".into(), self.value_json());
        map.insert("objectId".into(), Value::from(self.name.as_str()));
        Value::Object(map)
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body
            .as_object()
            .ok_or_else(|| FieldError::new("", FieldProblem::NotObject))?;
        let given_name = match map.get("name") {
            None | Some(Value::Null) => None,
            Some(v) => Some(json_str(v, "name")?),
        };
        let (name, base) = match mode {
            WriteMode::Create => {
                let name =
                    given_name.ok_or_else(|| FieldError::new("name", FieldProblem::Missing))?;
                check_object_name(name)
                    .map_err(|e| FieldError::new("name", FieldProblem::Value(e)))?;
                (name.to_owned(), None)
            }
            WriteMode::Replace { id, .. } => (same_name(given_name, id)?, None),
            WriteMode::Patch { id, existing } => (same_name(given_name, id)?, Some(existing)),
        };
        let value = match map.get("value") {
            None | Some(Value::Null) => None,
            Some(Value::Object(v)) => Some(v),
            Some(_) => {
                return Err(FieldError::new(
                    "value",
                    FieldProblem::WrongType {
                        expected: "an object",
                    },
                ));
            }
        };
        let Some(value) = value else {
            return Ok(match base {
                Some(existing) => existing.clone(),
                None => TimeRange {
                    name,
                    start: None,
                    end: None,
                    periodic: Vec::new(),
                },
            });
        };
        let start = moment_from_json(
            value.get("start"),
            "value.start",
            "now",
            base.map(|b| b.start),
        )?;
        let end = moment_from_json(value.get("end"), "value.end", "never", base.map(|b| b.end))?;
        if let (Some(s), Some(e)) = (start, end)
            && s >= e
        {
            return Err(FieldError::new(
                "value.end",
                FieldProblem::BadValue("the end must be later than the start".into()),
            ));
        }
        let periodic = match (value.get("periodic"), base) {
            (None, Some(existing)) => existing.periodic.clone(),
            (None | Some(Value::Null), _) => Vec::new(),
            (Some(Value::Array(items)), _) => {
                let mut out: Vec<Periodic> = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let p = Periodic::from_json(item, &format!("value.periodic[{i}]"))?;
                    // The ASA keeps one copy of a repeated line.
                    if !out.contains(&p) {
                        out.push(p);
                    }
                }
                out
            }
            (Some(_), _) => {
                return Err(FieldError::new(
                    "value.periodic",
                    FieldProblem::WrongType {
                        expected: "an array",
                    },
                ));
            }
        };
        Ok(TimeRange {
            name,
            start,
            end,
            periodic,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        let mut lines = vec![format!("time-range {}", self.name)];
        lines.extend(self.absolute());
        lines.extend(self.periodic.iter().map(|p| format!(" {}", p.cli())));
        lines
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let mut subs = Vec::new();
        match (old.absolute(), new.absolute()) {
            (a, Some(b)) if a.as_ref() != Some(&b) => subs.push(b),
            (Some(_), None) => subs.push(" no absolute".to_owned()),
            _ => {}
        }
        if old.periodic != new.periodic {
            // Appending keeps the order; anything else is rewritten in the new order.
            let appended = new.periodic.starts_with(&old.periodic);
            let keep = if appended { old.periodic.len() } else { 0 };
            if !appended {
                subs.extend(old.periodic.iter().map(|p| format!(" no {}", p.cli())));
            }
            subs.extend(
                new.periodic
                    .iter()
                    .skip(keep)
                    .map(|p| format!(" {}", p.cli())),
            );
        }
        if subs.is_empty() {
            return subs;
        }
        let mut lines = vec![format!("time-range {}", new.name)];
        lines.extend(subs);
        lines
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("no time-range {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let name = rest.trim();
        if check_object_name(name).is_err() {
            return;
        }
        let mut range = TimeRange {
            name: name.to_owned(),
            start: None,
            end: None,
            periodic: Vec::new(),
        };
        for child in children {
            let words: Vec<&str> = child.split_whitespace().collect();
            match words.split_first() {
                Some((&"absolute", rest)) => {
                    let (start, end) = parse_absolute(rest);
                    range.start = start;
                    range.end = end;
                }
                Some((&"periodic", rest)) => {
                    if let Some(p) = Periodic::parse_cli(rest)
                        && !range.periodic.contains(&p)
                    {
                        range.periodic.push(p);
                    }
                }
                _ => {}
            }
        }
        collection.insert(range);
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.time_ranges
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.time_ranges
    }
}

/// The words after `absolute`: `[start <4 words>] [end <4 words>]`.
fn parse_absolute(words: &[&str]) -> (Option<Moment>, Option<Moment>) {
    let mut start = None;
    let mut end = None;
    let mut rest = words;
    while let Some((keyword, tail)) = rest.split_first() {
        let moment = tail.get(..4).and_then(parse_cli_moment);
        match *keyword {
            "start" => start = moment,
            "end" => end = moment,
            _ => break,
        }
        rest = tail.get(4..).unwrap_or(&[]);
    }
    (start, end)
}

/// The name of a PUT/PATCH body: absent, or equal to the id.
fn same_name(given: Option<&str>, id: &str) -> Result<String, FieldError> {
    match given {
        Some(n) if n != id => Err(FieldError::new("name", FieldProblem::Mismatch)),
        _ => Ok(id.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LINK: &str = "https://asa/api/objects/timeranges/work";

    fn create(body: Value) -> Result<TimeRange, FieldError> {
        TimeRange::from_json(&body, WriteMode::Create)
    }

    fn work() -> TimeRange {
        TimeRange {
            name: "work".into(),
            start: Moment::new(8, 0, 1, 1, 2025),
            end: Moment::new(17, 30, 31, 12, 2025),
            periodic: vec![
                Periodic {
                    frequency: Frequency::Weekdays,
                    start_hour: 8,
                    start_minute: 0,
                    end_hour: 18,
                    end_minute: 0,
                },
                Periodic {
                    frequency: Frequency::Span {
                        from: Day::Wednesday,
                        to: Day::Thursday,
                    },
                    start_hour: 22,
                    start_minute: 5,
                    end_hour: 6,
                    end_minute: 0,
                },
            ],
        }
    }

    #[test]
    fn writes_the_documented_json() {
        assert_eq!(
            work().to_json(LINK),
            json!({
                "kind": "object#TimeRange",
                "selfLink": LINK,
                "name": "work",
                "objectId": "work",
                "value": {
                    "start": "08:00 Jan 01 2025",
                    "end": "17:30 Dec 31 2025",
                    "periodic": [
                        {"frequency": "weekdays", "startHour": 8, "startMinute": 0, "endHour": 18, "endMinute": 0},
                        {"frequency": "Wednesday to Thursday", "startHour": 22, "startMinute": 5, "endHour": 6, "endMinute": 0},
                    ],
                },
            })
        );
    }

    #[test]
    fn prints_asa_cli() {
        assert_eq!(
            work().cli_create(),
            [
                "time-range work",
                " absolute start 08:00 01 January 2025 end 17:30 31 December 2025",
                " periodic weekdays 8:00 to 18:00",
                " periodic Wednesday 22:05 to Thursday 6:00",
            ]
        );
        assert_eq!(work().cli_delete(), ["no time-range work"]);
    }

    #[test]
    fn day_lists_keep_the_clients_trailing_space() {
        let t = create(json!({"name": "t", "value": {"periodic": [
            {"frequency": "Tuesday Thursday Saturday ", "startHour": "9", "startMinute": 0, "endHour": 17, "endMinute": 45}
        ]}}))
        .unwrap();
        assert_eq!(
            t.cli_create(),
            [
                "time-range t",
                " periodic Tuesday Thursday Saturday 9:00 to 17:45"
            ]
        );
        assert_eq!(
            t.to_json(LINK)["value"]["periodic"][0]["frequency"],
            "Tuesday Thursday Saturday "
        );
        assert_eq!(t.to_json(LINK)["value"]["start"], "now");
        assert_eq!(t.to_json(LINK)["value"]["end"], "never");
    }

    #[test]
    fn reads_full_and_short_month_names_and_now_never() {
        let t =
            create(json!({"name": "t", "value": {"start": "now", "end": "7:05 February 29 2028"}}))
                .unwrap();
        assert_eq!(t.start, None);
        assert_eq!(t.end, Moment::new(7, 5, 29, 2, 2028));
        assert_eq!(
            t.cli_create(),
            ["time-range t", " absolute end 07:05 29 February 2028"]
        );
        let empty = create(json!({"name": "t"})).unwrap();
        assert_eq!(empty.cli_create(), ["time-range t"]);
    }

    #[test]
    fn rejects_bad_values_naming_the_attribute() {
        let bad = [
            (json!({"start": "25:00 Jan 01 2025"}), "value.start"),
            (json!({"start": "08:00 Feb 29 2025"}), "value.start"),
            (json!({"start": "08:00 Jan 01 2036"}), "value.start"),
            (json!({"end": "tomorrow"}), "value.end"),
            (
                json!({"start": "08:00 Jan 02 2025", "end": "08:00 Jan 01 2025"}),
                "value.end",
            ),
            (
                json!({"periodic": [{"frequency": "Funday", "startHour": 1, "startMinute": 0, "endHour": 2, "endMinute": 0}]}),
                "value.periodic[0].frequency",
            ),
            (
                json!({"periodic": [{"frequency": "Monday Monday", "startHour": 1, "startMinute": 0, "endHour": 2, "endMinute": 0}]}),
                "value.periodic[0].frequency",
            ),
            (
                json!({"periodic": [{"frequency": "daily", "startHour": 24, "startMinute": 0, "endHour": 2, "endMinute": 0}]}),
                "value.periodic[0].startHour",
            ),
            (
                json!({"periodic": [{"frequency": "daily", "startHour": 1, "startMinute": 0, "endHour": 2}]}),
                "value.periodic[0].endMinute",
            ),
            (json!({"periodic": "daily"}), "value.periodic"),
            (json!("x"), "value"),
        ];
        for (value, attr) in bad {
            let e = create(json!({"name": "t", "value": value.clone()})).expect_err(attr);
            assert_eq!(e.attribute, attr, "{value}");
        }
        let e = create(json!({"name": "bad name"})).map_err(|e| e.attribute);
        assert_eq!(e, Err("name".to_owned()));
    }

    #[test]
    fn patch_merges_and_replace_resets() {
        let existing = work();
        let patch = WriteMode::Patch {
            id: "work",
            existing: &existing,
        };
        let t = TimeRange::from_json(&json!({"value": {"end": "never"}}), patch).unwrap();
        assert_eq!(t.end, None);
        assert_eq!(t.start, existing.start);
        assert_eq!(t.periodic, existing.periodic);
        let replace = WriteMode::Replace {
            id: "work",
            existing: &existing,
        };
        let t = TimeRange::from_json(&json!({"value": {"end": "never"}}), replace).unwrap();
        assert_eq!((t.start, t.periodic.len()), (None, 0));
        let e = TimeRange::from_json(&json!({"name": "other"}), replace);
        assert_eq!(e, Err(FieldError::new("name", FieldProblem::Mismatch)));
    }

    #[test]
    fn replace_appends_or_rewrites_periodic_lines() {
        let old = work();
        assert!(TimeRange::cli_replace(&old, &old).is_empty());
        let mut appended = work();
        appended.periodic.push(Periodic {
            frequency: Frequency::Daily,
            start_hour: 0,
            start_minute: 0,
            end_hour: 1,
            end_minute: 0,
        });
        appended.end = None;
        appended.start = None;
        assert_eq!(
            TimeRange::cli_replace(&old, &appended),
            [
                "time-range work",
                " no absolute",
                " periodic daily 0:00 to 1:00"
            ]
        );
        let mut reordered = work();
        reordered.periodic.reverse();
        assert_eq!(
            TimeRange::cli_replace(&old, &reordered),
            [
                "time-range work",
                " no periodic weekdays 8:00 to 18:00",
                " no periodic Wednesday 22:05 to Thursday 6:00",
                " periodic Wednesday 22:05 to Thursday 6:00",
                " periodic weekdays 8:00 to 18:00",
            ]
        );
    }

    #[test]
    fn reads_asa_spellings_from_the_configuration() {
        let cfg = RunningConfig::parse(
            "time-range r\n absolute start 8:00 1 jan 2025\n periodic Monday Friday 08:00 to 09:30\n periodic bogus\ntime-range bad name\n",
        );
        let r = cfg.time_ranges.get("r").cloned().unwrap();
        assert_eq!(r.start, Moment::new(8, 0, 1, 1, 2025));
        assert_eq!(r.end, None);
        assert_eq!(
            r.periodic,
            [Periodic {
                frequency: Frequency::Days(vec![Day::Monday, Day::Friday]),
                start_hour: 8,
                start_minute: 0,
                end_hour: 9,
                end_minute: 30,
            }]
        );
        assert_eq!(cfg.time_ranges.len(), 1);
    }

    fn day() -> impl Strategy<Value = Day> {
        prop::sample::select(DAYS.iter().map(|(d, _)| *d).collect::<Vec<_>>())
    }

    fn frequency() -> impl Strategy<Value = Frequency> {
        prop_oneof![
            Just(Frequency::Daily),
            Just(Frequency::Weekdays),
            Just(Frequency::Weekend),
            prop::sample::subsequence(DAYS.iter().map(|(d, _)| *d).collect::<Vec<_>>(), 1..=7)
                .prop_shuffle()
                .prop_map(Frequency::Days),
            (day(), day()).prop_map(|(from, to)| Frequency::Span { from, to }),
        ]
    }

    fn moment() -> impl Strategy<Value = Moment> {
        (0u8..24, 0u8..60, 1u8..=28, 1u8..=12, YEARS).prop_map(|(h, m, d, mo, y)| Moment {
            year: y,
            month: mo,
            day: d,
            hour: h,
            minute: m,
        })
    }

    fn valid_range() -> impl Strategy<Value = TimeRange> {
        let periodic = (frequency(), 0u8..24, 0u8..60, 0u8..24, 0u8..60).prop_map(
            |(frequency, start_hour, start_minute, end_hour, end_minute)| Periodic {
                frequency,
                start_hour,
                start_minute,
                end_hour,
                end_minute,
            },
        );
        (
            crate::strategies::object_name(),
            prop::option::of(moment()),
            prop::option::of(moment()),
            prop::collection::vec(periodic, 0..4),
        )
            .prop_map(|(name, a, b, mut periodic)| {
                let (start, end) = match (a, b) {
                    (Some(a), Some(b)) if a == b => (Some(a), None),
                    (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
                    other => other,
                };
                let mut seen = Vec::new();
                periodic.retain(|p| {
                    let new = !seen.contains(p);
                    seen.push(p.clone());
                    new
                });
                TimeRange {
                    name,
                    start,
                    end,
                    periodic,
                }
            })
    }

    proptest! {
        #[test]
        fn json_round_trips(t in valid_range()) {
            let json = t.to_json(LINK);
            prop_assert_eq!(TimeRange::from_json(&json, WriteMode::Create), Ok(t));
        }

        #[test]
        fn json_to_cli_to_config_is_identity(t in valid_range()) {
            let mut text = t.cli_create().join("\n");
            text.push('\n');
            let cfg = RunningConfig::parse(&text);
            prop_assert_eq!(cfg.time_ranges.get(&t.name), Some(&t));
        }

        #[test]
        fn arbitrary_input_never_panics(freq in "\\PC{0,30}", when in "\\PC{0,30}", n in any::<i64>()) {
            let body = json!({"name": "t", "value": {"start": when, "end": when, "periodic": [
                {"frequency": freq, "startHour": n, "startMinute": n, "endHour": 1, "endMinute": 1}
            ]}});
            let _ = create(body);
            let text = format!("time-range t\n absolute start {when}\n periodic {freq} to {when}\n");
            let _ = RunningConfig::parse(&text);
        }
    }
}
