//! Date cells: `parse_date` in every order, `detect_order` over the lines of the input, and the
//! round trip of an accepted date through `format_date`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use survcalc::data::dates::{civil_from_days, detect_order, format_date, parse_date, DateOrder};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let order = detect_order(text.lines());
    for cell in text.lines().chain(std::iter::once(text)) {
        for o in [
            DateOrder::Auto,
            DateOrder::DayFirst,
            DateOrder::MonthFirst,
            order,
        ] {
            if let Some(days) = parse_date(cell, o) {
                // Accepted dates are real calendar dates of the accepted years, and print as
                // ISO text that parses back to the same day.
                let (y, m, d) = civil_from_days(days);
                assert!((1800..=2200).contains(&y), "{cell:?} gave year {y}");
                assert!((1..=12).contains(&m) && (1..=31).contains(&d));
                let iso = format_date(days);
                assert_eq!(
                    parse_date(&iso, DateOrder::DayFirst),
                    Some(days),
                    "{cell:?} → {iso}"
                );
            }
        }
    }
});
