//! The `wsis` binary: parses the command line, runs it, and reports an error once.

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than glibc's allocator: a search allocates and frees many small strings
/// (a hit's fields, its snippet, its JSON), and glibc's malloc and free were a tenth of a
/// loaded server's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Standard error for the log: a line that cannot be written (stderr closed, as in
/// `wsis serve 2>&1 | head`) is dropped, so logging never fails a request.
struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let _ = std::io::stderr().write_all(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WSIS_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(|| LogWriter)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    if let Ok(step) = std::env::var("WSIS_FAILPOINT") {
        wsis_search::index::arm_failpoint(&step);
    }
    match cli::run(cli::Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e:#}");
            ExitCode::from(2)
        }
    }
}
