//! An index on disk, and opening it.
//!
//! ```text
//! <index>/sokord.json   what the index holds: schema version, generation, corpus, taxonomy
//! <index>/gen-<N>/      the tantivy index of generation N, and files.json: the files it holds
//!                       (read only by indexing runs, so that opening an index to search is quick)
//! <index>/lock          locked while an indexing run writes
//! ```
//!
//! A run writes a new generation beside the current one and switches `sokord.json` to it with an
//! atomic rename only after tantivy has committed. A run that fails or is killed leaves the last
//! good generation searchable; its half-written folder is removed by the next run.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use tantivy::Index;

use crate::analyzers::{self, Profile};
use crate::error::{Error, Result};
use crate::schema::{Fields, SCHEMA_VERSION};
use crate::topics::Taxonomy;

/// The file in an index folder that records what it holds.
pub const META_FILE: &str = "sokord.json";

/// The file a writer holds while it writes the index.
pub const LOCK_FILE: &str = "lock";

/// What `sokord.json` records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexMeta {
    /// The schema version the index was written with.
    pub schema_version: u32,
    /// The current generation's number.
    pub generation: u64,
    /// The corpus folder it was last built or updated from (absolute; informational: updating
    /// compares files, not this path, so a corpus may move). `None` for an index written only
    /// by a program (`sokord_index::Writer`).
    #[serde(default)]
    pub corpus: Option<PathBuf>,
    /// When it was built, seconds since the Unix epoch.
    pub built_at: u64,
    /// The sokord version that built it.
    pub sokord_version: String,
    /// The topic taxonomy passages were tagged with.
    pub taxonomy: Taxonomy,
    /// The analysis of the text fields.
    #[serde(default)]
    pub analysis: Profile,
    /// BLAKE3 hash of the corpus's manifest when the index was built ("" without one): metadata
    /// changes there call for a rebuild.
    #[serde(default)]
    pub manifest_hash: String,
    /// Parties the corpus's manifest adds to the built-in table (`[[party]]` entries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<crate::parties::PartyEntry>,
    /// The taxonomy file given to `sokord index --topics` (absolute), used again by later runs
    /// that name none; `None` for the corpus's own `topics.toml` or the bundled taxonomy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topics_file: Option<PathBuf>,
}

/// Whether the folder `dir`, which holds no index, holds anything but what sokord writes into
/// an index folder (its lock, its generations, its metadata: what a first run that was
/// interrupted leaves) and what file browsers leave in any folder they show (`.DS_Store`,
/// `Thumbs.db`, `desktop.ini`). No index is built among other files (documents, most likely).
/// A missing or unreadable folder holds nothing.
pub fn holds_other_files(dir: &Path) -> bool {
    let own = |name: &str| {
        name == LOCK_FILE
            || matches!(name, ".DS_Store" | "Thumbs.db" | "desktop.ini")
            || name.starts_with(META_FILE)
            || is_generation_name(name)
    };
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| !own(&e.file_name().to_string_lossy()))
    })
}

/// Whether `name` is a generation's folder name (`gen-N`).
fn is_generation_name(name: &str) -> bool {
    name.strip_prefix("gen-")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Whether `dir` holds a generation's folder (`gen-N`).
fn holds_a_generation(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| is_generation_name(&e.file_name().to_string_lossy()) && e.path().is_dir())
    })
}

/// The folder of generation `generation` in the index folder `dir`.
pub fn generation_dir(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("gen-{generation}"))
}

/// Writes `bytes` to `dir/name` through a temporary file, synced, then renamed over the old
/// file, and syncs the folder: readers see the old content or the new, never a part.
pub fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = dir.join(format!("{name}.tmp"));
    let dest = dir.join(name);
    let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    f.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
    f.sync_all().map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &dest).map_err(|e| Error::io(&dest, e))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// An opened index, ready to search: what `sokord-query`'s `Searcher` stands on. It exposes
