//! Settings files: arbitrary JSON read as `Settings` (as the CLI's `--settings` and the page's
//! "Load settings" do), then analysed on a small fixed table, with every figure and export the
//! page can ask for. Landmarks, τ, confidence levels, axis ends and steps, names of columns and
//! endpoints all come from the input.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use survcalc::data::Table;
use survcalc::report::Settings;

/// Twelve patients: times, events (0/1), two groups, a stratum, an age, RECIST responses, a
/// best % change, dates (ISO and day-first), a cluster id and a weight, with a few missing cells.
const TABLE: &str = "\
id,time,status,arm,site,age,best_response,pct,start,event_date,last,weight
p1,5,1,A,panc,61,PR,-45,2020-01-03,2020-06-01,2020-06-01,1
p2,8,0,A,panc,70,SD,-10,2020-02-10,,2020-10-12,2
p3,12,1,A,rect,55,PD,25,2020-03-01,2021-03-01,2021-03-02,1
p4,3,1,B,panc,66,CR,-100,2020-01-15,2020-04-15,2020-04-20,1
p5,15,0,B,rect,49,NE,,2020-05-05,,2021-08-05,1
p6,7.5,1,B,rect,72,PR,-31,2020-06-06,2021-01-20,2021-01-20,3
p7,,1,A,panc,58,SD,0,2020-07-01,2020-07-01,2020-07-01,1
p8,20,0,B,,63,PD,40,2020-08-08,,2022-04-08,1
p9,1,1,A,rect,80,PD,55,31/08/2020,15/09/2020,15/09/2020,1
p10,9,1,B,panc,45,SD,-5,2020-09-01,2021-06-01,2021-06-01,1
p11,9,0,A,rect,59,PR,-60,2020-10-10,,2021-07-10,1
p12,11,1,B,panc,67,CR,-100,2020-11-11,2021-10-11,2021-10-11,1
";

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| survcalc::read_table(TABLE.as_bytes(), "fixed.csv").expect("fixed table"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(settings) = serde_json::from_slice::<Settings>(data) else {
        return;
    };
    let table = table();
    let Ok(report) = survcalc::report::analyze(table, &settings) else {
        return;
    };
    let _ = survcalc::report_json(&report);
    let s = &report.settings;
    for ep in &report.endpoints {
        let _ = survcalc::plot::km::km_svg(ep, &s.plot, s.p_style);
        let _ = survcalc::plot::forest::forest_svg(ep, s.p_style);
        let _ = survcalc::plot::waterfall::swimmer_svg(table, ep, s.swimmer_label.as_deref());
        let _ = survcalc::report::export::steps_csv(ep);
        let _ = survcalc::report::export::derivation_csv(ep);
    }
    if let Some(col) = &s.waterfall {
        let _ = survcalc::plot::waterfall::waterfall_svg(table, col, s.group.as_deref());
    }
    for t in &report.display.tables {
        let _ = survcalc::report::export::table_csv(t);
    }
});
