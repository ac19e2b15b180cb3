//! Whose folder `kompass synth --out` is. A generation writes only into a
//! new or empty folder or one that holds an earlier generation; of an
//! earlier generation it removes exactly the files that generation lists
//! in its `meta/truth.json` (so that none of them is read with the new
//! ones), and it refuses to write over a file it did not write. Everything
//! else in the folder stays. Before it removes or writes anything, a
//! generation lists the earlier generation's files and the temporary
//! `.partial` files it may leave, and each file, with its BLAKE3, once it
//! is written whole and before it is put in place, so that after an interrupt the next one can still tell them
//! from the user's (and a run refuses the folder as unfinished); a file
//! changed since it was written
//! (an export edited into a test case) stops the next generation rather
//! than being removed, and so does the register the next generation draws
//! from, where it is among the files it removes (the earlier one's
//! `meta/register.csv`).

use std::collections::BTreeMap;
use std::path::{Component, Path};

use crate::error::{Error, Result};
use crate::io::config_text::latest_synth_truth;
use crate::io::csv_out::Finished;

/// Where a generation records what it is and what it wrote.
pub const TRUTH: &str = crate::io::config_text::SYNTH_TRUTH;

/// The files a generation with `files` export files writes, relative to
/// `--out` (`meta/register.csv` only when it invents municipalities, but
/// always a place it may write).
pub fn planned(files: u32) -> Vec<String> {
    let mut names: Vec<String> = if files == 1 {
        vec!["evaluations.csv".into()]
    } else {
        (1..=files)
            .map(|i| format!("evaluations_{i:03}.csv"))
            .collect()
    };
    names.extend(["meta/faults.csv", "meta/register.csv", TRUTH].map(String::from));
    names
}

/// What a generation may write into `out` ([`claim`]): whether it makes the
/// folder, and what it removes of the generation before ([`begin`]).
#[derive(Default)]
pub struct Claim {
    /// `out` is new: the generation makes it.
    pub made: bool,
    /// The earlier generation's files (but its truth), as it listed them.
    earlier: Vec<String>,
    /// Their BLAKE3, where the earlier generation recorded it.
    hashes: BTreeMap<String, String>,
    /// What a stopped generation left at its truth's temporary name.
    left: Option<Left>,
}

/// A file at the name a generation writes its truth under first
/// (`meta/.truth.json.partial`), left by one stopped as it wrote it or put
/// it in place: the generation's own where the folder holds a generation.
enum Left {
    /// A whole truth, newer than the one in place: the latest word (it
    /// lists the file about to be put in place, or just put there, with its
    /// BLAKE3; or it is the finished truth), which the next generation
    /// goes by and puts in place first.
    Whole(std::path::PathBuf),
    /// One half-written (empty: a kill as it was written, a power cut), or
    /// a first generation's, which lists nothing in place: removed.
    Stale(std::path::PathBuf),
}

