//! Building an index from a corpus folder, and opening one.
//!
//! On disk an index is a folder:
//!
//! ```text
//! <index>/sokord.json   what the index holds: schema version, generation, corpus, taxonomy
//! <index>/gen-<N>/      the tantivy index of generation N, and files.json: the files it holds
//!                       (read only by indexing runs, so that opening an index to search is quick)
//! <index>/lock          present while an indexing run writes
//! ```
//!
//! A run writes a new generation beside the current one and switches `sokord.json` to it with an
//! atomic rename only after tantivy has committed. A run that fails or is killed leaves the last
//! good generation searchable; its half-written folder is removed by the next run.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::Token;
use tantivy::{DateTime, Index, TantivyDocument};

use crate::corpus::{
    hash_file, read_document, read_document_in_parts, reads_in_parts, walk, Document, Found,
    Manifest,
};
use crate::error::{Error, ReadError, Result};
use crate::relay::Relay;
use crate::topics::Tagger;
use sokord_core::analyzers::{self as analysis, Profile, SwedishTokenizer};
use sokord_core::date::Day;
use sokord_core::layout::{
    generation_dir, open_generation, read_meta, write_atomically, IndexMeta, META_FILE,
};
use sokord_core::schema::{self, chapter_keys, Fields, SCHEMA_VERSION};
use sokord_core::topics::{DEFAULT_TOPICS, TOPICS};
use sokord_core::Taxonomy;

/// One indexed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Path relative to the corpus root.
    pub path: String,
    /// BLAKE3 hash of its bytes.
    pub hash: String,
    /// The document id it was indexed as.
    pub doc_id: String,
    /// How many passages it gave.
    pub passages: u32,
}

/// The file in a generation's folder that lists the files it holds.
const FILES_FILE: &str = "files.json";

/// The files an index holds, with their content hashes and document ids.
pub fn indexed_files(dir: &Path) -> Result<Vec<FileRecord>> {
    read_files(dir, read_meta(dir)?.generation)
}

/// The file list of generation `generation` of the index in `dir`.
fn read_files(dir: &Path, generation: u64) -> Result<Vec<FileRecord>> {
    let path = generation_dir(dir, generation).join(FILES_FILE);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Corrupt {
        path: dir.to_path_buf(),
        message: format!("{}: {e}", path.display()),
    })
}

/// Writes a generation's file list: to a temporary file, then renamed over the old one.
fn write_files_atomically(gen_dir: &Path, files: &[FileRecord]) -> Result<()> {
    let json = serde_json::to_vec(files).expect("file records serialise");
    write_atomically(gen_dir, FILES_FILE, &json)
}

/// A file passed over or read with a problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileNote {
    /// The file's path (relative to the corpus when it is inside it).
    pub path: String,
    /// What happened.
    pub reason: String,
}

/// The outcome of an indexing run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IndexSummary {
    /// The index folder written.
    pub index: PathBuf,
    /// Files found that sokord reads.
    pub files_read: usize,
    /// Documents indexed.
    pub documents: usize,
    /// Passages indexed.
    pub passages: usize,
    /// Files not indexed, with the reason.
    pub skipped: Vec<FileNote>,
    /// Files indexed despite a problem, with the problem.
    pub warnings: Vec<FileNote>,
    /// Files left as they were indexed (an incremental run).
    pub unchanged: usize,
    /// Documents removed because their files are gone (an incremental run).
    pub removed: usize,
    /// Whether the run updated the index in place (only changed files) rather than rebuilding.
    pub incremental: bool,
    /// Wall time in milliseconds.
    pub elapsed_ms: u64,
}

/// Progress reports of an indexing run, for a progress bar.
#[derive(Debug, Clone)]
pub enum Progress {
    /// The corpus was walked: this many files will be read.
    Found(usize),
    /// One more file was read.
    Read {
        /// Files read so far.
        done: usize,
        /// Relative path of the file.
        path: String,
    },
    /// All files are read; the index is being committed.
    Committing,
}

