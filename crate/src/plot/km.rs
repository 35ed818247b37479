//! Kaplan–Meier figure: step curves by group with censor marks, optional pointwise CI bands,
//! median lines and cumulative-incidence (1 − S) display, the log-rank p and hazard ratios,
//! and the number-at-risk table beneath, laid out on the same x scale as the curves so each
//! count sits under its time tick (it cannot misalign).
//!
//! The number at risk printed under tick t is the number still under observation just before t
//! (that of the first observed time ≥ t), as survminer and R's `summary(fit, times=)` give it;
//! the optional cumulative-events row counts events up to and including t.

use serde::{Deserialize, Serialize};

use super::axis::breaks;
use super::svg::{escape, num, PALETTE};
use crate::report::format::{p_value_styled, ratio_ci, time, PStyle};
use crate::report::types::{Curve, EndpointReport};

/// Options of the figure; every label defaults from the endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KmPlotOptions {
    pub title: Option<String>,
    pub x_label: Option<String>,
    pub y_label: Option<String>,
    /// Legend labels in group order (missing entries keep the group's name).
    pub legend: Vec<String>,
    /// Shade the pointwise confidence band of each curve.
    pub ci_bands: bool,
    /// Dashed lines from 50% to each median.
    pub median_lines: bool,
    /// Plot 1 − S(t) (cumulative incidence) instead of S(t).
    pub cumulative_incidence: bool,
    /// Hide the log-rank p-value.
    pub hide_p: bool,
    /// Annotate the univariable hazard ratios against the reference group.
    pub hazard_ratios: bool,
    /// Add cumulative numbers of events under the numbers at risk.
    pub cumulative_events: bool,
    /// Last time on the axis (default: the last observed time).
    pub x_max: Option<f64>,
    /// Distance between the x-axis ticks (and the numbers at risk), e.g. 6 for every 6 months;
    /// default: a "nice" step giving about 8 intervals.
    pub x_break: Option<f64>,
}

/// One endpoint's own figure options: each field set here replaces the shared option of
/// `Settings.plot` for that endpoint's figure (e.g. a title for OS only); unset fields inherit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KmPlotOverride {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legend: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci_bands: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_lines: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cumulative_incidence: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hide_p: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hazard_ratios: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cumulative_events: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_break: Option<f64>,
}

impl KmPlotOptions {
    /// These options with an endpoint's own options in place of the shared ones.
    ///
    /// ```
    /// use survcalc::plot::km::{KmPlotOptions, KmPlotOverride};
    /// let shared = KmPlotOptions { title: Some("All".into()), ci_bands: true, ..Default::default() };
    /// let own = KmPlotOverride { title: Some("OS".into()), ..Default::default() };
    /// let os = shared.with_override(Some(&own));
    /// assert_eq!((os.title.as_deref(), os.ci_bands), (Some("OS"), true));
    /// ```
    pub fn with_override(&self, own: Option<&KmPlotOverride>) -> KmPlotOptions {
        let Some(o) = own else {
            return self.clone();
        };
        KmPlotOptions {
            title: o.title.clone().or_else(|| self.title.clone()),
            x_label: o.x_label.clone().or_else(|| self.x_label.clone()),
            y_label: o.y_label.clone().or_else(|| self.y_label.clone()),
            legend: o.legend.clone().unwrap_or_else(|| self.legend.clone()),
            ci_bands: o.ci_bands.unwrap_or(self.ci_bands),
            median_lines: o.median_lines.unwrap_or(self.median_lines),
            cumulative_incidence: o.cumulative_incidence.unwrap_or(self.cumulative_incidence),
            hide_p: o.hide_p.unwrap_or(self.hide_p),
            hazard_ratios: o.hazard_ratios.unwrap_or(self.hazard_ratios),
            cumulative_events: o.cumulative_events.unwrap_or(self.cumulative_events),
            x_max: o.x_max.or(self.x_max),
            x_break: o.x_break.or(self.x_break),
        }
    }
}

