//! How the report and the charts' texts write numbers: rounded half away
//! from zero (as a reader and a spreadsheet round), a true minus sign, and
//! the language's decimal mark ("79,5" in Swedish, "79.5" in English).
//! The CSV outputs have their own format (`io::dialect`); the report's
//! sortable columns keep the plain number in `data-v`.

use super::text::{Labels, Lang};
use crate::stats::round_half_away;

impl Labels {
    /// `x` to at most one decimal ("55,8", "60", "−3,9").
    pub fn num(&self, x: f64) -> String {
        self.write(x, 1, true)
    }

    /// A score as the data gives it ("62,25", "79,5", "547"; to at most
    /// four decimals, as the CSV outputs): a score kept as given (an
    /// `off-resolution` warning) is not shown rounded to another.
    pub fn score(&self, x: f64) -> String {
        self.write(x, 4, true)
    }

    /// A spread: an SD, a standard error or the ± of an interval, to one
    /// decimal, kept ("3,0", "2,8"), so that a column or a line of them
    /// reads alike (a trimmed "3" beside "2,8" read as a figure of another
    /// kind).
    pub fn spread(&self, x: f64) -> String {
        self.write(x, 1, false)
    }

    /// `x` to exactly `decimals` decimals ("1,000", "−24,26").
    pub fn fixed(&self, x: f64, decimals: usize) -> String {
        self.write(x, decimals, false)
    }

    /// A difference with its sign ("+3,5", "−2"; "0" when it rounds to
    /// nothing at the one decimal shown).
    pub fn signed(&self, x: f64) -> String {
        self.signed_to(x, 1)
    }

    /// `x` to at most `decimals` decimals ([`Labels::num`] at 1).
    pub fn num_to(&self, x: f64, decimals: usize) -> String {
        self.write(x, decimals, true)
    }

    /// [`Labels::signed`] to at most `decimals` decimals.
    pub fn signed_to(&self, x: f64, decimals: usize) -> String {
        let s = self.num_to(x, decimals);
        if s.starts_with('−') || s == "0" {
            s
        } else {
            format!("+{s}")
        }
    }

    fn write(&self, x: f64, decimals: usize, trim: bool) -> String {
        let rounded = round_half_away(x, decimals);
        let mut s = format!("{:.decimals$}", rounded.abs());
        if trim && s.contains('.') {
            s.truncate(s.trim_end_matches('0').trim_end_matches('.').len());
        }
        if self.lang == Lang::Sv {
            s = s.replace('.', ",");
        }
        if rounded < 0.0 {
            s.insert(0, '−');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_a_reader_reads_them() {
        let (sv, en) = (Labels { lang: Lang::Sv }, Labels { lang: Lang::En });
        assert_eq!(sv.num(79.5), "79,5");
        assert_eq!(en.num(79.5), "79.5");
        assert_eq!(sv.num(547.0), "547");
        // Half away from zero, not to even: 54.75 and 470.25 are exact.
        assert_eq!(sv.num(54.75), "54,8");
        assert_eq!(sv.num(470.25), "470,3");
        assert_eq!(sv.num(-3.25), "−3,3");
        assert_eq!(sv.num(-0.04), "0");
        assert_eq!(sv.num(59.96), "60");
        assert_eq!(sv.signed(2.25), "+2,3");
        assert_eq!(sv.signed(-12.0), "−12");
        assert_eq!(sv.signed(0.04), "0");
        assert_eq!(sv.score(62.25), "62,25");
        assert_eq!(sv.score(70.05), "70,05");
        assert_eq!(en.score(547.0), "547");
        assert_eq!(en.fixed(1.0, 3), "1.000");
        assert_eq!(sv.fixed(-24.2649, 2), "−24,26");
        // Halves that floating point puts a hair below: 100 · 2.3 / 20 is
        // 11.5 (the audit's case), 8.325 / 15 is 55.5 %, 0.145 · 100 is
        // 14.5; a hair that is the figure's own stays.
        assert_eq!(sv.fixed(100.0 * 2.3 / 20.0, 0), "12");
        assert_eq!(sv.fixed(100.0 * 8.325 / 15.0, 0), "56");
        assert_eq!(sv.fixed(0.145 * 100.0, 0), "15");
        assert_eq!(sv.signed(5.0 - 100.0 * 2.3 / 20.0), "−6,5");
        assert_eq!(sv.fixed(11.4999, 0), "11");
        assert_eq!(round_half_away(-6.5, 0), -7.0);
    }
}
