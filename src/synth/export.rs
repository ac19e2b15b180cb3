//! Writing generated evaluations as exports: long or wide layout, plain CSV
//! or Swedish Excel (`;`, decimal comma, Windows-1252, CRLF, Swedish
//! headers and scale names). Rows are rendered first, so that faults can be
//! planted in them, then written with their line numbers tracked.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::error::{Error, Result};
use crate::ingest::EvalKey;
use crate::ingest::header::Layout;
use crate::io::CsvOut;
use crate::io::csv_out::CsvFormat;
use crate::io::dialect::OutputDialect;
use crate::reference::instrument::{Instruments, ItemIx, ItemKind, ScaleIx, TOTAL};

/// How exports are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ExportDialect {
    /// `,`, decimal point, UTF-8, LF, English headers.
    #[default]
    Plain,
    /// `;`, decimal comma, Windows-1252, CRLF, Swedish headers.
    ExcelSv,
}

/// A generated evaluation: published (rounded) values per item of its scale.
#[derive(Debug, Clone)]
pub struct SynthEval {
    /// Country, code, year and scale, as an export's row names them.
    pub key: EvalKey,
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// One rendered row, with the cells that hold scores.
#[derive(Debug, Clone)]
pub struct Row {
    pub fields: Vec<String>,
    /// (field index, item) of each score cell.
    pub scores: Vec<(usize, ItemIx)>,
}

/// Field positions shared by both layouts.
pub const CODE: usize = 1;
/// Long layout: the `max` field.
pub const LONG_MAX: usize = 7;

/// Renders evaluations as rows of one layout and dialect.
pub struct Renderer<'a> {
    pub layout: Layout,
    pub dialect: ExportDialect,
    instruments: &'a Instruments,
    /// Wide layout: the item id of each score column.
    wide_items: Vec<String>,
}

impl<'a> Renderer<'a> {
    pub fn new(layout: Layout, dialect: ExportDialect, instruments: &'a Instruments) -> Self {
        // Areas, total, then sub-questions: the union over all scales.
        let mut areas: Vec<String> = Vec::new();
        let mut questions: Vec<String> = Vec::new();
        for s in instruments.scales() {
            for it in &s.items {
                let list = match it.kind {
                    ItemKind::Area => &mut areas,
                    ItemKind::Question => &mut questions,
                    ItemKind::Total => continue,
                };
                if !list.contains(&it.id) {
                    list.push(it.id.clone());
                }
            }
        }
        let mut wide_items = areas;
        wide_items.push(TOTAL.into());
        wide_items.extend(questions);
        Renderer {
            layout,
            dialect,
            instruments,
            wide_items,
        }
    }

    fn sv(&self) -> bool {
        self.dialect == ExportDialect::ExcelSv
    }

    pub fn num(&self, x: f64) -> String {
        OutputDialect {
            excel: self.sv(),
            ..OutputDialect::default()
        }
        .num(x, 2)
    }

    pub fn header(&self) -> Vec<String> {
        let sv = self.sv();
        let key = if sv {
            ["land", "kommunkod", "kommun", "år", "skala"]
        } else {
            [
                "country",
                "municipality_code",
                "municipality",
                "eval_year",
                "scale",
            ]
        };
        let mut h: Vec<String> = key.iter().map(|s| s.to_string()).collect();
        match self.layout {
            Layout::Long => {
                let rest = if sv {
                    ["fråga", "poäng", "max"]
                } else {
                    ["item", "score", "max"]
                };
                h.extend(rest.iter().map(|s| s.to_string()));
            }
            Layout::Wide => {
                for id in &self.wide_items {
                    h.push(match (id.as_str(), id.contains('.'), sv) {
                        (TOTAL, _, true) => "totalt".into(),
                        (TOTAL, _, false) => TOTAL.into(),
                        (_, true, true) => format!("fråga{}", id.replace('.', ",")),
                        (_, true, false) => format!("q{id}"),
                        (_, false, true) => format!("omr{id}"),
                        (_, false, false) => format!("a{id}"),
                    });
                }
            }
        }
        h
    }

    fn scale_name(&self, scale: ScaleIx) -> String {
        let s = self.instruments.get(scale);
        match (self.sv(), s.id.as_str()) {
            (true, "new") => "ny".into(),
            (true, "old") => "äldre".into(),
            _ => s.id.clone(),
        }
    }

    fn item_name(&self, id: &str) -> String {
        match (self.sv(), id) {
            (true, TOTAL) => "totalt".into(),
            (true, _) => id.replace('.', ","),
            _ => id.to_string(),
        }
    }

