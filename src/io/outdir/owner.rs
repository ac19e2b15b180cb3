//! Whose folder `--out` is. kompass replaces its output folder as a whole,
//! so it writes only into a folder that does not exist yet, is empty, or
//! holds a `manifest.json` written by kompass; never into the current
//! folder or one that contains it, nor into an input folder or a folder
//! that contains an input. Checked before any work, so a refused run
//! touches nothing.

use std::path::{Path, PathBuf};

use super::lock::holder;
use super::mounts::{mount_points, volume_inside};
use super::sibling;
use crate::error::{Error, Result};
use crate::io::manifest::{self, Manifested};
use crate::io::{Input, resolved};

/// Refuses an output folder kompass may not write (exit code 2), saying
/// what to do instead; one that is no output yet but that another kompass
/// is writing now is [`Error::Locked`] (exit code 4). `named` is the option as the user gave it (`--out
/// x`, or the config file's `out = "x"`), for the message.
pub fn check(out: &Path, named: &str, inputs: &[PathBuf]) -> Result<()> {
    let at = resolved(out);
    let why = match (placed_among_inputs(&at, inputs))
        .or_else(|| path_to(&at))
        .or_else(|| inside_an_output(&at, inputs))
    {
        Some(why) => Some(why),
        // Looked through whole only once the folder is one kompass may
        // write; a folder of the user's only at its top, where a run on a
        // folder in it keeps its lock file (no walk through a large tree
        // to refuse it anyway).
        None => match occupied(out, &at)? {
            Some(why) => Some(being_written_inside(&at, false).unwrap_or(why)),
            None => being_written_inside(&at, true),
        },
    };
    match why {
        Some(why) => Err(Error::Usage(format!("{named}: {why}"))),
        None => Ok(()),
    }
}

/// Refuses an output folder that holds a file found in an input folder: a
/// symbolic link there to one of kompass's own outputs, which the run
/// would read as an export, and which is replaced on every run. The
/// folders themselves were checked by [`check`], so only the links found
/// in them can lead elsewhere, and only they are resolved.
pub fn check_found(out: &Path, named: &str, found: &[Input]) -> Result<()> {
    let at = resolved(out);
    let is_link = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_symlink());
    let inside = (found.iter().filter(|i| i.in_folder && is_link(&i.path)))
        .find(|i| resolved(&i.path).starts_with(&at));
    match inside {
        Some(i) => Err(Error::Usage(format!("{named}: {}", input_inside(&i.path)))),
        None => Ok(()),
    }
}

/// Why an output folder that holds `input` cannot be the output.
fn input_inside(input: &Path) -> String {
    format!(
        "the input {} is inside it, and the output folder is replaced on every run; move the \
         input out or choose another output folder",
        crate::io::named(input)
    )
}

/// Why the folder at `at` (resolved) cannot be the output because of where
/// it is: the current folder or one that contains it, inside an input
/// folder, or holding an input.
fn placed_among_inputs(at: &Path, inputs: &[PathBuf]) -> Option<String> {
    if let Ok(cwd) = std::env::current_dir().map(|c| resolved(&c))
        && cwd.starts_with(at)
    {
        return Some(
            "kompass replaces its output folder as a whole, so it cannot be the current folder \
             or one that contains it; name a new sub-folder, e.g. notebooks-out"
                .into(),
        );
    }
    for input in inputs {
        let i = resolved(input);
        if i == at {
            return Some(format!(
                "it is the input {} itself; name a folder for the outputs, e.g. notebooks-out",
                crate::io::named(input)
            ));
        }
        if input.is_dir() && at.starts_with(&i) {
            return Some(format!(
                "it is inside the input folder {}, whose exports would then include kompass's \
                 own CSV outputs; choose an output folder outside it",
                crate::io::named(input)
            ));
        }
        if i.starts_with(at) {
            return Some(input_inside(input));
        }
    }
    None
}

