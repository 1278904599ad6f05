//! Documents read back from the index, whole or one chapter.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tantivy::collector::{Count, TopDocs};
use tantivy::TantivyDocument;

use sokord_core::Chapter;

use crate::compile::match_term;
use crate::error::{Error, Result};
use crate::request::Filters;
use crate::searcher::Snapshot;
use crate::stored::{date_of, text_of, texts_of, u64_of};

/// A document read back from the index.
///
/// Its fields are a [`Citation`](crate::Citation)'s document part, but not one embedded: a
/// document has no chapter of its own, and its JSON puts the recipient between party and date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DocumentView {
    /// Document id.
    pub doc_id: String,
    /// File path relative to the indexed folder.
    pub path: String,
    /// Title.
    pub title: String,
    /// Type.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Who speaks.
    pub actor: Option<String>,
    /// Party.
    pub party: Option<String>,
    /// Recipient.
    pub recipient: Option<String>,
    /// Date.
    pub date: Option<String>,
    /// Source URL.
    pub source: Option<String>,
    /// Language.
    pub language: Option<String>,
    /// Other fields the document was given (front matter, manifest, or a program).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
    /// The document's topics: those given for it and those its title and its passages'
    /// topics give.
    #[serde(default)]
    pub doc_topics: Vec<String>,
    /// The passages, in document order.
    pub passages: Vec<PassageView>,
}

/// One passage of a [`DocumentView`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PassageView {
    /// Position in the document.
    pub ordinal: u32,
    /// Chapter path, outermost first.
    pub chapters: Vec<Chapter>,
    /// Page, for paged formats.
    pub page: Option<u32>,
    /// Topic ids.
    pub topics: Vec<String>,
    /// Text.
    pub text: String,
}

impl Snapshot {
    pub fn document(&self, doc_id: &str, chapter: Option<&str>) -> Result<DocumentView> {
        let f = self.fields();
        let searcher = self.reader.searcher();
        let all = searcher.search(match_term(f.doc_id, doc_id).as_ref(), &Count)?;
        if all == 0 {
            return Err(Error::NoSuchDocument(doc_id.to_string()));
        }
        let only = Filters {
            chapter: chapter.map(str::to_string),
            ..Filters::default()
        };
        let top = match self.compiler(&searcher).filtered(&only, None) {
            Ok(compiled) => searcher.search(
                compiled.within(Some(match_term(f.doc_id, doc_id))).as_ref(),
                &TopDocs::with_limit(all.max(1)).order_by_u64_field("ordinal", tantivy::Order::Asc),
            )?,
            // A chapter no document has: the error below names this document's chapters.
            Err(Error::UnknownChapter { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut passages = Vec::new();
        let mut first: Option<TantivyDocument> = None;
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            passages.push(PassageView {
                ordinal: u64_of(&doc, f.ordinal).unwrap_or(0) as u32,
                chapters: text_of(&doc, f.chapters)
                    .and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or_default(),
                page: u64_of(&doc, f.page).map(|p| p as u32),
                topics: texts_of(&doc, f.topics),
                text: text_of(&doc, f.text).unwrap_or_default(),
            });
            first.get_or_insert(doc);
        }
        // A chapter that matches nothing is an error naming the chapters there are.
        let doc = match (first, chapter) {
            (Some(d), _) => d,
            (None, Some(chapter)) => {
                let whole = self.document(doc_id, None)?;
                let mut chapters: Vec<String> = Vec::new();
                for p in &whole.passages {
                    if let Some(c) = p.chapters.first() {
                        let label = match &c.number {
                            Some(n) => format!("{n}: {}", c.title),
                            None => c.title.clone(),
                        };
                        if !chapters.contains(&label) {
                            chapters.push(label);
                        }
                    }
                }
                return Err(Error::NoSuchChapter {
                    doc_id: doc_id.to_string(),
                    chapter: chapter.to_string(),
                    chapters,
                });
            }
            (None, None) => {
                let top = searcher.search(
                    match_term(f.doc_id, doc_id).as_ref(),
                    &TopDocs::with_limit(1).order_by_score(),
                )?;
                searcher.doc(top[0].1)?
            }
        };
        let extra: serde_json::Value = text_of(&doc, f.extra)
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        let extra_str = |k: &str| extra.get(k).and_then(|v| v.as_str()).map(str::to_string);
        Ok(DocumentView {
            doc_id: doc_id.to_string(),
            path: text_of(&doc, f.path).unwrap_or_default(),
            title: text_of(&doc, f.title).unwrap_or_default(),
            doc_type: text_of(&doc, f.doc_type).unwrap_or_default(),
            actor: text_of(&doc, f.actor),
            party: text_of(&doc, f.party),
            recipient: text_of(&doc, f.recipient),
            date: date_of(&doc, f.date),
            source: extra_str("source"),
            language: extra_str("language"),
            extra: extra
                .get("extra")
                .and_then(|e| serde_json::from_value(e.clone()).ok())
                .unwrap_or_default(),
            doc_topics: texts_of(&doc, f.doc_topics),
            passages,
        })
    }
}
