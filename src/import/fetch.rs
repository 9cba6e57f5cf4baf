//! `wsis fetch`: downloads an official document from the file address in the manifest
//! (`download-url`, else `source-url`; HTTPS, rustls, timeouts, redirects followed), checks
//! that what came back is the document, and imports it.
//!
//! The checks, before anything is written: a 2xx answer with a body; the format the manifest
//! expects (`format: pdf`: the bytes open with `%PDF`; `format: html`: an HTML page); not an
//! error page (an address that led to `/error`); a page that carries the document's symbol
//! (a JavaScript viewer's app shell does not); and a split whose numbering check passes (1..N,
//! no gaps or repeats). A refusal names the address, what came back and why, and leaves the
//! corpus byte for byte as it was. A PDF is turned into text with `pdftotext -layout`
//! (Debian's poppler-utils), an optional tool: without it the error says how to install it;
//! the PDF and its text go to a private temporary directory that is removed afterwards.

use std::path::Path;
use std::time::Duration;

use ureq::ResponseExt as _;

use crate::corpus::DocMeta;
use crate::error::{Error, Result};
use crate::import::pdf::{self, ToTextError};
use crate::import::{self, Format, Prepared, Published, Source, Written};

/// Time allowed to connect.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Time allowed for a whole download unless told otherwise ([`FetchOptions::timeout`]).
pub const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(120);
/// The largest file accepted.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// How a fetch runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchOptions {
    /// Write a document even when it has fewer paragraphs than the corpus holds of it.
    pub force: bool,
    /// Time allowed for a whole download.
    pub timeout: Duration,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            force: false,
            timeout: DOWNLOAD_TIMEOUT,
        }
    }
}

/// What a fetch did: the address, the prepared document and whether it was written.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Where the file was found, after redirects.
    pub url: String,
    /// The manifest's expected count of numbered paragraphs, where it gives one and the
    /// import has another (unverified: reported, never refused).
    pub expected_paragraphs: Option<usize>,
    /// What was imported.
    pub prepared: Prepared,
    /// Written, or unchanged.
    pub written: Written,
}

/// What the server answered.
#[derive(Debug, Clone)]
struct Download {
    /// The address asked for.
    url: String,
    /// The address answered, after redirects.
    final_url: String,
    status: u16,
    content_type: String,
    bytes: Vec<u8>,
}

impl Download {
    /// What came back, for a refusal: "HTTP 200, text/html, 512 bytes, from <address>".
    fn described(&self) -> String {
        let from = if self.final_url == self.url {
            String::new()
        } else {
            format!(", from {}", self.final_url)
        };
        let content_type = if self.content_type.is_empty() {
            "no content type"
        } else {
            &self.content_type
        };
        format!(
            "HTTP {}, {content_type}, {} bytes{from}",
            self.status,
            self.bytes.len()
        )
    }

    fn refuse(&self, why: impl Into<String>) -> Error {
        Error::Refused {
            url: self.url.clone(),
            got: self.described(),
            why: why.into(),
        }
    }

    fn is_pdf(&self) -> bool {
        pdf::is_pdf(&self.bytes)
    }

    fn is_html(&self) -> bool {
        self.content_type.contains("html") || Format::sniff("", &self.bytes) == Format::Html
    }

    /// The last part of the address answered: the published file's name.
    fn file_name(&self, doc: &str) -> String {
        let path = self.final_url.split(['?', '#']).next().unwrap_or("");
        path.rsplit('/')
            .next()
            .filter(|n| !n.is_empty() && !path.ends_with("//"))
            .unwrap_or(doc)
            .to_string()
    }
}

/// Downloads document `doc` of the manifest of `corpus_dir`, checks it and imports it; with
/// `options.force`, also when it has fewer paragraphs than the corpus holds.
pub fn fetch(doc: &str, corpus_dir: &Path, options: &FetchOptions) -> Result<Fetched> {
    let meta = &crate::corpus::manifest_entry(corpus_dir, doc)?;
    let url = if meta.download_url.is_empty() {
        &meta.source_url
    } else {
        &meta.download_url
    };
    if url.is_empty() {
        return Err(Error::Fetch {
            url: String::new(),
            reason: format!("the manifest gives no download-url or source-url for {doc}"),
        });
    }
    let download = download(url, options.timeout)?;
    let format = check_answer(&download, &meta.format)?;
    let prepared = prepare(&download, format, meta)?;
    check_content(&download, &prepared, meta)?;
    let written = import::write(&prepared, corpus_dir, options.force)?;
    let expected_paragraphs = meta
        .expected_paragraphs
        .filter(|&n| n != prepared.summary.paragraphs);
    Ok(Fetched {
        url: download.final_url,
        expected_paragraphs,
        prepared,
        written,
    })
}

