//! A document's passages analysed once, and turned into tantivy documents.

use tantivy::tokenizer::Token;
use tantivy::{DateTime, TantivyDocument};

use crate::corpus::Document;
use crate::relay::Relay;
use crate::topics::{heading_text, Tagger, TermPositions, TopicEvidence};
use sokord_core::analyzers::SwedishTokenizer;
use sokord_core::date::Day;
use sokord_core::schema::{chapter_keys, Fields};

pub(super) fn date_value(day: Day) -> (DateTime, u64) {
    (day.to_tantivy(), day.year() as u64)
}

/// What analysing a passage once gives: the topics it gets and its document's, its terms for the
/// `body` field (what the `sv` analyzer gives), its lemma terms for the `lemma` field (each word's
/// whole term, without compound parts: what the `sv_query` analyzer gives) and its exact forms
/// for the `exact` field (what `sv_exact` gives). The analysis runs in the reading threads, in
/// one pass, instead of once per field in tantivy's indexing threads.
pub(super) struct Analysed {
    topics: Vec<String>,
    evidence: Vec<TopicEvidence>,
    doc_topics: Vec<String>,
    terms: Vec<Token>,
    lemmas: Vec<Token>,
    exact: Vec<Token>,
}

/// Analyses each passage of a document once, for topic tagging and the `body`, `exact` and
/// `lemma` fields; tags the passages and the document with topics.
pub(super) fn analyse_passages(
    doc: &Document,
    tagger: &Tagger,
    analyzer: &mut SwedishTokenizer,
) -> Vec<Analysed> {
    let mut scratch = Vec::new();
    let title = tagger
        .positions(&analyzer.analyse_with_exact(&doc.meta.title, &mut scratch))
        .with_text(&doc.meta.title);
    let mut heading = (String::new(), TermPositions::default());
    let mut out: Vec<Analysed> = doc
        .passages
        .iter()
        .map(|p| {
            let h = heading_text(&p.chapters);
            if h != heading.0 {
                scratch.clear();
                let terms = tagger
                    .positions(&analyzer.analyse_with_exact(&h, &mut scratch))
                    .with_text(&h);
                heading = (h, terms);
            }
            let mut exact = Vec::new();
            let tokens = analyzer.analyse_with_exact(&p.text, &mut exact);
            let evidence = tagger.evidence(&tagger.positions(&tokens), &p.text, &title, &heading.1);
            // A compound's parts follow its whole term at the same position: keep the first.
            let mut last = usize::MAX;
            let lemmas = tokens
                .iter()
                .filter(|t| std::mem::replace(&mut last, t.position) != t.position)
                .cloned()
                .collect();
            Analysed {
                topics: Vec::new(),
                evidence,
                doc_topics: Vec::new(),
                terms: tokens,
                lemmas,
                exact,
            }
        })
        .collect();
    let mut evidence: Vec<_> = out
        .iter_mut()
        .map(|a| std::mem::take(&mut a.evidence))
        .collect();
    tagger.support_from_document(&mut evidence);
    let passages: Vec<Vec<String>> = evidence
        .into_iter()
        .map(|e| {
            e.into_iter()
                .filter(|e| e.tagged)
                .map(|e| e.topic)
                .collect()
        })
        .collect();
    for (a, p) in out.iter_mut().zip(&passages) {
        a.topics = p.clone();
    }
    // Each topic once, though the metadata may name one twice.
    let mut doc_topics: Vec<String> = Vec::new();
    for t in doc
        .meta
        .topics
        .iter()
        .cloned()
        .chain(tagger.document_topics(&title, &passages))
    {
        if !doc_topics.contains(&t) {
            doc_topics.push(t);
        }
    }
    for a in &mut out {
        a.doc_topics = doc_topics.clone();
    }
    out
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
    let day = m.date.as_deref().and_then(|d| Day::parse(d).ok());
    let date = day.map(date_value);
    // As the metadata gives it, else from the date.
    let session = m
        .extra
        .get("session")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| day.map(Day::session));
    doc.passages
        .iter()
        .zip(analysed)
        .map(
            |(
                p,
                Analysed {
                    topics: found,
                    doc_topics,
                    terms,
                    lemmas,
                    exact,
                    ..
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
                    t.add_text(f.recipient, sokord_core::recipients::display(r));
                }
                if let Some((d, y)) = date {
                    t.add_date(f.date, d);
                    t.add_u64(f.year, y);
                }
                if let Some(s) = &session {
                    t.add_text(f.session, s);
                }
                let mut topics: Vec<String> = Vec::new();
                let heading_text = heading_text(&p.chapters);
                for id in m.topics.iter().cloned().chain(found) {
                    if !topics.contains(&id) {
                        topics.push(id);
                    }
                }
                for topic in &topics {
                    t.add_text(f.topics, topic);
                }
                for topic in &doc_topics {
                    t.add_text(f.doc_topics, topic);
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
