//! sokord's query latency on the peer-comparison query set, measured in-process exactly as for
//! the other engines (see sokord_peers). Two ways:
//!
//! - `rank`: what the peers are timed doing, the ten best passages as references (document id,
//!   passage number, score) and the number of passages that match ([`Searcher::rank`]);
//! - `search`: what `sokord search` does, the ten best passages with their citations and
//!   snippets and the number that match ([`Searcher::search`]).
//!
//! The number of documents found is counted apart, untimed, by a ranking grouped by document
//! (`--group doc`).
//!
//! ```text
//! sokord-latency INDEX QUERIES rank|search
//! ```

use sokord_query::{Grouping, SearchRequest, Searcher};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, index, queries, mode] = args.as_slice() else {
        eprintln!("usage: sokord-latency INDEX QUERIES rank|search");
        std::process::exit(2);
    };
    let full = match mode.as_str() {
        "rank" => false,
        "search" => true,
        _ => {
            eprintln!("sokord-latency: the mode is `rank` or `search`, not `{mode}`");
            std::process::exit(2);
        }
    };
    let searcher = Searcher::open(std::path::Path::new(index))?;
    let queries = sokord_peers::read_queries(queries);
    let request = |q: &str, group: Grouping| {
        SearchRequest::parse(q)
            .expect("the query parses")
            .group(group)
            .facets(false)
            .fill_partial(false)
    };
    sokord_peers::time_queries(
        &queries,
        |q| {
            let r = request(q, Grouping::Passage);
            if full {
                searcher.search(&r).expect("search").total_hits
            } else {
                searcher.rank(&r).expect("rank").total_hits
            }
        },
        |q| {
            let r = request(q, Grouping::Doc);
            searcher.rank(&r).expect("rank").total_hits
        },
    );
    Ok(())
}