/// Why the folder at `at` (resolved) cannot be the output because it is
/// inside another kompass output folder: a run there replaces it as a
/// whole, this one with it, and at the same time as a run here took its
/// staging folder from under it. Only a folder that can be an output
/// counts: not the current folder or one that contains it, nor one that
/// holds an input (a `manifest.json` kept in a project folder for the
/// record does not make the outputs below it nested). Nor can a folder
/// inside one a run is writing now, which is no output folder yet: that
/// run would carry this one's output into its own.
fn inside_an_output(at: &Path, inputs: &[PathBuf]) -> Option<String> {
    let cwd = std::env::current_dir().map(|c| resolved(&c)).ok();
    let inputs: Vec<PathBuf> = inputs.iter().map(|i| resolved(i)).collect();
    let (outer, writer) = (at.ancestors().skip(1))
        .filter(|a| !cwd.as_ref().is_some_and(|c| c.starts_with(a)))
        .filter(|a| !inputs.iter().any(|i| i.starts_with(a)))
        .find_map(|a| {
            if manifest::manifested(a) == Manifested::Output {
                Some((a, None))
            } else {
                holder(&sibling(a, "lock")).map(|pid| (a, Some(pid)))
            }
        })?;
    let what = match writer {
        None => "a kompass output folder".to_string(),
        Some(pid) => format!("the output folder of a kompass run in progress (pid {pid})"),
    };
    Some(format!(
        "it is inside {}, {what}, which a run there replaces as a whole, this folder with it \
         (and while a run here writes it); choose a folder outside it",
        crate::io::named(outer)
    ))
}

/// Why the folder at `at` (resolved) cannot be the output because a run
/// in progress is writing a folder inside it: a run here would replace
/// that folder with the rest and carry the other run's staging folder into
/// its own output. Every folder inside is looked through (not a symbolic
/// link's) for a lock file that a running process holds; one left behind
/// whose pid went to another process since is no run's. Only `at` itself
/// unless `deep`.
fn being_written_inside(at: &Path, deep: bool) -> Option<String> {
    let mut folders = vec![at.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name();
            let name = name.as_encoded_bytes();
            if kind.is_dir() && deep {
                folders.push(entry.path());
            } else if kind.is_file() && name.starts_with(b".") && name.ends_with(b".lock") {
                let lock = entry.path();
                if let Some(pid) = holder(&lock) {
                    return Some(format!(
                        "a kompass run in progress (pid {pid}) is writing a folder inside it \
                         (its lock file is {}), and a run here replaces this folder as a whole, \
                         that one with it; wait for that run to end, or choose a folder that \
                         does not hold it",
                        crate::io::shown(&lock)
                    ));
                }
            }
        }
    }
    None
}

/// Why no folder can be written at `at` (resolved: what is checked is
/// what is written): it, or the first of its parents that is there, is a
/// symbolic link (one left in the resolved path could not be followed),
/// or that parent is a file.
fn path_to(at: &Path) -> Option<String> {
    let (place, meta) = at
        .ancestors()
        .find_map(|a| std::fs::symlink_metadata(a).ok().map(|m| (a, m)))?;
    let shown = if place == at {
        "it".to_string()
    } else {
        crate::io::named(place)
    };
    if meta.file_type().is_symlink() {
        let why = match std::fs::canonicalize(place) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                "a symbolic link to a folder that does not exist; create the folder it points \
                 to, or name another one"
                    .to_string()
            }
            Err(e) => format!("a symbolic link that cannot be followed ({e})"),
            Ok(_) => "a symbolic link".to_string(),
        };
        return Some(format!("{shown} is {why}"));
    }
    (place != at && !meta.is_dir())
        .then(|| format!("{shown} is a file, not a folder, so no folder can be made in it"))
}

