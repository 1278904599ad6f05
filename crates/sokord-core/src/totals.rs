//! Term totals of the `lemma` field, written once when an indexing run ends: each lemma term's
//! occurrences over the index's live passages, most frequent first, with its term ordinal in
//! each segment, and the running words of all live passages.
//!
//! `keywords` against "the rest" reads them instead of decoding every term's postings twice: the
//! rest's count of a term is its total less the subset's, and no term need be looked at once its
//! total is too small to reach the best keywords found. They hold only for the segments (and
//! deletions) they were counted on: after a later commit (a program's in-place update)
//! [`TermTotals::segment_order`] says so and they are not used.
//!
//! The file (`lemma-totals.bin` in the generation's folder) is a header line, then unsigned
//! LEB128 numbers and byte strings: the segments (id, deleted passages), the words, then per
//! term its bytes, its total and, for each segment, where its postings are (tantivy's
//! `TermInfo`: documents, 0 where the segment lacks the term, then the postings' and positions'
//! byte ranges). Read from the front, as far as needed.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use tantivy::postings::TermInfo;
use tantivy::schema::{Field, IndexRecordOption};

use crate::error::{Error, Result};

/// The file's name in a generation's folder.
pub const FILE: &str = "lemma-totals.bin";

const MAGIC: &[u8] = b"sokord lemma totals 1\n";

/// The name of the party labels' counts in a generation's folder (see [`PartyTotals`]).
pub const PARTY_FILE: &str = "party-totals.bin";

const PARTY_MAGIC: &[u8] = b"sokord party totals 1\n";

/// Term totals as read from their file (see the [module](self)).
#[derive(Debug, Clone)]
pub struct TermTotals {
    /// The segments counted: id and deleted passages.
    segments: Vec<(String, u64)>,
    /// Running words of all live passages.
    words: u64,
    path: PathBuf,
    /// Where the terms start in the file.
    terms_at: u64,
}

fn put(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
fn get(data: &[u8], at: &mut usize) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *data.get(*at)?;
        *at += 1;
        n |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(n);
        }
    }
    None
}

