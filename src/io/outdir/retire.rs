//! Removing the previous output after the swap without losing what the
//! user saved into the output folder while the run was going on. What
//! survives a run is carried into the new output before the swap
//! ([`super::carry_over`]); a file saved after that, or saved again by an
//! editor that writes a new file and renames it, was only in the previous
//! output, and went with it. Now the previous output is gone through
//! entry by entry: kompass's own files are removed, and so is what was
//! carried (the same file, or the same bytes, in the new output); anything
//! else is moved into the new output, at its place or, where that is
//! taken, as `<name>.kept`, and named.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::path::Path;

use super::carry::{Own, entries, free_name};

/// The previous output's manifest: removed after everything else.
const MANIFEST: &str = crate::io::manifest::FILE_NAME;

/// Removes the previous output `old` now that `new` is in its place:
/// `own` what kompass wrote in it, `moved` the names carrying gave what
/// it could not keep at its own (by relative place). Returns whether
/// `old` is gone, and what was moved into `new` (for the summary). An
/// entry that cannot be removed or moved is left, the others are gone
/// through all the same; what is left is the user's to look at (the run
/// says where), never removed whole by a later run.
pub fn retire(
    old: &Path,
    new: &Path,
    own: &Own,
    moved: &BTreeMap<String, OsString>,
) -> (bool, Vec<String>) {
    let mut late = Vec::new();
    // A file saved into the folder while it is gone through keeps it
    // from being removed: gone through again, a few times.
    for _ in 0..3 {
        if sweep(old, new, "", own, moved, &mut late).is_err() {
            break;
        }
        // The manifest last: a run killed on the way leaves it, and the
        // next run knows from it which of what is left is kompass's
        // (`super::put_back_or_retire`), rather than moving stale outputs
        // in as the user's. Gone through as the rest: one the user edited
        // (carried) or saved during the run is theirs.
        // (Gone already: nothing to do.)
        let at = old.join(MANIFEST);
        let _ = go_through(&at, MANIFEST, (old, new, ""), (own, moved), &mut late);
        if fs::remove_dir(old).is_ok() {
            return (true, late);
        }
    }
    (false, late)
}

/// Goes through folder `dir` of the previous output (at `rel`), whose
/// counterpart in the new output is `into` (made only if something is
/// moved there: a folder of kompass's that the new run did not write, as
/// `charts/` after `--charts none`, is emptied, not moved). The first
/// error, after every entry was tried.
fn sweep(
    dir: &Path,
    into: &Path,
    rel: &str,
    own: &Own,
    moved: &BTreeMap<String, OsString>,
    late: &mut Vec<String>,
) -> std::io::Result<()> {
    let mut first = None;
    for (entry, r) in entries(dir, rel)? {
        if r == MANIFEST {
            continue;
        }
        // A read-only folder of the user's is made writable for its owner
        // (as removing the old output did), then tried again.
        let src = entry.path();
        let mut once = || go_through(&src, &r, (dir, into, rel), (own, moved), late);
        let result = once().or_else(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => {
                super::make_writable(dir);
                once()
            }
            _ => Err(e),
        });
        if let Err(e) = result {
            first.get_or_insert(e);
        }
    }
    first.map_or(Ok(()), Err)
}

/// One entry `src` of the previous output (at relative place `r`; of
/// [`sweep`], or the manifest last): removed, gone through, or moved into
/// the new output (and the summary's line for it added to `late`); an
/// error if it is not there.
fn go_through(
    src: &Path,
    r: &str,
    (dir, into, rel): (&Path, &Path, &str),
    (own, moved): (&Own, &BTreeMap<String, OsString>),
    late: &mut Vec<String>,
) -> std::io::Result<()> {
    let name = src.file_name().unwrap_or_default().to_os_string();
    let meta = fs::symlink_metadata(src)?;
    let kind = meta.file_type();
    if kind.is_file() && own.wrote_as_seen(r, &meta) {
        return fs::remove_file(src);
    }
    let target = into.join(moved.get(r).unwrap_or(&name));
    let is_dir = fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir());
    if kind.is_dir() && super::mounts::mounted_at(src) {
        // A volume mounted inside since the carrying: not gone through
        // (its files would go), and the old output is left, named.
        return Err(std::io::Error::other("a volume is mounted there"));
    }
    if kind.is_dir() && (is_dir || own.has_under(r)) {
        let swept = sweep(src, &target, r, own, moved, late);
        // Emptied, unless something arrived meanwhile: then the next
        // round goes through it again.
        let _ = fs::remove_dir(src);
        return swept;
    }
    if same(src, &target) || carried_aside(src, into, &name) || kept_link_of(src, into, &name) {
        return fs::remove_file(src);
    }
    // Saved (or saved again) after it was carried: moved in.
    fs::create_dir_all(into)?;
    let (dst, kept) = free_name(into, dir, &name);
    fs::rename(src, &dst)?;
    let kept = kept.to_string_lossy();
    let shown = match rel {
        "" => kept.into_owned(),
        _ => format!("{rel}/{kept}"),
    };
    late.push(if shown == r {
        format!("{r}, saved during the run")
    } else {
        format!("{r}, saved during the run (kept as {shown})")
    });
    Ok(())
}

