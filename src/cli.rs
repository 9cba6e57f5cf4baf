//! The command line: one function per subcommand, each returning the process exit code.
//! Results go to stdout, progress and errors to stderr.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use wsis_search::cite;
use wsis_search::corpus::Corpus;
use wsis_search::index::BuildLock;
use wsis_search::index::survey::Survey;
use wsis_search::index::{self, BuildSource};
use wsis_search::ingest::records;
use wsis_search::ingest::source::{RecordSource, RecordsFile};
use wsis_search::lookup;
use wsis_search::model::Variant;
use wsis_search::search::{SearchOptions, Searcher, Sort, VariantFilter};
use wsis_search::server;
use wsis_search::server::live::LiveIndex;

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
    /// Import an official file (ITU HTML, a UN PDF, or the text `pdftotext -layout` prints of
    /// one) into the corpus as document ID of the manifest; reindex afterwards.
    Import(ImportArgs),
    /// Download official documents from the addresses in the manifest and import them.
    Fetch(FetchArgs),
    /// Serve the search page and the JSON API; builds the index first if there is none.
    Serve(ServeArgs),
    /// Search paragraph text. Exit code 0 with hits, 1 with none, 2 on error.
    Search(SearchArgs),
    /// Look up the paragraph(s) a citation names ("TA 72(e)", "A/RES/70/125 para. 69").
    /// Exit code 0 found, 1 not found, 2 on a reference that cannot be read.
    Cite(CiteArgs),
}

/// Arguments of `wsis import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The file as published: HTML, a PDF (read through `pdftotext -layout`, which must be
    /// installed), or the plain text `pdftotext -layout -enc UTF-8 FILE.pdf` prints.
    pub file: PathBuf,
    /// The manifest id of the document (tunis-agenda, wsis10-outcome, …).
    #[arg(long)]
    pub doc: String,
    /// The corpus directory.
    #[arg(long, default_value = "corpus")]
    pub corpus: PathBuf,
    /// Print what the import would write (paragraphs, first and last labels, numbering gaps,
    /// headings, footnotes, each line dropped and why) and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the document even when it has fewer paragraphs than the corpus holds of it.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `wsis fetch`: ids or `--all`, one of the two (the usage line says so).
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["docs", "all"])))]
pub struct FetchArgs {
    /// Manifest ids of the documents to fetch.
    #[arg(value_name = "ID")]
    pub docs: Vec<String>,
    /// Fetch every document of the manifest; a failure does not stop the others.
    #[arg(long)]
    pub all: bool,
    /// The corpus directory.
    #[arg(long, default_value = "corpus")]
    pub corpus: PathBuf,
    /// Write a document even when it has fewer paragraphs than the corpus holds of it.
    #[arg(long)]
    pub force: bool,
    /// Seconds allowed for one download.
    #[arg(long, env = "WSIS_FETCH_TIMEOUT", default_value_t = wsis_search::import::fetch::DOWNLOAD_TIMEOUT.as_secs())]
    pub timeout: u64,
}

/// Arguments of `wsis serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// The index directory.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// The corpus to build the index from when there is none.
    #[arg(long, default_value = "corpus")]
    pub corpus: PathBuf,
    /// Searches that may run at once (by default, one per core); more wait briefly in a
    /// queue, then get a 503.
    #[arg(long)]
    pub concurrent: Option<usize>,
    /// The time one search may take, in milliseconds; a search past it answers 400
    /// `query_too_expensive`.
    #[arg(long, default_value_t = 2000)]
    pub query_budget_ms: u64,
    /// The time one request may take, in milliseconds, before a 503.
    #[arg(long, default_value_t = 10_000)]
    pub request_timeout_ms: u64,
    /// The time a connection may take to send a request head, or stay idle between
    /// requests, in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    pub header_timeout_ms: u64,
    /// Connections open at once; past it the oldest idle one is closed (by default, what the
    /// descriptor limit allows, less 64).
    #[arg(long)]
    pub max_connections: Option<usize>,
    /// On Ctrl-C or SIGTERM, how long open connections may take to finish, in milliseconds;
    /// then they are closed.
    #[arg(long, default_value_t = 5000)]
    pub shutdown_timeout_ms: u64,
}

