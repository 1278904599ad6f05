//! The index schema: one tantivy document per passage, carrying its document's metadata.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED,
};

use crate::analyzers::{KEYWORD, SV, SV_EXACT, SV_QUERY, WORDS};

/// The layout of the fields; changes when fields are added, removed or indexed differently.
const FIELDS_VERSION: u32 = 11;

/// The version recorded in an index and checked when it is opened: the fields' version and the
/// analyzer's ([`sokord_analysis::ANALYZER_VERSION`]), so that an index whose terms another
/// analysis wrote asks to be rebuilt.
pub const SCHEMA_VERSION: u32 = FIELDS_VERSION * 100 + sokord_analysis::ANALYZER_VERSION;

/// The fields of a sokord index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Document id (exact, stored, fast).
    pub doc_id: Field,
    /// File path relative to the corpus root (stored).
    pub path: Field,
    /// Title (analysed `sv`, stored).
    pub title: Field,
    /// Document type (keyword, stored, fast).
    pub doc_type: Field,
    /// Actor as written (stored; fast, for facets).
    pub actor: Field,
    /// Actor's words, lower-cased, for filters ("lif", "forssmed").
    pub actor_words: Field,
    /// Party (keyword, stored, fast).
    pub party: Field,
    /// Recipient as written (stored; fast, for facets) and its words (indexed).
    pub recipient: Field,
    /// Date (stored, indexed, fast).
    pub date: Field,
    /// Year of the date (indexed, fast).
    pub year: Field,
    /// Topic ids of the passage: the document's and those its text matched (keyword, multi-valued).
    pub topics: Field,
    /// Topic ids of the passage's document: those given for it and those its title and its
    /// passages' topics give (keyword, multi-valued, the same on every passage).
    pub doc_topics: Field,
    /// Keys a chapter filter matches: chapter numbers, dotted paths and lower-cased titles.
    pub chapter_key: Field,
    /// Chapter path as JSON (stored).
    pub chapters: Field,
    /// The top-level chapter as shown ("3: Title", "Frågor"), for facet counts (stored, fast).
    pub chapter_label: Field,
    /// Chapter headings' text (analysed `sv`), for weighting matches in headings.
    pub heading: Field,
    /// The parliamentary session (riksmöte, `2012/13`) as the document's metadata gives it,
    /// else the one its date falls in (fast only: for counts by session).
    pub session: Field,
    /// Passage ordinal within its document (stored, fast, indexed).
    pub ordinal: Field,
    /// Page number for paged formats (stored).
    pub page: Field,
    /// The passage text, indexed (analysed `sv`, positions; not stored: see [`Fields::text`]).
    pub body: Field,
    /// The passage text as written (stored only): what hits, snippets and documents show.
    pub text: Field,
    /// The passage text as exact lower-cased word forms, stop words included (analysed
    /// `sv_exact`); named `exact` in queries: `exact:"vård och omsorg"`.
    pub body_exact: Field,
    /// The passage's words as lemma terms, without compound parts (analysed `sv_query`;
    /// frequencies, no positions): what keyness and other word statistics count.
    pub lemma: Field,
    /// Number of words in the passage (stored, fast).
    pub words: Field,
    /// Everything else about the document as JSON (stored): source, language, extra fields.
    pub extra: Field,
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let o = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        o.set_stored()
    } else {
        o
    }
}

fn keyword(stored: bool, fast: bool) -> TextOptions {
    let mut o = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(KEYWORD)
            .set_index_option(IndexRecordOption::Basic),
    );
    if stored {
        o = o.set_stored();
    }
    if fast {
        o = o.set_fast("raw");
    }
    o
}

