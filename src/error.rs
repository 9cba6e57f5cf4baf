//! The library's one error type. Variants carry data, not prose; `Display` writes the
//! message a user reads (lower-case, no trailing period, saying what exists), and
//! [`Error::code`] is the table of stable machine-readable codes, [`Error::fault`] whose fault
//! each is (the HTTP status follows it), and [`ErrorBody`] the JSON form of both.

use std::path::PathBuf;

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A corpus file (or the manifest) breaks the corpus format at a given line.
    #[error("{}:{line}: {msg}", path.display())]
    CorpusFormat {
        /// The file.
        path: PathBuf,
        /// The 1-based line of the file.
        line: usize,
        /// What is wrong there.
        msg: String,
    },
    /// A records file (`--records FILE.jsonl`) has a line that is not a valid record.
    #[error("{}:{line}: {msg}", path.display())]
    RecordsFormat {
        /// The JSON-lines file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// What is wrong there.
        msg: String,
    },
    /// The corpus directory is missing or holds no documents.
    #[error("{}: {msg}", path.display())]
    CorpusMissing {
        /// The directory that was read.
        path: PathBuf,
        /// What is missing.
        msg: String,
    },
    /// Another `wsis index` holds the lock of this index directory.
    #[error("{}: another `wsis index` is building this index (lock {} is held); wait for it to finish", dir.display(), lock.display())]
    IndexLocked {
        /// The index directory.
        dir: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// There is no built index in the directory.
    #[error("{}: no index here; build one with `wsis index --index {}`", dir.display(), dir.display())]
    NoIndex {
        /// The index directory.
        dir: PathBuf,
    },
    /// A search query that cannot be run.
    #[error("cannot search for {}: {reason}", as_typed(query))]
    QueryParse {
        /// The query (its first 80 characters).
        query: String,
        /// Why.
        reason: String,
    },
    /// A query that uses a regular expression (`/…/`): not part of the query language.
    #[error(
        "cannot search for {}: regular expressions (/…/) are not part of the query language; write word* for the words that start with word",
        as_typed(query)
    )]
    RegexQuery {
        /// The query (its first 80 characters).
        query: String,
    },
    /// A query whose cost passes a limit: too many words from its prefixes, or its time budget.
    #[error("cannot search for {}: {reason}", as_typed(query))]
    QueryTooExpensive {
        /// The query (its first 80 characters).
        query: String,
        /// Which limit it passes, naming the limit.
        reason: String,
    },
    /// A citation that cannot be understood.
    #[error("cannot read the reference {input:?}: {reason}")]
    CitationParse {
        /// The reference as given.
        input: String,
        /// Why, with the accepted forms.
        reason: String,
    },
    /// No paragraph of a reference is in the corpus.
    #[error("no paragraph {para} in {doc}; it has {has}. {coverage}")]
    ParagraphNotFound {
        /// The document id.
        doc: String,
        /// The labels asked for.
        para: String,
        /// The labels the document has, shortened.
        has: String,
        /// What the corpus holds of the document.
        coverage: String,
    },
    /// A parameter out of its range.
    #[error("{reason}")]
    BadParameter {
        /// The parameter.
        name: &'static str,
        /// Why, saying what is accepted.
        reason: String,
    },
    /// A download for `wsis fetch` failed.
    #[error("{url}: {reason}")]
    Fetch {
        /// The address (or file) concerned.
        url: String,
        /// What went wrong, and what to do.
        reason: String,
    },
    /// `wsis fetch` downloaded something that is not the document, and imported nothing.
    #[error("{url}: refused: {why} (the server sent {got}); the corpus is unchanged")]
    Refused {
        /// The address downloaded (and where it led, after redirects).
        url: String,
        /// What came back: status, content type, size.
        got: String,
        /// Why it is not the document.
        why: String,
    },
    /// An import that would lose text, or whose cleaned text fails a check.
    #[error("{doc}: not imported: {why}; the corpus is unchanged")]
    ImportRefused {
        /// The document id.
        doc: String,
        /// Why, and what to do.
        why: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// tantivy reported a fault.
    #[error("index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// A JSON file of the product's own (a build's `build.json`) that cannot be read or written.
    #[error("{}: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// What serde found.
        #[source]
        source: serde_json::Error,
    },
    /// A record stored in the index, or its build's description, does not read back.
    #[error("index: a stored record is not valid: {0}")]
    StoredRecord(#[source] serde_json::Error),
}

