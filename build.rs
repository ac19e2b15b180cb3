//! Embeds the shipped instrument definitions and municipality register
//! (`data/instrument/*.toml`, `data/reference/*.csv`, with the former codes
//! of `data/reference/former/*.csv`) into the binary, so that
//! kompass works from any folder. Adding a file to either folder needs no code
//! change: it is picked up on the next build.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn embed(dir: &str, ext: &str, name: &str, out: &mut String) {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets this")).join(dir);
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files: Vec<_> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    writeln!(out, "pub static {name}: &[(&str, &str)] = &[").unwrap();
    for f in files {
        println!("cargo:rerun-if-changed={}", f.display());
        let file_name = f.file_name().unwrap().to_string_lossy().into_owned();
        writeln!(
            out,
            "    ({file_name:?}, include_str!({:?})),",
            f.display().to_string()
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
}

fn main() {
    let mut out = String::new();
    embed("data/instrument", "toml", "INSTRUMENTS", &mut out);
    embed("data/reference", "csv", "REGISTER", &mut out);
    embed("data/reference/former", "csv", "FORMER", &mut out);
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets this")).join("embedded.rs");
    fs::write(dest, out).expect("write embedded.rs");
}
