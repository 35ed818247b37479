//! Small dense linear algebra for the tests and models (k × k with k the number of terms or
//! groups, so simple O(k³) routines are enough). Matrices are row-major `Vec<Vec<f64>>`.

/// Solves A x = b by Gaussian elimination with partial pivoting. `None` if A is singular
/// (a pivot below `1e-12` times the largest diagonal element in absolute value).
pub fn solve(a: &[Vec<f64>], b: &[f64]) -> Option<Vec<f64>> {
    let n = b.len();
    let scale = a
        .iter()
        .enumerate()
        .map(|(i, r)| r[i].abs())
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let mut m: Vec<Vec<f64>> = a
        .iter()
        .zip(b)
        .map(|(row, &bi)| {
            let mut r = row.clone();
            r.push(bi);
            r
        })
        .collect();
    for col in 0..n {
        let piv = (col..n).max_by(|&i, &j| m[i][col].abs().total_cmp(&m[j][col].abs()))?;
        if m[piv][col].abs() <= 1e-12 * scale {
            return None;
        }
        m.swap(col, piv);
        for row in col + 1..n {
            let f = m[row][col] / m[col][col];
            if f != 0.0 {
                let pivot_row = m[col].clone();
                for (x, p) in m[row][col..].iter_mut().zip(&pivot_row[col..]) {
                    *x -= f * p;
                }
            }
        }
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| m[i][k] * x[k]).sum();
        x[i] = (m[i][n] - s) / m[i][i];
    }
    Some(x)
}

/// Quadratic form bᵀ A⁻¹ b, or `None` if A is singular.
pub fn quad_form_inv(a: &[Vec<f64>], b: &[f64]) -> Option<f64> {
    solve(a, b).map(|x| x.iter().zip(b).map(|(x, b)| x * b).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_2x2() {
        let a = vec![vec![4.0, 1.0], vec![1.0, 3.0]];
        let x = solve(&a, &[1.0, 2.0]).unwrap_or_default();
        assert!((x[0] - 1.0 / 11.0).abs() < 1e-15);
        assert!((x[1] - 7.0 / 11.0).abs() < 1e-15);
    }

    #[test]
    fn singular_is_none() {
        let a = vec![vec![1.0, 2.0], vec![2.0, 4.0]];
        assert!(solve(&a, &[1.0, 2.0]).is_none());
    }
}
