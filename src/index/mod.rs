//! The on-disk index: its schema and analyzer, building it beside the live one and swapping
//! it in whole, and reading it back (`wsis export`).
//!
//! # Layout
//!
//! An index directory (`index/` by default) holds one folder per build (`build-<id>`, a
//! tantivy index plus `build.json`), a pointer file `CURRENT` naming the build in use, and
//! the lock file `.lock`. A build is written into `.tmp-<id>`, renamed to `build-<id>` when
//! complete, and made current by writing `CURRENT.tmp` and renaming it over `CURRENT`, so a
//! reader always finds a whole build. The build that was current before is kept (a running
//! server may still be reading it); older builds and the leftovers of killed runs are
//! removed. Only one `wsis index` may build in a directory at a time.

pub(crate) mod fold;
pub mod groups;
pub(crate) mod pairs;
pub(crate) mod read_only;
pub(crate) mod replay;
pub mod spelling;
pub(crate) mod stems;
pub mod survey;
pub(crate) mod typo;
pub(crate) mod words;

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::indexer::NoMergePolicy;
use tantivy::schema::document::{
    DeserializeError, DocumentDeserialize, DocumentDeserializer, ValueDeserialize,
    ValueDeserializer,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::store::Compressor;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer,
    TextAnalyzerBuilder, Tokenizer,
};
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument};

use crate::corpus::CatalogEntry;
use crate::error::{Error, Result};
use crate::index::stems::CachingStemmer;
use crate::index::survey::{Quoting, Survey};
use crate::ingest::glossary::{self, Glossary};
use crate::ingest::records::Stats;
use crate::ingest::source::RecordSource;
use crate::model::{Record, field};
use std::collections::HashMap;

/// The pointer file naming the current build.
pub const CURRENT_FILE: &str = "CURRENT";
/// The lock file held while a build runs.
pub const LOCK_FILE: &str = ".lock";
/// The name of the analyzer for English text fields.
pub const ANALYZER: &str = "wsis_en";
/// The name of the analyzer for word pairs.
pub const PAIRS_ANALYZER: &str = "wsis_en_pairs";

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Record id, exact.
    pub id: Field,
    /// Document id, exact.
    pub doc: Field,
    /// Paragraph label, exact.
    pub para: Field,
    /// `original` or `digital`, exact.
    pub variant: Field,
    /// Document kind, exact.
    pub kind: Field,
    /// Year of the document's date.
    pub year: Field,
    /// Position in corpus order.
    pub seq: Field,
    /// Citation string, analysed.
    pub citation: Field,
    /// Heading path, analysed.
    pub section: Field,
    /// Document title, analysed.
    pub title: Field,
    /// Paragraph text, analysed with positions (phrases).
    pub text: Field,
    /// The whole record as JSON, stored only (the one stored field).
    pub record: Field,
    /// The official paragraphs the record refers to, as `doc/para`, exact; a reference to an
    /// item counts for its paragraph too (`tunis-agenda/72(e)` and `tunis-agenda/72`). Named
    /// `cites` in queries: `cites:tunis-agenda/72`.
    pub refs: Field,
    /// Other forms of the acronyms and expansions in the record (glossary), analysed.
    pub aliases: Field,
    /// For a quoted official paragraph: the heading path and text of the background record
    /// that quotes it, analysed.
    pub context: Field,
    /// For each of [`ANALYSED`], in that order, the same value as pairs of adjacent words,
    /// for phrases (see [`crate::index::pairs`]).
    pub pairs: [Field; 6],
    /// How often the paragraph is cited, as the tiers it reaches ([`authority_tiers`]):
    /// `1`, `2`, `4`, … for at least 1, 2, 4, … other records citing it or its items. Exact,
    /// for ranking; added last, so a build made before it keeps its other fields' numbers.
    pub authority: Field,
    /// The key of the group the record shares with others ([`crate::index::groups`]); none
    /// for a record alone in its group. Added last, as `authority`.
    pub group: Field,
}

