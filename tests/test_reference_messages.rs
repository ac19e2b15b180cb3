//! The messages of a register that cannot be read, as its cells are
//! written (reference audit of the seventy-sixth session).

use crate::workdir::{Workdir, words};

/// A population too large to hold is a whole number, said to be too
/// large (it was "not a whole number of 0 or more"); a country that is no
/// code is quoted as written (`Sverige`, it was `SVERIGE`).
#[test]
fn a_register_cell_is_refused_for_what_it_is() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\nSE,2380,2010,new,1,68\n",
    );
    let args = words("validate -i in.csv --register reg.csv -o o");
    for (row, says) in [
        (
            "SE,2380,Östersund,99999999999999999999",
            "column population: '99999999999999999999' is too large (at most 18446744073709551615)",
        ),
        (
            "SE,2380,Östersund,18446744073709551615x",
            "column population: '18446744073709551615x' is not a whole number of 0 or more",
        ),
        (
            "Sverige,2380,Östersund,",
            "column country: 'Sverige' is not a country code",
        ),
    ] {
        wd.create("reg.csv", format!("country,code,name,population\n{row}\n"));
        wd.run_says(&args, 2, &format!("reg.csv: line 2, {says}"));
    }
}

/// A published file without an item column: "need an 'item'" (it was "a
/// 'item'": the same audit).
#[test]
fn a_missing_column_is_named_with_its_article() {
    let wd = Workdir::new();
    wd.create(
        "in.csv",
        "country,municipality_code,eval_year,scale,item,score\nSE,2380,2010,new,1,68\n",
    );
    wd.create(
        "p.csv",
        "source,published_year,country,scale,basis,mean,n\ns,2011,SE,new,,49,3\n",
    );
    let args = words("run -i in.csv --published p.csv -o o");
    wd.run_says(
        &args,
        2,
        "p.csv: published averages need an 'item' or 'fråga' column",
    );
}
