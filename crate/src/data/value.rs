//! Cell values: missing-value codes and numbers.

/// Cell texts read as missing (compared after trimming, case-insensitively): the empty cell,
/// `NA`, `N/A`, `NaN`, `.`, `-`, `unknown`, `missing`, `null`, `none`, `#N/A`.
pub const MISSING_CODES: &[&str] = &[
    "", "na", "n/a", "nan", ".", "-", "unknown", "missing", "null", "none", "#n/a",
];

/// Whether a cell is a missing-value code.
pub fn is_missing(cell: &str) -> bool {
    let t = cell.trim();
    if t.is_empty() {
        return true;
    }
    if t.len() > 8 || t.as_bytes()[0].is_ascii_digit() {
        return false;
    }
    MISSING_CODES.iter().any(|m| m.eq_ignore_ascii_case(t))
}

/// Parses a number: optional sign, digits, a '.' decimal point, an exponent; surrounding
/// whitespace is ignored. Infinity and NaN spellings are not numbers here.
pub fn parse_number(cell: &str) -> Option<f64> {
    let t = cell.trim();
    if t.is_empty() {
        return None;
    }
    // Whole numbers of up to 15 digits (most cells of most files) are exact without the float
    // parser.
    if t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Some(t.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64);
    }
    let ok = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !ok {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_codes() {
        for m in ["", " ", "NA", "n/a", ".", "-", "Unknown", "#N/A"] {
            assert!(is_missing(m), "{m:?}");
        }
        for v in ["0", "1", "abc", "na1"] {
            assert!(!is_missing(v), "{v:?}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number(" 1.5 "), Some(1.5));
        assert_eq!(parse_number("-2e3"), Some(-2000.0));
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("1,5"), None);
        assert_eq!(parse_number("12abc"), None);
        assert_eq!(parse_number("007"), Some(7.0));
        assert_eq!(parse_number("999999999999999"), Some(999_999_999_999_999.0));
        assert_eq!(
            parse_number("1234567890123456789"),
            Some(1_234_567_890_123_456_789.0)
        );
    }
}