/// Whether `out` is a folder a generation that writes `planned` and draws
/// from `register` (`--register`, where given) may write into: a new or
/// empty folder (a `.gitkeep` alone counts as empty), or one that holds an
/// earlier generation, whose listed files [`begin`] removes (where a
/// generation was stopped as it put its truth in place, as that truth at
/// its temporary name lists them: [`Left::Whole`]). Nothing is removed
/// here.
pub fn claim(out: &Path, planned: &[String], register: Option<&Path>) -> Result<Claim> {
    if !out.exists() {
        return Ok(Claim {
            made: true,
            ..Claim::default()
        });
    }
    let stop = |why: String| {
        Err(Error::Usage(format!(
            "--out {}: {why}",
            crate::io::named(out)
        )))
    };
    let refuse = |why: String| stop(format!("{why}; choose a new or empty folder"));
    if !out.is_dir() {
        return refuse("it exists and is not a folder".into());
    }
    if std::fs::symlink_metadata(out.join("meta")).is_ok_and(|m| !m.is_dir()) {
        return refuse(
            "its meta is not a folder of its own (a symbolic link or a file), and a generation \
             writes and removes files in it"
                .into(),
        );
    }
    let left = out.join(partial(TRUTH));
    let left = std::fs::symlink_metadata(&left)
        .is_ok_and(|m| m.is_file())
        .then_some(left);
    let in_place = std::fs::symlink_metadata(out.join(TRUTH)).is_ok();
    // Where the one in place is kompass synth's, a whole truth left at its
    // temporary name is the latest word (`whole`).
    let Some((truth, whole)) = latest_synth_truth(out) else {
        if crate::io::holds_only_placeholders(out)? {
            return Ok(Claim::default());
        }
        if !in_place && left.is_some() && only_a_first_truth(out) {
            let left = left.map(Left::Stale);
            return Ok(Claim {
                left,
                ..Claim::default()
            });
        }
        if in_place {
            return refuse(format!(
                "it is not empty, and its {TRUTH} is not one kompass synth wrote (not its JSON, \
                 or damaged), so kompass cannot tell an earlier generation's files from yours"
            ));
        }
        return refuse(format!(
            "it is not empty and holds no earlier kompass synth generation ({TRUTH})"
        ));
    };
    let Some(written) = listed(&truth) else {
        return refuse(format!(
            "{TRUTH} is from an earlier kompass synth that did not list the files it wrote, \
             so kompass cannot tell them from yours: remove that generation's files yourself"
        ));
    };
    if let Some(why) = interrupted_leftover(out, &truth, &written) {
        return stop(why);
    }
    // Checked before anything is removed: the names the generation writes
    // and those it writes them under first (a link of the user's at
    // `.evaluations.csv.partial` was written through), each free or a
    // file the earlier generation listed.
    let mut names = (planned.iter().cloned()).chain(planned.iter().map(|p| partial(p)));
    let own = |p: &String| written.contains(p) || (left.is_some() && *p == partial(TRUTH));
    let theirs =
        |p: &String| std::fs::symlink_metadata(out.join(p)).is_ok_and(|m| !own(p) || !m.is_file());
    if let Some(theirs) = names.find(theirs) {
        return refuse(format!(
            "{theirs} is there and is not listed as written by the earlier generation (an \
             interrupted one lists a file before it puts it in place), and this generation would \
             write over it"
        ));
    }
    if let Some(why) = register_among(out, &written, register) {
        return stop(why);
    }
    if let Some(changed) = changed_since(out, &truth, &written)? {
        return stop(format!(
            "{changed} was changed since the earlier generation wrote it (its BLAKE3 is not the \
             one {TRUTH} gives), and this generation would remove it: move it elsewhere or \
             remove it yourself, then generate again"
        ));
    }
    Ok(Claim::over(written, &truth, (left, whole)))
}

impl Claim {
    /// Over the earlier generation that `truth` records, which wrote
    /// `written`; `left`, the file at its truth's temporary name, and
    /// whether it is a whole truth.
    fn over(
        written: Vec<String>,
        truth: &serde_json::Value,
        (left, whole): (Option<std::path::PathBuf>, bool),
    ) -> Claim {
        let left = left.map(|p| {
            if whole {
                Left::Whole(p)
            } else {
                Left::Stale(p)
            }
        });
        let hashes = (truth["blake3"].as_object().into_iter().flatten())
            .filter_map(|(name, h)| Some((name.clone(), h.as_str()?.to_string())))
            .filter(|(name, _)| written.contains(name))
            .collect();
        Claim {
            made: false,
            earlier: written.into_iter().filter(|n| n != TRUTH).collect(),
            hashes,
            left,
        }
    }
}

/// Whether `out`, which holds no truth in place but a file at its
/// temporary name, holds only what a first generation stopped as it wrote
/// or put in place its first truth leaves: `meta` holding that file alone
/// (and placeholders beside it).
fn only_a_first_truth(out: &Path) -> bool {
    let top = crate::io::entry_names(out).is_some_and(|names| {
        names
            .iter()
            .all(|n| n == "meta" || crate::io::is_placeholder(n))
    });
    top && crate::io::entry_names(&out.join("meta")).is_some_and(|names| names.len() == 1)
}

/// Why what an interrupted generation (`truth` not `complete`) left in
/// `out` cannot be told from the user's: its truth is an earlier
/// kompass's, which listed files before they were in place and without
/// their BLAKE3; or a file is there at the name of one of `written`'s
/// temporary `.partial` files, itself not listed: the user's (a
/// generation lists a file before it puts it in place), or one a kompass
/// before this one put in place in the instant before it listed it.
fn interrupted_leftover(
    out: &Path,
    truth: &serde_json::Value,
    written: &[String],
) -> Option<String> {
    if truth["complete"] != false {
        return None;
    }
    if truth.get("blake3").is_none() {
        return Some(format!(
            "{TRUTH} is that of an interrupted generation of an earlier kompass, which listed \
             its files before they were in place and without their BLAKE3, so kompass cannot \
             tell them from yours: remove that generation's files yourself, {TRUTH} with them"
        ));
    }
    let unlisted = (written.iter())
        .map(|n| crate::io::csv_out::unpartial_path(Path::new(n)))
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p != TRUTH && !written.contains(p))
        .find(|p| std::fs::symlink_metadata(out.join(p)).is_ok())?;
    Some(format!(
        "{unlisted} is there and is not listed by the interrupted earlier generation (put there \
         by you, or by a kompass that listed a file only once it was in place, in the instant \
         before it was stopped): move or remove it, then generate again"
    ))
}

