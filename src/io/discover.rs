//! Input discovery: which files an `--input` argument names.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Extensions read from an input folder.
const INPUT_EXTENSIONS: [&str; 3] = ["csv", "tsv", "txt"];

/// Spreadsheet workbooks: listed from an input folder too, so that one
/// there is named (skipped unread, with what to do) rather than passed
/// over without a word; kompass reads CSV.
pub const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// Apache Parquet tables (a run's `evaluations.parquet` put back among the
/// exports): listed from an input folder and skipped with a notice, as a
/// workbook is (it was passed over without a word).
const PARQUET_EXTENSIONS: [&str; 1] = ["parquet"];

/// An input file to read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Input {
    pub path: PathBuf,
    /// Found in a folder (not named itself): a file there that is not an
    /// export (`notes.txt`) is skipped with a notice instead of ending the
    /// run.
    pub in_folder: bool,
}

/// For a folder with no export of its own: that its sub-folders are not
/// read, when it has any (a folder of data sets, such as `data/sample`).
fn sub_folders_note(folder: &Path) -> String {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return String::new();
    };
    let mut subs: Vec<String> = (entries.flatten())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    subs.sort();
    match subs.first() {
        None => String::new(),
        Some(first) => format!(
            " (its {} sub-folder(s), such as {first}, are not read: name each as this folder was named)",
            subs.len()
        ),
    }
}

/// Expands `--input` arguments: files as given, folders into every `*.csv`,
/// `*.tsv` and `*.txt` file directly inside them (not in sub-folders, so a
/// generated data set's `meta/` is not read as an export), sorted by path.
/// A file named twice is read once, however the names are spelled.
pub fn discover(inputs: &[PathBuf]) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            unfinished_generation(input)?;
            let mut found = list_exports(input)?;
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: no *.csv, *.tsv or *.txt files in this folder{}",
                    crate::io::named(input),
                    sub_folders_note(input)
                )));
            }
            found.sort();
            out.extend(found.into_iter().map(|path| Input {
                path,
                in_folder: true,
            }));
        } else if input.is_file() || (!input.exists() && std::fs::read_link(input).is_ok()) {
            // A symbolic link to nothing (a share not mounted) is read as a
            // file, like one found in a folder: its read says where it
            // points (exit 1), not "no such file" (a mistyped name, exit 2).
            // A link to a pipe or a device is not: it exists, and is named
            // below (a pipe would wait).
            out.push(Input {
                path: input.clone(),
                in_folder: false,
            });
        } else if input.exists() {
            return Err(Error::Usage(format!(
                "{}: not a regular file or a folder (a device, a pipe or a socket); name an \
                 export file or a folder of them",
                crate::io::named(input)
            )));
        } else if input.to_string_lossy().ends_with('/')
            && input.components().collect::<PathBuf>().is_file()
        {
            // `in.csv/`: the system finds no folder there, and says so as
            // if nothing were there.
            return Err(Error::Usage(format!(
                "{}: a file, named with a '/' at the end as a folder is: leave out the '/'",
                crate::io::named(input)
            )));
        } else if let Err(e) = std::fs::metadata(input)
            && !crate::io::is_missing(&e)
        {
            // Not to be looked at (a folder on its way without
            // permission): the system's reason, exit 1, not "no such file".
            return Err(Error::io(input, e));
        } else {
            return Err(Error::Usage(format!(
                "{}: no such file or folder",
                crate::io::named(input)
            )));
        }
    }
    // The same file however it is spelled (`in.csv`, `./in.csv`, through a
    // symbolic or a hard link, or named and also found in its folder).
    let mut seen = std::collections::HashSet::new();
    out.retain(|i| seen.insert(identity(&i.path)));
    Ok(out)
}

/// Refuses a folder that holds a `kompass synth` generation not finished
/// (its `meta/truth.json` says `"complete": false`: interrupted, or being
/// written now), whose exports are not all there, some perhaps still the
/// earlier generation's: read, they gave figures of part of a data set
/// without a word (kill audit, 2026-12-06).
fn unfinished_generation(folder: &Path) -> Result<()> {
    use crate::io::config_text::{SYNTH_TRUTH, latest_synth_truth};
    match latest_synth_truth(folder) {
        Some((t, _)) if t["complete"] == false => Err(Error::Usage(format!(
            "{}: holds a kompass synth generation that is not finished (its {} says so: it \
             was interrupted, or is being written now), so its exports are not all there: \
             generate it again, or name the files to read one by one",
            crate::io::named(folder),
            SYNTH_TRUTH
        ))),
        _ => Ok(()),
    }
}