/// Why the folder at `at` (`out` as the user wrote it), where there is
/// one, is not kompass's to replace: a mount point or a folder holding
/// one, a folder this run's output is written into, not a folder, or a
/// folder of the user's.
fn occupied(out: &Path, at: &Path) -> Result<Option<String>> {
    if !at.exists() {
        return Ok(None);
    }
    let mounts = mount_points();
    if mounts.iter().any(|m| m == at) {
        return Ok(Some(format!(
            "it is a mount point (a volume, a separate file system), and kompass replaces its \
             output folder as a whole by renaming, which cannot move a mount point; name a \
             sub-folder of it, e.g. {}",
            crate::io::named(&sub_folder(out, at))
        )));
    }
    if let Some(why) = volume_inside(at, &mounts) {
        return Ok(Some(why));
    }
    if let Some(stream) = stream_inside(at) {
        return Ok(Some(format!(
            "this run's output is being written to {}, inside it: kompass replaces the folder \
             as a whole, and what is written to that file after it is copied into the new \
             output would be lost; send the log beside the folder (e.g. >> {}.log)",
            crate::io::named(&stream),
            crate::io::named(out)
        )));
    }
    if !at.is_dir() {
        return Ok(Some(
            "it exists and is not a folder; choose a folder".into(),
        ));
    }
    if let Some(why) = not_renamable_by_this_user(at) {
        return Ok(Some(why));
    }
    if crate::io::holds_only_placeholders(at)? {
        return Ok(None);
    }
    // kompass's manifest, and at least one output it lists there as
    // kompass wrote it: a manifest copied into a project folder alone does
    // not make the project kompass's (safety audit, 2026-12-01).
    // Not (yet) kompass's, but a kompass run or generation is writing it
    // now (`synth` writes in place): busy, not foreign (exit 4, or waited
    // on with `--wait` and checked again, under this run's own lock).
    let lock = sibling(at, "lock");
    let manifested = manifest::manifested(at);
    if manifested == Manifested::Output {
        return Ok(None);
    }
    match holder(&lock).filter(|&pid| pid != std::process::id()) {
        Some(pid) => Err(Error::Locked {
            out: out.to_path_buf(),
            lock,
            pid: Some(pid),
            holder: crate::error::Holder::Synth,
        }),
        None => Ok(Some(not_its_own(
            out,
            at,
            manifested == Manifested::NoOutputThere,
        ))),
    }
}

/// A new sub-folder of `out` (resolved as `at`) to suggest: as the user
/// wrote it, but resolved where it names a parent (`..`), whose path need
/// not work in the shell (`missing/../proj`).
fn sub_folder(out: &Path, at: &Path) -> PathBuf {
    let parent = out
        .components()
        .any(|c| c == std::path::Component::ParentDir);
    if parent { at } else { out }.join("kompass-out")
}

/// Outputs every `validate` and `run` writes (`validate::output`), with
/// their first column: a folder with both, as kompass writes them, and
/// no readable manifest was likely kompass's (a project's own
/// `validation.csv` has other columns).
const ALWAYS_WRITTEN: [(&str, &str); 2] =
    [("inputs.csv", "file_id"), ("validation.csv", "severity")];

/// Whether the file at `path` begins (after a byte order mark) with the
/// column `first` and a delimiter kompass writes.
fn starts_with_column(path: &Path, first: &str) -> bool {
    let mut head = [0u8; 64];
    let n = (std::fs::File::open(path))
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    let text = crate::io::decode::strip_bom(&head[..n]);
    (text.strip_prefix(first.as_bytes()))
        .and_then(|rest| rest.first())
        .is_some_and(|b| matches!(b, b',' | b';' | b'\t'))
}

