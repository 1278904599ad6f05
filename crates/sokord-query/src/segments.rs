//! What ranking reads per segment without touching the document store, cached per segment.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use sokord_core::docnumbers;

use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, SegmentReader};

use crate::error::Result;

/// What ranking reads for each hit of a segment without touching the document store: the
/// `doc_id` fast field (its ordinals follow id order; an id's text is read from its dictionary
/// when asked for, many at once in one pass), each passage's id ordinal and its position in its
/// document. Opened
/// once per segment and kept while the segment lives.
pub(crate) struct SegmentLookup {
    ids: Option<StrColumn>,
    ordinals: Option<Column<u64>>,
    /// How many ids have been asked for one at a time. Each is a dictionary block decoded up to
    /// the id (about 7 µs in the peer benchmark's profile, where the 11 ids of a query were 41%
    /// of 0.19 ms): a one-off command asks for a page of hits, but a process that
    /// searches again and again (`sokord serve`, a program) reads the whole dictionary once,
    /// into `table`, after [`TABLE_AFTER`] ids.
    asked: AtomicUsize,
    table: OnceLock<IdTable>,
}

/// The ids asked for one at a time, per segment, after which they are all read into memory.
const TABLE_AFTER: usize = 256;

/// A segment's ids in term order, end to end.
struct IdTable {
    text: String,
    ends: Vec<usize>,
}

impl IdTable {
    fn get(&self, ord: u64) -> Option<&str> {
        let ord = usize::try_from(ord).ok()?;
        let end = *self.ends.get(ord)?;
        let start = if ord == 0 { 0 } else { self.ends[ord - 1] };
        self.text.get(start..end)
    }
}

impl SegmentLookup {
    fn load(reader: &SegmentReader) -> Result<SegmentLookup> {
        let ff = reader.fast_fields();
        Ok(SegmentLookup {
            ids: ff.str("doc_id")?,
            ordinals: ff.u64("ordinal").ok(),
            asked: AtomicUsize::new(0),
            table: OnceLock::new(),
        })
    }

    /// Every id of the segment, read once (see `asked`).
    fn table(&self) -> Option<&IdTable> {
        let ids = self.ids.as_ref()?;
        Some(self.table.get_or_init(|| {
            let mut table = IdTable {
                text: String::new(),
                ends: Vec::with_capacity(ids.dictionary().num_terms()),
            };
            if let Ok(mut stream) = ids.dictionary().stream() {
                while stream.advance() {
                    table.text.push_str(&String::from_utf8_lossy(stream.key()));
                    table.ends.push(table.text.len());
                }
            }
            table
        }))
    }

    /// The term ordinal of a passage's document id.
    pub(crate) fn id_ord(&self, doc: DocId) -> Option<u64> {
        self.ids.as_ref()?.ords().first(doc)
    }

    /// A passage's document id.
    pub(crate) fn doc_id(&self, doc: DocId) -> String {
        self.id_ord(doc).map_or_else(String::new, |o| self.id(o))
    }

    /// The id with term ordinal `ord` (a dictionary block is read: meant for the hits shown, not
    /// for every hit).
    pub(crate) fn id(&self, ord: u64) -> String {
        if self.table.get().is_some() || self.asked.fetch_add(1, Ordering::Relaxed) >= TABLE_AFTER {
            if let Some(id) = self.table().and_then(|t| t.get(ord)) {
                return id.to_string();
            }
        }
        let mut out = String::new();
        if let Some(ids) = &self.ids {
            if !matches!(ids.ord_to_str(ord, &mut out), Ok(true)) {
                out.clear();
            }
        }
        out
    }

    /// The ids of term ordinals `ords` (sorted, each once), in one pass over the dictionary:
    /// `each` gets each ordinal's place in `ords` and its id.
    fn ids_of(&self, ords: &[u64], mut each: impl FnMut(usize, &str)) {
        if let Some(ids) = &self.ids {
            let mut at = 0;
            let _ = ids.dictionary().sorted_ords_to_term_cb(ords, |bytes| {
                each(at, &String::from_utf8_lossy(bytes));
                at += 1;
            });
        }
    }

    /// A passage's position in its document.
    pub(crate) fn ordinal(&self, doc: DocId) -> u32 {
        self.ordinals
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(0) as u32
    }
}

/// Numbers for the documents of all segments in use, in document id order (see
/// [`sokord_core::docnumbers`]): a document whose passages stand in several segments has one
/// number, so that views count documents with integers (no id text read or hashed per hit) and
/// order them as by id.
pub(crate) struct DocNumbers {
    /// Per segment ordinal: the number of each term ordinal of its `doc_id` column.
    by_ord: docnumbers::ByOrd,
    /// Per number: the segment ordinal and term ordinal of one of its occurrences.
    at: Vec<(u32, u32)>,
    /// Whether each document's live passages are known to stand together in one segment
    /// ([`docnumbers::whole`], as the indexing run wrote it).
    whole: bool,
    lookups: Vec<Arc<SegmentLookup>>,
}