/// Whose fault an error is: what decides the HTTP status of an answer (and, for the
/// command line, whether it is the user's input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The request cannot be answered as asked (a bad query, reference or parameter): 400.
    Request,
    /// What was asked for is not in the corpus: 404.
    NotFound,
    /// No index is being served yet: 503.
    Unavailable,
    /// The product's own fault or its files': 500, whose cause goes to the log.
    Internal,
}

impl Error {
    /// The stable code of this error, as the API and `--json` report it.
    pub fn code(&self) -> &'static str {
        match self {
            Error::CorpusFormat { .. } => "corpus_format",
            Error::RecordsFormat { .. } => "records_format",
            Error::CorpusMissing { .. } => "corpus_missing",
            Error::IndexLocked { .. } => "index_locked",
            Error::NoIndex { .. } => "no_index",
            Error::QueryParse { .. } => "bad_query",
            Error::RegexQuery { .. } => "regex_not_allowed",
            Error::QueryTooExpensive { .. } => "query_too_expensive",
            Error::BadParameter { .. } => "bad_parameter",
            Error::CitationParse { .. } => "bad_reference",
            Error::ParagraphNotFound { .. } => "not_found",
            Error::Fetch { .. } => "fetch",
            Error::Refused { .. } => "refused",
            Error::ImportRefused { .. } => "import_refused",
            Error::Io { .. } => "io",
            Error::Index(_) => "index",
            Error::Json { .. } => "json",
            Error::StoredRecord(_) => "stored_record",
        }
    }

    /// Whose fault this error is. Every variant is named: a new error has to say it.
    pub fn fault(&self) -> Fault {
        match self {
            Error::QueryParse { .. }
            | Error::RegexQuery { .. }
            | Error::QueryTooExpensive { .. }
            | Error::BadParameter { .. }
            | Error::CitationParse { .. } => Fault::Request,
            Error::ParagraphNotFound { .. } => Fault::NotFound,
            Error::NoIndex { .. } => Fault::Unavailable,
            Error::CorpusFormat { .. }
            | Error::RecordsFormat { .. }
            | Error::CorpusMissing { .. }
            | Error::IndexLocked { .. }
            | Error::Fetch { .. }
            | Error::Refused { .. }
            | Error::ImportRefused { .. }
            | Error::Io { .. }
            | Error::Index(_)
            | Error::Json { .. }
            | Error::StoredRecord(_) => Fault::Internal,
        }
    }

    /// The error's JSON body, as the API answers and `--json` prints it.
    pub fn body(&self) -> ErrorBody {
        ErrorBody::new(self.code(), self.to_string())
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}

/// The JSON body of an error: `{"error": {"code": "bad_query", "message": "…"}}`, the one
/// form the API answers with and `wsis cite --json` prints.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ErrorBody {
    /// The code and the message.
    pub error: ErrorDetail,
}

/// The inside of an [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ErrorDetail {
    /// The stable code ([`Error::code`], or the server's own: `overloaded`, `internal`, …).
    pub code: String,
    /// What a user reads.
    pub message: String,
}

impl ErrorBody {
    /// A body with this code and message.
    pub fn new(code: &str, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: code.to_string(),
                message: message.into(),
            },
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A query in quotes as it was typed, so that a place in a message (`at character 7`) counts
/// along what is shown: a control character (a tab, a line break, which the search reads as a
/// space) is shown as a space.
fn as_typed(query: &str) -> String {
    let shown: String = query
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("\"{shown}\"")
}
