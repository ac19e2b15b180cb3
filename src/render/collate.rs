//! Names in a country's alphabetical order, as a reader of that country
//! looks them up: Swedish ends with å, ä, ö; Norwegian and Danish with æ,
//! ø, å, and read a name's "aa" as å (Aabenraa after Ærø). Accents are not
//! letters of their own (Hábmer with the h-a's, Genève with the e's), case
//! does not count. Unicode's code points put Ä before Å and Aabenraa first.

/// The sort key of `name` in `country`'s order (compare the keys, then the
/// names for a stable order of names that differ in case or accents only).
pub fn key(country: &str, name: &str) -> Vec<u32> {
    let norwegian_or_danish = crate::reference::country::ends_with_ae_oe_aa(country);
    let lower: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
    let mut out = Vec::with_capacity(lower.len());
    let mut i = 0;
    while let Some(&c) = lower.get(i) {
        i += 1;
        if norwegian_or_danish && c == 'a' && lower.get(i) == Some(&'a') {
            i += 1;
            out.push(weight('å', true));
            continue;
        }
        out.push(weight(c, norwegian_or_danish));
    }
    out
}

/// The weight of `z`; the three letters after it follow.
const LAST: u32 = 200 + 25;

fn weight(c: char, norwegian_or_danish: bool) -> u32 {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' => 'a',
        'ç' | 'č' | 'ć' => 'c',
        'đ' | 'ð' => 'd',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' | 'ŋ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' => 'o',
        'š' => 's',
        'ŧ' => 't',
        'ù' | 'ú' | 'û' => 'u',
        'ü' | 'ý' | 'ÿ' => 'y',
        'ž' => 'z',
        c => c,
    };
    let (å, ä, ö) = if norwegian_or_danish {
        (LAST + 3, LAST + 1, LAST + 2)
    } else {
        (LAST + 1, LAST + 2, LAST + 3)
    };
    match base {
        ' ' => 1,
        '-' | '–' => 2,
        '0'..='9' => 100 + (base as u32 - '0' as u32),
        'a'..='z' => 200 + (base as u32 - 'a' as u32),
        'å' => å,
        'ä' | 'æ' => ä,
        'ö' | 'ø' => ö,
        c if c.is_alphanumeric() => 1000 + c as u32,
        _ => 10,
    }
}

#[cfg(test)]
mod tests {
    use super::key;

    fn sorted(country: &str, names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| (key(country, a), a).cmp(&(key(country, b), b)));
        v
    }

    #[test]
    fn swedish_order_ends_with_a_ring_a_umlaut_o_umlaut() {
        assert_eq!(
            sorted(
                "SE",
                &[
                    "Östersund",
                    "Åmål",
                    "Ängelholm",
                    "Ale",
                    "Örebro",
                    "Älmhult",
                    "Zinkgruvan"
                ]
            ),
            [
                "Ale",
                "Zinkgruvan",
                "Åmål",
                "Älmhult",
                "Ängelholm",
                "Örebro",
                "Östersund"
            ]
        );
    }

    #[test]
    fn norwegian_and_danish_order_ends_with_ae_o_slash_a_ring() {
        assert_eq!(
            sorted("DK", &["Aabenraa", "Ærø", "Assens", "Odense", "Østerbro"]),
            ["Assens", "Odense", "Ærø", "Østerbro", "Aabenraa"]
        );
        assert_eq!(
            sorted(
                "NO",
                &[
                    "Hustadvika",
                    "Hábmer - Hamarøy",
                    "Hamar",
                    "Åfjord",
                    "Ørland"
                ]
            ),
            [
                "Hábmer - Hamarøy",
                "Hamar",
                "Hustadvika",
                "Ørland",
                "Åfjord"
            ]
        );
    }

    #[test]
    fn case_and_accents_are_not_letters_of_their_own() {
        assert_eq!(key("SE", "ÅRE"), key("SE", "åre"));
        assert_eq!(key("NO", "Kárášjohka"), key("NO", "Karasjohka"));
    }
}
