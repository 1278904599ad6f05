//! Document numbers: one number per document id over all segments of an index, in id order, so
//! that views count and order documents with integers (a document's passages may stand in
//! several segments; no id text is read or hashed per hit).
//!
//! Numbering merges the segments' sorted `doc_id` dictionaries ([`build`]). At ten times the
//! interpellations that takes longer than a whole `count` otherwise does, so an indexing run
//! writes the numbers of the segments it leaves once, when it ends ([`write()`]), and a search
//! process reads them ([`read`]) unless the segments have changed since (a program's later
//! commit): then they are built again.
//!
//! The file also says whether every document's live passages stand together, one after
//! another in one segment ([`whole`]): views that count documents then need to tell documents
//! apart only from the passage before. (The writer adds a document's passages as one group,
//! which tantivy puts in one segment; merges keep a segment's order.)
//!
//! The file (`doc-numbers.bin` in the generation's folder) is a header line, then
//! little-endian `u32`s: whether the documents are whole (1) or not (0); the number of
//! segments; per segment its id's length, the id's bytes (padded to four), its dictionary's
//! size and the number of each of its terms, in term order. Deletions do not change a
//! segment's dictionary, so they leave the numbers valid; they delete a document's passages
//! together, so they leave whole documents whole. (Version 1 had no word for whole documents.)

use std::path::Path;

use crate::error::{Error, Result};

/// The file's name in a generation's folder.
pub const FILE: &str = "doc-numbers.bin";

const MAGIC: &[u8] = b"sokord doc numbers 2\n\0\0\0";
/// The first version's header: no word for whole documents.
const MAGIC_1: &[u8] = b"sokord doc numbers 1\n\0\0\0";

/// The document numbers of a searcher's segments: per segment ordinal, the number of each term
/// ordinal of its `doc_id` fast field.
pub type ByOrd = Vec<Vec<u32>>;

/// Numbers the documents of `searcher`'s segments from their `field` (a string fast field of
/// document ids), merging the sorted dictionaries as streams: no id is copied but where the
/// merge switches from one segment's run of ids to another's.
pub fn build(searcher: &tantivy::Searcher, field: &str) -> Result<ByOrd> {
    let mut columns = Vec::new();
    for reader in searcher.segment_readers() {
        columns.push(reader.fast_fields().str(field)?);
    }
    let mut by_ord: ByOrd = columns
        .iter()
        .map(|c| Vec::with_capacity(c.as_ref().map_or(0, |c| c.dictionary().num_terms())))
        .collect();
    let mut streams = Vec::new();
    for (s, column) in columns.iter().enumerate() {
        if let Some(column) = column {
            let mut stream = column
                .dictionary()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            if stream.advance() {
                streams.push((s, stream));
            }
        }
    }
    let mut next = 0u32;
    // The least id of the streams other than the one being run through.
    let mut bound: Vec<u8> = Vec::new();
    while !streams.is_empty() {
        // The stream with the least id, and whether another holds the same.
        let mut least = 0;
        let mut tie = false;
        for i in 1..streams.len() {
            match streams[i].1.key().cmp(streams[least].1.key()) {
                std::cmp::Ordering::Less => {
                    least = i;
                    tie = false;
                }
                std::cmp::Ordering::Equal => tie = true,
                std::cmp::Ordering::Greater => {}
            }
        }
        if tie {
            // One document in several segments: one number for all of them.
            let id = streams[least].1.key().to_vec();
            let mut i = 0;
            while i < streams.len() {
                let (s, stream) = &mut streams[i];
                if stream.key() == id.as_slice() {
                    by_ord[*s].push(next);
                    if !stream.advance() {
                        streams.swap_remove(i);
                        continue;
                    }
                }
                i += 1;
            }
            next += 1;
            continue;
        }
        // A run through the least stream while its ids stay below every other's.
        bound.clear();
        let bounded = streams
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != least)
            .map(|(_, (_, st))| st.key())
            .min()
            .map(|k| bound.extend_from_slice(k))
            .is_some();
        let (s, stream) = &mut streams[least];
        let mut live = true;
        loop {
            by_ord[*s].push(next);
            next += 1;
            if !stream.advance() {
                live = false;
                break;
            }
            if bounded && stream.key() >= bound.as_slice() {
                break;
            }
        }
        if !live {
            streams.swap_remove(least);
        }
    }
    Ok(by_ord)
}

