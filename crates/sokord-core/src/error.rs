//! Errors of opening, reading and writing an index.

use std::path::PathBuf;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong while building or opening an index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An error from tantivy.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The corpus folder does not exist or is not a folder.
    #[error("{}: no such folder of documents", path.display())]
    NoCorpus {
        /// The path given.
        path: PathBuf,
    },
    /// There is no sokord index at the path.
    #[error("{}: no sokord index here", path.display())]
    NotAnIndex {
        /// The path given.
        path: PathBuf,
    },
    /// An index is being written at the path (a writer has started one, or a first indexing
    /// run was interrupted), but nothing is committed yet: there is nothing to search.
    #[error("{}: an index is being written here, but nothing is committed yet: it can be searched after the writer's first commit", path.display())]
    NotCommitted {
        /// The path given.
        path: PathBuf,
    },
    /// The index was built by another version of sokord with another schema.
    #[error("{}: index schema version {found}, this version of sokord reads {expected}: the index must be rebuilt", path.display())]
    SchemaVersion {
        /// The index path.
        path: PathBuf,
        /// The version recorded in the index.
        found: u32,
        /// The version this build writes and reads.
        expected: u32,
    },
    /// The index's own records are unreadable.
    #[error("{}: the index is damaged ({message}): it must be rebuilt", path.display())]
    Corrupt {
        /// The index path.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// A configuration file (topics, manifest) is invalid.
    #[error("{}: {message}", path.display())]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong and where.
        message: String,
    },
    /// The folder given for a new index holds other things (documents, most likely): no index
    /// is built among them.
    #[error("{}: holds other files and no sokord index, so no index is built into it; give a new or empty folder (for the documents of this folder, say {})", path.display(), path.join(".sokord").display())]
    NotEmpty {
        /// The folder.
        path: PathBuf,
    },
    /// Another indexing run holds the index.
    #[error("{}: another writer holds this index", path.display())]
    Locked {
        /// The index path.
        path: PathBuf,
    },
    /// A document was inserted with an id the index already holds.
    #[error("a document with id `{id}` is already in the index: upsert it to replace it, or give it another id")]
    DuplicateId {
        /// The id.
        id: String,
    },
    /// A document given by a program cannot be indexed as it is.
    #[error("document `{id}`: {message}")]
    InvalidDocument {
        /// The document's id (empty when that is what is wrong).
        id: String,
        /// What is wrong and how to fix it.
        message: String,
    },
}

impl Error {
    /// An I/O error on a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
