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
    /// BLAKE3 hash of its bytes; empty for a file only partly indexed (read again next run).
    pub hash: String,
    /// The document id it was indexed as.
    pub doc_id: String,
    /// How many passages it gave.
    pub passages: u32,
    /// Its size, times and inode just before it was read, when they can be trusted to change
    /// with its content: a later run that finds them the same takes the file as unchanged
    /// without reading it (as git does). Absent in file lists written before they were kept, and
    /// for a file changed moments before it was read (see [`Stamp::of`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<Stamp>,
    /// The problems it was indexed despite, said again by every run that finds it unchanged
    /// (so that `--strict` fails until the file is fixed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A file's size, modification time and (on Unix) inode, device and status-change time, as a
/// run saw them before reading it. The status-change time (ctime) cannot be set by a program:
/// a file rewritten with its old modification time put back, or swapped with another of the
/// same size and time, still shows as changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time: seconds since the Unix epoch.
    pub secs: i64,
    /// Modification time: the nanoseconds within that second.
    pub nanos: u32,
    /// Inode number (0 where the platform has none).
    #[serde(default)]
    pub ino: u64,
    /// Device number (0 where the platform has none).
    #[serde(default)]
    pub dev: u64,
    /// Status-change time in nanoseconds since the Unix epoch (0 where the platform has none).
    #[serde(default)]
    pub ctime: i64,
}

/// How long after its last change a file's times are trusted. A file changed within the same
/// tick of the file system's clock as it was read (whole seconds, two on FAT) could change again
/// without its times changing: such a file gets no stamp and is hashed next time.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(3);

impl Stamp {
    /// The stamp of a file with this metadata, seen at `now`; `None` when its modification time
    /// is unknown, before 1970, in the future, or less than 3 s old, or (on Unix) its
    /// status-change time is less than 3 s old: a change within the same tick of the file
    /// system's clock would not show in them.
    pub fn of(meta: &std::fs::Metadata, now: std::time::SystemTime) -> Option<Stamp> {
        let modified = meta.modified().ok()?;
        if now.duration_since(modified).ok()? < SETTLED {
            return None;
        }
        let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
        let (ino, dev, ctime) = inode(meta);
        let now_nanos =
            i64::try_from(now.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos()).ok()?;
        if now_nanos.saturating_sub(ctime) < SETTLED.as_nanos() as i64 {
            return None;
        }
        Some(Stamp {
            size: meta.len(),
            secs: i64::try_from(since.as_secs()).ok()?,
            nanos: since.subsec_nanos(),
            ino,
            dev,
            ctime,
        })
    }

    /// The stamp of the file at `path` now; `None` as for [`Stamp::of`] or when it cannot be
    /// read.
    pub fn now(path: &Path) -> Option<Stamp> {
        Stamp::of(&std::fs::metadata(path).ok()?, std::time::SystemTime::now())
    }
}

/// Inode, device and status-change time (nanoseconds since the epoch).
#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> (u64, u64, i64) {
    use std::os::unix::fs::MetadataExt;
    let ctime = meta
        .ctime()
        .saturating_mul(1_000_000_000)
        .saturating_add(meta.ctime_nsec());
    (meta.ino(), meta.dev(), ctime)
}

/// Elsewhere only the size and modification time are compared.
#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> (u64, u64, i64) {
    (0, 0, 0)
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
    use std::os::unix::fs::MetadataExt;
    use std::time::{Duration, SystemTime};

    /// The later of a file's modification and status-change times.
    fn changed(meta: &std::fs::Metadata) -> SystemTime {
        let ctime =
            SystemTime::UNIX_EPOCH + Duration::new(meta.ctime() as u64, meta.ctime_nsec() as u32);
        meta.modified().unwrap().max(ctime)
    }

    /// A stamp is the file's size, times and inode, once its times are far enough behind the
    /// clock; a file rewritten with the same size and its old modification time put back gets
    /// another stamp (its status-change time moved).
    #[test]
    #[cfg(unix)]
    fn a_file_changed_moments_ago_gets_no_stamp_and_a_rewrite_shows() {
        let dir = std::env::temp_dir().join(format!("sokord-stamp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.md");
        std::fs::write(&path, "tolv tecken.").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        let old = SystemTime::now() - Duration::from_secs(60);
        file.set_modified(old).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let t = changed(&meta);
        assert_eq!(Stamp::of(&meta, t), None, "read in the same instant");
        assert_eq!(Stamp::of(&meta, t + SETTLED / 2), None);
        assert_eq!(Stamp::of(&meta, old - SETTLED), None, "from the future");
        let first = Stamp::of(&meta, t + SETTLED).expect("settled");
        let since = old.duration_since(SystemTime::UNIX_EPOCH).unwrap();
        assert_eq!(
            (first.size, first.secs, first.nanos, first.ino),
            (12, since.as_secs() as i64, since.subsec_nanos(), meta.ino())
        );
        // Other words, the same size, the old time put back.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, "tolv ordval.").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(old).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let second = Stamp::of(&meta, changed(&meta) + SETTLED).expect("settled");
        assert_eq!(
            (second.size, second.secs, second.nanos),
            (12, first.secs, first.nanos)
        );
        assert_ne!(first, second, "the status-change time moved");
        assert_eq!(Stamp::now(&dir.join("gone.md")), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
