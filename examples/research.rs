//! A research script: who says how much about a subject within a period, with typed filters and
//! dates, the counts checked against the hits and exported as JSON for further analysis.
//!
//! ```text
//! cargo run --example research -- läkemedel
//! ```

use std::path::Path;

use sokord_index::{build_index, IndexOptions};
use sokord_query::{Day, Filters, GroupKey, Grouping, SearchRequest, Searcher};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let word = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "läkemedel".to_string());
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let dir = tempfile::tempdir()?;
    build_index(&corpus, dir.path(), &IndexOptions::default(), &mut |_| {})?;
    let searcher = Searcher::open(dir.path())?;

    // The period as typed days: a filter takes a `Day` as well as text.
    let (since, until) = (Day::parse("2020-01-01")?, Day::from_ymd(2026, 12, 31)?);
    let request = SearchRequest::parse(&word)?.filters(Filters::default().from(since).to(until));

    // Counts by actor: documents, passages, and the rate per 10,000 words of each actor's text.
    let stats = searcher.stats(&request, GroupKey::Actor)?;
    println!("{:>5} {:>8}  {:>8}  actor", "docs", "passages", "per 10k");
    for g in &stats.groups {
        println!(
            "{:>5} {:>8}  {:>8.2}  {}",
            g.documents, g.passages, g.per_10k_words, g.key
        );
    }

    // Each document's hit carries its date: parsed back into a `Day`, it lies in the period.
    let documents = searcher.search(&request.clone().group(Grouping::Doc).limit(1000))?;
    assert_eq!(documents.hits.len(), stats.total_documents);
    for hit in &documents.hits {
        if let Some(date) = hit.citation.date.as_deref() {
            let day = Day::parse(date)?;
            assert!(since <= day && day <= until, "{date}");
        }
    }

    // Everything is plain data: export it for R, pandas or a spreadsheet.
    let out = dir.path().join("stats.json");
    std::fs::write(&out, serde_json::to_vec_pretty(&stats)?)?;
    println!(
        "{} documents, {} passages; written to {}",
        stats.total_documents,
        stats.total_passages,
        out.display()
    );
    Ok(())
}
