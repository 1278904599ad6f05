//! Reading files in parallel and adding their documents in path order.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};
use std::time::SystemTime;

use sokord_core::layout::generation_dir;

use crate::corpus::{
    hash_file, read_document, read_document_in_parts, reads_in_parts, walk, Document, Found,
    Manifest,
};
use crate::error::{Error, ReadError, Result};

use super::convert::*;
use super::generations::*;
use super::session::Writer;
use super::{FileNote, IndexOptions, IndexSummary, Progress};

pub(super) fn note(root: &Path, path: &Path, reason: impl Into<String>) -> FileNote {
    FileNote {
        path: path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string(),
        reason: reason.into(),
    }
}

/// What a reading thread made of a file.
pub(super) enum Outcome {
    /// The document, its passages' topics and the file's stamp before it was read.
    Read(Box<Document>, Vec<Analysed>, Option<Stamp>),
    /// A large file, left to be read in parts when its turn comes, and its stamp.
    Large(Option<Stamp>),
    /// Why it could not be read.
    Failed(ReadError),
}

/// The files sokord reads under a corpus (or the one file `only`, in it); what it passes over
/// goes into the summary.
pub(super) fn walk_files(
    corpus: &Path,
    only: Option<&Path>,
    index_dir: &Path,
    manifest: &Manifest,
    summary: &mut IndexSummary,
) -> Vec<Found> {
    if let Some(file) = only {
        let rel = file
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        return match crate::read::Format::from_path(file) {
            Some(format) => vec![Found::File {
                path: file.to_path_buf(),
                rel,
                format,
            }],
            None => {
                summary.skipped.push(note(
                    corpus,
                    file,
                    "not a format sokord reads (.txt, .md, .pdf, .html, .docx)",
                ));
                Vec::new()
            }
        };
    }
    let mut files = Vec::new();
    for found in walk(corpus, manifest, Some(index_dir)) {
        match found {
            Found::File { .. } => files.push(found),
            Found::Skipped { path, reason } => summary.skipped.push(note(corpus, &path, reason)),
        }
    }
    files
}

/// Writes the corpus's files into a new generation, and carries over from generation
/// `previous` (the index's current one, if any) the documents a program wrote, which no file
/// gives. Commits: the new generation becomes the index's current one.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_generation(
    corpus: &Path,
    only: Option<&Path>,
    index_dir: &Path,
    mut writer: Writer,
    previous: Option<u64>,
    manifest: &Manifest,
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<IndexSummary> {
    let mut summary = IndexSummary::default();
    let files = walk_files(corpus, only, index_dir, manifest, &mut summary);
    progress(Progress::Found(files.len()));
    summary.files_read = files.len();
    let mut seen = Seen::default();
    let records = add_files(
        &mut writer,
        corpus,
        &files,
        manifest,
        options,
        progress,
        &mut summary,
        &mut seen,
        false,
    )?;
    if let Some(old) = previous {
        carry_programs_documents(&mut writer, index_dir, old, &seen, &mut summary);
    }
    writer.files = records;
    progress(Progress::Committing);
    writer.finish()?;
    Ok(summary)
}

/// Copies the documents of generation `old` that no file of its list gave (a program wrote
/// them) into the new generation. A file that now gives the same id wins, and that is reported.
fn carry_programs_documents(
    writer: &mut Writer,
    index_dir: &Path,
    old: u64,
    seen: &Seen,
    summary: &mut IndexSummary,
) {
    let from_files: std::collections::HashSet<String> = match read_files(index_dir, old) {
        Ok(records) => records.into_iter().map(|r| r.doc_id).collect(),
        // Without the old file list nothing tells the documents of files from the others.
        Err(e) => {
            summary.warnings.push(FileNote {
                path: index_dir.display().to_string(),
                reason: format!(
                    "the old index's file list is unreadable ({e}): documents a program wrote \
                     into it, if any, were not carried over"
                ),
            });
            return;
        }
    };
    let clashes = std::cell::RefCell::new(Vec::new());
    let keep = |id: &str| {
        if from_files.contains(id) {
            return false;
        }
        if let Some(path) = seen.ids.get(id) {
            clashes.borrow_mut().push(FileNote {
                path: path.clone(),
                reason: format!(
                    "gives the id `{id}` of a document a program wrote into the index; the \
                     file's document replaces it"
                ),
            });
            return false;
        }
        true
    };
    match writer.carry_over(old, &keep) {
        Ok(n) => summary.carried = n,
        Err(e) => summary.warnings.push(FileNote {
            path: index_dir.display().to_string(),
            reason: format!(
                "the documents a program wrote into the index could not be carried over: {e}"
            ),
        }),
    }
    summary.warnings.extend(clashes.into_inner());
}

