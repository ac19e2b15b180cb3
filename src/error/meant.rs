//! What a misspelt name likely meant: the one "did you mean" rule of every
//! message that names one (a config key or value, a scale, a header's
//! column, a register's or a published file's column), so that a typo is
//! caught, or let pass, the same way wherever it is made.

/// The one of `names` that `given` is a misspelling of (see
/// [`closest_meant`]).
pub fn closest<'a>(given: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_meant(given, names.into_iter().map(|n| (n, n)))
}

/// What `given` likely meant, of `names`, each name with what it means (a
/// scale's id for each of its aliases): the names one letter apart from
/// it (an insertion, a deletion, a change or two letters swapped),
/// ignoring case, for a word of three to seven letters, two for a longer
/// one, none for a shorter one unless only its case differs; the closest,
/// and only if all of those mean the same. (`lnag` -> `lang`, `input` ->
/// `inputs`, `nwe` -> `new`, `nyy` -> `new` by `ny` and `nya`, `Charts`
/// -> `charts`; none for `ot` beside `out`, `name_da` beside `name_sv`,
/// or `2025` between `2015` and `2020`.)
pub fn closest_meant<'a, M: Copy + PartialEq>(
    given: &str,
    names: impl IntoIterator<Item = (&'a str, M)>,
) -> Option<M> {
    nearest(given, names.into_iter().filter(|(n, _)| *n != given))
}

/// [`closest_meant`] of `names` other than `given` itself.
fn nearest<'a, M: Copy + PartialEq>(
    given: &str,
    names: impl Iterator<Item = (&'a str, M)>,
) -> Option<M> {
    let lower = given.to_lowercase();
    let far = match lower.chars().count() {
        0..3 => 0,
        3..8 => 1,
        _ => 2,
    };
    let near: Vec<(usize, M)> = names
        .map(|(n, m)| (strsim::damerau_levenshtein(&lower, &n.to_lowercase()), m))
        .filter(|(d, _)| *d <= far)
        .collect();
    let best = near.iter().map(|(d, _)| *d).min()?;
    let mut meant = near.iter().filter(|(d, _)| *d == best).map(|(_, m)| *m);
    let first = meant.next()?;
    meant.all(|m| m == first).then_some(first)
}

/// The one of a file's column names `names` (those it lacks) that its
/// column `header`, one not read, is a misspelling of (as [`closest`]
/// finds one), reading both without `_`, `-` and spaces: `populaton`,
/// `group 2011_cod`, and `group2011code` (the same letters otherwise
/// spaced).
pub fn column_meant(header: &str, names: &[&'static str]) -> Option<&'static str> {
    let plain = |s: &str| s.replace(['_', '-', ' '], "");
    let plain_names: Vec<(String, &'static str)> = (names.iter())
        .filter(|n| **n != header)
        .map(|n| (plain(n), *n))
        .collect();
    nearest(
        &plain(header),
        plain_names.iter().map(|(p, n)| (p.as_str(), *n)),
    )
}

#[cfg(test)]
mod tests {
    use super::{closest, closest_meant, column_meant};

    /// Names one letter from a short word, two from a long one, and only
    /// one meaning.
    #[test]
    fn what_a_misspelt_name_meant() {
        assert_eq!(closest("nwe", ["old", "new", "2015"]), Some("new"));
        // Another language's key, two letters off a shipped one's.
        assert_eq!(closest("name_da", ["name_sv", "name_en"]), None);
        assert_eq!(closest("name_sb", ["name_sv", "name_en"]), Some("name_sv"));
        // As close to two: none; as close to two names of one thing: it.
        assert_eq!(closest("2025", ["2015", "2020", "new"]), None);
        let scales = [
            ("ny", "new"),
            ("nya", "new"),
            ("new", "new"),
            ("2020", "2020"),
        ];
        assert_eq!(closest_meant("nyy", scales), Some("new"));
        let reports = ["all", "summary", "none"];
        assert_eq!(closest("sumary", reports), Some("summary"));
        assert_eq!(closest("al", reports), None);
        assert_eq!(closest("ALL", reports), Some("all"));
    }

    /// A column's name read without `_`, `-` and spaces; a column of its
    /// own (`note` beside `code`, `andel` beside `antal`) is none.
    #[test]
    fn what_a_misspelt_column_meant() {
        let names = ["code", "population", "group_2011_code", "antal", "basis"];
        assert_eq!(column_meant("populaton", &names), Some("population"));
        assert_eq!(
            column_meant("group 2011-cod", &names),
            Some("group_2011_code")
        );
        assert_eq!(
            column_meant("group2011code", &names),
            Some("group_2011_code")
        );
        assert_eq!(column_meant("basi", &names), Some("basis"));
        assert_eq!(column_meant("antl", &names), Some("antal"));
        for own in ["note", "andel", "code", "pop"] {
            assert_eq!(column_meant(own, &names), None, "{own}");
        }
    }
}
