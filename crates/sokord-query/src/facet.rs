//! Facet counts for a result set: how many matching passages (or documents, when grouping by
//! document) fall under each actor, party, type, year, topic and chapter.

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
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
/// The facets whose values are the passage's own (topics, chapter); the others are the
/// document's, the same on each of its passages.
const PASSAGE_LEVEL: [usize; 2] = [3, 4];
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
    counts: FxHashMap<(usize, u64), usize>,
    /// (document number, facet, value) packed by [`pair`].
    pairs: FxHashSet<u128>,
    /// When counting passages, or whole documents ([`DocNumbers::whole`]): per facet, each
    /// value's last document and its documents (or passages).
    runs: Option<Vec<Slots>>,
    /// Under a party table: each party label's slot, one per party today, and the slots' names.
    party_slots: Option<(Vec<u64>, Vec<String>)>,
    /// When counting whole documents: the document whose document-level values (all but topics
    /// and chapter, the same on each of its passages) were counted last.
    last: u32,
}

/// Per value of a facet: the last document that had it and how many documents (or passages,
/// when passages are counted) have it.
enum Slots {
    /// By term ordinal (or party slot), for dictionaries of up to [`DENSE`] values.
    Dense(Vec<(u32, u32)>),
    /// By value: years, and larger dictionaries.
    Sparse(FxHashMap<u64, (u32, u32)>),
}

/// The most values a facet is counted for in a table by ordinal.
const DENSE: usize = 1 << 14;

impl Slots {
    fn new(values: Option<usize>) -> Slots {
        match values {
            Some(n) if n <= DENSE => Slots::Dense(vec![(u32::MAX, 0); n]),
            _ => Slots::Sparse(FxHashMap::default()),
        }
    }

    /// Counts document `doc` under `value` unless the passage before that had it was `doc`'s
    /// (`None`: counts a passage).
    fn add(&mut self, value: u64, doc: Option<u32>) {
        let slot = match self {
            Slots::Dense(v) => match v.get_mut(value as usize) {
                Some(slot) => slot,
                None => return,
            },
            Slots::Sparse(m) => m.entry(value).or_insert((u32::MAX, 0)),
        };
        match doc {
            Some(doc) if slot.0 == doc => {}
            Some(doc) => *slot = (doc, slot.1 + 1),
            None => slot.1 += 1,
        }
    }

    /// The values counted, in order, with their documents.
    fn counted(&self) -> Vec<(u64, usize)> {
        let mut out: Vec<(u64, usize)> = match self {
            Slots::Dense(v) => v
                .iter()
                .enumerate()
                .filter(|(_, s)| s.1 > 0)
                .map(|(i, s)| (i as u64, s.1 as usize))
                .collect(),
            Slots::Sparse(m) => m.iter().map(|(&v, s)| (v, s.1 as usize)).collect(),
        };
        out.sort_unstable();
        out
    }
}

/// A document's (facet, value) as one integer.
fn pair(doc: u32, facet: usize, value: u64) -> u128 {
    (u128::from(doc) << 64) | ((facet as u128) << 60) | u128::from(value & ((1 << 60) - 1))
}

