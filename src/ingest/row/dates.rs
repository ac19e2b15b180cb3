//! Cells a spreadsheet made dates of, for their messages: an item (`1.2`
//! typed under a Nordic or German locale is the 1st of February, saved as
//! `01-feb`, `1.feb`, `2024-02-01` or `01.02.2024`), in a long export's
//! item column or as a wide export's column name, names the sub-question
//! it likely was, a year cell saved as a date (`2012-10-01`) or as a
//! number with decimals (`2012.0`) the year. Only named: neither is read
//! from the hint, the cell does not say which it was.

use crate::io::number::{parse_year, zero_decimals};

/// The months a sub-question's number can be (an area has at most six),
/// as Swedish, Norwegian, Danish and English write and abbreviate them.
const MONTHS: [&[&str]; 6] = [
    &["jan", "januari", "januar", "january"],
    &["feb", "februari", "februar", "february"],
    &["mar", "mars", "marts", "march"],
    &["apr", "april"],
    &["maj", "mai", "may"],
    &["jun", "juni", "june"],
];

/// A date as a spreadsheet saves one: day, month and, where given, year
/// (`2024-02-01`, `01.02.2024`, `01-02-2024`, `01-feb`, `1 feb`, `1.
/// feb.`, `01-feb-24`), with a time after it or not (`00:00`,
/// `T00:00:00`); the month by number (1–12) or by name (January to June),
/// the day 1–31. `None` for anything else (`1/2/2024` too: a locale that
/// writes dates so reads `1.2` as a number, not a date).
fn date(cell: &str) -> Option<(u8, u8, Option<&str>)> {
    let cell = cell.trim();
    let time = |t: &str| t.contains(':') && t.bytes().all(|b| b.is_ascii_digit() || b == b':');
    let date = (cell.rsplit_once([' ', 'T', 't']))
        .filter(|(_, t)| time(t))
        .map_or(cell, |(d, _)| d.trim_end());
    let number = |s: &str, most: u8| {
        let ok = (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        (s.parse::<u8>().ok()).filter(|n| ok && (1..=most).contains(n))
    };
    let named = |s: &str| {
        let s = s.to_lowercase();
        let i = MONTHS.iter().position(|m| m.contains(&s.as_str()))?;
        Some(i as u8 + 1)
    };
    let year = |s: &str| [2, 4].contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = (date.split(['-', '.', ' ']))
        .filter(|p| !p.is_empty())
        .collect();
    match parts[..] {
        [y, m, d] if y.len() == 4 && year(y) => Some((number(d, 31)?, number(m, 12)?, Some(y))),
        [d, m, y] if year(y) => {
            let month = number(m, 12).or_else(|| named(m))?;
            Some((number(d, 31)?, month, Some(y)))
        }
        [d, m] => Some((number(d, 31)?, named(m)?, None)),
        _ => None,
    }
}

/// `day.month` of an item cell that reads as a date: the sub-question a
/// spreadsheet likely made it of.
pub(in crate::ingest) fn date_item(cell: &str) -> Option<String> {
    let (day, month, _) = date(cell)?;
    Some(format!("{day}.{month}"))
}

/// What a year cell that is no year likely is: a year with zero decimals
/// (`2012.0`, `2012,00`: ` (a number with decimals: 2012?)`) or a date
/// with a four-digit year (`2012-10-01`, `01.10.2012`: ` (a date: its
/// year 2012?)`).
pub(super) fn year_hint(raw: &str) -> Option<String> {
    if let Some(whole) = zero_decimals(raw).filter(|w| parse_year(w).is_some()) {
        return Some(format!(" (a number with decimals: {whole}?)"));
    }
    let year = date(raw)?.2.filter(|y| parse_year(y).is_some())?;
    Some(format!(" (a date: its year {year}?)"))
}

#[cfg(test)]
mod tests {
    use super::{date_item, year_hint};

    #[test]
    fn a_date_names_its_day_and_month() {
        for (cell, item) in [
            ("01-jan", "1.1"),
            ("1 Feb", "1.2"),
            ("3.mar", "3.3"),
            ("01.feb.", "1.2"),
            ("1. feb", "1.2"),
            ("2024-02-01", "1.2"),
            ("2024-06-08 00:00:00", "8.6"),
            ("2024-02-01 00:00", "1.2"),
            ("2024-01-02T00:00:00", "2.1"),
            ("01.02.2024", "1.2"),
            ("01.02.2024 00:00", "1.2"),
            ("01-02-2024", "1.2"),
            ("05-maj-24", "5.5"),
            ("2-juni", "2.6"),
        ] {
            assert_eq!(date_item(cell).as_deref(), Some(item), "{cell}");
        }
        for cell in [
            "1.1",
            "jan",
            "01-jul",
            "2024",
            "1.2.3",
            "1/2/2024",
            "x-jan",
            "00-jan",
            "1-janus",
            "2024-13-01",
            "32.01.2024",
        ] {
            assert_eq!(date_item(cell), None, "{cell}");
        }
    }

    #[test]
    fn a_year_saved_otherwise_names_the_year() {
        let decimals = Some(" (a number with decimals: 2012?)".to_string());
        let date = Some(" (a date: its year 2012?)".to_string());
        for (raw, hint) in [
            ("2012.0", &decimals),
            ("2012,00", &decimals),
            ("2012-10-01", &date),
            ("01.10.2012 00:00", &date),
            ("0999.0", &None),
            ("2012.5", &None),
            ("2012-13-45", &None),
            ("2012.00.00", &None),
            ("01.10.12", &None),
        ] {
            assert_eq!(&year_hint(raw), hint, "{raw}");
        }
    }
}
