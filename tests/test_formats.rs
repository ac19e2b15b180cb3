//! `--format parquet`: the row-level tables as Parquet hold exactly what
//! the CSV tables hold (same columns in the same order, codes as strings,
//! numbers as the doubles the CSV cells denote, empty cells as nulls), read
//! back with the `parquet` crate's own row reader.

use parquet::file::reader::SerializedFileReader;
use parquet::record::Field;

use crate::workdir::Workdir;

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kompass.example.toml");

#[test]
fn parquet_tables_hold_what_the_csv_tables_hold() {
    let wd = Workdir::new();
    let base = [
        "run",
        "--config",
        CONFIG,
        "-q",
        "--charts",
        "none",
        "--report",
        "none",
        "--bootstrap",
        "20",
    ];
    wd.run_expect(&[&base[..], &["-o", "csv"]].concat(), 0);
    wd.run_expect(
        &[&base[..], &["-o", "pq", "--format", "parquet"]].concat(),
        0,
    );
    for stem in ["evaluations", "trends", "benchmarks", "linked_scores"] {
        assert!(
            !wd.exists(&format!("pq/{stem}.csv")),
            "{stem}.csv beside the Parquet"
        );
        let csv = wd.table(&format!("csv/{stem}.csv"));
        let file = std::fs::File::open(wd.file(&format!("pq/{stem}.parquet"))).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        let mut n = 0;
        for (i, row) in reader.into_iter().enumerate() {
            let row = row.unwrap();
            let cols: Vec<(String, Field)> = row.into_columns();
            let names: Vec<&str> = cols.iter().map(|c| c.0.as_str()).collect();
            assert_eq!(names, csv.header, "{stem}: columns");
            for ((name, field), cell) in cols.iter().zip(&csv.rows[i]) {
                let same = match field {
                    Field::Str(s) => s == cell,
                    Field::Long(v) => cell.parse::<i64>() == Ok(*v),
                    Field::Double(v) => cell.parse::<f64>() == Ok(*v),
                    Field::Null => cell.is_empty(),
                    other => panic!("{stem}.{name}: unexpected {other:?}"),
                };
                assert!(
                    same,
                    "{stem} row {i} {name}: Parquet {field:?}, CSV '{cell}'"
                );
            }
            n += 1;
        }
        assert_eq!(n, csv.rows.len(), "{stem}: rows");
        assert!(n > 100, "{stem}: {n} rows");
    }
    // Codes stay strings with their leading zeros.
    let file = std::fs::File::open(wd.file("pq/evaluations.parquet")).unwrap();
    let first = SerializedFileReader::new(file)
        .unwrap()
        .into_iter()
        .find_map(|r| {
            let cols = r.unwrap().into_columns();
            match &cols[1].1 {
                Field::Str(code) if code.starts_with('0') => Some(code.clone()),
                _ => None,
            }
        });
    assert!(first.is_some_and(|c| c.len() == 4), "a code like 0114");
}
