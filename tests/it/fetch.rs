//! `wsis fetch` against a loopback server that imitates what the publishers serve (see the
//! README's "Fetching"): the ITU pages (windows-1252 declared only in `<meta>`, a redirect to
//! the page), the UN's symbol API (a redirect to the PDF, or to an `/error` page), the
//! JavaScript viewer's app shell, a bot challenge (202, empty body), a page whose numbering
//! has a gap, and a server that never answers. Every failure leaves the corpus byte for byte
//! as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::Command;

use crate::import::{fixture, itu_corpus};

/// One answer of the imitation server: status, extra header lines, content type, body.
pub struct Answer {
    status: u16,
    headers: String,
    content_type: &'static str,
    body: Vec<u8>,
}

pub fn answer(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Answer {
    Answer {
        status,
        headers: String::new(),
        content_type,
        body: body.into(),
    }
}

fn redirect(to: &str) -> Answer {
    Answer {
        headers: format!("Location: {to}\r\n"),
        ..answer(302, "text/html", "")
    }
}

/// A loopback server answering each path (with its query) from `routes`, 404 otherwise; it
/// runs until the test process ends.
pub fn serve(routes: Vec<(&'static str, Answer)>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let missing = answer(404, "text/plain", "no such page");
            let a = routes
                .iter()
                .find(|r| r.0 == path)
                .map_or(&missing, |r| &r.1);
            let head = format!(
                "HTTP/1.1 {} X\r\nContent-Type: {}\r\n{}Content-Length: {}\r\nConnection: close\r\n\r\n",
                a.status,
                a.content_type,
                a.headers,
                a.body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&a.body);
        }
    });
    addr
}

/// A server that accepts connections and never answers.
fn hanging_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let _held: Vec<_> = listener.incoming().collect();
    });
    addr
}

/// SHA-256 of every file in `dir`, by name.
pub fn checksums(dir: &Path) -> BTreeMap<String, String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = fs::read(e.path()).unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                wsis_search::import::sha256_hex(&bytes),
            )
        })
        .collect()
}

