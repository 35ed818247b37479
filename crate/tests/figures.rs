//! The SVG figures: user text escaped, risk table columns under the time ticks, options.
#![cfg(not(target_arch = "wasm32"))]

use survcalc::plot::forest::forest_svg;
use survcalc::plot::km::{km_svg, KmPlotOptions};
use survcalc::report::format::PStyle;
use survcalc::report::{analyze, EndpointSpec, Settings};

const HOSTILE: &str = "time,status,arm\n1,1,<script>alert(1)</script>\n2,0,<script>alert(1)</script>\n3,1,\"<img src=x onerror=alert(2)>\"\n5,1,\"<img src=x onerror=alert(2)>\"\n8,0,B&B\n9,1,B&B\n";

fn report(csv: &str) -> survcalc::report::Report {
    let t = survcalc::read_table(csv.as_bytes(), "h.csv").expect("reads");
    analyze(
        &t,
        &Settings {
            endpoints: vec![EndpointSpec {
                name: "OS \"x\" <b>".into(),
                time: "time".into(),
                event: "status".into(),
                event_values: vec![],
                dates: None,
                plot: None,
            }],
            group: Some("arm".into()),
            ..Settings::default()
        },
    )
    .expect("analyses")
}

#[test]
fn user_text_is_escaped() {
    let r = report(HOSTILE);
    let svg = km_svg(&r.endpoints[0], &KmPlotOptions::default(), PStyle::Default);
    assert!(!svg.contains("<script"), "{svg}");
    assert!(!svg.contains("<img"), "{svg}");
    assert!(!svg.contains("<b>"), "{svg}");
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(svg.contains("B&amp;B"));
    let forest = forest_svg(&r.endpoints[0], PStyle::Default).expect("a model");
    assert!(!forest.contains("<img") && !forest.contains("<script"));
}

/// The x attributes of the elements with a class.
fn xs(svg: &str, class: &str) -> Vec<String> {
    svg.lines()
        .filter(|l| l.contains(&format!("class=\"{class}\"")))
        .filter_map(|l| {
            let i = l.find(&format!("class=\"{class}\" x=\""))? + class.len() + 12;
            Some(l[i..].split('"').next()?.to_string())
        })
        .collect()
}

#[test]
fn risk_counts_sit_under_the_ticks() {
    let csv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/aml.csv"
    ))
    .expect("fixture");
    let r = report(&csv.replace(",x\n", ",arm\n"));
    let svg = km_svg(&r.endpoints[0], &KmPlotOptions::default(), PStyle::Default);
    let ticks = xs(&svg, "x-tick");
    let counts = xs(&svg, "risk-count");
    assert!(ticks.len() >= 5);
    assert_eq!(counts.len(), 2 * ticks.len());
    assert_eq!(&counts[..ticks.len()], &ticks[..]);
    assert_eq!(&counts[ticks.len()..], &ticks[..]);
    // Maintained: 11 at risk at 0; Nonmaintained: 12.
    assert!(svg.contains(">11</text>") && svg.contains(">12</text>"));
}

#[test]
fn options_add_their_elements() {
    let csv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/aml.csv"
    ))
    .expect("fixture");
    let r = report(&csv.replace(",x\n", ",arm\n"));
    let plain = km_svg(&r.endpoints[0], &KmPlotOptions::default(), PStyle::Default);
    assert!(!plain.contains("km-band") && !plain.contains("km-median"));
    let opts = KmPlotOptions {
        ci_bands: true,
        median_lines: true,
        hazard_ratios: true,
        cumulative_events: true,
        title: Some("AML".into()),
        legend: vec!["Maint.".into()],
        ..KmPlotOptions::default()
    };
    let svg = km_svg(&r.endpoints[0], &opts, PStyle::Default);
    assert_eq!(svg.matches("class=\"km-band\"").count(), 2);
    assert_eq!(svg.matches("class=\"km-median\"").count(), 2);
    assert!(svg.contains("Cumulative events"));
    assert!(svg.contains("HR Nonmaintained: "));
    assert!(svg.contains(">AML</text>"));
    assert!(svg.contains("Maint. (n = 11)"));
    let ci = km_svg(
        &r.endpoints[0],
        &KmPlotOptions {
            cumulative_incidence: true,
            ..KmPlotOptions::default()
        },
        PStyle::Default,
    );
    assert!(ci.contains("Cumulative incidence"));
}

#[test]
fn waterfall_and_swimmer() {
    use survcalc::plot::waterfall::{swimmer_svg, waterfall_svg};
    let csv = "id,time,status,arm,change\n<b>p1</b>,3,1,A,-40\np2,5,0,A,25\np3,7,1,B,\np4,2,1,B,-100\np5,9,0,B,0\n";
    let t = survcalc::read_table(csv.as_bytes(), "w.csv").expect("reads");
    let svg = waterfall_svg(&t, "change", Some("arm")).expect("draws");
    assert_eq!(svg.matches("class=\"waterfall-bar\"").count(), 4);
    assert!(svg.contains("+20%") && svg.contains("−30%"));
    let bad = survcalc::read_table(b"change\n-10\nabout 5\n", "b.csv").expect("reads");
    let e = waterfall_svg(&bad, "change", None).expect_err("not a number");
    assert_eq!(e.location.row, Some(3));
    let r = report(&csv.replace("<b>p1</b>", "p1"));
    let sw = swimmer_svg(&t, &r.endpoints[0], Some("id")).expect("draws");
    assert_eq!(sw.matches("class=\"swimmer-bar\"").count(), 5);
    assert_eq!(sw.matches("class=\"swimmer-event\"").count(), 3);
    assert_eq!(sw.matches("class=\"swimmer-ongoing\"").count(), 2);
    assert!(sw.contains("&lt;b&gt;p1&lt;/b&gt;") && !sw.contains("<b>"));
}