/// Counts the totals of `field` over the live passages of `searcher`'s segments and writes them
/// to [`FILE`] in `dir` (atomically). `words` is the fast field of each passage's running words.
/// With `party` (an indexed field of one label per passage), each label's counts are written to
/// [`PARTY_FILE`] too (see [`PartyTotals`]); when some passage has several labels, none are.
pub fn write(
    dir: &Path,
    searcher: &tantivy::Searcher,
    field: Field,
    words: &str,
    party: Option<Field>,
) -> Result<()> {
    let segments = searcher.segment_readers();
    let n = segments.len();
    // Per term: its total, where its postings are in each segment, and its counts by label.
    type Counted = (u64, Vec<Option<TermInfo>>, Vec<(u32, u64)>);
    let mut terms: HashMap<Vec<u8>, Counted> = HashMap::new();
    let mut all_words = 0u64;
    // The party labels, their running words, and whether every passage has one at most.
    let mut labels: HashMap<Vec<u8>, u32> = HashMap::new();
    let mut label_words: Vec<u64> = Vec::new();
    let mut one_label = party.is_some();
    // The segments are counted on two threads, each segment's counts added here as it ends
    // (sums: the order does not matter).
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| -> Result<()> {
        let (send, receive) = std::sync::mpsc::sync_channel::<(usize, Result<SegmentCount>)>(1);
        for _ in 0..n.min(2) {
            let (send, next) = (send.clone(), &next);
            scope.spawn(move || loop {
                let s = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(reader) = segments.get(s) else {
                    return;
                };
                let counted = count_segment(reader, field, words, party);
                let failed = counted.is_err();
                if send.send((s, counted)).is_err() || failed {
                    return;
                }
            });
        }
        drop(send);
        for (s, counted) in receive {
            let counted = counted?;
            all_words += counted.words;
            one_label &= counted.one_label;
            // The segment's labels as numbered here.
            let global: Vec<u32> = counted
                .labels
                .iter()
                .zip(&counted.label_words)
                .map(|(name, &w)| {
                    let next = labels.len() as u32;
                    let label = *labels.entry(name.clone()).or_insert(next);
                    label_words.resize(labels.len(), 0);
                    label_words[label as usize] += w;
                    label
                })
                .collect();
            for (term, total, info, by) in counted.terms {
                let e = terms
                    .entry(term)
                    .or_insert_with(|| (0, vec![None; n], Vec::new()));
                e.0 += total;
                e.1[s] = Some(info);
                e.2.extend(by.into_iter().map(|(l, c)| (global[l as usize], c)));
            }
        }
        Ok(())
    })?;
    let mut sorted: Vec<(Vec<u8>, Counted)> = terms.into_iter().collect();
    sorted.sort_unstable_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(&b.0)));
    let mut head = Vec::new();
    put(&mut head, n as u64);
    for reader in segments {
        let id = reader.segment_id().uuid_string();
        put(&mut head, id.len() as u64);
        head.extend_from_slice(id.as_bytes());
        put(&mut head, u64::from(reader.num_deleted_docs()));
    }
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&head);
    put(&mut out, all_words);
    put(&mut out, sorted.len() as u64);
    for (term, (total, infos, _)) in &sorted {
        put(&mut out, term.len() as u64);
        out.extend_from_slice(term);
        put(&mut out, *total);
        for info in infos {
            match info {
                Some(i) if i.doc_freq > 0 => {
                    put(&mut out, u64::from(i.doc_freq));
                    put(&mut out, i.postings_range.start as u64);
                    put(&mut out, i.postings_range.len() as u64);
                    put(&mut out, i.positions_range.start as u64);
                    put(&mut out, i.positions_range.len() as u64);
                }
                _ => put(&mut out, 0),
            }
        }
    }
    crate::layout::write_atomically(dir, FILE, &out)?;
    if party.is_none() {
        return Ok(());
    }
    if !one_label {
        return match std::fs::remove_file(dir.join(PARTY_FILE)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(Error::io(dir.join(PARTY_FILE), e))
            }
            _ => Ok(()),
        };
    }
    // Each label's terms: (term, its count under the label, its total).
    let mut sections: Vec<Vec<u8>> = vec![Vec::new(); labels.len()];
    let mut counts: Vec<u64> = vec![0; labels.len()];
    for (term, (total, _, by)) in &sorted {
        for &(label, count) in by {
            counts[label as usize] += count;
        }
        for &(label, _) in by {
            let count = std::mem::take(&mut counts[label as usize]);
            if count == 0 {
                continue;
            }
            let section = &mut sections[label as usize];
            put(section, term.len() as u64);
            section.extend_from_slice(term);
            put(section, count);
            put(section, *total);
        }
    }
    let mut names: Vec<(&Vec<u8>, u32)> = labels.iter().map(|(k, &v)| (k, v)).collect();
    names.sort();
    let mut out = PARTY_MAGIC.to_vec();
    out.extend_from_slice(&head);
    put(&mut out, names.len() as u64);
    for (name, label) in names {
        let section = &sections[label as usize];
        put(&mut out, name.len() as u64);
        out.extend_from_slice(name);
        put(&mut out, label_words[label as usize]);
        put(&mut out, section.len() as u64);
        out.extend_from_slice(section);
    }
    crate::layout::write_atomically(dir, PARTY_FILE, &out)
}

/// No party label (see [`write()`]).
const NO_LABEL: u32 = u32::MAX;

/// What [`write()`] counts in one segment.
struct SegmentCount {
    /// Running words of its live passages.
    words: u64,
    /// Whether each of its passages has one party label at most.
    one_label: bool,
    /// Its party labels (numbered by their place here) and their passages' running words.
    labels: Vec<Vec<u8>>,
    label_words: Vec<u64>,
    /// Each term its live passages have: its occurrences there, where its postings are, and
    /// its occurrences by label.
    terms: Vec<SegmentTerm>,
}