/// Why the folder `at`, given as `out`, is not kompass's output folder
/// (it is not empty; `copied`: it holds a manifest kompass wrote, but
/// none of the outputs it lists).
fn not_its_own(out: &Path, at: &Path, copied: bool) -> String {
    // A manifest that is there but cannot be read (cut short, not JSON,
    // or not to be opened: the system's reason) is said to be so, not
    // missing.
    let manifest = at.join(manifest::FILE_NAME);
    let there = manifest.is_file();
    let unopened = (there && !copied)
        .then(|| std::fs::File::open(&manifest).err())
        .flatten();
    let which = match (copied, there, &unopened) {
        (true, _, _) => format!(
            "its {} lists no output that is in it as kompass wrote it (a manifest copied \
             from another folder, or every output removed or changed since)",
            manifest::FILE_NAME
        ),
        (false, true, Some(e)) => format!(
            "its {} cannot be read: {e} (let this user read it, and the next run goes on from \
             it)",
            manifest::FILE_NAME
        ),
        (false, true, None) => format!(
            "its {} cannot be read as kompass's (cut short or not kompass's JSON)",
            manifest::FILE_NAME
        ),
        (false, false, _) => format!("has no {} written by kompass", manifest::FILE_NAME),
    };
    // An output of kompass's whose manifest was removed or damaged: the
    // advice to choose another folder would nest the next output in it
    // (operator audit, 2026-12-06).
    let written = |(name, first): &(&str, &str)| starts_with_column(&at.join(name), first);
    let lost = match !copied && unopened.is_none() && ALWAYS_WRITTEN.iter().all(written) {
        true => format!(
            "; it holds kompass's {}, as every output folder of kompass's does: if it is one \
             whose {} was removed or damaged, rename it (or move what you put in it elsewhere \
             and remove it), and the next run writes it anew",
            ALWAYS_WRITTEN.map(|(name, _)| name).join(" and "),
            manifest::FILE_NAME
        ),
        false => String::new(),
    };
    // A killed run's previous output aside, and a folder made in its place
    // since (a wrapper's `mkdir -p out` and a file saved into it).
    let aside = super::leftovers::left_aside_by_killed_run(at).map_or(String::new(), |old| {
        // Or the killed run's own output, never swapped in (killed just
        // before it replaced the folder, where the user saved a file
        // meanwhile).
        if super::leftovers::killed_before_its_exchange(&old, at) {
            return format!(
                "; the output of a run that was killed before it replaced this folder is at {} \
                 (nothing of yours is in it but copies): move what you put in this folder \
                 elsewhere, and the next run goes on from there, or remove that folder",
                crate::io::named(&old)
            );
        }
        format!(
            "; the previous output, left by a run that was killed, is at {}: move what you \
             put in this folder elsewhere and remove it, and the next run puts the previous \
             output back",
            crate::io::named(&old)
        )
    });
    format!(
        "this folder is not empty and {which}, so it is not kompass's output folder; kompass \
         replaces its output folder as a whole and writes only into a new or empty folder or \
         one it wrote before: choose an empty folder or a new sub-folder (e.g. {}){lost}{aside}",
        crate::io::named(&sub_folder(out, at))
    )
}

/// Why this user cannot rename the folder at `at`, which kompass must do
/// to replace it: it is another user's, in a folder with the sticky bit
/// (as `/tmp`), where only the owner of the folder or of the folder it is
/// in (or root) may. Said before the run, not after all its work at the
/// swap ("Operation not permitted", every scheduled run again). Linux
/// only.
fn not_renamable_by_this_user(at: &Path) -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        let parent = at.parent()?;
        let (here, beside) = (std::fs::metadata(at).ok()?, std::fs::metadata(parent).ok()?);
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        let sticky = beside.mode() & 0o1000 != 0;
        (sticky && me != 0 && here.uid() != me && beside.uid() != me).then(|| {
            format!(
                "it belongs to another user (uid {}) and is in {}, a folder with the sticky \
                 bit, where only its owner may rename it; kompass replaces its output folder \
                 by renaming it, so choose a folder of your own",
                here.uid(),
                crate::io::named(parent)
            )
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = at;
        None
    }
}

/// The file this process's stdout or stderr goes to, when it is inside
/// `at` (`kompass run -o out >> out/run.log`). Linux only: elsewhere
/// nothing is found.
fn stream_inside(at: &Path) -> Option<PathBuf> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    [1, 2]
        .iter()
        .filter_map(|fd| std::fs::read_link(format!("/proc/self/fd/{fd}")).ok())
        .find(|p| p.starts_with(at))
}
