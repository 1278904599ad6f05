//! Indexes the bundled corpus into a temporary folder, then searches it the way a program
//! embedding sokord would: a query with filters, hits with citations, and one document read back.
//!
//! ```text
//! cargo run --example search -- "kliniska prövningar"
//! ```

use std::path::Path;

use sokord_index::{build_index, IndexOptions};
use sokord_query::{Filters, Grouping, SearchRequest, Searcher};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let query = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "kliniska prövningar".to_string());
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let dir = tempfile::tempdir()?;

    // 1. Index: the summary says what was read and what was skipped.
    let summary = build_index(&corpus, dir.path(), &IndexOptions::default(), &mut |_| {})?;
    println!(
        "indexed {} documents, {} passages",
        summary.documents, summary.passages
    );

    // 2. Search, one hit per document, remissvar only.
    let searcher = Searcher::open(dir.path())?;
    let request = SearchRequest::parse(&query)?
        .group(Grouping::Doc)
        .filters(Filters::default().doc_type("remissvar"));
    let results = searcher.search(&request)?;
    println!("{} documents match {:?}", results.total_hits, results.query);
    for hit in &results.hits {
        let cite = &hit.citation;
        let chapter = cite
            .chapter
            .as_ref()
            .map_or("(no chapter)".to_string(), |c| c.title.clone());
        println!(
            "- {} | {} | {} | {chapter} | {} passages\n  {}",
            cite.title,
            cite.actor.as_deref().unwrap_or("?"),
            cite.date.as_deref().unwrap_or("?"),
            hit.matched_passages.unwrap_or(1),
            hit.snippet
        );
        // Highlights are byte ranges into the snippet.
        let words: Vec<&str> = hit
            .highlights
            .iter()
            .map(|[a, b]| &hit.snippet[*a..*b])
            .collect();
        println!("  matched: {words:?}");
    }

    // 3. Read the best document's chapter back.
    if let Some(hit) = results.hits.first() {
        let number = hit.citation.chapter.as_ref().and_then(|c| c.number.clone());
        let doc = searcher.document(&hit.citation.doc_id, number.as_deref())?;
        println!(
            "{} passages in that chapter of {}",
            doc.passages.len(),
            doc.title
        );
    }
    Ok(())
}
