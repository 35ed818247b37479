//! Stable sorting of row indices by numeric keys in linear time (LSD radix sort), shared by the
//! estimators so that 10⁶-row samples are sorted once, cheaply, and never by comparisons of
//! indirect indices.
//!
//! The order is exactly that of a stable `sort_by(|a, b| key[a].total_cmp(&key[b]))`: ascending
//! in IEEE-754 total order (−0 before +0), ties in increasing row index, which is R's `order()`
//! for finite times. Bytes on which every key agrees are skipped, so whole-day times need about
//! three passes.

/// A `u64` whose unsigned order is the total order of `x` (`f64::total_cmp`).
#[inline]
pub(crate) fn f64_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// Below this many rows a comparison sort is as fast.
const SMALL: usize = 256;

/// Reorders `order` (row indices) stably by `keys[row]` ascending.
pub(crate) fn refine_by_u64(order: &mut [usize], keys: &[u64]) {
    let n = order.len();
    if n < SMALL {
        order.sort_by_key(|&i| keys[i]);
        return;
    }
    let mut counts = vec![[0usize; 256]; 8];
    for &i in order.iter() {
        let k = keys[i];
        for (d, c) in counts.iter_mut().enumerate() {
            c[((k >> (8 * d)) & 0xff) as usize] += 1;
        }
    }
    let mut cur: Vec<(u64, usize)> = order.iter().map(|&i| (keys[i], i)).collect();
    let mut tmp: Vec<(u64, usize)> = vec![(0, 0); n];
    for (d, c) in counts.iter().enumerate() {
        if c.contains(&n) {
            continue; // every key has the same byte d
        }
        let mut pos = [0usize; 256];
        let mut s = 0;
        for b in 0..256 {
            pos[b] = s;
            s += c[b];
        }
        let shift = 8 * d;
        for &(k, i) in &cur {
            let b = ((k >> shift) & 0xff) as usize;
            tmp[pos[b]] = (k, i);
            pos[b] += 1;
        }
        std::mem::swap(&mut cur, &mut tmp);
    }
    for (o, (_, i)) in order.iter_mut().zip(cur) {
        *o = i;
    }
}

/// Reorders `order` stably by small integer labels `labels[row]` (counting sort).
pub(crate) fn refine_by_label(order: &mut [usize], labels: &[usize]) {
    let Some(&max) = order.iter().map(|&i| &labels[i]).max() else {
        return;
    };
    if max == 0 {
        return;
    }
    if max > 2 * order.len() + 1024 {
        // sparse labels: a comparison sort (stable) instead of a huge count table
        order.sort_by_key(|&i| labels[i]);
        return;
    }
    let mut start = vec![0usize; max + 2];
    for &i in order.iter() {
        start[labels[i] + 1] += 1;
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let mut out = vec![0usize; order.len()];
    for &i in order.iter() {
        let l = labels[i];
        out[start[l]] = i;
        start[l] += 1;
    }
    order.copy_from_slice(&out);
}

/// Row indices sorted stably by `values` ascending in total order.
pub(crate) fn order_f64(values: &[f64]) -> Vec<usize> {
    let keys: Vec<u64> = values.iter().map(|&v| f64_key(v)).collect();
    let mut order: Vec<usize> = (0..values.len()).collect();
    refine_by_u64(&mut order, &keys);
    order
}

/// Row indices sorted stably by `values` descending in total order (ties still in increasing
/// row index).
pub(crate) fn order_f64_desc(values: &[f64]) -> Vec<usize> {
    let keys: Vec<u64> = values.iter().map(|&v| !f64_key(v)).collect();
    let mut order: Vec<usize> = (0..values.len()).collect();
    refine_by_u64(&mut order, &keys);
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(n: usize, modulo: u64) -> Vec<f64> {
        let mut s: u64 = 12345;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let v = (s >> 33) % modulo;
                (v as f64 - (modulo / 3) as f64) * 0.5
            })
            .collect()
    }

    #[test]
    fn same_as_stable_comparison_sort() {
        for (n, m) in [(10, 3), (1000, 7), (5000, 100_000), (3000, 2)] {
            let mut v = lcg(n, m);
            v[0] = -0.0;
            v[n / 2] = 0.0;
            v[n - 1] = f64::INFINITY;
            let mut want: Vec<usize> = (0..n).collect();
            want.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
            assert_eq!(order_f64(&v), want);
            let mut want_desc: Vec<usize> = (0..n).collect();
            want_desc.sort_by(|&a, &b| v[b].total_cmp(&v[a]));
            assert_eq!(order_f64_desc(&v), want_desc);
        }
    }

    #[test]
    fn labels_stable() {
        let labels = [2, 0, 1, 0, 2, 1, 0];
        let mut o: Vec<usize> = (0..7).collect();
        refine_by_label(&mut o, &labels);
        assert_eq!(o, vec![1, 3, 6, 2, 5, 0, 4]);
    }
}
