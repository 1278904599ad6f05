//! sokord's query latency on the peer-comparison query set, measured in-process exactly as for
//! the other engines (see sokord_peers): a search for the ten best documents with their
//! citations and snippets, as `sokord search --group doc` returns them, and the number of
//! documents found.
//!
//! ```text
//! sokord-latency INDEX QUERIES
//! ```

use sokord_query::{Grouping, SearchRequest, Searcher};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, index, queries] = args.as_slice() else {
        eprintln!("usage: sokord-latency INDEX QUERIES");
        std::process::exit(2);
    };
    let searcher = Searcher::open(std::path::Path::new(index))?;
    let queries = sokord_peers::read_queries(queries);
    sokord_peers::time_queries(&queries, |q| {
        let mut r = SearchRequest::parse(q).expect("the query parses");
        r.group = Grouping::Doc;
        r.facets = false;
        r.fill_partial = false;
        searcher.search(&r).expect("search").total_hits
    });
    Ok(())
}