/// A term of a segment: its bytes, its occurrences in live passages, where its postings are,
/// and its occurrences by label.
type SegmentTerm = (Vec<u8>, u64, TermInfo, Vec<(u32, u64)>);

/// Counts one segment for [`write()`]: the terms of `field` over its live passages, the words
/// of the fast field `words`, and with `party` the same by party label.
fn count_segment(
    reader: &tantivy::SegmentReader,
    field: Field,
    words: &str,
    party: Option<Field>,
) -> Result<SegmentCount> {
    let mut out = SegmentCount {
        words: 0,
        one_label: true,
        labels: Vec::new(),
        label_words: Vec::new(),
        terms: Vec::new(),
    };
    let alive = reader.alive_bitset();
    let is_alive = |doc: u32| alive.is_none_or(|a| a.is_alive(doc));
    let mut label_of: Vec<u32> = Vec::new();
    if let Some(party) = party {
        label_of = vec![NO_LABEL; reader.max_doc() as usize];
        let index = reader.inverted_index(party)?;
        let mut stream = index
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            let label = out.labels.len() as u32;
            out.labels.push(stream.key().to_vec());
            let mut block = index
                .read_block_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?;
            loop {
                let docs = block.docs();
                if docs.is_empty() {
                    break;
                }
                for &doc in docs {
                    let at = &mut label_of[doc as usize];
                    out.one_label &= *at == NO_LABEL;
                    *at = label;
                }
                block.advance();
            }
        }
        out.label_words = vec![0; out.labels.len()];
    }
    if let Ok(column) = reader.fast_fields().u64(words) {
        for doc in 0..reader.max_doc() {
            if is_alive(doc) {
                let w = column.first(doc).unwrap_or(0);
                out.words += w;
                if let Some(&label) = label_of.get(doc as usize).filter(|&&l| l != NO_LABEL) {
                    out.label_words[label as usize] += w;
                }
            }
        }
    }
    // Per label of the term being counted: its count (touched: the labels counted).
    let mut by_label: Vec<u64> = vec![0; out.labels.len()];
    let mut touched: Vec<u32> = Vec::new();
    let index = reader.inverted_index(field)?;
    let mut stream = index
        .terms()
        .stream()
        .map_err(tantivy::TantivyError::from)?;
    while stream.advance() {
        let mut block = index
            .read_block_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)
            .map_err(tantivy::TantivyError::from)?;
        let mut total = 0u64;
        loop {
            let docs = block.docs();
            if docs.is_empty() {
                break;
            }
            for (&doc, &tf) in docs.iter().zip(block.freqs()) {
                if is_alive(doc) {
                    total += u64::from(tf);
                    if let Some(&label) = label_of.get(doc as usize) {
                        if label != NO_LABEL {
                            let count = &mut by_label[label as usize];
                            if *count == 0 {
                                touched.push(label);
                            }
                            *count += u64::from(tf);
                        }
                    }
                }
            }
            block.advance();
        }
        if total == 0 {
            continue;
        }
        let by = touched
            .drain(..)
            .map(|label| (label, std::mem::take(&mut by_label[label as usize])))
            .collect();
        out.terms
            .push((stream.key().to_vec(), total, stream.value().clone(), by));
    }
    Ok(out)
}

/// Opens a totals file whose header line is `magic`, ready to read what follows: `None` when
/// there is none; an error when its header is another.
fn open(
    path: &Path,
    magic: &[u8],
    buffer: usize,
) -> Result<Option<Input<BufReader<std::fs::File>>>> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut input = Input::new(BufReader::with_capacity(buffer, file));
    let mut header = vec![0; magic.len()];
    match input.bytes_exact(&mut header) {
        Some(()) if header == magic => Ok(Some(input)),
        _ => Err(corrupt(path.to_path_buf(), "totals")),
    }
}

/// The error for a damaged totals file.
fn corrupt(path: PathBuf, what: &str) -> Error {
    Error::Corrupt {
        path,
        message: format!("the {what} are unreadable"),
    }
}

