//! kompass: a batch pipeline for Kommunkompassen (Municipality Compass)
//! evaluations. The library holds all logic; `main.rs` is a thin wrapper.

pub mod dialect;
pub mod error;
pub mod files;
pub mod ingest;
pub mod instrument;
pub mod linking;
pub mod register;
pub mod rng;
pub mod rules;

/// The shipped `data/instrument` and `data/reference` files (see `build.rs`).
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
pub mod aggregate;
pub mod batch;
pub mod bench;
pub mod benchmark;
pub mod charts;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod manifest;
pub mod outdir;
pub mod output;
pub mod parallel;
pub mod pipeline;
pub mod published;
pub mod report;
pub mod stats;
pub mod summary;
pub mod synth;
pub mod trends;
pub mod validate;
