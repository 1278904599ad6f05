//! One writer at a time: an exclusive `flock` on `<index>/lock`, taken atomically and released by
//! the kernel when the holding process ends, however it ends (no stale locks to guess about).
//! While a run holds it, the file also names the run's process id, for people looking.

use std::io::{Seek, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// The lock file's name in an index folder.
pub(crate) use sokord_core::layout::LOCK_FILE;

/// Holds the index's lock while a run writes; releases it when dropped.
#[derive(Debug)]
pub(crate) struct Lock {
    file: std::fs::File,
}

impl Lock {
    /// Takes the lock of the index in `dir`, or returns [`Error::Locked`] at once when another
    /// writer holds it.
    pub(crate) fn take(dir: &Path) -> Result<Lock> {
        Self::open(dir, false)
    }

    /// Takes the lock of the index in `dir`, waiting for another writer to finish first.
    pub(crate) fn wait(dir: &Path) -> Result<Lock> {
        Self::open(dir, true)
    }

    fn open(dir: &Path, wait: bool) -> Result<Lock> {
        let path = dir.join(LOCK_FILE);
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        if wait {
            fs4::FileExt::lock(&file).map_err(|e| Error::io(&path, e))?;
        } else {
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => {}
                Err(fs4::TryLockError::WouldBlock) => {
                    return Err(Error::Locked {
                        path: dir.to_path_buf(),
                    })
                }
                Err(fs4::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
        }
        let mut lock = Lock { file };
        // Informational only: who holds it.
        let _ = lock.file.set_len(0);
        let _ = lock.file.rewind();
        let _ = write!(lock.file, "{}", std::process::id());
        Ok(lock)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = fs4::FileExt::unlock(&self.file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = Lock::take(dir.path()).unwrap();
        let pid = std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
        assert_eq!(pid, std::process::id().to_string());
        assert!(matches!(Lock::take(dir.path()), Err(Error::Locked { .. })));
        // A waiting writer gets it as soon as the first lets go.
        let waiter = std::thread::spawn({
            let dir = dir.path().to_path_buf();
            move || Lock::wait(&dir).map(|_| ())
        });
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(!waiter.is_finished());
        drop(first);
        waiter.join().unwrap().unwrap();
        // Released: empty file, and the next writer takes it.
        assert_eq!(std::fs::read(dir.path().join(LOCK_FILE)).unwrap().len(), 0);
        Lock::take(dir.path()).unwrap();
    }
}
