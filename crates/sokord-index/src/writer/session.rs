//! The per-document writer: an index held open for writing, documents upserted and deleted by
//! id, and commits that searchers see at once. Folder indexing ([`build_index`](super::build_index))
//! writes through it too.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexReader, ReloadPolicy, Term};

use crate::corpus::Document;
use crate::error::{Error, Result};
use crate::input::NewDocument;
use crate::relay::Relay;
use crate::topics::Tagger;
use sokord_core::analyzers::{self as analysis, Profile, SwedishTokenizer};
use sokord_core::layout::{
    announce_commit, generation_dir, open_generation, read_meta, IndexMeta, META_FILE,
};
use sokord_core::schema::{self, Fields, SCHEMA_VERSION};
use sokord_core::topics::DEFAULT_TOPICS;
use sokord_core::Taxonomy;

use super::carry::for_each_stored_document;
use super::convert::{analyse_passages, to_tantivy, Analysed};
use super::generations::*;
use super::lock::Lock;
use super::IndexOptions;

/// An index open for writing documents given as data: [`upsert`](Writer::upsert),
/// [`insert`](Writer::insert), [`delete`](Writer::delete), then [`commit`](Writer::commit).
/// Documents get the same analysis, passages, chapters and topic tags as files do in folder
/// indexing (which writes through a `Writer` too).
///
/// A `Writer` holds the index's lock while it lives: one writer at a time, in any process (a
/// second one gets [`Error::Locked`], or waits with [`IndexOptions::wait`]). Changes are seen by
/// searchers once committed: at once by a `sokord_query::Searcher` of the same process, and by
/// those of other processes at their next search. Changes not committed when the writer is
/// dropped are dropped with it.
///
/// ```
/// use sokord_index::{IndexOptions, NewDocument, Writer};
///
/// # fn main() -> Result<(), sokord_index::Error> {
/// let dir = tempfile::tempdir().unwrap();
/// let mut writer = Writer::open(dir.path(), &IndexOptions::default())?;
/// writer.upsert(
///     NewDocument::new("dn-1", "Vårdplatserna räcker inte")
///         .actor("Region Skåne")
///         .date("2025-03-01")
///         .text("Bristen på vårdplatser märks i hela regionen."),
/// )?;
/// writer.commit()?;
/// assert!(writer.contains("dn-1")?);
/// # Ok(())
/// # }
/// ```
pub struct Writer {
    dir: PathBuf,
    generation: u64,
    /// `None` once `finish` has taken it.
    writer: Option<tantivy::IndexWriter>,
    reader: IndexReader,
    relay: Relay,
    /// The weight of tokens the relay may hold before the next document waits: a quarter of
    /// the memory budget.
    relay_bytes: usize,
    fields: Fields,
    tagger: Arc<Tagger>,
    analyzer: SwedishTokenizer,
    pub(super) meta: IndexMeta,
    /// The files of a corpus folder this generation holds (folder indexing keeps them).
    pub(super) files: Vec<FileRecord>,
    files_changed: bool,
    /// Ids added (`true`) or deleted (`false`) since the last commit.
    pending: HashMap<String, bool>,
    /// A generation that is not yet the index's current one: its first commit makes it so.
    fresh: bool,
    _lock: Lock,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("dir", &self.dir)
            .field("generation", &self.generation)
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

/// Takes the index's lock as the options say (at once, or waiting for another writer). A
/// folder with no index that holds anything but what sokord writes there (its lock, its
/// generations, its metadata: a first run that was interrupted) is refused.
pub(super) fn lock(dir: &Path, options: &IndexOptions) -> Result<Lock> {
    if !sokord_core::index_exists(dir) && sokord_core::layout::holds_other_files(dir) {
        return Err(Error::NotEmpty {
            path: dir.to_path_buf(),
        });
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    if options.wait {
        Lock::wait(dir)
    } else {
        Lock::take(dir)
    }
}

impl Writer {
    /// Opens the index in `dir` for writing, creating it (and the folder) when there is none.
    ///
    /// An existing index keeps its taxonomy and analysis. With [`IndexOptions::rebuild`], or
    /// when the index was written by a version of sokord with another schema, a new generation
    /// is built: every document is read back from the old one's stored passages and analysed
    /// and tagged again (with the taxonomy of [`IndexOptions::topics`] when given); it becomes
    /// the index at the first commit. A damaged index is an error, not rebuilt.
    pub fn open(dir: &Path, options: &IndexOptions) -> Result<Writer> {
        let lock = lock(dir, options)?;
        let given = match &options.topics {
            Some(p) => Some(Taxonomy::load(p)?),
            None => None,
        };
        let bundled = || Taxonomy::parse(DEFAULT_TOPICS).expect("the bundled taxonomy is valid");
        match read_meta(dir) {
            Ok(meta) if !options.rebuild && given.as_ref().is_none_or(|t| *t == meta.taxonomy) => {
                let index = open_generation(dir, meta.generation, meta.analysis)?;
                let files = read_files(dir, meta.generation).unwrap_or_default();
                Writer::in_place(dir, index, meta, files, options, lock)
            }
            Ok(meta) => {
                let taxonomy = given.unwrap_or_else(|| meta.taxonomy.clone());
                let mut w = Writer::fresh(dir, taxonomy, options.analysis, options, lock)?;
                w.meta.corpus = meta.corpus.clone();
                w.meta.manifest_hash = meta.manifest_hash.clone();
                w.meta.parties = meta.parties.clone();
                let files = read_files(dir, meta.generation).unwrap_or_default();
                w.carry_over(meta.generation, &|_| true)?;
                w.files = files;
                Ok(w)
            }
            Err(Error::NotAnIndex { .. }) => Writer::fresh(
                dir,
                given.unwrap_or_else(bundled),
                options.analysis,
                options,
                lock,
            ),
            Err(Error::SchemaVersion { .. }) => {
                let mut w = Writer::fresh(
                    dir,
                    given.unwrap_or_else(bundled),
                    options.analysis,
                    options,
                    lock,
                )?;
                if let Some(old) = recorded_generation(dir) {
                    // What another version wrote is carried over where its fields can be read;
                    // where they cannot, the index is left as it is, not replaced by an empty
                    // one.
                    w.carry_over(old, &|_| true).map_err(|e| Error::Corrupt {
                        path: dir.to_path_buf(),
                        message: format!(
                            "it was written by another version of sokord, and its documents \
                             could not be read back ({e}); remove it and write them again"
                        ),
                    })?;
                }
                Ok(w)
            }
            Err(e) => Err(e),
        }
    }

    /// A writer on the current generation of an index, changing it in place.
    pub(super) fn in_place(
        dir: &Path,
        index: Index,
        meta: IndexMeta,
        files: Vec<FileRecord>,
        options: &IndexOptions,
        lock: Lock,
    ) -> Result<Writer> {
        let taxonomy = meta.taxonomy.clone();
        let analysis = meta.analysis;
        Writer::start(
            dir,
            meta.generation,
            index,
            meta,
            &taxonomy,
            analysis,
            files,
            false,
            options,
            lock,
        )
    }

    /// A writer on a new, empty generation, which its first commit makes current.
    pub(super) fn fresh(
        dir: &Path,
        taxonomy: Taxonomy,
        analysis: Profile,
        options: &IndexOptions,
        lock: Lock,
    ) -> Result<Writer> {
        let generation = next_generation(dir)?;
        let gen_dir = generation_dir(dir, generation);
        std::fs::create_dir_all(&gen_dir).map_err(|e| Error::io(&gen_dir, e))?;
        let (schema, _) = schema::build();
        // The stored passages compressed with zstd rather than tantivy's default lz4: a third
        // smaller on the interpellations (32 → 22 MB), searches as fast (blocks are cached).
        let settings = tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::Zstd(
                tantivy::store::ZstdCompressor {
                    compression_level: Some(3),
                },
            ),
            ..Default::default()
        };
        let index = Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(&gen_dir)?;
        analysis::register(index.tokenizers(), analysis);
        analysis::register_fast(index.fast_field_tokenizer());
        let meta = IndexMeta {
            schema_version: SCHEMA_VERSION,
            generation,
            corpus: None,
            built_at: 0,
            sokord_version: env!("CARGO_PKG_VERSION").to_string(),
            taxonomy: taxonomy.clone(),
            analysis,
            manifest_hash: String::new(),
            parties: Vec::new(),
            topics_file: None,
        };
        Writer::start(
            dir,
            generation,
            index,
            meta,
            &taxonomy,
            analysis,
            Vec::new(),
            true,
            options,
            lock,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn start(
        dir: &Path,
        generation: u64,
        index: Index,
        meta: IndexMeta,
        taxonomy: &Taxonomy,
        analysis: Profile,
        files: Vec<FileRecord>,
        fresh: bool,
        options: &IndexOptions,
        lock: Lock,
    ) -> Result<Writer> {
        let fields = Fields::from_schema(&index.schema())?;
        // The tokens of `body`, `exact` and `lemma` are computed before they reach tantivy
        // (see `Relay`).
        let relay = Relay::default();
        relay.register(
            index.tokenizers(),
            &[analysis::SV, analysis::SV_QUERY, analysis::SV_EXACT],
        );
        let threads = options.threads.clamp(1, 8);
        let writer = index
            .writer_with_num_threads(threads, options.memory_budget.max((threads * 20) << 20))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Writer {
            dir: dir.to_path_buf(),
            generation,
            writer: Some(writer),
            reader,
            relay,
            relay_bytes: options.memory_budget / 4,
            fields,
            tagger: Arc::new(Tagger::new(taxonomy, analysis)),
            analyzer: analysis.text_tokenizer(),
            meta,
            files,
            files_changed: false,
            pending: HashMap::new(),
            fresh,
            _lock: lock,
        })
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The taxonomy passages are tagged with.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.meta.taxonomy
    }

    /// Whether the index holds a document with this id, counting the changes not yet committed.
    pub fn contains(&self, id: &str) -> Result<bool> {
        if let Some(&present) = self.pending.get(id) {
            return Ok(present);
        }
        let query = TermQuery::new(
            Term::from_field_text(self.fields.doc_id, id),
            IndexRecordOption::Basic,
        );
        Ok(self.reader.searcher().search(&query, &Count)? > 0)
    }

    /// Adds a document, replacing the one with the same id if there is one. Returns whether one
    /// was replaced.
    pub fn upsert(&mut self, doc: NewDocument) -> Result<bool> {
        let doc = doc.into_document()?;
        let existed = self.contains(&doc.meta.id)?;
        self.write(&doc)?;
        Ok(existed)
    }

    /// Adds a document whose id the index does not hold yet; an id it holds is
    /// [`Error::DuplicateId`].
    pub fn insert(&mut self, doc: NewDocument) -> Result<()> {
        let doc = doc.into_document()?;
        if self.contains(&doc.meta.id)? {
            return Err(Error::DuplicateId { id: doc.meta.id });
        }
        self.write(&doc)
    }

    /// Deletes the document with this id. Returns whether the index held it.
    pub fn delete(&mut self, id: &str) -> Result<bool> {
        let existed = self.contains(id)?;
        self.delete_id(id);
        self.pending.insert(id.to_string(), false);
        Ok(existed)
    }

    /// Makes the changes since the last commit durable and visible to searchers. A new
    /// generation becomes the index's current one here.
    pub fn commit(&mut self) -> Result<()> {
        self.tantivy().commit()?;
        self.publish(true)
    }

    /// Records a tantivy commit in the index's own files: the generation's file list, then
    /// `sokord.json` (the switch to a new generation), and tells searchers.
    /// `reload`: bring the writer's own reader (for `contains`) up to date, when it goes on.
    fn publish(&mut self, reload: bool) -> Result<()> {
        if self.fresh || self.files_changed {
            write_files_atomically(&generation_dir(&self.dir, self.generation), &self.files)?;
        }
        self.meta.built_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        write_meta_atomically(&self.dir, &self.meta)?;
        // The generation this commit made current (a rebuild), or generations that writers
        // dropped before their first commit left: only this one is read from now on.
        remove_other_generations(&self.dir, self.generation);
        self.fresh = false;
        self.files_changed = false;
        self.pending.clear();
        announce_commit(&self.dir);
        // The commit is made and current: nothing after this may fail it (a caller that cleans
        // up after a failed rebuild would remove the current generation). The reader only
        // answers `contains`; should it not reload, it is tried again at the next commit.
        if reload {
            let _ = self.reader.reload();
        }
        Ok(())
    }

    /// Commits, waits for tantivy's merges to end, and writes what makes the views quick on a
    /// large index: the lemma terms' totals and the counts by party (`keywords`) and the documents'
    /// numbers (every view that counts documents). What `sokord index` does last; a program
    /// calls it when a batch of changes is done, instead of its last [`commit`](Writer::commit),
    /// then may call `sokord_query::Searcher::write_populations` for the whole index's
    /// populations. Without it every view still answers the same, only slower: after a plain
    /// commit the files no longer fit the segments and are not used.
    ///
    /// A merge that fails leaves the committed segments as they are: the index is complete.
    /// The merges end before the switch, so that the run is over soon after searchers see it.
    ///
    /// ```
    /// use sokord_index::{IndexOptions, NewDocument, Writer};
    ///
    /// # fn main() -> Result<(), sokord_index::Error> {
    /// let dir = tempfile::tempdir().unwrap();
    /// let mut writer = Writer::open(dir.path(), &IndexOptions::default())?;
    /// writer.upsert(NewDocument::new("dn-1", "Vårdplatser").text("Bristen på vårdplatser."))?;
    /// writer.finish()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn finish(mut self) -> Result<()> {
        let mut writer = self
            .writer
            .take()
            .expect("a writer is open until it finishes");
        writer.commit()?;
        let _ = writer.wait_merging_threads();
        // The lemma terms' totals of the segments as they now stand, for `keywords`, and the
        // documents' numbers, for every view that counts documents. Views count without them
        // when they are missing: a failure here (a full disk) must not fail, or lose, a batch
        // whose index is committed.
        let dir = generation_dir(&self.dir, self.generation);
        if self.write_statistics(&dir).is_err() {
            for file in [
                sokord_core::totals::FILE,
                sokord_core::totals::PARTY_FILE,
                sokord_core::docnumbers::FILE,
            ] {
                let _ = std::fs::remove_file(dir.join(file));
            }
        }
        self.publish(false)
    }

    /// Writes the statistics [`finish`](Writer::finish) leaves in the generation's folder.
    fn write_statistics(&mut self, dir: &Path) -> Result<()> {
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        sokord_core::totals::write(
            dir,
            &searcher,
            self.fields.lemma,
            "words",
            Some(self.fields.party),
        )?;
        sokord_core::docnumbers::write(dir, &searcher, "doc_id")?;
        Ok(())
    }

    fn tantivy(&mut self) -> &mut tantivy::IndexWriter {
        self.writer
            .as_mut()
            .expect("a writer is open until it finishes")
    }

    fn write(&mut self, doc: &Document) -> Result<()> {
        let analysed = analyse_passages(doc, &self.tagger, &mut self.analyzer);
        self.delete_id(&doc.meta.id);
        self.add_analysed(doc, &doc.meta.id, analysed)?;
        self.pending.insert(doc.meta.id.clone(), true);
        Ok(())
    }

    /// Deletes a document's passages by id; a file of the corpus that gave it is forgotten, so
    /// that the next folder run reads it again.
    pub(super) fn delete_id(&mut self, id: &str) {
        let term = Term::from_field_text(self.fields.doc_id, id);
        self.tantivy().delete_term(term);
        let before = self.files.len();
        self.files.retain(|r| r.doc_id != id);
        self.files_changed |= self.files.len() != before;
    }

    /// Adds a document's passages, analysed already, under `id`.
    pub(super) fn add_analysed(
        &mut self,
        doc: &Document,
        id: &str,
        analysed: Vec<Analysed>,
    ) -> Result<()> {
        self.relay.wait_below(self.relay_bytes);
        // One group: tantivy puts a group's passages in one segment, one after another (so
        // that views can tell documents apart by the passage before; see
        // `sokord_core::docnumbers::whole`).
        let group: Vec<tantivy::indexer::UserOperation> =
            to_tantivy(doc, id, &self.fields, analysed, &self.relay)
                .into_iter()
                .map(tantivy::indexer::UserOperation::Add)
                .collect();
        self.tantivy().run(group)?;
        Ok(())
    }

    /// Replaces the list of corpus files this generation holds.
    pub(super) fn set_files(&mut self, files: Vec<FileRecord>) {
        self.files = files;
        self.files_changed = true;
    }

    /// The tagger and a clone of the analyzer, for reading threads.
    pub(super) fn analysis(&self) -> (Arc<Tagger>, SwedishTokenizer) {
        (self.tagger.clone(), self.analyzer.clone())
    }

    /// Copies into this (new) generation the documents of generation `old` whose ids `keep`
    /// accepts, read back from their stored passages and analysed again. Returns how many.
    pub(super) fn carry_over(&mut self, old: u64, keep: &dyn Fn(&str) -> bool) -> Result<usize> {
        let dir = self.dir.clone();
        for_each_stored_document(&dir, old, keep, &mut |doc| {
            let analysed = analyse_passages(&doc, &self.tagger, &mut self.analyzer);
            self.add_analysed(&doc, &doc.meta.id, analysed)?;
            // Not committed yet, but held: `contains`, `insert` and `delete` count it.
            self.pending.insert(doc.meta.id.clone(), true);
            Ok(())
        })
    }
}

/// The generation `sokord.json` names, read without checking its schema version.
pub(super) fn recorded_generation(dir: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(dir.join(META_FILE)).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value.get("generation")?.as_u64()
}
