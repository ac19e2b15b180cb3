//! The run's hashes: every input and reference file's size and BLAKE3,
//! the run's fingerprint from them (what decides that a rerun is up to
//! date), and both as the files were read when one changed meanwhile.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::ingest::FileInfo;
use crate::io;
use crate::io::manifest;
use crate::run::config::ConfigFile;
use crate::run::pipeline::Stage;
use crate::run::record::Hashed;
use rayon::prelude::*;

/// The input files' sizes and BLAKE3, and the run's fingerprint.
pub(super) struct Hashes {
    pub(super) fingerprint: String,
    /// The input files as found, with size and BLAKE3.
    pub(super) hashed: Vec<Hashed>,
    /// The same with their resolved paths, as the manifest names them.
    pub(super) resolved: Vec<Hashed>,
    /// The reference files (register, instruments, published figures),
    /// paths resolved.
    pub(super) reference: Vec<Hashed>,
}

/// Each file's size and BLAKE3 (on all cores).
fn hash_all(paths: &[PathBuf]) -> Result<Vec<Hashed>> {
    paths
        .par_iter()
        .map(|p| {
            let (size, sha) = manifest::hash_file(p)?;
            Ok((p.clone(), size, sha))
        })
        .collect()
}

impl Hashes {
    /// Hashes the input and reference files and takes the fingerprint of
    /// the run: stage, configuration (paths resolved), inputs, reference
    /// files — so that an edited register or published file reruns.
    pub(super) fn of(
        paths: &[io::Input],
        last: Stage,
        config: &ConfigFile,
        reference: &[PathBuf],
    ) -> Result<Hashes> {
        let files: Vec<PathBuf> = paths.iter().map(|i| i.path.clone()).collect();
        let hashed = hash_all(&files)?;
        // A reference file removed since it was read is recorded as not
        // as read (size 0, no hash): the next run, not finding it, reruns.
        let reference = (reference.iter())
            .map(|p| {
                let (size, sha) = manifest::hash_file(p).unwrap_or((0, String::new()));
                (p.clone(), size, sha)
            })
            .collect();
        let resolved: Vec<_> = hashed
            .iter()
            .map(|(p, size, sha)| (io::resolved(p), *size, sha.clone()))
            .collect();
        let mut hashes = Hashes {
            fingerprint: String::new(),
            hashed,
            resolved,
            reference,
        };
        hashes.fingerprint = hashes.fingerprint(last, config);
        Ok(hashes)
    }

    /// The fingerprint of the run: stage, configuration, the files
    /// (resolved paths, sizes, BLAKE3), and what the outputs depend on
    /// besides: the inputs' paths as the outputs give them (relative to
    /// the working folder: a rerun from elsewhere, or with `./data/`,
    /// writes other paths into `inputs.csv`), and the year, which bounds
    /// the `year-range` rule (a 2027 evaluation is a warning in 2026, not
    /// in 2027).
    fn fingerprint(&self, last: Stage, config: &ConfigFile) -> String {
        let both: Vec<_> = (self.resolved.iter())
            .chain(&self.reference)
            .cloned()
            .collect();
        let mut context = vec![format!("year {}", crate::validate::current_year())];
        // The reference files too: findings about them (a register's
        // code listed twice, the published figures) name them so.
        let files = self.hashed.iter().chain(&self.reference);
        context.extend(files.map(|h| io::shown(&h.0)));
        manifest::fingerprint(last.as_str(), &read_by(config, last), &both, &context)
    }

    /// The hashes of the inputs and reference files as they were read: one
    /// that changed between being read and being hashed, or was written to
    /// by the time the run ends (an export still being copied in, a
    /// register edited during the run), is recorded as
    /// read, so that the next run reads it again rather than taking this
    /// one's outputs for its new content; the run says so.
    pub(super) fn recorded_as_read(
        mut self,
        files: &[FileInfo],
        last: Stage,
        config: &ConfigFile,
    ) -> (Hashes, Vec<PathBuf>) {
        let mut changed = Vec::new();
        let read: std::collections::HashMap<&Path, &FileInfo> =
            files.iter().map(|f| (f.path.as_path(), f)).collect();
        for (h, r) in self.hashed.iter_mut().zip(&mut self.resolved) {
            let Some(f) = read.get(h.0.as_path()) else {
                continue;
            };
            // Or one written to since (an export copied in bursts, read and
            // hashed between two of them: the operator audit of 2026-12-06
            // found its partial results taken as whole): its size as the
            // run ends, or, where only its modification time moved, its
            // bytes hashed again (a `touch` is no change; a file gone since
            // is left to the next run, which does not find it).
            let since = std::fs::metadata(&h.0).ok().is_some_and(|m| {
                let touched = f.modified.is_some() && m.modified().ok() != f.modified;
                m.len() != f.read.0
                    || (touched && manifest::hash_file(&h.0).is_ok_and(|now| now != f.read))
            });
            if (h.1, &h.2) != (f.read.0, &f.read.1) || since {
                (h.1, h.2) = f.read.clone();
                (r.1, r.2) = f.read.clone();
                changed.push(h.0.clone());
            }
        }
        // The register, instrument definitions and published figures were
        // read before they were hashed: recorded as read; one listed when
        // hashed but never read (a file added to the register's folder
        // meanwhile) as unread, so that the next run reads it.
        for r in &mut self.reference {
            let read = io::read_as(&r.0).unwrap_or((0, String::new()));
            if (read.0, &read.1) != (r.1, &r.2) {
                (r.1, r.2) = read;
                changed.push(r.0.clone());
            }
        }
        if !changed.is_empty() {
            self.fingerprint = self.fingerprint(last, config);
        }
        (self, changed)
    }
}

