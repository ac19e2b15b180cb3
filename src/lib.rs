//! kompass: a batch pipeline for Kommunkompassen (Municipality Compass)
//! evaluations. The library holds all logic; `main.rs` is a thin wrapper.
//!
//! The modules follow the pipeline, one layer each:
//!
//! - `cli`, `cmd`: the command line (one file per command) and exit codes;
//! - `io`: everything that touches files (input discovery, decoding, CSV
//!   reading and writing, the output folder, the manifest);
//! - `reference`: the instrument definitions and the municipality register;
//! - `ingest`, `validate`: exports into one validated, canonical table;
//! - `linking`: other scales onto the link target scale;
//! - `analysis`: the analysis frame, averages, trends, year totals,
//!   standings, linking errors of summaries, published figures;
//! - `stats`: numerical helpers (mean and SD, the t distribution, seeded
//!   random numbers);
//! - `render`: texts in Swedish and English, charts, the HTML report;
//! - `run`: the pipeline's stages, batch reruns, the run summary;
//! - `synth`: the generator of synthetic exports.

pub mod analysis;
pub mod cli;
pub mod cmd;
pub mod error;
pub mod ingest;
pub mod io;
pub mod linking;
pub mod reference;
pub mod render;
pub mod run;
pub mod stats;
pub mod synth;
pub mod validate;
