//! Harrell's concordance of a risk score with right-censored survival, and its infinitesimal
//! jackknife standard error, as R survival 3.5-3 stores it in `coxph()$concordance`
//! (`concordancefit(y, lp, strata, weights, cluster, reverse = TRUE, timewt = "n")`, C
//! `concordance3`).
//!
//! A pair (i, j) is comparable when the shorter time is an event: tᵢ < tⱼ with δᵢ = 1, or
//! tᵢ = tⱼ with δᵢ = 1 and δⱼ = 0 (a censoring at the event time counts as later). It is
//! concordant when the one who failed first has the higher risk score (`reverse = TRUE`:
//! larger linear predictor = shorter survival), discordant when lower, tied on x when equal.
//! Pairs of events at the same time are "tied on y" and are not used. With case weights a pair
//! counts wᵢ·wⱼ.
//!
//! ```text
//! C = (concordant + tied_x / 2) / (concordant + discordant + tied_x)
//! ```
//!
//! The standard error is R's: with Somers' d = (c − d)/npair, each row's influence
//! dfbetaᵢ = wᵢ·[(cᵢ − dᵢ)/npair − d·(cᵢ + dᵢ + txᵢ)/npair] (cᵢ etc. its own pair counts),
//! summed within cluster if one is given, var(C) = Σ dfbeta² / 4. Strata: pairs are only
//! formed within a stratum.
//!
//! Cost O(n log n): rows are visited by decreasing time with two Fenwick trees over the ranks of
//! the score (all rows seen so far, and the events seen so far), instead of R's balanced binary
//! tree with the same role.
//!
//! Other software: lifelines' `concordance_index` counts the same pairs, but by default treats
//! tied event times differently and gives no SE; SAS PHREG (`CONCORDANCE=HARRELL`) and Stata
//! `estat concordance` give Harrell's C with the same pair definition (Stata has no SE by
//! default).

/// Pair counts with R's labels after `reverse = TRUE`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ConcordanceCounts {
    pub concordant: f64,
    pub discordant: f64,
    pub tied_x: f64,
    pub tied_y: f64,
    pub tied_xy: f64,
}

/// Concordance estimate, its standard error and the pair counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConcordanceResult {
    /// `None` when there is no comparable pair.
    pub estimate: Option<f64>,
    pub std_err: Option<f64>,
    pub counts: ConcordanceCounts,
}

/// Ranks per block of the [`RankTree`].
const BLOCK: usize = 32;

/// Weights over score ranks 0..m: a Fenwick (binary indexed) tree over blocks of 32 ranks plus
/// the weight at each rank. A query is a Fenwick prefix over the (small, cache-resident) block
/// tree and a short contiguous scan inside one block, which is several times faster than a
/// Fenwick tree over a million ranks with its cache misses.
struct RankTree {
    blocks: Vec<f64>,
    own: Vec<f64>,
    total: f64,
}

impl RankTree {
    fn new(m: usize) -> RankTree {
        RankTree {
            blocks: vec![0.0; m / BLOCK + 2],
            own: vec![0.0; m],
            total: 0.0,
        }
    }

    fn clear(&mut self) {
        self.blocks.iter_mut().for_each(|v| *v = 0.0);
        self.own.iter_mut().for_each(|v| *v = 0.0);
        self.total = 0.0;
    }

    fn add(&mut self, r: usize, w: f64) {
        self.own[r] += w;
        self.total += w;
        let mut i = r / BLOCK + 1;
        while i < self.blocks.len() {
            self.blocks[i] += w;
            i += i & i.wrapping_neg();
        }
    }

    /// (weight with larger score, with smaller score, with equal score).
    #[inline]
    fn query(&self, r: usize) -> [f64; 3] {
        let b = r / BLOCK;
        let mut less = 0.0;
        let mut i = b;
        while i > 0 {
            less += self.blocks[i];
            i -= i & i.wrapping_neg();
        }
        // four independent partial sums: the scan is not one long chain of dependent adds
        let part = &self.own[b * BLOCK..r];
        let mut acc = [0.0f64; 4];
        let mut chunks = part.chunks_exact(4);
        for c in &mut chunks {
            for (a, v) in acc.iter_mut().zip(c) {
                *a += v;
            }
        }
        less += (acc[0] + acc[1]) + (acc[2] + acc[3]) + chunks.remainder().iter().sum::<f64>();
        let eq = self.own[r];
        let greater = (self.total - less - eq).max(0.0);
        [greater, less, eq]
    }
}

