//! The Swedish analyzer on a plain tantivy index, without the rest of sokord: three sentences
//! indexed in memory, then searched for a compound's part and inflected forms (it asserts what
//! it finds; `tests/example.rs` runs it).
//!
//! ```text
//! cargo run -p sokord-analysis --example plain_tantivy
//! ```

use sokord_analysis::SwedishTokenizer;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};
use tantivy::{doc, Index, TantivyDocument};

pub fn main() -> tantivy::Result<()> {
    // A text field analysed with the Swedish analyzer at index time …
    let indexing = TextFieldIndexing::default()
        .set_tokenizer("sv")
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let mut schema = Schema::builder();
    let text = schema.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(indexing),
    );
    let title = schema.add_text_field("title", STORED);
    let index = Index::create_in_ram(schema.build());
    index
        .tokenizers()
        .register("sv", TextAnalyzer::from(SwedishTokenizer::index()));

    let mut writer = index.writer(50_000_000)?;
    for (t, body) in [
        ("Brist", "Läkemedelsförsörjningen brister i hela landet."),
        ("Pris", "Läkemedlen blir dyrare för patienterna."),
        ("Tandvård", "Tandvården behöver fler tandläkare."),
    ] {
        writer.add_document(doc!(title => t, text => body))?;
    }
    writer.commit()?;

    // … and query words analysed without compound parts, so that a word matches itself and the
    // compounds that contain it.
    let query_tokenizers = TokenizerManager::default();
    query_tokenizers.register("sv", TextAnalyzer::from(SwedishTokenizer::query()));
    let mut parser = QueryParser::new(index.schema(), vec![text], query_tokenizers);
    parser.set_conjunction_by_default();

    let searcher = index.reader()?.searcher();
    let mut found = Vec::new();
    for q in ["försörjning", "läkemedel", "tandläkarna"] {
        let top = TopDocs::with_limit(10).order_by_score();
        let hits = searcher.search(&parser.parse_query(q)?, &top)?;
        let mut titles = Vec::new();
        for (_, address) in hits {
            let d: TantivyDocument = searcher.doc(address)?;
            titles.push(
                d.get_first(title)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string(),
            );
        }
        println!("{q}: {titles:?}");
        found.push((q, titles));
    }
    // A compound's part finds the compound; inflected forms meet.
    assert_eq!(
        found[0].1,
        ["Brist"],
        "försörjning in läkemedelsförsörjningen"
    );
    assert_eq!(
        found[1].1.len(),
        2,
        "läkemedel in läkemedlen and läkemedelsförsörjningen"
    );
    assert_eq!(found[2].1, ["Tandvård"], "tandläkarna meets tandläkare");
    Ok(())
}
