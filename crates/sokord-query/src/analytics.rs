//! Views over a query's result set for comparing and counting: statistics by group, groups side
//! by side with their representative statements, distinctive words, and topics with their counts.
//! The counting itself is in `stats`.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query as TQuery};
use tantivy::TantivyDocument;

use crate::compile::match_term;
use crate::error::Result;
use crate::hits::Hit;
use crate::request::SearchRequest;
use crate::searcher::Snapshot;
use crate::stats::{self, GroupKey, GroupStats, Keywords, Stats};
use crate::stored::text_of;

/// One group of a [`Comparison`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompareGroup {
    /// Its counts.
    #[serde(flatten)]
    pub stats: GroupStats,
    /// Its most representative statements: best passages first, cited.
    pub statements: Vec<Hit>,
}

/// Groups side by side for one query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Comparison {
    /// The query.
    pub query: String,
    /// The grouping.
    pub by: GroupKey,
    /// Matching documents in all.
    pub total_documents: usize,
    /// Matching passages in all.
    pub total_passages: usize,
    /// The groups, most matching passages first; groups without a match last.
    pub groups: Vec<CompareGroup>,
}

/// A topic's counts in one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TopicGroup {
    /// The group's value.
    pub key: String,
    /// Passages tagged with the topic.
    pub passages: usize,
    /// Documents with such passages.
    pub documents: usize,
}

/// One topic with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TopicStats {
    /// The topic's id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its definition.
    pub query: String,
    /// Passages tagged with it.
    pub passages: usize,
    /// Documents with such passages.
    pub documents: usize,
    /// The actors with most such passages.
    pub top_actors: Vec<TopicGroup>,
    /// Counts by the requested grouping.
    pub groups: Vec<TopicGroup>,
}

/// The taxonomy with counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TopicOverview {
    /// The grouping of `groups`, if any.
    pub by: Option<GroupKey>,
    /// The topics, in the taxonomy's order.
    pub topics: Vec<TopicStats>,
}

impl Snapshot {
    pub fn stats(&self, req: &SearchRequest, by: GroupKey) -> Result<Stats> {
        let searcher = self.reader.searcher();
        let compiled = self
            .compiler(&searcher)
            .filtered(&req.filters, Some(&req.query))?;
        let matched = stats::tally(
            &searcher,
            compiled.query().as_ref(),
            by,
            0,
            self.party_labels(&req.filters),
        )?;
        let all = stats::tally(
            &searcher,
            compiled.population().as_ref(),
            by,
            0,
            self.party_labels(&req.filters),
        )?;
        Ok(stats::stats(req.query.to_string(), by, &matched, &all))
    }

    pub fn compare(&self, req: &SearchRequest, by: GroupKey, top: usize) -> Result<Comparison> {
        let searcher = self.reader.searcher();
        let compiled = self
            .compiler(&searcher)
            .filtered(&req.filters, Some(&req.query))?;
        let matched = stats::tally(
            &searcher,
            compiled.query().as_ref(),
            by,
            top,
            self.party_labels(&req.filters),
        )?;
        let all = stats::tally(
            &searcher,
            compiled.population().as_ref(),
            by,
            0,
            self.party_labels(&req.filters),
        )?;
        let counts = stats::stats(req.query.to_string(), by, &matched, &all);
        let generators = self.snippet_generators(&searcher, compiled.text.as_deref())?;
        let mut groups = Vec::new();
        for g in counts.groups {
            let mut statements = Vec::new();
            for (score, address) in matched.get(&g.key).map_or(&[][..], |t| &t.best[..]) {
                let doc: TantivyDocument = searcher.doc(*address)?;
                statements.push(Hit::read(
                    self.fields(),
                    &doc,
                    *score,
                    &generators,
                    req.snippet_chars,
                    None,
                ));
            }
            groups.push(CompareGroup {
                stats: g,
                statements,
            });
        }
        groups.sort_by(|a, b| {
            b.stats
                .passages
                .cmp(&a.stats.passages)
                .then(a.stats.key.cmp(&b.stats.key))
        });
        Ok(Comparison {
            query: counts.query,
            by,
            total_documents: counts.total_documents,
            total_passages: counts.total_passages,
            groups,
        })
    }

