//! Number formatting shared by the CLI's text output and the page (the page formats nothing).

/// A time or duration: integers without decimals, else at most two decimals (trailing zeros
/// trimmed). `None` (not reached) is "NR".
pub fn time(x: Option<f64>) -> String {
    match x {
        None => "NR".to_string(),
        // `+ 0.0` turns −0 (an empty float sum) into 0.
        Some(v) if (v - v.round()).abs() < 1e-9 => format!("{}", v.round() + 0.0),
        Some(v) => {
            let s = format!("{v:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    }
}

/// An estimate with its interval, "12.3 (8.1–NR)".
pub fn time_ci(est: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> String {
    if est.is_none() && lo.is_none() && hi.is_none() {
        return "NR".to_string();
    }
    format!("{} ({}–{})", time(est), time(lo), time(hi))
}

/// A proportion as a percentage with one decimal, "72.2%"; `None` is "–".
pub fn percent(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("{:.1}%", 100.0 * v),
        None => "–".to_string(),
    }
}

/// A proportion with its interval, "72.2% (66.6–78.3)".
pub fn percent_ci(est: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> String {
    let bare = |x: Option<f64>| x.map_or("–".to_string(), |v| format!("{:.1}", 100.0 * v));
    match est {
        Some(_) if lo.is_none() && hi.is_none() => percent(est),
        Some(_) => format!("{} ({}–{})", percent(est), bare(lo), bare(hi)),
        None => "–".to_string(),
    }
}

/// A p-value: "<0.001", else three decimals.
pub fn p_value(p: Option<f64>) -> String {
    match p {
        None => "–".to_string(),
        Some(p) if p < 0.001 => "<0.001".to_string(),
        Some(p) => format!("{p:.3}"),
    }
}

/// A test statistic or ratio with two decimals.
pub fn fixed2(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:.2}"),
        Some(v) if v > 0.0 => "∞".to_string(),
        Some(_) => "–∞".to_string(),
        None => "–".to_string(),
    }
}

/// A count: integers plain, weighted counts with up to two decimals.
pub fn count(x: f64) -> String {
    time(Some(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(time(Some(31.0)), "31");
        assert_eq!(time(Some(3.105)), "3.1");
        assert_eq!(time(Some(12.25)), "12.25");
        assert_eq!(time(None), "NR");
        assert_eq!(time(Some(-0.0)), "0");
        assert_eq!(time_ci(Some(31.0), Some(18.0), None), "31 (18–NR)");
        assert_eq!(
            percent_ci(Some(0.25), Some(0.0866), Some(0.491)),
            "25.0% (8.7–49.1)"
        );
        assert_eq!(p_value(Some(0.0653)), "0.065");
        assert_eq!(p_value(Some(0.0001)), "<0.001");
        assert_eq!(fixed2(Some(3.3958)), "3.40");
    }
}
