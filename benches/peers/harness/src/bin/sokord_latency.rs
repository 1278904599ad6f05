//! sokord's query latency on the peer-comparison query set, measured in-process exactly as for
//! the other engines (see sokord_peers): what `sokord search` does, the ten best passages with
//! their citations and snippets and the number of passages that match. The number of documents
//! found is counted apart, untimed, by a search grouped by document (`--group doc`).
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
    let request = |q: &str, group: Grouping| {
        let mut r = SearchRequest::parse(q).expect("the query parses");
        r.group = group;
        r.facets = false;
        r.fill_partial = false;
        r
    };
    sokord_peers::time_queries(
        &queries,
        |q| {
            let r = request(q, Grouping::Passage);
            searcher.search(&r).expect("search").total_hits
        },
        |q| {
            let r = request(q, Grouping::Doc);
            searcher.search(&r).expect("search").total_hits
        },
    );
    Ok(())
}
