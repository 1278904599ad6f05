//! The generations of an index: their folders, numbers and file lists.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use sokord_core::layout::{generation_dir, read_meta, write_atomically, IndexMeta, META_FILE};

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
pub(super) const FILES_FILE: &str = "files.json";

/// The files an index holds, with their content hashes and document ids.
pub fn indexed_files(dir: &Path) -> Result<Vec<FileRecord>> {
    read_files(dir, read_meta(dir)?.generation)
}

/// The file list of generation `generation` of the index in `dir`.
pub(super) fn read_files(dir: &Path, generation: u64) -> Result<Vec<FileRecord>> {
    let path = generation_dir(dir, generation).join(FILES_FILE);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Corrupt {
        path: dir.to_path_buf(),
        message: format!("{}: {e}", path.display()),
    })
}

/// Writes a generation's file list: to a temporary file, then renamed over the old one.
pub(super) fn write_files_atomically(gen_dir: &Path, files: &[FileRecord]) -> Result<()> {
    let json = serde_json::to_vec(files).expect("file records serialise");
    write_atomically(gen_dir, FILES_FILE, &json)
}

/// Removes every generation but `keep`: old ones no longer read by new searchers, and
/// half-written ones left by runs that were killed.
pub(super) fn remove_other_generations(index_dir: &Path, keep: u64) {
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

pub(super) fn next_generation(index_dir: &Path) -> Result<u64> {
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

pub(super) fn write_meta_atomically(index_dir: &Path, meta: &IndexMeta) -> Result<()> {
    let json = serde_json::to_vec_pretty(meta).expect("meta serialises");
    write_atomically(index_dir, META_FILE, &json)
}
