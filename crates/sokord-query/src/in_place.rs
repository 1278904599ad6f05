//! A phrase whose words are in more than one field: its stop words in the exact-form field
//! (the passage text's field leaves them out, keeping their places), its other words in the
//! passage text's. `"vård och omsorg"` is *vård* and *omsorg* two places apart in the passage
//! text and *och* between them in the exact forms; the passage text's phrase alone would let any
//! word stand between (*vård, skola, omsorg*). Both fields number a passage's words alike.
//!
//! Used as a filter beside the passage text's phrase, which scores: it scores nothing itself.

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Terms at their offsets from the first, each in its own field, standing so in a passage.
#[derive(Clone, Debug)]
pub(crate) struct InPlace {
    terms: Vec<(usize, Term)>,
}

impl InPlace {
    pub(crate) fn new(terms: Vec<(usize, Term)>) -> InPlace {
        InPlace { terms }
    }
}

impl Query for InPlace {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(InPlaceWeight {
            terms: self.terms.clone(),
        }))
    }
}

struct InPlaceWeight {
    terms: Vec<(usize, Term)>,
}

impl Weight for InPlaceWeight {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut postings = Vec::with_capacity(self.terms.len());
        for (offset, term) in &self.terms {
            let index = reader.inverted_index(term.field())?;
            match index.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? {
                Some(p) => postings.push((*offset as u32, p)),
                None => return Ok(Box::new(EmptyScorer)),
            }
        }
        if postings.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        let positions = vec![Vec::new(); postings.len()];
        let mut scorer = InPlaceScorer {
            postings,
            positions,
            doc: 0,
        };
        scorer.doc = scorer.settle(0);
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not have the phrase's words in place"
            )));
        }
        Ok(Explanation::new("the phrase's stop words in place", 0.0))
    }
}

struct InPlaceScorer {
    /// Each term's offset and postings.
    postings: Vec<(u32, SegmentPostings)>,
    /// Each term's positions in the current document (a buffer).
    positions: Vec<Vec<u32>>,
    doc: DocId,
}

impl InPlaceScorer {
    /// The first document from `target` on where every term stands at its offset.
    fn settle(&mut self, mut target: DocId) -> DocId {
        loop {
            // A document every term is in.
            let mut candidate = target;
            'align: loop {
                for (_, p) in self.postings.iter_mut() {
                    let d = if p.doc() < candidate {
                        p.seek(candidate)
                    } else {
                        p.doc()
                    };
                    if d == TERMINATED {
                        return TERMINATED;
                    }
                    if d > candidate {
                        candidate = d;
                        continue 'align;
                    }
                }
                break;
            }
            if self.stands() {
                return candidate;
            }
            target = candidate + 1;
        }
    }

    /// Whether the terms stand at their offsets in the document they are all on.
    fn stands(&mut self) -> bool {
        for ((_, p), at) in self.postings.iter_mut().zip(self.positions.iter_mut()) {
            at.clear();
            p.positions(at);
        }
        let first_offset = self.postings[0].0;
        self.positions[0].iter().any(|&p| {
            let Some(start) = p.checked_sub(first_offset) else {
                return false;
            };
            self.postings
                .iter()
                .zip(&self.positions)
                .skip(1)
                .all(|((offset, _), at)| at.binary_search(&(start + offset)).is_ok())
        })
    }
}

impl DocSet for InPlaceScorer {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.settle(self.doc + 1);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc < target {
            self.doc = self.settle(target);
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings
            .iter()
            .map(|(_, p)| p.size_hint())
            .min()
            .unwrap_or(0)
    }
}

impl Scorer for InPlaceScorer {
    fn score(&mut self) -> Score {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use tantivy::collector::DocSetCollector;
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{Field, Schema, TextFieldIndexing, TextOptions};
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, StopWordFilter, TextAnalyzer};
    use tantivy::{doc, DocAddress, Index, Searcher};

    use super::*;

    const STOPS: [&str; 2] = ["och", "i"];

    /// An index of short texts over a few words, in several segments: `body` without the stop
    /// words (their places kept), `exact` with them.
    fn index() -> (Searcher, Field, Field) {
        let mut schema = Schema::builder();
        let options = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let body = schema.add_text_field("body", options("body"));
        let exact = schema.add_text_field("exact", options("exact"));
        let index = Index::create_in_ram(schema.build());
        let stops: Vec<String> = STOPS.iter().map(|s| s.to_string()).collect();
        index.tokenizers().register(
            "body",
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(StopWordFilter::remove(stops))
                .build(),
        );
        index.tokenizers().register(
            "exact",
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .build(),
        );
        let words = ["vård", "och", "omsorg", "i", "skola"];
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut state = 7u64;
        for i in 0..300 {
            let mut text = Vec::new();
            for _ in 0..(3 + i % 6) {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push(words[(state >> 33) as usize % words.len()]);
            }
            let text = text.join(" ");
            writer
                .add_document(doc!(body => text.clone(), exact => text))
                .unwrap();
            if i % 70 == 69 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 2);
        (searcher, body, exact)
    }

    /// Stop words checked in place give what the phrase over the exact forms gives, alone and
    /// as one part of an intersection (which seeks it), in every segment.
    #[test]
    fn in_place_matches_the_exact_phrase() {
        let (searcher, body, exact) = index();
        let found = |q: &dyn Query| -> HashSet<DocAddress> {
            searcher.search(q, &DocSetCollector).unwrap()
        };
        let phrases: [&[&str]; 5] = [
            &["vård", "och", "omsorg"],
            &["vård", "och"],
            &["och", "omsorg"],
            &["skola", "i", "vård"],
            &["omsorg", "och", "i"],
        ];
        for words in phrases {
            let in_place = InPlace::new(
                words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| {
                        let field = if STOPS.contains(w) { exact } else { body };
                        (i, Term::from_field_text(field, w))
                    })
                    .collect(),
            );
            let phrase = PhraseQuery::new(
                words
                    .iter()
                    .map(|w| Term::from_field_text(exact, w))
                    .collect(),
            );
            let want = found(&phrase);
            assert!(!want.is_empty(), "{words:?}");
            assert_eq!(found(&in_place), want, "{words:?}");
            let with_skola = |q: Box<dyn Query>| -> BooleanQuery {
                BooleanQuery::new(vec![
                    (Occur::Must, q),
                    (
                        Occur::Must,
                        Box::new(TermQuery::new(
                            Term::from_field_text(body, "skola"),
                            IndexRecordOption::Basic,
                        )),
                    ),
                ])
            };
            assert_eq!(
                found(&with_skola(Box::new(in_place))),
                found(&with_skola(Box::new(phrase))),
                "{words:?} with skola"
            );
        }
    }
}
