//! The `kompass` binary: all logic lives in the library.

fn main() -> std::process::ExitCode {
    let code = kompass::cli::main_with_args(std::env::args_os());
    // An interrupt from here on is too late; one before has exited (130).
    kompass::io::outdir::ended();
    code
}