/// (facet, value) → count, or, when counting documents, the (facet, value)s of a segment and
/// the (index in them, document number) pairs it holds.
pub(crate) enum Fruit {
    Counts(HashMap<(usize, String), usize>),
    Pairs(Vec<(usize, String)>, Vec<(u32, u32)>),
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
        // Passages, and whole documents (counted from the passage before), are counted in
        // tables by value; documents otherwise by a set of (document, value) pairs.
        let tables = !self.by_doc || self.numbers.whole();
        let mut party_slots = None;
        if let (true, Some(table), Some(col)) = (tables, &self.parties, &columns[PARTY]) {
            let mut names: Vec<String> = Vec::new();
            let mut slots = Vec::new();
            let mut stream = col.dictionary().stream()?;
            while stream.advance() {
                let name = table
                    .current(&String::from_utf8_lossy(stream.key()))
                    .to_string();
                let slot = match names.iter().position(|n| *n == name) {
                    Some(at) => at,
                    None => {
                        names.push(name);
                        names.len() - 1
                    }
                };
                slots.push(slot as u64);
            }
            party_slots = Some((slots, names));
        }
        let runs = tables.then(|| {
            let mut runs: Vec<Slots> = columns
                .iter()
                .enumerate()
                .map(|(i, c)| match (&party_slots, i) {
                    (Some((_, names)), PARTY) => Slots::new(Some(names.len())),
                    _ => Slots::new(c.as_ref().map(|c| c.dictionary().num_terms())),
                })
                .collect();
            runs.push(Slots::new(None));
            runs
        });
        Ok(FacetsSegment {
            segment,
            numbers: self.numbers.clone(),
            by_doc: self.by_doc,
            parties: self.parties.clone(),
            columns,
            year: ff.u64("year").ok(),
            doc_id: ff.str("doc_id")?,
            counts: FxHashMap::default(),
            pairs: FxHashSet::default(),
            runs,
            party_slots,
            last: u32::MAX,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Fruit>) -> tantivy::Result<FacetCounts> {
        let mut totals: HashMap<(usize, String), usize> = HashMap::new();
        // Documents: each (facet, value) name once per document, across segments.
        let mut names: FxHashMap<(usize, String), u32> = FxHashMap::default();
        let mut pairs: FxHashSet<u64> = FxHashSet::default();
        for fruit in fruits {
            match fruit {
                Fruit::Counts(c) => {
                    for (k, n) in c {
                        *totals.entry(k).or_default() += n;
                    }
                }
                Fruit::Pairs(local, p) => {
                    let global: Vec<u32> = local
                        .into_iter()
                        .map(|k| {
                            let next = names.len() as u32;
                            *names.entry(k).or_insert(next)
                        })
                        .collect();
                    pairs.extend(
                        p.into_iter()
                            .map(|(n, d)| (u64::from(global[n as usize]) << 32) | u64::from(d)),
                    );
                }
            }
        }
        let mut per_name = vec![0usize; names.len()];
        for p in pairs {
            per_name[(p >> 32) as usize] += 1;
        }
        for (k, n) in names {
            if per_name[n as usize] > 0 {
                *totals.entry(k).or_default() += per_name[n as usize];
            }
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
        if let Some(runs) = &mut self.runs {
            let d = match self.by_doc {
                true => match self.doc_id.as_ref().and_then(|c| c.term_ords(doc).next()) {
                    Some(o) => Some(self.numbers.number(self.segment, o)),
                    None => return,
                },
                false => None,
            };
            // A document's other passages have the values of its first for document-level
            // facets: only their topics and chapter are read.
            let first = match d {
                Some(d) => std::mem::replace(&mut self.last, d) != d,
                None => true,
            };
            for (i, col) in self.columns.iter().enumerate() {
                if !first && !PASSAGE_LEVEL.contains(&i) {
                    continue;
                }
                if let Some(col) = col {
                    for ord in col.term_ords(doc) {
                        let value = match (&self.party_slots, i) {
                            (Some((slots, _)), PARTY) => slots[ord as usize],
                            _ => ord,
                        };
                        runs[i].add(value, d);
                    }
                }
            }
            if let Some(y) = self
                .year
                .as_ref()
                .and_then(|c| c.first(doc))
                .filter(|_| first)
            {
                runs[YEAR].add(y, d);
            }
            return;
        }
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
                self.pairs.insert(pair(d, facet, value));
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
        if let Some(runs) = &self.runs {
            // Passages, or whole documents (each in this segment only): the segments' counts
            // add up.
            let mut counts = HashMap::new();
            for (facet, slots) in runs.iter().enumerate() {
                let counted = slots.counted();
                let mut names: Vec<String> = Vec::with_capacity(counted.len());
                match (facet, &self.party_slots) {
                    (YEAR, _) => names.extend(counted.iter().map(|(v, _)| v.to_string())),
                    (PARTY, Some((_, slot_names))) => {
                        names.extend(counted.iter().map(|(v, _)| slot_names[*v as usize].clone()))
                    }
                    _ => {
                        if let Some(col) = &self.columns[facet] {
                            let ords: Vec<u64> = counted.iter().map(|(v, _)| *v).collect();
                            let _ = col.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                                names.push(String::from_utf8_lossy(bytes).into_owned());
                            });
                        }
                    }
                }
                for (name, (_, n)) in names.into_iter().zip(counted) {
                    counts.insert((facet, name), n);
                }
            }
            return Fruit::Counts(counts);
        }
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
            // Each (facet, value) named once; two values may share a name (FP and L as L).
            let mut local: FxHashMap<(usize, u64), u32> = FxHashMap::default();
            let mut named: FxHashMap<(usize, String), u32> = FxHashMap::default();
            let mut names = Vec::new();
            let mut pairs = Vec::with_capacity(self.pairs.len());
            for &p in &self.pairs {
                let (d, f, v) = (
                    (p >> 64) as u32,
                    ((p >> 60) & 0xf) as usize,
                    (p & ((1 << 60) - 1)) as u64,
                );
                let n = *local.entry((f, v)).or_insert_with(|| {
                    let key = (f, name(f, v));
                    *named.entry(key.clone()).or_insert_with(|| {
                        names.push(key);
                        names.len() as u32 - 1
                    })
                });
                pairs.push((n, d));
            }
            Fruit::Pairs(names, pairs)
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
