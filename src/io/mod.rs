//! Everything that touches files: finding input exports, decoding them,
//! reading small CSV tables, writing CSV outputs, the output folder and its
//! manifest. No other module opens a file.

pub mod csv_out;
pub mod decode;
pub mod dialect;
pub mod discover;
pub mod manifest;
pub mod outdir;
pub mod table;

use std::path::Path;

use crate::error::{Error, Result};

pub use csv_out::{CsvOut, Written};
pub use decode::{Decoded, read_text};
pub use discover::{discover, files_with_extension};
pub use table::Table;

/// Creates `dir` and its parents if missing.
pub fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

/// Writes a whole file (a report page, a JSON file).
pub fn write_file(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, contents).map_err(|e| Error::io(path, e))
}