/// The segments a totals file was counted on: id and deleted passages.
fn read_segments<R: BufRead>(input: &mut Input<R>) -> Option<Vec<(String, u64)>> {
    let n = input.number()?;
    let mut segments = Vec::new();
    let mut id = Vec::new();
    for _ in 0..n {
        input.bytes(&mut id)?;
        segments.push((String::from_utf8(id.clone()).ok()?, input.number()?));
    }
    Some(segments)
}

/// For each segment counted, its ordinal in `searcher`; `None` when the searcher's segments or
/// their deletions are not those counted.
fn segment_order(counted: &[(String, u64)], searcher: &tantivy::Searcher) -> Option<Vec<usize>> {
    let readers = searcher.segment_readers();
    if readers.len() != counted.len() {
        return None;
    }
    counted
        .iter()
        .map(|(id, deleted)| {
            readers.iter().position(|r| {
                r.segment_id().uuid_string() == *id && u64::from(r.num_deleted_docs()) == *deleted
            })
        })
        .collect()
}

/// The lemma terms' counts by party label, written beside [`TermTotals`] (to [`PARTY_FILE`])
/// when an indexing run ends: `keywords` for a party against the rest, or against another
/// party, reads the parties' counts instead of the postings of every term. The file is a header
/// line and the segments counted (as in [`FILE`]); then per label (the `party` field's indexed term, in byte order): its bytes,
/// its passages' running words, and its section's length in bytes; the section holds each term
/// the label's passages have: its bytes, its count there and its total.
#[derive(Debug, Clone)]
pub struct PartyTotals {
    segments: Vec<(String, u64)>,
    path: PathBuf,
    /// Per label: its running words, and where its section is in the file (start, length).
    labels: HashMap<String, (u64, u64, u64)>,
}

/// A party's counts, from [`PartyTotals::counts`].
#[derive(Debug, Clone, Default)]
pub struct PartyCounts {
    /// The running words of the party's passages.
    pub words: u64,
    /// Per term: its count in the party's passages, and its total.
    pub terms: HashMap<String, (u64, u64)>,
}

impl PartyTotals {
    /// Reads the head of [`PARTY_FILE`] in `dir`: `None` when there is none; an error when it is
    /// damaged.
    pub fn read(dir: &Path) -> Result<Option<PartyTotals>> {
        let path = dir.join(PARTY_FILE);
        let Some(mut input) = open(&path, PARTY_MAGIC, 1 << 12)? else {
            return Ok(None);
        };
        let head = (|| {
            let segments = read_segments(&mut input)?;
            let mut labels = HashMap::new();
            let mut name = Vec::new();
            for _ in 0..input.number()? {
                input.bytes(&mut name)?;
                let words = input.number()?;
                let len = input.number()?;
                labels.insert(
                    String::from_utf8(name.clone()).ok()?,
                    (words, input.read, len),
                );
                input.reader.seek_relative(i64::try_from(len).ok()?).ok()?;
                input.read += len;
            }
            Some((segments, labels))
        })();
        let Some((segments, labels)) = head else {
            return Err(corrupt(path, "party totals"));
        };
        Ok(Some(PartyTotals {
            segments,
            path,
            labels,
        }))
    }

    /// Whether the totals were counted on `searcher`'s segments as they are.
    pub fn fits(&self, searcher: &tantivy::Searcher) -> bool {
        segment_order(&self.segments, searcher).is_some()
    }