/// The tiers a count of citing records reaches: 1 → `["1"]`, 5 → `["1", "2", "4"]`. The
/// ranking adds a constant for each, so authority grows with the logarithm of the count.
pub fn authority_tiers(citing: usize) -> Vec<String> {
    std::iter::successors(Some(1usize), |t| t.checked_mul(2))
        .take_while(|&t| t <= citing)
        .map(|t| t.to_string())
        .collect()
}

pub use crate::model::field::ANALYSED;

impl Fields {
    /// The word-pairs field of `field`, if it is one of the analysed fields.
    pub fn pairs_of(&self, field: Field) -> Option<Field> {
        let at = self.analysed().iter().position(|&f| f == field)?;
        Some(self.pairs[at])
    }

    /// The analysed fields, in [`ANALYSED`] order.
    pub fn analysed(&self) -> [Field; 6] {
        [
            self.text,
            self.section,
            self.citation,
            self.title,
            self.aliases,
            self.context,
        ]
    }
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let analysed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: builder.add_text_field(field::ID, STRING),
        doc: builder.add_text_field(field::DOC, STRING | FAST),
        para: builder.add_text_field(field::PARA, STRING),
        variant: builder.add_text_field(field::VARIANT, STRING),
        kind: builder.add_text_field(field::KIND, STRING),
        year: builder.add_i64_field(field::YEAR, INDEXED | FAST),
        seq: builder.add_u64_field(field::SEQ, INDEXED | FAST),
        citation: builder.add_text_field(field::CITATION, analysed.clone()),
        section: builder.add_text_field(field::SECTION, analysed.clone()),
        title: builder.add_text_field(field::TITLE, analysed.clone()),
        text: builder.add_text_field(field::TEXT, analysed.clone()),
        record: builder.add_text_field(field::RECORD, STORED),
        refs: builder.add_text_field(field::CITES, STRING),
        aliases: builder.add_text_field(field::ALIASES, analysed.clone()),
        context: builder.add_text_field(field::CONTEXT, analysed),
        pairs: ANALYSED.map(|name| {
            builder.add_text_field(
                &crate::index::pairs::field_name(name),
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(PAIRS_ANALYZER)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                ),
            )
        }),
        authority: builder.add_text_field(field::AUTHORITY, STRING),
        group: builder.add_text_field(field::GROUP, STRING),
    };
    (builder.build(), fields)
}

/// The analyzer of text fields: words split on anything not alphanumeric (so curly and
/// straight apostrophes split alike) and on footnote markers (`report⁶` is `report`, see
/// [`crate::index::words`]), lower-cased, look-alike letters of other scripts in a
/// Latin word folded to Latin (a Cyrillic "С1" is "c1"), accents folded, English stems
/// (Snowball: "governing" and "governance" stay apart, "governments" finds "government").
pub fn analyzer() -> TextAnalyzer {
    words().build()
}

/// The analyzer of the word-pairs fields: the words of [`analyzer`], as adjacent pairs.
pub fn pairs_analyzer() -> TextAnalyzer {
    words().filter(crate::index::pairs::WordPairs).build()
}

/// [`analyzer`] as a build runs it: the same tokens, with each word's stem remembered
/// ([`crate::index::stems`]).
pub fn build_analyzer() -> TextAnalyzer {
    unstemmed_words()
        .filter(CachingStemmer)
        .filter(crate::index::replay::Recorded)
        .build()
}

/// [`pairs_analyzer`] as a build runs it: the words of a text [`build_analyzer`] has just
/// analysed are replayed ([`crate::index::replay`]), others analysed with stems cached.
pub fn build_pairs_analyzer() -> TextAnalyzer {
    unstemmed_words()
        .filter(CachingStemmer)
        .filter(crate::index::replay::Replayed)
        .filter(crate::index::pairs::WordPairs)
        .build()
}

fn words() -> TextAnalyzerBuilder<impl Tokenizer> {
    unstemmed_words().filter(Stemmer::new(Language::English))
}

/// The words of text fields before stemming: split, long ones dropped, lower-cased, folded.
/// Also the surface words of the typo dictionary ([`crate::index::typo`]).
fn unstemmed_words() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(crate::index::words::WordTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(crate::index::fold::FoldLookalikes)
        .filter(AsciiFoldingFilter)
}

