//! `wsis fetch`: downloads an official document from the address in the manifest (HTTPS,
//! rustls, timeouts) and imports it. A PDF is turned into text with `pdftotext -layout`
//! (Debian's poppler-utils), an optional tool: without it the error says how to install it.
//! The download goes to a temporary file and the import renames the finished document into
//! place, so no half-written document is left in the corpus.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::import::{self, Imported};

/// Time allowed to connect.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Time allowed for a whole download (the environment variable `WSIS_FETCH_TIMEOUT`, in
/// seconds, overrides it).
pub const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(120);
/// The largest file accepted.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Downloads document `doc` of the manifest of `corpus_dir` and imports it.
pub fn fetch(doc: &str, corpus_dir: &Path) -> Result<Imported> {
    let meta = &crate::corpus::manifest_entry(corpus_dir, doc)?;
    if meta.source_url.is_empty() {
        return Err(Error::Fetch {
            url: String::new(),
            reason: format!("the manifest gives no source-url for {doc}"),
        });
    }
    let (bytes, content_type) = download(&meta.source_url)?;
    let is_pdf = content_type.contains("pdf") || bytes.starts_with(b"%PDF");
    let extension = if is_pdf {
        "pdf"
    } else if content_type.contains("html") {
        "html"
    } else {
        "txt"
    };
    let download_path = corpus_dir.join(format!(".fetch-{doc}.download.{extension}"));
    std::fs::write(&download_path, &bytes).map_err(Error::io(&download_path))?;
    let name = meta
        .source_url
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or(doc)
        .to_string();
    let published = Some(import::Published {
        name,
        sha256: import::sha256_hex(&bytes),
    });
    let result = if is_pdf {
        pdf_to_text(&download_path).and_then(|text_path| {
            let imported = import::import_as(&text_path, doc, corpus_dir, published);
            let _ = std::fs::remove_file(&text_path);
            imported
        })
    } else {
        import::import_as(&download_path, doc, corpus_dir, published)
    };
    let _ = std::fs::remove_file(&download_path);
    result
}

/// The body and content type at `url`, or an error saying what went wrong.
fn download(url: &str) -> Result<(Vec<u8>, String)> {
    let fail = |reason: String| Error::Fetch {
        url: url.to_string(),
        reason,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(download_timeout()))
        .http_status_as_error(false)
        .user_agent("wsis-search (https://github.com; importing official WSIS texts)")
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| {
        fail(format!(
            "cannot download ({e}); check the address and that this machine is online"
        ))
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(fail(format!(
            "the server answered {status}, not the document"
        )));
    }
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_lowercase();
    let acceptable = content_type.is_empty()
        || ["html", "pdf", "text/plain", "octet-stream"]
            .iter()
            .any(|t| content_type.contains(t));
    if !acceptable {
        return Err(fail(format!(
            "the server sent {content_type}, not HTML, text or PDF"
        )));
    }
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .map_err(|e| fail(format!("the download broke off: {e}")))?;
    Ok((bytes, content_type))
}

fn download_timeout() -> Duration {
    std::env::var("WSIS_FETCH_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(DOWNLOAD_TIMEOUT, Duration::from_secs)
}

/// Runs `pdftotext -layout -enc UTF-8 FILE OUT.txt`.
fn pdf_to_text(pdf: &Path) -> Result<PathBuf> {
    let out = pdf.with_extension("txt");
    let status = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg(&out)
        .status();
    match status {
        Ok(s) if s.success() => Ok(out),
        Ok(s) => Err(Error::Fetch { url: pdf.display().to_string(), reason: format!("pdftotext failed ({s})") }),
        Err(_) => Err(Error::Fetch {
            url: pdf.display().to_string(),
            reason: "the document is a PDF and pdftotext is not installed; install it with `apt-get install poppler-utils`, or import a text or HTML copy with `wsis import`".into(),
        }),
    }
}