    /// The counts of the passages that have any of `labels` (the `party` field's indexed terms);
    /// a label no passage has counts nothing. Terms counted fewer than `min_count` times may be
    /// left out.
    pub fn counts<'a>(
        &self,
        labels: impl IntoIterator<Item = &'a str>,
        min_count: u64,
    ) -> Result<PartyCounts> {
        let mut out = PartyCounts::default();
        let corrupt = || corrupt(self.path.clone(), "party totals");
        let mut sections: Vec<(u64, u64, u64)> = Vec::new();
        for label in labels {
            if let Some(&section) = self.labels.get(label) {
                if !sections.contains(&section) {
                    sections.push(section);
                }
            }
        }
        // With one label, a term's count there is its count: those too small are skipped
        // unread.
        let least = if sections.len() == 1 { min_count } else { 0 };
        for (words, start, len) in sections {
            out.words += words;
            let mut file = std::fs::File::open(&self.path).map_err(|e| Error::io(&self.path, e))?;
            file.seek(SeekFrom::Start(start))
                .map_err(|e| Error::io(&self.path, e))?;
            let mut input = Input::new(BufReader::with_capacity(1 << 16, file));
            let mut term = Vec::new();
            while input.read < len {
                let (count, total) = (|| {
                    input.bytes(&mut term)?;
                    Some((input.number()?, input.number()?))
                })()
                .ok_or_else(corrupt)?;
                if count < least {
                    continue;
                }
                let term = String::from_utf8(term.clone()).map_err(|_| corrupt())?;
                let e = out.terms.entry(term).or_insert((0, total));
                e.0 += count;
            }
        }
        Ok(out)
    }
}

impl TermTotals {
    /// Reads the head of [`FILE`] in `dir`: `None` when there is none (an index written before
    /// them, or by a program's commits only); an error when it is damaged.
    pub fn read(dir: &Path) -> Result<Option<TermTotals>> {
        let path = dir.join(FILE);
        let Some(mut input) = open(&path, MAGIC, 1 << 16)? else {
            return Ok(None);
        };
        let header = (|| {
            let segments = read_segments(&mut input)?;
            let words = input.number()?;
            input.number()?;
            Some((segments, words))
        })();
        let Some((segments, words)) = header else {
            return Err(corrupt(path, "term totals"));
        };
        Ok(Some(TermTotals {
            segments,
            words,
            terms_at: input.read,
            path,
        }))
    }

    /// Running words of all live passages.
    pub fn words(&self) -> u64 {
        self.words
    }

    /// For each segment of the file, its ordinal in `searcher`; `None` when the searcher's
    /// segments or their deletions are not those counted (the totals are stale).
    pub fn segment_order(&self, searcher: &tantivy::Searcher) -> Option<Vec<usize>> {
        segment_order(&self.segments, searcher)
    }

    /// The terms, most frequent first (then by their bytes), read from the file as they are
    /// asked for: `None` when the file is no longer the one read (an indexing run into the same
    /// generation has written totals for other segments since).
    pub fn terms(&self) -> Result<Option<Terms>> {
        let Some(mut input) = open(&self.path, MAGIC, 1 << 16)? else {
            return Ok(None);
        };
        if read_segments(&mut input).as_ref() != Some(&self.segments) {
            return Ok(None);
        }
        let mut file = input.reader.into_inner();
        file.seek(SeekFrom::Start(self.terms_at))
            .map_err(|e| Error::io(&self.path, e))?;
        Ok(Some(Terms {
            input: Input::new(BufReader::with_capacity(1 << 16, file)),
            segments: self.segments.len(),
        }))
    }
}

/// Numbers and byte strings read from a file.
#[derive(Debug)]
struct Input<R> {
    reader: R,
    /// Bytes read so far.
    read: u64,
}

impl<R: BufRead> Input<R> {
    fn new(reader: R) -> Self {
        Input { reader, read: 0 }
    }

    fn byte(&mut self) -> Option<u8> {
        let buf = self.reader.fill_buf().ok()?;
        let b = *buf.first()?;
        self.reader.consume(1);
        self.read += 1;
        Some(b)
    }

