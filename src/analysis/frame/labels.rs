//! The order of group labels (kommungrupp, country): numbers by their
//! value, so that the rows of `averages.csv` and the report's group
//! table run 1, 2, ..., 9, 10.

/// Labels in their natural order: a run of digits by its number, so that
/// kommungrupp 2011's "10 Kommuner i glesbefolkad region" comes after "9
/// Övriga kommuner, mindre än 12 500 invånare", not between "1" and "2"
/// (as text); labels alike but for leading zeros by their text (`01 x`
/// before `1 x`).
pub fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    fn runs(s: &str) -> impl Iterator<Item = (bool, &str)> {
        s.as_bytes()
            .chunk_by(|x, y| x.is_ascii_digit() == y.is_ascii_digit())
            .map(|r| (r[0].is_ascii_digit(), std::str::from_utf8(r).unwrap_or("")))
    }
    fn number(r: &str) -> (usize, &str) {
        let digits = r.trim_start_matches('0');
        (digits.len(), digits)
    }
    let order = runs(a).zip(runs(b)).find_map(|((da, ra), (db, rb))| {
        let o = match (da, db) {
            (true, true) => number(ra).cmp(&number(rb)),
            _ => ra.cmp(rb),
        };
        o.is_ne().then_some(o)
    });
    order.unwrap_or_else(|| runs(a).count().cmp(&runs(b).count()).then(a.cmp(b)))
}

#[cfg(test)]
mod tests {
    use super::natural;

    #[test]
    fn numbers_in_labels_go_by_their_value() {
        let mut v = [
            "10 Glesbygd",
            "1 Storstäder",
            "9 Övriga",
            "2 Förort",
            "A1 Storstad",
            "01 Storstäder",
        ];
        v.sort_by(|a, b| natural(a, b));
        assert_eq!(
            v,
            [
                "01 Storstäder",
                "1 Storstäder",
                "2 Förort",
                "9 Övriga",
                "10 Glesbygd",
                "A1 Storstad"
            ]
        );
        assert_eq!(natural("C10", "C9"), std::cmp::Ordering::Greater);
        assert_eq!(natural("SE", "NO"), std::cmp::Ordering::Greater);
        assert_eq!(natural("DK", "DK"), std::cmp::Ordering::Equal);
    }
}