impl DocNumbers {
    fn new(by_ord: docnumbers::ByOrd, whole: bool, lookups: Vec<Arc<SegmentLookup>>) -> DocNumbers {
        let count = by_ord
            .iter()
            .flat_map(|numbers| numbers.iter().max())
            .max()
            .map_or(0, |&n| n as usize + 1);
        let mut at = vec![(u32::MAX, 0); count];
        for (s, numbers) in by_ord.iter().enumerate() {
            for (o, &n) in numbers.iter().enumerate() {
                if at[n as usize].0 == u32::MAX {
                    at[n as usize] = (s as u32, o as u32);
                }
            }
        }
        DocNumbers {
            by_ord,
            at,
            whole,
            lookups,
        }
    }

    /// Whether each document's live passages are known to stand together in one segment, one
    /// after another: a document's passages are then told apart from the others' by the
    /// passage before.
    pub(crate) fn whole(&self) -> bool {
        self.whole
    }

    /// The number of the document of term ordinal `ord` in segment `segment`.
    pub(crate) fn number(&self, segment: u32, ord: u64) -> u32 {
        self.by_ord[segment as usize][ord as usize]
    }

    /// The id of document number `n` (a dictionary block is read: for a few documents; see
    /// [`DocNumbers::ids`] for many).
    pub(crate) fn id(&self, n: u32) -> String {
        let (s, o) = self.at[n as usize];
        self.lookups[s as usize].id(u64::from(o))
    }

    /// The ids of document numbers `numbers`, in their order: each segment's dictionary read
    /// once, in order.
    pub(crate) fn ids(&self, numbers: &[u32]) -> Vec<String> {
        let mut out = vec![String::new(); numbers.len()];
        // Per segment: (term ordinal, place in `numbers`).
        let mut wanted: Vec<Vec<(u64, usize)>> = vec![Vec::new(); self.lookups.len()];
        for (i, &n) in numbers.iter().enumerate() {
            let (s, o) = self.at[n as usize];
            wanted[s as usize].push((u64::from(o), i));
        }
        for (lookup, mut wanted) in self.lookups.iter().zip(wanted) {
            if wanted.is_empty() {
                continue;
            }
            wanted.sort_unstable();
            let mut ords: Vec<u64> = wanted.iter().map(|w| w.0).collect();
            ords.dedup();
            lookup.ids_of(&ords, |k, id| {
                let ord = ords[k];
                let first = wanted.partition_point(|w| w.0 < ord);
                for w in wanted[first..].iter().take_while(|w| w.0 == ord) {
                    out[w.1] = id.to_string();
                }
            });
        }
        out
    }
}

/// The [`SegmentLookup`]s of the segments in use, by segment id.
pub(crate) struct SegmentLookups {
    /// The generation's folder, where indexing leaves the document numbers.
    dir: PathBuf,
    cache: Mutex<HashMap<SegmentId, Arc<SegmentLookup>>>,
    /// The document numbers of one set of segments.
    numbers: Mutex<Option<(Vec<SegmentId>, Arc<DocNumbers>)>>,
}

impl SegmentLookups {
    /// The lookups of an index generation whose folder is `dir`.
    pub(crate) fn new(dir: PathBuf) -> SegmentLookups {
        SegmentLookups {
            dir,
            cache: Mutex::default(),
            numbers: Mutex::default(),
        }
    }

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
        // As the indexing run left them, unless the segments have changed since (or the file is
        // damaged: then they are made again, as for an index without them).
        // Built here, the numbers are not known to be of whole documents (finding out would
        // read every passage's id).
        let (by_ord, whole) = match docnumbers::read(&self.dir, searcher, "doc_id") {
            Ok(Some(read)) => read,
            Ok(None) | Err(_) => (docnumbers::build(searcher, "doc_id")?, false),
        };
        let numbers = Arc::new(DocNumbers::new(by_ord, whole, self.of(searcher)?));
        *self.numbers.lock().unwrap_or_else(|e| e.into_inner()) = Some((live, numbers.clone()));
        Ok(numbers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, FAST, STRING};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn ids_read_one_at_a_time_then_from_the_table_are_the_same() {
        let mut schema = Schema::builder();
        let field = schema.add_text_field("doc_id", STRING | FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Ids of several lengths, out of order.
        let ids: Vec<String> = (0..400)
            .map(|i| format!("doc-{}", (i * 7919) % 1000))
            .collect();
        for id in &ids {
            writer.add_document(doc!(field => id.as_str())).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let reader = &searcher.segment_readers()[0];
        let lookup = SegmentLookup::load(reader).unwrap();
        let column = reader.fast_fields().str("doc_id").unwrap().unwrap();
        let mut expected = Vec::new();
        for ord in 0..column.dictionary().num_terms() as u64 {
            let mut s = String::new();
            assert!(column.ord_to_str(ord, &mut s).unwrap());
            expected.push(s);
        }
        assert_eq!(expected.len(), 400);
        // Past TABLE_AFTER ids the table is read; every id is the same either way.
        for round in 0..2 {
            for (ord, id) in expected.iter().enumerate() {
                assert_eq!(lookup.id(ord as u64), *id, "round {round}, ord {ord}");
            }
        }
        assert!(lookup.table.get().is_some());
        // Each passage's id, through its ordinal.
        for (doc, id) in ids.iter().enumerate() {
            assert_eq!(lookup.doc_id(doc as u32), *id);
        }
        assert_eq!(lookup.id(400), "");
    }
}