    fn number(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            n |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn bytes_exact(&mut self, out: &mut [u8]) -> Option<()> {
        self.reader.read_exact(out).ok()?;
        self.read += out.len() as u64;
        Some(())
    }

    fn bytes(&mut self, out: &mut Vec<u8>) -> Option<()> {
        let len = usize::try_from(self.number()?).ok()?;
        out.resize(len, 0);
        self.bytes_exact(out)
    }
}

/// A cursor over the terms of [`TermTotals`].
#[derive(Debug)]
pub struct Terms {
    input: Input<BufReader<std::fs::File>>,
    segments: usize,
}

impl Terms {
    /// The next term (into `term`) and its total; `infos` gets where its postings are in each
    /// segment of the file (`None` where the segment lacks it). `None` at the end (or where the
    /// file is cut short).
    pub fn next_term(
        &mut self,
        term: &mut Vec<u8>,
        infos: &mut Vec<Option<TermInfo>>,
    ) -> Option<u64> {
        let input = &mut self.input;
        input.bytes(term)?;
        let total = input.number()?;
        infos.clear();
        for _ in 0..self.segments {
            let doc_freq = input.number()?;
            if doc_freq == 0 {
                infos.push(None);
                continue;
            }
            let mut range = || -> Option<std::ops::Range<usize>> {
                let start = usize::try_from(input.number()?).ok()?;
                let len = usize::try_from(input.number()?).ok()?;
                Some(start..start.checked_add(len)?)
            };
            let postings_range = range()?;
            let positions_range = range()?;
            infos.push(Some(TermInfo {
                doc_freq: u32::try_from(doc_freq).ok()?,
                postings_range,
                positions_range,
            }));
        }
        Some(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_read_before_the_file_was_replaced_give_no_terms() {
        use tantivy::schema::{Schema, FAST, TEXT};
        use tantivy::{doc, Index, IndexWriter};
        let dir = std::env::temp_dir().join(format!("sokord-totals-swap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut schema = Schema::builder();
        let lemma = schema.add_text_field("lemma", TEXT);
        let words = schema.add_u64_field("words", FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let add = |writer: &mut IndexWriter, text: &str| {
            writer
                .add_document(doc!(lemma => text, words => text.split(' ').count() as u64))
                .unwrap();
            writer.commit().unwrap();
        };
        add(&mut writer, "vård vård omsorg");
        let first = index.reader().unwrap().searcher();
        write(&dir, &first, lemma, "words", None).unwrap();
        let before = TermTotals::read(&dir).unwrap().unwrap();
        let mut terms = before.terms().unwrap().expect("the file read");
        let (mut term, mut infos) = (Vec::new(), Vec::new());
        assert_eq!(terms.next_term(&mut term, &mut infos), Some(2));
        assert_eq!(term, "vård".as_bytes());
        // Another commit, and totals written for its segments in the same place.
        add(&mut writer, "omsorg omsorg omsorg");
        let second = index.reader().unwrap().searcher();
        write(&dir, &second, lemma, "words", None).unwrap();
        assert!(before.terms().unwrap().is_none());
        let after = TermTotals::read(&dir).unwrap().unwrap();
        let mut terms = after.terms().unwrap().expect("the new file");
        assert_eq!(terms.next_term(&mut term, &mut infos), Some(4));
        assert_eq!(term, b"omsorg");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_totals_file_is_none_and_a_damaged_one_an_error_naming_it() {
        let dir = std::env::temp_dir().join(format!("sokord-totals-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(TermTotals::read(&dir).unwrap().is_none());
        assert!(PartyTotals::read(&dir).unwrap().is_none());
        // Another file's header, then one cut short after its header.
        std::fs::write(dir.join(PARTY_FILE), MAGIC).unwrap();
        std::fs::write(dir.join(FILE), MAGIC).unwrap();
        let e = PartyTotals::read(&dir).unwrap_err().to_string();
        assert!(e.contains(PARTY_FILE), "{e}");
        let e = TermTotals::read(&dir).unwrap_err().to_string();
        assert!(e.contains(FILE) && e.contains("term totals"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn numbers_round_trip() {
        let mut out = Vec::new();
        let values = [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX];
        for v in values {
            put(&mut out, v);
        }
        let mut at = 0;
        for v in values {
            assert_eq!(get(&out, &mut at), Some(v));
        }
        assert_eq!(get(&out, &mut at), None);
    }
}
