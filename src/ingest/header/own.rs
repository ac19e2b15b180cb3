//! kompass's own output tables that have a score column and a
//! municipality's keys, and would otherwise be read as exports:
//! `benchmarks.csv` (each municipality's latest scores, read as an export
//! it made trends and links of one round) and `role_models.csv` (each
//! item's top three, whose averages were shown as national ones). Their
//! headers, which `analysis/standings/write.rs` writes from here (the
//! round trip is tested in `tests/test_export_edges.rs`). `evaluations.csv` is read
//! back as an export; the other outputs lack an export's columns.

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

/// The output of kompass's whose header `names` (bare) is, if one.
pub(super) fn own_output(names: &[String]) -> Option<&'static str> {
    let is =
        |cols: &[&str]| names.len() == cols.len() && names.iter().zip(cols).all(|(n, c)| n == c);
    [
        ("benchmarks.csv", &BENCHMARKS[..]),
        ("role_models.csv", &ROLE_MODELS[..]),
    ]
    .into_iter()
    .find(|(_, cols)| is(cols))
    .map(|(name, _)| name)
}