/// `config` without the keys `stage` does not read, which leave its
/// outputs as they are (a `kompass.toml` shared by `validate` and `run`: a
/// nightly `validate` reran when only `lang` changed): the analysis's, and
/// before the link stage the link's.
fn read_by(config: &ConfigFile, stage: Stage) -> ConfigFile {
    let mut config = config.clone();
    if stage < Stage::Analyse {
        (config.published, config.basis) = (None, None);
        (config.charts, config.report, config.lang) = (None, None, None);
    }
    if stage < Stage::Link {
        (config.link_method, config.link_to) = (None, None);
        (config.bootstrap, config.link_seed) = (None, None);
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::header::Layout;

    /// A long-layout file at `path` of one row, read as `read` (size and
    /// hash), modified at `modified` when read.
    fn read_as(
        path: &Path,
        read: (u64, &str),
        modified: Option<std::time::SystemTime>,
    ) -> FileInfo {
        FileInfo {
            path: path.to_path_buf(),
            layout: Layout::Long,
            delimiter: b',',
            encoding: "UTF-8",
            rows_read: 1,
            header_line: 1,
            text_len: usize::try_from(read.0).unwrap_or(0),
            modified,
            read: (read.0, read.1.into()),
            score_columns: Vec::new(),
            key_columns: Default::default(),
            read_as: None,
        }
    }

    /// An input whose bytes read differ from its hash taken beside the run
    /// (a file still being copied in) is recorded as read, and the
    /// fingerprint follows, so that the next run is not "up to date".
    #[test]
    fn an_input_that_changed_while_read_is_recorded_as_read() {
        let path = PathBuf::from("in.csv");
        let hashes = || Hashes {
            fingerprint: "before".into(),
            hashed: vec![(path.clone(), 120, "grown".into())],
            resolved: vec![(PathBuf::from("/abs/in.csv"), 120, "grown".into())],
            reference: Vec::new(),
        };
        let file = |read: (u64, &str)| read_as(&path, read, None);
        let config = ConfigFile::default();
        let (same, changed) =
            hashes().recorded_as_read(&[file((120, "grown"))], Stage::Validate, &config);
        assert!(changed.is_empty());
        assert_eq!(same.fingerprint, "before");
        let (read, changed) =
            hashes().recorded_as_read(&[file((100, "short"))], Stage::Validate, &config);
        assert_eq!(changed, std::slice::from_ref(&path));
        assert_eq!(read.hashed, [(path.clone(), 100, "short".to_string())]);
        assert_eq!(read.resolved[0].2, "short");
        let year = format!("year {}", crate::validate::current_year());
        let shown = [year, io::shown(&path)];
        let expected = manifest::fingerprint("validate", &config, &read.resolved, &shown);
        assert_eq!(read.fingerprint, expected);
    }

    /// An input read and hashed alike, then written to before the run
    /// ends (an export copied in bursts), is recorded as read and said.
    #[test]
    fn an_input_written_to_after_it_was_read_is_said() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("in.csv");
        std::fs::write(&path, "a,b\n1,2\n").expect("written");
        let (size, hash) = manifest::hash_file(&path).expect("hashed");
        let file = read_as(&path, (size, &hash), io::modified(&path));
        let hashes = || Hashes {
            fingerprint: "before".into(),
            hashed: vec![(path.clone(), size, hash.clone())],
            resolved: vec![(path.clone(), size, hash.clone())],
            reference: Vec::new(),
        };
        let config = ConfigFile::default();
        let files = std::slice::from_ref(&file);
        let (_, changed) = hashes().recorded_as_read(files, Stage::Validate, &config);
        assert!(changed.is_empty(), "{changed:?}");
        // Touched (a later modification time, the same bytes): no change.
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        let set = |t| {
            std::fs::File::options()
                .append(true)
                .open(&path)?
                .set_modified(t)
        };
        set(later).expect("touched");
        let (_, changed) = hashes().recorded_as_read(files, Stage::Validate, &config);
        assert!(changed.is_empty(), "{changed:?}");
        // Rewritten in place with as many bytes: a change.
        std::fs::write(&path, "a,b\n3,4\n").expect("rewritten");
        set(later + std::time::Duration::from_secs(5)).expect("dated");
        let (_, changed) = hashes().recorded_as_read(files, Stage::Validate, &config);
        assert_eq!(changed, std::slice::from_ref(&path));
        std::fs::write(&path, "a,b\n1,2\n3,4\n").expect("grown");
        let (_, changed) = hashes().recorded_as_read(files, Stage::Validate, &config);
        assert_eq!(changed, [path]);
    }
}
