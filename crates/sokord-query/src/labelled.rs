//! A query that names itself in explanations: tantivy's phrase scorer explains itself as "Phrase
//! Scorer" without its words, so the compound parts looked for near each other are named here
//! (`--explain` shows which reading of a compound matched).

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, Score, SegmentReader, Term};

/// The prefix of a label in an explanation.
pub(crate) const NEAR: &str = "parts near each other: ";

/// `inner`, explained as `label`.
#[derive(Debug)]
pub(crate) struct Labelled {
    pub(crate) inner: Box<dyn Query>,
    pub(crate) label: String,
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
    label: String,
}

impl Weight for LabelledWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.inner.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut out = Explanation::new_with_string(self.label.clone(), inner.value());
        out.add_detail(inner);
        Ok(out)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}
