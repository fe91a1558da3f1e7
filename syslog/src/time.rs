//! Civil (calendar) time from unix seconds, UTC, and the three timestamp styles syslog lines use.
//!
//! No clock is read here except by [`Timestamp::now`], which only the I/O shells call: every formatter
//! takes a [`Timestamp`] as a parameter so output is golden-testable.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

const SECONDS_PER_DAY: i64 = 86_400;

/// English three-letter month names, as both the ASA and RFC 3164 print them.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Seconds since 1970-01-01T00:00:00Z (may be negative). Always UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// A broken-down UTC date and time. `month` is 1..=12, `day` 1..=31.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilTime {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`);
/// `None` if the result does not fit an `i64`.
///
/// `month` outside 1..=12 or `day` outside the month are not checked: the arithmetic simply
/// rolls over, which [`CivilTime::is_valid`] lets callers rule out first.
pub fn days_from_civil(year: i64, month: u8, day: u8) -> Option<i64> {
    // i128 keeps every intermediate exact for any i64 year; only the result may not fit.
    let month = i128::from(month);
    let day = i128::from(day);
    // Count years from March so the leap day is the last day of the "year".
    let y = i128::from(year) - i128::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // [0, 399]
    let mp = (month + 9) % 12; // March = 0 .. February = 11
    let doy = (153 * mp + 2) / 5 + day - 1; // [0, 365] for valid dates
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096] for valid dates
    i64::try_from(era * 146_097 + doe - 719_468).ok()
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
/// Returns (year, month 1..=12, day 1..=31). Total over all `i64` day counts a `Timestamp` can produce.
pub fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both values are within the ranges noted above, so the narrowing cannot fail.
    (
        year,
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

/// Whether `year` is a leap year in the proleptic Gregorian calendar.
pub fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Number of days in `month` (1..=12) of `year`; 0 for a month out of range.
pub fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl CivilTime {
    /// Whether every field is in range (month 1..=12, day within the month, 00:00:00..23:59:59).
    pub fn is_valid(&self) -> bool {
        (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
            && self.hour < 24
            && self.minute < 60
            && self.second < 60
    }

    /// The three-letter English month name ("Jan".."Dec"); "???" if the month is out of range.
    pub fn month_name(&self) -> &'static str {
        usize::from(self.month)
            .checked_sub(1)
            .and_then(|i| MONTHS.get(i))
            .copied()
            .unwrap_or("???")
    }
}

impl Timestamp {
    /// The current wall-clock time, truncated to whole seconds. Only I/O shells should call this.
    pub fn now() -> Timestamp {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => Timestamp(i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
            Err(before) => Timestamp(
                i64::try_from(before.duration().as_secs())
                    .map(|s| -s)
                    .unwrap_or(i64::MIN),
            ),
        }
    }

    /// The UTC calendar date and time of this instant.
    pub fn civil(self) -> CivilTime {
        let days = self.0.div_euclid(SECONDS_PER_DAY);
        let secs = self.0.rem_euclid(SECONDS_PER_DAY); // [0, 86399]
        let (year, month, day) = civil_from_days(days);
        // secs < 86400, so each part fits in a u8.
        let part = |n: i64| u8::try_from(n).unwrap_or(0);
        CivilTime {
            year,
            month,
            day,
            hour: part(secs / 3600),
            minute: part(secs / 60 % 60),
            second: part(secs % 60),
        }
    }

    /// The instant of a valid civil time; `None` if a field is out of range or the result overflows.
    pub fn from_civil(t: CivilTime) -> Option<Timestamp> {
        if !t.is_valid() {
            return None;
        }
        let days = days_from_civil(t.year, t.month, t.day)?;
        let secs = i64::from(t.hour) * 3600 + i64::from(t.minute) * 60 + i64::from(t.second);
        days.checked_mul(SECONDS_PER_DAY)?
            .checked_add(secs)
            .map(Timestamp)
    }

    /// ASA `logging timestamp` style: `Nov 25 2026 13:20:01` (day zero-padded).
    pub fn asa(self) -> impl fmt::Display {
        Styled(self.civil(), Style::Asa)
    }

    /// RFC 3164 TIMESTAMP: `Nov 25 13:20:01`, day space-padded (`Nov  2 ...`), no year.
    pub fn rfc3164(self) -> impl fmt::Display {
        Styled(self.civil(), Style::Rfc3164)
    }

    /// RFC 5424 / RFC 3339 UTC timestamp without fractions: `2026-11-25T13:20:01Z`.
    pub fn rfc5424(self) -> impl fmt::Display {
        Styled(self.civil(), Style::Rfc5424)
    }
}

/// Which textual form a [`Styled`] prints.
#[derive(Debug, Clone, Copy)]
enum Style {
    Asa,
    Rfc3164,
    Rfc5424,
}

/// A civil time bound to a style, printed without intermediate allocation.
#[derive(Debug, Clone, Copy)]
struct Styled(CivilTime, Style);

impl fmt::Display for Styled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.0;
        match self.1 {
            Style::Asa => write!(
                f,
                "{} {:02} {:04} {:02}:{:02}:{:02}",
                t.month_name(),
                t.day,
                t.year,
                t.hour,
                t.minute,
                t.second
            ),
            Style::Rfc3164 => write!(
                f,
                "{} {:>2} {:02}:{:02}:{:02}",
                t.month_name(),
                t.day,
                t.hour,
                t.minute,
                t.second
            ),
            Style::Rfc5424 => write!(
                f,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                t.year, t.month, t.day, t.hour, t.minute, t.second
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn civil(year: i64, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> CivilTime {
        CivilTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
        }
    }

    #[test]
    fn epoch_is_first_of_january_1970() {
        assert_eq!(Timestamp(0).civil(), civil(1970, 1, 1, 0, 0, 0));
        assert_eq!(Timestamp(0).asa().to_string(), "Jan 01 1970 00:00:00");
        assert_eq!(Timestamp(0).rfc3164().to_string(), "Jan  1 00:00:00");
        assert_eq!(Timestamp(0).rfc5424().to_string(), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn golden_clock_is_twenty_fifth_of_november_2026() {
        // By hand: 1795612801 = 20782 days * 86400 + 48001 s; 48001 s = 13:20:01.
        // 1970..=2025 is 56 years with 14 leap days: 2026-01-01 is day 20454, so day 20782 is
        // index 328 of 2026; Jan..Oct hold 304 days, so it is the 25th day of November.
        let t = Timestamp(1_795_612_801);
        assert_eq!(t.asa().to_string(), "Nov 25 2026 13:20:01");
        assert_eq!(t.rfc3164().to_string(), "Nov 25 13:20:01");
        assert_eq!(t.rfc5424().to_string(), "2026-11-25T13:20:01Z");
        // Three days earlier is the date in the specification's example.
        let t = Timestamp(1_795_612_801 - 3 * 86_400);
        assert_eq!(t.asa().to_string(), "Nov 22 2026 13:20:01");
    }

    #[test]
    fn year_2000_is_a_leap_year_with_february_29() {
        // 2000-01-01: 30 years with 7 leap days = 10957 days.
        assert_eq!(days_from_civil(2000, 1, 1), Some(10_957));
        assert_eq!(
            Timestamp(946_684_800).asa().to_string(),
            "Jan 01 2000 00:00:00"
        );
        // 31 + 28 days later.
        assert_eq!(
            Timestamp(951_782_400).asa().to_string(),
            "Feb 29 2000 00:00:00"
        );
        assert_eq!(
            Timestamp(951_868_799).asa().to_string(),
            "Feb 29 2000 23:59:59"
        );
        assert_eq!(
            Timestamp(951_868_800).asa().to_string(),
            "Mar 01 2000 00:00:00"
        );
    }

    #[test]
    fn leap_rules_follow_the_gregorian_calendar() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2100));
        assert!(!is_leap_year(2026));
        assert_eq!(
            Timestamp(1_709_164_800).asa().to_string(),
            "Feb 29 2024 00:00:00"
        );
        // 2100 is not a leap year: Feb 28 is followed by Mar 1.
        let feb28 = days_from_civil(2100, 2, 28).unwrap();
        assert_eq!(civil_from_days(feb28 + 1), (2100, 3, 1));
    }

    #[test]
    fn negative_seconds_are_before_1970() {
        assert_eq!(Timestamp(-1).asa().to_string(), "Dec 31 1969 23:59:59");
        assert_eq!(Timestamp(-86_400).civil(), civil(1969, 12, 31, 0, 0, 0));
    }

    #[test]
    fn last_second_of_year_9999() {
        assert_eq!(
            Timestamp(253_402_300_799).rfc5424().to_string(),
            "9999-12-31T23:59:59Z"
        );
    }

    #[test]
    fn rfc3164_pads_single_digit_days_with_a_space() {
        // 2026-11-02 = 2026-11-25 minus 23 days.
        let t = Timestamp(1_795_612_801 - 23 * 86_400);
        assert_eq!(t.rfc3164().to_string(), "Nov  2 13:20:01");
        assert_eq!(t.asa().to_string(), "Nov 02 2026 13:20:01");
    }

    #[test]
    fn from_civil_rejects_out_of_range_fields() {
        assert_eq!(Timestamp::from_civil(civil(2026, 2, 29, 0, 0, 0)), None);
        assert_eq!(Timestamp::from_civil(civil(2026, 13, 1, 0, 0, 0)), None);
        assert_eq!(Timestamp::from_civil(civil(2026, 1, 0, 0, 0, 0)), None);
        assert_eq!(Timestamp::from_civil(civil(2026, 1, 1, 24, 0, 0)), None);
        assert_eq!(
            Timestamp::from_civil(civil(2026, 11, 25, 13, 20, 1)),
            Some(Timestamp(1_795_612_801))
        );
    }

    #[test]
    fn from_civil_reports_overflow_instead_of_panicking() {
        assert_eq!(
            Timestamp::from_civil(civil(i64::MAX, 12, 31, 23, 59, 59)),
            None
        );
        assert_eq!(Timestamp::from_civil(civil(i64::MIN, 1, 1, 0, 0, 0)), None);
        assert_eq!(days_from_civil(i64::MAX, 1, 1), None);
    }

    #[test]
    fn now_is_after_this_code_was_written() {
        assert!(Timestamp::now().0 > 1_763_000_000);
    }

    proptest! {
        #[test]
        fn civil_round_trips(secs in -100_000_000_000_000i64..100_000_000_000_000i64) {
            let t = Timestamp(secs);
            let c = t.civil();
            prop_assert!(c.is_valid());
            prop_assert_eq!(Timestamp::from_civil(c), Some(t));
        }

        #[test]
        fn any_i64_formats_without_panicking(secs in any::<i64>()) {
            let t = Timestamp(secs);
            prop_assert!(t.civil().is_valid());
            prop_assert!(t.rfc5424().to_string().ends_with('Z'));
            prop_assert!(!t.asa().to_string().is_empty());
            prop_assert!(!t.rfc3164().to_string().is_empty());
        }

        #[test]
        fn consecutive_days_advance_the_date(days in -3_000_000i64..3_000_000i64) {
            let (y, m, d) = civil_from_days(days);
            prop_assert_eq!(days_from_civil(y, m, d), Some(days));
            let (y2, m2, d2) = civil_from_days(days + 1);
            prop_assert!((y2, m2, d2) > (y, m, d));
        }
    }
}