/// Updates the current generation in place: only files added, changed or removed since the last
/// run are touched. A file whose stamp (size, times, inode) is as recorded is unchanged; any
/// other is hashed, and read again only when its content hash differs. tantivy's commit is
/// atomic, and the file list is written after it: a run cut short leaves the last commit
/// searchable, and the next run redoes what the file list does not yet show (deleting a
/// document by id and adding it again is idempotent).
pub(super) fn update_index(
    corpus: &Path,
    only: Option<&Path>,
    index_dir: &Path,
    mut writer: Writer,
    manifest: &Manifest,
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<IndexSummary> {
    let mut summary = IndexSummary {
        incremental: true,
        ..IndexSummary::default()
    };
    let files = walk_files(corpus, only, index_dir, manifest, &mut summary);
    let indexed = std::mem::take(&mut writer.files);
    let mut known: HashMap<&str, &FileRecord> =
        indexed.iter().map(|r| (r.path.as_str(), r)).collect();
    let mut kept = Vec::new();
    let mut to_read = Vec::new();
    let mut stale_ids = Vec::new();
    // Records whose stamp is new (first kept, or the file touched but not changed): the file
    // list is written again even when nothing changed.
    let mut stamped = 0;
    for found in files {
        let Found::File { path, rel, .. } = &found else {
            continue;
        };
        let Some(r) = known.remove(rel.as_str()) else {
            summary.added_files.push(rel.clone());
            to_read.push(found);
            continue;
        };
        // Its size and time as recorded: unchanged without reading it, unless asked to read.
        let stamp = Stamp::now(path);
        if !options.check_contents && stamp.is_some() && stamp == r.stamp {
            kept.push(r.clone());
            continue;
        }
        if hash_file(path).is_ok_and(|hash| hash == r.hash) {
            stamped += usize::from(stamp.is_some() && stamp != r.stamp);
            kept.push(FileRecord { stamp, ..r.clone() });
        } else {
            stale_ids.push(r.doc_id.clone());
            summary.changed_files.push(rel.clone());
            to_read.push(found);
        }
    }
    // What is left of the records are files that are gone.
    summary.removed = known.len();
    summary.removed_files = known.keys().map(|p| p.to_string()).collect();
    summary.removed_files.sort();
    stale_ids.extend(known.values().map(|r| r.doc_id.clone()));
    summary.unchanged = kept.len();
    // A file indexed despite a problem still has it while it is unchanged.
    for r in &kept {
        for w in &r.warnings {
            summary.warnings.push(FileNote {
                path: r.path.clone(),
                reason: format!("{w} (unchanged since it was indexed)"),
            });
        }
    }
    summary.files_read = to_read.len();
    progress(Progress::Found(to_read.len()));
    remove_other_generations(index_dir, writer.meta.generation);
    if to_read.is_empty() && stale_ids.is_empty() {
        if stamped > 0 {
            // Only the stamps are new: the same files, hashes and ids, written atomically. The
            // index is whole without them, so a failure is a warning (the next run hashes).
            kept.sort_by(|a, b| a.path.cmp(&b.path));
            let dir = generation_dir(index_dir, writer.meta.generation);
            if let Err(e) = write_files_atomically(&dir, &kept) {
                summary.warnings.push(FileNote {
                    path: dir.join(FILES_FILE).display().to_string(),
                    reason: format!(
                        "the files' sizes and times were not recorded ({e}); the next run reads \
                         every file to compare it"
                    ),
                });
            }
        }
        return Ok(summary);
    }

    for id in &stale_ids {
        writer.delete_id(id);
    }
    let mut seen = Seen::default();
    for r in &kept {
        seen.by_hash.insert(r.hash.clone(), r.path.clone());
        seen.ids.insert(r.doc_id.clone(), r.path.clone());
    }
    let added = add_files(
        &mut writer,
        corpus,
        &to_read,
        manifest,
        options,
        progress,
        &mut summary,
        &mut seen,
        true,
    )?;
    let mut files = kept;
    files.extend(added);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    writer.set_files(files);
    progress(Progress::Committing);
    writer.finish()?;
    Ok(summary)
}

/// Content hashes and document ids already in the index, for duplicates and id clashes.
#[derive(Default)]
pub(super) struct Seen {
    by_hash: HashMap<String, String>,
    ids: HashMap<String, String>,
}

/// Where documents go once read: the writer, the run's summary and what was already seen.
pub(super) struct Sink<'a> {
    writer: &'a mut Writer,
    corpus: &'a Path,
    summary: &'a mut IndexSummary,
    seen: &'a mut Seen,
    records: Vec<FileRecord>,
    replace: bool,
    error: Option<Error>,
}

