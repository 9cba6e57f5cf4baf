//! Load: a soak run. 32 keep-alive clients query the server while the index is rebuilt
//! between two made-up corpora; then SIGTERM arrives under the same load. The run lasts
//! `WSIS_SOAK_SECS` seconds (60 in the suite; `bench/soak.sh` runs it for 10 minutes).

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::{Client, Failure, Server, made_up_records, wsis_ok};

/// Clients at once.
const CONNECTIONS: usize = 32;

/// The records that say "lighthouse" in the second corpus (none in the first).
const MARKED: usize = 37;

/// Queries the clients cycle through; the first one's total tells the corpora apart.
const QUERIES: [&str; 6] = [
    "/api/search?q=lighthouse",
    "/api/search?q=harbour+keeper",
    "/api/search?q=%22lamp+keeper%22",
    "/api/search?q=tide+rope&op=or",
    "/api/search?q=anchor+-night&limit=20",
    "/api/cite?ref=d3+para+7",
];

/// What a process holds: resident memory, open files (sockets aside), and mapped files that
/// were deleted.
#[derive(Debug, Clone, Copy)]
struct Holdings {
    rss_kib: u64,
    files: usize,
    deleted_maps: usize,
}

fn holdings(pid: u32) -> Holdings {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let rss_kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS in /proc/PID/status");
    let files = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|target| !target.to_string_lossy().starts_with("socket:"))
        .count();
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap();
    let mut deleted: Vec<&str> = maps
        .lines()
        .filter(|l| l.ends_with("(deleted)"))
        .filter_map(|l| l.split_whitespace().nth(5))
        .collect();
    deleted.dedup();
    Holdings {
        rss_kib,
        files,
        deleted_maps: deleted.len(),
    }
}

/// What one client saw.
#[derive(Default)]
struct Seen {
    answers: usize,
    /// Answers that were not a 200 naming one build in header and body, requests that got no
    /// answer in time, and requests that failed before SIGTERM.
    errors: Vec<String>,
    /// Responses cut off in the middle, at any time.
    broken: usize,
    /// (build, total) of each "lighthouse" answer.
    totals: Vec<(String, u64)>,
}

