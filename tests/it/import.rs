//! `wsis import` of files in the official layouts (synthetic fixtures whose text is made up),
//! and the quote check once an official text is in the corpus.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{header, json_lines, repo, wsis_err, wsis_ok};

/// A corpus whose manifest lists two made-up official documents, and a background page that
/// quotes them: once word for word, once with a difference, once a paragraph the text lacks.
fn corpus_with_manifest(dir: &Path) {
    let corpus = dir.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    let manifest = "id: harbour-accord\ntitle: Harbour Accord\nshort: Harbour Accord\naliases: HA\nsymbol: HA-01/SAMPLE/DOC/1-E\ndate: 2001-01-01\nkind: outcome-document\nvariant: digital\n---\nid: harbour-resolution\ntitle: Resolution on the harbour lamps\nshort: Harbour resolution\nsymbol: HA/RES/01/2\ndate: 2001-02-02\nkind: resolution\nvariant: none\n";
    fs::write(corpus.join("manifest.txt"), manifest).unwrap();
    let body = "Notes\n\nThe Harbour Accord asked that ‘the lamps shall be lit at night’ (para 1).\n\nThe Harbour Accord also said the ‘ferries run on Mondays’ (para 2).\n\nThe Harbour Accord wished ‘a lighthouse on every rock’ (para 9).\n";
    fs::write(
        corpus.join("notes.txt"),
        header("notes", "fact-sheet") + body,
    )
    .unwrap();
}

fn fixture(name: &str) -> String {
    repo()
        .join("tests/fixtures")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn an_html_file_imports_and_its_records_trace_to_the_published_lines() {
    let tmp = tempfile::tempdir().unwrap();
    corpus_with_manifest(tmp.path());
    let html = fixture("harbour-accord.html");
    let out = wsis_ok(tmp.path(), &["import", &html, "--doc", "harbour-accord"]);
    assert!(out.contains("corpus/harbour-accord.txt"), "{out}");
    let first = fs::read_to_string(tmp.path().join("corpus/harbour-accord.txt")).unwrap();
    wsis_ok(tmp.path(), &["import", &html, "--doc", "harbour-accord"]);
    assert_eq!(
        fs::read_to_string(tmp.path().join("corpus/harbour-accord.txt")).unwrap(),
        first,
        "importing twice writes the same file"
    );
    assert!(
        !first.contains("not text") && !first.contains("Home") && !first.contains("Copyright"),
        "scripts, navigation and footers are gone:\n{first}"
    );

    let summary = wsis_ok(tmp.path(), &["index"]);
    assert!(
        summary.contains("quotes checked       3: 1 verbatim, 1 with differences, 1 not found"),
        "{summary}"
    );
    let records = json_lines(&wsis_ok(tmp.path(), &["export"]));
    let get = |id: &str| {
        records
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {records:?}"))
    };
    assert_eq!(
        get("harbour-accord/1")["text"],
        "We, the keepers of the sample harbour, agree that the lamps shall be lit at night and the piers kept open."
    );
    assert_eq!(
        get("harbour-accord/2")["text"],
        "We note that the ferries run on Tuesdays and that the information society of the coast depends on them.",
        "the footnote marker is gone"
    );
    assert_eq!(
        get("harbour-accord/3(b)")["text"],
        "Sound the horn in fog & rain;"
    );
    assert_eq!(
        get("harbour-accord/3")["section"],
        serde_json::json!(["B. Duties of the keeper"])
    );
    assert_eq!(get("harbour-accord/1")["partial"], false);
    assert!(
        get("harbour-accord/1").get("quoted_in").is_none(),
        "the official paragraph is the record, not the quote"
    );
    let published: Vec<&str> = fs::read_to_string(&html).unwrap().leak().lines().collect();
    for id in [
        "harbour-accord/1",
        "harbour-accord/2",
        "harbour-accord/3(c)",
    ] {
        let origin = &get(id)["origin"];
        let (start, end) = (
            origin["line_start"].as_u64().unwrap() as usize,
            origin["line_end"].as_u64().unwrap() as usize,
        );
        let lines = published[start - 1..end].join(" ");
        let first_words: String = get(id)["text"]
            .as_str()
            .unwrap()
            .split(' ')
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            lines.contains(&first_words),
            "{id} starts on the published lines {start}-{end}: {lines}"
        );
        assert_eq!(origin["sha256"].as_str().unwrap().len(), 64);
    }
    assert!(
        records
            .iter()
            .any(|r| r["id"] == "harbour-accord/2/digital"),
        "the rewrite applies to imported text"
    );
    let cite: Value =
        serde_json::from_str(&wsis_ok(tmp.path(), &["cite", "HA 3(b)", "--json"])).unwrap();
    assert_eq!(cite["doc"]["full_text"], true);
    assert_eq!(
        cite["paragraphs"][0]["text"],
        "Sound the horn in fog & rain;"
    );
}