impl Sink<'_> {
    /// Admits a file's (first) document: a duplicate is reported and left out (`false`), a
    /// clashing id is renamed, warnings are reported; then its passages are added.
    fn admit(
        &mut self,
        path: &Path,
        rel: &str,
        mut doc: Document,
        analysed: Vec<Analysed>,
        stamp: Option<Stamp>,
    ) -> bool {
        if let Some(first) = self.seen.by_hash.get(&doc.hash) {
            self.summary.skipped.push(note(
                self.corpus,
                path,
                format!("the same content as {first}; indexed once"),
            ));
            return false;
        }
        if let Some(other) = self.seen.ids.get(&doc.meta.id) {
            let new_id = format!("{}-{}", doc.meta.id, &doc.hash[..8]);
            doc.warnings.push(format!(
                "id `{}` is also used by {other}; indexed as `{new_id}`",
                doc.meta.id
            ));
            doc.meta.id = new_id;
        }
        for w in &doc.warnings {
            self.summary
                .warnings
                .push(note(self.corpus, path, w.clone()));
        }
        self.seen.by_hash.insert(doc.hash.clone(), rel.to_string());
        self.seen.ids.insert(doc.meta.id.clone(), rel.to_string());
        if self.replace {
            // A run cut short after tantivy's commit but before the file list was written may
            // have added this document already: it is replaced, not doubled.
            self.writer.delete_id(&doc.meta.id);
        }
        self.summary.documents += 1;
        self.records.push(FileRecord {
            path: rel.to_string(),
            hash: doc.hash.clone(),
            doc_id: doc.meta.id.clone(),
            passages: 0,
            stamp,
            warnings: doc.warnings.clone(),
        });
        self.add_passages(&doc, analysed);
        true
    }

    /// Adds passages of the document admitted last.
    fn add_passages(&mut self, doc: &Document, analysed: Vec<Analysed>) {
        // Later parts of a large file carry the id it had before a clash renamed it.
        let id = self
            .records
            .last()
            .map_or(doc.meta.id.as_str(), |r| &r.doc_id);
        let id = id.to_string();
        if let Err(e) = self.writer.add_analysed(doc, &id, analysed) {
            self.error.get_or_insert(e);
        }
        self.summary.passages += doc.passages.len();
        if let Some(r) = self.records.last_mut() {
            r.passages += doc.passages.len() as u32;
        }
    }
}

/// How many files the reading threads may run ahead of the file added last: their results wait
/// (passages and analysed tokens) until the files before them are in, so one slow file (a large
/// PDF) must not let the others fill memory with the rest of the corpus.
const READ_AHEAD: usize = 256;

