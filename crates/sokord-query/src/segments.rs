//! What ranking reads per segment without touching the document store, cached per segment.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{DocId, SegmentReader};

use crate::error::Result;

/// What ranking reads for each hit of a segment without touching the document store: the
/// documents' ids by their term ordinal in the `doc_id` fast field, each passage's id ordinal
/// and its position in its document. Read once per segment (a dictionary lookup per hit costs
/// a block's decompression) and kept while the segment lives.
pub(crate) struct SegmentLookup {
    /// The ids one after another; `ends[o]` is where the id of ordinal `o` ends.
    ids: String,
    ends: Vec<u32>,
    id_ords: Option<Column<u64>>,
    ordinals: Option<Column<u64>>,
}

impl SegmentLookup {
    fn load(reader: &SegmentReader) -> Result<SegmentLookup> {
        let ff = reader.fast_fields();
        let mut ids = String::new();
        let mut ends = Vec::new();
        let mut id_ords = None;
        if let Some(col) = ff.str("doc_id")? {
            let dictionary = col.dictionary();
            ends.reserve(dictionary.num_terms());
            let mut terms = dictionary.stream().map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                ids.push_str(&String::from_utf8_lossy(terms.key()));
                ends.push(ids.len() as u32);
            }
            id_ords = Some(col.ords().clone());
        }
        Ok(SegmentLookup {
            ids,
            ends,
            id_ords,
            ordinals: ff.u64("ordinal").ok(),
        })
    }

    /// The term ordinal of a passage's document id.
    pub(crate) fn id_ord(&self, doc: DocId) -> Option<u64> {
        self.id_ords.as_ref()?.first(doc)
    }

    /// A passage's document id.
    pub(crate) fn doc_id(&self, doc: DocId) -> &str {
        self.id_ord(doc).map_or("", |o| self.id(o))
    }

    /// The id with term ordinal `ord`.
    pub(crate) fn id(&self, ord: u64) -> &str {
        let ord = ord as usize;
        let Some(&end) = self.ends.get(ord) else {
            return "";
        };
        let start = if ord == 0 { 0 } else { self.ends[ord - 1] };
        &self.ids[start as usize..end as usize]
    }

    /// A passage's position in its document.
    pub(crate) fn ordinal(&self, doc: DocId) -> u32 {
        self.ordinals
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(0) as u32
    }
}

/// Numbers for the documents of all segments in use, in document id order: a document whose
/// passages stand in several segments has one number, so that views count documents with
/// integers (no id text read or hashed per hit) and order them as by id.
pub(crate) struct DocNumbers {
    /// Per segment ordinal: the number of each term ordinal of its `doc_id` column.
    by_ord: Vec<Vec<u32>>,
    /// Per number: the segment ordinal and term ordinal of one of its occurrences.
    at: Vec<(u32, u32)>,
    lookups: Vec<Arc<SegmentLookup>>,
}

impl DocNumbers {
    fn build(lookups: Vec<Arc<SegmentLookup>>) -> DocNumbers {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let mut by_ord: Vec<Vec<u32>> = lookups.iter().map(|l| vec![0; l.ends.len()]).collect();
        let mut at = Vec::with_capacity(lookups.iter().map(|l| l.ends.len()).max().unwrap_or(0));
        // A merge of the segments' sorted id lists.
        let mut heap: BinaryHeap<Reverse<(&str, u32, u32)>> = lookups
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.ends.is_empty())
            .map(|(s, l)| Reverse((l.id(0), s as u32, 0)))
            .collect();
        let mut last: Option<&str> = None;
        while let Some(Reverse((id, s, o))) = heap.pop() {
            if last != Some(id) {
                at.push((s, o));
                last = Some(id);
            }
            by_ord[s as usize][o as usize] = (at.len() - 1) as u32;
            let next = o + 1;
            let l = &lookups[s as usize];
            if (next as usize) < l.ends.len() {
                heap.push(Reverse((l.id(u64::from(next)), s, next)));
            }
        }
        DocNumbers {
            by_ord,
            at,
            lookups,
        }
    }

    /// The number of the document of term ordinal `ord` in segment `segment`.
    pub(crate) fn number(&self, segment: u32, ord: u64) -> u32 {
        self.by_ord[segment as usize][ord as usize]
    }

    /// The id of document number `n`.
    pub(crate) fn id(&self, n: u32) -> &str {
        let (s, o) = self.at[n as usize];
        self.lookups[s as usize].id(u64::from(o))
    }
}

/// The [`SegmentLookup`]s of the segments in use, by segment id.
#[derive(Default)]
pub(crate) struct SegmentLookups {
    cache: Mutex<HashMap<SegmentId, Arc<SegmentLookup>>>,
    /// The document numbers of one set of segments.
    numbers: Mutex<Option<(Vec<SegmentId>, Arc<DocNumbers>)>>,
}

impl SegmentLookups {
    /// Each segment's lookup, by segment ordinal; read on first use and kept while the segment
    /// is in the index.
    pub(crate) fn of(&self, searcher: &tantivy::Searcher) -> Result<Vec<Arc<SegmentLookup>>> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        cache.retain(|id, _| live.contains(id));
        let mut out = Vec::with_capacity(live.len());
        for (reader, id) in searcher.segment_readers().iter().zip(live) {
            let lookup = match cache.get(&id) {
                Some(l) => l.clone(),
                None => {
                    let l = Arc::new(SegmentLookup::load(reader)?);
                    cache.insert(id, l.clone());
                    l
                }
            };
            out.push(lookup);
        }
        Ok(out)
    }

    /// The document numbers of the segments in use; made on first use and kept while the
    /// segments are the same.
    pub(crate) fn numbers(&self, searcher: &tantivy::Searcher) -> Result<Arc<DocNumbers>> {
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        if let Some((ids, n)) = &*self.numbers.lock().unwrap_or_else(|e| e.into_inner()) {
            if *ids == live {
                return Ok(n.clone());
            }
        }
        let numbers = Arc::new(DocNumbers::build(self.of(searcher)?));
        *self.numbers.lock().unwrap_or_else(|e| e.into_inner()) = Some((live, numbers.clone()));
        Ok(numbers)
    }
}
