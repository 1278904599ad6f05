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

/// The [`SegmentLookup`]s of the segments in use, by segment id.
#[derive(Default)]
pub(crate) struct SegmentLookups {
    cache: Mutex<HashMap<SegmentId, Arc<SegmentLookup>>>,
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
}
