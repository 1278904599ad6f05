//! Facet counts for a result set: how many matching passages (or documents, when grouping by
//! document) fall under each actor, party, type, year, topic and chapter.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use sokord_core::parties::PartyTable;

use crate::segments::DocNumbers;

/// One value of a facet and how many hits have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FacetValue {
    /// The value (an actor's name, a party, a year …).
    pub value: String,
    /// How many matching passages (or documents) have it.
    pub count: usize,
}

/// Facet counts, each list largest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FacetCounts {
    /// By actor.
    pub actor: Vec<FacetValue>,
    /// By party.
    pub party: Vec<FacetValue>,
    /// By recipient (the minister an interpellation is addressed to).
    pub recipient: Vec<FacetValue>,
    /// By document type.
    #[serde(rename = "type")]
    pub doc_type: Vec<FacetValue>,
    /// By year.
    pub year: Vec<FacetValue>,
    /// By topic id.
    pub topic: Vec<FacetValue>,
    /// By top-level chapter ("3: Title", "Frågor").
    pub chapter: Vec<FacetValue>,
    /// By the topics of the passages' documents (from their titles and how strongly their
    /// passages have the topic).
    #[serde(default)]
    pub document_topic: Vec<FacetValue>,
}

/// The string fast fields counted, in the order of [`FacetCounts`]' string facets.
const STR_FACETS: [&str; 7] = [
    "actor",
    "party",
    "type",
    "topics",
    "chapter_label",
    "recipient",
    "doc_topics",
];
const YEAR: usize = 7;
const PARTY: usize = 1;

/// Counts facets over the matching documents; `by_doc` counts each document once per value.
pub(crate) struct Facets {
    pub by_doc: bool,
    /// Count parties by today's labels through this table; `None`: by the labels as written
    /// (`FP` apart from `L`).
    pub parties: Option<Arc<PartyTable>>,
    /// The documents' numbers (counting documents once across segments).
    pub numbers: Arc<DocNumbers>,
}

pub(crate) struct FacetsSegment {
    segment: SegmentOrdinal,
    numbers: Arc<DocNumbers>,
    by_doc: bool,
    parties: Option<Arc<PartyTable>>,
    columns: Vec<Option<StrColumn>>,
    year: Option<Column<u64>>,
    doc_id: Option<StrColumn>,
    counts: HashMap<(usize, u64), usize>,
    pairs: HashSet<(usize, u64, u32)>,
}

/// (facet, value) → count, or (facet, value, document id) when counting documents.
pub(crate) enum Fruit {
    Counts(HashMap<(usize, String), usize>),
    Pairs(HashSet<(usize, String, u32)>),
}

impl Collector for Facets {
    type Fruit = FacetCounts;
    type Child = FacetsSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetsSegment> {
        let ff = reader.fast_fields();
        let mut columns = Vec::new();
        for name in STR_FACETS {
            columns.push(ff.str(name)?);
        }
        Ok(FacetsSegment {
            segment,
            numbers: self.numbers.clone(),
            by_doc: self.by_doc,
            parties: self.parties.clone(),
            columns,
            year: ff.u64("year").ok(),
            doc_id: ff.str("doc_id")?,
            counts: HashMap::new(),
            pairs: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Fruit>) -> tantivy::Result<FacetCounts> {
        let mut totals: HashMap<(usize, String), usize> = HashMap::new();
        let mut pairs: HashSet<(usize, String, u32)> = HashSet::new();
        for fruit in fruits {
            match fruit {
                Fruit::Counts(c) => {
                    for (k, n) in c {
                        *totals.entry(k).or_default() += n;
                    }
                }
                Fruit::Pairs(p) => pairs.extend(p),
            }
        }
        for (facet, value, _) in pairs {
            *totals.entry((facet, value)).or_default() += 1;
        }
        let mut lists: Vec<Vec<FacetValue>> = vec![Vec::new(); STR_FACETS.len() + 1];
        for ((facet, value), count) in totals {
            lists[facet].push(FacetValue { value, count });
        }
        for l in &mut lists {
            l.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        }
        let mut it = lists.into_iter();
        let mut next = || it.next().unwrap_or_default();
        let (actor, party, doc_type, topic, chapter, recipient, document_topic, year) = (
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
        );
        Ok(FacetCounts {
            actor,
            party,
            recipient,
            doc_type,
            year,
            topic,
            chapter,
            document_topic,
        })
    }
}

impl SegmentCollector for FacetsSegment {
    type Fruit = Fruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        let doc_ord = if self.by_doc {
            self.doc_id
                .as_ref()
                .and_then(|c| c.term_ords(doc).next())
                .map(|o| self.numbers.number(self.segment, o))
        } else {
            None
        };
        let mut add = |facet: usize, value: u64| match doc_ord {
            Some(d) => {
                self.pairs.insert((facet, value, d));
            }
            None => *self.counts.entry((facet, value)).or_default() += 1,
        };
        for (i, col) in self.columns.iter().enumerate() {
            if let Some(col) = col {
                for ord in col.term_ords(doc) {
                    add(i, ord);
                }
            }
        }
        if let Some(y) = self.year.as_ref().and_then(|c| c.first(doc)) {
            add(YEAR, y);
        }
    }

    fn harvest(self) -> Fruit {
        let name = |facet: usize, v: u64| -> String {
            if facet == YEAR {
                return v.to_string();
            }
            let mut s = String::new();
            if let Some(col) = &self.columns[facet] {
                let _ = col.ord_to_str(v, &mut s);
            }
            if let Some(table) = self.parties.as_ref().filter(|_| facet == PARTY) {
                s = table.current(&s).to_string();
            }
            s
        };
        if self.by_doc {
            let pairs = self
                .pairs
                .iter()
                .map(|&(f, v, d)| (f, name(f, v), d))
                .collect();
            Fruit::Pairs(pairs)
        } else {
            // Two values may be counted under one name (FP and L as L): their counts add up.
            let mut counts = HashMap::new();
            for (&(f, v), &n) in &self.counts {
                *counts.entry((f, name(f, v))).or_default() += n;
            }
            Fruit::Counts(counts)
        }
    }
}
