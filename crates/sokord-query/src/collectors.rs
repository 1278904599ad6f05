//! Tantivy collectors of the searcher's own: hits grouped by document.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::segments::DocNumbers;

/// Per document number (see [`DocNumbers`]): the best passage's score, address and passage
/// number (of equal scores, the first passage's, wherever the segments put them) and the number
/// of matching passages.
pub(crate) type Groups = FxHashMap<u32, (Score, DocAddress, usize, u32)>;

/// Collects, per document, the best passage and the number of matching passages ([`Groups`]),
/// reading the document's number and the passage's position from fast fields.
pub(crate) struct DocGroups {
    pub(crate) numbers: Arc<DocNumbers>,
}

pub(crate) struct DocGroupsSegment {
    segment: SegmentOrdinal,
    numbers: Arc<DocNumbers>,
    id_ords: Option<Column<u64>>,
    ordinals: Option<Column<u64>>,
    best: FxHashMap<u32, (Score, DocId, usize, u32)>,
    /// The document of the passages collected last, and theirs: a document's passages mostly
    /// come one after another, so they go into `best` when another document's come.
    current: Option<(u32, (Score, DocId, usize, u32))>,
}

impl DocGroupsSegment {
    /// Puts the current document's passages into `best`.
    fn flush(&mut self) {
        if let Some((n, (score, doc, count, ordinal))) = self.current.take() {
            let e = self.best.entry(n).or_insert((score, doc, 0, ordinal));
            if better((score, ordinal), (e.0, e.3)) {
                (e.0, e.1, e.3) = (score, doc, ordinal);
            }
            e.2 += count;
        }
    }
}

impl Collector for DocGroups {
    type Fruit = Groups;
    type Child = DocGroupsSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<DocGroupsSegment> {
        let ff = reader.fast_fields();
        Ok(DocGroupsSegment {
            segment,
            numbers: self.numbers.clone(),
            id_ords: ff.str("doc_id")?.map(|c| c.ords().clone()),
            ordinals: ff.u64("ordinal").ok(),
            best: FxHashMap::default(),
            current: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut fruits = fruits.into_iter();
        let mut all = fruits.next().unwrap_or_default();
        for fruit in fruits {
            for (n, (score, addr, count, ordinal)) in fruit {
                let e = all.entry(n).or_insert((score, addr, 0, ordinal));
                if better((score, ordinal), (e.0, e.3)) {
                    (e.0, e.1, e.3) = (score, addr, ordinal);
                }
                e.2 += count;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for DocGroupsSegment {
    type Fruit = Groups;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(ord) = self.id_ords.as_ref().and_then(|c| c.first(doc)) else {
            return;
        };
        let n = self.numbers.number(self.segment, ord);
        let ordinal = self
            .ordinals
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(0) as u32;
        match &mut self.current {
            Some((current, e)) if *current == n => {
                if better((score, ordinal), (e.0, e.3)) {
                    (e.0, e.1, e.3) = (score, doc, ordinal);
                }
                e.2 += 1;
            }
            _ => {
                self.flush();
                self.current = Some((n, (score, doc, 1, ordinal)));
            }
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        self.flush();
        let segment = self.segment;
        self.best
            .into_iter()
            .map(|(n, (score, doc, count, ordinal))| {
                (n, (score, DocAddress::new(segment, doc), count, ordinal))
            })
            .collect()
    }
}

/// Whether a passage (score, passage number) is a better representative of its document than
/// another: a higher score, or an equal one earlier in the document.
fn better(a: (Score, u32), b: (Score, u32)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
}