/// The reading threads' bound: a thread that took file `i` starts reading it only once the files
/// before `i - READ_AHEAD` are added. Closing it (done, or the adding thread unwinding) lets every
/// waiting thread go.
struct ReadAhead {
    state: Mutex<(usize, bool)>,
    moved: Condvar,
}

impl ReadAhead {
    fn new() -> ReadAhead {
        ReadAhead {
            state: Mutex::new((0, false)),
            moved: Condvar::new(),
        }
    }

    /// Waits until file `i` is within reach; false when closed.
    fn wait_for(&self, i: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while !state.1 && i >= state.0 + READ_AHEAD {
            state = self.moved.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        !state.1
    }

    /// Files before `added` are in.
    fn advance(&self, added: usize) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0 = added;
        self.moved.notify_all();
    }

    fn close(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).1 = true;
        self.moved.notify_all();
    }
}

/// Closes a [`ReadAhead`] when dropped: also when the adding thread panics, so that no reading
/// thread waits for ever.
struct CloseOnDrop<'a>(&'a ReadAhead);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Closes a [`ReadAhead`] when a reading thread panics: the file it held will never be added,
/// so the others must not wait for it (the panic then reaches the caller when the scope ends).
struct CloseOnPanic<'a>(&'a ReadAhead);

impl Drop for CloseOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.close();
        }
    }
}

