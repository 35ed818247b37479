//! Kaplan–Meier figure: step curves by group with censor marks, and the number-at-risk table
//! beneath, laid out on the same x scale so its columns sit under the time ticks.
//!
//! The number at risk printed under tick t is the number still under observation just before t
//! (that of the first observed time ≥ t), as survminer and R's `summary(fit, times=)` give it.

use super::axis::breaks;
use super::svg::{escape, num, PALETTE};
use crate::report::format::{p_value, time};
use crate::report::types::{Curve, EndpointReport};

/// Options of the figure (labels default from the endpoint).
#[derive(Debug, Clone, Default)]
pub struct KmPlotOptions {
    pub title: Option<String>,
    pub x_label: Option<String>,
    pub y_label: Option<String>,
}

fn n_at_risk(c: &Curve, t: f64) -> f64 {
    c.steps
        .iter()
        .find(|s| s.time >= t)
        .map_or(0.0, |s| s.n_risk)
}

/// Draws the endpoint's curves (or the pooled curve without a group) as an SVG document.
pub fn km_svg(ep: &EndpointReport, opts: &KmPlotOptions) -> String {
    let curves: Vec<&Curve> = if ep.curves.is_empty() {
        vec![&ep.pooled]
    } else {
        ep.curves.iter().collect()
    };
    let max_t = ep.pooled.steps.last().map_or(1.0, |s| s.time);
    let ticks = breaks(max_t, 8);
    let x_max = *ticks.last().unwrap_or(&1.0);

    let label_w = 130.0;
    let (left, right, top) = (label_w, 24.0, 44.0);
    let width = 820.0;
    let plot_h = 360.0;
    let plot_w = width - left - right;
    let axis_h = 52.0;
    let row_h = 20.0;
    let table_top = top + plot_h + axis_h + 26.0;
    let height = table_top + row_h * curves.len() as f64 + 16.0;
    let x = |t: f64| left + plot_w * t / x_max;
    let y = |s: f64| top + plot_h * (1.0 - s);

    let title = opts.title.clone().unwrap_or_else(|| match &ep.group {
        Some(g) => format!("{} by {g}", ep.name),
        None => ep.name.clone(),
    });
    let x_label = opts
        .x_label
        .clone()
        .unwrap_or_else(|| format!("Time ({})", ep.time));
    let y_label = opts
        .y_label
        .clone()
        .unwrap_or_else(|| format!("{} probability", ep.name));

    let mut s = String::new();
    s.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\" role=\"img\" aria-label=\"{aria}\">\n",
        w = num(width),
        h = num(height),
        aria = escape(&format!("Kaplan–Meier plot: {title}"))
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
    // Grid and axes.
    for i in 0..=4 {
        let v = i as f64 * 0.25;
        s.push_str(&format!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#e5e5e5\"/>\n<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
            num(left),
            num(left + plot_w),
            num(left - 8.0),
            num(y(v) + 4.0),
            format_args!("{}%", (v * 100.0) as i32),
            y = num(y(v)),
        ));
    }
    s.push_str(&format!(
        "<line x1=\"{l}\" x2=\"{l}\" y1=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n<line x1=\"{l}\" x2=\"{}\" y1=\"{b}\" y2=\"{b}\" stroke=\"#333\"/>\n",
        num(top),
        num(top + plot_h),
        num(left + plot_w),
        l = num(left),
        b = num(top + plot_h),
    ));
    for &t in &ticks {
        s.push_str(&format!(
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
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
    // Curves.
    for (k, c) in curves.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let mut d = format!("M{} {}", num(x(0.0)), num(y(1.0)));
        let mut prev = 1.0;
        for st in &c.steps {
            if st.survival != prev {
                d.push_str(&format!("H{}V{}", num(x(st.time)), num(y(st.survival))));
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
            let (cx, cy) = (x(st.time), y(st.survival));
            marks.push_str(&format!("M{} {}V{}", num(cx), num(cy - 5.0), num(cy + 5.0)));
        }
        if !marks.is_empty() {
            s.push_str(&format!(
                "<path class=\"km-censor\" d=\"{marks}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>\n"
            ));
        }
    }
    // Legend (top right, inside the plot).
    if curves.len() > 1 || !ep.curves.is_empty() {
        let lx = left + plot_w - 210.0;
        for (k, c) in curves.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let ly = top + 16.0 + 18.0 * k as f64;
            s.push_str(&format!(
                "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"3\"/>\n<text x=\"{}\" y=\"{}\">{}</text>\n",
                num(lx),
                num(lx + 22.0),
                num(lx + 28.0),
                num(ly + 4.0),
                escape(&format!("{} (n = {})", c.group, time(Some(c.n)))),
                y = num(ly),
            ));
        }
    }
    if let Some(t) = ep
        .tests
        .iter()
        .find(|t| t.test == "log-rank" && t.strata.is_none())
    {
        if t.df > 0 {
            s.push_str(&format!(
                "<text x=\"{}\" y=\"{}\">Log-rank p = {}</text>\n",
                num(left + 10.0),
                num(top + plot_h - 10.0),
                escape(&p_value(t.p).replace('<', "< "))
            ));
        }
    }
    // Number-at-risk table on the same x scale.
    s.push_str(&format!(
        "<text x=\"8\" y=\"{}\" font-weight=\"bold\">Number at risk</text>\n",
        num(table_top - 8.0)
    ));
    for (k, c) in curves.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let ry = table_top + row_h * (k as f64 + 0.7);
        s.push_str(&format!(
            "<text class=\"risk-label\" x=\"8\" y=\"{}\" fill=\"{colour}\">{}</text>\n",
            num(ry),
            escape(&truncate(&c.group, 16))
        ));
        for &t in &ticks {
            s.push_str(&format!(
                "<text class=\"risk-count\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                num(x(t)),
                num(ry),
                time(Some(n_at_risk(c, t)))
            ));
        }
    }
    s.push_str("</svg>\n");
    s
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