/// Why `register` cannot be drawn from where it is: it is a file of
/// `written` (listed by the earlier generation into `out`), which this
/// generation removes (the earlier one's `meta/register.csv`: its
/// invented municipalities, which the new exports use too, were gone with
/// it). A folder of the generation's is no register (its other files are
/// no register's), and other inputs are read whole before; nothing of the
/// new generation refers to them.
fn register_among(out: &Path, written: &[String], register: Option<&Path>) -> Option<String> {
    let given = register?;
    let input = std::fs::canonicalize(given).ok()?;
    let name = (written.iter())
        .filter(|n| *n != TRUTH)
        .find(|n| std::fs::canonicalize(out.join(n)).is_ok_and(|r| r == input))?;
    Some(format!(
        "--register {} is {name} of the earlier generation there, which this generation \
         removes: copy it out of the folder first, or generate into another folder",
        crate::io::named(given)
    ))
}

/// The first of `written` (files an earlier generation into `out` listed)
/// that is no longer as its `truth` records it: its BLAKE3 differs. A file
/// the truth gives no hash (a temporary file, or one of a kompass before
/// the thirty-first session) is taken as written.
fn changed_since(
    out: &Path,
    truth: &serde_json::Value,
    written: &[String],
) -> Result<Option<String>> {
    for name in written.iter().filter(|n| *n != TRUTH) {
        let (Some(recorded), path) = (truth["blake3"][name].as_str(), out.join(name)) else {
            continue;
        };
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
            && crate::io::manifest::hash_file(&path)?.1 != recorded
        {
            return Ok(Some(name.clone()));
        }
    }
    Ok(None)
}

/// The record of an unfinished generation: `meta/truth.json` listing the
/// files an interrupt may leave, kept up to date as files are finished.
pub struct Provisional {
    path: std::path::PathBuf,
    /// The temporary files (and truth.json itself).
    partials: Vec<String>,
    /// The files listed so far (each put in place once listed), with the
    /// BLAKE3 each was written with.
    finished: Vec<String>,
    hashes: BTreeMap<String, String>,
}

/// Lists in `meta/truth.json`, before a generation writes anything, the
/// files an interrupt may leave: the temporary `.partial` files of
/// `planned` (every file is written under that name and renamed when
/// whole), and the earlier generation's files `claim` found, with their
/// BLAKE3, which it then removes (a generation stopped while it removed
/// them left the rest under the earlier one's finished truth, which a
/// `run` read as whole: kill audit, 2026-12-06); [`Provisional::put`] adds
/// each file with its BLAKE3 once it is written whole, before it puts it
/// in place. The finished generation's own `truth.json` replaces this
/// one.
pub fn begin(out: &Path, planned: &[String], claim: Claim) -> Result<Provisional> {
    let mut partials: Vec<String> = vec![TRUTH.to_string(), partial(TRUTH)];
    partials.extend(planned.iter().filter(|p| *p != TRUTH).map(|p| partial(p)));
    let path = out.join(TRUTH);
    // What is left at the name this generation writes its truth under
    // first: a whole truth in place before (the latest word), one
    // half-written removed (it was created new: left, it stopped every
    // generation after).
    match &claim.left {
        Some(Left::Whole(left)) => crate::io::put_in_place(left, &path)?,
        Some(Left::Stale(left)) => crate::io::remove(left)?,
        None => {}
    }
    // An earlier generation's files may be among the partials (one that
    // was interrupted too): listed once.
    let earlier = claim.earlier;
    let listed = (earlier.iter())
        .filter(|n| !partials.contains(n))
        .cloned()
        .collect();
    let mut record = Provisional {
        path,
        partials,
        finished: listed,
        hashes: claim.hashes,
    };
    record.write()?;
    if earlier.is_empty() {
        return Ok(record);
    }
    for name in &earlier {
        let file = out.join(name);
        if std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file()) {
            crate::io::remove(&file)?;
        }
    }
    record.finished.clear();
    record.hashes.clear();
    record.write()?;
    Ok(record)
}

