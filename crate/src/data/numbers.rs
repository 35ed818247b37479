//! Decimal marks and thousands separators in text files, decided per column.
//!
//! A column is read with one *reading*: a decimal mark (`.` or `,`) and a thousands separator
//! (none, `,`, `.`, space, `'`; never the decimal mark). A cell is **number-like** when, after
//! trimming and an optional sign, it is digits and single separators (`.`, `,`, `'`, space,
//! U+00A0, U+202F) with at least one digit, not ending in a separator, optionally followed by an
//! exponent (`e5`, `E-3`). A number-like cell is **valid** under a reading when
//!
//! * the decimal mark occurs at most once, after every other separator, and is followed by
//!   digits (the fraction);
//! * every other separator is the thousands separator, and then the integer part is grouped in
//!   3s: a first group of 1–3 digits that does not start with 0, then groups of exactly 3.
//!   Integers without any separator are valid under every reading.
//!
//! **Auto rule.** The candidate readings are tried in this order, and the column takes the first
//! one under which *every* number-like cell of the column is valid (cells that are not
//! number-like, such as `12 %` or `n/a`, are left as they are and do not vote):
//!
//! * files not separated by commas: `.` alone, `,` alone, `,` with `.`, `,` with space, `,` with
//!   `'`, `.` with `,`, `.` with space, `.` with `'`;
//! * comma-separated files (where a comma in a number must be quoted, and decimal commas are
//!   not expected): `.` alone, `.` with `,`, `.` with space, `.` with `'`.
//!
//! If no candidate fits every number-like cell the column is left exactly as written. So `1,5`
//! is never read as 15 (a group of one digit is not a thousands group), `12.345` stays 12.345
//! (the plain reading comes first), `1.234,5` and `1 234,5` are 1234.5, `1,234.5` is 1234.5, and
//! a column holding both `1.234` and `2,5` is read as 1234 and 2.5 (a column does not mix
//! decimal marks, so there the point must group thousands). In a semicolon file a lone `1,234`
//! is 1.234: decimal commas are what such exports use.
//!
//! **Forced choices** (see [`super::options`]) keep only the candidates that match them; if none
//! fits every cell, the first of them is used anyway and only the cells valid under it are
//! converted (the others stay as written, and a later step that needs a number names them).

use super::options::{Decimal, Thousands};

/// The separator classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    Point,
    Comma,
    Space,
    Apostrophe,
}

/// A reading: decimal mark and thousands separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// `true` for a decimal comma.
    pub decimal_comma: bool,
    pub thousands: Option<char>,
}

impl Reading {
    const PLAIN: Reading = Reading {
        decimal_comma: false,
        thousands: None,
    };

    fn decimal_sep(self) -> Sep {
        if self.decimal_comma {
            Sep::Comma
        } else {
            Sep::Point
        }
    }

    fn thousands_sep(self) -> Option<Sep> {
        self.thousands.map(|c| match c {
            ',' => Sep::Comma,
            '.' => Sep::Point,
            '\'' => Sep::Apostrophe,
            _ => Sep::Space,
        })
    }

    /// The separator as shown to the user: `,` `.` `space` `'`.
    pub fn thousands_name(self) -> Option<&'static str> {
        self.thousands.map(|c| match c {
            ',' => ",",
            '.' => ".",
            '\'' => "'",
            _ => "space",
        })
    }
}

const fn r(decimal_comma: bool, thousands: Option<char>) -> Reading {
    Reading {
        decimal_comma,
        thousands,
    }
}

/// Every reading, in the auto order of files not separated by commas.
const ALL: [Reading; 8] = [
    r(false, None),
    r(true, None),
    r(true, Some('.')),
    r(true, Some(' ')),
    r(true, Some('\'')),
    r(false, Some(',')),
    r(false, Some(' ')),
    r(false, Some('\'')),
];

/// The candidate readings, in order, for a file (comma-separated or not) and the user's choices.
pub fn candidates(comma_file: bool, decimal: Decimal, thousands: Thousands) -> Vec<Reading> {
    ALL.iter()
        .copied()
        .filter(|c| match decimal {
            Decimal::Auto => !(comma_file && c.decimal_comma),
            Decimal::Point => !c.decimal_comma,
            Decimal::Comma => c.decimal_comma,
        })
        .filter(|c| match thousands {
            Thousands::Auto => true,
            Thousands::None => c.thousands.is_none(),
            Thousands::Comma => c.thousands == Some(','),
            Thousands::Point => c.thousands == Some('.'),
            Thousands::Space => c.thousands == Some(' '),
            Thousands::Apostrophe => c.thousands == Some('\''),
        })
        .collect()
}

