//! The transcendental functions behind every number in the report, from the pure-Rust `libm`
//! crate, so that the native CLI and the wasm page compute the same bits.
//!
//! Why not `f64::exp` and friends: the standard library forwards them to the C library natively
//! (glibc on Linux) but to its own port of musl's libm on wasm32, and the two round differently
//! in the last bit of some results. A χ², p-value, confidence limit or Cox coefficient then
//! differs by an ulp between `survcalc --json` and the JSON the page downloads. The `libm` crate
//! (FreeBSD's msun algorithms, each documented within 1 ulp) runs the same code on every target,
//! so calling it directly makes the two reports byte-identical.
//!
//! What stays `std`: the IEEE-754 operations that are correctly rounded or exact everywhere
//! (`+ − × ÷`, `sqrt`, `abs`, `floor`, `ceil`, `round`, `trunc`, `min`, `max`). Not used:
//! `f64::powi` (an LLVM intrinsic whose multiplication order and constant folding are the
//! compiler's: write `x * x`), and `f64::mul_add` (fused only where the target has FMA, which
//! wasm32 lacks). `clippy.toml` forbids all of these `f64` methods, pointing here.
//!
//! R itself calls the C library, so against R these agree to the last bit or within 1 ulp; the
//! reference tests' tolerances are unchanged.

/// eˣ.
///
/// # Examples
/// ```
/// assert_eq!(survcalc::math::exp(0.0), 1.0);
/// assert!((survcalc::math::exp(1.0) - std::f64::consts::E).abs() < 1e-15);
/// ```
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// eˣ − 1, accurate for small x.
///
/// # Examples
/// ```
/// assert_eq!(survcalc::math::exp_m1(1e-20), 1e-20);
/// ```
#[inline]
pub fn exp_m1(x: f64) -> f64 {
    libm::expm1(x)
}

/// The natural logarithm (−∞ at 0, NaN below 0).
///
/// # Examples
/// ```
/// assert_eq!(survcalc::math::ln(1.0), 0.0);
/// assert!((survcalc::math::ln(std::f64::consts::E) - 1.0).abs() < 1e-15);
/// ```
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// ln(1 + x), accurate for small x.
///
/// # Examples
/// ```
/// assert_eq!(survcalc::math::ln_1p(1e-20), 1e-20);
/// ```
#[inline]
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// log₂ x.
///
/// # Examples
/// ```
/// assert_eq!(survcalc::math::log2(8.0), 3.0);
/// ```
#[inline]
pub fn log2(x: f64) -> f64 {
    libm::log2(x)
}

/// log₁₀ x.
///
/// # Examples
/// ```
/// assert_eq!(survcalc::math::log10(1000.0), 3.0);
/// ```
#[inline]
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// xʸ (C `pow`: exact for exactly representable results such as 2⁻¹⁰ or 0.5²).
///
/// # Examples
/// ```
/// assert_eq!(survcalc::math::pow(2.0, -10.0), 1.0 / 1024.0);
/// // ε^0.75 = 2^−39 exactly
/// assert_eq!(survcalc::math::pow(f64::EPSILON, 0.75), 1.0 / (1u64 << 39) as f64);
/// ```
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// sin x (x in radians).
///
/// # Examples
/// ```
/// assert_eq!(survcalc::math::sin(0.0), 0.0);
/// assert!((survcalc::math::sin(std::f64::consts::FRAC_PI_6) - 0.5).abs() < 1e-15);
/// ```
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

/// cos x (x in radians).
///
/// # Examples
/// ```
/// assert_eq!(survcalc::math::cos(0.0), 1.0);
/// ```
#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

/// arcsin x in [−π/2, π/2] (NaN outside [−1, 1]).
///
/// # Examples
/// ```
/// assert_eq!(survcalc::math::asin(1.0), std::f64::consts::FRAC_PI_2);
/// ```
#[inline]
pub fn asin(x: f64) -> f64 {
    libm::asin(x)
}

/// ln Γ(x) for x > 0 (ln |Γ(x)| elsewhere), by FreeBSD's `lgamma_r`: within a few ulps
/// (measured against 50-digit values in the tests; R's `lgammafn` is as close).
///
/// # Examples
/// ```
/// // Γ(5) = 24
/// assert!((survcalc::math::ln_gamma(5.0) - survcalc::math::ln(24.0)).abs() < 1e-15);
/// ```
#[inline]
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma_r(x).0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative tolerance against 50-digit values for ln Γ: a few ulps.
    const TOL_LN_GAMMA: f64 = 4.0 * f64::EPSILON;

    #[test]
    fn ln_gamma_against_high_precision() {
        // Python mpmath at 50 digits: float(mp.loggamma(x)).
        for (x, want) in [
            (0.5, 0.5723649429247001),
            (1.0 / 3.0, 0.9854206469277671),
            (1.5, -0.12078223763524522),
            (2.5, 0.2846828704729192),
            (3.7, 1.428072326665388),
            (7.25, 7.0521854507385395),
            (10.5, 13.940625219403763),
            (15.3, 25.996606241964184),
            (16.0, 27.89927138384089),
            (100.5, 361.4355404677776),
            (10000.5, 82104.32265412837),
        ] {
            let got = ln_gamma(x);
            assert!(
                ((got - want) / want).abs() <= TOL_LN_GAMMA,
                "ln_gamma({x}) = {got}, want {want}"
            );
        }
        // ln Γ(1) = ln Γ(2) = 0 exactly.
        assert_eq!(ln_gamma(1.0), 0.0);
        assert_eq!(ln_gamma(2.0), 0.0);
    }

    #[test]
    fn exact_cases() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert!(ln(-1.0).is_nan());
        assert_eq!(pow(0.5, 2.0), 0.25);
        assert_eq!(pow(10.0, 3.0), 1000.0);
        assert_eq!(pow(2.0, 0.5), std::f64::consts::SQRT_2);
        assert_eq!(log2(0.125), -3.0);
        assert_eq!(log10(1e-3), -3.0);
        assert_eq!(asin(0.0), 0.0);
    }
}