/// Arguments of `wsis search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The query: words (all required), "phrases", "a b"~5, AND/OR/NOT, +/-, prefix*,
    /// field:value (doc, para, kind, variant, year, cites, id, text, section, citation,
    /// title). Pasted prose is searched as its words: a colon after a word that is not a field
    /// (`WSIS+20: review`), a web address, a bracket outside a range.
    pub query: String,
    /// The index directory.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Only this document (repeat for several).
    #[arg(long = "doc", value_name = "ID")]
    pub docs: Vec<String>,
    /// original, digital or all.
    #[arg(long, default_value = "original")]
    pub variant: VariantFilter,
    /// Only this kind of document (repeat for several): outcome-document, resolution,
    /// fact-sheet, web-page, press-release, briefing-note.
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Only documents dated in these years: 2005, 2003..2005.
    #[arg(long, value_name = "FROM..TO", value_parser = wsis_search::search::parse_years)]
    pub year: Option<(i32, i32)>,
    /// relevance or date.
    #[arg(long, default_value = "relevance")]
    pub sort: Sort,
    /// Any of the words suffices, rather than all of them.
    #[arg(long)]
    pub any: bool,
    /// Hits to show (1 to 100).
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Hits to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Search the words as typed: no correction of a word that matches nothing.
    #[arg(long)]
    pub exact: bool,
    /// Print the result page as JSON, the object `GET /api/search` serves.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `wsis cite`.
#[derive(Debug, clap::Args)]
pub struct CiteArgs {
    /// The reference: "TA 72(e)", "Tunis Agenda para 72 e", "A/RES/70/125 para. 69",
    /// "TA paras 69-71", "paragraphs 4, 5 and 55 of the Geneva Declaration", "PoA C7".
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The index directory.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Short for --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// text, json, csl-json, bibtex or ris.
    #[arg(long, default_value = "text")]
    pub format: cite::Format,
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
        Command::Import(args) => import(args),
        Command::Fetch(args) => fetch(args),
        Command::Serve(args) => serve(args),
        Command::Search(args) => search(args),
        Command::Cite(args) => cite(args),
    }
}

