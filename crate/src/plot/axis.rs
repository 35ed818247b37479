//! "Nice" axis breaks: steps of 1, 2, 2.5 or 5 × 10ᵏ giving about `target` intervals.

use crate::math::{log10, pow};

/// Break points from 0 to at least `max` (inclusive), with a nice step.
pub fn breaks(max: f64, target: usize) -> Vec<f64> {
    if max.is_nan() || max <= 0.0 || !max.is_finite() {
        return vec![0.0, 1.0];
    }
    let raw = max / target.max(1) as f64;
    let mag = pow(10.0, log10(raw).floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let n = (max / step).ceil() as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_breaks() {
        assert_eq!(
            breaks(161.0, 8),
            vec![0.0, 25.0, 50.0, 75.0, 100.0, 125.0, 150.0, 175.0]
        );
        assert_eq!(breaks(10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(breaks(0.0, 5), vec![0.0, 1.0]);
        assert_eq!(
            breaks(1000.0, 8),
            vec![0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]
        );
    }
}
