//! Analysis spec in, report out; the formatting shared by the CLI and the page.

pub mod analyze;
pub mod cohort;
pub mod compare;
pub mod derive;
pub mod display;
pub mod export;
pub mod format;
pub mod guess;
pub mod methods;
pub mod prepare;
pub mod settings;
pub mod subset;
pub mod types;

pub use analyze::{analyze, analyze_with_stages};
pub use settings::{EndpointSpec, Settings};
pub use types::Report;
