//! Query latency on the full interpellation set (15,666 documents): term, phrase, filtered,
//! faceted and grouped queries, the ranking alone, and the comparison views (stats, compare,
//! keywords, topics), in-process. The setup unpacks
//! `../shared/corpora/riksdagen-interpellations/all.tar.gz` and indexes it once into Cargo's
//! target folder (kept for later runs); without the archive the benchmark is skipped with a
//! message.
//!
//! ```text
//! cargo bench --bench query
//! ```

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use sokord_index::{build_index, IndexOptions, SCHEMA_VERSION};
use sokord_query::{Filters, GroupKey, Grouping, SearchRequest, Searcher};

/// The full set's index, built on first use; `None` when the archive is absent.
fn full_index() -> Option<PathBuf> {
    let archive = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora/riksdagen-interpellations/all.tar.gz");
    if !archive.is_file() {
        eprintln!(
            "skipped: {} is absent; the query benchmark needs it",
            archive.display()
        );
        return None;
    }
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-all");
    let corpus = work.join("ipq-all");
    if !corpus.is_dir() {
        std::fs::create_dir_all(&work).unwrap();
        let status = std::process::Command::new("tar")
            .arg("-xzf")
            .arg(&archive)
            .arg("-C")
            .arg(&work)
            .status()
            .expect("tar runs");
        assert!(status.success(), "unpacking {}", archive.display());
    }
    let index = work.join(format!("index-v{SCHEMA_VERSION}"));
    if sokord_query::Searcher::open(&index).is_err() {
        let _ = std::fs::remove_dir_all(&index);
        let started = std::time::Instant::now();
        let s = build_index(&corpus, &index, &IndexOptions::default(), &mut |_| {})
            .expect("indexing the full set");
        eprintln!(
            "indexed {} documents ({} passages) in {:.1} s",
            s.documents,
            s.passages,
            started.elapsed().as_secs_f64()
        );
        assert!(s.documents > 15_000, "{} documents", s.documents);
    }
    Some(index)
}

fn bench(c: &mut Criterion) {
    let Some(index) = full_index() else { return };
    let searcher = Searcher::open(&index).unwrap();
    let request = |q: &str| SearchRequest::parse(q).unwrap().facets(false);
    let term = request("läkemedel");
    let phrase = request("\"kliniska prövningar\"");
    let filtered = request("vård").filters(Filters::default().party("S").from("2010"));
    let faceted = SearchRequest::parse("läkemedel").unwrap();
    let grouped = request("läkemedel").group(Grouping::Doc);
    // Several words matched document by document (their passages together hold every word).
    let grouped_words = request("demens anhöriga stöd").group(Grouping::Doc);
    // The counts say each query did its work.
    for (name, r) in [
        ("term", &term),
        ("phrase", &phrase),
        ("filtered", &filtered),
        ("grouped", &grouped),
        ("grouped_words", &grouped_words),
    ] {
        let n = searcher.search(r).unwrap().total_hits;
        assert!(n > 0, "{name} finds nothing");
    }
    assert!(!searcher.search(&faceted).unwrap().facets.party.is_empty());

    let mut g = c.benchmark_group("query");
    for (name, r) in [
        ("term", &term),
        ("phrase", &phrase),
        ("filtered", &filtered),
        ("faceted", &faceted),
        ("grouped", &grouped),
        ("grouped_words", &grouped_words),
    ] {
        g.bench_function(name, |b| b.iter(|| searcher.search(r).unwrap().total_hits));
    }
    // The ranking alone (`Searcher::rank`: references, no stored passages, no snippets), as the
    // peer comparison times it.
    for (name, r) in [("rank_term", &term), ("rank_grouped", &grouped)] {
        assert_eq!(
            searcher.rank(r).unwrap().total_hits,
            searcher.search(r).unwrap().total_hits
        );
        g.bench_function(name, |b| b.iter(|| searcher.rank(r).unwrap().total_hits));
    }
    g.finish();

    // The comparison views, each a whole command's work over the full set.
    let mut v = c.benchmark_group("views");
    v.sample_size(10);
    let medicines = SearchRequest::parse("läkemedel").unwrap();
    let party_s = SearchRequest::parse("")
        .unwrap()
        .filters(Filters::default().party("S"));
    let everything = SearchRequest::parse("").unwrap();
    v.bench_function("stats_by_year", |b| {
        b.iter(|| {
            searcher
                .stats(&medicines, GroupKey::Year)
                .unwrap()
                .total_passages
        })
    });
    v.bench_function("compare_by_party", |b| {
        b.iter(|| {
            searcher
                .compare(&medicines, GroupKey::Party, 3)
                .unwrap()
                .groups
                .len()
        })
    });
    v.bench_function("keywords_party_s", |b| {
        b.iter(|| {
            searcher
                .keywords(&party_s, None, 20, 5)
                .unwrap()
                .keywords
                .len()
        })
    });
    v.bench_function("topics", |b| {
        b.iter(|| searcher.topics(&everything, None, 5).unwrap().topics.len())
    });
    v.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