fn client_loop(addr: std::net::SocketAddr, stop: &AtomicBool, terminating: &AtomicBool) -> Seen {
    let mut client = Client::new(addr);
    let mut seen = Seen::default();
    for (i, path) in QUERIES.iter().cycle().enumerate() {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        match client.get(path) {
            Ok(r) => {
                match r.answer_of_one_build() {
                    None => seen.errors.push(format!(
                        "{path}: {} {}",
                        r.status,
                        String::from_utf8_lossy(&r.body)
                    )),
                    Some((body, build)) if i % QUERIES.len() == 0 => seen
                        .totals
                        .push((build, body["total"].as_u64().unwrap_or(u64::MAX))),
                    Some(_) => {}
                }
                seen.answers += 1;
            }
            Err(Failure::Broken) => seen.broken += 1,
            Err(Failure::TimedOut) => seen.errors.push(format!("{path}: no answer in 30 s")),
            Err(e) if !terminating.load(Ordering::Relaxed) => {
                seen.errors.push(format!("{path}: {e:?}"))
            }
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    seen
}

fn current_build(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("index/CURRENT"))
        .unwrap()
        .trim()
        .trim_start_matches("build-")
        .to_string()
}

/// Waits until the server answers from `build`; returns how long that took.
fn wait_until_served(server: &Server, build: &str) -> Duration {
    let started = Instant::now();
    while server.get("/healthz").header("x-wsis-index") != Some(build) {
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "build {build} served within 2 s of its build finishing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    started.elapsed()
}

#[test]
fn a_soak_with_rebuilds_and_a_sigterm_under_load_loses_nothing() {
    let _exclusive = crate::util::exclusive();
    let secs: u64 = std::env::var("WSIS_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let rebuild_every = Duration::from_secs((secs / 4).clamp(1, 120));
    let tmp = tempfile::tempdir().unwrap();
    let corpora = [
        made_up_records(tmp.path(), "plain.jsonl", 10_000, 0),
        made_up_records(tmp.path(), "marked.jsonl", 10_000, MARKED),
    ];
    wsis_ok(tmp.path(), &["index", "--records", &corpora[0]]);
    let expected: Arc<Mutex<HashMap<String, u64>>> = Arc::default();
    expected
        .lock()
        .unwrap()
        .insert(current_build(tmp.path()), 0);
    let mut server = Server::start(tmp.path(), &[]);
    let pid = server.child.id();
    let (stop, terminating) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (addr, stop, terminating) = (server.addr, stop.clone(), terminating.clone());
            std::thread::spawn(move || client_loop(addr, &stop, &terminating))
        })
        .collect();

    let started = Instant::now();
    let mut warm = None;
    let mut rebuilds = 0;
    while rebuild_every * (rebuilds + 1) < Duration::from_secs(secs) {
        std::thread::sleep((rebuild_every * (rebuilds + 1)).saturating_sub(started.elapsed()));
        rebuilds += 1;
        let marked = (rebuilds % 2) as usize;
        wsis_ok(tmp.path(), &["index", "--records", &corpora[marked]]);
        let build = current_build(tmp.path());
        let total = if marked == 1 { MARKED as u64 } else { 0 };
        expected.lock().unwrap().insert(build.clone(), total);
        let took = wait_until_served(&server, &build);
        eprintln!(
            "rebuild {rebuilds} at {:?}: served after {} ms; {:?}",
            started.elapsed(),
            took.as_millis(),
            holdings(pid)
        );
        if warm.is_none() {
            // The baseline: warmed up and past a first swap, when two builds were open at once.
            std::thread::sleep(Duration::from_secs(2));
            warm = Some(holdings(pid));
        }
    }
    let warm = warm.expect("the run is long enough for a rebuild");
    std::thread::sleep(Duration::from_secs(secs).saturating_sub(started.elapsed()));
    let end = holdings(pid);

    terminating.store(true, Ordering::Relaxed);
    std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill runs");
    let signalled = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(10),
            "exits within 10 s of SIGTERM under load"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    stop.store(true, Ordering::Relaxed);
    let seen: Vec<Seen> = clients.into_iter().map(|c| c.join().unwrap()).collect();

    let answers: usize = seen.iter().map(|s| s.answers).sum();
    let errors: Vec<&String> = seen.iter().flat_map(|s| &s.errors).collect();
    let broken: usize = seen.iter().map(|s| s.broken).sum();
    eprintln!(
        "{secs} s, {CONNECTIONS} connections, {rebuilds} rebuilds: {answers} answers, {} errors, \
         {broken} cut off; warm {warm:?}, end {end:?}; exit {status:?} {} ms after SIGTERM",
        errors.len(),
        signalled.elapsed().as_millis()
    );
    assert!(
        errors.is_empty(),
        "first errors: {:?}",
        &errors[..errors.len().min(5)]
    );
    assert_eq!(broken, 0, "no response cut off, SIGTERM included");
    assert!(answers > 1000, "the load ran: {answers} answers");
    let expected = expected.lock().unwrap();
    for (build, total) in seen.iter().flat_map(|s| &s.totals) {
        assert_eq!(
            Some(total),
            expected.get(build),
            "an answer of build {build} has its own corpus's total, never a mix"
        );
    }
    assert!(status.success(), "exit status {status:?}");
    assert!(
        end.rss_kib * 10 < warm.rss_kib * 11,
        "memory after warm-up grows less than 10 %: {warm:?} → {end:?}"
    );
    assert!(
        end.files <= warm.files,
        "open files back to the baseline: {warm:?} → {end:?}"
    );
    assert!(
        end.deleted_maps <= warm.deleted_maps,
        "no deleted build stays mapped: {warm:?} → {end:?}"
    );
    let left = crate::util::dir_names(&tmp.path().join("index"));
    assert!(
        !left.iter().any(|n| n.starts_with(".tmp-")),
        "no temp folder left: {left:?}"
    );
}