/// Ticks from 0 every `step` up to `max` (inclusive), at most 200 of them.
fn stepped(max: f64, step: f64) -> Vec<f64> {
    let n = ((max / step) * (1.0 + 1e-12)).ceil().min(200.0) as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

fn n_at_risk(c: &Curve, t: f64) -> f64 {
    c.steps
        .iter()
        .find(|s| s.time >= t)
        .map_or(0.0, |s| s.n_risk)
}

fn events_by(c: &Curve, t: f64) -> f64 {
    c.steps
        .iter()
        .take_while(|s| s.time <= t)
        .map(|s| s.n_event)
        .fold(0.0, |a, b| a + b)
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// Draws the endpoint's curves (or the pooled curve without a group) as an SVG document.
pub fn km_svg(ep: &EndpointReport, opts: &KmPlotOptions, p_style: PStyle) -> String {
    let curves: Vec<&Curve> = if ep.curves.is_empty() {
        vec![&ep.pooled]
    } else {
        ep.curves.iter().collect()
    };
    let label = |k: usize| -> String {
        opts.legend
            .get(k)
            .filter(|l| !l.trim().is_empty())
            .cloned()
            .unwrap_or_else(|| curves[k].group.clone())
    };
    let last_t = ep.pooled.steps.last().map_or(1.0, |s| s.time);
    // A chosen axis end is kept exactly (ticks stop at it); otherwise the last nice tick.
    let chosen = opts.x_max.filter(|x| x.is_finite() && *x > 0.0);
    let max_t = chosen.unwrap_or(last_t);
    let mut ticks = match opts.x_break.filter(|b| b.is_finite() && *b > 0.0) {
        Some(step) if max_t / step <= 200.0 => stepped(max_t, step),
        _ => breaks(max_t, 8),
    };
    if let Some(end) = chosen {
        ticks.retain(|&t| t <= end * (1.0 + 1e-12));
    }
    let x_max = chosen.unwrap_or(*ticks.last().unwrap_or(&1.0));
    let flip = opts.cumulative_incidence;
    let val = |s: f64| if flip { 1.0 - s } else { s };

    // The left margin holds the risk table's group labels: wide enough for the longest
    // (up to 24 characters), so the first count never runs into a label.
    let longest = (0..curves.len())
        .map(|k| label(k).chars().count().min(24))
        .max()
        .unwrap_or(0) as f64;
    let left = (8.0 + 7.4 * longest + 26.0).max(130.0);
    let (right, top) = (24.0, 44.0);
    let width = 820.0;
    let plot_h = 360.0;
    let plot_w = width - left - right;
    let axis_h = 52.0;
    let row_h = 20.0;
    let table_top = top + plot_h + axis_h + 26.0;
    let risk_rows = curves.len() as f64;
    let events_top = table_top + row_h * risk_rows + 30.0;
    let height = if opts.cumulative_events {
        events_top + row_h * risk_rows + 16.0
    } else {
        table_top + row_h * risk_rows + 16.0
    };
    let x = |t: f64| left + plot_w * (t.min(x_max)) / x_max;
    let y = |s: f64| top + plot_h * (1.0 - s);

    let title = opts.title.clone().unwrap_or_else(|| match &ep.group {
        Some(g) => format!("{} by {g}", ep.name),
        None => ep.name.clone(),
    });
    let x_label = opts.x_label.clone().unwrap_or_else(|| {
        if ep.time_unit.is_empty() {
            "Time".to_string()
        } else {
            format!("Time ({})", ep.time_unit)
        }
    });
    let y_label = opts.y_label.clone().unwrap_or_else(|| {
        if flip {
            format!("Cumulative incidence ({})", ep.name)
        } else {
            format!("{} probability", ep.name)
        }
    });

    let mut s = String::new();
    s.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\" role=\"img\" aria-label=\"{aria}\">\n<title>{t}</title>\n",
        w = num(width),
        h = num(height),
        aria = escape(&format!("Kaplan–Meier plot: {title}")),
        t = escape(&title),
    ));
    s.push_str(&format!(
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n",
        num(width),
        num(height)
    ));
    s.push_str(&format!(
        "<text x=\"{}\" y=\"24\" font-size=\"16\" font-weight=\"bold\">{}</text>\n",
        num(left),
        escape(&title)
    ));
    for i in 0..=4 {
        let v = i as f64 * 0.25;
        s.push_str(&format!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#e5e5e5\"/>\n<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}%</text>\n",
            num(left),
            num(left + plot_w),
            num(left - 8.0),
            num(y(v) + 4.0),
            (v * 100.0) as i32,
            y = num(y(v)),
        ));
    }
    s.push_str(&format!(
        "<line x1=\"{l}\" x2=\"{l}\" y1=\"{}\" y2=\"{b}\" stroke=\"#333\"/>\n<line x1=\"{l}\" x2=\"{}\" y1=\"{b}\" y2=\"{b}\" stroke=\"#333\"/>\n",
        num(top),
        num(left + plot_w),
        l = num(left),
        b = num(top + plot_h),
    ));
    for &t in &ticks {
        s.push_str(&format!(
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n<text class=\"x-tick\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            num(top + plot_h),
            num(top + plot_h + 5.0),
            num(top + plot_h + 20.0),
            escape(&time(Some(t))),
            x = num(x(t)),
        ));
    }
    s.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
        num(left + plot_w / 2.0),
        num(top + plot_h + 42.0),
        escape(&x_label)
    ));
    s.push_str(&format!(
        "<text transform=\"translate(18 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
        num(top + plot_h / 2.0),
        escape(&y_label)
    ));
    s.push_str(&format!(
        "<clipPath id=\"plot-area\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>\n<g clip-path=\"url(#plot-area)\">\n",
        num(left),
        num(top - 2.0),
        num(plot_w + 2.0),
        num(plot_h + 4.0)
    ));
    if opts.ci_bands {
        for (k, c) in curves.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            // Upper edge forwards, lower edge backwards, both as steps; a band stops where its
            // limits become undefined (S = 0 for most transforms).
            let mut upper: Vec<(f64, f64)> = vec![(0.0, 1.0)];
            let mut lower: Vec<(f64, f64)> = vec![(0.0, 1.0)];
            let mut band_end = c.steps.last().map_or(0.0, |st| st.time);
            for st in &c.steps {
                let (Some(lo), Some(hi)) = (st.lower, st.upper) else {
                    band_end = st.time;
                    break;
                };
                upper.push((st.time, hi));
                lower.push((st.time, lo));
            }
            if upper.len() < 2 {
                continue;
            }
            let mut d = format!("M{} {}", num(x(0.0)), num(y(val(1.0))));
            for &(t, v) in &upper[1..] {
                d.push_str(&format!("H{}V{}", num(x(t)), num(y(val(v)))));
            }
            let lo_last = lower.last().map_or(1.0, |p| p.1);
            d.push_str(&format!("H{}V{}", num(x(band_end)), num(y(val(lo_last)))));
            for w in lower.windows(2).rev() {
                d.push_str(&format!("H{}V{}", num(x(w[1].0)), num(y(val(w[0].1)))));
            }
            d.push_str(&format!("H{}Z", num(x(0.0))));
            s.push_str(&format!(
                "<path class=\"km-band\" d=\"{d}\" fill=\"{colour}\" fill-opacity=\"0.15\" stroke=\"none\"/>\n"
            ));
        }
    }
    for (k, c) in curves.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let mut d = format!("M{} {}", num(x(0.0)), num(y(val(1.0))));
        let mut prev = 1.0;
        for st in &c.steps {
            if st.survival != prev {
                d.push_str(&format!(
                    "H{}V{}",
                    num(x(st.time)),
                    num(y(val(st.survival)))
                ));
                prev = st.survival;
            }
        }
        if let Some(last) = c.steps.last() {
            d.push_str(&format!("H{}", num(x(last.time))));
        }
        s.push_str(&format!(
            "<path class=\"km-curve\" d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n"
        ));
        let mut marks = String::new();
        for st in c.steps.iter().filter(|st| st.n_censor > 0.0) {
            let (cx, cy) = (x(st.time), y(val(st.survival)));
            marks.push_str(&format!("M{} {}V{}", num(cx), num(cy - 5.0), num(cy + 5.0)));
        }
        if !marks.is_empty() {
            s.push_str(&format!(
                "<path class=\"km-censor\" d=\"{marks}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>\n"
            ));
        }
        if opts.median_lines {
            if let Some(m) = c.median.estimate {
                s.push_str(&format!(
                    "<path class=\"km-median\" d=\"M{} {}H{}V{}\" fill=\"none\" stroke=\"{colour}\" stroke-dasharray=\"4 3\"/>\n",
                    num(left),
                    num(y(0.5)),
                    num(x(m)),
                    num(top + plot_h)
                ));
            }
        }
    }
    s.push_str("</g>\n");
    // Legend (top right, inside the plot; bottom right for cumulative incidence).
    if !ep.curves.is_empty() {
        let lx = left + plot_w - 230.0;
        let base = if flip {
            top + plot_h - 18.0 * curves.len() as f64 - 8.0
        } else {
            top + 16.0
        };
        for k in 0..curves.len() {
            let colour = PALETTE[k % PALETTE.len()];
            let ly = base + 18.0 * k as f64;
            s.push_str(&format!(
                "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"3\"/>\n<text class=\"legend\" x=\"{}\" y=\"{}\">{}</text>\n",
                num(lx),
                num(lx + 22.0),
                num(lx + 28.0),
                num(ly + 4.0),
                escape(&format!("{} (n = {})", truncate(&label(k), 28), time(Some(curves[k].n)))),
                y = num(ly),
            ));
        }
    }
    let mut notes: Vec<String> = Vec::new();
    if !opts.hide_p {
        if let Some(t) = ep
            .tests
            .iter()
            .find(|t| t.test == "log-rank" && t.strata.is_none())
        {
            if t.df > 0 {
                notes.push(format!(
                    "Log-rank p = {}",
                    p_value_styled(t.p, p_style).replace('<', "< ")
                ));
            }
        }
    }
    if opts.hazard_ratios {
        if let Some(m) = ep
            .cox
            .iter()
            .find(|m| m.name == "univariable" && m.error.is_none())
        {
            for t in &m.terms {
                let level = t.term.split_once('=').map_or(t.term.as_str(), |x| x.1);
                notes.push(format!(
                    "HR {}: {}",
                    truncate(level, 18),
                    ratio_ci(t.hr, t.lower, t.upper)
                ));
            }
        }
    }
    // Annotations sit with the legend at the right, where curves that fall (or, for 1 − S,
    // rise) early leave room: below the legend, or above it when the legend is at the bottom.
    let lx = left + plot_w - 230.0;
    let n_legend = if ep.curves.is_empty() {
        0
    } else {
        curves.len()
    };
    let note_base = if flip {
        top + plot_h - 18.0 * n_legend as f64 - 14.0 - 17.0 * notes.len() as f64
    } else {
        top + 16.0 + 18.0 * n_legend as f64 + 10.0
    };
    for (i, n) in notes.iter().enumerate() {
        s.push_str(&format!(
            "<text class=\"annotation\" x=\"{}\" y=\"{}\">{}</text>\n",
            num(lx),
            num(note_base + 17.0 * i as f64),
            escape(n)
        ));
    }
    // Number-at-risk table on the same x scale.
    let mut table = |heading: &str, top_y: f64, value: &dyn Fn(&Curve, f64) -> f64| {
        s.push_str(&format!(
            "<text x=\"8\" y=\"{}\" font-weight=\"bold\">{heading}</text>\n",
            num(top_y - 8.0)
        ));
        for (k, c) in curves.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let ry = top_y + row_h * (k as f64 + 0.7);
            s.push_str(&format!(
                "<text class=\"risk-label\" x=\"8\" y=\"{}\" fill=\"{colour}\">{}</text>\n",
                num(ry),
                escape(&truncate(&label(k), 24))
            ));
            for &t in &ticks {
                s.push_str(&format!(
                    "<text class=\"risk-count\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                    num(x(t)),
                    num(ry),
                    time(Some(value(c, t)))
                ));
            }
        }
    };
    table("Number at risk", table_top, &n_at_risk);
    if opts.cumulative_events {
        table("Cumulative events", events_top, &events_by);
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{analyze, EndpointSpec, Settings};

    fn endpoints() -> Vec<EndpointReport> {
        let csv = "os_days,status,arm\n30,1,A\n90,0,A\n200,1,B\n365,1,B\n400,0,A\n";
        let t = crate::read_table(csv.as_bytes(), "u.csv").expect("reads");
        let spec = |name: &str, plot: Option<KmPlotOverride>| EndpointSpec {
            name: name.into(),
            time: "os_days".into(),
            event: "status".into(),
            event_values: vec![],
            dates: None,
            plot,
        };
        let own = KmPlotOverride {
            title: Some("Only OS".into()),
            x_break: Some(90.0),
            ..KmPlotOverride::default()
        };
        let settings = Settings {
            endpoints: vec![spec("PFS", None), spec("OS", Some(own))],
            plot: KmPlotOptions {
                title: Some("Shared".into()),
                ..KmPlotOptions::default()
            },
            ..Settings::default()
        };
        let r = analyze(&t, &settings).expect("analyses");
        assert_eq!(r.settings.plot_for(1).title.as_deref(), Some("Only OS"));
        r.endpoints
    }

    fn ticks(svg: &str) -> Vec<String> {
        svg.lines()
            .filter_map(|l| l.split("class=\"x-tick\"").nth(1))
            .filter_map(|l| l.split('>').nth(1))
            .filter_map(|l| l.split('<').next())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_axis_names_the_unit_and_ticks_follow_the_chosen_break() {
        let eps = endpoints();
        assert_eq!(eps[0].time_unit, "days");
        let svg = km_svg(&eps[0], &KmPlotOptions::default(), PStyle::Default);
        assert!(svg.contains(">Time (days)</text>"), "{svg}");
        let every_90 = KmPlotOptions {
            x_break: Some(90.0),
            ..KmPlotOptions::default()
        };
        let svg = km_svg(&eps[1], &every_90, PStyle::Default);
        assert_eq!(ticks(&svg), ["0", "90", "180", "270", "360", "450"]);
        // With a chosen end, the ticks stop at it.
        let to_300 = KmPlotOptions {
            x_max: Some(300.0),
            ..every_90
        };
        let svg = km_svg(&eps[1], &to_300, PStyle::Default);
        assert_eq!(ticks(&svg), ["0", "90", "180", "270"]);
    }
}