#[test]
fn a_pdftotext_file_loses_its_page_furniture_and_joins_hyphens() {
    let tmp = tempfile::tempdir().unwrap();
    corpus_with_manifest(tmp.path());
    wsis_ok(
        tmp.path(),
        &[
            "import",
            &fixture("harbour-resolution.txt"),
            "--doc",
            "harbour-resolution",
        ],
    );
    let body = fs::read_to_string(tmp.path().join("corpus/harbour-resolution.txt")).unwrap();
    assert!(
        !body.contains("01-12345") && !body.contains("*0112345*"),
        "job number and bar code are gone:\n{body}"
    );
    wsis_ok(tmp.path(), &["index"]);
    let records = json_lines(&wsis_ok(tmp.path(), &["export"]));
    let text = |id: &str| {
        records
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["text"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(
        text("harbour-resolution/2"),
        "Requests the council to report on the lamps and on the information society of the coast;"
    );
    assert_eq!(
        text("harbour-resolution/3"),
        "Invites all ships to sail slowly near the piers.",
        "a paragraph after a page break"
    );
    assert_eq!(
        text("harbour-resolution/pp1"),
        "Recalling its earlier decisions on the harbour lamps and on information,",
        "the chapeau is not a preambular paragraph"
    );
    assert!(
        records
            .iter()
            .all(|r| !r["text"].as_str().unwrap().contains("Sample Assembly")),
        "masthead and chapeau are left out"
    );
}

/// A corpus whose manifest lists only `doc`, downloadable from `url`.
fn manifest_of_one(dir: &Path, doc: &str, kind: &str, symbol: &str, url: &str) {
    let corpus = dir.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    let manifest = format!(
        "id: {doc}\ntitle: The {doc} sample\nshort: {doc}\nsymbol: {symbol}\ndate: 2099-03-09\nkind: {kind}\nsource-url: {url}\nvariant: none\n"
    );
    fs::write(corpus.join("manifest.txt"), manifest).unwrap();
}

/// Imports the committed `pdftotext -layout` text of a PDF fixture (tests/it/pdf_fixtures.rs
/// writes the PDFs) as `doc`, and lists its records (see [`list_records`]).
fn import_pdf_text(doc: &str, kind: &str, symbol: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    manifest_of_one(tmp.path(), doc, kind, symbol, "");
    let text = fixture(&format!("{doc}.txt"));
    wsis_ok(tmp.path(), &["import", &text, "--doc", doc]);
    list_records(tmp.path(), doc)
}

/// Indexes the corpus in `dir` and lists the records of `doc` one a line: id, the lines of
/// the published text (the committed `pdftotext` text) it comes from, its section, its text.
fn list_records(dir: &Path, doc: &str) -> String {
    wsis_ok(dir, &["index"]);
    let text = fixture(&format!("{doc}.txt"));
    let published: Vec<String> = fs::read_to_string(&text)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let records = json_lines(&wsis_ok(dir, &["export"]));
    let mut lines = Vec::new();
    for record in records.iter().filter(|r| r["doc"] == doc) {
        let origin = &record["origin"];
        let (start, end) = (
            origin["line_start"].as_u64().unwrap() as usize,
            origin["line_end"].as_u64().unwrap() as usize,
        );
        let text = record["text"].as_str().unwrap();
        let first_word = text.split(' ').next().unwrap();
        assert!(
            published[start - 1].contains(first_word),
            "{}: its first word {first_word:?} is on published line {start}: {:?}",
            record["id"],
            published[start - 1]
        );
        let section: Vec<&str> = record["section"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        lines.push(format!(
            "{} L{start}-{end} [{}] {text}",
            record["id"].as_str().unwrap(),
            section.join(" > ")
        ));
    }
    lines.join("\n")
}

#[test]
fn an_outcome_document_imports_from_its_pdf_text() {
    expect_test::expect![[r#"
        harbour-outcome/1 L24-25 [A. Lamps and lights] We, the keepers of the sample harbour, gathered on the pier on 1 and 2 March 2098, agree that the lamps shall be lit from dusk to dawn.
        harbour-outcome/2 L26-27 [A. Lamps and lights] We note that the ferries of the coast, which carry the lamp oil, run on Tuesdays and that the information society of the coast depends on them.
        harbour-outcome/fn1 L36-36 [A. Lamps and lights] See the sample ferry timetable for 2097, page 4.
        harbour-outcome/3 L28-48 [A. Lamps and lights] We recognize that the old lamps are dim and that the new lamps, bought with the fund of the harbour council, shine further over the water, and we ask the keepers to clean the glass every week, to mend the wicks before the winter comes and to take down at once every lamp that fails, so that no ship is lost near the rocks.
        harbour-outcome/4 L49-50 [A. Lamps and lights] We ask the council to keep a spare lamp in every shed and a box of spare wicks in the office of the harbour master.
        harbour-outcome/fn2 L62-63 [B. Ferries and piers] The office of the harbour master stands at the end of the south pier, next to the old customs shed.
        harbour-outcome/5 L53-56 [B. Ferries and piers] We agree that the piers shall stay open in the winter, except when ice covers the steps, and that they shall serve: (a) The north pier, for the fishing boats; (b) The south pier, for the ferries and the mail.
        harbour-outcome/5(a) L55-55 [B. Ferries and piers] The north pier, for the fishing boats;
        harbour-outcome/5(b) L56-56 [B. Ferries and piers] The south pier, for the ferries and the mail.
        harbour-outcome/6 L75-76 [Looking ahead to the next ten years of the harbour lamps] We invite the towns of the coast to send their oil to the harbour before the first storm of the year.
        harbour-outcome/7 L77-77 [Looking ahead to the next ten years of the harbour lamps] We will meet again on the pier in ten years to see how the lamps have fared."#]].assert_eq(&import_pdf_text(
        "harbour-outcome",
        "outcome-document",
        "SA/RES/98/12",
    ));
}

#[test]
fn a_resolution_imports_from_its_pdf_text() {
    expect_test::expect![[r#"
        lamps-resolution/pp1 L18-19 [] Recalling its earlier decisions on the harbour lamps, in particular decision 98/12 of 1 March 2098,
        lamps-resolution/pp2 L20-22 [] Noting with concern that two lamps on the north pier went dark during the storms of the past winter,
        lamps-resolution/pp3 L23-23 [] Welcoming the offer of the coastal towns to share their lamp oil with the harbour,
        lamps-resolution/pp4 L24-42 [] Bearing in mind that the ferries cannot sail at night without the lamps, and that the keepers of the north pier, who walk round the bay every night to the harbour, have asked for help more than once,
        lamps-resolution/fn1 L31-31 [] See the report of the harbour master on the winter storms (SA/99/3).
        lamps-resolution/pp5 L43-43 [] Deeply concerned that the storms grow stronger every year,
        lamps-resolution/1 L44-44 [] Decides that every lamp of the harbour shall burn from dusk to dawn;
        lamps-resolution/2 L45-48 [] Requests the harbour council: (a) To buy two new lamps for the north pier; (b) To train four new keepers before the winter; (c) To report to the Assembly at its next session;
        lamps-resolution/2(a) L46-46 [] To buy two new lamps for the north pier;
        lamps-resolution/2(b) L47-47 [] To train four new keepers before the winter;
        lamps-resolution/2(c) L48-48 [] To report to the Assembly at its next session;
        lamps-resolution/3 L49-49 [] Invites the coastal towns to send their oil before the first storm."#]].assert_eq(&import_pdf_text(
        "lamps-resolution",
        "resolution",
        "SA/RES/99/7",
    ));
}

#[test]
fn import_errors_name_the_problem() {
    let tmp = tempfile::tempdir().unwrap();
    corpus_with_manifest(tmp.path());
    let stderr = wsis_err(
        tmp.path(),
        &[
            "import",
            &fixture("harbour-accord.html"),
            "--doc",
            "unknown-doc",
        ],
    );
    assert!(
        stderr.contains(
            "no manifest entry \"unknown-doc\"; entries: harbour-accord, harbour-resolution"
        ),
        "{stderr}"
    );
    let stderr = wsis_err(
        tmp.path(),
        &["import", "missing.html", "--doc", "harbour-accord"],
    );
    assert!(stderr.contains("missing.html"), "{stderr}");
    fs::write(tmp.path().join("latin1.txt"), b"Caf\xe9\n").unwrap();
    let stderr = wsis_err(
        tmp.path(),
        &["import", "latin1.txt", "--doc", "harbour-accord"],
    );
    assert!(stderr.contains("latin1.txt:1: not UTF-8"), "{stderr}");
    assert!(
        !tmp.path().join("corpus/harbour-accord.txt").exists(),
        "nothing half-written"
    );
}

/// A loopback HTTP server answering each path from `routes` (status, content type, body), for
/// as many requests as come; it stops with the test process.
fn serve_files(routes: Vec<(&'static str, u16, &'static str, Vec<u8>)>) -> std::net::SocketAddr {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, content_type, body) = routes
                .iter()
                .find(|r| r.0 == path)
                .map_or((404, "text/plain", b"no".to_vec()), |r| {
                    (r.1, r.2, r.3.clone())
                });
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    addr
}

fn manifest_with_urls(dir: &Path, url: &str) {
    corpus_with_manifest(dir);
    let path = dir.join("corpus/manifest.txt");
    let manifest = fs::read_to_string(&path).unwrap().replace(
        "kind: outcome-document\n",
        &format!("kind: outcome-document\nsource-url: {url}\n"),
    );
    fs::write(path, manifest).unwrap();
}

#[test]
fn fetch_downloads_and_imports_and_says_what_went_wrong() {
    let html = fs::read(fixture("harbour-accord.html")).unwrap();
    let addr = serve_files(vec![
        ("/accord.html", 200, "text/html; charset=utf-8", html),
        (
            "/fake.pdf",
            200,
            "application/pdf",
            b"%PDF-1.4 not really".to_vec(),
        ),
        ("/image.png", 200, "image/png", vec![1, 2, 3]),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    manifest_with_urls(tmp.path(), &format!("http://{addr}/accord.html"));
    let out = wsis_ok(tmp.path(), &["fetch", "harbour-accord"]);
    assert!(out.contains("corpus/harbour-accord.txt"), "{out}");
    let fetched = fs::read_to_string(tmp.path().join("corpus/harbour-accord.txt")).unwrap();
    assert!(fetched.contains("Sound the horn in fog & rain;"));
    assert!(
        fetched.contains("source-file: accord.html\n"),
        "the published file is named, not the download"
    );

    let cases = [
        (
            format!("http://{addr}/missing.html"),
            "the server answered 404",
        ),
        (
            format!("http://{addr}/image.png"),
            "the server sent image/png",
        ),
        (format!("http://{addr}/fake.pdf"), "pdftotext"),
        (
            "http://127.0.0.1:9/closed.html".to_string(),
            "cannot download",
        ),
    ];
    let hanging = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hanging_addr = hanging.local_addr().unwrap();
    std::thread::spawn(move || {
        let _held: Vec<_> = hanging.incoming().take(4).collect();
        std::thread::sleep(std::time::Duration::from_secs(60));
    });
    let tmp = tempfile::tempdir().unwrap();
    manifest_with_urls(tmp.path(), &format!("http://{hanging_addr}/slow.html"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wsis"))
        .args(["fetch", "harbour-accord"])
        .current_dir(tmp.path())
        .env("WSIS_FETCH_TIMEOUT", "2")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot download"),
        "a server that never answers times out"
    );
    for (url, message) in cases {
        let tmp = tempfile::tempdir().unwrap();
        manifest_with_urls(tmp.path(), &url);
        let stderr = wsis_err(tmp.path(), &["fetch", "harbour-accord"]);
        assert!(stderr.contains(message), "{url}: {stderr}");
        let left: Vec<String> = fs::read_dir(tmp.path().join("corpus"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            left.iter().all(|n| n == "manifest.txt" || n == "notes.txt"),
            "{url}: nothing half-written: {left:?}"
        );
    }
}

#[test]
#[ignore = "needs pdftotext (poppler-utils): run with `cargo test --test it -- --ignored`"]
fn a_fetched_pdf_gives_the_records_of_its_committed_text() {
    assert!(
        std::process::Command::new("pdftotext")
            .arg("-v")
            .output()
            .is_ok(),
        "pdftotext is missing: install it: apt-get install poppler-utils"
    );
    for (doc, kind, symbol) in [
        ("harbour-outcome", "outcome-document", "SA/RES/98/12"),
        ("lamps-resolution", "resolution", "SA/RES/99/7"),
    ] {
        let pdf = fs::read(fixture(&format!("{doc}.pdf"))).unwrap();
        let addr = serve_files(vec![("/doc.pdf", 200, "application/pdf", pdf)]);
        let tmp = tempfile::tempdir().unwrap();
        manifest_of_one(
            tmp.path(),
            doc,
            kind,
            symbol,
            &format!("http://{addr}/doc.pdf"),
        );
        wsis_ok(tmp.path(), &["fetch", doc]);
        assert_eq!(
            list_records(tmp.path(), doc),
            import_pdf_text(doc, kind, symbol),
            "{doc}: fetching the PDF gives what importing its committed text gives"
        );
    }
}