/// Concordance of `score` with (`time`, `event`) as in `coxph()$concordance`.
///
/// `weight`, `strata` and `cluster` are optional per-row case weights, stratum labels and
/// cluster labels (rows with equal labels belong together). Inputs of different lengths give
/// no estimate; values should be finite (the caller, [`crate::survival::cox::fit`], checks
/// this).
///
/// # Examples
/// ```
/// use survcalc::survival::cox_concordance::concordance;
/// // higher score fails first in every comparable pair: C = 1
/// let c = concordance(&[1.0, 2.0, 3.0], &[true, true, false], &[3.0, 2.0, 1.0], None, None, None);
/// assert_eq!(c.estimate, Some(1.0));
/// assert_eq!(c.counts.concordant, 3.0);
/// ```
pub fn concordance(
    time: &[f64],
    event: &[bool],
    score: &[f64],
    weight: Option<&[f64]>,
    strata: Option<&[usize]>,
    cluster: Option<&[usize]>,
) -> ConcordanceResult {
    let n = time.len();
    let lengths_ok = event.len() == n
        && score.len() == n
        && weight.is_none_or(|w| w.len() == n)
        && strata.is_none_or(|s| s.len() == n)
        && cluster.is_none_or(|c| c.len() == n);
    if !lengths_ok {
        return ConcordanceResult {
            estimate: None,
            std_err: None,
            counts: ConcordanceCounts::default(),
        };
    }
    let st = |i: usize| strata.map_or(0, |s| s[i]);

    // ranks of the score (exact ties share a rank), from a stable radix sort; −0 counts as +0
    // so that equal scores are adjacent and in row order
    let by_score = {
        let normalised: Vec<f64> = score.iter().map(|&v| v + 0.0).collect();
        super::order::order_f64(&normalised)
    };
    let mut rank_of = vec![0usize; n];
    let mut m = 0;
    for k in 0..n {
        if k > 0 && score[by_score[k]] != score[by_score[k - 1]] {
            m += 1;
        }
        rank_of[by_score[k]] = m;
    }
    let m = if n == 0 { 0 } else { m + 1 };

    // R: order(strata, -time, status, risk); ties in row order. The score order is already by
    // (rank, row); stable sorts on the more significant keys follow (counting and radix
    // passes), all in linear time.
    let mut order = by_score;
    {
        let status: Vec<usize> = event.iter().map(|&e| usize::from(e)).collect();
        super::order::refine_by_label(&mut order, &status);
        let time_keys: Vec<u64> = time.iter().map(|&t| !super::order::f64_key(t)).collect();
        super::order::refine_by_u64(&mut order, &time_keys);
        if let Some(s) = strata {
            super::order::refine_by_label(&mut order, s);
        }
    }
    let stratum: Vec<usize> = order.iter().map(|&i| st(i)).collect();
    let t: Vec<f64> = order.iter().map(|&i| time[i]).collect();
    let ev: Vec<bool> = order.iter().map(|&i| event[i]).collect();
    let rank: Vec<usize> = order.iter().map(|&i| rank_of[i]).collect();
    drop(rank_of);
    let row = order;
    let w: Vec<f64> = row.iter().map(|&i| weight.map_or(1.0, |w| w[i])).collect();

    let mut all = RankTree::new(m);
    let mut dead = RankTree::new(m);
    // influence per sorted position: concordant, discordant, tied.x (R's non-reversed labels)
    let mut imat = vec![[0.0f64; 3]; n];
    // concordant, discordant, tied.x, tied.y, tied.xy
    let mut count = [0.0f64; 5];

    let mut start = 0;
    while start < n {
        let mut end = start;
        while end < n && stratum[end] == stratum[start] {
            end += 1;
        }
        all.clear();
        dead.clear();
        let mut i = start;
        while i < end {
            if !ev[i] {
                let q = dead.query(rank[i]);
                imat[i][0] -= q[1];
                imat[i][1] -= q[0];
                imat[i][2] -= q[2];
                all.add(rank[i], w[i]);
                i += 1;
                continue;
            }
            // all tied events at this time (censored rows at this time came first), by score
            let mut j = i;
            let mut dwt = 0.0;
            let mut dwt2 = 0.0;
            let mut xsave = rank[i];
            while j < end && t[j] == t[i] {
                count[3] += w[j] * dwt;
                dwt += w[j];
                if rank[j] != xsave {
                    dwt2 = 0.0;
                    xsave = rank[j];
                }
                count[4] += w[j] * dwt2;
                dwt2 += w[j];
                let q = all.query(rank[j]);
                for k in 0..3 {
                    count[k] += w[j] * q[k];
                    imat[j][k] += q[k];
                }
                dead.add(rank[j], w[j]);
                j += 1;
            }
            for k in i..j {
                let q = dead.query(rank[k]);
                imat[k][0] -= q[1];
                imat[k][1] -= q[0];
                imat[k][2] -= q[2];
                all.add(rank[k], w[k]);
            }
            i = j;
        }
        for k in start..end {
            let q = dead.query(rank[k]);
            imat[k][0] += q[1];
            imat[k][1] += q[0];
            imat[k][2] += q[2];
        }
        start = end;
    }
    count[3] -= count[4];

    // reverse = TRUE: swap the concordant/discordant labels
    let counts = ConcordanceCounts {
        concordant: count[1],
        discordant: count[0],
        tied_x: count[2],
        tied_y: count[3],
        tied_xy: count[4],
    };
    let npair = count[0] + count[1] + count[2];
    if npair.is_nan() || npair <= 0.0 {
        return ConcordanceResult {
            estimate: None,
            std_err: None,
            counts,
        };
    }
    let somer = (count[0] - count[1]) / npair;
    let dfbeta = |k: usize| {
        let r = &imat[k];
        w[k] * ((r[0] - r[1]) / npair - (somer / npair) * (r[0] + r[1] + r[2]))
    };
    let var_somer: f64 = match cluster {
        Some(cl) => {
            // any labels: sum within equal labels
            let mut by_cluster: Vec<(usize, f64)> =
                (0..n).map(|k| (cl[row[k]], dfbeta(k))).collect();
            by_cluster.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            let mut total = 0.0;
            let mut k = 0;
            while k < n {
                let mut s = 0.0;
                let c = by_cluster[k].0;
                while k < n && by_cluster[k].0 == c {
                    s += by_cluster[k].1;
                    k += 1;
                }
                total += s * s;
            }
            total
        }
        None => (0..n)
            .map(|k| {
                let d = dfbeta(k);
                d * d
            })
            .sum(),
    };
    let c = 1.0 - (somer + 1.0) / 2.0;
    let var = var_somer / 4.0;
    ConcordanceResult {
        estimate: Some(c),
        std_err: if var.is_finite() {
            Some(var.sqrt())
        } else {
            None
        },
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force over all pairs, for the counts.
    fn brute(time: &[f64], event: &[bool], score: &[f64]) -> [f64; 5] {
        let n = time.len();
        let mut c = [0.0; 5];
        for i in 0..n {
            for j in 0..n {
                if i == j || !event[i] {
                    continue;
                }
                if time[i] < time[j] || (time[i] == time[j] && !event[j]) {
                    if score[i] > score[j] {
                        c[0] += 1.0;
                    } else if score[i] < score[j] {
                        c[1] += 1.0;
                    } else {
                        c[2] += 1.0;
                    }
                } else if time[i] == time[j] && event[j] && i < j {
                    if score[i] == score[j] {
                        c[4] += 1.0;
                    } else {
                        c[3] += 1.0;
                    }
                }
            }
        }
        c
    }

    #[test]
    fn counts_match_brute_force() {
        let time = [1.0, 2.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 6.0, 6.0];
        let event = [
            true, true, true, false, true, false, true, true, false, true,
        ];
        let score = [0.5, 0.2, 0.2, 0.9, 0.1, 0.3, 0.3, 0.0, 0.2, 0.5];
        let r = concordance(&time, &event, &score, None, None, None);
        let b = brute(&time, &event, &score);
        assert_eq!(r.counts.concordant, b[0]);
        assert_eq!(r.counts.discordant, b[1]);
        assert_eq!(r.counts.tied_x, b[2]);
        assert_eq!(r.counts.tied_y, b[3]);
        assert_eq!(r.counts.tied_xy, b[4]);
    }

    #[test]
    fn no_comparable_pair_is_none() {
        let r = concordance(&[1.0, 2.0], &[false, false], &[0.0, 1.0], None, None, None);
        assert_eq!(r.estimate, None);
        assert_eq!(r.std_err, None);
    }
}
