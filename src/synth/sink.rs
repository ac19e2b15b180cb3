//! Where `synth`'s evaluations go: the export files, each evaluation's
//! rows written at once, with faults planted in a share of them and logged
//! in `meta/faults.csv`.

use std::path::Path;

use super::export::{ExportFile, Renderer, SynthEval};
use super::{Realised, SynthOptions, faults, folder};
use crate::error::Result;
use crate::io::CsvOut;
use crate::io::dialect::OutputDialect;
use crate::reference::instrument::Instruments;
use crate::stats::rng::Rng;

/// Where the evaluations go: the export files, with faults planted (and
/// logged in `meta/faults.csv`) in the share `faults` of them, drawn from
/// their own random stream.
pub(super) struct Sink<'a> {
    renderer: &'a Renderer<'a>,
    exports: Vec<ExportFile>,
    fault_log: CsvOut,
    fault_rng: Rng,
    faults: f64,
}

impl<'a> Sink<'a> {
    pub(super) fn create(
        opts: &SynthOptions,
        renderer: &'a Renderer<'a>,
        names: &[String],
        meta: &Path,
    ) -> Result<Self> {
        let exports = (names.iter())
            .map(|name| ExportFile::create(&opts.out.join(name), renderer))
            .collect::<Result<_>>()?;
        let fault_log = CsvOut::create(
            meta,
            "faults.csv",
            OutputDialect::default(),
            &["file", "line", "rule", "note"],
        )?;
        Ok(Sink {
            renderer,
            exports,
            fault_log,
            fault_rng: Rng::derive(opts.seed, 2),
            faults: opts.faults,
        })
    }

    /// Writes evaluation `ev` into export `file` (a name the export's
    /// encoding cannot hold is left out), a fault planted in it by chance;
    /// counted in `real`.
    pub(super) fn write(
        &mut self,
        mut ev: SynthEval,
        file: usize,
        instruments: &Instruments,
        real: &mut Realised,
    ) -> Result<()> {
        let export = &mut self.exports[file];
        if !self.renderer.encodable(&ev.name) {
            ev.name.clear();
        }
        let mut rows = self.renderer.rows(&ev);
        let first_line = export.next_line();
        if self.faults > 0.0 && self.fault_rng.chance(self.faults) {
            let scale = instruments.get(ev.key.scale);
            let rng = &mut self.fault_rng;
            let planted = faults::plant(&mut rows, &ev, scale, self.renderer, rng);
            real.faults += u64::from(!planted.is_empty());
            for p in planted {
                real.expected_findings += 1;
                self.fault_log.row([
                    &export.name(),
                    &(first_line + p.row as u32).to_string(),
                    p.rule.code(),
                    &p.note,
                ])?;
            }
        }
        for row in &rows {
            export.write(&row.fields)?;
        }
        real.rows += rows.len() as u64;
        real.evaluations += 1;
        let key = format!("{}/{}", ev.key.country, instruments.get(ev.key.scale).id);
        *real.by_country_scale.entry(key).or_default() += 1;
        Ok(())
    }

    /// Puts the exports and the fault log in place, each recorded with its
    /// BLAKE3 before ([`folder::Provisional::put`]).
    pub(super) fn finish(self, record: &mut folder::Provisional, names: &[String]) -> Result<()> {
        for (e, name) in self.exports.into_iter().zip(names) {
            record.put(name, || e.finish_aside())?;
        }
        record.put("meta/faults.csv", || self.fault_log.finish_aside())
    }
}
