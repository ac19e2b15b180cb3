//! An item cell a spreadsheet turned into a date: `1.2` typed under a
//! Nordic or German locale is the 1st of February, saved as `01-feb`,
//! `1.feb`, `2024-02-01` or `01.02.2024`. The sub-question it likely was
//! is named in the `unknown-item` message, never read as that item: the
//! cell does not say which it was.

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

/// `day.month` of `cell` where it reads as a date (`2024-02-01`,
/// `01.02.2024`, `01-02-2024`, `01-feb`, `1 feb`, `1.feb`, `01-feb-24`,
/// with a time of `00:00:00` or not): the sub-question a spreadsheet
/// likely made it of; `None` for anything else (`1/2/2024` too: a
/// locale that writes dates so reads `1.2` as a number, not a date).
pub(super) fn date_item(cell: &str) -> Option<String> {
    let lower = cell.trim().to_lowercase();
    let date =
        (lower.strip_suffix("00:00:00")).map_or(lower.as_str(), |d| d.trim_end_matches([' ', 't']));
    let number = |s: &str| {
        let ok = (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| s.parse::<u8>().ok()).flatten()
    };
    let year = |s: &str| [2, 4].contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let month = |s: &str| {
        let s = s.trim_end_matches('.');
        let i = MONTHS.iter().position(|m| m.contains(&s))?;
        Some(i as u8 + 1)
    };
    let parts: Vec<&str> = date.split(['-', '.', ' ']).collect();
    let (day, month) = match parts[..] {
        [y, m, d] if y.len() == 4 && year(y) => (number(d)?, number(m)?),
        [d, m, y] if year(y) => (number(d)?, number(m).or_else(|| month(m))?),
        [d, m] => (number(d)?, month(m)?),
        _ => return None,
    };
    (day >= 1 && month >= 1).then(|| format!("{day}.{month}"))
}

#[cfg(test)]
mod tests {
    use super::date_item;

    #[test]
    fn a_date_names_its_day_and_month() {
        for (cell, item) in [
            ("01-jan", "1.1"),
            ("1 Feb", "1.2"),
            ("3.mar", "3.3"),
            ("2024-02-01", "1.2"),
            ("2024-06-08 00:00:00", "8.6"),
            ("2024-01-02T00:00:00", "2.1"),
            ("01.02.2024", "1.2"),
            ("01-02-2024", "1.2"),
            ("05-maj-24", "5.5"),
            ("2-juni", "2.6"),
        ] {
            assert_eq!(date_item(cell).as_deref(), Some(item), "{cell}");
        }
        for cell in [
            "1.1", "jan", "01-jul", "2024", "1.2.3", "1/2/2024", "x-jan", "00-jan", "1-janus",
        ] {
            assert_eq!(date_item(cell), None, "{cell}");
        }
    }
}
