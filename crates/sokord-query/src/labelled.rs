//! A query that names itself in explanations, and explains only documents it matches.
//!
//! tantivy's phrase scorer explains itself as "Phrase Scorer" without its words, so the compound
//! parts looked for near each other are named here (`--explain` shows which reading of a
//! compound matched). And tantivy's boolean and phrase weights explain a document by seeking
//! a fresh scorer to it without checking that the scorer has not already passed it (a
//! `debug_assert` in `DocSet::seek`): a boolean query explaining a hit asks each of its clauses,
//! including those the hit does not match, so a clause whose first match comes after the hit
//! would fail the assertion in debug builds, depending on how documents fall into segments.
//! Every phrase and boolean query sokord builds is wrapped here ([`guarded`]), and the wrapper
//! answers "does not match" itself in that case. Scoring and collecting go straight to the
//! wrapped query's weight.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term};

/// The prefix of a label in an explanation.
pub(crate) const NEAR: &str = "parts near each other: ";

/// `inner`, explained as `label` (when given), and only for documents it matches.
#[derive(Debug)]
pub(crate) struct Labelled {
    pub(crate) inner: Box<dyn Query>,
    pub(crate) label: Option<String>,
}

/// `inner`, explained only for documents it matches.
pub(crate) fn guarded(inner: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(Labelled { inner, label: None })
}

impl Clone for Labelled {
    fn clone(&self) -> Self {
        Labelled {
            inner: self.inner.box_clone(),
            label: self.label.clone(),
        }
    }
}

impl Query for Labelled {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(LabelledWeight {
            inner: self.inner.weight(enable_scoring)?,
            label: self.label.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct LabelledWeight {
    inner: Box<dyn Weight>,
    label: Option<String>,
}

impl Weight for LabelledWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.inner.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.inner.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let inner = self.inner.explain(reader, doc)?;
        let Some(label) = &self.label else {
            return Ok(inner);
        };
        let mut out = Explanation::new_with_string(label.clone(), inner.value());
        out.add_detail(inner);
        Ok(out)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        self.inner.for_each(reader, callback)
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.inner.for_each_no_score(reader, callback)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        self.inner.for_each_pruning(threshold, reader, callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    /// A hit that matches one clause of an OR is explained even when another clause, a phrase,
    /// matches only later documents of the segment (tantivy's own phrase explanation would seek
    /// backwards there, a failed assertion in debug builds).
    #[test]
    fn a_clause_whose_matches_come_later_is_not_asked_to_seek_back() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.add_document(doc!(body => "alfa")).unwrap();
        writer.add_document(doc!(body => "beta gamma")).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |w: &str| tantivy::Term::from_field_text(body, w);
        let phrase = guarded(Box::new(PhraseQuery::new(vec![
            term("beta"),
            term("gamma"),
        ])));
        let word: Box<dyn Query> =
            Box::new(TermQuery::new(term("alfa"), IndexRecordOption::WithFreqs));
        let query = guarded(Box::new(BooleanQuery::new(vec![
            (Occur::Should, word),
            (Occur::Should, phrase.box_clone()),
        ])));
        let first = tantivy::DocAddress::new(0, 0);
        let explained = query.explain(&searcher, first).unwrap();
        assert!(explained.value() > 0.0);
        // The phrase alone does not match the first document: an error, not a panic.
        assert!(phrase.explain(&searcher, first).is_err());
        assert!(phrase
            .explain(&searcher, tantivy::DocAddress::new(0, 1))
            .is_ok());
    }
}
