//! `wsis import` of files in the official layouts (synthetic fixtures whose text is made up),
//! and the quote check once an official text is in the corpus.

use std::fs;
use std::path::Path;

use serde_json::Value;

use expect_test::{Expect, expect};

use crate::util::{header, json_lines, repo, wsis, wsis_err, wsis_ok};

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

/// The fixture `name` of tests/fixtures, as a path string.
pub fn fixture(name: &str) -> String {
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
    assert_eq!(
        stderr.matches("os error 2").count(),
        1,
        "the cause once: {stderr}"
    );
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

/// A manifest of two made-up documents in the ITU layouts (the text of the fixtures is made
/// up too): a Geneva-style declaration and a Tunis-style commitment with an annex.
pub const ITU_MANIFEST: &str = "id: geneva-sample\ntitle: Declaration of Sample Principles\nshort: Sample Declaration\nsymbol: HA-03/SAMPLE/DOC/4-E\ndate: 2003-12-12\nkind: outcome-document\nvariant: none\nformat: html\n---\nid: tunis-sample\ntitle: Sample Commitment\nshort: Sample Commitment\nsymbol: HA-05/SAMPLE/DOC/7-E\ndate: 2005-11-18\nkind: outcome-document\nvariant: none\nformat: html\n";

/// A corpus with [`ITU_MANIFEST`] and one background page; returns the corpus directory.
pub fn itu_corpus(dir: &Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    fs::write(corpus.join("manifest.txt"), ITU_MANIFEST).unwrap();
    fs::write(
        corpus.join("notes.txt"),
        header("notes", "fact-sheet") + "Notes on the harbour.\n",
    )
    .unwrap();
    corpus
}

/// Imports the made-up ITU-style declaration as `geneva-sample`; returns stdout.
pub fn import_declaration(dir: &Path) -> String {
    wsis_ok(
        dir,
        &[
            "import",
            &fixture("itu-declaration-1252.html"),
            "--doc",
            "geneva-sample",
        ],
    )
}

/// Every record of document `doc` after indexing: `label [section] text @published lines`.
fn records_of(dir: &Path, doc: &str) -> String {
    wsis_ok(dir, &["index"]);
    json_lines(&wsis_ok(dir, &["export"]))
        .iter()
        .filter(|r| r["doc"] == doc && r["variant"] == "original")
        .map(|r| {
            let section: Vec<&str> = r["section"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect();
            format!(
                "{} [{}] {} @{}-{}",
                r["para"].as_str().unwrap(),
                section.join(" > "),
                r["text"].as_str().unwrap(),
                r["origin"]["line_start"],
                r["origin"]["line_end"]
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn itu_pages_import_to_exactly_their_paragraphs() {
    // Each fixture reproduces traits of the ITU pages, in made-up words: a windows-1252 page
    // declared only in <meta>, the site template around the document, "A." alone then its
    // heading, "1." alone then the paragraph, an <h2> after a paragraph, Word footnotes,
    // named entities, control characters; several hard-wrapped paragraphs to a cell, and an
    // annex table after the last paragraph.
    let cases: [(&str, &str, Expect); 2] = [
        (
            "itu-declaration-1252.html",
            "geneva-sample",
            expect![[r#"
                1 [A. Our shared view of the harbour] We, the keepers of the sample harbours, gathered in the old town for the first phase, declare our wish to keep every lamp lit. @23-25
                2 [A. Our shared view of the harbour] We note with pleasure that the ferries sail on time and that the town’s cafés stay open late. @26-27
                3 [A. Our shared view of the harbour > Lamps and lights] The keepers shall “tend the lamps” … as follows: a) clean the glass every morning; b) trim the wick at dusk. @30-33
                3(a) [A. Our shared view of the harbour > Lamps and lights] clean the glass every morning; @32-32
                3(b) [A. Our shared view of the harbour > Lamps and lights] trim the wick at dusk. @33-33
                4 [A. Our shared view of the harbour > Lamps and lights] “The sea is calm”, said the café owner – twice, and the bell rang at noon. @34-35
                fn1 [B. Keeping the piers safe] The timetable of the ferries is kept at the town hall. @41-41
                fn2 [B. Keeping the piers safe] A bell of bronze & brass is preferred. @42-42
                5 [B. Keeping the piers safe] Every pier shall have a rope and a bell. @38-39"#]],
        ),
        (
            "itu-commitment.html",
            "tunis-sample",
            expect![[r#"
                1 [SAMPLE COMMITMENT] We, the keepers of the sample harbours, have met a second time to renew our promise that every lamp shall be lit. @10-11
                2 [SAMPLE COMMITMENT] We recall the first phase, and we reaffirm the view set out there about lamps, ferries and piers. @12-13
                3 [SAMPLE COMMITMENT] We are convinced that the harbours can only thrive when their keepers share the work. @14-15
                p1 [SAMPLE COMMITMENT > Annex] Action line | Keepers in charge @19-19
                p2 [SAMPLE COMMITMENT > Annex] L1. Lighting the lamps | North keeper / South keeper @20-20
                p3 [SAMPLE COMMITMENT > Annex] L2. Ringing the bells | Harbour master @21-22"#]],
        ),
    ];
    for (file, doc, expected) in cases {
        let tmp = tempfile::tempdir().unwrap();
        itu_corpus(tmp.path());
        let out = wsis(tmp.path(), &["import", &fixture(file), "--doc", doc]);
        assert!(out.status.success(), "{file}: {out:?}");
        expected.assert_eq(&records_of(tmp.path(), doc));
        let written = fs::read_to_string(tmp.path().join(format!("corpus/{doc}.txt"))).unwrap();
        for template in ["Copyright", "Updated", "Home", "Sample Union", "Menu"] {
            assert!(!written.contains(template), "{file}: {template} is gone");
        }
    }
}

/// Fails, saying how to install it, where pdftotext does not run.
fn assert_pdftotext_runs() {
    assert!(
        std::process::Command::new("pdftotext")
            .arg("-v")
            .output()
            .is_ok(),
        "pdftotext is missing: install it: apt-get install poppler-utils"
    );
}

#[test]
#[ignore = "needs pdftotext (poppler-utils): run with `cargo test --test it -- --ignored`"]
fn a_fetched_pdf_gives_the_records_of_its_committed_text() {
    assert_pdftotext_runs();
    for (doc, kind, symbol) in [
        ("harbour-outcome", "outcome-document", "SA/RES/98/12"),
        ("lamps-resolution", "resolution", "SA/RES/99/7"),
    ] {
        let pdf = fs::read(fixture(&format!("{doc}.pdf"))).unwrap();
        let addr = crate::fetch::serve(vec![(
            "/doc.pdf",
            crate::fetch::answer(200, "application/pdf", pdf),
        )]);
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

#[test]
#[ignore = "needs pdftotext (poppler-utils): run with `cargo test --test it -- --ignored`"]
fn an_imported_pdf_gives_the_records_of_its_committed_text() {
    assert_pdftotext_runs();
    let (doc, kind, symbol) = ("harbour-outcome", "outcome-document", "SA/RES/98/12");
    let tmp = tempfile::tempdir().unwrap();
    manifest_of_one(tmp.path(), doc, kind, symbol, "");
    let pdf = fixture(&format!("{doc}.pdf"));
    wsis_ok(tmp.path(), &["import", &pdf, "--doc", doc]);
    let written = fs::read_to_string(tmp.path().join(format!("corpus/{doc}.txt"))).unwrap();
    let sha256 = format!(
        "{:x}",
        <sha2::Sha256 as sha2::Digest>::digest(fs::read(&pdf).unwrap())
    );
    assert!(
        written.contains(&format!("{doc}.pdf")) && written.contains(&sha256),
        "the document names the PDF and its SHA-256: {written}"
    );
    assert_eq!(
        list_records(tmp.path(), doc),
        import_pdf_text(doc, kind, symbol),
        "importing the PDF gives what importing its committed text gives"
    );
}

#[test]
fn a_pdf_is_never_read_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    manifest_of_one(
        tmp.path(),
        "harbour-outcome",
        "outcome-document",
        "SA/RES/98/12",
        "",
    );
    let no_tools = tmp.path().join("no-tools");
    fs::create_dir(&no_tools).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wsis"))
        .args([
            "import",
            &fixture("harbour-outcome.pdf"),
            "--doc",
            "harbour-outcome",
        ])
        .current_dir(tmp.path())
        .env("PATH", &no_tools)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("harbour-outcome.pdf is a PDF and pdftotext is not installed")
            && stderr.contains("apt-get install poppler-utils")
            && stderr.contains("the corpus is unchanged"),
        "{stderr}"
    );
    assert!(!tmp.path().join("corpus/harbour-outcome.txt").exists());
}

#[test]
fn control_characters_are_removed_with_a_warning_naming_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    itu_corpus(tmp.path());
    let file = fixture("itu-declaration-1252.html");
    let out = wsis(tmp.path(), &["import", &file, "--doc", "geneva-sample"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{file}:35: removed control characters U+0007, U+202E"
        )),
        "{stderr}"
    );
    let written = fs::read_to_string(tmp.path().join("corpus/geneva-sample.txt")).unwrap();
    assert!(!written.contains(['\u{7}', '\u{202e}']));
}

#[test]
fn dry_run_says_what_would_be_written_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = itu_corpus(tmp.path());
    let before = crate::fetch::checksums(&corpus);
    let file = fixture("itu-declaration-1252.html");
    let out = wsis_ok(
        tmp.path(),
        &["import", &file, "--doc", "geneva-sample", "--dry-run"],
    );
    expect![[r#"
        would write geneva-sample.txt: 45 body lines, 9 records
        encoding: windows-1252 (declared by the <meta> tag)
        paragraphs: 5 numbered; first label 1, last label 5
        numbering: no gaps or repeats
        headings: 3
          A. Our shared view of the harbour
          Lamps and lights
          B. Keeping the piers safe
        footnotes: 2
        dropped lines: 6
          line 10 (site template (before the document's symbol block)): Sample Summit of the Harbours
          line 12 (site template (before the document's symbol block)): Home
          line 13 (site template (before the document's symbol block)): Documents | Press
          line 43 (site menu (links only, after the document)): Top - Contact
          line 44 (site template): © Copyright Sample Union 2003 All Rights Reserved
          line 45 (site template): Updated : 2003-12-12
        warning: FILE:35: removed control characters U+0007, U+202E
    "#]]
    .assert_eq(&out.replace(&format!("warning: {file}"), "warning: FILE"));
    assert_eq!(crate::fetch::checksums(&corpus), before, "nothing written");
}

#[test]
fn a_gap_in_the_numbering_is_reported_by_the_dry_run() {
    let tmp = tempfile::tempdir().unwrap();
    itu_corpus(tmp.path());
    let page = "<p>Document HA-03/SAMPLE/DOC/4-E</p><p>1. Lamps are lit.</p>\n<p>2. Piers are open.</p>\n<p>4. Ferries run weekly.</p>\n";
    fs::write(tmp.path().join("gaps.html"), page).unwrap();
    let out = wsis_ok(
        tmp.path(),
        &["import", "gaps.html", "--doc", "geneva-sample", "--dry-run"],
    );
    assert!(
        out.contains("numbering: paragraph numbers of geneva-sample skip 3 before 4"),
        "{out}"
    );
}

#[test]
fn an_import_never_writes_through_a_link_and_the_corpus_refuses_links() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = itu_corpus(tmp.path());
    let outside = tmp.path().join("outside.txt");
    fs::write(&outside, "keep me\n").unwrap();
    std::os::unix::fs::symlink(&outside, corpus.join("geneva-sample.txt")).unwrap();
    let stderr = wsis_err(
        tmp.path(),
        &[
            "import",
            &fixture("itu-declaration-1252.html"),
            "--doc",
            "geneva-sample",
        ],
    );
    assert!(stderr.contains("is a symbolic link"), "{stderr}");
    assert_eq!(fs::read_to_string(&outside).unwrap(), "keep me\n");
    let stderr = wsis_err(tmp.path(), &["index"]);
    assert!(
        stderr.contains("geneva-sample.txt:1: is a symbolic link"),
        "{stderr}"
    );
}

#[test]
fn an_import_with_fewer_paragraphs_than_the_corpus_needs_force() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = itu_corpus(tmp.path());
    import_declaration(tmp.path());
    let before = crate::fetch::checksums(&corpus);
    let short =
        "<p>Document HA-03/SAMPLE/DOC/4-E</p><p>1. Lamps are lit.</p><p>2. Piers are open.</p>";
    fs::write(tmp.path().join("short.html"), short).unwrap();
    let args = ["import", "short.html", "--doc", "geneva-sample"];
    let stderr = wsis_err(tmp.path(), &args);
    assert!(
        stderr.contains(
            "geneva-sample: not imported: the new text has 2 paragraphs, the corpus has 5"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(crate::fetch::checksums(&corpus), before);
    let again = import_declaration(tmp.path());
    assert!(again.contains("is unchanged"), "{again}");
    wsis_ok(tmp.path(), &[&args[..], &["--force"]].concat());
    assert!(
        fs::read_to_string(corpus.join("geneva-sample.txt"))
            .unwrap()
            .contains("Piers are open.")
    );
}

#[test]
fn an_incomplete_import_is_not_called_full_text() {
    let tmp = tempfile::tempdir().unwrap();
    itu_corpus(tmp.path());
    let page = "<p>Document HA-03/SAMPLE/DOC/4-E</p>\n<p>1. Lamps are lit.</p>\n<p>2. Piers are open.</p>\n<p>5. Ferries run weekly.</p>\n";
    fs::write(tmp.path().join("gaps.html"), page).unwrap();
    let out = wsis(
        tmp.path(),
        &["import", "gaps.html", "--doc", "geneva-sample"],
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("warning: paragraph numbers of geneva-sample skip 3–4 before 5"),
        "{out:?}"
    );
    wsis_ok(tmp.path(), &["index"]);
    let cite: Value = serde_json::from_str(&wsis_ok(
        tmp.path(),
        &["cite", "Sample Declaration para 2", "--json"],
    ))
    .unwrap();
    assert_eq!(cite["doc"]["full_text"], false);
    assert_eq!(cite["doc"]["missing"], serde_json::json!([3, 4]));
    assert_eq!(
        cite["coverage"],
        "the corpus holds an incomplete text of Sample Declaration: paragraphs 3, 4 are missing; its numbering check fails (paragraph numbers of geneva-sample skip 3–4 before 5); import the official file again (`wsis fetch geneva-sample`)"
    );
    let server = crate::util::Server::start(tmp.path(), &[]);
    let (status, documents) = server.json("/api/documents");
    assert_eq!(status, 200);
    let entry = documents["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "geneva-sample")
        .unwrap()
        .clone();
    assert_eq!(entry["full_text"], false);
    assert_eq!(entry["missing"], serde_json::json!([3, 4]));
    let (_, page) = server.json("/api/documents/geneva-sample");
    assert!(
        page["coverage"]
            .as_str()
            .unwrap()
            .contains("paragraphs 3, 4 are missing"),
        "{page}"
    );
    let (_, complete) = server.json("/api/documents/tunis-sample");
    assert_eq!(complete["doc"]["full_text"], false, "not imported at all");
}

#[test]
fn quotes_that_differ_only_in_case_marks_and_item_markers_are_verbatim() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = itu_corpus(tmp.path());
    let notes = "Notes\n\nThe Sample Declaration asks keepers to ‘Trim the wick at dusk’ (para 3).\n\nThe Sample Declaration lists ‘a. clean the glass every morning; b. trim the wick’ (para 3).\n\nThe Sample Declaration says ‘the sea is calm, said the café owner - twice’ (para 4).\n\nThe Sample Declaration says ‘the sea is rough’ (para 4).\n";
    fs::write(
        corpus.join("notes.txt"),
        header("notes", "fact-sheet") + notes,
    )
    .unwrap();
    import_declaration(tmp.path());
    let summary = wsis_ok(tmp.path(), &["index"]);
    assert!(
        summary.contains("quotes checked       4: 3 verbatim, 1 with differences, 0 not found"),
        "{summary}"
    );
}
