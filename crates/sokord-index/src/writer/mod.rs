//! Building an index from a corpus folder.
//!
//! | module | job |
//! |---|---|
//! | `mod.rs` | options, the summary, [`build_index`]: a new generation or an update in place |
//! | `generations` | the generations' folders and file lists |
//! | `lock` | one writer at a time |
//! | `convert` | a document's passages analysed once and turned into tantivy documents |
//! | `pipeline` | reading threads, the order documents are added in, duplicates |
//! | `session` | [`Writer`]: an index open for writing documents, commits |
//! | `carry` | documents read back from stored passages, carried over by rebuilds |
//!
//! On disk an index is a folder:
//!
//! ```text
//! <index>/sokord.json   what the index holds: schema version, generation, corpus, taxonomy
//! <index>/gen-<N>/      the tantivy index of generation N, and files.json: the files it holds
//!                       (read only by indexing runs, so that opening an index to search is quick),
//!                       and lemma-totals.bin: each lemma term's total, counted when a run ends
//!                       (`sokord_core::totals`; `keywords` reads it while it fits the segments),
//!                       and doc-numbers.bin: the documents numbered in id order over all
//!                       segments, and whether each document's passages stand together
//!                       (`sokord_core::docnumbers`; read while it fits the segments),
//!                       and party-totals.bin: the lemma terms' counts by party label
//!                       (`sokord_core::totals::PartyTotals`), and population/: the whole
//!                       index's passages, words and documents by each grouping key, and its
//!                       topics (topics.json), which `sokord index` writes last
//!                       (`sokord_query::Searcher::write_populations`)
//! <index>/lock          locked (flock) while an indexing run writes
//! ```
//!
//! A run writes a new generation beside the current one and switches `sokord.json` to it with an
//! atomic rename only after tantivy has committed. A run that fails or is killed leaves the last
//! good generation searchable; its half-written folder is removed by the next run.

mod carry;
mod convert;
mod generations;
mod lock;
mod pipeline;
mod session;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::corpus::Manifest;
use crate::error::{Error, Result};
use sokord_core::analyzers::Profile;
use sokord_core::layout::{generation_dir, open_generation, read_meta};
use sokord_core::topics::{DEFAULT_TOPICS, TOPICS};
use sokord_core::Taxonomy;

use self::generations::*;
pub use self::generations::{indexed_files, FileRecord, Stamp};
use self::pipeline::*;
pub use self::session::Writer;

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
    /// An incremental run's files new since the last run (paths relative to the corpus).
    #[serde(default)]
    pub added_files: Vec<String>,
    /// An incremental run's files whose content changed since the last run.
    #[serde(default)]
    pub changed_files: Vec<String>,
    /// An incremental run's files gone since the last run: their documents were removed.
    #[serde(default)]
    pub removed_files: Vec<String>,
    /// Whether the run updated the index in place (only changed files) rather than rebuilding.
    pub incremental: bool,
    /// Documents a program wrote into the index (no file gives them), carried over into the
    /// rebuilt index.
    #[serde(default)]
    pub carried: usize,
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

/// Options of an indexing run. Start from the defaults and set what differs:
///
/// ```
/// use sokord_index::IndexOptions;
/// let options = IndexOptions::default().threads(1).rebuild(true);
/// assert_eq!(options.threads, 1);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct IndexOptions {
    /// A taxonomy file to use instead of the corpus's `topics.toml` (or the bundled one). The
    /// index records it: a later run without one uses it again while it exists.
    pub topics: Option<PathBuf>,
    /// Threads reading and analysing files. By default, the number of cores (at most 8).
    pub threads: usize,
    /// tantivy's indexing memory budget in bytes (shared by its threads); a quarter of it
    /// again holds analysed tokens waiting for tantivy's threads. By default, 128 MB: peak
    /// memory then stays under a gigabyte whatever the corpus's size (BENCHMARKS.md).
    pub memory_budget: usize,
    /// The analysis of the text fields. By default, sokord's full Swedish analysis.
    pub analysis: Profile,
    /// Rebuild the whole index even when only some files changed. By default, off: a run
    /// re-indexes only the files added, changed or removed since the last one.
    pub rebuild: bool,
    /// When another writer holds the index, wait for it to finish instead of returning
    /// [`Error::Locked`]. By default, off.
    pub wait: bool,
    /// Read and hash every indexed file to find those that changed. By default, off: a file
    /// whose size, times and inode are as the last run recorded them ([`Stamp`]) is taken as
    /// unchanged without being read, as git does. Turn it on where a file system does not keep
    /// those faithfully (some network and FUSE file systems).
    pub check_contents: bool,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            topics: None,
            threads: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .min(8),
            memory_budget: 128 << 20,
            analysis: Profile::Full,
            rebuild: false,
            wait: false,
            check_contents: false,
        }
    }
}

impl IndexOptions {
    /// Tags passages with the taxonomy in this file (and later runs too, see
    /// [`IndexOptions::topics`]).
    pub fn topics(mut self, path: impl Into<PathBuf>) -> Self {
        self.topics = Some(path.into());
        self
    }

    /// Reads and analyses with this many threads (at least one).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// tantivy's indexing memory budget, in bytes.
    pub fn memory_budget(mut self, bytes: usize) -> Self {
        self.memory_budget = bytes;
        self
    }

    /// The analysis of the text fields.
    pub fn analysis(mut self, analysis: Profile) -> Self {
        self.analysis = analysis;
        self
    }

    /// Rebuilds the whole index even when only some files changed.
    pub fn rebuild(mut self, rebuild: bool) -> Self {
        self.rebuild = rebuild;
        self
    }