/// Registers the analyzers the schema names.
pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(ANALYZER, analyzer());
    index
        .tokenizers()
        .register(PAIRS_ANALYZER, pairs_analyzer());
}

/// Registers the analyzers a build indexes with: those of [`register_analyzers`], with
/// stems cached.
fn register_build_analyzers(index: &Index) {
    index.tokenizers().register(ANALYZER, build_analyzer());
    index
        .tokenizers()
        .register(PAIRS_ANALYZER, build_pairs_analyzer());
}

/// What `build.json` records about a build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildInfo {
    /// The build's id, also its folder name after `build-`.
    pub id: String,
    /// When it was built, UTC, ISO 8601.
    pub built_at: String,
    /// Records in it.
    pub records: usize,
    /// What it was built from: the corpus directory or the records file.
    pub source: String,
    /// The corpus summary, for a corpus build.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<Stats>,
    /// Every document the corpus knows (files and manifest entries), for a corpus build.
    #[serde(default)]
    pub catalog: Vec<CatalogEntry>,
    /// The documents that have records in this build, in corpus order.
    #[serde(default)]
    pub documents: Vec<DocEntry>,
    /// Acronyms the sources define, with their expansions.
    #[serde(default)]
    pub glossary: Glossary,
}

/// A document with records in a build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocEntry {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: crate::model::Kind,
    /// Year, if its date gives one.
    pub year: Option<i32>,
    /// Original (not variant) records.
    pub records: usize,
}

/// What a build is made from, besides its records.
#[derive(Debug, Clone, Default)]
pub struct BuildSource {
    /// The corpus directory or records file, as given.
    pub source: String,
    /// The corpus summary.
    pub stats: Option<Stats>,
    /// The corpus's documents.
    pub catalog: Vec<CatalogEntry>,
    /// The corpus's table of spelling variants (see [`crate::index::spelling`]).
    pub spellings: Vec<Vec<String>>,
}

/// A built index, open for reading.
pub struct Opened {
    /// The tantivy index.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// Its `build.json`.
    pub info: BuildInfo,
    /// Its folder.
    pub path: PathBuf,
}

impl Opened {
    /// Whether the build has the word-pairs fields (builds made before them do not).
    pub fn fields_have_pairs(&self) -> bool {
        self.index
            .schema()
            .get_field(&crate::index::pairs::field_name("text"))
            .is_ok()
    }
}