/// Reads, tags and adds files to the index in parallel, in path order; returns their records.
/// Large text files are read in parts by the adding thread when their turn comes, so that memory
/// stays bounded.
#[allow(clippy::too_many_arguments)]
pub(super) fn add_files(
    writer: &mut Writer,
    corpus: &Path,
    files: &[Found],
    manifest: &Manifest,
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress),
    summary: &mut IndexSummary,
    seen: &mut Seen,
    replace: bool,
) -> Result<Vec<FileRecord>> {
    let threads = options.threads.clamp(1, 8);
    // One tokenizer, cloned for each thread: the clones share the words worked out.
    let (tagger, analyzer) = writer.analysis();
    let tagger = &*tagger;
    let next = AtomicUsize::new(0);
    let files_ref = files;
    let mut sink = Sink {
        writer,
        corpus,
        summary,
        seen,
        records: Vec::new(),
        replace,
        error: None,
    };

    let ahead = ReadAhead::new();
    std::thread::scope(|s| {
        let _close = CloseOnDrop(&ahead);
        let (tx, rx) = mpsc::sync_channel::<(usize, Outcome)>(64);
        for _ in 0..threads {
            let tx = tx.clone();
            let next = &next;
            let ahead = &ahead;
            let mut sv = analyzer.clone();
            s.spawn(move || {
                let _close = CloseOnPanic(ahead);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(Found::File { path, rel, format }) = files_ref.get(i) else {
                        break;
                    };
                    if !ahead.wait_for(i) {
                        break;
                    }
                    // Stamped before reading: a change made while it is read shows next time.
                    let meta = std::fs::metadata(path).ok();
                    let size = meta.as_ref().map_or(0, |m| m.len());
                    let stamp = meta.and_then(|m| Stamp::of(&m, SystemTime::now()));
                    let outcome = if reads_in_parts(*format, size) {
                        Outcome::Large(stamp)
                    } else {
                        match read_document(path, rel, *format, manifest) {
                            Ok(doc) => {
                                let analysed = analyse_passages(&doc, tagger, &mut sv);
                                Outcome::Read(Box::new(doc), analysed, stamp)
                            }
                            Err(e) => Outcome::Failed(e),
                        }
                    };
                    if tx.send((i, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Results arrive in any order; they are added in path order, so that which of two
        // duplicates is kept and which id is renamed does not depend on thread timing.
        let mut sv = analyzer.clone();
        let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
        let mut next_add = 0;
        for (done, (i, r)) in rx.into_iter().enumerate() {
            let Found::File { rel, .. } = &files_ref[i] else {
                unreachable!()
            };
            progress(Progress::Read {
                done: done + 1,
                path: rel.clone(),
            });
            pending.insert(i, r);
            while let Some(outcome) = pending.remove(&next_add) {
                let Found::File { path, rel, format } = &files_ref[next_add] else {
                    unreachable!()
                };
                next_add += 1;
                ahead.advance(next_add);
                match outcome {
                    Outcome::Read(doc, analysed, stamp) => {
                        sink.admit(path, rel, *doc, analysed, stamp);
                    }
                    Outcome::Failed(e) => {
                        sink.summary.skipped.push(note(corpus, path, e.to_string()));
                    }
                    Outcome::Large(stamp) => {
                        let mut first = true;
                        let r = read_document_in_parts(path, rel, *format, manifest, &mut |doc| {
                            let analysed = analyse_passages(&doc, tagger, &mut sv);
                            if std::mem::take(&mut first) {
                                sink.admit(path, rel, doc, analysed, stamp)
                            } else {
                                sink.add_passages(&doc, analysed);
                                true
                            }
                        });
                        if let Err(e) = r {
                            if first {
                                sink.summary.skipped.push(note(corpus, path, e.to_string()));
                            } else {
                                // Part of it is in: say that the rest is missing, and leave its
                                // record neither hash nor stamp, so that the next run reads it
                                // again (its content is unchanged, and would be taken as done).
                                sink.summary.warnings.push(note(
                                    corpus,
                                    path,
                                    format!("only partly indexed: {e}"),
                                ));
                                if let Some(r) = sink.records.last_mut().filter(|r| r.path == *rel)
                                {
                                    r.hash.clear();
                                    r.stamp = None;
                                }
                            }
                        }
                    }
                }
            }
        }
    });
    if let Some(e) = sink.error {
        return Err(e);
    }
    Ok(sink.records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::RecvTimeoutError;
    use std::time::Duration;

    /// A reading thread too far ahead of the files added waits until they catch up; closing
    /// lets it go without reading.
    #[test]
    fn reading_threads_wait_while_too_far_ahead() {
        let ahead = ReadAhead::new();
        assert!(ahead.wait_for(READ_AHEAD - 1), "within reach at once");
        std::thread::scope(|s| {
            let (tx, rx) = mpsc::channel();
            let tx2 = tx.clone();
            let ahead = &ahead;
            s.spawn(move || tx.send(("ahead", ahead.wait_for(READ_AHEAD + 3))).unwrap());
            s.spawn(move || tx2.send(("far", ahead.wait_for(10 * READ_AHEAD))).unwrap());
            let wait = Duration::from_millis(100);
            assert_eq!(rx.recv_timeout(wait), Err(RecvTimeoutError::Timeout));
            ahead.advance(3);
            assert_eq!(rx.recv_timeout(wait), Err(RecvTimeoutError::Timeout));
            ahead.advance(4);
            assert_eq!(
                rx.recv_timeout(Duration::from_secs(10)),
                Ok(("ahead", true))
            );
            assert_eq!(rx.recv_timeout(wait), Err(RecvTimeoutError::Timeout));
            ahead.close();
            assert_eq!(rx.recv_timeout(Duration::from_secs(10)), Ok(("far", false)));
        });
    }

    /// A reading thread that panics lets the others go: the file it held will never be added.
    #[test]
    fn a_reading_thread_that_panics_lets_the_others_go() {
        let ahead = ReadAhead::new();
        let (tx, rx) = mpsc::channel();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            std::thread::scope(|s| {
                let ahead = &ahead;
                s.spawn(move || tx.send(ahead.wait_for(10 * READ_AHEAD)).unwrap());
                s.spawn(move || {
                    let _close = CloseOnPanic(ahead);
                    std::thread::sleep(Duration::from_millis(50));
                    panic!("a reader's bug");
                });
            })
        }));
        assert!(result.is_err(), "the panic reaches the caller");
        assert_eq!(rx.recv_timeout(Duration::from_secs(10)), Ok(false));
        // Without a panic, dropping it closes nothing.
        let calm = ReadAhead::new();
        drop(CloseOnPanic(&calm));
        assert!(calm.wait_for(0));
    }
}
