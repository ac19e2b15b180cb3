//! kompass's own output tables that have a score column or a
//! municipality's keys and items, and would otherwise be read as exports:
//! `benchmarks.csv` (each municipality's latest scores, read as an export
//! it made trends and links of one round), `role_models.csv` (each item's
//! top three, whose averages were shown as national ones), and
//! `validation.csv`, `trends.csv` and `linked_scores.csv` (read as broken
//! exports, they stopped a run whose input folder held a previous run's
//! outputs). Their headers, which their writers write from here (the
//! round trip is tested in `tests/test_export_edges.rs`).
//! `evaluations.csv` is read back as an export; the other outputs lack an
//! export's columns.

/// `benchmarks.csv`'s columns.
pub const BENCHMARKS: [&str; 18] = [
    "country",
    "municipality_code",
    "municipality",
    "scale",
    "item",
    "eval_year",
    "score",
    "score_se",
    "national_mean",
    "diff_to_mean",
    "rank",
    "n",
    "percentile",
    "kommungrupp2017",
    "group_mean",
    "group_rank",
    "group_n",
    "group_percentile",
];

/// `role_models.csv`'s columns.
pub const ROLE_MODELS: [&str; 8] = [
    "country",
    "scale",
    "item",
    "position",
    "municipality_code",
    "municipality",
    "eval_year",
    "score",
];

/// `validation.csv`'s columns.
pub const VALIDATION: [&str; 12] = [
    "severity",
    "rule",
    "file",
    "line",
    "country",
    "municipality_code",
    "eval_year",
    "scale",
    "item",
    "message",
    "column",
    "value",
];

/// `trends.csv`'s columns.
pub const TRENDS: [&str; 13] = [
    "country",
    "municipality_code",
    "municipality",
    "item",
    "from_year",
    "to_year",
    "round_from",
    "round_to",
    "scale",
    "from_score",
    "to_score",
    "delta",
    "delta_se",
];

/// `linked_scores.csv`'s columns.
pub const LINKED_SCORES: [&str; 12] = [
    "country",
    "municipality_code",
    "eval_year",
    "from_scale",
    "item",
    "score",
    "linked_score",
    "linked_se",
    "method",
    "to_scale",
    "to_item",
    "linked_df",
];

/// The output of kompass's whose header `names` (bare) is, if one.
pub(super) fn own_output(names: &[String]) -> Option<&'static str> {
    let is =
        |cols: &[&str]| names.len() == cols.len() && names.iter().zip(cols).all(|(n, c)| n == c);
    [
        ("benchmarks.csv", &BENCHMARKS[..]),
        ("role_models.csv", &ROLE_MODELS[..]),
        ("validation.csv", &VALIDATION[..]),
        ("trends.csv", &TRENDS[..]),
        ("linked_scores.csv", &LINKED_SCORES[..]),
    ]
    .into_iter()
    .find(|(_, cols)| is(cols))
    .map(|(name, _)| name)
}
