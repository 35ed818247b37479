//! Waterfall plot of the best percentage change in tumour size (one bar per row, largest
//! growth on the left), coloured by group, with the RECIST 1.1 reference lines at +20%
//! (progression) and −30% (partial response); and a swimmer plot of time on study per row,
//! with a marker at an event and an arrow where follow-up continues (censored). Every text
//! from the data is escaped.

use super::svg::{escape, num, PALETTE};
use crate::data::value::{is_missing, parse_number};
use crate::data::Table;
use crate::error::{Error, ErrorKind, Result};
use crate::report::format::time;
use crate::report::prepare::factor;
use crate::report::types::EndpointReport;

struct Bar {
    label: String,
    value: f64,
    colour: usize,
}

fn legend(s: &mut String, names: &[String], x: f64, y: f64) {
    for (k, n) in names.iter().enumerate() {
        let ly = y + 18.0 * k as f64;
        s.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>\n",
            num(x),
            num(ly - 10.0),
            PALETTE[k % PALETTE.len()],
            num(x + 18.0),
            num(ly),
            escape(n)
        ));
    }
}

/// The waterfall plot of `column` (best % change from baseline), bars coloured by `group`.
///
/// # Errors
/// `MissingColumn`; `Value` naming the first cell that is not a number; `Data` if no row has a
/// value.
pub fn waterfall_svg(table: &Table, column: &str, group: Option<&str>) -> Result<String> {
    let c = table.column_index(column)?;
    let g = match group {
        Some(g) => Some(factor(table, g, None)?),
        None => None,
    };
    let mut bars = Vec::new();
    for r in 0..table.n_rows() {
        let cell = table.cell(r, c);
        if is_missing(cell) {
            continue;
        }
        let v = parse_number(cell).ok_or_else(|| {
            Error::new(
                ErrorKind::Value,
                "the best change in tumour size is not a number",
            )
            .with_hint("give the best percentage change from baseline as a number, e.g. -35")
            .at(table.location(r, c))
        })?;
        let colour = match &g {
            Some(g) => match g.codes[r] {
                Some(code) => code,
                None => continue,
            },
            None => 0,
        };
        bars.push(Bar {
            label: table.row_lines[r].to_string(),
            value: v,
            colour,
        });
    }
    if bars.is_empty() {
        return Err(Error::data(format!("no row has a value in \"{column}\"")));
    }
    bars.sort_by(|a, b| b.value.total_cmp(&a.value));
    let (left, top, plot_h) = (70.0, 50.0, 320.0);
    let bar_w = (700.0 / bars.len() as f64).clamp(2.0, 24.0);
    let plot_w = bar_w * bars.len() as f64;
    let width = left + plot_w + 220.0;
    let height = top + plot_h + 60.0;
    let hi = bars
        .iter()
        .map(|b| b.value)
        .fold(20.0_f64, f64::max)
        .min(1000.0);
    let lo = bars
        .iter()
        .map(|b| b.value)
        .fold(-100.0_f64, f64::min)
        .max(-100.0);
    let y = |v: f64| top + plot_h * (hi - v.clamp(lo, hi)) / (hi - lo);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\" role=\"img\" aria-label=\"{a}\">\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n<text x=\"{l}\" y=\"24\" font-size=\"16\" font-weight=\"bold\">{t}</text>\n",
        w = num(width),
        h = num(height),
        l = num(left),
        a = escape(&format!("Waterfall plot of {column}")),
        t = escape(&format!("Best change in tumour size ({column})"))
    );
    let mut tick = (lo / 20.0).ceil() * 20.0;
    while tick <= hi {
        s.push_str(&format!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#eee\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}%</text>\n",
            num(left),
            num(left + plot_w),
            num(left - 6.0),
            num(y(tick) + 4.0),
            time(Some(tick)),
            y = num(y(tick))
        ));
        tick += if hi - lo > 300.0 { 100.0 } else { 20.0 };
    }
    for (i, b) in bars.iter().enumerate() {
        let x = left + bar_w * i as f64;
        let (y0, y1) = (y(0.0), y(b.value));
        s.push_str(&format!(
            "<rect class=\"waterfall-bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>\n",
            num(x + 0.5),
            num(y0.min(y1)),
            num((bar_w - 1.0).max(1.0)),
            num((y1 - y0).abs()),
            PALETTE[b.colour % PALETTE.len()],
            escape(&format!("row {}: {}%", b.label, time(Some(b.value))))
        ));
    }
    for (v, label) in [(20.0, "+20%"), (-30.0, "−30%")] {
        s.push_str(&format!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#333\" stroke-dasharray=\"5 4\"/><text x=\"{}\" y=\"{}\">{label}</text>\n",
            num(left),
            num(left + plot_w),
            num(left + plot_w + 6.0),
            num(y(v) + 4.0),
            y = num(y(v))
        ));
    }
    s.push_str(&format!(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#333\"/>\n<text transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\">Change from baseline (%)</text>\n",
        num(left),
        num(left + plot_w),
        num(top + plot_h / 2.0),
        y = num(y(0.0))
    ));
    if let Some(g) = &g {
        legend(&mut s, &g.levels, left + plot_w + 50.0, top + 20.0);
    }
    s.push_str("</svg>\n");
    Ok(s)
}