/// Runs `wsis fetch ARGS` with a 2-second download timeout: (exit code, stdout, stderr).
fn fetch(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wsis"))
        .arg("fetch")
        .args(args)
        .current_dir(dir)
        .env("WSIS_FETCH_TIMEOUT", "2")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const APP_SHELL: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Official Document System</title><script src=\"/main.js\"></script></head><body><app-root>Loading…</app-root><noscript>Please enable JavaScript.</noscript></body></html>";

/// A manifest entry of a made-up document.
fn entry(id: &str, symbol: &str, kind: &str, format: &str, url: &str) -> String {
    format!(
        "id: {id}\ntitle: The {id} sample\nsymbol: {symbol}\nkind: {kind}\nvariant: none\nsource-url: {url}\ndownload-url: {url}\nformat: {format}\n"
    )
}

#[test]
fn fetch_all_imports_what_it_can_and_refuses_the_rest_with_reasons() {
    let declaration = fs::read(fixture("itu-declaration-1252.html")).unwrap();
    let commitment = fs::read(fixture("itu-commitment.html")).unwrap();
    let gaps = "<html><body><p>Document HA-09/SAMPLE/DOC/9-E</p>\n<p>1. Lamps are lit.</p>\n<p>2. Piers are open.</p>\n<p>4. Ferries run weekly.</p></body></html>";
    let addr = serve(vec![
        // ITU: a page in windows-1252, declared only in <meta> (no charset in the header).
        (
            "/net/wsis/docs/geneva/official/dop.html",
            answer(200, "text/html", declaration),
        ),
        // A redirect to the page.
        (
            "/net/wsis/docs2/tunis/off/7",
            redirect("/net/wsis/docs2/tunis/off/7.html"),
        ),
        (
            "/net/wsis/docs2/tunis/off/7.html",
            answer(200, "text/html; charset=utf-8", commitment),
        ),
        // The UN symbol API: a redirect to the PDF (here a file pdftotext cannot read).
        (
            "/api/symbol/access?s=HA/RES/01/2&l=en&t=pdf",
            redirect("/doc/undoc/gen/n01/123/45/pdf/n0112345.pdf"),
        ),
        (
            "/doc/undoc/gen/n01/123/45/pdf/n0112345.pdf",
            answer(200, "application/pdf", "%PDF-1.4 made up, not a real PDF"),
        ),
        // An unknown symbol: a redirect to an /error page.
        (
            "/api/symbol/access?s=HA/RES/99/9&l=en&t=pdf",
            redirect("/error"),
        ),
        (
            "/error",
            answer(
                200,
                "text/html",
                "<html><body><h1>Error</h1><p>Not found.</p></body></html>",
            ),
        ),
        // The reading address: a JavaScript viewer's app shell, 200 for any path.
        (
            "/en/HA/RES/01/3",
            answer(200, "text/html; charset=utf-8", APP_SHELL),
        ),
        (
            "/itu/shell.html",
            answer(200, "text/html; charset=utf-8", APP_SHELL),
        ),
        // A bot challenge: 202 with an empty body.
        ("/record/123", answer(202, "text/html", "")),
        ("/itu/gaps.html", answer(200, "text/html", gaps)),
    ]);
    let slow = hanging_server();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = itu_corpus(tmp.path());
    let base = format!("http://{addr}");
    let manifest = [
        entry(
            "geneva-sample",
            "HA-03/SAMPLE/DOC/4-E",
            "outcome-document",
            "html",
            &format!("{base}/net/wsis/docs/geneva/official/dop.html"),
        ),
        entry(
            "tunis-sample",
            "HA-05/SAMPLE/DOC/7-E",
            "outcome-document",
            "html",
            &format!("{base}/net/wsis/docs2/tunis/off/7"),
        ),
        entry(
            "res-redirect",
            "HA/RES/01/2",
            "resolution",
            "pdf",
            &format!("{base}/api/symbol/access?s=HA/RES/01/2&l=en&t=pdf"),
        ),
        entry(
            "res-missing",
            "HA/RES/01/5",
            "resolution",
            "pdf",
            &format!("{base}/api/symbol/access?s=HA/RES/01/5&l=en&t=pdf"),
        ),
        entry(
            "res-unknown",
            "HA/RES/99/9",
            "resolution",
            "pdf",
            &format!("{base}/api/symbol/access?s=HA/RES/99/9&l=en&t=pdf"),
        ),
        entry(
            "res-shell",
            "HA/RES/01/3",
            "resolution",
            "pdf",
            &format!("{base}/en/HA/RES/01/3"),
        ),
        entry(
            "itu-shell",
            "HA-07/SAMPLE/DOC/1-E",
            "outcome-document",
            "html",
            &format!("{base}/itu/shell.html"),
        ),
        entry(
            "res-challenge",
            "HA/RES/01/4",
            "resolution",
            "pdf",
            &format!("{base}/record/123"),
        ),
        entry(
            "itu-gaps",
            "HA-09/SAMPLE/DOC/9-E",
            "outcome-document",
            "html",
            &format!("{base}/itu/gaps.html"),
        ),
        entry(
            "itu-slow",
            "HA-10/SAMPLE/DOC/1-E",
            "outcome-document",
            "html",
            &format!("http://{slow}/net/wsis/slow.html"),
        ),
    ]
    .join("---\n")
    .replacen(
        "format: html\n",
        "format: html\nexpected-paragraphs: 6\n",
        1,
    );
    fs::write(corpus.join("manifest.txt"), manifest).unwrap();
    // Earlier imports of two of the documents that fail now: they must stay as they are.
    for id in ["res-shell", "itu-gaps"] {
        let earlier = format!(
            "id: {id}\ntitle: The {id} sample\nkind: resolution\nvariant: none\n---\n1. An earlier text of {id}.\n"
        );
        fs::write(corpus.join(format!("{id}.txt")), earlier).unwrap();
    }
    let before = checksums(&corpus);

    let (code, stdout, stderr) = fetch(tmp.path(), &["--all"]);
    assert_eq!(code, Some(2), "{stdout}\n{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    let expected = [
        (
            "geneva-sample: imported 5 paragraphs",
            "; the manifest expects 6 (unverified)",
        ),
        ("tunis-sample: imported 3 paragraphs", "7.html"),
        ("res-redirect: failed: ", "pdftotext"),
        (
            "res-missing: failed: ",
            "refused: the server answered 404, not the document",
        ),
        (
            "res-unknown: failed: ",
            "refused: the address led to an error page (/error)",
        ),
        (
            "res-shell: failed: ",
            "refused: an HTML page where the manifest expects a PDF",
        ),
        (
            "itu-shell: failed: ",
            "refused: the page does not carry the document's symbol HA-07/SAMPLE/DOC/1-E",
        ),
        ("res-challenge: failed: ", "refused: an empty answer"),
        (
            "itu-gaps: failed: ",
            "paragraph numbers of itu-gaps skip 3 before 4",
        ),
        ("itu-slow: failed: ", "cannot download"),
    ];
    assert_eq!(
        lines.len(),
        expected.len(),
        "one line a document:\n{stdout}"
    );
    for (line, (start, contains)) in lines.iter().zip(expected) {
        assert!(
            line.starts_with(start) && line.contains(contains),
            "{start}…{contains}: {line}"
        );
    }
    assert!(
        lines[5].contains("(the server sent HTTP 200, text/html; charset=utf-8, ")
            && lines[7].contains("(the server sent HTTP 202, text/html, 0 bytes)")
            && lines[4].contains(&format!("from {base}/error)"))
            && lines[5].ends_with("the corpus is unchanged"),
        "refusals say what came back:\n{stdout}"
    );

    let mut after = checksums(&corpus);
    for id in ["geneva-sample", "tunis-sample"] {
        assert!(
            after.remove(&format!("{id}.txt")).is_some(),
            "{id} imported"
        );
    }
    assert_eq!(
        after, before,
        "failures leave the corpus byte for byte as it was"
    );
    let geneva = fs::read_to_string(corpus.join("geneva-sample.txt")).unwrap();
    assert!(
        geneva.contains("said the café owner – twice")
            && geneva.contains("source-file: dop.html\n"),
        "windows-1252 declared in <meta> is decoded; the published file is named"
    );
    let tunis = fs::read_to_string(corpus.join("tunis-sample.txt")).unwrap();
    assert!(
        tunis.contains("source-file: 7.html\n"),
        "named after the redirect"
    );

    let (_, again, _) = fetch(tmp.path(), &["geneva-sample", "tunis-sample"]);
    assert_eq!(
        again.lines().take(2).collect::<Vec<_>>(),
        [
            "geneva-sample: unchanged (5 paragraphs; the manifest expects 6 (unverified))",
            "tunis-sample: unchanged (3 paragraphs)"
        ]
    );
}

#[test]
fn a_fetch_with_fewer_paragraphs_than_the_corpus_needs_force() {
    let short =
        "<p>Document HA-03/SAMPLE/DOC/4-E</p>\n<p>1. Lamps are lit.</p>\n<p>2. Piers are open.</p>";
    let addr = serve(vec![("/dop.html", answer(200, "text/html", short))]);
    let tmp = tempfile::tempdir().unwrap();
    let corpus = itu_corpus(tmp.path());
    crate::util::wsis_ok(
        tmp.path(),
        &[
            "import",
            &fixture("itu-declaration-1252.html"),
            "--doc",
            "geneva-sample",
        ],
    );
    let manifest = fs::read_to_string(corpus.join("manifest.txt"))
        .unwrap()
        .replacen(
            "format: html\n",
            &format!("format: html\ndownload-url: http://{addr}/dop.html\n"),
            1,
        );
    fs::write(corpus.join("manifest.txt"), manifest).unwrap();
    let before = checksums(&corpus);
    let (code, stdout, _) = fetch(tmp.path(), &["geneva-sample"]);
    assert_eq!(code, Some(2));
    assert!(
        stdout.contains("geneva-sample: failed: geneva-sample: not imported: the new text has 2 paragraphs, the corpus has 5")
            && stdout.contains("--force"),
        "{stdout}"
    );
    assert_eq!(checksums(&corpus), before);
    let (code, stdout, _) = fetch(tmp.path(), &["geneva-sample", "--force"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.starts_with("geneva-sample: imported 2 paragraphs"),
        "{stdout}"
    );
}

/// A one-page PDF whose text is `lines`, one a line, in Helvetica (made here, so that the
/// test needs no PDF file from elsewhere).
fn made_up_pdf(lines: &[&str]) -> Vec<u8> {
    let shown: String = lines.iter().map(|l| format!("({l}) ' ")).collect();
    let content = format!("BT /F1 11 Tf 72 720 Td 14 TL {shown}ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf += &format!("{} 0 obj\n{object}\nendobj\n", i + 1);
    }
    let xref = pdf.len();
    pdf += &format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        pdf += &format!("{offset:010} 00000 n \n");
    }
    pdf += &format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    pdf.into_bytes()
}

#[test]
#[ignore = "needs pdftotext: run with `cargo test --test it -- --ignored`"]
fn a_resolution_is_fetched_through_the_symbol_apis_redirect_to_its_pdf() {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    assert!(
        found,
        "pdftotext is missing: install it with `apt-get install -y poppler-utils` (Debian)"
    );
    let pdf = made_up_pdf(&[
        "The Sample Assembly,",
        "Recalling its decisions on the harbour lamps,",
        "1. Decides that the lamps are lit at dusk;",
        "2. Requests a report on the lamps.",
    ]);
    let addr = serve(vec![
        (
            "/api/symbol/access?s=HA/RES/01/2&l=en&t=pdf",
            redirect("/doc/undoc/gen/n01/123/45/pdf/n0112345.pdf"),
        ),
        (
            "/doc/undoc/gen/n01/123/45/pdf/n0112345.pdf",
            answer(200, "application/pdf", pdf),
        ),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let corpus = itu_corpus(tmp.path());
    let url = format!("http://{addr}/api/symbol/access?s=HA/RES/01/2&l=en&t=pdf");
    fs::write(
        corpus.join("manifest.txt"),
        entry("res-sample", "HA/RES/01/2", "resolution", "pdf", &url),
    )
    .unwrap();
    let (code, stdout, stderr) = fetch(tmp.path(), &["--all"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("res-sample: imported 2 paragraphs into corpus/res-sample.txt from ")
            && stdout.contains("/n0112345.pdf"),
        "{stdout}"
    );
    let written = fs::read_to_string(corpus.join("res-sample.txt")).unwrap();
    assert!(written.contains("source-file: n0112345.pdf\n"), "{written}");
    assert!(
        written.contains("1. Decides that the lamps are lit at dusk;"),
        "{written}"
    );
}
