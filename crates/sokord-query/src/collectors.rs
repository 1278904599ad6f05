//! Tantivy collectors of the searcher's own: hits grouped by document.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::segments::SegmentLookup;

/// Collects, per document id, the best passage's score and address and the number of matching
/// passages.
pub(crate) struct DocGroups {
    /// Each segment's lookup, by segment ordinal.
    pub(crate) lookups: Vec<Arc<SegmentLookup>>,
}

pub(crate) struct DocGroupsSegment {
    segment: SegmentOrdinal,
    lookup: Arc<SegmentLookup>,
    best: HashMap<u64, (Score, DocId, usize)>,
}

impl Collector for DocGroups {
    type Fruit = HashMap<String, (Score, DocAddress, usize)>;
    type Child = DocGroupsSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<DocGroupsSegment> {
        Ok(DocGroupsSegment {
            segment,
            lookup: self.lookups[segment as usize].clone(),
            best: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all: Self::Fruit = HashMap::new();
        for fruit in fruits {
            for (id, (score, addr, n)) in fruit {
                let e = all.entry(id).or_insert((score, addr, 0));
                if score > e.0 {
                    e.0 = score;
                    e.1 = addr;
                }
                e.2 += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for DocGroupsSegment {
    type Fruit = HashMap<String, (Score, DocAddress, usize)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(ord) = self.lookup.id_ord(doc) {
            let e = self.best.entry(ord).or_insert((score, doc, 0));
            if score > e.0 {
                e.0 = score;
                e.1 = doc;
            }
            e.2 += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = HashMap::with_capacity(self.best.len());
        for (ord, (score, doc, n)) in self.best {
            out.insert(
                self.lookup.id(ord).to_string(),
                (score, DocAddress::new(self.segment, doc), n),
            );
        }
        out
    }
}
