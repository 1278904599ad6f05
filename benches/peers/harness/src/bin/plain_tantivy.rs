//! Plain tantivy, as a user would set it up for Swedish without sokord: one document per file,
//! the text (front matter removed) analysed by tantivy's simple tokenizer, lower-casing and the
//! Snowball Swedish stemmer; queries through tantivy's query parser, all words required.
//!
//! ```text
//! plain-tantivy index DIR INDEX [--store]
//!                                      index every .md/.txt file under DIR; with --store, the
//!                                      text is stored too (tantivy's default lz4), as it must be
//!                                      to show a passage of a hit without the files
//! plain-tantivy space INDEX            how the index's bytes divide among fields and parts
//! plain-tantivy latency INDEX QUERIES  time the query set in-process (see sokord_peers)
//! plain-tantivy search INDEX QUERY     one search: the number of documents and the top 10 ids
//! ```

use std::path::Path;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{
    IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::{doc, Index, IndexReader, TantivyDocument};

const ANALYZER: &str = "sv_stem";

fn register(index: &Index) {
    index.tokenizers().register(
        ANALYZER,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::Swedish))
            .build(),
    );
}

fn body_of(text: &str) -> &str {
    if let Some(rest) = text.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---\n") {
            return &rest[end + 5..];
        }
    }
    text
}

fn index(dir: &Path, out: &Path, store: bool) -> tantivy::Result<()> {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let body = b.add_text_field("body", if store { options | STORED } else { options });
    std::fs::create_dir_all(out)?;
    let index = Index::create_in_dir(out, b.build())?;
    register(&index);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut writer = index.writer_with_num_threads(threads, 256 << 20)?;
    let mut n = 0;
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.map_err(|e| tantivy::TantivyError::SystemError(e.to_string()))?;
        let p = e.path();
        if !e.file_type().is_file()
            || !matches!(p.extension().and_then(|x| x.to_str()), Some("md" | "txt"))
        {
            continue;
        }
        let text = std::fs::read_to_string(p)?;
        let name = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        writer.add_document(doc!(id => name, body => body_of(&text)))?;
        n += 1;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    eprintln!("indexed {n} documents");
    Ok(())
}

fn open(path: &Path) -> tantivy::Result<(Index, IndexReader, QueryParser)> {
    let index = Index::open_in_dir(path)?;
    register(&index);
    let body = index.schema().get_field("body")?;
    let mut parser = QueryParser::for_index(&index, vec![body]);
    parser.set_conjunction_by_default();
    let reader = index.reader()?;
    Ok((index, reader, parser))
}

fn main() -> tantivy::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("index") if args.len() == 4 || args.len() == 5 && args[4] == "--store" => {
            index(Path::new(&args[2]), Path::new(&args[3]), args.len() == 5)
        }
        Some("latency") if args.len() == 4 => {
            let (_index, reader, parser) = open(Path::new(&args[2]))?;
            let searcher = reader.searcher();
            let queries = sokord_peers::read_queries(&args[3]);
            let run = |q: &str| {
                let query = parser.parse_query(q).expect("the query parses");
                let (top, count) = searcher
                    .search(&query, &(TopDocs::with_limit(10).order_by_score(), Count))
                    .expect("search");
                std::hint::black_box(top);
                count
            };
            sokord_peers::time_queries(&queries, run, run);
            Ok(())
        }
        Some("space") if args.len() == 3 => {
            let index = Index::open_in_dir(Path::new(&args[2]))?;
            let usage = index.reader()?.searcher().space_usage()?;
            println!(
                "{}",
                serde_json::to_string_pretty(&usage).expect("serialises")
            );
            Ok(())
        }
        Some("search") if args.len() == 4 => {
            let (index, reader, parser) = open(Path::new(&args[2]))?;
            let id = index.schema().get_field("id")?;
            let searcher = reader.searcher();
            let query = parser.parse_query(&args[3]).expect("the query parses");
            let (top, count) =
                searcher.search(&query, &(TopDocs::with_limit(10).order_by_score(), Count))?;
            println!("{count} documents");
            for (_, addr) in top {
                let d: TantivyDocument = searcher.doc(addr)?;
                println!(
                    "{}",
                    d.get_first(id).and_then(|v| v.as_str()).unwrap_or("?")
                );
            }
            Ok(())
        }
        _ => {
            eprintln!(
                "usage: plain-tantivy index DIR INDEX [--store] | latency INDEX QUERIES | \
                 search INDEX QUERY | space INDEX"
            );
            std::process::exit(2);
        }
    }
}