/// Builds an index of the records of `source` (which `survey` surveyed) in the locked
/// directory and makes it
/// current, calling `progress` with the number of records written so far. Reads the records
/// one at a time. Fails without touching the current build if anything goes wrong.
pub fn build(
    lock: &BuildLock,
    source: &dyn RecordSource,
    survey: Survey,
    info: BuildSource,
    progress: &dyn Fn(usize),
) -> Result<BuildInfo> {
    let dir = lock.dir();
    remove_leftovers(dir, None)?;
    let id = build_id();
    let tmp = dir.join(format!(".tmp-{id}"));
    let final_path = dir.join(format!("build-{id}"));
    let result = write_build(&tmp, &id, source, survey, info, progress).and_then(|info| {
        failpoint("before-rename")?;
        fs::rename(&tmp, &final_path).map_err(Error::io(&final_path))?;
        failpoint("before-swap")?;
        let previous = current_build_name(dir);
        set_current(dir, &format!("build-{id}"))?;
        remove_leftovers(dir, previous.as_deref())?;
        Ok(info)
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
        if current_build_name(dir).as_deref() != Some(&format!("build-{id}")) {
            let _ = fs::remove_dir_all(&final_path);
        }
    }
    result
}

/// Fails with an I/O error when the armed failpoint ([`arm_failpoint`]) is this step
/// (`after-segments`, `before-rename`, `before-swap`; `commit-often` instead commits every 50
/// records, making the many segments of a large build): the fault tests' way to break a build
/// at a known point. Unset, it does nothing.
fn failpoint(step: &str) -> Result<()> {
    if failpoint_is(step) {
        return Err(Error::Io {
            path: PathBuf::from(step),
            source: std::io::Error::other(format!("failpoint {step}")),
        });
    }
    Ok(())
}

/// The failpoint armed in this process, if any.
static FAILPOINT: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Arms the failpoint `step` for the rest of the process (the binary arms the one the
/// environment variable `WSIS_FAILPOINT` names): the fault tests' way to make a fault
/// happen at a known point. The first call wins.
pub fn arm_failpoint(step: &str) {
    let _ = FAILPOINT.set(step.to_string());
}

/// Whether the armed failpoint is `step`.
pub fn failpoint_is(step: &str) -> bool {
    FAILPOINT.get().is_some_and(|armed| armed == step)
}

/// Checks the current build in `dir`: every file against its checksum, and every stored
/// record read back. Returns what is damaged (empty when the build is sound).
pub fn damaged_files(dir: &Path) -> Result<Vec<String>> {
    let opened = open(dir)?;
    let mut damaged: Vec<String> = opened
        .index
        .validate_checksum()?
        .into_iter()
        .map(|p| p.display().to_string())
        .collect();
    if let Err(e) = all_records(&opened) {
        damaged.push(format!("stored records ({e})"));
    }
    Ok(damaged)
}

/// Opens the current build in `dir`, read-only: nothing is written to `dir` (it may be on a
/// read-only file system).
pub fn open(dir: &Path) -> Result<Opened> {
    let name = current_build_name(dir).ok_or_else(|| Error::NoIndex {
        dir: dir.to_path_buf(),
    })?;
    let path = dir.join(&name);
    let info_path = path.join("build.json");
    let info_text = fs::read_to_string(&info_path).map_err(Error::io(&info_path))?;
    let info: BuildInfo = serde_json::from_str(&info_text).map_err(|source| Error::Json {
        path: info_path.clone(),
        source,
    })?;
    let index = Index::open(crate::index::read_only::ReadOnlyDirectory::open(&path)?)?;
    register_analyzers(&index);
    let (_, fields) = schema();
    Ok(Opened {
        index,
        fields,
        info,
        path,
    })
}

/// Every record of an opened index, in corpus order.
pub fn all_records(opened: &Opened) -> Result<Vec<Record>> {
    let reader = opened.index.reader()?;
    let searcher = reader.searcher();
    let mut records = Vec::new();
    for segment in searcher.segment_readers() {
        let store = segment
            .get_store_reader(64)
            .map_err(|e| Error::Index(e.into()))?;
        let seq = segment.fast_fields().u64(field::SEQ)?;
        for doc_id in 0..segment.max_doc() {
            if segment.is_deleted(doc_id) {
                continue;
            }
            let StoredRecord(json) = store.get(doc_id)?;
            let record = serde_json::from_str(&json).map_err(invalid_record)?;
            records.push((seq.first(doc_id).unwrap_or(u64::MAX), record));
        }
    }
    records.sort_by_key(|(seq, _)| *seq);
    Ok(records.into_iter().map(|(_, r)| r).collect())
}

/// A stored document read as the record JSON it holds (its one stored value), without a
/// [`TantivyDocument`] built around it; empty when it holds none.
pub struct StoredRecord(pub String);

impl DocumentDeserialize for StoredRecord {
    fn deserialize<'de, D>(mut document: D) -> std::result::Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        Ok(StoredRecord(
            document
                .next_field::<RecordJson>()?
                .map(|(_, json)| json.0)
                .unwrap_or_default(),
        ))
    }
}

/// The stored value of the record field: its JSON.
struct RecordJson(String);

impl ValueDeserialize for RecordJson {
    fn deserialize<'de, D>(value: D) -> std::result::Result<Self, DeserializeError>
    where
        D: ValueDeserializer<'de>,
    {
        value.deserialize_string().map(RecordJson)
    }
}

/// The error for a stored record that does not parse.
pub fn invalid_record(e: serde_json::Error) -> Error {
    Error::StoredRecord(e)
}