/// `wsis index`: read, build, swap, print a summary.
pub fn index(args: IndexArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let (records, source, warnings): (Box<dyn RecordSource>, _, _) = match &args.records {
        Some(path) => {
            let source = BuildSource {
                source: path.display().to_string(),
                ..BuildSource::default()
            };
            (Box::new(RecordsFile::new(path)), source, Vec::new())
        }
        None => {
            let corpus = Corpus::load(&args.corpus)?;
            let built = records::build(&corpus);
            let source = BuildSource {
                source: args.corpus.display().to_string(),
                stats: Some(built.stats),
                catalog: wsis_search::import::catalog(&corpus),
                spellings: wsis_search::index::spelling::load_table(
                    &args.corpus.join(wsis_search::index::spelling::TABLE_FILE),
                )?,
            };
            (Box::new(built.records), source, built.warnings)
        }
    };
    let building = || format!("building the index in {}", args.index.display());
    let lock = BuildLock::take(&args.index).with_context(building)?;
    let survey = Survey::of(&*records)?;
    let bar = ProgressBar::new(survey.records as u64).with_style(
        ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} records")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("indexing");
    let info = index::build(&lock, &*records, survey, source, &|n| {
        bar.set_position(n as u64)
    })
    .with_context(building)?;
    bar.finish_and_clear();
    for w in &warnings {
        eprintln!("warning: {}:{}: {}", w.file, w.line, w.message);
    }
    let mut out = io::stdout().lock();
    let summary = summary_lines(
        &info,
        info.stats.as_ref(),
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
            lines.push(format!("  corpus files         {}", s.documents));
            lines.push(format!("  documents            {}", info.documents.len()));
            lines.push(format!("  paragraph records    {}", s.paragraph_records));
            lines.push(format!("  variant records      {}", s.variant_records));
            lines.push(format!("  quoted paragraphs    {}", s.quoted_paragraphs));
            lines.push(format!("  cross-references     {}", s.cross_references));
            let checked = s.quotes_verbatim + s.quotes_different + s.quotes_not_found;
            if checked > 0 {
                lines.push(format!(
                    "  quotes checked       {checked}: {} verbatim, {} with differences, {} not found",
                    s.quotes_verbatim, s.quotes_different, s.quotes_not_found
                ));
            }
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

/// `wsis import`: clean an official file and write it into the corpus (or, with
/// `--dry-run`, say what would be written).
pub fn import(args: ImportArgs) -> Result<ExitCode> {
    use wsis_search::import::{self, Written};
    let prepared = import::prepare_file(&args.file, &args.doc, &args.corpus)
        .with_context(|| format!("importing {}", args.file.display()))?;
    if args.dry_run {
        return write_or_quiet(|| io::stdout().lock().write_all(prepared.report().as_bytes()));
    }
    for warning in &prepared.warnings {
        eprintln!("warning: {warning}");
    }
    for gap in &prepared.summary.gaps {
        eprintln!("warning: {gap}");
    }
    let written = import::write(&prepared, &args.corpus, args.force)
        .with_context(|| format!("importing {}", args.file.display()))?;
    let mut out = io::stdout().lock();
    write_or_quiet(|| {
        match written {
            Written::Imported { path } => writeln!(
                out,
                "wrote {} ({} lines, {} paragraphs; source sha256 {})",
                path.display(),
                prepared.cleaned.lines.len(),
                prepared.summary.paragraphs,
                sha256_of(&prepared.document)
            )?,
            Written::Unchanged { path } => {
                writeln!(out, "{} is unchanged: it holds this text", path.display())?
            }
        }
        writeln!(
            out,
            "run `wsis index --corpus {}` to index it",
            args.corpus.display()
        )
    })
}

/// The source checksum a corpus document names.
fn sha256_of(document: &str) -> &str {
    document
        .lines()
        .find_map(|l| l.strip_prefix("source-sha256: "))
        .unwrap_or("")
}

/// `wsis fetch`: download, check and import each document, one line each; a failure does not
/// stop the others, and makes the exit code 2.
pub fn fetch(args: FetchArgs) -> Result<ExitCode> {
    use wsis_search::import::Written;
    let docs = if args.all {
        wsis_search::corpus::read_manifest(&args.corpus.join(wsis_search::corpus::MANIFEST_FILE))?
            .into_iter()
            .map(|m| m.id)
            .collect()
    } else {
        args.docs
    };
    let options = wsis_search::import::fetch::FetchOptions {
        force: args.force,
        timeout: Duration::from_secs(args.timeout),
    };
    let mut failed = 0;
    for doc in &docs {
        eprintln!("fetching {doc}");
        match wsis_search::import::fetch::fetch(doc, &args.corpus, &options) {
            Ok(fetched) => {
                for warning in &fetched.prepared.warnings {
                    eprintln!("warning: {warning}");
                }
                let paragraphs = fetched.prepared.summary.paragraphs;
                let expected = fetched.expected_paragraphs.map_or_else(String::new, |n| {
                    format!("; the manifest expects {n} (unverified)")
                });
                match fetched.written {
                    Written::Imported { path } => println!(
                        "{doc}: imported {paragraphs} paragraphs into {} from {}{expected}",
                        path.display(),
                        fetched.url
                    ),
                    Written::Unchanged { .. } => {
                        println!("{doc}: unchanged ({paragraphs} paragraphs{expected})")
                    }
                }
            }
            Err(e) => {
                failed += 1;
                println!("{doc}: failed: {e}");
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed} of {} documents failed", docs.len());
        return Ok(ExitCode::from(2));
    }
    println!(
        "run `wsis index --corpus {}` to index them",
        args.corpus.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `wsis serve`: build the index if missing, then serve until Ctrl-C or SIGTERM.
pub fn serve(args: ServeArgs) -> Result<ExitCode> {
    let rebuild = |why: String| -> Result<()> {
        if !args.corpus.is_dir() {
            anyhow::bail!(
                "{why}; build it with `wsis index --corpus DIR --index {}`",
                args.index.display()
            );
        }
        eprintln!("{why}: building it from {}", args.corpus.display());
        index(IndexArgs {
            corpus: args.corpus.clone(),
            records: None,
            index: args.index.clone(),
        })?;
        Ok(())
    };
    if index::current_build_id(&args.index).is_none() {
        rebuild(format!("no index in {}", args.index.display()))?;
    } else {
        match index::damaged_files(&args.index) {
            Ok(damaged) if damaged.is_empty() => {}
            Ok(damaged) => rebuild(format!(
                "the index in {} is damaged: {}",
                args.index.display(),
                damaged.join(", ")
            ))?,
            Err(e) => rebuild(format!(
                "the index in {} cannot be opened ({e})",
                args.index.display()
            ))?,
        }
    }
    let live = LiveIndex::open(&args.index)
        .with_context(|| format!("opening the index in {}", args.index.display()))?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let state = server::AppState::new(live, args.concurrent.unwrap_or(cores))
        .with_query_budget(Duration::from_millis(args.query_budget_ms))
        .with_request_timeout(Duration::from_millis(args.request_timeout_ms));
    let limits = server::HttpLimits {
        header_timeout: Duration::from_millis(args.header_timeout_ms),
        max_connections: args
            .max_connections
            .unwrap_or_else(server::default_max_connections),
        shutdown_timeout: Duration::from_millis(args.shutdown_timeout_ms),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let served = runtime.block_on(server::serve(args.addr, state, limits));
    // A search still running holds a blocking thread until its budget ends at the latest.
    runtime.shutdown_timeout(Duration::from_millis(args.query_budget_ms));
    served.with_context(|| format!("serving on {}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}

/// `wsis search`: one page of hits, citation first.
pub fn search(args: SearchArgs) -> Result<ExitCode> {
    let searcher = Searcher::open(&args.index)?;
    let options = SearchOptions {
        query: args.query,
        docs: args.docs,
        variant: args.variant,
        kinds: args.kinds,
        years: args.year,
        sort: args.sort,
        any: args.any,
        limit: args.limit,
        offset: args.offset,
        typo: !args.exact,
    };
    let answer = lookup::answer(&searcher, &options)?;
    let code = if answer.found_anything() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    let mut out = io::stdout().lock();
    let bold = !args.json && out.is_terminal();
    write_or_quiet(|| {
        if args.json {
            write_pretty_json(&mut out, &answer)?;
            return writeln!(out);
        }
        if let Some(citation) = &answer.citation {
            write_citation(&mut out, citation)?;
            writeln!(out, "Word search for {:?}:\n", answer.search.query)?;
        }
        let page = &answer.search;
        if let Some(notice) = correction_notice(&page.corrected) {
            writeln!(out, "{notice} (search as typed with --exact)\n")?;
        }
        for raw in &page.hits {
            let hit: wsis_search::search::Hit =
                serde_json::from_str(raw.get()).map_err(io::Error::from)?;
            let marked = hit.citation.ends_with(wsis_search::reference::REWORDING);
            let variant = if hit.variant == Variant::Digital && !marked {
                " [digital society]"
            } else {
                ""
            };
            let partial = if hit.partial { " [partial]" } else { "" };
            writeln!(out, "{}{variant}{partial}", terminal_safe(&hit.citation))?;
            if !hit.section.is_empty() {
                writeln!(out, "  {}", terminal_safe(&hit.section.join(" › ")))?;
            }
            writeln!(out, "  {}\n", terminal_snippet(&hit.snippet, bold))?;
        }
        let total = match (page.total, page.total_exact) {
            (1, true) => "1 matching record".to_string(),
            (n, true) => format!("{n} matching records"),
            (n, false) => format!("{n}+ matching records"),
        };
        let more = if page.has_more {
            format!("; more with --offset {}", page.offset + page.limit)
        } else {
            String::new()
        };
        match page.hits.len() {
            0 => writeln!(out, "{total}; no hits from hit {}", page.offset + 1),
            n => writeln!(
                out,
                "{total}; hits {}–{}{more}",
                page.offset + 1,
                page.offset + n
            ),
        }
    })?;
    Ok(code)
}

/// "showing results for governance — no match for goverance", for corrected words.
fn correction_notice(corrected: &[wsis_search::search::correct::Correction]) -> Option<String> {
    if corrected.is_empty() {
        return None;
    }
    let to: Vec<String> = corrected.iter().map(|c| c.to.join(" or ")).collect();
    let from: Vec<&str> = corrected.iter().map(|c| c.from.as_str()).collect();
    Some(format!(
        "showing results for {} — no match for {}",
        to.join(", "),
        from.join(", ")
    ))
}

/// Writes `value` as indented JSON, its keys in the order they are serialised. The hits of an
/// answer are raw JSON, written compact as the search made them: they are transcoded with the
/// rest so that the whole answer is indented alike.
fn write_pretty_json(out: &mut impl Write, value: &impl serde::Serialize) -> io::Result<()> {
    let compact = serde_json::to_vec(value).map_err(io::Error::from)?;
    let mut from = serde_json::Deserializer::from_slice(&compact);
    // Indented in memory, then written: a closed pipe is then an I/O error of its own kind
    // (ended quietly), not one the transcoder reports as bad data.
    let mut pretty = Vec::with_capacity(compact.len() * 2);
    let mut to = serde_json::Serializer::pretty(&mut pretty);
    serde_transcode::transcode(&mut from, &mut to).map_err(io::Error::from)?;
    out.write_all(&pretty)
}

/// The citation a query was read as: the paragraphs found, what is missing, what exists.
fn write_citation(out: &mut impl Write, citation: &cite::CiteAnswer) -> io::Result<()> {
    writeln!(out, "Citation {:?}:\n", citation.reference)?;
    for p in &citation.paragraphs {
        let partial = if p.partial { " [partial]" } else { "" };
        writeln!(
            out,
            "{}{partial}\n  {}\n",
            terminal_safe(&p.citation),
            terminal_safe(&p.text)
        )?;
    }
    if !citation.missing.is_empty() {
        writeln!(out, "not in the corpus: {}", citation.missing.join(", "))?;
    }
    writeln!(out, "{}\n", terminal_safe(&citation.coverage))
}

/// A snippet for the terminal: matches in bold (or plain), entities decoded, control
/// characters of the text escaped.
fn terminal_snippet(html: &str, bold: bool) -> String {
    let (on, off) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    let text = html
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    terminal_safe(&text)
        .replace("<mark>", on)
        .replace("</mark>", off)
}

/// Text from the corpus made inert for a terminal: control characters but tab and line
/// feed, and bidirectional controls, written as `\u{1b}`.
fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if wsis_search::corpus::is_hidden_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// `wsis cite`: the paragraphs a reference names, in the format asked.
pub fn cite(args: CiteArgs) -> Result<ExitCode> {
    let searcher = Searcher::open(&args.index)?;
    let format = if args.json {
        cite::Format::Json
    } else {
        args.format
    };
    let answer = cite::lookup(&args.reference, &searcher);
    let mut out = io::stdout().lock();
    match answer {
        Ok(answer) => {
            let rendered = cite::render(&answer, format);
            let shown = match format {
                // JSON escapes control characters itself.
                cite::Format::Json | cite::Format::CslJson => rendered,
                _ => terminal_safe(&rendered),
            };
            write_or_quiet(|| writeln!(out, "{}", shown.trim_end()))
        }
        Err(e @ wsis_search::Error::ParagraphNotFound { .. }) => {
            if format == cite::Format::Json {
                let body = serde_json::to_string_pretty(&e.body())?;
                write_or_quiet(|| writeln!(out, "{body}"))?;
            } else {
                eprintln!("{e}");
            }
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
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
