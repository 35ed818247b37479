//! Forest plot of hazard ratios from the report's Cox models: one row per term, the HR as a
//! square and its confidence interval as a line on a log scale, with a reference line at 1 and
//! the HR (CI) and p printed to the right.

use super::svg::{escape, num};
use crate::math::{log2, pow};
use crate::report::format::{fixed2, p_value_styled, PStyle};
use crate::report::types::EndpointReport;

/// Draws the terms of the endpoint's multivariable model if there is one, else the
/// univariable one. `None` if no model has terms with an estimate.
pub fn forest_svg(ep: &EndpointReport, p_style: PStyle) -> Option<String> {
    let model = ep
        .cox
        .iter()
        .rev()
        .find(|m| m.error.is_none() && m.terms.iter().any(|t| t.hr.is_some()))?;
    let terms: Vec<_> = model.terms.iter().collect();
    let finite = |v: Option<f64>| v.filter(|x| x.is_finite() && *x > 0.0);
    let mut lo = 0.5_f64;
    let mut hi = 2.0_f64;
    for t in &terms {
        for v in [finite(t.lower), finite(t.upper), finite(t.hr)]
            .into_iter()
            .flatten()
        {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    // Whole powers of two around the data, at most 2^-8 … 2^8.
    let lo_e = log2(lo).floor().max(-8.0);
    let hi_e = log2(hi).ceil().min(8.0);
    let (left, label_w, plot_w, text_w) = (16.0, 220.0, 360.0, 250.0);
    let row_h = 26.0;
    let top = 56.0;
    let width = left + label_w + plot_w + text_w;
    let height = top + row_h * terms.len() as f64 + 60.0;
    let px = |v: f64| {
        let e = log2(v).clamp(lo_e, hi_e);
        left + label_w + plot_w * (e - lo_e) / (hi_e - lo_e)
    };
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\" role=\"img\" aria-label=\"{a}\">\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
        w = num(width),
        h = num(height),
        a = escape(&format!("Forest plot of hazard ratios, {} ({} model)", ep.name, model.name))
    );
    s.push_str(&format!(
        "<text x=\"{}\" y=\"24\" font-size=\"16\" font-weight=\"bold\">{}</text>\n",
        num(left),
        escape(&format!(
            "{}: hazard ratios ({} Cox model)",
            ep.name, model.name
        ))
    ));
    s.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-weight=\"bold\">HR (95% CI)</text><text x=\"{}\" y=\"{}\" font-weight=\"bold\">p</text>\n",
        num(left + label_w + plot_w + 12.0),
        num(top - 12.0),
        num(left + label_w + plot_w + 190.0),
        num(top - 12.0)
    ));
    let bottom = top + row_h * terms.len() as f64;
    s.push_str(&format!(
        "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n",
        num(top - 6.0),
        num(bottom),
        x = num(px(1.0))
    ));
    s.push_str(&format!(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{b}\" y2=\"{b}\" stroke=\"#333\"/>\n",
        num(px(pow(2.0, lo_e))),
        num(px(pow(2.0, hi_e))),
        b = num(bottom)
    ));
    let mut e = lo_e;
    while e <= hi_e {
        let v = pow(2.0, e);
        let label = if v >= 1.0 {
            format!("{v}")
        } else {
            format!("1/{}", 1.0 / v)
        };
        s.push_str(&format!(
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"#333\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            num(bottom),
            num(bottom + 5.0),
            num(bottom + 20.0),
            escape(&label),
            x = num(px(v))
        ));
        e += 1.0;
    }
    s.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">Hazard ratio (log scale)</text>\n",
        num(left + label_w + plot_w / 2.0),
        num(bottom + 42.0)
    ));
    for (i, t) in terms.iter().enumerate() {
        let cy = top + row_h * (i as f64 + 0.5);
        s.push_str(&format!(
            "<text class=\"forest-term\" x=\"{}\" y=\"{}\">{}</text>\n",
            num(left),
            num(cy + 4.0),
            escape(&t.term)
        ));
        if let (Some(l), Some(u)) = (finite(t.lower), finite(t.upper)) {
            s.push_str(&format!(
                "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#0072B2\" stroke-width=\"2\"/>\n",
                num(px(l)),
                num(px(u)),
                y = num(cy)
            ));
        }
        if let Some(h) = finite(t.hr) {
            s.push_str(&format!(
                "<rect class=\"forest-hr\" x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"#0072B2\"/>\n",
                num(px(h) - 5.0),
                num(cy - 5.0)
            ));
        }
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\">{}</text>\n",
            num(left + label_w + plot_w + 12.0),
            num(cy + 4.0),
            escape(&format!(
                "{} ({}–{})",
                fixed2(t.hr),
                fixed2(t.lower),
                fixed2(t.upper)
            )),
            num(left + label_w + plot_w + 190.0),
            num(cy + 4.0),
            escape(&p_value_styled(t.p, p_style))
        ));
    }
    s.push_str("</svg>\n");
    Some(s)
}