/// tantivy's types; programs search through `sokord_query::Searcher` instead.
pub struct OpenIndex {
    /// The tantivy index, with sokord's analyzers registered.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// What `sokord.json` records.
    pub meta: IndexMeta,
    /// The index folder.
    pub path: PathBuf,
}

/// Reads `sokord.json` of the index in `dir`, checking its schema version.
pub fn read_meta(dir: &Path) -> Result<IndexMeta> {
    let file = dir.join(META_FILE);
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::NotAnIndex {
                path: dir.to_path_buf(),
            })
        }
        Err(e) => return Err(Error::io(file, e)),
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::Corrupt {
        path: dir.to_path_buf(),
        message: format!("{META_FILE}: {e}"),
    })?;
    let found = value
        .get("schema_version")
        .and_then(|v| v.as_u64())
        .unwrap_or(0) as u32;
    if found != SCHEMA_VERSION {
        return Err(Error::SchemaVersion {
            path: dir.to_path_buf(),
            found,
            expected: SCHEMA_VERSION,
        });
    }
    serde_json::from_value(value).map_err(|e| Error::Corrupt {
        path: dir.to_path_buf(),
        message: format!("{META_FILE}: {e}"),
    })
}

/// Opens the index in `dir` at its current generation.
pub fn open_index(dir: &Path) -> Result<OpenIndex> {
    let meta = match read_meta(dir) {
        // A generation without metadata: a writer's first, not yet committed.
        Err(Error::NotAnIndex { path }) if holds_a_generation(dir) => {
            return Err(Error::NotCommitted { path })
        }
        other => other?,
    };
    let index = open_generation(dir, meta.generation, meta.analysis)?;
    let fields = Fields::from_schema(&index.schema())?;
    Ok(OpenIndex {
        index,
        fields,
        meta,
        path: dir.to_path_buf(),
    })
}

/// Opens generation `generation` of the index in `dir`, with the analyzers registered.
pub fn open_generation(dir: &Path, generation: u64, analysis: Profile) -> Result<Index> {
    let index =
        Index::open_in_dir(generation_dir(dir, generation)).map_err(|e| Error::Corrupt {
            path: dir.to_path_buf(),
            message: format!("gen-{generation}: {e}"),
        })?;
    analyzers::register(index.tokenizers(), analysis);
    analyzers::register_fast(index.fast_field_tokenizer());
    Ok(index)
}

/// Whether `dir` holds a sokord index (of any version).
pub fn index_exists(dir: &Path) -> bool {
    dir.join(META_FILE).is_file()
}

/// The notice board of commits made in this process: a counter per index folder that a writer
/// raises after each commit ([`announce_commit`]) and searchers compare with the value they last
/// saw ([`commit_counter`]), so that a searcher in the same process sees a commit at once,
/// without looking at the disk. Commits of other processes are seen from `sokord.json`.
fn board() -> &'static Mutex<HashMap<PathBuf, Arc<AtomicU64>>> {
    static BOARD: OnceLock<Mutex<HashMap<PathBuf, Arc<AtomicU64>>>> = OnceLock::new();
    BOARD.get_or_init(Default::default)
}

/// The counter of commits announced in this process for the index in `dir` (see
/// [`announce_commit`]).
pub fn commit_counter(dir: &Path) -> Arc<AtomicU64> {
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut board = board().lock().unwrap_or_else(|e| e.into_inner());
    board.entry(key).or_default().clone()
}

/// Tells the searchers of this process that the index in `dir` has a new commit.
pub fn announce_commit(dir: &Path) {
    commit_counter(dir).fetch_add(1, Ordering::SeqCst);
}

/// What identifies one writing of `sokord.json` in `dir` (its modification time, size and, on
/// Unix, its inode: every commit replaces the file), or `None` when it cannot be read. Cheap: one
/// `stat`.
pub fn meta_stamp(dir: &Path) -> Option<(std::time::SystemTime, u64, u64)> {
    let m = std::fs::metadata(dir.join(META_FILE)).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let inode = 0;
    Some((m.modified().ok()?, m.len(), inode))
}
