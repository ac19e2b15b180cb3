//! The README's account of `make run` is what kompass prints on the
//! shipped data: its summary block, line by line (but the `done in` time,
//! which is the machine's).

use std::path::Path;

use crate::workdir::{Workdir, copy_dir, stdout};

/// The lines of `text` but blank ones and the `done in` line.
fn lines(text: &str) -> Vec<&str> {
    (text.lines())
        .filter(|l| !l.trim().is_empty() && !l.starts_with("done in "))
        .collect()
}

#[test]
fn the_readme_s_make_run_summary_is_what_kompass_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let (_, after) = (readme.split_once("On the shipped data it prints:"))
        .expect("the README's make run section");
    // The text between the code block's fences.
    let block = after.split("```").nth(1).expect("a code block after it");
    let wd = Workdir::new();
    copy_dir(&root.join("data"), &wd.file("data"));
    let args = [
        "run",
        "--config",
        "data/kompass.example.toml",
        "--out",
        "notebooks-out",
    ];
    let said = stdout(&wd.run_expect(&args, 0));
    assert_eq!(lines(&said), lines(block));
    let done = said
        .lines()
        .find(|l| l.starts_with("done in "))
        .unwrap_or("");
    assert!(
        done.ends_with(" s; manifest notebooks-out/manifest.json"),
        "{said}"
    );
}
