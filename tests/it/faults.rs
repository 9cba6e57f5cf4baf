//! Faults: builds that break at named steps or are killed, two builds at once, a damaged
//! index at start-up, few file descriptors. The index in use must stay served and intact,
//! and the next build must succeed and leave nothing behind.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::util::{Server, json_lines, made_up_records, sample_corpus, wsis_err, wsis_ok};

/// Starts `wsis index --records FILE` in `dir`, quietly, without waiting for it.
fn spawn_build(dir: &Path, records: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_wsis"))
        .args(["index", "--records", records])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_build_that_fails_at_any_step_leaves_the_old_index_served_and_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path());
    wsis_ok(tmp.path(), &["index"]);
    let before = wsis_ok(tmp.path(), &["export"]);
    let listing = crate::util::dir_names(&tmp.path().join("index"));
    for step in ["after-segments", "before-rename", "before-swap"] {
        let out = Command::new(env!("CARGO_BIN_EXE_wsis"))
            .arg("index")
            .current_dir(tmp.path())
            .env("WSIS_FAILPOINT", step)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{step}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(&format!("failpoint {step}")),
            "{step}"
        );
        assert_eq!(
            wsis_ok(tmp.path(), &["export"]),
            before,
            "{step}: the old index is intact"
        );
        assert_eq!(
            crate::util::dir_names(&tmp.path().join("index")),
            listing,
            "{step}: no temp folder or half build left"
        );
    }
    wsis_ok(tmp.path(), &["index"]);
}

#[test]
fn builds_killed_at_random_points_never_disturb_the_server_and_the_next_build_succeeds() {
    let _exclusive = crate::util::exclusive();
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path());
    wsis_ok(tmp.path(), &["index"]);
    let big = made_up_records(tmp.path(), "big.jsonl", 20_000, 0);
    let server = Arc::new(Server::start(tmp.path(), &[]));
    let load = crate::util::Load::start(server.clone(), "/api/search?q=keepers");
    let mut seed = 11u64;
    for _ in 0..20 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        let delay = Duration::from_millis(50 + (seed >> 33) % 900);
        let mut child = spawn_build(tmp.path(), &big);
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
    }
    let (ok, failed) = load.stop();
    assert_eq!(
        failed, 0,
        "every request answered 200 while builds were killed"
    );
    assert!(ok > 10);
    wsis_ok(tmp.path(), &["index", "--records", &big]);
    let left = crate::util::dir_names(&tmp.path().join("index"));
    assert!(
        !left.iter().any(|n| n.starts_with(".tmp-")),
        "the next build cleared the killed runs' folders: {left:?}"
    );
    assert!(
        left.iter().filter(|n| n.starts_with("build-")).count() <= 2,
        "{left:?}"
    );
    assert_eq!(json_lines(&wsis_ok(tmp.path(), &["export"])).len(), 20_000);
}

#[test]
fn a_second_build_at_once_stops_naming_the_lock() {
    let _exclusive = crate::util::exclusive();
    let tmp = tempfile::tempdir().unwrap();
    let big = made_up_records(tmp.path(), "big.jsonl", 20_000, 0);
    let mut first = spawn_build(tmp.path(), &big);
    let lock = tmp.path().join("index/.lock");
    let started = Instant::now();
    loop {
        let held = fs::File::options()
            .write(true)
            .open(&lock)
            .ok()
            .is_some_and(|f| f.try_lock().is_err());
        if held {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the first build takes the lock"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let second_started = Instant::now();
    let stderr = wsis_err(tmp.path(), &["index", "--records", &big]);
    assert!(
        second_started.elapsed() < Duration::from_secs(2),
        "the second build stops at once"
    );
    assert!(
        stderr.contains("another `wsis index` is building this index"),
        "{stderr}"
    );
    assert!(first.wait().unwrap().success(), "the first build completes");
    assert_eq!(json_lines(&wsis_ok(tmp.path(), &["export"])).len(), 20_000);
}

#[test]
fn a_damaged_index_is_rebuilt_from_the_corpus_or_named() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path());
    wsis_ok(tmp.path(), &["index"]);
    let current = fs::read_to_string(tmp.path().join("index/CURRENT")).unwrap();
    let build = tmp.path().join("index").join(current.trim());
    let store = fs::read_dir(&build)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .unwrap();
    let mut bytes = fs::read(&store).unwrap();
    for b in bytes.iter_mut().take(64) {
        *b ^= 0xff;
    }
    fs::write(&store, &bytes).unwrap();
    let moved = tmp.path().join("elsewhere");
    fs::rename(tmp.path().join("corpus"), &moved).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wsis"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("wsis serve started on a damaged index");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(2));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(
        stderr.contains("is damaged") && stderr.contains("build it with `wsis index"),
        "{stderr}"
    );
    fs::rename(&moved, tmp.path().join("corpus")).unwrap();
    let server = Server::start(tmp.path(), &[]);
    assert_eq!(server.get("/api/search?q=keepers").status, 200);
    assert!(
        server
            .log
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("is damaged")),
        "the rebuild is logged"
    );
}

