//! Whether a municipality's name as an export writes it is the name the
//! register gives it: the forms the same name takes in exports (case,
//! spaces, a dash's kind, "kommun" after it, one part of a parallel name
//! or its parts in another order, the register's aside in brackets left
//! out).

/// Whether a name written in an export is a name of this municipality:
/// case and spaces are ignored (a run of spaces, no-break spaces included,
/// counts as one), and so are a dash's kind (– — as -), a trailing
/// "kommun" / "kommune", any one part of an official parallel name
/// ("Oslo - Oslove") or all its parts in any order, joined by a dash or a
/// slash ("Kautokeino - Guovdageaidnu", "Guovdageaidnu/Kautokeino"), and
/// the aside in brackets the register adds to a name, as a county, left
/// out ("Herøy" for "Herøy (Møre og Romsdal)", not "Herøy (Nordland)").
/// An aside the register has not is no such thing: "Nes (Buskerud)" is
/// another municipality than today's Nes, which is Akershus's.
pub fn name_matches(registered: &str, given: &str) -> bool {
    let (g, had_suffix) = norm(given);
    let genitive = g.strip_suffix('s').filter(|_| had_suffix);
    let registered = plain(registered);
    let (g_stem, g_county) = county(&g);
    let genitive = genitive.map(|g| county(g).0);
    let part_matches = |part: &str| {
        let r = norm(part).0;
        let (r_stem, r_county) = county(&r);
        let counties = g_county.is_none() || r_county == g_county;
        counties && (r_stem == g_stem || genitive == Some(r_stem))
    };
    let parts: Vec<&str> = registered.split(" - ").collect();
    std::iter::once(registered.as_str())
        .chain(parts.iter().copied())
        .any(part_matches)
        || (parts.len() > 1 && same_parts(&parts, &g))
}

/// Lower-case words joined by one space, dashes as `-`.
fn plain(s: &str) -> String {
    let dash = |c: char| {
        if matches!(c, '–' | '—' | '‐' | '‑' | '−') {
            '-'
        } else {
            c
        }
    };
    let mut out = String::with_capacity(s.len());
    for word in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(dash).flat_map(char::to_lowercase));
    }
    out
}

/// [`plain`], without a trailing " kommun"/" kommune"; the flag says
/// whether such a suffix was there (then a genitive -s may precede it:
/// "Östersunds kommun").
fn norm(s: &str) -> (String, bool) {
    let s = plain(s);
    match s
        .strip_suffix(" kommune")
        .or_else(|| s.strip_suffix(" kommun"))
    {
        Some(stem) => (stem.trim().to_string(), true),
        None => (s, false),
    }
}

/// A name ([`plain`]) and the county in brackets after it, if it has one:
/// `herøy (møre og romsdal)` is `herøy` of `møre og romsdal`.
fn county(name: &str) -> (&str, Option<&str>) {
    let county = (name.strip_suffix(')'))
        .and_then(|n| n.rsplit_once(" ("))
        .filter(|(stem, county)| !stem.is_empty() && !county.is_empty());
    match county {
        Some((stem, county)) => (stem, Some(county)),
        None => (name, None),
    }
}

/// Whether `given` ([`norm`]) is the parallel name's `parts` ([`plain`])
/// in any order, joined by dashes or slashes.
fn same_parts(parts: &[&str], given: &str) -> bool {
    fn sorted<'a>(parts: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
        let mut v: Vec<&str> = parts.map(str::trim).filter(|p| !p.is_empty()).collect();
        v.sort_unstable();
        v
    }
    sorted(parts.iter().copied()) == sorted(given.split(['-', '/']))
}

#[cfg(test)]
mod tests {
    use super::name_matches;

    #[test]
    fn names() {
        assert!(name_matches("Östersund", "Östersunds kommun"));
        assert!(name_matches("Borås", "Borås kommun"));
        assert!(!name_matches("Östersund", "Östersunds"));
        assert!(name_matches("Östersund", " ÖSTERSUND kommun"));
        assert!(name_matches("Oslo - Oslove", "Oslo"));
        assert!(!name_matches("Oslo - Oslove", "Bergen"));
        // A no-break space inside, a double space, an en dash.
        assert!(name_matches("Upplands Väsby", "Upplands\u{a0}Väsby"));
        assert!(name_matches("Upplands Väsby", "Upplands  Väsby kommun"));
        assert!(name_matches("Oslo - Oslove", "Oslo – Oslove"));
        assert!(name_matches("Oslo - Oslove", "oslove"));
        assert!(!name_matches("Upplands Väsby", "UpplandsVäsby"));
    }

    /// A parallel name's parts in another order, or joined otherwise; the
    /// register's county in brackets left out (Nordic audit, 2026-12-07:
    /// each was a `name-mismatch`).
    #[test]
    fn parallel_names_and_counties() {
        let sami = "Guovdageaidnu - Kautokeino";
        for given in [
            "Kautokeino - Guovdageaidnu",
            "Guovdageaidnu-Kautokeino",
            "Guovdageaidnu/Kautokeino",
            "kautokeino / guovdageaidnu kommune",
        ] {
            assert!(name_matches(sami, given), "{given}");
        }
        assert!(!name_matches(sami, "Kautokeino - Karasjok"));
        assert!(!name_matches(sami, "Guovdageaidnu - Kautokeino - Karasjok"));
        // A dash inside one name is not two parts.
        assert!(!name_matches("Lyngby-Taarbæk", "Taarbæk-Lyngby"));
        let herøy = "Herøy (Møre og Romsdal)";
        assert!(name_matches(herøy, "Herøy"));
        assert!(name_matches(herøy, "Herøy kommune"));
        assert!(name_matches(herøy, "herøy (møre og romsdal)"));
        assert!(!name_matches(herøy, "Herøy (Nordland)"));
        // The given name's aside where the register has none names
        // another municipality (review, 2026-12-07).
        assert!(!name_matches("Bø", "Bø (Telemark)"));
        assert!(!name_matches("Nes", "Nes (Buskerud)"));
    }
}