fn write_build(
    path: &Path,
    id: &str,
    source: &dyn RecordSource,
    mut survey: Survey,
    from: BuildSource,
    progress: &dyn Fn(usize),
) -> Result<BuildInfo> {
    fs::create_dir_all(path).map_err(Error::io(path))?;
    let (index, mut writer) = create_index(path, indexing_threads(survey.text_bytes))?;
    let fields = schema().1;
    let compounds = std::mem::take(&mut survey.compounds);
    let words = std::mem::take(&mut survey.words);
    let mut spellings =
        crate::index::spelling::Spellings::from_compounds(compounds, &from.spellings);
    let mut seq = 0u64;
    source.for_each(&mut |record| {
        let context = quote_context(record, &survey.quoting);
        let aliases = aliases_of(record, &context, &survey.glossary, &mut spellings);
        let mut doc = document(&fields, record, seq, &context, &aliases)?;
        for tier in authority_tiers(survey.citing(&record.doc, &record.para.to_string())) {
            doc.add_text(fields.authority, tier);
        }
        if let Some(key) = survey.groups.shared_key(record) {
            doc.add_text(fields.group, key);
        }
        if let Err(e) = writer.add_document(doc) {
            return Err(worker_fault(&mut writer, e));
        }
        if seq.is_multiple_of(1000) {
            progress(seq as usize);
        }
        if seq % 50 == 49 && failpoint_is("commit-often") {
            // Many small segments, as a large build makes: merges to race with.
            writer.commit()?;
        }
        seq += 1;
        Ok(())
    })?;
    failpoint("after-segments")?;
    words.write(&path.join(crate::index::typo::DICTIONARY_FILE))?;
    writer.commit()?;
    merge_segments(&index, path, &mut writer)?;
    writer.wait_merging_threads()?;
    progress(survey.records);
    let info = BuildInfo {
        id: id.to_string(),
        built_at: utc_timestamp(),
        records: survey.records,
        source: from.source,
        stats: from.stats,
        catalog: from.catalog,
        documents: survey.documents,
        glossary: survey.glossary,
    };
    let info_path = path.join("build.json");
    let json = serde_json::to_string_pretty(&info).map_err(|source| Error::Json {
        path: info_path.clone(),
        source,
    })?;
    write_synced(&info_path, json.as_bytes())?;
    Ok(info)
}

/// The memory the index writer fills per core before it writes a segment.
const WRITER_BYTES_PER_CORE: usize = 64_000_000;

/// The writer memory a byte of analysed text takes, with room to spare (a segment of the
/// benchmark's corpus, 64 MB, holds about 25,000 records: 21 MB of text).
const WRITER_BYTES_PER_TEXT_BYTE: usize = 4;

/// The indexing threads of a build whose records have `text_bytes` of text: one when the
/// writer's whole memory holds them in one segment, which then needs no merge (the merge of
/// two threads' segments was a third of the CPU of a build of 10,000 records); else one per
/// core, up to four, each with its share of the memory.
fn indexing_threads(text_bytes: usize) -> usize {
    let cores = writer_cores();
    if text_bytes.saturating_mul(WRITER_BYTES_PER_TEXT_BYTE) <= cores * WRITER_BYTES_PER_CORE {
        1
    } else {
        cores
    }
}

/// The cores a build uses: the machine's, up to four.
fn writer_cores() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4)
}

/// A new tantivy index in `path`, and its writer with `threads` indexing threads sharing the
/// memory of [`WRITER_BYTES_PER_CORE`] per core: no background merges (the build merges
/// every segment into one at the end, and a merge of the policy's finishing meanwhile would
/// replace segments that merge names: "the segments that were merged could not be found in
/// the SegmentManager").
fn create_index(path: &Path, threads: usize) -> Result<(Index, IndexWriter)> {
    // The stored records are read a few at a time, at random: uncompressed small blocks
    // cost a short copy per hit instead of decompressing a large block. With nothing to
    // compress, a block is written by the indexing thread itself: handing each 4 KiB block to
    // a compressing thread woke that thread once a block.
    let settings = IndexSettings {
        docstore_compression: Compressor::None,
        docstore_blocksize: 4096,
        docstore_compress_dedicated_thread: false,
        ..IndexSettings::default()
    };
    let index = Index::builder()
        .schema(schema().0)
        .settings(settings)
        .create_in_dir(path)?;
    register_build_analyzers(&index);
    let writer: IndexWriter =
        index.writer_with_num_threads(threads, writer_cores() * WRITER_BYTES_PER_CORE)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    Ok((index, writer))
}

