//! Views over a result set for comparing and counting: statistics by group, actors side by side,
//! distinctive words (keyness) and the topic taxonomy with its counts.
//!
//! Counts are exact: a passage or document belongs to exactly one group for single-valued keys
//! (year, actor, party, type), so the groups add up to the totals; passages with no value (no
//! party) form the group `""`. Rates are per 10,000 words of the group's own text, from the word
//! counts stored for each passage at index time, so that large and small groups compare fairly.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use sokord_core::parties::PartyTable;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Query as TQuery;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// What to group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKey {
    /// The document's year.
    Year,
    /// The actor.
    Actor,
    /// The party.
    Party,
    /// The document type.
    Type,
    /// The passage's topics (a passage may have several: groups then overlap).
    Topic,
}

impl GroupKey {
    fn column(self) -> &'static str {
        match self {
            GroupKey::Year => "year",
            GroupKey::Actor => "actor",
            GroupKey::Party => "party",
            GroupKey::Type => "type",
            GroupKey::Topic => "topics",
        }
    }

    /// The key's name, as in `--by`.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKey::Topic => "topic",
            other => other.column(),
        }
    }
}

/// Counts for one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupStats {
    /// The group's value ("" for passages without one).
    pub key: String,
    /// Matching documents.
    pub documents: usize,
    /// Matching passages.
    pub passages: usize,
    /// Words of all the group's text (matching or not, within the filters).
    pub words: u64,
    /// Matching passages per 10,000 words of the group's text.
    pub per_10k_words: f64,
}

/// Statistics of a query by group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stats {
    /// The query.
    pub query: String,
    /// The grouping.
    pub by: GroupKey,
    /// Matching documents in all.
    pub total_documents: usize,
    /// Matching passages in all.
    pub total_passages: usize,
    /// The groups, in key order (years ascending); groups without matches included.
    pub groups: Vec<GroupStats>,
}

/// Per group: passages, documents (by id), words, and the best passages.
#[derive(Default, Clone)]
pub(crate) struct Tally {
    pub passages: usize,
    pub documents: HashSet<String>,
    pub words: u64,
    pub best: Vec<(Score, DocAddress)>,
}

/// Tallies the matching passages by group key, keeping the `top` best passages of each group.
pub(crate) struct GroupTally {
    pub key: GroupKey,
    /// Group parties by today's labels through this table; `None`: by the labels as written.
    pub parties: Option<Arc<PartyTable>>,
    pub top: usize,
    pub scoring: bool,
}

/// In one segment: passages, document ordinals, words and the best passages.
type SegmentTally = (usize, HashSet<u64>, u64, Vec<(Score, DocId)>);

enum KeyColumn {
    Str(Option<StrColumn>),
    Num(Option<Column<u64>>),
}

pub(crate) struct GroupTallySegment {
    segment: SegmentOrdinal,
    /// Party labels mapped to today's through this table.
    current_parties: Option<Arc<PartyTable>>,
    top: usize,
    key: KeyColumn,
    doc_id: Option<StrColumn>,
    words: Option<Column<u64>>,
    tallies: HashMap<u64, SegmentTally>,
    /// Passages without a value.
    none: SegmentTally,
}

fn keep_best(best: &mut Vec<(Score, DocId)>, top: usize, score: Score, doc: DocId) {
    if top == 0 {
        return;
    }
    if best.len() < top {
        best.push((score, doc));
    } else if let Some(min) = best.iter_mut().min_by(|a, b| a.0.total_cmp(&b.0)) {
        if score > min.0 {
            *min = (score, doc);
        }
    }
}

