//! The `wsis` binary: parses the command line, runs it, and reports an error once.

mod cli;
mod log;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than glibc's allocator: a search allocates and frees many small strings
/// (a hit's fields, its snippet, its JSON), and glibc's malloc and free were a tenth of a
/// loaded server's time. Built without transparent huge pages (`no_thp`): the memory a build
/// frees is given back to the system and taken again, and each time a 2 MiB huge page came
/// back it was zeroed whole — up to half the CPU time of indexing 10,000 records. (And see
/// [`refuse_transparent_huge_pages`].)
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    refuse_transparent_huge_pages();
    let log = log::Log::to_stderr();
    let _flushed = log.flushed_on_drop();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WSIS_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(log.clone())
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    if let Ok(step) = std::env::var("WSIS_FAILPOINT") {
        wsis_search::index::arm_failpoint(&step);
    }
    let outcome = cli::run(cli::Cli::parse());
    log.flush_all();
    match outcome {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {}", causes(&e));
            ExitCode::from(2)
        }
    }
}

/// Asks Linux for no transparent huge pages in this process. `no_thp` keeps mimalloc from
/// asking for them, but a system set to give them unasked (`always`, the default of some
/// distributions) would still back its arenas with them, and zero each 2 MiB page whole every
/// time mimalloc gives it back and takes it again.
fn refuse_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integers only and reads or writes no memory of ours.
    // It cannot fail where it exists; where it does not (kernels before 3.15), nothing changes.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// An error and its causes, joined by ": ", each once: a library error's message often ends
/// with its cause's already ("x.html: No such file or directory").
fn causes(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain().map(ToString::to_string) {
        if out == cause || out.ends_with(&format!(": {cause}")) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&cause);
    }
    out
}