/// Whether every document's live passages in `searcher` stand together: in one segment, with
/// no other document's live passage between them (`by_ord` as [`build`] numbers them). Reads
/// every live passage's id ordinal once.
pub fn whole(searcher: &tantivy::Searcher, field: &str, by_ord: &ByOrd) -> Result<bool> {
    let count = by_ord.iter().flatten().max().map_or(0, |&n| n as usize + 1);
    // Per document number: whether a run of its passages has been seen.
    let mut seen = vec![false; count];
    for (reader, numbers) in searcher.segment_readers().iter().zip(by_ord) {
        let Some(column) = reader.fast_fields().str(field)? else {
            continue;
        };
        let mut last = u32::MAX;
        for doc in reader.doc_ids_alive() {
            let Some(ord) = column.term_ords(doc).next() else {
                continue;
            };
            let Some(&n) = numbers.get(ord as usize) else {
                return Ok(false);
            };
            if n != last {
                if std::mem::replace(&mut seen[n as usize], true) {
                    return Ok(false);
                }
                last = n;
            }
        }
    }
    Ok(true)
}

/// Numbers the documents of `searcher`'s segments (see [`build`]) and writes them to [`FILE`] in
/// `dir` (atomically), with whether the documents are [`whole`].
pub fn write(dir: &Path, searcher: &tantivy::Searcher, field: &str) -> Result<()> {
    let by_ord = build(searcher, field)?;
    let mut out = MAGIC.to_vec();
    let put = |out: &mut Vec<u8>, n: usize| out.extend_from_slice(&(n as u32).to_le_bytes());
    put(&mut out, usize::from(whole(searcher, field, &by_ord)?));
    put(&mut out, by_ord.len());
    for (reader, numbers) in searcher.segment_readers().iter().zip(&by_ord) {
        let id = reader.segment_id().uuid_string();
        put(&mut out, id.len());
        out.extend_from_slice(id.as_bytes());
        out.resize(out.len().next_multiple_of(4), 0);
        put(&mut out, numbers.len());
        for &n in numbers {
            out.extend_from_slice(&n.to_le_bytes());
        }
    }
    crate::layout::write_atomically(dir, FILE, &out)
}