/// Checks the answer itself: status, a body, the format the manifest expects, not an error
/// page. Returns how to read it.
fn check_answer(download: &Download, expected: &str) -> Result<Format> {
    if !(200..300).contains(&download.status) {
        return Err(download.refuse(format!(
            "the server answered {}, not the document",
            download.status
        )));
    }
    if download.bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(download.refuse(
            "an empty answer (a bot challenge, or a request still being processed), not the document",
        ));
    }
    let path = download.final_url.split('?').next().unwrap_or("");
    if path.split('/').skip(3).any(|part| part == "error") {
        return Err(download.refuse(
            "the address led to an error page (/error): the publisher does not know this document there",
        ));
    }
    match expected {
        "pdf" if download.is_pdf() => Ok(Format::Text),
        "pdf" if download.is_html() => Err(download.refuse(
            "an HTML page where the manifest expects a PDF: a viewer or an app shell, not the file",
        )),
        "pdf" => Err(download.refuse("not a PDF (its bytes do not open with %PDF)")),
        "html" if download.is_html() && !download.is_pdf() => Ok(Format::Html),
        "html" => Err(download.refuse("not an HTML page, which the manifest expects")),
        _ if download.is_pdf() => Ok(Format::Text),
        _ if download.is_html() => Ok(Format::Html),
        _ if download.content_type.is_empty()
            || ["text/plain", "octet-stream"]
                .iter()
                .any(|t| download.content_type.contains(t)) =>
        {
            Ok(Format::Text)
        }
        _ => Err(download.refuse("not HTML, text or PDF")),
    }
}

/// Cleans the download (through pdftotext for a PDF) into the document it would write.
fn prepare(download: &Download, format: Format, meta: &DocMeta) -> Result<Prepared> {
    let published = Published {
        name: download.file_name(&meta.id),
        sha256: import::sha256_hex(&download.bytes),
    };
    let text;
    let bytes = if download.is_pdf() {
        text = pdf_to_text(download)?;
        &text
    } else {
        &download.bytes
    };
    let charset = import::charset_of_content_type(&download.content_type);
    let source = Source {
        bytes,
        location: download.url.clone(),
        published,
        format,
        charset,
    };
    import::prepare(&source, meta).map_err(|e| download.refuse(e.to_string()))
}

/// Checks what the download splits into: the document's symbol where the manifest gives one
/// (an HTML page), and paragraph numbers 1..N without gaps or repeats.
fn check_content(download: &Download, prepared: &Prepared, meta: &DocMeta) -> Result<()> {
    let carries_symbol = meta.symbol.is_empty()
        || !download.is_html()
        || prepared
            .cleaned
            .lines
            .iter()
            .any(|l| l.text.contains(&meta.symbol));
    if !carries_symbol {
        return Err(download.refuse(format!(
            "the page does not carry the document's symbol {}: an app shell or another page",
            meta.symbol
        )));
    }
    let summary = &prepared.summary;
    if !summary.numbering_passes() {
        let why = if summary.paragraphs == 0 {
            "no numbered paragraphs in its text".to_string()
        } else {
            format!(
                "its {} numbered paragraphs fail the numbering check: {}",
                summary.paragraphs,
                summary.gaps.join("; ")
            )
        };
        return Err(download.refuse(why));
    }
    Ok(())
}

/// The body and content type at `url`, downloaded within `timeout`, or an error saying what
/// went wrong.
fn download(url: &str, timeout: Duration) -> Result<Download> {
    let fail = |reason: String| Error::Fetch {
        url: url.to_string(),
        reason,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent("wsis-search (https://github.com; importing official WSIS texts)")
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| {
        fail(format!(
            "cannot download ({e}); check the address and that this machine is online"
        ))
    })?;
    let final_url = response.get_uri().to_string();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_lowercase();
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .map_err(|e| fail(format!("the download broke off: {e}")))?;
    Ok(Download {
        url: url.to_string(),
        final_url,
        status,
        content_type,
        bytes,
    })
}

/// The text of a downloaded PDF ([`pdf::to_text`]).
fn pdf_to_text(download: &Download) -> Result<Vec<u8>> {
    let fail = |reason: String| Error::Fetch {
        url: download.url.clone(),
        reason,
    };
    pdf::to_text(&download.bytes).map_err(|e| match e {
        ToTextError::Unreadable(_) => download.refuse(e.to_string()),
        ToTextError::NotInstalled => fail(format!(
            "the document is a PDF and {e}, or import a text or HTML copy with `wsis import`"
        )),
        ToTextError::Workspace(_) => fail(e.to_string()),
    })
}
