//! Indexing throughput on real text: the 781 health interpellations in
//! `../shared/corpora/riksdagen-interpellations/health` (skipped with a message when absent),
//! indexed from scratch into a new index each iteration, with sokord's full Swedish analysis and
//! with Snowball stemming alone. Reported as documents per second and as megabytes of source text
//! per second.
//!
//! ```text
//! cargo bench --bench index
//! ```

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sokord_core::analyzers::Profile;
use sokord_index::{build_index, IndexOptions};

fn corpus() -> Option<(PathBuf, u64, u64)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora/riksdagen-interpellations/health");
    if !dir.is_dir() {
        eprintln!(
            "skipped: {} is absent; the indexing benchmark needs it",
            dir.display()
        );
        return None;
    }
    let (mut files, mut bytes) = (0, 0);
    for session in std::fs::read_dir(&dir).ok()?.flatten() {
        for f in std::fs::read_dir(session.path()).ok()?.flatten() {
            files += 1;
            bytes += f.metadata().ok()?.len();
        }
    }
    Some((dir, files, bytes))
}

fn bench(c: &mut Criterion) {
    let Some((dir, files, bytes)) = corpus() else {
        return;
    };
    for (unit, throughput) in [
        ("documents", Throughput::Elements(files)),
        ("bytes", Throughput::Bytes(bytes)),
    ] {
        let mut g = c.benchmark_group(format!("index/{unit}"));
        g.sample_size(10).throughput(throughput);
        for (name, profile) in [("full", Profile::Full), ("snowball", Profile::Snowball)] {
            g.bench_function(BenchmarkId::new(name, "health"), |b| {
                b.iter(|| {
                    let out = tempfile::tempdir().unwrap();
                    let options = IndexOptions::default().analysis(profile);
                    let s = build_index(&dir, out.path(), &options, &mut |_| {}).unwrap();
                    assert_eq!(s.documents as u64, files);
                })
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