const MAX_SEPS: usize = 16;

/// A number-like cell taken apart: sign, digit runs separated by separators, exponent.
struct Parts<'a> {
    negative: bool,
    /// Digit runs; `runs.len() == seps + 1`.
    runs: [&'a str; MAX_SEPS + 1],
    seps: [Sep; MAX_SEPS],
    n_seps: usize,
    exponent: &'a str,
}

fn sep_at(t: &str, i: usize) -> Option<(Sep, usize)> {
    let b = t.as_bytes()[i];
    match b {
        b'.' => Some((Sep::Point, 1)),
        b',' => Some((Sep::Comma, 1)),
        b'\'' => Some((Sep::Apostrophe, 1)),
        b' ' => Some((Sep::Space, 1)),
        0xC2 if t.as_bytes().get(i + 1) == Some(&0xA0) => Some((Sep::Space, 2)),
        0xE2 if t.as_bytes().get(i + 1..i + 3) == Some(&[0x80, 0xAF]) => Some((Sep::Space, 3)),
        _ => None,
    }
}

fn split(cell: &str) -> Option<Parts<'_>> {
    let t = cell.trim_matches(|c: char| c.is_whitespace());
    let (negative, t) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    // The exponent: the last 'e'/'E' followed by an optional sign and digits.
    let (body, exponent) = match t.rfind(['e', 'E']) {
        Some(i) => {
            let e = &t[i + 1..];
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (&t[..i], &t[i..])
        }
        None => (t, ""),
    };
    let mut parts = Parts {
        negative,
        runs: [""; MAX_SEPS + 1],
        seps: [Sep::Point; MAX_SEPS],
        n_seps: 0,
        exponent,
    };
    let bytes = body.as_bytes();
    let mut start = 0;
    let mut i = 0;
    let mut any_digit = false;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            any_digit = true;
            i += 1;
            continue;
        }
        let (sep, width) = sep_at(body, i)?;
        // Two separators in a row, or too many, are not a number.
        if (i == start && parts.n_seps > 0) || parts.n_seps == MAX_SEPS {
            return None;
        }
        parts.runs[parts.n_seps] = &body[start..i];
        parts.seps[parts.n_seps] = sep;
        parts.n_seps += 1;
        i += width;
        start = i;
    }
    if !any_digit || start == bytes.len() && parts.n_seps > 0 {
        return None;
    }
    parts.runs[parts.n_seps] = &body[start..];
    Some(parts)
}

impl Parts<'_> {
    /// The integer runs and the fraction under a reading, or None when invalid under it.
    fn layout(&self, reading: Reading) -> Option<(usize, Option<&str>)> {
        let dec = reading.decimal_sep();
        let th = reading.thousands_sep();
        let seps = &self.seps[..self.n_seps];
        let n_int_runs = match seps.iter().position(|&s| s == dec) {
            Some(p) if p + 1 == seps.len() => p + 1,
            Some(_) => return None,
            None => seps.len() + 1,
        };
        let fraction = (n_int_runs <= seps.len()).then(|| self.runs[seps.len()]);
        let int_runs = &self.runs[..n_int_runs];
        if n_int_runs > 1 {
            if th.is_none() || seps[..n_int_runs - 1].iter().any(|&s| Some(s) != th) {
                return None;
            }
            let first = int_runs[0];
            if first.is_empty() || first.len() > 3 || first.starts_with('0') {
                return None;
            }
            if int_runs[1..].iter().any(|g| g.len() != 3) {
                return None;
            }
        }
        if int_runs[0].is_empty() && fraction.is_none() {
            return None;
        }
        Some((n_int_runs, fraction))
    }

    fn canonical(&self, reading: Reading) -> Option<String> {
        let (n_int, fraction) = self.layout(reading)?;
        let mut out = String::with_capacity(24);
        if self.negative {
            out.push('-');
        }
        for run in &self.runs[..n_int] {
            out.push_str(run);
        }
        if let Some(f) = fraction {
            out.push('.');
            out.push_str(f);
        }
        out.push_str(self.exponent);
        Some(out)
    }
}

