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
    /// Its size and modification time just before it was read, when they can be trusted to
    /// change with its content: a later run that finds them the same takes the file as
    /// unchanged without reading it (as git and make do). Absent in file lists written before
    /// they were kept, and for a file modified moments before it was read (see [`Stamp::of`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<Stamp>,
}

/// A file's size and modification time, as a run saw them before reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time: seconds since the Unix epoch.
    pub secs: i64,
    /// Modification time: the nanoseconds within that second.
    pub nanos: u32,
}

/// How long after its last modification a file's time is trusted. A file modified within the
/// same tick of the file system's clock as it was read (whole seconds, two on FAT) could change
/// again without its time changing: such a file gets no stamp and is hashed next time.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(3);

impl Stamp {
    /// The stamp of a file with this metadata, seen at `now`; `None` when its modification time
    /// is unknown, in the future, or less than 3 s old (a change within the same tick of the
    /// file system's clock would not show in it).
    pub fn of(meta: &std::fs::Metadata, now: std::time::SystemTime) -> Option<Stamp> {
        let modified = meta.modified().ok()?;
        if now.duration_since(modified).ok()? < SETTLED {
            return None;
        }
        let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(Stamp {
            size: meta.len(),
            secs: i64::try_from(since.as_secs()).ok()?,
            nanos: since.subsec_nanos(),
        })
    }

    /// The stamp of the file at `path` now; `None` as for [`Stamp::of`] or when it cannot be
    /// read.
    pub fn now(path: &Path) -> Option<Stamp> {
        Stamp::of(&std::fs::metadata(path).ok()?, std::time::SystemTime::now())
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    /// A stamp is the file's size and time, once that time is far enough behind the clock.
    #[test]
    fn a_file_modified_moments_ago_gets_no_stamp() {
        let dir = std::env::temp_dir().join(format!("sokord-stamp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.md");
        std::fs::write(&path, "tolv tecken.").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let modified = meta.modified().unwrap();
        assert_eq!(Stamp::of(&meta, modified), None, "read in the same instant");
        assert_eq!(Stamp::of(&meta, modified + SETTLED / 2), None);
        assert_eq!(
            Stamp::of(&meta, modified - SETTLED),
            None,
            "from the future"
        );
        let later = Stamp::of(&meta, modified + SETTLED).expect("settled");
        let since = modified.duration_since(SystemTime::UNIX_EPOCH).unwrap();
        assert_eq!(
            (later.size, later.secs, later.nanos),
            (12, since.as_secs() as i64, since.subsec_nanos())
        );
        // Dated back, it is stamped when read now; written again, its stamp differs.
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(60))
            .unwrap();
        let old = Stamp::now(&path).expect("an old file is stamped");
        std::fs::write(&path, "tretton tecken").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(30))
            .unwrap();
        let new = Stamp::now(&path).unwrap();
        assert_ne!(old, new);
        assert_eq!(new.size, 14);
        assert_eq!(Stamp::now(&dir.join("gone.md")), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
