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

use tantivy::query::{EnableScoring, Explanation, PhraseQuery, Query, Scorer, Weight};
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

/// A phrase of three words or more with slop, matched the same way whether or not the search
/// scores: tantivy checks such a phrase's slop as one budget for all its words when it scores
/// (the documented meaning of `"a b c"~N`), but checks its last word against the others on its
/// own when it only counts, so that counting found passages searching did not
/// (`exact:"vård och omsorg"~3`: 296 passages counted, 294 listed). Its weight is always made
/// with scoring on; the scores cost a few multiplications a match.
#[derive(Debug, Clone)]
pub(crate) struct SameWhenCounting(pub(crate) PhraseQuery);

impl Query for SameWhenCounting {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        match enable_scoring {
            EnableScoring::Disabled {
                searcher_opt: Some(searcher),
                ..
            } => self
                .0
                .weight(EnableScoring::enabled_from_searcher(searcher)),
            scoring => self.0.weight(scoring),
        }
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

/// A query to leave out (`MustNot`), whose scorer may be asked whether it holds a document that
/// comes before the one it stands on: tantivy's exclusion asks its excluded scorer about the
/// first candidate as soon as it is built, and a phrase scorer (which stands on its first match
/// from the start) asserts that it is never asked about an earlier document, a failed assertion
/// in debug builds (`"läkemedelsassisterad behandling"` grouped by document). The wrapper
/// answers such a question itself: the document is not there.
#[derive(Debug)]
pub(crate) struct Excluded(pub(crate) Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(AskedBack(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// A scorer that may be asked about documents before the one it stands on.
struct AskedBack(Box<dyn Scorer>);

impl DocSet for AskedBack {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.0.doc() >= target {
            return self.0.doc();
        }
        self.0.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> tantivy::SeekDangerResult {
        use tantivy::SeekDangerResult;
        if target == tantivy::TERMINATED {
            return SeekDangerResult::SeekLowerBound(target);
        }
        let doc = self.seek(target);
        if doc == target {
            SeekDangerResult::Found
        } else {
            SeekDangerResult::SeekLowerBound(doc)
        }
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for AskedBack {
    fn score(&mut self) -> Score {
        self.0.score()
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

    /// `"a b c"~3` in *a x x b x x c*: four words out of place in all, so no match, whether
    /// the search scores (top hits) or only counts (tantivy's own phrase counts it as a match).
    #[test]
    fn a_sloppy_phrase_counts_what_it_finds() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.add_document(doc!(body => "a x x b x x c")).unwrap();
        writer.add_document(doc!(body => "a x b x c")).unwrap();
        writer.add_document(doc!(body => "a b c")).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |w: &str| tantivy::Term::from_field_text(body, w);
        let mut phrase = PhraseQuery::new(vec![term("a"), term("b"), term("c")]);
        phrase.set_slop(3);
        let found = |q: &dyn Query| {
            searcher
                .search(
                    q,
                    &tantivy::collector::TopDocs::with_limit(10).order_by_score(),
                )
                .unwrap()
                .len()
        };
        let counted = |q: &dyn Query| searcher.search(q, &tantivy::collector::Count).unwrap();
        // tantivy's phrase alone: what it counts is not what it finds.
        assert_eq!(found(&phrase), 2);
        assert_eq!(counted(&phrase), 3);
        let same = SameWhenCounting(phrase);
        assert_eq!(found(&same), 2);
        assert_eq!(counted(&same), 2);
        assert_eq!(counted(&guarded(Box::new(same))), 2);
    }

    /// A phrase left out of a word's documents, where the word's first document comes before
    /// the phrase's first match (tantivy's exclusion asks the phrase about it at once: a failed
    /// assertion in debug builds without the wrapper), over several segments; and a phrase
    /// whose matches all come first.
    #[test]
    fn an_excluded_phrase_may_be_asked_about_an_earlier_document() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for texts in [
            &["a", "a b c", "a", "a b x c"][..],
            &["a b c", "b c", "a"],
            &["a"],
        ] {
            for t in texts {
                writer.add_document(doc!(body => *t)).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        let term = |w: &str| tantivy::Term::from_field_text(body, w);
        let phrase =
            || -> Box<dyn Query> { Box::new(PhraseQuery::new(vec![term("b"), term("c")])) };
        let without = |left_out: Box<dyn Query>| {
            let q = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(term("a"), IndexRecordOption::Basic)) as Box<dyn Query>,
                ),
                (Occur::MustNot, Box::new(Excluded(left_out))),
            ]);
            (
                searcher.search(&q, &tantivy::collector::Count).unwrap(),
                searcher
                    .search(
                        &q,
                        &tantivy::collector::TopDocs::with_limit(10).order_by_score(),
                    )
                    .unwrap()
                    .len(),
            )
        };
        // *a* in 7 documents, *a b c* in 2 of them.
        assert_eq!(without(phrase()), (5, 5));
        // Nothing to leave out, and everything.
        assert_eq!(
            without(Box::new(TermQuery::new(
                term("zz"),
                IndexRecordOption::Basic
            ))),
            (7, 7)
        );
        assert_eq!(
            without(Box::new(TermQuery::new(
                term("a"),
                IndexRecordOption::Basic
            ))),
            (0, 0)
        );
    }
}
