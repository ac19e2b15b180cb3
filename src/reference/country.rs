//! What differs between the countries of Kommunkompassen, in one place.
//! A country is its code as the data gives it (`SE`, `NO`, `DK`, or any
//! other two or three letters a register names); most of kompass treats
//! them alike. Sweden's are SKL/SKR's municipality groups and the
//! population bands, and it is the country of an export without one; the
//! shipped register fixes the width of the codes of all three.

/// Sweden's population bands (the register's population): each band's
/// label and its upper bound, which it excludes; populations are whole
/// numbers, so `200_000.0 + 0.5` puts 200,000 itself in the third band
/// (50,000 ≤ p ≤ 200,000, as SKR counts it).
pub const BANDS: [(&str, f64); 4] = [
    ("under 15000", 15_000.0),
    ("15000-50000", 50_000.0),
    ("50000-200000", 200_000.0 + 0.5),
    ("over 200000", f64::INFINITY),
];

/// Sweden.
pub const SWEDEN: &str = "SE";

/// Norway.
pub const NORWAY: &str = "NO";

/// Denmark.
pub const DENMARK: &str = "DK";

/// The country of a row whose export has no country column, unless
/// `--country` names another: Kommunkompassen is SKL's, and Swedish
/// exports often leave it out.
pub const DEFAULT: &str = SWEDEN;

/// The names an export may give a country by instead of its code, in
/// any case: Swedish, Norwegian (Bokmål and Nynorsk), Danish and English,
/// and ISO 3166's three letters.
const NAMES: [(&str, &[&str]); 3] = [
    (SWEDEN, &["sverige", "sweden", "swe"]),
    (NORWAY, &["norge", "noreg", "norway", "nor"]),
    (DENMARK, &["danmark", "denmark", "dnk"]),
];

/// The code of the country named `name` (`Sverige`, `Norway`, `DNK`), if
/// it is one of [`NAMES`].
pub fn named(name: &str) -> Option<&'static str> {
    let lower = name.trim().to_lowercase();
    (NAMES.iter()).find_map(|&(code, names)| names.contains(&lower.as_str()).then_some(code))
}

/// Whether `country` is Sweden: the municipality groups (SKL's 2011 and
/// SKR's 2017 kommungrupper) and the population bands are of Swedish
/// municipalities only, and a group is compared with Sweden's average.
pub fn is_sweden(country: &str) -> bool {
    country == SWEDEN
}

/// The digits of a municipality code in the countries of the shipped
/// register (SCB's, SSB's and Danmarks Statistik's codes). A register may
/// add longer ones (a generated data set's six-digit municipalities), but a
/// shorter one is a code whose leading zero was lost (`115` for `0115`):
/// kept, it would make `115` a municipality of its own and `0115` unknown.
const CODE_WIDTHS: [(&str, usize); 3] = [(SWEDEN, 4), (NORWAY, 4), (DENMARK, 3)];

/// The width of `country`'s municipality codes, for a country the shipped
/// register has.
pub fn code_width(country: &str) -> Option<usize> {
    (CODE_WIDTHS.iter()).find_map(|&(c, w)| (c == country).then_some(w))
}

/// Whether another register writes `country`'s municipality codes with a
/// zero more than its own: Denmark's address register (DAR) writes
/// Danmarks Statistik's `101` as `0101`. (Sweden's and Norway's have no
/// such form: `00114` is no code.)
pub fn written_with_a_zero_more(country: &str) -> bool {
    country == DENMARK
}

/// Whether `country`'s alphabet ends with æ, ø, å and reads a name's "aa"
/// as å (Norwegian and Danish; Swedish ends with å, ä, ö).
pub fn ends_with_ae_oe_aa(country: &str) -> bool {
    country == NORWAY || country == DENMARK
}
