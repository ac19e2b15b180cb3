//! Running the pipeline: the stages in order (`pipeline`), what a run
//! needs to know (`settings`) and its checks before any data is read
//! (`arguments`; `path_value`: a path given that kompass would misread), a run as a scheduler needs it (`batch`;
//! `hashes`: what tells it that nothing changed), the
//! run's record in its manifest (`record`), the run summary and
//! `kompass.toml`.

mod analyse;
pub mod arguments;
pub mod batch;
pub mod config;
mod hashes;
pub mod key;
pub mod origins;
pub mod path_value;
pub mod pipeline;
mod record;
pub mod settings;
pub mod summary;
