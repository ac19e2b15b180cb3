//! A link's bootstrap replicates as the linking error needs them: each
//! replicate's deviation from the fitted link, held point by point (all
//! the replicates of one score point side by side), so that a summary's
//! sums over replicates read memory in order (see `analysis::link_error`).

/// The replicates of a link, as deviations from its fitted (clamped)
/// value at every concordance point.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deviations {
    replicates: usize,
    /// Point `i`'s deviations under replicates `0..replicates` at
    /// `i * replicates ..`.
    values: Vec<f64>,
}

impl Deviations {
    /// From `replicates` (for each, the linked value of every point) and
    /// the fitted value of every point, `fitted`: replicate b's deviation
    /// at point i is `replicates[b][i] - fitted[i]`.
    pub fn new(replicates: &[Vec<f64>], fitted: &[f64]) -> Deviations {
        let n = replicates.len();
        let mut values = Vec::with_capacity(n * fitted.len());
        for (i, f) in fitted.iter().enumerate() {
            values.extend(replicates.iter().map(|r| r[i] - f));
        }
        Deviations {
            replicates: n,
            values,
        }
    }

    /// How many replicates.
    pub fn len(&self) -> usize {
        self.replicates
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.replicates == 0
    }

    /// Every replicate's deviation at point `i`, in replicate order.
    pub fn at(&self, i: usize) -> &[f64] {
        let n = self.replicates;
        &self.values[i * n..(i + 1) * n]
    }
}

#[cfg(test)]
mod tests {
    use super::Deviations;

    /// Held point by point, each the replicate's value less the fitted.
    #[test]
    fn deviations_are_held_point_by_point() {
        let replicates = vec![vec![1.0, 2.0, 4.0], vec![1.5, 2.5, 3.0]];
        let d = Deviations::new(&replicates, &[1.0, 2.25, 3.5]);
        assert_eq!((d.len(), d.is_empty()), (2, false));
        assert_eq!(d.at(0), &[0.0, 0.5]);
        assert_eq!(d.at(1), &[-0.25, 0.25]);
        assert_eq!(d.at(2), &[0.5, -0.5]);
        assert!(Deviations::new(&[], &[1.0]).is_empty());
    }
}
