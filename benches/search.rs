//! The cost of answering the search box in process, without HTTP: `wsis index --records`
//! builds the index, then every query of a file is answered (`op=or`, ten hits, snippets,
//! totals and facets, as `GET /api/search` answers) and serialised, round after round.
//! Prints the median time per query over the rounds, for profiling (`perf record`,
//! `valgrind --tool=callgrind`) and for comparing two builds in the same run; the HTTP
//! server's throughput is measured by `bench/compare.sh`.
//!
//! Usage: cargo bench --bench search -- INDEX_DIR QUERIES_FILE [ROUNDS]

use std::time::Instant;

use wsis_search::search::{SearchOptions, Searcher};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [index, queries, rest @ ..] = args.as_slice() else {
        anyhow::bail!("usage: search INDEX_DIR QUERIES_FILE [ROUNDS]");
    };
    let rounds: usize = rest.first().map_or(Ok(20), |r| r.parse())?;
    // As a server opens it: the records of a small build held in memory.
    let searcher = Searcher::open(std::path::Path::new(index))?.with_resident_records(true)?;
    let queries: Vec<String> = std::fs::read_to_string(queries)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(String::from)
        .collect();
    let mut per_query = Vec::with_capacity(rounds);
    let mut each = vec![Vec::with_capacity(rounds); queries.len()];
    let mut bytes = 0;
    for _ in 0..rounds {
        let started = Instant::now();
        for (query, times) in queries.iter().zip(&mut each) {
            let one = Instant::now();
            let options = SearchOptions {
                query: query.clone(),
                any: true,
                ..SearchOptions::default()
            };
            match wsis_search::lookup::answer(&searcher, &options) {
                Ok(answer) => bytes += serde_json::to_vec(&answer)?.len(),
                Err(e) => bytes += e.to_string().len(),
            }
            times.push(one.elapsed().as_secs_f64() * 1e6);
        }
        per_query.push(started.elapsed().as_secs_f64() * 1e6 / queries.len() as f64);
    }
    per_query.sort_by(f64::total_cmp);
    println!(
        "{} queries x {rounds} rounds: median {:.1} us per query (min {:.1}, max {:.1}); {} bytes",
        queries.len(),
        per_query[rounds / 2],
        per_query[0],
        per_query[rounds - 1],
        bytes / rounds
    );
    let mut slowest: Vec<(f64, &String)> = each
        .iter_mut()
        .zip(&queries)
        .map(|(times, query)| {
            times.sort_by(f64::total_cmp);
            (times[times.len() / 2], query)
        })
        .collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (us, query) in slowest.iter().take(5) {
        println!("  slowest: {us:.0} us  {query}");
    }
    Ok(())
}
