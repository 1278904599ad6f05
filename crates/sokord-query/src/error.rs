//! Errors of the query library.

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong while searching.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The index could not be opened or read.
    #[error(transparent)]
    Index(#[from] sokord_index::Error),
    /// An error from tantivy while searching.
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The query string is malformed.
    #[error("query error: {0}")]
    Query(#[from] crate::parse::ParseError),
    /// A filter value is malformed (e.g. a date).
    #[error("bad filter {name}: {message}")]
    Filter {
        /// The filter's name (`--from`, `actor`).
        name: String,
        /// What is wrong.
        message: String,
    },
    /// No document has this id.
    #[error("no document with id `{0}`; `sokord search` shows the ids in its hits")]
    NoSuchDocument(String),
}
