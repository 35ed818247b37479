//! Number formatting shared by the CLI's text output and the page (the page formats nothing).

use serde::{Deserialize, Serialize};

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

/// How many decimals (0 to 2) the data's times are written with, so every time of an
/// endpoint is shown alike ("59.10" beside "43.76", not "59.1").
pub fn time_decimals(times: impl Iterator<Item = f64>) -> usize {
    let mut dec = 0;
    for t in times {
        while dec < 2 {
            let scaled = t * [1.0, 10.0, 100.0][dec];
            if (scaled - scaled.round()).abs() <= 1e-9 * scaled.abs().max(1.0) {
                break;
            }
            dec += 1;
        }
        if dec == 2 {
            break;
        }
    }
    dec
}

/// A time with the data's number of decimals; `None` is "NR". A midpoint between two times
/// (R's median rule) may need one decimal more, and gets it: 3.105, not 3.10.
pub fn time_fixed(x: Option<f64>, decimals: usize) -> String {
    match x {
        None => "NR".to_string(),
        Some(v) => {
            let scaled = v * [1.0, 10.0, 100.0, 1000.0][decimals.min(3)];
            let extra = usize::from((scaled - scaled.round()).abs() > 1e-6 * scaled.abs().max(1.0));
            format!("{:.*}", (decimals + extra).min(3), v + 0.0)
        }
    }
}

/// An estimate with its interval, "12.3 (8.1–NR)", with `decimals` decimals.
pub fn time_ci_fixed(
    est: Option<f64>,
    lo: Option<f64>,
    hi: Option<f64>,
    decimals: usize,
) -> String {
    if est.is_none() && lo.is_none() && hi.is_none() {
        return "NR".to_string();
    }
    format!(
        "{} ({}–{})",
        time_fixed(est, decimals),
        time_fixed(lo, decimals),
        time_fixed(hi, decimals)
    )
}

/// An estimate with its interval, "12.3 (8.1–NR)".
pub fn time_ci(est: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> String {
    if est.is_none() && lo.is_none() && hi.is_none() {
        return "NR".to_string();
    }
    format!("{} ({}–{})", time(est), time(lo), time(hi))
}

/// A hazard ratio with its interval; a limit that is not estimable (infinite) is "NE".
pub fn ratio_ci(est: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> String {
    let f = |x: Option<f64>| match x {
        Some(v) if v.is_finite() => format!("{v:.2}"),
        _ => "NE".to_string(),
    };
    match est {
        None => "NE".to_string(),
        Some(_) => format!("{} ({}–{})", f(est), f(lo), f(hi)),
    }
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

/// How p-values are printed (journal styles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "style")]
pub enum PStyle {
    /// Three decimals, "<0.001" below.
    #[default]
    Default,
    /// NEJM: two decimals above 0.01, three between 0.001 and 0.01, "<0.001" below.
    Nejm,
    /// JAMA: as NEJM but without the leading zero (".04", "<.001").
    Jama,
    /// The Lancet: two significant figures, "<0.0001" below, decimal point as a mid-dot.
    Lancet,
    /// A fixed number of decimals, "<0.00…1" below the smallest printable value.
    Digits { digits: usize },
}

/// A p-value: "<0.001", else three decimals.
pub fn p_value(p: Option<f64>) -> String {
    p_value_styled(p, PStyle::Default)
}

/// A p-value in a journal's style.
pub fn p_value_styled(p: Option<f64>, style: PStyle) -> String {
    let Some(p) = p else {
        return "–".to_string();
    };
    match style {
        PStyle::Default => {
            if p < 0.001 {
                "<0.001".to_string()
            } else {
                format!("{p:.3}")
            }
        }
        PStyle::Nejm | PStyle::Jama => {
            let text = if p < 0.001 {
                "<0.001".to_string()
            } else if p < 0.01 {
                format!("{p:.3}")
            } else {
                // 0.0049… rounds up to 0.01 only above 0.01, so two decimals are safe here
                format!("{p:.2}")
            };
            if style == PStyle::Jama {
                text.replacen("0.", ".", 1)
            } else {
                text
            }
        }
        PStyle::Lancet => {
            let text = if p < 0.0001 {
                "<0.0001".to_string()
            } else {
                // two significant figures
                let mag = crate::math::log10(p).floor() as i32;
                let decimals = (1 - mag).max(0) as usize;
                format!("{p:.decimals$}")
            };
            text.replace('.', "·")
        }
        PStyle::Digits { digits } => {
            let digits = digits.clamp(1, 10);
            let floor = crate::math::pow(0.1, digits as f64);
            if p < floor {
                format!("<{floor:.digits$}")
            } else {
                format!("{p:.digits$}")
            }
        }
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
        assert_eq!(p_value_styled(Some(0.0653), PStyle::Nejm), "0.07");
        assert_eq!(p_value_styled(Some(0.0042), PStyle::Nejm), "0.004");
        assert_eq!(p_value_styled(Some(0.0653), PStyle::Jama), ".07");
        assert_eq!(p_value_styled(Some(0.0002), PStyle::Jama), "<.001");
        assert_eq!(p_value_styled(Some(0.0653), PStyle::Lancet), "0·065");
        assert_eq!(p_value_styled(Some(0.00003), PStyle::Lancet), "<0·0001");
        assert_eq!(p_value_styled(Some(0.31), PStyle::Lancet), "0·31");
        assert_eq!(
            p_value_styled(Some(0.0653), PStyle::Digits { digits: 4 }),
            "0.0653"
        );
        assert_eq!(
            p_value_styled(Some(0.00001), PStyle::Digits { digits: 4 }),
            "<0.0001"
        );
        assert_eq!(fixed2(Some(3.3958)), "3.40");
        assert_eq!(time_decimals([1.0, 2.5, 3.25].into_iter()), 2);
        assert_eq!(time_decimals([1.0, 20.0].into_iter()), 0);
        assert_eq!(time_decimals([0.1, 20.0].into_iter()), 1);
        assert_eq!(time_decimals([1.0 / 3.0].into_iter()), 2);
        assert_eq!(
            time_ci_fixed(Some(59.1), Some(43.76), None, 2),
            "59.10 (43.76–NR)"
        );
        assert_eq!(ratio_ci(Some(0.0), Some(0.0), None), "0.00 (0.00–NE)");
        assert_eq!(time_fixed(Some(3.105), 2), "3.105");
        assert_eq!(time_fixed(Some(52.5), 0), "52.5");
        assert_eq!(time_fixed(Some(31.0), 0), "31");
        assert_eq!(ratio_ci(None, None, None), "NE");
    }
}
