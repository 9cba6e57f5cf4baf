//! The command line: one function per subcommand, each returning the process exit code.
//! Results go to stdout, progress and errors to stderr.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use wsis_search::corpus::Corpus;
use wsis_search::index;
use wsis_search::records;

/// Full-text search and citation lookup over the WSIS outcome documents and fact sheets.
#[derive(Debug, Parser)]
#[command(name = "wsis", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the index from the corpus (or from a JSON-lines records file) beside the
    /// current one, and swap it in when complete.
    Index(IndexArgs),
    /// Print every paragraph record of the index as one JSON object per line.
    Export(ExportArgs),
}

/// Arguments of `wsis index`.
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// The corpus directory.
    #[arg(long, default_value = "corpus", conflicts_with = "records")]
    pub corpus: PathBuf,
    /// Index records from this JSON-lines file (the form `wsis export` prints) instead of
    /// the corpus.
    #[arg(long, value_name = "FILE.jsonl")]
    pub records: Option<PathBuf>,
    /// The index directory.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
}

/// Arguments of `wsis export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The index directory.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
}

/// Runs the command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Index(args) => index(args),
        Command::Export(args) => export(args),
    }
}

/// `wsis index`: read, build, swap, print a summary.
pub fn index(args: IndexArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let (records, stats, source, warnings) = match &args.records {
        Some(path) => {
            let records = records::read_jsonl(path)?;
            (records, None, path.display().to_string(), Vec::new())
        }
        None => {
            let corpus = Corpus::load(&args.corpus)?;
            let built = records::build(&corpus);
            (
                built.records,
                Some(built.stats),
                args.corpus.display().to_string(),
                built.warnings,
            )
        }
    };
    let bar = ProgressBar::new(records.len() as u64).with_style(
        ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} records")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("indexing");
    let info = index::build(&args.index, &records, &source, stats.clone(), &|n| {
        bar.set_position(n as u64)
    })
    .with_context(|| format!("building the index in {}", args.index.display()))?;
    bar.finish_and_clear();
    for w in &warnings {
        eprintln!("warning: {}:{}: {}", w.file, w.line, w.message);
    }
    let mut out = io::stdout().lock();
    let summary = summary_lines(
        &info,
        stats.as_ref(),
        started.elapsed().as_secs_f64(),
        &args.index,
    );
    write_or_quiet(|| writeln!(out, "{summary}"))
}

fn summary_lines(
    info: &index::BuildInfo,
    stats: Option<&records::Stats>,
    secs: f64,
    dir: &std::path::Path,
) -> String {
    let mut lines = vec![format!(
        "built index {} in {} ({:.2} s)",
        info.id,
        dir.display(),
        secs
    )];
    match stats {
        Some(s) => {
            lines.push(format!("  documents            {}", s.documents));
            lines.push(format!("  paragraph records    {}", s.paragraph_records));
            lines.push(format!("  variant records      {}", s.variant_records));
            lines.push(format!("  quoted paragraphs    {}", s.quoted_paragraphs));
            lines.push(format!("  cross-references     {}", s.cross_references));
            lines.push(format!("  furniture lines left out {}", s.furniture_lines));
            lines.push(format!("  warnings             {}", s.warnings));
        }
        None => lines.push(format!("  records              {}", info.records)),
    }
    lines.join("\n")
}

/// `wsis export`: every record, one JSON object a line, in corpus order.
pub fn export(args: ExportArgs) -> Result<ExitCode> {
    let opened = index::open(&args.index)?;
    let records = index::all_records(&opened)?;
    let mut out = BufWriter::new(io::stdout().lock());
    write_or_quiet(|| {
        for record in &records {
            serde_json::to_writer(&mut out, record).map_err(io::Error::from)?;
            out.write_all(b"\n")?;
        }
        out.flush()
    })
}

/// Runs a write to stdout; a closed pipe (`wsis export | head`) ends quietly with success.
fn write_or_quiet(write: impl FnOnce() -> io::Result<()>) -> Result<ExitCode> {
    match write() {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e).context("writing to stdout"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