    /// Term counts of the passages two queries match, read from the inverted index of the
    /// passages' lemma terms (one pass over its postings, not over the texts).
    fn term_counts(
        &self,
        searcher: &tantivy::Searcher,
        subset: &dyn TQuery,
        reference: &dyn TQuery,
    ) -> Result<(stats::TermCounts, stats::TermCounts)> {
        use tantivy::postings::Postings;
        use tantivy::BitSet;
        use tantivy::DocSet;
        let f = self.fields();
        let segments = searcher.segment_readers();
        let members = |q: &dyn TQuery| -> Result<Vec<BitSet>> {
            let mut sets: Vec<BitSet> = segments
                .iter()
                .map(|s| BitSet::with_max_value(s.max_doc()))
                .collect();
            for a in searcher.search(q, &DocSetCollector)? {
                sets[a.segment_ord as usize].insert(a.doc_id);
            }
            Ok(sets)
        };
        let (sub_docs, ref_docs) = (members(subset)?, members(reference)?);
        let (mut a, mut b) = (stats::TermCounts::default(), stats::TermCounts::default());
        for (ord, segment) in segments.iter().enumerate() {
            let index = segment.inverted_index(f.lemma)?;
            let mut terms = index
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                let Ok(term) = std::str::from_utf8(terms.key()) else {
                    continue;
                };
                if !stats::counts_as_word(term) {
                    continue;
                }
                let mut postings = index
                    .read_postings_from_terminfo(
                        terms.value(),
                        tantivy::schema::IndexRecordOption::WithFreqs,
                    )
                    .map_err(tantivy::TantivyError::from)?;
                let (mut in_a, mut in_b) = (0u64, 0u64);
                let mut doc = postings.doc();
                while doc != tantivy::TERMINATED {
                    let tf = postings.term_freq() as u64;
                    if sub_docs[ord].contains(doc) {
                        in_a += tf;
                    }
                    if ref_docs[ord].contains(doc) {
                        in_b += tf;
                    }
                    doc = postings.advance();
                }
                for (counts, n) in [(&mut a, in_a), (&mut b, in_b)] {
                    if n > 0 {
                        *counts.counts.entry(term.to_string()).or_default() += n;
                        counts.tokens += n;
                    }
                }
            }
        }
        Ok((a, b))
    }

    /// The most frequent written form of each term in the passages a query matches, for the
    /// terms given: read from a few passages per term.
    fn surface_forms(
        &self,
        searcher: &tantivy::Searcher,
        subset: &dyn TQuery,
        terms: &[String],
    ) -> Result<HashMap<String, String>> {
        let f = self.fields();
        let mut analyzer = self.open.meta.analysis.query_analyzer();
        let mut out = HashMap::new();
        for t in terms {
            let q = BooleanQuery::new(vec![
                (Occur::Must, subset.box_clone()),
                (Occur::Must, match_term(f.lemma, t)),
            ]);
            let mut forms: HashMap<String, u64> = HashMap::new();
            for (_, address) in searcher.search(&q, &TopDocs::with_limit(5).order_by_score())? {
                let doc: TantivyDocument = searcher.doc(address)?;
                let text = text_of(&doc, f.text).unwrap_or_default();
                for tok in sokord_core::analyzers::tokens(&mut analyzer, &text) {
                    if &tok.text == t {
                        *forms
                            .entry(text[tok.offset_from..tok.offset_to].to_lowercase())
                            .or_default() += 1;
                    }
                }
            }
            if let Some((w, _)) = forms
                .into_iter()
                .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
            {
                out.insert(t.clone(), w);
            }
        }
        Ok(out)
    }

    pub fn keywords(
        &self,
        subset: &SearchRequest,
        reference: Option<&SearchRequest>,
        top: usize,
        min_count: u64,
    ) -> Result<Keywords> {
        let searcher = self.reader.searcher();
        let mut compiler = self.compiler(&searcher);
        let sub_q = compiler
            .filtered(&subset.filters, Some(&subset.query))?
            .query();
        let (ref_q, reference_name) = match reference {
            Some(r) => (
                compiler.filtered(&r.filters, Some(&r.query))?.query(),
                r.query.to_string(),
            ),
            None => {
                let rest = BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Box<dyn TQuery>),
                    (Occur::MustNot, sub_q.box_clone()),
                ]);
                (Box::new(rest) as Box<dyn TQuery>, "the rest".to_string())
            }
        };
        let (a, b) = self.term_counts(&searcher, sub_q.as_ref(), ref_q.as_ref())?;
        let mut keywords = stats::keyness(&a, &b, top, min_count);
        let terms: Vec<String> = keywords.iter().map(|k| k.term.clone()).collect();
        let forms = self.surface_forms(&searcher, sub_q.as_ref(), &terms)?;
        for k in &mut keywords {
            if let Some(w) = forms.get(&k.term) {
                k.word = w.clone();
            }
        }
        Ok(Keywords {
            subset: subset.query.to_string(),
            reference: reference_name,
            subset_words: a.tokens,
            reference_words: b.tokens,
            keywords,
        })
    }

    pub fn topics(
        &self,
        req: &SearchRequest,
        by: Option<GroupKey>,
        top_actors: usize,
    ) -> Result<TopicOverview> {
        let searcher = self.reader.searcher();
        let mut compiler = self.compiler(&searcher);
        let mut topics = Vec::new();
        for topic in &self.open.meta.taxonomy.topics {
            let filters = req.filters.clone().topic(topic.id.clone());
            let query = compiler.filtered(&filters, Some(&req.query))?.query();
            let by_actor = stats::tally(
                &searcher,
                query.as_ref(),
                GroupKey::Actor,
                0,
                self.party_labels(&req.filters),
            )?;
            let mut actors: Vec<TopicGroup> = by_actor
                .iter()
                .map(|(k, t)| TopicGroup {
                    key: k.clone(),
                    passages: t.passages,
                    documents: t.documents.len(),
                })
                .collect();
            let passages = actors.iter().map(|a| a.passages).sum();
            let documents = by_actor
                .values()
                .flat_map(|t| t.documents.iter())
                .collect::<HashSet<_>>()
                .len();
            actors.sort_by(|a, b| b.passages.cmp(&a.passages).then(a.key.cmp(&b.key)));
            actors.truncate(top_actors);
            let groups = match by {
                Some(key) => stats::tally(
                    &searcher,
                    query.as_ref(),
                    key,
                    0,
                    self.party_labels(&req.filters),
                )?
                .into_iter()
                .map(|(k, t)| TopicGroup {
                    key: k,
                    passages: t.passages,
                    documents: t.documents.len(),
                })
                .collect(),
                None => Vec::new(),
            };
            topics.push(TopicStats {
                id: topic.id.clone(),
                label: topic.label.clone(),
                query: topic.query.clone(),
                passages,
                documents,
                top_actors: actors,
                groups,
            });
        }
        Ok(TopicOverview { by, topics })
    }
}
