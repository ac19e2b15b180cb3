//! Reference data: the instrument definitions (scale versions, their items
//! and maxima) and the municipality register, shipped or from files.

pub mod country;
pub mod instrument;
pub mod register;

/// The shipped `data/instrument` and `data/reference` files (see `build.rs`).
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