    /// Waits for another writer to finish instead of failing with [`Error::Locked`].
    pub fn wait(mut self, wait: bool) -> Self {
        self.wait = wait;
        self
    }

    /// Reads and hashes every indexed file to find changes, instead of trusting sizes and
    /// modification times ([`IndexOptions::check_contents`]).
    pub fn check_contents(mut self, check: bool) -> Self {
        self.check_contents = check;
        self
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

/// Indexes the documents under `corpus` (a folder, or one file) into the index at `index_dir`. When the index was built
/// from the same corpus with the same taxonomy, analysis and manifest, only the files added,
/// changed (their size, times or inode moved and their content hash differs) or removed since
/// then are touched, in place; otherwise (or with
/// [`IndexOptions::rebuild`]) a new generation is built beside the current one and made current
/// when complete. Problems with single files are reported in the summary, not errors.
pub fn build_index(
    corpus: &Path,
    index_dir: &Path,
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<IndexSummary> {
    let start = Instant::now();
    if !corpus.is_dir() && !corpus.is_file() {
        return Err(Error::NoCorpus {
            path: corpus.to_path_buf(),
        });
    }
    let corpus = corpus.canonicalize().map_err(|e| Error::io(corpus, e))?;
    // One file is a corpus too: of its folder, which gives the manifest and topics, only it.
    let (corpus, only) = match corpus.parent().filter(|_| corpus.is_file()) {
        Some(folder) => (folder.to_path_buf(), Some(corpus.clone())),
        None => (corpus, None),
    };
    let only = only.as_deref();
    if let Some(file) = only.filter(|f| crate::read::Format::from_path(f).is_none()) {
        return Err(Error::Config {
            path: file.to_path_buf(),
            message: "not a format sokord reads (.txt, .md, .pdf, .html, .docx)".into(),
        });
    }
    // The walk passes over the index's folder: an index in the corpus's own folder would leave
    // nothing to index (it said "Indexed 0 documents" and built an empty index).
    if only.is_none() && index_dir.canonicalize().ok().as_deref() == Some(corpus.as_path()) {
        return Err(Error::Config {
            path: index_dir.to_path_buf(),
            message: format!(
                "the index folder is the corpus folder, so indexing would pass over every file; \
                 give the index a folder of its own, e.g. `--index {}`",
                index_dir.join(".sokord").display()
            ),
        });
    }
    let manifest = Manifest::load(&corpus)?;

    let lock = session::lock(index_dir, options)?;
    let manifest_hash = match std::fs::read(corpus.join(crate::corpus::MANIFEST)) {
        Ok(bytes) => blake3::hash(&bytes).to_hex().to_string(),
        Err(_) => String::new(),
    };
    // The index is updated in place when its taxonomy, analysis and manifest are the corpus's:
    // the files are compared by stamp or content, wherever the corpus folder now is. A damaged index, or
    // one without its file list, is rebuilt.
    let current = read_meta(index_dir).ok();
    // A taxonomy file given once (`--topics`) stays the index's until another is given: a later
    // run that names none tags with it again, rather than rebuilding with the corpus's own.
    let recorded = current.as_ref().and_then(|m| m.topics_file.clone());
    let mut topics_gone = None;
    let topics_file = match (&options.topics, recorded) {
        (Some(given), _) => Some(given.canonicalize().map_err(|e| Error::io(given, e))?),
        (None, Some(r)) if r.is_file() => Some(r),
        (None, Some(r)) => {
            topics_gone = Some(r);
            None
        }
        (None, None) => None,
    };
    let taxonomy = load_taxonomy(&corpus, topics_file.as_deref())?;
    let in_place = current
        .as_ref()
        .filter(|_| !options.rebuild)
        .and_then(|meta| {
            let same = meta.taxonomy == taxonomy
                && meta.analysis == options.analysis
                && meta.manifest_hash == manifest_hash;
            let files = read_files(index_dir, meta.generation).ok()?;
            let index = open_generation(index_dir, meta.generation, options.analysis).ok()?;
            same.then(|| (index, meta.clone(), files))
        });
    let mut summary = if let Some((index, meta, files)) = in_place {
        let mut writer = Writer::in_place(index_dir, index, meta, files, options, lock)?;
        writer.meta.corpus = Some(corpus.clone());
        writer.meta.topics_file = topics_file.clone();
        update_index(
            &corpus, only, index_dir, writer, &manifest, options, progress,
        )?
    } else {
        let mut writer = Writer::fresh(index_dir, taxonomy, options.analysis, options, lock)?;
        writer.meta.corpus = Some(corpus.clone());
        writer.meta.topics_file = topics_file.clone();
        writer.meta.manifest_hash = manifest_hash;
        writer.meta.parties = manifest.parties.clone();
        let gen_dir = generation_dir(index_dir, writer.meta.generation);
        // The documents a program wrote are carried over from the current generation, of
        // this version or (where its fields can be read) another.
        let previous = current
            .map(|m| m.generation)
            .or_else(|| session::recorded_generation(index_dir));
        match write_generation(
            &corpus, only, index_dir, writer, previous, &manifest, options, progress,
        ) {
            Ok(s) => s,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&gen_dir);
                return Err(e);
            }
        }
    };
    if let Some(gone) = topics_gone {
        summary.warnings.insert(
            0,
            FileNote {
                path: gone.display().to_string(),
                reason: "the topics file this index was built with (--topics) is gone; tagged \
                         with the corpus's topics.toml, or the bundled taxonomy, instead"
                    .to_string(),
            },
        );
    }
    Ok(IndexSummary {
        index: index_dir.to_path_buf(),
        elapsed_ms: start.elapsed().as_millis() as u64,
        ..summary
    })
}
