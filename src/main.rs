//! The `kompass` binary: all logic lives in the library.

fn main() -> std::process::ExitCode {
    kompass::cli::main_with_args(std::env::args_os())
}
