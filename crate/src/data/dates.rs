//! Calendar dates in cells, and durations between them.
//!
//! Accepted forms: ISO `2021-03-04` (optionally followed by a time), `2021/03/04`, day-first or
//! month-first with `/`, `.` or `-` (`04/03/2021`, `4.3.2021`), two-digit years are refused as
//! ambiguous, and month names (`4 Mar 2021`, `04-Mar-2021`, `Mar 4, 2021`, English). Whether
//! `04/03/2021` is 4 March or 3 April is decided per column ([`DateOrder`]): a column whose
//! first numbers exceed 12 is day-first, one whose second numbers do is month-first, and a
//! column where both readings are possible everywhere needs the user's choice (default
//! day-first, as in most of the world; the report says which was used).

use serde::{Deserialize, Serialize};

/// How to read dates like 04/03/2021.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrder {
    /// Decide from the column's values; day-first when every value allows both readings.
    #[default]
    Auto,
    DayFirst,
    MonthFirst,
}

/// A calendar date as days since 1970-01-01.
pub type Days = i64;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> Days {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let d = i64::from(d);
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day count (inverse of [`days_from_civil`]).
pub fn civil_from_days(z: Days) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// ISO text of a day count.
pub fn format_date(days: Days) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

fn valid(y: i64, m: u32, d: u32) -> Option<Days> {
    if !(1800..=2200).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn month_name(s: &str) -> Option<u32> {
    let l = s.to_ascii_lowercase();
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if l.len() < 3 {
        return None;
    }
    let l = if l == "sept" { "sep".to_string() } else { l };
    names
        .iter()
        .position(|n| l.starts_with(n) && n.starts_with(&l[..3]))
        .map(|i| i as u32 + 1)
}

/// The numeric parts of a date cell: (a, b, year) for a-b-year forms, or a complete date.
enum Parsed {
    Complete(Days),
    /// Two leading numbers and a four-digit year, order unknown.
    Ambiguous(u32, u32, i64),
}

fn parse_parts(cell: &str) -> Option<Parsed> {
    let t = cell.trim();
    // Drop a time part: "2021-03-04 10:00", "2021-03-04T10:00:00".
    let date_part = t.split(['T', ' ']).next().unwrap_or(t);
    let fields: Vec<&str> = date_part
        .split(['-', '/', '.'])
        .filter(|f| !f.is_empty())
        .collect();
    if fields.len() == 3 && fields.iter().all(|f| f.bytes().all(|b| b.is_ascii_digit())) {
        // Every field is a run of digits; ones too long for a day or month (`2021-4294967297-1`)
        // are not dates, rather than being cut down to 32 bits.
        let n: Vec<i64> = fields.iter().filter_map(|f| f.parse().ok()).collect();
        if n.len() != 3 {
            return None;
        }
        if fields[0].len() == 4 {
            return valid(n[0], u32::try_from(n[1]).ok()?, u32::try_from(n[2]).ok()?)
                .map(Parsed::Complete);
        }
        if fields[2].len() == 4 && n[0] <= 31 && n[1] <= 31 {
            return Some(Parsed::Ambiguous(
                u32::try_from(n[0]).ok()?,
                u32::try_from(n[1]).ok()?,
                n[2],
            ));
        }
        return None;
    }
    // Month names: "4 Mar 2021", "04-Mar-2021", "Mar 4, 2021", "March 4 2021".
    let words: Vec<&str> = t
        .split([' ', '-', ',', '/', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() == 3 {
        // Digits only: no sign ("+4 Mar 2021" is not a date), and a day must fit in 32 bits
        // before it is checked (so "4294967300 Mar 2021" is not the 4th).
        let num = |w: &str| {
            if w.bytes().all(|b| b.is_ascii_digit()) {
                w.parse::<i64>().ok()
            } else {
                None
            }
        };
        let day = |d: i64| u32::try_from(d).ok();
        if let (Some(d), Some(m), Some(y)) = (num(words[0]), month_name(words[1]), num(words[2])) {
            if words[2].len() == 4 {
                return valid(y, m, day(d)?).map(Parsed::Complete);
            }
        }
        if let (Some(m), Some(d), Some(y)) = (month_name(words[0]), num(words[1]), num(words[2])) {
            if words[2].len() == 4 {
                return valid(y, m, day(d)?).map(Parsed::Complete);
            }
        }
    }
    None
}

/// Decides the order of a column's ambiguous dates from its values.
pub fn detect_order<'a>(cells: impl Iterator<Item = &'a str>) -> DateOrder {
    let mut day_first = false;
    let mut month_first = false;
    for c in cells {
        if let Some(Parsed::Ambiguous(a, b, _)) = parse_parts(c) {
            if a > 12 {
                day_first = true;
            }
            if b > 12 {
                month_first = true;
            }
        }
    }
    match (day_first, month_first) {
        (false, true) => DateOrder::MonthFirst,
        _ => DateOrder::DayFirst,
    }
}

/// Parses a date cell with a known order. `None` if it is not a date.
///
/// ```
/// use survcalc::data::dates::{parse_date, format_date, DateOrder};
/// let d = parse_date("04/03/2021", DateOrder::DayFirst).unwrap();
/// assert_eq!(format_date(d), "2021-03-04");
/// assert_eq!(parse_date("2021-02-30", DateOrder::DayFirst), None);
/// ```
pub fn parse_date(cell: &str, order: DateOrder) -> Option<Days> {
    match parse_parts(cell)? {
        Parsed::Complete(d) => Some(d),
        Parsed::Ambiguous(a, b, y) => match order {
            DateOrder::MonthFirst => valid(y, a, b),
            _ => valid(y, b, a),
        },
    }
}

/// The unit of a derived duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeUnit {
    Days,
    Weeks,
    /// Months of 30.4375 days (365.25 / 12), the usual convention in oncology.
    #[default]
    Months,
    /// Years of 365.25 days.
    Years,
}

impl TimeUnit {
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 7.0,
            TimeUnit::Months => 30.4375,
            TimeUnit::Years => 365.25,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Days => "days",
            TimeUnit::Weeks => "weeks",
            TimeUnit::Months => "months",
            TimeUnit::Years => "years",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for z in [-100_000, -1, 0, 59, 60, 11_016, 20_000, 100_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn forms() {
        let d = days_from_civil(2021, 3, 4);
        for s in [
            "2021-03-04",
            "2021/3/4",
            "2021-03-04 10:30",
            "2021-03-04T10:30:00",
            "4 Mar 2021",
            "04-Mar-2021",
            "Mar 4, 2021",
            "March 4 2021",
        ] {
            assert_eq!(parse_date(s, DateOrder::DayFirst), Some(d), "{s}");
        }
        assert_eq!(parse_date("04/03/2021", DateOrder::DayFirst), Some(d));
        assert_eq!(parse_date("03/04/2021", DateOrder::MonthFirst), Some(d));
        assert_eq!(parse_date("4.3.2021", DateOrder::DayFirst), Some(d));
        assert_eq!(parse_date("04/03/21", DateOrder::DayFirst), None);
        assert_eq!(parse_date("2021-13-01", DateOrder::DayFirst), None);
        assert_eq!(
            parse_date("2020-02-29", DateOrder::DayFirst),
            Some(days_from_civil(2020, 2, 29))
        );
        assert_eq!(parse_date("2021-02-29", DateOrder::DayFirst), None);
        assert_eq!(parse_date("12", DateOrder::DayFirst), None);
    }

    #[test]
    fn numbers_too_large_for_a_day_or_month_are_not_cut_to_32_bits() {
        // 4294967297 = 2^32 + 1 and 4294967300 = 2^32 + 4 were once read as 1 and 4 (an `as u32`
        // cast), and a day with a plus sign was accepted.
        for s in [
            "2021-4294967297-01",
            "2021-01-4294967297",
            "4294967300 Mar 2021",
            "Mar 4294967300, 2021",
            "+4 Mar 2021",
        ] {
            assert_eq!(parse_date(s, DateOrder::DayFirst), None, "{s}");
            assert_eq!(parse_date(s, DateOrder::MonthFirst), None, "{s}");
        }
    }

    #[test]
    fn order_detection() {
        assert_eq!(
            detect_order(["13/01/2020", "01/02/2020"].into_iter()),
            DateOrder::DayFirst
        );
        assert_eq!(
            detect_order(["01/13/2020", "01/02/2020"].into_iter()),
            DateOrder::MonthFirst
        );
        assert_eq!(
            detect_order(["01/02/2020"].into_iter()),
            DateOrder::DayFirst
        );
    }
}