/// The numbers [`write()`] left in `dir`, by `searcher`'s segment ordinals (`field` as given to
/// [`write()`]), and whether the documents are [`whole`] (false in a first-version file):
/// `None` when there are none, or they were written for other segments (the index has changed
/// since); an error when the file is damaged.
pub fn read(
    dir: &Path,
    searcher: &tantivy::Searcher,
    field: &str,
) -> Result<Option<(ByOrd, bool)>> {
    let path = dir.join(FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let corrupt = || Error::Corrupt {
        path: path.clone(),
        message: "the document numbers are unreadable".into(),
    };
    let first = bytes.starts_with(MAGIC_1);
    if !bytes.starts_with(MAGIC) && !first {
        return Err(corrupt());
    }
    let mut at = MAGIC.len();
    let mut word = || -> Option<u32> {
        let w = bytes.get(at..at + 4)?;
        at += 4;
        Some(u32::from_le_bytes(w.try_into().ok()?))
    };
    let whole = match first {
        true => false,
        false => match word() {
            Some(0) => false,
            Some(1) => true,
            _ => return Err(corrupt()),
        },
    };
    let readers = searcher.segment_readers();
    let n = word().ok_or_else(corrupt)? as usize;
    if n != readers.len() {
        return Ok(None);
    }
    let mut by_ord: Vec<Option<Vec<u32>>> = vec![None; n];
    for _ in 0..n {
        let len = word().ok_or_else(corrupt)? as usize;
        if len > 256 {
            return Err(corrupt());
        }
        // The id's bytes, then padding to four: read as words.
        let mut id = Vec::with_capacity(len.next_multiple_of(4));
        for _ in 0..len.div_ceil(4) {
            id.extend_from_slice(&word().ok_or_else(corrupt)?.to_le_bytes());
        }
        id.truncate(len);
        let count = word().ok_or_else(corrupt)? as usize;
        let Some(s) = readers
            .iter()
            .position(|r| r.segment_id().uuid_string().as_bytes() == id.as_slice())
        else {
            return Ok(None);
        };
        // One number per id of the segment's dictionary, and no more than the file holds.
        let ids = readers[s]
            .fast_fields()
            .str(field)?
            .map_or(0, |c| c.dictionary().num_terms());
        if count != ids || count > bytes.len() / 4 {
            return Err(corrupt());
        }
        let mut numbers = Vec::with_capacity(count);
        for _ in 0..count {
            numbers.push(word().ok_or_else(corrupt)?);
        }
        by_ord[s] = Some(numbers);
    }
    Ok(by_ord
        .into_iter()
        .collect::<Option<ByOrd>>()
        .map(|by_ord| (by_ord, whole)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use tantivy::schema::{Schema, FAST, STRING};
    use tantivy::{doc, Index, IndexWriter};

    /// An index whose segments hold these ids (one segment per list), some ids in several.
    fn index(segments: &[&[&str]]) -> (Index, tantivy::Searcher) {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("doc_id", STRING | FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for ids in segments {
            for i in *ids {
                writer.add_document(doc!(id => *i)).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), segments.len());
        (index, searcher)
    }

    /// The numbers as a plain sort of all ids gives them.
    fn expected(searcher: &tantivy::Searcher) -> ByOrd {
        let mut per_segment = Vec::new();
        for reader in searcher.segment_readers() {
            let column = reader.fast_fields().str("doc_id").unwrap().unwrap();
            let mut ids = Vec::new();
            let mut stream = column.dictionary().stream().unwrap();
            while stream.advance() {
                ids.push(stream.key().to_vec());
            }
            per_segment.push(ids);
        }
        let all: BTreeSet<&Vec<u8>> = per_segment.iter().flatten().collect();
        let rank = |id: &Vec<u8>| all.iter().position(|x| *x == id).unwrap() as u32;
        per_segment
            .iter()
            .map(|ids| ids.iter().map(rank).collect())
            .collect()
    }

    #[test]
    fn documents_are_numbered_in_id_order_once_over_all_segments() {
        let (_index, searcher) = index(&[
            &["b", "d", "e", "f", "x"],
            &["a", "c", "d", "g", "h", "i", "z"],
            &["d", "e", "j", "k", "y"],
            &["zz"],
        ]);
        let by_ord = build(&searcher, "doc_id").unwrap();
        assert_eq!(by_ord, expected(&searcher));
        // `d` is in three segments, `e` in two: one number each.
        let numbers: BTreeSet<u32> = by_ord.iter().flatten().copied().collect();
        assert_eq!(numbers.len(), 15);
        assert_eq!(*numbers.last().unwrap(), 14);
    }

    #[test]
    fn documents_are_whole_when_their_live_passages_stand_together_in_one_segment() {
        let is_whole = |segments: &[&[&str]]| {
            let (_index, searcher) = index(segments);
            whole(&searcher, "doc_id", &build(&searcher, "doc_id").unwrap()).unwrap()
        };
        assert!(is_whole(&[
            &["a", "a", "b", "c", "c", "c"],
            &["d", "e", "e"]
        ]));
        // Another document's passage between two of one document's.
        assert!(!is_whole(&[&["a", "b", "a"]]));
        // One document in two segments.
        assert!(!is_whole(&[&["a", "b"], &["c", "a"]]));
        // Deleting the document from one of them makes it whole again.
        let (index, _) = index(&[&["a", "b"], &["c", "a", "a"]]);
        let field = index.schema().get_field("doc_id").unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        writer.add_document(doc!(field => "f")).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let by_ord = build(&searcher, "doc_id").unwrap();
        assert!(!whole(&searcher, "doc_id", &by_ord).unwrap());
        writer.delete_term(tantivy::Term::from_field_text(field, "a"));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(whole(&searcher, "doc_id", &build(&searcher, "doc_id").unwrap()).unwrap());
    }

    #[test]
    fn the_numbers_written_are_read_for_the_same_segments_only() {
        let dir = std::env::temp_dir().join(format!("sokord-docnumbers-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(read(&dir, &index(&[&["a"]]).1, "doc_id").unwrap().is_none());
        let (index_a, searcher) = index(&[&["b", "c"], &["a", "c", "d"]]);
        write(&dir, &searcher, "doc_id").unwrap();
        // Each document in one segment only but `c`, in both.
        assert_eq!(
            read(&dir, &searcher, "doc_id").unwrap(),
            Some((expected(&searcher), false))
        );
        // Another commit: other segments, so the numbers are not theirs.
        let mut writer: IndexWriter = index_a.writer_with_num_threads(1, 15_000_000).unwrap();
        let field = index_a.schema().get_field("doc_id").unwrap();
        writer.add_document(doc!(field => "e")).unwrap();
        writer.commit().unwrap();
        let later = index_a.reader().unwrap().searcher();
        assert_eq!(read(&dir, &later, "doc_id").unwrap(), None);
        // A file whose count does not fit its segment's ids is damaged too.
        let mut bytes = std::fs::read(dir.join(FILE)).unwrap();
        // The last segment's count: of three ids, or of two.
        let count_at = [3usize, 2]
            .into_iter()
            .map(|ids| bytes.len() - 4 * (1 + ids))
            .find(|&at| bytes[at..at + 4] == [3, 0, 0, 0] || bytes[at..at + 4] == [2, 0, 0, 0])
            .unwrap();
        bytes[count_at] -= 1;
        std::fs::write(dir.join(FILE), &bytes).unwrap();
        assert!(read(&dir, &searcher, "doc_id").is_err());
        // A damaged file is an error that names it.
        std::fs::write(dir.join(FILE), b"sokord doc numbers 2\n\0\0\0\x05").unwrap();
        let e = read(&dir, &searcher, "doc_id").unwrap_err().to_string();
        assert!(e.contains(FILE), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
