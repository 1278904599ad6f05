//! A document's passages analysed once, and turned into tantivy documents.

use tantivy::tokenizer::Token;
use tantivy::{DateTime, TantivyDocument};

use crate::corpus::Document;
use crate::relay::Relay;
use crate::topics::Tagger;
use sokord_core::analyzers::SwedishTokenizer;
use sokord_core::date::Day;
use sokord_core::schema::{chapter_keys, Fields};

pub(super) fn date_value(date: &str) -> Option<(DateTime, u64)> {
    let day = Day::parse(date).ok()?;
    Some((day.to_tantivy(), day.year() as u64))
}

/// What analysing a passage once gives: the topics it matches, its terms for the `body` field
/// (what the `sv` analyzer gives), its lemma terms for the `lemma` field (each word's whole
/// term, without compound parts: what the `sv_query` analyzer gives) and its exact forms for the
/// `exact` field (what `sv_exact` gives). The analysis runs in the reading threads, in one pass,
/// instead of once per field in tantivy's indexing threads.
pub(super) struct Analysed {
    topics: Vec<String>,
    terms: Vec<Token>,
    lemmas: Vec<Token>,
    exact: Vec<Token>,
}

/// Analyses each passage of a document once, for topic tagging and the `body`, `exact` and
/// `lemma` fields.
pub(super) fn analyse_passages(
    doc: &Document,
    tagger: &Tagger,
    analyzer: &mut SwedishTokenizer,
) -> Vec<Analysed> {
    doc.passages
        .iter()
        .map(|p| {
            let mut exact = Vec::new();
            let tokens = analyzer.analyse_with_exact(&p.text, &mut exact);
            let topics = tagger.tag_tokens(&tokens);
            // A compound's parts follow its whole term at the same position: keep the first.
            let mut last = usize::MAX;
            let lemmas = tokens
                .iter()
                .filter(|t| std::mem::replace(&mut last, t.position) != t.position)
                .cloned()
                .collect();
            Analysed {
                topics,
                terms: tokens,
                lemmas,
                exact,
            }
        })
        .collect()
}

/// Turns a document into tantivy documents, one per passage, indexed under `id` (the document's
/// id, or the one it was renamed to), with what [`analyse_passages`] found for each.
pub(super) fn to_tantivy(
    doc: &Document,
    id: &str,
    f: &Fields,
    analysed: Vec<Analysed>,
    relay: &Relay,
) -> Vec<TantivyDocument> {
    let m = &doc.meta;
    let extra = serde_json::json!({
        "source": m.source,
        "language": m.language,
        "recipient": m.recipient,
        "extra": m.extra,
        // The topics given for the whole document (the `topics` field adds those tagged), so
        // that a rebuild can tell them apart.
        "topics": m.topics,
        "format": doc.format,
        "encoding": doc.encoding,
    })
    .to_string();
    let date = m.date.as_deref().and_then(date_value);
    doc.passages
        .iter()
        .zip(analysed)
        .map(
            |(
                p,
                Analysed {
                    topics: found,
                    terms,
                    lemmas,
                    exact,
                },
            )| {
                let mut t = TantivyDocument::new();
                t.add_text(f.doc_id, id);
                t.add_text(f.path, &doc.path);
                t.add_text(f.title, &m.title);
                t.add_text(f.doc_type, &m.doc_type);
                if let Some(a) = &m.actor {
                    t.add_text(f.actor, a);
                    t.add_text(f.actor_words, a);
                }
                if let Some(p) = &m.party {
                    t.add_text(f.party, p);
                }
                if let Some(r) = &m.recipient {
                    t.add_text(f.recipient, r);
                }
                if let Some((d, y)) = date {
                    t.add_date(f.date, d);
                    t.add_u64(f.year, y);
                }
                let mut topics: Vec<String> = m.topics.clone();
                let heading_text: Vec<&str> = p.chapters.iter().map(|c| c.title.as_str()).collect();
                let heading_text = heading_text.join(" ");
                for id in found {
                    if !topics.contains(&id) {
                        topics.push(id);
                    }
                }
                for topic in &topics {
                    t.add_text(f.topics, topic);
                }
                for key in chapter_keys(&p.chapters) {
                    t.add_text(f.chapter_key, key);
                }
                t.add_text(
                    f.chapters,
                    serde_json::to_string(&p.chapters).expect("chapters serialise"),
                );
                if let Some(top) = p.chapters.first() {
                    t.add_text(f.chapter_label, top.display());
                }
                if !heading_text.is_empty() {
                    t.add_text(f.heading, &heading_text);
                }
                t.add_u64(f.ordinal, p.ordinal as u64);
                if let Some(page) = p.page {
                    t.add_u64(f.page, page as u64);
                }
                t.add_text(f.text, &p.text);
                // Analysed already (see `Relay`); the text is stored in `text`.
                t.add_text(f.body, relay.put(terms));
                t.add_text(f.body_exact, relay.put(exact));
                // Analysed already (see `Relay`): not stored.
                t.add_text(f.lemma, relay.put(lemmas));
                t.add_u64(f.words, p.text.split_whitespace().count() as u64);
                t.add_text(f.extra, &extra);
                t
            },
        )
        .collect()
}