    pub fn rows(&self, ev: &SynthEval) -> Vec<Row> {
        let k = &ev.key;
        let scale = self.instruments.get(k.scale);
        let key = vec![
            k.country.clone(),
            k.code.clone(),
            ev.name.clone(),
            k.year.to_string(),
            self.scale_name(k.scale),
        ];
        match self.layout {
            Layout::Long => scale
                .items
                .iter()
                .enumerate()
                .filter_map(|(ix, item)| {
                    let v = ev.values[ix]?;
                    let mut fields = key.clone();
                    fields.push(self.item_name(&item.id));
                    fields.push(self.num(v));
                    fields.push(self.num(item.max));
                    Some(Row {
                        fields,
                        scores: vec![(6, ix as ItemIx)],
                    })
                })
                .collect(),
            Layout::Wide => {
                let mut fields = key;
                let mut scores = Vec::new();
                for id in &self.wide_items {
                    let cell = scale
                        .item(id)
                        .and_then(|ix| Some((ix, ev.values[ix as usize]?)));
                    match cell {
                        Some((ix, v)) => {
                            scores.push((fields.len(), ix));
                            fields.push(self.num(v));
                        }
                        None => fields.push(String::new()),
                    }
                }
                vec![Row { fields, scores }]
            }
        }
    }

    /// Whether a name can be written in this dialect's encoding.
    pub fn encodable(&self, text: &str) -> bool {
        !self.sv() || !encoding_rs::WINDOWS_1252.encode(text).2
    }
}

/// An export file being written (through the one CSV writer, [`CsvOut`]);
/// tracks the line number of the next row.
pub struct ExportFile {
    out: CsvOut,
    path: PathBuf,
}

impl ExportFile {
    pub fn create(path: &Path, renderer: &Renderer) -> Result<Self> {
        let sv = renderer.dialect == ExportDialect::ExcelSv;
        let layout = CsvFormat {
            delimiter: if sv { b';' } else { b',' },
            crlf: sv,
            bom: false,
            windows_1252: sv,
            neutralise_formulas: false,
        };
        let header = renderer.header();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        Ok(ExportFile {
            out: CsvOut::with_layout(path, OutputDialect::default(), layout, &header)?,
            path: path.to_path_buf(),
        })
    }

    /// The file name, as `meta/faults.csv` lists it (relative to the output
    /// folder, so the listing does not depend on where the folder is).
    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned())
    }

    pub fn next_line(&self) -> u32 {
        u32::try_from(self.out.next_line()).unwrap_or(u32::MAX)
    }

    pub fn write(&mut self, fields: &[String]) -> Result<()> {
        self.out.row(fields)
    }

    pub fn finish_aside(self) -> Result<crate::io::csv_out::Finished> {
        self.out.finish_aside()
    }
}

/// Files a generation keeps open beside its exports (the fault log, the
/// register, the standard streams), with room to spare.
const OTHER_OPEN_FILES: u64 = 32;

/// Makes room for `files` exports open at once (each is written as its
/// evaluations come): the soft limit on open files raised toward the hard
/// one where it is lower (1,024 on many systems: `--files 3000` failed at
/// the 1,019th file with "Too many open files"), else a usage error that
/// names the limit, before anything is written.
#[cfg(target_os = "linux")]
pub(super) fn room_to_open(files: u32) -> Result<()> {
    let need = u64::from(files) + OTHER_OPEN_FILES;
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct it is given.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 || limit.rlim_cur >= need {
        return Ok(());
    }
    if limit.rlim_max >= need {
        let raised = libc::rlimit {
            rlim_cur: need,
            rlim_max: limit.rlim_max,
        };
        // SAFETY: setrlimit only reads the struct it is given.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            return Ok(());
        }
        return Err(Error::Usage(format!(
            "--files {files}: a generation keeps its export files open at once, and the limit \
             on open files (`ulimit -n`, {}) could not be raised to {need}: {}",
            limit.rlim_cur,
            std::io::Error::last_os_error()
        )));
    }
    Err(Error::Usage(format!(
        "--files {files}: a generation keeps its export files open at once, and this system \
         lets it open {} files (`ulimit -Hn`, {OTHER_OPEN_FILES} kept for its other files): give \
         at most {} files, or raise the limit",
        limit.rlim_max,
        limit.rlim_max.saturating_sub(OTHER_OPEN_FILES)
    )))
}

#[cfg(not(target_os = "linux"))]
pub(super) fn room_to_open(_files: u32) -> Result<()> {
    Ok(())
}