impl Collector for GroupTally {
    type Fruit = BTreeMap<String, Tally>;
    type Child = GroupTallySegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<GroupTallySegment> {
        let ff = reader.fast_fields();
        let key = match self.key {
            GroupKey::Year => KeyColumn::Num(ff.u64("year").ok()),
            k => KeyColumn::Str(ff.str(k.column())?),
        };
        Ok(GroupTallySegment {
            segment,
            current_parties: self.parties.clone().filter(|_| self.key == GroupKey::Party),
            top: self.top,
            key,
            doc_id: ff.str("doc_id")?,
            words: ff.u64("words").ok(),
            tallies: HashMap::new(),
            none: Default::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(
        &self,
        fruits: Vec<BTreeMap<String, Tally>>,
    ) -> tantivy::Result<BTreeMap<String, Tally>> {
        let mut all: BTreeMap<String, Tally> = BTreeMap::new();
        for fruit in fruits {
            for (k, t) in fruit {
                let e = all.entry(k).or_default();
                e.passages += t.passages;
                e.documents.extend(t.documents);
                e.words += t.words;
                e.best.extend(t.best);
            }
        }
        for t in all.values_mut() {
            t.best
                .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            t.best.truncate(self.top);
        }
        Ok(all)
    }
}

impl SegmentCollector for GroupTallySegment {
    type Fruit = BTreeMap<String, Tally>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let doc_ord = self
            .doc_id
            .as_ref()
            .and_then(|c| c.term_ords(doc).next())
            .unwrap_or(u64::MAX);
        let words = self.words.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        let keys: Vec<u64> = match &self.key {
            KeyColumn::Str(Some(c)) => c.term_ords(doc).collect(),
            KeyColumn::Num(Some(c)) => c.first(doc).into_iter().collect(),
            _ => Vec::new(),
        };
        if keys.is_empty() {
            let t = &mut self.none;
            t.0 += 1;
            t.1.insert(doc_ord);
            t.2 += words;
            keep_best(&mut t.3, self.top, score, doc);
        }
        for k in keys {
            let t = self.tallies.entry(k).or_default();
            t.0 += 1;
            t.1.insert(doc_ord);
            t.2 += words;
            keep_best(&mut t.3, self.top, score, doc);
        }
    }

    fn harvest(self) -> BTreeMap<String, Tally> {
        let mut out = BTreeMap::new();
        let doc_name = |d: u64| {
            let mut s = String::new();
            if let Some(c) = &self.doc_id {
                let _ = c.ord_to_str(d, &mut s);
            }
            s
        };
        let mut add = |key: String,
                       (passages, docs, words, best): (
            usize,
            HashSet<u64>,
            u64,
            Vec<(Score, DocId)>,
        )| {
            let t: &mut Tally = out.entry(key).or_default();
            t.passages += passages;
            t.documents.extend(docs.into_iter().map(doc_name));
            t.words += words;
            t.best.extend(
                best.into_iter()
                    .map(|(s, d)| (s, DocAddress::new(self.segment, d))),
            );
        };
        let tallies: Vec<_> = self.tallies.into_iter().collect();
        for (k, t) in tallies {
            let key = match &self.key {
                KeyColumn::Num(_) => k.to_string(),
                KeyColumn::Str(Some(c)) => {
                    let mut s = String::new();
                    let _ = c.ord_to_str(k, &mut s);
                    if let Some(table) = &self.current_parties {
                        s = table.current(&s).to_string();
                    }
                    s
                }
                KeyColumn::Str(None) => String::new(),
            };
            add(key, t);
        }
        if self.none.0 > 0 {
            add(String::new(), self.none);
        }
        out
    }
}

/// Tallies a query by group.
pub(crate) fn tally(
    searcher: &tantivy::Searcher,
    query: &dyn TQuery,
    key: GroupKey,
    top: usize,
    parties: Option<Arc<PartyTable>>,
) -> tantivy::Result<BTreeMap<String, Tally>> {
    searcher.search(
        query,
        &GroupTally {
            key,
            parties,
            top,
            scoring: top > 0,
        },
    )
}

/// Builds [`Stats`] from the matching passages' tallies and the population's (for words).
pub(crate) fn stats(
    query: String,
    by: GroupKey,
    matched: &BTreeMap<String, Tally>,
    population: &BTreeMap<String, Tally>,
) -> Stats {
    let mut groups = Vec::new();
    let mut all_docs = HashSet::new();
    let mut total_passages = 0;
    for (key, pop) in population {
        let m = matched.get(key);
        let passages = m.map_or(0, |t| t.passages);
        let documents = m.map_or(0, |t| t.documents.len());
        if let Some(t) = m {
            all_docs.extend(t.documents.iter().cloned());
        }
        if by != GroupKey::Topic {
            total_passages += passages;
        }
        groups.push(GroupStats {
            key: key.clone(),
            documents,
            passages,
            words: pop.words,
            per_10k_words: if pop.words > 0 {
                passages as f64 * 10_000.0 / pop.words as f64
            } else {
                0.0
            },
        });
    }
    if by == GroupKey::Topic {
        // Topics overlap: the totals are the distinct matching passages, counted apart.
        total_passages = matched.values().map(|t| t.passages).sum();
    }
    Stats {
        query,
        by,
        total_documents: all_docs.len(),
        total_passages,
        groups,
    }
}

/// One distinctive word of a subset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Keyword {
    /// The word as it is most often written in the subset (the term when no form is found).
    pub word: String,
    /// The indexed term (lemma, stemmed) the counts are for.
    pub term: String,
    /// Occurrences in the subset.
    pub subset_count: u64,
    /// Occurrences in the reference.
    pub reference_count: u64,
    /// Per 10,000 words of the subset.
    pub subset_per_10k: f64,
    /// Per 10,000 words of the reference.
    pub reference_per_10k: f64,
    /// Log-likelihood (G²): how sure it is that the difference is not chance.
    pub log_likelihood: f64,
    /// Effect size: log₂ of the ratio of relative frequencies (with 0.5 added to zero counts).
    pub log_ratio: f64,
}

/// The words most distinctive of a subset against a reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Keywords {
    /// What the subset is.
    pub subset: String,
    /// What it is compared with.
    pub reference: String,
    /// Words in the subset.
    pub subset_words: u64,
    /// Words in the reference.
    pub reference_words: u64,
    /// The words, most distinctive first.
    pub keywords: Vec<Keyword>,
}