/// What makes two paths one file: its device and inode where the system
/// has them (a hard link is another name of the same inode), else its path
/// with links and `..` resolved.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Identity {
    Inode(u64, u64),
    Path(PathBuf),
}

fn identity(path: &Path) -> Identity {
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::MetadataExt;
        return Identity::Inode(meta.dev(), meta.ino());
    }
    Identity::Path(crate::io::resolved(path))
}

/// The `*.csv`, `*.tsv` and `*.txt` entries of an input folder that are not
/// folders, and its workbooks and Parquet tables (skipped when read:
/// [`WORKBOOK_EXTENSIONS`], [`PARQUET_EXTENSIONS`]):
/// files, and also what a reader cannot take for one, so that it
/// is named rather than left out without a word: a link to nothing (a
/// share not mounted) or to itself ends the run when read, a pipe, device
/// or socket is skipped with a notice (never opened: a pipe would wait).
fn list_exports(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let lock = is_editors_lock(&path);
        let table = has_extension(&path, &INPUT_EXTENSIONS) || is_parquet(&path);
        // A folder named like an export (`2019.csv/`) too: skipped with a
        // warning when read, as a workbook is (it was passed over unsaid);
        // so is a Parquet dataset's folder (`scores.parquet/`).
        if !lock && (table || (is_workbook(&path) && !path.is_dir())) {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// Whether `path` is an editor's lock beside a file it has open, no file
/// of the user's: Excel's (`~$book.xlsx`, `~$scores.csv`: the owner's
/// name in 165 bytes) or Emacs's (`.#scores.csv`, a link to
/// `user@host.pid`, which is no file: read, it ended the run). A regular
/// file named `.#...` is not Emacs's, and is read.
fn is_editors_lock(path: &Path) -> bool {
    let Some(name) = path.file_name() else {
        return false;
    };
    let name = name.as_encoded_bytes();
    name.starts_with(b"~$")
        || (name.starts_with(b".#")
            && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()))
}

/// Whether `path` names a spreadsheet workbook ([`WORKBOOK_EXTENSIONS`]).
pub fn is_workbook(path: &Path) -> bool {
    has_extension(path, &WORKBOOK_EXTENSIONS)
}

/// Whether `path` names a Parquet table ([`PARQUET_EXTENSIONS`]).
pub fn is_parquet(path: &Path) -> bool {
    has_extension(path, &PARQUET_EXTENSIONS)
}

/// Whether `path`'s extension is one of `extensions` (ignoring case).
fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    (path.extension().and_then(|e| e.to_str()))
        .is_some_and(|e| extensions.contains(&e.to_ascii_lowercase().as_str()))
}

/// The files directly in `dir` whose extension is one of `extensions`
/// (ignoring case), sorted by path: a register's or the instruments'
/// folder, all of whose files are read. What is named so and is no file
/// is not left out without a word (a country's register missing, its rows
/// all `unknown-country`): a link to nothing ends the run when read, as
/// an export's does; a pipe, device or socket is refused (exit 2, never
/// opened: a pipe would wait); a folder is skipped with a warning; an
/// editor's lock ([`is_editors_lock`]) is left out.
pub fn files_with_extension(dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if !has_extension(&path, extensions) || is_editors_lock(&path) {
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => found.push(path),
            Ok(m) if m.is_dir() => crate::io::warn(&format!(
                "{}: a folder named like a file to read, skipped (its files are not read)",
                crate::io::shown(&path)
            )),
            Ok(_) => {
                return Err(Error::config(
                    &path,
                    "not a regular file (a pipe, a device or a socket), named like a file to \
                     read in this folder: move it out of the folder",
                ));
            }
            // A link to nothing or a loop of links: its read says so.
            Err(_) if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink()) => {
                found.push(path);
            }
            // Not to be looked at (no permission): the system's reason.
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    found.sort();
    Ok(found)
}