/// Options of an indexing run.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// A taxonomy file to use instead of the corpus's `topics.toml` (or the bundled one).
    pub topics: Option<PathBuf>,
    /// Threads reading and analysing files. By default, the number of cores.
    pub threads: usize,
    /// tantivy's indexing memory budget in bytes (shared by its threads). By default, 256 MB.
    pub memory_budget: usize,
    /// The analysis of the text fields. By default, sokord's full Swedish analysis.
    pub analysis: Profile,
    /// Rebuild the whole index even when only some files changed. By default, off: a run
    /// re-indexes only the files added, changed or removed since the last one.
    pub rebuild: bool,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            topics: None,
            threads: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .min(8),
            memory_budget: 256 << 20,
            analysis: Profile::Full,
            rebuild: false,
        }
    }
}

/// Holds the index's lock file while a run writes; removes it when dropped.
struct Lock(PathBuf);

impl Lock {
    fn take(dir: &Path) -> Result<Lock> {
        let path = dir.join("lock");
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(Lock(path));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    // A lock left by a run that died is stale: its process is gone.
                    let pid = std::fs::read_to_string(&path).unwrap_or_default();
                    let alive = pid
                        .trim()
                        .parse::<u32>()
                        .is_ok_and(|p| Path::new(&format!("/proc/{p}")).exists());
                    if alive || !Path::new("/proc/self").exists() {
                        return Err(Error::Locked {
                            path: dir.to_path_buf(),
                        });
                    }
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        Err(Error::Locked {
            path: dir.to_path_buf(),
        })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Loads the taxonomy for a corpus: the option's file, else the corpus's `topics.toml`, else the
/// bundled one.
pub fn load_taxonomy(corpus: &Path, topics: Option<&Path>) -> Result<Taxonomy> {
    if let Some(p) = topics {
        return Taxonomy::load(p);
    }
    let own = corpus.join(TOPICS);
    if own.is_file() {
        return Taxonomy::load(&own);
    }
    Ok(Taxonomy::parse(DEFAULT_TOPICS).expect("the bundled taxonomy is valid"))
}

fn date_value(date: &str) -> Option<(DateTime, u64)> {
    let day = Day::parse(date).ok()?;
    Some((day.to_tantivy(), day.year() as u64))
}

/// What analysing a passage once gives: the topics it matches, its terms for the `body` field
/// (what the `sv` analyzer gives), its lemma terms for the `lemma` field (each word's whole
/// term, without compound parts: what the `sv_query` analyzer gives) and its exact forms for the
/// `exact` field (what `sv_exact` gives). The analysis runs in the reading threads, in one pass,
/// instead of once per field in tantivy's indexing threads.
struct Analysed {
    topics: Vec<String>,
    terms: Vec<Token>,
    lemmas: Vec<Token>,
    exact: Vec<Token>,
}

/// Analyses each passage of a document once, for topic tagging and the `body`, `exact` and
/// `lemma` fields.
fn analyse_passages(
    doc: &Document,
    tagger: &Tagger,
    analyzer: &mut SwedishTokenizer,
) -> Vec<Analysed> {
    doc.passages
        .iter()
        .map(|p| {
            let mut exact = Vec::new();
            let tokens = analyzer.analyse_with_exact(&p.text, &mut exact);
            let topics = tagger.tag_tokens(&tokens);
            // A compound's parts follow its whole term at the same position: keep the first.
            let mut last = usize::MAX;
            let lemmas = tokens
                .iter()
                .filter(|t| std::mem::replace(&mut last, t.position) != t.position)
                .cloned()
                .collect();
            Analysed {
                topics,
                terms: tokens,
                lemmas,
                exact,
            }
        })
        .collect()
}

/// Turns a document into tantivy documents, one per passage, indexed under `id` (the document's
/// id, or the one it was renamed to), with what [`analyse_passages`] found for each.
fn to_tantivy(
    doc: &Document,
    id: &str,
    f: &Fields,
    analysed: Vec<Analysed>,
    relay: &Relay,
) -> Vec<TantivyDocument> {
    let m = &doc.meta;
    let extra = serde_json::json!({
        "source": m.source,
        "language": m.language,
        "recipient": m.recipient,
        "extra": m.extra,
        "format": doc.format,
        "encoding": doc.encoding,
    })
    .to_string();
    let date = m.date.as_deref().and_then(date_value);
    doc.passages
        .iter()
        .zip(analysed)
        .map(
            |(
                p,
                Analysed {
                    topics: found,
                    terms,
                    lemmas,
                    exact,
                },
            )| {
                let mut t = TantivyDocument::new();
                t.add_text(f.doc_id, id);
                t.add_text(f.path, &doc.path);
                t.add_text(f.title, &m.title);
                t.add_text(f.doc_type, &m.doc_type);
                if let Some(a) = &m.actor {
                    t.add_text(f.actor, a);
                    t.add_text(f.actor_words, a);
                }
                if let Some(p) = &m.party {
                    t.add_text(f.party, p);
                }
                if let Some(r) = &m.recipient {
                    t.add_text(f.recipient, r);
                }
                if let Some((d, y)) = date {
                    t.add_date(f.date, d);
                    t.add_u64(f.year, y);
                }
                let mut topics: Vec<String> = m.topics.clone();
                let heading_text: Vec<&str> = p.chapters.iter().map(|c| c.title.as_str()).collect();
                let heading_text = heading_text.join(" ");
                for id in found {
                    if !topics.contains(&id) {
                        topics.push(id);
                    }
                }
                for topic in &topics {
                    t.add_text(f.topics, topic);
                }
                for key in chapter_keys(&p.chapters) {
                    t.add_text(f.chapter_key, key);
                }
                t.add_text(
                    f.chapters,
                    serde_json::to_string(&p.chapters).expect("chapters serialise"),
                );
                if let Some(top) = p.chapters.first() {
                    t.add_text(f.chapter_label, top.display());
                }
                if !heading_text.is_empty() {
                    t.add_text(f.heading, &heading_text);
                }
                t.add_u64(f.ordinal, p.ordinal as u64);
                if let Some(page) = p.page {
                    t.add_u64(f.page, page as u64);
                }
                t.add_text(f.text, &p.text);
                // Analysed already (see `Relay`); the text is stored in `text`.
                t.add_text(f.body, relay.put(terms));
                t.add_text(f.body_exact, relay.put(exact));
                // Analysed already (see `Relay`): not stored.
                t.add_text(f.lemma, relay.put(lemmas));
                t.add_u64(f.words, p.text.split_whitespace().count() as u64);
                t.add_text(f.extra, &extra);
                t
            },
        )
        .collect()
}

fn note(root: &Path, path: &Path, reason: impl Into<String>) -> FileNote {
    FileNote {
        path: path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string(),
        reason: reason.into(),
    }
}

/// Indexes the documents under `corpus` into the index at `index_dir`. When the index was built
/// from the same corpus with the same taxonomy, analysis and manifest, only the files added,
/// changed (by content hash) or removed since then are touched, in place; otherwise (or with
/// [`IndexOptions::rebuild`]) a new generation is built beside the current one and made current
/// when complete. Problems with single files are reported in the summary, not errors.
pub fn build_index(
    corpus: &Path,
    index_dir: &Path,
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<IndexSummary> {
    let start = Instant::now();
    if !corpus.is_dir() {
        return Err(Error::NoCorpus {
            path: corpus.to_path_buf(),
        });
    }
    let corpus = corpus.canonicalize().map_err(|e| Error::io(corpus, e))?;
    let manifest = Manifest::load(&corpus)?;
    let taxonomy = load_taxonomy(&corpus, options.topics.as_deref())?;

    std::fs::create_dir_all(index_dir).map_err(|e| Error::io(index_dir, e))?;
    let _lock = Lock::take(index_dir)?;
    let manifest_hash = match std::fs::read(corpus.join(crate::corpus::MANIFEST)) {
        Ok(bytes) => blake3::hash(&bytes).to_hex().to_string(),
        Err(_) => String::new(),
    };
    if !options.rebuild {
        if let Ok(meta) = read_meta(index_dir) {
            let same = meta.corpus == corpus
                && meta.taxonomy == taxonomy
                && meta.analysis == options.analysis
                && meta.manifest_hash == manifest_hash;
            // A damaged index, or one without its file list, cannot be updated in place: it is
            // rebuilt.
            let files = read_files(index_dir, meta.generation);
            let index = open_generation(index_dir, meta.generation, options.analysis);
            if let (true, Ok(index), Ok(files)) = (same, index, files) {
                let summary = update_index(
                    &corpus, index_dir, &index, meta, files, &manifest, options, progress,
                )?;
                return Ok(IndexSummary {
                    index: index_dir.to_path_buf(),
                    elapsed_ms: start.elapsed().as_millis() as u64,
                    ..summary
                });
            }
        }
    }
    let generation = next_generation(index_dir)?;
    let gen_dir = generation_dir(index_dir, generation);
    std::fs::create_dir_all(&gen_dir).map_err(|e| Error::io(&gen_dir, e))?;

    let result = write_generation(
        &corpus, index_dir, &gen_dir, &manifest, &taxonomy, options, progress,
    );
    let written = result.and_then(|(summary, files)| {
        write_files_atomically(&gen_dir, &files)?;
        Ok(summary)
    });
    let summary = match written {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&gen_dir);
            return Err(e);
        }
    };

    let meta = IndexMeta {
        schema_version: SCHEMA_VERSION,
        generation,
        corpus: corpus.clone(),
        built_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        sokord_version: env!("CARGO_PKG_VERSION").to_string(),
        taxonomy,
        analysis: options.analysis,
        manifest_hash,
    };
    write_meta_atomically(index_dir, &meta)?;
    remove_other_generations(index_dir, generation);
    Ok(IndexSummary {
        index: index_dir.to_path_buf(),
        elapsed_ms: start.elapsed().as_millis() as u64,
        ..summary
    })
}

/// Removes every generation but `keep`: old ones no longer read by new searchers, and
/// half-written ones left by runs that were killed.
fn remove_other_generations(index_dir: &Path, keep: u64) {
    if let Ok(entries) = std::fs::read_dir(index_dir) {
        for e in entries.flatten() {
            let name = e.file_name();
            let generation = name
                .to_string_lossy()
                .strip_prefix("gen-")
                .and_then(|n| n.parse::<u64>().ok());
            if generation.is_some_and(|n| n != keep) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

fn next_generation(index_dir: &Path) -> Result<u64> {
    let mut max = 0;
    for e in std::fs::read_dir(index_dir)
        .map_err(|e| Error::io(index_dir, e))?
        .flatten()
    {
        if let Some(n) = e
            .file_name()
            .to_string_lossy()
            .strip_prefix("gen-")
            .and_then(|n| n.parse::<u64>().ok())
        {
            max = max.max(n);
        }
    }
    Ok(max + 1)
}

fn write_meta_atomically(index_dir: &Path, meta: &IndexMeta) -> Result<()> {
    let json = serde_json::to_vec_pretty(meta).expect("meta serialises");
    write_atomically(index_dir, META_FILE, &json)
}

/// What a reading thread made of a file.
enum Outcome {
    /// The document and its passages' topics.
    Read(Box<Document>, Vec<Analysed>),
    /// A large file, left to be read in parts when its turn comes.
    Large,
    /// Why it could not be read.
    Failed(ReadError),
}

/// The files sokord reads under a corpus; what it passes over goes into the summary.
fn walk_files(
    corpus: &Path,
    index_dir: &Path,
    manifest: &Manifest,
    summary: &mut IndexSummary,
) -> Vec<Found> {
    let mut files = Vec::new();
    for found in walk(corpus, manifest, Some(index_dir)) {
        match found {
            Found::File { .. } => files.push(found),
            Found::Skipped { path, reason } => summary.skipped.push(note(corpus, &path, reason)),
        }
    }
    files
}

/// Opens a writer on `index`, with a [`Relay`] registered for the fields whose tokens the reading
/// threads compute (`body`, `exact` and `lemma`).
fn open_writer(index: &Index, options: &IndexOptions) -> Result<(tantivy::IndexWriter, Relay)> {
    let relay = Relay::default();
    relay.register(
        index.tokenizers(),
        &[analysis::SV, analysis::SV_QUERY, analysis::SV_EXACT],
    );
    let threads = options.threads.clamp(1, 8);
    let writer =
        index.writer_with_num_threads(threads, options.memory_budget.max((threads * 20) << 20))?;
    Ok((writer, relay))
}

fn write_generation(
    corpus: &Path,
    index_dir: &Path,
    gen_dir: &Path,
    manifest: &Manifest,
    taxonomy: &Taxonomy,
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<(IndexSummary, Vec<FileRecord>)> {
    let (schema, fields) = schema::build();
    // The stored passages compressed with zstd rather than tantivy's default lz4: a third
    // smaller on the interpellations (32 → 22 MB), searches as fast (blocks are cached).
    let settings = tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(3),
        }),
        ..Default::default()
    };
    let index = Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_dir(gen_dir)?;
    analysis::register(index.tokenizers(), options.analysis);
    let (mut writer, relay) = open_writer(&index, options)?;
    let mut summary = IndexSummary::default();
    let files = walk_files(corpus, index_dir, manifest, &mut summary);
    progress(Progress::Found(files.len()));
    summary.files_read = files.len();
    let mut seen = Seen::default();
    let records = add_files(
        &mut writer,
        &relay,
        &fields,
        corpus,
        &files,
        manifest,
        taxonomy,
        options,
        progress,
        &mut summary,
        &mut seen,
        false,
    )?;
    progress(Progress::Committing);
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok((summary, records))
}

/// Updates the current generation in place: only files added, changed (by content hash) or
/// removed since the last run are touched. tantivy's commit is atomic, and the file list is
/// written after it: a run cut short leaves the last commit searchable, and the next run redoes
/// what the file list does not yet show (deleting a document by id and adding it again is
/// idempotent).
#[allow(clippy::too_many_arguments)]
fn update_index(
    corpus: &Path,
    index_dir: &Path,
    index: &Index,
    meta: IndexMeta,
    indexed: Vec<FileRecord>,
    manifest: &Manifest,
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<IndexSummary> {
    let mut summary = IndexSummary {
        incremental: true,
        ..IndexSummary::default()
    };
    let files = walk_files(corpus, index_dir, manifest, &mut summary);
    let mut known: HashMap<&str, &FileRecord> =
        indexed.iter().map(|r| (r.path.as_str(), r)).collect();
    let mut kept = Vec::new();
    let mut to_read = Vec::new();
    let mut stale_ids = Vec::new();
    for found in files {
        let Found::File { path, rel, .. } = &found else {
            continue;
        };
        let hash = hash_file(path).unwrap_or_default();
        match known.remove(rel.as_str()) {
            Some(r) if r.hash == hash => kept.push(r.clone()),
            Some(r) => {
                stale_ids.push(r.doc_id.clone());
                to_read.push(found);
            }
            None => to_read.push(found),
        }
    }
    // What is left of the records are files that are gone.
    summary.removed = known.len();
    stale_ids.extend(known.values().map(|r| r.doc_id.clone()));
    summary.unchanged = kept.len();
    summary.files_read = to_read.len();
    progress(Progress::Found(to_read.len()));
    remove_other_generations(index_dir, meta.generation);
    if to_read.is_empty() && stale_ids.is_empty() {
        return Ok(summary);
    }

    let gen_dir = generation_dir(index_dir, meta.generation);
    let fields = Fields::from_schema(&index.schema())?;
    let (mut writer, relay) = open_writer(index, options)?;
    for id in &stale_ids {
        writer.delete_term(tantivy::Term::from_field_text(fields.doc_id, id));
    }
    let mut seen = Seen::default();
    for r in &kept {
        seen.by_hash.insert(r.hash.clone(), r.path.clone());
        seen.ids.insert(r.doc_id.clone(), r.path.clone());
    }
    let added = add_files(
        &mut writer,
        &relay,
        &fields,
        corpus,
        &to_read,
        manifest,
        &meta.taxonomy,
        options,
        progress,
        &mut summary,
        &mut seen,
        true,
    )?;
    progress(Progress::Committing);
    writer.commit()?;
    writer.wait_merging_threads()?;
    let mut files = kept;
    files.extend(added);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    write_files_atomically(&gen_dir, &files)?;
    let meta = IndexMeta {
        built_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        ..meta
    };
    write_meta_atomically(index_dir, &meta)?;
    Ok(summary)
}

/// Content hashes and document ids already in the index, for duplicates and id clashes.
#[derive(Default)]
struct Seen {
    by_hash: HashMap<String, String>,
    ids: HashMap<String, String>,
}

/// Where documents go once read: the writer, the run's summary and what was already seen.
struct Sink<'a> {
    writer: &'a mut tantivy::IndexWriter,
    relay: &'a Relay,
    fields: &'a Fields,
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
            self.writer.delete_term(tantivy::Term::from_field_text(
                self.fields.doc_id,
                &doc.meta.id,
            ));
        }
        self.summary.documents += 1;
        self.records.push(FileRecord {
            path: rel.to_string(),
            hash: doc.hash.clone(),
            doc_id: doc.meta.id.clone(),
            passages: 0,
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
        for t in to_tantivy(doc, id, self.fields, analysed, self.relay) {
            if let Err(e) = self.writer.add_document(t) {
                self.error.get_or_insert(e.into());
            }
        }
        self.summary.passages += doc.passages.len();
        if let Some(r) = self.records.last_mut() {
            r.passages += doc.passages.len() as u32;
        }
    }
}

/// Reads, tags and adds files to the index in parallel, in path order; returns their records.
/// Large text files are read in parts by the adding thread when their turn comes, so that memory
/// stays bounded.
#[allow(clippy::too_many_arguments)]
fn add_files(
    writer: &mut tantivy::IndexWriter,
    relay: &Relay,
    fields: &Fields,
    corpus: &Path,
    files: &[Found],
    manifest: &Manifest,
    taxonomy: &Taxonomy,
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress),
    summary: &mut IndexSummary,
    seen: &mut Seen,
    replace: bool,
) -> Result<Vec<FileRecord>> {
    let threads = options.threads.clamp(1, 8);
    let tagger = Tagger::new(taxonomy, options.analysis);
    let tagger = &tagger;
    let next = AtomicUsize::new(0);
    let files_ref = files;
    let mut sink = Sink {
        writer,
        relay,
        fields,
        corpus,
        summary,
        seen,
        records: Vec::new(),
        replace,
        error: None,
    };

    // One tokenizer, cloned for each thread: the clones share the words worked out.
    let analyzer = options.analysis.text_tokenizer();
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::sync_channel::<(usize, Outcome)>(64);
        for _ in 0..threads {
            let tx = tx.clone();
            let next = &next;
            let mut sv = analyzer.clone();
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(Found::File { path, rel, format }) = files_ref.get(i) else {
                    break;
                };
                let size = std::fs::metadata(path).map_or(0, |m| m.len());
                let outcome = if reads_in_parts(*format, size) {
                    Outcome::Large
                } else {
                    match read_document(path, rel, *format, manifest) {
                        Ok(doc) => {
                            let analysed = analyse_passages(&doc, tagger, &mut sv);
                            Outcome::Read(Box::new(doc), analysed)
                        }
                        Err(e) => Outcome::Failed(e),
                    }
                };
                if tx.send((i, outcome)).is_err() {
                    break;
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
                match outcome {
                    Outcome::Read(doc, analysed) => {
                        sink.admit(path, rel, *doc, analysed);
                    }
                    Outcome::Failed(e) => {
                        sink.summary.skipped.push(note(corpus, path, e.to_string()));
                    }
                    Outcome::Large => {
                        let mut first = true;
                        let r = read_document_in_parts(path, rel, *format, manifest, &mut |doc| {
                            let analysed = analyse_passages(&doc, tagger, &mut sv);
                            if std::mem::take(&mut first) {
                                sink.admit(path, rel, doc, analysed)
                            } else {
                                sink.add_passages(&doc, analysed);
                                true
                            }
                        });
                        if let Err(e) = r {
                            if first {
                                sink.summary.skipped.push(note(corpus, path, e.to_string()));
                            } else {
                                // Part of it is in: say that the rest is missing.
                                sink.summary.warnings.push(note(
                                    corpus,
                                    path,
                                    format!("only partly indexed: {e}"),
                                ));
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