/// The swimmer plot of an endpoint: one bar per used row from 0 to its time, sorted by time,
/// coloured by group; a filled marker at an event, an arrow where the row is censored.
/// `labels` names each bar (e.g. the patient id column); default the file row.
///
/// # Errors
/// `MissingColumn` for an unknown label column.
pub fn swimmer_svg(table: &Table, ep: &EndpointReport, labels: Option<&str>) -> Result<String> {
    let label_col = match labels {
        Some(l) => Some(table.column_index(l)?),
        None => None,
    };
    let mut rows: Vec<(usize, f64, bool, usize)> = ep
        .rows
        .iter()
        .map(|r| (r.row, r.time, r.event, r.group))
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    let row_h = 14.0_f64.min(600.0 / rows.len().max(1) as f64).max(3.0);
    let (left, top, plot_w) = (120.0, 50.0, 560.0);
    let plot_h = row_h * rows.len() as f64;
    let width = left + plot_w + 200.0;
    let height = top + plot_h + 60.0;
    let max_t = rows.iter().map(|r| r.1).fold(0.0_f64, f64::max).max(1e-9);
    let ticks = super::axis::breaks(max_t, 6);
    let x_max = *ticks.last().unwrap_or(&1.0);
    let x = |t: f64| left + plot_w * t / x_max;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"{a}\">\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n<text x=\"{l}\" y=\"24\" font-size=\"16\" font-weight=\"bold\">{t}</text>\n",
        w = num(width),
        h = num(height),
        l = num(left),
        a = escape(&format!("Swimmer plot of {}", ep.name)),
        t = escape(&format!("{}: time on study per row", ep.name))
    );
    for (i, &(row_line, t, event, colour)) in rows.iter().enumerate() {
        let cy = top + row_h * (i as f64 + 0.5);
        let c = PALETTE[colour % PALETTE.len()];
        s.push_str(&format!(
            "<rect class=\"swimmer-bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{c}\"/>\n",
            num(left),
            num(cy - row_h * 0.35),
            num(x(t) - left),
            num(row_h * 0.7)
        ));
        if event {
            s.push_str(&format!(
                "<circle class=\"swimmer-event\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#000\"/>\n",
                num(x(t)),
                num(cy),
                num((row_h * 0.3).max(1.5))
            ));
        } else {
            s.push_str(&format!(
                "<path class=\"swimmer-ongoing\" d=\"M{} {}l{} {}l{} {}z\" fill=\"#000\"/>\n",
                num(x(t) + 1.0),
                num(cy - row_h * 0.3),
                num(row_h * 0.5),
                num(row_h * 0.3),
                num(-row_h * 0.5),
                num(row_h * 0.3)
            ));
        }
        if row_h >= 9.0 {
            let index = table.row_lines.binary_search(&row_line).ok();
            let label = match (label_col, index) {
                (Some(lc), Some(r)) => table.cell(r, lc).trim().to_string(),
                _ => format!("row {row_line}"),
            };
            s.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
                num(left - 6.0),
                num(cy + 4.0),
                escape(&label)
            ));
        }
    }
    let bottom = top + plot_h;
    s.push_str(&format!(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{b}\" y2=\"{b}\" stroke=\"#333\"/>\n",
        num(left),
        num(left + plot_w),
        b = num(bottom)
    ));
    for &t in &ticks {
        s.push_str(&format!(
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"#333\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            num(bottom),
            num(bottom + 5.0),
            num(bottom + 19.0),
            time(Some(t)),
            x = num(x(t))
        ));
    }
    s.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
        num(left + plot_w / 2.0),
        num(bottom + 40.0),
        escape(&format!("Time ({})", ep.time))
    ));
    let names: Vec<String> = if ep.curves.is_empty() {
        vec![ep.pooled.group.clone()]
    } else {
        ep.curves.iter().map(|c| c.group.clone()).collect()
    };
    legend(&mut s, &names, left + plot_w + 30.0, top + 20.0);
    let ky = top + 30.0 + 18.0 * names.len() as f64;
    s.push_str(&format!(
        "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#000\"/><text x=\"{}\" y=\"{}\">event</text>\n<path d=\"M{} {}l10 6l-10 6z\" fill=\"#000\"/><text x=\"{}\" y=\"{}\">continuing (censored)</text>\n",
        num(left + plot_w + 36.0),
        num(ky),
        num(left + plot_w + 48.0),
        num(ky + 4.0),
        num(left + plot_w + 31.0),
        num(ky + 12.0),
        num(left + plot_w + 48.0),
        num(ky + 22.0)
    ));
    s.push_str("</svg>\n");
    Ok(s)
}