/// The words around a quote: the quoting record's section and the sentences that
/// introduce the quote. Empty for a record that is not a quote.
fn quote_context(record: &Record, quoting: &HashMap<String, Quoting>) -> String {
    record
        .quoted_in
        .as_deref()
        .and_then(|id| quoting.get(id))
        .map(|q| {
            format!(
                "{} / {}",
                q.section,
                quoting_sentences(&q.text, &record.text)
            )
        })
        .unwrap_or_default()
}

/// The other forms of what `record` says: the expansions of its acronyms (and the acronyms
/// of its expansions), and the other spellings of its compounds.
fn aliases_of(
    record: &Record,
    context: &str,
    glossary: &Glossary,
    spellings: &mut crate::index::spelling::Spellings,
) -> Vec<String> {
    let section = record.section.join(" / ");
    let mut aliases = glossary::other_forms(
        glossary,
        &format!("{} / {section} / {context}", record.text),
    );
    aliases.extend(spellings.other_forms(&format!(
        "{} / {section} / {} / {} / {context} / {}",
        record.text,
        record.title,
        crate::reference::unmarked(&record.citation),
        aliases.join(" / ")
    )));
    aliases
}

/// The fault behind a failed `add_document`: when an indexing thread fails (a full disk),
/// tantivy only says "an index writer was killed"; a commit joins the threads and returns
/// what made that one fail.
fn worker_fault(writer: &mut IndexWriter, killed: tantivy::TantivyError) -> Error {
    match writer.commit() {
        Err(cause) => Error::Index(cause),
        Ok(_) => Error::Index(killed),
    }
}

/// The most bytes of segments one merge reads. A merge maps the files of the segments it
/// reads, and their pages count in the build's memory, so this bounds the build's peak memory
/// whatever its size: a build under it (100,000 generated records make 174 MiB) ends as one
/// segment, a larger one as segments of about this size.
const MERGE_BYTES: u64 = 192 << 20;

/// Merges the build's segments, one group of at most [`MERGE_BYTES`] at a time: a build is
/// written once and read many times, and fewer segments make every query look each term up
/// fewer times.
fn merge_segments(index: &Index, path: &Path, writer: &mut IndexWriter) -> Result<()> {
    let bytes = segment_bytes(path)?;
    let sizes = index
        .searchable_segment_metas()?
        .into_iter()
        .map(|meta| {
            let size = bytes.get(&meta.id().uuid_string()).copied().unwrap_or(0);
            (meta.id(), size)
        })
        .collect::<Vec<_>>();
    for group in merge_groups(&sizes, MERGE_BYTES) {
        writer.merge(&group).wait()?;
    }
    Ok(())
}

/// The bytes on disk of each segment's files (`<segment id>.<component>`) in `path`.
fn segment_bytes(path: &Path) -> Result<HashMap<String, u64>> {
    let mut bytes: HashMap<String, u64> = HashMap::new();
    for entry in fs::read_dir(path).map_err(Error::io(path))? {
        let entry = entry.map_err(Error::io(path))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let (Some((segment, _)), Ok(meta)) = (name.split_once('.'), entry.metadata()) {
            *bytes.entry(segment.to_string()).or_default() += meta.len();
        }
    }
    Ok(bytes)
}

/// Consecutive runs of `segments` (id and bytes) of at most `limit` bytes each (a segment
/// larger than `limit` stands alone), those of two segments or more: what to merge.
fn merge_groups<T: Clone>(segments: &[(T, u64)], limit: u64) -> Vec<Vec<T>> {
    let mut groups: Vec<Vec<T>> = Vec::new();
    let mut bytes = 0;
    for (id, size) in segments {
        match groups.last_mut() {
            Some(group) if bytes + size <= limit => group.push(id.clone()),
            _ => {
                groups.push(vec![id.clone()]);
                bytes = 0;
            }
        }
        bytes += size;
    }
    groups.retain(|g| g.len() > 1);
    groups
}

