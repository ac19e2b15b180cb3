//! Faults that only the system can make, late in a run: a swap whose undo
//! fails, an interrupt while the previous output is gone through, an input
//! gone after it was listed and a staging folder that cannot be removed
//! (made with `strace`), a write the storage refuses on its way to the disk
//! (a full thin volume: root, a loop device, `mkfs.ext4`). Each is a
//! script in `tests/faults/` that a person can also run by hand and that
//! exits 1 saying what failed; here each runs where the machine allows
//! (else it says it was skipped, unless `.ci/run` found that it does:
//! `workdir::skip`).

use std::path::Path;
use std::process::Command;

use crate::nobody::is_root;
use crate::workdir::{Need, skip};

/// Whether `strace` may trace a child here and inject a fault into it,
/// in the system calls the scripts trace (`rename`, `link` and `unlink`
/// are x86-64's: where the system has no such call, strace refuses it).
fn can_trace() -> bool {
    let calls = "trace=rename,renameat2,link,linkat,unlink,unlinkat";
    let inject = "inject=rename:error=EIO";
    let probe = [
        "-f",
        "-qq",
        "-o",
        "/dev/null",
        "-e",
        calls,
        "-e",
        inject,
        "true",
    ];
    Command::new("strace")
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether a thin volume can be made here: root, a free loop device and
/// `mkfs.ext4`.
fn can_make_a_thin_volume() -> bool {
    let works = |cmd: &str, arg: &str| {
        (Command::new(cmd).arg(arg).output()).is_ok_and(|o| o.status.success())
    };
    is_root() && works("losetup", "--find") && works("mkfs.ext4", "-V")
}

/// Runs `tests/faults/<name>` on the binary under test and fails with its
/// account unless it exits 0 (the script checks what kompass did).
fn passes(name: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/faults")
        .join(name);
    let out = Command::new("bash")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_kompass"))
        .output()
        .expect("run bash");
    let said = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{name}: exit {:?}\n{said}",
        out.status.code()
    );
    assert!(!said.contains("FAILED"), "{name}:\n{said}");
}

/// Runs the script `name` that needs `strace` (skipped where it cannot).
fn traced(name: &str) {
    if can_trace() {
        passes(name);
    } else {
        skip(Need::Strace, "strace cannot trace and inject faults here");
    }
}

/// Runs the script `name` that needs a thin volume (skipped where none
/// can be made), one at a time: two loop mounts made at once may take
/// the same free loop device, and one script's `sync` and cache drop
/// would land in the other's run (the synth case once passed a finished
/// generation so in the whole suite).
fn on_a_thin_volume(name: &str) {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    if can_make_a_thin_volume() {
        let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        passes(name);
    } else {
        skip(
            Need::Loop,
            "a thin volume needs root, a loop device and mkfs.ext4",
        );
    }
}

#[test]
fn a_swap_whose_undo_fails_says_where_the_previous_output_is() {
    traced("failed_swap_undo.sh");
}

#[test]
fn an_interrupt_while_the_previous_output_is_gone_through_keeps_a_file_saved_meanwhile() {
    traced("interrupt_during_retire.sh");
}

/// An input gone after it was listed, and a failed run's staging folder
/// that cannot be removed, are said (audit at odd inputs, 2026-12-02).
#[test]
fn an_input_gone_and_a_staging_folder_left_are_said() {
    traced("gone_and_left.sh");
}

/// A run killed at its swap leaves nothing of the user's for the next run
/// to remove whole: a note saved during the run into a folder without a
/// manifest, killed right after the exchange (audit, 2026-12-02: the next
/// run removed it with the killed run's "staging folder"); killed just
/// before it, the user's files kept once each.
#[test]
fn a_run_killed_at_its_swap_leaves_the_user_s_files() {
    traced("killed_at_the_swap.sh");
}

/// An output edited during the run, after the run looked at it, is kept
/// as the user's, whether the run ends or is interrupted (audit,
/// 2026-12-03: it was removed with the old output).
#[test]
fn an_output_edited_during_the_run_is_kept() {
    traced("edited_during_run.sh");
}

/// An output edited in the instant after the run looked at it (size and
/// time against the manifest), before the swap, is kept as the user's
/// (audit, 2026-12-04: a second look at it took the edit for kompass's,
/// and it was removed with the old output).
#[test]
fn an_output_edited_just_after_the_run_looked_at_it_is_kept() {
    traced("edited_as_looked_at.sh");
}

/// The manifest removed or broken while the run works: the previous
/// outputs are judged by the listing read at the run's start (audit,
/// 2026-12-04: every one was carried into the new output as the user's).
#[test]
fn a_manifest_removed_during_the_run_leaves_the_outputs_kompass_s() {
    traced("manifest_gone_during_run.sh");
}

/// Two runs started at once on nested folders: the one that takes its
/// lock last is refused (audit, 2026-12-02: both went ahead).
#[test]
fn runs_started_at_once_on_nested_folders_do_not_both_go_ahead() {
    traced("nested_at_once.sh");
}

/// A volume mounted inside the output folder while the run worked is
/// refused before the user's files are carried (audit, 2026-12-02: it was
/// copied into the new output and emptied). Needs root for the mount.
#[test]
fn a_volume_mounted_inside_the_output_during_the_run_is_refused() {
    if is_root() {
        traced("mounted_during_run.sh");
    } else {
        skip(Need::Mount, "a bind mount needs root");
    }
}

/// A generation killed as it puts a file in place: the next one refuses
/// to remove a file of the user's put where that file was to go, and an
/// edited file it did put in place (safety audit, 2026-12-06: the
/// provisional truth listed each file before its rename and without its
/// hash, and both were removed).
#[test]
fn a_generation_killed_at_a_rename_leaves_nothing_of_the_user_s_to_remove() {
    traced("interrupted_synth.sh");
}

#[test]
fn a_write_refused_on_its_way_to_the_disk_fails_the_run_and_keeps_the_output() {
    on_a_thin_volume("late_write_error.sh");
}

#[test]
fn a_write_refused_on_its_way_to_the_disk_leaves_synth_s_truth_provisional() {
    on_a_thin_volume("late_write_error_synth.sh");
}