/// Whether `src` was carried into `into` under another name,
/// `<name>.kept`, `.kept2`, ... ([`free_name`]): what a run killed on the
/// way leaves, its map of such names gone with it, is found so too.
fn carried_aside(src: &Path, into: &Path, name: &std::ffi::OsStr) -> bool {
    (1..)
        .map_while(|n| {
            let mut kept = name.to_os_string();
            kept.push(if n == 1 {
                ".kept".to_string()
            } else {
                format!(".kept{n}")
            });
            let at = into.join(kept);
            fs::symlink_metadata(&at).is_ok().then_some(at)
        })
        .any(|at| same(src, &at))
}

/// Whether `src`, named `<base>.kept` (`.kept2`, ...), is a hard link to
/// `<base>` in `into`: what carrying kept aside in a complete new output
/// that a `kill -9` left unswapped at `.<out>.old-<pid>`, gone through
/// against the previous output still in place (the file is there, under
/// its own name). Only a hard link: a file of the same bytes may be a
/// note of the user's.
#[cfg(unix)]
fn kept_link_of(src: &Path, into: &Path, name: &std::ffi::OsStr) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let name = name.as_bytes();
    let Some(at) = name.windows(5).rposition(|w| w == b".kept") else {
        return false;
    };
    let (base, suffix) = (&name[..at], &name[at + 5..]);
    if base.is_empty() || !suffix.iter().all(u8::is_ascii_digit) || suffix.starts_with(b"0") {
        return false;
    }
    is_link_to(src, &into.join(std::ffi::OsStr::from_bytes(base)))
}

#[cfg(not(unix))]
fn kept_link_of(_src: &Path, _into: &Path, _name: &std::ffi::OsStr) -> bool {
    false
}

/// Whether `a` is a hard link to `b` (the same file, pipe or link: not a
/// folder; never on a system where that cannot be told).
pub(super) fn is_link_to(a: &Path, b: &Path) -> bool {
    match (fs::symlink_metadata(a), fs::symlink_metadata(b)) {
        (Ok(a), Ok(b)) => one_inode(&a, &b),
        _ => false,
    }
}