impl Provisional {
    /// Lists `name` (relative to `--out`) with the BLAKE3 its file was
    /// written with (hashed while written: not read back), once `finish`
    /// has written it whole at its temporary name, and then puts it in
    /// place: no file is ever in place unlisted (listed only once in place,
    /// one an interrupt left in the instant between could not be told from
    /// the user's, and stopped the next generation). A file of the user's
    /// put at a listed name since is told by its BLAKE3.
    ///
    /// Where it cannot be listed (the truth not written), the file is
    /// removed, and not put in place.
    pub fn put(&mut self, name: &str, finish: impl FnOnce() -> Result<Finished>) -> Result<()> {
        let finished = finish()?;
        self.finished.push(name.to_string());
        self.hashes
            .insert(name.to_string(), finished.blake3.clone());
        if let Err(e) = self.write() {
            crate::io::discard_file(finished.tmp());
            self.finished.retain(|f| f != name);
            self.hashes.remove(name);
            return Err(e);
        }
        finished.put_in_place().map(|_| ())
    }

    /// What the finished generation wrote: the files put in place and its
    /// truth.json, and the BLAKE3 of each but the truth, for the truth to
    /// record.
    pub fn written(mut self) -> (Vec<String>, BTreeMap<String, String>) {
        self.finished.push(TRUTH.to_string());
        (self.finished, self.hashes)
    }

    /// Removes the temporary files of a generation that failed with `e`
    /// (each may be large: a disk that filled up stayed full), and returns
    /// `e` with a temporary file named as the file it was to become. The
    /// provisional `truth.json` stays, listing what the next generation
    /// into `out` removes, but where the generation made `out` (`made`)
    /// and put none of its files in place: then `out` is removed as it
    /// came, empty (a folder of yours put there meanwhile stays).
    pub fn abandon(&self, out: &Path, made: bool, e: Error) -> Error {
        for p in self.partials.iter().filter(|p| *p != TRUTH) {
            crate::io::discard_file(&out.join(p));
        }
        let put = |f: &String| std::fs::symlink_metadata(out.join(f)).is_ok();
        if made && !self.finished.iter().any(put) {
            crate::io::discard_file(&self.path);
            crate::io::discard_empty_dir(&out.join("meta"));
            crate::io::discard_empty_dir(out);
        }
        match e {
            Error::Io { path, source } => Error::Io {
                path: crate::io::csv_out::unpartial_path(&path),
                source,
            },
            e => e,
        }
    }

    fn write(&self) -> Result<()> {
        let files: Vec<&String> = self.partials.iter().chain(&self.finished).collect();
        let record = serde_json::json!({
            "generator": format!("kompass synth {}", env!("CARGO_PKG_VERSION")),
            "complete": false,
            "files": files,
            "blake3": self.hashes,
        });
        crate::io::write_file_whole(&self.path, record.to_string() + "\n")
    }
}

/// `dir/.name.partial` for `dir/name` (relative to `--out`).
fn partial(rel: &str) -> String {
    crate::io::csv_out::partial_path(Path::new(rel))
        .to_string_lossy()
        .into_owned()
}

/// The files a generation lists as written: relative paths inside the
/// folder only (a crafted list cannot reach outside it).
fn listed(truth: &serde_json::Value) -> Option<Vec<String>> {
    let inside = |p: &str| {
        let path = Path::new(p);
        !p.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
    };
    let files = truth["files"].as_array()?;
    Some(
        files
            .iter()
            .filter_map(|f| f.as_str())
            .filter(|p| inside(p))
            .map(String::from)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_path_cannot_leave_the_folder() {
        let truth = serde_json::json!({
            "generator": "kompass synth 0.1.0",
            "files": ["evaluations.csv", "../x.csv", "/etc/passwd", "meta/faults.csv", "", "meta/../../y", "meta/truth.json"]
        });
        assert_eq!(
            listed(&truth).unwrap(),
            vec!["evaluations.csv", "meta/faults.csv", "meta/truth.json"]
        );
    }

    #[test]
    fn the_planned_names_follow_the_number_of_files() {
        assert_eq!(planned(1)[0], "evaluations.csv");
        let three = planned(3);
        assert_eq!(
            &three[..3],
            [
                "evaluations_001.csv",
                "evaluations_002.csv",
                "evaluations_003.csv"
            ]
        );
        assert!(three.contains(&TRUTH.to_string()));
    }
}
