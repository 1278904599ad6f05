//! Builds a query in code instead of parsing a string, then reads facet counts and
//! keyword-in-context lines: what a program embedding sokord would do to compare actors.
//!
//! ```text
//! cargo run --example programmatic
//! ```

use std::path::Path;

use sokord_index::{build_index, IndexOptions};
use sokord_query::{FieldName, Query, SearchRequest, Searcher};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let dir = tempfile::tempdir()?;
    build_index(&corpus, dir.path(), &IndexOptions::default(), &mut |_| {})?;
    let searcher = Searcher::open(dir.path())?;

    // läkemedel AND ("life science" OR innovation) AND type:remissvar — built, not parsed.
    let query = Query::And(vec![
        Query::word("läkemedel"),
        Query::Or(vec![
            Query::phrase("life science", 0),
            Query::word("innovation"),
        ]),
        Query::field(FieldName::Type, "remissvar"),
    ]);
    println!("query: {query}");
    let results = searcher.search(&SearchRequest::new(query.clone()))?;
    println!("{} passages", results.total_hits);
    for f in &results.facets.chapter {
        println!("  {:>3}  {}", f.count, f.value);
    }

    // The same query as keyword-in-context lines, 30 characters each side.
    let request = SearchRequest::new(query).limit(5);
    for line in searcher.kwic(&request, 30)?.lines {
        println!("{:>32}[{}]{}", line.left, line.keyword, line.right);
    }
    Ok(())
}
