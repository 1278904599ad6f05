//! Errors of the query library.

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong while searching.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The index could not be opened or read.
    #[error(transparent)]
    Index(#[from] sokord_core::Error),
    /// An error from tantivy while searching.
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The query string is malformed.
    #[error("query error: {0}")]
    Query(#[from] sokord_core::query::ParseError),
    /// A filter value is malformed (e.g. a date).
    #[error("bad filter {name}: {message}")]
    Filter {
        /// The filter's name: a field of [`Filters`](crate::Filters) (`from`, `to`, `party`),
        /// or a field the query names (`date`, `year`, `party`).
        name: String,
        /// What is wrong.
        message: String,
    },
    /// The query has words, yet none the index can search (words too long to be words, no
    /// letters at all, stop words in a title): it would otherwise match everything.
    #[error("nothing to search for: {reason}")]
    NothingToSearch {
        /// The query.
        query: String,
        /// Why nothing of it is left, and what to do.
        reason: String,
    },
    /// No document has this id.
    #[error("no document with id `{0}`; `sokord search` shows the ids in its hits")]
    NoSuchDocument(String),
}

impl Error {
    /// Whether opening may have raced an indexer's commit in another process: a file of the
    /// index missing (tantivy deletes the files of replaced commits), or the index's records
    /// unreadable (a generation deleted after a rebuild). Opening again reads the newer commit.
    pub(crate) fn may_be_a_concurrent_commit(&self) -> bool {
        use tantivy::directory::error::OpenReadError;
        matches!(
            self,
            Error::Tantivy(tantivy::TantivyError::OpenReadError(
                OpenReadError::FileDoesNotExist(_)
            )) | Error::Index(sokord_core::Error::Corrupt { .. })
        )
    }
}
