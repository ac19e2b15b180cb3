//! A sum of floats that does not depend on the order of its terms (to
//! about twice f64's precision), so that every file that writes the mean
//! of the same values writes the same figure.

/// A running sum kept as a pair of floats, the sum and the error of its
/// additions (Knuth's TwoSum; Ogita, Rump & Oishi 2005, "Accurate sum and
/// dot product", Algorithm 4.4): its [`Sum::value`] is the exact sum
/// rounded to the nearest float but for an exact sum within about
/// n · 2⁻¹⁰⁶ of the midway point between two floats, whatever the order
/// of the terms. A plain sum's last bit follows the order: the mean of
/// the same eight scores was 68.8491 in `averages.csv` (in the analysis
/// table's order, Kahan's sum) and 68.8492 in `benchmarks.csv` (ascending,
/// a plain sum).
#[derive(Debug, Clone, Copy)]
pub struct Sum {
    hi: f64,
    lo: f64,
}

impl Default for Sum {
    /// No terms: −0, as the standard library's sum starts (−0 + x is x for
    /// every x, −0 too), so the mean of one value is that value.
    fn default() -> Sum {
        Sum { hi: -0.0, lo: 0.0 }
    }
}

impl Sum {
    /// The sum of `values`.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Sum {
        let mut s = Sum::default();
        values.into_iter().for_each(|x| s.add(x));
        s
    }

    pub fn add(&mut self, x: f64) {
        let s = self.hi + x;
        let b = s - self.hi;
        let err = (self.hi - (s - b)) + (x - b);
        self.hi = s;
        // An infinite sum leaves a NaN error; the sum stands as it is.
        if err.is_finite() {
            self.lo += err;
        }
    }

    /// The sum, rounded to a float.
    pub fn value(self) -> f64 {
        // No error to add: the sum itself (adding a +0 error would turn a
        // sum of −0 into 0).
        if self.lo == 0.0 {
            self.hi
        } else {
            self.hi + self.lo
        }
    }

    /// The mean of `n` terms summed.
    pub fn mean(self, n: usize) -> f64 {
        self.value() / n as f64
    }
}

#[cfg(test)]
mod tests {
    use super::Sum;

    /// The sums of the same terms in every order are one float, the exact
    /// sum's nearest (found by hand with Python's `math.fsum`, which
    /// rounds the exact sum: 550.7932, 2602.95 and 1e100 - 1e100 + 1 = 1).
    #[test]
    fn the_order_of_the_terms_does_not_change_the_sum() {
        let cases: [(&[f64], f64); 3] = [
            (
                &[39.7932, 81.0, 63.0, 67.0, 87.0, 90.0, 38.0, 85.0],
                550.7932,
            ),
            (
                &[139.14, 77.01, 752.89, 64.1, 357.95, 775.55, 297.03, 139.28],
                2602.95,
            ),
            (&[1e100, 1.0, -1e100], 1.0),
        ];
        for (terms, exact) in cases {
            let mut v = terms.to_vec();
            for _ in 0..v.len() {
                v.rotate_left(1);
                assert_eq!(Sum::of(v.iter().copied()).value(), exact, "{v:?}");
                let back: Vec<f64> = v.iter().rev().copied().collect();
                assert_eq!(Sum::of(back).value(), exact);
            }
        }
        // One value, −0 too, is its own sum.
        assert!(Sum::of([-0.0]).value().is_sign_negative());
        // A plain sum of the same terms depends on their order.
        let plain = |v: &[f64]| v.iter().sum::<f64>();
        assert_ne!(plain(&[1e100, 1.0, -1e100]), plain(&[1e100, -1e100, 1.0]));
    }
}