/// The outcome for one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnReading {
    pub reading: Reading,
    /// Whether some cell had a decimal comma.
    pub decimal_comma_used: bool,
    /// Whether some cell had a thousands separator.
    pub thousands_used: bool,
}

/// Quick classes of cells, so most cells of most files skip [`split`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quick {
    /// Digits with a sign or an exponent but no separator: valid, unchanged, under every reading.
    Integer,
    /// Digits with one '.' that cannot be a thousands group (`12.5`, `0.123`): valid, unchanged,
    /// under the decimal-point readings only.
    PointDecimal,
    /// Anything else: take it apart.
    Other,
}

fn quick(cell: &str) -> Quick {
    let mut points = 0;
    for b in cell.bytes() {
        match b {
            b'0'..=b'9' | b'-' | b'+' | b'e' | b'E' => {}
            b'.' => points += 1,
            _ => return Quick::Other,
        }
    }
    match points {
        0 => Quick::Integer,
        1 if !looks_grouped(cell) => Quick::PointDecimal,
        _ => Quick::Other,
    }
}

/// `1.234` could be 1234 under a '.' thousands separator.
fn looks_grouped(cell: &str) -> bool {
    match cell.split_once('.') {
        Some((int, frac)) => {
            let int = int.trim_start_matches(['-', '+']);
            frac.len() == 3
                && (1..=3).contains(&int.len())
                && !int.starts_with('0')
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Chooses the reading of a column among `candidates` (see the module documentation).
pub fn choose<'a>(
    cells: impl Iterator<Item = &'a str>,
    candidates: &[Reading],
    forced: bool,
) -> ColumnReading {
    let mut alive: u32 = (1u32 << candidates.len()) - 1;
    let mut comma_seen = false;
    let mut thousands_seen = [false; 8];
    let point_mask: u32 = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.decimal_comma)
        .fold(0, |m, (i, _)| m | 1 << i);
    for cell in cells {
        match quick(cell) {
            Quick::Integer => continue,
            Quick::PointDecimal => {
                alive &= point_mask;
                if alive == 0 && !forced {
                    break;
                }
                continue;
            }
            Quick::Other => {}
        }
        let Some(parts) = split(cell) else { continue };
        let mut admitted = 0u32;
        for (i, &c) in candidates.iter().enumerate() {
            if let Some((n_int, fraction)) = parts.layout(c) {
                admitted |= 1 << i;
                if n_int > 1 {
                    thousands_seen[i] = true;
                }
                if c.decimal_comma && fraction.is_some() {
                    comma_seen = true;
                }
            }
        }
        alive &= admitted;
        if alive == 0 && !forced {
            break;
        }
    }
    let chosen = if alive == 0 {
        if forced {
            candidates.first().map(|&c| (0, c))
        } else {
            None
        }
    } else {
        let i = alive.trailing_zeros() as usize;
        Some((i, candidates[i]))
    };
    match chosen {
        Some((i, reading)) => ColumnReading {
            reading,
            decimal_comma_used: reading.decimal_comma && comma_seen,
            thousands_used: thousands_seen[i],
        },
        None => ColumnReading {
            reading: Reading::PLAIN,
            decimal_comma_used: false,
            thousands_used: false,
        },
    }
}

/// The cell rewritten with a '.' decimal point and no thousands separators, if it is valid
/// under `reading` and needs rewriting.
pub fn convert(cell: &str, reading: Reading) -> Option<String> {
    if reading == Reading::PLAIN || quick(cell) != Quick::Other {
        return None;
    }
    let parts = split(cell)?;
    let out = parts.canonical(reading)?;
    (out != cell).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(cells: &[&str], comma_file: bool) -> (Reading, Vec<String>) {
        let cands = candidates(comma_file, Decimal::Auto, Thousands::Auto);
        let c = choose(cells.iter().copied(), &cands, false);
        let out = cells
            .iter()
            .map(|&s| convert(s, c.reading).unwrap_or_else(|| s.to_string()))
            .collect();
        (c.reading, out)
    }

    #[test]
    fn split_cells() {
        assert!(split("12 %").is_none());
        assert!(split("n/a").is_none());
        assert!(split("1,,5").is_none());
        assert!(split("1,").is_none());
        assert!(split("2020-01-01").is_none());
        assert!(split("1e").is_none());
        assert!(split(".").is_none());
        assert!(split("-1.5e-3").is_some());
        assert!(split("1\u{a0}234,5").is_some());
    }

    // Hand-derived: each line is the column's cells and what they must read as.
    #[test]
    fn decimal_comma_file() {
        assert_eq!(auto(&["1,5", "-0,25"], false).1, ["1.5", "-0.25"]);
        // A group of one digit is no thousands group: never 15.
        assert_eq!(auto(&["1,5", "3"], false).1, ["1.5", "3"]);
        // Plain first: an ID-like column stays decimal.
        assert_eq!(auto(&["12.345", "98.765"], false).1, ["12.345", "98.765"]);
        // A lone "1,234" in a semicolon file is a decimal comma.
        assert_eq!(auto(&["1,234"], false).1, ["1.234"]);
        assert_eq!(auto(&["1.234,5", "3,25"], false).1, ["1234.5", "3.25"]);
        assert_eq!(auto(&["1 234,5", "12"], false).1, ["1234.5", "12"]);
        assert_eq!(auto(&["1\u{a0}234,5"], false).1, ["1234.5"]);
        assert_eq!(auto(&["1\u{202f}234\u{202f}567"], false).1, ["1234567"]);
        assert_eq!(auto(&["1'234.5"], false).1, ["1234.5"]);
        // A column does not mix decimal marks: here the point groups thousands.
        assert_eq!(auto(&["1.234", "2,5"], false).1, ["1234", "2.5"]);
        // … unless it cannot: "2.5" is not a group, so the column stays as written.
        assert_eq!(auto(&["1,5", "2.5"], false).1, ["1,5", "2.5"]);
        // Two commas: the comma groups thousands.
        assert_eq!(auto(&["1,234", "1,234,567"], false).1, ["1234", "1234567"]);
        assert_eq!(auto(&["1,234.5"], false).1, ["1234.5"]);
        // A leading zero group is not grouping: 0,123 is a decimal.
        assert_eq!(auto(&["0,123", "1.234,5"], false).1, ["0.123", "1234.5"]);
        // Dates with points are not numbers under any reading: left alone.
        assert_eq!(auto(&["01.02.2020", "3,5"], false).1, ["01.02.2020", "3,5"]);
        // Text cells do not vote and stay.
        assert_eq!(auto(&["1,5", "x,y", "NA"], false).1, ["1.5", "x,y", "NA"]);
        // Mixed separators in one column: no single reading fits, nothing changes.
        assert_eq!(
            auto(&["1.234,5", "1 234,5"], false).1,
            ["1.234,5", "1 234,5"]
        );
    }

    #[test]
    fn comma_file() {
        // Quoted cells of a comma file: no decimal commas in auto.
        assert_eq!(auto(&["1,5"], true).1, ["1,5"]);
        assert_eq!(auto(&["1,234.5", "17"], true).1, ["1234.5", "17"]);
        assert_eq!(auto(&["1,234", "999"], true).1, ["1234", "999"]);
        assert_eq!(auto(&["1,234", "1,5"], true).1, ["1,234", "1,5"]);
        assert_eq!(auto(&["12.345"], true).1, ["12.345"]);
    }

    #[test]
    fn forced() {
        let cands = candidates(true, Decimal::Comma, Thousands::Auto);
        let c = choose(["1,5", "2"].into_iter(), &cands, true);
        assert!(c.reading.decimal_comma && c.decimal_comma_used);
        assert_eq!(convert("1,5", c.reading).as_deref(), Some("1.5"));
        // Forced '.' thousands: 12.345 is 12345.
        let cands = candidates(false, Decimal::Auto, Thousands::Point);
        let c = choose(["12.345"].into_iter(), &cands, true);
        assert_eq!(convert("12.345", c.reading).as_deref(), Some("12345"));
        assert!(c.thousands_used);
        // Forced none: 1.234,5 fits no candidate; the first (decimal point) is used and the
        // cell stays as written.
        let cands = candidates(false, Decimal::Point, Thousands::None);
        let c = choose(["1.234,5"].into_iter(), &cands, true);
        assert_eq!(convert("1.234,5", c.reading), None);
    }
}