fn document(
    fields: &Fields,
    record: &Record,
    seq: u64,
    context: &str,
    aliases: &[String],
) -> Result<TantivyDocument> {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &record.id);
    doc.add_text(fields.doc, &record.doc);
    doc.add_text(fields.para, record.para.to_string());
    doc.add_text(fields.variant, record.variant.as_str());
    doc.add_text(fields.kind, record.kind.as_str());
    if let Some(year) = record.year {
        doc.add_i64(fields.year, year.into());
    }
    doc.add_u64(fields.seq, seq);
    let section = record.section.join(" / ");
    let aliases = aliases.join(" / ");
    let citation = crate::reference::unmarked(&record.citation).to_string();
    let analysed = [
        &record.text,
        &section,
        &citation,
        &record.title,
        &aliases,
        context,
    ];
    for ((field, pairs), value) in fields
        .analysed()
        .into_iter()
        .zip(fields.pairs)
        .zip(analysed)
    {
        doc.add_text(field, value);
        doc.add_text(pairs, value);
    }
    let cited: std::collections::BTreeSet<String> = record
        .refs
        .iter()
        .flat_map(|r| [r.para.clone(), r.para.paragraph()].map(|p| format!("{}/{p}", r.doc)))
        .collect();
    for value in cited {
        doc.add_text(fields.refs, value);
    }
    let json = serde_json::to_string(record).map_err(Error::StoredRecord)?;
    doc.add_text(fields.record, json);
    Ok(doc)
}

/// The sentences of `quoting` that hold `quote`: the words that introduce a quoted official
/// paragraph ("the Tunis Agenda adopted a working definition for internet governance (IG):
/// ‘…’"). Empty when the quote is not found in one piece.
fn quoting_sentences<'a>(quoting: &'a str, quote: &str) -> &'a str {
    let Some(start) = quoting.find(quote) else {
        return "";
    };
    let end = start + quote.len();
    let is_break = |i: usize| {
        quoting[..i].ends_with(". ") || quoting[..i].ends_with("? ") || quoting[..i].ends_with("! ")
    };
    let from = (0..=start)
        .rev()
        .find(|&i| quoting.is_char_boundary(i) && (i == 0 || is_break(i)))
        .unwrap_or(0);
    let to = (end..=quoting.len())
        .find(|&i| quoting.is_char_boundary(i) && (i == quoting.len() || is_break(i)))
        .unwrap_or(quoting.len());
    &quoting[from..to]
}

/// The lock of an index directory, held while the value lives.
/// The right to build in an index directory: the lock file `.lock`, held until dropped.
/// Take it before reading the records, so that a second `wsis index` stops at once.
pub struct BuildLock {
    dir: PathBuf,
    /// Held open: the lock lasts as long as the file.
    _file: File,
    /// Whether taking the lock made the directory (then an unused one is removed on drop).
    made_dir: bool,
}

