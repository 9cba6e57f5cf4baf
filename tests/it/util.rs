//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `wsis` with `args` in `dir`.
pub fn wsis(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wsis"))
        .args(args)
        .current_dir(dir)
        .env("WSIS_LOG", "warn")
        .output()
        .expect("the wsis binary runs")
}

/// Runs `wsis` and asserts it succeeded; returns stdout.
#[track_caller]
pub fn wsis_ok(dir: &Path, args: &[&str]) -> String {
    let out = wsis(dir, args);
    assert!(
        out.status.success(),
        "wsis {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// Runs `wsis` and asserts it failed with exit code 2; returns stderr.
#[track_caller]
pub fn wsis_err(dir: &Path, args: &[&str]) -> String {
    let out = wsis(dir, args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "wsis {args:?} should fail with 2; stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Parses JSON lines.
pub fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// A header for a synthetic corpus document.
pub fn header(id: &str, kind: &str) -> String {
    format!("id: {id}\ntitle: The {id} sample\nshort: {id}\nkind: {kind}\nvariant: digital\n---\n")
}

/// Writes a small synthetic corpus (made-up text) into `dir/corpus` and returns its path.
pub fn sample_corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let body = "Harbour notes\n\nThe Harbour Accord asked ports to ‘keep the lamps lit at night’ (para 12).\n\nKeepers use ICTs and e-mail; the information society grows.\n";
    std::fs::write(
        corpus.join("harbour-notes.txt"),
        header("harbour-notes", "fact-sheet") + body,
    )
    .unwrap();
    let manifest = "id: harbour-accord\ntitle: Harbour Accord of the Sample Coast\nshort: Harbour Accord\naliases: HA\nkind: outcome-document\nvariant: digital\n";
    std::fs::write(corpus.join("manifest.txt"), manifest).unwrap();
    std::fs::write(corpus.join("protected-names.txt"), "e-mail\n").unwrap();
    corpus
}

/// Builds the shipped corpus's index once per test binary run, in a temporary directory
/// kept for the run, and returns the directory to pass as `--index`.
pub fn shipped_index() -> &'static Path {
    static INDEX: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, path) = INDEX.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let index = tmp.path().join("index");
        let corpus = repo().join("corpus");
        wsis_ok(
            tmp.path(),
            &[
                "index",
                "--corpus",
                corpus.to_str().unwrap(),
                "--index",
                index.to_str().unwrap(),
            ],
        );
        (tmp, index)
    });
    path
}

/// Runs `wsis search QUERY --json` with extra `args` on the shipped index.
#[track_caller]
pub fn search_json(query: &str, args: &[&str]) -> Value {
    let index = shipped_index().to_str().unwrap();
    let mut all = vec!["search", query, "--json", "--index", index];
    all.extend_from_slice(args);
    let out = wsis(&repo(), &all);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "wsis {all:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("search --json prints JSON")
}

/// The ids of a page's hits.
pub fn hit_ids(page: &Value) -> Vec<String> {
    page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}
