//! Tantivy collectors of the searcher's own: hits grouped by document.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::segments::SegmentLookup;

/// Collects, per document id, the best passage's score, address and passage number (of equal
/// scores, the first passage's, wherever the segments put them) and the number of matching
/// passages.
pub(crate) struct DocGroups {
    /// Each segment's lookup, by segment ordinal.
    pub(crate) lookups: Vec<Arc<SegmentLookup>>,
}

pub(crate) struct DocGroupsSegment {
    segment: SegmentOrdinal,
    lookup: Arc<SegmentLookup>,
    best: HashMap<u64, (Score, DocId, usize, u32)>,
}

impl Collector for DocGroups {
    type Fruit = HashMap<String, (Score, DocAddress, usize, u32)>;
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
            for (id, (score, addr, n, ordinal)) in fruit {
                let e = all.entry(id).or_insert((score, addr, 0, ordinal));
                if better((score, ordinal), (e.0, e.3)) {
                    (e.0, e.1, e.3) = (score, addr, ordinal);
                }
                e.2 += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for DocGroupsSegment {
    type Fruit = HashMap<String, (Score, DocAddress, usize, u32)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(ord) = self.lookup.id_ord(doc) {
            let ordinal = self.lookup.ordinal(doc);
            let e = self.best.entry(ord).or_insert((score, doc, 0, ordinal));
            if better((score, ordinal), (e.0, e.3)) {
                (e.0, e.1, e.3) = (score, doc, ordinal);
            }
            e.2 += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = HashMap::with_capacity(self.best.len());
        for (ord, (score, doc, n, ordinal)) in self.best {
            out.insert(
                self.lookup.id(ord).to_string(),
                (score, DocAddress::new(self.segment, doc), n, ordinal),
            );
        }
        out
    }
}

/// Whether a passage (score, passage number) is a better representative of its document than
/// another: a higher score, or an equal one earlier in the document.
fn better(a: (Score, u32), b: (Score, u32)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
}