/// Term counts of a set of passages.
#[derive(Default)]
pub(crate) struct TermCounts {
    pub counts: HashMap<String, u64>,
    pub tokens: u64,
}

/// Whether an indexed term counts as a word for keyness: no digits, three letters at least.
pub(crate) fn counts_as_word(term: &str) -> bool {
    !term.chars().any(|c| c.is_ascii_digit()) && term.chars().count() >= 3
}

/// Log-likelihood keyness (Rayson and Garside) of the subset's words against the reference's,
/// with the log-ratio effect size (Hardie); the `top` words over-represented in the subset.
pub(crate) fn keyness(
    subset: &TermCounts,
    reference: &TermCounts,
    top: usize,
    min_count: u64,
) -> Vec<Keyword> {
    let (c, d) = (subset.tokens.max(1) as f64, reference.tokens.max(1) as f64);
    let mut out: Vec<Keyword> = subset
        .counts
        .iter()
        .filter(|(_, &a)| a >= min_count)
        .filter_map(|(term, &a)| {
            let b = reference.counts.get(term).copied().unwrap_or(0);
            let (af, bf) = (a as f64, b as f64);
            if af / c <= bf / d {
                return None;
            }
            let e1 = c * (af + bf) / (c + d);
            let e2 = d * (af + bf) / (c + d);
            let part = |o: f64, e: f64| if o > 0.0 { o * (o / e).ln() } else { 0.0 };
            let g2 = 2.0 * (part(af, e1) + part(bf, e2));
            let ratio = ((af.max(0.5) / c) / (bf.max(0.5) / d)).log2();
            Some(Keyword {
                word: term.clone(),
                term: term.clone(),
                subset_count: a,
                reference_count: b,
                subset_per_10k: af * 10_000.0 / c,
                reference_per_10k: bf * 10_000.0 / d,
                log_likelihood: g2,
                log_ratio: ratio,
            })
        })
        .collect();
    out.sort_by(|x, y| {
        y.log_likelihood
            .total_cmp(&x.log_likelihood)
            .then(x.term.cmp(&y.term))
    });
    out.truncate(top);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, u64)], tokens: u64) -> TermCounts {
        let mut t = TermCounts {
            tokens,
            ..TermCounts::default()
        };
        for (w, n) in pairs {
            t.counts.insert(w.to_string(), *n);
        }
        t
    }

    #[test]
    fn log_likelihood_matches_a_worked_example() {
        // a = 30 of 10,000 words, b = 10 of 10,000: E1 = E2 = 20;
        // G² = 2 (30 ln 1.5 + 10 ln 0.5) = 10.464; log ratio = log₂ 3 = 1.585.
        let k = keyness(
            &counts(&[("vård", 30)], 10_000),
            &counts(&[("vård", 10)], 10_000),
            10,
            1,
        );
        assert_eq!(k.len(), 1);
        assert!(
            (k[0].log_likelihood - 10.464).abs() < 1e-3,
            "{}",
            k[0].log_likelihood
        );
        assert!((k[0].log_ratio - 3f64.log2()).abs() < 1e-9);
        // Under-represented words are not keywords of the subset.
        let none = keyness(
            &counts(&[("vård", 5)], 10_000),
            &counts(&[("vård", 10)], 10_000),
            10,
            1,
        );
        assert!(none.is_empty());
    }
}
