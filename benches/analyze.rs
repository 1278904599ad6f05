//! Analysis throughput on real interpellation text: tantivy's default tokenizer against sokord's
//! analyzers with and without decompounding. Reads `../shared/corpora/riksdagen-interpellations/
//! health` (skipped with a message when absent). sokord's analyzers cache each word's terms per
//! thread for the life of the process, as an indexing thread does over a corpus; after the first
//! iteration the figures are the steady state; the first, cold pass is printed once.
//!
//! ```text
//! cargo bench --bench analyze
//! ```

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sokord_core::analyzers::{analyzer, SV, SV_QUERY, SV_SNOWBALL};
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};

/// About 1 MB of interpellation text, or `None` when the corpus is absent.
fn corpus_text() -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora/riksdagen-interpellations/health");
    let mut sessions: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    sessions.sort();
    let mut text = String::new();
    for s in sessions {
        let mut files: Vec<_> = std::fs::read_dir(s)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for f in files {
            text.push_str(&sokord_analysis::normalize(
                &std::fs::read_to_string(f).ok()?,
            ));
            text.push('\n');
            if text.len() > 1 << 20 {
                return Some(text);
            }
        }
    }
    Some(text)
}

/// Analyses the text paragraph by paragraph with one analyzer, as indexing does with the
/// passages it is given, and counts the tokens.
fn count_tokens(mut a: TextAnalyzer, text: &str) -> usize {
    let mut n = 0;
    for paragraph in text.split("\n\n") {
        let mut stream = a.token_stream(paragraph);
        while stream.advance() {
            n += 1;
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    let Some(text) = corpus_text() else {
        eprintln!("skipped: ../shared/corpora is absent; the analysis benchmark needs the interpellations");
        return;
    };
    let default = || {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .build()
    };
    // The counts say the analyzers did their work: decompounding adds tokens. The first full
    // pass runs with a cold cache: its figure is printed once, for the record.
    let plain = count_tokens(default(), &text);
    let cold = std::time::Instant::now();
    let parts = count_tokens(analyzer(SV).unwrap(), &text);
    let secs = cold.elapsed().as_secs_f64();
    eprintln!(
        "sv_full, first pass, cold cache: {:.1} MiB/s",
        text.len() as f64 / secs / (1 << 20) as f64
    );
    let no_parts = count_tokens(analyzer(SV_QUERY).unwrap(), &text);
    assert!(
        parts > no_parts && no_parts < plain,
        "{plain} {no_parts} {parts}"
    );

    let mut g = c.benchmark_group("analysis");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("tantivy_default", |b| {
        b.iter(|| count_tokens(default(), &text))
    });
    g.bench_function("sv_snowball", |b| {
        b.iter(|| count_tokens(analyzer(SV_SNOWBALL).unwrap(), &text))
    });
    g.bench_function("sv_without_decompounding", |b| {
        b.iter(|| count_tokens(analyzer(SV_QUERY).unwrap(), &text))
    });
    g.bench_function("sv_full", |b| {
        b.iter(|| count_tokens(analyzer(SV).unwrap(), &text))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
