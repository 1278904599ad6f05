//! What the peer-comparison programs share: the query set, and timing queries the same way for
//! every engine.
//!
//! Latency is measured in-process: each query runs [`WARMUP`] times unmeasured, then [`RUNS`]
//! times measured, each run timed alone with [`std::time::Instant`]. The median and the 95th
//! percentile are taken over all measured runs of all queries.

use std::time::Instant;

/// Unmeasured runs of each query before measuring (caches warm, pages mapped).
pub const WARMUP: usize = 3;
/// Measured runs of each query.
pub const RUNS: usize = 30;

/// Reads the query set: one query per line; `#` lines and blank lines are ignored.
pub fn read_queries(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Times `run` for every query; `docs` says how many documents the query finds (called once,
/// untimed). Prints one JSON line per query (`query`, `docs`, `median_ms`) and a last one with
/// the overall median and 95th percentile.
pub fn time_queries(
    queries: &[String],
    mut run: impl FnMut(&str) -> usize,
    mut docs: impl FnMut(&str) -> usize,
) {
    let mut all = Vec::new();
    for q in queries {
        let docs = docs(q);
        for _ in 0..WARMUP {
            std::hint::black_box(run(q));
        }
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let t = Instant::now();
            std::hint::black_box(run(q));
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{}",
            serde_json::json!({"query": q, "docs": docs, "median_ms": times[RUNS / 2]})
        );
        all.extend(times);
    }
    all.sort_by(f64::total_cmp);
    let at = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    println!(
        "{}",
        serde_json::json!({"overall": true, "median_ms": at(0.5), "p95_ms": at(0.95)})
    );
}