#[test]
fn a_closed_log_does_not_fail_requests() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path());
    wsis_ok(tmp.path(), &["index"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_wsis"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(tmp.path())
        .env("WSIS_LOG", "info")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let addr = {
        use std::io::BufRead;
        std::io::BufReader::new(child.stderr.take().unwrap())
            .lines()
            .map_while(Result::ok)
            .find_map(|l| crate::util::serving_addr(&l))
            .expect("wsis serve says where it listens")
    };
    for _ in 0..5 {
        assert_eq!(
            crate::util::http(addr, "GET", "/api/search?q=keepers", &[]).status,
            200,
            "the log's reader is gone; requests still succeed"
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_server_runs_with_few_file_descriptors() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path());
    wsis_ok(tmp.path(), &["index"]);
    let script = format!(
        "ulimit -n 64 && exec {} serve --addr 127.0.0.1:0",
        env!("CARGO_BIN_EXE_wsis")
    );
    let mut child = Command::new("sh")
        .args(["-c", &script])
        .current_dir(tmp.path())
        .env("WSIS_LOG", "info")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let addr = {
        use std::io::BufRead;
        let mut lines = std::io::BufReader::new(stderr).lines();
        let addr = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| crate::util::serving_addr(&l));
        std::thread::spawn(move || lines.for_each(drop));
        addr.expect("the server starts with 64 descriptors")
    };
    for _ in 0..20 {
        assert_eq!(
            crate::util::http(addr, "GET", "/api/search?q=keepers", &[]).status,
            200
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Every path under `dir` with its modification time, sorted.
fn snapshot(dir: &Path) -> Vec<(String, std::time::SystemTime)> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        let meta = fs::metadata(&at).unwrap();
        all.push((at.display().to_string(), meta.modified().unwrap()));
        if meta.is_dir() {
            stack.extend(fs::read_dir(&at).unwrap().map(|e| e.unwrap().path()));
        }
    }
    all.sort();
    all
}

/// Sets every file and folder under `dir` read-only (or writable again).
fn set_read_only(dir: &Path, read_only: bool) {
    use std::os::unix::fs::PermissionsExt;
    for (path, _) in snapshot(dir) {
        let meta = fs::metadata(&path).unwrap();
        let mode = match (meta.is_dir(), read_only) {
            (true, true) => 0o555,
            (false, true) => 0o444,
            (true, false) => 0o755,
            (false, false) => 0o644,
        };
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    }
}

#[test]
fn a_read_only_index_is_served_and_searched_without_a_write() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path());
    wsis_ok(tmp.path(), &["index"]);
    let index = tmp.path().join("index");
    // As an index copied onto read-only media: without tantivy's lock files, which a reader
    // that takes a lock has to create.
    for (path, _) in snapshot(&index) {
        if path.ends_with(".lock") && path.contains(".tantivy-") {
            fs::remove_file(&path).unwrap();
        }
    }
    set_read_only(&index, true);
    let before = snapshot(&index);
    // As root, permissions do not stop a write: the snapshot of names and times does.
    let out = wsis_ok(tmp.path(), &["search", "keepers"]);
    assert!(out.contains("keepers") || out.contains("Keepers"), "{out}");
    let server = Server::start(tmp.path(), &[]);
    assert_eq!(server.get("/api/search?q=keepers").status, 200);
    assert_eq!(server.get("/healthz").status, 200);
    let log = server.log.lock().unwrap().join("\n");
    assert!(!log.contains("damaged"), "{log}");
    drop(server);
    let after = snapshot(&index);
    set_read_only(&index, false);
    assert_eq!(before, after, "nothing in the index was written");
}

#[test]
fn a_build_of_many_segments_merges_into_one_without_racing_the_merge_policy() {
    let _exclusive = crate::util::exclusive();
    let tmp = tempfile::tempdir().unwrap();
    let records = made_up_records(tmp.path(), "many.jsonl", 3_000, 0);
    // A commit every 50 records: 60 segments, which a merge policy would merge in the
    // background while the build merges them all into one.
    let out = Command::new(env!("CARGO_BIN_EXE_wsis"))
        .args(["index", "--records", &records])
        .current_dir(tmp.path())
        .env("WSIS_FAILPOINT", "commit-often")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json_lines(&wsis_ok(tmp.path(), &["export"])).len(), 3_000);
    let current = fs::read_to_string(tmp.path().join("index/CURRENT")).unwrap();
    let build = tmp.path().join("index").join(current.trim());
    let meta: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(build.join("meta.json")).unwrap()).unwrap();
    assert_eq!(
        meta["segments"].as_array().unwrap().len(),
        1,
        "merged into one segment"
    );
}