impl BuildLock {
    /// Takes the lock of `dir`, making the directory if needed; fails at once, naming the
    /// lock, when another build holds it.
    pub fn take(dir: &Path) -> Result<BuildLock> {
        let made_dir = !dir.exists();
        fs::create_dir_all(dir).map_err(Error::io(dir))?;
        let path = dir.join(LOCK_FILE);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(Error::io(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(BuildLock {
                dir: dir.to_path_buf(),
                _file: file,
                made_dir,
            }),
            Err(fs::TryLockError::WouldBlock) => Err(Error::IndexLocked {
                dir: dir.to_path_buf(),
                lock: path,
            }),
            Err(fs::TryLockError::Error(e)) => Err(Error::Io { path, source: e }),
        }
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for BuildLock {
    /// Leaves no empty index directory behind a build that never started (records that
    /// did not read): a directory this lock made and that holds only the lock file goes.
    fn drop(&mut self) {
        let only_the_lock = fs::read_dir(&self.dir).is_ok_and(|entries| {
            entries
                .filter_map(|e| e.ok())
                .all(|e| e.file_name() == LOCK_FILE)
        });
        if self.made_dir && only_the_lock {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// The id of the build `CURRENT` names, if it names one that exists.
pub fn current_build_id(dir: &Path) -> Option<String> {
    current_build_name(dir).and_then(|name| name.strip_prefix("build-").map(str::to_string))
}

/// The folder name `CURRENT` points to, if it points to one that exists.
fn current_build_name(dir: &Path) -> Option<String> {
    let name = fs::read_to_string(dir.join(CURRENT_FILE)).ok()?;
    let name = name.trim();
    let valid =
        name.starts_with("build-") && !name.contains(['/', '\\']) && dir.join(name).is_dir();
    valid.then(|| name.to_string())
}

fn set_current(dir: &Path, name: &str) -> Result<()> {
    let tmp = dir.join(format!("{CURRENT_FILE}.tmp"));
    write_synced(&tmp, format!("{name}\n").as_bytes())?;
    let current = dir.join(CURRENT_FILE);
    fs::rename(&tmp, &current).map_err(Error::io(&current))?;
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = File::create(path).map_err(Error::io(path))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(Error::io(path))
}

/// Removes builds other than the current one and `keep`, and the temp folders of killed runs.
/// Runs under the lock.
fn remove_leftovers(dir: &Path, keep: Option<&str>) -> Result<()> {
    let current = current_build_name(dir);
    for entry in fs::read_dir(dir).map_err(Error::io(dir))? {
        let entry = entry.map_err(Error::io(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_build = name.starts_with("build-") || name.starts_with(".tmp-");
        let kept = Some(name.as_str()) == current.as_deref() || Some(name.as_str()) == keep;
        if is_build && !kept {
            fs::remove_dir_all(entry.path()).map_err(Error::io(entry.path()))?;
        }
    }
    Ok(())
}

/// A build id that sorts by time: `20261123T131500Z-12345`.
fn build_id() -> String {
    let stamp = utc_timestamp().replace(['-', ':'], "");
    format!("{stamp}-{}", std::process::id())
}

/// The time now, UTC, as `2026-11-23T13:15:00Z`.
pub fn utc_timestamp() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Year, month, day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_that_fits_one_segment_is_indexed_by_one_thread() {
        // 10 MB of text (the benchmark's 10,000 records) fits; the whole budget's worth does not.
        assert_eq!(indexing_threads(10_000_000), 1);
        let budget = writer_cores() * WRITER_BYTES_PER_CORE;
        assert_eq!(indexing_threads(budget), writer_cores());
        assert_eq!(indexing_threads(usize::MAX), writer_cores());
    }

    #[test]
    fn merges_read_at_most_the_limit_each() {
        let mib = |n: u64| n << 20;
        let segments: Vec<(char, u64)> = vec![
            ('a', mib(60)),
            ('b', mib(60)),
            ('c', mib(60)),
            ('d', mib(60)),
            ('e', mib(300)),
            ('f', mib(10)),
        ];
        assert_eq!(
            merge_groups(&segments, MERGE_BYTES),
            [vec!['a', 'b', 'c']],
            "a group stops before the limit; a segment over it stands alone"
        );
        let small: Vec<(char, u64)> = vec![('a', mib(50)), ('b', mib(50)), ('c', mib(70))];
        assert_eq!(merge_groups(&small, MERGE_BYTES), [vec!['a', 'b', 'c']]);
    }

    #[test]
    fn quoting_sentences_are_the_ones_around_the_quote() {
        let quoting =
            "The council met. It adopted a rule: ‘keep lamps lit’ (para 3). Then it rested.";
        assert_eq!(
            quoting_sentences(quoting, "keep lamps lit"),
            "It adopted a rule: ‘keep lamps lit’ (para 3). "
        );
        assert_eq!(quoting_sentences(quoting, "absent"), "");
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_415), (2025, 11, 23));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