/// Builds the schema and names its fields.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stored = TextOptions::default().set_stored();
    let fields = Fields {
        doc_id: b.add_text_field(
            "doc_id",
            TextOptions::default()
                .set_indexing_options(TextFieldIndexing::default().set_tokenizer("raw"))
                .set_stored()
                .set_fast("raw"),
        ),
        path: b.add_text_field("path", stored.clone()),
        title: b.add_text_field("title", text(SV, true)),
        doc_type: b.add_text_field("type", keyword(true, true)),
        actor: b.add_text_field("actor", stored.clone().set_fast("raw")),
        actor_words: b.add_text_field("actor_words", text(WORDS, false)),
        party: b.add_text_field("party", keyword(true, true)),
        recipient: b.add_text_field(
            "recipient",
            text(WORDS, true).set_fast(crate::analyzers::RECIPIENT_KEY),
        ),
        date: b.add_date_field("date", INDEXED | STORED | FAST),
        year: b.add_u64_field("year", INDEXED | STORED | FAST),
        topics: b.add_text_field("topics", keyword(true, true)),
        doc_topics: b.add_text_field("doc_topics", keyword(true, true)),
        chapter_key: b.add_text_field("chapter_key", keyword(false, false)),
        chapters: b.add_text_field("chapters", stored.clone()),
        chapter_label: b.add_text_field("chapter_label", stored.clone().set_fast("raw")),
        heading: b.add_text_field("heading", text(SV, false)),
        session: b.add_text_field("session", TextOptions::default().set_fast("raw")),
        ordinal: b.add_u64_field(
            "ordinal",
            NumericOptions::default() | INDEXED | STORED | FAST,
        ),
        page: b.add_u64_field("page", STORED),
        body: b.add_text_field("body", text(SV, false)),
        text: b.add_text_field("text", TextOptions::default().set_stored()),
        body_exact: b.add_text_field("exact", text(SV_EXACT, false)),
        lemma: b.add_text_field(
            "lemma",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(SV_QUERY)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
        words: b.add_u64_field("words", STORED | FAST),
        extra: b.add_text_field("extra", stored),
    };
    (b.build(), fields)
}

impl Fields {
    /// Looks the fields up in an existing index's schema.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            doc_id: f("doc_id")?,
            path: f("path")?,
            title: f("title")?,
            doc_type: f("type")?,
            actor: f("actor")?,
            actor_words: f("actor_words")?,
            party: f("party")?,
            recipient: f("recipient")?,
            date: f("date")?,
            year: f("year")?,
            topics: f("topics")?,
            doc_topics: f("doc_topics")?,
            chapter_key: f("chapter_key")?,
            chapters: f("chapters")?,
            chapter_label: f("chapter_label")?,
            heading: f("heading")?,
            session: f("session")?,
            ordinal: f("ordinal")?,
            page: f("page")?,
            body: f("body")?,
            text: f("text")?,
            body_exact: f("exact")?,
            lemma: f("lemma")?,
            words: f("words")?,
            extra: f("extra")?,
        })
    }
}

/// The keys a chapter filter matches for a chapter path: the top chapter's number ("3"), each
/// level's number ("mål 2") and the dotted path of numbers ("4.mål 2", "2.3"), and each level's
/// title, all lower-case.
pub fn chapter_keys(chapters: &[crate::Chapter]) -> Vec<String> {
    let mut keys = Vec::new();
    let mut path = Vec::new();
    for c in chapters {
        if let Some(n) = &c.number {
            let n = n.to_lowercase();
            path.push(n.clone());
            // A numbered sub-heading "2.3" is already the full path.
            keys.push(if n.contains('.') || path.len() == 1 {
                n.clone()
            } else {
                path.join(".")
            });
            keys.push(n);
        }
        keys.push(c.title.to_lowercase());
    }
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Chapter;

    #[test]
    fn chapter_keys_cover_numbers_paths_and_titles() {
        let path = [
            Chapter {
                number: Some("4".into()),
                title: "Mål för utvecklingen".into(),
            },
            Chapter {
                number: Some("Mål 2".into()),
                title: "Motståndskraft".into(),
            },
        ];
        let keys = chapter_keys(&path);
        assert_eq!(
            keys,
            [
                "4",
                "4.mål 2",
                "motståndskraft",
                "mål 2",
                "mål för utvecklingen"
            ]
        );
        let frågor = chapter_keys(&[Chapter {
            number: None,
            title: "Frågor".into(),
        }]);
        assert_eq!(frågor, ["frågor"]);
    }
}
