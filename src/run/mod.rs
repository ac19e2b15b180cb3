//! Running the pipeline: the stages in order (`pipeline`), a run as a
//! scheduler needs it (`batch`), the run summary and `kompass.toml`.

mod analyse;
pub mod batch;
pub mod config;
pub mod pipeline;
pub mod summary;