/// [`is_link_to`] from the two entries' metadata, read once.
fn one_inode(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        !a.is_dir() && (a.dev(), a.ino()) == (b.dev(), b.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Whether `a` of the previous output is what was carried to `b`: the
/// same file (a hard link), a link to the same place, or a file of the
/// same bytes (a copy, where hard links are refused). A folder is gone
/// through instead.
fn same(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (fs::symlink_metadata(a), fs::symlink_metadata(b)) else {
        return false;
    };
    if one_inode(&ma, &mb) {
        return true;
    }
    let (ka, kb) = (ma.file_type(), mb.file_type());
    if ka.is_symlink() && kb.is_symlink() {
        return matches!((fs::read_link(a), fs::read_link(b)), (Ok(x), Ok(y)) if x == y);
    }
    if ka.is_file() && kb.is_file() {
        return ma.len() == mb.len() && same_bytes(a, b).unwrap_or(false);
    }
    false
}

fn same_bytes(a: &Path, b: &Path) -> std::io::Result<bool> {
    let (mut fa, mut fb) = (fs::File::open(a)?, fs::File::open(b)?);
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(fb.read(&mut bb[..1])? == 0);
        }
        fb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// The previous output after a swap: kompass's file and the carried
    /// ones go; a note saved after the carrying, one saved again by an
    /// editor (a new file renamed over the old) and one in a folder of the
    /// user's are moved into the new output, the second beside the carried
    /// copy as `.kept`.
    #[test]
    fn what_was_saved_during_the_run_is_moved_not_removed() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old"), dir.path().join("new"));
        for d in [&old, &new, &old.join("notes"), &new.join("notes")] {
            fs::create_dir_all(d).unwrap();
        }
        let write = |p: &Path, text: &str| fs::write(p, text).unwrap();
        write(&old.join("averages.csv"), "old output");
        write(&new.join("averages.csv"), "new output");
        write(&old.join("mine.txt"), "carried");
        fs::hard_link(old.join("mine.txt"), new.join("mine.txt")).unwrap();
        write(&old.join("edited.txt"), "carried");
        fs::hard_link(old.join("edited.txt"), new.join("edited.txt")).unwrap();
        write(&old.join("edited.txt.tmp"), "saved again");
        fs::rename(old.join("edited.txt.tmp"), old.join("edited.txt")).unwrap();
        write(&old.join("late.txt"), "saved during the run");
        write(&old.join("notes/late.txt"), "in a folder of mine");
        let own = Own::new(["averages.csv".to_string()], []);
        let (gone, late) = retire(&old, &new, &own, &BTreeMap::new());
        assert!(gone && !old.exists());
        let read = |p: &str| fs::read_to_string(new.join(p)).unwrap();
        assert_eq!(read("averages.csv"), "new output");
        assert_eq!(read("mine.txt"), "carried");
        assert_eq!(read("edited.txt.kept"), "saved again");
        assert_eq!(read("late.txt"), "saved during the run");
        assert_eq!(read("notes/late.txt"), "in a folder of mine");
        assert_eq!(
            late,
            [
                "edited.txt, saved during the run (kept as edited.txt.kept)",
                "late.txt, saved during the run",
                "notes/late.txt, saved during the run"
            ]
        );
    }

    /// An output the manifest lists that was not there when the run
    /// looked (removed by the user), saved at its place during the run,
    /// is the user's: moved into the new output, not removed as
    /// kompass's; one there as written is removed, and one edited after
    /// the look (its size changed) is moved in beside the new one.
    #[test]
    fn an_output_saved_where_there_was_none_is_the_users() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old"), dir.path().join("new"));
        fs::create_dir_all(&old).unwrap();
        fs::create_dir_all(&new).unwrap();
        for name in ["averages.csv", "rejects.csv"] {
            fs::write(old.join(name), "old output").unwrap();
            fs::write(new.join(name), "new output").unwrap();
        }
        fs::write(new.join("trends.csv"), "new output").unwrap();
        let listed = |name: &str| {
            let meta = fs::metadata(old.join(name)).unwrap();
            let ns = crate::io::manifest::modified_ns(&meta).unwrap();
            format!(
                r#"{{"path":"{name}","bytes":{},"modified_ns":{ns}}}"#,
                meta.len()
            )
        };
        let outputs = [listed("averages.csv"), listed("rejects.csv")].join(",");
        let trends = r#"{"path":"trends.csv","bytes":3,"modified_ns":1}"#;
        let manifest = format!(r#"{{"tool":"kompass","outputs":[{outputs},{trends}]}}"#);
        fs::write(old.join(MANIFEST), manifest).unwrap();
        let own = Own::of_output(&old, None);
        assert!(own.wrote("trends.csv") && own.wrote("rejects.csv"));
        fs::write(old.join("trends.csv"), "saved during the run").unwrap();
        fs::write(old.join("rejects.csv"), "edited during the run").unwrap();
        let (gone, late) = retire(&old, &new, &own, &BTreeMap::new());
        assert!(gone && !old.exists());
        let read = |p: &str| fs::read_to_string(new.join(p)).unwrap();
        assert_eq!(read("averages.csv"), "new output");
        assert_eq!(read("trends.csv.kept"), "saved during the run");
        assert_eq!(read("rejects.csv.kept"), "edited during the run");
        assert_eq!(
            late,
            [
                "rejects.csv, saved during the run (kept as rejects.csv.kept)",
                "trends.csv, saved during the run (kept as trends.csv.kept)"
            ]
        );
    }

    /// The manifest removed or broken while the run works: the listing
    /// read at the run's start judges the outputs (never-destroy audit, 2026-12-04:
    /// every output was carried as the user's), and a broken manifest is
    /// the user's.
    #[test]
    fn a_manifest_gone_during_the_run_leaves_its_outputs_kompass_s() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path();
        fs::write(old.join("averages.csv"), "old output").unwrap();
        let meta = fs::metadata(old.join("averages.csv")).unwrap();
        let ns = crate::io::manifest::modified_ns(&meta).unwrap();
        let manifest = format!(
            r#"{{"tool":"kompass","outputs":[{{"path":"averages.csv","bytes":10,"modified_ns":{ns}}}]}}"#
        );
        fs::write(old.join(MANIFEST), manifest).unwrap();
        let start = crate::io::manifest::look(old).listing;
        assert!(Own::of_output(old, None).wrote("averages.csv"));
        for broken in [None, Some("{")] {
            match broken {
                None => fs::remove_file(old.join(MANIFEST)).unwrap(),
                Some(text) => fs::write(old.join(MANIFEST), text).unwrap(),
            }
            let then = Own::of_output(old, start.as_deref());
            assert_eq!(then.wrote(MANIFEST), broken.is_none(), "{broken:?}");
            assert!(then.wrote("averages.csv"), "{broken:?}");
            assert!(!Own::of_output(old, None).wrote("averages.csv"));
        }
    }

    /// An old output (`old`) whose `trends.csv` the user edited, carried
    /// into the new output (`new`) as `trends.csv.kept`.
    fn edited_and_carried(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
        let (old, new) = (dir.join("old"), dir.join("new"));
        fs::create_dir_all(&old).unwrap();
        fs::create_dir_all(&new).unwrap();
        fs::write(old.join("trends.csv"), "edited by the user").unwrap();
        fs::write(new.join("trends.csv"), "new output").unwrap();
        fs::write(new.join("trends.csv.kept"), "edited by the user").unwrap();
        (old, new)
    }

    /// A changed output carried as `<name>.kept` is found there (not
    /// moved in a second time as `.kept2`).
    #[test]
    fn a_file_carried_under_another_name_is_found_there() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = edited_and_carried(dir.path());
        let moved = BTreeMap::from([("trends.csv".to_string(), OsString::from("trends.csv.kept"))]);
        let (gone, late) = retire(&old, &new, &Own::new([], []), &moved);
        assert!(gone && late.is_empty(), "{late:?}");
        assert!(!new.join("trends.csv.kept2").exists());
    }

    /// A run killed while it went through its previous output left what
    /// it had not reached, and the next run goes through it without the
    /// killed run's map of names (`moved`): an output the user edited,
    /// carried as `trends.csv.kept`, is found there, not moved in as
    /// `.kept2`; and the manifest is left until everything else is gone
    /// (the entries are gone through in name order, and `manifest.json`
    /// came before `rejects.csv` and `trends.csv`), so that a run killed
    /// on the way leaves the next one what in it is kompass's.
    #[test]
    fn the_manifest_goes_last_and_names_carried_aside_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = edited_and_carried(dir.path());
        fs::write(old.join(MANIFEST), "{}").unwrap();
        fs::write(old.join("rejects.csv"), "old output").unwrap();
        let own = Own::new(
            [MANIFEST.to_string(), "rejects.csv".to_string()],
            ["trends.csv".to_string()],
        );
        let mut late = Vec::new();
        sweep(&old, &new, "", &own, &BTreeMap::new(), &mut late).unwrap();
        assert!(late.is_empty(), "{late:?}");
        assert!(!old.join("trends.csv").exists() && !old.join("rejects.csv").exists());
        assert!(!new.join("trends.csv.kept2").exists());
        assert!(old.join(MANIFEST).is_file());
        let (gone, late) = retire(&old, &new, &own, &BTreeMap::new());
        assert!(gone && late.is_empty() && !old.exists());
    }

    /// A complete new output left unswapped, gone through against the
    /// previous output in place: its `<name>.kept` hard link to the
    /// user's `<name>` there is found as such (not moved in as `.kept2`);
    /// a file of the same bytes, or a name only like it, is not.
    #[test]
    fn a_kept_link_to_a_file_in_place_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let (left, into) = (dir.path().join("left"), dir.path().join("in place"));
        fs::create_dir_all(&left).unwrap();
        fs::create_dir_all(&into).unwrap();
        fs::write(into.join("trends.csv"), "edited by the user").unwrap();
        fs::hard_link(into.join("trends.csv"), left.join("trends.csv.kept")).unwrap();
        fs::hard_link(into.join("trends.csv"), left.join("trends.csv.kept2")).unwrap();
        fs::hard_link(into.join("trends.csv"), left.join("trends.csv.kept0")).unwrap();
        fs::write(left.join("copy.kept"), "edited by the user").unwrap();
        fs::write(into.join("copy"), "edited by the user").unwrap();
        let found = |name: &str| kept_link_of(&left.join(name), &into, name.as_ref());
        assert!(found("trends.csv.kept") && found("trends.csv.kept2"));
        assert!(!found("trends.csv.kept0") && !found("copy.kept"));
    }
}
