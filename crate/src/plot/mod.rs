//! SVG figures drawn by the core, so the page and the CLI draw the same figure.

pub mod axis;
pub mod forest;
pub mod km;
pub mod svg;
pub mod waterfall;
